import { describe, expect, it } from 'vitest';

import { type Extraction, emptyExtraction } from '../../domain/call-notes.ts';
import type { ExpectedExtraction } from './dataset.ts';
import { type CallScore, type Counts, aggregate, scoreCall, scoredFields } from './score.ts';

// Tuesday 10 March 2026, 11:00 in New York (EDT since 8 March).
const context = { occurredAtMs: Date.parse('2026-03-10T15:00:00Z'), timeZone: 'America/New_York' };

const noLabels: ExpectedExtraction = {
  nextSteps: [],
  callbacks: [],
  meetings: [],
  people: [],
  objections: [],
  competitors: [],
  pains: [],
  qualification: [],
  stage: null,
  amount: null,
  closeDate: null,
  commitments: [],
  risks: [],
};
const labels = (over: Partial<ExpectedExtraction>): ExpectedExtraction => ({ ...noLabels, ...over });
const extracted = (over: Partial<Extraction>): Extraction => ({ ...emptyExtraction, ...over });
const score = (expected: Partial<ExpectedExtraction>, extraction: Partial<Extraction>): CallScore => scoreCall(labels(expected), extracted(extraction), context);

const c = (tp: number, fp: number, fn: number): Counts => ({ tp, fp, fn });
const pain = (quote: string) => ({ text: quote, quote, confidence: 0.5 });
const step = (quote: string, owner: 'rep' | 'buyer') => ({ text: quote, owner, ownerName: null, due: null, quote, confidence: 0.5 });
const person = (name: string, role: ExpectedExtraction['people'][number]['role'] = null) => ({ name, title: null, role, quote: `${name} joined the call`, confidence: 0.5 });

describe('list fields: a quote that contains the key matches', () => {
  it.each([
    ['the quote is the key', 'hours every week updating the CRM', 'hours every week updating the CRM', c(1, 0, 0)],
    ['the quote holds the key, case and spaces differ', 'hours every week updating the CRM', 'reps log calls by hand, "Hours  every week\nupdating the crm"', c(1, 0, 0)],
    ['curly quote marks count as straight ones', "we can't see the pipeline", 'Honestly, we can’t see the pipeline at all', c(1, 0, 0)],
    ['a quote without the key is a FP and a FN', 'hours every week updating the CRM', 'follow-ups slip when reps are on the road', c(0, 1, 1)],
    ['part of the key is not enough', 'hours every week updating the CRM', 'hours every week', c(0, 1, 1)],
  ])('%s', (_name, key, quote, expected) => {
    expect(score({ pains: [{ key }] }, { pains: [pain(quote)] }).pains).toEqual(expected);
  });

  it.each([
    ['nothing labelled, nothing extracted', [], [], c(0, 0, 0)],
    ['nothing extracted', ['no one owns the handoff'], [], c(0, 0, 1)],
    ['nothing labelled', [], ['no one owns the handoff from SDR to AE'], c(0, 1, 0)],
  ])('%s', (_name, keys, quotes, expected) => {
    expect(score({ pains: keys.map((key) => ({ key })) }, { pains: quotes.map(pain) }).pains).toEqual(expected);
  });
});

describe('list fields: matching is one-to-one and greedy in order', () => {
  const A = 'leads sit for days';
  const B = 'reporting is a mess';
  it.each([
    ['two quotes with the same key: one TP, one FP', [A], [`${A}.`, `and ${A}`], c(1, 1, 0)],
    ['one quote holding two keys matches one of them', [A, B], [`${A} and ${B}`], c(1, 0, 1)],
    ['each quote takes its own key', [A, B], [B, A], c(2, 0, 0)],
    ['greedy: the first quote takes the first free key, even when a later quote could only have had that one', [A, B], [`${A}; ${B}`, A], c(1, 1, 1)],
  ])('%s', (_name, keys, quotes, expected) => {
    expect(score({ pains: keys.map((key) => ({ key })) }, { pains: quotes.map(pain) }).pains).toEqual(expected);
  });
});

