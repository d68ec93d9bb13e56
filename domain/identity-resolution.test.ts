import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nicknameGroups } from './data/nicknames.ts';
import { ValidationError } from './errors.ts';
import {
  type MatchBand,
  type MatchThresholds,
  type PersonRecord,
  band,
  blockingKeys,
  candidatePairs,
  companySimilarity,
  countryAgreement,
  defaultThresholds,
  domainAgreement,
  jaroWinkler,
  linkedinProfileKey,
  matchThresholdsSchema,
  nameSimilarity,
  phoneAgreement,
  resolve,
  scorePair,
  titleSimilarity,
} from './identity-resolution.ts';

// An expected similarity: an exact value, a closed range, or null (nothing to compare).
type Expected = number | readonly [number, number] | null;

function expectSimilarity(actual: number | null, expected: Expected): void {
  if (expected === null) expect(actual).toBeNull();
  else if (typeof expected === 'number') expect(actual).toBeCloseTo(expected, 3);
  else {
    expect(actual).not.toBeNull();
    expect(actual ?? Number.NaN).toBeGreaterThanOrEqual(expected[0]);
    expect(actual ?? Number.NaN).toBeLessThanOrEqual(expected[1]);
  }
}

const record = (id: string, fields: Partial<Omit<PersonRecord, 'id'>> = {}): PersonRecord => ({
  id,
  firstName: null,
  lastName: null,
  emails: [],
  phoneE164: null,
  linkedinUrl: null,
  companyName: null,
  companyDomain: null,
  title: null,
  country: null,
  ...fields,
});

// ---------------------------------------------------------------------------------------------------------
describe('jaroWinkler', () => {
  it.each<[string, string, string, number]>([
    ['classic transposition', 'MARTHA', 'MARHTA', 0.9611],
    ['classic missing letter', 'DWAYNE', 'DUANE', 0.84],
    ['classic extra letters', 'DIXON', 'DICKSONX', 0.8133],
    ['no common prefix: plain Jaro', 'CRATE', 'TRACE', 0.7333],
    ['identical', 'mueller', 'mueller', 1],
    ['both empty', '', '', 1],
    ['one empty', 'anna', '', 0],
    ['nothing in common', 'abc', 'xyz', 0],
    ['case matters (callers fold first)', 'Anna', 'anna', 0.8333],
    ['letters outside the BMP count once', '𝒜nna', '𝒜nne', 0.8833],
    ['prefix bonus stops at four letters', 'abcdefgh', 'abcdefxy', 0.9],
  ])('%s: %s / %s', (_label, a, b, expected) => {
    expect(jaroWinkler(a, b)).toBeCloseTo(expected, 3);
  });

  it('is symmetric, stays in 0..1 and is 1 only for equal strings', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }), (a, b) => {
        const ab = jaroWinkler(a, b);
        expect(ab).toBeCloseTo(jaroWinkler(b, a), 10);
        expect(ab).toBeGreaterThanOrEqual(0);
        expect(ab).toBeLessThanOrEqual(1);
        if (a !== b) expect(ab).toBeLessThan(1);
      }),
    );
  });
});

// ---------------------------------------------------------------------------------------------------------
describe('nameSimilarity', () => {
  it.each<[string, string | null, string | null, 'given' | 'family', Expected]>([
    // Same name, other spelling conventions
    ['umlaut written out', 'Jürgen', 'Juergen', 'given', 1],
    ['umlaut dropped', 'Jürgen', 'Jurgen', 'given', 1],
    ['written out vs dropped, without the original', 'Juergen', 'Jurgen', 'given', 0.97],
    ['surname umlaut written out', 'Müller', 'Mueller', 'family', 1],
    ['surname umlaut dropped', 'MÜLLER', 'muller', 'family', 1],
    ['Muller vs Mueller', 'Muller', 'Mueller', 'family', 0.97],
    ['ß as ss', 'Strauß', 'Strauss', 'family', 1],
    ['Danish letters', 'Ærø', 'Aeroe', 'family', 1],
    ['Søren', 'Søren', 'Soeren', 'given', 1],
    ['accents', 'José', 'Jose', 'given', 1],
    ['French accents and hyphen', 'Jean-François', 'jean francois', 'given', 1],
    ['apostrophe', "O'Brien", 'OBrien', 'family', 1],
    ['zero-width space from a web page', 'Ma\u200Brie', 'Marie', 'given', 1],
    // Transliteration
    ['Cyrillic given name', 'Сергей', 'Sergey', 'given', 1],
    ['Cyrillic vs another scheme', 'Сергей', 'Sergei', 'given', 0.97],
    ['two Latin schemes', 'Sergei', 'Sergej', 'given', 0.97],
    ['Cyrillic surname vs German scheme', 'Иванов', 'Iwanow', 'family', 0.97],
    ['German transliteration of ц and з', 'Кузнецов', 'Kusnezow', 'family', 0.97],
    ['Дмитрий', 'Дмитрий', 'Dmitry', 'given', 0.97],
    ['Юлия', 'Юлия', 'Julia', 'given', 0.97],
    ['Наталья', 'Наталья', 'Natalia', 'given', 0.97],
    ['Ukrainian letters', 'Олексій', 'Oleksiy', 'given', 1],
    ['Greek', 'Γιώργος', 'Giorgos', 'given', 1],
    ['x and ks', 'Alexander', 'Aleksander', 'given', 0.97],
    ['Meyer and Maier', 'Meyer', 'Maier', 'family', 0.97],
    ['Karl and Carl', 'Karl', 'Carl', 'given', 0.97],
    ['Philipp and Filip', 'Philipp', 'Filip', 'given', 0.97],
    // Nicknames (given names only)
    ['Bob / Robert', 'Bob', 'Robert', 'given', 0.95],
    ['Bill / William', 'bill', 'WILLIAM', 'given', 0.95],
    ['Liz / Elizabeth', 'Liz', 'Elizabeth', 'given', 0.95],
    ['Hans / Johannes', 'Hans', 'Johannes', 'given', 0.95],
    ['Paco / Francisco', 'Paco', 'Francisco', 'given', 0.95],
    ['Sasha / Alexander', 'Sasha', 'Alexander', 'given', 0.95],
    ['Sascha / Aleksandr (German spelling of the nickname)', 'Sascha', 'Aleksandr', 'given', 0.95],
    ['Саша / Alexander', 'Саша', 'Alexander', 'given', 0.95],
    ['Beppe / Giuseppe', 'Beppe', 'Giuseppe', 'given', 0.95],
    ['Nacho / Ignacio', 'Nacho', 'Ignacio', 'given', 0.95],
    ['Kathi / Katharina', 'Kathi', 'Katharina', 'given', 0.95],
    ['nickname before a second given name', 'Bob', 'Robert James', 'given', 0.95],
    ['nicknames do not apply to family names', 'Bill', 'William', 'family', [0, 0.2]],
    // Known different names that look alike
    ['Christian / Christina', 'Christian', 'Christina', 'given', [0, 0.5]],
    ['Daniel / Daniela', 'Daniel', 'Daniela', 'given', [0, 0.5]],
    ['Alexander / Alexandra (both "Alex")', 'Alexander', 'Alexandra', 'given', [0, 0.5]],
    ['Hans / Peter', 'Hans', 'Peter', 'given', [0, 0.5]],
    // Parts and initials
    ['second surname dropped', 'García López', 'Garcia', 'family', 0.9],
    ['particles', 'van der Berg', 'Berg', 'family', 0.9],
    ['double-barrelled', 'Müller-Lüdenscheidt', 'Mueller', 'family', 0.9],
    ['second given name', 'Hans Peter', 'Hans', 'given', 0.9],
    ['initial fits', 'J.', 'John', 'given', 0.8],
    ['two initials fit', 'J. P.', 'Jean-Pierre', 'given', 0.8],
    ['initial does not fit', 'K.', 'John', 'given', 0.2],
    // Typos and unknown names
    ['typo in a long surname', 'Schneider', 'Schnieder', 'family', [0.8, 0.9]],
    ['different surnames', 'Schneider', 'Fischer', 'family', 0],
    ['different surnames that look alike to Jaro-Winkler', 'Sharma', 'Schäfer', 'family', [0, 0.3]],
    // Nothing to compare
    ['missing', null, 'Anna', 'given', null],
    ['blank', '   ', 'Anna', 'given', null],
    ['punctuation only', '--', 'Anna', 'given', null],
  ])('%s: %s / %s', (_label, a, b, part, expected) => {
    expectSimilarity(nameSimilarity(a, b, part), expected);
    expectSimilarity(nameSimilarity(b, a, part), expected);
  });
});

