// Activities of the outbound-email process. Thin: load through the repository, decide with domain/, write back.
// Time always comes from the workflow (nowMs), never from this machine's clock.
import type { DraftedEmail } from '../adapters/ai/port.ts';
import { auditLogRepository } from '../adapters/db/audit-log-repository.ts';
import { outboundRepository, type OutboundContext } from '../adapters/db/outbound-repository.ts';
import { suppressionsRepository } from '../adapters/db/suppressions-repository.ts';
import type { Tx } from '../adapters/db/client.ts';
import { log } from '@temporalio/activity';
import { approvalPolicySchema, approvalRequirement, defaultApprovalPolicy, editDiff, type ApprovalDecision, type ApprovalPolicy } from '../domain/approval.ts';
import { earliestSlot } from '../domain/capacity.ts';
import { breakerRules, breakerVerdict } from '../domain/deliverability.ts';
import { AiRefusedError, NotFoundError, StaleReservationError } from '../domain/errors.ts';
import { sendVerdict, type BlockReason } from '../domain/send-guard.ts';
import type { OutboundOutcome } from '../workflows/outbound-email/messages.ts';
import { draftContext } from './drafting.ts';
import { mailboxAccess } from './mailbox.ts';
import { mailboxConnectionsRepository } from '../adapters/db/mailbox-connections-repository.ts';
import type { ActivityDeps } from './index.ts';

/** A reservation older than this may have outlived the provider's idempotency window: a human decides. */
export const SEND_RETRY_WINDOW_MS = 20 * 3600 * 1000;
const DOMAIN_RECHECK_MS = 24 * 3600 * 1000;
/** A send this much later than its slot takes a new one (see sendEmail). */
export const LATE_SEND_MS = 60 * 1000;
const iso = (ms: number) => new Date(ms).toISOString();

export interface OutboundHooks {
  /** Test seam: runs after the provider accepted an email and before the ledger records it (crash injection). */
  afterProviderAccepted?: (businessKey: string) => void;
}

const recipientDomainOf = (context: OutboundContext) => (context.message.toAddress ?? '').split('@')[1] ?? '';

/** The earliest instant ≥ now at which this message fits every cap, ignoring its own slot. */
async function nextSlot(tx: Tx, context: OutboundContext, nowMs: number, ownKey: string | null): Promise<number> {
  const slots = await outboundRepository.slotsAround(tx, context.message.orgId, context.mailbox.id, iso(nowMs), ownKey);
  const orgSlots = await outboundRepository.orgSlotsAround(tx, context.message.orgId, iso(nowMs), ownKey);
  const domain = recipientDomainOf(context);
  return earliestSlot({
    nowMs,
    caps: { perDay: context.mailbox.dailyCap, perMinute: context.mailbox.perMinuteCap, perRecipientDomainPerDay: context.mailbox.perRecipientDomainDailyCap },
    mailboxSlotsMs: slots.map((s) => Date.parse(s.slotAt)),
    recipientDomainSlotsMs: slots.filter((s) => s.recipientDomain === domain).map((s) => Date.parse(s.slotAt)),
    // The organisation's caps (settings) hold across all its mailboxes.
    organisation: { perDay: context.organisation.dailySendCap, perMinute: context.organisation.perMinuteSendCap, slotsMs: orgSlots.map((s) => Date.parse(s)) },
  });
}

async function load(tx: Tx, orgId: string, messageId: string): Promise<OutboundContext> {
  const context = await outboundRepository.context(tx, orgId, messageId);
  if (!context) throw new NotFoundError(`outbound message ${messageId} not found`);
  return context;
}

/**
 * A provider's delivery outcome: the ledger moves forward (a late "delivered" never undoes a bounce), and a bounce
 * or complaint re-evaluates the mailbox breaker, which pauses the mailbox when its rate is too high. Used by the
 * activity and by the webhook dispatcher (worker/inbox-dispatcher.ts).
 */
