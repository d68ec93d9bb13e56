// When a mailbox must stop sending because recipients bounce or complain: the rules are data, so the reason a
// mailbox was paused can be shown in the words of the rule that tripped.
export interface BreakerRule {
  id: 'bounce_rate' | 'complaint_rate';
  /** Look at sends accepted in this many days. */
  windowDays: number;
  /** Too few sends say nothing: the rule applies from this many on. */
  minSends: number;
  /** Trips when the rate is strictly above this. */
  threshold: number;
  reason: string;
}

// Mailbox providers start filtering well before these; they are the point at which a human must look.
export const breakerRules: readonly BreakerRule[] = [
  { id: 'bounce_rate', windowDays: 7, minSends: 20, threshold: 0.05, reason: 'More than 5% of emails sent in the last 7 days bounced' },
  { id: 'complaint_rate', windowDays: 7, minSends: 20, threshold: 0.003, reason: 'More than 0.3% of emails sent in the last 7 days were marked as spam' },
];

export interface MailboxHealth {
  sent: number;
  bounced: number;
  complained: number;
}

export function breakerVerdict(health: MailboxHealth, rules: readonly BreakerRule[] = breakerRules): { trip: false } | { trip: true; rule: BreakerRule } {
  for (const rule of rules) {
    if (health.sent < rule.minSends) continue;
    const count = rule.id === 'bounce_rate' ? health.bounced : health.complained;
    if (count / health.sent > rule.threshold) return { trip: true, rule };
  }
  return { trip: false };
}
