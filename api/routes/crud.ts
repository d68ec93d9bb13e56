// List / get / create / update / delete for one org-scoped table, the same way for every resource: cursor
// pagination, validation of the merged record against the domain schema, audit and events in the same
// transaction, and 404 for anything row-level security hides (another organisation's id included).
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Tx } from '../../adapters/db/client.ts';
import { auditLogRepository } from '../../adapters/db/audit-log-repository.ts';
import { eventLogRepository } from '../../adapters/db/event-log-repository.ts';
import type { DomainEvent } from '../../domain/events.ts';
import type { Resource } from '../../domain/permissions.ts';
import { HttpProblem } from '../problem.ts';
import { problemSchema } from './schemas.ts';

type Row = Record<string, unknown> & { id: string };
/** The kind-specific part of a domain event; the envelope is filled in here. */
type EventDraft = { kind: DomainEvent['kind']; data: Record<string, unknown> };

export interface CrudSpec {
  resource: Resource;
  path: string;
  tag: string;
  subjectType: DomainEvent['subject']['type'];
  rowSchema: z.ZodType<Row>;
  createSchema?: z.ZodObject;
  /** Fields a PATCH may change (defaults: the create fields). */
  patchSchema?: z.ZodObject;
  columns: readonly string[];
  filters?: Record<string, { column: string; schema: z.ZodType }>;
  /** Newest first by this column (then id); null: by id only. */
  orderColumn?: string | null;
  deletable?: boolean;
  /** Fills derived fields of a merged record before it is validated (e.g. completedAt of a task). */
  derive?: (merged: Row, before: Row | null) => Row;
  created?: (row: Row) => EventDraft | null;
  updated?: (before: Row, after: Row, changed: string[]) => EventDraft[];
  /** Run after a change is committed (e.g. tell running processes); their failure does not undo the change. */
  afterCreate?: (request: FastifyRequest, row: Row) => Promise<void>;
  afterUpdate?: (request: FastifyRequest, after: Row, changed: string[]) => Promise<void>;
  afterDelete?: (request: FastifyRequest, before: Row) => Promise<void>;
}

const idParams = z.object({ id: z.uuid() });
const listQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});
const errorResponses = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema, 429: problemSchema };

const toCamel = (column: string) => column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
const toSnake = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** Patch schema from a create schema: every field optional, and no defaults (an absent field stays as it is). */
export function patchOf(create: z.ZodObject): z.ZodObject {
  const shape = Object.fromEntries(
    Object.entries(create.shape).map(([key, field]) => {
      const inner = field instanceof z.ZodDefault ? (field.unwrap() as z.ZodType) : (field as z.ZodType);
      return [key, inner.optional()];
    }),
  );
  return z.strictObject(shape);
}

function encodeCursor(row: Row, orderKey: string | null): string {
  return Buffer.from(JSON.stringify([orderKey ? row[orderKey] : null, row.id])).toString('base64url');
}

function decodeCursor(cursor: string): [string | null, string] {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(value) && value.length === 2 && typeof value[1] === 'string') return value as [string | null, string];
  } catch {
    // fall through
  }
  throw new HttpProblem(400, 'invalid-request', 'Invalid cursor', [{ field: 'querystring.cursor', message: 'not a cursor this API issued' }]);
}

export function eventEnvelope(request: FastifyRequest, subject: { type: DomainEvent['subject']['type']; id: string }, draft: EventDraft): DomainEvent {
  const caller = request.caller!;
  return {
    id: randomUUID(),
    orgId: caller.orgId,
    version: 1,
    occurredAt: new Date().toISOString(),
    source: 'api',
    actor: { type: caller.kind, id: caller.actorId },
    subject,
    correlationId: request.id,
    causationId: null,
    ...draft,
  } as DomainEvent;
}

