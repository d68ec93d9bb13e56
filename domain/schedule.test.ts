import Holidays from 'date-holidays';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from './errors.ts';
import {
  type Delay,
  type SendWindow,
  defaultSendWindow,
  delaySchema,
  nextTouchAt,
  planCadence,
  sendWindowSchema,
  upcomingDstChange,
  upcomingHoliday,
} from './schedule.ts';

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;
const at = (iso: string): number => Date.parse(iso);
const iso = (ms: number): string => new Date(ms).toISOString();
const minutes = (amount: number): Delay => ({ amount, unit: 'minutes' });
const hours = (amount: number): Delay => ({ amount, unit: 'hours' });
const businessDays = (amount: number): Delay => ({ amount, unit: 'business_days' });
const everyDay = (start: string, end: string): SendWindow => {
  const interval = [{ start, end }];
  return { mon: interval, tue: interval, wed: interval, thu: interval, fri: interval, sat: interval, sun: interval };
};
const allDay = everyDay('00:00', '24:00');

// Oracles for the properties, written without the implementation's helpers: local wall clock by Intl, public
// holidays straight from date-holidays.
type Local = { date: string; weekday: string; msOfDay: number };
const oracleFormatters = new Map<string, Intl.DateTimeFormat>();
function local(timeZone: string, ms: number): Local {
  let formatter = oracleFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-GB', { timeZone, hourCycle: 'h23', weekday: 'short', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    oracleFormatters.set(timeZone, formatter);
  }
  const p = Object.fromEntries(formatter.formatToParts(ms).map((part) => [part.type, part.value]));
  const msOfDay = ((Number(p.hour) * 60 + Number(p.minute)) * 60 + Number(p.second)) * 1000 + (ms % 1000);
  return { date: `${p.year}-${p.month}-${p.day}`, weekday: String(p.weekday).toLowerCase().slice(0, 3), msOfDay };
}
const clockMs = (clock: string): number => (Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3))) * 60_000;

const holidayDates = new Map<string, Set<string>>();
function isPublicHoliday(country: string | null, date: string): boolean {
  if (country === null) return false;
  const year = Number(date.slice(0, 4));
  const key = `${country}:${year}`;
  let dates = holidayDates.get(key);
  if (!dates) {
    const calendar = new Holidays(country);
    dates = new Set(calendar.getHolidays(year).filter((h) => h.type === 'public').map((h) => h.date.slice(0, 10)));
    holidayDates.set(key, dates);
  }
  return dates.has(date);
}

function insideWindow(window: SendWindow, timeZone: string, ms: number): boolean {
  const l = local(timeZone, ms);
  const intervals = window[l.weekday as keyof SendWindow] ?? [];
  return intervals.some((i) => clockMs(i.start) <= l.msOfDay && l.msOfDay < clockMs(i.end));
}

function isBusinessDay(window: SendWindow, country: string | null, date: string): boolean {
  const weekday = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'][new Date(`${date}T00:00:00Z`).getUTCDay()] as keyof SendWindow;
  return (window[weekday]?.length ?? 0) > 0 && !isPublicHoliday(country, date);
}

function businessDaysBetween(window: SendWindow, country: string | null, fromDate: string, toDate: string): number {
  let count = 0;
  for (let t = Date.parse(`${fromDate}T00:00:00Z`) + DAY_MS; t <= Date.parse(`${toDate}T00:00:00Z`); t += DAY_MS) {
    if (isBusinessDay(window, country, iso(t).slice(0, 10))) count++;
  }
  return count;
}

