// The composition of adapters from configuration. The worker calls it once; tests build fakes instead.
// Vendor adapters (OpenAI, Resend, Gmail, Storage) join here with their issues, each chosen by configuration.
import { createSql, type Sql } from './db/client.ts';
import { createDatabase, type Database } from './db/session.ts';
import { createSystemRepository, type SystemRepository } from './db/system-repository.ts';

export interface AdapterConfig {
  databaseUrl: string;
  applicationName: string;
}

export interface Adapters {
  sql: Sql;
  db: Database;
  system: SystemRepository;
  close(): Promise<void>;
}

export function createAdapters(config: AdapterConfig): Adapters {
  const sql = createSql({ url: config.databaseUrl, applicationName: config.applicationName });
  return {
    sql,
    db: createDatabase(sql),
    system: createSystemRepository(sql),
    close: () => sql.end({ timeout: 5 }),
  };
}
