// Capacity shared by every process: 300 sends on one mailbox capped at 100 per rolling 24 h go out 100 / 100 / 100
// over three days, and a waiting send says so. Time-skipping server; slot instants come from workflow time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { Database } from '../../adapters/db/session.ts';
import { appDatabase } from '../../infra/testing/database.ts';
import { createTimeSkippingEnv, testResources, uniqueTaskQueue } from '../../infra/testing/harness.ts';
import { testActivities } from '../../infra/testing/activities.ts';
import { outboundFixture } from '../../infra/testing/outbound.ts';
import { outboundEmailWorkflowId, outboundStatusQuery } from './messages.ts';
import { outboundEmailWorkflow } from './workflow.ts';

let env: TestWorkflowEnvironment;
let db: Database;
beforeAll(async () => {
  env = await createTimeSkippingEnv();
  db = appDatabase('outbound-capacity');
});
afterAll(async () => {
  await db?.end();
  await env?.teardown();
});

const DAY = 24 * 3600 * 1000;

describe('sending capacity', () => {
  it('300 sends, cap 100 per rolling 24 h: exactly 100 / 100 / 100 over three days', { timeout: 300_000 }, async () => {
    const fixture = await outboundFixture(db, { policy: 'auto_send_templates', dailyCap: 100, perMinuteCap: 600, perRecipientDomainDailyCap: 1000 });
    const orgId = fixture.org.orgId;
    const drafts: Array<{ messageId: string; businessKey: string }> = [];
    for (let i = 0; i < 300; i++) {
      const contact = await fixture.contact(`buyer${i}@buyer${i % 7}.example`);
      drafts.push(await fixture.draft({ contactId: contact.id, email: contact.email }));
    }
    const taskQueue = uniqueTaskQueue('capacity');
    const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: testResources().workflowBundle, activities: testActivities(db), maxConcurrentActivityTaskExecutions: 20 });
    const startMs = await env.currentTimeMs();
    await worker.runUntil(async () => {
      const handles = [];
      for (const d of drafts) handles.push(await env.client.workflow.start(outboundEmailWorkflow, { taskQueue, workflowId: outboundEmailWorkflowId(orgId, d.businessKey), args: [{ orgId, messageId: d.messageId }] }));

      // Once every send holds a slot, the third day's sends are waiting, and say so. (Queries do not skip time.)
      for (let i = 0; i < 1200; i++) {
        const [{ n }] = (await db.asService((tx) => tx`select count(*)::int as n from public.send_slots where org_id = ${orgId}`)) as unknown as [{ n: number }];
        if (n === 300) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const [third] = await db.asService((tx) => tx<{ businessKey: string }[]>`
        select business_key from public.send_slots where org_id = ${orgId} order by slot_at desc limit 1`);
      const status = await env.client.workflow.getHandle(outboundEmailWorkflowId(orgId, third!.businessKey)).query(outboundStatusQuery);
      expect(status.step).toBe('waiting-for-capacity');
      expect(status.reasons).toEqual(['mailbox_capacity']);
      expect(Date.parse(status.nextActionAt!) - startMs).toBeGreaterThanOrEqual(2 * DAY);

      // One result at a time: the test server's time-skipping lock does not survive hundreds of concurrent waits.
      const results = [];
      for (const h of handles) results.push(await h.result());
      expect(results.every((r) => r.outcome === 'sent')).toBe(true);
    });

    const sent = await db.asService((tx) => tx<{ acceptedAt: string; slotAt: string }[]>`
      select l.accepted_at, s.slot_at from public.send_ledger l join public.send_slots s using (org_id, business_key)
      where l.org_id = ${orgId} and l.state = 'accepted' order by l.accepted_at`);
    expect(sent).toHaveLength(300);
    const perDay = [0, 0, 0, 0];
    for (const s of sent) perDay[Math.floor((Date.parse(s.acceptedAt) - startMs) / DAY)]! += 1;
    expect(perDay).toEqual([100, 100, 100, 0]);
    // Caps hold on the reserved slots (no rolling 24 h window over 100), and each send went out at its slot.
    const slots = sent.map((s) => Date.parse(s.slotAt));
    for (const t of slots) expect(slots.filter((u) => u > t - DAY && u <= t).length).toBeLessThanOrEqual(100);
    for (const s of sent) expect(Date.parse(s.acceptedAt) - Date.parse(s.slotAt)).toBeGreaterThanOrEqual(0);
    for (const s of sent) expect(Date.parse(s.acceptedAt) - Date.parse(s.slotAt)).toBeLessThanOrEqual(60_000);
    expect(await db.asService((tx) => tx`select count(*)::int as n from public.outbox where org_id = ${orgId} and idempotency_key not like 'seed:%'`)).toEqual([{ n: 300 }]);
  });
});
