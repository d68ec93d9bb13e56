// Identity resolution over HTTP (#11): run the sweep now, the review queue (pairs side by side with what agrees and
// what disagrees), decide a pair (merge or keep apart), undo a merge, the thresholds and their report.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Client } from '@temporalio/client';
import { z } from 'zod';
import { identityRepository } from '../../adapters/db/identity-repository.ts';
import { matchThresholdsSchema } from '../../domain/identity-resolution.ts';
import { contactMergedSignal, stopSignal } from '../../workflows/follow-up-cadence/messages.ts';
import { identitySweepWorkflowId, sweepNowSignal } from '../../workflows/identity-sweep/messages.ts';
import { HttpProblem } from '../problem.ts';
import { audit } from './crud.ts';
import { problemSchema } from './schemas.ts';

const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema, 429: problemSchema, 503: problemSchema };
const idParams = z.object({ id: z.uuid() });
const side = z.object({ id: z.uuid(), firstName: z.string().nullable(), lastName: z.string().nullable(), emails: z.array(z.string()), phoneE164: z.string().nullable(), title: z.string().nullable(), accountName: z.string().nullable(), createdAt: z.string() });

export async function identityRoutes(app: FastifyInstance, options: { temporal: Client | null; taskQueue: string }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const temporal = () => {
    if (!options.temporal) throw new HttpProblem(503, 'unavailable', 'Temporal is not configured for this API');
    return options.temporal;
  };
  /** After a merge (or its undo): a cadence follows its new contact, or stops when that person already has one. */
  const tellCadences = async (cadences: Array<{ workflowId: string; action: 'follow' | 'stop' }>, contactId: string) => {
    for (const c of cadences) {
      const handle = temporal().workflow.getHandle(c.workflowId);
      await (c.action === 'stop' ? handle.signal(stopSignal, { reason: 'merged' }) : handle.signal(contactMergedSignal, { survivorId: contactId })).catch(() => undefined);
    }
  };

  r.post('/v1/identity/sweep', {
    config: { permission: ['match_reviews', 'update'] },
    schema: { tags: ['Identity'], summary: 'Run the identity sweep now: pairs in the merge band are merged, the others wait for review', body: z.strictObject({}).nullish(), response: { 200: z.object({ workflowId: z.string() }), ...errors } },
  }, async (request) => {
    const orgId = request.caller!.orgId;
    const workflowId = identitySweepWorkflowId(orgId);
    await temporal().workflow.signalWithStart('identitySweepWorkflow', { workflowId, taskQueue: options.taskQueue, args: [{ orgId }], signal: sweepNowSignal, signalArgs: [] });
    return { workflowId };
  });

  r.get('/v1/match-reviews', {
    config: { permission: ['match_reviews', 'read'] },
    schema: {
      tags: ['Identity'], summary: 'The review queue: pairs side by side, with each field agreeing, disagreeing or missing',
      querystring: z.object({ status: z.enum(['pending', 'merged', 'kept_apart', 'obsolete']).default('pending'), limit: z.coerce.number().int().min(1).max(200).default(50) }),
      response: { 200: z.object({ data: z.array(z.object({ id: z.uuid(), score: z.number(), band: z.string(), status: z.string(), fields: z.unknown(), a: side.nullable(), b: side.nullable() })) }), ...errors },
    },
  }, async (request) => request.withDb(async (tx) => {
    const reviews = await tx<Array<{ id: string; score: number; band: string; status: string; fields: unknown; contactA: string; contactB: string }>>`
      select id, score, band, status, fields, contact_a, contact_b from public.match_reviews where status = ${request.query.status} order by score desc limit ${request.query.limit}`;
    const ids = reviews.flatMap((rv) => [rv.contactA, rv.contactB]);
    const people = await tx<z.infer<typeof side>[]>`
      select c.id, c.first_name, c.last_name, c.emails, c.phone_e164, c.title, a.name as account_name, c.created_at from public.contacts c left join public.accounts a on a.id = c.account_id where c.id = any(${ids}::uuid[])`;
    const byId = new Map(people.map((p) => [p.id, p]));
    return { data: reviews.map((rv) => ({ id: rv.id, score: rv.score, band: rv.band, status: rv.status, fields: rv.fields, a: byId.get(rv.contactA) ?? null, b: byId.get(rv.contactB) ?? null })) };
  }));

  r.post('/v1/match-reviews/:id/decision', {
    config: { permission: ['match_reviews', 'update'] },
    schema: {
      tags: ['Identity'], summary: 'Merge a pair (naming the survivor) or keep it apart', params: idParams,
      body: z.discriminatedUnion('decision', [z.strictObject({ decision: z.literal('merge'), survivorId: z.uuid() }), z.strictObject({ decision: z.literal('keep_apart') })]),
      response: { 200: z.object({ status: z.string(), mergeId: z.uuid().nullable() }), ...errors },
    },
  }, async (request) => {
    const caller = request.caller!;
    const [review] = await request.withDb((tx) => tx<{ contactA: string; contactB: string; status: string }[]>`select contact_a, contact_b, status from public.match_reviews where id = ${request.params.id}`);
    if (!review) throw new HttpProblem(404, 'not-found', `No review ${request.params.id}`);
    if (review.status !== 'pending') throw new HttpProblem(409, 'conflict', `This pair is already ${review.status}`);
    const memberId = caller.kind === 'member' ? caller.actorId : null;
    if (request.body.decision === 'keep_apart') {
      await app.db.asService((tx) => tx`update public.match_reviews set status = 'kept_apart', decided_by_member_id = ${memberId}, decided_at = now() where id = ${request.params.id}`);
      await request.withDb((tx) => audit(tx, request, 'match_reviews.keep_apart', { type: 'contact', id: review.contactA }, null, { reviewId: request.params.id, other: review.contactB }));
      return { status: 'kept_apart', mergeId: null };
    }
    const survivorId = request.body.survivorId;
    if (survivorId !== review.contactA && survivorId !== review.contactB) throw new HttpProblem(400, 'invalid-request', 'The survivor must be one of the pair');
    const loserId = survivorId === review.contactA ? review.contactB : review.contactA;
    const merged = await app.db.asService(async (tx) => {
      const result = await identityRepository.merge(tx, { orgId: caller.orgId, survivorId, loserId, reason: 'decided in the review queue', memberId });
      await tx`update public.match_reviews set status = 'merged', decided_by_member_id = ${memberId}, decided_at = now() where id = ${request.params.id}`;
      return result;
    });
    await tellCadences(merged.cadences, survivorId);
    return { status: 'merged', mergeId: merged.mergeId };
  });

  r.post('/v1/contact-merges/:id/unmerge', {
    config: { permission: ['contact_merges', 'create'] },
    schema: { tags: ['Identity'], summary: 'Undo a merge: both contacts and every row that referred to them as before', params: idParams, body: z.strictObject({}).nullish(), response: { 200: z.object({ survivorId: z.uuid(), loserId: z.uuid() }), ...errors } },
  }, async (request) => {
    const caller = request.caller!;
    const [merge] = await request.withDb((tx) => tx`select id from public.contact_merges where id = ${request.params.id}`);
    if (!merge) throw new HttpProblem(404, 'not-found', `No merge ${request.params.id}`);
    const undone = await app.db.asService((tx) => identityRepository.unmerge(tx, { orgId: caller.orgId, mergeId: request.params.id, memberId: caller.kind === 'member' ? caller.actorId : null }));
    await tellCadences(undone.cadences.map((workflowId) => ({ workflowId, action: 'follow' as const })), undone.loserId);
    return { survivorId: undone.survivorId, loserId: undone.loserId };
  });

  r.put('/v1/identity/thresholds', {
    config: { permission: ['match_reviews', 'update'] },
    schema: { tags: ['Identity'], summary: "The organisation's bands: at or above `merge` pairs are merged automatically; at or above `review` they wait for a person", body: matchThresholdsSchema, response: { 200: matchThresholdsSchema, ...errors } },
  }, async (request) => {
    const caller = request.caller!;
    await app.db.asService((tx) => tx`update public.organisations set identity_thresholds = ${tx.json(request.body as never)} where id = ${caller.orgId}`);
    await request.withDb((tx) => audit(tx, request, 'organisation.identity_thresholds', { type: 'organisation', id: caller.orgId }, null, request.body));
    return request.body;
  });

  r.get('/v1/identity/report', {
    config: { permission: ['match_reviews', 'read'] },
    schema: { tags: ['Identity'], summary: "How people decided pairs in each band (to tune the thresholds)", response: { 200: z.object({ data: z.array(z.object({ band: z.string(), status: z.string(), pairs: z.int(), minScore: z.number(), maxScore: z.number() })) }), ...errors } },
  }, async (request) => ({
    data: await request.withDb((tx) => tx<Array<{ band: string; status: string; pairs: number; minScore: number; maxScore: number }>>`
      select band, status, count(*)::int as pairs, min(score) as min_score, max(score) as max_score from public.match_reviews group by band, status order by band, status`),
  }));
}
