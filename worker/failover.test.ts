// Two worker processes on one task queue; the one running an activity is killed with SIGKILL. The other
// finishes the activity, and the workflow's history says so.
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { Client, Connection } from '@temporalio/client';
import proto from '@temporalio/proto';
import { isAlive, tail, type ManagedProcess } from '../infra/dev/processes.ts';
import { spawnWorkerProcess } from '../infra/testing/worker-process.ts';
import { testResources, uniqueTaskQueue } from '../infra/testing/harness.ts';
import { stackCheckWorkflowId, type WorkerCheckReport } from '../workflows/stack-check/messages.ts';
import type { stackCheckWorkflow } from '../workflows/stack-check/workflow.ts';

const workers: ManagedProcess[] = [];
afterAll(async () => {
  for (const w of workers) if (isAlive(w.pid)) await w.stop('SIGKILL', 1000);
});

function startWorker(identity: string, taskQueue: string): ManagedProcess {
  const proc = spawnWorkerProcess(identity, taskQueue);
  workers.push(proc);
  return proc;
}

const { EventType, TimeoutType } = proto.temporal.api.enums.v1;

describe('worker failover', () => {
  it('an activity started on worker A, which is then killed, completes on worker B', { timeout: 180_000 }, async () => {
    const taskQueue = uniqueTaskQueue('failover');
    const byIdentity = { 'worker-A': startWorker('worker-A', taskQueue), 'worker-B': startWorker('worker-B', taskQueue) };
    const connection = await Connection.connect({ address: testResources().temporalAddress });
    const client = new Client({ connection });
    try {
      const checkId = `failover-${Date.now()}`;
      const handle = await client.workflow.start<typeof stackCheckWorkflow>('stackCheckWorkflow', {
        taskQueue,
        workflowId: stackCheckWorkflowId(checkId),
        args: [{ checkId, waitSeconds: 0, workSeconds: 15 }],
      });

      // Whichever worker picked the activity up is "A" for this test: find it, then SIGKILL it.
      let running: string | undefined;
      const deadline = Date.now() + 60_000;
      while (!running && Date.now() < deadline) {
        const pending = (await handle.describe()).raw.pendingActivities ?? [];
        const started = pending.find((a) => a.lastStartedTime && a.lastWorkerIdentity);
        running = started?.lastWorkerIdentity ?? undefined;
        if (!running) await delay(250);
      }
      if (!running) throw new Error(`No worker started the activity. Logs:\n${tail(byIdentity['worker-A'].logFile)}\n${tail(byIdentity['worker-B'].logFile)}`);
      const killed = running as keyof typeof byIdentity;
      const survivor = killed === 'worker-A' ? 'worker-B' : 'worker-A';
      await delay(2_000); // let it heartbeat, so its identity is in the heartbeat details
      await byIdentity[killed].stop('SIGKILL', 1000);

      const result = await handle.result();
      expect(result.worker.workerIdentity).toBe(survivor);

      const { events } = await handle.fetchHistory();
      const started = (events ?? []).filter((e) => e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED);
      const completed = (events ?? []).filter((e) => e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED);
      expect(started).toHaveLength(1);
      expect(completed).toHaveLength(1);
      const startedAttrs = started[0]!.activityTaskStartedEventAttributes!;
      // Temporal records one started event for the attempt that finished, with the failure of the one before.
      expect(startedAttrs.attempt).toBe(2);
      expect(startedAttrs.identity).toBe(survivor);
      expect(completed[0]!.activityTaskCompletedEventAttributes!.identity).toBe(survivor);
      const lastFailure = startedAttrs.lastFailure!;
      expect(lastFailure.timeoutFailureInfo?.timeoutType).toBe(TimeoutType.TIMEOUT_TYPE_HEARTBEAT);
      // The server handed the killed worker's last heartbeat to the new attempt, which recorded it in its result.
      const payload = completed[0]!.activityTaskCompletedEventAttributes!.result!.payloads![0]!;
      const report = JSON.parse(Buffer.from(payload.data!).toString('utf8')) as WorkerCheckReport;
      expect(report).toMatchObject({ workerIdentity: survivor, attempt: 2, takenOverFrom: killed });
    } finally {
      await connection.close();
    }
  });
});