describe('sendWindowSchema and delaySchema', () => {
  it.each<[string, unknown]>([
    ['the default window', defaultSendWindow],
    ['touching intervals and a window to midnight', { mon: [{ start: '13:00', end: '24:00' }, { start: '09:00', end: '13:00' }] }],
    ['a closed day as an empty list', { mon: [], tue: [{ start: '10:00', end: '11:30' }] }],
  ])('accepts %s', (_name, window) => {
    expect(sendWindowSchema.safeParse(window).success).toBe(true);
  });

  it.each<[string, unknown]>([
    ['start after end', { mon: [{ start: '17:00', end: '09:00' }] }],
    ['start equal to end', { mon: [{ start: '09:00', end: '09:00' }] }],
    ['overlapping intervals', { mon: [{ start: '09:00', end: '12:00' }, { start: '11:00', end: '14:00' }] }],
    ['a time that is not HH:MM', { mon: [{ start: '9:00', end: '17:00' }] }],
    ['24:00 as a start', { mon: [{ start: '24:00', end: '24:00' }] }],
    ['an unknown day', { monday: [{ start: '09:00', end: '17:00' }] }],
    ['a window that is never open', { mon: [], sat: [] }],
  ])('rejects %s', (_name, window) => {
    expect(sendWindowSchema.safeParse(window).success).toBe(false);
  });

  it.each<[unknown, boolean]>([
    [{ amount: 0, unit: 'minutes' }, true],
    [{ amount: 3, unit: 'business_days' }, true],
    [{ amount: -1, unit: 'hours' }, false],
    [{ amount: 1.5, unit: 'hours' }, false],
    [{ amount: 1, unit: 'days' }, false],
  ])('delay %j valid: %s', (delay, valid) => {
    expect(delaySchema.safeParse(delay).success).toBe(valid);
  });
});

type Row = {
  name: string;
  after: string;
  delay: Delay;
  timeZone: string;
  country: string | null;
  window?: SendWindow;
  expected: string;
  shiftedBy: 'none' | 'outside_window' | 'weekend_or_closed_day' | 'holiday';
  evidence?: string[];
};

