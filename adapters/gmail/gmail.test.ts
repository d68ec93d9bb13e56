// The real adapter (@googleapis/gmail and plain fetch to the OAuth endpoints) against the local fake.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConfigurationError, MailboxDisconnectedError, NotFoundError, ProviderRejectedError, ValidationError } from '../../domain/errors.ts';
import { type FakeGmailServer, googleError, startFakeGmailServer } from './fake-gmail-server.ts';
import { bounceHard, colleagueReply, forwardedThread, humanReply, OUR_MESSAGE_IDS, oooEnglish, oooGerman } from './fixtures/index.ts';
import { createGmailConnector, emailFromIdToken, GOOGLE_AUTHORIZE_URL } from './gmail.ts';
import { parseGmailMessage } from './message.ts';
import { GMAIL_SCOPES, type GmailConnector } from './port.ts';

const REDIRECT_URI = 'https://app.closeloop.example/api/gmail/callback';
const TOKEN = 'ya29.test-access-token';
const TOPIC = 'projects/closeloop-test/topics/gmail-push';

let fake: FakeGmailServer;
let connector: GmailConnector;

beforeAll(async () => {
  // Small pages, so every list the adapter reads spans several.
  fake = await startFakeGmailServer({ historyPageSize: 2, listPageSize: 2 });
  connector = createGmailConnector({
    clientId: fake.clientId,
    clientSecret: fake.clientSecret,
    redirectUri: REDIRECT_URI,
    apiRootUrl: fake.url,
    oauthTokenUrl: fake.tokenUrl,
    oauthRevokeUrl: fake.revokeUrl,
    timeoutMs: 5_000,
  });
});
beforeEach(() => {
  fake.reset();
  fake.addAccessToken(TOKEN);
});
afterAll(() => fake.close());

const gmailRequests = (suffix: string) => fake.requests().filter((r) => r.path === `/gmail/v1/users/me/${suffix}`);

/** The error a promise rejects with; fails the test when it resolves. */
async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

function expectRetryable(error: Error): void {
  for (const named of [MailboxDisconnectedError, ConfigurationError, ValidationError, NotFoundError, ProviderRejectedError]) expect(error).not.toBeInstanceOf(named);
  expect(error.name).toBe('Error');
}

