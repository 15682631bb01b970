-- ---------------------------------------------------------------------------
-- 4. Local (KCĐP) caps per province (DOMAIN §3.5, §2.12: set by the
--    province's HĐND resolution, e.g. Phú Thọ NQ 23/2025/NQ-HĐND, Quảng Trị
--    NQ 38/2020/NQ-HĐND). One row per province, cap code and start day;
--    the same shape and reading as support_caps (0004). The local line of a
--    local project is checked against its province's rows in force on the
--    day of its rules; a province with no row for the project's activity
--    gets the national cap, with a warning saying so.
-- ---------------------------------------------------------------------------
create table local_caps (
  id bigint generated always as identity primary key,
  province_id bigint not null references orgs (id),
  cap_code text not null check (cap_code ~ '^C[0-9]{2}[a-z]?$'),
  content_code text references content_categories (code),
  name_vi text not null check (length(name_vi) between 1 and 1000),
  pct_cap numeric(5, 2) check (pct_cap > 0 and pct_cap <= 100),
  abs_cap_vnd bigint check (abs_cap_vnd >= 0),
  unit text,
  base text,
  priority_factor numeric(4, 2) check (priority_factor >= 1),
  legal_act text not null check (length(legal_act) between 1 and 500),   -- the HĐND resolution
  valid_from date not null,
  valid_to date,
  confidence char(1) not null check (confidence in ('C', 'P', 'U')),
  note text,
  version integer not null default 1,
  created_by bigint references users (id),
  unique (province_id, cap_code, valid_from),
  check (valid_to is null or valid_to >= valid_from)
);

-- The province's caps of a content in force on a day.
create function kc_local_caps_in_force(p_province bigint, p_content text, p_on date) returns setof local_caps
language sql stable as $$
  select * from local_caps
   where province_id = p_province and (content_code = p_content or content_code is null)
     and kc_valid_on(valid_from, valid_to, p_on)
   order by cap_code
$$;

-- 0006's check, kept under another name and wrapped: a local project's
-- local line against its province's cap (or the national one, warned).
alter function kc_project_check_row(projects, boolean) rename to kc_project_check_row_0006;
create function kc_project_check_row(pr projects, p_submission boolean) returns jsonb
language plpgsql stable as $$
declare
  -- kc_priority_uplift_recheck (point 6, below) is resolved when this runs
  v_res jsonb := kc_priority_uplift_recheck(pr, kc_project_check_row_0006(pr, p_submission));
  pl plans;
  lc local_caps;
  c support_caps;
  v_on date;
  v_content text;
  v_local bigint;
  v_sum bigint;
  v_province bigint;
  v_priority boolean;
  v_factor numeric;
  v_limit numeric;
  v_code text;
  v_pct numeric;
  v_abs bigint;
  v_act text;
  v_conf char(1);
begin
  select * into pl from plans where id = pr.plan_id;
  v_res := kc_project_kind_bounds(pr, kc_project_rules_0025(pr, pl, v_res, p_submission));
  if pl.scope <> 'local' then
    return v_res;
  end if;
  v_on := (v_res->>'checked_on')::date;
  v_province := kc_scope_root(pl.org_id);
  select coalesce(sum(amount) filter (where source = 'local'), 0), coalesce(sum(amount), 0)
    into v_local, v_sum from project_budget_lines where project_id = pr.id;
  if v_local = 0 then
    return v_res;
  end if;
  select content_code into v_content from project_categories where project_id = pr.id and is_primary;
  select * into lc from kc_local_caps_in_force(v_province, v_content, v_on) x
   where pr.cap_code is null or x.cap_code = pr.cap_code
   order by (x.cap_code = pr.cap_code) desc nulls last limit 1;
  if lc.id is not null then
    v_code := lc.cap_code; v_pct := lc.pct_cap; v_abs := lc.abs_cap_vnd; v_act := lc.legal_act;
    v_conf := lc.confidence; v_factor := lc.priority_factor;
  else
    select * into c from kc_caps_in_force(v_content, v_on) x
     where pr.cap_code is null or x.cap_code = pr.cap_code
     order by (x.cap_code = pr.cap_code) desc nulls last limit 1;
    if c.id is null then
      return v_res;   -- no cap for this content (training: external norms)
    end if;
    v_code := c.cap_code; v_pct := c.pct_cap; v_abs := c.abs_cap_vnd; v_act := c.legal_act;
    v_conf := c.confidence; v_factor := c.priority_factor;
    v_res := kc_check_push(v_res, 'warnings', kc_violation('budget_lines.local', 'local_caps_missing',
      format('the province has not entered its own caps (HĐND resolution) for %s in force on %s: the national cap %s (%s) is applied to the local support',
             coalesce(v_content, '(none)'), to_char(v_on, 'DD/MM/YYYY'), c.cap_code, c.legal_act)));
  end if;
  v_priority := pr.priority_area is not null
                or exists (select 1 from priority_sectors s where s.code = any (pr.priorities) and s.uplift)
                or kc_project_typical(pr.id);
  v_factor := case when v_priority and v_factor is not null then v_factor else 1 end;
  v_limit := least(v_pct * v_sum / 100, v_abs * v_factor);
  v_res := v_res || jsonb_build_object('local_cap', jsonb_build_object(
    'id', lc.id, 'cap_code', v_code, 'legal_act', v_act, 'confidence', v_conf, 'pct_cap', v_pct,
    'abs_cap_vnd', v_abs, 'priority_factor', v_factor, 'local', v_local, 'limit_vnd', floor(v_limit),
    'national', lc.id is null));
  -- the province's own cap refuses (a U row warns); a national cap standing
  -- in for a missing resolution only warns: the province's rules may differ
  if v_limit is not null and v_local > v_limit then
    v_res := kc_check_push(v_res, case when v_conf = 'U' or lc.id is null then 'warnings' else 'violations' end,
      kc_violation('budget_lines.local', 'local_cap',
        format('the local support %s đ exceeds the cap %s (%s): at most %s đ%s', kc_vnd(v_local), v_code, v_act,
               kc_vnd(v_limit), case when lc.id is null then '; the national cap, as the province has entered none of its own'
                                     when v_conf = 'U' then '; this cap value is unconfirmed (confidence U)' end)));
  end if;
  return v_res;
end $$;

-- ---------------------------------------------------------------------------
-- catalog.add_local_cap {cap_code, name_vi, legal_act, valid_from, confidence,
--   content_code?, pct_cap?, abs_cap_vnd?, unit?, base?, priority_factor?,
--   note?, province_id?}
-- The province's leader for its province; admin for any (province_id).
-- As catalog.add_cap: the row it follows ends the day before.
-- ---------------------------------------------------------------------------
create function kc_local_cap_add(p_user bigint, p_username text, p_peer text, p_role text,
                                 p_scope bigint, p jsonb) returns jsonb
