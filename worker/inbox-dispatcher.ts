// The dispatcher: turns stored webhook deliveries into typed events (event log), their database effects (ledger
// states, suppressions, activities) and messages to running processes, exactly once in effect.
//
// Why it holds: a row is claimed with a lease; its database effects are idempotent (keyed by the inbox row: event
// ids derived from it, activities found by it, states that only move forward); the messages carry the row's id as
// their event id, and the cadence ignores an event id it has seen (Temporal does not dedupe signals). So a
// dispatcher that dies after messaging but before marking the row leaves a row whose lease runs out; the next
// dispatcher does it all again and nothing happens twice. Temporal being down is a transient failure: the row
// waits with backoff and is processed when it is back. A delivery that cannot be processed (its shape, or no
// contact to match) is parked with the reason until an admin replays it (`POST /v1/webhook-inbox/:id/replay`).
import { createHash } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { recordCallNote } from '../adapters/db/call-notes-repository.ts';
import { callNotesWorkflowId, type CallNotesInput } from '../workflows/call-notes/messages.ts';
import { meetingPrepWorkflowId, type MeetingPrepInput } from '../workflows/meeting-prep/messages.ts';
import type { Tx } from '../adapters/db/client.ts';
import { cadenceRepository } from '../adapters/db/cadence-repository.ts';
import { contactsRepository } from '../adapters/db/contacts-repository.ts';
import { eventLogRepository } from '../adapters/db/event-log-repository.ts';
import { applyDeliveryOutcome } from '../activities/outbound.ts';
import type { Database } from '../adapters/db/session.ts';
import { suppressionsRepository } from '../adapters/db/suppressions-repository.ts';
import { webhookInboxRepository, type InboxRow } from '../adapters/db/webhook-inbox-repository.ts';
import { ValidationError } from '../domain/errors.ts';
import type { DomainEvent } from '../domain/events.ts';
import { upsertLead } from '../adapters/db/leads-repository.ts';
import { normaliseLead } from '../domain/lead-import.ts';
import { deliveryStatusBounce, inboundProviderSchema, interpretDelivery, type InboundEvent } from '../domain/inbound-events.ts';
import { classifyReply, type ReplyClassification } from '../domain/reply-classification.ts';
import { cadenceEventSignal, type CadenceEvent } from '../workflows/follow-up-cadence/messages.ts';
import { historyChangedSignal, mailboxSyncWorkflowId, type MailboxSyncInput } from '../workflows/mailbox-sync/messages.ts';
import { createPollLoop } from './poll-loop.ts';

export interface DispatcherLogger {
  info(message: string, meta?: Record<string, unknown>): void;
  warn(message: string, meta?: Record<string, unknown>): void;
}

export interface InboxDispatcherOptions {
  db: Database;
  temporal: Client;
  logger: DispatcherLogger;
  pollMs?: number;
  /** How long a claimed row is this dispatcher's; after that another may take it. */
  leaseMs?: number;
  batchSize?: number;
  /** Where a mailbox sync workflow starts when a push finds none running. */
  taskQueue?: string;
  /** Only these organisations' deliveries (tests that share a database); all when absent. */
  orgIds?: string[];
  /** A message to Temporal that takes longer fails this pass (kept well under the lease). */
  messageDeadlineMs?: number;
  /** Test seam: runs after a row's messages were sent and before the row is marked processed. */
  afterMessages?: (row: InboxRow) => Promise<void>;
}

/** Waits between attempts of a delivery that failed for a passing reason: 1 s, 2 s, 4 s … at most a minute. */
export const retryDelayMs = (attempts: number) => Math.min(60_000, 1000 * 2 ** Math.max(0, attempts - 1));

/** Parks the row: a retry cannot help until someone fixes the cause. */
class ParkError extends Error {
  override readonly name = 'ParkError';
}

