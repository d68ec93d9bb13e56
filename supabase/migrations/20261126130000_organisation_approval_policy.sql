-- Each organisation sets its approval deadlines: SLA, reminder, and what happens when nobody decides
-- (escalate to managers, skip the email, or let it expire). Validated by domain/approval.ts (approvalPolicySchema).
alter table public.organisations
  add column approval_sla jsonb not null
  default '{"slaMinutes": 1440, "reminderBeforeMinutes": 240, "onExpiry": "escalate", "escalationSlaMinutes": 1440}'::jsonb;
comment on column public.organisations.approval_sla is 'Approval deadlines: slaMinutes, reminderBeforeMinutes, onExpiry (escalate|skip|expire), escalationSlaMinutes.';
grant select (approval_sla) on public.organisations to authenticated;
grant update (approval_sla) on public.organisations to authenticated;
