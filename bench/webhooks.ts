// Benchmark: signed "meeting.booked" hooks POSTed to the real route (`POST /v1/hooks/closeloop/:orgId`: HMAC over
// the raw body, stored once in public.webhook_inbox) with the inbox dispatcher running in-process (the row becomes a
// meeting activity and a `meeting.booked` row in public.event_log), next to a bare Fastify route doing one insert,
// both on the same embedded Postgres, driven by the same client at the same concurrency and count, in the same run.
// Usage: npm run bench:webhooks [-- --deliveries 2000 --connections 10]
//
// Where the figures come from:
// - The client runs in a worker thread (its own event loop, so it does not queue behind the server's): a fixed
//   number of keep-alive connections, each POSTing the next delivery as soon as its previous answer arrived. It
//   builds and signs every body just before sending it, for both routes, so both carry the same client cost.
// - POST latency: POST start → full answer, on the client. Accepted/s: N / (first POST start → last answer).
// - POST → event row, Closeloop: POST start → the moment the dispatcher's transaction holding the event-log row has
//   committed, taken in this process by the dispatcher's `afterMessages` seam (it runs right after that commit and
//   the — here empty — signal loop, before the row is marked processed). Both instants are
//   `performance.timeOrigin + performance.now()` of one process, so one clock, no offset to guess, and no polling
//   that would load the database or round the figure to its interval. It is the dispatcher's view: another
//   observer would see the row at the same commit, plus its own query time. As a cross-check the table also shows
//   the figure from event_log.recorded_at (found by data->>'inboxId' = the id the POST answered): that is
//   Postgres's now(), the *start* of the writing transaction, so it reads a few ms low; Postgres runs on this
//   machine's clock, and the offset to Node's clock is estimated once (best of 20 round trips) and printed.
// - Processed/s: N / (first POST start → last event row). For the bare route the row exists when the POST answers,
//   so its "POST → row" is its POST latency and its processed/s is its accepted/s.
// - The dispatcher uses the product's defaults (poll 1 s, lease 30 s, batch 20), as worker/main.ts does, with its
//   own connection pool (it runs in the worker process in production); the API gets another pool of 10.
// - The bare route connects as the Postgres superuser (no role switch, no transaction block), into a bench table.
// Each side first gets an unmeasured warm-up; the bare side runs first. Nothing is asserted but correctness: every
// delivery must be answered 200, stored once and turned into exactly one event row, with nothing parked or retried.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { Client } from '@temporalio/client';
import Fastify from 'fastify';
import { buildApp } from '../api/app.ts';
import { createSql } from '../adapters/db/client.ts';
import { contactsRepository } from '../adapters/db/contacts-repository.ts';
import { organisationsRepository } from '../adapters/db/organisations-repository.ts';
import { createDatabase } from '../adapters/db/session.ts';
import { webhookInboxRepository } from '../adapters/db/webhook-inbox-repository.ts';
import { createLinkSigner } from '../adapters/links/unsubscribe.ts';
import { generateHookSecret } from '../adapters/webhooks/signatures.ts';
import { contactCreateSchema } from '../domain/objects.ts';
import { applyMigrations, localAppUrl } from '../infra/dev/migrate.ts';
import { startEmbeddedPostgres } from '../infra/dev/postgres.ts';
import { freePort } from '../infra/testing/ports.ts';
import { closeloopHookDelivery } from '../infra/testing/webhooks.ts';
import { createInboxDispatcher } from '../worker/inbox-dispatcher.ts';

/** What the client thread is asked to do: `count` deliveries with ids `<idPrefix><n>`, over `connections` sockets. */
interface ClientJob {
  url: string;
  count: number;
  connections: number;
  idPrefix: string;
  secret: string;
  attendeeEmail: string;
}
interface Sample {
  startMs: number;
  endMs: number;
  status: number;
  /** The id the route answered (the inbox row's id; the bench table's for the bare route). */
  id: string | null;
  error: string | null;
}

