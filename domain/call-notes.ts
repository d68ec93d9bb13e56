// Call notes in domain terms: what an extractor may propose from a call's notes or transcript (the same schema
// for the OpenAI and the offline extractor), the evidence rule every proposal must pass, and the organisation's
// policy that decides what applies at once and what waits for a person. Pure: no clock, no I/O.
import { z } from 'zod';

import { currencySchema, dealStageSchema, stakeholderRoleSchema } from './objects.ts';

// ---------------------------------------------------------------------------------------------------------
// What an extractor returns

const quote = z
  .string()
  .min(1)
  .max(2000)
  .describe('The exact words from the notes that support this item, copied verbatim (a whole clause or sentence).');
const confidence = z.number().min(0).max(1).describe('How sure you are, from 0 to 1.');
const text = z.string().min(1).max(1000);
/** A time as the notes say it ("next Tuesday at 10", "end of March"): read with chrono in the rep's zone. */
const when = z.string().min(1).max(200).describe('The words of the notes that name the time, e.g. "Thursday at 3pm".');

export const extractedRoleSchema = stakeholderRoleSchema.exclude(['user']);
export type ExtractedRole = z.infer<typeof extractedRoleSchema>;

export const qualificationFieldSchema = z.enum([
  // BANT
  'budget',
  'authority',
  'need',
  'timeline',
  // MEDDICC
  'metrics',
  'economic_buyer',
  'decision_criteria',
  'decision_process',
  'paper_process',
  'identify_pain',
  'champion',
  'competition',
]);
export type QualificationField = z.infer<typeof qualificationFieldSchema>;

export const riskKindSchema = z.enum(['champion_left', 'no_show', 'budget_cut', 'competitor_preferred', 'timeline_slip', 'other']);
export type RiskKind = z.infer<typeof riskKindSchema>;

// Strict structured outputs want every field present (nullable, never optional): every object here is so.
export const extractionSchema = z.strictObject({
  summary: z.strictObject({ text: text.describe('Two or three plain sentences on what happened on the call.'), quote, confidence }).nullable(),
  nextSteps: z.array(
    z.strictObject({
      text: text.describe('The next step as a short imperative, e.g. "Send the security questionnaire".'),
      owner: z.enum(['rep', 'buyer']).describe('rep: our side does it; buyer: the customer does it.'),
      ownerName: z.string().min(1).max(200).nullable(),
      due: when.nullable(),
      quote,
      confidence,
    }),
  ),
  callbacks: z.array(z.strictObject({ when: when.describe('When the buyer asked to be called back, in their words.'), quote, confidence })),
  meetings: z.array(z.strictObject({ title: z.string().min(1).max(300), when, quote, confidence })),
  people: z.array(
    z.strictObject({
      name: z.string().min(1).max(200).describe('The person\'s name as written in the notes.'),
      title: z.string().min(1).max(200).nullable(),
      role: extractedRoleSchema.nullable(),
      quote,
      confidence,
    }),
  ),
  objections: z.array(z.strictObject({ text, quote, confidence })),
  competitors: z.array(z.strictObject({ name: z.string().min(1).max(200), quote, confidence })),
  pains: z.array(z.strictObject({ text, quote, confidence })),
  qualification: z.array(z.strictObject({ field: qualificationFieldSchema, value: text, quote, confidence })),
  stageChange: z.strictObject({ stage: dealStageSchema, quote, confidence }).nullable(),
  amountChange: z.strictObject({ amount: z.number().nonnegative().describe('In major units, e.g. 48000 for $48k.'), currency: currencySchema.nullable(), quote, confidence }).nullable(),
  closeDateChange: z.strictObject({ when: when.describe('The new close date in the notes\' words, e.g. "end of June".'), quote, confidence }).nullable(),
  commitments: z.array(z.strictObject({ text: text.describe('What the buyer committed to do.'), quote, confidence })),
  risks: z.array(z.strictObject({ kind: riskKindSchema, text, quote, confidence })),
});
export type Extraction = z.infer<typeof extractionSchema>;

export const emptyExtraction: Extraction = {
  summary: null,
  nextSteps: [],
  callbacks: [],
  meetings: [],
  people: [],
  objections: [],
  competitors: [],
  pains: [],
  qualification: [],
  stageChange: null,
  amountChange: null,
  closeDateChange: null,
  commitments: [],
  risks: [],
};

/** The fields of an extraction, each a list once nulls are left out: the unit of evidence checks and scores. */
export const extractionFields = [
  'summary',
  'nextSteps',
  'callbacks',
  'meetings',
  'people',
  'objections',
  'competitors',
  'pains',
  'qualification',
  'stageChange',
  'amountChange',
  'closeDateChange',
  'commitments',
  'risks',
] as const satisfies ReadonlyArray<keyof Extraction>;
export type ExtractionField = (typeof extractionFields)[number];