describe('nickname table', () => {
  const pairs = nicknameGroups.reduce((sum, group) => sum + group.names.length - 1, 0);

  it('has well over 150 name pairs across EN, DE, FR, ES, IT and Russian', () => {
    expect(pairs).toBeGreaterThanOrEqual(150);
    expect(new Set(nicknameGroups.map((group) => group.language))).toEqual(new Set(['en', 'de', 'fr', 'es', 'it', 'ru']));
  });

  it('is written folded, with at least two names per group and no repeats', () => {
    for (const group of nicknameGroups) {
      expect(group.names.length, group.names[0]).toBeGreaterThanOrEqual(2);
      expect(new Set(group.names).size, group.names[0]).toBe(group.names.length);
      for (const name of group.names) expect(name).toMatch(/^[a-z]+$/);
    }
  });

  it('every listed short form matches its formal name', () => {
    for (const group of nicknameGroups) {
      const [formal, ...others] = group.names;
      for (const other of others) expect(nameSimilarity(formal, other), `${formal} / ${other}`).toBeGreaterThanOrEqual(0.92);
    }
  });
});

// ---------------------------------------------------------------------------------------------------------
describe('companySimilarity', () => {
  it.each<[string, string | null, string | null, Expected]>([
    ['legal form stripped', 'ACME GmbH', 'Acme', 1],
    ['legal forms on both sides', 'Acme Inc.', 'ACME, Inc', 1],
    ['generic word', 'Acme Inc.', 'ACME Solutions', 0.95],
    ['spacing', 'Salesforce', 'Sales Force Inc', 0.98],
    ['acronym', 'IBM', 'International Business Machines Corp.', 0.9],
    ['accents and legal form', 'Nestlé S.A.', 'Nestle', 1],
    ['web address as name', 'acme.com', 'Acme Ltd', 1],
    ['typo', 'Accenture', 'Acenture', [0.88, 0.99]],
    ['subsidiary is only partly the same', 'Siemens', 'Siemens Healthineers AG', [0.6, 0.8]],
    ['one shared word is not the same company', 'Deutsche Bank AG', 'Deutsche Telekom AG', [0, 0.6]],
    ['shared generic word is not the same company', 'Acme Solutions', 'Beta Solutions', [0, 0.3]],
    ['different companies', 'Allianz SE', 'Nestlé S.A.', 0],
    ['missing', null, 'Acme', null],
  ])('%s: %s / %s', (_label, a, b, expected) => {
    expectSimilarity(companySimilarity(a, b), expected);
    expectSimilarity(companySimilarity(b, a), expected);
  });
});

describe('domainAgreement', () => {
  it.each<[string, Parameters<typeof domainAgreement>[0], Parameters<typeof domainAgreement>[1], Expected]>([
    ['email and website', 'jane@acme.com', 'https://www.acme.com/about', 1],
    ['subdomain of the same registrable domain', 'j@mail.acme.co.uk', 'acme.co.uk', 1],
    ['same name, other suffix', 'acme.de', 'acme.com', 0.8],
    ['different domains', 'acme.com', 'globex.com', 0],
    ['free mail says nothing', 'jane@gmail.com', 'acme.com', null],
    ['lists: any shared domain', ['jane@gmail.com', 'jane@acme.com'], ['acme.com', null], 1],
    ['missing', null, 'acme.com', null],
    ['not a domain', 'n/a', 'acme.com', null],
  ])('%s', (_label, a, b, expected) => {
    expectSimilarity(domainAgreement(a, b), expected);
    expectSimilarity(domainAgreement(b, a), expected);
  });
});

