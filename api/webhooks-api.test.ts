// Receiving webhooks: verified on the raw body, stored once per event id, 401 for anything unsigned, stale or
// signed with another secret (and nothing stored), 400 for a signed but malformed Closeloop hook, no 5xx under a
// mixed load; secrets rotate with two valid at once and are never shown again.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../adapters/db/session.ts';
import { signCloseloopHook } from '../adapters/webhooks/signatures.ts';
import { testApp, tokenFor } from '../infra/testing/api.ts';
import { appDatabase, seedOrganisation, type SeededOrg } from '../infra/testing/database.ts';
import { closeloopHookDelivery, newResendSecret, resendDelivery, resendEmailEvent, type SignedDelivery } from '../infra/testing/webhooks.ts';

let app: FastifyInstance;
let db: Database;
let org: SeededOrg;
let hookSecret: string;
const resendSecret = newResendSecret();

const as = async (who: 'rep' | 'admin') => ({ authorization: `Bearer ${await tokenFor(org.users[who])}` });
const post = (url: string, d: SignedDelivery) => app.inject({ method: 'POST', url, headers: d.headers, payload: d.body });
const resendUrl = () => `/v1/hooks/resend/${org.orgId}`;
const hookUrl = () => `/v1/hooks/closeloop/${org.orgId}`;
const inboxCount = async () => (await db.asService((tx) => tx<{ n: number }[]>`select count(*)::int as n from public.webhook_inbox where org_id = ${org.orgId} and provider <> 'test'`))[0]!.n;
const reply = (id = randomUUID()) => ({ id, type: 'reply.received', occurredAt: new Date().toISOString(), data: { from: 'buyer@customer.example', subject: 'Re: Hello', text: 'Sounds good, call me.' } });

beforeAll(async () => {
  db = appDatabase('webhooks-api');
  org = await seedOrganisation(db, `Hooks ${randomUUID().slice(0, 6)}`);
  app = await testApp();
  const created = await app.inject({ method: 'POST', url: '/v1/webhook-secrets', headers: await as('admin'), payload: { source: 'closeloop' } });
  expect(created.statusCode).toBe(201);
  hookSecret = created.json().secret;
  expect((await app.inject({ method: 'POST', url: '/v1/webhook-secrets', headers: await as('admin'), payload: { source: 'resend', secret: resendSecret } })).json().secret).toBeNull();
});
afterAll(async () => {
  await app?.close();
  await db?.end();
});

