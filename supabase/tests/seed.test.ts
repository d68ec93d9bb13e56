// The demo seed is valid against the schema and the domain schemas (the dev stack pushes it once).
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contactSchema, dealSchema } from '../../domain/objects.ts';
import type { Sql } from '../../adapters/db/client.ts';
import { superuserSql } from '../../infra/testing/database.ts';

let su: Sql;
beforeAll(() => {
  su = superuserSql('seed');
});
afterAll(async () => su?.end());

describe('demo seed', () => {
  it('loads (twice: it is idempotent) and its rows satisfy the domain schemas', async () => {
    const seed = readFileSync(new URL('../seed.sql', import.meta.url), 'utf8');
    await su.begin(async (tx) => {
      await tx.unsafe(seed);
      await tx.unsafe(seed);
      const org = '00000000-0000-4000-8000-000000000001';
      const contacts = await tx`select * from public.contacts where org_id = ${org}`;
      expect(contacts).toHaveLength(5);
      for (const c of contacts) contactSchema.parse(c);
      const deals = await tx`select * from public.deals where org_id = ${org}`;
      expect(deals).toHaveLength(2);
      for (const d of deals) dealSchema.parse(d);
      expect(await tx`select role from public.members where org_id = ${org} order by role`).toEqual([{ role: 'admin' }, { role: 'manager' }, { role: 'rep' }]);
      expect(await tx`select from_address from public.mailboxes where org_id = ${org}`).toEqual([{ fromAddress: 'riya@northwind.example' }]);
      throw new Error('rollback');
    }).catch((err: Error) => expect(err.message).toBe('rollback'));
  });
});
