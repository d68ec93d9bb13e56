// The Temporal CLI dev server (SQLite, Web UI) for the embedded default and the tests, plus registration
// of Closeloop's search attributes on any server the operator API can reach.
import { readFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { Connection } from '@temporalio/client';
import proto from '@temporalio/proto';
import type { SearchAttributeType } from '@temporalio/common';
import { spawnManaged, tail, type ManagedProcess } from './processes.ts';

// CommonJS package: its namespace is only reachable through the default import under ESM.
const { IndexedValueType } = proto.temporal.api.enums.v1;
const GRPC_UNIMPLEMENTED = 12;

export interface DevServerOptions {
  cliPath: string;
  port: number;
  /** Web UI port; null runs headless. */
  uiPort: number | null;
  /** SQLite file for persistence; null keeps everything in memory. */
  dbFile: string | null;
  namespace: string;
  logFile: string;
  pidFile?: string;
}

export interface RunningDevServer {
  address: string;
  process: ManagedProcess;
  stop(): Promise<void>;
}

export async function startTemporalDevServer(options: DevServerOptions): Promise<RunningDevServer> {
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(options.port), '--log-level', 'warn'];
  if (options.uiPort === null) args.push('--headless');
  else args.push('--ui-port', String(options.uiPort));
  if (options.dbFile) args.push('--db-filename', options.dbFile);
  if (options.namespace !== 'default') args.push('--namespace', options.namespace);
  const address = `127.0.0.1:${options.port}`;
  // The CLI picks its other ports (HTTP API, metrics, internal services) free at random just before binding them;
  // when another process takes one first the server dies at once. A second start picks again.
  for (let attempt = 1; ; attempt += 1) {
    const proc = spawnManaged({ name: 'temporal', command: options.cliPath, args, logFile: options.logFile, pidFile: options.pidFile });
    try {
      await waitForTemporal(address, proc);
      return { address, process: proc, stop: () => proc.stop('SIGTERM', 20_000) };
    } catch (err) {
      if (!(err instanceof DevServerExitedError) || attempt === 2) throw err;
    }
  }
}

class DevServerExitedError extends Error {
  override readonly name = 'DevServerExitedError';
}

/** The first lines that say what went wrong (a Go panic's message comes before its long stack). */
function problemLines(logFile: string): string {
  let text = '';
  try {
    text = readFileSync(logFile, 'utf8');
  } catch {
    return '';
  }
  const lines = text.split('\n').filter((line) => /panic|fatal|error|address already in use/i.test(line)).slice(0, 5);
  return lines.length > 0 ? `${lines.join('\n')}\n…\n` : '';
}

async function waitForTemporal(address: string, proc: ManagedProcess): Promise<void> {
  let exited = false;
  void proc.exited.then(() => {
    exited = true;
  });
  const deadline = Date.now() + 90_000;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (exited) throw new DevServerExitedError(`The Temporal dev server exited during start. Its log (${proc.logFile}):\n${problemLines(proc.logFile)}${tail(proc.logFile)}`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: '1s' });
      try {
        await connection.healthService.check({});
        return;
      } finally {
        await connection.close();
      }
    } catch (err) {
      lastError = err;
    }
    await delay(250);
  }
  throw new Error(`The Temporal dev server did not answer within 90 s (${String(lastError)}). Its log:\n${tail(proc.logFile)}`);
}

const indexedValueType: Record<SearchAttributeType, proto.temporal.api.enums.v1.IndexedValueType> = {
  TEXT: IndexedValueType.INDEXED_VALUE_TYPE_TEXT,
  KEYWORD: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  INT: IndexedValueType.INDEXED_VALUE_TYPE_INT,
  DOUBLE: IndexedValueType.INDEXED_VALUE_TYPE_DOUBLE,
  BOOL: IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
  DATETIME: IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
  KEYWORD_LIST: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST,
};

/** Adds the missing search attributes; returns the names it added. Idempotent. */
export async function ensureSearchAttributes(
  connection: Connection,
  namespace: string,
  keys: readonly { name: string; type: SearchAttributeType }[],
): Promise<string[]> {
  let missing = [...keys];
  try {
    const existing = await connection.operatorService.listSearchAttributes({ namespace });
    const known = new Set([...Object.keys(existing.customAttributes ?? {}), ...Object.keys(existing.systemAttributes ?? {})]);
    missing = keys.filter((k) => !known.has(k.name));
  } catch (err) {
    // The time-skipping test server implements adding search attributes but not listing them.
    if ((err as { code?: number }).code !== GRPC_UNIMPLEMENTED) throw err;
  }
  if (missing.length === 0) return [];
  await connection.operatorService.addSearchAttributes({
    namespace,
    searchAttributes: Object.fromEntries(missing.map((k) => [k.name, indexedValueType[k.type]])),
  });
  return missing.map((k) => k.name);
}
