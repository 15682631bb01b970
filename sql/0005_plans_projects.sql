-- 0005_plans_projects.sql — yearly khuyến công plans (kế hoạch) and their
-- projects (đề án): the TT 36/2013 Art. 5 dossier as structured fields,
-- budget lines by funding source, indicators, categories, beneficiaries, and
-- the lifecycle of both, enforced here (triggers), not only in the server.
--
-- Plan statuses (docs/domain.md "Plans and projects" has the diagram):
--   draft      the province prepares it (officer or leader)
--   submitted  sent for the province's base appraisal (thẩm định cấp cơ sở,
--              TT 36 Art. 8.1.a); may be withdrawn while nobody has appraised it
--   forwarded  national plan: base appraisal passed, sent on to the Ministry
--              (registration report, TT 17/2018 k9: before 20/6 of N-1; later
--              than the calendar rule = accepted but marked late)
--   approved   local plan: approved at the province (NĐ 45 Art. 16; TT 46
--              Art. 8.2.b/8.3.b) with the decision's number, date, issuer;
--              national plan: approved by the Minister (later issue)
-- A plan returned by the base appraisal goes back to draft with the comment.
--
-- Project statuses are the nine of PROTOCOL.md; the legal steps of
-- DOMAIN.md §2.11 are stages inside them (project_stages). Every change of
-- status or stage must be a row of project_transitions for the acting role,
-- which the server names in the transaction-local setting kc.actor_role
-- (kc_actor_set). Without it, or for a role the table does not list, the
-- change is refused with SQLSTATE KC010. Every change is kept in
-- project_history (plan_history for plans) by trigger, with the actor
-- (kc.actor_id), the comment (kc.comment) and the document (kc.document_no).

create extension if not exists pg_trgm;

-- Vietnamese text folded for search: NFC, tone marks and vowel marks
-- removed, đ/Đ → d, lower case ("Làng Nghề" → "lang nghe"). translate()
-- with an explicit map rather than unaccent(): immutable by construction
-- (it can back an index), independent of the search_path and of the
-- database's ctype (lower() in a C-locale database lowers ASCII only, so
-- the map carries both cases).
create function kc_fold(p text) returns text
language sql immutable strict parallel safe as $$
  select lower(translate(normalize(p, NFC),
    'àÀáÁảẢãÃạẠăĂằẰắẮẳẲẵẴặẶâÂầẦấẤẩẨẫẪậẬèÈéÉẻẺẽẼẹẸêÊềỀếẾểỂễỄệỆìÌíÍỉỈĩĨịỊòÒóÓỏỎõÕọỌôÔồỒốỐổỔỗỖộỘơƠờỜớỚởỞỡỠợỢùÙúÚủỦũŨụỤưƯừỪứỨửỬữỮựỰỳỲýÝỷỶỹỸỵỴđĐ',
    'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaeeeeeeeeeeeeeeeeeeeeeeiiiiiiiiiioooooooooooooooooooooooooooooooooouuuuuuuuuuuuuuuuuuuuuuyyyyyyyyyydd'))
$$;

-- Who is acting, for the triggers of this file: role, user id, and the
-- comment and document number a status change records. Transaction-local.
create function kc_actor_set(p_user_id bigint, p_role text, p_comment text default null,
                             p_document_no text default null) returns void
language sql as $$
  select set_config('kc.actor_role', coalesce(p_role, ''), true),
         set_config('kc.actor_id', coalesce(p_user_id::text, ''), true),
         set_config('kc.comment', coalesce(p_comment, ''), true),
         set_config('kc.document_no', coalesce(p_document_no, ''), true)
$$;

create function kc_actor_role() returns text
language sql stable as $$ select nullif(current_setting('kc.actor_role', true), '') $$;
create function kc_actor_id() returns bigint
language sql stable as $$ select nullif(current_setting('kc.actor_id', true), '')::bigint $$;

-- ---------------------------------------------------------------------------
-- Plans
-- ---------------------------------------------------------------------------

