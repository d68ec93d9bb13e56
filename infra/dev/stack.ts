// `npm run dev`: the whole of Closeloop on this machine. Embedded Postgres (or DATABASE_URL), migrations, the
// Temporal dev server with its Web UI (or TEMPORAL_ADDRESS), the worker and the API. Ctrl-C stops every child in
// order; a start after a crashed or SIGKILLed launcher first stops the orphans it left, by their pid files.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { Connection } from '@temporalio/client';
import { z } from 'zod';
import { DEFAULT_TEMPORAL_PORT, DEFAULT_TEMPORAL_UI_PORT, connectionOptions, definedEnv, loadTemporalConfig } from '../../temporal.config.ts';
import { temporalCliPath } from '../tools/binaries.ts';
import { dataDir as resolveDataDir, repoRoot } from '../paths.ts';
import { applyMigrations, localAppUrl } from './migrate.ts';
import { startEmbeddedPostgres, stopOrphanPostgres, type RunningPostgres } from './postgres.ts';
import { commandLine, isAlive, readPid, spawnManaged, stopStale, tail, type ManagedProcess } from './processes.ts';
import { ensureSearchAttributes, startTemporalDevServer, type RunningDevServer } from './temporal-server.ts';
import { followLog } from './follow-log.ts';

const env = z
  .object({
    DATABASE_URL: z.string().url().optional(),
    MIGRATION_DATABASE_URL: z.string().url().optional(),
    POSTGRES_PORT: z.coerce.number().int().min(1).max(65535).default(54329),
    TEMPORAL_PORT: z.coerce.number().int().min(1).max(65535).default(DEFAULT_TEMPORAL_PORT),
    TEMPORAL_UI_PORT: z.coerce.number().int().min(1).max(65535).default(DEFAULT_TEMPORAL_UI_PORT),
    API_HOST: z.string().min(1).default('127.0.0.1'),
    API_PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  })
  .parse(definedEnv());

const temporalConfig = loadTemporalConfig();
const data = resolveDataDir();
const runDir = path.join(data, 'run');
const logDir = path.join(data, 'logs');
const pidFiles = {
  stack: path.join(runDir, 'stack.pid'),
  temporal: path.join(runDir, 'temporal.pid'),
  worker: path.join(runDir, 'worker.pid'),
  api: path.join(runDir, 'api.pid'),
  postgres: path.join(runDir, 'postgres.pid'),
};
const say = (line: string) => process.stdout.write(`[closeloop] ${line}\n`);

let postgresServer: RunningPostgres | undefined;
let temporalServer: RunningDevServer | undefined;
let worker: ManagedProcess | undefined;
let api: ManagedProcess | undefined;
let stopping = false;
const followers: Array<() => void> = [];

async function cleanUpAfterPreviousRun(): Promise<void> {
  const launcher = readPid(pidFiles.stack);
  if (launcher !== undefined && launcher !== process.pid && isAlive(launcher) && (commandLine(launcher) ?? '').includes('infra/dev/stack')) {
    throw new Error(`Closeloop is already running from this data folder (launcher pid ${launcher}). Stop it with Ctrl-C in its terminal, or "kill ${launcher}".`);
  }
  const stopped: string[] = [];
  for (const [name, file, expect, signal] of [
    ['api', pidFiles.api, 'api/server', 'SIGTERM'],
    ['worker', pidFiles.worker, 'worker/main', 'SIGTERM'],
    ['temporal', pidFiles.temporal, 'start-dev', 'SIGTERM'],
    ['postgres', pidFiles.postgres, 'postgres -D', 'SIGINT'], // SIGINT: Postgres's fast shutdown
  ] as const) {
    const pid = await stopStale(file, expect, signal);
    if (pid !== undefined) stopped.push(`${name} (pid ${pid})`);
  }
  const pg = await stopOrphanPostgres(path.join(data, 'postgres'));
  if (pg !== undefined) stopped.push(`postgres (pid ${pg})`);
  if (stopped.length > 0) say(`stopped processes left by an earlier run: ${stopped.join(', ')}`);
}

