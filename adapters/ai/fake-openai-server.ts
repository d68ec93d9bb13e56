// A local stand-in for OpenAI's POST /v1/chat/completions, for tests through the real `openai` client. It answers
// with chat.completion objects shaped like OpenAI's, and errors in OpenAI's shape { error: { message, type, param,
// code } } (the SDK reads the status from the response and code/type from that body).
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedOpenAiRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body, the raw text when it is not JSON, or null when there is none. */
  body: unknown;
}

/** What the fake model says. Leave `content` out for a refusal; `model` names another model than the one asked for. */
export interface FakeCompletion {
  content?: string | null;
  refusal?: string | null;
  finishReason?: 'stop' | 'length' | 'content_filter';
  model?: string;
}

export type FakeResponder = (requestBody: Record<string, unknown>) => FakeCompletion;

export interface FakeOpenAiServer {
  /** The origin; the SDK's baseURL is `${url}/v1`. */
  url: string;
  requests(): RecordedOpenAiRequest[];
  /** Every later completion comes from `fn` (until reset). The default personalises the template it finds. */
  respondWith(fn: FakeResponder): void;
  /**
   * The next n requests answer `status` with `body` (default: an OpenAI-shaped error; a string is sent as is) and
   * any extra `headers`, e.g. { 'retry-after': '7' } on a 429.
   */
  failNext(n: number, status: number, body?: unknown, headers?: Record<string, string>): void;
  /** The next n requests lose their connection without an answer. */
  dropNext(n: number): void;
  /** The next n requests are never answered (until close): for client timeouts. */
  hangNext(n: number): void;
  /** Forgets requests, pending failures and the scripted responder. */
  reset(): void;
  close(): Promise<void>;
}

export interface FakeOpenAiOptions {
  /** When set, any other bearer token is answered 401 as OpenAI does. */
  apiKey?: string;
  /** When set, any other model is answered 404 model_not_found. */
  models?: string[];
}

type Failure = { status: number; body: unknown; headers: Record<string, string> } | 'drop' | 'hang';

const defaultErrors: Record<number, { type: string; code: string | null; message: string }> = {
  400: { type: 'invalid_request_error', code: null, message: 'Invalid request (injected).' },
  401: { type: 'invalid_request_error', code: 'invalid_api_key', message: 'Incorrect API key provided (injected).' },
  403: { type: 'invalid_request_error', code: 'unsupported_country_region_territory', message: 'Country, region, or territory not supported (injected).' },
  404: { type: 'invalid_request_error', code: 'model_not_found', message: 'The model does not exist or you do not have access to it (injected).' },
  409: { type: 'invalid_request_error', code: null, message: 'Conflict (injected).' },
  422: { type: 'invalid_request_error', code: null, message: 'Unprocessable request (injected).' },
  429: { type: 'requests', code: 'rate_limit_exceeded', message: 'Rate limit reached for requests (injected).' },
  500: { type: 'server_error', code: null, message: 'The server had an error while processing your request (injected).' },
  503: { type: 'server_error', code: null, message: 'The engine is currently overloaded (injected).' },
};

export function openAiError(status: number, over: { message?: string; type?: string; param?: string | null; code?: string | null } = {}) {
  const base = defaultErrors[status] ?? { type: status >= 500 ? 'server_error' : 'invalid_request_error', code: null, message: `HTTP ${status} (injected).` };
  return { error: { message: over.message ?? base.message, type: over.type ?? base.type, param: over.param ?? null, code: over.code === undefined ? base.code : over.code } };
}

