-- The outbound pipeline shared by every process that writes to a buyer: mailboxes (sender identity, caps, pause,
-- domain verification, breaker), outbound messages (drafts and their approvals), the send ledger (exactly-once by
-- business key), capacity slots, and the offline outbox of the embedded default.

create table public.mailboxes (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.organisations (id) on delete cascade,
  member_id uuid not null,
  from_address text not null check (from_address = lower(from_address) and position('@' in from_address) > 1),
  from_name text not null check (char_length(from_name) between 1 and 200),
  reply_to text check (reply_to is null or position('@' in reply_to) > 1),
  sending_domain text not null generated always as (split_part(from_address, '@', 2)) stored,
  domain_status text not null default 'unverified' check (domain_status in ('unverified', 'pending', 'verified', 'failed')),
  domain_checked_at timestamptz,
  daily_cap integer not null default 100 check (daily_cap between 1 and 10000),
  per_minute_cap integer not null default 5 check (per_minute_cap between 1 and 600),
  per_recipient_domain_daily_cap integer not null default 20 check (per_recipient_domain_daily_cap between 1 and 10000),
  paused boolean not null default false,
  paused_reason text,
  created_at timestamptz not null default now(),
  unique (org_id, id),
  unique (org_id, from_address),
  foreign key (org_id, member_id) references public.members (org_id, id) on delete cascade
);
comment on table public.mailboxes is 'Sending identities: caps over a rolling 24 h and per minute, pause switch, domain status.';

create table public.outbound_messages (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.organisations (id) on delete cascade,
  mailbox_id uuid not null,
  contact_id uuid not null,
  -- The recipient at drafting time; personal data, cleared by erasure.
  to_address text,
  subject text,
  body_text text,
  -- 'template': rendered from a template and the contact's own record; 'ai': drafted by a model.
  origin text not null check (origin in ('template', 'ai')),
  -- Whether any text a buyer wrote went into the draft (prompt-injection path: always needs approval).
  uses_buyer_content boolean not null default false,
  requires_approval boolean not null,
  version integer not null default 1 check (version >= 1),
  process_workflow_id text not null,
  step_key text not null,
  -- Business idempotency key of the send: one email per (org, process, step, contact).
  business_key text not null,
  thread_message_id text,
  status text not null default 'draft' check (status in (
    'draft', 'awaiting_approval', 'approved', 'rejected', 'expired', 'skipped', 'waiting_for_capacity',
    'sending', 'sent', 'blocked', 'cancelled', 'needs_attention')),
  status_reason text,
  next_action_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (org_id, id),
  unique (org_id, business_key),
  foreign key (org_id, mailbox_id) references public.mailboxes (org_id, id),
  foreign key (org_id, contact_id) references public.contacts (org_id, id)
);
comment on table public.outbound_messages is 'Emails to buyers, from draft to sent, with the reason for every stop.';
create index outbound_messages_org_status_idx on public.outbound_messages (org_id, status, created_at desc);
create index outbound_messages_org_contact_idx on public.outbound_messages (org_id, contact_id);
create trigger outbound_messages_touch before update on public.outbound_messages for each row execute function app.touch_updated_at();

create table public.approvals (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.organisations (id) on delete cascade,
  message_id uuid not null,
  workflow_id text not null,
  status text not null default 'pending' check (status in ('pending', 'approved', 'rejected', 'expired', 'skipped', 'cancelled')),
  -- Who may decide now: the mailbox owner (and managers), or managers only once escalated.
  escalated boolean not null default false,
  requested_at timestamptz not null,
  due_at timestamptz not null,
  reminded_at timestamptz,
  decided_by_member_id uuid,
  decided_at timestamptz,
  decision text check (decision in ('approve', 'approve_with_edits', 'reject', 'regenerate')),
  unique (org_id, id),
  foreign key (org_id, message_id) references public.outbound_messages (org_id, id) on delete cascade,
  foreign key (org_id, decided_by_member_id) references public.members (org_id, id)
);
comment on table public.approvals is 'Approval requests the UI lists; the workflow holds the wait, this row shows it.';
create index approvals_org_status_idx on public.approvals (org_id, status, due_at);
create unique index approvals_one_pending_idx on public.approvals (message_id) where status = 'pending';

create table public.send_ledger (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.organisations (id) on delete cascade,
  business_key text not null,
  message_id uuid not null,
  mailbox_id uuid not null,
  state text not null check (state in ('reserved', 'accepted', 'delivered', 'bounced', 'complained', 'stale')),
  provider text not null check (provider in ('resend', 'outbox')),
  provider_message_id text,
  -- The Message-ID header the provider reports having used (threading of later follow-ups).
  rfc_message_id text,
  reserved_at timestamptz not null,
  accepted_at timestamptz,
  updated_at timestamptz not null default now(),
  unique (org_id, id),
  unique (org_id, business_key),
  foreign key (org_id, message_id) references public.outbound_messages (org_id, id),
  foreign key (org_id, mailbox_id) references public.mailboxes (org_id, id)
);
comment on table public.send_ledger is 'One row per business send key, written before the provider is called.';
create index send_ledger_provider_idx on public.send_ledger (provider, provider_message_id);

