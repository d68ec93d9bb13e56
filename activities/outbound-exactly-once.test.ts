// Exactly once, against the real Resend SDK and a local fake of its API that honours Idempotency-Key:
// a crash between the provider's acceptance and the ledger update, then a retry, gives one accepted email;
// a stale reservation is surfaced to a person and never re-sent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MockActivityEnvironment } from '@temporalio/testing';
import type { Database } from '../adapters/db/session.ts';
import { createResendEmailSender } from '../adapters/email/resend.ts';
import { startFakeResendServer, type FakeResendServer } from '../adapters/email/fake-resend-server.ts';
import { StaleReservationError } from '../domain/errors.ts';
import { testActivities } from '../infra/testing/activities.ts';
import { appDatabase } from '../infra/testing/database.ts';
import { outboundFixture, type OutboundFixture } from '../infra/testing/outbound.ts';

let db: Database;
let resend: FakeResendServer;
let fixture: OutboundFixture;
beforeAll(async () => {
  db = appDatabase('exactly-once');
  resend = await startFakeResendServer();
  fixture = await outboundFixture(db, { policy: 'auto_send_templates' });
});
afterAll(async () => {
  await resend?.close();
  await db?.end();
});

/** Runs an activity in a mock activity context, keeping its types. */
function run<I, R>(fn: (input: I) => Promise<R>, input: I, attempt = 1): Promise<R> {
  return new MockActivityEnvironment({ attempt }).run<[I], R, (input: I) => Promise<R>>(fn, input);
}

const email = () => createResendEmailSender({ apiKey: 're_test_key', baseUrl: resend.url });

