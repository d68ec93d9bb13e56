// createActivities(deps): the worker passes real adapters, tests pass fakes. Workflows import only the type.
import type { SystemRepository } from '../adapters/db/system-repository.ts';
import { createStackCheckActivities } from './stack-check.ts';

export interface ActivityDeps {
  system: SystemRepository;
  /** The identity of the worker process running these activities (shown in histories and heartbeats). */
  workerIdentity: string;
}

export function createActivities(deps: ActivityDeps) {
  return {
    ...createStackCheckActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
