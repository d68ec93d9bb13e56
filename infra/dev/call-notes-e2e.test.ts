// Call notes and meeting briefs on the embedded default (`npm run dev`'s launcher: Postgres, the Temporal dev
// server, the worker with the offline extractor, the API): notes posted through the API are read by the offline
// rules (labelled so), a task applies at once while the stage change waits; a meeting logged inside the lead time
// gets its brief, which the API reads back from the file storage the worker wrote it to.
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { OFFLINE_RULES_VERSION } from '../../adapters/ai/call-notes-offline.ts';
import { DevStack, apiClient, isAlive, stackFixture, until } from '../testing/dev-stack.ts';

const cleanups: Array<() => Promise<unknown> | void> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

const CONTOSO_DEAL = '00000000-0000-4000-8000-000000000401'; // seeded: stage "demo", owned by Riya
const JORDAN = '00000000-0000-4000-8000-000000000301';

describe('call notes on the embedded default', () => {
  it('notes read by the offline rules: a task at once, the stage change waiting; a meeting\'s brief written and read back', { timeout: 400_000 }, async () => {
    const { dataDir, ports } = await stackFixture();
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const stack = await DevStack.start(dataDir, ports, 'call-notes');
    cleanups.push(async () => {
      if (isAlive(stack.launcher.pid)) await stack.ctrlC();
    });
    const { call, login } = apiClient(`http://127.0.0.1:${ports.api}`);
    const rep = await login('riya@northwind.example');

    const posted = await call('POST', '/v1/call-notes', rep, {
      text: ['Riya: Thanks for the time, Jordan.', 'Jordan: We want a formal proposal for the pilot.', 'Riya: I will send the proposal by Friday.'].join('\n'),
      format: 'speaker', dealId: CONTOSO_DEAL, contactId: JORDAN, title: 'Pilot proposal call',
    });
    expect(posted.status, JSON.stringify(posted.json)).toBe(202);
    const note = await until('the proposals', async () => {
      const read = (await call('GET', `/v1/call-notes/${posted.json.id}`, rep)).json;
      return read.status === 'proposed' || read.status === 'completed' ? read : undefined;
    });
    expect(note).toMatchObject({ extractor: 'offline', model: null, promptVersion: OFFLINE_RULES_VERSION, droppedCount: 0 });
    const proposals = (await call('GET', `/v1/call-note-proposals?callNoteId=${posted.json.id}`, rep)).json.data as Array<{ kind: string; status: string; quote: string }>;
    expect(proposals).toEqual(expect.arrayContaining([
      expect.objectContaining({ kind: 'next_step', status: 'applied', quote: 'I will send the proposal by Friday.' }),
      expect.objectContaining({ kind: 'deal_stage', status: 'pending' }),
    ]));
    const tasks = (await call('GET', `/v1/tasks?dealId=${CONTOSO_DEAL}&status=open`, rep)).json.data as Array<{ title: string; source: string }>;
    expect(tasks).toEqual(expect.arrayContaining([expect.objectContaining({ title: 'I will send the proposal by Friday.', source: 'call_notes' })]));
    expect((await call('GET', `/v1/deals/${CONTOSO_DEAL}`, rep)).json.stage).toBe('demo');

    // A meeting in 30 minutes (inside the hour of lead time): its brief is written at once.
    const start = Date.now() + 30 * 60_000;
    const meeting = await call('POST', '/v1/activities', rep, {
      kind: 'meeting', direction: 'outbound', occurredAt: new Date().toISOString(), subject: 'Pilot review', contactId: JORDAN, dealId: CONTOSO_DEAL,
      meetingStartAt: new Date(start).toISOString(), meetingEndAt: new Date(start + 30 * 60_000).toISOString(), meetingStatus: 'scheduled',
    });
    expect(meeting.status, JSON.stringify(meeting.json)).toBe(201);
    const brief = await until('the brief', async () => (await call('GET', '/v1/meeting-briefs?status=ready', rep)).json.data.find((b: { meetingActivityId: string }) => b.meetingActivityId === meeting.json.id));
    const content = await call('GET', `/v1/meeting-briefs/${brief.id}/content`, rep);
    expect(content.status, JSON.stringify(content.json)).toBe(200);
    expect(content.json.markdown).toContain('Contoso Logistics');
    expect(content.json.markdown).toContain('I will send the proposal by Friday.');
  });
});
