// `npm run replay`: replays workflow histories against the current workflow code. A history that no longer
// replays means a code change would break running processes: put the change behind patched().
//   npm run replay -- path/to/history.json [more.json …]            replay recorded files
//   npm run replay -- --workflow-id ID [--save path/to/history.json]  fetch from the server, replay (and record)
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { historyFromJSON, historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { DEFAULT_TEMPORAL_PORT, connectionOptions, definedEnv, loadTemporalConfig } from '../../temporal.config.ts';
import { bundleWorkflows } from '../../worker/create-worker.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { 'workflow-id': { type: 'string' }, save: { type: 'string' } },
});

const histories: Array<{ workflowId: string; history: unknown }> = [];
if (values['workflow-id']) {
  const config = loadTemporalConfig();
  const address = config.address ?? `127.0.0.1:${definedEnv().TEMPORAL_PORT ?? DEFAULT_TEMPORAL_PORT}`;
  const connection = await Connection.connect(connectionOptions(config, address));
  const client = new Client({ connection, namespace: config.namespace });
  const history = await client.workflow.getHandle(values['workflow-id']).fetchHistory();
  await connection.close();
  if (values.save) {
    mkdirSync(path.dirname(values.save), { recursive: true });
    writeFileSync(values.save, `${historyToJSON(history)}\n`);
    console.log(`saved ${values.save}`);
  }
  histories.push({ workflowId: values['workflow-id'], history });
}
for (const file of positionals) {
  histories.push({ workflowId: path.basename(file, '.json'), history: historyFromJSON(JSON.parse(readFileSync(file, 'utf8'))) });
}
if (histories.length === 0) {
  console.error('usage: npm run replay -- <history.json …> | --workflow-id ID [--save file.json]');
  process.exit(2);
}

Runtime.install({ logger: new DefaultLogger('WARN') });
const workflowBundle = await bundleWorkflows();
let failed = 0;
for await (const result of Worker.runReplayHistories({ workflowBundle }, histories)) {
  if (result.error) {
    failed++;
    console.log(`FAIL ${result.workflowId}: ${result.error.name}: ${result.error.message}`);
  } else {
    console.log(`ok   ${result.workflowId}`);
  }
}
process.exit(failed > 0 ? 1 : 0);
