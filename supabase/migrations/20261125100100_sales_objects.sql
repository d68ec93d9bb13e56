-- The canonical sales objects. Every row carries org_id, and every reference between rows is a composite
-- foreign key (org_id, x_id), so no row can point into another organisation, whoever writes it.
-- Personal data lives only in rows that erasure can clear (contacts, activities); logs carry ids.

create table public.accounts (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.organisations (id) on delete cascade,
  name text not null check (char_length(name) between 1 and 300),
  domain text check (domain = lower(domain) and domain ~ '^[a-z0-9.-]+\.[a-z]{2,}$'),
  industry text,
  size_band text check (size_band in ('1-10', '11-50', '51-200', '201-1000', '1001-5000', '5001+')),
  owner_member_id uuid,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (org_id, id),
  foreign key (org_id, owner_member_id) references public.members (org_id, id) on delete set null (owner_member_id)
);
comment on table public.accounts is 'Companies a team sells to.';
create index accounts_org_domain_idx on public.accounts (org_id, domain);
create trigger accounts_touch before update on public.accounts for each row execute function app.touch_updated_at();

create table public.contacts (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.organisations (id) on delete cascade,
  account_id uuid,
  first_name text,
  last_name text,
  title text,
  emails text[] not null default '{}' check (cardinality(emails) <= 10),
  phone_e164 text check (phone_e164 ~ '^\+[1-9][0-9]{6,14}$'),
  time_zone text,
  country text check (country ~ '^[A-Z]{2}$'),
  lawful_basis text not null default 'none' check (lawful_basis in ('consent', 'legitimate_interest', 'contract', 'none')),
  lawful_basis_source text,
  do_not_contact boolean not null default false,
  erased_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (org_id, id),
  foreign key (org_id, account_id) references public.accounts (org_id, id) on delete set null (account_id),
  -- An erased contact keeps its id (logs refer to it) and nothing else about the person.
  constraint contacts_erased_has_no_personal_data check (
    erased_at is null or (first_name is null and last_name is null and title is null and cardinality(emails) = 0
      and phone_e164 is null and lawful_basis_source is null)
  )
);
comment on table public.contacts is 'People at accounts. Personal data: erasable (see app.erase_contact).';
create index contacts_org_account_idx on public.contacts (org_id, account_id);
create index contacts_emails_idx on public.contacts using gin (emails);
create trigger contacts_touch before update on public.contacts for each row execute function app.touch_updated_at();

create table public.deals (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.organisations (id) on delete cascade,
  account_id uuid not null,
  name text not null check (char_length(name) between 1 and 300),
  stage text not null default 'discovery'
    check (stage in ('discovery', 'qualification', 'demo', 'proposal', 'negotiation', 'closed_won', 'closed_lost')),
  amount_minor bigint check (amount_minor >= 0),
  currency text check (currency ~ '^[A-Z]{3}$'),
  close_date date,
  owner_member_id uuid not null,
  next_step text check (char_length(next_step) <= 500),
  next_step_due_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (org_id, id),
  foreign key (org_id, account_id) references public.accounts (org_id, id) on delete cascade,
  foreign key (org_id, owner_member_id) references public.members (org_id, id),
  constraint deals_amount_needs_currency check (amount_minor is null or currency is not null)
);
comment on table public.deals is 'Opportunities: stage, amount, close date, owner and the next step.';
create index deals_org_account_idx on public.deals (org_id, account_id);
create index deals_org_owner_idx on public.deals (org_id, owner_member_id);
create trigger deals_touch before update on public.deals for each row execute function app.touch_updated_at();

create table public.stakeholders (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.organisations (id) on delete cascade,
  deal_id uuid not null,
  contact_id uuid not null,
  role text not null check (role in ('champion', 'economic_buyer', 'decision_maker', 'approver', 'blocker', 'influencer', 'user')),
  influence text check (influence in ('low', 'medium', 'high')),
  sentiment text not null default 'unknown' check (sentiment in ('positive', 'neutral', 'negative', 'unknown')),
  unique (org_id, id),
  unique (deal_id, contact_id, role),
  foreign key (org_id, deal_id) references public.deals (org_id, id) on delete cascade,
  foreign key (org_id, contact_id) references public.contacts (org_id, id) on delete cascade
);
comment on table public.stakeholders is 'Who plays which part in a deal.';
create index stakeholders_org_deal_idx on public.stakeholders (org_id, deal_id);
create index stakeholders_org_contact_idx on public.stakeholders (org_id, contact_id);

