// The HTTP app as a plugin tree; api/server.ts is the only process entry. Tests build it and use inject().
import Fastify, { type FastifyServerOptions } from 'fastify';
import { healthRoutes, type ReadinessCheck } from './routes/health.ts';

export interface AppDeps {
  readinessChecks: ReadinessCheck[];
}

export async function buildApp(deps: AppDeps, options: FastifyServerOptions = {}) {
  const app = Fastify({ requestIdHeader: 'x-request-id', ...options });
  await app.register(healthRoutes, { checks: deps.readinessChecks });
  return app;
}
