-- 0006_project_rules.sql — the business rules of projects (đề án), issue 3:
-- what a project must satisfy to be saved and to be submitted, checked
-- against the catalogue rows in force on 1 January of its plan year
-- (0004), and copying a project into a later year's plan.
--
-- kc_project_check(id, submission) returns {violations, warnings, cap}:
--
--   value rules (a violation whenever they fail; refused with 1022 by
--   project.create/update and plan.submit):
--     dates      end ≥ start; the project starts inside its plan year and
--                ends by 31/12 of year + max_years − 1, and a kind lasting at
--                least min_years ends in year + min_years − 1 or later
--                (project_kinds: 1 year for regular, group and task; 2–3
--                years for a flagship, TT 17/2018; DOMAIN §1.6)
--     cap        the central support (budget line 'central') within the cap
--                in force for the project's primary content category:
--                  central ≤ least(pct_cap % × eligible cost,
--                                  abs_cap_vnd × (priority ? priority_factor : 1))
--                boundary inclusive (TTLT 26/2014 Art. 6.2 / TT 28/2018
--                Art. 8; DOMAIN §3.4). The ELIGIBLE COST is the sum of all
--                the project's budget lines (central + local + counterpart +
--                other): the dossier has no separate list of eligible
--                expenses (Mẫu 1 gives the estimate by source only).
--                "priority" = a priority area (a–d) or any priority sector
--                flag (export, local_materials, labour_intensive,
--                supporting_industry, typical_product; NĐ 45/2012 Art. 6,
--                TT 46/2012 Art. 6.2); the uplift applies only where the cap
--                row has a priority_factor (TTLT 26/2014 Art. 6.2.t).
--                The cap row is the project's cap_code (chosen by the user
--                when its content has several caps) or, without one, the
--                only cap of the content in force. A content without any cap
--                in force (training: external norms) is not checked.
--     counterpart with a declared total_cost, the budget lines cover it:
--                counterpart + other ≥ total_cost − central − local (the
--                beneficiary has committed all the rest, TTLT 26/2014 Art.
--                7.3), and they do not exceed it. 'other' (sponsorship,
--                other lawful sources, NĐ 45/2012 Art. 12.b–c) counts as
--                committed. Without total_cost the lines are the cost.
--
--   completeness rules (a warning while drafting — drafts may be saved with
--   them — and a violation at submission and in project.check):
--     declaration no_double_funding is true (TTLT 26/2014 Art. 7.4)
--     contents   at least project_kinds.min_contents content categories
--     beneficiaries at least project_kinds.min_beneficiaries beneficiaries
--                (flagship: 2 and 2, TT 17/2018; regular: 1 and 1)
--     cap choice central support > 0 and several caps in force for the
--                content, and no cap_code chosen
--
--   unconfirmed values: a cap row with confidence 'U' turns its cap
--   violation into a warning that says the value is unconfirmed; a project
--   that passes only thanks to the priority uplift while the uplift row in
--   force (C25) is 'U' gets a warning saying so.
--
-- Non-negative integer amounts are typed (-32602 in the server, check
-- constraints here). The project records what it was last checked against:
-- checked_cap_id (support_caps.id), checked_on (the day whose rules were
-- applied: 1 January of the plan year), checked_at and check_warnings.

alter table projects
  add column cap_code text check (cap_code ~ '^C[0-9]{2}[a-z]?$'),
  -- the project's total cost estimate (Mẫu 1, tổng kinh phí), đồng; null:
  -- the sum of the budget lines
  add column total_cost bigint check (total_cost >= 0),
  add column checked_cap_id bigint references support_caps (id),
  add column checked_on date,
  add column checked_at timestamptz,
  add column check_warnings jsonb not null default '[]'
    check (jsonb_typeof(check_warnings) = 'array'),
  -- project.copy: the project this one was copied from
  add column copied_from bigint references projects (id) on delete set null;

