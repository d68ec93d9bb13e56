// When the next touch of a follow-up cadence happens. Time-zone, DST and holiday answers depend on ICU and on
// date-holidays' data, which change between releases, so this runs in a (local) activity and the workflow only
// sleeps until the instant it returns: a changed answer on replay would be non-determinism.
//
// All calendar math is done on local wall times ("the UTC epoch of the wall clock") and converted to instants
// with Intl, so a day is never assumed to be 24 h long.
import Holidays from 'date-holidays';
import { z } from 'zod';

import { DAY_MS, MINUTE_MS } from './capacity.ts';
import { ValidationError } from './errors.ts';
import { zoneFormatter } from './zoned-time.ts';

const HOUR_MS = 60 * MINUTE_MS;
// How far ahead a window opening (or the N-th business day) is looked for before the input is declared unusable.
const MAX_SCAN_DAYS = 400;
const MIN_INSTANT_MS = Date.UTC(1900, 0, 1);
const MAX_INSTANT_MS = Date.UTC(9000, 0, 1);

// ---------------------------------------------------------------------------------------------------------------
// Schemas

const clockTime = /^([01]\d|2[0-3]):[0-5]\d$/;
// An interval may run to the end of the day.
const clockTimeOrMidnight = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/;

// Half-open: a touch at exactly `end` is outside.
export const sendIntervalSchema = z
  .object({
    start: z.string().regex(clockTime, 'expected HH:MM between 00:00 and 23:59'),
    end: z.string().regex(clockTimeOrMidnight, 'expected HH:MM between 00:01 and 24:00'),
  })
  .refine((interval) => interval.start < interval.end, { message: 'start must be before end', path: ['end'] });
export type SendInterval = z.infer<typeof sendIntervalSchema>;

const dayWindowsSchema = z.array(sendIntervalSchema).superRefine((intervals, ctx) => {
  const sorted = [...intervals].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  for (let i = 1; i < sorted.length; i++) {
    const previous = sorted[i - 1]!;
    const current = sorted[i]!;
    if (current.start < previous.end) {
      ctx.addIssue({ code: 'custom', message: `${current.start}–${current.end} overlaps ${previous.start}–${previous.end}` });
    }
  }
});

export const weekdaySchema = z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);
export type Weekday = z.infer<typeof weekdaySchema>;

export const sendWindowSchema = z
  .strictObject({
    mon: dayWindowsSchema.optional(),
    tue: dayWindowsSchema.optional(),
    wed: dayWindowsSchema.optional(),
    thu: dayWindowsSchema.optional(),
    fri: dayWindowsSchema.optional(),
    sat: dayWindowsSchema.optional(),
    sun: dayWindowsSchema.optional(),
  })
  .refine((window) => weekdaySchema.options.some((day) => (window[day]?.length ?? 0) > 0), {
    message: 'the send window must be open at some time of the week',
  });
export type SendWindow = z.infer<typeof sendWindowSchema>;

const officeHours: SendInterval[] = [{ start: '09:00', end: '17:00' }];
export const defaultSendWindow: SendWindow = { mon: officeHours, tue: officeHours, wed: officeHours, thu: officeHours, fri: officeHours };

export const delayUnitSchema = z.enum(['minutes', 'hours', 'business_days']);
export type DelayUnit = z.infer<typeof delayUnitSchema>;
export const delaySchema = z.object({ amount: z.number().int().min(0), unit: delayUnitSchema });
export type Delay = z.infer<typeof delaySchema>;

export const shiftReasonSchema = z.enum(['none', 'outside_window', 'weekend_or_closed_day', 'holiday']);
export type ShiftReason = z.infer<typeof shiftReasonSchema>;

/** The name of the public holiday on a local calendar date (YYYY-MM-DD), or null. */
export type HolidayLookup = (localDate: string) => string | null;

export type NextTouchInput = {
  afterMs: number;
  delay: Delay;
  window: SendWindow;
  /** IANA time zone of the recipient. */
  timeZone: string;
  /** ISO 3166 alpha-2 code whose public holidays are skipped; null for none. */
  country: string | null;
  /** Replaces the date-holidays lookup for `country` (e.g. an organisation's own closing days). */
  holidays?: HolidayLookup;
};

