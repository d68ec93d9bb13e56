// A local stand-in for the parts of the Resend API the SDK calls here, for tests through the real `resend` client:
// POST /emails (with Idempotency-Key handled the way Resend documents it) and GET /domains (paginated).
// Error bodies have Resend's shape { statusCode, name, message }: the SDK takes the status from the body.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedResendRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body, the raw text when it is not JSON, or null when there is none. */
  body: unknown;
}

export interface AcceptedResendEmail {
  id: string;
  idempotencyKey: string | null;
  /** The API payload as the SDK sent it (snake_case: reply_to, tags as [{ name, value }]). */
  payload: Record<string, unknown>;
  acceptedAt: string;
}

export interface FakeResendDomain {
  id: string;
  name: string;
  status: string;
  created_at: string;
  region: string;
  capabilities: { sending: 'enabled' | 'disabled'; receiving: 'enabled' | 'disabled' };
}

export interface FakeResendServer {
  url: string;
  requests(): RecordedResendRequest[];
  /** One entry per email accepted; a replay of the same Idempotency-Key and payload does not add one. */
  acceptedEmails(): AcceptedResendEmail[];
  /** The next n requests (any route) answer `status` with `body` (default: a Resend-shaped error; a string is sent as is). */
  failNext(n: number, status: number, body?: unknown): void;
  /** The next n requests lose their connection without an answer. */
  dropNext(n: number): void;
  /** The account's domains. Once any are set, a From domain must be one of them and verified, as at Resend. */
  setDomains(domains: Array<Partial<FakeResendDomain> & { name: string; status: string }>): void;
  /** Forgets requests, emails, idempotency keys, domains and pending failures. */
  reset(): void;
  close(): Promise<void>;
}

type Failure = { status: number; body: unknown } | 'drop';

const defaultErrorNames: Record<number, string> = {
  400: 'validation_error',
  401: 'missing_api_key',
  403: 'invalid_api_key',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'concurrent_idempotent_requests',
  422: 'validation_error',
  429: 'rate_limit_exceeded',
  500: 'internal_server_error',
};

const MAX_IDEMPOTENCY_KEY_LENGTH = 256;
const tagPattern = /^[A-Za-z0-9_-]{1,256}$/;
const addressPattern = /^[^\s@<>",;]+@[^\s@<>",;]+\.[^\s@<>",;]+$/;
// Resend accepts "address" or "Name <address>" (the name optionally quoted).
const mailboxPattern = /^(?:(?:"(?:[^"\\]|\\.)*"|[^<>"]*)\s*<([^<>\s]+)>|([^<>\s]+))$/;

