import {
  ActivityFailure,
  ApplicationFailure,
  condition,
  getExternalWorkflowHandle,
  ParentClosePolicy,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  startChild,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { Activities } from '../../activities/index.ts';
import type { ApplyOutcome, ExtractOutcome } from '../../activities/call-notes.ts';
import { approvalDeciderSchema, mayApprove } from '../../domain/approval.ts';
import { defaultActivityOptions } from '../shared/activity-options.ts';
import { OrgId, Owner, ProcessStatus } from '../shared/search-attributes.ts';
import { cadenceEventSignal } from '../follow-up-cadence/messages.ts';
import { meetingPrepWorkflowId } from '../meeting-prep/messages.ts';
import { meetingPrepWorkflow } from '../meeting-prep/workflow.ts';
import { outboundEmailWorkflowId } from '../outbound-email/messages.ts';
import { outboundEmailWorkflow } from '../outbound-email/workflow.ts';
import {
  callNotesStatusQuery,
  decideProposalUpdate,
  type CallNotesInput,
  type CallNotesResult,
  type CallNotesStatus,
  type CallNotesStep,
  type ProposalDecision,
} from './messages.ts';

const acts = proxyActivities<Activities>(defaultActivityOptions);
// The model may be rate limited or slow for a while; after half an hour the offline extractor stands in.
const { extractCallNote } = proxyActivities<Activities>({ ...defaultActivityOptions, startToCloseTimeout: '3 minutes', scheduleToCloseTimeout: '30 minutes' });
const { extractCallNote: extractOffline } = proxyActivities<Activities>({ ...defaultActivityOptions, startToCloseTimeout: '2 minutes' });

const MINUTE_MS = 60_000;

/**
 * One call note: extract (checked against the notes' own words) → propose → apply what the policy allows at once
 * → tasks, callbacks told to the contact's cadences, briefs for meetings agreed, a recap draft for approval →
 * wait for a person on the changes that need one, until the organisation's deadline.
 */
export async function callNotesWorkflow(input: CallNotesInput): Promise<CallNotesResult> {
  const workflowId = workflowInfo().workflowId;
  let status: CallNotesStatus = { step: 'extracting', since: new Date().toISOString(), extractor: null, dropped: 0, applied: 0, pendingApprovals: 0, fallbackReason: null };
  const open = new Map<string, string>(); // approval id → proposal id
  const decisions = new Map<string, ProposalDecision>();
  let ownerMemberId = '';

  const moveTo = (step: CallNotesStep, patch: Partial<CallNotesStatus> = {}) => {
    status = { ...status, ...patch, step, since: new Date().toISOString() };
    upsertSearchAttributes([{ key: ProcessStatus, value: step }]);
    setCurrentDetails(
      `**${step}** since ${status.since}\n\nExtractor: ${status.extractor ?? '—'}${status.fallbackReason ? ` (offline because: ${status.fallbackReason})` : ''}` +
        `\n\nApplied ${status.applied}, waiting for a person ${status.pendingApprovals}, dropped for want of evidence ${status.dropped}`,
    );
  };

  setHandler(callNotesStatusQuery, () => status);
  setHandler(
    decideProposalUpdate,
    (decision) => {
      decisions.set(decision.approvalId, decision);
      return { accepted: true as const, decision: decision.decision };
    },
    {
      validator: (decision) => {
        approvalDeciderSchema.parse(decision.decidedBy);
        if (decision.decision !== 'approve' && decision.decision !== 'reject') throw ApplicationFailure.nonRetryable('A proposed change is approved or rejected', 'InvalidDecision');
        if (!open.has(decision.approvalId) || decisions.has(decision.approvalId)) throw ApplicationFailure.nonRetryable('This change is not waiting for a decision', 'NoPendingApproval');
        if (!mayApprove({ role: decision.decidedBy.role, isMailboxOwner: decision.decidedBy.memberId === ownerMemberId, escalated: false })) {
          throw ApplicationFailure.nonRetryable(`A ${decision.decidedBy.role} may not decide another rep's call notes`, 'NotAllowedToApprove');
        }
      },
    },
  );
  upsertSearchAttributes([{ key: OrgId, value: input.orgId }]);
  moveTo('extracting');

  let extracted: ExtractOutcome;
  let fallbackReason: string | null = null;
  try {
    extracted = await extractCallNote(input);
  } catch (err) {
    // Whatever stopped the configured extractor (an unusable answer, a bad key, a model away for half an hour),
    // the notes are still read: by the offline rules, and the note says why.
    const cause = err instanceof ActivityFailure ? err.cause : err;
    fallbackReason = cause instanceof ApplicationFailure ? `${cause.type ?? 'Error'}: ${cause.message}`.slice(0, 500) : String((cause as Error | undefined)?.message ?? cause).slice(0, 500);
    try {
      extracted = await extractOffline({ ...input, offlineBecause: fallbackReason });
    } catch (offlineErr) {
      const reason = offlineErr instanceof ActivityFailure && offlineErr.cause ? offlineErr.cause.message : String(offlineErr);
      await acts.finishCallNote({ ...input, status: 'failed', reason: reason.slice(0, 500) });
      moveTo('failed');
      return { outcome: 'failed', applied: 0, rejected: 0, expired: 0, superseded: 0, dropped: 0, recapMessageId: null };
    }
  }
  ownerMemberId = extracted.ownerMemberId;
  upsertSearchAttributes([{ key: Owner, value: ownerMemberId }]);
  const counts = { applied: 0, rejected: 0, expired: 0, superseded: 0 };
  moveTo('applying', { extractor: extracted.extractor, dropped: extracted.dropped, fallbackReason });

  // At once: the activity record, the summary, the rep's tasks, callbacks, meetings, insights.
  const applied: ApplyOutcome = await acts.applyCallNoteProposals({ ...input, proposalIds: extracted.applyIds, nowMs: Date.now() });
  counts.applied += applied.applied.length;
  counts.superseded += applied.superseded.length;

  for (const callback of applied.callbacks) {
    if (!callback.contactId) continue;
    // The contact asked for a call: their cadence holds its emails until then (no email on top of a planned call).
    for (const cadenceId of await acts.contactCadences({ orgId: input.orgId, contactId: callback.contactId })) {
      await getExternalWorkflowHandle(cadenceId)
        .signal(cadenceEventSignal, { eventId: `call-note:${input.callNoteId}:${callback.proposalId}`, kind: 'callback_requested', atMs: callback.atMs })
        .catch(() => undefined); // that cadence ended meanwhile: nothing to hold
    }
  }
  for (const meetingId of applied.meetings) {
    try {
      await startChild(meetingPrepWorkflow, { workflowId: meetingPrepWorkflowId(input.orgId, meetingId), args: [{ orgId: input.orgId, activityId: meetingId }], parentClosePolicy: ParentClosePolicy.ABANDON });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
  }

  let recapMessageId: string | null = null;
  if (extracted.draftRecap) {
    const recap = await acts.draftCallRecap({ ...input, workflowId });
    if (recap.ok) {
      recapMessageId = recap.messageId;
      try {
        // Its own process: the recap waits for its approval (buyer content always needs one) and sends exactly once.
        await startChild(outboundEmailWorkflow, { workflowId: outboundEmailWorkflowId(input.orgId, recap.businessKey), args: [{ orgId: input.orgId, messageId: recap.messageId }], parentClosePolicy: ParentClosePolicy.ABANDON });
      } catch (err) {
        if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      }
    }
  }

  // What matters waits for a person, each change on its own, until the organisation's deadline.
  const requestedAtMs = Date.now();
  const dueAtMs = requestedAtMs + extracted.approvalSlaMinutes * MINUTE_MS;
  for (const proposalId of extracted.approveIds) {
    const { approvalId } = await acts.openProposalApproval({ orgId: input.orgId, proposalId, workflowId, requestedAtMs, dueAtMs });
    open.set(approvalId, proposalId);
  }
  moveTo(open.size > 0 ? 'awaiting-approval' : 'applying', { applied: counts.applied, pendingApprovals: open.size });
  while (open.size > 0) {
    const decided = await condition(() => [...open.keys()].some((id) => decisions.has(id)), Math.max(0, dueAtMs - Date.now()));
    if (!decided) {
      for (const [approvalId, proposalId] of open) {
        await acts.closeProposalApproval({ ...input, proposalId, approvalId, outcome: 'expired', decidedByMemberId: null, nowMs: Date.now() });
        counts.expired += 1;
      }
      open.clear();
      break;
    }
    for (const [approvalId, proposalId] of [...open]) {
      const decision = decisions.get(approvalId);
      if (!decision) continue;
      open.delete(approvalId);
      const decidedByMemberId = decision.decidedBy.memberId;
      if (decision.decision === 'approve') {
        await acts.closeProposalApproval({ ...input, proposalId, approvalId, outcome: 'approved', decidedByMemberId, nowMs: Date.now() });
        const result = await acts.applyCallNoteProposals({ ...input, proposalIds: [proposalId], decidedByMemberId, nowMs: Date.now() });
        counts.applied += result.applied.length;
        counts.superseded += result.superseded.length;
      } else {
        await acts.closeProposalApproval({ ...input, proposalId, approvalId, outcome: 'rejected', decidedByMemberId, nowMs: Date.now() });
        counts.rejected += 1;
      }
    }
    moveTo('awaiting-approval', { applied: counts.applied, pendingApprovals: open.size });
  }

  await acts.finishCallNote({ ...input, status: 'completed', reason: null });
  moveTo('completed', { applied: counts.applied, pendingApprovals: 0 });
  return { outcome: 'completed', ...counts, dropped: extracted.dropped, recapMessageId };
}
