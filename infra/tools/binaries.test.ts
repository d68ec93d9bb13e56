import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../domain/errors.ts';
import { temporalCliPath, temporalTestServerPath } from './binaries.ts';

describe('Temporal binaries', () => {
  it('are found in the project-local tools folder that npm run setup fills', () => {
    expect(path.isAbsolute(temporalCliPath())).toBe(true);
    expect(temporalTestServerPath()).toMatch(/temporal-test-server$/);
  });

  it('when missing, the error names the fixes: setup, an absolute path, or TEMPORAL_ADDRESS', () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'no-tools-'));
    const attempt = () => temporalCliPath({ CLOSELOOP_TOOLS_DIR: empty });
    expect(attempt).toThrow(ConfigurationError);
    expect(attempt).toThrow(/npm run setup.*TEMPORAL_CLI_PATH.*TEMPORAL_ADDRESS/);
  });

  it('an override must be an absolute path that exists', () => {
    expect(() => temporalCliPath({ TEMPORAL_CLI_PATH: 'temporal' })).toThrow(/absolute/);
    expect(() => temporalCliPath({ TEMPORAL_CLI_PATH: '/nowhere/temporal' })).toThrow(/does not exist/);
  });
});
