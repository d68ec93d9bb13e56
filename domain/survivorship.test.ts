import { describe, expect, it } from 'vitest';
import { survivingValue } from './survivorship.ts';

const src = (source: string, at = '2026-11-01T00:00:00Z') => ({ source, batchId: null, at });

describe('survivingValue', () => {
  it.each([
    ['a value beats an empty field', { value: null, source: null }, { value: 'CTO', source: src('apollo') }, 'loser'],
    ['an empty loser changes nothing', { value: 'CTO', source: src('apollo') }, { value: '', source: null }, 'survivor'],
    ['a better source wins', { value: 'CTO', source: src('apollo') }, { value: 'Chief Technology Officer', source: src('hubspot') }, 'loser'],
    ['a typed value (no source) beats any import', { value: 'VP Sales', source: null }, { value: 'CEO', source: src('hubspot') }, 'survivor'],
    ['a typed value on the loser beats an import on the survivor', { value: 'CEO', source: src('hubspot') }, { value: 'VP Sales', source: null }, 'loser'],
    ['equal sources: the more recent wins', { value: 'CTO', source: src('apollo', '2026-01-01T00:00:00Z') }, { value: 'CEO', source: src('apollo', '2026-06-01T00:00:00Z') }, 'loser'],
    ['equal sources, equal dates: the survivor stays', { value: 'CTO', source: src('apollo') }, { value: 'CEO', source: src('apollo') }, 'survivor'],
    ['two typed values: the survivor stays', { value: 'CTO', source: null }, { value: 'CEO', source: null }, 'survivor'],
  ] as const)('%s', (_name, survivor, loser, expected) => {
    expect(survivingValue(survivor, loser)).toBe(expected);
  });
});
