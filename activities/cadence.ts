// Activities of the follow-up cadence. The workflow carries ids and instants; these load the rest from Postgres.
import { auditLogRepository } from '../adapters/db/audit-log-repository.ts';
import { cadenceRepository, type EnrolmentContext } from '../adapters/db/cadence-repository.ts';
import { outboundRepository } from '../adapters/db/outbound-repository.ts';
import { processRunsRepository } from '../adapters/db/process-runs-repository.ts';
import { suppressionsRepository } from '../adapters/db/suppressions-repository.ts';
import type { Tx } from '../adapters/db/client.ts';
import type { DraftedEmail } from '../adapters/ai/port.ts';
import { AiRefusedError, NotFoundError } from '../domain/errors.ts';
import { playbookDefinitionSchema, renderTemplate, type PlaybookDefinition, type TemplateVariable } from '../domain/playbooks.ts';
import { nextTouchAt } from '../domain/schedule.ts';
import { draftContext } from './drafting.ts';
import type { ActivityDeps } from './index.ts';

async function load(tx: Tx, orgId: string, enrolmentId: string): Promise<EnrolmentContext & { playbook: PlaybookDefinition }> {
  const context = await cadenceRepository.context(tx, orgId, enrolmentId);
  if (!context) throw new NotFoundError(`enrolment ${enrolmentId} not found`);
  return { ...context, playbook: playbookDefinitionSchema.parse(context.definition) };
}

async function hardBounce(tx: Tx, orgId: string, enrolmentId: string) {
  const context = await load(tx, orgId, enrolmentId);
  for (const address of context.contact.emails) await suppressionsRepository.suppress(tx, orgId, address, 'bounced', 'cadence');
  await outboundRepository.createTaskOnce(tx, { orgId, kind: 'fix_address', title: 'An email bounced: find a working address for this contact', dueAt: null, ownerMemberId: context.enrolment.ownerMemberId, sourceRef: `${context.enrolment.workflowId}:${enrolmentId}:bounce`, contactId: context.enrolment.contactId });
}

const taskKind = { call_task: 'call', linkedin_task: 'linkedin', custom_task: 'custom', manual_email: 'email', auto_email: 'email' } as const;

function variables(context: EnrolmentContext): Partial<Record<TemplateVariable, string | null>> {
  return {
    'contact.firstName': context.contact.firstName,
    'contact.lastName': context.contact.lastName,
    'contact.title': context.contact.title,
    'account.name': context.accountName,
    'sender.name': context.owner.displayName,
    'sender.firstName': context.owner.displayName.split(' ')[0] ?? null,
  };
}

