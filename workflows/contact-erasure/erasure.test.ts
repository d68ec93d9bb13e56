// The erasure process end to end on the dev server and real Postgres, and the rule it shares with every other
// process: no personal data in Temporal histories or search attributes (ADR-0007).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { contactsRepository } from '../../adapters/db/contacts-repository.ts';
import { eventLogRepository } from '../../adapters/db/event-log-repository.ts';
import type { Database } from '../../adapters/db/session.ts';
import { appDatabase, seedOrganisation, type SeededOrg } from '../../infra/testing/database.ts';
import { connectDevServer, testResources, uniqueTaskQueue } from '../../infra/testing/harness.ts';
import { everythingTemporalHolds } from '../../infra/testing/history-scan.ts';
import { testActivities } from '../../infra/testing/activities.ts';
import { stackCheckWorkflow } from '../stack-check/workflow.ts';
import { contactErasureWorkflowId, type ContactErasureInput } from './messages.ts';
import { contactErasureWorkflow } from './workflow.ts';

let env: TestWorkflowEnvironment;
let db: Database;
let org: SeededOrg;
let contact: { id: string; email: string; firstName: string; lastName: string };
const taskQueue = uniqueTaskQueue('erasure');
let worker: Worker;
let running: Promise<void>;

beforeAll(async () => {
  env = await connectDevServer();
  db = appDatabase('erasure');
  org = await seedOrganisation(db, 'Erasure Co');
  const email = `priya.raman+${randomUUID().slice(0, 6)}@northwind.example`;
  const created = await db.asService((tx) =>
    contactsRepository.create(tx, org.orgId, {
      accountId: org.rows.accounts!, firstName: 'Priyanka', lastName: 'Ramanathan', title: 'VP Sales', emails: [email],
      phoneE164: '+4915112345678', timeZone: 'Europe/Berlin', country: 'DE', lawfulBasis: 'consent', lawfulBasisSource: 'webinar form', doNotContact: false,
    }),
  );
  contact = { id: created.id, email, firstName: 'Priyanka', lastName: 'Ramanathan' };
  await db.asService(async (tx) => {
    await tx`insert into public.activities ${tx({ orgId: org.orgId, kind: 'email', direction: 'inbound', occurredAt: new Date().toISOString(), contactId: contact.id, subject: 'Re: pilot', body: 'Thanks, Priyanka', participants: tx.json([{ contactId: contact.id, email, name: 'Priyanka Ramanathan' }, { memberId: org.members.rep }]) })}`;
    const [mailbox] = await tx`insert into public.mailboxes ${tx({ orgId: org.orgId, memberId: org.members.rep, fromAddress: `rep@${org.orgId.slice(0, 8)}.example`, fromName: 'Rep' })} returning id`;
    await tx`insert into public.outbound_messages ${tx({ orgId: org.orgId, mailboxId: mailbox!.id, contactId: contact.id, toAddress: email, subject: 'For Priyanka', bodyText: 'Hi Priyanka Ramanathan', origin: 'template', requiresApproval: true, processWorkflowId: 'p:1', stepKey: 's1', businessKey: `p:1:s1:${contact.id}` })}`;
    await tx`insert into public.outbox ${tx({ orgId: org.orgId, idempotencyKey: `p:1:s1:${contact.id}`, fromHeader: 'Rep <rep@x.example>', toAddress: email, subject: 'For Priyanka', bodyText: 'Hi Priyanka Ramanathan', rfcMessageId: '<x@outbox.closeloop.invalid>' })}`;
    await tx`insert into public.webhook_inbox ${tx({ orgId: org.orgId, provider: 'closeloop', eventId: `reply-${contact.id}`, body: JSON.stringify({ type: 'reply.received', data: { from: email.toUpperCase(), text: 'Thanks, Priyanka' } }) })}`;
    // A call note about them (linked) and one where they were only on the call (participant address), each with a proposal quoting them.
    for (const [i, link] of [{ contactId: contact.id, participants: [] }, { contactId: null, participants: [{ email, name: 'Priyanka Ramanathan' }] }].entries()) {
      const [note] = await tx<{ id: string }[]>`insert into public.call_notes ${tx({ orgId: org.orgId, source: 'api', format: 'speaker', occurredAt: new Date().toISOString(), rawText: 'Priyanka Ramanathan: we want the pilot.', transcriptText: 'Priyanka Ramanathan: we want the pilot.', speakers: ['Priyanka Ramanathan'], participants: tx.json(link.participants), dealId: null, accountId: org.rows.accounts!, contactId: link.contactId, ownerMemberId: org.members.rep, workflowId: `call-notes:${org.orgId}:erasure-${i}`, summary: 'Priyanka wants the pilot', status: 'completed' })} returning id`;
      await tx`insert into public.call_note_proposals ${tx({ orgId: org.orgId, callNoteId: note!.id, ordinal: 0, kind: 'contact_new', after: tx.json({ name: 'Priyanka Ramanathan' }), quote: 'Priyanka Ramanathan: we want the pilot.', confidence: 0.9, policy: 'approve', status: 'rejected' })}`;
    }
    await tx`insert into public.audit_log ${tx({ orgId: org.orgId, actorType: 'member', actorId: org.members.rep, action: 'contact.update', subjectType: 'contact', subjectId: contact.id, before: tx.json({ title: 'Head of Sales' }), after: tx.json({ title: 'VP Sales', firstName: 'Priyanka' }) })}`;
  });
  worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: testResources().workflowBundle,
    activities: testActivities(db),
  });
  running = worker.run();
});
afterAll(async () => {
  worker?.shutdown();
  await running;
  await db?.end();
  await env?.teardown();
});