const rows: Row[] = [
  // America/New_York: EST (UTC-5) in February.
  { name: 'NY inside the window', after: '2026-02-10T15:00:00Z', delay: hours(2), timeZone: 'America/New_York', country: 'US', expected: '2026-02-10T17:00:00.000Z', shiftedBy: 'none', evidence: ['2026-02-10 12:00 America/New_York is inside the Tuesday send window (09:00–17:00)'] },
  { name: 'NY before the window opens', after: '2026-02-10T11:00:00Z', delay: minutes(30), timeZone: 'America/New_York', country: 'US', expected: '2026-02-10T14:00:00.000Z', shiftedBy: 'outside_window', evidence: ['2026-02-10 06:30 America/New_York is outside'] },
  { name: 'NY after the window closes', after: '2026-02-10T21:30:00Z', delay: hours(1), timeZone: 'America/New_York', country: 'US', expected: '2026-02-11T14:00:00.000Z', shiftedBy: 'outside_window' },
  { name: 'NY exactly at closing time is outside', after: '2026-02-10T22:00:00Z', delay: minutes(0), timeZone: 'America/New_York', country: null, expected: '2026-02-11T14:00:00.000Z', shiftedBy: 'outside_window' },
  { name: 'NY exactly at opening time is inside', after: '2026-02-10T14:00:00Z', delay: minutes(0), timeZone: 'America/New_York', country: null, expected: '2026-02-10T14:00:00.000Z', shiftedBy: 'none' },
  { name: 'NY Friday evening, no country: Monday', after: '2026-02-13T21:00:00Z', delay: hours(2), timeZone: 'America/New_York', country: null, expected: '2026-02-16T14:00:00.000Z', shiftedBy: 'weekend_or_closed_day' },
  { name: "NY Friday evening, US: Monday is Washington's Birthday", after: '2026-02-13T21:00:00Z', delay: hours(2), timeZone: 'America/New_York', country: 'US', expected: '2026-02-17T14:00:00.000Z', shiftedBy: 'holiday', evidence: ["2026-02-16 is Washington's Birthday in US"] },
  { name: 'NY summer (EDT, UTC-4)', after: '2026-07-07T12:00:00Z', delay: hours(1), timeZone: 'America/New_York', country: 'US', expected: '2026-07-07T13:00:00.000Z', shiftedBy: 'none' },
  // Europe/Berlin: CET (UTC+1) in winter, CEST (UTC+2) in summer.
  { name: 'Berlin after the window: next morning', after: '2026-02-10T16:30:00Z', delay: minutes(0), timeZone: 'Europe/Berlin', country: 'DE', expected: '2026-02-11T08:00:00.000Z', shiftedBy: 'outside_window' },
  { name: 'Berlin summer inside', after: '2026-07-07T07:00:00Z', delay: hours(1), timeZone: 'Europe/Berlin', country: 'DE', expected: '2026-07-07T08:00:00.000Z', shiftedBy: 'none' },
  { name: 'Berlin Sunday 07:00: Monday 09:00 CEST', after: '2026-07-05T05:00:00Z', delay: minutes(0), timeZone: 'Europe/Berlin', country: 'DE', expected: '2026-07-06T07:00:00.000Z', shiftedBy: 'weekend_or_closed_day', evidence: ['2026-07-05 is a Sunday with no send window'] },
  // Asia/Kolkata: IST (UTC+5:30), no DST.
  { name: 'Kolkata after the window', after: '2026-02-10T12:00:00Z', delay: minutes(0), timeZone: 'Asia/Kolkata', country: 'IN', expected: '2026-02-11T03:30:00.000Z', shiftedBy: 'outside_window' },
  { name: 'Kolkata on Republic Day', after: '2026-01-26T04:30:00Z', delay: minutes(0), timeZone: 'Asia/Kolkata', country: 'IN', expected: '2026-01-27T03:30:00.000Z', shiftedBy: 'holiday', evidence: ['2026-01-26 is Republic Day in IN'] },
  { name: 'Kolkata 1 business day after Friday', after: '2026-02-13T05:30:00Z', delay: businessDays(1), timeZone: 'Asia/Kolkata', country: 'IN', expected: '2026-02-16T05:30:00.000Z', shiftedBy: 'none' },
  { name: 'Kolkata half-hour offset in a custom window', after: '2026-02-10T05:00:00Z', delay: minutes(0), timeZone: 'Asia/Kolkata', country: null, window: { tue: [{ start: '10:00', end: '10:15' }, { start: '14:45', end: '15:00' }] }, expected: '2026-02-10T09:15:00.000Z', shiftedBy: 'outside_window' },
  // A step landing on a weekend.
  { name: 'Saturday step moves to Monday', after: '2026-02-12T15:00:00Z', delay: hours(48), timeZone: 'America/New_York', country: 'US', expected: '2026-02-17T14:00:00.000Z', shiftedBy: 'holiday' },
  { name: 'Saturday step moves to Monday (Berlin)', after: '2026-02-12T10:00:00Z', delay: hours(48), timeZone: 'Europe/Berlin', country: 'DE', expected: '2026-02-16T08:00:00.000Z', shiftedBy: 'weekend_or_closed_day', evidence: ['2026-02-14 is a Saturday with no send window', '2026-02-15 is a Sunday with no send window', 'next opening 2026-02-16 09:00 Europe/Berlin'] },
  // Christmas and New Year.
  { name: 'GB Christmas Day, Boxing Day substitute', after: '2026-12-25T10:00:00Z', delay: minutes(0), timeZone: 'Europe/London', country: 'GB', expected: '2026-12-29T09:00:00.000Z', shiftedBy: 'holiday', evidence: ['2026-12-25 is Christmas Day in GB', '2026-12-28 is Boxing Day (substitute day) in GB'] },
  { name: "GB New Year's Eve evening", after: '2026-12-31T17:30:00Z', delay: minutes(0), timeZone: 'Europe/London', country: 'GB', expected: '2027-01-04T09:00:00.000Z', shiftedBy: 'holiday', evidence: ["2027-01-01 is New Year's Day in GB"] },
  { name: 'DE Christmas Eve evening', after: '2026-12-24T15:00:00Z', delay: hours(2), timeZone: 'Europe/Berlin', country: 'DE', expected: '2026-12-28T08:00:00.000Z', shiftedBy: 'holiday', evidence: ['2026-12-25 is Christmas Day in DE'] },
  { name: 'DE Christmas Eve morning is a working day (a bank holiday, not public)', after: '2026-12-24T09:00:00Z', delay: minutes(0), timeZone: 'Europe/Berlin', country: 'DE', expected: '2026-12-24T09:00:00.000Z', shiftedBy: 'none' },
  { name: "DE New Year's Day", after: '2027-01-01T09:00:00Z', delay: minutes(0), timeZone: 'Europe/Berlin', country: 'DE', expected: '2027-01-04T08:00:00.000Z', shiftedBy: 'holiday', evidence: ["2027-01-01 is New Year's Day in DE"] },
  { name: 'holidays ignored without a country', after: '2026-12-25T10:00:00Z', delay: minutes(0), timeZone: 'Europe/London', country: null, expected: '2026-12-25T10:00:00.000Z', shiftedBy: 'none' },
  // Business days across holidays.
  { name: 'GB 2 business days across Christmas', after: '2026-12-23T11:00:00Z', delay: businessDays(2), timeZone: 'Europe/London', country: 'GB', expected: '2026-12-29T11:00:00.000Z', shiftedBy: 'none', evidence: ['2 business days after 2026-12-23, skipping 2026-12-25 (Christmas Day), 2026-12-28 (Boxing Day (substitute day)) in GB'] },
  { name: 'DE 1 business day across Easter', after: '2026-04-02T08:00:00Z', delay: businessDays(1), timeZone: 'Europe/Berlin', country: 'DE', expected: '2026-04-07T08:00:00.000Z', shiftedBy: 'none', evidence: ['2026-04-03 (Good Friday)', '2026-04-06 (Easter Monday)'] },
  { name: 'business days keep the local time, then the window applies', after: '2026-02-10T23:00:00Z', delay: businessDays(1), timeZone: 'America/New_York', country: 'US', expected: '2026-02-12T14:00:00.000Z', shiftedBy: 'outside_window' },
  { name: '0 business days is the instant itself', after: '2026-02-10T15:00:00Z', delay: businessDays(0), timeZone: 'America/New_York', country: 'US', expected: '2026-02-10T15:00:00.000Z', shiftedBy: 'none' },
  // Spring-forward gap and fall-back ambiguity.
  { name: 'NY opening at 02:30 on the spring-forward day: 03:00 EDT', after: '2026-03-07T17:00:00Z', delay: minutes(0), timeZone: 'America/New_York', country: null, window: { sun: [{ start: '02:30', end: '05:00' }] }, expected: '2026-03-08T07:00:00.000Z', shiftedBy: 'weekend_or_closed_day', evidence: ['02:30 does not exist on 2026-03-08 in America/New_York'] },
  { name: 'NY business days landing on 02:30 in the gap: 03:00 EDT', after: '2026-03-06T07:30:00Z', delay: businessDays(2), timeZone: 'America/New_York', country: null, window: allDay, expected: '2026-03-08T07:00:00.000Z', shiftedBy: 'none', evidence: ['02:30 does not exist on 2026-03-08'] },
  { name: 'Berlin business day landing on 02:30 in the gap: 03:00 CEST', after: '2026-03-28T01:30:00Z', delay: businessDays(1), timeZone: 'Europe/Berlin', country: null, window: allDay, expected: '2026-03-29T01:00:00.000Z', shiftedBy: 'none' },
  { name: 'a window wholly inside the gap is skipped', after: '2026-03-07T17:00:00Z', delay: minutes(0), timeZone: 'America/New_York', country: null, window: { sun: [{ start: '02:10', end: '02:50' }] }, expected: '2026-03-15T06:10:00.000Z', shiftedBy: 'weekend_or_closed_day' },
  { name: 'NY ambiguous 01:30 on the fall-back day: first occurrence (EDT)', after: '2026-10-31T05:30:00Z', delay: businessDays(1), timeZone: 'America/New_York', country: null, window: allDay, expected: '2026-11-01T05:30:00.000Z', shiftedBy: 'none' },
  { name: 'NY window opening at ambiguous 01:15: first occurrence', after: '2026-10-31T20:00:00Z', delay: minutes(0), timeZone: 'America/New_York', country: null, window: { sun: [{ start: '01:15', end: '03:00' }] }, expected: '2026-11-01T05:15:00.000Z', shiftedBy: 'weekend_or_closed_day' },
];

