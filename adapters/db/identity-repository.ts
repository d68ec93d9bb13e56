// Merging two contacts and undoing it exactly (SQL). A merge moves every row that refers to the losing contact to
// the survivor (recording each moved row's id), keeps per field the better value (domain/survivorship.ts: most
// complete, then source priority, then most recent; emails are united; the stronger lawful basis and any
// do-not-contact are kept), and stores both originals;
// an un-merge puts the loser back with its own id, moves exactly those rows back, and restores the survivor.
import type { Tx } from './client.ts';
import { auditLogRepository } from './audit-log-repository.ts';
import { cadenceRepository } from './cadence-repository.ts';
import type { FieldSource } from '../../domain/lead-import.ts';
import { survivingValue } from '../../domain/survivorship.ts';
import { NotFoundError, PolicyViolationError, ValidationError } from '../../domain/errors.ts';

/** Tables whose rows point at a contact, moved to the survivor on merge and back on un-merge. */
const referencing = ['activities', 'tasks', 'signals', 'outbound_messages', 'enrolments', 'import_rows'] as const;
/** Fields the survivor takes from the loser when its own is empty. */
const fillable = ['first_name', 'last_name', 'title', 'phone_e164', 'linkedin_url', 'country', 'time_zone', 'department', 'seniority', 'account_id'] as const;
/** field_sources names fields as the app does (camelCase); the row read as JSON has column names. */
const fieldName = (column: string) => column.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
const basisRank: Record<string, number> = { none: 0, legitimate_interest: 1, contract: 2, consent: 3 };

type ContactRow = Record<string, unknown> & { id: string; emails: string[]; email_keys: string[]; lawful_basis: string; lawful_basis_source: string | null; do_not_contact: boolean; erased_at: string | null; field_sources: Record<string, unknown> };

export interface MergeResult {
  mergeId: string;
  /** The loser's cadences that were running: each now belongs to the survivor, or is stopped when the survivor has its own. */
  cadences: Array<{ workflowId: string; action: 'follow' | 'stop' }>;
}

// Rows are read and stored as JSON text: the client camel-cases JSON keys it reads, and the undo needs the
// columns' own names (jsonb_populate_record).
async function row(tx: Tx, orgId: string, id: string): Promise<ContactRow | undefined> {
  const [r] = await tx<{ row: string }[]>`select to_jsonb(c)::text as row from public.contacts c where org_id = ${orgId} and id = ${id} for update`;
  return r ? (JSON.parse(r.row) as ContactRow) : undefined;
}