describe('phoneAgreement', () => {
  it.each<[string, string | null, string | null, Expected]>([
    ['same E.164', '+4989123456', '+4989123456', 1],
    ['formatting', '+49 (89) 123-456', '+4989123456', 1],
    ['00 prefix', '0049 30 901820', '+4930901820', 1],
    ['different numbers', '+4989123456', '+4989123457', 0],
    ['missing', null, '+4989123456', null],
    ['unreadable', 'call me', '+4989123456', null],
  ])('%s', (_label, a, b, expected) => {
    expectSimilarity(phoneAgreement(a, b), expected);
    expectSimilarity(phoneAgreement(b, a), expected);
  });
});

describe('titleSimilarity', () => {
  it.each<[string, string | null, string | null, Expected]>([
    ['same words', 'VP Sales', 'vp sales', 1],
    ['abbreviation', 'VP Sales', 'Vice President of Sales', 1],
    ['German and English C-level', 'Geschäftsführer', 'CEO', 1],
    ['seniority one step apart', 'Head of Sales', 'Sales Director', 0.75],
    ['same department, far apart', 'Sales Intern', 'VP Sales', 0.5],
    ['different jobs', 'CTO', 'Sales Manager', 0],
    ['unknown words compared as words', 'Chief Happiness Wizard', 'Happiness Wizard', [0.5, 1]],
    ['missing', 'CTO', null, null],
  ])('%s: %s / %s', (_label, a, b, expected) => {
    expectSimilarity(titleSimilarity(a, b), expected);
    expectSimilarity(titleSimilarity(b, a), expected);
  });
});

describe('countryAgreement', () => {
  it.each<[string, string | null, string | null, Expected]>([
    ['code and name', 'DE', 'Germany', 1],
    ['local name', 'Deutschland', 'de', 1],
    ['different', 'DE', 'Switzerland', 0],
    ['unknown names compared as text', 'Atlantis', 'atlantis', 1],
    ['missing', null, 'DE', null],
  ])('%s', (_label, a, b, expected) => {
    expectSimilarity(countryAgreement(a, b), expected);
  });
});

describe('linkedinProfileKey', () => {
  it.each<[string, string | null, string | null]>([
    ['plain', 'https://www.linkedin.com/in/jane-doe-123', 'jane-doe-123'],
    ['country subdomain, trailing slash, tracking', 'https://de.linkedin.com/in/Jane-Doe-123/?trk=abc', 'jane-doe-123'],
    ['no scheme', 'linkedin.com/in/jürgen-müller', 'jürgen-müller'],
    ['percent-encoded', 'https://www.linkedin.com/in/j%C3%BCrgen-m%C3%BCller/', 'jürgen-müller'],
    ['company page is not a person', 'https://www.linkedin.com/company/acme', null],
    ['look-alike host', 'https://notlinkedin.com.evil/in/jane', null],
    ['missing', null, null],
  ])('%s', (_label, url, expected) => {
    expect(linkedinProfileKey(url)).toBe(expected);
  });
});

