// Benchmark (issue #12): precision, recall and F1 per field of the offline call-notes extractor
// (adapters/ai/call-notes-offline.ts) on the labelled set in bench/call-notes/dataset/, next to a naive keyword
// baseline defined below and measured in the same run. Held-out and tune calls are reported apart (the rules may
// be tuned on the tune split only; dataset/README.md).
// Usage: npm run bench:call-notes [-- --json --passes 20]
//
// What is compared, and how:
// - Each call goes through what the product does: parseTranscript(text, format), the extractor on the parsed text
//   with the call's time, zone and CRM context, then checkEvidence against the same text. What the evidence check
//   keeps is scored (bench/call-notes/score.ts, whose header gives the matching rules); what it drops is counted,
//   by reason and field, never scored.
// - The baseline reads each line (a leading bullet removed), split after . ! ?, and proposes an item for every
//   sentence holding one of a few keywords per field; the sentence is the quote. It knows no speakers, hedges or
//   negation, every next step is the rep's, and times are the whole sentence. It is there so the rules are
//   measured against something, not as a rival.
// - Throughput: extraction plus the evidence check over every parsed call, `--passes` times after one warm-up
//   pass, wall time in this process. Parsing is left out (both extractors share it).
// Nothing here asserts: figures are printed, as tables or (--json) one JSON document. Exit code 0.
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';

import { OFFLINE_RULES_VERSION, extractOffline } from '../adapters/ai/call-notes-offline.ts';
import type { ExtractRequest } from '../adapters/ai/call-notes-port.ts';
import {
  type DropReason,
  type DroppedProposal,
  type Extraction,
  type ExtractionField,
  type QualificationField,
  type RiskKind,
  checkEvidence,
  emptyExtraction,
  extractionFields,
} from '../domain/call-notes.ts';
import { parseTranscript } from '../domain/transcript.ts';
import { type DatasetSplit, type LabelledCall, loadDataset } from './call-notes/dataset.ts';
import { type Aggregate, type CallScore, type Rates, aggregate, findingFields, scoreCall, scoredFields } from './call-notes/score.ts';

const { values } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    passes: { type: 'string', default: '20' },
  },
});
const passes = Number(values.passes);
if (!Number.isInteger(passes) || passes < 1 || passes > 10_000) throw new Error(`--passes must be an integer from 1 to 10000, got "${values.passes}"`);

// ---------------------------------------------------------------------------------------------------------------
// The baseline: a handful of obvious keywords per field

function baselineSentences(transcript: string): string[] {
  return transcript
    .split('\n')
    .map((line) => line.trim().replace(/^[-*•]\s+/, ''))
    .flatMap((line) => line.split(/(?<=[.!?])\s+/))
    .map((sentence) => sentence.trim())
    .filter((sentence) => sentence.length > 0);
}

const unitMultiplier = (unit: string | undefined): number => (unit?.toLowerCase() === 'k' ? 1_000 : unit?.toLowerCase() === 'm' ? 1_000_000 : 1);

