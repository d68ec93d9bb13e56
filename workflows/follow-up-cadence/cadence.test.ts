// The follow-up cadence on the time-skipping server with real Postgres and the offline outbox: steps in the
// recipient's send window, exits and pauses as messages, threading, and the process-runs projection.
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { cadenceRepository } from '../../adapters/db/cadence-repository.ts';
import type { Database } from '../../adapters/db/session.ts';
import type { PlaybookDefinition } from '../../domain/playbooks.ts';
import { startTestWorker } from '../../infra/testing/activities.ts';
import { appDatabase } from '../../infra/testing/database.ts';
import { createTimeSkippingEnv, uniqueTaskQueue } from '../../infra/testing/harness.ts';
import { outboundFixture, type OutboundFixture } from '../../infra/testing/outbound.ts';
import {
  HARD_BOUNCE_FIX_WAIT_MS,
  SOFT_BOUNCE_RETRY_MS,
  addressChangedSignal,
  cadenceEventSignal,
  cadenceStatusQuery,
  followUpWorkflowId,
  pauseSignal,
  resumeSignal,
  stopSignal,
  type CadenceEvent,
  type CadenceStatus,
} from './messages.ts';
import { followUpCadenceWorkflow } from './workflow.ts';

let env: TestWorkflowEnvironment;
let db: Database;
let fixture: OutboundFixture;
let worker: { stop(): Promise<void> } | undefined;
const taskQueue = uniqueTaskQueue('cadence');
const DAY = 86_400_000;

const playbook: PlaybookDefinition = {
  name: 'Intro, follow-up, call',
  steps: [
    { key: 'intro', kind: 'auto_email', delay: { amount: 0, unit: 'minutes' }, subject: 'Hello {{contact.firstName}}', body: 'Hi {{contact.firstName}}, {{sender.firstName}} from Northwind here.', aiPersonalise: false, taskExpiresAfterHours: null },
    { key: 'bump', kind: 'auto_email', delay: { amount: 2, unit: 'business_days' }, subject: 'Re: Hello {{contact.firstName}}', body: 'Just bumping this, {{contact.firstName}}.', aiPersonalise: false, taskExpiresAfterHours: null },
    { key: 'call', kind: 'call_task', delay: { amount: 1, unit: 'business_days' }, subject: null, body: 'Call {{contact.firstName}}', aiPersonalise: false, taskExpiresAfterHours: 24 },
  ],
  sendWindow: { mon: [{ start: '09:00', end: '17:00' }], tue: [{ start: '09:00', end: '17:00' }], wed: [{ start: '09:00', end: '17:00' }], thu: [{ start: '09:00', end: '17:00' }], fri: [{ start: '09:00', end: '17:00' }] },
  allowConcurrentEnrolments: false,
  reenrolCooldownDays: 30,
  stopColleaguesOnReply: false,
  sendAssist: false,
};

beforeAll(async () => {
  env = await createTimeSkippingEnv();
  db = appDatabase('cadence');
  fixture = await outboundFixture(db, { policy: 'auto_send_templates' });
  await db.asService((tx) => cadenceRepository.createPlaybook(tx, { orgId: fixture.org.orgId, key: 'intro-3', name: playbook.name, definition: playbook, createdByMemberId: fixture.org.members.manager }));
  worker = await startTestWorker({ env, db, taskQueue });
});
afterAll(async () => {
  await worker?.stop();
  await db?.end();
  await env?.teardown();
});

async function enrol(options: { firstName?: string | null; timeZone?: string } = {}) {
  const orgId = fixture.org.orgId;
  const contact = await fixture.contact();
  await db.asService((tx) => tx`update public.contacts set first_name = ${options.firstName === undefined ? 'Lena' : options.firstName}, time_zone = ${options.timeZone ?? 'Europe/Berlin'}, country = 'DE' where id = ${contact.id}`);
  const workflowId = followUpWorkflowId(orgId, contact.id, 'intro-3');
  const enrolmentId = await db.asService(async (tx) => {
    const version = await cadenceRepository.latestVersion(tx, orgId, 'intro-3');
    return cadenceRepository.createEnrolment(tx, { orgId, contactId: contact.id, playbookVersionId: version!.versionId, ownerMemberId: fixture.org.members.rep, mailboxId: fixture.mailboxId, workflowId });
  });
  const handle = await env.client.workflow.start(followUpCadenceWorkflow, { taskQueue, workflowId, args: [{ orgId, enrolmentId }], staticSummary: 'Follow-up · test contact · intro-3 v1' });
  return { handle, contact, enrolmentId, orgId };
}

