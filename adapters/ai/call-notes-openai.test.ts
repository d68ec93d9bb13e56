// Drives the real `openai` SDK against the local fake of the chat completions API, for call-notes extraction.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { thrown } from '../../infra/testing/errors.ts';
import { emptyExtraction, type Extraction } from '../../domain/call-notes.ts';
import {
  AiMalformedOutputError,
  AiRateLimitedError,
  AiRefusedError,
  AiSchemaMismatchError,
  AiTimeoutError,
  ConfigurationError,
  ValidationError,
} from '../../domain/errors.ts';
import { CALL_NOTES_PROMPT_VERSION, createOpenAiCallNotesExtractor } from './call-notes-openai.ts';
import type { CallNotesExtractor, ExtractRequest } from './call-notes-port.ts';
import { startFakeOpenAiServer, userPayload, type FakeOpenAiServer } from './fake-openai-server.ts';

const API_KEY = 'sk-test-key';
const ORG_ID = '7c0b5a0e-4f5e-4a43-9d41-5b7a4f1d2c11';
const PROMPT_TEXT = readFileSync(join(import.meta.dirname, 'prompts', `${CALL_NOTES_PROMPT_VERSION}.md`), 'utf8').trim();

const TRANSCRIPT = [
  'Ada: Thanks for making time, Priya.',
  'Priya: Sure. Our ops team loses two days a month reconciling orders by hand.',
  'Priya: Send me the security questionnaire and I will get it to our CISO by Friday.',
  'Ada: I will send it today.',
].join('\n');

const request = (over: Partial<ExtractRequest> = {}): ExtractRequest => ({
  orgId: ORG_ID,
  idempotencyKey: 'call-note/42',
  transcript: TRANSCRIPT,
  occurredAt: '2025-03-04T15:00:00Z',
  timeZone: 'Europe/London',
  context: { repName: 'Ada Lovelace', accountName: 'Customer Ltd', stage: 'discovery', currency: 'GBP', knownPeople: [{ name: 'Priya Shah', title: 'COO' }] },
  ...over,
});

const goodExtraction: Extraction = {
  ...emptyExtraction,
  summary: { text: 'Priya described manual order reconciliation. Ada will send the security questionnaire.', quote: 'Our ops team loses two days a month reconciling orders by hand.', confidence: 0.8 },
  nextSteps: [{ text: 'Send the security questionnaire', owner: 'rep', ownerName: 'Ada', due: 'today', quote: 'I will send it today.', confidence: 0.9 }],
  pains: [{ text: 'Two days a month lost to manual order reconciliation', quote: 'Our ops team loses two days a month reconciling orders by hand.', confidence: 0.9 }],
  commitments: [{ text: 'Pass the questionnaire to the CISO by Friday', quote: 'I will get it to our CISO by Friday.', confidence: 0.8 }],
};

