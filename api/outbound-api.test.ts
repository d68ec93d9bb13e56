// The outbound pipeline through the API: a person approves a pending draft (the request becomes the workflow's
// validated update), the email lands in the offline outbox, and its one-click unsubscribe link stops the next one.
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Database } from '../adapters/db/session.ts';
import { testApp, tokenFor } from '../infra/testing/api.ts';
import { startTestWorker } from '../infra/testing/activities.ts';
import { appDatabase } from '../infra/testing/database.ts';
import { createTimeSkippingEnv, uniqueTaskQueue } from '../infra/testing/harness.ts';
import { outboundFixture, type OutboundFixture } from '../infra/testing/outbound.ts';
import { outboundEmailWorkflowId } from '../workflows/outbound-email/messages.ts';
import { outboundEmailWorkflow } from '../workflows/outbound-email/workflow.ts';

let env: TestWorkflowEnvironment;
let db: Database;
let app: FastifyInstance;
let fixture: OutboundFixture;
let worker: { stop(): Promise<void> } | undefined;
const taskQueue = uniqueTaskQueue('outbound-api');

beforeAll(async () => {
  env = await createTimeSkippingEnv();
  db = appDatabase('outbound-api');
  fixture = await outboundFixture(db, { policy: 'require_approval' });
  app = await testApp({ temporal: env.client });
  worker = await startTestWorker({ env, db, taskQueue });
});
afterAll(async () => {
  await worker?.stop();
  await app?.close();
  await db?.end();
  await env?.teardown();
});

async function pendingApproval(messageId: string, headers: Record<string, string>): Promise<string> {
  for (let i = 0; i < 1200; i++) {
    const res = await app.inject({ url: '/v1/approvals?status=pending', headers });
    const found = (res.json() as { data: Array<{ id: string; messageId: string }> }).data.find((a) => a.messageId === messageId);
    if (found) return found.id;
    await delay(50);
  }
  throw new Error('no pending approval');
}

describe('outbound pipeline over the API', () => {
  it('approve through the API → outbox; one-click unsubscribe (GET shows, POST suppresses) → the next email is blocked', async () => {
    const orgId = fixture.org.orgId;
    const rep = { authorization: `Bearer ${await tokenFor(fixture.org.users.rep)}` };
    const contact = await fixture.contact();
    const first = await fixture.draft({ contactId: contact.id, email: contact.email, stepKey: 'step-1' });
    const handle = await env.client.workflow.start(outboundEmailWorkflow, { taskQueue, workflowId: outboundEmailWorkflowId(orgId, first.businessKey), args: [{ orgId, messageId: first.messageId }] });

    const approvalId = await pendingApproval(first.messageId, rep);
    // API keys do not approve; malformed decisions are refused with the field named.
    const bad = await app.inject({ method: 'POST', url: `/v1/approvals/${approvalId}/decision`, headers: rep, payload: { decision: 'approve_with_edits', subject: '' } });
    expect(bad.statusCode).toBe(400);
    const decided = await app.inject({ method: 'POST', url: `/v1/approvals/${approvalId}/decision`, headers: rep, payload: { decision: 'approve_with_edits', subject: 'Quick follow-up', bodyText: 'Edited in the cockpit' } });
    expect(decided.json()).toEqual({ accepted: true, decision: 'approve_with_edits' });
    expect((await handle.result()).outcome).toBe('sent');
    const again = await app.inject({ method: 'POST', url: `/v1/approvals/${approvalId}/decision`, headers: rep, payload: { decision: 'approve' } });
    expect(again.statusCode).toBe(409);

    const outbox = (await app.inject({ url: '/v1/outbox', headers: rep })).json() as { data: Array<{ idempotencyKey: string; bodyText: string; headers: Record<string, string>; notSent: boolean }> };
    const email = outbox.data.find((e) => e.idempotencyKey === first.businessKey)!;
    expect(email).toMatchObject({ notSent: true });
    expect(email.bodyText.startsWith('Edited in the cockpit')).toBe(true);
    const link = email.headers['List-Unsubscribe']!.slice(1, -1);
    const path = new URL(link).pathname;

    const page = await app.inject({ url: path });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<form method="post">');
    const check = () => app.inject({ method: 'POST', url: '/v1/suppressions/check', headers: rep, payload: { email: contact.email } });
    expect((await check()).json()).toEqual({ suppressed: false });

    const oneClick = await app.inject({ method: 'POST', url: path, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'List-Unsubscribe=One-Click' });
    expect(oneClick.statusCode).toBe(200);
    expect((await check()).json()).toEqual({ suppressed: true });
    expect((await app.inject({ method: 'POST', url: path.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')) })).statusCode).toBe(404);

    const second = await fixture.draft({ contactId: contact.id, email: contact.email, stepKey: 'step-2' });
    const next = await env.client.workflow.start(outboundEmailWorkflow, { taskQueue, workflowId: outboundEmailWorkflowId(orgId, second.businessKey), args: [{ orgId, messageId: second.messageId }] });
    const nextApproval = await pendingApproval(second.messageId, rep);
    await app.inject({ method: 'POST', url: `/v1/approvals/${nextApproval}/decision`, headers: rep, payload: { decision: 'approve' } });
    expect(await next.result()).toMatchObject({ outcome: 'blocked', reasons: ['suppressed'] });
    expect((await app.inject({ url: '/v1/outbox', headers: rep })).json().data.filter((e: { idempotencyKey: string }) => e.idempotencyKey === second.businessKey)).toEqual([]);
  });

  it('a rep who does not own the mailbox gets 403 from the workflow validator; a manager may decide', async () => {
    const orgId = fixture.org.orgId;
    const contact = await fixture.contact();
    const draft = await fixture.draft({ contactId: contact.id, email: contact.email });
    const handle = await env.client.workflow.start(outboundEmailWorkflow, { taskQueue, workflowId: outboundEmailWorkflowId(orgId, draft.businessKey), args: [{ orgId, messageId: draft.messageId }] });
    const otherRep = await db.asService(async (tx) => {
      const userId = crypto.randomUUID();
      await tx`insert into public.members ${tx({ orgId, userId, displayName: 'Other rep', email: `other-${userId.slice(0, 6)}@x.example`, role: 'rep' })}`;
      return userId;
    });
    const approvalId = await pendingApproval(draft.messageId, { authorization: `Bearer ${await tokenFor(fixture.org.users.manager)}` });
    const refused = await app.inject({ method: 'POST', url: `/v1/approvals/${approvalId}/decision`, headers: { authorization: `Bearer ${await tokenFor(otherRep)}` }, payload: { decision: 'approve' } });
    expect(refused.statusCode).toBe(403);
    const ok = await app.inject({ method: 'POST', url: `/v1/approvals/${approvalId}/decision`, headers: { authorization: `Bearer ${await tokenFor(fixture.org.users.manager)}` }, payload: { decision: 'reject' } });
    expect(ok.statusCode).toBe(200);
    expect((await handle.result()).outcome).toBe('rejected');
  });
});