function nodeChild(name: 'worker' | 'api', entry: string, extraEnv: NodeJS.ProcessEnv): ManagedProcess {
  const logFile = path.join(logDir, `${name}.log`);
  const proc = spawnManaged({
    name,
    command: process.execPath,
    args: ['--import', 'tsx', path.join(repoRoot, entry)],
    cwd: repoRoot,
    env: { ...process.env, ...extraEnv },
    logFile,
    pidFile: pidFiles[name],
  });
  followers.push(followLog(logFile, `[${name}] `));
  void proc.exited.then(({ code, signal }) => {
    if (!stopping) {
      say(`${name} exited unexpectedly (code ${code}, signal ${signal}); its log is ${logFile}. Stopping the stack.`);
      void shutdown(1);
    }
  });
  return proc;
}

async function waitForWorker(address: string, identity: string, proc: ManagedProcess): Promise<void> {
  const connection = await Connection.connect(connectionOptions(temporalConfig, address));
  try {
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline) {
      if (!isAlive(proc.pid)) throw new Error(`The worker exited during start. Its log:\n${tail(proc.logFile)}`);
      const { pollers } = await connection.workflowService.describeTaskQueue({
        namespace: temporalConfig.namespace,
        taskQueue: { name: temporalConfig.taskQueue },
        taskQueueType: 1, // TASK_QUEUE_TYPE_WORKFLOW
      });
      if (pollers.some((p) => p.identity === identity)) return;
      await delay(500);
    }
    throw new Error(`The worker did not start polling within 120 s. Its log:\n${tail(proc.logFile)}`);
  } finally {
    await connection.close();
  }
}

async function waitForApi(url: string, proc: ManagedProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (!isAlive(proc.pid)) throw new Error(`The API exited during start. Its log:\n${tail(proc.logFile)}`);
    try {
      const res = await fetch(`${url}/readyz`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await delay(300);
  }
  throw new Error(`The API did not become ready within 60 s. Its log:\n${tail(proc.logFile)}`);
}

/**
 * The embedded default signs people in with a dev login (POST /v1/dev/login) and a secret kept in the data
 * folder. With DATABASE_URL set (a real deployment's data) there is no dev login: bring SUPABASE_JWT_SECRET.
 */
function devLoginEnv(): NodeJS.ProcessEnv {
  if (env.DATABASE_URL) return {};
  const file = path.join(data, 'dev-jwt-secret');
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600 });
  return { CLOSELOOP_DEV_LOGIN: 'true', SUPABASE_JWT_SECRET: readFileSync(file, 'utf8').trim() };
}

/** The secret that signs unsubscribe links: CLOSELOOP_LINK_SECRET, or one kept in the data folder. */
function linkSecret(): string {
  if (process.env.CLOSELOOP_LINK_SECRET) return process.env.CLOSELOOP_LINK_SECRET;
  const file = path.join(data, 'link-secret');
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600 });
  return readFileSync(file, 'utf8').trim();
}

async function shutdown(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  say('stopping: api, worker, temporal, postgres');
  // Order matters: stop taking requests, let the worker finish in-flight tasks, then the servers they need.
  if (api) await api.stop('SIGTERM', 10_000);
  if (worker) await worker.stop('SIGTERM', 20_000);
  if (temporalServer) await temporalServer.stop();
  if (postgresServer) await postgresServer.stop();
  for (const stop of followers) stop();
  rmSync(pidFiles.stack, { force: true });
  say('stopped');
  process.exit(code);
}

