// Whether a contact may be enrolled in a playbook now, and if not, every reason why (shown per contact).
import type { OutreachRefusal } from './outreach.ts';

export type EnrolmentRefusal =
  | OutreachRefusal
  | 'already_in_a_cadence'
  | 'cooling_down'
  | 'no_lawful_basis'
  | 'consent_required_in_country';

// Countries whose law requires consent for cold B2B email (rules as data; not legal advice — an admin reviews them).
export const consentRequiredCountries: readonly string[] = ['AT', 'CA', 'DE', 'DK', 'IT', 'NO', 'PL', 'PT'];

export function enrolmentRefusals(input: {
  outreach: readonly OutreachRefusal[];
  lawfulBasis: 'consent' | 'legitimate_interest' | 'contract' | 'none';
  country: string | null;
  /** Other enrolments of this contact: active ones, and those that ended, with when. */
  otherEnrolments: ReadonlyArray<{ status: string; endedAtMs: number | null }>;
  allowConcurrentEnrolments: boolean;
  reenrolCooldownDays: number;
  nowMs: number;
}): EnrolmentRefusal[] {
  const refusals: EnrolmentRefusal[] = [...input.outreach];
  if (input.lawfulBasis === 'none') refusals.push('no_lawful_basis');
  else if (input.country && consentRequiredCountries.includes(input.country) && input.lawfulBasis !== 'consent' && input.lawfulBasis !== 'contract') {
    refusals.push('consent_required_in_country');
  }
  if (!input.allowConcurrentEnrolments && input.otherEnrolments.some((e) => e.status === 'active')) refusals.push('already_in_a_cadence');
  const cooldownMs = input.reenrolCooldownDays * 86_400_000;
  if (input.otherEnrolments.some((e) => e.status !== 'active' && e.endedAtMs !== null && input.nowMs - e.endedAtMs < cooldownMs)) refusals.push('cooling_down');
  return refusals;
}
