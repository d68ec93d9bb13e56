// Child processes of the dev stack: started detached (own process group, so Ctrl-C reaches only the launcher,
// which stops them in order), logged to files, and recorded in pid files so a later start can clean up
// after a launcher that was killed with SIGKILL.
import { spawn } from 'node:child_process';
import { mkdirSync, openSync, closeSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The command line of a live process, or undefined when it is gone (Linux /proc; elsewhere undefined). */
export function commandLine(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return undefined;
  }
}

export function readPid(pidFile: string): number | undefined {
  if (!existsSync(pidFile)) return undefined;
  const pid = Number.parseInt(readFileSync(pidFile, 'utf8').split('\n')[0] ?? '', 10);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/** Sends `signal`, waits up to `graceMs` for the process to exit, then SIGKILLs it. */
export async function stopPid(pid: number, signal: NodeJS.Signals, graceMs: number): Promise<void> {
  if (!isAlive(pid)) return;
  try {
    process.kill(pid, signal);
  } catch {
    return;
  }
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return;
    await delay(100);
  }
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    return;
  }
  while (isAlive(pid)) await delay(50);
}

/**
 * Stops the process a pid file names, if it is still alive and its command line contains `expect`
 * (a recycled pid belonging to something else is left alone), then removes the pid file.
 */
export async function stopStale(pidFile: string, expect: string, signal: NodeJS.Signals = 'SIGTERM', graceMs = 15_000): Promise<number | undefined> {
  const pid = readPid(pidFile);
  let stopped: number | undefined;
  if (pid !== undefined && isAlive(pid) && (commandLine(pid) ?? '').includes(expect)) {
    await stopPid(pid, signal, graceMs);
    stopped = pid;
  }
  rmSync(pidFile, { force: true });
  return stopped;
}

export interface ManagedProcess {
  name: string;
  pid: number;
  logFile: string;
  /** Resolves with the exit code (or signal) when the process ends. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<void>;
}

export interface SpawnOptions {
  name: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  logFile: string;
  pidFile?: string;
  uid?: number;
  gid?: number;
}

export function spawnManaged(options: SpawnOptions): ManagedProcess {
  mkdirSync(path.dirname(options.logFile), { recursive: true });
  const fd = openSync(options.logFile, 'a');
  const child = spawn(options.command, options.args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    detached: true,
    stdio: ['ignore', fd, fd],
    uid: options.uid,
    gid: options.gid,
  });
  closeSync(fd);
  if (child.pid === undefined) throw new Error(`Could not start ${options.name} (${options.command})`);
  const pid = child.pid;
  if (options.pidFile) {
    mkdirSync(path.dirname(options.pidFile), { recursive: true });
    writeFileSync(options.pidFile, `${pid}\n`);
  }
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => {
      if (options.pidFile && readPid(options.pidFile) === pid) rmSync(options.pidFile, { force: true });
      resolve({ code, signal });
    });
    child.on('error', () => resolve({ code: -1, signal: null }));
  });
  return {
    name: options.name,
    pid,
    logFile: options.logFile,
    exited,
    async stop(signal = 'SIGTERM', graceMs = 15_000) {
      await stopPid(pid, signal, graceMs);
      await exited;
    },
  };
}

/** The last lines of a log file, for error messages. */
export function tail(file: string, lines = 20): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
