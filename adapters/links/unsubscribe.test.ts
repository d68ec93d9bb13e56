import { describe, expect, it } from 'vitest';
import { createLinkSigner } from './unsubscribe.ts';

const signer = createLinkSigner({ publicUrl: 'https://app.example/', secret: 'a'.repeat(32) });
const claim = { orgId: '3f1c9a52-6a0e-4b8e-9d3a-1f2e4c5b6a70', messageId: '1e2d3c4b-5a69-4788-9a6b-5c4d3e2f1a73' };

describe('unsubscribe links', () => {
  it('round-trip, and carry ids only', () => {
    const url = signer.unsubscribeUrl(claim);
    expect(url.startsWith('https://app.example/u/')).toBe(true);
    expect(signer.verifyUnsubscribeToken(url.split('/u/')[1]!)).toEqual(claim);
  });

  it('refuse a tampered payload, a wrong secret and garbage', () => {
    const token = signer.unsubscribeUrl(claim).split('/u/')[1]!;
    const [payload, signature] = token.split('.');
    const other = Buffer.from(JSON.stringify([claim.orgId, '00000000-0000-4000-8000-000000000000'])).toString('base64url');
    expect(signer.verifyUnsubscribeToken(`${other}.${signature}`)).toBeNull();
    expect(createLinkSigner({ publicUrl: 'x', secret: 'b'.repeat(32) }).verifyUnsubscribeToken(token)).toBeNull();
    expect(signer.verifyUnsubscribeToken(`${payload}`)).toBeNull();
    expect(signer.verifyUnsubscribeToken('not.a.token')).toBeNull();
  });
});
