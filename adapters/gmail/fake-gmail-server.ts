// A local stand-in for the parts of the Gmail API and Google's OAuth endpoints that the adapter uses, for tests
// through the real @googleapis/gmail client (its `rootUrl` replaces only the origin, so Gmail routes keep their
// /gmail/v1/users/{userId}/… paths) and plain fetch (POST /token, POST /revoke).
//
// It keeps one mailbox: messages with ids, threads and labels, a history of messageAdded records (drafts add one
// too, labelled DRAFT, as in Gmail), drafts, and a watch. Access tokens come from the token endpoint or from
// addAccessToken; a wrong one gets Google's 401, a token without the method's scope Google's 403. Errors have
// Google's shape { error: { code, message, errors: [{ message, domain, reason }], status } } and OAuth's
// { error, error_description }.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { gmail_v1 } from '@googleapis/gmail';
import { gmailMessageFromRaw, rawHeaders } from './fake-gmail-mime.ts';
import { headerRecord } from './message.ts';
import { GMAIL_SCOPES } from './port.ts';

export interface RecordedGmailRequest {
  method: string;
  path: string;
  /** Query parameters; a repeated one (historyTypes, metadataHeaders) joined with ",". */
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** Parsed JSON, a form as an object, the raw text otherwise, or null when there is none. */
  body: unknown;
}

export interface FakeGmailOptions {
  clientId?: string;
  clientSecret?: string;
  /** The mailbox's address (getProfile, and the id_token's email). */
  emailAddress?: string;
  /** The first history id. */
  startHistoryId?: number;
  /** At most this many history records per page, whatever maxResults asks: to test paging. */
  historyPageSize?: number;
  /** At most this many messages or drafts per list page. */
  listPageSize?: number;
}

export interface FakeGmailDraft {
  id: string;
  messageId: string;
  threadId: string;
  /** The threadId the create request asked for, if any. */
  requestedThreadId: string | null;
  /** The message as the client uploaded it (decoded from base64url). */
  raw: string;
  /** Its headers, decoded, last one winning per name. */
  headers: Record<string, string>;
}

export interface FakeGrantOptions {
  /** Granted scopes; by default the Gmail scopes, openid and email. Without openid there is no id_token. */
  scopes?: string[];
  /** When set, the exchange must name this redirect_uri (redirect_uri_mismatch otherwise). */
  redirectUri?: string;
  emailAddress?: string;
}

export type MessageSource = string | Buffer | gmail_v1.Schema$Message | { raw: string; message: gmail_v1.Schema$Message };

