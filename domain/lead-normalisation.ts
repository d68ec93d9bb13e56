// Lead normalisers (issue #10): turn what imports, forms and enrichment hand us into the canonical shapes of
// objects.ts, plus match keys for finding duplicates. Every function is total: messy input gives null (or a
// partial answer), never an exception, because one bad CSV cell must not fail an import.
//
// Two kinds of output on purpose: values we store stay as the person wrote them, trimmed (an address's
// plus-tag, a company's "GmbH"); match keys are for comparing only and may throw information away.
import { parse as parseHost } from 'tldts';
import { parsePhoneNumberFromString, isSupportedCountry, type CountryCode } from 'libphonenumber-js/max';
import { z } from 'zod';

import { countries } from './data/countries.ts';
import { freeMailDomains } from './data/free-mail-domains.ts';
import { departmentRules, seniorityRules } from './data/job-titles.ts';
import { legalForms } from './data/legal-forms.ts';
import { multiZoneCountryCities, singleZoneCountries, zoneAliases } from './data/time-zones.ts';
import { domainNameSchema, e164Schema, emailSchema, timeZoneSchema } from './objects.ts';

// ---------------------------------------------------------------------------------------------------------
// Shared text helpers

// Zero-width characters and soft hyphens arrive with copy-paste from web pages and PDFs.
const invisible = /[\u200B-\u200D\u2060\uFEFF\u00AD]/g;

// Trim, drop invisible characters, collapse all kinds of whitespace; null when empty or absurdly long (which
// also keeps every regex below on short strings).
function clean(raw: unknown, maxLength: number): string | null {
  if (typeof raw !== 'string') return null;
  const text = raw.normalize('NFC').replace(invisible, '').replace(/\s+/gu, ' ').trim();
  return text.length > 0 && text.length <= maxLength ? text : null;
}

// Letters that Unicode decomposition leaves alone but people spell without the mark.
const specialLetters: Readonly<Record<string, string>> = {
  ß: 'ss', ẞ: 'ss', æ: 'ae', Æ: 'ae', œ: 'oe', Œ: 'oe', ø: 'o', Ø: 'o', ł: 'l', Ł: 'l', đ: 'd', Đ: 'd', ð: 'd', Ð: 'd', þ: 'th', Þ: 'th', ı: 'i',
};

// Lowercase without accents, for comparing. Only Latin combining marks go (U+0300–U+036F), so Japanese and
// Korean text survives intact; NFKD also turns full-width Latin ("ＡＣＭＥ") into ASCII.
function fold(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .normalize('NFC')
    .replace(/[ßẞæÆœŒøØłŁđĐðÐþÞı]/g, (letter) => specialLetters[letter] ?? letter)
    .toLowerCase();
}

// "s a" → "sa", "u s a" → "usa": dotted abbreviations lose their dots and become one token.
function joinSingleLetters(spaced: string): string {
  return spaced.replace(/\b[a-z](?: [a-z]\b)+/g, (run) => run.replace(/ /g, ''));
}