create table plans (
  id bigint generated always as identity primary key,
  org_id bigint not null references orgs (id),
  year integer not null check (year between 2014 and 2100),
  scope text not null check (scope in ('national', 'local')),
  status text not null default 'draft'
    check (status in ('draft', 'submitted', 'forwarded', 'approved')),
  title text check (length(title) <= 500),
  note text,
  submitted_by bigint references users (id),
  submitted_at timestamptz,
  -- base appraisal (TT 36 Art. 8.1.a, criteria Art. 9; Phiếu thẩm định Mẫu 4a/4b)
  appraised_by bigint references users (id),
  appraised_at timestamptz,
  appraisal_decision text check (appraisal_decision in ('forward', 'return')),
  appraisal_comment text,
  -- the sheet's fields: {policy_fit, objectives_effective, capacity, combinable,
  -- dossier_complete: booleans (Art. 9.1–9.5), council: appraised by a Hội đồng,
  -- conclusion, notes: text}
  appraisal_sheet jsonb check (appraisal_sheet is null or jsonb_typeof(appraisal_sheet) = 'object'),
  forwarded_at timestamptz,
  -- forwarded after the year's registration deadline (calendar_rules
  -- 'registration_deadline'; 20/6 of the year before when no rule is set)
  late boolean not null default false,
  deadline date,
  -- local plan: the approving decision (UBND tỉnh or the body the province's rules name)
  decision_no text check (length(decision_no) <= 100),
  decision_date date,
  decision_issuer text check (length(decision_issuer) <= 300),
  approved_by bigint references users (id),
  approved_at timestamptz,
  version integer not null default 1,
  created_by bigint not null references users (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (org_id, year, scope),
  check (status <> 'approved' or scope = 'national' or decision_no is not null)
);
create index plans_year_idx on plans (year, scope, status);
create index plans_status_idx on plans (status, id);

-- Which role may move a plan from one status to another, by scope
-- ('any', 'national', 'local').
create table plan_transitions (
  from_status text not null,
  to_status text not null,
  role text not null,
  scope text not null default 'any' check (scope in ('any', 'national', 'local')),
  action text not null,
  legal_basis text,
  primary key (from_status, to_status, role, scope)
);
insert into plan_transitions (from_status, to_status, role, scope, action, legal_basis) values
  ('draft', 'submitted', 'province_officer', 'any', 'plan.submit', 'TT 36/2013 Art. 8.1; TT 17/2018 k9'),
  ('draft', 'submitted', 'province_leader', 'any', 'plan.submit', 'TT 36/2013 Art. 8.1; TT 17/2018 k9'),
  ('submitted', 'draft', 'province_officer', 'any', 'plan.withdraw', 'withdrawal before appraisal (practice)'),
  ('submitted', 'draft', 'province_leader', 'any', 'plan.withdraw / plan.appraise return', 'TT 36/2013 Art. 8.1.a'),
  ('submitted', 'forwarded', 'province_leader', 'national', 'plan.appraise forward', 'TT 36/2013 Art. 8.1.a, Art. 10.2; TT 17/2018 k9 (before 20/6)'),
  ('submitted', 'approved', 'province_leader', 'local', 'plan.approve_local', 'NĐ 45/2012 Art. 16; TT 46/2012 Art. 8.2.b, 8.3.b'),
  ('forwarded', 'approved', 'ministry_approver', 'national', 'ministry approval (later issue)', 'TT 36/2013 Art. 8.3; NĐ 45/2012 Art. 2.2');

create table plan_history (
  id bigint generated always as identity primary key,
  plan_id bigint not null references plans (id) on delete cascade,
  from_status text,
  to_status text not null,
  actor_id bigint,
  actor_role text,
  at timestamptz not null default now(),
  comment text,
  document_no text
);
create index plan_history_plan_idx on plan_history (plan_id, id);

create function plans_guard() returns trigger
language plpgsql as $$
declare
  v_role text := kc_actor_role();
begin
  if tg_op = 'INSERT' then
    if new.status <> 'draft' then
      raise exception 'a plan is created as a draft, not %', new.status using errcode = 'KC010';
    end if;
    return new;
  end if;
  if new.status is distinct from old.status then
    if v_role is null then
      raise exception 'plan %: status % -> % without kc.actor_role', old.id, old.status, new.status
        using errcode = 'KC010';
    end if;
    if not exists (select 1 from plan_transitions t
                    where t.from_status = old.status and t.to_status = new.status
                      and t.role = v_role and t.scope in ('any', new.scope)) then
      raise exception 'plan %: % may not change status % -> %', old.id, v_role, old.status, new.status
        using errcode = 'KC010';
    end if;
  end if;
  if new.org_id <> old.org_id or new.year <> old.year or new.scope <> old.scope then
    raise exception 'plan %: organisation, year and scope are fixed', old.id using errcode = 'KC011';
  end if;
  new.updated_at := now();
  return new;
end $$;

create trigger plans_guard before insert or update on plans
  for each row execute function plans_guard();

create function plans_history() returns trigger
language plpgsql as $$
begin
  if tg_op = 'INSERT' or new.status is distinct from old.status then
    insert into plan_history (plan_id, from_status, to_status, actor_id, actor_role, comment, document_no)
    values (new.id, case when tg_op = 'UPDATE' then old.status end, new.status, kc_actor_id(),
            kc_actor_role(), nullif(current_setting('kc.comment', true), ''),
            nullif(current_setting('kc.document_no', true), ''));
  end if;
  return null;
end $$;

create trigger plans_history after insert or update on plans
  for each row execute function plans_history();

-- ---------------------------------------------------------------------------
-- Projects
-- ---------------------------------------------------------------------------

-- The legal steps (DOMAIN.md §2.11, numbers in brackets) inside each status.
create table project_stages (
  status text not null check (status in ('draft', 'submitted', 'revision_requested', 'approved',
                                         'rejected', 'in_progress', 'completed', 'settled',
                                         'cancelled')),
  stage text not null,
  step text,
  legal_basis text,
  primary key (status, stage)
);
insert into project_stages (status, stage, step, legal_basis) values
  ('draft', 'drafting', '1', 'TT 36/2013 Art. 5'),
  ('draft', 'returned', '5 (returned)', 'TT 36/2013 Art. 8.1.a'),
  ('submitted', 'registered', '2–4', 'TT 17/2018 k9; TT 36/2013 Art. 8.1'),
  ('submitted', 'base_appraised', '5', 'TT 36/2013 Art. 8.1.a, Mẫu 4a/4b'),
  ('submitted', 'resubmitted', '7', 'practice (DOMAIN §2.11 [U])'),
  ('revision_requested', 'revision_requested', '7', 'practice (DOMAIN §2.11 [U])'),
  ('approved', 'plan_approved', '10', 'TT 36/2013 Art. 8.3; NĐ 45/2012 Art. 2.2 (local: NĐ 45 Art. 16)'),
  ('approved', 'plan_assigned', '11', 'TT 36/2013 Art. 6.4'),
  ('approved', 'implementation_plan_approved', '12', 'TT 36/2013 Art. 21.2.a, 23.3'),
  ('approved', 'contracted', '13', 'TT 36/2013 Art. 12'),
  ('in_progress', 'advanced', '14', 'TT 36/2013 Art. 13'),
  ('in_progress', 'adjusting', '16–17', 'TT 36/2013 Art. 11'),
  ('completed', 'accepted', '20', 'TT 36/2013 Art. 14, 21, 23.5'),
  ('completed', 'fully_advanced', '21', 'TT 36/2013 Art. 14'),
  ('completed', 'settlement_submitted', '22', 'TT 36/2013 Art. 18.1, 19'),
  ('settled', 'settled', '23', 'TT 36/2013 Art. 18.2, 19.3'),
  ('settled', 'partially_settled', '24', 'TT 36/2013 Art. 18.4'),
  ('rejected', 'base_appraisal_failed', '6', 'DOMAIN §2.11 [U]'),
  ('rejected', 'not_selected', '9', 'TT 36/2013 Art. 7'),
  ('cancelled', 'cancelled', '18', 'TT 36/2013 Art. 11.2.a, 11.3, 12.6');

-- Who may move a project from (status) to (status, stage), by plan scope.
-- A change of stage inside one status needs its row too. The rows up to the
-- province's appraisal and the local approval are used by plan.* now; the
-- rest are the Ministry's and the implementation's steps, seeded here so
-- the machine is complete, and refined by the issues that implement them.
create table project_transitions (
  from_status text not null,
  to_status text not null,
  to_stage text not null,
  role text not null check (role in ('province_officer', 'province_leader', 'ministry_reviewer',
                                     'ministry_approver', 'admin', 'viewer')),
  scope text not null default 'any' check (scope in ('any', 'national', 'local')),
  action text not null,
  legal_basis text,
  primary key (from_status, to_status, to_stage, role, scope),
  foreign key (to_status, to_stage) references project_stages (status, stage)
);
insert into project_transitions (from_status, to_status, to_stage, role, scope, action, legal_basis)
select v.from_status, v.to_status, v.to_stage, r.role, v.scope, v.action, v.legal_basis
  from (values
    -- the province (this issue)
    ('draft', 'submitted', 'registered', 'province', 'any', 'plan.submit', 'TT 17/2018 k9; TT 36/2013 Art. 8.1'),
    ('submitted', 'draft', 'drafting', 'province', 'any', 'plan.withdraw', 'withdrawal before appraisal'),
    ('submitted', 'draft', 'returned', 'leader', 'any', 'plan.appraise return', 'TT 36/2013 Art. 8.1.a'),
    ('submitted', 'submitted', 'base_appraised', 'leader', 'national', 'plan.appraise forward', 'TT 36/2013 Art. 8.1.a'),
    ('submitted', 'approved', 'plan_approved', 'leader', 'local', 'plan.approve_local', 'NĐ 45/2012 Art. 16; TT 46/2012 Art. 8.2.b, 8.3.b'),
    ('submitted', 'rejected', 'base_appraisal_failed', 'leader', 'any', 'base appraisal failed', 'DOMAIN §2.11 step 6 [U]'),
    -- the Ministry (later issues)
    ('submitted', 'revision_requested', 'revision_requested', 'ministry', 'national', 'review.decide request_revision', 'DOMAIN §2.11 step 7 [U]'),
    ('revision_requested', 'submitted', 'resubmitted', 'province', 'national', 'resubmission', 'DOMAIN §2.11 step 7 [U]'),
    ('submitted', 'approved', 'plan_approved', 'approver', 'national', 'review.decide approve', 'TT 36/2013 Art. 8.2–8.3'),
    ('submitted', 'rejected', 'not_selected', 'approver', 'national', 'review.decide reject', 'TT 36/2013 Art. 7'),
    ('approved', 'approved', 'plan_assigned', 'approver', 'national', 'plan assigned', 'TT 36/2013 Art. 6.4'),
    ('approved', 'approved', 'implementation_plan_approved', 'leader', 'any', 'implementation plan (Mẫu 11)', 'TT 36/2013 Art. 21.2.a, 23.3'),
    ('approved', 'approved', 'contracted', 'approver', 'national', 'contract signed', 'TT 36/2013 Art. 12'),
    ('approved', 'in_progress', 'advanced', 'approver', 'national', 'first advance', 'TT 36/2013 Art. 13'),
    ('approved', 'in_progress', 'advanced', 'leader', 'local', 'implementation starts', 'NĐ 45/2012 Art. 16'),
    ('in_progress', 'in_progress', 'adjusting', 'province', 'any', 'adjustment requested', 'TT 36/2013 Art. 11'),
    ('in_progress', 'in_progress', 'advanced', 'approver', 'national', 'adjustment decided', 'TT 36/2013 Art. 11.2, 11.4'),
    ('in_progress', 'in_progress', 'advanced', 'leader', 'local', 'adjustment decided', 'NĐ 45/2012 Art. 16'),
    ('in_progress', 'completed', 'accepted', 'leader', 'any', 'base acceptance (Mẫu 5a–5c)', 'TT 36/2013 Art. 14, 21, 23.5'),
    ('completed', 'completed', 'fully_advanced', 'approver', 'national', 'remaining advance', 'TT 36/2013 Art. 14'),
    ('completed', 'completed', 'settlement_submitted', 'province', 'any', 'settlement dossier', 'TT 36/2013 Art. 18.1, 19'),
    ('completed', 'settled', 'settled', 'approver', 'national', 'liquidation and settlement', 'TT 36/2013 Art. 18.2, 19.3'),
    ('completed', 'settled', 'settled', 'leader', 'local', 'settlement', 'NĐ 45/2012 Art. 16'),
    ('in_progress', 'settled', 'partially_settled', 'approver', 'national', 'force majeure', 'TT 36/2013 Art. 18.4'),
    ('approved', 'cancelled', 'cancelled', 'approver', 'national', 'cancellation', 'TT 36/2013 Art. 11.2.a, 11.3'),
    ('in_progress', 'cancelled', 'cancelled', 'approver', 'national', 'cancellation', 'TT 36/2013 Art. 11.2.a, 11.3'),
    ('approved', 'cancelled', 'cancelled', 'leader', 'local', 'cancellation', 'NĐ 45/2012 Art. 16'),
    ('in_progress', 'cancelled', 'cancelled', 'leader', 'local', 'cancellation', 'NĐ 45/2012 Art. 16')
  ) as v (from_status, to_status, to_stage, who, scope, action, legal_basis)
  join (values ('province', 'province_officer'), ('province', 'province_leader'),
               ('leader', 'province_leader'),
               ('ministry', 'ministry_reviewer'), ('ministry', 'ministry_approver'),
               ('approver', 'ministry_approver')) as r (who, role) on r.who = v.who;

-- Project codes are never reused: the last number given per (scope, year,
-- province), not max()+1 over the live rows.
create table project_code_counters (
  scope text not null,
  year integer not null,
  province_code text not null,
  last_number integer not null,
  primary key (scope, year, province_code)
);

create table projects (
  id bigint generated always as identity primary key,
  plan_id bigint not null references plans (id),
  -- KCQG-2026-25-007 / KCDP-2026-25-012: scope, plan year, province, counter
  code text not null unique,
  title text not null check (length(title) between 1 and 500),
  kind text not null default 'regular' references project_kinds (code),
  status text not null default 'draft',
  stage text not null default 'drafting',
  -- the dossier, TT 36/2013 Art. 5
  implementer text,                                   -- 5.1 đơn vị thực hiện
  partners jsonb not null default '[]' check (jsonb_typeof(partners) = 'array'),   -- [{name, role}]
  locations jsonb not null default '[]' check (jsonb_typeof(locations) = 'array'), -- [{commune, province_org_id, address}]
  rationale text,                                     -- 5.2 sự cần thiết
  legal_basis text,                                   -- 5.2 căn cứ
  objectives text,                                    -- 5.3
  scale_and_novelty text,                             -- 5.4
  work_items jsonb not null default '[]' check (jsonb_typeof(work_items) = 'array'), -- 5.5 [{task, from, to, who}]
  implementation text,                                -- 5.7
  impact text,                                        -- 5.8
  procurement text not null default 'selection' check (procurement in ('selection', 'bidding')),
  sector text references sectors (code),
  priority_area text references priority_areas (code),
  -- priority flags, TT 46/2012 Art. 6.2
  export boolean not null default false,
  local_materials boolean not null default false,
  labour_intensive boolean not null default false,
  supporting_industry boolean not null default false,
  typical_product boolean not null default false,
  start_date date,
  end_date date,
  no_double_funding boolean not null default false,
  search_text text not null default '',
  version integer not null default 1,
  created_by bigint not null references users (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  foreign key (status, stage) references project_stages (status, stage),
  check (end_date is null or start_date is null or end_date >= start_date)
);
create index projects_plan_idx on projects (plan_id, id);
create index projects_status_idx on projects (status, stage, id);
create index projects_kind_idx on projects (kind, id);
create index projects_search_idx on projects using gin (search_text gin_trgm_ops);

create table project_categories (
  project_id bigint not null references projects (id) on delete cascade,
  content_code text not null references content_categories (code),
  is_primary boolean not null default false,
  primary key (project_id, content_code)
);
create unique index project_categories_primary_idx on project_categories (project_id) where is_primary;
create index project_categories_code_idx on project_categories (content_code, project_id);

create table project_beneficiaries (
  id bigint generated always as identity primary key,
  project_id bigint not null references projects (id) on delete cascade,
  name text not null check (length(name) between 1 and 300),
  kind text not null check (kind in ('enterprise', 'cooperative', 'cooperative_group',
                                     'household_business')),
  tax_code text check (length(tax_code) <= 20),
  commune text check (length(commune) <= 200),
  province_org_id bigint references orgs (id)
);
create index project_beneficiaries_project_idx on project_beneficiaries (project_id);

create table project_budget_lines (
  project_id bigint not null references projects (id) on delete cascade,
  source text not null references funding_sources (code),
  amount bigint not null check (amount >= 0),
  primary key (project_id, source)
);

create table project_indicators (
  project_id bigint not null references projects (id) on delete cascade,
  indicator text not null references indicators (code),
  target bigint not null check (target >= 0),
  achieved bigint check (achieved >= 0),
  primary key (project_id, indicator)
);

create table project_history (
  id bigint generated always as identity primary key,
  project_id bigint not null references projects (id) on delete cascade,
  from_status text,
  to_status text not null,
  from_stage text,
  to_stage text not null,
  actor_id bigint,
  actor_role text,
  at timestamptz not null default now(),
  comment text,
  document_no text
);
create index project_history_project_idx on project_history (project_id, id);

-- PL/pgSQL rather than SQL here and in the other functions every write
-- calls (kc_plan_visible, kc_project_violations, kc_project_json, ...): a
-- SQL function called from PL/pgSQL is planned anew in every transaction,
-- which made planning most of project.update's time (issue 7, docs/
-- performance.md "Load"); PL/pgSQL keeps its plans for the session.
create function kc_project_search_text(p_id bigint, p_code text, p_title text) returns text
language plpgsql stable as $$
begin
  return kc_fold(concat_ws(' ', p_code, p_title,
                           (select string_agg(b.name, ' ' order by b.id)
                              from project_beneficiaries b where b.project_id = p_id)));
end $$;

-- BEFORE: the code on insert, the status machine, search_text.
create function projects_guard() returns trigger
language plpgsql as $$
declare
  v_role text := kc_actor_role();
  v_scope text;
  v_year integer;
  v_province text;
  v_number integer;
begin
  select p.scope, p.year, coalesce(o.province_code, '00') into v_scope, v_year, v_province
    from plans p join orgs o on o.id = p.org_id where p.id = new.plan_id;
  if tg_op = 'INSERT' then
    if new.status <> 'draft' or new.stage <> 'drafting' then
      raise exception 'a project is created as a draft, not %/%', new.status, new.stage
        using errcode = 'KC010';
    end if;
    insert into project_code_counters as c (scope, year, province_code, last_number)
    values (v_scope, v_year, v_province, 1)
    on conflict (scope, year, province_code) do update set last_number = c.last_number + 1
    returning last_number into v_number;
    new.code := format('%s-%s-%s-%s', case v_scope when 'national' then 'KCQG' else 'KCDP' end,
                       v_year, v_province, lpad(v_number::text, 3, '0'));
    new.search_text := kc_fold(concat_ws(' ', new.code, new.title));
    return new;
  end if;
  if new.status is distinct from old.status or new.stage is distinct from old.stage then
    if v_role is null then
      raise exception 'project %: % / % -> % / % without kc.actor_role', old.id, old.status,
        old.stage, new.status, new.stage using errcode = 'KC010';
    end if;
    if not exists (select 1 from project_transitions t
                    where t.from_status = old.status and t.to_status = new.status
                      and t.to_stage = new.stage and t.role = v_role
                      and t.scope in ('any', v_scope)) then
      raise exception 'project %: % may not change % / % -> % / %', old.id, v_role, old.status,
        old.stage, new.status, new.stage using errcode = 'KC010';
    end if;
  end if;
  if new.code <> old.code or new.plan_id <> old.plan_id then
    raise exception 'project %: code and plan are fixed', old.id using errcode = 'KC011';
  end if;
  new.search_text := kc_project_search_text(new.id, new.code, new.title);
  new.updated_at := now();
  return new;
end $$;

create trigger projects_guard before insert or update on projects
  for each row execute function projects_guard();

-- Only a draft may be deleted (project.delete); anything further is history.
create function projects_no_delete() returns trigger
language plpgsql as $$
begin
  if old.status <> 'draft' then
    raise exception 'project % is %, only a draft may be deleted', old.id, old.status
      using errcode = 'KC010';
  end if;
  return old;
end $$;

create trigger projects_no_delete before delete on projects
  for each row execute function projects_no_delete();

create function projects_history() returns trigger
language plpgsql as $$
begin
  if tg_op = 'INSERT' or new.status is distinct from old.status
     or new.stage is distinct from old.stage then
    insert into project_history (project_id, from_status, to_status, from_stage, to_stage,
                                 actor_id, actor_role, comment, document_no)
    values (new.id, case when tg_op = 'UPDATE' then old.status end, new.status,
            case when tg_op = 'UPDATE' then old.stage end, new.stage, kc_actor_id(),
            kc_actor_role(), nullif(current_setting('kc.comment', true), ''),
            nullif(current_setting('kc.document_no', true), ''));
  end if;
  return null;
end $$;

create trigger projects_history after insert or update on projects
  for each row execute function projects_history();

-- Beneficiary names are searchable: refresh the project's search_text.
create function project_beneficiaries_search() returns trigger
language plpgsql as $$
declare
  v_id bigint := case when tg_op = 'DELETE' then old.project_id else new.project_id end;
begin
  update projects set search_text = kc_project_search_text(id, code, title) where id = v_id;
  if tg_op = 'UPDATE' and old.project_id <> new.project_id then
    update projects set search_text = kc_project_search_text(id, code, title) where id = old.project_id;
  end if;
  return null;
end $$;

create trigger project_beneficiaries_search after insert or update or delete on project_beneficiaries
  for each row execute function project_beneficiaries_search();

-- ---------------------------------------------------------------------------
-- What the server calls. Each write is one function call, i.e. one
-- statement: it checks scope, version and status before writing anything,
-- names the actor for the triggers, writes, and appends its audit row last.
-- Outcomes come back as {"result": ...} or {"error": {code, message, data}}
-- with the codes of PROTOCOL.md. p_scope is the caller's province (orgs.id)
-- or null on the Ministry side.
-- ---------------------------------------------------------------------------

create function kc_err(p_code integer, p_message text, p_data jsonb default null) returns jsonb
language sql immutable as $$
  -- "data" only when there is some (PROTOCOL.md lists which codes carry it).
  select jsonb_build_object('error', jsonb_build_object('code', p_code, 'message', p_message)
                                     || case when p_data is null then '{}'::jsonb
                                             else jsonb_build_object('data', p_data) end)
$$;

create function kc_violation(p_field text, p_rule text, p_message text) returns jsonb
language sql immutable as $$
  select jsonb_build_object('field', p_field, 'rule', p_rule, 'message', p_message)
$$;

-- 1004 (absent or out of scope), else 1009 (stale), else 1010 (status), else null.
-- (PL/pgSQL: format() is only STABLE, so this is never inlined, and as SQL
-- it was planned anew in every write.)
create function kc_record_check(p_what text, p_ok boolean, p_version integer,
                                p_given integer, p_status text, p_allowed text[]) returns jsonb
language plpgsql immutable as $$
begin
  return case
    when not coalesce(p_ok, false) then kc_err(1004, format('no such %s', p_what))
    when p_version <> p_given then
      kc_err(1009, format('the %s was changed by someone else (now at version %s)', p_what, p_version),
             jsonb_build_object('current_version', p_version))
    when not (p_status = any (p_allowed)) then
      kc_err(1010, format('not allowed while the %s is %s', p_what, p_status),
             jsonb_build_object('status', p_status))
  end;
end $$;

-- Who sees a plan: a province's users their province (with what it
-- inherited in 2025, org_scope); the Ministry side national plans that left
-- the province and every local plan (read-only).
create function kc_plan_visible(p_org_id bigint, p_scope_kind text, p_status text,
                                p_scope bigint) returns boolean
