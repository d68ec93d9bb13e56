import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  accountCreateSchema,
  accountSchema,
  activityCreateSchema,
  activitySchema,
  contactCreateSchema,
  contactSchema,
  dealCreateSchema,
  dealSchema,
  documentCreateSchema,
  documentSchema,
  memberSchema,
  organisationSchema,
  signalCreateSchema,
  signalSchema,
  stakeholderCreateSchema,
  stakeholderSchema,
  suppressionSchema,
  taskCreateSchema,
  taskSchema,
} from './objects.ts';

const uuid = (n: number) => `5f0c1d2e-3a4b-4c5d-8e6f-${n.toString(16).padStart(12, '0')}`;
const at = '2025-03-03T09:00:00.000Z';

const organisation = {
  id: uuid(1),
  name: 'Northwind Sales',
  timeZone: 'Europe/Berlin',
  postalAddress: 'Hauptstr. 1, 10115 Berlin',
  defaultApprovalPolicy: 'require_approval',
  dailySendCap: 200,
  perMinuteSendCap: 10,
  pauseAllSending: false,
  createdAt: at,
  updatedAt: at,
};

const member = {
  id: uuid(2),
  orgId: uuid(1),
  userId: uuid(3),
  displayName: 'Rita Rep',
  email: 'rita@closeloop.test',
  role: 'rep',
  timeZone: 'America/New_York',
  workingHours: { mon: [{ start: '09:00', end: '12:00' }, { start: '13:00', end: '17:30' }], fri: [{ start: '09:00', end: '15:00' }] },
  fromName: 'Rita at Northwind',
  fromAddress: 'rita@northwind.com',
  replyTo: null,
  status: 'active',
  createdAt: at,
};

const account = {
  id: uuid(4),
  orgId: uuid(1),
  name: 'Contoso',
  domain: 'contoso.com',
  industry: 'Manufacturing',
  sizeBand: '201-1000',
  ownerMemberId: uuid(2),
  createdAt: at,
  updatedAt: at,
};

const contact = {
  id: uuid(5),
  orgId: uuid(1),
  accountId: uuid(4),
  firstName: 'Ann',
  lastName: 'Lee',
  title: 'VP Operations',
  emails: ['ann.lee@contoso.com'],
  phoneE164: '+14155550123',
  timeZone: 'America/Los_Angeles',
  country: 'US',
  lawfulBasis: 'legitimate_interest',
  lawfulBasisSource: 'lia:2025-01',
  doNotContact: false,
  erasedAt: null,
  createdAt: at,
  updatedAt: at,
};

const erasedContact = {
  ...contact,
  firstName: null,
  lastName: null,
  title: null,
  emails: [],
  phoneE164: null,
  doNotContact: true,
  erasedAt: '2025-06-01T12:00:00+02:00',
};

const deal = {
  id: uuid(6),
  orgId: uuid(1),
  accountId: uuid(4),
  name: 'Contoso platform rollout',
  stage: 'proposal',
  amountMinor: 4_800_000,
  currency: 'EUR',
  closeDate: '2025-06-30',
  ownerMemberId: uuid(2),
  nextStep: 'Send security questionnaire',
  nextStepDueAt: '2025-03-10T17:00:00+01:00',
  createdAt: at,
  updatedAt: at,
};

const stakeholder = { id: uuid(7), orgId: uuid(1), dealId: uuid(6), contactId: uuid(5), role: 'champion', influence: 'high', sentiment: 'positive' };

const email = {
  id: uuid(8),
  orgId: uuid(1),
  kind: 'email',
  direction: 'outbound',
  occurredAt: at,
  subject: 'Next steps',
  body: 'Hi Ann, …',
  contactId: uuid(5),
  accountId: uuid(4),
  dealId: uuid(6),
  loggedByMemberId: uuid(2),
  participants: [{ contactId: uuid(5), email: 'ann.lee@contoso.com' }, { memberId: uuid(2) }],
  providerMessageId: '<abc@mail.example>',
  providerThreadId: 'thread-1',
  meetingStartAt: null,
  meetingEndAt: null,
  meetingStatus: null,
  createdAt: at,
};