describe('nextTouchAt', () => {
  it.each(rows)('$name', (row) => {
    const result = nextTouchAt({ afterMs: at(row.after), delay: row.delay, window: row.window ?? defaultSendWindow, timeZone: row.timeZone, country: row.country });
    expect({ at: iso(result.atMs), shiftedBy: result.shiftedBy }).toEqual({ at: row.expected, shiftedBy: row.shiftedBy });
    for (const fragment of row.evidence ?? []) expect(result.evidence).toContain(fragment);
  });

  describe('across DST changes: the same 09:00 local each day, 23 h or 25 h apart in UTC', () => {
    it.each<[string, string, string, string[]]>([
      ['US spring forward', 'America/New_York', '2026-03-06T14:00:00Z', ['2026-03-07T14:00:00.000Z', '2026-03-08T13:00:00.000Z', '2026-03-09T13:00:00.000Z']],
      ['US fall back', 'America/New_York', '2026-10-30T13:00:00Z', ['2026-10-31T13:00:00.000Z', '2026-11-01T14:00:00.000Z', '2026-11-02T14:00:00.000Z']],
      ['EU spring forward', 'Europe/Berlin', '2026-03-27T08:00:00Z', ['2026-03-28T08:00:00.000Z', '2026-03-29T07:00:00.000Z', '2026-03-30T07:00:00.000Z']],
      ['EU fall back', 'Europe/Berlin', '2026-10-23T07:00:00Z', ['2026-10-24T07:00:00.000Z', '2026-10-25T08:00:00.000Z', '2026-10-26T08:00:00.000Z']],
    ])('%s', (name, timeZone, start, expected) => {
      const instants = planCadence({ startMs: at(start), steps: [1, 2, 3].map(() => ({ delay: businessDays(1) })), window: everyDay('09:00', '17:00'), timeZone, country: null });
      expect(instants.map(iso)).toEqual(expected);
      const gaps = [at(start), ...instants].slice(1).map((t, i) => (t - [at(start), ...instants][i]!) / HOUR_MS);
      expect(gaps).toEqual(name.includes('spring') ? [24, 23, 24] : [24, 25, 24]);
      for (const t of instants) expect(local(timeZone, t).msOfDay).toBe(9 * HOUR_MS);
    });

    it.each<[string, string, number, string]>([
      ['spring forward', '2026-03-07T14:00:00Z', 10, '2026-03-08T14:00:00.000Z'],
      ['fall back', '2026-10-31T13:00:00Z', 8, '2026-11-01T13:00:00.000Z'],
    ])('a delay in hours is elapsed time, not wall time (%s: 09:00 + 24 h is %i:00 local)', (_name, start, localHour, expected) => {
      const result = nextTouchAt({ afterMs: at(start), delay: hours(24), window: allDay, timeZone: 'America/New_York', country: null });
      expect(iso(result.atMs)).toBe(expected);
      expect(local('America/New_York', result.atMs).msOfDay).toBe(localHour * HOUR_MS);
    });
  });

  it.each<[string, Partial<Parameters<typeof nextTouchAt>[0]>]>([
    ['an unknown time zone', { timeZone: 'Mars/Olympus' }],
    ['an empty time zone', { timeZone: '' }],
    ['an unknown country', { country: 'XX' }],
    ['a lower-case country', { country: 'gb' }],
    ['a negative delay', { delay: { amount: -1, unit: 'hours' } }],
    ['an invalid window', { window: { mon: [{ start: '17:00', end: '09:00' }] } }],
    ['a non-finite instant', { afterMs: Number.NaN }],
  ])('rejects %s with ValidationError', (_name, override) => {
    const input = { afterMs: at('2026-02-10T15:00:00Z'), delay: minutes(0), window: defaultSendWindow, timeZone: 'Europe/Berlin', country: 'DE', ...override };
    expect(() => nextTouchAt(input)).toThrow(ValidationError);
  });

  it('uses a supplied holiday lookup instead of date-holidays', () => {
    const result = nextTouchAt({
      afterMs: at('2026-02-10T10:00:00Z'),
      delay: minutes(0),
      window: defaultSendWindow,
      timeZone: 'Europe/Berlin',
      country: null,
      holidays: (date) => (date === '2026-02-10' ? 'Company offsite' : null),
    });
    expect(iso(result.atMs)).toBe('2026-02-11T08:00:00.000Z');
    expect(result.shiftedBy).toBe('holiday');
    expect(result.evidence).toContain('2026-02-10 is Company offsite');
  });
});

