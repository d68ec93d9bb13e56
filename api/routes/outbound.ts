// The outbound pipeline over HTTP: mailboxes, outbound messages, approvals (decided through the workflow's
// validated update), the offline outbox, and the one-click unsubscribe endpoints (RFC 8058).
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { z } from 'zod';
import type { LinkSigner } from '../../adapters/links/unsubscribe.ts';
import { outboundRepository } from '../../adapters/db/outbound-repository.ts';
import { cadenceRepository } from '../../adapters/db/cadence-repository.ts';
import { suppressionsRepository } from '../../adapters/db/suppressions-repository.ts';
import { approvalDecisionSchema } from '../../domain/approval.ts';
import { emailSchema } from '../../domain/objects.ts';
import { decideUpdate } from '../../workflows/outbound-email/messages.ts';
import { decideProposalUpdate } from '../../workflows/call-notes/messages.ts';
import { cadenceEventSignal } from '../../workflows/follow-up-cadence/messages.ts';
import { HttpProblem } from '../problem.ts';
import { crudRoutes } from './crud.ts';
import { problemSchema } from './schemas.ts';

const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema, 429: problemSchema, 503: problemSchema };
const ts = z.string();
const mailboxSchema = z.object({
  id: z.uuid(), orgId: z.uuid(), memberId: z.uuid(), fromAddress: emailSchema, fromName: z.string(), replyTo: emailSchema.nullable(),
  sendingDomain: z.string(), domainStatus: z.enum(['unverified', 'pending', 'verified', 'failed']), domainCheckedAt: ts.nullable(),
  dailyCap: z.int(), perMinuteCap: z.int(), perRecipientDomainDailyCap: z.int(), paused: z.boolean(), pausedReason: z.string().nullable(), createdAt: ts,
});
const messageSchema = z.object({
  id: z.uuid(), orgId: z.uuid(), mailboxId: z.uuid(), contactId: z.uuid(), toAddress: z.string().nullable(), subject: z.string().nullable(),
  bodyText: z.string().nullable(), origin: z.enum(['template', 'ai']), draftedBy: z.string().nullable(), usesBuyerContent: z.boolean(), requiresApproval: z.boolean(), version: z.int(),
  processWorkflowId: z.string(), stepKey: z.string(), businessKey: z.string(), status: z.string(), statusReason: z.string().nullable(),
  nextActionAt: ts.nullable(), createdAt: ts, updatedAt: ts,
});
const approvalSchema = z.object({
  id: z.uuid(), orgId: z.uuid(), messageId: z.uuid().nullable().describe('The email waiting for approval (null for a proposed CRM change)'),
  proposalId: z.uuid().nullable().describe('The call note\'s proposed CRM change waiting for approval (null for an email)'), workflowId: z.string(), status: z.string(), escalated: z.boolean(), requestedAt: ts, dueAt: ts,
  remindedAt: ts.nullable(), decidedByMemberId: z.uuid().nullable(), decidedAt: ts.nullable(), decision: z.string().nullable(),
});
const outboxSchema = z.object({
  id: z.uuid(), orgId: z.uuid(), idempotencyKey: z.string(), fromHeader: z.string(), toAddress: z.string(), replyTo: z.string().nullable(),
  subject: z.string(), bodyText: z.string(), headers: z.record(z.string(), z.string()), rfcMessageId: z.string(), createdAt: ts,
  notSent: z.literal(true).describe('Always true: the offline outbox stores emails instead of sending them'),
});
const decisionBody = z.union([
  z.strictObject({ decision: z.literal('approve') }),
  z.strictObject({ decision: z.literal('approve_with_edits'), subject: z.string().min(1).max(300), bodyText: z.string().min(1).max(20_000) }),
  z.strictObject({ decision: z.literal('reject') }),
  z.strictObject({ decision: z.literal('regenerate'), instructions: z.string().min(1).max(2000) }),
]);

