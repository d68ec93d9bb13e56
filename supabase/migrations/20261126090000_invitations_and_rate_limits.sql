-- Invitations to join an organisation, and the shared state of the API's rate limits.

create table public.invitations (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.organisations (id) on delete cascade,
  email text not null check (email = lower(email) and position('@' in email) > 1),
  role text not null check (role in ('rep', 'manager', 'admin')),
  display_name text not null check (char_length(display_name) between 1 and 200),
  -- SHA-256 of the one-time token; the token itself is shown once, to the admin who invites.
  token_hash text not null unique check (token_hash ~ '^[0-9a-f]{64}$'),
  invited_by_member_id uuid,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  accepted_at timestamptz,
  revoked_at timestamptz,
  unique (org_id, id),
  foreign key (org_id, invited_by_member_id) references public.members (org_id, id) on delete set null (invited_by_member_id)
);
comment on table public.invitations is 'Pending invitations; accepting one creates the member.';

insert into public.role_permissions (role, resource, action) values
  ('admin', 'invitations', 'create'),
  ('admin', 'invitations', 'read'),
  ('admin', 'invitations', 'update');

alter table public.invitations enable row level security;
create policy invitations_select on public.invitations for select to authenticated
  using (org_id in (select app.org_ids()) and app.can('invitations', 'read', org_id));
create policy invitations_insert on public.invitations for insert to authenticated
  with check (org_id in (select app.org_ids()) and app.can('invitations', 'create', org_id));
create policy invitations_update on public.invitations for update to authenticated
  using (org_id in (select app.org_ids()) and app.can('invitations', 'update', org_id))
  with check (org_id in (select app.org_ids()) and app.can('invitations', 'update', org_id));
grant select (id, org_id, email, role, display_name, invited_by_member_id, created_at, expires_at, accepted_at, revoked_at)
  on public.invitations to authenticated;
grant insert on public.invitations to authenticated;
grant update (revoked_at) on public.invitations to authenticated;
grant select, insert, update, delete on public.invitations to service_role;

-- Rate limits: fixed one-minute windows per key, shared by every API instance. Private schema, reached only
-- through app.rate_limit_hit.
create table app.rate_limit_counters (
  key text not null,
  window_start timestamptz not null,
  hits integer not null,
  primary key (key, window_start)
);
alter table app.rate_limit_counters enable row level security;

-- Counts one hit for each key in the current window; returns the counts, in the order given.
create or replace function app.rate_limit_hit(p_keys text[], p_window_seconds integer)
returns table (key text, hits integer, window_start timestamptz)
language plpgsql security definer
set search_path = ''
as $$
#variable_conflict use_column
declare
  v_window timestamptz := to_timestamp(floor(extract(epoch from clock_timestamp()) / p_window_seconds) * p_window_seconds);
begin
  -- Old windows are dropped as we go, so the table stays small.
  delete from app.rate_limit_counters c where c.window_start < v_window - make_interval(secs => p_window_seconds);
  return query
  insert into app.rate_limit_counters as c (key, window_start, hits)
  select k, v_window, 1 from unnest(p_keys) as k
  on conflict (key, window_start) do update set hits = c.hits + 1
  returning c.key, c.hits, c.window_start;
end;
$$;
revoke all on function app.rate_limit_hit(text[], integer) from public;
grant execute on function app.rate_limit_hit(text[], integer) to service_role;
