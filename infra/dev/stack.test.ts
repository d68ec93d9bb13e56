// The dev stack as a person uses it: up, Ctrl-C, up again; and after a kill -9 of the launcher.
import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { Client, Connection } from '@temporalio/client';
import { DevStack, isAlive, processesUsing, recordedPids, stackFixture } from '../testing/dev-stack.ts';
import { temporalCliPath } from '../tools/binaries.ts';
import { stackCheckWorkflowId, type StackCheckResult } from '../../workflows/stack-check/messages.ts';
import type { stackCheckWorkflow } from '../../workflows/stack-check/workflow.ts';

const run = promisify(execFile);
const cleanups: Array<() => Promise<void> | void> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

function expectAllGone(pids: Record<string, number>, dataDir: string) {
  const alive = Object.entries(pids).filter(([, pid]) => isAlive(pid));
  expect(alive, `still alive: ${JSON.stringify(alive)}`).toEqual([]);
  expect(processesUsing(dataDir)).toEqual([]);
}

describe('npm run dev', () => {
  it('survives a full stop: a 20 s timer started before Ctrl-C fires after the next start', { timeout: 400_000 }, async () => {
    const { dataDir, ports } = await stackFixture();
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const first = await DevStack.start(dataDir, ports, 'first');
    cleanups.push(async () => {
      if (isAlive(first.launcher.pid)) await first.ctrlC();
    });

    // Everything the README promises after the first command.
    const ready = await fetch(`http://127.0.0.1:${ports.api}/readyz`);
    expect(ready.status).toBe(200);
    const namespaces = await (await fetch(`http://127.0.0.1:${ports.temporalUi}/api/v1/namespaces`)).json() as { namespaces: Array<{ namespaceInfo: { name: string } }> };
    expect(namespaces.namespaces.map((n) => n.namespaceInfo.name)).toContain('default');

    const address = `127.0.0.1:${ports.temporal}`;
    let connection = await Connection.connect({ address });
    let client = new Client({ connection });
    const checkId = `resume-${Date.now()}`;
    const handle = await client.workflow.start<typeof stackCheckWorkflow>('stackCheckWorkflow', {
      taskQueue: 'closeloop-processes',
      workflowId: stackCheckWorkflowId(checkId),
      args: [{ checkId, waitSeconds: 20, workSeconds: 0 }],
      staticSummary: 'Resume test: 20 s timer across a restart',
    });
    const listed = await run(temporalCliPath(), ['workflow', 'list', '--address', address, '--query', `WorkflowId = '${handle.workflowId}'`]);
    expect(listed.stdout).toContain(handle.workflowId);
    await connection.close();

    const pids = recordedPids(dataDir);
    expect(Object.keys(pids).sort()).toEqual(['api', 'postgres', 'postmaster', 'stack', 'temporal', 'worker']);
    const exit = await first.ctrlC();
    expect(exit.code).toBe(0);
    expectAllGone(pids, dataDir);

    const restartedAt = Date.now();
    const second = await DevStack.start(dataDir, ports, 'second');
    cleanups.push(async () => {
      if (isAlive(second.launcher.pid)) await second.ctrlC();
    });
    connection = await Connection.connect({ address });
    client = new Client({ connection });
    const result: StackCheckResult = await client.workflow.getHandle(handle.workflowId).result();
    expect(Date.parse(result.timerFiredAt) - Date.parse(result.timerStartedAt)).toBeGreaterThanOrEqual(20_000);
    expect(Date.parse(result.timerFiredAt)).toBeGreaterThanOrEqual(restartedAt);
    expect(result.worker.workerIdentity).toBe(`dev-worker-${second.launcher.pid}`);
    await connection.close();

    const secondPids = recordedPids(dataDir);
    expect((await second.ctrlC()).code).toBe(0);
    expectAllGone(secondPids, dataDir);
  });

  it('after a kill -9 of the launcher, the next start stops the orphans and comes up', { timeout: 400_000 }, async () => {
    const { dataDir, ports } = await stackFixture();
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const first = await DevStack.start(dataDir, ports, 'first');
    const orphans = recordedPids(dataDir);
    await first.kill9();
    const { stack: _launcher, ...children } = orphans;
    // The children outlive a SIGKILLed launcher: this is what the next start must clean up.
    expect(Object.values(children).every(isAlive)).toBe(true);

    const second = await DevStack.start(dataDir, ports, 'second');
    cleanups.push(async () => {
      if (isAlive(second.launcher.pid)) await second.ctrlC();
    });
    expect(second.output()).toMatch(/stopped processes left by an earlier run: .*api.*worker.*temporal.*postgres/);
    expect(Object.values(children).filter(isAlive)).toEqual([]);
    expect((await fetch(`http://127.0.0.1:${ports.api}/readyz`)).status).toBe(200);

    const secondPids = recordedPids(dataDir);
    expect((await second.ctrlC()).code).toBe(0);
    expectAllGone(secondPids, dataDir);
  });
});
