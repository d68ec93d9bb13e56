// Scores one extraction against one labelled call, field by field, and sums the scores over calls. Pure.
//
// Matching rules (dataset/README.md, "How matching works"):
// - List fields (nextSteps, callbacks, meetings, objections, pains, commitments, qualification, risks): an
//   extracted item matches an expected item not yet matched when normaliseForEvidence(item.quote) contains
//   normaliseForEvidence(expected.key). One-to-one and greedy: extracted items in their order, each takes the
//   first expected item still free that it matches. A matched item is a TP, an extracted item left over a FP, an
//   expected item left over a FN. qualification also needs the same `field`, risks the same `kind`.
// - people: matched on name, not quote: the extracted name equals the expected name after normalising, or is its
//   first name ("Dana" for "Dana Kim"). competitors: the names are equal after normalising.
// - Details, scored only over matched pairs (so they measure the detail, not the finding a second time):
//   - nextSteps.owner: the owner is equal → TP; otherwise FP and FN.
//   - callbacks.time: parseCallbackRequest({ text: when, referenceMs: occurredAt, timeZone }) is an instant equal
//     to the expected `at` → TP; when `at` is null, the reading is anything but an instant (the rep confirms the
//     time, as buildProposals does for `needs_confirmation` and `none`) → TP; otherwise FP and FN.
//   - people.role: a role is a value, null is its absence. Equal and not null → TP; an extracted role that is not
//     the expected one → FP; an expected role not extracted → FN; both null → nothing.
// - Single values (stage, amount, closeDate): equal → TP; extracted where null is expected → FP; expected but
//   not extracted → FN; both given but different → FP and FN; both null → nothing.
//   - stage: the stage of stageChange.
//   - amount: within 0.5 of the expected amount, and the same currency when the extraction names one.
//   - closeDate: resolveLocalDate(when, occurredAt, timeZone); words that name no day resolve to null, which is
//     no close date (buildProposals then records them as a timeline fact, not a CRM change).
// - The summary is not scored.
//
// aggregate() sums TP/FP/FN over calls; precision = TP/(TP+FP), recall = TP/(TP+FN), F1 = 2TP/(2TP+FP+FN), each
// null when its denominator is 0. The micro total sums the findings (every field but the three details).
import { type Extraction, normaliseForEvidence } from '../../domain/call-notes.ts';
import { resolveLocalDate } from '../../domain/call-note-proposals.ts';
import { parseCallbackRequest } from '../../domain/callback-request.ts';
import type { ExpectedExtraction } from './dataset.ts';

export const findingFields = [
  'nextSteps',
  'callbacks',
  'meetings',
  'people',
  'objections',
  'pains',
  'commitments',
  'competitors',
  'qualification',
  'risks',
  'stage',
  'amount',
  'closeDate',
] as const;
export const detailFields = ['nextSteps.owner', 'callbacks.time', 'people.role'] as const;
/** In the order a report prints them: each detail after its finding. */
export const scoredFields = [
  'nextSteps',
  'nextSteps.owner',
  'callbacks',
  'callbacks.time',
  'meetings',
  'people',
  'people.role',
  'objections',
  'pains',
  'commitments',
  'competitors',
  'qualification',
  'risks',
  'stage',
  'amount',
  'closeDate',
] as const satisfies ReadonlyArray<(typeof findingFields)[number] | (typeof detailFields)[number]>;
export type ScoredField = (typeof scoredFields)[number];

export interface Counts {
  tp: number;
  fp: number;
  fn: number;
}
export type CallScore = Record<ScoredField, Counts>;

export interface ScoreContext {
  /** When the call started, ms since the epoch: relative dates are read from it. */
  occurredAtMs: number;
  /** The rep's IANA zone. */
  timeZone: string;
}

const zero = (): Counts => ({ tp: 0, fp: 0, fn: 0 });

/** Greedy one-to-one matching: each extracted item, in order, takes the first free expected item it matches. */
export function matchItems<E, X>(expected: readonly E[], extracted: readonly X[], matches: (expectedItem: E, extractedItem: X) => boolean): { pairs: Array<[E, X]>; counts: Counts } {
  const taken = new Set<number>();
  const pairs: Array<[E, X]> = [];
  for (const item of extracted) {
    const at = expected.findIndex((candidate, index) => !taken.has(index) && matches(candidate, item));
    if (at < 0) continue;
    taken.add(at);
    pairs.push([expected[at]!, item]);
  }
  return { pairs, counts: { tp: pairs.length, fp: extracted.length - pairs.length, fn: expected.length - pairs.length } };
}

const quoteHasKey = (key: string, quote: string): boolean => normaliseForEvidence(quote).includes(normaliseForEvidence(key));

/** The expected name, or its first name alone. */
export function nameMatches(expectedName: string, extractedName: string): boolean {
  const wanted = normaliseForEvidence(expectedName);
  const got = normaliseForEvidence(extractedName);
  return got === wanted || got === wanted.split(' ')[0];
}