describe('planCadence', () => {
  it('a step pushed out of the window pushes the later steps with it (no catch-up burst)', () => {
    const steps = [{ delay: hours(1) }, { delay: hours(1) }, { delay: businessDays(2) }];
    const instants = planCadence({ startMs: at('2026-02-06T21:30:00Z'), steps, window: defaultSendWindow, timeZone: 'America/New_York', country: 'US' });
    // Friday 16:30 EST + 1 h is after hours: Monday 09:00; the next hour counts from there, not from Friday.
    expect(instants.map(iso)).toEqual(['2026-02-09T14:00:00.000Z', '2026-02-09T15:00:00.000Z', '2026-02-11T15:00:00.000Z']);
  });

  it('an empty cadence has no instants', () => {
    expect(planCadence({ startMs: at('2026-02-06T21:30:00Z'), steps: [], window: defaultSendWindow, timeZone: 'UTC', country: null })).toEqual([]);
  });

  it('names the step whose delay is invalid', () => {
    const steps = [{ delay: hours(1) }, { delay: { amount: 1, unit: 'weeks' } as unknown as Delay }];
    expect(() => planCadence({ startMs: at('2026-02-06T21:30:00Z'), steps, window: defaultSendWindow, timeZone: 'UTC', country: null })).toThrow(/step 2/);
  });
});

