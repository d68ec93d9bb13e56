// Policy × outcome: exactly which emails reach the outbox. Time-skipping server (approval deadlines of a day are
// skipped), real Postgres, the offline outbox as provider.
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { MockActivityEnvironment } from '@temporalio/testing';
import type { Database } from '../../adapters/db/session.ts';
import { outboundRepository } from '../../adapters/db/outbound-repository.ts';
import { appDatabase } from '../../infra/testing/database.ts';
import { createTimeSkippingEnv, uniqueTaskQueue } from '../../infra/testing/harness.ts';
import { startTestWorker, testActivities } from '../../infra/testing/activities.ts';
import { everythingTemporalHolds } from '../../infra/testing/history-scan.ts';
import { outboundFixture, type OutboundFixture } from '../../infra/testing/outbound.ts';
import { buyerRepliedSignal, decideUpdate, outboundEmailWorkflowId, outboundStatusQuery, type OutboundResult } from './messages.ts';
import { outboundEmailWorkflow } from './workflow.ts';

let env: TestWorkflowEnvironment;
let db: Database;
let worker: { stop(): Promise<void> } | undefined;
const taskQueue = uniqueTaskQueue('outbound-matrix');
const fixtures: Record<string, OutboundFixture> = {};
const startedIds: string[] = [];
const personalData: string[] = ['Edited by a human', 'Original text'];

beforeAll(async () => {
  env = await createTimeSkippingEnv();
  db = appDatabase('outbound-matrix');
  fixtures.require_approval = await outboundFixture(db, { policy: 'require_approval' });
  fixtures.auto_send_templates = await outboundFixture(db, { policy: 'auto_send_templates' });
  worker = await startTestWorker({ env, db, taskQueue });
});
afterAll(async () => {
  await worker?.stop();
  await db?.end();
  await env?.teardown();
});

type Outcome = 'approve' | 'edit' | 'reject' | 'sla_expiry' | 'reply' | 'suppressed' | 'paused' | 'none';
type Policy = 'require_approval' | 'auto_send_templates';

async function outboxFor(orgId: string, businessKey: string) {
  return db.asService((tx) => tx<{ bodyText: string; toAddress: string; headers: Record<string, string> }[]>`
    select body_text, to_address, headers from public.outbox where org_id = ${orgId} and idempotency_key = ${businessKey}`);
}

async function waitForStep(handle: { query: (q: typeof outboundStatusQuery) => Promise<{ step: string }> }, step: string) {
  for (let i = 0; i < 1200; i++) {
    if ((await handle.query(outboundStatusQuery)).step === step) return;
    await delay(50);
  }
  throw new Error(`never reached ${step}`);
}

async function run(policy: Policy, outcome: Outcome): Promise<{ result: OutboundResult; outbox: Awaited<ReturnType<typeof outboxFor>>; fixture: OutboundFixture }> {
  const fixture = fixtures[policy]!;
  const contact = await fixture.contact();
  personalData.push(contact.email);
  const { messageId, businessKey } = await fixture.draft({ contactId: contact.id, email: contact.email, bodyText: 'Original text' });
  startedIds.push(outboundEmailWorkflowId(fixture.org.orgId, businessKey));
  const orgId = fixture.org.orgId;
  const decidedBy = { memberId: fixture.org.members.rep, role: 'rep' as const };
  if (outcome === 'suppressed') await db.asService((tx) => tx`select app.suppress(${orgId}, ${contact.email}, 'unsubscribed', 'test')`);
  if (outcome === 'paused' && policy === 'require_approval') await db.asService((tx) => tx`update public.organisations set pause_all_sending = true where id = ${orgId}`);
  if (outcome === 'paused' && policy === 'auto_send_templates') await db.asService((tx) => tx`update public.mailboxes set paused = true, paused_reason = 'test' where id = ${fixture.mailboxId}`);
  if (outcome === 'reply' && policy === 'auto_send_templates') {
    await db.asService((tx) => tx`insert into public.activities ${tx({ orgId, kind: 'email', direction: 'inbound', occurredAt: new Date(Date.now() + 1000).toISOString(), contactId: contact.id })}`);
  }
  try {
    const handle = await env.client.workflow.start(outboundEmailWorkflow, { taskQueue, workflowId: outboundEmailWorkflowId(orgId, businessKey), args: [{ orgId, messageId }] });
    if (policy === 'require_approval' && outcome !== 'sla_expiry') {
      await waitForStep(handle, 'awaiting-approval');
      if (outcome === 'approve' || outcome === 'suppressed' || outcome === 'paused') await handle.executeUpdate(decideUpdate, { args: [{ decision: 'approve', decidedBy }] });
      if (outcome === 'edit') {
        const revisionId = await db.asService((tx) => outboundRepository.addRevision(tx, { orgId, messageId, kind: 'edit', subject: 'Edited subject', bodyText: 'Edited by a human', createdByMemberId: decidedBy.memberId }));
        await handle.executeUpdate(decideUpdate, { args: [{ decision: 'approve_with_edits', revisionId, decidedBy }] });
      }
      if (outcome === 'reject') await handle.executeUpdate(decideUpdate, { args: [{ decision: 'reject', decidedBy }] });
      if (outcome === 'reply') await handle.signal(buyerRepliedSignal, { eventId: 'evt-1' });
    }
    const result = await handle.result();
    return { result, outbox: await outboxFor(orgId, businessKey), fixture };
  } finally {
    await db.asService(async (tx) => {
      await tx`update public.organisations set pause_all_sending = false where id = ${orgId}`;
      await tx`update public.mailboxes set paused = false, paused_reason = null where id = ${fixture.mailboxId}`;
    });
  }
}