export type NextTouch = { atMs: number; shiftedBy: ShiftReason; evidence: string };

// ---------------------------------------------------------------------------------------------------------------
// Local dates and wall times

type LocalDate = { year: number; month: number; day: number };
type LocalTime = { date: LocalDate; msOfDay: number; wallMs: number };

// getUTCDay order.
const dayKeys: readonly Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const dayNames: Readonly<Record<Weekday, string>> = {
  mon: 'Monday',
  tue: 'Tuesday',
  wed: 'Wednesday',
  thu: 'Thursday',
  fri: 'Friday',
  sat: 'Saturday',
  sun: 'Sunday',
};

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
const dateKey = (d: LocalDate): string => `${pad(d.year, 4)}-${pad(d.month)}-${pad(d.day)}`;
const dateWallMs = (d: LocalDate): number => Date.UTC(d.year, d.month - 1, d.day);

function addDays(d: LocalDate, days: number): LocalDate {
  const t = new Date(Date.UTC(d.year, d.month - 1, d.day + days));
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
}

const weekdayOf = (d: LocalDate): Weekday => dayKeys[new Date(dateWallMs(d)).getUTCDay()]!;

function parseDateKey(key: string): LocalDate {
  return { year: Number(key.slice(0, 4)), month: Number(key.slice(5, 7)), day: Number(key.slice(8, 10)) };
}

