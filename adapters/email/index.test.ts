import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../domain/errors.ts';
import type { Database } from '../db/session.ts';
import { createEmailSender } from './index.ts';

// Never queried: choosing an adapter touches no database.
const db = {} as Database;

describe('createEmailSender', () => {
  it('picks the provider named by configuration', () => {
    expect(createEmailSender({ provider: 'outbox', db }).provider).toBe('outbox');
    expect(createEmailSender({ provider: 'resend', resendApiKey: 're_key', db }).provider).toBe('resend');
    expect(createEmailSender({ provider: 'resend', resendApiKey: 're_key', resendBaseUrl: 'http://127.0.0.1:9', db }).provider).toBe('resend');
  });

  it.each([
    [{ provider: 'smtp' }, /CLOSELOOP_EMAIL_PROVIDER must be "outbox" or "resend", got "smtp"/],
    [{ provider: '' }, /CLOSELOOP_EMAIL_PROVIDER/],
    [{ provider: 'Resend', resendApiKey: 're_key' }, /CLOSELOOP_EMAIL_PROVIDER/],
    [{ provider: 'resend' }, /RESEND_API_KEY/],
    [{ provider: 'resend', resendApiKey: ' ' }, /RESEND_API_KEY/],
    [{ provider: 'resend', resendApiKey: 're_key', resendBaseUrl: 'not a url' }, /RESEND_BASE_URL/],
    [{ provider: 'resend', resendApiKey: 're_key', resendBaseUrl: 'ftp://fake.example' }, /RESEND_BASE_URL/],
  ])('refuses %j with a ConfigurationError', (config, message) => {
    expect(() => createEmailSender({ ...config, db })).toThrow(ConfigurationError);
    expect(() => createEmailSender({ ...config, db })).toThrow(message);
  });
});
