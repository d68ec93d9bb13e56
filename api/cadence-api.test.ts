// The cadence through the API, as a rep would use it: enrol → the first draft awaits approval → approve →
// the email is in the outbox → a reply is recorded → the cadence stops. Refusals come back per contact.
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

let env: TestWorkflowEnvironment;
let db: Database;
let app: FastifyInstance;
let fixture: OutboundFixture;
let worker: { stop(): Promise<void> } | undefined;
const taskQueue = uniqueTaskQueue('cadence-api');
const allDay = { start: '00:00', end: '24:00' };

beforeAll(async () => {
  env = await createTimeSkippingEnv();
  db = appDatabase('cadence-api');
  fixture = await outboundFixture(db, { policy: 'require_approval' });
  app = await testApp({ temporal: env.client, taskQueue });
  worker = await startTestWorker({ env, db, taskQueue });
});
afterAll(async () => {
  await worker?.stop();
  await app?.close();
  await db?.end();
  await env?.teardown();
});

describe('cadence through the API', () => {
  it('enrol → approve the first draft → outbox → reply recorded → stopped; refusals per contact', async () => {
    const manager = { authorization: `Bearer ${await tokenFor(fixture.org.users.manager)}` };
    const rep = { authorization: `Bearer ${await tokenFor(fixture.org.users.rep)}` };
    const created = await app.inject({
      method: 'POST', url: '/v1/playbooks', headers: manager,
      payload: { key: 'api-intro', definition: { name: 'API intro', steps: [
        { key: 'intro', kind: 'auto_email', delay: { amount: 0, unit: 'minutes' }, subject: 'Hello {{contact.firstName}}', body: 'Hi {{contact.firstName}}' },
        { key: 'bump', kind: 'auto_email', delay: { amount: 3, unit: 'hours' }, subject: 'Re: Hello', body: 'Bumping, {{contact.firstName}}' },
      ], sendWindow: { mon: [allDay], tue: [allDay], wed: [allDay], thu: [allDay], fri: [allDay], sat: [allDay], sun: [allDay] } } },
    });
    expect(created.statusCode).toBe(201);
    expect((await app.inject({ method: 'POST', url: '/v1/playbooks', headers: rep, payload: { key: 'x', definition: { name: 'x', steps: [] } } })).statusCode).toBe(403);

    const ok = await fixture.contact();
    const suppressed = await fixture.contact();
    const german = await fixture.contact();
    await db.asService(async (tx) => {
      await tx`update public.contacts set first_name = 'Ana' where id in (${ok.id}, ${suppressed.id}, ${german.id})`;
      await tx`update public.contacts set country = 'DE' where id = ${german.id}`;
      await tx`select app.suppress(${fixture.org.orgId}, ${suppressed.email}, 'unsubscribed', 'test')`;
    });
    const enrolled = await app.inject({ method: 'POST', url: '/v1/enrolments', headers: rep, payload: { playbookKey: 'api-intro', contactIds: [ok.id, suppressed.id, german.id] } });
    expect(enrolled.statusCode).toBe(200);
    const results = (enrolled.json() as { results: Array<{ contactId: string; enrolled: boolean; enrolmentId: string | null; refusals: string[] }> }).results;
    expect(results.map((r) => [r.enrolled, r.refusals])).toEqual([[true, []], [false, ['suppressed']], [false, ['consent_required_in_country']]]);
    const again = await app.inject({ method: 'POST', url: '/v1/enrolments', headers: rep, payload: { playbookKey: 'api-intro', contactIds: [ok.id] } });
    expect(again.json().results[0].refusals).toEqual(['already_in_a_cadence']);

    let approvalId: string | undefined;
    for (let i = 0; i < 1200 && !approvalId; i++) {
      const [message] = await db.asService((tx) => tx<{ id: string }[]>`select id from public.outbound_messages where contact_id = ${ok.id}`);
      approvalId = (await app.inject({ url: '/v1/approvals?status=pending', headers: rep })).json().data.find((a: { messageId: string }) => a.messageId === message?.id)?.id;
      if (!approvalId) await delay(50);
    }
    expect((await app.inject({ method: 'POST', url: `/v1/approvals/${approvalId}/decision`, headers: rep, payload: { decision: 'approve' } })).statusCode).toBe(200);
    let outbox: Array<{ toAddress: string; subject: string }> = [];
    for (let i = 0; i < 1200 && outbox.length === 0; i++) {
      outbox = (await app.inject({ url: '/v1/outbox', headers: rep })).json().data.filter((e: { toAddress: string }) => e.toAddress === ok.email);
      if (outbox.length === 0) await delay(50);
    }
    expect(outbox.map((e) => e.subject)).toEqual(['Hello Ana']);

    const enrolmentId = results[0]!.enrolmentId!;
    expect((await app.inject({ method: 'POST', url: `/v1/enrolments/${enrolmentId}/events`, headers: rep, payload: { eventId: 'reply-1', kind: 'reply' } })).statusCode).toBe(200);
    const handle = env.client.workflow.getHandle(`follow-up:${fixture.org.orgId}:${ok.id}:api-intro`);
    expect(await handle.result()).toMatchObject({ outcome: 'stopped', reason: 'replied' });
    const enrolment = (await app.inject({ url: `/v1/enrolments/${enrolmentId}`, headers: rep })).json();
    expect(enrolment).toMatchObject({ status: 'stopped', endReason: 'replied' });
  });

  it('one-click unsubscribe stops every running cadence of that person', async () => {
    const rep = { authorization: `Bearer ${await tokenFor(fixture.org.users.rep)}` };
    const contact = await fixture.contact();
    await db.asService((tx) => tx`update public.contacts set first_name = 'Bo' where id = ${contact.id}`);
    // A second playbook that allows running beside another cadence.
    const manager = { authorization: `Bearer ${await tokenFor(fixture.org.users.manager)}` };
    const steps = (subject: string) => [
      { key: 'intro', kind: 'auto_email', delay: { amount: 0, unit: 'minutes' }, subject, body: 'Hi {{contact.firstName}}' },
      { key: 'bump', kind: 'auto_email', delay: { amount: 3, unit: 'hours' }, subject: `Re: ${subject}`, body: 'Bumping' },
    ];
    const window = { mon: [allDay], tue: [allDay], wed: [allDay], thu: [allDay], fri: [allDay], sat: [allDay], sun: [allDay] };
    for (const key of ['unsub-a', 'unsub-b']) {
      expect((await app.inject({ method: 'POST', url: '/v1/playbooks', headers: manager, payload: { key, definition: { name: key, steps: steps(key), sendWindow: window, allowConcurrentEnrolments: true } } })).statusCode).toBe(201);
      expect((await app.inject({ method: 'POST', url: '/v1/enrolments', headers: rep, payload: { playbookKey: key, contactIds: [contact.id] } })).json().results[0].enrolled).toBe(true);
    }
    // Approve the first email of cadence A, then unsubscribe through its link.
    let approvalId: string | undefined;
    for (let i = 0; i < 1200 && !approvalId; i++) {
      const messages = await db.asService((tx) => tx<{ id: string }[]>`select id from public.outbound_messages where contact_id = ${contact.id} and process_workflow_id like '%unsub-a'`);
      approvalId = (await app.inject({ url: '/v1/approvals?status=pending', headers: rep })).json().data.find((a: { messageId: string }) => a.messageId === messages[0]?.id)?.id;
      if (!approvalId) await delay(50);
    }
    await app.inject({ method: 'POST', url: `/v1/approvals/${approvalId}/decision`, headers: rep, payload: { decision: 'approve' } });
    let link: string | undefined;
    for (let i = 0; i < 1200 && !link; i++) {
      const email = (await app.inject({ url: '/v1/outbox', headers: rep })).json().data.find((e: { toAddress: string }) => e.toAddress === contact.email);
      link = email?.headers['List-Unsubscribe']?.slice(1, -1);
      if (!link) await delay(50);
    }
    expect((await app.inject({ method: 'POST', url: new URL(link!).pathname, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'List-Unsubscribe=One-Click' })).statusCode).toBe(200);
    for (const key of ['unsub-a', 'unsub-b']) {
      const result = await env.client.workflow.getHandle(`follow-up:${fixture.org.orgId}:${contact.id}:${key}`).result();
      expect([key, result.outcome, result.reason]).toEqual([key, 'stopped', 'unsubscribed']);
    }
  });
});
