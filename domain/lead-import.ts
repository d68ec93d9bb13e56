// Lead import rules, pure: which tool a CSV came from and what its columns mean (auto-detected, editable), and how
// a value from one source meets a value from another (source priority, per field). Normalising the values is
// domain/lead-normalisation.ts.
import { z } from 'zod';
import {
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

export const leadFieldSchema = z.enum(['email', 'firstName', 'lastName', 'fullName', 'title', 'company', 'website', 'phone', 'linkedinUrl', 'country', 'city']);
export type LeadField = z.infer<typeof leadFieldSchema>;
export const leadSourceSchema = z.enum(['sales_navigator', 'apollo', 'hubspot', 'generic_csv', 'api', 'form']);
export type LeadSource = z.infer<typeof leadSourceSchema>;

/** A column → field mapping; columns mapped to null are ignored. */
export const columnMappingSchema = z.record(z.string().max(200), leadFieldSchema.nullable());
export type ColumnMapping = z.infer<typeof columnMappingSchema>;

const key = (header: string) => header.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();

// Header names as the tools export them (Apollo, HubSpot, Sales Navigator via the usual export tools), and generic.
const aliases: Record<LeadField, string[]> = {
  email: ['email', 'e mail', 'email address', 'work email', 'business email', 'primary email', 'emails', 'email 1'],
  firstName: ['first name', 'firstname', 'given name', 'vorname', 'prenom'],
  lastName: ['last name', 'lastname', 'surname', 'family name', 'nachname', 'nom'],
  fullName: ['name', 'full name', 'fullname', 'contact name', 'person name'],
  title: ['title', 'job title', 'position', 'headline', 'current title', 'role', 'jobtitle'],
  company: ['company', 'company name', 'organization', 'organization name', 'organisation', 'account name', 'current company', 'company name for emails', 'associated company'],
  website: ['website', 'website url', 'company website', 'domain', 'company domain', 'company url', 'organization website'],
  phone: ['phone', 'phone number', 'mobile phone', 'work direct phone', 'corporate phone', 'direct phone', 'telephone', 'mobile'],
  linkedinUrl: ['linkedin', 'linkedin url', 'person linkedin url', 'linkedin profile url', 'profile url', 'linkedin profile', 'public profile url'],
  country: ['country', 'country region', 'location country', 'person country'],
  city: ['city', 'location city', 'person city', 'location'],
};
const byAlias = new Map(Object.entries(aliases).flatMap(([field, names]) => names.map((n) => [n, field as LeadField])));

// Columns only one tool writes: how a file tells where it came from.
const signatures: Array<{ source: LeadSource; any: string[] }> = [
  { source: 'apollo', any: ['apollo contact id', 'apollo account id', 'person linkedin url', 'work direct phone', 'company name for emails'] },
  { source: 'hubspot', any: ['record id', 'contact owner', 'lifecycle stage', 'hubspot score', 'associated company'] },
  { source: 'sales_navigator', any: ['profile url', 'linkedin profile url', 'sales navigator url', 'sales navigator profile url', 'public profile url'] },
];

export function detectMapping(headers: readonly string[]): { source: LeadSource; mapping: ColumnMapping } {
  const keys = headers.map(key);
  const source = signatures.find((s) => s.any.some((name) => keys.includes(name)))?.source ?? 'generic_csv';
  const mapping: ColumnMapping = {};
  const taken = new Set<LeadField>();
  headers.forEach((header, i) => {
    const field = byAlias.get(keys[i]!) ?? null;
    // The first column for a field wins ("Email" before "Email 2"); a later one is left for the person to map.
    mapping[header] = field && !taken.has(field) ? field : null;
    if (field) taken.add(field);
  });
  return { source, mapping };
}

/** What a mapping must include for rows to be importable at all. */
export function mappingProblems(mapping: ColumnMapping): string[] {
  const fields = new Set(Object.values(mapping).filter((f): f is LeadField => f !== null));
  const identifies = fields.has('email') || fields.has('linkedinUrl') || ((fields.has('fullName') || fields.has('lastName')) && fields.has('company'));
  return identifies ? [] : ['map an email column, a LinkedIn URL column, or a name and a company column'];
}

// ---------------------------------------------------------------------------------------------------------
// Source priority

/** Higher wins. A value a person typed (no recorded source) outranks every import; enrichment ranks last. */
export const sourceRank: Readonly<Record<string, number>> = {
  manual: 100,
  hubspot: 80,
  api: 70,
  form: 60,
  sales_navigator: 50,
  apollo: 40,
  generic_csv: 30,
  enrichment_apollo: 20,
  enrichment_offline: 10,
};

export interface FieldSource {
  source: string;
  batchId: string | null;
  at: string;
}

/**
 * Merges incoming values into a record field by field: an empty field takes the value; a set field changes only
 * when the incoming source ranks at least as high as the one that set it (fields without a recorded source were set
 * by a person). Returns only what changes, with the new per-field sources.
 */
export function mergeFields<F extends string>(input: {
  current: Partial<Record<F, string | null>>;
  currentSources: Partial<Record<F, FieldSource>>;
  incoming: Partial<Record<F, string | null>>;
  source: FieldSource;
}): { changes: Partial<Record<F, string>>; sources: Partial<Record<F, FieldSource>> } {
  const changes: Partial<Record<F, string>> = {};
  const sources: Partial<Record<F, FieldSource>> = { ...input.currentSources };
  for (const field of Object.keys(input.incoming) as F[]) {
    const value = input.incoming[field];
    if (value === null || value === undefined || value === '') continue;
    const current = input.current[field] ?? null;
    if (current === value) continue;
    const owner = input.currentSources[field]?.source ?? (current === null ? null : 'manual');
    if (owner === null || (sourceRank[input.source.source] ?? 0) >= (sourceRank[owner] ?? 0)) {
      changes[field] = value;
      sources[field] = input.source;
    }
  }
  return { changes, sources };
}

// ---------------------------------------------------------------------------------------------------------
// One row → one normalised lead

export interface NormalisedLead {
  emails: Array<{ address: string; matchKey: string }>;
  firstName: string | null;
  lastName: string | null;
  title: string | null;
  department: string | null;
  seniority: string | null;
  phoneE164: string | null;
  linkedinUrl: string | null;
  country: string | null;
  timeZone: string | null;
  company: { name: string; matchKey: string } | null;
  /** The company's registrable domain: from the website, else from a non-free-mail email address. */
  domain: string | null;
}

/** A public LinkedIn profile URL in one canonical form, or null (Sales Navigator lead URLs are not public profiles). */
export function normaliseLinkedinUrl(raw: string | null | undefined): string | null {
  const match = raw?.trim().match(/^(?:https?:\/\/)?(?:[a-z]{2,3}\.)?(?:www\.)?linkedin\.com\/in\/([^/?#\s]+)/i);
  if (!match) return null;
  let slug: string;
  try {
    slug = decodeURIComponent(match[1]!).toLowerCase();
  } catch {
    return null;
  }
  return /^[\p{L}\p{N}_-]{2,100}$/u.test(slug) ? `https://www.linkedin.com/in/${encodeURIComponent(slug)}` : null;
}

export function normaliseLead(raw: Partial<Record<LeadField, string | null>>): { ok: true; lead: NormalisedLead } | { ok: false; reason: string } {
  const text = (field: LeadField) => raw[field]?.trim() || null;
  const emails = (text('email') ?? '')
    .split(/[;,\s]+/)
    .map((value) => normaliseEmail(value))
    .filter((e): e is NonNullable<ReturnType<typeof normaliseEmail>> => e !== null);
  const country = countryFromInput(text('country'));
  const phone = normalisePhone(text('phone'), country ?? undefined);
  const name = normalisePersonName({ full: text('fullName'), first: text('firstName'), last: text('lastName') });
  const companyName = text('company');
  const company = companyName ? normaliseCompanyName(companyName) : null;
  const workEmail = emails.find((e) => !isFreeMailDomain(e.domain));
  const domain = registrableDomain(text('website')) ?? (workEmail ? registrableDomain(workEmail.domain) : null);
  const linkedinUrl = normaliseLinkedinUrl(text('linkedinUrl'));
  const title = text('title');
  const profile = title ? jobTitleProfile(title) : { department: null, seniority: null };
  const lead: NormalisedLead = {
    emails: emails.map((e) => ({ address: e.address, matchKey: e.matchKey })),
    firstName: name.firstName,
    lastName: name.lastName,
    title,
    department: profile.department,
    seniority: profile.seniority,
    phoneE164: phone?.e164 ?? null,
    linkedinUrl,
    country: country ?? phone?.country ?? null,
    timeZone: timeZoneFor({ country: country ?? phone?.country ?? null, phoneE164: phone?.e164 ?? null, city: text('city') }),
    company,
    domain,
  };
  // A value in the email column that is not an address is a mistake worth a person's look, not a silent skip.
  if (text('email') && emails.length === 0) return { ok: false, reason: `"${text('email')!.slice(0, 60)}" is not an email address` };
  if (lead.emails.length === 0 && !lead.linkedinUrl && !((lead.lastName || lead.firstName) && (lead.company || lead.domain))) {
    return { ok: false, reason: 'the row has no email, LinkedIn profile URL, or name and company to identify the person' };
  }
  return { ok: true, lead };
}