// ---------------------------------------------------------------------------------------------------------
describe('scorePair', () => {
  const robertAtWork = record('a', {
    firstName: 'Robert', lastName: 'Smith', emails: ['robert.smith@acme.com'], companyName: 'Acme Inc.', companyDomain: 'acme.com', title: 'VP Sales', country: 'US',
  });

  it.each<[string, PersonRecord, PersonRecord, readonly MatchBand[]]>([
    [
      'same person: nickname and Gmail vs work email at the same company',
      robertAtWork,
      record('b', { firstName: 'Bob', lastName: 'Smith', emails: ['bob.smith1987@gmail.com'], companyName: 'ACME' }),
      ['review', 'merge'],
    ],
    [
      'Jürgen Müller vs Juergen Mueller at the same domain',
      record('a', { firstName: 'Jürgen', lastName: 'Müller', emails: ['j.mueller@bauer-technik.de'], companyDomain: 'bauer-technik.de' }),
      record('b', { firstName: 'Juergen', lastName: 'Mueller', emails: ['juergen.mueller@bauer-technik.de'] }),
      ['merge'],
    ],
    [
      'father and son: same surname and company, different given names (even a shared switchboard)',
      record('a', { firstName: 'Hans', lastName: 'Müller', emails: ['hans.mueller@mueller-bau.de'], companyName: 'Müller Bau GmbH', phoneE164: '+4989123456', country: 'DE', title: 'Geschäftsführer' }),
      record('b', { firstName: 'Peter', lastName: 'Müller', emails: ['peter.mueller@mueller-bau.de'], companyName: 'Müller Bau GmbH', phoneE164: '+4989123456', country: 'DE', title: 'Geschäftsführer' }),
      ['keep_apart'],
    ],
    [
      'same name at a different company in another country',
      record('a', { firstName: 'Thomas', lastName: 'Schneider', companyName: 'Allianz SE', companyDomain: 'allianz.de', country: 'DE', title: 'Head of Procurement' }),
      record('b', { firstName: 'Thomas', lastName: 'Schneider', companyName: 'Nestlé S.A.', companyDomain: 'nestle.ch', country: 'CH', title: 'Head of Procurement' }),
      ['keep_apart'],
    ],
    [
      'same name at a different company, nothing else',
      record('a', { firstName: 'Anna', lastName: 'Rossi', companyName: 'Fiat' }),
      record('b', { firstName: 'Anna', lastName: 'Rossi', companyName: 'Barilla' }),
      ['keep_apart'],
    ],
    [
      'two work emails at one domain, same name',
      record('a', { firstName: 'Marie', lastName: 'Dubois', emails: ['marie.dubois@lumiere.fr'] }),
      record('b', { firstName: 'Marie', lastName: 'Dubois', emails: ['mdubois@lumiere.fr'] }),
      ['merge'],
    ],
    [
      'the same address written differently (Gmail dots and tag)',
      record('a', { firstName: 'Jane', lastName: 'Doe', emails: ['Jane.Doe+crm@gmail.com'] }),
      record('b', { emails: ['janedoe@googlemail.com'], companyName: 'Globex' }),
      ['merge'],
    ],
    [
      'the same LinkedIn profile, Cyrillic vs Latin name',
      record('a', { firstName: 'Сергей', lastName: 'Иванов', linkedinUrl: 'https://ru.linkedin.com/in/sergey-ivanov-42' }),
      record('b', { firstName: 'Sergei', lastName: 'Ivanov', linkedinUrl: 'linkedin.com/in/Sergey-Ivanov-42/', companyName: 'Yandex' }),
      ['merge'],
    ],
    [
      'same phone and the same name',
      record('a', { firstName: 'Francisco', lastName: 'García López', phoneE164: '+34911234567' }),
      record('b', { firstName: 'Paco', lastName: 'Garcia', phoneE164: '+34 91 123 45 67' }),
      ['merge'],
    ],
    [
      'given and family names swapped, same company domain',
      record('a', { firstName: 'Jürgen', lastName: 'Müller', companyDomain: 'bauer-technik.de' }),
      record('b', { firstName: 'Müller', lastName: 'Jürgen', emails: ['jm@bauer-technik.de'] }),
      ['merge'],
    ],
    [
      'same name and nothing else: a person decides',
      record('a', { firstName: 'Katharina', lastName: 'Schäfer' }),
      record('b', { firstName: 'Katharina', lastName: 'Schaefer' }),
      ['review'],
    ],
    [
      'an initial at the same company: a person decides',
      record('a', { firstName: 'J.', lastName: 'Smith', companyName: 'Acme', companyDomain: 'acme.com' }),
      record('b', { firstName: 'John', lastName: 'Smith', emails: ['john.smith@acme.com'] }),
      ['review'],
    ],
    [
      'a changed surname behind the same address: a person decides',
      record('a', { firstName: 'Laura', lastName: 'Becker', emails: ['laura@studio-becker.de'] }),
      record('b', { firstName: 'Laura', lastName: 'Hoffmann', emails: ['laura@studio-becker.de'] }),
      ['review'],
    ],
    [
      'a shared mailbox with two different people',
      record('a', { firstName: 'Tom', lastName: 'Baker', emails: ['sales@acme.com'] }),
      record('b', { firstName: 'Lisa', lastName: 'Grant', emails: ['sales@acme.com'] }),
      ['keep_apart'],
    ],
    [
      'colleagues: same company, same title, different people',
      record('a', { firstName: 'Tom', lastName: 'Baker', companyName: 'Acme', companyDomain: 'acme.com', title: 'Account Executive', country: 'US', phoneE164: '+12025550100' }),
      record('b', { firstName: 'Lisa', lastName: 'Grant', companyName: 'Acme', companyDomain: 'acme.com', title: 'Account Executive', country: 'US', phoneE164: '+12025550100' }),
      ['keep_apart'],
    ],
    [
      'no names, only the same phone: a person decides (the company does not count without a name)',
      record('a', { phoneE164: '+12025550100', companyName: 'Acme', companyDomain: 'acme.com' }),
      record('b', { phoneE164: '+12025550100', companyName: 'Acme', companyDomain: 'acme.com' }),
      ['review'],
    ],
    [
      'Christian and Christina at one company',
      record('a', { firstName: 'Christian', lastName: 'Weber', companyDomain: 'weber.de' }),
      record('b', { firstName: 'Christina', lastName: 'Weber', companyDomain: 'weber.de' }),
      ['keep_apart'],
    ],
  ])('%s', (_label, a, b, bands) => {
    const result = scorePair(a, b);
    expect(bands, JSON.stringify(result, null, 1)).toContain(band(result.score, defaultThresholds));
    // The order of the two records does not matter.
    expect(scorePair(b, a).score).toBeCloseTo(result.score, 10);
  });

  it('explains every field once: agrees, disagrees or missing', () => {
    const result = scorePair(robertAtWork, record('b', { firstName: 'Bob', lastName: 'Smith', emails: ['bob.smith1987@gmail.com'], companyName: 'ACME' }));
    expect(result.score).toBeGreaterThan(0);
    expect(result.score).toBeLessThan(1);
    expect(result.fields.map((field) => field.field)).toEqual(['email', 'phone', 'linkedin', 'name', 'company', 'domain', 'title', 'country']);
    const byField = Object.fromEntries(result.fields.map((field) => [field.field, field]));
    expect(byField.email).toMatchObject({ outcome: 'disagrees', similarity: 0 });
    expect(byField.name).toMatchObject({ outcome: 'agrees', similarity: 0.95 });
    expect(byField.name?.explanation).toContain('nickname');
    expect(byField.company).toMatchObject({ outcome: 'agrees', similarity: 1 });
    expect(byField.domain).toMatchObject({ outcome: 'missing', similarity: null, weight: 0 });
    expect(byField.domain?.explanation).toContain('free-mail');
    expect(byField.phone).toMatchObject({ outcome: 'missing', similarity: null, weight: 0 });
    for (const field of result.fields) expect(field.explanation.length).toBeGreaterThan(0);
  });

  it('does not count what colleagues share when the names disagree', () => {
    const result = scorePair(
      record('a', { firstName: 'Tom', lastName: 'Baker', companyDomain: 'acme.com', phoneE164: '+12025550100' }),
      record('b', { firstName: 'Lisa', lastName: 'Grant', companyDomain: 'acme.com', phoneE164: '+12025550100' }),
    );
    const byField = Object.fromEntries(result.fields.map((field) => [field.field, field]));
    expect(byField.domain).toMatchObject({ outcome: 'agrees', weight: 0 });
    expect(byField.domain?.explanation).toContain('not counted');
    expect(byField.phone).toMatchObject({ outcome: 'agrees', weight: 0 });
    expect(byField.name?.outcome).toBe('disagrees');
  });

  it('takes per-organisation weights', () => {
    const a = record('a', { firstName: 'Marie', lastName: 'Dubois', emails: ['marie.dubois@lumiere.fr'] });
    const b = record('b', { firstName: 'Marie', lastName: 'Dubois', emails: ['mdubois@lumiere.fr'] });
    const neutralEmail = scorePair(a, b, { email: { m: 0.5, u: 0.5 } });
    expect(neutralEmail.fields.find((field) => field.field === 'email')?.weight).toBe(0);
    expect(neutralEmail.score).toBeGreaterThan(scorePair(a, b).score);
  });
});

