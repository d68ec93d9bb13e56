// The one place that opens Postgres connections (postgres.js). Supabase is reached the same way: a direct
// connection string, or the Supavisor pooler in transaction mode (port 6543), which needs prepare: false.
import postgres from 'postgres';

export type Sql = postgres.Sql;

export interface DatabaseOptions {
  url: string;
  /** Connections this process may hold. */
  max?: number;
  applicationName: string;
}

export function createSql(options: DatabaseOptions): Sql {
  const url = new URL(options.url);
  const transactionPooler = url.port === '6543';
  return postgres(options.url, {
    max: options.max ?? 10,
    prepare: !transactionPooler,
    onnotice: () => {},
    connection: { application_name: options.applicationName },
  });
}
