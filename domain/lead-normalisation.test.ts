import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countries } from './data/countries.ts';
import { freeMailDomains } from './data/free-mail-domains.ts';
import { legalForms } from './data/legal-forms.ts';
import { multiZoneCountryCities, singleZoneCountries } from './data/time-zones.ts';
import {
  type JobTitleProfile,
  type NormalisedEmail,
  type NormalisedPersonName,
  type NormalisedPhone,
  type PersonNameInput,
  countryFromInput,
  isFreeMailDomain,
  jobTitleProfile,
  normaliseCompanyName,
  normaliseEmail,
  normalisePersonName,
  normalisePhone,
  registrableDomain,
  timeZoneFor,
} from './lead-normalisation.ts';
import { countryCodeSchema, domainNameSchema, e164Schema, emailSchema, timeZoneSchema } from './objects.ts';

// ---------------------------------------------------------------------------------------------------------
describe('normaliseEmail', () => {
  const email = (address: string, matchKey: string, domain: string): NormalisedEmail => ({ address, matchKey, domain });

  it.each<[string, string, NormalisedEmail]>([
    ['trims and lowercases', '  Jane.Doe@ACME.com ', email('jane.doe@acme.com', 'jane.doe@acme.com', 'acme.com')],
    ['display name', 'Jane Doe <jane@acme.com>', email('jane@acme.com', 'jane@acme.com', 'acme.com')],
    ['quoted display name with a comma', '"Doe, Jane" <Jane@Acme.de>', email('jane@acme.de', 'jane@acme.de', 'acme.de')],
    ['mailto: with a query string', 'mailto:jane@acme.com?subject=Hello', email('jane@acme.com', 'jane@acme.com', 'acme.com')],
    ['MAILTO: percent-encoded', 'MAILTO:jane%2Bsales@acme.com', email('jane+sales@acme.com', 'jane+sales@acme.com', 'acme.com')],
    ['sentence punctuation and brackets', '(jane@acme.com).', email('jane@acme.com', 'jane@acme.com', 'acme.com')],
    ['spaces around @ and dots', 'jane @ acme . com', email('jane@acme.com', 'jane@acme.com', 'acme.com')],
    ['zero-width space and no-break space from a web page', '\u200Bjane@acme.com\u00A0', email('jane@acme.com', 'jane@acme.com', 'acme.com')],
    // Gmail: dots and +tag only in the match key; the stored address is untouched.
    ['gmail dots and plus tag', 'Jane.Doe+Newsletter@Gmail.com', email('jane.doe+newsletter@gmail.com', 'janedoe@gmail.com', 'gmail.com')],
    ['googlemail is gmail for matching only', 'j.a.n.e@googlemail.com', email('j.a.n.e@googlemail.com', 'jane@gmail.com', 'googlemail.com')],
    ['gmail address that is all tag keeps its local part', '+promo@gmail.com', email('+promo@gmail.com', '+promo@gmail.com', 'gmail.com')],
    // Documented plus-addressing: only the tag goes, dots stay.
    ['outlook.com plus tag', 'jane.doe+crm@outlook.com', email('jane.doe+crm@outlook.com', 'jane.doe@outlook.com', 'outlook.com')],
    ['hotmail.com plus tag', 'jane+x@hotmail.com', email('jane+x@hotmail.com', 'jane@hotmail.com', 'hotmail.com')],
    ['icloud.com plus tag', 'jane+x@icloud.com', email('jane+x@icloud.com', 'jane@icloud.com', 'icloud.com')],
    ['fastmail plus tag', 'jane+x@fastmail.com', email('jane+x@fastmail.com', 'jane@fastmail.com', 'fastmail.com')],
    ['proton plus tag', 'jane+x@proton.me', email('jane+x@proton.me', 'jane@proton.me', 'proton.me')],
    // Everyone else: "+" may be a real part of the mailbox name.
    ['yahoo keeps its plus', 'jane+x@yahoo.com', email('jane+x@yahoo.com', 'jane+x@yahoo.com', 'yahoo.com')],
    ['company domain keeps plus and dots', 'Jane.Doe+Sales@Acme.co.uk', email('jane.doe+sales@acme.co.uk', 'jane.doe+sales@acme.co.uk', 'acme.co.uk')],
    ['a gmail-like company domain keeps dots', 'jane.doe@gmail-consulting.com', email('jane.doe@gmail-consulting.com', 'jane.doe@gmail-consulting.com', 'gmail-consulting.com')],
  ])('%s: %j', (_label, raw, expected) => {
    const result = normaliseEmail(raw);
    expect(result).toEqual(expected);
    expect(emailSchema.safeParse(result?.address).success).toBe(true);
  });

  it.each<[string, string | null | undefined]>([
    ['null', null],
    ['undefined', undefined],
    ['empty', ''],
    ['blank', '   '],
    ['no @', 'jane.acme.com'],
    ['no local part', '@acme.com'],
    ['no domain', 'jane@'],
    ['no top-level domain', 'jane@localhost'],
    ['two addresses in one cell', 'jane@acme.com; john@acme.com'],
    ['a name, not an address', 'Jane Doe'],
    ['a URL', 'https://acme.com'],
    // emailSchema accepts ASCII domains only, and the stored address is never rewritten to punycode.
    ['internationalised domain', 'jürgen@müller.de'],
  ])('%s → null', (_label, raw) => {
    expect(normaliseEmail(raw)).toBeNull();
  });
});

