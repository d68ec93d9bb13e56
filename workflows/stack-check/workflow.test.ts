import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { Activities } from '../../activities/index.ts';
import { createTimeSkippingEnv, testResources, uniqueTaskQueue } from '../../infra/testing/harness.ts';
import { stackCheckStatusQuery, stackCheckWorkflowId, type StackCheckInput } from './messages.ts';
import { stackCheckWorkflow } from './workflow.ts';

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await createTimeSkippingEnv();
});
afterAll(async () => {
  await env?.teardown();
});

function fakeActivities(calls: Array<{ checkId: string; workSeconds: number }>): Pick<Activities, 'checkWorker'> {
  return {
    async checkWorker(input) {
      calls.push(input);
      return { workerIdentity: 'fake-worker', databaseTime: '2030-01-01T00:00:00.000Z', attempt: 1, takenOverFrom: null };
    },
  };
}

describe('stack-check workflow', () => {
  it('sleeps the full durable timer in workflow time, then runs the worker check once', async () => {
    const calls: Array<{ checkId: string; workSeconds: number }> = [];
    const taskQueue = uniqueTaskQueue('stack-check');
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: testResources().workflowBundle,
      activities: fakeActivities(calls),
    });
    const input: StackCheckInput = { checkId: randomUUID(), waitSeconds: 6 * 3600, workSeconds: 2 };
    const result = await worker.runUntil(
      env.client.workflow.execute(stackCheckWorkflow, { taskQueue, workflowId: stackCheckWorkflowId(input.checkId), args: [input] }),
    );
    const waitedMs = Date.parse(result.timerFiredAt) - Date.parse(result.timerStartedAt);
    expect(waitedMs).toBeGreaterThanOrEqual(6 * 3600 * 1000);
    expect(waitedMs).toBeLessThan(6 * 3600 * 1000 + 60_000);
    expect(calls).toEqual([{ checkId: input.checkId, workSeconds: 2 }]);
    expect(result.worker).toEqual({ workerIdentity: 'fake-worker', databaseTime: '2030-01-01T00:00:00.000Z', attempt: 1, takenOverFrom: null });
  });

  it('reports what it waits on and when the timer fires through the status query', async () => {
    const taskQueue = uniqueTaskQueue('stack-check-status');
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: testResources().workflowBundle,
      activities: fakeActivities([]),
    });
    await worker.runUntil(async () => {
      const input: StackCheckInput = { checkId: randomUUID(), waitSeconds: 3600, workSeconds: 0 };
      const handle = await env.client.workflow.start(stackCheckWorkflow, { taskQueue, workflowId: stackCheckWorkflowId(input.checkId), args: [input] });
      const status = await handle.query(stackCheckStatusQuery);
      expect(status.step).toBe('waiting-on-timer');
      expect(Date.parse(status.nextActionAt ?? '') - Date.parse(status.since)).toBe(3600 * 1000);
      await handle.result();
      expect((await handle.query(stackCheckStatusQuery)).step).toBe('done');
    });
  });
});
