// Test helpers: what the global setup provides, a time-skipping server per test file, and a client for the
// shared dev server. Each test uses its own task queue so files never steal each other's tasks.
import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { temporalTestServerPath } from '../tools/binaries.ts';
import { ensureSearchAttributes } from '../dev/temporal-server.ts';
import { closeloopSearchAttributes } from '../../workflows/shared/search-attributes.ts';

export function testResources() {
  return {
    /** Superuser: migrations and catalog checks only. */
    databaseUrl: inject('databaseUrl'),
    /** What the worker and the API use: the authenticator login role. */
    appDatabaseUrl: inject('appDatabaseUrl'),
    temporalAddress: inject('temporalAddress'),
    workflowBundle: { codePath: inject('workflowBundlePath') },
    testRunDir: inject('testRunDir'),
  };
}

/** Its own time-skipping server, with Closeloop's search attributes: once per file (beforeAll), torn down in afterAll. */
export async function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: temporalTestServerPath() } },
  });
  await ensureSearchAttributes(env.connection, env.namespace ?? 'default', closeloopSearchAttributes);
  return env;
}

/** The run's shared dev server (real time, visibility queries, schedules). */
export function connectDevServer(): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createFromExistingServer({ address: inject('temporalAddress'), namespace: 'default' });
}

export function uniqueTaskQueue(name: string): string {
  return `test-${name}-${randomUUID().slice(0, 8)}`;
}

/** Polls `read` in real time until `ok` holds (queries do not advance a time-skipping server's clock). */
export async function waitUntil<T>(read: () => Promise<T>, ok: (value: T) => boolean, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
