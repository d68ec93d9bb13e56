// The workflow bundle entry: one export line per sales process room.
export { stackCheckWorkflow } from './stack-check/workflow.ts';
export { contactErasureWorkflow } from './contact-erasure/workflow.ts';
export { outboundEmailWorkflow } from './outbound-email/workflow.ts';
export { followUpCadenceWorkflow } from './follow-up-cadence/workflow.ts';
export { mailboxSyncWorkflow } from './mailbox-sync/workflow.ts';
export { leadImportWorkflow } from './lead-import/workflow.ts';
export { identitySweepWorkflow } from './identity-sweep/workflow.ts';
export { callNotesWorkflow } from './call-notes/workflow.ts';
export { meetingPrepWorkflow } from './meeting-prep/workflow.ts';
