// The email sending port: one email to one recipient, deduplicated by the send ledger's business key.
// Adapters turn every refusal into a named error; a plain Error means Temporal may retry.
import { ValidationError } from '../../domain/errors.ts';

export interface OutgoingEmail {
  orgId: string;
  /** The send ledger's business key; the provider must dedupe on it. */
  idempotencyKey: string;
  from: { name: string; address: string };
  to: string;
  replyTo: string | null;
  subject: string;
  text: string;
  /** e.g. In-Reply-To, References, List-Unsubscribe, List-Unsubscribe-Post. */
  headers: Record<string, string>;
  /** Ids and codes only, e.g. { org: '…', process: 'follow-up', step: 'step-2' }: providers show them to staff. */
  tags: Record<string, string>;
}

export interface AcceptedEmail {
  provider: 'resend' | 'outbox';
  providerMessageId: string;
  /** The Message-ID header actually used, when the provider reports it at send time; null when it does not. */
  rfcMessageId: string | null;
}

export type DomainStatus = 'verified' | 'pending' | 'failed' | 'not_found';

export interface EmailSender {
  readonly provider: 'resend' | 'outbox';
  /** Throws ProviderRejectedError when the provider refuses the email for good, ValidationError on bad input. */
  send(email: OutgoingEmail): Promise<AcceptedEmail>;
  domainStatus(domain: string): Promise<DomainStatus>;
}

/** Resend's limit on Idempotency-Key; the outbox keeps the same one so both adapters accept the same keys. */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 256;

// eslint-disable-next-line no-control-regex
const controlChars = /[\u0000-\u001f\u007f]/;
// RFC 5322 field names: printable ASCII but the colon.
const headerName = /^[\u0021-\u0039\u003b-\u007e]+$/;

/**
 * Refuses what no provider should be handed: a missing field, a key too long to dedupe on, and CR/LF (or any
 * control character) in anything that ends up in a header line, which would let one field inject another.
 */
export function checkOutgoingEmail(email: OutgoingEmail): void {
  const { idempotencyKey, from, to, replyTo, subject, text, headers, tags } = email;
  const fail = (message: string) => {
    throw new ValidationError(`Email ${JSON.stringify(idempotencyKey)}: ${message}`);
  };
  if (typeof idempotencyKey !== 'string' || idempotencyKey.length < 1 || idempotencyKey.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
    fail(`idempotencyKey must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters long`);
  }
  if (typeof email.orgId !== 'string' || !email.orgId) fail('orgId is required');
  const headerValues: [string, unknown][] = [
    ['idempotencyKey', idempotencyKey],
    ['from.name', from?.name],
    ['from.address', from?.address],
    ['to', to],
    ['subject', subject],
  ];
  if (replyTo !== null) headerValues.push(['replyTo', replyTo]);
  for (const [field, value] of headerValues) {
    if (typeof value !== 'string') fail(`${field} must be a string`);
    else if (controlChars.test(value)) fail(`${field} must not contain line breaks or control characters`);
  }
  for (const field of ['from.address', 'to', 'replyTo'] as const) {
    const value = headerValues.find(([name]) => name === field)?.[1] as string | undefined;
    if (value !== undefined && !value.trim()) fail(`${field} must not be empty`);
  }
  if (typeof text !== 'string') fail('text must be a string');
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (!headerName.test(name)) fail(`header name ${JSON.stringify(name)} is not a valid header field name`);
    if (typeof value !== 'string' || controlChars.test(value)) fail(`header ${name} must be a string without line breaks or control characters`);
  }
  for (const [name, value] of Object.entries(tags ?? {})) {
    if (typeof value !== 'string') fail(`tag ${JSON.stringify(name)} must be a string`);
  }
}

/** The From header: the display name quoted when it holds RFC 5322 specials (a comma would split the address). */
export function formatFrom(from: { name: string; address: string }): string {
  const name = from.name.trim();
  if (!name) return from.address;
  const display = /[()<>[\]:;@\\,."]/.test(name) ? `"${name.replace(/(["\\])/g, '\\$1')}"` : name;
  return `${display} <${from.address}>`;
}
