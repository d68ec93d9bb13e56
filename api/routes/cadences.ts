// Follow-up cadences over HTTP: playbooks (versioned), enrolment of one or many contacts with a result and the
// reasons per contact, and the messages a person sends a running cadence (pause, resume, stop, a reply received).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Client } from '@temporalio/client';
import { z } from 'zod';
import { cadenceRepository } from '../../adapters/db/cadence-repository.ts';
import { contactsRepository } from '../../adapters/db/contacts-repository.ts';
import { enrolmentRefusals } from '../../domain/enrolment.ts';
import { playbookDefinitionSchema } from '../../domain/playbooks.ts';
import { cadenceEventSignal, followUpWorkflowId, pauseSignal, reassignedSignal, resumeSignal, stopSignal } from '../../workflows/follow-up-cadence/messages.ts';
import { HttpProblem } from '../problem.ts';
import { audit, crudRoutes } from './crud.ts';
import { problemSchema } from './schemas.ts';

const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema, 429: problemSchema, 503: problemSchema };
const idParams = z.object({ id: z.uuid() });
const enrolmentSchema = z.object({
  id: z.uuid(), orgId: z.uuid(), contactId: z.uuid(), playbookVersionId: z.uuid(), ownerMemberId: z.uuid(), mailboxId: z.uuid(),
  workflowId: z.string(), status: z.string(), endReason: z.string().nullable(), startedAt: z.string(), endedAt: z.string().nullable(),
});