language plpgsql stable as $$
begin
  if p_scope is null then
    return p_scope_kind = 'local' or p_status not in ('draft', 'submitted');
  end if;
  return exists (select 1 from org_scope(p_scope) o (id) where o.id = p_org_id);
end $$;

create function kc_project_json(p_id bigint, p_full boolean) returns jsonb
language sql stable as $$
  select jsonb_build_object(
           'id', pr.id, 'code', pr.code, 'plan_id', pr.plan_id, 'year', pl.year,
           'scope', pl.scope, 'org_id', pl.org_id, 'title', pr.title, 'kind', pr.kind,
           'status', pr.status, 'stage', pr.stage,
           'content_category', (select c.content_code from project_categories c
                                 where c.project_id = pr.id and c.is_primary),
           'content_categories', coalesce((select jsonb_agg(c.content_code
                                                   order by not c.is_primary, c.content_code)
                                             from project_categories c where c.project_id = pr.id),
                                          '[]'::jsonb),
           'total', (select coalesce(sum(b.amount), 0) from project_budget_lines b
                      where b.project_id = pr.id),
           'priority_area', pr.priority_area, 'sector', pr.sector,
           'version', pr.version, 'updated_at', kc_instant(pr.updated_at))
         || case when not p_full then '{}'::jsonb else jsonb_build_object(
           'implementer', pr.implementer, 'partners', pr.partners, 'locations', pr.locations,
           'rationale', pr.rationale, 'legal_basis', pr.legal_basis, 'objectives', pr.objectives,
           'scale_and_novelty', pr.scale_and_novelty, 'work_items', pr.work_items,
           'implementation', pr.implementation, 'impact', pr.impact,
           'procurement', pr.procurement, 'export', pr.export,
           'local_materials', pr.local_materials, 'labour_intensive', pr.labour_intensive,
           'supporting_industry', pr.supporting_industry, 'typical_product', pr.typical_product,
           'start_date', pr.start_date, 'end_date', pr.end_date,
           'no_double_funding', pr.no_double_funding,
           'created_by', pr.created_by, 'created_at', kc_instant(pr.created_at))
         || jsonb_build_object(
           'budget_lines', coalesce((select jsonb_agg(jsonb_build_object('source', b.source, 'amount', b.amount)
                                                      order by fs.sort, b.source)
                                       from project_budget_lines b
                                       join funding_sources fs on fs.code = b.source
                                      where b.project_id = pr.id), '[]'::jsonb),
           'indicators', coalesce((select jsonb_agg(jsonb_build_object('code', i.indicator, 'target', i.target,
                                                                       'achieved', i.achieved)
                                                    order by i.indicator)
                                     from project_indicators i where i.project_id = pr.id), '[]'::jsonb),
           'beneficiaries', coalesce((select jsonb_agg(jsonb_build_object('id', b.id, 'name', b.name, 'kind', b.kind,
                                                                          'tax_code', b.tax_code, 'commune', b.commune,
                                                                          'province_org_id', b.province_org_id)
                                                       order by b.id)
                                        from project_beneficiaries b where b.project_id = pr.id), '[]'::jsonb),
           'history', coalesce((select jsonb_agg(jsonb_build_object('from_status', h.from_status, 'to_status', h.to_status,
                                                                    'from_stage', h.from_stage, 'to_stage', h.to_stage,
                                                                    'actor_id', h.actor_id, 'actor_role', h.actor_role,
                                                                    'at', kc_instant(h.at), 'comment', h.comment,
                                                                    'document_no', h.document_no)
                                                 order by h.id)
                                  from project_history h where h.project_id = pr.id), '[]'::jsonb)) end
    from projects pr join plans pl on pl.id = pr.plan_id
   where pr.id = p_id
