// Every query runs in a transaction that first takes on a role, the way PostgREST does on Supabase:
//   asService: the worker, as service_role (bypasses RLS; repositories scope by organisation explicitly);
//   asCaller:  an API request, as authenticated with the caller's claims (RLS applies).
// The login role itself (authenticator locally) has no table privileges, so a query outside these fails.
import type { Sql, Tx } from './client.ts';

export interface CallerClaims {
  /** auth.uid(): a member's user id, or an API key's id. */
  sub: string;
  /** The organisation this request acts in; narrows (never widens) what membership allows. */
  orgId?: string;
  kind: 'member' | 'api_key';
}

export interface Database {
  asService<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  asCaller<T>(claims: CallerClaims, fn: (tx: Tx) => Promise<T>): Promise<T>;
  end(): Promise<void>;
}

export function createDatabase(sql: Sql): Database {
  return {
    asService: (fn) =>
      sql.begin(async (tx) => {
        await tx`select set_config('role', 'service_role', true), set_config('request.jwt.claims', '', true)`;
        return fn(tx);
      }) as Promise<never>,
    asCaller: (claims, fn) =>
      sql.begin(async (tx) => {
        const jwt = JSON.stringify({ sub: claims.sub, role: 'authenticated', org_id: claims.orgId, kind: claims.kind });
        await tx`select set_config('role', 'authenticated', true), set_config('request.jwt.claims', ${jwt}, true)`;
        return fn(tx);
      }) as Promise<never>,
    end: () => sql.end({ timeout: 5 }),
  };
}