describe('keyed fields with an extra condition', () => {
  const quote = 'EB is Priya Shah (CFO) - signs anything over $25k';
  it.each([
    ['qualification: same field', 'economic_buyer', c(1, 0, 0)],
    ['qualification: another field is a FP and a FN', 'authority', c(0, 1, 1)],
  ] as const)('%s', (_name, field, expected) => {
    const result = score({ qualification: [{ field: 'economic_buyer', key: 'EB is Priya Shah' }] }, { qualification: [{ field, value: quote, quote, confidence: 0.5 }] });
    expect(result.qualification).toEqual(expected);
  });

  it.each([
    ['risks: same kind', 'champion_left', c(1, 0, 0)],
    ['risks: another kind is a FP and a FN', 'other', c(0, 1, 1)],
  ] as const)('%s', (_name, kind, expected) => {
    const text = 'Marta left the company last week';
    const result = score({ risks: [{ kind: 'champion_left', key: 'Marta left the company' }] }, { risks: [{ kind, text, quote: text, confidence: 0.5 }] });
    expect(result.risks).toEqual(expected);
  });
});

describe('nextSteps.owner is scored over matched pairs only', () => {
  const key = 'send recap + case study by Thu';
  it.each([
    ['matched, same owner', 'me: send recap + case study by Thu', 'rep', c(1, 0, 0), c(1, 0, 0)],
    ['matched, other owner', 'me: send recap + case study by Thu', 'buyer', c(1, 0, 0), c(0, 1, 1)],
    ['not matched: the owner is not scored', 'book the demo', 'buyer', c(0, 1, 1), c(0, 0, 0)],
  ] as const)('%s', (_name, quote, owner, steps, owners) => {
    const result = score({ nextSteps: [{ key, owner: 'rep', due: '2026-03-12' }] }, { nextSteps: [step(quote, owner)] });
    expect(result.nextSteps).toEqual(steps);
    expect(result['nextSteps.owner']).toEqual(owners);
  });
});

describe('callbacks.time: the instant parseCallbackRequest reads from `when`, or a time left to confirm', () => {
  // Thursday 12 March, 15:00 EDT.
  const thursday3pm = '2026-03-12T19:00:00.000Z';
  it.each([
    ['the instant is the expected one', 'Thursday at 3pm', thursday3pm, c(1, 0, 0)],
    ['another instant', 'Thursday at 4pm', thursday3pm, c(0, 1, 1)],
    ['no certain time where one is expected', 'Thursday afternoon', thursday3pm, c(0, 1, 1)],
    ['expected null, the reading needs confirmation', 'Friday afternoon', null, c(1, 0, 0)],
    ['expected null, the reading is an instant', 'Thursday at 3pm', null, c(0, 1, 1)],
  ])('%s', (_name, when, at, expected) => {
    const quote = 'Call me Thursday at 3pm, or Friday afternoon';
    const result = score({ callbacks: [{ key: 'Call me Thursday', at }] }, { callbacks: [{ when, quote, confidence: 0.6 }] });
    expect(result.callbacks).toEqual(c(1, 0, 0));
    expect(result['callbacks.time']).toEqual(expected);
  });

  it('an unmatched callback has no time score', () => {
    const result = score({ callbacks: [{ key: 'Call me Thursday', at: thursday3pm }] }, { callbacks: [{ when: 'Thursday at 3pm', quote: 'I will call them Thursday at 3pm', confidence: 0.6 }] });
    expect(result.callbacks).toEqual(c(0, 1, 1));
    expect(result['callbacks.time']).toEqual(c(0, 0, 0));
  });
});

