import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Connection } from '@temporalio/client';
import { createSql, type Sql } from '../adapters/db/client.ts';
import { testResources } from '../infra/testing/harness.ts';
import { testApp } from '../infra/testing/api.ts';

describe('health routes', () => {
  it('/healthz answers while a dependency is down; /readyz says which one', async () => {
    const app = await testApp({
      readinessChecks: [
        { name: 'postgres', check: async () => {} },
        { name: 'temporal', check: async () => Promise.reject(new Error('connect ECONNREFUSED 10.0.0.1:7233 secret-detail')) },
      ],
    });
    expect((await app.inject('/healthz')).json()).toEqual({ status: 'alive' });
    const ready = await app.inject('/readyz');
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toEqual({ status: 'not-ready', checks: { postgres: 'ok', temporal: 'unreachable' } });
    expect(ready.body).not.toContain('secret-detail');
    await app.close();
  });

  it('/readyz reports not ready when a check hangs, instead of hanging', async () => {
    const app = await testApp({ readinessChecks: [{ name: 'postgres', check: () => new Promise(() => {}) }] });
    const ready = await app.inject('/readyz');
    expect(ready.statusCode).toBe(503);
    await app.close();
  });

  describe('against the real Postgres and Temporal of the test run', () => {
    let sql: Sql;
    let temporal: Connection;
    beforeAll(async () => {
      sql = createSql({ url: testResources().appDatabaseUrl, applicationName: 'api-test' });
      temporal = await Connection.connect({ address: testResources().temporalAddress });
    });
    afterAll(async () => {
      await sql?.end();
      await temporal?.close();
    });

    it('/readyz is ready', async () => {
      const app = await testApp({
        readinessChecks: [
          { name: 'postgres', check: async () => void (await sql`select 1`) },
          { name: 'temporal', check: async () => void (await temporal.workflowService.getSystemInfo({})) },
        ],
      });
      const ready = await app.inject('/readyz');
      expect(ready.json()).toEqual({ status: 'ready', checks: { postgres: 'ok', temporal: 'ok' } });
      expect(ready.statusCode).toBe(200);
      await app.close();
    });
  });
});
