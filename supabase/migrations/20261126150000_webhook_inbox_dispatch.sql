-- Inbound events (#7): the webhook inbox becomes a durable work queue, and each organisation keeps the secrets
-- that sign its deliveries. A delivery is stored verbatim once (per organisation, provider and the provider's
-- event id), then the dispatcher (worker/inbox-dispatcher.ts) claims it with a lease, turns it into typed events
-- and workflow messages, and marks it processed; a transient failure (Temporal down) retries with backoff; a
-- delivery that cannot be processed is parked with its reason until an admin replays it.

-- Event ids are the sender's: a generic hook's ids are unique per organisation, not across them.
alter table public.webhook_inbox drop constraint webhook_inbox_provider_event_id_key;
alter table public.webhook_inbox add constraint webhook_inbox_org_provider_event_key unique (org_id, provider, event_id);

alter table public.webhook_inbox
  add column attempts integer not null default 0 check (attempts >= 0),
  add column next_attempt_at timestamptz not null default now(),
  add column locked_until timestamptz,
  add column last_error text;
comment on column public.webhook_inbox.locked_until is 'A dispatcher''s lease: a dispatcher that died mid-delivery leaves it, and another takes the row when it runs out.';
create index webhook_inbox_due_idx on public.webhook_inbox (next_attempt_at) where status = 'received';

create table public.webhook_secrets (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.organisations (id) on delete cascade,
  source text not null check (source in ('resend', 'closeloop')),
  -- HMAC keys must be usable, so they are stored as given; only the worker's role and the API (service role) read them.
  secret text not null check (char_length(secret) between 24 and 200),
  created_by_member_id uuid,
  created_at timestamptz not null default now(),
  -- Set when a newer secret replaces this one: both verify until then (rotation without dropped deliveries).
  expires_at timestamptz,
  unique (org_id, id),
  foreign key (org_id, created_by_member_id) references public.members (org_id, id)
);
comment on table public.webhook_secrets is 'Signing secrets of inbound webhooks per organisation and source; at most two valid during a rotation.';
create index webhook_secrets_org_source_idx on public.webhook_secrets (org_id, source, created_at desc);

insert into public.role_permissions (role, resource, action) values
  ('admin', 'webhook_secrets', 'read'), ('admin', 'webhook_secrets', 'create')
on conflict do nothing;

alter table public.webhook_secrets enable row level security;
create policy webhook_secrets_select on public.webhook_secrets for select to authenticated using (org_id in (select app.org_ids()) and app.can('webhook_secrets', 'read', org_id));
-- Never the secret itself: it is shown once, when created.
grant select (id, org_id, source, created_by_member_id, created_at, expires_at) on public.webhook_secrets to authenticated;
create policy webhook_secrets_insert on public.webhook_secrets for insert to authenticated with check (org_id in (select app.org_ids()) and app.can('webhook_secrets', 'create', org_id));
grant insert on public.webhook_secrets to authenticated;
grant select, insert, update, delete on public.webhook_secrets to service_role;
