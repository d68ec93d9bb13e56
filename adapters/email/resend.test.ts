// Drives the real `resend` SDK against the local fake of the Resend API.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { thrown } from '../../infra/testing/errors.ts';
import { ConfigurationError, ProviderRejectedError, ValidationError } from '../../domain/errors.ts';
import { startFakeResendServer, type FakeResendServer } from './fake-resend-server.ts';
import type { EmailSender, OutgoingEmail } from './port.ts';
import { createResendEmailSender } from './resend.ts';

const API_KEY = 're_test_key';

const email = (over: Partial<OutgoingEmail> = {}): OutgoingEmail => ({
  orgId: '7c0b5a0e-4f5e-4a43-9d41-5b7a4f1d2c11',
  idempotencyKey: `follow-up/step-2/${Math.random().toString(36).slice(2)}`,
  from: { name: 'Ada Lovelace', address: 'ada@sales.example' },
  to: 'priya@customer.example',
  replyTo: 'ada+replies@sales.example',
  subject: 'Pilot next steps',
  text: 'Hi Priya,\n\nShall we book the pilot kickoff?\n\nAda',
  headers: {
    'In-Reply-To': '<first@sales.example>',
    References: '<first@sales.example>',
    'List-Unsubscribe': '<https://closeloop.example/u/abc>',
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
  },
  tags: { org: '7c0b5a0e-4f5e-4a43-9d41-5b7a4f1d2c11', process: 'follow-up', step: 'step-2' },
  ...over,
});

