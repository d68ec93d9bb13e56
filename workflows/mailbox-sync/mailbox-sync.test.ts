// Gmail end to end on the time-skipping server with real Postgres: the rep connects through the OAuth callback
// (the real @googleapis/gmail client and Google's token endpoint, both a local fake), pushes arrive as Pub/Sub
// requests with Google-signed OIDC tokens (a local JWKS), the mailbox sync workflow reads the history and stores
// Closeloop's conversations in the inbox, the dispatcher tells the cadences. Send assist puts approved emails into
// Gmail drafts, once, in the process's thread, even when the activity is retried.
import { randomBytes } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Database } from '../../adapters/db/session.ts';
import { startFakeGmailServer, type FakeGmailServer } from '../../adapters/gmail/fake-gmail-server.ts';
import { bounceHard, colleagueReply, OUR_MESSAGE_IDS, oooEnglish } from '../../adapters/gmail/fixtures/index.ts';
import { createGmailConnector } from '../../adapters/gmail/gmail.ts';
import { createPushVerifier } from '../../adapters/gmail/push-verifier.ts';
import { createTokenCipher } from '../../adapters/secrets/token-cipher.ts';
import { startTestWorker } from '../../infra/testing/activities.ts';
import { testApp, tokenFor } from '../../infra/testing/api.ts';
import { appDatabase } from '../../infra/testing/database.ts';
import { createTimeSkippingEnv, uniqueTaskQueue } from '../../infra/testing/harness.ts';
import { outboundFixture, type OutboundFixture } from '../../infra/testing/outbound.ts';
import { createInboxDispatcher, type InboxDispatcher } from '../../worker/inbox-dispatcher.ts';
import { cadenceStatusQuery, type CadenceStatus } from '../follow-up-cadence/messages.ts';
import { mailboxSyncStatusQuery, mailboxSyncWorkflowId } from './messages.ts';

const PUSH_AUDIENCE = 'https://closeloop.test/v1/hooks/gmail';
const PUSH_ACCOUNT = 'gmail-push@closeloop-test.iam.gserviceaccount.com';
const allDay = [{ start: '00:00', end: '24:00' }];

let env: TestWorkflowEnvironment;
let db: Database;
let app: FastifyInstance;
let gmailFake: FakeGmailServer;
let fixture: OutboundFixture;
let worker: { stop(): Promise<void> } | undefined;
let dispatcher: InboxDispatcher;
let signPush: (claims: Record<string, unknown>) => Promise<string>;
let connectionId: string;
const crashedOnce = new Set<string>();
let assistContactId = '';
const taskQueue = uniqueTaskQueue('mailbox');
const tokenKey = randomBytes(32).toString('base64');
const createTokenCipherForTest = () => createTokenCipher(tokenKey);

beforeAll(async () => {
  gmailFake = await startFakeGmailServer();
  env = await createTimeSkippingEnv();
  db = appDatabase('mailbox-sync');
  fixture = await outboundFixture(db, { policy: 'auto_send_templates' });
  const keys = await generateKeyPair('RS256');
  const jwk: JWK = { ...(await exportJWK(keys.publicKey)), kid: 'k1', alg: 'RS256' };
  signPush = (claims) => new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setIssuer('https://accounts.google.com').setAudience(PUSH_AUDIENCE).setIssuedAt().setExpirationTime('1h').sign(keys.privateKey);
  const connector = createGmailConnector({ clientId: gmailFake.clientId, clientSecret: gmailFake.clientSecret, redirectUri: 'http://127.0.0.1:3000/oauth/gmail/callback', apiRootUrl: gmailFake.url, oauthTokenUrl: gmailFake.tokenUrl, oauthRevokeUrl: gmailFake.revokeUrl });
  const cipher = createTokenCipher(tokenKey);
  app = await testApp({ temporal: env.client, taskQueue, gmail: { connector, cipher, stateSecret: 'state-secret-of-at-least-32-characters!!', push: createPushVerifier({ audience: PUSH_AUDIENCE, serviceAccountEmail: PUSH_ACCOUNT, keys: createLocalJWKSet({ keys: [jwk] }) }) } });
  worker = await startTestWorker({
    env, db, taskQueue,
    overrides: {
      gmail: { connector, cipher, pushTopic: 'projects/closeloop-test/topics/gmail' },
      // Send assist's crash test: the first attempt of each draft "dies" right after Gmail created it.
      outboundHooks: { afterProviderAccepted: (key) => { if (assistContactId && key.endsWith(assistContactId) && !crashedOnce.has(key)) { crashedOnce.add(key); throw new Error('worker died after the draft was created'); } } },
    },
  });
  dispatcher = createInboxDispatcher({ db, temporal: env.client, logger: { info: () => {}, warn: () => {} }, orgIds: [fixture.org.orgId], taskQueue });
  const manager = { authorization: `Bearer ${await tokenFor(fixture.org.users.manager)}` };
  for (const [key, sendAssist] of [['gmail-intro', false], ['assist-intro', true]] as const) {
    const res = await app.inject({ method: 'POST', url: '/v1/playbooks', headers: manager, payload: { key, definition: { name: key, sendAssist, sendWindow: { mon: allDay, tue: allDay, wed: allDay, thu: allDay, fri: allDay, sat: allDay, sun: allDay }, steps: [
      { key: 'intro', kind: 'auto_email', delay: { amount: 0, unit: 'minutes' }, subject: 'Hello {{contact.firstName}}', body: 'Hi {{contact.firstName}}' },
      { key: 'bump', kind: 'auto_email', delay: { amount: 2, unit: 'business_days' }, subject: 'Re: Hello {{contact.firstName}}', body: 'Bumping, {{contact.firstName}}' },
    ] } } });
    expect(res.statusCode).toBe(201);
  }
});
afterAll(async () => {
  await worker?.stop();
  await app?.close();
  await db?.end();
  await env?.teardown();
  await gmailFake?.close();
});

