// `npm run stack-check`: starts the diagnostic workflow on the running stack and prints where to watch it.
//   --wait-seconds N   durable timer before the worker check (default 30)
//   --work-seconds N   how long the worker check heartbeats (default 5)
//   --follow           wait for the result and print it
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { DEFAULT_TEMPORAL_PORT, DEFAULT_TEMPORAL_UI_PORT, connectionOptions, definedEnv, loadTemporalConfig } from '../../temporal.config.ts';
import { stackCheckWorkflowId, type StackCheckInput } from '../../workflows/stack-check/messages.ts';
import type { stackCheckWorkflow } from '../../workflows/stack-check/workflow.ts';

const { values } = parseArgs({
  options: {
    'wait-seconds': { type: 'string', default: '30' },
    'work-seconds': { type: 'string', default: '5' },
    follow: { type: 'boolean', default: false },
  },
});
const env = definedEnv();
const config = loadTemporalConfig();
const address = config.address ?? `127.0.0.1:${env.TEMPORAL_PORT ?? DEFAULT_TEMPORAL_PORT}`;
const input: StackCheckInput = {
  checkId: new Date().toISOString(),
  waitSeconds: Number(values['wait-seconds']),
  workSeconds: Number(values['work-seconds']),
};
if (!Number.isInteger(input.waitSeconds) || input.waitSeconds < 0 || !Number.isInteger(input.workSeconds) || input.workSeconds < 0 || input.workSeconds > 600) {
  console.error('--wait-seconds must be a whole number >= 0 and --work-seconds a whole number from 0 to 600');
  process.exit(2);
}

const connection = await Connection.connect(connectionOptions(config, address)).catch((err: unknown) => {
  console.error(`Cannot reach Temporal at ${address} (${String(err)}). Is "npm run dev" running?`);
  process.exit(1);
});
const client = new Client({ connection, namespace: config.namespace });
const workflowId = stackCheckWorkflowId(input.checkId);
const handle = await client.workflow.start<typeof stackCheckWorkflow>('stackCheckWorkflow', {
  taskQueue: config.taskQueue,
  workflowId,
  args: [input],
  staticSummary: `Stack check · ${input.waitSeconds} s durable timer, ${input.workSeconds} s worker check`,
  staticDetails: 'Diagnostic process: proves that timers survive restarts and activities survive the loss of a worker.',
});
const uiBase = config.address ? '(your Temporal Web UI)' : `http://127.0.0.1:${env.TEMPORAL_UI_PORT ?? DEFAULT_TEMPORAL_UI_PORT}`;
console.log(`started ${workflowId}`);
console.log(`watch it: ${uiBase}/namespaces/${config.namespace}/workflows/${encodeURIComponent(workflowId)}`);
console.log(`or: .tools/bin/temporal workflow describe --address ${address} --workflow-id '${workflowId}'`);
if (values.follow) console.log(JSON.stringify(await handle.result(), null, 2));
await connection.close();
