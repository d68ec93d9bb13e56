// Real activities for tests: the run's Postgres, the offline outbox as the email sender, signed test links.
import { createActivities, type ActivityDeps } from '../../activities/index.ts';
import type { Database } from '../../adapters/db/session.ts';
import { createOfflineDrafter } from '../../adapters/ai/offline.ts';
import { createOutboxEmailSender } from '../../adapters/email/outbox.ts';
import { createLinkSigner } from '../../adapters/links/unsubscribe.ts';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { TEST_LINK_SECRET } from './api.ts';
import { testResources } from './harness.ts';

export const testLinks = createLinkSigner({ publicUrl: 'http://127.0.0.1:3000', secret: TEST_LINK_SECRET });

export function testActivities(db: Database, overrides: Partial<ActivityDeps> = {}) {
  return createActivities({
    db,
    system: { serverTime: async () => new Date().toISOString() },
    workerIdentity: 'test-worker',
    email: createOutboxEmailSender({ db }),
    drafter: createOfflineDrafter(),
    links: testLinks,
    ...overrides,
  });
}

/** A worker with the real activities on `taskQueue`, running in the background until `stop()`. */
export async function startTestWorker(options: { env: TestWorkflowEnvironment; db: Database; taskQueue: string; overrides?: Partial<ActivityDeps> }): Promise<{ stop(): Promise<void> }> {
  const worker = await Worker.create({
    connection: options.env.nativeConnection,
    taskQueue: options.taskQueue,
    workflowBundle: testResources().workflowBundle,
    activities: testActivities(options.db, options.overrides),
  });
  const running = worker.run();
  return {
    async stop() {
      worker.shutdown();
      await running;
    },
  };
}
