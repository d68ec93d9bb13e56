// The process starter: finds work saved in Postgres whose process never started — a call note posted while
// Temporal could not be reached, a scheduled meeting without a brief (logged then, or before briefs existed) —
// and starts it. Starting is idempotent by the business workflow id, so several workers, or a start that did
// happen after all, do no harm. Nothing is lost when the API cannot reach Temporal: the row is the record.
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { Database } from '../adapters/db/session.ts';
import { createPollLoop } from './poll-loop.ts';
import type { CallNotesInput } from '../workflows/call-notes/messages.ts';
import { meetingChangedSignal, meetingPrepWorkflowId, type MeetingPrepInput } from '../workflows/meeting-prep/messages.ts';

export interface ProcessStarterOptions {
  db: Database;
  temporal: Client;
  taskQueue: string;
  logger: { info(message: string, meta?: Record<string, unknown>): void; warn(message: string, meta?: Record<string, unknown>): void };
  pollMs?: number;
  /** A row younger than this is left to whoever saved it (the API starts it itself). */
  graceMs?: number;
  /** Only these organisations (tests that share a database); all when absent. */
  orgIds?: string[];
}

export function createProcessStarter(options: ProcessStarterOptions) {
  const { db, temporal, taskQueue, logger } = options;
  const pollMs = options.pollMs ?? 30_000;
  const graceMs = options.graceMs ?? 60_000;

  const orgFilter = (tx: Parameters<Parameters<Database['asService']>[0]>[0], column: string) =>
    options.orgIds ? tx`and ${tx(column)} = any(${options.orgIds}::uuid[])` : tx``;

  async function startOnce(workflowType: string, workflowId: string, args: [CallNotesInput] | [MeetingPrepInput], signal?: typeof meetingChangedSignal): Promise<boolean> {
    try {
      if (signal) await temporal.workflow.signalWithStart(workflowType, { workflowId, taskQueue, args, signal, signalArgs: [] });
      else await temporal.workflow.start(workflowType, { workflowId, taskQueue, args });
      return true;
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) return false;
      throw err;
    }
  }

  /** One pass: starts what is missing; returns how many processes it started. */
  async function runOnce(): Promise<{ callNotes: number; meetings: number }> {
    const since = new Date(Date.now() - graceMs).toISOString();
    const { notes, meetings } = await db.asService(async (tx) => ({
      notes: await tx<{ id: string; orgId: string; workflowId: string }[]>`
        select id, org_id, workflow_id from public.call_notes
        where status = 'received' and created_at < ${since} ${orgFilter(tx, 'org_id')}
        order by created_at limit 100`,
      // Meetings still ahead with no brief planned: the brief's process never heard of them.
      meetings: await tx<{ id: string; orgId: string }[]>`
        select a.id, a.org_id from public.activities a
        where a.kind = 'meeting' and a.meeting_status = 'scheduled' and a.meeting_start_at > now() and a.created_at < ${since}
          and not exists (select 1 from public.meeting_briefs b where b.org_id = a.org_id and b.meeting_activity_id = a.id) ${orgFilter(tx, 'a.org_id')}
        order by a.meeting_start_at limit 100`,
    }));
    const counts = { callNotes: 0, meetings: 0 };
    for (const note of notes) {
      if (await startOnce('callNotesWorkflow', note.workflowId, [{ orgId: note.orgId, callNoteId: note.id }])) counts.callNotes += 1;
    }
    for (const meeting of meetings) {
      // Signal-with-start: a process that is running but has not planned its brief yet just reads the meeting again.
      if (await startOnce('meetingPrepWorkflow', meetingPrepWorkflowId(meeting.orgId, meeting.id), [{ orgId: meeting.orgId, activityId: meeting.id }], meetingChangedSignal)) counts.meetings += 1;
    }
    if (counts.callNotes + counts.meetings > 0) logger.info('Started processes that had not started', counts);
    return counts;
  }

  const poll = createPollLoop({
    pass: async () => {
      await runOnce();
      return false;
    },
    pollMs,
    // Temporal or Postgres away: the next pass tries again.
    onError: (err) => logger.warn('Process starter pass failed', { error: err instanceof Error ? err.message : String(err) }),
  });

  return { runOnce, start: poll.start, stop: poll.stop };
}
