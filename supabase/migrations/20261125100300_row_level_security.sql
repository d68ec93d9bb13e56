-- Row-level security on every table, one policy per operation for `authenticated`, Supabase style.
-- API requests run as `authenticated` with claims set per transaction; the worker runs as `service_role`
-- (bypasses RLS; its repositories scope every query by organisation explicitly). Nothing runs as a superuser
-- or a table owner: the app's login role can only switch to these roles (see ADR-0006).
-- Generated from domain/permissions.ts (role_permissions rows below); a test checks they agree.


insert into public.role_permissions (role, resource, action) values
  ('admin', 'accounts', 'create'),
  ('admin', 'accounts', 'delete'),
  ('admin', 'accounts', 'read'),
  ('admin', 'accounts', 'update'),
  ('admin', 'activities', 'create'),
  ('admin', 'activities', 'delete'),
  ('admin', 'activities', 'read'),
  ('admin', 'activities', 'update'),
  ('admin', 'api_keys', 'create'),
  ('admin', 'api_keys', 'read'),
  ('admin', 'api_keys', 'update'),
  ('admin', 'audit_log', 'create'),
  ('admin', 'audit_log', 'read'),
  ('admin', 'contacts', 'create'),
  ('admin', 'contacts', 'delete'),
  ('admin', 'contacts', 'read'),
  ('admin', 'contacts', 'update'),
  ('admin', 'deals', 'create'),
  ('admin', 'deals', 'delete'),
  ('admin', 'deals', 'read'),
  ('admin', 'deals', 'update'),
  ('admin', 'documents', 'create'),
  ('admin', 'documents', 'delete'),
  ('admin', 'documents', 'read'),
  ('admin', 'documents', 'update'),
  ('admin', 'event_log', 'create'),
  ('admin', 'event_log', 'read'),
  ('admin', 'members', 'create'),
  ('admin', 'members', 'delete'),
  ('admin', 'members', 'read'),
  ('admin', 'members', 'update'),
  ('admin', 'organisations', 'read'),
  ('admin', 'organisations', 'update'),
  ('admin', 'process_runs', 'read'),
  ('admin', 'signals', 'create'),
  ('admin', 'signals', 'delete'),
  ('admin', 'signals', 'read'),
  ('admin', 'signals', 'update'),
  ('admin', 'stakeholders', 'create'),
  ('admin', 'stakeholders', 'delete'),
  ('admin', 'stakeholders', 'read'),
  ('admin', 'stakeholders', 'update'),
  ('admin', 'suppressions', 'create'),
  ('admin', 'suppressions', 'delete'),
  ('admin', 'suppressions', 'read'),
  ('admin', 'tasks', 'create'),
  ('admin', 'tasks', 'delete'),
  ('admin', 'tasks', 'read'),
  ('admin', 'tasks', 'update'),
  ('admin', 'webhook_inbox', 'read'),
  ('admin', 'webhook_inbox', 'update'),
  ('manager', 'accounts', 'create'),
  ('manager', 'accounts', 'delete'),
  ('manager', 'accounts', 'read'),
  ('manager', 'accounts', 'update'),
  ('manager', 'activities', 'create'),
  ('manager', 'activities', 'delete'),
  ('manager', 'activities', 'read'),
  ('manager', 'activities', 'update'),
  ('manager', 'audit_log', 'create'),
  ('manager', 'audit_log', 'read'),
  ('manager', 'contacts', 'create'),
  ('manager', 'contacts', 'delete'),
  ('manager', 'contacts', 'read'),
  ('manager', 'contacts', 'update'),
  ('manager', 'deals', 'create'),
  ('manager', 'deals', 'delete'),
  ('manager', 'deals', 'read'),
  ('manager', 'deals', 'update'),
  ('manager', 'documents', 'create'),
  ('manager', 'documents', 'delete'),
  ('manager', 'documents', 'read'),
  ('manager', 'documents', 'update'),
  ('manager', 'event_log', 'create'),
  ('manager', 'event_log', 'read'),
  ('manager', 'members', 'read'),
  ('manager', 'organisations', 'read'),
  ('manager', 'process_runs', 'read'),
  ('manager', 'signals', 'create'),
  ('manager', 'signals', 'delete'),
  ('manager', 'signals', 'read'),
  ('manager', 'signals', 'update'),
  ('manager', 'stakeholders', 'create'),
  ('manager', 'stakeholders', 'delete'),
  ('manager', 'stakeholders', 'read'),
  ('manager', 'stakeholders', 'update'),
  ('manager', 'suppressions', 'create'),
  ('manager', 'suppressions', 'read'),
  ('manager', 'tasks', 'create'),
  ('manager', 'tasks', 'delete'),
  ('manager', 'tasks', 'read'),
  ('manager', 'tasks', 'update'),
  ('rep', 'accounts', 'create'),
  ('rep', 'accounts', 'read'),
  ('rep', 'accounts', 'update'),
  ('rep', 'activities', 'create'),
  ('rep', 'activities', 'read'),
  ('rep', 'activities', 'update'),
  ('rep', 'audit_log', 'create'),
  ('rep', 'contacts', 'create'),
  ('rep', 'contacts', 'read'),
  ('rep', 'contacts', 'update'),
  ('rep', 'deals', 'create'),
  ('rep', 'deals', 'read'),
  ('rep', 'deals', 'update'),
  ('rep', 'documents', 'create'),
  ('rep', 'documents', 'read'),
  ('rep', 'documents', 'update'),
  ('rep', 'event_log', 'create'),
  ('rep', 'event_log', 'read'),
  ('rep', 'members', 'read'),
  ('rep', 'organisations', 'read'),
  ('rep', 'process_runs', 'read'),
  ('rep', 'signals', 'create'),
  ('rep', 'signals', 'read'),
  ('rep', 'signals', 'update'),
  ('rep', 'stakeholders', 'create'),
  ('rep', 'stakeholders', 'delete'),
  ('rep', 'stakeholders', 'read'),
  ('rep', 'stakeholders', 'update'),
  ('rep', 'suppressions', 'create'),
  ('rep', 'suppressions', 'read'),
  ('rep', 'tasks', 'create'),
  ('rep', 'tasks', 'read'),
  ('rep', 'tasks', 'update');


