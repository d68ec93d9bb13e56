// The organisation itself: settings, members, invitations and API keys.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { approvalPolicySchema, emailSchema, memberRoleSchema, memberSchema, memberStatusSchema, organisationSchema, timeZoneSchema, workingHoursSchema } from '../../domain/objects.ts';
import { approvalPolicySchema as approvalSlaSchema } from '../../domain/approval.ts';
import { callNotesPolicySchema } from '../../domain/call-note-proposals.ts';
import type { Tx } from '../../adapters/db/client.ts';

/** The organisation with its call-notes policy, read as text: the client would camel-case the policy's kind names. */
async function readOrganisation(tx: Tx, orgId: string): Promise<OrganisationResponse> {
  const [row] = await tx<Array<Omit<OrganisationResponse, 'callNotesPolicy'> & { callNotesPolicyJson: string }>>`
    select ${tx(orgColumns)}, call_notes_policy::text as call_notes_policy_json from public.organisations where id = ${orgId}`;
  const { callNotesPolicyJson, ...organisation } = row!;
  const policy = callNotesPolicySchema.safeParse(JSON.parse(callNotesPolicyJson));
  return { ...organisation, callNotesPolicy: policy.success ? policy.data : callNotesPolicySchema.parse({}) };
}
import { API_KEY_PREFIX, hashApiKey } from '../plugins/auth.ts';
import { HttpProblem } from '../problem.ts';
import { audit, crudRoutes } from './crud.ts';
import { problemSchema } from './schemas.ts';

const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema, 429: problemSchema };
const idParams = z.object({ id: z.uuid() });
const orgColumns = ['id', 'name', 'time_zone', 'postal_address', 'default_approval_policy', 'approval_sla', 'daily_send_cap', 'per_minute_send_cap', 'pause_all_sending', 'meeting_brief_lead_minutes', 'created_at', 'updated_at'];
const orgPatchSchema = z.strictObject({
  name: z.string().min(1).max(200).optional(),
  timeZone: timeZoneSchema.optional(),
  postalAddress: z.string().max(500).nullable().optional(),
  defaultApprovalPolicy: approvalPolicySchema.optional(),
  dailySendCap: z.int().min(1).max(10_000).optional(),
  perMinuteSendCap: z.int().min(1).max(600).optional(),
  pauseAllSending: z.boolean().optional(),
  approvalSla: approvalSlaSchema.optional(),
  callNotesPolicy: callNotesPolicySchema.optional().describe('Which call-note proposals apply at once and which wait for approval, the approval deadline, the recap draft'),
  meetingBriefLeadMinutes: z.int().min(5).max(10_080).optional().describe('How long before a scheduled meeting its prep brief reaches the rep'),
});

const organisationResponse = organisationSchema.extend({ approvalSla: approvalSlaSchema, callNotesPolicy: callNotesPolicySchema, meetingBriefLeadMinutes: z.int() });
type OrganisationResponse = z.infer<typeof organisationResponse>;

