// "Call me back Thursday at 3pm" → an instant; anything less exact → a request to confirm, never a guess.
// chrono finds the phrase; the certainty rules and the time-zone arithmetic are ours: chrono ignores IANA zone
// names, so it gets the zone's UTC offset at the reference instant, and the wall-clock time it reads is turned
// into an instant with the offset of the target day (a DST change may lie in between).
import type { ParsedResult } from 'chrono-node';
import { z } from 'zod';

import { timeZoneSchema } from './objects.ts';
import { addDays, parseDates, wallTimeAt, zoneOffsetMinutes, zonedTimeToMs, type WallTime, type Zone } from './zoned-time.ts';

export { zoneOffsetMinutes, zonedTimeToMs };

// ---------------------------------------------------------------------------------------------------------
// Callback requests

export const callbackRequestInputSchema = z.object({
  text: z.string(),
  referenceMs: z.number().int(),
  timeZone: timeZoneSchema,
});
export type CallbackRequestInput = z.infer<typeof callbackRequestInputSchema>;

export const callbackRequestSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('instant'), atMs: z.number().int(), evidence: z.string() }),
  z.object({ kind: z.literal('needs_confirmation'), candidates: z.array(z.number().int()), evidence: z.string() }),
  z.object({ kind: z.literal('none') }),
]);
export type CallbackRequest = z.infer<typeof callbackRequestSchema>;

// Words that settle am/pm for a bare hour, right after it ("a las 3 de la tarde") or right before it
// ("nachmittags um 3"). chrono itself reads "3pm" and "at 3 in the afternoon"; "am" is left out on purpose:
// in German it means "on" ("am Donnerstag um 3").
const pmWords = /(?<![\p{L}])(?:afternoon|evening|tonight|nachmittags?|abends?|après-midi|apres-midi|soir|tarde|noche|middags?|avonds?)(?![\p{L}])/iu;
const amWords = /(?<![\p{L}])(?:morning|vormittags?|morgens|matin|matinée|(?:de|por) la mañana|ochtends?)(?![\p{L}])/iu;
const timeOfDayTags = ['casualReference/morning', 'casualReference/afternoon', 'casualReference/evening', 'casualReference/tonight', 'casualReference/noon', 'casualReference/midnight'];

// Asked for a callback, or named a time too vague to read: a human must pick the time.
const vaguePhrase =
  /\b(?:after\s[^,.;!?\n]{1,60}|later(?:\s+(?:today|this week|on))?|sometime\s[^,.;!?\n]{1,40}|soon|next\s+(?:week|month|quarter|year)|in\s+a\s+(?:few|couple(?:\s+of)?)\s+\w+|call\s+(?:me\s+)?back|ring\s+me|give\s+me\s+a\s+(?:call|ring)|get\s+back\s+to\s+me|circle\s+back|try\s+(?:me\s+)?again|rufen\s+sie\s+mich[^,.;!?\n]{0,40}|später|nach\s[^,.;!?\n]{1,60}|rappelez-moi|plus\s+tard|après\s[^,.;!?\n]{1,60}|llámame|más\s+tarde|después\s[^,.;!?\n]{1,60}|bel\s+me(?:\s+terug)?)/iu;

const ordinalDay = /\b(?:on\s+)?the\s+(\d{1,2})(?:st|nd|rd|th)\b(?!\s+(?:of\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec))/iu;

interface Reading {
  evidence: string;
  /** Set when the text names one instant for sure. */
  instant: number | null;
  /** Otherwise what chrono's best reading allows, future instants only. */
  candidates: number[];
  why: string;
  /** The local day, when the text names it; readings on different days are alternatives, not details. */
  dayKey: string | null;
}

function dayKeyOf(wall: WallTime): string {
  return `${wall.year}-${wall.month}-${wall.day}`;
}

function nextOccurrence(wall: WallTime, referenceMs: number, zone: Zone): number {
  const today = zonedTimeToMs(wall, zone);
  return today > referenceMs ? today : zonedTimeToMs(addDays(wall, 1), zone);
}

