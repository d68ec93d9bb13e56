// Sending capacity over rolling windows. A cap C over a window of length L means: every half-open window
// (u - L, u] holds at most C slots, for every u. Slots are epoch milliseconds and are not always reserved in time
// order (a send can be booked for tomorrow before one for today), so a new slot must also respect windows that
// reach forward into slots already reserved after it.
import { ValidationError } from './errors.ts';

export const DAY_MS = 24 * 60 * 60 * 1000;
export const MINUTE_MS = 60 * 1000;

export type CapacityCaps = { perDay: number; perMinute: number; perRecipientDomainPerDay: number };

// An open interval (from, to) of instants at which one more slot would break a cap.
type Blocked = { from: number; to: number };

// A set of points fits a window of length L exactly when max - min < L. So t is blocked by a cap C when some C
// existing slots a = s[i] <= ... <= b = s[i + C - 1] together with t span less than L, which holds exactly for
// t in the open interval (b - L, a + L), and only when b - a < L. Checking consecutive runs of C sorted slots is
// enough: any C slots within a window include such a run.
function blockedIntervals(sortedSlots: readonly number[], cap: number, windowMs: number, out: Blocked[]): void {
  for (let i = 0; i + cap - 1 < sortedSlots.length; i++) {
    const a = sortedSlots[i]!;
    const b = sortedSlots[i + cap - 1]!;
    if (b - a < windowMs) out.push({ from: b - windowMs, to: a + windowMs });
  }
}

const ascending = (x: number, y: number): number => x - y;

function checkCap(name: keyof CapacityCaps, value: number): void {
  if (!Number.isSafeInteger(value) || value < 1) throw new ValidationError(`caps.${name} must be a whole number of at least 1 (got ${value})`);
}

function checkInstants(name: string, values: readonly number[]): void {
  for (const value of values) {
    if (!Number.isFinite(value)) throw new ValidationError(`${name} must hold finite epoch milliseconds (got ${value})`);
  }
}

/** The earliest instant t >= nowMs at which one more send fits every cap. */
export function earliestSlot(input: {
  nowMs: number;
  caps: CapacityCaps;
  /** Every slot reserved for the mailbox, in any order, past or future. */
  mailboxSlotsMs: readonly number[];
  /** Those of the mailbox's slots that go to the same recipient domain as this send. */
  recipientDomainSlotsMs: readonly number[];
  /** The organisation's own caps over all its mailboxes, and every slot reserved in the organisation. */
  organisation?: { perDay: number; perMinute: number; slotsMs: readonly number[] };
}): number {
  const { nowMs, caps } = input;
  checkCap('perDay', caps.perDay);
  checkCap('perMinute', caps.perMinute);
  checkCap('perRecipientDomainPerDay', caps.perRecipientDomainPerDay);
  checkInstants('nowMs', [nowMs]);
  checkInstants('mailboxSlotsMs', input.mailboxSlotsMs);
  checkInstants('recipientDomainSlotsMs', input.recipientDomainSlotsMs);

  const mailbox = [...input.mailboxSlotsMs].sort(ascending);
  const domain = [...input.recipientDomainSlotsMs].sort(ascending);
  const blocked: Blocked[] = [];
  blockedIntervals(mailbox, caps.perDay, DAY_MS, blocked);
  blockedIntervals(mailbox, caps.perMinute, MINUTE_MS, blocked);
  blockedIntervals(domain, caps.perRecipientDomainPerDay, DAY_MS, blocked);
  if (input.organisation) {
    checkCap('perDay', input.organisation.perDay);
    checkCap('perMinute', input.organisation.perMinute);
    checkInstants('organisation.slotsMs', input.organisation.slotsMs);
    const all = [...input.organisation.slotsMs].sort(ascending);
    blockedIntervals(all, input.organisation.perDay, DAY_MS, blocked);
    blockedIntervals(all, input.organisation.perMinute, MINUTE_MS, blocked);
  }
  blocked.sort((x, y) => x.from - y.from);

  // Sweep: t is never inside an interval already passed, so once an interval starts at or after t, none of the
  // rest (open at their start) can contain t either.
  let t = nowMs;
  for (const { from, to } of blocked) {
    if (from >= t) break;
    if (to > t) t = to;
  }
  return t;
}
