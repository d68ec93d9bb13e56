import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  approvalDecisionSchema,
  draftEditSchema,
  regenerateRequestSchema,
  approvalPolicySchema,
  approvalRequirement,
  approvalTimeline,
  defaultApprovalPolicy,
  editDiff,
  mayApprove,
} from './approval.ts';

const MINUTE = 60_000;
const memberId = '3f1c2a9e-8b7d-4c5e-9a1b-2c3d4e5f6a7b';
const decidedBy = { memberId, role: 'rep' } as const;

const orgPolicy = fc.constantFrom('require_approval' as const, 'auto_send_templates' as const);
const origin = fc.constantFrom('template' as const, 'ai' as const);

describe('approvalRequirement', () => {
  it.each([
    ['an AI draft, approval policy', { orgPolicy: 'require_approval', origin: 'ai', usesBuyerContent: false }, { required: true, reason: 'ai_draft' }],
    ['an AI draft, auto-send policy', { orgPolicy: 'auto_send_templates', origin: 'ai', usesBuyerContent: false }, { required: true, reason: 'ai_draft' }],
    ['an AI draft quoting the buyer', { orgPolicy: 'auto_send_templates', origin: 'ai', usesBuyerContent: true }, { required: true, reason: 'ai_draft' }],
    ['a template with buyer text, auto-send policy', { orgPolicy: 'auto_send_templates', origin: 'template', usesBuyerContent: true }, { required: true, reason: 'buyer_content' }],
    ['a template with buyer text, approval policy', { orgPolicy: 'require_approval', origin: 'template', usesBuyerContent: true }, { required: true, reason: 'buyer_content' }],
    ['a plain template, approval policy', { orgPolicy: 'require_approval', origin: 'template', usesBuyerContent: false }, { required: true, reason: 'org_policy' }],
    ['a plain template, auto-send policy', { orgPolicy: 'auto_send_templates', origin: 'template', usesBuyerContent: false }, { required: false, reason: 'template_auto_send' }],
  ] as const)('%s', (_name, input, expected) => {
    expect(approvalRequirement(input)).toEqual(expected);
  });

  it('AI drafts and buyer text always need approval, whatever the policy', () => {
    fc.assert(
      fc.property(orgPolicy, origin, fc.boolean(), (p, o, buyer) => {
        const { required } = approvalRequirement({ orgPolicy: p, origin: o, usesBuyerContent: buyer });
        if (o === 'ai' || buyer) expect(required).toBe(true);
        expect(required).toBe(!(p === 'auto_send_templates' && o === 'template' && !buyer));
      }),
    );
  });
});

describe('approvalDecisionSchema', () => {
  const revisionId = '2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d75';
  it.each([
    ['approve', { decision: 'approve', decidedBy }],
    ['approve with edits (by revision id)', { decision: 'approve_with_edits', revisionId, decidedBy }],
    ['reject by a manager', { decision: 'reject', decidedBy: { memberId, role: 'manager' } }],
    ['regenerate by an admin (by revision id)', { decision: 'regenerate', revisionId, decidedBy: { memberId, role: 'admin' } }],
  ] as const)('accepts %s', (_name, input) => {
    expect(approvalDecisionSchema.parse(input)).toEqual(input);
  });

  it.each([
    ['an unknown decision', { decision: 'maybe', decidedBy }],
    ['no decider', { decision: 'approve' }],
    ['a non-uuid member', { decision: 'approve', decidedBy: { memberId: 'ann', role: 'rep' } }],
    ['an unknown role', { decision: 'approve', decidedBy: { memberId, role: 'owner' } }],
    ['an extra field in the decider', { decision: 'approve', decidedBy: { ...decidedBy, email: 'ann@northwind.com' } }],
    ['text instead of a revision id (text never enters a workflow)', { decision: 'approve_with_edits', subject: 'x', bodyText: 'y', decidedBy }],
    ['edits without a revision', { decision: 'approve_with_edits', decidedBy }],
    ['regenerate with instructions inline', { decision: 'regenerate', instructions: 'Shorter', decidedBy }],
    ['a reason on a reject', { decision: 'reject', reason: 'tone', decidedBy }],
  ] as const)('refuses %s', (_name, input) => {
    expect(approvalDecisionSchema.safeParse(input).success).toBe(false);
  });
});

