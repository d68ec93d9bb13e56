// The canonical sales objects. Field names mirror the SQL tables (snake_case there, camelCase here), so fields
// are never added or renamed here alone. Each writable object also has a create-input schema for the API: it
// leaves out what the server assigns (ids, org, timestamps) and fills sensible defaults.
import { z } from 'zod';

// ---------------------------------------------------------------------------------------------------------
// Shared formats

const id = z.uuid();
const timestamp = z.iso.datetime({ offset: true });

// Intl lists canonical zones only: it leaves out 'UTC', which people (and Postgres) use all the time, and names
// like Asia/Kolkata or Europe/Kyiv whose list entries are the older Asia/Calcutta and Europe/Kiev. A name of the
// Area/Location shape that Intl can format in counts too.
const ianaTimeZones: ReadonlySet<string> = new Set([...Intl.supportedValuesOf('timeZone'), 'UTC']);
const zoneName = /^[A-Z][A-Za-z_]+(?:\/[A-Za-z0-9_+-]+){1,2}$/;
function isTimeZone(zone: string): boolean {
  if (ianaTimeZones.has(zone)) return true;
  if (!zoneName.test(zone)) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
export const timeZoneSchema = z.string().refine(isTimeZone, { message: 'must be an IANA time zone, e.g. "Europe/Berlin" or "UTC"' });

export const emailSchema = z.email().max(254);
const lowercaseEmail = emailSchema.refine((email) => email === email.toLowerCase(), { message: 'must be lowercase' });
// Input side only: people paste addresses with capitals and stray spaces.
const normalisedEmail = z.string().trim().toLowerCase().pipe(emailSchema);

const hostnamePattern = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$/;
export const domainNameSchema = z
  .string()
  .regex(hostnamePattern, { message: 'must be a lowercase hostname without scheme or path, e.g. "northwind.com"' });

export const e164Schema = z.string().regex(/^\+[1-9]\d{6,14}$/, { message: 'must be an E.164 number, e.g. "+14155550123"' });
export const countryCodeSchema = z.string().regex(/^[A-Z]{2}$/, { message: 'must be an ISO 3166-1 alpha-2 code, e.g. "DE"' });
export const currencySchema = z.string().regex(/^[A-Z]{3}$/, { message: 'must be an ISO 4217 code, e.g. "EUR"' });
export const addressHashSchema = z.string().regex(/^[0-9a-f]{64}$/, { message: 'must be 64 lowercase hex characters' });

const name = z.string().min(1).max(200);
const shortText = z.string().max(500);

// ---------------------------------------------------------------------------------------------------------
// Enums

export const approvalPolicySchema = z.enum(['require_approval', 'auto_send_templates']);
export const memberRoleSchema = z.enum(['rep', 'manager', 'admin']);
export const memberStatusSchema = z.enum(['active', 'invited', 'removed']);
export const sizeBandSchema = z.enum(['1-10', '11-50', '51-200', '201-1000', '1001-5000', '5001+']);
export const lawfulBasisSchema = z.enum(['consent', 'legitimate_interest', 'contract', 'none']);
export const dealStageSchema = z.enum(['discovery', 'qualification', 'demo', 'proposal', 'negotiation', 'closed_won', 'closed_lost']);
export const stakeholderRoleSchema = z.enum(['champion', 'economic_buyer', 'decision_maker', 'approver', 'blocker', 'influencer', 'user']);
export const influenceSchema = z.enum(['low', 'medium', 'high']);
export const sentimentSchema = z.enum(['positive', 'neutral', 'negative', 'unknown']);
export const activityKindSchema = z.enum(['email', 'call', 'meeting', 'note']);
export const activityDirectionSchema = z.enum(['inbound', 'outbound', 'internal']);
export const meetingStatusSchema = z.enum(['scheduled', 'held', 'no_show', 'cancelled']);
export const taskKindSchema = z.enum(['call', 'email', 'linkedin', 'follow_up', 'fix_address', 'review', 'custom']);
export const taskStatusSchema = z.enum(['open', 'done', 'cancelled']);
export const taskSourceSchema = z.enum(['manual', 'process', 'call_notes', 'import']);
export const signalKindSchema = z.enum(['hiring', 'funding', 'tech_change', 'intent', 'news', 'other']);
export const documentKindSchema = z.enum(['nda', 'sla', 'msa', 'security_questionnaire', 'proposal', 'brief', 'import', 'other']);
export const documentStatusSchema = z.enum(['draft', 'sent', 'in_review', 'signed', 'rejected', 'archived']);
export const suppressionReasonSchema = z.enum(['unsubscribed', 'bounced', 'complained', 'erased', 'manual']);

// ---------------------------------------------------------------------------------------------------------
// Organisation

export const organisationSchema = z.object({
  id,
  name,
  timeZone: timeZoneSchema,
  postalAddress: z.string().max(500).nullable(),
  defaultApprovalPolicy: approvalPolicySchema,
  dailySendCap: z.int().min(1).max(10_000),
  perMinuteSendCap: z.int().min(1).max(600),
  pauseAllSending: z.boolean(),
  createdAt: timestamp,
  updatedAt: timestamp,
});
export type Organisation = z.infer<typeof organisationSchema>;

// ---------------------------------------------------------------------------------------------------------
// Member

export const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export const weekdaySchema = z.enum(weekdays);

const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'must be a 24-hour time "HH:MM"' });

