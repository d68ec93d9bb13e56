// Lead intake in the database (SQL; the rules are domain/lead-import.ts): one normalised lead into the organisation's
// accounts and contacts, deduplicated by exact keys (normalised email, LinkedIn profile URL, E.164 phone; companies
// by registrable domain, then name key), merged per field by source priority (mergeFields), with the change in the
// audit log and the event log. Used by the import workflow's activity, the API (single and bulk) and the form hook.
import { randomUUID } from 'node:crypto';
import type { Tx } from './client.ts';
import { auditLogRepository } from './audit-log-repository.ts';
import { eventLogRepository } from './event-log-repository.ts';
import { mergeFields, type FieldSource, type NormalisedLead } from '../../domain/lead-import.ts';

export type LeadOutcome = { outcome: 'created' | 'updated' | 'unchanged'; contactId: string } | { outcome: 'failed'; reason: string };

export interface LeadContext {
  orgId: string;
  source: string;
  batchId: string | null;
  lawfulBasis: string;
  lawfulBasisSource: string | null;
  actor: { type: 'member' | 'api_key' | 'system'; id: string | null };
  nowIso: string;
}

// Contact fields the event log may name (domain/events.ts: contact.updated lists the canonical fields).
const eventFields: Record<string, string> = { firstName: 'firstName', lastName: 'lastName', title: 'title', phoneE164: 'phoneE164', timeZone: 'timeZone', country: 'country', accountId: 'accountId', emails: 'emails', lawfulBasis: 'lawfulBasis' };

async function upsertAccount(tx: Tx, ctx: LeadContext, lead: NormalisedLead): Promise<string | null> {
  if (!lead.domain && !lead.company) return null;
  const source: FieldSource = { source: ctx.source, batchId: ctx.batchId, at: ctx.nowIso };
  const [byDomain] = lead.domain ? await tx<{ id: string; name: string; nameKey: string | null; domain: string | null; fieldSources: Record<string, FieldSource> }[]>`
    select id, name, name_key, domain, field_sources from public.accounts where org_id = ${ctx.orgId} and domain = ${lead.domain} order by created_at limit 1` : [];
  const [byName] = !byDomain && lead.company ? await tx<{ id: string; name: string; nameKey: string | null; domain: string | null; fieldSources: Record<string, FieldSource> }[]>`
    select id, name, name_key, domain, field_sources from public.accounts where org_id = ${ctx.orgId} and name_key = ${lead.company.matchKey} order by created_at limit 1` : [];
  const existing = byDomain ?? byName;
  if (existing) {
    // "ACME, Inc." and "Acme Inc" are one name written two ways: the first one stays (no flip-flopping per row).
    const sameName = lead.company !== null && lead.company.matchKey === existing.nameKey;
    const merged = mergeFields({ current: { name: existing.name, domain: existing.domain }, currentSources: existing.fieldSources, incoming: { name: sameName ? null : (lead.company?.name ?? null), domain: lead.domain }, source });
    if (Object.keys(merged.changes).length > 0) {
      await tx`update public.accounts set ${tx({ ...merged.changes, ...(merged.changes.name ? { nameKey: lead.company!.matchKey } : {}), fieldSources: tx.json(merged.sources as never) })} where id = ${existing.id}`;
      await auditLogRepository.record(tx, { orgId: ctx.orgId, actorType: ctx.actor.type, actorId: ctx.actor.id, action: 'accounts.update', subjectType: 'account', subjectId: existing.id, before: Object.fromEntries(Object.keys(merged.changes).map((k) => [k, existing[k as 'name' | 'domain']])), after: merged.changes, reason: `import (${ctx.source})` });
    }
    return existing.id;
  }
  const name = lead.company?.name ?? null;
  if (!name) return null; // a domain alone does not make a company we can name
  const fields = { name, ...(lead.domain ? { domain: lead.domain } : {}) };
  const [created] = await tx<{ id: string }[]>`insert into public.accounts ${tx({
    orgId: ctx.orgId, ...fields, nameKey: lead.company!.matchKey, source: ctx.source,
    fieldSources: tx.json(Object.fromEntries(Object.keys(fields).map((k) => [k, source])) as never),
  })} returning id`;
  await eventLogRepository.append(tx, { id: randomUUID(), orgId: ctx.orgId, version: 1, occurredAt: ctx.nowIso, source: 'worker', actor: { type: 'system', id: null }, correlationId: ctx.batchId, causationId: null, kind: 'account.created', subject: { type: 'account', id: created!.id }, data: {} });
  return created!.id;
}

