// Whether a contact may be contacted at all, before any playbook rule: the reasons it may not, or none.
import type { Contact } from './objects.ts';

export type OutreachRefusal = 'erased' | 'do_not_contact' | 'no_email' | 'suppressed';

export function outreachRefusals(input: {
  contact: Pick<Contact, 'erasedAt' | 'doNotContact' | 'emails'>;
  /** Those of the contact's addresses that are on the suppression list. */
  suppressedEmails: readonly string[];
}): OutreachRefusal[] {
  const refusals: OutreachRefusal[] = [];
  if (input.contact.erasedAt !== null) refusals.push('erased');
  if (input.contact.doNotContact) refusals.push('do_not_contact');
  if (input.contact.emails.length === 0) refusals.push('no_email');
  // One suppressed address is enough: it is the same person.
  if (input.suppressedEmails.length > 0) refusals.push('suppressed');
  return refusals;
}
