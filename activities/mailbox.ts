// Activities of the mailbox sync (Gmail): tokens (refresh when due; a dead grant marks the connection for
// reconnection), the push watch, and the sync itself. The sync reads what changed since the stored history id
// (a full resync of recent mail when Gmail says the id is too old), keeps only messages that belong to Closeloop's
// conversations — a reply in one of our threads (In-Reply-To / References / Gmail thread, so a colleague's reply
// counts), a bounce about one of our contacts, or mail from a contact — and stores each in the webhook inbox once
// (keyed by the Gmail message id), where the dispatcher classifies it and tells the cadences. Everything else in
// the rep's mailbox is never stored.
import type { MailboxClient, MailboxMessage } from '../adapters/gmail/port.ts';
import type { Tx } from '../adapters/db/client.ts';
import { contactsRepository } from '../adapters/db/contacts-repository.ts';
import { mailboxConnectionsRepository, type MailboxConnectionRow } from '../adapters/db/mailbox-connections-repository.ts';
import { webhookInboxRepository } from '../adapters/db/webhook-inbox-repository.ts';
import { ConfigurationError, MailboxDisconnectedError, NotFoundError } from '../domain/errors.ts';
import type { GmailMessageDelivery } from '../domain/inbound-events.ts';
import type { ActivityDeps } from './index.ts';

/** A first sync, or a resync after Gmail dropped the history id, reads this far back. */
export const RESYNC_LOOKBACK_MS = 7 * 24 * 3600_000;

const isDisconnected = (err: unknown) => err instanceof Error && err.name === MailboxDisconnectedError.name;

/** The contact a mailbox message is about, or null when it is not part of Closeloop's conversations. */
async function matchContact(tx: Tx, orgId: string, message: MailboxMessage): Promise<string | null> {
  const ids = [message.inReplyTo, ...message.references].filter((id): id is string => Boolean(id));
  if (ids.length > 0) {
    const [ours] = await tx<{ contactId: string }[]>`
      select m.contact_id from public.send_ledger l join public.outbound_messages m on m.org_id = l.org_id and m.id = l.message_id
      where l.org_id = ${orgId} and l.rfc_message_id = any(${ids}::text[]) order by l.accepted_at desc limit 1`;
    if (ours) return ours.contactId;
  }
  const [inThread] = await tx<{ contactId: string }[]>`
    select m.contact_id from public.send_ledger l join public.outbound_messages m on m.org_id = l.org_id and m.id = l.message_id
    where l.org_id = ${orgId} and l.provider_thread_id = ${message.threadId} limit 1`;
  if (inThread) return inThread.contactId;
  for (const address of [...message.failedRecipients.map((f) => f.address), message.inbound.from]) {
    const contact = await contactsRepository.byAddress(tx, orgId, address);
    if (contact) return contact.id;
  }
  return null;
}

/**
 * Opening a connected mailbox: a Gmail client with a current access token (refreshed when due); a dead grant marks
 * the connection "needs reconnect" and throws MailboxDisconnectedError (non-retryable). Shared by the sync and by
 * send assist (activities/outbound.ts).
 */
export function mailboxAccess(deps: Pick<ActivityDeps, 'db' | 'gmail'>) {
  const { db } = deps;
  const gmail = () => {
    if (!deps.gmail) throw new ConfigurationError('Gmail is not configured: set GOOGLE_CLIENT_ID, GOOGLE_CLIENT_SECRET, GOOGLE_REDIRECT_URI and CLOSELOOP_TOKEN_KEY');
    return deps.gmail;
  };

  const markNeedsReconnect = (orgId: string, id: string, reason: string) => db.asService((tx) => mailboxConnectionsRepository.setStatus(tx, orgId, id, 'needs_reconnect', reason));

  /** A Gmail client with a current access token; a dead grant marks the connection and throws (non-retryable). */
  async function open(orgId: string, connectionId: string): Promise<{ client: MailboxClient; connection: MailboxConnectionRow }> {
    const g = gmail();
    const connection = await db.asService((tx) => mailboxConnectionsRepository.get(tx, orgId, connectionId));
    if (!connection) throw new NotFoundError(`mailbox connection ${connectionId} not found`);
    if (connection.status !== 'connected') throw new MailboxDisconnectedError(`mailbox ${connection.emailAddress} is ${connection.status}`);
    const fresh = connection.accessTokenEnc && connection.accessExpiresAt && Date.parse(connection.accessExpiresAt) - Date.now() > 60_000;
    let accessToken = fresh ? g.cipher.open(connection.accessTokenEnc!) : null;
    if (!accessToken) {
      if (!connection.refreshTokenEnc) {
        await markNeedsReconnect(orgId, connectionId, 'no refresh token: reconnect the mailbox');
        throw new MailboxDisconnectedError(`mailbox ${connection.emailAddress} has no refresh token`);
      }
      try {
        const tokens = await g.connector.refresh(g.cipher.open(connection.refreshTokenEnc));
        await db.asService((tx) =>
          mailboxConnectionsRepository.setAccessToken(tx, orgId, connectionId, g.cipher.seal(tokens.accessToken), new Date(tokens.expiresAtMs).toISOString(), tokens.refreshToken ? g.cipher.seal(tokens.refreshToken) : null),
        );
        accessToken = tokens.accessToken;
      } catch (err) {
        if (isDisconnected(err)) await markNeedsReconnect(orgId, connectionId, (err as Error).message);
        throw err;
      }
    }
    return { client: g.connector.client(accessToken), connection };
  }

  /** Runs `work` with the mailbox's client; a 401 even with a fresh token marks the connection too. */
  async function withMailbox<T>(orgId: string, connectionId: string, work: (client: MailboxClient, connection: MailboxConnectionRow) => Promise<T>): Promise<T> {
    const { client, connection } = await open(orgId, connectionId);
    try {
      return await work(client, connection);
    } catch (err) {
      if (isDisconnected(err)) await markNeedsReconnect(orgId, connectionId, (err as Error).message);
      else await db.asService((tx) => mailboxConnectionsRepository.setError(tx, orgId, connectionId, err instanceof Error ? err.message : String(err)));
      throw err;
    }
  }

  return { gmail, open, withMailbox };
}