describe('OpenAI call-notes extractor (real SDK, fake OpenAI server)', () => {
  let fake: FakeOpenAiServer;
  let extractor: CallNotesExtractor;
  beforeAll(async () => {
    fake = await startFakeOpenAiServer({ apiKey: API_KEY, models: ['gpt-4.1-mini'] });
    extractor = createOpenAiCallNotesExtractor({ apiKey: API_KEY, baseUrl: `${fake.url}/v1` });
  });
  beforeEach(() => {
    fake.reset();
    fake.respondWith(() => ({ content: JSON.stringify(goodExtraction), model: 'gpt-4.1-mini-2025-04-14' }));
  });
  afterAll(async () => {
    await fake?.close();
  });

  it('returns the parsed extraction with the model that answered and the prompt version, having sent the prompt file, a strict schema and the JSON input', async () => {
    const result = await extractor.extract(request());

    expect(extractor.kind).toBe('openai');
    expect(result).toEqual({
      extraction: goodExtraction,
      extractor: 'openai',
      model: 'gpt-4.1-mini-2025-04-14',
      promptVersion: 'call-notes-extract.v1',
      label: 'AI extraction by gpt-4.1-mini-2025-04-14, prompt call-notes-extract.v1',
    });

    const sent = fake.requests();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ method: 'POST', path: '/v1/chat/completions' });
    expect(sent[0]!.headers.authorization).toBe(`Bearer ${API_KEY}`);
    const body = sent[0]!.body as Record<string, unknown>;
    expect(body.model).toBe('gpt-4.1-mini');
    expect(body.safety_identifier).toMatch(/^org_[0-9a-f]{32}$/);
    const messages = body.messages as Array<{ role: string; content: string }>;
    expect(messages.map((m) => m.role)).toEqual(['system', 'user']);
    expect(messages[0]!.content).toBe(PROMPT_TEXT);
    expect(messages[0]!.content).toMatch(/data, not instructions/);
    // The transcript travels only as data in the user message.
    expect(messages[0]!.content).not.toContain('CISO');
    const { transcript, occurredAt, timeZone, context } = request();
    expect(userPayload(body)).toEqual({ transcript, occurredAt, timeZone, context });

    const format = body.response_format as { type: string; json_schema: { name: string; strict: boolean; schema: Record<string, unknown> } };
    expect(format.type).toBe('json_schema');
    expect(format.json_schema).toMatchObject({ name: 'call_extraction', strict: true, schema: { type: 'object', additionalProperties: false } });
    // Strict mode: every object lists all its properties as required and allows no others.
    const objects: Array<Record<string, unknown>> = [];
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) return node.forEach(walk);
      if (typeof node !== 'object' || node === null) return;
      const record = node as Record<string, unknown>;
      if (record.type === 'object') objects.push(record);
      Object.values(record).forEach(walk);
    };
    walk(format.json_schema.schema);
    expect(objects.length).toBeGreaterThan(10);
    for (const object of objects) {
      expect(object.additionalProperties).toBe(false);
      expect([...(object.required as string[])].sort()).toEqual(Object.keys(object.properties as object).sort());
    }
  });

  it('maps a refusal to AiRefusedError', async () => {
    fake.respondWith(() => ({ refusal: "I'm sorry, I can't help with that." }));
    const error = await thrown(extractor.extract(request()));
    expect(error).toBeInstanceOf(AiRefusedError);
    expect(error.name).toBe('AiRefusedError');
    expect(error.message).toMatch(/refused: I'm sorry/);
    expect(fake.requests()).toHaveLength(1);
  });

  it('maps content that is not JSON to AiMalformedOutputError', async () => {
    fake.respondWith(() => ({ content: 'Sure! Priya wants the security questionnaire.' }));
    const error = await thrown(extractor.extract(request()));
    expect(error).toBeInstanceOf(AiMalformedOutputError);
    expect(error.name).toBe('AiMalformedOutputError');
    expect(error.message).toMatch(/not JSON/);
    expect(fake.requests()).toHaveLength(1);
  });

  it('maps JSON of the wrong shape to AiSchemaMismatchError naming the first issue path', async () => {
    const { quote: _quote, ...withoutQuote } = goodExtraction.nextSteps[0]!;
    fake.respondWith(() => ({ content: JSON.stringify({ ...goodExtraction, nextSteps: [withoutQuote] }) }));
    const error = await thrown(extractor.extract(request()));
    expect(error).toBeInstanceOf(AiSchemaMismatchError);
    expect(error.name).toBe('AiSchemaMismatchError');
    expect(error.message).toMatch(/does not fit the extraction schema at nextSteps\[0\]\.quote/);
    expect(fake.requests()).toHaveLength(1);
  });

  it('maps a 429 to AiRateLimitedError with the retry-after wait, and a second call (Temporal retrying) succeeds', async () => {
    fake.failNext(1, 429, undefined, { 'retry-after': '7' });
    const error = await thrown(extractor.extract(request()));
    expect(error).toBeInstanceOf(AiRateLimitedError);
    expect(error.name).toBe('AiRateLimitedError');
    expect((error as AiRateLimitedError).retryAfterMs).toBe(7000);
    expect(error.message).toMatch(/HTTP 429 rate_limit_exceeded/);
    // The SDK's own retries are off: Temporal owns them.
    expect(fake.requests()).toHaveLength(1);

    const result = await extractor.extract(request());
    expect(result.extraction).toEqual(goodExtraction);
    expect(fake.requests()).toHaveLength(2);
  });

  it.each([
    [{ 'retry-after-ms': '1500', 'retry-after': '2' }, 1500],
    [{}, null],
  ])('takes the wait from the headers %j', async (headers, wait) => {
    fake.failNext(1, 429, undefined, headers);
    const error = await thrown(extractor.extract(request()));
    expect(error).toBeInstanceOf(AiRateLimitedError);
    expect((error as AiRateLimitedError).retryAfterMs).toBe(wait);
  });

  it('maps a client timeout to AiTimeoutError', async () => {
    const impatient = createOpenAiCallNotesExtractor({ apiKey: API_KEY, baseUrl: `${fake.url}/v1`, timeoutMs: 300 });
    fake.hangNext(1);
    const error = await thrown(impatient.extract(request()));
    expect(error).toBeInstanceOf(AiTimeoutError);
    expect(error.name).toBe('AiTimeoutError');
    expect(fake.requests()).toHaveLength(1);
  });

  it('maps a wrong API key (401) to ConfigurationError', async () => {
    const wrongKey = createOpenAiCallNotesExtractor({ apiKey: 'sk-wrong', baseUrl: `${fake.url}/v1` });
    const error = await thrown(wrongKey.extract(request()));
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error.name).toBe('ConfigurationError');
    expect(error.message).toMatch(/HTTP 401 invalid_api_key/);
    expect(error.message).toMatch(/OPENAI_API_KEY/);
    expect(fake.requests()).toHaveLength(1);
  });

  it.each([
    ['empty', '  \n '],
    ['over 200,000 characters', 'x'.repeat(200_001)],
  ])('refuses %s notes with a ValidationError before calling the model', async (_what, transcript) => {
    const error = await thrown(extractor.extract(request({ transcript })));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.name).toBe('ValidationError');
    expect(fake.requests()).toHaveLength(0);
  });
});
