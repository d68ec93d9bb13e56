// Recorded histories of real runs must replay against today's code: a change that breaks them would break
// running processes, and must go behind patched(). Record more with `npm run replay -- --workflow-id ID --save …`.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import { Worker } from '@temporalio/worker';
import { testResources } from '../../infra/testing/harness.ts';

const dir = fileURLToPath(new URL('./histories/', import.meta.url));
const files = readdirSync(dir).filter((f) => f.endsWith('.json'));

describe('stack-check replay', () => {
  it('has recorded histories to replay', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files)('%s replays against the current workflow code', async (file) => {
    const history = historyFromJSON(JSON.parse(readFileSync(path.join(dir, file), 'utf8')));
    await expect(Worker.runReplayHistory({ workflowBundle: testResources().workflowBundle }, history, file)).resolves.toBeUndefined();
  });
});
