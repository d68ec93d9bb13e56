// Lead intake over HTTP: upload a CSV (stored through the storage port; its columns auto-mapped and shown with a
// preview), start its import (a workflow with progress), follow it, see each failed line with its reason; and leads
// one by one or in bulk as JSON, through the same rules. Web forms post signed hooks (webhooks.ts, "lead.submitted").
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Client } from '@temporalio/client';
import { z } from 'zod';
import type { FileStorage } from '../../adapters/storage/port.ts';
import { upsertLead } from '../../adapters/db/leads-repository.ts';
import { parseLeadCsv, rowToRaw } from '../../adapters/leads/csv.ts';
import { columnMappingSchema, detectMapping, leadFieldSchema, mappingProblems, normaliseLead } from '../../domain/lead-import.ts';
import { lawfulBasisSchema } from '../../domain/objects.ts';
import { leadImportWorkflowId } from '../../workflows/lead-import/messages.ts';
import { HttpProblem } from '../problem.ts';
import { audit, crudRoutes } from './crud.ts';
import { problemSchema } from './schemas.ts';

const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema, 413: problemSchema, 429: problemSchema, 503: problemSchema };
const idParams = z.object({ id: z.uuid() });
const MAX_FILE_BYTES = 20 * 1024 * 1024;

export async function importRoutes(app: FastifyInstance, options: { storage: FileStorage | null; temporal: Client | null; taskQueue: string }) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  crudRoutes(app, {
    resource: 'import_batches',
    path: '/v1/imports',
    tag: 'Leads',
    subjectType: 'organisation',
    rowSchema: z.object({
      id: z.uuid(), orgId: z.uuid(), source: z.string(), fileName: z.string().nullable(), headers: z.array(z.string()), mapping: z.record(z.string(), z.string().nullable()),
      lawfulBasis: z.string(), status: z.string(), statusReason: z.string().nullable(), totalRows: z.int().nullable(), workflowId: z.string().nullable(),
      createdAt: z.string(), startedAt: z.string().nullable(), finishedAt: z.string().nullable(),
    }),
    columns: ['id', 'org_id', 'source', 'file_name', 'headers', 'mapping', 'lawful_basis', 'status', 'status_reason', 'total_rows', 'workflow_id', 'created_at', 'started_at', 'finished_at'],
    filters: { status: { column: 'status', schema: z.enum(['uploaded', 'running', 'completed', 'failed']) } },
  });

  // The file arrives as the request body (text/csv), so a browser or curl can send it as is.
  await app.register(async (upload) => {
    upload.addContentTypeParser(['text/csv', 'application/csv', 'text/plain'], { parseAs: 'buffer', bodyLimit: MAX_FILE_BYTES }, (_request, body, done) => done(null, body));
    upload.withTypeProvider<ZodTypeProvider>().post('/v1/imports', {
      config: { permission: ['import_batches', 'create'] },
      schema: {
        tags: ['Leads'],
        summary: 'Upload a CSV of leads (Content-Type: text/csv): the columns are mapped automatically (Sales Navigator exports, Apollo, HubSpot, generic) and the first rows previewed; nothing is imported until started',
        querystring: z.object({ fileName: z.string().min(1).max(200).regex(/^[^/\\]+$/).default('leads.csv') }),
        body: z.instanceof(Buffer).describe('The CSV file'),
        response: { 201: z.object({ id: z.uuid(), source: z.string(), headers: z.array(z.string()), mapping: z.record(z.string(), leadFieldSchema.nullable()), problems: z.array(z.string()), totalRows: z.int(), preview: z.array(z.object({ line: z.int(), lead: z.unknown().nullable(), error: z.string().nullable() })) }), ...errors },
      },
    }, async (request, reply) => {
      if (!options.storage) throw new HttpProblem(503, 'unavailable', 'No file storage is configured for this API');
      const caller = request.caller!;
      let file: ReturnType<typeof parseLeadCsv>;
      try {
        file = parseLeadCsv(new TextDecoder('utf-8', { fatal: true }).decode(request.body));
      } catch (err) {
        throw new HttpProblem(400, 'invalid-request', err instanceof TypeError ? 'The file is not UTF-8 text: export it as CSV (UTF-8)' : (err as Error).message);
      }
      const detected = detectMapping(file.headers);
      const stored = await options.storage.put({ orgId: caller.orgId, kind: 'import', fileName: request.query.fileName, contentType: 'text/csv', body: request.body });
      const id = await app.db.asService(async (tx) => {
        const [row] = await tx<{ id: string }[]>`insert into public.import_batches ${tx({
          orgId: caller.orgId, source: detected.source, fileName: request.query.fileName, storageKey: stored.ref, headers: file.headers, mapping: tx.json(detected.mapping as never),
          totalRows: file.rows.length, createdByMemberId: caller.kind === 'member' ? caller.actorId : null,
        })} returning id`;
        return row!.id;
      });
      const preview = file.rows.slice(0, 5).map((row) => {
        if ('error' in row) return { line: row.line, lead: null, error: row.error };
        const lead = normaliseLead(rowToRaw(file.headers, row.values, detected.mapping));
        return lead.ok ? { line: row.line, lead: lead.lead, error: null } : { line: row.line, lead: null, error: lead.reason };
      });
      return reply.code(201).send({ id, source: detected.source, headers: file.headers, mapping: detected.mapping, problems: mappingProblems(detected.mapping), totalRows: file.rows.length, preview });
    });
  });

  r.post('/v1/imports/:id/start', {
    config: { permission: ['import_batches', 'create'] },
    schema: {
      tags: ['Leads'],
      summary: 'Start importing an uploaded file, with the mapping as shown or corrected, and the lawful basis the leads were collected under',
      params: idParams,
      body: z.strictObject({ mapping: columnMappingSchema.optional(), lawfulBasis: lawfulBasisSchema, lawfulBasisSource: z.string().min(1).max(300).nullable().default(null), enrich: z.boolean().default(false) }),
      response: { 200: z.object({ workflowId: z.string() }), ...errors },
    },
  }, async (request) => {
    const [batch] = await request.withDb((tx) => tx<{ id: string; orgId: string; status: string; headers: string[]; mapping: Record<string, string | null> }[]>`
      select id, org_id, status, headers, mapping from public.import_batches where id = ${request.params.id}`);
    if (!batch) throw new HttpProblem(404, 'not-found', `No import ${request.params.id}`);
    if (batch.status !== 'uploaded') throw new HttpProblem(409, 'conflict', `This import is already ${batch.status}`);
    if (!options.temporal) throw new HttpProblem(503, 'unavailable', 'Temporal is not configured for this API');
    const mapping = request.body.mapping ?? columnMappingSchema.parse(batch.mapping);
    const unknown = Object.keys(mapping).filter((column) => !batch.headers.includes(column));
    if (unknown.length > 0) throw new HttpProblem(400, 'invalid-request', `The file has no column ${unknown.map((c) => JSON.stringify(c)).join(', ')}`);
    const problems = mappingProblems(mapping);
    if (problems.length > 0) throw new HttpProblem(400, 'invalid-request', `The mapping cannot import anything: ${problems.join('; ')}`);
    const workflowId = leadImportWorkflowId(batch.orgId, batch.id);
    await app.db.asService((tx) => tx`update public.import_batches set mapping = ${tx.json(mapping as never)}, lawful_basis = ${request.body.lawfulBasis}, lawful_basis_source = ${request.body.lawfulBasisSource}, enrich = ${request.body.enrich},
      workflow_id = ${workflowId}, status = 'running' where id = ${batch.id} and status = 'uploaded'`);
    await options.temporal.workflow.start('leadImportWorkflow', { taskQueue: options.taskQueue, workflowId, args: [{ orgId: batch.orgId, batchId: batch.id }], staticSummary: `Lead import ${batch.id.slice(0, 8)}` });
    await request.withDb((tx) => audit(tx, request, 'imports.start', { type: 'organisation', id: batch.orgId }, null, { batchId: batch.id, lawfulBasis: request.body.lawfulBasis }));
    return { workflowId };
  });

  r.get('/v1/imports/:id/progress', {
    config: { permission: ['import_batches', 'read'] },
    schema: {
      tags: ['Leads'], summary: 'Progress of an import: rows done by outcome (created, updated, unchanged, failed) out of the total', params: idParams,
      response: { 200: z.object({ status: z.string(), totalRows: z.int().nullable(), done: z.int(), created: z.int(), updated: z.int(), unchanged: z.int(), failed: z.int(), percent: z.number() }), ...errors },
    },
  }, async (request) => request.withDb(async (tx) => {
    const [batch] = await tx<{ status: string; totalRows: number | null }[]>`select status, total_rows from public.import_batches where id = ${request.params.id}`;
    if (!batch) throw new HttpProblem(404, 'not-found', `No import ${request.params.id}`);
    const counts = Object.fromEntries((await tx<{ outcome: string; n: number }[]>`select outcome, count(*)::int as n from public.import_rows where batch_id = ${request.params.id} group by outcome`).map((c) => [c.outcome, c.n]));
    const done = Object.values(counts).reduce((a, b) => a + b, 0);
    return { status: batch.status, totalRows: batch.totalRows, done, created: counts.created ?? 0, updated: counts.updated ?? 0, unchanged: counts.unchanged ?? 0, failed: counts.failed ?? 0, percent: batch.totalRows ? Math.round((1000 * done) / batch.totalRows) / 10 : 0 };
  }));

  r.get('/v1/imports/:id/failed-rows', {
    config: { permission: ['import_rows', 'read'] },
    schema: { tags: ['Leads'], summary: 'Each line that failed, with its reason', params: idParams, response: { 200: z.object({ data: z.array(z.object({ line: z.int(), reason: z.string().nullable() })) }), ...errors } },
  }, async (request) => request.withDb(async (tx) => {
    const [batch] = await tx`select id from public.import_batches where id = ${request.params.id}`;
    if (!batch) throw new HttpProblem(404, 'not-found', `No import ${request.params.id}`);
    return { data: await tx<{ line: number; reason: string | null }[]>`select line, reason from public.import_rows where batch_id = ${request.params.id} and outcome = 'failed' order by line limit 5000` };
  }));

  r.post('/v1/leads', {
    config: { permission: ['import_batches', 'create'] },
    schema: {
      tags: ['Leads'],
      summary: 'Leads as JSON, one or up to 500: each normalised, deduplicated by email, LinkedIn URL or phone, merged by source priority; a result per lead',
      body: z.strictObject({
        lawfulBasis: lawfulBasisSchema,
        lawfulBasisSource: z.string().min(1).max(300).nullable().default(null),
        records: z.array(z.partialRecord(leadFieldSchema, z.string().max(500))).min(1).max(500),
      }),
      response: { 200: z.object({ results: z.array(z.object({ index: z.int(), outcome: z.enum(['created', 'updated', 'unchanged', 'failed']), contactId: z.uuid().nullable(), reason: z.string().nullable() })) }), ...errors },
    },
  }, async (request) => {
    const caller = request.caller!;
    const results = [];
    for (const [index, record] of request.body.records.entries()) {
      const lead = normaliseLead(record);
      if (!lead.ok) {
        results.push({ index, outcome: 'failed' as const, contactId: null, reason: lead.reason });
        continue;
      }
      const outcome = await app.db.asService((tx) => upsertLead(tx, {
        orgId: caller.orgId, source: 'api', batchId: null, lawfulBasis: request.body.lawfulBasis, lawfulBasisSource: request.body.lawfulBasisSource,
        actor: { type: caller.kind, id: caller.actorId }, nowIso: new Date().toISOString(),
      }, lead.lead));
      results.push({ index, outcome: outcome.outcome, contactId: 'contactId' in outcome ? outcome.contactId : null, reason: 'reason' in outcome ? outcome.reason : null });
    }
    return { results };
  });
}