async function main(): Promise<void> {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    // A terminal's Ctrl-C may arrive twice (directly and forwarded by npm): one shutdown handles both.
    process.on(signal, () => void shutdown(0));
  }
  mkdirSync(runDir, { recursive: true, mode: 0o755 });
  mkdirSync(logDir, { recursive: true, mode: 0o755 });
  await cleanUpAfterPreviousRun();
  writeFileSync(pidFiles.stack, `${process.pid}\n`);

  let databaseUrl = env.DATABASE_URL;
  if (databaseUrl) {
    say('Postgres: using DATABASE_URL');
  } else {
    say(`Postgres: starting the embedded server on 127.0.0.1:${env.POSTGRES_PORT} (data in ${path.join(data, 'postgres')})`);
    postgresServer = await startEmbeddedPostgres({
      dataDir: path.join(data, 'postgres'),
      port: env.POSTGRES_PORT,
      logFile: path.join(logDir, 'postgres.log'),
      database: 'closeloop',
      pidFile: pidFiles.postgres,
    });
    databaseUrl = postgresServer.url;
  }
  say('Postgres: applying migrations (supabase db push)');
  await applyMigrations({ url: env.MIGRATION_DATABASE_URL ?? databaseUrl, includeSeed: !env.DATABASE_URL, local: !env.DATABASE_URL });

  let temporalAddress = temporalConfig.address;
  if (temporalAddress) {
    say(`Temporal: using TEMPORAL_ADDRESS ${temporalAddress} (namespace ${temporalConfig.namespace})`);
  } else {
    say(`Temporal: starting the dev server on 127.0.0.1:${env.TEMPORAL_PORT}, Web UI on ${env.TEMPORAL_UI_PORT}`);
    temporalServer = await startTemporalDevServer({
      cliPath: temporalCliPath(),
      port: env.TEMPORAL_PORT,
      uiPort: env.TEMPORAL_UI_PORT,
      dbFile: path.join(data, 'temporal.db'),
      namespace: temporalConfig.namespace,
      logFile: path.join(logDir, 'temporal.log'),
      pidFile: pidFiles.temporal,
    });
    temporalAddress = temporalServer.address;
  }
  const connection = await Connection.connect(connectionOptions(temporalConfig, temporalAddress));
  try {
    const added = await ensureSearchAttributes(connection, temporalConfig.namespace, temporalConfig.searchAttributes);
    if (added.length > 0) say(`Temporal: registered search attributes ${added.join(', ')}`);
  } catch (err) {
    if (!temporalConfig.address) throw err;
    say(`Temporal: could not register search attributes (${String(err)}). On Temporal Cloud add them with tcld or the Cloud UI: ` +
      temporalConfig.searchAttributes.map((k) => `${k.name} (${k.type})`).join(', '));
  } finally {
    await connection.close();
  }

  // The worker and the API log in as a role that can only switch to anon / authenticated / service_role.
  const appDatabaseUrl = env.DATABASE_URL ?? localAppUrl(databaseUrl);
  const childEnv = { DATABASE_URL: appDatabaseUrl, TEMPORAL_ADDRESS: temporalAddress, CLOSELOOP_LINK_SECRET: linkSecret(), CLOSELOOP_PUBLIC_URL: process.env.CLOSELOOP_PUBLIC_URL ?? `http://${env.API_HOST}:${env.API_PORT}` };
  const workerIdentity = `dev-worker-${process.pid}`;
  worker = nodeChild('worker', 'worker/main.ts', { ...childEnv, WORKER_IDENTITY: workerIdentity });
  api = nodeChild('api', 'api/server.ts', { ...childEnv, API_HOST: env.API_HOST, API_PORT: String(env.API_PORT), ...devLoginEnv() });
  const apiUrl = `http://${env.API_HOST}:${env.API_PORT}`;
  await Promise.all([waitForWorker(temporalAddress, workerIdentity, worker), waitForApi(apiUrl, api)]);

  const ui = temporalServer ? `http://127.0.0.1:${env.TEMPORAL_UI_PORT}/namespaces/${temporalConfig.namespace}/workflows` : '(your Temporal server\'s UI)';
  say('ready');
  process.stdout.write(
    [
      '',
      `  API                 ${apiUrl}   (${apiUrl}/readyz)`,
      `  Temporal Web UI     ${ui}`,
      `  Temporal gRPC       ${temporalAddress}   namespace ${temporalConfig.namespace}, task queue ${temporalConfig.taskQueue}`,
      `  Postgres            ${env.DATABASE_URL ? '(DATABASE_URL)' : `${databaseUrl}   (superuser, for you; the app logs in as "authenticator")`}`,
      `  Logs                ${logDir}`,
      '',
      `  API docs            ${apiUrl}/docs`,
      ...(env.DATABASE_URL ? [] : [`  Dev login           curl -s -X POST ${apiUrl}/v1/dev/login -H 'content-type: application/json' -d '{"email":"riya@northwind.example"}'`]),
      '',
      '  Try: npm run stack-check   (starts a diagnostic workflow you can watch in the Web UI)',
      '  Stop: Ctrl-C',
      '',
    ].join('\n'),
  );
}

main().catch(async (err: unknown) => {
  say(`failed to start: ${err instanceof Error ? err.message : String(err)}`);
  await shutdown(1);
});
