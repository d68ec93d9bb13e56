-- Reassigning a running cadence to another rep (managers and admins), and which drafter wrote each outbound
-- draft: the rep sees "AI draft by <model>" or "offline template drafter: no AI" next to it.
insert into public.role_permissions (role, resource, action) values
  ('manager', 'enrolments', 'update'), ('admin', 'enrolments', 'update')
on conflict do nothing;

alter table public.outbound_messages add column drafted_by text;
comment on column public.outbound_messages.drafted_by is 'Who or what wrote the draft: the drafter''s label (e.g. "AI draft by gpt-4.1-mini"); null for drafts written before this column.';
