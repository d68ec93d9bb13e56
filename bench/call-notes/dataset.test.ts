import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

import { normaliseForEvidence } from '../../domain/call-notes.ts';
import { detectFormat, parseTranscript } from '../../domain/transcript.ts';
import { DATASET_DIR, type LabelledCall, labelledCallSchema, loadDataset } from './dataset.ts';

const files = readdirSync(DATASET_DIR)
  .filter((file) => file.endsWith('.json'))
  .sort();
// A broken file fails its own "parses" test below; the other tests then see the rest.
const calls: LabelledCall[] = (() => {
  try {
    return loadDataset();
  } catch {
    return [];
  }
})();

type Quoted = { field: string; key?: string; name?: string };
function labels(call: LabelledCall): Quoted[] {
  const e = call.expected;
  return [
    ...e.nextSteps.map((item) => ({ field: 'nextSteps', key: item.key })),
    ...e.callbacks.map((item) => ({ field: 'callbacks', key: item.key })),
    ...e.meetings.map((item) => ({ field: 'meetings', key: item.key })),
    ...e.people.map((item) => ({ field: 'people', name: item.name })),
    ...e.objections.map((item) => ({ field: 'objections', key: item.key })),
    ...e.competitors.map((item) => ({ field: 'competitors', name: item.name })),
    ...e.pains.map((item) => ({ field: 'pains', key: item.key })),
    ...e.qualification.map((item) => ({ field: 'qualification', key: item.key })),
    ...e.commitments.map((item) => ({ field: 'commitments', key: item.key })),
    ...e.risks.map((item) => ({ field: 'risks', key: item.key })),
  ];
}

/** The text of each WebVTT/SRT cue (voice tags removed): a key must lie inside one. */
function cueTexts(text: string): string[] {
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n{2,}/)
    .flatMap((block) => {
      const lines = block.split('\n');
      const at = lines.findIndex((line) => line.includes('-->'));
      return at < 0 ? [] : [lines.slice(at + 1).join(' ').replace(/<\/?v[^>]*>/g, '')];
    });
}

const localDay = (iso: string, timeZone: string): string => new Intl.DateTimeFormat('en-CA', { timeZone }).format(new Date(iso));
const validDate = (day: string): boolean => new Date(`${day}T00:00:00Z`).toISOString().slice(0, 10) === day;
const validInstant = (iso: string): boolean => new Date(iso).toISOString() === iso;