// ---------------------------------------------------------------------------------------------------------
describe('normalisePhone', () => {
  const phone = (e164: string, country: string | null): NormalisedPhone => ({ e164, country });

  it.each<[string, string, string | undefined, NormalisedPhone]>([
    // Germany
    ['DE: "(0)" trunk prefix after the country code', '+49 (0)30 1234567', undefined, phone('+49301234567', 'DE')],
    ['DE: national with a default country', '030 1234567', 'DE', phone('+49301234567', 'DE')],
    ['DE: slash and hyphen grouping', '+49 (0) 30 / 12 34 56-7', undefined, phone('+49301234567', 'DE')],
    ['DE: mobile, default country given as a name', '0170 1234567', 'Deutschland', phone('+491701234567', 'DE')],
    ['DE: "Tel.:" label in the cell', 'Tel.: +49 30 1234567', undefined, phone('+49301234567', 'DE')],
    ['DE: "tel:" URI', 'tel:+49-30-1234567', undefined, phone('+49301234567', 'DE')],
    // United Kingdom
    ['GB: London landline with (0)', '+44 (0)20 7946 0958', undefined, phone('+442079460958', 'GB')],
    ['GB: national, default "UK"', '020 7946 0958', 'UK', phone('+442079460958', 'GB')],
    ['GB: mobile', '07400 123456', 'GB', phone('+447400123456', 'GB')],
    ['GB: "0044" with no default country', '0044 20 7946 0958', undefined, phone('+442079460958', 'GB')],
    // France
    ['FR: spaced pairs', '01 42 68 53 00', 'FR', phone('+33142685300', 'FR')],
    ['FR: mobile, lowercase default', '06 12 34 56 78', 'fr', phone('+33612345678', 'FR')],
    // India
    ['IN: mobile with hyphens', '+91-98765-43210', undefined, phone('+919876543210', 'IN')],
    ['IN: Mumbai landline, national', '022 2778 1234', 'India', phone('+912227781234', 'IN')],
    // Brazil
    ['BR: São Paulo mobile', '+55 11 98765-4321', undefined, phone('+5511987654321', 'BR')],
    ['BR: national with area code in brackets', '(11) 98765-4321', 'BR', phone('+5511987654321', 'BR')],
    ['BR: Rio landline', '+55 (21) 2222-3333', undefined, phone('+552122223333', 'BR')],
    // Japan
    ['JP: Tokyo landline, national', '03-1234-5678', 'JP', phone('+81312345678', 'JP')],
    ['JP: mobile', '+81 90 1234 5678', undefined, phone('+819012345678', 'JP')],
    // International prefixes and extensions
    ['GR: "0030" with a German default', '0030 210 1234567', 'DE', phone('+302101234567', 'GR')],
    ['GR: "0030" with a US default (whose prefix is 011)', '0030 210 1234567', 'US', phone('+302101234567', 'GR')],
    ['GR: "0030" with no default', '0030 210 1234567', undefined, phone('+302101234567', 'GR')],
    ['US: extension "x204" dropped', '415.555.0123 x204', 'US', phone('+14155550123', 'US')],
    ['US: extension "ext." dropped', '+1 415 555 0123 ext. 45', undefined, phone('+14155550123', 'US')],
    ['US: RFC 3966 extension dropped', 'tel:+1-415-555-0123;ext=12', undefined, phone('+14155550123', 'US')],
    ['US: a "+1" number wins over a German default', '+1 212 555 0199', 'DE', phone('+12125550199', 'US')],
  ])('%s: %j (%s)', (_label, raw, defaultCountry, expected) => {
    const result = normalisePhone(raw, defaultCountry);
    expect(result).toEqual(expected);
    expect(e164Schema.safeParse(result?.e164).success).toBe(true);
  });

  it('takes a number from a spreadsheet cell', () => {
    expect(normalisePhone(14155550123, 'US')).toEqual(phone('+14155550123', 'US'));
  });

  it.each<[string, string | number | null | undefined, string | undefined]>([
    ['null', null, undefined],
    ['empty', '', 'DE'],
    ['too short', '12345', undefined],
    ['national without a default country', '030 1234567', undefined],
    ['unknown default country', '030 1234567', 'ZZ'],
    ['US 555 exchange is not a valid number', '+1 555 555 5555', undefined],
    ['unassigned country code', '+999 1234567', undefined],
    ['all zeros', '+49 000 0000000', undefined],
    ['placeholder text', 'phone: n/a', undefined],
    ['NaN from a spreadsheet', Number.NaN, 'US'],
    ['negative number', -4930123456, 'DE'],
  ])('%s → null', (_label, raw, defaultCountry) => {
    expect(normalisePhone(raw, defaultCountry)).toBeNull();
  });
});

