// Wall-clock time in a zone, and chrono date parsing with a zone: shared by callback requests and reply
// classification. chrono ignores IANA zone names, so it gets the zone's UTC offset at the reference instant.
import * as chrono from 'chrono-node';
import type { ParsedResult } from 'chrono-node';
import { z } from 'zod';

// ---------------------------------------------------------------------------------------------------------
// Time zones

// A zone is an IANA name, or a fixed UTC offset in minutes when only that is known (e.g. from a Date header).
export type Zone = string | number;

export interface WallTime {
  year: number;
  /** 1–12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
/** A cached formatter giving a zone's numeric wall-clock fields (throws a RangeError for an unknown zone). */
export function zoneFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The zone's wall-clock time at an instant. */
export function wallTimeAt(atMs: number, zone: Zone): WallTime {
  if (typeof zone === 'number') {
    const shifted = new Date(atMs + zone * 60_000);
    return {
      year: shifted.getUTCFullYear(),
      month: shifted.getUTCMonth() + 1,
      day: shifted.getUTCDate(),
      hour: shifted.getUTCHours(),
      minute: shifted.getUTCMinutes(),
    };
  }
  const parts: Record<string, number> = {};
  for (const part of zoneFormatter(zone).formatToParts(new Date(atMs))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return { year: parts.year ?? 0, month: parts.month ?? 1, day: parts.day ?? 1, hour: parts.hour ?? 0, minute: parts.minute ?? 0 };
}

/** The zone's offset from UTC in minutes at an instant (+60 for Europe/Berlin in winter). */
export function zoneOffsetMinutes(zone: Zone, atMs: number): number {
  if (typeof zone === 'number') return zone;
  const whole = Math.floor(atMs / 60_000) * 60_000;
  const wall = wallTimeAt(whole, zone);
  return Math.round((Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute) - whole) / 60_000);
}

/** The instant of a wall-clock time in a zone. A time skipped by a DST change is moved forward by the gap. */
export function zonedTimeToMs(wall: WallTime, zone: Zone): number {
  const naive = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute);
  const first = naive - zoneOffsetMinutes(zone, naive) * 60_000;
  const offset = zoneOffsetMinutes(zone, first);
  return naive - offset * 60_000;
}

/** The same calendar day moved by whole days (month and year roll over). */
export function addDays(wall: WallTime, days: number): WallTime {
  const date = new Date(Date.UTC(wall.year, wall.month - 1, wall.day + days));
  return { ...wall, year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

// ---------------------------------------------------------------------------------------------------------
// chrono, in the languages we read

export const chronoLanguageSchema = z.enum(['en', 'de', 'fr', 'es', 'nl']);
export type ChronoLanguage = z.infer<typeof chronoLanguageSchema>;

const parsers: Readonly<Record<ChronoLanguage, chrono.Chrono>> = {
  en: chrono.casual,
  de: chrono.de.casual,
  fr: chrono.fr.casual,
  es: chrono.es.casual,
  nl: chrono.nl.casual,
};

// A few frequent words per language, to break ties: "07.01.2027" is 7 January to the German parser and
// July 1st to the English one, and both read the same number of characters.
const commonWords: Readonly<Record<ChronoLanguage, ReadonlySet<string>>> = {
  en: new Set(['the', 'and', 'you', 'i', 'me', 'my', 'on', 'at', 'back', 'call', 'will', 'until', 'office', 'please', 'thanks', 'am', 'is']),
  de: new Set(['ich', 'und', 'sie', 'bin', 'nicht', 'bis', 'um', 'uhr', 'mich', 'mit', 'im', 'der', 'die', 'das', 'wieder', 'bitte', 'danke', 'zum', 'ab']),
  fr: new Set(['je', 'et', 'vous', 'suis', 'le', 'les', 'jusqu', 'à', 'moi', 'retour', 'merci', 'absent', 'absente', 'serai', 'au']),
  es: new Set(['el', 'y', 'estoy', 'estaré', 'hasta', 'las', 'por', 'gracias', 'fuera', 'oficina', 'del', 'volveré', 'mañana']),
  nl: new Set(['ik', 'en', 'ben', 'tot', 'het', 'om', 'uur', 'mij', 'weer', 'van', 'niet', 'bedankt', 'afwezig', 'vanaf', 'op']),
};

export function guessLanguage(text: string): ChronoLanguage {
  const tokens = text.toLowerCase().split(/[^\p{L}]+/u);
  let best: ChronoLanguage = 'en';
  let bestCount = 0;
  for (const language of chronoLanguageSchema.options) {
    const count = tokens.filter((token) => commonWords[language].has(token)).length;
    if (count > bestCount) {
      best = language;
      bestCount = count;
    }
  }
  return best;
}

/**
 * Every language's parser reads the text; the one that understands most of it wins, the likely language on a
 * tie. No language detector needed, and a German date inside English text is still read by the German parser.
 */
export function parseDates({ text, referenceMs, zone, language = guessLanguage(text) }: { text: string; referenceMs: number; zone: Zone; language?: ChronoLanguage }): {
  language: ChronoLanguage;
  results: ParsedResult[];
} {
  const reference = { instant: new Date(referenceMs), timezone: zoneOffsetMinutes(zone, referenceMs) };
  const order = [language, ...chronoLanguageSchema.options.filter((other) => other !== language)];
  let best: { language: ChronoLanguage; results: ParsedResult[]; covered: number } = { language, results: [], covered: 0 };
  for (const candidate of order) {
    const results = parsers[candidate].parse(text, reference, { forwardDate: true });
    const covered = results.reduce((sum, result) => sum + result.text.length, 0);
    if (covered > best.covered) best = { language: candidate, results, covered };
  }
  return { language: best.language, results: best.results };
}
