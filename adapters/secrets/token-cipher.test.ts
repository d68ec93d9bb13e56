import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createTokenCipher } from './token-cipher.ts';

describe('token cipher', () => {
  const key = randomBytes(32).toString('base64');

  it('seals and opens; the sealed value does not contain the token and differs each time', () => {
    const cipher = createTokenCipher(key);
    const sealed = cipher.seal('1//refresh-token-abc');
    expect(sealed).toMatch(/^v1:/);
    expect(sealed).not.toContain('refresh-token');
    expect(cipher.seal('1//refresh-token-abc')).not.toBe(sealed);
    expect(cipher.open(sealed)).toBe('1//refresh-token-abc');
  });

  it('refuses a tampered value, another key, and a bad key', () => {
    const sealed = createTokenCipher(key).seal('token');
    const parts = sealed.split(':');
    const flipped = Buffer.from(parts[3]!, 'base64');
    flipped[0] = flipped[0]! ^ 1;
    expect(() => createTokenCipher(key).open([...parts.slice(0, 3), flipped.toString('base64')].join(':'))).toThrow(/does not open/);
    expect(() => createTokenCipher(randomBytes(32).toString('base64')).open(sealed)).toThrow(/does not open/);
    expect(() => createTokenCipher('short')).toThrow(/32 random bytes/);
    expect(() => createTokenCipher(undefined)).toThrow(/CLOSELOOP_TOKEN_KEY/);
  });
});
