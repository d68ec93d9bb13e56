// Drives the Apollo adapter over real HTTP against the local fake of POST /api/v1/people/match.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { thrown } from '../../infra/testing/errors.ts';
import { createApolloEnricher, linkedinProfileUrl } from './apollo.ts';
import { startFakeApolloServer, type FakeApolloPersonInput, type FakeApolloServer } from './fake-apollo-server.ts';
import { enrichmentResultSchema, type EnrichmentPerson, type LeadEnricher } from './port.ts';

const API_KEY = 'apollo-test-key';
const ORG_ID = '7c0b5a0e-4f5e-4a43-9d41-5b7a4f1d2c11';
const NOW = Date.parse('2026-03-02T09:30:00.000Z');
const AT = '2026-03-02T09:30:00.000Z';
const EMAIL = 'tim@apollo.io';

const person = (over: Partial<EnrichmentPerson> = {}): EnrichmentPerson => ({
  email: EMAIL,
  firstName: 'Tim',
  lastName: 'Zheng',
  title: null,
  companyName: 'Apollo',
  companyDomain: 'apollo.io',
  linkedinUrl: null,
  phoneE164: null,
  country: null,
  ...over,
});

// Shaped like Apollo's documented answer, including the `contact` (the customer's own CRM record) we must ignore.
const tim: FakeApolloPersonInput & Record<string, unknown> = {
  first_name: 'Tim',
  last_name: 'Zheng',
  title: 'Founder & CEO',
  headline: 'Founder & CEO at Apollo',
  email: EMAIL,
  seniority: 'founder',
  departments: ['c_suite', 'master_engineering_technical'],
  subdepartments: ['executive', 'founder'],
  functions: ['entrepreneurship'],
  city: 'San Francisco',
  state: 'California',
  country: 'United States',
  linkedin_url: 'http://www.linkedin.com/in/tim-zheng-677ba010',
  organization: {
    name: 'Apollo.io',
    primary_domain: 'apollo.io',
    website_url: 'http://www.apollo.io',
    phone: null,
    primary_phone: { number: '+1 415-555-0143', source: 'Owler', sanitized_number: '+14155550143' },
    country: 'United States',
  },
  contact: { title: 'Reaching Peak Potential | President', time_zone: 'America/New_York', sanitized_phone: '+12125550100' },
};

