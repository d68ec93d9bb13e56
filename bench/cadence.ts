// Benchmark: N concurrent follow-up cadences (enrolments) on a Temporal CLI dev server — the real workflow, worker,
// activities, Postgres and offline outbox — next to a bare workflow with the same timers and one no-op activity
// per step, measured in the same run, with the ratio.
// Usage: npm run bench:cadence [-- --enrolments 1000 --steps 3 --delay-minutes 1 --in-flight 50]
//
// Where the figures come from (all clocks are this machine's: Node, the dev server and Postgres run here):
// - A step's due instant. Step 1 (delay 0) is due when the bench asks Temporal to start the enrolment (client
//   clock, just before the start call), so its lag includes the start and the first workflow task. Step k+1 is due
//   at nextTouchAt(step k's wake-up, delay): the instant the cadence computes and sleeps until, recomputed here
//   with the same pure domain function from the `atMs` each step reports in the workflow result. Later steps count
//   from the previous step's wake-up (the cadence's rule), so lag does not accumulate across steps — but a step's
//   own work counts against the next step's delay: with --delay-minutes 0 (smoke runs only) later steps' lag
//   includes the previous step's work.
// - A step's actual instant. Real path: `created_at` of the email's row in public.outbox (the transaction in which
//   the offline provider accepted it inside sendEmail) — after the step's run records, drafting, the outbound-email
//   child workflow, its approval check, capacity slot and guards. Step lag is thus "due → handed to the provider".
//   Bare path: Date.now() inside the no-op activity, returned in the workflow result.
// - Wall time: first start request → last close time (Temporal visibility) of the measured workflows.
// - Alongside: CPU seconds of the dev server, Postgres, this process and everything else on the machine (/proc),
//   and this process's peak RSS, over each measured phase — to see what saturates, and whether anything competed.
// Nothing here asserts a timing: figures are printed, next to the baseline. The bare path runs first, so the real
// one runs on a dev server that already holds the bare run's histories (errs against the product, not for it).
// Each path gets a short unmeasured warm-up (zero delays) on its own worker first.
import { randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker, makeTelemetryFilterString, type WorkerOptions } from '@temporalio/worker';
import { createActivities } from '../activities/index.ts';
import { createEmailDrafter } from '../adapters/ai/index.ts';
import { cadenceRepository } from '../adapters/db/cadence-repository.ts';
import { createSql, type Sql } from '../adapters/db/client.ts';
import { organisationsRepository } from '../adapters/db/organisations-repository.ts';
import { createDatabase, type Database } from '../adapters/db/session.ts';
import { createSystemRepository } from '../adapters/db/system-repository.ts';
import { createOutboxEmailSender } from '../adapters/email/outbox.ts';
import { createLinkSigner } from '../adapters/links/unsubscribe.ts';
import { playbookDefinitionSchema, type PlaybookDefinition } from '../domain/playbooks.ts';
import { nextTouchAt, type SendWindow } from '../domain/schedule.ts';
import { applyMigrations, localAppUrl } from '../infra/dev/migrate.ts';
import { startEmbeddedPostgres } from '../infra/dev/postgres.ts';
import { ensureSearchAttributes, startTemporalDevServer } from '../infra/dev/temporal-server.ts';
import { freePort } from '../infra/testing/ports.ts';
import { temporalCliPath } from '../infra/tools/binaries.ts';
import { bundleWorkflows } from '../worker/create-worker.ts';
import { followUpWorkflowId, type FollowUpResult } from '../workflows/follow-up-cadence/messages.ts';
import { closeloopSearchAttributes } from '../workflows/shared/search-attributes.ts';
import type { BareCadenceActivities, BareCadenceInput, BareCadenceResult } from './workflows/bare-cadence.ts';

