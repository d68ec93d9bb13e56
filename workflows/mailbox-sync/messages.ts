// Messages of the mailbox sync: one long-lived workflow per connected mailbox (Gmail).
import { defineQuery, defineSignal } from '@temporalio/workflow';

export interface MailboxSyncInput {
  orgId: string;
  connectionId: string;
  /** Carried across continue-as-new: what is already synced, and the newest id a push announced. */
  syncedHistoryId?: string | null;
  notifiedHistoryId?: string | null;
}

/** A push said the mailbox changed up to `historyId` (deduplicated by the webhook inbox before it gets here). */
export const historyChangedSignal = defineSignal<[{ historyId: string }]>('historyChanged');
/** Sync now (a rep pressed "sync", or the connection was just made). */
export const syncNowSignal = defineSignal<[]>('syncNow');
/** The rep disconnected the mailbox: stop the watch and end. */
export const disconnectSignal = defineSignal<[]>('disconnect');

export interface MailboxSyncStatus {
  syncedHistoryId: string | null;
  notifiedHistoryId: string | null;
  syncs: number;
  lastSyncAt: string | null;
  watchExpiresAt: string | null;
  mode: 'push' | 'polling';
}
export const mailboxSyncStatusQuery = defineQuery<MailboxSyncStatus>('mailboxSyncStatus');

export function mailboxSyncWorkflowId(orgId: string, connectionId: string): string {
  return `mailbox-sync:${orgId}:${connectionId}`;
}

/** Without push (no Pub/Sub topic configured) the mailbox is read this often. */
export const POLL_INTERVAL_MS = 5 * 60_000;
/** A Gmail watch lasts 7 days; it is renewed when less than this is left (Google recommends renewing daily). */
export const WATCH_RENEW_BEFORE_MS = 6 * 24 * 3600_000;
/** Renewals are at least this far apart. */
export const MIN_RENEW_INTERVAL_MS = 3600_000;
/** After this many syncs the workflow continues as new, so its history stays small. */
export const SYNCS_PER_RUN = 200;
