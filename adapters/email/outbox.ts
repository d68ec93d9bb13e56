// The offline adapter of the embedded default. NOT SENT: it stores each email in public.outbox instead of sending
// it, so a local run can show what would have gone out. It dedupes on the idempotency key the way Resend does.
import { randomUUID } from 'node:crypto';
import { ProviderRejectedError } from '../../domain/errors.ts';
import type { Database } from '../db/session.ts';
import { checkOutgoingEmail, formatFrom, type AcceptedEmail, type EmailSender, type OutgoingEmail } from './port.ts';

interface OutboxRow {
  id: string;
  rfcMessageId: string;
}

export function createOutboxEmailSender(options: { db: Database }): EmailSender {
  const { db } = options;

  return {
    provider: 'outbox',

    async send(email: OutgoingEmail): Promise<AcceptedEmail> {
      checkOutgoingEmail(email);
      const fromHeader = formatFrom(email.from);
      const tags = Object.entries(email.tags).map(([name, value]) => ({ name, value }));
      const row = await db.asService(async (tx) => {
        const [inserted] = await tx<OutboxRow[]>`
          insert into public.outbox ${tx({
            orgId: email.orgId,
            idempotencyKey: email.idempotencyKey,
            fromHeader,
            toAddress: email.to,
            replyTo: email.replyTo,
            subject: email.subject,
            bodyText: email.text,
            headers: tx.json(email.headers),
            tags: tx.json(tags),
            // Generated once, on the insert that wins; a repeated key returns the stored one.
            rfcMessageId: `<${randomUUID()}@outbox.closeloop.invalid>`,
          })}
          on conflict (org_id, idempotency_key) do nothing
          returning id, rfc_message_id`;
        if (inserted) return inserted;

        // Compared in SQL: jsonb equality ignores key order, and reading jsonb back would camelCase its keys.
        const [existing] = await tx<(OutboxRow & { samePayload: boolean })[]>`
          select id, rfc_message_id,
            (from_header = ${fromHeader} and to_address = ${email.to} and reply_to is not distinct from ${email.replyTo}
              and subject = ${email.subject} and body_text = ${email.text}
              and headers = ${tx.json(email.headers)} and tags = ${tx.json(tags)}) as same_payload
          from public.outbox
          where org_id = ${email.orgId} and idempotency_key = ${email.idempotencyKey}`;
        if (!existing) throw new Error(`Outbox: no row for ${email.idempotencyKey} after a conflicting insert`);
        // Like Resend's 409 invalid_idempotent_request: a key reused with another payload is a bug, not a retry.
        if (!existing.samePayload) {
          throw new ProviderRejectedError(`Outbox: idempotency key ${email.idempotencyKey} was already used with a different payload`);
        }
        return existing;
      });
      return { provider: 'outbox', providerMessageId: `outbox_${row.id}`, rfcMessageId: row.rfcMessageId };
    },

    // The offline outbox sends nothing, so it does not check domains: every domain counts as verified.
    async domainStatus(): Promise<'verified'> {
      return 'verified';
    },
  };
}