const invitationSchema = z.object({
  id: z.uuid(),
  orgId: z.uuid(),
  email: emailSchema,
  role: memberRoleSchema,
  displayName: z.string(),
  invitedByMemberId: z.uuid().nullable(),
  createdAt: z.string(),
  expiresAt: z.string(),
  acceptedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
type Invitation = z.infer<typeof invitationSchema>;
const invitationColumns = ['id', 'org_id', 'email', 'role', 'display_name', 'invited_by_member_id', 'created_at', 'expires_at', 'accepted_at', 'revoked_at'];

const apiKeySchema = z.object({
  id: z.uuid(),
  orgId: z.uuid(),
  name: z.string(),
  role: memberRoleSchema,
  prefix: z.string(),
  createdByMemberId: z.uuid().nullable(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
type ApiKey = z.infer<typeof apiKeySchema>;
const apiKeyColumns = ['id', 'org_id', 'name', 'role', 'prefix', 'created_by_member_id', 'created_at', 'last_used_at', 'revoked_at'];

export const INVITATION_DAYS = 7;

export async function organisationRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/v1/organisation', {
    config: { permission: ['organisations', 'read'] },
    schema: { tags: ['Organisation'], summary: 'The organisation you act in, with its settings', response: { 200: organisationResponse, ...errors } },
  }, async (request) => request.withDb((tx) => readOrganisation(tx, request.caller!.orgId)));

  r.patch('/v1/organisation', {
    config: { permission: ['organisations', 'update'] },
    schema: { tags: ['Organisation'], summary: 'Change settings (admins)', body: orgPatchSchema, response: { 200: organisationResponse, ...errors } },
  }, async (request) =>
    request.withDb(async (tx) => {
      const orgId = request.caller!.orgId;
      const before = await readOrganisation(tx, orgId);
      const { callNotesPolicy, ...patch } = Object.fromEntries(Object.entries(request.body).filter(([, v]) => v !== undefined)) as Partial<z.infer<typeof orgPatchSchema>>;
      if (Object.keys(patch).length === 0 && callNotesPolicy === undefined) return before;
      const values = 'approvalSla' in patch ? { ...patch, approvalSla: tx.json(patch.approvalSla as never) } : patch;
      if (Object.keys(values).length > 0) await tx`update public.organisations set ${tx(values)} where id = ${orgId}`;
      // As text: the client would camel-case the kind names inside the policy.
      if (callNotesPolicy !== undefined) await tx`update public.organisations set call_notes_policy = ${JSON.stringify(callNotesPolicy)}::text::jsonb where id = ${orgId}`;
      const changed = { ...patch, ...(callNotesPolicy === undefined ? {} : { callNotesPolicy }) };
      await audit(tx, request, 'organisations.update', { type: 'organisation', id: orgId }, Object.fromEntries(Object.keys(changed).map((k) => [k, before[k as keyof OrganisationResponse]])), changed);
      return readOrganisation(tx, orgId);
    }),
  );

  // Members join through invitations and leave by status "removed": no create or delete here.
  crudRoutes(app, {
    resource: 'members',
    path: '/v1/members',
    tag: 'Members',
    subjectType: 'member',
    rowSchema: memberSchema,
    patchSchema: z.strictObject({
      displayName: z.string().min(1).max(200).optional(),
      role: memberRoleSchema.optional(),
      status: memberStatusSchema.optional(),
      timeZone: timeZoneSchema.optional(),
      workingHours: workingHoursSchema.optional(),
      fromName: z.string().min(1).max(200).nullable().optional(),
      fromAddress: emailSchema.nullable().optional(),
      replyTo: emailSchema.nullable().optional(),
    }),
    columns: ['id', 'org_id', 'user_id', 'display_name', 'email', 'role', 'time_zone', 'working_hours', 'from_name', 'from_address', 'reply_to', 'status', 'created_at'],
    filters: { role: { column: 'role', schema: memberRoleSchema }, status: { column: 'status', schema: memberStatusSchema } },
  });

  r.get('/v1/invitations', {
    config: { permission: ['invitations', 'read'] },
    schema: { tags: ['Members'], summary: 'Pending and past invitations', response: { 200: z.object({ data: z.array(invitationSchema) }), ...errors } },
  }, async (request) => ({ data: await request.withDb((tx) => tx<Invitation[]>`select ${tx(invitationColumns)} from public.invitations order by created_at desc limit 500`) }));

  r.post('/v1/invitations', {
    config: { permission: ['invitations', 'create'] },
    schema: {
      tags: ['Members'],
      summary: 'Invite someone; the token is shown once',
      body: z.strictObject({ email: emailSchema, role: memberRoleSchema, displayName: z.string().min(1).max(200) }),
      response: { 201: z.object({ invitation: invitationSchema, token: z.string() }), ...errors },
    },
  }, async (request, reply) => {
    const token = `clinv_${randomBytes(24).toString('base64url')}`;
    const invitation = await request.withDb(async (tx) => {
      const [row] = await tx`insert into public.invitations ${tx({
        id: randomUUID(),
        orgId: request.caller!.orgId,
        email: request.body.email.toLowerCase(),
        role: request.body.role,
        displayName: request.body.displayName,
        tokenHash: createHash('sha256').update(token).digest('hex'),
        invitedByMemberId: request.caller!.kind === 'member' ? request.caller!.actorId : null,
        expiresAt: new Date(Date.now() + INVITATION_DAYS * 86_400_000).toISOString(),
      })} returning ${tx(invitationColumns)}`;
      await audit(tx, request, 'invitations.create', { type: 'member', id: row!.id as string }, null, { role: request.body.role });
      return row!;
    });
    return reply.code(201).send({ invitation: invitation as z.infer<typeof invitationSchema>, token });
  });

  r.delete('/v1/invitations/:id', {
    config: { permission: ['invitations', 'update'] },
    schema: { tags: ['Members'], summary: 'Revoke an invitation', params: idParams, response: { 204: z.null(), ...errors } },
  }, async (request, reply) => {
    await request.withDb(async (tx) => {
      const updated = await tx`update public.invitations set revoked_at = now() where id = ${request.params.id} and accepted_at is null and revoked_at is null`;
      if (updated.count === 0) throw new HttpProblem(404, 'not-found', `No pending invitation ${request.params.id}`);
    });
    return reply.code(204).send(null);
  });

  r.get('/v1/api-keys', {
    config: { permission: ['api_keys', 'read'] },
    schema: { tags: ['API keys'], summary: 'API keys (never their secrets)', response: { 200: z.object({ data: z.array(apiKeySchema) }), ...errors } },
  }, async (request) => ({ data: await request.withDb((tx) => tx<ApiKey[]>`select ${tx(apiKeyColumns)} from public.api_keys order by created_at desc`) }));

  r.post('/v1/api-keys', {
    config: { permission: ['api_keys', 'create'] },
    schema: {
      tags: ['API keys'],
      summary: 'Create an API key; the key is shown once and stored only as a hash',
      body: z.strictObject({ name: z.string().min(1).max(100), role: memberRoleSchema }),
      response: { 201: z.object({ apiKey: apiKeySchema, key: z.string() }), ...errors },
    },
  }, async (request, reply) => {
    const prefix = randomBytes(6).toString('base64url').replace(/[-_]/g, 'x').slice(0, 8);
    const key = `${API_KEY_PREFIX}${prefix}_${randomBytes(32).toString('base64url')}`;
    const apiKey = await request.withDb(async (tx) => {
      const [row] = await tx`insert into public.api_keys ${tx({
        id: randomUUID(),
        orgId: request.caller!.orgId,
        name: request.body.name,
        role: request.body.role,
        prefix: `${API_KEY_PREFIX}${prefix}`,
        keyHash: hashApiKey(key),
        createdByMemberId: request.caller!.kind === 'member' ? request.caller!.actorId : null,
      })} returning ${tx(apiKeyColumns)}`;
      await audit(tx, request, 'api_keys.create', { type: 'organisation', id: request.caller!.orgId }, null, { apiKeyId: row!.id, role: request.body.role });
      return row!;
    });
    return reply.code(201).send({ apiKey: apiKey as z.infer<typeof apiKeySchema>, key });
  });

  r.delete('/v1/api-keys/:id', {
    config: { permission: ['api_keys', 'update'] },
    schema: { tags: ['API keys'], summary: 'Revoke an API key (effective at once)', params: idParams, response: { 204: z.null(), ...errors } },
  }, async (request, reply) => {
    await request.withDb(async (tx) => {
      const updated = await tx`update public.api_keys set revoked_at = now() where id = ${request.params.id} and revoked_at is null`;
      if (updated.count === 0) throw new HttpProblem(404, 'not-found', `No active API key ${request.params.id}`);
      await audit(tx, request, 'api_keys.revoke', { type: 'organisation', id: request.caller!.orgId }, null, { apiKeyId: request.params.id });
    });
    return reply.code(204).send(null);
  });
}
