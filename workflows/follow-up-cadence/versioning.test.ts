// Changing a live process safely: a recorded history of a real cadence replays against today's code; the same
// history fails replay against a changed workflow (an extra timer before the first step); and the same change
// behind patched() replays clean. The variants are generated from the real workflow file into a temp folder.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import { DeterminismViolationError } from '@temporalio/workflow';
import { Worker } from '@temporalio/worker';
import { bundleWorkflows } from '../../worker/create-worker.ts';
import { testResources } from '../../infra/testing/harness.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const history = historyFromJSON(JSON.parse(readFileSync(path.join(here, 'histories', 'follow-up-two-emails-v1.json'), 'utf8')));
const original = readFileSync(path.join(here, 'workflow.ts'), 'utf8');
const anchor = '  const plan = await acts.loadEnrolment(input);';
// Inside the repository (the git-ignored .data folder), so the bundler finds @temporalio/workflow and still
// transpiles the files (it skips anything under node_modules).
const cache = path.resolve(here, '../../.data/test-variants');
mkdirSync(cache, { recursive: true });
const dir = mkdtempSync(path.join(cache, 'cadence-variants-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A bundle whose cadence workflow has `change` inserted before the enrolment is loaded. */
async function bundleWith(name: string, change: string) {
  expect(original).toContain(anchor);
  const source = original
    .replace(anchor, `${change}\n${anchor}`)
    // Imports resolve from the real tree.
    .replace(/from '\.\.\/\.\.\/([^']+)'/g, (_m, p: string) => `from '${path.resolve(here, '../..', p)}'`)
    .replace(/from '\.\.\/([^']+)'/g, (_m, p: string) => `from '${path.resolve(here, '..', p)}'`)
    .replace(/from '\.\/([^']+)'/g, (_m, p: string) => `from '${path.resolve(here, p)}'`)
    .replace("} from '@temporalio/workflow';", `${original.includes('  patched,\n') ? '' : '  patched,\n'}  sleep,\n} from '@temporalio/workflow';`);
  const file = path.join(dir, `${name}.ts`);
  writeFileSync(file, source);
  const entry = path.join(dir, `${name}-index.ts`);
  writeFileSync(entry, `export { followUpCadenceWorkflow } from '${file}';\n`);
  return bundleWorkflows({ path: entry });
}

describe('follow-up cadence versioning', () => {
  it('the recorded history replays against the current code', async () => {
    await expect(Worker.runReplayHistory({ workflowBundle: testResources().workflowBundle }, history, 'current')).resolves.toBeUndefined();
  });

  it('a changed workflow (a new timer before the first step) fails replay with a DeterminismViolationError', async () => {
    const bundle = await bundleWith('changed', "  await sleep('1 minute');");
    await expect(Worker.runReplayHistory({ workflowBundle: bundle }, history, 'changed')).rejects.toBeInstanceOf(DeterminismViolationError);
  });

  it('the same change behind patched() replays clean', async () => {
    const bundle = await bundleWith('patched', "  if (patched('wait-a-minute-before-loading')) await sleep('1 minute');");
    await expect(Worker.runReplayHistory({ workflowBundle: bundle }, history, 'patched')).resolves.toBeUndefined();
  });
});