describe('draft edits and regeneration requests', () => {
  it.each([
    ['edits', draftEditSchema, { subject: 'Re: pricing', bodyText: 'Hi Ann,\n\nThanks.' }, true],
    ['edits at the limits', draftEditSchema, { subject: 's'.repeat(300), bodyText: 'b'.repeat(20_000) }, true],
    ['edits without a body', draftEditSchema, { subject: 'Hi' }, false],
    ['an empty subject', draftEditSchema, { subject: '', bodyText: 'y' }, false],
    ['a subject over 300 characters', draftEditSchema, { subject: 's'.repeat(301), bodyText: 'y' }, false],
    ['a body over 20000 characters', draftEditSchema, { subject: 'x', bodyText: 'b'.repeat(20_001) }, false],
    ['instructions', regenerateRequestSchema, { instructions: 'Shorter, and no discount.' }, true],
    ['empty instructions', regenerateRequestSchema, { instructions: '' }, false],
    ['instructions over 2000 characters', regenerateRequestSchema, { instructions: 'i'.repeat(2001) }, false],
  ] as const)('%s', (_name, schema, input, ok) => {
    expect((schema as typeof draftEditSchema).safeParse(input).success).toBe(ok);
  });
});

describe('mayApprove', () => {
  it.each([
    ['rep', true, false, true],
    ['rep', true, true, false],
    ['rep', false, false, false],
    ['rep', false, true, false],
    ['manager', false, false, true],
    ['manager', false, true, true],
    ['admin', false, true, true],
    ['admin', true, false, true],
  ] as const)('%s, owner %s, escalated %s → %s', (role, isMailboxOwner, escalated, expected) => {
    expect(mayApprove({ role, isMailboxOwner, escalated })).toBe(expected);
  });

  it('managers and admins always may; a rep never may for another mailbox or once escalated', () => {
    fc.assert(
      fc.property(fc.constantFrom('rep' as const, 'manager' as const, 'admin' as const), fc.boolean(), fc.boolean(), (role, owner, escalated) => {
        const may = mayApprove({ role, isMailboxOwner: owner, escalated });
        if (role !== 'rep') expect(may).toBe(true);
        else expect(may).toBe(owner && !escalated);
      }),
    );
  });
});

describe('approvalPolicySchema', () => {
  it('fills the defaults', () => {
    expect(defaultApprovalPolicy).toEqual({ slaMinutes: 1440, reminderBeforeMinutes: 240, onExpiry: 'escalate', escalationSlaMinutes: 1440 });
    expect(approvalPolicySchema.parse({ onExpiry: 'skip' })).toEqual({ ...defaultApprovalPolicy, onExpiry: 'skip' });
  });

  it.each([
    ['a one-minute SLA without reminder', { slaMinutes: 1, reminderBeforeMinutes: 0 }],
    ['a one-week SLA', { slaMinutes: 10_080, escalationSlaMinutes: 10_080 }],
    ['a reminder one minute before the deadline', { slaMinutes: 60, reminderBeforeMinutes: 59 }],
    ['expire on expiry', { onExpiry: 'expire' }],
  ] as const)('accepts %s', (_name, input) => {
    expect(approvalPolicySchema.safeParse(input).success).toBe(true);
  });

  it.each([
    ['a zero SLA', { slaMinutes: 0, reminderBeforeMinutes: 0 }, 'slaMinutes'],
    ['an SLA over a week', { slaMinutes: 10_081 }, 'slaMinutes'],
    ['a fractional SLA', { slaMinutes: 90.5 }, 'slaMinutes'],
    ['a negative reminder', { reminderBeforeMinutes: -1 }, 'reminderBeforeMinutes'],
    ['a reminder at the deadline', { slaMinutes: 60, reminderBeforeMinutes: 60 }, 'reminderBeforeMinutes'],
    ['a reminder before the request (default reminder, short SLA)', { slaMinutes: 60 }, 'reminderBeforeMinutes'],
    ['an unknown expiry action', { onExpiry: 'approve' }, 'onExpiry'],
    ['a zero escalation SLA', { escalationSlaMinutes: 0 }, 'escalationSlaMinutes'],
    ['an escalation SLA over a week', { escalationSlaMinutes: 10_081 }, 'escalationSlaMinutes'],
    ['an unknown field', { slaMinute: 60 }, undefined],
  ] as const)('refuses %s', (_name, input, path) => {
    const result = approvalPolicySchema.safeParse(input);
    expect(result.success).toBe(false);
    if (path !== undefined) expect(result.error?.issues.map((issue) => issue.path.join('.'))).toContain(path);
  });
});

