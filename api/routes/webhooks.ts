// Inbound webhooks: receive (verify on the raw body, store once, answer fast), and the admin's view of the inbox
// (list, replay a parked delivery) and of the signing secrets (create and rotate; a secret is shown once).
// Processing is the dispatcher's (worker/inbox-dispatcher.ts): nothing here talks to Temporal.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { webhookInboxRepository } from '../../adapters/db/webhook-inbox-repository.ts';
import {
  CLOSELOOP_SIGNATURE_HEADER,
  CLOSELOOP_TIMESTAMP_HEADER,
  generateHookSecret,
  standardWebhookId,
  verifyCloseloopHook,
  verifyStandardWebhook,
  type VerifyResult,
} from '../../adapters/webhooks/signatures.ts';
import { closeloopHookSchema } from '../../domain/inbound-events.ts';
import { HttpProblem } from '../problem.ts';
import { audit, crudRoutes } from './crud.ts';
import { problemSchema } from './schemas.ts';

const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema, 413: problemSchema, 429: problemSchema };
const received = z.object({ received: z.literal(true), duplicate: z.boolean(), id: z.uuid() });
const orgParams = z.object({ orgId: z.uuid() });
// Only what helps to diagnose a delivery is kept with it (never cookies or authorization).
const keptHeaders = ['content-type', 'user-agent', 'svix-id', 'svix-timestamp', 'webhook-id', 'webhook-timestamp', CLOSELOOP_TIMESTAMP_HEADER];

const kept = (request: FastifyRequest) =>
  Object.fromEntries(keptHeaders.flatMap((name) => (typeof request.headers[name] === 'string' ? [[name, request.headers[name] as string]] : [])));

function refuse(verdict: Exclude<VerifyResult, { ok: true }>): never {
  // One answer for "no such organisation", "no secret" and "bad signature": the URL must not reveal which.
  const reason = verdict.reason === 'stale_timestamp' ? 'the timestamp is outside ±5 minutes' : verdict.reason === 'missing_headers' ? 'signature headers are missing' : 'the signature does not verify';
  throw new HttpProblem(401, 'unauthorized', `Webhook not accepted: ${reason}`);
}

function parseJson(rawBody: string): unknown {
  try {
    return JSON.parse(rawBody);
  } catch {
    throw new HttpProblem(400, 'invalid-request', 'The body is not JSON');
  }
}

