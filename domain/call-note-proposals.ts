// From a checked extraction to proposed changes: what each finding would change in the CRM (before and after,
// with its quote), and whether the organisation's policy applies it at once or asks a person first. Dates said
// in words are read in the rep's zone from the call's time. Pure: the call's time and the CRM state come in.
import { z } from 'zod';

import { parseCallbackRequest } from './callback-request.ts';
import type { Extraction } from './call-notes.ts';
import { normaliseForEvidence } from './call-notes.ts';
import type { dealStageSchema, stakeholderRoleSchema } from './objects.ts';
import { addDays, parseDates, wallTimeAt, zonedTimeToMs, type WallTime } from './zoned-time.ts';

export const proposalKindSchema = z.enum([
  'summary',
  'next_step',
  'callback',
  'meeting',
  'contact_new',
  'stakeholder_role',
  'deal_stage',
  'deal_amount',
  'deal_close_date',
  'objection',
  'competitor',
  'pain',
  'qualification',
  'commitment',
  'risk',
]);
export type ProposalKind = z.infer<typeof proposalKindSchema>;

/** Findings recorded on the call note (and shown in briefs); they change no CRM record. */
export const insightKinds = ['objection', 'competitor', 'pain', 'qualification', 'commitment', 'risk'] as const satisfies readonly ProposalKind[];

// ---------------------------------------------------------------------------------------------------------
// Policy: per organisation, stored as organisations.call_notes_policy ({} means these defaults)

export const proposalPolicySchema = z.enum(['apply', 'approve']);
export type ProposalPolicy = z.infer<typeof proposalPolicySchema>;

export const defaultProposalPolicies: Readonly<Record<ProposalKind, ProposalPolicy>> = {
  // The activity record, the summary and the rep's own tasks: safe, and useless if they wait.
  summary: 'apply',
  next_step: 'apply',
  callback: 'apply',
  meeting: 'apply',
  objection: 'apply',
  competitor: 'apply',
  pain: 'apply',
  qualification: 'apply',
  commitment: 'apply',
  risk: 'apply',
  // What managers forecast from and what changes who we write to: a person confirms first.
  deal_stage: 'approve',
  deal_amount: 'approve',
  deal_close_date: 'approve',
  contact_new: 'approve',
  stakeholder_role: 'approve',
};

const WEEK_MINUTES = 7 * 24 * 60;

export const callNotesPolicySchema = z.strictObject({
  /** Overrides per kind, e.g. { "next_step": "approve" } to review tasks too. */
  policies: z.partialRecord(proposalKindSchema, proposalPolicySchema).default({}),
  /** How long a proposed change waits for a decision before it expires unapplied. */
  approvalSlaMinutes: z.int().min(60).max(4 * WEEK_MINUTES).default(WEEK_MINUTES),
  /** Draft a recap email to the buyer (always through approval). */
  draftRecap: z.boolean().default(true),
});
export type CallNotesPolicy = z.output<typeof callNotesPolicySchema>;

export function policyFor(policy: CallNotesPolicy, kind: ProposalKind): ProposalPolicy {
  return policy.policies[kind] ?? defaultProposalPolicies[kind];
}

// ---------------------------------------------------------------------------------------------------------
// Proposals

export type DealStage = z.infer<typeof dealStageSchema>;
export type StakeholderRole = z.infer<typeof stakeholderRoleSchema>;

export interface CrmState {
  deal: { id: string; stage: DealStage; amountMinor: number | null; currency: string | null; closeDate: string | null } | null;
  /** People the CRM knows at the account, with their role on the deal when they have one. */
  people: Array<{ contactId: string; firstName: string | null; lastName: string | null; title: string | null; roles: StakeholderRole[] }>;
  /** The organisation's or the deal's currency, for amounts said without one. */
  defaultCurrency: string;
}

export type ProposalTarget = { type: 'deal' | 'contact' | 'stakeholder' | 'task' | 'activity'; id: string | null } | null;

export interface Proposal {
  ordinal: number;
  kind: ProposalKind;
  target: ProposalTarget;
  before: unknown;
  after: Record<string, unknown>;
  quote: string;
  confidence: number;
  policy: ProposalPolicy;
}

export interface ProposalInput {
  extraction: Extraction;
  occurredAtMs: number;
  timeZone: string;
  state: CrmState;
  policy: CallNotesPolicy;
}

