// The cadence through the API, as a rep would use it: enrol → the first draft awaits approval → approve →
// the email is in the outbox → a reply is recorded → the cadence stops. Refusals come back per contact.
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Database } from '../adapters/db/session.ts';
import { testApp, tokenFor } from '../infra/testing/api.ts';
import { startTestWorker } from '../infra/testing/activities.ts';
import { appDatabase } from '../infra/testing/database.ts';
import { createTimeSkippingEnv, uniqueTaskQueue } from '../infra/testing/harness.ts';
import { outboundFixture, type OutboundFixture } from '../infra/testing/outbound.ts';

let env: TestWorkflowEnvironment;
let db: Database;
let app: FastifyInstance;
let fixture: OutboundFixture;
let worker: { stop(): Promise<void> } | undefined;
const taskQueue = uniqueTaskQueue('cadence-api');
const allDay = { start: '00:00', end: '24:00' };

beforeAll(async () => {
  env = await createTimeSkippingEnv();
  db = appDatabase('cadence-api');
  fixture = await outboundFixture(db, { policy: 'require_approval' });
  app = await testApp({ temporal: env.client, taskQueue });
  worker = await startTestWorker({ env, db, taskQueue });
});
afterAll(async () => {
  await worker?.stop();
  await app?.close();
  await db?.end();
  await env?.teardown();
});

