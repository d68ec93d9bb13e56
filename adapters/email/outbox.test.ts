// The offline outbox on the run's real Postgres, written as the worker writes (service role).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProviderRejectedError } from '../../domain/errors.ts';
import { appDatabase, seedOrganisation, type SeededOrg } from '../../infra/testing/database.ts';
import type { Database } from '../db/session.ts';
import { createEmailSender } from './index.ts';
import type { EmailSender, OutgoingEmail } from './port.ts';

let db: Database;
let org: SeededOrg;
let other: SeededOrg;
let sender: EmailSender;
beforeAll(async () => {
  db = appDatabase('email-outbox');
  org = await seedOrganisation(db, 'Outbox Co');
  other = await seedOrganisation(db, 'Outbox Other Co');
  sender = createEmailSender({ provider: 'outbox', db });
});
afterAll(async () => db?.end());

const email = (over: Partial<OutgoingEmail> = {}): OutgoingEmail => ({
  orgId: org.orgId,
  idempotencyKey: `follow-up/step-2/${randomUUID()}`,
  from: { name: 'Ada Lovelace', address: 'ada@sales.example' },
  to: 'priya@customer.example',
  replyTo: 'ada+replies@sales.example',
  subject: 'Pilot next steps',
  text: 'Hi Priya,\n\nShall we book the pilot kickoff?\n\nAda',
  headers: { 'In-Reply-To': '<first@sales.example>', 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
  tags: { org: org.orgId, process: 'follow-up', step: 'step-2' },
  ...over,
});

const rows = (orgId: string, key: string) =>
  db.asService((tx) => tx`select * from public.outbox where org_id = ${orgId} and idempotency_key = ${key}`);

describe('outbox email sender (NOT SENT: stored in public.outbox)', () => {
  it('stores the email and returns outbox ids and a generated Message-ID', async () => {
    const sent = email();
    const accepted = await sender.send(sent);

    expect(sender.provider).toBe('outbox');
    const [row, ...more] = await rows(org.orgId, sent.idempotencyKey);
    expect(more).toHaveLength(0);
    expect(accepted).toEqual({ provider: 'outbox', providerMessageId: `outbox_${row!.id}`, rfcMessageId: row!.rfcMessageId });
    expect(accepted.rfcMessageId).toMatch(/^<[0-9a-f-]{36}@outbox\.closeloop\.invalid>$/);
    expect(row).toMatchObject({
      fromHeader: 'Ada Lovelace <ada@sales.example>',
      toAddress: 'priya@customer.example',
      replyTo: 'ada+replies@sales.example',
      subject: 'Pilot next steps',
      bodyText: sent.text,
      headers: sent.headers,
      tags: [
        { name: 'org', value: org.orgId },
        { name: 'process', value: 'follow-up' },
        { name: 'step', value: 'step-2' },
      ],
    });
  });

  it('returns the same ids for a repeated key and stores one row, also when the sends race', async () => {
    const sent = email({ replyTo: null });
    const first = await sender.send(sent);
    const again = await sender.send({ ...sent, headers: { 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click', 'In-Reply-To': '<first@sales.example>' } });
    expect(again).toEqual(first);

    const raced = email();
    const results = await Promise.all([sender.send(raced), sender.send(raced), sender.send(raced)]);
    expect(new Set(results.map((r) => r.providerMessageId)).size).toBe(1);
    expect(new Set(results.map((r) => r.rfcMessageId)).size).toBe(1);

    expect(await rows(org.orgId, sent.idempotencyKey)).toHaveLength(1);
    expect(await rows(org.orgId, raced.idempotencyKey)).toHaveLength(1);
  });

  it('refuses a repeated key with a different payload, as Resend does', async () => {
    const sent = email();
    await sender.send(sent);
    await expect(sender.send({ ...sent, text: 'Another body' })).rejects.toBeInstanceOf(ProviderRejectedError);
    await expect(sender.send({ ...sent, tags: { ...sent.tags, step: 'step-3' } })).rejects.toBeInstanceOf(ProviderRejectedError);
    expect(await rows(org.orgId, sent.idempotencyKey)).toHaveLength(1);
  });

  it('keeps the same key apart in two organisations', async () => {
    const key = `follow-up/step-1/${randomUUID()}`;
    const a = await sender.send(email({ idempotencyKey: key }));
    const b = await sender.send(email({ idempotencyKey: key, orgId: other.orgId }));
    expect(b.providerMessageId).not.toBe(a.providerMessageId);
    expect(await rows(org.orgId, key)).toHaveLength(1);
    expect(await rows(other.orgId, key)).toHaveLength(1);
  });

  it('does not check domains: every domain counts as verified', async () => {
    expect(await sender.domainStatus('anything.example')).toBe('verified');
  });
});
