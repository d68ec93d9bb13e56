// Activities of the meeting-prep process: read the meeting, plan its brief, write the brief (a document in file
// storage, linked to the meeting, and a task that puts it in front of the rep), and take it back when the meeting
// moves or is cancelled. Each is idempotent by the meeting and the start time it is for.
import type { Tx } from '../adapters/db/client.ts';
import { ConfigurationError } from '../domain/errors.ts';
import { briefDueMs, renderBrief, type BriefFacts } from '../domain/meeting-brief.ts';
import type { ActivityDeps } from './index.ts';

const iso = (ms: number) => new Date(ms).toISOString();

export interface MeetingPlan {
  exists: boolean;
  /** scheduled, held, no_show, cancelled; null when the activity is gone. */
  status: string | null;
  startMs: number;
  dueMs: number;
}

export function createMeetingPrepActivities(deps: Pick<ActivityDeps, 'db' | 'storage'>) {
  const { db } = deps;

  async function removeDocument(tx: Tx, orgId: string, activityId: string): Promise<void> {
    // A deleted meeting has already let go of its documents (activity_id set null): its file name still names it.
    const docs = await tx<{ id: string; storageRef: string }[]>`
      delete from public.documents where org_id = ${orgId} and kind = 'brief'
        and (activity_id = ${activityId} or (activity_id is null and storage_ref like ${`%-brief-${activityId}.md`}))
      returning id, storage_ref`;
    for (const doc of docs) await deps.storage?.remove(doc.storageRef).catch(() => undefined); // a missing file is already gone
    await tx`update public.tasks set status = 'cancelled' where org_id = ${orgId} and source_ref like ${`meeting-brief:${activityId}:%`} and status = 'open'`;
  }

  return {
    async loadMeeting(input: { orgId: string; activityId: string }): Promise<MeetingPlan> {
      return db.asService(async (tx) => {
        const [row] = await tx<{ kind: string; meetingStatus: string | null; meetingStartAt: string | null; lead: number }[]>`
          select a.kind, a.meeting_status, a.meeting_start_at, o.meeting_brief_lead_minutes as lead
          from public.activities a join public.organisations o on o.id = a.org_id
          where a.org_id = ${input.orgId} and a.id = ${input.activityId}`;
        if (!row || row.kind !== 'meeting' || !row.meetingStartAt) return { exists: false, status: null, startMs: 0, dueMs: 0 };
        const startMs = Date.parse(row.meetingStartAt);
        return { exists: true, status: row.meetingStatus ?? 'scheduled', startMs, dueMs: briefDueMs(startMs, row.lead) };
      });
    },

    /** Plans (or moves) the brief: a brief written for another start time goes, and is written again when due. */
    async scheduleBrief(input: { orgId: string; activityId: string; startMs: number; dueMs: number; workflowId: string }) {
      await db.asService(async (tx) => {
        const [existing] = await tx<{ meetingStartAt: string; status: string }[]>`
          select meeting_start_at, status from public.meeting_briefs where org_id = ${input.orgId} and meeting_activity_id = ${input.activityId} for update`;
        if (existing && Date.parse(existing.meetingStartAt) === input.startMs && existing.status !== 'cancelled') return;
        if (existing) await removeDocument(tx, input.orgId, input.activityId);
        const [meeting] = await tx<{ loggedByMemberId: string | null; dealOwner: string | null }[]>`
          select a.logged_by_member_id, d.owner_member_id as deal_owner from public.activities a
          left join public.deals d on d.org_id = a.org_id and d.id = a.deal_id where a.org_id = ${input.orgId} and a.id = ${input.activityId}`;
        await tx`insert into public.meeting_briefs ${tx({
          orgId: input.orgId, meetingActivityId: input.activityId, meetingStartAt: iso(input.startMs), dueAt: iso(input.dueMs), status: 'scheduled',
          ownerMemberId: meeting?.loggedByMemberId ?? meeting?.dealOwner ?? null, workflowId: input.workflowId, documentId: null,
        })} on conflict (org_id, meeting_activity_id) do update set meeting_start_at = excluded.meeting_start_at, due_at = excluded.due_at,
          status = 'scheduled', document_id = null`;
      });
    },

    /** Writes the brief for the meeting at `startMs`, once. */
    async prepareBrief(input: { orgId: string; activityId: string; startMs: number }): Promise<{ documentId: string | null }> {
      const storage = deps.storage;
      if (!storage) throw new ConfigurationError('meeting briefs need file storage (CLOSELOOP_STORAGE_DIR or Supabase Storage)');
      const facts = await db.asService(async (tx) => {
        const [brief] = await tx<{ status: string; documentId: string | null; meetingStartAt: string; ownerMemberId: string | null }[]>`
          select status, document_id, meeting_start_at, owner_member_id from public.meeting_briefs where org_id = ${input.orgId} and meeting_activity_id = ${input.activityId}`;
        if (!brief || brief.status === 'cancelled' || Date.parse(brief.meetingStartAt) !== input.startMs) return null;
        if (brief.status === 'ready') return { ready: brief.documentId };
        return { ready: undefined, facts: await gatherFacts(tx, input.orgId, input.activityId), ownerMemberId: brief.ownerMemberId };
      });
      if (facts === null) return { documentId: null };
      if (facts.ready !== undefined) return { documentId: facts.ready };
      const { title, markdown } = renderBrief(facts.facts!);
      const stored = await storage.put({ orgId: input.orgId, kind: 'brief', fileName: `brief-${input.activityId}.md`, contentType: 'text/markdown; charset=utf-8', body: new TextEncoder().encode(markdown) });
      return db.asService(async (tx) => {
        const [brief] = await tx<{ status: string; documentId: string | null; meetingStartAt: string }[]>`
          select status, document_id, meeting_start_at from public.meeting_briefs where org_id = ${input.orgId} and meeting_activity_id = ${input.activityId} for update`;
        // Moved or cancelled meanwhile, or written by an earlier attempt: this file is not needed.
        if (!brief || brief.status !== 'scheduled' || Date.parse(brief.meetingStartAt) !== input.startMs) {
          await storage.remove(stored.ref).catch(() => undefined);
          return { documentId: brief?.documentId ?? null };
        }
        const [meeting] = await tx<{ dealId: string | null; contactId: string | null }[]>`select deal_id, contact_id from public.activities where org_id = ${input.orgId} and id = ${input.activityId}`;
        const [doc] = await tx<{ id: string }[]>`insert into public.documents ${tx({
          orgId: input.orgId, dealId: meeting?.dealId ?? null, activityId: input.activityId, kind: 'brief', version: 1, status: 'draft', storageRef: stored.ref, title: title.slice(0, 500),
        })} returning id`;
        await tx`update public.meeting_briefs set status = 'ready', document_id = ${doc!.id} where org_id = ${input.orgId} and meeting_activity_id = ${input.activityId}`;
        if (facts.ownerMemberId) {
          const sourceRef = `meeting-brief:${input.activityId}:${input.startMs}`;
          await tx`insert into public.tasks ${tx({
            orgId: input.orgId, kind: 'review', title: `Read the prep brief: ${title}`.slice(0, 500), dueAt: iso(input.startMs), ownerMemberId: facts.ownerMemberId,
            status: 'open', source: 'process', sourceRef, contactId: meeting?.contactId ?? null, dealId: meeting?.dealId ?? null,
          })}`;
        }
        return { documentId: doc!.id };
      });
    },

    /** The meeting was cancelled or removed: its brief goes (document, file and task). */
    async cancelBrief(input: { orgId: string; activityId: string }) {
      await db.asService(async (tx) => {
        await removeDocument(tx, input.orgId, input.activityId);
        await tx`update public.meeting_briefs set status = 'cancelled', document_id = null where org_id = ${input.orgId} and meeting_activity_id = ${input.activityId}`;
      });
    },
  };
}

