// Enrichment through Apollo's People Enrichment API (POST /api/v1/people/match), with fetch: Apollo publishes no
// official Node SDK. Every failure leaves here as a named error (non-retryable) or a plain Error (retryable), and
// retries are Temporal's. Apollo takes no idempotency key, and needs none: enrichment is a read, so a retried
// activity asks again and at worst spends one more credit (Apollo charges nothing when it finds no one).
//
// We ask for no personal data beyond what the user already has: no personal emails, no phone reveal, no waterfall
// to third-party vendors. Error messages never carry the person's details (they end up in workflow history).
import { ConfigurationError, ValidationError } from '../../domain/errors.ts';
import {
  countryFromInput,
  normalisePhone,
  registrableDomain,
  timeZoneFor,
  type Department,
  type Seniority,
} from '../../domain/lead-normalisation.ts';
import type { EnrichedField, EnrichedValue, EnrichmentPerson, EnrichmentRequest, EnrichmentResult, LeadEnricher } from './port.ts';

export const APOLLO_DEFAULT_BASE_URL = 'https://api.apollo.io';
export const APOLLO_PEOPLE_MATCH_PATH = '/api/v1/people/match';

export interface ApolloEnricherOptions {
  apiKey: string;
  /** Another API origin (a local fake in tests). Defaults to Apollo's API. */
  baseUrl?: string;
  /** Per request, body included; a hung call must not outlive the activity's own timeout. */
  timeoutMs?: number;
  /** The clock for each value's `at`. */
  now?: () => number;
}

// Apollo's headers on every answer; a 429 says which window ran out through them.
const RATE_LIMIT_HEADERS = [
  'retry-after',
  'x-rate-limit-minute',
  'x-minute-usage',
  'x-minute-requests-left',
  'x-rate-limit-hourly',
  'x-hourly-usage',
  'x-hourly-requests-left',
  'x-rate-limit-24-hour',
  'x-24-hour-usage',
  'x-24-hour-requests-left',
] as const;

export function createApolloEnricher(options: ApolloEnricherOptions): LeadEnricher {
  if (!options.apiKey?.trim()) throw new ConfigurationError('Apollo needs an API key (APOLLO_API_KEY), which is not set');
  const apiKey = options.apiKey.trim();
  const url = `${(options.baseUrl?.trim() || APOLLO_DEFAULT_BASE_URL).replace(/\/+$/, '')}${APOLLO_PEOPLE_MATCH_PATH}`;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const now = options.now ?? Date.now;

  return {
    kind: 'apollo',

    async enrich(request: EnrichmentRequest): Promise<EnrichmentResult> {
      const body = matchBody(request.person);
      // Nothing Apollo could match on: no request, no credit, nothing found.
      if (!body) return { fields: [] };

      let response: Response;
      let text: string;
      try {
        response = await fetch(url, {
          method: 'POST',
          headers: { 'X-Api-Key': apiKey, 'Content-Type': 'application/json', Accept: 'application/json', 'Cache-Control': 'no-cache' },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(timeoutMs),
        });
        text = await response.text();
      } catch (error) {
        if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
          throw new Error(`Apollo people/match: timed out after ${timeoutMs} ms`, { cause: error });
        }
        // fetch says only "fetch failed"; the reason (ECONNREFUSED, a reset socket…) is its cause.
        const reason = error instanceof Error ? `${error.message}${error.cause instanceof Error ? ` (${error.cause.message})` : ''}` : String(error);
        throw new Error(`Apollo people/match: connection failed without an HTTP status: ${reason}`, { cause: error });
      }

      if (!response.ok) throw toError(response, text);
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        throw new Error(`Apollo people/match: HTTP ${response.status} answered with a body that is not JSON: ${clip(text)}`);
      }
      if (typeof parsed !== 'object' || parsed === null || !('person' in parsed)) {
        // Names the keys only: whatever the body holds instead may be about the person.
        const keys = typeof parsed === 'object' && parsed !== null ? Object.keys(parsed).slice(0, 10).join(', ') : typeof parsed;
        throw new Error(`Apollo people/match: HTTP ${response.status} answered without a "person" (got: ${keys || 'nothing'})`);
      }
      const at = new Date(now()).toISOString();
      return { fields: fieldsFromPerson((parsed as { person: unknown }).person, at) };
    },
  };
}

