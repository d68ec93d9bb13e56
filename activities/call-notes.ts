// Activities of the call-notes process: extract and check (the AI or the offline rules, then the evidence rule),
// turn findings into proposals, apply proposals (idempotent: a proposal is applied once, by its row), open and
// close their approvals, and draft the recap email. Workflows get ids and counts only (ADR-0007).
import { log } from '@temporalio/activity';
import type { Tx } from '../adapters/db/client.ts';
import { auditLogRepository } from '../adapters/db/audit-log-repository.ts';
import { cadenceRepository } from '../adapters/db/cadence-repository.ts';
import { callNotesRepository, type CallNoteRow, type ProposalRow } from '../adapters/db/call-notes-repository.ts';
import { createOfflineCallNotesExtractor } from '../adapters/ai/call-notes-offline.ts';
import type { CallNotesExtractor, ExtractionResult } from '../adapters/ai/call-notes-port.ts';
import { buildProposals, callNotesPolicySchema, type CallNotesPolicy } from '../domain/call-note-proposals.ts';
import { checkEvidence } from '../domain/call-notes.ts';
import { NotFoundError, ValidationError } from '../domain/errors.ts';
import type { ActivityDeps } from './index.ts';

const iso = (ms: number) => new Date(ms).toISOString();

export interface ExtractOutcome {
  extractor: 'openai' | 'offline';
  applyIds: string[];
  approveIds: string[];
  dropped: number;
  ownerMemberId: string;
  approvalSlaMinutes: number;
  draftRecap: boolean;
}

export interface ApplyOutcome {
  applied: string[];
  superseded: string[];
  /** Callbacks with a time: the contact's cadences are told (ids only). */
  callbacks: Array<{ proposalId: string; contactId: string | null; atMs: number | null }>;
  /** Meeting activities created: each gets a prep brief. */
  meetings: string[];
}

async function loadNote(tx: Tx, orgId: string, id: string): Promise<CallNoteRow> {
  const note = await callNotesRepository.get(tx, orgId, id);
  if (!note) throw new NotFoundError(`call note ${id} not found`);
  return note;
}

function policyOf(json: unknown): CallNotesPolicy {
  const parsed = callNotesPolicySchema.safeParse(json);
  if (!parsed.success) log.warn('Invalid call-notes policy on the organisation; using the defaults');
  return parsed.success ? parsed.data : callNotesPolicySchema.parse({});
}

const reasonOf = (note: { id: string }, p: ProposalRow) => `call note ${note.id}: "${p.quote.slice(0, 300)}" (confidence ${p.confidence.toFixed(2)})`;

