// Connected mailboxes (Gmail): connect through Google's consent screen, see each mailbox's state, sync now,
// disconnect; and the Pub/Sub push endpoint. Tokens never leave the server: the API seals them as they arrive.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Client } from '@temporalio/client';
import { jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';
import { mailboxConnectionsRepository } from '../../adapters/db/mailbox-connections-repository.ts';
import { webhookInboxRepository } from '../../adapters/db/webhook-inbox-repository.ts';
import type { GmailConnector } from '../../adapters/gmail/port.ts';
import type { PushVerifier } from '../../adapters/gmail/push-verifier.ts';
import type { TokenCipher } from '../../adapters/secrets/token-cipher.ts';
import { disconnectSignal, mailboxSyncWorkflowId, syncNowSignal } from '../../workflows/mailbox-sync/messages.ts';
import { HttpProblem } from '../problem.ts';
import { audit, crudRoutes } from './crud.ts';
import { problemSchema } from './schemas.ts';

export interface GmailApiConfig {
  connector: GmailConnector;
  cipher: TokenCipher;
  /** Signs the OAuth `state` (which organisation and member started the connection). */
  stateSecret: string;
  /** Null when push is not configured: mailboxes are polled. */
  push: PushVerifier | null;
}

const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema, 429: problemSchema, 503: problemSchema };
const STATE_PURPOSE = 'gmail-connect';

