// Inbound webhook deliveries in domain terms: the payloads Closeloop accepts (Resend's email events, and its own
// signed "reply received" and "meeting booked" hooks, documented in docs/04-specs/webhooks.md), and what each one
// means once verified. Pure: the receiving route validates with these schemas, the dispatcher interprets stored
// bodies with `interpretDelivery`, and a body that cannot be interpreted is a ValidationError (the row is parked).
import { z } from 'zod';
import { ValidationError } from './errors.ts';
import { callNoteIntakeSchema, type CallNoteIntake } from './call-note-intake.ts';
import { leadFieldSchema } from './lead-import.ts';
import { emailSchema, lawfulBasisSchema, timeZoneSchema } from './objects.ts';
import { inboundMessageSchema, type InboundMessage } from './reply-classification.ts';

export const inboundProviderSchema = z.enum(['resend', 'closeloop', 'gmail', 'gmail-push']);
export type InboundProvider = z.infer<typeof inboundProviderSchema>;

const timestamp = z.iso.datetime({ offset: true });
const eventId = z.string().min(1).max(200).regex(/^[\x21-\x7e]+$/, { message: 'must be printable ASCII without spaces' });

/** Closeloop's generic hook: an email a contact sent, from an inbox other than Gmail (a help desk, an IMAP relay). */
export const replyReceivedHookSchema = z.strictObject({
  id: eventId,
  type: z.literal('reply.received'),
  occurredAt: timestamp,
  data: z.strictObject({
    from: emailSchema,
    to: z.array(emailSchema).max(50).default([]),
    subject: z.string().max(1000).default(''),
    text: z.string().max(200_000),
    /** Header names in any case: Auto-Submitted, X-Autoreply, In-Reply-To, Date… (they help the classifier). */
    headers: z.record(z.string().max(200), z.string().max(10_000)).default({}),
    /** The sender's IANA zone when the inbox knows it: return dates in an out-of-office are read in it. */
    fromTimeZone: timeZoneSchema.nullable().default(null),
  }),
});

/** Closeloop's generic hook: a scheduler (Cal.com, Calendly via a relay…) booked a meeting with a contact. */
export const meetingBookedHookSchema = z.strictObject({
  id: eventId,
  type: z.literal('meeting.booked'),
  occurredAt: timestamp,
  data: z.strictObject({
    attendeeEmail: emailSchema,
    startsAt: timestamp,
    endsAt: timestamp.nullable().default(null),
    title: z.string().max(300).nullable().default(null),
  }),
});

/** Closeloop's generic hook: a web form (the organisation's site, a landing page) collected a lead. */
export const leadSubmittedHookSchema = z.strictObject({
  id: eventId,
  type: z.literal('lead.submitted'),
  occurredAt: timestamp,
  data: z.strictObject({
    lead: z.partialRecord(leadFieldSchema, z.string().max(500)),
    /** What the person agreed to on the form (e.g. "consent"), and where (the form's name or URL). */
    lawfulBasis: lawfulBasisSchema,
    lawfulBasisSource: z.string().min(1).max(300),
  }),
});

/** Closeloop's generic hook: a call recorder (or a notes tool) has the notes or transcript of a call. */
export const callRecordedHookSchema = z.strictObject({
  id: eventId,
  type: z.literal('call.recorded'),
  occurredAt: timestamp,
  data: callNoteIntakeSchema,
});

export const closeloopHookSchema = z.discriminatedUnion('type', [replyReceivedHookSchema, meetingBookedHookSchema, leadSubmittedHookSchema, callRecordedHookSchema]);
export type CloseloopHook = z.infer<typeof closeloopHookSchema>;

// Resend's email events (only the fields used; Resend adds fields over time, so the rest passes).
const resendEmailData = z.looseObject({
  email_id: z.string().min(1).max(200),
  to: z.array(z.string()).default([]),
  message_id: z.string().max(998).optional(),
});
const resendEventSchema = z.looseObject({ type: z.string().min(1).max(100), created_at: timestamp, data: z.looseObject({}) });
const resendBounceSchema = z.looseObject({ bounce: z.looseObject({ type: z.string().min(1), subType: z.string().optional(), message: z.string().optional() }) });

// Stored by the mailbox sync (#8) for a Gmail message it matched to a contact: the parsed message, not the raw one.
export const gmailMessageDeliverySchema = z.strictObject({
  type: z.literal('gmail.message'),
  connectionId: z.uuid(),
  contactId: z.uuid(),
  gmailMessageId: z.string().min(1).max(200),
  threadId: z.string().min(1).max(200),
  message: inboundMessageSchema,
  failedRecipients: z.array(z.object({ address: z.string(), status: z.string().nullable() })).default([]),
});
export type GmailMessageDelivery = z.infer<typeof gmailMessageDeliverySchema>;

// A verified Pub/Sub push, stored per organisation whose connected mailbox it names.
export const gmailPushDeliverySchema = z.strictObject({ type: z.literal('gmail.push'), emailAddress: emailSchema, historyId: z.string().regex(/^\d+$/) });