// Zero-padded "HH:MM" strings order the same way as the times they name.
export const workingIntervalSchema = z
  .strictObject({ start: clockTime, end: clockTime })
  .superRefine((interval, ctx) => {
    if (interval.start >= interval.end) {
      ctx.addIssue({ code: 'custom', path: ['end'], message: `end (${interval.end}) must be after start (${interval.start})` });
    }
  });

const dayIntervals = z.array(workingIntervalSchema).superRefine((intervals, ctx) => {
  const sorted = intervals.map((interval, index) => ({ ...interval, index })).sort((a, b) => a.start.localeCompare(b.start));
  for (let i = 1; i < sorted.length; i += 1) {
    const previous = sorted[i - 1];
    const current = sorted[i];
    if (previous && current && current.start < previous.end) {
      ctx.addIssue({ code: 'custom', path: [current.index, 'start'], message: 'working-hour intervals of one day must not overlap' });
    }
  }
});

export const workingHoursSchema = z.strictObject({
  mon: dayIntervals.optional(),
  tue: dayIntervals.optional(),
  wed: dayIntervals.optional(),
  thu: dayIntervals.optional(),
  fri: dayIntervals.optional(),
  sat: dayIntervals.optional(),
  sun: dayIntervals.optional(),
});
export type WorkingHours = z.infer<typeof workingHoursSchema>;

export const memberSchema = z.object({
  id,
  orgId: id,
  userId: id,
  displayName: name,
  email: emailSchema,
  role: memberRoleSchema,
  timeZone: timeZoneSchema,
  workingHours: workingHoursSchema,
  fromName: name.nullable(),
  fromAddress: emailSchema.nullable(),
  replyTo: emailSchema.nullable(),
  status: memberStatusSchema,
  createdAt: timestamp,
});
export type Member = z.infer<typeof memberSchema>;

// ---------------------------------------------------------------------------------------------------------
// Account

const accountFields = {
  name,
  domain: domainNameSchema.nullable(),
  industry: name.nullable(),
  sizeBand: sizeBandSchema.nullable(),
  ownerMemberId: id.nullable(),
};

export const accountSchema = z.object({ id, orgId: id, ...accountFields, createdAt: timestamp, updatedAt: timestamp });
export type Account = z.infer<typeof accountSchema>;

export const accountCreateSchema = z.strictObject({
  ...accountFields,
  domain: z.string().trim().toLowerCase().pipe(domainNameSchema).nullable().default(null),
  industry: accountFields.industry.default(null),
  sizeBand: accountFields.sizeBand.default(null),
  ownerMemberId: accountFields.ownerMemberId.default(null),
});
export type AccountCreate = z.infer<typeof accountCreateSchema>;

// ---------------------------------------------------------------------------------------------------------
// Contact

