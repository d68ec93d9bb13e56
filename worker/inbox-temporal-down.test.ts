// Issue #7: with the Temporal server stopped, webhook deliveries are accepted; after it restarts, each is processed
// once. A private dev server (SQLite in a temp dir, so a restart keeps the running cadences) is stopped under three
// waiting cadences, replies arrive and are stored, the dispatcher fails for the honest reason (its signals cannot
// reach Temporal) and keeps the rows; after the restart they are processed, the cadences stop as replied.
//
// The test has a database of its own (a fresh one in the run's Postgres): the dispatcher claims due deliveries of
// every organisation, so on the shared database it would park other files' deliveries, and other files' dispatchers
// (inbox-dispatcher.test.ts; failover.test.ts runs worker/main.ts) could claim these while this server is down and
// mark them processed against a server where these cadences do not exist. One Worker serves the whole test: it
// outlives the outage (asserted).
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { Client, Connection } from '@temporalio/client';
import proto from '@temporalio/proto';
import { NativeConnection, Runtime, Worker, makeTelemetryFilterString } from '@temporalio/worker';
import { createSql, type Sql } from '../adapters/db/client.ts';
import { createDatabase, type Database } from '../adapters/db/session.ts';
import { tail } from '../infra/dev/processes.ts';
import { applyMigrations, localAppUrl } from '../infra/dev/migrate.ts';
import { ensureSearchAttributes, startTemporalDevServer, type RunningDevServer } from '../infra/dev/temporal-server.ts';
import { testActivities } from '../infra/testing/activities.ts';
import { testApp, tokenFor } from '../infra/testing/api.ts';
import { superuserSql } from '../infra/testing/database.ts';
import { testResources, uniqueTaskQueue } from '../infra/testing/harness.ts';
import { outboundFixture, type OutboundFixture } from '../infra/testing/outbound.ts';
import { freePort } from '../infra/testing/ports.ts';
import { closeloopHookDelivery } from '../infra/testing/webhooks.ts';
import { temporalCliPath } from '../infra/tools/binaries.ts';
import { cadenceEventSignal, cadenceStatusQuery, type CadenceStatus, type FollowUpResult } from '../workflows/follow-up-cadence/messages.ts';
import { closeloopSearchAttributes } from '../workflows/shared/search-attributes.ts';
import { createInboxDispatcher, type InboxDispatcher } from './inbox-dispatcher.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'closeloop-temporal-down-'));
const dbName = `closeloop_temporal_down_${randomUUID().slice(0, 8)}`;
const taskQueue = uniqueTaskQueue('inbox-temporal-down');
const allDay = { start: '00:00', end: '24:00' };
const { EventType } = proto.temporal.api.enums.v1;

let superuser: Sql | undefined;
let db: Database | undefined;
let port: number;
let server: RunningDevServer | undefined;
let nativeConnection: NativeConnection | undefined;
let apiConnection: Connection | undefined;
let dispatcherConnection: Connection | undefined;
let worker: Worker | undefined;
let workerRun: Promise<void> | undefined;
let workerFailure: unknown;
let app: FastifyInstance | undefined;
const dispatcherLog: Array<{ level: string; message: string; meta?: Record<string, unknown> }> = [];

const startServer = () =>
  startTemporalDevServer({ cliPath: temporalCliPath(), port, uiPort: null, dbFile: path.join(dir, 'temporal.sqlite'), namespace: 'default', logFile: path.join(dir, 'temporal.log') });

/** Polls `probe` until it returns a value (not undefined), or fails after `timeoutMs` naming what it waited for. */
async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    await delay(250);
  }
  throw new Error(`Timed out waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`);
}

beforeAll(async () => {
  // While the server is down the worker's core logs every poll retry; errors still show.
  Runtime.install({ telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'ERROR' }) } } });
  superuser = superuserSql('inbox-temporal-down');
  await superuser.unsafe(`create database ${dbName}`);
  const url = new URL(testResources().databaseUrl);
  url.pathname = `/${dbName}`;
  const [, freeTemporalPort] = await Promise.all([applyMigrations({ url: url.toString(), includeSeed: false, local: true }), freePort()]);
  const appUrl = localAppUrl(url.toString());
  db = createDatabase(createSql({ url: appUrl, applicationName: 'test:inbox-temporal-down', max: 4 }));

  port = freeTemporalPort;
  server = await startServer();
  nativeConnection = await NativeConnection.connect({ address: server.address });
  // Connected while the server is up, as a worker process connects at its start (worker/main.ts).
  apiConnection = await Connection.connect({ address: server.address });
  dispatcherConnection = await Connection.connect({ address: server.address });
  await ensureSearchAttributes(apiConnection, 'default', closeloopSearchAttributes);

  worker = await Worker.create({ connection: nativeConnection, taskQueue, workflowBundle: testResources().workflowBundle, activities: testActivities(db) });
  workerRun = worker.run().catch((err: unknown) => {
    workerFailure = err;
  });
  app = await testApp({ temporal: new Client({ connection: apiConnection }), taskQueue }, createDatabase(createSql({ url: appUrl, applicationName: 'test:inbox-temporal-down-api', max: 4 })));
});