/** Minor units of a currency (JPY has none, most have two). */
export function minorUnits(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

const endOfWords = /\b(?:end of|by the end of|late|close of)\b/i;
const monthNames = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * A local date from words ("Friday", "March 30", "end of June", "in two weeks"), or null when the words name no
 * day ("Q3", "soon"). Forward from the call: "Friday" is the next one.
 */
export function resolveLocalDate(words: string, referenceMs: number, timeZone: string): string | null {
  const pad = (n: number) => String(n).padStart(2, '0');
  // "this month" as a deadline is its last day ("we want to sign this month").
  if (/\b(?:this month|end of (?:the|this) month)\b/i.test(words)) {
    const now = wallTimeAt(referenceMs, timeZone);
    return `${now.year}-${pad(now.month)}-${pad(daysInMonth(now.year, now.month))}`;
  }
  const { results } = parseDates({ text: words, referenceMs, zone: timeZone });
  const result = results[0];
  if (result) {
    const start = result.start;
    const year = start.get('year') ?? wallTimeAt(referenceMs, timeZone).year;
    const month = start.get('month') ?? 1;
    if (start.isCertain('day') || start.isCertain('weekday') || result.tags().has('result/relativeDate') || result.tags().has('result/relativeDateAndTime')) {
      const day = start.get('day') ?? 1;
      return `${year}-${pad(month)}-${pad(day)}`;
    }
    if (start.isCertain('month') && endOfWords.test(words)) return `${year}-${pad(month)}-${pad(daysInMonth(year, month))}`;
  }
  // chrono reads "end of June" as nothing in some versions: the month name after "end of".
  const endOf = /\bend of\s+([a-z]+)/i.exec(words);
  const monthIndex = endOf ? monthNames.indexOf(endOf[1]!.toLowerCase()) : -1;
  if (monthIndex >= 0) {
    const now = wallTimeAt(referenceMs, timeZone);
    const year = monthIndex + 1 < now.month ? now.year + 1 : now.year;
    return `${year}-${pad(monthIndex + 1)}-${pad(daysInMonth(year, monthIndex + 1))}`;
  }
  return null;
}

/** When a task due on a local day falls due: the end of that working day in the rep's zone. */
export function dueInstant(localDate: string, timeZone: string): number {
  const [year, month, day] = localDate.split('-').map(Number) as [number, number, number];
  const wall: WallTime = { year, month, day, hour: 17, minute: 0 };
  return zonedTimeToMs(addDays(wall, 0), timeZone);
}

function splitName(name: string): { firstName: string | null; lastName: string | null } {
  const parts = name.trim().split(/\s+/);
  if (parts.length === 1) return { firstName: parts[0]!, lastName: null };
  return { firstName: parts.slice(0, -1).join(' '), lastName: parts[parts.length - 1]! };
}

/** The known person a name refers to: the full name, or a first name or surname only one known person has. */
export function matchKnownPerson(name: string, people: CrmState['people']): CrmState['people'][number] | null {
  const wanted = normaliseForEvidence(name);
  const full = people.filter((p) => normaliseForEvidence(`${p.firstName ?? ''} ${p.lastName ?? ''}`) === wanted);
  if (full.length === 1) return full[0]!;
  const parts = wanted.split(' ');
  if (parts.length === 1) {
    const byPart = people.filter((p) => normaliseForEvidence(p.firstName ?? '') === wanted || normaliseForEvidence(p.lastName ?? '') === wanted);
    return byPart.length === 1 ? byPart[0]! : null;
  }
  // "Dana K." or "Dana Kim-Lee": same first name and the surname starts alike.
  const [first, ...rest] = parts;
  const last = rest.join(' ').replace(/\.$/, '');
  const close = people.filter((p) => normaliseForEvidence(p.firstName ?? '') === first && last.length > 0 && normaliseForEvidence(p.lastName ?? '').startsWith(last));
  return close.length === 1 ? close[0]! : null;
}

export function buildProposals(input: ProposalInput): Proposal[] {
  const { extraction, occurredAtMs, timeZone, state } = input;
  const proposals: Proposal[] = [];
  const add = (kind: ProposalKind, target: ProposalTarget, before: unknown, after: Record<string, unknown>, evidence: { quote: string; confidence: number }) => {
    proposals.push({ ordinal: proposals.length, kind, target, before, after, quote: evidence.quote, confidence: evidence.confidence, policy: policyFor(input.policy, kind) });
  };

  if (extraction.summary) add('summary', { type: 'activity', id: null }, null, { text: extraction.summary.text }, extraction.summary);

  for (const step of extraction.nextSteps) {
    const dueDate = step.due ? resolveLocalDate(step.due, occurredAtMs, timeZone) : null;
    const title = step.owner === 'buyer' ? `Check that ${step.ownerName ?? 'the buyer'} did: ${step.text}` : step.text;
    add('next_step', { type: 'task', id: null }, null, {
      title: title.slice(0, 500),
      owner: step.owner,
      ownerName: step.ownerName,
      dueWords: step.due,
      dueDate,
      dueAt: dueDate ? new Date(dueInstant(dueDate, timeZone)).toISOString() : null,
    }, step);
  }

  for (const callback of extraction.callbacks) {
    // The cadence issue's parser: a certain time becomes an instant; anything less goes to the rep to confirm.
    const parsed = parseCallbackRequest({ text: callback.when, referenceMs: occurredAtMs, timeZone });
    add('callback', { type: 'task', id: null }, null, {
      when: callback.when,
      certain: parsed.kind === 'instant',
      atMs: parsed.kind === 'instant' ? parsed.atMs : null,
      at: parsed.kind === 'instant' ? new Date(parsed.atMs).toISOString() : null,
      candidates: parsed.kind === 'needs_confirmation' ? parsed.candidates.map((ms) => new Date(ms).toISOString()) : [],
      why: parsed.kind === 'instant' ? parsed.evidence : parsed.kind === 'needs_confirmation' ? parsed.evidence : 'no time named',
    }, callback);
  }

  for (const meeting of extraction.meetings) {
    const parsed = parseCallbackRequest({ text: meeting.when, referenceMs: occurredAtMs, timeZone });
    const startMs = parsed.kind === 'instant' ? parsed.atMs : null;
    add('meeting', { type: 'activity', id: null }, null, {
      title: meeting.title,
      when: meeting.when,
      startAt: startMs === null ? null : new Date(startMs).toISOString(),
      endAt: startMs === null ? null : new Date(startMs + 30 * 60_000).toISOString(),
    }, meeting);
  }

  for (const person of extraction.people) {
    const known = matchKnownPerson(person.name, state.people);
    if (!known) {
      add('contact_new', { type: 'contact', id: null }, null, { ...splitName(person.name), name: person.name, title: person.title, role: person.role }, person);
    } else if (person.role && state.deal && !known.roles.includes(person.role)) {
      // A person can play several parts in a deal: the role is added, the others stay.
      add('stakeholder_role', { type: 'stakeholder', id: null }, { roles: known.roles }, {
        contactId: known.contactId,
        dealId: state.deal.id,
        name: person.name,
        role: person.role,
      }, person);
    }
  }

  const deal = state.deal;
  if (deal && extraction.stageChange && extraction.stageChange.stage !== deal.stage) {
    add('deal_stage', { type: 'deal', id: deal.id }, { stage: deal.stage }, { stage: extraction.stageChange.stage }, extraction.stageChange);
  }
  if (deal && extraction.amountChange) {
    const currency = extraction.amountChange.currency ?? deal.currency ?? state.defaultCurrency;
    const amountMinor = Math.round(extraction.amountChange.amount * 10 ** minorUnits(currency));
    if (amountMinor !== deal.amountMinor || currency !== deal.currency) {
      add('deal_amount', { type: 'deal', id: deal.id }, { amountMinor: deal.amountMinor, currency: deal.currency }, { amountMinor, currency }, extraction.amountChange);
    }
  }
  if (deal && extraction.closeDateChange) {
    const closeDate = resolveLocalDate(extraction.closeDateChange.when, occurredAtMs, timeZone);
    // Words that name no day ("Q3") stay an insight on the call note: a close date is a day.
    if (closeDate && closeDate !== deal.closeDate) {
      add('deal_close_date', { type: 'deal', id: deal.id }, { closeDate: deal.closeDate }, { closeDate, words: extraction.closeDateChange.when }, extraction.closeDateChange);
    } else if (!closeDate) {
      add('qualification', null, null, { field: 'timeline', value: `close date: ${extraction.closeDateChange.when}` }, extraction.closeDateChange);
    }
  }

  for (const item of extraction.objections) add('objection', null, null, { text: item.text }, item);
  for (const item of extraction.competitors) add('competitor', null, null, { name: item.name }, item);
  for (const item of extraction.pains) add('pain', null, null, { text: item.text }, item);
  for (const item of extraction.qualification) add('qualification', null, null, { field: item.field, value: item.value }, item);
  for (const item of extraction.commitments) add('commitment', null, null, { text: item.text }, item);
  for (const item of extraction.risks) add('risk', null, null, { kind: item.kind, text: item.text }, item);
  return proposals;
}
