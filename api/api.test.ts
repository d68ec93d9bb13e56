// The API through inject() on real Postgres: authentication, authorisation, organisation scoping (walking the
// registered route table, so a new route cannot be missed), errors, OpenAPI, rate limits and the main flows.
import { randomUUID } from 'node:crypto';
import SwaggerParser from '@apidevtools/swagger-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { can, type Action, type Resource } from '../domain/permissions.ts';
import { testApp, tokenFor } from '../infra/testing/api.ts';
import { appDatabase, seedOrganisation, type SeededOrg } from '../infra/testing/database.ts';
import { defaultRateLimit } from './app.ts';

let app: FastifyInstance;
let a: SeededOrg;
let b: SeededOrg;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  const db = appDatabase('api-seed');
  a = await seedOrganisation(db, 'Acme');
  b = await seedOrganisation(db, 'Birch');
  await db.end();
  app = await testApp();
  // A test-only route that runs a query with no organisation filter, the way a forgetful repository would.
  app.get('/test/unfiltered', async (request) =>
    request.withDb(async (tx) => ({
      currentUser: (await tx`select current_user`)[0]!.currentUser as string,
      orgIds: [...new Set((await tx`select org_id from public.contacts`).map((r) => r.orgId as string))],
    })),
  );
  await app.ready();
  for (const role of ['rep', 'manager', 'admin'] as const) tokens[role] = await tokenFor(a.users[role]);
});
afterAll(async () => app?.close());

const as = (role: 'rep' | 'manager' | 'admin') => ({ authorization: `Bearer ${tokens[role]}` });
const idRoutes = () => app.routeTable.filter((r) => r.url.includes(':id'));
const resourceOf = (url: string) => url.split('/')[2]!.replace(/-/g, '_');