const rep = async () => ({ authorization: `Bearer ${await tokenFor(fixture.org.users.rep)}` });
const drain = async () => {
  for (let i = 0; i < 50; i++) {
    const c = await dispatcher.runOnce();
    if (c.processed + c.parked + c.retried === 0) return;
  }
};
const historyCalls = () => gmailFake.requests().filter((r) => r.path.endsWith('/users/me/history')).length;
const pubsub = (historyId: string, messageId: string) => ({
  message: { data: Buffer.from(JSON.stringify({ emailAddress: gmailFake.emailAddress, historyId: Number(historyId) })).toString('base64'), messageId, publishTime: new Date().toISOString() },
  subscription: 'projects/closeloop-test/subscriptions/gmail',
});
const push = async (body: unknown, token?: string) => app.inject({ method: 'POST', url: '/v1/hooks/gmail', headers: token ? { authorization: `Bearer ${token}` } : {}, payload: body as object });
const goodToken = () => signPush({ email: PUSH_ACCOUNT, email_verified: true });
const syncStatus = () => env.client.workflow.getHandle(mailboxSyncWorkflowId(fixture.org.orgId, connectionId)).query(mailboxSyncStatusQuery);

async function until<T>(what: string, probe: () => Promise<T | undefined | false>): Promise<T> {
  for (let i = 0; i < 400; i++) {
    const value = await probe();
    if (value) return value;
    await delay(25);
  }
  throw new Error(`never: ${what}`);
}

/** A contact with the fixture sender's address in a running cadence whose first email carried our Message-ID. */
async function enrolledAs(address: string, ourMessageId: string, playbookKey = 'gmail-intro') {
  const contact = await fixture.contact(address);
  await db.asService((tx) => tx`update public.contacts set first_name = 'Sam', time_zone = 'UTC' where id = ${contact.id}`);
  const result = (await app.inject({ method: 'POST', url: '/v1/enrolments', headers: await rep(), payload: { playbookKey, contactIds: [contact.id], mailboxId: fixture.mailboxId } })).json().results[0];
  const handle = env.client.workflow.getHandle(result.workflowId as string);
  await until('the first email out', async () => (await handle.query(cadenceStatusQuery)).stepKey === 'bump');
  // Our first email's Message-ID as the recipient saw it (the fixtures answer these ids).
  await db.asService((tx) => tx`update public.send_ledger l set rfc_message_id = ${ourMessageId} from public.outbound_messages m where m.id = l.message_id and m.contact_id = ${contact.id}`);
  return { contact, handle };
}

const ledgerKeys = (contactId: string) => ['intro', 'bump'].map((step) => expect.stringMatching(new RegExp(`^follow-up:[0-9a-f-]+:${step}:${contactId}$`)));

