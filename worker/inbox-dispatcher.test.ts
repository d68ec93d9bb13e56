// The webhook inbox dispatcher with real Postgres, the time-skipping server and running cadences whose emails went
// out through the real Resend SDK to a local fake: Resend events become ledger states, suppressions and cadence
// exits; signed reply and meeting hooks stop or pause cadences; a dispatcher that dies between messaging and
// marking leaves one effect; poison deliveries are parked, listed and replayable after a fix.
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Database } from '../adapters/db/session.ts';
import { startFakeResendServer, type FakeResendServer } from '../adapters/email/fake-resend-server.ts';
import { createResendEmailSender } from '../adapters/email/resend.ts';
import { classifyReply } from '../domain/reply-classification.ts';
import { startTestWorker } from '../infra/testing/activities.ts';
import { testApp, tokenFor } from '../infra/testing/api.ts';
import { appDatabase } from '../infra/testing/database.ts';
import { createTimeSkippingEnv, uniqueTaskQueue } from '../infra/testing/harness.ts';
import { outboundFixture, type OutboundFixture } from '../infra/testing/outbound.ts';
import { closeloopHookDelivery, newResendSecret, resendDelivery, resendEmailEvent, type SignedDelivery } from '../infra/testing/webhooks.ts';
import { cadenceStatusQuery, type CadenceStatus } from '../workflows/follow-up-cadence/messages.ts';
import { meetingPrepWorkflowId } from '../workflows/meeting-prep/messages.ts';
import { createInboxDispatcher, type InboxDispatcher } from './inbox-dispatcher.ts';

let env: TestWorkflowEnvironment;
let db: Database;
let app: FastifyInstance;
let fake: FakeResendServer;
let fixture: OutboundFixture;
let worker: { stop(): Promise<void> } | undefined;
let dispatcher: InboxDispatcher;
let hookSecret: string;
const resendSecret = newResendSecret();
const taskQueue = uniqueTaskQueue('inbox');
const quiet = { info: () => {}, warn: () => {} };
const allDay = [{ start: '00:00', end: '24:00' }];

beforeAll(async () => {
  fake = await startFakeResendServer();
  env = await createTimeSkippingEnv();
  db = appDatabase('inbox-dispatcher');
  fixture = await outboundFixture(db, { policy: 'auto_send_templates' });
  // The fake Resend account holds the mailboxes' sending domains, verified (the pipeline checks them at Resend).
  const mailboxes = await db.asService((tx) => tx<{ fromAddress: string }[]>`select from_address from public.mailboxes where org_id = ${fixture.org.orgId}`);
  fake.setDomains(mailboxes.map((m) => ({ name: m.fromAddress.split('@')[1]!, status: 'verified' })));
  app = await testApp({ temporal: env.client, taskQueue });
  worker = await startTestWorker({ env, db, taskQueue, overrides: { email: createResendEmailSender({ apiKey: 're_test_key', baseUrl: fake.url }) } });
  dispatcher = createInboxDispatcher({ db, temporal: env.client, logger: quiet, orgIds: [fixture.org.orgId] });
  const admin = { authorization: `Bearer ${await tokenFor(fixture.org.users.admin)}` };
  hookSecret = (await app.inject({ method: 'POST', url: '/v1/webhook-secrets', headers: admin, payload: { source: 'closeloop' } })).json().secret;
  await app.inject({ method: 'POST', url: '/v1/webhook-secrets', headers: admin, payload: { source: 'resend', secret: resendSecret } });
  const manager = { authorization: `Bearer ${await tokenFor(fixture.org.users.manager)}` };
  const created = await app.inject({ method: 'POST', url: '/v1/playbooks', headers: manager, payload: { key: 'hooks', definition: { name: 'Hooks', sendWindow: { mon: allDay, tue: allDay, wed: allDay, thu: allDay, fri: allDay, sat: allDay, sun: allDay }, steps: [
    { key: 'intro', kind: 'auto_email', delay: { amount: 0, unit: 'minutes' }, subject: 'Hello {{contact.firstName}}', body: 'Hi {{contact.firstName}}' },
    { key: 'bump', kind: 'auto_email', delay: { amount: 2, unit: 'business_days' }, subject: 'Re: Hello', body: 'Bumping, {{contact.firstName}}' },
  ] } } });
  expect(created.statusCode).toBe(201);
});
afterAll(async () => {
  await worker?.stop();
  await app?.close();
  await db?.end();
  await env?.teardown();
  await fake?.close();
});