export async function startFakeOpenAiServer(options: FakeOpenAiOptions = {}): Promise<FakeOpenAiServer> {
  const requests: RecordedOpenAiRequest[] = [];
  const failures: Failure[] = [];
  let responder: FakeResponder = personaliseFromRequest;

  const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { ...headers, 'content-type': 'application/json', 'x-request-id': `req_${randomBytes(12).toString('hex')}` }).end(JSON.stringify(body));
  };
  const error = (res: ServerResponse, status: number, over: Parameters<typeof openAiError>[1] = {}) => json(res, status, openAiError(status, over));

  const chatCompletion = (res: ServerResponse, body: unknown) => {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      return error(res, 400, { message: 'We could not parse the JSON body of your request.' });
    }
    const request = body as Record<string, unknown>;
    if (typeof request.model !== 'string' || !request.model) return error(res, 400, { message: 'you must provide a model parameter', param: 'model' });
    if (!Array.isArray(request.messages) || request.messages.length === 0) {
      return error(res, 400, { message: "[] is too short - 'messages'", param: 'messages', code: 'empty_array' });
    }
    if (options.models && !options.models.includes(request.model)) {
      return error(res, 404, { message: `The model \`${request.model}\` does not exist or you do not have access to it.`, code: 'model_not_found' });
    }

    const answer = responder(request);
    const refusal = answer.refusal ?? null;
    const content = refusal !== null && answer.content === undefined ? null : (answer.content ?? null);
    const promptTokens = Math.ceil(JSON.stringify(request.messages).length / 4);
    const completionTokens = Math.ceil((content ?? refusal ?? '').length / 4);
    return json(res, 200, {
      id: `chatcmpl-${randomBytes(15).toString('base64url')}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: answer.model ?? request.model,
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content, refusal, annotations: [] },
          logprobs: null,
          finish_reason: answer.finishReason ?? 'stop',
        },
      ],
      usage: {
        prompt_tokens: promptTokens,
        completion_tokens: completionTokens,
        total_tokens: promptTokens + completionTokens,
        prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
        completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
      },
      service_tier: 'default',
      system_fingerprint: 'fp_fake0000',
    });
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
    requests.push({ method: req.method ?? '', path: url.pathname, headers: req.headers, body });

    const failure = failures.shift();
    if (failure === 'drop') return void req.socket.destroy();
    if (failure === 'hang') return;
    if (failure) {
      if (typeof failure.body === 'string') return void res.writeHead(failure.status, { ...failure.headers, 'content-type': 'text/html' }).end(failure.body);
      return json(res, failure.status, failure.body, failure.headers);
    }

    const token = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!token) return error(res, 401, { message: "You didn't provide an API key.", code: null });
    if (options.apiKey !== undefined && token !== options.apiKey) return error(res, 401, { message: 'Incorrect API key provided.', code: 'invalid_api_key' });
    if (req.method === 'POST' && url.pathname === '/v1/chat/completions') return chatCompletion(res, body);
    return error(res, 404, { message: `Invalid URL (${req.method} ${url.pathname})`, code: null });
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
    respondWith: (fn) => {
      responder = fn;
    },
    failNext: (n, status, body, headers) => repeat(n, { status, body: body ?? openAiError(status), headers: headers ?? {} }),
    dropNext: (n) => repeat(n, 'drop'),
    hangNext: (n) => repeat(n, 'hang'),
    reset: () => {
      requests.length = 0;
      failures.length = 0;
      responder = personaliseFromRequest;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The user message's JSON, when the last user message is JSON. */
export function userPayload(requestBody: Record<string, unknown>): Record<string, unknown> | null {
  const messages = Array.isArray(requestBody.messages) ? (requestBody.messages as Array<{ role?: unknown; content?: unknown }>) : [];
  const last = messages.filter((m) => m.role === 'user').at(-1);
  if (typeof last?.content !== 'string') return null;
  try {
    const parsed: unknown = JSON.parse(last.content);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

// The default model: greets the recipient by first name over the template (or the current draft) it was given,
// everything else unchanged, as a JSON { subject, body } string.
function personaliseFromRequest(requestBody: Record<string, unknown>): FakeCompletion {
  const payload = userPayload(requestBody);
  const source = (payload?.template ?? payload?.currentDraft) as { subject?: unknown; body?: unknown } | undefined;
  const context = payload?.context as { recipient?: { firstName?: unknown } } | undefined;
  const subject = typeof source?.subject === 'string' ? source.subject : 'Following up';
  let body = typeof source?.body === 'string' ? source.body : 'Following up on our conversation.';
  const firstName = context?.recipient?.firstName;
  if (typeof firstName === 'string' && firstName && !body.startsWith(`Hi ${firstName}`)) body = `Hi ${firstName},\n\n${body}`;
  return { content: JSON.stringify({ subject, body }) };
}