export interface FakeGmailServer {
  /** The origin: the Gmail client's rootUrl. */
  url: string;
  tokenUrl: string;
  revokeUrl: string;
  clientId: string;
  clientSecret: string;
  emailAddress: string;
  requests(): RecordedGmailRequest[];
  /** A one-time authorization code the token endpoint will exchange. */
  addAuthorizationCode(code: string, options?: FakeGrantOptions): void;
  /** An access token the Gmail routes accept (default: the Gmail scopes). */
  addAccessToken(token: string, scopes?: readonly string[]): void;
  /** Whether a token (access or refresh) is currently valid. */
  isTokenValid(token: string): boolean;
  /** Puts a message in the mailbox: new id, the thread it replies to (or `threadId`, or a new one), a new history id. */
  addMessage(source: MessageSource, options?: { labelIds?: string[]; threadId?: string; internalDateMs?: number }): gmail_v1.Schema$Message;
  /** Deletes a message for good (as if the rep had emptied the trash). */
  removeMessage(id: string): void;
  historyId(): string;
  /** history.list from any id before `id` answers 404 (Gmail keeps history for about a week). */
  expireHistoryBefore(id: string | number): void;
  drafts(): FakeGmailDraft[];
  watchState(): { topicName: string; labelIds: string[]; labelFilterBehavior: string | null; expirationMs: number } | null;
  /** The next n requests (any route) answer `status` with `body` (default: a Google-shaped error). */
  failNext(n: number, status: number, body?: unknown): void;
  /** The next n requests lose their connection without an answer. */
  dropNext(n: number): void;
  /** Forgets requests, messages, history, drafts, the watch, codes, tokens and pending failures. */
  reset(): void;
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------------------
// Google's error bodies

const statusNames: Record<number, { status: string; reason: string; message: string }> = {
  400: { status: 'INVALID_ARGUMENT', reason: 'badRequest', message: 'Invalid argument (injected).' },
  401: { status: 'UNAUTHENTICATED', reason: 'authError', message: 'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.' },
  403: { status: 'PERMISSION_DENIED', reason: 'insufficientPermissions', message: 'Request had insufficient authentication scopes.' },
  404: { status: 'NOT_FOUND', reason: 'notFound', message: 'Requested entity was not found.' },
  409: { status: 'ABORTED', reason: 'conflict', message: 'Conflict (injected).' },
  429: { status: 'RESOURCE_EXHAUSTED', reason: 'rateLimitExceeded', message: 'Too many concurrent requests for user.' },
  500: { status: 'INTERNAL', reason: 'backendError', message: 'Internal error encountered.' },
  503: { status: 'UNAVAILABLE', reason: 'backendError', message: 'The service is currently unavailable.' },
};

/** A Google API error body for `status`, with optional changes (e.g. a 403 rate limit: reason userRateLimitExceeded). */
export function googleError(code: number, over: { message?: string; reason?: string; status?: string } = {}) {
  const base = statusNames[code] ?? { status: code >= 500 ? 'INTERNAL' : 'FAILED_PRECONDITION', reason: code >= 500 ? 'backendError' : 'failedPrecondition', message: `HTTP ${code} (injected).` };
  const message = over.message ?? base.message;
  const reason = over.reason ?? base.reason;
  const errors = [{ message: code === 401 ? 'Invalid Credentials' : code === 403 && reason === 'insufficientPermissions' ? 'Insufficient Permission' : message, domain: code === 429 ? 'usageLimits' : 'global', reason, ...(code === 401 ? { location: 'Authorization', locationType: 'header' } : {}) }];
  const details = code === 403 && reason === 'insufficientPermissions' ? [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'ACCESS_TOKEN_SCOPE_INSUFFICIENT', domain: 'googleapis.com', metadata: { service: 'gmail.googleapis.com' } }] : undefined;
  return { error: { code, message, errors, status: over.status ?? base.status, ...(details ? { details } : {}) } };
}

// Scopes that authorise each kind of call, from the API reference's "Authorization scopes" lists.
const FULL = 'https://mail.google.com/';
const MODIFY = 'https://www.googleapis.com/auth/gmail.modify';
const READONLY = 'https://www.googleapis.com/auth/gmail.readonly';
const COMPOSE = 'https://www.googleapis.com/auth/gmail.compose';
const METADATA = 'https://www.googleapis.com/auth/gmail.metadata';
const scopesFor = {
  read: [FULL, MODIFY, READONLY],
  metadata: [FULL, MODIFY, READONLY, METADATA],
  profile: [FULL, MODIFY, READONLY, COMPOSE, METADATA],
  readDrafts: [FULL, MODIFY, READONLY, COMPOSE],
  compose: [FULL, MODIFY, COMPOSE],
} as const;

const DEFAULT_GRANTED = [...GMAIL_SCOPES, 'openid', 'https://www.googleapis.com/auth/userinfo.email'];

// ---------------------------------------------------------------------------------------------------------

interface StoredMessage {
  message: gmail_v1.Schema$Message;
  raw: Buffer | null;
  rfcMessageId: string | null;
  subject: string;
}

interface HistoryRecord {
  id: number;
  messageId: string;
  threadId: string;
  labelIds: string[];
}

interface Grant {
  emailAddress: string;
  scopes: string[];
  refreshToken: string;
  accessTokens: Set<string>;
  revoked: boolean;
}