const meeting = {
  ...email,
  kind: 'meeting',
  direction: 'internal',
  meetingStartAt: '2025-03-05T10:00:00.000Z',
  meetingEndAt: '2025-03-05T10:30:00.000Z',
  meetingStatus: 'scheduled',
};

const task = {
  id: uuid(9),
  orgId: uuid(1),
  kind: 'follow_up',
  title: 'Follow up on proposal',
  dueAt: '2025-03-06T09:00:00.000Z',
  ownerMemberId: uuid(2),
  status: 'open',
  source: 'process',
  sourceRef: 'follow-up:abc',
  contactId: uuid(5),
  dealId: uuid(6),
  createdAt: at,
  completedAt: null,
};

const signal = {
  id: uuid(10),
  orgId: uuid(1),
  kind: 'funding',
  accountId: uuid(4),
  contactId: null,
  occurredAt: at,
  source: 'crunchbase',
  summary: 'Series B, 40M',
  url: 'https://news.example.com/contoso-series-b',
  score: 0.8,
  createdAt: at,
};

const document = {
  id: uuid(11),
  orgId: uuid(1),
  dealId: uuid(6),
  kind: 'nda',
  version: 1,
  status: 'sent',
  storageRef: 'documents/org/nda-v1.pdf',
  title: 'Mutual NDA',
  createdAt: at,
  updatedAt: at,
};

const suppression = { id: uuid(12), orgId: uuid(1), addressHash: 'a'.repeat(64), reason: 'unsubscribed', source: 'list-unsubscribe', createdAt: at };

const omit = <T extends Record<string, unknown>>(object: T, ...keys: string[]) =>
  Object.fromEntries(Object.entries(object).filter(([key]) => !keys.includes(key)));
const createInput = <T extends Record<string, unknown>>(object: T, ...more: string[]) =>
  omit(object, 'id', 'orgId', 'createdAt', 'updatedAt', 'erasedAt', 'completedAt', ...more);

type Case = { name: string; schema: z.ZodType; input: unknown; path: string | null };
const ok = (name: string, schema: z.ZodType, input: unknown): Case => ({ name, schema, input, path: null });
const bad = (name: string, schema: z.ZodType, input: unknown, path: string): Case => ({ name, schema, input, path });

