// A local stand-in for Apollo's People Enrichment endpoint (POST /api/v1/people/match), for tests through the real
// adapter. It answers the way Apollo documents it: the key in the X-Api-Key header (a wrong or missing one is a 401
// with the plain-text body "Invalid access credentials."), parameters in the JSON body, `{ person: null }` with a 200
// when nobody matches, and the x-rate-limit-* / x-*-requests-left headers on every answer.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedApolloRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body, the raw text when it is not JSON, or null when there is none. */
  body: unknown;
}

export interface FakeApolloOrganization {
  id: string;
  name: string | null;
  website_url: string | null;
  primary_domain: string | null;
  linkedin_url: string | null;
  phone: string | null;
  primary_phone: { number?: string; source?: string; sanitized_number?: string };
  industry: string | null;
  estimated_num_employees: number | null;
  city: string | null;
  state: string | null;
  country: string | null;
}

export interface FakeApolloPerson {
  id: string;
  first_name: string | null;
  last_name: string | null;
  name: string | null;
  linkedin_url: string | null;
  title: string | null;
  email_status: string | null;
  photo_url: string | null;
  twitter_url: string | null;
  github_url: string | null;
  facebook_url: string | null;
  extrapolated_email_confidence: number | null;
  headline: string | null;
  email: string | null;
  organization_id: string | null;
  employment_history: unknown[];
  state: string | null;
  city: string | null;
  country: string | null;
  organization: FakeApolloOrganization | null;
  departments: string[];
  subdepartments: string[];
  functions: string[];
  seniority: string | null;
}

/** What a test scripts: any part of a person; ids, the full name and the organization's id are filled in. */
export type FakeApolloPersonInput = Partial<Omit<FakeApolloPerson, 'organization'>> & { organization?: Partial<FakeApolloOrganization> | null };

export interface FakeApolloServer {
  /** The origin; the adapter's baseUrl. */
  url: string;
  requests(): RecordedApolloRequest[];
  /** A person Apollo knows, found by the email (any case) or the LinkedIn URL (any scheme, www. or trailing slash). */
  addPerson(matchBy: { email?: string; linkedinUrl?: string }, person: FakeApolloPersonInput): void;
  /**
   * The next n requests answer `status` with `body` (default: Apollo's body for that status; a string is sent as
   * text/plain) and `headers` added to the rate-limit headers.
   */
  failNext(n: number, status: number, body?: unknown, headers?: Record<string, string>): void;
  /** The next n requests lose their connection without an answer. */
  dropNext(n: number): void;
  /** The next n requests are never answered (until close): for client timeouts. */
  hangNext(n: number): void;
  /** Forgets requests, people and pending failures. */
  reset(): void;
  close(): Promise<void>;
}

export interface FakeApolloOptions {
  /** When set, any other X-Api-Key is answered 401 as Apollo does; when unset, any non-empty key is accepted. */
  apiKey?: string;
  /** The per-minute limit the rate-limit headers report. */
  minuteLimit?: number;
}

type Failure = { status: number; body: unknown; headers: Record<string, string> } | 'drop' | 'hang';

// The bodies Apollo answers with, by status (its 401 is plain text, the rest JSON of varying shape).
export function apolloErrorBody(status: number): unknown {
  switch (status) {
    case 401:
      return 'Invalid access credentials.';
    case 403:
      return { error: 'api/v1/people/match is not accessible with this api_key on a free plan. Please upgrade your plan from https://app.apollo.io/.', error_code: 'API_INACCESSIBLE' };
    case 400:
      return { status: 'failed', error_code: 'INVALID_REQUEST', error_message: 'invalid request, missing details' };
    case 422:
      return { error: 'Unprocessable request (injected).' };
    case 429:
      return { message: 'The maximum number of api calls allowed for api/v1/people/match is 600 times per hour. Please upgrade your plan from https://app.apollo.io/#/settings/plans/upgrade.' };
    default:
      return status >= 500 ? '<html><body><h1>502 Bad Gateway</h1></body></html>' : { error: `HTTP ${status} (injected).` };
  }
}

const objectId = () => randomBytes(12).toString('hex');
const emailKey = (email: string) => `email:${email.trim().toLowerCase()}`;
const linkedinKey = (url: string) =>
  `linkedin:${url
    .trim()
    .toLowerCase()
    .replace(/^https?:\/\//, '')
    .replace(/^www\./, '')
    .replace(/\/+$/, '')}`;

