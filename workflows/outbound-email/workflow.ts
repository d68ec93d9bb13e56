import { ApplicationFailure, condition, proxyActivities, setCurrentDetails, setHandler, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../../activities/index.ts';
import { approvalDecisionSchema, approvalTimeline, mayApprove, type ApprovalDecision } from '../../domain/approval.ts';
import { defaultActivityOptions } from '../shared/activity-options.ts';
import { ContactId, OrgId, ProcessStatus } from '../shared/search-attributes.ts';
import {
  buyerRepliedSignal,
  cancelSignal,
  decideUpdate,
  outboundStatusQuery,
  type OutboundEmailInput,
  type OutboundOutcome,
  type OutboundResult,
  type OutboundStatus,
  type OutboundStep,
} from './messages.ts';

const acts = proxyActivities<Activities>(defaultActivityOptions);
// The send may be retried only while the provider still remembers its idempotency key (Resend: 24 h).
const { sendEmail } = proxyActivities<Activities>({ ...defaultActivityOptions, scheduleToCloseTimeout: '20 hours' });

/**
 * One email to a buyer: approval (when the policy or the draft's origin requires it) with a deadline, a reminder
 * and escalation; a capacity slot shared with every other process; then the guarded, exactly-once send.
 */
export async function outboundEmailWorkflow(input: OutboundEmailInput): Promise<OutboundResult> {
  let status: OutboundStatus = { step: 'preparing', since: new Date().toISOString(), nextActionAt: null, reasons: [] };
  const repliedEvents = new Set<string>();
  let cancelled: string | null = null;
  let pending: ApprovalDecision | null = null;
  let approvalOpen = false;
  let escalated = false;
  let ownerMemberId = '';

  setHandler(outboundStatusQuery, () => status);
  setHandler(buyerRepliedSignal, ({ eventId }) => void repliedEvents.add(eventId));
  setHandler(cancelSignal, ({ reason }) => {
    cancelled ??= reason;
  });
  setHandler(
    decideUpdate,
    (decision) => {
      pending = decision;
      return { accepted: true as const, decision: decision.decision };
    },
    {
      validator: (decision) => {
        approvalDecisionSchema.parse(decision);
        if (!approvalOpen || pending) throw ApplicationFailure.nonRetryable('No approval is pending for this email', 'NoPendingApproval');
        const isMailboxOwner = decision.decidedBy.memberId === ownerMemberId;
        if (!mayApprove({ role: decision.decidedBy.role, isMailboxOwner, escalated })) {
          throw ApplicationFailure.nonRetryable(`A ${decision.decidedBy.role} may not decide this approval`, 'NotAllowedToApprove');
        }
      },
    },
  );

  // A function, so type narrowing does not assume the update handler never ran.
  const takeDecision = (): ApprovalDecision | null => {
    const decision = pending;
    pending = null;
    return decision;
  };
  const replied = () => repliedEvents.size > 0;
  const stopped = () => replied() || cancelled !== null;
  const moveTo = (step: OutboundStep, nextActionAt: number | null, reasons: string[], why: string) => {
    status = { step, since: new Date().toISOString(), nextActionAt: nextActionAt === null ? null : new Date(nextActionAt).toISOString(), reasons };
    upsertSearchAttributes([{ key: ProcessStatus, value: step }]);
    setCurrentDetails(`**${step}** since ${status.since}${status.nextActionAt ? ` · next: ${status.nextActionAt}` : ''}\n\n${why}`);
  };
  const finish = async (outcome: OutboundOutcome, reasons: string[], why: string, providerMessageId: string | null = null): Promise<OutboundResult> => {
    if (outcome !== 'sent' && outcome !== 'blocked' && outcome !== 'needs-attention') await acts.markOutbound({ orgId: input.orgId, messageId: input.messageId, outcome, reasons });
    moveTo(outcome, null, reasons, why);
    return { outcome, reasons, providerMessageId };
  };
  const stopReason = () => (replied() ? 'replied' : 'cancelled');

  const plan = await acts.prepareOutbound({ orgId: input.orgId, messageId: input.messageId, nowMs: Date.now() });
  ownerMemberId = plan.mailboxOwnerMemberId;
  upsertSearchAttributes([
    { key: OrgId, value: input.orgId },
    { key: ContactId, value: plan.contactId },
  ]);

  if (plan.requiresApproval) {
    for (;;) {
      const requestedAtMs = Date.now();
      const timeline = approvalTimeline({ requestedAtMs, policy: plan.approvalPolicy });
      escalated = false;
      // Open to decisions from the moment the approval row may exist: the API lists it as soon as openApproval has
      // written it, and a person may decide before this workflow has seen the activity's result. (Replay-safe: a
      // refused update is not in the history.)
      approvalOpen = true;
      const { approvalId } = await acts.openApproval({
        orgId: input.orgId,
        messageId: input.messageId,
        workflowId: workflowInfo().workflowId,
        requestedAtMs,
        dueAtMs: timeline.dueAtMs,
      });
      moveTo('awaiting-approval', timeline.dueAtMs, [plan.requirementReason], `Waiting for the mailbox owner to approve (${plan.requirementReason}); due ${new Date(timeline.dueAtMs).toISOString()}.`);
      const decidedOrStopped = () => pending !== null || stopped();

      if (timeline.reminderAtMs !== null && !(await condition(decidedOrStopped, Math.max(0, timeline.reminderAtMs - Date.now())))) {
        await acts.remindApprover({ orgId: input.orgId, approvalId, nowMs: Date.now() });
      }
      let decided = await condition(decidedOrStopped, Math.max(0, timeline.dueAtMs - Date.now()));
      if (!decided && plan.approvalPolicy.onExpiry === 'escalate' && timeline.escalationDueAtMs !== null) {
        escalated = true;
        await acts.escalateApproval({ orgId: input.orgId, approvalId, dueAtMs: timeline.escalationDueAtMs });
        moveTo('escalated', timeline.escalationDueAtMs, ['approval_overdue'], 'The approval was not decided in time: escalated to managers.');
        decided = await condition(decidedOrStopped, Math.max(0, timeline.escalationDueAtMs - Date.now()));
      }
      approvalOpen = false;

      if (stopped()) {
        await acts.closeApproval({ orgId: input.orgId, approvalId, messageId: input.messageId, status: 'cancelled', decision: null, nowMs: Date.now() });
        return finish(stopReason(), [cancelled ?? 'buyer_replied'], replied() ? 'The buyer replied while the draft awaited approval: nothing was sent.' : `Cancelled (${cancelled}).`);
      }
      const decision = takeDecision();
      if (!decided || decision === null) {
        const outcome = plan.approvalPolicy.onExpiry === 'skip' ? 'skipped' : 'expired';
        await acts.closeApproval({ orgId: input.orgId, approvalId, messageId: input.messageId, status: outcome, decision: null, nowMs: Date.now() });
        return finish(outcome, ['approval_sla_expired'], `No decision before the deadline: ${outcome}. Nothing was sent.`);
      }
      if (decision.decision === 'reject') {
        await acts.closeApproval({ orgId: input.orgId, approvalId, messageId: input.messageId, status: 'rejected', decision, nowMs: Date.now() });
        return finish('rejected', ['rejected_by_approver'], 'Rejected by the approver. Nothing was sent.');
      }
      if (decision.decision === 'regenerate') {
        await acts.closeApproval({ orgId: input.orgId, approvalId, messageId: input.messageId, status: 'cancelled', decision, nowMs: Date.now() });
        await acts.regenerateDraft({ orgId: input.orgId, messageId: input.messageId, revisionId: decision.revisionId, decidedBy: decision.decidedBy });
        continue;
      }
      await acts.closeApproval({ orgId: input.orgId, approvalId, messageId: input.messageId, status: 'approved', decision, nowMs: Date.now() });
      break;
    }
  }

  if (stopped()) return finish(stopReason(), [cancelled ?? 'buyer_replied'], 'Stopped before sending.');
  const { slotAtMs } = await acts.reserveSendSlot({ orgId: input.orgId, messageId: input.messageId, nowMs: Date.now() });
  if (slotAtMs > Date.now()) {
    moveTo('waiting-for-capacity', slotAtMs, ['mailbox_capacity'], `The mailbox is at its sending cap: next slot ${new Date(slotAtMs).toISOString()}.`);
    await condition(stopped, slotAtMs - Date.now());
    if (stopped()) return finish(stopReason(), [cancelled ?? 'buyer_replied'], 'Stopped while waiting for capacity.');
  }

  try {
    for (;;) {
      moveTo('sending', null, [], 'Checking suppression, consent, pauses, replies and capacity, then sending once.');
      const result = await sendEmail.executeWithOptions({ summary: 'Guarded, exactly-once send' }, [{ orgId: input.orgId, messageId: input.messageId, nowMs: Date.now() }]);
      if (result.outcome === 'blocked') return finish('blocked', result.reasons, `Not sent: ${result.reasons.join(', ')}.`);
      if (result.outcome === 'sent') return finish('sent', [], `Sent (${result.providerMessageId}).`, result.providerMessageId);
      // Later than its slot and the caps no longer fit: wait for the next one.
      const untilMs = result.untilMs ?? Date.now();
      moveTo('waiting-for-capacity', untilMs, ['mailbox_capacity'], `The mailbox is at its sending cap: next slot ${new Date(untilMs).toISOString()}.`);
      await condition(stopped, Math.max(0, untilMs - Date.now()));
      if (stopped()) return finish(stopReason(), [cancelled ?? 'buyer_replied'], 'Stopped while waiting for capacity.');
    }
  } catch (err) {
    const type = (err as { cause?: { type?: string } }).cause?.type;
    if (type === 'StaleReservationError' || type === 'ProviderRejectedError') {
      return finish('needs-attention', [type], 'A person must look at this send: it was not (re)sent automatically.');
    }
    throw err;
  }
}