const nowMs = () => performance.timeOrigin + performance.now();

async function drive(job: ClientJob): Promise<Sample[]> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: job.connections });
  const post = (n: number) =>
    new Promise<Sample>((resolve) => {
      const at = new Date();
      const hook = {
        id: `${job.idPrefix}${n}`,
        type: 'meeting.booked',
        occurredAt: at.toISOString(),
        data: { attendeeEmail: job.attendeeEmail, startsAt: new Date(at.getTime() + 86_400_000).toISOString(), title: 'Intro call' },
      };
      const { headers, body } = closeloopHookDelivery(job.secret, hook, { atMs: at.getTime() });
      const startMs = nowMs();
      const request = http.request(job.url, { method: 'POST', agent, headers: { ...headers, 'content-length': Buffer.byteLength(body) } }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const endMs = nowMs();
          const text = Buffer.concat(chunks).toString();
          const status = response.statusCode ?? 0;
          let id: string | null = null;
          try {
            id = (JSON.parse(text) as { id?: unknown }).id?.toString() ?? null;
          } catch {
            // reported below as a bad answer
          }
          resolve({ startMs, endMs, status, id, error: status === 200 && id ? null : text.slice(0, 300) });
        });
      });
      request.on('error', (err) => resolve({ startMs, endMs: nowMs(), status: 0, id: null, error: err.message }));
      request.end(body);
    });
  const samples: Sample[] = new Array<Sample>(job.count);
  let next = 0;
  await Promise.all(
    Array.from({ length: job.connections }, async () => {
      while (next < job.count) {
        const n = next++;
        samples[n] = await post(n);
      }
    }),
  );
  agent.destroy();
  return samples;
}

/** Runs the client in a worker thread and returns its samples, in delivery order. */
function runClient(job: ClientJob): Promise<Sample[]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(fileURLToPath(import.meta.url), { workerData: job });
    worker.once('message', (samples: Sample[]) => {
      resolve(samples);
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`client thread exited with code ${code} before answering`)));
  });
}

function checked(title: string, samples: Sample[]): Sample[] {
  const bad = samples.filter((s) => s.error !== null);
  if (bad.length > 0) throw new Error(`${title}: ${bad.length} of ${samples.length} POSTs failed, e.g. ${bad[0]!.status} ${bad[0]!.error}`);
  if (new Set(samples.map((s) => s.id)).size !== samples.length) throw new Error(`${title}: two POSTs were answered with the same id`);
  return samples;
}

/** Nearest-rank percentile of unsorted values. */
function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
// Loops, not Math.max(...values): a spread of 100k arguments can overflow the stack.
const maxOf = (values: Iterable<number>) => [...values].reduce((a, b) => (b > a ? b : a), -Infinity);
const minOf = (values: Iterable<number>) => [...values].reduce((a, b) => (b < a ? b : a), Infinity);
const spread = (values: number[]) => ({ p50: percentile(values, 50), p95: percentile(values, 95), p99: percentile(values, 99), max: maxOf(values) });