export async function webhookRoutes(app: FastifyInstance, options: { onReceived?: () => void }) {
  // Receiving: an encapsulated scope whose JSON parser keeps the raw text, because signatures cover the bytes sent.
  await app.register(async (hooks) => {
    hooks.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: 1024 * 1024 }, (_request, body, done) => done(null, body));
    const r = hooks.withTypeProvider<ZodTypeProvider>();
    const rawBody = z.string().describe('The delivery as sent (JSON), verified on its raw bytes');

    r.post('/v1/hooks/resend/:orgId', {
      config: { auth: 'none' },
      schema: {
        tags: ['Webhooks'],
        summary: "Resend's email events (Standard Webhooks / Svix signature with the organisation's Resend signing secret)",
        params: orgParams,
        body: rawBody,
        response: { 200: received, ...errors },
      },
    }, async (request) => {
      const secrets = await app.db.asService((tx) => webhookInboxRepository.validSecrets(tx, request.params.orgId, 'resend'));
      const verdict = verifyStandardWebhook({ secrets, headers: request.headers, rawBody: request.body, nowMs: Date.now() });
      if (!verdict.ok) refuse(verdict);
      parseJson(request.body);
      const stored = await app.db.asService((tx) =>
        webhookInboxRepository.receive(tx, { orgId: request.params.orgId, provider: 'resend', eventId: standardWebhookId(request.headers)!, headers: kept(request), body: request.body }),
      );
      options.onReceived?.();
      return { received: true as const, ...stored };
    });

    r.post('/v1/hooks/closeloop/:orgId', {
      config: { auth: 'none' },
      schema: {
        tags: ['Webhooks'],
        summary: 'Generic hooks: "reply.received" (inboxes other than Gmail), "meeting.booked" (schedulers), "lead.submitted" (web forms) and "call.recorded" (call recorders), signed with the organisation\'s Closeloop hook secret',
        description: `Headers: \`${CLOSELOOP_TIMESTAMP_HEADER}\` (unix seconds) and \`${CLOSELOOP_SIGNATURE_HEADER}: v1=<hex HMAC-SHA256 of "<timestamp>.<body>">\`. Payloads: docs/04-specs/webhooks.md.`,
        params: orgParams,
        body: rawBody,
        response: { 200: received, ...errors },
      },
    }, async (request) => {
      const secrets = await app.db.asService((tx) => webhookInboxRepository.validSecrets(tx, request.params.orgId, 'closeloop'));
      const verdict = verifyCloseloopHook({ secrets, headers: request.headers, rawBody: request.body, nowMs: Date.now() });
      if (!verdict.ok) refuse(verdict);
      // The sender is the organisation's own integration: a payload it got wrong is answered now, not parked.
      const parsed = closeloopHookSchema.safeParse(parseJson(request.body));
      if (!parsed.success) {
        const fields = parsed.error.issues.map((i) => ({ field: ['body', ...i.path.map(String)].join('.'), message: i.message }));
        throw new HttpProblem(400, 'invalid-request', `Invalid hook payload: ${fields.map((f) => f.field).join(', ')}`, fields);
      }
      const stored = await app.db.asService((tx) =>
        webhookInboxRepository.receive(tx, { orgId: request.params.orgId, provider: 'closeloop', eventId: parsed.data.id, headers: kept(request), body: request.body }),
      );
      options.onReceived?.();
      return { received: true as const, ...stored };
    });
  });

  const r = app.withTypeProvider<ZodTypeProvider>();
  crudRoutes(app, {
    resource: 'webhook_inbox',
    path: '/v1/webhook-inbox',
    tag: 'Webhooks',
    subjectType: 'organisation',
    rowSchema: z.object({
      id: z.uuid(), orgId: z.uuid().nullable(), provider: z.string(), eventId: z.string(), receivedAt: z.string(), headers: z.record(z.string(), z.string()),
      body: z.string(), status: z.enum(['received', 'processed', 'parked']), statusReason: z.string().nullable(), processedAt: z.string().nullable(),
      attempts: z.int(), nextAttemptAt: z.string(), lastError: z.string().nullable(),
    }),
    columns: ['id', 'org_id', 'provider', 'event_id', 'received_at', 'headers', 'body', 'status', 'status_reason', 'processed_at', 'attempts', 'next_attempt_at', 'last_error'],
    filters: { status: { column: 'status', schema: z.enum(['received', 'processed', 'parked']) }, provider: { column: 'provider', schema: z.string().max(50) } },
    orderColumn: 'received_at',
  });

  r.post('/v1/webhook-inbox/:id/replay', {
    config: { permission: ['webhook_inbox', 'update'] },
    schema: { tags: ['Webhooks'], summary: 'Process a parked delivery again (after the cause is fixed)', params: z.object({ id: z.uuid() }), body: z.strictObject({}).nullish(), response: { 200: z.object({ replayed: z.literal(true) }), ...errors } },
  }, async (request) => {
    const [row] = await request.withDb((tx) => tx<{ status: string }[]>`select status from public.webhook_inbox where id = ${request.params.id}`);
    if (!row) throw new HttpProblem(404, 'not-found', `No delivery ${request.params.id}`);
    if (row.status !== 'parked') throw new HttpProblem(409, 'conflict', `Only a parked delivery can be replayed; this one is ${row.status}`);
    await app.db.asService((tx) => webhookInboxRepository.replay(tx, request.params.id));
    await request.withDb((tx) => audit(tx, request, 'webhook_inbox.replay', { type: 'organisation', id: request.caller!.orgId }, { status: 'parked' }, { deliveryId: request.params.id }));
    options.onReceived?.();
    return { replayed: true as const };
  });

  const secretMeta = z.object({ id: z.uuid(), source: z.enum(['resend', 'closeloop']), createdAt: z.string(), expiresAt: z.string().nullable() });
  r.get('/v1/webhook-secrets', {
    config: { permission: ['webhook_secrets', 'read'] },
    schema: { tags: ['Webhooks'], summary: 'Signing secrets (never their values): the newest per source, and the one it replaces while both verify', response: { 200: z.object({ data: z.array(secretMeta) }), ...errors } },
  }, async (request) => ({
    data: await request.withDb((tx) => tx<z.infer<typeof secretMeta>[]>`select id, source, created_at, expires_at from public.webhook_secrets where expires_at is null or expires_at > now() order by created_at desc`),
  }));

  r.post('/v1/webhook-secrets', {
    config: { permission: ['webhook_secrets', 'create'] },
    schema: {
      tags: ['Webhooks'],
      summary: "Add a signing secret (rotation: the previous one keeps verifying for 24 h). Resend's comes from Resend (whsec_…); a Closeloop hook secret is generated and shown once",
      body: z.discriminatedUnion('source', [
        z.strictObject({ source: z.literal('resend'), secret: z.string().regex(/^whsec_[A-Za-z0-9+/=]{24,120}$/, { message: 'must be the signing secret Resend shows for the webhook (whsec_…)' }) }),
        z.strictObject({ source: z.literal('closeloop') }),
      ]),
      response: { 201: secretMeta.extend({ secret: z.string().nullable() }), ...errors },
    },
  }, async (request, reply) => {
    const caller = request.caller!;
    const body = request.body;
    const secret = body.source === 'resend' ? body.secret : generateHookSecret();
    const row = await app.db.asService((tx) => webhookInboxRepository.addSecret(tx, { orgId: caller.orgId, source: body.source, secret, createdByMemberId: caller.kind === 'member' ? caller.actorId : null }));
    await request.withDb((tx) => audit(tx, request, 'webhook_secrets.create', { type: 'organisation', id: caller.orgId }, null, { id: row.id, source: body.source }));
    return reply.code(201).send({ id: row.id, source: body.source, createdAt: row.createdAt, expiresAt: null, secret: body.source === 'closeloop' ? secret : null });
  });
}
