// The lead enrichment port, in domain terms: given what we know about a person, what else can be found out, and
// from where. Adapters: the offline enricher (embedded default: derives only what the input itself implies) and
// Apollo (real). An adapter reports only what it found, each value with its source and when it was obtained; it never
// decides whether a value replaces one we hold: the caller does that by source priority (domain/lead-import.ts).
import { z } from 'zod';

export const enrichedFieldSchema = z.enum(['companyName', 'companyDomain', 'title', 'department', 'seniority', 'phoneE164', 'country', 'timeZone', 'linkedinUrl', 'city']);
export type EnrichedField = z.infer<typeof enrichedFieldSchema>;

export const enrichmentSourceSchema = z.enum(['offline', 'apollo']);
export type EnrichmentSource = z.infer<typeof enrichmentSourceSchema>;

/** What we already hold about the person, normalised (lowercase email and domain, E.164 phone, ISO country code). */
export interface EnrichmentPerson {
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  title: string | null;
  companyName: string | null;
  companyDomain: string | null;
  linkedinUrl: string | null;
  phoneE164: string | null;
  /** ISO 3166-1 alpha-2, e.g. "DE". */
  country: string | null;
}

export interface EnrichmentRequest {
  orgId: string;
  person: EnrichmentPerson;
}

export const enrichedValueSchema = z.object({
  field: enrichedFieldSchema,
  value: z.string().min(1),
  source: enrichmentSourceSchema,
  /** When the value was obtained (ISO time): an answer from a provider ages, and the caller may prefer a newer one. */
  at: z.iso.datetime({ offset: true }),
  /** 'derived': worked out from the input by a rule (may be wrong, e.g. a company name from a domain); 'provider': a provider's record. */
  confidence: z.enum(['derived', 'provider']),
});
export type EnrichedValue = z.infer<typeof enrichedValueSchema>;

export const enrichmentResultSchema = z.object({ fields: z.array(enrichedValueSchema) });
export type EnrichmentResult = z.infer<typeof enrichmentResultSchema>;

export interface LeadEnricher {
  readonly kind: EnrichmentSource;
  /**
   * Only the fields the adapter found, at most one value per field; an empty list when it found nothing. Throws
   * ConfigurationError on a bad key or plan, ValidationError on a request the provider refuses as malformed; a plain
   * Error (rate limit, 5xx, network, timeout) lets Temporal retry.
   */
  enrich(request: EnrichmentRequest): Promise<EnrichmentResult>;
}
