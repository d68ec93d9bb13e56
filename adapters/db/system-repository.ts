import type { Sql } from './client.ts';

/** Facts about the database itself: reachability and its clock. */
export function createSystemRepository(sql: Sql) {
  return {
    async serverTime(): Promise<string> {
      // Timestamps arrive as ISO strings (adapters/db/client.ts).
      const [row] = await sql<{ now: string }[]>`select now() as now`;
      if (!row) throw new Error('select now() returned no row');
      return row.now;
    },
  };
}

export type SystemRepository = ReturnType<typeof createSystemRepository>;
