// Domain events: one envelope, one `data` shape per kind. The event log is append-only and must survive a
// privacy erasure, so events carry ids and small facts only — never names, addresses, phone numbers or free
// text about a person. Every free string is therefore an identifier-like token, and every `data` is strict.
import { z } from 'zod';
import { ValidationError } from './errors.ts';
import {
  activityDirectionSchema,
  activityKindSchema,
  contactSchema,
  dealStageSchema,
  stakeholderRoleSchema,
  suppressionReasonSchema,
  taskKindSchema,
} from './objects.ts';

const id = z.uuid();
const timestamp = z.iso.datetime({ offset: true });

// Ids, workflow ids ("follow-up:<org>:<contact>:<playbook>"), step names, outcomes: no spaces, no '@'.
const tokenPattern = /^[A-Za-z0-9][A-Za-z0-9_.:/-]*$/;
export const eventTokenSchema = z
  .string()
  .min(1)
  .max(255)
  .refine((value) => !value.includes('@'), { message: 'must not hold an email address: events carry ids only', abort: true })
  .regex(tokenPattern, { message: 'must be an identifier-like token (letters, digits, _ . : / -), not free text' });

export const eventSources = ['api', 'worker', 'webhook', 'system'] as const;
export const actorTypes = ['member', 'api_key', 'system', 'ai'] as const;
export const subjectTypes = [
  'organisation',
  'member',
  'account',
  'contact',
  'deal',
  'stakeholder',
  'activity',
  'task',
  'signal',
  'document',
  'suppression',
  'process',
] as const;
export const subjectTypeSchema = z.enum(subjectTypes);
export type SubjectType = z.infer<typeof subjectTypeSchema>;

export const actorSchema = z
  .strictObject({ type: z.enum(actorTypes), id: eventTokenSchema.nullable() })
  .superRefine((actor, ctx) => {
    if (actor.type === 'member' && !id.safeParse(actor.id).success) {
      ctx.addIssue({ code: 'custom', path: ['id'], message: 'a member actor is identified by its member id (uuid)' });
    }
  });
export type Actor = z.infer<typeof actorSchema>;

// Object events are about the object their kind names, identified by its uuid.
const objectSubject = <T extends Exclude<SubjectType, 'process'>>(type: T) => z.strictObject({ type: z.literal(type), id });

// A process may be about any subject (itself, a contact, a deal); only a process is named by a non-uuid id.
const processSubject = z.strictObject({ type: subjectTypeSchema, id: eventTokenSchema }).superRefine((subject, ctx) => {
  if (subject.type !== 'process' && !id.safeParse(subject.id).success) {
    ctx.addIssue({ code: 'custom', path: ['id'], message: `a ${subject.type} subject is identified by its uuid` });
  }
});

const envelope = z.strictObject({
  id,
  orgId: id,
  version: z.literal(1),
  occurredAt: timestamp,
  source: z.enum(eventSources),
  actor: actorSchema,
  correlationId: eventTokenSchema.nullable(),
  causationId: id.nullable(),
});

const event = <K extends string, S extends z.ZodType, D extends z.ZodType>(kind: K, subject: S, data: D) =>
  envelope.extend({ kind: z.literal(kind), subject, data });

// The fields an update can touch; ids and timestamps are not news.
const contactUpdatableFields = contactSchema.keyof().exclude(['id', 'orgId', 'createdAt', 'updatedAt']);

const workflowId = eventTokenSchema;

export const eventKinds = [
  'contact.created',
  'contact.updated',
  'contact.erased',
  'account.created',
  'deal.created',
  'deal.stage_changed',
  'stakeholder.added',
  'activity.logged',
  'task.created',
  'task.completed',
  'suppression.added',
  'process.started',
  'process.step_changed',
  'process.ended',
  'email.status_changed',
  'reply.received',
  'meeting.booked',
] as const;
export const eventKindSchema = z.enum(eventKinds);
export type EventKind = z.infer<typeof eventKindSchema>;

