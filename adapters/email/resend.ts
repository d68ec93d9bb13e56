// Sending through Resend with its SDK. The SDK never throws on API or network errors (it answers { data, error })
// and has no retries and no timeout: here every error becomes a thrown, named error, and retries are Temporal's.
import { Resend, type CreateEmailOptions, type DomainStatus as ResendDomainStatus, type ErrorResponse } from 'resend';
import { ConfigurationError, ProviderRejectedError } from '../../domain/errors.ts';
import { checkOutgoingEmail, formatFrom, type AcceptedEmail, type DomainStatus, type EmailSender, type OutgoingEmail } from './port.ts';

export const RESEND_DEFAULT_BASE_URL = 'https://api.resend.com';

export interface ResendEmailSenderOptions {
  apiKey: string;
  /** Another API origin, e.g. a local fake in tests. Defaults to Resend's public API. */
  baseUrl?: string;
  /** Per request; a hung connection must not outlive the activity's own timeout. */
  timeoutMs?: number;
}

export function createResendEmailSender(options: ResendEmailSenderOptions): EmailSender {
  if (!options.apiKey?.trim()) throw new ConfigurationError('Resend needs an API key (RESEND_API_KEY), which is not set');
  // The SDK takes baseUrl as a constructor option and reads RESEND_BASE_URL only when none is given; passing it
  // always keeps the process environment out of it and leaves other callers' clients alone.
  const resend = new Resend(options.apiKey, { baseUrl: (options.baseUrl ?? RESEND_DEFAULT_BASE_URL).replace(/\/+$/, '') });
  const timeoutMs = options.timeoutMs ?? 30_000;

  return {
    provider: 'resend',

    async send(email: OutgoingEmail): Promise<AcceptedEmail> {
      checkOutgoingEmail(email);
      // Text only, and no tracking options: open and click tracking are per-domain settings at Resend, and a
      // plain-text email has neither a pixel nor links for it to rewrite.
      const payload: CreateEmailOptions = {
        from: formatFrom(email.from),
        to: email.to,
        subject: email.subject,
        text: email.text,
        headers: email.headers,
        tags: resendTags(email.tags),
        ...(email.replyTo ? { replyTo: email.replyTo } : {}),
      };
      const { data, error } = await resend.emails.send(payload, {
        idempotencyKey: email.idempotencyKey,
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (error) throw toError(`send ${email.idempotencyKey}`, error);
      if (!data?.id) throw new Error(`Resend send ${email.idempotencyKey} answered without an email id`);
      // The send response carries only the email id. Resend replaces a caller-supplied Message-ID header with its
      // own and reports that one later: in GET /emails/{id} (message_id) and in webhook events (data.message_id).
      // Guessing it here would thread follow-ups to a header the recipient never saw, so it is left unknown.
      return { provider: 'resend', providerMessageId: data.id, rfcMessageId: null };
    },

    async domainStatus(domain: string): Promise<DomainStatus> {
      const wanted = domain.trim().toLowerCase();
      let after: string | undefined;
      for (;;) {
        const { data, error } = await resend.domains.list(
          after ? { limit: 100, after } : { limit: 100 },
          { signal: AbortSignal.timeout(timeoutMs) },
        );
        if (error) throw toError(`domain status ${domain}`, error);
        if (!data) throw new Error(`Resend domain status ${domain} answered without a list`);
        const found = data.data.find((d) => d.name.toLowerCase() === wanted);
        if (found) return mapDomainStatus(found.status);
        const last = data.data.at(-1);
        if (!data.has_more || !last) return 'not_found';
        after = last.id;
      }
    },
  };
}

function mapDomainStatus(status: ResendDomainStatus): DomainStatus {
  switch (status) {
    case 'verified':
      return 'verified';
    case 'failed':
    case 'partially_failed':
      return 'failed';
    // Partially verified: some of the domain's records are not verified yet; until all are, it is not ready.
    case 'pending':
    case 'not_started':
    case 'partially_verified':
      return 'pending';
    default:
      return 'pending';
  }
}

const TAG_MAX = 256;

// Resend accepts only ASCII letters, digits, "_" and "-" in tag names and values, at most 256 of them.
function sanitiseTag(value: string): string {
  return value.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, TAG_MAX);
}

export function resendTags(tags: Record<string, string>): { name: string; value: string }[] {
  return Object.entries(tags)
    .map(([name, value]) => ({ name: sanitiseTag(name), value: sanitiseTag(value) }))
    .filter((tag) => tag.name && tag.value);
}

const apiKeyErrors = new Set(['missing_api_key', 'invalid_api_key', 'restricted_api_key']);

// Resend's error body carries the status (the SDK reads it from there); statusCode null is a network failure.
function toError(action: string, error: ErrorResponse): Error {
  const status = typeof error.statusCode === 'number' ? error.statusCode : null;
  const text = `Resend ${action}: ${error.message} (${error.name}${status ? `, HTTP ${status}` : ''})`;
  if (status === null) return new Error(text);
  if (status === 401 || apiKeyErrors.has(error.name)) return new ConfigurationError(`${text}; check RESEND_API_KEY`);
  // 409 is either a concurrent request with the same key (still running: retry later) or the key reused with a
  // different payload, which no retry can fix.
  if (status === 409) return error.name === 'invalid_idempotent_request' ? new ProviderRejectedError(text) : new Error(text);
  if (status === 408 || status === 429 || status >= 500) return new Error(text);
  if (status >= 400) return new ProviderRejectedError(text);
  return new Error(text);
}
