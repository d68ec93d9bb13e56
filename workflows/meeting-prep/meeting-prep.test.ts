// Meeting prep briefs on the time-skipping server with real Postgres and local file storage: a meeting logged
// through the API gets a brief an hour before it (the organisation's lead time); moving the meeting moves the
// brief; cancelling or deleting it removes the brief, which then never fires.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Database } from '../../adapters/db/session.ts';
import { createLocalFileStorage } from '../../adapters/storage/local.ts';
import { startTestWorker } from '../../infra/testing/activities.ts';
import { testApp, tokenFor } from '../../infra/testing/api.ts';
import { appDatabase, seedOrganisation, type SeededOrg } from '../../infra/testing/database.ts';
import { createTimeSkippingEnv, uniqueTaskQueue, waitUntil } from '../../infra/testing/harness.ts';
import { meetingPrepStatusQuery, meetingPrepWorkflowId, type MeetingPrepResult } from './messages.ts';

let env: TestWorkflowEnvironment;
let db: Database;
let app: FastifyInstance;
let org: SeededOrg;
let worker: { stop(): Promise<void> } | undefined;
const storageDir = mkdtempSync(path.join(tmpdir(), 'closeloop-briefs-'));
const storage = createLocalFileStorage({ rootDir: storageDir });
const taskQueue = uniqueTaskQueue('meeting-prep');
const HOUR = 3_600_000;

beforeAll(async () => {
  env = await createTimeSkippingEnv();
  db = appDatabase('meeting-prep');
  org = await seedOrganisation(db, 'Brief Co');
  app = await testApp({ temporal: env.client, taskQueue, storage });
  worker = await startTestWorker({ env, db, taskQueue, overrides: { storage } });
  // History for the brief: an objection from an earlier call on this deal, and an open next step.
  await db.asService(async (tx) => {
    await tx`update public.call_note_proposals set kind = 'objection', target_type = null, target_id = null, after = '{"text": "Worried about the rollout effort"}'::jsonb,
      quote = 'Priya wants a pilot.', status = 'applied' where id = ${org.rows.call_note_proposals!}`;
    await tx`update public.activities set deal_id = ${org.rows.deals!}, occurred_at = now() - interval '3 days', subject = 'Discovery call' where id = ${org.rows.activities!}`;
    await tx`update public.tasks set deal_id = ${org.rows.deals!}, title = 'Send the pilot plan' where id = ${org.rows.tasks!}`;
  });
});
afterAll(async () => {
  await worker?.stop();
  await app?.close();
  await db?.end();
  await env?.teardown();
  rmSync(storageDir, { recursive: true, force: true });
});

const rep = async () => ({ authorization: `Bearer ${await tokenFor(org.users.rep)}` });


/** The server's clock: it runs ahead of ours once time has been skipped. */
const serverNow = async () => (await env.currentTimeMs()) as number;

