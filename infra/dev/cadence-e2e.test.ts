// The follow-up cadence end to end on the embedded default, as `npm run dev` runs it (Postgres, the Temporal dev
// server, the worker and the API as separate processes, the offline outbox, the seeded demo organisation):
// enrol through the API → the draft awaits approval → approve → the email is in the outbox → a reply is
// recorded → the cadence stops, and the Temporal Web UI's API shows it stopped.
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { DevStack, apiClient, isAlive, stackFixture, until } from '../testing/dev-stack.ts';

const cleanups: Array<() => Promise<unknown> | void> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

const JORDAN = '00000000-0000-4000-8000-000000000301'; // seeded contact, United States, legitimate interest
const allDay = [{ start: '00:00', end: '24:00' }];

describe('cadence on the embedded default', () => {
  it('enrol → approve → outbox → reply → stopped, visible in the Web UI', { timeout: 400_000 }, async () => {
    const { dataDir, ports } = await stackFixture();
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const stack = await DevStack.start(dataDir, ports, 'e2e');
    cleanups.push(async () => {
      if (isAlive(stack.launcher.pid)) await stack.ctrlC();
    });
    const api = `http://127.0.0.1:${ports.api}`;
    const ui = `http://127.0.0.1:${ports.temporalUi}/api/v1/namespaces/default`;
    const { call, login } = apiClient(api);
    const manager = await login('max@northwind.example');
    const rep = await login('riya@northwind.example');

    const playbook = await call('POST', '/v1/playbooks', manager, { key: 'e2e-intro', definition: { name: 'E2E intro', sendWindow: { mon: allDay, tue: allDay, wed: allDay, thu: allDay, fri: allDay, sat: allDay, sun: allDay }, steps: [
      { key: 'intro', kind: 'auto_email', delay: { amount: 0, unit: 'minutes' }, subject: 'Pilot next steps, {{contact.firstName}}', body: 'Hi {{contact.firstName}}, shall we plan the pilot?' },
      { key: 'bump', kind: 'auto_email', delay: { amount: 2, unit: 'business_days' }, subject: 'Re: Pilot next steps', body: 'Bumping this, {{contact.firstName}}.' },
    ] } });
    expect(playbook.status).toBe(201);
    const enrolled = await call('POST', '/v1/enrolments', rep, { playbookKey: 'e2e-intro', contactIds: [JORDAN] });
    expect(enrolled.json.results[0]).toMatchObject({ enrolled: true, refusals: [] });
    const { enrolmentId, workflowId } = enrolled.json.results[0] as { enrolmentId: string; workflowId: string };

    // The demo organisation requires approval: the draft waits for Riya.
    const approval = await until('the approval', async () => (await call('GET', '/v1/approvals?status=pending', rep)).json.data.find((a: { workflowId: string }) => a.workflowId.includes(JORDAN)));
    expect((await call('GET', '/v1/outbox', rep)).json.data.filter((e: { toAddress: string }) => e.toAddress === 'jordan.lee@contoso.example')).toEqual([]);
    expect((await call('POST', `/v1/approvals/${approval.id}/decision`, rep, { decision: 'approve' })).status).toBe(200);
    const email = await until('the email in the outbox', async () => (await call('GET', '/v1/outbox', rep)).json.data.find((e: { toAddress: string }) => e.toAddress === 'jordan.lee@contoso.example'));
    expect(email.subject).toBe('Pilot next steps, Jordan');

    expect((await call('POST', `/v1/enrolments/${enrolmentId}/events`, rep, { eventId: 'e2e-reply-1', kind: 'reply' })).status).toBe(200);
    const enrolment = await until('the stopped enrolment', async () => {
      const row = (await call('GET', `/v1/enrolments/${enrolmentId}`, rep)).json;
      return row.status === 'stopped' ? row : undefined;
    });
    expect(enrolment.endReason).toBe('replied');

    // What an ops person sees in the Web UI: the run closed, its ProcessStatus stopped, found by a list query.
    const described = await until('the closed run in the Web UI', async () => {
      const res = await fetch(`${ui}/workflows/${encodeURIComponent(workflowId)}`);
      const body = (await res.json()) as { workflowExecutionInfo?: { status: string } };
      return body.workflowExecutionInfo?.status === 'WORKFLOW_EXECUTION_STATUS_COMPLETED' ? body : undefined;
    });
    expect(described.workflowExecutionInfo!.status).toBe('WORKFLOW_EXECUTION_STATUS_COMPLETED');
    const listed = await until('the list query in the Web UI', async () => {
      const res = await fetch(`${ui}/workflows?query=${encodeURIComponent(`WorkflowId = '${workflowId}' AND ProcessStatus = 'stopped' AND Playbook = 'e2e-intro'`)}`);
      const body = (await res.json()) as { executions?: Array<{ execution: { workflowId: string } }> };
      return body.executions?.length ? body.executions : undefined;
    });
    expect(listed.map((e) => e.execution.workflowId)).toEqual([workflowId]);
    expect((await stack.ctrlC()).code).toBe(0);
  });
});
