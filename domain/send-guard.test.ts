import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type SendGuardInput, blockReasonText, blockReasons, sendVerdict } from './send-guard.ts';

const clear: SendGuardInput = {
  suppressed: false,
  doNotContact: false,
  erased: false,
  lawfulBasis: 'legitimate_interest',
  orgPaused: false,
  mailboxPaused: false,
  domainVerified: true,
  mailboxConnected: true,
  approvalRequired: true,
  approvalStatus: 'approved',
  repliedSinceDraft: false,
};

const inputArb: fc.Arbitrary<SendGuardInput> = fc.record({
  suppressed: fc.boolean(),
  doNotContact: fc.boolean(),
  erased: fc.boolean(),
  lawfulBasis: fc.constantFrom('consent' as const, 'legitimate_interest' as const, 'contract' as const, 'none' as const),
  orgPaused: fc.boolean(),
  mailboxPaused: fc.boolean(),
  domainVerified: fc.boolean(),
  mailboxConnected: fc.boolean(),
  approvalRequired: fc.boolean(),
  approvalStatus: fc.constantFrom('approved' as const, 'pending' as const, 'rejected' as const, 'expired' as const, 'none' as const),
  repliedSinceDraft: fc.boolean(),
});

describe('sendVerdict', () => {
  it.each([
    ['everything in order', clear, null],
    ['consent', { ...clear, lawfulBasis: 'consent' }, null],
    ['a contract', { ...clear, lawfulBasis: 'contract' }, null],
    ['no approval needed, none given', { ...clear, approvalRequired: false, approvalStatus: 'none' }, null],
    ['no approval needed, though one was rejected', { ...clear, approvalRequired: false, approvalStatus: 'rejected' }, null],
    ['suppressed', { ...clear, suppressed: true }, ['suppressed']],
    ['do-not-contact', { ...clear, doNotContact: true }, ['do_not_contact']],
    ['erased', { ...clear, erased: true }, ['erased']],
    ['no lawful basis', { ...clear, lawfulBasis: 'none' }, ['no_lawful_basis']],
    ['the org paused', { ...clear, orgPaused: true }, ['org_paused']],
    ['the mailbox paused', { ...clear, mailboxPaused: true }, ['mailbox_paused']],
    ['an unverified domain', { ...clear, domainVerified: false }, ['domain_not_verified']],
    ['send assist without a connected Gmail', { ...clear, mailboxConnected: false }, ['mailbox_not_connected']],
    ['approval pending', { ...clear, approvalStatus: 'pending' }, ['approval_missing']],
    ['approval rejected', { ...clear, approvalStatus: 'rejected' }, ['approval_missing']],
    ['approval expired', { ...clear, approvalStatus: 'expired' }, ['approval_missing']],
    ['approval never asked', { ...clear, approvalStatus: 'none' }, ['approval_missing']],
    ['a reply since the draft', { ...clear, repliedSinceDraft: true }, ['replied_since_draft']],
    ['both pauses and a reply', { ...clear, mailboxPaused: true, orgPaused: true, repliedSinceDraft: true }, ['org_paused', 'mailbox_paused', 'replied_since_draft']],
    [
      'everything wrong',
      { suppressed: true, doNotContact: true, erased: true, lawfulBasis: 'none', orgPaused: true, mailboxPaused: true, domainVerified: false, mailboxConnected: false, approvalRequired: true, approvalStatus: 'pending', repliedSinceDraft: true },
      [...blockReasons],
    ],
  ] as const)('%s', (_name, input, reasons) => {
    expect(sendVerdict(input)).toEqual(reasons === null ? { send: true } : { send: false, reasons });
  });

  it('never sends when suppressed, paused, unapproved or after a reply', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const verdict = sendVerdict(input);
        const mustBlock =
          input.suppressed ||
          input.orgPaused ||
          input.mailboxPaused ||
          (input.approvalRequired && input.approvalStatus !== 'approved') ||
          input.repliedSinceDraft;
        if (mustBlock) expect(verdict.send).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it('sends exactly when no reason applies, and lists every reason that does, in order', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const expected = blockReasons.filter((reason) => {
          switch (reason) {
            case 'suppressed': return input.suppressed;
            case 'do_not_contact': return input.doNotContact;
            case 'erased': return input.erased;
            case 'no_lawful_basis': return input.lawfulBasis === 'none';
            case 'org_paused': return input.orgPaused;
            case 'mailbox_paused': return input.mailboxPaused;
            case 'domain_not_verified': return !input.domainVerified;
            case 'mailbox_not_connected': return !input.mailboxConnected;
            case 'approval_missing': return input.approvalRequired && input.approvalStatus !== 'approved';
            case 'replied_since_draft': return input.repliedSinceDraft;
          }
        });
        const verdict = sendVerdict(input);
        expect(verdict.send).toBe(expected.length === 0);
        if (!verdict.send) expect(verdict.reasons).toEqual(expected);
      }),
      { numRuns: 500 },
    );
  });
});

describe('blockReasonText', () => {
  it('has one sentence for each reason, and no others', () => {
    expect(Object.keys(blockReasonText).sort()).toEqual([...blockReasons].sort());
    for (const reason of blockReasons) expect(blockReasonText[reason]).toMatch(/^[A-Z].*\.$/);
    expect(new Set(Object.values(blockReasonText)).size).toBe(blockReasons.length);
  });

  it('lists the reasons in the reporting order', () => {
    expect(blockReasons).toEqual([
      'suppressed',
      'do_not_contact',
      'erased',
      'no_lawful_basis',
      'org_paused',
      'mailbox_paused',
      'domain_not_verified',
      'mailbox_not_connected',
      'approval_missing',
      'replied_since_draft',
    ]);
  });
});