-- Start from nothing: Supabase grants new public tables to anon and authenticated by default.
revoke all on all tables in schema public from anon, authenticated, service_role;

alter table public.organisations enable row level security;
alter table public.members enable row level security;
alter table public.api_keys enable row level security;
alter table public.accounts enable row level security;
alter table public.contacts enable row level security;
alter table public.deals enable row level security;
alter table public.stakeholders enable row level security;
alter table public.activities enable row level security;
alter table public.tasks enable row level security;
alter table public.signals enable row level security;
alter table public.documents enable row level security;
alter table public.suppressions enable row level security;
alter table public.event_log enable row level security;
alter table public.audit_log enable row level security;
alter table public.process_runs enable row level security;
alter table public.webhook_inbox enable row level security;
alter table public.role_permissions enable row level security;

-- Reference data: readable by every signed-in caller.
grant select on public.role_permissions to authenticated, service_role;
create policy role_permissions_select on public.role_permissions for select to authenticated using (true);

-- organisations
create policy organisations_select on public.organisations for select to authenticated using (id in (select app.org_ids()));
grant select (id, name, time_zone, postal_address, default_approval_policy, daily_send_cap, per_minute_send_cap, pause_all_sending, created_at, updated_at) on public.organisations to authenticated;
create policy organisations_update on public.organisations for update to authenticated using (id in (select app.org_ids()) and app.can('organisations', 'update', id)) with check (id in (select app.org_ids()) and app.can('organisations', 'update', id));
grant update (name, time_zone, postal_address, default_approval_policy, daily_send_cap, per_minute_send_cap, pause_all_sending) on public.organisations to authenticated;
grant select, insert, update, delete on public.organisations to service_role;

-- members
create policy members_select on public.members for select to authenticated using (org_id in (select app.org_ids()));
grant select on public.members to authenticated;
create policy members_insert on public.members for insert to authenticated with check (org_id in (select app.org_ids()) and app.can('members', 'create', org_id));
grant insert on public.members to authenticated;
create policy members_update on public.members for update to authenticated using (org_id in (select app.org_ids()) and app.can('members', 'update', org_id)) with check (org_id in (select app.org_ids()) and app.can('members', 'update', org_id));
grant update on public.members to authenticated;
create policy members_delete on public.members for delete to authenticated using (org_id in (select app.org_ids()) and app.can('members', 'delete', org_id));
grant delete on public.members to authenticated;
grant select, insert, update, delete on public.members to service_role;

-- api_keys
create policy api_keys_select on public.api_keys for select to authenticated using (org_id in (select app.org_ids()) and app.can('api_keys', 'read', org_id));
grant select (id, org_id, name, role, prefix, created_by_member_id, created_at, last_used_at, revoked_at) on public.api_keys to authenticated;
create policy api_keys_insert on public.api_keys for insert to authenticated with check (org_id in (select app.org_ids()) and app.can('api_keys', 'create', org_id));
grant insert on public.api_keys to authenticated;
create policy api_keys_update on public.api_keys for update to authenticated using (org_id in (select app.org_ids()) and app.can('api_keys', 'update', org_id)) with check (org_id in (select app.org_ids()) and app.can('api_keys', 'update', org_id));
grant update (name, revoked_at) on public.api_keys to authenticated;
grant select, insert, update, delete on public.api_keys to service_role;