function readResult(result: ParsedResult, text: string, referenceMs: number, zone: Zone, dayOverride: WallTime | null): Reading {
  const start = result.start;
  const tags = result.tags();
  const evidence = `"${result.text}"`;
  const dayKnown = dayOverride !== null || start.isCertain('day') || start.isCertain('weekday');
  const hourKnown = start.isCertain('hour');

  // A duration ("in 2 hours") or an explicit zone ("3pm EST") is already an instant.
  if (tags.has('result/relativeDateAndTime') || start.isCertain('timezoneOffset')) {
    const at = start.date().getTime();
    return at > referenceMs
      ? { evidence, instant: at, candidates: [at], why: '', dayKey: null }
      : { evidence, instant: null, candidates: [], why: 'lies in the past', dayKey: null };
  }

  const chronoWall: WallTime = {
    year: start.get('year') ?? 0,
    month: start.get('month') ?? 1,
    day: start.get('day') ?? 1,
    hour: start.get('hour') ?? 12,
    minute: start.get('minute') ?? 0,
  };
  const wall: WallTime = dayOverride ? { ...chronoWall, year: dayOverride.year, month: dayOverride.month, day: dayOverride.day } : chronoWall;
  const dayKey = dayKnown ? dayKeyOf(wall) : null;
  const at = (w: WallTime): number => (dayKnown ? zonedTimeToMs(w, zone) : nextOccurrence(w, referenceMs, zone));
  const future = (instants: number[]): number[] => [...new Set(instants.filter((ms) => ms > referenceMs))].sort((a, b) => a - b);

  if (!hourKnown) {
    return { evidence, instant: null, candidates: future([at(wall)]), why: 'gives no time of day', dayKey };
  }

  let hour = wall.hour;
  let why = '';
  let qualifier = '';
  const settledByChrono = start.isCertain('meridiem') || timeOfDayTags.some((tag) => tags.has(tag)) || hour === 0 || hour > 12;
  if (!settledByChrono) {
    const end = result.index + result.text.length;
    const after = text.slice(end, end + 25);
    const before = text.slice(Math.max(0, result.index - 15), result.index);
    const pm = pmWords.test(after) || pmWords.test(before);
    const am = amWords.test(after) || amWords.test(before);
    const hasMinutes = /\d[:.h]\d\d/u.test(result.text);
    const word = (pm ? pmWords.exec(after) ?? pmWords.exec(before) : amWords.exec(after) ?? amWords.exec(before))?.[0];
    if (pm !== am && word) qualifier = ` ("${word}")`;
    if (pm && !am) hour = hour % 12 + 12;
    else if (am && !pm) hour = hour % 12;
    // "10:30" reads the same on a 12-hour and a 24-hour clock during office hours; "at 3" and "3:30" do not.
    else if (!(hasMinutes && hour >= 7 && hour <= 12)) {
      const morning = at({ ...wall, hour: hour % 12 });
      const afternoon = at({ ...wall, hour: hour % 12 + 12 });
      return { evidence, instant: null, candidates: future([morning, afternoon]), why: 'gives no am/pm', dayKey };
    }
  }
  const candidate = at({ ...wall, hour });
  const landed = wallTimeAt(candidate, zone);
  if (!dayKnown) why = 'gives no day';
  else if (candidate <= referenceMs) why = 'lies in the past';
  // 02:30 on the night clocks go forward does not exist; the candidate is the same moment after the jump.
  else if (landed.hour !== hour || landed.minute !== wall.minute) why = 'does not exist that day (clocks change)';
  if (why) return { evidence: evidence + qualifier, instant: null, candidates: future([candidate]), why, dayKey };
  return { evidence: evidence + qualifier, instant: candidate, candidates: [candidate], why: '', dayKey };
}

export function parseCallbackRequest(input: CallbackRequestInput): CallbackRequest {
  const { text, referenceMs, timeZone } = input;
  const { results } = parseDates({ text, referenceMs, zone: timeZone });
  // "not now" is a refusal, not a time.
  const usable = results.filter((result) => !result.tags().has('casualReference/now'));

  // chrono drops "on the 5th" without a month: the next 5th in the zone, today included.
  let dayOverride: WallTime | null = null;
  let ordinalText = '';
  const ordinal = ordinalDay.exec(text);
  if (ordinal && !usable.some((r) => r.start.isCertain('day') || r.start.isCertain('weekday'))) {
    const dayOfMonth = Number(ordinal[1]);
    const today = wallTimeAt(referenceMs, timeZone);
    let target: WallTime = { ...today, day: dayOfMonth };
    if (dayOfMonth < today.day) target = { ...target, month: today.month === 12 ? 1 : today.month + 1, year: today.month === 12 ? today.year + 1 : today.year };
    const check = addDays(target, 0);
    if (check.day === dayOfMonth && dayOfMonth >= 1) {
      dayOverride = target;
      ordinalText = ordinal[0];
    }
  }

  const readings = usable.map((result) => readResult(result, text, referenceMs, timeZone, result.start.isCertain('hour') ? dayOverride : null));
  if (dayOverride && !usable.some((r) => r.start.isCertain('hour'))) {
    readings.push({ evidence: `"${ordinalText}"`, instant: null, candidates: [], why: 'gives no time of day', dayKey: dayKeyOf(dayOverride) });
  }
  const evidenceOf = (reading: Reading): string => (dayOverride && reading.instant !== null && ordinalText ? `"${ordinalText}" + ${reading.evidence}` : reading.evidence);

  const certain = readings.filter((reading) => reading.instant !== null);
  const instants = [...new Set(certain.map((reading) => reading.instant as number))];
  const certainDays = new Set(certain.map((reading) => reading.dayKey));
  // Another reading on a different day means the text offers alternatives ("Thursday at 3pm or next week").
  const otherDays = readings.some((reading) => reading.instant === null && reading.dayKey !== null && !certainDays.has(reading.dayKey));
  const first = certain[0];
  if (instants.length === 1 && first && !otherDays) {
    return { kind: 'instant', atMs: instants[0] as number, evidence: evidenceOf(first) };
  }

  if (readings.length > 0) {
    const candidates = [...new Set(readings.flatMap((reading) => reading.candidates))].sort((a, b) => a - b);
    const evidence = readings
      .map((reading) => (reading.instant === null ? `${evidenceOf(reading)} ${reading.why}` : evidenceOf(reading)))
      .join('; ');
    return { kind: 'needs_confirmation', candidates, evidence: instants.length > 1 ? `several times offered: ${evidence}` : evidence };
  }

  const vague = vaguePhrase.exec(text);
  if (vague) return { kind: 'needs_confirmation', candidates: [], evidence: `"${vague[0].trim()}" gives no time` };
  return { kind: 'none' };
}
