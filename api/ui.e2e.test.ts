// The cockpit in a real browser (Debian's Chromium through playwright-core), against the real API listening on a
// port, real Postgres, a time-skipping Temporal server with the real workflows and activities, and the in-process
// webhook dispatcher. As people use it: an admin creates the hook secret in Settings; a rep enrols a contact, edits
// and approves the draft, finds the email in the outbox, and — after the buyer's signed reply stopped the cadence —
// reads it all on the contact's timeline; a manager watches the rep's follow-up SLA drop when a follow-up goes
// overdue, and merges a pair from the duplicates queue (choosing the survivor), then undoes the merge. Locators go by
// role and label (which checks the accessible names too); waits are for states, never for time. Screenshots of each
// step land in .data/test-artifacts/ui/.
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { Database } from '../adapters/db/session.ts';
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
  app = await testApp({ temporal: env.client, taskQueue, devLoginSecret: TEST_JWT_SECRET });
  await app.listen({ port: 0, host: '127.0.0.1' });
  baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  worker = await startTestWorker({ env, db, taskQueue });
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
});
