// SQL of the outbound pipeline: messages, approvals, the send ledger and capacity slots. No business rules here:
// the activities decide (with domain/), this only reads and writes.
import type { Tx } from './client.ts';

export interface OutboundContext {
  message: {
    id: string;
    orgId: string;
    mailboxId: string;
    contactId: string;
    toAddress: string | null;
    subject: string | null;
    bodyText: string | null;
    origin: 'template' | 'ai';
    usesBuyerContent: boolean;
    requiresApproval: boolean;
    processWorkflowId: string;
    stepKey: string;
    businessKey: string;
    threadMessageId: string | null;
    /** 'send' through the provider, or 'gmail_draft' (send assist). */
    delivery: 'send' | 'gmail_draft';
    status: string;
    createdAt: string;
  };
  mailbox: {
    id: string;
    memberId: string;
    fromAddress: string;
    fromName: string;
    replyTo: string | null;
    sendingDomain: string;
    domainStatus: 'unverified' | 'pending' | 'verified' | 'failed';
    domainCheckedAt: string | null;
    dailyCap: number;
    perMinuteCap: number;
    perRecipientDomainDailyCap: number;
    paused: boolean;
  };
  organisation: { defaultApprovalPolicy: 'require_approval' | 'auto_send_templates'; approvalSla: unknown; pauseAllSending: boolean; postalAddress: string | null; name: string; dailySendCap: number; perMinuteSendCap: number };
  contact: { emails: string[]; doNotContact: boolean; erasedAt: string | null; lawfulBasis: 'consent' | 'legitimate_interest' | 'contract' | 'none' };
}