type Message =
  | { workflowId: string; event: CadenceEvent }
  /** Start a process once (a second start of the same id is a no-op): a call note's, a meeting's brief. */
  | { workflowId: string; start: { workflowType: 'callNotesWorkflow' | 'meetingPrepWorkflow'; args: [CallNotesInput | MeetingPrepInput] } }
  /** Wake (or start) a mailbox's sync workflow: signal-with-start, so a mailbox whose workflow ended starts again. */
  | { workflowId: string; mailbox: MailboxSyncInput; historyId: string };
type Plan = { outcome: string; messages: Message[] };

/** A stable uuid for the n-th event a delivery produces, so a second pass inserts nothing new. */
function derivedId(rowId: string, n: number): string {
  const hex = createHash('sha256').update(`${rowId}:${n}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

async function appendOnce(tx: Tx, event: DomainEvent) {
  const [exists] = await tx`select 1 from public.event_log where id = ${event.id}`;
  if (!exists) await eventLogRepository.append(tx, event);
}

const envelope = (row: InboxRow, n: number, occurredAtMs: number) => ({
  id: derivedId(row.id, n),
  orgId: row.orgId,
  version: 1 as const,
  occurredAt: new Date(Number.isFinite(occurredAtMs) ? occurredAtMs : Date.parse(row.receivedAt)).toISOString(),
  source: 'webhook' as const,
  actor: { type: 'system' as const, id: row.provider === 'resend' ? 'resend' : 'closeloop-hook' },
  correlationId: null,
  causationId: null,
});

/** The activity a delivery adds, once: found again by the inbox row it came from. */
async function activityOnce(tx: Tx, row: InboxRow, activity: Record<string, unknown>): Promise<string> {
  const ref = `inbox:${row.id}`;
  await tx`insert into public.activities ${tx({ ...activity, orgId: row.orgId, providerMessageId: ref })}
    on conflict (org_id, provider_message_id) where provider_message_id like 'inbox:%' do nothing`;
  const [row2] = await tx<{ id: string }[]>`select id from public.activities where org_id = ${row.orgId} and provider_message_id = ${ref}`;
  return row2!.id;
}

async function plan(tx: Tx, row: InboxRow, event: InboundEvent): Promise<Plan> {
  const eventId = `inbox:${row.id}`;
  const to = (workflowIds: string[], cadenceEvent: CadenceEvent): Message[] => workflowIds.map((workflowId) => ({ workflowId, event: cadenceEvent }));

  if (event.kind === 'ignored') return { outcome: `ignored: ${event.reason}`, messages: [] };

  if (event.kind === 'email_status') {
    const [sent] = await tx<{ messageId: string; contactId: string; toAddress: string; processWorkflowId: string; state: string }[]>`
      select m.id as message_id, m.contact_id, m.to_address, m.process_workflow_id, l.state from public.send_ledger l
      join public.outbound_messages m on m.org_id = l.org_id and m.id = l.message_id
      where l.org_id = ${row.orgId} and l.provider = 'resend' and l.provider_message_id = ${event.providerMessageId}`;
    // The Resend account may send for other systems too: an email that is not ours is not news.
    if (!sent) return { outcome: 'ignored: not an email Closeloop sent', messages: [] };
    if (event.rfcMessageId) await tx`update public.send_ledger set rfc_message_id = ${event.rfcMessageId} where org_id = ${row.orgId} and provider_message_id = ${event.providerMessageId} and rfc_message_id is null`;
    // The ledger moves forward only, and bounces and complaints feed the mailbox's breaker (it may pause the mailbox).
    let breaker = '';
    if (event.status === 'delivered' || event.status === 'bounced' || event.status === 'complained') {
      const outcome = await applyDeliveryOutcome(tx, { orgId: row.orgId, providerMessageId: event.providerMessageId, state: event.status });
      if (outcome.paused) breaker = `; mailbox paused: ${outcome.reason}`;
    }
    await appendOnce(tx, { ...envelope(row, 0, event.occurredAtMs), kind: 'email.status_changed', subject: { type: 'contact', id: sent.contactId }, data: { messageId: sent.messageId, status: event.status, bounceType: event.bounceType, inboxId: row.id } });
    let messages: Message[] = [];
    if (event.status === 'bounced' && event.bounceType === 'hard') {
      await suppressionsRepository.suppress(tx, row.orgId, sent.toAddress, 'bounced', 'resend');
      messages = to(await cadenceRepository.activeWorkflowIds(tx, row.orgId, sent.contactId), { eventId, kind: 'hard_bounce' });
    } else if (event.status === 'bounced') {
      // A soft bounce concerns the process that sent it: its next step waits a day.
      const cadences = await cadenceRepository.activeWorkflowIds(tx, row.orgId, sent.contactId);
      messages = to(cadences.filter((id) => id === sent.processWorkflowId), { eventId, kind: 'soft_bounce' });
    } else if (event.status === 'complained') {
      await suppressionsRepository.suppress(tx, row.orgId, sent.toAddress, 'complained', 'resend');
      messages = to(await cadenceRepository.activeWorkflowIds(tx, row.orgId, sent.contactId), { eventId, kind: 'complaint' });
    }
    return { outcome: `email ${event.status}${event.bounceType ? ` (${event.bounceType})` : ''}: ${messages.length} process message(s)${breaker}`, messages };
  }

  if (event.kind === 'lead_submitted') {
    const lead = normaliseLead(event.lead);
    if (!lead.ok) throw new ParkError(`the form's lead cannot be imported: ${lead.reason}`);
    const outcome = await upsertLead(tx, { orgId: row.orgId, source: 'form', batchId: null, lawfulBasis: event.lawfulBasis, lawfulBasisSource: event.lawfulBasisSource, actor: { type: 'system', id: null }, nowIso: new Date(event.occurredAtMs).toISOString() }, lead.lead);
    if (outcome.outcome === 'failed') throw new ParkError(outcome.reason);
    return { outcome: `lead ${outcome.outcome}`, messages: [] };
  }

  if (event.kind === 'call_recorded') {
    // The recorder's event id makes a second delivery find the first note.
    const noteId = derivedId(row.id, 0);
    const note = await recordCallNote(tx, {
      id: noteId, workflowId: callNotesWorkflowId(row.orgId, noteId), orgId: row.orgId, source: 'webhook', externalId: event.externalId, note: event.note,
      occurredAt: event.note.occurredAt ?? new Date(event.occurredAtMs).toISOString(), ownerMemberId: null, createdByMemberId: null,
    });
    if (!note.ok) throw new ParkError(`the call cannot be recorded: ${note.message}; fix it, then replay this delivery`);
    return { outcome: `call note ${note.created ? 'recorded' : 'already recorded'}`, messages: [{ workflowId: note.workflowId, start: { workflowType: 'callNotesWorkflow', args: [{ orgId: row.orgId, callNoteId: note.id }] } }] };
  }

  if (event.kind === 'mailbox_changed') {
    const connections = await tx<{ id: string }[]>`select id from public.mailbox_connections where org_id = ${row.orgId} and email_address = ${event.emailAddress} and status = 'connected'`;
    if (connections.length === 0) return { outcome: 'ignored: no connected mailbox with that address', messages: [] };
    const messages = connections.map((c) => ({ workflowId: mailboxSyncWorkflowId(row.orgId, c.id), mailbox: { orgId: row.orgId, connectionId: c.id }, historyId: event.historyId }));
    return { outcome: `mailbox changed up to history ${event.historyId}`, messages };
  }

  if (event.kind === 'reply_received') {
    const contact = event.contactId
      ? (await tx<{ id: string; accountId: string | null; timeZone: string | null }[]>`select id, account_id, time_zone from public.contacts where org_id = ${row.orgId} and id = ${event.contactId} and erased_at is null`)[0]
      : await contactsRepository.byAddress(tx, row.orgId, event.message.from);
    if (!contact) throw new ParkError('no contact has the sender\'s address: add the address to the right contact, then replay this delivery');
    // A delivery status notification (Gmail) says more than the text: its failed recipients and their status codes.
    const dsn = deliveryStatusBounce(event.failedRecipients ?? []);
    const classification: ReplyClassification = dsn ? { kind: 'bounce', ...dsn } : classifyReply({ ...event.message, timeZone: event.message.timeZone ?? contact.timeZone });
    const activityId = await activityOnce(tx, row, {
      kind: 'email', direction: 'inbound', occurredAt: new Date(event.occurredAtMs).toISOString(), subject: event.message.subject.slice(0, 1000) || null,
      body: event.message.text, contactId: contact.id, accountId: contact.accountId,
    });
    const returnsAtMs = classification.kind === 'out_of_office' ? classification.returnsAtMs : null;
    await appendOnce(tx, { ...envelope(row, 0, event.occurredAtMs), kind: 'reply.received', subject: { type: 'contact', id: contact.id }, data: { classification: classification.kind, returnsAt: returnsAtMs === null ? null : new Date(returnsAtMs).toISOString(), activityId, inboxId: row.id } });
    const cadences = await cadenceRepository.activeWorkflowIds(tx, row.orgId, contact.id);
    let cadenceEvent: CadenceEvent | null = null;
    switch (classification.kind) {
      case 'reply':
        cadenceEvent = { eventId, kind: 'reply' };
        break;
      case 'out_of_office':
        cadenceEvent = { eventId, kind: 'out_of_office', returnsAtMs };
        break;
      case 'bounce':
        if (classification.bounceType === 'hard') {
          const failed = (event.failedRecipients ?? []).map((f) => f.address);
          for (const address of failed.length > 0 ? failed : [event.message.from]) await suppressionsRepository.suppress(tx, row.orgId, address, 'bounced', row.provider === 'gmail' ? 'gmail' : 'inbound-hook');
        }
        cadenceEvent = { eventId, kind: classification.bounceType === 'hard' ? 'hard_bounce' : 'soft_bounce' };
        break;
      case 'unsubscribe_request':
        cadenceEvent = { eventId, kind: 'unsubscribed' };
        break;
      case 'auto_reply':
        break; // an automatic answer is not the buyer engaging: the cadence goes on
    }
    const messages = cadenceEvent ? to(cadences, cadenceEvent) : [];
    return { outcome: `reply classified ${classification.kind}: ${messages.length} process message(s)`, messages };
  }

  const contact = await contactsRepository.byAddress(tx, row.orgId, event.attendeeEmail);
  if (!contact) throw new ParkError('no contact has the attendee\'s address: add the address to the right contact, then replay this delivery');
  const endsAtMs = event.endsAtMs && event.endsAtMs > event.startsAtMs ? event.endsAtMs : event.startsAtMs + 30 * 60_000;
  const activityId = await activityOnce(tx, row, {
    kind: 'meeting', direction: 'inbound', occurredAt: new Date(event.occurredAtMs).toISOString(), subject: event.title, contactId: contact.id, accountId: contact.accountId,
    meetingStartAt: new Date(event.startsAtMs).toISOString(), meetingEndAt: new Date(endsAtMs).toISOString(), meetingStatus: 'scheduled',
  });
  await appendOnce(tx, { ...envelope(row, 0, event.occurredAtMs), kind: 'meeting.booked', subject: { type: 'contact', id: contact.id }, data: { startsAt: new Date(event.startsAtMs).toISOString(), activityId, inboxId: row.id } });
  const messages: Message[] = to(await cadenceRepository.activeWorkflowIds(tx, row.orgId, contact.id), { eventId, kind: 'meeting_booked' });
  // Its prep brief, before it starts.
  messages.push({ workflowId: meetingPrepWorkflowId(row.orgId, activityId), start: { workflowType: 'meetingPrepWorkflow', args: [{ orgId: row.orgId, activityId }] } });
  return { outcome: `meeting booked: ${messages.length} process message(s)`, messages };
}

