// Lead import end to end on the time-skipping server with real Postgres and local file storage: upload (columns
// auto-mapped, preview), start, progress, each broken line reported with its reason while the rest imports;
// exact-key dedupe and source priority across files; re-importing the same file changes nothing; leads by JSON and
// by a signed web-form hook take the same path.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Database } from '../../adapters/db/session.ts';
import { createLocalFileStorage } from '../../adapters/storage/local.ts';
import { createApolloEnricher } from '../../adapters/enrichment/apollo.ts';
import { startFakeApolloServer, type FakeApolloServer } from '../../adapters/enrichment/fake-apollo-server.ts';
import { startTestWorker } from '../../infra/testing/activities.ts';
import { testApp, tokenFor } from '../../infra/testing/api.ts';
import { appDatabase, seedOrganisation, type SeededOrg } from '../../infra/testing/database.ts';
import { createTimeSkippingEnv, uniqueTaskQueue } from '../../infra/testing/harness.ts';
import { closeloopHookDelivery } from '../../infra/testing/webhooks.ts';
import { createInboxDispatcher } from '../../worker/inbox-dispatcher.ts';

let env: TestWorkflowEnvironment;
let db: Database;
let app: FastifyInstance;
let org: SeededOrg;
let worker: { stop(): Promise<void> } | undefined;
let apollo: FakeApolloServer;
const storageDir = mkdtempSync(path.join(tmpdir(), 'closeloop-imports-'));
const storage = createLocalFileStorage({ rootDir: storageDir });
const taskQueue = uniqueTaskQueue('lead-import');

beforeAll(async () => {
  apollo = await startFakeApolloServer({ apiKey: 'apollo-test-key' });
  env = await createTimeSkippingEnv();
  db = appDatabase('lead-import');
  org = await seedOrganisation(db, 'Import Co');
  app = await testApp({ temporal: env.client, taskQueue, storage });
  worker = await startTestWorker({ env, db, taskQueue, overrides: { storage, enricher: createApolloEnricher({ apiKey: 'apollo-test-key', baseUrl: apollo.url }) } });
});
afterAll(async () => {
  await worker?.stop();
  await app?.close();
  await db?.end();
  await env?.teardown();
  rmSync(storageDir, { recursive: true, force: true });
  await apollo?.close();
});

const rep = async () => ({ authorization: `Bearer ${await tokenFor(org.users.rep)}` });

async function importFile(csv: string, fileName: string, lawfulBasis = 'legitimate_interest', enrich = false) {
  const uploaded = await app.inject({ method: 'POST', url: `/v1/imports?fileName=${fileName}`, headers: { ...(await rep()), 'content-type': 'text/csv' }, payload: csv });
  expect(uploaded.statusCode, uploaded.body).toBe(201);
  const started = await app.inject({ method: 'POST', url: `/v1/imports/${uploaded.json().id}/start`, headers: await rep(), payload: { lawfulBasis, lawfulBasisSource: fileName, enrich } });
  expect(started.statusCode, started.body).toBe(200);
  await env.client.workflow.getHandle(started.json().workflowId).result();
  const progress = (await app.inject({ url: `/v1/imports/${uploaded.json().id}/progress`, headers: await rep() })).json();
  const failed = (await app.inject({ url: `/v1/imports/${uploaded.json().id}/failed-rows`, headers: await rep() })).json().data;
  return { uploaded: uploaded.json(), progress, failed };
}