const post = (provider: 'resend' | 'closeloop', d: SignedDelivery) => app.inject({ method: 'POST', url: `/v1/hooks/${provider}/${fixture.org.orgId}`, headers: d.headers, payload: d.body });
const drain = async (d: InboxDispatcher = dispatcher) => {
  for (let i = 0; i < 50; i++) {
    const counts = await d.runOnce();
    if (counts.processed + counts.parked + counts.retried === 0) return;
  }
};
const hook = (type: 'reply.received' | 'meeting.booked', data: Record<string, unknown>) => ({ id: `${type}-${Math.random().toString(36).slice(2)}`, type, occurredAt: new Date().toISOString(), data });

/** A contact in the running cadence, waiting for its second step (the first went out through Resend). */
async function enrolled(firstName: string) {
  const contact = await fixture.contact();
  await db.asService((tx) => tx`update public.contacts set first_name = ${firstName}, time_zone = 'UTC' where id = ${contact.id}`);
  const rep = { authorization: `Bearer ${await tokenFor(fixture.org.users.rep)}` };
  const result = (await app.inject({ method: 'POST', url: '/v1/enrolments', headers: rep, payload: { playbookKey: 'hooks', contactIds: [contact.id], mailboxId: fixture.mailboxId } })).json().results[0];
  const handle = env.client.workflow.getHandle(result.workflowId);
  await statusUntil(handle.workflowId, (s) => s.step === 'waiting' && s.stepKey === 'bump');
  const [ledger] = await db.asService((tx) => tx<{ providerMessageId: string }[]>`
    select l.provider_message_id from public.send_ledger l join public.outbound_messages m on m.id = l.message_id where m.contact_id = ${contact.id}`);
  return { contact, handle, emailId: ledger!.providerMessageId, enrolmentId: result.enrolmentId as string };
}

async function statusUntil(workflowId: string, predicate: (s: CadenceStatus) => boolean): Promise<CadenceStatus> {
  let last: CadenceStatus | undefined;
  for (let i = 0; i < 1200; i++) {
    last = await env.client.workflow.getHandle(workflowId).query(cadenceStatusQuery);
    if (predicate(last)) return last;
    await delay(25);
  }
  throw new Error(`status never matched; last: ${JSON.stringify(last)}`);
}

const eventsOf = (contactId: string, kind: string) => db.asService((tx) => tx<{ data: Record<string, unknown> }[]>`
  select data from public.event_log where org_id = ${fixture.org.orgId} and subject_id = ${contactId} and kind = ${kind}`);