type MatchBody = Record<string, string | boolean>;

// Only what we hold, and enough of it to identify someone: an email, a LinkedIn URL, or a name at a company.
function matchBody(person: EnrichmentPerson): MatchBody | null {
  const given = (value: string | null) => (value?.trim() ? value.trim() : null);
  const email = given(person.email);
  const linkedinUrl = given(person.linkedinUrl);
  const firstName = given(person.firstName);
  const lastName = given(person.lastName);
  const organizationName = given(person.companyName);
  const domain = given(person.companyDomain);
  const identifies = email !== null || linkedinUrl !== null || ((firstName !== null || lastName !== null) && (organizationName !== null || domain !== null));
  if (!identifies) return null;
  const body: MatchBody = {};
  if (email !== null) body.email = email;
  if (firstName !== null) body.first_name = firstName;
  if (lastName !== null) body.last_name = lastName;
  if (organizationName !== null) body.organization_name = organizationName;
  if (domain !== null) body.domain = domain;
  if (linkedinUrl !== null) body.linkedin_url = linkedinUrl;
  body.reveal_personal_emails = false;
  body.reveal_phone_number = false;
  body.run_waterfall_email = false;
  body.run_waterfall_phone = false;
  return body;
}

// Apollo's seniority levels in ours (domain/lead-normalisation.ts). "partner" is the top of a partnership.
const seniorities: Readonly<Record<string, Seniority>> = {
  owner: 'c_level',
  founder: 'c_level',
  c_suite: 'c_level',
  partner: 'c_level',
  vp: 'vp',
  head: 'head',
  director: 'director',
  manager: 'manager',
  senior: 'senior',
  entry: 'individual',
  intern: 'intern',
};

// Apollo's departments (with or without their "master_" prefix) in ours.
const departments: Readonly<Record<string, Department>> = {
  c_suite: 'executive',
  sales: 'sales',
  marketing: 'marketing',
  engineering_technical: 'engineering',
  information_technology: 'it',
  product_management: 'product',
  finance: 'finance',
  human_resources: 'hr',
  legal: 'legal',
  operations: 'operations',
  support: 'customer_success',
  design: 'other',
  education: 'other',
  medical_health: 'other',
  consulting: 'other',
};

// As in jobTitleProfile: a function beats running the company ("c_suite" + "engineering" is a CTO: engineering),
// and "other" counts only when nothing else is known.
function department(values: unknown): Department | null {
  if (!Array.isArray(values)) return null;
  const known = values.flatMap((value) => (typeof value === 'string' ? [departments[value.toLowerCase().replace(/^master_/, '')]] : [])).filter((d): d is Department => d !== undefined);
  return known.find((d) => d !== 'executive' && d !== 'other') ?? known.find((d) => d === 'executive') ?? known[0] ?? null;
}

const str = (value: unknown, max = 200): string | null => {
  if (typeof value !== 'string') return null;
  const trimmed = value.replace(/\s+/g, ' ').trim();
  return trimmed && trimmed.length <= max ? trimmed : null;
};
const record = (value: unknown): Record<string, unknown> | null => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null);

