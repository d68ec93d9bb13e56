// Call notes, their proposals and meeting briefs: the SQL, and nothing about what a proposal means.
// Row JSON is read as text and parsed: the client camel-cases keys inside jsonb values too.
import type { Tx } from './client.ts';
import type { CrmState, DealStage, Proposal, StakeholderRole } from '../../domain/call-note-proposals.ts';
import type { CallNoteIntake } from '../../domain/call-note-intake.ts';
import type { DroppedProposal, Extraction } from '../../domain/call-notes.ts';
import { ValidationError } from '../../domain/errors.ts';
import { parseTranscript, type TranscriptFormat } from '../../domain/transcript.ts';

export interface CallNoteRow {
  id: string;
  orgId: string;
  source: 'api' | 'ui' | 'webhook';
  format: TranscriptFormat;
  title: string | null;
  occurredAt: string;
  transcriptText: string | null;
  dealId: string | null;
  accountId: string | null;
  contactId: string | null;
  ownerMemberId: string;
  status: string;
  extractor: 'openai' | 'offline' | null;
  droppedCount: number;
  activityId: string | null;
  workflowId: string;
}

export interface ProposalRow {
  id: string;
  ordinal: number;
  kind: Proposal['kind'];
  targetType: string | null;
  targetId: string | null;
  before: unknown;
  after: Record<string, unknown>;
  quote: string;
  confidence: number;
  policy: 'apply' | 'approve';
  status: 'pending' | 'applied' | 'rejected' | 'expired' | 'superseded';
  statusReason: string | null;
  resultRef: string | null;
}

export interface NewCallNote {
  id: string;
  orgId: string;
  source: 'api' | 'ui' | 'webhook';
  externalId: string | null;
  format: TranscriptFormat;
  title: string | null;
  occurredAt: string;
  rawText: string;
  transcriptText: string;
  speakers: string[];
  participants: Array<Record<string, string>>;
  dealId: string | null;
  accountId: string | null;
  contactId: string | null;
  ownerMemberId: string;
  createdByMemberId: string | null;
  workflowId: string;
}

const noteColumns = (tx: Tx) => tx`id, org_id, source, format, title, occurred_at, transcript_text, deal_id, account_id, contact_id, owner_member_id, status, extractor, dropped_count, activity_id, workflow_id`;

const proposalFromRow = (row: Omit<ProposalRow, 'before' | 'after'> & { beforeJson: string | null; afterJson: string }): ProposalRow => {
  const { beforeJson, afterJson, ...rest } = row;
  return { ...rest, before: beforeJson === null ? null : JSON.parse(beforeJson), after: JSON.parse(afterJson) as Record<string, unknown> };
};