async function main() {
  const { values } = parseArgs({ options: { deliveries: { type: 'string', default: '2000' }, connections: { type: 'string', default: '10' } } });
  const intOption = (name: string, raw: string, min: number, max: number): number => {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) throw new Error(`--${name} must be an integer from ${min} to ${max}, got "${raw}"`);
    return n;
  };
  const deliveries = intOption('deliveries', values.deliveries, 1, 100_000);
  const connections = intOption('connections', values.connections, 1, 200);
  const warmUp = Math.min(200, deliveries);
  const runTag = Date.now().toString(36);

  const dir = mkdtempSync(path.join(tmpdir(), 'closeloop-bench-'));
  chmodSync(dir, 0o755);
  const pg = await startEmbeddedPostgres({ dataDir: path.join(dir, 'pg'), port: await freePort(), logFile: path.join(dir, 'pg.log'), database: 'closeloop' });
  const closers: Array<() => Promise<unknown>> = [];
  try {
    await applyMigrations({ url: pg.url, includeSeed: false, local: true });
    const apiSql = createSql({ url: localAppUrl(pg.url), applicationName: 'bench-api', max: 10 });
    closers.push(() => apiSql.end());
    const workerSql = createSql({ url: localAppUrl(pg.url), applicationName: 'bench-dispatcher', max: 10 });
    closers.push(() => workerSql.end());
    const bareSql = createSql({ url: pg.url, applicationName: 'bench-bare', max: 10 });
    closers.push(() => bareSql.end());
    const db = createDatabase(apiSql);

    const attendeeEmail = 'ada@customer.example';
    const hookSecret = generateHookSecret();
    const orgId = await db.asService(async (tx) => {
      const { id } = await organisationsRepository.create(tx, { name: 'Bench Co' });
      await contactsRepository.create(tx, id, contactCreateSchema.parse({ firstName: 'Ada', emails: [attendeeEmail] }));
      await webhookInboxRepository.addSecret(tx, { orgId: id, source: 'closeloop', secret: hookSecret, createdByMemberId: null });
      return id;
    });

    // Baseline: the least a route that stores a delivery can do.
    await bareSql`create table if not exists public.bench_hits (id bigint generated always as identity primary key, body text not null, received_at timestamptz not null default now())`;
    const bare = Fastify();
    bare.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => done(null, body));
    bare.post('/hits', async (request) => {
      const [row] = await bareSql<{ id: number }[]>`insert into public.bench_hits (body) values (${request.body as string}) returning id`;
      return { id: String(row!.id) };
    });
    const barePort = await freePort();
    await bare.listen({ host: '127.0.0.1', port: barePort });
    closers.push(() => bare.close());

    // The benchmark enrols nobody, so the dispatcher has no process to signal. It gets a minimal object cast to
    // Client that throws on any use: a signal attempt would surface as a retried delivery, which fails the run.
    const noTemporal = new Proxy({}, {
      get: (_target, property) => {
        throw new Error(`the benchmark's Temporal client was used (${String(property)}): nothing should be signalled`);
      },
    }) as unknown as Client;
    const rowSeenAtMs = new Map<string, number>();
    let target = 0;
    let reached: (() => void) | null = null;
    const warnings: Array<{ message: string; meta?: Record<string, unknown> }> = [];
    const dispatcher = createInboxDispatcher({
      db: createDatabase(workerSql),
      temporal: noTemporal,
      logger: {
        info: () => {},
        warn: (message, meta) => {
          warnings.push({ message, meta });
          reached?.(); // stop waiting: the run has failed
        },
      },
      afterMessages: async (row) => {
        rowSeenAtMs.set(row.id, nowMs());
        if (rowSeenAtMs.size >= target) reached?.();
      },
    });
    const app = await buildApp({
      db,
      readinessChecks: [],
      auth: { jwtSecret: 'bench-secret-bench-secret-bench-secret!!', audience: 'authenticated' },
      rateLimit: { perPrincipal: 1e9, perOrganisation: 1e9, windowSeconds: 60 },
      devLoginSecret: null,
      temporal: null,
      links: createLinkSigner({ publicUrl: 'http://127.0.0.1', secret: 'bench-secret-bench-secret-bench-secret!!' }),
      onWebhookReceived: () => dispatcher.wake(),
    });
    const appPort = await freePort();
    await app.listen({ host: '127.0.0.1', port: appPort });
    closers.push(() => app.close());
    dispatcher.start();
    closers.push(() => dispatcher.stop());

    /** Resolves once `count` event rows in all have been seen (warm-up included); fails on a dispatcher warning or after `timeoutMs`. */
    const eventRows = async (count: number, timeoutMs: number) => {
      target = count;
      const stopWaiting = new AbortController();
      try {
        if (rowSeenAtMs.size < count && warnings.length === 0) {
          await Promise.race([new Promise<void>((resolve) => (reached = resolve)), delay(timeoutMs, undefined, { signal: stopWaiting.signal }).catch(() => {})]);
        }
      } finally {
        stopWaiting.abort();
        reached = null;
      }
      if (rowSeenAtMs.size < count || warnings.length > 0) {
        throw new Error(`${rowSeenAtMs.size} of ${count} event rows (waited at most ${timeoutMs / 1000} s); dispatcher warnings: ${warnings.length}, e.g. ${JSON.stringify(warnings[0] ?? null)}`);
      }
    };

    const job = (url: string, count: number, idPrefix: string): ClientJob => ({ url, count, connections, idPrefix, secret: hookSecret, attendeeEmail });
    const bareUrl = `http://127.0.0.1:${barePort}/hits`;
    const hookUrl = `http://127.0.0.1:${appPort}/v1/hooks/closeloop/${orgId}`;
    console.log(`Webhook benchmark: ${deliveries} deliveries, ${connections} connections, warm-up ${warmUp} each (not measured), Node ${process.version}`);

    checked('bare warm-up', await runClient(job(bareUrl, warmUp, `warm-bare-${runTag}-`)));
    const bareSamples = checked('bare route', await runClient(job(bareUrl, deliveries, `bare-${runTag}-`)));
    console.log('bare route done');

    checked('hook warm-up', await runClient(job(hookUrl, warmUp, `warm-${runTag}-`)));
    await eventRows(warmUp, 60_000);
    const hookSamples = checked('closeloop hook', await runClient(job(hookUrl, deliveries, `hook-${runTag}-`)));
    const postsDoneMs = nowMs();
    await eventRows(warmUp + deliveries, 5 * 60_000);
    await dispatcher.stop(); // lets its last pass mark the last rows processed (the seam runs just before that)
    console.log(`closeloop hook done: the last event row came ${((maxOf(rowSeenAtMs.values()) - postsDoneMs) / 1000).toFixed(2)} s after the last POST answer`);

    // Correctness, and the recorded_at cross-check.
    const offsets: Array<{ rtt: number; offset: number }> = [];
    for (let i = 0; i < 20; i++) {
      const before = nowMs();
      const [row] = await bareSql<{ ms: number }[]>`select (extract(epoch from clock_timestamp()) * 1000)::float8 as ms`;
      const after = nowMs();
      offsets.push({ rtt: after - before, offset: row!.ms - (before + after) / 2 });
    }
    const clockOffsetMs = offsets.sort((a, b) => a.rtt - b.rtt)[0]!.offset; // Postgres − Node
    const ids = hookSamples.map((s) => s.id!);
    const rows = await bareSql<{ inboxId: string; recordedMs: number; n: number }[]>`
      select data->>'inboxId' as inbox_id, min(extract(epoch from recorded_at) * 1000)::float8 as recorded_ms, count(*)::int as n
      from public.event_log where org_id = ${orgId} and kind = 'meeting.booked' and data->>'inboxId' = any(${ids}::text[]) group by 1`;
    const statuses = await bareSql<{ status: string; n: number }[]>`select status, count(*)::int as n from public.webhook_inbox where org_id = ${orgId} group by 1 order by 1`;
    const byStatus = Object.fromEntries(statuses.map((s) => [s.status, s.n]));
    const recordedMs = new Map(rows.map((r) => [r.inboxId, r.recordedMs - clockOffsetMs]));
    if (rows.length !== deliveries || rows.some((r) => r.n !== 1)) throw new Error(`expected one meeting.booked event row per delivery, found ${rows.length} delivery ids with rows (counts ${[...new Set(rows.map((r) => r.n))].join(', ')})`);
    if ((byStatus.processed ?? 0) !== warmUp + deliveries || byStatus.parked || byStatus.received) throw new Error(`inbox not fully processed: ${JSON.stringify(byStatus)}`);
    if (warnings.length > 0) throw new Error(`the dispatcher warned ${warnings.length} times, e.g. ${JSON.stringify(warnings[0])}`);

    const figures = (samples: Sample[], rowAtMs: (s: Sample) => number) => {
      const first = minOf(samples.map((s) => s.startMs));
      const lastAnswer = maxOf(samples.map((s) => s.endMs));
      const lastRow = maxOf(samples.map(rowAtMs));
      return {
        acceptedPerSecond: samples.length / ((lastAnswer - first) / 1000),
        processedPerSecond: samples.length / ((lastRow - first) / 1000),
        postMs: spread(samples.map((s) => s.endMs - s.startMs)),
        rowMs: spread(samples.map((s) => rowAtMs(s) - s.startMs)),
      };
    };
    const bareFigures = figures(bareSamples, (s) => s.endMs);
    const hookFigures = figures(hookSamples, (s) => rowSeenAtMs.get(s.id!)!);
    const recordedFigures = figures(hookSamples, (s) => recordedMs.get(s.id!)!);
    const ratio = {
      accepted: hookFigures.acceptedPerSecond / bareFigures.acceptedPerSecond,
      processed: hookFigures.processedPerSecond / bareFigures.processedPerSecond,
      p99Post: hookFigures.postMs.p99 / bareFigures.postMs.p99,
      p99Row: hookFigures.rowMs.p99 / bareFigures.rowMs.p99,
    };

    const f0 = (n: number) => n.toFixed(0).padStart(6);
    const f1 = (n: number) => n.toFixed(1).padStart(7);
    const ms = (s: ReturnType<typeof spread>) => `${f1(s.p50)} ${f1(s.p95)} ${f1(s.p99)} ${f1(s.max)}`;
    console.log(`\nLatency in ms (p50 p95 p99 max). Postgres clock − Node clock: ${clockOffsetMs.toFixed(2)} ms (applied to recorded_at only)\n`);
    console.log(`${'path'.padEnd(46)} ${'acc/s'.padStart(6)} ${'proc/s'.padStart(6)}   ${'POST latency'.padEnd(31)}   POST → event row`);
    const line = (title: string, f: ReturnType<typeof figures>) => console.log(`${title.padEnd(46)} ${f0(f.acceptedPerSecond)} ${f0(f.processedPerSecond)}   ${ms(f.postMs)}   ${ms(f.rowMs)}`);
    line('bare route, one insert (row at answer)', bareFigures);
    line('closeloop hook + dispatcher (row committed)', hookFigures);
    line('  same, row time from event_log.recorded_at', recordedFigures);
    console.log(
      `\nratio (closeloop / bare): accepted/s ${ratio.accepted.toFixed(3)}   processed/s ${ratio.processed.toFixed(3)}   ` +
        `p99 POST ${ratio.p99Post.toFixed(1)}x   p99 POST → event row ${ratio.p99Row.toFixed(1)}x`,
    );
    console.log(`inbox: ${JSON.stringify(byStatus)} (warm-up included); dispatcher warnings: ${warnings.length}\n`);
    console.log(
      JSON.stringify({
        bench: 'webhooks',
        deliveries,
        connections,
        node: process.version,
        clockOffsetMs: Number(clockOffsetMs.toFixed(3)),
        bare: bareFigures,
        closeloop: hookFigures,
        closeloopRecordedAt: recordedFigures,
        ratio,
      }),
    );
  } finally {
    for (const close of closers.reverse()) {
      try {
        await close();
      } catch (err) {
        console.error(`clean-up failed: ${String(err)}`);
      }
    }
    await pg.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

// One file, two roles: the main thread runs the benchmark, the worker thread it starts is the client.
if (isMainThread) await main();
else parentPort!.postMessage(await drive(workerData as ClientJob));
