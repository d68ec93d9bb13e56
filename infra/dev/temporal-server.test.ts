// Starting the Temporal CLI dev server: when it dies during start (here: its port is taken), it is started once
// more, and the error names the cause before the Go stack.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { temporalCliPath } from '../tools/binaries.ts';
import { freePort } from '../testing/ports.ts';
import { startTemporalDevServer } from './temporal-server.ts';

describe('the Temporal dev server', () => {
  it('a server that dies during start is started once more, and the error says why first', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'closeloop-temporal-'));
    const port = await freePort();
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(port, '127.0.0.1', resolve));
    try {
      const logFile = path.join(dir, 'temporal.log');
      const error = await startTemporalDevServer({ cliPath: temporalCliPath(), port, uiPort: null, dbFile: null, namespace: 'default', logFile }).then(
        () => null,
        (err: unknown) => err as Error,
      );
      expect(error?.name).toBe('DevServerExitedError');
      expect(error?.message).toMatch(/exited during start[\s\S]*address already in use/);
      // Two starts wrote to the log.
      expect(readFileSync(logFile, 'utf8').match(/address already in use/g)?.length ?? 0).toBeGreaterThanOrEqual(2);
    } finally {
      taken.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
