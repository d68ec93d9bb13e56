// Signed webhook deliveries as their senders make them: Resend's with the Standard Webhooks reference library (the
// one Resend's SDK uses), Closeloop hooks with the documented HMAC scheme. For tests, the e2e run and benchmarks.
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { signCloseloopHook } from '../../adapters/webhooks/signatures.ts';

export interface SignedDelivery {
  headers: Record<string, string>;
  body: string;
}

export const newResendSecret = () => `whsec_${randomBytes(24).toString('base64')}`;

export function resendDelivery(secret: string, event: unknown, options: { id?: string; atMs?: number } = {}): SignedDelivery {
  const id = options.id ?? `msg_${randomBytes(12).toString('hex')}`;
  const at = new Date(options.atMs ?? Date.now());
  const body = JSON.stringify(event);
  return {
    body,
    headers: { 'content-type': 'application/json', 'svix-id': id, 'svix-timestamp': String(Math.floor(at.getTime() / 1000)), 'svix-signature': new Webhook(secret).sign(id, at, body) },
  };
}

export function closeloopHookDelivery(secret: string, hook: unknown, options: { atMs?: number } = {}): SignedDelivery {
  const body = JSON.stringify(hook);
  const timestamp = Math.floor((options.atMs ?? Date.now()) / 1000);
  return { body, headers: { 'content-type': 'application/json', 'closeloop-timestamp': String(timestamp), 'closeloop-signature': signCloseloopHook(secret, timestamp, body) } };
}

/** A Resend email event for an email it accepted (`emailId`), e.g. type 'email.bounced' with a bounce. */
export function resendEmailEvent(type: string, emailId: string, to: string, extra: Record<string, unknown> = {}) {
  return {
    type,
    created_at: new Date().toISOString(),
    data: { created_at: new Date().toISOString(), email_id: emailId, from: 'Riya <riya@sender.example>', to: [to], subject: 'Hello', ...extra },
  };
}
