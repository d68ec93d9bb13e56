-- Playbooks as versioned data, and enrolments (one follow-up cadence workflow each). An enrolment points at the
-- playbook version it started with: editing a playbook adds a version and never changes running cadences.
create table public.playbooks (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.organisations (id) on delete cascade,
  key text not null check (key ~ '^[a-z0-9][a-z0-9-]{0,59}$'),
  name text not null check (char_length(name) between 1 and 200),
  created_at timestamptz not null default now(),
  unique (org_id, id),
  unique (org_id, key)
);
comment on table public.playbooks is 'Follow-up playbooks; their content lives in playbook_versions.';

create table public.playbook_versions (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null,
  playbook_id uuid not null,
  version integer not null check (version >= 1),
  definition jsonb not null,
  created_by_member_id uuid,
  created_at timestamptz not null default now(),
  unique (org_id, id),
  unique (playbook_id, version),
  foreign key (org_id, playbook_id) references public.playbooks (org_id, id) on delete cascade,
  foreign key (org_id, created_by_member_id) references public.members (org_id, id) on delete set null (created_by_member_id)
);
comment on table public.playbook_versions is 'Immutable versions of a playbook (steps, delays, templates, send window).';

create table public.enrolments (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.organisations (id) on delete cascade,
  contact_id uuid not null,
  playbook_version_id uuid not null,
  owner_member_id uuid not null,
  mailbox_id uuid not null,
  -- follow-up:<org>:<contact>:<playbook>; a re-enrolment is a new run of the same workflow id.
  workflow_id text not null,
  status text not null default 'active' check (status in ('active', 'completed', 'stopped')),
  end_reason text,
  started_at timestamptz not null default now(),
  ended_at timestamptz,
  unique (org_id, id),
  foreign key (org_id, contact_id) references public.contacts (org_id, id) on delete cascade,
  foreign key (org_id, playbook_version_id) references public.playbook_versions (org_id, id),
  foreign key (org_id, owner_member_id) references public.members (org_id, id),
  foreign key (org_id, mailbox_id) references public.mailboxes (org_id, id)
);
comment on table public.enrolments is 'A contact in a playbook: one follow-up cadence workflow each.';
create index enrolments_org_contact_idx on public.enrolments (org_id, contact_id, status);
create unique index enrolments_one_active_run_idx on public.enrolments (workflow_id) where status = 'active';

insert into public.role_permissions (role, resource, action) values
  ('rep', 'playbooks', 'read'), ('manager', 'playbooks', 'read'), ('admin', 'playbooks', 'read'),
  ('manager', 'playbooks', 'create'), ('admin', 'playbooks', 'create'),
  ('rep', 'enrolments', 'read'), ('manager', 'enrolments', 'read'), ('admin', 'enrolments', 'read'),
  ('rep', 'enrolments', 'create'), ('manager', 'enrolments', 'create'), ('admin', 'enrolments', 'create');

alter table public.playbooks enable row level security;
alter table public.playbook_versions enable row level security;
alter table public.enrolments enable row level security;
create policy playbooks_select on public.playbooks for select to authenticated using (org_id in (select app.org_ids()));
create policy playbook_versions_select on public.playbook_versions for select to authenticated using (org_id in (select app.org_ids()));
create policy enrolments_select on public.enrolments for select to authenticated using (org_id in (select app.org_ids()));
grant select on public.playbooks, public.playbook_versions, public.enrolments to authenticated;
-- Writes go through the API's service transactions (after its permission checks) and the worker.
grant select, insert, update, delete on public.playbooks, public.playbook_versions, public.enrolments to service_role;
