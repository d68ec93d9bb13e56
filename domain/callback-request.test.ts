import { describe, expect, it } from 'vitest';
import { type CallbackRequest, callbackRequestSchema, parseCallbackRequest, zoneOffsetMinutes, zonedTimeToMs } from './callback-request.ts';

const at = (iso: string): number => Date.parse(iso);
// Tuesday 24 March 2026, 11:00 in Berlin (CET, +01:00); clocks go forward on Sunday 29 March.
const berlinTuesday = at('2026-03-24T10:00:00Z');

type Expected =
  | { kind: 'instant'; atMs: number; evidence: string }
  | { kind: 'needs_confirmation'; candidates: number[]; evidence: string }
  | { kind: 'none' };

const cases: [string, { text: string; referenceMs: number; timeZone: string }, Expected][] = [
  // Certain: a day and an hour, am/pm settled.
  ['weekday and hour with pm', { text: 'Thursday at 3pm works for me', referenceMs: berlinTuesday, timeZone: 'Europe/Berlin' }, { kind: 'instant', atMs: at('2026-03-26T14:00:00Z'), evidence: 'Thursday at 3pm' }],
  ['tomorrow with minutes', { text: 'Call me tomorrow 10:30', referenceMs: berlinTuesday, timeZone: 'Europe/Berlin' }, { kind: 'instant', atMs: at('2026-03-25T09:30:00Z'), evidence: 'tomorrow 10:30' }],
  ['"on the 5th" chrono drops, after the DST change', { text: 'on the 5th at 14:00', referenceMs: berlinTuesday, timeZone: 'Europe/Berlin' }, { kind: 'instant', atMs: at('2026-04-05T12:00:00Z'), evidence: 'the 5th' }],
  ['"morning" settles a bare hour', { text: 'Friday morning at 9 please', referenceMs: berlinTuesday, timeZone: 'Europe/Berlin' }, { kind: 'instant', atMs: at('2026-03-27T08:00:00Z'), evidence: 'Friday morning at 9' }],
  ['"tonight" settles a bare hour', { text: 'ring me tonight at 8', referenceMs: berlinTuesday, timeZone: 'Europe/Berlin' }, { kind: 'instant', atMs: at('2026-03-24T19:00:00Z'), evidence: 'tonight at 8' }],
  ['a duration is an instant', { text: 'Busy now, call me in 2 hours', referenceMs: berlinTuesday, timeZone: 'Europe/Berlin' }, { kind: 'instant', atMs: at('2026-03-24T12:00:00Z'), evidence: 'in 2 hours' }],
  ['an explicit zone wins over the contact zone', { text: 'call me at 3pm EST on Monday', referenceMs: berlinTuesday, timeZone: 'Europe/Berlin' }, { kind: 'instant', atMs: at('2026-03-30T20:00:00Z'), evidence: '3pm EST on Monday' }],
  ['Berlin: the offset of the target day, not of today (CET → CEST)', { text: 'Monday at 10:30', referenceMs: at('2026-03-27T10:00:00Z'), timeZone: 'Europe/Berlin' }, { kind: 'instant', atMs: at('2026-03-30T08:30:00Z'), evidence: 'Monday at 10:30' }],
  ['Los Angeles: across the DST change (PST → PDT)', { text: 'Monday at 9:30 works', referenceMs: at('2026-03-06T18:00:00Z'), timeZone: 'America/Los_Angeles' }, { kind: 'instant', atMs: at('2026-03-09T16:30:00Z'), evidence: 'Monday at 9:30' }],
  ['Kolkata (+05:30): "tomorrow" is the local tomorrow, past midnight there', { text: 'tomorrow at 3pm', referenceMs: at('2026-06-10T20:00:00Z'), timeZone: 'Asia/Kolkata' }, { kind: 'instant', atMs: at('2026-06-12T09:30:00Z'), evidence: 'tomorrow at 3pm' }],
  ['German, 24-hour clock', { text: 'Rufen Sie mich am Donnerstag um 15 Uhr an', referenceMs: berlinTuesday, timeZone: 'Europe/Berlin' }, { kind: 'instant', atMs: at('2026-03-26T14:00:00Z'), evidence: 'Donnerstag um 15 Uhr' }],
  ['French', { text: 'Rappelez-moi jeudi à 15h', referenceMs: berlinTuesday, timeZone: 'Europe/Paris' }, { kind: 'instant', atMs: at('2026-03-26T14:00:00Z'), evidence: 'jeudi à 15h' }],
  ['Spanish: "de la tarde" after the hour', { text: 'Llámame el jueves a las 3 de la tarde', referenceMs: berlinTuesday, timeZone: 'Europe/Madrid' }, { kind: 'instant', atMs: at('2026-03-26T14:00:00Z'), evidence: 'tarde' }],
  ['Dutch', { text: 'Bel me donderdag om 15:00', referenceMs: berlinTuesday, timeZone: 'Europe/Amsterdam' }, { kind: 'instant', atMs: at('2026-03-26T14:00:00Z'), evidence: 'donderdag om 15:00' }],

  // Needs confirmation: chrono's best reading, never a pick.
  ['bare hour: 03:00 or 15:00', { text: 'call me back Thursday at 3', referenceMs: berlinTuesday, timeZone: 'Europe/Berlin' }, { kind: 'needs_confirmation', candidates: [at('2026-03-26T02:00:00Z'), at('2026-03-26T14:00:00Z')], evidence: 'no am/pm' }],
  ['German "am" is "on", not a.m.', { text: 'Rufen Sie mich am Donnerstag um 3 an', referenceMs: berlinTuesday, timeZone: 'Europe/Berlin' }, { kind: 'needs_confirmation', candidates: [at('2026-03-26T02:00:00Z'), at('2026-03-26T14:00:00Z')], evidence: 'no am/pm' }],
  ['3:30 without am/pm', { text: 'Thu 3:30?', referenceMs: berlinTuesday, timeZone: 'Europe/Berlin' }, { kind: 'needs_confirmation', candidates: [at('2026-03-26T02:30:00Z'), at('2026-03-26T14:30:00Z')], evidence: 'no am/pm' }],
  ['Kolkata: bare hour, no day: the next 03:00 and 15:00', { text: 'call me at 3', referenceMs: at('2026-06-10T20:00:00Z'), timeZone: 'Asia/Kolkata' }, { kind: 'needs_confirmation', candidates: [at('2026-06-10T21:30:00Z'), at('2026-06-11T09:30:00Z')], evidence: 'no am/pm' }],
  ['Los Angeles: part of day only', { text: 'Thursday afternoon is best', referenceMs: at('2026-03-24T17:00:00Z'), timeZone: 'America/Los_Angeles' }, { kind: 'needs_confirmation', candidates: [at('2026-03-26T22:00:00Z')], evidence: 'no time of day' }],
  ['Thursday afternoon', { text: 'Thursday afternoon', referenceMs: berlinTuesday, timeZone: 'Europe/Berlin' }, { kind: 'needs_confirmation', candidates: [at('2026-03-26T14:00:00Z')], evidence: 'Thursday afternoon' }],
  ['later today', { text: 'try me later today', referenceMs: berlinTuesday, timeZone: 'Europe/Berlin' }, { kind: 'needs_confirmation', candidates: [], evidence: 'no time of day' }],
  ['next week', { text: 'next week', referenceMs: berlinTuesday, timeZone: 'Europe/Berlin' }, { kind: 'needs_confirmation', candidates: [at('2026-03-31T09:00:00Z')], evidence: 'next week' }],
  ['after the board meeting', { text: 'Call me after the board meeting', referenceMs: berlinTuesday, timeZone: 'Europe/Berlin' }, { kind: 'needs_confirmation', candidates: [], evidence: 'after the board meeting' }],
  ['not now, maybe next quarter ("now" is not a time)', { text: 'not now, maybe next quarter', referenceMs: berlinTuesday, timeZone: 'Europe/Berlin' }, { kind: 'needs_confirmation', candidates: [at('2026-06-24T09:00:00Z')], evidence: 'next quarter' }],
  ['two times offered', { text: 'Thursday at 3pm or Friday at 10:30', referenceMs: berlinTuesday, timeZone: 'Europe/Berlin' }, { kind: 'needs_confirmation', candidates: [at('2026-03-26T14:00:00Z'), at('2026-03-27T09:30:00Z')], evidence: 'several times' }],
  ['a certain time and a vague alternative', { text: 'Thursday at 3pm, or maybe next week', referenceMs: berlinTuesday, timeZone: 'Europe/Berlin' }, { kind: 'needs_confirmation', candidates: [at('2026-03-26T14:00:00Z'), at('2026-03-31T09:00:00Z')], evidence: 'next week' }],
  ['a time already past', { text: 'today at 9am', referenceMs: berlinTuesday, timeZone: 'Europe/Berlin' }, { kind: 'needs_confirmation', candidates: [], evidence: 'in the past' }],
  ['a time the clocks skip (02:30 on 29 March in Berlin)', { text: 'Sunday 29 March at 2:30am', referenceMs: berlinTuesday, timeZone: 'Europe/Berlin' }, { kind: 'needs_confirmation', candidates: [at('2026-03-29T01:30:00Z')], evidence: 'clocks change' }],
  ['a callback without a time', { text: 'Please call me back.', referenceMs: berlinTuesday, timeZone: 'Europe/Berlin' }, { kind: 'needs_confirmation', candidates: [], evidence: 'call me back' }],

  // Nothing to do.
  ['no time, no callback', { text: 'Thanks, that sounds good.', referenceMs: berlinTuesday, timeZone: 'Europe/Berlin' }, { kind: 'none' }],
];

