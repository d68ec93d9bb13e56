// The labelled call-notes dataset: one JSON file per call in dataset/, holding the notes or transcript as a tool
// would post them and what a careful sales manager would put in the CRM from them. The benchmark scores an
// extractor's proposals against `expected`, field by field; the labelling rules are in dataset/README.md.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

import { extractedRoleSchema, extractionSchema, qualificationFieldSchema, riskKindSchema } from '../../domain/call-notes.ts';
import { currencySchema, dealStageSchema } from '../../domain/objects.ts';
import { transcriptFormatSchema } from '../../domain/transcript.ts';

export const DATASET_DIR = path.join(import.meta.dirname, 'dataset');

export const datasetSplitSchema = z.enum(['tune', 'heldout']);
export type DatasetSplit = z.infer<typeof datasetSplitSchema>;

// A proposal matches a label when its quote contains the key, so keys are short and copied from the text.
const key = z.string().min(1).max(200);
const name = z.string().min(1).max(200);
const localDate = z.iso.date();
// Instants are UTC with milliseconds, so labels compare as strings too.
const instant = z.iso.datetime({ precision: 3 });
const keyed = z.strictObject({ key });
// Any zone Intl can use. Not objects.ts's timeZoneSchema: its list (Intl.supportedValuesOf) spells some zones the
// old CLDR way and so rejects Asia/Kolkata, the zone of one call here.
const timeZone = z.string().refine(
  (zone) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: zone });
      return true;
    } catch {
      return false;
    }
  },
  { message: 'must be an IANA time zone, e.g. "Europe/Berlin"' },
);

export const expectedExtractionSchema = z.strictObject({
  nextSteps: z.array(z.strictObject({ key, owner: extractionSchema.shape.nextSteps.element.shape.owner, due: localDate.nullable() })),
  callbacks: z.array(z.strictObject({ key, at: instant.nullable() })),
  meetings: z.array(z.strictObject({ key, start: instant.nullable() })),
  people: z.array(z.strictObject({ name, role: extractedRoleSchema.nullable(), isNew: z.boolean() })),
  objections: z.array(keyed),
  competitors: z.array(z.strictObject({ name })),
  pains: z.array(keyed),
  qualification: z.array(z.strictObject({ field: qualificationFieldSchema, key })),
  stage: dealStageSchema.nullable(),
  amount: z.strictObject({ amount: z.number().nonnegative(), currency: currencySchema }).nullable(),
  closeDate: localDate.nullable(),
  commitments: z.array(keyed),
  risks: z.array(z.strictObject({ kind: riskKindSchema, key })),
});
export type ExpectedExtraction = z.infer<typeof expectedExtractionSchema>;

export const labelledCallSchema = z.strictObject({
  id: z.string().regex(/^\d{2}-[a-z0-9-]+$/),
  split: datasetSplitSchema,
  format: transcriptFormatSchema,
  occurredAt: z.iso.datetime(),
  timeZone,
  context: z.strictObject({
    stage: dealStageSchema,
    currency: currencySchema,
    knownPeople: z.array(name),
    repName: name,
  }),
  text: z.string().min(1),
  expected: expectedExtractionSchema,
});
export type LabelledCall = z.infer<typeof labelledCallSchema>;

/** Every `*.json` call in `dir`, sorted by file name, each validated; throws naming the first bad file. */
export function loadDataset(dir: string = DATASET_DIR): LabelledCall[] {
  const files = readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .sort();
  return files.map((file) => {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
    } catch (error) {
      throw new Error(`${file}: not valid JSON (${(error as Error).message})`);
    }
    const parsed = labelledCallSchema.safeParse(raw);
    if (!parsed.success) throw new Error(`${file}:\n${z.prettifyError(parsed.error)}`);
    return parsed.data;
  });
}
