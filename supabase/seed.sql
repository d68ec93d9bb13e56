-- Demo data for the embedded default only: `npm run dev` pushes it once (the Supabase CLI records it), never to a
-- hosted project. Fixed ids so docs and the dev login can refer to them.
insert into public.organisations (id, name, time_zone, postal_address, default_approval_policy)
values ('00000000-0000-4000-8000-000000000001', 'Northwind Demo', 'Europe/London', 'Northwind Demo Ltd, 1 Example Street, London EC1A 1AA, United Kingdom', 'require_approval')
on conflict (id) do nothing;

insert into public.members (id, org_id, user_id, display_name, email, role, time_zone, working_hours, from_name, from_address, reply_to)
values
  ('00000000-0000-4000-8000-000000000101', '00000000-0000-4000-8000-000000000001', '00000000-0000-4000-9000-000000000101',
   'Ada Admin', 'ada@northwind.example', 'admin', 'Europe/London', '{"mon":[{"start":"09:00","end":"17:00"}],"tue":[{"start":"09:00","end":"17:00"}],"wed":[{"start":"09:00","end":"17:00"}],"thu":[{"start":"09:00","end":"17:00"}],"fri":[{"start":"09:00","end":"16:00"}]}',
   'Ada from Northwind', 'ada@northwind.example', 'ada@northwind.example'),
  ('00000000-0000-4000-8000-000000000102', '00000000-0000-4000-8000-000000000001', '00000000-0000-4000-9000-000000000102',
   'Max Manager', 'max@northwind.example', 'manager', 'Europe/Berlin', '{"mon":[{"start":"08:30","end":"17:30"}],"tue":[{"start":"08:30","end":"17:30"}],"wed":[{"start":"08:30","end":"17:30"}],"thu":[{"start":"08:30","end":"17:30"}],"fri":[{"start":"08:30","end":"15:00"}]}',
   'Max Manager', 'max@northwind.example', 'max@northwind.example'),
  ('00000000-0000-4000-8000-000000000103', '00000000-0000-4000-8000-000000000001', '00000000-0000-4000-9000-000000000103',
   'Riya Rep', 'riya@northwind.example', 'rep', 'America/New_York', '{"mon":[{"start":"09:00","end":"17:00"}],"tue":[{"start":"09:00","end":"17:00"}],"wed":[{"start":"09:00","end":"17:00"}],"thu":[{"start":"09:00","end":"17:00"}],"fri":[{"start":"09:00","end":"17:00"}]}',
   'Riya at Northwind', 'riya@northwind.example', 'riya@northwind.example')
on conflict (id) do nothing;

insert into public.accounts (id, org_id, name, domain, industry, size_band, owner_member_id)
values
  ('00000000-0000-4000-8000-000000000201', '00000000-0000-4000-8000-000000000001', 'Contoso Logistics', 'contoso.example', 'Logistics', '201-1000', '00000000-0000-4000-8000-000000000103'),
  ('00000000-0000-4000-8000-000000000202', '00000000-0000-4000-8000-000000000001', 'Fabrikam Health', 'fabrikam.example', 'Healthcare', '51-200', '00000000-0000-4000-8000-000000000103'),
  ('00000000-0000-4000-8000-000000000203', '00000000-0000-4000-8000-000000000001', 'Tailspin Software', 'tailspin.example', 'Software', '11-50', '00000000-0000-4000-8000-000000000102')
on conflict (id) do nothing;

insert into public.contacts (id, org_id, account_id, first_name, last_name, title, emails, phone_e164, time_zone, country, lawful_basis, lawful_basis_source)
values
  ('00000000-0000-4000-8000-000000000301', '00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000201', 'Jordan', 'Lee', 'VP Operations', '{jordan.lee@contoso.example}', '+14155550101', 'America/Los_Angeles', 'US', 'legitimate_interest', 'demo data'),
  ('00000000-0000-4000-8000-000000000302', '00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000201', 'Sam', 'Patel', 'Procurement Lead', '{sam.patel@contoso.example}', null, 'America/Chicago', 'US', 'legitimate_interest', 'demo data'),
  ('00000000-0000-4000-8000-000000000303', '00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000202', 'Lena', 'Fischer', 'Head of Talent', '{lena.fischer@fabrikam.example}', '+4930123456', 'Europe/Berlin', 'DE', 'consent', 'demo data'),
  ('00000000-0000-4000-8000-000000000304', '00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000202', 'Tom', 'Okafor', 'CFO', '{tom.okafor@fabrikam.example}', null, 'Europe/London', 'GB', 'legitimate_interest', 'demo data'),
  ('00000000-0000-4000-8000-000000000305', '00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000203', 'Mia', 'Chen', 'Founder & CEO', '{mia@tailspin.example}', null, 'Asia/Singapore', 'SG', 'legitimate_interest', 'demo data')
on conflict (id) do nothing;

insert into public.deals (id, org_id, account_id, name, stage, amount_minor, currency, close_date, owner_member_id, next_step, next_step_due_at)
values
  ('00000000-0000-4000-8000-000000000401', '00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000201', 'Contoso — interview platform pilot', 'demo', 2400000, 'USD', current_date + 45, '00000000-0000-4000-8000-000000000103', 'Send security questionnaire answers', now() + interval '3 days'),
  ('00000000-0000-4000-8000-000000000402', '00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000202', 'Fabrikam — annual plan', 'proposal', 4800000, 'EUR', current_date + 30, '00000000-0000-4000-8000-000000000103', 'Review proposal with CFO', now() + interval '5 days')
on conflict (id) do nothing;

insert into public.stakeholders (id, org_id, deal_id, contact_id, role, influence, sentiment)
values
  ('00000000-0000-4000-8000-000000000501', '00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000401', '00000000-0000-4000-8000-000000000301', 'champion', 'high', 'positive'),
  ('00000000-0000-4000-8000-000000000502', '00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000401', '00000000-0000-4000-8000-000000000302', 'approver', 'medium', 'neutral'),
  ('00000000-0000-4000-8000-000000000503', '00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000402', '00000000-0000-4000-8000-000000000304', 'economic_buyer', 'high', 'unknown')
on conflict (id) do nothing;

insert into public.tasks (id, org_id, kind, title, due_at, owner_member_id, source, contact_id, deal_id)
values
  ('00000000-0000-4000-8000-000000000601', '00000000-0000-4000-8000-000000000001', 'call', 'Call Jordan about the pilot scope', now() + interval '1 day', '00000000-0000-4000-8000-000000000103', 'manual', '00000000-0000-4000-8000-000000000301', '00000000-0000-4000-8000-000000000401')
on conflict (id) do nothing;

-- Riya's mailbox (the offline outbox of the embedded default stores what it "sends").
insert into public.mailboxes (id, org_id, member_id, from_address, from_name, reply_to, daily_cap, per_minute_cap)
values ('00000000-0000-4000-8000-000000000701', '00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000103',
        'riya@northwind.example', 'Riya at Northwind', 'riya@northwind.example', 100, 5)
on conflict (id) do nothing;
