// The cockpit's read models through the API: the "now" queue in due order, a contact's timeline with its running
// processes, an approval's decision context, and the manager summary (reps refused; the SLA figure follows overdue
// follow-ups). The static page and its config are served without a token.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../adapters/db/session.ts';
import { testApp, tokenFor } from '../infra/testing/api.ts';
import { appDatabase } from '../infra/testing/database.ts';
import { outboundFixture, type OutboundFixture } from '../infra/testing/outbound.ts';

let app: FastifyInstance;
let db: Database;
let fixture: OutboundFixture;
const as = async (who: 'rep' | 'manager' | 'admin') => ({ authorization: `Bearer ${await tokenFor(fixture.org.users[who])}` });
const hoursFromNow = (h: number) => new Date(Date.now() + h * 3600_000).toISOString();

beforeAll(async () => {
  db = appDatabase('cockpit-api');
  fixture = await outboundFixture(db);
  app = await testApp({ temporalUiUrl: 'http://ui.example:8233/', namespace: 'default' });
});
afterAll(async () => {
  await app?.close();
  await db?.end();
});

describe('cockpit read models', () => {
  it('"now": the rep\'s approvals, tasks and callbacks in due order, overdue marked; not other reps\' work', async () => {
    const contact = await fixture.contact();
    const draft = await fixture.draft({ contactId: contact.id, email: contact.email });
    const orgId = fixture.org.orgId;
    await db.asService(async (tx) => {
      await tx`insert into public.approvals ${tx({ orgId, messageId: draft.messageId, workflowId: 'outbound:test', requestedAt: hoursFromNow(-2), dueAt: hoursFromNow(3) })}`;
      await tx`insert into public.tasks ${tx({ orgId, kind: 'call', title: 'Call back Thursday', dueAt: hoursFromNow(-1), ownerMemberId: fixture.org.members.rep, contactId: contact.id })}`;
      await tx`insert into public.tasks ${tx({ orgId, kind: 'linkedin', title: 'Connect on LinkedIn', dueAt: hoursFromNow(5), ownerMemberId: fixture.org.members.rep })}`;
      await tx`insert into public.tasks ${tx({ orgId, kind: 'custom', title: "The manager's task", dueAt: hoursFromNow(1), ownerMemberId: fixture.org.members.manager })}`;
    });
    const items = (await app.inject({ url: '/v1/now', headers: await as('rep') })).json().items as Array<{ kind: string; title: string; overdue: boolean }>;
    const mine = items.filter((i) => ['Call back Thursday', 'Connect on LinkedIn'].includes(i.title) || i.kind === 'approval');
    // (The seeded organisation has one more approval, due in a day.)
    expect(mine.map((i) => [i.kind, i.overdue])).toEqual([['callback', true], ['approval', false], ['task', false], ['approval', false]]);
    expect(items.some((i) => i.title === "The manager's task")).toBe(false);
  });

  it('"now": a change a call note proposed waits in the queue of the rep whose call it was', async () => {
    const orgId = fixture.org.orgId;
    await db.asService((tx) => tx`insert into public.approvals ${tx({ orgId, proposalId: fixture.org.rows.call_note_proposals!, messageId: null, workflowId: `call-notes:${orgId}:seed`, requestedAt: hoursFromNow(0), dueAt: hoursFromNow(2) })}`);
    const titles = async (role: 'rep' | 'manager') => ((await app.inject({ url: '/v1/now', headers: await as(role) })).json().items as Array<{ kind: string; title: string }>).filter((i) => i.kind === 'approval').map((i) => i.title);
    expect(await titles('rep')).toContain('Approve CRM change: deal stage');
    expect(await titles('manager')).not.toContain('Approve CRM change: deal stage');
  });

  it("a contact's timeline and an approval's context", async () => {
    const contact = await fixture.contact();
    const orgId = fixture.org.orgId;
    const draft = await fixture.draft({ contactId: contact.id, email: contact.email });
    const approvalId = await db.asService(async (tx) => {
      await tx`insert into public.activities ${tx({ orgId, kind: 'email', direction: 'inbound', occurredAt: hoursFromNow(-1), contactId: contact.id, subject: 'Re: pilot', body: 'Sounds good' })}`;
      await tx`insert into public.process_runs ${tx({ orgId, workflowId: `follow-up:${orgId}:${contact.id}:intro`, runId: randomUUID(), kind: 'follow-up', subjectType: 'contact', subjectId: contact.id, status: 'waiting', step: 'bump', runSeq: 1, stepSeq: 3 })}`;
      const [a] = await tx<{ id: string }[]>`insert into public.approvals ${tx({ orgId, messageId: draft.messageId, workflowId: 'outbound:test2', requestedAt: hoursFromNow(0), dueAt: hoursFromNow(24) })} returning id`;
      return a!.id;
    });
    const timeline = (await app.inject({ url: `/v1/contacts/${contact.id}/timeline`, headers: await as('rep') })).json();
    expect(timeline.items.map((i: { summary: string }) => i.summary)).toContain('From them: email — Re: pilot');
    expect(timeline.processes).toEqual([expect.objectContaining({ status: 'waiting', step: 'bump', temporalUrl: `http://ui.example:8233/namespaces/default/workflows/${encodeURIComponent(`follow-up:${orgId}:${contact.id}:intro`)}` })]);
    const detail = (await app.inject({ url: `/v1/approvals/${approvalId}/detail`, headers: await as('rep') })).json();
    expect(detail.message).toMatchObject({ toAddress: contact.email, why: expect.stringContaining('policy') });
    expect(detail.thread.map((t: { subject: string }) => t.subject)).toEqual(['Re: pilot']);
  });

  it('the manager summary: reps refused; the follow-up SLA figure drops when a follow-up goes overdue', async () => {
    expect((await app.inject({ url: '/v1/manager/summary', headers: await as('rep') })).statusCode).toBe(403);
    const orgId = fixture.org.orgId;
    const figure = async () => ((await app.inject({ url: '/v1/manager/summary', headers: await as('manager') })).json().followUpSla as Array<{ memberId: string; compliance: number | null; overdue: number }>).find((r) => r.memberId === fixture.org.members.manager);
    const [taskId] = await db.asService(async (tx) => {
      await tx`insert into public.tasks ${tx({ orgId, kind: 'call', title: 'Done in time', dueAt: hoursFromNow(-3), completedAt: hoursFromNow(-4), status: 'done', source: 'process', ownerMemberId: fixture.org.members.manager })}`;
      const [t] = await tx<{ id: string }[]>`insert into public.tasks ${tx({ orgId, kind: 'call', title: 'Due later', dueAt: hoursFromNow(2), source: 'process', ownerMemberId: fixture.org.members.manager })} returning id`;
      return [t!.id];
    });
    expect(await figure()).toMatchObject({ compliance: 1, overdue: 0 });
    await db.asService((tx) => tx`update public.tasks set due_at = ${hoursFromNow(-1)} where id = ${taskId!}`);
    expect(await figure()).toMatchObject({ compliance: 0.5, overdue: 1 });
    const pipeline = (await app.inject({ url: '/v1/manager/summary', headers: await as('manager') })).json().pipeline as Array<{ stage: string }>;
    expect(pipeline.map((p) => p.stage)).toEqual(['discovery', 'qualification', 'demo', 'proposal', 'negotiation', 'closed_won', 'closed_lost']);
  });

  it('the page and its configuration are served without a token; odd file names are refused', async () => {
    const page = await app.inject({ url: '/app/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect((await app.inject({ url: '/app/config.json' })).json()).toEqual({ devLogin: false, supabase: null, temporalUiUrl: 'http://ui.example:8233/' });
    expect((await app.inject({ url: '/app/..%2Fserver.ts' })).statusCode).toBe(400);
    expect((await app.inject({ url: '/app/missing.js' })).statusCode).toBe(404);
    expect((await app.inject({ url: '/' })).headers.location).toBe('/app/');
  });
});
