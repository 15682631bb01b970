-- 0008_project_progress.sql — the life of a project after approval (issue 3):
-- monthly progress reports and the province's confirmation, acceptance
-- (nghiệm thu), adjustment requests decided by the role the law names for
-- their type and applied only when approved, suspension or cancellation,
-- and the register of typical rural industrial product certificates from
-- which the typical_product priority flag is derived.
--
-- Sources (DOMAIN.md): §2.6 adjustments (TT 36/2013 Art. 11), §2.8
-- acceptance (TT 36/2013 Art. 14, 21, 23.5), §2.9 monthly reports before
-- the 25th (TT 36/2013 Art. 23.3.a), §2.11 steps 15–20, §5 certificates
-- (TT 26/2014/TT-BCT), §1.5 the typical product priority (TT 46/2012 Art. 6.2).
--
-- Every function follows 0005: one statement; scope (1004) → the caller's
-- role for this record (1003) → version (1009) → status (1010) → rules
-- (1022); kc_actor_set for the triggers; kc_audit last.

-- ---------------------------------------------------------------------------
-- Transitions added for acceptance (0005 had in_progress → completed by the
-- leader only): an approved project may be accepted directly (a project
-- whose implementation was never recorded as started), and on national
-- projects the Ministry's department may accept (Mẫu 5c, projects the Cục
-- accepts itself, TT 36/2013 Art. 14).
-- ---------------------------------------------------------------------------
insert into project_transitions (from_status, to_status, to_stage, role, scope, action, legal_basis)
values
  ('approved', 'completed', 'accepted', 'province_leader', 'any', 'project.accept', 'TT 36/2013 Art. 14, 21, 23.5'),
  ('approved', 'completed', 'accepted', 'ministry_reviewer', 'national', 'project.accept (Mẫu 5c)', 'TT 36/2013 Art. 14'),
  ('approved', 'completed', 'accepted', 'ministry_approver', 'national', 'project.accept (Mẫu 5c)', 'TT 36/2013 Art. 14'),
  ('in_progress', 'completed', 'accepted', 'ministry_reviewer', 'national', 'project.accept (Mẫu 5c)', 'TT 36/2013 Art. 14'),
  ('in_progress', 'completed', 'accepted', 'ministry_approver', 'national', 'project.accept (Mẫu 5c)', 'TT 36/2013 Art. 14')
on conflict do nothing;

-- ---------------------------------------------------------------------------
-- Monthly progress reports (Mẫu 3a, TT 36/2013 Art. 23.3.a: before the 25th)
-- ---------------------------------------------------------------------------
create table project_progress_reports (
  id bigint generated always as identity primary key,
  project_id bigint not null references projects (id),
  period date not null check (extract(day from period) = 1),  -- the month reported on
  percent_done integer not null check (percent_done between 0 and 100),
  -- [{code, achieved}]: indicators of the project, achieved so far
  indicators jsonb not null default '[]' check (jsonb_typeof(indicators) = 'array'),
  difficulties text check (length(difficulties) <= 20000),
  submitted_by bigint not null references users (id),
  submitted_at timestamptz not null default now(),
  -- submitted after the 25th of the month reported on (Vietnam time)
  late boolean not null,
  confirmed_by bigint references users (id),
  confirmed_at timestamptz,
  version integer not null default 1,
  unique (project_id, period)
);

-- ---------------------------------------------------------------------------
-- Acceptance (nghiệm thu, Mẫu 5a/5b/5c)
-- ---------------------------------------------------------------------------
create table project_acceptances (
  project_id bigint primary key references projects (id),
  accepted_on date not null,
  record_no text not null check (length(record_no) between 1 and 100),
  indicators jsonb not null default '[]' check (jsonb_typeof(indicators) = 'array'),
  note text check (length(note) <= 20000),
  accepted_by bigint not null references users (id),
  accepted_role text not null,
  accepted_at timestamptz not null default now()
);

-- ---------------------------------------------------------------------------
-- Adjustments (TT 36/2013 Art. 11; DOMAIN §2.6)
-- ---------------------------------------------------------------------------
create table project_adjustments (
  id bigint generated always as identity primary key,
  project_id bigint not null references projects (id),
  type text not null check (type in ('minor', 'increase_support', 'change_content',
                                     'extend_next_year', 'change_location_beneficiary_partner',
                                     'group_change')),
  changes jsonb not null check (jsonb_typeof(changes) = 'object'),
  reason text not null check (length(reason) between 1 and 20000),
  status text not null default 'requested' check (status in ('requested', 'approved', 'rejected')),
  -- who may decide, derived from the type and the plan's scope at request
  approver_roles text[] not null,
  requested_by bigint not null references users (id),
  requested_at timestamptz not null default now(),
  decided_by bigint references users (id),
  decided_role text,
  decided_at timestamptz,
  comment text check (length(comment) <= 20000),
  -- the project's version the approved changes produced
  applied_version integer,
  version integer not null default 1
);
create index project_adjustments_project_idx on project_adjustments (project_id, id);
-- at most one open request per project
create unique index project_adjustments_open_idx on project_adjustments (project_id)
  where status = 'requested';

-- ---------------------------------------------------------------------------
-- Suspension / cancellation (TT 36/2013 Art. 11.2.a, 11.3; NĐ 45 Art. 16)
-- ---------------------------------------------------------------------------
create table project_cancellations (
  project_id bigint primary key references projects (id),
  kind text not null default 'cancellation' check (kind in ('suspension', 'cancellation')),
  reason text not null check (length(reason) between 1 and 20000),
  decision_no text not null check (length(decision_no) between 1 and 100),
  decision_date date,
  cancelled_by bigint not null references users (id),
  cancelled_role text not null,
  cancelled_at timestamptz not null default now()
);