describe('people: the same name, or its first name', () => {
  it.each([
    ['the full name', 'Dana Kim', c(1, 0, 0)],
    ['case and spaces differ', 'dana  KIM', c(1, 0, 0)],
    ['the first name', 'Dana', c(1, 0, 0)],
    ['the surname alone does not match', 'Kim', c(0, 1, 1)],
    ['a longer name does not match', 'Dana Kimball', c(0, 1, 1)],
    ['another person', 'Priya Shah', c(0, 1, 1)],
  ])('%s', (_name, name, expected) => {
    expect(score({ people: [{ name: 'Dana Kim', role: null, isNew: false }] }, { people: [person(name)] }).people).toEqual(expected);
  });

  it('one person extracted twice is one TP and one FP', () => {
    expect(score({ people: [{ name: 'Dana Kim', role: null, isNew: false }] }, { people: [person('Dana Kim'), person('Dana')] }).people).toEqual(c(1, 1, 0));
  });
});

describe('people.role is scored over matched pairs only; null is no role', () => {
  it.each([
    ['same role', 'champion', 'champion', c(1, 0, 0)],
    ['both null: nothing to score', null, null, c(0, 0, 0)],
    ['expected role missed', 'champion', null, c(0, 0, 1)],
    ['role where none is labelled', null, 'champion', c(0, 1, 0)],
    ['another role', 'champion', 'approver', c(0, 1, 1)],
  ] as const)('%s', (_name, expectedRole, extractedRole, expected) => {
    const result = score({ people: [{ name: 'Dana Kim', role: expectedRole, isNew: false }] }, { people: [person('Dana', extractedRole)] });
    expect(result.people).toEqual(c(1, 0, 0));
    expect(result['people.role']).toEqual(expected);
  });

  it('the role of an unmatched person is not scored', () => {
    const result = score({ people: [{ name: 'Dana Kim', role: 'champion', isNew: false }] }, { people: [person('Priya Shah', 'champion')] });
    expect(result.people).toEqual(c(0, 1, 1));
    expect(result['people.role']).toEqual(c(0, 0, 0));
  });
});

describe('competitors: the same name after normalising', () => {
  it.each([
    ['same name', 'Outreach', c(1, 0, 0)],
    ['case differs', 'outreach', c(1, 0, 0)],
    ['another name', 'Outreach.io', c(0, 1, 1)],
  ])('%s', (_name, name, expected) => {
    expect(score({ competitors: [{ name: 'Outreach' }] }, { competitors: [{ name, quote: `using ${name} today`, confidence: 0.5 }] }).competitors).toEqual(expected);
  });
});

describe('stage: a single value', () => {
  it.each([
    ['both null', null, null, c(0, 0, 0)],
    ['null expected, a stage extracted', null, 'demo', c(0, 1, 0)],
    ['a stage expected, none extracted', 'negotiation', null, c(0, 0, 1)],
    ['the same stage', 'negotiation', 'negotiation', c(1, 0, 0)],
    ['another stage is a FP and a FN', 'negotiation', 'proposal', c(0, 1, 1)],
  ] as const)('%s', (_name, expectedStage, extractedStage, expected) => {
    const stageChange = extractedStage === null ? null : { stage: extractedStage, quote: 'moving to contract', confidence: 0.5 };
    expect(score({ stage: expectedStage }, { stageChange }).stage).toEqual(expected);
  });
});

describe('amount: within 0.5, the same currency when the extraction names one', () => {
  const expectedAmount = { amount: 48_000, currency: 'USD' };
  it.each([
    ['equal', expectedAmount, 48_000, 'USD', c(1, 0, 0)],
    ['within 0.5', expectedAmount, 48_000.5, 'USD', c(1, 0, 0)],
    ['off by more than 0.5', expectedAmount, 48_000.51, 'USD', c(0, 1, 1)],
    ['no currency extracted', expectedAmount, 48_000, null, c(1, 0, 0)],
    ['another currency', expectedAmount, 48_000, 'EUR', c(0, 1, 1)],
    ['an amount where none is labelled', null, 48_000, 'USD', c(0, 1, 0)],
    ['a labelled amount not extracted', expectedAmount, null, null, c(0, 0, 1)],
  ])('%s', (_name, expectedValue, amount, currency, expected) => {
    const amountChange = amount === null ? null : { amount, currency, quote: 'revised quote at $48k/yr', confidence: 0.5 };
    expect(score({ amount: expectedValue }, { amountChange }).amount).toEqual(expected);
  });
});