const unsubscribePage = (title: string, body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${title}</title></head>` +
  `<body style="font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem">${body}</body></html>`;

/** Sends a decision into the waiting process and turns its refusals into HTTP problems. */
async function decideThrough<T>(send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (err) {
    const type = (err as { cause?: { type?: string; message?: string } }).cause?.type;
    if (err instanceof WorkflowUpdateFailedError && type === 'NotAllowedToApprove') throw new HttpProblem(403, 'forbidden', (err.cause as Error).message);
    if (err instanceof WorkflowUpdateFailedError) throw new HttpProblem(409, 'conflict', (err.cause as Error | undefined)?.message ?? 'The decision was refused');
    if (err instanceof WorkflowNotFoundError) throw new HttpProblem(409, 'conflict', 'The process waiting for this approval is no longer running');
    throw err;
  }
}

export async function outboundRoutes(app: FastifyInstance, options: { temporal: Client | null; links: LinkSigner }) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  crudRoutes(app, {
    resource: 'mailboxes',
    path: '/v1/mailboxes',
    tag: 'Outbound',
    subjectType: 'member',
    rowSchema: mailboxSchema,
    createSchema: z.strictObject({
      memberId: z.uuid(),
      fromAddress: z.string().trim().toLowerCase().pipe(emailSchema),
      fromName: z.string().min(1).max(200),
      replyTo: emailSchema.nullable().default(null),
      dailyCap: z.int().min(1).max(10_000).default(100),
      perMinuteCap: z.int().min(1).max(600).default(5),
      perRecipientDomainDailyCap: z.int().min(1).max(10_000).default(20),
    }),
    patchSchema: z.strictObject({
      fromName: z.string().min(1).max(200).optional(),
      replyTo: emailSchema.nullable().optional(),
      dailyCap: z.int().min(1).max(10_000).optional(),
      perMinuteCap: z.int().min(1).max(600).optional(),
      perRecipientDomainDailyCap: z.int().min(1).max(10_000).optional(),
      paused: z.boolean().optional(),
      pausedReason: z.string().max(300).nullable().optional(),
    }),
    columns: ['id', 'org_id', 'member_id', 'from_address', 'from_name', 'reply_to', 'sending_domain', 'domain_status', 'domain_checked_at', 'daily_cap', 'per_minute_cap', 'per_recipient_domain_daily_cap', 'paused', 'paused_reason', 'created_at'],
  });

  crudRoutes(app, {
    resource: 'outbound_messages',
    path: '/v1/outbound-messages',
    tag: 'Outbound',
    subjectType: 'activity',
    rowSchema: messageSchema,
    columns: ['id', 'org_id', 'mailbox_id', 'contact_id', 'to_address', 'subject', 'body_text', 'origin', 'drafted_by', 'uses_buyer_content', 'requires_approval', 'version', 'process_workflow_id', 'step_key', 'business_key', 'status', 'status_reason', 'next_action_at', 'created_at', 'updated_at'],
    filters: { status: { column: 'status', schema: z.string().max(40) }, contactId: { column: 'contact_id', schema: z.uuid() } },
  });

  crudRoutes(app, {
    resource: 'approvals',
    path: '/v1/approvals',
    tag: 'Outbound',
    subjectType: 'activity',
    rowSchema: approvalSchema,
    columns: ['id', 'org_id', 'message_id', 'proposal_id', 'workflow_id', 'status', 'escalated', 'requested_at', 'due_at', 'reminded_at', 'decided_by_member_id', 'decided_at', 'decision'],
    filters: { status: { column: 'status', schema: z.enum(['pending', 'approved', 'rejected', 'expired', 'skipped', 'cancelled']) } },
    orderColumn: 'requested_at',
  });

  r.post('/v1/approvals/:id/decision', {
    config: { permission: ['approvals', 'read'] },
    schema: {
      tags: ['Outbound'],
      summary: 'Approve, approve with edits, reject, or ask for a regenerated draft (people only)',
      params: z.object({ id: z.uuid() }),
      body: decisionBody,
      response: { 200: z.object({ accepted: z.literal(true), decision: z.string() }), ...errors },
    },
  }, async (request) => {
    const caller = request.caller!;
    if (caller.kind !== 'member') throw new HttpProblem(403, 'forbidden', 'Approvals are decided by people, not API keys');
    const [approval] = await request.withDb((tx) => tx<{ workflowId: string; status: string; proposalId: string | null }[]>`
      select workflow_id, status, proposal_id from public.approvals where id = ${request.params.id}`);
    if (!approval) throw new HttpProblem(404, 'not-found', `No approval ${request.params.id}`);
    if (!options.temporal) throw new HttpProblem(503, 'unavailable', 'Temporal is not configured for this API');
    if (approval.status !== 'pending') throw new HttpProblem(409, 'conflict', `This approval is already ${approval.status}`);
    const decidedBy = { memberId: caller.actorId, role: caller.role };
    const body0 = request.body;
    if (approval.proposalId) {
      // A change a call note proposed (stage, amount, close date, a new contact, a role): approved or rejected, as is.
      if (body0.decision !== 'approve' && body0.decision !== 'reject') throw new HttpProblem(400, 'invalid-request', 'A proposed CRM change is approved or rejected', [{ field: 'body.decision', message: 'must be approve or reject' }]);
      return decideThrough(() => options.temporal!.workflow.getHandle(approval.workflowId).executeUpdate(decideProposalUpdate, {
        args: [{ approvalId: request.params.id, decision: body0.decision as 'approve' | 'reject', decidedBy }],
        updateId: `decide-${request.id}`,
      }));
    }
    // Text (edits, instructions) is stored as a draft revision; the workflow gets its id only (ADR-0007).
    const body = request.body;
    let revisionId: string | null = null;
    if (body.decision === 'approve_with_edits' || body.decision === 'regenerate') {
      const [message] = await request.withDb((tx) => tx<{ orgId: string; messageId: string }[]>`
        select org_id, message_id from public.approvals where id = ${request.params.id}`);
      revisionId = await app.db.asService((tx) =>
        outboundRepository.addRevision(tx, {
          orgId: message!.orgId,
          messageId: message!.messageId,
          createdByMemberId: caller.actorId,
          ...(body.decision === 'approve_with_edits' ? { kind: 'edit' as const, subject: body.subject, bodyText: body.bodyText } : { kind: 'regenerate' as const, instructions: body.instructions }),
        }),
      );
    }
    const decision = approvalDecisionSchema.parse({ decision: body.decision, ...(revisionId ? { revisionId } : {}), decidedBy });
    // The request id as update id: a retried HTTP request does not decide twice.
    return decideThrough(() => options.temporal!.workflow.getHandle(approval.workflowId).executeUpdate(decideUpdate, { args: [decision], updateId: `decide-${request.id}` }));
  });

  r.get('/v1/outbox', {
    config: { permission: ['outbox', 'read'] },
    schema: { tags: ['Outbound'], summary: 'The offline outbox of the embedded default: emails stored, NOT sent', response: { 200: z.object({ data: z.array(outboxSchema) }), ...errors } },
  }, async (request) => {
    const rows = await request.withDb((tx) => tx<Array<z.infer<typeof outboxSchema>>>`
      select id, org_id, idempotency_key, from_header, to_address, reply_to, subject, body_text, headers, rfc_message_id, created_at, true as not_sent
      from public.outbox order by created_at desc limit 200`);
    return { data: rows };
  });

  // One-click unsubscribe. GET only shows a page (mail scanners fetch links); the POST — from the mail client's
  // List-Unsubscribe-Post, or the page's button — suppresses the address.
  r.get('/u/:token', { config: { auth: 'none' }, schema: { hide: true, params: z.object({ token: z.string().max(500) }) } }, async (request, reply) => {
    const claim = options.links.verifyUnsubscribeToken(request.params.token);
    reply.type('text/html; charset=utf-8');
    if (!claim) return reply.code(404).send(unsubscribePage('Link not valid', '<h1>This unsubscribe link is not valid</h1>'));
    return unsubscribePage('Unsubscribe', `<h1>Unsubscribe</h1><p>Stop receiving emails from this sender?</p><form method="post"><button type="submit">Unsubscribe</button></form>`);
  });

  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => done(null, body));
  r.post('/u/:token', { config: { auth: 'none' }, schema: { hide: true, params: z.object({ token: z.string().max(500) }) } }, async (request, reply) => {
    const claim = options.links.verifyUnsubscribeToken(request.params.token);
    reply.type('text/html; charset=utf-8');
    if (!claim) return reply.code(404).send(unsubscribePage('Link not valid', '<h1>This unsubscribe link is not valid</h1>'));
    const cadences = await app.db.asService(async (tx) => {
      const [message] = await tx<{ toAddress: string | null; contactId: string }[]>`
        select to_address, contact_id from public.outbound_messages where org_id = ${claim.orgId} and id = ${claim.messageId}`;
      if (!message?.toAddress) return [];
      const suppressionId = await suppressionsRepository.suppress(tx, claim.orgId, message.toAddress, 'unsubscribed', 'one-click');
      await tx`insert into public.audit_log ${tx({ orgId: claim.orgId, actorType: 'system', actorId: null, action: 'suppressions.unsubscribe', subjectType: 'suppression', subjectId: suppressionId, after: tx.json({ via: 'one-click', messageId: claim.messageId }) })}`;
      // Every running cadence of this person stops, not only the one that sent this email.
      return cadenceRepository.activeWorkflowIds(tx, claim.orgId, message.contactId);
    });
    for (const workflowId of cadences) {
      // The suppression already blocks every later send; a cadence that cannot be signalled now stops at its next send.
      await options.temporal?.workflow.getHandle(workflowId).signal(cadenceEventSignal, { eventId: `unsubscribe:${claim.messageId}`, kind: 'unsubscribed' }).catch((err: unknown) => request.log.warn({ err, workflowId }, 'could not signal the cadence'));
    }
    return unsubscribePage('Unsubscribed', '<h1>You are unsubscribed</h1><p>You will not receive further emails from this sender.</p>');
  });


}
