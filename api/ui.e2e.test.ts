// The cockpit in a real browser (Debian's Chromium through playwright-core), against the real API listening on a
// port, real Postgres, a time-skipping Temporal server with the real workflows and activities, and the in-process
// webhook dispatcher. As people use it: an admin creates the hook secret in Settings; a rep enrols a contact, edits
// and approves the draft, finds the email in the outbox, and — after the buyer's signed reply stopped the cadence —
// reads it all on the contact's timeline; a manager watches the rep's follow-up SLA drop when a follow-up goes
// overdue, and merges a pair from the duplicates queue (choosing the survivor), then undoes the merge; a rep reads a
// meeting brief, pastes call notes, sees what the offline extractor applied and what waits, and approves the stage
// change; an admin decides which call-note changes apply at once, and a rep sees it read-only. Locators go by role and label (which checks the accessible names too); waits are for states, never for
// time. Screenshots of each step land in .data/test-artifacts/ui/.
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { chromium, type Browser, type Page } from 'playwright-core';
import { OFFLINE_EXTRACTOR_LABEL, OFFLINE_RULES_VERSION } from '../adapters/ai/call-notes-offline.ts';
import type { Database } from '../adapters/db/session.ts';
import { createLocalFileStorage } from '../adapters/storage/local.ts';
import type { FileStorage } from '../adapters/storage/port.ts';
import { defaultProposalPolicies } from '../domain/call-note-proposals.ts';
import { renderBrief } from '../domain/meeting-brief.ts';
import { startTestWorker } from '../infra/testing/activities.ts';
import { TEST_JWT_SECRET, testApp, tokenFor } from '../infra/testing/api.ts';
import { appDatabase } from '../infra/testing/database.ts';
import { createTimeSkippingEnv, uniqueTaskQueue } from '../infra/testing/harness.ts';
import { outboundFixture, type OutboundFixture } from '../infra/testing/outbound.ts';
import { closeloopHookDelivery } from '../infra/testing/webhooks.ts';
import { createInboxDispatcher, type InboxDispatcher } from '../worker/inbox-dispatcher.ts';

const chromiumPath = process.env.CLOSELOOP_CHROMIUM ?? '/usr/bin/chromium';
const artifacts = fileURLToPath(new URL('../.data/test-artifacts/ui/', import.meta.url));
const taskQueue = uniqueTaskQueue('ui-e2e');
const allDay = [{ start: '00:00', end: '24:00' }];
const quiet = { info: () => {}, warn: () => {} };

let env: TestWorkflowEnvironment;
let db: Database;
let app: FastifyInstance;
let fixture: OutboundFixture;
let worker: { stop(): Promise<void> } | undefined;
let dispatcher: InboxDispatcher;
let browser: Browser | undefined;
let baseUrl: string;
let hookSecret: string | undefined;
let storageDir: string;
let storage: FileStorage;
const pageErrors: string[] = [];
let shots = 0;

beforeAll(async () => {
  if (!existsSync(chromiumPath)) {
    throw new Error(`No Chromium at ${chromiumPath}: \`npm run setup\` installs it (Debian's chromium package), or set CLOSELOOP_CHROMIUM to a Chromium binary.`);
  }
  await mkdir(artifacts, { recursive: true });
  for (const file of await readdir(artifacts)) if (file.endsWith('.png')) await rm(`${artifacts}${file}`);
  env = await createTimeSkippingEnv();
  db = appDatabase('ui-e2e');
  fixture = await outboundFixture(db, { policy: 'require_approval' });
  // Meeting briefs are files: the API reads them from the same local storage the worker writes them to.
  storageDir = await mkdtemp(path.join(tmpdir(), 'closeloop-ui-e2e-'));
  storage = createLocalFileStorage({ rootDir: storageDir });
  app = await testApp({ temporal: env.client, taskQueue, devLoginSecret: TEST_JWT_SECRET, storage });
  await app.listen({ port: 0, host: '127.0.0.1' });
  baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  worker = await startTestWorker({ env, db, taskQueue, overrides: { storage } });
  dispatcher = createInboxDispatcher({ db, temporal: env.client, logger: quiet, orgIds: [fixture.org.orgId] });
  const manager = { authorization: `Bearer ${await tokenFor(fixture.org.users.manager)}` };
  const created = await app.inject({ method: 'POST', url: '/v1/playbooks', headers: manager, payload: { key: 'ui-intro', definition: { name: 'UI intro', sendWindow: { mon: allDay, tue: allDay, wed: allDay, thu: allDay, fri: allDay, sat: allDay, sun: allDay }, steps: [
    { key: 'intro', kind: 'auto_email', delay: { amount: 0, unit: 'minutes' }, subject: 'Hello {{contact.firstName}}', body: 'Hi {{contact.firstName}}, a first note from the cadence.' },
    { key: 'bump', kind: 'auto_email', delay: { amount: 3, unit: 'hours' }, subject: 'Re: Hello {{contact.firstName}}', body: 'Bumping this, {{contact.firstName}}.' },
  ] } } });
  expect(created.statusCode).toBe(201);
  // chromium.launch gives every run a fresh, temporary user-data dir (deleted on close); each person gets a new context.
  browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

afterAll(async () => {
  await browser?.close();
  await worker?.stop();
  await app?.close();
  await db?.end();
  await env?.teardown();
  if (storageDir) await rm(storageDir, { recursive: true, force: true });
});

async function signIn(email: string): Promise<Page> {
  const context = await browser!.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(45_000);
  page.on('pageerror', (err) => pageErrors.push(`${email}: ${err.message}`));
  await page.goto(`${baseUrl}/app/`);
  await page.getByRole('heading', { level: 1, name: 'Sign in to Closeloop' }).waitFor();
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { level: 1, name: 'What to do now' }).waitFor();
  return page;
}

const nav = (page: Page, name: string) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true });