/** One lead in: the contact created, updated (by source priority), or unchanged. */
export async function upsertLead(tx: Tx, ctx: LeadContext, lead: NormalisedLead): Promise<LeadOutcome> {
  const accountId = await upsertAccount(tx, ctx, lead);
  const source: FieldSource = { source: ctx.source, batchId: ctx.batchId, at: ctx.nowIso };
  const addresses = lead.emails.map((e) => e.address);
  const keys = lead.emails.map((e) => e.matchKey);
  type Row = { id: string; emails: string[]; emailKeys: string[]; firstName: string | null; lastName: string | null; title: string | null; phoneE164: string | null; linkedinUrl: string | null; country: string | null; timeZone: string | null; department: string | null; seniority: string | null; accountId: string | null; lawfulBasis: string; fieldSources: Record<string, FieldSource>; erasedAt: string | null };
  const find = async (where: ReturnType<Tx>) => (await tx<Row[]>`
    select id, emails, email_keys, first_name, last_name, title, phone_e164, linkedin_url, country, time_zone, department, seniority, account_id, lawful_basis, field_sources, erased_at
    from public.contacts where org_id = ${ctx.orgId} and ${where} order by created_at limit 1 for update`)[0];
  const existing =
    (keys.length > 0 ? await find(tx`(email_keys && ${keys}::text[] or emails && ${addresses}::text[])`) : undefined) ??
    (lead.linkedinUrl ? await find(tx`linkedin_url = ${lead.linkedinUrl}`) : undefined) ??
    (lead.phoneE164 ? await find(tx`phone_e164 = ${lead.phoneE164}`) : undefined) ??
    // Without any of those keys, the same name at the same company is the same person.
    (keys.length === 0 && !lead.linkedinUrl && !lead.phoneE164 && accountId && (lead.firstName || lead.lastName)
      ? await find(tx`account_id = ${accountId} and lower(coalesce(first_name, '')) = ${(lead.firstName ?? '').toLowerCase()} and lower(coalesce(last_name, '')) = ${(lead.lastName ?? '').toLowerCase()}`)
      : undefined);
  // An erased person is not brought back by an import: the row fails, and the suppression list keeps their address.
  if (existing?.erasedAt) return { outcome: 'failed', reason: 'this person was erased at their request; their details are not imported again' };
  const incoming = { firstName: lead.firstName, lastName: lead.lastName, title: lead.title, phoneE164: lead.phoneE164, linkedinUrl: lead.linkedinUrl, country: lead.country, timeZone: lead.timeZone, department: lead.department, seniority: lead.seniority, accountId };

  if (!existing) {
    const values = Object.fromEntries(Object.entries(incoming).filter(([, v]) => v !== null && v !== undefined)) as Record<string, string>;
    const [created] = await tx<{ id: string }[]>`insert into public.contacts ${tx({
      orgId: ctx.orgId, ...values, emails: addresses, emailKeys: [...new Set(keys)], lawfulBasis: ctx.lawfulBasis, lawfulBasisSource: ctx.lawfulBasisSource,
      source: ctx.source, importBatchId: ctx.batchId, fieldSources: tx.json(Object.fromEntries([...Object.keys(values), ...(addresses.length ? ['emails'] : [])].map((k) => [k, source])) as never),
    })} returning id`;
    await eventLogRepository.append(tx, { id: randomUUID(), orgId: ctx.orgId, version: 1, occurredAt: ctx.nowIso, source: 'worker', actor: { type: 'system', id: null }, correlationId: ctx.batchId, causationId: null, kind: 'contact.created', subject: { type: 'contact', id: created!.id }, data: { accountId } });
    await auditLogRepository.record(tx, { orgId: ctx.orgId, actorType: ctx.actor.type, actorId: ctx.actor.id, action: 'contacts.create', subjectType: 'contact', subjectId: created!.id, before: null, after: { source: ctx.source, batchId: ctx.batchId, fields: [...Object.keys(values), 'emails'] }, reason: `import (${ctx.source})` });
    return { outcome: 'created', contactId: created!.id };
  }

  const current = { firstName: existing.firstName, lastName: existing.lastName, title: existing.title, phoneE164: existing.phoneE164, linkedinUrl: existing.linkedinUrl, country: existing.country, timeZone: existing.timeZone, department: existing.department, seniority: existing.seniority, accountId: existing.accountId };
  const merged = mergeFields({ current, currentSources: existing.fieldSources, incoming, source });
  const changes: Record<string, unknown> = { ...merged.changes };
  const newAddresses = addresses.filter((a) => !existing.emails.includes(a));
  if (newAddresses.length > 0 && existing.emails.length + newAddresses.length <= 10) changes.emails = [...existing.emails, ...newAddresses];
  const newKeys = keys.filter((k) => !existing.emailKeys.includes(k));
  if (existing.lawfulBasis === 'none' && ctx.lawfulBasis !== 'none') {
    changes.lawfulBasis = ctx.lawfulBasis;
    changes.lawfulBasisSource = ctx.lawfulBasisSource;
  }
  if (Object.keys(changes).length === 0 && newKeys.length === 0) return { outcome: 'unchanged', contactId: existing.id };
  const sources = { ...merged.sources, ...(changes.emails ? { emails: source } : {}) };
  await tx`update public.contacts set ${tx({ ...changes, emailKeys: [...new Set([...existing.emailKeys, ...keys])], fieldSources: tx.json(sources as never) } as Record<string, unknown>)} where id = ${existing.id}`;
  const changed = Object.keys(changes);
  if (changed.length > 0) {
    await auditLogRepository.record(tx, {
      orgId: ctx.orgId, actorType: ctx.actor.type, actorId: ctx.actor.id, action: 'contacts.update', subjectType: 'contact', subjectId: existing.id,
      before: Object.fromEntries(changed.map((k) => [k, (existing as unknown as Record<string, unknown>)[k] ?? null])), after: changes, reason: `import (${ctx.source})`,
    });
    const fields = [...new Set(changed.map((k) => eventFields[k]).filter((f): f is string => Boolean(f)))];
    if (fields.length > 0) {
      await eventLogRepository.append(tx, { id: randomUUID(), orgId: ctx.orgId, version: 1, occurredAt: ctx.nowIso, source: 'worker', actor: { type: 'system', id: null }, correlationId: ctx.batchId, causationId: null, kind: 'contact.updated', subject: { type: 'contact', id: existing.id }, data: { fields: fields as never } });
    }
  }
  return { outcome: changed.length > 0 ? 'updated' : 'unchanged', contactId: existing.id };
}