export async function applyDeliveryOutcome(tx: Tx, input: { orgId: string; providerMessageId: string; state: 'delivered' | 'bounced' | 'complained' }) {
  const mailboxId = await outboundRepository.recordDelivery(tx, input.orgId, input.providerMessageId, input.state);
  if (!mailboxId || input.state === 'delivered') return { paused: false as const };
  const windowDays = Math.max(...breakerRules.map((r) => r.windowDays));
  const verdict = breakerVerdict(await outboundRepository.mailboxHealth(tx, input.orgId, mailboxId, windowDays));
  if (!verdict.trip) return { paused: false as const };
  await outboundRepository.pauseMailbox(tx, input.orgId, mailboxId, verdict.rule.reason);
  return { paused: true as const, reason: verdict.rule.reason };
}

const statusOf: Record<OutboundOutcome, string> = {
  sent: 'sent',
  rejected: 'rejected',
  expired: 'expired',
  skipped: 'skipped',
  blocked: 'blocked',
  replied: 'cancelled',
  cancelled: 'cancelled',
  'needs-attention': 'needs_attention',
};

export function createOutboundActivities(deps: Pick<ActivityDeps, 'db' | 'email' | 'links' | 'drafter' | 'gmail'> & { outboundHooks?: OutboundHooks }) {
  const { db, email, links, drafter } = deps;
  return {
    async prepareOutbound(input: { orgId: string; messageId: string; nowMs: number }) {
      const context = await db.asService((tx) => load(tx, input.orgId, input.messageId));
      const requirement = approvalRequirement({
        orgPolicy: context.organisation.defaultApprovalPolicy,
        origin: context.message.origin,
        usesBuyerContent: context.message.usesBuyerContent,
      });
      // The sending domain must be verified at the provider before this mailbox may send; re-checked daily. Send
      // assist does not use the provider: the rep sends the draft from Gmail.
      const stale = context.message.delivery === 'send' && (!context.mailbox.domainCheckedAt || input.nowMs - Date.parse(context.mailbox.domainCheckedAt) > DOMAIN_RECHECK_MS);
      const domainStatus = stale ? await email.domainStatus(context.mailbox.sendingDomain) : null;
      await db.asService(async (tx) => {
        await outboundRepository.setRequiresApproval(tx, input.orgId, input.messageId, requirement.required);
        if (domainStatus) {
          await outboundRepository.setDomainStatus(tx, input.orgId, context.mailbox.id, domainStatus === 'not_found' ? 'failed' : domainStatus, iso(input.nowMs));
        }
      });
      // The organisation's deadlines; a value that no longer validates falls back to the defaults (and says so).
      const parsed = approvalPolicySchema.safeParse(context.organisation.approvalSla);
      if (!parsed.success) log.warn('Invalid approval deadlines on the organisation; using the defaults', { orgId: input.orgId });
      const approvalPolicy: ApprovalPolicy = parsed.success ? parsed.data : defaultApprovalPolicy;
      return {
        requiresApproval: requirement.required,
        requirementReason: requirement.reason,
        mailboxOwnerMemberId: context.mailbox.memberId,
        contactId: context.message.contactId,
        approvalPolicy,
      };
    },

    async openApproval(input: { orgId: string; messageId: string; workflowId: string; requestedAtMs: number; dueAtMs: number }) {
      return db.asService(async (tx) => {
        const approvalId = await outboundRepository.openApproval(tx, {
          orgId: input.orgId,
          messageId: input.messageId,
          workflowId: input.workflowId,
          requestedAt: iso(input.requestedAtMs),
          dueAt: iso(input.dueAtMs),
        });
        await outboundRepository.setMessageStatus(tx, input.orgId, input.messageId, 'awaiting_approval', null, iso(input.dueAtMs));
        return { approvalId };
      });
    },

    async remindApprover(input: { orgId: string; approvalId: string; nowMs: number }) {
      await db.asService(async (tx) => {
        const approval = await outboundRepository.approval(tx, input.orgId, input.approvalId);
        if (!approval || approval.remindedAt || approval.status !== 'pending') return;
        const context = await load(tx, input.orgId, approval.messageId);
        await outboundRepository.createTask(tx, {
          orgId: input.orgId,
          kind: 'review',
          title: 'Approve or reject a draft email before its deadline',
          dueAt: approval.dueAt,
          ownerMemberId: context.mailbox.memberId,
          sourceRef: `approval:${approval.id}`,
          contactId: context.message.contactId,
        });
        await outboundRepository.markReminded(tx, input.orgId, input.approvalId, iso(input.nowMs));
      });
    },

    async escalateApproval(input: { orgId: string; approvalId: string; dueAtMs: number }) {
      await db.asService(async (tx) => {
        const approval = await outboundRepository.approval(tx, input.orgId, input.approvalId);
        if (!approval || approval.escalated || approval.status !== 'pending') return;
        const context = await load(tx, input.orgId, approval.messageId);
        const [manager] = await outboundRepository.managers(tx, input.orgId);
        await outboundRepository.escalate(tx, input.orgId, input.approvalId, iso(input.dueAtMs));
        if (manager) {
          await outboundRepository.createTask(tx, {
            orgId: input.orgId,
            kind: 'review',
            title: 'Escalated: a draft email missed its approval deadline',
            dueAt: iso(input.dueAtMs),
            ownerMemberId: manager,
            sourceRef: `approval:${approval.id}`,
            contactId: context.message.contactId,
          });
        }
        await outboundRepository.setMessageStatus(tx, input.orgId, approval.messageId, 'awaiting_approval', 'escalated', iso(input.dueAtMs));
      });
    },

    /** Records the decision (and the diff of an edit) in the audit log, and applies edits to the draft. */
    async closeApproval(input: { orgId: string; approvalId: string; messageId: string; status: 'approved' | 'rejected' | 'expired' | 'skipped' | 'cancelled'; decision: ApprovalDecision | null; nowMs: number }) {
      await db.asService(async (tx) => {
        const context = await load(tx, input.orgId, input.messageId);
        const decision = input.decision;
        let after: unknown = { status: input.status };
        if (decision?.decision === 'approve_with_edits') {
          const revision = await outboundRepository.revision(tx, input.orgId, input.messageId, decision.revisionId);
          if (revision?.kind !== 'edit' || revision.subject === null || revision.bodyText === null) {
            throw new NotFoundError(`edit ${decision.revisionId} not found for message ${input.messageId}`);
          }
          const diff = editDiff(
            { subject: context.message.subject ?? '', bodyText: context.message.bodyText ?? '' },
            { subject: revision.subject, bodyText: revision.bodyText },
          );
          await outboundRepository.updateDraft(tx, input.orgId, input.messageId, revision.subject, revision.bodyText);
          after = { status: input.status, revisionId: decision.revisionId, edits: diff };
        }
        await outboundRepository.closeApproval(tx, {
          orgId: input.orgId,
          approvalId: input.approvalId,
          status: input.status,
          decision: decision?.decision ?? null,
          decidedByMemberId: decision?.decidedBy.memberId ?? null,
          decidedAt: iso(input.nowMs),
        });
        await auditLogRepository.record(tx, {
          orgId: input.orgId,
          actorType: decision ? 'member' : 'system',
          actorId: decision?.decidedBy.memberId ?? null,
          action: `approval.${decision?.decision ?? input.status}`,
          subjectType: 'outbound_message',
          subjectId: input.messageId,
          before: { status: 'pending' },
          after,
          reason: decision ? null : 'approval deadline passed',
        });
        if (input.status === 'approved') await outboundRepository.setMessageStatus(tx, input.orgId, input.messageId, 'approved', null);
      });
    },

    /**
     * Regeneration with instructions: the drafter rewrites the draft as the person asked, and the new text goes to
     * approval again (an AI draft always does). The offline drafter cannot rewrite: the draft is kept and the
     * audit log says why. Applied once per request: a retried activity finds it already applied.
     */
    async regenerateDraft(input: { orgId: string; messageId: string; revisionId: string; decidedBy: { memberId: string } }) {
      const prepared = await db.asService(async (tx) => {
        const revision = await outboundRepository.revision(tx, input.orgId, input.messageId, input.revisionId);
        if (revision?.kind !== 'regenerate' || revision.instructions === null) throw new NotFoundError(`regeneration request ${input.revisionId} not found`);
        const [applied] = await tx`select 1 from public.audit_log where org_id = ${input.orgId} and action = 'approval.regenerate' and subject_id = ${input.messageId} and after->>'revisionId' = ${input.revisionId}`;
        if (applied) return null;
        const context = await load(tx, input.orgId, input.messageId);
        return {
          instructions: revision.instructions,
          current: { subject: context.message.subject ?? '', body: context.message.bodyText ?? '' },
          businessKey: context.message.businessKey,
          aiContext: await draftContext(tx, { orgId: input.orgId, contactId: context.message.contactId, senderName: context.mailbox.fromName }),
        };
      });
      if (!prepared) return;
      let rewritten: DraftedEmail | null = null;
      let refused: string | null = null;
      try {
        rewritten = await drafter.regenerate({ orgId: input.orgId, idempotencyKey: `${prepared.businessKey}:${input.revisionId}`, current: prepared.current, instructions: prepared.instructions, context: prepared.aiContext });
      } catch (err) {
        if (!(err instanceof Error) || err.name !== AiRefusedError.name) throw err;
        refused = err.message.slice(0, 200);
      }
      await db.asService(async (tx) => {
        const reason = rewritten ? `rewritten: ${rewritten.label}` : refused ? `the AI refused (${refused}): draft kept` : `${drafter.kind} drafter cannot rewrite: draft kept, instructions recorded`;
        await auditLogRepository.record(tx, {
          orgId: input.orgId,
          actorType: 'member',
          actorId: input.decidedBy.memberId,
          action: 'approval.regenerate',
          subjectType: 'outbound_message',
          subjectId: input.messageId,
          before: rewritten ? prepared.current : null,
          after: { revisionId: input.revisionId, instructions: prepared.instructions, rewritten: rewritten !== null },
          reason,
        });
        if (rewritten) {
          await outboundRepository.updateDraft(tx, input.orgId, input.messageId, rewritten.subject, rewritten.body);
          await tx`update public.outbound_messages set origin = ${rewritten.origin}, drafted_by = ${rewritten.label} where org_id = ${input.orgId} and id = ${input.messageId}`;
        }
        await outboundRepository.setMessageStatus(tx, input.orgId, input.messageId, 'draft', reason);
      });
    },

    /** Takes the earliest slot that fits every cap of the mailbox (rolling 24 h, per minute, per recipient domain). */
    async reserveSendSlot(input: { orgId: string; messageId: string; nowMs: number }) {
      return db.asService(async (tx) => {
        const context = await load(tx, input.orgId, input.messageId);
        const existing = await outboundRepository.slotFor(tx, input.orgId, context.message.businessKey);
        if (existing) return { slotAtMs: Date.parse(existing) };
        await outboundRepository.lockOrganisation(tx, input.orgId);
        await outboundRepository.lockMailbox(tx, input.orgId, context.mailbox.id);
        const slotAtMs = await nextSlot(tx, context, input.nowMs, null);
        await outboundRepository.insertSlot(tx, { orgId: input.orgId, mailboxId: context.mailbox.id, recipientDomain: recipientDomainOf(context), businessKey: context.message.businessKey, slotAt: iso(slotAtMs) });
        if (slotAtMs > input.nowMs) await outboundRepository.setMessageStatus(tx, input.orgId, input.messageId, 'waiting_for_capacity', 'mailbox at its sending cap', iso(slotAtMs));
        return { slotAtMs };
      });
    },

    /**
     * The send, exactly once per business key: ledger row first; every guard re-checked right before the provider
     * is called; the provider dedupes on the same key if this attempt is a retry; the ledger records acceptance.
     */
    async sendEmail(input: { orgId: string; messageId: string; nowMs: number }): Promise<{ outcome: 'sent' | 'blocked' | 'wait'; reasons: BlockReason[]; providerMessageId: string | null; untilMs?: number }> {
      const prepared = await db.asService(async (tx) => {
        const context = await load(tx, input.orgId, input.messageId);
        const key = context.message.businessKey;
        const ledger = await outboundRepository.ledger(tx, input.orgId, key);
        if (ledger && ledger.state !== 'reserved' && ledger.state !== 'stale') return { kind: 'done', providerMessageId: ledger.providerMessageId } as const;
        if (ledger && (ledger.state === 'stale' || input.nowMs - Date.parse(ledger.reservedAt) > SEND_RETRY_WINDOW_MS)) {
          await outboundRepository.markStale(tx, input.orgId, key);
          await outboundRepository.setMessageStatus(tx, input.orgId, input.messageId, 'needs_attention', 'an earlier send attempt was never confirmed; check the provider before sending again');
          await outboundRepository.createTask(tx, {
            orgId: input.orgId,
            kind: 'review',
            title: 'Check whether an email went out: its send was never confirmed',
            dueAt: null,
            ownerMemberId: context.mailbox.memberId,
            sourceRef: `send:${key}`,
            contactId: context.message.contactId,
          });
          return { kind: 'stale', key } as const;
        }
        const address = context.message.toAddress;
        const suppressed = address ? await suppressionsRepository.isSuppressed(tx, input.orgId, address) : false;
        const approvalStatus = context.message.requiresApproval ? ((await outboundRepository.latestApprovalStatus(tx, input.orgId, input.messageId)) ?? 'none') : 'none';
        const assist = context.message.delivery === 'gmail_draft';
        const connection = assist ? await mailboxConnectionsRepository.connectedForMember(tx, input.orgId, context.mailbox.memberId) : undefined;
        const verdict = sendVerdict({
          suppressed,
          doNotContact: context.contact.doNotContact || !address,
          erased: context.contact.erasedAt !== null,
          lawfulBasis: context.contact.lawfulBasis,
          orgPaused: context.organisation.pauseAllSending,
          mailboxPaused: context.mailbox.paused,
          domainVerified: assist || context.mailbox.domainStatus === 'verified',
          mailboxConnected: !assist || connection !== undefined,
          approvalRequired: context.message.requiresApproval,
          approvalStatus: approvalStatus as 'approved' | 'pending' | 'rejected' | 'expired' | 'none',
          repliedSinceDraft: await outboundRepository.repliedSince(tx, input.orgId, context.message.contactId, context.message.createdAt),
        });
        if (!verdict.send) {
          await outboundRepository.setMessageStatus(tx, input.orgId, input.messageId, 'blocked', verdict.reasons.join(','));
          return { kind: 'blocked', reasons: verdict.reasons } as const;
        }
        // Caps are kept on reserved slots, and a send goes out at its slot. One that runs well after it (a worker
        // was down for a while) gives its old slot up and takes the next that fits now, waiting again if need be.
        const slotAt = await outboundRepository.slotFor(tx, input.orgId, key);
        if (!slotAt || input.nowMs - Date.parse(slotAt) > LATE_SEND_MS) {
          await outboundRepository.lockOrganisation(tx, input.orgId);
          await outboundRepository.lockMailbox(tx, input.orgId, context.mailbox.id);
          const fitsAtMs = await nextSlot(tx, context, input.nowMs, key);
          if (slotAt) await outboundRepository.moveSlot(tx, input.orgId, key, iso(fitsAtMs));
          else await outboundRepository.insertSlot(tx, { orgId: input.orgId, mailboxId: context.mailbox.id, recipientDomain: recipientDomainOf(context), businessKey: key, slotAt: iso(fitsAtMs) });
          if (fitsAtMs > input.nowMs) {
            await outboundRepository.setMessageStatus(tx, input.orgId, input.messageId, 'waiting_for_capacity', 'mailbox at its sending cap', iso(fitsAtMs));
            return { kind: 'wait', untilMs: fitsAtMs } as const;
          }
        }
        await outboundRepository.reserve(tx, { orgId: input.orgId, businessKey: key, messageId: input.messageId, mailboxId: context.mailbox.id, provider: assist ? 'gmail_draft' : email.provider, reservedAt: ledger?.reservedAt ?? iso(input.nowMs) });
        await outboundRepository.setMessageStatus(tx, input.orgId, input.messageId, 'sending', null);
        return { kind: 'send', context, connectionId: connection?.id ?? null } as const;
      });
      if (prepared.kind === 'done') return { outcome: 'sent', reasons: [], providerMessageId: prepared.providerMessageId };
      if (prepared.kind === 'stale') throw new StaleReservationError(`send ${prepared.key} was reserved but never confirmed`);
      if (prepared.kind === 'blocked') return { outcome: 'blocked', reasons: [...prepared.reasons], providerMessageId: null };
      if (prepared.kind === 'wait') return { outcome: 'wait', reasons: [], providerMessageId: null, untilMs: prepared.untilMs };

      const { message, mailbox, organisation } = prepared.context;
      const unsubscribeUrl = links.unsubscribeUrl({ orgId: input.orgId, messageId: input.messageId });
      const footer = [`—`, organisation.postalAddress ?? organisation.name, `Unsubscribe: ${unsubscribeUrl}`].join('\n');
      const headers: Record<string, string> = {
        'List-Unsubscribe': `<${unsubscribeUrl}>`,
        'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      };
      if (message.threadMessageId) {
        headers['In-Reply-To'] = message.threadMessageId;
        headers.References = message.threadMessageId;
      }
      if (message.delivery === 'gmail_draft') {
        // Send assist: the approved email goes into the owner's Gmail drafts, in this process's Gmail thread.
        // Drafts have no idempotency key, so a retry first looks for the draft carrying this business key.
        const { withMailbox } = mailboxAccess(deps);
        const threadId = await db.asService(async (tx) => {
          const [row] = await tx<{ providerThreadId: string }[]>`
            select l.provider_thread_id from public.send_ledger l join public.outbound_messages m on m.org_id = l.org_id and m.id = l.message_id
            where l.org_id = ${input.orgId} and m.process_workflow_id = ${message.processWorkflowId} and l.provider_thread_id is not null order by l.accepted_at limit 1`;
          return row?.providerThreadId ?? null;
        });
        const draft = await withMailbox(input.orgId, prepared.connectionId!, async (client) =>
          (await client.findDraft(message.businessKey)) ??
          client.createDraft({ key: message.businessKey, threadId, from: `${mailbox.fromName} <${mailbox.fromAddress}>`, to: message.toAddress!, subject: message.subject ?? '', text: `${message.bodyText ?? ''}\n\n${footer}`, headers }),
        );
        deps.outboundHooks?.afterProviderAccepted?.(message.businessKey);
        await db.asService(async (tx) => {
          await outboundRepository.accept(tx, { orgId: input.orgId, businessKey: message.businessKey, providerMessageId: draft.draftId, rfcMessageId: null, providerThreadId: draft.threadId, acceptedAt: iso(input.nowMs) });
          await outboundRepository.setMessageStatus(tx, input.orgId, input.messageId, 'sent', "in the owner's Gmail drafts (send assist): they send it from Gmail");
        });
        return { outcome: 'sent', reasons: [], providerMessageId: draft.draftId };
      }
      const accepted = await email.send({
        orgId: input.orgId,
        idempotencyKey: message.businessKey,
        from: { name: mailbox.fromName, address: mailbox.fromAddress },
        to: message.toAddress!,
        replyTo: mailbox.replyTo,
        subject: message.subject ?? '',
        text: `${message.bodyText ?? ''}\n\n${footer}`,
        headers,
        tags: { org: input.orgId, process: message.processWorkflowId.split(':')[0] ?? 'process', step: message.stepKey },
      });
      deps.outboundHooks?.afterProviderAccepted?.(message.businessKey);
      await db.asService(async (tx) => {
        await outboundRepository.accept(tx, { orgId: input.orgId, businessKey: message.businessKey, providerMessageId: accepted.providerMessageId, rfcMessageId: accepted.rfcMessageId, acceptedAt: iso(input.nowMs) });
        await outboundRepository.setMessageStatus(tx, input.orgId, input.messageId, 'sent', null);
        await outboundRepository.logOutboundEmail(tx, { orgId: input.orgId, contactId: message.contactId, occurredAt: iso(input.nowMs), providerMessageId: accepted.providerMessageId, subject: message.subject ?? '' });
      });
      return { outcome: 'sent', reasons: [], providerMessageId: accepted.providerMessageId };
    },

    /** A delivery outcome from the provider: the ledger moves on, and the mailbox breaker is evaluated. */
    async recordDeliveryEvent(input: { orgId: string; providerMessageId: string; state: 'delivered' | 'bounced' | 'complained' }) {
      return db.asService((tx) => applyDeliveryOutcome(tx, input));
    },

    async markOutbound(input: { orgId: string; messageId: string; outcome: OutboundOutcome; reasons: string[] }) {
      await db.asService((tx) => outboundRepository.setMessageStatus(tx, input.orgId, input.messageId, statusOf[input.outcome], input.reasons.join(',') || null));
    },
  };
}
