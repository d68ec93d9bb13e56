// Benchmark: throughput and p99 latency of a bare route (/healthz) and of an authenticated, org-scoped deal
// read (JWT check, membership lookup, shared rate-limit counter, RLS-scoped select) on real Postgres, measured
// in the same run, with the ratio. Usage: npm run bench:api [-- --seconds 10 --connections 10]
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { SignJWT } from 'jose';
import { buildApp } from '../api/app.ts';
import { createLinkSigner } from '../adapters/links/unsubscribe.ts';
import { createSql } from '../adapters/db/client.ts';
import { createDatabase } from '../adapters/db/session.ts';
import { organisationsRepository } from '../adapters/db/organisations-repository.ts';
import { applyMigrations, localAppUrl } from '../infra/dev/migrate.ts';
import { startEmbeddedPostgres } from '../infra/dev/postgres.ts';
import { freePort } from '../infra/testing/ports.ts';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '10' }, connections: { type: 'string', default: '10' } } });
const seconds = Number(values.seconds);
const connections = Number(values.connections);
const secret = 'bench-secret-bench-secret-bench-secret!!';

const dir = mkdtempSync(path.join(tmpdir(), 'closeloop-bench-'));
chmodSync(dir, 0o755);
const pg = await startEmbeddedPostgres({ dataDir: path.join(dir, 'pg'), port: await freePort(), logFile: path.join(dir, 'pg.log'), database: 'closeloop' });
try {
  await applyMigrations({ url: pg.url, includeSeed: false, local: true });
  const sql = createSql({ url: localAppUrl(pg.url), applicationName: 'bench', max: 10 });
  const db = createDatabase(sql);
  const userId = '11111111-1111-4111-8111-111111111111';
  const dealId = await db.asService(async (tx) => {
    const { id: orgId } = await organisationsRepository.create(tx, { name: 'Bench Co' });
    const { id: memberId } = await organisationsRepository.addMember(tx, orgId, { userId, displayName: 'Bench', email: 'bench@bench.example', role: 'rep' });
    const [account] = await tx`insert into public.accounts ${tx({ orgId, name: 'Customer' })} returning id`;
    const [deal] = await tx`insert into public.deals ${tx({ orgId, accountId: account!.id, name: 'Deal', ownerMemberId: memberId })} returning id`;
    return deal!.id as string;
  });
  const app = await buildApp({
    db,
    readinessChecks: [],
    auth: { jwtSecret: secret, audience: 'authenticated' },
    rateLimit: { perPrincipal: 1e9, perOrganisation: 1e9, windowSeconds: 60 },
    devLoginSecret: null,
    temporal: null,
    links: createLinkSigner({ publicUrl: 'http://127.0.0.1', secret: secret }),
  });
  const port = await freePort();
  await app.listen({ host: '127.0.0.1', port });
  const token = await new SignJWT({ role: 'authenticated' }).setProtectedHeader({ alg: 'HS256' }).setSubject(userId).setAudience('authenticated').setExpirationTime('1h').sign(new TextEncoder().encode(secret));

  const run = async (title: string, url: string, headers: Record<string, string> = {}) => {
    await autocannon({ url, headers, connections, duration: 2 }); // warm-up
    const r = await autocannon({ url, headers, connections, duration: seconds });
    if (r.non2xx > 0 || r.errors > 0) throw new Error(`${title}: ${r.non2xx} non-2xx answers, ${r.errors} errors`);
    return { title, rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99 };
  };
  const bare = await run('bare route (GET /healthz)', `http://127.0.0.1:${port}/healthz`);
  const deal = await run('authenticated org-scoped deal read (GET /v1/deals/:id)', `http://127.0.0.1:${port}/v1/deals/${dealId}`, { authorization: `Bearer ${token}` });
  await app.close();
  await sql.end();

  console.log(`\nAPI benchmark: ${connections} connections, ${seconds} s each, Node ${process.version}, same process and machine\n`);
  for (const r of [bare, deal]) console.log(`${r.title.padEnd(58)} ${r.rps.toFixed(0).padStart(7)} req/s   p50 ${String(r.p50).padStart(4)} ms   p99 ${String(r.p99).padStart(4)} ms`);
  console.log(`\nratio (deal read / bare): throughput ${(deal.rps / bare.rps).toFixed(3)}   p99 ${(deal.p99 / Math.max(bare.p99, 1)).toFixed(2)}x`);
} finally {
  await pg.stop();
  rmSync(dir, { recursive: true, force: true });
}