create table public.activities (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.organisations (id) on delete cascade,
  kind text not null check (kind in ('email', 'call', 'meeting', 'note')),
  direction text not null check (direction in ('inbound', 'outbound', 'internal')),
  occurred_at timestamptz not null,
  subject text,
  body text,
  contact_id uuid,
  account_id uuid,
  deal_id uuid,
  logged_by_member_id uuid,
  participants jsonb not null default '[]'::jsonb check (jsonb_typeof(participants) = 'array'),
  provider_message_id text,
  provider_thread_id text,
  meeting_start_at timestamptz,
  meeting_end_at timestamptz,
  meeting_status text check (meeting_status in ('scheduled', 'held', 'no_show', 'cancelled')),
  created_at timestamptz not null default now(),
  unique (org_id, id),
  foreign key (org_id, contact_id) references public.contacts (org_id, id) on delete set null (contact_id),
  foreign key (org_id, account_id) references public.accounts (org_id, id) on delete set null (account_id),
  foreign key (org_id, deal_id) references public.deals (org_id, id) on delete set null (deal_id),
  foreign key (org_id, logged_by_member_id) references public.members (org_id, id) on delete set null (logged_by_member_id),
  constraint activities_meeting_times check (
    (kind = 'meeting' and meeting_start_at is not null and meeting_end_at > meeting_start_at)
    or (kind <> 'meeting' and meeting_start_at is null and meeting_end_at is null and meeting_status is null)
  )
);
comment on table public.activities is 'Emails, calls, meetings and notes. Subject, body and participants are personal data.';
create index activities_org_contact_idx on public.activities (org_id, contact_id, occurred_at desc);
create index activities_org_deal_idx on public.activities (org_id, deal_id, occurred_at desc);
create index activities_provider_message_idx on public.activities (org_id, provider_message_id);

create table public.tasks (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.organisations (id) on delete cascade,
  kind text not null check (kind in ('call', 'email', 'linkedin', 'follow_up', 'fix_address', 'review', 'custom')),
  title text not null check (char_length(title) between 1 and 500),
  due_at timestamptz,
  owner_member_id uuid not null,
  status text not null default 'open' check (status in ('open', 'done', 'cancelled')),
  source text not null default 'manual' check (source in ('manual', 'process', 'call_notes', 'import')),
  source_ref text,
  contact_id uuid,
  deal_id uuid,
  created_at timestamptz not null default now(),
  completed_at timestamptz,
  unique (org_id, id),
  foreign key (org_id, owner_member_id) references public.members (org_id, id),
  foreign key (org_id, contact_id) references public.contacts (org_id, id) on delete set null (contact_id),
  foreign key (org_id, deal_id) references public.deals (org_id, id) on delete set null (deal_id),
  constraint tasks_completed_iff_done check ((status = 'done') = (completed_at is not null))
);
comment on table public.tasks is 'Work for a person: calls, manual emails, LinkedIn steps, fixes, reviews.';
create index tasks_org_owner_idx on public.tasks (org_id, owner_member_id, status, due_at);
create index tasks_org_contact_idx on public.tasks (org_id, contact_id);

create table public.signals (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.organisations (id) on delete cascade,
  kind text not null check (kind in ('hiring', 'funding', 'tech_change', 'intent', 'news', 'other')),
  account_id uuid,
  contact_id uuid,
  occurred_at timestamptz not null,
  source text not null,
  summary text not null,
  url text,
  score real check (score between 0 and 1),
  created_at timestamptz not null default now(),
  unique (org_id, id),
  foreign key (org_id, account_id) references public.accounts (org_id, id) on delete cascade,
  foreign key (org_id, contact_id) references public.contacts (org_id, id) on delete set null (contact_id)
);
comment on table public.signals is 'Buying signals about accounts and people.';
create index signals_org_account_idx on public.signals (org_id, account_id, occurred_at desc);

create table public.documents (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.organisations (id) on delete cascade,
  deal_id uuid,
  kind text not null check (kind in ('nda', 'sla', 'msa', 'security_questionnaire', 'proposal', 'brief', 'import', 'other')),
  version integer not null default 1 check (version >= 1),
  status text not null default 'draft' check (status in ('draft', 'sent', 'in_review', 'signed', 'rejected', 'archived')),
  storage_ref text not null,
  title text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (org_id, id),
  foreign key (org_id, deal_id) references public.deals (org_id, id) on delete set null (deal_id)
);
comment on table public.documents is 'Files about deals (NDA, SLA, proposals, briefs); the bytes are in the storage port.';
create index documents_org_deal_idx on public.documents (org_id, deal_id);
create trigger documents_touch before update on public.documents for each row execute function app.touch_updated_at();

-- Suppression list: never contact these addresses again. Stores a keyed hash of the address, not the address,
-- so it can outlive an erasure (see ADR-0008).
create table public.suppressions (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.organisations (id) on delete cascade,
  address_hash text not null check (address_hash ~ '^[0-9a-f]{64}$'),
  reason text not null check (reason in ('unsubscribed', 'bounced', 'complained', 'erased', 'manual')),
  source text,
  created_at timestamptz not null default now(),
  unique (org_id, id),
  unique (org_id, address_hash)
);
comment on table public.suppressions is 'Addresses (as keyed hashes) that must never be contacted again.';

-- The keyed hash of an address for an organisation: lowercased and trimmed, HMAC-SHA256 with the org's key.
create or replace function app.address_hash(p_org uuid, p_address text) returns text
language sql stable security definer
set search_path = ''
as $$
  select encode(extensions.hmac(convert_to(lower(trim(p_address)), 'UTF8'), o.address_hash_key, 'sha256'), 'hex')
  from public.organisations o where o.id = p_org
$$;
revoke all on function app.address_hash(uuid, text) from public;
grant execute on function app.address_hash(uuid, text) to service_role;
