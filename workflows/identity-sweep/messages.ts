// Messages of the identity sweep: one long-lived workflow per organisation.
import { defineSignal } from '@temporalio/workflow';

export interface IdentitySweepInput {
  orgId: string;
}

/** Sweep now (after an import, or when a person asks). */
export const sweepNowSignal = defineSignal<[]>('sweepNow');

export function identitySweepWorkflowId(orgId: string): string {
  return `identity-sweep:${orgId}`;
}

/** The periodic sweep's interval. */
export const SWEEP_INTERVAL_MS = 24 * 3600_000;
