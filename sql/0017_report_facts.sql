-- 0017_report_facts.sql — the aggregates report.summary reads (issue 5),
-- kept up to date by triggers in the transaction that changes the data.
--
-- WHY. report.summary sums projects, money and indicators over any years
-- and any grouping. Summing the base tables on each call reads every
-- project, budget line, allocation, payment and settlement of those years
-- (hundreds of thousands of rows), so its cost grows with the data. Here it
-- reads report_facts instead, whose size depends on how many distinct
-- (province, year, status, source, ...) there are, not on how many projects.
--
-- THE FACTS OF ONE PROJECT (report_rows_v): one row per project with
-- source = '' and indicator = '' (counts the project), one per funding
-- source it has money from (planned = its budget line, allocated,
-- advanced, final, refunded, settled), one per indicator (target,
-- achieved). Every row carries the project's dimensions: the province
-- (province_org: the province-kind organisation of the plan's organisation
-- on the map of its day, 0 for the Ministry's own units), plan year, plan
-- scope, visible to the Ministry (kc_plan_visible with a null scope), status,
-- primary content category, kind, priority area ('' when none). Payments
-- (disbursements) have no source of their own: the Ministry pays them from
-- the central allocation under the contract (0011), so they count under
-- 'central'. Achieved is what acceptance wrote into project_indicators, or
-- before acceptance what the latest progress report says.
--
-- report_project_facts holds each project's rows as last counted;
-- report_facts holds their sums at four grains:
--   g = 0  money, every dimension            g = 2  indicators, every dimension
--   g = 1  money, without category/kind/     g = 3  indicators, without
--          priority ('*')                           category/kind/priority
-- report.summary reads the coarse grain when neither its grouping nor its
-- filters need category, kind or priority: the national summary by province
-- and source then reads one row per province, year, status and source
-- (some 40,000 for 2014–2030), whatever the number of projects.
--
-- MAINTENANCE. A change to a project or any row it is summed from marks
-- the project in report_dirty (row triggers, cheap, no lock on the facts).
-- At commit a deferred constraint trigger recounts every marked project in
-- ONE statement (kc_report_refresh): their rows in report_project_facts
-- replaced, (new − old) added to report_facts at both grains with INSERT
-- ... ON CONFLICT DO UPDATE. So the aggregates commit or roll back with the
-- change, and a reader never sees one without the other.
--
-- LOCKS AND DEADLOCKS. The upsert locks the report_facts rows it changes
-- until commit, and rows of one province, year and status are shared by
-- many projects. Two rules make this deadlock-free:
--   * the fact rows are locked last, at commit, after every lock the
--     business functions take (plan FOR UPDATE, project FOR UPDATE, the
--     appropriation, the code counter): a transaction holding fact rows
--     never waits for anything but other fact rows. (Updating the facts in
--     the row triggers themselves deadlocked: project.create holds the plan
--     and waits for a fact row that a concurrent project.update of the same
--     plan holds while it waits for the plan — tests/integration/
--     test_report_summary.py, "concurrent writers", found it.)
--   * a transaction locks all its fact rows in one statement, in key order
--     (the ORDER BY below): two transactions meeting on several rows take
--     them in the same order, so one waits for the other to commit.
-- The cost is that writers of the same province, year and status wait for
-- each other's commit (a few ms); allocations already serialise on their
-- appropriation row in the same way (0011).
--
-- BULK LOADS. kc_report_rebuild() recomputes everything from the base tables
-- (scripts/gen-data calls it after loading with the triggers off);
-- kc_report_check() lists every fact that differs from the base tables.

create table report_project_facts (
  project_id bigint not null,
  province_org bigint not null,
  year integer not null,
  scope text not null,
  visible boolean not null,
  status text not null,
  category text not null,
  kind text not null,
  priority text not null,
  source text not null,
  indicator text not null,
  projects bigint not null,
  planned bigint not null,
  allocated bigint not null,
  advanced bigint not null,
  final bigint not null,
  refunded bigint not null,
  settled bigint not null,
  target bigint not null,
  achieved bigint not null
);
create index report_project_facts_project_idx on report_project_facts (project_id);

create table report_facts (
  g smallint not null check (g between 0 and 3),
  province_org bigint not null,
  year integer not null,
  scope text not null,
  visible boolean not null,
  status text not null,
  category text not null,
  kind text not null,
  priority text not null,
  source text not null,
  indicator text not null,
  projects bigint not null,
  planned bigint not null,
  allocated bigint not null,
  advanced bigint not null,
  final bigint not null,
  refunded bigint not null,
  settled bigint not null,
  target bigint not null,
  achieved bigint not null,
  primary key (g, year, province_org, scope, visible, status, category, kind, priority, source,
               indicator)
) with (fillfactor = 70);
-- fillfactor: the upserts then update in place (HOT) on the same page, so
-- the rows of a grain stay together as kc_report_rebuild() wrote them, in
-- key order, and report.summary reads few pages.

-- The province-kind organisation of @p_org (itself, its parent, or the
-- nearest ancestor that is one); 0 for the Ministry side.
-- (PL/pgSQL for its cached plan: as SQL it was planned anew by every
-- recount, kc_report_refresh.)
create function kc_report_province(p_org bigint) returns bigint
language plpgsql stable as $$
begin
  return coalesce(
    (select case when o.kind = 'province' then o.id
                 when p.kind = 'province' then p.id
                 else kc_scope_root(o.id) end
       from orgs o left join orgs p on p.id = o.parent_id
      where o.id = p_org), 0);
end $$;

-- Every project's fact rows (see the head of this file), as views without
-- CTEs so that "where project_id = $1" reaches the base tables' indexes.
create view report_project_dims_v as
select pr.id, kc_report_province(pl.org_id) as province_org, pl.year, pl.scope,
       (pl.scope = 'local' or pl.status not in ('draft', 'submitted')) as visible,
       pr.status,
       coalesce((select c.content_code from project_categories c
                  where c.project_id = pr.id and c.is_primary), '') as category,
       pr.kind, coalesce(pr.priority_area, '') as priority
  from projects pr join plans pl on pl.id = pr.plan_id;

create view report_project_money_v as
select m.project_id, m.source, sum(m.planned)::bigint as planned,
       sum(m.allocated)::bigint as allocated, sum(m.advanced)::bigint as advanced,
       sum(m.final)::bigint as final, sum(m.refunded)::bigint as refunded,
       sum(m.settled)::bigint as settled
  from (select project_id, source, amount as planned, 0::bigint as allocated, 0::bigint as advanced,
               0::bigint as final, 0::bigint as refunded, 0::bigint as settled
          from project_budget_lines
        union all
        select project_id, source, 0, amount, 0, 0, 0, 0 from allocations
        union all
        select project_id, 'central', 0, 0,
               case when kind = 'advance' then amount else 0 end,
               case when kind = 'final' then amount else 0 end,
               case when kind = 'refund' then amount else 0 end, 0
          from disbursements
        union all
        select project_id, source, 0, 0, 0, 0, 0, amount from settlement_amounts) m
 group by m.project_id, m.source;

create view report_rows_v as
select pr.id as project_id, pr.province_org, pr.year, pr.scope, pr.visible, pr.status,
       pr.category, pr.kind, pr.priority, ''::text as source, ''::text as indicator,
       1::bigint as projects, 0::bigint as planned, 0::bigint as allocated, 0::bigint as advanced,
       0::bigint as final, 0::bigint as refunded, 0::bigint as settled, 0::bigint as target,
       0::bigint as achieved
  from report_project_dims_v pr
union all
select pr.id, pr.province_org, pr.year, pr.scope, pr.visible, pr.status, pr.category, pr.kind,
       pr.priority, m.source, '', 1, m.planned, m.allocated, m.advanced, m.final, m.refunded,
       m.settled, 0, 0
  from report_project_dims_v pr join report_project_money_v m on m.project_id = pr.id
union all
select pr.id, pr.province_org, pr.year, pr.scope, pr.visible, pr.status, pr.category, pr.kind,
       pr.priority, '', i.indicator, 1, 0, 0, 0, 0, 0, 0, i.target,
       coalesce(i.achieved,
                (select (e->>'achieved')::bigint
                   from project_progress_reports r
                        cross join lateral jsonb_array_elements(r.indicators) e
                  where r.project_id = pr.id and e->>'code' = i.indicator
                  order by r.period desc limit 1),
                0)
  from report_project_dims_v pr join project_indicators i on i.project_id = pr.id;

-- Adds @p_rows (signed) to report_facts at both grains of their kind, in
-- key order (see LOCKS above). Rows whose measures are all zero are skipped.
-- (PL/pgSQL for its cached plan, as kc_report_province.)
create function kc_report_apply(p_rows jsonb) returns void
language plpgsql as $$
begin
  with d as (
    select * from jsonb_to_recordset(p_rows) as x (
      province_org bigint, year integer, scope text, visible boolean, status text, category text,
      kind text, priority text, source text, indicator text, projects bigint, planned bigint,
      allocated bigint, advanced bigint, final bigint, refunded bigint, settled bigint,
      target bigint, achieved bigint)),
  grains as (
    select case when d.indicator = '' then 0 else 2 end + c.coarse as g,
           d.province_org, d.year, d.scope, d.visible, d.status,
           case when c.coarse = 1 then '*' else d.category end as category,
           case when c.coarse = 1 then '*' else d.kind end as kind,
           case when c.coarse = 1 then '*' else d.priority end as priority,
           d.source, d.indicator, d.projects, d.planned, d.allocated, d.advanced, d.final,
           d.refunded, d.settled, d.target, d.achieved
      from d cross join (values (0), (1)) as c (coarse)),
  summed as (
    select g, province_org, year, scope, visible, status, category, kind, priority, source,
           indicator, sum(projects) as projects, sum(planned) as planned,
           sum(allocated) as allocated, sum(advanced) as advanced, sum(final) as final,
           sum(refunded) as refunded, sum(settled) as settled, sum(target) as target,
           sum(achieved) as achieved
      from grains
     group by g, province_org, year, scope, visible, status, category, kind, priority, source,
              indicator)
  insert into report_facts
  select g, province_org, year, scope, visible, status, category, kind, priority, source, indicator,
         projects, planned, allocated, advanced, final, refunded, settled, target, achieved
    from summed
   where (projects, planned, allocated, advanced, final, refunded, settled, target, achieved)
         <> (0, 0, 0, 0, 0, 0, 0, 0, 0)
   order by g, year, province_org, scope, visible, status, category, kind, priority, source,
            indicator
  on conflict (g, year, province_org, scope, visible, status, category, kind, priority, source,
               indicator)
  do update set projects = report_facts.projects + excluded.projects,
                planned = report_facts.planned + excluded.planned,
                allocated = report_facts.allocated + excluded.allocated,
                advanced = report_facts.advanced + excluded.advanced,
                final = report_facts.final + excluded.final,
                refunded = report_facts.refunded + excluded.refunded,
                settled = report_facts.settled + excluded.settled,
                target = report_facts.target + excluded.target,
                achieved = report_facts.achieved + excluded.achieved;
end $$;

-- Recounts the projects @p_ids: their old rows out, their new rows in, the
-- difference added to report_facts in one upsert (key order).
--
-- The new rows are read one project at a time: "project_id = $1" reaches
-- the base tables' indexes through the views (the planner carries an
-- equality across the joins into report_project_money_v's GROUP BY), while
-- "project_id = any ($1)" does not and summed every budget line, payment
-- and settlement of the database for each recount: 0.1–0.2 s for one
-- project among 10,000, on every write that marks one (issue 7).
create function kc_report_refresh(p_ids bigint[]) returns void
language plpgsql as $$
declare
  v_old jsonb;
  v_id bigint;
  v_delta jsonb;
begin
  with old as (
    delete from report_project_facts where project_id = any (p_ids) returning *)
  select jsonb_agg(to_jsonb(old)) into v_old from old;
  foreach v_id in array p_ids loop
    insert into report_project_facts select * from report_rows_v where project_id = v_id;
  end loop;
  with both_ as (
    select province_org, year, scope, visible, status, category, kind, priority, source,
           indicator, projects, planned, allocated, advanced, final, refunded, settled, target,
           achieved
      from report_project_facts where project_id = any (p_ids)
    union all
    select province_org, year, scope, visible, status, category, kind, priority, source,
           indicator, -projects, -planned, -allocated, -advanced, -final, -refunded, -settled,
           -target, -achieved
      from jsonb_populate_recordset(null::report_project_facts, coalesce(v_old, '[]')))
  select jsonb_agg(to_jsonb(x)) into v_delta from (
    select province_org, year, scope, visible, status, category, kind, priority, source, indicator,
           sum(projects) as projects, sum(planned) as planned, sum(allocated) as allocated,
           sum(advanced) as advanced, sum(final) as final, sum(refunded) as refunded,
           sum(settled) as settled, sum(target) as target, sum(achieved) as achieved
      from both_
     group by province_org, year, scope, visible, status, category, kind, priority, source,
              indicator) x;
  if v_delta is not null then
    perform kc_report_apply(v_delta);
  end if;
end $$;

-- The projects a transaction changed, until its commit recounts them
-- (report_dirty_flush). Unlogged: its rows never outlive their transaction.
create unlogged table report_dirty (
  txid bigint not null default txid_current(),
  project_id bigint not null,
  primary key (txid, project_id)
);

create function kc_report_mark(p_id bigint) returns void
language sql as $$
  insert into report_dirty (project_id) values (p_id) on conflict do nothing
$$;

-- At commit (a deferred constraint trigger): the first event recounts
-- every project the transaction marked, in one statement; the others find
-- nothing left.
create function report_dirty_flush() returns trigger
language plpgsql as $$
declare
  v_ids bigint[];
begin
  with d as (delete from report_dirty where txid = txid_current() returning project_id)
  select array_agg(project_id order by project_id) into v_ids from d;
  if v_ids is not null then
    perform kc_report_refresh(v_ids);
  end if;
  return null;
end $$;

create constraint trigger report_dirty_flush after insert on report_dirty
  deferrable initially deferred
  for each row execute function report_dirty_flush();

-- Trigger functions: which project a changed row belongs to.
create function report_facts_project_changed() returns trigger
language plpgsql as $$
begin
  if tg_op in ('UPDATE', 'DELETE') then
    perform kc_report_mark(old.project_id);
  end if;
  if tg_op in ('INSERT', 'UPDATE') and (tg_op = 'INSERT' or new.project_id <> old.project_id) then
    perform kc_report_mark(new.project_id);
  end if;
  return null;
end $$;

create function report_facts_projects_changed() returns trigger
language plpgsql as $$
begin
  perform kc_report_mark(coalesce(new.id, old.id));
  return null;
end $$;

create function report_facts_plans_changed() returns trigger
language plpgsql as $$
begin
  insert into report_dirty (project_id)
  select id from projects where plan_id = new.id
  on conflict do nothing;
  return null;
end $$;

create trigger report_facts_projects after insert or delete on projects
  for each row execute function report_facts_projects_changed();
create trigger report_facts_projects_update after update on projects
  for each row
  when ((old.status, old.kind, old.priority_area, old.plan_id)
        is distinct from (new.status, new.kind, new.priority_area, new.plan_id))
  execute function report_facts_projects_changed();
create trigger report_facts_plans after update on plans
  for each row
  when ((old.status, old.org_id, old.year, old.scope)
        is distinct from (new.status, new.org_id, new.year, new.scope))
  execute function report_facts_plans_changed();
create trigger report_facts_categories after insert or update or delete on project_categories
  for each row execute function report_facts_project_changed();
create trigger report_facts_budget_lines after insert or update or delete on project_budget_lines
  for each row execute function report_facts_project_changed();
create trigger report_facts_indicators after insert or update or delete on project_indicators
  for each row execute function report_facts_project_changed();
create trigger report_facts_progress after insert or update or delete on project_progress_reports
  for each row execute function report_facts_project_changed();
create trigger report_facts_allocations after insert on allocations
  for each row execute function report_facts_project_changed();
create trigger report_facts_disbursements after insert on disbursements
  for each row execute function report_facts_project_changed();
create trigger report_facts_settlements after insert on settlement_amounts
  for each row execute function report_facts_project_changed();

-- Recomputes every fact from the base tables (after a bulk load with the
-- triggers off, or to repair). Takes the tables' exclusive locks: writers
-- wait until it commits.
create function kc_report_rebuild() returns bigint
language plpgsql as $$
declare
  n bigint;
begin
  lock table report_facts, report_project_facts in access exclusive mode;
  truncate report_facts, report_project_facts;
  delete from report_dirty where txid = txid_current();
  insert into report_project_facts select * from report_rows_v;
  insert into report_facts
  select case when indicator = '' then 0 else 2 end + c.coarse,
         province_org, year, scope, visible, status,
         case when c.coarse = 1 then '*' else category end,
         case when c.coarse = 1 then '*' else kind end,
         case when c.coarse = 1 then '*' else priority end,
         source, indicator, sum(projects), sum(planned), sum(allocated), sum(advanced), sum(final),
         sum(refunded), sum(settled), sum(target), sum(achieved)
    from report_project_facts cross join (values (0), (1)) as c (coarse)
   group by 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11
   order by 1, 3, 2, 4, 5, 6, 7, 8, 9, 10, 11;
  get diagnostics n = row_count;
  return n;
end $$;

-- Every aggregate that differs from the base tables: (g, key, what is
-- stored, what the base tables give) as JSON; no row when they agree.
-- Rows whose measures are all zero count as absent.
create function kc_report_check()
returns table (g smallint, key jsonb, stored jsonb, computed jsonb)
language sql stable as $$
  with base as (
    select (case when indicator = '' then 0 else 2 end + c.coarse)::smallint as g,
           province_org, year, scope, visible, status,
           case when c.coarse = 1 then '*' else category end as category,
           case when c.coarse = 1 then '*' else kind end as kind,
           case when c.coarse = 1 then '*' else priority end as priority,
           source, indicator, sum(projects)::bigint as projects, sum(planned)::bigint as planned,
           sum(allocated)::bigint as allocated, sum(advanced)::bigint as advanced,
           sum(final)::bigint as final, sum(refunded)::bigint as refunded,
           sum(settled)::bigint as settled, sum(target)::bigint as target,
           sum(achieved)::bigint as achieved
      from report_rows_v cross join (values (0), (1)) as c (coarse)
     group by 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11),
  stored as (
    select * from report_facts
     where (projects, planned, allocated, advanced, final, refunded, settled, target, achieved)
           <> (0, 0, 0, 0, 0, 0, 0, 0, 0))
  select coalesce(s.g, b.g),
         jsonb_build_object('province_org', coalesce(s.province_org, b.province_org),
                            'year', coalesce(s.year, b.year), 'scope', coalesce(s.scope, b.scope),
                            'visible', coalesce(s.visible, b.visible),
                            'status', coalesce(s.status, b.status),
                            'category', coalesce(s.category, b.category),
                            'kind', coalesce(s.kind, b.kind),
                            'priority', coalesce(s.priority, b.priority),
                            'source', coalesce(s.source, b.source),
                            'indicator', coalesce(s.indicator, b.indicator)),
         to_jsonb(s) - 'g', to_jsonb(b) - 'g'
    from stored s
         full join base b
           on (s.g, s.province_org, s.year, s.scope, s.visible, s.status, s.category, s.kind,
               s.priority, s.source, s.indicator)
            = (b.g, b.province_org, b.year, b.scope, b.visible, b.status, b.category, b.kind,
               b.priority, b.source, b.indicator)
   where s.g is null or b.g is null
      or (s.projects, s.planned, s.allocated, s.advanced, s.final, s.refunded, s.settled,
          s.target, s.achieved)
         <> (b.projects, b.planned, b.allocated, b.advanced, b.final, b.refunded, b.settled,
             b.target, b.achieved)
$$;

-- The facts of the data already in the database when this migrates.
select kc_report_rebuild();