$$;

create function kc_plan_json(p_id bigint, p_full boolean) returns jsonb
language sql stable as $$
  select jsonb_build_object(
           'id', p.id, 'org_id', p.org_id, 'org_code', o.code, 'org_name', o.name,
           'province_code', o.province_code, 'year', p.year, 'scope', p.scope,
           'status', p.status, 'title', p.title, 'note', p.note,
           'submitted_by', p.submitted_by, 'submitted_at', kc_instant(p.submitted_at),
           'appraisal', case when p.appraised_at is null then null else jsonb_build_object(
              'by', p.appraised_by, 'at', kc_instant(p.appraised_at),
              'decision', p.appraisal_decision, 'comment', p.appraisal_comment,
              'sheet', p.appraisal_sheet) end,
           'forwarded_at', kc_instant(p.forwarded_at), 'late', p.late, 'deadline', p.deadline,
           'approval', case when p.decision_no is null then null else jsonb_build_object(
              'decision_no', p.decision_no, 'decision_date', p.decision_date,
              'issuer', p.decision_issuer, 'by', p.approved_by, 'at', kc_instant(p.approved_at)) end,
           'version', p.version, 'created_by', p.created_by,
           'created_at', kc_instant(p.created_at), 'updated_at', kc_instant(p.updated_at),
           'project_count', (select count(*) from projects pr where pr.plan_id = p.id),
           'totals', (select jsonb_object_agg(fs.code, coalesce(t.amount, 0) order by fs.sort)
                        from funding_sources fs
                        left join (select b.source, sum(b.amount) as amount
                                     from project_budget_lines b
                                     join projects pr on pr.id = b.project_id
                                    where pr.plan_id = p.id group by b.source) t
                          on t.source = fs.code),
           'total', (select coalesce(sum(b.amount), 0) from project_budget_lines b
                       join projects pr on pr.id = b.project_id where pr.plan_id = p.id))
         || case when not p_full then '{}'::jsonb else jsonb_build_object(
           'projects', coalesce((select jsonb_agg(kc_project_json(pr.id, false) order by pr.id)
                                   from projects pr where pr.plan_id = p.id), '[]'::jsonb),
           'history', coalesce((select jsonb_agg(jsonb_build_object('from_status', h.from_status,
                                                                    'to_status', h.to_status,
                                                                    'actor_id', h.actor_id, 'actor_role', h.actor_role,
                                                                    'at', kc_instant(h.at), 'comment', h.comment,
                                                                    'document_no', h.document_no)
                                                 order by h.id)
                                  from plan_history h where h.plan_id = p.id), '[]'::jsonb)) end
    from plans p join orgs o on o.id = p.org_id
   where p.id = p_id
