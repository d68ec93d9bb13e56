// Identity resolution end to end on the time-skipping server with real Postgres: a merge and its undo restore both
// contacts and every row that referred to them exactly, with the audit trail; a merge while the merged-away contact
// is in a cadence leaves exactly one cadence running for the survivor (it takes the cadence over, or — when it has
// its own — the other one stops); the sweep merges pairs in the merge band by itself.
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Database } from '../../adapters/db/session.ts';
import { startTestWorker } from '../../infra/testing/activities.ts';
import { testApp, tokenFor } from '../../infra/testing/api.ts';
import { appDatabase } from '../../infra/testing/database.ts';
import { createTimeSkippingEnv, uniqueTaskQueue } from '../../infra/testing/harness.ts';
import { outboundFixture, type OutboundFixture } from '../../infra/testing/outbound.ts';
import { cadenceStatusQuery } from '../follow-up-cadence/messages.ts';

let env: TestWorkflowEnvironment;
let db: Database;
let app: FastifyInstance;
let fixture: OutboundFixture;
let worker: { stop(): Promise<void> } | undefined;
const taskQueue = uniqueTaskQueue('identity');
const allDay = [{ start: '00:00', end: '24:00' }];

beforeAll(async () => {
  env = await createTimeSkippingEnv();
  db = appDatabase('identity');
  fixture = await outboundFixture(db, { policy: 'auto_send_templates' });
  app = await testApp({ temporal: env.client, taskQueue });
  worker = await startTestWorker({ env, db, taskQueue });
  const manager = { authorization: `Bearer ${await tokenFor(fixture.org.users.manager)}` };
  for (const key of ['merge-a', 'merge-b']) {
    const res = await app.inject({ method: 'POST', url: '/v1/playbooks', headers: manager, payload: { key, definition: { name: key, allowConcurrentEnrolments: true, sendWindow: { mon: allDay, tue: allDay, wed: allDay, thu: allDay, fri: allDay, sat: allDay, sun: allDay }, steps: [
      { key: 'intro', kind: 'auto_email', delay: { amount: 0, unit: 'minutes' }, subject: 'Hello {{contact.firstName}}', body: 'Hi {{contact.firstName}}' },
      { key: 'bump', kind: 'auto_email', delay: { amount: 3, unit: 'business_days' }, subject: 'Re: Hello', body: 'Bumping' },
    ] } } });
    expect(res.statusCode).toBe(201);
  }
});
afterAll(async () => {
  await worker?.stop();
  await app?.close();
  await db?.end();
  await env?.teardown();
});

const as = async (who: 'rep' | 'manager') => ({ authorization: `Bearer ${await tokenFor(fixture.org.users[who])}` });
const orgId = () => fixture.org.orgId;

async function contact(values: Record<string, unknown>) {
  const [row] = await db.asService((tx) => tx<{ id: string }[]>`insert into public.contacts ${tx({ orgId: orgId(), lawfulBasis: 'legitimate_interest', ...values })} returning id`);
  return row!.id;
}
async function reviewFor(a: string, b: string) {
  const [x, y] = [a, b].sort();
  const [row] = await db.asService((tx) => tx<{ id: string }[]>`insert into public.match_reviews ${tx({ orgId: orgId(), contactA: x, contactB: y, score: 0.9, band: 'review' })} returning id`);
  return row!.id;
}
/** Every row that refers to either contact, and the two contacts, as comparable data. */
async function picture(ids: string[]) {
  return db.asService(async (tx) => {
    const out: Record<string, unknown> = {};
    out.contacts = await tx`select * from public.contacts where id = any(${ids}::uuid[]) order by id`;
    for (const table of ['activities', 'tasks', 'stakeholders', 'outbound_messages', 'enrolments', 'signals', 'import_rows']) {
      out[table] = await tx`select * from ${tx(`public.${table}`)} where contact_id = any(${ids}::uuid[]) order by id`;
    }
    out.ledger = await tx`select l.* from public.send_ledger l join public.outbound_messages m on m.id = l.message_id where m.contact_id = any(${ids}::uuid[]) order by l.id`;
    // updated_at is touched by a trigger on every update: the only column allowed to differ after an undo.
    return JSON.parse(JSON.stringify(out, (key, value) => (key === 'updatedAt' ? undefined : value)));
  });
}
async function enrol(playbookKey: string, contactId: string) {
  const res = (await app.inject({ method: 'POST', url: '/v1/enrolments', headers: await as('rep'), payload: { playbookKey, contactIds: [contactId], mailboxId: fixture.mailboxId } })).json().results[0];
  expect(res.refusals).toEqual([]);
  const handle = env.client.workflow.getHandle(res.workflowId as string);
  for (let i = 0; i < 400 && (await handle.query(cadenceStatusQuery)).stepKey !== 'bump'; i++) await delay(25);
  return handle;
}