export const callNotesRepository = {
  /** Inserts the note once: a recorder's delivery with the same external id finds the first one. */
  async insert(tx: Tx, note: NewCallNote): Promise<{ id: string; workflowId: string; created: boolean }> {
    if (note.externalId) {
      const [existing] = await tx<{ id: string; workflowId: string }[]>`
        select id, workflow_id from public.call_notes where org_id = ${note.orgId} and source = ${note.source} and external_id = ${note.externalId}`;
      if (existing) return { ...existing, created: false };
    }
    const [row] = await tx<{ id: string; workflowId: string }[]>`
      insert into public.call_notes ${tx({ ...note, participants: tx.json(note.participants as never) })} returning id, workflow_id`;
    return { ...row!, created: true };
  },

  async get(tx: Tx, orgId: string, id: string): Promise<CallNoteRow | undefined> {
    const [row] = await tx<CallNoteRow[]>`select ${noteColumns(tx)} from public.call_notes where org_id = ${orgId} and id = ${id}`;
    return row;
  },

  /** What the CRM knows that the proposals are measured against: the deal and the people at the account. */
  async crmState(tx: Tx, note: CallNoteRow): Promise<CrmState & { accountId: string | null; accountName: string | null; repName: string | null; timeZone: string }> {
    const [deal] = note.dealId
      ? await tx<{ id: string; stage: DealStage; amountMinor: string | null; currency: string | null; closeDate: string | null; accountId: string }[]>`
          select id, stage, amount_minor, currency, to_char(close_date, 'YYYY-MM-DD') as close_date, account_id from public.deals where org_id = ${note.orgId} and id = ${note.dealId}`
      : [];
    let accountId = note.accountId ?? deal?.accountId ?? null;
    if (!accountId && note.contactId) {
      const [contact] = await tx<{ accountId: string | null }[]>`select account_id from public.contacts where org_id = ${note.orgId} and id = ${note.contactId}`;
      accountId = contact?.accountId ?? null;
    }
    const [account] = accountId ? await tx<{ name: string }[]>`select name from public.accounts where org_id = ${note.orgId} and id = ${accountId}` : [];
    const people = accountId || note.contactId
      ? await tx<{ contactId: string; firstName: string | null; lastName: string | null; title: string | null; roles: StakeholderRole[] }[]>`
          select c.id as contact_id, c.first_name, c.last_name, c.title,
            coalesce(array(select s.role from public.stakeholders s where s.org_id = c.org_id and s.contact_id = c.id and s.deal_id = ${note.dealId} order by s.role), '{}') as roles
          from public.contacts c
          where c.org_id = ${note.orgId} and c.erased_at is null
            and (c.account_id = ${accountId} or c.id = ${note.contactId})
          order by c.created_at, c.id`
      : [];
    const [member] = await tx<{ displayName: string; timeZone: string }[]>`
      select display_name, time_zone from public.members where org_id = ${note.orgId} and id = ${note.ownerMemberId}`;
    return {
      deal: deal ? { id: deal.id, stage: deal.stage, amountMinor: deal.amountMinor === null ? null : Number(deal.amountMinor), currency: deal.currency, closeDate: deal.closeDate } : null,
      people,
      defaultCurrency: deal?.currency ?? 'USD',
      accountId,
      accountName: account?.name ?? null,
      repName: member?.displayName ?? null,
      timeZone: member?.timeZone ?? 'UTC',
    };
  },

  async policyJson(tx: Tx, orgId: string): Promise<unknown> {
    const [row] = await tx<{ policy: string }[]>`select call_notes_policy::text as policy from public.organisations where id = ${orgId}`;
    return row ? JSON.parse(row.policy) : {};
  },

  async saveExtraction(tx: Tx, input: { orgId: string; id: string; extractor: 'openai' | 'offline'; model: string | null; promptVersion: string; label: string; fallbackReason: string | null; extraction: Extraction; dropped: DroppedProposal[]; accountId: string | null }) {
    await tx`update public.call_notes set
        extractor = ${input.extractor}, model = ${input.model}, prompt_version = ${input.promptVersion}, extractor_label = ${input.label},
        fallback_reason = ${input.fallbackReason}, summary = ${input.extraction.summary?.text ?? null},
        extraction = ${JSON.stringify(input.extraction)}::text::jsonb, dropped = ${JSON.stringify(input.dropped)}::text::jsonb,
        dropped_count = ${input.dropped.length}, account_id = coalesce(account_id, ${input.accountId}), status = 'proposed', status_reason = null
      where org_id = ${input.orgId} and id = ${input.id}`;
  },

  async setStatus(tx: Tx, orgId: string, id: string, status: 'extracting' | 'proposed' | 'completed' | 'failed', reason: string | null) {
    await tx`update public.call_notes set status = ${status}, status_reason = ${reason} where org_id = ${orgId} and id = ${id}`;
  },

  async setActivity(tx: Tx, orgId: string, id: string, activityId: string) {
    await tx`update public.call_notes set activity_id = ${activityId} where org_id = ${orgId} and id = ${id} and activity_id is null`;
  },

  /** Writes the proposals once per position: a retried activity finds the rows it wrote. */
  async insertProposals(tx: Tx, orgId: string, callNoteId: string, proposals: Proposal[]) {
    for (const p of proposals) {
      const before = p.before === null || p.before === undefined ? null : JSON.stringify(p.before);
      await tx`insert into public.call_note_proposals
          (org_id, call_note_id, ordinal, kind, target_type, target_id, before, after, quote, confidence, policy, status)
        values (${orgId}, ${callNoteId}, ${p.ordinal}, ${p.kind}, ${p.target?.type ?? null}, ${p.target?.id ?? null},
          ${before}::text::jsonb, ${JSON.stringify(p.after)}::text::jsonb, ${p.quote}, ${p.confidence}, ${p.policy}, 'pending')
        on conflict (call_note_id, ordinal) do nothing`;
    }
  },

  async proposals(tx: Tx, orgId: string, callNoteId: string, ids?: string[]): Promise<ProposalRow[]> {
    const rows = await tx<Array<Omit<ProposalRow, 'before' | 'after'> & { beforeJson: string | null; afterJson: string }>>`
      select id, ordinal, kind, target_type, target_id, before::text as before_json, after::text as after_json, quote, confidence, policy, status, status_reason, result_ref
      from public.call_note_proposals
      where org_id = ${orgId} and call_note_id = ${callNoteId} ${ids ? tx`and id = any(${ids}::uuid[])` : tx``}
      order by ordinal for update`;
    return rows.map(proposalFromRow);
  },

  async finishProposal(tx: Tx, input: { orgId: string; id: string; status: 'applied' | 'rejected' | 'expired' | 'superseded'; reason: string | null; resultRef?: string | null; targetId?: string | null; decidedByMemberId?: string | null; decidedAt?: string | null }) {
    await tx`update public.call_note_proposals set status = ${input.status}, status_reason = ${input.reason},
        result_ref = coalesce(${input.resultRef ?? null}::uuid, result_ref), target_id = coalesce(${input.targetId ?? null}::uuid, target_id),
        decided_by_member_id = coalesce(${input.decidedByMemberId ?? null}::uuid, decided_by_member_id), decided_at = coalesce(${input.decidedAt ?? null}::timestamptz, decided_at)
      where org_id = ${input.orgId} and id = ${input.id} and status = 'pending'`;
  },

  async openApproval(tx: Tx, input: { orgId: string; proposalId: string; workflowId: string; requestedAt: string; dueAt: string }): Promise<string> {
    const [existing] = await tx<{ id: string }[]>`select id from public.approvals where org_id = ${input.orgId} and proposal_id = ${input.proposalId} order by requested_at limit 1`;
    if (existing) return existing.id;
    const [row] = await tx<{ id: string }[]>`insert into public.approvals ${tx({ ...input, messageId: null })} returning id`;
    return row!.id;
  },

  async closeApproval(tx: Tx, input: { orgId: string; approvalId: string; status: 'approved' | 'rejected' | 'expired' | 'cancelled'; decidedByMemberId: string | null; decidedAt: string; decision: 'approve' | 'reject' | null }) {
    await tx`update public.approvals set status = ${input.status}, decided_by_member_id = ${input.decidedByMemberId}, decided_at = ${input.decidedAt}, decision = ${input.decision}
      where org_id = ${input.orgId} and id = ${input.approvalId} and status = 'pending'`;
  },
};