const { values } = parseArgs({
  options: {
    enrolments: { type: 'string', default: '1000' },
    steps: { type: 'string', default: '3' },
    'delay-minutes': { type: 'string', default: '1' },
    'in-flight': { type: 'string', default: '50' },
  },
});
const intOption = (name: string, raw: string, min: number, max: number): number => {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`--${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  return n;
};
const enrolments = intOption('enrolments', values.enrolments, 1, 20_000);
const stepCount = intOption('steps', values.steps, 1, 20); // a playbook holds at most 20 steps
const delayMinutes = intOption('delay-minutes', values['delay-minutes'], 0, 60);
const inFlight = intOption('in-flight', values['in-flight'], 1, 500);
const warmUpCount = Math.min(20, enrolments);
/** Step 1 goes at once (delay 0); every later step waits --delay-minutes after the previous one. */
const delaysMinutes = Array.from({ length: stepCount }, (_, i) => (i === 0 ? 0 : delayMinutes));

// Sending capacity (ADR-0010): caps are per mailbox, and a mailbox may send at most 600 a minute (the schema's
// bound), so the bench org gets one mailbox per 100 enrolments with every cap at the schema's upper bound: at most
// 100 sends per step per mailbox, well under the per-minute cap even when two steps overlap.
const ENROLMENTS_PER_MAILBOX = 100;
const raisedMailboxCaps = { dailyCap: 10_000, perMinuteCap: 600, perRecipientDomainDailyCap: 10_000 };
const raisedOrgCaps = { dailySendCap: 10_000, perMinuteSendCap: 600 };

// Both workers get these settings (the SDK's defaults, written out; worker/create-worker.ts's grace time).
const workerSettings = {
  maxConcurrentWorkflowTaskExecutions: 40,
  maxConcurrentActivityTaskExecutions: 100,
  maxConcurrentLocalActivityExecutions: 100,
  shutdownGraceTime: '10 seconds',
} satisfies Partial<WorkerOptions>;
const WORKER_DB_POOL = 10; // createSql's default: what worker/main.ts gets

// ---------------------------------------------------------------------------------------------------------------
// Interruption and clean-up: every process started here is stopped at the end, on error and on Ctrl-C. The first
// signal stops the run at its next wait; a second one stops everything at once.

const abort = new AbortController();
const cleanups: Array<{ what: string; run: () => Promise<unknown> }> = [];
let cleaning: Promise<void> | undefined;
const onCleanUp = (what: string, run: () => Promise<unknown>) => void cleanups.push({ what, run });
function cleanUp(): Promise<void> {
  cleaning ??= (async () => {
    for (const step of cleanups.reverse()) {
      try {
        await step.run();
      } catch (err) {
        console.error(`clean-up (${step.what}) failed: ${String(err)}`);
      }
    }
  })();
  return cleaning;
}
let signals = 0;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    signals += 1;
    if (signals === 1) {
      console.error(`\n${signal}: stopping (the worker, the dev server, Postgres); send it again to stop at once`);
      abort.abort(new Error(`interrupted by ${signal}`));
    } else {
      void cleanUp().finally(() => process.exit(130));
    }
  });
}
for (const event of ['unhandledRejection', 'uncaughtException'] as const) {
  process.on(event, (err) => {
    console.error(`${event}:`, err);
    void cleanUp().finally(() => process.exit(1));
  });
}

/** Rejects as soon as `signal` aborts. */
function unlessAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** fn over items, at most `limit` at a time. */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      abort.signal.throwIfAborted();
      const i = next++;
      results[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}

// ---------------------------------------------------------------------------------------------------------------
// CPU time of the dev server, Postgres (postmaster, its backends, and backends that already exited), this process
// and the whole machine, from /proc (Linux; elsewhere all but this process read 0): where the cores went, per path,
// and whether anything else on the machine competed for them.

const CLOCK_TICKS_PER_SECOND = 100; // USER_HZ on Linux

interface CpuSample {
  devServerMs: number;
  postgresMs: number;
  benchMs: number;
  machineMs: number;
}

/** Busy CPU ms of the whole machine since boot: user, nice, system, irq, softirq (not idle, iowait or steal). */
function machineBusyMs(): number {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    return (fields[0]! + fields[1]! + fields[2]! + fields[5]! + fields[6]!) * (1000 / CLOCK_TICKS_PER_SECOND);
  } catch {
    return 0;
  }
}

function procStat(pid: number): { ppid: number; ownMs: number; reapedChildrenMs: number } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after "(comm)": state ppid … utime(12th) stime cutime cstime, counted from the state.
    const f = text.slice(text.lastIndexOf(')') + 2).split(' ').map(Number);
    const tick = 1000 / CLOCK_TICKS_PER_SECOND;
    return { ppid: f[1]!, ownMs: (f[11]! + f[12]!) * tick, reapedChildrenMs: (f[13]! + f[14]!) * tick };
  } catch {
    return undefined;
  }
}

/** CPU ms of a process, its reaped children, and its live children. */
function treeCpuMs(pid: number): number {
  const root = procStat(pid);
  if (!root) return 0;
  let ms = root.ownMs + root.reapedChildrenMs;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const child = procStat(Number(entry));
    if (child?.ppid === pid) ms += child.ownMs;
  }
  return ms;
}

function cpuSampler(devServerPid: number, postgresPid: number): () => CpuSample {
  return () => {
    const own = process.cpuUsage();
    return { devServerMs: treeCpuMs(devServerPid), postgresMs: treeCpuMs(postgresPid), benchMs: (own.user + own.system) / 1000, machineMs: machineBusyMs() };
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Figures

const allDay = [{ start: '00:00', end: '24:00' }];
const allWeek: SendWindow = { mon: allDay, tue: allDay, wed: allDay, thu: allDay, fri: allDay, sat: allDay, sun: allDay };

function playbook(name: string, minutes: number[]): PlaybookDefinition {
  return playbookDefinitionSchema.parse({
    name,
    steps: minutes.map((amount, i) => ({
      key: `step-${i + 1}`,
      kind: 'auto_email',
      delay: { amount, unit: 'minutes' },
      subject: i === 0 ? 'A quick question, {{contact.firstName}}' : 'Re: A quick question',
      body: `Hi {{contact.firstName}}, this is touch ${i + 1}.`,
      aiPersonalise: false,
      taskExpiresAfterHours: null,
    })),
    sendWindow: allWeek,
    allowConcurrentEnrolments: false,
    reenrolCooldownDays: 30,
    stopColleaguesOnReply: false,
  });
}

/** The due instant of every step, as the cadence computes it (see the header): UTC, a window open all week. */
function dueInstants(startRequestedMs: number, wokeAtMs: readonly number[], minutes: readonly number[]): number[] {
  return minutes.map(
    (amount, k) => nextTouchAt({ afterMs: k === 0 ? startRequestedMs : wokeAtMs[k - 1]!, delay: { amount, unit: 'minutes' }, window: allWeek, timeZone: 'UTC', country: null }).atMs,
  );
}

const percentile = (sorted: readonly number[], p: number) => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
function summary(lags: readonly number[]) {
  const sorted = [...lags].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), max: sorted[sorted.length - 1] ?? NaN, samples: sorted.length };
}

interface PathFigures {
  title: string;
  startsPerSecond: number;
  wallMs: number;
  completionsPerSecond: number;
  lag: ReturnType<typeof summary>;
  lagByStep: Array<ReturnType<typeof summary>>;
  cpuSeconds: { devServer: number; postgres: number; bench: number; otherProcesses: number };
  peakRssMiB: number;
}

function figures(title: string, run: { startRequestedMs: number[]; startsDoneMs: number; closedMs: number[]; cpu: CpuSample; peakRssBytes: number }, lagsByStep: number[][]): PathFigures {
  const firstStartMs = Math.min(...run.startRequestedMs);
  const wallMs = Math.max(...run.closedMs) - firstStartMs;
  return {
    title,
    startsPerSecond: run.startRequestedMs.length / ((run.startsDoneMs - firstStartMs) / 1000),
    wallMs,
    completionsPerSecond: run.closedMs.length / (wallMs / 1000),
    lag: summary(lagsByStep.flat()),
    lagByStep: lagsByStep.map(summary),
    cpuSeconds: {
      devServer: run.cpu.devServerMs / 1000,
      postgres: run.cpu.postgresMs / 1000,
      bench: run.cpu.benchMs / 1000,
      otherProcesses: Math.max(0, run.cpu.machineMs - run.cpu.devServerMs - run.cpu.postgresMs - run.cpu.benchMs) / 1000,
    },
    peakRssMiB: run.peakRssBytes / 2 ** 20,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// One path: its own worker and task queue; a warm-up; then N workflows started `inFlight` at a time and awaited.

interface WorkflowRun<R> {
  startRequestedMs: number[];
  startsDoneMs: number;
  closedMs: number[];
  results: R[];
  /** CPU used from the first measured start to the last result. */
  cpu: CpuSample;
  /** This process's largest RSS from the first measured start to the last result, sampled every second. */
  peakRssBytes: number;
  maxCachedWorkflows: number;
}

interface PathSpec<I> {
  client: Client;
  connection: NativeConnection;
  taskQueue: string;
  workflowType: string;
  workflowBundle: WorkerOptions['workflowBundle'];
  activities: object;
  cpu: () => CpuSample;
  warmUp: Array<{ workflowId: string; input: I }>;
  measured: Array<{ workflowId: string; input: I; summary: string }>;
}

async function runPath<I, R>(label: string, spec: PathSpec<I>): Promise<WorkflowRun<R>> {
  const worker = await Worker.create({ connection: spec.connection, taskQueue: spec.taskQueue, workflowBundle: spec.workflowBundle, activities: spec.activities, ...workerSettings });
  let workerFailure: unknown;
  const running = worker.run().catch((err: unknown) => {
    workerFailure = err;
    abort.abort(new Error(`the ${label} worker failed: ${String(err)}`));
  });
  let stopped = false;
  const stopWorker = async () => {
    if (stopped) return;
    stopped = true;
    if (worker.getState() === 'RUNNING') worker.shutdown();
    await running;
  };
  onCleanUp(`${label} worker`, stopWorker);

  const start = (workflowId: string, input: I, staticSummary?: string) =>
    spec.client.workflow.start(spec.workflowType, { taskQueue: spec.taskQueue, workflowId, args: [input], ...(staticSummary ? { staticSummary } : {}) });

  console.log(`[${label}] warm-up: ${spec.warmUp.length} workflows with zero delays (not measured)`);
  await mapLimit(spec.warmUp, inFlight, (w) => start(w.workflowId, w.input));
  await unlessAborted(mapLimit(spec.warmUp, inFlight, (w) => spec.client.workflow.getHandle(w.workflowId).result()), abort.signal);

  console.log(`[${label}] starting ${spec.measured.length} workflows, ${inFlight} in flight`);
  const cpuBefore = spec.cpu();
  let peakRssBytes = process.memoryUsage.rss();
  const rssSampler = setInterval(() => void (peakRssBytes = Math.max(peakRssBytes, process.memoryUsage.rss())), 1000);
  const startRequestedMs = new Array<number>(spec.measured.length);
  await mapLimit(spec.measured, inFlight, async (w, i) => {
    startRequestedMs[i] = Date.now();
    await start(w.workflowId, w.input, w.summary);
  });
  const startsDoneMs = Date.now();
  console.log(`[${label}] all started in ${((startsDoneMs - Math.min(...startRequestedMs)) / 1000).toFixed(1)} s; waiting for them to complete`);

  // A generous budget: the timers, plus ten minutes; a stuck run ends with an error, not a hang.
  const budgetMs = (stepCount - 1) * delayMinutes * 60_000 + 10 * 60_000;
  const until = AbortSignal.any([abort.signal, AbortSignal.timeout(budgetMs)]);
  let done = 0;
  const progress = setInterval(() => {
    const query = `TaskQueue = '${spec.taskQueue}' AND WorkflowType = '${spec.workflowType}' AND ExecutionStatus = 'Completed'`;
    const elapsed = ((Date.now() - startsDoneMs) / 1000).toFixed(0);
    spec.client.workflow.count(query).then(
      ({ count }) => console.log(`[${label}]   ${count - spec.warmUp.length}/${spec.measured.length} completed, ${elapsed} s after the last start`),
      () => {},
    );
  }, 15_000);
  let results: R[];
  try {
    results = await unlessAborted(
      mapLimit(spec.measured, inFlight, async (w) => {
        const result = (await spec.client.workflow.getHandle(w.workflowId).result()) as R;
        done += 1;
        return result;
      }),
      until,
    );
  } catch (err) {
    if (until.aborted && !abort.signal.aborted) throw new Error(`[${label}] only ${done}/${spec.measured.length} workflows completed within ${budgetMs / 60_000} min`);
    throw err;
  } finally {
    clearInterval(progress);
    clearInterval(rssSampler);
  }
  const cpuAfter = spec.cpu();
  const cpu: CpuSample = {
    devServerMs: cpuAfter.devServerMs - cpuBefore.devServerMs,
    postgresMs: cpuAfter.postgresMs - cpuBefore.postgresMs,
    benchMs: cpuAfter.benchMs - cpuBefore.benchMs,
    machineMs: cpuAfter.machineMs - cpuBefore.machineMs,
  };
  peakRssBytes = Math.max(peakRssBytes, process.memoryUsage.rss());
  const { maxCachedWorkflows } = worker.options;
  const closedMs = await closeTimes(spec.client, spec.taskQueue, spec.workflowType, spec.measured.map((w) => w.workflowId));
  await stopWorker();
  if (workerFailure) throw workerFailure;
  console.log(`[${label}] done`);
  return { startRequestedMs, startsDoneMs, closedMs, results, cpu, peakRssBytes, maxCachedWorkflows };
}

/** Close times of the given workflows from visibility, in their order (retried briefly: visibility may lag). */
async function closeTimes(client: Client, taskQueue: string, workflowType: string, ids: string[]): Promise<number[]> {
  const wanted = new Set(ids);
  for (let attempt = 0; ; attempt++) {
    const found = new Map<string, number>();
    for await (const w of client.workflow.list({ query: `TaskQueue = '${taskQueue}' AND WorkflowType = '${workflowType}' AND ExecutionStatus = 'Completed'` })) {
      if (wanted.has(w.workflowId) && w.closeTime) found.set(w.workflowId, w.closeTime.getTime());
    }
    if (found.size === wanted.size) return ids.map((id) => found.get(id)!);
    if (attempt >= 20) throw new Error(`visibility lists ${found.size} of ${wanted.size} ${workflowType} workflows as completed`);
    await delay(500, undefined, { signal: abort.signal });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The real path's data: an organisation that sends templates without approval, its mailboxes, two playbooks
// (measured and warm-up), contacts and enrolments — written through the repositories the way the API writes them.

interface Enrolment {
  enrolmentId: string;
  contactId: string;
  workflowId: string;
}

async function seedOrganisation(db: Database, options: { mailboxes: number; measured: number; warmUp: number }) {
  return db.asService(async (tx) => {
    const { id: orgId } = await organisationsRepository.create(tx, { name: 'Cadence Bench Co', timeZone: 'UTC', postalAddress: '1 Bench Street' });
    const { id: repId } = await organisationsRepository.addMember(tx, orgId, { userId: randomUUID(), displayName: 'Riya Rep', email: 'rep@bench.example', role: 'rep' });
    const [orgBefore] = await tx<{ dailySendCap: number; perMinuteSendCap: number }[]>`select daily_send_cap, per_minute_send_cap from public.organisations where id = ${orgId}`;
    await tx`update public.organisations set default_approval_policy = 'auto_send_templates', daily_send_cap = ${raisedOrgCaps.dailySendCap},
      per_minute_send_cap = ${raisedOrgCaps.perMinuteSendCap} where id = ${orgId}`;

    // Created with the schema's default caps (read back for the report), then raised.
    const mailboxes = await tx<{ id: string; dailyCap: number; perMinuteCap: number; perRecipientDomainDailyCap: number }[]>`
      insert into public.mailboxes ${tx(
        Array.from({ length: options.mailboxes }, (_, m) => ({
          orgId,
          memberId: repId,
          fromAddress: `rep${m + 1}@bench-sender.example`,
          fromName: 'Riya Rep',
          replyTo: `rep${m + 1}@bench-sender.example`,
          domainStatus: 'verified',
          domainCheckedAt: new Date().toISOString(),
        })),
      )} returning id, daily_cap, per_minute_cap, per_recipient_domain_daily_cap`;
    await tx`update public.mailboxes set daily_cap = ${raisedMailboxCaps.dailyCap}, per_minute_cap = ${raisedMailboxCaps.perMinuteCap},
      per_recipient_domain_daily_cap = ${raisedMailboxCaps.perRecipientDomainDailyCap} where org_id = ${orgId}`;

    const measuredPlaybook = await cadenceRepository.createPlaybook(tx, { orgId, key: 'bench-cadence', name: 'Bench cadence', definition: playbook('Bench cadence', delaysMinutes), createdByMemberId: null });
    const warmUpPlaybook = await cadenceRepository.createPlaybook(tx, { orgId, key: 'bench-warm-up', name: 'Bench warm-up', definition: playbook('Bench warm-up', delaysMinutes.map(() => 0)), createdByMemberId: null });

    let seq = 0;
    const enrol = async (count: number, playbookKey: string, playbookVersionId: string): Promise<Enrolment[]> => {
      const out: Enrolment[] = [];
      for (let from = 0; from < count; from += 1000) {
        const batch = Array.from({ length: Math.min(1000, count - from) }, () => {
          seq += 1;
          return { orgId, firstName: 'Sam', lastName: `Buyer ${seq}`, emails: [`buyer-${seq}@buyer.example`], timeZone: 'UTC', lawfulBasis: 'legitimate_interest' };
        });
        const contacts = await tx<{ id: string }[]>`insert into public.contacts ${tx(batch)} returning id`;
        const rows = contacts.map((c, i) => ({
          orgId,
          contactId: c.id,
          playbookVersionId,
          ownerMemberId: repId,
          mailboxId: mailboxes[(from + i) % mailboxes.length]!.id,
          workflowId: followUpWorkflowId(orgId, c.id, playbookKey),
        }));
        const inserted = await tx<{ id: string; contactId: string; workflowId: string }[]>`insert into public.enrolments ${tx(rows)} returning id, contact_id, workflow_id`;
        out.push(...inserted.map((e) => ({ enrolmentId: e.id, contactId: e.contactId, workflowId: e.workflowId })));
      }
      return out;
    };
    return {
      orgId,
      orgCapsBefore: orgBefore!,
      mailboxCapsBefore: mailboxes[0]!,
      measuredVersion: measuredPlaybook.version,
      warmUp: await enrol(options.warmUp, 'bench-warm-up', warmUpPlaybook.versionId),
      measured: await enrol(options.measured, 'bench-cadence', measuredPlaybook.versionId),
    };
  });
}

/** The instant each measured email reached the outbox, by enrolment and step key; and the busiest mailbox minute. */
async function outboxInstants(db: Database, orgId: string) {
  const rows = await db.asService(
    (tx) => tx<{ idempotencyKey: string; createdAt: string; mailboxId: string }[]>`
      select o.idempotency_key, o.created_at, l.mailbox_id from public.outbox o
      join public.send_ledger l on l.org_id = o.org_id and l.business_key = o.idempotency_key
      where o.org_id = ${orgId}`,
  );
  const sentAt = new Map<string, number>();
  const perMailbox = new Map<string, number[]>();
  for (const row of rows) {
    // follow-up:<enrolmentId>:<stepKey>:<contactId> (activities/cadence.ts)
    const [, enrolmentId, stepKey] = row.idempotencyKey.split(':');
    const ms = Date.parse(row.createdAt);
    sentAt.set(`${enrolmentId}:${stepKey}`, ms);
    perMailbox.set(row.mailboxId, [...(perMailbox.get(row.mailboxId) ?? []), ms]);
  }
  let busiestMinute = 0;
  let busiestTotal = 0;
  for (const times of perMailbox.values()) {
    times.sort((a, b) => a - b);
    busiestTotal = Math.max(busiestTotal, times.length);
    for (let i = 0, j = 0; i < times.length; i++) {
      while (times[i]! - times[j]! >= 60_000) j++;
      busiestMinute = Math.max(busiestMinute, i - j + 1);
    }
  }
  return { sentAt, busiestMinute, busiestTotal };
}

// ---------------------------------------------------------------------------------------------------------------

async function main() {
  Runtime.install({
    logger: new DefaultLogger('WARN'),
    shutdownSignals: [], // this script stops its workers itself (see the clean-up above)
    telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'WARN' }) } },
  });

  const dir = mkdtempSync(path.join(tmpdir(), 'closeloop-bench-cadence-'));
  chmodSync(dir, 0o755); // the postgres OS user must traverse it
  onCleanUp('temporary directory', async () => rmSync(dir, { recursive: true, force: true }));
  const [pgPort, temporalPort] = await Promise.all([freePort(), freePort()]);
  console.log(`Starting embedded Postgres and a Temporal dev server in ${dir}, bundling the workflows…`);
  const [pg, temporal, realBundle, bareBundle] = await Promise.all([
    startEmbeddedPostgres({ dataDir: path.join(dir, 'pg'), port: pgPort, logFile: path.join(dir, 'pg.log'), database: 'closeloop' }).then((p) => {
      onCleanUp('postgres', () => p.stop());
      return p;
    }),
    startTemporalDevServer({ cliPath: temporalCliPath(), port: temporalPort, uiPort: null, dbFile: null, namespace: 'default', logFile: path.join(dir, 'temporal.log') }).then((t) => {
      onCleanUp('temporal dev server', () => t.stop());
      return t;
    }),
    bundleWorkflows(),
    bundleWorkflows({ path: fileURLToPath(new URL('./workflows/bare-cadence.ts', import.meta.url)) }),
  ]);
  abort.signal.throwIfAborted();
  await applyMigrations({ url: pg.url, includeSeed: false, local: true });

  const connection = await Connection.connect({ address: temporal.address });
  onCleanUp('client connection', () => connection.close());
  await ensureSearchAttributes(connection, 'default', closeloopSearchAttributes);
  const client = new Client({ connection, namespace: 'default' });
  const nativeConnection = await NativeConnection.connect({ address: temporal.address });
  onCleanUp('worker connection', () => nativeConnection.close());

  const setupSql: Sql = createSql({ url: localAppUrl(pg.url), applicationName: 'bench-cadence-setup', max: 2 });
  onCleanUp('setup pool', () => setupSql.end({ timeout: 5 }));
  const workerSql: Sql = createSql({ url: localAppUrl(pg.url), applicationName: 'bench-cadence-worker', max: WORKER_DB_POOL });
  onCleanUp('worker pool', () => workerSql.end({ timeout: 5 }));
  const setupDb = createDatabase(setupSql);
  const workerDb = createDatabase(workerSql);

  const mailboxCount = Math.ceil(enrolments / ENROLMENTS_PER_MAILBOX);
  const org = await seedOrganisation(setupDb, { mailboxes: mailboxCount, measured: enrolments, warmUp: warmUpCount });
  abort.signal.throwIfAborted();
  const runTag = randomUUID().slice(0, 8);
  const cpu = cpuSampler(temporal.process.pid, pg.process.pid);

  // Bare path first (see the header).
  const bareActivities: BareCadenceActivities = { bareStep: async () => ({ ranAtMs: Date.now() }) };
  const bare = await runPath<BareCadenceInput, BareCadenceResult>('bare', {
    client,
    connection: nativeConnection,
    taskQueue: `bench-cadence-bare-${runTag}`,
    workflowType: 'bareCadenceWorkflow',
    workflowBundle: { code: bareBundle.code },
    activities: bareActivities,
    cpu,
    warmUp: Array.from({ length: warmUpCount }, (_, i) => ({ workflowId: `bench-bare-warm-up:${runTag}:${i}`, input: { delaysMs: delaysMinutes.map(() => 0) } })),
    measured: Array.from({ length: enrolments }, (_, i) => ({
      workflowId: `bench-bare:${runTag}:${i}`,
      input: { delaysMs: delaysMinutes.map((m) => m * 60_000) },
      summary: `Bare cadence · ${i + 1} of ${enrolments}`,
    })),
  });

  const real = await runPath<{ orgId: string; enrolmentId: string }, FollowUpResult>('real', {
    client,
    connection: nativeConnection,
    taskQueue: `bench-cadence-real-${runTag}`,
    workflowType: 'followUpCadenceWorkflow',
    workflowBundle: { code: realBundle.code },
    activities: createActivities({
      db: workerDb,
      system: createSystemRepository(workerSql),
      workerIdentity: `bench-cadence-worker-${process.pid}`,
      email: createOutboxEmailSender({ db: workerDb }),
      drafter: createEmailDrafter({ provider: 'offline' }), // the embedded default; the bench's steps are templates (no AI)
      links: createLinkSigner({ publicUrl: 'http://127.0.0.1:3000', secret: 'bench-only-link-secret-of-32-characters!' }),
    }),
    cpu,
    warmUp: org.warmUp.map((e) => ({ workflowId: e.workflowId, input: { orgId: org.orgId, enrolmentId: e.enrolmentId } })),
    measured: org.measured.map((e) => ({
      workflowId: e.workflowId,
      input: { orgId: org.orgId, enrolmentId: e.enrolmentId },
      // As the API names a cadence (api/routes/cadences.ts).
      summary: `Follow-up · contact …${e.contactId.slice(-4)} · bench-cadence v${org.measuredVersion}`,
    })),
  });

  // Lags. A step that did not send (blocked, held, throttled into a wait) would make the figures meaningless.
  const outcomes = new Map<string, number>();
  for (const r of real.results) for (const s of r.steps) outcomes.set(s.outcome, (outcomes.get(s.outcome) ?? 0) + 1);
  const notSent = real.results.filter((r) => r.outcome !== 'completed' || r.steps.length !== stepCount || r.steps.some((s) => s.outcome !== 'sent'));
  if (notSent.length > 0) throw new Error(`${notSent.length} real cadences did not send every step: outcomes ${JSON.stringify(Object.fromEntries(outcomes))}`);
  const outbox = await outboxInstants(setupDb, org.orgId);
  const realLags: number[][] = delaysMinutes.map(() => []);
  real.results.forEach((r, i) => {
    const due = dueInstants(real.startRequestedMs[i]!, r.steps.map((s) => s.atMs), delaysMinutes);
    r.steps.forEach((s, k) => {
      const sentMs = outbox.sentAt.get(`${org.measured[i]!.enrolmentId}:${s.stepKey}`);
      if (sentMs === undefined) throw new Error(`no outbox row for enrolment ${org.measured[i]!.enrolmentId} step ${s.stepKey}`);
      realLags[k]!.push(sentMs - due[k]!);
    });
  });
  const bareLags: number[][] = delaysMinutes.map(() => []);
  bare.results.forEach((r, i) => {
    const due = dueInstants(bare.startRequestedMs[i]!, r.steps.map((s) => s.atMs), delaysMinutes);
    r.steps.forEach((s, k) => {
      // The bare workflow sleeps until previous wake-up + delay: the same instant, if the bench is consistent.
      if (k > 0 && due[k] !== r.steps[k - 1]!.atMs + delaysMinutes[k]! * 60_000) throw new Error('bench bug: the bare due instant differs from nextTouchAt');
      bareLags[k]!.push(s.ranAtMs - due[k]!);
    });
  });

  const bareFigures = figures(`bare: same timers, 1 no-op activity per step`, bare, bareLags);
  const realFigures = figures(`real: follow-up cadence, outbox sends`, real, realLags);
  const ratio = {
    completionsPerSecond: realFigures.completionsPerSecond / bareFigures.completionsPerSecond,
    p99Lag: realFigures.lag.p99 / Math.max(bareFigures.lag.p99, 1),
  };

  const f0 = (n: number) => n.toFixed(0);
  console.log(
    `\nCadence benchmark: ${enrolments} enrolments × ${stepCount} auto_email steps (delays ${delaysMinutes.join(', ')} min), ` +
      `${inFlight} starts in flight, Node ${process.version}, same process and machine`,
  );
  console.log(
    `Temporal CLI dev server (in memory) + embedded Postgres; one in-process worker per path, same settings: ` +
      `${workerSettings.maxConcurrentWorkflowTaskExecutions} workflow tasks, ${workerSettings.maxConcurrentActivityTaskExecutions} activities, ` +
      `${workerSettings.maxConcurrentLocalActivityExecutions} local activities at a time, workflow cache ${real.maxCachedWorkflows} (SDK default for this heap); ` +
      `real activities on a ${WORKER_DB_POOL}-connection pool`,
  );
  console.log(
    `Bench org: approval policy auto_send_templates; ${mailboxCount} mailbox(es), ≤${ENROLMENTS_PER_MAILBOX} enrolments each; mailbox caps raised from ` +
      `${org.mailboxCapsBefore.dailyCap}/24 h, ${org.mailboxCapsBefore.perMinuteCap}/min, ${org.mailboxCapsBefore.perRecipientDomainDailyCap}/recipient domain/24 h (schema defaults) ` +
      `to ${raisedMailboxCaps.dailyCap}, ${raisedMailboxCaps.perMinuteCap}, ${raisedMailboxCaps.perRecipientDomainDailyCap}; org send caps ` +
      `${org.orgCapsBefore.dailySendCap}/day, ${org.orgCapsBefore.perMinuteSendCap}/min raised to ${raisedOrgCaps.dailySendCap}, ${raisedOrgCaps.perMinuteSendCap} ` +
      `(the send path reads only the mailbox caps). Busiest mailbox: ${outbox.busiestMinute} sends in its busiest minute, ${outbox.busiestTotal} in the run (warm-up included).`,
  );
  console.log(`Step lag = the step's send (real: outbox row; bare: no-op activity) − its due instant; step 1 is due at the start request.\n`);
  console.log(`${'path'.padEnd(48)} ${'starts/s'.padStart(8)} ${'wall s'.padStart(7)} ${'compl/s'.padStart(8)}   lag p50    p95    p99    max (ms)`);
  for (const r of [bareFigures, realFigures]) {
    console.log(
      `${r.title.padEnd(48)} ${f0(r.startsPerSecond).padStart(8)} ${(r.wallMs / 1000).toFixed(1).padStart(7)} ${r.completionsPerSecond.toFixed(2).padStart(8)}   ` +
        `${f0(r.lag.p50).padStart(7)} ${f0(r.lag.p95).padStart(6)} ${f0(r.lag.p99).padStart(6)} ${f0(r.lag.max).padStart(6)}`,
    );
    console.log(`${''.padEnd(4)}by step, p50 / p99 / max ms: ${r.lagByStep.map((s, k) => `${k + 1}: ${f0(s.p50)} / ${f0(s.p99)} / ${f0(s.max)}`).join('   ')}`);
    console.log(
      `${''.padEnd(4)}CPU s from first start to last result: dev server ${r.cpuSeconds.devServer.toFixed(1)}, Postgres ${r.cpuSeconds.postgres.toFixed(1)}, ` +
        `bench process (worker + client) ${r.cpuSeconds.bench.toFixed(1)}, other processes on the machine ${r.cpuSeconds.otherProcesses.toFixed(1)}; ` +
        `bench process peak RSS ${r.peakRssMiB.toFixed(0)} MiB`,
    );
  }
  console.log(`\nratio (real / bare): completions/s ${ratio.completionsPerSecond.toFixed(3)}   p99 step lag ${ratio.p99Lag.toFixed(1)}x`);
  console.log('');
  const compact = (r: PathFigures) => ({
    wallMs: r.wallMs,
    startsPerSecond: Number(r.startsPerSecond.toFixed(1)),
    completionsPerSecond: Number(r.completionsPerSecond.toFixed(3)),
    lagMs: { p50: r.lag.p50, p95: r.lag.p95, p99: r.lag.p99, max: r.lag.max },
    lagP99ByStepMs: r.lagByStep.map((s) => s.p99),
    cpuSeconds: Object.fromEntries(Object.entries(r.cpuSeconds).map(([k, v]) => [k, Number(v.toFixed(1))])),
    peakRssMiB: Math.round(r.peakRssMiB),
  });
  console.log(
    JSON.stringify({
      bench: 'cadence',
      at: new Date().toISOString(),
      node: process.version,
      enrolments,
      steps: stepCount,
      delayMinutes,
      inFlight,
      mailboxes: mailboxCount,
      bare: compact(bareFigures),
      real: compact(realFigures),
      ratio: { completionsPerSecond: Number(ratio.completionsPerSecond.toFixed(3)), p99Lag: Number(ratio.p99Lag.toFixed(2)) },
    }),
  );
}

let exitCode = 0;
try {
  await main();
} catch (err) {
  exitCode = signals > 0 ? 130 : 1;
  console.error(abort.signal.aborted ? String(abort.signal.reason) : err);
} finally {
  await cleanUp();
}
// The Temporal runtime's native threads would keep the process alive after its workers are gone.
process.exit(exitCode);
