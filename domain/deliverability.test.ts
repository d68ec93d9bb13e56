import { describe, expect, it } from 'vitest';
import { breakerVerdict } from './deliverability.ts';

describe('breakerVerdict', () => {
  it.each([
    ['healthy', { sent: 100, bounced: 2, complained: 0 }, null],
    ['too few sends to judge', { sent: 10, bounced: 5, complained: 1 }, null],
    ['bounces above 5%', { sent: 100, bounced: 6, complained: 0 }, 'bounce_rate'],
    ['exactly 5% does not trip', { sent: 100, bounced: 5, complained: 0 }, null],
    ['complaints above 0.3%', { sent: 1000, bounced: 0, complained: 4 }, 'complaint_rate'],
  ])('%s', (_name, health, rule) => {
    const verdict = breakerVerdict(health);
    expect(verdict.trip ? verdict.rule.id : null).toBe(rule);
  });
});
