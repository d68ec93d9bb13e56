// Call notes end to end on the time-skipping server with real Postgres: the API takes the notes, the real OpenAI
// adapter talks to the local fake model, and the workflow applies, asks and follows through. What is checked is
// what the rep and the manager would see: tasks, the deal, the approvals queue, the audit log, the dropped count.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createOpenAiCallNotesExtractor } from '../../adapters/ai/call-notes-openai.ts';
import { OFFLINE_RULES_VERSION } from '../../adapters/ai/call-notes-offline.ts';
import { startFakeOpenAiServer, type FakeOpenAiServer } from '../../adapters/ai/fake-openai-server.ts';
import type { Database } from '../../adapters/db/session.ts';
import { createLocalFileStorage } from '../../adapters/storage/local.ts';
import { emptyExtraction, type Extraction } from '../../domain/call-notes.ts';
import { startTestWorker } from '../../infra/testing/activities.ts';
import { testApp, tokenFor } from '../../infra/testing/api.ts';
import { appDatabase, seedOrganisation, type SeededOrg } from '../../infra/testing/database.ts';
import { createTimeSkippingEnv, uniqueTaskQueue, waitUntil } from '../../infra/testing/harness.ts';
import { closeloopHookDelivery } from '../../infra/testing/webhooks.ts';
import { createInboxDispatcher } from '../../worker/inbox-dispatcher.ts';
import { callNotesStatusQuery, type CallNotesResult } from './messages.ts';

let env: TestWorkflowEnvironment;
let db: Database;
let app: FastifyInstance;
let org: SeededOrg;
let openai: FakeOpenAiServer;
let worker: { stop(): Promise<void> } | undefined;
const storageDir = mkdtempSync(path.join(tmpdir(), 'closeloop-call-notes-'));
const storage = createLocalFileStorage({ rootDir: storageDir });
const taskQueue = uniqueTaskQueue('call-notes');

beforeAll(async () => {
  openai = await startFakeOpenAiServer({ apiKey: 'sk-call-notes' });
  env = await createTimeSkippingEnv();
  db = appDatabase('call-notes');
  org = await seedOrganisation(db, 'Notes Co');
  app = await testApp({ temporal: env.client, taskQueue, storage });
  worker = await startTestWorker({
    env,
    db,
    taskQueue,
    overrides: { storage, callNotesExtractor: createOpenAiCallNotesExtractor({ apiKey: 'sk-call-notes', baseUrl: `${openai.url}/v1`, timeoutMs: 5000 }) },
  });
});
afterAll(async () => {
  await worker?.stop();
  await app?.close();
  await db?.end();
  await env?.teardown();
  await openai?.close();
  rmSync(storageDir, { recursive: true, force: true });
});
beforeEach(async () => {
  openai.reset();
  await db.asService((tx) => tx`update public.deals set stage = 'discovery', amount_minor = null, currency = null, close_date = null, next_step = null where id = ${org.rows.deals!}`);
});

const as = async (role: 'rep' | 'manager') => ({ authorization: `Bearer ${await tokenFor(org.users[role])}` });

const notes = [
  'Priya Raman: Thanks for coming back to us so quickly.',
  'Priya Raman: Our reps lose about five hours a week updating the CRM by hand.',
  'Priya Raman: We want a formal proposal, so let us move this to the proposal stage.',
  'Sam: I will send the proposal and the security questionnaire by Friday.',
  'Priya Raman: Please call me back Thursday at 3pm to walk through pricing.',
].join('\n');

const q = (text: string) => text; // quotes below are copied from `notes` verbatim unless a test says otherwise

function modelSays(extraction: Partial<Extraction>) {
  openai.respondWith(() => ({ content: JSON.stringify({ ...emptyExtraction, ...extraction }), model: 'gpt-4.1-mini-2025-04-14' }));
}

async function post(body: Record<string, unknown>) {
  const res = await app.inject({ method: 'POST', url: '/v1/call-notes', headers: await as('rep'), payload: body });
  expect(res.statusCode, res.body).toBe(202);
  return res.json() as { id: string; workflowId: string };
}


const status = (workflowId: string) => env.client.workflow.getHandle(workflowId).query(callNotesStatusQuery);
const deal = () => db.asService(async (tx) => (await tx<{ stage: string; amountMinor: string | null; nextStep: string | null }[]>`select stage, amount_minor, next_step from public.deals where id = ${org.rows.deals!}`)[0]!);
const tasksOf = (noteId: string) => db.asService((tx) => tx<{ kind: string; title: string; dueAt: string | null; ownerMemberId: string; source: string }[]>`
  select kind, title, due_at, owner_member_id, source from public.tasks where source_ref like ${`call-note:${noteId}:%`} order by source_ref`);