describe('identity resolution', () => {
  it('merge → un-merge restores both contacts and every row that referred to them exactly, with the audit trail', async () => {
    const survivor = await contact({ firstName: 'Dana', lastName: 'Scully', emails: ['dana@fbi-corp.com'], accountId: fixture.org.rows.accounts });
    const loser = await contact({ firstName: 'Dana', lastName: 'Scully', emails: ['d.scully@fbi-corp.com'], phoneE164: '+12025550100', title: 'Special Agent' });
    const deal = fixture.org.rows.deals!;
    await db.asService(async (tx) => {
      await tx`insert into public.stakeholders ${tx({ orgId: orgId(), dealId: deal, contactId: survivor, role: 'champion' })}`;
      await tx`insert into public.stakeholders ${tx({ orgId: orgId(), dealId: deal, contactId: loser, role: 'champion' })}`; // the same role: removed on merge, back on undo
      await tx`insert into public.stakeholders ${tx({ orgId: orgId(), dealId: deal, contactId: loser, role: 'approver' })}`;
      await tx`insert into public.activities ${tx({ orgId: orgId(), kind: 'call', direction: 'outbound', occurredAt: new Date().toISOString(), contactId: loser, body: 'Talked about the X-files' })}`;
      await tx`insert into public.tasks ${tx({ orgId: orgId(), kind: 'call', title: 'Call Dana back', ownerMemberId: fixture.org.members.rep, contactId: loser })}`;
    });
    const draft = await fixture.draft({ contactId: loser, email: 'd.scully@fbi-corp.com' });
    await db.asService((tx) => tx`insert into public.send_ledger ${tx({ orgId: orgId(), businessKey: draft.businessKey, messageId: draft.messageId, mailboxId: fixture.mailboxId, state: 'accepted', provider: 'outbox', reservedAt: new Date().toISOString(), acceptedAt: new Date().toISOString(), providerMessageId: 'outbox-1' })}`);
    const before = await picture([survivor, loser]);

    const reviewId = await reviewFor(survivor, loser);
    expect((await app.inject({ method: 'POST', url: `/v1/match-reviews/${reviewId}/decision`, headers: await as('rep'), payload: { decision: 'keep_apart' } })).statusCode).toBe(403);
    const merged = await app.inject({ method: 'POST', url: `/v1/match-reviews/${reviewId}/decision`, headers: await as('manager'), payload: { decision: 'merge', survivorId: survivor } });
    expect(merged.statusCode, merged.body).toBe(200);
    const during = await db.asService(async (tx) => ({
      contacts: await tx<{ id: string; emails: string[]; phoneE164: string; title: string }[]>`select id, emails, phone_e164, title from public.contacts where id in (${survivor}, ${loser})`,
      moved: await tx<{ n: number }[]>`select (select count(*)::int from public.activities where contact_id = ${survivor}) + (select count(*)::int from public.tasks where contact_id = ${survivor}) + (select count(*)::int from public.outbound_messages where contact_id = ${survivor}) as n`,
      stakeholders: await tx<{ role: string }[]>`select role from public.stakeholders where contact_id = ${survivor} order by role`,
    }));
    expect(during.contacts).toEqual([{ id: survivor, emails: ['dana@fbi-corp.com', 'd.scully@fbi-corp.com'], phoneE164: '+12025550100', title: 'Special Agent' }]);
    expect(during.moved[0]!.n).toBe(3);
    expect(during.stakeholders.map((s) => s.role)).toEqual(['approver', 'champion']);

    const undone = await app.inject({ method: 'POST', url: `/v1/contact-merges/${merged.json().mergeId}/unmerge`, headers: await as('manager') });
    expect(undone.statusCode, undone.body).toBe(200);
    expect(await picture([survivor, loser])).toEqual(before);
    expect(await db.asService((tx) => tx`select status from public.match_reviews where id = ${reviewId}`)).toEqual([{ status: 'kept_apart' }]); // not merged again by the sweep
    const audit = await db.asService((tx) => tx<{ action: string }[]>`select action from public.audit_log where org_id = ${orgId()} and action in ('contacts.merge', 'contacts.unmerge') order by at`);
    expect(audit.map((a) => a.action)).toEqual(['contacts.merge', 'contacts.unmerge']);
    expect((await app.inject({ method: 'POST', url: `/v1/contact-merges/${merged.json().mergeId}/unmerge`, headers: await as('manager') })).statusCode).toBe(409);
  });

  it('survivorship per field: a better source on the merged-away record wins; a typed value stays', async () => {
    const src = (source: string) => ({ source, batchId: null, at: '2026-11-01T00:00:00.000Z' });
    const survivor = await contact({ firstName: 'Walter', lastName: 'Skinner', emails: ['walter@fbi-corp.com'], title: 'AD', country: 'US', fieldSources: { title: src('apollo') } });
    const loser = await contact({ firstName: 'Walt', lastName: 'Skinner', emails: ['w.skinner@fbi-corp.com'], title: 'Assistant Director', country: 'CA', fieldSources: { title: src('hubspot'), country: src('hubspot') } });
    const reviewId = await reviewFor(survivor, loser);
    expect((await app.inject({ method: 'POST', url: `/v1/match-reviews/${reviewId}/decision`, headers: await as('manager'), payload: { decision: 'merge', survivorId: survivor } })).statusCode).toBe(200);
    const [merged] = await db.asService((tx) => tx<{ firstName: string; title: string; country: string; fieldSources: Record<string, { source: string }> }[]>`select first_name, title, country, field_sources from public.contacts where id = ${survivor}`);
    expect(merged).toMatchObject({ firstName: 'Walter', title: 'Assistant Director', country: 'US' });
    expect(merged!.fieldSources.title!.source).toBe('hubspot');
  });

  it('a merge while the merged-away contact is in a cadence: the survivor takes it over (one cadence, its search attribute follows)', async () => {
    const survivor = await contact({ firstName: 'Fox', lastName: 'Mulder', emails: ['fox@fbi-corp.com'] });
    const loser = await contact({ firstName: 'Fox', lastName: 'Mulder', emails: ['f.mulder@fbi-corp.com'] });
    const cadence = await enrol('merge-a', loser);
    const reviewId = await reviewFor(survivor, loser);
    expect((await app.inject({ method: 'POST', url: `/v1/match-reviews/${reviewId}/decision`, headers: await as('manager'), payload: { decision: 'merge', survivorId: survivor } })).statusCode).toBe(200);
    for (let i = 0; i < 400 && (await cadence.describe()).searchAttributes.ContactId?.[0] !== survivor; i++) await delay(25);
    expect((await cadence.describe()).searchAttributes.ContactId).toEqual([survivor]);
    expect(await db.asService((tx) => tx`select workflow_id, status from public.enrolments where contact_id = ${survivor}`)).toEqual([{ workflowId: cadence.workflowId, status: 'active' }]);
    expect((await cadence.describe()).status.name).toBe('RUNNING');
    await cadence.terminate('test done');
  });

  it('the sweep merges a pair in the merge band by itself; when both were in cadences, exactly one keeps running', async () => {
    const survivor = await contact({ firstName: 'Jürgen', lastName: 'Müller', emails: ['juergen.mueller@acme-corp.com'], title: 'Head of Procurement', country: 'DE', lawfulBasis: 'consent', accountId: fixture.org.rows.accounts });
    const loser = await contact({ firstName: 'Juergen', lastName: 'Mueller', emails: ['j.mueller@acme-corp.com'] });
    const kept = await enrol('merge-a', survivor);
    const stopped = await enrol('merge-b', loser);
    const res = await app.inject({ method: 'POST', url: '/v1/identity/sweep', headers: await as('manager') });
    expect(res.statusCode, res.body).toBe(200);
    expect(await stopped.result()).toMatchObject({ outcome: 'stopped', reason: 'merged' });
    expect((await kept.describe()).status.name).toBe('RUNNING');
    const active = await db.asService((tx) => tx`select workflow_id from public.enrolments where contact_id = ${survivor} and status = 'active'`);
    expect(active).toEqual([{ workflowId: kept.workflowId }]);
    expect(await db.asService((tx) => tx`select count(*)::int as n from public.contacts where id = ${loser}`)).toEqual([{ n: 0 }]);
    const [review] = await db.asService((tx) => tx<{ status: string; band: string }[]>`select status, band from public.match_reviews where org_id = ${orgId()} and (contact_a = ${loser} or contact_b = ${loser})`);
    expect(review).toEqual({ status: 'merged', band: 'merge' });
    await kept.terminate('test done');
    await env.client.workflow.getHandle(`identity-sweep:${orgId()}`).terminate('test done');
  });
});