// ---------------------------------------------------------------------------------------------------------
describe('band', () => {
  it.each<[number, MatchThresholds, MatchBand]>([
    [0.99, defaultThresholds, 'merge'],
    [0.95, defaultThresholds, 'merge'],
    [0.9, defaultThresholds, 'review'],
    [0.6, defaultThresholds, 'review'],
    [0.59, defaultThresholds, 'keep_apart'],
    [0, defaultThresholds, 'keep_apart'],
    [0.9, { merge: 0.85, review: 0.5 }, 'merge'],
    [0.9, { merge: 1, review: 1 }, 'keep_apart'],
  ])('%d with %j → %s', (score, thresholds, expected) => {
    expect(band(score, thresholds)).toBe(expected);
  });

  it.each<[string, unknown, boolean]>([
    ['defaults', defaultThresholds, true],
    ['review above merge', { merge: 0.8, review: 0.9 }, false],
    ['out of range', { merge: 1.2, review: 0.5 }, false],
    ['missing review', { merge: 0.9 }, false],
  ])('thresholds schema: %s', (_label, thresholds, valid) => {
    expect(matchThresholdsSchema.safeParse(thresholds).success).toBe(valid);
  });
});

// ---------------------------------------------------------------------------------------------------------
describe('blockingKeys', () => {
  it('gives identifier, surname-at-employer, name and name-prefix keys', () => {
    const keys = blockingKeys(
      record('a', { firstName: 'Bob', lastName: 'Smith', emails: ['Bob.Smith@Acme.com', 'bob.smith+x@gmail.com'], phoneE164: '+12025550100', linkedinUrl: 'https://www.linkedin.com/in/bobsmith', companyName: 'Acme Inc.' }),
    );
    expect(keys).toEqual(expect.arrayContaining(['em:bob.smith@acme.com', 'em:bobsmith@gmail.com', 'ph:+12025550100', 'li:bobsmith', 'nm:bob|smi']));
    expect(keys.some((key) => key.startsWith('lo:') && key.endsWith('|acme'))).toBe(true);
    expect(keys.some((key) => key.startsWith('fl:g'))).toBe(true);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('gives nothing for an empty record', () => {
    expect(blockingKeys(record('a'))).toEqual([]);
  });

  const share = (a: PersonRecord, b: PersonRecord): boolean => {
    const keys = new Set(blockingKeys(a));
    return blockingKeys(b).some((key) => keys.has(key));
  };

  it.each<[string, PersonRecord, PersonRecord]>([
    ['Müller/Mueller at one company, different addresses', record('a', { firstName: 'Jürgen', lastName: 'Müller', emails: ['jm@bauer.de'] }), record('b', { firstName: 'J.', lastName: 'Mueller', companyName: 'Bauer GmbH' })],
    ['nickname with a private address', record('a', { firstName: 'Robert', lastName: 'Smith', emails: ['robert.smith@acme.com'] }), record('b', { firstName: 'Bob', lastName: 'Smith', emails: ['bob1987@gmail.com'] })],
    ['Cyrillic vs Latin, nothing else', record('a', { firstName: 'Сергей', lastName: 'Иванов' }), record('b', { firstName: 'Sergej', lastName: 'Iwanow' })],
    ['swapped names', record('a', { firstName: 'Anna', lastName: 'Kowalski' }), record('b', { firstName: 'Kowalski', lastName: 'Anna' })],
    ['surname first with an initial, same company', record('a', { firstName: 'Marie', lastName: 'Yılmaz', companyName: 'Polar Systems GmbH' }), record('b', { firstName: 'Yilmaz', lastName: 'M.', companyName: 'Polar Systems' })],
    ['surname typo', record('a', { firstName: 'Katharina', lastName: 'Schneider' }), record('b', { firstName: 'Katharina', lastName: 'Schnieder' })],
    ['company name on one side, domain on the other', record('a', { firstName: 'Li', lastName: 'Wei', companyName: 'Helix Biotech AG' }), record('b', { firstName: 'L.', lastName: 'Wei', emails: ['lw@helix.ch'] })],
  ])('duplicates share a key: %s', (_label, a, b) => {
    expect(share(a, b)).toBe(true);
  });

  it.each<[string, PersonRecord, PersonRecord]>([
    ['different people at different companies', record('a', { firstName: 'Anna', lastName: 'Rossi', companyName: 'Fiat' }), record('b', { firstName: 'Tom', lastName: 'Baker', companyName: 'Acme' })],
    ['same company, different surnames', record('a', { firstName: 'Anna', lastName: 'Rossi', companyDomain: 'acme.com' }), record('b', { firstName: 'Tom', lastName: 'Baker', companyDomain: 'acme.com' })],
  ])('strangers share none: %s', (_label, a, b) => {
    expect(share(a, b)).toBe(false);
  });
});

describe('candidatePairs', () => {
  it('lists each pair once, smaller index first, never a record with itself', () => {
    const records = [
      record('0', { firstName: 'Jane', lastName: 'Doe', emails: ['jane@acme.com'], companyDomain: 'acme.com' }),
      record('1', { firstName: 'Tom', lastName: 'Baker' }),
      record('2', { firstName: 'Jane', lastName: 'Doe', emails: ['jane@acme.com'], companyDomain: 'acme.com' }),
      record('3', { firstName: 'Jane', lastName: 'Doe', emails: ['JANE@acme.com'] }),
    ];
    expect(candidatePairs(records)).toEqual({ pairs: [[0, 2], [0, 3], [2, 3]], skippedBlocks: [] });
  });

  it('skips and reports a block that is too big', () => {
    const people = ['Anna Rossi', 'Tom Baker', 'Eva Miller', 'Piet Nowak', 'Luc Dubois', 'Ines Holt', 'Raul Garcia', 'Yuki Tanaka', 'Marta Lopez', 'Piotr Kowalski', 'Greta Weber', 'Sven Jensen'];
    const shared = people.map((name, index) => {
      const [firstName, lastName] = name.split(' ');
      return record(String(index), { firstName, lastName, emails: ['info@acme.com'] });
    });
    const { pairs, skippedBlocks } = candidatePairs(shared, { maxBlockSize: 10 });
    expect(skippedBlocks).toEqual([{ key: 'em:info@acme.com', size: 12 }]);
    expect(pairs).toEqual([]);
    expect(candidatePairs(shared).pairs).toHaveLength((12 * 11) / 2);
  });
});

// ---------------------------------------------------------------------------------------------------------
describe('resolve', () => {
  const records = [
    record('r1', { firstName: 'Jürgen', lastName: 'Müller', emails: ['j.mueller@bauer-technik.de'], companyName: 'Bauer Technik GmbH' }),
    record('r2', { firstName: 'Juergen', lastName: 'Mueller', emails: ['juergen.mueller@bauer-technik.de'] }),
    record('r3', { firstName: 'Katharina', lastName: 'Schäfer' }),
    record('r4', { firstName: 'Katharina', lastName: 'Schaefer' }),
    record('r5', { firstName: 'Hans', lastName: 'Müller', emails: ['h.mueller@bauer-technik.de'] }),
    record('r6', { firstName: 'Tom', lastName: 'Baker', companyName: 'Acme' }),
  ];

  it('returns merge and review pairs, best first, by record id', () => {
    const result = resolve(records);
    expect(result.map(({ a, b, band: pairBand }) => [a, b, pairBand])).toEqual([
      ['r1', 'r2', 'merge'],
      ['r3', 'r4', 'review'],
    ]);
    expect(result[0]?.fields).toHaveLength(8);
  });

  it('uses the organisation thresholds', () => {
    expect(resolve(records, { merge: 0.7, review: 0.5 }).map((pair) => pair.band)).toEqual(['merge', 'merge']);
    expect(resolve(records, { merge: 0.999, review: 0.99 })).toEqual([]);
  });

  it('refuses thresholds that make no sense', () => {
    expect(() => resolve(records, { merge: 0.5, review: 0.9 })).toThrow(ValidationError);
  });

  it('handles no records and one record', () => {
    expect(resolve([])).toEqual([]);
    expect(resolve([records[0] as PersonRecord])).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------------
// A deterministic population: people spread over companies, and ~5% of records a messy second copy of
// someone (nickname, other spelling, private address, initial, typo, missing fields, swapped names).

// mulberry32: a tiny seeded PRNG, so every run sees the same records.
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// [as written, ASCII for an address, another way the same person may appear]
const givenNames: readonly (readonly [string, string, string])[] = [
  ['Robert', 'robert', 'Bob'], ['William', 'william', 'Bill'], ['Elizabeth', 'elizabeth', 'Liz'], ['Jürgen', 'juergen', 'Juergen'],
  ['Сергей', 'sergey', 'Sergei'], ['Johannes', 'johannes', 'Hans'], ['Francisco', 'francisco', 'Paco'], ['Alexander', 'alexander', 'Sasha'],
  ['Katharina', 'katharina', 'Kathi'], ['Giuseppe', 'giuseppe', 'Beppe'], ['Marie', 'marie', 'Marie'], ['Thomas', 'thomas', 'Tom'],
  ['Michael', 'michael', 'Mike'], ['Anna', 'anna', 'Anna'], ['Peter', 'peter', 'Pete'], ['Stefan', 'stefan', 'Steffen'],
  ['Sophie', 'sophie', 'Sophie'], ['Julia', 'julia', 'Julia'], ['Дмитрий', 'dmitry', 'Dmitriy'], ['Søren', 'soeren', 'Soren'],
  ['Ignacio', 'ignacio', 'Nacho'], ['Margaret', 'margaret', 'Maggie'], ['Christopher', 'christopher', 'Chris'], ['Daniel', 'daniel', 'Dan'],
  ['Laura', 'laura', 'Laura'], ['Lucas', 'lucas', 'Lukas'], ['François', 'francois', 'Francois'], ['Hélène', 'helene', 'Helene'],
  ['José', 'jose', 'Pepe'], ['Matthias', 'matthias', 'Mathias'], ['Nicholas', 'nicholas', 'Nick'], ['Patricia', 'patricia', 'Trish'],
  ['Richard', 'richard', 'Rick'], ['Susanne', 'susanne', 'Susi'], ['Wolfgang', 'wolfgang', 'Wolfgang'], ['Елена', 'elena', 'Yelena'],
  ['Giovanni', 'giovanni', 'Gianni'], ['Ana', 'ana', 'Ana'], ['Pierre', 'pierre', 'Pierre'], ['Emma', 'emma', 'Emma'],
  ['Lars', 'lars', 'Lars'], ['Chloé', 'chloe', 'Chloe'], ['Raúl', 'raul', 'Raul'], ['Ingrid', 'ingrid', 'Ingrid'],
  ['Oliver', 'oliver', 'Olly'], ['Charlotte', 'charlotte', 'Lotte'], ['Samuel', 'samuel', 'Sam'], ['Victoria', 'victoria', 'Vicky'],
  ['Benjamin', 'benjamin', 'Ben'], ['Isabel', 'isabel', 'Isabelle'], ['Andreas', 'andreas', 'Andi'], ['Fatima', 'fatima', 'Fatima'],
  ['Mehmet', 'mehmet', 'Mehmet'], ['Wei', 'wei', 'Wei'], ['Priya', 'priya', 'Priya'], ['Olga', 'olga', 'Olya'],
  ['Tatiana', 'tatiana', 'Tanya'], ['Eduardo', 'eduardo', 'Edu'], ['Vincent', 'vincent', 'Vince'], ['Astrid', 'astrid', 'Astrid'],
];
const familyNames: readonly (readonly [string, string, string])[] = [
  ['Müller', 'mueller', 'Mueller'], ['Schäfer', 'schaefer', 'Schafer'], ['Smith', 'smith', 'Smyth'], ['García López', 'garcia', 'Garcia'],
  ['Иванов', 'ivanov', 'Iwanow'], ['Rossi', 'rossi', 'Rossi'], ['Dubois', 'dubois', 'Dubois'], ["O'Brien", 'obrien', 'OBrien'],
  ['van der Berg', 'vanderberg', 'Van der Berg'], ['Meyer', 'meyer', 'Maier'], ['Schneider', 'schneider', 'Schnieder'], ['Fischer', 'fischer', 'Fisher'],
  ['Weber', 'weber', 'Weber'], ['Wagner', 'wagner', 'Wagner'], ['Becker', 'becker', 'Becker'], ['Hoffmann', 'hoffmann', 'Hofmann'],
  ['Jäger', 'jaeger', 'Jaeger'], ['Nowak', 'nowak', 'Novak'], ['Kowalski', 'kowalski', 'Kowalsky'], ['Petrov', 'petrov', 'Petroff'],
  ['Martin', 'martin', 'Martin'], ['Bernard', 'bernard', 'Bernard'], ['Lefèvre', 'lefevre', 'Lefebvre'], ['Moreau', 'moreau', 'Moreau'],
  ['Fernández', 'fernandez', 'Fernandez'], ['González', 'gonzalez', 'Gonzales'], ['Rodríguez', 'rodriguez', 'Rodriguez'], ['Bianchi', 'bianchi', 'Bianchi'],
  ['Romano', 'romano', 'Romano'], ['Colombo', 'colombo', 'Colombo'], ['Johnson', 'johnson', 'Jonson'], ['Williams', 'williams', 'Williams'],
  ['Brown', 'brown', 'Braun'], ['Jones', 'jones', 'Jones'], ['Taylor', 'taylor', 'Tailor'], ['Anderson', 'anderson', 'Andersen'],
  ['Nielsen', 'nielsen', 'Nilsen'], ['Hansen', 'hansen', 'Hanssen'], ['Jensen', 'jensen', 'Jenssen'], ['Larsson', 'larsson', 'Larson'],
  ['Kuznetsov', 'kuznetsov', 'Kusnezow'], ['Smirnov', 'smirnov', 'Smirnoff'], ['Popescu', 'popescu', 'Popescu'], ['Horvat', 'horvat', 'Horvath'],
  ['Novák', 'novak', 'Novak'], ['Dvořák', 'dvorak', 'Dvorak'], ['Yılmaz', 'yilmaz', 'Yilmaz'], ['Kaya', 'kaya', 'Kaya'],
  ['Wang', 'wang', 'Wang'], ['Li', 'li', 'Lee'], ['Zhang', 'zhang', 'Chang'], ['Sharma', 'sharma', 'Sharma'],
  ['Patel', 'patel', 'Patell'], ['Costa', 'costa', 'Da Costa'], ['Silva', 'silva', 'da Silva'], ['Pereira', 'pereira', 'Pereira'],
  ['Schmidt', 'schmidt', 'Schmitt'], ['Koch', 'koch', 'Koch'], ['Richter', 'richter', 'Richter'], ['Klein', 'klein', 'Klein'],
  ['Wolf', 'wolf', 'Wolff'], ['Neumann', 'neumann', 'Naumann'], ['Schwarz', 'schwarz', 'Schwartz'], ['Zimmermann', 'zimmermann', 'Zimmerman'],
  ['Krüger', 'krueger', 'Kruger'], ['Hartmann', 'hartmann', 'Hartman'], ['Lange', 'lange', 'Lange'], ['Werner', 'werner', 'Werner'],
  ['Lambert', 'lambert', 'Lambert'], ['Girard', 'girard', 'Girard'], ['Roux', 'roux', 'Roux'], ['Fontaine', 'fontaine', 'Fontaine'],
  ['Ricci', 'ricci', 'Rizzi'], ['Marino', 'marino', 'Marino'], ['Greco', 'greco', 'Greco'], ['Bruno', 'bruno', 'Bruno'],
  ['Sánchez', 'sanchez', 'Sanchez'], ['Pérez', 'perez', 'Perez'], ['Gómez', 'gomez', 'Gomes'], ['Díaz', 'diaz', 'Dias'],
  ['Walker', 'walker', 'Walker'], ['Wright', 'wright', 'Wright'], ['Evans', 'evans', 'Evens'], ['Thompson', 'thompson', 'Thomson'],
  ['Lindqvist', 'lindqvist', 'Lindquist'], ['Berg', 'berg', 'Bergh'], ['Öztürk', 'ozturk', 'Oeztuerk'], ['Nakamura', 'nakamura', 'Nakamura'],
];
const companyRoots = [
  'Acme', 'Bauer', 'Nordlicht', 'Helix', 'Vega', 'Lumiere', 'Sol', 'Orion', 'Kraft', 'Alpen', 'Delta', 'Polar', 'Atlas', 'Iris', 'Kappa',
  'Nimbus', 'Quarz', 'Rhein', 'Sirius', 'Terra', 'Umbra', 'Vulcan', 'Zephyr', 'Boreal', 'Cobalt', 'Dorado', 'Elbe', 'Falke', 'Granit',
  'Hansa', 'Indigo', 'Jade', 'Kobalt', 'Lotus', 'Merkur', 'Nova', 'Onyx', 'Pegasus', 'Quelle', 'Rubin',
];
const companyKinds = ['Technik', 'Logistics', 'Systems', 'Partners', 'Foods', 'Bank', 'Energie', 'Pharma', 'Media', 'Robotics'];
const legalFormsByCountry: Readonly<Record<string, readonly [string, string]>> = {
  DE: ['GmbH', 'de'], FR: ['SAS', 'fr'], ES: ['S.L.', 'es'], IT: ['S.r.l.', 'it'], US: ['Inc.', 'com'], GB: ['Ltd', 'co.uk'], RU: ['OOO', 'ru'],
};
const countryNames: Readonly<Record<string, string>> = { DE: 'Germany', FR: 'France', ES: 'Spain', IT: 'Italy', US: 'United States', GB: 'United Kingdom', RU: 'Russia' };
const titles: readonly (readonly [string, string])[] = [
  ['VP Sales', 'Vice President of Sales'], ['Head of Marketing', 'Marketing Director'], ['CTO', 'Chief Technology Officer'], ['Software Engineer', 'Senior Software Engineer'],
  ['Account Executive', 'AE'], ['Einkaufsleiter', 'Head of Procurement'], ['CFO', 'Chief Financial Officer'], ['Geschäftsführer', 'CEO'],
  ['HR Manager', 'Head of HR'], ['Customer Success Manager', 'CSM'], ['Responsable commercial', 'Sales Manager'], ['Product Manager', 'Product Owner'],
];

type Company = { name: string; domain: string; country: string; pattern: number };

function population(size: number, duplicateShare: number, seed: number): { records: PersonRecord[]; truePairs: Set<string> } {
  const random = seeded(seed);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)] as T;
  const chance = (p: number): boolean => random() < p;
  const countries = Object.keys(legalFormsByCountry);
  const companies: Company[] = [];
  const companyCount = Math.max(20, Math.round(size / 8));
  for (let index = 0; companies.length < companyCount; index += 1) {
    const country = pick(countries);
    const root = companyRoots[index % companyRoots.length] ?? 'Acme';
    const kind = companyKinds[Math.floor(index / companyRoots.length) % companyKinds.length] ?? 'Systems';
    const generation = Math.floor(index / (companyRoots.length * companyKinds.length));
    const [form, tld] = legalFormsByCountry[country] ?? ['Inc.', 'com'];
    const base = `${root}${kind}${generation > 0 ? generation : ''}`.toLowerCase();
    companies.push({ name: `${root} ${kind}${generation > 0 ? ` ${generation}` : ''} ${form}`, domain: `${base}.${tld}`, country, pattern: index % 3 });
  }

  type Person = { given: readonly [string, string, string]; family: readonly [string, string, string]; company: Company; phone: string | null; title: readonly [string, string] };
  const address = (person: Person, pattern: number): string => {
    const [first, last] = [person.given[1], person.family[1]];
    const local = pattern === 0 ? `${first}.${last}` : pattern === 1 ? `${first.charAt(0)}.${last}` : `${first}${last}`;
    return `${local}@${person.company.domain}`;
  };
  const toRecord = (id: string, person: Person): PersonRecord =>
    record(id, {
      firstName: person.given[0],
      lastName: person.family[0],
      emails: [address(person, person.company.pattern)],
      phoneE164: person.phone,
      linkedinUrl: chance(0.3) ? `https://www.linkedin.com/in/${person.given[1]}-${person.family[1]}-${id}` : null,
      companyName: person.company.name,
      companyDomain: chance(0.7) ? person.company.domain : null,
      title: person.title[0],
      country: person.company.country,
    });

  const duplicates = Math.round(size * duplicateShare);
  const people: Person[] = [];
  const records: PersonRecord[] = [];
  // Namesakes at different companies are welcome; two people with one name at one company would share an address.
  const taken = new Set<string>();
  while (people.length < size - duplicates) {
    const person: Person = {
      given: pick(givenNames),
      family: pick(familyNames),
      company: pick(companies),
      phone: chance(0.6) ? `+49${String(1_500_000_000 + Math.floor(random() * 99_999_999))}` : null,
      title: pick(titles),
    };
    const identity = `${person.given[1]}|${person.family[1]}|${person.company.domain}`;
    if (taken.has(identity)) continue;
    taken.add(identity);
    records.push(toRecord(`p${people.length}`, person));
    people.push(person);
  }

  const truePairs = new Set<string>();
  const used = new Set<number>();
  while (used.size < duplicates) {
    const original = Math.floor(random() * people.length);
    if (used.has(original)) continue;
    used.add(original);
    const person = people[original] as Person;
    const copy = { ...(records[original] as PersonRecord), id: `d${original}`, linkedinUrl: null as string | null };
    // Two to four changes, as they happen between a CRM import, a web form and an event list.
    const changes = 2 + Math.floor(random() * 3);
    let swap = false;
    for (let change = 0; change < changes; change += 1) {
      switch (Math.floor(random() * 10)) {
        case 0: copy.firstName = person.given[2]; break; // nickname or other spelling
        case 1: copy.lastName = person.family[2]; break; // other spelling, small typo
        case 2: copy.emails = [`${person.given[1]}.${person.family[1]}${Math.floor(random() * 90) + 10}@gmail.com`]; break;
        case 3: copy.emails = [address(person, (person.company.pattern + 1) % 3)]; break;
        case 4: copy.companyName = person.company.name.replace(/ (GmbH|SAS|S\.L\.|S\.r\.l\.|Inc\.|Ltd|OOO)$/, ''); copy.companyDomain = null; break;
        case 5: copy.phoneE164 = null; copy.title = person.title[1]; break;
        case 6: copy.country = countryNames[person.company.country] ?? null; copy.firstName = (copy.firstName ?? '').toUpperCase(); break;
        case 7: copy.firstName = `${person.given[1].charAt(0).toUpperCase()}.`; break;
        case 8: copy.companyName = null; copy.title = null; break;
        default: swap = true; break; // a surname-first list: swapped after the other changes
      }
    }
    if (swap) [copy.firstName, copy.lastName] = [copy.lastName, copy.firstName];
    records.push(copy);
    truePairs.add(`p${original}|d${original}`);
  }
  return { records, truePairs };
}

describe('on a generated population of 1,000 records with ~5% duplicates', () => {
  const { records, truePairs } = population(1000, 0.05, 20_251_011);
  const pairKey = (a: string, b: string): string => (a.startsWith('p') && b.startsWith('d') ? `${a}|${b}` : `${b}|${a}`);

  it('blocking compares a small fraction of all pairs and still finds ≥ 95% of the true duplicates', () => {
    const { pairs, skippedBlocks } = candidatePairs(records);
    const allPairs = (records.length * (records.length - 1)) / 2;
    expect(skippedBlocks).toEqual([]);
    expect(pairs.length).toBeLessThan(allPairs * 0.02);
    const found = new Set(pairs.map(([i, j]) => pairKey(records[i]?.id ?? '', records[j]?.id ?? '')));
    const captured = [...truePairs].filter((pair) => found.has(pair)).length;
    expect(captured / truePairs.size).toBeGreaterThanOrEqual(0.95);
  });

  it('resolve puts most duplicates up for merge or review and merges no strangers', () => {
    const resolved = resolve(records);
    const flagged = new Set(resolved.map((pair) => pairKey(pair.a, pair.b)));
    const recall = [...truePairs].filter((pair) => flagged.has(pair)).length / truePairs.size;
    const falseMerges = resolved.filter((pair) => pair.band === 'merge' && !truePairs.has(pairKey(pair.a, pair.b)));
    const falseReviews = resolved.filter((pair) => pair.band === 'review' && !truePairs.has(pairKey(pair.a, pair.b)));
    expect(recall).toBeGreaterThanOrEqual(0.85);
    expect(falseMerges).toEqual([]);
    expect(falseReviews.length).toBeLessThanOrEqual(truePairs.size);
  });

  it('is deterministic', () => {
    expect(population(1000, 0.05, 20_251_011).records).toEqual(records);
  });
});
