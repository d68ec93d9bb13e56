// The one place that opens Postgres connections (postgres.js). Supabase is reached the same way: a direct
// connection string, or the Supavisor pooler in transaction mode (port 6543), which needs prepare: false.
import postgres from 'postgres';

export type Sql = postgres.Sql;
export type Tx = postgres.TransactionSql;

// Rows come back in the domain's shape: camelCase keys, ISO timestamps, dates as YYYY-MM-DD, int8 as number.
const types = {
  timestamptz: { to: 1184, from: [1184], serialize: (x: string | Date) => (x instanceof Date ? x.toISOString() : x), parse: (x: string) => new Date(x).toISOString() },
  date: { to: 1082, from: [1082], serialize: (x: string) => x, parse: (x: string) => x },
  int8: { to: 20, from: [20], serialize: (x: number) => String(x), parse: (x: string) => Number(x) },
};

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
    transform: postgres.camel,
    types,
    onnotice: () => {},
    connection: { application_name: options.applicationName },
  });
}
