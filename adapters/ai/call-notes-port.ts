// The call-notes extraction port, in domain terms: read a call's notes or transcript and propose what it says
// (domain/call-notes.ts `extractionSchema`). Adapters: OpenAI structured outputs (real, prompt templates versioned
// as files), the offline rules extractor (embedded default: finds less, never invents, says it is the offline
// one). Whatever an adapter returns passes the evidence check (domain/call-notes.ts `checkEvidence`) before use.
import type { Extraction } from '../../domain/call-notes.ts';

export interface ExtractionContext {
  /** The rep who had the call: "I", "we" and their name are our side, not the buyer's. */
  repName: string | null;
  accountName: string | null;
  /** The deal's stage now (a stage change is only one to another stage). */
  stage: string | null;
  /** The deal's currency, or the organisation's. */
  currency: string | null;
  /** People the CRM knows at this account: a person not among them is new. */
  knownPeople: Array<{ name: string; title: string | null }>;
}

export interface ExtractRequest {
  orgId: string;
  /** The call note's business key. */
  idempotencyKey: string;
  /** The notes as plain text ("Speaker: text" lines for transcripts): the text every quote is checked against. */
  transcript: string;
  /** When the call took place, ISO; relative times ("next Tuesday") are read from it. */
  occurredAt: string;
  /** The rep's IANA zone, for "Thursday at 3pm". */
  timeZone: string;
  context: ExtractionContext;
}

export interface ExtractionResult {
  extraction: Extraction;
  extractor: 'openai' | 'offline';
  /** The model that answered, e.g. "gpt-4.1-mini"; null for the offline extractor. */
  model: string | null;
  /** The prompt template (OpenAI) or rule set (offline) version, recorded on every output. */
  promptVersion: string;
  /** Shown to the rep next to the proposals, e.g. "offline rules extractor: no AI, finds less". */
  label: string;
}

export interface CallNotesExtractor {
  readonly kind: 'openai' | 'offline';
  /**
   * Throws AiRefusedError, AiMalformedOutputError or AiSchemaMismatchError (non-retryable) when the answer is
   * unusable, ConfigurationError on a bad key or model, ValidationError on bad input; AiRateLimitedError and
   * AiTimeoutError (retryable) and plain Errors (5xx, network) let Temporal retry.
   */
  extract(request: ExtractRequest): Promise<ExtractionResult>;
}