// ---------------------------------------------------------------------------------------------------------
// Evidence: a quote must occur in the input, compared after normalising whitespace, quote marks and case only.

const singleQuotes = /[\u2018\u2019\u201A\u201B\u2032\u0060\u00B4]/g;
const doubleQuotes = /[\u201C\u201D\u201E\u201F\u2033\u00AB\u00BB]/g;

export function normaliseForEvidence(value: string): string {
  return value.replace(singleQuotes, "'").replace(doubleQuotes, '"').replace(/\s+/g, ' ').trim().toLowerCase();
}

/** Quotes shorter than this prove nothing ("yes", "ok"). */
export const MIN_QUOTE_LENGTH = 8;

export type DropReason = 'quote_not_in_input' | 'quote_too_short' | 'value_not_in_quote';

export interface DroppedProposal {
  field: ExtractionField;
  reason: DropReason;
  quote: string;
  /** What the proposal said, for the record (never applied). */
  value: unknown;
}

/** Values that must appear in their own quote: a name or a number nobody said is an invented fact. */
function valueNotInQuote(field: ExtractionField, item: Record<string, unknown>, normalisedQuote: string): boolean {
  if (field === 'competitors') return !normalisedQuote.includes(normaliseForEvidence(String(item.name)));
  if (field === 'people') {
    // "Priya" or "Shah" supports "Priya Shah": notes often use one name.
    const parts = normaliseForEvidence(String(item.name)).split(' ').filter((part) => part.length > 1);
    return !parts.some((part) => normalisedQuote.includes(part));
  }
  if (field === 'amountChange') return !amountDigitsInQuote(Number(item.amount), normalisedQuote);
  return false;
}

// "$48k", "48,000", "48 000", "48.000", "EUR 1.2m" all say 48000 / 1200000.
function amountDigitsInQuote(amount: number, normalisedQuote: string): boolean {
  const numbers = [...normalisedQuote.matchAll(/(\d[\d,. ]*\d|\d)\s*(k|m|mm|thousand|million)?\b/g)];
  return numbers.some((match) => {
    const raw = match[1]!.replace(/[ ,]/g, '');
    const unit = match[2];
    const multiplier = unit === 'k' || unit === 'thousand' ? 1_000 : unit === 'm' || unit === 'mm' || unit === 'million' ? 1_000_000 : 1;
    const candidates = new Set([Number(raw), Number(raw.replace(/\./g, ''))]);
    return [...candidates].some((value) => Number.isFinite(value) && Math.abs(value * multiplier - amount) < 0.5);
  });
}

/**
 * Keeps the items whose quote occurs in the input and backs their value; the rest are dropped and counted.
 * `input` is the text the quotes are checked against (the transcript as plain text).
 */
export function checkEvidence(extraction: Extraction, input: string): { kept: Extraction; dropped: DroppedProposal[] } {
  const haystack = normaliseForEvidence(input);
  const dropped: DroppedProposal[] = [];
  const keep = <T extends { quote: string }>(field: ExtractionField, item: T): boolean => {
    const normalisedQuote = normaliseForEvidence(item.quote);
    let reason: DropReason | null = null;
    if (normalisedQuote.length < MIN_QUOTE_LENGTH) reason = 'quote_too_short';
    else if (!haystack.includes(normalisedQuote)) reason = 'quote_not_in_input';
    else if (valueNotInQuote(field, item as Record<string, unknown>, normalisedQuote)) reason = 'value_not_in_quote';
    if (reason === null) return true;
    const { quote: itemQuote, ...value } = item;
    dropped.push({ field, reason, quote: itemQuote, value });
    return false;
  };
  const one = <T extends { quote: string }>(field: ExtractionField, item: T | null): T | null => (item && keep(field, item) ? item : null);
  const many = <T extends { quote: string }>(field: ExtractionField, items: T[]): T[] => items.filter((item) => keep(field, item));
  const kept: Extraction = {
    summary: one('summary', extraction.summary),
    nextSteps: many('nextSteps', extraction.nextSteps),
    callbacks: many('callbacks', extraction.callbacks),
    meetings: many('meetings', extraction.meetings),
    people: many('people', extraction.people),
    objections: many('objections', extraction.objections),
    competitors: many('competitors', extraction.competitors),
    pains: many('pains', extraction.pains),
    qualification: many('qualification', extraction.qualification),
    stageChange: one('stageChange', extraction.stageChange),
    amountChange: one('amountChange', extraction.amountChange),
    closeDateChange: one('closeDateChange', extraction.closeDateChange),
    commitments: many('commitments', extraction.commitments),
    risks: many('risks', extraction.risks),
  };
  return { kept, dropped };
}
