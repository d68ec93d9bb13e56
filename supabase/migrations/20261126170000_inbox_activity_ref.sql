-- One activity per inbox delivery, even when two dispatchers work the same delivery at the same moment (a lease
-- that ran out while the first was still busy): the dispatcher inserts with "on conflict do nothing".
create unique index activities_inbox_ref_idx on public.activities (org_id, provider_message_id) where provider_message_id like 'inbox:%';
