// What the AI drafter may know when it writes for one contact: their record, the sender, and what happened so far
// (the kinds and dates of logged activities, with our own emails' subjects — never a buyer's text: that would let
// an email steer the model). Shared by cadence drafting and approval regeneration.
import type { Tx } from '../adapters/db/client.ts';
import type { DraftContext } from '../adapters/ai/port.ts';

export async function draftContext(tx: Tx, input: { orgId: string; contactId: string; senderName: string }): Promise<DraftContext> {
  const [contact] = await tx<{ firstName: string | null; lastName: string | null; title: string | null; timeZone: string | null; accountName: string | null }[]>`
    select c.first_name, c.last_name, c.title, c.time_zone, a.name as account_name from public.contacts c
    left join public.accounts a on a.org_id = c.org_id and a.id = c.account_id where c.org_id = ${input.orgId} and c.id = ${input.contactId}`;
  const logged = await tx<{ at: string; kind: string; direction: string; subject: string | null }[]>`
    select occurred_at as at, kind, direction, subject from public.activities where org_id = ${input.orgId} and contact_id = ${input.contactId}
    order by occurred_at desc limit 10`;
  const earlierActivities = logged.reverse().map((a) => ({
    at: a.at,
    // Our own emails' subjects are ours to quote; anything the buyer wrote stays out.
    summary: a.kind === 'email' && a.direction === 'outbound' && a.subject ? `email sent by us: "${a.subject}"` : `${a.kind} (${a.direction})`,
  }));
  return {
    recipient: { firstName: contact?.firstName ?? null, lastName: contact?.lastName ?? null, title: contact?.title ?? null, accountName: contact?.accountName ?? null, timeZone: contact?.timeZone ?? null },
    sender: { name: input.senderName },
    earlierActivities,
  };
}