/** A single value: equal → TP, extra → FP, missing → FN, different → FP and FN. */
function scoreValue<E, X>(expected: E | null, extracted: X | null, equal: (expectedValue: E, extractedValue: X) => boolean): Counts {
  if (expected === null) return { tp: 0, fp: extracted === null ? 0 : 1, fn: 0 };
  if (extracted === null) return { tp: 0, fp: 0, fn: 1 };
  return equal(expected, extracted) ? { tp: 1, fp: 0, fn: 0 } : { tp: 0, fp: 1, fn: 1 };
}

/** A detail of a matched pair that always has a value: right → TP, wrong → FP and FN. */
function scoreDetail(right: boolean): Counts {
  return right ? { tp: 1, fp: 0, fn: 0 } : { tp: 0, fp: 1, fn: 1 };
}

function sum(counts: readonly Counts[]): Counts {
  return counts.reduce((total, c) => ({ tp: total.tp + c.tp, fp: total.fp + c.fp, fn: total.fn + c.fn }), zero());
}

function callbackTimeRight(expectedAt: string | null, when: string, context: ScoreContext): boolean {
  const parsed = parseCallbackRequest({ text: when, referenceMs: context.occurredAtMs, timeZone: context.timeZone });
  if (expectedAt === null) return parsed.kind !== 'instant';
  return parsed.kind === 'instant' && parsed.atMs === Date.parse(expectedAt);
}

export function scoreCall(labelled: ExpectedExtraction, extraction: Extraction, context: ScoreContext): CallScore {
  const byKey = <E extends { key: string }, X extends { quote: string }>(expected: readonly E[], extracted: readonly X[], also: (e: E, x: X) => boolean = () => true) =>
    matchItems(expected, extracted, (e, x) => quoteHasKey(e.key, x.quote) && also(e, x));

  const nextSteps = byKey(labelled.nextSteps, extraction.nextSteps);
  const callbacks = byKey(labelled.callbacks, extraction.callbacks);
  const people = matchItems(labelled.people, extraction.people, (e, x) => nameMatches(e.name, x.name));

  const roles = sum(
    people.pairs.map(([e, x]): Counts => {
      if (e.role === x.role) return e.role === null ? zero() : { tp: 1, fp: 0, fn: 0 };
      return { tp: 0, fp: x.role === null ? 0 : 1, fn: e.role === null ? 0 : 1 };
    }),
  );
  const extractedCloseDate = extraction.closeDateChange ? resolveLocalDate(extraction.closeDateChange.when, context.occurredAtMs, context.timeZone) : null;

  return {
    nextSteps: nextSteps.counts,
    'nextSteps.owner': sum(nextSteps.pairs.map(([e, x]) => scoreDetail(e.owner === x.owner))),
    callbacks: callbacks.counts,
    'callbacks.time': sum(callbacks.pairs.map(([e, x]) => scoreDetail(callbackTimeRight(e.at, x.when, context)))),
    meetings: byKey(labelled.meetings, extraction.meetings).counts,
    people: people.counts,
    'people.role': roles,
    objections: byKey(labelled.objections, extraction.objections).counts,
    pains: byKey(labelled.pains, extraction.pains).counts,
    commitments: byKey(labelled.commitments, extraction.commitments).counts,
    competitors: matchItems(labelled.competitors, extraction.competitors, (e, x) => normaliseForEvidence(e.name) === normaliseForEvidence(x.name)).counts,
    qualification: byKey(labelled.qualification, extraction.qualification, (e, x) => e.field === x.field).counts,
    risks: byKey(labelled.risks, extraction.risks, (e, x) => e.kind === x.kind).counts,
    stage: scoreValue(labelled.stage, extraction.stageChange?.stage ?? null, (a, b) => a === b),
    amount: scoreValue(labelled.amount, extraction.amountChange, (e, x) => Math.abs(e.amount - x.amount) <= 0.5 && (x.currency === null || x.currency === e.currency)),
    closeDate: scoreValue(labelled.closeDate, extractedCloseDate, (a, b) => a === b),
  };
}

export interface Rates extends Counts {
  precision: number | null;
  recall: number | null;
  f1: number | null;
}

export interface Aggregate {
  fields: Record<ScoredField, Rates>;
  /** Summed over the findings (every field but the details), then the rates of the sums. */
  micro: Rates;
}

export function rates(counts: Counts): Rates {
  const ratio = (num: number, den: number): number | null => (den === 0 ? null : num / den);
  return {
    ...counts,
    precision: ratio(counts.tp, counts.tp + counts.fp),
    recall: ratio(counts.tp, counts.tp + counts.fn),
    f1: ratio(2 * counts.tp, 2 * counts.tp + counts.fp + counts.fn),
  };
}

export function aggregate(scores: readonly CallScore[]): Aggregate {
  const fields = Object.fromEntries(scoredFields.map((field) => [field, rates(sum(scores.map((score) => score[field])))])) as Record<ScoredField, Rates>;
  const micro = rates(sum(findingFields.map((field) => fields[field])));
  return { fields, micro };
}