export interface ResolvedLinks {
  dealId: string | null;
  accountId: string | null;
  contactId: string | null;
  /** The rep the follow-through belongs to: asked for, else a member on the call, else the deal's or account's owner. */
  ownerMemberId: string | null;
  /** Participants as stored: known contacts and members by id. */
  participants: Array<Record<string, string>>;
  /** What was given but not found in the organisation (the caller answers 404 / parks the delivery). */
  missing: string[];
}

/**
 * Finds what a call note is about. Given ids must exist in the organisation; without ids, the first participant
 * whose address is a contact's decides, and that account's one open deal (several: none, the rep picks).
 */
export async function resolveCallNoteLinks(
  tx: Tx,
  orgId: string,
  input: { dealId: string | null; accountId: string | null; contactId: string | null; participants: Array<{ email: string | null; name: string | null }>; ownerMemberId: string | null },
): Promise<ResolvedLinks> {
  const missing: string[] = [];
  let { dealId, accountId, contactId } = input;
  let dealOwner: string | null = null;
  if (dealId) {
    const [deal] = await tx<{ accountId: string; ownerMemberId: string }[]>`select account_id, owner_member_id from public.deals where org_id = ${orgId} and id = ${dealId}`;
    if (!deal) missing.push(`deal ${dealId}`);
    else {
      accountId ??= deal.accountId;
      dealOwner = deal.ownerMemberId;
    }
  }
  if (input.accountId) {
    const [account] = await tx<{ id: string }[]>`select id from public.accounts where org_id = ${orgId} and id = ${input.accountId}`;
    if (!account) missing.push(`account ${input.accountId}`);
  }
  if (contactId) {
    const [contact] = await tx<{ accountId: string | null }[]>`select account_id from public.contacts where org_id = ${orgId} and id = ${contactId} and erased_at is null`;
    if (!contact) missing.push(`contact ${contactId}`);
    else accountId ??= contact.accountId;
  }
  const participants: Array<Record<string, string>> = [];
  let memberOnCall: string | null = null;
  for (const p of input.participants) {
    const stored: Record<string, string> = {};
    if (p.name) stored.name = p.name;
    if (p.email) {
      stored.email = p.email;
      const [member] = await tx<{ id: string }[]>`select id from public.members where org_id = ${orgId} and email = ${p.email} and status = 'active'`;
      const [contact] = member ? [] : await tx<{ id: string; accountId: string | null }[]>`
        select id, account_id from public.contacts where org_id = ${orgId} and emails @> ${[p.email]}::text[] and erased_at is null order by created_at limit 1`;
      if (member) {
        stored.memberId = member.id;
        memberOnCall ??= member.id;
      }
      if (contact) {
        stored.contactId = contact.id;
        if (!dealId && !contactId) {
          contactId = contact.id;
          accountId ??= contact.accountId;
        }
      }
    }
    if (Object.keys(stored).length > 0) participants.push(stored);
  }
  if (!dealId && accountId) {
    const open = await tx<{ id: string; ownerMemberId: string }[]>`
      select id, owner_member_id from public.deals where org_id = ${orgId} and account_id = ${accountId} and stage not in ('closed_won', 'closed_lost') limit 2`;
    if (open.length === 1) {
      dealId = open[0]!.id;
      dealOwner = open[0]!.ownerMemberId;
    }
  }
  const ownerMemberId = input.ownerMemberId;
  if (ownerMemberId) {
    const [member] = await tx<{ id: string }[]>`select id from public.members where org_id = ${orgId} and id = ${ownerMemberId} and status = 'active'`;
    if (!member) missing.push(`member ${ownerMemberId}`);
  }
  if (!ownerMemberId && !memberOnCall && !dealOwner && accountId) {
    const [account] = await tx<{ ownerMemberId: string | null }[]>`select owner_member_id from public.accounts where org_id = ${orgId} and id = ${accountId}`;
    dealOwner = account?.ownerMemberId ?? null;
  }
  return { dealId, accountId, contactId, ownerMemberId: ownerMemberId ?? memberOnCall ?? dealOwner, participants, missing };
}

