// Property: over generated organisation policies, drafts and event sequences (approval decisions, replies,
// suppressions, pauses), the two rules the send activity applies together never let an email out that a human
// did not mean to send: no send to a suppressed address, none while paused, none without a required approval.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { approvalRequirement } from './approval.ts';
import { sendVerdict } from './send-guard.ts';

type Event = 'approve' | 'reject' | 'expire' | 'reply' | 'suppress' | 'pause_org' | 'pause_mailbox' | 'resume';

const scenario = fc.record({
  orgPolicy: fc.constantFrom('require_approval' as const, 'auto_send_templates' as const),
  origin: fc.constantFrom('template' as const, 'ai' as const),
  usesBuyerContent: fc.boolean(),
  lawfulBasis: fc.constantFrom('consent' as const, 'legitimate_interest' as const, 'contract' as const, 'none' as const),
  events: fc.array(fc.constantFrom<Event>('approve', 'reject', 'expire', 'reply', 'suppress', 'pause_org', 'pause_mailbox', 'resume'), { maxLength: 8 }),
});

describe('outbound policy (property)', () => {
  it('never sends to a suppressed address, while paused, after a reply, or without a required approval', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const requirement = approvalRequirement({ orgPolicy: s.orgPolicy, origin: s.origin, usesBuyerContent: s.usesBuyerContent });
        let approval: 'none' | 'pending' | 'approved' | 'rejected' | 'expired' = requirement.required ? 'pending' : 'none';
        let suppressed = false;
        let orgPaused = false;
        let mailboxPaused = false;
        let replied = false;
        for (const event of s.events) {
          if (event === 'approve' && approval === 'pending') approval = 'approved';
          if (event === 'reject' && approval === 'pending') approval = 'rejected';
          if (event === 'expire' && approval === 'pending') approval = 'expired';
          if (event === 'reply') replied = true;
          if (event === 'suppress') suppressed = true;
          if (event === 'pause_org') orgPaused = true;
          if (event === 'pause_mailbox') mailboxPaused = true;
          if (event === 'resume') orgPaused = mailboxPaused = false;
        }
        const verdict = sendVerdict({
          suppressed, doNotContact: false, erased: false, lawfulBasis: s.lawfulBasis, orgPaused, mailboxPaused,
          domainVerified: true, mailboxConnected: true, approvalRequired: requirement.required, approvalStatus: approval, repliedSinceDraft: replied,
        });
        if (verdict.send) {
          expect(suppressed || orgPaused || mailboxPaused || replied).toBe(false);
          if (requirement.required) expect(approval).toBe('approved');
          // AI text, or anything built from what a buyer wrote, is never sent without a human approval.
          if (s.origin === 'ai' || s.usesBuyerContent) expect(approval).toBe('approved');
        }
      }),
      { numRuns: 2000 },
    );
  });
});
