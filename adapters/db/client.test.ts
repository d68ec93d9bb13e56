import { afterAll, describe, expect, it } from 'vitest';
import { testResources } from '../../infra/testing/harness.ts';
import { createSql } from './client.ts';
import { createSystemRepository } from './system-repository.ts';

const sql = createSql({ url: testResources().appDatabaseUrl, applicationName: 'client-test' });
afterAll(() => sql.end());

describe('database client', () => {
  it('returns rows in the domain shape: camelCase keys, ISO timestamps, dates as text, int8 as number', async () => {
    const [row] = await sql`select now() as created_at, date '2030-01-31' as close_date, 2400000::bigint as amount_minor`;
    expect(row).toEqual({ createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/), closeDate: '2030-01-31', amountMinor: 2400000 });
  });

  it('the system repository reports the server time as an ISO string', async () => {
    const time = await createSystemRepository(sql).serverTime();
    expect(Math.abs(Date.parse(time) - Date.now())).toBeLessThan(60_000);
  });
});
