// Call notes over HTTP: post notes or a transcript (the process starts at once), follow what was proposed — each
// change with its quote, whether it applied or waits for a person (decided through /v1/approvals) — and read the
// meeting prep briefs. A call recorder posts the same thing as a signed hook ("call.recorded", webhooks.ts).
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Client } from '@temporalio/client';
import { z } from 'zod';
import { recordCallNote } from '../../adapters/db/call-notes-repository.ts';
import type { FileStorage } from '../../adapters/storage/port.ts';
import { callNoteIntakeSchema } from '../../domain/call-note-intake.ts';
import { callNotesWorkflowId } from '../../workflows/call-notes/messages.ts';
import { HttpProblem } from '../problem.ts';
import { audit, crudRoutes } from './crud.ts';
import { problemSchema } from './schemas.ts';

const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema, 429: problemSchema, 503: problemSchema };
const ts = z.string();
const uuidOrNull = z.uuid().nullable();

const callNoteSchema = z.object({
  id: z.uuid(), orgId: z.uuid(), source: z.string(), format: z.string(), title: z.string().nullable(), occurredAt: ts, transcriptText: z.string().nullable(),
  dealId: uuidOrNull, accountId: uuidOrNull, contactId: uuidOrNull, ownerMemberId: z.uuid(), status: z.string(), statusReason: z.string().nullable(),
  extractor: z.string().nullable().describe('openai or offline'), model: z.string().nullable(), promptVersion: z.string().nullable().describe('The prompt template (or offline rule set) version that produced the proposals'),
  extractorLabel: z.string().nullable(), fallbackReason: z.string().nullable().describe('Why the offline extractor stood in for the AI'), summary: z.string().nullable(),
  droppedCount: z.int().describe('Proposals dropped because their quote is not in the notes'), dropped: z.array(z.unknown()), activityId: uuidOrNull, workflowId: z.string(), createdAt: ts,
});
const proposalSchema = z.object({
  id: z.uuid(), orgId: z.uuid(), callNoteId: z.uuid(), ordinal: z.int(), kind: z.string(), targetType: z.string().nullable(), targetId: uuidOrNull,
  before: z.unknown(), after: z.unknown(), quote: z.string().describe('The exact words of the notes that justify the change'), confidence: z.number(),
  policy: z.enum(['apply', 'approve']), status: z.string(), statusReason: z.string().nullable(), resultRef: uuidOrNull, decidedByMemberId: uuidOrNull, decidedAt: ts.nullable(), createdAt: ts,
});
const briefSchema = z.object({
  id: z.uuid(), orgId: z.uuid(), meetingActivityId: z.uuid(), meetingStartAt: ts, dueAt: ts, status: z.enum(['scheduled', 'ready', 'cancelled']),
  documentId: uuidOrNull, ownerMemberId: uuidOrNull, workflowId: z.string(), createdAt: ts,
});

