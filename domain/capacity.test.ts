import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CapacityCaps, DAY_MS, MINUTE_MS, earliestSlot } from './capacity.ts';
import { ValidationError } from './errors.ts';

const now = Date.parse('2026-03-02T09:00:00Z');
const HOUR_MS = 60 * MINUTE_MS;
const SECOND_MS = 1000;
const roomy: CapacityCaps = { perDay: 1000, perMinute: 1000, perRecipientDomainPerDay: 1000 };

// Oracles written straight from the definition, independent of the implementation's interval reasoning.

/** The most slots any half-open window (u - L, u] holds; the maximum is reached with u at a slot. */
function busiestWindow(slots: readonly number[], windowMs: number): number {
  const sorted = [...slots].sort((a, b) => a - b);
  let most = 0;
  let lo = 0;
  for (let hi = 0; hi < sorted.length; hi++) {
    while (sorted[lo]! <= sorted[hi]! - windowMs) lo++;
    // Equal slots after hi are in the same window too.
    let end = hi;
    while (end + 1 < sorted.length && sorted[end + 1] === sorted[hi]) end++;
    most = Math.max(most, end - lo + 1);
  }
  return most;
}

/** Whether one more slot at t keeps every window that contains t within the cap. */
function fitsCap(t: number, slots: readonly number[], cap: number, windowMs: number): boolean {
  const ends = [t, ...slots.filter((s) => s >= t && s < t + windowMs)];
  return ends.every((u) => 1 + slots.filter((s) => s > u - windowMs && s <= u).length <= cap);
}

type Request = { nowMs: number; caps: CapacityCaps; mailboxSlotsMs: readonly number[]; recipientDomainSlotsMs: readonly number[] };

function fitsAll(t: number, r: Request): boolean {
  return (
    fitsCap(t, r.mailboxSlotsMs, r.caps.perDay, DAY_MS) &&
    fitsCap(t, r.mailboxSlotsMs, r.caps.perMinute, MINUTE_MS) &&
    fitsCap(t, r.recipientDomainSlotsMs, r.caps.perRecipientDomainPerDay, DAY_MS)
  );
}