async function gatherFacts(tx: Tx, orgId: string, activityId: string): Promise<BriefFacts> {
  const [m] = await tx<{ subject: string | null; meetingStartAt: string; meetingEndAt: string | null; contactId: string | null; accountId: string | null; dealId: string | null; participants: string; timeZone: string }[]>`
    select a.subject, a.meeting_start_at, a.meeting_end_at, a.contact_id, coalesce(a.account_id, d.account_id, c.account_id) as account_id, a.deal_id, a.participants::text as participants,
      coalesce(mem.time_zone, o.time_zone) as time_zone
    from public.activities a
    join public.organisations o on o.id = a.org_id
    left join public.deals d on d.org_id = a.org_id and d.id = a.deal_id
    left join public.contacts c on c.org_id = a.org_id and c.id = a.contact_id
    left join public.members mem on mem.org_id = a.org_id and mem.id = coalesce(a.logged_by_member_id, d.owner_member_id)
    where a.org_id = ${orgId} and a.id = ${activityId}`;
  const meeting = m!;
  const participantIds = (JSON.parse(meeting.participants) as Array<{ contactId?: string }>).flatMap((p) => (p.contactId ? [p.contactId] : []));
  const [account] = meeting.accountId
    ? await tx<{ name: string; domain: string | null; industry: string | null; sizeBand: string | null }[]>`select name, domain, industry, size_band from public.accounts where org_id = ${orgId} and id = ${meeting.accountId}`
    : [];
  const [deal] = meeting.dealId
    ? await tx<{ name: string; stage: string; amountMinor: string | null; currency: string | null; closeDate: string | null; nextStep: string | null }[]>`
        select name, stage, amount_minor, currency, to_char(close_date, 'YYYY-MM-DD') as close_date, next_step from public.deals where org_id = ${orgId} and id = ${meeting.dealId}`
    : [];
  const attendeeIds = [...new Set([...(meeting.contactId ? [meeting.contactId] : []), ...participantIds])];
  // Attendees, and the deal's stakeholders: people whose part matters even when they are not on the invite.
  const attendees = await tx<{ id: string; firstName: string | null; lastName: string | null; title: string | null; roles: string[]; lastAt: string | null; lastKind: string | null; lastSubject: string | null }[]>`
    select c.id, c.first_name, c.last_name, c.title,
      coalesce(array(select s.role from public.stakeholders s where s.org_id = c.org_id and s.contact_id = c.id and s.deal_id = ${meeting.dealId} order by s.role), '{}') as roles,
      l.occurred_at as last_at, l.kind as last_kind, l.subject as last_subject
    from public.contacts c
    -- The last interaction that has happened: a meeting counts from its start, and a cancelled one not at all.
    left join lateral (select coalesce(x.meeting_start_at, x.occurred_at) as occurred_at, x.kind, x.subject from public.activities x
      where x.org_id = c.org_id and x.contact_id = c.id and x.id <> ${activityId} and coalesce(x.meeting_status, '') <> 'cancelled'
        and coalesce(x.meeting_start_at, x.occurred_at) <= now() order by 1 desc limit 1) l on true
    where c.org_id = ${orgId} and c.erased_at is null
      and (c.id = any(${attendeeIds}::uuid[]) or c.id in (select contact_id from public.stakeholders where org_id = ${orgId} and deal_id = ${meeting.dealId}))
    order by c.last_name nulls last, c.first_name`;
  const openTasks = await tx<{ title: string; dueAt: string | null }[]>`
    select title, due_at from public.tasks where org_id = ${orgId} and status = 'open' and coalesce(source_ref, '') not like ${`meeting-brief:${activityId}:%`}
      and ((${meeting.dealId}::uuid is not null and deal_id = ${meeting.dealId}) or (contact_id = any(${attendeeIds}::uuid[])))
    order by due_at nulls last limit 20`;
  const findings = await tx<{ kind: string; afterJson: string; quote: string; at: string }[]>`
    select p.kind, p.after::text as after_json, p.quote, n.occurred_at as at from public.call_note_proposals p
    join public.call_notes n on n.org_id = p.org_id and n.id = p.call_note_id
    where p.org_id = ${orgId} and p.kind in ('objection', 'risk') and p.status = 'applied'
      and ((${meeting.dealId}::uuid is not null and n.deal_id = ${meeting.dealId}) or (${meeting.accountId}::uuid is not null and n.account_id = ${meeting.accountId}))
    order by n.occurred_at desc limit 20`;
  const signals = meeting.accountId
    ? await tx<{ summary: string; occurredAt: string; source: string }[]>`
        select summary, occurred_at, source from public.signals where org_id = ${orgId} and account_id = ${meeting.accountId}
          and occurred_at > ${meeting.meetingStartAt}::timestamptz - interval '90 days' order by occurred_at desc limit 10`
    : [];
  const text = (json: string) => String((JSON.parse(json) as { text?: unknown }).text ?? '');
  return {
    meeting: { subject: meeting.subject, startAt: meeting.meetingStartAt, endAt: meeting.meetingEndAt },
    timeZone: meeting.timeZone,
    account: account ?? null,
    deal: deal ? { ...deal, amountMinor: deal.amountMinor === null ? null : Number(deal.amountMinor) } : null,
    attendees: attendees.map((a) => ({
      name: [a.firstName, a.lastName].filter(Boolean).join(' ') || '(no name)',
      title: a.title,
      roles: a.roles,
      lastInteraction: a.lastAt ? { at: a.lastAt, kind: a.lastKind!, subject: a.lastSubject } : null,
    })),
    openTasks,
    objections: findings.filter((f) => f.kind === 'objection').map((f) => ({ text: text(f.afterJson), quote: f.quote, at: f.at })),
    signals: [
      ...signals.map((s) => ({ text: s.summary, at: s.occurredAt, source: s.source })),
      ...findings.filter((f) => f.kind === 'risk').map((f) => ({ text: text(f.afterJson), at: f.at, source: 'call notes' })),
    ],
  };
}
