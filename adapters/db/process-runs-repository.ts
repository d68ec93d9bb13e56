import type { Tx } from './client.ts';

export interface ProcessRunWrite {
  orgId: string;
  workflowId: string;
  runId: string;
  kind: string;
  subjectType: string;
  subjectId: string;
  status: string;
  step: string;
  waitingOn: string | null;
  nextActionAt: string | null;
  /** Increments with each run of the same workflow id (re-enrolment, continue-as-new). */
  runSeq: number;
  /** Increments with each step within a run. */
  stepSeq: number;
}

export const processRunsRepository = {
  /**
   * Writes the projection unless the stored row is newer (by run, then step): a retried, stale activity can
   * never roll a status back. Returns whether this write was applied.
   */
  async record(tx: Tx, run: ProcessRunWrite): Promise<boolean> {
    const rows = await tx`
      insert into public.process_runs ${tx({ ...run, updatedAt: new Date().toISOString() })}
      on conflict (org_id, workflow_id) do update set
        run_id = excluded.run_id, kind = excluded.kind, subject_type = excluded.subject_type,
        subject_id = excluded.subject_id, status = excluded.status, step = excluded.step,
        waiting_on = excluded.waiting_on, next_action_at = excluded.next_action_at,
        run_seq = excluded.run_seq, step_seq = excluded.step_seq, updated_at = excluded.updated_at
      where (public.process_runs.run_seq, public.process_runs.step_seq) < (excluded.run_seq, excluded.step_seq)
      returning 1`;
    return rows.length === 1;
  },

  async get(tx: Tx, orgId: string, workflowId: string): Promise<ProcessRunWrite | undefined> {
    const [row] = await tx<ProcessRunWrite[]>`
      select org_id, workflow_id, run_id, kind, subject_type, subject_id, status, step, waiting_on, next_action_at, run_seq, step_seq
      from public.process_runs where org_id = ${orgId} and workflow_id = ${workflowId}`;
    return row;
  },
};