export function createCadenceActivities(deps: Pick<ActivityDeps, 'db' | 'drafter'>) {
  const { db, drafter } = deps;
  return {
    /** What the workflow needs to run the steps: ids, kinds and codes only (ADR-0007). */
    async loadEnrolment(input: { orgId: string; enrolmentId: string }) {
      const context = await db.asService((tx) => load(tx, input.orgId, input.enrolmentId));
      return {
        contactId: context.enrolment.contactId,
        ownerMemberId: context.enrolment.ownerMemberId,
        playbookKey: context.playbookKey,
        steps: context.playbook.steps.map((s) => ({ key: s.key, kind: s.kind, taskExpiresAfterHours: s.taskExpiresAfterHours })),
      };
    },

    /** The step's next touch in the recipient's zone (fallback: the owner's), skipping their country's holidays. */
    async computeNextTouch(input: { orgId: string; enrolmentId: string; stepKey: string; afterMs: number; withoutDelay?: boolean }) {
      const context = await db.asService((tx) => load(tx, input.orgId, input.enrolmentId));
      const step = context.playbook.steps.find((s) => s.key === input.stepKey);
      if (!step) throw new NotFoundError(`step ${input.stepKey} not in the playbook`);
      const touch = nextTouchAt({
        afterMs: input.afterMs,
        // A touch pushed back (pause, soft bounce) only needs its slot in the window again, not the delay anew.
        delay: input.withoutDelay ? { amount: 0, unit: 'minutes' } : step.delay,
        window: context.playbook.sendWindow,
        timeZone: context.contact.timeZone ?? context.owner.timeZone,
        country: context.contact.country,
      });
      return { atMs: touch.atMs, shiftedBy: touch.shiftedBy };
    },

    async recordCadenceRun(input: { orgId: string; enrolmentId: string; status: string; step: string; waitingOn: string | null; nextActionAtMs: number | null; stepSeq: number }) {
      await db.asService(async (tx) => {
        const context = await load(tx, input.orgId, input.enrolmentId);
        const [{ runSeq }] = (await tx`select count(*)::int as run_seq from public.enrolments
          where org_id = ${input.orgId} and workflow_id = ${context.enrolment.workflowId} and started_at <= (select started_at from public.enrolments where id = ${input.enrolmentId})`) as unknown as [{ runSeq: number }];
        await processRunsRepository.record(tx, {
          orgId: input.orgId,
          workflowId: context.enrolment.workflowId,
          runId: input.enrolmentId,
          kind: 'follow-up',
          subjectType: 'contact',
          subjectId: context.enrolment.contactId,
          status: input.status,
          step: input.step,
          waitingOn: input.waitingOn,
          nextActionAt: input.nextActionAtMs === null ? null : new Date(input.nextActionAtMs).toISOString(),
          runSeq,
          stepSeq: input.stepSeq,
        });
      });
    },

    /**
     * Renders the step's template into a draft; a missing variable holds the step for review (never a raw
     * placeholder). Steps marked for AI personalisation go through the drafter port (OpenAI, or the offline drafter
     * that says it is not AI); an AI draft always goes to a person (domain/approval.ts). The model is called outside
     * any transaction; the draft row, keyed by the business key, makes a retried activity keep one draft.
     */
    async draftCadenceEmail(input: { orgId: string; enrolmentId: string; stepKey: string }): Promise<{ ok: true; messageId: string; businessKey: string } | { ok: false; missing: string[] }> {
      const prepared = await db.asService(async (tx) => {
        const context = await load(tx, input.orgId, input.enrolmentId);
        const step = context.playbook.steps.find((s) => s.key === input.stepKey);
        if (!step) throw new NotFoundError(`step ${input.stepKey} not in the playbook`);
        const businessKey = `follow-up:${input.enrolmentId}:${step.key}:${context.enrolment.contactId}`;
        const existing = await cadenceRepository.draftByBusinessKey(tx, input.orgId, businessKey);
        if (existing) return { kind: 'exists' as const, messageId: existing, businessKey };
        const values = variables(context);
        const subject = renderTemplate(step.subject ?? '', values);
        const body = renderTemplate(step.body, values);
        const to = context.contact.emails[0];
        if (!subject.ok || !body.ok || !to) {
          const missing = [...new Set([...(subject.ok ? [] : subject.missing), ...(body.ok ? [] : body.missing), ...(to ? [] : ['contact.email'])])];
          await outboundRepository.createTaskOnce(tx, { orgId: input.orgId, kind: 'review', title: `Complete the contact before step "${step.key}": ${missing.join(', ')} missing`, dueAt: null, ownerMemberId: context.enrolment.ownerMemberId, sourceRef: `${context.enrolment.workflowId}:${input.enrolmentId}:${step.key}:review`, contactId: context.enrolment.contactId });
          return { kind: 'missing' as const, missing };
        }
        const aiContext = step.aiPersonalise
          ? await draftContext(tx, { orgId: input.orgId, contactId: context.enrolment.contactId, senderName: context.owner.displayName })
          : null;
        return { kind: 'render' as const, context, step, businessKey, to, template: { subject: subject.text, body: body.text }, aiContext };
      });
      if (prepared.kind === 'exists') return { ok: true, messageId: prepared.messageId, businessKey: prepared.businessKey };
      if (prepared.kind === 'missing') return { ok: false, missing: prepared.missing };

      const { context, step, businessKey, template, aiContext } = prepared;
      let drafted: DraftedEmail = { ...template, origin: 'template', model: null, label: 'the playbook template as written' };
      if (aiContext) {
        try {
          drafted = await drafter.personalise({ orgId: input.orgId, idempotencyKey: businessKey, template, context: aiContext });
        } catch (err) {
          // The model refused or wrote something unusable: the template a person wrote is still a good email.
          if (!(err instanceof Error) || err.name !== AiRefusedError.name) throw err;
          drafted = { ...template, origin: 'template', model: null, label: `the playbook template as written (the AI draft was refused: ${err.message.slice(0, 200)})` };
        }
      }
      return db.asService(async (tx) => {
        const messageId = await cadenceRepository.insertDraft(tx, {
          orgId: input.orgId,
          mailboxId: context.enrolment.mailboxId,
          contactId: context.enrolment.contactId,
          toAddress: prepared.to,
          subject: drafted.subject,
          bodyText: drafted.body,
          origin: drafted.origin,
          draftedBy: drafted.label,
          // Send assist: the approved email goes into the owner's Gmail drafts instead of out through the provider.
          delivery: context.playbook.sendAssist ? 'gmail_draft' : 'send',
          processWorkflowId: context.enrolment.workflowId,
          stepKey: step.key,
          businessKey,
        });
        // Later steps thread under the first email, with the Message-ID the provider reported having used.
        const [first] = await tx<{ rfcMessageId: string | null }[]>`
          select rfc_message_id from public.send_ledger where org_id = ${input.orgId} and business_key like ${`follow-up:${input.enrolmentId}:%`}
            and rfc_message_id is not null order by accepted_at limit 1`;
        if (first?.rfcMessageId) await tx`update public.outbound_messages set thread_message_id = ${first.rfcMessageId} where id = ${messageId} and thread_message_id is null`;
        return { ok: true as const, messageId, businessKey };
      });
    },

    async createCadenceTask(input: { orgId: string; enrolmentId: string; stepKey: string }) {
      await db.asService(async (tx) => {
        const context = await load(tx, input.orgId, input.enrolmentId);
        const step = context.playbook.steps.find((s) => s.key === input.stepKey)!;
        const sourceRef = `${context.enrolment.workflowId}:${step.key}:${input.enrolmentId}`;
        const [existing] = await tx`select 1 from public.tasks where org_id = ${input.orgId} and source_ref = ${sourceRef}`;
        if (existing) return;
        const title = renderTemplate(step.body, variables(context));
        await outboundRepository.createTask(tx, { orgId: input.orgId, kind: taskKind[step.kind], title: title.ok ? title.text.slice(0, 500) : `Step ${step.key}`, dueAt: new Date().toISOString(), ownerMemberId: context.enrolment.ownerMemberId, sourceRef, contactId: context.enrolment.contactId });
      });
    },

    /** A hard bounce: the address is suppressed and the owner gets a task to find a working one (once). */
    async recordHardBounce(input: { orgId: string; enrolmentId: string }) {
      await db.asService((tx) => hardBounce(tx, input.orgId, input.enrolmentId));
    },

    /**
     * Ends the enrolment and says which other cadences end with it: an unsubscribe or a complaint suppresses the
     * person's addresses and ends all their cadences; a reply ends colleagues' cadences at the same account when
     * the playbook says so. The workflow sends those stops (Temporal messages belong in workflow code).
     */
    async endEnrolment(input: { orgId: string; enrolmentId: string; outcome: 'completed' | 'stopped'; reason: string | null; hardBounce: boolean }) {
      return db.asService(async (tx) => {
        const context = await load(tx, input.orgId, input.enrolmentId);
        await cadenceRepository.endEnrolment(tx, input.orgId, input.enrolmentId, input.outcome, input.reason);
        if (input.hardBounce) await hardBounce(tx, input.orgId, input.enrolmentId);
        let alsoStop: Array<{ workflowId: string; reason: string }> = [];
        if (input.reason === 'unsubscribed' || input.reason === 'complaint') {
          for (const address of context.contact.emails) await suppressionsRepository.suppress(tx, input.orgId, address, input.reason === 'complaint' ? 'complained' : 'unsubscribed', 'cadence');
          alsoStop = (await cadenceRepository.otherActiveEnrolments(tx, input.orgId, input.enrolmentId, 'contact')).map((workflowId) => ({ workflowId, reason: input.reason! }));
        } else if (input.reason === 'replied' && context.playbook.stopColleaguesOnReply) {
          alsoStop = (await cadenceRepository.otherActiveEnrolments(tx, input.orgId, input.enrolmentId, 'account')).map((workflowId) => ({ workflowId, reason: 'colleague_replied' }));
        }
        await auditLogRepository.record(tx, { orgId: input.orgId, actorType: 'system', actorId: null, action: `enrolment.${input.outcome}`, subjectType: 'contact', subjectId: context.enrolment.contactId, before: null, after: { enrolmentId: input.enrolmentId, reason: input.reason, alsoStopping: alsoStop.length }, reason: input.reason });
        return { alsoStop };
      });
    },
  };
}
