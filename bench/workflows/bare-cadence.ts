// The baseline of bench/cadence.ts: the follow-up cadence's timers without its work. Per step it sleeps until the
// step is due — the previous step's wake-up plus the step's delay, counted the way the cadence counts — then runs
// one no-op activity that reports when it ran. Bundled on its own by the bench; not part of workflows/index.ts.
import { proxyActivities, sleep } from '@temporalio/workflow';
import { defaultActivityOptions } from '../../workflows/shared/activity-options.ts';

export interface BareCadenceActivities {
  bareStep(input: { step: number }): Promise<{ ranAtMs: number }>;
}

export interface BareCadenceInput {
  /** One delay per step, in ms; the first counts from the workflow's start. */
  delaysMs: number[];
}

export interface BareCadenceResult {
  /** Per step: when the wait ended (workflow time, like the cadence's `atMs`) and when the no-op activity ran. */
  steps: Array<{ atMs: number; ranAtMs: number }>;
}

// The cadence's activity options, so both paths retry and time out alike.
const { bareStep } = proxyActivities<BareCadenceActivities>(defaultActivityOptions);

export async function bareCadenceWorkflow(input: BareCadenceInput): Promise<BareCadenceResult> {
  const steps: BareCadenceResult['steps'] = [];
  let lastMs = Date.now();
  for (const [step, delayMs] of input.delaysMs.entries()) {
    const dueMs = lastMs + delayMs;
    if (dueMs > Date.now()) await sleep(dueMs - Date.now());
    lastMs = Date.now();
    const { ranAtMs } = await bareStep({ step });
    steps.push({ atMs: lastMs, ranAtMs });
  }
  return { steps };
}
