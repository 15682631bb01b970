-- 0036_write_cpu.sql — less PostgreSQL CPU in every project.update (issue
-- 20, point 3). Measured per call over 200 updates in one backend
-- (pg_stat_user_functions, pg_stat_statements with track = all;
-- docs/performance.md, "The write's CPU"): these are the parts of the
-- write that did work the write does not need.

-- ---------------------------------------------------------------------------
-- 1. Functions planned anew in every transaction. A SQL function that the
--    planner does not inline (kc_vnd: IMMUTABLE over the STABLE to_char;
--    kc_priorities_bad: a FROM clause) is parsed and planned each time a
--    new transaction calls it; PL/pgSQL keeps its plans for the
--    connection. Same text, same results.
-- ---------------------------------------------------------------------------
create or replace function kc_vnd(p numeric) returns text
language plpgsql immutable strict as $$
begin
  return to_char(floor(p), 'FM999,999,999,999,999,999,990');
end $$;

create or replace function kc_priorities_bad(p text[]) returns text[]
language plpgsql stable as $$
begin
  return (select coalesce(array_agg(x order by x), '{}') from unnest(p) x
           where x = 'typical_product' or not exists (select 1 from priority_sectors s where s.code = x));
end $$;

-- ---------------------------------------------------------------------------
-- 2. projects_priorities (0025) normalised and checked the list on every
--    update of a project, an update of its title too (0.35 ms of a
--    project.update's 3 ms, most of it kc_priorities_bad). On an update
--    that neither gives `priorities` (kc.priorities) nor changes the list
--    or the four booleans, the stored row already is what the trigger
--    would make of it: the trigger wrote it. It returns at once there.
-- ---------------------------------------------------------------------------
create or replace function projects_priorities() returns trigger
language plpgsql as $$
declare
  -- project.create / update pass their `priorities` here (the functions of
  -- 0006 / 0023 write the columns they know; see kc_project_create, 0025)
  v_given text := current_setting('kc.priorities', true);
begin
  if tg_op = 'UPDATE' and coalesce(v_given, '') = ''
     and new.priorities is not distinct from old.priorities
     and (new.export, new.local_materials, new.labour_intensive, new.supporting_industry)
         is not distinct from (old.export, old.local_materials, old.labour_intensive, old.supporting_industry) then
    return new;
  end if;
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

-- ---------------------------------------------------------------------------
-- 3. The event's payload is built when it is sent, not in the writer.
--    kc_event_notify (0014) found the plan, walked up to its province
--    (kc_scope_root), read the lineage and built the JSON inside every
--    write. The writer now queues what happened (topic, id, status,
--    version, plan, time), a narrow insert; kc_event_publish builds each
--    payload from the plan as it is when the event is sent, as a read at
--    that moment would judge who may see it. The payload, its members and
--    their order are unchanged (servers and clients see the same JSON);
--    `at` is still the writer's clock. Events queued with a payload
--    (kc_event_notify_org, 0015) are sent as they are; an event whose plan
--    is gone is dropped, as kc_event_notify dropped it before.
-- ---------------------------------------------------------------------------
alter table event_outbox alter column payload drop not null,
  add column topic text,
  add column record_id bigint,
  add column status text,
  add column version integer,
  add column plan_id bigint,
  add column at timestamptz default clock_timestamp(),
  add check (payload is not null or (topic is not null and plan_id is not null));

create or replace function kc_event_notify(p_topic text, p_id bigint, p_status text, p_version integer,
                                           p_plan_id bigint) returns void
language plpgsql as $$
begin
  if p_plan_id is null then
    return;
  end if;
  insert into event_outbox (topic, record_id, status, version, plan_id)
  values (p_topic, p_id, p_status, p_version, p_plan_id);
end $$;

-- Sends the committed events in id order (for one record, the order of its
-- commits: its writers hold its row lock until they commit) and removes
-- them, in one transaction; returns how many were sent. One publisher at a
-- time (0014).
create or replace function kc_event_publish() returns integer
language plpgsql as $$
declare
  r record;
  v_ids bigint[] := '{}';
  n integer := 0;
begin
  if not pg_try_advisory_xact_lock(8474002) then
    return 0;
  end if;
  for r in
    select o.id,
           coalesce(o.payload, case when pl.id is not null then json_build_object(
             'topic', o.topic, 'id', o.record_id, 'status', o.status, 'version', o.version,
             'at', kc_instant(o.at),
             'provinces', coalesce((select json_agg(x) from (
                            select s.province as x where s.province is not null
                            union
                            select l.new_org_id from org_lineage l where l.old_org_id = s.province) q),
                          '[]'::json),
             'ministry', pl.scope = 'local' or pl.status not in ('draft', 'submitted'))::text end) as payload
      from event_outbox o
      left join plans pl on pl.id = o.plan_id
      left join lateral (select kc_scope_root(pl.org_id) as province) s on pl.id is not null
     order by o.id
  loop
    if r.payload is not null then
      perform pg_notify('kc_event', r.payload);
      n := n + 1;
    end if;
    v_ids := v_ids || r.id;
  end loop;
  if cardinality(v_ids) > 0 then
    -- exactly the rows read: one committed since may have a lower id
    delete from event_outbox where id = any (v_ids);
  end if;
  return n;
end $$;

-- ---------------------------------------------------------------------------
-- 4. kc_plan_visible (0005) asked whether the plan's organisation is in
--    org_scope(scope): it listed the whole scope (the province, its
--    departments and centres, the provinces merged into it and theirs) to
--    find one organisation in it, 0.15 ms in every project.get and
--    project.update. It now walks up from the organisation instead, by the
--    parent and by the lineage from a merged province to the one it was
--    merged into, the same relation read the other way (org_scope goes
--    down by both): a few index lookups. Same answers for every pair of
--    organisations (checked when this was written; the integration suites).
-- ---------------------------------------------------------------------------
create or replace function kc_plan_visible(p_org_id bigint, p_scope_kind text, p_status text,
                                           p_scope bigint) returns boolean
language plpgsql stable as $$
begin
  if p_scope is null then
    return p_scope_kind = 'local' or p_status not in ('draft', 'submitted');
  end if;
  return exists (
    with recursive up (id) as (
      select o.id from orgs o where o.id = p_org_id
      union
      select x.id
        from up cross join lateral (
          select o.parent_id from orgs o where o.id = up.id and o.parent_id is not null
          union all
          select l.new_org_id from org_lineage l where l.old_org_id = up.id) x (id)
    )
    select 1 from up where up.id = p_scope);
end $$;

-- ---------------------------------------------------------------------------
-- 5. kc_project_get (0005), what project.get runs, was a SQL function:
--    called in the FROM clause of kc-server's prepared statement it is not
--    inlined, so it was parsed and planned again in every call (0.25 ms of
--    the read's 0.6 ms of PostgreSQL CPU, with kc_err folded anew each
--    time). PL/pgSQL keeps the plan for the connection. Same text.
-- ---------------------------------------------------------------------------
create or replace function kc_project_get(p_scope bigint, p jsonb) returns jsonb
language plpgsql stable as $$
begin
  return coalesce(
    (select jsonb_build_object('result', kc_project_json(pr.id, true))
       from projects pr join plans pl on pl.id = pr.plan_id
      where pr.id = (p->>'id')::bigint and kc_plan_visible(pl.org_id, pl.scope, pl.status, p_scope)),
    kc_err(1004, 'no such project'));
end $$;
