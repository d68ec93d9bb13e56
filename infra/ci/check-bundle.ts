// CI step: bundle the workflows exactly as the worker does. A workflow file that imports a Node builtin (or
// anything else the sandbox cannot run) fails here, before it can fail on a worker.
import { bundleWorkflows } from '../../worker/create-worker.ts';

const started = Date.now();
try {
  const { code } = await bundleWorkflows();
  process.stdout.write(`bundle check: workflows bundled (${(code.length / 1024).toFixed(0)} KiB, ${Date.now() - started} ms)\n`);
} catch (err) {
  process.stderr.write(`bundle check failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