export async function callNoteRoutes(app: FastifyInstance, options: { temporal: Client | null; taskQueue: string; storage: FileStorage | null }) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  crudRoutes(app, {
    resource: 'call_notes',
    path: '/v1/call-notes',
    tag: 'Call notes',
    subjectType: 'activity',
    rowSchema: callNoteSchema,
    columns: ['id', 'org_id', 'source', 'format', 'title', 'occurred_at', 'transcript_text', 'deal_id', 'account_id', 'contact_id', 'owner_member_id', 'status', 'status_reason', 'extractor', 'model', 'prompt_version', 'extractor_label', 'fallback_reason', 'summary', 'dropped_count', 'dropped', 'activity_id', 'workflow_id', 'created_at'],
    filters: { dealId: { column: 'deal_id', schema: z.uuid() }, status: { column: 'status', schema: z.string().max(20) } },
  });

  crudRoutes(app, {
    resource: 'call_note_proposals',
    path: '/v1/call-note-proposals',
    tag: 'Call notes',
    subjectType: 'activity',
    rowSchema: proposalSchema,
    columns: ['id', 'org_id', 'call_note_id', 'ordinal', 'kind', 'target_type', 'target_id', 'before', 'after', 'quote', 'confidence', 'policy', 'status', 'status_reason', 'result_ref', 'decided_by_member_id', 'decided_at', 'created_at'],
    filters: { callNoteId: { column: 'call_note_id', schema: z.uuid() }, status: { column: 'status', schema: z.enum(['pending', 'applied', 'rejected', 'expired', 'superseded']) } },
    orderColumn: null,
  });

  crudRoutes(app, {
    resource: 'meeting_briefs',
    path: '/v1/meeting-briefs',
    tag: 'Call notes',
    subjectType: 'activity',
    rowSchema: briefSchema,
    columns: ['id', 'org_id', 'meeting_activity_id', 'meeting_start_at', 'due_at', 'status', 'document_id', 'owner_member_id', 'workflow_id', 'created_at'],
    filters: { status: { column: 'status', schema: z.enum(['scheduled', 'ready', 'cancelled']) }, ownerMemberId: { column: 'owner_member_id', schema: z.uuid() } },
    orderColumn: 'due_at',
  });

  r.post('/v1/call-notes', {
    config: { permission: ['call_notes', 'create'] },
    schema: {
      tags: ['Call notes'],
      summary: 'Post notes or a transcript (plain, "Speaker: text", WebVTT, SRT) of a call: proposals are extracted with their quotes, safe ones applied at once, the rest sent for approval',
      body: callNoteIntakeSchema.extend({
        source: z.enum(['api', 'ui']).default('api'),
        ownerMemberId: z.uuid().nullable().default(null).describe('The rep it belongs to; the caller when a member posts'),
      }),
      response: { 202: z.object({ id: z.uuid(), workflowId: z.string(), format: z.string(), dealId: uuidOrNull, accountId: uuidOrNull, contactId: uuidOrNull, ownerMemberId: z.uuid() }), ...errors },
    },
  }, async (request, reply) => {
    const caller = request.caller!;
    const body = request.body;
    const problems = { unreadable: [400, 'invalid-request'], not_found: [404, 'not-found'], unlinked: [400, 'invalid-request'], no_rep: [400, 'invalid-request'] } as const;
    const note = await app.db.asService(async (tx) => {
      const id = crypto.randomUUID();
      const recorded = await recordCallNote(tx, {
        id, workflowId: callNotesWorkflowId(caller.orgId, id), orgId: caller.orgId, source: body.source, externalId: null, note: body, occurredAt: body.occurredAt ?? new Date().toISOString(),
        ownerMemberId: body.ownerMemberId ?? (caller.kind === 'member' ? caller.actorId : null), createdByMemberId: caller.kind === 'member' ? caller.actorId : null,
      });
      if (!recorded.ok) {
        const [status, type] = problems[recorded.problem];
        throw new HttpProblem(status, type, `The notes cannot be recorded: ${recorded.message}`, [{ field: `body.${recorded.field}`, message: recorded.message }]);
      }
      await audit(tx, request, 'call_notes.create', { type: 'call_note', id: recorded.id }, null, { format: recorded.format, dealId: recorded.links.dealId, accountId: recorded.links.accountId, contactId: recorded.links.contactId });
      return recorded;
    });
    // A note that cannot be started now is saved all the same: the worker's process starter starts it.
    await options.temporal?.workflow
      .start('callNotesWorkflow', { workflowId: note.workflowId, taskQueue: options.taskQueue, args: [{ orgId: caller.orgId, callNoteId: note.id }] })
      .catch((err: unknown) => request.log.warn({ err, callNoteId: note.id }, 'could not start the call-notes process now; the process starter will'));
    const { dealId, accountId, contactId, ownerMemberId } = note.links;
    return reply.code(202).send({ id: note.id, workflowId: note.workflowId, format: note.format, dealId, accountId, contactId, ownerMemberId: ownerMemberId! });
  });

  r.get('/v1/meeting-briefs/:id/content', {
    config: { permission: ['meeting_briefs', 'read'] },
    schema: {
      tags: ['Call notes'],
      summary: 'The text of a ready meeting prep brief (markdown)',
      params: z.object({ id: z.uuid() }),
      response: { 200: z.object({ title: z.string(), markdown: z.string() }), ...errors },
    },
  }, async (request) => {
    const [brief] = await request.withDb((tx) => tx<{ status: string; storageRef: string | null; title: string | null }[]>`
      select b.status, d.storage_ref, d.title from public.meeting_briefs b left join public.documents d on d.org_id = b.org_id and d.id = b.document_id where b.id = ${request.params.id}`);
    if (!brief) throw new HttpProblem(404, 'not-found', `No meeting brief ${request.params.id}`);
    if (brief.status !== 'ready' || !brief.storageRef) throw new HttpProblem(409, 'conflict', `This brief is ${brief.status}, not ready`);
    if (!options.storage) throw new HttpProblem(503, 'unavailable', 'No file storage is configured for this API');
    const file = await options.storage.get(brief.storageRef);
    return { title: brief.title ?? 'Meeting brief', markdown: new TextDecoder().decode(file.body) };
  });
}
