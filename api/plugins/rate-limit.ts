// Rate limits per principal (API key or person) and per organisation, in fixed one-minute windows. The counters
// live in Postgres (app.rate_limit_hit), so every API instance shares them.
import fp from 'fastify-plugin';
import type { Database } from '../../adapters/db/session.ts';
import { HttpProblem } from '../problem.ts';

export interface RateLimitConfig {
  perPrincipal: number;
  perOrganisation: number;
  windowSeconds: number;
}

export const rateLimitPlugin = fp<{ db: Database; limits: RateLimitConfig }>(async (app, { db, limits }) => {
  app.addHook('onRequest', async (request, reply) => {
    const caller = request.caller;
    if (!caller) return;
    const keys = [`principal:${caller.sub}`, `org:${caller.orgId}`];
    const counts = await db.asService((tx) => tx<{ key: string; hits: number; windowStart: string }[]>`
      select key, hits, window_start from app.rate_limit_hit(${keys}, ${limits.windowSeconds})`);
    const windowEnd = Date.parse(counts[0]!.windowStart) + limits.windowSeconds * 1000;
    const retryAfter = String(Math.max(1, Math.ceil((windowEnd - Date.now()) / 1000)));
    const principal = counts.find((c) => c.key === keys[0])!;
    const org = counts.find((c) => c.key === keys[1])!;
    reply.header('ratelimit-limit', String(limits.perPrincipal));
    reply.header('ratelimit-remaining', String(Math.max(0, limits.perPrincipal - principal.hits)));
    reply.header('ratelimit-reset', retryAfter);
    if (principal.hits > limits.perPrincipal || org.hits > limits.perOrganisation) {
      const which = principal.hits > limits.perPrincipal ? 'this key or user' : 'this organisation';
      throw new HttpProblem(429, 'rate-limited', `Too many requests for ${which}; retry after ${retryAfter} s`, undefined, { 'retry-after': retryAfter });
    }
  });
});