$$;

-- plan.*

create function kc_plan_create(p_user bigint, p_username text, p_peer text, p_role text,
                               p_scope bigint, p jsonb) returns jsonb
language plpgsql as $$
declare
  v_org bigint := (p->>'org_id')::bigint;
  v_id bigint;
  v_after jsonb;
begin
  if p_scope is null or v_org not in (select org_scope(p_scope)) then
    return kc_err(1004, 'no such organisation');
  end if;
  if exists (select 1 from plans where org_id = v_org and year = (p->>'year')::integer
                                   and scope = p->>'scope') then
    return kc_err(1022, 'the organisation already has this plan',
                  jsonb_build_object('violations', jsonb_build_array(kc_violation('year', 'unique',
                    format('the organisation already has a %s plan for %s', p->>'scope', p->>'year')))));
  end if;
  perform kc_actor_set(p_user, p_role);
  insert into plans (org_id, year, scope, title, note, created_by)
  values (v_org, (p->>'year')::integer, p->>'scope', p->>'title', p->>'note', p_user)
  returning id into v_id;
  v_after := kc_plan_json(v_id, false);
  perform kc_audit(p_user, p_username, p_peer, 'plan.create', 'plan', v_id, null, v_after);
  return jsonb_build_object('result', v_after);
end $$;

