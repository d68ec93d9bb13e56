// Real activities for tests: the run's Postgres, the offline outbox as the email sender, signed test links.
import { createActivities, type ActivityDeps } from '../../activities/index.ts';
import type { Database } from '../../adapters/db/session.ts';
import { createOutboxEmailSender } from '../../adapters/email/outbox.ts';
import { createLinkSigner } from '../../adapters/links/unsubscribe.ts';
import { TEST_LINK_SECRET } from './api.ts';

export const testLinks = createLinkSigner({ publicUrl: 'http://127.0.0.1:3000', secret: TEST_LINK_SECRET });

export function testActivities(db: Database, overrides: Partial<ActivityDeps> = {}) {
  return createActivities({
    db,
    system: { serverTime: async () => new Date().toISOString() },
    workerIdentity: 'test-worker',
    email: createOutboxEmailSender({ db }),
    links: testLinks,
    ...overrides,
  });
}
