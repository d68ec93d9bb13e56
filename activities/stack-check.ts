import { Context, log } from '@temporalio/activity';
import { ValidationError } from '../domain/errors.ts';
import type { WorkerCheckReport } from '../workflows/stack-check/messages.ts';
import type { ActivityDeps } from './index.ts';

export interface CheckWorkerInput {
  checkId: string;
  workSeconds: number;
}

/** What the activity reports in each heartbeat; a retry on another worker sees the last one. */
export interface WorkerCheckHeartbeat {
  workerIdentity: string;
  secondsDone: number;
}

export function createStackCheckActivities(deps: Pick<ActivityDeps, 'system' | 'workerIdentity'>) {
  return {
    async checkWorker(input: CheckWorkerInput): Promise<WorkerCheckReport> {
      if (!Number.isInteger(input.workSeconds) || input.workSeconds < 0 || input.workSeconds > 600) {
        throw new ValidationError(`workSeconds must be an integer from 0 to 600, got ${input.workSeconds}`);
      }
      const ctx = Context.current();
      const previous = ctx.info.heartbeatDetails as WorkerCheckHeartbeat | undefined;
      if (previous) {
        log.info('Worker check resumed after another attempt', { previousWorker: previous.workerIdentity, attempt: ctx.info.attempt });
      }
      for (let second = 0; second < input.workSeconds; second++) {
        ctx.heartbeat({ workerIdentity: deps.workerIdentity, secondsDone: second } satisfies WorkerCheckHeartbeat);
        // Cancellation-aware: a cancelled or timed-out attempt stops here.
        await ctx.sleep(1000);
      }
      ctx.heartbeat({ workerIdentity: deps.workerIdentity, secondsDone: input.workSeconds } satisfies WorkerCheckHeartbeat);
      return {
        workerIdentity: deps.workerIdentity,
        databaseTime: await deps.system.serverTime(),
        attempt: ctx.info.attempt,
        takenOverFrom: previous?.workerIdentity ?? null,
      };
    },
  };
}
