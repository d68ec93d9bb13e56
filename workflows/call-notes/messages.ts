// Messages of the call-notes process: one workflow per call note, from extraction to every proposal applied,
// decided or expired, with the follow-through (tasks, callbacks told to cadences, briefs, the recap draft).
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { ApprovalDecider } from '../../domain/approval.ts';

export interface CallNotesInput {
  orgId: string;
  /** The call_notes row (texts stay in Postgres, ADR-0007). */
  callNoteId: string;
}

export type CallNotesStep = 'extracting' | 'applying' | 'awaiting-approval' | 'completed' | 'failed';

export interface CallNotesStatus {
  step: CallNotesStep;
  since: string;
  extractor: 'openai' | 'offline' | null;
  /** Proposals whose quote was not in the notes: dropped, never applied. */
  dropped: number;
  applied: number;
  pendingApprovals: number;
  /** Why the offline extractor stood in, when it did. */
  fallbackReason: string | null;
}

export interface CallNotesResult {
  outcome: 'completed' | 'failed';
  applied: number;
  rejected: number;
  expired: number;
  superseded: number;
  dropped: number;
  recapMessageId: string | null;
}

/** A person's decision on one proposed change; checked (who may decide, is it pending) before it enters history. */
export interface ProposalDecision {
  approvalId: string;
  decision: 'approve' | 'reject';
  decidedBy: ApprovalDecider;
}

export const decideProposalUpdate = defineUpdate<{ accepted: true; decision: 'approve' | 'reject' }, [ProposalDecision]>('decideProposal');
export const callNotesStatusQuery = defineQuery<CallNotesStatus>('callNotesStatus');

export function callNotesWorkflowId(orgId: string, callNoteId: string): string {
  return `call-notes:${orgId}:${callNoteId}`;
}

/** The AI failures after which the offline extractor stands in (the model's answer was unusable, not late). */
export const FALLBACK_ERROR_TYPES = ['AiRefusedError', 'AiMalformedOutputError', 'AiSchemaMismatchError'] as const;