function extractBaseline(transcript: string): Extraction {
  const out: Extraction = structuredClone(emptyExtraction);
  const confidence = 0.5;
  const seenPeople = new Set<string>();
  const seenCompetitors = new Set<string>();
  for (const s of baselineSentences(transcript)) {
    const item = { quote: s, confidence };
    if (/\b(?:will|send)\b/i.test(s)) out.nextSteps.push({ ...item, text: s, owner: 'rep', ownerName: null, due: null });
    if (/\b(?:promised|agreed to|they will|she will|he will)\b/i.test(s)) out.commitments.push({ ...item, text: s });
    if (/\bcall me\b/i.test(s)) out.callbacks.push({ ...item, when: s });
    if (/\b(?:meeting|demo)\b/i.test(s) && /\b(?:booked|scheduled)\b/i.test(s)) out.meetings.push({ ...item, title: 'Meeting', when: s });
    for (const [, name] of s.matchAll(/\b([A-Z][a-z]+ [A-Z][a-z]+)\b/g)) {
      if (!name || seenPeople.has(name)) continue;
      seenPeople.add(name);
      const role = /\bchampion\b/i.test(s) ? 'champion' : /\bsigns?\b/i.test(s) ? 'economic_buyer' : /\bapprov/i.test(s) ? 'approver' : null;
      out.people.push({ ...item, name, title: null, role });
    }
    if (/\b(?:price|pricing|expensive|concern(?:ed)?)\b/i.test(s)) out.objections.push({ ...item, text: s });
    if (/\b(?:manual(?:ly)?|pain|problem|hours)\b/i.test(s)) out.pains.push({ ...item, text: s });
    const competitor = /\b(?:using|evaluating)\s+([A-Z][\w.]+)/.exec(s)?.[1];
    if (competitor && !seenCompetitors.has(competitor)) {
      seenCompetitors.add(competitor);
      out.competitors.push({ ...item, name: competitor });
      out.qualification.push({ ...item, field: 'competition', value: s });
    }
    const facts: Array<[RegExp, QualificationField]> = [
      [/\bbudget\b/i, 'budget'],
      [/\b(?:timeline|deadline)\b/i, 'timeline'],
      [/\bdecision\b/i, 'decision_process'],
      [/\b(?:procurement|legal|contract)\b/i, 'paper_process'],
    ];
    for (const [pattern, field] of facts) if (pattern.test(s)) out.qualification.push({ ...item, field, value: s });
    const risk: Array<[RegExp, RiskKind]> = [
      [/\b(?:left|leaving)\b/i, 'champion_left'],
      [/\b(?:delay(?:ed)?|pushed)\b/i, 'timeline_slip'],
      [/\bcut\b/i, 'budget_cut'],
    ];
    const kind = risk.find(([pattern]) => pattern.test(s))?.[1];
    if (kind) out.risks.push({ ...item, kind, text: s });
    if (!out.stageChange) {
      const stage = /\bsigned\b/i.test(s) ? 'closed_won' : /\bnegotiat/i.test(s) ? 'negotiation' : /\bproposal\b/i.test(s) ? 'proposal' : null;
      if (stage) out.stageChange = { ...item, stage };
    }
    const money = /[$€£]\s?(\d[\d,]*(?:\.\d+)?)\s?([km])?\b/i.exec(s);
    if (money && !out.amountChange) out.amountChange = { ...item, amount: Number(money[1]!.replace(/,/g, '')) * unitMultiplier(money[2]), currency: null };
    if (/\b(?:close|sign)\b/i.test(s) && !out.closeDateChange) out.closeDateChange = { ...item, when: s };
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Running

type ExtractorName = 'offline' | 'baseline';
const extractorNames: readonly ExtractorName[] = ['offline', 'baseline'];
const splits: readonly DatasetSplit[] = ['heldout', 'tune'];

interface Prepared {
  call: LabelledCall;
  transcript: string;
  request: ExtractRequest;
}

function prepare(call: LabelledCall): Prepared {
  const transcript = parseTranscript(call.text, call.format).text;
  const request: ExtractRequest = {
    orgId: 'bench',
    idempotencyKey: call.id,
    transcript,
    occurredAt: call.occurredAt,
    timeZone: call.timeZone,
    context: {
      repName: call.context.repName,
      accountName: null,
      stage: call.context.stage,
      currency: call.context.currency,
      knownPeople: call.context.knownPeople.map((name) => ({ name, title: null })),
    },
  };
  return { call, transcript, request };
}

const extractors: Record<ExtractorName, (prepared: Prepared) => Extraction> = {
  offline: (prepared) => extractOffline(prepared.request),
  baseline: (prepared) => extractBaseline(prepared.transcript),
};

/** Items an extraction proposes, summary included: what the evidence check sees. */
function proposalCount(extraction: Extraction): number {
  return extractionFields.reduce((total, field) => {
    const value = extraction[field];
    return total + (Array.isArray(value) ? value.length : value === null ? 0 : 1);
  }, 0);
}

// A Record, so a new DropReason fails the typecheck here rather than going uncounted in the report.
const noDrops: Record<DropReason, number> = { quote_not_in_input: 0, quote_too_short: 0, value_not_in_quote: 0 };
const dropReasons = Object.keys(noDrops) as DropReason[];

interface Drops {
  proposed: number;
  dropped: number;
  byReason: Record<DropReason, number>;
  byField: Partial<Record<ExtractionField, number>>;
}

function countDrops(proposed: number, dropped: readonly DroppedProposal[], into: Drops): void {
  into.proposed += proposed;
  into.dropped += dropped.length;
  for (const drop of dropped) {
    into.byReason[drop.reason] += 1;
    into.byField[drop.field] = (into.byField[drop.field] ?? 0) + 1;
  }
}

interface SplitResult {
  calls: string[];
  extractors: Record<ExtractorName, { aggregate: Aggregate; drops: Drops }>;
  /** Micro F1 of the offline extractor over the baseline's; null when either is null or the baseline's is 0. */
  microF1Ratio: number | null;
}

function evaluate(prepared: readonly Prepared[]): Record<DatasetSplit, SplitResult> {
  const result = {} as Record<DatasetSplit, SplitResult>;
  for (const split of splits) {
    const inSplit = prepared.filter((p) => p.call.split === split);
    const perExtractor = {} as SplitResult['extractors'];
    for (const name of extractorNames) {
      const drops: Drops = { proposed: 0, dropped: 0, byReason: { ...noDrops }, byField: {} };
      const scores: CallScore[] = inSplit.map((p) => {
        const extraction = extractors[name](p);
        const { kept, dropped } = checkEvidence(extraction, p.transcript);
        countDrops(proposalCount(extraction), dropped, drops);
        return scoreCall(p.call.expected, kept, { occurredAtMs: Date.parse(p.call.occurredAt), timeZone: p.call.timeZone });
      });
      perExtractor[name] = { aggregate: aggregate(scores), drops };
    }
    const offlineF1 = perExtractor.offline.aggregate.micro.f1;
    const baselineF1 = perExtractor.baseline.aggregate.micro.f1;
    result[split] = {
      calls: inSplit.map((p) => p.call.id),
      extractors: perExtractor,
      microF1Ratio: offlineF1 === null || baselineF1 === null || baselineF1 === 0 ? null : offlineF1 / baselineF1,
    };
  }
  return result;
}

interface Throughput {
  calls: number;
  passes: number;
  seconds: number;
  callsPerSecond: number;
  msPerCall: number;
}

function measureThroughput(prepared: readonly Prepared[], name: ExtractorName): Throughput {
  const run = (): void => {
    for (const p of prepared) checkEvidence(extractors[name](p), p.transcript);
  };
  run(); // warm-up: chrono's and the regexes' first compiles
  const started = performance.now();
  for (let pass = 0; pass < passes; pass += 1) run();
  const seconds = (performance.now() - started) / 1000;
  const calls = prepared.length * passes;
  return { calls: prepared.length, passes, seconds, callsPerSecond: calls / seconds, msPerCall: (seconds * 1000) / calls };
}

// ---------------------------------------------------------------------------------------------------------------
// Printing

const rate = (value: number | null): string => (value === null ? '—' : value.toFixed(3));
const splitTitle: Record<DatasetSplit, string> = { heldout: 'HELD-OUT', tune: 'TUNE' };

function cells(r: Rates): string {
  return `${String(r.tp).padStart(4)} ${String(r.fp).padStart(4)} ${String(r.fn).padStart(4)} ${rate(r.precision).padStart(6)} ${rate(r.recall).padStart(6)} ${rate(r.f1).padStart(6)}`;
}

function dropLine(drops: Drops): string {
  const reasons = dropReasons.map((reason) => `${reason} ${drops.byReason[reason]}`).join(', ');
  const fields = Object.entries(drops.byField)
    .sort((a, b) => (b[1] ?? 0) - (a[1] ?? 0))
    .map(([field, count]) => `${field} ${count}`)
    .join(', ');
  return `${drops.dropped} of ${drops.proposed} proposals dropped (${reasons})${fields ? `; by field: ${fields}` : ''}`;
}

function printSplit(split: DatasetSplit, result: SplitResult): void {
  const { offline, baseline } = result.extractors;
  const head = '  TP   FP   FN  prec. recall     F1';
  console.log(`\n${splitTitle[split]} split: ${result.calls.length} calls (${result.calls.map((id) => id.slice(0, 2)).join(', ')})`);
  console.log(`${''.padEnd(18)} | ${'offline rules'.padEnd(head.length)} | baseline`);
  console.log(`${'field'.padEnd(18)} |${head} |${head}`);
  for (const field of scoredFields) {
    const label = (findingFields as readonly string[]).includes(field) ? field : `  ${field}`;
    console.log(`${label.padEnd(18)} |${cells(offline.aggregate.fields[field])} |${cells(baseline.aggregate.fields[field])}`);
  }
  console.log(`${'micro (findings)'.padEnd(18)} |${cells(offline.aggregate.micro)} |${cells(baseline.aggregate.micro)}`);
  console.log(`micro F1 offline/baseline: ${result.microF1Ratio === null ? '—' : `${result.microF1Ratio.toFixed(2)}×`}`);
  console.log(`dropped by the evidence check, offline:  ${dropLine(offline.drops)}`);
  console.log(`dropped by the evidence check, baseline: ${dropLine(baseline.drops)}`);
}

function main(): void {
  const loadAtStart = loadavg()[0] ?? 0;
  const dataset = loadDataset();
  const prepared = dataset.map(prepare);
  const results = evaluate(prepared);
  const throughput = { offline: measureThroughput(prepared, 'offline'), baseline: measureThroughput(prepared, 'baseline') };
  const loadAtEnd = loadavg()[0] ?? 0;

  if (values.json) {
    const round = (value: number | null, digits = 4): number | null => (value === null ? null : Number(value.toFixed(digits)));
    const ratesJson = (r: Rates) => ({ tp: r.tp, fp: r.fp, fn: r.fn, precision: round(r.precision), recall: round(r.recall), f1: round(r.f1) });
    console.log(
      JSON.stringify(
        {
          bench: 'call-notes',
          at: new Date().toISOString(),
          node: process.version,
          loadAverage: { start: round(loadAtStart, 2), end: round(loadAtEnd, 2) },
          offlineRulesVersion: OFFLINE_RULES_VERSION,
          calls: dataset.length,
          splits: Object.fromEntries(
            splits.map((split) => [
              split,
              {
                calls: results[split].calls,
                microF1Ratio: round(results[split].microF1Ratio),
                ...Object.fromEntries(
                  extractorNames.map((name) => {
                    const { aggregate: agg, drops } = results[split].extractors[name];
                    return [name, { fields: Object.fromEntries(scoredFields.map((field) => [field, ratesJson(agg.fields[field])])), micro: ratesJson(agg.micro), drops }];
                  }),
                ),
              },
            ]),
          ),
          throughput: Object.fromEntries(
            extractorNames.map((name) => [name, { ...throughput[name], seconds: round(throughput[name].seconds), callsPerSecond: round(throughput[name].callsPerSecond, 1), msPerCall: round(throughput[name].msPerCall) }]),
          ),
        },
        null,
        2,
      ),
    );
    return;
  }

  console.log(
    `\nCall-notes extraction benchmark — Node ${process.version}; offline rules ${OFFLINE_RULES_VERSION} vs a keyword baseline; ${dataset.length} labelled calls; ` +
      `scored after the evidence check; load average ${loadAtStart.toFixed(1)} at the start, ${loadAtEnd.toFixed(1)} at the end`,
  );
  console.log('Details (indented) are scored over matched pairs only; micro sums the findings, not the details. "—" is 0/0.');
  for (const split of splits) printSplit(split, results[split]);
  console.log(`\nThroughput (extract + evidence check, ${dataset.length} calls × ${passes} passes after a warm-up):`);
  for (const name of extractorNames) {
    const t = throughput[name];
    console.log(`  ${name.padEnd(8)} ${t.callsPerSecond.toFixed(0).padStart(8)} calls/s  (${t.msPerCall.toFixed(3)} ms/call, ${t.seconds.toFixed(2)} s)`);
  }
}

main();