const cases: Case[] = [
  // Organisation
  ok('organisation', organisationSchema, organisation),
  ok('organisation in UTC', organisationSchema, { ...organisation, timeZone: 'UTC' }),
  // Intl's list has Asia/Calcutta and Europe/Kiev; the names people use now must pass too.
  ok('organisation in Asia/Kolkata', organisationSchema, { ...organisation, timeZone: 'Asia/Kolkata' }),
  ok('organisation in Europe/Kyiv', organisationSchema, { ...organisation, timeZone: 'Europe/Kyiv' }),
  bad('organisation with an offset for a zone', organisationSchema, { ...organisation, timeZone: '+05:30' }, 'timeZone'),
  bad('organisation with an unknown zone', organisationSchema, { ...organisation, timeZone: 'Mars/Olympus_Mons' }, 'timeZone'),
  bad('organisation with a lowercased zone', organisationSchema, { ...organisation, timeZone: 'europe/berlin' }, 'timeZone'),
  bad('organisation with an offset for a zone', organisationSchema, { ...organisation, timeZone: '+01:00' }, 'timeZone'),
  bad('organisation with an empty name', organisationSchema, { ...organisation, name: '' }, 'name'),
  bad('organisation with a daily cap of 0', organisationSchema, { ...organisation, dailySendCap: 0 }, 'dailySendCap'),
  bad('organisation with a daily cap over 10000', organisationSchema, { ...organisation, dailySendCap: 10_001 }, 'dailySendCap'),
  bad('organisation with a per-minute cap over 600', organisationSchema, { ...organisation, perMinuteSendCap: 601 }, 'perMinuteSendCap'),
  bad('organisation with an unknown approval policy', organisationSchema, { ...organisation, defaultApprovalPolicy: 'yolo' }, 'defaultApprovalPolicy'),
  bad('organisation with a time without offset', organisationSchema, { ...organisation, createdAt: '2025-03-03T09:00:00' }, 'createdAt'),
  bad('organisation with a postal address over 500', organisationSchema, { ...organisation, postalAddress: 'x'.repeat(501) }, 'postalAddress'),

  // Member
  ok('member', memberSchema, member),
  ok('member without working hours', memberSchema, { ...member, workingHours: {} }),
  bad('member with start = end', memberSchema, { ...member, workingHours: { tue: [{ start: '09:00', end: '09:00' }] } }, 'workingHours.tue.0.end'),
  bad('member with start > end', memberSchema, { ...member, workingHours: { tue: [{ start: '17:00', end: '09:00' }] } }, 'workingHours.tue.0.end'),
  bad('member with overlapping intervals', memberSchema, { ...member, workingHours: { wed: [{ start: '13:00', end: '17:00' }, { start: '09:00', end: '13:30' }] } }, 'workingHours.wed.0.start'),
  bad('member with an unpadded time', memberSchema, { ...member, workingHours: { mon: [{ start: '9:00', end: '17:00' }] } }, 'workingHours.mon.0.start'),
  bad('member with 24:00', memberSchema, { ...member, workingHours: { mon: [{ start: '09:00', end: '24:00' }] } }, 'workingHours.mon.0.end'),
  bad('member with an unknown weekday', memberSchema, { ...member, workingHours: { monday: [{ start: '09:00', end: '17:00' }] } }, 'workingHours'),
  bad('member with an unknown zone', memberSchema, { ...member, timeZone: 'EST5EDT_nope' }, 'timeZone'),
  bad('member with a bad from address', memberSchema, { ...member, fromAddress: 'rita at northwind' }, 'fromAddress'),
  bad('member with an unknown role', memberSchema, { ...member, role: 'owner' }, 'role'),

  // Account
  ok('account', accountSchema, account),
  ok('account with a subdomain', accountSchema, { ...account, domain: 'eu.contoso.co.uk' }),
  ok('account without a domain', accountSchema, { ...account, domain: null }),
  bad('account with an uppercase domain', accountSchema, { ...account, domain: 'Contoso.com' }, 'domain'),
  bad('account with a scheme', accountSchema, { ...account, domain: 'https://contoso.com' }, 'domain'),
  bad('account with a path', accountSchema, { ...account, domain: 'contoso.com/about' }, 'domain'),
  bad('account with a bare label', accountSchema, { ...account, domain: 'localhost' }, 'domain'),
  bad('account with an unknown size band', accountSchema, { ...account, sizeBand: '10-20' }, 'sizeBand'),
  ok('account create', accountCreateSchema, { name: 'Contoso' }),
  bad('account create with an id', accountCreateSchema, { name: 'Contoso', id: uuid(4) }, ''),

  // Contact
  ok('contact', contactSchema, contact),
  ok('erased contact', contactSchema, erasedContact),
  bad('contact with an uppercase email', contactSchema, { ...contact, emails: ['Ann.Lee@contoso.com'] }, 'emails.0'),
  bad('contact with a repeated email', contactSchema, { ...contact, emails: ['a@contoso.com', 'a@contoso.com'] }, 'emails.1'),
  bad('contact with 11 emails', contactSchema, { ...contact, emails: Array.from({ length: 11 }, (_, i) => `a${i}@contoso.com`) }, 'emails'),
  bad('contact with a phone without +', contactSchema, { ...contact, phoneE164: '14155550123' }, 'phoneE164'),
  bad('contact with a phone starting +0', contactSchema, { ...contact, phoneE164: '+04155550123' }, 'phoneE164'),
  bad('contact with a too short phone', contactSchema, { ...contact, phoneE164: '+123456' }, 'phoneE164'),
  bad('contact with a too long phone', contactSchema, { ...contact, phoneE164: '+1234567890123456' }, 'phoneE164'),
  bad('contact with a formatted phone', contactSchema, { ...contact, phoneE164: '+1 415 555 0123' }, 'phoneE164'),
  bad('contact with an unknown zone', contactSchema, { ...contact, timeZone: 'Pacific Time' }, 'timeZone'),
  bad('contact with a lowercase country', contactSchema, { ...contact, country: 'us' }, 'country'),
  bad('contact with an alpha-3 country', contactSchema, { ...contact, country: 'USA' }, 'country'),
  bad('contact with an unknown lawful basis', contactSchema, { ...contact, lawfulBasis: 'vibes' }, 'lawfulBasis'),
  bad('erased contact keeping a name', contactSchema, { ...erasedContact, lastName: 'Lee' }, 'lastName'),
  bad('erased contact keeping an email', contactSchema, { ...erasedContact, emails: ['ann.lee@contoso.com'] }, 'emails'),
  bad('erased contact keeping a phone', contactSchema, { ...erasedContact, phoneE164: '+14155550123' }, 'phoneE164'),
  bad('erased contact that may be contacted', contactSchema, { ...erasedContact, doNotContact: false }, 'doNotContact'),
  ok('contact create', contactCreateSchema, createInput(contact)),
  bad('contact create with a bad email', contactCreateSchema, { emails: ['ann.lee'] }, 'emails.0'),
  bad('contact create with erasedAt', contactCreateSchema, { erasedAt: at }, ''),

  // Deal
  ok('deal', dealSchema, deal),
  ok('deal without an amount or currency', dealSchema, { ...deal, amountMinor: null, currency: null }),
  ok('deal with a currency but no amount', dealSchema, { ...deal, amountMinor: null }),
  ok('deal with amount 0', dealSchema, { ...deal, amountMinor: 0 }),
  bad('deal with an amount but no currency', dealSchema, { ...deal, currency: null }, 'currency'),
  bad('deal create with an amount but no currency', dealCreateSchema, { accountId: uuid(4), name: 'X', ownerMemberId: uuid(2), amountMinor: 100 }, 'currency'),
  bad('deal with a lowercase currency', dealSchema, { ...deal, currency: 'eur' }, 'currency'),
  bad('deal with a symbol for currency', dealSchema, { ...deal, currency: '€' }, 'currency'),
  bad('deal with a negative amount', dealSchema, { ...deal, amountMinor: -1 }, 'amountMinor'),
  bad('deal with a fractional amount', dealSchema, { ...deal, amountMinor: 10.5 }, 'amountMinor'),
  bad('deal with an unsafe integer amount', dealSchema, { ...deal, amountMinor: 2 ** 53 }, 'amountMinor'),
  bad('deal with an impossible close date', dealSchema, { ...deal, closeDate: '2025-02-30' }, 'closeDate'),
  bad('deal with a datetime as close date', dealSchema, { ...deal, closeDate: at }, 'closeDate'),
  bad('deal with an unknown stage', dealSchema, { ...deal, stage: 'won' }, 'stage'),
  bad('deal with a next step over 500', dealSchema, { ...deal, nextStep: 'x'.repeat(501) }, 'nextStep'),

  // Stakeholder
  ok('stakeholder', stakeholderSchema, stakeholder),
  bad('stakeholder with an unknown role', stakeholderSchema, { ...stakeholder, role: 'ceo' }, 'role'),
  bad('stakeholder create without a contact', stakeholderCreateSchema, { dealId: uuid(6), role: 'user' }, 'contactId'),

  // Activity
  ok('email activity', activitySchema, email),
  ok('meeting', activitySchema, meeting),
  ok('meeting across offsets in order', activitySchema, { ...meeting, meetingStartAt: '2025-03-05T10:00:00+02:00', meetingEndAt: '2025-03-05T09:30:00Z' }),
  bad('meeting across offsets out of order', activitySchema, { ...meeting, meetingStartAt: '2025-03-05T10:00:00Z', meetingEndAt: '2025-03-05T11:00:00+02:00' }, 'meetingEndAt'),
  bad('meeting ending as it starts', activitySchema, { ...meeting, meetingEndAt: meeting.meetingStartAt }, 'meetingEndAt'),
  bad('meeting ending before it starts', activitySchema, { ...meeting, meetingEndAt: '2025-03-05T09:00:00.000Z' }, 'meetingEndAt'),
  bad('meeting without a start', activitySchema, { ...meeting, meetingStartAt: null }, 'meetingStartAt'),
  bad('meeting without an end', activitySchema, { ...meeting, meetingEndAt: null }, 'meetingEndAt'),
  bad('email with a meeting start', activitySchema, { ...email, meetingStartAt: meeting.meetingStartAt }, 'meetingStartAt'),
  bad('call with a meeting end', activitySchema, { ...email, kind: 'call', meetingEndAt: meeting.meetingEndAt }, 'meetingEndAt'),
  bad('note with a meeting status', activitySchema, { ...email, kind: 'note', direction: 'internal', meetingStatus: 'held' }, 'meetingStatus'),
  bad('participant with nothing', activitySchema, { ...email, participants: [{ memberId: uuid(2) }, {}] }, 'participants.1'),
  ok('participant with a name only', activitySchema, { ...email, participants: [{ name: 'Someone from Contoso' }] }),
  bad('participant with an unknown field', activitySchema, { ...email, participants: [{ phone: '+14155550123' }] }, 'participants.0'),
  bad('participant with a bad email', activitySchema, { ...email, participants: [{ email: 'ann' }] }, 'participants.0.email'),
  ok('meeting create', activityCreateSchema, createInput(meeting)),
  ok('note create with defaults', activityCreateSchema, { kind: 'note', direction: 'internal', occurredAt: at }),
  bad('meeting create without times', activityCreateSchema, { kind: 'meeting', direction: 'internal', occurredAt: at }, 'meetingStartAt'),
  bad('email create with a meeting status', activityCreateSchema, { kind: 'email', direction: 'outbound', occurredAt: at, meetingStatus: 'held' }, 'meetingStatus'),

  // Task
  ok('open task', taskSchema, task),
  ok('done task with completedAt', taskSchema, { ...task, status: 'done', completedAt: '2025-03-06T08:45:00.000Z' }),
  ok('cancelled task without completedAt', taskSchema, { ...task, status: 'cancelled' }),
  bad('done task without completedAt', taskSchema, { ...task, status: 'done' }, 'completedAt'),
  bad('open task with completedAt', taskSchema, { ...task, completedAt: at }, 'completedAt'),
  bad('cancelled task with completedAt', taskSchema, { ...task, status: 'cancelled', completedAt: at }, 'completedAt'),
  bad('task create with completedAt', taskCreateSchema, { ...createInput(task), completedAt: at }, ''),
  bad('task with an empty title', taskSchema, { ...task, title: '' }, 'title'),

  // Signal
  ok('signal', signalSchema, signal),
  ok('signal without url or score', signalSchema, { ...signal, url: null, score: null }),
  bad('signal with a javascript: url', signalSchema, { ...signal, url: 'javascript:alert(1)' }, 'url'),
  bad('signal with a relative url', signalSchema, { ...signal, url: '/news/1' }, 'url'),
  bad('signal with a score over 1', signalSchema, { ...signal, score: 1.2 }, 'score'),
  bad('signal with a negative score', signalSchema, { ...signal, score: -0.1 }, 'score'),
  ok('signal create', signalCreateSchema, createInput(signal)),

  // Document
  ok('document', documentSchema, document),
  bad('document version 0', documentSchema, { ...document, version: 0 }, 'version'),
  bad('document with an unknown status', documentSchema, { ...document, status: 'lost' }, 'status'),
  ok('document create', documentCreateSchema, createInput(document)),

  // Suppression
  ok('suppression', suppressionSchema, suppression),
  bad('suppression with an uppercase hash', suppressionSchema, { ...suppression, addressHash: 'A'.repeat(64) }, 'addressHash'),
  bad('suppression with a short hash', suppressionSchema, { ...suppression, addressHash: 'a'.repeat(63) }, 'addressHash'),
  bad('suppression with a plain address', suppressionSchema, { ...suppression, addressHash: 'ann.lee@contoso.com' }, 'addressHash'),
  bad('suppression with an unknown reason', suppressionSchema, { ...suppression, reason: 'annoyed' }, 'reason'),
];

