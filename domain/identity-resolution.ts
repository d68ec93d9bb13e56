// Identity resolver (issue #11): which person records are the same human. Three steps, all pure:
//   1. blocking — a few cheap keys per record; only records that share a key are compared (never all pairs);
//   2. comparison — a fuzzy comparator per field (names with nicknames and transliteration, companies, domains,
//      phones, titles), each giving a similarity in 0..1 or null when one side has nothing to compare;
//   3. scoring — Fellegi-Sunter evidence weights summed into a match probability, with an explanation per field,
//      then a band (merge automatically, review, keep apart) from thresholds each organisation may set.
//
// Why Fellegi-Sunter and not a weighted average: a missing field then counts as nothing (an average has to
// guess what "no phone" is worth), one strong identifier (the same email, the same LinkedIn profile) can carry a
// pair on its own, and disagreement can count against a pair by a different amount than agreement counts for it
// (two work emails differ all the time for one person; two given names almost never do). Each field contributes
// log2(m/u) bits when it agrees and log2((1-m)/(1-u)) when it disagrees, where m = P(agree | same person) and
// u = P(agree | different people among candidate pairs); partial similarity interpolates between the two.
//
// One deliberate break from the model's independence assumption: company, domain, title and country are shared
// by colleagues, and phones by switchboards and families, so they only corroborate a name. They add evidence
// only as far as the names agree (phone: unless the names disagree); their negative evidence always counts.
import { z } from 'zod';

import { nicknameGroups } from './data/nicknames.ts';
import { cyrillicToLatin, expandedLetters, greekToLatin, latinSkeletonRules, plainLetters } from './data/transliteration.ts';
import { ValidationError } from './errors.ts';
import {
  type JobTitleProfile,
  type Seniority,
  countryFromInput,
  isFreeMailDomain,
  jobTitleProfile,
  normaliseCompanyName,
  normaliseEmail,
  normalisePhone,
  registrableDomain,
} from './lead-normalisation.ts';

export type PersonRecord = {
  id: string;
  firstName: string | null;
  lastName: string | null;
  emails: string[];
  phoneE164: string | null;
  linkedinUrl: string | null;
  companyName: string | null;
  companyDomain: string | null;
  title: string | null;
  country: string | null;
};

export const matchFieldSchema = z.enum(['email', 'phone', 'linkedin', 'name', 'company', 'domain', 'title', 'country']);
export type MatchField = z.infer<typeof matchFieldSchema>;
export type FieldOutcome = 'agrees' | 'disagrees' | 'missing';
export type FieldEvidence = {
  field: MatchField;
  outcome: FieldOutcome;
  similarity: number | null;
  // What this field added to the pair's log2 odds of being one person (0 when missing or not counted).
  weight: number;
  explanation: string;
};
export type PairScore = { score: number; fields: FieldEvidence[] };

// m = P(field agrees | same person), u = P(field agrees | different people that share a blocking key).
export type FieldWeight = { m: number; u: number };
export type MatchWeights = Record<MatchField, FieldWeight>;

export const defaultWeights: MatchWeights = {
  // Half of true duplicates share an address (the rest are work vs private, old vs new job); a shared address
  // between different people is a shared mailbox. +10 / −1 bits.
  email: { m: 0.5, u: 0.0005 },
  // A profile URL is nearly unique and people rarely have two. +12.2 / −4.3 bits.
  linkedin: { m: 0.95, u: 0.0002 },
  // Mobile vs office numbers differ often; switchboards are shared. +5.6 / −1 bits.
  phone: { m: 0.5, u: 0.01 },
  // After nicknames, transliteration and initials are handled, one person's names almost always agree. +6 / −5.6 bits.
  name: { m: 0.98, u: 0.015 },
  // People change jobs, and candidates often come from the same company: weak either way. +3 / −2.2 bits.
  company: { m: 0.8, u: 0.1 },
  domain: { m: 0.8, u: 0.05 },
  // Titles are written a hundred ways and change with promotions. +1.7 / −0.8 bits.
  title: { m: 0.5, u: 0.15 },
  // Most candidates live in the same few markets; a different country is a fair sign of a different person. +1.2 / −2.9 bits.
  country: { m: 0.92, u: 0.4 },
};

// Log2 odds that a candidate pair is one person before any field is looked at (about 1 in 17).
export const matchPriorBits = -4;

export const matchThresholdsSchema = z
  .object({ merge: z.number().min(0).max(1), review: z.number().min(0).max(1) })
  .refine((thresholds) => thresholds.review <= thresholds.merge, { message: 'review must not be above merge' });
export type MatchThresholds = z.infer<typeof matchThresholdsSchema>;

// 0.95 ≈ +4.2 bits after the prior: a full name plus a shared work domain, or a shared address alone.
// 0.6 ≈ +0.6 bits: a matching name with nothing against it goes to a person, not to the merge.
export const defaultThresholds: MatchThresholds = { merge: 0.95, review: 0.6 };

export type MatchBand = 'merge' | 'review' | 'keep_apart';

export function band(score: number, thresholds: MatchThresholds = defaultThresholds): MatchBand {
  if (score >= thresholds.merge) return 'merge';
  if (score >= thresholds.review) return 'review';
  return 'keep_apart';
}

// ---------------------------------------------------------------------------------------------------------
// Jaro-Winkler