/** Contact fields an enricher may fill, with the check each value must pass to be stored. */
const enrichable: Record<string, (value: string) => boolean> = {
  title: (v) => v.length <= 200,
  department: (v) => v.length <= 50,
  seniority: (v) => v.length <= 50,
  phoneE164: (v) => /^\+[1-9][0-9]{6,14}$/.test(v),
  country: (v) => /^[A-Z]{2}$/.test(v),
  timeZone: (v) => v.length <= 64,
  linkedinUrl: (v) => /^https:\/\/www\.linkedin\.com\/in\/[^/?#]+$/.test(v),
};

/**
 * Enriched values into a contact: enrichment ranks below every import and every person (it only fills gaps or
 * replaces older enrichment), and each value keeps its source and the time it was obtained.
 */
export async function applyEnrichment(tx: Tx, ctx: LeadContext, contactId: string, values: Array<{ field: string; value: string; source: string; at: string }>): Promise<string[]> {
  const usable = values.filter((v) => enrichable[v.field]?.(v.value));
  if (usable.length === 0) return [];
  const [contact] = await tx<Array<Record<string, unknown> & { fieldSources: Record<string, FieldSource> }>>`
    select title, department, seniority, phone_e164, country, time_zone, linkedin_url, field_sources from public.contacts where org_id = ${ctx.orgId} and id = ${contactId} for update`;
  if (!contact) return [];
  let sources = contact.fieldSources;
  const changes: Record<string, string> = {};
  for (const v of usable) {
    const merged = mergeFields({ current: { [v.field]: (contact[v.field] as string | null) ?? null }, currentSources: sources, incoming: { [v.field]: v.value }, source: { source: `enrichment_${v.source}`, batchId: ctx.batchId, at: v.at } });
    Object.assign(changes, merged.changes);
    sources = merged.sources as Record<string, FieldSource>;
  }
  if (Object.keys(changes).length === 0) return [];
  await tx`update public.contacts set ${tx({ ...changes, fieldSources: tx.json(sources as never) } as Record<string, unknown>)} where id = ${contactId}`;
  await auditLogRepository.record(tx, { orgId: ctx.orgId, actorType: 'system', actorId: null, action: 'contacts.enrich', subjectType: 'contact', subjectId: contactId, before: Object.fromEntries(Object.keys(changes).map((k) => [k, contact[k] ?? null])), after: changes, reason: `enrichment (${usable[0]!.source})` });
  return Object.keys(changes);
}
