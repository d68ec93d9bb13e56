// Tokens at rest (OAuth refresh and access tokens): AES-256-GCM with a key from configuration
// (CLOSELOOP_TOKEN_KEY, 32 bytes, base64). The database holds only "v1:<iv>:<tag>:<ciphertext>"; a copy of the
// database without the key reveals nothing, and a tampered value fails to open.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { ConfigurationError } from '../../domain/errors.ts';

export interface TokenCipher {
  seal(plaintext: string): string;
  open(sealed: string): string;
}

export function createTokenCipher(keyBase64: string | undefined): TokenCipher {
  const key = Buffer.from(keyBase64?.trim() ?? '', 'base64');
  if (key.length !== 32) throw new ConfigurationError('CLOSELOOP_TOKEN_KEY must be 32 random bytes in base64 (e.g. `openssl rand -base64 32`)');
  return {
    seal(plaintext) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return ['v1', iv.toString('base64'), cipher.getAuthTag().toString('base64'), data.toString('base64')].join(':');
    },
    open(sealed) {
      const [version, iv, tag, data] = sealed.split(':');
      if (version !== 'v1' || !iv || !tag || data === undefined) throw new ConfigurationError('a sealed token has an unknown format');
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
      decipher.setAuthTag(Buffer.from(tag, 'base64'));
      try {
        return Buffer.concat([decipher.update(Buffer.from(data, 'base64')), decipher.final()]).toString('utf8');
      } catch {
        throw new ConfigurationError('a sealed token does not open with CLOSELOOP_TOKEN_KEY (wrong key, or the value was changed)');
      }
    },
  };
}
