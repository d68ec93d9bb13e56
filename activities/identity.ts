// Activities of identity resolution: find matching contacts with the resolver (domain/identity-resolution.ts) and
// record the pairs for review; merge a pair. Messages to the merged contacts' cadences are the workflow's.
import { identityRepository } from '../adapters/db/identity-repository.ts';
import type { Tx } from '../adapters/db/client.ts';
import { matchThresholdsSchema, resolve, type PersonRecord } from '../domain/identity-resolution.ts';
import type { ActivityDeps } from './index.ts';

/** The organisation's contacts as the resolver sees them (erased ones are never matched). */
export async function personRecords(tx: Tx, orgId: string): Promise<Array<PersonRecord & { filled: number; createdAt: string }>> {
  const rows = await tx<Array<{ id: string; firstName: string | null; lastName: string | null; emails: string[]; phoneE164: string | null; linkedinUrl: string | null; companyName: string | null; companyDomain: string | null; title: string | null; country: string | null; createdAt: string }>>`
    select c.id, c.first_name, c.last_name, c.emails, c.phone_e164, c.linkedin_url, a.name as company_name, a.domain as company_domain, c.title, c.country, c.created_at
    from public.contacts c left join public.accounts a on a.id = c.account_id where c.org_id = ${orgId} and c.erased_at is null`;
  return rows.map((r) => ({ ...r, filled: [r.firstName, r.lastName, r.phoneE164, r.linkedinUrl, r.companyName, r.title, r.country].filter(Boolean).length + r.emails.length }));
}

/** Pairs worth a look (merge or review band) stored once per pair; a pair already decided stays decided. */
export async function recordMatches(tx: Tx, orgId: string): Promise<Array<{ reviewId: string; survivorId: string; loserId: string; band: 'merge' | 'review' }>> {
  const [org] = await tx<{ identityThresholds: unknown }[]>`select identity_thresholds from public.organisations where id = ${orgId}`;
  const thresholds = matchThresholdsSchema.parse(org!.identityThresholds);
  const people = await personRecords(tx, orgId);
  const byId = new Map(people.map((p) => [p.id, p]));
  const found = [];
  for (const pair of resolve(people, thresholds)) {
    if (pair.band === 'keep_apart') continue;
    const [a, b] = [pair.a, pair.b].sort() as [string, string];
    const [review] = await tx<{ id: string; status: string }[]>`
      insert into public.match_reviews ${tx({ orgId, contactA: a, contactB: b, score: pair.score, band: pair.band, fields: tx.json(pair.fields as never) })}
      on conflict (org_id, contact_a, contact_b) do update set score = excluded.score, band = excluded.band, fields = excluded.fields
      returning id, status`;
    if (review!.status !== 'pending') continue;
    // The survivor is the more complete record, then the older one.
    const [pa, pb] = [byId.get(a)!, byId.get(b)!];
    const survivor = pa.filled !== pb.filled ? (pa.filled > pb.filled ? pa : pb) : pa.createdAt <= pb.createdAt ? pa : pb;
    found.push({ reviewId: review!.id, survivorId: survivor.id, loserId: survivor.id === a ? b : a, band: pair.band as 'merge' | 'review' });
  }
  return found;
}

export function createIdentityActivities(deps: Pick<ActivityDeps, 'db'>) {
  const { db } = deps;
  return {
    /** Runs the resolver over the organisation; returns the pairs in the merge band (the workflow merges them). */
    async findMatches(input: { orgId: string }) {
      const found = await db.asService((tx) => recordMatches(tx, input.orgId));
      return { merge: found.filter((f) => f.band === 'merge'), review: found.filter((f) => f.band === 'review').length };
    },

    /** Merges a pair found by the sweep; a pair whose contacts changed meanwhile (one merged elsewhere) is skipped. */
    async mergeContacts(input: { orgId: string; reviewId: string; survivorId: string; loserId: string }) {
      return db.asService(async (tx) => {
        const [review] = await tx<{ status: string }[]>`select status from public.match_reviews where org_id = ${input.orgId} and id = ${input.reviewId} for update`;
        const present = await tx`select id from public.contacts where org_id = ${input.orgId} and id in (${input.survivorId}, ${input.loserId})`;
        if (review?.status !== 'pending' || present.length !== 2) {
          await tx`update public.match_reviews set status = 'obsolete' where id = ${input.reviewId} and status = 'pending'`;
          return null;
        }
        const merged = await identityRepository.merge(tx, { orgId: input.orgId, survivorId: input.survivorId, loserId: input.loserId, reason: 'automatic: score in the merge band', memberId: null });
        await tx`update public.match_reviews set status = 'merged', decided_at = now() where id = ${input.reviewId}`;
        return merged;
      });
    },
  };
}