// Only the person's own record and its current organization. The `contact` inside an answer is the customer's own
// Apollo CRM record (another team's notes, possibly another person): it is ignored.
export function fieldsFromPerson(raw: unknown, at: string): EnrichedValue[] {
  const person = record(raw);
  if (!person) return [];
  const organization = record(person.organization);
  const found: Partial<Record<EnrichedField, string | null>> = {};

  found.title = str(person.title);
  found.seniority = typeof person.seniority === 'string' ? (seniorities[person.seniority.toLowerCase()] ?? null) : null;
  found.department = department(person.departments);
  found.linkedinUrl = typeof person.linkedin_url === 'string' ? linkedinProfileUrl(person.linkedin_url) : null;
  found.city = str(person.city);
  found.country = countryFromInput(str(person.country));

  if (organization) {
    found.companyName = str(organization.name);
    found.companyDomain = registrableDomain(str(organization.primary_domain, 300)) ?? registrableDomain(str(organization.website_url, 2048));
    // The organization's switchboard (Apollo's "corporate phone"): we ask Apollo for no personal numbers.
    const primaryPhone = record(organization.primary_phone);
    const phone = str(primaryPhone?.sanitized_number) ?? str(primaryPhone?.number) ?? str(organization.phone);
    found.phoneE164 = normalisePhone(phone, countryFromInput(str(organization.country)))?.e164 ?? null;
  }

  const fields = (Object.entries(found) as Array<[EnrichedField, string | null | undefined]>).flatMap(([field, value]): EnrichedValue[] =>
    value ? [{ field, value, source: 'apollo', at, confidence: 'provider' }] : [],
  );
  // The person's city and country are Apollo's; the zone they imply is our rule applied to them.
  const timeZone = timeZoneFor({ country: found.country ?? null, city: found.city ?? null });
  if (timeZone) fields.push({ field: 'timeZone', value: timeZone, source: 'apollo', at, confidence: 'derived' });
  return fields;
}

function toError(response: Response, body: string): Error {
  const status = response.status;
  const text = `Apollo people/match: HTTP ${status}: ${apolloMessage(body)}`;
  if (status === 401) return new ConfigurationError(`${text}; check APOLLO_API_KEY`);
  // 403: the key works but may not call this endpoint (a free plan, or a key without people/match in its scope).
  if (status === 403) return new ConfigurationError(`${text}; the APOLLO_API_KEY's plan or scope does not include People Enrichment`);
  // Out of credits waits for an operator, not for time.
  if (status === 402) return new ConfigurationError(`${text}; the Apollo account is out of credits`);
  if (status === 404) return new ConfigurationError(`${text}; check APOLLO_BASE_URL`);
  if (status === 429) {
    const limits = RATE_LIMIT_HEADERS.flatMap((name) => {
      const value = response.headers.get(name);
      return value === null ? [] : [`${name}: ${value}`];
    });
    return new Error(limits.length ? `${text} (${limits.join(', ')})` : text);
  }
  if (status === 408 || status === 409 || status >= 500) return new Error(text);
  // 400, 422 and any other 4xx: the same request would be refused the same way.
  return new ValidationError(text);
}

// Apollo's errors come as plain text (401), { error, error_code }, { message } or { error_message }.
function apolloMessage(body: string): string {
  try {
    const parsed = record(JSON.parse(body));
    const message = [parsed?.error, parsed?.message, parsed?.error_message].find((value) => typeof value === 'string');
    const code = typeof parsed?.error_code === 'string' ? ` [${parsed.error_code}]` : '';
    if (typeof message === 'string') return `${clip(message)}${code}`;
  } catch {
    // Not JSON: the text itself.
  }
  return clip(body) || '(empty body)';
}

// Apollo profile URLs come as "http://www.linkedin.com/in/slug": stored as https://www.linkedin.com/in/slug, and
// anything that is not a LinkedIn profile is dropped.
export function linkedinProfileUrl(raw: string): string | null {
  const trimmed = raw.trim();
  let url: URL;
  try {
    url = new URL(/^https?:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`);
  } catch {
    return null;
  }
  const host = url.hostname.toLowerCase();
  if (host !== 'linkedin.com' && !host.endsWith('.linkedin.com')) return null;
  const path = url.pathname.replace(/\/+$/, '');
  return /^\/(in|pub)\/[^/]+/.test(path) ? `https://www.linkedin.com${path}` : null;
}

const clip = (value: string) => {
  const flat = value.replace(/\s+/g, ' ').trim();
  return flat.length > 300 ? `${flat.slice(0, 300)}…` : flat;
};
