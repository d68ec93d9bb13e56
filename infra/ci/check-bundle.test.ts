import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DefaultLogger } from '@temporalio/worker';
import { bundleWorkflows } from '../../worker/create-worker.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'bundle-check-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('workflow bundle check', () => {
  it('bundles the real workflows', async () => {
    const { code } = await bundleWorkflows();
    expect(code).toContain('stackCheckWorkflow');
  });

  it('fails on a workflow file that imports node:fs', async () => {
    const entry = path.join(dir, 'index.ts');
    writeFileSync(entry, "import { readFileSync } from 'node:fs';\nexport async function badWorkflow() { return readFileSync('/etc/hostname', 'utf8'); }\n");
    const errors: string[] = [];
    const logger = new DefaultLogger('WARN', (entry) => errors.push(entry.message));
    await expect(bundleWorkflows({ path: entry, logger })).rejects.toThrow(/Webpack finished with errors/);
    expect(errors.join('\n')).toMatch(/node:fs/);
  });
});
