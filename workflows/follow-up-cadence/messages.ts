// Messages of the follow-up cadence: one workflow per enrolment (contact × playbook version).
import { defineQuery, defineSignal } from '@temporalio/workflow';

export interface FollowUpInput {
  orgId: string;
  enrolmentId: string;
}

/** Outside events that end or pause a cadence. `eventId` makes a repeated delivery harmless. */
export type CadenceEvent =
  | { eventId: string; kind: 'reply' }
  | { eventId: string; kind: 'out_of_office'; returnsAtMs: number | null }
  | { eventId: string; kind: 'hard_bounce' }
  | { eventId: string; kind: 'soft_bounce' }
  | { eventId: string; kind: 'unsubscribed' }
  | { eventId: string; kind: 'complaint' }
  | { eventId: string; kind: 'meeting_booked' }
  /** A call note says the contact asked to be called back (at `atMs` when certain): emails wait until then. */
  | { eventId: string; kind: 'callback_requested'; atMs: number | null };

export const cadenceEventSignal = defineSignal<[CadenceEvent]>('cadenceEvent');
export const pauseSignal = defineSignal<[{ reason: string }]>('pause');
export const resumeSignal = defineSignal<[]>('resume');
export const stopSignal = defineSignal<[{ reason: string }]>('stop');
/** A manual step's task was done (or skipped) by the rep. */
export const taskDoneSignal = defineSignal<[{ stepKey: string }]>('taskDone');
/** The enrolment has a new owner (the API has already written it): later drafts and tasks are theirs. */
export const reassignedSignal = defineSignal<[{ ownerMemberId: string }]>('reassigned');
/** The contact was merged into another (identity resolution): the cadence now belongs to the survivor. */
export const contactMergedSignal = defineSignal<[{ survivorId: string }]>('contactMerged');
/** The contact's email addresses changed: a cadence waiting for a working address after a hard bounce resumes. */
export const addressChangedSignal = defineSignal<[]>('addressChanged');

export type CadenceStep = 'scheduled' | 'waiting' | 'paused' | 'drafting' | 'sending' | 'waiting-on-task' | 'completed' | 'stopped';

export interface CadenceStatus {
  step: CadenceStep;
  since: string;
  /** The playbook step being waited on or worked, e.g. "intro". */
  stepKey: string | null;
  nextActionAt: string | null;
  /** What it waits on, in words. */
  waitingOn: string | null;
  /** The last step's outcome and why: e.g. { stepKey: 'intro', outcome: 'blocked', reasons: ['suppressed'] }. */
  lastOutcome: { stepKey: string; outcome: string; reasons: string[] } | null;
}

export const cadenceStatusQuery = defineQuery<CadenceStatus>('cadenceStatus');

export interface FollowUpResult {
  outcome: 'completed' | 'stopped';
  reason: string | null;
  steps: Array<{ stepKey: string; outcome: string; reasons: string[]; atMs: number }>;
}

export function followUpWorkflowId(orgId: string, contactId: string, playbookKey: string): string {
  return `follow-up:${orgId}:${contactId}:${playbookKey}`;
}

/** A paused-for-out-of-office cadence without a parsed return date resumes after this long. */
export const DEFAULT_OOO_PAUSE_MS = 7 * 24 * 3600 * 1000;
/** After a hard bounce the cadence waits this long for a working address, then stops. */
export const HARD_BOUNCE_FIX_WAIT_MS = 14 * 24 * 3600 * 1000;
/** Patch id: a hard bounce pauses for a fixed address instead of stopping (running cadences keep the old path). */
export const HARD_BOUNCE_WAITS_FOR_FIX = 'hard-bounce-waits-for-fix';
/** Patch id: a touch pushed back by a pause or a soft bounce is placed in the send window again. */
export const RESCHEDULE_IN_WINDOW = 'reschedule-in-window';
/** Patch id: a step held for review is drafted again once the rep resumes (it used to be skipped). */
export const RETRY_HELD_STEP = 'retry-held-step';
/** A callback without a certain time holds the cadence's emails this long (the rep confirms the time meanwhile). */
export const DEFAULT_CALLBACK_PAUSE_MS = 7 * 24 * 3600 * 1000;
/** After a soft bounce, the next step waits at least this long. */
export const SOFT_BOUNCE_RETRY_MS = 24 * 3600 * 1000;
