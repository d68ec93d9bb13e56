// The meeting prep brief: what a rep wants to know in the hour before a meeting — the account, who is coming and
// what part they play, when we last spoke to each, what is still open, what they objected to, what changed.
// Pure: the facts come in, markdown comes out; times are shown in the rep's zone.

export interface BriefFacts {
  meeting: { subject: string | null; startAt: string; endAt: string | null };
  timeZone: string;
  account: { name: string; domain: string | null; industry: string | null; sizeBand: string | null } | null;
  deal: { name: string; stage: string; amountMinor: number | null; currency: string | null; closeDate: string | null; nextStep: string | null } | null;
  attendees: Array<{ name: string; title: string | null; roles: string[]; lastInteraction: { at: string; kind: string; subject: string | null } | null }>;
  openTasks: Array<{ title: string; dueAt: string | null }>;
  objections: Array<{ text: string; quote: string; at: string }>;
  signals: Array<{ text: string; at: string; source: string }>;
}

/** When a brief is due: `leadMinutes` before the meeting starts. */
export function briefDueMs(startMs: number, leadMinutes: number): number {
  return startMs - leadMinutes * 60_000;
}

function when(at: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone, dateStyle: 'medium', timeStyle: 'short' }).format(new Date(at));
}

function money(amountMinor: number, currency: string): string {
  const digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  return new Intl.NumberFormat('en', { style: 'currency', currency }).format(amountMinor / 10 ** digits);
}

export function renderBrief(facts: BriefFacts): { title: string; markdown: string } {
  const title = `Prep brief: ${facts.meeting.subject ?? 'meeting'} — ${when(facts.meeting.startAt, facts.timeZone)}`;
  const lines: string[] = [`# ${title}`, ''];
  lines.push('## Account');
  if (facts.account) {
    const details = [facts.account.domain, facts.account.industry, facts.account.sizeBand ? `${facts.account.sizeBand} people` : null].filter(Boolean).join(' · ');
    lines.push(`${facts.account.name}${details ? ` (${details})` : ''}`);
  } else lines.push('No account linked.');
  if (facts.deal) {
    const d = facts.deal;
    lines.push(`Deal **${d.name}**: ${d.stage.replace('_', ' ')}${d.amountMinor !== null && d.currency ? `, ${money(d.amountMinor, d.currency)}` : ''}${d.closeDate ? `, closing ${d.closeDate}` : ''}.`);
    if (d.nextStep) lines.push(`Next step on the deal: ${d.nextStep}`);
  }
  lines.push('', '## Attendees');
  if (facts.attendees.length === 0) lines.push('Nobody from the buyer is linked to this meeting.');
  for (const a of facts.attendees) {
    const roles = a.roles.length ? ` — ${a.roles.map((r) => r.replace('_', ' ')).join(', ')}` : '';
    const last = a.lastInteraction ? `; last ${a.lastInteraction.kind} ${when(a.lastInteraction.at, facts.timeZone)}${a.lastInteraction.subject ? ` ("${a.lastInteraction.subject}")` : ''}` : '; no earlier interaction';
    lines.push(`- **${a.name}**${a.title ? `, ${a.title}` : ''}${roles}${last}`);
  }
  lines.push('', '## Open next steps');
  if (facts.openTasks.length === 0) lines.push('None open.');
  for (const t of facts.openTasks) lines.push(`- ${t.title}${t.dueAt ? ` (due ${when(t.dueAt, facts.timeZone)})` : ''}`);
  lines.push('', '## Earlier objections');
  if (facts.objections.length === 0) lines.push('None recorded.');
  for (const o of facts.objections) lines.push(`- ${o.text} — "${o.quote}" (${when(o.at, facts.timeZone)})`);
  lines.push('', '## Recent signals');
  if (facts.signals.length === 0) lines.push('None recorded.');
  for (const s of facts.signals) lines.push(`- ${s.text} (${s.source}, ${when(s.at, facts.timeZone)})`);
  return { title, markdown: `${lines.join('\n')}\n` };
}
