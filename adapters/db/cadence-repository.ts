// SQL of follow-up cadences: playbooks, their versions, enrolments and what a step needs to draft.
import type { Tx } from './client.ts';

export interface EnrolmentContext {
  enrolment: { id: string; orgId: string; contactId: string; ownerMemberId: string; mailboxId: string; workflowId: string; status: string; playbookVersionId: string };
  playbookKey: string;
  definition: unknown;
  contact: { firstName: string | null; lastName: string | null; title: string | null; emails: string[]; timeZone: string | null; country: string | null; accountId: string | null };
  accountName: string | null;
  owner: { displayName: string; timeZone: string };
}

export const cadenceRepository = {
  async createPlaybook(tx: Tx, p: { orgId: string; key: string; name: string; definition: unknown; createdByMemberId: string | null }) {
    const [existing] = await tx<{ id: string }[]>`select id from public.playbooks where org_id = ${p.orgId} and key = ${p.key}`;
    const playbookId = existing?.id ?? (await tx<{ id: string }[]>`insert into public.playbooks ${tx({ orgId: p.orgId, key: p.key, name: p.name })} returning id`)[0]!.id;
    const [{ next }] = (await tx`select coalesce(max(version), 0) + 1 as next from public.playbook_versions where playbook_id = ${playbookId}`) as unknown as [{ next: number }];
    const [version] = await tx<{ id: string; version: number }[]>`insert into public.playbook_versions ${tx({ orgId: p.orgId, playbookId, version: next, definition: tx.json(p.definition as never), createdByMemberId: p.createdByMemberId })} returning id, version`;
    return { playbookId, versionId: version!.id, version: version!.version };
  },

  async latestVersion(tx: Tx, orgId: string, key: string) {
    const [row] = await tx<{ playbookId: string; versionId: string; version: number; definition: unknown }[]>`
      select p.id as playbook_id, v.id as version_id, v.version, v.definition from public.playbooks p
      join public.playbook_versions v on v.playbook_id = p.id
      where p.org_id = ${orgId} and p.key = ${key} order by v.version desc limit 1`;
    return row;
  },

  async activeOrRecentEnrolments(tx: Tx, orgId: string, contactId: string, sinceIso: string) {
    return tx<{ id: string; status: string; endedAt: string | null; playbookKey: string }[]>`
      select e.id, e.status, e.ended_at, p.key as playbook_key from public.enrolments e
      join public.playbook_versions v on v.id = e.playbook_version_id join public.playbooks p on p.id = v.playbook_id
      where e.org_id = ${orgId} and e.contact_id = ${contactId} and (e.status = 'active' or e.ended_at > ${sinceIso})`;
  },

  async createEnrolment(tx: Tx, e: { orgId: string; contactId: string; playbookVersionId: string; ownerMemberId: string; mailboxId: string; workflowId: string }) {
    const [row] = await tx<{ id: string }[]>`insert into public.enrolments ${tx(e)} returning id`;
    return row!.id;
  },

  async context(tx: Tx, orgId: string, enrolmentId: string): Promise<EnrolmentContext | undefined> {
    const [enrolment] = await tx<EnrolmentContext['enrolment'][]>`
      select id, org_id, contact_id, owner_member_id, mailbox_id, workflow_id, status, playbook_version_id
      from public.enrolments where org_id = ${orgId} and id = ${enrolmentId}`;
    if (!enrolment) return undefined;
    const [version] = await tx<{ definition: unknown; key: string }[]>`
      select v.definition, p.key from public.playbook_versions v join public.playbooks p on p.id = v.playbook_id
      where v.org_id = ${orgId} and v.id = ${enrolment.playbookVersionId}`;
    const [contact] = await tx<EnrolmentContext['contact'][]>`
      select first_name, last_name, title, emails, time_zone, country, account_id from public.contacts where org_id = ${orgId} and id = ${enrolment.contactId}`;
    const [account] = contact?.accountId ? await tx<{ name: string }[]>`select name from public.accounts where org_id = ${orgId} and id = ${contact.accountId}` : [];
    const [owner] = await tx<EnrolmentContext['owner'][]>`select display_name, time_zone from public.members where org_id = ${orgId} and id = ${enrolment.ownerMemberId}`;
    return { enrolment, playbookKey: version!.key, definition: version!.definition, contact: contact!, accountName: account?.name ?? null, owner: owner! };
  },

  /** The workflow ids of a contact's running cadences, oldest first. */
  async activeWorkflowIds(tx: Tx, orgId: string, contactId: string): Promise<string[]> {
    const rows = await tx<{ workflowId: string }[]>`select workflow_id from public.enrolments where org_id = ${orgId} and contact_id = ${contactId} and status = 'active' order by started_at`;
    return rows.map((r) => r.workflowId);
  },

  /** Running cadences to end with this one: the person's other cadences, or their colleagues' at the account. */
  async otherActiveEnrolments(tx: Tx, orgId: string, enrolmentId: string, scope: 'contact' | 'account') {
    const rows = await tx<{ workflowId: string }[]>`
      select o.workflow_id from public.enrolments e
      join public.contacts c on c.org_id = e.org_id and c.id = e.contact_id
      join public.enrolments o on o.org_id = e.org_id and o.status = 'active' and o.id <> e.id
      join public.contacts oc on oc.org_id = o.org_id and oc.id = o.contact_id
      where e.org_id = ${orgId} and e.id = ${enrolmentId}
        and ${scope === 'contact' ? tx`o.contact_id = e.contact_id` : tx`c.account_id is not null and oc.account_id = c.account_id and o.contact_id <> e.contact_id`}
      order by o.started_at`;
    return rows.map((r) => r.workflowId);
  },

  async endEnrolment(tx: Tx, orgId: string, enrolmentId: string, status: 'completed' | 'stopped', reason: string | null) {
    await tx`update public.enrolments set status = ${status}, end_reason = ${reason}, ended_at = now() where org_id = ${orgId} and id = ${enrolmentId} and status = 'active'`;
  },

  async draftByBusinessKey(tx: Tx, orgId: string, businessKey: string) {
    const [row] = await tx<{ id: string }[]>`select id from public.outbound_messages where org_id = ${orgId} and business_key = ${businessKey}`;
    return row?.id ?? null;
  },

  async insertDraft(tx: Tx, d: { orgId: string; mailboxId: string; contactId: string; toAddress: string; subject: string; bodyText: string; origin: 'template' | 'ai'; draftedBy: string; delivery: 'send' | 'gmail_draft'; processWorkflowId: string; stepKey: string; businessKey: string }) {
    const [existing] = await tx<{ id: string }[]>`select id from public.outbound_messages where org_id = ${d.orgId} and business_key = ${d.businessKey}`;
    if (existing) return existing.id;
    const [row] = await tx<{ id: string }[]>`insert into public.outbound_messages ${tx({ ...d, usesBuyerContent: false, requiresApproval: true })} returning id`;
    return row!.id;
  },
};
