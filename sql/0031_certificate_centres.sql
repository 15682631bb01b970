-- 0031_certificate_centres.sql — leftovers of issue 14: (1) the start-up's
-- business registration certificate; (2) the Ministry's regional centres
-- submitting their projects directly (step 4b); (3) the rules as of the
-- registration, not 1 January of the plan's year; (4) the implementer's
-- management costs within C24. Each below.
--
-- (1) The start-up's business registration
-- certificate before its support is paid (issue 14 point 2; DOMAIN §2.5:
-- "100 % — support to set up a CNNT enterprise — after base acceptance and
-- the business registration certificate", TT 36/2013/TT-BCT Art. 13).
--
-- 0025 pays an activity whose first-advance rule is after_acceptance (C01)
-- only after acceptance; the certificate it names was only a text in the
-- rule's `evidence`. Now the first payment of such a project (advance or
-- final, not a refund) needs the certificate of the enterprise set up:
-- budget.disburse {..., registration_certificate: {number, date, issuer?}},
-- recorded once per project (project_registration_certificates), audited,
-- and not dated after the payment. Without it: 1022
-- {field: "registration_certificate", rule: "registration_certificate"},
-- and nothing is paid.

create table project_registration_certificates (
  project_id bigint primary key references projects (id),
  number text not null check (length(number) between 1 and 100),
  issued_on date not null,
  issuer text check (length(issuer) between 1 and 300),
  disbursement_id bigint references disbursements (id),
  recorded_by bigint not null references users (id),
  recorded_at timestamptz not null default now()
);

alter function kc_budget_disburse(bigint, text, text, text, bigint, jsonb) rename to kc_budget_disburse_0025;

create function kc_budget_disburse(p_user bigint, p_username text, p_peer text, p_role text,
                                   p_scope bigint, p jsonb) returns jsonb
language plpgsql as $$
declare
  v_res jsonb;
  v_cert jsonb := p->'registration_certificate';
  v_needs boolean;
  v_on date := (p->>'date')::date;
  r project_registration_certificates;
begin
  v_res := kc_budget_disburse_0025(p_user, p_username, p_peer, p_role, p_scope, p - 'registration_certificate');
  if v_res ? 'error' or coalesce(p->>'kind', 'advance') = 'refund' then
    return v_res;
  end if;
  select coalesce(bool_or(f.after_acceptance), false) into v_needs
    from kc_first_advance((p->>'project_id')::bigint, v_on) f;
  if not v_needs or exists (select 1 from project_registration_certificates
                             where project_id = (p->>'project_id')::bigint) then
    return v_res;
  end if;
  -- the payment made above is undone with the refusal (the exception below)
  if v_cert is null or jsonb_typeof(v_cert) <> 'object' then
    raise exception using errcode = 'KC099', message = kc_rule_err('registration_certificate', 'registration_certificate',
      'support to set up an enterprise is paid after base acceptance and on its business registration certificate: give its number and date (TT 36/2013/TT-BCT Art. 13)')::text;
  end if;
  if (v_cert->>'date')::date > v_on then
    raise exception using errcode = 'KC099', message = kc_rule_err('registration_certificate.date', 'order',
      'the certificate is not dated after the payment')::text;
  end if;
  insert into project_registration_certificates (project_id, number, issued_on, issuer, disbursement_id,
                                                 recorded_by)
  values ((p->>'project_id')::bigint, v_cert->>'number', (v_cert->>'date')::date, v_cert->>'issuer',
          (v_res->'result'->>'id')::bigint, p_user)
  returning * into r;
  perform kc_audit(p_user, p_username, p_peer, 'budget.disburse', 'registration_certificate', r.project_id,
                   null, to_jsonb(r) - 'recorded_at');
  return jsonb_build_object('result', (v_res->'result')
                                      || jsonb_build_object('registration_certificate',
                                                            to_jsonb(r) - 'recorded_at' - 'recorded_by'));
exception
  when sqlstate 'KC099' then
    return sqlerrm::jsonb;
end $$;

-- ---------------------------------------------------------------------------
-- (2) Regional centres submit directly (issue 14 point 5; DOMAIN §2.11 step
-- 4b, TT 36/2013/TT-BCT Art. 8.1.b, 22): the Ministry's regional
-- industrial promotion centres (orgs.kind regional_centre) draft national
-- projects and send their dossiers straight to the Cục, without a
-- Department's base appraisal.
--
-- A centre is its own scope root, as a province is: its staff hold the
-- province roles (province_officer drafts, province_leader is the
-- director) within the centre and see the centre's records only; never the
-- Ministry's side (a Ministry role at a centre no longer fits: such
-- accounts are disabled here, with an audit row each, as 0024 did). Their
-- plan.submit moves the plan on to the Ministry at once (draft → submitted
-- → forwarded in one transaction, both steps in the plan's history; the
-- projects at stage `submitted_direct`, step 4b, in the Ministry's queue
-- as forwarded ones are); a centre has no local plan (1022
-- scope/regional_centre). The database allows these moves for a centre's
-- plans only (plan_transitions / project_transitions of scope 'centre').
-- ---------------------------------------------------------------------------

create or replace function kc_scope_root(p_org bigint) returns bigint
language plpgsql stable as $$
declare
  v_id bigint := p_org;
  v_parent bigint;
  v_kind text;
begin
  for i in 0 .. 32 loop
    select o.parent_id, o.kind into v_parent, v_kind from orgs o where o.id = v_id;
    if not found then
      return null;
    end if;
    if v_kind in ('province', 'regional_centre') then
      return v_id;
    end if;
    if v_parent is null then
      return null;
    end if;
    v_id := v_parent;
  end loop;
  return null;
