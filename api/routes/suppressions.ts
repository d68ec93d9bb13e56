// The suppression list: addresses are taken in, hashed in the database, and never given back.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { suppressionsRepository } from '../../adapters/db/suppressions-repository.ts';
import { eventLogRepository } from '../../adapters/db/event-log-repository.ts';
import { emailSchema, suppressionReasonSchema, suppressionSchema } from '../../domain/objects.ts';
import { audit, crudRoutes, eventEnvelope } from './crud.ts';
import { problemSchema } from './schemas.ts';

const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 429: problemSchema };
const address = z.strictObject({ email: z.string().trim().toLowerCase().pipe(emailSchema) });

export async function suppressionRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  // List, get, and lift (delete, admins only); adding goes through POST below, which hashes the address.
  crudRoutes(app, {
    resource: 'suppressions',
    path: '/v1/suppressions',
    tag: 'Suppression list',
    subjectType: 'suppression',
    rowSchema: suppressionSchema,
    columns: ['id', 'org_id', 'address_hash', 'reason', 'source', 'created_at'],
    filters: { reason: { column: 'reason', schema: suppressionReasonSchema } },
    deletable: true,
  });

  r.post('/v1/suppressions', {
    config: { permission: ['suppressions', 'create'] },
    schema: {
      tags: ['Suppression list'],
      summary: 'Never contact this address again (idempotent)',
      body: address.extend({ reason: z.enum(['unsubscribed', 'complained', 'bounced', 'manual']).default('manual') }),
      response: { 201: z.object({ id: z.uuid() }), ...errors },
    },
  }, async (request, reply) => {
    const id = await request.withDb(async (tx) => {
      const suppressionId = await suppressionsRepository.suppress(tx, request.caller!.orgId, request.body.email, request.body.reason, 'api');
      await audit(tx, request, 'suppressions.create', { type: 'suppression', id: suppressionId }, null, { reason: request.body.reason });
      await eventLogRepository.append(tx, eventEnvelope(request, { type: 'suppression', id: suppressionId }, { kind: 'suppression.added', data: { reason: request.body.reason } }));
      return suppressionId;
    });
    return reply.code(201).send({ id });
  });

  r.post('/v1/suppressions/check', {
    config: { permission: ['suppressions', 'read'] },
    schema: { tags: ['Suppression list'], summary: 'Is this address suppressed?', body: address, response: { 200: z.object({ suppressed: z.boolean() }), ...errors } },
  }, async (request) => ({
    suppressed: await request.withDb((tx) => suppressionsRepository.isSuppressed(tx, request.caller!.orgId, request.body.email)),
  }));
}
