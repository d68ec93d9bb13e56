// A rep's Gmail through Google's OAuth endpoints (plain fetch, form-encoded, as Google documents them) and the
// official @googleapis/gmail client. Every failure leaves here as a named error (non-retryable: the mailbox is
// disconnected, the configuration is wrong, the request is invalid, the thing is gone) or a plain Error
// (retryable: 429, 5xx, network, timeout). The client's own retries are off: Temporal retries activities.
import { auth, gmail, type gmail_v1 } from '@googleapis/gmail';
import { z } from 'zod';
import { ConfigurationError, MailboxDisconnectedError, NotFoundError, ProviderRejectedError, ValidationError } from '../../domain/errors.ts';
import { composeDraft, DRAFT_KEY_HEADER, toRaw } from './compose.ts';
import { parseGmailMessage } from './message.ts';
import { GMAIL_SCOPES, type GmailConnector, type HistoryPage, type MailboxClient, type OAuthTokens } from './port.ts';

export const GMAIL_API_ROOT_URL = 'https://gmail.googleapis.com/';
export const GOOGLE_AUTHORIZE_URL = 'https://accounts.google.com/o/oauth2/v2/auth';
export const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';
export const GOOGLE_REVOKE_URL = 'https://oauth2.googleapis.com/revoke';

export interface GmailConnectorOptions {
  clientId: string;
  clientSecret: string;
  /** The API's OAuth callback, exactly as registered with the Google Cloud OAuth client. */
  redirectUri: string;
  /** Another origin for the Gmail API (a local fake in tests); only the origin is used, as googleapis-common does. */
  apiRootUrl?: string;
  oauthAuthorizeUrl?: string;
  oauthTokenUrl?: string;
  oauthRevokeUrl?: string;
  /** Per request; a hung call must not outlive the activity's own timeout. */
  timeoutMs?: number;
  /** The clock for token expiry; tests may pin it. */
  now?: () => number;
}

// Pages of ids are small; bigger pages mean fewer calls against the per-user quota.
const PAGE_SIZE = 500;
// findDraft reads drafts' key headers this many at a time.
const DRAFT_READS_IN_PARALLEL = 5;

