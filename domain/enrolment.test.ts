import { describe, expect, it } from 'vitest';
import { enrolmentRefusals } from './enrolment.ts';

const now = Date.parse('2026-06-01T10:00:00Z');
const base = { outreach: [], lawfulBasis: 'legitimate_interest' as const, country: 'US', otherEnrolments: [], allowConcurrentEnrolments: false, reenrolCooldownDays: 30, nowMs: now };

describe('enrolmentRefusals', () => {
  it.each([
    ['a reachable contact', {}, []],
    ['suppressed and do-not-contact (from the outreach check)', { outreach: ['do_not_contact', 'suppressed'] as const }, ['do_not_contact', 'suppressed']],
    ['no lawful basis', { lawfulBasis: 'none' as const }, ['no_lawful_basis']],
    ['Germany needs consent for cold B2B email', { country: 'DE' }, ['consent_required_in_country']],
    ['Germany with consent', { country: 'DE', lawfulBasis: 'consent' as const }, []],
    ['Canada (CASL) without consent', { country: 'CA' }, ['consent_required_in_country']],
    ['already in an active cadence', { otherEnrolments: [{ status: 'active', endedAtMs: null }] }, ['already_in_a_cadence']],
    ['active elsewhere but the playbook allows more', { otherEnrolments: [{ status: 'active', endedAtMs: null }], allowConcurrentEnrolments: true }, []],
    ['ended 10 days ago, cool-down 30', { otherEnrolments: [{ status: 'stopped', endedAtMs: now - 10 * 86_400_000 }] }, ['cooling_down']],
    ['ended 40 days ago', { otherEnrolments: [{ status: 'completed', endedAtMs: now - 40 * 86_400_000 }] }, []],
  ])('%s', (_name, over, expected) => {
    expect(enrolmentRefusals({ ...base, ...over } as Parameters<typeof enrolmentRefusals>[0])).toEqual(expected);
  });
});