const contactFields = {
  accountId: id.nullable(),
  firstName: name.nullable(),
  lastName: name.nullable(),
  title: name.nullable(),
  emails: z.array(lowercaseEmail).max(10),
  phoneE164: e164Schema.nullable(),
  timeZone: timeZoneSchema.nullable(),
  country: countryCodeSchema.nullable(),
  lawfulBasis: lawfulBasisSchema,
  lawfulBasisSource: shortText.nullable(),
  doNotContact: z.boolean(),
};

const uniqueEmails = (contact: { emails: readonly string[] }, ctx: z.RefinementCtx): void => {
  const seen = new Set<string>();
  contact.emails.forEach((email, index) => {
    if (seen.has(email)) ctx.addIssue({ code: 'custom', path: ['emails', index], message: 'emails must not repeat' });
    seen.add(email);
  });
};

// An erased contact keeps its id (events and activities point at it) but nothing that identifies the person.
const erasedContactHoldsNoPersonalData = (
  contact: {
    erasedAt: string | null;
    firstName: string | null;
    lastName: string | null;
    title: string | null;
    emails: readonly string[];
    phoneE164: string | null;
    doNotContact: boolean;
  },
  ctx: z.RefinementCtx,
): void => {
  if (contact.erasedAt === null) return;
  for (const field of ['firstName', 'lastName', 'title', 'phoneE164'] as const) {
    if (contact[field] !== null) ctx.addIssue({ code: 'custom', path: [field], message: `${field} must be null once the contact is erased` });
  }
  if (contact.emails.length > 0) ctx.addIssue({ code: 'custom', path: ['emails'], message: 'emails must be empty once the contact is erased' });
  if (!contact.doNotContact) ctx.addIssue({ code: 'custom', path: ['doNotContact'], message: 'doNotContact must be true once the contact is erased' });
};

export const contactSchema = z
  .object({ id, orgId: id, ...contactFields, erasedAt: timestamp.nullable(), createdAt: timestamp, updatedAt: timestamp })
  .superRefine((contact, ctx) => {
    uniqueEmails(contact, ctx);
    erasedContactHoldsNoPersonalData(contact, ctx);
  });
export type Contact = z.infer<typeof contactSchema>;

export const contactCreateSchema = z
  .strictObject({
    accountId: contactFields.accountId.default(null),
    firstName: contactFields.firstName.default(null),
    lastName: contactFields.lastName.default(null),
    title: contactFields.title.default(null),
    // Duplicates after normalising are dropped rather than refused: "Ann@x.com" and "ann@x.com" are one address.
    emails: z
      .array(normalisedEmail)
      .max(10)
      .transform((emails) => [...new Set(emails)])
      .default([]),
    phoneE164: contactFields.phoneE164.default(null),
    timeZone: contactFields.timeZone.default(null),
    country: contactFields.country.default(null),
    lawfulBasis: lawfulBasisSchema.default('none'),
    lawfulBasisSource: contactFields.lawfulBasisSource.default(null),
    doNotContact: z.boolean().default(false),
  });
export type ContactCreate = z.infer<typeof contactCreateSchema>;

// ---------------------------------------------------------------------------------------------------------
// Deal

const dealFields = {
  accountId: id,
  name,
  stage: dealStageSchema,
  amountMinor: z.int().nonnegative().nullable(),
  currency: currencySchema.nullable(),
  closeDate: z.iso.date().nullable(),
  ownerMemberId: id,
  nextStep: shortText.nullable(),
  nextStepDueAt: timestamp.nullable(),
};

const currencyWithAmount = (deal: { amountMinor: number | null; currency: string | null }, ctx: z.RefinementCtx): void => {
  if (deal.amountMinor !== null && deal.currency === null) {
    ctx.addIssue({ code: 'custom', path: ['currency'], message: 'currency is required when amountMinor is set' });
  }
};

export const dealSchema = z
  .object({ id, orgId: id, ...dealFields, createdAt: timestamp, updatedAt: timestamp })
  .superRefine(currencyWithAmount);
export type Deal = z.infer<typeof dealSchema>;

export const dealCreateSchema = z
  .strictObject({
    ...dealFields,
    stage: dealStageSchema.default('discovery'),
    amountMinor: dealFields.amountMinor.default(null),
    currency: dealFields.currency.default(null),
    closeDate: dealFields.closeDate.default(null),
    nextStep: dealFields.nextStep.default(null),
    nextStepDueAt: dealFields.nextStepDueAt.default(null),
  })
  .superRefine(currencyWithAmount);