describe('Gmail', () => {
  it('a rep connects Gmail: consent URL, callback, tokens sealed at rest, the mailbox sync starts', async () => {
    const started = await app.inject({ method: 'POST', url: '/v1/mailbox-connections/gmail', headers: await rep() });
    const consent = new URL(started.json().consentUrl);
    expect(consent.searchParams.get('scope')).toContain('https://www.googleapis.com/auth/gmail.readonly');
    expect(consent.searchParams.get('scope')).not.toContain('gmail.send');
    expect(consent.searchParams.get('access_type')).toBe('offline');
    gmailFake.addAuthorizationCode('code-from-google');
    const tampered = await app.inject({ url: `/oauth/gmail/callback?code=code-from-google&state=${consent.searchParams.get('state')}x` });
    expect(tampered.statusCode).toBe(400);
    const callback = await app.inject({ url: `/oauth/gmail/callback?code=code-from-google&state=${encodeURIComponent(consent.searchParams.get('state')!)}` });
    expect(callback.statusCode, callback.body).toBe(200);
    expect(callback.body).toContain('tom.becker@acme-sales.example.com is connected');
    const [row] = await db.asService((tx) => tx<{ id: string; status: string; refreshTokenEnc: string; memberId: string }[]>`select id, status, refresh_token_enc, member_id from public.mailbox_connections where org_id = ${fixture.org.orgId} and email_address = 'tom.becker@acme-sales.example.com'`);
    expect(row).toMatchObject({ status: 'connected', memberId: fixture.org.members.rep });
    expect(row!.refreshTokenEnc).toMatch(/^v1:/);
    expect(row!.refreshTokenEnc).not.toContain('1//0');
    connectionId = row!.id;
    const listed = (await app.inject({ url: '/v1/mailbox-connections', headers: await rep() })).json().data;
    expect(listed.find((c: { id: string }) => c.id === connectionId)).toMatchObject({ status: 'connected', emailAddress: 'tom.becker@acme-sales.example.com' });
    expect(JSON.stringify(listed)).not.toContain('v1:');
    const status = await until('the first sync', async () => {
      const s = await syncStatus().catch(() => undefined);
      return s && s.syncs >= 1 ? s : undefined;
    });
    expect(status).toMatchObject({ mode: 'push', syncedHistoryId: gmailFake.historyId() });
    expect(gmailFake.watchState()).toMatchObject({ topicName: 'projects/closeloop-test/topics/gmail', labelIds: ['INBOX'] });
  });

  it('a push without a token or with a bad one is refused; a valid one, pushed twice, leads to one sync; an OOO "back on 12 January" pauses the cadence until then', async () => {
    const sarah = await enrolledAs('sarah.mitchell@northwind.example.com', OUR_MESSAGE_IDS.northwind);
    const added = gmailFake.addMessage(oooEnglish.message);
    const body = pubsub(added.historyId!, 'pubsub-1');
    expect((await push(body)).statusCode).toBe(401);
    expect((await push(body, await signPush({ email: 'attacker@evil.example', email_verified: true }))).statusCode).toBe(401);
    expect((await push(body, `${await goodToken()}x`)).statusCode).toBe(401);
    const before = historyCalls();
    const token = await goodToken();
    expect((await push(body, token)).json()).toEqual({ received: true, mailboxes: 1 });
    expect((await push(body, token)).statusCode).toBe(200); // Pub/Sub redelivers: one inbox row
    expect((await push(pubsub(added.historyId!, 'pubsub-2'), token)).statusCode).toBe(200); // another push, same history
    await drain();
    await until('the sync', async () => (await syncStatus()).syncedHistoryId === added.historyId);
    await drain();
    expect(historyCalls() - before).toBe(1);
    const paused = await until('the pause', async () => {
      const s: CadenceStatus = await sarah.handle.query(cadenceStatusQuery);
      return s.step === 'paused' ? s : undefined;
    });
    expect(paused.nextActionAt).toBe(new Date(oooEnglish.expected.returnsAtMs!).toISOString());
    expect(paused.nextActionAt!.slice(0, 10)).toBe('2027-01-12');
    const pushes = await db.asService((tx) => tx`select event_id from public.webhook_inbox where org_id = ${fixture.org.orgId} and provider = 'gmail-push' order by received_at`);
    expect(pushes.map((p) => p.eventId)).toEqual(['pubsub-1', 'pubsub-2']);
  });

  it("a colleague's reply in the thread stops the contact's cadence; a DSN hard bounce suppresses the address and pauses its cadence; a too-old history id resyncs without duplicates", async () => {
    const sarah = env.client.workflow.getHandle((await db.asService((tx) => tx<{ workflowId: string }[]>`select e.workflow_id from public.enrolments e join public.contacts c on c.id = e.contact_id where c.emails @> '{sarah.mitchell@northwind.example.com}' and e.status = 'active'`))[0]!.workflowId);
    const markus = await enrolledAs('m.weber@oldcorp.example.de', OUR_MESSAGE_IDS.weber);
    gmailFake.addMessage(colleagueReply.message);
    const bounced = gmailFake.addMessage(bounceHard.message);
    // Gmail dropped the history since the last sync: the next sync must resync from recent mail.
    gmailFake.expireHistoryBefore(bounced.historyId!);
    expect((await push(pubsub(bounced.historyId!, 'pubsub-3'), await goodToken())).statusCode).toBe(200);
    await drain();
    await until('the resync', async () => (await syncStatus()).syncedHistoryId === gmailFake.historyId());
    await drain();
    expect(await sarah.result()).toMatchObject({ outcome: 'stopped', reason: 'replied' });
    const paused = await until('the bounce pause', async () => {
      const s: CadenceStatus = await markus.handle.query(cadenceStatusQuery);
      return s.step === 'paused' ? s : undefined;
    });
    expect(paused.waitingOn).toBe('hard bounce: a working address for the contact');
    expect(await db.asService((tx) => tx`select app.is_suppressed(${fixture.org.orgId}, 'm.weber@oldcorp.example.de') as s`)).toEqual([{ s: true }]);
    // The resync read the OOO again: still one inbox row per Gmail message, one event per message.
    const rows = await db.asService((tx) => tx<{ eventId: string }[]>`select event_id from public.webhook_inbox where org_id = ${fixture.org.orgId} and provider = 'gmail'`);
    expect(rows).toHaveLength(3);
    expect(new Set(rows.map((r) => r.eventId)).size).toBe(3);
    const events = await db.asService((tx) => tx<{ classification: string }[]>`select data->>'classification' as classification from public.event_log where org_id = ${fixture.org.orgId} and kind = 'reply.received' order by occurred_at`);
    expect(events.map((e) => e.classification).sort()).toEqual(['bounce', 'out_of_office', 'reply']);
  });

  it('send assist: each approved email becomes one Gmail draft, in the same thread, even though the activity was retried after Gmail created it', async () => {
    const contact = await fixture.contact('helga.krause@krause-moebel.example.de');
    await db.asService((tx) => tx`update public.contacts set first_name = 'Helga', time_zone = 'UTC' where id = ${contact.id}`);
    assistContactId = contact.id;
    const result = (await app.inject({ method: 'POST', url: '/v1/enrolments', headers: await rep(), payload: { playbookKey: 'assist-intro', contactIds: [contact.id], mailboxId: fixture.mailboxId } })).json().results[0];
    const outcome = await env.client.workflow.getHandle(result.workflowId).result();
    expect(outcome).toMatchObject({ outcome: 'completed', steps: [{ stepKey: 'intro', outcome: 'sent' }, { stepKey: 'bump', outcome: 'sent' }] });
    const header = (d: { headers: Record<string, string> }, name: string) => Object.entries(d.headers).find(([k]) => k.toLowerCase() === name)?.[1] ?? '';
    const drafts = gmailFake.drafts().filter((d) => header(d, 'to').includes('helga.krause')).sort((a, b) => header(a, 'subject').length - header(b, 'subject').length);
    expect(drafts.map((d) => header(d, 'subject'))).toEqual(['Hello Helga', 'Re: Hello Helga']);
    expect(drafts.map((d) => header(d, 'x-closeloop-key'))).toEqual(ledgerKeys(contact.id));
    expect(crashedOnce.size).toBe(2); // both attempts died after the draft existed, and were retried
    expect(drafts[1]!.requestedThreadId).toBe(drafts[0]!.threadId);
    const ledger = await db.asService((tx) => tx<{ provider: string; providerMessageId: string; providerThreadId: string }[]>`
      select l.provider, l.provider_message_id, l.provider_thread_id from public.send_ledger l join public.outbound_messages m on m.id = l.message_id where m.contact_id = ${contact.id} order by l.accepted_at`);
    expect(ledger).toEqual(drafts.map((d) => ({ provider: 'gmail_draft', providerMessageId: d.id, providerThreadId: d.threadId })));
    expect(await db.asService((tx) => tx`select count(*)::int as n from public.outbox where to_address = ${contact.email}`)).toEqual([{ n: 0 }]);
  });

  it('disconnect: the grant is revoked at Google, the tokens are forgotten, the sync workflow ends', async () => {
    const [before] = await db.asService((tx) => tx<{ refreshTokenEnc: string }[]>`select refresh_token_enc from public.mailbox_connections where id = ${connectionId}`);
    const refreshToken = createTokenCipherForTest().open(before!.refreshTokenEnc);
    expect(gmailFake.isTokenValid(refreshToken)).toBe(true);
    expect((await app.inject({ method: 'POST', url: `/v1/mailbox-connections/${connectionId}/disconnect`, headers: await rep() })).statusCode).toBe(200);
    expect(gmailFake.isTokenValid(refreshToken)).toBe(false);
    expect(await db.asService((tx) => tx`select status, refresh_token_enc, access_token_enc from public.mailbox_connections where id = ${connectionId}`)).toEqual([{ status: 'revoked', refreshTokenEnc: null, accessTokenEnc: null }]);
    expect(await env.client.workflow.getHandle(mailboxSyncWorkflowId(fixture.org.orgId, connectionId)).result()).toEqual({ ended: 'disconnected' });
    expect((await app.inject({ method: 'POST', url: `/v1/mailbox-connections/${connectionId}/sync`, headers: await rep() })).statusCode).toBe(409);
  });
});