function personFrom(input: FakeApolloPersonInput): FakeApolloPerson {
  const organization =
    input.organization === null
      ? null
      : {
          id: objectId(),
          name: null,
          website_url: null,
          primary_domain: null,
          linkedin_url: null,
          phone: null,
          primary_phone: {},
          industry: null,
          estimated_num_employees: null,
          city: null,
          state: null,
          country: null,
          ...input.organization,
        };
  const firstName = input.first_name ?? null;
  const lastName = input.last_name ?? null;
  return {
    id: objectId(),
    first_name: firstName,
    last_name: lastName,
    name: [firstName, lastName].filter(Boolean).join(' ') || null,
    linkedin_url: null,
    title: null,
    email_status: 'verified',
    photo_url: null,
    twitter_url: null,
    github_url: null,
    facebook_url: null,
    extrapolated_email_confidence: null,
    headline: null,
    email: null,
    organization_id: organization?.id ?? null,
    employment_history: [],
    state: null,
    city: null,
    country: null,
    departments: [],
    subdepartments: [],
    functions: [],
    seniority: null,
    ...input,
    organization,
  };
}

export async function startFakeApolloServer(options: FakeApolloOptions = {}): Promise<FakeApolloServer> {
  const requests: RecordedApolloRequest[] = [];
  const failures: Failure[] = [];
  const people = new Map<string, FakeApolloPerson>();
  const minuteLimit = options.minuteLimit ?? 200;
  let used = 0;

  const rateLimitHeaders = (): Record<string, string> => ({
    'x-rate-limit-minute': String(minuteLimit),
    'x-minute-usage': String(used),
    'x-minute-requests-left': String(Math.max(0, minuteLimit - used)),
    'x-rate-limit-hourly': String(minuteLimit * 30),
    'x-hourly-usage': String(used),
    'x-hourly-requests-left': String(Math.max(0, minuteLimit * 30 - used)),
    'x-rate-limit-24-hour': String(minuteLimit * 100),
    'x-24-hour-usage': String(used),
    'x-24-hour-requests-left': String(Math.max(0, minuteLimit * 100 - used)),
  });
  const answer = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    const text = typeof body === 'string';
    res
      .writeHead(status, { 'content-type': text ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8', ...rateLimitHeaders(), ...headers })
      .end(text ? body : JSON.stringify(body));
  };

  const match = (res: ServerResponse, query: Record<string, string>, body: unknown) => {
    // Apollo reads the parameters from the query string or the JSON body; the body wins here as it does there.
    if (body !== null && (typeof body !== 'object' || Array.isArray(body))) return answer(res, 400, { error: 'The request body must be a JSON object.' });
    const params: Record<string, unknown> = { ...query, ...(body as Record<string, unknown> | null) };
    const flag = (name: string) => params[name] === true || params[name] === 'true';
    if (flag('reveal_phone_number') && typeof params.webhook_url !== 'string') {
      return answer(res, 400, { error: "Please add a valid 'webhook_url' parameter when using 'reveal_phone_number'" });
    }
    const email = typeof params.email === 'string' ? people.get(emailKey(params.email)) : undefined;
    const linkedin = typeof params.linkedin_url === 'string' ? people.get(linkedinKey(params.linkedin_url)) : undefined;
    return answer(res, 200, { person: email ?? linkedin ?? null });
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
    used += 1;

    const failure = failures.shift();
    if (failure === 'drop') return void req.socket.destroy();
    if (failure === 'hang') return;
    if (failure) return answer(res, failure.status, failure.body, failure.headers);

    const key = req.headers['x-api-key'];
    if (typeof key !== 'string' || !key || (options.apiKey !== undefined && key !== options.apiKey)) return answer(res, 401, apolloErrorBody(401));
    if (req.method === 'POST' && url.pathname === '/api/v1/people/match') return match(res, query, body);
    return answer(res, 404, { error: `The fake Apollo server has no ${req.method} ${url.pathname}.` });
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => handle(req, res, Buffer.concat(chunks)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const repeat = (n: number, failure: Failure) => {
    for (let i = 0; i < n; i++) failures.push(failure);
  };

  return {
    url: `http://127.0.0.1:${port}`,
    requests: () => [...requests],
    addPerson: (matchBy, input) => {
      const person = personFrom(input);
      if (!matchBy.email && !matchBy.linkedinUrl) throw new Error('addPerson needs an email or a LinkedIn URL to match by');
      if (matchBy.email) people.set(emailKey(matchBy.email), person);
      if (matchBy.linkedinUrl) people.set(linkedinKey(matchBy.linkedinUrl), person);
    },
    failNext: (n, status, body, headers) => repeat(n, { status, body: body ?? apolloErrorBody(status), headers: headers ?? {} }),
    dropNext: (n) => repeat(n, 'drop'),
    hangNext: (n) => repeat(n, 'hang'),
    reset: () => {
      requests.length = 0;
      failures.length = 0;
      people.clear();
      used = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
