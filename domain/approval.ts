// Approvals of outbound emails: when one is needed, who may give it, what a decision looks like, and when it falls
// due. Time comes in as epoch milliseconds; nothing here reads a clock.
import { z } from 'zod';

import { type approvalPolicySchema as orgApprovalPolicySchema, memberRoleSchema } from './objects.ts';

const MINUTE_MS = 60_000;
const WEEK_MINUTES = 7 * 24 * 60;

export type OrgApprovalPolicy = z.infer<typeof orgApprovalPolicySchema>;
export type MemberRole = z.infer<typeof memberRoleSchema>;

// ---------------------------------------------------------------------------------------------------------
// Whether a draft needs a human

export const draftOriginSchema = z.enum(['template', 'ai']);
export type DraftOrigin = z.infer<typeof draftOriginSchema>;

export const approvalReasonSchema = z.enum(['ai_draft', 'buyer_content', 'org_policy', 'template_auto_send']);
export type ApprovalReason = z.infer<typeof approvalReasonSchema>;

export type ApprovalRequirement = { required: boolean; reason: ApprovalReason };

export function approvalRequirement(input: {
  orgPolicy: OrgApprovalPolicy;
  origin: DraftOrigin;
  usesBuyerContent: boolean;
}): ApprovalRequirement {
  // Text a model wrote, or a buyer wrote, can carry a prompt injection: a human reads it first, whatever the policy.
  if (input.origin === 'ai') return { required: true, reason: 'ai_draft' };
  if (input.usesBuyerContent) return { required: true, reason: 'buyer_content' };
  if (input.orgPolicy === 'auto_send_templates') return { required: false, reason: 'template_auto_send' };
  return { required: true, reason: 'org_policy' };
}

// ---------------------------------------------------------------------------------------------------------
// Decisions

export const approvalDeciderSchema = z.strictObject({ memberId: z.uuid(), role: memberRoleSchema });
export type ApprovalDecider = z.infer<typeof approvalDeciderSchema>;

export const approvalDecisionKindSchema = z.enum(['approve', 'approve_with_edits', 'reject', 'regenerate']);
export type ApprovalDecisionKind = z.infer<typeof approvalDecisionKindSchema>;

/** What a person writes when approving with edits; stored as a draft revision, never sent into a workflow. */
export const draftEditSchema = z.strictObject({ subject: z.string().min(1).max(300), bodyText: z.string().min(1).max(20_000) });
/** What a person asks of a regenerated draft; stored as a draft revision too. */
export const regenerateRequestSchema = z.strictObject({ instructions: z.string().min(1).max(2000) });

// The decision as the workflow receives it: text stays in Postgres (draft revisions), the workflow gets its id —
// workflow histories carry ids and codes only (ADR-0007).
export const approvalDecisionSchema = z.discriminatedUnion('decision', [
  z.strictObject({ decision: z.literal('approve'), decidedBy: approvalDeciderSchema }),
  z.strictObject({ decision: z.literal('approve_with_edits'), revisionId: z.uuid(), decidedBy: approvalDeciderSchema }),
  z.strictObject({ decision: z.literal('reject'), decidedBy: approvalDeciderSchema }),
  z.strictObject({ decision: z.literal('regenerate'), revisionId: z.uuid(), decidedBy: approvalDeciderSchema }),
]);
export type ApprovalDecision = z.infer<typeof approvalDecisionSchema>;

export function mayApprove(input: { role: MemberRole; isMailboxOwner: boolean; escalated: boolean }): boolean {
  // Once escalated, the rep has had their chance: the decision moves up.
  if (input.role === 'rep') return input.isMailboxOwner && !input.escalated;
  return true;
}

// ---------------------------------------------------------------------------------------------------------
// Deadlines

export const approvalExpiryActionSchema = z.enum(['escalate', 'skip', 'expire']);
export type ApprovalExpiryAction = z.infer<typeof approvalExpiryActionSchema>;

export const approvalPolicySchema = z
  .strictObject({
    slaMinutes: z.int().min(1).max(WEEK_MINUTES).default(1440),
    reminderBeforeMinutes: z.int().min(0).default(240),
    onExpiry: approvalExpiryActionSchema.default('escalate'),
    escalationSlaMinutes: z.int().min(1).max(WEEK_MINUTES).default(1440),
  })
  .superRefine((policy, ctx) => {
    if (policy.reminderBeforeMinutes >= policy.slaMinutes) {
      ctx.addIssue({
        code: 'custom',
        path: ['reminderBeforeMinutes'],
        message: `must be less than slaMinutes (${policy.slaMinutes}); use 0 for no reminder`,
      });
    }
  });
export type ApprovalPolicy = z.output<typeof approvalPolicySchema>;
export type ApprovalPolicyInput = z.input<typeof approvalPolicySchema>;

export const defaultApprovalPolicy: ApprovalPolicy = approvalPolicySchema.parse({});

export type ApprovalTimeline = { reminderAtMs: number | null; dueAtMs: number; escalationDueAtMs: number | null };

export function approvalTimeline(input: { requestedAtMs: number; policy: ApprovalPolicy }): ApprovalTimeline {
  const { requestedAtMs, policy } = input;
  const dueAtMs = requestedAtMs + policy.slaMinutes * MINUTE_MS;
  return {
    reminderAtMs: policy.reminderBeforeMinutes === 0 ? null : dueAtMs - policy.reminderBeforeMinutes * MINUTE_MS,
    dueAtMs,
    escalationDueAtMs: policy.onExpiry === 'escalate' ? dueAtMs + policy.escalationSlaMinutes * MINUTE_MS : null,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Edits, for the audit log

export type EmailContent = { subject: string; bodyText: string };
export type EditedField = keyof EmailContent;
export type FieldEdit = { field: EditedField; before: string; after: string };

const editableFields: readonly EditedField[] = ['subject', 'bodyText'];

export function editDiff(before: EmailContent, after: EmailContent): FieldEdit[] {
  return editableFields.filter((field) => before[field] !== after[field]).map((field) => ({ field, before: before[field], after: after[field] }));
}
