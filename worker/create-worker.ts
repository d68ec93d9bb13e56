// Builds a Temporal worker for Closeloop's task queue. Used by worker/main.ts and by tests.
import { fileURLToPath } from 'node:url';
import { DefaultLogger, Worker, bundleWorkflowCode, type Logger, type NativeConnection, type WorkerOptions } from '@temporalio/worker';
import type { Activities } from '../activities/index.ts';

export const workflowsPath = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

/** Bundles workflows/index.ts; fails on code that cannot run in the workflow sandbox (e.g. a Node builtin). */
export function bundleWorkflows(options: { path?: string; logger?: Logger } = {}) {
  // WARN keeps webpack's report out of the output; problems still show.
  return bundleWorkflowCode({ workflowsPath: options.path ?? workflowsPath, logger: options.logger ?? new DefaultLogger('WARN') });
}

export interface CreateWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  activities: Activities;
  identity?: string;
  /** A prebuilt bundle (tests, production images); otherwise the workflows are bundled at start. */
  workflowBundle?: WorkerOptions['workflowBundle'];
}

export function createWorker(options: CreateWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    identity: options.identity,
    activities: options.activities,
    ...(options.workflowBundle ? { workflowBundle: options.workflowBundle } : { workflowsPath }),
    // In-flight activities get this long to finish on SIGTERM before they are cancelled.
    shutdownGraceTime: '10 seconds',
  });
}