describe('Apollo enricher (fetch, fake Apollo server)', () => {
  let fake: FakeApolloServer;
  let enricher: LeadEnricher;
  beforeAll(async () => {
    fake = await startFakeApolloServer({ apiKey: API_KEY });
    enricher = createApolloEnricher({ apiKey: API_KEY, baseUrl: fake.url, now: () => NOW });
  });
  beforeEach(() => fake.reset());
  afterAll(async () => {
    await fake?.close();
  });

  const enrich = (over: Partial<EnrichmentPerson> = {}) => enricher.enrich({ orgId: ORG_ID, person: person(over) });

  describe('the request', () => {
    it('posts what we hold to people/match with the key in X-Api-Key and every reveal off', async () => {
      await enrich({ linkedinUrl: 'https://www.linkedin.com/in/tim-zheng-677ba010' });

      const sent = fake.requests();
      expect(sent).toHaveLength(1);
      expect(sent[0]).toMatchObject({ method: 'POST', path: '/api/v1/people/match', query: {} });
      expect(sent[0]!.headers['x-api-key']).toBe(API_KEY);
      expect(sent[0]!.headers['content-type']).toBe('application/json');
      expect(sent[0]!.headers.authorization).toBeUndefined();
      expect(sent[0]!.body).toEqual({
        email: EMAIL,
        first_name: 'Tim',
        last_name: 'Zheng',
        organization_name: 'Apollo',
        domain: 'apollo.io',
        linkedin_url: 'https://www.linkedin.com/in/tim-zheng-677ba010',
        reveal_personal_emails: false,
        reveal_phone_number: false,
        run_waterfall_email: false,
        run_waterfall_phone: false,
      });
    });

    it('leaves out what we do not hold, and never sends the orgId, phone, title or country', async () => {
      await enrich({ firstName: null, companyName: null, companyDomain: null, title: 'CEO', phoneE164: '+14155550143', country: 'US' });
      expect(fake.requests()[0]!.body).toEqual({
        email: EMAIL,
        last_name: 'Zheng',
        reveal_personal_emails: false,
        reveal_phone_number: false,
        run_waterfall_email: false,
        run_waterfall_phone: false,
      });
    });

    it.each<[string, Partial<EnrichmentPerson>]>([
      ['nothing at all', { email: null, firstName: null, lastName: null, companyName: null, companyDomain: null }],
      ['a name without a company', { email: null, companyName: null, companyDomain: null }],
      ['a company without a name', { email: null, firstName: null, lastName: null }],
      ['only blanks', { email: '  ', firstName: ' ', lastName: '', companyName: ' ', companyDomain: ' ', linkedinUrl: ' ' }],
    ])('does not call Apollo with %s to match on', async (_, over) => {
      expect(await enrich(over)).toEqual({ fields: [] });
      expect(fake.requests()).toHaveLength(0);
    });

    it.each<[string, Partial<EnrichmentPerson>]>([
      ['a LinkedIn URL alone', { email: null, firstName: null, lastName: null, companyName: null, companyDomain: null, linkedinUrl: 'linkedin.com/in/tim' }],
      ['a last name and a domain', { email: null, firstName: null, companyName: null }],
    ])('calls Apollo with %s', async (_, over) => {
      await enrich(over);
      expect(fake.requests()).toHaveLength(1);
    });
  });

  describe('the answer', () => {
    it("maps the person's record and current organization, each value from Apollo and dated", async () => {
      fake.addPerson({ email: EMAIL }, tim);
      const result = await enrich();

      expect(enricher.kind).toBe('apollo');
      expect(enrichmentResultSchema.parse(result)).toEqual(result);
      const provider = { source: 'apollo', at: AT, confidence: 'provider' };
      expect(result.fields).toEqual([
        { field: 'title', value: 'Founder & CEO', ...provider },
        { field: 'seniority', value: 'c_level', ...provider },
        // A founder who runs engineering: the function wins over c_suite, as in jobTitleProfile.
        { field: 'department', value: 'engineering', ...provider },
        { field: 'linkedinUrl', value: 'https://www.linkedin.com/in/tim-zheng-677ba010', ...provider },
        { field: 'city', value: 'San Francisco', ...provider },
        { field: 'country', value: 'US', ...provider },
        { field: 'companyName', value: 'Apollo.io', ...provider },
        { field: 'companyDomain', value: 'apollo.io', ...provider },
        { field: 'phoneE164', value: '+14155550143', ...provider },
        // Our rule applied to Apollo's city and country: derived, not Apollo's word.
        { field: 'timeZone', value: 'America/Los_Angeles', source: 'apollo', at: AT, confidence: 'derived' },
      ]);
    });

    it('matches by LinkedIn URL too', async () => {
      fake.addPerson({ linkedinUrl: 'https://www.linkedin.com/in/tim-zheng-677ba010/' }, tim);
      const result = await enrich({ email: null, linkedinUrl: 'http://linkedin.com/in/tim-zheng-677ba010' });
      expect(result.fields.find((f) => f.field === 'title')?.value).toBe('Founder & CEO');
    });

    it('answers no fields when Apollo finds no one ({ person: null })', async () => {
      fake.addPerson({ email: 'someone.else@apollo.io' }, tim);
      expect(await enrich()).toEqual({ fields: [] });
      expect(fake.requests()).toHaveLength(1);
    });

    it('falls back to the website for the domain and reads a formatted company phone in its country', async () => {
      fake.addPerson({ email: EMAIL }, {
        title: 'Leiter Vertrieb',
        country: 'Germany',
        organization: { name: 'Globex GmbH', primary_domain: null, website_url: 'https://www.shop.globex.de/', phone: '030 901820', primary_phone: {}, country: 'Germany' },
      });
      const found = Object.fromEntries((await enrich()).fields.map((f) => [f.field, f]));
      expect(found.companyDomain?.value).toBe('globex.de');
      expect(found.phoneE164?.value).toBe('+4930901820');
      expect(found.country?.value).toBe('DE');
      expect(found.timeZone).toMatchObject({ value: 'Europe/Berlin', confidence: 'derived' });
    });

    it('leaves out what Apollo does not have or we cannot read', async () => {
      fake.addPerson({ email: EMAIL }, {
        title: '  ',
        seniority: 'galactic_overlord',
        departments: ['master_astrology'],
        city: null,
        country: 'Atlantis',
        linkedin_url: 'https://twitter.com/tim',
        organization: { name: null, primary_domain: 'localhost', website_url: 'not a url', phone: '12', primary_phone: {} },
      });
      expect(await enrich()).toEqual({ fields: [] });
    });

    it('leaves out the organization when Apollo has none', async () => {
      fake.addPerson({ email: EMAIL }, { title: 'Investor', organization: null });
      expect((await enrich()).fields.map((f) => f.field)).toEqual(['title']);
    });

    it.each<[string[], string]>([
      [['master_sales'], 'sales'],
      [['c_suite'], 'executive'],
      [['design', 'master_marketing'], 'marketing'],
      [['design'], 'other'],
      [['master_human_resources'], 'hr'],
      [['master_information_technology'], 'it'],
      [['product_management'], 'product'],
    ])("maps Apollo's departments %j to %s", async (departments, expected) => {
      fake.addPerson({ email: EMAIL }, { departments });
      expect((await enrich()).fields).toEqual([{ field: 'department', value: expected, source: 'apollo', at: AT, confidence: 'provider' }]);
    });

    it.each([
      ['owner', 'c_level'],
      ['partner', 'c_level'],
      ['c_suite', 'c_level'],
      ['vp', 'vp'],
      ['head', 'head'],
      ['director', 'director'],
      ['manager', 'manager'],
      ['senior', 'senior'],
      ['entry', 'individual'],
      ['intern', 'intern'],
    ])("maps Apollo's seniority %s to %s", async (seniority, expected) => {
      fake.addPerson({ email: EMAIL }, { seniority });
      expect((await enrich()).fields).toEqual([{ field: 'seniority', value: expected, source: 'apollo', at: AT, confidence: 'provider' }]);
    });

    it('dates each answer when it arrives', async () => {
      let clock = NOW;
      const ticking = createApolloEnricher({ apiKey: API_KEY, baseUrl: fake.url, now: () => clock });
      fake.addPerson({ email: EMAIL }, { title: 'CTO' });
      const first = await ticking.enrich({ orgId: ORG_ID, person: person() });
      clock += 86_400_000;
      const second = await ticking.enrich({ orgId: ORG_ID, person: person() });
      expect(first.fields[0]!.at).toBe('2026-03-02T09:30:00.000Z');
      expect(second.fields[0]!.at).toBe('2026-03-03T09:30:00.000Z');
    });
  });

  describe('HTTP and connection errors', () => {
    it('maps a wrong API key (401, plain text) to ConfigurationError', async () => {
      const wrongKey = createApolloEnricher({ apiKey: 'wrong-key', baseUrl: fake.url });
      const error = await thrown(wrongKey.enrich({ orgId: ORG_ID, person: person() }));
      expect(error.name).toBe('ConfigurationError');
      expect(error.message).toMatch(/HTTP 401: Invalid access credentials\./);
      expect(error.message).toMatch(/APOLLO_API_KEY/);
    });

    it("maps a plan without People Enrichment (403 API_INACCESSIBLE) to ConfigurationError", async () => {
      fake.failNext(1, 403);
      const error = await thrown(enrich());
      expect(error.name).toBe('ConfigurationError');
      expect(error.message).toMatch(/HTTP 403: .*free plan.*\[API_INACCESSIBLE\]/);
      expect(error.message).toMatch(/plan or scope/);
    });

    it.each([
      [402, 'ConfigurationError', /out of credits/],
      [404, 'ConfigurationError', /APOLLO_BASE_URL/],
      [400, 'ValidationError', /HTTP 400: invalid request, missing details \[INVALID_REQUEST\]/],
      [422, 'ValidationError', /HTTP 422: Unprocessable request/],
    ])('maps HTTP %i to %s', async (status, name, message) => {
      fake.failNext(1, status);
      const error = await thrown(enrich());
      expect(error.name).toBe(name);
      expect(error.message).toMatch(message);
    });

    it('leaves a rate limit (429) retryable, naming Retry-After and the windows Apollo reports', async () => {
      fake.failNext(1, 429, undefined, { 'retry-after': '30', 'x-minute-requests-left': '0', 'x-hourly-requests-left': '0' });
      const error = await thrown(enrich());
      expect(error.name).toBe('Error');
      expect(error.message).toMatch(/HTTP 429: The maximum number of api calls allowed for api\/v1\/people\/match is 600 times per hour/);
      expect(error.message).toMatch(/retry-after: 30/);
      expect(error.message).toMatch(/x-minute-requests-left: 0/);
      expect(error.message).toMatch(/x-hourly-requests-left: 0/);
      expect(error.message).toMatch(/x-rate-limit-minute: 200/);
    });

    it.each([500, 502, 503, 408])('leaves HTTP %i retryable: a plain Error naming the status, one request only', async (status) => {
      fake.failNext(1, status);
      const error = await thrown(enrich());
      expect(error.name).toBe('Error');
      expect(error.message).toMatch(new RegExp(`HTTP ${status}`));
      expect(fake.requests()).toHaveLength(1);
    });

    it('leaves a dropped connection retryable', async () => {
      fake.dropNext(1);
      const error = await thrown(enrich());
      expect(error.name).toBe('Error');
      expect(error.message).toMatch(/connection failed without an HTTP status/);
    });

    it('leaves a refused connection retryable', async () => {
      const closed = await startFakeApolloServer();
      const url = closed.url;
      await closed.close();
      const nowhere = createApolloEnricher({ apiKey: API_KEY, baseUrl: url });
      const error = await thrown(nowhere.enrich({ orgId: ORG_ID, person: person() }));
      expect(error.name).toBe('Error');
      expect(error.message).toMatch(/connection failed .*ECONNREFUSED/);
    });

    it('leaves a timeout retryable', async () => {
      const impatient = createApolloEnricher({ apiKey: API_KEY, baseUrl: fake.url, timeoutMs: 300 });
      fake.hangNext(1);
      const started = Date.now();
      const error = await thrown(impatient.enrich({ orgId: ORG_ID, person: person() }));
      expect(error.name).toBe('Error');
      expect(error.message).toMatch(/timed out after 300 ms/);
      expect(Date.now() - started).toBeLessThan(5_000);
    });

    it('leaves a 200 that is not JSON, or has no person, retryable', async () => {
      fake.failNext(1, 200, '<html>maintenance</html>');
      const notJson = await thrown(enrich());
      expect(notJson.name).toBe('Error');
      expect(notJson.message).toMatch(/not JSON/);

      fake.failNext(1, 200, { people: [] });
      const noPerson = await thrown(enrich());
      expect(noPerson.name).toBe('Error');
      expect(noPerson.message).toMatch(/without a "person" \(got: people\)/);
    });

    it("never puts the person's details in an error message", async () => {
      for (const status of [401, 422, 429, 500]) {
        fake.failNext(1, status);
        const error = await thrown(enrich({ linkedinUrl: 'https://www.linkedin.com/in/tim-zheng-677ba010' }));
        expect(error.message).not.toMatch(/tim@|Zheng|tim-zheng/);
      }
    });
  });
});

describe('linkedinProfileUrl', () => {
  it.each([
    ['http://www.linkedin.com/in/tim-zheng-677ba010', 'https://www.linkedin.com/in/tim-zheng-677ba010'],
    ['https://de.linkedin.com/in/ada/?trk=x', 'https://www.linkedin.com/in/ada'],
    ['linkedin.com/in/ada/', 'https://www.linkedin.com/in/ada'],
    ['https://www.linkedin.com/company/apollo', null],
    ['https://evil-linkedin.com/in/ada', null],
    ['https://twitter.com/ada', null],
    ['not a url at all', null],
  ])('%s → %j', (raw, expected) => {
    expect(linkedinProfileUrl(raw)).toBe(expected);
  });
});