export function createMailboxActivities(deps: Pick<ActivityDeps, 'db' | 'gmail'>) {
  const { db } = deps;
  const { gmail, withMailbox } = mailboxAccess(deps);

  return {
    async loadMailboxConnection(input: { orgId: string; connectionId: string }) {
      const connection = await db.asService((tx) => mailboxConnectionsRepository.get(tx, input.orgId, input.connectionId));
      if (!connection) throw new NotFoundError(`mailbox connection ${input.connectionId} not found`);
      return { memberId: connection.memberId, push: Boolean(deps.gmail?.pushTopic), watchExpiresAtMs: connection.watchExpiresAt ? Date.parse(connection.watchExpiresAt) : null };
    },

    /** users.watch again (it lasts 7 days); the first watch also sets where the sync starts. */
    async renewMailboxWatch(input: { orgId: string; connectionId: string }) {
      const topic = gmail().pushTopic;
      if (!topic) throw new ConfigurationError('GMAIL_PUSH_TOPIC is not set: the mailbox is polled instead');
      return withMailbox(input.orgId, input.connectionId, async (client) => {
        const watch = await client.watch(topic);
        await db.asService((tx) => mailboxConnectionsRepository.setWatch(tx, input.orgId, input.connectionId, watch.historyId, new Date(watch.expirationMs).toISOString()));
        return { expirationMs: watch.expirationMs };
      });
    },

    async syncMailbox(input: { orgId: string; connectionId: string }): Promise<{ historyId: string; fetched: number; stored: number; fullResync: boolean }> {
      return withMailbox(input.orgId, input.connectionId, async (client, connection) => {
        let messageIds: string[];
        let historyId: string;
        let fullResync = false;
        const page = connection.historyId ? await client.history(connection.historyId) : ({ kind: 'too_old' } as const);
        if (page.kind === 'changes') {
          messageIds = page.messageIds;
          historyId = page.historyId;
        } else {
          // First sync, or Gmail no longer has the history from that id: read recent mail again. Messages seen
          // before are stored under the same Gmail id, so nothing happens twice.
          fullResync = true;
          const since = connection.lastSyncAt ? Date.parse(connection.lastSyncAt) - 24 * 3600_000 : Date.now() - RESYNC_LOOKBACK_MS;
          ({ messageIds, historyId } = await client.recentMessages(since));
        }
        let stored = 0;
        for (const id of [...new Set(messageIds)]) {
          let message: MailboxMessage;
          try {
            message = await client.getMessage(id);
          } catch (err) {
            if (err instanceof Error && err.name === NotFoundError.name) continue; // deleted since
            throw err;
          }
          if (message.labelIds.includes('SENT') || message.labelIds.includes('DRAFT') || message.inbound.from === connection.emailAddress) continue;
          const contactId = await db.asService((tx) => matchContact(tx, input.orgId, message));
          if (!contactId) continue;
          const delivery: GmailMessageDelivery = {
            type: 'gmail.message', connectionId: input.connectionId, contactId, gmailMessageId: message.id, threadId: message.threadId,
            message: message.inbound, failedRecipients: message.failedRecipients,
          };
          const row = await db.asService((tx) => webhookInboxRepository.receive(tx, { orgId: input.orgId, provider: 'gmail', eventId: message.id, headers: {}, body: JSON.stringify(delivery) }));
          if (!row.duplicate) stored += 1;
        }
        await db.asService((tx) => mailboxConnectionsRepository.setSynced(tx, input.orgId, input.connectionId, historyId));
        return { historyId, fetched: messageIds.length, stored, fullResync };
      });
    },

    /** The rep disconnected: stop the watch and revoke the grant at Google (best effort), forget the tokens. */
    async disconnectMailbox(input: { orgId: string; connectionId: string }) {
      const g = gmail();
      const connection = await db.asService((tx) => mailboxConnectionsRepository.get(tx, input.orgId, input.connectionId));
      if (!connection) return;
      if (connection.status === 'connected') {
        try {
          await withMailbox(input.orgId, input.connectionId, (client) => client.stopWatch());
        } catch {
          // The watch ends by itself within 7 days.
        }
      }
      if (connection.refreshTokenEnc) await g.connector.revoke(g.cipher.open(connection.refreshTokenEnc)).catch(() => undefined);
      await db.asService((tx) => mailboxConnectionsRepository.setStatus(tx, input.orgId, input.connectionId, 'revoked', 'disconnected by the rep'));
    },
  };
}