export async function audit(tx: Tx, request: FastifyRequest, action: string, subject: { type: string; id: string }, before: unknown, after: unknown) {
  const caller = request.caller!;
  await auditLogRepository.record(tx, {
    orgId: caller.orgId,
    actorType: caller.kind,
    actorId: caller.actorId,
    action,
    subjectType: subject.type,
    subjectId: subject.id,
    before,
    after,
    reason: null,
  });
}

export function crudRoutes(app: FastifyInstance, spec: CrudSpec): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const table = `public.${spec.resource}`;
  const orderColumn = spec.orderColumn === undefined ? 'created_at' : spec.orderColumn;
  const orderKey = orderColumn ? toCamel(orderColumn) : null;
  const filters = spec.filters ?? {};
  const patchSchema = spec.patchSchema ?? (spec.createSchema ? patchOf(spec.createSchema) : undefined);

  const load = async (tx: Tx, id: string): Promise<Row> => {
    const [row] = await tx<Row[]>`select ${tx(spec.columns as string[])} from ${tx(table)} where id = ${id}`;
    if (!row) throw new HttpProblem(404, 'not-found', `No ${spec.tag.toLowerCase()} ${id}`);
    return row;
  };
  const validate = (merged: Row): Row => {
    const result = spec.rowSchema.safeParse(merged);
    if (!result.success) {
      const errors = result.error.issues.map((i) => ({ field: ['body', ...i.path.map(String)].join('.'), message: i.message }));
      throw new HttpProblem(400, 'invalid-request', `Invalid ${errors.map((e) => e.field).join(', ')}`, errors);
    }
    return result.data;
  };

  r.get(spec.path, {
    config: { permission: [spec.resource, 'read'] },
    schema: {
      tags: [spec.tag],
      summary: `List ${spec.tag.toLowerCase()}`,
      querystring: listQuery.extend(Object.fromEntries(Object.entries(filters).map(([k, f]) => [k, f.schema.optional()]))),
      response: { 200: z.object({ data: z.array(spec.rowSchema), nextCursor: z.string().nullable() }), ...errorResponses },
    },
  }, async (request) => {
    const query = request.query as Record<string, unknown> & { limit: number; cursor?: string };
    return request.withDb(async (tx) => {
      const conditions = [tx`true`];
      for (const [param, f] of Object.entries(filters)) {
        if (query[param] !== undefined) conditions.push(tx`${tx(f.column)} = ${query[param] as string}`);
      }
      if (query.cursor) {
        const [value, id] = decodeCursor(query.cursor);
        conditions.push(orderColumn ? tx`(${tx(orderColumn)}, id) < (${value}, ${id})` : tx`id < ${id}`);
      }
      const where = conditions.reduce((acc, c) => tx`${acc} and ${c}`);
      const order = orderColumn ? tx`${tx(orderColumn)} desc, id desc` : tx`id desc`;
      const rows = await tx<Row[]>`select ${tx(spec.columns as string[])} from ${tx(table)} where ${where} order by ${order} limit ${query.limit + 1}`;
      const page = rows.slice(0, query.limit);
      return { data: page, nextCursor: rows.length > query.limit ? encodeCursor(page.at(-1)!, orderKey) : null };
    });
  });

  r.get(`${spec.path}/:id`, {
    config: { permission: [spec.resource, 'read'] },
    schema: { tags: [spec.tag], summary: `Get one of ${spec.tag.toLowerCase()}`, params: idParams, response: { 200: spec.rowSchema, ...errorResponses } },
  }, async (request) => request.withDb((tx) => load(tx, request.params.id)));

  if (spec.createSchema) {
    const createSchema = spec.createSchema;
    r.post(spec.path, {
      config: { permission: [spec.resource, 'create'] },
      schema: { tags: [spec.tag], summary: `Create one of ${spec.tag.toLowerCase()}`, body: createSchema, response: { 201: spec.rowSchema, ...errorResponses } },
    }, async (request, reply) => {
      const row = await request.withDb(async (tx) => {
        const now = new Date().toISOString();
        const draft = { ...(request.body as Record<string, unknown>), id: randomUUID(), orgId: request.caller!.orgId, createdAt: now, updatedAt: now } as Row;
        // Columns a create does not set start empty (e.g. erasedAt), as the database will have them.
        for (const column of spec.columns) draft[toCamel(column)] ??= null;
        const prepared = spec.derive ? spec.derive(draft, null) : draft;
        validate(Object.fromEntries(Object.entries(prepared).filter(([k]) => spec.columns.includes(toSnake(k)))) as Row);
        const values = Object.fromEntries(Object.entries(prepared).filter(([k]) => spec.columns.includes(toSnake(k)) && k !== 'createdAt' && k !== 'updatedAt'));
        const [created] = await tx<Row[]>`insert into ${tx(table)} ${tx(jsonSafe(tx, values))} returning ${tx(spec.columns as string[])}`;
        await audit(tx, request, `${spec.resource}.create`, { type: spec.subjectType, id: created!.id }, null, created);
        const event = spec.created?.(created!);
        if (event) await eventLogRepository.append(tx, eventEnvelope(request, { type: spec.subjectType, id: created!.id }, event));
        return created!;
      });
      await spec.afterCreate?.(request, row);
      return reply.code(201).send(row);
    });
  }

  if (patchSchema) {
    r.patch(`${spec.path}/:id`, {
      config: { permission: [spec.resource, 'update'] },
      schema: { tags: [spec.tag], summary: `Change one of ${spec.tag.toLowerCase()}`, params: idParams, body: patchSchema, response: { 200: spec.rowSchema, ...errorResponses } },
    }, async (request) => {
      const { row, changed } = await request.withDb(async (tx) => {
        const before = await load(tx, request.params.id);
        const patch = request.body as Row;
        const merged = spec.derive ? spec.derive({ ...before, ...patch }, before) : { ...before, ...patch };
        validate(merged);
        const changed = Object.keys(merged).filter((k) => JSON.stringify(merged[k]) !== JSON.stringify(before[k]) && k !== 'updatedAt');
        if (changed.length === 0) return { row: before, changed };
        const values = Object.fromEntries(changed.map((k) => [k, merged[k]]));
        const [after] = await tx<Row[]>`update ${tx(table)} set ${tx(jsonSafe(tx, values))} where id = ${before.id} returning ${tx(spec.columns as string[])}`;
        await audit(tx, request, `${spec.resource}.update`, { type: spec.subjectType, id: before.id }, Object.fromEntries(changed.map((k) => [k, before[k]])), values);
        for (const event of spec.updated?.(before, after!, changed) ?? []) {
          await eventLogRepository.append(tx, eventEnvelope(request, { type: spec.subjectType, id: before.id }, event));
        }
        return { row: after!, changed };
      });
      if (changed.length > 0) await spec.afterUpdate?.(request, row, changed);
      return row;
    });
  }

  if (spec.deletable) {
    r.delete(`${spec.path}/:id`, {
      config: { permission: [spec.resource, 'delete'] },
      schema: { tags: [spec.tag], summary: `Delete one of ${spec.tag.toLowerCase()}`, params: idParams, response: { 204: z.null(), ...errorResponses } },
    }, async (request, reply) => {
      const removed = await request.withDb(async (tx) => {
        const before = await load(tx, request.params.id);
        const deleted = await tx`delete from ${tx(table)} where id = ${before.id}`;
        if (deleted.count === 0) throw new HttpProblem(403, 'forbidden', `Your role may not delete this ${spec.tag.toLowerCase()}`);
        await audit(tx, request, `${spec.resource}.delete`, { type: spec.subjectType, id: before.id }, before, null);
        return before;
      });
      await spec.afterDelete?.(request, removed);
      return reply.code(204).send(null);
    });
  }
}

/** jsonb columns need tx.json; arrays of text stay arrays. */
function jsonSafe(tx: Tx, values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(values).map(([k, v]) => [k, v !== null && typeof v === 'object' && !(Array.isArray(v) && v.every((x) => typeof x === 'string')) ? tx.json(v as never) : v]),
  );
}
