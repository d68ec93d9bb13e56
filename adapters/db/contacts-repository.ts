import { contactSchema, type Contact, type ContactCreate } from '../../domain/objects.ts';
import { NotFoundError } from '../../domain/errors.ts';
import { outreachRefusals, type OutreachRefusal } from '../../domain/outreach.ts';
import type { Tx } from './client.ts';

const columns = ['id', 'org_id', 'account_id', 'first_name', 'last_name', 'title', 'emails', 'phone_e164', 'time_zone', 'country', 'lawful_basis', 'lawful_basis_source', 'do_not_contact', 'erased_at', 'created_at', 'updated_at'];

export interface ErasureReport {
  contactId: string;
  alreadyErased: boolean;
  suppressionIds?: string[];
  activitiesRedacted?: number;
  tasksRedacted?: number;
  signalsDeleted?: number;
  stakeholdersDeleted?: number;
  auditEntriesRedacted?: number;
}

export const contactsRepository = {
  async create(tx: Tx, orgId: string, input: ContactCreate): Promise<Contact> {
    const [row] = await tx`insert into public.contacts ${tx({ ...input, orgId })} returning ${tx(columns)}`;
    return contactSchema.parse(row);
  },

  async get(tx: Tx, orgId: string, contactId: string): Promise<Contact | undefined> {
    const [row] = await tx`select ${tx(columns)} from public.contacts where org_id = ${orgId} and id = ${contactId}`;
    return row ? contactSchema.parse(row) : undefined;
  },

  /** Why this contact may not be contacted (none: it may), checking every address against the suppression list. */
  async outreachRefusals(tx: Tx, orgId: string, contactId: string): Promise<OutreachRefusal[]> {
    const contact = await this.get(tx, orgId, contactId);
    if (!contact) throw new NotFoundError(`contact ${contactId} not found`);
    const suppressed = await tx<{ email: string }[]>`
      select e as email from unnest(${contact.emails}::text[]) as e where app.is_suppressed(${orgId}, e)`;
    return outreachRefusals({ contact, suppressedEmails: suppressed.map((s) => s.email) });
  },

  /** Privacy erasure (app.erase_contact): personal data cleared, addresses kept only as suppression hashes. */
  /** The (oldest, not erased) contact that has this address; addresses are stored lower-cased. */
  async byAddress(tx: Tx, orgId: string, address: string): Promise<{ id: string; accountId: string | null; timeZone: string | null } | undefined> {
    const [contact] = await tx<{ id: string; accountId: string | null; timeZone: string | null }[]>`
      select id, account_id, time_zone from public.contacts where org_id = ${orgId} and emails @> ${[address.trim().toLowerCase()]}::text[] and erased_at is null
      order by created_at limit 1`;
    return contact;
  },

  async erase(tx: Tx, orgId: string, contactId: string, actor: { type: string; id: string | null }, reason: string): Promise<ErasureReport> {
    try {
      // Raw webhook deliveries (a reply's text, a bounce) are stored verbatim: any that mention one of the person's
      // addresses lose their body and headers too (the row stays, so the provider's event id still dedupes).
      await tx`update public.webhook_inbox w set body = '{"erased":true}', headers = '{}'::jsonb
        from (select emails from public.contacts where org_id = ${orgId} and id = ${contactId}) c
        where w.org_id = ${orgId} and exists (select 1 from unnest(c.emails) e where position(lower(e) in lower(w.body)) > 0)`;
      const [row] = await tx<{ report: ErasureReport }[]>`
        select app.erase_contact(${orgId}, ${contactId}, ${actor.type}, ${actor.id}, ${reason}) as report`;
      return row!.report;
    } catch (err) {
      if ((err as { code?: string }).code === 'P0002') throw new NotFoundError(`contact ${contactId} not found in organisation ${orgId}`);
      throw err;
    }
  },
};
