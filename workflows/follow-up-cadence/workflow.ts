import {
  ParentClosePolicy,
  condition,
  getExternalWorkflowHandle,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setCurrentDetails,
  setHandler,
  startChild,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { Activities } from '../../activities/index.ts';
import { defaultActivityOptions } from '../shared/activity-options.ts';
import { ContactId, OrgId, Owner, Playbook, ProcessStatus } from '../shared/search-attributes.ts';
import { buyerRepliedSignal, cancelSignal, outboundEmailWorkflowId } from '../outbound-email/messages.ts';
import { outboundEmailWorkflow } from '../outbound-email/workflow.ts';
import {
  DEFAULT_OOO_PAUSE_MS,
  DEFAULT_CALLBACK_PAUSE_MS,
  HARD_BOUNCE_FIX_WAIT_MS,
  HARD_BOUNCE_WAITS_FOR_FIX,
  RESCHEDULE_IN_WINDOW,
  RETRY_HELD_STEP,
  SOFT_BOUNCE_RETRY_MS,
  addressChangedSignal,
  cadenceEventSignal,
  contactMergedSignal,
  cadenceStatusQuery,
  pauseSignal,
  reassignedSignal,
  resumeSignal,
  stopSignal,
  taskDoneSignal,
  type CadenceStatus,
  type CadenceStep,
  type FollowUpInput,
  type FollowUpResult,
} from './messages.ts';

const acts = proxyActivities<Activities>(defaultActivityOptions);
// Calendar math (zones, DST, holidays) runs outside workflow code: its data changes between releases.
const { computeNextTouch } = proxyLocalActivities<Activities>({ startToCloseTimeout: '10 seconds' });

/**
 * One contact through one playbook version: for each step, wait until its next touch (every exit can cut the
 * wait), then draft and send through the outbound pipeline, or hand the rep a task.
 */
export async function followUpCadenceWorkflow(input: FollowUpInput): Promise<FollowUpResult> {
  const seen = new Set<string>();
  let stopped: string | null = null;
  let pausedUntilMs: number | null = null; // Infinity-free: null = not paused; MAX_SAFE_INTEGER = until resumed
  let pauseReason: string | null = null;
  let notBeforeMs = 0;
  let replyToForward: string | null = null;
  // After a hard bounce (patched path): the suppression and the fix-address task are still to be recorded, and
  // the cadence waits for a working address.
  let bounceToRecord = false;
  let awaitingAddress = false;
  const tasksDone = new Set<string>();
  let runStep = 0;
  const steps: FollowUpResult['steps'] = [];
  let status: CadenceStatus = { step: 'scheduled', since: new Date().toISOString(), stepKey: null, nextActionAt: null, waitingOn: null, lastOutcome: null };

  const moveTo = async (step: CadenceStep, stepKey: string | null, nextActionAt: number | null, waitingOn: string | null) => {
    status = { ...status, step, since: new Date().toISOString(), stepKey, nextActionAt: nextActionAt === null ? null : new Date(nextActionAt).toISOString(), waitingOn };
    upsertSearchAttributes([{ key: ProcessStatus, value: step }]);
    setCurrentDetails(
      `**${step}**${stepKey ? ` · step \`${stepKey}\`` : ''} since ${status.since}` +
        (status.nextActionAt ? `\n\nNext action: ${status.nextActionAt}` : '') +
        (waitingOn ? `\n\nWaiting on: ${waitingOn}` : '') +
        (status.lastOutcome ? `\n\nLast step \`${status.lastOutcome.stepKey}\`: ${status.lastOutcome.outcome}${status.lastOutcome.reasons.length ? ` (${status.lastOutcome.reasons.join(', ')})` : ''}` : ''),
    );
    runStep += 1;
    await acts.recordCadenceRun({ orgId: input.orgId, enrolmentId: input.enrolmentId, status: step, step: stepKey ?? step, waitingOn, nextActionAtMs: nextActionAt, stepSeq: runStep });
  };

  setHandler(cadenceStatusQuery, () => status);
  setHandler(stopSignal, ({ reason }) => {
    stopped ??= reason;
  });
  setHandler(pauseSignal, ({ reason }) => {
    pausedUntilMs = Number.MAX_SAFE_INTEGER;
    pauseReason = reason;
  });
  setHandler(resumeSignal, () => {
    pausedUntilMs = null;
    pauseReason = null;
    awaitingAddress = false;
  });
  setHandler(addressChangedSignal, () => {
    if (!awaitingAddress) return;
    awaitingAddress = false;
    pausedUntilMs = null;
    pauseReason = null;
  });
  setHandler(reassignedSignal, ({ ownerMemberId }) => {
    upsertSearchAttributes([{ key: Owner, value: ownerMemberId }]);
  });
  // The workflow id keeps the merged-away contact's id (ids stay stable, ADR-0015); the search attribute follows.
  setHandler(contactMergedSignal, ({ survivorId }) => {
    upsertSearchAttributes([{ key: ContactId, value: survivorId }]);
  });
  setHandler(taskDoneSignal, ({ stepKey }) => void tasksDone.add(stepKey));
  setHandler(cadenceEventSignal, (event) => {
    if (seen.has(event.eventId)) return; // providers and inboxes deliver twice; Temporal does not dedupe signals
    seen.add(event.eventId);
    switch (event.kind) {
      case 'reply':
        stopped ??= 'replied';
        replyToForward = event.eventId;
        break;
      case 'meeting_booked':
        stopped ??= 'meeting_booked';
        break;
      case 'unsubscribed':
        stopped ??= 'unsubscribed';
        break;
      case 'complaint':
        stopped ??= 'complaint';
        break;
      case 'hard_bounce':
        if (patched(HARD_BOUNCE_WAITS_FOR_FIX)) {
          bounceToRecord = true;
          awaitingAddress = true;
          pausedUntilMs = Date.now() + HARD_BOUNCE_FIX_WAIT_MS;
          pauseReason = 'hard bounce: a working address for the contact';
        } else {
          stopped ??= 'hard_bounce';
        }
        break;
      case 'soft_bounce':
        notBeforeMs = Math.max(notBeforeMs, Date.now() + SOFT_BOUNCE_RETRY_MS);
        break;
      case 'out_of_office':
        pausedUntilMs = event.returnsAtMs ?? Date.now() + DEFAULT_OOO_PAUSE_MS;
        pauseReason = 'out of office';
        break;
      // New with call notes: no history before it holds this event, so no patch is needed to replay them.
      case 'callback_requested':
        pausedUntilMs = Math.max(pausedUntilMs ?? 0, event.atMs ?? Date.now() + DEFAULT_CALLBACK_PAUSE_MS);
        pauseReason = 'callback requested on a call: emails wait until after it';
        break;
    }
  });

  // Handlers first (above), so status queries and early signals work before anything is loaded.
  const plan = await acts.loadEnrolment(input);
  upsertSearchAttributes([
    { key: OrgId, value: input.orgId },
    { key: ContactId, value: plan.contactId },
    { key: Playbook, value: plan.playbookKey },
    { key: Owner, value: plan.ownerMemberId },
  ]);

  /**
   * Waits until `untilMs`, honouring pauses; false when the cadence was stopped meanwhile. A touch pushed back
   * by a pause or a soft bounce is placed in the send window again (never sent at 3 a.m. because a pause ended then).
   */
  const waitUntil = async (untilMs: number, stepKey: string): Promise<boolean> => {
    let touchAtMs = untilMs;
    for (;;) {
      if (stopped) return false;
      if (bounceToRecord) {
        bounceToRecord = false;
        await acts.recordHardBounce({ orgId: input.orgId, enrolmentId: input.enrolmentId });
      }
      if (pausedUntilMs !== null) {
        const until = pausedUntilMs;
        await moveTo('paused', stepKey, until === Number.MAX_SAFE_INTEGER ? null : until, pauseReason);
        const resumed = await condition(() => stopped !== null || pausedUntilMs !== until || bounceToRecord, until === Number.MAX_SAFE_INTEGER ? undefined : Math.max(0, until - Date.now()));
        if (!resumed && pausedUntilMs === until) {
          // The return date came; a bounced address that nobody fixed in time ends the cadence.
          if (awaitingAddress) stopped ??= 'hard_bounce';
          pausedUntilMs = null;
        }
        if (pausedUntilMs === null) notBeforeMs = Math.max(notBeforeMs, Date.now());
        continue;
      }
      if (notBeforeMs > touchAtMs && patched(RESCHEDULE_IN_WINDOW)) {
        touchAtMs = (await computeNextTouch({ orgId: input.orgId, enrolmentId: input.enrolmentId, stepKey, afterMs: notBeforeMs, withoutDelay: true })).atMs;
        continue;
      }
      const target = Math.max(touchAtMs, notBeforeMs);
      if (Date.now() >= target) return true;
      await moveTo('waiting', stepKey, target, 'the next touch: the step\'s delay, inside the recipient\'s send window');
      await condition(() => stopped !== null || pausedUntilMs !== null || notBeforeMs > target, target - Date.now());
    }
  };

  let lastMs = Date.now();
  for (const step of plan.steps) {
    const touch = await computeNextTouch({ orgId: input.orgId, enrolmentId: input.enrolmentId, stepKey: step.key, afterMs: lastMs });
    if (!(await waitUntil(touch.atMs, step.key))) break;
    lastMs = Date.now();

    let outcome: { outcome: string; reasons: string[] };
    if (step.kind === 'auto_email' || step.kind === 'manual_email') {
      await moveTo('drafting', step.key, null, null);
      let draft = await acts.draftCadenceEmail({ orgId: input.orgId, enrolmentId: input.enrolmentId, stepKey: step.key });
      // A step held for review waits for the rep (resume, after completing the contact) and is drafted again.
      while (!draft.ok && patched(RETRY_HELD_STEP)) {
        status = { ...status, lastOutcome: { stepKey: step.key, outcome: 'held_for_review', reasons: draft.missing.map((m) => `missing:${m}`) } };
        pausedUntilMs = Number.MAX_SAFE_INTEGER;
        pauseReason = `review: the template needs ${draft.missing.join(', ')}`;
        if (!(await waitUntil(Date.now(), step.key))) break;
        await moveTo('drafting', step.key, null, null);
        draft = await acts.draftCadenceEmail({ orgId: input.orgId, enrolmentId: input.enrolmentId, stepKey: step.key });
      }
      if (!draft.ok) {
        outcome = { outcome: 'held_for_review', reasons: draft.missing.map((m) => `missing:${m}`) };
        pausedUntilMs = Number.MAX_SAFE_INTEGER;
        pauseReason = `review: the template needs ${draft.missing.join(', ')}`;
      } else {
        await moveTo('sending', step.key, null, 'the outbound pipeline (approval, capacity, guardrails)');
        const child = await startChild(outboundEmailWorkflow, {
          workflowId: outboundEmailWorkflowId(input.orgId, draft.businessKey),
          args: [{ orgId: input.orgId, messageId: draft.messageId }],
          parentClosePolicy: ParentClosePolicy.REQUEST_CANCEL,
        });
        // A reply, or any stop, that comes while the email waits for approval or capacity stops that email too.
        const first = await Promise.race([child.result(), condition(() => replyToForward !== null || stopped !== null).then(() => null)]);
        if (first === null) {
          try {
            if (replyToForward !== null) await child.signal(buyerRepliedSignal, { eventId: replyToForward });
            else await child.signal(cancelSignal, { reason: stopped ?? 'stopped' });
          } catch {
            // The email's process ended at the same moment (sent, blocked…): its result below says how.
          }
        }
        const sent = first ?? (await child.result());
        outcome = { outcome: sent.outcome, reasons: sent.reasons };
      }
    } else {
      await acts.createCadenceTask({ orgId: input.orgId, enrolmentId: input.enrolmentId, stepKey: step.key });
      const expiresMs = step.taskExpiresAfterHours === null ? undefined : step.taskExpiresAfterHours * 3600 * 1000;
      await moveTo('waiting-on-task', step.key, expiresMs === undefined ? null : Date.now() + expiresMs, 'the rep to do the task');
      const done = await condition(() => stopped !== null || tasksDone.has(step.key), expiresMs);
      outcome = { outcome: done && tasksDone.has(step.key) ? 'task_done' : stopped ? 'stopped' : 'task_expired', reasons: [] };
    }
    steps.push({ stepKey: step.key, ...outcome, atMs: lastMs });
    status = { ...status, lastOutcome: { stepKey: step.key, ...outcome } };
    if (outcome.outcome === 'blocked' && outcome.reasons.some((r) => r === 'suppressed' || r === 'do_not_contact' || r === 'erased')) stopped ??= `blocked:${outcome.reasons.join(',')}`;
    if (outcome.outcome === 'replied') stopped ??= 'replied';
    if (stopped) break;
  }

  const reason: string | null = stopped;
  if (bounceToRecord) await acts.recordHardBounce({ orgId: input.orgId, enrolmentId: input.enrolmentId });
  const ended = await acts.endEnrolment({ orgId: input.orgId, enrolmentId: input.enrolmentId, outcome: reason ? 'stopped' : 'completed', reason, hardBounce: reason === 'hard_bounce' });
  // An unsubscribe or complaint ends the person's other cadences; a reply may end colleagues' at the same account.
  // (Histories from before endEnrolment returned this list replay with none.)
  for (const other of ended?.alsoStop ?? []) {
    try {
      await getExternalWorkflowHandle(other.workflowId).signal(stopSignal, { reason: other.reason });
    } catch {
      // That cadence ended meanwhile: nothing to stop.
    }
  }
  await moveTo(reason ? 'stopped' : 'completed', null, null, null);
  return { outcome: reason ? 'stopped' : 'completed', reason, steps };
}