describe('Resend email sender (real SDK, fake Resend server)', () => {
  let fake: FakeResendServer;
  let sender: EmailSender;
  beforeAll(async () => {
    fake = await startFakeResendServer();
    sender = createResendEmailSender({ apiKey: API_KEY, baseUrl: fake.url });
  });
  beforeEach(() => fake.reset());
  afterAll(async () => {
    await fake?.close();
  });

  it('sends from, to, reply-to, subject, text, headers and tags, with the idempotency key and API key', async () => {
    const sent = email();
    const accepted = await sender.send(sent);

    expect(sender.provider).toBe('resend');
    const [stored] = fake.acceptedEmails();
    expect(accepted).toEqual({ provider: 'resend', providerMessageId: stored!.id, rfcMessageId: null });
    expect(stored!.idempotencyKey).toBe(sent.idempotencyKey);
    expect(stored!.payload).toEqual({
      from: 'Ada Lovelace <ada@sales.example>',
      to: 'priya@customer.example',
      reply_to: 'ada+replies@sales.example',
      subject: 'Pilot next steps',
      text: sent.text,
      headers: sent.headers,
      tags: [
        { name: 'org', value: '7c0b5a0e-4f5e-4a43-9d41-5b7a4f1d2c11' },
        { name: 'process', value: 'follow-up' },
        { name: 'step', value: 'step-2' },
      ],
    });
    const [request] = fake.requests();
    expect(request).toMatchObject({ method: 'POST', path: '/emails' });
    expect(request!.headers['idempotency-key']).toBe(sent.idempotencyKey);
    expect(request!.headers.authorization).toBe(`Bearer ${API_KEY}`);
  });

  it('leaves out reply-to when there is none and quotes a display name with specials', async () => {
    await sender.send(email({ replyTo: null, from: { name: 'Lovelace, Ada "AL"', address: 'ada@sales.example' } }));
    const [stored] = fake.acceptedEmails();
    expect(stored!.payload).not.toHaveProperty('reply_to');
    expect(stored!.payload.from).toBe('"Lovelace, Ada \\"AL\\"" <ada@sales.example>');
  });

  it('sanitises tag names and values to what Resend accepts', async () => {
    await sender.send(email({ tags: { 'org id': 'a/b.c', 'step:2': 'x'.repeat(300), empty: '' } }));
    const [stored] = fake.acceptedEmails();
    expect(stored!.payload.tags).toEqual([
      { name: 'org_id', value: 'a_b_c' },
      { name: 'step_2', value: 'x'.repeat(256) },
    ]);
  });

  it('sends one email for the same key twice and returns the same provider id', async () => {
    const sent = email();
    const first = await sender.send(sent);
    const second = await sender.send(sent);
    expect(second).toEqual(first);
    expect(fake.acceptedEmails()).toHaveLength(1);
    expect(fake.requests()).toHaveLength(2);
  });

  it('refuses the same key with a different payload for good (409 invalid_idempotent_request)', async () => {
    const sent = email();
    await sender.send(sent);
    const error = await thrown(sender.send({ ...sent, text: 'Another body' }));
    expect(error).toBeInstanceOf(ProviderRejectedError);
    expect(error.message).toMatch(/already been used on a request that had a different payload/);
    expect(fake.acceptedEmails()).toHaveLength(1);
  });

  it('lets Temporal retry a concurrent request with the same key (409 concurrent_idempotent_requests)', async () => {
    fake.failNext(1, 409, { statusCode: 409, name: 'concurrent_idempotent_requests', message: 'Same idempotency key used while original request is still in progress.' });
    const error = await thrown(sender.send(email()));
    expect(error.constructor).toBe(Error);
    expect(error.message).toMatch(/still in progress/);
  });

  it.each([
    [500, { statusCode: 500, name: 'application_error', message: 'An unexpected error occurred.' }],
    [502, '<html><body>Bad gateway</body></html>'],
    [429, { statusCode: 429, name: 'rate_limit_exceeded', message: 'Too many requests. You can only make 2 requests per second.' }],
    [429, { statusCode: 429, name: 'daily_quota_exceeded', message: 'You have reached your daily email sending quota.' }],
  ])('turns HTTP %i into a plain, retryable Error', async (status, body) => {
    fake.failNext(1, status, body);
    const error = await thrown(sender.send(email()));
    expect(error).not.toBeInstanceOf(ProviderRejectedError);
    expect(error.constructor).toBe(Error);
    expect(error.message).toMatch(/^Resend send /);
    expect(fake.acceptedEmails()).toHaveLength(0);
  });

  it('turns a lost connection into a plain, retryable Error, and the retry with the same key succeeds', async () => {
    const sent = email();
    fake.dropNext(1);
    const error = await thrown(sender.send(sent));
    expect(error.constructor).toBe(Error);
    expect(error.message).toMatch(/Unable to fetch data/);
    await expect(sender.send(sent)).resolves.toMatchObject({ provider: 'resend' });
    expect(fake.acceptedEmails()).toHaveLength(1);
  });

  it('turns an invalid address (422) into ProviderRejectedError with the provider message', async () => {
    const error = await thrown(sender.send(email({ to: 'not-an-address' })));
    expect(error).toBeInstanceOf(ProviderRejectedError);
    expect(error.message).toMatch(/Invalid `to` field/);
    expect(error.message).toMatch(/HTTP 422/);
  });

  it('turns an unverified sending domain (403) into ProviderRejectedError', async () => {
    fake.setDomains([{ name: 'sales.example', status: 'pending' }]);
    const error = await thrown(sender.send(email()));
    expect(error).toBeInstanceOf(ProviderRejectedError);
    expect(error.message).toMatch(/sales\.example domain is not verified/);
  });

  it.each([
    [400, 'validation_error'],
    [404, 'not_found'],
    [422, 'invalid_from_address'],
  ])('turns HTTP %i %s into ProviderRejectedError', async (status, name) => {
    fake.failNext(1, status, { statusCode: status, name, message: `refused: ${name}` });
    await expect(sender.send(email())).rejects.toBeInstanceOf(ProviderRejectedError);
  });

  it.each([
    [401, 'missing_api_key'],
    [401, 'restricted_api_key'],
    [403, 'invalid_api_key'],
  ])('turns HTTP %i %s into ConfigurationError naming RESEND_API_KEY', async (status, name) => {
    fake.failNext(1, status, { statusCode: status, name, message: 'API key problem' });
    const error = await thrown(sender.send(email()));
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error.message).toMatch(/RESEND_API_KEY/);
  });

  it('refuses header injection and bad keys before calling Resend', async () => {
    const cases: Partial<OutgoingEmail>[] = [
      { headers: { 'In-Reply-To': '<a@b>\r\nBcc: victim@example.com' } },
      { headers: { 'Bad Header': 'x' } },
      { subject: 'Hi\nBcc: victim@example.com' },
      { from: { name: 'Ada\r\n', address: 'ada@sales.example' } },
      { idempotencyKey: '' },
      { idempotencyKey: 'k'.repeat(257) },
      { to: ' ' },
    ];
    for (const over of cases) await expect(sender.send(email(over)), JSON.stringify(over)).rejects.toBeInstanceOf(ValidationError);
    expect(fake.requests()).toHaveLength(0);
  });

  it('uses its own base URL, not RESEND_BASE_URL of the process', async () => {
    const before = process.env.RESEND_BASE_URL;
    process.env.RESEND_BASE_URL = 'http://127.0.0.1:1';
    try {
      const other = createResendEmailSender({ apiKey: API_KEY, baseUrl: `${fake.url}/` });
      await expect(other.send(email())).resolves.toMatchObject({ provider: 'resend' });
      expect(fake.requests()[0]!.path).toBe('/emails');
    } finally {
      if (before === undefined) delete process.env.RESEND_BASE_URL;
      else process.env.RESEND_BASE_URL = before;
    }
  });

  describe('domainStatus', () => {
    it.each([
      ['verified', 'verified'],
      ['pending', 'pending'],
      ['not_started', 'pending'],
      ['partially_verified', 'pending'],
      ['failed', 'failed'],
      ['partially_failed', 'failed'],
    ])('maps Resend %s to %s', async (status, expected) => {
      fake.setDomains([{ name: 'other.example', status: 'verified' }, { name: 'sales.example', status }]);
      expect(await sender.domainStatus('sales.example')).toBe(expected);
      expect(fake.requests()[0]).toMatchObject({ method: 'GET', path: '/domains' });
    });

    it('answers not_found for a domain the account does not have', async () => {
      fake.setDomains([{ name: 'other.example', status: 'verified' }]);
      expect(await sender.domainStatus('sales.example')).toBe('not_found');
      fake.setDomains([]);
      expect(await sender.domainStatus('sales.example')).toBe('not_found');
    });

    it('matches the name case-insensitively and follows the pages of the list', async () => {
      const many = Array.from({ length: 230 }, (_, i) => ({ name: `d${i}.example`, status: 'pending' }));
      fake.setDomains([...many, { name: 'sales.example', status: 'verified' }]);
      expect(await sender.domainStatus('Sales.Example')).toBe('verified');
      const pages = fake.requests();
      expect(pages).toHaveLength(3);
      expect(pages.map((r) => r.query.limit)).toEqual(['100', '100', '100']);
      expect(pages[0]!.query.after).toBeUndefined();
      expect(pages[2]!.query.after).toEqual(expect.any(String));
    });

    it('throws a plain Error on a server error and ConfigurationError on a bad key', async () => {
      fake.failNext(1, 503, { statusCode: 503, name: 'application_error', message: 'Service unavailable' });
      const error = await thrown(sender.domainStatus('sales.example'));
      expect(error.constructor).toBe(Error);
      fake.failNext(1, 403, { statusCode: 403, name: 'invalid_api_key', message: 'API key is invalid' });
      await expect(sender.domainStatus('sales.example')).rejects.toBeInstanceOf(ConfigurationError);
    });
  });
});
