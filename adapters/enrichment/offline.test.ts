import { describe, expect, it } from 'vitest';
import { companyNameFromDomain, createOfflineEnricher } from './offline.ts';
import { enrichmentResultSchema, type EnrichedField, type EnrichmentPerson } from './port.ts';

const NOW = Date.parse('2026-03-02T09:30:00.000Z');
const AT = '2026-03-02T09:30:00.000Z';

const nobody: EnrichmentPerson = {
  email: null,
  firstName: null,
  lastName: null,
  title: null,
  companyName: null,
  companyDomain: null,
  linkedinUrl: null,
  phoneE164: null,
  country: null,
};

const enricher = createOfflineEnricher({ now: () => NOW });
const enrich = async (person: Partial<EnrichmentPerson>) => {
  const result = await enricher.enrich({ orgId: '7c0b5a0e-4f5e-4a43-9d41-5b7a4f1d2c11', person: { ...nobody, ...person } });
  // Every answer has the port's shape: one value per field, each with its source and date.
  expect(enrichmentResultSchema.parse(result)).toEqual(result);
  expect(new Set(result.fields.map((f) => f.field)).size).toBe(result.fields.length);
  return result;
};
const asMap = (fields: Array<{ field: EnrichedField; value: string }>) => Object.fromEntries(fields.map((f) => [f.field, f.value]));

describe('offline enricher', () => {
  it('marks every value as derived offline, dated by its clock', async () => {
    const { fields } = await enrich({ email: 'ada@mail.acme.co.uk', title: 'VP Sales', country: 'DE' });

    expect(enricher.kind).toBe('offline');
    expect(fields).toEqual([
      { field: 'companyDomain', value: 'acme.co.uk', source: 'offline', at: AT, confidence: 'derived' },
      { field: 'companyName', value: 'Acme', source: 'offline', at: AT, confidence: 'derived' },
      { field: 'timeZone', value: 'Europe/Berlin', source: 'offline', at: AT, confidence: 'derived' },
      { field: 'seniority', value: 'vp', source: 'offline', at: AT, confidence: 'derived' },
      { field: 'department', value: 'sales', source: 'offline', at: AT, confidence: 'derived' },
    ]);
  });

  it('says nothing when it has nothing to go on', async () => {
    expect((await enrich({})).fields).toEqual([]);
    // A name and a LinkedIn URL imply none of the fields it derives.
    expect((await enrich({ firstName: 'Ada', lastName: 'Lovelace', linkedinUrl: 'https://www.linkedin.com/in/ada' })).fields).toEqual([]);
  });

  it.each<[string, Partial<EnrichmentPerson>, Record<string, string>]>([
    ['a work email gives the registrable domain and a name from it', { email: 'Ada@EU.Northwind-Traders.com' }, { companyDomain: 'northwind-traders.com', companyName: 'Northwind-Traders' }],
    ['a free-mail address says nothing about an employer', { email: 'ada.lovelace@gmail.com' }, {}],
    ['nor does a national free-mail provider', { email: 'ada@web.de' }, {}],
    ['a given company name is kept: only the domain is derived', { email: 'ada@acme.com', companyName: 'ACME Corporation' }, { companyDomain: 'acme.com' }],
    ['a given domain is kept: the name comes from it, not from the email', { email: 'ada@acme-mail.com', companyDomain: 'acme.io' }, { companyName: 'Acme' }],
    ['a given domain and name leave nothing to derive', { email: 'ada@acme.com', companyDomain: 'acme.com', companyName: 'Acme Inc.' }, {}],
    ['a free-mail address with a given domain: the name from the domain', { email: 'ada@gmail.com', companyDomain: 'globex.de' }, { companyName: 'Globex' }],
    ['an address that is not one gives nothing', { email: 'not an address' }, {}],
  ])('%s', async (_, person, expected) => {
    const { fields } = await enrich(person);
    expect(asMap(fields)).toEqual(expected);
  });

  it.each<[string, Partial<EnrichmentPerson>, string | undefined]>([
    ['a single-zone country', { country: 'FR' }, 'Europe/Paris'],
    ['the phone when no country is known', { phoneE164: '+442079460018' }, 'Europe/London'],
    ['the country over the phone', { country: 'DE', phoneE164: '+442079460018' }, 'Europe/Berlin'],
    ['nothing for a multi-zone country', { country: 'US' }, undefined],
    ['nothing for a multi-zone country even with its phone', { country: 'US', phoneE164: '+14155550143' }, undefined],
    ['nothing without a country or a phone', { email: 'ada@acme.com' }, undefined],
  ])('time zone from %s', async (_, person, zone) => {
    expect(asMap((await enrich(person)).fields).timeZone).toBe(zone);
  });

  it.each<[string | null, string | undefined, string | undefined]>([
    ['Chief Financial Officer', 'c_level', 'finance'],
    ['Senior Software Engineer', 'senior', 'engineering'],
    ['Leiterin Einkauf', 'head', 'procurement'],
    ['Gardener', undefined, undefined],
    [null, undefined, undefined],
  ])('seniority and department from the title %j', async (title, seniority, department) => {
    const found = asMap((await enrich({ title })).fields);
    expect(found.seniority).toBe(seniority);
    expect(found.department).toBe(department);
  });
});

describe('companyNameFromDomain', () => {
  it.each([
    ['acme.co.uk', 'Acme'],
    ['northwind-traders.com', 'Northwind-Traders'],
    ['xn--mnchen-3ya.de', 'München'],
    ['acme.github.io', 'Acme'],
    ['3m.com', '3m'],
    ['123.com', null],
    ['x.com', null],
  ])('%s → %j', (domain, name) => {
    expect(companyNameFromDomain(domain)).toBe(name);
  });
});