end $$;

-- Is this scope root (or organisation) a regional centre's?
create function kc_is_centre(p_org bigint) returns boolean
language sql stable as $$
  select coalesce((select o.kind = 'regional_centre' from orgs o where o.id = kc_scope_root(p_org)), false)
$$;

with bad as (
  update users set disabled_at = coalesce(disabled_at, now()), version = version + 1
   where disabled_at is null and not kc_role_fits_org(role, org_id)
  returning id, role, org_id)
select kc_audit(null, 'migration 0031', 'local', 'user.disable', 'user', bad.id, null,
                jsonb_build_object('reason', 'a Ministry role at a regional centre (now its own scope)',
                                   'role', bad.role, 'org_id', bad.org_id))
  from bad;

alter table plan_transitions drop constraint plan_transitions_scope_check;
alter table plan_transitions add constraint plan_transitions_scope_check
  check (scope in ('any', 'national', 'local', 'centre'));
insert into plan_transitions (from_status, to_status, role, scope, action, legal_basis) values
  ('submitted', 'forwarded', 'province_officer', 'centre', 'plan.submit (regional centre, step 4b)',
   'TT 36/2013 Art. 8.1.b, 22'),
  ('submitted', 'forwarded', 'province_leader', 'centre', 'plan.submit (regional centre, step 4b)',
   'TT 36/2013 Art. 8.1.b, 22');

-- 0005's guard, and the rows of scope 'centre' for a centre's national plans.
create or replace function plans_guard() returns trigger
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
                      and t.role = v_role
                      and (t.scope in ('any', new.scope)
                           or (t.scope = 'centre' and new.scope = 'national' and kc_is_centre(new.org_id)))) then
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

-- The projects of a centre's plan: a stage of their own, step 4b
-- ("submitted_direct": registered with the Cục directly), in the Ministry's
-- queue as a forwarded one (base_appraised) is.
insert into project_stages (status, stage, step, legal_basis) values
  ('submitted', 'submitted_direct', '4b', 'TT 36/2013 Art. 8.1.b, 22');
alter table project_transitions drop constraint project_transitions_scope_check;
alter table project_transitions add constraint project_transitions_scope_check
  check (scope in ('any', 'national', 'local', 'centre'));
insert into project_transitions (from_status, to_status, to_stage, role, scope, action, legal_basis) values
  ('submitted', 'submitted', 'submitted_direct', 'province_officer', 'centre',
   'plan.submit (regional centre, step 4b)', 'TT 36/2013 Art. 8.1.b, 22'),
  ('submitted', 'submitted', 'submitted_direct', 'province_leader', 'centre',
   'plan.submit (regional centre, step 4b)', 'TT 36/2013 Art. 8.1.b, 22');

-- 0023's guard, with the rows of scope 'centre' for a centre's national plans.
create or replace function projects_guard() returns trigger
language plpgsql as $$
declare
  v_role text := kc_actor_role();
  v_scope text;
  v_year integer;
  v_province text;
  v_number integer;
  v_org bigint;
begin
  if tg_op = 'INSERT' then
    select p.scope, p.year, coalesce(o.province_code, '00') into v_scope, v_year, v_province
      from plans p join orgs o on o.id = p.org_id where p.id = new.plan_id;
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
    select p.scope, p.org_id into v_scope, v_org from plans p where p.id = new.plan_id;
    if not exists (select 1 from project_transitions t
                    where t.from_status = old.status and t.to_status = new.status
                      and t.to_stage = new.stage and t.role = v_role
                      and (t.scope in ('any', v_scope)
                           or (t.scope = 'centre' and v_scope = 'national' and kc_is_centre(v_org)))) then
      raise exception 'project %: % may not change % / % -> % / %', old.id, v_role, old.status,
        old.stage, new.status, new.stage using errcode = 'KC010';
    end if;
  end if;
  if new.code <> old.code or new.plan_id <> old.plan_id then
    raise exception 'project %: code and plan are fixed', old.id using errcode = 'KC011';
  end if;
  if new.title is distinct from old.title or new.search_text is distinct from old.search_text then
    new.search_text := kc_project_search_text(new.id, new.code, new.title);
  end if;
  new.updated_at := now();
  return new;
end $$;

-- 0010: waiting for the Ministry: forwarded, sent directly, or resubmitted.
create or replace function kc_review_in_queue(pr projects) returns boolean
language sql immutable as $$
  select pr.status = 'submitted' and pr.stage in ('base_appraised', 'resubmitted', 'submitted_direct')
$$;

-- 0010's snapshot each time a project reaches the Ministry, a direct one too.
create or replace function projects_snapshot() returns trigger
language plpgsql as $$
begin
  if new.stage in ('base_appraised', 'resubmitted', 'submitted_direct') and new.stage is distinct from old.stage then
    insert into project_versions (project_id, version, project_version, stage, snapshot)
    values (new.id,
            coalesce((select max(version) from project_versions where project_id = new.id), 0) + 1,
            new.version, new.stage, kc_project_json(new.id, true) - 'history');
  end if;
  return null;
end $$;

drop trigger projects_snapshot on projects;
create trigger projects_snapshot after update on projects
  for each row when (new.stage is distinct from old.stage
                     and new.stage in ('base_appraised', 'resubmitted', 'submitted_direct'))
  execute function projects_snapshot();

