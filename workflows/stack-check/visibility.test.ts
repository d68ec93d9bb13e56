// Search attributes on the real dev server: ops find processes with list queries.
import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { connectDevServer, testResources, uniqueTaskQueue } from '../../infra/testing/harness.ts';
import { stackCheckWorkflowId } from './messages.ts';
import { stackCheckWorkflow } from './workflow.ts';

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await connectDevServer();
});
afterAll(async () => {
  await env?.teardown();
});

async function listIds(query: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const w of env.client.workflow.list({ query })) ids.push(w.workflowId);
  return ids;
}

describe('stack-check search attributes', () => {
  it('ProcessStatus follows the step and is queryable', async () => {
    const taskQueue = uniqueTaskQueue('visibility');
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: testResources().workflowBundle,
      activities: { checkWorker: async () => ({ workerIdentity: 'w', databaseTime: 't', attempt: 1, takenOverFrom: null }) },
    });
    const waiting = `${randomUUID()}`;
    const done = `${randomUUID()}`;
    await worker.runUntil(async () => {
      await env.client.workflow.start(stackCheckWorkflow, { taskQueue, workflowId: stackCheckWorkflowId(waiting), args: [{ checkId: waiting, waitSeconds: 3600, workSeconds: 0 }] });
      await env.client.workflow.execute(stackCheckWorkflow, { taskQueue, workflowId: stackCheckWorkflowId(done), args: [{ checkId: done, waitSeconds: 0, workSeconds: 0 }] });
    });
    const scope = `TaskQueue = '${taskQueue}'`;
    // Visibility is eventually consistent: poll briefly.
    let doneIds: string[] = [];
    let waitingIds: string[] = [];
    for (let i = 0; i < 40; i++) {
      doneIds = await listIds(`${scope} AND ProcessStatus = 'done'`);
      waitingIds = await listIds(`${scope} AND ProcessStatus = 'waiting-on-timer'`);
      if (doneIds.length === 1 && waitingIds.length === 1) break;
      await delay(250);
    }
    expect(doneIds).toEqual([stackCheckWorkflowId(done)]);
    expect(waitingIds).toEqual([stackCheckWorkflowId(waiting)]);
    await env.client.workflow.getHandle(stackCheckWorkflowId(waiting)).terminate('test done');
  });
});
