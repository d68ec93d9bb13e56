import { describe, expect, it } from 'vitest';
import { checkEvidence, emptyExtraction, extractionSchema, normaliseForEvidence, type Extraction } from './call-notes.ts';

const notes = 'Dana Kim: We’re also evaluating Gong, honestly.\nDana Kim: Budget is $48k for the first year.\nSam: I will send the “security questionnaire” answers by Friday.';

const withItems = (patch: Partial<Extraction>): Extraction => ({ ...emptyExtraction, ...patch });

describe('the evidence rule', () => {
  it('normalises whitespace, quote marks and case, and nothing else', () => {
    expect(normaliseForEvidence('  We’re   ALSO\n“evaluating”  ')).toBe('we\'re also "evaluating"');
    expect(normaliseForEvidence('evaluating-Gong')).toBe('evaluating-gong'); // a dash stays a dash
  });

  it('keeps a quote that occurs in the notes after normalising, in any case and spacing', () => {
    const { kept, dropped } = checkEvidence(withItems({ competitors: [{ name: 'Gong', quote: "we're ALSO evaluating   gong", confidence: 0.9 }] }), notes);
    expect(kept.competitors).toHaveLength(1);
    expect(dropped).toEqual([]);
  });

  it('drops and counts a fabricated quote, and keeps the rest', () => {
    const extraction = withItems({
      stageChange: { stage: 'negotiation', quote: 'Dana said they are ready to sign the contract', confidence: 0.95 },
      nextSteps: [{ text: 'Send the questionnaire answers', owner: 'rep', ownerName: null, due: 'Friday', quote: 'I will send the "security questionnaire" answers by Friday', confidence: 0.8 }],
    });
    const { kept, dropped } = checkEvidence(extraction, notes);
    expect(kept.stageChange).toBeNull();
    expect(kept.nextSteps).toHaveLength(1);
    expect(dropped).toEqual([{ field: 'stageChange', reason: 'quote_not_in_input', quote: 'Dana said they are ready to sign the contract', value: { stage: 'negotiation', confidence: 0.95 } }]);
  });

  it.each([
    ['a paraphrase', { competitors: [{ name: 'Gong', quote: 'they are evaluating Gong', confidence: 0.9 }] }, 'quote_not_in_input'],
    ['a quote too short to prove anything', { pains: [{ text: 'budget', quote: 'Budget', confidence: 0.9 }] }, 'quote_too_short'],
    ['a competitor the quote does not name', { competitors: [{ name: 'Outreach', quote: 'also evaluating Gong', confidence: 0.9 }] }, 'value_not_in_quote'],
    ['a person the quote does not name', { people: [{ name: 'Priya Shah', title: 'CFO', role: 'economic_buyer' as const, quote: 'Budget is $48k for the first year', confidence: 0.9 }] }, 'value_not_in_quote'],
    ['an amount the quote does not say', { amountChange: { amount: 84000, currency: 'USD', quote: 'Budget is $48k for the first year', confidence: 0.9 } }, 'value_not_in_quote'],
  ] as const)('drops %s', (_name, patch, reason) => {
    const { dropped } = checkEvidence(withItems(patch as Partial<Extraction>), notes);
    expect(dropped.map((d) => d.reason)).toEqual([reason]);
  });

  it('accepts the amount said as "$48k" for 48000', () => {
    const { kept } = checkEvidence(withItems({ amountChange: { amount: 48000, currency: 'USD', quote: 'Budget is $48k for the first year', confidence: 0.7 } }), notes);
    expect(kept.amountChange?.amount).toBe(48000);
  });

  it('the schema wants every field present (strict structured outputs)', () => {
    expect(extractionSchema.safeParse(emptyExtraction).success).toBe(true);
    const { summary: _summary, ...withoutSummary } = emptyExtraction;
    expect(extractionSchema.safeParse(withoutSummary).success).toBe(false);
  });
});
