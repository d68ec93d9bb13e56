// Activity timeouts and the retry policy, in one place. Workflow-safe (no Node imports).
import type { ActivityOptions } from '@temporalio/workflow';
import { NON_RETRYABLE_ERROR_TYPES } from '../../domain/errors.ts';

const retry = {
  initialInterval: '1 second',
  backoffCoefficient: 2,
  maximumInterval: '1 minute',
  nonRetryableErrorTypes: [...NON_RETRYABLE_ERROR_TYPES],
} satisfies ActivityOptions['retry'];

/** Short calls: a database write, a provider API call. */
export const defaultActivityOptions: ActivityOptions = {
  startToCloseTimeout: '1 minute',
  retry,
};

/** Work that can take minutes must heartbeat, so a dead worker is noticed in seconds and another takes over. */
export const longActivityOptions: ActivityOptions = {
  startToCloseTimeout: '15 minutes',
  heartbeatTimeout: '10 seconds',
  retry,
};