language plpgsql as $$
declare
  r local_caps;
  v_prov bigint := coalesce(p_scope, (p->>'province_id')::bigint);
  v_from date := (p->>'valid_from')::date;
begin
  if p_role not in ('province_leader', 'admin') then
    return kc_err(1003, 'local caps are entered by the province''s leader (or the administrator)');
  end if;
  if p_scope is not null and p ? 'province_id' and (p->>'province_id')::bigint <> p_scope then
    return kc_err(1004, 'no such province');
  end if;
  if v_prov is null or not exists (select 1 from orgs where id = v_prov and kind = 'province') then
    return kc_rule_err('province_id', 'exists', 'a province is required');
  end if;
  if p->>'content_code' is not null
     and not exists (select 1 from content_categories where code = p->>'content_code') then
    return kc_rule_err('content_code', 'exists', 'no such content category');
  end if;
  perform pg_advisory_xact_lock(hashtext('kc.local_caps'), v_prov::integer);
  if exists (select 1 from local_caps where province_id = v_prov and cap_code = p->>'cap_code'
                                      and valid_from >= v_from) then
    return kc_rule_err('valid_from', 'order', 'a later or same-day row of this cap exists for the province');
  end if;
  update local_caps set valid_to = v_from - 1, version = version + 1
   where province_id = v_prov and cap_code = p->>'cap_code' and (valid_to is null or valid_to >= v_from);
  insert into local_caps (province_id, cap_code, content_code, name_vi, pct_cap, abs_cap_vnd, unit, base,
                          priority_factor, legal_act, valid_from, valid_to, confidence, note, created_by)
  values (v_prov, p->>'cap_code', p->>'content_code', p->>'name_vi', (p->>'pct_cap')::numeric,
          (p->>'abs_cap_vnd')::bigint, p->>'unit', p->>'base', (p->>'priority_factor')::numeric,
          p->>'legal_act', v_from, (p->>'valid_to')::date, p->>'confidence', p->>'note', p_user)
  returning * into r;
  perform kc_audit(p_user, p_username, p_peer, 'catalog.add_local_cap', 'catalog.local_caps', r.id, null,
                   to_jsonb(r));
  return jsonb_build_object('result', to_jsonb(r));
end $$;


