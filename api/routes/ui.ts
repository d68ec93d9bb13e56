// The rep cockpit's static files (api/ui/: plain HTML, CSS and ES modules — no build step) and the page's
// configuration (how people sign in here). The page calls the same /v1 API as everyone else.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';

const uiDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'ui');
const types: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml' };

export interface UiConfig {
  devLogin: boolean;
  /** Supabase Auth in the page (supabase-js) when configured. */
  supabase: { url: string; anonKey: string } | null;
  temporalUiUrl: string;
}

export async function uiRoutes(app: FastifyInstance, options: { config: UiConfig }) {
  app.get('/', { config: { auth: 'none' }, schema: { hide: true } }, async (_request, reply) => reply.redirect('/app/'));
  app.get('/app/config.json', { config: { auth: 'none' }, schema: { hide: true } }, async () => options.config);
  const serve = async (file: string, reply: FastifyReply) => {
    const ext = path.extname(file);
    reply.header('content-type', types[ext] ?? 'application/octet-stream').header('cache-control', 'no-cache').header('x-content-type-options', 'nosniff');
    return reply.send(await readFile(path.join(uiDir, file)));
  };
  app.get('/app/', { config: { auth: 'none' }, schema: { hide: true } }, async (_request, reply) => serve('index.html', reply));
  app.get('/app/:file', { config: { auth: 'none' }, schema: { hide: true, params: z.object({ file: z.string().regex(/^[a-z0-9-]+\.(js|css|html|svg)$/) }) } }, async (request, reply) => {
    const { file } = request.params as { file: string };
    try {
      return await serve(file, reply);
    } catch {
      return reply.code(404).type('text/plain').send('not found');
    }
  });
}
