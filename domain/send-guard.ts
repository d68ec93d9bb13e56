// The last check before a provider is called. It collects every reason not to send, not just the first, so the UI
// can show *why* a send did not happen and a fix for one reason does not reveal another only on the next try.
import { z } from 'zod';

import type { lawfulBasisSchema } from './objects.ts';

export type LawfulBasis = z.infer<typeof lawfulBasisSchema>;

export const approvalStatusSchema = z.enum(['approved', 'pending', 'rejected', 'expired', 'none']);
export type ApprovalStatus = z.infer<typeof approvalStatusSchema>;

// In the order they are reported.
export const blockReasonSchema = z.enum([
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
export type BlockReason = z.infer<typeof blockReasonSchema>;
export const blockReasons: readonly BlockReason[] = blockReasonSchema.options;

export const blockReasonText: Readonly<Record<BlockReason, string>> = {
  suppressed: 'The address is on the suppression list (it bounced, complained or unsubscribed).',
  do_not_contact: 'The contact is marked do-not-contact.',
  erased: "The contact's personal data was erased.",
  no_lawful_basis: 'There is no lawful basis recorded for emailing this contact.',
  org_paused: 'Sending is paused for the whole organisation.',
  mailbox_paused: 'Sending is paused for this mailbox.',
  domain_not_verified: 'The sending domain is not verified with the email provider.',
  mailbox_not_connected: "Send assist puts this email into the owner's Gmail drafts, and their Gmail is not connected.",
  approval_missing: 'This email needs approval and has not been approved.',
  replied_since_draft: 'The contact replied after this email was drafted, so it may no longer fit.',
};

export type SendGuardInput = {
  suppressed: boolean;
  doNotContact: boolean;
  erased: boolean;
  lawfulBasis: LawfulBasis;
  orgPaused: boolean;
  mailboxPaused: boolean;
  domainVerified: boolean;
  /** Send assist only: the owner's Gmail is connected (always true for emails sent through the provider). */
  mailboxConnected: boolean;
  approvalRequired: boolean;
  approvalStatus: ApprovalStatus;
  repliedSinceDraft: boolean;
};

export type SendVerdict = { send: true } | { send: false; reasons: BlockReason[] };

const applies: Readonly<Record<BlockReason, (input: SendGuardInput) => boolean>> = {
  suppressed: (i) => i.suppressed,
  do_not_contact: (i) => i.doNotContact,
  erased: (i) => i.erased,
  no_lawful_basis: (i) => i.lawfulBasis === 'none',
  org_paused: (i) => i.orgPaused,
  mailbox_paused: (i) => i.mailboxPaused,
  domain_not_verified: (i) => !i.domainVerified,
  mailbox_not_connected: (i) => !i.mailboxConnected,
  approval_missing: (i) => i.approvalRequired && i.approvalStatus !== 'approved',
  replied_since_draft: (i) => i.repliedSinceDraft,
};

export function sendVerdict(input: SendGuardInput): SendVerdict {
  const reasons = blockReasons.filter((reason) => applies[reason](input));
  return reasons.length === 0 ? { send: true } : { send: false, reasons };
}