-- ---------------------------------------------------------------------------
-- Typical rural industrial products (TT 26/2014/TT-BCT; DOMAIN §5)
-- ---------------------------------------------------------------------------
create table typical_products (
  id bigint generated always as identity primary key,
  product_name text not null check (length(product_name) between 1 and 300),
  establishment_name text not null check (length(establishment_name) between 1 and 300),
  tax_code text check (length(tax_code) between 1 and 20),
  level text not null check (level in ('district', 'province', 'regional', 'national')),
  year integer not null check (year between 2000 and 2100),   -- the round's year
  score numeric(5, 2) check (score between 0 and 100),
  certificate_no text not null check (length(certificate_no) between 1 and 100),
  issued_on date,
  -- from issue until 31 December of the 3rd year counting the year of issue
  valid_until date not null,
  revoked boolean not null default false,
  org_id bigint not null references orgs (id),                -- the province
  version integer not null default 1,
  created_by bigint not null references users (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (level, year, certificate_no)
);
create index typical_products_tax_idx on typical_products (tax_code);

-- A certificate valid on @p_on: issued by then (an unknown issue date counts
-- as the last day of the round's year), not expired, not revoked.
create function kc_certificate_valid(t typical_products, p_on date) returns boolean
language sql stable as $$
  select not t.revoked and coalesce(t.issued_on, make_date(t.year, 12, 31)) <= p_on
         and t.valid_until >= p_on
$$;

-- The project's certificates valid on 1 January of its plan year, matched by
-- a beneficiary's tax code.
-- (PL/pgSQL for its cached plan: see kc_project_search_text in 0005.)
create function kc_project_typical_certificates(p_id bigint) returns jsonb
language plpgsql stable as $$
begin
  return (
  select coalesce(jsonb_agg(jsonb_build_object('id', t.id, 'certificate_no', t.certificate_no,
                                               'level', t.level, 'year', t.year,
                                               'product_name', t.product_name,
                                               'tax_code', t.tax_code,
                                               'valid_until', t.valid_until) order by t.id),
                  '[]'::jsonb)
    from projects pr join plans pl on pl.id = pr.plan_id
    join typical_products t on kc_certificate_valid(t, make_date(pl.year, 1, 1))
   where pr.id = p_id
     and t.tax_code in (select b.tax_code from project_beneficiaries b
                         where b.project_id = pr.id and b.tax_code is not null));
end $$;

-- The derived priority flag (TT 46/2012 Art. 6.2: holds a valid certificate).
-- projects.typical_product (typed, 0005) is ignored from this migration on.
create function kc_project_typical(p_id bigint) returns boolean
language plpgsql stable as $$
begin
  return jsonb_array_length(kc_project_typical_certificates(p_id)) > 0;
end $$;

-- 1 when an approved adjustment extended the project into the next year.
create function kc_project_extension(p_id bigint) returns integer
language sql stable as $$
  select case when exists (select 1 from project_adjustments a
                            where a.project_id = p_id and a.type = 'extend_next_year'
                              and a.status = 'approved') then 1 else 0 end
$$;

-- Who decides an adjustment of @p_type for a plan of @p_scope (DOMAIN §2.6):
-- national — the Minister (ministry_approver) for more support, a content
-- change or an extension into the next year; the Ministry's department
-- (ministry_reviewer, or ministry_approver above it) for minor changes and
-- a change of location, beneficiary, partner or timing; the Department of
-- Industry and Trade (province_leader) for a group project's location,
-- partner or beneficiary. Local — the province (NĐ 45/2012 Art. 16: the
-- province sets the local procedure): province_leader for every type.
create function kc_adjustment_approvers(p_type text, p_scope text) returns text[]
language sql immutable as $$
  select case
    when p_scope = 'local' then array['province_leader']
    when p_type in ('increase_support', 'change_content', 'extend_next_year') then array['ministry_approver']
    when p_type = 'group_change' then array['province_leader']
    else array['ministry_reviewer', 'ministry_approver'] end
$$;

-- The members of changes each type may carry.
create function kc_adjustment_fields(p_type text) returns text[]
language sql immutable as $$
  select case p_type
    when 'increase_support' then array['budget_lines', 'total_cost', 'cap_code']
    when 'change_content' then array['content_category', 'content_categories', 'indicators',
                                     'objectives', 'scale_and_novelty', 'work_items',
                                     'budget_lines', 'total_cost', 'cap_code']
    when 'extend_next_year' then array['end_date', 'work_items']
    when 'change_location_beneficiary_partner' then array['locations', 'beneficiaries', 'partners',
                                                           'start_date', 'end_date']
    when 'group_change' then array['locations', 'beneficiaries', 'partners']
    when 'minor' then array['implementer', 'implementation', 'objectives', 'scale_and_novelty',
                            'work_items', 'indicators', 'budget_lines', 'total_cost',
                            'start_date', 'end_date']
  end
$$;

create function kc_is_int(p jsonb) returns boolean
language sql immutable as $$
  select jsonb_typeof(p) = 'number' and (p::text ~ '^[0-9]{1,15}$')
$$;

create function kc_is_date(p jsonb) returns boolean
language plpgsql immutable as $$
begin
  if jsonb_typeof(p) <> 'string' or (p #>> '{}') !~ '^\d{4}-\d{2}-\d{2}$' then
    return false;
  end if;
  perform (p #>> '{}')::date;
  return true;
exception when others then
  return false;
end $$;

-- The shape of changes' members (the server checks only that changes is an
-- object): violations by field "changes.<member>…".
create function kc_adjustment_shape(p_type text, c jsonb) returns jsonb
language sql stable as $$
  select coalesce(jsonb_agg(x), '[]'::jsonb) from (
    select kc_violation('changes', 'not_empty', 'an adjustment changes at least one field') as x
     where c = '{}'::jsonb
    union all
    select kc_violation('changes.' || k, 'type',
                        format('an adjustment of type %s may change only: %s', p_type,
                               array_to_string(kc_adjustment_fields(p_type), ', ')))
      from jsonb_object_keys(c) k where not (k = any (kc_adjustment_fields(p_type)))
    union all
    select kc_violation('changes.' || k, 'format', 'must be a list')
      from jsonb_each(c) e (k, v)
     where k in ('budget_lines', 'indicators', 'beneficiaries', 'partners', 'locations',
                 'work_items', 'content_categories') and jsonb_typeof(v) <> 'array'
    union all
    select kc_violation(format('changes.budget_lines[%s].amount', i - 1), 'format',
                        'must be an integer between 0 and 10^15')
      from jsonb_array_elements(case when jsonb_typeof(c->'budget_lines') = 'array'
                                     then c->'budget_lines' else '[]' end) with ordinality y (e, i)
     where jsonb_typeof(e) <> 'object' or not kc_is_int(e->'amount')
           or jsonb_typeof(e->'source') is distinct from 'string'
    union all
    select kc_violation(format('changes.indicators[%s].target', i - 1), 'format',
                        'must be an integer between 0 and 10^15')
      from jsonb_array_elements(case when jsonb_typeof(c->'indicators') = 'array'
                                     then c->'indicators' else '[]' end) with ordinality y (e, i)
     where jsonb_typeof(e) <> 'object' or not kc_is_int(e->'target')
           or jsonb_typeof(e->'code') is distinct from 'string'
    union all
    select kc_violation(format('changes.beneficiaries[%s]', i - 1), 'format',
                        'must be an object with name and kind (enterprise, cooperative, cooperative_group, household_business)')
      from jsonb_array_elements(case when jsonb_typeof(c->'beneficiaries') = 'array'
                                     then c->'beneficiaries' else '[]' end) with ordinality y (e, i)
     where jsonb_typeof(e) <> 'object' or jsonb_typeof(e->'name') is distinct from 'string'
           or coalesce(e->>'kind', '') not in ('enterprise', 'cooperative', 'cooperative_group',
                                               'household_business')
           or (e ? 'province_org_id' and jsonb_typeof(e->'province_org_id') <> 'null'
               and not kc_is_int(e->'province_org_id'))
    union all
    select kc_violation('changes.' || k, 'format', 'must be a date as YYYY-MM-DD')
      from jsonb_each(c) e (k, v) where k in ('start_date', 'end_date') and not kc_is_date(v)
    union all
    select kc_violation('changes.total_cost', 'format', 'must be an integer between 0 and 10^15')
     where c ? 'total_cost' and jsonb_typeof(c->'total_cost') <> 'null' and not kc_is_int(c->'total_cost')
    union all
    select kc_violation('changes.' || k, 'format', 'must be a string')
      from jsonb_each(c) e (k, v)
     where k in ('content_category', 'cap_code', 'implementer', 'implementation', 'objectives',
                 'scale_and_novelty') and jsonb_typeof(v) not in ('string', 'null')
  ) t
$$;

create function kc_progress_json(r project_progress_reports) returns jsonb
language sql stable as $$
  select jsonb_build_object('id', r.id, 'project_id', r.project_id,
                            'period', to_char(r.period, 'YYYY-MM'),
                            'percent_done', r.percent_done, 'indicators', r.indicators,
                            'difficulties', r.difficulties, 'submitted_by', r.submitted_by,
                            'submitted_at', kc_instant(r.submitted_at), 'late', r.late,
                            'due', make_date(extract(year from r.period)::integer,
                                             extract(month from r.period)::integer, 25),
                            'confirmed_by', r.confirmed_by,
                            'confirmed_at', kc_instant(r.confirmed_at),
                            'confirmed', r.confirmed_at is not null, 'version', r.version)
$$;

create function kc_adjustment_json(a project_adjustments) returns jsonb
language sql stable as $$
  select jsonb_build_object('id', a.id, 'project_id', a.project_id, 'type', a.type,
                            'changes', a.changes, 'reason', a.reason, 'status', a.status,
                            'approver_roles', to_jsonb(a.approver_roles),
                            'requested_by', a.requested_by,
                            'requested_at', kc_instant(a.requested_at),
                            'decided_by', a.decided_by, 'decided_role', a.decided_role,
                            'decided_at', kc_instant(a.decided_at), 'comment', a.comment,
                            'applied_version', a.applied_version, 'version', a.version)
$$;

create function kc_typical_product_json(t typical_products) returns jsonb
language sql stable as $$
  select to_jsonb(t) - 'created_at' - 'updated_at'
         || jsonb_build_object('valid_now', kc_certificate_valid(t, (now() at time zone 'Asia/Ho_Chi_Minh')::date),
                               'created_at', kc_instant(t.created_at),
                               'updated_at', kc_instant(t.updated_at))
$$;

-- Indicator lists [{code, achieved}] of reports and acceptances: each code
-- one of the project's indicators, once.
create function kc_achieved_violations(p_id bigint, p_list jsonb) returns jsonb
language sql stable as $$
  select coalesce(jsonb_agg(kc_violation(format('indicators[%s].code', i - 1),
                                         case when n > 1 then 'unique' else 'exists' end,
                                         case when n > 1 then 'this indicator is given twice'
                                              else format('%s is not an indicator of the project', code) end)
                            order by i), '[]'::jsonb)
    from (select e->>'code' as code, i, count(*) over (partition by e->>'code') as n,
                 row_number() over (partition by e->>'code' order by i) as rn
            from jsonb_array_elements(coalesce(p_list, '[]')) with ordinality y (e, i)) x
   where (x.n > 1 and x.rn > 1)
      or not exists (select 1 from project_indicators pi
                      where pi.project_id = p_id and pi.indicator = x.code)
$$;

-- ---------------------------------------------------------------------------
-- progress.report {project_id, period "YYYY-MM", percent_done,
--                  indicators [{code, achieved}], difficulties}
-- ---------------------------------------------------------------------------
create function kc_progress_report(p_user bigint, p_username text, p_peer text, p_role text,
                                   p_scope bigint, p jsonb) returns jsonb
language plpgsql as $$
declare
  pr projects;
  v plans;
  k project_kinds;
  r project_progress_reports;
  v_period date := to_date(p->>'period' || '-01', 'YYYY-MM-DD');
  v_last date;
  v_viol jsonb;
begin
  select * into pr from projects where id = (p->>'project_id')::bigint for update;
  if found then
    select * into v from plans where id = pr.plan_id;
  end if;
  if pr.id is null or p_scope is null or not kc_plan_visible(v.org_id, v.scope, v.status, p_scope) then
    return kc_err(1004, 'no such project');
  end if;
  if pr.status not in ('approved', 'in_progress') then
    return kc_err(1010, format('progress is reported on an approved project; this project is %s', pr.status),
                  jsonb_build_object('status', pr.status));
  end if;
  select * into k from project_kinds where code = pr.kind;
  v_last := date_trunc('month', coalesce(pr.end_date,
              make_date(v.year + coalesce(k.max_years, 1) - 1 + kc_project_extension(pr.id), 12, 31)))::date;
  select coalesce(jsonb_agg(x), '[]'::jsonb) into v_viol from (
    select kc_violation('period', 'project_period',
                        format('the period is a month of the project, %s to %s',
                               to_char(make_date(v.year, 1, 1), 'MM/YYYY'), to_char(v_last, 'MM/YYYY'))) as x
     where v_period < make_date(v.year, 1, 1) or v_period > v_last
    union all
    select kc_violation('period', 'unique', format('progress for %s is already reported', p->>'period'))
     where exists (select 1 from project_progress_reports x
                    where x.project_id = pr.id and x.period = v_period)
    union all
    select e from jsonb_array_elements(kc_achieved_violations(pr.id, p->'indicators')) e) t;
  if jsonb_array_length(v_viol) > 0 then
    return kc_err(1022, v_viol->0->>'message', jsonb_build_object('violations', v_viol));
  end if;
  insert into project_progress_reports (project_id, period, percent_done, indicators, difficulties,
                                        submitted_by, late)
  values (pr.id, v_period, (p->>'percent_done')::integer, coalesce(p->'indicators', '[]'),
          p->>'difficulties', p_user,
          (now() at time zone 'Asia/Ho_Chi_Minh')::date > v_period + 24)
  returning * into r;
  perform kc_audit(p_user, p_username, p_peer, 'progress.report', 'progress_report', r.id, null,
                   kc_progress_json(r));
  return jsonb_build_object('result', kc_progress_json(r));
end $$;

-- progress.confirm {id, version}: the Department's confirmation (SCT).
create function kc_progress_confirm(p_user bigint, p_username text, p_peer text, p_role text,
                                    p_scope bigint, p jsonb) returns jsonb
language plpgsql as $$
declare
  r project_progress_reports;
  v plans;
  v_err jsonb;
  v_before jsonb;
begin
  select * into r from project_progress_reports where id = (p->>'id')::bigint for update;
  if found then
    select pl.* into v from plans pl join projects pr on pr.plan_id = pl.id where pr.id = r.project_id;
  end if;
  v_err := kc_record_check('progress report', r.id is not null and p_scope is not null
                                              and kc_plan_visible(v.org_id, v.scope, v.status, p_scope),
                           r.version, (p->>'version')::integer,
                           case when r.confirmed_at is null then 'submitted' else 'confirmed' end,
                           array['submitted']);
  if v_err is not null then
    return v_err;
  end if;
  v_before := kc_progress_json(r);
  update project_progress_reports set confirmed_by = p_user, confirmed_at = now(), version = version + 1
   where id = r.id returning * into r;
  perform kc_audit(p_user, p_username, p_peer, 'progress.confirm', 'progress_report', r.id, v_before,
                   kc_progress_json(r));
  return jsonb_build_object('result', kc_progress_json(r));
end $$;

-- progress.list {project_id}
create function kc_progress_list(p_scope bigint, p jsonb) returns jsonb
language sql stable as $$
  select coalesce(
    (select jsonb_build_object('result', jsonb_build_object('items',
              coalesce((select jsonb_agg(kc_progress_json(r) order by r.period)
                          from project_progress_reports r where r.project_id = pr.id), '[]'::jsonb)))
       from projects pr join plans pl on pl.id = pr.plan_id
      where pr.id = (p->>'project_id')::bigint and kc_plan_visible(pl.org_id, pl.scope, pl.status, p_scope)),
    kc_err(1004, 'no such project'))
$$;

-- ---------------------------------------------------------------------------
-- project.accept {id, version, accepted_on, record_no, indicators, note}
-- local: province_leader; national: province_leader (base acceptance by the
-- Department, Mẫu 5a/5b) or the Ministry's department (Mẫu 5c).
-- ---------------------------------------------------------------------------
create function kc_project_accept(p_user bigint, p_username text, p_peer text, p_role text,
                                  p_scope bigint, p jsonb) returns jsonb
language plpgsql as $$
declare
  pr projects;
  v plans;
  v_err jsonb;
  v_viol jsonb;
  v_before jsonb;
  v_after jsonb;
  v_on date := (p->>'accepted_on')::date;
begin
  select * into pr from projects where id = (p->>'id')::bigint for update;
  if found then
    select * into v from plans where id = pr.plan_id;
  end if;
  if pr.id is null or not kc_plan_visible(v.org_id, v.scope, v.status, p_scope) then
    return kc_err(1004, 'no such project');
  end if;
  if v.scope = 'local' and p_role <> 'province_leader' then
    return kc_err(1003, 'a local project is accepted by the province');
  end if;
  v_err := kc_record_check('project', true, pr.version, (p->>'version')::integer, pr.status,
                           array['approved', 'in_progress']);
  if v_err is not null then
    return v_err;
  end if;
  select coalesce(jsonb_agg(x), '[]'::jsonb) into v_viol from (
    select kc_violation('accepted_on', 'future', 'the acceptance date is not in the future') as x
     where v_on > (now() at time zone 'Asia/Ho_Chi_Minh')::date
    union all
    select kc_violation('accepted_on', 'order', 'the acceptance is not before the project starts')
     where pr.start_date is not null and v_on < pr.start_date
    union all
    select e from jsonb_array_elements(kc_achieved_violations(pr.id, p->'indicators')) e) t;
  if jsonb_array_length(v_viol) > 0 then
    return kc_err(1022, v_viol->0->>'message', jsonb_build_object('violations', v_viol));
  end if;
  v_before := kc_project_json(pr.id, true) - 'history';
  perform kc_actor_set(p_user, p_role, p->>'note', p->>'record_no');
  insert into project_acceptances (project_id, accepted_on, record_no, indicators, note,
                                   accepted_by, accepted_role)
  values (pr.id, v_on, p->>'record_no', coalesce(p->'indicators', '[]'), p->>'note', p_user, p_role);
  update project_indicators i set achieved = (e->>'achieved')::bigint
    from jsonb_array_elements(coalesce(p->'indicators', '[]')) e
   where i.project_id = pr.id and i.indicator = e->>'code';
  update projects set status = 'completed', stage = 'accepted', version = version + 1 where id = pr.id;
  v_after := kc_project_json(pr.id, true);
  perform kc_audit(p_user, p_username, p_peer, 'project.accept', 'project', pr.id, v_before,
                   v_after - 'history');
  return jsonb_build_object('result', v_after);
end $$;

-- ---------------------------------------------------------------------------
-- adjustment.request {project_id, type, changes, reason}
-- ---------------------------------------------------------------------------
create function kc_adjustment_request(p_user bigint, p_username text, p_peer text, p_role text,
                                      p_scope bigint, p jsonb) returns jsonb
language plpgsql as $$
declare
  pr projects;
  v plans;
  a project_adjustments;
  c jsonb := p->'changes';
  v_type text := p->>'type';
  v_viol jsonb;
  v_old_central bigint;
  v_new_central bigint;
begin
  select * into pr from projects where id = (p->>'project_id')::bigint for update;
  if found then
    select * into v from plans where id = pr.plan_id;
  end if;
  if pr.id is null or p_scope is null or not kc_plan_visible(v.org_id, v.scope, v.status, p_scope) then
    return kc_err(1004, 'no such project');
  end if;
  if pr.status not in ('approved', 'in_progress') then
    return kc_err(1010, format('an adjustment is requested for an approved project; this project is %s', pr.status),
                  jsonb_build_object('status', pr.status));
  end if;
  v_viol := kc_adjustment_shape(v_type, c);
  if jsonb_array_length(v_viol) = 0 then
    v_viol := kc_project_violations(c, coalesce((c->>'start_date')::date, pr.start_date),
                                    coalesce((c->>'end_date')::date, pr.end_date));
    select coalesce(sum(amount) filter (where source = 'central'), 0) into v_old_central
      from project_budget_lines where project_id = pr.id;
    v_new_central := coalesce((select sum((e->>'amount')::bigint) from jsonb_array_elements(c->'budget_lines') e
                                where e->>'source' = 'central'), 0);
    select v_viol || coalesce(jsonb_agg(x), '[]'::jsonb) into v_viol from (
      select kc_violation('type', 'group_project', 'a group change is for a group project (đề án nhóm)') as x
       where v_type = 'group_change' and pr.kind <> 'group'
      union all
      select kc_violation('changes.budget_lines', 'increase_support',
                          format('the central support rises from %s đ to %s đ: that is an adjustment of type increase_support, approved by the Minister (TT 36/2013 Art. 11.2.a)',
                                 kc_vnd(v_old_central), kc_vnd(v_new_central)))
       where v_type <> 'increase_support' and c ? 'budget_lines' and v_new_central > v_old_central
      union all
      select kc_violation('changes.budget_lines', 'not_an_increase',
                          format('an increase of support raises the central support above %s đ', kc_vnd(v_old_central)))
       where v_type = 'increase_support' and (not c ? 'budget_lines' or v_new_central <= v_old_central)
      union all
      select kc_violation('changes.end_date', 'next_year',
                          format('an extension into the next year ends in %s or later', v.year + 1))
       where v_type = 'extend_next_year'
         and (not c ? 'end_date' or extract(year from (c->>'end_date')::date) <= v.year)
      union all
      select kc_violation('project_id', 'pending', format('adjustment %s of this project is still to be decided', x.id))
        from project_adjustments x where x.project_id = pr.id and x.status = 'requested') t;
  end if;
  if jsonb_array_length(v_viol) > 0 then
    return kc_err(1022, v_viol->0->>'message', jsonb_build_object('violations', v_viol));
  end if;
  insert into project_adjustments (project_id, type, changes, reason, approver_roles, requested_by)
  values (pr.id, v_type, c, p->>'reason', kc_adjustment_approvers(v_type, v.scope), p_user)
  returning * into a;
  perform kc_audit(p_user, p_username, p_peer, 'adjustment.request', 'project_adjustment', a.id, null,
                   kc_adjustment_json(a));
  return jsonb_build_object('result', kc_adjustment_json(a));
end $$;

-- ---------------------------------------------------------------------------
-- adjustment.decide {id, version, decision: approve|reject, comment}
-- Approving applies the changes to the project (version + 1, the rules of
-- 0006 checked again: a violation refuses the approval, 1022) and writes a
-- history row; all in this one statement.
-- ---------------------------------------------------------------------------
create function kc_adjustment_decide(p_user bigint, p_username text, p_peer text, p_role text,
                                     p_scope bigint, p jsonb) returns jsonb
language plpgsql as $$
declare
  a project_adjustments;
  cur projects;
  r projects;
  v plans;
  c jsonb;
  v_err jsonb;
  v_viol jsonb;
  v_check jsonb;
  v_before jsonb;
  v_after jsonb;
begin
  select * into a from project_adjustments where id = (p->>'id')::bigint for update;
  if found then
    select * into cur from projects where id = a.project_id for update;
    select * into v from plans where id = cur.plan_id;
  end if;
  if a.id is null or not kc_plan_visible(v.org_id, v.scope, v.status, p_scope) then
    return kc_err(1004, 'no such adjustment');
  end if;
  if not (p_role = any (a.approver_roles)) then
    return kc_err(1003, format('an adjustment of type %s of a %s project is decided by %s', a.type,
                               v.scope, array_to_string(a.approver_roles, ' or ')),
                  jsonb_build_object('approver_roles', to_jsonb(a.approver_roles)));
  end if;
  v_err := kc_record_check('adjustment', true, a.version, (p->>'version')::integer, a.status,
                           array['requested']);
  if v_err is null and cur.status not in ('approved', 'in_progress') then
    v_err := kc_err(1010, format('the project is %s', cur.status), jsonb_build_object('status', cur.status));
  end if;
  if v_err is not null then
    return v_err;
  end if;
  v_before := jsonb_build_object('adjustment', kc_adjustment_json(a),
                                 'project', kc_project_json(cur.id, true) - 'history');
  if p->>'decision' = 'reject' then
    update project_adjustments set status = 'rejected', decided_by = p_user, decided_role = p_role,
                                   decided_at = now(), comment = p->>'comment', version = version + 1
     where id = a.id returning * into a;
    v_after := jsonb_build_object('adjustment', kc_adjustment_json(a));
    perform kc_audit(p_user, p_username, p_peer, 'adjustment.decide', 'project_adjustment', a.id,
                     v_before - 'project', v_after);
    return jsonb_build_object('result', v_after->'adjustment');
  end if;
  c := a.changes;
  r := kc_project_apply(cur, c);
  v_viol := kc_project_violations(c, r.start_date, r.end_date);
  if jsonb_array_length(v_viol) > 0 then
    return kc_err(1022, v_viol->0->>'message', jsonb_build_object('violations', v_viol));
  end if;
  perform kc_actor_set(p_user, p_role, p->>'comment', null);
  begin
    -- first, so that kc_project_check sees an approved extension
    update project_adjustments set status = 'approved', decided_by = p_user, decided_role = p_role,
                                   decided_at = now(), comment = p->>'comment',
                                   applied_version = cur.version + 1, version = version + 1
     where id = a.id returning * into a;
    perform kc_project_write_lists(cur.id, c);
    update projects set implementer = r.implementer, partners = r.partners, locations = r.locations,
           objectives = r.objectives, scale_and_novelty = r.scale_and_novelty,
           work_items = r.work_items, implementation = r.implementation,
           start_date = r.start_date, end_date = r.end_date, cap_code = r.cap_code,
           total_cost = r.total_cost, version = version + 1
     where id = cur.id;
    v_check := kc_project_check(cur.id, false);
    if jsonb_array_length(v_check->'violations') > 0 then
      raise exception 'project rules' using errcode = 'KC022';
    end if;
  exception when sqlstate 'KC022' then
    return kc_err(1022, v_check->'violations'->0->>'message',
                  jsonb_build_object('violations', v_check->'violations',
                                     'warnings', v_check->'warnings'));
  end;
  perform kc_project_record_check(cur.id, false);
  -- the status does not change: the history row of the adjustment itself
  insert into project_history (project_id, from_status, to_status, from_stage, to_stage, actor_id,
                               actor_role, comment, document_no)
  values (cur.id, cur.status, cur.status, cur.stage, cur.stage, p_user, p_role,
          format('adjustment %s (%s) approved: %s%s', a.id, a.type,
                 (select string_agg(k, ', ' order by k) from jsonb_object_keys(c) k),
                 coalesce(' — ' || nullif(p->>'comment', ''), '')),
          null);
  v_after := jsonb_build_object('adjustment', kc_adjustment_json(a),
                                'project', kc_project_json(cur.id, true) - 'history');
  perform kc_audit(p_user, p_username, p_peer, 'adjustment.decide', 'project_adjustment', a.id,
                   v_before, v_after);
  return jsonb_build_object('result', kc_adjustment_json(a) || jsonb_build_object('project', v_after->'project'));
end $$;

-- adjustment.list {project_id}
create function kc_adjustment_list(p_scope bigint, p jsonb) returns jsonb
language sql stable as $$
  select coalesce(
    (select jsonb_build_object('result', jsonb_build_object('items',
              coalesce((select jsonb_agg(kc_adjustment_json(a) order by a.id)
                          from project_adjustments a where a.project_id = pr.id), '[]'::jsonb)))
       from projects pr join plans pl on pl.id = pr.plan_id
      where pr.id = (p->>'project_id')::bigint and kc_plan_visible(pl.org_id, pl.scope, pl.status, p_scope)),
    kc_err(1004, 'no such project'))
$$;

-- ---------------------------------------------------------------------------
-- project.cancel {id, version, reason, decision_no, decision_date, kind}
-- national: the Minister (ministry_approver); local: province_leader.
-- ---------------------------------------------------------------------------
create function kc_project_cancel(p_user bigint, p_username text, p_peer text, p_role text,
                                  p_scope bigint, p jsonb) returns jsonb
language plpgsql as $$
declare
  pr projects;
  v plans;
  v_err jsonb;
  v_before jsonb;
  v_after jsonb;
begin
  select * into pr from projects where id = (p->>'id')::bigint for update;
  if found then
    select * into v from plans where id = pr.plan_id;
  end if;
  if pr.id is null or not kc_plan_visible(v.org_id, v.scope, v.status, p_scope) then
    return kc_err(1004, 'no such project');
  end if;
  if p_role <> (case v.scope when 'national' then 'ministry_approver' else 'province_leader' end) then
    return kc_err(1003, case v.scope when 'national'
                             then 'a national project is suspended or cancelled by the Minister (TT 36/2013 Art. 11.2.a)'
                             else 'a local project is suspended or cancelled by the province' end);
  end if;
  v_err := kc_record_check('project', true, pr.version, (p->>'version')::integer, pr.status,
                           array['approved', 'in_progress']);
  if v_err is not null then
    return v_err;
  end if;
  v_before := kc_project_json(pr.id, true) - 'history';
  perform kc_actor_set(p_user, p_role, p->>'reason', p->>'decision_no');
  insert into project_cancellations (project_id, kind, reason, decision_no, decision_date,
                                     cancelled_by, cancelled_role)
  values (pr.id, coalesce(p->>'kind', 'cancellation'), p->>'reason', p->>'decision_no',
          (p->>'decision_date')::date, p_user, p_role);
  update project_adjustments set status = 'rejected', decided_by = p_user, decided_role = p_role,
                                 decided_at = now(), comment = 'the project was cancelled',
                                 version = version + 1
   where project_id = pr.id and status = 'requested';
  update projects set status = 'cancelled', stage = 'cancelled', version = version + 1 where id = pr.id;
  v_after := kc_project_json(pr.id, true);
  perform kc_audit(p_user, p_username, p_peer, 'project.cancel', 'project', pr.id, v_before,
                   v_after - 'history');
  return jsonb_build_object('result', v_after);
end $$;

-- ---------------------------------------------------------------------------
-- typical_product.create / update / list: admin (any province) and
-- province_leader (their province).
-- ---------------------------------------------------------------------------
create function kc_typical_product_violations(t typical_products) returns jsonb
language sql stable as $$
  select coalesce(jsonb_agg(x), '[]'::jsonb) from (
    select kc_violation('org_id', 'exists', 'no such province') as x
     where not exists (select 1 from orgs o where o.id = t.org_id and o.kind = 'province')
    union all
    select kc_violation('score', 'threshold', 'a product is certified with an average score of 70 or more (TT 26/2014 Art. 17)')
     where t.score < 70
    union all
    select kc_violation('valid_until', 'validity',
                        format('a certificate of %s is valid at most until 31/12/%s (TT 26/2014)', t.year, t.year + 2))
     where t.valid_until > make_date(t.year + 2, 12, 31)
    union all
    select kc_violation('issued_on', 'year', format('a certificate of the %s round is issued in %s or later', t.year, t.year))
     where t.issued_on is not null and extract(year from t.issued_on) < t.year
    union all
    select kc_violation('certificate_no', 'unique', 'this certificate number is already registered for that level and year')
     where exists (select 1 from typical_products o where o.level = t.level and o.year = t.year
                      and o.certificate_no = t.certificate_no and o.id is distinct from t.id)
  ) s
$$;

create function kc_typical_product_apply(t typical_products, p jsonb) returns typical_products
language plpgsql stable as $$
begin
  if p ? 'product_name' then t.product_name := p->>'product_name'; end if;
  if p ? 'establishment_name' then t.establishment_name := p->>'establishment_name'; end if;
  if p ? 'tax_code' then t.tax_code := p->>'tax_code'; end if;
  if p ? 'level' then t.level := p->>'level'; end if;
  if p ? 'year' then t.year := (p->>'year')::integer; end if;
  if p ? 'score' then t.score := (p->>'score')::numeric; end if;
  if p ? 'certificate_no' then t.certificate_no := p->>'certificate_no'; end if;
  if p ? 'issued_on' then t.issued_on := (p->>'issued_on')::date; end if;
  if p ? 'revoked' then t.revoked := coalesce((p->>'revoked')::boolean, false); end if;
  if p ? 'org_id' then t.org_id := (p->>'org_id')::bigint; end if;
  if p ? 'valid_until' then t.valid_until := (p->>'valid_until')::date; end if;
  -- default: 31 December of the 3rd year counting the year of issue
  t.valid_until := coalesce(t.valid_until, make_date(t.year + 2, 12, 31));
  return t;
end $$;

create function kc_typical_product_create(p_user bigint, p_username text, p_peer text, p_role text,
                                          p_scope bigint, p jsonb) returns jsonb
language plpgsql as $$
declare
  t typical_products;
  v_viol jsonb;
begin
  if p_scope is not null and (p->>'org_id')::bigint not in (select org_scope(p_scope)) then
    return kc_err(1004, 'no such province');
  end if;
  t := kc_typical_product_apply(null::typical_products, p);
  v_viol := kc_typical_product_violations(t);
  if jsonb_array_length(v_viol) > 0 then
    return kc_err(1022, v_viol->0->>'message', jsonb_build_object('violations', v_viol));
  end if;
  insert into typical_products (product_name, establishment_name, tax_code, level, year, score,
                                certificate_no, issued_on, valid_until, revoked, org_id, created_by)
  values (t.product_name, t.establishment_name, t.tax_code, t.level, t.year, t.score,
          t.certificate_no, t.issued_on, t.valid_until, coalesce(t.revoked, false), t.org_id, p_user)
  returning * into t;
  perform kc_audit(p_user, p_username, p_peer, 'typical_product.create', 'typical_product', t.id,
                   null, kc_typical_product_json(t));
  return jsonb_build_object('result', kc_typical_product_json(t));
end $$;

create function kc_typical_product_update(p_user bigint, p_username text, p_peer text, p_role text,
                                          p_scope bigint, p jsonb) returns jsonb
language plpgsql as $$
declare
  cur typical_products;
  t typical_products;
  v_err jsonb;
  v_viol jsonb;
begin
  select * into cur from typical_products where id = (p->>'id')::bigint for update;
  v_err := kc_record_check('typical product', cur.id is not null
                             and (p_scope is null or cur.org_id in (select org_scope(p_scope))),
                           cur.version, (p->>'version')::integer, 'registered', array['registered']);
  if v_err is not null then
    return v_err;
  end if;
  if p_scope is not null and p ? 'org_id'
     and (p->>'org_id')::bigint not in (select org_scope(p_scope)) then
    return kc_err(1004, 'no such province');
  end if;
  t := kc_typical_product_apply(cur, p);
  v_viol := kc_typical_product_violations(t);
  if jsonb_array_length(v_viol) > 0 then
    return kc_err(1022, v_viol->0->>'message', jsonb_build_object('violations', v_viol));
  end if;
  update typical_products set product_name = t.product_name, establishment_name = t.establishment_name,
         tax_code = t.tax_code, level = t.level, year = t.year, score = t.score,
         certificate_no = t.certificate_no, issued_on = t.issued_on, valid_until = t.valid_until,
         revoked = t.revoked, org_id = t.org_id, version = version + 1, updated_at = now()
   where id = cur.id returning * into t;
  perform kc_audit(p_user, p_username, p_peer, 'typical_product.update', 'typical_product', t.id,
                   kc_typical_product_json(cur), kc_typical_product_json(t));
  return jsonb_build_object('result', kc_typical_product_json(t));
end $$;

-- typical_product.list {org_id, tax_code, year, valid_on}: every role;
-- a province's users see their province's register.
create function kc_typical_product_list(p_scope bigint, p jsonb) returns jsonb
language sql stable as $$
  select jsonb_build_object('result', jsonb_build_object('items', coalesce(jsonb_agg(kc_typical_product_json(t) order by t.id), '[]'::jsonb)))
    from typical_products t
   where (p_scope is null or t.org_id in (select org_scope(p_scope)))
     and (p->>'org_id' is null or t.org_id in (select org_scope((p->>'org_id')::bigint)))
     and (p->>'tax_code' is null or t.tax_code = p->>'tax_code')
     and (p->>'year' is null or t.year = (p->>'year')::integer)
     and (p->>'valid_on' is null or kc_certificate_valid(t, (p->>'valid_on')::date))
$$;

-- ---------------------------------------------------------------------------
-- 0005's JSON with the derived typical_product flag (the typed column
-- projects.typical_product is no longer read), and the acceptance and
-- cancellation records. (0006's check reads the derived flag and the
-- extension into the next year through kc_project_typical and
-- kc_project_extension, above.)
-- ---------------------------------------------------------------------------

create or replace function kc_project_json(p_id bigint, p_full boolean) returns jsonb
language plpgsql stable as $$
declare
  -- looked up once for the flag and the list (PL/pgSQL: see 0005)
  v_certs jsonb := case when p_full then kc_project_typical_certificates(p_id) end;
begin
  return (select jsonb_build_object(
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
           'cancellation', (select to_jsonb(c) - 'project_id' from project_cancellations c where c.project_id = pr.id),
           'acceptance', (select to_jsonb(a) - 'project_id' from project_acceptances a where a.project_id = pr.id),
           'version', pr.version, 'updated_at', kc_instant(pr.updated_at))
         || case when not p_full then '{}'::jsonb else jsonb_build_object(
           'implementer', pr.implementer, 'partners', pr.partners, 'locations', pr.locations,
           'rationale', pr.rationale, 'legal_basis', pr.legal_basis, 'objectives', pr.objectives,
           'scale_and_novelty', pr.scale_and_novelty, 'work_items', pr.work_items,
           'implementation', pr.implementation, 'impact', pr.impact,
           'procurement', pr.procurement, 'export', pr.export,
           'local_materials', pr.local_materials, 'labour_intensive', pr.labour_intensive,
           'supporting_industry', pr.supporting_industry,
           'typical_product', jsonb_array_length(v_certs) > 0,
           'typical_product_certificates', v_certs,
           'start_date', pr.start_date, 'end_date', pr.end_date,
           'no_double_funding', pr.no_double_funding,
           'cap_code', pr.cap_code, 'total_cost', pr.total_cost,
           'checked_cap_id', pr.checked_cap_id, 'checked_on', pr.checked_on,
           'checked_at', kc_instant(pr.checked_at), 'warnings', pr.check_warnings,
           'copied_from', pr.copied_from,
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
   where pr.id = p_id);
end $$;