describe('approvalTimeline', () => {
  const requestedAtMs = Date.parse('2026-03-02T09:00:00Z');

  it.each([
    ['the default policy', defaultApprovalPolicy, { reminderAtMs: requestedAtMs + 1200 * MINUTE, dueAtMs: requestedAtMs + 1440 * MINUTE, escalationDueAtMs: requestedAtMs + 2880 * MINUTE }],
    ['no reminder', { ...defaultApprovalPolicy, reminderBeforeMinutes: 0 }, { reminderAtMs: null, dueAtMs: requestedAtMs + 1440 * MINUTE, escalationDueAtMs: requestedAtMs + 2880 * MINUTE }],
    ['skip on expiry', { ...defaultApprovalPolicy, onExpiry: 'skip' }, { reminderAtMs: requestedAtMs + 1200 * MINUTE, dueAtMs: requestedAtMs + 1440 * MINUTE, escalationDueAtMs: null }],
    ['expire on expiry', { slaMinutes: 60, reminderBeforeMinutes: 15, onExpiry: 'expire', escalationSlaMinutes: 30 }, { reminderAtMs: requestedAtMs + 45 * MINUTE, dueAtMs: requestedAtMs + 60 * MINUTE, escalationDueAtMs: null }],
    ['a short escalation', { slaMinutes: 120, reminderBeforeMinutes: 30, onExpiry: 'escalate', escalationSlaMinutes: 60 }, { reminderAtMs: requestedAtMs + 90 * MINUTE, dueAtMs: requestedAtMs + 120 * MINUTE, escalationDueAtMs: requestedAtMs + 180 * MINUTE }],
  ] as const)('%s', (_name, policy, expected) => {
    expect(approvalTimeline({ requestedAtMs, policy })).toEqual(expected);
  });

  const policyArb = fc
    .record({
      slaMinutes: fc.integer({ min: 1, max: 10_080 }),
      reminderBeforeMinutes: fc.integer({ min: 0, max: 10_079 }),
      onExpiry: fc.constantFrom('escalate' as const, 'skip' as const, 'expire' as const),
      escalationSlaMinutes: fc.integer({ min: 1, max: 10_080 }),
    })
    .filter((p) => p.reminderBeforeMinutes < p.slaMinutes);

  it('the reminder falls after the request and before the deadline; escalation after the deadline', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4_102_444_800_000 }), policyArb, (at, raw) => {
        const policy = approvalPolicySchema.parse(raw);
        const timeline = approvalTimeline({ requestedAtMs: at, policy });
        expect(timeline.dueAtMs).toBe(at + policy.slaMinutes * MINUTE);
        if (timeline.reminderAtMs === null) expect(policy.reminderBeforeMinutes).toBe(0);
        else {
          expect(timeline.reminderAtMs).toBeGreaterThan(at);
          expect(timeline.reminderAtMs).toBeLessThan(timeline.dueAtMs);
        }
        if (policy.onExpiry === 'escalate') expect(timeline.escalationDueAtMs).toBe(timeline.dueAtMs + policy.escalationSlaMinutes * MINUTE);
        else expect(timeline.escalationDueAtMs).toBeNull();
      }),
    );
  });
});

describe('editDiff', () => {
  const draft = { subject: 'Pricing', bodyText: 'Hi Ann' };

  it.each([
    ['nothing changed', draft, [] as const],
    ['the subject', { ...draft, subject: 'Re: pricing' }, [{ field: 'subject', before: 'Pricing', after: 'Re: pricing' }]],
    ['the body', { ...draft, bodyText: 'Hello Ann' }, [{ field: 'bodyText', before: 'Hi Ann', after: 'Hello Ann' }]],
    ['both', { subject: 'Re: pricing', bodyText: 'Hello Ann' }, [{ field: 'subject', before: 'Pricing', after: 'Re: pricing' }, { field: 'bodyText', before: 'Hi Ann', after: 'Hello Ann' }]],
    ['whitespace only', { ...draft, bodyText: 'Hi Ann ' }, [{ field: 'bodyText', before: 'Hi Ann', after: 'Hi Ann ' }]],
  ] as const)('%s', (_name, after, expected) => {
    expect(editDiff(draft, after)).toEqual(expected);
  });

  it('replaying the diff on the original gives the edit; an empty diff means no change', () => {
    const content = fc.record({ subject: fc.string({ maxLength: 8 }), bodyText: fc.string({ maxLength: 8 }) });
    fc.assert(
      fc.property(content, content, (before, after) => {
        const diff = editDiff(before, after);
        const replayed = { ...before };
        for (const edit of diff) {
          expect(edit.before).toBe(before[edit.field]);
          expect(edit.before).not.toBe(edit.after);
          replayed[edit.field] = edit.after;
        }
        expect(replayed).toEqual(after);
        expect(diff.length === 0).toBe(before.subject === after.subject && before.bodyText === after.bodyText);
      }),
    );
  });
});