export function createGmailConnector(options: GmailConnectorOptions): GmailConnector {
  for (const name of ['clientId', 'clientSecret', 'redirectUri'] as const) {
    if (!options[name]?.trim()) throw new ConfigurationError(`Gmail needs an OAuth ${name}, which is not set`);
  }
  const clientId = options.clientId.trim();
  const clientSecret = options.clientSecret.trim();
  const redirectUri = options.redirectUri.trim();
  const timeoutMs = options.timeoutMs ?? 30_000;
  const now = options.now ?? Date.now;
  const tokenUrl = options.oauthTokenUrl ?? GOOGLE_TOKEN_URL;
  const revokeUrl = options.oauthRevokeUrl ?? GOOGLE_REVOKE_URL;

  const client = (accessToken: string) => createMailboxClient({ accessToken, clientId, clientSecret, redirectUri, rootUrl: options.apiRootUrl ?? GMAIL_API_ROOT_URL, timeoutMs, now });

  const tokens = (body: z.infer<typeof tokenResponse>): OAuthTokens => ({
    accessToken: body.access_token,
    refreshToken: body.refresh_token ?? null,
    expiresAtMs: now() + body.expires_in * 1000,
    scopes: (body.scope ?? '').split(/\s+/).filter((scope) => scope.length > 0),
  });

  return {
    consentUrl(state: string): string {
      if (!state.trim()) throw new ValidationError('the consent URL needs a state');
      const url = new URL(options.oauthAuthorizeUrl ?? GOOGLE_AUTHORIZE_URL);
      url.searchParams.set('client_id', clientId);
      url.searchParams.set('redirect_uri', redirectUri);
      url.searchParams.set('response_type', 'code');
      // openid + email: the token response then carries an id_token naming the mailbox.
      url.searchParams.set('scope', [...GMAIL_SCOPES, 'openid', 'email'].join(' '));
      url.searchParams.set('access_type', 'offline');
      // Google issues a refresh token only on consent; forcing it makes a reconnect always yield one.
      url.searchParams.set('prompt', 'consent');
      url.searchParams.set('include_granted_scopes', 'true');
      url.searchParams.set('state', state);
      return url.toString();
    },

    async exchangeCode(code: string) {
      if (!code.trim()) throw new ValidationError('no authorization code to exchange');
      const body = await tokenRequest('exchange the authorization code', tokenUrl, { code: code.trim(), client_id: clientId, client_secret: clientSecret, redirect_uri: redirectUri, grant_type: 'authorization_code' }, timeoutMs);
      const result = tokens(body);
      // Without an id_token (no openid scope granted), the mailbox names itself.
      const emailAddress = emailFromIdToken(body.id_token) ?? (await client(result.accessToken).profile()).emailAddress;
      return { ...result, emailAddress };
    },

    async refresh(refreshToken: string) {
      if (!refreshToken.trim()) throw new MailboxDisconnectedError('no refresh token stored for this mailbox: the rep must reconnect');
      const body = await tokenRequest('refresh the access token', tokenUrl, { refresh_token: refreshToken, client_id: clientId, client_secret: clientSecret, grant_type: 'refresh_token' }, timeoutMs);
      return tokens(body);
    },

    async revoke(token: string) {
      if (!token.trim()) return;
      let response: Response;
      try {
        response = await fetch(revokeUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token }), signal: AbortSignal.timeout(timeoutMs) });
      } catch (error) {
        throw new Error(`Google OAuth revoke: ${(error as Error).message}`);
      }
      if (response.ok) return;
      const failure = await oauthFailure(response);
      // Already revoked or expired: revoking is idempotent, the grant is gone either way.
      if (failure.error === 'invalid_token' || failure.error === 'invalid_grant') return;
      throw oauthError('revoke the token', response.status, failure);
    },

    client,
  };
}

// ---------------------------------------------------------------------------------------------------------
// OAuth

const tokenResponse = z.object({
  access_token: z.string().min(1),
  expires_in: z.coerce.number().positive(),
  refresh_token: z.string().min(1).optional(),
  scope: z.string().optional(),
  token_type: z.string().optional(),
  id_token: z.string().optional(),
});

async function tokenRequest(action: string, url: string, form: Record<string, string>, timeoutMs: number): Promise<z.infer<typeof tokenResponse>> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams(form),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    throw new Error(`Google OAuth ${action}: ${(error as Error).message}`);
  }
  if (!response.ok) throw oauthError(action, response.status, await oauthFailure(response));
  const parsed = tokenResponse.safeParse(await response.json().catch(() => null));
  if (!parsed.success) throw new Error(`Google OAuth ${action}: the token endpoint answered without a usable access token`);
  return parsed.data;
}

async function oauthFailure(response: Response): Promise<{ error: string | null; description: string | null }> {
  const text = await response.text().catch(() => '');
  try {
    const body = JSON.parse(text) as { error?: unknown; error_description?: unknown };
    return { error: typeof body.error === 'string' ? body.error : null, description: typeof body.error_description === 'string' ? body.error_description : null };
  } catch {
    return { error: null, description: null };
  }
}

// RFC 6749 section 5.2 error codes, as Google uses them.
function oauthError(action: string, status: number, { error, description }: { error: string | null; description: string | null }): Error {
  const text = `Google OAuth ${action}: ${error ?? 'error'}${description ? ` (${description})` : ''}, HTTP ${status}`;
  if (status === 429 || status >= 500) return new Error(text);
  // The grant is gone: code used or expired, refresh token revoked by the user, expired (unverified apps' tokens
  // last 7 days), or the password changed. Only the rep can fix it, by connecting again.
  if (error === 'invalid_grant') return new MailboxDisconnectedError(text);
  if (error === 'invalid_client' || error === 'unauthorized_client' || error === 'redirect_uri_mismatch') {
    return new ConfigurationError(`${text}; check the Google OAuth client id, secret and redirect URI`);
  }
  if (status === 401) return new ConfigurationError(text);
  return new ProviderRejectedError(text);
}

