// The embedded default: no provider, no network. It derives only what the person's own data implies, by rules
// anyone can check: the company's domain from a work email, a company name from that domain when none was given,
// the time zone of a single-zone country (from the country, else the phone's), seniority and department from the
// title. It fills only empty fields (it knows nothing the input does not), and every value is marked 'derived'.
import { domainToUnicode } from 'node:url';
import { parse as parseHost } from 'tldts';
import { isFreeMailDomain, jobTitleProfile, normaliseEmail, registrableDomain, timeZoneFor } from '../../domain/lead-normalisation.ts';
import type { EnrichedField, EnrichedValue, EnrichmentRequest, EnrichmentResult, LeadEnricher } from './port.ts';

export interface OfflineEnricherOptions {
  /** The clock for each value's `at`. */
  now?: () => number;
}

export function createOfflineEnricher(options: OfflineEnricherOptions = {}): LeadEnricher {
  const now = options.now ?? Date.now;
  return {
    kind: 'offline',
    async enrich(request: EnrichmentRequest): Promise<EnrichmentResult> {
      const at = new Date(now()).toISOString();
      return { fields: derive(request.person).map(([field, value]): EnrichedValue => ({ field, value, source: 'offline', at, confidence: 'derived' })) };
    },
  };
}

function derive(person: EnrichmentRequest['person']): Array<[EnrichedField, string]> {
  const found: Array<[EnrichedField, string]> = [];
  const blank = (value: string | null) => !value?.trim();

  // A consumer mailbox (gmail.com, web.de…) says nothing about an employer.
  const emailDomain = normaliseEmail(person.email)?.domain ?? null;
  const workDomain = emailDomain !== null && !isFreeMailDomain(emailDomain) ? registrableDomain(emailDomain) : null;
  if (blank(person.companyDomain) && workDomain !== null) found.push(['companyDomain', workDomain]);

  if (blank(person.companyName)) {
    const domain = (blank(person.companyDomain) ? null : registrableDomain(person.companyDomain)) ?? workDomain;
    const name = domain !== null ? companyNameFromDomain(domain) : null;
    if (name !== null) found.push(['companyName', name]);
  }

  const timeZone = timeZoneFor({ country: person.country, phoneE164: person.phoneE164 });
  if (timeZone !== null) found.push(['timeZone', timeZone]);

  const profile = jobTitleProfile(person.title);
  if (profile.seniority !== null) found.push(['seniority', profile.seniority]);
  if (profile.department !== null) found.push(['department', profile.department]);
  return found;
}

// "acme.co.uk" → "Acme", "northwind-traders.com" → "Northwind-Traders", "xn--mnchen-3ya.de" → "München". Only a
// guess at the spelling ("ibm.com" gives "Ibm"), which is why the value is 'derived' and loses to any named source.
export function companyNameFromDomain(domain: string): string | null {
  const label = parseHost(domain, { allowPrivateDomains: true }).domainWithoutSuffix;
  if (!label || label.includes('.')) return null;
  const unicode = label.startsWith('xn--') ? domainToUnicode(`${label}.invalid`).replace(/\.invalid$/, '') : label;
  if (unicode.length < 2 || /^\d+$/.test(unicode)) return null;
  return unicode
    .split('-')
    .map((part) => (part ? part.charAt(0).toLocaleUpperCase('en') + part.slice(1) : part))
    .join('-');
}