create function kc_plan_get(p_scope bigint, p jsonb) returns jsonb
language sql stable as $$
  select coalesce(
    (select jsonb_build_object('result', kc_plan_json(pl.id, true)) from plans pl
      where pl.id = (p->>'id')::bigint and kc_plan_visible(pl.org_id, pl.scope, pl.status, p_scope)),
    kc_err(1004, 'no such plan'))
$$;

create function kc_plan_list(p_scope bigint, p jsonb) returns jsonb
language sql stable as $$
  with lim as (select coalesce((p->>'limit')::integer, 100) as n),
  page as (
    select pl.id from plans pl
     where ((p_scope is null and (pl.scope = 'local' or pl.status not in ('draft', 'submitted')))
            or pl.org_id in (select org_scope(p_scope)))
       and (p->>'cursor' is null or pl.id > (p->>'cursor')::bigint)
       and (p->>'year' is null or pl.year = (p->>'year')::integer)
       and (p->>'org_id' is null or pl.org_id in (select org_scope((p->>'org_id')::bigint)))
       and (p->>'scope' is null or pl.scope = p->>'scope')
       and (p->>'status' is null or pl.status = p->>'status')
     order by pl.id limit (select n from lim) + 1),
  shown as (select id from page order by id limit (select n from lim))
  select jsonb_build_object('result', jsonb_build_object(
    'items', coalesce((select jsonb_agg(kc_plan_json(id, false) order by id) from shown), '[]'::jsonb),
    'next_cursor', case when (select count(*) from page) > (select n from lim)
                        then (select max(id) from shown)::text end))