/**
 * The mailbox address from the id_token's `email` claim. No signature check: the token came straight from
 * Google's token endpoint over TLS in answer to our authenticated request (OpenID Connect Core 3.1.3.7 allows
 * this), so it is as trustworthy as the access token beside it.
 */
export function emailFromIdToken(idToken: string | undefined): string | null {
  const payload = idToken?.split('.')[1];
  if (!payload) return null;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { email?: unknown; email_verified?: unknown };
    if (typeof claims.email !== 'string' || !claims.email.includes('@') || claims.email_verified === false) return null;
    return claims.email.trim().toLowerCase();
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------------------------------------
// The Gmail API

interface ClientOptions {
  accessToken: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  rootUrl: string;
  timeoutMs: number;
  now: () => number;
}

function createMailboxClient(options: ClientOptions): MailboxClient & { profile(): Promise<{ emailAddress: string; historyId: string }> } {
  // auth.OAuth2 from @googleapis/gmail itself: googleapis-common type-checks against its own google-auth-library.
  const oauth = new auth.OAuth2({ clientId: options.clientId, clientSecret: options.clientSecret, redirectUri: options.redirectUri });
  // An access token alone: without a refresh token the library never refreshes, so a 401 surfaces here.
  oauth.setCredentials({ access_token: options.accessToken });
  const api = gmail({ version: 'v1', auth: oauth, rootUrl: options.rootUrl, retry: false, timeout: options.timeoutMs });
  const users = api.users;

  const profile = async () => {
    const { data } = await call('get the profile', () => users.getProfile({ userId: 'me' }));
    if (!data.emailAddress || !data.historyId) throw new Error('Gmail getProfile answered without an email address or history id');
    return { emailAddress: data.emailAddress.toLowerCase(), historyId: data.historyId };
  };

  return {
    profile,

    async watch(topicName: string) {
      if (!/^projects\/[^/]+\/topics\/[^/]+$/.test(topicName)) throw new ConfigurationError(`the Pub/Sub topic must look like projects/<project>/topics/<topic>, got ${JSON.stringify(topicName)}`);
      const { data } = await call('watch the inbox', () => users.watch({ userId: 'me', requestBody: { topicName, labelIds: ['INBOX'], labelFilterBehavior: 'include' } }), { watch: true });
      const expirationMs = Number(data.expiration);
      if (!data.historyId || !Number.isFinite(expirationMs)) throw new Error('Gmail watch answered without a history id or expiration');
      return { historyId: data.historyId, expirationMs };
    },

    async stopWatch() {
      await call('stop the watch', () => users.stop({ userId: 'me' }));
    },

    async history(startHistoryId: string): Promise<HistoryPage> {
      if (!/^\d+$/.test(startHistoryId)) throw new ValidationError(`a Gmail history id is a number, got ${JSON.stringify(startHistoryId)}`);
      const ids = new Set<string>();
      let pageToken: string | undefined;
      let historyId = startHistoryId;
      const seen = new Set<string>();
      for (;;) {
        let data: gmail_v1.Schema$ListHistoryResponse;
        try {
          ({ data } = await call('list the history', () => users.history.list({ userId: 'me', startHistoryId, historyTypes: ['messageAdded'], maxResults: PAGE_SIZE, ...(pageToken ? { pageToken } : {}) })));
        } catch (error) {
          // Gmail keeps history for about a week (sometimes only hours): a 404 means start over with a full sync.
          if (error instanceof NotFoundError) return { kind: 'too_old' };
          throw error;
        }
        for (const record of data.history ?? []) {
          for (const added of record.messagesAdded ?? []) {
            const message = added.message;
            // A draft (ours or the rep's) is never an inbound message, and each edit adds a new one.
            if (!message?.id || message.labelIds?.includes('DRAFT')) continue;
            ids.add(message.id);
          }
        }
        if (data.historyId) historyId = data.historyId;
        if (!data.nextPageToken) break;
        if (seen.has(data.nextPageToken)) throw new Error('Gmail history.list repeated a page token');
        seen.add(data.nextPageToken);
        pageToken = data.nextPageToken;
      }
      return { kind: 'changes', messageIds: [...ids], historyId };
    },

    async recentMessages(sinceMs: number) {
      if (!Number.isFinite(sinceMs) || sinceMs < 0) throw new ValidationError(`recentMessages needs a time, got ${sinceMs}`);
      // The history id first: whatever arrives while we list is then also in the history after it (seen twice at
      // worst, which the caller must tolerate anyway), never in neither.
      const { historyId } = await profile();
      // Epoch seconds are exact (a date would be midnight in the account's zone); drafts are no inbound mail.
      const q = `after:${Math.floor(sinceMs / 1000)} -in:drafts`;
      const ids: string[] = [];
      let pageToken: string | undefined;
      const seen = new Set<string>();
      for (;;) {
        const { data } = await call('list recent messages', () => users.messages.list({ userId: 'me', q, maxResults: PAGE_SIZE, ...(pageToken ? { pageToken } : {}) }));
        for (const message of data.messages ?? []) if (message.id && !ids.includes(message.id)) ids.push(message.id);
        if (!data.nextPageToken) break;
        if (seen.has(data.nextPageToken)) throw new Error('Gmail messages.list repeated a page token');
        seen.add(data.nextPageToken);
        pageToken = data.nextPageToken;
      }
      return { historyId, messageIds: ids };
    },

    async getMessage(id: string) {
      if (!id.trim()) throw new ValidationError('a Gmail message id is needed');
      // A 404 (deleted between the history and now) leaves as NotFoundError: the caller skips the message.
      const { data } = await call(`get message ${id}`, () => users.messages.get({ userId: 'me', id, format: 'full' }));
      return parseGmailMessage(data);
    },

    async findDraft(key: string) {
      // Gmail search cannot match a custom header, and drafts.get takes no metadataHeaders: list the drafts, then
      // read only the key header of each draft's message (messages.get, format metadata), a few at a time.
      const drafts: Array<{ draftId: string; messageId: string; threadId: string }> = [];
      let pageToken: string | undefined;
      const seen = new Set<string>();
      for (;;) {
        const { data } = await call('list drafts', () => users.drafts.list({ userId: 'me', maxResults: PAGE_SIZE, ...(pageToken ? { pageToken } : {}) }));
        for (const draft of data.drafts ?? []) {
          if (draft.id && draft.message?.id) drafts.push({ draftId: draft.id, messageId: draft.message.id, threadId: draft.message.threadId ?? draft.message.id });
        }
        if (!data.nextPageToken) break;
        if (seen.has(data.nextPageToken)) throw new Error('Gmail drafts.list repeated a page token');
        seen.add(data.nextPageToken);
        pageToken = data.nextPageToken;
      }
      for (let start = 0; start < drafts.length; start += DRAFT_READS_IN_PARALLEL) {
        const batch = drafts.slice(start, start + DRAFT_READS_IN_PARALLEL);
        const keys = await Promise.all(
          batch.map(async (draft) => {
            try {
              const { data } = await call(`read draft ${draft.draftId}`, () => users.messages.get({ userId: 'me', id: draft.messageId, format: 'metadata', metadataHeaders: [DRAFT_KEY_HEADER] }));
              return data.payload?.headers?.find((header) => header.name?.toLowerCase() === DRAFT_KEY_HEADER.toLowerCase())?.value?.trim() ?? null;
            } catch (error) {
              // Sent or deleted since the list: not the one we look for.
              if (error instanceof NotFoundError) return null;
              throw error;
            }
          }),
        );
        const index = keys.indexOf(key);
        if (index >= 0) return batch[index]!;
      }
      return null;
    },

    async createDraft(request) {
      const raw = toRaw(composeDraft(request, options.now()));
      const { data } = await call('create a draft', () => users.drafts.create({ userId: 'me', requestBody: { message: { raw, ...(request.threadId ? { threadId: request.threadId } : {}) } } }));
      if (!data.id || !data.message?.id) throw new Error('Gmail drafts.create answered without a draft or message id');
      return { draftId: data.id, messageId: data.message.id, threadId: data.message.threadId ?? data.message.id };
    },
  };
}

// ---------------------------------------------------------------------------------------------------------
// Errors

interface GoogleApiErrorBody {
  error?: { code?: number; message?: string; status?: string; errors?: Array<{ reason?: string; message?: string }>; details?: Array<{ reason?: string }> };
}

async function call<T>(action: string, fn: () => Promise<T>, context: { watch?: boolean } = {}): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw gmailError(action, error, context);
  }
}

