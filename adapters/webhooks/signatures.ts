// Verifying inbound webhooks on the raw body, before anything else is done with it. Two schemes:
// - Standard Webhooks (Svix), as Resend signs: HMAC-SHA256 over `${id}.${timestamp}.${body}` with the base64 key
//   after "whsec_", sent as space-separated "v1,<base64>" entries in `webhook-signature` (Resend's own SDK sends
//   them as svix-id / svix-timestamp / svix-signature; both header families are read).
// - Closeloop's generic hooks: HMAC-SHA256 over `${timestamp}.${body}` with the secret's bytes, hex, sent as
//   "v1=<hex>" entries (comma- or space-separated: a sender mid-rotation may sign with both secrets).
// Several secrets may be valid at once (rotation); any of them verifying is enough. Timestamps outside ±5 minutes
// are refused, so a captured delivery cannot be replayed later.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_TOLERANCE_SECONDS = 5 * 60;

export type VerifyResult = { ok: true } | { ok: false; reason: 'missing_headers' | 'stale_timestamp' | 'bad_signature' | 'no_secret' };

type Headers = Record<string, string | string[] | undefined>;
const header = (headers: Headers, ...names: string[]): string | undefined => {
  for (const name of names) {
    const value = headers[name];
    if (typeof value === 'string' && value) return value;
  }
  return undefined;
};

const sameBytes = (a: Buffer, b: Buffer) => a.length === b.length && timingSafeEqual(a, b);

function freshTimestamp(value: string, nowMs: number): boolean {
  if (!/^\d{1,12}$/.test(value)) return false;
  return Math.abs(nowMs / 1000 - Number(value)) <= SIGNATURE_TOLERANCE_SECONDS;
}

/** The event id a Standard Webhooks sender gave this delivery (svix-id / webhook-id). */
export function standardWebhookId(headers: Headers): string | undefined {
  return header(headers, 'webhook-id', 'svix-id');
}

export function verifyStandardWebhook(input: { secrets: string[]; headers: Headers; rawBody: string; nowMs: number }): VerifyResult {
  const id = standardWebhookId(input.headers);
  const timestamp = header(input.headers, 'webhook-timestamp', 'svix-timestamp');
  const signatures = header(input.headers, 'webhook-signature', 'svix-signature');
  if (!id || !timestamp || !signatures) return { ok: false, reason: 'missing_headers' };
  if (input.secrets.length === 0) return { ok: false, reason: 'no_secret' };
  if (!freshTimestamp(timestamp, input.nowMs)) return { ok: false, reason: 'stale_timestamp' };
  const given = signatures
    .split(' ')
    .map((entry) => entry.split(','))
    .filter(([version, value]) => version === 'v1' && value)
    .map(([, value]) => Buffer.from(value!, 'base64'));
  for (const secret of input.secrets) {
    const key = Buffer.from(secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret, 'base64');
    const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${input.rawBody}`).digest();
    if (given.some((signature) => sameBytes(signature, expected))) return { ok: true };
  }
  return { ok: false, reason: 'bad_signature' };
}

export const CLOSELOOP_TIMESTAMP_HEADER = 'closeloop-timestamp';
export const CLOSELOOP_SIGNATURE_HEADER = 'closeloop-signature';

/** The signature header value a sender puts on a Closeloop hook (documented for integrators; used by tests). */
export function signCloseloopHook(secret: string, timestamp: number, rawBody: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex')}`;
}

export function verifyCloseloopHook(input: { secrets: string[]; headers: Headers; rawBody: string; nowMs: number }): VerifyResult {
  const timestamp = header(input.headers, CLOSELOOP_TIMESTAMP_HEADER);
  const signatures = header(input.headers, CLOSELOOP_SIGNATURE_HEADER);
  if (!timestamp || !signatures) return { ok: false, reason: 'missing_headers' };
  if (input.secrets.length === 0) return { ok: false, reason: 'no_secret' };
  if (!freshTimestamp(timestamp, input.nowMs)) return { ok: false, reason: 'stale_timestamp' };
  const given = signatures
    .split(/[\s,]+/)
    .filter((entry) => /^v1=[0-9a-f]{64}$/.test(entry))
    .map((entry) => Buffer.from(entry.slice(3), 'hex'));
  for (const secret of input.secrets) {
    const expected = createHmac('sha256', secret).update(`${timestamp}.${input.rawBody}`).digest();
    if (given.some((signature) => sameBytes(signature, expected))) return { ok: true };
  }
  return { ok: false, reason: 'bad_signature' };
}

/** A new secret for Closeloop's generic hooks (Resend's come from Resend). */
export function generateHookSecret(): string {
  return `clwh_${randomBytes(32).toString('base64url')}`;
}