describe('receiving webhooks', () => {
  it('the same delivery posted three times is stored once', async () => {
    const before = await inboxCount();
    const delivery = resendDelivery(resendSecret, resendEmailEvent('email.delivered', 'em_1', 'buyer@customer.example'));
    const answers = [await post(resendUrl(), delivery), await post(resendUrl(), delivery), await post(resendUrl(), delivery)];
    expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 200]);
    expect(answers.map((a) => a.json().duplicate)).toEqual([false, true, true]);
    expect(new Set(answers.map((a) => a.json().id)).size).toBe(1);
    const hook = closeloopHookDelivery(hookSecret, reply());
    expect([(await post(hookUrl(), hook)).json().duplicate, (await post(hookUrl(), hook)).json().duplicate, (await post(hookUrl(), hook)).json().duplicate]).toEqual([false, true, true]);
    expect(await inboxCount()).toBe(before + 2);
    const [row] = await db.asService((tx) => tx<{ provider: string; headers: Record<string, string>; body: string; status: string }[]>`
      select provider, headers, body, status from public.webhook_inbox where org_id = ${org.orgId} and event_id = ${delivery.headers['svix-id']!}`);
    expect(row).toMatchObject({ provider: 'resend', body: delivery.body });
    expect(Object.keys(row!.headers).sort()).toEqual(['content-type', 'svix-id', 'svix-timestamp', 'user-agent']);
  });

  it('a tampered body, a wrong secret, a stale timestamp, missing headers and an unknown organisation get 401 and change nothing', async () => {
    const before = await inboxCount();
    const good = resendDelivery(resendSecret, resendEmailEvent('email.bounced', 'em_2', 'x@customer.example', { bounce: { type: 'Permanent', subType: 'General', message: 'no such user' } }));
    const hook = closeloopHookDelivery(hookSecret, reply());
    const refused = [
      await post(resendUrl(), { ...good, body: good.body.replace('em_2', 'em_3') }),
      await post(resendUrl(), resendDelivery(newResendSecret(), JSON.parse(good.body))),
      await post(resendUrl(), resendDelivery(resendSecret, JSON.parse(good.body), { atMs: Date.now() - 6 * 60_000 })),
      await post(resendUrl(), { ...good, headers: { 'content-type': 'application/json', 'svix-id': good.headers['svix-id']! } }),
      await post(`/v1/hooks/resend/${randomUUID()}`, good),
      await post(hookUrl(), { ...hook, body: hook.body.replace('call me', 'do not call me') }),
      await post(hookUrl(), closeloopHookDelivery(`clwh_${'x'.repeat(43)}`, reply())),
      await post(hookUrl(), closeloopHookDelivery(hookSecret, reply(), { atMs: Date.now() + 10 * 60_000 })),
    ];
    expect(refused.map((r) => r.statusCode)).toEqual([401, 401, 401, 401, 401, 401, 401, 401]);
    expect(refused.every((r) => r.headers['content-type']?.includes('application/problem+json'))).toBe(true);
    expect(refused[2]!.json().detail).toContain('±5 minutes');
    expect(await inboxCount()).toBe(before);
  });

  it('a signed Closeloop hook with a malformed payload gets 400 naming the fields, and nothing is stored', async () => {
    const before = await inboxCount();
    const bad = await post(hookUrl(), closeloopHookDelivery(hookSecret, { id: 'm-1', type: 'meeting.booked', occurredAt: 'yesterday', data: { attendeeEmail: 'not-an-address' } }));
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['body.occurredAt', 'body.data.attendeeEmail', 'body.data.startsAt']));
    const ts = Math.floor(Date.now() / 1000);
    const notJson = await post(hookUrl(), { headers: { 'content-type': 'application/json', 'closeloop-timestamp': String(ts), 'closeloop-signature': signCloseloopHook(hookSecret, ts, 'not json') }, body: 'not json' });
    expect(notJson.statusCode).toBe(400);
    expect(notJson.json().detail).toBe('The body is not JSON');
    expect(await inboxCount()).toBe(before);
  });

  it('a body over 1 MiB gets 413 and is not stored', async () => {
    const before = await inboxCount();
    const big = closeloopHookDelivery(hookSecret, { ...reply(), data: { from: 'buyer@customer.example', text: 'x'.repeat(1024 * 1024) } });
    const res = await post(hookUrl(), big);
    expect(res.statusCode).toBe(413);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(await inboxCount()).toBe(before);
  });

  it('no 5xx under a mixed load of valid, duplicate and invalid deliveries; each valid one stored once', async () => {
    const before = await inboxCount();
    const valid = Array.from({ length: 60 }, () => closeloopHookDelivery(hookSecret, reply()));
    const deliveries: Array<[string, SignedDelivery]> = [];
    for (const [i, d] of valid.entries()) {
      deliveries.push([hookUrl(), d], [hookUrl(), d]); // each twice
      if (i % 3 === 0) deliveries.push([hookUrl(), { ...d, body: `${d.body} ` }]);
      if (i % 3 === 1) deliveries.push([resendUrl(), resendDelivery(newResendSecret(), resendEmailEvent('email.opened', `em_${i}`, 'a@b.example'))]);
      if (i % 3 === 2) deliveries.push([hookUrl(), { headers: { 'content-type': 'application/json' }, body: '{' }]);
    }
    const answers = await Promise.all(deliveries.map(([url, d]) => post(url, d)));
    const statuses = answers.map((a) => a.statusCode);
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    expect(new Set(statuses)).toEqual(new Set([200, 401]));
    expect(await inboxCount()).toBe(before + valid.length);
  });

  it('rotation: the replaced secret verifies until the next rotation; values are never listed; reps may not see secrets or the inbox', async () => {
    const first = hookSecret;
    const second = (await app.inject({ method: 'POST', url: '/v1/webhook-secrets', headers: await as('admin'), payload: { source: 'closeloop' } })).json().secret as string;
    expect((await post(hookUrl(), closeloopHookDelivery(first, reply()))).statusCode).toBe(200);
    expect((await post(hookUrl(), closeloopHookDelivery(second, reply()))).statusCode).toBe(200);
    const listed = (await app.inject({ url: '/v1/webhook-secrets', headers: await as('admin') })).json().data as Array<Record<string, unknown>>;
    expect(listed.filter((s) => s.source === 'closeloop')).toHaveLength(2);
    expect(JSON.stringify(listed)).not.toContain(first.slice(5));
    expect(listed.every((s) => !('secret' in s))).toBe(true);
    const third = (await app.inject({ method: 'POST', url: '/v1/webhook-secrets', headers: await as('admin'), payload: { source: 'closeloop' } })).json().secret as string;
    expect((await post(hookUrl(), closeloopHookDelivery(first, reply()))).statusCode).toBe(401);
    expect((await post(hookUrl(), closeloopHookDelivery(second, reply()))).statusCode).toBe(200);
    expect((await post(hookUrl(), closeloopHookDelivery(third, reply()))).statusCode).toBe(200);
    hookSecret = third;
    expect((await app.inject({ url: '/v1/webhook-secrets', headers: await as('rep') })).statusCode).toBe(403);
    expect((await app.inject({ url: '/v1/webhook-inbox', headers: await as('rep') })).statusCode).toBe(403);
    expect((await app.inject({ method: 'POST', url: '/v1/webhook-secrets', headers: await as('admin'), payload: { source: 'resend', secret: 'not-a-secret' } })).statusCode).toBe(400);
  });
});
