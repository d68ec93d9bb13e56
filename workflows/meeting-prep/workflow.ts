import { condition, proxyActivities, setCurrentDetails, setHandler, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../../activities/index.ts';
import { defaultActivityOptions } from '../shared/activity-options.ts';
import { OrgId, ProcessStatus } from '../shared/search-attributes.ts';
import { meetingChangedSignal, meetingPrepStatusQuery, type MeetingPrepInput, type MeetingPrepResult, type MeetingPrepStatus, type MeetingPrepStep } from './messages.ts';

const acts = proxyActivities<Activities>(defaultActivityOptions);

/**
 * The prep brief of one meeting: waits until the brief is due (by default an hour before the start), writes it,
 * then stays until the meeting starts so that a reschedule moves the brief and a cancellation removes it.
 */
export async function meetingPrepWorkflow(input: MeetingPrepInput): Promise<MeetingPrepResult> {
  let changes = 0;
  let moves = 0;
  let status: MeetingPrepStatus = { step: 'waiting', dueAt: null, meetingStartAt: null };
  setHandler(meetingChangedSignal, () => void (changes += 1));
  setHandler(meetingPrepStatusQuery, () => status);
  upsertSearchAttributes([{ key: OrgId, value: input.orgId }]);

  const show = (step: MeetingPrepStep, dueMs: number | null, startMs: number | null) => {
    status = { step, dueAt: dueMs === null ? null : new Date(dueMs).toISOString(), meetingStartAt: startMs === null ? null : new Date(startMs).toISOString() };
    upsertSearchAttributes([{ key: ProcessStatus, value: step }]);
    setCurrentDetails(`**${step}**${status.meetingStartAt ? ` · meeting ${status.meetingStartAt}` : ''}${status.dueAt ? ` · brief due ${status.dueAt}` : ''}`);
  };

  let plannedStartMs: number | null = null;
  for (;;) {
    const seen = changes;
    const meeting = await acts.loadMeeting(input);
    if (!meeting.exists || meeting.status !== 'scheduled') {
      await acts.cancelBrief(input);
      show('cancelled', null, null);
      return { outcome: 'cancelled', moves };
    }
    if (plannedStartMs !== null && plannedStartMs !== meeting.startMs) moves += 1;
    plannedStartMs = meeting.startMs;
    if (Date.now() >= meeting.startMs) {
      show('done', null, meeting.startMs);
      return { outcome: 'too-late', moves };
    }
    await acts.scheduleBrief({ ...input, startMs: meeting.startMs, dueMs: meeting.dueMs, workflowId: workflowInfo().workflowId });
    show('waiting', meeting.dueMs, meeting.startMs);
    // A meeting booked inside the lead time gets its brief at once.
    if (Date.now() < meeting.dueMs && (await condition(() => changes !== seen, meeting.dueMs - Date.now()))) continue;
    if (changes !== seen) continue;
    await acts.prepareBrief({ ...input, startMs: meeting.startMs });
    show('ready', meeting.dueMs, meeting.startMs);
    if (await condition(() => changes !== seen, Math.max(1, meeting.startMs - Date.now()))) continue;
    show('done', meeting.dueMs, meeting.startMs);
    return { outcome: 'delivered', moves };
  }
}
