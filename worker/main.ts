// The worker process: composition root of adapters, activities and workflows. Several can serve one task queue.
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Runtime, makeTelemetryFilterString } from '@temporalio/worker';
import { z } from 'zod';
import { createActivities } from '../activities/index.ts';
import { createAdapters } from '../adapters/index.ts';
import { createCallNotesExtractor, createEmailDrafter } from '../adapters/ai/index.ts';
import { createLeadEnricher } from '../adapters/enrichment/index.ts';
import { createEmailSender } from '../adapters/email/index.ts';
import { createGmailSetup, gmailConfigFromEnv } from '../adapters/gmail/index.ts';
import { createLinkSigner } from '../adapters/links/unsubscribe.ts';
import { connectionOptions, definedEnv, loadTemporalConfig } from '../temporal.config.ts';
import { dataDir } from '../infra/paths.ts';
import { bundleWorkflows, createWorker } from './create-worker.ts';
import { createInboxDispatcher } from './inbox-dispatcher.ts';
import { createProcessStarter } from './process-starter.ts';

const env = z
  .object({
    DATABASE_URL: z.string().url(),
    TEMPORAL_ADDRESS: z.string().min(1),
    WORKER_IDENTITY: z.string().min(1).optional(),
    WORKFLOW_BUNDLE_PATH: z.string().min(1).optional(),
    CLOSELOOP_STORAGE: z.string().default('local'),
    CLOSELOOP_STORAGE_DIR: z.string().min(1).optional(),
    SUPABASE_URL: z.string().optional(),
    SUPABASE_SERVICE_ROLE_KEY: z.string().optional(),
    SUPABASE_STORAGE_BUCKET: z.string().default('closeloop'),
    CLOSELOOP_EMAIL_PROVIDER: z.string().default('outbox'),
    RESEND_API_KEY: z.string().optional(),
    RESEND_BASE_URL: z.string().url().optional(),
    // The webhook inbox dispatcher runs in every worker process unless turned off (several cooperate by leases).
    CLOSELOOP_INBOX_DISPATCHER: z.enum(['on', 'off']).default('on'),
    CLOSELOOP_AI_PROVIDER: z.string().default('offline'),
    CLOSELOOP_ENRICHMENT_PROVIDER: z.string().default('offline'),
    APOLLO_API_KEY: z.string().optional(),
    APOLLO_BASE_URL: z.string().url().optional(),
    OPENAI_API_KEY: z.string().optional(),
    OPENAI_MODEL: z.string().optional(),
    OPENAI_CALL_NOTES_MODEL: z.string().optional(),
    OPENAI_BASE_URL: z.string().url().optional(),
    CLOSELOOP_PUBLIC_URL: z.string().url().default('http://127.0.0.1:3000'),
    CLOSELOOP_LINK_SECRET: z.string().min(32, 'CLOSELOOP_LINK_SECRET signs unsubscribe links: at least 32 characters'),
  })
  .parse(definedEnv());

Runtime.install({ telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'WARN' }) } } });

const temporalConfig = loadTemporalConfig();
const gmail = createGmailSetup(gmailConfigFromEnv(definedEnv()));
const identity = env.WORKER_IDENTITY ?? `worker-${process.pid}@${os.hostname()}`;
const adapters = createAdapters({
  databaseUrl: env.DATABASE_URL,
  applicationName: `closeloop-worker:${identity}`,
  storage: {
    backend: env.CLOSELOOP_STORAGE,
    localRootDir: env.CLOSELOOP_STORAGE_DIR ?? path.join(dataDir(), 'storage'),
    supabaseUrl: env.SUPABASE_URL,
    supabaseServiceRoleKey: env.SUPABASE_SERVICE_ROLE_KEY,
    supabaseBucket: env.SUPABASE_STORAGE_BUCKET,
  },
});
const connection = await NativeConnection.connect(connectionOptions(temporalConfig, env.TEMPORAL_ADDRESS));
const workflowBundle = env.WORKFLOW_BUNDLE_PATH
  ? { codePath: env.WORKFLOW_BUNDLE_PATH }
  : await bundleWorkflows();
const worker = await createWorker({
  connection,
  namespace: temporalConfig.namespace,
  taskQueue: temporalConfig.taskQueue,
  identity,
  activities: createActivities({
    db: adapters.db,
    system: adapters.system,
    workerIdentity: identity,
    email: createEmailSender({ provider: env.CLOSELOOP_EMAIL_PROVIDER, resendApiKey: env.RESEND_API_KEY, resendBaseUrl: env.RESEND_BASE_URL, db: adapters.db }),
    storage: adapters.storage,
    enricher: createLeadEnricher({ provider: env.CLOSELOOP_ENRICHMENT_PROVIDER, apolloApiKey: env.APOLLO_API_KEY, apolloBaseUrl: env.APOLLO_BASE_URL }),
    gmail: gmail && { connector: gmail.connector, cipher: gmail.cipher, pushTopic: gmail.pushTopic },
    drafter: createEmailDrafter({ provider: env.CLOSELOOP_AI_PROVIDER, openaiApiKey: env.OPENAI_API_KEY, openaiModel: env.OPENAI_MODEL, openaiBaseUrl: env.OPENAI_BASE_URL }),
    callNotesExtractor: createCallNotesExtractor({ provider: env.CLOSELOOP_AI_PROVIDER, openaiApiKey: env.OPENAI_API_KEY, openaiModel: env.OPENAI_CALL_NOTES_MODEL ?? env.OPENAI_MODEL, openaiBaseUrl: env.OPENAI_BASE_URL }),
    links: createLinkSigner({ publicUrl: env.CLOSELOOP_PUBLIC_URL, secret: env.CLOSELOOP_LINK_SECRET }),
  }),
  workflowBundle,
});

// The dispatcher signals processes through a client connection of its own.
const clientConnection = await Connection.connect(connectionOptions(temporalConfig, env.TEMPORAL_ADDRESS));
const dispatcher = env.CLOSELOOP_INBOX_DISPATCHER === 'on'
  ? createInboxDispatcher({ db: adapters.db, temporal: new Client({ connection: clientConnection, namespace: temporalConfig.namespace }), logger: Runtime.instance().logger, taskQueue: temporalConfig.taskQueue })
  : null;
dispatcher?.start();
// Processes whose start was missed (a call note or a meeting saved while Temporal was away) start here.
const starter = createProcessStarter({ db: adapters.db, temporal: new Client({ connection: clientConnection, namespace: temporalConfig.namespace }), taskQueue: temporalConfig.taskQueue, logger: Runtime.instance().logger });
starter.start();

Runtime.instance().logger.info('Worker ready', { identity, taskQueue: temporalConfig.taskQueue, namespace: temporalConfig.namespace });
try {
  // Resolves after SIGINT/SIGTERM once in-flight tasks are done (or the grace time ran out).
  await worker.run();
} finally {
  await dispatcher?.stop();
  await starter.stop();
  await clientConnection.close();
  await connection.close();
  await adapters.close();
}