-- 0028's inbox: the Ministry's queue holds the direct ones too.
create or replace function kc_inbox_items(p_user bigint, p_role text, p_scope bigint, p_orgs bigint[], p_today date)
returns table (kind text, plan_org bigint, ref_type text, ref_id bigint, plan_id bigint,
               project_id bigint, code text, title text, due_on date, since timestamptz,
               sent_back boolean, detail jsonb)
language sql stable as $$
  with
  -- the plans the caller sees (kc_plan_visible)
  vp as materialized (
    select pl.id, pl.org_id, pl.year, pl.scope, pl.status, pl.title, pl.submitted_at, pl.appraised_at,
           pl.appraisal_decision
      from plans pl
     where (p_scope is null and (pl.scope = 'local' or pl.status not in ('draft', 'submitted')))
        or (p_scope is not null and pl.org_id = any (p_orgs))),
  -- running projects (approved, in progress) of the caller's province
  -- (per plan by index: a province has a few dozen plans, and "offset 0" keeps the planner
  -- from trading that for a scan of every running project of the country)
  running as (
    select pr.id, pr.code, pr.title, pr.start_date, pr.end_date, pr.kind, pr.updated_at,
           v.id as plan_id, v.org_id, v.year, v.scope
      from vp v,
      lateral (select * from projects pr
                where pr.plan_id = v.id and pr.status in ('approved', 'in_progress') offset 0) pr
     where p_scope is not null),
  -- the Ministry's appraisal queue (forwarded or resubmitted national projects)
  queue as (
    select pr.id, pr.code, pr.title, pr.plan_id, v.org_id, coalesce(x.at, pr.updated_at) as arrived_at
      from projects pr join vp v on v.id = pr.plan_id
      left join lateral (select x.at from project_versions x where x.project_id = pr.id
                          order by x.version desc limit 1) x on true
     where pr.status = 'submitted' and pr.stage in ('base_appraised', 'resubmitted', 'submitted_direct')
       and v.scope = 'national'),
  criteria as (select count(*) as n from review_criteria),
  -- accepted projects with their settlement day: kc_settle_due (0012, with the extension of
  -- 0022) written out, the earlier of acceptance + 15 days and 22/01 after the last year the
  -- project runs in; as a function per row it cost seconds at national size
  accepted as (
    select pr.id, pr.code, pr.title, pr.stage, v.id as plan_id, v.org_id, v.scope, a.accepted_on,
           a.accepted_at,
           least(a.accepted_on + 15,
                 make_date(greatest(v.year + case when exists (select 1 from project_adjustments x
                                                                where x.project_id = pr.id
                                                                  and x.type = 'extend_next_year'
                                                                  and x.status = 'approved')
                                                       or exists (select 1 from plan_decision_items i
                                                                   where i.project_id = pr.id
                                                                     and i.action = 'extend')
                                                       then 1 else 0 end,
                                    coalesce((select max(c.to_year) from carry_overs c where c.project_id = pr.id),
                                             v.year)) + 1, 1, 22)) as settle_due
      from projects pr join vp v on v.id = pr.plan_id join project_acceptances a on a.project_id = pr.id
     where pr.status = 'completed')
  -- a plan sent back by the province leader
  select 'plan_returned'::text, v.org_id, 'plan'::text, v.id, v.id, null::bigint, null::text,
         coalesce(v.title, format('Kế hoạch %s năm %s', case v.scope when 'national' then 'KCQG' else 'KCĐP' end,
                                  v.year)),
         case when v.scope = 'national'
              then coalesce(kc_calendar_due('registration_deadline', v.year), make_date(v.year - 1, 6, 20)) end,
         v.appraised_at, true, jsonb_build_object('year', v.year, 'scope', v.scope)
    from vp v
   where kc_inbox_wants(p_role, 'plan_returned') and p_scope is not null
     and v.status = 'draft' and v.appraisal_decision = 'return'
  union all
  -- a project the Ministry asked to revise
  select 'project_revision', v.org_id, 'project', pr.id, v.id, pr.id, pr.code, pr.title, null::date,
         coalesce((select max(h.at) from project_history h where h.project_id = pr.id), pr.updated_at),
         true, '{}'::jsonb
    from vp v join projects pr on pr.plan_id = v.id
   where kc_inbox_wants(p_role, 'project_revision') and p_scope is not null
     and pr.status = 'revision_requested'
  union all
  -- registration of next year's national plan: from 1 May (DOMAIN "May – 20 June") until a
  -- national plan of that year is submitted; for a province working in the system (a plan
  -- this year or next)
  select 'registration_due', p_scope, case when n.id is null then 'plan_year' else 'plan' end,
         coalesce(n.id, y.year), n.id, null, null,
         format('Đăng ký kế hoạch khuyến công quốc gia năm %s', y.year), y.due, null::timestamptz, false,
         jsonb_build_object('year', y.year, 'scope', 'national')
    from (select extract(year from p_today)::integer + 1 as year) yy,
         lateral (select yy.year,
                         coalesce(kc_calendar_due('registration_deadline', yy.year),
                                  make_date(yy.year - 1, 6, 20)) as due) y
    left join lateral (select v.id from vp v where v.scope = 'national' and v.year = y.year
                        order by v.id limit 1) n on true
   where kc_inbox_wants(p_role, 'registration_due') and p_scope is not null
     and p_today >= make_date(y.year - 1, 5, 1)
     and exists (select 1 from vp v where v.year in (y.year - 1, y.year))
     and not exists (select 1 from vp v where v.scope = 'national' and v.year = y.year
                                        and v.status <> 'draft')
  union all
  -- a plan the province's leader appraises (national) or approves (local)
  select 'plan_to_appraise', v.org_id, 'plan', v.id, v.id, null, null,
         coalesce(v.title, format('Kế hoạch %s năm %s', case v.scope when 'national' then 'KCQG' else 'KCĐP' end,
                                  v.year)),
         case when v.scope = 'national'
              then coalesce(kc_calendar_due('registration_deadline', v.year), make_date(v.year - 1, 6, 20)) end,
         v.submitted_at, false, jsonb_build_object('year', v.year, 'scope', v.scope)
    from vp v
   where kc_inbox_wants(p_role, 'plan_to_appraise') and p_scope is not null and v.status = 'submitted'
  union all
  -- the months of a running project without their progress report, up to this month
  -- (kc_overdue_items' months, 0020, and the current one before its 25th): one item per
  -- project, due on the oldest missing month's day
  select 'progress_due', m.org_id, 'project', m.id, m.plan_id, m.id, m.code, m.title,
         kc_progress_due(min(m.period)), null, false,
         jsonb_build_object('periods', jsonb_agg(to_char(m.period, 'YYYY-MM') order by m.period))
    from (select r.*, g::date as period
            from running r left join project_kinds k on k.code = r.kind,
            -- the months reported, by index per project (the planner guesses 1,000 months a
            -- project and would hash every report of the country)
            lateral (select array(select x.period from project_progress_reports x
                                   where x.project_id = r.id) as done) d,
            generate_series(greatest(make_date(r.year, 1, 1), date_trunc('month', r.start_date)::date),
                            least(date_trunc('month', coalesce(r.end_date,
                                    make_date(r.year + coalesce(k.max_years, 1) - 1 + kc_project_extension(r.id), 12, 31))),
                                  date_trunc('month', p_today)),
                            interval '1 month') g
           where kc_inbox_wants(p_role, 'progress_due') and not (g::date = any (d.done))) m
   group by m.id, m.org_id, m.plan_id, m.code, m.title
  union all
  -- a filed progress report the Department has not confirmed
  select 'progress_to_confirm', v.org_id, 'progress_report', r.id, v.id, pr.id, pr.code, pr.title, null,
         r.submitted_at, false,
         jsonb_build_object('period', to_char(r.period, 'YYYY-MM'), 'percent_done', r.percent_done,
                            'late', r.late, 'version', r.version)
    from vp v join projects pr on pr.plan_id = v.id
         join project_progress_reports r on r.project_id = pr.id
   where kc_inbox_wants(p_role, 'progress_to_confirm') and p_scope is not null
     and r.confirmed_at is null and pr.status not in ('cancelled', 'rejected')
  union all
  -- an adjustment request the caller's role decides
  select 'adjustment_to_decide', v.org_id, 'adjustment', a.id, v.id, pr.id, pr.code, pr.title, null,
         a.requested_at, false, jsonb_build_object('type', a.type, 'version', a.version)
    from project_adjustments a join projects pr on pr.id = a.project_id join vp v on v.id = pr.plan_id
   where kc_inbox_wants(p_role, 'adjustment_to_decide')
     and a.status = 'requested' and p_role = any (a.approver_roles)
  union all
  -- a running project whose end is at most 30 days away or past, not yet accepted
  select 'acceptance_due', r.org_id, 'project', r.id, r.plan_id, r.id, r.code, r.title, r.end_date, null,
         false, '{}'::jsonb
    from running r
   where kc_inbox_wants(p_role, 'acceptance_due') and r.end_date is not null
     and p_today >= r.end_date - 30
  union all
  -- an accepted national project: the province's settlement dossier, by its settlement day
  select 'settlement_dossier_due', a.org_id, 'project', a.id, a.plan_id, a.id, a.code, a.title, a.settle_due,
         a.accepted_at, false, jsonb_build_object('accepted_on', a.accepted_on)
    from accepted a
   where kc_inbox_wants(p_role, 'settlement_dossier_due') and p_scope is not null
     and a.scope = 'national' and a.stage <> 'settlement_submitted'
  union all
  -- an accepted project to settle: national by the Ministry (approver), local by the province
  -- (leader); a national project's due day as above, a local one's none in the system
  select 'settlement_due', a.org_id, 'project', a.id, a.plan_id, a.id, a.code, a.title,
         case when a.scope = 'national' then a.settle_due end,
         a.accepted_at, false, jsonb_build_object('accepted_on', a.accepted_on, 'scope', a.scope)
    from accepted a
   where kc_inbox_wants(p_role, 'settlement_due')
     and a.scope = case when p_role = 'ministry_approver' then 'national' else 'local' end
     and (p_role <> 'ministry_approver' or p_scope is null)
  union all
  -- the province's periodic report (q1, h1, q3, year of kc_overdue_items, 0020) once its
  -- data cut-off has passed and until it is sent, for a year the province has a plan in
  select 'province_report_due', p_scope, 'province_report', null, null, null, null,
         format('Báo cáo %s năm %s', c.label, o.year), c.due, null, false,
         jsonb_build_object('province_id', p_scope, 'year', o.year, 'period', x.period)
    from (select distinct v.year from vp v
           where v.year between extract(year from p_today)::integer - 1
                            and extract(year from p_today)::integer) o
         cross join (values ('q1'), ('h1'), ('q3'), ('year')) as x (period),
         lateral kc_report_period(o.year, x.period) c
   where kc_inbox_wants(p_role, 'province_report_due') and p_scope is not null
     and p_today > c.to_date
     and not exists (select 1 from province_reports r
                      where r.province_id = p_scope and r.year = o.year and r.period = x.period)
  union all
  -- a request the Ministry answered, for the province to read and close
  select 'correspondence_answered', c.org_id, 'correspondence', c.id, c.plan_id, c.project_id, null,
         c.subject, null, c.answered_at, false, jsonb_build_object('version', c.version)
    from correspondence c
   where kc_inbox_wants(p_role, 'correspondence_answered') and p_scope is not null
     and c.status = 'answered' and c.org_id = any (p_orgs)
  union all
  -- a province's open request, for the Ministry to answer by its working-day deadline
  select 'correspondence_to_answer', c.org_id, 'correspondence', c.id, c.plan_id, c.project_id, null,
         c.subject,
         -- kc_correspondence_due(c), with the setting read once
         kc_working_day_due((c.opened_at at time zone 'Asia/Ho_Chi_Minh')::date,
                            (select kc_deadline_setting('correspondence_sla_working_days'))),
         c.opened_at, false, jsonb_build_object('version', c.version)
    from correspondence c
   where kc_inbox_wants(p_role, 'correspondence_to_answer') and p_scope is null and c.status = 'open'
  union all
  -- the appraisal queue: to assign (approver), to score (the assigned reviewer), to decide
  -- (approver, once a reviewer scored every criterion since the project last arrived)
  select 'review_to_assign', q.org_id, 'project', q.id, q.plan_id, q.id, q.code, q.title, null, q.arrived_at,
         false, '{}'::jsonb
    from queue q
   where kc_inbox_wants(p_role, 'review_to_assign') and p_scope is null
     and not exists (select 1 from review_assignments a where a.project_id = q.id)
  union all
  select 'review_to_score', q.org_id, 'project', q.id, q.plan_id, q.id, q.code, q.title, null,
         greatest(q.arrived_at, a.at), false, '{}'::jsonb
    from queue q join review_assignments a on a.project_id = q.id
   where kc_inbox_wants(p_role, 'review_to_score') and p_scope is null and a.reviewer_id = p_user
     and (select count(*) from review_scores s
           where s.project_id = q.id and s.reviewer_id = p_user and s.at >= q.arrived_at)
         < (select n from criteria)
  union all
  select 'review_to_decide', q.org_id, 'project', q.id, q.plan_id, q.id, q.code, q.title, null,
         d.at, false, '{}'::jsonb
    from queue q,
    lateral (select max(s.at) as at from review_scores s
              where s.project_id = q.id and s.at >= q.arrived_at
              group by s.reviewer_id having count(*) >= (select n from criteria)
              order by 1 desc limit 1) d
   where kc_inbox_wants(p_role, 'review_to_decide') and p_scope is null
  union all
  -- appraised national projects of a year in no decision yet: one item per year
  select 'plan_decision_due', null, 'plan_decision_year', v.year, null, null, null,
         format('Quyết định giao kế hoạch khuyến công quốc gia năm %s: %s đề án', v.year, count(*)), null,
         max(pr.updated_at), false,
         jsonb_build_object('year', v.year, 'projects', count(*),
                            'decided', exists (select 1 from plan_decisions d
                                                where d.year = v.year and d.kind = 'approval'))
    from projects pr join vp v on v.id = pr.plan_id
   where kc_inbox_wants(p_role, 'plan_decision_due') and p_scope is null
     and pr.status = 'approved' and pr.stage = 'ministry_appraised' and v.scope = 'national'
     and not exists (select 1 from plan_decision_items i where i.project_id = pr.id)
   group by v.year
$$;

alter function kc_plan_create(bigint, text, text, text, bigint, jsonb) rename to kc_plan_create_0005;

create function kc_plan_create(p_user bigint, p_username text, p_peer text, p_role text,
                               p_scope bigint, p jsonb) returns jsonb
language plpgsql as $$
begin
  if p->>'scope' = 'local' and p_scope is not null and kc_is_centre(p_scope) then
    return kc_rule_err('scope', 'regional_centre',
                       'a regional centre of the Ministry has national plans only (no local budget)');
  end if;
  return kc_plan_create_0005(p_user, p_username, p_peer, p_role, p_scope, p);
end $$;

alter function kc_plan_transition(bigint, text, text, text, bigint, text, jsonb)
  rename to kc_plan_transition_0006;

create function kc_plan_transition(p_user bigint, p_username text, p_peer text, p_role text,
                                   p_scope bigint, p_method text, p jsonb) returns jsonb
language plpgsql as $$
declare
  v_res jsonb;
  v plans;
  v_before jsonb;
  v_after jsonb;
  v_deadline date;
begin
  v_res := kc_plan_transition_0006(p_user, p_username, p_peer, p_role, p_scope, p_method, p);
  if p_method <> 'plan.submit' or v_res ? 'error' then
    return v_res;
  end if;
  select * into v from plans where id = (p->>'id')::bigint for update;
  if v.scope <> 'national' or not kc_is_centre(v.org_id) then
    return v_res;
  end if;
  -- step 4b: straight on to the Cục, no base appraisal
  v_before := kc_plan_json(v.id, false);
  v_deadline := coalesce((select due from calendar_rules
                           where rule = 'registration_deadline' and year = v.year),
                         make_date(v.year - 1, 6, 20));
  perform kc_actor_set(p_user, p_role, 'gửi thẳng Cục (trung tâm vùng, bước 4b)', null);
  update projects set stage = 'submitted_direct', version = version + 1
   where plan_id = v.id and status = 'submitted' and stage = 'registered';
  update plans set status = 'forwarded', forwarded_at = now(), deadline = v_deadline,
                   late = (now() at time zone 'Asia/Ho_Chi_Minh')::date > v_deadline,
                   version = version + 1
   where id = v.id;
  v_after := kc_plan_json(v.id, false) || jsonb_build_object('direct', true);
  perform kc_audit(p_user, p_username, p_peer, 'plan.submit', 'plan', v.id, v_before, v_after);
  return jsonb_build_object('result', (v_res->'result') || v_after);
end $$;

-- ---------------------------------------------------------------------------
-- (3) Rules as of the registration (issue 14 point 7; DOMAIN §6.4: what a
-- project is entitled to is judged at the event — its registration, its
-- base appraisal — not on 1 January of its year). A plan of year N is
-- registered in N-1 (before 20/6): the caps, kinds and rules in force that
-- day apply. The day: once the plan has left the draft, its latest
-- registration event (base appraisal or submission); a draft (also one
-- returned or withdrawn) today; never after 1 January of the plan's year,
-- so a plan entered after the fact (a past year's) keeps that year's rules.
-- checked_on says which day was used.
-- ---------------------------------------------------------------------------
create function kc_rules_day(pl plans) returns date
language sql stable as $$
  select least(case when pl.status <> 'draft'
                      then (greatest(pl.appraised_at, pl.submitted_at) at time zone 'Asia/Ho_Chi_Minh')::date
                 end,
               (now() at time zone 'Asia/Ho_Chi_Minh')::date,
               make_date(pl.year, 1, 1))
$$;

-- 0006's check (renamed by 0025, which wraps it) with that day.
create or replace function kc_project_check_row_0006(pr projects, p_submission boolean) returns jsonb
language plpgsql stable as $$
declare
  p_id bigint := pr.id;
  pl plans;
  k project_kinds;
  c support_caps;
  u support_caps;
  v_res jsonb := jsonb_build_object('violations', '[]'::jsonb, 'warnings', '[]'::jsonb, 'cap', null);
  v_soft text := case when p_submission then 'violations' else 'warnings' end;
  v_on date;
  v_year_end date;
  v_central bigint;
  v_local bigint;
  v_sum bigint;
  v_content text;
  v_count integer;
  v_codes text;
  v_priority boolean;
  v_factor numeric;
  v_pct_limit numeric;
  v_abs_limit numeric;
  v_limit numeric;
  v_msg text;
begin
  select * into pl from plans where id = pr.plan_id;
  select * into k from project_kinds where code = pr.kind;
  v_on := kc_rules_day(pl);
  v_res := v_res || jsonb_build_object('checked_on', v_on);

  -- dates
  if pr.start_date is not null and pr.end_date is not null and pr.end_date < pr.start_date then
    v_res := kc_check_push(v_res, 'violations',
                           kc_violation('end_date', 'order', 'the end date is before the start date'));
  end if;
  if pr.start_date is not null and extract(year from pr.start_date) <> pl.year then
    v_res := kc_check_push(v_res, 'violations', kc_violation('start_date', 'plan_year',
      format('the project starts in its plan year %s (it starts on %s)', pl.year,
             to_char(pr.start_date, 'DD/MM/YYYY'))));
  end if;
  if pr.end_date is not null and k.max_years is not null then
    -- an approved extension into the next year (adjustment extend_next_year,
    -- 0008) moves the last allowed year by one
    v_year_end := make_date(pl.year + k.max_years - 1 + kc_project_extension(p_id), 12, 31);
    if pr.end_date > v_year_end or pr.end_date < v_on then
      v_res := kc_check_push(v_res, 'violations', kc_violation('end_date',
        case when k.max_years = 1 or pr.end_date < v_on then 'plan_year' else 'max_years' end,
        case when k.max_years = 1
             then format('a project of kind %s ends inside its plan year %s (it ends on %s)',
                         k.code, pl.year, to_char(pr.end_date, 'DD/MM/YYYY'))
             else format('a project of kind %s lasts at most %s years from its plan year %s: it ends between 01/01/%s and %s (it ends on %s)',
                         k.code, k.max_years, pl.year, pl.year, to_char(v_year_end, 'DD/MM/YYYY'),
                         to_char(pr.end_date, 'DD/MM/YYYY')) end));
    end if;
  end if;
  if pr.end_date is not null and coalesce(k.min_years, 1) > 1
     and extract(year from pr.end_date) < pl.year + k.min_years - 1 then
    v_res := kc_check_push(v_res, 'violations', kc_violation('end_date', 'min_years',
      format('a project of kind %s lasts at least %s years from its plan year %s: it ends in %s or later (it ends on %s)',
             k.code, k.min_years, pl.year, pl.year + k.min_years - 1, to_char(pr.end_date, 'DD/MM/YYYY'))));
  end if;

  -- the kind's contents and beneficiaries (completeness)
  select count(*) into v_count from project_categories where project_id = p_id;
  if k.min_contents is not null and v_count < k.min_contents then
    v_res := kc_check_push(v_res, v_soft, kc_violation('content_categories', 'min_contents',
      format('a project of kind %s has at least %s content categories (it has %s)', k.code,
             k.min_contents, v_count)));
  end if;
  select count(*) into v_count from project_beneficiaries where project_id = p_id;
  if k.min_beneficiaries is not null and v_count < k.min_beneficiaries then
    v_res := kc_check_push(v_res, v_soft, kc_violation('beneficiaries', 'min_beneficiaries',
      format('a project of kind %s has at least %s beneficiaries (it has %s)', k.code,
             k.min_beneficiaries, v_count)));
  end if;

  -- the no-double-funding declaration (completeness)
  if not pr.no_double_funding then
    v_res := kc_check_push(v_res, v_soft, kc_violation('no_double_funding', 'declaration',
      'the declaration that no expense of the project is funded by another state source is required (TTLT 26/2014 Art. 7.4)'));
  end if;

  -- money
  select coalesce(sum(amount) filter (where source = 'central'), 0),
         coalesce(sum(amount) filter (where source = 'local'), 0),
         coalesce(sum(amount), 0)
    into v_central, v_local, v_sum
    from project_budget_lines where project_id = p_id;

  if pr.total_cost is not null and v_sum < pr.total_cost then
    v_res := kc_check_push(v_res, 'violations', kc_violation('budget_lines.counterpart', 'counterpart',
      format('counterpart funds must be committed for the rest of the cost: the budget lines cover %s đ of the total cost %s đ, %s đ is not covered (TTLT 26/2014 Art. 7.3)',
             kc_vnd(v_sum), kc_vnd(pr.total_cost), kc_vnd(pr.total_cost - v_sum))));
  elsif pr.total_cost is not null and v_sum > pr.total_cost then
    v_res := kc_check_push(v_res, 'violations', kc_violation('total_cost', 'total',
      format('the budget lines add up to %s đ, more than the total cost %s đ',
             kc_vnd(v_sum), kc_vnd(pr.total_cost))));
  end if;

  -- the cap of the primary content in force on 1 January of the plan year
  select content_code into v_content from project_categories where project_id = p_id and is_primary;
  if pr.cap_code is not null then
    select * into c from kc_caps_in_force(v_content, v_on) x where x.cap_code = pr.cap_code;
    if c.id is null then
      v_res := kc_check_push(v_res, 'violations', kc_violation('cap_code', 'exists',
        format('no cap %s is in force for the content %s on %s', pr.cap_code,
               coalesce(v_content, '(none)'), to_char(v_on, 'DD/MM/YYYY'))));
    end if;
  else
    select count(*), string_agg(x.cap_code, ', ' order by x.cap_code) into v_count, v_codes
      from kc_caps_in_force(v_content, v_on) x;
    if v_count = 1 then
      select * into c from kc_caps_in_force(v_content, v_on);
    elsif v_count > 1 and v_central > 0 then
      v_res := kc_check_push(v_res, v_soft, kc_violation('cap_code', 'required',
        format('the content %s has several caps in force on %s: choose the cap_code of the central support (%s)',
               v_content, to_char(v_on, 'DD/MM/YYYY'), v_codes)));
    end if;
  end if;

  if c.id is not null then
    v_priority := pr.priority_area is not null or pr.export or pr.local_materials
                  or pr.labour_intensive or pr.supporting_industry
                  or kc_project_typical(p_id);
    v_factor := case when v_priority and c.priority_factor is not null then c.priority_factor else 1 end;
    v_pct_limit := c.pct_cap * v_sum / 100;
    v_abs_limit := c.abs_cap_vnd * v_factor;
    v_limit := least(v_pct_limit, v_abs_limit);   -- least() skips nulls: null = no such limit
    v_res := jsonb_set(v_res, '{cap}', jsonb_build_object(
      'id', c.id, 'cap_code', c.cap_code, 'content_code', c.content_code, 'legal_act', c.legal_act,
      'valid_from', c.valid_from, 'valid_to', c.valid_to, 'confidence', c.confidence,
      'pct_cap', c.pct_cap, 'abs_cap_vnd', c.abs_cap_vnd, 'priority_factor', v_factor,
      'eligible_cost', v_sum, 'central', v_central,
      'limit_vnd', floor(v_limit)));
    if v_limit is not null and v_central > v_limit then
      v_msg := format('the central support %s đ exceeds the cap %s (%s): at most %s đ, the lesser of %s',
                      kc_vnd(v_central), c.cap_code, c.legal_act, kc_vnd(v_limit),
                      concat_ws(' and ',
                        case when c.pct_cap is not null then
                          format('%s %% of the eligible cost %s đ', c.pct_cap, kc_vnd(v_sum)) end,
                        case when c.abs_cap_vnd is not null then
                          format('%s đ%s', kc_vnd(v_abs_limit),
                                 case when v_factor > 1 then format(' (%s × %s đ, priority uplift)',
                                                                    v_factor, kc_vnd(c.abs_cap_vnd)) end) end));
      if c.confidence = 'U' then
        v_res := kc_check_push(v_res, 'warnings', kc_violation('budget_lines.central', 'cap',
          v_msg || format('; this cap value is unconfirmed (confidence U: %s), so it warns instead of refusing',
                          coalesce(c.note, 'not confirmed from the legal text'))));
      else
        v_res := kc_check_push(v_res, 'violations', kc_violation('budget_lines.central', 'cap', v_msg));
      end if;
    elsif v_factor > 1 and v_central > c.abs_cap_vnd then
      -- passes only thanks to the uplift: say so when the uplift is unconfirmed
      select * into u from support_caps x
       where x.cap_code = 'C25' and kc_valid_on(x.valid_from, x.valid_to, v_on);
      if u.id is null or u.confidence = 'U' then
        v_res := kc_check_push(v_res, 'warnings', kc_violation('budget_lines.central', 'priority_uplift',
          format('the central support %s đ is above the normal cap %s đ of %s and within it only by the ×%s priority uplift, whose value under %s is unconfirmed (confidence U)',
                 kc_vnd(v_central), kc_vnd(c.abs_cap_vnd), c.cap_code, v_factor,
                 coalesce(u.legal_act, 'the rules in force'))));
      end if;
    end if;
  end if;
  return v_res;
end $$;

-- ---------------------------------------------------------------------------
-- (4) The implementer's management costs (issue 14 point 7; C24: "chi quản
-- lý đề án của đơn vị thực hiện" at most 2.5 % of the project's estimate,
-- TT 28/2018/TT-BTC Art. 8 — the value is the support_caps row in force).
-- A cost item of Mẫu 1 may be marked `management`; project.set_cost_items
-- refuses a list whose management items exceed the C24 share of the whole
-- estimate (1022 items/management_cost), or warns when the C24 row in force
-- is unconfirmed (confidence U), as other caps do. C23 (the managing
-- agency's own programme management, 1.5 % of the year's funds) is not
-- checked: the agency's management spending is not a record of this system.
-- ---------------------------------------------------------------------------
alter table project_cost_items add column management boolean not null default false;

create or replace function kc_cost_items_json(p_id bigint) returns jsonb
language sql stable as $$
  select coalesce(jsonb_agg(jsonb_build_object('seq', seq, 'item', item, 'unit', unit, 'quantity', quantity,
                                               'unit_price', unit_price, 'central', central, 'local', local,
                                               'counterpart', counterpart, 'other', other,
                                               'total', central + local + counterpart + other,
                                               'management', management)
                            order by seq), '[]'::jsonb)
    from project_cost_items where project_id = p_id
$$;

create or replace function kc_project_set_cost_items(p_user bigint, p_username text, p_peer text, p_role text,
                                                     p_scope bigint, p jsonb) returns jsonb
language plpgsql as $$
declare
  cur projects;
  v plans;
  c support_caps;
  v_err jsonb;
  v_before jsonb;
  v_after jsonb;
  v_total numeric;
  v_mgmt numeric;
  v_limit numeric;
  v_warnings jsonb := '[]'::jsonb;
  v_msg text;
begin
  select * into cur from projects where id = (p->>'id')::bigint for update;
  if found then
    select * into v from plans where id = cur.plan_id;
  end if;
  v_err := kc_record_check('project', cur.id is not null and p_scope is not null
                                      and kc_plan_visible(v.org_id, v.scope, v.status, p_scope),
                           cur.version, (p->>'version')::integer, cur.status,
                           array['draft', 'revision_requested']);
  if v_err is not null then
    return v_err;
  end if;
  -- C24: management items within their share of the whole estimate
  select coalesce(sum(x.t), 0), coalesce(sum(x.t) filter (where x.m), 0) into v_total, v_mgmt
    from (select coalesce((e->>'central')::numeric, 0) + coalesce((e->>'local')::numeric, 0)
                 + coalesce((e->>'counterpart')::numeric, 0) + coalesce((e->>'other')::numeric, 0) as t,
                 coalesce((e->>'management')::boolean, false) as m
            from jsonb_array_elements(p->'items') e) x;
  select * into c from support_caps
   where cap_code = 'C24' and kc_valid_on(valid_from, valid_to, kc_rules_day(v))
   order by valid_from desc limit 1;
  if v_mgmt > 0 and c.pct_cap is not null then
    v_limit := floor(v_total * c.pct_cap / 100);
    if v_mgmt > v_limit then
      v_msg := format('the implementer''s management costs (%s đồng) exceed %s %% of the estimate of %s đồng: at most %s đồng (C24, %s)%s',
                      v_mgmt, c.pct_cap, v_total, v_limit, c.legal_act,
                      case when c.confidence = 'U' then '; this cap value is unconfirmed (confidence U)' else '' end);
      if c.confidence <> 'U' then
        return kc_rule_err('items', 'management_cost', v_msg,
                           jsonb_build_object('limit', v_limit, 'management', v_mgmt, 'cap_id', c.id));
      end if;
      v_warnings := jsonb_build_array(kc_violation('items', 'management_cost', v_msg));
    end if;
  end if;
  v_before := jsonb_build_object('version', cur.version, 'cost_items', kc_cost_items_json(cur.id));
  perform kc_actor_set(p_user, p_role);
  delete from project_cost_items where project_id = cur.id;
  insert into project_cost_items (project_id, seq, item, unit, quantity, unit_price, central, local,
                                  counterpart, other, management)
  select cur.id, i, e->>'item', e->>'unit', (e->>'quantity')::bigint, (e->>'unit_price')::bigint,
         coalesce((e->>'central')::bigint, 0), coalesce((e->>'local')::bigint, 0),
         coalesce((e->>'counterpart')::bigint, 0), coalesce((e->>'other')::bigint, 0),
         coalesce((e->>'management')::boolean, false)
    from jsonb_array_elements(p->'items') with ordinality t (e, i);
  update projects set version = version + 1 where id = cur.id;
  v_after := jsonb_build_object('version', cur.version + 1, 'cost_items', kc_cost_items_json(cur.id));
  perform kc_audit(p_user, p_username, p_peer, 'project.set_cost_items', 'project', cur.id, v_before, v_after);
  return jsonb_build_object('result', jsonb_build_object('id', cur.id) || v_after
                                      || jsonb_build_object('warnings', v_warnings));
end $$;