export const identityRepository = {
  async merge(tx: Tx, m: { orgId: string; survivorId: string; loserId: string; reason: string; memberId: string | null }): Promise<MergeResult> {
    if (m.survivorId === m.loserId) throw new ValidationError('A contact cannot be merged into itself');
    // Both locked, in id order (two merges of the same pair cannot deadlock).
    const [first, second] = [m.survivorId, m.loserId].sort();
    await row(tx, m.orgId, first!);
    await row(tx, m.orgId, second!);
    const survivor = await row(tx, m.orgId, m.survivorId);
    const loser = await row(tx, m.orgId, m.loserId);
    if (!survivor || !loser) throw new NotFoundError('Both contacts must exist in this organisation');
    if (survivor.erased_at || loser.erased_at) throw new PolicyViolationError('An erased contact is not merged');

    const survivorCadences = await cadenceRepository.activeWorkflowIds(tx, m.orgId, m.survivorId);
    const loserCadences = await cadenceRepository.activeWorkflowIds(tx, m.orgId, m.loserId);

    // Stakeholder rows that would repeat one of the survivor's (same deal and role) are removed, and kept for undo.
    const removedStakeholders = await tx<{ row: string }[]>`
      delete from public.stakeholders s where s.org_id = ${m.orgId} and s.contact_id = ${m.loserId}
        and exists (select 1 from public.stakeholders t where t.contact_id = ${m.survivorId} and t.deal_id = s.deal_id and t.role = s.role)
      returning to_jsonb(s)::text as row`;
    const moved: Record<string, string[]> = {};
    for (const table of [...referencing, 'stakeholders'] as const) {
      const ids = await tx<{ id: string }[]>`update ${tx(`public.${table}`)} set contact_id = ${m.survivorId} where org_id = ${m.orgId} and contact_id = ${m.loserId} returning id`;
      moved[table] = ids.map((r) => r.id);
    }
    const runs = await tx<{ workflowId: string }[]>`update public.process_runs set subject_id = ${m.survivorId} where org_id = ${m.orgId} and subject_type = 'contact' and subject_id = ${m.loserId} returning workflow_id`;
    moved.process_runs = runs.map((r) => r.workflowId);

    // Survivorship per field (domain/survivorship.ts); emails united; the stronger basis; any do-not-contact.
    const changes: Record<string, unknown> = {};
    const sourceOf = (r: ContactRow, column: string) => ((r.field_sources ?? {}) as Record<string, FieldSource>)[fieldName(column)] ?? null;
    for (const field of fillable) {
      const keep = survivingValue({ value: survivor[field], source: sourceOf(survivor, field) }, { value: loser[field], source: sourceOf(loser, field) });
      if (keep === 'loser' && loser[field] !== survivor[field]) changes[field] = loser[field];
    }
    const emails = [...new Set([...survivor.emails, ...loser.emails])].slice(0, 10);
    if (emails.length !== survivor.emails.length) changes.emails = emails;
    const keys = [...new Set([...survivor.email_keys, ...loser.email_keys])];
    if (keys.length !== survivor.email_keys.length) changes.email_keys = keys;
    if ((basisRank[loser.lawful_basis] ?? 0) > (basisRank[survivor.lawful_basis] ?? 0)) {
      changes.lawful_basis = loser.lawful_basis;
      changes.lawful_basis_source = loser.lawful_basis_source;
    }
    if (loser.do_not_contact && !survivor.do_not_contact) changes.do_not_contact = true;
    // Each field keeps the source of the value it now holds.
    const sources: Record<string, unknown> = { ...loser.field_sources, ...survivor.field_sources };
    for (const field of Object.keys(changes)) {
      const from = sourceOf(loser, field);
      if (from) sources[fieldName(field)] = from;
    }
    await tx`delete from public.contacts where org_id = ${m.orgId} and id = ${m.loserId}`;
    // (postgres.js turns camelCase keys into columns; these are already column names, which it leaves as they are.)
    if (Object.keys(changes).length > 0) await tx`update public.contacts set ${tx({ ...changes } as Record<string, unknown>)} where org_id = ${m.orgId} and id = ${m.survivorId}`;
    await tx`update public.contacts set field_sources = ${JSON.stringify(sources)}::text::jsonb where org_id = ${m.orgId} and id = ${m.survivorId}`;

    const snapshot = { survivor, loser, moved, removed: { stakeholders: removedStakeholders.map((r) => JSON.parse(r.row) as Record<string, unknown>) } };
    const [merge] = await tx<{ id: string }[]>`insert into public.contact_merges (org_id, survivor_id, loser_id, snapshot, reason, merged_by_member_id)
      values (${m.orgId}, ${m.survivorId}, ${m.loserId}, ${JSON.stringify(snapshot)}::text::jsonb, ${m.reason}, ${m.memberId}) returning id`;
    await auditLogRepository.record(tx, {
      orgId: m.orgId, actorType: m.memberId ? 'member' : 'system', actorId: m.memberId, action: 'contacts.merge', subjectType: 'contact', subjectId: m.survivorId,
      before: { survivor, loser }, after: { mergeId: merge!.id, survivorChanges: changes, moved: Object.fromEntries(Object.entries(moved).map(([t, ids]) => [t, ids.length])) }, reason: m.reason,
    });
    return {
      mergeId: merge!.id,
      cadences: loserCadences.map((workflowId) => ({ workflowId, action: survivorCadences.length > 0 ? ('stop' as const) : ('follow' as const) })),
    };
  },

  /** Undoes a merge: the loser back with its id and values, the moved rows back to it, the survivor as it was. */
  async unmerge(tx: Tx, u: { orgId: string; mergeId: string; memberId: string | null }) {
    const [merge] = await tx<{ survivorId: string; loserId: string; snapshot: string; unmergedAt: string | null }[]>`
      select survivor_id, loser_id, snapshot::text as snapshot, unmerged_at from public.contact_merges where org_id = ${u.orgId} and id = ${u.mergeId} for update`;
    if (!merge) throw new NotFoundError(`No merge ${u.mergeId}`);
    if (merge.unmergedAt) throw new PolicyViolationError('This merge was already undone');
    const { survivor, loser, moved, removed } = JSON.parse(merge.snapshot) as { survivor: ContactRow; loser: ContactRow; moved: Record<string, string[]>; removed: { stakeholders: Array<Record<string, unknown>> } };
    const [exists] = await tx`select 1 from public.contacts where org_id = ${u.orgId} and id = ${merge.loserId}`;
    if (exists) throw new PolicyViolationError('The merged-away contact exists again: undo by hand');
    const columns = Object.keys(survivor).filter((c) => c !== 'id' && c !== 'org_id');
    await tx`insert into public.contacts select * from jsonb_populate_record(null::public.contacts, ${JSON.stringify(loser)}::text::jsonb)`;
    for (const table of [...referencing, 'stakeholders'] as const) {
      const ids = moved[table] ?? [];
      if (ids.length > 0) await tx`update ${tx(`public.${table}`)} set contact_id = ${merge.loserId} where org_id = ${u.orgId} and id = any(${ids}::uuid[])`;
    }
    if ((moved.process_runs ?? []).length > 0) await tx`update public.process_runs set subject_id = ${merge.loserId} where org_id = ${u.orgId} and workflow_id = any(${moved.process_runs!}::text[])`;
    for (const stakeholder of removed.stakeholders) await tx`insert into public.stakeholders select * from jsonb_populate_record(null::public.stakeholders, ${JSON.stringify(stakeholder)}::text::jsonb)`;
    await tx`update public.contacts c set (${tx(columns)}) = (select ${tx(columns)} from jsonb_populate_record(null::public.contacts, ${JSON.stringify(survivor)}::text::jsonb)) where c.org_id = ${u.orgId} and c.id = ${merge.survivorId}`;
    await tx`update public.contact_merges set unmerged_at = now(), unmerged_by_member_id = ${u.memberId} where id = ${u.mergeId}`;
    // A person undid it: they are two people, and the sweep must not merge them again by itself.
    const [a, b] = [merge.survivorId, merge.loserId].sort();
    await tx`update public.match_reviews set status = 'kept_apart', decided_by_member_id = ${u.memberId}, decided_at = now() where org_id = ${u.orgId} and contact_a = ${a!} and contact_b = ${b!}`;
    await auditLogRepository.record(tx, { orgId: u.orgId, actorType: u.memberId ? 'member' : 'system', actorId: u.memberId, action: 'contacts.unmerge', subjectType: 'contact', subjectId: merge.survivorId, before: null, after: { mergeId: u.mergeId, restored: merge.loserId }, reason: 'un-merge' });
    // The loser's enrolments went back with it: their workflows keep their ids (the contact id in them is the loser's).
    return { survivorId: merge.survivorId, loserId: merge.loserId, cadences: await cadenceRepository.activeWorkflowIds(tx, u.orgId, merge.loserId) };
  },
};