afterAll(async () => {
  // Each step on its own: a failed one must not keep the others (and the temp dir) from being cleaned up.
  const steps: Array<() => Promise<unknown>> = [
    async () => app?.close(),
    async () => {
      if (worker && worker.getState() !== 'STOPPED' && worker.getState() !== 'FAILED') worker.shutdown();
      await workerRun;
    },
    async () => nativeConnection?.close(),
    async () => apiConnection?.close(),
    async () => dispatcherConnection?.close(),
    async () => server?.stop(),
    async () => db?.end(),
    async () => superuser?.unsafe(`drop database if exists ${dbName} with (force)`),
    async () => superuser?.end({ timeout: 5 }),
  ];
  for (const step of steps) {
    try {
      await step();
    } catch (err) {
      console.warn('cleanup step failed:', err);
    }
  }
  rmSync(dir, { recursive: true, force: true });
});

describe('the webhook inbox while Temporal is down', () => {
  it('deliveries are accepted while the server is stopped; after it restarts, each is processed once', { timeout: 300_000 }, async () => {
    onTestFailed(() => {
      console.log(`Temporal dev server log (${dir}):\n${tail(path.join(dir, 'temporal.log'), 40)}`);
      console.log(`Dispatcher log:\n${dispatcherLog.map((l) => `${l.level} ${l.message} ${JSON.stringify(l.meta ?? {})}`).join('\n')}`);
    });
    const database = db!;
    const api = app!;
    const temporal = new Client({ connection: apiConnection! });
    const fixture: OutboundFixture = await outboundFixture(database, { policy: 'auto_send_templates' });
    const orgId = fixture.org.orgId;
    const as = async (who: 'rep' | 'manager' | 'admin') => ({ authorization: `Bearer ${await tokenFor(fixture.org.users[who])}` });

    // An organisation with a Closeloop hook secret, a two-email playbook, and three contacts enrolled.
    const secret = await api.inject({ method: 'POST', url: '/v1/webhook-secrets', headers: await as('admin'), payload: { source: 'closeloop' } });
    expect(secret.statusCode).toBe(201);
    const hookSecret = secret.json().secret as string;
    const window = { mon: [allDay], tue: [allDay], wed: [allDay], thu: [allDay], fri: [allDay], sat: [allDay], sun: [allDay] };
    const playbook = await api.inject({
      method: 'POST', url: '/v1/playbooks', headers: await as('manager'),
      payload: { key: 'intro-bump', definition: { name: 'Intro and bump', sendWindow: window, steps: [
        { key: 'intro', kind: 'auto_email', delay: { amount: 0, unit: 'minutes' }, subject: 'Hello {{contact.firstName}}', body: 'Hi {{contact.firstName}}' },
        { key: 'bump', kind: 'auto_email', delay: { amount: 3, unit: 'hours' }, subject: 'Re: Hello {{contact.firstName}}', body: 'Bumping, {{contact.firstName}}' },
      ] } },
    });
    expect(playbook.statusCode).toBe(201);
    const contacts: Array<{ id: string; email: string; firstName: string }> = [];
    for (const firstName of ['Ana', 'Bo', 'Cyd']) {
      const contact = await fixture.contact();
      await database.asService((tx) => tx`update public.contacts set first_name = ${firstName}, time_zone = 'UTC' where id = ${contact.id}`);
      contacts.push({ ...contact, firstName });
    }
    const enrolled = await api.inject({ method: 'POST', url: '/v1/enrolments', headers: await as('rep'), payload: { playbookKey: 'intro-bump', contactIds: contacts.map((c) => c.id) } });
    expect(enrolled.statusCode).toBe(200);
    const enrolments = enrolled.json().results as Array<{ contactId: string; enrolled: boolean; enrolmentId: string; workflowId: string; refusals: string[] }>;
    expect(enrolments.map((e) => [e.enrolled, e.refusals])).toEqual([[true, []], [true, []], [true, []]]);

    // Each cadence sent its intro and now sleeps until the bump. The query says "waiting" before the activity that
    // records that state has finished: wait until nothing is in flight too, so the stop hits idle cadences (an
    // activity whose completion is lost to the stop would add its minute-long timeout after the restart).
    for (const e of enrolments) {
      const handle = temporal.workflow.getHandle(e.workflowId);
      const status = await until(`${e.workflowId} waiting for its bump, idle`, async () => {
        const s = await handle.query(cadenceStatusQuery);
        if (s.step !== 'waiting' || s.stepKey !== 'bump') return undefined;
        const { raw } = await handle.describe();
        const idle = !raw.pendingWorkflowTask && (raw.pendingActivities ?? []).length === 0 && (raw.pendingChildren ?? []).length === 0;
        return idle ? s : undefined;
      });
      expect(status).toMatchObject<Partial<CadenceStatus>>({ step: 'waiting', stepKey: 'bump' });
    }

    // Temporal goes away. The worker keeps polling (and logging that it cannot reach the server).
    await server!.stop();
    server = undefined;

    // Replies arrive while it is down: each is answered 200 and stored.
    const deliveryIds = new Map<string, string>();
    for (const c of contacts) {
      const hook = { id: randomUUID(), type: 'reply.received', occurredAt: new Date().toISOString(), data: { from: c.email, subject: `Re: Hello ${c.firstName}`, text: "Thanks, let's talk Thursday." } };
      const delivery = closeloopHookDelivery(hookSecret, hook);
      const answer = await api.inject({ method: 'POST', url: `/v1/hooks/closeloop/${orgId}`, headers: delivery.headers, payload: delivery.body });
      expect(answer.statusCode).toBe(200);
      expect(answer.json()).toMatchObject({ received: true, duplicate: false });
      deliveryIds.set(c.id, answer.json().id as string);
    }
    const inbox = () => database.asService((tx) => tx<Array<{ id: string; status: string; attempts: number; lastError: string | null; statusReason: string | null }>>`
      select id, status, attempts, last_error, status_reason from public.webhook_inbox where id in ${tx([...deliveryIds.values()])}`);
    expect((await inbox()).map((r) => r.status)).toEqual(['received', 'received', 'received']);
    /** Per contact: reply.received events in the event log, inbound email activities, emails sent to them. */
    const replyEffects = () => Promise.all(contacts.map(async (c) => (await database.asService((tx) => tx<Array<{ events: number; activities: number; emails: number }>>`
      select (select count(*)::int from public.event_log where org_id = ${orgId} and kind = 'reply.received' and subject_id = ${c.id}) as events,
             (select count(*)::int from public.activities where org_id = ${orgId} and contact_id = ${c.id} and kind = 'email' and direction = 'inbound') as activities,
             (select count(*)::int from public.outbox where org_id = ${orgId} and to_address = ${c.email}) as emails`))[0]));

    // A dispatcher whose client connected while the server was up, as in a worker process that started earlier.
    const dispatcher: InboxDispatcher = createInboxDispatcher({
      db: database,
      temporal: new Client({ connection: dispatcherConnection! }),
      logger: {
        info: (message, meta) => dispatcherLog.push({ level: 'info', message, meta }),
        warn: (message, meta) => dispatcherLog.push({ level: 'warn', message, meta }),
      },
    });
    // The seeded organisation's placeholder delivery (provider 'test') is parked on the way; it is not ours.
    const whileDown = await dispatcher.runOnce();
    expect(whileDown).toMatchObject({ processed: 0, retried: 3 });
    for (const row of await inbox()) {
      expect(row.status).toBe('received');
      expect(row.attempts).toBeGreaterThanOrEqual(1);
      // Failed where Temporal is needed; after the first failure the rest of the batch is handed back untried.
      expect(row.lastError).toMatch(/^(not tried: )?ServiceError: Failed to signal Workflow/);
    }
    // The first delivery's database effects were committed before its signal failed: the second pass must not
    // repeat them (checked below, after the restart).
    const effects = await replyEffects();
    expect(effects.filter((e) => e?.events === 1 && e.activities === 1)).toHaveLength(1);
    expect(workerFailure).toBeUndefined();

    // Temporal comes back on the same port and SQLite file: the cadences are still there.
    server = await startServer();
    const totals = { processed: 0, parked: 0, retried: 0 };
    await until('every delivery processed', async () => {
      const counts = await dispatcher.runOnce(); // claims only rows whose backoff has passed
      totals.processed += counts.processed;
      totals.parked += counts.parked;
      totals.retried += counts.retried;
      return (await inbox()).every((r) => r.status === 'processed') ? true : undefined;
    }, 180_000);
    // The same worker, still running, did the cadences' work after the restart.
    expect([workerFailure, worker!.getState()]).toEqual([undefined, 'RUNNING']);
    expect(totals).toMatchObject({ processed: 3, parked: 0 });

    for (const row of await inbox()) {
      expect(row).toMatchObject({ status: 'processed', lastError: null, statusReason: 'reply classified reply: 1 process message(s)' });
    }
    // Still one reply event and one inbound email activity per contact; and only the intro was ever sent.
    expect(await replyEffects()).toEqual(contacts.map(() => ({ events: 1, activities: 1, emails: 1 })));

    for (const e of enrolments) {
      const handle = temporal.workflow.getHandle(e.workflowId);
      expect(await handle.result() as FollowUpResult).toMatchObject({ outcome: 'stopped', reason: 'replied' });
      // One message reached the process: the failed pass's signals never got to the stopped server.
      const signals = ((await handle.fetchHistory()).events ?? []).filter((ev) => ev.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED);
      expect(signals.map((ev) => ev.workflowExecutionSignaledEventAttributes?.signalName)).toEqual([cadenceEventSignal.name]);
      const enrolment = (await api.inject({ url: `/v1/enrolments/${e.enrolmentId}`, headers: await as('rep') })).json();
      expect(enrolment).toMatchObject({ status: 'stopped', endReason: 'replied' });
    }
  });
});
