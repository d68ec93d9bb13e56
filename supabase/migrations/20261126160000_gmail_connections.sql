-- Gmail (#8): a rep's connected mailbox (OAuth tokens encrypted at rest by the app; the key is configuration, never
-- in the database), its push watch and sync position; and "send assist": an approved email put into the rep's
-- Gmail drafts instead of being sent, recorded in the send ledger like a send (draft id, thread id).

create table public.mailbox_connections (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.organisations (id) on delete cascade,
  member_id uuid not null,
  provider text not null default 'gmail' check (provider in ('gmail')),
  email_address text not null check (email_address = lower(email_address) and position('@' in email_address) > 1),
  status text not null default 'connected' check (status in ('connected', 'needs_reconnect', 'revoked')),
  status_reason text,
  -- AES-256-GCM ciphertexts ("v1:<iv>:<tag>:<data>", base64), sealed with CLOSELOOP_TOKEN_KEY.
  refresh_token_enc text,
  access_token_enc text,
  access_expires_at timestamptz,
  scopes text[] not null default '{}',
  history_id text,
  watch_expires_at timestamptz,
  last_sync_at timestamptz,
  last_error text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (org_id, id),
  unique (org_id, email_address),
  foreign key (org_id, member_id) references public.members (org_id, id) on delete cascade
);
comment on table public.mailbox_connections is 'Connected rep mailboxes (Gmail): encrypted tokens, watch and sync state; the rep''s own address.';
create index mailbox_connections_email_idx on public.mailbox_connections (email_address);

alter table public.outbound_messages add column delivery text not null default 'send' check (delivery in ('send', 'gmail_draft'));
comment on column public.outbound_messages.delivery is '"send" through the email provider, or "gmail_draft": put into the rep''s Gmail drafts (send assist).';
alter table public.send_ledger add column provider_thread_id text;
alter table public.send_ledger drop constraint send_ledger_provider_check;
alter table public.send_ledger add constraint send_ledger_provider_check check (provider in ('resend', 'outbox', 'gmail_draft'));

insert into public.role_permissions (role, resource, action) values
  ('rep', 'mailbox_connections', 'read'), ('manager', 'mailbox_connections', 'read'), ('admin', 'mailbox_connections', 'read')
on conflict do nothing;

alter table public.mailbox_connections enable row level security;
create policy mailbox_connections_select on public.mailbox_connections for select to authenticated using (org_id in (select app.org_ids()) and app.can('mailbox_connections', 'read', org_id));
-- Never the tokens.
grant select (id, org_id, member_id, provider, email_address, status, status_reason, scopes, history_id, watch_expires_at, last_sync_at, last_error, created_at, updated_at)
  on public.mailbox_connections to authenticated;
grant select, insert, update, delete on public.mailbox_connections to service_role;