type Failure = { status: number; body: unknown } | 'drop';

export async function startFakeGmailServer(options: FakeGmailOptions = {}): Promise<FakeGmailServer> {
  const clientId = options.clientId ?? 'fake-client-id.apps.googleusercontent.com';
  const clientSecret = options.clientSecret ?? 'fake-client-secret';
  const emailAddress = (options.emailAddress ?? 'tom.becker@acme-sales.example.com').toLowerCase();
  const firstHistoryId = options.startHistoryId ?? 4_812_300;

  const requests: RecordedGmailRequest[] = [];
  const failures: Failure[] = [];
  let messages = new Map<string, StoredMessage>();
  let history: HistoryRecord[] = [];
  let drafts: Array<FakeGmailDraft & { createdAt: number }> = [];
  let currentHistoryId = firstHistoryId;
  let oldestKept = 0;
  let counter = 0;
  let watch: { topicName: string; labelIds: string[]; labelFilterBehavior: string | null; expirationMs: number } | null = null;
  let codes = new Map<string, { options: FakeGrantOptions }>();
  let grants: Grant[] = [];
  let extraTokens = new Map<string, string[]>();

  const nextMessageId = () => (0x18d2a4c3e5f6a000n + BigInt(++counter) * 0x1f3an).toString(16);
  // History ids grow with gaps, as Gmail's do: tests must not assume +1.
  const bumpHistory = () => (currentHistoryId += 3 + (counter % 5));

  const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', ...headers }).end(JSON.stringify(body));
  };
  const apiError = (res: ServerResponse, code: number, over: Parameters<typeof googleError>[1] = {}) =>
    json(res, code, googleError(code, over), code === 401 ? { 'www-authenticate': 'Bearer realm="https://accounts.google.com/", error="invalid_token"' } : {});
  const oauthError = (res: ServerResponse, status: number, error: string, description: string) => json(res, status, { error, error_description: description }, { 'cache-control': 'no-cache, no-store, max-age=0, must-revalidate' });

  // -------------------------------------------------------------------------------------------------------
  // Messages and history

  const threadOf = (headers: Record<string, string>): string | null => {
    const ids: string[] = `${headerValue(headers, 'in-reply-to') ?? ''} ${headerValue(headers, 'references') ?? ''}`.match(/<[^<>\s]+>/g) ?? [];
    for (const stored of messages.values()) if (stored.rfcMessageId && ids.includes(stored.rfcMessageId)) return stored.message.threadId ?? null;
    return null;
  };

  const store = (message: gmail_v1.Schema$Message, raw: Buffer | null): gmail_v1.Schema$Message => {
    const headers = headerRecord(message.payload?.headers ?? []);
    messages.set(message.id!, { message, raw, rfcMessageId: headerValue(headers, 'message-id')?.match(/<[^<>\s]+>/)?.[0] ?? null, subject: headerValue(headers, 'subject') ?? '' });
    history.push({ id: Number(message.historyId), messageId: message.id!, threadId: message.threadId!, labelIds: message.labelIds ?? [] });
    return message;
  };

  const addMessage: FakeGmailServer['addMessage'] = (source, opts = {}) => {
    const id = nextMessageId();
    const historyId = String(bumpHistory());
    const labelIds = opts.labelIds ?? ['INBOX', 'UNREAD'];
    let raw: Buffer | null = null;
    let base: gmail_v1.Schema$Message;
    if (typeof source === 'string' || Buffer.isBuffer(source)) {
      raw = typeof source === 'string' ? Buffer.from(source.replace(/\r?\n/g, '\r\n'), 'utf8') : source;
      base = gmailMessageFromRaw(raw, { id, threadId: id, labelIds, internalDate: opts.internalDateMs ?? Date.now(), historyId });
    } else if ('raw' in source && typeof source.raw === 'string' && 'message' in source) {
      raw = Buffer.from(source.raw.replace(/\r?\n/g, '\r\n'), 'utf8');
      base = structuredClone(source.message);
    } else {
      base = structuredClone(source as gmail_v1.Schema$Message);
    }
    const headers = headerRecord(base.payload?.headers ?? []);
    const threadId = opts.threadId ?? threadOf(headers) ?? id;
    const internalDate = opts.internalDateMs ?? (base.internalDate ? Number(base.internalDate) : Date.now());
    return structuredClone(store({ ...base, id, threadId, labelIds, historyId, internalDate: String(internalDate) }, raw));
  };

  const formatted = (stored: StoredMessage, format: string, metadataHeaders: string[]): gmail_v1.Schema$Message | null => {
    const { message } = stored;
    const { payload: _payload, ...rest } = message;
    switch (format) {
      case 'minimal':
        return structuredClone(rest);
      case 'metadata': {
        const wanted = metadataHeaders.map((name) => name.toLowerCase());
        const headers = (message.payload?.headers ?? []).filter((h) => wanted.length === 0 || wanted.includes((h.name ?? '').toLowerCase()));
        return structuredClone({ ...rest, payload: { partId: '', mimeType: message.payload?.mimeType ?? 'text/plain', filename: '', headers } });
      }
      case 'raw':
        return stored.raw ? { ...structuredClone(rest), raw: stored.raw.toString('base64url') } : null;
      default:
        return structuredClone(message);
    }
  };

  // -------------------------------------------------------------------------------------------------------
  // Routes

  const page = <T>(items: T[], query: Record<string, string>, cap: number): { items: T[]; nextPageToken?: string } => {
    const offset = query.pageToken ? Number(Buffer.from(query.pageToken, 'base64url').toString('utf8').split(':')[1]) : 0;
    const size = Math.max(1, Math.min(Number(query.maxResults) || 100, 500, cap));
    const slice = items.slice(offset, offset + size);
    const next = offset + size < items.length ? Buffer.from(`page:${offset + size}:${randomBytes(3).toString('hex')}`).toString('base64url') : undefined;
    return next ? { items: slice, nextPageToken: next } : { items: slice };
  };

  const listHistory = (res: ServerResponse, query: Record<string, string>) => {
    if (!/^\d+$/.test(query.startHistoryId ?? '')) return apiError(res, 400, { message: query.startHistoryId ? 'Invalid startHistoryId' : 'Missing startHistoryId' });
    const start = Number(query.startHistoryId);
    if (start < oldestKept) return apiError(res, 404);
    const types = (query.historyTypes ?? 'messageAdded').split(',');
    const records = history.filter((record) => record.id > start && types.includes('messageAdded') && (!query.labelId || record.labelIds.includes(query.labelId)));
    const { items, nextPageToken } = page(records, query, options.historyPageSize ?? 500);
    const body: gmail_v1.Schema$ListHistoryResponse = {
      ...(items.length > 0
        ? {
            history: items.map((record) => ({
              id: String(record.id),
              messages: [{ id: record.messageId, threadId: record.threadId }],
              messagesAdded: [{ message: { id: record.messageId, threadId: record.threadId, labelIds: record.labelIds } }],
            })),
          }
        : {}),
      ...(nextPageToken ? { nextPageToken } : {}),
      historyId: String(currentHistoryId),
    };
    return json(res, 200, body);
  };

  const listMessages = (res: ServerResponse, query: Record<string, string>) => {
    const terms = (query.q ?? '').split(/\s+/).filter(Boolean);
    const matches = (stored: StoredMessage) => {
      const labels = stored.message.labelIds ?? [];
      const internal = Number(stored.message.internalDate);
      if (query.includeSpamTrash !== 'true' && (labels.includes('SPAM') || labels.includes('TRASH'))) return false;
      for (const term of terms) {
        const negated = term.startsWith('-');
        const [operator, value = ''] = (negated ? term.slice(1) : term).split(':');
        let hit: boolean;
        if (operator === 'after' || operator === 'before') {
          const at = /^\d+$/.test(value) ? Number(value) * 1000 : Date.parse(value.replaceAll('/', '-'));
          hit = operator === 'after' ? internal > at : internal < at;
        } else if (operator === 'in' || operator === 'label') {
          const label = { drafts: 'DRAFT', draft: 'DRAFT', sent: 'SENT', inbox: 'INBOX', spam: 'SPAM', trash: 'TRASH' }[value.toLowerCase()] ?? value.toUpperCase();
          hit = labels.includes(label);
        } else continue;
        if (hit === negated) return false;
      }
      return true;
    };
    const found = [...messages.values()].filter(matches).sort((a, b) => Number(b.message.internalDate) - Number(a.message.internalDate));
    const { items, nextPageToken } = page(found, query, options.listPageSize ?? 500);
    return json(res, 200, {
      ...(items.length > 0 ? { messages: items.map((s) => ({ id: s.message.id, threadId: s.message.threadId })) } : {}),
      ...(nextPageToken ? { nextPageToken } : {}),
      resultSizeEstimate: found.length,
    });
  };

  const createDraft = (res: ServerResponse, body: unknown) => {
    const message = (body as { message?: { raw?: unknown; threadId?: unknown } } | null)?.message;
    if (typeof message?.raw !== 'string' || !message.raw) return apiError(res, 400, { message: 'Missing draft message', reason: 'invalidArgument' });
    if (!/^[A-Za-z0-9_\-=]+$/.test(message.raw)) return apiError(res, 400, { message: "Invalid value at 'draft.message.raw' (TYPE_BYTES), Base64 decoding failed", reason: 'invalid' });
    let raw = Buffer.from(message.raw, 'base64url');
    const id = nextMessageId();
    const uploaded = headerRecord(rawHeaders(raw));
    // Gmail gives every stored draft a Message-ID when the client did not.
    if (!headerValue(uploaded, 'message-id')) raw = Buffer.concat([Buffer.from(`Message-ID: <CA+fake${id}@mail.gmail.com>\r\n`), raw]);
    const requestedThreadId = typeof message.threadId === 'string' && message.threadId ? message.threadId : null;
    // Gmail's rule for joining a thread: the threadId, References/In-Reply-To naming a message of that thread,
    // and the same subject (give or take Re:/Fwd:). Otherwise the draft starts a thread of its own.
    let threadId = id;
    if (requestedThreadId) {
      const ids: string[] = `${headerValue(uploaded, 'in-reply-to') ?? ''} ${headerValue(uploaded, 'references') ?? ''}`.match(/<[^<>\s]+>/g) ?? [];
      const inThread = [...messages.values()].filter((stored) => stored.message.threadId === requestedThreadId);
      const subject = baseSubject(headerValue(uploaded, 'subject') ?? '');
      if (inThread.some((stored) => stored.rfcMessageId && ids.includes(stored.rfcMessageId) && baseSubject(stored.subject) === subject)) threadId = requestedThreadId;
    }
    const historyId = String(bumpHistory());
    const stored = store(gmailMessageFromRaw(raw, { id, threadId, labelIds: ['DRAFT'], internalDate: Date.now(), historyId }), raw);
    const draftId = `r${(5_184_927_271_717_427_000n + BigInt(counter) * 7919n).toString()}`;
    drafts.unshift({ id: draftId, messageId: id, threadId, requestedThreadId, raw: raw.toString('utf8'), headers: headerRecord(rawHeaders(raw)), createdAt: Date.now() });
    return json(res, 200, { id: draftId, message: { id, threadId: stored.threadId, labelIds: ['DRAFT'] } });
  };

  const gmailRoute = (req: IncomingMessage, res: ServerResponse, route: string, query: Record<string, string>, all: URLSearchParams, body: unknown, scopes: readonly string[]) => {
    const allowed = (needed: readonly string[]) => needed.some((scope) => scopes.includes(scope));
    const method = req.method ?? 'GET';
    const messageMatch = /^messages\/([^/]+)$/.exec(route);
    const draftMatch = /^drafts\/([^/]+)$/.exec(route);

    if (method === 'POST' && route === 'watch') {
      if (!allowed(scopesFor.metadata)) return apiError(res, 403);
      const request = (body ?? {}) as { topicName?: unknown; labelIds?: unknown; labelFilterBehavior?: unknown; labelFilterAction?: unknown };
      if (typeof request.topicName !== 'string' || !/^projects\/[^/]+\/topics\/[^/]+$/.test(request.topicName)) {
        return apiError(res, 400, { message: 'Invalid topicName does not match projects/<project-id>/topics/*', reason: 'invalidArgument' });
      }
      watch = {
        topicName: request.topicName,
        labelIds: Array.isArray(request.labelIds) ? request.labelIds.map(String) : [],
        labelFilterBehavior: typeof request.labelFilterBehavior === 'string' ? request.labelFilterBehavior : typeof request.labelFilterAction === 'string' ? request.labelFilterAction : null,
        expirationMs: Date.now() + 7 * 24 * 3600 * 1000,
      };
      return json(res, 200, { historyId: String(currentHistoryId), expiration: String(watch.expirationMs) });
    }
    if (method === 'POST' && route === 'stop') {
      if (!allowed(scopesFor.metadata)) return apiError(res, 403);
      watch = null;
      return void res.writeHead(204).end();
    }
    if (method === 'GET' && route === 'profile') {
      if (!allowed(scopesFor.profile)) return apiError(res, 403);
      const threads = new Set([...messages.values()].map((s) => s.message.threadId));
      return json(res, 200, { emailAddress, messagesTotal: messages.size, threadsTotal: threads.size, historyId: String(currentHistoryId) });
    }
    if (method === 'GET' && route === 'history') {
      if (!allowed(scopesFor.metadata)) return apiError(res, 403);
      return listHistory(res, query);
    }
    if (method === 'GET' && route === 'messages') {
      if (!allowed(scopesFor.read)) return apiError(res, 403);
      return listMessages(res, query);
    }
    if (method === 'GET' && messageMatch) {
      const format = query.format ?? 'full';
      if (!allowed(format === 'metadata' || format === 'minimal' ? scopesFor.metadata : scopesFor.read)) return apiError(res, 403);
      const stored = messages.get(decodeURIComponent(messageMatch[1]!));
      if (!stored) return apiError(res, 404);
      const answer = formatted(stored, format, all.getAll('metadataHeaders'));
      return answer ? json(res, 200, answer) : apiError(res, 400, { message: 'The fake keeps no raw source for this message' });
    }
    if (method === 'GET' && route === 'drafts') {
      if (!allowed(scopesFor.readDrafts)) return apiError(res, 403);
      const { items, nextPageToken } = page(drafts, query, options.listPageSize ?? 500);
      return json(res, 200, {
        ...(items.length > 0 ? { drafts: items.map((d) => ({ id: d.id, message: { id: d.messageId, threadId: d.threadId } })) } : {}),
        ...(nextPageToken ? { nextPageToken } : {}),
        resultSizeEstimate: drafts.length,
      });
    }
    if (method === 'POST' && route === 'drafts') {
      if (!allowed(scopesFor.compose)) return apiError(res, 403);
      return createDraft(res, body);
    }
    if (method === 'GET' && draftMatch) {
      if (!allowed(scopesFor.readDrafts)) return apiError(res, 403);
      const draft = drafts.find((d) => d.id === decodeURIComponent(draftMatch[1]!));
      const stored = draft && messages.get(draft.messageId);
      if (!draft || !stored) return apiError(res, 404);
      return json(res, 200, { id: draft.id, message: formatted(stored, query.format ?? 'full', []) });
    }
    return apiError(res, 404, { message: `The fake Gmail API has no ${method} ${route}` });
  };

  // -------------------------------------------------------------------------------------------------------
  // OAuth

  const issueAccessToken = (grant: Grant) => {
    const token = `ya29.a0${randomBytes(48).toString('base64url')}`;
    grant.accessTokens.add(token);
    return token;
  };

  const idToken = (grant: Grant) => {
    const nowS = Math.floor(Date.now() / 1000);
    const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const claims = { iss: 'https://accounts.google.com', azp: clientId, aud: clientId, sub: `1${String(grant.emailAddress.length).padStart(20, '7')}`, email: grant.emailAddress, email_verified: true, at_hash: randomBytes(16).toString('base64url'), iat: nowS, exp: nowS + 3600 };
    // Signed by no one: the adapter does not check the signature of a token it got straight from the endpoint.
    return `${part({ alg: 'RS256', kid: 'fake-key', typ: 'JWT' })}.${part(claims)}.${randomBytes(64).toString('base64url')}`;
  };

  const tokenAnswer = (res: ServerResponse, grant: Grant, withRefreshToken: boolean) =>
    json(
      res,
      200,
      {
        access_token: issueAccessToken(grant),
        expires_in: 3599,
        ...(withRefreshToken ? { refresh_token: grant.refreshToken } : {}),
        scope: grant.scopes.join(' '),
        token_type: 'Bearer',
        ...(grant.scopes.includes('openid') ? { id_token: idToken(grant) } : {}),
      },
      { 'cache-control': 'no-cache, no-store, max-age=0, must-revalidate', pragma: 'no-cache' },
    );

  const token = (req: IncomingMessage, res: ServerResponse, form: Record<string, string>) => {
    let id = form.client_id;
    let secret = form.client_secret;
    const basic = /^Basic (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (basic) [id, secret] = Buffer.from(basic, 'base64').toString('utf8').split(':');
    if (id !== clientId) return oauthError(res, 401, 'invalid_client', 'The OAuth client was not found.');
    if (secret !== clientSecret) return oauthError(res, 401, 'invalid_client', 'Unauthorized');
    if (form.grant_type === 'authorization_code') {
      if (!form.code) return oauthError(res, 400, 'invalid_request', 'Missing required parameter: code');
      const entry = codes.get(form.code);
      if (!entry) return oauthError(res, 400, 'invalid_grant', 'Bad Request');
      if (entry.options.redirectUri !== undefined && entry.options.redirectUri !== form.redirect_uri) return oauthError(res, 400, 'redirect_uri_mismatch', 'Bad Request');
      codes.delete(form.code);
      const grant: Grant = { emailAddress: (entry.options.emailAddress ?? emailAddress).toLowerCase(), scopes: entry.options.scopes ?? DEFAULT_GRANTED, refreshToken: `1//0${randomBytes(40).toString('base64url')}`, accessTokens: new Set(), revoked: false };
      grants.push(grant);
      return tokenAnswer(res, grant, true);
    }
    if (form.grant_type === 'refresh_token') {
      const grant = grants.find((g) => g.refreshToken === form.refresh_token);
      if (!grant || grant.revoked) return oauthError(res, 400, 'invalid_grant', 'Token has been expired or revoked.');
      return tokenAnswer(res, grant, false);
    }
    return oauthError(res, 400, 'unsupported_grant_type', `Invalid grant_type: ${form.grant_type ?? ''}`);
  };

  const revoke = (res: ServerResponse, value: string | undefined) => {
    if (value && extraTokens.delete(value)) return json(res, 200, {});
    const grant = grants.find((g) => !g.revoked && (g.refreshToken === value || (value !== undefined && g.accessTokens.has(value))));
    if (!grant) return oauthError(res, 400, 'invalid_token', 'Token expired or revoked');
    // Revoking either token ends the whole grant.
    grant.revoked = true;
    return json(res, 200, {});
  };

  const scopesOfAccessToken = (value: string): string[] | null => {
    const extra = extraTokens.get(value);
    if (extra) return extra;
    const grant = grants.find((g) => !g.revoked && g.accessTokens.has(value));
    return grant ? grant.scopes : null;
  };

  // -------------------------------------------------------------------------------------------------------

  const handle = (req: IncomingMessage, res: ServerResponse, raw: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const text = raw.toString('utf8');
    const isForm = (req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
    let body: unknown = null;
    if (text) {
      if (isForm) body = Object.fromEntries(new URLSearchParams(text));
      else {
        try {
          body = JSON.parse(text);
        } catch {
          body = text;
        }
      }
    }
    const query: Record<string, string> = {};
    for (const key of new Set(url.searchParams.keys())) query[key] = url.searchParams.getAll(key).join(',');
    requests.push({ method: req.method ?? '', path: url.pathname, query, headers: req.headers, body });

    const failure = failures.shift();
    if (failure === 'drop') return void req.socket.destroy();
    if (failure) {
      if (typeof failure.body === 'string') return void res.writeHead(failure.status, { 'content-type': 'text/html; charset=UTF-8' }).end(failure.body);
      return json(res, failure.status, failure.body);
    }

    if (req.method === 'POST' && url.pathname === '/token') return token(req, res, isForm && body && typeof body === 'object' ? (body as Record<string, string>) : {});
    if (req.method === 'POST' && url.pathname === '/revoke') return revoke(res, url.searchParams.get('token') ?? (isForm && body && typeof body === 'object' ? (body as Record<string, string>).token : undefined));

    const gmailPath = /^\/gmail\/v1\/users\/([^/]+)\/(.+)$/.exec(url.pathname);
    if (!gmailPath) return apiError(res, 404, { message: `The fake has no ${req.method} ${url.pathname}` });
    const bearer = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
    const scopes = bearer ? scopesOfAccessToken(bearer) : null;
    if (!scopes) return apiError(res, 401);
    const userId = decodeURIComponent(gmailPath[1]!).toLowerCase();
    if (userId !== 'me' && userId !== emailAddress) return apiError(res, 403, { message: 'Delegation denied for ' + emailAddress, reason: 'forbidden' });
    return gmailRoute(req, res, gmailPath[2]!, query, url.searchParams, body, scopes);
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => handle(req, res, Buffer.concat(chunks)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;

  return {
    url: origin,
    tokenUrl: `${origin}/token`,
    revokeUrl: `${origin}/revoke`,
    clientId,
    clientSecret,
    emailAddress,
    requests: () => [...requests],
    addAuthorizationCode: (code, grantOptions = {}) => void codes.set(code, { options: grantOptions }),
    addAccessToken: (value, scopes = GMAIL_SCOPES) => void extraTokens.set(value, [...scopes]),
    isTokenValid: (value) => scopesOfAccessToken(value) !== null || grants.some((g) => !g.revoked && g.refreshToken === value),
    addMessage,
    removeMessage: (id) => void messages.delete(id),
    historyId: () => String(currentHistoryId),
    expireHistoryBefore: (id) => {
      oldestKept = Number(id);
      history = history.filter((record) => record.id >= oldestKept);
    },
    drafts: () => drafts.map(({ createdAt: _createdAt, ...draft }) => structuredClone(draft)),
    watchState: () => (watch ? { ...watch } : null),
    failNext: (n, status, body) => {
      for (let i = 0; i < n; i++) failures.push({ status, body: body ?? googleError(status) });
    },
    dropNext: (n) => {
      for (let i = 0; i < n; i++) failures.push('drop');
    },
    reset: () => {
      requests.length = 0;
      failures.length = 0;
      messages = new Map();
      history = [];
      drafts = [];
      currentHistoryId = firstHistoryId;
      oldestKept = 0;
      watch = null;
      codes = new Map();
      grants = [];
      extraTokens = new Map();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function headerValue(headers: Record<string, string>, lowerName: string): string | undefined {
  for (const [name, value] of Object.entries(headers)) if (name.toLowerCase() === lowerName) return value;
  return undefined;
}

function baseSubject(subject: string): string {
  return subject.replace(/^\s*(?:(?:re|fwd?|aw|wg)\s*:\s*)+/i, '').trim().toLowerCase();
}
