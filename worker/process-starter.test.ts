// The process starter on the time-skipping server with real Postgres: a call note the API saved while Temporal
// was away, and a meeting logged then, get their processes; a second pass starts nothing again; rows inside the
// grace time are left to whoever saved them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Database } from '../adapters/db/session.ts';
import { createLocalFileStorage } from '../adapters/storage/local.ts';
import { startTestWorker } from '../infra/testing/activities.ts';
import { testApp, tokenFor } from '../infra/testing/api.ts';
import { appDatabase, seedOrganisation, type SeededOrg } from '../infra/testing/database.ts';
import { createTimeSkippingEnv, uniqueTaskQueue, waitUntil } from '../infra/testing/harness.ts';
import { createProcessStarter } from './process-starter.ts';

let env: TestWorkflowEnvironment;
let db: Database;
let org: SeededOrg;
let offline: FastifyInstance;
let worker: { stop(): Promise<void> } | undefined;
const storageDir = mkdtempSync(path.join(tmpdir(), 'closeloop-starter-'));
const storage = createLocalFileStorage({ rootDir: storageDir });
const taskQueue = uniqueTaskQueue('process-starter');
const quiet = { info: () => {}, warn: () => {} };

beforeAll(async () => {
  env = await createTimeSkippingEnv();
  db = appDatabase('process-starter');
  org = await seedOrganisation(db, 'Starter Co');
  // An API that cannot reach Temporal (none configured): what it saves must not be lost.
  offline = await testApp({ temporal: null, taskQueue, storage });
  worker = await startTestWorker({ env, db, taskQueue, overrides: { storage } });
});
afterAll(async () => {
  await worker?.stop();
  await offline?.close();
  await db?.end();
  await env?.teardown();
  rmSync(storageDir, { recursive: true, force: true });
});

describe('the process starter', () => {
  it('starts the call note and the meeting brief an API saved while Temporal was away, once', async () => {
    const headers = { authorization: `Bearer ${await tokenFor(org.users.rep)}` };
    const posted = await offline.inject({ method: 'POST', url: '/v1/call-notes', headers, payload: { text: 'Sam: I will send the pilot plan by Friday.', format: 'speaker', dealId: org.rows.deals } });
    expect(posted.statusCode, posted.body).toBe(202);
    const start = Date.now() + 30 * 60_000;
    const meeting = await offline.inject({ method: 'POST', url: '/v1/activities', headers, payload: {
      kind: 'meeting', direction: 'outbound', occurredAt: new Date().toISOString(), subject: 'Pilot review', contactId: org.rows.contacts, dealId: org.rows.deals,
      meetingStartAt: new Date(start).toISOString(), meetingEndAt: new Date(start + 30 * 60_000).toISOString(), meetingStatus: 'scheduled',
    } });
    expect(meeting.statusCode, meeting.body).toBe(201);

    const starter = createProcessStarter({ db, temporal: env.client, taskQueue, logger: quiet, orgIds: [org.orgId], graceMs: 60_000 });
    // Inside the grace time: left alone (the API may still be starting them).
    expect(await starter.runOnce()).toEqual({ callNotes: 0, meetings: 0 });

    await db.asService(async (tx) => {
      await tx`update public.call_notes set created_at = now() - interval '5 minutes' where id = ${posted.json().id}`;
      await tx`update public.activities set created_at = now() - interval '5 minutes' where id = ${meeting.json().id}`;
    });
    // The seeded brief's meeting already has its row; only the new ones start.
    expect(await starter.runOnce()).toEqual({ callNotes: 1, meetings: 1 });
    const { workflowId } = (await db.asService((tx) => tx<{ workflowId: string }[]>`select workflow_id from public.call_notes where id = ${posted.json().id}`))[0]!;
    expect(await env.client.workflow.getHandle(workflowId).result()).toMatchObject({ outcome: 'completed' });
    await waitUntil(
      () => db.asService(async (tx) => (await tx<{ status: string }[]>`select status from public.meeting_briefs where meeting_activity_id = ${meeting.json().id}`)[0]?.status),
      (status) => status === 'ready',
      'the brief',
    );
    // A second pass finds nothing left to start.
    expect(await starter.runOnce()).toEqual({ callNotes: 0, meetings: 0 });
  });
});