describe('earliestSlot', () => {
  const spread = (count: number, from: number, stepMs: number): number[] => Array.from({ length: count }, (_, i) => from + i * stepMs);

  it.each<[string, Omit<Request, 'nowMs'>, number]>([
    ['no slots: now', { caps: roomy, mailboxSlotsMs: [], recipientDomainSlotsMs: [] }, now],
    ['room left today: now', { caps: { ...roomy, perDay: 100 }, mailboxSlotsMs: spread(99, now - 5 * HOUR_MS, MINUTE_MS), recipientDomainSlotsMs: [] }, now],
    ['100 slots at now, 100 a day: a day later', { caps: { ...roomy, perDay: 100 }, mailboxSlotsMs: Array<number>(100).fill(now), recipientDomainSlotsMs: [] }, now + DAY_MS],
    ['100 slots over the last 5 h, 100 a day: 24 h after the oldest', { caps: { ...roomy, perDay: 100 }, mailboxSlotsMs: spread(100, now - 5 * HOUR_MS, 3 * MINUTE_MS), recipientDomainSlotsMs: [] }, now + 19 * HOUR_MS],
    ['slots older than a day do not count', { caps: { ...roomy, perDay: 1 }, mailboxSlotsMs: [now - DAY_MS], recipientDomainSlotsMs: [] }, now],
    ['one a minute, one sent now: a minute later', { caps: { ...roomy, perMinute: 1 }, mailboxSlotsMs: [now], recipientDomainSlotsMs: [] }, now + MINUTE_MS],
    ['two a minute, sent 30 s and 10 s ago: 60 s after the older', { caps: { ...roomy, perMinute: 2 }, mailboxSlotsMs: [now - 30 * SECOND_MS, now - 10 * SECOND_MS], recipientDomainSlotsMs: [] }, now + 30 * SECOND_MS],
    ['three a minute, three in the last minute: 60 s after the oldest', { caps: { ...roomy, perMinute: 3 }, mailboxSlotsMs: [now, now - 50 * SECOND_MS, now - 20 * SECOND_MS], recipientDomainSlotsMs: [] }, now + 10 * SECOND_MS],
    ['one a minute, a reservation in 30 s: a minute after it', { caps: { ...roomy, perMinute: 1 }, mailboxSlotsMs: [now + 30 * SECOND_MS], recipientDomainSlotsMs: [] }, now + 90 * SECOND_MS],
    ['one a minute, a reservation exactly a minute ahead: now', { caps: { ...roomy, perMinute: 1 }, mailboxSlotsMs: [now + MINUTE_MS], recipientDomainSlotsMs: [] }, now],
    ['one a minute, a gap of exactly two minutes: in the gap', { caps: { ...roomy, perMinute: 1 }, mailboxSlotsMs: [now + 2 * MINUTE_MS, now], recipientDomainSlotsMs: [] }, now + MINUTE_MS],
    ['two a minute, one 30 s ago and one in 30 s: no window holds all three, now', { caps: { ...roomy, perMinute: 2 }, mailboxSlotsMs: [now + 30 * SECOND_MS, now - 30 * SECOND_MS], recipientDomainSlotsMs: [] }, now],
    ['one a day, a reservation in 23 h: a day after it', { caps: { ...roomy, perDay: 1 }, mailboxSlotsMs: [now + 23 * HOUR_MS], recipientDomainSlotsMs: [] }, now + 47 * HOUR_MS],
    ['two a day, two reserved in the next hours: a day after the first', { caps: { ...roomy, perDay: 2 }, mailboxSlotsMs: [now + 2 * HOUR_MS, now + HOUR_MS], recipientDomainSlotsMs: [] }, now + 25 * HOUR_MS],
    ['two a day, one 20 h ago and one in 2 h: a day after the first', { caps: { ...roomy, perDay: 2 }, mailboxSlotsMs: [now + 2 * HOUR_MS, now - 20 * HOUR_MS], recipientDomainSlotsMs: [] }, now + 4 * HOUR_MS],
    ['two a day, one 20 h ago and one in 10 h: no window holds all three, now', { caps: { ...roomy, perDay: 2 }, mailboxSlotsMs: [now + 10 * HOUR_MS, now - 20 * HOUR_MS], recipientDomainSlotsMs: [] }, now],
    ['one per domain a day, sent there an hour ago: 23 h later', { caps: { ...roomy, perRecipientDomainPerDay: 1 }, mailboxSlotsMs: [now - HOUR_MS, now - 2 * HOUR_MS], recipientDomainSlotsMs: [now - HOUR_MS] }, now + 23 * HOUR_MS],
    ['one per domain a day, other domains busy: now', { caps: { ...roomy, perRecipientDomainPerDay: 1 }, mailboxSlotsMs: spread(50, now - HOUR_MS, MINUTE_MS), recipientDomainSlotsMs: [] }, now],
    ['per-minute and per-day together', { caps: { perDay: 3, perMinute: 1, perRecipientDomainPerDay: 1000 }, mailboxSlotsMs: [now - DAY_MS + MINUTE_MS, now - 30 * SECOND_MS, now + 20 * SECOND_MS], recipientDomainSlotsMs: [] }, now + MINUTE_MS + 20 * SECOND_MS],
  ])('%s', (_name, request, expected) => {
    expect(earliestSlot({ nowMs: now, ...request })).toBe(expected);
  });

  it.each<[string, Partial<CapacityCaps>]>([
    ['a zero daily cap', { perDay: 0 }],
    ['a negative per-minute cap', { perMinute: -1 }],
    ['a zero domain cap', { perRecipientDomainPerDay: 0 }],
    ['a fractional cap', { perDay: 1.5 }],
    ['a NaN cap', { perMinute: Number.NaN }],
  ])('refuses %s', (_name, caps) => {
    expect(() => earliestSlot({ nowMs: now, caps: { ...roomy, ...caps }, mailboxSlotsMs: [], recipientDomainSlotsMs: [] })).toThrow(ValidationError);
  });

  it('refuses a slot that is not a number of milliseconds', () => {
    expect(() => earliestSlot({ nowMs: now, caps: roomy, mailboxSlotsMs: [Number.NaN], recipientDomainSlotsMs: [] })).toThrow(ValidationError);
    expect(() => earliestSlot({ nowMs: Number.POSITIVE_INFINITY, caps: roomy, mailboxSlotsMs: [], recipientDomainSlotsMs: [] })).toThrow(ValidationError);
  });

  it('does not reorder the caller’s arrays', () => {
    const mailbox = [now + HOUR_MS, now - HOUR_MS];
    earliestSlot({ nowMs: now, caps: roomy, mailboxSlotsMs: mailbox, recipientDomainSlotsMs: mailbox });
    expect(mailbox).toEqual([now + HOUR_MS, now - HOUR_MS]);
  });

  // Arbitrary existing slots, in any order and not necessarily within the caps themselves, on a 15 s grid
  // around now so that both windows matter.
  const requestArb: fc.Arbitrary<Request> = fc
    .record({
      caps: fc.record({ perDay: fc.integer({ min: 1, max: 25 }), perMinute: fc.integer({ min: 1, max: 4 }), perRecipientDomainPerDay: fc.integer({ min: 1, max: 8 }) }),
      slots: fc.array(fc.record({ at: fc.integer({ min: -6000, max: 6000 }), sameDomain: fc.boolean() }), { maxLength: 60 }),
      nowShift: fc.integer({ min: -20 * SECOND_MS, max: 20 * SECOND_MS }),
    })
    .map(({ caps, slots, nowShift }) => {
      const mailboxSlotsMs = slots.map((s) => now + s.at * 15 * SECOND_MS);
      return { nowMs: now + nowShift, caps, mailboxSlotsMs, recipientDomainSlotsMs: mailboxSlotsMs.filter((_, i) => slots[i]!.sameDomain) };
    });

  it('gives the earliest instant at or after now that fits every cap (checked against the definition)', () => {
    fc.assert(
      fc.property(requestArb, fc.double({ min: 0, max: 1, noNaN: true }), (request, fraction) => {
        const t = earliestSlot(request);
        expect(t).toBeGreaterThanOrEqual(request.nowMs);
        expect(fitsAll(t, request)).toBe(true);
        // Nothing earlier fits: the instants where a window lets go, the one just before t, and a random one.
        const candidates = [request.nowMs, t - 1, request.nowMs + Math.floor((t - request.nowMs) * fraction)];
        for (const s of request.mailboxSlotsMs) candidates.push(s + MINUTE_MS, s + DAY_MS);
        for (const c of candidates) if (c >= request.nowMs && c < t) expect(fitsAll(c, request)).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('assigning slots one after another never overfills a window', () => {
    const domains = ['northwind.com', 'contoso.com', 'fabrikam.com'] as const;
    fc.assert(
      fc.property(
        fc.record({ perDay: fc.integer({ min: 1, max: 30 }), perMinute: fc.integer({ min: 1, max: 5 }), perRecipientDomainPerDay: fc.integer({ min: 1, max: 12 }) }),
        fc.array(fc.record({ waitMs: fc.integer({ min: 0, max: 3 * HOUR_MS }), domain: fc.constantFrom(...domains) }), { minLength: 1, maxLength: 80 }),
        (caps, sends) => {
          let nowMs = now;
          const mailbox: number[] = [];
          const byDomain = new Map<string, number[]>(domains.map((d) => [d, []]));
          for (const send of sends) {
            nowMs += send.waitMs;
            const domainSlots = byDomain.get(send.domain)!;
            const slot = earliestSlot({ nowMs, caps, mailboxSlotsMs: mailbox, recipientDomainSlotsMs: domainSlots });
            expect(slot).toBeGreaterThanOrEqual(nowMs);
            mailbox.push(slot);
            domainSlots.push(slot);
          }
          expect(busiestWindow(mailbox, DAY_MS)).toBeLessThanOrEqual(caps.perDay);
          expect(busiestWindow(mailbox, MINUTE_MS)).toBeLessThanOrEqual(caps.perMinute);
          for (const slots of byDomain.values()) expect(busiestWindow(slots, DAY_MS)).toBeLessThanOrEqual(caps.perRecipientDomainPerDay);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('300 sends at 100 a day fill three consecutive days with exactly 100 each', () => {
    const caps = { perDay: 100, perMinute: 1000, perRecipientDomainPerDay: 1000 };
    const mailbox: number[] = [];
    for (let i = 0; i < 300; i++) mailbox.push(earliestSlot({ nowMs: now, caps, mailboxSlotsMs: mailbox, recipientDomainSlotsMs: [] }));
    const day = (n: number): number => mailbox.filter((s) => s >= now + n * DAY_MS && s < now + (n + 1) * DAY_MS).length;
    expect([day(0), day(1), day(2)]).toEqual([100, 100, 100]);
    expect(busiestWindow(mailbox, DAY_MS)).toBe(100);
  });

  it('copes with a few thousand existing slots', () => {
    const caps = { perDay: 500, perMinute: 2, perRecipientDomainPerDay: 50 };
    const mailbox: number[] = [];
    const domain: number[] = [];
    for (let i = 0; i < 3000; i++) {
      const toDomain = i % 7 === 0;
      const slot = earliestSlot({ nowMs: now + i * 10 * SECOND_MS, caps, mailboxSlotsMs: mailbox, recipientDomainSlotsMs: toDomain ? domain : [] });
      mailbox.push(slot);
      if (toDomain) domain.push(slot);
    }
    expect(busiestWindow(mailbox, DAY_MS)).toBeLessThanOrEqual(caps.perDay);
    expect(busiestWindow(mailbox, MINUTE_MS)).toBeLessThanOrEqual(caps.perMinute);
    expect(busiestWindow(domain, DAY_MS)).toBeLessThanOrEqual(caps.perRecipientDomainPerDay);
  });
});

describe('earliestSlot with the organisation\'s own caps', () => {
  it('the organisation\'s daily cap holds across mailboxes: the next slot waits for the oldest to leave the window', () => {
    // This mailbox has room; the organisation's other mailboxes have used its 3 a day.
    const orgSlots = [now - 3 * HOUR_MS, now - 2 * HOUR_MS, now - HOUR_MS];
    const slot = earliestSlot({ nowMs: now, caps: roomy, mailboxSlotsMs: [], recipientDomainSlotsMs: [], organisation: { perDay: 3, perMinute: 10, slotsMs: orgSlots } });
    expect(slot).toBe(now - 3 * HOUR_MS + DAY_MS);
    expect(earliestSlot({ nowMs: now, caps: roomy, mailboxSlotsMs: [], recipientDomainSlotsMs: [], organisation: { perDay: 4, perMinute: 10, slotsMs: orgSlots } })).toBe(now);
  });

  it('the organisation\'s per-minute cap holds across mailboxes', () => {
    const orgSlots = [now, now + SECOND_MS];
    expect(earliestSlot({ nowMs: now, caps: roomy, mailboxSlotsMs: [], recipientDomainSlotsMs: [], organisation: { perDay: 100, perMinute: 2, slotsMs: orgSlots } })).toBe(now + MINUTE_MS);
  });

  it('refuses a cap below one', () => {
    expect(() => earliestSlot({ nowMs: now, caps: roomy, mailboxSlotsMs: [], recipientDomainSlotsMs: [], organisation: { perDay: 0, perMinute: 1, slotsMs: [] } })).toThrow(ValidationError);
  });
});
