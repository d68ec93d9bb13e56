import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from './session.ts';
import { appDatabase, seedOrganisation, type SeededOrg } from '../../infra/testing/database.ts';
import { processRunsRepository, type ProcessRunWrite } from './process-runs-repository.ts';

let db: Database;
let org: SeededOrg;
beforeAll(async () => {
  db = appDatabase('process-runs');
  org = await seedOrganisation(db, 'Projection Co');
});
afterAll(async () => db?.end());

const write = (over: Partial<ProcessRunWrite>): ProcessRunWrite => ({
  orgId: org.orgId,
  workflowId: 'follow-up:test',
  runId: 'run-1',
  kind: 'follow-up',
  subjectType: 'contact',
  subjectId: org.rows.contacts!,
  status: 'running',
  step: 'step-1',
  waitingOn: 'timer',
  nextActionAt: '2030-01-01T09:00:00.000Z',
  runSeq: 1,
  stepSeq: 1,
  ...over,
});

describe('process_runs projection', () => {
  it.each([
    ['an older step of the same run', { runSeq: 1, stepSeq: 2 }, { runSeq: 1, stepSeq: 1 }],
    ['the same step again (a retried activity)', { runSeq: 1, stepSeq: 2 }, { runSeq: 1, stepSeq: 2 }],
    ['any step of an older run', { runSeq: 2, stepSeq: 0 }, { runSeq: 1, stepSeq: 9 }],
  ])('ignores %s', async (_name, newer, older) => {
    const workflowId = `wf-${Math.random()}`;
    expect(await db.asService((tx) => processRunsRepository.record(tx, write({ workflowId, ...newer, step: 'newer', status: 'waiting' })))).toBe(true);
    expect(await db.asService((tx) => processRunsRepository.record(tx, write({ workflowId, ...older, step: 'older', status: 'running' })))).toBe(false);
    const stored = await db.asService((tx) => processRunsRepository.get(tx, org.orgId, workflowId));
    expect(stored).toMatchObject({ step: 'newer', status: 'waiting', ...newer });
  });

  it('applies newer steps and a new run in order', async () => {
    const workflowId = `wf-${Math.random()}`;
    for (const [runSeq, stepSeq, step] of [[1, 0, 'a'], [1, 1, 'b'], [2, 0, 'c']] as const) {
      expect(await db.asService((tx) => processRunsRepository.record(tx, write({ workflowId, runSeq, stepSeq, step, runId: `run-${runSeq}` })))).toBe(true);
    }
    expect(await db.asService((tx) => processRunsRepository.get(tx, org.orgId, workflowId))).toMatchObject({ step: 'c', runId: 'run-2', runSeq: 2, stepSeq: 0 });
  });
});

describe('append-only logs', () => {
  it.each(['event_log', 'audit_log'])('%s refuses update and delete, even for the worker', async (table) => {
    const id = org.rows[table]!;
    await expect(db.asService((tx) => tx`update ${tx('public.' + table)} set org_id = org_id where id = ${id}`)).rejects.toMatchObject({ code: '42501' });
    await expect(db.asService((tx) => tx`delete from ${tx('public.' + table)} where id = ${id}`)).rejects.toMatchObject({ code: '42501' });
  });
});