async function logMeeting(startMs: number): Promise<string> {
  const res = await app.inject({
    method: 'POST',
    url: '/v1/activities',
    headers: await rep(),
    payload: {
      kind: 'meeting', direction: 'outbound', occurredAt: new Date(startMs - 5 * 24 * HOUR).toISOString(), subject: 'Pilot review',
      contactId: org.rows.contacts, dealId: org.rows.deals, loggedByMemberId: org.members.rep,
      meetingStartAt: new Date(startMs).toISOString(), meetingEndAt: new Date(startMs + HOUR).toISOString(), meetingStatus: 'scheduled',
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
}

const briefOf = (activityId: string) => db.asService(async (tx) => (await tx<{ id: string; status: string; dueAt: string; meetingStartAt: string; documentId: string | null }[]>`
  select id, status, due_at, meeting_start_at, document_id from public.meeting_briefs where meeting_activity_id = ${activityId}`)[0]);
const docsOf = (activityId: string) => db.asService((tx) => tx<{ id: string; storageRef: string }[]>`select id, storage_ref from public.documents where activity_id = ${activityId} or storage_ref like ${`%-brief-${activityId}.md`}`);

describe('meeting prep briefs', () => {
  it('the brief follows a rescheduled meeting: written an hour before the new time, never at the old one', async () => {
    const start = (await serverNow()) + 24 * HOUR;
    const activityId = await logMeeting(start);
    const handle = env.client.workflow.getHandle(meetingPrepWorkflowId(org.orgId, activityId));
    const planned = await waitUntil(() => briefOf(activityId), (b) => b?.status === 'scheduled', 'the planned brief');
    expect(new Date(planned!.dueAt).getTime()).toBe(start - HOUR);

    // Moved a day later, before the brief was due.
    const moved = start + 24 * HOUR;
    const patch = await app.inject({ method: 'PATCH', url: `/v1/activities/${activityId}`, headers: await rep(), payload: { meetingStartAt: new Date(moved).toISOString(), meetingEndAt: new Date(moved + HOUR).toISOString() } });
    expect(patch.statusCode, patch.body).toBe(200);
    await waitUntil(() => briefOf(activityId), (b) => b !== undefined && new Date(b.dueAt).getTime() === moved - HOUR, 'the brief to move');

    // Past the old due time: nothing written.
    await env.sleep(start - (await serverNow()) + 5 * 60_000);
    expect(await briefOf(activityId)).toMatchObject({ status: 'scheduled', documentId: null });
    expect(await docsOf(activityId)).toEqual([]);
    expect(await handle.query(meetingPrepStatusQuery)).toMatchObject({ step: 'waiting', dueAt: new Date(moved - HOUR).toISOString() });

    // Past the new due time: the brief is there, as a document, with a task that puts it in front of the rep.
    await env.sleep(moved - HOUR - (await serverNow()) + 60_000);
    const ready = await waitUntil(() => briefOf(activityId), (b) => b?.status === 'ready', 'the brief');
    const docs = await docsOf(activityId);
    expect(docs).toHaveLength(1);
    expect(ready!.documentId).toBe(docs[0]!.id);
    const content = await app.inject({ url: `/v1/meeting-briefs/${ready!.id}/content`, headers: await rep() });
    expect(content.statusCode, content.body).toBe(200);
    const { markdown } = content.json();
    expect(markdown).toContain('Brief Co Customer');
    expect(markdown).toMatch(/\*\*Priya Raman\*\* — champion; last call/);
    expect(markdown).toContain('Send the pilot plan');
    expect(markdown).toContain('Worried about the rollout effort — "Priya wants a pilot."');
    expect(markdown).toContain('Raised a round');
    const [task] = await db.asService((tx) => tx<{ kind: string; dueAt: string; ownerMemberId: string }[]>`select kind, due_at, owner_member_id from public.tasks where source_ref like ${`meeting-brief:${activityId}:%`}`);
    expect(task).toMatchObject({ kind: 'review', ownerMemberId: org.members.rep });
    expect(new Date(task!.dueAt).getTime()).toBe(moved);

    const result: MeetingPrepResult = await handle.result();
    expect(result).toEqual({ outcome: 'delivered', moves: 1 });
  });

  it('a cancelled meeting\'s brief never fires; a deleted one\'s brief goes with its document', async () => {
    const start = (await serverNow()) + 24 * HOUR;
    const cancelled = await logMeeting(start);
    await waitUntil(() => briefOf(cancelled), (b) => b?.status === 'scheduled', 'the planned brief');
    const patch = await app.inject({ method: 'PATCH', url: `/v1/activities/${cancelled}`, headers: await rep(), payload: { meetingStatus: 'cancelled' } });
    expect(patch.statusCode, patch.body).toBe(200);
    const result: MeetingPrepResult = await env.client.workflow.getHandle(meetingPrepWorkflowId(org.orgId, cancelled)).result();
    expect(result.outcome).toBe('cancelled');
    await env.sleep(start - (await serverNow()) + HOUR);
    expect(await briefOf(cancelled)).toMatchObject({ status: 'cancelled', documentId: null });
    expect(await docsOf(cancelled)).toEqual([]);

    // A meeting inside the lead time gets its brief at once; deleting the meeting then removes the brief.
    const soon = await logMeeting((await serverNow()) + 30 * 60_000);
    await waitUntil(() => briefOf(soon), (b) => b?.status === 'ready', 'the immediate brief');
    const [doc] = await docsOf(soon);
    const removed = await app.inject({ method: 'DELETE', url: `/v1/activities/${soon}`, headers: { authorization: `Bearer ${await tokenFor(org.users.manager)}` } });
    expect(removed.statusCode, removed.body).toBe(204);
    expect(await env.client.workflow.getHandle(meetingPrepWorkflowId(org.orgId, soon)).result()).toMatchObject({ outcome: 'cancelled' });
    expect(await docsOf(soon)).toEqual([]);
    await expect(storage.get(doc!.storageRef)).rejects.toThrow();
    const [task] = await db.asService((tx) => tx<{ status: string }[]>`select status from public.tasks where source_ref like ${`meeting-brief:${soon}:%`}`);
    expect(task?.status).toBe('cancelled');
  });
});
