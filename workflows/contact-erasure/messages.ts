// Messages of the contact-erasure process. Histories hold ids only: the reason is a code, never free text.
import { defineQuery } from '@temporalio/workflow';

export const erasureReasons = ['data_subject_request', 'retention_policy', 'admin_request'] as const;
export type ErasureReason = (typeof erasureReasons)[number];

export interface ContactErasureInput {
  orgId: string;
  contactId: string;
  requestedBy: { type: 'member' | 'api_key' | 'system'; id: string | null };
  reason: ErasureReason;
}

export interface ContactErasureResult {
  contactId: string;
  alreadyErased: boolean;
  suppressionIds: string[];
  activitiesRedacted: number;
  erasedAt: string;
}

export type ContactErasureStep = 'erasing' | 'done';

export const contactErasureStatusQuery = defineQuery<{ step: ContactErasureStep }>('contactErasureStatus');

/** One erasure per contact: a second request for the same contact finds the running or finished one. */
export function contactErasureWorkflowId(orgId: string, contactId: string): string {
  return `contact-erasure:${orgId}:${contactId}`;
}
