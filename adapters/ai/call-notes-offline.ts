// The offline call-notes extractor of the embedded default: rules and chrono-node, no AI. It finds less than a
// model, and it never invents: every item it returns quotes a sentence of the notes verbatim, and values (names,
// amounts, stages) come from words in that sentence. Hedged talk ("maybe", "might") proposes no CRM change.
import { parseDates } from '../../domain/zoned-time.ts';
import { emptyExtraction, type Extraction, type ExtractedRole, type QualificationField, type RiskKind } from '../../domain/call-notes.ts';
import { ValidationError } from '../../domain/errors.ts';
import type { CallNotesExtractor, ExtractRequest, ExtractionResult } from './call-notes-port.ts';

/** Bump when the rules change: recorded on every output, like a prompt version. */
export const OFFLINE_RULES_VERSION = 'offline-rules.v2';
export const OFFLINE_EXTRACTOR_LABEL = 'offline rules extractor: no AI — finds less, quotes every item from the notes';

interface Sentence {
  text: string;
  /** The sentence as it stands in the transcript, with its speaker's name when it opens the line. */
  line: string;
  /** The speaker of a transcript line; null in plain notes. */
  speaker: string | null;
  /** True when the rep (our side) said it, or it is the rep's own notes. */
  ours: boolean;
}