describe('parseCallbackRequest', () => {
  it.each(cases)('%s', (_name, input, expected) => {
    const result: CallbackRequest = parseCallbackRequest(input);
    expect(callbackRequestSchema.parse(result)).toEqual(result);
    if (expected.kind === 'none') {
      expect(result).toEqual({ kind: 'none' });
      return;
    }
    const { evidence, ...fields } = expected;
    expect(result).toEqual({ ...fields, evidence: expect.stringContaining(evidence) });
  });
});

describe('zone arithmetic', () => {
  it.each([
    ['Berlin in winter', 'Europe/Berlin', '2026-03-24T10:00:00Z', 60],
    ['Berlin in summer', 'Europe/Berlin', '2026-03-30T10:00:00Z', 120],
    ['Los Angeles in winter', 'America/Los_Angeles', '2026-03-06T18:00:00Z', -480],
    ['Los Angeles in summer', 'America/Los_Angeles', '2026-03-09T18:00:00Z', -420],
    ['Kolkata', 'Asia/Kolkata', '2026-06-10T20:00:00Z', 330],
    ['a fixed offset', -300, '2026-06-10T20:00:00Z', -300],
  ] as const)('offset: %s', (_name, zone, iso, minutes) => {
    expect(zoneOffsetMinutes(zone, at(iso))).toBe(minutes);
  });

  it.each([
    ['winter wall time', { year: 2026, month: 3, day: 27, hour: 9, minute: 0 }, 'Europe/Berlin', '2026-03-27T08:00:00Z'],
    ['summer wall time', { year: 2026, month: 3, day: 30, hour: 9, minute: 0 }, 'Europe/Berlin', '2026-03-30T07:00:00Z'],
    ['a skipped time moves forward', { year: 2026, month: 3, day: 29, hour: 2, minute: 30 }, 'Europe/Berlin', '2026-03-29T01:30:00Z'],
    ['Kolkata half-hour offset', { year: 2026, month: 6, day: 12, hour: 15, minute: 0 }, 'Asia/Kolkata', '2026-06-12T09:30:00Z'],
    ['a fixed offset', { year: 2027, month: 1, day: 12, hour: 9, minute: 0 }, -300, '2027-01-12T14:00:00Z'],
  ] as const)('instant: %s', (_name, wall, zone, iso) => {
    expect(zonedTimeToMs(wall, zone)).toBe(at(iso));
  });
});