describe('cadence through the API', () => {
  it('enrol → approve the first draft → outbox → reply recorded → stopped; refusals per contact', async () => {
    const manager = { authorization: `Bearer ${await tokenFor(fixture.org.users.manager)}` };
    const rep = { authorization: `Bearer ${await tokenFor(fixture.org.users.rep)}` };
    const created = await app.inject({
      method: 'POST', url: '/v1/playbooks', headers: manager,
      payload: { key: 'api-intro', definition: { name: 'API intro', steps: [
        { key: 'intro', kind: 'auto_email', delay: { amount: 0, unit: 'minutes' }, subject: 'Hello {{contact.firstName}}', body: 'Hi {{contact.firstName}}' },
        { key: 'bump', kind: 'auto_email', delay: { amount: 3, unit: 'hours' }, subject: 'Re: Hello', body: 'Bumping, {{contact.firstName}}' },
      ], sendWindow: { mon: [allDay], tue: [allDay], wed: [allDay], thu: [allDay], fri: [allDay], sat: [allDay], sun: [allDay] } } },
    });
    expect(created.statusCode).toBe(201);
    expect((await app.inject({ method: 'POST', url: '/v1/playbooks', headers: rep, payload: { key: 'x', definition: { name: 'x', steps: [] } } })).statusCode).toBe(403);

    const ok = await fixture.contact();
    const suppressed = await fixture.contact();
    const german = await fixture.contact();
    await db.asService(async (tx) => {
      await tx`update public.contacts set first_name = 'Ana' where id in (${ok.id}, ${suppressed.id}, ${german.id})`;
      await tx`update public.contacts set country = 'DE' where id = ${german.id}`;
      await tx`select app.suppress(${fixture.org.orgId}, ${suppressed.email}, 'unsubscribed', 'test')`;
    });
    const enrolled = await app.inject({ method: 'POST', url: '/v1/enrolments', headers: rep, payload: { playbookKey: 'api-intro', contactIds: [ok.id, suppressed.id, german.id] } });
    expect(enrolled.statusCode).toBe(200);
    const results = (enrolled.json() as { results: Array<{ contactId: string; enrolled: boolean; enrolmentId: string | null; refusals: string[] }> }).results;
    expect(results.map((r) => [r.enrolled, r.refusals])).toEqual([[true, []], [false, ['suppressed']], [false, ['consent_required_in_country']]]);
    const again = await app.inject({ method: 'POST', url: '/v1/enrolments', headers: rep, payload: { playbookKey: 'api-intro', contactIds: [ok.id] } });
    expect(again.json().results[0].refusals).toEqual(['already_in_a_cadence']);

    let approvalId: string | undefined;
    for (let i = 0; i < 1200 && !approvalId; i++) {
      const [message] = await db.asService((tx) => tx<{ id: string }[]>`select id from public.outbound_messages where contact_id = ${ok.id}`);
      approvalId = (await app.inject({ url: '/v1/approvals?status=pending', headers: rep })).json().data.find((a: { messageId: string }) => a.messageId === message?.id)?.id;
      if (!approvalId) await delay(50);
    }
    expect((await app.inject({ method: 'POST', url: `/v1/approvals/${approvalId}/decision`, headers: rep, payload: { decision: 'approve' } })).statusCode).toBe(200);
    let outbox: Array<{ toAddress: string; subject: string }> = [];
    for (let i = 0; i < 1200 && outbox.length === 0; i++) {
      outbox = (await app.inject({ url: '/v1/outbox', headers: rep })).json().data.filter((e: { toAddress: string }) => e.toAddress === ok.email);
      if (outbox.length === 0) await delay(50);
    }
    expect(outbox.map((e) => e.subject)).toEqual(['Hello Ana']);

    const enrolmentId = results[0]!.enrolmentId!;
    expect((await app.inject({ method: 'POST', url: `/v1/enrolments/${enrolmentId}/events`, headers: rep, payload: { eventId: 'reply-1', kind: 'reply' } })).statusCode).toBe(200);
    const handle = env.client.workflow.getHandle(`follow-up:${fixture.org.orgId}:${ok.id}:api-intro`);
    expect(await handle.result()).toMatchObject({ outcome: 'stopped', reason: 'replied' });
    const enrolment = (await app.inject({ url: `/v1/enrolments/${enrolmentId}`, headers: rep })).json();
    expect(enrolment).toMatchObject({ status: 'stopped', endReason: 'replied' });
  });

  it('one-click unsubscribe stops every running cadence of that person', async () => {
    const rep = { authorization: `Bearer ${await tokenFor(fixture.org.users.rep)}` };
    const contact = await fixture.contact();
    await db.asService((tx) => tx`update public.contacts set first_name = 'Bo' where id = ${contact.id}`);
    // A second playbook that allows running beside another cadence.
    const manager = { authorization: `Bearer ${await tokenFor(fixture.org.users.manager)}` };
    const steps = (subject: string) => [
      { key: 'intro', kind: 'auto_email', delay: { amount: 0, unit: 'minutes' }, subject, body: 'Hi {{contact.firstName}}' },
      { key: 'bump', kind: 'auto_email', delay: { amount: 3, unit: 'hours' }, subject: `Re: ${subject}`, body: 'Bumping' },
    ];
    const window = { mon: [allDay], tue: [allDay], wed: [allDay], thu: [allDay], fri: [allDay], sat: [allDay], sun: [allDay] };
    for (const key of ['unsub-a', 'unsub-b']) {
      expect((await app.inject({ method: 'POST', url: '/v1/playbooks', headers: manager, payload: { key, definition: { name: key, steps: steps(key), sendWindow: window, allowConcurrentEnrolments: true } } })).statusCode).toBe(201);
      expect((await app.inject({ method: 'POST', url: '/v1/enrolments', headers: rep, payload: { playbookKey: key, contactIds: [contact.id] } })).json().results[0].enrolled).toBe(true);
    }
    // Approve the first email of cadence A, then unsubscribe through its link.
    let approvalId: string | undefined;
    for (let i = 0; i < 1200 && !approvalId; i++) {
      const messages = await db.asService((tx) => tx<{ id: string }[]>`select id from public.outbound_messages where contact_id = ${contact.id} and process_workflow_id like '%unsub-a'`);
      approvalId = (await app.inject({ url: '/v1/approvals?status=pending', headers: rep })).json().data.find((a: { messageId: string }) => a.messageId === messages[0]?.id)?.id;
      if (!approvalId) await delay(50);
    }
    await app.inject({ method: 'POST', url: `/v1/approvals/${approvalId}/decision`, headers: rep, payload: { decision: 'approve' } });
    let link: string | undefined;
    for (let i = 0; i < 1200 && !link; i++) {
      const email = (await app.inject({ url: '/v1/outbox', headers: rep })).json().data.find((e: { toAddress: string }) => e.toAddress === contact.email);
      link = email?.headers['List-Unsubscribe']?.slice(1, -1);
      if (!link) await delay(50);
    }
    expect((await app.inject({ method: 'POST', url: new URL(link!).pathname, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'List-Unsubscribe=One-Click' })).statusCode).toBe(200);
    for (const key of ['unsub-a', 'unsub-b']) {
      const result = await env.client.workflow.getHandle(`follow-up:${fixture.org.orgId}:${contact.id}:${key}`).result();
      expect([key, result.outcome, result.reason]).toEqual([key, 'stopped', 'unsubscribed']);
    }
  });

  describe('exits that reach other cadences, and reassignment', () => {
    const window = { mon: [allDay], tue: [allDay], wed: [allDay], thu: [allDay], fri: [allDay], sat: [allDay], sun: [allDay] };
    const twoEmails = (key: string) => [
      { key: 'intro', kind: 'auto_email', delay: { amount: 0, unit: 'minutes' }, subject: `Hello from ${key}`, body: 'Hi {{contact.firstName}}' },
      { key: 'bump', kind: 'auto_email', delay: { amount: 3, unit: 'hours' }, subject: `Re: Hello from ${key}`, body: 'Bumping, {{contact.firstName}}' },
    ];
    const headers = async (who: 'rep' | 'manager') => ({ authorization: `Bearer ${await tokenFor(fixture.org.users[who])}` });
    const playbook = async (key: string, extra: Record<string, unknown> = {}) => {
      const res = await app.inject({ method: 'POST', url: '/v1/playbooks', headers: await headers('manager'), payload: { key, definition: { name: key, steps: twoEmails(key), sendWindow: window, ...extra } } });
      expect(res.statusCode).toBe(201);
    };
    const enrolOne = async (key: string, contactId: string) => {
      const res = (await app.inject({ method: 'POST', url: '/v1/enrolments', headers: await headers('rep'), payload: { playbookKey: key, contactIds: [contactId] } })).json();
      expect(res.results[0].refusals).toEqual([]);
      return res.results[0] as { enrolmentId: string; workflowId: string };
    };
    const status = (workflowId: string) => env.client.workflow.getHandle(workflowId).query<{ step: string }>('cadenceStatus');
    /** The pending approval of the cadence's first email, once it exists. */
    const pendingApproval = async (workflowId: string) => {
      for (let i = 0; i < 1200; i++) {
        const [message] = await db.asService((tx) => tx<{ id: string }[]>`select id from public.outbound_messages where process_workflow_id = ${workflowId} order by created_at limit 1`);
        const approval = (await app.inject({ url: '/v1/approvals?status=pending', headers: await headers('rep') })).json().data.find((a: { messageId: string }) => a.messageId === message?.id);
        if (approval) return approval as { id: string; messageId: string };
        await delay(50);
      }
      throw new Error(`no pending approval for ${workflowId}`);
    };

    it('a reply while the first email awaits approval: nothing is sent, the approval closes, the cadence stops', async () => {
      await playbook('reply-in-approval');
      const contact = await fixture.contact();
      const { enrolmentId, workflowId } = await enrolOne('reply-in-approval', contact.id);
      const approval = await pendingApproval(workflowId);
      expect((await app.inject({ method: 'POST', url: `/v1/enrolments/${enrolmentId}/events`, headers: await headers('rep'), payload: { eventId: 'early-reply', kind: 'reply' } })).statusCode).toBe(200);
      expect(await env.client.workflow.getHandle(workflowId).result()).toMatchObject({ outcome: 'stopped', reason: 'replied', steps: [{ stepKey: 'intro', outcome: 'replied' }] });
      expect((await app.inject({ url: '/v1/outbox', headers: await headers('rep') })).json().data.filter((e: { toAddress: string }) => e.toAddress === contact.email)).toEqual([]);
      const after = (await app.inject({ method: 'POST', url: `/v1/approvals/${approval.id}/decision`, headers: await headers('rep'), payload: { decision: 'approve' } }));
      expect(after.statusCode).toBe(409);
    });

    it("a reply stops colleagues' cadences at the same account when the playbook says so, and not otherwise", async () => {
      await playbook('account-wide', { stopColleaguesOnReply: true });
      await playbook('per-person');
      const [replier, colleague, otherAccount] = [await fixture.contact(), await fixture.contact(), await fixture.contact()];
      const [otherAccountId] = await db.asService(async (tx) => {
        await tx`update public.contacts set account_id = ${fixture.org.rows.accounts!}, first_name = 'Kim' where id in (${replier.id}, ${colleague.id})`;
        const [account] = await tx<{ id: string }[]>`insert into public.accounts ${tx({ orgId: fixture.org.orgId, name: 'Elsewhere Ltd' })} returning id`;
        await tx`update public.contacts set account_id = ${account!.id}, first_name = 'Ola' where id = ${otherAccount.id}`;
        return [account!.id];
      });
      expect(otherAccountId).toBeDefined();
      const a = await enrolOne('account-wide', replier.id);
      const b = await enrolOne('per-person', colleague.id);
      const c = await enrolOne('per-person', otherAccount.id);
      await pendingApproval(b.workflowId);
      await pendingApproval(c.workflowId);
      await app.inject({ method: 'POST', url: `/v1/enrolments/${a.enrolmentId}/events`, headers: await headers('rep'), payload: { eventId: 'kim-replied', kind: 'reply' } });
      expect(await env.client.workflow.getHandle(a.workflowId).result()).toMatchObject({ outcome: 'stopped', reason: 'replied' });
      expect(await env.client.workflow.getHandle(b.workflowId).result()).toMatchObject({ outcome: 'stopped', reason: 'colleague_replied' });
      expect((await status(c.workflowId)).step).toBe('sending'); // another account: still waiting for its approval
      await env.client.workflow.getHandle(c.workflowId).terminate('test done');

      // The same reply under a playbook without the flag stops only the replier.
      const [solo, bystander] = [await fixture.contact(), await fixture.contact()];
      await db.asService((tx) => tx`update public.contacts set account_id = ${fixture.org.rows.accounts!}, first_name = 'Noa' where id in (${solo.id}, ${bystander.id})`);
      const d = await enrolOne('per-person', solo.id);
      const e = await enrolOne('per-person', bystander.id);
      await pendingApproval(e.workflowId);
      await app.inject({ method: 'POST', url: `/v1/enrolments/${d.enrolmentId}/events`, headers: await headers('rep'), payload: { eventId: 'noa-replied', kind: 'reply' } });
      expect(await env.client.workflow.getHandle(d.workflowId).result()).toMatchObject({ reason: 'replied' });
      expect((await status(e.workflowId)).step).toBe('sending');
      await env.client.workflow.getHandle(e.workflowId).terminate('test done');
    });

    it("an unsubscribe recorded on one cadence suppresses the address and stops the person's other cadences", async () => {
      await playbook('unsub-x', { allowConcurrentEnrolments: true });
      await playbook('unsub-y', { allowConcurrentEnrolments: true });
      const contact = await fixture.contact();
      await db.asService((tx) => tx`update public.contacts set first_name = 'Ivo' where id = ${contact.id}`);
      const x = await enrolOne('unsub-x', contact.id);
      const y = await enrolOne('unsub-y', contact.id);
      await pendingApproval(y.workflowId);
      await app.inject({ method: 'POST', url: `/v1/enrolments/${x.enrolmentId}/events`, headers: await headers('rep'), payload: { eventId: 'ivo-unsub', kind: 'unsubscribed' } });
      expect(await env.client.workflow.getHandle(x.workflowId).result()).toMatchObject({ reason: 'unsubscribed' });
      expect(await env.client.workflow.getHandle(y.workflowId).result()).toMatchObject({ outcome: 'stopped', reason: 'unsubscribed' });
      expect(await db.asService((tx) => tx`select app.is_suppressed(${fixture.org.orgId}, ${contact.email}) as s`)).toEqual([{ s: true }]);
    });

    it('reassignment: later drafts go out from the new owner\'s mailbox, their search attribute changes; reps may not reassign', async () => {
      await playbook('handover');
      const contact = await fixture.contact();
      await db.asService((tx) => tx`update public.contacts set first_name = 'Eda' where id = ${contact.id}`);
      const managerMailbox = await db.asService(async (tx) => {
        const [row] = await tx<{ id: string }[]>`insert into public.mailboxes ${tx({ orgId: fixture.org.orgId, memberId: fixture.org.members.manager, fromAddress: `max@${fixture.org.orgId.slice(0, 8)}.sender.example`, fromName: 'Max Manager', replyTo: null, domainStatus: 'verified', domainCheckedAt: new Date().toISOString(), dailyCap: 100, perMinuteCap: 100, perRecipientDomainDailyCap: 1000 })} returning id`;
        return row!.id;
      });
      const { enrolmentId, workflowId } = await enrolOne('handover', contact.id);
      const first = await pendingApproval(workflowId);
      expect((await app.inject({ method: 'POST', url: `/v1/enrolments/${enrolmentId}/reassign`, headers: await headers('rep'), payload: { ownerMemberId: fixture.org.members.manager } })).statusCode).toBe(403);
      const moved = await app.inject({ method: 'POST', url: `/v1/enrolments/${enrolmentId}/reassign`, headers: await headers('manager'), payload: { ownerMemberId: fixture.org.members.manager, reason: 'rep on leave' } });
      expect(moved.statusCode).toBe(200);
      expect(moved.json()).toMatchObject({ ownerMemberId: fixture.org.members.manager, mailboxId: managerMailbox });
      // The email already drafted stays with the mailbox it was written for; the next one is the new owner's.
      await app.inject({ method: 'POST', url: `/v1/approvals/${first.id}/decision`, headers: await headers('manager'), payload: { decision: 'approve' } });
      let bump: { id: string; mailboxId: string } | undefined;
      for (let i = 0; i < 2400 && !bump; i++) {
        [bump] = await db.asService((tx) => tx<{ id: string; mailboxId: string }[]>`select id, mailbox_id from public.outbound_messages where process_workflow_id = ${workflowId} and step_key = 'bump'`);
        if (!bump) await env.sleep(600_000);
      }
      expect(bump!.mailboxId).toBe(managerMailbox);
      const described = await env.client.workflow.getHandle(workflowId).describe();
      expect(described.searchAttributes.Owner).toEqual([fixture.org.members.manager]);
      const audit = await db.asService((tx) => tx`select action, reason from public.audit_log where org_id = ${fixture.org.orgId} and action = 'enrolments.reassign'`);
      expect(audit).toHaveLength(1);
      await env.client.workflow.getHandle(workflowId).terminate('test done');
    });

    it('a hard bounce pauses the cadence; fixing the contact\'s address through the API resumes it', async () => {
      await playbook('bounce-fix');
      const contact = await fixture.contact();
      await db.asService((tx) => tx`update public.contacts set first_name = 'Uma' where id = ${contact.id}`);
      const { enrolmentId, workflowId } = await enrolOne('bounce-fix', contact.id);
      await app.inject({ method: 'POST', url: `/v1/approvals/${(await pendingApproval(workflowId)).id}/decision`, headers: await headers('rep'), payload: { decision: 'approve' } });
      for (let i = 0; i < 1200 && (await status(workflowId)).step !== 'waiting'; i++) await delay(50);
      await app.inject({ method: 'POST', url: `/v1/enrolments/${enrolmentId}/events`, headers: await headers('rep'), payload: { eventId: 'uma-bounced', kind: 'hard_bounce' } });
      for (let i = 0; i < 1200 && (await status(workflowId)).step !== 'paused'; i++) await delay(50);
      expect((await status(workflowId)).step).toBe('paused');
      const patched = await app.inject({ method: 'PATCH', url: `/v1/contacts/${contact.id}`, headers: await headers('rep'), payload: { emails: [`uma.new-${contact.id.slice(0, 6)}@buyer.example`] } });
      expect(patched.statusCode).toBe(200);
      let step = 'paused';
      for (let i = 0; i < 1200 && step === 'paused'; i++) {
        step = (await status(workflowId)).step;
        if (step === 'paused') await delay(50);
      }
      expect(step).not.toBe('paused');
      await env.client.workflow.getHandle(workflowId).terminate('test done');
    });
  });
});