async function screenshot(page: Page, name: string) {
  shots += 1;
  await page.screenshot({ path: `${artifacts}${String(shots).padStart(2, '0')}-${name}.png`, fullPage: true });
}

async function drain() {
  for (let i = 0; i < 50; i++) {
    const counts = await dispatcher.runOnce();
    if (counts.processed + counts.parked + counts.retried === 0) return;
  }
}

describe('the cockpit in a browser', () => {
  it('sign-in says plainly when nobody has that email', async () => {
    const context = await browser!.newContext();
    const page = await context.newPage();
    page.setDefaultTimeout(45_000);
    await page.goto(`${baseUrl}/app/#/approvals`);
    await page.getByLabel('Email', { exact: true }).fill('nobody@nowhere.example');
    await page.keyboard.press('Enter');
    await page.getByRole('alert').filter({ hasText: 'No active member with email nobody@nowhere.example' }).waitFor();
    await context.close();
  });

  it('an admin creates the hook secret in Settings (shown once), sees field errors next to the field, and a plain answer when Gmail is not configured', async () => {
    const page = await signIn(`admin@${fixture.org.orgId}.example`);
    await nav(page, 'Settings').click();
    await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();

    await page.getByRole('button', { name: 'Create a Closeloop hook secret' }).click();
    const secret = page.getByLabel('New Closeloop hook secret', { exact: true });
    await secret.waitFor();
    hookSecret = await secret.inputValue();
    expect(hookSecret.length).toBeGreaterThan(20);

    const orgForm = page.getByRole('form', { name: 'Organisation settings' });
    await orgForm.getByLabel('Emails per minute', { exact: true }).fill('0');
    await orgForm.getByRole('button', { name: 'Save organisation settings' }).click();
    await orgForm.locator('[aria-invalid="true"][name="perMinuteSendCap"]').waitFor();
    await orgForm.getByRole('alert').waitFor();

    await page.getByRole('button', { name: 'Connect your Gmail' }).click();
    await page.getByRole('alert').filter({ hasText: 'Gmail is not configured on this server' }).waitFor();
    await screenshot(page, 'admin-settings');
    await page.context().close();
  }, 120_000);

  it('a rep enrols a contact, approves the draft with an edit, finds it in the outbox; a signed reply stops the cadence, and the timeline shows it all', async () => {
    const contact = await fixture.contact();
    await db.asService((tx) => tx`update public.contacts set first_name = 'Ana', last_name = 'Lopez', title = 'Head of Talent', time_zone = 'UTC' where id = ${contact.id}`);
    const page = await signIn(`rep@${fixture.org.orgId}.example`);
    // "What to do now" is actionable in place: the seeded call-back is marked done from the queue.
    await page.getByRole('list', { name: 'Your queue' }).waitFor();
    await screenshot(page, 'rep-now');
    await page.getByRole('button', { name: 'Mark done: Call back' }).click();
    await page.getByRole('button', { name: 'Mark done: Call back' }).waitFor({ state: 'detached' });

    // Start a playbook: Ana, and Priya, who is already in another cadence (the seed enrolled her).
    await nav(page, 'Start a playbook').click();
    await page.getByLabel('Playbook', { exact: true }).selectOption('ui-intro');
    await page.getByLabel('Filter contacts', { exact: true }).fill('Ana Lopez');
    await page.getByRole('checkbox', { name: /Ana Lopez/ }).check();
    await page.getByLabel('Filter contacts', { exact: true }).fill('Priya');
    await page.getByRole('checkbox', { name: /Priya Raman/ }).check();
    await page.getByRole('button', { name: 'Enrol 2 contacts' }).click();
    const results = page.getByRole('region', { name: 'Results' });
    await results.getByRole('row', { name: /Ana Lopez/ }).getByText('Enrolled', { exact: true }).waitFor();
    await results.getByRole('row', { name: /Priya Raman/ }).getByText('already in another cadence').waitFor();
    await results.getByRole('row', { name: /Ana Lopez/ }).getByText(/waiting on the outbound pipeline/).waitFor();
    await screenshot(page, 'rep-enrolled');

    // The draft waits in "What to do now"; open it, edit it (e starts editing), approve with the edit.
    await nav(page, 'What to do now').click();
    const draftInQueue = page.getByRole('link', { name: 'Approve: Hello Ana', exact: true });
    await draftInQueue.waitFor();
    await screenshot(page, 'rep-now-draft');
    await draftInQueue.click();
    await page.getByRole('heading', { name: 'Email to Ana Lopez' }).waitFor();
    expect(await page.getByLabel('Subject', { exact: true }).inputValue()).toBe('Hello Ana');
    await page.getByText('Head of Talent').first().waitFor();
    await page.keyboard.press('e');
    expect(await page.getByLabel('Subject', { exact: true }).evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
    await screenshot(page, 'rep-approval');
    await page.getByLabel('Subject', { exact: true }).fill('Hello Ana, one question');
    await page.getByLabel('Body', { exact: true }).fill('Hi Ana,\n\nEdited in the cockpit before it went out.\n\nRiya');
    await page.getByRole('button', { name: 'Approve with edits' }).click();
    await page.getByRole('status').filter({ hasText: 'Approved with your edits' }).waitFor();
    // The inbox moves on to the next draft waiting (the seeded one, to Priya).
    await page.getByRole('heading', { name: 'Email to Priya Raman' }).waitFor();
    await screenshot(page, 'rep-approved');

    // The outbox: sent, with the edited text.
    await nav(page, 'Outbox').click();
    await page.getByRole('row', { name: /Hello Ana, one question/ }).getByText('Sent', { exact: true }).waitFor();
    const stored = page.getByRole('article', { name: `Email to ${contact.email}: Hello Ana, one question` });
    await stored.waitFor();
    expect(await stored.locator('pre').textContent()).toContain('Edited in the cockpit before it went out.');
    await screenshot(page, 'rep-outbox');

    // The buyer replies (a signed hook, as an inbox integration posts it); the dispatcher tells the cadence.
    hookSecret ??= (await app.inject({ method: 'POST', url: '/v1/webhook-secrets', headers: { authorization: `Bearer ${await tokenFor(fixture.org.users.admin)}` }, payload: { source: 'closeloop' } })).json().secret as string;
    const delivery = closeloopHookDelivery(hookSecret, { id: `reply-${randomUUID()}`, type: 'reply.received', occurredAt: new Date().toISOString(), data: { from: contact.email, subject: 'Re: Hello Ana, one question', text: 'Thanks, this looks useful. Can we talk on Thursday?' } });
    const posted = await fetch(`${baseUrl}/v1/hooks/closeloop/${fixture.org.orgId}`, { method: 'POST', headers: delivery.headers, body: delivery.body });
    expect(posted.status).toBe(200);
    await drain();

    // The contact's page: the email sent, the reply, the cadence stopped; the process links to the Temporal Web UI.
    await nav(page, 'Contacts').click();
    await page.getByLabel('Filter contacts', { exact: true }).fill('Ana');
    await page.getByRole('link', { name: 'Ana Lopez', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Ana Lopez' }).waitFor();
    const timeline = page.getByRole('region', { name: 'Timeline' });
    await timeline.getByText('Cadence stopped: UI intro — they replied').waitFor();
    await timeline.getByText('They wrote back (reply)').waitFor();
    await timeline.getByText('To them: email — Hello Ana, one question').waitFor();
    await timeline.getByText(/^From them: email/).waitFor();
    await timeline.getByText('Cadence started: UI intro').waitFor();
    const processes = page.getByRole('region', { name: 'Processes', exact: true });
    await processes.getByText('stopped', { exact: true }).waitFor();
    const workflowId = `follow-up:${fixture.org.orgId}:${contact.id}:ui-intro`;
    expect(await processes.getByRole('link', { name: `Open follow up process ${workflowId} in the Temporal Web UI (new tab)` }).getAttribute('href'))
      .toBe(`http://127.0.0.1:8233/namespaces/default/workflows/${encodeURIComponent(workflowId)}`);
    await page.getByRole('region', { name: 'Cadences' }).getByText('they replied').waitFor();
    await screenshot(page, 'rep-contact-timeline');
    await page.context().close();
  }, 180_000);

  it('a rep works a deal: stakeholders with their roles, one added, and a logged call on the deal timeline', async () => {
    const [omar] = await db.asService((tx) => tx<{ id: string }[]>`insert into public.contacts ${tx({ orgId: fixture.org.orgId, accountId: fixture.org.rows.accounts!, firstName: 'Omar', lastName: 'Said', title: 'CFO', emails: [`omar-${randomUUID().slice(0, 6)}@customer.example`], lawfulBasis: 'legitimate_interest' })} returning id`);
    const page = await signIn(`rep@${fixture.org.orgId}.example`);
    await nav(page, 'Deals').click();
    await page.getByRole('link', { name: 'Pilot', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Pilot' }).waitFor();
    const stakeholders = page.getByRole('region', { name: 'Stakeholders' });
    await stakeholders.getByRole('row', { name: /Priya Raman/ }).getByText('champion').waitFor();

    const add = page.getByRole('form', { name: 'Add a stakeholder' });
    await add.getByLabel('Person', { exact: true }).selectOption(omar!.id);
    await add.getByLabel('Role', { exact: true }).selectOption('economic_buyer');
    await add.getByRole('button', { name: 'Add stakeholder' }).click();
    await stakeholders.getByRole('row', { name: /Omar Said/ }).getByText('economic buyer').waitFor();

    const log = page.getByRole('form', { name: 'Log a call or note' });
    await log.getByLabel('Summary', { exact: true }).fill('Discovery call with Omar');
    await log.getByLabel('Notes', { exact: true }).fill('Budget is approved; legal review next.');
    await log.getByRole('button', { name: 'Save to the timeline' }).click();
    await page.getByRole('region', { name: 'Timeline' }).getByText('call (outbound) — Discovery call with Omar').waitFor();
    await screenshot(page, 'rep-deal');
    await page.context().close();
  }, 120_000);

  it("a manager sees the rep's follow-up SLA, and sees it drop after a reload once one of the rep's follow-ups is overdue", async () => {
    const rep = fixture.org.members.rep;
    // The approval the rep decided has since reached its due time (moved in the database instead of waiting a day):
    // due, and done on time.
    const moved = await db.asService((tx) => tx`update public.approvals set due_at = decided_at + interval '1 millisecond' where org_id = ${fixture.org.orgId} and status = 'approved' and decided_at is not null`);
    expect(moved.count).toBe(1);
    const page = await signIn(`manager@${fixture.org.orgId}.example`);
    await nav(page, 'Manager view').click();
    await page.getByRole('heading', { level: 1, name: 'Manager view' }).waitFor();
    await page.getByRole('img', { name: 'Pipeline by stage' }).waitFor();
    const sla = page.getByTestId(`sla-${rep}`);
    await sla.waitFor();
    expect(await sla.textContent()).toBe('100%');
    await screenshot(page, 'manager-sla-100');

    // Another of the rep's follow-ups — the seeded draft still awaiting approval — goes past its deadline undecided.
    await db.asService((tx) => tx`update public.approvals set due_at = now() - interval '1 hour' where id = ${fixture.org.rows.approvals!}`);
    await page.reload();
    await page.getByTestId(`sla-${rep}`).filter({ hasText: '50%' }).waitFor();
    expect(await page.getByTestId(`sla-${rep}`).textContent()).toBe('50%');
    const late = page.getByRole('region', { name: 'Approvals waiting past their SLA' }).getByRole('link', { name: 'Hello', exact: true });
    await late.waitFor();
    await screenshot(page, 'manager-sla-50');

    // The manager opens it and rejects by keyboard (r, then the focused "Yes, reject"); its process is gone (the seed
    // never started one), and the page says so instead of failing silently.
    await late.click();
    await page.getByRole('heading', { name: 'Email to Priya Raman' }).waitFor();
    await page.keyboard.press('r');
    expect(await page.getByRole('button', { name: 'Yes, reject' }).evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
    await page.keyboard.press('Enter');
    await page.getByRole('alert').filter({ hasText: 'The process waiting for this approval is no longer running' }).waitFor();
    await screenshot(page, 'manager-reject-refused');
    await page.context().close();
    expect(pageErrors).toEqual([]);
  }, 120_000);

  it('a manager reviews a duplicate pair side by side, merges it keeping the second record, sees it leave the queue, and undoes the merge', async () => {
    const orgId = fixture.org.orgId;
    const tag = randomUUID().slice(0, 6);
    const people = [
      { firstName: 'Dana', lastName: 'Whitfield', title: 'VP Sales', emails: [`dana.whitfield-${tag}@customer.example`] },
      { firstName: 'Dana', lastName: 'Whitfeld', title: null, emails: [`d.whitfeld-${tag}@customer.example`] },
    ];
    const inserted = await db.asService(async (tx) => Promise.all(people.map(async (p) => {
      const [row] = await tx<{ id: string }[]>`insert into public.contacts ${tx({ orgId, accountId: fixture.org.rows.accounts!, ...p, lawfulBasis: 'legitimate_interest' })} returning id`;
      return { id: row!.id, name: `${p.firstName} ${p.lastName}`, title: p.title ?? '—' };
    })));
    // The table keeps each pair once, in uuid order: record 1 is the smaller id.
    type Inserted = (typeof inserted)[number];
    const [a, b] = inserted.sort((x, y) => (x.id < y.id ? -1 : 1)) as [Inserted, Inserted];
    const fields = [
      { field: 'name', outcome: 'agrees', similarity: 0.94, weight: 5.1, explanation: `given names the same; family names one letter apart (${a.name.split(' ')[1]} / ${b.name.split(' ')[1]})` },
      { field: 'email', outcome: 'disagrees', similarity: 0.41, weight: -2.3, explanation: 'different addresses at the same domain' },
      { field: 'phone', outcome: 'missing', similarity: null, weight: 0, explanation: 'no phone number on either record' },
      { field: 'company', outcome: 'agrees', similarity: 1, weight: 2, explanation: 'same account' },
    ];
    const [review] = await db.asService((tx) => tx<{ id: string }[]>`insert into public.match_reviews ${tx({ orgId, contactA: a.id, contactB: b.id, score: 0.8, band: 'review', fields: tx.json(fields) })} returning id`);

    const page = await signIn(`manager@${orgId}.example`);
    await nav(page, 'Duplicates').click();
    await page.getByRole('heading', { level: 1, name: 'Duplicates' }).waitFor();
    await page.getByRole('button', { name: 'Find duplicates now' }).waitFor();
    const queue = page.getByRole('navigation', { name: 'Pairs waiting for review' });
    const pairInQueue = queue.getByRole('button', { name: new RegExp(`^${a.name} and ${b.name} score 80%`) });
    await pairInQueue.click();
    const detail = page.getByRole('region', { name: 'Selected pair' });
    await detail.getByRole('heading', { level: 2, name: `${a.name} and ${b.name}` }).waitFor();
    // Side by side, and each field's outcome in words (the symbol beside it is hidden from screen readers).
    const records = detail.getByRole('table', { name: 'The two records side by side' });
    await records.getByRole('row', { name: `Job title ${a.title} ${b.title}` }).waitFor();
    const evidence = detail.getByRole('table', { name: 'How the fields compare' });
    await evidence.getByRole('row', { name: /^Name agrees 94% \+5\.1 given names the same/ }).waitFor();
    await evidence.getByRole('row', { name: /^Email disagrees 41% −2\.3 different addresses/ }).waitFor();
    await evidence.getByRole('row', { name: /^Phone missing — ±0\.0 no phone number/ }).waitFor();
    const first = detail.getByRole('radio', { name: `Record 1: ${a.name} survives` });
    expect(await first.isChecked()).toBe(true);
    await screenshot(page, 'manager-duplicates');

    // The second record survives; m merges (the shortcuts stay on while a radio button has focus).
    await detail.getByRole('radio', { name: `Record 2: ${b.name} survives` }).check();
    await page.keyboard.press('m');
    await page.getByRole('status').filter({ hasText: `Merged: ${a.name} was merged into ${b.name}, which survives.` }).waitFor();
    await pairInQueue.waitFor({ state: 'detached' });
    const exists = async () => (await db.asService((tx) => tx<{ id: string }[]>`select id from public.contacts where org_id = ${orgId} and id = any(${[a.id, b.id]}::uuid[])`)).map((r) => r.id).sort();
    expect(await exists()).toEqual([b.id]);
    const [decided] = await db.asService((tx) => tx<{ status: string }[]>`select status from public.match_reviews where id = ${review!.id}`);
    expect(decided!.status).toBe('merged');
    await screenshot(page, 'manager-duplicates-merged');

    await page.getByRole('button', { name: `Undo merge of ${a.name} into ${b.name}` }).click();
    await page.getByRole('status').filter({ hasText: `Merge undone: ${b.name} and ${a.name} are two contacts again.` }).waitFor();
    expect(await exists()).toEqual([a.id, b.id].sort());
    const [merge] = await db.asService((tx) => tx<{ unmergedAt: string | null }[]>`select unmerged_at from public.contact_merges where org_id = ${orgId} and survivor_id = ${b.id} and loser_id = ${a.id}`);
    expect(merge!.unmergedAt).not.toBeNull();
    await page.getByRole('button', { name: /^Undo merge/ }).waitFor({ state: 'detached' });
    // Undoing a merge keeps the pair apart (the sweep will not merge it again), and the report says so.
    expect((await db.asService((tx) => tx<{ status: string }[]>`select status from public.match_reviews where id = ${review!.id}`))[0]!.status).toBe('kept_apart');
    await page.getByText('How past pairs were decided', { exact: true }).click();
    await page.getByRole('row', { name: 'review kept apart 1 80%' }).waitFor();
    await screenshot(page, 'manager-duplicates-undone');
    await page.context().close();
    expect(pageErrors).toEqual([]);
  }, 120_000);

  it('a rep reads a meeting brief, pastes call notes, sees what the offline extractor applied and what waits, approves the stage change, and the deal shows it', async () => {
    const orgId = fixture.org.orgId;
    const rows = fixture.org.rows;
    // The rep's name is how the extractor tells the rep's lines ("Riya: …") from the buyer's.
    await db.asService((tx) => tx`update public.members set display_name = 'Riya Rep' where id = ${fixture.org.members.rep}`);

    // A brief is ready for the seeded meeting (written here as the meeting-prep process writes it); markup in the
    // data stays text on the page.
    const [planned] = await db.asService((tx) => tx<{ meetingStartAt: Date }[]>`select meeting_start_at from public.meeting_briefs where id = ${rows.meeting_briefs!}`);
    const startAt = new Date(planned!.meetingStartAt).toISOString();
    const { title, markdown } = renderBrief({
      meeting: { subject: 'Discovery', startAt, endAt: null },
      timeZone: 'UTC',
      account: { name: 'Acme <b>Corp</b>', domain: 'customer.example', industry: null, sizeBand: null },
      deal: { name: 'Pilot', stage: 'discovery', amountMinor: null, currency: null, closeDate: null, nextStep: null },
      attendees: [{ name: 'Priya Raman', title: 'Head of Ops', roles: ['champion'], lastInteraction: null }],
      openTasks: [],
      objections: [],
      signals: [],
    });
    const stored = await storage.put({ orgId, kind: 'brief', fileName: 'brief-seed.md', contentType: 'text/markdown; charset=utf-8', body: new TextEncoder().encode(markdown) });
    await db.asService(async (tx) => {
      const [doc] = await tx<{ id: string }[]>`insert into public.documents ${tx({ orgId, dealId: rows.deals!, kind: 'brief', storageRef: stored.ref, title })} returning id`;
      await tx`update public.meeting_briefs set status = 'ready', document_id = ${doc!.id} where id = ${rows.meeting_briefs!}`;
    });

    const page = await signIn(`rep@${orgId}.example`);
    const briefs = page.getByRole('region', { name: 'Meeting briefs' });
    await briefs.getByRole('button', { name: /^Read the brief for the meeting of / }).click();
    const brief = briefs.getByRole('article', { name: title });
    await brief.getByRole('heading', { level: 3, name: title }).waitFor();
    await brief.getByRole('heading', { level: 4, name: 'Attendees' }).waitFor();
    await brief.getByRole('listitem').filter({ hasText: 'Priya Raman, Head of Ops — champion; no earlier interaction' }).locator('strong', { hasText: 'Priya Raman' }).waitFor();
    await brief.getByText('Acme <b>Corp</b> (customer.example)', { exact: true }).waitFor();
    await screenshot(page, 'rep-meeting-brief');

    // The call notes, in "Speaker: text" lines, for the Pilot deal with Priya.
    await nav(page, 'Call notes').click();
    const form = page.getByRole('form', { name: 'Paste call notes' });
    // Nothing pasted: the API's field error lands next to the field.
    await form.getByRole('button', { name: 'Read the notes' }).click();
    await form.locator('[aria-invalid="true"][name="text"]').waitFor();
    await form.getByRole('alert').waitFor();
    await form.getByLabel('Notes or transcript', { exact: true }).fill([
      'Riya: Thanks for your time today, Priya.',
      'Priya: We would like a formal proposal — please send the proposal.',
      'Riya: I will send the proposal by Friday.',
      'Priya: Lena Park, our CFO, holds the budget.',
    ].join('\n'));
    await form.getByLabel('Format', { exact: true }).selectOption('speaker');
    await form.getByLabel('Title', { exact: true }).fill('Proposal call with Priya');
    await form.getByLabel('Deal', { exact: true }).selectOption(rows.deals!);
    await form.getByLabel('Contact (optional)', { exact: true }).selectOption(rows.contacts!);
    await screenshot(page, 'rep-call-notes-form');
    await form.getByRole('button', { name: 'Read the notes' }).click();

    // The note's page: read by the offline extractor (and saying so), a task applied, two changes waiting.
    await page.getByRole('heading', { level: 1, name: 'Proposal call with Priya' }).waitFor();
    const reader = page.getByRole('region', { name: 'Who read the notes' });
    await reader.getByText(OFFLINE_EXTRACTOR_LABEL, { exact: true }).waitFor();
    await reader.getByText('Offline: no AI', { exact: true }).waitFor();
    await reader.getByText(OFFLINE_RULES_VERSION, { exact: true }).waitFor();
    const applied = page.getByRole('region', { name: 'Applied', exact: true });
    await applied.getByText(/^Task: I will send the proposal by Friday\. due /).waitFor();
    await applied.getByRole('blockquote').filter({ hasText: 'I will send the proposal by Friday.' }).waitFor();
    const waiting = page.getByRole('region', { name: 'Waiting for your approval' });
    await waiting.getByText('Stage: discovery → proposal', { exact: true }).waitFor();
    await waiting.getByText('New contact: Lena Park (CFO, economic buyer)', { exact: true }).waitFor();
    await waiting.getByRole('link', { name: 'Decide in Approvals: Stage: discovery → proposal' }).waitFor();
    await page.getByText('Nothing was dropped: every proposal quotes the notes.').waitFor();
    await screenshot(page, 'rep-call-note');
    const noteUrl = page.url();

    // The stage change is decided in Approvals: its words and quote, approve or reject only.
    await nav(page, 'Approvals').click();
    await page.getByRole('navigation', { name: 'Pending approvals' }).getByRole('link', { name: /^Stage: discovery → proposal Pilot/ }).click();
    await page.getByRole('heading', { level: 2, name: 'Change proposed from call notes' }).waitFor();
    const detail = page.getByRole('region', { name: 'Selected approval' });
    await detail.getByRole('blockquote').filter({ hasText: 'We would like a formal proposal — please send the proposal.' }).waitFor();
    const decision = detail.getByRole('group', { name: 'Decision' });
    expect(await decision.getByRole('button').allTextContents()).toEqual(['Approve', 'Reject…']);
    await screenshot(page, 'rep-approve-stage');
    await decision.getByRole('button', { name: 'Approve', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'Approved: the change is being applied. Stage: discovery → proposal (Pilot).' }).waitFor();

    // Back on the note, the change moves to "Applied"; the deal shows the new stage and its call notes.
    await page.goto(noteUrl);
    await page.getByRole('region', { name: 'Applied', exact: true }).getByText('Stage: discovery → proposal', { exact: true }).waitFor();
    await page.getByRole('link', { name: '← Pilot' }).click();
    await page.getByRole('heading', { level: 1, name: 'Pilot' }).waitFor();
    await page.getByRole('definition').filter({ hasText: /^proposal$/ }).waitFor();
    expect(await page.getByRole('form', { name: 'Stage and next step' }).getByLabel('Stage', { exact: true }).inputValue()).toBe('proposal');
    await page.getByRole('region', { name: 'Call notes' }).getByRole('link', { name: 'Proposal call with Priya' }).waitFor();
    await screenshot(page, 'rep-deal-after-call-note');
    await page.context().close();
    expect(pageErrors).toEqual([]);
  }, 180_000);

  it('an admin lets stage changes from call notes apply at once, shortens the approval deadline and the brief lead time; the values stay after a reload, a bad value is shown beside its field, and a rep sees them read-only', async () => {
    const orgId = fixture.org.orgId;
    const admin = { authorization: `Bearer ${await tokenFor(fixture.org.users.admin)}` };
    const before = (await app.inject({ url: '/v1/organisation', headers: admin })).json();
    expect(before.callNotesPolicy.policies).toEqual({});
    try {
      const page = await signIn(`admin@${orgId}.example`);
      await nav(page, 'Settings').click();
      await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
      // The page lists the kinds' defaults itself (it cannot import domain code): they must match the domain's.
      // (A string, so the test runner does not rewrite the page's dynamic import.)
      expect(await page.evaluate("import('/app/screen-settings.js').then((m) => ({ ...m.callNoteDefaults }))")).toEqual(defaultProposalPolicies);

      const form = page.getByRole('form', { name: 'Call-notes settings' });
      const stage = form.getByLabel('Deal stage changes', { exact: true });
      expect(await stage.inputValue()).toBe('approve');
      expect(await form.getByLabel('Tasks from next steps', { exact: true }).inputValue()).toBe('apply');
      expect(await form.getByLabel('Approval deadline (days)', { exact: true }).inputValue()).toBe('7');
      await stage.selectOption({ label: 'Apply at once' });
      await form.getByLabel('Approval deadline (days)', { exact: true }).fill('2');
      await form.getByLabel('Meeting brief: minutes before the meeting', { exact: true }).fill('30');
      await form.getByRole('button', { name: 'Save call-notes settings' }).click();
      await page.getByRole('status').filter({ hasText: 'Call-notes settings saved.' }).waitFor();
      // Only the override that differs from the defaults is stored; the deadline in minutes.
      expect((await app.inject({ url: '/v1/organisation', headers: admin })).json()).toMatchObject({ callNotesPolicy: { policies: { deal_stage: 'apply' }, approvalSlaMinutes: 2 * 24 * 60, draftRecap: true }, meetingBriefLeadMinutes: 30 });

      await page.reload();
      await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
      const reloaded = page.getByRole('form', { name: 'Call-notes settings' });
      await reloaded.getByLabel('Deal stage changes', { exact: true }).waitFor();
      expect(await reloaded.getByLabel('Deal stage changes', { exact: true }).inputValue()).toBe('apply');
      expect(await reloaded.getByLabel('Deal amount changes', { exact: true }).inputValue()).toBe('approve');
      expect(await reloaded.getByLabel('Approval deadline (days)', { exact: true }).inputValue()).toBe('2');
      expect(await reloaded.getByLabel('Meeting brief: minutes before the meeting', { exact: true }).inputValue()).toBe('30');
      expect(await reloaded.getByLabel('Draft a recap email to the buyer', { exact: true }).isChecked()).toBe(true);

      // 29 days is past the limit (checked on the page: days there, minutes in the API); then 0 minutes for the
      // brief: the API's field error lands beside the field, and nothing changes.
      const deadline = reloaded.getByLabel('Approval deadline (days)', { exact: true });
      await deadline.fill('29');
      await reloaded.getByRole('button', { name: 'Save call-notes settings' }).click();
      await reloaded.locator('[aria-invalid="true"][name="callNotesPolicy.approvalSlaMinutes"]').waitFor();
      await reloaded.getByText('Whole days from 1 to 28', { exact: true }).waitFor();
      await deadline.fill('2');
      const lead = reloaded.getByLabel('Meeting brief: minutes before the meeting', { exact: true });
      await lead.fill('0');
      await reloaded.getByRole('button', { name: 'Save call-notes settings' }).click();
      await reloaded.locator('[aria-invalid="true"][name="meetingBriefLeadMinutes"]').waitFor();
      expect(await deadline.getAttribute('aria-invalid')).toBeNull();
      const leadError = reloaded.locator('.field', { has: page.locator('[name="meetingBriefLeadMinutes"]') }).locator('.field-error');
      await leadError.waitFor();
      expect((await leadError.textContent())?.length).toBeGreaterThan(0);
      await reloaded.getByRole('alert').waitFor();
      expect((await app.inject({ url: '/v1/organisation', headers: admin })).json().meetingBriefLeadMinutes).toBe(30);
      await screenshot(page, 'admin-call-notes-settings');
      await page.context().close();

      // A rep reads the same values (Settings shows them the call-notes section only, without a form).
      const rep = await signIn(`rep@${orgId}.example`);
      await rep.goto(`${baseUrl}/app/#/settings`);
      await rep.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
      const rules = rep.getByRole('table', { name: 'What call notes change' });
      await rules.getByRole('row', { name: 'Deal stage changes Applied at once' }).waitFor();
      await rules.getByRole('row', { name: 'New contacts Waits for approval' }).waitFor();
      await rep.getByRole('definition').filter({ hasText: /^2 days$/ }).waitFor();
      await rep.getByRole('definition').filter({ hasText: /^30 minutes before the meeting$/ }).waitFor();
      expect(await rep.getByRole('form').count()).toBe(0);
      await screenshot(rep, 'rep-call-notes-settings');
      await rep.context().close();
      expect(pageErrors).toEqual([]);
    } finally {
      // Later tests (and runs) work under the defaults again.
      const restored = await app.inject({ method: 'PATCH', url: '/v1/organisation', headers: admin, payload: { callNotesPolicy: before.callNotesPolicy, meetingBriefLeadMinutes: before.meetingBriefLeadMinutes } });
      expect(restored.statusCode).toBe(200);
    }
  }, 120_000);
});