export const domainEventSchema = z.discriminatedUnion('kind', [
  event('contact.created', objectSubject('contact'), z.strictObject({ accountId: id.nullable() })),
  event(
    'contact.updated',
    objectSubject('contact'),
    z.strictObject({
      fields: z
        .array(contactUpdatableFields)
        .min(1)
        .refine((fields) => new Set(fields).size === fields.length, { message: 'fields must not repeat' }),
    }),
  ),
  event('contact.erased', objectSubject('contact'), z.strictObject({ suppressionId: id.nullable() })),
  event('account.created', objectSubject('account'), z.strictObject({})),
  event('deal.created', objectSubject('deal'), z.strictObject({ accountId: id, stage: dealStageSchema })),
  event(
    'deal.stage_changed',
    objectSubject('deal'),
    z.strictObject({ from: dealStageSchema, to: dealStageSchema }).superRefine((change, ctx) => {
      if (change.from === change.to) ctx.addIssue({ code: 'custom', path: ['to'], message: `to must differ from from (both '${change.to}')` });
    }),
  ),
  event('stakeholder.added', objectSubject('stakeholder'), z.strictObject({ dealId: id, contactId: id, role: stakeholderRoleSchema })),
  event(
    'activity.logged',
    objectSubject('activity'),
    z.strictObject({
      activityKind: activityKindSchema,
      direction: activityDirectionSchema,
      contactId: id.nullable(),
      dealId: id.nullable(),
    }),
  ),
  event('task.created', objectSubject('task'), z.strictObject({ taskKind: taskKindSchema, dueAt: timestamp.nullable(), ownerMemberId: id })),
  event('task.completed', objectSubject('task'), z.strictObject({})),
  event('suppression.added', objectSubject('suppression'), z.strictObject({ reason: suppressionReasonSchema })),
  event('process.started', processSubject, z.strictObject({ workflowId, processKind: eventTokenSchema })),
  event(
    'process.step_changed',
    processSubject,
    z.strictObject({
      workflowId,
      runSeq: z.int().min(1),
      stepSeq: z.int().min(0),
      step: eventTokenSchema,
      waitingOn: eventTokenSchema.nullable(),
    }),
  ),
  event('process.ended', processSubject, z.strictObject({ workflowId, outcome: eventTokenSchema })),
  // From the webhook inbox (#7): what the email provider reported about one of our emails.
  event(
    'email.status_changed',
    objectSubject('contact'),
    z.strictObject({
      messageId: id,
      status: z.enum(['delivered', 'bounced', 'complained', 'opened', 'clicked']),
      bounceType: z.enum(['hard', 'soft']).nullable(),
      inboxId: id,
    }),
  ),
  // An inbound email from a contact, as the reply classifier read it; its text is an activity, not an event.
  event(
    'reply.received',
    objectSubject('contact'),
    z.strictObject({
      classification: z.enum(['reply', 'out_of_office', 'auto_reply', 'bounce', 'unsubscribe_request']),
      returnsAt: timestamp.nullable(),
      activityId: id,
      inboxId: id,
    }),
  ),
  event('meeting.booked', objectSubject('contact'), z.strictObject({ startsAt: timestamp, activityId: id, inboxId: id })),
]);
export type DomainEvent = z.infer<typeof domainEventSchema>;
export type DomainEventOf<K extends EventKind> = Extract<DomainEvent, { kind: K }>;

// The list and the union must name the same kinds.
type SameKinds = [EventKind] extends [DomainEvent['kind']] ? ([DomainEvent['kind']] extends [EventKind] ? true : never) : never;
const _sameKinds: SameKinds = true;

const knownKinds: ReadonlySet<string> = new Set(eventKinds);

export const parseDomainEvent = (input: unknown): DomainEvent => {
  const kind = typeof input === 'object' && input !== null && 'kind' in input ? input.kind : undefined;
  if (typeof kind !== 'string' || !knownKinds.has(kind)) {
    const shown = kind === undefined ? 'missing' : JSON.stringify(kind);
    throw new ValidationError(`Unknown event kind (${shown}) at kind; expected one of: ${eventKinds.join(', ')}`);
  }
  const result = domainEventSchema.safeParse(input);
  if (!result.success) throw new ValidationError(`Invalid '${kind}' event:\n${z.prettifyError(result.error)}`);
  return result.data;
};

// One valid event per kind, for tests and docs.
const ids = {
  org: '3f1c9a52-6a0e-4b8e-9d3a-1f2e4c5b6a70',
  member: '8b2d4e61-7c3f-4a9b-8e1d-2c3b4a5f6e71',
  account: '5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c72',
  contact: '1e2d3c4b-5a69-4788-9a6b-5c4d3e2f1a73',
  deal: '9c8b7a6f-5e4d-4c3b-a21f-0e9d8c7b6a74',
  stakeholder: '2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d75',
  activity: '7f6e5d4c-3b2a-4190-8f7e-6d5c4b3a2f76',
  task: '4d5e6f7a-8b9c-4d0e-bf1a-2b3c4d5e6f77',
  suppression: '6c7d8e9f-0a1b-4c2d-8e3f-4a5b6c7d8e78',
} as const;

const base = (n: number, occurredAt: string) => ({
  id: `0b1c2d3e-4f5a-4b6c-9d7e-${n.toString(16).padStart(12, '0')}`,
  orgId: ids.org,
  version: 1 as const,
  occurredAt,
  source: 'api' as const,
  actor: { type: 'member' as const, id: ids.member },
  correlationId: 'req-7d3f2a',
  causationId: null,
});

const workflowExampleId = `follow-up:${ids.org}:${ids.contact}:intro-3-touch`;

