// Messages of the stack-check process, shared by the workflow, the tools that start it and the tests.
import { defineQuery } from '@temporalio/workflow';

export interface StackCheckInput {
  /** Business key of this check, e.g. "2026-11-25T10:00Z" or "resume-test-1". */
  checkId: string;
  /** How long the durable timer waits before the worker check runs. */
  waitSeconds: number;
  /** How long the worker check keeps working (and heartbeating). */
  workSeconds: number;
}

export interface WorkerCheckReport {
  workerIdentity: string;
  databaseTime: string;
  /** Which attempt finished the check (1 unless a worker was lost). */
  attempt: number;
  /** The worker whose attempt was lost (from its last heartbeat), when this attempt took over. */
  takenOverFrom: string | null;
}

export interface StackCheckResult {
  checkId: string;
  timerStartedAt: string;
  timerFiredAt: string;
  worker: WorkerCheckReport;
}

export type StackCheckStep = 'waiting-on-timer' | 'checking-worker' | 'done';

export interface StackCheckStatus {
  step: StackCheckStep;
  since: string;
  nextActionAt: string | null;
}

export const stackCheckStatusQuery = defineQuery<StackCheckStatus>('stackCheckStatus');

export function stackCheckWorkflowId(checkId: string): string {
  return `stack-check:${checkId}`;
}
