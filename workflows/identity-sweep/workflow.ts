import { condition, continueAsNew, getExternalWorkflowHandle, proxyActivities, setHandler, upsertSearchAttributes } from '@temporalio/workflow';
import type { Activities } from '../../activities/index.ts';
import { longActivityOptions } from '../shared/activity-options.ts';
import { OrgId, ProcessStatus } from '../shared/search-attributes.ts';
import { contactMergedSignal, stopSignal } from '../follow-up-cadence/messages.ts';
import { SWEEP_INTERVAL_MS, sweepNowSignal, type IdentitySweepInput } from './messages.ts';

const acts = proxyActivities<Activities>(longActivityOptions);

/**
 * An organisation's identity sweep: the resolver over all contacts, the pairs in the merge band merged (the rest
 * wait in the review queue), the merged-away contacts' cadences told — the survivor takes a cadence over, or, when
 * it has its own, the other one stops (exactly one cadence per person). Then it waits a day, or for a nudge.
 */
export async function identitySweepWorkflow(input: IdentitySweepInput): Promise<void> {
  let nudged = true; // the first run sweeps at once
  setHandler(sweepNowSignal, () => void (nudged = true));
  upsertSearchAttributes([{ key: OrgId, value: input.orgId }, { key: ProcessStatus, value: 'sweeping' }]);
  for (let sweeps = 0; sweeps < 50; sweeps++) {
    await condition(() => nudged, sweeps === 0 ? undefined : SWEEP_INTERVAL_MS);
    nudged = false;
    upsertSearchAttributes([{ key: ProcessStatus, value: 'sweeping' }]);
    const found = await acts.findMatches({ orgId: input.orgId });
    for (const pair of found.merge) {
      const merged = await acts.mergeContacts({ orgId: input.orgId, ...pair });
      for (const cadence of merged?.cadences ?? []) {
        const handle = getExternalWorkflowHandle(cadence.workflowId);
        try {
          if (cadence.action === 'stop') await handle.signal(stopSignal, { reason: 'merged' });
          else await handle.signal(contactMergedSignal, { survivorId: pair.survivorId });
        } catch {
          // That cadence ended meanwhile.
        }
      }
    }
    upsertSearchAttributes([{ key: ProcessStatus, value: 'waiting' }]);
  }
  await continueAsNew<typeof identitySweepWorkflow>(input);
}