// ---------------------------------------------------------------------------------------------------------
describe('normalisePersonName', () => {
  const name = (firstName: string | null, lastName: string | null, honorific: string | null = null): NormalisedPersonName => ({ firstName, lastName, honorific });

  it.each<[string, PersonNameInput, NormalisedPersonName]>([
    // Honorifics in English, German, French and Spanish
    ['German doctorate', { full: 'Dr. Jürgen Bergmann' }, name('Jürgen', 'Bergmann', 'Dr')],
    ['Herr and Dr together', { full: 'Herr Dr. Jürgen Bergmann' }, name('Jürgen', 'Bergmann', 'Herr Dr')],
    ['faculty after Dr. is not a first name', { full: 'Prof. Dr. med. Hans Müller' }, name('Hans', 'Müller', 'Prof Dr')],
    ['honorific with only a surname', { full: 'Frau Müller' }, name(null, 'Müller', 'Frau')],
    ['Mr without a dot', { full: 'Mr John Smith' }, name('John', 'Smith', 'Mr')],
    ['Mrs', { full: 'Mrs. Jane Smith' }, name('Jane', 'Smith', 'Mrs')],
    ['Ms with a double first name', { full: 'Ms. Mary Ann Smith' }, name('Mary Ann', 'Smith', 'Ms')],
    ['French M. (Monsieur)', { full: 'M. Dupont' }, name(null, 'Dupont', 'M.')],
    ['French Mme', { full: 'Mme Claire Dubois' }, name('Claire', 'Dubois', 'Mme')],
    ['Spanish Sr.', { full: 'Sr. Juan Pérez' }, name('Juan', 'Pérez', 'Sr.')],
    ['Spanish Sra.', { full: 'Sra. Ana Ruiz' }, name('Ana', 'Ruiz', 'Sra.')],
    ['a lone honorific', { full: 'Mr.' }, name(null, null, 'Mr')],
    // Order and structure
    ['"Last, First"', { full: 'Bergmann, Jürgen' }, name('Jürgen', 'Bergmann')],
    ['"Last, Title First"', { full: 'Bergmann, Dr. Jürgen' }, name('Jürgen', 'Bergmann', 'Dr')],
    ['suffixes after commas are dropped', { full: 'Smith, John, Jr., PhD' }, name('John', 'Smith')],
    ['generational suffix at the end', { full: 'John Smith Jr.' }, name('John', 'Smith')],
    ['initials', { full: 'J. R. R. Tolkien' }, name('J. R. R.', 'Tolkien')],
    ['"M." before an initial is an initial', { full: 'M. J. Smith' }, name('M. J.', 'Smith')],
    ['Dutch particles start the surname', { full: 'Ludwig van der Berg' }, name('Ludwig', 'van der Berg')],
    ['French particles', { full: 'Jean de la Fontaine' }, name('Jean', 'de la Fontaine')],
    ['Irish Ó', { full: 'Seán Ó Briain' }, name('Seán', 'Ó Briain')],
    ['a nickname in quotes is dropped', { full: 'Robert "Bob" Smith' }, name('Robert', 'Smith')],
    // Nicknames are names: never expanded
    ['Bob stays Bob', { full: 'Bob Smith' }, name('Bob', 'Smith')],
    ['Bill stays Bill', { full: 'Bill Gates' }, name('Bill', 'Gates')],
    ['Peggy stays Peggy', { first: 'Peggy', last: 'Sue' }, name('Peggy', 'Sue')],
    ['lowercase nickname only gets a capital', { first: 'bob' }, name('Bob', null)],
    // Case is fixed only for ALL CAPS or all lowercase input
    ['all caps, hyphen and apostrophe', { full: "MARY-JANE O'NEIL" }, name('Mary-Jane', "O'Neil")],
    ['all lowercase Mc', { full: 'ronald mcdonald' }, name('Ronald', 'McDonald')],
    ['all caps Dutch particles', { full: 'LUDWIG VAN DER BERG' }, name('Ludwig', 'van der Berg')],
    ['all caps Spanish "de la"', { full: 'JUAN DE LA CRUZ' }, name('Juan', 'de la Cruz')],
    ['all lowercase Portuguese "da"', { full: 'maria da silva' }, name('Maria', 'da Silva')],
    ["all caps d' before a vowel is a particle", { full: "CHARLES D'ARTAGNAN" }, name('Charles', "d'Artagnan")],
    ["all caps D' before a consonant is part of the name", { full: "PRIYA D'SOUZA" }, name('Priya', "D'Souza")],
    ['all caps "Le" stays capitalised', { full: 'ANNE-SOPHIE LE PEN' }, name('Anne-Sophie', 'Le Pen')],
    ['all caps Mac is not guessed', { full: 'ALEXANDER MACDONALD' }, name('Alexander', 'Macdonald')],
    ['all caps accents', { full: 'JOSÉ ÁLVAREZ' }, name('José', 'Álvarez')],
    ['all caps Turkish letters', { full: 'ÇAĞLAR ÖZTÜRK' }, name('Çağlar', 'Öztürk')],
    ['all lowercase accents', { full: 'françois müller' }, name('François', 'Müller')],
    ['mixed case is the person\'s own spelling', { full: 'DeShawn McKenzie-DUBOIS' }, name('DeShawn', 'McKenzie-DUBOIS')],
    ['mixed case particles are left alone', { full: 'Ludwig Van Der Berg' }, name('Ludwig', 'Van Der Berg')],
    // Separate fields
    ['separate fields in caps', { first: 'JANE', last: 'DOE' }, name('Jane', 'Doe')],
    ['honorific inside the first-name field', { first: 'Dr. Jürgen', last: 'Bergmann' }, name('Jürgen', 'Bergmann', 'Dr')],
    ['honorific alone in the first-name field', { first: 'Mr.', last: 'Smith' }, name(null, 'Smith', 'Mr')],
    ['fields win over the full name', { full: 'J. Bergmann', first: 'Jürgen', last: 'BERGMANN' }, name('Jürgen', 'Bergmann')],
    ['a missing field is taken from the full name', { full: 'Dr. Jürgen Bergmann', first: 'Jürgen' }, name('Jürgen', 'Bergmann', 'Dr')],
    ['compound surname field in caps', { last: "O'NEIL-SMITH" }, name(null, "O'Neil-Smith")],
  ])('%s: %j', (_label, input, expected) => {
    expect(normalisePersonName(input)).toEqual(expected);
  });

  it.each<[string, PersonNameInput]>([
    ['nothing given', {}],
    ['blank', { full: '   ' }],
    ['placeholder', { full: 'N/A' }],
    ['German placeholder', { first: 'unbekannt' }],
    ['an email address', { full: 'jane@acme.com' }],
    ['digits', { full: 'Jane Smith 2' }],
    ['two people', { full: 'Jane & John Smith' }],
    ['too many commas to read', { full: 'A, B, C' }],
  ])('%s → all null', (_label, input) => {
    expect(normalisePersonName(input)).toEqual(name(null, null));
  });
});

