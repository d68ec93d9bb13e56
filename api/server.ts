// The API process entry: wires real dependencies into the app, listens, and closes cleanly on SIGINT/SIGTERM.
import { Connection } from '@temporalio/client';
import { z } from 'zod';
import { createSql } from '../adapters/db/client.ts';
import { connectionOptions, definedEnv, loadTemporalConfig } from '../temporal.config.ts';
import { buildApp } from './app.ts';

const env = z
  .object({
    DATABASE_URL: z.string().url(),
    TEMPORAL_ADDRESS: z.string().min(1),
    API_HOST: z.string().min(1).default('127.0.0.1'),
    API_PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'),
  })
  .parse(definedEnv());

const temporalConfig = loadTemporalConfig();
const sql = createSql({ url: env.DATABASE_URL, applicationName: 'closeloop-api', max: 10 });
// Connection.lazy: the API starts (and /readyz reports) even while Temporal is still coming up.
const temporal = Connection.lazy(connectionOptions(temporalConfig, env.TEMPORAL_ADDRESS));

const app = await buildApp(
  {
    readinessChecks: [
      { name: 'postgres', check: async () => void (await sql`select 1`) },
      { name: 'temporal', check: async () => void (await temporal.workflowService.getSystemInfo({})) },
    ],
  },
  { logger: { level: env.LOG_LEVEL } },
);

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
