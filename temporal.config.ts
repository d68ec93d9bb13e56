// Where Closeloop's Temporal lives and how its processes are found there.
// Read once at process start by the worker, the API and the dev tools; never imported by workflow code
// (workflows get their search attribute keys from workflows/shared/search-attributes.ts).
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { closeloopSearchAttributes } from './workflows/shared/search-attributes.ts';

const envSchema = z.object({
  TEMPORAL_ADDRESS: z.string().min(1).optional(),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('closeloop-processes'),
  TEMPORAL_API_KEY: z.string().min(1).optional(),
  TEMPORAL_TLS: z.enum(['true', 'false']).optional(),
  TEMPORAL_TLS_CERT_PATH: z.string().min(1).optional(),
  TEMPORAL_TLS_KEY_PATH: z.string().min(1).optional(),
  TEMPORAL_TLS_SERVER_NAME: z.string().min(1).optional(),
});

export interface TemporalTls {
  serverNameOverride?: string;
  clientCertPair?: { crt: Buffer; key: Buffer };
}

export interface TemporalConfig {
  /** host:port; undefined means "the dev stack starts its own server". */
  address: string | undefined;
  namespace: string;
  taskQueue: string;
  apiKey: string | undefined;
  /** false for a plain local server; an object (possibly empty: system CAs) for Temporal Cloud or a TLS cluster. */
  tls: TemporalTls | false;
  searchAttributes: typeof closeloopSearchAttributes;
}

export const DEFAULT_TEMPORAL_PORT = 7233;
export const DEFAULT_TEMPORAL_UI_PORT = 8233;

/** The environment without empty values: `FOO=` in a shell or .env file means "not set". */
export function definedEnv(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== ''));
}

export function loadTemporalConfig(env: NodeJS.ProcessEnv = process.env): TemporalConfig {
  const parsed = envSchema.safeParse(definedEnv(env));
  if (!parsed.success) {
    throw new Error(`Invalid Temporal configuration: ${z.prettifyError(parsed.error)}`);
  }
  const e = parsed.data;
  if (Boolean(e.TEMPORAL_TLS_CERT_PATH) !== Boolean(e.TEMPORAL_TLS_KEY_PATH)) {
    throw new Error('Invalid Temporal configuration: set both TEMPORAL_TLS_CERT_PATH and TEMPORAL_TLS_KEY_PATH, or neither.');
  }
  // An API key (Temporal Cloud) or a client certificate implies TLS unless TEMPORAL_TLS=false says otherwise.
  const wantsTls = e.TEMPORAL_TLS === 'true' || (e.TEMPORAL_TLS !== 'false' && (Boolean(e.TEMPORAL_API_KEY) || Boolean(e.TEMPORAL_TLS_CERT_PATH)));
  let tls: TemporalTls | false = false;
  if (wantsTls) {
    tls = {};
    if (e.TEMPORAL_TLS_SERVER_NAME) tls.serverNameOverride = e.TEMPORAL_TLS_SERVER_NAME;
    if (e.TEMPORAL_TLS_CERT_PATH && e.TEMPORAL_TLS_KEY_PATH) {
      tls.clientCertPair = { crt: readFileSync(e.TEMPORAL_TLS_CERT_PATH), key: readFileSync(e.TEMPORAL_TLS_KEY_PATH) };
    }
  }
  return {
    address: e.TEMPORAL_ADDRESS,
    namespace: e.TEMPORAL_NAMESPACE,
    taskQueue: e.TEMPORAL_TASK_QUEUE,
    apiKey: e.TEMPORAL_API_KEY,
    tls,
    searchAttributes: closeloopSearchAttributes,
  };
}

/** Options for NativeConnection.connect (worker) and Connection.connect (client); both take the same shape. */
export function connectionOptions(config: TemporalConfig, address: string) {
  return {
    address,
    tls: config.tls === false ? undefined : config.tls,
    apiKey: config.apiKey,
  };
}