describe('send activity: exactly once', () => {
  it('crash after the provider accepted, then a retry: one ledger row, one accepted email', async () => {
    const contact = await fixture.contact();
    const { messageId, businessKey } = await fixture.draft({ contactId: contact.id, email: contact.email });
    const orgId = fixture.org.orgId;
    let crashes = 1;
    const crashing = testActivities(db, {
      email: email(),
      outboundHooks: {
        afterProviderAccepted: () => {
          if (crashes-- > 0) throw new Error('worker died after the provider accepted the email');
        },
      },
    });
    await run(crashing.prepareOutbound, { orgId, messageId, nowMs: Date.now() });
    await run(crashing.reserveSendSlot, { orgId, messageId, nowMs: Date.now() });
    await expect(run(crashing.sendEmail, { orgId, messageId, nowMs: Date.now() })).rejects.toThrow(/worker died/);
    expect(await db.asService((tx) => tx`select state from public.send_ledger where business_key = ${businessKey}`)).toEqual([{ state: 'reserved' }]);

    // Temporal retries the activity (same input); a third attempt after success is a no-op.
    const first = await run(crashing.sendEmail, { orgId, messageId, nowMs: Date.now() }, 2);
    const again = await run(crashing.sendEmail, { orgId, messageId, nowMs: Date.now() }, 3);
    expect(first).toMatchObject({ outcome: 'sent' });
    expect(again).toEqual(first);

    const ledger = await db.asService((tx) => tx`select state, provider, provider_message_id from public.send_ledger where org_id = ${orgId} and business_key = ${businessKey}`);
    expect(ledger).toEqual([{ state: 'accepted', provider: 'resend', providerMessageId: first.providerMessageId }]);
    const accepted = resend.acceptedEmails().filter((e) => e.idempotencyKey === businessKey);
    expect(accepted).toHaveLength(1);
    // Two calls reached the provider (the crashed one and the retry); it accepted one email.
    expect(resend.requests().filter((r) => r.method === 'POST' && r.headers['idempotency-key'] === businessKey)).toHaveLength(2);
  });

  it('a stale, unconfirmed reservation is surfaced to a person, not re-sent', async () => {
    const contact = await fixture.contact();
    const { messageId, businessKey } = await fixture.draft({ contactId: contact.id, email: contact.email });
    const orgId = fixture.org.orgId;
    const acts = testActivities(db, { email: email() });
    await run(acts.prepareOutbound, { orgId, messageId, nowMs: Date.now() });
    await db.asService((tx) => tx`insert into public.send_ledger ${tx({ orgId, businessKey, messageId, mailboxId: fixture.mailboxId, state: 'reserved', provider: 'resend', reservedAt: new Date(Date.now() - 21 * 3600_000).toISOString() })}`);
    const before = resend.requests().length;
    await expect(run(acts.sendEmail, { orgId, messageId, nowMs: Date.now() })).rejects.toBeInstanceOf(StaleReservationError);
    expect(resend.requests().length).toBe(before);
    expect(await db.asService((tx) => tx`select state from public.send_ledger where business_key = ${businessKey}`)).toEqual([{ state: 'stale' }]);
    expect(await db.asService((tx) => tx`select status from public.outbound_messages where id = ${messageId}`)).toEqual([{ status: 'needs_attention' }]);
    const tasks = await db.asService((tx) => tx`select title from public.tasks where org_id = ${orgId} and source_ref = ${`send:${businessKey}`}`);
    expect(tasks).toEqual([{ title: 'Check whether an email went out: its send was never confirmed' }]);
  });

  it('a mailbox whose sending domain the provider does not report verified may not send', async () => {
    const other = await outboundFixture(db, { policy: 'auto_send_templates' });
    const [mailbox] = await db.asService((tx) => tx<{ sendingDomain: string }[]>`
      update public.mailboxes set domain_status = 'unverified', domain_checked_at = null where id = ${other.mailboxId} returning sending_domain`);
    resend.setDomains([{ name: mailbox!.sendingDomain, status: 'failed' }]);
    const acts = testActivities(db, { email: email() });
    const contact = await other.contact();
    const { messageId } = await other.draft({ contactId: contact.id, email: contact.email });
    await run(acts.prepareOutbound, { orgId: other.org.orgId, messageId, nowMs: Date.now() });
    expect(await db.asService((tx) => tx`select domain_status from public.mailboxes where id = ${other.mailboxId}`)).toEqual([{ domainStatus: 'failed' }]);
    expect(await run(acts.sendEmail, { orgId: other.org.orgId, messageId, nowMs: Date.now() })).toMatchObject({ outcome: 'blocked', reasons: ['domain_not_verified'] });
    resend.setDomains([{ name: mailbox!.sendingDomain, status: 'verified' }]);
    await db.asService((tx) => tx`update public.mailboxes set domain_checked_at = null where id = ${other.mailboxId}`);
    await run(acts.prepareOutbound, { orgId: other.org.orgId, messageId, nowMs: Date.now() });
    expect(await run(acts.sendEmail, { orgId: other.org.orgId, messageId, nowMs: Date.now() })).toMatchObject({ outcome: 'sent' });
    resend.reset(); // back to a fake that accepts any sending domain
  });

  it('bounces over the threshold pause the mailbox, with the rule as the reason', async () => {
    const acts = testActivities(db, { email: email() });
    const orgId = fixture.org.orgId;
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) {
      const contact = await fixture.contact();
      const { messageId } = await fixture.draft({ contactId: contact.id, email: contact.email });
      await run(acts.prepareOutbound, { orgId, messageId, nowMs: Date.now() });
      const sent = await run(acts.sendEmail, { orgId, messageId, nowMs: Date.now() });
      ids.push(sent.providerMessageId!);
    }
    expect(await run(acts.recordDeliveryEvent, { orgId, providerMessageId: ids[0]!, state: 'bounced' })).toEqual({ paused: false });
    const tripped = await run(acts.recordDeliveryEvent, { orgId, providerMessageId: ids[1]!, state: 'bounced' });
    expect(tripped).toMatchObject({ paused: true, reason: expect.stringContaining('bounced') });
    const [mailbox] = await db.asService((tx) => tx`select paused, paused_reason from public.mailboxes where id = ${fixture.mailboxId}`);
    expect(mailbox).toMatchObject({ paused: true, pausedReason: expect.stringContaining('5%') });
  });

  it("the organisation's own caps hold across its mailboxes: with 2 a minute, the third reservation waits a minute", async () => {
    const capped = await outboundFixture(db, { policy: 'auto_send_templates', orgPerMinuteCap: 2 });
    const second = await db.asService(async (tx) => {
      await tx`delete from public.send_slots where org_id = ${capped.org.orgId}`; // the seeded example slot
      const [m] = await tx<{ id: string }[]>`insert into public.mailboxes ${tx({ orgId: capped.org.orgId, memberId: capped.org.members.manager, fromAddress: `max@${capped.org.orgId.slice(0, 8)}.sender.example`, fromName: 'Max', domainStatus: 'verified', domainCheckedAt: new Date().toISOString(), dailyCap: 100, perMinuteCap: 100 })} returning id`;
      return m!.id;
    });
    const acts = testActivities(db);
    const nowMs = Date.now();
    const slots: number[] = [];
    for (const mailboxId of [capped.mailboxId, second, capped.mailboxId]) {
      const contact = await capped.contact();
      const { messageId } = await capped.draft({ contactId: contact.id, email: contact.email });
      await db.asService((tx) => tx`update public.outbound_messages set mailbox_id = ${mailboxId} where id = ${messageId}`);
      slots.push((await run(acts.reserveSendSlot, { orgId: capped.org.orgId, messageId, nowMs })).slotAtMs);
    }
    expect(slots.map((s) => s - nowMs)).toEqual([0, 0, 60_000]);
  });
});
