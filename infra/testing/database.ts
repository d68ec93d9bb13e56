// Test access to the run's Postgres: the app's connection (login role authenticator, which can only switch to
// anon / authenticated / service_role) and a superuser one for catalog checks only.
import { randomBytes, randomUUID } from 'node:crypto';
import { createSql, type Sql, type Tx } from '../../adapters/db/client.ts';
import { createDatabase, type CallerClaims, type Database } from '../../adapters/db/session.ts';
import { organisationsRepository } from '../../adapters/db/organisations-repository.ts';
import { testResources } from './harness.ts';

export function appDatabase(name: string): Database {
  return createDatabase(createSql({ url: testResources().appDatabaseUrl, applicationName: `test:${name}`, max: 4 }));
}

export function superuserSql(name: string): Sql {
  return createSql({ url: testResources().databaseUrl, applicationName: `test-superuser:${name}`, max: 2 });
}

export interface SeededOrg {
  orgId: string;
  users: { rep: string; manager: string; admin: string };
  members: { rep: string; manager: string; admin: string };
  apiKeyId: string;
  /** One row id per table (for process_runs: the workflow id). */
  rows: Record<string, string>;
}

/** An organisation with three members and one row in every table, written as the worker would (service role). */
export async function seedOrganisation(db: Database, name: string): Promise<SeededOrg> {
  return db.asService(async (tx) => {
    const { id: orgId } = await organisationsRepository.create(tx, { name, timeZone: 'Europe/Berlin', postalAddress: '1 Main St' });
    const users = { rep: randomUUID(), manager: randomUUID(), admin: randomUUID() };
    const members = {
      rep: (await organisationsRepository.addMember(tx, orgId, { userId: users.rep, displayName: `${name} rep`, email: `rep@${orgId}.example`, role: 'rep' })).id,
      manager: (await organisationsRepository.addMember(tx, orgId, { userId: users.manager, displayName: `${name} manager`, email: `manager@${orgId}.example`, role: 'manager' })).id,
      admin: (await organisationsRepository.addMember(tx, orgId, { userId: users.admin, displayName: `${name} admin`, email: `admin@${orgId}.example`, role: 'admin' })).id,
    };
    const one = async (query: Promise<Array<{ id: string }>>) => (await query)[0]!.id;
    const rows: Record<string, string> = { organisations: orgId, members: members.rep };
    const apiKeyId = await one(tx`insert into public.api_keys ${tx({ orgId, name: 'ci', role: 'rep', prefix: 'cl_test', keyHash: randomBytes(32).toString('hex'), createdByMemberId: members.admin })} returning id`);
    rows.api_keys = apiKeyId;
    rows.accounts = await one(tx`insert into public.accounts ${tx({ orgId, name: `${name} Customer`, domain: 'customer.example', ownerMemberId: members.rep })} returning id`);
    rows.contacts = await one(tx`insert into public.contacts ${tx({ orgId, accountId: rows.accounts, firstName: 'Priya', lastName: 'Raman', emails: [`priya@${orgId}.example`], lawfulBasis: 'legitimate_interest' })} returning id`);
    rows.deals = await one(tx`insert into public.deals ${tx({ orgId, accountId: rows.accounts, name: 'Pilot', ownerMemberId: members.rep })} returning id`);
    rows.stakeholders = await one(tx`insert into public.stakeholders ${tx({ orgId, dealId: rows.deals, contactId: rows.contacts, role: 'champion' })} returning id`);
    rows.activities = await one(tx`insert into public.activities ${tx({ orgId, kind: 'call', direction: 'outbound', occurredAt: new Date().toISOString(), contactId: rows.contacts, body: 'Discussed pilot' })} returning id`);
    rows.tasks = await one(tx`insert into public.tasks ${tx({ orgId, kind: 'call', title: 'Call back', ownerMemberId: members.rep, contactId: rows.contacts })} returning id`);
    rows.signals = await one(tx`insert into public.signals ${tx({ orgId, kind: 'funding', accountId: rows.accounts, occurredAt: new Date().toISOString(), source: 'test', summary: 'Raised a round' })} returning id`);
    rows.documents = await one(tx`insert into public.documents ${tx({ orgId, dealId: rows.deals, kind: 'nda', storageRef: `org/${orgId}/document/x-nda.pdf`, title: 'NDA' })} returning id`);
    rows.suppressions = (await tx<{ id: string }[]>`select app.suppress(${orgId}, ${`gone@${orgId}.example`}, 'manual', 'test') as id`)[0]!.id;
    rows.event_log = await one(tx`insert into public.event_log ${tx({ id: randomUUID(), orgId, kind: 'account.created', version: 1, occurredAt: new Date().toISOString(), source: 'worker', actorType: 'system', actorId: null, subjectType: 'account', subjectId: rows.accounts, data: tx.json({}) })} returning id`);
    rows.audit_log = await one(tx`insert into public.audit_log ${tx({ orgId, actorType: 'system', actorId: null, action: 'account.create', subjectType: 'account', subjectId: rows.accounts, after: tx.json({ name: 'x' }) })} returning id`);
    rows.process_runs = `stack-check:${orgId}`;
    await tx`insert into public.process_runs ${tx({ orgId, workflowId: rows.process_runs, runId: 'r1', kind: 'stack-check', subjectType: 'organisation', subjectId: orgId, status: 'running', step: 'waiting', runSeq: 1, stepSeq: 1 })}`;
    rows.invitations = await one(tx`insert into public.invitations ${tx({ orgId, email: `new@${orgId}.example`, role: 'rep', displayName: 'Newcomer', tokenHash: randomBytes(32).toString('hex'), invitedByMemberId: members.admin, expiresAt: new Date(Date.now() + 86_400_000).toISOString() })} returning id`);
    rows.mailboxes = await one(tx`insert into public.mailboxes ${tx({ orgId, memberId: members.rep, fromAddress: `rep@${orgId.slice(0, 8)}.mail.example`, fromName: 'Rep', domainStatus: 'verified' })} returning id`);
    const businessKey = `seed:1:step-1:${rows.contacts}`;
    rows.outbound_messages = await one(tx`insert into public.outbound_messages ${tx({ orgId, mailboxId: rows.mailboxes, contactId: rows.contacts, toAddress: `priya@${orgId}.example`, subject: 'Hello', bodyText: 'Hi', origin: 'template', requiresApproval: true, processWorkflowId: 'seed:1', stepKey: 'step-1', businessKey })} returning id`);
    rows.approvals = await one(tx`insert into public.approvals ${tx({ orgId, messageId: rows.outbound_messages, workflowId: `outbound:${orgId}:${businessKey}`, requestedAt: new Date().toISOString(), dueAt: new Date(Date.now() + 86_400_000).toISOString() })} returning id`);
    rows.send_ledger = await one(tx`insert into public.send_ledger ${tx({ orgId, businessKey, messageId: rows.outbound_messages, mailboxId: rows.mailboxes, state: 'reserved', provider: 'outbox', reservedAt: new Date().toISOString() })} returning id`);
    rows.send_slots = await one(tx`insert into public.send_slots ${tx({ orgId, mailboxId: rows.mailboxes, recipientDomain: 'example', businessKey, slotAt: new Date().toISOString() })} returning id`);
    rows.outbox = await one(tx`insert into public.outbox ${tx({ orgId, idempotencyKey: businessKey, fromHeader: 'Rep <rep@x.example>', toAddress: `priya@${orgId}.example`, subject: 'Hello', bodyText: 'Hi', rfcMessageId: `<${randomUUID()}@outbox.closeloop.invalid>` })} returning id`);
    rows.draft_revisions = await one(tx`insert into public.draft_revisions ${tx({ orgId, messageId: rows.outbound_messages, kind: 'edit', subject: 'Hello again', bodyText: 'Hi there', createdByMemberId: members.rep })} returning id`);
    rows.playbooks = await one(tx`insert into public.playbooks ${tx({ orgId, key: 'intro', name: 'Intro' })} returning id`);
    rows.playbook_versions = await one(tx`insert into public.playbook_versions ${tx({ orgId, playbookId: rows.playbooks, version: 1, definition: tx.json({ name: 'Intro', steps: [] }), createdByMemberId: members.manager })} returning id`);
    rows.enrolments = await one(tx`insert into public.enrolments ${tx({ orgId, contactId: rows.contacts, playbookVersionId: rows.playbook_versions, ownerMemberId: members.rep, mailboxId: rows.mailboxes, workflowId: `follow-up:${orgId}:${rows.contacts}:intro` })} returning id`);
    rows.mailbox_connections = await one(tx`insert into public.mailbox_connections ${tx({ orgId, memberId: members.rep, emailAddress: `rep@${orgId}.example`, status: 'revoked' })} returning id`);
    rows.import_batches = await one(tx`insert into public.import_batches ${tx({ orgId, source: 'generic_csv', fileName: 'leads.csv', status: 'completed' })} returning id`);
    rows.imports = rows.import_batches; // the API names them /v1/imports
    rows.import_rows = await one(tx`insert into public.import_rows ${tx({ orgId, batchId: rows.import_batches, line: 2, outcome: 'failed', reason: 'no email, LinkedIn URL, or name and company' })} returning id`);
    const second = await one(tx`insert into public.contacts ${tx({ orgId, firstName: 'Omar', lastName: 'Haddad', emails: [`omar.haddad@${orgId}.example`], lawfulBasis: 'legitimate_interest' })} returning id`);
    const [pairA, pairB] = [rows.contacts!, second].sort();
    rows.match_reviews = await one(tx`insert into public.match_reviews ${tx({ orgId, contactA: pairA, contactB: pairB, score: 0.8, band: 'review' })} returning id`);
    rows.contact_merges = await one(tx`insert into public.contact_merges ${tx({ orgId, survivorId: rows.contacts, loserId: second, snapshot: tx.json({}), reason: 'seed', unmergedAt: new Date().toISOString() })} returning id`);
    rows.call_notes = await one(tx`insert into public.call_notes ${tx({ orgId, source: 'api', format: 'plain', occurredAt: new Date().toISOString(), rawText: 'Priya wants a pilot.', transcriptText: 'Priya wants a pilot.', dealId: rows.deals, accountId: rows.accounts, contactId: rows.contacts, ownerMemberId: members.rep, workflowId: `call-notes:${orgId}:seed`, status: 'completed' })} returning id`);
    rows.call_note_proposals = await one(tx`insert into public.call_note_proposals ${tx({ orgId, callNoteId: rows.call_notes, ordinal: 0, kind: 'deal_stage', targetType: 'deal', targetId: rows.deals, before: tx.json({ stage: 'discovery' }), after: tx.json({ stage: 'proposal' }), quote: 'Priya wants a pilot.', confidence: 0.8, policy: 'approve', status: 'pending' })} returning id`);
    rows.meeting_briefs = await one(tx`insert into public.meeting_briefs ${tx({ orgId, meetingActivityId: await one(tx`insert into public.activities ${tx({ orgId, kind: 'meeting', direction: 'outbound', occurredAt: new Date().toISOString(), contactId: rows.contacts, meetingStartAt: new Date(Date.now() + 86_400_000).toISOString(), meetingEndAt: new Date(Date.now() + 88_200_000).toISOString(), meetingStatus: 'scheduled' })} returning id`), meetingStartAt: new Date(Date.now() + 86_400_000).toISOString(), dueAt: new Date(Date.now() + 82_800_000).toISOString(), workflowId: `meeting-prep:${orgId}:seed`, ownerMemberId: members.rep })} returning id`);
    rows.webhook_secrets = await one(tx`insert into public.webhook_secrets ${tx({ orgId, source: 'closeloop', secret: randomBytes(32).toString('base64url') })} returning id`);
    rows.webhook_inbox = await one(tx`insert into public.webhook_inbox ${tx({ orgId, provider: 'test', eventId: randomUUID(), body: '{}', status: 'processed' })} returning id`);
    return { orgId, users, members, apiKeyId, rows };
  });
}

export function memberClaims(org: SeededOrg, role: 'rep' | 'manager' | 'admin', orgId: string | undefined = org.orgId): CallerClaims {
  return { sub: org.users[role], orgId, kind: 'member' };
}

export type { Tx };