export function createCallNotesActivities(deps: Pick<ActivityDeps, 'db' | 'callNotesExtractor'>) {
  const { db } = deps;
  const offline = createOfflineCallNotesExtractor();

  /** The call activity the note is recorded as: made once, found again through the note. */
  async function ensureCallActivity(tx: Tx, note: CallNoteRow, accountId: string | null): Promise<string> {
    if (note.activityId) return note.activityId;
    const ref = `call-note:${note.id}`;
    await tx`insert into public.activities ${tx({
      orgId: note.orgId, kind: 'call', direction: 'outbound', occurredAt: note.occurredAt, subject: note.title ?? 'Call', body: null,
      contactId: note.contactId, accountId, dealId: note.dealId, loggedByMemberId: note.ownerMemberId, providerMessageId: ref,
    })} on conflict do nothing`;
    const [row] = await tx<{ id: string }[]>`select id from public.activities where org_id = ${note.orgId} and provider_message_id = ${ref}`;
    await callNotesRepository.setActivity(tx, note.orgId, note.id, row!.id);
    note.activityId = row!.id;
    return row!.id;
  }

  async function applyOne(tx: Tx, note: CallNoteRow, p: ProposalRow, actor: { type: 'member' | 'system' | 'ai'; id: string | null; decidedByMemberId: string | null }, out: ApplyOutcome, nowIso: string) {
    const a = p.after;
    const done = async (resultRef: string | null, subject: { type: string; id: string } | null, before: unknown, after: unknown, targetId?: string | null) => {
      await callNotesRepository.finishProposal(tx, { orgId: note.orgId, id: p.id, status: 'applied', reason: null, resultRef, targetId: targetId ?? null, decidedByMemberId: actor.decidedByMemberId, decidedAt: actor.decidedByMemberId ? nowIso : null });
      if (subject) {
        await auditLogRepository.record(tx, { orgId: note.orgId, actorType: actor.type, actorId: actor.id, action: `call_notes.apply.${p.kind}`, subjectType: subject.type, subjectId: subject.id, before, after, reason: reasonOf(note, p) });
      }
      out.applied.push(p.id);
    };
    const supersede = async (why: string) => {
      await callNotesRepository.finishProposal(tx, { orgId: note.orgId, id: p.id, status: 'superseded', reason: why, decidedByMemberId: actor.decidedByMemberId, decidedAt: actor.decidedByMemberId ? nowIso : null });
      out.superseded.push(p.id);
    };
    const sourceRef = `call-note:${note.id}:${p.ordinal}`;
    const taskOnce = async (task: { kind: string; title: string; dueAt: string | null }) => {
      const [existing] = await tx<{ id: string }[]>`select id from public.tasks where org_id = ${note.orgId} and source_ref = ${sourceRef}`;
      if (existing) return existing.id;
      const [row] = await tx<{ id: string }[]>`insert into public.tasks ${tx({ orgId: note.orgId, ...task, title: task.title.slice(0, 500), ownerMemberId: note.ownerMemberId, status: 'open', source: 'call_notes', sourceRef, contactId: note.contactId, dealId: note.dealId })} returning id`;
      return row!.id;
    };

    switch (p.kind) {
      case 'summary': {
        const activityId = note.activityId!;
        const [before] = await tx<{ body: string | null }[]>`select body from public.activities where org_id = ${note.orgId} and id = ${activityId}`;
        await tx`update public.activities set body = ${String(a.text)} where org_id = ${note.orgId} and id = ${activityId}`;
        return done(activityId, { type: 'activity', id: activityId }, { body: before?.body ?? null }, { body: a.text }, activityId);
      }
      case 'next_step': {
        const taskId = await taskOnce({ kind: 'follow_up', title: String(a.title), dueAt: (a.dueAt as string | null) ?? null });
        // The deal's next step is what managers read: the rep's first next step from the latest call.
        if (note.dealId && a.owner === 'rep') {
          const [deal] = await tx<{ nextStep: string | null; nextStepDueAt: string | null }[]>`select next_step, next_step_due_at from public.deals where org_id = ${note.orgId} and id = ${note.dealId} for update`;
          const [firstRep] = await tx<{ id: string }[]>`select id from public.call_note_proposals where call_note_id = ${note.id} and kind = 'next_step' and after->>'owner' = 'rep' order by ordinal limit 1`;
          if (deal && firstRep?.id === p.id) {
            const after = { nextStep: String(a.title).slice(0, 500), nextStepDueAt: (a.dueAt as string | null) ?? null };
            await tx`update public.deals set next_step = ${after.nextStep}, next_step_due_at = ${after.nextStepDueAt} where org_id = ${note.orgId} and id = ${note.dealId}`;
            await auditLogRepository.record(tx, { orgId: note.orgId, actorType: actor.type, actorId: actor.id, action: 'call_notes.apply.deal_next_step', subjectType: 'deal', subjectId: note.dealId, before: deal, after, reason: reasonOf(note, p) });
          }
        }
        return done(taskId, { type: 'task', id: taskId }, null, { title: a.title, dueAt: a.dueAt ?? null }, taskId);
      }
      case 'callback': {
        const atMs = typeof a.atMs === 'number' ? a.atMs : null;
        const title = atMs !== null ? `Call back as asked: "${String(a.when)}"` : `Confirm the callback time: "${String(a.when)}" (${String(a.why)})`;
        const taskId = await taskOnce({ kind: 'call', title, dueAt: atMs === null ? null : iso(atMs) });
        out.callbacks.push({ proposalId: p.id, contactId: note.contactId, atMs });
        return done(taskId, { type: 'task', id: taskId }, null, { title, dueAt: atMs === null ? null : iso(atMs) }, taskId);
      }
      case 'meeting': {
        if (typeof a.startAt !== 'string') {
          const taskId = await taskOnce({ kind: 'custom', title: `Schedule: ${String(a.title)} ("${String(a.when)}" names no exact time)`, dueAt: null });
          return done(taskId, { type: 'task', id: taskId }, null, { title: a.title, when: a.when }, taskId);
        }
        await tx`insert into public.activities ${tx({
          orgId: note.orgId, kind: 'meeting', direction: 'outbound', occurredAt: note.occurredAt, subject: String(a.title).slice(0, 300), body: null,
          contactId: note.contactId, accountId: note.accountId, dealId: note.dealId, loggedByMemberId: note.ownerMemberId, providerMessageId: sourceRef,
          meetingStartAt: String(a.startAt), meetingEndAt: String(a.endAt), meetingStatus: 'scheduled',
        })} on conflict do nothing`;
        const [meeting] = await tx<{ id: string }[]>`select id from public.activities where org_id = ${note.orgId} and provider_message_id = ${sourceRef}`;
        out.meetings.push(meeting!.id);
        return done(meeting!.id, { type: 'activity', id: meeting!.id }, null, { kind: 'meeting', startAt: a.startAt, title: a.title }, meeting!.id);
      }
      case 'contact_new': {
        const [contact] = await tx<{ id: string }[]>`insert into public.contacts ${tx({
          orgId: note.orgId, accountId: note.accountId, firstName: (a.firstName as string | null) ?? null, lastName: (a.lastName as string | null) ?? null, title: (a.title as string | null) ?? null, source: 'call_notes',
        })} returning id`;
        if (note.dealId && typeof a.role === 'string') {
          await tx`insert into public.stakeholders ${tx({ orgId: note.orgId, dealId: note.dealId, contactId: contact!.id, role: a.role })} on conflict do nothing`;
        }
        return done(contact!.id, { type: 'contact', id: contact!.id }, null, { firstName: a.firstName, lastName: a.lastName, title: a.title, role: a.role ?? null }, contact!.id);
      }
      case 'stakeholder_role': {
        const [contact] = await tx<{ id: string }[]>`select id from public.contacts where org_id = ${note.orgId} and id = ${String(a.contactId)} and erased_at is null`;
        if (!contact) return supersede('the contact no longer exists');
        await tx`insert into public.stakeholders ${tx({ orgId: note.orgId, dealId: String(a.dealId), contactId: contact.id, role: String(a.role) })} on conflict do nothing`;
        const [row] = await tx<{ id: string }[]>`select id from public.stakeholders where org_id = ${note.orgId} and deal_id = ${String(a.dealId)} and contact_id = ${contact.id} and role = ${String(a.role)}`;
        return done(row!.id, { type: 'stakeholder', id: row!.id }, p.before, { contactId: contact.id, role: a.role }, row!.id);
      }
      case 'deal_stage':
      case 'deal_amount':
      case 'deal_close_date': {
        // Never "latest wins": the change applies only to the value it was proposed against.
        const [deal] = await tx<{ stage: string; amountMinor: string | null; currency: string | null; closeDate: string | null }[]>`
          select stage, amount_minor, currency, to_char(close_date, 'YYYY-MM-DD') as close_date from public.deals where org_id = ${note.orgId} and id = ${p.targetId} for update`;
        if (!deal) return supersede('the deal no longer exists');
        const current = p.kind === 'deal_stage' ? { stage: deal.stage } : p.kind === 'deal_amount' ? { amountMinor: deal.amountMinor === null ? null : Number(deal.amountMinor), currency: deal.currency } : { closeDate: deal.closeDate };
        if (JSON.stringify(current) !== JSON.stringify(p.before)) return supersede(`the deal changed since the call (now ${JSON.stringify(current)})`);
        if (p.kind === 'deal_stage') await tx`update public.deals set stage = ${String(a.stage)} where org_id = ${note.orgId} and id = ${p.targetId}`;
        if (p.kind === 'deal_amount') await tx`update public.deals set amount_minor = ${Number(a.amountMinor)}, currency = ${String(a.currency)} where org_id = ${note.orgId} and id = ${p.targetId}`;
        if (p.kind === 'deal_close_date') await tx`update public.deals set close_date = ${String(a.closeDate)} where org_id = ${note.orgId} and id = ${p.targetId}`;
        const after = p.kind === 'deal_close_date' ? { closeDate: a.closeDate } : p.kind === 'deal_stage' ? { stage: a.stage } : { amountMinor: a.amountMinor, currency: a.currency };
        return done(p.targetId, { type: 'deal', id: p.targetId! }, current, after);
      }
      default:
        // Insights (objections, competitors, pains, qualification, commitments, risks) are recorded on the note.
        return done(null, null, null, null);
    }
  }

  return {
    /**
     * Extracts with the configured extractor (or the offline one, when told why), keeps what the evidence rule
     * allows, and writes the proposals. A retry after the write finds them and calls no extractor again.
     */
    async extractCallNote(input: { orgId: string; callNoteId: string; offlineBecause?: string }): Promise<ExtractOutcome> {
      const prepared = await db.asService(async (tx) => {
        const note = await loadNote(tx, input.orgId, input.callNoteId);
        const policy = policyOf(await callNotesRepository.policyJson(tx, input.orgId));
        const existing = await callNotesRepository.proposals(tx, input.orgId, note.id);
        if (note.status !== 'received' && note.status !== 'extracting' && note.extractor) return { done: true as const, note, policy, existing };
        if (!note.transcriptText) throw new ValidationError('the call note has no text (erased?)');
        await callNotesRepository.setStatus(tx, input.orgId, note.id, 'extracting', null);
        const state = await callNotesRepository.crmState(tx, note);
        return { done: false as const, note, policy, state };
      });
      const summarise = (note: CallNoteRow, policy: CallNotesPolicy, rows: ProposalRow[], dropped: number): ExtractOutcome => ({
        extractor: note.extractor ?? 'offline',
        applyIds: rows.filter((r) => r.policy === 'apply' && r.status === 'pending').map((r) => r.id),
        approveIds: rows.filter((r) => r.policy === 'approve' && r.status === 'pending').map((r) => r.id),
        dropped,
        ownerMemberId: note.ownerMemberId,
        approvalSlaMinutes: policy.approvalSlaMinutes,
        draftRecap: policy.draftRecap,
      });
      if (prepared.done) return summarise(prepared.note, prepared.policy, prepared.existing, prepared.note.droppedCount);
      const { note, policy, state } = prepared;
      const extractor: CallNotesExtractor = input.offlineBecause ? offline : deps.callNotesExtractor ?? offline;
      const request = {
        orgId: note.orgId,
        idempotencyKey: `call-note:${note.id}`,
        transcript: note.transcriptText!,
        occurredAt: note.occurredAt,
        timeZone: state.timeZone,
        context: {
          repName: state.repName,
          accountName: state.accountName,
          stage: state.deal?.stage ?? null,
          currency: state.deal?.currency ?? null,
          knownPeople: state.people.map((p) => ({ name: [p.firstName, p.lastName].filter(Boolean).join(' '), title: p.title })).filter((p) => p.name),
        },
      };
      // The model is called outside any transaction.
      const result: ExtractionResult = await extractor.extract(request);
      const { kept, dropped } = checkEvidence(result.extraction, note.transcriptText!);
      const proposals = buildProposals({ extraction: kept, occurredAtMs: Date.parse(note.occurredAt), timeZone: state.timeZone, state, policy });
      return db.asService(async (tx) => {
        await callNotesRepository.saveExtraction(tx, {
          orgId: note.orgId, id: note.id, extractor: result.extractor, model: result.model, promptVersion: result.promptVersion, label: result.label,
          fallbackReason: input.offlineBecause ?? null, extraction: kept, dropped, accountId: state.accountId,
        });
        await callNotesRepository.insertProposals(tx, note.orgId, note.id, proposals);
        note.extractor = result.extractor;
        note.accountId = note.accountId ?? state.accountId;
        await ensureCallActivity(tx, note, state.accountId);
        const rows = await callNotesRepository.proposals(tx, note.orgId, note.id);
        return summarise(note, policy, rows, dropped.length);
      });
    },

    /** Applies pending proposals; one already applied (a retried activity) is left as it is. */
    async applyCallNoteProposals(input: { orgId: string; callNoteId: string; proposalIds: string[]; decidedByMemberId?: string | null; nowMs: number }): Promise<ApplyOutcome> {
      return db.asService(async (tx) => {
        const note = await loadNote(tx, input.orgId, input.callNoteId);
        const rows = await callNotesRepository.proposals(tx, input.orgId, note.id, input.proposalIds);
        const out: ApplyOutcome = { applied: [], superseded: [], callbacks: [], meetings: [] };
        const actor = input.decidedByMemberId
          ? { type: 'member' as const, id: input.decidedByMemberId, decidedByMemberId: input.decidedByMemberId }
          : { type: note.extractor === 'openai' ? ('ai' as const) : ('system' as const), id: note.extractor === 'openai' ? 'call-notes:openai' : 'call-notes:offline', decidedByMemberId: null };
        await ensureCallActivity(tx, note, note.accountId);
        for (const row of rows) {
          if (row.status !== 'pending') continue;
          await applyOne(tx, note, row, actor, out, iso(input.nowMs));
        }
        return out;
      });
    },

    async openProposalApproval(input: { orgId: string; proposalId: string; workflowId: string; requestedAtMs: number; dueAtMs: number }): Promise<{ approvalId: string }> {
      const approvalId = await db.asService((tx) => callNotesRepository.openApproval(tx, { orgId: input.orgId, proposalId: input.proposalId, workflowId: input.workflowId, requestedAt: iso(input.requestedAtMs), dueAt: iso(input.dueAtMs) }));
      return { approvalId };
    },

    /** Closes an approval; a rejected or expired proposal is closed with it (an approved one is applied next). */
    async closeProposalApproval(input: { orgId: string; callNoteId: string; proposalId: string; approvalId: string; outcome: 'approved' | 'rejected' | 'expired' | 'cancelled'; decidedByMemberId: string | null; nowMs: number }) {
      await db.asService(async (tx) => {
        await callNotesRepository.closeApproval(tx, {
          orgId: input.orgId, approvalId: input.approvalId, status: input.outcome, decidedByMemberId: input.decidedByMemberId, decidedAt: iso(input.nowMs),
          decision: input.outcome === 'approved' ? 'approve' : input.outcome === 'rejected' ? 'reject' : null,
        });
        if (input.outcome === 'rejected' || input.outcome === 'expired' || input.outcome === 'cancelled') {
          const status = input.outcome === 'rejected' ? 'rejected' : 'expired';
          await callNotesRepository.finishProposal(tx, { orgId: input.orgId, id: input.proposalId, status, reason: input.outcome === 'rejected' ? 'rejected by a person' : `nobody decided in time (${input.outcome})`, decidedByMemberId: input.decidedByMemberId, decidedAt: iso(input.nowMs) });
          await auditLogRepository.record(tx, { orgId: input.orgId, actorType: input.decidedByMemberId ? 'member' : 'system', actorId: input.decidedByMemberId, action: `call_notes.${status}`, subjectType: 'call_note_proposal', subjectId: input.proposalId, before: null, after: { status }, reason: `call note ${input.callNoteId}` });
        }
      });
    },

    /** The running cadences of the note's contact, to tell them about a callback. */
    async contactCadences(input: { orgId: string; contactId: string }): Promise<string[]> {
      return db.asService((tx) => cadenceRepository.activeWorkflowIds(tx, input.orgId, input.contactId));
    },

    /**
     * The recap email to the buyer, as a draft for approval: it is built from the buyer's own words (the call),
     * so a person always reads it first (domain/approval.ts: buyer content). Once per call note.
     */
    async draftCallRecap(input: { orgId: string; callNoteId: string; workflowId: string }): Promise<{ ok: true; messageId: string; businessKey: string } | { ok: false; reason: string }> {
      return db.asService(async (tx) => {
        const note = await loadNote(tx, input.orgId, input.callNoteId);
        const businessKey = `call-notes:${note.id}:recap`;
        const existing = await cadenceRepository.draftByBusinessKey(tx, input.orgId, businessKey);
        if (existing) return { ok: true as const, messageId: existing, businessKey };
        if (!note.contactId) return { ok: false as const, reason: 'the call note names no contact to write to' };
        const [contact] = await tx<{ firstName: string | null; emails: string[]; doNotContact: boolean }[]>`
          select first_name, emails, do_not_contact from public.contacts where org_id = ${note.orgId} and id = ${note.contactId} and erased_at is null`;
        if (!contact?.emails[0]) return { ok: false as const, reason: 'the contact has no email address' };
        if (contact.doNotContact) return { ok: false as const, reason: 'the contact is marked do-not-contact' };
        const [mailbox] = await tx<{ id: string; fromName: string }[]>`
          select id, from_name from public.mailboxes where org_id = ${note.orgId} and member_id = ${note.ownerMemberId} order by created_at limit 1`;
        if (!mailbox) return { ok: false as const, reason: 'the rep has no mailbox to send from' };
        const rows = await callNotesRepository.proposals(tx, note.orgId, note.id);
        const applied = rows.filter((r) => r.status === 'applied');
        const ours = applied.filter((r) => r.kind === 'next_step' && r.after.owner === 'rep').map((r) => `- ${String(r.after.title)}${r.after.dueDate ? ` (by ${String(r.after.dueDate)})` : ''}`);
        const theirs = applied.filter((r) => r.kind === 'commitment').map((r) => `- ${String(r.after.text)}`);
        const meetings = applied.filter((r) => r.kind === 'meeting' && typeof r.after.startAt === 'string').map((r) => `- ${String(r.after.title)}: ${String(r.after.when)}`);
        if (ours.length + theirs.length + meetings.length === 0) return { ok: false as const, reason: 'nothing agreed on the call to recap' };
        const body = [
          `Hi ${contact.firstName ?? 'there'},`,
          '',
          'Thank you for your time today. Here is what we agreed, so nothing falls through the cracks:',
          ...(ours.length ? ['', 'From our side:', ...ours] : []),
          ...(theirs.length ? ['', 'From your side:', ...theirs] : []),
          ...(meetings.length ? ['', 'Next meetings:', ...meetings] : []),
          '',
          'Let me know if I missed anything.',
          '',
          'Best,',
          mailbox.fromName,
        ].join('\n');
        const [row] = await tx<{ id: string }[]>`insert into public.outbound_messages ${tx({
          orgId: note.orgId, mailboxId: mailbox.id, contactId: note.contactId, toAddress: contact.emails[0], subject: `Recap: ${note.title ?? 'our call'}`.slice(0, 300),
          bodyText: body, origin: 'template', draftedBy: 'call-notes recap template (from the call\'s checked next steps)', usesBuyerContent: true, requiresApproval: true,
          delivery: 'send', processWorkflowId: input.workflowId, stepKey: 'recap', businessKey,
        })} returning id`;
        return { ok: true as const, messageId: row!.id, businessKey };
      });
    },

    async finishCallNote(input: { orgId: string; callNoteId: string; status: 'completed' | 'failed'; reason: string | null }) {
      await db.asService((tx) => callNotesRepository.setStatus(tx, input.orgId, input.callNoteId, input.status, input.reason));
    },
  };
}
