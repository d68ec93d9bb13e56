// Follow-up SLA compliance per rep: of the follow-ups that fell due in a period (up to now), the share that was
// done, sent or deliberately skipped by its due time. A follow-up is anything a process put on a rep's plate with a
// due time: an approval of a drafted email, a call / LinkedIn / custom task, a fix. Pure: the caller passes `nowMs`.

export interface FollowUpItem {
  ownerId: string;
  dueAtMs: number;
  /** When it was done, sent or skipped; null while it is open (or it was cancelled by the process: see `counts`). */
  resolvedAtMs: number | null;
  /** false for items the process withdrew (the buyer replied, the cadence stopped): they were not the rep's to do. */
  counts: boolean;
}

export interface RepCompliance {
  ownerId: string;
  /** Follow-ups due in the period, up to now. */
  due: number;
  onTime: number;
  /** Due and still open past their due time. */
  overdue: number;
  /** onTime / due, or null when nothing fell due. */
  compliance: number | null;
}

export function followUpSlaCompliance(items: readonly FollowUpItem[], period: { fromMs: number; toMs: number }, nowMs: number): RepCompliance[] {
  const byOwner = new Map<string, RepCompliance>();
  const end = Math.min(period.toMs, nowMs);
  for (const item of items) {
    if (!item.counts || item.dueAtMs < period.fromMs || item.dueAtMs > end) continue;
    const rep = byOwner.get(item.ownerId) ?? { ownerId: item.ownerId, due: 0, onTime: 0, overdue: 0, compliance: null };
    rep.due += 1;
    if (item.resolvedAtMs !== null && item.resolvedAtMs <= item.dueAtMs) rep.onTime += 1;
    else if (item.resolvedAtMs === null) rep.overdue += 1;
    byOwner.set(item.ownerId, rep);
  }
  return [...byOwner.values()]
    .map((rep) => ({ ...rep, compliance: rep.due === 0 ? null : rep.onTime / rep.due }))
    .sort((a, b) => a.ownerId.localeCompare(b.ownerId));
}