export async function startFakeResendServer(): Promise<FakeResendServer> {
  const requests: RecordedResendRequest[] = [];
  const accepted: AcceptedResendEmail[] = [];
  const byKey = new Map<string, { canonical: string; id: string }>();
  const failures: Failure[] = [];
  let domains: FakeResendDomain[] = [];

  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };
  const error = (res: ServerResponse, statusCode: number, name: string, message: string) => json(res, statusCode, { statusCode, name, message });

  const sendEmail = (req: IncomingMessage, res: ServerResponse, body: unknown) => {
    const key = req.headers['idempotency-key'];
    const idempotencyKey = typeof key === 'string' ? key : null;
    if (idempotencyKey !== null && (idempotencyKey.length < 1 || idempotencyKey.length > MAX_IDEMPOTENCY_KEY_LENGTH)) {
      return error(res, 400, 'invalid_idempotency_key', 'The key must be between 1-256 chars.');
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return error(res, 422, 'validation_error', 'Invalid JSON body.');
    const payload = body as Record<string, unknown>;
    const canonical = canonicalJson(payload);
    if (idempotencyKey !== null) {
      const previous = byKey.get(idempotencyKey);
      if (previous && previous.canonical !== canonical) {
        return error(res, 409, 'invalid_idempotent_request', 'This idempotency key has already been used on a request that had a different payload. Retrying this request is useless without changing the idempotency key or payload.');
      }
      if (previous) return json(res, 200, { id: previous.id });
    }

    for (const field of ['from', 'to', 'subject'] as const) {
      if (payload[field] === undefined || payload[field] === null || payload[field] === '') {
        return error(res, 422, 'missing_required_field', `Missing \`${field}\` field.`);
      }
    }
    if (payload.html === undefined && payload.text === undefined) return error(res, 422, 'missing_required_field', 'Missing `html` or `text` field.');
    const from = mailboxAddress(payload.from);
    if (!from) return error(res, 422, 'validation_error', 'Invalid `from` field. The email address needs to follow the `email@example.com` or `Name <email@example.com>` format.');
    for (const field of ['to', 'reply_to', 'cc', 'bcc'] as const) {
      const value = payload[field];
      if (value === undefined || value === null) continue;
      const list = Array.isArray(value) ? value : [value];
      if (list.length === 0 || list.some((item) => !mailboxAddress(item))) {
        return error(res, 422, 'validation_error', `Invalid \`${field}\` field. The email address needs to follow the \`email@example.com\` or \`Name <email@example.com>\` format.`);
      }
    }
    const tags = payload.tags ?? [];
    if (!Array.isArray(tags) || tags.some((tag: { name?: unknown; value?: unknown }) => !tagPattern.test(String(tag?.name)) || !tagPattern.test(String(tag?.value)))) {
      return error(res, 422, 'validation_error', 'Tags should only contain ASCII letters (a–z, A–Z), numbers (0–9), underscores (_), or dashes (-), and be at most 256 characters.');
    }
    if (domains.length > 0) {
      const domain = from.split('@')[1]!.toLowerCase();
      const known = domains.find((d) => d.name.toLowerCase() === domain);
      if (known?.status !== 'verified') {
        return error(res, 403, 'validation_error', `The ${domain} domain is not verified. Please, add and verify your domain on https://resend.com/domains`);
      }
    }

    const id = randomUUID();
    if (idempotencyKey !== null) byKey.set(idempotencyKey, { canonical, id });
    accepted.push({ id, idempotencyKey, payload, acceptedAt: new Date().toISOString() });
    return json(res, 200, { id });
  };

  const listDomains = (res: ServerResponse, query: Record<string, string>) => {
    const limit = query.limit === undefined ? 20 : Number(query.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) return error(res, 422, 'validation_error', 'The `limit` parameter must be between 1 and 100.');
    let start = 0;
    if (query.after !== undefined) {
      const index = domains.findIndex((d) => d.id === query.after);
      if (index < 0) return error(res, 422, 'validation_error', 'The `after` cursor is not a known domain id.');
      start = index + 1;
    }
    const page = domains.slice(start, start + limit);
    return json(res, 200, { object: 'list', has_more: start + limit < domains.length, data: page });
  };

  const handle = (req: IncomingMessage, res: ServerResponse, raw: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const text = raw.toString('utf8');
    let body: unknown = null;
    if (text) {
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
    }
    const query = Object.fromEntries(url.searchParams.entries());
    requests.push({ method: req.method ?? '', path: url.pathname, query, headers: req.headers, body });

    const failure = failures.shift();
    if (failure === 'drop') return void req.socket.destroy();
    if (failure) {
      if (typeof failure.body === 'string') return void res.writeHead(failure.status, { 'content-type': 'text/html' }).end(failure.body);
      return json(res, failure.status, failure.body);
    }

    if (!/^Bearer \S+$/.test(req.headers.authorization ?? '')) return error(res, 401, 'missing_api_key', 'Missing API key in the authorization header.');
    if (req.method === 'POST' && url.pathname === '/emails') return sendEmail(req, res, body);
    if (req.method === 'GET' && url.pathname === '/domains') return listDomains(res, query);
    return error(res, 404, 'not_found', `The fake Resend server has no ${req.method} ${url.pathname}.`);
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => handle(req, res, Buffer.concat(chunks)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests: () => [...requests],
    acceptedEmails: () => [...accepted],
    failNext: (n, status, body) => {
      const failure = { status, body: body ?? { statusCode: status, name: defaultErrorNames[status] ?? 'application_error', message: `Injected HTTP ${status}` } };
      for (let i = 0; i < n; i++) failures.push(failure);
    },
    dropNext: (n) => {
      for (let i = 0; i < n; i++) failures.push('drop');
    },
    setDomains: (list) => {
      domains = list.map((d) => ({
        id: d.id ?? randomUUID(),
        name: d.name,
        status: d.status,
        created_at: d.created_at ?? new Date().toISOString(),
        region: d.region ?? 'eu-west-1',
        capabilities: d.capabilities ?? { sending: 'enabled', receiving: 'disabled' },
      }));
    },
    reset: () => {
      requests.length = 0;
      accepted.length = 0;
      failures.length = 0;
      byKey.clear();
      domains = [];
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function mailboxAddress(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const match = mailboxPattern.exec(value.trim());
  const address = match?.[1] ?? match?.[2];
  return address && addressPattern.test(address) ? address : null;
}

// Same payload, whatever the key order: Resend compares payloads, not their serialisation.
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