export type DealCreate = z.infer<typeof dealCreateSchema>;

// ---------------------------------------------------------------------------------------------------------
// Stakeholder

const stakeholderFields = {
  dealId: id,
  contactId: id,
  role: stakeholderRoleSchema,
  influence: influenceSchema.nullable(),
  sentiment: sentimentSchema,
};

export const stakeholderSchema = z.object({ id, orgId: id, ...stakeholderFields });
export type Stakeholder = z.infer<typeof stakeholderSchema>;

export const stakeholderCreateSchema = z.strictObject({
  ...stakeholderFields,
  influence: stakeholderFields.influence.default(null),
  sentiment: sentimentSchema.default('unknown'),
});
export type StakeholderCreate = z.infer<typeof stakeholderCreateSchema>;

// ---------------------------------------------------------------------------------------------------------
// Activity

export const participantSchema = z
  .strictObject({
    contactId: id.optional(),
    memberId: id.optional(),
    email: emailSchema.optional(),
    name: name.optional(),
  })
  .superRefine((participant, ctx) => {
    const { contactId, memberId, email, name: participantName } = participant;
    if (contactId === undefined && memberId === undefined && email === undefined && participantName === undefined) {
      ctx.addIssue({ code: 'custom', path: [], message: 'a participant needs at least one of contactId, memberId, email or name' });
    }
  });
export type Participant = z.infer<typeof participantSchema>;

const activityFields = {
  kind: activityKindSchema,
  direction: activityDirectionSchema,
  occurredAt: timestamp,
  subject: z.string().max(1000).nullable(),
  body: z.string().max(200_000).nullable(),
  contactId: id.nullable(),
  accountId: id.nullable(),
  dealId: id.nullable(),
  loggedByMemberId: id.nullable(),
  participants: z.array(participantSchema).max(200),
  providerMessageId: z.string().min(1).max(1000).nullable(),
  providerThreadId: z.string().min(1).max(1000).nullable(),
  meetingStartAt: timestamp.nullable(),
  meetingEndAt: timestamp.nullable(),
  meetingStatus: meetingStatusSchema.nullable(),
};

type MeetingFields = {
  kind: z.infer<typeof activityKindSchema>;
  meetingStartAt: string | null;
  meetingEndAt: string | null;
  meetingStatus: z.infer<typeof meetingStatusSchema> | null;
};

// Offsets may differ between the two times, so compare instants, not strings.
const meetingTimes = (activity: MeetingFields, ctx: z.RefinementCtx): void => {
  const { kind, meetingStartAt, meetingEndAt } = activity;
  if (kind !== 'meeting') {
    for (const field of ['meetingStartAt', 'meetingEndAt', 'meetingStatus'] as const) {
      if (activity[field] !== null) ctx.addIssue({ code: 'custom', path: [field], message: `${field} is only for meetings; must be null when kind is '${kind}'` });
    }
    return;
  }
  if (meetingStartAt === null) ctx.addIssue({ code: 'custom', path: ['meetingStartAt'], message: 'meetingStartAt is required when kind is \'meeting\'' });
  if (meetingEndAt === null) ctx.addIssue({ code: 'custom', path: ['meetingEndAt'], message: 'meetingEndAt is required when kind is \'meeting\'' });
  if (meetingStartAt !== null && meetingEndAt !== null && Date.parse(meetingStartAt) >= Date.parse(meetingEndAt)) {
    ctx.addIssue({ code: 'custom', path: ['meetingEndAt'], message: 'meetingEndAt must be after meetingStartAt' });
  }
};

export const activitySchema = z
  .object({ id, orgId: id, ...activityFields, createdAt: timestamp })
  .superRefine(meetingTimes);
export type Activity = z.infer<typeof activitySchema>;

