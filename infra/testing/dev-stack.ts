// Drives `npm run dev`'s launcher as a person would: start it, wait for "ready", Ctrl-C it (SIGINT to its
// process group, as a terminal does) or SIGKILL it, and list the processes it recorded.
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { commandLine, isAlive, readPid, spawnManaged, type ManagedProcess } from '../dev/processes.ts';
import { repoRoot } from '../paths.ts';
import { freePort } from './ports.ts';

export interface StackPorts {
  postgres: number;
  temporal: number;
  temporalUi: number;
  api: number;
}

export async function stackFixture() {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'closeloop-stack-'));
  chmodSync(dataDir, 0o755); // the postgres OS user must traverse it
  const ports: StackPorts = { postgres: await freePort(), temporal: await freePort(), temporalUi: await freePort(), api: await freePort() };
  return { dataDir, ports };
}

export class DevStack {
  private constructor(
    readonly launcher: ManagedProcess,
    readonly outputFile: string,
  ) {}

  static async start(dataDir: string, ports: StackPorts, run: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<DevStack> {
    const outputFile = path.join(dataDir, `launcher-${run}.log`);
    const launcher = spawnManaged({
      name: 'launcher',
      command: process.execPath,
      args: ['--import', 'tsx', path.join(repoRoot, 'infra/dev/stack.ts')],
      cwd: repoRoot,
      env: {
        ...process.env,
        CLOSELOOP_DATA_DIR: dataDir,
        POSTGRES_PORT: String(ports.postgres),
        TEMPORAL_PORT: String(ports.temporal),
        TEMPORAL_UI_PORT: String(ports.temporalUi),
        API_PORT: String(ports.api),
        DATABASE_URL: '',
        TEMPORAL_ADDRESS: '',
        ...extraEnv,
      },
      logFile: outputFile,
    });
    const stack = new DevStack(launcher, outputFile);
    const deadline = Date.now() + 150_000;
    while (Date.now() < deadline) {
      const out = stack.output();
      if (out.includes('[closeloop] ready')) return stack;
      if (out.includes('failed to start') || !isAlive(launcher.pid)) throw new Error(`The dev stack did not start:\n${out}`);
      await delay(250);
    }
    throw new Error(`The dev stack was not ready within 150 s:\n${stack.output()}`);
  }

  output(): string {
    return existsSync(this.outputFile) ? readFileSync(this.outputFile, 'utf8') : '';
  }

  /** Ctrl-C in a terminal: SIGINT to the launcher's whole process group. */
  async ctrlC(): Promise<{ code: number | null }> {
    process.kill(-this.launcher.pid, 'SIGINT');
    return this.launcher.exited;
  }

  /** kill -9 of the launcher alone: its children are left behind. */
  async kill9(): Promise<void> {
    process.kill(this.launcher.pid, 'SIGKILL');
    await this.launcher.exited;
  }
}

/** The pids the launcher recorded (run/*.pid) plus Postgres's own postmaster.pid. */
export function recordedPids(dataDir: string): Record<string, number> {
  const pids: Record<string, number> = {};
  const runDir = path.join(dataDir, 'run');
  if (existsSync(runDir)) {
    for (const file of readdirSync(runDir)) {
      const pid = readPid(path.join(runDir, file));
      if (pid !== undefined) pids[file.replace(/\.pid$/, '')] = pid;
    }
  }
  const postmaster = readPid(path.join(dataDir, 'postgres', 'postmaster.pid'));
  if (postmaster !== undefined) pids.postmaster = postmaster;
  return pids;
}

/** Live processes whose command line mentions the data directory (postgres -D …, temporal --db-filename …). */
export function processesUsing(dataDir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const cmd = commandLine(Number(entry));
    if (cmd?.includes(dataDir) && Number(entry) !== process.pid) found.push(`${entry}: ${cmd}`);
  }
  return found;
}

export { isAlive };

/** Polls `probe` until it gives a value (a state, not a time, is what tests wait for). */
export async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await delay(250);
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** A small JSON client of the running API: `call(method, url, token, body?, headers?)`, and the dev login. */
export function apiClient(baseUrl: string) {
  const call = async (method: string, url: string, token: string | null, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${baseUrl}${url}`, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: res.status, json: (await res.json()) as any }; // eslint-disable-line @typescript-eslint/no-explicit-any
  };
  const login = async (email: string) => (await call('POST', '/v1/dev/login', null, { email })).json.accessToken as string;
  return { call, login };
}
