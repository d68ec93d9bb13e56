// The composition of adapters from configuration. The worker calls it once; tests build fakes instead.
// Vendor adapters (OpenAI, Resend, Gmail) join here with their issues, each chosen by configuration.
import { createSql, type Sql } from './db/client.ts';
import { createDatabase, type Database } from './db/session.ts';
import { createFileStorage, type FileStorage, type FileStorageConfig } from './storage/index.ts';
import { createSystemRepository, type SystemRepository } from './db/system-repository.ts';

export interface AdapterConfig {
  databaseUrl: string;
  applicationName: string;
  storage: FileStorageConfig;
}

export interface Adapters {
  sql: Sql;
  db: Database;
  system: SystemRepository;
  /** Files: Supabase Storage, or the local folder of the embedded default. */
  storage: FileStorage;
  close(): Promise<void>;
}

export function createAdapters(config: AdapterConfig): Adapters {
  const storage = createFileStorage(config.storage);
  const sql = createSql({ url: config.databaseUrl, applicationName: config.applicationName });
  return {
    storage,
    sql,
    db: createDatabase(sql),
    system: createSystemRepository(sql),
    close: () => sql.end({ timeout: 5 }),
  };
}
