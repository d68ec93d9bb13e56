// Call-notes extraction with OpenAI's chat completions and the strict extraction schema, through the official SDK.
// The prompt is a versioned file (prompts/<version>.md): a new prompt is a new file and a new
// CALL_NOTES_PROMPT_VERSION, and every output records which one produced it. Every failure leaves here as its own
// named error or as a plain Error (retryable); retries are Temporal's, so the SDK's are off. Evidence is not checked
// here: the caller runs checkEvidence on whatever comes back.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ContentFilterFinishReasonError, LengthFinishReasonError } from 'openai/error';
import { zodResponseFormat } from 'openai/helpers/zod';
import { z } from 'zod';
import { extractionSchema } from '../../domain/call-notes.ts';
import {
  AiMalformedOutputError,
  AiRefusedError,
  AiSchemaMismatchError,
  ConfigurationError,
  ValidationError,
} from '../../domain/errors.ts';
import type { CallNotesExtractor, ExtractionContext, ExtractionResult, ExtractRequest } from './call-notes-port.ts';
import { createOpenAiClient, OPENAI_DEFAULT_MODEL, safetyIdentifier, transportError } from './openai-client.ts';

/** The prompt in use: the name of its file under prompts/ without ".md". */
export const CALL_NOTES_PROMPT_VERSION = 'call-notes-extract.v1';
export const CALL_NOTES_PROMPTS_DIR = join(import.meta.dirname, 'prompts');
export const TRANSCRIPT_MAX = 200_000;

export interface OpenAiCallNotesExtractorOptions {
  apiKey: string;
  /** OPENAI_MODEL; defaults to gpt-4.1-mini. */
  model?: string;
  /** OPENAI_BASE_URL: a local fake in tests, or any OpenAI-compatible server. Defaults to OpenAI's API. */
  baseUrl?: string;
  /** Per request; a hung call must not outlive the activity's own timeout. */
  timeoutMs?: number;
  /** Where the prompt files live; prompts/ beside this file by default. */
  promptsDir?: string;
}

// zod 4 schemas go through zodResponseFormat as they are: every field is required (nullable where it may be
// missing), every object strict, and the min/max/pattern keywords are in the subset strict mode accepts.
const extractionFormat = zodResponseFormat(extractionSchema, 'call_extraction');

export function loadCallNotesPrompt(promptsDir: string = CALL_NOTES_PROMPTS_DIR, version: string = CALL_NOTES_PROMPT_VERSION): string {
  const file = join(promptsDir, `${version}.md`);
  let text: string;
  try {
    text = readFileSync(file, 'utf8').trim();
  } catch (error) {
    throw new ConfigurationError(`the call-notes prompt ${version} cannot be read from ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!text) throw new ConfigurationError(`the call-notes prompt ${version} (${file}) is empty`);
  return text;
}

export function createOpenAiCallNotesExtractor(options: OpenAiCallNotesExtractorOptions): CallNotesExtractor {
  if (!options.apiKey?.trim()) throw new ConfigurationError('OpenAI needs an API key (OPENAI_API_KEY), which is not set');
  const model = options.model?.trim() || OPENAI_DEFAULT_MODEL;
  // Read once: a prompt edited under a running worker must not change what a version name means.
  const systemPrompt = loadCallNotesPrompt(options.promptsDir ?? CALL_NOTES_PROMPTS_DIR);
  const client = createOpenAiClient({ apiKey: options.apiKey, ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}), ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}) });

  return {
    kind: 'openai',

    async extract(request: ExtractRequest): Promise<ExtractionResult> {
      checkTranscript(request.transcript);
      const action = `extract ${request.idempotencyKey}`;
      let completion;
      try {
        completion = await client.chat.completions.parse({
          model,
          messages: [
            { role: 'system', content: systemPrompt },
            {
              role: 'user',
              content: JSON.stringify({ transcript: request.transcript, occurredAt: request.occurredAt, timeZone: request.timeZone, context: contextJson(request.context) }),
            },
          ],
          response_format: extractionFormat,
          // Lets OpenAI tell abuse in one organisation from another without learning who it is.
          safety_identifier: safetyIdentifier(request.orgId),
        });
      } catch (error) {
        throw toError(action, model, error);
      }
      const choice = completion.choices[0];
      if (!choice) throw new AiMalformedOutputError(`OpenAI ${action}: the answer has no choices`);
      if (choice.message.refusal) throw new AiRefusedError(`OpenAI ${action}: the model refused: ${choice.message.refusal}`);
      if (!choice.message.parsed) throw new AiMalformedOutputError(`OpenAI ${action}: the answer has no content`);
      const answered = completion.model?.trim() || model;
      return {
        extraction: choice.message.parsed,
        extractor: 'openai',
        model: answered,
        promptVersion: CALL_NOTES_PROMPT_VERSION,
        label: `AI extraction by ${answered}, prompt ${CALL_NOTES_PROMPT_VERSION}`,
      };
    },
  };
}

function checkTranscript(transcript: string): void {
  if (typeof transcript !== 'string' || !transcript.trim()) throw new ValidationError('the call notes are empty');
  if (transcript.length > TRANSCRIPT_MAX) throw new ValidationError(`the call notes are longer than ${TRANSCRIPT_MAX} characters`);
}

// Only the fields the port defines: whatever else rides on the object at runtime stays out of the prompt.
function contextJson(context: ExtractionContext): ExtractionContext {
  const { repName, accountName, stage, currency, knownPeople } = context;
  return { repName, accountName, stage, currency, knownPeople: knownPeople.map(({ name, title }) => ({ name, title })) };
}

/** "nextSteps[0].quote" from zod's path. */
function issuePath(path: ReadonlyArray<PropertyKey>): string {
  const text = path.map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i === 0 ? '' : '.'}${String(part)}`)).join('');
  return text || '(root)';
}

function toError(action: string, model: string, error: unknown): Error {
  if (error instanceof LengthFinishReasonError) return new AiRefusedError(`OpenAI ${action}: the answer was cut off at the length limit`);
  if (error instanceof ContentFilterFinishReasonError) return new AiRefusedError(`OpenAI ${action}: the answer was stopped by the content filter`);
  // The SDK's parse throws SyntaxError for content that is not JSON and the schema's ZodError for JSON of another shape.
  if (error instanceof SyntaxError) return new AiMalformedOutputError(`OpenAI ${action}: the answer is not JSON: ${error.message}`);
  if (error instanceof z.ZodError) {
    const issue = error.issues[0];
    const where = issue ? `${issuePath(issue.path)}: ${issue.message}` : 'no issue named';
    return new AiSchemaMismatchError(`OpenAI ${action}: the answer does not fit the extraction schema at ${where}${error.issues.length > 1 ? ` (and ${error.issues.length - 1} more)` : ''}`);
  }
  return transportError(action, model, error);
}
