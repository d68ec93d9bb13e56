// Row-level security, tested as the roles the app really uses: the catalog check, then every table walked
// from pg_catalog with another organisation's rows (read, insert, update, delete), then what roles allow.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sql, Tx } from '../../adapters/db/client.ts';
import type { Database } from '../../adapters/db/session.ts';
import { permissionRows } from '../../domain/permissions.ts';
import { appDatabase, memberClaims, seedOrganisation, superuserSql, type SeededOrg } from '../../infra/testing/database.ts';
import { findRlsGaps } from '../../infra/testing/rls-catalog.ts';

let db: Database;
let su: Sql;
let a: SeededOrg;
let b: SeededOrg;
let tables: string[];

beforeAll(async () => {
  db = appDatabase('rls');
  su = superuserSql('rls');
  a = await seedOrganisation(db, 'Acme');
  b = await seedOrganisation(db, 'Birch');
  tables = (await su<{ relname: string }[]>`
    select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind in ('r', 'p') order by 1`).map((r) => r.relname);
});
afterAll(async () => {
  await db?.end();
  await su?.end();
});

// How to point at one row of each table; a table missing here fails the walk below, so none can be forgotten.
const keyOf: Record<string, { column: string; updatable: string }> = {
  organisations: { column: 'id', updatable: 'name' },
  members: { column: 'id', updatable: 'display_name' },
  api_keys: { column: 'id', updatable: 'name' },
  accounts: { column: 'id', updatable: 'name' },
  contacts: { column: 'id', updatable: 'title' },
  deals: { column: 'id', updatable: 'name' },
  stakeholders: { column: 'id', updatable: 'sentiment' },
  activities: { column: 'id', updatable: 'subject' },
  tasks: { column: 'id', updatable: 'title' },
  signals: { column: 'id', updatable: 'summary' },
  documents: { column: 'id', updatable: 'title' },
  suppressions: { column: 'id', updatable: 'source' },
  event_log: { column: 'id', updatable: 'kind' },
  audit_log: { column: 'id', updatable: 'reason' },
  process_runs: { column: 'workflow_id', updatable: 'step' },
  webhook_inbox: { column: 'id', updatable: 'status' },
  webhook_secrets: { column: 'id', updatable: 'expires_at' },
  mailbox_connections: { column: 'id', updatable: 'status' },
  import_batches: { column: 'id', updatable: 'status' },
  import_rows: { column: 'id', updatable: 'reason' },
  match_reviews: { column: 'id', updatable: 'status' },
  contact_merges: { column: 'id', updatable: 'reason' },
  call_notes: { column: 'id', updatable: 'summary' },
  call_note_proposals: { column: 'id', updatable: 'status' },
  meeting_briefs: { column: 'id', updatable: 'status' },
  invitations: { column: 'id', updatable: 'revoked_at' },
  mailboxes: { column: 'id', updatable: 'paused' },
  outbound_messages: { column: 'id', updatable: 'status' },
  approvals: { column: 'id', updatable: 'status' },
  send_ledger: { column: 'id', updatable: 'state' },
  send_slots: { column: 'id', updatable: 'slot_at' },
  outbox: { column: 'id', updatable: 'subject' },
  draft_revisions: { column: 'id', updatable: 'subject' },
  playbooks: { column: 'id', updatable: 'name' },
  playbook_versions: { column: 'id', updatable: 'version' },
  enrolments: { column: 'id', updatable: 'status' },
};
const orgScoped = (t: string) => t !== 'role_permissions';

/** Runs a statement in a savepoint: its row count, or 'denied' when Postgres refuses it (42501). */
async function denied(tx: Tx, run: (sp: Tx) => Promise<unknown>): Promise<'denied' | number> {
  try {
    return await tx.savepoint(async (sp) => ((await run(sp)) as { count: number }).count);
  } catch (err) {
    expect((err as { code?: string }).code, String(err)).toBe('42501');
    return 'denied';
  }
}

describe('row-level security catalog', () => {
  it('every table has RLS and a policy for each operation it grants', async () => {
    expect(await findRlsGaps(su)).toEqual([]);
  });

  it('the check catches a table added without RLS (shown inside a rolled-back transaction)', async () => {
    await su
      .begin(async (tx) => {
        await tx`create table public.zz_forgotten (id int primary key)`;
        await tx`grant select on public.zz_forgotten to authenticated`;
        const gaps = await findRlsGaps(tx);
        expect(gaps).toEqual([
          { table: 'zz_forgotten', problem: 'row level security is not enabled' },
          { table: 'zz_forgotten', problem: 'authenticated may SELECT but no policy covers SELECT for authenticated' },
        ]);
        throw new Error('rollback');
      })
      .catch((err: Error) => expect(err.message).toBe('rollback'));
    expect((await su`select to_regclass('public.zz_forgotten') as t`)[0]!.t).toBeNull();
  });

  it('role permissions in the database are exactly domain/permissions.ts', async () => {
    const rows = await su<{ role: string; resource: string; action: string }[]>`select role, resource, action from public.role_permissions`;
    const key = (r: { role: string; resource: string; action: string }) => `${r.role}/${r.resource}/${r.action}`;
    expect(rows.map(key).sort()).toEqual(permissionRows().map(key).sort());
  });
});

