-- Lead import (#10): every contact and account keeps where its values came from (source, import batch, and per
-- field the source and date, so a better source wins and enrichment is traceable); exact-key dedupe columns
-- (normalised email match keys, LinkedIn URL, E.164 phone; company name key and registrable domain); import batches
-- with progress, and one result row per file line (what happened, and why a bad line failed).

alter table public.contacts
  add column linkedin_url text check (linkedin_url is null or linkedin_url ~ '^https://www\.linkedin\.com/in/[^/?#]+$'),
  add column email_keys text[] not null default '{}',
  add column department text,
  add column seniority text,
  add column source text,
  add column import_batch_id uuid,
  add column field_sources jsonb not null default '{}'::jsonb check (jsonb_typeof(field_sources) = 'object');
comment on column public.contacts.email_keys is 'Match keys of the addresses (provider rules such as Gmail dots and +tags applied): for dedupe only, never shown or used to send.';
comment on column public.contacts.field_sources is 'Per field: { source, batchId, at } of the value it holds (imports and enrichment).';
create index contacts_email_keys_idx on public.contacts using gin (email_keys);
create index contacts_linkedin_idx on public.contacts (org_id, linkedin_url) where linkedin_url is not null;
create index contacts_phone_idx on public.contacts (org_id, phone_e164) where phone_e164 is not null;

alter table public.accounts
  add column name_key text,
  add column source text,
  add column field_sources jsonb not null default '{}'::jsonb check (jsonb_typeof(field_sources) = 'object');
create index accounts_name_key_idx on public.accounts (org_id, name_key);

create table public.import_batches (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.organisations (id) on delete cascade,
  source text not null check (source in ('sales_navigator', 'apollo', 'hubspot', 'generic_csv', 'api', 'form')),
  file_name text,
  storage_key text,
  headers text[] not null default '{}',
  mapping jsonb not null default '{}'::jsonb,
  lawful_basis text not null default 'none' check (lawful_basis in ('consent', 'legitimate_interest', 'contract', 'none')),
  lawful_basis_source text,
  enrich boolean not null default false,
  status text not null default 'uploaded' check (status in ('uploaded', 'running', 'completed', 'failed')),
  status_reason text,
  total_rows integer,
  workflow_id text,
  created_by_member_id uuid,
  created_at timestamptz not null default now(),
  started_at timestamptz,
  finished_at timestamptz,
  unique (org_id, id),
  foreign key (org_id, created_by_member_id) references public.members (org_id, id)
);
comment on table public.import_batches is 'Lead imports: the file (in storage), its column mapping, lawful basis, progress.';

create table public.import_rows (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.organisations (id) on delete cascade,
  batch_id uuid not null,
  line integer not null check (line >= 1),
  outcome text not null check (outcome in ('created', 'updated', 'unchanged', 'failed')),
  contact_id uuid,
  reason text,
  created_at timestamptz not null default now(),
  unique (batch_id, line),
  foreign key (org_id, batch_id) references public.import_batches (org_id, id) on delete cascade,
  foreign key (org_id, contact_id) references public.contacts (org_id, id) on delete set null (contact_id)
);
comment on table public.import_rows is 'One per file line: what the import did with it; a failed line says why (no personal data).';
create index import_rows_batch_outcome_idx on public.import_rows (batch_id, outcome, line);

insert into public.role_permissions (role, resource, action) values
  ('rep', 'import_batches', 'read'), ('manager', 'import_batches', 'read'), ('admin', 'import_batches', 'read'),
  ('rep', 'import_batches', 'create'), ('manager', 'import_batches', 'create'), ('admin', 'import_batches', 'create'),
  ('rep', 'import_rows', 'read'), ('manager', 'import_rows', 'read'), ('admin', 'import_rows', 'read')
on conflict do nothing;

alter table public.import_batches enable row level security;
alter table public.import_rows enable row level security;
create policy import_batches_select on public.import_batches for select to authenticated using (org_id in (select app.org_ids()) and app.can('import_batches', 'read', org_id));
create policy import_rows_select on public.import_rows for select to authenticated using (org_id in (select app.org_ids()) and app.can('import_rows', 'read', org_id));
grant select on public.import_batches, public.import_rows to authenticated;
grant select, insert, update, delete on public.import_batches, public.import_rows to service_role;
