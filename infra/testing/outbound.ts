// An organisation ready to send: a verified mailbox, contacts, and drafts to send to them.
import { randomUUID } from 'node:crypto';
import type { Database } from '../../adapters/db/session.ts';
import { seedOrganisation, type SeededOrg } from './database.ts';

export interface OutboundFixture {
  org: SeededOrg;
  mailboxId: string;
  contact(email?: string): Promise<{ id: string; email: string }>;
  draft(options: { contactId: string; email: string; origin?: 'template' | 'ai'; usesBuyerContent?: boolean; stepKey?: string; subject?: string; bodyText?: string }): Promise<{ messageId: string; businessKey: string }>;
}

export async function outboundFixture(
  db: Database,
  options: { policy?: 'require_approval' | 'auto_send_templates'; dailyCap?: number; perMinuteCap?: number; perRecipientDomainDailyCap?: number; orgDailyCap?: number; orgPerMinuteCap?: number } = {},
): Promise<OutboundFixture> {
  const org = await seedOrganisation(db, `Outbound ${randomUUID().slice(0, 6)}`);
  const mailboxId = await db.asService(async (tx) => {
    // The organisation's own caps are out of the way unless a test is about them (the mailbox caps are tested apart).
    await tx`update public.organisations set default_approval_policy = ${options.policy ?? 'require_approval'},
      daily_send_cap = ${options.orgDailyCap ?? 10000}, per_minute_send_cap = ${options.orgPerMinuteCap ?? 600} where id = ${org.orgId}`;
    const [mailbox] = await tx`insert into public.mailboxes ${tx({
      orgId: org.orgId,
      memberId: org.members.rep,
      fromAddress: `rep@${org.orgId.slice(0, 8)}.sender.example`,
      fromName: 'Riya Rep',
      replyTo: `rep@${org.orgId.slice(0, 8)}.sender.example`,
      domainStatus: 'verified',
      domainCheckedAt: new Date().toISOString(),
      dailyCap: options.dailyCap ?? 100,
      perMinuteCap: options.perMinuteCap ?? 100,
      perRecipientDomainDailyCap: options.perRecipientDomainDailyCap ?? 1000,
    })} returning id`;
    return mailbox!.id as string;
  });
  return {
    org,
    mailboxId,
    async contact(email = `buyer-${randomUUID().slice(0, 8)}@buyer.example`) {
      const [row] = await db.asService((tx) => tx`insert into public.contacts ${tx({ orgId: org.orgId, firstName: 'Buyer', emails: [email], lawfulBasis: 'legitimate_interest' })} returning id`);
      return { id: row!.id as string, email };
    },
    async draft(d) {
      const processWorkflowId = `test-process:${randomUUID().slice(0, 8)}`;
      const stepKey = d.stepKey ?? 'step-1';
      const businessKey = `${processWorkflowId}:${stepKey}:${d.contactId}`;
      const [row] = await db.asService((tx) => tx`insert into public.outbound_messages ${tx({
        orgId: org.orgId,
        mailboxId,
        contactId: d.contactId,
        toAddress: d.email,
        subject: d.subject ?? 'Following up',
        bodyText: d.bodyText ?? 'Hi, following up on our call.',
        origin: d.origin ?? 'template',
        usesBuyerContent: d.usesBuyerContent ?? false,
        requiresApproval: true,
        processWorkflowId,
        stepKey,
        businessKey,
      })} returning id`);
      return { messageId: row!.id as string, businessKey };
    },
  };
}