create table public.send_slots (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.organisations (id) on delete cascade,
  mailbox_id uuid not null,
  recipient_domain text not null,
  business_key text not null,
  slot_at timestamptz not null,
  unique (org_id, id),
  unique (org_id, business_key),
  foreign key (org_id, mailbox_id) references public.mailboxes (org_id, id) on delete cascade
);
comment on table public.send_slots is 'Capacity reservations: each send takes a slot that fits every rolling cap (ADR-0010).';
create index send_slots_mailbox_idx on public.send_slots (mailbox_id, slot_at);
create index send_slots_domain_idx on public.send_slots (mailbox_id, recipient_domain, slot_at);

create table public.outbox (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.organisations (id) on delete cascade,
  idempotency_key text not null,
  from_header text not null,
  to_address text not null,
  reply_to text,
  subject text not null,
  body_text text not null,
  headers jsonb not null default '{}'::jsonb,
  tags jsonb not null default '[]'::jsonb,
  rfc_message_id text not null,
  created_at timestamptz not null default now(),
  unique (org_id, id),
  unique (org_id, idempotency_key)
);
comment on table public.outbox is 'NOT SENT: the offline adapter of the embedded default stores emails here instead of sending them.';

insert into public.role_permissions (role, resource, action) values
  ('rep', 'mailboxes', 'read'), ('manager', 'mailboxes', 'read'), ('admin', 'mailboxes', 'read'),
  ('admin', 'mailboxes', 'create'), ('admin', 'mailboxes', 'update'),
  ('rep', 'outbound_messages', 'read'), ('manager', 'outbound_messages', 'read'), ('admin', 'outbound_messages', 'read'),
  ('rep', 'approvals', 'read'), ('manager', 'approvals', 'read'), ('admin', 'approvals', 'read'),
  ('rep', 'send_ledger', 'read'), ('manager', 'send_ledger', 'read'), ('admin', 'send_ledger', 'read'),
  ('manager', 'send_slots', 'read'), ('admin', 'send_slots', 'read'),
  ('rep', 'outbox', 'read'), ('manager', 'outbox', 'read'), ('admin', 'outbox', 'read');

-- Reads for members; every write is the worker's (service role), driven by the workflows.
alter table public.mailboxes enable row level security;
alter table public.outbound_messages enable row level security;
alter table public.approvals enable row level security;
alter table public.send_ledger enable row level security;
alter table public.send_slots enable row level security;
alter table public.outbox enable row level security;

create policy mailboxes_select on public.mailboxes for select to authenticated using (org_id in (select app.org_ids()));
create policy mailboxes_insert on public.mailboxes for insert to authenticated
  with check (org_id in (select app.org_ids()) and app.can('mailboxes', 'create', org_id));
create policy mailboxes_update on public.mailboxes for update to authenticated
  using (org_id in (select app.org_ids()) and app.can('mailboxes', 'update', org_id))
  with check (org_id in (select app.org_ids()) and app.can('mailboxes', 'update', org_id));
create policy outbound_messages_select on public.outbound_messages for select to authenticated using (org_id in (select app.org_ids()));
create policy approvals_select on public.approvals for select to authenticated using (org_id in (select app.org_ids()));
create policy send_ledger_select on public.send_ledger for select to authenticated using (org_id in (select app.org_ids()));
create policy send_slots_select on public.send_slots for select to authenticated
  using (org_id in (select app.org_ids()) and app.can('send_slots', 'read', org_id));
create policy outbox_select on public.outbox for select to authenticated using (org_id in (select app.org_ids()));

grant select on public.mailboxes, public.outbound_messages, public.approvals, public.send_ledger, public.send_slots, public.outbox to authenticated;
grant insert on public.mailboxes to authenticated;
grant update (from_name, reply_to, daily_cap, per_minute_cap, per_recipient_domain_daily_cap, paused, paused_reason) on public.mailboxes to authenticated;
grant select, insert, update, delete on public.mailboxes, public.outbound_messages, public.approvals, public.send_ledger,
  public.send_slots, public.outbox to service_role;

-- Erasure reaches the outbound pipeline too: when a contact is erased (app.erase_contact sets erased_at), their
-- drafts lose recipient, subject and body, and the offline outbox forgets emails to their addresses. The ledger
-- and slots keep ids and business keys only.
create or replace function app.erase_outbound_of_contact() returns trigger
language plpgsql security definer
set search_path = ''
as $$
begin
  if old.erased_at is null and new.erased_at is not null then
    update public.outbound_messages set to_address = null, subject = null, body_text = null
    where org_id = new.org_id and contact_id = new.id;
    delete from public.outbox where org_id = new.org_id and to_address = any (old.emails);
  end if;
  return new;
end;
$$;
revoke all on function app.erase_outbound_of_contact() from public;
create trigger contacts_erase_outbound after update of erased_at on public.contacts
  for each row execute function app.erase_outbound_of_contact();