function clockLabel(msOfDay: number): string {
  const minutes = Math.floor(msOfDay / MINUTE_MS);
  return `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  // Intl falls back to the process's zone for an undefined zone: never let that happen silently.
  if (typeof timeZone !== 'string' || timeZone.trim() === '') throw new ValidationError('timeZone must be an IANA time zone name such as Europe/Berlin');
  try {
    return zoneFormatter(timeZone);
  } catch {
    throw new ValidationError(`Unknown time zone '${timeZone}': expected an IANA name such as Europe/Berlin`);
  }
}

function localTime(timeZone: string, ms: number): LocalTime {
  const fields: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(ms)) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  const date = { year: fields.year!, month: fields.month!, day: fields.day! };
  const subSecond = ((ms % 1000) + 1000) % 1000;
  const msOfDay = ((fields.hour! * 60 + fields.minute!) * 60 + fields.second!) * 1000 + subSecond;
  return { date, msOfDay, wallMs: dateWallMs(date) + msOfDay };
}

const offsetAt = (timeZone: string, ms: number): number => localTime(timeZone, ms).wallMs - ms;

type Resolved = { atMs: number; inGap: boolean };

// The instant at which the wall clock of `timeZone` shows `wallMs`, the earliest one not before `notBeforeMs`.
// Ambiguous wall times (fall-back) take their first occurrence; wall times skipped by a spring-forward gap move to
// the first valid instant after them, the end of the gap.
function resolveWallTime(timeZone: string, wallMs: number, notBeforeMs: number): Resolved | null {
  const offsets = [...new Set([offsetAt(timeZone, wallMs - DAY_MS), offsetAt(timeZone, wallMs), offsetAt(timeZone, wallMs + DAY_MS)])];
  const instants = [...new Set(offsets.map((offset) => wallMs - offset))]
    .filter((t) => localTime(timeZone, t).wallMs === wallMs)
    .sort((a, b) => a - b);
  if (instants.length > 0) {
    const atMs = instants.find((t) => t >= notBeforeMs);
    return atMs === undefined ? null : { atMs, inGap: false };
  }
  // In a gap the wall clock jumps from before wallMs to after it: find the first instant it reads later.
  let lo = wallMs - Math.max(...offsets);
  let hi = wallMs - Math.min(...offsets);
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (localTime(timeZone, mid).wallMs > wallMs) hi = mid;
    else lo = mid;
  }
  return hi >= notBeforeMs ? { atMs: hi, inGap: true } : null;
}

function describeInstant(timeZone: string, ms: number): string {
  const local = localTime(timeZone, ms);
  return `${dateKey(local.date)} ${clockLabel(local.msOfDay)} ${timeZone}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Public holidays (date-holidays)

let knownCountries: ReadonlySet<string> | undefined;
const holidayCalendars = new Map<string, Holidays>();
const holidayYears = new Map<string, ReadonlyMap<string, string>>();

function checkCountry(country: string): string {
  knownCountries ??= new Set(Object.keys(new Holidays().getCountries()));
  // date-holidays accepts any code and silently returns no holidays for one it does not know.
  if (typeof country !== 'string' || !/^[A-Z]{2}$/.test(country) || !knownCountries.has(country)) {
    throw new ValidationError(`Unknown country '${String(country)}': expected an ISO 3166 alpha-2 code with holiday data (e.g. GB), or null`);
  }
  return country;
}

function holidayCalendar(country: string): Holidays {
  let calendar = holidayCalendars.get(country);
  if (!calendar) {
    calendar = new Holidays(country);
    holidayCalendars.set(country, calendar);
  }
  return calendar;
}

// Local date -> English name of the public holidays listed for `year`. A holiday's `date` string starts with its
// calendar date (some carry a suffix such as " -0600": they begin the evening before); holidays that last several
// days are spread over their dates, and half-day public holidays close the whole day.
function publicHolidaysOf(country: string, year: number): ReadonlyMap<string, string> {
  const cacheKey = `${country}:${year}`;
  const cached = holidayYears.get(cacheKey);
  if (cached) return cached;
  const days = new Map<string, string>();
  for (const holiday of holidayCalendar(country).getHolidays(year, 'en')) {
    if (holiday.type !== 'public') continue;
    const first = parseDateKey(holiday.date);
    const length = Math.max(1, Math.round((holiday.end.getTime() - holiday.start.getTime()) / DAY_MS));
    for (let i = 0; i < length; i++) {
      const key = dateKey(addDays(first, i));
      if (!days.has(key)) days.set(key, holiday.name);
    }
  }
  holidayYears.set(cacheKey, days);
  return days;
}

/** The public holidays of `country` by local date, from date-holidays. */
export function publicHolidayLookup(country: string): HolidayLookup {
  const code = checkCountry(country);
  return (localDate) => {
    const year = Number(localDate.slice(0, 4));
    // A holiday of several days can start in the previous year.
    return publicHolidaysOf(code, year).get(localDate) ?? publicHolidaysOf(code, year - 1).get(localDate) ?? null;
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Scheduling

type Interval = { startMs: number; endMs: number; label: string };

type Calendar = {
  timeZone: string;
  country: string | null;
  days: ReadonlyMap<Weekday, readonly Interval[]>;
  holidayOn: HolidayLookup | null;
};

function parseWith<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new ValidationError(`Invalid ${what}:\n${z.prettifyError(result.error)}`);
  return result.data;
}

const toMs = (clock: string): number => (Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3, 5))) * MINUTE_MS;

function checkInstant(name: string, value: number): void {
  if (!Number.isFinite(value) || value < MIN_INSTANT_MS || value > MAX_INSTANT_MS) {
    throw new ValidationError(`${name} must be epoch milliseconds between 1900 and 9000 (got ${value})`);
  }
}

function calendarOf(input: { window: SendWindow; timeZone: string; country: string | null; holidays?: HolidayLookup }): Calendar {
  const window = parseWith(sendWindowSchema, input.window, 'send window');
  const timeZone = formatterFor(input.timeZone).resolvedOptions().timeZone;
  const country = input.country === null ? null : checkCountry(input.country);
  const days = new Map<Weekday, Interval[]>();
  for (const day of weekdaySchema.options) {
    const intervals = (window[day] ?? [])
      .map((i) => ({ startMs: toMs(i.start), endMs: toMs(i.end), label: `${i.start}–${i.end}` }))
      .sort((a, b) => a.startMs - b.startMs);
    if (intervals.length > 0) days.set(day, intervals);
  }
  const holidayOn = input.holidays ?? (country === null ? null : publicHolidayLookup(country));
  return { timeZone, country, days, holidayOn };
}

const windowLabel = (intervals: readonly Interval[]): string => intervals.map((i) => i.label).join(', ');