// A comparison key: folded, apostrophes dropped ("McDonald's" → "mcdonalds") unless they mark French elision
// in a title ("chargé d'affaires" → "charge d affaires"), other punctuation as spaces, "&" kept as a token.
function comparisonKey(text: string, apostrophes: 'drop' | 'space' = 'drop'): string {
  const spaced = fold(text)
    .replace(/['’`´]/g, apostrophes === 'drop' ? '' : ' ')
    .replace(/&/g, ' & ')
    .replace(/[^\p{L}\p{N}&]+/gu, ' ')
    .trim();
  return joinSingleLetters(spaced);
}

// ---------------------------------------------------------------------------------------------------------
// Email

export type NormalisedEmail = { address: string; matchKey: string; domain: string };

// Gmail ignores dots and everything after "+"; googlemail.com is the same mailbox.
const gmailDomains: ReadonlySet<string> = new Set(['gmail.com', 'googlemail.com']);
// Providers that document plus-addressing ("name+tag@"); only the tag is dropped, dots still matter there.
const plusAddressingDomains: ReadonlySet<string> = new Set([
  'outlook.com', 'hotmail.com', 'live.com',
  'icloud.com', 'me.com', 'mac.com',
  'fastmail.com', 'fastmail.fm',
  'proton.me', 'protonmail.com', 'protonmail.ch', 'pm.me',
]);

export function normaliseEmail(raw: string | null | undefined): NormalisedEmail | null {
  let text = clean(raw, 1000);
  if (text === null) return null;
  // "Jane Doe <jane@x.com>" and '"Doe, Jane" <jane@x.com>': the address is in the last angle brackets.
  const bracketed = /<([^<>]*)>[^<>]*$/.exec(text);
  if (bracketed?.[1] !== undefined) text = bracketed[1];
  const mailto = /^\s*mailto:([^?]*)/i.exec(text);
  if (mailto?.[1] !== undefined) text = safeDecodeUri(mailto[1]);
  const candidate = text
    .replace(/^[\s"'<>()[\],;:]+|[\s"'<>()[\],;:.]+$/g, '')
    .replace(/\s*([@.])\s*/g, '$1')
    .toLowerCase();
  if (!emailSchema.safeParse(candidate).success) return null;

  const at = candidate.lastIndexOf('@');
  const local = candidate.slice(0, at);
  const domain = candidate.slice(at + 1);
  return { address: candidate, matchKey: emailMatchKey(local, domain), domain };
}

function emailMatchKey(local: string, domain: string): string {
  const untagged = local.split('+')[0] ?? '';
  if (gmailDomains.has(domain)) {
    const bare = untagged.replace(/\./g, '');
    return `${bare === '' ? local : bare}@gmail.com`;
  }
  if (plusAddressingDomains.has(domain) && untagged !== '') return `${untagged}@${domain}`;
  return `${local}@${domain}`;
}

function safeDecodeUri(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Phone

export type NormalisedPhone = { e164: string; country: string | null };

// The "max" metadata checks the digits against each country's number patterns, not only the length.
export function normalisePhone(raw: string | number | null | undefined, defaultCountry?: string | null): NormalisedPhone | null {
  const text = typeof raw === 'number' ? (Number.isSafeInteger(raw) && raw > 0 ? String(raw) : null) : clean(raw, 200);
  if (text === null) return null;
  // "DE", "de", "Germany" and "UK" all work; so does any other two-letter code libphonenumber knows.
  const code = countryFromInput(defaultCountry) ?? clean(defaultCountry, 2)?.toUpperCase() ?? null;
  const country = code !== null && isSupportedCountry(code) ? (code as CountryCode) : undefined;

  const attempts: { text: string; country: CountryCode | undefined }[] = [{ text, country }];
  // "00" is the international prefix in most of the world; without a default country (or with one like the US
  // whose prefix is 011) libphonenumber cannot know that, so "0030 21…" is tried once more as "+30 21…".
  const international = /^(?:tel:|callto:)?\s*00\s*([1-9][\d\s().\-/]*)$/i.exec(text);
  if (international?.[1] !== undefined) attempts.push({ text: `+${international[1]}`, country: undefined });

  for (const attempt of attempts) {
    try {
      const parsed = parsePhoneNumberFromString(attempt.text, attempt.country);
      if (parsed?.isValid() && e164Schema.safeParse(parsed.number).success) {
        return { e164: parsed.number, country: parsed.country ?? null };
      }
    } catch {
      // A malformed string is a "no", not an error.
    }
  }
  return null;
}

// ---------------------------------------------------------------------------------------------------------
// Person name

export type PersonNameInput = { full?: string | null; first?: string | null; last?: string | null };
export type NormalisedPersonName = { firstName: string | null; lastName: string | null; honorific: string | null };

// Folded, dot- and hyphen-free spelling → the form we show. Bare "M" is an initial; only "M." is Monsieur.
const honorifics: ReadonlyMap<string, string> = new Map(Object.entries({
  mr: 'Mr', mister: 'Mr', mrs: 'Mrs', ms: 'Ms', miss: 'Miss', mx: 'Mx', dr: 'Dr', doctor: 'Dr', prof: 'Prof',
  professor: 'Prof', sir: 'Sir', dame: 'Dame',
  herr: 'Herr', hr: 'Herr', frau: 'Frau', dipling: 'Dipl.-Ing.', diplkfm: 'Dipl.-Kfm.', ing: 'Ing.', mag: 'Mag.',
  monsieur: 'M.', mme: 'Mme', madame: 'Mme', mlle: 'Mlle', mademoiselle: 'Mlle',
  sr: 'Sr.', senor: 'Sr.', sra: 'Sra.', senora: 'Sra.', srta: 'Srta.', senorita: 'Srta.', dra: 'Dra.',
  dott: 'Dott.', dottssa: 'Dott.ssa',
}));
// "Dr. med. dent." — the faculty after a doctorate is part of the title, not a first name.
const doctorateQualifiers: ReadonlySet<string> = new Set(['med', 'dent', 'vet', 'phil', 'jur', 'rer', 'nat', 'pol', 'oec', 'hc', 'h', 'c', 'habil', 'mult', 'ing']);
// Generational suffixes and degrees: dropped at the end of a name, and after a comma a wider set is safe.
const suffixesAnywhere: ReadonlySet<string> = new Set(['jr', 'sr', 'ii', 'iii', 'iv', 'phd', 'md', 'mba', 'esq']);
const suffixesAfterComma: ReadonlySet<string> = new Set([
  ...suffixesAnywhere, 'msc', 'bsc', 'ma', 'ba', 'meng', 'dphil', 'dds', 'jd', 'cpa', 'cfa', 'pmp', 'rn', 'pe', 'obe', 'mbe', 'cbe', 'frcs', 'llm', 'dipl', 'ing',
]);
// Where the surname starts in "Ludwig van der Berg", "Jean de la Fontaine", "Maria da Silva", "Seán Ó Briain".
const surnameParticles: ReadonlySet<string> = new Set([
  'van', 'von', 'der', 'den', 'de', 'del', 'della', 'di', 'da', 'das', 'do', 'dos', 'du', 'des', 'la', 'le', 'ter', 'ten', 'zu', 'zum', 'zur', 'vom', 'af', 'al', 'bin', 'ibn', 'saint', 'o', 'ni', 'mac', 'ap',
]);
// When we fix ALL-CAPS or all-lowercase names, these stay lowercase inside a surname (van der Berg, de la Cruz,
// da Silva). "Le"/"La" on their own and Italian "De"/"Di" are usually capitalised, so they are not here.
const lowercaseParticles: ReadonlySet<string> = new Set(['van', 'von', 'der', 'den', 'de', 'del', 'da', 'das', 'do', 'dos', 'du', 'des', 'ter', 'ten', 'te', 'zu', 'zum', 'zur', 'vom', 'af']);
const placeholderNames: ReadonlySet<string> = new Set([
  'n/a', 'na', 'n.a.', 'none', 'null', 'nil', 'unknown', 'test', 'tbd', '-', '--', '.', '?', 'x', 'xx', 'xxx', 'no name', 'noname', 'unbekannt', 'inconnu', 'desconocido',
]);

const emptyName: NormalisedPersonName = { firstName: null, lastName: null, honorific: null };

export function normalisePersonName(input: PersonNameInput | null | undefined): NormalisedPersonName {
  if (typeof input !== 'object' || input === null) return emptyName;
  const fromFull = parseFullName(clean(input.full, 300));
  const first = parseNameField(clean(input.first, 200), 'first');
  const last = parseNameField(clean(input.last, 200), 'last');
  return {
    firstName: first.name ?? fromFull.firstName,
    lastName: last.name ?? fromFull.lastName,
    honorific: first.honorific ?? last.honorific ?? fromFull.honorific,
  };
}

// Only letters, marks, spaces, dots, apostrophes, hyphens and commas; anything else ("&", digits, "@") means
// the cell holds two people, an address or junk.
function nameText(text: string | null): string | null {
  if (text === null) return null;
  const withoutNicknames = text
    .replace(/\([^()]*\)|"[^"]*"|“[^”]*”|„[^“”]*[“”]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (withoutNicknames === '' || placeholderNames.has(withoutNicknames.toLowerCase())) return null;
  return /^[\p{L}\p{M} .'’\-,]+$/u.test(withoutNicknames) ? withoutNicknames : null;
}

// ALL CAPS and all-lowercase names are re-cased; anything with mixed case is the person's own spelling.
function needsCaseFix(text: string): boolean {
  return !(/\p{Ll}/u.test(text) && /\p{Lu}/u.test(text));
}

const tokenKey = (token: string): string => fold(token).replace(/[.-]/g, '');

function takeHonorifics(tokens: string[]): { honorific: string | null; rest: string[] } {
  const found: string[] = [];
  let index = 0;
  while (index < tokens.length) {
    const token = tokens[index] ?? '';
    const key = tokenKey(token);
    const next = tokens[index + 1];
    // "M." is Monsieur only before a name, and not in a run of initials ("M. J. Smith").
    const isMonsieur = key === 'm' && token.endsWith('.') && next !== undefined && tokenKey(next).length > 1;
    const canonical = isMonsieur ? 'M.' : key.length > 1 ? honorifics.get(key) : undefined;
    if (canonical === undefined) break;
    found.push(canonical);
    index += 1;
    if (canonical === 'Dr' || canonical === 'Prof') {
      while (index < tokens.length && (tokens[index] ?? '').endsWith('.') && doctorateQualifiers.has(tokenKey(tokens[index] ?? ''))) index += 1;
    }
  }
  return { honorific: found.length > 0 ? [...new Set(found)].join(' ') : null, rest: tokens.slice(index) };
}

function dropTrailingSuffixes(tokens: string[]): string[] {
  const kept = [...tokens];
  while (kept.length > 2 && suffixesAnywhere.has(tokenKey(kept[kept.length - 1] ?? ''))) kept.pop();
  return kept;
}

function parseFullName(raw: string | null): NormalisedPersonName {
  const text = nameText(raw);
  if (text === null) return emptyName;
  const fixCase = needsCaseFix(text);

  // Drop ", Jr." / ", PhD" parts; then one comma left means "Last, First".
  const parts = text.split(',').map((part) => part.trim()).filter((part) => part !== '');
  while (parts.length > 1 && (parts[parts.length - 1] ?? '').split(' ').every((token) => suffixesAfterComma.has(tokenKey(token)))) parts.pop();
  if (parts.length > 2) return emptyName;

  if (parts.length === 2) {
    const lastPart = takeHonorifics((parts[0] ?? '').split(' '));
    const firstPart = takeHonorifics((parts[1] ?? '').split(' '));
    return {
      firstName: render(firstPart.rest, 'first', fixCase),
      lastName: render(lastPart.rest, 'last', fixCase),
      honorific: firstPart.honorific ?? lastPart.honorific,
    };
  }

  const { honorific, rest } = takeHonorifics((parts[0] ?? '').split(' '));
  const tokens = dropTrailingSuffixes(rest);
  if (tokens.length === 0) return { ...emptyName, honorific };
  // "Dr. Bergmann", "Frau Müller": after a form of address, a lone word is the surname.
  if (tokens.length === 1) {
    return honorific !== null
      ? { firstName: null, lastName: render(tokens, 'last', fixCase), honorific }
      : { firstName: render(tokens, 'first', fixCase), lastName: null, honorific };
  }
  let split = tokens.length - 1;
  for (let i = 1; i < tokens.length - 1; i += 1) {
    if (surnameParticles.has(tokenKey(tokens[i] ?? ''))) {
      split = i;
      break;
    }
  }
  return {
    firstName: render(tokens.slice(0, split), 'first', fixCase),
    lastName: render(tokens.slice(split), 'last', fixCase),
    honorific,
  };
}

function parseNameField(raw: string | null, role: 'first' | 'last'): { name: string | null; honorific: string | null } {
  const text = nameText(raw);
  if (text === null) return { name: null, honorific: null };
  const fixCase = needsCaseFix(text);
  const withoutSuffix = text.split(',').filter((part, index) => index === 0 || !part.trim().split(' ').every((token) => suffixesAfterComma.has(tokenKey(token))));
  const tokens = withoutSuffix.join(',').trim().split(' ');
  const { honorific, rest } = role === 'first' ? takeHonorifics(tokens) : { honorific: null, rest: tokens };
  return { name: render(rest, role, fixCase), honorific };
}

function render(tokens: readonly string[], role: 'first' | 'last', fixCase: boolean): string | null {
  const words = tokens.filter((token) => token !== '');
  if (words.length === 0) return null;
  if (!fixCase) return words.join(' ');
  return words
    .map((word, index) => {
      const lower = word.toLowerCase();
      const followedBySurname = index < words.length - 1;
      if (role === 'last' && followedBySurname && lowercaseParticles.has(fold(lower))) return lower;
      // Spanish "de la Cruz", "de los Santos": the article after a particle stays lowercase too.
      if (role === 'last' && followedBySurname && /^(la|las|los)$/.test(lower) && index > 0 && lowercaseParticles.has(fold(words[index - 1] ?? '').toLowerCase())) return lower;
      return capitaliseWord(lower, role);
    })
    .join(' ');
}

// "o'neil" → "O'Neil", "mcdonald" → "McDonald", "mary-jane" → "Mary-Jane". French and Italian elision before a
// vowel is a particle ("d'Artagnan"); before a consonant it is part of the name ("D'Souza", "D'Costa").
// "Mac" is left alone: MacDonald, but also Machado and Macy.
function capitaliseWord(lower: string, role: 'first' | 'last'): string {
  const pieces = lower.split(/(['’-])/);
  return pieces
    .map((piece, index) => {
      const next = pieces[index + 2] ?? '';
      if (role === 'last' && index === 0 && /^[dl]$/.test(piece) && /^['’]$/.test(pieces[1] ?? '') && /^[aeiouyàâäéèêëîïôöûüh]/.test(next)) return piece;
      if (/['’-]/.test(piece)) return piece;
      const mc = /^mc(\p{L})(.*)$/u.exec(piece);
      if (mc) return `Mc${(mc[1] ?? '').toUpperCase()}${mc[2] ?? ''}`;
      return piece.charAt(0).toUpperCase() + piece.slice(1);
    })
    .join('');
}

// ---------------------------------------------------------------------------------------------------------
// Company name

export type NormalisedCompanyName = { name: string; matchKey: string };

type FormKey = { key: string; spaced: boolean };
const cjk = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const toFormKey = (form: string): FormKey => {
  const key = comparisonKey(form);
  return { key, spaced: !cjk.test(key) };
};
const byLengthDesc = (a: FormKey, b: FormKey): number => b.key.length - a.key.length;
const suffixForms: readonly FormKey[] = legalForms.filter((form) => form.position !== 'prefix').map((form) => toFormKey(form.form)).sort(byLengthDesc);
const prefixForms: readonly FormKey[] = legalForms.filter((form) => form.position === 'prefix').map((form) => toFormKey(form.form)).sort(byLengthDesc);
const legalFormKeys: ReadonlySet<string> = new Set([...suffixForms, ...prefixForms].map((form) => form.key));

export function normaliseCompanyName(raw: string | null | undefined): NormalisedCompanyName | null {
  const text = clean(raw, 300);
  if (text === null) return null;
  const name = text.replace(/^(["“”'])(.*)\1$/u, '$2').trim();
  const matchKey = companyMatchKey(name);
  return name !== '' && matchKey !== '' ? { name, matchKey } : null;
}

function companyMatchKey(name: string): string {
  // "Amazon.com, Inc." and "acme.com": a web address stands for its name part ("amazon", "acme").
  const withoutDomains = fold(name)
    .split(' ')
    .map((chunk) => domainNamePart(chunk) ?? chunk)
    .join(' ');
  const key = stripThe(comparisonKey(withoutDomains));
  let stripped = key;
  for (let round = 0; round < 10; round += 1) {
    const next = stripThe(stripDangling(stripLegalForm(stripped)));
    if (next === stripped) break;
    stripped = next;
  }
  return (stripped === '' ? key : stripped).replace(/&/g, 'and').replace(/ +/g, ' ').trim();
}

function domainNamePart(chunk: string): string | null {
  const host = chunk.replace(/^[("'[]+|[)"'\],.;:]+$/g, '');
  if (!/^(?:https?:\/\/)?(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}\/?$/.test(host)) return null;
  const parsed = parseHost(host);
  const label = parsed.domainWithoutSuffix;
  if (!parsed.isIcann || label === null || label.length < 2) return null;
  // "Co.KG", "Pty.Ltd" and "Co.Ltd" look like hosts (.kg and .ltd are real TLDs) but are legal forms.
  if (legalFormKeys.has(comparisonKey(label)) || legalFormKeys.has(comparisonKey(host))) return null;
  return label.replace(/\./g, ' ');
}

function stripLegalForm(key: string): string {
  for (const form of suffixForms) {
    if (key === form.key) continue;
    if (form.spaced ? key.endsWith(` ${form.key}`) : key.endsWith(form.key)) return key.slice(0, key.length - form.key.length).trim();
  }
  for (const form of prefixForms) {
    if (key === form.key) continue;
    if (form.spaced ? key.startsWith(`${form.key} `) : key.startsWith(form.key)) return key.slice(form.key.length).trim();
  }
  return key;
}

// "Smith & Co." loses "Co." and then its "&".
const stripDangling = (key: string): string => key.replace(/(?: (?:&|and|und|et|y))+$/, '').trim();
const stripThe = (key: string): string => key.replace(/^the /, '').replace(/ the$/, '').trim();

// ---------------------------------------------------------------------------------------------------------
// Domains

const freeMail: ReadonlySet<string> = new Set(freeMailDomains);

// The registrable domain ("acme.co.uk") of a URL, host name or email address. Private suffixes count
// ("acme.github.io" is Acme's, not GitHub's); unknown suffixes ("acme.internal") and IP addresses give null.
// Internationalised names come back in their ASCII (punycode) form, as accounts store them.
export function registrableDomain(urlOrEmailOrHost: string | null | undefined): string | null {
  let text = clean(urlOrEmailOrHost, 2048);
  if (text === null) return null;
  const bracketed = /<([^<>]*)>[^<>]*$/.exec(text);
  if (bracketed?.[1] !== undefined) text = bracketed[1].trim();
  text = text.replace(/^mailto:/i, '');
  // An email address: the host is after the last "@" (tldts would read "jane@" as URL credentials anyway).
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text) && text.includes('@')) text = text.slice(text.lastIndexOf('@') + 1);
  try {
    const parsed = parseHost(text, { allowPrivateDomains: true });
    if (parsed.domain === null || parsed.isIp === true || !(parsed.isIcann === true || parsed.isPrivate === true)) return null;
    const ascii = toAsciiHost(parsed.domain);
    return ascii !== null && domainNameSchema.safeParse(ascii).success ? ascii : null;
  } catch {
    return null;
  }
}

function toAsciiHost(host: string): string | null {
  if (/^[\x21-\x7e]+$/.test(host)) return host.toLowerCase();
  try {
    return new URL(`http://${host}`).hostname;
  } catch {
    return null;
  }
}

// True for consumer mailbox providers (gmail.com, web.de, orange.fr…): such a domain says nothing about a
// company. Takes a domain, a host or an email address.
export function isFreeMailDomain(domain: string | null | undefined): boolean {
  const text = clean(domain, 2048)?.toLowerCase();
  if (text === undefined) return false;
  const registrable = registrableDomain(text);
  return freeMail.has(text) || (registrable !== null && freeMail.has(registrable));
}

// ---------------------------------------------------------------------------------------------------------
// Country and time zone

const countryKey = (text: string): string => stripThe(comparisonKey(text.replace(/\./g, ' ')).replace(/ & /g, ' and '));
const countryIndex: ReadonlyMap<string, string> = new Map(
  countries.flatMap((country) => [country.alpha2, country.alpha3, ...country.names].map((name) => [countryKey(name), country.alpha2] as const)),
);

// ISO 3166-1 alpha-2 code from a code ("de", "DEU"), an English or local name ("Germany", "Deutschland",
// "U.S.", "UK") or a flag emoji. Only the countries in data/countries.ts are known; others give null.
export function countryFromInput(raw: string | null | undefined): string | null {
  const text = clean(raw, 100);
  if (text === null) return null;
  const flag = /^([\u{1F1E6}-\u{1F1FF}])([\u{1F1E6}-\u{1F1FF}])$/u.exec(text);
  if (flag) {
    const code = [flag[1], flag[2]].map((indicator) => String.fromCharCode((indicator?.codePointAt(0) ?? 0x1f1e6) - 0x1f1e6 + 65)).join('');
    return countries.some((country) => country.alpha2 === code) ? code : null;
  }
  return countryIndex.get(countryKey(text)) ?? null;
}

const cityIndex: ReadonlyMap<string, ReadonlyMap<string, string>> = new Map(
  Object.entries(multiZoneCountryCities).map(([country, groups]) => [
    country,
    new Map(groups.flatMap((group) => group.cities.map((city) => [countryKey(city), group.zone] as const))),
  ]),
);

export type TimeZoneInput = { country?: string | null; phoneE164?: string | null; city?: string | null };

// The IANA zone of a contact. A single-zone country gives its zone. A multi-zone country (US, CA, MX, BR, CL,
// ES, PT, RU, AU, NZ, ID) needs a city we know; a phone number cannot help, because libphonenumber-js carries
// no time-zone data, and an area code is not guessed into a zone here. Unknown → null, never a guess.
export function timeZoneFor(input: TimeZoneInput | null | undefined): string | null {
  if (typeof input !== 'object' || input === null) return null;
  const country = countryFromInput(input.country) ?? (typeof input.phoneE164 === 'string' ? normalisePhone(input.phoneE164)?.country ?? null : null);
  if (country === null) return null;
  const single = singleZoneCountries[country];
  if (single !== undefined) return runtimeZone(single);

  const cities = cityIndex.get(country);
  const city = clean(input.city, 200);
  if (cities === undefined || city === null) return null;
  // "Austin, TX" and "Berlin, Germany": try the whole text, then the part before the first comma.
  for (const candidate of [city, city.split(',')[0] ?? '']) {
    const zone = cities.get(countryKey(candidate));
    if (zone !== undefined) return runtimeZone(zone);
  }
  return null;
}

// The zone by its current name when the runtime can use it, else by an older name it lists; the result always
// passes timeZoneSchema.
function runtimeZone(zone: string): string | null {
  for (const spelling of [zone, ...(zoneAliases[zone] ?? [])]) {
    if (timeZoneSchema.safeParse(spelling).success) return spelling;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------------------
// Job title

export const departmentSchema = z.enum([
  'sales', 'marketing', 'engineering', 'product', 'operations', 'finance', 'hr', 'legal', 'it', 'customer_success', 'executive', 'procurement', 'other',
]);
export type Department = z.infer<typeof departmentSchema>;
export const senioritySchema = z.enum(['c_level', 'vp', 'director', 'head', 'manager', 'senior', 'individual', 'intern']);
export type Seniority = z.infer<typeof senioritySchema>;
export type JobTitleProfile = { department: Department | null; seniority: Seniority | null };

const seniorRule = seniorityRules.find((rule) => rule.seniority === 'senior');

export function jobTitleProfile(title: string | null | undefined): JobTitleProfile {
  const text = clean(title, 300);
  if (text === null) return { department: null, seniority: null };
  const folded = ` ${comparisonKey(text, 'space')} `;

  const rule = seniorityRules.find((candidate) => candidate.pattern.test(folded));
  let seniority: Seniority | null = rule?.seniority ?? null;
  if (rule?.kind === 'ic_manager' && seniorRule?.pattern.test(folded) === true) seniority = 'senior';

  // Earliest match wins; rules are listed most specific first, so a tie goes to the earlier rule.
  const matches = departmentRules
    .map((candidate, order) => ({ candidate, order, index: folded.search(candidate.pattern) }))
    .filter((match) => match.index >= 0)
    .filter((match) => rule?.kind !== 'assistant' || (match.candidate.kind === 'functional' && match.candidate.acronym !== true))
    .sort((a, b) => a.index - b.index || a.order - b.order);
  const pick = (kind: 'functional' | 'executive' | 'other'): Department | undefined => matches.find((match) => match.candidate.kind === kind)?.candidate.department;
  const department = pick('functional') ?? pick('executive') ?? pick('other') ?? (rule?.kind === 'assistant' ? 'other' : null);
  return { department, seniority };
}
