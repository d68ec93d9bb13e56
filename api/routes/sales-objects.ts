// The canonical sales objects over HTTP: one crudRoutes call each, plus the events each change means.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { z } from 'zod';
import {
  accountCreateSchema,
  accountSchema,
  activityCreateSchema,
  activitySchema,
  contactCreateSchema,
  contactSchema,
  dealCreateSchema,
  dealSchema,
  dealStageSchema,
  stakeholderCreateSchema,
  stakeholderSchema,
  taskCreateSchema,
  taskSchema,
  taskStatusSchema,
} from '../../domain/objects.ts';
import { cadenceRepository } from '../../adapters/db/cadence-repository.ts';
import { addressChangedSignal } from '../../workflows/follow-up-cadence/messages.ts';
import { meetingChangedSignal, meetingPrepWorkflowId } from '../../workflows/meeting-prep/messages.ts';
import { crudRoutes, patchOf } from './crud.ts';

const uuid = z.uuid();
const stamp = ['created_at'];

export async function salesObjectRoutes(app: FastifyInstance, options: { temporal: Client | null; taskQueue: string }) {
  // A scheduled meeting gets a prep brief; a changed one moves it, a cancelled or deleted one removes it. The
  // meeting is saved either way: when Temporal cannot be reached the brief is missed, and the log says so.
  const tellMeetingPrep = async (request: FastifyRequest, row: Record<string, unknown>, startIfMissing: boolean) => {
    if (row.kind !== 'meeting' || !options.temporal) return;
    const orgId = String(row.orgId);
    const workflowId = meetingPrepWorkflowId(orgId, String(row.id));
    try {
      if (startIfMissing && row.meetingStatus === 'scheduled') {
        await options.temporal.workflow.signalWithStart('meetingPrepWorkflow', { workflowId, taskQueue: options.taskQueue, args: [{ orgId, activityId: String(row.id) }], signal: meetingChangedSignal, signalArgs: [] });
      } else {
        await options.temporal.workflow.getHandle(workflowId).signal(meetingChangedSignal);
      }
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) request.log.warn({ err, workflowId }, 'could not tell the meeting-prep process about the meeting');
    }
  };

  crudRoutes(app, {
    resource: 'accounts',
    path: '/v1/accounts',
    tag: 'Accounts',
    subjectType: 'account',
    rowSchema: accountSchema,
    createSchema: accountCreateSchema,
    columns: ['id', 'org_id', 'name', 'domain', 'industry', 'size_band', 'owner_member_id', ...stamp, 'updated_at'],
    filters: { ownerMemberId: { column: 'owner_member_id', schema: uuid }, domain: { column: 'domain', schema: z.string().max(253) } },
    deletable: true,
    created: () => ({ kind: 'account.created', data: {} }),
  });

  crudRoutes(app, {
    resource: 'contacts',
    path: '/v1/contacts',
    tag: 'Contacts',
    subjectType: 'contact',
    rowSchema: contactSchema,
    createSchema: contactCreateSchema,
    columns: ['id', 'org_id', 'account_id', 'first_name', 'last_name', 'title', 'emails', 'phone_e164', 'time_zone', 'country', 'lawful_basis', 'lawful_basis_source', 'do_not_contact', 'erased_at', ...stamp, 'updated_at'],
    filters: { accountId: { column: 'account_id', schema: uuid } },
    deletable: true,
    created: (row) => ({ kind: 'contact.created', data: { accountId: row.accountId } }),
    updated: (_before, _after, changed) => [{ kind: 'contact.updated', data: { fields: changed } }],
    // A cadence waiting for a working address after a hard bounce resumes once the rep has fixed it.
    afterUpdate: async (request, after, changed) => {
      if (!changed.includes('emails') || !options.temporal) return;
      const running = await app.db.asService((tx) => cadenceRepository.activeWorkflowIds(tx, after.orgId as string, after.id as string));
      for (const workflowId of running) {
        await options.temporal.workflow.getHandle(workflowId).signal(addressChangedSignal).catch((err: unknown) => request.log.warn({ err, workflowId }, 'could not tell the cadence about the new address'));
      }
    },
  });

  crudRoutes(app, {
    resource: 'deals',
    path: '/v1/deals',
    tag: 'Deals',
    subjectType: 'deal',
    rowSchema: dealSchema,
    createSchema: dealCreateSchema,
    columns: ['id', 'org_id', 'account_id', 'name', 'stage', 'amount_minor', 'currency', 'close_date', 'owner_member_id', 'next_step', 'next_step_due_at', ...stamp, 'updated_at'],
    filters: { accountId: { column: 'account_id', schema: uuid }, ownerMemberId: { column: 'owner_member_id', schema: uuid }, stage: { column: 'stage', schema: dealStageSchema } },
    deletable: true,
    created: (row) => ({ kind: 'deal.created', data: { accountId: row.accountId, stage: row.stage } }),
    updated: (before, after, changed) => (changed.includes('stage') ? [{ kind: 'deal.stage_changed', data: { from: before.stage, to: after.stage } }] : []),
  });

  crudRoutes(app, {
    resource: 'stakeholders',
    path: '/v1/stakeholders',
    tag: 'Stakeholders',
    subjectType: 'stakeholder',
    rowSchema: stakeholderSchema,
    createSchema: stakeholderCreateSchema,
    // Who plays the part is fixed; a different contact or deal is a different stakeholder.
    patchSchema: patchOf(stakeholderCreateSchema).pick({ role: true, influence: true, sentiment: true }),
    columns: ['id', 'org_id', 'deal_id', 'contact_id', 'role', 'influence', 'sentiment'],
    filters: { dealId: { column: 'deal_id', schema: uuid }, contactId: { column: 'contact_id', schema: uuid } },
    orderColumn: null,
    deletable: true,
    created: (row) => ({ kind: 'stakeholder.added', data: { dealId: row.dealId, contactId: row.contactId, role: row.role } }),
  });

  crudRoutes(app, {
    resource: 'activities',
    path: '/v1/activities',
    tag: 'Activities',
    subjectType: 'activity',
    rowSchema: activitySchema,
    createSchema: activityCreateSchema,
    columns: ['id', 'org_id', 'kind', 'direction', 'occurred_at', 'subject', 'body', 'contact_id', 'account_id', 'deal_id', 'logged_by_member_id', 'participants', 'provider_message_id', 'provider_thread_id', 'meeting_start_at', 'meeting_end_at', 'meeting_status', ...stamp],
    filters: { contactId: { column: 'contact_id', schema: uuid }, dealId: { column: 'deal_id', schema: uuid }, accountId: { column: 'account_id', schema: uuid } },
    orderColumn: 'occurred_at',
    deletable: true,
    afterCreate: (request, row) => tellMeetingPrep(request, row, true),
    afterUpdate: async (request, row, changed) => {
      if (changed.some((field) => field === 'meetingStartAt' || field === 'meetingEndAt' || field === 'meetingStatus')) await tellMeetingPrep(request, row, true);
    },
    afterDelete: (request, row) => tellMeetingPrep(request, row, false),
    created: (row) => ({ kind: 'activity.logged', data: { activityKind: row.kind, direction: row.direction, contactId: row.contactId, dealId: row.dealId } }),
  });

  crudRoutes(app, {
    resource: 'tasks',
    path: '/v1/tasks',
    tag: 'Tasks',
    subjectType: 'task',
    rowSchema: taskSchema,
    createSchema: taskCreateSchema,
    columns: ['id', 'org_id', 'kind', 'title', 'due_at', 'owner_member_id', 'status', 'source', 'source_ref', 'contact_id', 'deal_id', ...stamp, 'completed_at'],
    filters: { ownerMemberId: { column: 'owner_member_id', schema: uuid }, status: { column: 'status', schema: taskStatusSchema }, contactId: { column: 'contact_id', schema: uuid }, dealId: { column: 'deal_id', schema: uuid } },
    deletable: true,
    // Completion time follows the status, so a client never has to keep the two in step.
    derive: (task, before) => ({
      ...task,
      completedAt: task.status === 'done' ? ((before?.status === 'done' ? before.completedAt : null) ?? new Date().toISOString()) : null,
    }),
    created: (row) => ({ kind: 'task.created', data: { taskKind: row.kind, dueAt: row.dueAt, ownerMemberId: row.ownerMemberId } }),
    updated: (before, after) => (before.status !== 'done' && after.status === 'done' ? [{ kind: 'task.completed', data: {} }] : []),
  });
}
