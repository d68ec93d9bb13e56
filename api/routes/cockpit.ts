// Read models for the rep cockpit and the manager view (#9): what to do now, a contact's or deal's timeline with its
// running processes, an approval with the context to decide it, and the manager's summary. Reads only, through the
// caller's row-level security (request.withDb).
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { followUpSlaCompliance } from '../../domain/follow-up-sla.ts';
import { HttpProblem } from '../problem.ts';
import { problemSchema } from './schemas.ts';

const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 429: problemSchema };
const idParams = z.object({ id: z.uuid() });
const ts = z.string();
const processSchema = z.object({ workflowId: z.string(), kind: z.string(), status: z.string(), step: z.string().nullable(), waitingOn: z.string().nullable(), nextActionAt: ts.nullable(), updatedAt: ts, temporalUrl: z.string() });
const timelineItem = z.object({ at: ts, source: z.enum(['event', 'activity']), kind: z.string(), summary: z.string(), id: z.string() });

export async function cockpitRoutes(app: FastifyInstance, options: { temporalUiUrl: string; namespace: string }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const temporalUrl = (workflowId: string) => `${options.temporalUiUrl.replace(/\/+$/, '')}/namespaces/${encodeURIComponent(options.namespace)}/workflows/${encodeURIComponent(workflowId)}`;
  const withUrl = <T extends { workflowId: string }>(rows: T[]) => rows.map((p) => ({ ...p, temporalUrl: temporalUrl(p.workflowId) }));

  r.get('/v1/now', {
    config: { permission: ['tasks', 'read'] },
    schema: {
      tags: ['Cockpit'],
      summary: 'What to do now: your approvals, tasks, callbacks and meetings in one queue, by due time',
      response: { 200: z.object({ items: z.array(z.object({ kind: z.enum(['approval', 'task', 'callback', 'meeting']), id: z.uuid(), title: z.string(), dueAt: ts.nullable(), contactId: z.uuid().nullable(), contactName: z.string().nullable(), overdue: z.boolean() })) }), ...errors },
    },
  }, async (request) => {
    const caller = request.caller!;
    const memberId = caller.kind === 'member' ? caller.actorId : null;
    const items = await request.withDb(async (tx) => {
      const approvals = await tx<Array<{ id: string; title: string; dueAt: string; contactId: string; contactName: string | null }>>`
        select a.id, 'Approve: ' || coalesce(m.subject, '(no subject)') as title, a.due_at, m.contact_id, nullif(trim(coalesce(c.first_name, '') || ' ' || coalesce(c.last_name, '')), '') as contact_name
        from public.approvals a join public.outbound_messages m on m.id = a.message_id join public.mailboxes b on b.id = m.mailbox_id
        left join public.contacts c on c.id = m.contact_id
        where a.status = 'pending' and (b.member_id = ${memberId} or (a.escalated and ${caller.role} in ('manager', 'admin')))`;
      // Changes a call note proposed, waiting for the rep whose call it was.
      const changes = await tx<Array<{ id: string; title: string; dueAt: string; contactId: string | null; contactName: string | null }>>`
        select a.id, 'Approve CRM change: ' || replace(p.kind, '_', ' ') || coalesce(' (' || n.title || ')', '') as title, a.due_at, n.contact_id,
          nullif(trim(coalesce(c.first_name, '') || ' ' || coalesce(c.last_name, '')), '') as contact_name
        from public.approvals a join public.call_note_proposals p on p.id = a.proposal_id join public.call_notes n on n.id = p.call_note_id
        left join public.contacts c on c.id = n.contact_id
        where a.status = 'pending' and (n.owner_member_id = ${memberId} or (a.escalated and ${caller.role} in ('manager', 'admin')))`;
      const tasks = await tx<Array<{ id: string; kind: string; title: string; dueAt: string | null; contactId: string | null; contactName: string | null }>>`
        select t.id, t.kind, t.title, t.due_at, t.contact_id, nullif(trim(coalesce(c.first_name, '') || ' ' || coalesce(c.last_name, '')), '') as contact_name
        from public.tasks t left join public.contacts c on c.id = t.contact_id
        where t.status = 'open' and t.owner_member_id = ${memberId}`;
      const meetings = await tx<Array<{ id: string; subject: string | null; startAt: string; contactId: string | null; contactName: string | null }>>`
        select a.id, a.subject, a.meeting_start_at as start_at, a.contact_id, nullif(trim(coalesce(c.first_name, '') || ' ' || coalesce(c.last_name, '')), '') as contact_name
        from public.activities a left join public.contacts c on c.id = a.contact_id left join public.accounts acc on acc.id = coalesce(a.account_id, c.account_id)
        where a.kind = 'meeting' and a.meeting_status = 'scheduled' and a.meeting_start_at between now() - interval '1 hour' and now() + interval '7 days'
          and (a.logged_by_member_id = ${memberId} or acc.owner_member_id = ${memberId}
               or exists (select 1 from public.enrolments e where e.contact_id = a.contact_id and e.owner_member_id = ${memberId} and e.status = 'active'))`;
      return [
        ...[...approvals, ...changes].map((a) => ({ kind: 'approval' as const, id: a.id, title: a.title, dueAt: a.dueAt, contactId: a.contactId, contactName: a.contactName })),
        ...tasks.map((t) => ({ kind: t.kind === 'call' ? ('callback' as const) : ('task' as const), id: t.id, title: t.title, dueAt: t.dueAt, contactId: t.contactId, contactName: t.contactName })),
        ...meetings.map((m) => ({ kind: 'meeting' as const, id: m.id, title: m.subject ?? 'Meeting', dueAt: m.startAt, contactId: m.contactId, contactName: m.contactName })),
      ];
    });
    const now = Date.now();
    const order = (at: string | null) => (at === null ? Number.MAX_SAFE_INTEGER : Date.parse(at));
    return { items: items.map((i) => ({ ...i, overdue: i.dueAt !== null && i.kind !== 'meeting' && Date.parse(i.dueAt) < now })).sort((a, b) => order(a.dueAt) - order(b.dueAt)) };
  });

  r.get('/v1/contacts/:id/timeline', {
    config: { permission: ['contacts', 'read'] },
    schema: { tags: ['Cockpit'], summary: "A contact's timeline (events and activities, newest first), cadences and running processes with links to the Temporal Web UI", params: idParams, response: { 200: z.object({ items: z.array(timelineItem), processes: z.array(processSchema) }), ...errors } },
  }, async (request) => {
    return request.withDb(async (tx) => {
      const [contact] = await tx`select id from public.contacts where id = ${request.params.id}`;
      if (!contact) throw new HttpProblem(404, 'not-found', `No contact ${request.params.id}`);
      const events = await tx<Array<{ id: string; at: string; kind: string; data: Record<string, unknown> }>>`
        select id, occurred_at as at, kind, data from public.event_log where subject_type = 'contact' and subject_id = ${request.params.id} order by occurred_at desc limit 200`;
      const activities = await tx<Array<{ id: string; at: string; kind: string; direction: string; subject: string | null }>>`
        select id, occurred_at as at, kind, direction, subject from public.activities where contact_id = ${request.params.id} order by occurred_at desc limit 200`;
      const processes = await tx<Array<{ workflowId: string; kind: string; status: string; step: string | null; waitingOn: string | null; nextActionAt: string | null; updatedAt: string }>>`
        select workflow_id, kind, status, step, waiting_on, next_action_at, updated_at from public.process_runs where subject_type = 'contact' and subject_id = ${request.params.id} order by updated_at desc`;
      const items = [
        ...events.map((e) => ({ at: e.at, source: 'event' as const, kind: e.kind, id: e.id, summary: eventSummary(e.kind, e.data) })),
        ...activities.map((a) => ({ at: a.at, source: 'activity' as const, kind: `${a.kind}.${a.direction}`, id: a.id, summary: `${a.direction === 'inbound' ? 'From them' : a.direction === 'outbound' ? 'To them' : 'Note'}: ${a.kind}${a.subject ? ` — ${a.subject}` : ''}` })),
      ].sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
      return { items, processes: withUrl(processes) };
    });
  });

  r.get('/v1/deals/:id/overview', {
    config: { permission: ['deals', 'read'] },
    schema: {
      tags: ['Cockpit'], summary: 'A deal with its stakeholders (roles), timeline and running processes', params: idParams,
      response: { 200: z.object({ stakeholders: z.array(z.object({ id: z.uuid(), contactId: z.uuid(), name: z.string().nullable(), title: z.string().nullable(), role: z.string(), influence: z.string().nullable(), sentiment: z.string().nullable() })), items: z.array(timelineItem), processes: z.array(processSchema) }), ...errors },
    },
  }, async (request) => request.withDb(async (tx) => {
    const [deal] = await tx`select id from public.deals where id = ${request.params.id}`;
    if (!deal) throw new HttpProblem(404, 'not-found', `No deal ${request.params.id}`);
    const stakeholders = await tx<Array<{ id: string; contactId: string; name: string | null; title: string | null; role: string; influence: string | null; sentiment: string | null }>>`
      select s.id, s.contact_id, nullif(trim(coalesce(c.first_name, '') || ' ' || coalesce(c.last_name, '')), '') as name, c.title, s.role, s.influence, s.sentiment
      from public.stakeholders s join public.contacts c on c.id = s.contact_id where s.deal_id = ${request.params.id} order by s.role`;
    const contactIds = stakeholders.map((s) => s.contactId);
    const events = await tx<Array<{ id: string; at: string; kind: string; data: Record<string, unknown> }>>`
      select id, occurred_at as at, kind, data from public.event_log
      where (subject_type = 'deal' and subject_id = ${request.params.id}) or (subject_type = 'contact' and subject_id = any(${contactIds}::text[])) order by occurred_at desc limit 200`;
    const activities = await tx<Array<{ id: string; at: string; kind: string; direction: string; subject: string | null }>>`
      select id, occurred_at as at, kind, direction, subject from public.activities where deal_id = ${request.params.id} or contact_id = any(${contactIds}::uuid[]) order by occurred_at desc limit 200`;
    const processes = await tx<Array<{ workflowId: string; kind: string; status: string; step: string | null; waitingOn: string | null; nextActionAt: string | null; updatedAt: string }>>`
      select workflow_id, kind, status, step, waiting_on, next_action_at, updated_at from public.process_runs
      where (subject_type = 'deal' and subject_id = ${request.params.id}) or (subject_type = 'contact' and subject_id = any(${contactIds}::text[])) order by updated_at desc`;
    const items = [
      ...events.map((e) => ({ at: e.at, source: 'event' as const, kind: e.kind, id: e.id, summary: eventSummary(e.kind, e.data) })),
      ...activities.map((a) => ({ at: a.at, source: 'activity' as const, kind: `${a.kind}.${a.direction}`, id: a.id, summary: `${a.kind} (${a.direction})${a.subject ? ` — ${a.subject}` : ''}` })),
    ].sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
    return { stakeholders, items, processes: withUrl(processes) };
  }));

  r.get('/v1/approvals/:id/detail', {
    config: { permission: ['approvals', 'read'] },
    schema: {
      tags: ['Cockpit'], summary: 'An approval with what it needs to be decided: the draft, who drafted it and why it needs a person, the contact, the thread so far', params: idParams,
      response: { 200: z.object({
        approval: z.object({ id: z.uuid(), status: z.string(), dueAt: ts, escalated: z.boolean(), requestedAt: ts }),
        message: z.object({ id: z.uuid(), toAddress: z.string().nullable(), subject: z.string().nullable(), bodyText: z.string().nullable(), origin: z.string(), draftedBy: z.string().nullable(), stepKey: z.string(), processWorkflowId: z.string(), why: z.string() }),
        contact: z.object({ id: z.uuid(), name: z.string().nullable(), title: z.string().nullable(), accountName: z.string().nullable() }).nullable(),
        thread: z.array(z.object({ at: ts, direction: z.string(), subject: z.string().nullable(), body: z.string().nullable() })),
      }), ...errors },
    },
  }, async (request) => request.withDb(async (tx) => {
    const [row] = await tx<Array<{ id: string; status: string; dueAt: string; escalated: boolean; requestedAt: string; messageId: string; toAddress: string | null; subject: string | null; bodyText: string | null; origin: string; draftedBy: string | null; stepKey: string; processWorkflowId: string; usesBuyerContent: boolean; contactId: string }>>`
      select a.id, a.status, a.due_at, a.escalated, a.requested_at, m.id as message_id, m.to_address, m.subject, m.body_text, m.origin, m.drafted_by, m.step_key, m.process_workflow_id, m.uses_buyer_content, m.contact_id
      from public.approvals a join public.outbound_messages m on m.id = a.message_id where a.id = ${request.params.id}`;
    if (!row) throw new HttpProblem(404, 'not-found', `No approval ${request.params.id}`);
    const [contact] = await tx<Array<{ id: string; name: string | null; title: string | null; accountName: string | null }>>`
      select c.id, nullif(trim(coalesce(c.first_name, '') || ' ' || coalesce(c.last_name, '')), '') as name, c.title, acc.name as account_name
      from public.contacts c left join public.accounts acc on acc.id = c.account_id where c.id = ${row.contactId}`;
    const thread = await tx<Array<{ at: string; direction: string; subject: string | null; body: string | null }>>`
      select occurred_at as at, direction, subject, body from public.activities where contact_id = ${row.contactId} and kind = 'email' order by occurred_at desc limit 10`;
    const why = row.origin === 'ai' ? 'An AI wrote or changed this draft: a person reads it before it goes out.' : row.usesBuyerContent ? 'It quotes what the buyer wrote: a person reads it first.' : "The organisation's policy asks for approval of every email.";
    return {
      approval: { id: row.id, status: row.status, dueAt: row.dueAt, escalated: row.escalated, requestedAt: row.requestedAt },
      message: { id: row.messageId, toAddress: row.toAddress, subject: row.subject, bodyText: row.bodyText, origin: row.origin, draftedBy: row.draftedBy, stepKey: row.stepKey, processWorkflowId: row.processWorkflowId, why },
      contact: contact ?? null,
      thread,
    };
  }));

  r.get('/v1/manager/summary', {
    config: { permission: ['deals', 'read'] },
    schema: {
      tags: ['Cockpit'], summary: 'For managers: pipeline by stage, approvals past their deadline, and follow-up SLA compliance per rep (last 30 days)',
      response: { 200: z.object({
        pipeline: z.array(z.object({ stage: z.string(), deals: z.int(), amountMinor: z.number() })),
        approvalsPastSla: z.array(z.object({ id: z.uuid(), dueAt: ts, subject: z.string().nullable(), ownerName: z.string(), escalated: z.boolean() })),
        followUpSla: z.array(z.object({ memberId: z.uuid(), name: z.string(), due: z.int(), onTime: z.int(), overdue: z.int(), compliance: z.number().nullable() })),
        period: z.object({ from: ts, to: ts }),
      }), ...errors },
    },
  }, async (request) => {
    if (request.caller!.role === 'rep') throw new HttpProblem(403, 'forbidden', 'The manager view is for managers and admins');
    const nowMs = Date.now();
    const fromMs = nowMs - 30 * 86_400_000;
    return request.withDb(async (tx) => {
      const pipeline = await tx<Array<{ stage: string; deals: number; amountMinor: number }>>`
        select stage, count(*)::int as deals, coalesce(sum(amount_minor), 0)::int8 as amount_minor from public.deals group by stage`;
      const stages = ['discovery', 'qualification', 'demo', 'proposal', 'negotiation', 'closed_won', 'closed_lost'];
      const approvalsPastSla = await tx<Array<{ id: string; dueAt: string; subject: string | null; ownerName: string; escalated: boolean }>>`
        select a.id, a.due_at, m.subject, mem.display_name as owner_name, a.escalated from public.approvals a
        join public.outbound_messages m on m.id = a.message_id join public.mailboxes b on b.id = m.mailbox_id join public.members mem on mem.id = b.member_id
        where a.status = 'pending' and a.due_at < now() order by a.due_at`;
      // Follow-ups: approvals of drafted emails and tasks the processes created, by the rep who owns them.
      const items = await tx<Array<{ ownerId: string; dueAt: string; resolvedAt: string | null; counts: boolean }>>`
        select b.member_id as owner_id, a.due_at, a.decided_at as resolved_at, a.status <> 'cancelled' as counts
          from public.approvals a join public.outbound_messages m on m.id = a.message_id join public.mailboxes b on b.id = m.mailbox_id
          where a.due_at >= ${new Date(fromMs).toISOString()}
        union all
        select t.owner_member_id, t.due_at, t.completed_at, t.status <> 'cancelled'
          from public.tasks t where t.source = 'process' and t.due_at is not null and t.due_at >= ${new Date(fromMs).toISOString()}`;
      const members = await tx<Array<{ id: string; displayName: string }>>`select id, display_name from public.members where status = 'active'`;
      const names = new Map(members.map((m) => [m.id, m.displayName]));
      const compliance = followUpSlaCompliance(items.map((i) => ({ ownerId: i.ownerId, dueAtMs: Date.parse(i.dueAt), resolvedAtMs: i.resolvedAt ? Date.parse(i.resolvedAt) : null, counts: i.counts })), { fromMs, toMs: nowMs }, nowMs);
      return {
        pipeline: stages.map((stage) => pipeline.find((p) => p.stage === stage) ?? { stage, deals: 0, amountMinor: 0 }),
        approvalsPastSla,
        followUpSla: compliance.map((c) => ({ memberId: c.ownerId, name: names.get(c.ownerId) ?? 'former member', due: c.due, onTime: c.onTime, overdue: c.overdue, compliance: c.compliance })),
        period: { from: new Date(fromMs).toISOString(), to: new Date(nowMs).toISOString() },
      };
    });
  });
}

/** A line a person can read for an event (events carry ids and codes only). */
function eventSummary(kind: string, data: Record<string, unknown>): string {
  switch (kind) {
    case 'reply.received':
      return `They wrote back (${String(data.classification).replace(/_/g, ' ')}${data.returnsAt ? `, back ${String(data.returnsAt).slice(0, 10)}` : ''})`;
    case 'email.status_changed':
      return `Email ${String(data.status)}${data.bounceType ? ` (${String(data.bounceType)} bounce)` : ''}`;
    case 'meeting.booked':
      return `Meeting booked for ${String(data.startsAt).slice(0, 16).replace('T', ' ')}`;
    case 'contact.updated':
      return `Contact changed: ${Array.isArray(data.fields) ? data.fields.join(', ') : ''}`;
    default:
      return kind.replace(/[._]/g, ' ');
  }
}