const request = (): ContactErasureInput => ({ orgId: org.orgId, contactId: contact.id, requestedBy: { type: 'member', id: org.members.admin }, reason: 'data_subject_request' });

describe('contact erasure', () => {
  it('leaves no personal data of the contact readable, keeps the addresses suppressed, and logs ids only', async () => {
    const result = await env.client.workflow.execute(contactErasureWorkflow, { taskQueue, workflowId: contactErasureWorkflowId(org.orgId, contact.id), args: [request()] });
    expect(result).toMatchObject({ contactId: contact.id, alreadyErased: false, activitiesRedacted: 1 });
    expect(result.suppressionIds).toHaveLength(1);

    await db.asService(async (tx) => {
      const erased = await contactsRepository.get(tx, org.orgId, contact.id);
      expect(erased).toMatchObject({ firstName: null, lastName: null, title: null, emails: [], phoneE164: null, timeZone: null, country: null, lawfulBasisSource: null, doNotContact: true });
      expect(erased?.erasedAt).not.toBeNull();
      // Nothing anywhere in the organisation's rows still names them.
      const dump = JSON.stringify(await tx`
        select (select json_agg(c) from public.contacts c where c.org_id = ${org.orgId}) as contacts,
               (select json_agg(a) from public.activities a where a.org_id = ${org.orgId}) as activities,
               (select json_agg(l) from public.audit_log l where l.org_id = ${org.orgId}) as audit,
               (select json_agg(e) from public.event_log e where e.org_id = ${org.orgId}) as events,
               (select json_agg(s) from public.suppressions s where s.org_id = ${org.orgId}) as suppressions,
               (select json_agg(t) from public.tasks t where t.org_id = ${org.orgId}) as tasks,
               (select json_agg(m) from public.outbound_messages m where m.org_id = ${org.orgId}) as outbound,
               (select json_agg(o) from public.outbox o where o.org_id = ${org.orgId}) as outbox,
               (select json_agg(w) from public.webhook_inbox w where w.org_id = ${org.orgId}) as inbox,
               (select json_agg(n) from public.call_notes n where n.org_id = ${org.orgId}) as call_notes,
               (select json_agg(p) from public.call_note_proposals p where p.org_id = ${org.orgId}) as proposals`);
      for (const personal of [contact.email, contact.email.toUpperCase(), contact.firstName, contact.lastName, '+4915112345678', 'webinar form']) expect(dump).not.toContain(personal);
      const events = await eventLogRepository.forSubject(tx, org.orgId, 'contact', contact.id);
      expect(events.map((e) => e.kind)).toEqual(['contact.erased']);
    });
  });

  it('the same person added again cannot be contacted: the address is still suppressed', async () => {
    const again = await db.asService((tx) => contactsRepository.create(tx, org.orgId, { accountId: null, firstName: 'P', lastName: null, title: null, emails: [contact.email.toUpperCase().toLowerCase()], phoneE164: null, timeZone: null, country: null, lawfulBasis: 'legitimate_interest', lawfulBasisSource: null, doNotContact: false }));
    expect(await db.asService((tx) => contactsRepository.outreachRefusals(tx, org.orgId, again.id))).toEqual(['suppressed']);
    // A contact in another organisation with the same address is not affected: suppression is per organisation.
    const other = await seedOrganisation(db, 'Other Co');
    const elsewhere = await db.asService((tx) => contactsRepository.create(tx, other.orgId, { accountId: null, firstName: null, lastName: null, title: null, emails: [contact.email], phoneE164: null, timeZone: null, country: null, lawfulBasis: 'consent', lawfulBasisSource: null, doNotContact: false }));
    expect(await db.asService((tx) => contactsRepository.outreachRefusals(tx, other.orgId, elsewhere.id))).toEqual([]);
  });

  it('a second erasure request is idempotent', async () => {
    const again = await env.client.workflow.execute(contactErasureWorkflow, {
      taskQueue, workflowId: `${contactErasureWorkflowId(org.orgId, contact.id)}:again`, args: [request()],
    });
    expect(again.alreadyErased).toBe(true);
  });

  it("the contact's name and email appear in no workflow history or search attribute", async () => {
    await env.client.workflow.execute(stackCheckWorkflow, { taskQueue, workflowId: `stack-check:${randomUUID()}`, args: [{ checkId: 'privacy', waitSeconds: 0, workSeconds: 0 }] });
    const ids: string[] = [];
    for await (const w of env.client.workflow.list({ query: `TaskQueue = '${taskQueue}'` })) ids.push(w.workflowId);
    expect(ids.length).toBeGreaterThanOrEqual(2);
    for (const id of ids) {
      const held = await everythingTemporalHolds(env.client, id);
      for (const personal of [contact.email, contact.firstName, contact.lastName]) expect([id, held.includes(personal)]).toEqual([id, false]);
    }
  });

  it('the scan does find personal data when a workflow carries it (control)', async () => {
    const leaky = await env.client.workflow.start(stackCheckWorkflow, { taskQueue: uniqueTaskQueue('nobody-polls'), workflowId: `leak-${randomUUID()}`, args: [{ checkId: contact.email, waitSeconds: 60, workSeconds: 0 }] });
    expect(await everythingTemporalHolds(env.client, leaky.workflowId)).toContain(contact.email);
    await leaky.terminate('control done');
  });
});
