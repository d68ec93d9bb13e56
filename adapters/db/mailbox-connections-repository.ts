// Connected mailboxes (SQL only). Tokens are stored sealed; sealing and opening are the caller's (token cipher).
import type { Tx } from './client.ts';

export interface MailboxConnectionRow {
  id: string;
  orgId: string;
  memberId: string;
  emailAddress: string;
  status: 'connected' | 'needs_reconnect' | 'revoked';
  refreshTokenEnc: string | null;
  accessTokenEnc: string | null;
  accessExpiresAt: string | null;
  historyId: string | null;
  watchExpiresAt: string | null;
  lastSyncAt: string | null;
}

const columns = ['id', 'org_id', 'member_id', 'email_address', 'status', 'refresh_token_enc', 'access_token_enc', 'access_expires_at', 'history_id', 'watch_expires_at', 'last_sync_at'];

export const mailboxConnectionsRepository = {
  async get(tx: Tx, orgId: string, id: string): Promise<MailboxConnectionRow | undefined> {
    const [row] = await tx<MailboxConnectionRow[]>`select ${tx(columns)} from public.mailbox_connections where org_id = ${orgId} and id = ${id}`;
    return row;
  },

  async connectedByEmail(tx: Tx, emailAddress: string): Promise<Array<{ orgId: string; id: string }>> {
    return tx<{ orgId: string; id: string }[]>`select org_id, id from public.mailbox_connections where email_address = ${emailAddress.toLowerCase()} and status = 'connected'`;
  },

  async connectedForMember(tx: Tx, orgId: string, memberId: string): Promise<MailboxConnectionRow | undefined> {
    const [row] = await tx<MailboxConnectionRow[]>`select ${tx(columns)} from public.mailbox_connections where org_id = ${orgId} and member_id = ${memberId} and status = 'connected' order by updated_at desc limit 1`;
    return row;
  },

  /** A (re)connection: new tokens, status connected; the sync position is kept when the address was connected before. */
  async upsertConnected(tx: Tx, c: { orgId: string; memberId: string; emailAddress: string; refreshTokenEnc: string; accessTokenEnc: string; accessExpiresAt: string; scopes: string[] }): Promise<string> {
    const [row] = await tx<{ id: string }[]>`
      insert into public.mailbox_connections ${tx({ ...c, emailAddress: c.emailAddress.toLowerCase(), status: 'connected' })}
      on conflict (org_id, email_address) do update set member_id = excluded.member_id, refresh_token_enc = excluded.refresh_token_enc,
        access_token_enc = excluded.access_token_enc, access_expires_at = excluded.access_expires_at, scopes = excluded.scopes,
        status = 'connected', status_reason = null, last_error = null, updated_at = now()
      returning id`;
    return row!.id;
  },

  async setAccessToken(tx: Tx, orgId: string, id: string, accessTokenEnc: string, accessExpiresAt: string, refreshTokenEnc: string | null) {
    await tx`update public.mailbox_connections set access_token_enc = ${accessTokenEnc}, access_expires_at = ${accessExpiresAt},
      refresh_token_enc = coalesce(${refreshTokenEnc}, refresh_token_enc), updated_at = now() where org_id = ${orgId} and id = ${id}`;
  },

  async setWatch(tx: Tx, orgId: string, id: string, historyId: string | null, watchExpiresAt: string | null) {
    await tx`update public.mailbox_connections set watch_expires_at = ${watchExpiresAt}, history_id = coalesce(history_id, ${historyId}), updated_at = now() where org_id = ${orgId} and id = ${id}`;
  },

  async setSynced(tx: Tx, orgId: string, id: string, historyId: string) {
    await tx`update public.mailbox_connections set history_id = ${historyId}, last_sync_at = now(), last_error = null, updated_at = now() where org_id = ${orgId} and id = ${id}`;
  },

  async setError(tx: Tx, orgId: string, id: string, error: string) {
    await tx`update public.mailbox_connections set last_error = ${error.slice(0, 1000)}, updated_at = now() where org_id = ${orgId} and id = ${id}`;
  },

  async setStatus(tx: Tx, orgId: string, id: string, status: 'connected' | 'needs_reconnect' | 'revoked', reason: string | null) {
    await tx`update public.mailbox_connections set status = ${status}, status_reason = ${reason},
      access_token_enc = case when ${status} = 'revoked' then null else access_token_enc end,
      refresh_token_enc = case when ${status} = 'revoked' then null else refresh_token_enc end, updated_at = now()
      where org_id = ${orgId} and id = ${id}`;
  },
};