describe('inbox dispatcher', () => {
  it('a signed out-of-office reply pauses the cadence until the parsed return date', async () => {
    const { contact, handle } = await enrolled('Ines');
    const back = new Date(Date.now() + 10 * 86_400_000);
    const text = `I am out of the office until ${back.toLocaleDateString('en-US', { month: 'long', day: 'numeric', timeZone: 'UTC' })}.`;
    const data = { from: contact.email, subject: 'Automatic reply: Hello Ines', text, headers: { 'Auto-Submitted': 'auto-replied' } };
    const delivery = hook('reply.received', data);
    expect((await post('closeloop', closeloopHookDelivery(hookSecret, delivery))).statusCode).toBe(200);
    await drain();
    const expected = classifyReply({ headers: data.headers, subject: data.subject, text, from: contact.email, receivedAtMs: Date.parse(delivery.occurredAt), timeZone: 'UTC' });
    expect(expected.kind).toBe('out_of_office');
    const returnsAtMs = (expected as { returnsAtMs: number }).returnsAtMs;
    const paused = await statusUntil(handle.workflowId, (s) => s.step === 'paused');
    expect(paused).toMatchObject({ waitingOn: 'out of office', nextActionAt: new Date(returnsAtMs).toISOString() });
    expect((await eventsOf(contact.id, 'reply.received')).map((e) => e.data.classification)).toEqual(['out_of_office']);
    await handle.terminate('test done');
  });

  it('Resend events: delivered moves the ledger; a hard bounce posted three times suppresses once and pauses the cadence for a working address; an email that is not ours is ignored', async () => {
    const { contact, handle, emailId } = await enrolled('Bo');
    await post('resend', resendDelivery(resendSecret, resendEmailEvent('email.delivered', emailId, contact.email)));
    await drain();
    const ledger = () => db.asService((tx) => tx<{ state: string }[]>`select state from public.send_ledger where provider_message_id = ${emailId}`);
    expect(await ledger()).toEqual([{ state: 'delivered' }]);
    const bounce = resendDelivery(resendSecret, resendEmailEvent('email.bounced', emailId, contact.email, { bounce: { type: 'Permanent', subType: 'NoEmail', message: 'mailbox does not exist' } }));
    for (let i = 0; i < 3; i++) expect((await post('resend', bounce)).statusCode).toBe(200);
    await post('resend', resendDelivery(resendSecret, resendEmailEvent('email.opened', 'em_from_another_system', 'x@y.example')));
    await drain();
    expect(await ledger()).toEqual([{ state: 'bounced' }]);
    expect(await db.asService((tx) => tx`select app.is_suppressed(${fixture.org.orgId}, ${contact.email}) as s`)).toEqual([{ s: true }]);
    const paused = await statusUntil(handle.workflowId, (s) => s.step === 'paused');
    expect(paused.waitingOn).toBe('hard bounce: a working address for the contact');
    expect(await db.asService((tx) => tx`select count(*)::int as n from public.tasks where contact_id = ${contact.id} and kind = 'fix_address'`)).toEqual([{ n: 1 }]);
    expect((await eventsOf(contact.id, 'email.status_changed')).map((e) => [e.data.status, e.data.bounceType])).toEqual([['delivered', null], ['bounced', 'hard']]);
    const rows = await db.asService((tx) => tx<{ status: string; statusReason: string }[]>`select status, status_reason from public.webhook_inbox where org_id = ${fixture.org.orgId} and provider = 'resend' order by received_at`);
    expect(rows.map((r) => r.status)).toEqual(['processed', 'processed', 'processed']);
    expect(rows[2]!.statusReason).toBe('ignored: not an email Closeloop sent');
    await handle.terminate('test done');
  });

  it('a signed reply stops the cadence; a booked meeting ends another', async () => {
    const replier = await enrolled('Ada');
    const booker = await enrolled('Cy');
    await post('closeloop', closeloopHookDelivery(hookSecret, hook('reply.received', { from: replier.contact.email, subject: 'Re: Hello Ada', text: 'Thanks, this looks useful. Can we talk on Thursday?' })));
    await post('closeloop', closeloopHookDelivery(hookSecret, hook('meeting.booked', { attendeeEmail: booker.contact.email, startsAt: new Date(Date.now() + 3 * 86_400_000).toISOString(), title: 'Intro call' })));
    await drain();
    expect(await replier.handle.result()).toMatchObject({ outcome: 'stopped', reason: 'replied' });
    expect(await booker.handle.result()).toMatchObject({ outcome: 'stopped', reason: 'meeting_booked' });
    const activities = await db.asService((tx) => tx<{ kind: string; direction: string; contactId: string }[]>`
      select kind, direction, contact_id from public.activities where contact_id in (${replier.contact.id}, ${booker.contact.id}) and direction = 'inbound' order by kind`);
    expect(activities).toEqual([{ kind: 'email', direction: 'inbound', contactId: replier.contact.id }, { kind: 'meeting', direction: 'inbound', contactId: booker.contact.id }]);
    // The booked meeting's prep brief is planned: its process started, by the meeting's id.
    const [meeting] = await db.asService((tx) => tx<{ id: string; orgId: string }[]>`select id, org_id from public.activities where contact_id = ${booker.contact.id} and kind = 'meeting'`);
    expect((await env.client.workflow.getHandle(meetingPrepWorkflowId(meeting!.orgId, meeting!.id)).describe()).type).toBe('meetingPrepWorkflow');
  });

  it('a dispatcher that dies between messaging the cadence and marking the row leaves exactly one effect', async () => {
    const { contact, handle } = await enrolled('Dee');
    await post('closeloop', closeloopHookDelivery(hookSecret, hook('reply.received', { from: contact.email, subject: 'Re: Hello', text: 'Yes, interested. Send me times.' })));
    // The first dispatcher sends the message and then never gets to mark the row (as if killed there).
    let messaged = false;
    const dying = createInboxDispatcher({ db, temporal: env.client, logger: quiet, orgIds: [fixture.org.orgId], leaseMs: 500, afterMessages: () => { messaged = true; return new Promise<void>(() => {}); } });
    void dying.runOnce();
    for (let i = 0; i < 400 && !messaged; i++) await delay(25);
    expect(messaged).toBe(true);
    expect(await handle.result()).toMatchObject({ outcome: 'stopped', reason: 'replied' });
    await delay(600); // its lease runs out: the next dispatcher takes the row and does it all again
    await drain();
    const [row] = await db.asService((tx) => tx<{ status: string; attempts: number }[]>`
      select w.status, w.attempts from public.webhook_inbox w where w.org_id = ${fixture.org.orgId} and w.body like ${`%${contact.email}%`}`);
    expect(row).toEqual({ status: 'processed', attempts: 2 });
    expect(await eventsOf(contact.id, 'reply.received')).toHaveLength(1);
    expect(await db.asService((tx) => tx`select count(*)::int as n from public.activities where contact_id = ${contact.id} and direction = 'inbound'`)).toEqual([{ n: 1 }]);
    // The second pass found the cadence already ended by the first message: nothing more reached it.
    const signalled = (await handle.fetchHistory()).events!.filter((e) => e.workflowExecutionSignaledEventAttributes?.signalName === 'cadenceEvent');
    expect(signalled).toHaveLength(1);
    expect(await db.asService((tx) => tx`select status, end_reason from public.enrolments where contact_id = ${contact.id}`)).toEqual([{ status: 'stopped', endReason: 'replied' }]);
  });

  it('poison deliveries are parked with their reason, listed for admins, and replayed after a fix', async () => {
    const { contact, handle } = await enrolled('Eli');
    const newAddress = `eli.private-${contact.id.slice(0, 6)}@elsewhere.example`;
    await post('closeloop', closeloopHookDelivery(hookSecret, hook('meeting.booked', { attendeeEmail: newAddress, startsAt: new Date(Date.now() + 86_400_000).toISOString() })));
    await post('resend', resendDelivery(resendSecret, resendEmailEvent('email.bounced', 'em_x', contact.email)));
    await drain();
    const admin = { authorization: `Bearer ${await tokenFor(fixture.org.users.admin)}` };
    const parked = (await app.inject({ url: '/v1/webhook-inbox?status=parked', headers: admin })).json().data as Array<{ id: string; provider: string; statusReason: string }>;
    expect(parked.map((p) => [p.provider, p.statusReason.split('\n')[0]]).sort()).toEqual([
      ['closeloop', "no contact has the attendee's address: add the address to the right contact, then replay this delivery"],
      ['resend', 'Invalid Resend bounce:'],
    ]);
    expect((await statusUntil(handle.workflowId, () => true)).step).toBe('waiting');

    // The rep adds the address the buyer booked with; the admin replays the delivery.
    const rep = { authorization: `Bearer ${await tokenFor(fixture.org.users.rep)}` };
    const patched = await app.inject({ method: 'PATCH', url: `/v1/contacts/${contact.id}`, headers: rep, payload: { emails: [contact.email, newAddress] } });
    expect(patched.statusCode, patched.body).toBe(200);
    const meeting = parked.find((p) => p.provider === 'closeloop')!;
    expect((await app.inject({ method: 'POST', url: `/v1/webhook-inbox/${meeting.id}/replay`, headers: rep })).statusCode).toBe(403);
    const replayed = await app.inject({ method: 'POST', url: `/v1/webhook-inbox/${meeting.id}/replay`, headers: admin });
    expect(replayed.statusCode, replayed.body).toBe(200);
    await drain();
    expect(await handle.result()).toMatchObject({ outcome: 'stopped', reason: 'meeting_booked' });
    expect((await app.inject({ url: `/v1/webhook-inbox/${meeting.id}`, headers: admin })).json()).toMatchObject({ status: 'processed', attempts: 1 });
    expect((await app.inject({ method: 'POST', url: `/v1/webhook-inbox/${meeting.id}/replay`, headers: admin })).statusCode).toBe(409);
  });
});