/** Polls the status; while the cadence waits for a time that is not the one wanted, skips the clock to it. */
async function waitFor(handle: Awaited<ReturnType<typeof enrol>>['handle'], predicate: (s: CadenceStatus) => boolean) {
  for (let i = 0; i < 2400; i++) {
    const status = await handle.query(cadenceStatusQuery);
    if (predicate(status)) return status;
    if (status.step === 'waiting' && status.nextActionAt) {
      await env.sleep(Math.max(1000, Date.parse(status.nextActionAt) - (await env.currentTimeMs()) + 1000));
    } else {
      await delay(25);
    }
  }
  throw new Error('condition never met');
}

const berlinParts = (ms: number) => {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Berlin', weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(ms).map((p) => [p.type, p.value]));
  return { weekday: parts.weekday!, hour: Number(parts.hour) };
};

describe('follow-up cadence', () => {
  it('runs every step in the recipient\'s send window, threads the follow-up under the first email, and completes', async () => {
    const { handle, contact, enrolmentId, orgId } = await enrol();
    const result = await handle.result();
    expect(result.outcome).toBe('completed');
    expect(result.steps.map((s) => [s.stepKey, s.outcome])).toEqual([['intro', 'sent'], ['bump', 'sent'], ['call', 'task_expired']]);
    const sends = await db.asService((tx) => tx<{ stepKey: string; acceptedAt: string; threadMessageId: string | null; rfcMessageId: string; bodyText: string }[]>`
      select m.step_key, l.accepted_at, m.thread_message_id, l.rfc_message_id, o.body_text from public.outbound_messages m
      join public.send_ledger l on l.business_key = m.business_key join public.outbox o on o.idempotency_key = m.business_key
      where m.org_id = ${orgId} and m.contact_id = ${contact.id} order by l.accepted_at`);
    expect(sends.map((s) => s.stepKey)).toEqual(['intro', 'bump']);
    for (const s of sends) {
      const local = berlinParts(Date.parse(s.acceptedAt));
      expect(['Mon', 'Tue', 'Wed', 'Thu', 'Fri']).toContain(local.weekday);
      expect(local.hour).toBeGreaterThanOrEqual(9);
      expect(local.hour).toBeLessThan(17);
    }
    expect(Date.parse(sends[1]!.acceptedAt) - Date.parse(sends[0]!.acceptedAt)).toBeGreaterThanOrEqual(2 * DAY - 3600_000);
    expect(sends[0]!.bodyText.startsWith('Hi Lena, Outbound from Northwind here.')).toBe(true);
    expect(sends[1]!.threadMessageId).toBe(sends[0]!.rfcMessageId);
    const run = await db.asService((tx) => tx`select status, step_seq from public.process_runs where org_id = ${orgId} and workflow_id = ${handle.workflowId}`);
    expect(run).toEqual([{ status: 'completed', stepSeq: expect.any(Number) }]);
    expect(await db.asService((tx) => tx`select status from public.enrolments where id = ${enrolmentId}`)).toEqual([{ status: 'completed' }]);
  });

  it.each<[string, CadenceEvent, string]>([
    ['a real reply stops it', { eventId: 'r1', kind: 'reply' }, 'replied'],
    ['a booked meeting ends it', { eventId: 'm1', kind: 'meeting_booked' }, 'meeting_booked'],
    ['an unsubscribe stops it', { eventId: 'u1', kind: 'unsubscribed' }, 'unsubscribed'],
    ['a spam complaint stops it', { eventId: 'c1', kind: 'complaint' }, 'complaint'],
  ])('%s (between steps)', async (_name, event, reason) => {
    const { handle, contact, orgId } = await enrol();
    await waitFor(handle, (s) => s.step === 'waiting' && s.stepKey === 'bump');
    await handle.signal(cadenceEventSignal, event);
    await handle.signal(cadenceEventSignal, event); // a repeated delivery changes nothing
    const result = await handle.result();
    expect(result).toMatchObject({ outcome: 'stopped', reason });
    expect(result.steps.map((s) => s.stepKey)).toEqual(['intro']);
    expect(await db.asService((tx) => tx`select count(*)::int as n from public.outbound_messages where org_id = ${orgId} and contact_id = ${contact.id}`)).toEqual([{ n: 1 }]);
  });

  it('a hard bounce suppresses the address, asks the owner for a working one and pauses; the fixed address resumes it', async () => {
    const { handle, contact, orgId } = await enrol();
    await waitFor(handle, (s) => s.step === 'waiting' && s.stepKey === 'bump');
    await handle.signal(cadenceEventSignal, { eventId: 'b1', kind: 'hard_bounce' });
    await handle.signal(cadenceEventSignal, { eventId: 'b1', kind: 'hard_bounce' }); // delivered twice: one task
    const paused = await waitFor(handle, (s) => s.step === 'paused');
    expect(paused.waitingOn).toBe('hard bounce: a working address for the contact');
    expect(Date.parse(paused.nextActionAt!) - (await env.currentTimeMs())).toBeLessThanOrEqual(HARD_BOUNCE_FIX_WAIT_MS);
    expect(await db.asService((tx) => tx`select app.is_suppressed(${orgId}, ${contact.email}) as s`)).toEqual([{ s: true }]);
    expect(await db.asService((tx) => tx`select kind, status from public.tasks where org_id = ${orgId} and contact_id = ${contact.id} and kind = 'fix_address'`)).toEqual([{ kind: 'fix_address', status: 'open' }]);

    const fixed = `fixed-${contact.id.slice(0, 8)}@buyer.example`;
    await db.asService((tx) => tx`update public.contacts set emails = ${[fixed]} where id = ${contact.id}`);
    await handle.signal(addressChangedSignal);
    const result = await handle.result();
    expect(result.outcome).toBe('completed');
    const sent = await db.asService((tx) => tx<{ stepKey: string; toAddress: string }[]>`
      select m.step_key, o.to_address from public.outbound_messages m join public.outbox o on o.idempotency_key = m.business_key
      where m.org_id = ${orgId} and m.contact_id = ${contact.id} order by o.created_at`);
    expect(sent).toEqual([{ stepKey: 'intro', toAddress: contact.email }, { stepKey: 'bump', toAddress: fixed }]);
  });

  it('a bounced address nobody fixes within the wait ends the cadence', async () => {
    const { handle, contact, orgId } = await enrol();
    await waitFor(handle, (s) => s.step === 'waiting' && s.stepKey === 'bump');
    const bouncedAt = await env.currentTimeMs();
    await handle.signal(cadenceEventSignal, { eventId: 'b2', kind: 'hard_bounce' });
    expect(await handle.result()).toMatchObject({ outcome: 'stopped', reason: 'hard_bounce', steps: [{ stepKey: 'intro' }] });
    expect(await env.currentTimeMs()).toBeGreaterThanOrEqual(bouncedAt + HARD_BOUNCE_FIX_WAIT_MS);
    expect(await db.asService((tx) => tx`select count(*)::int as n from public.tasks where org_id = ${orgId} and contact_id = ${contact.id} and kind = 'fix_address'`)).toEqual([{ n: 1 }]);
  });

  it('a soft bounce moves the next step at least a day later, back inside the send window', async () => {
    const { handle } = await enrol();
    const waiting = await waitFor(handle, (s) => s.step === 'waiting' && s.stepKey === 'bump');
    const due = Date.parse(waiting.nextActionAt!);
    await env.sleep(due - (await env.currentTimeMs()) - 2 * 3600_000); // two hours before the bump is due
    const bouncedAt = await env.currentTimeMs();
    await handle.signal(cadenceEventSignal, { eventId: 's1', kind: 'soft_bounce' });
    const moved = await waitFor(handle, (s) => s.step === 'waiting' && s.stepKey === 'bump' && Date.parse(s.nextActionAt!) !== due);
    const at = Date.parse(moved.nextActionAt!);
    expect(at).toBeGreaterThanOrEqual(bouncedAt + SOFT_BOUNCE_RETRY_MS);
    expect(['Mon', 'Tue', 'Wed', 'Thu', 'Fri']).toContain(berlinParts(at).weekday);
    expect(berlinParts(at).hour).toBeGreaterThanOrEqual(9);
    expect(berlinParts(at).hour).toBeLessThan(17);
    const result = await handle.result();
    const bump = result.steps.find((s) => s.stepKey === 'bump')!;
    expect(bump.outcome).toBe('sent');
    expect(bump.atMs - at).toBeGreaterThanOrEqual(0);
    expect(bump.atMs - at).toBeLessThan(60_000); // the timer fires at the instant, plus the task's own latency
  });

  it('a manual pause holds it past its due time; resume sends in the window; a manual stop ends it', async () => {
    const { handle, contact, orgId } = await enrol();
    const waiting = await waitFor(handle, (s) => s.step === 'waiting' && s.stepKey === 'bump');
    await handle.signal(pauseSignal, { reason: 'rep is talking to them' });
    const paused = await waitFor(handle, (s) => s.step === 'paused');
    expect(paused).toMatchObject({ stepKey: 'bump', nextActionAt: null, waitingOn: 'rep is talking to them' });
    await env.sleep(Date.parse(waiting.nextActionAt!) - (await env.currentTimeMs()) + 5 * DAY);
    expect((await handle.query(cadenceStatusQuery)).step).toBe('paused');
    expect(await db.asService((tx) => tx`select count(*)::int as n from public.outbound_messages where org_id = ${orgId} and contact_id = ${contact.id}`)).toEqual([{ n: 1 }]);
    await handle.signal(resumeSignal);
    await waitFor(handle, (s) => s.step === 'waiting-on-task');
    await handle.signal(stopSignal, { reason: 'manual stop' });
    const result = await handle.result();
    expect(result).toMatchObject({ outcome: 'stopped', reason: 'manual stop' });
    const bump = result.steps.find((s) => s.stepKey === 'bump')!;
    expect(bump.outcome).toBe('sent');
    expect(['Mon', 'Tue', 'Wed', 'Thu', 'Fri']).toContain(berlinParts(bump.atMs).weekday);
    expect(berlinParts(bump.atMs).hour).toBeGreaterThanOrEqual(9);
    expect(berlinParts(bump.atMs).hour).toBeLessThan(17);
    expect(result.steps.find((s) => s.stepKey === 'call')).toMatchObject({ outcome: 'stopped' });
  });

  it('an out-of-office pauses it until the parsed return date, then it resumes', async () => {
    const { handle } = await enrol();
    await waitFor(handle, (s) => s.step === 'waiting' && s.stepKey === 'bump');
    const returnsAtMs = (await env.currentTimeMs()) + 10 * DAY;
    await handle.signal(cadenceEventSignal, { eventId: 'o1', kind: 'out_of_office', returnsAtMs });
    const paused = await waitFor(handle, (s) => s.step === 'paused');
    expect(Date.parse(paused.nextActionAt!)).toBe(returnsAtMs);
    expect(paused.waitingOn).toBe('out of office');
    const result = await handle.result();
    expect(result.outcome).toBe('completed');
    expect(result.steps.find((s) => s.stepKey === 'bump')!.atMs).toBeGreaterThanOrEqual(returnsAtMs);
  });

  it('a callback requested on a call (a call note) holds the emails until the call, then the cadence goes on', async () => {
    const { handle } = await enrol();
    await waitFor(handle, (s) => s.step === 'waiting' && s.stepKey === 'bump');
    const atMs = (await env.currentTimeMs()) + 9 * DAY;
    await handle.signal(cadenceEventSignal, { eventId: 'call-note:1:2', kind: 'callback_requested', atMs });
    await handle.signal(cadenceEventSignal, { eventId: 'call-note:1:2', kind: 'callback_requested', atMs: atMs + DAY }); // a repeat is ignored
    const paused = await waitFor(handle, (s) => s.step === 'paused');
    expect(Date.parse(paused.nextActionAt!)).toBe(atMs);
    expect(paused.waitingOn).toContain('callback requested');
    const result = await handle.result();
    expect(result.outcome).toBe('completed');
    expect(result.steps.find((s) => s.stepKey === 'bump')!.atMs).toBeGreaterThanOrEqual(atMs);
  });

  it('a template variable without a value holds the step for review instead of sending a placeholder; resumed, the step is drafted again', async () => {
    const { handle, contact, orgId } = await enrol({ firstName: null });
    const held = await waitFor(handle, (s) => s.step === 'paused');
    expect(held.waitingOn).toContain('contact.firstName');
    expect(held.lastOutcome).toMatchObject({ stepKey: 'intro', outcome: 'held_for_review' });
    expect(await db.asService((tx) => tx`select count(*)::int as n from public.outbound_messages where org_id = ${orgId} and contact_id = ${contact.id}`)).toEqual([{ n: 0 }]);
    expect(await db.asService((tx) => tx`select kind from public.tasks where org_id = ${orgId} and contact_id = ${contact.id}`)).toEqual([{ kind: 'review' }]);
    // The rep completes the contact and resumes: the same step is drafted again, with the name.
    await db.asService((tx) => tx`update public.contacts set first_name = 'Jonas' where id = ${contact.id}`);
    await handle.signal(resumeSignal);
    const result = await handle.result();
    expect(result.steps.map((s) => [s.stepKey, s.outcome])).toEqual([['intro', 'sent'], ['bump', 'sent'], ['call', 'task_expired']]);
    const [intro] = await db.asService((tx) => tx<{ subject: string }[]>`select subject from public.outbound_messages where org_id = ${orgId} and contact_id = ${contact.id} and step_key = 'intro'`);
    expect(intro!.subject).toBe('Hello Jonas');
    expect(await db.asService((tx) => tx`select count(*)::int as n from public.tasks where org_id = ${orgId} and contact_id = ${contact.id} and kind = 'review'`)).toEqual([{ n: 1 }]);
  });
});