-- ---------------------------------------------------------------------------
-- 5. Every stage reachable (DOMAIN §2.11): its transition and its method
-- ---------------------------------------------------------------------------
insert into project_transitions (from_status, to_status, to_stage, role, scope, action, legal_basis)
values
  -- step 16–17: the adjustment decided by the Cục's reviewer (minor) or the
  -- Department (a group project's change) also ends the adjusting stage
  ('in_progress', 'in_progress', 'advanced', 'ministry_reviewer', 'national',
   'adjustment decided', 'TT 36/2013 Art. 11.2.b, 11.4'),
  ('in_progress', 'in_progress', 'advanced', 'province_leader', 'national',
   'adjustment decided (group project)', 'TT 36/2013 Art. 11.4'),
  -- step 24, local: the province settles its force-majeure case
  ('in_progress', 'settled', 'partially_settled', 'province_leader', 'local',
   'budget.settle partial', 'NĐ 45/2012 Art. 16; TT 36/2013 Art. 18.4 by analogy'),
  -- step 12 after step 11: the implementation plan of a group project
  -- approved once the plan is assigned
  ('approved', 'approved', 'implementation_plan_approved', 'province_leader', 'national',
   'project.approve_implementation_plan', 'TT 36/2013 Art. 21.2.a, 23.3'),
  -- step 22 from the remaining advance (fully_advanced) too
  ('completed', 'completed', 'settlement_submitted', 'province_officer', 'any',
   'budget.submit_settlement', 'TT 36/2013 Art. 18.1, 19'),
  ('completed', 'completed', 'settlement_submitted', 'province_leader', 'any',
   'budget.submit_settlement', 'TT 36/2013 Art. 18.1, 19')
on conflict do nothing;

-- Step 16–17: an open adjustment request is the stage `adjusting` of a
-- running project; its decision (approved or rejected, or closed by a
-- cancellation) returns it to `advanced`. Not a version change: the
-- request is a record of its own (adjustment.request takes no project
-- version). The actor of the move is the requester / the decider.
create function project_adjustments_stage() returns trigger
language plpgsql as $$
declare
  pr projects;
  v_role text := current_setting('kc.actor_role', true);
  v_id text := current_setting('kc.actor_id', true);
  v_comment text := current_setting('kc.comment', true);
  v_doc text := current_setting('kc.document_no', true);
begin
  select * into pr from projects where id = new.project_id;
  if tg_op = 'INSERT' and (pr.status, pr.stage) = ('in_progress', 'advanced') then
    perform kc_actor_set(new.requested_by, (select role from users where id = new.requested_by),
                         format('yêu cầu điều chỉnh (%s)', new.type), null);
    update projects set stage = 'adjusting' where id = pr.id;
  elsif tg_op = 'UPDATE' and old.status = 'requested' and new.status <> 'requested'
        and (pr.status, pr.stage) = ('in_progress', 'adjusting') then
    perform kc_actor_set(new.decided_by, new.decided_role,
                         format('điều chỉnh (%s): %s', new.type, new.status), null);
    update projects set stage = 'advanced' where id = pr.id;
  else
    return null;
  end if;
  perform set_config('kc.actor_role', coalesce(v_role, ''), true),
          set_config('kc.actor_id', coalesce(v_id, ''), true),
          set_config('kc.comment', coalesce(v_comment, ''), true),
          set_config('kc.document_no', coalesce(v_doc, ''), true);
  return null;
end $$;

create trigger project_adjustments_stage after insert or update on project_adjustments
  for each row execute function project_adjustments_stage();

-- ---------------------------------------------------------------------------
-- project.fail_base_appraisal {id, version, reason}
-- Step 6: the Department fails one project of a submitted plan in its base
-- appraisal (Phiếu 4a/4b) without returning the whole plan; it is
-- rejected / base_appraisal_failed, and the plan goes on without it.
-- ---------------------------------------------------------------------------
create function kc_project_fail_base_appraisal(p_user bigint, p_username text, p_peer text, p_role text,
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
    select * into v from plans where id = pr.plan_id for update;
  end if;
  if pr.id is null or p_scope is null or not kc_plan_visible(v.org_id, v.scope, v.status, p_scope) then
    return kc_err(1004, 'no such project');
  end if;
  if p_role <> 'province_leader' then
    return kc_err(1003, 'the base appraisal is the Department''s leader''s (TT 36/2013 Art. 8.1.a)');
  end if;
  v_err := kc_record_check('project', true, pr.version, (p->>'version')::integer, pr.status,
                           array['submitted']);
  if v_err is not null then
    return v_err;
  end if;
  if v.status <> 'submitted' or pr.stage <> 'registered' then
    return kc_err(1010, 'only a project of a plan awaiting the base appraisal fails it',
                  jsonb_build_object('status', pr.status, 'stage', pr.stage, 'plan_status', v.status));
  end if;
  v_before := kc_project_json(pr.id, true) - 'history';
  perform kc_actor_set(p_user, p_role, p->>'reason', null);
  update projects set status = 'rejected', stage = 'base_appraisal_failed', version = version + 1
   where id = pr.id;
  v_after := kc_project_json(pr.id, true);
  perform kc_audit(p_user, p_username, p_peer, 'project.fail_base_appraisal', 'project', pr.id, v_before,
                   v_after - 'history');
  return jsonb_build_object('result', v_after);
end $$;

-- ---------------------------------------------------------------------------
-- project.approve_implementation_plan {id, version, decision_no, decision_date?, note?}
-- Step 12: a group project's implementation plan (Mẫu 11) approved by the
-- Department once the project is in the plan (plan_approved or, with its
-- money, plan_assigned). A group project's contract needs it (below).
-- ---------------------------------------------------------------------------
create table implementation_plans (
  project_id bigint primary key references projects (id),
  decision_no text not null check (length(decision_no) between 1 and 100),
  decision_date date,
  note text check (length(note) <= 20000),
  approved_by bigint not null references users (id),
  approved_at timestamptz not null default now()
);
create trigger implementation_plans_fixed before update or delete on implementation_plans
  for each row execute function allocations_fixed();

create function kc_project_approve_implementation_plan(p_user bigint, p_username text, p_peer text,
                                                       p_role text, p_scope bigint, p jsonb) returns jsonb
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
  if pr.id is null or p_scope is null or not kc_plan_visible(v.org_id, v.scope, v.status, p_scope) then
    return kc_err(1004, 'no such project');
  end if;
  if p_role <> 'province_leader' then
    return kc_err(1003, 'a group project''s implementation plan is approved by the Department (TT 36/2013 Art. 21.2.a)');
  end if;
  v_err := kc_record_check('project', true, pr.version, (p->>'version')::integer, pr.status,
                           array['approved']);
  if v_err is not null then
    return v_err;
  end if;
  if pr.kind <> 'group' then
    return kc_rule_err('id', 'group', 'only a group project (đề án nhóm) has an implementation plan (Mẫu 11)');
  end if;
  if pr.stage not in ('plan_approved', 'plan_assigned') then
    return kc_err(1010, format('not allowed at the stage %s: the project is in the plan and not yet contracted', pr.stage),
                  jsonb_build_object('status', pr.status, 'stage', pr.stage));
  end if;
  v_err := kc_money_decision_err(pr.id);
  if v_err is not null then
    return v_err;
  end if;
  v_before := kc_project_json(pr.id, true) - 'history';
  insert into implementation_plans (project_id, decision_no, decision_date, note, approved_by)
  values (pr.id, p->>'decision_no', (p->>'decision_date')::date, p->>'note', p_user);
  perform kc_actor_set(p_user, p_role, p->>'note', p->>'decision_no');
  update projects set stage = 'implementation_plan_approved', version = version + 1 where id = pr.id;
  v_after := kc_project_json(pr.id, true);
  perform kc_audit(p_user, p_username, p_peer, 'project.approve_implementation_plan', 'project', pr.id,
                   v_before, v_after - 'history');
  return jsonb_build_object('result', v_after);
end $$;

-- A group project is contracted only with its implementation plan approved
-- (DOMAIN §2.11 step 13 from step 12; TT 36/2013 Art. 21.2.a, 23.3).
create function contracts_group_plan() returns trigger
language plpgsql as $$
begin
  if exists (select 1 from projects where id = new.project_id and kind = 'group')
     and not exists (select 1 from implementation_plans where project_id = new.project_id) then
    raise exception 'project %: a group project is contracted after its implementation plan (Mẫu 11) is approved',
      new.project_id using errcode = 'KC010';
  end if;
  return new;
end $$;

create trigger contracts_group_plan before insert on contracts
  for each row execute function contracts_group_plan();

-- ---------------------------------------------------------------------------
-- budget.submit_settlement {project_id, version, submitted_on, record_no}
-- Step 22: the implementer submits the settlement dossier (≤ 15 days after
-- acceptance, TT 36/2013 Art. 18.1); completed → settlement_submitted,
-- `late` after the dossier's due day. Settlement does not wait for it: when
-- the implementer misses the deadline the Cục settles the advanced amount
-- on the acceptance record (DOMAIN §2.8), so budget.settle takes both.
-- ---------------------------------------------------------------------------
create table settlement_dossiers (
  project_id bigint primary key references projects (id),
  submitted_on date not null,
  record_no text not null check (length(record_no) between 1 and 100),
  dossier_due date not null,
  late boolean not null,
  submitted_by bigint not null references users (id),
  submitted_at timestamptz not null default now()
);
create trigger settlement_dossiers_fixed before update or delete on settlement_dossiers
  for each row execute function allocations_fixed();

create function kc_budget_submit_settlement(p_user bigint, p_username text, p_peer text, p_role text,
                                            p_scope bigint, p jsonb) returns jsonb
language plpgsql as $$
declare
  pr projects;
  v plans;
  v_err jsonb;
  dd record;
  r settlement_dossiers;
  v_on date := (p->>'submitted_on')::date;
begin
  select * into pr from projects where id = (p->>'project_id')::bigint for update;
  if found then
    select * into v from plans where id = pr.plan_id;
  end if;
  if pr.id is null or p_scope is null or not kc_plan_visible(v.org_id, v.scope, v.status, p_scope) then
    return kc_err(1004, 'no such project');
  end if;
  v_err := kc_record_check('project', true, pr.version, (p->>'version')::integer, pr.status,
                           array['completed']);
  if v_err is not null then
    return v_err;
  end if;
  if pr.stage = 'settlement_submitted' then
    return kc_rule_err('project_id', 'unique', 'the settlement dossier is already submitted');
  end if;
  select * into dd from kc_settle_due(pr.id);
  if v_on < dd.accepted_on then
    return kc_rule_err('submitted_on', 'order', 'the dossier is not submitted before acceptance');
  end if;
  if v_on > (now() at time zone 'Asia/Ho_Chi_Minh')::date then
    return kc_rule_err('submitted_on', 'future', 'the submission date is not in the future');
  end if;
  insert into settlement_dossiers (project_id, submitted_on, record_no, dossier_due, late, submitted_by)
  values (pr.id, v_on, p->>'record_no', dd.dossier_due, v_on > dd.dossier_due, p_user)
  returning * into r;
  perform kc_actor_set(p_user, p_role, null, p->>'record_no');
  update projects set stage = 'settlement_submitted', version = version + 1 where id = pr.id;
  perform kc_audit(p_user, p_username, p_peer, 'budget.submit_settlement', 'project', pr.id, null,
                   to_jsonb(r) - 'submitted_at');
  return jsonb_build_object('result', to_jsonb(r) - 'submitted_at'
                                      || jsonb_build_object('submitted_at', kc_instant(r.submitted_at),
                                                            'version', pr.version + 1));
end $$;

-- ---------------------------------------------------------------------------
-- 6. Priorities as data: a project's priority sectors are one list of
--    catalogue codes (priority_sectors, NĐ 45/2012 Art. 6, TT 46/2012 Art.
--    6.2), each with its uplift and its place in the selection order.
-- ---------------------------------------------------------------------------
-- The uplift of the caps (×priority_factor, TTLT 26/2014 Art. 6.2.t) is
-- given by a priority sector when `uplift`; its place in the review queue
-- is its `rank` (group b: 1, group a: 2; TT 36/2013 Art. 7).
alter table priority_sectors add column uplift boolean not null default true;

-- The typed list. The five booleans of 0005 stay as the wire's older shape
-- and are kept equal to the list by projects_priorities (below), both ways;
-- typical_product is never stored: it is derived from the certificates
-- (0008, kc_project_typical) and shown in the list when it holds.
alter table projects add column priorities text[] not null default '{}';

-- A code of the list that is not a priority sector, or typical_product.
create function kc_priorities_bad(p text[]) returns text[]
language sql stable as $$
  select coalesce(array_agg(x order by x), '{}') from unnest(p) x
   where x = 'typical_product' or not exists (select 1 from priority_sectors s where s.code = x)
$$;

create function projects_priorities() returns trigger
language plpgsql as $$
declare
  -- project.create / update pass their `priorities` here (the functions of
  -- 0006 / 0023 write the columns they know; see kc_project_create below)
  v_given text := current_setting('kc.priorities', true);
begin
  if coalesce(v_given, '') <> '' then
    new.priorities := array(select jsonb_array_elements_text(v_given::jsonb));
  end if;
  if tg_op = 'UPDATE' and new.priorities is not distinct from old.priorities
     and (new.export, new.local_materials, new.labour_intensive, new.supporting_industry)
         is distinct from (old.export, old.local_materials, old.labour_intensive, old.supporting_industry) then
    -- a write in the older shape (the booleans): the list follows
    new.priorities := array(select x from unnest(new.priorities) x
                             where x not in ('export', 'local_materials', 'labour_intensive', 'supporting_industry')
                            union
                            select v.code from (values ('export', new.export), ('local_materials', new.local_materials),
                                                       ('labour_intensive', new.labour_intensive),
                                                       ('supporting_industry', new.supporting_industry)) v (code, f)
                             where v.f
                            order by 1);
  else
    new.priorities := array(select distinct x from unnest(new.priorities) x where x <> 'typical_product' order by 1);
    if cardinality(kc_priorities_bad(new.priorities)) > 0 then
      raise exception 'project %: not priority sectors: %', new.id, kc_priorities_bad(new.priorities)
        using errcode = 'KC023';
    end if;
    if tg_op = 'INSERT' and new.priorities = '{}' then
      -- created in the older shape
      new.priorities := array(select v.code from (values ('export', new.export), ('local_materials', new.local_materials),
                                                         ('labour_intensive', new.labour_intensive),
                                                         ('supporting_industry', new.supporting_industry)) v (code, f)
                               where v.f order by 1);
    end if;
    new.export := 'export' = any (new.priorities);
    new.local_materials := 'local_materials' = any (new.priorities);
    new.labour_intensive := 'labour_intensive' = any (new.priorities);
    new.supporting_industry := 'supporting_industry' = any (new.priorities);
  end if;
  return new;
end $$;

create trigger projects_priorities before insert or update on projects
  for each row execute function projects_priorities();

-- the booleans become the list
update projects set priorities = array(
  select v.code from (values ('export', export), ('local_materials', local_materials),
                             ('labour_intensive', labour_intensive),
                             ('supporting_industry', supporting_industry)) v (code, f)
   where v.f order by 1)
 where export or local_materials or labour_intensive or supporting_industry;

-- project.create / update: `priorities` (a list of codes) over the row,
-- the booleans kept equal in memory too (the check of 0006 reads the row
-- before it is written). 0006's kc_project_apply kept and wrapped.
alter function kc_project_apply(projects, jsonb) rename to kc_project_apply_0006;
create function kc_project_apply(cur projects, p jsonb) returns projects
language plpgsql stable as $$
declare
  r projects := kc_project_apply_0006(cur, p);
begin
  if p ? 'priorities' and jsonb_typeof(p->'priorities') = 'array' then
    r.priorities := array(select distinct x from jsonb_array_elements_text(p->'priorities') x
                           where x <> 'typical_product' order by 1);
  elsif (r.export, r.local_materials, r.labour_intensive, r.supporting_industry)
        is distinct from (cur.export, cur.local_materials, cur.labour_intensive, cur.supporting_industry)
        or cur is null then
    r.priorities := array(select x from unnest(coalesce(r.priorities, '{}')) x
                           where x not in ('export', 'local_materials', 'labour_intensive', 'supporting_industry')
                          union
                          select v.code from (values ('export', r.export), ('local_materials', r.local_materials),
                                                     ('labour_intensive', r.labour_intensive),
                                                     ('supporting_industry', r.supporting_industry)) v (code, f)
                           where v.f
                          order by 1);
  end if;
  r.export := 'export' = any (r.priorities);
  r.local_materials := 'local_materials' = any (r.priorities);
  r.labour_intensive := 'labour_intensive' = any (r.priorities);
  r.supporting_industry := 'supporting_industry' = any (r.priorities);
  return r;
end $$;

-- The project's priority codes: the list, with typical_product when a
-- beneficiary holds a valid certificate.
create function kc_project_priorities(pr projects) returns text[]
language sql stable as $$
  select array(select x from unnest(pr.priorities) x
               union
               select 'typical_product' where kc_project_typical(pr.id)
               order by 1)
$$;

-- project.get / list show the list beside the booleans (0008's
-- kc_project_json kept and wrapped).
alter function kc_project_json(bigint, boolean) rename to kc_project_json_0008;
create function kc_project_json(p_id bigint, p_full boolean) returns jsonb
language plpgsql stable as $$
declare
  v jsonb := kc_project_json_0008(p_id, p_full);
begin
  if v is null then
    return null;
  end if;
  return v || jsonb_build_object('priorities',
    to_jsonb(array(select x from unnest((select priorities from projects where id = p_id)) x
                   union
                   select 'typical_product' where coalesce((v->>'typical_product')::boolean, false)
                   order by 1)));
end $$;

-- The selection order of TT 36/2013 Art. 7 (0010), the sector's place from
-- the catalogue: the best (lowest) rank of the project's priority sectors.
create or replace function kc_review_rank(pr projects) returns jsonb
language sql stable as $$
  select jsonb_build_object(
    'flagship', pr.kind = 'flagship',
    'area_rank', (select a.rank from priority_areas a where a.code = pr.priority_area),
    'sector_rank', (select min(s.rank) from priority_sectors s where s.code = any (kc_project_priorities(pr))),
    'average_score', (select round(avg(score), 2) from review_scores s where s.project_id = pr.id))
$$;

-- The cap's uplift (0006) for the priorities the booleans cannot say
-- (key_industry, agri_machinery_chemicals, agro_processing): when 0006
-- found no priority and the project has one of those with `uplift`, the
-- cap is taken again with the row's factor.
create function kc_priority_uplift_recheck(pr projects, v_res jsonb) returns jsonb
language plpgsql stable as $$
declare
  c support_caps;
  u support_caps;
  v_limit numeric;
  v_central bigint := (v_res->'cap'->>'central')::bigint;
  v_sum bigint := (v_res->'cap'->>'eligible_cost')::bigint;
  v_on date := (v_res->>'checked_on')::date;
begin
  if v_res->'cap' is null or jsonb_typeof(v_res->'cap') = 'null'
     or (v_res->'cap'->>'priority_factor')::numeric > 1 then
    return v_res;
  end if;
  if not exists (select 1 from priority_sectors s where s.code = any (pr.priorities) and s.uplift) then
    return v_res;
  end if;
  select * into c from support_caps where id = (v_res->'cap'->>'id')::bigint;
  if c.priority_factor is null or c.priority_factor <= 1 then
    return v_res;
  end if;
  v_limit := least(c.pct_cap * v_sum / 100, c.abs_cap_vnd * c.priority_factor);
  v_res := jsonb_set(v_res, '{cap,priority_factor}', to_jsonb(c.priority_factor));
  v_res := jsonb_set(v_res, '{cap,limit_vnd}', to_jsonb(floor(v_limit)));
  if v_limit is null or v_central <= v_limit then
    -- the cap no longer fails: drop its violation or warning
    v_res := jsonb_set(v_res, '{violations}', coalesce((select jsonb_agg(x) from jsonb_array_elements(v_res->'violations') x
                                                         where not (x->>'field' = 'budget_lines.central' and x->>'rule' = 'cap')), '[]'));
    v_res := jsonb_set(v_res, '{warnings}', coalesce((select jsonb_agg(x) from jsonb_array_elements(v_res->'warnings') x
                                                       where not (x->>'field' = 'budget_lines.central' and x->>'rule' = 'cap')), '[]'));
    if v_central > c.abs_cap_vnd then
      select * into u from support_caps x where x.cap_code = 'C25' and kc_valid_on(x.valid_from, x.valid_to, v_on);
      if u.id is null or u.confidence = 'U' then
        v_res := kc_check_push(v_res, 'warnings', kc_violation('budget_lines.central', 'priority_uplift',
          format('the central support %s đ is above the normal cap %s đ of %s and within it only by the ×%s priority uplift, whose value under %s is unconfirmed (confidence U)',
                 kc_vnd(v_central), kc_vnd(c.abs_cap_vnd), c.cap_code, c.priority_factor,
                 coalesce(u.legal_act, 'the rules in force'))));
      end if;
    end if;
  end if;
  return v_res;
end $$;

-- project.create / project.update with `priorities`: the codes are checked
-- (1022 priorities/exists), then handed to the row trigger for the write of
-- 0006's kc_project_create / 0023's kc_project_update (kept, wrapped).
alter function kc_project_create(bigint, text, text, text, bigint, jsonb) rename to kc_project_create_0006;
alter function kc_project_update(bigint, text, text, text, bigint, jsonb) rename to kc_project_update_0023;

create function kc_priorities_given(p jsonb) returns jsonb
language plpgsql stable as $$
declare
  v_bad text[];
begin
  if not (p ? 'priorities') then
    perform set_config('kc.priorities', '', true);
    return null;
  end if;
  v_bad := kc_priorities_bad(array(select x from jsonb_array_elements_text(p->'priorities') x
                                    where x <> 'typical_product'));
  if cardinality(v_bad) > 0 then
    return kc_rule_err('priorities', 'exists',
                       format('not priority sectors of the catalogue: %s', array_to_string(v_bad, ', ')),
                       jsonb_build_object('codes', to_jsonb(v_bad)));
  end if;
  perform set_config('kc.priorities', (p->'priorities')::text, true);
  return null;
end $$;

create function kc_project_create(p_user bigint, p_username text, p_peer text, p_role text,
                                  p_scope bigint, p jsonb) returns jsonb
language plpgsql as $$
declare
  v_err jsonb := kc_priorities_given(p);
  r jsonb;
begin
  if v_err is not null then
    return v_err;
  end if;
  r := kc_project_create_0006(p_user, p_username, p_peer, p_role, p_scope, p);
  perform set_config('kc.priorities', '', true);
  return r;
end $$;

create function kc_project_update(p_user bigint, p_username text, p_peer text, p_role text,
                                  p_scope bigint, p jsonb) returns jsonb
language plpgsql as $$
declare
  v_err jsonb := kc_priorities_given(p);
  r jsonb;
begin
  if v_err is not null then
    return v_err;
  end if;
  r := kc_project_update_0023(p_user, p_username, p_peer, p_role, p_scope, p);
  perform set_config('kc.priorities', '', true);
  return r;
end $$;

-- ---------------------------------------------------------------------------
-- 8. The QĐ 1881/QĐ-TTg (2021–2025) targets that 0019 had to fold into a
--    broader indicator's note are indicators of their own (DOMAIN §4.2):
--    technology lines (beside the machines of I05), cleaner-production pilot
--    models (beside the assessments of I07), cluster pollution-treatment
--    systems (beside the cluster plans of I15); with their targets.
-- ---------------------------------------------------------------------------
insert into indicators (code, name_vi, name_en, unit_vi, unit_en, legal_act, valid_from, confidence, note) values
  ('I05b', 'Số dây chuyền công nghệ tiên tiến được hỗ trợ ứng dụng', 'Advanced technology lines supported',
   'dây chuyền', 'lines', 'QĐ 1881/QĐ-TTg', '2020-11-20', 'C', 'Mục tiêu 2021–2025: 300 dây chuyền (tách khỏi I05).'),
  ('I07b', 'Số mô hình thí điểm áp dụng sản xuất sạch hơn', 'Cleaner-production pilot models',
   'mô hình', 'models', 'QĐ 1881/QĐ-TTg', '2020-11-20', 'P', 'Mục tiêu 2021–2025: 100 mô hình (tách khỏi I07).'),
  ('I15b', 'Số cụm công nghiệp được hỗ trợ sửa chữa, nâng cấp hệ thống xử lý ô nhiễm môi trường',
   'Industrial clusters supported with pollution-treatment systems', 'cụm công nghiệp', 'clusters',
   'QĐ 1881/QĐ-TTg', '2020-11-20', 'P', 'Mục tiêu 2021–2025: khoảng 60 CCN (tách khỏi I15).');

insert into programme_targets (programme_id, indicator, target, confidence, source_ref, note)
select p.id, t.indicator, t.target, t.confidence, t.source_ref, t.note
  from programmes p
  join (values
    ('KCQG-2021-2025', 'I05b', 300::bigint, 'C', 'QĐ 1881/QĐ-TTg [S18][S19]', 'Ứng dụng dây chuyền công nghệ tiên tiến'),
    ('KCQG-2021-2025', 'I07b', 100, 'P', 'QĐ 1881/QĐ-TTg theo báo chí [S18]', 'Mô hình thí điểm về sản xuất sạch hơn'),
    ('KCQG-2021-2025', 'I15b', 60, 'P', 'QĐ 1881/QĐ-TTg theo báo chí [S18]',
     'Khoảng 60 CCN được hỗ trợ sửa chữa, nâng cấp hệ thống xử lý ô nhiễm ("≈ 60")')
  ) as t (period, indicator, target, confidence, source_ref, note) on p.period_code = t.period
 where p.scope = 'national';

update programme_targets set note = replace(note, ' [C] không cộng vào đây', ': chỉ tiêu riêng I05b')
 where indicator = 'I05' and note like '%300 dây chuyền%';
update programme_targets set note = replace(note, ' [P] không cộng vào đây', ': chỉ tiêu riêng I07b')
 where indicator = 'I07' and note like '%100 mô hình thí điểm%';
update programme_targets set note = replace(note, ' [P] không cộng vào đây', ': chỉ tiêu riêng I15b')
 where indicator = 'I15' and note like '%60 hệ thống%';

-- ---------------------------------------------------------------------------
-- 7. Rules written in the catalogue but not enforced before (DOMAIN §1.6):
--    `requires_bidding` — the content is procured by bidding (đấu thầu),
--    TT 36/2013 Art. 3 (a national project: completeness, refused at
--    submission; a local one: a warning, the province sets its own rules);
--    `group_project_eligible` — a group project (đề án nhóm) only of the
--    contents TT 17/2018 lists (a value rule); a group machinery project
--    (ND45.4.3) names its beneficiaries and locations at the Ministry's
--    appraisal (TT 17/2018, completeness). Called by kc_project_check_row.
-- ---------------------------------------------------------------------------
create function kc_project_rules_0025(pr projects, pl plans, v_res jsonb, p_submission boolean) returns jsonb
language plpgsql stable as $$
declare
  v_soft text := case when p_submission then 'violations' else 'warnings' end;
  cc content_categories;
  v_bad text;
begin
  select c.* into cc from project_categories pc join content_categories c on c.code = pc.content_code
   where pc.project_id = pr.id and pc.is_primary;
  if cc.requires_bidding and coalesce(pr.procurement, 'selection') <> 'bidding' then
    v_res := kc_check_push(v_res, case when pl.scope = 'national' then v_soft else 'warnings' end,
      kc_violation('procurement', 'bidding',
        format('the content %s is procured by bidding (đấu thầu) under the Procurement Law, not by selection (TT 36/2013 Art. 3)',
               cc.code)));
  end if;
  if pr.kind = 'group' then
    select string_agg(c.code, ', ' order by c.code) into v_bad
      from project_categories pc join content_categories c on c.code = pc.content_code
     where pc.project_id = pr.id and not c.group_project_eligible;
    if v_bad is not null then
      v_res := kc_check_push(v_res, 'violations', kc_violation('kind', 'group_project_eligible',
        format('a group project (đề án nhóm) covers only the contents TT 17/2018 lists; not: %s', v_bad)));
    end if;
    if cc.code = 'ND45.4.3' then
      if not exists (select 1 from project_beneficiaries where project_id = pr.id) then
        v_res := kc_check_push(v_res, v_soft, kc_violation('beneficiaries', 'group_machinery',
          'a group machinery project names its beneficiaries at the Ministry''s appraisal (TT 17/2018)'));
      end if;
      if jsonb_array_length(coalesce(pr.locations, '[]')) = 0 then
        v_res := kc_check_push(v_res, v_soft, kc_violation('locations', 'group_machinery',
          'a group machinery project names its locations at the Ministry''s appraisal (TT 17/2018)'));
      end if;
    end if;
  end if;
  return v_res;
end $$;

-- ---------------------------------------------------------------------------
-- 7. Monthly lateness from the calendar rule: the report is due "before the
--    25th" (TT 36/2013 Art. 23.3.a; calendar_rules progress_monthly, 0013),
--    so one submitted on the 25th itself (Vietnam time) is late. 0008's
--    function counted the 25th as on time; the flag is now set here from the
--    rule's day (kc_progress_due), whoever inserts the report.
-- ---------------------------------------------------------------------------
create function project_progress_late() returns trigger
language plpgsql as $$
begin
  new.late := (new.submitted_at at time zone 'Asia/Ho_Chi_Minh')::date >= kc_progress_due(new.period);
  return new;
end $$;

create trigger project_progress_late before insert on project_progress_reports
  for each row execute function project_progress_late();

-- ---------------------------------------------------------------------------
-- 7. Certificate validity counted from the year of issue (DOMAIN §5.4: a
--    typical-product certificate is valid from issue until 31 December of the
--    3rd year counting the year of issue, TT 26/2014/TT-BCT): 0008 counted
--    from the round's year, which is earlier when the certificate is issued
--    the year after the round. An unknown issue date counts as the round's
--    year, as 0008 does. Replaced: kc_typical_product_violations,
--    kc_typical_product_apply (0008); a CHECK for new rows.
-- ---------------------------------------------------------------------------
create function kc_certificate_last_day(p_year integer, p_issued_on date) returns date
language sql immutable as $$
  select make_date(coalesce(extract(year from p_issued_on)::integer, p_year) + 2, 12, 31)
$$;

alter table typical_products add constraint typical_products_validity
  check (valid_until <= kc_certificate_last_day(year, issued_on)) not valid;

create or replace function kc_typical_product_violations(t typical_products) returns jsonb
language sql stable as $$
  select coalesce(jsonb_agg(x), '[]'::jsonb) from (
    select kc_violation('org_id', 'exists', 'no such province') as x
     where not exists (select 1 from orgs o where o.id = t.org_id and o.kind = 'province')
    union all
    select kc_violation('score', 'threshold', 'a product is certified with an average score of 70 or more (TT 26/2014 Art. 17)')
     where t.score < 70
    union all
    select kc_violation('valid_until', 'validity',
                        format('a certificate issued in %s is valid at most until %s (TT 26/2014: 31/12 of the 3rd year counting the year of issue)',
                               coalesce(extract(year from t.issued_on)::integer, t.year),
                               to_char(kc_certificate_last_day(t.year, t.issued_on), 'DD/MM/YYYY')))
     where t.valid_until > kc_certificate_last_day(t.year, t.issued_on)
    union all
    select kc_violation('issued_on', 'year', format('a certificate of the %s round is issued in %s or later', t.year, t.year))
     where t.issued_on is not null and extract(year from t.issued_on) < t.year
    union all
    select kc_violation('certificate_no', 'unique', 'this certificate number is already registered for that level and year')
     where exists (select 1 from typical_products o where o.level = t.level and o.year = t.year
                      and o.certificate_no = t.certificate_no and o.id is distinct from t.id)
  ) s
$$;

create or replace function kc_typical_product_apply(t typical_products, p jsonb) returns typical_products
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
  t.valid_until := coalesce(t.valid_until, kc_certificate_last_day(t.year, t.issued_on));
  return t;
end $$;

-- ---------------------------------------------------------------------------
-- 7. Holidays with Tết and the other lunar holidays, 2014–2030, computed
--    (not typed in): the lunar calendar of Vietnam (UTC+7) by the
--    astronomical method the Vietnamese calendar uses (new moons and solar
--    terms; Hồ Ngọc Đức's published algorithm, after Meeus), so the
--    working-day deadlines (correspondence answer days, kc_add_working_days
--    of 0013) skip them.
--    Bộ luật Lao động 2012 Điều 115 (to 2020) / 2019 Điều 112 (from 2021):
--    Tết Dương lịch 1/1; Tết Âm lịch 5 days; Giỗ Tổ Hùng Vương 10/3 lunar;
--    30/4; 1/5; Quốc khánh 2/9 (and, from 2021, one day next to it); a
--    holiday on a weekly rest day is made up the next working day (Điều 115.3
--    / 112.3). Which five days of Tết, and which day next to 2/9, the
--    Government announces each year: seeded here as the usual choice (the
--    last day of the old lunar year and the first four of the new; 3/9 —
--    1/9 when 2/9 is a Monday... as announced), to be corrected by the
--    announcement (rows are plain data: delete and insert).
-- ---------------------------------------------------------------------------
create function kc_lunar_jd_new_moon(k integer) returns double precision
language plpgsql immutable as $$
declare
  t double precision := k / 1236.85;
  t2 double precision := t * t;
  t3 double precision := t * t * t;
  dr double precision := pi() / 180;
  jd1 double precision;
  m double precision;
  mpr double precision;
  f double precision;
  c1 double precision;
  deltat double precision;
begin
  jd1 := 2415020.75933 + 29.53058868 * k + 0.0001178 * t2 - 0.000000155 * t3;
  jd1 := jd1 + 0.00033 * sin((166.56 + 132.87 * t - 0.009173 * t2) * dr);
  m := 359.2242 + 29.10535608 * k - 0.0000333 * t2 - 0.00000347 * t3;
  mpr := 306.0253 + 385.81691806 * k + 0.0107306 * t2 + 0.00001236 * t3;
  f := 21.2964 + 390.67050646 * k - 0.0016528 * t2 - 0.00000239 * t3;
  c1 := (0.1734 - 0.000393 * t) * sin(m * dr) + 0.0021 * sin(2 * dr * m);
  c1 := c1 - 0.4068 * sin(mpr * dr) + 0.0161 * sin(dr * 2 * mpr);
  c1 := c1 - 0.0004 * sin(dr * 3 * mpr);
  c1 := c1 + 0.0104 * sin(dr * 2 * f) - 0.0051 * sin(dr * (m + mpr));
  c1 := c1 - 0.0074 * sin(dr * (m - mpr)) + 0.0004 * sin(dr * (2 * f + m));
  c1 := c1 - 0.0004 * sin(dr * (2 * f - m)) - 0.0006 * sin(dr * (2 * f + mpr));
  c1 := c1 + 0.0010 * sin(dr * (2 * f - mpr)) + 0.0005 * sin(dr * (2 * mpr + m));
  if t < -11 then
    deltat := 0.001 + 0.000839 * t + 0.0002261 * t2 - 0.00000845 * t3 - 0.000000081 * t * t3;
  else
    deltat := -0.000278 + 0.000265 * t + 0.000262 * t2;
  end if;
  return jd1 + c1 - deltat;
end $$;

-- The (Julian) day number of the k-th new moon, in Vietnam's time.
create function kc_lunar_new_moon_day(k integer) returns integer
language sql immutable as $$
  select floor(kc_lunar_jd_new_moon(k) + 0.5 + 7.0 / 24)::integer
$$;

-- The sun's longitude at the start of day @jdn (Vietnam time), in 30°
-- sectors 0..11 (the solar terms).
create function kc_lunar_sun_sector(jdn integer) returns integer
language plpgsql immutable as $$
declare
  t double precision := (jdn - 0.5 - 7.0 / 24 - 2451545.0) / 36525;
  t2 double precision := t * t;
  dr double precision := pi() / 180;
  m double precision;
  l double precision;
begin
  m := 357.52910 + 35999.05030 * t - 0.0001559 * t2 - 0.00000048 * t * t2;
  l := 280.46645 + 36000.76983 * t + 0.0003032 * t2
       + (1.914600 - 0.004817 * t - 0.000014 * t2) * sin(dr * m)
       + (0.019993 - 0.000101 * t) * sin(dr * 2 * m) + 0.000290 * sin(dr * 3 * m);
  l := l * dr;
  l := l - pi() * 2 * floor(l / (pi() * 2));
  return floor(l / pi() * 6)::integer;
end $$;

-- The day number of the start of the 11th lunar month of solar year @yy.
create function kc_lunar_month11(yy integer) returns integer
language plpgsql immutable as $$
declare
  k integer := floor((to_char(make_date(yy, 12, 31), 'J')::integer - 2415021) / 29.530588853)::integer;
  nm integer := kc_lunar_new_moon_day(k);
begin
  if kc_lunar_sun_sector(nm) >= 9 then
    nm := kc_lunar_new_moon_day(k - 1);
  end if;
  return nm;
end $$;

create function kc_lunar_leap_offset(a11 integer) returns integer
language plpgsql immutable as $$
declare
  k integer := floor((a11 - 2415021.076998695) / 29.530588853 + 0.5)::integer;
  i integer := 1;
  arc integer := kc_lunar_sun_sector(kc_lunar_new_moon_day(k + 1));
  last integer;
begin
  loop
    last := arc;
    i := i + 1;
    arc := kc_lunar_sun_sector(kc_lunar_new_moon_day(k + i));
    exit when arc = last or i >= 14;
  end loop;
  return i - 1;
end $$;

-- The solar date of lunar day @d of month @m of lunar year @y (not a leap
-- month).
create function kc_lunar_to_solar(d integer, m integer, y integer) returns date
language plpgsql immutable as $$
declare
  a11 integer;
  b11 integer;
  k integer;
  off integer;
  leap_off integer;
begin
  if m < 11 then
    a11 := kc_lunar_month11(y - 1);
    b11 := kc_lunar_month11(y);
  else
    a11 := kc_lunar_month11(y);
    b11 := kc_lunar_month11(y + 1);
  end if;
  k := floor(0.5 + (a11 - 2415021.076998695) / 29.530588853)::integer;
  off := m - 11;
  if off < 0 then
    off := off + 12;
  end if;
  if b11 - a11 > 365 then
    leap_off := kc_lunar_leap_offset(a11);
    if off >= leap_off then
      off := off + 1;
    end if;
  end if;
  return to_date((kc_lunar_new_moon_day(k + off) + d - 1)::text, 'J');
end $$;

-- The public holidays of @p_year by the labour code in force then, with the
-- made-up days (nghỉ bù) of those falling on Saturday or Sunday.
create function kc_public_holidays(p_year integer)
returns table (day date, name text)
language plpgsql stable as $$
declare
  tet date := kc_lunar_to_solar(1, 1, p_year);
  sep2 date := make_date(p_year, 9, 2);
  v_days date[];
  v_names text[];
  v_next date;
  i integer;
begin
  v_days := array[make_date(p_year, 1, 1), make_date(p_year, 4, 30), make_date(p_year, 5, 1), sep2,
                  kc_lunar_to_solar(10, 3, p_year), tet - 1, tet, tet + 1, tet + 2, tet + 3];
  v_names := array['Tết Dương lịch', 'Ngày Chiến thắng', 'Ngày Quốc tế lao động', 'Quốc khánh',
                   'Giỗ Tổ Hùng Vương (10/3 âm lịch)', 'Tết Nguyên đán (ngày cuối năm âm lịch)',
                   'Tết Nguyên đán (mùng 1)', 'Tết Nguyên đán (mùng 2)', 'Tết Nguyên đán (mùng 3)',
                   'Tết Nguyên đán (mùng 4)'];
  if p_year >= 2021 then
    -- the day next to 2/9 the Government usually picks for a long weekend
    v_days := v_days || case when extract(isodow from sep2) in (2, 3, 5, 6) then sep2 - 1 else sep2 + 1 end;
    v_names := v_names || 'Quốc khánh (ngày liền kề)'::text;
  end if;
  for i in 1 .. cardinality(v_days) loop
    if extract(isodow from v_days[i]) >= 6 then
      v_next := v_days[i] + 1;
      while extract(isodow from v_next) >= 6 or v_next = any (v_days) loop
        v_next := v_next + 1;
      end loop;
      v_days := v_days || v_next;
      v_names := v_names || format('Nghỉ bù (%s)', v_names[i]);
    end if;
  end loop;
  return query select x.d, x.n from unnest(v_days, v_names) x (d, n);
end $$;

-- 2014–2030: the computed days join the table; a day already there (the
-- fixed days 0013 seeded for 2026–2027) keeps its row.
insert into holidays (day, name)
select h.day, h.name from generate_series(2014, 2030) y, kc_public_holidays(y) h
on conflict (day) do nothing;

-- ---------------------------------------------------------------------------
-- 7. TT 17/2018's flagship bounds only from its effective date (DOMAIN
--    §1.6): before it, the original definition of TT 36/2013 — at least two
--    contents, large scale, more than one year — sets no upper bound on the
--    years and no number of beneficiaries. project_kinds (0004) has one row
--    per kind with TT 17's bounds; these dated rows say which bounds apply on
--    the day of a project's rules, and the check drops 0006's max_years /
--    min_beneficiaries findings where the dated row has none.
-- ---------------------------------------------------------------------------
create table project_kind_bounds (
  kind text not null references project_kinds (code),
  min_years integer,
  max_years integer,
  min_contents integer,
  min_beneficiaries integer,
  legal_act text not null,
  valid_from date not null,
  valid_to date,
  confidence char(1) not null check (confidence in ('C', 'P', 'U')),
  note text,
  version integer not null default 1,
  primary key (kind, valid_from),
  check (valid_to is null or valid_to >= valid_from)
);

insert into project_kind_bounds (kind, min_years, max_years, min_contents, min_beneficiaries, legal_act,
                                 valid_from, valid_to, confidence, note) values
  ('flagship', 2, null, 2, null, 'TT 36/2013/TT-BCT (bản gốc)', '2014-02-10', '2018-08-23', 'C',
   'Định nghĩa gốc: ít nhất 2 nội dung, quy mô lớn, thực hiện trên một năm.'),
  ('flagship', 2, 3, 2, 2, 'TT 17/2018/TT-BCT khoản 3 Điều 1 (Điều 3a TT 36/2013)', '2018-08-24', null, 'U',
   'TT 17/2018 ký ngày 10/07/2018; ngày hiệu lực 24/08/2018 là giả định (45 ngày sau khi ký), chưa đối chiếu văn bản.');

create function kc_project_kind_bounds(pr projects, v_res jsonb) returns jsonb
language plpgsql stable as $$
declare
  b project_kind_bounds;
  v_drop text[] := '{}';
begin
  select * into b from project_kind_bounds
   where kind = pr.kind and kc_valid_on(valid_from, valid_to, (v_res->>'checked_on')::date);
  if not found then
    return v_res;
  end if;
  if b.max_years is null then
    v_drop := v_drop || 'max_years'::text;
  end if;
  if b.min_beneficiaries is null then
    v_drop := v_drop || 'min_beneficiaries'::text;
  end if;
  if cardinality(v_drop) = 0 then
    return v_res;
  end if;
  return jsonb_set(jsonb_set(v_res,
    '{violations}', coalesce((select jsonb_agg(x) from jsonb_array_elements(v_res->'violations') x
                               where not (x->>'rule' = any (v_drop))), '[]')),
    '{warnings}', coalesce((select jsonb_agg(x) from jsonb_array_elements(v_res->'warnings') x
                             where not (x->>'rule' = any (v_drop))), '[]'));
end $$;

-- catalog.get with the sections of this file (defined last: an SQL function's
-- tables must exist when it is created).
create or replace function kc_catalog_json(p_on date) returns json
language sql stable as $$
  select (kc_catalog_json_0004(p_on)::jsonb || jsonb_build_object(
    'advance_rules', coalesce((select jsonb_agg(to_jsonb(t) order by t.code, t.valid_from) from advance_rules t
                                where kc_valid_on(t.valid_from, t.valid_to, p_on)), '[]'),
    'advance_first_rules', coalesce((select jsonb_agg(to_jsonb(t) order by t.cap_code, t.valid_from)
                                       from advance_first_rules t
                                      where kc_valid_on(t.valid_from, t.valid_to, p_on)), '[]'),
    'project_kind_bounds', coalesce((select jsonb_agg(to_jsonb(t) order by t.kind, t.valid_from)
                                       from project_kind_bounds t
                                      where kc_valid_on(t.valid_from, t.valid_to, p_on)), '[]'),
    'local_caps', coalesce((select jsonb_agg(to_jsonb(t) || jsonb_build_object('province_code', o.province_code)
                                             order by o.province_code, t.cap_code, t.valid_from)
                              from local_caps t join orgs o on o.id = t.province_id
                             where kc_valid_on(t.valid_from, t.valid_to, p_on)), '[]')))::json
$$;
