import { ParentClosePolicy, getExternalWorkflowHandle, patched, proxyActivities, setCurrentDetails, setHandler, startChild, upsertSearchAttributes } from '@temporalio/workflow';
import { identitySweepWorkflowId, sweepNowSignal } from '../identity-sweep/messages.ts';
import { identitySweepWorkflow } from '../identity-sweep/workflow.ts';
import type { Activities } from '../../activities/index.ts';
import { defaultActivityOptions, longActivityOptions } from '../shared/activity-options.ts';
import { OrgId, ProcessStatus } from '../shared/search-attributes.ts';
import { LEAD_IMPORT_CHUNK, SWEEP_AFTER_IMPORT, leadImportProgressQuery, type LeadImportInput, type LeadImportProgress } from './messages.ts';

const acts = proxyActivities<Activities>(defaultActivityOptions);
const { importLeadChunk, prepareLeadImport } = proxyActivities<Activities>(longActivityOptions);

/**
 * One file of leads: counted, then imported chunk by chunk. Each chunk heartbeats; a worker that dies mid-chunk is
 * replaced within seconds and the next attempt skips the lines already recorded, so nothing is lost or doubled.
 * A bad line is recorded with its reason and never stops the rest.
 */
export async function leadImportWorkflow(input: LeadImportInput): Promise<LeadImportProgress> {
  const progress: LeadImportProgress = { totalRows: null, processedRows: 0, status: 'preparing' };
  setHandler(leadImportProgressQuery, () => progress);
  upsertSearchAttributes([{ key: OrgId, value: input.orgId }, { key: ProcessStatus, value: 'importing' }]);

  const { totalRows } = await prepareLeadImport(input);
  progress.totalRows = totalRows;
  progress.status = 'importing';
  for (let from = 0; from < totalRows; from += LEAD_IMPORT_CHUNK) {
    setCurrentDetails(`Importing leads: **${from} / ${totalRows}** rows done`);
    await importLeadChunk({ ...input, from, to: Math.min(totalRows, from + LEAD_IMPORT_CHUNK) });
    progress.processedRows = Math.min(totalRows, from + LEAD_IMPORT_CHUNK);
  }
  await acts.finishLeadImport({ ...input, status: 'completed', reason: null });
  // Identity resolution runs on intake: the organisation's sweep is started (or nudged when it runs already).
  if (patched(SWEEP_AFTER_IMPORT)) {
    const sweepId = identitySweepWorkflowId(input.orgId);
    try {
      await startChild(identitySweepWorkflow, { workflowId: sweepId, args: [{ orgId: input.orgId }], parentClosePolicy: ParentClosePolicy.ABANDON });
    } catch {
      await getExternalWorkflowHandle(sweepId).signal(sweepNowSignal).catch(() => undefined);
    }
  }
  progress.status = 'completed';
  upsertSearchAttributes([{ key: ProcessStatus, value: 'completed' }]);
  setCurrentDetails(`Imported **${totalRows}** rows`);
  return progress;
}