$$;

create function kc_plan_update(p_user bigint, p_username text, p_peer text, p_role text,
                               p_scope bigint, p jsonb) returns jsonb
language plpgsql as $$
declare
  v plans;
  v_err jsonb;
  v_before jsonb;
  v_after jsonb;
begin
  select * into v from plans where id = (p->>'id')::bigint for update;
  v_err := kc_record_check('plan', found and p_scope is not null
                                   and kc_plan_visible(v.org_id, v.scope, v.status, p_scope),
                           v.version, (p->>'version')::integer, v.status, array['draft']);
  if v_err is not null then
    return v_err;
  end if;
  v_before := kc_plan_json(v.id, false);
  perform kc_actor_set(p_user, p_role);
  update plans set title = case when p ? 'title' then p->>'title' else title end,
                   note = case when p ? 'note' then p->>'note' else note end,
                   version = version + 1
   where id = v.id;
  v_after := kc_plan_json(v.id, false);
  perform kc_audit(p_user, p_username, p_peer, 'plan.update', 'plan', v.id, v_before, v_after);
  return jsonb_build_object('result', v_after);
end $$;

-- project.*

-- Reference checks of a project's parameters (1022): unknown kind, sector,
-- priority area, content category, funding source, indicator or province;
-- a source or indicator given twice; dates out of order.
create function kc_project_violations(p jsonb, p_start date, p_end date) returns jsonb
language plpgsql stable as $$
begin
  return (select coalesce(jsonb_agg(v), '[]'::jsonb) from (
    select kc_violation('kind', 'exists', 'no such project kind') as v
     where p->>'kind' is not null and not exists (select 1 from project_kinds k where k.code = p->>'kind')
    union all
    select kc_violation('sector', 'exists', 'no such sector')
     where p->>'sector' is not null and not exists (select 1 from sectors s where s.code = p->>'sector')
    union all
    select kc_violation('priority_area', 'exists', 'no such priority area')
     where p->>'priority_area' is not null
       and not exists (select 1 from priority_areas a where a.code = p->>'priority_area')
    union all
    select kc_violation('content_category', 'exists', 'no such content category')
     where p->>'content_category' is not null
       and not exists (select 1 from content_categories c where c.code = p->>'content_category')
    union all
    select kc_violation(format('content_categories[%s]', x.i - 1), 'exists', 'no such content category')
      from jsonb_array_elements_text(coalesce(p->'content_categories', '[]')) with ordinality x (code, i)
     where not exists (select 1 from content_categories c where c.code = x.code)
    union all
    select kc_violation(format('budget_lines[%s].source', x.i - 1),
                        case when x.n > 1 then 'unique' else 'exists' end,
                        case when x.n > 1 then 'this funding source is given twice'
                             else 'no such funding source' end)
      from (select e->>'source' as source, i, count(*) over (partition by e->>'source') as n,
                   row_number() over (partition by e->>'source' order by i) as rn
              from jsonb_array_elements(coalesce(p->'budget_lines', '[]')) with ordinality y (e, i)) x
     where not exists (select 1 from funding_sources f where f.code = x.source) or (x.n > 1 and x.rn > 1)
    union all
    select kc_violation(format('indicators[%s].code', x.i - 1),
                        case when x.n > 1 then 'unique' else 'exists' end,
                        case when x.n > 1 then 'this indicator is given twice' else 'no such indicator' end)
      from (select e->>'code' as code, i, count(*) over (partition by e->>'code') as n,
                   row_number() over (partition by e->>'code' order by i) as rn
              from jsonb_array_elements(coalesce(p->'indicators', '[]')) with ordinality y (e, i)) x
     where not exists (select 1 from indicators d where d.code = x.code) or (x.n > 1 and x.rn > 1)
    union all
    select kc_violation(format('beneficiaries[%s].province_org_id', x.i - 1), 'exists', 'no such province')
      from jsonb_array_elements(coalesce(p->'beneficiaries', '[]')) with ordinality x (e, i)
     where x.e->>'province_org_id' is not null
       and not exists (select 1 from orgs o where o.id = (x.e->>'province_org_id')::bigint
                                               and o.kind = 'province')
    union all
    select kc_violation('end_date', 'order', 'the end date is before the start date')
     where p_end < p_start
  ) t);
end $$;

-- Replaces the sub-lists that @p names.
create function kc_project_write_lists(p_id bigint, p jsonb) returns void
language plpgsql as $$
declare
  v_primary text;