// ---------------------------------------------------------------------------------------------------------
describe('normaliseCompanyName', () => {
  // Each group shares one match key; no two groups share theirs.
  const sameCompany: [string, string, string[]][] = [
    ['acme', 'Acme', ['ACME, Inc.', 'Acme Inc', 'acme inc.', 'acme.com', 'www.acme.com', 'Acme Incorporated', 'The Acme Company', 'Acme Corp.', 'Acme, LLC', 'Acme Ltd', 'Acme Limited', 'Acme Co., Ltd.', 'ＡＣＭＥ']],
    ['deutsche telekom', 'Deutsche Telekom', ['Deutsche Telekom AG', 'DEUTSCHE TELEKOM', 'Deutsche Telekom Aktiengesellschaft']],
    ['muller', 'Müller', ['Müller GmbH & Co. KG', 'Müller GmbH & Co.KG', 'MÜLLER GMBH', 'Müller', 'Müller e.K.']],
    ['nestle', 'Nestlé', ['Nestlé S.A.', 'Nestle SA', 'NESTLÉ']],
    ['societe generale', 'Société Générale', ['Société Générale S.A.', 'SOCIETE GENERALE', 'Societe Generale SA']],
    ['loreal', "L'Oréal", ["L'Oréal S.A.", "L'OREAL", 'LOreal']],
    ['ernst and young', 'Ernst & Young', ['Ernst & Young LLP', 'Ernst and Young', 'ERNST & YOUNG GmbH']],
    ['jp morgan chase', 'JPMorgan', ['J.P. Morgan Chase & Co.', 'JP Morgan Chase', 'J. P. Morgan Chase']],
    ['banco santander', 'Santander', ['Banco Santander, S.A.', 'Banco Santander', 'BANCO SANTANDER SA']],
    ['ing groep', 'ING', ['ING Groep N.V.', 'ING Groep NV', 'ing groep']],
    ['volvo', 'Volvo', ['Volvo AB (publ)', 'Volvo', 'VOLVO AB']],
    ['novo nordisk', 'Novo Nordisk', ['Novo Nordisk A/S', 'Novo Nordisk AS']],
    ['nokia', 'Nokia', ['Nokia Oyj', 'Nokia Oy']],
    ['foo', 'Polish', ['Foo sp. z o.o.', 'FOO Sp. z o. o.', 'Foo Sp z oo']],
    ['tata consultancy services', 'Tata', ['Tata Consultancy Services Pvt. Ltd.', 'Tata Consultancy Services Private Limited', 'TATA CONSULTANCY SERVICES LTD']],
    ['atlassian', 'Atlassian', ['Atlassian Pty Ltd', 'Atlassian Pty. Ltd.', 'Atlassian (Pty) Ltd', 'Atlassian Corporation Plc']],
    ['amazon', 'Amazon', ['Amazon.com, Inc.', 'amazon', 'https://www.amazon.com/']],
    ['bank central asia', 'BCA', ['PT Bank Central Asia Tbk', 'Bank Central Asia']],
    ['ferreira', 'Brazil', ['Ferreira Ltda.', 'FERREIRA LTDA', 'Ferreira S/A']],
    ['grupo bimbo', 'Mexico', ['Grupo Bimbo, S.A.B. de C.V.', 'Grupo Bimbo SAB de CV']],
    ['toyota jidosha', 'Japan (romanised)', ['Toyota Jidosha Kabushiki Kaisha', 'Toyota Jidosha K.K.', 'Toyota Jidosha KK']],
    ['トヨタ自動車', 'Japan (kanji, form before or after)', ['トヨタ自動車株式会社', '株式会社トヨタ自動車']],
    ['ромашка', 'Russia (Cyrillic form first)', ['ООО Ромашка', 'Ромашка']],
  ];

  it.each(sameCompany)('%s (%s)', (matchKey, _label, variants) => {
    for (const variant of variants) expect(normaliseCompanyName(variant)?.matchKey, variant).toBe(matchKey);
  });

  it('keeps different companies apart', () => {
    const keys = sameCompany.map(([matchKey]) => matchKey);
    expect(new Set(keys).size).toBe(keys.length);
    expect(normaliseCompanyName('Acme Holdings Ltd')?.matchKey).toBe('acme holdings');
    expect(normaliseCompanyName('Sony Group Corporation')?.matchKey).toBe('sony group');
  });

  it.each<[string, string, string]>([
    ['trims and collapses spaces', '  Big   Data   AG ', 'Big Data AG'],
    ['keeps the display form', 'ACME, Inc.', 'ACME, Inc.'],
    ['keeps accents', 'Société Générale S.A.', 'Société Générale S.A.'],
    ['drops surrounding quotes', '"Acme GmbH"', 'Acme GmbH'],
    ['drops zero-width characters', 'Acme\u200B GmbH', 'Acme GmbH'],
  ])('name %s: %j → %j', (_label, raw, expected) => {
    expect(normaliseCompanyName(raw)?.name).toBe(expected);
  });

  it.each<[string, string, string]>([
    ['a legal form alone is kept rather than emptied', 'GmbH', 'gmbh'],
    ['a name that is only "The Company"', 'The Company', 'company'],
    ['"&" and "and" are one', 'AT&T Inc.', 'at and t'],
    ['"Smith & Co." loses the dangling "&"', 'Smith & Co.', 'smith'],
    ['".kg" looks like a TLD but "Co.KG" is a legal form', 'Weber GmbH & Co.KG', 'weber'],
  ])('match key %s: %j → %j', (_label, raw, expected) => {
    expect(normaliseCompanyName(raw)?.matchKey).toBe(expected);
  });

  it.each<[string, string | null | undefined]>([
    ['null', null],
    ['empty', ''],
    ['blank', '  '],
    ['punctuation only', '!!!'],
  ])('%s → null', (_label, raw) => {
    expect(normaliseCompanyName(raw)).toBeNull();
  });

  // Every form in the shipped list must actually come off a name, in the position it is written.
  it.each(legalForms.map((form) => [form.form, form.position ?? 'suffix'] as const))('legal form %j (%s) is stripped', (form, position) => {
    const raw = position === 'prefix' ? `${form} Zephyr` : `Zephyr ${form}`;
    expect(normaliseCompanyName(raw)?.matchKey).toBe('zephyr');
  });
});