describe('OAuth', () => {
  it('builds the consent URL Google documents for offline access', () => {
    const url = new URL(connector.consentUrl('signed.state-123'));
    expect(`${url.origin}${url.pathname}`).toBe(GOOGLE_AUTHORIZE_URL);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: fake.clientId,
      redirect_uri: REDIRECT_URI,
      response_type: 'code',
      scope: 'https://www.googleapis.com/auth/gmail.readonly https://www.googleapis.com/auth/gmail.compose openid email',
      access_type: 'offline',
      prompt: 'consent',
      include_granted_scopes: 'true',
      state: 'signed.state-123',
    });
    expect(() => connector.consentUrl(' ')).toThrow(ValidationError);
  });

  it('refuses to start without client credentials', () => {
    expect(() => createGmailConnector({ clientId: '', clientSecret: 's', redirectUri: REDIRECT_URI })).toThrow(ConfigurationError);
  });

  it('exchanges a code for tokens and takes the mailbox address from the id_token', async () => {
    fake.addAuthorizationCode('4/0AcvDMrB-code', { redirectUri: REDIRECT_URI, emailAddress: 'Tom.Becker@acme-sales.example.com' });
    const before = Date.now();
    const tokens = await connector.exchangeCode('4/0AcvDMrB-code');
    expect(tokens.emailAddress).toBe('tom.becker@acme-sales.example.com');
    expect(tokens.accessToken).toMatch(/^ya29\./);
    expect(tokens.refreshToken).toMatch(/^1\/\//);
    expect(tokens.scopes).toEqual(expect.arrayContaining([...GMAIL_SCOPES, 'openid']));
    expect(tokens.expiresAtMs).toBeGreaterThanOrEqual(before + 3_599_000);
    expect(tokens.expiresAtMs).toBeLessThanOrEqual(Date.now() + 3_599_000);
    const [request] = fake.requests();
    expect(request).toMatchObject({ method: 'POST', path: '/token', body: { grant_type: 'authorization_code', code: '4/0AcvDMrB-code', redirect_uri: REDIRECT_URI, client_id: fake.clientId, client_secret: fake.clientSecret } });
    expect(request!.headers['content-type']).toBe('application/x-www-form-urlencoded');
    // The id_token named the mailbox: no Gmail call was needed.
    expect(fake.requests()).toHaveLength(1);
    expect(fake.isTokenValid(tokens.accessToken)).toBe(true);
  });

  it('asks Gmail for the address when there is no id_token', async () => {
    fake.addAuthorizationCode('code-without-openid', { scopes: [...GMAIL_SCOPES] });
    const tokens = await connector.exchangeCode('code-without-openid');
    expect(tokens.emailAddress).toBe(fake.emailAddress);
    expect(gmailRequests('profile')).toHaveLength(1);
    expect(gmailRequests('profile')[0]!.headers.authorization).toBe(`Bearer ${tokens.accessToken}`);
  });

  it('reads the email claim of an id_token, and nothing from a broken one', () => {
    const token = (claims: object) => `e30.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`;
    expect(emailFromIdToken(token({ email: 'Rep@Example.com', email_verified: true }))).toBe('rep@example.com');
    expect(emailFromIdToken(token({ email: 'rep@example.com', email_verified: false }))).toBeNull();
    expect(emailFromIdToken('not-a-jwt')).toBeNull();
    expect(emailFromIdToken('a.%%%.c')).toBeNull();
    expect(emailFromIdToken(undefined)).toBeNull();
  });

  it('maps a used or unknown code (invalid_grant) to MailboxDisconnectedError', async () => {
    fake.addAuthorizationCode('once');
    await connector.exchangeCode('once');
    const error = await failure(connector.exchangeCode('once'));
    expect(error).toBeInstanceOf(MailboxDisconnectedError);
    expect(error.message).toContain('invalid_grant');
  });

  it('maps a wrong client secret (invalid_client) and a wrong redirect URI to ConfigurationError', async () => {
    const wrongSecret = createGmailConnector({ clientId: fake.clientId, clientSecret: 'wrong', redirectUri: REDIRECT_URI, oauthTokenUrl: fake.tokenUrl });
    fake.addAuthorizationCode('c1');
    expect(await failure(wrongSecret.exchangeCode('c1'))).toBeInstanceOf(ConfigurationError);
    expect(await failure(wrongSecret.refresh('1//whatever'))).toBeInstanceOf(ConfigurationError);
    fake.addAuthorizationCode('c2', { redirectUri: 'https://elsewhere.example/callback' });
    expect(await failure(connector.exchangeCode('c2'))).toBeInstanceOf(ConfigurationError);
  });

  it('refreshes: a new access token, no new refresh token, and the new token works', async () => {
    fake.addAuthorizationCode('c3');
    const first = await connector.exchangeCode('c3');
    const refreshed = await connector.refresh(first.refreshToken!);
    expect(refreshed.accessToken).not.toBe(first.accessToken);
    expect(refreshed.refreshToken).toBeNull();
    expect(refreshed.scopes).toEqual(expect.arrayContaining([...GMAIL_SCOPES]));
    expect(fake.requests().at(-1)).toMatchObject({ path: '/token', body: { grant_type: 'refresh_token', refresh_token: first.refreshToken, client_id: fake.clientId, client_secret: fake.clientSecret } });
    await expect(connector.client(refreshed.accessToken).recentMessages(0)).resolves.toMatchObject({ messageIds: [] });
  });

  it('maps a revoked refresh token (invalid_grant) to MailboxDisconnectedError', async () => {
    fake.addAuthorizationCode('c4');
    const tokens = await connector.exchangeCode('c4');
    await connector.revoke(tokens.refreshToken!);
    expect(await failure(connector.refresh(tokens.refreshToken!))).toBeInstanceOf(MailboxDisconnectedError);
    expect(await failure(connector.refresh(''))).toBeInstanceOf(MailboxDisconnectedError);
  });

  it('revokes the grant (its access tokens stop working) and is idempotent', async () => {
    fake.addAuthorizationCode('c5');
    const tokens = await connector.exchangeCode('c5');
    await connector.revoke(tokens.refreshToken!);
    expect(fake.requests().at(-1)).toMatchObject({ method: 'POST', path: '/revoke', body: { token: tokens.refreshToken } });
    expect(fake.isTokenValid(tokens.refreshToken!)).toBe(false);
    expect(fake.isTokenValid(tokens.accessToken)).toBe(false);
    await expect(connector.revoke(tokens.refreshToken!)).resolves.toBeUndefined();
    expect(await failure(connector.client(tokens.accessToken).getMessage('18d9f0a2c4e61b01'))).toBeInstanceOf(MailboxDisconnectedError);
  });

  it('treats 5xx, 429 and lost connections at the token endpoint as retryable', async () => {
    fake.addAuthorizationCode('c6');
    fake.failNext(1, 503);
    expectRetryable(await failure(connector.exchangeCode('c6')));
    fake.failNext(1, 429, { error: 'rate_limit_exceeded' });
    expectRetryable(await failure(connector.refresh('1//x')));
    fake.dropNext(1);
    expectRetryable(await failure(connector.revoke('1//x')));
    // The code survived the failures.
    await expect(connector.exchangeCode('c6')).resolves.toMatchObject({ emailAddress: fake.emailAddress });
  });
});

