-- Four things that must not be confused (docs/01-architecture/data-model.md):
--   webhook_inbox: raw deliveries, verbatim, deduped by the provider's event id;
--   event_log:     typed, validated domain events (domain/events.ts), append-only, ids and small facts only;
--   the workflow:  the source of truth of a running process (in Temporal, not here);
--   process_runs:  a projection of each process, written with (run_seq, step_seq) so a stale write is ignored.
-- Plus audit_log: who (human or AI) changed what, with before and after.

create table public.webhook_inbox (
  id uuid primary key default gen_random_uuid(),
  org_id uuid references public.organisations (id) on delete cascade,
  provider text not null check (char_length(provider) between 1 and 50),
  event_id text not null check (char_length(event_id) between 1 and 200),
  received_at timestamptz not null default now(),
  headers jsonb not null default '{}'::jsonb,
  body text not null,
  status text not null default 'received' check (status in ('received', 'processed', 'parked')),
  status_reason text,
  processed_at timestamptz,
  unique (provider, event_id)
);
comment on table public.webhook_inbox is 'Raw webhook deliveries, verbatim, one row per provider event id.';
create index webhook_inbox_org_status_idx on public.webhook_inbox (org_id, status, received_at);

create table public.event_log (
  id uuid primary key,
  org_id uuid not null references public.organisations (id) on delete cascade,
  kind text not null,
  version integer not null check (version >= 1),
  occurred_at timestamptz not null,
  recorded_at timestamptz not null default now(),
  source text not null check (source in ('api', 'worker', 'webhook', 'system')),
  actor_type text not null check (actor_type in ('member', 'api_key', 'system', 'ai')),
  actor_id text,
  subject_type text not null,
  subject_id text not null,
  correlation_id text,
  causation_id uuid,
  data jsonb not null default '{}'::jsonb
);
comment on table public.event_log is 'Typed domain events (see domain/events.ts). Append-only; no personal data.';
create index event_log_org_subject_idx on public.event_log (org_id, subject_type, subject_id, occurred_at);
create index event_log_org_recorded_idx on public.event_log (org_id, recorded_at);

create table public.audit_log (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.organisations (id) on delete cascade,
  at timestamptz not null default now(),
  actor_type text not null check (actor_type in ('member', 'api_key', 'system', 'ai')),
  actor_id text,
  action text not null,
  subject_type text not null,
  subject_id text not null,
  before jsonb,
  after jsonb,
  reason text
);
comment on table public.audit_log is 'Every human or AI change: actor, action, subject, before, after, reason. Append-only but for erasure redaction.';
create index audit_log_org_subject_idx on public.audit_log (org_id, subject_type, subject_id, at);

create table public.process_runs (
  org_id uuid not null references public.organisations (id) on delete cascade,
  workflow_id text not null,
  run_id text not null,
  kind text not null,
  subject_type text not null,
  subject_id text not null,
  status text not null,
  step text not null,
  waiting_on text,
  next_action_at timestamptz,
  -- Order of writes: a new run (re-enrolment, continue-as-new) increments run_seq; each step increments step_seq.
  run_seq integer not null check (run_seq >= 1),
  step_seq integer not null check (step_seq >= 0),
  updated_at timestamptz not null default now(),
  primary key (org_id, workflow_id)
);
comment on table public.process_runs is 'Read model of each process, ordered by (run_seq, step_seq); older writes are ignored.';
create index process_runs_org_subject_idx on public.process_runs (org_id, subject_type, subject_id);
create index process_runs_org_status_idx on public.process_runs (org_id, kind, status, next_action_at);

-- Append-only: no update or delete, whoever asks. The exceptions: erasure's redaction of audit values (inside
-- app.erase_contact, with closeloop.redaction on for its transaction only), and deleting a whole organisation.
create or replace function app.refuse_change() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if tg_table_name = 'audit_log' and tg_op = 'UPDATE' and current_setting('closeloop.redaction', true) = 'on' then
    return new;
  end if;
  -- Deleting a whole organisation cascades here (trigger depth > 1): allowed.
  if tg_op = 'DELETE' and pg_trigger_depth() > 1 then
    return old;
  end if;
  raise exception '% is append-only: % refused', tg_table_name, tg_op using errcode = 'insufficient_privilege';
end;
$$;
create trigger event_log_append_only before update or delete on public.event_log for each row execute function app.refuse_change();
create trigger audit_log_append_only before update or delete on public.audit_log for each row execute function app.refuse_change();
