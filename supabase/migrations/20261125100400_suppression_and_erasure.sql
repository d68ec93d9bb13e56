-- Suppression and erasure (ADR-0008). Addresses are stored only as keyed hashes, so a suppression outlives the
-- erasure of the person and they are never contacted again. Erasure clears every personal field of a contact
-- and of what is linked to it, redacts its audit values, and leaves ids behind for the logs.

-- Adds an address to the suppression list (idempotent); returns the suppression id. Callable by the worker
-- (service_role) and by members whose role may create suppressions in that organisation.
create or replace function app.suppress(p_org uuid, p_address text, p_reason text, p_source text default null)
returns uuid
language plpgsql security definer
set search_path = ''
as $$
declare
  v_id uuid;
begin
  if coalesce(current_setting('role', true), '') <> 'service_role'
     and not (p_org in (select app.org_ids()) and app.can('suppressions', 'create', p_org)) then
    raise exception 'not allowed to suppress addresses in organisation %', p_org using errcode = 'insufficient_privilege';
  end if;
  if p_address is null or position('@' in p_address) < 2 then
    raise exception 'not an email address' using errcode = 'invalid_parameter_value';
  end if;
  insert into public.suppressions (org_id, address_hash, reason, source)
  values (p_org, app.address_hash(p_org, p_address), p_reason, p_source)
  on conflict (org_id, address_hash) do nothing
  returning id into v_id;
  if v_id is null then
    select s.id into v_id from public.suppressions s
    where s.org_id = p_org and s.address_hash = app.address_hash(p_org, p_address);
  end if;
  return v_id;
end;
$$;

create or replace function app.is_suppressed(p_org uuid, p_address text) returns boolean
language plpgsql stable security definer
set search_path = ''
as $$
begin
  if coalesce(current_setting('role', true), '') <> 'service_role' and p_org not in (select app.org_ids()) then
    raise exception 'not a member of organisation %', p_org using errcode = 'insufficient_privilege';
  end if;
  return exists (
    select 1 from public.suppressions s where s.org_id = p_org and s.address_hash = app.address_hash(p_org, p_address)
  );
end;
$$;

-- Personal keys that erasure removes from audit before/after values of a contact.
create or replace function app.redact_contact_json(p jsonb) returns jsonb
language sql immutable
set search_path = ''
as $$
  select case when p is null then null
    else p - array['first_name', 'last_name', 'firstName', 'lastName', 'title', 'emails', 'phone_e164', 'phoneE164',
                   'time_zone', 'timeZone', 'country', 'lawful_basis_source', 'lawfulBasisSource']
         || jsonb_build_object('redacted', true)
  end
$$;

-- Erases a contact (privacy request). Worker only. Returns what it did, as counts and ids.
create or replace function app.erase_contact(p_org uuid, p_contact uuid, p_actor_type text, p_actor_id text, p_reason text)
returns jsonb
language plpgsql security definer
set search_path = ''
as $$
declare
  v_contact public.contacts;
  v_address text;
  v_suppression uuid;
  v_suppressions uuid[] := '{}';
  v_activities integer;
  v_tasks integer;
  v_signals integer;
  v_stakeholders integer;
  v_audit integer;
begin
  select * into v_contact from public.contacts c where c.org_id = p_org and c.id = p_contact for update;
  if not found then
    raise exception 'contact % not found in organisation %', p_contact, p_org using errcode = 'no_data_found';
  end if;
  if v_contact.erased_at is not null then
    return jsonb_build_object('contactId', p_contact, 'alreadyErased', true);
  end if;

  foreach v_address in array v_contact.emails loop
    v_suppression := app.suppress(p_org, v_address, 'erased', 'erasure');
    v_suppressions := v_suppressions || v_suppression;
  end loop;

  update public.activities a
  set subject = null,
      body = null,
      participants = coalesce((
        select jsonb_agg(p) from jsonb_array_elements(a.participants) p
        where coalesce(p ->> 'contactId', '') <> p_contact::text
          and not (lower(coalesce(p ->> 'email', '')) = any (v_contact.emails))
      ), '[]'::jsonb)
  where a.org_id = p_org
    and (a.contact_id = p_contact
      or exists (select 1 from jsonb_array_elements(a.participants) p
                 where p ->> 'contactId' = p_contact::text or lower(coalesce(p ->> 'email', '')) = any (v_contact.emails)));
  get diagnostics v_activities = row_count;

  update public.tasks t set title = '(erased contact)' where t.org_id = p_org and t.contact_id = p_contact;
  get diagnostics v_tasks = row_count;

  delete from public.signals s where s.org_id = p_org and s.contact_id = p_contact;
  get diagnostics v_signals = row_count;

  delete from public.stakeholders s where s.org_id = p_org and s.contact_id = p_contact;
  get diagnostics v_stakeholders = row_count;

  perform set_config('closeloop.redaction', 'on', true);
  update public.audit_log l
  set before = app.redact_contact_json(l.before), after = app.redact_contact_json(l.after)
  where l.org_id = p_org and l.subject_type = 'contact' and l.subject_id = p_contact::text;
  get diagnostics v_audit = row_count;
  perform set_config('closeloop.redaction', 'off', true);

  update public.contacts c
  set first_name = null, last_name = null, title = null, emails = '{}', phone_e164 = null, time_zone = null,
      country = null, lawful_basis_source = null, do_not_contact = true, erased_at = now()
  where c.org_id = p_org and c.id = p_contact;

  insert into public.audit_log (org_id, actor_type, actor_id, action, subject_type, subject_id, before, after, reason)
  values (p_org, p_actor_type, p_actor_id, 'contact.erase', 'contact', p_contact::text, null,
          jsonb_build_object('erased', true), p_reason);

  return jsonb_build_object(
    'contactId', p_contact,
    'alreadyErased', false,
    'suppressionIds', to_jsonb(v_suppressions),
    'activitiesRedacted', v_activities,
    'tasksRedacted', v_tasks,
    'signalsDeleted', v_signals,
    'stakeholdersDeleted', v_stakeholders,
    'auditEntriesRedacted', v_audit
  );
end;
$$;

revoke all on function app.suppress(uuid, text, text, text), app.is_suppressed(uuid, text),
  app.erase_contact(uuid, uuid, text, text, text), app.redact_contact_json(jsonb) from public;
grant execute on function app.suppress(uuid, text, text, text), app.is_suppressed(uuid, text) to authenticated, service_role;
grant execute on function app.erase_contact(uuid, uuid, text, text, text) to service_role;
