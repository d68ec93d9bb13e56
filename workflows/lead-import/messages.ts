// Messages of the lead import: one workflow per import batch (a file).
import { defineQuery } from '@temporalio/workflow';

export interface LeadImportInput {
  orgId: string;
  batchId: string;
}

export interface LeadImportProgress {
  totalRows: number | null;
  processedRows: number;
  status: 'preparing' | 'importing' | 'completed' | 'failed';
}

export const leadImportProgressQuery = defineQuery<LeadImportProgress>('leadImportProgress');

export function leadImportWorkflowId(orgId: string, batchId: string): string {
  return `lead-import:${orgId}:${batchId}`;
}

/** Patch id: after an import, the organisation's identity sweep is started or nudged (intake resolution). */
export const SWEEP_AFTER_IMPORT = 'sweep-after-import';
/** Rows per activity: small enough that a taken-over chunk repeats little (done lines are skipped anyway). */
export const LEAD_IMPORT_CHUNK = 500;