// ---------------------------------------------------------------------------------------------------------
describe('registrableDomain and isFreeMailDomain', () => {
  it.each<[string, string | null]>([
    ['https://www.acme.co.uk/about', 'acme.co.uk'],
    ['acme.com', 'acme.com'],
    ['WWW.ACME.COM', 'acme.com'],
    ['jane@mail.acme.com', 'acme.com'],
    ['Jane Doe <jane@eu.mail.acme.de>', 'acme.de'],
    ['mailto:jane@acme.fr', 'acme.fr'],
    ['http://user:pw@shop.acme.com.br:8080/x?y#z', 'acme.com.br'],
    ['acme.github.io', 'acme.github.io'],
    ['münchen.de', 'xn--mnchen-3ya.de'],
    ['jane@gmail.com', 'gmail.com'],
    ['localhost', null],
    ['192.168.0.1', null],
    ['acme.internal', null],
    ['co.uk', null],
    ['acme', null],
    ['', null],
  ])('%j → %j', (raw, expected) => {
    const result = registrableDomain(raw);
    expect(result).toBe(expected);
    if (result !== null) expect(domainNameSchema.safeParse(result).success).toBe(true);
  });

  it.each<[string, boolean]>([
    ['gmail.com', true],
    ['GoogleMail.com', true],
    ['jane@gmail.com', true],
    ['web.de', true],
    ['gmx.net', true],
    ['t-online.de', true],
    ['orange.fr', true],
    ['yahoo.co.uk', true],
    ['hotmail.fr', true],
    ['outlook.com', true],
    ['icloud.com', true],
    ['qq.com', true],
    ['acme.com', false],
    ['jane@acme.com', false],
    ['google.com', false],
    ['mail.acme.com', false],
    ['', false],
  ])('isFreeMailDomain(%j) → %s', (raw, expected) => {
    expect(isFreeMailDomain(raw)).toBe(expected);
  });

  it.each(freeMailDomains)('listed free-mail domain %s is a lowercase registrable domain', (domain) => {
    expect(registrableDomain(domain)).toBe(domain);
  });
});

