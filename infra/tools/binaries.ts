// Absolute paths of the Temporal binaries. The SDK does not look bare names up on PATH, and its own
// download cannot work offline, so paths come from the environment or from the project's .tools/ venv.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ConfigurationError } from '../../domain/errors.ts';
import { repoRoot } from '../paths.ts';

function toolsDir(env: NodeJS.ProcessEnv): string {
  return path.resolve(env.CLOSELOOP_TOOLS_DIR ?? path.join(repoRoot, '.tools'));
}

function resolveBinary(envName: string, fileName: string, env: NodeJS.ProcessEnv, alternative: string): string {
  const fromEnv = env[envName];
  if (fromEnv) {
    if (!path.isAbsolute(fromEnv)) throw new ConfigurationError(`${envName} must be an absolute path, got "${fromEnv}"`);
    if (!existsSync(fromEnv)) throw new ConfigurationError(`${envName} points to ${fromEnv}, which does not exist`);
    return fromEnv;
  }
  const local = path.join(toolsDir(env), 'bin', fileName);
  if (existsSync(local)) return local;
  throw new ConfigurationError(
    `The ${fileName} binary is not installed (looked for ${local}). Run "npm run setup" to install the pinned Temporal ` +
      `binaries into .tools/, set ${envName} to an absolute path, or ${alternative}.`,
  );
}

/** The Temporal CLI, which runs `temporal server start-dev`. */
export function temporalCliPath(env: NodeJS.ProcessEnv = process.env): string {
  return resolveBinary('TEMPORAL_CLI_PATH', 'temporal', env, 'set TEMPORAL_ADDRESS to use a Temporal server that is already running');
}

/** The time-skipping test server used by workflow tests. */
export function temporalTestServerPath(env: NodeJS.ProcessEnv = process.env): string {
  return resolveBinary('TEMPORAL_TEST_SERVER_PATH', 'temporal-test-server', env, 'run the tests through "npm test", which installs it');
}
