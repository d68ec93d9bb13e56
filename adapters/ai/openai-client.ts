// What the two OpenAI adapters (drafting, call-note extraction) share: one way to build the client, the safety
// identifier, and the mapping of HTTP and connection failures to named errors. Retries are Temporal's: the
// SDK's are off, and what a retry can fix stays retryable (rate limits, timeouts, 408/409/5xx, lost connections).
import { createHash } from 'node:crypto';
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError } from 'openai';
import { AiRateLimitedError, AiTimeoutError, ConfigurationError, ValidationError } from '../../domain/errors.ts';

export const OPENAI_DEFAULT_MODEL = 'gpt-4.1-mini';
export const OPENAI_DEFAULT_BASE_URL = 'https://api.openai.com/v1';

export interface OpenAiClientOptions {
  apiKey: string;
  /** OPENAI_BASE_URL: a local fake in tests, or any OpenAI-compatible server. Defaults to OpenAI's API. */
  baseUrl?: string;
  /** Per request; a hung call must not outlive the activity's own timeout. */
  timeoutMs?: number;
  /** The SDK's own retries; 0 because Temporal retries the activity. */
  maxRetries?: number;
}

export function createOpenAiClient(options: OpenAiClientOptions): OpenAI {
  if (!options.apiKey?.trim()) throw new ConfigurationError('OpenAI needs an API key (OPENAI_API_KEY), which is not set');
  // Everything explicit: the SDK would otherwise read OPENAI_BASE_URL, OPENAI_ORG_ID and OPENAI_PROJECT_ID from
  // the process environment behind the configuration's back.
  return new OpenAI({
    apiKey: options.apiKey.trim(),
    baseURL: (options.baseUrl?.trim() || OPENAI_DEFAULT_BASE_URL).replace(/\/+$/, ''),
    organization: null,
    project: null,
    timeout: options.timeoutMs ?? 60_000,
    maxRetries: options.maxRetries ?? 0,
  });
}

/** Lets OpenAI tell abuse in one organisation from another without learning who it is. */
export function safetyIdentifier(orgId: string): string {
  return `org_${createHash('sha256').update(orgId).digest('hex').slice(0, 32)}`;
}

/** How long the provider asked us to wait: retry-after-ms (milliseconds), else retry-after (seconds or an HTTP date). */
function retryAfterMs(headers: Headers | undefined): number | null {
  const ms = headers?.get('retry-after-ms');
  if (ms && Number.isFinite(Number.parseFloat(ms)) && Number.parseFloat(ms) >= 0) return Math.ceil(Number.parseFloat(ms));
  const after = headers?.get('retry-after')?.trim();
  if (!after) return null;
  if (/^\d+(\.\d+)?$/.test(after)) return Math.ceil(Number.parseFloat(after) * 1000);
  const at = Date.parse(after);
  return Number.isNaN(at) ? null : Math.max(0, at - Date.now());
}

/** A failure of the HTTP exchange itself (not of the answer's content) as the error Temporal should see. */
export function transportError(action: string, model: string, error: unknown): Error {
  if (error instanceof APIConnectionTimeoutError) return new AiTimeoutError(`OpenAI ${action}: timed out without an answer`);
  if (error instanceof APIConnectionError) return new Error(`OpenAI ${action}: connection failed without an HTTP status: ${error.message}`, { cause: error });
  if (!(error instanceof APIError) || typeof error.status !== 'number') {
    return new Error(`OpenAI ${action}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  const status = error.status;
  const text = `OpenAI ${action}: HTTP ${status}${error.code ? ` ${error.code}` : ''}: ${error.message}`;
  if (status === 401 || status === 403) return new ConfigurationError(`${text}; check OPENAI_API_KEY`);
  if (status === 404) return new ConfigurationError(`${text}; check OPENAI_MODEL (${model}) and OPENAI_BASE_URL`);
  if (status === 429) {
    // Out of credit looks like a rate limit but waits for an operator, not for time.
    if (error.code === 'insufficient_quota' || error.type === 'insufficient_quota') return new ConfigurationError(`${text}; the OpenAI account is out of quota`);
    const wait = retryAfterMs(error.headers);
    return new AiRateLimitedError(`${text}${wait === null ? '' : `; retry after ${wait} ms`}`, wait);
  }
  // Request timeout and conflict: the same request may well pass next time (the SDK itself would retry them).
  if (status === 408 || status === 409 || status >= 500) return new Error(text, { cause: error });
  // 400, 422 and any other 4xx: the same request would be refused the same way.
  return new ValidationError(text);
}
