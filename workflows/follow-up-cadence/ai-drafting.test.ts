// AI personalisation through the drafter port, end to end on the time-skipping server with real Postgres: the
// real `openai` client talks to a local fake of the chat completions API. An AI draft waits for a person even when
// the organisation auto-sends templates; "regenerate" rewrites it and asks again; a refusal falls back to the
// template, labelled so.
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { startFakeOpenAiServer, userPayload, type FakeOpenAiServer } from '../../adapters/ai/fake-openai-server.ts';
import { createOpenAiDrafter } from '../../adapters/ai/openai.ts';
import type { Database } from '../../adapters/db/session.ts';
import { startTestWorker } from '../../infra/testing/activities.ts';
import { testApp, tokenFor } from '../../infra/testing/api.ts';
import { appDatabase } from '../../infra/testing/database.ts';
import { createTimeSkippingEnv, uniqueTaskQueue } from '../../infra/testing/harness.ts';
import { outboundFixture, type OutboundFixture } from '../../infra/testing/outbound.ts';

let env: TestWorkflowEnvironment;
let db: Database;
let app: FastifyInstance;
let fake: FakeOpenAiServer;
let fixture: OutboundFixture;
let worker: { stop(): Promise<void> } | undefined;
const taskQueue = uniqueTaskQueue('cadence-ai');
const allDay = [{ start: '00:00', end: '24:00' }];
const window = { mon: allDay, tue: allDay, wed: allDay, thu: allDay, fri: allDay, sat: allDay, sun: allDay };

beforeAll(async () => {
  fake = await startFakeOpenAiServer({ apiKey: 'sk-test-closeloop' });
  env = await createTimeSkippingEnv();
  db = appDatabase('cadence-ai');
  fixture = await outboundFixture(db, { policy: 'auto_send_templates' });
  app = await testApp({ temporal: env.client, taskQueue });
  const drafter = createOpenAiDrafter({ apiKey: 'sk-test-closeloop', baseUrl: `${fake.url}/v1` });
  worker = await startTestWorker({ env, db, taskQueue, overrides: { drafter } });
});
afterAll(async () => {
  await worker?.stop();
  await app?.close();
  await db?.end();
  await env?.teardown();
  await fake?.close();
});
beforeEach(() => fake.reset());

const as = async (who: 'rep' | 'manager') => ({ authorization: `Bearer ${await tokenFor(fixture.org.users[who])}` });
type Message = { id: string; subject: string; bodyText: string; origin: string; draftedBy: string; status: string };
const messageOf = async (workflowId: string, stepKey: string) =>
  (await db.asService((tx) => tx<Message[]>`select id, subject, body_text, origin, drafted_by, status from public.outbound_messages where process_workflow_id = ${workflowId} and step_key = ${stepKey}`))[0];

/** The pending approval of a message, other than `except`; skips the clock while the cadence only waits. */
async function pendingApproval(messageId: () => Promise<string | undefined>, except?: string) {
  for (let i = 0; i < 1200; i++) {
    const id = await messageId();
    const found = (await app.inject({ url: '/v1/approvals?status=pending', headers: await as('rep') })).json().data.find((a: { id: string; messageId: string }) => a.messageId === id && a.id !== except);
    if (found) return found as { id: string; messageId: string };
    if (id === undefined) await env.sleep(10 * 60_000);
    else await delay(50);
  }
  throw new Error('no pending approval');
}

async function enrol(key: string, firstName: string) {
  const contact = await fixture.contact();
  await db.asService((tx) => tx`update public.contacts set first_name = ${firstName}, time_zone = 'UTC' where id = ${contact.id}`);
  const res = (await app.inject({ method: 'POST', url: '/v1/enrolments', headers: await as('rep'), payload: { playbookKey: key, contactIds: [contact.id] } })).json();
  expect(res.results[0].refusals).toEqual([]);
  return { contact, workflowId: res.results[0].workflowId as string };
}

