// Survivorship when two contacts are merged, field by field: a value beats an empty field (most complete); between
// two values, the better source wins (domain/lead-import.ts's source ranks; a value without a recorded source was
// typed by a person); between equal sources, the more recent one.
import { sourceRank, type FieldSource } from './lead-import.ts';

export interface Candidate {
  value: unknown;
  source: FieldSource | null;
}

/** 'survivor' or 'loser': whose value the merged record keeps. */
export function survivingValue(survivor: Candidate, loser: Candidate): 'survivor' | 'loser' {
  const empty = (v: unknown) => v === null || v === undefined || v === '';
  if (empty(loser.value)) return 'survivor';
  if (empty(survivor.value)) return 'loser';
  const rank = (c: Candidate) => sourceRank[c.source?.source ?? 'manual'] ?? 0;
  if (rank(loser) !== rank(survivor)) return rank(loser) > rank(survivor) ? 'loser' : 'survivor';
  const at = (c: Candidate) => (c.source ? Date.parse(c.source.at) : Number.NEGATIVE_INFINITY);
  return at(loser) > at(survivor) ? 'loser' : 'survivor';
}
