// Once per test run: one real Postgres (migrations applied), one Temporal dev server for tests that need real
// time, schedules or visibility queries, and one workflow bundle. Ports are picked free, apart from the dev
// stack's. Time-skipping servers are per test file (their clock is shared): see harness.ts.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import type { TestProject } from 'vitest/node';
import { applyMigrations, localAppUrl } from '../dev/migrate.ts';
import { startEmbeddedPostgres } from '../dev/postgres.ts';
import { ensureSearchAttributes, startTemporalDevServer } from '../dev/temporal-server.ts';
import { temporalCliPath } from '../tools/binaries.ts';
import { closeloopSearchAttributes } from '../../workflows/shared/search-attributes.ts';
import { bundleWorkflows } from '../../worker/create-worker.ts';
import { freePort } from './ports.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    appDatabaseUrl: string;
    temporalAddress: string;
    workflowBundlePath: string;
    testRunDir: string;
  }
}

export default async function setup(project: TestProject) {
  // /tmp is traversable by the postgres OS user; mkdtemp's 0700 is opened up for the same reason.
  const runDir = mkdtempSync(path.join(tmpdir(), 'closeloop-test-'));
  chmodSync(runDir, 0o755);

  const [pgPort, temporalPort] = await Promise.all([freePort(), freePort()]);
  const [pg, temporal, bundle] = await Promise.all([
    startEmbeddedPostgres({ dataDir: path.join(runDir, 'postgres'), port: pgPort, logFile: path.join(runDir, 'postgres.log'), database: 'closeloop' }),
    startTemporalDevServer({ cliPath: temporalCliPath(), port: temporalPort, uiPort: null, dbFile: null, namespace: 'default', logFile: path.join(runDir, 'temporal.log') }),
    bundleWorkflows(),
  ]);
  await applyMigrations({ url: pg.url, includeSeed: false, local: true });
  const connection = await Connection.connect({ address: temporal.address });
  await ensureSearchAttributes(connection, 'default', closeloopSearchAttributes);
  await connection.close();

  const workflowBundlePath = path.join(runDir, 'workflow-bundle.js');
  writeFileSync(workflowBundlePath, bundle.code);

  project.provide('databaseUrl', pg.url);
  project.provide('appDatabaseUrl', localAppUrl(pg.url));
  project.provide('temporalAddress', temporal.address);
  project.provide('workflowBundlePath', workflowBundlePath);
  project.provide('testRunDir', runDir);

  return async () => {
    await temporal.stop();
    await pg.stop();
    rmSync(runDir, { recursive: true, force: true });
  };
}