export async function cadenceRoutes(app: FastifyInstance, options: { temporal: Client | null; taskQueue: string }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const temporal = () => {
    if (!options.temporal) throw new HttpProblem(503, 'unavailable', 'Temporal is not configured for this API');
    return options.temporal;
  };

  r.get('/v1/playbooks', {
    config: { permission: ['playbooks', 'read'] },
    schema: { tags: ['Cadences'], summary: 'Playbooks with their latest version', response: { 200: z.object({ data: z.array(z.object({ key: z.string(), name: z.string(), version: z.int(), definition: z.unknown() })) }), ...errors } },
  }, async (request) => ({
    data: await request.withDb((tx) => tx<Array<{ key: string; name: string; version: number; definition: unknown }>>`
      select distinct on (p.id) p.key, p.name, v.version, v.definition from public.playbooks p
      join public.playbook_versions v on v.playbook_id = p.id order by p.id, v.version desc`),
  }));

  r.post('/v1/playbooks', {
    config: { permission: ['playbooks', 'create'] },
    schema: {
      tags: ['Cadences'],
      summary: 'Create a playbook, or a new version of it (running cadences keep theirs)',
      body: z.strictObject({ key: z.string().regex(/^[a-z0-9][a-z0-9-]{0,59}$/), definition: playbookDefinitionSchema }),
      response: { 201: z.object({ key: z.string(), version: z.int(), versionId: z.uuid() }), ...errors },
    },
  }, async (request, reply) => {
    const caller = request.caller!;
    const created = await app.db.asService((tx) =>
      cadenceRepository.createPlaybook(tx, { orgId: caller.orgId, key: request.body.key, name: request.body.definition.name, definition: request.body.definition, createdByMemberId: caller.kind === 'member' ? caller.actorId : null }),
    );
    return reply.code(201).send({ key: request.body.key, version: created.version, versionId: created.versionId });
  });

  crudRoutes(app, {
    resource: 'enrolments',
    path: '/v1/enrolments',
    tag: 'Cadences',
    subjectType: 'contact',
    rowSchema: enrolmentSchema,
    columns: ['id', 'org_id', 'contact_id', 'playbook_version_id', 'owner_member_id', 'mailbox_id', 'workflow_id', 'status', 'end_reason', 'started_at', 'ended_at'],
    filters: { contactId: { column: 'contact_id', schema: z.uuid() }, status: { column: 'status', schema: z.enum(['active', 'completed', 'stopped']) } },
    orderColumn: 'started_at',
  });

  r.post('/v1/enrolments', {
    config: { permission: ['enrolments', 'create'] },
    schema: {
      tags: ['Cadences'],
      summary: 'Enrol contacts in a playbook; a result per contact, with every reason for a refusal',
      body: z.strictObject({ playbookKey: z.string().min(1).max(60), contactIds: z.array(z.uuid()).min(1).max(200), mailboxId: z.uuid().optional() }),
      response: {
        200: z.object({ results: z.array(z.object({ contactId: z.uuid(), enrolled: z.boolean(), enrolmentId: z.uuid().nullable(), workflowId: z.string().nullable(), refusals: z.array(z.string()) })) }),
        ...errors,
      },
    },
  }, async (request) => {
    const caller = request.caller!;
    if (caller.kind !== 'member') throw new HttpProblem(403, 'forbidden', 'Enrolments are owned by a person: use a member token');
    const client = temporal();
    const orgId = caller.orgId;
    const { version, mailboxId } = await app.db.asService(async (tx) => {
      const latest = await cadenceRepository.latestVersion(tx, orgId, request.body.playbookKey);
      if (!latest) throw new HttpProblem(404, 'not-found', `No playbook ${request.body.playbookKey}`);
      const [mailbox] = request.body.mailboxId
        ? await tx<{ id: string }[]>`select id from public.mailboxes where org_id = ${orgId} and id = ${request.body.mailboxId}`
        : await tx<{ id: string }[]>`select id from public.mailboxes where org_id = ${orgId} and member_id = ${caller.actorId} order by created_at limit 1`;
      if (!mailbox) throw new HttpProblem(400, 'invalid-request', 'No mailbox to send from: create one for yourself, or name mailboxId');
      return { version: latest, mailboxId: mailbox.id };
    });
    const playbook = playbookDefinitionSchema.parse(version.definition);
    const results = [];
    for (const contactId of request.body.contactIds) {
      const outcome = await app.db.asService(async (tx) => {
        const contact = await contactsRepository.get(tx, orgId, contactId);
        if (!contact) return { refusals: ['not_found'] };
        const since = new Date(Date.now() - playbook.reenrolCooldownDays * 86_400_000).toISOString();
        const others = await cadenceRepository.activeOrRecentEnrolments(tx, orgId, contactId, since);
        const refusals = enrolmentRefusals({
          outreach: await contactsRepository.outreachRefusals(tx, orgId, contactId),
          lawfulBasis: contact.lawfulBasis,
          country: contact.country,
          otherEnrolments: others.map((e) => ({ status: e.status, endedAtMs: e.endedAt ? Date.parse(e.endedAt) : null })),
          allowConcurrentEnrolments: playbook.allowConcurrentEnrolments,
          reenrolCooldownDays: playbook.reenrolCooldownDays,
          nowMs: Date.now(),
        });
        if (refusals.length > 0) return { refusals };
        const workflowId = followUpWorkflowId(orgId, contactId, request.body.playbookKey);
        const enrolmentId = await cadenceRepository.createEnrolment(tx, { orgId, contactId, playbookVersionId: version.versionId, ownerMemberId: caller.actorId, mailboxId, workflowId });
        return { refusals: [], enrolmentId, workflowId };
      });
      if (outcome.refusals.length > 0 || !('enrolmentId' in outcome)) {
        results.push({ contactId, enrolled: false, enrolmentId: null, workflowId: null, refusals: outcome.refusals });
        continue;
      }
      await client.workflow.start('followUpCadenceWorkflow', {
        taskQueue: options.taskQueue,
        workflowId: outcome.workflowId!,
        args: [{ orgId, enrolmentId: outcome.enrolmentId }],
        // Ids only: the Web UI reads like a sentence without putting a person's name in the history (ADR-0007).
        staticSummary: `Follow-up · contact …${contactId.slice(-4)} · ${request.body.playbookKey} v${version.version}`,
      });
      results.push({ contactId, enrolled: true, enrolmentId: outcome.enrolmentId!, workflowId: outcome.workflowId!, refusals: [] });
    }
    return { results };
  });

  const enrolmentHandle = async (request: FastifyRequest & { params: { id: string } }) => {
    const [enrolment] = await request.withDb((tx) => tx<{ workflowId: string; status: string }[]>`select workflow_id, status from public.enrolments where id = ${request.params.id}`);
    if (!enrolment) throw new HttpProblem(404, 'not-found', `No enrolment ${request.params.id}`);
    if (enrolment.status !== 'active') throw new HttpProblem(409, 'conflict', `This enrolment is ${enrolment.status}`);
    return temporal().workflow.getHandle(enrolment.workflowId);
  };
  const ack = z.object({ accepted: z.literal(true) });

  for (const action of ['pause', 'resume', 'stop'] as const) {
    r.post(`/v1/enrolments/:id/${action}`, {
      config: { permission: ['enrolments', 'create'] },
      schema: { tags: ['Cadences'], summary: `${action[0]!.toUpperCase()}${action.slice(1)} a running cadence`, params: idParams, body: z.strictObject({ reason: z.string().min(1).max(100).default(`manual ${action}`) }), response: { 200: ack, ...errors } },
    }, async (request) => {
      const handle = await enrolmentHandle(request);
      const reason = (request.body as { reason?: string } | undefined)?.reason ?? `manual ${action}`;
      if (action === 'pause') await handle.signal(pauseSignal, { reason });
      if (action === 'resume') await handle.signal(resumeSignal);
      if (action === 'stop') await handle.signal(stopSignal, { reason });
      await request.withDb((tx) => audit(tx, request, `enrolments.${action}`, { type: 'contact', id: request.params.id }, null, { reason }));
      return { accepted: true as const };
    });
  }

  r.post('/v1/enrolments/:id/events', {
    config: { permission: ['enrolments', 'create'] },
    schema: {
      tags: ['Cadences'],
      summary: 'Record what the buyer did (a reply, an out-of-office, a bounce, an unsubscribe, a spam complaint, a booked meeting)',
      params: idParams,
      body: z.union([
        z.strictObject({ eventId: z.string().min(1).max(200), kind: z.enum(['reply', 'hard_bounce', 'soft_bounce', 'unsubscribed', 'complaint', 'meeting_booked']) }),
        z.strictObject({ eventId: z.string().min(1).max(200), kind: z.literal('out_of_office'), returnsAt: z.iso.datetime({ offset: true }).nullable() }),
      ]),
      response: { 200: ack, ...errors },
    },
  }, async (request) => {
    const handle = await enrolmentHandle(request);
    const body = request.body;
    await handle.signal(cadenceEventSignal, body.kind === 'out_of_office' ? { eventId: body.eventId, kind: 'out_of_office', returnsAtMs: body.returnsAt ? Date.parse(body.returnsAt) : null } : { eventId: body.eventId, kind: body.kind });
    return { accepted: true as const };
  });

  r.post('/v1/enrolments/:id/reassign', {
    config: { permission: ['enrolments', 'update'] },
    schema: {
      tags: ['Cadences'],
      summary: 'Hand a running cadence to another rep: later drafts go out from their mailbox, open tasks become theirs (managers, admins)',
      params: idParams,
      body: z.strictObject({ ownerMemberId: z.uuid(), mailboxId: z.uuid().optional(), reason: z.string().min(1).max(200).optional() }),
      response: { 200: enrolmentSchema, ...errors },
    },
  }, async (request) => {
    const handle = await enrolmentHandle(request);
    const orgId = request.caller!.orgId;
    const { ownerMemberId } = request.body;
    const updated = await app.db.asService(async (tx) => {
      const [member] = await tx`select 1 from public.members where org_id = ${orgId} and id = ${ownerMemberId} and status = 'active'`;
      if (!member) throw new HttpProblem(400, 'invalid-request', `No active member ${ownerMemberId} in this organisation`);
      const [mailbox] = request.body.mailboxId
        ? await tx<{ id: string }[]>`select id from public.mailboxes where org_id = ${orgId} and id = ${request.body.mailboxId} and member_id = ${ownerMemberId}`
        : await tx<{ id: string }[]>`select id from public.mailboxes where org_id = ${orgId} and member_id = ${ownerMemberId} order by created_at limit 1`;
      if (!mailbox) throw new HttpProblem(400, 'invalid-request', request.body.mailboxId ? `Mailbox ${request.body.mailboxId} is not the new owner's` : 'The new owner has no mailbox to send from: create one first');
      const [before] = await tx<{ ownerMemberId: string; mailboxId: string; workflowId: string }[]>`
        select owner_member_id, mailbox_id, workflow_id from public.enrolments where org_id = ${orgId} and id = ${request.params.id} and status = 'active' for update`;
      if (!before) throw new HttpProblem(409, 'conflict', 'This enrolment has just ended');
      const [row] = await tx<z.infer<typeof enrolmentSchema>[]>`
        update public.enrolments set owner_member_id = ${ownerMemberId}, mailbox_id = ${mailbox.id} where org_id = ${orgId} and id = ${request.params.id}
        returning id, org_id, contact_id, playbook_version_id, owner_member_id, mailbox_id, workflow_id, status, end_reason, started_at, ended_at`;
      // The cadence's open tasks (calls, LinkedIn steps, fixes) follow it to the new owner.
      await tx`update public.tasks set owner_member_id = ${ownerMemberId}
        where org_id = ${orgId} and status = 'open' and source = 'process' and source_ref like ${`${before.workflowId}:%`}`;
      await audit(tx, request, 'enrolments.reassign', { type: 'contact', id: row!.contactId }, { ownerMemberId: before.ownerMemberId, mailboxId: before.mailboxId }, { ownerMemberId, mailboxId: mailbox.id, reason: request.body.reason ?? null });
      return row!;
    });
    await handle.signal(reassignedSignal, { ownerMemberId });
    return updated;
  });
}