describe("another organisation's rows, through every table, as an admin (the strongest role)", () => {
  it('every org-scoped table has a fixture row here', () => {
    expect(tables.filter(orgScoped).filter((t) => !keyOf[t])).toEqual([]);
  });

  it('cannot be read', async () => {
    for (const table of tables.filter(orgScoped)) {
      const { column } = keyOf[table]!;
      const seen = await db.asCaller(memberClaims(a, 'admin'), (tx) => denied(tx, (sp) => sp`select 1 from ${sp('public.' + table)} where ${sp(column)} = ${b.rows[table]!}`));
      expect([table, seen]).toEqual([table, 0]);
      const own = await db.asCaller(memberClaims(a, 'admin'), (tx) => denied(tx, (sp) => sp`select 1 from ${sp('public.' + table)} where ${sp(column)} = ${a.rows[table]!}`));
      expect([table, own]).toEqual([table, 1]);
    }
  });

  it('cannot be inserted', async () => {
    for (const table of tables.filter(orgScoped)) {
      const { column } = keyOf[table]!;
      const [row] = await db.asService((tx) => tx`select * from ${tx('public.' + table)} where ${tx(column)} = ${b.rows[table]!}`);
      const copy = { ...row } as Record<string, unknown>;
      copy[column === 'workflow_id' ? 'workflowId' : 'id'] = column === 'workflow_id' ? `copy-${randomUUID()}` : randomUUID();
      if (table === 'webhook_inbox') copy.eventId = randomUUID();
      if (table === 'suppressions') copy.addressHash = 'f'.repeat(64);
      if (table === 'api_keys') copy.keyHash = 'e'.repeat(64);
      if (table === 'members') copy.userId = a.users.admin;
      if (table === 'mailboxes') copy.fromAddress = `copy-${randomUUID().slice(0, 6)}@x.example`;
      if ('businessKey' in copy) copy.businessKey = `copy:${randomUUID()}`;
      if ('idempotencyKey' in copy) copy.idempotencyKey = `copy:${randomUUID()}`;
      if ('workflowId' in copy && table === 'enrolments') copy.workflowId = `copy:${randomUUID()}`;
      if (table === 'playbooks') copy.key = `copy-${randomUUID().slice(0, 8)}`;
      if (table === 'mailboxes') delete copy.sendingDomain; // generated column
      for (const [k, v] of Object.entries(copy)) if (v !== null && typeof v === 'object' && !Array.isArray(v)) copy[k] = JSON.stringify(v);
      const result = await db.asCaller(memberClaims(a, 'admin'), (tx) => denied(tx, (sp) => sp`insert into ${sp('public.' + table)} ${sp(copy)}`));
      expect([table, result]).toEqual([table, 'denied']);
    }
  });

  it('cannot be updated or deleted', async () => {
    for (const table of tables.filter(orgScoped)) {
      const { column, updatable } = keyOf[table]!;
      const updated = await db.asCaller(memberClaims(a, 'admin'), (tx) =>
        denied(tx, (sp) => sp`update ${sp('public.' + table)} set ${sp(updatable)} = ${sp(updatable)} where ${sp(column)} = ${b.rows[table]!}`),
      );
      expect([table, updated === 'denied' || updated === 0]).toEqual([table, true]);
      const deleted = await db.asCaller(memberClaims(a, 'admin'), (tx) => denied(tx, (sp) => sp`delete from ${sp('public.' + table)} where ${sp(column)} = ${b.rows[table]!}`));
      expect([table, deleted === 'denied' || deleted === 0]).toEqual([table, true]);
    }
    // And nothing of B changed.
    const [contact] = await db.asService((tx) => tx`select first_name from public.contacts where id = ${b.rows.contacts!}`);
    expect(contact).toEqual({ firstName: 'Priya' });
  });

  it('a claim naming an organisation the caller is not a member of gives nothing, not access', async () => {
    const rows = await db.asCaller(memberClaims(a, 'admin', b.orgId), (tx) => tx`select id from public.contacts`);
    expect(rows).toEqual([]);
  });

  it('an unknown caller and anon see nothing', async () => {
    expect(await db.asCaller({ sub: randomUUID(), kind: 'member' }, (tx) => tx`select id from public.accounts`)).toEqual([]);
    const anon = await db
      .asService(async (tx) => {
        await tx`select set_config('role', 'anon', true)`;
        return tx`select id from public.accounts`;
      })
      .catch((err: { code?: string }) => err.code);
    expect(anon).toBe('42501');
  });
});