// ---------------------------------------------------------------------------------------------------------
describe('countryFromInput', () => {
  it.each<[string, string | null]>([
    ['Germany', 'DE'],
    ['Deutschland', 'DE'],
    ['DE', 'DE'],
    ['de', 'DE'],
    ['DEU', 'DE'],
    [' germany ', 'DE'],
    ['Allemagne', 'DE'],
    ['United States', 'US'],
    ['United States of America', 'US'],
    ['USA', 'US'],
    ['U.S.', 'US'],
    ['U.S.A.', 'US'],
    ['EE.UU.', 'US'],
    ['UK', 'GB'],
    ['U.K.', 'GB'],
    ['Great Britain', 'GB'],
    ['England', 'GB'],
    ['GBR', 'GB'],
    ['The Netherlands', 'NL'],
    ['Holland', 'NL'],
    ['Österreich', 'AT'],
    ['Oesterreich', 'AT'],
    ['Schweiz', 'CH'],
    ['Suisse', 'CH'],
    ['España', 'ES'],
    ['Espana', 'ES'],
    ['Brasil', 'BR'],
    ['México', 'MX'],
    ['Korea, Republic of', 'KR'],
    ['日本', 'JP'],
    ['Россия', 'RU'],
    ['Türkiye', 'TR'],
    ['UAE', 'AE'],
    ['🇫🇷', 'FR'],
    ['Narnia', null],
    ['XX', null],
    ['🇦🇶', null],
    ['', null],
  ])('%j → %j', (raw, expected) => {
    expect(countryFromInput(raw)).toBe(expected);
  });

  it('the shipped table is consistent: valid codes, ~60+ countries, and no name pointing at two countries', () => {
    expect(countries.length).toBeGreaterThanOrEqual(60);
    for (const country of countries) {
      expect(countryCodeSchema.safeParse(country.alpha2).success, country.alpha2).toBe(true);
      expect(country.alpha3).toMatch(/^[A-Z]{3}$/);
      for (const value of [country.alpha2, country.alpha3, ...country.names]) {
        expect(countryFromInput(value), value).toBe(country.alpha2);
      }
    }
  });
});