begin
  if p ? 'content_category' or p ? 'content_categories' then
    v_primary := coalesce(p->>'content_category',
                          (select content_code from project_categories
                            where project_id = p_id and is_primary));
    if p ? 'content_categories' then
      delete from project_categories where project_id = p_id;
    else
      delete from project_categories where project_id = p_id
                                       and (is_primary or content_code = v_primary);
    end if;
    if v_primary is not null then
      insert into project_categories (project_id, content_code, is_primary)
      values (p_id, v_primary, true);
    end if;
    insert into project_categories (project_id, content_code, is_primary)
    select distinct p_id, c, false
      from jsonb_array_elements_text(coalesce(p->'content_categories', '[]')) c
     where c is distinct from v_primary;
  end if;
  if p ? 'budget_lines' then
    delete from project_budget_lines where project_id = p_id;
    insert into project_budget_lines (project_id, source, amount)
    select p_id, e->>'source', (e->>'amount')::bigint
      from jsonb_array_elements(coalesce(p->'budget_lines', '[]')) e;
  end if;
  if p ? 'indicators' then
    delete from project_indicators where project_id = p_id;
    insert into project_indicators (project_id, indicator, target)
    select p_id, e->>'code', (e->>'target')::bigint
      from jsonb_array_elements(coalesce(p->'indicators', '[]')) e;
  end if;
  if p ? 'beneficiaries' then
    delete from project_beneficiaries where project_id = p_id;
    insert into project_beneficiaries (project_id, name, kind, tax_code, commune, province_org_id)
    select p_id, e->>'name', e->>'kind', e->>'tax_code', e->>'commune',
           (e->>'province_org_id')::bigint
      from jsonb_array_elements(coalesce(p->'beneficiaries', '[]')) with ordinality x (e, i)
     order by i;
  end if;
end $$;

create function kc_project_get(p_scope bigint, p jsonb) returns jsonb
language sql stable as $$
  select coalesce(
    (select jsonb_build_object('result', kc_project_json(pr.id, true))
       from projects pr join plans pl on pl.id = pr.plan_id
      where pr.id = (p->>'id')::bigint and kc_plan_visible(pl.org_id, pl.scope, pl.status, p_scope)),
    kc_err(1004, 'no such project'))
$$;

create function kc_like_escape(p text) returns text
language sql immutable strict as $$
  select replace(replace(replace(p, '\', '\\'), '%', '\%'), '_', '\_')
$$;

create function kc_project_list(p_scope bigint, p jsonb) returns jsonb
language sql stable as $$
  with lim as (select coalesce((p->>'limit')::integer, 100) as n),
  page as (
    select pr.id from projects pr join plans pl on pl.id = pr.plan_id
     where ((p_scope is null and (pl.scope = 'local' or pl.status not in ('draft', 'submitted')))
            or pl.org_id in (select org_scope(p_scope)))
       and (p->>'cursor' is null or pr.id > (p->>'cursor')::bigint)
       and (p->>'plan_id' is null or pr.plan_id = (p->>'plan_id')::bigint)
       and (p->>'year' is null or pl.year = (p->>'year')::integer)
       and (p->>'org_id' is null or pl.org_id in (select org_scope((p->>'org_id')::bigint)))
       and (p->>'scope' is null or pl.scope = p->>'scope')
       and (p->>'status' is null or pr.status = p->>'status')
       and (p->>'stage' is null or pr.stage = p->>'stage')
       and (p->>'kind' is null or pr.kind = p->>'kind')
       and (p->>'priority_area' is null or pr.priority_area = p->>'priority_area')
       and (p->>'category' is null
            or exists (select 1 from project_categories c
                        where c.project_id = pr.id and c.content_code = p->>'category'))
       and (coalesce(p->>'q', '') = ''
            or pr.search_text like '%' || kc_like_escape(kc_fold(p->>'q')) || '%')
     order by pr.id limit (select n from lim) + 1),
  shown as (select id from page order by id limit (select n from lim))
  select jsonb_build_object('result', jsonb_build_object(
    'items', coalesce(
      case when coalesce((p->>'brief')::boolean, false) then
        -- What a list of thousands shows (the desktop's Projects page): a
        -- fifth of the full item's cost in PostgreSQL, a third of its size.
        (select jsonb_agg(jsonb_build_object(
                  'id', pr.id, 'code', pr.code, 'plan_id', pr.plan_id, 'year', pl.year,
                  'org_id', pl.org_id, 'title', pr.title, 'status', pr.status,
                  'stage', pr.stage, 'version', pr.version,
                  'total', (select coalesce(sum(b.amount), 0) from project_budget_lines b
                             where b.project_id = pr.id)) order by pr.id)
           from shown s join projects pr on pr.id = s.id join plans pl on pl.id = pr.plan_id)
      else (select jsonb_agg(kc_project_json(id, false) order by id) from shown) end,
      '[]'::jsonb),
    'next_cursor', case when (select count(*) from page) > (select n from lim)
                        then (select max(id) from shown)::text end))
$$;

create function kc_project_delete(p_user bigint, p_username text, p_peer text, p_role text,
                                  p_scope bigint, p jsonb) returns jsonb
language plpgsql as $$
declare
  cur projects;
  v plans;
  v_err jsonb;
  v_before jsonb;
begin
  select * into cur from projects where id = (p->>'id')::bigint for update;
  if found then
    select * into v from plans where id = cur.plan_id;
  end if;
  v_err := kc_record_check('project', cur.id is not null and p_scope is not null
                                      and kc_plan_visible(v.org_id, v.scope, v.status, p_scope),
                           cur.version, (p->>'version')::integer, cur.status, array['draft']);
  if v_err is not null then
    return v_err;
  end if;
  v_before := kc_project_json(cur.id, true) - 'history';
  perform kc_actor_set(p_user, p_role);
  delete from projects where id = cur.id;
  perform kc_audit(p_user, p_username, p_peer, 'project.delete', 'project', cur.id, v_before, null);
  return jsonb_build_object('result', jsonb_build_object('id', cur.id, 'code', cur.code,
                                                         'deleted', true));
end $$;
