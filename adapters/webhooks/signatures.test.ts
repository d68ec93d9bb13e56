// Signature checks against deliveries signed by the Standard Webhooks reference library (the one Resend's SDK
// uses) and by the documented Closeloop scheme: valid, tampered, wrong secret, stale, missing headers, rotation.
import { createHmac, randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { generateHookSecret, signCloseloopHook, verifyCloseloopHook, verifyStandardWebhook } from './signatures.ts';

const now = Date.parse('2026-11-26T10:00:00Z');
const resendSecret = `whsec_${randomBytes(24).toString('base64')}`;
const body = JSON.stringify({ type: 'email.bounced', created_at: '2026-11-26T09:59:58.000Z', data: { email_id: 'e1', to: ['a@b.example'] } });

function svixHeaders(secret: string, atMs: number, payload = body, id = 'msg_2a') {
  const signature = new Webhook(secret).sign(id, new Date(atMs), payload);
  return { 'svix-id': id, 'svix-timestamp': String(Math.floor(atMs / 1000)), 'svix-signature': signature };
}

describe('Standard Webhooks (Resend)', () => {
  it('accepts what the reference library signed, in either header family', () => {
    const headers = svixHeaders(resendSecret, now);
    expect(verifyStandardWebhook({ secrets: [resendSecret], headers, rawBody: body, nowMs: now })).toEqual({ ok: true });
    const standard = { 'webhook-id': headers['svix-id'], 'webhook-timestamp': headers['svix-timestamp'], 'webhook-signature': headers['svix-signature'] };
    expect(verifyStandardWebhook({ secrets: [resendSecret], headers: standard, rawBody: body, nowMs: now })).toEqual({ ok: true });
  });

  it.each([
    ['a tampered body', () => ({ headers: svixHeaders(resendSecret, now), rawBody: body.replace('e1', 'e2'), secrets: [resendSecret] }), 'bad_signature'],
    ['a wrong secret', () => ({ headers: svixHeaders(`whsec_${randomBytes(24).toString('base64')}`, now), rawBody: body, secrets: [resendSecret] }), 'bad_signature'],
    ['a timestamp 6 minutes old', () => ({ headers: svixHeaders(resendSecret, now - 6 * 60_000), rawBody: body, secrets: [resendSecret] }), 'stale_timestamp'],
    ['a timestamp 6 minutes ahead', () => ({ headers: svixHeaders(resendSecret, now + 6 * 60_000), rawBody: body, secrets: [resendSecret] }), 'stale_timestamp'],
    ['no signature header', () => ({ headers: { 'svix-id': 'x', 'svix-timestamp': String(now / 1000) }, rawBody: body, secrets: [resendSecret] }), 'missing_headers'],
    ['no secret configured', () => ({ headers: svixHeaders(resendSecret, now), rawBody: body, secrets: [] }), 'no_secret'],
    ['a different event id than signed', () => ({ headers: { ...svixHeaders(resendSecret, now), 'svix-id': 'msg_other' }, rawBody: body, secrets: [resendSecret] }), 'bad_signature'],
  ])('refuses %s', (_name, make, reason) => {
    const { headers, rawBody, secrets } = make();
    expect(verifyStandardWebhook({ secrets, headers, rawBody, nowMs: now })).toEqual({ ok: false, reason });
  });

  it('during a rotation either secret verifies', () => {
    const next = `whsec_${randomBytes(24).toString('base64')}`;
    expect(verifyStandardWebhook({ secrets: [next, resendSecret], headers: svixHeaders(resendSecret, now), rawBody: body, nowMs: now })).toEqual({ ok: true });
    expect(verifyStandardWebhook({ secrets: [next, resendSecret], headers: svixHeaders(next, now), rawBody: body, nowMs: now })).toEqual({ ok: true });
  });
});

describe('Closeloop hooks', () => {
  const secret = generateHookSecret();
  const ts = Math.floor(now / 1000);
  const hook = JSON.stringify({ id: 'r-1', type: 'reply.received' });

  it('signs as documented: hex HMAC-SHA256 of "<timestamp>.<body>"', () => {
    const expected = createHmac('sha256', secret).update(`${ts}.${hook}`).digest('hex');
    expect(signCloseloopHook(secret, ts, hook)).toBe(`v1=${expected}`);
    expect(secret).toMatch(/^clwh_[A-Za-z0-9_-]{43}$/);
  });

  it('verifies, and refuses tampering, a wrong secret, a stale timestamp and missing headers', () => {
    const headers = { 'closeloop-timestamp': String(ts), 'closeloop-signature': signCloseloopHook(secret, ts, hook) };
    expect(verifyCloseloopHook({ secrets: [secret], headers, rawBody: hook, nowMs: now })).toEqual({ ok: true });
    expect(verifyCloseloopHook({ secrets: [secret], headers, rawBody: `${hook} `, nowMs: now })).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verifyCloseloopHook({ secrets: [generateHookSecret()], headers, rawBody: hook, nowMs: now })).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verifyCloseloopHook({ secrets: [secret], headers, rawBody: hook, nowMs: now + 301_000 })).toEqual({ ok: false, reason: 'stale_timestamp' });
    expect(verifyCloseloopHook({ secrets: [secret], headers: { 'closeloop-timestamp': String(ts) }, rawBody: hook, nowMs: now })).toEqual({ ok: false, reason: 'missing_headers' });
  });

  it('a sender mid-rotation may sign with both secrets; either one being current is enough', () => {
    const old = generateHookSecret();
    const headers = { 'closeloop-timestamp': String(ts), 'closeloop-signature': `${signCloseloopHook(old, ts, hook)}, ${signCloseloopHook(secret, ts, hook)}` };
    expect(verifyCloseloopHook({ secrets: [secret], headers, rawBody: hook, nowMs: now })).toEqual({ ok: true });
  });
});
