// Messages of the meeting-prep process: one workflow per scheduled meeting (an activity of kind meeting), which
// writes the rep's prep brief before it. Whoever changes the meeting (the API, the webhook dispatcher, another
// process) signals `meetingChanged` with start: the workflow reads the meeting again and moves or removes the brief.
import { defineQuery, defineSignal } from '@temporalio/workflow';

export interface MeetingPrepInput {
  orgId: string;
  /** The meeting activity. */
  activityId: string;
}

export type MeetingPrepStep = 'waiting' | 'ready' | 'cancelled' | 'done';

export interface MeetingPrepStatus {
  step: MeetingPrepStep;
  /** When the brief is (or was) due. */
  dueAt: string | null;
  meetingStartAt: string | null;
}

export interface MeetingPrepResult {
  outcome: 'delivered' | 'cancelled' | 'too-late';
  /** How many times the brief moved with the meeting. */
  moves: number;
}

/** The meeting changed (time, status) or was removed: read it again. */
export const meetingChangedSignal = defineSignal<[]>('meetingChanged');
export const meetingPrepStatusQuery = defineQuery<MeetingPrepStatus>('meetingPrepStatus');

export function meetingPrepWorkflowId(orgId: string, activityId: string): string {
  return `meeting-prep:${orgId}:${activityId}`;
}