const hedge = /\b(?:maybe|might|perhaps|possibly|potentially|not sure (?:if|whether)|hypothetically|if at all|could be|we'll see|tbd|unclear whether)\b/i;

/** Sentences with their speaker; a bullet or a line is a sentence boundary too. */
function sentencesOf(transcript: string, repNames: string[]): Sentence[] {
  const sentences: Sentence[] = [];
  for (const rawLine of transcript.split('\n')) {
    let line = rawLine.trim();
    if (!line) continue;
    let speaker: string | null = null;
    const named = /^([\p{Lu}][\p{L}\p{M}.'’ -]{0,60}?)\s*:\s+(\S.*)$/u.exec(line);
    // A one-letter label ("M: …" in MEDDICC notes) or an abbreviation is not a speaker.
    if (named && (/^\p{Lu}\p{Ll}/u.test(named[1]!) || /^(?:me|us|we)$/i.test(named[1]!)) && !/^(?:next steps?|action items?|notes?|summary|attendees|todo|to do|re|fyi|pain|pains|budget|timeline|risks?|objections?|competition|competitors?|decision|stage|amount|close date)$/i.test(named[1]!.trim())) {
      speaker = named[1]!.trim();
      line = named[2]!;
    }
    line = line.replace(/^(?:[-*•–]|\d+[.)])\s+/, '');
    // "me:" and "us:" in a rep's own notes are the rep.
    const ours = speaker === null || /^(?:me|us|we|rep|ae|sdr|our side)$/i.test(speaker) || repNames.some((name) => name && speaker!.toLowerCase().startsWith(name.toLowerCase()));
    // Split after . ! ? followed by a space and a capital or a digit; abbreviations like "e.g." stay whole.
    const parts = line.split(/(?<=[.!?])\s+(?=[\p{Lu}\d"“])/u);
    parts.forEach((part, index) => {
      const text = part.trim();
      if (text.length >= 8) sentences.push({ text, line: index === 0 && speaker && rawLine.trim().startsWith(`${speaker}:`) ? `${speaker}: ${text}` : text, speaker, ours });
    });
  }
  return sentences;
}

const notNames = new Set(
  [
    'I', 'We', 'They', 'He', 'She', 'The', 'A', 'An', 'Our', 'Their', 'His', 'Her', 'It', 'This', 'That', 'Next', 'Then', 'Also', 'And', 'But', 'So',
    'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday', 'Mon', 'Tue', 'Tues', 'Wed', 'Thu', 'Thurs', 'Fri',
    'January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December',
    'Jan', 'Feb', 'Mar', 'Apr', 'Jun', 'Jul', 'Aug', 'Sep', 'Sept', 'Oct', 'Nov', 'Dec', 'Q1', 'Q2', 'Q3', 'Q4', 'EOD', 'EOW', 'EOQ', 'CRM', 'SSO', 'SOC', 'MSA', 'DPA',
    'NDA', 'SLA', 'ROI', 'POC', 'PO', 'EB', 'VP', 'CEO', 'CFO', 'CTO', 'CRO', 'COO', 'CIO', 'CISO', 'IT', 'HR', 'Ops', 'Sales', 'Finance', 'Legal', 'Security',
    'Procurement', 'Marketing', 'Engineering', 'Head', 'Director', 'Manager', 'Team', 'Yes', 'No', 'Ok', 'Okay', 'Thanks', 'Hi', 'Hello', 'Great', 'Sure',
    'Good', 'Right', 'Well', 'Yeah', 'Sounds', 'Let', "Let's", 'Will', 'Can', 'Could', 'Would', 'Should', 'If', 'When', 'What', 'Who', 'How', 'Why', 'Where',
    'Discussed', 'Call', 'Meeting', 'Demo', 'Notes', 'Action', 'Follow', 'Send', 'Pricing', 'Budget', 'Timeline', 'Pain', 'Risk', 'Summary', 'Attendees',
    'Leadership', 'Corporate', 'Everyone', 'Someone', 'Somebody', 'Nobody', 'Everything', 'Honestly', 'Perfect', 'Understood', 'Exactly', 'Actually', 'Fine',
    'Board', 'Management', 'Committee', 'Partner', 'Customer', 'Client', 'Vendor', 'Company', 'Office', 'Support', 'Product', 'Ok', 'Cool', 'Awesome', 'Me',
  ].map((word) => word.toLowerCase()),
);

const roleWords: Array<[RegExp, ExtractedRole]> = [
  [/\b(?:economic buyer|EB|budget holder|holds the budget|owns the budget|controls the budget|signs the cheque|signs the check|signs the contract)\b/i, 'economic_buyer'],
  [/\b(?:champion|our advocate|internal advocate|pushing for us|sponsor)\b/i, 'champion'],
  [/\b(?:decision maker|makes the (?:final )?(?:call|decision)|has the final say|final say|decides)\b/i, 'decision_maker'],
  [/\b(?:blocker|blocking|against (?:it|us|the deal)|skeptic(?:al)?|sceptic(?:al)?|opposed|pushing back)\b/i, 'blocker'],
  [/\b(?:approver|needs to approve|has to approve|must approve|signs off|sign[- ]off|approves)\b/i, 'approver'],
  [/\b(?:influencer|influential|has (?:a lot of )?influence|opinion matters|has the ear of)\b/i, 'influencer'],
];

const firstPersonRoles: Array<[RegExp, ExtractedRole]> = [
  [/\b(?:I (?:own|hold|control|have) the budget|(?:that|this) I can sign|I sign (?:the contract|everything|contracts))\b/i, 'economic_buyer'],
  [/\bI (?:sign off|approve|have to approve|need to approve)\b/i, 'approver'],
  [/\bI (?:decide|make the (?:final )?(?:call|decision)|have the final say)\b/i, 'decision_maker'],
];

const titlePattern = /\b((?:(?:Senior|Sr\.?|Junior|Chief|Head|Director|VP|Vice President|Manager|Lead|Principal)\b[\w &,/-]{0,40}?)|(?:CEO|CFO|CTO|CRO|COO|CIO|CISO|CMO|RevOps|IT lead|founder|co-founder|controller))(?=[,.;)]|\s+(?:at|who|and|is|was|will|joined|said)\b|$)/i;

/** Capitalised names in a sentence: two words ("Priya Shah"), or one word followed by a verb ("Dana said"). */
function namesIn(text: string, known: string[]): string[] {
  const found = new Set<string>();
  for (const name of known) {
    const first = name.split(/\s+/)[0]!;
    if (new RegExp(`\\b${escapeRegExp(name)}\\b`, 'i').test(text)) found.add(name);
    else if (first.length > 2 && new RegExp(`\\b${escapeRegExp(first)}\\b`).test(text)) found.add(first);
  }
  for (const match of text.matchAll(/\b(\p{Lu}[\p{Ll}'’-]+)\s+(\p{Lu}[\p{Ll}'’-]+)\b/gu)) {
    const [first, last] = [match[1]!, match[2]!];
    if (!notNames.has(first.toLowerCase()) && !notNames.has(last.toLowerCase())) found.add(`${first} ${last}`);
  }
  for (const match of text.matchAll(/\b(\p{Lu}[\p{Ll}'’-]{1,20})\s+(?:said|says|mentioned|thinks|wants|asked|confirmed|agreed|will|is|was|joined|left|owns|runs|leads|signs|needs|has)\b/gu)) {
    const word = match[1]!;
    if (!notNames.has(word.toLowerCase()) && ![...found].some((name) => name.split(' ').includes(word))) found.add(word);
  }
  return [...found];
}

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Whether the sentence names a day and an hour (a meeting time), as chrono reads it. */
function hasDayAndHour(sentence: string, request: ExtractRequest): boolean {
  const { results } = parseDates({ text: sentence, referenceMs: Date.parse(request.occurredAt), zone: request.timeZone });
  return results.some((r) => r.start.isCertain('hour') && (r.start.isCertain('day') || r.start.isCertain('weekday')));
}

/** The words of a sentence that name a time, as chrono reads them. */
function timeWords(sentence: string, request: ExtractRequest): string | null {
  const { results } = parseDates({ text: sentence, referenceMs: Date.parse(request.occurredAt), zone: request.timeZone });
  const result = results.find((r) => !r.tags().has('casualReference/now'));
  if (!result) return null;
  // "end of June" / "by Friday": keep the lead-in that changes the meaning.
  const lead = /\b(end of|by the end of|by|before|on|next|this)\s+$/i.exec(sentence.slice(0, result.index));
  return lead && /end of/i.test(lead[1]!) ? `${lead[1]} ${result.text}` : result.text;
}

const competitorCues = /\b(?:evaluating|also looking at|looking at|looked at|talking to|comparing|compared|vs\.?|versus|against|trial(?:ling|ing)? (?:of|with)?|pilot(?:ing)? (?:of|with)?|demo(?:ed)? (?:from|of|with)|currently (?:use|using|on)|using|use|switch(?:ing)? from|moving off|replace|replacing|competitor|incumbent|leaning towards|leaning toward|prefer|going with|go with|went with|quote (?:we have )?from|alternative)\b/i;
// Vendors a small B2B sales team meets most; the cue words above still have to be in the sentence.
const knownVendors = ['Gong', 'Chorus', 'Outreach', 'Salesloft', 'SalesLoft', 'Apollo', 'HubSpot', 'Hubspot', 'Salesforce', 'Clari', 'Pipedrive', 'Close', 'Attio', 'Avoma', 'Fireflies', 'Otter', 'Fathom', 'Lemlist', 'Reply.io', 'Mixmax', 'Groove', 'People.ai', 'Zoho', 'Copper', 'Freshsales', 'Dynamics', 'Highspot', 'Seismic', 'Aircall', 'Dialpad', 'Calendly', 'Chili Piper', 'Zendesk', 'Intercom', 'Monday.com', 'Asana', 'Notion', 'Slack'];

const painCue = /\b(?:pain|struggl\w*|wast\w*|hours (?:a|per|every) (?:week|day)|(?:four|five|six|several|\d+) (?:or \w+ )?hours|manual(?:ly)?|by hand|frustrat\w*|headache|nightmare|slow|fall(?:s|ing)? through the cracks|slip(?:s|ping)?(?: through)?|losing|lose|lost (?:two|three|\d+|track)|drop(?:s|ped|ping)? (?:leads|follow[- ]ups|the ball)|spend\w* (?:too much|hours|half|\w+ mornings)|no visibility|can't see|can't keep up|stale|out of date|messy|chaos|error[- ]prone|copy[- ]?past\w*|nobody (?:trusts|owns|sees|follows|chased)|no one (?:owns|trusts|sees|follows)|never makes it|forget(?:s)? to|not happy|nothing happens|land in \w+ (?:different )?inboxes|because someone|wait(?:s|ing)? (?:\w+ )?(?:or \w+ )?(?:hours|days))\b/i;
const objectionCue = /\b(?:too expensive|too pricey|too (?:low|high|long|short)|price is (?:high|steep|a concern)|pricing is (?:high|steep|a concern)|expensive|over budget|more than we planned|can't justify|hard to justify|concern(?:ed|s)? (?:about|that|with|is)|worr(?:y|ied|ies)(?: abt| about| that| is)?|the problem is|the issue is|is a gap|a gap|hesitant|not convinced|skeptical|sceptical|push(?:ed)? back|pushback|objection|don't see the value|security concerns?|not a priority|bad timing|already (?:have|use|using|integrated)|under your (?:number|price)|price increase|don't do|won't do|need (?:the )?right to|need two times|have to name|locked for)\b/i;
const commitmentCue = /\b(?:will|'ll|is going to|are going to|promised to|agreed to|committed to|to send us|will get back|will loop in|will intro(?:duce)?|will share)\b/i;
const nextStepCue = /\b(?:next steps?|action items?|to ?do|follow[- ]up|i'll|i will|we'll|we will|need to|needs to|to send|send (?:over|them|him|her|the|a)|schedule|set up|book|share|prepare|draft|loop in|intro(?:duce)?|get back to)\b/i;
const callbackCue = /\b(?:call (?:me|him|her|them|us) back|call back|callback|call (?:me|us) (?:on|at|next|tomorrow|monday|tuesday|wednesday|thursday|friday)|give (?:me|us|him|her) a (?:call|ring)|ring (?:me|us)|try (?:me|him|her) again|reach (?:me|him|her) (?:on|at))\b/i;
const meetingCue = /\b(?:meeting|mtg|demo|workshop|session|review|sync|call with|onsite|on-site|walkthrough|walk-through|kickoff|kick-off)\b/i;
const meetingAgreed = /\b(?:booked|scheduled|set up|confirmed|agreed|locked in|calendar invite|sent (?:an|the) invite|send the invite|move the invite|see you|let's do|let's say|we'll do|meeting on|demo on|is set for|set for|works|is good|free on|next call|check-ins?|readout)\b/i;
const riskCues: Array<[RegExp, RiskKind]> = [
  [/\b(?:left the company|has left|is leaving|no longer (?:at|with)|moved on|departed|resigned|quit|last day)\b/i, 'champion_left'],
  [/\b(?:no[- ]show|didn't show|did not show|didn't join|did not join|no one joined|nobody joined|stood (?:me|us) up|never showed)\b/i, 'no_show'],
  [/\b(?:budget (?:cut|cuts|freeze|frozen|slashed|got cut|was cut)|hiring freeze|cost[- ]cutting|spending freeze|froze (?:all )?(?:new )?(?:software )?spend|layoffs?|headcount cuts?)\b/i, 'budget_cut'],
  [/\b(?:leaning (?:towards|toward)|prefer(?:s|red)? (?:\p{Lu}\w+)|going with (?:\p{Lu}\w+)|go with (?:\p{Lu}\w+)|favou?rite is)\b/u, 'competitor_preferred'],
  [/\b(?:push(?:ed|ing)? (?:back|out) (?:to|until)|delay(?:ed|s)?|postpone(?:d)?|not until|on hold|paused the project|next fiscal year|can't sign off)\b/i, 'timeline_slip'],
  [/\b(?:barely (?:logs? in|uses?|used)|nobody uses|low adoption|not using it)\b/i, 'other'],
];
const qualificationCues: Array<[RegExp, QualificationField]> = [
  [/\bbudget\b.*\b(?:approved|allocated|set aside|of|is|around|about|\$|€|£|\d)|\b(?:finance has|number approved|budget approved|approved budget)\b/i, 'budget'],
  [/\b(?:signs off|sign[- ]off|final say|decision maker|makes the (?:final )?call|has authority|has to approve|needs to approve|signs everything|signs anything)\b/i, 'authority'],
  [/\b(?:go live|go-live|live by|live before|launch(?:ing)? (?:by|in|before)|need(?:s)? it (?:by|before)|deadline|timeline is|before (?:the )?Q\d|by (?:the )?end of (?:q\d|the quarter|the year|\w+)|signed before|sign this month|want to sign|start in \w+)\b/i, 'timeline'],
  [/\b(?:needs? (?:SSO|SCIM|SOC ?2|to see the security)|must[- ]have|non-negotiable|deal[- ]breaker|before any rollout)\b/i, 'decision_criteria'],
  [/\b(?:committee meets|board meets|exception process|goes to the board)\b/i, 'decision_process'],
  [/\b(?:\d+\s?%|\d+ hours (?:a|per) (?:week|day)|reduce\w* .{0,30} by|increase\w* .{0,30} by|save\w* .{0,20}\d)/i, 'metrics'],
  [/\b(?:economic buyer|\bEB\b|budget holder|owns the budget)\b/, 'economic_buyer'],
  [/\b(?:decision criteria|criteria|must[- ]haves?|requirements? (?:are|is|include))\b/i, 'decision_criteria'],
  [/\b(?:decision process|evaluation process|steering committee|buying committee|security review|approval process|needs to go through)\b/i, 'decision_process'],
  [/\b(?:procurement|purchase order|\bPO\b|MSA|DPA|redlines?|legal review|vendor onboarding|contract review|paperwork)\b/i, 'paper_process'],
];
const stageCues: Array<[RegExp, Extraction['stageChange'] extends infer S ? (S extends { stage: infer T } ? T : never) : never]> = [
  [/\b(?:closed[- ]lost|we lost (?:the deal|it|this one)|went with (?:\p{Lu}\w+)|go with (?:\p{Lu}\w+)|chose (?:\p{Lu}\w+)|not moving forward|decided against|no longer interested)\b/u, 'closed_lost'],
  [/\b(?:signed (?:the )?(?:contract|order form|agreement)|order form signed|docusign completed|closed[- ]won|we won|countersigned)\b/i, 'closed_won'],
  [/\b(?:redlines?|negotiat\w*|discount|final terms|contract terms|order form|move to contract|three-year|3-year|multi-year)\b/i, 'negotiation'],
  [/\b(?:send (?:over )?(?:a|the) proposal|sent (?:a|the) proposal|asked for (?:a|the) proposal|proposal (?:sent|requested|by)|formal quote|pricing proposal)\b/i, 'proposal'],
  [/\b(?:demo (?:is )?(?:booked|scheduled|set)|scheduled (?:a|the) demo|book(?:ed)? (?:a|the) demo)\b/i, 'demo'],
];
const stageOrder = ['discovery', 'qualification', 'demo', 'proposal', 'negotiation', 'closed_won', 'closed_lost'];
const amountPattern = /(?:(?<cur1>[$€£]|USD|EUR|GBP)\s?(?<num1>\d[\d,.]*)\s?(?<unit1>k|m|K|M)?\b|(?<num2>\d[\d,.]*)\s?(?<unit2>k|m|K|M)?\s?(?<cur2>USD|EUR|GBP|dollars|euros|pounds)\b)/;
const dealAmountCue = /(?:\b(?:deal (?:size|value|is|at)|contract value|ACV|ARR|total|quote[ds]?|priced at|proposal (?:at|for)|per year|a year|annual(?:ly)?|seats? at|seats would be|licen[cs]e|final)\b|\/yr\b|\/year\b)/i;
const closeCue = /\b(?:close (?:by|date|in|before|on)|closed by|closing (?:by|in|on)|sign (?:by|before|on|this)|signed (?:by|before)|signature by|decision by|contract by|expects? to sign|want to sign|could sign|target(?:ing)? .{0,20}(?:signature|close))\b/i;

const currencyOf = (symbol: string | undefined): string | null =>
  symbol === '$' || symbol === 'USD' || symbol === 'dollars' ? 'USD' : symbol === '€' || symbol === 'EUR' || symbol === 'euros' ? 'EUR' : symbol === '£' || symbol === 'GBP' || symbol === 'pounds' ? 'GBP' : null;

function amountIn(sentence: string): { amount: number; currency: string | null } | null {
  const match = amountPattern.exec(sentence);
  if (!match?.groups) {
    // "25 seats at 1,200 is 30,000 a year": no currency said, the last figure is the total.
    if (!/\bseats?\b|\ba year\b|\bper year\b/i.test(sentence)) return null;
    const figures = [...sentence.matchAll(/\b\d{1,3}(?:,\d{3})+\b|\b\d{4,}\b/g)].map((m) => Number(m[0].replace(/,/g, '')));
    const total = figures.at(-1);
    return total !== undefined && total >= 1000 ? { amount: total, currency: null } : null;
  }
  const g = match.groups;
  const digits = (g.num1 ?? g.num2 ?? '').replace(/,/g, '');
  const unit = (g.unit1 ?? g.unit2 ?? '').toLowerCase();
  const value = Number(digits);
  if (!Number.isFinite(value) || value <= 0) return null;
  return { amount: value * (unit === 'k' ? 1_000 : unit === 'm' ? 1_000_000 : 1), currency: currencyOf(g.cur1 ?? g.cur2) };
}

function shorten(text: string, max = 300): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export function extractOffline(request: ExtractRequest): Extraction {
  const repNames = [request.context.repName ?? '', (request.context.repName ?? '').split(' ')[0] ?? ''].filter(Boolean);
  const sentences = sentencesOf(request.transcript, repNames);
  const knownNames = request.context.knownPeople.map((person) => person.name);
  const out: Extraction = structuredClone(emptyExtraction);
  const seenPeople = new Map<string, number>();

  const firstLines = sentences.slice(0, 2);
  if (firstLines.length > 0 && firstLines[0]) {
    // No AI: the opening of the notes, said to be that, stands in for a summary.
    out.summary = { text: `Offline extract (no AI summary): ${shorten(firstLines.map((s) => s.text).join(' '), 600)}`, quote: firstLines[0].text, confidence: 0.2 };
  }

  // The buyer's side of a transcript: each speaker who is not the rep is a person on the call.
  for (const sentence of sentences) {
    if (sentence.ours || !sentence.speaker || seenPeople.has(sentence.speaker) || notNames.has(sentence.speaker.toLowerCase()) || sentence.line === sentence.text) continue;
    seenPeople.set(sentence.speaker, out.people.length);
    out.people.push({ name: sentence.speaker, title: null, role: null, quote: sentence.line, confidence: 0.6 });
  }
  // What a speaker says of themselves: "I sign off on the budget" makes them the approver (handled below too).
  for (const sentence of sentences) {
    if (sentence.ours || !sentence.speaker || hedge.test(sentence.text)) continue;
    const role = firstPersonRoles.find(([pattern]) => pattern.test(sentence.text))?.[1];
    const at = seenPeople.get(sentence.speaker);
    if (role && at !== undefined && out.people[at]!.role === null && sentence.line !== sentence.text) out.people[at] = { ...out.people[at]!, role, quote: sentence.line };
  }

  for (const sentence of sentences) {
    const { text } = sentence;
    const hedged = hedge.test(text);

    // People: transcript speakers of the buyer side, and names near a role or a title.
    const people = namesIn(text, knownNames).filter((name) => !repNames.some((rep) => rep && name.toLowerCase().startsWith(rep.toLowerCase())));
    for (const name of people) {
      const role = roleWords.find(([pattern]) => pattern.test(text))?.[1] ?? null;
      const title = titlePattern.exec(text)?.[1]?.trim() ?? null;
      // A name alone, with nothing about the person, is only worth a contact when it is a full name.
      if (role === null && title === null && !/\s/.test(name)) continue;
      const at = seenPeople.get(name) ?? seenPeople.get([...seenPeople.keys()].find((known) => known.split(' ')[0] === name) ?? '');
      if (at !== undefined) {
        const earlier = out.people[at]!;
        if (earlier.role === null && role !== null) out.people[at] = { ...earlier, role, quote: text };
        continue;
      }
      seenPeople.set(name, out.people.length);
      out.people.push({ name, title, role: hedged ? null : role, quote: text, confidence: 0.5 });
    }

    const callback = callbackCue.test(text);
    if (callback) {
      // The words from the ask on: "call me on the 7th at 11 in the morning", read whole by the callback parser.
      const ask = callbackCue.exec(text)!;
      const when = text.slice(ask.index).replace(/[\s"”'.!]+$/u, '').slice(0, 200);
      out.callbacks.push({ when, quote: text, confidence: 0.6 });
    }

    const when = timeWords(text, request);
    // A meeting agreed: a day and an hour, and words that agree to meet ("works", "booked", "let's do").
    if (!callback && when && hasDayAndHour(text, request) && (meetingCue.test(text) || meetingAgreed.test(text)) && !hedged && !/\?$/.test(text)) {
      const noun = meetingCue.exec(text)?.[0] ?? 'meeting';
      out.meetings.push({ title: noun.toLowerCase() === 'mtg' ? 'Meeting' : `${noun[0]!.toUpperCase()}${noun.slice(1)}`, when, quote: text, confidence: 0.5 });
    }

    const header = /^(?:next steps?|action items?|to ?dos?|follow[- ]ups?)\s*:?\s*$/i.test(text);
    // Plain notes write next steps as bare imperatives ("send recap by Thu", "chase Maja for the form").
    const imperative = sentence.ours && /^(?:send|chase|check|get|try|put|reach out|follow up|email|book|schedule|share|draft|prepare|confirm|loop in|intro|ask|set up|update|hand over|call)\b/i.test(text);
    const spokenCommitment = sentence.speaker !== null && !sentence.ours && /\b(?:i'll|i will|we'll|we will|let me|i'm going to|i can get)\b|^will\b/i.test(text);
    // In notes: "Dana will send their templates", "Nora to set up by Thu".
    const theirStep = sentence.ours && /^\p{Lu}[\p{Ll}'’-]+(?: \p{Lu}[\p{Ll}'’-]+)? (?:will|to) (?:send|share|set up|get|check|confirm|review|sign|loop in|intro(?:duce)?|book|schedule|chase)\b/u.test(text);
    if (!callback && !header && text.length >= 20 && (imperative || theirStep || (nextStepCue.test(text) && (sentence.ours || spokenCommitment))) && !hedged && !/\?$/.test(text)) {
      const buyerSays = !sentence.ours || theirStep || /^(?:they|she|he)\s+(?:will|'ll|is going to|agreed to|promised to)\b/i.test(text);
      const owner = buyerSays ? 'buyer' : 'rep';
      const ownerName = buyerSays ? (sentence.speaker ?? namesIn(text, knownNames)[0] ?? null) : null;
      out.nextSteps.push({ text: shorten(text.replace(/^(?:next steps?|action items?)\s*[:-]\s*/i, ''), 500), owner, ownerName, due: when, quote: text, confidence: 0.5 });
      if (buyerSays && commitmentCue.test(text)) out.commitments.push({ text: shorten(text, 500), quote: text, confidence: 0.5 });
    }

    // In a transcript only the buyer objects; plain notes are the rep writing down what the buyer said.
    if (objectionCue.test(text) && (sentence.speaker === null || !sentence.ours) && !/\?$/.test(text)) out.objections.push({ text: shorten(text), quote: text, confidence: 0.5 });
    if (painCue.test(text) && text.length >= 20 && (sentence.speaker === null || !sentence.ours) && !/\?$/.test(text)) out.pains.push({ text: shorten(text), quote: text, confidence: 0.4 });

    if (competitorCues.test(text)) {
      for (const vendor of knownVendors) {
        if (new RegExp(`\\b${escapeRegExp(vendor)}\\b`).test(text) && !out.competitors.some((c) => c.name.toLowerCase() === vendor.toLowerCase()) && (sentence.speaker === null || !sentence.ours) && !/\?$/.test(text)) {
          out.competitors.push({ name: vendor, quote: text, confidence: 0.5 });
          out.qualification.push({ field: 'competition', value: `${vendor}: ${shorten(text)}`, quote: text, confidence: 0.5 });
        }
      }
    }

    for (const [pattern, field] of qualificationCues) {
      if (pattern.test(text) && !hedged && !/\?$/.test(text) && !(field === 'paper_process' && sentence.ours && sentence.speaker !== null)) out.qualification.push({ field, value: shorten(text), quote: text, confidence: 0.4 });
    }

    for (const [pattern, kind] of riskCues) {
      if (pattern.test(text) && !hedged) {
        out.risks.push({ kind, text: shorten(text), quote: text, confidence: 0.5 });
        break;
      }
    }

    if (hedged) continue;
    const stage = stageCues.find(([pattern]) => pattern.test(text))?.[1];
    const current = request.context.stage;
    if (stage && (current === null || (stageOrder.indexOf(stage) > stageOrder.indexOf(current) && !current.startsWith('closed')))) {
      if (!out.stageChange || stageOrder.indexOf(stage) > stageOrder.indexOf(out.stageChange.stage)) out.stageChange = { stage, quote: text, confidence: 0.5 };
    }
    const amount = amountIn(text);
    if (amount && dealAmountCue.test(text) && !/\bbudget\b/i.test(text)) out.amountChange = { ...amount, quote: text, confidence: 0.5 };
    if (closeCue.test(text) && when) out.closeDateChange = { when, quote: text, confidence: 0.5 };
    else if (stage === 'closed_won' && when) out.closeDateChange = { when, quote: text, confidence: 0.5 }; // signed today: closed today
  }
  // MEDDICC's champion and economic buyer are people with that part.
  for (const person of out.people) {
    if (person.role === 'champion' || person.role === 'economic_buyer') out.qualification.push({ field: person.role, value: person.name, quote: person.quote, confidence: person.confidence });
  }
  return out;
}

export function createOfflineCallNotesExtractor(): CallNotesExtractor {
  return {
    kind: 'offline',
    async extract(request: ExtractRequest): Promise<ExtractionResult> {
      if (!request.transcript.trim()) throw new ValidationError('The notes are empty');
      return { extraction: extractOffline(request), extractor: 'offline', model: null, promptVersion: OFFLINE_RULES_VERSION, label: OFFLINE_EXTRACTOR_LABEL };
    },
  };
}
