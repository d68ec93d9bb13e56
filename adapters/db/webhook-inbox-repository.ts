// The webhook inbox as a work queue (SQL only; the rules live in worker/inbox-dispatcher.ts), and the signing
// secrets per organisation and source.
import type { Tx } from './client.ts';

export interface InboxRow {
  id: string;
  orgId: string;
  provider: string;
  eventId: string;
  receivedAt: string;
  body: string;
  attempts: number;
}

/** How long a replaced secret keeps verifying: senders switch within this time. */
export const SECRET_OVERLAP_HOURS = 24;

export const webhookInboxRepository = {
  /** Secrets that verify now: the newest, and during a rotation the one it replaces. */
  async validSecrets(tx: Tx, orgId: string, source: 'resend' | 'closeloop'): Promise<string[]> {
    const rows = await tx<{ secret: string }[]>`
      select secret from public.webhook_secrets where org_id = ${orgId} and source = ${source} and (expires_at is null or expires_at > now())
      order by created_at desc limit 2`;
    return rows.map((r) => r.secret);
  },

  /** A new secret; the previous one stays valid for the overlap, any older one stops now. */
  async addSecret(tx: Tx, s: { orgId: string; source: 'resend' | 'closeloop'; secret: string; createdByMemberId: string | null }) {
    await tx`select 1 from public.organisations where id = ${s.orgId} for update`; // one rotation at a time
    await tx`update public.webhook_secrets set expires_at = now() where org_id = ${s.orgId} and source = ${s.source} and expires_at is not null and expires_at > now()`;
    await tx`update public.webhook_secrets set expires_at = now() + make_interval(hours => ${SECRET_OVERLAP_HOURS}) where org_id = ${s.orgId} and source = ${s.source} and expires_at is null`;
    const [row] = await tx<{ id: string; createdAt: string }[]>`insert into public.webhook_secrets ${tx(s)} returning id, created_at`;
    return row!;
  },

  /** Stores a verified delivery once per (organisation, provider, event id). */
  async receive(tx: Tx, d: { orgId: string; provider: string; eventId: string; headers: Record<string, string>; body: string }) {
    const [inserted] = await tx<{ id: string }[]>`
      insert into public.webhook_inbox ${tx({ orgId: d.orgId, provider: d.provider, eventId: d.eventId, headers: tx.json(d.headers), body: d.body })}
      on conflict (org_id, provider, event_id) do nothing returning id`;
    if (inserted) return { id: inserted.id, duplicate: false };
    const [existing] = await tx<{ id: string }[]>`select id from public.webhook_inbox where org_id = ${d.orgId} and provider = ${d.provider} and event_id = ${d.eventId}`;
    return { id: existing!.id, duplicate: true };
  },

  /** Takes up to `limit` due rows for `leaseMs`; a row whose lease ran out (its dispatcher died) is due again. */
  async claim(tx: Tx, limit: number, leaseMs: number, orgIds?: string[]): Promise<InboxRow[]> {
    return tx<InboxRow[]>`
      update public.webhook_inbox set locked_until = now() + make_interval(secs => ${leaseMs / 1000}), attempts = attempts + 1
      where id in (
        select id from public.webhook_inbox
        where status = 'received' and next_attempt_at <= now() and (locked_until is null or locked_until < now())
          ${orgIds ? tx`and org_id = any(${orgIds}::uuid[])` : tx``}
        order by received_at limit ${limit} for update skip locked)
      returning id, org_id, provider, event_id, received_at, body, attempts`;
  },

  async markProcessed(tx: Tx, id: string, outcome: string) {
    await tx`update public.webhook_inbox set status = 'processed', status_reason = ${outcome}, processed_at = now(), locked_until = null, last_error = null where id = ${id}`;
  },

  async park(tx: Tx, id: string, reason: string) {
    await tx`update public.webhook_inbox set status = 'parked', status_reason = ${reason.slice(0, 2000)}, locked_until = null where id = ${id}`;
  },

  async retryLater(tx: Tx, id: string, error: string, delayMs: number) {
    await tx`update public.webhook_inbox set locked_until = null, last_error = ${error.slice(0, 2000)},
      next_attempt_at = now() + make_interval(secs => ${delayMs / 1000}) where id = ${id}`;
  },

  /** An admin's replay of a parked delivery (after a fix): due now, attempts counted afresh. */
  async replay(tx: Tx, id: string): Promise<boolean> {
    const rows = await tx`update public.webhook_inbox set status = 'received', attempts = 0, next_attempt_at = now(), locked_until = null, last_error = null
      where id = ${id} and status = 'parked' returning id`;
    return rows.length > 0;
  },
};
