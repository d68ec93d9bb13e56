// createActivities(deps): the worker passes real adapters, tests pass fakes. Workflows import only the type.
import type { EmailDrafter } from '../adapters/ai/port.ts';
import type { CallNotesExtractor } from '../adapters/ai/call-notes-port.ts';
import type { GmailConnector } from '../adapters/gmail/port.ts';
import type { TokenCipher } from '../adapters/secrets/token-cipher.ts';
import type { FileStorage } from '../adapters/storage/port.ts';
import type { LeadEnricher } from '../adapters/enrichment/port.ts';
import type { Database } from '../adapters/db/session.ts';
import type { EmailSender } from '../adapters/email/port.ts';
import type { LinkSigner } from '../adapters/links/unsubscribe.ts';
import type { SystemRepository } from '../adapters/db/system-repository.ts';
import { createCadenceActivities } from './cadence.ts';
import { createCallNotesActivities } from './call-notes.ts';
import { createMeetingPrepActivities } from './meeting-prep.ts';
import { createContactErasureActivities } from './contact-erasure.ts';
import { createMailboxActivities } from './mailbox.ts';
import { createLeadImportActivities } from './lead-import.ts';
import { createIdentityActivities } from './identity.ts';
import { createOutboundActivities, type OutboundHooks } from './outbound.ts';
import { createStackCheckActivities } from './stack-check.ts';

export interface ActivityDeps {
  db: Database;
  system: SystemRepository;
  email: EmailSender;
  /** Writes and rewrites email drafts: OpenAI, or the offline template drafter of the embedded default. */
  drafter: EmailDrafter;
  links: LinkSigner;
  /** Reads call notes: OpenAI, or the offline rules extractor (the default when absent). */
  callNotesExtractor?: CallNotesExtractor;
  outboundHooks?: OutboundHooks;
  /** Lead enrichment (imports that ask for it): Apollo, or the offline enricher. */
  enricher?: LeadEnricher;
  /** Files (lead imports, meeting briefs); absent in tests that import nothing. */
  storage?: FileStorage;
  /** Gmail (mailbox sync, send assist); null or absent when not configured (the embedded default). */
  gmail?: GmailDeps | null;
  /** The identity of the worker process running these activities (shown in histories and heartbeats). */
  workerIdentity: string;
}

export interface GmailDeps {
  connector: GmailConnector;
  cipher: TokenCipher;
  /** The Pub/Sub topic for users.watch; null: mailboxes are polled. */
  pushTopic: string | null;
}

export function createActivities(deps: ActivityDeps) {
  return {
    ...createStackCheckActivities(deps),
    ...createContactErasureActivities(deps),
    ...createOutboundActivities(deps),
    ...createCadenceActivities(deps),
    ...createMailboxActivities(deps),
    ...createLeadImportActivities(deps),
    ...createIdentityActivities(deps),
    ...createCallNotesActivities(deps),
    ...createMeetingPrepActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
