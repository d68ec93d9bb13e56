// Picks the lead enricher by configuration and fails loudly on anything it cannot use.
import { ConfigurationError } from '../../domain/errors.ts';
import { checkBaseUrl } from '../config-url.ts';
import { createApolloEnricher } from './apollo.ts';
import { createOfflineEnricher } from './offline.ts';
import type { LeadEnricher } from './port.ts';

export type { EnrichedField, EnrichedValue, EnrichmentPerson, EnrichmentRequest, EnrichmentResult, EnrichmentSource, LeadEnricher } from './port.ts';
export { enrichedFieldSchema, enrichedValueSchema, enrichmentResultSchema, enrichmentSourceSchema } from './port.ts';

export interface LeadEnricherConfig {
  /** CLOSELOOP_ENRICHMENT_PROVIDER: 'offline' (the embedded default: derives from the lead's own data) or 'apollo'. */
  provider: string;
  /** APOLLO_API_KEY. */
  apolloApiKey?: string;
  /** APOLLO_BASE_URL: another origin for Apollo's API (a local fake in tests), without /api/v1. */
  apolloBaseUrl?: string;
}

export function createLeadEnricher(config: LeadEnricherConfig): LeadEnricher {
  switch (config.provider) {
    case 'offline':
      return createOfflineEnricher();
    case 'apollo': {
      if (!config.apolloApiKey?.trim()) {
        throw new ConfigurationError('CLOSELOOP_ENRICHMENT_PROVIDER=apollo needs APOLLO_API_KEY, which is not set');
      }
      return createApolloEnricher({
        apiKey: config.apolloApiKey,
        ...(config.apolloBaseUrl?.trim() ? { baseUrl: checkBaseUrl('APOLLO_BASE_URL', config.apolloBaseUrl) } : {}),
      });
    }
    default:
      throw new ConfigurationError(`CLOSELOOP_ENRICHMENT_PROVIDER must be "offline" or "apollo", got ${JSON.stringify(config.provider)}`);
  }
}