// Jaro similarity with Winkler's prefix bonus (p = 0.1, up to four characters, only above a Jaro of 0.7 as
// Winkler proposed). Compares code points, so letters outside the BMP count once. 1 for two empty strings.
export function jaroWinkler(a: string, b: string): number {
  if (a === b) return 1;
  const s = Array.from(a);
  const t = Array.from(b);
  if (s.length === 0 || t.length === 0) return 0;
  const reach = Math.max(0, Math.floor(Math.max(s.length, t.length) / 2) - 1);
  const sMatched: boolean[] = new Array<boolean>(s.length).fill(false);
  const tMatched: boolean[] = new Array<boolean>(t.length).fill(false);
  let matches = 0;
  for (let i = 0; i < s.length; i += 1) {
    const from = Math.max(0, i - reach);
    const to = Math.min(t.length - 1, i + reach);
    for (let j = from; j <= to; j += 1) {
      if (tMatched[j] === true || s[i] !== t[j]) continue;
      sMatched[i] = true;
      tMatched[j] = true;
      matches += 1;
      break;
    }
  }
  if (matches === 0) return 0;
  let transpositions = 0;
  let k = 0;
  for (let i = 0; i < s.length; i += 1) {
    if (sMatched[i] !== true) continue;
    while (tMatched[k] !== true) k += 1;
    if (s[i] !== t[k]) transpositions += 1;
    k += 1;
  }
  const jaro = (matches / s.length + matches / t.length + (matches - transpositions / 2) / matches) / 3;
  if (jaro <= 0.7) return jaro;
  let prefix = 0;
  while (prefix < 4 && prefix < s.length && prefix < t.length && s[prefix] === t[prefix]) prefix += 1;
  return jaro + prefix * 0.1 * (1 - jaro);
}

// ---------------------------------------------------------------------------------------------------------
// Spelling: transliteration, folding, skeleton

const invisible = /[\u200B-\u200D\u2060\uFEFF\u00AD]/g;
const combiningMarks = /[\u0300-\u036f]/g;

function cleanText(raw: unknown, maxLength = 300): string | null {
  if (typeof raw !== 'string') return null;
  const text = raw.normalize('NFC').replace(invisible, '').replace(/\s+/gu, ' ').trim();
  return text.length > 0 && text.length <= maxLength ? text : null;
}

function mapLetters(text: string, table: Readonly<Record<string, string>>): string {
  let out = '';
  for (const letter of text) out += table[letter] ?? letter;
  return out;
}