const apolloCsv = [
  'First Name,Last Name,Title,Company,Email,Person Linkedin Url,Website,Country,Work Direct Phone,Apollo Contact Id',
  'Jürgen,Bergmann,Geschäftsführer,"Bergmann Logistik GmbH",J.Bergmann@Bergmann-Logistik.de,https://de.linkedin.com/in/juergen-bergmann/,https://www.bergmann-logistik.de,Germany,+49 (0)30 1234567,a1',
  'Ann,Lee,VP Sales,"ACME, Inc.",ann.lee@acme-corp.com,,acme-corp.com,United States,(415) 555-0101,a2',
  'Bob,Stone,Account Executive,Acme Inc,bob@acme-corp.com,,,USA,,a3',
  ',,,,,,,,,a4',
  'Carla,Diaz,CFO,Initech,not-an-email,,,,,a5',
  'Dee,"Unclosed quote,CTO,Globex,dee@globex-corp.com,,,,,a6',
  'Eve,Park,Head of Procurement,Globex,eve.park@gmail.com,,globex-corp.com,Canada,,a7',
].join('\n');

describe('lead import', () => {
  it('an Apollo export: mapped automatically, previewed, imported with each broken line reported and the rest in; one account per company', async () => {
    const { uploaded, progress, failed } = await importFile(apolloCsv, 'apollo.csv');
    expect(uploaded).toMatchObject({ source: 'apollo', problems: [], totalRows: expect.any(Number) });
    expect(uploaded.mapping).toMatchObject({ Email: 'email', 'Person Linkedin Url': 'linkedinUrl', 'Work Direct Phone': 'phone', 'Apollo Contact Id': null });
    expect(uploaded.preview[0].lead).toMatchObject({ firstName: 'Jürgen', phoneE164: '+49301234567', country: 'DE', domain: 'bergmann-logistik.de', linkedinUrl: 'https://www.linkedin.com/in/juergen-bergmann' });
    expect(progress).toMatchObject({ status: 'completed', created: 4, updated: 0, unchanged: 0, failed: progress.totalRows - 4, percent: 100 });
    expect(failed.map((f: { line: number }) => f.line)).toEqual(expect.arrayContaining([5, 6]));
    expect(failed.find((f: { line: number }) => f.line === 5).reason).toContain('no email, LinkedIn profile URL, or name and company');
    expect(failed.find((f: { line: number }) => f.line === 6).reason).toContain('"not-an-email" is not an email address');
    expect(failed.some((f: { reason: string }) => f.reason.startsWith('unreadable CSV'))).toBe(true);
    const contacts = await db.asService((tx) => tx<{ emails: string[]; phoneE164: string | null; accountName: string | null; lawfulBasis: string; source: string; seniority: string | null }[]>`
      select c.emails, c.phone_e164, a.name as account_name, c.lawful_basis, c.source, c.seniority from public.contacts c left join public.accounts a on a.id = c.account_id
      where c.org_id = ${org.orgId} and c.source = 'apollo' order by c.created_at`);
    expect(contacts.map((c) => c.emails[0])).toEqual(['j.bergmann@bergmann-logistik.de', 'ann.lee@acme-corp.com', 'bob@acme-corp.com', 'eve.park@gmail.com']);
    expect(contacts[1]).toMatchObject({ phoneE164: '+14155550101', lawfulBasis: 'legitimate_interest' });
    // "ACME, Inc." and "Acme Inc" are one company.
    expect(contacts[1]!.accountName).toBe(contacts[2]!.accountName);
    expect(await db.asService((tx) => tx`select count(*)::int as n from public.accounts where org_id = ${org.orgId} and name_key is not null`)).toEqual([{ n: 3 }]);
  });

  it('re-importing the same file changes nothing', async () => {
    const before = await db.asService((tx) => tx`select count(*)::int as contacts, (select count(*)::int from public.audit_log where org_id = ${org.orgId}) as audits from public.contacts where org_id = ${org.orgId}`);
    const { progress } = await importFile(apolloCsv, 'apollo-again.csv');
    expect(progress).toMatchObject({ created: 0, updated: 0, unchanged: 4 });
    const after = await db.asService((tx) => tx`select count(*)::int as contacts, (select count(*)::int from public.audit_log where org_id = ${org.orgId}) as audits from public.contacts where org_id = ${org.orgId}`);
    expect(after[0]!.contacts).toBe(before[0]!.contacts);
    expect(after[0]!.audits).toBe((before[0]!.audits as number) + 1); // only the "import started" entry
  });

  it('a HubSpot export of the same people updates them by exact keys and source priority, with the change audited', async () => {
    const hubspot = [
      'Record ID,First Name,Last Name,Email,Phone Number,Company Name,Job Title,Country/Region,Contact owner',
      '901,Ann,Lee,ANN.LEE@acme-corp.com,,Acme Inc.,Chief Revenue Officer,US,Riya',
      '902,Eve,Park,evepark+work@googlemail.com,,Globex,Procurement Director,CA,Riya',
    ].join('\n');
    const { uploaded, progress } = await importFile(hubspot, 'hubspot.csv', 'none');
    expect(uploaded.source).toBe('hubspot');
    expect(progress).toMatchObject({ created: 0, updated: 2, failed: 0 });
    const [ann] = await db.asService((tx) => tx<{ id: string; title: string; fieldSources: Record<string, { source: string }> }[]>`select id, title, field_sources from public.contacts where org_id = ${org.orgId} and emails @> '{ann.lee@acme-corp.com}'`);
    expect(ann).toMatchObject({ title: 'Chief Revenue Officer' });
    expect(ann!.fieldSources.title!.source).toBe('hubspot');
    const [eve] = await db.asService((tx) => tx<{ emails: string[] }[]>`select emails from public.contacts where org_id = ${org.orgId} and emails @> '{eve.park@gmail.com}'`);
    expect(eve!.emails).toEqual(['eve.park@gmail.com', 'evepark+work@googlemail.com']); // matched by the Gmail rules, stored as given
    const audit = await db.asService((tx) => tx<{ before: { title: string }; after: { title: string } }[]>`select before, after from public.audit_log where org_id = ${org.orgId} and subject_id = ${ann!.id} and action = 'contacts.update'`);
    expect(audit).toEqual([expect.objectContaining({ before: expect.objectContaining({ title: 'VP Sales' }), after: expect.objectContaining({ title: 'Chief Revenue Officer' }) })]);
  });

  it('leads as JSON (a result per lead) and from a signed web form take the same path', async () => {
    const res = await app.inject({ method: 'POST', url: '/v1/leads', headers: await rep(), payload: { lawfulBasis: 'consent', lawfulBasisSource: 'webinar', records: [
      { email: 'new.person@initech-corp.com', fullName: 'Dr. Nina Meyer', company: 'Initech LLC', title: 'Director of Engineering' },
      { email: 'bob@acme-corp.com', title: 'Account Executive' },
      { fullName: 'Nobody' },
    ] } });
    expect(res.json().results.map((r: { outcome: string }) => r.outcome)).toEqual(['created', 'unchanged', 'failed']);
    const [nina] = await db.asService((tx) => tx<{ firstName: string; lastName: string; department: string; seniority: string; lawfulBasis: string }[]>`select first_name, last_name, department, seniority, lawful_basis from public.contacts where org_id = ${org.orgId} and emails @> '{new.person@initech-corp.com}'`);
    expect(nina).toEqual({ firstName: 'Nina', lastName: 'Meyer', department: 'engineering', seniority: 'director', lawfulBasis: 'consent' });

    const admin = { authorization: `Bearer ${await tokenFor(org.users.admin)}` };
    const secret = (await app.inject({ method: 'POST', url: '/v1/webhook-secrets', headers: admin, payload: { source: 'closeloop' } })).json().secret;
    const form = closeloopHookDelivery(secret, { id: 'form-1', type: 'lead.submitted', occurredAt: new Date().toISOString(), data: { lead: { email: 'Form.Lead@Umbrella-corp.com', firstName: 'Fran', company: 'Umbrella Corp' }, lawfulBasis: 'consent', lawfulBasisSource: 'contact form on umbrella-corp.com' } });
    expect((await app.inject({ method: 'POST', url: `/v1/hooks/closeloop/${org.orgId}`, headers: form.headers, payload: form.body })).statusCode).toBe(200);
    const dispatcher = createInboxDispatcher({ db, temporal: env.client, logger: { info: () => {}, warn: () => {} }, orgIds: [org.orgId] });
    await dispatcher.runOnce();
    expect(await db.asService((tx) => tx`select source, lawful_basis, lawful_basis_source from public.contacts where org_id = ${org.orgId} and emails @> '{form.lead@umbrella-corp.com}'`))
      .toEqual([{ source: 'form', lawfulBasis: 'consent', lawfulBasisSource: 'contact form on umbrella-corp.com' }]);
  });

  it('enrichment (Apollo, through its API fake) fills gaps only, and each enriched field keeps its source and date', async () => {
    apollo.addPerson({ email: 'kim.ng@wayne-corp.com' }, { title: 'Chief Executive Officer', seniority: 'c_suite', linkedin_url: 'http://www.linkedin.com/in/kim-ng-wayne', city: 'Gotham', country: 'United States', organization: { name: 'Wayne Enterprises', primary_domain: 'wayne-corp.com' } });
    const csv = ['Email,First Name,Last Name,Company,Title', 'kim.ng@wayne-corp.com,Kim,Ng,Wayne Corp,Founder', 'lee@nobody-known.com,Lee,Bo,Nobody Known,'].join('\n');
    const { progress } = await importFile(csv, 'enrich.csv', 'legitimate_interest', true);
    expect(progress).toMatchObject({ created: 2, failed: 0 });
    const [kim] = await db.asService((tx) => tx<{ title: string; linkedinUrl: string; fieldSources: Record<string, { source: string; at: string }> }[]>`
      select title, linkedin_url, field_sources from public.contacts where org_id = ${org.orgId} and emails @> '{kim.ng@wayne-corp.com}'`);
    expect(kim!.title).toBe('Founder'); // the file's value stays: enrichment ranks below every import
    expect(kim!.linkedinUrl).toBe('https://www.linkedin.com/in/kim-ng-wayne');
    expect(kim!.fieldSources.linkedinUrl).toMatchObject({ source: 'enrichment_apollo', at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/) });
    expect(kim!.fieldSources.title!.source).toBe('generic_csv');
    const sent = apollo.requests().map((r) => r.body as Record<string, unknown>);
    expect(sent).toHaveLength(2);
    expect(sent.every((b) => b.reveal_personal_emails === false && b.reveal_phone_number === false)).toBe(true);
  });

  it('identity resolution runs on intake: an import of a transliterated duplicate is merged by the sweep it starts', async () => {
    const csv = ['Email,First Name,Last Name,Company', 'juergen.bergmann@bergmann-logistik.de,Juergen,Bergmann,Bergmann Logistik GmbH'].join('\n');
    const { progress } = await importFile(csv, 'duplicate.csv');
    expect(progress).toMatchObject({ created: 1 });
    let merged: Array<{ status: string; band: string }> = [];
    for (let i = 0; i < 400 && merged.length === 0; i++) {
      merged = [...(await db.asService((tx) => tx<Array<{ status: string; band: string }>>`select status, band from public.match_reviews where org_id = ${org.orgId} and status = 'merged'`))];
      if (merged.length === 0) await new Promise((r) => setTimeout(r, 50));
    }
    expect(merged).toEqual([{ status: 'merged', band: 'merge' }]);
    const bergmanns = await db.asService((tx) => tx<{ emails: string[] }[]>`select emails from public.contacts where org_id = ${org.orgId} and lower(last_name) = 'bergmann'`);
    expect(bergmanns).toHaveLength(1);
    expect(bergmanns[0]!.emails.sort()).toEqual(['j.bergmann@bergmann-logistik.de', 'juergen.bergmann@bergmann-logistik.de']);
  });
});