function holidayNote(calendar: Calendar, key: string, name: string): string {
  return `${key} is ${name}${calendar.country === null ? '' : ` in ${calendar.country}`}`;
}

// The earliest instant the delay allows, before the send window is applied.
function earliestCandidate(calendar: Calendar, afterMs: number, delay: Delay, notes: string[]): number {
  if (delay.unit === 'minutes' || delay.unit === 'hours') {
    const atMs = afterMs + delay.amount * (delay.unit === 'minutes' ? MINUTE_MS : HOUR_MS);
    checkInstant('afterMs + delay', atMs);
    return atMs;
  }
  if (delay.amount === 0) return afterMs;
  const { timeZone } = calendar;
  const start = localTime(timeZone, afterMs);
  const skipped: string[] = [];
  let day = start.date;
  let counted = 0;
  for (let i = 1; counted < delay.amount; i++) {
    if (i > delay.amount * 7 + MAX_SCAN_DAYS) throw new ValidationError(`No ${delay.amount} business days found after ${dateKey(start.date)}`);
    day = addDays(start.date, i);
    if (!calendar.days.has(weekdayOf(day))) continue;
    const holiday = calendar.holidayOn?.(dateKey(day)) ?? null;
    if (holiday !== null) skipped.push(`${dateKey(day)} (${holiday})`);
    else counted++;
  }
  const plural = delay.amount === 1 ? 'business day' : 'business days';
  const skipping = skipped.length > 0 ? `, skipping ${skipped.join(', ')}${calendar.country === null ? '' : ` in ${calendar.country}`},` : '';
  notes.push(`${delay.amount} ${plural} after ${dateKey(start.date)}${skipping} is ${dateKey(day)}`);
  const resolved = resolveWallTime(timeZone, dateWallMs(day) + start.msOfDay, afterMs);
  if (!resolved) throw new ValidationError(`No instant shows ${clockLabel(start.msOfDay)} on ${dateKey(day)} in ${timeZone}`);
  if (resolved.inGap) {
    notes.push(`${clockLabel(start.msOfDay)} does not exist on ${dateKey(day)} in ${timeZone} (clocks go forward): moved to ${describeInstant(timeZone, resolved.atMs)}`);
  }
  return resolved.atMs;
}

// Moves a candidate instant to the first instant, not before it, that lies inside a send window (by the local wall
// clock) on a day that is open and not a holiday.
function placeInWindow(calendar: Calendar, candidateMs: number, notes: string[]): NextTouch {
  const { timeZone } = calendar;
  const local = localTime(timeZone, candidateMs);
  let sawClosedDay = false;
  let sawHoliday = false;
  for (let i = 0; i <= MAX_SCAN_DAYS; i++) {
    const day = addDays(local.date, i);
    const key = dateKey(day);
    const weekday = weekdayOf(day);
    const intervals = calendar.days.get(weekday);
    if (!intervals) {
      sawClosedDay = true;
      notes.push(`${key} is a ${dayNames[weekday]} with no send window`);
      continue;
    }
    const holiday = calendar.holidayOn?.(key) ?? null;
    if (holiday !== null) {
      sawHoliday = true;
      notes.push(holidayNote(calendar, key, holiday));
      continue;
    }
    if (i === 0) {
      const inside = intervals.find((interval) => interval.startMs <= local.msOfDay && local.msOfDay < interval.endMs);
      if (inside) {
        notes.push(`${describeInstant(timeZone, candidateMs)} is inside the ${dayNames[weekday]} send window (${windowLabel(intervals)})`);
        return { atMs: candidateMs, shiftedBy: 'none', evidence: notes.join('; ') };
      }
      notes.push(`${describeInstant(timeZone, candidateMs)} is outside the ${dayNames[weekday]} send window (${windowLabel(intervals)})`);
    }
    for (const interval of intervals) {
      if (i === 0 && interval.startMs <= local.msOfDay) continue;
      const opening = resolveWallTime(timeZone, dateWallMs(day) + interval.startMs, candidateMs);
      if (!opening) continue;
      // An opening inside a spring-forward gap moves to the gap's end, which may already be past the interval.
      const at = localTime(timeZone, opening.atMs);
      if (dateKey(at.date) !== key || at.msOfDay >= interval.endMs) continue;
      if (opening.inGap) notes.push(`${clockLabel(interval.startMs)} does not exist on ${key} in ${timeZone} (clocks go forward)`);
      notes.push(`next opening ${describeInstant(timeZone, opening.atMs)}`);
      const shiftedBy: ShiftReason = sawHoliday ? 'holiday' : sawClosedDay ? 'weekend_or_closed_day' : 'outside_window';
      return { atMs: opening.atMs, shiftedBy, evidence: notes.join('; ') };
    }
  }
  throw new ValidationError(`No send window opens within ${MAX_SCAN_DAYS} days of ${describeInstant(timeZone, candidateMs)}`);
}

