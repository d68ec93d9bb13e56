import { describe, expect, it } from 'vitest';
import { buildProposals, callNotesPolicySchema, matchKnownPerson, minorUnits, policyFor, resolveLocalDate, type CrmState } from './call-note-proposals.ts';
import { emptyExtraction, type Extraction } from './call-notes.ts';

// Tuesday 10 March 2026, 15:00 UTC = 11:00 in New York (DST began on 8 March).
const callMs = Date.parse('2026-03-10T15:00:00Z');
const zone = 'America/New_York';
const state: CrmState = {
  deal: { id: '00000000-0000-4000-8000-00000000d001', stage: 'discovery', amountMinor: null, currency: 'USD', closeDate: null },
  people: [
    { contactId: '00000000-0000-4000-8000-00000000c001', firstName: 'Dana', lastName: 'Kim', title: 'Head of Sales Ops', roles: ['champion'] },
    { contactId: '00000000-0000-4000-8000-00000000c002', firstName: 'Omar', lastName: 'Haddad', title: null, roles: [] },
  ],
  defaultCurrency: 'USD',
};
const policy = callNotesPolicySchema.parse({});
const ev = { quote: 'a quote long enough', confidence: 0.8 };
const build = (patch: Partial<Extraction>) => buildProposals({ extraction: { ...emptyExtraction, ...patch }, occurredAtMs: callMs, timeZone: zone, state, policy });

describe('policy', () => {
  it('applies the activity, summary and tasks at once; stage, amount, close date, new contacts and roles wait for a person', () => {
    expect(['summary', 'next_step', 'callback', 'meeting', 'objection', 'risk'].map((k) => policyFor(policy, k as never))).toEqual(['apply', 'apply', 'apply', 'apply', 'apply', 'apply']);
    expect(['deal_stage', 'deal_amount', 'deal_close_date', 'contact_new', 'stakeholder_role'].map((k) => policyFor(policy, k as never))).toEqual(['approve', 'approve', 'approve', 'approve', 'approve']);
  });

  it('an organisation may ask for approval of tasks too', () => {
    expect(policyFor(callNotesPolicySchema.parse({ policies: { next_step: 'approve' } }), 'next_step')).toBe('approve');
    expect(callNotesPolicySchema.safeParse({ policies: { next_step: 'sometimes' } }).success).toBe(false);
  });
});

describe('proposals', () => {
  it('a stage change carries before and after and waits; a next step becomes a task due at the end of that local day', () => {
    const proposals = build({
      stageChange: { stage: 'proposal', ...ev },
      nextSteps: [{ text: 'Send the proposal', owner: 'rep', ownerName: null, due: 'by Friday', ...ev }],
    });
    expect(proposals.map((p) => [p.kind, p.policy])).toEqual([['next_step', 'apply'], ['deal_stage', 'approve']]);
    expect(proposals[1]).toMatchObject({ before: { stage: 'discovery' }, after: { stage: 'proposal' }, target: { type: 'deal', id: state.deal!.id } });
    expect(proposals[0]!.after).toMatchObject({ dueDate: '2026-03-13', dueAt: '2026-03-13T21:00:00.000Z' });
  });

  it('no stage proposal when the notes name the stage the deal is in', () => {
    expect(build({ stageChange: { stage: 'discovery', ...ev } })).toEqual([]);
  });

  it('a certain callback becomes an instant in the rep\'s zone; a vague one goes to the rep to confirm', () => {
    const [certain, vague] = build({ callbacks: [{ when: 'Thursday at 3pm', ...ev }, { when: 'sometime next week', ...ev }] });
    expect(certain!.after).toMatchObject({ certain: true, at: '2026-03-12T19:00:00.000Z' });
    expect(vague!.after).toMatchObject({ certain: false, at: null });
  });

  it('amounts in minor units of the currency; a close date said in words; "Q3" stays an insight', () => {
    const [amount, close] = build({ amountChange: { amount: 48000, currency: null, ...ev }, closeDateChange: { when: 'end of June', ...ev } });
    expect(amount).toMatchObject({ kind: 'deal_amount', before: { amountMinor: null, currency: 'USD' }, after: { amountMinor: 4_800_000, currency: 'USD' } });
    expect(close).toMatchObject({ kind: 'deal_close_date', after: { closeDate: '2026-06-30' }, policy: 'approve' });
    expect(build({ closeDateChange: { when: 'Q3', ...ev } })).toMatchObject([{ kind: 'qualification', after: { field: 'timeline', value: 'close date: Q3' } }]);
    expect(minorUnits('JPY')).toBe(0);
  });

  it('a new person is a contact to approve; a known one with a new role is a role to approve; a known role is nothing', () => {
    const proposals = build({
      people: [
        { name: 'Priya Shah', title: 'CFO', role: 'economic_buyer', ...ev },
        { name: 'Omar', title: null, role: 'blocker', ...ev },
        { name: 'Dana Kim', title: null, role: 'champion', ...ev },
      ],
    });
    expect(proposals.map((p) => p.kind)).toEqual(['contact_new', 'stakeholder_role']);
    expect(proposals[0]!.after).toMatchObject({ firstName: 'Priya', lastName: 'Shah', title: 'CFO', role: 'economic_buyer' });
    expect(proposals[1]).toMatchObject({ before: { roles: [] }, after: { contactId: state.people[1]!.contactId, role: 'blocker' } });
  });

  it.each([
    ['Dana Kim', 'c001'],
    ['dana', 'c001'],
    ['Haddad', 'c002'],
    ['Dana K.', 'c001'],
    ['Priya', null],
  ])('matches %s to a known person', (name, suffix) => {
    expect(matchKnownPerson(name, state.people)?.contactId.slice(-4) ?? null).toBe(suffix);
  });

  it.each([
    ['Friday', '2026-03-13'],
    ['next Tuesday', '2026-03-17'],
    ['March 30', '2026-03-30'],
    ['end of April', '2026-04-30'],
    ['this month', '2026-03-31'],
    ['Q3', null],
    ['soon', null],
  ])('reads "%s" as a local date', (words, date) => {
    expect(resolveLocalDate(words, callMs, zone)).toBe(date);
  });
});