export const outboundRepository = {
  async context(tx: Tx, orgId: string, messageId: string): Promise<OutboundContext | undefined> {
    const [message] = await tx<OutboundContext['message'][]>`
      select id, org_id, mailbox_id, contact_id, to_address, subject, body_text, origin, uses_buyer_content, requires_approval,
             process_workflow_id, step_key, business_key, thread_message_id, delivery, status, created_at
      from public.outbound_messages where org_id = ${orgId} and id = ${messageId}`;
    if (!message) return undefined;
    const [mailbox] = await tx<OutboundContext['mailbox'][]>`
      select id, member_id, from_address, from_name, reply_to, sending_domain, domain_status, domain_checked_at, daily_cap,
             per_minute_cap, per_recipient_domain_daily_cap, paused
      from public.mailboxes where org_id = ${orgId} and id = ${message.mailboxId}`;
    const [organisation] = await tx<OutboundContext['organisation'][]>`
      select default_approval_policy, approval_sla, pause_all_sending, postal_address, name, daily_send_cap, per_minute_send_cap from public.organisations where id = ${orgId}`;
    const [contact] = await tx<OutboundContext['contact'][]>`
      select emails, do_not_contact, erased_at, lawful_basis from public.contacts where org_id = ${orgId} and id = ${message.contactId}`;
    return { message, mailbox: mailbox!, organisation: organisation!, contact: contact! };
  },

  async setMessageStatus(tx: Tx, orgId: string, messageId: string, status: string, reason: string | null, nextActionAt: string | null = null) {
    await tx`update public.outbound_messages set status = ${status}, status_reason = ${reason}, next_action_at = ${nextActionAt}
             where org_id = ${orgId} and id = ${messageId}`;
  },

  async setRequiresApproval(tx: Tx, orgId: string, messageId: string, required: boolean) {
    await tx`update public.outbound_messages set requires_approval = ${required} where org_id = ${orgId} and id = ${messageId}`;
  },

  async setDomainStatus(tx: Tx, orgId: string, mailboxId: string, status: string, checkedAt: string) {
    await tx`update public.mailboxes set domain_status = ${status}, domain_checked_at = ${checkedAt} where org_id = ${orgId} and id = ${mailboxId}`;
  },

  async updateDraft(tx: Tx, orgId: string, messageId: string, subject: string, bodyText: string) {
    await tx`update public.outbound_messages set subject = ${subject}, body_text = ${bodyText}, version = version + 1
             where org_id = ${orgId} and id = ${messageId}`;
  },

  async addRevision(tx: Tx, r: { orgId: string; messageId: string; kind: 'edit' | 'regenerate'; subject?: string; bodyText?: string; instructions?: string; createdByMemberId: string }): Promise<string> {
    const [row] = await tx<{ id: string }[]>`insert into public.draft_revisions ${tx({ subject: null, bodyText: null, instructions: null, ...r })} returning id`;
    return row!.id;
  },

  async revision(tx: Tx, orgId: string, messageId: string, revisionId: string) {
    const [row] = await tx<{ kind: 'edit' | 'regenerate'; subject: string | null; bodyText: string | null; instructions: string | null }[]>`
      select kind, subject, body_text, instructions from public.draft_revisions
      where org_id = ${orgId} and message_id = ${messageId} and id = ${revisionId}`;
    return row;
  },

  /** The pending approval of a message, opening one if there is none (idempotent under retries). */
  async openApproval(tx: Tx, a: { orgId: string; messageId: string; workflowId: string; requestedAt: string; dueAt: string }): Promise<string> {
    const [existing] = await tx<{ id: string }[]>`
      select id from public.approvals where org_id = ${a.orgId} and message_id = ${a.messageId} and status = 'pending'`;
    if (existing) return existing.id;
    const [row] = await tx<{ id: string }[]>`insert into public.approvals ${tx({ ...a, status: 'pending' })} returning id`;
    return row!.id;
  },

  async approval(tx: Tx, orgId: string, approvalId: string) {
    const [row] = await tx<{ id: string; messageId: string; status: string; remindedAt: string | null; escalated: boolean; dueAt: string }[]>`
      select id, message_id, status, reminded_at, escalated, due_at from public.approvals where org_id = ${orgId} and id = ${approvalId}`;
    return row;
  },

  async latestApprovalStatus(tx: Tx, orgId: string, messageId: string): Promise<string | undefined> {
    const [row] = await tx<{ status: string }[]>`
      select status from public.approvals where org_id = ${orgId} and message_id = ${messageId} order by requested_at desc limit 1`;
    return row?.status;
  },

  async markReminded(tx: Tx, orgId: string, approvalId: string, at: string) {
    await tx`update public.approvals set reminded_at = ${at} where org_id = ${orgId} and id = ${approvalId} and reminded_at is null`;
  },

  async escalate(tx: Tx, orgId: string, approvalId: string, dueAt: string) {
    await tx`update public.approvals set escalated = true, due_at = ${dueAt} where org_id = ${orgId} and id = ${approvalId}`;
  },

  async closeApproval(tx: Tx, a: { orgId: string; approvalId: string; status: string; decision: string | null; decidedByMemberId: string | null; decidedAt: string }) {
    await tx`update public.approvals set status = ${a.status}, decision = ${a.decision}, decided_by_member_id = ${a.decidedByMemberId},
             decided_at = ${a.decidedAt} where org_id = ${a.orgId} and id = ${a.approvalId} and status = 'pending'`;
  },

  /** Members who may act on an escalation (managers and admins), for the task it creates. */
  async managers(tx: Tx, orgId: string): Promise<string[]> {
    return (await tx<{ id: string }[]>`select id from public.members where org_id = ${orgId} and status = 'active' and role in ('manager', 'admin') order by role desc, created_at`).map((m) => m.id);
  },

  async createTask(tx: Tx, t: { orgId: string; kind: string; title: string; dueAt: string | null; ownerMemberId: string; sourceRef: string; contactId: string | null }) {
    await tx`insert into public.tasks ${tx({ ...t, status: 'open', source: 'process' })}`;
  },

  /** The same task once per source: an activity retried, or a message delivered twice, does not add another. */
  async createTaskOnce(tx: Tx, t: { orgId: string; kind: string; title: string; dueAt: string | null; ownerMemberId: string; sourceRef: string; contactId: string | null }) {
    const [existing] = await tx`select 1 from public.tasks where org_id = ${t.orgId} and source_ref = ${t.sourceRef}`;
    if (!existing) await tx`insert into public.tasks ${tx({ ...t, status: 'open', source: 'process' })}`;
  },

  /** Locks the mailbox row: capacity is decided one send at a time per mailbox. */
  async lockMailbox(tx: Tx, orgId: string, mailboxId: string) {
    await tx`select 1 from public.mailboxes where org_id = ${orgId} and id = ${mailboxId} for update`;
  },

  async slotFor(tx: Tx, orgId: string, businessKey: string): Promise<string | undefined> {
    const [row] = await tx<{ slotAt: string }[]>`select slot_at from public.send_slots where org_id = ${orgId} and business_key = ${businessKey}`;
    return row?.slotAt;
  },

  /** Reserved slots that can still matter for a new one at or after `from` (within 24 h before it, or later). */
  async slotsAround(tx: Tx, orgId: string, mailboxId: string, from: string, exceptBusinessKey: string | null = null): Promise<Array<{ slotAt: string; recipientDomain: string }>> {
    return tx<Array<{ slotAt: string; recipientDomain: string }>>`
      select slot_at, recipient_domain from public.send_slots
      where org_id = ${orgId} and mailbox_id = ${mailboxId} and slot_at > ${from}::timestamptz - interval '24 hours'
        and business_key is distinct from ${exceptBusinessKey}
      order by slot_at`;
  },

  /** Every slot of the organisation around `from` (its own caps span all its mailboxes). */
  async orgSlotsAround(tx: Tx, orgId: string, from: string, exceptBusinessKey: string | null = null): Promise<string[]> {
    const rows = await tx<Array<{ slotAt: string }>>`
      select slot_at from public.send_slots where org_id = ${orgId} and slot_at > ${from}::timestamptz - interval '24 hours'
        and business_key is distinct from ${exceptBusinessKey}`;
    return rows.map((r) => r.slotAt);
  },

  /** Locks the organisation row: its own caps are decided one reservation at a time (taken before the mailbox lock). */
  async lockOrganisation(tx: Tx, orgId: string) {
    await tx`select 1 from public.organisations where id = ${orgId} for update`;
  },

  async moveSlot(tx: Tx, orgId: string, businessKey: string, slotAt: string) {
    await tx`update public.send_slots set slot_at = ${slotAt} where org_id = ${orgId} and business_key = ${businessKey}`;
  },

  async insertSlot(tx: Tx, s: { orgId: string; mailboxId: string; recipientDomain: string; businessKey: string; slotAt: string }) {
    await tx`insert into public.send_slots ${tx(s)}`;
  },

  async ledger(tx: Tx, orgId: string, businessKey: string) {
    const [row] = await tx<{ id: string; state: string; reservedAt: string; providerMessageId: string | null }[]>`
      select id, state, reserved_at, provider_message_id from public.send_ledger where org_id = ${orgId} and business_key = ${businessKey}`;
    return row;
  },

  async reserve(tx: Tx, r: { orgId: string; businessKey: string; messageId: string; mailboxId: string; provider: string; reservedAt: string }) {
    await tx`insert into public.send_ledger ${tx({ ...r, state: 'reserved' })} on conflict (org_id, business_key) do nothing`;
  },

  async markStale(tx: Tx, orgId: string, businessKey: string) {
    await tx`update public.send_ledger set state = 'stale', updated_at = now() where org_id = ${orgId} and business_key = ${businessKey} and state = 'reserved'`;
  },

  async accept(tx: Tx, a: { orgId: string; businessKey: string; providerMessageId: string; rfcMessageId: string | null; acceptedAt: string; providerThreadId?: string | null }) {
    await tx`update public.send_ledger set state = 'accepted', provider_message_id = ${a.providerMessageId}, rfc_message_id = ${a.rfcMessageId}, provider_thread_id = ${a.providerThreadId ?? null},
             accepted_at = ${a.acceptedAt}, updated_at = now()
             where org_id = ${a.orgId} and business_key = ${a.businessKey} and state = 'reserved'`;
  },

  /** Whether the contact wrote to us after `since` (an inbound email activity). */
  async repliedSince(tx: Tx, orgId: string, contactId: string, since: string): Promise<boolean> {
    const [row] = await tx`select 1 from public.activities where org_id = ${orgId} and contact_id = ${contactId}
                           and kind = 'email' and direction = 'inbound' and occurred_at > ${since} limit 1`;
    return Boolean(row);
  },

  /** A delivery event from the provider (webhooks, #7) moves the ledger on; returns the mailbox it concerns. */
  async recordDelivery(tx: Tx, orgId: string, providerMessageId: string, state: 'delivered' | 'bounced' | 'complained'): Promise<string | undefined> {
    const [row] = await tx<{ mailboxId: string }[]>`
      update public.send_ledger set state = ${state}, updated_at = now()
      where org_id = ${orgId} and provider_message_id = ${providerMessageId} and state in ('accepted', 'delivered')
      returning mailbox_id`;
    return row?.mailboxId;
  },

  async mailboxHealth(tx: Tx, orgId: string, mailboxId: string, windowDays: number) {
    const [row] = await tx<{ sent: number; bounced: number; complained: number }[]>`
      select count(*)::int as sent,
             count(*) filter (where state = 'bounced')::int as bounced,
             count(*) filter (where state = 'complained')::int as complained
      from public.send_ledger
      where org_id = ${orgId} and mailbox_id = ${mailboxId} and accepted_at > now() - make_interval(days => ${windowDays})`;
    return row!;
  },

  async pauseMailbox(tx: Tx, orgId: string, mailboxId: string, reason: string) {
    await tx`update public.mailboxes set paused = true, paused_reason = ${reason} where org_id = ${orgId} and id = ${mailboxId} and not paused`;
  },

  async logOutboundEmail(tx: Tx, a: { orgId: string; contactId: string; occurredAt: string; providerMessageId: string; subject: string }) {
    await tx`insert into public.activities ${tx({ orgId: a.orgId, kind: 'email', direction: 'outbound', occurredAt: a.occurredAt, contactId: a.contactId, subject: a.subject, providerMessageId: a.providerMessageId })}`;
  },
};
