// The HTTP app as a plugin tree; api/server.ts is the only process entry. Tests build it and use inject().
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyServerOptions } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Client } from '@temporalio/client';
import type { Database } from '../adapters/db/session.ts';
import type { LinkSigner } from '../adapters/links/unsubscribe.ts';
import { authPlugin, type AuthConfig } from './plugins/auth.ts';
import { errorsPlugin } from './plugins/errors.ts';
import { openapiPlugin } from './plugins/openapi.ts';
import { rateLimitPlugin, type RateLimitConfig } from './plugins/rate-limit.ts';
import { healthRoutes, type ReadinessCheck } from './routes/health.ts';
import { organisationRoutes } from './routes/organisation.ts';
import { outboundRoutes } from './routes/outbound.ts';
import { cadenceRoutes } from './routes/cadences.ts';
import { webhookRoutes } from './routes/webhooks.ts';
import { mailboxRoutes, type GmailApiConfig } from './routes/mailboxes.ts';
import { cockpitRoutes } from './routes/cockpit.ts';
import { uiRoutes } from './routes/ui.ts';
import { importRoutes } from './routes/imports.ts';
import { identityRoutes } from './routes/identity.ts';
import type { FileStorage } from '../adapters/storage/port.ts';
import { salesObjectRoutes } from './routes/sales-objects.ts';
import { callNoteRoutes } from './routes/call-notes.ts';
import { sessionRoutes } from './routes/session.ts';
import { suppressionRoutes } from './routes/suppressions.ts';

export interface AppDeps {
  db: Database;
  readinessChecks: ReadinessCheck[];
  auth: AuthConfig;
  rateLimit: RateLimitConfig;
  /** The HS256 secret the dev login signs with; null (the default) leaves the dev login out entirely. */
  devLoginSecret: string | null;
  /** Signals and updates to workflows (approvals); null answers 503 on the routes that need it. */
  temporal: Client | null;
  /** Where processes started by the API run (temporal.config.ts). */
  taskQueue?: string;
  links: LinkSigner;
  /** Called after a webhook delivery is stored (tests and benchmarks wake an in-process dispatcher with it). */
  onWebhookReceived?: () => void;
  /** Gmail connections and push; null or absent when not configured. */
  gmail?: GmailApiConfig | null;
  /** Links from the UI to the Temporal Web UI (TEMPORAL_UI_URL) and its namespace. */
  temporalUiUrl?: string;
  namespace?: string;
  /** Supabase Auth for the page's sign-in (SUPABASE_URL and SUPABASE_ANON_KEY); null: dev login or tokens only. */
  supabaseAuth?: { url: string; anonKey: string } | null;
  /** Files (lead imports); null or absent: uploads answer 503. */
  storage?: FileStorage | null;
}

export interface RouteEntry {
  method: string;
  url: string;
  auth: 'org' | 'user' | 'none';
  permission: readonly [string, string] | null;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route with its auth mode and permission: what the route-walking tests iterate over. */
    routeTable: RouteEntry[];
  }
}

export const defaultRateLimit: RateLimitConfig = { perPrincipal: 600, perOrganisation: 3000, windowSeconds: 60 };

// An incoming request id is kept if it is a plain token (so it is safe in logs and events); else a new one.
const requestIdPattern = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/;

export async function buildApp(deps: AppDeps, options: FastifyServerOptions = {}) {
  const app = Fastify({
    requestIdHeader: false,
    // Signed unsubscribe tokens are longer than the default 100 characters.
    maxParamLength: 500,
    genReqId: (req) => {
      const incoming = req.headers['x-request-id'];
      return typeof incoming === 'string' && requestIdPattern.test(incoming) ? incoming : randomUUID();
    },
    ...options,
  });
  const routeTable: RouteEntry[] = [];
  app.decorate('routeTable', routeTable);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      if (method === 'HEAD') continue;
      const auth = route.config?.auth ?? (route.url.startsWith('/docs') ? 'none' : 'org');
      routeTable.push({ method, url: route.url, auth, permission: route.config?.permission ?? null });
    }
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  await app.register(errorsPlugin);
  await app.register(openapiPlugin);
  await app.register(authPlugin, { db: deps.db, auth: deps.auth });
  await app.register(rateLimitPlugin, { db: deps.db, limits: deps.rateLimit });
  await app.register(healthRoutes, { checks: deps.readinessChecks });
  await app.register(sessionRoutes, { devLoginSecret: deps.devLoginSecret, audience: deps.auth.audience });
  await app.register(organisationRoutes);
  await app.register(salesObjectRoutes, { temporal: deps.temporal, taskQueue: deps.taskQueue ?? 'closeloop-processes' });
  await app.register(suppressionRoutes);
  await app.register(outboundRoutes, { temporal: deps.temporal, links: deps.links });
  await app.register(cadenceRoutes, { temporal: deps.temporal, taskQueue: deps.taskQueue ?? 'closeloop-processes' });
  await app.register(webhookRoutes, { onReceived: deps.onWebhookReceived });
  await app.register(uiRoutes, { config: { devLogin: deps.devLoginSecret !== null, supabase: deps.supabaseAuth ?? null, temporalUiUrl: deps.temporalUiUrl ?? 'http://127.0.0.1:8233' } });
  await app.register(cockpitRoutes, { temporalUiUrl: deps.temporalUiUrl ?? 'http://127.0.0.1:8233', namespace: deps.namespace ?? 'default' });
  await app.register(identityRoutes, { temporal: deps.temporal, taskQueue: deps.taskQueue ?? 'closeloop-processes' });
  await app.register(callNoteRoutes, { temporal: deps.temporal, taskQueue: deps.taskQueue ?? 'closeloop-processes', storage: deps.storage ?? null });
  await app.register(importRoutes, { storage: deps.storage ?? null, temporal: deps.temporal, taskQueue: deps.taskQueue ?? 'closeloop-processes' });
  await app.register(mailboxRoutes, { gmail: deps.gmail ?? null, temporal: deps.temporal, taskQueue: deps.taskQueue ?? 'closeloop-processes' });
  return app;
}