function nextTouchIn(calendar: Calendar, afterMs: number, delay: Delay): NextTouch {
  const notes: string[] = [];
  const candidateMs = earliestCandidate(calendar, afterMs, delay, notes);
  return placeInWindow(calendar, candidateMs, notes);
}

/**
 * The instant of the next touch: `afterMs` plus the delay, moved forward to the next opening of the send window
 * in the recipient's time zone, skipping closed days and public holidays.
 */
export function nextTouchAt(input: NextTouchInput): NextTouch {
  checkInstant('afterMs', input.afterMs);
  const delay = parseWith(delaySchema, input.delay, 'delay');
  return nextTouchIn(calendarOf(input), input.afterMs, delay);
}

/**
 * The instants of every step of a cadence. Each step counts from the previous step's instant, so a step pushed
 * out of the window pushes the later steps too (no catch-up bursts).
 */
export function planCadence(input: {
  startMs: number;
  steps: ReadonlyArray<{ delay: Delay }>;
  window: SendWindow;
  timeZone: string;
  country: string | null;
  holidays?: HolidayLookup;
}): number[] {
  checkInstant('startMs', input.startMs);
  const calendar = calendarOf(input);
  const delays = input.steps.map((step, i) => parseWith(delaySchema, step.delay, `delay of step ${i + 1}`));
  const instants: number[] = [];
  let afterMs = input.startMs;
  for (const delay of delays) {
    afterMs = nextTouchIn(calendar, afterMs, delay).atMs;
    instants.push(afterMs);
  }
  return instants;
}

// ---------------------------------------------------------------------------------------------------------------
// Helpers for tests that must derive their dates from "now" (a time-skipping server cannot go back in time)

/** The first instant after `fromMs` at which the UTC offset of `timeZone` changes, within about a year; else null. */
export function upcomingDstChange(timeZone: string, fromMs: number): number | null {
  checkInstant('fromMs', fromMs);
  formatterFor(timeZone);
  const offset = offsetAt(timeZone, fromMs);
  // Offsets change at most once a day, so a daily probe finds the day; bisection finds the instant.
  for (let day = 1; day <= MAX_SCAN_DAYS; day++) {
    if (offsetAt(timeZone, fromMs + day * DAY_MS) === offset) continue;
    let lo = fromMs + (day - 1) * DAY_MS;
    let hi = fromMs + day * DAY_MS;
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (offsetAt(timeZone, mid) === offset) lo = mid;
      else hi = mid;
    }
    return hi;
  }
  return null;
}

/**
 * The next public holiday of `country` that starts after `fromMs`; `atMs` is local midnight of its (first) date in
 * the country's main time zone as date-holidays knows it.
 */
export function upcomingHoliday(country: string, fromMs: number): { atMs: number; name: string } | null {
  checkInstant('fromMs', fromMs);
  const code = checkCountry(country);
  const calendar = holidayCalendar(code);
  const timeZone = calendar.getTimezones()[0] ?? 'UTC';
  const fromYear = localTime(timeZone, fromMs).date.year;
  for (let year = fromYear; year <= fromYear + 2; year++) {
    for (const holiday of calendar.getHolidays(year, 'en')) {
      if (holiday.type !== 'public') continue;
      const midnight = resolveWallTime(timeZone, dateWallMs(parseDateKey(holiday.date)), -Infinity);
      if (midnight && midnight.atMs > fromMs) return { atMs: midnight.atMs, name: holiday.name };
    }
  }
  return null;
}
