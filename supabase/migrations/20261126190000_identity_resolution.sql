-- Identity resolution (#11): candidate pairs from the resolver (domain/identity-resolution.ts) with their score,
-- band and per-field explanation, waiting for a person or decided; merges with everything needed to undo them
-- exactly (both originals and the ids of every row that was moved); thresholds per organisation.

alter table public.organisations add column identity_thresholds jsonb not null default '{"merge": 0.95, "review": 0.6}'::jsonb
  check (jsonb_typeof(identity_thresholds) = 'object');

create table public.match_reviews (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.organisations (id) on delete cascade,
  contact_a uuid not null,
  contact_b uuid not null,
  score double precision not null check (score between 0 and 1),
  band text not null check (band in ('merge', 'review', 'keep_apart')),
  fields jsonb not null default '[]'::jsonb,
  status text not null default 'pending' check (status in ('pending', 'merged', 'kept_apart', 'obsolete')),
  decided_by_member_id uuid,
  decided_at timestamptz,
  created_at timestamptz not null default now(),
  unique (org_id, id),
  unique (org_id, contact_a, contact_b),
  check (contact_a < contact_b)
);
comment on table public.match_reviews is 'Pairs the resolver found: merged automatically, waiting for a person, or kept apart; decisions feed the thresholds report.';
create index match_reviews_org_status_idx on public.match_reviews (org_id, status, score desc);

create table public.contact_merges (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.organisations (id) on delete cascade,
  survivor_id uuid not null,
  loser_id uuid not null,
  -- Both originals as they were, and per table the ids of the rows moved to the survivor (or removed as duplicates).
  snapshot jsonb not null,
  reason text not null,
  merged_by_member_id uuid,
  merged_at timestamptz not null default now(),
  unmerged_at timestamptz,
  unmerged_by_member_id uuid,
  unique (org_id, id)
);
comment on table public.contact_merges is 'Merges of two contacts, with what it takes to undo one exactly (personal data: the originals).';
create index contact_merges_org_idx on public.contact_merges (org_id, merged_at desc);

insert into public.role_permissions (role, resource, action) values
  ('rep', 'match_reviews', 'read'), ('manager', 'match_reviews', 'read'), ('admin', 'match_reviews', 'read'),
  ('manager', 'match_reviews', 'update'), ('admin', 'match_reviews', 'update'),
  ('manager', 'contact_merges', 'read'), ('admin', 'contact_merges', 'read'),
  ('manager', 'contact_merges', 'create'), ('admin', 'contact_merges', 'create')
on conflict do nothing;

alter table public.match_reviews enable row level security;
alter table public.contact_merges enable row level security;
create policy match_reviews_select on public.match_reviews for select to authenticated using (org_id in (select app.org_ids()) and app.can('match_reviews', 'read', org_id));
create policy contact_merges_select on public.contact_merges for select to authenticated using (org_id in (select app.org_ids()) and app.can('contact_merges', 'read', org_id));
grant select on public.match_reviews to authenticated;
grant select (id, org_id, survivor_id, loser_id, reason, merged_by_member_id, merged_at, unmerged_at, unmerged_by_member_id) on public.contact_merges to authenticated;
grant select, insert, update, delete on public.match_reviews, public.contact_merges to service_role;