describe('the mailbox client', () => {
  it('watches INBOX on the topic and stops the watch', async () => {
    const client = connector.client(TOKEN);
    const before = Date.now();
    const watch = await client.watch(TOPIC);
    expect(watch.historyId).toBe(fake.historyId());
    expect(watch.expirationMs).toBeGreaterThan(before + 6 * 24 * 3600 * 1000);
    expect(fake.watchState()).toMatchObject({ topicName: TOPIC, labelIds: ['INBOX'], labelFilterBehavior: 'include' });
    expect(gmailRequests('watch')[0]!.headers.authorization).toBe(`Bearer ${TOKEN}`);
    await client.stopWatch();
    expect(fake.watchState()).toBeNull();
  });

  it('refuses a malformed topic, and maps Gmail refusing the topic to ConfigurationError', async () => {
    const client = connector.client(TOKEN);
    expect(await failure(client.watch('gmail-push'))).toBeInstanceOf(ConfigurationError);
    expect(fake.requests()).toHaveLength(0);
    fake.failNext(1, 403, googleError(403, { message: 'Error sending test message to Cloud PubSub projects/closeloop-test/topics/gmail-push : User not authorized to perform this action.', reason: 'forbidden' }));
    expect(await failure(client.watch(TOPIC))).toBeInstanceOf(ConfigurationError);
  });

  it('reads the history across pages: added messages in order, drafts left out, the newest history id', async () => {
    const client = connector.client(TOKEN);
    const start = fake.historyId();
    const added = [oooEnglish, oooGerman, bounceHard, colleagueReply, forwardedThread].map((fixture) => fake.addMessage(fixture));
    await client.createDraft({ threadId: null, from: 'tom.becker@acme-sales.example.com', to: 'leon.fischer@contoso.example.com', subject: 'Hi', text: 'Draft', headers: {}, key: 'k-draft' });
    const page = await client.history(start);
    expect(page).toEqual({ kind: 'changes', messageIds: added.map((m) => m.id), historyId: fake.historyId() });
    const calls = gmailRequests('history');
    // Six records (five messages, one draft) at two per page.
    expect(calls).toHaveLength(3);
    expect(calls.every((call) => call.query.startHistoryId === start && call.query.historyTypes === 'messageAdded')).toBe(true);
    expect(calls.slice(1).every((call) => call.query.pageToken)).toBe(true);
  });

  it('answers no changes with the current history id', async () => {
    fake.addMessage(humanReply);
    const now = fake.historyId();
    await expect(connector.client(TOKEN).history(now)).resolves.toEqual({ kind: 'changes', messageIds: [], historyId: now });
  });

  it('answers too_old when Gmail no longer has the start id (404)', async () => {
    const old = fake.historyId();
    fake.addMessage(humanReply);
    fake.expireHistoryBefore(fake.historyId());
    await expect(connector.client(TOKEN).history(old)).resolves.toEqual({ kind: 'too_old' });
    expect(await failure(connector.client(TOKEN).history('not-a-number'))).toBeInstanceOf(ValidationError);
  });

  it('lists messages received after a time (all pages, no drafts) with the history id from before the listing', async () => {
    const client = connector.client(TOKEN);
    const since = Date.parse('2026-12-22T10:00:00Z');
    fake.addMessage(bounceHard); // 08:47, before
    const recent = [oooGerman, oooEnglish, colleagueReply, humanReply].map((fixture) => fake.addMessage(fixture, { internalDateMs: since + 60_000 * (fixture === oooEnglish ? 1 : fixture === oooGerman ? 2 : fixture === colleagueReply ? 3 : 4) }));
    await client.createDraft({ threadId: null, from: 'tom.becker@acme-sales.example.com', to: 'x@example.com', subject: 'Hi', text: 'Draft', headers: {}, key: 'k' });
    const historyId = fake.historyId();
    const result = await client.recentMessages(since);
    expect(result.historyId).toBe(historyId);
    expect([...result.messageIds].sort()).toEqual(recent.map((m) => m.id).sort());
    const lists = gmailRequests('messages');
    expect(lists.length).toBeGreaterThanOrEqual(2);
    expect(lists[0]!.query.q).toBe(`after:${since / 1000} -in:drafts`);
    // The profile (history id) is read before the list.
    const paths = fake.requests().map((r) => r.path);
    expect(paths.indexOf('/gmail/v1/users/me/profile')).toBeLessThan(paths.indexOf('/gmail/v1/users/me/messages'));
  });

  it('gets one message as a MailboxMessage', async () => {
    const stored = fake.addMessage(bounceHard);
    const message = await connector.client(TOKEN).getMessage(stored.id!);
    expect(message).toEqual(parseGmailMessage(stored));
    expect(message.failedRecipients).toEqual([{ address: 'm.weber@oldcorp.example.de', status: '5.1.1' }]);
    expect(message.references).toEqual([OUR_MESSAGE_IDS.weber]);
    expect(gmailRequests(`messages/${stored.id}`)[0]!.query.format).toBe('full');
  });

  it('maps a message gone since the history (404) to NotFoundError', async () => {
    const stored = fake.addMessage(humanReply);
    fake.removeMessage(stored.id!);
    expect(await failure(connector.client(TOKEN).getMessage(stored.id!))).toBeInstanceOf(NotFoundError);
  });

  it('creates a draft in the thread it answers: RFC 5322 headers, encoded subject, threading, the key', async () => {
    const client = connector.client(TOKEN);
    const reply = fake.addMessage(oooGerman);
    const sent = fake.drafts();
    expect(sent).toEqual([]);
    const draft = await client.createDraft({
      threadId: reply.threadId!,
      from: 'Tom Becker <tom.becker@acme-sales.example.com>',
      to: 'Jürgen Bergmann <j.bergmann@bergmann-logistik.example.de>',
      subject: 'Re: Abwesenheitsnotiz: Angebot für Bergmann Logistik',
      text: 'Hallo Herr Bergmann,\n\nwillkommen zurück! Passt Ihnen Donnerstag?\n\nGrüße\nTom',
      headers: { 'In-Reply-To': '<dovecot-sieve-1798018957-412983-0@mail.bergmann-logistik.example.de>', References: `${OUR_MESSAGE_IDS.bergmann} <dovecot-sieve-1798018957-412983-0@mail.bergmann-logistik.example.de>` },
      key: 'draft:org_1:outbound_42',
    });
    expect(draft.threadId).toBe(reply.threadId);
    const [stored] = fake.drafts();
    expect(stored).toMatchObject({ id: draft.draftId, messageId: draft.messageId, threadId: reply.threadId, requestedThreadId: reply.threadId });
    expect(stored!.headers).toMatchObject({
      From: 'Tom Becker <tom.becker@acme-sales.example.com>',
      To: 'Jürgen Bergmann <j.bergmann@bergmann-logistik.example.de>',
      Subject: 'Re: Abwesenheitsnotiz: Angebot für Bergmann Logistik',
      'In-Reply-To': '<dovecot-sieve-1798018957-412983-0@mail.bergmann-logistik.example.de>',
      References: `${OUR_MESSAGE_IDS.bergmann} <dovecot-sieve-1798018957-412983-0@mail.bergmann-logistik.example.de>`,
      'X-Closeloop-Key': 'draft:org_1:outbound_42',
      'MIME-Version': '1.0',
      'Content-Type': 'text/plain; charset="UTF-8"',
      'Content-Transfer-Encoding': 'base64',
    });
    expect(Date.parse(stored!.headers.Date!)).toBeGreaterThan(Date.now() - 60_000);
    const head = stored!.raw.slice(0, stored!.raw.indexOf('\r\n\r\n'));
    expect(head).toMatch(/^[\x20-\x7e\r\n\t]*$/);
    expect(head).toContain('Subject: =?UTF-8?B?');
    const body = stored!.raw.slice(stored!.raw.indexOf('\r\n\r\n') + 4);
    expect(Buffer.from(body, 'base64').toString('utf8')).toBe('Hallo Herr Bergmann,\r\n\r\nwillkommen zurück! Passt Ihnen Donnerstag?\r\n\r\nGrüße\r\nTom');
    const request = gmailRequests('drafts').find((r) => r.method === 'POST')!;
    expect(request.body).toMatchObject({ message: { threadId: reply.threadId } });
  });

  it('refuses an invalid draft before calling Gmail', async () => {
    const error = await failure(connector.client(TOKEN).createDraft({ threadId: null, from: 'tom@acme.example', to: 'x@example.com', subject: 'Hi', text: 'x', headers: { 'X-Note': 'a\nBcc: evil@example.com' }, key: 'k' }));
    expect(error).toBeInstanceOf(ValidationError);
    expect(fake.requests()).toHaveLength(0);
  });

  it('finds a draft by its key across pages afterwards, and nothing for another key', async () => {
    const client = connector.client(TOKEN);
    const base = { threadId: null, from: 'tom.becker@acme-sales.example.com', subject: 'Following up', text: 'Hi', headers: {} };
    const first = await client.createDraft({ ...base, to: 'a@example.com', key: 'draft:org_1:out_1' });
    await client.createDraft({ ...base, to: 'b@example.com', key: 'draft:org_1:out_2' });
    await client.createDraft({ ...base, to: 'c@example.com', key: 'draft:org_1:out_3' });
    await expect(client.findDraft('draft:org_1:out_1')).resolves.toEqual(first);
    await expect(client.findDraft('draft:org_1:out_9')).resolves.toBeNull();
    // Three drafts at two per page; then only the key header of each draft's message.
    expect(gmailRequests('drafts').filter((r) => r.method === 'GET').length).toBeGreaterThanOrEqual(4);
    const reads = fake.requests().filter((r) => r.path.startsWith('/gmail/v1/users/me/messages/'));
    expect(reads.every((r) => r.query.format === 'metadata' && r.query.metadataHeaders === 'X-Closeloop-Key')).toBe(true);
  });

  it('finds nothing in an empty drafts folder', async () => {
    await expect(connector.client(TOKEN).findDraft('draft:org_1:out_1')).resolves.toBeNull();
  });
});

