-- 0023 — what a write costs (issue 7, "Writes"): project.update at 8
-- clients reached 0.36–0.44 of pgbench's TPC-B-like rate. Measured per
-- update with pg_stat_statements (track = all) at 8 clients: the audit
-- row's insert 0.55 ms (two whole projects, ~6 KB compressed, then
-- rewritten once more by the seal), kc_scope_root 0.10 ms per call (a
-- recursive CTE set up on every call; every event and several checks
-- call it).

-- The top-level members that differ between two objects, each side's value
-- (a member only on one side appears on that side only). Used where an
-- audit row records an edit: what changed, not the whole record twice.
create function kc_jsonb_changes(p_before jsonb, p_after jsonb, out before jsonb, out after jsonb)
language plpgsql immutable as $$
begin
  -- PL/pgSQL for its kept plan: as a SQL function in FROM this was planned
  -- on every call (half of its cost).
  select coalesce(jsonb_object_agg(t.key, t.b) filter (where t.b is not null), '{}'::jsonb),
         coalesce(jsonb_object_agg(t.key, t.a) filter (where t.a is not null), '{}'::jsonb)
    into before, after
    from (select key, x.value as b, y.value as a
            from jsonb_each(coalesce(p_before, '{}'::jsonb)) x
            full join jsonb_each(coalesce(p_after, '{}'::jsonb)) y using (key)
           where x.value is distinct from y.value) t;
end $$;

-- The province an organisation belongs to: the same walk up the tree as
-- before (itself first, at most 32 levels), as one indexed lookup per
-- level instead of a recursive query planned and set up on every call.
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
    if v_kind = 'province' then
      return v_id;
    end if;
    if v_parent is null then
      return null;
    end if;
    v_id := v_parent;
  end loop;
  return null;
end $$;

-- Three helpers every write calls, as SQL functions, were never inlined
-- (their bodies call STABLE functions: jsonb_build_object, set_config)
-- and so were parsed and planned anew in every transaction: 0.02–0.045 ms
-- a call where the work is a microsecond. As PL/pgSQL their plans are kept
-- for the session. Same signatures, same results.
create or replace function kc_actor_set(p_user_id bigint, p_role text, p_comment text default null,
                                        p_document_no text default null) returns void
language plpgsql as $$
begin
  perform set_config('kc.actor_role', coalesce(p_role, ''), true),
          set_config('kc.actor_id', coalesce(p_user_id::text, ''), true),
          set_config('kc.comment', coalesce(p_comment, ''), true),
          set_config('kc.document_no', coalesce(p_document_no, ''), true);
end $$;

create or replace function kc_violation(p_field text, p_rule text, p_message text) returns jsonb
language plpgsql immutable as $$
begin
  return jsonb_build_object('field', p_field, 'rule', p_rule, 'message', p_message);
end $$;

create or replace function kc_check_push(p_res jsonb, p_bucket text, p_v jsonb) returns jsonb
language plpgsql immutable as $$
begin
  return jsonb_set(p_res, array[p_bucket], (p_res->p_bucket) || jsonb_build_array(p_v));
end $$;

-- projects_guard as in 0005, doing on an UPDATE only what the update needs:
-- the plan and its province only for a status change (the transition's
-- scope), the search text only when what it is made of may have changed
-- (title, code, or search_text itself, which the beneficiaries' trigger
-- sets; recomputed then, so it can only hold what kc_project_search_text
-- says).
create or replace function projects_guard() returns trigger
language plpgsql as $$
declare
  v_role text := kc_actor_role();
  v_scope text;
  v_year integer;
  v_province text;
  v_number integer;
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
    select p.scope into v_scope from plans p where p.id = new.plan_id;
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
  if new.title is distinct from old.title or new.search_text is distinct from old.search_text then
    new.search_text := kc_project_search_text(new.id, new.code, new.title);
  end if;
  new.updated_at := now();
  return new;
end $$;

-- The history and the review snapshots change only with a status or stage:
-- a WHEN clause spares every other update the after-trigger's queueing,
-- tuple fetches and call (the functions keep their own test).
drop trigger projects_history on projects;
create trigger projects_history after insert on projects
  for each row execute function projects_history();
create trigger projects_history_update after update on projects
  for each row when (new.status is distinct from old.status or new.stage is distinct from old.stage)
  execute function projects_history();
drop trigger projects_snapshot on projects;
create trigger projects_snapshot after update on projects
  for each row when (new.stage is distinct from old.stage
                     and new.stage in ('base_appraised', 'resubmitted'))
  execute function projects_snapshot();

-- The field checks of 0005 (project.create, .update, adjustments): every
-- check but the dates' looks at a member of @p, so with none of them given
-- (an update of plain fields) the answer is known without 0005's query,
-- whose set-up alone took 0.05–0.09 ms. 0005's function stays, renamed,
-- for the rest (PL/pgSQL callers resolve the name when they run).
alter function kc_project_violations(jsonb, date, date) rename to kc_project_violations_query;

create function kc_project_violations(p jsonb, p_start date, p_end date) returns jsonb
language plpgsql stable as $$
begin
  if p ?| array['kind', 'sector', 'priority_area', 'content_category', 'content_categories',
                'budget_lines', 'indicators', 'beneficiaries'] then
    return kc_project_violations_query(p, p_start, p_end);
  end if;
  return case when p_end < p_start
              then jsonb_build_array(kc_violation('end_date', 'order',
                                                  'the end date is before the start date'))
              else '[]'::jsonb end;
end $$;

-- project.update {id, version, ...}: as in 0006, and its audit row holds
-- the members that changed (before and after), not the project twice.
create or replace function kc_project_update(p_user bigint, p_username text, p_peer text, p_role text,
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
  v_changed_before jsonb;
  v_changed_after jsonb;
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
  -- The project as it was, for the audit row, is only needed where it
  -- differs from the project as it is now: when the call replaces a list,
  -- in full (kc_project_json, 0.12 ms); otherwise the old row's own
  -- columns are compared with the new JSON (below).
  if p ?| array['content_category', 'content_categories', 'budget_lines', 'indicators',
                'beneficiaries'] then
    v_before := kc_project_json(cur.id, true) - 'history';
  end if;
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
  if v_before is not null then
    select c.before, c.after into v_changed_before, v_changed_after
      from kc_jsonb_changes(v_before, v_after - 'history') c;
  else
    -- One pass over the old row's columns: those kc_project_json copies
    -- keep their name and JSON form there; the ones it formats or derives
    -- (instants, the certificates' typical_product, the warnings) are
    -- replaced by their form in the JSON. Every other member of the JSON
    -- (lists, totals, the plan's) is unchanged without a list in the call.
    select coalesce(jsonb_object_agg(c.key, c.value), '{}'::jsonb),
           coalesce(jsonb_object_agg(c.key, v_after->c.key), '{}'::jsonb)
      into v_changed_before, v_changed_after
      from jsonb_each(to_jsonb(cur) - array['typical_product', 'created_at', 'updated_at',
                                            'checked_at', 'check_warnings']
                      || jsonb_build_object('warnings', cur.check_warnings,
                                            'updated_at', kc_instant(cur.updated_at),
                                            'checked_at', kc_instant(cur.checked_at))) c
     where v_after ? c.key and c.value is distinct from v_after->c.key;
  end if;
  perform kc_audit(p_user, p_username, p_peer, 'project.update', 'project', cur.id,
                   v_changed_before, v_changed_after);
  return jsonb_build_object('result', v_after);
end $$;