describe('AI drafting in a cadence', () => {
  it('the model drafts the personalised step with the earlier touches as context; a person approves it; regenerate rewrites it', async () => {
    const created = await app.inject({
      method: 'POST', url: '/v1/playbooks', headers: await as('manager'),
      payload: { key: 'ai-bump', definition: { name: 'AI bump', sendWindow: window, steps: [
        { key: 'intro', kind: 'auto_email', delay: { amount: 0, unit: 'minutes' }, subject: 'Hello {{contact.firstName}}', body: 'Intro for {{contact.firstName}}: https://northwind.example/pilot' },
        { key: 'bump', kind: 'auto_email', delay: { amount: 1, unit: 'hours' }, subject: 'Re: Hello {{contact.firstName}}', body: 'Any thoughts on the pilot? https://northwind.example/pilot', aiPersonalise: true },
      ] } },
    });
    expect(created.statusCode).toBe(201);
    const { contact, workflowId } = await enrol('ai-bump', 'Lena');

    // The template step auto-sends (the organisation's policy); the AI step waits for a person.
    const approval = await pendingApproval(async () => (await messageOf(workflowId, 'bump'))?.id);
    const drafted = (await messageOf(workflowId, 'bump'))!;
    expect(drafted).toMatchObject({ origin: 'ai', draftedBy: 'AI draft by gpt-4.1-mini', subject: 'Re: Hello Lena' });
    expect(drafted.bodyText).toBe('Hi Lena,\n\nAny thoughts on the pilot? https://northwind.example/pilot');
    const [request] = fake.requests();
    expect(request!.headers.authorization).toBe('Bearer sk-test-closeloop');
    const payload = userPayload(request!.body as Record<string, unknown>) as { context: { recipient: { firstName: string }; earlierActivities: Array<{ summary: string }> } };
    expect(payload.context.recipient.firstName).toBe('Lena');
    expect(payload.context.earlierActivities.map((a) => a.summary)).toEqual(['email sent by us: "Hello Lena"']);
    expect(JSON.stringify(payload)).not.toContain(contact.email); // the address is not the model's business

    // Regenerate: the model rewrites it as asked, and it goes to approval again.
    fake.respondWith(() => ({ content: JSON.stringify({ subject: 'Re: Hello Lena', body: 'Lena, two lines only: is the pilot still on? https://northwind.example/pilot' }) }));
    const asked = await app.inject({ method: 'POST', url: `/v1/approvals/${approval.id}/decision`, headers: await as('rep'), payload: { decision: 'regenerate', instructions: 'shorter, two lines' } });
    expect(asked.statusCode).toBe(200);
    const again = await pendingApproval(async () => drafted.id, approval.id);
    const rewritten = (await messageOf(workflowId, 'bump'))!;
    expect(rewritten).toMatchObject({ origin: 'ai', bodyText: 'Lena, two lines only: is the pilot still on? https://northwind.example/pilot' });
    expect(JSON.stringify(fake.requests().at(-1)!.body)).toContain('shorter, two lines');
    expect((await app.inject({ method: 'POST', url: `/v1/approvals/${again.id}/decision`, headers: await as('rep'), payload: { decision: 'approve' } })).statusCode).toBe(200);
    const result = await env.client.workflow.getHandle(workflowId).result();
    expect(result).toMatchObject({ outcome: 'completed', steps: [{ stepKey: 'intro', outcome: 'sent' }, { stepKey: 'bump', outcome: 'sent' }] });
    const sent = await db.asService((tx) => tx<{ bodyText: string }[]>`select body_text from public.outbox where to_address = ${contact.email} and subject = 'Re: Hello Lena'`);
    expect(sent[0]!.bodyText).toContain('Lena, two lines only');
    expect(fake.requests()).toHaveLength(2); // one draft, one rewrite
  });

  it('a refusal by the model falls back to the template, labelled so, and the organisation\'s policy applies to it', async () => {
    fake.respondWith(() => ({ refusal: 'I cannot help with that request.' }));
    await app.inject({
      method: 'POST', url: '/v1/playbooks', headers: await as('manager'),
      payload: { key: 'ai-refused', definition: { name: 'AI refused', sendWindow: window, steps: [
        { key: 'intro', kind: 'auto_email', delay: { amount: 0, unit: 'minutes' }, subject: 'Hello {{contact.firstName}}', body: 'Hi {{contact.firstName}}', aiPersonalise: true },
      ] } },
    });
    const { workflowId } = await enrol('ai-refused', 'Omar');
    expect(await env.client.workflow.getHandle(workflowId).result()).toMatchObject({ outcome: 'completed', steps: [{ stepKey: 'intro', outcome: 'sent' }] });
    const message = (await messageOf(workflowId, 'intro'))!;
    expect(message).toMatchObject({ origin: 'template', bodyText: 'Hi Omar' });
    expect(message.draftedBy).toContain('the AI draft was refused');
    expect(fake.requests()).toHaveLength(1);
  });
});
