-- Call notes (#12): notes and transcripts of calls (from the API, the UI or a call recorder's signed hook), what
-- the extractor proposed from them — every proposal with the exact quote that justifies it, the ones whose quote
-- is not in the notes dropped and counted — and what became of each proposal (applied at once, waiting for a
-- person through the approvals queue, approved, rejected, expired, superseded by a later change). Meeting prep
-- briefs: one per scheduled meeting, due before it, stored as a document. Policies per organisation.

alter table public.organisations
  add column call_notes_policy jsonb not null default '{}'::jsonb check (jsonb_typeof(call_notes_policy) = 'object'),
  add column meeting_brief_lead_minutes integer not null default 60 check (meeting_brief_lead_minutes between 5 and 10080);
comment on column public.organisations.call_notes_policy is 'Which call-note proposals apply at once and which wait for approval (domain/call-notes-policy.ts); {} is the default.';
comment on column public.organisations.meeting_brief_lead_minutes is 'How long before a scheduled meeting its prep brief reaches the rep.';
grant select (call_notes_policy, meeting_brief_lead_minutes) on public.organisations to authenticated;
grant update (call_notes_policy, meeting_brief_lead_minutes) on public.organisations to authenticated;

create table public.call_notes (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.organisations (id) on delete cascade,
  source text not null check (source in ('api', 'ui', 'webhook')),
  -- The recorder's id of the call: a delivery posted twice is one call note.
  external_id text,
  format text not null check (format in ('plain', 'speaker', 'webvtt', 'srt')),
  title text check (title is null or char_length(title) <= 300),
  occurred_at timestamptz not null,
  -- Personal data: the notes as posted, and as the plain text every quote is checked against.
  raw_text text,
  transcript_text text,
  speakers text[] not null default '{}',
  participants jsonb not null default '[]'::jsonb check (jsonb_typeof(participants) = 'array'),
  deal_id uuid,
  account_id uuid,
  contact_id uuid,
  -- The rep the follow-through belongs to (tasks, approvals, the recap email's mailbox).
  owner_member_id uuid not null,
  created_by_member_id uuid,
  status text not null default 'received' check (status in ('received', 'extracting', 'proposed', 'completed', 'failed')),
  status_reason text,
  extractor text check (extractor in ('openai', 'offline')),
  model text,
  prompt_version text,
  extractor_label text,
  -- Why the offline extractor stood in, when the AI answer was unusable.
  fallback_reason text,
  summary text,
  dropped_count integer not null default 0 check (dropped_count >= 0),
  dropped jsonb not null default '[]'::jsonb check (jsonb_typeof(dropped) = 'array'),
  -- The extraction that passed the evidence check (personal data: quotes).
  extraction jsonb,
  activity_id uuid,
  workflow_id text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (org_id, id),
  unique (org_id, workflow_id),
  foreign key (org_id, deal_id) references public.deals (org_id, id) on delete set null (deal_id),
  foreign key (org_id, account_id) references public.accounts (org_id, id) on delete set null (account_id),
  foreign key (org_id, contact_id) references public.contacts (org_id, id) on delete set null (contact_id),
  foreign key (org_id, owner_member_id) references public.members (org_id, id),
  foreign key (org_id, activity_id) references public.activities (org_id, id) on delete set null (activity_id)
);
comment on table public.call_notes is 'Call notes and transcripts, what was extracted from them and by which extractor (personal data: the texts).';
create unique index call_notes_external_idx on public.call_notes (org_id, source, external_id) where external_id is not null;
create index call_notes_org_deal_idx on public.call_notes (org_id, deal_id, occurred_at desc);
create index call_notes_org_created_idx on public.call_notes (org_id, created_at desc);
create trigger call_notes_touch before update on public.call_notes for each row execute function app.touch_updated_at();

create table public.call_note_proposals (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.organisations (id) on delete cascade,
  call_note_id uuid not null,
  -- Position in the extraction: a retried activity writes the same rows again, not new ones.
  ordinal integer not null check (ordinal >= 0),
  kind text not null check (kind in (
    'summary', 'next_step', 'callback', 'meeting', 'contact_new', 'stakeholder_role', 'deal_stage', 'deal_amount',
    'deal_close_date', 'objection', 'competitor', 'pain', 'qualification', 'commitment', 'risk')),
  -- What it changes (null for insights recorded on the call note only).
  target_type text check (target_type in ('deal', 'contact', 'stakeholder', 'task', 'activity')),
  target_id uuid,
  before jsonb,
  after jsonb not null,
  quote text not null,
  confidence double precision not null check (confidence between 0 and 1),
  policy text not null check (policy in ('apply', 'approve')),
  -- pending: not applied yet (waiting for its turn or for a person); applied: by policy or after a person approved.
  status text not null check (status in ('pending', 'applied', 'rejected', 'expired', 'superseded')),
  status_reason text,
  -- What applying it made (the task, the contact, the meeting activity).
  result_ref uuid,
  decided_by_member_id uuid,
  decided_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (org_id, id),
  unique (call_note_id, ordinal),
  foreign key (org_id, call_note_id) references public.call_notes (org_id, id) on delete cascade,
  foreign key (org_id, decided_by_member_id) references public.members (org_id, id)
);
comment on table public.call_note_proposals is 'Each change a call note proposes, with its quote and confidence, and whether it applied or waits for a person (personal data: quotes).';
create index call_note_proposals_note_idx on public.call_note_proposals (org_id, call_note_id, ordinal);
create index call_note_proposals_pending_idx on public.call_note_proposals (org_id, status) where status = 'pending';
create trigger call_note_proposals_touch before update on public.call_note_proposals for each row execute function app.touch_updated_at();

-- The approvals queue is shared: an approval is of an outbound email or of a call note's proposed change.
alter table public.approvals
  alter column message_id drop not null,
  add column proposal_id uuid,
  add constraint approvals_proposal_fk foreign key (org_id, proposal_id) references public.call_note_proposals (org_id, id) on delete cascade,
  add constraint approvals_one_subject check ((message_id is null) <> (proposal_id is null));
create unique index approvals_one_pending_proposal_idx on public.approvals (proposal_id) where status = 'pending';

create table public.meeting_briefs (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.organisations (id) on delete cascade,
  meeting_activity_id uuid not null,
  -- The meeting start the brief was planned for; a reschedule moves both.
  meeting_start_at timestamptz not null,
  due_at timestamptz not null,
  status text not null default 'scheduled' check (status in ('scheduled', 'ready', 'cancelled')),
  document_id uuid,
  owner_member_id uuid,
  workflow_id text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (org_id, id),
  unique (org_id, meeting_activity_id),
  foreign key (org_id, meeting_activity_id) references public.activities (org_id, id) on delete cascade,
  foreign key (org_id, document_id) references public.documents (org_id, id) on delete set null (document_id),
  foreign key (org_id, owner_member_id) references public.members (org_id, id) on delete set null (owner_member_id)
);
comment on table public.meeting_briefs is 'Prep briefs of scheduled meetings: when each is due and the document it became.';
create index meeting_briefs_org_due_idx on public.meeting_briefs (org_id, status, due_at);
create trigger meeting_briefs_touch before update on public.meeting_briefs for each row execute function app.touch_updated_at();

-- Briefs are documents linked to their meeting.
alter table public.documents add column activity_id uuid,
  add constraint documents_activity_fk foreign key (org_id, activity_id) references public.activities (org_id, id) on delete set null (activity_id);

insert into public.role_permissions (role, resource, action) values
  ('rep', 'call_notes', 'read'), ('manager', 'call_notes', 'read'), ('admin', 'call_notes', 'read'),
  ('rep', 'call_notes', 'create'), ('manager', 'call_notes', 'create'), ('admin', 'call_notes', 'create'),
  ('rep', 'call_note_proposals', 'read'), ('manager', 'call_note_proposals', 'read'), ('admin', 'call_note_proposals', 'read'),
  ('rep', 'meeting_briefs', 'read'), ('manager', 'meeting_briefs', 'read'), ('admin', 'meeting_briefs', 'read')
on conflict do nothing;

-- Reads for members; writes are the worker's (service role) or the API's after its own permission check.
alter table public.call_notes enable row level security;
alter table public.call_note_proposals enable row level security;
alter table public.meeting_briefs enable row level security;
create policy call_notes_select on public.call_notes for select to authenticated using (org_id in (select app.org_ids()) and app.can('call_notes', 'read', org_id));
create policy call_note_proposals_select on public.call_note_proposals for select to authenticated using (org_id in (select app.org_ids()) and app.can('call_note_proposals', 'read', org_id));
create policy meeting_briefs_select on public.meeting_briefs for select to authenticated using (org_id in (select app.org_ids()) and app.can('meeting_briefs', 'read', org_id));
grant select on public.call_notes, public.call_note_proposals, public.meeting_briefs to authenticated;
grant select, insert, update, delete on public.call_notes, public.call_note_proposals, public.meeting_briefs to service_role;

-- Erasure reaches call notes too: when a contact is erased, the notes linked to them, or naming their address
-- among the participants, lose their texts, quotes and summary; the proposals keep kinds and statuses only.
create or replace function app.erase_call_notes_of_contact() returns trigger
language plpgsql security definer
set search_path = ''
as $$
begin
  if old.erased_at is null and new.erased_at is not null then
    with erased as (
      update public.call_notes n
      set raw_text = null, transcript_text = null, summary = null, extraction = null, title = null, speakers = '{}', participants = '[]'::jsonb, dropped = '[]'::jsonb
      where n.org_id = new.org_id
        and (n.contact_id = new.id
          or exists (select 1 from jsonb_array_elements(n.participants) p
                     where p ->> 'contactId' = new.id::text or lower(coalesce(p ->> 'email', '')) = any (old.emails)))
      returning n.id
    )
    update public.call_note_proposals p set quote = '(erased)', before = null, after = '{}'::jsonb
    where p.org_id = new.org_id and p.call_note_id in (select id from erased);
  end if;
  return new;
end;
$$;
revoke all on function app.erase_call_notes_of_contact() from public;
create trigger contacts_erase_call_notes after update of erased_at on public.contacts
  for each row execute function app.erase_call_notes_of_contact();