-- accounts
create policy accounts_select on public.accounts for select to authenticated using (org_id in (select app.org_ids()));
grant select on public.accounts to authenticated;
create policy accounts_insert on public.accounts for insert to authenticated with check (org_id in (select app.org_ids()) and app.can('accounts', 'create', org_id));
grant insert on public.accounts to authenticated;
create policy accounts_update on public.accounts for update to authenticated using (org_id in (select app.org_ids()) and app.can('accounts', 'update', org_id)) with check (org_id in (select app.org_ids()) and app.can('accounts', 'update', org_id));
grant update on public.accounts to authenticated;
create policy accounts_delete on public.accounts for delete to authenticated using (org_id in (select app.org_ids()) and app.can('accounts', 'delete', org_id));
grant delete on public.accounts to authenticated;
grant select, insert, update, delete on public.accounts to service_role;

-- contacts
create policy contacts_select on public.contacts for select to authenticated using (org_id in (select app.org_ids()));
grant select on public.contacts to authenticated;
create policy contacts_insert on public.contacts for insert to authenticated with check (org_id in (select app.org_ids()) and app.can('contacts', 'create', org_id));
grant insert on public.contacts to authenticated;
create policy contacts_update on public.contacts for update to authenticated using (org_id in (select app.org_ids()) and app.can('contacts', 'update', org_id)) with check (org_id in (select app.org_ids()) and app.can('contacts', 'update', org_id));
grant update on public.contacts to authenticated;
create policy contacts_delete on public.contacts for delete to authenticated using (org_id in (select app.org_ids()) and app.can('contacts', 'delete', org_id));
grant delete on public.contacts to authenticated;
grant select, insert, update, delete on public.contacts to service_role;

-- deals
create policy deals_select on public.deals for select to authenticated using (org_id in (select app.org_ids()));
grant select on public.deals to authenticated;
create policy deals_insert on public.deals for insert to authenticated with check (org_id in (select app.org_ids()) and app.can('deals', 'create', org_id));
grant insert on public.deals to authenticated;
create policy deals_update on public.deals for update to authenticated using (org_id in (select app.org_ids()) and app.can('deals', 'update', org_id)) with check (org_id in (select app.org_ids()) and app.can('deals', 'update', org_id));
grant update on public.deals to authenticated;
create policy deals_delete on public.deals for delete to authenticated using (org_id in (select app.org_ids()) and app.can('deals', 'delete', org_id));
grant delete on public.deals to authenticated;
grant select, insert, update, delete on public.deals to service_role;

-- stakeholders
create policy stakeholders_select on public.stakeholders for select to authenticated using (org_id in (select app.org_ids()));
grant select on public.stakeholders to authenticated;
create policy stakeholders_insert on public.stakeholders for insert to authenticated with check (org_id in (select app.org_ids()) and app.can('stakeholders', 'create', org_id));
grant insert on public.stakeholders to authenticated;
create policy stakeholders_update on public.stakeholders for update to authenticated using (org_id in (select app.org_ids()) and app.can('stakeholders', 'update', org_id)) with check (org_id in (select app.org_ids()) and app.can('stakeholders', 'update', org_id));
grant update on public.stakeholders to authenticated;
create policy stakeholders_delete on public.stakeholders for delete to authenticated using (org_id in (select app.org_ids()) and app.can('stakeholders', 'delete', org_id));
grant delete on public.stakeholders to authenticated;
grant select, insert, update, delete on public.stakeholders to service_role;

-- activities
create policy activities_select on public.activities for select to authenticated using (org_id in (select app.org_ids()));
grant select on public.activities to authenticated;
create policy activities_insert on public.activities for insert to authenticated with check (org_id in (select app.org_ids()) and app.can('activities', 'create', org_id));
grant insert on public.activities to authenticated;
create policy activities_update on public.activities for update to authenticated using (org_id in (select app.org_ids()) and app.can('activities', 'update', org_id)) with check (org_id in (select app.org_ids()) and app.can('activities', 'update', org_id));
grant update on public.activities to authenticated;
create policy activities_delete on public.activities for delete to authenticated using (org_id in (select app.org_ids()) and app.can('activities', 'delete', org_id));
grant delete on public.activities to authenticated;
grant select, insert, update, delete on public.activities to service_role;

