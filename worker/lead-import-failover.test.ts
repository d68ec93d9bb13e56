// Issue #10: a 10,000-row import runs as a workflow with visible progress, and survives a worker killed midway
// without duplicating or losing rows; re-importing the same file changes nothing. Two real worker processes
// (worker/main.ts) serve the import on the dev server; the one running a chunk is SIGKILLed while it works.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { Client, Connection } from '@temporalio/client';
import type { Database } from '../adapters/db/session.ts';
import { createLocalFileStorage } from '../adapters/storage/local.ts';
import { isAlive, tail, type ManagedProcess } from '../infra/dev/processes.ts';
import { spawnWorkerProcess } from '../infra/testing/worker-process.ts';
import { testApp, tokenFor } from '../infra/testing/api.ts';
import { appDatabase, seedOrganisation, type SeededOrg } from '../infra/testing/database.ts';
import { testResources, uniqueTaskQueue } from '../infra/testing/harness.ts';

const ROWS = 10_000;
const storageDir = mkdtempSync(path.join(tmpdir(), 'closeloop-import-failover-'));
const taskQueue = uniqueTaskQueue('import-failover');
const workers: ManagedProcess[] = [];
let connection: Connection;
let client: Client;
let db: Database;
let app: FastifyInstance;
let org: SeededOrg;

function startWorker(identity: string): ManagedProcess {
  const proc = spawnWorkerProcess(identity, taskQueue, { CLOSELOOP_STORAGE: 'local', CLOSELOOP_STORAGE_DIR: storageDir });
  workers.push(proc);
  return proc;
}

beforeAll(async () => {
  db = appDatabase('import-failover');
  org = await seedOrganisation(db, 'Failover Imports');
  connection = await Connection.connect({ address: testResources().temporalAddress });
  client = new Client({ connection });
  app = await testApp({ temporal: client, taskQueue, storage: createLocalFileStorage({ rootDir: storageDir }) });
});
afterAll(async () => {
  for (const w of workers) if (isAlive(w.pid)) await w.stop('SIGKILL', 1000);
  await app?.close();
  await db?.end();
  await connection?.close();
  rmSync(storageDir, { recursive: true, force: true });
});

const countries = ['Germany', 'United Kingdom', 'France', 'Spain', 'United States'];
const csv = ['First Name,Last Name,Title,Company,Email,Country',
  ...Array.from({ length: ROWS }, (_, i) => `Person${i},Tester${i},${i % 7 === 0 ? 'VP Sales' : 'Account Executive'},"Company ${i % 500}, Inc.",person.${i}@company-${i % 500}.com,${countries[i % countries.length]}`)].join('\n');

async function upload(rep: { authorization: string }) {
  const uploaded = await app.inject({ method: 'POST', url: '/v1/imports?fileName=ten-thousand.csv', headers: { ...rep, 'content-type': 'text/csv' }, payload: csv });
  expect(uploaded.statusCode, uploaded.body).toBe(201);
  return uploaded.json().id as string;
}
const progressOf = async (rep: { authorization: string }, id: string) => (await app.inject({ url: `/v1/imports/${id}/progress`, headers: rep })).json() as { done: number; percent: number; created: number; updated: number; unchanged: number; failed: number; status: string };

describe('lead import across a worker kill', () => {
  it(`${ROWS} rows: progress visible, a worker killed midway, nothing lost or doubled; the same file again changes nothing`, { timeout: 600_000 }, async () => {
    const byIdentity = { 'worker-A': startWorker('worker-A'), 'worker-B': startWorker('worker-B') };
    const rep = { authorization: `Bearer ${await tokenFor(org.users.rep)}` };
    const seeded = (await db.asService((tx) => tx<{ n: number }[]>`select count(*)::int as n from public.contacts where org_id = ${org.orgId}`))[0]!.n;
    const id = await upload(rep);
    const started = await app.inject({ method: 'POST', url: `/v1/imports/${id}/start`, headers: rep, payload: { lawfulBasis: 'legitimate_interest', lawfulBasisSource: 'trade fair list' } });
    expect(started.statusCode, started.body).toBe(200);
    const handle = client.workflow.getHandle(started.json().workflowId);

    // Progress moves while it runs; midway, the worker running the current chunk is killed.
    const seen: number[] = [];
    let killed: string | undefined;
    const deadline = Date.now() + 300_000;
    while (!killed && Date.now() < deadline) {
      const progress = await progressOf(rep, id);
      if (seen.at(-1) !== progress.done) seen.push(progress.done);
      if (progress.done >= ROWS * 0.25) {
        const pending = (await handle.describe()).raw.pendingActivities ?? [];
        const running = pending.find((a) => a.lastStartedTime && a.lastWorkerIdentity)?.lastWorkerIdentity;
        if (running && running in byIdentity) {
          killed = running;
          await byIdentity[running as keyof typeof byIdentity].stop('SIGKILL', 1000);
        }
      }
      if (!killed) await delay(200);
    }
    if (!killed) throw new Error(`no worker was running a chunk midway. Logs:\n${tail(byIdentity['worker-A'].logFile)}\n${tail(byIdentity['worker-B'].logFile)}`);
    const result = await handle.result();
    expect(result).toMatchObject({ status: 'completed', totalRows: ROWS, processedRows: ROWS });
    const final = await progressOf(rep, id);
    expect(final).toMatchObject({ status: 'completed', done: ROWS, created: ROWS, updated: 0, unchanged: 0, failed: 0, percent: 100 });
    expect(seen.filter((n) => n > 0 && n < ROWS).length).toBeGreaterThanOrEqual(2); // progress was visible along the way
    const counts = await db.asService((tx) => tx<{ contacts: number; distinctEmails: number; rows: number; distinctLines: number; accounts: number }[]>`
      select (select count(*)::int from public.contacts where org_id = ${org.orgId} and import_batch_id = ${id}) as contacts,
             (select count(distinct emails[1])::int from public.contacts where org_id = ${org.orgId} and import_batch_id = ${id}) as distinct_emails,
             (select count(*)::int from public.import_rows where batch_id = ${id}) as rows,
             (select count(distinct line)::int from public.import_rows where batch_id = ${id}) as distinct_lines,
             (select count(*)::int from public.accounts where org_id = ${org.orgId} and source = 'generic_csv') as accounts`);
    expect(counts).toEqual([{ contacts: ROWS, distinctEmails: ROWS, rows: ROWS, distinctLines: ROWS, accounts: 500 }]);
    // The chunk the killed worker had was taken over (a heartbeat timeout, then another attempt).
    const { events } = await handle.fetchHistory();
    expect(events!.some((e) => (e.activityTaskStartedEventAttributes?.attempt ?? 1) > 1)).toBe(true);

    // The same file again: every row unchanged.
    const again = await upload(rep);
    await app.inject({ method: 'POST', url: `/v1/imports/${again}/start`, headers: rep, payload: { lawfulBasis: 'legitimate_interest', lawfulBasisSource: 'trade fair list' } });
    await client.workflow.getHandle(`lead-import:${org.orgId}:${again}`).result();
    expect(await progressOf(rep, again)).toMatchObject({ done: ROWS, created: 0, updated: 0, unchanged: ROWS, failed: 0 });
    expect(await db.asService((tx) => tx`select count(*)::int as n from public.contacts where org_id = ${org.orgId}`)).toEqual([{ n: ROWS + seeded }]);
  });
});
