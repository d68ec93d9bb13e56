-- Draft revisions: the text of an edit ("approve with edits") or of regeneration instructions, stored here so the
-- outbound workflow receives only the revision's id (workflow histories hold ids and codes, ADR-0007).
create table public.draft_revisions (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.organisations (id) on delete cascade,
  message_id uuid not null,
  kind text not null check (kind in ('edit', 'regenerate')),
  subject text,
  body_text text,
  instructions text,
  created_by_member_id uuid not null,
  created_at timestamptz not null default now(),
  unique (org_id, id),
  foreign key (org_id, message_id) references public.outbound_messages (org_id, id) on delete cascade,
  foreign key (org_id, created_by_member_id) references public.members (org_id, id),
  constraint draft_revisions_shape check (
    (kind = 'edit' and subject is not null and body_text is not null and instructions is null)
    or (kind = 'regenerate' and instructions is not null and subject is null and body_text is null)
  )
);
comment on table public.draft_revisions is 'Edits and regeneration instructions of outbound drafts (personal data: erased with the contact).';
create index draft_revisions_message_idx on public.draft_revisions (org_id, message_id, created_at);

insert into public.role_permissions (role, resource, action) values
  ('rep', 'draft_revisions', 'read'), ('manager', 'draft_revisions', 'read'), ('admin', 'draft_revisions', 'read');

alter table public.draft_revisions enable row level security;
create policy draft_revisions_select on public.draft_revisions for select to authenticated using (org_id in (select app.org_ids()));
grant select on public.draft_revisions to authenticated;
grant select, insert, update, delete on public.draft_revisions to service_role;

-- Erasure clears revisions of the contact's drafts as well.
create or replace function app.erase_revisions_of_contact() returns trigger
language plpgsql security definer
set search_path = ''
as $$
begin
  if old.erased_at is null and new.erased_at is not null then
    delete from public.draft_revisions r
    using public.outbound_messages m
    where m.org_id = new.org_id and m.contact_id = new.id and r.org_id = m.org_id and r.message_id = m.id;
  end if;
  return new;
end;
$$;
revoke all on function app.erase_revisions_of_contact() from public;
create trigger contacts_erase_revisions after update of erased_at on public.contacts
  for each row execute function app.erase_revisions_of_contact();
