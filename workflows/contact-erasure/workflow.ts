import { proxyActivities, setCurrentDetails, setHandler, upsertSearchAttributes } from '@temporalio/workflow';
import type { Activities } from '../../activities/index.ts';
import { defaultActivityOptions } from '../shared/activity-options.ts';
import { ContactId, OrgId, ProcessStatus } from '../shared/search-attributes.ts';
import { contactErasureStatusQuery, type ContactErasureInput, type ContactErasureResult, type ContactErasureStep } from './messages.ts';

const { eraseContact } = proxyActivities<Activities>(defaultActivityOptions);

/** Erases a contact's personal data for a privacy request; the addresses stay suppressed as keyed hashes. */
export async function contactErasureWorkflow(input: ContactErasureInput): Promise<ContactErasureResult> {
  let step: ContactErasureStep = 'erasing';
  setHandler(contactErasureStatusQuery, () => ({ step }));
  upsertSearchAttributes([
    { key: OrgId, value: input.orgId },
    { key: ContactId, value: input.contactId },
    { key: ProcessStatus, value: step },
  ]);
  setCurrentDetails(`**erasing** contact ${input.contactId} (${input.reason})`);

  const result = await eraseContact.executeWithOptions({ summary: 'Erase personal data, suppress addresses' }, [input]);

  step = 'done';
  upsertSearchAttributes([{ key: ProcessStatus, value: step }]);
  setCurrentDetails(
    `**done**: ${result.alreadyErased ? 'already erased' : `erased; ${result.suppressionIds.length} address(es) suppressed, ${result.activitiesRedacted} activit(ies) redacted`}`,
  );
  return result;
}