describe('upcomingDstChange and upcomingHoliday', () => {
  it.each<[string, string, string | null]>([
    ['America/New_York', '2026-01-10T00:00:00Z', '2026-03-08T07:00:00.000Z'],
    ['America/New_York', '2026-03-08T07:00:00Z', '2026-11-01T06:00:00.000Z'],
    ['Europe/Berlin', '2026-04-01T00:00:00Z', '2026-10-25T01:00:00.000Z'],
    ['Asia/Kolkata', '2026-01-01T00:00:00Z', null],
    ['UTC', '2026-01-01T00:00:00Z', null],
  ])('%s after %s: %s', (timeZone, from, expected) => {
    const change = upcomingDstChange(timeZone, at(from));
    expect(change === null ? null : iso(change)).toBe(expected);
  });

  it.each<[string, string, string, string]>([
    ['GB', '2026-12-01T00:00:00Z', '2026-12-25T00:00:00.000Z', 'Christmas Day'],
    ['DE', '2026-12-25T12:00:00Z', '2026-12-25T23:00:00.000Z', 'Boxing Day'],
    ['IN', '2026-01-01T00:00:00Z', '2026-01-25T18:30:00.000Z', 'Republic Day'],
  ])('%s after %s: %s (%s)', (country, from, expectedAt, name) => {
    const holiday = upcomingHoliday(country, at(from));
    expect(holiday && { at: iso(holiday.atMs), name: holiday.name }).toEqual({ at: expectedAt, name });
  });

  it('rejects an unknown zone or country', () => {
    expect(() => upcomingDstChange('Nowhere/Else', 0)).toThrow(ValidationError);
    expect(() => upcomingHoliday('ZZ', 0)).toThrow(ValidationError);
  });

  // The shape of a time-skipping workflow test, which must derive its dates from the server's current time.
  it('derived from now: a touch on the next holiday moves, and a daily cadence across the next DST change stays at 09:00', () => {
    const now = Date.now();
    const holiday = upcomingHoliday('GB', now);
    expect(holiday).not.toBeNull();
    expect(holiday!.atMs).toBeGreaterThan(now);
    const onHoliday = nextTouchAt({ afterMs: holiday!.atMs + 12 * HOUR_MS, delay: minutes(0), window: allDay, timeZone: 'Europe/London', country: 'GB' });
    expect(onHoliday.shiftedBy).toBe('holiday');
    expect(onHoliday.evidence).toContain(holiday!.name);

    const timeZone = 'America/New_York';
    const change = upcomingDstChange(timeZone, now);
    expect(change).not.toBeNull();
    const nine = everyDay('09:00', '09:01');
    const startMs = nextTouchAt({ afterMs: change! - 3 * DAY_MS, delay: minutes(0), window: nine, timeZone, country: null }).atMs;
    const instants = [startMs, ...planCadence({ startMs, steps: [1, 2, 3, 4, 5].map(() => ({ delay: businessDays(1) })), window: nine, timeZone, country: null })];
    const gaps = instants.slice(1).map((t, i) => (t - instants[i]!) / HOUR_MS);
    expect(gaps.filter((g) => g !== 24)).toHaveLength(1);
    expect([23, 25]).toContain(gaps.find((g) => g !== 24));
    for (const t of instants) expect(local(timeZone, t).msOfDay).toBe(local(timeZone, startMs).msOfDay);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Properties

const zones = ['America/New_York', 'Europe/Berlin', 'Asia/Kolkata', 'Europe/London', 'Australia/Lord_Howe', 'America/Santiago', 'America/Havana', 'Pacific/Chatham', 'UTC'];
const countries = [null, 'GB', 'DE', 'US', 'IN'];

const clock = (minute: number): string => (minute === 1440 ? '24:00' : `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`);
// Distinct sorted boundaries paired up give non-overlapping intervals with start < end.
const dayIntervals = fc
  .uniqueArray(fc.integer({ min: 0, max: 1440 }), { maxLength: 6 })
  .map((bounds) => {
    const sorted = [...bounds].sort((a, b) => a - b);
    const intervals = [];
    for (let i = 0; i + 1 < sorted.length; i += 2) intervals.push({ start: clock(sorted[i]!), end: clock(sorted[i + 1]!) });
    return intervals;
  });
const randomWindow: fc.Arbitrary<SendWindow> = fc
  .record({
    mon: fc.option(dayIntervals, { nil: undefined }),
    tue: fc.option(dayIntervals, { nil: undefined }),
    wed: fc.option(dayIntervals, { nil: undefined }),
    thu: fc.option(dayIntervals, { nil: undefined }),
    fri: fc.option(dayIntervals, { nil: undefined }),
    sat: fc.option(dayIntervals, { nil: undefined }),
    sun: fc.option(dayIntervals, { nil: undefined }),
  })
  .filter((w) => Object.values(w).some((intervals) => (intervals?.length ?? 0) > 0));
const windowArb = fc.oneof(fc.constant(defaultSendWindow), randomWindow);
const delayArb: fc.Arbitrary<Delay> = fc.oneof(
  fc.record({ amount: fc.integer({ min: 0, max: 5000 }), unit: fc.constant('minutes' as const) }),
  fc.record({ amount: fc.integer({ min: 0, max: 200 }), unit: fc.constant('hours' as const) }),
  fc.record({ amount: fc.integer({ min: 0, max: 15 }), unit: fc.constant('business_days' as const) }),
);
const instantArb = fc.integer({ min: at('2024-01-01T00:00:00Z'), max: at('2030-12-31T00:00:00Z') });
const zoneArb = fc.constantFrom(...zones);
const countryArb = fc.constantFrom(...countries);

describe('schedule (property)', () => {
  it('returns an instant not before the earliest candidate, inside a window in the local zone, never on a public holiday', () => {
    fc.assert(
      fc.property(instantArb, delayArb, windowArb, zoneArb, countryArb, (afterMs, delay, window, timeZone, country) => {
        const result = nextTouchAt({ afterMs, delay, window, timeZone, country });
        if (delay.unit === 'business_days') {
          expect(result.atMs).toBeGreaterThanOrEqual(afterMs);
          expect(businessDaysBetween(window, country, local(timeZone, afterMs).date, local(timeZone, result.atMs).date)).toBeGreaterThanOrEqual(delay.amount);
        } else {
          expect(result.atMs).toBeGreaterThanOrEqual(afterMs + delay.amount * (delay.unit === 'minutes' ? 60_000 : HOUR_MS));
        }
        expect(insideWindow(window, timeZone, result.atMs)).toBe(true);
        expect(isPublicHoliday(country, local(timeZone, result.atMs).date)).toBe(false);
        // A returned instant is a fixed point: asking again from it with no delay keeps it.
        const again = nextTouchAt({ afterMs: result.atMs, delay: { amount: 0, unit: 'minutes' }, window, timeZone, country });
        expect(again).toMatchObject({ atMs: result.atMs, shiftedBy: 'none' });
        // For elapsed-time delays the candidate is known: the touch moved exactly when it is not the candidate.
        if (delay.unit !== 'business_days') {
          expect(result.shiftedBy === 'none').toBe(result.atMs === afterMs + delay.amount * (delay.unit === 'minutes' ? 60_000 : HOUR_MS));
        }
      }),
      { numRuns: 400 },
    );
  });

  it('planCadence is non-decreasing and every step is a valid touch counted from the previous one', () => {
    fc.assert(
      fc.property(instantArb, fc.array(delayArb, { maxLength: 8 }), windowArb, zoneArb, countryArb, (startMs, delays, window, timeZone, country) => {
        const instants = planCadence({ startMs, steps: delays.map((delay) => ({ delay })), window, timeZone, country });
        expect(instants).toHaveLength(delays.length);
        let previous = startMs;
        instants.forEach((t, i) => {
          expect(t).toBeGreaterThanOrEqual(previous);
          expect(insideWindow(window, timeZone, t)).toBe(true);
          expect(t).toBe(nextTouchAt({ afterMs: previous, delay: delays[i]!, window, timeZone, country }).atMs);
          previous = t;
        });
      }),
      { numRuns: 150 },
    );
  });
});
