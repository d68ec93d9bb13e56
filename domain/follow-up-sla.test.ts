import { describe, expect, it } from 'vitest';
import { followUpSlaCompliance, type FollowUpItem } from './follow-up-sla.ts';

const H = 3600_000;
const period = { fromMs: 0, toMs: 100 * H };
const item = (ownerId: string, dueH: number, resolvedH: number | null, counts = true): FollowUpItem => ({ ownerId, dueAtMs: dueH * H, resolvedAtMs: resolvedH === null ? null : resolvedH * H, counts });

describe('follow-up SLA compliance', () => {
  it.each<[string, FollowUpItem[], number, Array<{ ownerId: string; due: number; onTime: number; overdue: number; compliance: number | null }>]>([
    ['done before the due time counts as on time', [item('a', 10, 9)], 50, [{ ownerId: 'a', due: 1, onTime: 1, overdue: 0, compliance: 1 }]],
    ['done exactly at the due time is on time', [item('a', 10, 10)], 50, [{ ownerId: 'a', due: 1, onTime: 1, overdue: 0, compliance: 1 }]],
    ['done late is not on time, and not overdue either', [item('a', 10, 11)], 50, [{ ownerId: 'a', due: 1, onTime: 0, overdue: 0, compliance: 0 }]],
    ['open past its due time is overdue', [item('a', 10, null)], 50, [{ ownerId: 'a', due: 1, onTime: 0, overdue: 1, compliance: 0 }]],
    ['not yet due (after now) does not count', [item('a', 60, null)], 50, []],
    ['due before the period does not count', [{ ...item('a', 0, null), dueAtMs: -1 }], 50, []],
    ['due after the period does not count', [item('a', 150, 140)], 200, []],
    ['withdrawn by the process (buyer replied) does not count', [item('a', 10, null, false)], 50, []],
    ['per rep, sorted', [item('b', 10, 9), item('a', 10, null), item('a', 20, 19), item('b', 30, 31)], 50, [
      { ownerId: 'a', due: 2, onTime: 1, overdue: 1, compliance: 0.5 },
      { ownerId: 'b', due: 2, onTime: 1, overdue: 0, compliance: 0.5 },
    ]],
  ])('%s', (_name, items, nowH, expected) => {
    expect(followUpSlaCompliance(items, period, nowH * H)).toEqual(expected);
  });

  it('the same follow-up going overdue lowers the figure', () => {
    const items = [item('a', 10, 9), item('a', 40, null)];
    expect(followUpSlaCompliance(items, period, 39 * H)[0]!.compliance).toBe(1);
    expect(followUpSlaCompliance(items, period, 41 * H)[0]!.compliance).toBe(0.5);
  });
});