describe('what each role may do in its own organisation', () => {
  it('a rep creates and updates contacts but cannot delete them; a manager can', async () => {
    const created = await db.asCaller(memberClaims(a, 'rep'), (tx) => tx`insert into public.contacts ${tx({ orgId: a.orgId, firstName: 'New', emails: ['new@x.example'] })} returning id`);
    const id = created[0]!.id as string;
    const updated = await db.asCaller(memberClaims(a, 'rep'), (tx) => tx`update public.contacts set title = 'CTO' where id = ${id}`);
    expect(updated.count).toBe(1);
    expect((await db.asCaller(memberClaims(a, 'rep'), (tx) => tx`delete from public.contacts where id = ${id}`)).count).toBe(0);
    expect((await db.asCaller(memberClaims(a, 'manager'), (tx) => tx`delete from public.contacts where id = ${id}`)).count).toBe(1);
  });

  it('only managers and admins read the audit log; only admins read API keys and the webhook inbox', async () => {
    const count = (role: 'rep' | 'manager' | 'admin', table: string) =>
      db.asCaller(memberClaims(a, role), (tx) => denied(tx, (sp) => sp`select 1 from ${sp('public.' + table)}`));
    expect(await count('rep', 'audit_log')).toBe(0);
    expect(await count('manager', 'audit_log')).toBeGreaterThan(0);
    expect(await count('manager', 'api_keys')).toBe(0);
    expect(await count('admin', 'api_keys')).toBe(1);
    expect(await count('manager', 'webhook_inbox')).toBe(0);
    expect(await count('admin', 'webhook_inbox')).toBe(1);
  });

  it('only admins change organisation settings, and never the address hash key', async () => {
    const pause = (role: 'rep' | 'admin') => db.asCaller(memberClaims(a, role), (tx) => tx`update public.organisations set pause_all_sending = true where id = ${a.orgId}`);
    expect((await pause('rep')).count).toBe(0);
    expect((await pause('admin')).count).toBe(1);
    const key = await db.asCaller(memberClaims(a, 'admin'), (tx) => denied(tx, (sp) => sp`select address_hash_key from public.organisations`));
    expect(key).toBe('denied');
  });

  it('members cannot write events or audit entries in the name of someone else', async () => {
    const event = (actorId: string) => ({ id: randomUUID(), orgId: a.orgId, kind: 'task.completed', version: 1, occurredAt: new Date().toISOString(), source: 'api', actorType: 'member', actorId, subjectType: 'task', subjectId: a.rows.tasks!, data: '{}' });
    expect(await db.asCaller(memberClaims(a, 'rep'), (tx) => denied(tx, (sp) => sp`insert into public.event_log ${sp(event(a.members.rep))}`))).toBe(1);
    expect(await db.asCaller(memberClaims(a, 'rep'), (tx) => denied(tx, (sp) => sp`insert into public.event_log ${sp(event(a.members.admin))}`))).toBe('denied');
  });

  it('an API key acts with its role; once revoked it sees nothing', async () => {
    const asKey = () => db.asCaller({ sub: a.apiKeyId, kind: 'api_key' }, (tx) => tx`select id from public.contacts`);
    expect((await asKey()).length).toBeGreaterThan(0);
    expect((await db.asCaller({ sub: a.apiKeyId, kind: 'api_key' }, (tx) => tx`delete from public.contacts where id = ${a.rows.contacts!}`)).count).toBe(0);
    await db.asService((tx) => tx`update public.api_keys set revoked_at = now() where id = ${a.apiKeyId}`);
    expect(await asKey()).toEqual([]);
  });

  it('a member of two organisations acts in the one the request names', async () => {
    await db.asService((tx) => tx`insert into public.members ${tx({ orgId: b.orgId, userId: a.users.manager, displayName: 'Both', email: 'both@x.example', role: 'rep' })}`);
    const orgsSeen = async (orgId: string) =>
      new Set((await db.asCaller({ sub: a.users.manager, orgId, kind: 'member' }, (tx) => tx`select org_id from public.accounts`)).map((r) => r.orgId as string));
    expect(await orgsSeen(a.orgId)).toEqual(new Set([a.orgId]));
    expect(await orgsSeen(b.orgId)).toEqual(new Set([b.orgId]));
    // In B the same person is a rep: no contact deletes there.
    expect((await db.asCaller({ sub: a.users.manager, orgId: b.orgId, kind: 'member' }, (tx) => tx`delete from public.contacts where id = ${b.rows.contacts!}`)).count).toBe(0);
  });
});

describe('the login role', () => {
  it('has no table privileges of its own: queries outside asService/asCaller fail', async () => {
    const raw = appDatabase('raw');
    const sql = (raw as unknown as { asService: unknown }) && (await import('../../adapters/db/client.ts')).createSql({ url: (await import('../../infra/testing/harness.ts')).testResources().appDatabaseUrl, applicationName: 'raw' });
    await expect(sql`select 1 from public.contacts`).rejects.toMatchObject({ code: '42501' });
    const [who] = await db.asCaller(memberClaims(a, 'rep'), (tx) => tx`select current_user`);
    expect(who).toEqual({ currentUser: 'authenticated' });
    await sql.end();
    await raw.end();
  });
});