export const activityCreateSchema = z
  .strictObject({
    ...activityFields,
    subject: activityFields.subject.default(null),
    body: activityFields.body.default(null),
    contactId: activityFields.contactId.default(null),
    accountId: activityFields.accountId.default(null),
    dealId: activityFields.dealId.default(null),
    loggedByMemberId: activityFields.loggedByMemberId.default(null),
    participants: activityFields.participants.default([]),
    providerMessageId: activityFields.providerMessageId.default(null),
    providerThreadId: activityFields.providerThreadId.default(null),
    meetingStartAt: activityFields.meetingStartAt.default(null),
    meetingEndAt: activityFields.meetingEndAt.default(null),
    meetingStatus: activityFields.meetingStatus.default(null),
  })
  .superRefine(meetingTimes);
export type ActivityCreate = z.infer<typeof activityCreateSchema>;

// ---------------------------------------------------------------------------------------------------------
// Task

const taskFields = {
  kind: taskKindSchema,
  title: z.string().min(1).max(500),
  dueAt: timestamp.nullable(),
  ownerMemberId: id,
  status: taskStatusSchema,
  source: taskSourceSchema,
  sourceRef: z.string().min(1).max(500).nullable(),
  contactId: id.nullable(),
  dealId: id.nullable(),
};

export const taskSchema = z
  .object({ id, orgId: id, ...taskFields, createdAt: timestamp, completedAt: timestamp.nullable() })
  .superRefine((task, ctx) => {
    if (task.status === 'done' && task.completedAt === null) {
      ctx.addIssue({ code: 'custom', path: ['completedAt'], message: 'completedAt is required when status is \'done\'' });
    }
    if (task.status !== 'done' && task.completedAt !== null) {
      ctx.addIssue({ code: 'custom', path: ['completedAt'], message: `completedAt must be null when status is '${task.status}'` });
    }
  });
export type Task = z.infer<typeof taskSchema>;

// completedAt is the server's to set (from `now`) when a task is created or moved to 'done'.
export const taskCreateSchema = z.strictObject({
  ...taskFields,
  dueAt: taskFields.dueAt.default(null),
  status: taskStatusSchema.default('open'),
  source: taskSourceSchema.default('manual'),
  sourceRef: taskFields.sourceRef.default(null),
  contactId: taskFields.contactId.default(null),
  dealId: taskFields.dealId.default(null),
});
export type TaskCreate = z.infer<typeof taskCreateSchema>;

// ---------------------------------------------------------------------------------------------------------
// Signal

const signalFields = {
  kind: signalKindSchema,
  accountId: id.nullable(),
  contactId: id.nullable(),
  occurredAt: timestamp,
  source: z.string().min(1).max(200),
  summary: z.string().min(1).max(2000),
  url: z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }).max(2000).nullable(),
  score: z.number().min(0).max(1).nullable(),
};

export const signalSchema = z.object({ id, orgId: id, ...signalFields, createdAt: timestamp });
export type Signal = z.infer<typeof signalSchema>;

export const signalCreateSchema = z.strictObject({
  ...signalFields,
  accountId: signalFields.accountId.default(null),
  contactId: signalFields.contactId.default(null),
  url: signalFields.url.default(null),
  score: signalFields.score.default(null),
});
export type SignalCreate = z.infer<typeof signalCreateSchema>;

// ---------------------------------------------------------------------------------------------------------
// Document

const documentFields = {
  dealId: id.nullable(),
  kind: documentKindSchema,
  version: z.int().min(1),
  status: documentStatusSchema,
  storageRef: z.string().min(1).max(1000),
  title: z.string().min(1).max(500),
};

export const documentSchema = z.object({ id, orgId: id, ...documentFields, createdAt: timestamp, updatedAt: timestamp });
export type Document = z.infer<typeof documentSchema>;

export const documentCreateSchema = z.strictObject({
  ...documentFields,
  dealId: documentFields.dealId.default(null),
  version: documentFields.version.default(1),
  status: documentStatusSchema.default('draft'),
});
export type DocumentCreate = z.infer<typeof documentCreateSchema>;

// ---------------------------------------------------------------------------------------------------------
// Suppression

export const suppressionSchema = z.object({
  id,
  orgId: id,
  addressHash: addressHashSchema,
  reason: suppressionReasonSchema,
  source: z.string().min(1).max(200).nullable(),
  createdAt: timestamp,
});
export type Suppression = z.infer<typeof suppressionSchema>;