export const examples: { readonly [K in EventKind]: DomainEventOf<K> } = {
  'contact.created': {
    ...base(1, '2025-03-03T09:00:00.000Z'),
    kind: 'contact.created',
    subject: { type: 'contact', id: ids.contact },
    data: { accountId: ids.account },
  },
  'contact.updated': {
    ...base(2, '2025-03-03T09:05:00.000Z'),
    kind: 'contact.updated',
    subject: { type: 'contact', id: ids.contact },
    data: { fields: ['title', 'phoneE164'] },
  },
  'contact.erased': {
    ...base(3, '2025-06-01T12:00:00+02:00'),
    kind: 'contact.erased',
    subject: { type: 'contact', id: ids.contact },
    data: { suppressionId: ids.suppression },
  },
  'account.created': {
    ...base(4, '2025-03-03T08:59:00.000Z'),
    kind: 'account.created',
    subject: { type: 'account', id: ids.account },
    data: {},
  },
  'deal.created': {
    ...base(5, '2025-03-04T10:00:00.000Z'),
    kind: 'deal.created',
    subject: { type: 'deal', id: ids.deal },
    data: { accountId: ids.account, stage: 'discovery' },
  },
  'deal.stage_changed': {
    ...base(6, '2025-03-18T15:30:00.000Z'),
    kind: 'deal.stage_changed',
    subject: { type: 'deal', id: ids.deal },
    data: { from: 'discovery', to: 'demo' },
  },
  'stakeholder.added': {
    ...base(7, '2025-03-04T10:02:00.000Z'),
    kind: 'stakeholder.added',
    subject: { type: 'stakeholder', id: ids.stakeholder },
    data: { dealId: ids.deal, contactId: ids.contact, role: 'champion' },
  },
  'activity.logged': {
    ...base(8, '2025-03-05T11:00:00.000Z'),
    source: 'webhook',
    actor: { type: 'system', id: null },
    kind: 'activity.logged',
    subject: { type: 'activity', id: ids.activity },
    data: { activityKind: 'email', direction: 'inbound', contactId: ids.contact, dealId: ids.deal },
  },
  'task.created': {
    ...base(9, '2025-03-05T11:00:05.000Z'),
    source: 'worker',
    actor: { type: 'ai', id: 'reply-triage' },
    causationId: '0b1c2d3e-4f5a-4b6c-9d7e-000000000008',
    kind: 'task.created',
    subject: { type: 'task', id: ids.task },
    data: { taskKind: 'follow_up', dueAt: '2025-03-06T09:00:00.000Z', ownerMemberId: ids.member },
  },
  'task.completed': {
    ...base(10, '2025-03-06T08:45:00.000Z'),
    kind: 'task.completed',
    subject: { type: 'task', id: ids.task },
    data: {},
  },
  'suppression.added': {
    ...base(11, '2025-06-01T10:00:00.000Z'),
    source: 'system',
    actor: { type: 'system', id: null },
    kind: 'suppression.added',
    subject: { type: 'suppression', id: ids.suppression },
    data: { reason: 'erased' },
  },
  'process.started': {
    ...base(12, '2025-03-03T09:00:01.000Z'),
    source: 'worker',
    actor: { type: 'system', id: null },
    kind: 'process.started',
    subject: { type: 'process', id: workflowExampleId },
    data: { workflowId: workflowExampleId, processKind: 'follow-up' },
  },
  'process.step_changed': {
    ...base(13, '2025-03-03T09:00:02.000Z'),
    source: 'worker',
    actor: { type: 'system', id: null },
    kind: 'process.step_changed',
    subject: { type: 'contact', id: ids.contact },
    data: { workflowId: workflowExampleId, runSeq: 1, stepSeq: 0, step: 'await_approval', waitingOn: 'approval' },
  },
  'process.ended': {
    ...base(14, '2025-03-10T09:00:00.000Z'),
    source: 'worker',
    actor: { type: 'system', id: null },
    kind: 'process.ended',
    subject: { type: 'process', id: workflowExampleId },
    data: { workflowId: workflowExampleId, outcome: 'replied' },
  },
  'email.status_changed': {
    ...base(15, '2025-03-05T09:01:00.000Z'),
    source: 'webhook',
    actor: { type: 'system', id: 'resend' },
    kind: 'email.status_changed',
    subject: { type: 'contact', id: ids.contact },
    data: { messageId: ids.activity, status: 'bounced', bounceType: 'hard', inboxId: ids.task },
  },
  'reply.received': {
    ...base(16, '2025-03-06T14:20:00.000Z'),
    source: 'webhook',
    actor: { type: 'system', id: 'closeloop-hook' },
    kind: 'reply.received',
    subject: { type: 'contact', id: ids.contact },
    data: { classification: 'out_of_office', returnsAt: '2025-03-17T09:00:00.000Z', activityId: ids.activity, inboxId: ids.task },
  },
  'meeting.booked': {
    ...base(17, '2025-03-07T11:00:00.000Z'),
    source: 'webhook',
    actor: { type: 'system', id: 'closeloop-hook' },
    kind: 'meeting.booked',
    subject: { type: 'contact', id: ids.contact },
    data: { startsAt: '2025-03-12T15:00:00.000Z', activityId: ids.activity, inboxId: ids.task },
  },
};