// ---------------------------------------------------------------------------------------------------------
describe('timeZoneFor', () => {
  it.each<[string, Parameters<typeof timeZoneFor>[0], string | null]>([
    ['single-zone country', { country: 'DE' }, 'Europe/Berlin'],
    ['country by name', { country: 'Deutschland' }, 'Europe/Berlin'],
    ['country from the phone when none is given', { phoneE164: '+33142685300' }, 'Europe/Paris'],
    ['India by its current name (Intl lists only the old Asia/Calcutta)', { country: 'IN' }, 'Asia/Kolkata'],
    ['Japan', { country: 'JP' }, 'Asia/Tokyo'],
    ['the UK', { country: 'UK' }, 'Europe/London'],
    ['Argentina is one legal time', { country: 'AR' }, 'America/Argentina/Buenos_Aires'],
    ['a city in a single-zone country changes nothing', { country: 'DE', city: 'Los Angeles' }, 'Europe/Berlin'],
    // Multi-zone: only a known city decides
    ['US without a city', { country: 'US' }, null],
    ['US with a phone only: libphonenumber-js has no zone data', { country: 'US', phoneE164: '+14155550123' }, null],
    ['US phone, no country', { phoneE164: '+12125550199' }, null],
    ['US city with a state', { country: 'US', city: 'Austin, TX' }, 'America/Chicago'],
    ['US city', { country: 'USA', city: 'San Francisco' }, 'America/Los_Angeles'],
    ['US city with a dotted abbreviation', { country: 'US', city: 'Washington D.C.' }, 'America/New_York'],
    ['Arizona keeps no DST', { country: 'US', city: 'Phoenix' }, 'America/Phoenix'],
    ['a US city in two zones is not guessed', { country: 'US', city: 'Portland' }, null],
    ['Canada', { country: 'Canada', city: 'Montréal' }, 'America/Toronto'],
    ['Canada: London, Ontario', { country: 'CA', city: 'London' }, 'America/Toronto'],
    ['Brazil with accents', { country: 'BR', city: 'São Paulo' }, 'America/Sao_Paulo'],
    ['Brazil without accents', { country: 'BR', city: 'sao paulo' }, 'America/Sao_Paulo'],
    ['Spain: mainland', { country: 'ES', city: 'Barcelona' }, 'Europe/Madrid'],
    ['Spain: Canary Islands', { country: 'ES', city: 'Las Palmas de Gran Canaria' }, 'Atlantic/Canary'],
    ['Spain without a city', { country: 'ES' }, null],
    ['Australia', { country: 'AU', city: 'Perth' }, 'Australia/Perth'],
    ['Russia', { country: 'RU', city: 'Novosibirsk' }, 'Asia/Novosibirsk'],
    ['Mexico', { country: 'MX', city: 'Ciudad de México' }, 'America/Mexico_City'],
    ['unknown country', { country: 'Narnia' }, null],
    ['nothing', {}, null],
  ])('%s', (_label, input, expected) => {
    const zone = timeZoneFor(input);
    expect(zone).toBe(expected);
    if (zone !== null) expect(timeZoneSchema.safeParse(zone).success).toBe(true);
  });

  it('every country in the country table has a zone rule, and every shipped zone passes timeZoneSchema', () => {
    for (const country of countries) {
      const single = singleZoneCountries[country.alpha2] !== undefined;
      const multi = multiZoneCountryCities[country.alpha2] !== undefined;
      expect(single !== multi, country.alpha2).toBe(true);
      if (single) expect(timeZoneFor({ country: country.alpha2 }), country.alpha2).not.toBeNull();
    }
    for (const [country, groups] of Object.entries(multiZoneCountryCities)) {
      for (const group of groups) {
        for (const city of group.cities) {
          const zone = timeZoneFor({ country, city });
          expect(zone, `${country} ${city}`).not.toBeNull();
          expect(timeZoneSchema.safeParse(zone).success).toBe(true);
        }
      }
    }
  });
});