-- tasks
create policy tasks_select on public.tasks for select to authenticated using (org_id in (select app.org_ids()));
grant select on public.tasks to authenticated;
create policy tasks_insert on public.tasks for insert to authenticated with check (org_id in (select app.org_ids()) and app.can('tasks', 'create', org_id));
grant insert on public.tasks to authenticated;
create policy tasks_update on public.tasks for update to authenticated using (org_id in (select app.org_ids()) and app.can('tasks', 'update', org_id)) with check (org_id in (select app.org_ids()) and app.can('tasks', 'update', org_id));
grant update on public.tasks to authenticated;
create policy tasks_delete on public.tasks for delete to authenticated using (org_id in (select app.org_ids()) and app.can('tasks', 'delete', org_id));
grant delete on public.tasks to authenticated;
grant select, insert, update, delete on public.tasks to service_role;

-- signals
create policy signals_select on public.signals for select to authenticated using (org_id in (select app.org_ids()));
grant select on public.signals to authenticated;
create policy signals_insert on public.signals for insert to authenticated with check (org_id in (select app.org_ids()) and app.can('signals', 'create', org_id));
grant insert on public.signals to authenticated;
create policy signals_update on public.signals for update to authenticated using (org_id in (select app.org_ids()) and app.can('signals', 'update', org_id)) with check (org_id in (select app.org_ids()) and app.can('signals', 'update', org_id));
grant update on public.signals to authenticated;
create policy signals_delete on public.signals for delete to authenticated using (org_id in (select app.org_ids()) and app.can('signals', 'delete', org_id));
grant delete on public.signals to authenticated;
grant select, insert, update, delete on public.signals to service_role;

-- documents
create policy documents_select on public.documents for select to authenticated using (org_id in (select app.org_ids()));
grant select on public.documents to authenticated;
create policy documents_insert on public.documents for insert to authenticated with check (org_id in (select app.org_ids()) and app.can('documents', 'create', org_id));
grant insert on public.documents to authenticated;
create policy documents_update on public.documents for update to authenticated using (org_id in (select app.org_ids()) and app.can('documents', 'update', org_id)) with check (org_id in (select app.org_ids()) and app.can('documents', 'update', org_id));
grant update on public.documents to authenticated;
create policy documents_delete on public.documents for delete to authenticated using (org_id in (select app.org_ids()) and app.can('documents', 'delete', org_id));
grant delete on public.documents to authenticated;
grant select, insert, update, delete on public.documents to service_role;

-- suppressions
create policy suppressions_select on public.suppressions for select to authenticated using (org_id in (select app.org_ids()));
grant select on public.suppressions to authenticated;
create policy suppressions_insert on public.suppressions for insert to authenticated with check (org_id in (select app.org_ids()) and app.can('suppressions', 'create', org_id));
grant insert on public.suppressions to authenticated;
create policy suppressions_delete on public.suppressions for delete to authenticated using (org_id in (select app.org_ids()) and app.can('suppressions', 'delete', org_id));
grant delete on public.suppressions to authenticated;
grant select, insert, update, delete on public.suppressions to service_role;

-- event_log
create policy event_log_select on public.event_log for select to authenticated using (org_id in (select app.org_ids()));
grant select on public.event_log to authenticated;
create policy event_log_insert on public.event_log for insert to authenticated with check (org_id in (select app.org_ids()) and app.can('event_log', 'create', org_id) and actor_type in ('member', 'api_key') and actor_id in (select app.actor_ids(org_id)));
grant insert on public.event_log to authenticated;
grant select, insert on public.event_log to service_role;

-- audit_log
create policy audit_log_select on public.audit_log for select to authenticated using (org_id in (select app.org_ids()) and app.can('audit_log', 'read', org_id));
grant select on public.audit_log to authenticated;
create policy audit_log_insert on public.audit_log for insert to authenticated with check (org_id in (select app.org_ids()) and app.can('audit_log', 'create', org_id) and actor_type in ('member', 'api_key') and actor_id in (select app.actor_ids(org_id)));
grant insert on public.audit_log to authenticated;
grant select, insert on public.audit_log to service_role;

-- process_runs
create policy process_runs_select on public.process_runs for select to authenticated using (org_id in (select app.org_ids()));
grant select on public.process_runs to authenticated;
grant select, insert, update, delete on public.process_runs to service_role;

-- webhook_inbox
create policy webhook_inbox_select on public.webhook_inbox for select to authenticated using (org_id in (select app.org_ids()) and app.can('webhook_inbox', 'read', org_id));
grant select on public.webhook_inbox to authenticated;
create policy webhook_inbox_update on public.webhook_inbox for update to authenticated using (org_id in (select app.org_ids()) and app.can('webhook_inbox', 'update', org_id)) with check (org_id in (select app.org_ids()) and app.can('webhook_inbox', 'update', org_id));
grant update (status, status_reason) on public.webhook_inbox to authenticated;
grant select, insert, update, delete on public.webhook_inbox to service_role;

