// Activities of the lead import workflow: count the file's rows, then import them chunk by chunk — each line once
// (recorded in import_rows in the same transaction as its effects, so a retried or taken-over chunk skips the lines
// already done), heartbeating progress.
import { heartbeat } from '@temporalio/activity';
import { applyEnrichment, upsertLead, type LeadContext, type LeadOutcome } from '../adapters/db/leads-repository.ts';
import { parseLeadCsv, rowToRaw } from '../adapters/leads/csv.ts';
import { NotFoundError } from '../domain/errors.ts';
import { columnMappingSchema, normaliseLead } from '../domain/lead-import.ts';
import type { ActivityDeps } from './index.ts';

export function createLeadImportActivities(deps: Pick<ActivityDeps, 'db' | 'storage' | 'enricher'>) {
  const { db } = deps;
  // Parsed files, so the chunks of one import do not each parse it again (a process keeps the last two).
  const parsed = new Map<string, ReturnType<typeof parseLeadCsv>>();

  const batchOf = async (orgId: string, batchId: string) => {
    const [batch] = await db.asService((tx) => tx<{ storageKey: string | null; mapping: unknown; source: string; lawfulBasis: string; lawfulBasisSource: string | null; createdByMemberId: string | null; enrich: boolean }[]>`
      select storage_key, mapping, source, lawful_basis, lawful_basis_source, created_by_member_id, enrich from public.import_batches where org_id = ${orgId} and id = ${batchId}`);
    if (!batch?.storageKey) throw new NotFoundError(`import ${batchId} has no file`);
    return { ...batch, mapping: columnMappingSchema.parse(batch.mapping) };
  };
  const fileOf = async (batchId: string, storageKey: string) => {
    const cached = parsed.get(batchId);
    if (cached) return cached;
    if (!deps.storage) throw new NotFoundError('no file storage configured for imports');
    const { body } = await deps.storage.get(storageKey);
    const file = parseLeadCsv(new TextDecoder().decode(body));
    parsed.set(batchId, file);
    if (parsed.size > 2) parsed.delete(parsed.keys().next().value!);
    return file;
  };

  return {
    async prepareLeadImport(input: { orgId: string; batchId: string }) {
      const batch = await batchOf(input.orgId, input.batchId);
      const file = await fileOf(input.batchId, batch.storageKey!);
      await db.asService((tx) => tx`update public.import_batches set total_rows = ${file.rows.length}, status = 'running', started_at = coalesce(started_at, now()) where org_id = ${input.orgId} and id = ${input.batchId}`);
      return { totalRows: file.rows.length };
    },

    /** Rows [from, to) of the file: each line once (skipped when already recorded), heartbeating its progress. */
    async importLeadChunk(input: { orgId: string; batchId: string; from: number; to: number }) {
      const batch = await batchOf(input.orgId, input.batchId);
      const file = await fileOf(input.batchId, batch.storageKey!);
      const rows = file.rows.slice(input.from, input.to);
      // Lines of this chunk already recorded (a retried or taken-over chunk): skipped.
      const lines = rows.map((r) => r.line);
      const done = new Set((await db.asService((tx) => tx<{ line: number }[]>`
        select line from public.import_rows where batch_id = ${input.batchId} and line between ${Math.min(...lines)} and ${Math.max(...lines)}`)).map((r) => r.line));
      const ctx: Omit<LeadContext, 'nowIso'> = { orgId: input.orgId, source: batch.source, batchId: input.batchId, lawfulBasis: batch.lawfulBasis, lawfulBasisSource: batch.lawfulBasisSource, actor: batch.createdByMemberId ? { type: 'member', id: batch.createdByMemberId } : { type: 'system', id: null } };
      for (const [i, row] of rows.entries()) {
        if (i % 25 === 0) heartbeat({ row: input.from + i });
        if (done.has(row.line)) continue;
        const lead = 'error' in row ? null : normaliseLead(rowToRaw(file.headers, row.values, batch.mapping));
        // Enrichment (when asked) is a read from a provider, done before the line's transaction so that the line's
        // effects, its enrichment and its record commit together.
        const enriched = lead?.ok && batch.enrich && deps.enricher
          ? (await deps.enricher.enrich({ orgId: input.orgId, person: { email: lead.lead.emails[0]?.address ?? null, firstName: lead.lead.firstName, lastName: lead.lead.lastName, title: lead.lead.title, companyName: lead.lead.company?.name ?? null, companyDomain: lead.lead.domain, linkedinUrl: lead.lead.linkedinUrl, phoneE164: lead.lead.phoneE164, country: lead.lead.country } })).fields
          : [];
        await db.asService(async (tx) => {
          let outcome: LeadOutcome;
          if ('error' in row) outcome = { outcome: 'failed', reason: row.error };
          else if (!lead!.ok) outcome = { outcome: 'failed', reason: lead!.reason };
          else {
            const lineCtx = { ...ctx, nowIso: new Date().toISOString() };
            outcome = await upsertLead(tx, lineCtx, lead!.lead);
            if ('contactId' in outcome && enriched.length > 0) {
              const filled = await applyEnrichment(tx, lineCtx, outcome.contactId, enriched);
              if (filled.length > 0 && outcome.outcome === 'unchanged') outcome = { ...outcome, outcome: 'updated' };
            }
          }
          await tx`insert into public.import_rows ${tx({ orgId: input.orgId, batchId: input.batchId, line: row.line, outcome: outcome.outcome, contactId: 'contactId' in outcome ? outcome.contactId : null, reason: 'reason' in outcome ? outcome.reason : null })}
            on conflict (batch_id, line) do nothing`;
        });
      }
      return { rows: input.to - input.from };
    },

    async finishLeadImport(input: { orgId: string; batchId: string; status: 'completed' | 'failed'; reason: string | null }) {
      await db.asService((tx) => tx`update public.import_batches set status = ${input.status}, status_reason = ${input.reason}, finished_at = now() where org_id = ${input.orgId} and id = ${input.batchId}`);
      parsed.delete(input.batchId);
    },
  };
}