describe('object schemas', () => {
  it.each(cases)('$name', ({ schema, input, path }) => {
    const result = schema.safeParse(input);
    if (path === null) {
      expect(result.error?.issues ?? []).toEqual([]);
      return;
    }
    expect(result.success).toBe(false);
    const paths = (result.error?.issues ?? []).map((issue) => issue.path.join('.'));
    expect(paths).toContain(path);
  });

  it('cross-field messages name the field', () => {
    const messages = [
      dealSchema.safeParse({ ...deal, currency: null }),
      activitySchema.safeParse({ ...meeting, meetingStartAt: null }),
      taskSchema.safeParse({ ...task, status: 'done' }),
      memberSchema.safeParse({ ...member, workingHours: { mon: [{ start: '10:00', end: '09:00' }] } }),
    ].map((result) => result.error?.issues[0]?.message);
    expect(messages).toEqual([
      'currency is required when amountMinor is set',
      "meetingStartAt is required when kind is 'meeting'",
      "completedAt is required when status is 'done'",
      'end (09:00) must be after start (10:00)',
    ]);
  });
});

describe('create inputs', () => {
  const table: Array<{ name: string; parse: () => unknown; expected: Record<string, unknown> }> = [
    {
      name: 'contact emails are trimmed, lowercased and de-duplicated',
      parse: () => ({ emails: contactCreateSchema.parse({ emails: [' Ann.Lee@Contoso.COM ', 'ann.lee@contoso.com', 'ANN@contoso.com'] }).emails }),
      expected: { emails: ['ann.lee@contoso.com', 'ann@contoso.com'] },
    },
    {
      name: 'contact defaults',
      parse: () => contactCreateSchema.parse({}),
      expected: {
        accountId: null,
        firstName: null,
        lastName: null,
        title: null,
        emails: [],
        phoneE164: null,
        timeZone: null,
        country: null,
        lawfulBasis: 'none',
        lawfulBasisSource: null,
        doNotContact: false,
      },
    },
    {
      name: 'account domain is trimmed and lowercased',
      parse: () => accountCreateSchema.parse({ name: 'Contoso', domain: ' Contoso.COM ' }),
      expected: { name: 'Contoso', domain: 'contoso.com', industry: null, sizeBand: null, ownerMemberId: null },
    },
    {
      name: 'deal defaults',
      parse: () => dealCreateSchema.parse({ accountId: uuid(4), name: 'X', ownerMemberId: uuid(2) }),
      expected: { accountId: uuid(4), name: 'X', ownerMemberId: uuid(2), stage: 'discovery', amountMinor: null, currency: null, closeDate: null, nextStep: null, nextStepDueAt: null },
    },
    {
      name: 'stakeholder defaults',
      parse: () => stakeholderCreateSchema.parse({ dealId: uuid(6), contactId: uuid(5), role: 'user' }),
      expected: { dealId: uuid(6), contactId: uuid(5), role: 'user', influence: null, sentiment: 'unknown' },
    },
    {
      name: 'task defaults',
      parse: () => taskCreateSchema.parse({ kind: 'call', title: 'Call Ann', ownerMemberId: uuid(2) }),
      expected: { kind: 'call', title: 'Call Ann', ownerMemberId: uuid(2), dueAt: null, status: 'open', source: 'manual', sourceRef: null, contactId: null, dealId: null },
    },
    {
      name: 'document defaults',
      parse: () => documentCreateSchema.parse({ kind: 'msa', storageRef: 'docs/msa.pdf', title: 'MSA' }),
      expected: { kind: 'msa', storageRef: 'docs/msa.pdf', title: 'MSA', dealId: null, version: 1, status: 'draft' },
    },
    {
      name: 'signal defaults',
      parse: () => signalCreateSchema.parse({ kind: 'news', occurredAt: at, source: 'rss', summary: 'Opened a Berlin office' }),
      expected: { kind: 'news', occurredAt: at, source: 'rss', summary: 'Opened a Berlin office', accountId: null, contactId: null, url: null, score: null },
    },
  ];

  it.each(table)('$name', ({ parse, expected }) => {
    expect(parse()).toEqual(expected);
  });

  it('stored contacts still refuse what the create input would fix', () => {
    expect(contactSchema.safeParse({ ...contact, emails: [' Ann.Lee@contoso.com'] }).success).toBe(false);
  });
});