describe('organisation scoping', () => {
  it("another organisation's id gives 404 on every route that takes an id", async () => {
    const routes = idRoutes();
    expect(routes.length).toBeGreaterThanOrEqual(20);
    for (const route of routes) {
      const id = b.rows[resourceOf(route.url)];
      expect([route.url, id !== undefined]).toEqual([route.url, true]);
      const payload = route.method === 'PATCH' ? {} : route.url.endsWith('/match-reviews/:id/decision') ? { decision: 'keep_apart' } : route.url.endsWith('/decision') ? { decision: 'approve' } : route.url.endsWith('/events') ? { eventId: 'e1', kind: 'reply' } : route.url.endsWith('/reassign') ? { ownerMemberId: randomUUID() } : route.url.endsWith('/imports/:id/start') ? { lawfulBasis: 'none' } : route.method === 'POST' ? {} : undefined;
      const res = await app.inject({ method: route.method as 'GET', url: route.url.replace(':id', id!), headers: as('admin'), ...(payload ? { payload } : {}) });
      expect([route.method, route.url, res.statusCode]).toEqual([route.method, route.url, 404]);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    // And B's contact is untouched.
    const db = appDatabase('api-check');
    expect((await db.asService((tx) => tx`select first_name from public.contacts where id = ${b.rows.contacts!}`))[0]).toEqual({ firstName: 'Priya' });
    await db.end();
  });

  it('inside a request the database user is authenticated, and an unfiltered query sees only the caller\'s organisation', async () => {
    const res = await app.inject({ url: '/test/unfiltered', headers: as('rep') });
    expect(res.json()).toEqual({ currentUser: 'authenticated', orgIds: [a.orgId] });
  });

  it('a reference to another organisation\'s row is refused like a missing one', async () => {
    const res = await app.inject({ method: 'POST', url: '/v1/contacts', headers: as('rep'), payload: { accountId: b.rows.accounts, emails: ['x@y.example'] } });
    expect(res.json()).toMatchObject({ status: 400, type: 'urn:closeloop:problem:invalid-reference' });
  });
});

describe('authentication and authorisation', () => {
  it('no credentials: 401 problem on every non-public route', async () => {
    for (const route of app.routeTable.filter((r) => r.auth !== 'none' && !r.url.startsWith('/test'))) {
      const res = await app.inject({ method: route.method as 'GET', url: route.url.replace(':id', randomUUID()) });
      expect([route.method, route.url, res.statusCode]).toEqual([route.method, route.url, 401]);
      expect(res.json()).toMatchObject({ status: 401, type: 'urn:closeloop:problem:unauthenticated', requestId: expect.any(String) });
    }
  });

  it('every org route declares a permission, and a rep gets 403 on each one a rep may not use', async () => {
    const orgRoutes = app.routeTable.filter((r) => r.auth === 'org' && !r.url.startsWith('/test') && r.url !== '/v1/me');
    expect(orgRoutes.filter((r) => !r.permission).map((r) => `${r.method} ${r.url}`)).toEqual([]);
    const forbidden = orgRoutes.filter((r) => !can('rep', r.permission![0] as Resource, r.permission![1] as Action));
    expect(forbidden.map((r) => `${r.method} ${r.url}`)).toEqual(expect.arrayContaining(['POST /v1/api-keys', 'PATCH /v1/organisation', 'DELETE /v1/contacts/:id']));
    for (const route of forbidden) {
      const res = await app.inject({ method: route.method as 'GET', url: route.url.replace(':id', a.rows[resourceOf(route.url)] ?? randomUUID()), headers: as('rep'), payload: route.method === 'GET' || route.method === 'DELETE' ? undefined : {} });
      expect([route.method, route.url, res.statusCode]).toEqual([route.method, route.url, 403]);
    }
  });

  it('a bad, expired or foreign-signed token gets 401', async () => {
    for (const token of ['nonsense', await tokenFor(a.users.rep, { expiresIn: '-1m' }), await tokenFor(a.users.rep, { secret: 'x'.repeat(40) }), await tokenFor(a.users.rep, { audience: 'anon' })]) {
      expect((await app.inject({ url: '/v1/contacts', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(401);
    }
  });

  it('an API key works with its role until revoked, then 401', async () => {
    const created = await app.inject({ method: 'POST', url: '/v1/api-keys', headers: as('admin'), payload: { name: 'crm-sync', role: 'manager' } });
    expect(created.statusCode).toBe(201);
    const { key, apiKey } = created.json() as { key: string; apiKey: { id: string; prefix: string } };
    expect(key.startsWith(apiKey.prefix)).toBe(true);
    const withKey = { authorization: `Bearer ${key}` };
    expect((await app.inject({ url: '/v1/me', headers: withKey })).json()).toEqual({ kind: 'api_key', orgId: a.orgId, role: 'manager', actorId: apiKey.id });
    expect((await app.inject({ url: '/v1/audit-does-not-exist', headers: withKey })).statusCode).toBe(404);
    // Listing keys shows no secret.
    expect(JSON.stringify((await app.inject({ url: '/v1/api-keys', headers: as('admin') })).json())).not.toContain(key);
    expect((await app.inject({ method: 'DELETE', url: `/v1/api-keys/${apiKey.id}`, headers: as('admin') })).statusCode).toBe(204);
    const after = await app.inject({ url: '/v1/contacts', headers: withKey });
    expect(after.statusCode).toBe(401);
  });

  it('a member of two organisations names one; without it the API asks', async () => {
    const db = appDatabase('api-two-orgs');
    const userId = randomUUID();
    await db.asService(async (tx) => {
      await tx`insert into public.members ${tx({ orgId: a.orgId, userId, displayName: 'Two', email: 'two@a.example', role: 'rep' })}`;
      await tx`insert into public.members ${tx({ orgId: b.orgId, userId, displayName: 'Two', email: 'two@b.example', role: 'admin' })}`;
    });
    await db.end();
    const auth = { authorization: `Bearer ${await tokenFor(userId)}` };
    expect((await app.inject({ url: '/v1/me', headers: auth })).json()).toMatchObject({ status: 400, type: 'urn:closeloop:problem:organisation-required' });
    expect((await app.inject({ url: '/v1/me', headers: { ...auth, 'x-closeloop-org': b.orgId } })).json()).toMatchObject({ orgId: b.orgId, role: 'admin' });
    expect((await app.inject({ url: '/v1/me', headers: { ...auth, 'x-closeloop-org': randomUUID() } })).statusCode).toBe(403);
  });
});

describe('errors', () => {
  it('malformed input gives 400 problem+json naming the field', async () => {
    const res = await app.inject({ method: 'POST', url: '/v1/contacts', headers: as('rep'), payload: { emails: ['not-an-email'], phoneE164: '12345' } });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const body = res.json() as { detail: string; errors: Array<{ field: string }> };
    expect(body.errors.map((e) => e.field)).toEqual(expect.arrayContaining(['body.emails.0', 'body.phoneE164']));
    expect(body.detail).toContain('body.emails.0');
  });

  it('a rule across fields is checked on the merged record: a deal amount without a currency', async () => {
    const res = await app.inject({ method: 'PATCH', url: `/v1/deals/${a.rows.deals}`, headers: as('rep'), payload: { amountMinor: 1000 } });
    expect(res.statusCode).toBe(400);
    expect(JSON.stringify(res.json())).toContain('currency');
  });

  it('a request id is echoed, and kept when the client sends a valid one', async () => {
    const res = await app.inject({ url: '/v1/me', headers: { ...as('rep'), 'x-request-id': 'client-req-42' } });
    expect(res.headers['x-request-id']).toBe('client-req-42');
    const fresh = await app.inject({ url: '/v1/me', headers: { ...as('rep'), 'x-request-id': 'has spaces <script>' } });
    expect(fresh.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('unknown routes are problems too', async () => {
    const res = await app.inject({ url: '/nope' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
  });
});

describe('flows', () => {
  it('create, page through, change and delete contacts, with audit entries and events', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await app.inject({ method: 'POST', url: '/v1/contacts', headers: as('rep'), payload: { firstName: `P${i}`, emails: [` P${i}@Example.COM `], accountId: a.rows.accounts } });
      expect(res.json()).toMatchObject({ emails: [`p${i}@example.com`], orgId: a.orgId });
      expect(res.statusCode).toBe(201);
      ids.push(res.json().id as string);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await app.inject({ url: `/v1/contacts?limit=2&accountId=${a.rows.accounts}${cursor ? `&cursor=${cursor}` : ''}`, headers: as('rep') });
      const page = res.json() as { data: Array<{ id: string }>; nextCursor: string | null };
      seen.push(...page.data.map((c) => c.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(expect.arrayContaining(ids));

    const patched = await app.inject({ method: 'PATCH', url: `/v1/contacts/${ids[0]}`, headers: as('rep'), payload: { title: 'CTO' } });
    expect(patched.json()).toMatchObject({ title: 'CTO', firstName: 'P0' });
    expect((await app.inject({ method: 'DELETE', url: `/v1/contacts/${ids[0]}`, headers: as('manager') })).statusCode).toBe(204);
    expect((await app.inject({ url: `/v1/contacts/${ids[0]}`, headers: as('rep') })).statusCode).toBe(404);

    const db = appDatabase('api-flows');
    const events = await db.asService((tx) => tx`select kind, actor_id from public.event_log where org_id = ${a.orgId} and subject_id = ${ids[0]!} order by recorded_at`);
    expect(events).toEqual([{ kind: 'contact.created', actorId: a.members.rep }, { kind: 'contact.updated', actorId: a.members.rep }]);
    const audits = await db.asService((tx) => tx`select action, actor_id from public.audit_log where org_id = ${a.orgId} and subject_id = ${ids[0]!} order by at`);
    expect(audits).toEqual([
      { action: 'contacts.create', actorId: a.members.rep },
      { action: 'contacts.update', actorId: a.members.rep },
      { action: 'contacts.delete', actorId: a.members.manager },
    ]);
    await db.end();
  });

  it('a rep logs a call and a meeting; a task completes with its time set', async () => {
    const call = await app.inject({ method: 'POST', url: '/v1/activities', headers: as('rep'), payload: { kind: 'call', direction: 'outbound', occurredAt: new Date().toISOString(), contactId: a.rows.contacts, body: 'Talked pricing' } });
    expect(call.statusCode).toBe(201);
    const start = new Date(Date.now() + 86_400_000);
    const meeting = await app.inject({ method: 'POST', url: '/v1/activities', headers: as('rep'), payload: { kind: 'meeting', direction: 'outbound', occurredAt: start.toISOString(), meetingStartAt: start.toISOString(), meetingEndAt: new Date(start.getTime() + 1_800_000).toISOString(), meetingStatus: 'scheduled' } });
    expect(meeting.statusCode).toBe(201);
    const task = await app.inject({ method: 'POST', url: '/v1/tasks', headers: as('rep'), payload: { kind: 'call', title: 'Call back Thursday', ownerMemberId: a.members.rep } });
    const done = await app.inject({ method: 'PATCH', url: `/v1/tasks/${task.json().id}`, headers: as('rep'), payload: { status: 'done' } });
    expect(done.json()).toMatchObject({ status: 'done', completedAt: expect.any(String) });
  });

  it('deal stage changes are events', async () => {
    const res = await app.inject({ method: 'PATCH', url: `/v1/deals/${a.rows.deals}`, headers: as('rep'), payload: { stage: 'proposal' } });
    expect(res.json()).toMatchObject({ stage: 'proposal' });
    const db = appDatabase('api-deal');
    expect(await db.asService((tx) => tx`select data from public.event_log where subject_id = ${a.rows.deals!} and kind = 'deal.stage_changed'`)).toEqual([{ data: { from: 'discovery', to: 'proposal' } }]);
    await db.end();
  });

  it('organisation approval deadlines are validated and stored', async () => {
    const bad = await app.inject({ method: 'PATCH', url: '/v1/organisation', headers: as('admin'), payload: { approvalSla: { slaMinutes: 60, reminderBeforeMinutes: 90, onExpiry: 'skip', escalationSlaMinutes: 60 } } });
    expect(bad.statusCode).toBe(400);
    const ok = await app.inject({ method: 'PATCH', url: '/v1/organisation', headers: as('admin'), payload: { approvalSla: { slaMinutes: 120, reminderBeforeMinutes: 30, onExpiry: 'skip', escalationSlaMinutes: 60 } } });
    expect(ok.json()).toMatchObject({ approvalSla: { slaMinutes: 120, onExpiry: 'skip' } });
  });

  it('the call-notes policy and the brief lead time: validated, stored with the kind names as written, read back', async () => {
    expect((await app.inject({ url: '/v1/organisation', headers: as('rep') })).json()).toMatchObject({ callNotesPolicy: { policies: {}, approvalSlaMinutes: 10_080, draftRecap: true }, meetingBriefLeadMinutes: 60 });
    const bad = await app.inject({ method: 'PATCH', url: '/v1/organisation', headers: as('admin'), payload: { callNotesPolicy: { policies: { next_step: 'sometimes' } } } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toContain('callNotesPolicy');
    const ok = await app.inject({ method: 'PATCH', url: '/v1/organisation', headers: as('admin'), payload: { callNotesPolicy: { policies: { next_step: 'approve', deal_stage: 'apply' }, approvalSlaMinutes: 2880 }, meetingBriefLeadMinutes: 30 } });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ callNotesPolicy: { policies: { next_step: 'approve', deal_stage: 'apply' }, approvalSlaMinutes: 2880, draftRecap: true }, meetingBriefLeadMinutes: 30 });
    expect((await app.inject({ method: 'PATCH', url: '/v1/organisation', headers: as('rep'), payload: { meetingBriefLeadMinutes: 10 } })).statusCode).toBe(403);
    const db = appDatabase('api-policy');
    // What the worker reads: the kind names as written (the client would camel-case jsonb keys on the way).
    expect(await db.asService((tx) => tx`select call_notes_policy::text as policy from public.organisations where id = ${a.orgId}`)).toEqual([{ policy: expect.stringContaining('"next_step": "approve"') }]);
    await db.end();
  });

  it('organisation settings: admins change them, reps read them', async () => {
    expect((await app.inject({ method: 'PATCH', url: '/v1/organisation', headers: as('admin'), payload: { pauseAllSending: true, dailySendCap: 150 } })).json()).toMatchObject({ pauseAllSending: true, dailySendCap: 150 });
    const read = await app.inject({ url: '/v1/organisation', headers: as('rep') });
    expect(read.json()).toMatchObject({ id: a.orgId, pauseAllSending: true });
    expect(JSON.stringify(read.json())).not.toContain('addressHashKey');
  });

  it('suppression: add by address (hashed), check, list without addresses, lift as admin', async () => {
    const added = await app.inject({ method: 'POST', url: '/v1/suppressions', headers: as('rep'), payload: { email: 'Gone@Example.com', reason: 'unsubscribed' } });
    expect(added.statusCode).toBe(201);
    expect((await app.inject({ method: 'POST', url: '/v1/suppressions/check', headers: as('rep'), payload: { email: 'gone@example.com' } })).json()).toEqual({ suppressed: true });
    const list = await app.inject({ url: '/v1/suppressions', headers: as('rep') });
    expect(JSON.stringify(list.json())).not.toContain('gone@example.com');
    expect((await app.inject({ method: 'DELETE', url: `/v1/suppressions/${added.json().id}`, headers: as('admin') })).statusCode).toBe(204);
    expect((await app.inject({ method: 'POST', url: '/v1/suppressions/check', headers: as('rep'), payload: { email: 'gone@example.com' } })).json()).toEqual({ suppressed: false });
  });

  it('invitations: an admin invites, the invitee accepts with their own sign-in and becomes a member', async () => {
    const invited = await app.inject({ method: 'POST', url: '/v1/invitations', headers: as('admin'), payload: { email: 'newrep@acme.example', role: 'rep', displayName: 'New Rep' } });
    expect(invited.statusCode).toBe(201);
    const newUser = randomUUID();
    const accept = () => app.inject({ method: 'POST', url: '/v1/invitations/accept', headers: { authorization: `Bearer ${tokenFor === undefined ? '' : ''}` }, payload: { token: invited.json().token } });
    expect((await accept()).statusCode).toBe(401);
    const accepted = await app.inject({ method: 'POST', url: '/v1/invitations/accept', headers: { authorization: `Bearer ${await tokenFor(newUser)}` }, payload: { token: invited.json().token } });
    expect(accepted.json()).toMatchObject({ orgId: a.orgId, role: 'rep', email: 'newrep@acme.example', userId: newUser });
    expect((await app.inject({ url: '/v1/me', headers: { authorization: `Bearer ${await tokenFor(newUser)}` } })).json()).toMatchObject({ orgId: a.orgId, role: 'rep' });
    const again = await app.inject({ method: 'POST', url: '/v1/invitations/accept', headers: { authorization: `Bearer ${await tokenFor(randomUUID())}` }, payload: { token: invited.json().token } });
    expect(again.statusCode).toBe(404);
  });
});

describe('OpenAPI', () => {
  it('the document validates, and every operation has its request and response schemas', async () => {
    const doc = (await app.inject({ url: '/openapi.json' })).json() as { paths: Record<string, Record<string, { parameters?: Array<{ in: string }>; requestBody?: unknown; responses: Record<string, { content?: Record<string, { schema?: unknown }> }> }>> };
    await SwaggerParser.validate(structuredClone(doc) as never);
    const documented = Object.entries(doc.paths).filter(([path]) => path.startsWith('/v1/')).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`));
    const registered = app.routeTable.filter((r) => r.url.startsWith('/v1/')).map((r) => `${r.method} ${r.url}`);
    expect(documented.sort()).toEqual(registered.sort());
    for (const [path, ops] of Object.entries(doc.paths).filter(([p]) => p.startsWith('/v1/'))) {
      for (const [method, op] of Object.entries(ops)) {
        const ok = Object.entries(op.responses).filter(([code]) => code.startsWith('2'));
        expect([method, path, ok.length > 0]).toEqual([method, path, true]);
        for (const [code, response] of ok) if (code !== '204') expect([method, path, code, Boolean(response.content?.['application/json']?.schema)]).toEqual([method, path, code, true]);
        expect([method, path, Boolean(op.responses['400'] || op.responses['401'])]).toEqual([method, path, true]);
        if (path.includes('{id}')) expect([method, path, op.parameters?.some((p) => p.in === 'path')]).toEqual([method, path, true]);
        if (method === 'post' || method === 'patch') expect([method, path, Boolean(op.requestBody)]).toEqual([method, path, true]);
      }
    }
  });
});

describe('rate limits', () => {
  it('429 with Retry-After, shared by two app instances', async () => {
    const limits = { ...defaultRateLimit, perPrincipal: 6, perOrganisation: 1000 };
    const one = await testApp({ rateLimit: limits });
    const two = await testApp({ rateLimit: limits });
    const user = randomUUID();
    const db = appDatabase('api-rate');
    await db.asService((tx) => tx`insert into public.members ${tx({ orgId: a.orgId, userId: user, displayName: 'Busy', email: 'busy@a.example', role: 'rep' })}`);
    await db.end();
    const headers = { authorization: `Bearer ${await tokenFor(user)}` };
    const codes: number[] = [];
    let limited: { headers: Record<string, unknown>; json: () => unknown } | undefined;
    for (let i = 0; i < 8; i++) {
      const res = await (i % 2 === 0 ? one : two).inject({ url: '/v1/me', headers });
      codes.push(res.statusCode);
      if (res.statusCode === 429) limited ??= res;
    }
    // A window boundary can fall inside the loop; then the count restarts, so allow for one boundary.
    expect(codes.filter((c) => c === 200).length).toBeGreaterThanOrEqual(6);
    expect(codes.filter((c) => c === 429).length).toBeGreaterThanOrEqual(1);
    expect(Number(limited!.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(limited!.json()).toMatchObject({ status: 429, type: 'urn:closeloop:problem:rate-limited' });
    await one.close();
    await two.close();
  });
});