-- Amounts in messages: 1,000,000,000.
create function kc_vnd(p numeric) returns text
language sql immutable strict as $$
  select to_char(floor(p), 'FM999,999,999,999,999,999,990')
$$;

-- Appends @p_v to the list @p_bucket ('violations' or 'warnings') of @p_res.
create function kc_check_push(p_res jsonb, p_bucket text, p_v jsonb) returns jsonb
language sql immutable as $$
  select jsonb_set(p_res, array[p_bucket], (p_res->p_bucket) || jsonb_build_array(p_v))
$$;

-- The check of the row @pr as it stands in memory (its lists as they are
-- in the tables): project.update checks the row it is about to write and
-- writes it once, with the check's results (kc_project_update below).
-- It calls kc_project_extension and kc_project_typical of 0008 (approved
-- extensions into the next year, typical-product certificates): PL/pgSQL
-- resolves a call when it runs, and no check runs before every migration
-- has been applied.
create function kc_project_check_row(pr projects, p_submission boolean) returns jsonb
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
  v_on := make_date(pl.year, 1, 1);
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

-- The check of the stored project @p_id; null if there is none.
create function kc_project_check(p_id bigint, p_submission boolean default true) returns jsonb
language plpgsql stable as $$
declare
  pr projects;
begin
  select * into pr from projects where id = p_id;
  if not found then
    return null;
  end if;
  return kc_project_check_row(pr, p_submission);
end $$;

-- Runs the check and records it on the project (what it was checked
-- against, when, and the warnings). Returns the check.
create function kc_project_record_check(p_id bigint, p_submission boolean) returns jsonb
language plpgsql as $$
declare
  v_check jsonb := kc_project_check(p_id, p_submission);
begin
  update projects set checked_cap_id = (v_check->'cap'->>'id')::bigint,
                      checked_on = (v_check->>'checked_on')::date, checked_at = now(),
                      check_warnings = v_check->'warnings'
   where id = p_id;
  return v_check;
end $$;

-- project.check {id}: the pre-flight check, as plan.submit will see it.
create function kc_project_check_rpc(p_scope bigint, p jsonb) returns jsonb
language sql stable as $$
  select coalesce(
    (select jsonb_build_object('result', jsonb_build_object('id', pr.id, 'code', pr.code)
                                         || kc_project_check(pr.id, true))
       from projects pr join plans pl on pl.id = pr.plan_id
      where pr.id = (p->>'id')::bigint and kc_plan_visible(pl.org_id, pl.scope, pl.status, p_scope)),
    kc_err(1004, 'no such project'))
$$;