const approvalsOf = (noteId: string) => db.asService((tx) => tx<{ id: string; status: string; proposalId: string; kind: string }[]>`
  select a.id, a.status, a.proposal_id, p.kind from public.approvals a join public.call_note_proposals p on p.id = a.proposal_id where p.call_note_id = ${noteId} order by p.ordinal`);

describe('call notes', () => {
  // First: it skips a week of time, which the time-skipping server will not do while another test's recap email
  // process (abandoned by its call-notes parent, waiting for its own approval) is running.
  it('a rejected change is not applied; one nobody decides expires after the organisation\'s deadline', async () => {
    modelSays({
      stageChange: { stage: 'proposal', quote: q('let us move this to the proposal stage'), confidence: 0.85 },
      people: [{ name: 'Omar Haddad', title: 'CFO', role: 'economic_buyer', quote: 'Thanks for coming back to us so quickly', confidence: 0.5 }],
      closeDateChange: { when: 'by Friday', quote: q('I will send the proposal and the security questionnaire by Friday'), confidence: 0.4 },
    });
    const { id, workflowId } = await post({ text: notes, dealId: org.rows.deals, contactId: org.rows.contacts, occurredAt: '2026-03-10T09:00:00Z' });
    await waitUntil(() => status(workflowId), (s) => s.step === 'awaiting-approval' && s.pendingApprovals === 2, 'two approvals');
    // The person's quote does not name them: dropped, so no new contact is proposed.
    expect((await status(workflowId)).dropped).toBe(1);
    const [stage] = await approvalsOf(id);
    const rejected = await app.inject({ method: 'POST', url: `/v1/approvals/${stage!.id}/decision`, headers: await as('rep'), payload: { decision: 'reject' } });
    expect(rejected.statusCode, rejected.body).toBe(200);
    const again = await app.inject({ method: 'POST', url: `/v1/approvals/${stage!.id}/decision`, headers: await as('rep'), payload: { decision: 'approve' } });
    expect(again.statusCode).toBe(409); // already decided
    // Nobody decides the close date: a week later it expires, unapplied.
    await env.sleep('8 days');
    const result: CallNotesResult = await env.client.workflow.getHandle(workflowId).result();
    expect(result).toMatchObject({ outcome: 'completed', rejected: 1, expired: 1 });
    expect(await deal()).toMatchObject({ stage: 'discovery' });
    expect((await approvalsOf(id)).map((a) => [a.kind, a.status])).toEqual([['deal_stage', 'rejected'], ['deal_close_date', 'expired']]);
  });

  it('a fabricated quote is dropped; a stage change waits for approval while tasks are created at once', async () => {
    modelSays({
      summary: { text: 'Priya wants a proposal; the team loses hours on CRM updates.', quote: q('We want a formal proposal'), confidence: 0.8 },
      nextSteps: [{ text: 'Send the proposal and the security questionnaire', owner: 'rep', ownerName: 'Sam', due: 'Friday', quote: q('I will send the proposal and the security questionnaire by Friday'), confidence: 0.9 }],
      callbacks: [{ when: 'Thursday at 3pm', quote: q('Please call me back Thursday at 3pm'), confidence: 0.9 }],
      pains: [{ text: 'Reps lose five hours a week on CRM updates', quote: q('Our reps lose about five hours a week updating the CRM by hand'), confidence: 0.9 }],
      stageChange: { stage: 'proposal', quote: q('let us move this to the proposal stage'), confidence: 0.85 },
      // Nobody said this: the model made it up.
      amountChange: { amount: 120000, currency: 'USD', quote: 'Priya Raman: we have 120000 USD approved for this', confidence: 0.7 },
    });
    // Tuesday 10 March 2026, 09:00 in the rep's zone (UTC in the seed).
    const { id, workflowId } = await post({ text: notes, dealId: org.rows.deals, contactId: org.rows.contacts, occurredAt: '2026-03-10T09:00:00Z', title: 'Pricing call' });

    const waiting = await waitUntil(() => status(workflowId), (s) => s.step === 'awaiting-approval', 'the approval wait');
    expect(waiting).toMatchObject({ extractor: 'openai', dropped: 1, pendingApprovals: 1 });

    // At once: the tasks (a next step due Friday at the end of the rep's day, a call at the asked instant), the
    // deal's next step; the stage is untouched.
    const tasks = await tasksOf(id);
    expect(tasks.map((t) => [t.kind, t.dueAt === null ? null : new Date(t.dueAt).toISOString(), t.source, t.ownerMemberId])).toEqual([
      ['follow_up', '2026-03-13T17:00:00.000Z', 'call_notes', org.members.rep],
      ['call', '2026-03-12T15:00:00.000Z', 'call_notes', org.members.rep],
    ]);
    expect(await deal()).toMatchObject({ stage: 'discovery', nextStep: 'Send the proposal and the security questionnaire' });

    const note = (await app.inject({ url: `/v1/call-notes/${id}`, headers: await as('rep') })).json();
    expect(note).toMatchObject({ extractor: 'openai', model: 'gpt-4.1-mini-2025-04-14', promptVersion: 'call-notes-extract.v1', droppedCount: 1, status: 'proposed' });
    expect(note.dropped).toEqual([expect.objectContaining({ field: 'amountChange', reason: 'quote_not_in_input', quote: 'Priya Raman: we have 120000 USD approved for this' })]);
    const proposals = (await app.inject({ url: `/v1/call-note-proposals?callNoteId=${id}`, headers: await as('rep') })).json().data;
    expect(proposals.some((p: { kind: string }) => p.kind === 'deal_amount')).toBe(false);
    expect(proposals.find((p: { kind: string }) => p.kind === 'deal_stage')).toMatchObject({ status: 'pending', policy: 'approve', before: { stage: 'discovery' }, after: { stage: 'proposal' }, quote: 'let us move this to the proposal stage' });

    // The approvals queue is the outbound pipeline's: the rep decides there.
    const [approval] = await approvalsOf(id);
    expect(approval).toMatchObject({ status: 'pending', kind: 'deal_stage' });
    const decided = await app.inject({ method: 'POST', url: `/v1/approvals/${approval!.id}/decision`, headers: await as('rep'), payload: { decision: 'approve' } });
    expect(decided.statusCode, decided.body).toBe(200);

    const result: CallNotesResult = await env.client.workflow.getHandle(workflowId).result();
    expect(result).toMatchObject({ outcome: 'completed', rejected: 0, expired: 0, superseded: 0, dropped: 1 });
    expect(await deal()).toMatchObject({ stage: 'proposal' });
    const [audit] = await db.asService((tx) => tx<{ actorType: string; actorId: string; before: string; after: string; reason: string }[]>`
      select actor_type, actor_id, before::text, after::text, reason from public.audit_log where subject_id = ${org.rows.deals!} and action = 'call_notes.apply.deal_stage'`);
    expect(audit).toMatchObject({ actorType: 'member', actorId: org.members.rep });
    expect(JSON.parse(audit!.before)).toEqual({ stage: 'discovery' });
    expect(JSON.parse(audit!.after)).toEqual({ stage: 'proposal' });
    expect(audit!.reason).toContain('"let us move this to the proposal stage"');
    // The recap to the buyer is a draft waiting for approval, not an email sent.
    const recap = await db.asService((tx) => tx<{ status: string; requiresApproval: boolean; usesBuyerContent: boolean }[]>`select status, requires_approval, uses_buyer_content from public.outbound_messages where business_key = ${`call-notes:${id}:recap`}`);
    expect(recap).toEqual([expect.objectContaining({ requiresApproval: true, usesBuyerContent: true })]);
    const sent = await db.asService((tx) => tx`select 1 from public.outbox where idempotency_key = ${`call-notes:${id}:recap`}`);
    expect(sent).toHaveLength(0);
  });

  it('a change to a deal that moved since the call is superseded, never "latest wins"', async () => {
    modelSays({ stageChange: { stage: 'proposal', quote: q('let us move this to the proposal stage'), confidence: 0.85 } });
    const { id, workflowId } = await post({ text: notes, dealId: org.rows.deals, occurredAt: '2026-03-10T09:00:00Z' });
    await waitUntil(() => status(workflowId), (s) => s.step === 'awaiting-approval', 'the approval wait');
    await app.inject({ method: 'PATCH', url: `/v1/deals/${org.rows.deals}`, headers: await as('rep'), payload: { stage: 'demo' } });
    const [approval] = await approvalsOf(id);
    await app.inject({ method: 'POST', url: `/v1/approvals/${approval!.id}/decision`, headers: await as('manager'), payload: { decision: 'approve' } });
    const result: CallNotesResult = await env.client.workflow.getHandle(workflowId).result();
    expect(result).toMatchObject({ superseded: 1 });
    expect(await deal()).toMatchObject({ stage: 'demo' });
    const [proposal] = (await app.inject({ url: `/v1/call-note-proposals?callNoteId=${id}`, headers: await as('rep') })).json().data;
    expect(proposal).toMatchObject({ status: 'superseded', statusReason: expect.stringContaining('changed since the call') });
  });

  it('a rate limit then success: the model is asked twice and the notes are read by it', async () => {
    modelSays({ pains: [{ text: 'CRM updates by hand', quote: q('updating the CRM by hand'), confidence: 0.8 }] });
    openai.failNext(1, 429, undefined, { 'retry-after': '1' });
    const { workflowId } = await post({ text: notes, dealId: org.rows.deals, occurredAt: '2026-03-10T09:00:00Z' });
    const result: CallNotesResult = await env.client.workflow.getHandle(workflowId).result();
    expect(result.outcome).toBe('completed');
    expect(openai.requests()).toHaveLength(2);
    expect(await status(workflowId)).toMatchObject({ extractor: 'openai', fallbackReason: null, applied: 1 });
  });

  it('a refusal: the offline extractor stands in, and the note says it is the offline one and why', async () => {
    openai.respondWith(() => ({ refusal: 'I cannot help with that.' }));
    const { id, workflowId } = await post({ text: notes, contactId: org.rows.contacts, occurredAt: '2026-03-10T09:00:00Z' });
    await waitUntil(() => status(workflowId), (s) => s.step !== 'extracting', 'the offline extraction');
    expect(openai.requests()).toHaveLength(1);
    const note = (await app.inject({ url: `/v1/call-notes/${id}`, headers: await as('rep') })).json();
    expect(note).toMatchObject({ extractor: 'offline', model: null, promptVersion: OFFLINE_RULES_VERSION, extractorLabel: expect.stringContaining('offline'), fallbackReason: expect.stringContaining('AiRefusedError') });
    // The contact's account has one open deal: the note was linked to it.
    expect(note.dealId).toBe(org.rows.deals);
  });

  it('bad input is refused with the field named, and nothing is stored', async () => {
    const before = await db.asService(async (tx) => (await tx<{ n: number }[]>`select count(*)::int as n from public.call_notes`)[0]!.n);
    const cases = [
      { payload: { text: '' }, status: 400 },
      { payload: { text: 'Some notes about a call', format: 'webvtt' }, status: 400 },
      { payload: { text: 'Some notes about a call' }, status: 400 }, // nothing to link to
      { payload: { text: 'Some notes about a call', dealId: '00000000-0000-4000-8000-000000000000' }, status: 404 },
    ];
    for (const { payload, status: code } of cases) {
      const res = await app.inject({ method: 'POST', url: '/v1/call-notes', headers: await as('rep'), payload });
      expect(res.statusCode, JSON.stringify(payload)).toBe(code);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    expect(await db.asService(async (tx) => (await tx<{ n: number }[]>`select count(*)::int as n from public.call_notes`)[0]!.n)).toBe(before);
  });

  it('a call recorder\'s signed WebVTT transcript, delivered twice, is one call note linked through the participants\' addresses', async () => {
    modelSays({ pains: [{ text: 'CRM updates by hand', quote: 'we update the CRM by hand every Friday', confidence: 0.8 }] });
    const admin = { authorization: `Bearer ${await tokenFor(org.users.admin)}` };
    const secret = (await app.inject({ method: 'POST', url: '/v1/webhook-secrets', headers: admin, payload: { source: 'closeloop' } })).json().secret;
    const [contactRow] = await db.asService((tx) => tx<{ email: string }[]>`select emails[1] as email from public.contacts where id = ${org.rows.contacts!}`);
    const contactEmail = contactRow!.email;
    const vtt = ['WEBVTT', '', '00:00:01.000 --> 00:00:04.000', '<v Priya Raman>Honestly, we update the CRM', '', '00:00:04.000 --> 00:00:06.000', '<v Priya Raman>by hand every Friday.', ''].join('\n');
    const hook = { id: 'rec-42', type: 'call.recorded', occurredAt: '2026-03-10T09:30:00Z', data: { text: vtt, title: 'Recorded call', participants: [{ email: contactEmail, name: 'Priya Raman' }, { email: `rep@${org.orgId}.example`, name: 'Rep' }] } };
    for (let i = 0; i < 2; i += 1) {
      const delivery = closeloopHookDelivery(secret, hook);
      const res = await app.inject({ method: 'POST', url: `/v1/hooks/closeloop/${org.orgId}`, headers: delivery.headers, payload: delivery.body });
      expect(res.statusCode, res.body).toBe(200);
    }
    const dispatcher = createInboxDispatcher({ db, temporal: env.client, taskQueue, logger: { info: () => {}, warn: () => {} }, orgIds: [org.orgId] });
    await dispatcher.runOnce();
    const notesMade = await db.asService((tx) => tx<{ id: string; workflowId: string; format: string; contactId: string; dealId: string; ownerMemberId: string; transcriptText: string }[]>`
      select id, workflow_id, format, contact_id, deal_id, owner_member_id, transcript_text from public.call_notes where org_id = ${org.orgId} and source = 'webhook'`);
    expect(notesMade).toHaveLength(1);
    expect(notesMade[0]).toMatchObject({ format: 'webvtt', contactId: org.rows.contacts, dealId: org.rows.deals, ownerMemberId: org.members.rep, transcriptText: 'Priya Raman: Honestly, we update the CRM by hand every Friday.' });
    const result: CallNotesResult = await env.client.workflow.getHandle(notesMade[0]!.workflowId).result();
    expect(result).toMatchObject({ outcome: 'completed', applied: 1, dropped: 0 });
  });
});
