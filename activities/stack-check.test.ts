import { describe, expect, it } from 'vitest';
import { MockActivityEnvironment } from '@temporalio/testing';
import { CancelledFailure } from '@temporalio/common';
import { ValidationError } from '../domain/errors.ts';
import { createStackCheckActivities, type WorkerCheckHeartbeat } from './stack-check.ts';

const system = { serverTime: async () => '2030-01-01T00:00:00.000Z' };

describe('checkWorker activity', () => {
  it('heartbeats its worker identity every second and reports the database time', async () => {
    const env = new MockActivityEnvironment();
    const beats: WorkerCheckHeartbeat[] = [];
    env.on('heartbeat', (d: WorkerCheckHeartbeat) => beats.push(d));
    const { checkWorker } = createStackCheckActivities({ system, workerIdentity: 'worker-a' });
    const report = await env.run(checkWorker, { checkId: 'c1', workSeconds: 2 });
    expect(report).toEqual({ workerIdentity: 'worker-a', databaseTime: '2030-01-01T00:00:00.000Z', attempt: 1, takenOverFrom: null });
    expect(beats).toEqual([
      { workerIdentity: 'worker-a', secondsDone: 0 },
      { workerIdentity: 'worker-a', secondsDone: 1 },
      { workerIdentity: 'worker-a', secondsDone: 2 },
    ]);
  });

  it('reports the worker it took over from, from the last heartbeat of the lost attempt', async () => {
    const env = new MockActivityEnvironment({ attempt: 2, heartbeatDetails: { workerIdentity: 'worker-a', secondsDone: 3 } });
    const { checkWorker } = createStackCheckActivities({ system, workerIdentity: 'worker-b' });
    const report = await env.run(checkWorker, { checkId: 'c1', workSeconds: 0 });
    expect(report).toMatchObject({ workerIdentity: 'worker-b', attempt: 2, takenOverFrom: 'worker-a' });
  });

  it('refuses an impossible duration with a non-retryable ValidationError', async () => {
    const { checkWorker } = createStackCheckActivities({ system, workerIdentity: 'worker-a' });
    await expect(new MockActivityEnvironment().run(checkWorker, { checkId: 'c1', workSeconds: -1 })).rejects.toBeInstanceOf(ValidationError);
    await expect(new MockActivityEnvironment().run(checkWorker, { checkId: 'c1', workSeconds: 1.5 })).rejects.toThrow(/integer/);
  });

  it('stops when cancelled', async () => {
    const env = new MockActivityEnvironment();
    const { checkWorker } = createStackCheckActivities({ system, workerIdentity: 'worker-a' });
    const running = env.run(checkWorker, { checkId: 'c1', workSeconds: 60 });
    setTimeout(() => env.cancel(), 50);
    await expect(running).rejects.toBeInstanceOf(CancelledFailure);
  });
});
