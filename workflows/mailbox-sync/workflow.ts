import { ActivityFailure, ApplicationFailure, condition, continueAsNew, proxyActivities, setHandler, upsertSearchAttributes } from '@temporalio/workflow';
import type { Activities } from '../../activities/index.ts';
import { defaultActivityOptions, longActivityOptions } from '../shared/activity-options.ts';
import { OrgId, Owner, ProcessStatus } from '../shared/search-attributes.ts';
import {
  MIN_RENEW_INTERVAL_MS,
  POLL_INTERVAL_MS,
  SYNCS_PER_RUN,
  WATCH_RENEW_BEFORE_MS,
  disconnectSignal,
  historyChangedSignal,
  mailboxSyncStatusQuery,
  syncNowSignal,
  type MailboxSyncInput,
  type MailboxSyncStatus,
} from './messages.ts';

const acts = proxyActivities<Activities>(defaultActivityOptions);
const { syncMailbox } = proxyActivities<Activities>(longActivityOptions);

const newer = (a: string | null, b: string | null) => a !== null && (b === null || BigInt(a) > BigInt(b));

/**
 * One connected mailbox: keeps its Gmail watch renewed (a timer per mailbox is the renewal schedule), and syncs when
 * a push announces a newer history id, when asked, or — without push — every few minutes. Two pushes for the same
 * history id lead to one sync. A mailbox whose authorisation died ends here and waits for the rep to reconnect.
 */
export async function mailboxSyncWorkflow(input: MailboxSyncInput): Promise<{ ended: 'disconnected' | 'needs_reconnect' }> {
  let synced = input.syncedHistoryId ?? null;
  let notified = input.notifiedHistoryId ?? null;
  let syncRequested = synced === null; // a new connection reads its recent mail once
  let disconnected = false;
  let syncs = 0;
  const status: MailboxSyncStatus = { syncedHistoryId: synced, notifiedHistoryId: notified, syncs: 0, lastSyncAt: null, watchExpiresAt: null, mode: 'polling' };

  setHandler(mailboxSyncStatusQuery, () => ({ ...status, syncedHistoryId: synced, notifiedHistoryId: notified, syncs }));
  setHandler(historyChangedSignal, ({ historyId }) => {
    if (newer(historyId, notified)) notified = historyId;
  });
  setHandler(syncNowSignal, () => void (syncRequested = true));
  setHandler(disconnectSignal, () => void (disconnected = true));

  const mailbox = await acts.loadMailboxConnection({ orgId: input.orgId, connectionId: input.connectionId });
  upsertSearchAttributes([{ key: OrgId, value: input.orgId }, { key: Owner, value: mailbox.memberId }, { key: ProcessStatus, value: 'syncing' }]);
  status.mode = mailbox.push ? 'push' : 'polling';
  let watchExpiresAtMs = mailbox.watchExpiresAtMs;
  // When to renew: a day into the 7-day watch, and never sooner than an hour after the last renewal (a watch that
  // Gmail reports as already short, or a clock that ran ahead, must not turn into a renewal loop).
  const renewAt = (expiresAtMs: number | null) => (expiresAtMs === null ? 0 : Math.max(expiresAtMs - WATCH_RENEW_BEFORE_MS, Date.now() + MIN_RENEW_INTERVAL_MS));
  let renewAtMs = watchExpiresAtMs === null ? 0 : watchExpiresAtMs - WATCH_RENEW_BEFORE_MS;

  const ended = async (how: 'disconnected' | 'needs_reconnect') => {
    upsertSearchAttributes([{ key: ProcessStatus, value: how }]);
    return { ended: how };
  };

  try {
    for (;;) {
      if (disconnected) {
        await acts.disconnectMailbox({ orgId: input.orgId, connectionId: input.connectionId });
        return ended('disconnected');
      }
      if (mailbox.push && Date.now() >= renewAtMs) {
        watchExpiresAtMs = (await acts.renewMailboxWatch({ orgId: input.orgId, connectionId: input.connectionId })).expirationMs;
        status.watchExpiresAt = new Date(watchExpiresAtMs).toISOString();
        renewAtMs = renewAt(watchExpiresAtMs);
      }
      if (syncRequested || newer(notified, synced)) {
        syncRequested = false;
        const result = await syncMailbox({ orgId: input.orgId, connectionId: input.connectionId });
        synced = result.historyId;
        syncs += 1;
        status.lastSyncAt = new Date().toISOString();
        if (syncs >= SYNCS_PER_RUN) {
          await continueAsNew<typeof mailboxSyncWorkflow>({ ...input, syncedHistoryId: synced, notifiedHistoryId: notified });
        }
        continue;
      }
      const timedOut = !(await condition(() => disconnected || syncRequested || newer(notified, synced), mailbox.push ? Math.max(1000, renewAtMs - Date.now()) : POLL_INTERVAL_MS));
      if (timedOut && !mailbox.push) syncRequested = true; // the polling fallback
    }
  } catch (err) {
    // The rep's grant is gone (revoked, expired for good): the connection says "reconnect", and this run ends.
    if (err instanceof ActivityFailure && err.cause instanceof ApplicationFailure && err.cause.type === 'MailboxDisconnectedError') return ended('needs_reconnect');
    throw err;
  }
}