describe('errors from the Gmail API', () => {
  it('maps a wrong or expired access token (401) to MailboxDisconnectedError', async () => {
    const error = await failure(connector.client('ya29.wrong').getMessage('18d9f0a2c4e61b01'));
    expect(error).toBeInstanceOf(MailboxDisconnectedError);
    expect(error.message).not.toContain('ya29');
  });

  it('maps a token without the needed scope (403 insufficient permissions) to MailboxDisconnectedError', async () => {
    fake.addAccessToken('ya29.readonly-only', ['https://www.googleapis.com/auth/gmail.readonly']);
    const error = await failure(connector.client('ya29.readonly-only').createDraft({ threadId: null, from: 'tom@acme.example', to: 'x@example.com', subject: 'Hi', text: 'x', headers: {}, key: 'k' }));
    expect(error).toBeInstanceOf(MailboxDisconnectedError);
    expect(error.message).toContain('scope');
  });

  it('treats 500, 503 and 429 as retryable, without retrying inside the client', async () => {
    const client = connector.client(TOKEN);
    fake.failNext(1, 500);
    expectRetryable(await failure(client.getMessage('18d9f0a2c4e61b01')));
    expect(fake.requests()).toHaveLength(1);
    fake.failNext(1, 503);
    expectRetryable(await failure(client.history('1')));
    fake.failNext(1, 429);
    expectRetryable(await failure(client.recentMessages(0)));
  });

  it('treats a 403 rate limit as retryable', async () => {
    fake.failNext(1, 403, googleError(403, { message: 'User-rate limit exceeded.', reason: 'userRateLimitExceeded' }));
    expectRetryable(await failure(connector.client(TOKEN).findDraft('k')));
  });

  it('maps 400 to ValidationError and a lost connection to a retryable error', async () => {
    fake.failNext(1, 400, googleError(400, { message: 'Invalid id value', reason: 'invalidArgument' }));
    expect(await failure(connector.client(TOKEN).getMessage('bad id'))).toBeInstanceOf(ValidationError);
    fake.dropNext(1);
    expectRetryable(await failure(connector.client(TOKEN).getMessage('18d9f0a2c4e61b01')));
  });

  it('maps the Gmail API being disabled in the project to ConfigurationError', async () => {
    fake.failNext(1, 403, googleError(403, { message: 'Gmail API has not been used in project 123 before or it is disabled.', reason: 'accessNotConfigured' }));
    expect(await failure(connector.client(TOKEN).stopWatch())).toBeInstanceOf(ConfigurationError);
  });
});
