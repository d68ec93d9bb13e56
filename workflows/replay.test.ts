// Recorded histories of real runs must replay against today's code: a change that breaks them would break
// running processes, and must go behind patched(). Record more with
// `npm run replay -- --workflow-id ID --save workflows/<process>/histories/<name>.json`.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import { Worker } from '@temporalio/worker';
import { testResources } from '../infra/testing/harness.ts';

const workflowsDir = fileURLToPath(new URL('.', import.meta.url));
const rooms = readdirSync(workflowsDir, { withFileTypes: true }).filter((d) => d.isDirectory() && d.name !== 'shared').map((d) => d.name);
const files = rooms.flatMap((room) => {
  const dir = path.join(workflowsDir, room, 'histories');
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => path.join(room, 'histories', f)) : [];
});

describe('replay of recorded histories', () => {
  it('every process room has at least one recorded history', () => {
    expect(rooms.filter((room) => !files.some((f) => f.startsWith(`${room}/`)))).toEqual([]);
  });

  it.each(files)('%s replays against the current workflow code', async (file) => {
    const history = historyFromJSON(JSON.parse(readFileSync(path.join(workflowsDir, file), 'utf8')));
    await expect(Worker.runReplayHistory({ workflowBundle: testResources().workflowBundle }, history, file)).resolves.toBeUndefined();
  });
});