-- ---------------------------------------------------------------------------
-- The project and plan writes, with the rules and the columns above
-- (cap_code, total_cost; checked_* and warnings in the project's JSON)
-- ---------------------------------------------------------------------------

-- The scalar dossier fields of @p over the current row @cur (null when
-- creating): a member present replaces, an absent one keeps.
create function kc_project_apply(cur projects, p jsonb) returns projects
language plpgsql stable as $$
declare
  r projects := cur;
begin
  if p ? 'title' then r.title := p->>'title'; end if;
  if p ? 'kind' then r.kind := coalesce(p->>'kind', 'regular'); end if;
  if p ? 'implementer' then r.implementer := p->>'implementer'; end if;
  if p ? 'partners' then r.partners := coalesce(nullif(p->'partners', 'null'), '[]'); end if;
  if p ? 'locations' then r.locations := coalesce(nullif(p->'locations', 'null'), '[]'); end if;
  if p ? 'rationale' then r.rationale := p->>'rationale'; end if;
  if p ? 'legal_basis' then r.legal_basis := p->>'legal_basis'; end if;
  if p ? 'objectives' then r.objectives := p->>'objectives'; end if;
  if p ? 'scale_and_novelty' then r.scale_and_novelty := p->>'scale_and_novelty'; end if;
  if p ? 'work_items' then r.work_items := coalesce(nullif(p->'work_items', 'null'), '[]'); end if;
  if p ? 'implementation' then r.implementation := p->>'implementation'; end if;
  if p ? 'impact' then r.impact := p->>'impact'; end if;
  if p ? 'procurement' then r.procurement := coalesce(p->>'procurement', 'selection'); end if;
  if p ? 'sector' then r.sector := p->>'sector'; end if;
  if p ? 'priority_area' then r.priority_area := p->>'priority_area'; end if;
  if p ? 'export' then r.export := coalesce((p->>'export')::boolean, false); end if;
  if p ? 'local_materials' then r.local_materials := coalesce((p->>'local_materials')::boolean, false); end if;
  if p ? 'labour_intensive' then r.labour_intensive := coalesce((p->>'labour_intensive')::boolean, false); end if;
  if p ? 'supporting_industry' then r.supporting_industry := coalesce((p->>'supporting_industry')::boolean, false); end if;
  if p ? 'typical_product' then r.typical_product := coalesce((p->>'typical_product')::boolean, false); end if;
  if p ? 'start_date' then r.start_date := (p->>'start_date')::date; end if;
  if p ? 'end_date' then r.end_date := (p->>'end_date')::date; end if;
  if p ? 'no_double_funding' then r.no_double_funding := coalesce((p->>'no_double_funding')::boolean, false); end if;
  if p ? 'cap_code' then r.cap_code := p->>'cap_code'; end if;
  if p ? 'total_cost' then r.total_cost := (p->>'total_cost')::bigint; end if;
  return r;
end $$;

-- project.create {plan_id, title, ...}: the project, its lines, checked.
create function kc_project_create(p_user bigint, p_username text, p_peer text, p_role text,
                                  p_scope bigint, p jsonb) returns jsonb
language plpgsql as $$
declare
  v plans;
  r projects;
  v_id bigint;
  v_viol jsonb;
  v_after jsonb;
  v_check jsonb;
begin
  select * into v from plans where id = (p->>'plan_id')::bigint for update;
  if not found or p_scope is null or not kc_plan_visible(v.org_id, v.scope, v.status, p_scope) then
    return kc_err(1004, 'no such plan');
  end if;
  if v.status <> 'draft' then
    return kc_err(1010, format('projects are added to a draft plan; this plan is %s', v.status),
                  jsonb_build_object('status', v.status));
  end if;
  r := kc_project_apply(null::projects, p);
  v_viol := kc_project_violations(p, r.start_date, r.end_date);
  if jsonb_array_length(v_viol) > 0 then
    return kc_err(1022, v_viol->0->>'message', jsonb_build_object('violations', v_viol));
  end if;
  perform kc_actor_set(p_user, p_role);
  begin
  insert into projects (plan_id, code, title, kind, implementer, partners, locations, rationale,
                        legal_basis, objectives, scale_and_novelty, work_items, implementation,
                        impact, procurement, sector, priority_area, export, local_materials,
                        labour_intensive, supporting_industry, typical_product, start_date,
                        end_date, no_double_funding, cap_code, total_cost, created_by)
  values (v.id, '', r.title, coalesce(r.kind, 'regular'), r.implementer,
          coalesce(r.partners, '[]'), coalesce(r.locations, '[]'), r.rationale, r.legal_basis,
          r.objectives, r.scale_and_novelty, coalesce(r.work_items, '[]'), r.implementation,
          r.impact, coalesce(r.procurement, 'selection'), r.sector, r.priority_area,
          coalesce(r.export, false), coalesce(r.local_materials, false),
          coalesce(r.labour_intensive, false), coalesce(r.supporting_industry, false),
          coalesce(r.typical_product, false), r.start_date, r.end_date,
          coalesce(r.no_double_funding, false), r.cap_code, r.total_cost, p_user)
  returning id into v_id;
  perform kc_project_write_lists(v_id, p);
  -- the rules (kc_project_check): any violation undoes the writes above
  -- (the code counter too) and is answered 1022, warnings are saved
  v_check := kc_project_check(v_id, false);
  if jsonb_array_length(v_check->'violations') > 0 then
    raise exception 'project rules' using errcode = 'KC022';
  end if;
  exception when sqlstate 'KC022' then
    return kc_err(1022, v_check->'violations'->0->>'message',
                  jsonb_build_object('violations', v_check->'violations',
                                     'warnings', v_check->'warnings'));
  end;
  update projects set checked_cap_id = (v_check->'cap'->>'id')::bigint,
                      checked_on = (v_check->>'checked_on')::date, checked_at = now(),
                      check_warnings = v_check->'warnings'
   where id = v_id;
  v_after := kc_project_json(v_id, true);
  perform kc_audit(p_user, p_username, p_peer, 'project.create', 'project', v_id, null,
                   v_after - 'history');
  return jsonb_build_object('result', v_after);
end $$;

-- project.update {id, version, ...}: a draft (or revision-requested) project.
create function kc_project_update(p_user bigint, p_username text, p_peer text, p_role text,
                                  p_scope bigint, p jsonb) returns jsonb
language plpgsql as $$
declare
  cur projects;
  r projects;
  v plans;
  v_err jsonb;
  v_viol jsonb;
  v_before jsonb;
  v_after jsonb;
  v_check jsonb;
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
  r := kc_project_apply(cur, p);
  v_viol := kc_project_violations(p, r.start_date, r.end_date);
  if jsonb_array_length(v_viol) > 0 then
    return kc_err(1022, v_viol->0->>'message', jsonb_build_object('violations', v_viol));
  end if;
  v_before := kc_project_json(cur.id, true) - 'history';
  perform kc_actor_set(p_user, p_role);
  -- The rules run once, on the row as it is about to be written with its
  -- new lists (kc_project_check_row), and the row is then written
  -- once with what it was checked against: any violation undoes the lists
  -- and is answered 1022, the warnings are saved with the row.
  begin
  perform kc_project_write_lists(cur.id, p);
  v_check := kc_project_check_row(r, false);
  if jsonb_array_length(v_check->'violations') > 0 then
    raise exception 'project rules' using errcode = 'KC022';
  end if;
  exception when sqlstate 'KC022' then
    return kc_err(1022, v_check->'violations'->0->>'message',
                  jsonb_build_object('violations', v_check->'violations',
                                     'warnings', v_check->'warnings'));
  end;
  update projects set title = r.title, kind = r.kind, implementer = r.implementer,
         partners = r.partners, locations = r.locations, rationale = r.rationale,
         legal_basis = r.legal_basis, objectives = r.objectives,
         scale_and_novelty = r.scale_and_novelty, work_items = r.work_items,
         implementation = r.implementation, impact = r.impact, procurement = r.procurement,
         sector = r.sector, priority_area = r.priority_area, export = r.export,
         local_materials = r.local_materials, labour_intensive = r.labour_intensive,
         supporting_industry = r.supporting_industry, typical_product = r.typical_product,
         start_date = r.start_date, end_date = r.end_date,
         no_double_funding = r.no_double_funding, cap_code = r.cap_code,
         total_cost = r.total_cost, version = version + 1,
         checked_cap_id = (v_check->'cap'->>'id')::bigint,
         checked_on = (v_check->>'checked_on')::date, checked_at = now(),
         check_warnings = v_check->'warnings'
   where id = cur.id;
  v_after := kc_project_json(cur.id, true);
  perform kc_audit(p_user, p_username, p_peer, 'project.update', 'project', cur.id, v_before,
                   v_after - 'history');
  return jsonb_build_object('result', v_after);
end $$;

-- plan.submit, plan.withdraw, plan.appraise, plan.approve_local: the plan
-- and its projects move together.
create function kc_plan_transition(p_user bigint, p_username text, p_peer text, p_role text,
                                   p_scope bigint, p_method text, p jsonb) returns jsonb
language plpgsql as $$
declare
  v plans;
  v_err jsonb;
  v_before jsonb;
  v_after jsonb;
  v_moved bigint[];
  v_deadline date;
  v_decision text := p->>'decision';
  v_rules jsonb;
  v_from text[] := case p_method when 'plan.submit' then array['draft'] else array['submitted'] end;
begin
  select * into v from plans where id = (p->>'id')::bigint for update;
  v_err := kc_record_check('plan', found and p_scope is not null
                                   and kc_plan_visible(v.org_id, v.scope, v.status, p_scope),
                           v.version, (p->>'version')::integer, v.status, v_from);
  if v_err is not null then
    return v_err;
  end if;
  if p_method = 'plan.submit'
     and not exists (select 1 from projects where plan_id = v.id and status = 'draft') then
    return kc_err(1022, 'the plan has no draft project to submit',
                  jsonb_build_object('violations', jsonb_build_array(
                    kc_violation('id', 'not_empty', 'the plan has no draft project to submit'))));
  end if;
  if (p_method = 'plan.appraise' and v_decision = 'forward' and v.scope <> 'national')
     or (p_method = 'plan.approve_local' and v.scope <> 'local') then
    return kc_err(1022, 'not for a plan of this scope',
                  jsonb_build_object('violations', jsonb_build_array(kc_violation(
                    case when p_method = 'plan.appraise' then 'decision' else 'id' end, 'scope',
                    case when v.scope = 'local'
                         then 'a local plan is approved at the province (plan.approve_local), not forwarded'
                         else 'a national plan is forwarded to the Ministry (plan.appraise), not approved locally' end))));
  end if;
  -- plan.submit: every draft project passes the rules as at submission
  -- (kc_project_check); the violations of all of them are listed, each
  -- field under projects[CODE].
  if p_method = 'plan.submit' then
    select jsonb_build_object(
             'violations', coalesce(jsonb_agg(e.v || jsonb_build_object('field', format('projects[%s].%s', x.code, e.v->>'field'), 'project_id', x.id) order by x.id, e.i)
                                      filter (where e.kind = 'violations'), '[]'::jsonb),
             'warnings', coalesce(jsonb_agg(e.v || jsonb_build_object('field', format('projects[%s].%s', x.code, e.v->>'field'), 'project_id', x.id) order by x.id, e.i)
                                    filter (where e.kind = 'warnings'), '[]'::jsonb))
      into v_rules
      from (select pr.id, pr.code, kc_project_check(pr.id, true) as c
              from projects pr where pr.plan_id = v.id and pr.status = 'draft') x
      cross join lateral (select 'violations' as kind, w.v, w.i
                            from jsonb_array_elements(x.c->'violations') with ordinality w (v, i)
                          union all
                          select 'warnings', w.v, w.i
                            from jsonb_array_elements(x.c->'warnings') with ordinality w (v, i)) e;
    if jsonb_array_length(v_rules->'violations') > 0 then
      return kc_err(1022, format('%s rule violation(s) in the plan''s projects: %s',
                                 jsonb_array_length(v_rules->'violations'),
                                 v_rules->'violations'->0->>'message'), v_rules);
    end if;
  end if;
  v_before := kc_plan_json(v.id, false);
  perform kc_actor_set(p_user, p_role, p->>'comment', p->>'decision_no');
  if p_method = 'plan.submit' then
    with m as (update projects set status = 'submitted', stage = 'registered', version = version + 1
                where plan_id = v.id and status = 'draft' returning id)
    select array_agg(id order by id) into v_moved from m;
    update plans set status = 'submitted', submitted_by = p_user, submitted_at = now(),
                     version = version + 1 where id = v.id;
    perform kc_project_record_check(x, true) from unnest(v_moved) x;
  elsif p_method = 'plan.withdraw' then
    with m as (update projects set status = 'draft', stage = 'drafting', version = version + 1
                where plan_id = v.id and status = 'submitted' returning id)
    select array_agg(id order by id) into v_moved from m;
    update plans set status = 'draft', version = version + 1 where id = v.id;
  elsif p_method = 'plan.appraise' and v_decision = 'return' then
    with m as (update projects set status = 'draft', stage = 'returned', version = version + 1
                where plan_id = v.id and status = 'submitted' returning id)
    select array_agg(id order by id) into v_moved from m;
    update plans set status = 'draft', appraised_by = p_user, appraised_at = now(),
                     appraisal_decision = 'return', appraisal_comment = p->>'comment',
                     appraisal_sheet = p->'sheet', version = version + 1 where id = v.id;
  elsif p_method = 'plan.appraise' then
    v_deadline := coalesce((select due from calendar_rules
                             where rule = 'registration_deadline' and year = v.year),
                           make_date(v.year - 1, 6, 20));
    with m as (update projects set stage = 'base_appraised', version = version + 1
                where plan_id = v.id and status = 'submitted' returning id)
    select array_agg(id order by id) into v_moved from m;
    update plans set status = 'forwarded', appraised_by = p_user, appraised_at = now(),
                     appraisal_decision = 'forward', appraisal_comment = p->>'comment',
                     appraisal_sheet = p->'sheet', forwarded_at = now(), deadline = v_deadline,
                     late = (now() at time zone 'Asia/Ho_Chi_Minh')::date > v_deadline,
                     version = version + 1 where id = v.id;
  elsif p_method = 'plan.approve_local' then
    with m as (update projects set status = 'approved', stage = 'plan_approved', version = version + 1
                where plan_id = v.id and status = 'submitted' returning id)
    select array_agg(id order by id) into v_moved from m;
    update plans set status = 'approved', decision_no = p->>'decision_no',
                     decision_date = (p->>'decision_date')::date, decision_issuer = p->>'issuer',
                     approved_by = p_user, approved_at = now(), version = version + 1
     where id = v.id;
  else
    raise exception 'unknown plan transition %', p_method;
  end if;
  v_after := kc_plan_json(v.id, false)
             || jsonb_build_object('projects_moved', coalesce(to_jsonb(v_moved), '[]'::jsonb));
  if p_method = 'plan.submit' then
    v_after := v_after || jsonb_build_object('warnings', v_rules->'warnings');
  end if;
  perform kc_audit(p_user, p_username, p_peer, p_method, 'plan', v.id, v_before, v_after);
  return jsonb_build_object('result', v_after);
end $$;

-- ---------------------------------------------------------------------------
-- project.copy {id, plan_id}: the project (dossier, budget lines, indicator
-- targets, categories, beneficiaries, partners, locations, work items) into
-- another draft plan of the same organisation and scope for a later year, as
-- a new draft with a new code. Dates (start, end, work items) move by the
-- difference of the plan years. Not copied: status, history, achieved
-- values, the check results, and the no-double-funding declaration, which
-- is made anew for each year's project. The copy is checked against the
-- rules of its own year; its violations are returned with it (to fix before
-- submission), not refused: the copy is a starting point.
-- ---------------------------------------------------------------------------

create function kc_shift_date_text(p text, p_years integer) returns text
language sql immutable as $$
  select case when p ~ '^\d{4}-\d{2}-\d{2}$'
              then to_char((p::date + make_interval(years => p_years))::date, 'YYYY-MM-DD')
              else p end
$$;

create function kc_project_copy(p_user bigint, p_username text, p_peer text, p_role text,
                                p_scope bigint, p jsonb) returns jsonb
language plpgsql as $$
declare
  src projects;
  sp plans;
  v plans;
  v_shift integer;
  v_id bigint;
  v_viol jsonb;
  v_check jsonb;
  v_after jsonb;
begin
  select * into src from projects where id = (p->>'id')::bigint;
  if found then
    select * into sp from plans where id = src.plan_id;
  end if;
  if src.id is null or p_scope is null or not kc_plan_visible(sp.org_id, sp.scope, sp.status, p_scope) then
    return kc_err(1004, 'no such project');
  end if;
  select * into v from plans where id = (p->>'plan_id')::bigint for update;
  if not found or not kc_plan_visible(v.org_id, v.scope, v.status, p_scope) then
    return kc_err(1004, 'no such plan');
  end if;
  if v.status <> 'draft' then
    return kc_err(1010, format('projects are added to a draft plan; this plan is %s', v.status),
                  jsonb_build_object('status', v.status));
  end if;
  select coalesce(jsonb_agg(x), '[]'::jsonb) into v_viol from (
    select kc_violation('plan_id', 'same_org',
                        'a project is copied into a plan of the same organisation') as x
     where v.org_id <> sp.org_id
    union all
    select kc_violation('plan_id', 'same_scope',
                        format('a %s project is copied into a %s plan, not %s', sp.scope, sp.scope, v.scope))
     where v.scope <> sp.scope
    union all
    select kc_violation('plan_id', 'later_year',
                        format('a project of %s is copied into the plan of a later year, not %s', sp.year, v.year))
     where v.year <= sp.year) t;
  if jsonb_array_length(v_viol) > 0 then
    return kc_err(1022, v_viol->0->>'message', jsonb_build_object('violations', v_viol));
  end if;
  v_shift := v.year - sp.year;
  perform kc_actor_set(p_user, p_role);
  insert into projects (plan_id, code, title, kind, implementer, partners, locations, rationale,
                        legal_basis, objectives, scale_and_novelty, work_items, implementation,
                        impact, procurement, sector, priority_area, export, local_materials,
                        labour_intensive, supporting_industry, typical_product, start_date,
                        end_date, no_double_funding, cap_code, total_cost, copied_from, created_by)
  values (v.id, '', src.title, src.kind, src.implementer, src.partners, src.locations,
          src.rationale, src.legal_basis, src.objectives, src.scale_and_novelty,
          (select coalesce(jsonb_agg(case when jsonb_typeof(w) = 'object' then w
                                            || case when w ? 'from' then jsonb_build_object('from', kc_shift_date_text(w->>'from', v_shift)) else '{}' end
                                            || case when w ? 'to' then jsonb_build_object('to', kc_shift_date_text(w->>'to', v_shift)) else '{}' end
                                          else w end order by i), '[]'::jsonb)
             from jsonb_array_elements(src.work_items) with ordinality x (w, i)),
          src.implementation, src.impact, src.procurement, src.sector, src.priority_area,
          src.export, src.local_materials, src.labour_intensive, src.supporting_industry,
          src.typical_product, (src.start_date + make_interval(years => v_shift))::date,
          (src.end_date + make_interval(years => v_shift))::date, false, src.cap_code,
          src.total_cost, src.id, p_user)
  returning id into v_id;
  insert into project_categories (project_id, content_code, is_primary)
  select v_id, content_code, is_primary from project_categories where project_id = src.id;
  insert into project_budget_lines (project_id, source, amount)
  select v_id, source, amount from project_budget_lines where project_id = src.id;
  insert into project_indicators (project_id, indicator, target)
  select v_id, indicator, target from project_indicators where project_id = src.id;
  insert into project_beneficiaries (project_id, name, kind, tax_code, commune, province_org_id)
  select v_id, name, kind, tax_code, commune, province_org_id
    from project_beneficiaries where project_id = src.id order by id;
  v_check := kc_project_record_check(v_id, false);
  v_after := kc_project_json(v_id, true);
  perform kc_audit(p_user, p_username, p_peer, 'project.copy', 'project', v_id, null,
                   v_after - 'history');
  return jsonb_build_object('result', v_after || jsonb_build_object('violations', v_check->'violations'));
end $$;
