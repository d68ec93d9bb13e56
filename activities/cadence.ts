// Activities of the follow-up cadence. The workflow carries ids and instants; these load the rest from Postgres.
import { auditLogRepository } from '../adapters/db/audit-log-repository.ts';
import { cadenceRepository, type EnrolmentContext } from '../adapters/db/cadence-repository.ts';
import { outboundRepository } from '../adapters/db/outbound-repository.ts';
import { processRunsRepository } from '../adapters/db/process-runs-repository.ts';
import { suppressionsRepository } from '../adapters/db/suppressions-repository.ts';
import type { Tx } from '../adapters/db/client.ts';
import { NotFoundError } from '../domain/errors.ts';
import { playbookDefinitionSchema, renderTemplate, type PlaybookDefinition, type TemplateVariable } from '../domain/playbooks.ts';
import { nextTouchAt } from '../domain/schedule.ts';
import type { ActivityDeps } from './index.ts';

async function load(tx: Tx, orgId: string, enrolmentId: string): Promise<EnrolmentContext & { playbook: PlaybookDefinition }> {
  const context = await cadenceRepository.context(tx, orgId, enrolmentId);
  if (!context) throw new NotFoundError(`enrolment ${enrolmentId} not found`);
  return { ...context, playbook: playbookDefinitionSchema.parse(context.definition) };
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

export function createCadenceActivities(deps: Pick<ActivityDeps, 'db'>) {
  const { db } = deps;
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
    async computeNextTouch(input: { orgId: string; enrolmentId: string; stepKey: string; afterMs: number }) {
      const context = await db.asService((tx) => load(tx, input.orgId, input.enrolmentId));
      const step = context.playbook.steps.find((s) => s.key === input.stepKey);
      if (!step) throw new NotFoundError(`step ${input.stepKey} not in the playbook`);
      const touch = nextTouchAt({
        afterMs: input.afterMs,
        delay: step.delay,
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

    /** Renders the step's template into a draft; a missing variable holds the step for review (never a raw placeholder). */
    async draftCadenceEmail(input: { orgId: string; enrolmentId: string; stepKey: string }): Promise<{ ok: true; messageId: string; businessKey: string } | { ok: false; missing: string[] }> {
      return db.asService(async (tx) => {
        const context = await load(tx, input.orgId, input.enrolmentId);
        const step = context.playbook.steps.find((s) => s.key === input.stepKey);
        if (!step) throw new NotFoundError(`step ${input.stepKey} not in the playbook`);
        const values = variables(context);
        const subject = renderTemplate(step.subject ?? '', values);
        const body = renderTemplate(step.body, values);
        const to = context.contact.emails[0];
        const missing = [...(subject.ok ? [] : subject.missing), ...(body.ok ? [] : body.missing), ...(to ? [] : ['contact.email'])];
        if (!subject.ok || !body.ok || !to) {
          await outboundRepository.createTask(tx, { orgId: input.orgId, kind: 'review', title: `Complete the contact before step "${step.key}": ${[...new Set(missing)].join(', ')} missing`, dueAt: null, ownerMemberId: context.enrolment.ownerMemberId, sourceRef: `${context.enrolment.workflowId}:${step.key}`, contactId: context.enrolment.contactId });
          return { ok: false as const, missing: [...new Set(missing)] };
        }
        // Later steps thread under the first email, with the Message-ID the provider reported having used.
        const [first] = await tx<{ rfcMessageId: string | null }[]>`
          select rfc_message_id from public.send_ledger where org_id = ${input.orgId} and business_key like ${`follow-up:${input.enrolmentId}:%`}
            and rfc_message_id is not null order by accepted_at limit 1`;
        const businessKey = `follow-up:${input.enrolmentId}:${step.key}:${context.enrolment.contactId}`;
        const messageId = await cadenceRepository.insertDraft(tx, {
          orgId: input.orgId,
          mailboxId: context.enrolment.mailboxId,
          contactId: context.enrolment.contactId,
          toAddress: to,
          subject: subject.text,
          bodyText: body.text,
          // The offline drafter renders templates only; AI personalisation needs the AI port (not built yet).
          origin: 'template',
          processWorkflowId: context.enrolment.workflowId,
          stepKey: step.key,
          businessKey,
        });
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

    /** Ends the enrolment; a hard bounce also suppresses the address and asks the owner to fix it. */
    async endEnrolment(input: { orgId: string; enrolmentId: string; outcome: 'completed' | 'stopped'; reason: string | null; hardBounce: boolean }) {
      await db.asService(async (tx) => {
        const context = await load(tx, input.orgId, input.enrolmentId);
        await cadenceRepository.endEnrolment(tx, input.orgId, input.enrolmentId, input.outcome, input.reason);
        if (input.hardBounce) {
          for (const address of context.contact.emails) await suppressionsRepository.suppress(tx, input.orgId, address, 'bounced', 'cadence');
          await outboundRepository.createTask(tx, { orgId: input.orgId, kind: 'fix_address', title: 'An email bounced: find a working address for this contact', dueAt: null, ownerMemberId: context.enrolment.ownerMemberId, sourceRef: `${context.enrolment.workflowId}:bounce`, contactId: context.enrolment.contactId });
        }
        await auditLogRepository.record(tx, { orgId: input.orgId, actorType: 'system', actorId: null, action: `enrolment.${input.outcome}`, subjectType: 'contact', subjectId: context.enrolment.contactId, before: null, after: { enrolmentId: input.enrolmentId, reason: input.reason }, reason: input.reason });
      });
    },
  };
}
