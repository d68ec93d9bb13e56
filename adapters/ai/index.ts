// Picks the email drafter by configuration and fails loudly on anything it cannot use.
import { ConfigurationError } from '../../domain/errors.ts';
import { checkBaseUrl } from '../config-url.ts';
import { createOfflineDrafter } from './offline.ts';
import { createOpenAiDrafter } from './openai.ts';
import type { EmailDrafter } from './port.ts';
import { createOfflineCallNotesExtractor } from './call-notes-offline.ts';
import { createOpenAiCallNotesExtractor } from './call-notes-openai.ts';
import type { CallNotesExtractor } from './call-notes-port.ts';

export type { CallNotesExtractor, ExtractRequest, ExtractionContext, ExtractionResult } from './call-notes-port.ts';
export type { DraftContext, DraftedEmail, EmailDrafter, EmailText, PersonaliseRequest, RegenerateRequest } from './port.ts';

export interface EmailDrafterConfig {
  /** CLOSELOOP_AI_PROVIDER: 'offline' (the embedded default: the template as written, no AI) or 'openai'. */
  provider: string;
  /** OPENAI_API_KEY. */
  openaiApiKey?: string;
  /** OPENAI_MODEL; gpt-4.1-mini when unset. */
  openaiModel?: string;
  /** OPENAI_BASE_URL: another OpenAI-compatible API (a local fake in tests), including its /v1. */
  openaiBaseUrl?: string;
}

/** null for the offline default; the OpenAI options otherwise. Fails loudly on anything it cannot use. */
function openAiOptions(config: EmailDrafterConfig): { apiKey: string; model?: string; baseUrl?: string } | null {
  switch (config.provider) {
    case 'offline':
      return null;
    case 'openai':
      if (!config.openaiApiKey?.trim()) throw new ConfigurationError('CLOSELOOP_AI_PROVIDER=openai needs OPENAI_API_KEY, which is not set');
      return {
        apiKey: config.openaiApiKey,
        ...(config.openaiModel?.trim() ? { model: config.openaiModel.trim() } : {}),
        ...(config.openaiBaseUrl?.trim() ? { baseUrl: checkBaseUrl('OPENAI_BASE_URL', config.openaiBaseUrl) } : {}),
      };
    default:
      throw new ConfigurationError(`CLOSELOOP_AI_PROVIDER must be "offline" or "openai", got ${JSON.stringify(config.provider)}`);
  }
}

export function createEmailDrafter(config: EmailDrafterConfig): EmailDrafter {
  const openai = openAiOptions(config);
  return openai ? createOpenAiDrafter(openai) : createOfflineDrafter();
}

/** The call-notes extractor by the same configuration: OpenAI structured outputs, or the offline rules. */
export function createCallNotesExtractor(config: EmailDrafterConfig): CallNotesExtractor {
  const openai = openAiOptions(config);
  return openai ? createOpenAiCallNotesExtractor(openai) : createOfflineCallNotesExtractor();
}
