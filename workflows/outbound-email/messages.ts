// Messages of the outbound-email process: one workflow per email to a buyer, from draft to sent (or to the
// reason it was not). Every sales process that writes to a buyer starts one, as a child, by business key.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { ApprovalDecision } from '../../domain/approval.ts';
import type { BlockReason } from '../../domain/send-guard.ts';

export interface OutboundEmailInput {
  orgId: string;
  /** The outbound_messages row holding the draft (bodies stay in Postgres, ADR-0007). */
  messageId: string;
}

export type OutboundStep =
  | 'preparing'
  | 'awaiting-approval'
  | 'escalated'
  | 'waiting-for-capacity'
  | 'sending'
  | 'sent'
  | 'rejected'
  | 'expired'
  | 'skipped'
  | 'blocked'
  | 'replied'
  | 'cancelled'
  | 'needs-attention';

export interface OutboundStatus {
  step: OutboundStep;
  since: string;
  /** When the next thing happens by itself (approval deadline, capacity slot), if anything. */
  nextActionAt: string | null;
  /** Why the process is where it is, in codes (e.g. block reasons). */
  reasons: string[];
}

export type OutboundOutcome = 'sent' | 'rejected' | 'expired' | 'skipped' | 'blocked' | 'replied' | 'cancelled' | 'needs-attention';

export interface OutboundResult {
  outcome: OutboundOutcome;
  reasons: Array<BlockReason | string>;
  providerMessageId: string | null;
}

export interface DecisionAck {
  accepted: true;
  decision: ApprovalDecision['decision'];
}

/** A human decision on the pending approval; validated (schema and who may decide) before it enters history. */
export const decideUpdate = defineUpdate<DecisionAck, [ApprovalDecision]>('decide');
/** The buyer wrote back: a pending email must not go out. The event id makes repeats harmless. */
export const buyerRepliedSignal = defineSignal<[{ eventId: string }]>('buyerReplied');
/** Stop, e.g. the cadence was stopped or the contact unsubscribed. */
export const cancelSignal = defineSignal<[{ reason: string }]>('cancel');
export const outboundStatusQuery = defineQuery<OutboundStatus>('outboundStatus');

export function outboundEmailWorkflowId(orgId: string, businessKey: string): string {
  return `outbound:${orgId}:${businessKey}`;
}
