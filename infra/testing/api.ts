// The real API app on the run's Postgres, for inject() tests, plus tokens signed as Supabase Auth would sign them.
import { SignJWT } from 'jose';
import { buildApp, defaultRateLimit, type AppDeps } from '../../api/app.ts';
import type { Database } from '../../adapters/db/session.ts';
import { createLinkSigner } from '../../adapters/links/unsubscribe.ts';
import { appDatabase } from './database.ts';

export const TEST_LINK_SECRET = 'test-only-link-secret-of-32-characters!!';
export const TEST_JWT_SECRET = 'test-only-secret-of-at-least-32-characters!';

export async function testApp(overrides: Partial<AppDeps> = {}, db: Database = appDatabase('api')) {
  const app = await buildApp({
    db,
    readinessChecks: [],
    auth: { jwtSecret: TEST_JWT_SECRET, audience: 'authenticated' },
    rateLimit: { ...defaultRateLimit, perPrincipal: 100_000, perOrganisation: 100_000 },
    devLoginSecret: null,
    temporal: null,
    links: createLinkSigner({ publicUrl: 'http://127.0.0.1:3000', secret: TEST_LINK_SECRET }),
    ...overrides,
  }, { logger: process.env.TEST_API_LOG ? { level: 'error' } : false });
  app.addHook('onClose', async () => db.end());
  return app;
}

export function tokenFor(userId: string, options: { secret?: string; audience?: string; expiresIn?: string } = {}): Promise<string> {
  return new SignJWT({ role: 'authenticated' })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(userId)
    .setAudience(options.audience ?? 'authenticated')
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '1h')
    .sign(new TextEncoder().encode(options.secret ?? TEST_JWT_SECRET));
}
