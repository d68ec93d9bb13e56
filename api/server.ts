// The API process entry: wires real dependencies into the app, listens, and closes cleanly on SIGINT/SIGTERM.
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { createLinkSigner } from '../adapters/links/unsubscribe.ts';
import { z } from 'zod';
import { createSql } from '../adapters/db/client.ts';
import { createGmailSetup, gmailConfigFromEnv } from '../adapters/gmail/index.ts';
import { createDatabase } from '../adapters/db/session.ts';
import { createFileStorage } from '../adapters/storage/index.ts';
import { connectionOptions, definedEnv, loadTemporalConfig } from '../temporal.config.ts';
import { buildApp, defaultRateLimit } from './app.ts';

const env = z
  .object({
    DATABASE_URL: z.string().url(),
    TEMPORAL_ADDRESS: z.string().min(1),
    API_HOST: z.string().min(1).default('127.0.0.1'),
    API_PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'),
    SUPABASE_JWT_SECRET: z.string().min(32).optional(),
    SUPABASE_JWKS_URL: z.string().url().optional(),
    JWT_AUDIENCE: z.string().default('authenticated'),
    RATE_LIMIT_PER_KEY: z.coerce.number().int().min(1).default(defaultRateLimit.perPrincipal),
    RATE_LIMIT_PER_ORG: z.coerce.number().int().min(1).default(defaultRateLimit.perOrganisation),
    CLOSELOOP_DEV_LOGIN: z.enum(['true', 'false']).default('false'),
    CLOSELOOP_PUBLIC_URL: z.string().url().default('http://127.0.0.1:3000'),
    CLOSELOOP_LINK_SECRET: z.string().min(32, 'CLOSELOOP_LINK_SECRET signs unsubscribe links: at least 32 characters'),
    TEMPORAL_UI_URL: z.string().url().optional(),
    SUPABASE_URL: z.string().url().optional(),
    SUPABASE_ANON_KEY: z.string().min(1).optional(),
    // The same file storage as the worker's (CSV uploads, meeting briefs).
    CLOSELOOP_STORAGE: z.string().default('local'),
    CLOSELOOP_STORAGE_DIR: z.string().min(1).optional(),
    CLOSELOOP_DATA_DIR: z.string().min(1).optional(),
    SUPABASE_SERVICE_ROLE_KEY: z.string().optional(),
    SUPABASE_STORAGE_BUCKET: z.string().default('closeloop'),
  })
  .parse(definedEnv());

if (env.CLOSELOOP_DEV_LOGIN === 'true' && !env.SUPABASE_JWT_SECRET) {
  throw new Error('CLOSELOOP_DEV_LOGIN=true needs SUPABASE_JWT_SECRET (the launcher of the embedded default sets both)');
}

const gmail = createGmailSetup(gmailConfigFromEnv(definedEnv()));
const temporalConfig = loadTemporalConfig();
const sql = createSql({ url: env.DATABASE_URL, applicationName: 'closeloop-api', max: 10 });
// Connection.lazy: the API starts (and /readyz reports) even while Temporal is still coming up.
const temporal = Connection.lazy(connectionOptions(temporalConfig, env.TEMPORAL_ADDRESS));

const app = await buildApp(
  {
    db: createDatabase(sql),
    readinessChecks: [
      { name: 'postgres', check: async () => void (await sql`select 1`) },
      { name: 'temporal', check: async () => void (await temporal.workflowService.getSystemInfo({})) },
    ],
    auth: { jwtSecret: env.SUPABASE_JWT_SECRET, jwksUrl: env.SUPABASE_JWKS_URL, audience: env.JWT_AUDIENCE },
    rateLimit: { perPrincipal: env.RATE_LIMIT_PER_KEY, perOrganisation: env.RATE_LIMIT_PER_ORG, windowSeconds: 60 },
    devLoginSecret: env.CLOSELOOP_DEV_LOGIN === 'true' ? env.SUPABASE_JWT_SECRET! : null,
    temporal: new Client({ connection: temporal, namespace: temporalConfig.namespace }),
    taskQueue: temporalConfig.taskQueue,
    links: createLinkSigner({ publicUrl: env.CLOSELOOP_PUBLIC_URL, secret: env.CLOSELOOP_LINK_SECRET }),
    temporalUiUrl: env.TEMPORAL_UI_URL ?? `http://127.0.0.1:${definedEnv().TEMPORAL_UI_PORT ?? '8233'}`,
    namespace: temporalConfig.namespace,
    supabaseAuth: env.SUPABASE_URL && env.SUPABASE_ANON_KEY ? { url: env.SUPABASE_URL, anonKey: env.SUPABASE_ANON_KEY } : null,
    gmail: gmail && { connector: gmail.connector, cipher: gmail.cipher, push: gmail.push, stateSecret: env.CLOSELOOP_LINK_SECRET },
    storage: createFileStorage({
      backend: env.CLOSELOOP_STORAGE,
      // As the worker's default (infra/paths.ts dataDir, which the API may not import).
      localRootDir: env.CLOSELOOP_STORAGE_DIR ?? path.join(path.resolve(env.CLOSELOOP_DATA_DIR ?? path.join(import.meta.dirname, '..', '.data')), 'storage'),
      supabaseUrl: env.SUPABASE_URL,
      supabaseServiceRoleKey: env.SUPABASE_SERVICE_ROLE_KEY,
      supabaseBucket: env.SUPABASE_STORAGE_BUCKET,
    }),
  },
  { logger: { level: env.LOG_LEVEL } },
);
if (env.CLOSELOOP_DEV_LOGIN === 'true') app.log.warn('DEV LOGIN IS ON (POST /v1/dev/login): only for the embedded default on your own machine');

let closing = false;
const close = async (signal: string) => {
  if (closing) return;
  closing = true;
  app.log.info({ signal }, 'closing');
  await app.close();
  await Promise.allSettled([sql.end({ timeout: 5 }), temporal.close()]);
  process.exit(0);
};
process.once('SIGINT', () => void close('SIGINT'));
process.once('SIGTERM', () => void close('SIGTERM'));

await app.listen({ host: env.API_HOST, port: env.API_PORT });
