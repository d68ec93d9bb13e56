import { proxyActivities, setCurrentDetails, setHandler, sleep, upsertSearchAttributes } from '@temporalio/workflow';
import type { Activities } from '../../activities/index.ts';
import { longActivityOptions } from '../shared/activity-options.ts';
import { ProcessStatus } from '../shared/search-attributes.ts';
import { stackCheckStatusQuery, type StackCheckInput, type StackCheckResult, type StackCheckStatus, type StackCheckStep } from './messages.ts';

const { checkWorker } = proxyActivities<Activities>(longActivityOptions);

/**
 * Proves the stack end to end: a durable timer (survives restarts of every process), then an activity
 * that heartbeats on whichever worker picks it up (survives the loss of a worker) and reads Postgres.
 */
export async function stackCheckWorkflow(input: StackCheckInput): Promise<StackCheckResult> {
  let status: StackCheckStatus = { step: 'waiting-on-timer', since: new Date().toISOString(), nextActionAt: null };
  setHandler(stackCheckStatusQuery, () => status);

  const moveTo = (step: StackCheckStep, nextActionAt: string | null, details: string) => {
    status = { step, since: new Date().toISOString(), nextActionAt };
    upsertSearchAttributes([{ key: ProcessStatus, value: step }]);
    setCurrentDetails(`**${step}** since ${status.since}\n\n${details}`);
  };

  const timerStartedAt = new Date();
  const fireAt = new Date(timerStartedAt.getTime() + input.waitSeconds * 1000).toISOString();
  moveTo('waiting-on-timer', fireAt, `Durable timer of ${input.waitSeconds}s; fires at ${fireAt}.`);
  await sleep(input.waitSeconds * 1000);
  const timerFiredAt = new Date().toISOString();

  moveTo('checking-worker', null, `Worker check running for ${input.workSeconds}s, heartbeating.`);
  const worker = await checkWorker.executeWithOptions(
    { summary: `Worker check (${input.workSeconds}s)` },
    [{ checkId: input.checkId, workSeconds: input.workSeconds }],
  );

  moveTo(
    'done',
    null,
    `Timer fired at ${timerFiredAt}; worker ${worker.workerIdentity} read Postgres at ${worker.databaseTime}` +
      (worker.takenOverFrom ? ` (took over from ${worker.takenOverFrom}, attempt ${worker.attempt}).` : '.'),
  );
  return { checkId: input.checkId, timerStartedAt: timerStartedAt.toISOString(), timerFiredAt, worker };
}
