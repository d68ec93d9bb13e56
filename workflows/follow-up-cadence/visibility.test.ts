// Search attributes of cadences on the real dev server: `Playbook = … AND ProcessStatus = …` lists the matching
// enrolment and not the other.
import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { cadenceRepository } from '../../adapters/db/cadence-repository.ts';
import type { Database } from '../../adapters/db/session.ts';
import type { PlaybookDefinition } from '../../domain/playbooks.ts';
import { testActivities } from '../../infra/testing/activities.ts';
import { appDatabase } from '../../infra/testing/database.ts';
import { connectDevServer, testResources, uniqueTaskQueue } from '../../infra/testing/harness.ts';
import { outboundFixture } from '../../infra/testing/outbound.ts';
import { followUpWorkflowId } from './messages.ts';
import { followUpCadenceWorkflow } from './workflow.ts';

let env: TestWorkflowEnvironment;
let db: Database;
beforeAll(async () => {
  env = await connectDevServer();
  db = appDatabase('cadence-visibility');
});
afterAll(async () => {
  await db?.end();
  await env?.teardown();
});

const allDay = { start: '00:00', end: '24:00' };
const playbook = (name: string, secondStepHours: number | null): PlaybookDefinition => ({
  name,
  steps: [
    { key: 'intro', kind: 'auto_email', delay: { amount: 0, unit: 'minutes' }, subject: 'Hi', body: 'Hi {{contact.firstName}}', aiPersonalise: false, taskExpiresAfterHours: null },
    ...(secondStepHours === null ? [] : [{ key: 'bump', kind: 'auto_email' as const, delay: { amount: secondStepHours, unit: 'hours' as const }, subject: 'Re: Hi', body: 'Bump', aiPersonalise: false, taskExpiresAfterHours: null }]),
  ],
  sendWindow: { mon: [allDay], tue: [allDay], wed: [allDay], thu: [allDay], fri: [allDay], sat: [allDay], sun: [allDay] },
  allowConcurrentEnrolments: false,
  reenrolCooldownDays: 30,
  stopColleaguesOnReply: false,
  sendAssist: false,
});

describe('cadence search attributes (dev server)', () => {
  it('Playbook and ProcessStatus filter enrolments', async () => {
    const fixture = await outboundFixture(db, { policy: 'auto_send_templates' });
    const orgId = fixture.org.orgId;
    const suffix = randomUUID().slice(0, 6);
    const quick = `quick-${suffix}`;
    const slow = `slow-${suffix}`;
    await db.asService(async (tx) => {
      await cadenceRepository.createPlaybook(tx, { orgId, key: quick, name: quick, definition: playbook(quick, null), createdByMemberId: null });
      await cadenceRepository.createPlaybook(tx, { orgId, key: slow, name: slow, definition: playbook(slow, 5), createdByMemberId: null });
    });
    const taskQueue = uniqueTaskQueue('cadence-visibility');
    const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: testResources().workflowBundle, activities: testActivities(db) });
    await worker.runUntil(async () => {
      const ids: Record<string, string> = {};
      for (const key of [quick, slow]) {
        const contact = await fixture.contact();
        await db.asService((tx) => tx`update public.contacts set first_name = 'Sam', time_zone = 'UTC' where id = ${contact.id}`);
        const version = await db.asService((tx) => cadenceRepository.latestVersion(tx, orgId, key));
        const workflowId = followUpWorkflowId(orgId, contact.id, key);
        const enrolmentId = await db.asService((tx) => cadenceRepository.createEnrolment(tx, { orgId, contactId: contact.id, playbookVersionId: version!.versionId, ownerMemberId: fixture.org.members.rep, mailboxId: fixture.mailboxId, workflowId }));
        await env.client.workflow.start(followUpCadenceWorkflow, { taskQueue, workflowId, args: [{ orgId, enrolmentId }] });
        ids[key] = workflowId;
      }
      await env.client.workflow.getHandle(ids[quick]!).result();
      const list = async (query: string) => {
        const found: string[] = [];
        for await (const w of env.client.workflow.list({ query })) found.push(w.workflowId);
        return found;
      };
      let completed: string[] = [];
      let waiting: string[] = [];
      for (let i = 0; i < 120; i++) {
        completed = await list(`Playbook = '${quick}' AND ProcessStatus = 'completed'`);
        waiting = await list(`Playbook = '${slow}' AND ProcessStatus = 'waiting'`);
        if (completed.length === 1 && waiting.length === 1) break;
        await delay(250);
      }
      expect(completed).toEqual([ids[quick]]);
      expect(waiting).toEqual([ids[slow]]);
      expect(await list(`Playbook = '${quick}' AND ProcessStatus = 'waiting'`)).toEqual([]);
      expect(await list(`OrgId = '${orgId}' AND Owner = '${fixture.org.members.rep}'`)).toHaveLength(2);
      await env.client.workflow.getHandle(ids[slow]!).terminate('test done');
    });
  });
});
