// Authentication and authorisation, in one place. Every route is org-authenticated unless its config says
// otherwise; a route names the permission it needs, and the caller's role must have it (domain/permissions.ts,
// enforced again underneath by row-level security). Requests then run with the caller's claims.
import { createHash } from 'node:crypto';
import fp from 'fastify-plugin';
import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose';
import type { CallerClaims, Database } from '../../adapters/db/session.ts';
import type { Tx } from '../../adapters/db/client.ts';
import { can, type Action, type MemberRole, type Resource } from '../../domain/permissions.ts';
import { HttpProblem } from '../problem.ts';

export const ORG_HEADER = 'x-closeloop-org';
export const API_KEY_PREFIX = 'cl_';

export interface AuthConfig {
  /** Supabase Auth's JWT secret (HS256), or… */
  jwtSecret?: string;
  /** …its JWKS URL (asymmetric keys). */
  jwksUrl?: string;
  audience: string;
}

export interface Caller {
  kind: 'member' | 'api_key';
  /** auth.uid(): the user id, or the API key id. */
  sub: string;
  orgId: string;
  role: MemberRole;
  /** What logs record as the actor: the member id, or the API key id. */
  actorId: string;
}

export type RouteAuth = 'org' | 'user' | 'none';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** 'org' (default): a member or API key acting in one organisation; 'user': a signed-in person, no org yet; 'none': public. */
    auth?: RouteAuth;
    permission?: readonly [Resource, Action];
  }
  interface FastifyRequest {
    caller: Caller | null;
    /** The signed-in user id, for 'user' routes. */
    userId: string | null;
    /** Runs fn in a transaction as `authenticated` with this caller's claims (RLS applies). */
    withDb<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  }
  interface FastifyInstance {
    db: Database;
  }
}

export const hashApiKey = (key: string) => createHash('sha256').update(key).digest('hex');

export const authPlugin = fp<{ db: Database; auth: AuthConfig }>(async (app, { db, auth }) => {
  const jwks: JWTVerifyGetKey | undefined = auth.jwksUrl ? createRemoteJWKSet(new URL(auth.jwksUrl)) : undefined;
  const secret = auth.jwtSecret ? new TextEncoder().encode(auth.jwtSecret) : undefined;

  app.decorate('db', db);
  app.decorateRequest('caller', null);
  app.decorateRequest('userId', null);
  app.decorateRequest('withDb', function <T>(this: { caller: Caller | null }, fn: (tx: Tx) => Promise<T>): Promise<T> {
    if (!this.caller) throw new HttpProblem(401, 'unauthenticated', 'Authentication required');
    const claims: CallerClaims = { sub: this.caller.sub, orgId: this.caller.orgId, kind: this.caller.kind };
    return db.asCaller(claims, fn);
  });

  async function verifyJwt(token: string): Promise<string> {
    const key = jwks ?? secret;
    if (!key) throw new HttpProblem(401, 'unauthenticated', 'This server accepts API keys only (no JWT verification is configured)');
    try {
      const { payload } = await (typeof key === 'function' ? jwtVerify(token, key, { audience: auth.audience }) : jwtVerify(token, key, { audience: auth.audience }));
      if (typeof payload.sub !== 'string' || !/^[0-9a-f-]{36}$/i.test(payload.sub)) throw new Error('no subject');
      return payload.sub;
    } catch {
      throw new HttpProblem(401, 'unauthenticated', 'The bearer token is invalid or expired');
    }
  }

  async function apiKeyCaller(token: string): Promise<Caller> {
    const [key] = await db.asService((tx) => tx<{ id: string; orgId: string; role: MemberRole; revokedAt: string | null }[]>`
      select id, org_id, role, revoked_at from public.api_keys where key_hash = ${hashApiKey(token)}`);
    if (!key || key.revokedAt) throw new HttpProblem(401, 'unauthenticated', 'The API key is unknown or revoked');
    return { kind: 'api_key', sub: key.id, orgId: key.orgId, role: key.role, actorId: key.id };
  }

  async function memberCaller(userId: string, requestedOrg: string | undefined): Promise<Caller> {
    const memberships = await db.asService((tx) => tx<{ id: string; orgId: string; role: MemberRole }[]>`
      select id, org_id, role from public.members where user_id = ${userId} and status = 'active' order by created_at`);
    let membership = memberships[0];
    if (requestedOrg) {
      membership = memberships.find((m) => m.orgId === requestedOrg);
      if (!membership) throw new HttpProblem(403, 'not-a-member', `You are not a member of organisation ${requestedOrg}`);
    } else if (memberships.length > 1) {
      throw new HttpProblem(400, 'organisation-required', `You belong to ${memberships.length} organisations: name one in the ${ORG_HEADER} header`);
    }
    if (!membership) throw new HttpProblem(403, 'not-a-member', 'You are not a member of any organisation');
    return { kind: 'member', sub: userId, orgId: membership.orgId, role: membership.role, actorId: membership.id };
  }

  app.addHook('onRequest', async (request) => {
    // The docs page's routes come from @fastify/swagger-ui, which cannot carry our route config: public by path.
    if (request.is404) return; // no such route: the not-found problem, whoever asks
    const mode = request.routeOptions.config.auth ?? (request.routeOptions.url?.startsWith('/docs') ? 'none' : 'org');
    if (mode === 'none') return;
    const header = request.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : undefined;
    if (!token) throw new HttpProblem(401, 'unauthenticated', 'Authentication required: send "Authorization: Bearer <API key or token>"', undefined, { 'www-authenticate': 'Bearer' });
    const orgHeader = request.headers[ORG_HEADER];
    const requestedOrg = typeof orgHeader === 'string' && orgHeader ? orgHeader : undefined;
    if (requestedOrg && !/^[0-9a-f-]{36}$/i.test(requestedOrg)) throw new HttpProblem(400, 'invalid-request', `${ORG_HEADER} must be an organisation id`);

    if (token.startsWith(API_KEY_PREFIX)) {
      if (mode === 'user') throw new HttpProblem(403, 'forbidden', 'This route is for people, not API keys');
      request.caller = await apiKeyCaller(token);
      if (requestedOrg && requestedOrg !== request.caller.orgId) throw new HttpProblem(403, 'not-a-member', 'This API key belongs to another organisation');
    } else {
      const userId = await verifyJwt(token);
      request.userId = userId;
      if (mode === 'user') return;
      request.caller = await memberCaller(userId, requestedOrg);
    }

    const permission = request.routeOptions.config.permission;
    if (permission && !can(request.caller.role, permission[0], permission[1])) {
      throw new HttpProblem(403, 'forbidden', `A ${request.caller.role} may not ${permission[1]} ${permission[0]}`);
    }
  });
});