export function createInboxDispatcher(options: InboxDispatcherOptions) {
  const { db, temporal, logger } = options;
  const pollMs = options.pollMs ?? 1000;
  const leaseMs = options.leaseMs ?? 30_000;
  const batchSize = options.batchSize ?? 20;
  const taskQueue = options.taskQueue ?? 'closeloop-processes';
  const messageDeadlineMs = options.messageDeadlineMs ?? Math.min(10_000, leaseMs / 3);

  async function handle(row: InboxRow): Promise<'processed' | 'parked'> {
    let result: Plan;
    try {
      const known = inboundProviderSchema.safeParse(row.provider);
      if (!known.success) throw new ParkError(`unknown provider ${JSON.stringify(row.provider)}`);
      const provider = known.data;
      let body: unknown;
      try {
        body = JSON.parse(row.body);
      } catch {
        throw new ParkError('the stored body is not JSON');
      }
      const event = interpretDelivery(provider, body, Date.parse(row.receivedAt));
      result = await db.asService((tx) => plan(tx, row, event));
    } catch (err) {
      if (err instanceof ParkError || err instanceof ValidationError) {
        await db.asService((tx) => webhookInboxRepository.park(tx, row.id, err.message));
        logger.warn('Webhook delivery parked', { deliveryId: row.id, provider: row.provider, reason: err.message });
        return 'parked';
      }
      throw err;
    }
    for (const message of result.messages) {
      try {
        if ('start' in message) {
          try {
            await temporal.withDeadline(Date.now() + messageDeadlineMs, () => temporal.workflow.start(message.start.workflowType, { workflowId: message.workflowId, taskQueue, args: message.start.args }));
          } catch (err) {
            if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err; // started by an earlier pass
          }
        } else if ('mailbox' in message) {
          await temporal.withDeadline(Date.now() + messageDeadlineMs, () => temporal.workflow.signalWithStart('mailboxSyncWorkflow', {
            workflowId: message.workflowId, taskQueue, args: [message.mailbox], signal: historyChangedSignal, signalArgs: [{ historyId: message.historyId }],
          }));
        } else {
          const cadence = temporal.workflow.getHandle(message.workflowId);
          await temporal.withDeadline(Date.now() + messageDeadlineMs, () => cadence.signal(cadenceEventSignal, message.event));
        }
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) continue; // that process ended meanwhile: nothing left to tell
        throw err;
      }
    }
    await options.afterMessages?.(row);
    await db.asService((tx) => webhookInboxRepository.markProcessed(tx, row.id, result.outcome));
    return 'processed';
  }

  /** Claims and handles one batch of due deliveries. */
  async function runOnce(): Promise<{ processed: number; parked: number; retried: number }> {
    const rows = await db.asService((tx) => webhookInboxRepository.claim(tx, batchSize, leaseMs, options.orgIds));
    const counts = { processed: 0, parked: 0, retried: 0 };
    for (const [index, row] of rows.entries()) {
      try {
        counts[await handle(row)] += 1;
      } catch (err) {
        const error = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
        await db.asService((tx) => webhookInboxRepository.retryLater(tx, row.id, error, retryDelayMs(row.attempts)));
        logger.warn('Webhook delivery will be retried', { deliveryId: row.id, attempts: row.attempts, error });
        counts.retried += 1;
        // A passing failure (Temporal or the database away) would hit the rest of the batch too: hand them back
        // now rather than hold their leases through one timeout each.
        for (const rest of rows.slice(index + 1)) {
          await db.asService((tx) => webhookInboxRepository.retryLater(tx, rest.id, `not tried: ${error}`, retryDelayMs(rest.attempts)));
          counts.retried += 1;
        }
        break;
      }
    }
    return counts;
  }

  const poll = createPollLoop({
    pass: async () => {
      const counts = await runOnce();
      return counts.processed + counts.parked + counts.retried === batchSize;
    },
    pollMs,
    onError: (err) => logger.warn('Webhook dispatcher pass failed', { error: err instanceof Error ? err.message : String(err) }),
  });

  return {
    runOnce,
    /** Polls until stopped; `wake()` skips the rest of a wait. */
    start: poll.start,
    wake: poll.wake,
    stop: poll.stop,
  };
}

export type InboxDispatcher = ReturnType<typeof createInboxDispatcher>;
