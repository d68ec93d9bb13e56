// A real worker process (worker/main.ts) on the run's dev server and database, for tests that kill one midway.
import path from 'node:path';
import { spawnManaged, type ManagedProcess } from '../dev/processes.ts';
import { repoRoot } from '../paths.ts';
import { testResources } from './harness.ts';

export function spawnWorkerProcess(identity: string, taskQueue: string, extraEnv: NodeJS.ProcessEnv = {}): ManagedProcess {
  const r = testResources();
  return spawnManaged({
    name: identity,
    command: process.execPath,
    args: ['--import', 'tsx', path.join(repoRoot, 'worker/main.ts')],
    cwd: repoRoot,
    env: {
      ...process.env,
      DATABASE_URL: r.appDatabaseUrl,
      TEMPORAL_ADDRESS: r.temporalAddress,
      TEMPORAL_TASK_QUEUE: taskQueue,
      WORKER_IDENTITY: identity,
      WORKFLOW_BUNDLE_PATH: r.workflowBundle.codePath,
      CLOSELOOP_LINK_SECRET: 'worker-process-test-link-secret-32-chars',
      // The test database is shared with other test files, whose webhook deliveries are theirs to dispatch.
      CLOSELOOP_INBOX_DISPATCHER: 'off',
      ...extraEnv,
    },
    logFile: path.join(r.testRunDir, `${taskQueue}-${identity}.log`),
  });
}
