// Finds tables that row-level security does not cover: RLS off, or a privilege granted to anon/authenticated
// for an operation that no policy for that role covers. Reads only pg_catalog.
import type { Sql, Tx } from '../../adapters/db/client.ts';

export interface RlsGap {
  table: string;
  problem: string;
}

export async function findRlsGaps(sql: Sql | Tx, schema = 'public'): Promise<RlsGap[]> {
  const tables = await sql<{ table: string; rls: boolean }[]>`
    select c.relname as table, c.relrowsecurity as rls
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = ${schema} and c.relkind in ('r', 'p')
    order by c.relname`;
  const gaps: RlsGap[] = [];
  for (const { table, rls } of tables) {
    if (!rls) gaps.push({ table, problem: 'row level security is not enabled' });
    for (const role of ['anon', 'authenticated']) {
      for (const [privilege, command] of [['SELECT', 'SELECT'], ['INSERT', 'INSERT'], ['UPDATE', 'UPDATE'], ['DELETE', 'DELETE']] as const) {
        const [{ granted }] = (await sql`
          select has_table_privilege(${role}, ${`${schema}.${table}`}, ${privilege})
            or (${privilege} in ('SELECT', 'UPDATE', 'INSERT') and exists (
              select 1 from information_schema.column_privileges
              where table_schema = ${schema} and table_name = ${table} and grantee = ${role} and privilege_type = ${privilege}
            )) as granted`) as unknown as [{ granted: boolean }];
        if (!granted) continue;
        const [{ covered }] = (await sql`
          select exists (
            select 1 from pg_policies p
            where p.schemaname = ${schema} and p.tablename = ${table}
              and p.cmd in (${command}, 'ALL')
              and (${role} = any (p.roles) or 'public' = any (p.roles))
          ) as covered`) as unknown as [{ covered: boolean }];
        if (!covered) gaps.push({ table, problem: `${role} may ${privilege} but no policy covers ${command} for ${role}` });
      }
    }
  }
  return gaps;
}