describe('closeDate: resolveLocalDate(when) in the rep zone from the call', () => {
  it.each([
    ['"by Friday" is the next Friday', 'by Friday', '2026-03-13', c(1, 0, 0)],
    ['"end of June" is its last day', 'end of June', '2026-06-30', c(1, 0, 0)],
    ['another day is a FP and a FN', 'Thursday', '2026-03-13', c(0, 1, 1)],
    ['words that name no day are no close date: a FN when one is labelled', 'Q3', '2026-09-30', c(0, 0, 1)],
    ['words that name no day, none labelled: nothing', 'Q3', null, c(0, 0, 0)],
    ['a day where none is labelled', 'by Friday', null, c(0, 1, 0)],
  ])('%s', (_name, when, expectedDate, expected) => {
    expect(score({ closeDate: expectedDate }, { closeDateChange: { when, quote: `signature ${when}`, confidence: 0.5 } }).closeDate).toEqual(expected);
  });

  it('the date is the local one: 23:30 in New York is already the next day in UTC', () => {
    // Friday 13 March 2026, 23:30 EDT = Saturday 03:30 UTC: "today" is the 13th.
    const late = { occurredAtMs: Date.parse('2026-03-14T03:30:00Z'), timeZone: 'America/New_York' };
    const result = scoreCall(labels({ closeDate: '2026-03-13' }), extracted({ closeDateChange: { when: 'today', quote: 'signed today', confidence: 0.5 } }), late);
    expect(result.closeDate).toEqual(c(1, 0, 0));
  });
});

describe('aggregate', () => {
  const blank = (): CallScore => Object.fromEntries(scoredFields.map((field) => [field, c(0, 0, 0)])) as CallScore;

  it('sums over calls and gives precision, recall and F1', () => {
    const one = { ...blank(), pains: c(2, 1, 0) };
    const two = { ...blank(), pains: c(1, 0, 2) };
    expect(aggregate([one, two]).fields.pains).toEqual({ tp: 3, fp: 1, fn: 2, precision: 0.75, recall: 0.6, f1: 6 / 9 });
  });

  it.each([
    ['nothing at all: all null', c(0, 0, 0), { precision: null, recall: null, f1: null }],
    ['nothing extracted: precision null, recall and F1 0', c(0, 0, 3), { precision: null, recall: 0, f1: 0 }],
    ['nothing labelled: recall null, precision and F1 0', c(0, 2, 0), { precision: 0, recall: null, f1: 0 }],
  ])('0/0 is null: %s', (_name, counts, expected) => {
    expect(aggregate([{ ...blank(), stage: counts }]).fields.stage).toMatchObject(expected);
  });

  it('the micro total sums the findings and leaves the details out', () => {
    const call = { ...blank(), nextSteps: c(2, 1, 1), 'nextSteps.owner': c(1, 1, 1), people: c(1, 0, 1), 'people.role': c(0, 1, 0), amount: c(1, 0, 0) };
    const { micro } = aggregate([call]);
    expect(micro).toEqual({ tp: 4, fp: 1, fn: 2, precision: 0.8, recall: 4 / 6, f1: 8 / 11 });
  });

  it('no calls: every rate is null', () => {
    const { fields, micro } = aggregate([]);
    expect(micro.f1).toBeNull();
    expect(Object.values(fields).every((rates) => rates.precision === null && rates.recall === null && rates.f1 === null)).toBe(true);
  });
});