describe('call-notes dataset', () => {
  it.each(files)('%s parses', (file) => {
    const parsed = labelledCallSchema.safeParse(JSON.parse(readFileSync(path.join(DATASET_DIR, file), 'utf8')));
    expect(parsed.success ? '' : z.prettifyError(parsed.error)).toBe('');
  });

  it('has at least 36 calls, exactly 12 held out, every format in both splits', () => {
    expect(files.length).toBeGreaterThanOrEqual(36);
    expect(calls).toHaveLength(files.length);
    expect(calls.filter((call) => call.split === 'heldout')).toHaveLength(12);
    for (const split of ['tune', 'heldout'] as const) {
      const formats = new Set(calls.filter((call) => call.split === split).map((call) => call.format));
      expect([...formats].sort(), split).toEqual(['plain', 'speaker', 'srt', 'webvtt']);
    }
  });

  it('ids are unique and equal the file name', () => {
    expect(calls.map((call) => `${call.id}.json`)).toEqual(files);
    expect(new Set(calls.map((call) => call.id)).size).toBe(calls.length);
  });

  it('texts are what a tool would post in the labelled format', () => {
    for (const call of calls) {
      expect(detectFormat(call.text), call.id).toBe(call.format);
      if (call.format === 'srt') expect(call.text, call.id).toMatch(/^1\n\d\d:\d\d:\d\d,\d{3} --> \d\d:\d\d:\d\d,\d{3}\n/);
      if (call.format === 'webvtt') expect(cueTexts(call.text).length, call.id).toBeGreaterThan(5);
    }
  });

  it('every key and name occurs in the text; keys are 3 to 12 words, inside one cue for WebVTT and SRT', () => {
    const problems: string[] = [];
    for (const call of calls) {
      const raw = normaliseForEvidence(call.text);
      // What the extractor reads and every quote is checked against.
      const plain = normaliseForEvidence(parseTranscript(call.text, call.format).text);
      const cues = call.format === 'webvtt' || call.format === 'srt' ? cueTexts(call.text).map(normaliseForEvidence) : null;
      for (const { field, key, name } of labels(call)) {
        const words = normaliseForEvidence(key ?? name ?? '');
        if (!raw.includes(words) || !plain.includes(words)) problems.push(`${call.id} ${field}: "${key ?? name}" is not in the text`);
        if (key === undefined) continue;
        const count = words.split(' ').length;
        if (count < 3 || count > 12) problems.push(`${call.id} ${field}: "${key}" has ${count} words`);
        if (cues && !cues.some((cue) => cue.includes(words))) problems.push(`${call.id} ${field}: "${key}" is not inside one cue`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('every date and instant is valid and not before the call', () => {
    const problems: string[] = [];
    for (const call of calls) {
      const e = call.expected;
      const callDay = localDay(call.occurredAt, call.timeZone);
      const days = [...e.nextSteps.map((item) => item.due), e.closeDate].filter((day) => day !== null);
      const instants = [...e.callbacks.map((item) => item.at), ...e.meetings.map((item) => item.start)].filter((at) => at !== null);
      for (const day of days) if (!validDate(day) || day < callDay) problems.push(`${call.id}: date ${day}`);
      for (const at of instants) if (!validInstant(at) || at <= call.occurredAt) problems.push(`${call.id}: instant ${at}`);
      if (!validInstant(new Date(call.occurredAt).toISOString())) problems.push(`${call.id}: occurredAt ${call.occurredAt}`);
    }
    expect(problems).toEqual([]);
  });

  it('labels follow the rules of the README', () => {
    const problems: string[] = [];
    for (const call of calls) {
      const e = call.expected;
      // Buyer-owned next steps and commitments are the same items, under the same keys.
      const buyerSteps = e.nextSteps.filter((step) => step.owner === 'buyer').map((step) => step.key).sort();
      const commitments = e.commitments.map((item) => item.key).sort();
      if (JSON.stringify(buyerSteps) !== JSON.stringify(commitments)) problems.push(`${call.id}: commitments differ from buyer next steps`);
      if (e.stage !== null && e.stage === call.context.stage) problems.push(`${call.id}: stage ${e.stage} is no change`);
      for (const person of e.people) {
        const known = call.context.knownPeople.some(
          (full) => full.toLowerCase() === person.name.toLowerCase() || full.toLowerCase().split(' ')[0] === person.name.toLowerCase(),
        );
        if (person.isNew === known) problems.push(`${call.id}: ${person.name} isNew should be ${!known}`);
        if (person.name === call.context.repName) problems.push(`${call.id}: the rep is not a buyer-side person`);
      }
      // A fact that makes someone the champion or the economic buyer is also that qualification field, and back.
      for (const role of ['champion', 'economic_buyer'] as const) {
        const hasRole = e.people.some((person) => person.role === role);
        const hasField = e.qualification.some((item) => item.field === role);
        if (hasRole !== hasField) problems.push(`${call.id}: ${role} as a role but not as qualification, or back`);
      }
      // A competitor the buyer uses or evaluates is also a competition fact, and back.
      if ((e.competitors.length > 0) !== e.qualification.some((item) => item.field === 'competition')) {
        problems.push(`${call.id}: competitors without a competition fact, or back`);
      }
      const names = e.people.map((person) => person.name);
      if (new Set(names).size !== names.length) problems.push(`${call.id}: a person is listed twice`);
    }
    expect(problems).toEqual([]);
  });
});
