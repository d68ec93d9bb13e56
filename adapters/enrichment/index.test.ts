import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../domain/errors.ts';
import { startFakeApolloServer, type FakeApolloServer } from './fake-apollo-server.ts';
import { createLeadEnricher } from './index.ts';

const request = {
  orgId: '7c0b5a0e-4f5e-4a43-9d41-5b7a4f1d2c11',
  person: {
    email: 'ada@globex.de',
    firstName: 'Ada',
    lastName: 'Lovelace',
    title: 'Head of Sales',
    companyName: null,
    companyDomain: null,
    linkedinUrl: null,
    phoneE164: null,
    country: 'DE',
  },
};

describe('createLeadEnricher', () => {
  let fake: FakeApolloServer;
  beforeAll(async () => {
    fake = await startFakeApolloServer({ apiKey: 'apollo-key' });
  });
  afterAll(async () => {
    await fake?.close();
  });

  it('picks the enricher named by configuration', async () => {
    const offline = createLeadEnricher({ provider: 'offline' });
    expect(offline.kind).toBe('offline');
    expect((await offline.enrich(request)).fields.map((f) => [f.field, f.value, f.source])).toContainEqual(['companyDomain', 'globex.de', 'offline']);
    // Offline needs no key, and ignores Apollo settings.
    expect(createLeadEnricher({ provider: 'offline', apolloBaseUrl: 'not a url' }).kind).toBe('offline');
    expect(createLeadEnricher({ provider: 'apollo', apolloApiKey: 'apollo-key' }).kind).toBe('apollo');
  });

  it('passes the key and base URL on to the Apollo enricher', async () => {
    fake.reset();
    fake.addPerson({ email: 'ada@globex.de' }, { title: 'Head of Sales EMEA', organization: { name: 'Globex GmbH' } });
    const enricher = createLeadEnricher({ provider: 'apollo', apolloApiKey: ' apollo-key ', apolloBaseUrl: ` ${fake.url}/ ` });
    const result = await enricher.enrich(request);

    expect(result.fields.map((f) => [f.field, f.value, f.source])).toEqual([
      ['title', 'Head of Sales EMEA', 'apollo'],
      ['companyName', 'Globex GmbH', 'apollo'],
    ]);
    const [sent] = fake.requests();
    expect(sent).toMatchObject({ method: 'POST', path: '/api/v1/people/match' });
    expect(sent!.headers['x-api-key']).toBe('apollo-key');
  });

  it.each([
    [{ provider: 'clearbit' }, /CLOSELOOP_ENRICHMENT_PROVIDER must be "offline" or "apollo", got "clearbit"/],
    [{ provider: '' }, /CLOSELOOP_ENRICHMENT_PROVIDER/],
    [{ provider: 'Apollo', apolloApiKey: 'key' }, /CLOSELOOP_ENRICHMENT_PROVIDER/],
    [{ provider: 'apollo' }, /APOLLO_API_KEY/],
    [{ provider: 'apollo', apolloApiKey: '  ' }, /APOLLO_API_KEY/],
    [{ provider: 'apollo', apolloApiKey: 'key', apolloBaseUrl: 'not a url' }, /APOLLO_BASE_URL/],
    [{ provider: 'apollo', apolloApiKey: 'key', apolloBaseUrl: 'ftp://fake.example' }, /APOLLO_BASE_URL/],
  ])('refuses %j with a ConfigurationError', (config, message) => {
    expect(() => createLeadEnricher(config)).toThrow(ConfigurationError);
    expect(() => createLeadEnricher(config)).toThrow(message);
  });
});