// Lowercase Latin words for comparing: Cyrillic and Greek transliterated, accents gone, apostrophes dropped
// ("O'Neil" → "oneil"), any other punctuation a space. 'expanded' writes ä/ö/ü/ø/å as ae/oe/ue/oe/aa.
function spell(text: string, umlauts: 'plain' | 'expanded'): string {
  // Cyrillic first, on composed letters: NFKD would split й and ё into и/е plus a mark.
  let out = mapLetters(text.toLowerCase(), cyrillicToLatin);
  if (umlauts === 'expanded') out = mapLetters(out, expandedLetters);
  out = mapLetters(out, plainLetters).normalize('NFKD').replace(combiningMarks, '');
  return mapLetters(out, greekToLatin)
    .replace(/['’`´ʼ]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

function skeleton(token: string): string {
  let out = token;
  for (const [pattern, replacement] of latinSkeletonRules) out = out.replace(pattern, replacement);
  return out;
}

const unique = <T>(values: Iterable<T>): T[] => [...new Set(values)];
const intersects = <T>(a: readonly T[] | ReadonlySet<T>, b: ReadonlySet<T>): boolean => {
  for (const value of a) if (b.has(value)) return true;
  return false;
};

// ---------------------------------------------------------------------------------------------------------
// Person names

export type NamePart = 'given' | 'family';

type PreparedName = {
  display: string;
  plain: string; // plain spelling, words joined without spaces
  spellings: ReadonlySet<string>; // plain and expanded, joined
  skeletons: ReadonlySet<string>;
  tokens: readonly string[]; // skeleton tokens, for "García" ⊂ "García López"
  initials: string | null; // "J." or "J. P." → "j" / "jp"
  firstLetters: string; // first letter of each word
  groups: ReadonlySet<number>; // nickname groups, used when the name is compared as a given name
  sound: string; // phonetic key of the whole name, for blocking
  wordSounds: readonly string[]; // phonetic keys of its words without particles ("van der Berg" → Berg), for blocking
};

const nicknameIndex: ReadonlyMap<string, readonly number[]> = (() => {
  const index = new Map<string, number[]>();
  nicknameGroups.forEach((entry, id) => {
    for (const name of entry.names) {
      const key = skeleton(spell(name, 'plain').replace(/ /g, ''));
      const ids = index.get(key) ?? [];
      if (!ids.includes(id)) ids.push(id);
      index.set(key, ids);
    }
  });
  return index;
})();

const hasExpandableLetters = /[äöüøåæœßÄÖÜØÅÆŒẞ]/;

function prepareName(raw: string | null | undefined): PreparedName | null {
  const display = cleanText(raw);
  if (display === null) return null;
  const plainWords = spell(display, 'plain').split(' ').filter((word) => word !== '');
  if (plainWords.length === 0) return null;
  const expandedWords = hasExpandableLetters.test(display) ? spell(display, 'expanded').split(' ').filter((word) => word !== '') : plainWords;
  const skeletonOf = new Map([...plainWords, ...expandedWords].map((word) => [word, skeleton(word)]));
  const skeletonWords = (words: readonly string[]): string[] => words.map((word) => skeletonOf.get(word) ?? word);
  const plain = plainWords.join('');
  const expanded = expandedWords.join('');
  const tokens = unique(skeletonOf.values());
  const skeletons = new Set([skeletonWords(plainWords).join(''), skeletonWords(expandedWords).join('')]);
  // Looked up for family names too: a swapped record has its given name in the family-name field.
  const groups = new Set<number>();
  for (const key of [...skeletons, skeletonOf.get(plainWords[0] ?? '') ?? '']) for (const id of nicknameIndex.get(key) ?? []) groups.add(id);
  return {
    display,
    plain,
    spellings: new Set([plain, expanded]),
    skeletons,
    tokens,
    initials: plainWords.every((word) => word.length === 1) ? plain : null,
    firstLetters: plainWords.map((word) => word.charAt(0)).join(''),
    groups,
    sound: phoneticKey(plain),
    wordSounds: unique(plainWords.filter((word) => !surnameParticles.has(word)).map(phoneticKey).filter((key) => key !== '')),
  };
}

type NameComparison = { similarity: number; reason: string };

function compareNames(a: PreparedName, b: PreparedName, part: NamePart): NameComparison {
  if (a.plain === b.plain) return { similarity: 1, reason: 'same' };
  if (intersects(a.spellings, b.spellings)) return { similarity: 1, reason: 'same, umlauts written out' };
  if (intersects(a.skeletons, b.skeletons)) return { similarity: 0.97, reason: 'spelling or transliteration variant' };
  if (a.initials !== null || b.initials !== null) {
    const [short, long] = a.initials !== null ? [a, b] : [b, a];
    const initials = short.initials ?? '';
    const compatible = long.initials !== null ? long.plain.startsWith(initials) || initials.startsWith(long.plain) : long.firstLetters.startsWith(initials);
    return compatible ? { similarity: 0.8, reason: 'initial fits' } : { similarity: 0.2, reason: 'different initial' };
  }
  const [fewer, more] = a.tokens.length <= b.tokens.length ? [a, b] : [b, a];
  const moreTokens = new Set(more.tokens);
  if (fewer.tokens.length < more.tokens.length && fewer.tokens.some((token) => token.length >= 3) && fewer.tokens.every((token) => moreTokens.has(token))) {
    return { similarity: 0.9, reason: 'one name is part of the other' };
  }
  if (part === 'given' && intersects(a.groups, b.groups)) return { similarity: 0.95, reason: 'nickname' };
  let best = 0;
  for (const x of a.spellings) for (const y of b.spellings) best = Math.max(best, jaroWinkler(x, y));
  for (const x of a.skeletons) for (const y of b.skeletons) best = Math.max(best, jaroWinkler(x, y));
  // Unrelated names of similar length already score 0.75–0.85 ("Sharma"/"Schäfer" 0.84), so the bottom of the
  // Jaro-Winkler range is noise: 0.8 and below count as 0, a one-letter slip in a long name lands near 0.85.
  const similarity = Math.max(0, (best - 0.8) / 0.2);
  // Both are names we know and they are not forms of each other: "Christian" and "Christina" look alike but are two people.
  if (part === 'given' && a.groups.size > 0 && b.groups.size > 0) return { similarity: Math.min(similarity, 0.5), reason: 'different names' };
  return { similarity, reason: similarity >= 0.7 ? 'similar spelling' : 'different' };
}

// Similarity of two given names (part 'given', with nicknames) or two family names: 1 for the same name in any
// spelling convention (Müller/Mueller, Сергей/Sergey), 0.97 for transliteration variants, 0.95 for nicknames,
// 0.9 when one is part of the other, 0.8 for a fitting initial, otherwise Jaro-Winkler rescaled so that 0.8 and
// below count as 0 (at most 0.5 for two listed given names that are not forms of each other). Null if one is empty.
export function nameSimilarity(a: string | null | undefined, b: string | null | undefined, part: NamePart = 'given'): number | null {
  const x = prepareName(a);
  const y = prepareName(b);
  return x === null || y === null ? null : compareNames(x, y, part).similarity;
}

// ---------------------------------------------------------------------------------------------------------
// Companies

type PreparedCompany = { display: string; key: string; joined: string; tokens: readonly string[]; distinctive: readonly string[]; acronym: string };

// Words that many unrelated companies share; comparing without them keeps "Acme Solutions" close to "Acme" and
// "Acme Solutions" far from "Beta Solutions".
const genericCompanyWords: ReadonlySet<string> = new Set([
  'and', 'of', 'the', 'group', 'gruppe', 'groupe', 'grupo', 'gruppo', 'holding', 'holdings', 'international', 'global', 'solutions',
  'solution', 'services', 'service', 'consulting', 'consultants', 'technologies', 'technology', 'tech', 'systems', 'software',
  'partners', 'labs', 'digital', 'industries', 'enterprises', 'management', 'deutschland', 'germany', 'france', 'europe', 'uk',
  'usa', 'america', 'worldwide', 'networks',
]);

function prepareCompany(raw: string | null | undefined): PreparedCompany | null {
  const normalised = normaliseCompanyName(raw);
  if (normalised === null) return null;
  const key = normalised.matchKey;
  const tokens = key.split(' ').filter((token) => token !== '');
  const distinctive = tokens.filter((token) => !genericCompanyWords.has(token));
  const significant = tokens.filter((token) => token !== 'and' && token !== 'of' && token !== 'the');
  return {
    display: normalised.name,
    key,
    joined: tokens.join(''),
    tokens,
    distinctive: distinctive.length > 0 ? distinctive : tokens,
    acronym: significant.length >= 2 ? significant.map((token) => token.charAt(0)).join('') : '',
  };
}

// Monge-Elkan in both directions: each token's best Jaro-Winkler partner, near-misses below 0.88 counted as 0.
function tokenSetSimilarity(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  const oneWay = (from: readonly string[], to: readonly string[]): number =>
    from.reduce((sum, token) => {
      const best = Math.max(...to.map((other) => jaroWinkler(token, other)));
      return sum + (best >= 0.88 ? best : 0);
    }, 0) / from.length;
  return (oneWay(a, b) + oneWay(b, a)) / 2;
}

function compareCompanies(a: PreparedCompany, b: PreparedCompany): NameComparison {
  if (a.key === b.key) return { similarity: 1, reason: 'same name' };
  if (a.joined === b.joined) return { similarity: 0.98, reason: 'same name, spaced differently' };
  if (a.distinctive.join(' ') === b.distinctive.join(' ')) return { similarity: 0.95, reason: 'same apart from generic words' };
  const [single, multi] = a.tokens.length === 1 ? [a, b] : [b, a];
  if (single.tokens.length === 1 && multi.acronym.length >= 2 && single.key === multi.acronym) return { similarity: 0.9, reason: 'acronym' };
  const similarity = tokenSetSimilarity(a.distinctive, b.distinctive);
  return { similarity, reason: similarity >= 0.88 ? 'similar names' : 'different names' };
}

// Company names after legal forms are stripped ("ACME GmbH" = "Acme"), then token by token. Null if one is empty.
export function companySimilarity(a: string | null | undefined, b: string | null | undefined): number | null {
  const x = prepareCompany(a);
  const y = prepareCompany(b);
  return x === null || y === null ? null : compareCompanies(x, y).similarity;
}

// ---------------------------------------------------------------------------------------------------------
// Domains, phones, LinkedIn, titles, countries

type DomainInput = string | null | undefined | readonly (string | null | undefined)[];

// The registrable domain of a URL, host or email address if it says where someone works (not free mail).
function workDomainOf(value: string | null | undefined): string | null {
  const domain = registrableDomain(value);
  return domain !== null && !isFreeMailDomain(domain) ? domain : null;
}

function workDomains(input: DomainInput, domainOf: (value: string | null | undefined) => string | null = workDomainOf): string[] {
  const values = typeof input === 'string' ? [input] : input === null || input === undefined ? [] : input;
  return unique(values.map(domainOf).filter((domain) => domain !== null));
}

const domainLabel = (domain: string): string => domain.split('.')[0] ?? domain;

function compareDomains(a: readonly string[], b: readonly string[]): number | null {
  if (a.length === 0 || b.length === 0) return null;
  if (a.some((domain) => b.includes(domain))) return 1;
  // acme.de and acme.com: usually one company in two countries.
  const labels = new Set(b.map(domainLabel));
  return a.some((domain) => labels.has(domainLabel(domain))) ? 0.8 : 0;
}

// 1 for a shared work domain, 0.8 for the same name under another suffix (acme.de / acme.com), 0 otherwise;
// null when a side has no work domain (free-mail domains such as gmail.com say nothing about an employer).
export function domainAgreement(a: DomainInput, b: DomainInput): number | null {
  return compareDomains(workDomains(a), workDomains(b));
}

function phoneKey(raw: string | null | undefined): string | null {
  const text = cleanText(raw, 100);
  if (text === null) return null;
  const compact = text.replace(/[\s().\-/]/g, '');
  if (/^\+[1-9]\d{5,14}$/.test(compact)) return compact;
  return normalisePhone(text)?.e164 ?? null;
}

// 1 for the same number, 0 for different ones, null when one is missing or unreadable. Takes E.164 (fast) or
// anything with a country code.
export function phoneAgreement(a: string | null | undefined, b: string | null | undefined): number | null {
  const x = phoneKey(a);
  const y = phoneKey(b);
  return x === null || y === null ? null : x === y ? 1 : 0;
}

// "https://de.linkedin.com/in/Jane-Doe-123/?trk=x" → "jane-doe-123"; null for anything that is not a profile.
export function linkedinProfileKey(url: string | null | undefined): string | null {
  const text = cleanText(url, 2000);
  if (text === null) return null;
  const match = /(?:^|[/.])linkedin\.com\/(?:mwlite\/)?in\/([^/?#\s]+)/i.exec(text);
  if (match?.[1] === undefined) return null;
  let slug = match[1];
  try {
    slug = decodeURIComponent(slug);
  } catch {
    // Keep the raw slug.
  }
  return slug.normalize('NFC').toLowerCase();
}

type PreparedTitle = { display: string; folded: string; tokens: readonly string[]; profile: JobTitleProfile };

const seniorityOrder: readonly Seniority[] = ['intern', 'individual', 'senior', 'manager', 'head', 'director', 'vp', 'c_level'];

function prepareTitle(raw: string | null | undefined): PreparedTitle | null {
  const display = cleanText(raw);
  if (display === null) return null;
  const folded = spell(display, 'plain');
  if (folded === '') return null;
  return { display, folded, tokens: folded.split(' '), profile: jobTitleProfile(display) };
}

function compareTitles(a: PreparedTitle, b: PreparedTitle): number {
  if (a.folded === b.folded) return 1;
  const parts: number[] = [];
  if (a.profile.department !== null && b.profile.department !== null) parts.push(a.profile.department === b.profile.department ? 1 : 0);
  if (a.profile.seniority !== null && b.profile.seniority !== null) {
    const distance = Math.abs(seniorityOrder.indexOf(a.profile.seniority) - seniorityOrder.indexOf(b.profile.seniority));
    parts.push(distance === 0 ? 1 : distance === 1 ? 0.5 : 0);
  }
  if (parts.length === 0) return tokenSetSimilarity(a.tokens, b.tokens);
  return parts.reduce((sum, part) => sum + part, 0) / parts.length;
}

// Titles by what they say about the job: department and seniority from jobTitleProfile ("VP Sales" and "Vice
// President of Sales" agree; seniority one step apart counts half), words when neither says anything we know.
export function titleSimilarity(a: string | null | undefined, b: string | null | undefined): number | null {
  const x = prepareTitle(a);
  const y = prepareTitle(b);
  return x === null || y === null ? null : compareTitles(x, y);
}

function countryKey(raw: string | null | undefined): string | null {
  const text = cleanText(raw, 100);
  return text === null ? null : (countryFromInput(text) ?? spell(text, 'plain'));
}

// 1 for the same country ("DE", "Germany", "Deutschland" are one), 0 for different ones, null when one is missing.
export function countryAgreement(a: string | null | undefined, b: string | null | undefined): number | null {
  const x = countryKey(a);
  const y = countryKey(b);
  return x === null || y === null ? null : x === y ? 1 : 0;
}

// ---------------------------------------------------------------------------------------------------------
// Prepared records: everything normalised once, so blocking and scoring stay cheap per pair.

type Prepared = {
  record: PersonRecord;
  emailKeys: readonly string[];
  workDomains: readonly string[];
  phone: string | null;
  linkedin: string | null;
  first: PreparedName | null;
  last: PreparedName | null;
  company: PreparedCompany | null;
  title: PreparedTitle | null;
  country: string | null;
};

// One cache per text field for the length of one call: first names, companies, titles and countries repeat a
// lot across an organisation's records, and their preparation costs more than a comparison.
function cached<T>(make: (raw: string | null | undefined) => T): (raw: string | null | undefined) => T {
  const cache = new Map<string, T>();
  return (raw) => {
    if (typeof raw !== 'string') return make(raw);
    if (cache.has(raw)) return cache.get(raw) as T;
    const made = make(raw);
    cache.set(raw, made);
    return made;
  };
}

function preparer(): (record: PersonRecord) => Prepared {
  const name = cached(prepareName);
  const company = cached(prepareCompany);
  const title = cached(prepareTitle);
  const country = cached(countryKey);
  const domainOf = cached(workDomainOf);
  return (record) => {
    const emails = (Array.isArray(record.emails) ? record.emails : []).map((email) => normaliseEmail(email)).filter((email) => email !== null);
    return {
      record,
      emailKeys: unique(emails.map((email) => email.matchKey)),
      workDomains: workDomains([record.companyDomain, ...emails.map((email) => email.domain)], domainOf),
      phone: phoneKey(record.phoneE164),
      linkedin: linkedinProfileKey(record.linkedinUrl),
      first: name(record.firstName),
      last: name(record.lastName),
      company: company(record.companyName),
      title: title(record.title),
      country: country(record.country),
    };
  };
}

const prepare = (record: PersonRecord): Prepared => preparer()(record);

// ---------------------------------------------------------------------------------------------------------
// Blocking

// A Soundex variant on the Latin skeleton: the first letter is coded like the others (vowels as "V"), so
// "Christina"/"Kristina" and "Philipp"/"Filip" share a code. Four characters.
const soundexCodes: Readonly<Record<string, string>> = {
  b: '1', f: '1', p: '1', v: '1', c: '2', g: '2', j: '2', k: '2', q: '2', s: '2', x: '2', z: '2', d: '3', t: '3', l: '4', m: '5', n: '5', r: '6',
};

function phoneticKey(word: string): string {
  const letters = skeleton(word).replace(/[^a-z]/g, '');
  if (letters === '') return '';
  let key = soundexCodes[letters.charAt(0)] ?? 'V';
  let previous = soundexCodes[letters.charAt(0)] ?? '';
  for (const letter of letters.slice(1)) {
    if (key.length >= 4) break;
    if (letter === 'h' || letter === 'w') continue;
    const code = soundexCodes[letter] ?? '';
    if (code !== '' && code !== previous) key += code;
    previous = code;
  }
  return key;
}

const surnameParticles: ReadonlySet<string> = new Set([
  'van', 'von', 'der', 'den', 'de', 'del', 'della', 'di', 'da', 'das', 'do', 'dos', 'du', 'des', 'la', 'le', 'ter', 'ten', 'zu', 'zum', 'zur', 'vom', 'af', 'al', 'bin', 'ibn', 'y', 'e',
]);

// The keys, and why these: exact identifiers (em:, ph:, li:) find the same address, number or profile however
// the names are written. "lo:" (the sound of a name + employer, from a work domain's name or the company's first
// distinctive word) finds one person written two ways at one company (Müller/Mueller, j.mueller@/juergen.mueller@,
// "Yilmaz, M.") and stays small because few people at one company share a name sound. "fl:" (given-name nickname group or sound +
// surname sound) finds the same person with a private address or at a new company (Bob Smith @gmail, Robert Smith
// @acme). "nm:" (first three skeleton letters of each name, in either order) backs up spelling slips that change
// a sound code and swapped first/last names. Each key on its own is rare, so most pairs share none.
export function blockingKeys(record: PersonRecord): string[] {
  return keysOf(prepare(record));
}

function keysOf(person: Prepared): string[] {
  const keys: string[] = [];
  for (const email of person.emailKeys) keys.push(`em:${email}`);
  if (person.phone !== null) keys.push(`ph:${person.phone}`);
  if (person.linkedin !== null) keys.push(`li:${person.linkedin}`);
  const surnames = person.last?.wordSounds ?? [];
  // "bauer-technik.de" also as "bauer", to meet "Bauer Technik GmbH" written without a domain.
  const organisations = unique([
    ...person.workDomains.flatMap((domain) => [domainLabel(domain), domainLabel(domain).split('-')[0] ?? '']),
    ...(person.company?.distinctive[0] !== undefined ? [person.company.distinctive[0]] : []),
  ]).filter((organisation) => organisation.length >= 2);
  // Both name parts: a surname-first list puts the surname in the given-name field.
  const nameSounds = unique([...surnames, ...(person.first !== null && person.first.initials === null ? person.first.wordSounds : [])]);
  for (const sound of nameSounds) for (const organisation of organisations) keys.push(`lo:${sound}|${organisation}`);
  if (person.first !== null && person.first.initials === null) {
    const givenKeys = [...[...person.first.groups].map((id) => `g${id}`), `p${person.first.sound}`];
    for (const given of givenKeys) for (const surname of surnames) keys.push(`fl:${given}|${surname}`);
  }
  if (person.first !== null && person.last !== null) {
    const pair = [[...person.first.skeletons][0] ?? '', [...person.last.skeletons][0] ?? ''].map((key) => key.slice(0, 3)).sort();
    keys.push(`nm:${pair.join('|')}`);
  }
  return unique(keys);
}

export type SkippedBlock = { key: string; size: number };
export type CandidatePairs = { pairs: Array<[number, number]>; skippedBlocks: SkippedBlock[] };

// A block this big is a shared mailbox, a switchboard or a very common name at a very large employer; comparing
// all its pairs costs quadratic time for little gain, so it is skipped and reported instead.
export const defaultMaxBlockSize = 200;

// Index pairs [i, j] (i < j, each pair once, sorted) of records that share at least one blocking key.
export function candidatePairs(records: readonly PersonRecord[], options: { maxBlockSize?: number } = {}): CandidatePairs {
  return pairsOf(records.map(preparer()), options.maxBlockSize ?? defaultMaxBlockSize);
}

function pairsOf(people: readonly Prepared[], maxBlockSize: number): CandidatePairs {
  const blocks = new Map<string, number[]>();
  people.forEach((person, index) => {
    for (const key of keysOf(person)) {
      const block = blocks.get(key);
      if (block === undefined) blocks.set(key, [index]);
      else block.push(index);
    }
  });
  const count = people.length;
  const codes = new Set<number>();
  const skippedBlocks: SkippedBlock[] = [];
  for (const [key, members] of blocks) {
    if (members.length < 2) continue;
    if (members.length > maxBlockSize) {
      skippedBlocks.push({ key, size: members.length });
      continue;
    }
    // Members are in ascending index order, so x < y gives i < j.
    for (let x = 0; x < members.length; x += 1) {
      for (let y = x + 1; y < members.length; y += 1) codes.add((members[x] ?? 0) * count + (members[y] ?? 0));
    }
  }
  const pairs = [...codes].sort((p, q) => p - q).map((code): [number, number] => [Math.floor(code / count), code % count]);
  skippedBlocks.sort((p, q) => q.size - p.size || p.key.localeCompare(q.key));
  return { pairs, skippedBlocks };
}

// ---------------------------------------------------------------------------------------------------------
// Scoring

type Bits = { agree: number; disagree: number };

const probability = (value: number): number => Math.min(1 - 1e-6, Math.max(1e-6, Number.isFinite(value) ? value : 0.5));
function bitsOf(weight: FieldWeight): Bits {
  const m = probability(weight.m);
  const u = probability(weight.u);
  return { agree: Math.log2(m / u), disagree: Math.log2((1 - m) / (1 - u)) };
}

// Below `low` a similarity is full disagreement, from `high` full agreement, linear in between.
const similarityBands: Readonly<Record<MatchField, readonly [number, number]>> = {
  email: [0, 1],
  phone: [0, 1],
  linkedin: [0, 1],
  name: [0.7, 0.85],
  company: [0.6, 0.88],
  domain: [0.5, 0.95],
  title: [0.3, 0.8],
  country: [0, 1],
};

// Shared by colleagues (and relatives): they back up a name but never stand in for one.
const contextFields: ReadonlySet<MatchField> = new Set(['company', 'domain', 'title', 'country']);

type Scale = { agree?: number; disagree?: number };

// `strength`: how far the field agrees, 0..1 (its place in the similarity band, times any agreement discount).
type Evidence = FieldEvidence & { strength: number };

function evidence(field: MatchField, similarity: number | null, explanation: string, bits: Bits, scale: Scale = {}): Evidence {
  if (similarity === null) return { field, outcome: 'missing', similarity: null, weight: 0, explanation, strength: 0 };
  const [low, high] = similarityBands[field];
  const position = high <= low ? (similarity >= high ? 1 : 0) : Math.min(1, Math.max(0, (similarity - low) / (high - low)));
  const interpolated = bits.disagree + (bits.agree - bits.disagree) * position;
  const weight = interpolated >= 0 ? interpolated * (scale.agree ?? 1) : interpolated * (scale.disagree ?? 1);
  const strength = weight > 0 ? position * (scale.agree ?? 1) : 0;
  return { field, outcome: weight >= 0 ? 'agrees' : 'disagrees', similarity, weight, explanation, strength };
}

const missing = (what: string, a: unknown, b: unknown): string =>
  `${what} missing on ${(a === null || (Array.isArray(a) && a.length === 0)) && (b === null || (Array.isArray(b) && b.length === 0)) ? 'both sides' : 'one side'}`;
const fixed = (value: number): string => value.toFixed(2);
const listed = (values: readonly string[]): string => (values.length > 2 ? `${values.slice(0, 2).join(', ')} +${values.length - 2}` : values.join(', '));

function nameEvidence(a: Prepared, b: Prepared, bits: Bits): Evidence {
  const describe = (label: string, x: PreparedName, y: PreparedName, comparison: NameComparison): string =>
    `${label} "${x.display}" / "${y.display}": ${comparison.reason} (${fixed(comparison.similarity)})`;
  if (a.first !== null && b.first !== null && a.last !== null && b.last !== null) {
    const given = compareNames(a.first, b.first, 'given');
    const family = compareNames(a.last, b.last, 'family');
    // Both parts must agree, so their similarities multiply: an initial (0.8) next to a surname that is only
    // close (0.87) is weak evidence, not the 0.8 of the weaker part.
    const straight = given.similarity * family.similarity;
    const [low, high] = similarityBands.name;
    if (straight < high) {
      // "Müller Jürgen" from a surname-first list; a small discount, since some names work both ways round.
      const swapped = compareNames(a.first, b.last, 'given').similarity * compareNames(a.last, b.first, 'family').similarity * 0.97;
      if (swapped > straight && swapped > low) {
        return evidence('name', swapped, `given and family names swapped: "${a.first.display} ${a.last.display}" / "${b.first.display} ${b.last.display}" (${fixed(swapped)})`, bits);
      }
    }
    const explanation = `${describe('given', a.first, b.first, given)}; ${describe('family', a.last, b.last, family)}`;
    if (given.similarity >= high && family.similarity <= low) {
      return evidence('name', straight, `${explanation}; same given name under another surname (a changed name?) counts half`, bits, { disagree: 0.5 });
    }
    return evidence('name', straight, explanation, bits);
  }
  if (a.last !== null && b.last !== null) {
    const family = compareNames(a.last, b.last, 'family');
    return evidence('name', family.similarity, `${describe('family', a.last, b.last, family)}; given name missing on ${a.first === null && b.first === null ? 'both sides' : 'one side'}, a surname alone counts half`, bits, { agree: 0.5 });
  }
  if (a.first !== null && b.first !== null) {
    const given = compareNames(a.first, b.first, 'given');
    return evidence('name', given.similarity, `${describe('given', a.first, b.first, given)}; family name missing, a given name alone counts a quarter`, bits, { agree: 0.25, disagree: 0.5 });
  }
  return evidence('name', null, 'no comparable name parts', bits);
}

function scorePrepared(a: Prepared, b: Prepared, weights: MatchWeights): PairScore {
  const bits = (field: MatchField): Bits => bitsOf(weights[field]);

  const sharedEmail = a.emailKeys.find((key) => b.emailKeys.includes(key));
  const email =
    a.emailKeys.length === 0 || b.emailKeys.length === 0
      ? evidence('email', null, missing('address', a.emailKeys, b.emailKeys), bits('email'))
      : sharedEmail !== undefined
        ? evidence('email', 1, `same address ${sharedEmail}`, bits('email'))
        : evidence('email', 0, `different addresses: ${listed(a.emailKeys)} / ${listed(b.emailKeys)}`, bits('email'));

  const phone =
    a.phone === null || b.phone === null
      ? evidence('phone', null, missing('phone', a.phone, b.phone), bits('phone'))
      : evidence('phone', a.phone === b.phone ? 1 : 0, a.phone === b.phone ? `same number ${a.phone}` : `different numbers: ${a.phone} / ${b.phone}`, bits('phone'));

  const linkedin =
    a.linkedin === null || b.linkedin === null
      ? evidence('linkedin', null, missing('profile', a.linkedin, b.linkedin), bits('linkedin'))
      : evidence('linkedin', a.linkedin === b.linkedin ? 1 : 0, a.linkedin === b.linkedin ? `same profile /in/${a.linkedin}` : `different profiles: /in/${a.linkedin} / /in/${b.linkedin}`, bits('linkedin'));

  const name = nameEvidence(a, b, bits('name'));

  let company: Evidence;
  if (a.company === null || b.company === null) {
    company = evidence('company', null, missing('company', a.company, b.company), bits('company'));
  } else {
    const comparison = compareCompanies(a.company, b.company);
    company = evidence('company', comparison.similarity, `"${a.company.display}" / "${b.company.display}": ${comparison.reason} (${fixed(comparison.similarity)})`, bits('company'));
  }

  const domainSimilarity = compareDomains(a.workDomains, b.workDomains);
  const domain = evidence(
    'domain',
    domainSimilarity,
    domainSimilarity === null
      ? `${missing('work domain', a.workDomains, b.workDomains)} (free-mail domains do not count)`
      : domainSimilarity === 1
        ? `shared work domain ${a.workDomains.find((value) => b.workDomains.includes(value)) ?? ''}`
        : domainSimilarity > 0
          ? `same name under another suffix: ${listed(a.workDomains)} / ${listed(b.workDomains)}`
          : `different work domains: ${listed(a.workDomains)} / ${listed(b.workDomains)}`,
    bits('domain'),
  );

  let title: Evidence;
  if (a.title === null || b.title === null) {
    title = evidence('title', null, missing('title', a.title, b.title), bits('title'));
  } else {
    const similarity = compareTitles(a.title, b.title);
    const profile = (p: JobTitleProfile): string => `${p.department ?? '?'}/${p.seniority ?? '?'}`;
    title = evidence('title', similarity, `"${a.title.display}" (${profile(a.title.profile)}) / "${b.title.display}" (${profile(b.title.profile)}): ${fixed(similarity)}`, bits('title'));
  }

  const country =
    a.country === null || b.country === null
      ? evidence('country', null, missing('country', a.country, b.country), bits('country'))
      : evidence('country', a.country === b.country ? 1 : 0, a.country === b.country ? `both ${a.country}` : `${a.country} / ${b.country}`, bits('country'));

  const fields = [email, phone, linkedin, name, company, domain, title, country];
  // How far the name agrees, 0..1: context backs a name up only that far ("J. Smith" at Acme is not yet John Smith).
  const nameStrength = name.strength;
  for (const field of fields) {
    if (field.weight <= 0) continue;
    if (contextFields.has(field.field) && nameStrength === 0) {
      field.weight = 0;
      field.explanation += name.outcome === 'missing' ? ' — not counted: no name to back up' : ' — not counted: the names do not agree, and colleagues share this';
    } else if (contextFields.has(field.field) && nameStrength < 0.995) {
      field.weight *= nameStrength;
      field.explanation += ` — counted at ${Math.round(nameStrength * 100)}%, as far as the names agree`;
    } else if (field.field === 'phone' && name.outcome === 'disagrees') {
      field.weight = 0;
      field.explanation += ' — not counted: the names disagree (a switchboard or family line?)';
    }
  }
  const total = matchPriorBits + fields.reduce((sum, field) => sum + field.weight, 0);
  return {
    score: 1 / (1 + 2 ** -total),
    fields: fields.map(({ strength: _strength, ...field }) => ({
      ...field,
      similarity: field.similarity === null ? null : Math.round(field.similarity * 1000) / 1000,
      weight: Math.round(field.weight * 100) / 100,
    })),
  };
}

function withDefaults(weights: Partial<MatchWeights> | undefined): MatchWeights {
  return { ...defaultWeights, ...(weights ?? {}) };
}

// How likely two records are one person (0..1), with each field's evidence.
export function scorePair(a: PersonRecord, b: PersonRecord, weights?: Partial<MatchWeights>): PairScore {
  const prepareRecord = preparer();
  return scorePrepared(prepareRecord(a), prepareRecord(b), withDefaults(weights));
}

export type ResolvedPair = { a: string; b: string; score: number; band: MatchBand; fields: FieldEvidence[] };
export type ResolveOptions = { weights?: Partial<MatchWeights>; maxBlockSize?: number };

// Candidate pairs in the merge or review band, best first. Thresholds come from the organisation's settings.
// Blocks above maxBlockSize are skipped; candidatePairs() reports them.
export function resolve(records: readonly PersonRecord[], thresholds: MatchThresholds = defaultThresholds, options: ResolveOptions = {}): ResolvedPair[] {
  const valid = matchThresholdsSchema.safeParse(thresholds);
  if (!valid.success) throw new ValidationError(`Invalid match thresholds: ${valid.error.issues.map((issue) => issue.message).join('; ')}`);
  const weights = withDefaults(options.weights);
  const people = records.map(preparer());
  const { pairs } = pairsOf(people, options.maxBlockSize ?? defaultMaxBlockSize);
  const resolved: ResolvedPair[] = [];
  for (const [i, j] of pairs) {
    const a = people[i];
    const b = people[j];
    if (a === undefined || b === undefined) continue;
    const { score, fields } = scorePrepared(a, b, weights);
    const pairBand = band(score, valid.data);
    if (pairBand !== 'keep_apart') resolved.push({ a: a.record.id, b: b.record.id, score, band: pairBand, fields });
  }
  return resolved.sort((p, q) => q.score - p.score || p.a.localeCompare(q.a) || p.b.localeCompare(q.b));
}
