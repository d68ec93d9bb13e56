// The Pub/Sub push's OIDC token, signed here with a locally generated RS256 key published as a JWKS, as Google does.
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { createPushVerifier, type PushVerifier } from './push-verifier.ts';

const audience = 'https://closeloop.example/v1/hooks/gmail';
const serviceAccount = 'gmail-push@closeloop-prod.iam.gserviceaccount.com';
let signWith: (claims: Record<string, unknown>, options?: { key?: 'good' | 'other'; expiresIn?: string; issuer?: string; audience?: string }) => Promise<string>;
let verifier: PushVerifier;

const envelope = (data: unknown, messageId = '1234567890') => ({
  message: { data: Buffer.from(JSON.stringify(data)).toString('base64'), messageId, publishTime: '2026-11-26T10:00:00Z' },
  subscription: 'projects/closeloop-prod/subscriptions/gmail-push',
});

beforeAll(async () => {
  const good = await generateKeyPair('RS256');
  const other = await generateKeyPair('RS256');
  const jwk: JWK = { ...(await exportJWK(good.publicKey)), kid: 'google-key-1', alg: 'RS256', use: 'sig' };
  verifier = createPushVerifier({ audience, serviceAccountEmail: serviceAccount, keys: createLocalJWKSet({ keys: [jwk] }) });
  signWith = (claims, options = {}) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: 'google-key-1' })
      .setIssuer(options.issuer ?? 'https://accounts.google.com')
      .setAudience(options.audience ?? audience)
      .setIssuedAt()
      .setExpirationTime(options.expiresIn ?? '1h')
      .sign(options.key === 'other' ? other.privateKey : good.privateKey);
});

describe('Gmail push verification', () => {
  const notification = { emailAddress: 'Riya@Northwind.example', historyId: 98765 };

  it('accepts a Google-signed token for the push service account and decodes the notification', async () => {
    const token = await signWith({ email: serviceAccount, email_verified: true });
    expect(await verifier.verify(`Bearer ${token}`, envelope(notification))).toEqual({ ok: true, messageId: '1234567890', emailAddress: 'riya@northwind.example', historyId: '98765' });
  });

  it.each([
    ['no Authorization header', async () => undefined],
    ['a token from another key', async () => `Bearer ${await signWith({ email: serviceAccount, email_verified: true }, { key: 'other' })}`],
    ['another audience', async () => `Bearer ${await signWith({ email: serviceAccount, email_verified: true }, { audience: 'https://elsewhere.example' })}`],
    ['another issuer', async () => `Bearer ${await signWith({ email: serviceAccount, email_verified: true }, { issuer: 'https://evil.example' })}`],
    ['an expired token', async () => `Bearer ${await signWith({ email: serviceAccount, email_verified: true }, { expiresIn: '-1m' })}`],
    ['another service account', async () => `Bearer ${await signWith({ email: 'someone@evil.example', email_verified: true })}`],
    ['an unverified email claim', async () => `Bearer ${await signWith({ email: serviceAccount, email_verified: false })}`],
    ['garbage', async () => 'Bearer not.a.jwt'],
  ])('refuses %s with 401', async (_name, authorization) => {
    expect(await verifier.verify(await authorization(), envelope(notification))).toMatchObject({ ok: false, status: 401 });
  });

  it('refuses a valid token with a body that is not a Gmail notification (400)', async () => {
    const token = `Bearer ${await signWith({ email: serviceAccount, email_verified: true })}`;
    expect(await verifier.verify(token, { hello: 'world' })).toMatchObject({ ok: false, status: 400 });
    expect(await verifier.verify(token, envelope({ emailAddress: 'not-an-address', historyId: 1 }))).toMatchObject({ ok: false, status: 400 });
    expect(await verifier.verify(token, { message: { data: '!!!', messageId: '1' } })).toMatchObject({ ok: false, status: 400 });
  });
});
