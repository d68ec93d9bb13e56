import { describe, expect, it } from 'vitest';
import { outreachRefusals } from './outreach.ts';

const contact = { erasedAt: null, doNotContact: false, emails: ['a@x.example', 'b@x.example'] };

describe('outreachRefusals', () => {
  it.each([
    ['a reachable contact', contact, [], []],
    ['an erased contact', { ...contact, erasedAt: '2026-01-01T00:00:00Z', emails: [], doNotContact: true }, [], ['erased', 'do_not_contact', 'no_email']],
    ['do-not-contact', { ...contact, doNotContact: true }, [], ['do_not_contact']],
    ['no address', { ...contact, emails: [] }, [], ['no_email']],
    ['one of two addresses suppressed', contact, ['b@x.example'], ['suppressed']],
  ] as const)('%s', (_name, c, suppressed, expected) => {
    expect(outreachRefusals({ contact: c as never, suppressedEmails: suppressed })).toEqual(expected);
  });
});