describe('outbound email: policy × outcome', () => {
  it.each([
    ['require_approval', 'approve', 'sent', 'Original text', []],
    ['require_approval', 'edit', 'sent', 'Edited by a human', []],
    ['require_approval', 'reject', 'rejected', null, ['rejected_by_approver']],
    ['require_approval', 'sla_expiry', 'expired', null, ['approval_sla_expired']],
    ['require_approval', 'reply', 'replied', null, ['buyer_replied']],
    ['require_approval', 'suppressed', 'blocked', null, ['suppressed']],
    ['require_approval', 'paused', 'blocked', null, ['org_paused']],
    ['auto_send_templates', 'none', 'sent', 'Original text', []],
    ['auto_send_templates', 'reply', 'blocked', null, ['replied_since_draft']],
    ['auto_send_templates', 'suppressed', 'blocked', null, ['suppressed']],
    ['auto_send_templates', 'paused', 'blocked', null, ['mailbox_paused']],
  ] as const)('%s × %s → %s', async (policy, outcome, expected, body, reasons) => {
    const { result, outbox } = await run(policy, outcome);
    expect(result.outcome).toBe(expected);
    expect(result.reasons).toEqual(reasons);
    if (body === null) {
      expect(outbox).toEqual([]);
    } else {
      expect(outbox).toHaveLength(1);
      expect(outbox[0]!.bodyText.startsWith(body)).toBe(true);
      // Footer: the organisation's postal address and the unsubscribe link; one-click headers.
      expect(outbox[0]!.bodyText).toContain('1 Main St');
      expect(outbox[0]!.headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
      expect(outbox[0]!.headers['List-Unsubscribe']).toMatch(/^<http:\/\/127\.0\.0\.1:3000\/u\/[^>]+>$/);
    }
  });

  it('an SLA expiry first reminds the owner, then escalates to a manager, then expires', async () => {
    const { fixture } = await run('require_approval', 'sla_expiry');
    const tasks = await db.asService((tx) => tx<{ title: string; ownerMemberId: string }[]>`
      select title, owner_member_id from public.tasks where org_id = ${fixture.org.orgId} and source = 'process' order by created_at`);
    expect(tasks.map((t) => [t.title.split(':')[0], t.ownerMemberId])).toEqual(
      expect.arrayContaining([
        ['Approve or reject a draft email before its deadline', fixture.org.members.rep],
        ['Escalated', fixture.org.members.manager],
      ]),
    );
  });

  it.each([
    ['skip', 'skipped'],
    ['expire', 'expired'],
  ] as const)('the organisation decides what an SLA expiry does: %s → %s, without escalation', async (onExpiry, outcome) => {
    const fixture = await outboundFixture(db, { policy: 'require_approval' });
    await db.asService((tx) => tx`update public.organisations set approval_sla = ${tx.json({ slaMinutes: 60, reminderBeforeMinutes: 0, onExpiry, escalationSlaMinutes: 60 })} where id = ${fixture.org.orgId}`);
    const contact = await fixture.contact();
    const { messageId, businessKey } = await fixture.draft({ contactId: contact.id, email: contact.email });
    const handle = await env.client.workflow.start(outboundEmailWorkflow, { taskQueue, workflowId: outboundEmailWorkflowId(fixture.org.orgId, businessKey), args: [{ orgId: fixture.org.orgId, messageId }] });
    await waitForStep(handle, 'awaiting-approval');
    const due = Date.parse((await handle.query(outboundStatusQuery)).nextActionAt!);
    const result = await handle.result();
    expect(result).toMatchObject({ outcome, reasons: ['approval_sla_expired'] });
    expect(await outboxFor(fixture.org.orgId, businessKey)).toEqual([]);
    expect(await db.asService((tx) => tx`select count(*)::int as n from public.tasks where org_id = ${fixture.org.orgId} and source = 'process'`)).toEqual([{ n: 0 }]);
    expect(due - (await env.currentTimeMs())).toBeLessThanOrEqual(0);
  });

  it('an AI draft needs approval even where templates auto-send', async () => {
    const fixture = fixtures.auto_send_templates!;
    const contact = await fixture.contact();
    const { messageId, businessKey } = await fixture.draft({ contactId: contact.id, email: contact.email, origin: 'ai' });
    const handle = await env.client.workflow.start(outboundEmailWorkflow, { taskQueue, workflowId: outboundEmailWorkflowId(fixture.org.orgId, businessKey), args: [{ orgId: fixture.org.orgId, messageId }] });
    await waitForStep(handle, 'awaiting-approval');
    expect((await handle.query(outboundStatusQuery)).reasons).toEqual(['ai_draft']);
    await handle.terminate('test done');
  });

  it('the update refuses a bad decision, or one from someone who may not decide, before it reaches history', async () => {
    const fixture = fixtures.require_approval!;
    const contact = await fixture.contact();
    const { messageId, businessKey } = await fixture.draft({ contactId: contact.id, email: contact.email });
    const handle = await env.client.workflow.start(outboundEmailWorkflow, { taskQueue, workflowId: outboundEmailWorkflowId(fixture.org.orgId, businessKey), args: [{ orgId: fixture.org.orgId, messageId }] });
    await waitForStep(handle, 'awaiting-approval');
    // Another rep (not the mailbox owner) may not decide.
    await expect(handle.executeUpdate(decideUpdate, { args: [{ decision: 'approve', decidedBy: { memberId: fixture.org.members.admin.replace(/.$/, '0'), role: 'rep' } }] })).rejects.toMatchObject({ cause: { message: expect.stringMatching(/may not decide/) } });
    await expect(handle.executeUpdate(decideUpdate, { args: [{ decision: 'approve_with_edits', subject: 'inline text', bodyText: 'x', decidedBy: { memberId: fixture.org.members.rep, role: 'rep' } }] as never })).rejects.toThrow();
    const { events } = await handle.fetchHistory();
    expect((events ?? []).filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes)).toHaveLength(0);
    // A manager may.
    await handle.executeUpdate(decideUpdate, { args: [{ decision: 'approve', decidedBy: { memberId: fixture.org.members.manager, role: 'manager' } }] });
    expect((await handle.result()).outcome).toBe('sent');
  });

  it('no recipient address or email text appears in any of these workflows\' histories or search attributes (ADR-0007)', async () => {
    expect(startedIds.length).toBeGreaterThanOrEqual(11);
    for (const id of startedIds) {
      const held = await everythingTemporalHolds(env.client, id);
      for (const personal of personalData) expect([id, personal, held.includes(personal)]).toEqual([id, personal, false]);
    }
  });

  it('the send activity refuses a send whose required approval was never decided', async () => {
    const fixture = fixtures.require_approval!;
    const contact = await fixture.contact();
    const { messageId, businessKey } = await fixture.draft({ contactId: contact.id, email: contact.email });
    const acts = testActivities(db);
    await new MockActivityEnvironment().run(acts.prepareOutbound, { orgId: fixture.org.orgId, messageId, nowMs: Date.now() });
    const result = await new MockActivityEnvironment().run(acts.sendEmail, { orgId: fixture.org.orgId, messageId, nowMs: Date.now() });
    expect(result).toEqual({ outcome: 'blocked', reasons: ['approval_missing'], providerMessageId: null });
    expect(await outboxFor(fixture.org.orgId, businessKey)).toEqual([]);
  });
});
