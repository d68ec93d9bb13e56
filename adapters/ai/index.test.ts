import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../domain/errors.ts';
import { startFakeOpenAiServer, type FakeOpenAiServer } from './fake-openai-server.ts';
import { createCallNotesExtractor, createEmailDrafter } from './index.ts';

const request = {
  orgId: '7c0b5a0e-4f5e-4a43-9d41-5b7a4f1d2c11',
  idempotencyKey: 'follow-up/step-2/contact-1',
  template: { subject: 'Pilot next steps', body: 'Shall we book the kickoff?' },
  context: {
    recipient: { firstName: 'Priya', lastName: null, title: null, accountName: null, timeZone: null },
    sender: { name: 'Ada' },
    earlierActivities: [],
  },
};

describe('createEmailDrafter', () => {
  let fake: FakeOpenAiServer;
  beforeAll(async () => {
    fake = await startFakeOpenAiServer({ apiKey: 'sk-test' });
  });
  afterAll(async () => {
    await fake?.close();
  });

  it('picks the drafter named by configuration', () => {
    expect(createEmailDrafter({ provider: 'offline' }).kind).toBe('offline');
    // Offline needs no key, and ignores OpenAI settings.
    expect(createEmailDrafter({ provider: 'offline', openaiBaseUrl: 'not a url' }).kind).toBe('offline');
    expect(createEmailDrafter({ provider: 'openai', openaiApiKey: 'sk-key' }).kind).toBe('openai');
  });

  it('passes the key, model and base URL on to the OpenAI drafter', async () => {
    fake.reset();
    const drafter = createEmailDrafter({ provider: 'openai', openaiApiKey: ' sk-test ', openaiModel: ' gpt-4o ', openaiBaseUrl: ` ${fake.url}/v1/ ` });
    const drafted = await drafter.personalise(request);

    expect(drafted.model).toBe('gpt-4o');
    const [sent] = fake.requests();
    expect(sent).toMatchObject({ method: 'POST', path: '/v1/chat/completions', body: { model: 'gpt-4o' } });
    expect(sent!.headers.authorization).toBe('Bearer sk-test');
  });

  it('uses gpt-4.1-mini when no model is configured', async () => {
    fake.reset();
    const drafter = createEmailDrafter({ provider: 'openai', openaiApiKey: 'sk-test', openaiModel: '  ', openaiBaseUrl: `${fake.url}/v1` });
    await drafter.personalise(request);
    expect(fake.requests()[0]!.body).toMatchObject({ model: 'gpt-4.1-mini' });
  });

  it.each([
    [{ provider: 'anthropic' }, /CLOSELOOP_AI_PROVIDER must be "offline" or "openai", got "anthropic"/],
    [{ provider: '' }, /CLOSELOOP_AI_PROVIDER/],
    [{ provider: 'OpenAI', openaiApiKey: 'sk-key' }, /CLOSELOOP_AI_PROVIDER/],
    [{ provider: 'openai' }, /OPENAI_API_KEY/],
    [{ provider: 'openai', openaiApiKey: '  ' }, /OPENAI_API_KEY/],
    [{ provider: 'openai', openaiApiKey: 'sk-key', openaiBaseUrl: 'not a url' }, /OPENAI_BASE_URL/],
    [{ provider: 'openai', openaiApiKey: 'sk-key', openaiBaseUrl: 'ftp://fake.example/v1' }, /OPENAI_BASE_URL/],
  ])('refuses %j with a ConfigurationError', (config, message) => {
    expect(() => createEmailDrafter(config)).toThrow(ConfigurationError);
    expect(() => createEmailDrafter(config)).toThrow(message);
  });
});

describe('createCallNotesExtractor', () => {
  it('picks the extractor by the same configuration and refuses what it cannot use', () => {
    expect(createCallNotesExtractor({ provider: 'offline' }).kind).toBe('offline');
    expect(createCallNotesExtractor({ provider: 'openai', openaiApiKey: 'sk-x', openaiBaseUrl: 'http://127.0.0.1:9/v1' }).kind).toBe('openai');
    expect(() => createCallNotesExtractor({ provider: 'openai' })).toThrow(ConfigurationError);
    expect(() => createCallNotesExtractor({ provider: 'gpt' })).toThrow(/must be "offline" or "openai"/);
  });
});
