// Applies supabase/migrations with the Supabase CLI (from npm), which records them in
// supabase_migrations.schema_migrations exactly as on a hosted Supabase project.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { readFileSync } from 'node:fs';
import postgres from 'postgres';
import { repoRoot } from '../paths.ts';

const run = promisify(execFile);

export interface MigrateOptions {
  /** Superuser (or Supabase "postgres" role) connection string. */
  url: string;
  /** Apply supabase/seed.sql too (the embedded default's demo data); never for a hosted project. */
  includeSeed: boolean;
  /** The server has no TLS (the embedded one). */
  local: boolean;
}

/** The local stand-ins for Supabase's roles and auth schema (never applied to a Supabase project). */
export const localSupabaseShim = path.join(repoRoot, 'infra', 'supabase-local', 'roles-and-auth.sql');

export async function applyMigrations(options: MigrateOptions): Promise<string> {
  if (options.local) await applyLocalShim(options.url);
  const url = new URL(options.url);
  if (options.local) url.searchParams.set('sslmode', 'disable');
  const args = ['db', 'push', '--db-url', url.toString(), '--yes', '--workdir', repoRoot];
  if (options.includeSeed) args.push('--include-seed');
  const cli = path.join(repoRoot, 'node_modules', '.bin', 'supabase');
  try {
    const { stdout, stderr } = await run(cli, args, { cwd: repoRoot, env: { ...process.env, SUPABASE_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1' } });
    return `${stdout}${stderr}`;
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    throw new Error(`Migrations failed: ${e.stderr || e.stdout || e.message}`);
  }
}

async function applyLocalShim(url: string): Promise<void> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await sql.unsafe(readFileSync(localSupabaseShim, 'utf8'));
  } finally {
    await sql.end({ timeout: 1 });
  }
}

/** The login role the worker and the API use locally: it can only switch to anon / authenticated / service_role. */
export function localAppUrl(superuserUrl: string): string {
  const url = new URL(superuserUrl);
  url.username = 'authenticator';
  url.password = 'authenticator';
  return url.toString();
}
