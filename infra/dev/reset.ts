// `npm run reset`: deletes the embedded default's local state (Postgres data, Temporal history, logs).
import { rmSync } from 'node:fs';
import path from 'node:path';
import { dataDir } from '../paths.ts';
import { commandLine, isAlive, readPid } from './processes.ts';

const data = dataDir();
const launcher = readPid(path.join(data, 'run', 'stack.pid'));
if (launcher !== undefined && isAlive(launcher) && (commandLine(launcher) ?? '').includes('infra/dev/stack')) {
  console.error(`Closeloop is running (launcher pid ${launcher}); stop it with Ctrl-C first.`);
  process.exit(1);
}
rmSync(data, { recursive: true, force: true });
console.log(`removed ${data}; the next "npm run dev" starts from empty databases`);