export type InboundEvent =
  | {
      kind: 'email_status';
      providerMessageId: string;
      status: 'delivered' | 'bounced' | 'complained' | 'opened' | 'clicked';
      bounceType: 'hard' | 'soft' | null;
      /** The Message-ID header the provider used, when it reports it (threads later follow-ups). */
      rfcMessageId: string | null;
      occurredAtMs: number;
    }
  | {
      kind: 'reply_received';
      message: InboundMessage;
      occurredAtMs: number;
      /** Set when the sender was matched already (Gmail: by thread or In-Reply-To, e.g. a colleague's reply). */
      contactId?: string;
      /** A delivery status notification's failed recipients (Gmail): makes it a bounce, hard for 5.x.x. */
      failedRecipients?: Array<{ address: string; status: string | null }>;
    }
  | { kind: 'mailbox_changed'; emailAddress: string; historyId: string }
  | { kind: 'lead_submitted'; lead: Partial<Record<string, string>>; lawfulBasis: 'consent' | 'legitimate_interest' | 'contract' | 'none'; lawfulBasisSource: string; occurredAtMs: number }
  | { kind: 'call_recorded'; externalId: string; note: CallNoteIntake; occurredAtMs: number }
  | { kind: 'meeting_booked'; attendeeEmail: string; startsAtMs: number; endsAtMs: number | null; title: string | null; occurredAtMs: number }
  | { kind: 'ignored'; reason: string };

const resendStatuses: Partial<Record<string, Extract<InboundEvent, { kind: 'email_status' }>['status']>> = {
  'email.delivered': 'delivered',
  'email.bounced': 'bounced',
  'email.complained': 'complained',
  'email.opened': 'opened',
  'email.clicked': 'clicked',
};

function parse<T>(schema: z.ZodType<T>, body: unknown, what: string): T {
  const result = schema.safeParse(body);
  if (!result.success) throw new ValidationError(`Invalid ${what}:\n${z.prettifyError(result.error)}`);
  return result.data;
}

/**
 * What Gmail adds to the reply classifier: a delivery status notification names its failed recipients with a status
 * code, and 5.x.x is permanent (hard), 4.x.x transient (soft). Without one, the classifier decides.
 */
export function deliveryStatusBounce(failed: Array<{ status: string | null }>): { bounceType: 'hard' | 'soft'; evidence: string } | null {
  if (failed.length === 0) return null;
  const hard = failed.find((f) => f.status?.trim().startsWith('5'));
  const status = (hard ?? failed[0]!).status ?? 'unknown';
  return { bounceType: hard || !failed.some((f) => f.status?.trim().startsWith('4')) ? 'hard' : 'soft', evidence: `Status: ${status}` };
}

/** Resend's bounce types (from SES): Permanent is a hard bounce; Transient and Undetermined may pass later. */
export function resendBounceType(type: string): 'hard' | 'soft' {
  return type.toLowerCase() === 'permanent' ? 'hard' : 'soft';
}

/** What a stored, verified delivery means. `body` is the parsed JSON; `receivedAtMs` stands in for a missing time. */
export function interpretDelivery(provider: InboundProvider, body: unknown, receivedAtMs: number): InboundEvent {
  if (provider === 'resend') {
    const event = parse(resendEventSchema, body, 'Resend event');
    const status = resendStatuses[event.type];
    // email.sent, email.delivery_delayed, domain and contact events… are not news for a process.
    if (!status) return { kind: 'ignored', reason: `Resend event ${event.type} is not used` };
    const data = parse(resendEmailData, event.data, `Resend ${event.type} data`);
    const bounce = status === 'bounced' ? parse(resendBounceSchema, event.data, 'Resend bounce').bounce : null;
    return {
      kind: 'email_status',
      providerMessageId: data.email_id,
      status,
      bounceType: bounce ? resendBounceType(bounce.type) : null,
      rfcMessageId: data.message_id?.trim() || null,
      occurredAtMs: Date.parse(event.created_at),
    };
  }
  if (provider === 'gmail') {
    const delivery = parse(gmailMessageDeliverySchema, body, 'Gmail message');
    return { kind: 'reply_received', message: delivery.message, occurredAtMs: delivery.message.receivedAtMs, contactId: delivery.contactId, failedRecipients: delivery.failedRecipients };
  }
  if (provider === 'gmail-push') {
    const push = parse(gmailPushDeliverySchema, body, 'Gmail push');
    return { kind: 'mailbox_changed', emailAddress: push.emailAddress.toLowerCase(), historyId: push.historyId };
  }
  const hook = parse(closeloopHookSchema, body, 'Closeloop hook');
  if (hook.type === 'lead.submitted') {
    return { kind: 'lead_submitted', lead: hook.data.lead, lawfulBasis: hook.data.lawfulBasis, lawfulBasisSource: hook.data.lawfulBasisSource, occurredAtMs: Date.parse(hook.occurredAt) };
  }
  if (hook.type === 'call.recorded') {
    return { kind: 'call_recorded', externalId: hook.id, note: { ...hook.data, occurredAt: hook.data.occurredAt ?? hook.occurredAt }, occurredAtMs: Date.parse(hook.occurredAt) };
  }
  if (hook.type === 'reply.received') {
    const occurredAtMs = Date.parse(hook.occurredAt);
    return {
      kind: 'reply_received',
      occurredAtMs,
      message: { headers: hook.data.headers, subject: hook.data.subject, text: hook.data.text, from: hook.data.from, receivedAtMs: occurredAtMs || receivedAtMs, timeZone: hook.data.fromTimeZone },
    };
  }
  return {
    kind: 'meeting_booked',
    attendeeEmail: hook.data.attendeeEmail,
    startsAtMs: Date.parse(hook.data.startsAt),
    endsAtMs: hook.data.endsAt ? Date.parse(hook.data.endsAt) : null,
    title: hook.data.title,
    occurredAtMs: Date.parse(hook.occurredAt),
  };
}