const page = (title: string, body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body style="font-family:system-ui;max-width:36rem;margin:4rem auto">${body}</body></html>`;
const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export async function mailboxRoutes(app: FastifyInstance, options: { gmail: GmailApiConfig | null; temporal: Client | null; taskQueue: string }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const gmail = () => {
    if (!options.gmail) throw new HttpProblem(503, 'unavailable', 'Gmail is not configured on this server (GOOGLE_CLIENT_ID, GOOGLE_CLIENT_SECRET, GOOGLE_REDIRECT_URI, CLOSELOOP_TOKEN_KEY)');
    return options.gmail;
  };
  const temporal = () => {
    if (!options.temporal) throw new HttpProblem(503, 'unavailable', 'Temporal is not configured for this API');
    return options.temporal;
  };
  const startSync = (orgId: string, connectionId: string) =>
    temporal().workflow.signalWithStart('mailboxSyncWorkflow', { workflowId: mailboxSyncWorkflowId(orgId, connectionId), taskQueue: options.taskQueue, args: [{ orgId, connectionId }], signal: syncNowSignal, signalArgs: [] });

  crudRoutes(app, {
    resource: 'mailbox_connections',
    path: '/v1/mailbox-connections',
    tag: 'Mailboxes',
    subjectType: 'member',
    rowSchema: z.object({
      id: z.uuid(), orgId: z.uuid(), memberId: z.uuid(), provider: z.string(), emailAddress: z.string(), status: z.enum(['connected', 'needs_reconnect', 'revoked']),
      statusReason: z.string().nullable(), scopes: z.array(z.string()), watchExpiresAt: z.string().nullable(), lastSyncAt: z.string().nullable(), lastError: z.string().nullable(), createdAt: z.string(),
    }),
    columns: ['id', 'org_id', 'member_id', 'provider', 'email_address', 'status', 'status_reason', 'scopes', 'watch_expires_at', 'last_sync_at', 'last_error', 'created_at'],
    filters: { memberId: { column: 'member_id', schema: z.uuid() }, status: { column: 'status', schema: z.enum(['connected', 'needs_reconnect', 'revoked']) } },
  });

  r.post('/v1/mailbox-connections/gmail', {
    config: { permission: ['mailbox_connections', 'read'] },
    schema: { tags: ['Mailboxes'], summary: 'Start connecting your Gmail: returns Google\'s consent URL (read and compose only; never send)', body: z.strictObject({}).nullish(), response: { 200: z.object({ consentUrl: z.string() }), ...errors } },
  }, async (request) => {
    const caller = request.caller!;
    if (caller.kind !== 'member') throw new HttpProblem(403, 'forbidden', 'A mailbox belongs to a person: use a member token');
    const state = await new SignJWT({ org: caller.orgId, member: caller.actorId, purpose: STATE_PURPOSE })
      .setProtectedHeader({ alg: 'HS256' }).setIssuedAt().setExpirationTime('10m').sign(new TextEncoder().encode(gmail().stateSecret));
    return { consentUrl: gmail().connector.consentUrl(state) };
  });

  r.get('/oauth/gmail/callback', {
    config: { auth: 'none' },
    schema: { hide: true, querystring: z.object({ code: z.string().max(2000).optional(), state: z.string().max(2000).optional(), error: z.string().max(200).optional() }) },
  }, async (request, reply) => {
    reply.type('text/html; charset=utf-8');
    const g = gmail();
    const { code, state, error } = request.query;
    if (error || !code || !state) return reply.code(400).send(page('Not connected', `<h1>Gmail was not connected</h1><p>${escape(error ?? 'The consent was not completed.')}</p>`));
    let claims: { org: string; member: string };
    try {
      const { payload } = await jwtVerify(state, new TextEncoder().encode(g.stateSecret));
      if (payload.purpose !== STATE_PURPOSE || typeof payload.org !== 'string' || typeof payload.member !== 'string') throw new Error('wrong purpose');
      claims = { org: payload.org, member: payload.member };
    } catch {
      return reply.code(400).send(page('Link expired', '<h1>This connection link is not valid or has expired</h1><p>Start again from Closeloop.</p>'));
    }
    const tokens = await g.connector.exchangeCode(code);
    if (!tokens.refreshToken) return reply.code(400).send(page('Not connected', '<h1>Google did not grant offline access</h1><p>Start again and allow access.</p>'));
    const connectionId = await app.db.asService(async (tx) => {
      const id = await mailboxConnectionsRepository.upsertConnected(tx, {
        orgId: claims.org, memberId: claims.member, emailAddress: tokens.emailAddress,
        refreshTokenEnc: g.cipher.seal(tokens.refreshToken!), accessTokenEnc: g.cipher.seal(tokens.accessToken), accessExpiresAt: new Date(tokens.expiresAtMs).toISOString(), scopes: tokens.scopes,
      });
      await tx`insert into public.audit_log ${tx({ orgId: claims.org, actorType: 'member', actorId: claims.member, action: 'mailbox_connections.connect', subjectType: 'member', subjectId: claims.member, after: tx.json({ connectionId: id, scopes: tokens.scopes }) })}`;
      return id;
    });
    await startSync(claims.org, connectionId);
    return page('Gmail connected', `<h1>Gmail connected</h1><p>${escape(tokens.emailAddress)} is connected to Closeloop. You can close this page.</p>`);
  });

  r.post('/v1/mailbox-connections/:id/sync', {
    config: { permission: ['mailbox_connections', 'read'] },
    schema: { tags: ['Mailboxes'], summary: 'Sync this mailbox now', params: z.object({ id: z.uuid() }), body: z.strictObject({}).nullish(), response: { 200: z.object({ accepted: z.literal(true) }), ...errors } },
  }, async (request) => {
    const [row] = await request.withDb((tx) => tx<{ orgId: string; status: string }[]>`select org_id, status from public.mailbox_connections where id = ${request.params.id}`);
    if (!row) throw new HttpProblem(404, 'not-found', `No mailbox connection ${request.params.id}`);
    if (row.status !== 'connected') throw new HttpProblem(409, 'conflict', `This mailbox is ${row.status}: reconnect it first`);
    await startSync(row.orgId, request.params.id);
    return { accepted: true as const };
  });

  r.post('/v1/mailbox-connections/:id/disconnect', {
    config: { permission: ['mailbox_connections', 'read'] },
    schema: { tags: ['Mailboxes'], summary: 'Disconnect a mailbox you own (admins: any): the grant is revoked at Google and the tokens forgotten', params: z.object({ id: z.uuid() }), body: z.strictObject({}).nullish(), response: { 200: z.object({ disconnected: z.literal(true) }), ...errors } },
  }, async (request) => {
    const caller = request.caller!;
    const [row] = await request.withDb((tx) => tx<{ orgId: string; memberId: string }[]>`select org_id, member_id from public.mailbox_connections where id = ${request.params.id}`);
    if (!row) throw new HttpProblem(404, 'not-found', `No mailbox connection ${request.params.id}`);
    if (caller.role !== 'admin' && !(caller.kind === 'member' && caller.actorId === row.memberId)) throw new HttpProblem(403, 'forbidden', 'Only its owner or an admin may disconnect a mailbox');
    const g = gmail();
    const connection = await app.db.asService((tx) => mailboxConnectionsRepository.get(tx, row.orgId, request.params.id));
    if (connection?.refreshTokenEnc) await g.connector.revoke(g.cipher.open(connection.refreshTokenEnc)).catch((err: unknown) => request.log.warn({ err }, 'revoking the Gmail grant failed; the tokens are forgotten anyway'));
    await app.db.asService((tx) => mailboxConnectionsRepository.setStatus(tx, row.orgId, request.params.id, 'revoked', 'disconnected'));
    await request.withDb((tx) => audit(tx, request, 'mailbox_connections.disconnect', { type: 'member', id: row.memberId }, null, { connectionId: request.params.id }));
    await temporal().workflow.getHandle(mailboxSyncWorkflowId(row.orgId, request.params.id)).signal(disconnectSignal).catch(() => undefined);
    return { disconnected: true as const };
  });

  r.post('/v1/hooks/gmail', {
    config: { auth: 'none' },
    schema: { tags: ['Webhooks'], summary: 'Gmail push notifications (Pub/Sub push with a Google-signed OIDC token)', body: z.unknown(), response: { 200: z.object({ received: z.literal(true), mailboxes: z.int() }), ...errors } },
  }, async (request) => {
    const push = gmail().push;
    if (!push) throw new HttpProblem(404, 'not-found', 'Gmail push is not configured on this server');
    const verdict = await push.verify(request.headers.authorization, request.body);
    if (!verdict.ok) throw new HttpProblem(verdict.status, verdict.status === 401 ? 'unauthorized' : 'invalid-request', `Push not accepted: ${verdict.reason}`);
    // One inbox row per organisation that connected this address; Pub/Sub's message id dedupes redeliveries.
    const stored = await app.db.asService(async (tx) => {
      const connections = await mailboxConnectionsRepository.connectedByEmail(tx, verdict.emailAddress);
      const orgs = [...new Set(connections.map((c) => c.orgId))];
      for (const orgId of orgs) {
        await webhookInboxRepository.receive(tx, { orgId, provider: 'gmail-push', eventId: verdict.messageId, headers: {}, body: JSON.stringify({ type: 'gmail.push', emailAddress: verdict.emailAddress, historyId: verdict.historyId }) });
      }
      return orgs.length;
    });
    return { received: true as const, mailboxes: stored };
  });
}
