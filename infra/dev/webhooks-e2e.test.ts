// Inbound webhooks end to end on the embedded default (`npm run dev`'s launcher: Postgres, the Temporal dev server,
// the worker with its inbox dispatcher, the API), with the worker sending through the real Resend SDK to a local
// fake of Resend's API (these machines cannot reach Resend): a signed reply webhook stops a running cadence, and a
// signed Resend bounce event suppresses the address and takes that contact's cadence off sending (it waits for a
// working address, as a hard bounce does).
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { startFakeResendServer } from '../../adapters/email/fake-resend-server.ts';
import { DevStack, apiClient, isAlive, stackFixture, until } from '../testing/dev-stack.ts';
import { closeloopHookDelivery, newResendSecret, resendDelivery, resendEmailEvent } from '../testing/webhooks.ts';

const cleanups: Array<() => Promise<unknown> | void> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

const ORG = '00000000-0000-4000-8000-000000000001';
const JORDAN = { id: '00000000-0000-4000-8000-000000000301', email: 'jordan.lee@contoso.example' };
const SAM = { id: '00000000-0000-4000-8000-000000000302', email: 'sam.patel@contoso.example' };
const allDay = [{ start: '00:00', end: '24:00' }];

describe('webhooks on the embedded default', () => {
  it('a signed reply webhook stops a running cadence; a Resend bounce event suppresses the address and stops sending to it', { timeout: 400_000 }, async () => {
    const resend = await startFakeResendServer();
    cleanups.push(() => resend.close());
    resend.setDomains([{ name: 'northwind.example', status: 'verified' }]);
    const { dataDir, ports } = await stackFixture();
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const stack = await DevStack.start(dataDir, ports, 'webhooks', { CLOSELOOP_EMAIL_PROVIDER: 'resend', RESEND_API_KEY: 're_e2e_key', RESEND_BASE_URL: resend.url });
    cleanups.push(async () => {
      if (isAlive(stack.launcher.pid)) await stack.ctrlC();
    });
    const api = `http://127.0.0.1:${ports.api}`;
    const ui = `http://127.0.0.1:${ports.temporalUi}/api/v1/namespaces/default`;
    const { call, login } = apiClient(api);
    const [admin, manager, rep] = [await login('ada@northwind.example'), await login('max@northwind.example'), await login('riya@northwind.example')];

    // The admin sets up the signing secrets: Closeloop's is generated, Resend's is the one Resend shows.
    const hookSecret = (await call('POST', '/v1/webhook-secrets', admin, { source: 'closeloop' })).json.secret as string;
    const resendSecret = newResendSecret();
    expect((await call('POST', '/v1/webhook-secrets', admin, { source: 'resend', secret: resendSecret })).status).toBe(201);

    expect((await call('POST', '/v1/playbooks', manager, { key: 'e2e-hooks', definition: { name: 'E2E hooks', sendWindow: { mon: allDay, tue: allDay, wed: allDay, thu: allDay, fri: allDay, sat: allDay, sun: allDay }, steps: [
      { key: 'intro', kind: 'auto_email', delay: { amount: 0, unit: 'minutes' }, subject: 'Hello {{contact.firstName}}', body: 'Hi {{contact.firstName}}, a quick question.' },
      { key: 'bump', kind: 'auto_email', delay: { amount: 2, unit: 'business_days' }, subject: 'Re: Hello', body: 'Bumping this, {{contact.firstName}}.' },
    ] } })).status).toBe(201);
    const enrolled = (await call('POST', '/v1/enrolments', rep, { playbookKey: 'e2e-hooks', contactIds: [JORDAN.id, SAM.id] })).json.results as Array<{ enrolmentId: string; workflowId: string; refusals: string[] }>;
    expect(enrolled.map((e) => e.refusals)).toEqual([[], []]);

    // Riya approves both first emails; they go out through Resend (the fake).
    for (const contact of [JORDAN, SAM]) {
      const approval = await until('an approval', async () => (await call('GET', '/v1/approvals?status=pending', rep)).json.data.find((a: { workflowId: string }) => a.workflowId.includes(contact.id)));
      expect((await call('POST', `/v1/approvals/${approval.id}/decision`, rep, { decision: 'approve' })).status).toBe(200);
    }
    const sentTo = async (address: string) => resend.acceptedEmails().find((e) => JSON.stringify(e.payload.to).includes(address));
    await until("Jordan's email at Resend", () => sentTo(JORDAN.email));
    const samEmail = await until("Sam's email at Resend", () => sentTo(SAM.email));

    // Jordan replies (seen by an inbox that posts Closeloop's signed hook).
    const reply = closeloopHookDelivery(hookSecret, { id: 'reply-e2e-1', type: 'reply.received', occurredAt: new Date().toISOString(), data: { from: JORDAN.email, subject: 'Re: Hello Jordan', text: 'Yes, happy to talk. Tuesday works.' } });
    expect((await call('POST', `/v1/hooks/closeloop/${ORG}`, null, reply.body, reply.headers)).status).toBe(200);
    const jordan = await until('Jordan\'s cadence stopped', async () => {
      const row = (await call('GET', `/v1/enrolments/${enrolled[0]!.enrolmentId}`, rep)).json;
      return row.status === 'stopped' ? row : undefined;
    });
    expect(jordan.endReason).toBe('replied');

    // Resend reports Sam's email bounced for good.
    const bounce = resendDelivery(resendSecret, resendEmailEvent('email.bounced', samEmail.id, SAM.email, { bounce: { type: 'Permanent', subType: 'NoEmail', message: 'The address does not exist' } }));
    expect((await call('POST', `/v1/hooks/resend/${ORG}`, null, bounce.body, bounce.headers)).status).toBe(200);
    await until('Sam suppressed', async () => ((await call('POST', '/v1/suppressions/check', rep, { email: SAM.email })).json.suppressed ? true : undefined));
    const listed = await until("Sam's cadence off sending in the Web UI", async () => {
      const query = `WorkflowId = '${enrolled[1]!.workflowId}' AND ProcessStatus = 'paused'`;
      const body = (await (await fetch(`${ui}/workflows?query=${encodeURIComponent(query)}`)).json()) as { executions?: unknown[] };
      return body.executions?.length ? body.executions : undefined;
    });
    expect(listed).toHaveLength(1);
    const inbox = (await call('GET', '/v1/webhook-inbox?status=processed', admin)).json.data as Array<{ provider: string }>;
    expect(inbox.map((d) => d.provider).sort()).toEqual(['closeloop', 'resend']);
    expect(resend.acceptedEmails().filter((e) => JSON.stringify(e.payload.to).includes(SAM.email))).toHaveLength(1);
    expect((await stack.ctrlC()).code).toBe(0);
  });
});
