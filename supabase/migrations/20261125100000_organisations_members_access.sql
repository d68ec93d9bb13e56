-- Organisations, their members and API keys, the role permissions (as data), and the helpers every
-- row-level-security policy uses. The caller's organisations are derived from membership of auth.uid()
-- (a member's user id, or an API key's id), never from a value the client chooses; an `org_id` claim can only
-- narrow that set to one organisation (a member of several picks one per request).

create extension if not exists pgcrypto with schema extensions;

-- Private schema: helpers for policies and functions, not exposed through Supabase's REST API.
create schema if not exists app;
revoke all on schema app from public;
grant usage on schema app to authenticated, service_role;

create or replace function app.touch_updated_at() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.updated_at := now();
  return new;
end;
$$;

-- Organisations -------------------------------------------------------------------------------------------------
create table public.organisations (
  id uuid primary key default gen_random_uuid(),
  name text not null check (char_length(name) between 1 and 200),
  time_zone text not null default 'UTC',
  postal_address text check (char_length(postal_address) <= 500),
  default_approval_policy text not null default 'require_approval'
    check (default_approval_policy in ('require_approval', 'auto_send_templates')),
  daily_send_cap integer not null default 200 check (daily_send_cap between 1 and 10000),
  per_minute_send_cap integer not null default 10 check (per_minute_send_cap between 1 and 600),
  pause_all_sending boolean not null default false,
  -- Key of the keyed hash that suppression entries store instead of an address (see ADR-0008). Never exposed.
  address_hash_key bytea not null default extensions.gen_random_bytes(32),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table public.organisations is 'A customer of Closeloop (a sales team); every other row belongs to one.';
create trigger organisations_touch before update on public.organisations for each row execute function app.touch_updated_at();

-- Members -------------------------------------------------------------------------------------------------------
create table public.members (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.organisations (id) on delete cascade,
  -- The Supabase Auth user (auth.users.id); not a foreign key so the schema also runs on plain Postgres.
  user_id uuid not null,
  display_name text not null check (char_length(display_name) between 1 and 200),
  email text not null check (email = lower(email) and position('@' in email) > 1),
  role text not null check (role in ('rep', 'manager', 'admin')),
  time_zone text not null default 'UTC',
  working_hours jsonb not null default '{}'::jsonb,
  from_name text,
  from_address text check (from_address is null or position('@' in from_address) > 1),
  reply_to text check (reply_to is null or position('@' in reply_to) > 1),
  status text not null default 'active' check (status in ('active', 'invited', 'removed')),
  created_at timestamptz not null default now(),
  unique (org_id, id),
  unique (org_id, user_id)
);
comment on table public.members is 'People of an organisation, their role, time zone, working hours and sender identity.';
create index members_user_id_idx on public.members (user_id);

-- API keys: machines act as a principal of their own, with a role; the secret is stored only as a hash.
create table public.api_keys (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.organisations (id) on delete cascade,
  name text not null check (char_length(name) between 1 and 100),
  role text not null check (role in ('rep', 'manager', 'admin')),
  prefix text not null check (char_length(prefix) between 4 and 16),
  key_hash text not null unique check (key_hash ~ '^[0-9a-f]{64}$'),
  created_by_member_id uuid,
  created_at timestamptz not null default now(),
  last_used_at timestamptz,
  revoked_at timestamptz,
  unique (org_id, id),
  foreign key (org_id, created_by_member_id) references public.members (org_id, id) on delete set null (created_by_member_id)
);
comment on table public.api_keys is 'Organisation-scoped API keys (hash only), each with a role; revoked keys stop at once.';

-- Role permissions, as data: which role may do what to which resource. domain/permissions.ts holds the same
-- table; a test checks that both agree.
create table public.role_permissions (
  role text not null check (role in ('rep', 'manager', 'admin')),
  resource text not null,
  action text not null check (action in ('read', 'create', 'update', 'delete')),
  primary key (role, resource, action)
);
comment on table public.role_permissions is 'What each member role may do, per resource and action.';

-- Policy helpers ------------------------------------------------------------------------------------------------
-- security definer: they read members and api_keys, whose own policies call them.

create or replace function app.org_ids() returns setof uuid
language sql stable security definer
set search_path = ''
as $$
  select m.org_id
  from public.members m
  where m.user_id = (select auth.uid())
    and m.status = 'active'
    and (auth.jwt() ->> 'org_id' is null or m.org_id = (auth.jwt() ->> 'org_id')::uuid)
  union
  select k.org_id
  from public.api_keys k
  where k.id = (select auth.uid())
    and k.revoked_at is null
$$;

create or replace function app.role_in(p_org uuid) returns text
language sql stable security definer
set search_path = ''
as $$
  select coalesce(
    (select m.role from public.members m
      where m.org_id = p_org and m.user_id = (select auth.uid()) and m.status = 'active'
        and (auth.jwt() ->> 'org_id' is null or m.org_id = (auth.jwt() ->> 'org_id')::uuid)),
    (select k.role from public.api_keys k
      where k.org_id = p_org and k.id = (select auth.uid()) and k.revoked_at is null)
  )
$$;

create or replace function app.can(p_resource text, p_action text, p_org uuid) returns boolean
language sql stable security definer
set search_path = ''
as $$
  select exists (
    select 1 from public.role_permissions rp
    where rp.role = app.role_in(p_org) and rp.resource = p_resource and rp.action = p_action
  )
$$;

-- Who the caller is in an organisation, as logs record it: their member id, or the API key's id.
create or replace function app.actor_ids(p_org uuid) returns setof text
language sql stable security definer
set search_path = ''
as $$
  select m.id::text from public.members m
  where m.org_id = p_org and m.user_id = (select auth.uid()) and m.status = 'active'
  union
  select k.id::text from public.api_keys k
  where k.org_id = p_org and k.id = (select auth.uid()) and k.revoked_at is null
$$;

revoke all on function app.org_ids(), app.role_in(uuid), app.can(text, text, uuid), app.actor_ids(uuid) from public;
grant execute on function app.org_ids(), app.role_in(uuid), app.can(text, text, uuid), app.actor_ids(uuid) to authenticated, service_role;