export type CallNoteIntakeResult =
  | { ok: true; id: string; workflowId: string; created: boolean; format: TranscriptFormat; links: ResolvedLinks }
  | { ok: false; problem: 'unreadable' | 'not_found' | 'unlinked' | 'no_rep'; message: string; field: string };

/**
 * Records a call note from the API or a recorder's hook: the text read in its format, the links resolved, the note
 * written once (a recorder's event id finds the first). What cannot be recorded says why, for the caller to answer
 * (HTTP problem, parked delivery).
 */
export async function recordCallNote(
  tx: Tx,
  input: {
    id: string;
    /** The process's business id, derived from the note's id by the caller (workflows/call-notes/messages.ts). */
    workflowId: string;
    orgId: string;
    source: 'api' | 'ui' | 'webhook';
    externalId: string | null;
    note: CallNoteIntake;
    occurredAt: string;
    ownerMemberId: string | null;
    createdByMemberId: string | null;
  },
): Promise<CallNoteIntakeResult> {
  let transcript;
  try {
    transcript = parseTranscript(input.note.text, input.note.format);
  } catch (err) {
    if (err instanceof ValidationError) return { ok: false, problem: 'unreadable', message: err.message, field: 'text' };
    throw err;
  }
  const links = await resolveCallNoteLinks(tx, input.orgId, { ...input.note, ownerMemberId: input.ownerMemberId });
  if (links.missing.length > 0) return { ok: false, problem: 'not_found', message: `not found in this organisation: ${links.missing.join(', ')}`, field: 'dealId' };
  if (!links.dealId && !links.accountId && !links.contactId) {
    return { ok: false, problem: 'unlinked', message: 'nothing to link the notes to: give a deal, an account or a contact, or participants whose addresses belong to a contact', field: 'dealId' };
  }
  if (!links.ownerMemberId) return { ok: false, problem: 'no_rep', message: 'no rep for the notes: name one (ownerMemberId), put a member among the participants, or give the deal an owner', field: 'ownerMemberId' };
  const note = await callNotesRepository.insert(tx, {
    id: input.id, orgId: input.orgId, source: input.source, externalId: input.externalId, format: transcript.format, title: input.note.title, occurredAt: input.occurredAt,
    rawText: input.note.text, transcriptText: transcript.text, speakers: transcript.speakers, participants: links.participants,
    dealId: links.dealId, accountId: links.accountId, contactId: links.contactId, ownerMemberId: links.ownerMemberId, createdByMemberId: input.createdByMemberId,
    workflowId: input.workflowId,
  });
  return { ok: true, id: note.id, workflowId: note.workflowId, created: note.created, format: transcript.format, links };
}
