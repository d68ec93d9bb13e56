// Who am I, accepting an invitation, and the embedded default's dev login.
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { SignJWT } from 'jose';
import { z } from 'zod';
import { emailSchema, memberRoleSchema, memberSchema } from '../../domain/objects.ts';
import { HttpProblem } from '../problem.ts';
import { problemSchema } from './schemas.ts';

const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema, 429: problemSchema };
const memberColumns = ['id', 'org_id', 'user_id', 'display_name', 'email', 'role', 'time_zone', 'working_hours', 'from_name', 'from_address', 'reply_to', 'status', 'created_at'];

export async function sessionRoutes(app: FastifyInstance, options: { devLoginSecret: string | null; audience: string }) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/v1/me', {
    schema: {
      tags: ['Session'],
      summary: 'Who you are in this request',
      response: { 200: z.object({ kind: z.enum(['member', 'api_key']), orgId: z.uuid(), role: memberRoleSchema, actorId: z.uuid() }), ...errors },
    },
  }, async (request) => {
    const { kind, orgId, role, actorId } = request.caller!;
    return { kind, orgId, role, actorId };
  });

  r.post('/v1/invitations/accept', {
    config: { auth: 'user' },
    schema: { tags: ['Members'], summary: 'Join the organisation an invitation is for', body: z.strictObject({ token: z.string().min(10).max(200) }), response: { 200: memberSchema, ...errors } },
  }, async (request) => {
    const tokenHash = createHash('sha256').update(request.body.token).digest('hex');
    // The invitee is not a member yet, so this runs as the service, bound to the one invitation the token names.
    return app.db.asService(async (tx) => {
      const [invitation] = await tx<{ id: string; orgId: string; email: string; role: string; displayName: string }[]>`
        select id, org_id, email, role, display_name from public.invitations
        where token_hash = ${tokenHash} and accepted_at is null and revoked_at is null and expires_at > now()
        for update`;
      if (!invitation) throw new HttpProblem(404, 'not-found', 'This invitation does not exist, was used, revoked or has expired');
      const [existing] = await tx`select 1 from public.members where org_id = ${invitation.orgId} and user_id = ${request.userId!}`;
      if (existing) throw new HttpProblem(409, 'conflict', 'You are already a member of this organisation');
      const [member] = await tx<z.infer<typeof memberSchema>[]>`insert into public.members ${tx({
        orgId: invitation.orgId,
        userId: request.userId!,
        displayName: invitation.displayName,
        email: invitation.email,
        role: invitation.role,
      })} returning ${tx(memberColumns)}`;
      await tx`update public.invitations set accepted_at = now() where id = ${invitation.id}`;
      await tx`insert into public.audit_log ${tx({ orgId: invitation.orgId, actorType: 'member', actorId: member!.id, action: 'invitations.accept', subjectType: 'member', subjectId: member!.id, after: tx.json({ role: invitation.role }) })}`;
      return member!;
    });
  });

  if (options.devLoginSecret) {
    const key = new TextEncoder().encode(options.devLoginSecret);
    r.post('/v1/dev/login', {
      config: { auth: 'none' },
      schema: {
        tags: ['Session'],
        summary: 'DEV ONLY (embedded default): a token for a member, by email, without a password',
        body: z.strictObject({ email: emailSchema }),
        response: { 200: z.object({ accessToken: z.string(), tokenType: z.literal('bearer'), expiresIn: z.number(), warning: z.string() }), ...errors },
      },
    }, async (request) => {
      const [member] = await app.db.asService((tx) => tx<{ userId: string }[]>`
        select user_id from public.members where email = ${request.body.email.toLowerCase()} and status = 'active' limit 1`);
      if (!member) throw new HttpProblem(404, 'not-found', `No active member with email ${request.body.email}`);
      const expiresIn = 12 * 3600;
      const accessToken = await new SignJWT({ role: 'authenticated', email: request.body.email })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(member.userId)
        .setAudience(options.audience)
        .setIssuedAt()
        .setExpirationTime(`${expiresIn}s`)
        .sign(key);
      return { accessToken, tokenType: 'bearer' as const, expiresIn, warning: 'Dev login of the embedded default: never enable it on a deployed server.' };
    });
  }
}
