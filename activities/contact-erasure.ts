import { randomUUID } from 'node:crypto';
import { Context } from '@temporalio/activity';
import { contactsRepository } from '../adapters/db/contacts-repository.ts';
import { eventLogRepository } from '../adapters/db/event-log-repository.ts';
import type { ContactErasureInput, ContactErasureResult } from '../workflows/contact-erasure/messages.ts';
import type { ActivityDeps } from './index.ts';

export function createContactErasureActivities(deps: Pick<ActivityDeps, 'db'>) {
  return {
    /** One transaction: erase (idempotent: a retry finds the contact already erased) and log the event. */
    async eraseContact(input: ContactErasureInput): Promise<ContactErasureResult> {
      const workflowId = Context.current().info.workflowExecution?.workflowId ?? null;
      return deps.db.asService(async (tx) => {
        const report = await contactsRepository.erase(tx, input.orgId, input.contactId, input.requestedBy, input.reason);
        const erasedAt = (await contactsRepository.get(tx, input.orgId, input.contactId))?.erasedAt ?? new Date().toISOString();
        if (!report.alreadyErased) {
          await eventLogRepository.append(tx, {
            id: randomUUID(),
            orgId: input.orgId,
            kind: 'contact.erased',
            version: 1,
            occurredAt: erasedAt,
            source: 'worker',
            actor: input.requestedBy.type === 'system' ? { type: 'system', id: null } : { type: input.requestedBy.type, id: input.requestedBy.id },
            subject: { type: 'contact', id: input.contactId },
            correlationId: workflowId,
            causationId: null,
            data: { suppressionId: report.suppressionIds?.[0] ?? null },
          });
        }
        return {
          contactId: input.contactId,
          alreadyErased: report.alreadyErased,
          suppressionIds: report.suppressionIds ?? [],
          activitiesRedacted: report.activitiesRedacted ?? 0,
          erasedAt,
        };
      });
    },
  };
}
