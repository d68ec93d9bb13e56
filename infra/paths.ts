// Where the project's own tools and local data live. Dev tooling only.
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Local state of the embedded default (Postgres data, Temporal SQLite, logs, pid files). Git-ignored. */
export function dataDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(env.CLOSELOOP_DATA_DIR ?? path.join(repoRoot, '.data'));
}