const rateLimitReasons = new Set(['rateLimitExceeded', 'userRateLimitExceeded', 'quotaExceeded', 'dailyLimitExceeded', 'RATE_LIMIT_EXCEEDED']);
const scopeReasons = new Set(['insufficientPermissions', 'ACCESS_TOKEN_SCOPE_INSUFFICIENT']);
const disabledApiReasons = new Set(['accessNotConfigured', 'SERVICE_DISABLED']);

// The message never includes the request: its headers carry the access token.
function gmailError(action: string, error: unknown, { watch = false }: { watch?: boolean }): Error {
  const response = (error as { response?: { status?: unknown; data?: unknown } } | null)?.response;
  const status = typeof response?.status === 'number' ? response.status : null;
  if (status === null) return new Error(`Gmail ${action}: ${(error as Error)?.message ?? String(error)}`);
  const body = (typeof response?.data === 'object' && response.data !== null ? response.data : {}) as GoogleApiErrorBody;
  const reasons = [...(body.error?.errors ?? []).map((e) => e.reason), ...(body.error?.details ?? []).map((d) => d.reason)].filter((r): r is string => typeof r === 'string');
  const message = body.error?.message ?? (typeof response?.data === 'string' ? response.data.slice(0, 200) : 'no details');
  const text = `Gmail ${action}: ${message} (HTTP ${status}${reasons.length ? `, ${reasons.join(', ')}` : ''})`;

  if (status === 401) return new MailboxDisconnectedError(`${text}; the rep must reconnect the mailbox`);
  if (status === 408 || status === 429 || status >= 500) return new Error(text);
  if (status === 403) {
    if (reasons.some((r) => rateLimitReasons.has(r))) return new Error(text);
    if (reasons.some((r) => scopeReasons.has(r)) || /insufficient (?:authentication )?(?:scopes|permission)/i.test(message)) {
      return new MailboxDisconnectedError(`${text}; the grant lacks a Gmail scope, the rep must reconnect and allow it`);
    }
    if (reasons.some((r) => disabledApiReasons.has(r))) return new ConfigurationError(`${text}; enable the Gmail API in the Google Cloud project`);
    // users.watch: Gmail could not publish to the topic (gmail-api-push@system.gserviceaccount.com needs Publisher).
    if (watch) return new ConfigurationError(text);
    return new ProviderRejectedError(text);
  }
  if (watch && (status === 400 || status === 404)) return new ConfigurationError(`${text}; check the Pub/Sub topic`);
  if (status === 404) return new NotFoundError(text);
  if (status === 400) return new ValidationError(text);
  if (status === 409) return new Error(text);
  return new ProviderRejectedError(text);
}