// ---------------------------------------------------------------------------------------------------------
describe('jobTitleProfile', () => {
  const profile = (department: JobTitleProfile['department'], seniority: JobTitleProfile['seniority']): JobTitleProfile => ({ department, seniority });

  it.each<[string, JobTitleProfile]>([
    // English
    ['CEO', profile('executive', 'c_level')],
    ['C.E.O.', profile('executive', 'c_level')],
    ['Co-Founder & CTO', profile('engineering', 'c_level')],
    ['Chief Revenue Officer', profile('sales', 'c_level')],
    ['Chief People Officer', profile('hr', 'c_level')],
    ['CFO', profile('finance', 'c_level')],
    ['Managing Director', profile('executive', 'c_level')],
    ['VP Sales', profile('sales', 'vp')],
    ['V.P., Sales & Marketing', profile('sales', 'vp')],
    ['Senior Vice President, Global Sales', profile('sales', 'vp')],
    ['VP of Engineering', profile('engineering', 'vp')],
    ['Director of Customer Success', profile('customer_success', 'director')],
    ['Head of Marketing', profile('marketing', 'head')],
    ['Head of Sales Operations', profile('sales', 'head')],
    ['Head of IT', profile('it', 'head')],
    ['General Counsel', profile('legal', 'head')],
    ['Engineering Manager', profile('engineering', 'manager')],
    ['Purchasing Manager', profile('procurement', 'manager')],
    ['Senior Software Engineer', profile('engineering', 'senior')],
    ['Sr. Account Executive', profile('sales', 'senior')],
    ['Staff Engineer', profile('engineering', 'senior')],
    ['Product Manager', profile('product', 'individual')],
    ['Product Marketing Manager', profile('marketing', 'manager')],
    ['Customer Success Manager', profile('customer_success', 'individual')],
    ['Sales Development Representative', profile('sales', 'individual')],
    ['Salesforce Administrator', profile('it', 'individual')],
    ['Procurement Specialist', profile('procurement', 'individual')],
    ['Marketing Intern', profile('marketing', 'intern')],
    ['Executive Assistant to the CEO', profile('other', 'individual')],
    // German
    ['Geschäftsführer', profile('executive', 'c_level')],
    ['Geschäftsführer Vertrieb', profile('sales', 'c_level')],
    ['Vorstand Finanzen', profile('finance', 'c_level')],
    ['Inhaber', profile('executive', 'c_level')],
    ['Vertriebsleiter', profile('sales', 'head')],
    ['Leiter Einkauf', profile('procurement', 'head')],
    ['IT-Leiter', profile('it', 'head')],
    ['Personalleiterin', profile('hr', 'head')],
    ['Kaufmännischer Leiter', profile('finance', 'head')],
    ['Teamleiter Vertrieb', profile('sales', 'manager')],
    ['Softwareentwickler', profile('engineering', 'individual')],
    ['Sachbearbeiter Einkauf', profile('procurement', 'individual')],
    ['Einkäufer', profile('procurement', 'individual')],
    ['Buchhalterin', profile('finance', 'individual')],
    ['Werkstudent Marketing', profile('marketing', 'intern')],
    ['Assistenz der Geschäftsführung', profile('other', 'individual')],
    // French
    ['Président Directeur Général', profile('executive', 'c_level')],
    ['PDG', profile('executive', 'c_level')],
    ['Directeur commercial', profile('sales', 'director')],
    ['Directrice des Ressources Humaines', profile('hr', 'director')],
    ['DRH', profile('hr', 'director')],
    ['DSI', profile('it', 'director')],
    ['Directeur technique', profile('engineering', 'director')],
    ['Responsable des achats', profile('procurement', 'head')],
    ['Chef des ventes', profile('sales', 'head')],
    ["Chef d'équipe commerciale", profile('sales', 'manager')],
    ['Ingénieur commercial', profile('sales', 'individual')],
    ["Chargé d'affaires", profile('sales', 'individual')],
    ['Comptable', profile('finance', 'individual')],
    ['Stagiaire marketing', profile('marketing', 'intern')],
    // Spanish
    ['Consejero Delegado', profile('executive', 'c_level')],
    ['Gerente General', profile('executive', 'c_level')],
    ['Director Comercial', profile('sales', 'director')],
    ['Directora de Recursos Humanos', profile('hr', 'director')],
    ['Director de Operaciones', profile('operations', 'director')],
    ['Jefe de compras', profile('procurement', 'head')],
    ['Jefe de Sistemas', profile('it', 'head')],
    ['Jefa de Marketing', profile('marketing', 'head')],
    ['Gerente de ventas', profile('sales', 'manager')],
    ['Ejecutivo de cuentas', profile('sales', 'individual')],
    ['Desarrollador de software', profile('engineering', 'individual')],
    ['Analista financiero', profile('finance', 'individual')],
    ['Becario de ventas', profile('sales', 'intern')],
    // Ambiguous: a part is known, or nothing is
    ['Vice President', profile(null, 'vp')],
    ['Director', profile(null, 'director')],
    ['Manager', profile(null, 'manager')],
    ['Sales', profile('sales', null)],
    ['CPO', profile(null, 'c_level')],
    ['Process Owner', profile(null, null)],
    ['Chief of Staff', profile(null, null)],
    ['Partner', profile(null, null)],
    ['Prokurist', profile(null, null)],
    ['Ninja', profile(null, null)],
    ['', profile(null, null)],
  ])('%j', (title, expected) => {
    expect(jobTitleProfile(title)).toEqual(expected);
  });
});

// ---------------------------------------------------------------------------------------------------------
describe('totality', () => {
  // Whatever a CSV cell, a form or a JS caller hands over, the normalisers answer instead of throwing.
  const messy = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 80 }),
    fc.string({ unit: 'grapheme', maxLength: 80 }),
    fc.constantFrom('<>', '<<a@b.c>', 'mailto:%E0%A4%A', '@', '.', ',', ', ,', "'", '-', '+', '00', 'tel:', '🇦🇶', '株式会社', 'the', 'Dr.', 'M.', 'x'.repeat(5000)),
    fc.anything(),
  );

  it('never throws, and every non-null answer passes the canonical schemas', () => {
    fc.assert(
      fc.property(messy, messy, (a, b) => {
        const text = a as string;
        const email = normaliseEmail(text);
        if (email !== null) expect(emailSchema.safeParse(email.address).success).toBe(true);
        const tel = normalisePhone(text, b as string);
        if (tel !== null) expect(e164Schema.safeParse(tel.e164).success).toBe(true);
        normalisePersonName({ full: text, first: b as string, last: text });
        normalisePersonName(a as PersonNameInput);
        normaliseCompanyName(text);
        const domain = registrableDomain(text);
        if (domain !== null) expect(domainNameSchema.safeParse(domain).success).toBe(true);
        isFreeMailDomain(text);
        const country = countryFromInput(text);
        if (country !== null) expect(countryCodeSchema.safeParse(country).success).toBe(true);
        const zone = timeZoneFor({ country: text, phoneE164: b as string, city: text });
        if (zone !== null) expect(timeZoneSchema.safeParse(zone).success).toBe(true);
        timeZoneFor(a as Parameters<typeof timeZoneFor>[0]);
        jobTitleProfile(text);
      }),
      { numRuns: 500 },
    );
  });
});
