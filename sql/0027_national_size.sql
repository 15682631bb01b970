-- 0027_national_size.sql — the replies behind the Ministry's screens at
-- national size (issue 20, point 5; docs/performance.md "Screens at
-- national size"): about 100,000 projects, 400,000 budget lines and
-- payments (scripts/gen-data --scale 1), each reply at most 200 ms.
--
-- Same results as before, other shapes:
--   * kc_project_list: the filters given, and only those, become the
--     query's conditions, so the planner can use an index for them (the
--     trigram index for q, plans by year, projects by plan, status, kind or
--     category) and stop at the page's end; before, every filter was
--     written "param is null or …", one plan for all, which read and sorted
--     every visible project even for the first page and never used the
--     trigram index (0.8–1.2 s for a search by the Ministry).
--   * kc_budget_summary: the year's allocations and releases summed once
--     per project and joined, instead of a subquery per project over the
--     year's CTE (rescanned whole for every project: quadratic, 1.7 s for
--     2020); JIT off (its compilation alone took 0.5 s of a call).
--   * report.summary: national grains of the report facts (g = 4, 5) for
--     the Ministry's summaries by category, and sums before joins; see
--     there.

-- ---------------------------------------------------------------------------
-- project.list. The page query is put together from fixed fragments, one
-- per filter given; every value the caller sent is a parameter (EXECUTE …
-- USING), never text in the statement. EXECUTE plans each call with the
-- values at hand (about a millisecond), so the planner knows how selective
-- the search and the filters are. Keyset paging by id, as before
-- (docs/protocol.md): the items in id order after the cursor, limit + 1
-- read to know whether a next page exists.
-- ---------------------------------------------------------------------------
create or replace function kc_project_list(p_scope bigint, p jsonb) returns jsonb
language plpgsql stable as $$
declare
  v_n integer := coalesce((p->>'limit')::integer, 100);
  v_q text := nullif(p->>'q', '');
  v_from text := 'from projects pr join plans pl on pl.id = pr.plan_id where ';
  v_filtered boolean := false;
  v_ids bigint[];
  v_shown bigint[];
begin
  -- $1 scope, $2 cursor, $3 plan, $4 year, $5 org, $6 plan scope, $7 status,
  -- $8 stage, $9 kind, $10 priority area, $11 category, $12 LIKE pattern,
  -- $13 rows to read
  if p_scope is null then
    v_from := v_from || '(pl.scope = ''local'' or pl.status not in (''draft'', ''submitted''))';
  else
    v_from := v_from || 'pl.org_id in (select org_scope($1))';
  end if;
  if p->>'cursor' is not null then
    v_from := v_from || ' and pr.id > $2';
  end if;
  if p->>'plan_id' is not null then
    v_from := v_from || ' and pr.plan_id = $3';
  end if;
  if p->>'year' is not null then
    v_from := v_from || ' and pl.year = $4';
  end if;
  if p->>'org_id' is not null then
    v_from := v_from || ' and pl.org_id in (select org_scope($5))';
  end if;
  if p->>'scope' is not null then
    v_from := v_from || ' and pl.scope = $6';
  end if;
  if p->>'status' is not null then
    v_from := v_from || ' and pr.status = $7';
  end if;
  if p->>'stage' is not null then
    v_from := v_from || ' and pr.stage = $8';
  end if;
  if p->>'kind' is not null then
    v_from := v_from || ' and pr.kind = $9';
  end if;
  if p->>'priority_area' is not null then
    v_from := v_from || ' and pr.priority_area = $10';
  end if;
  if p->>'category' is not null then
    v_from := v_from || ' and exists (select 1 from project_categories c'
                        ' where c.project_id = pr.id and c.content_code = $11)';
  end if;
  if v_q is not null then
    v_from := v_from || ' and pr.search_text like $12';
  end if;
  v_filtered := p - array['cursor', 'limit', 'brief'] <> '{}'::jsonb;
  -- Ids grow with time and so do years and statuses: a filter's rows are
  -- seldom spread evenly over the ids, which the planner assumes when it
  -- walks the primary key to the first page (the 5,000 projects of this
  -- year, say, are past 80,000 older ones). So a filtered list first reads
  -- its rows in whatever order the indexes give, at most $13 of them: if
  -- that is all of them (a selective filter), they are sorted here and the
  -- page taken from them; only a filter matching more walks the ids in
  -- order, where matching rows are then dense enough to find a page soon.
  if v_filtered then
    execute 'select array_agg(id order by id) from (select pr.id ' || v_from || ' limit $13) x'
      into v_ids
      using p_scope, (p->>'cursor')::bigint, (p->>'plan_id')::bigint, (p->>'year')::integer,
            (p->>'org_id')::bigint, p->>'scope', p->>'status', p->>'stage', p->>'kind',
            p->>'priority_area', p->>'category',
            '%' || kc_like_escape(kc_fold(v_q)) || '%', greatest(5000, 4 * v_n);
  end if;
  if v_filtered and coalesce(cardinality(v_ids), 0) < greatest(5000, 4 * v_n) then
    v_ids := v_ids[1:v_n + 1];
  else
    execute 'select array_agg(id order by id) from (select pr.id ' || v_from
            || ' order by pr.id limit $13) x'
      into v_ids
      using p_scope, (p->>'cursor')::bigint, (p->>'plan_id')::bigint, (p->>'year')::integer,
            (p->>'org_id')::bigint, p->>'scope', p->>'status', p->>'stage', p->>'kind',
            p->>'priority_area', p->>'category',
            '%' || kc_like_escape(kc_fold(v_q)) || '%', v_n + 1;
  end if;
  v_shown := coalesce(v_ids[1:v_n], '{}');
  return jsonb_build_object('result', jsonb_build_object(
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
           from projects pr join plans pl on pl.id = pr.plan_id
          where pr.id = any (v_shown))
      else (select jsonb_agg(kc_project_json(s.id, false) order by s.id)
              from unnest(v_shown) s (id)) end,
      '[]'::jsonb),
    'next_cursor', case when cardinality(v_ids) > v_n then v_shown[v_n]::text end));
end $$;

-- ---------------------------------------------------------------------------
-- budget.summary: as in 0012 (same members, same figures). The allocations
-- and releases of the year were a CTE, which a subquery per project scanned
-- whole every time (quadratic in the year's projects); they are now summed
-- once per project (GROUP BY) and joined to the year's projects. The other
-- tables are not by year: each project's rows are read through the
-- project_id index, once per table (a hash join would read all 400,000
-- payments for one year's 6,000 projects). jit = off: the planner's cost
-- of this statement passes jit_above_cost, and compiling it took 0.5 s.
-- ---------------------------------------------------------------------------
create or replace function kc_budget_summary(p_scope bigint, p jsonb) returns jsonb
language sql stable set jit = off as $$
  -- 0025's money (local appropriations, province-scoped sums, refunds
  -- owed) in 0027's shape: the year's allocations and releases summed
  -- once per project and joined, the tables that are not by year read per
  -- project through their project_id index (0025's subqueries per project
  -- rescanned the year's allocations for each: quadratic in the year)
  with y as (select (p->>'year')::integer as year),
  prj as (
    select pr.id, coalesce(o.province_code, '00') as province_code
      from projects pr join plans pl on pl.id = pr.plan_id join orgs o on o.id = pl.org_id, y
     where pl.year = y.year
       and kc_plan_visible(pl.org_id, pl.scope, pl.status, p_scope)),
  ap as (select a.* from appropriations a, y
          where a.year = y.year and (p_scope is null or (a.source = 'local' and a.province_id = p_scope))),
  al as (select a.project_id, a.source, a.amount, a.province_id from allocations a, y where a.year = y.year),
  rl as (select r.project_id, r.source, r.amount, r.province_id from budget_releases r, y where r.year = y.year),
  by_source as (
    select s.code as source,
           coalesce((select sum(ap.amount) from ap where ap.source = s.code), 0) as appropriated,
           coalesce((select sum(amount) from al where al.source = s.code
                       and (p_scope is null or al.province_id = p_scope)), 0) as allocated,
           coalesce((select sum(amount) from rl where rl.source = s.code
                       and (p_scope is null or rl.province_id = p_scope)), 0) as released
      from funding_sources s
     where exists (select 1 from ap where ap.source = s.code)
        or (p_scope is null and exists (select 1 from al where al.source = s.code))),
  al_p as (select project_id, sum(amount) as amount from al group by project_id),
  rl_p as (select project_id, sum(amount) as amount from rl group by project_id),
  per_project as (
    select prj.id, prj.province_code, al_p.amount as allocated, c.amount as contracted,
           d.advanced, d.final, d.refunded, sa.central as settled, sa.local as settled_local,
           rl_p.amount as released, co.amount as carried_over,
           al_p.project_id is not null or c.n > 0 or d.n > 0 as shown
      from prj
      left join al_p on al_p.project_id = prj.id
      left join rl_p on rl_p.project_id = prj.id
      cross join lateral (select sum(x.amount) as amount, count(*) as n
                            from contracts x where x.project_id = prj.id) c
      cross join lateral (select sum(x.amount) filter (where x.kind = 'advance') as advanced,
                                 sum(x.amount) filter (where x.kind = 'final') as final,
                                 sum(x.amount) filter (where x.kind = 'refund') as refunded,
                                 count(*) as n
                            from disbursements x where x.project_id = prj.id) d
      cross join lateral (select sum(x.amount) filter (where x.source = 'central') as central,
                                 sum(x.amount) filter (where x.source = 'local') as local
                            from settlement_amounts x where x.project_id = prj.id) sa
      cross join lateral (select sum(x.amount) as amount from carry_overs x
                           where x.project_id = prj.id) co),
  by_province as (
    select province_code,
           coalesce(sum(allocated), 0) as allocated,
           coalesce(sum(contracted), 0) as contracted,
           coalesce(sum(advanced), 0) as advanced,
           coalesce(sum(final), 0) as final,
           coalesce(sum(refunded), 0) as refunded,
           coalesce(sum(settled), 0) as settled,
           coalesce(sum(settled_local), 0) as settled_local,
           coalesce(sum(released), 0) as released,
           coalesce(sum(carried_over), 0) as carried_over,
           coalesce(sum(coalesce(kc_refund_outstanding(id), 0)), 0) as refund_outstanding
      from per_project
     where shown
     group by province_code)
  select jsonb_build_object('result', jsonb_build_object(
    'year', (select year from y),
    'by_source', (select coalesce(jsonb_agg(jsonb_build_object(
                'source', source, 'appropriated', appropriated, 'allocated', allocated,
                'released', released,
                'remaining', appropriated - allocated + released) order by source), '[]'::jsonb)
         from by_source),
    'local_appropriations', (select coalesce(jsonb_agg(jsonb_build_object(
                'province_id', ap.province_id, 'province_code', o.province_code,
                'amount', ap.amount, 'allocated', ap.allocated, 'remaining', ap.amount - ap.allocated,
                'version', ap.version) order by o.province_code), '[]'::jsonb)
         from ap join orgs o on o.id = ap.province_id where ap.source = 'local'),
    'by_province', (select coalesce(jsonb_agg(jsonb_build_object(
                'province_code', province_code, 'allocated', allocated, 'contracted', contracted,
                'advanced', advanced, 'final', final, 'refunded', refunded,
                'paid', advanced + final - refunded,
                'remaining', allocated - (advanced + final - refunded),
                'settled', settled, 'settled_local', settled_local, 'released', released,
                'carried_over', carried_over, 'refund_outstanding', refund_outstanding)
                order by province_code), '[]'::jsonb)
         from by_province)))
$$;

-- ---------------------------------------------------------------------------
-- report.summary: national grains, and sums before joins.
--
-- A grouping or filter by category reads the fine grain of 0017 (g = 0 and
-- 2), which grows with the data: 345,000 money rows over 2014–2030 at
-- national size, one per province, year, status, category, kind, priority
-- and source, since nearly every project makes a combination of its own.
-- The Ministry's summary by category (0.73 s) never needs the province, the
-- kind or the priority, so two more grains keep the facts without them:
--   g = 4  money, every province together (province_org = -1), without
--          kind and priority ('*'); category, status, source, year kept
--   g = 5  indicators, the same
-- about 12,000 rows for all the years at national size. They are kept like
-- the others (kc_report_apply, kc_report_rebuild, kc_report_check), and
-- locked in the same key order, g last, so writers stay deadlock-free; the
-- price is that writers of one year, status and category in different
-- provinces now share a fact row at commit (a few ms each).
--
-- kc_report_summary reads g = 4/5 when the caller is the Ministry and
-- neither the grouping nor the filters name province, kind or priority.
-- Its statement is now run by EXECUTE with the caller's values (still
-- parameters: the text is a constant), so every condition on them is a
-- constant to the planner, which then reads the grain's rows by index and
-- sums them by province and the keys asked for *before* joining the units
-- and grouping by sets (a hash aggregate of a few thousand groups instead
-- of sorting 330,000 joined rows on disk).
-- ---------------------------------------------------------------------------
alter table report_facts drop constraint report_facts_g_check;
alter table report_facts add constraint report_facts_g_check check (g between 0 and 5);

-- The grains a project's fact row is added to: (money grain, indicator
-- grain, without category/kind/priority, every province together).
create function kc_report_grains()
returns table (gm smallint, gi smallint, coarse boolean, whole_country boolean)
language sql immutable as $$
  values (0::smallint, 2::smallint, false, false), (1::smallint, 3::smallint, true, false),
         (4::smallint, 5::smallint, false, true)
$$;

create or replace function kc_report_apply(p_rows jsonb) returns void
language plpgsql as $$
begin
  with d as (
    select * from jsonb_to_recordset(p_rows) as x (
      province_org bigint, year integer, scope text, visible boolean, status text, category text,
      kind text, priority text, source text, indicator text, projects bigint, planned bigint,
      allocated bigint, advanced bigint, final bigint, refunded bigint, settled bigint,
      target bigint, achieved bigint)),
  grains as (
    select case when d.indicator = '' then c.gm else c.gi end as g,
           case when c.whole_country then -1 else d.province_org end as province_org,
           d.year, d.scope, d.visible, d.status,
           case when c.coarse then '*' else d.category end as category,
           case when c.coarse or c.whole_country then '*' else d.kind end as kind,
           case when c.coarse or c.whole_country then '*' else d.priority end as priority,
           d.source, d.indicator, d.projects, d.planned, d.allocated, d.advanced, d.final,
           d.refunded, d.settled, d.target, d.achieved
      from d cross join kc_report_grains() c),
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

create or replace function kc_report_rebuild() returns bigint
language plpgsql as $$
declare
  n bigint;
begin
  lock table report_facts, report_project_facts in access exclusive mode;
  truncate report_facts, report_project_facts;
  delete from report_dirty where txid = txid_current();
  insert into report_project_facts select * from report_rows_v;
  insert into report_facts
  select case when indicator = '' then c.gm else c.gi end,
         case when c.whole_country then -1 else province_org end, year, scope, visible, status,
         case when c.coarse then '*' else category end,
         case when c.coarse or c.whole_country then '*' else kind end,
         case when c.coarse or c.whole_country then '*' else priority end,
         source, indicator, sum(projects), sum(planned), sum(allocated), sum(advanced), sum(final),
         sum(refunded), sum(settled), sum(target), sum(achieved)
    from report_project_facts cross join kc_report_grains() c
   group by 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11
   order by 1, 3, 2, 4, 5, 6, 7, 8, 9, 10, 11;
  get diagnostics n = row_count;
  return n;
end $$;

create or replace function kc_report_check()
returns table (g smallint, key jsonb, stored jsonb, computed jsonb)
language sql stable as $$
  with base as (
    select case when indicator = '' then c.gm else c.gi end as g,
           case when c.whole_country then -1 else province_org end as province_org, year, scope,
           visible, status,
           case when c.coarse then '*' else category end as category,
           case when c.coarse or c.whole_country then '*' else kind end as kind,
           case when c.coarse or c.whole_country then '*' else priority end as priority,
           source, indicator, sum(projects)::bigint as projects, sum(planned)::bigint as planned,
           sum(allocated)::bigint as allocated, sum(advanced)::bigint as advanced,
           sum(final)::bigint as final, sum(refunded)::bigint as refunded,
           sum(settled)::bigint as settled, sum(target)::bigint as target,
           sum(achieved)::bigint as achieved
      from report_rows_v cross join kc_report_grains() c
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

-- The national grains of the facts already there: grain 0 and 2 hold every
-- dimension, so their sums without province, kind and priority are exact.
insert into report_facts
select case when g = 0 then 4 else 5 end, -1, year, scope, visible, status, category, '*', '*',
       source, indicator, sum(projects), sum(planned), sum(allocated), sum(advanced), sum(final),
       sum(refunded), sum(settled), sum(target), sum(achieved)
  from report_facts
 where g in (0, 2)
 group by 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11
having (sum(projects), sum(planned), sum(allocated), sum(advanced), sum(final), sum(refunded),
        sum(settled), sum(target), sum(achieved)) <> (0, 0, 0, 0, 0, 0, 0, 0, 0)
 order by 1, 3, 2, 4, 5, 6, 7, 8, 9, 10, 11;

-- The money grain report.summary reads: the national one (4) for the
-- Ministry when nothing asks for province, kind or priority, else 0's
-- choice (kc_report_grain, 0018).
create function kc_report_grain_at(p_scope bigint, p jsonb) returns smallint
language sql immutable as $$
  select case when p_scope is null
                   and not coalesce((p->'group_by') ?| array['province', 'kind', 'priority'], false)
                   and kc_report_list(p->'filters'->'province') is null
                   and kc_report_list(p->'filters'->'kind') is null
                   and kc_report_list(p->'filters'->'priority') is null
              then 4 else kc_report_grain(p) end::smallint
$$;

-- The indicators' grain beside a money grain.
create function kc_report_indicator_grain(p_g smallint) returns smallint
language sql immutable as $$
  select case when p_g = 4 then 5 else p_g + 2 end::smallint
$$;

-- As in 0018 (same result), run by EXECUTE: see above.
create or replace function kc_report_summary(p_scope bigint, p jsonb) returns jsonb
language plpgsql stable set work_mem = '32MB' set jit = off as $f$
declare
  v_r jsonb;
begin
  -- $1 is the caller's scope (null: the Ministry), $2 the parameters
  execute $q$
  with prm as (
    select ($2->>'from_year')::integer as y0, ($2->>'to_year')::integer as y1,
           coalesce($2->>'province_map', '34') as map,
           coalesce($2->'group_by', '[]'::jsonb) as gb,
           ($2->'group_by') ? 'province' as by_province, ($2->'group_by') ? 'category' as by_category,
           ($2->'group_by') ? 'year' as by_year, ($2->'group_by') ? 'source' as by_source,
           ($2->'group_by') ? 'status' as by_status, ($2->'group_by') ? 'kind' as by_kind,
           ($2->'group_by') ? 'priority' as by_priority,
           kc_report_list($2->'filters'->'province') as f_province,
           kc_report_list($2->'filters'->'category') as f_category,
           kc_report_list($2->'filters'->'source') as f_source,
           kc_report_list($2->'filters'->'status') as f_status,
           kc_report_list($2->'filters'->'kind') as f_kind,
           kc_report_list($2->'filters'->'priority') as f_priority),
  cfg as (
    select prm.*, (by_source or f_source is not null) as use_source from prm),
  -- the report units, and -1: the facts of every province at once (the
  -- national grains, 4 and 5), which no grouping by province reads
  units as (select * from kc_report_units((select map from cfg))
            union all select -1::bigint, null::bigint, null::text, null::text),
  seen as (
    -- the province-kind organisations a province's user may see
    select o.id from org_scope($1) s join orgs o on o.id = s where o.kind = 'province'),
  -- Money facts (grain 0, 1 or 4) summed by province and the keys asked for,
  -- before anything is joined or grouped by sets: the hundreds of thousands
  -- of fine-grain rows of a grouping by category become a few thousand.
  -- Every condition on $2 is a constant of the statement (EXECUTE plans it
  -- with the values), so the planner reads plain columns by index on
  -- (g, year) and knows how many rows come.
  mpre as (
    select r.province_org,
           case when ($2->'group_by') ? 'category' then r.category end as k_category,
           case when ($2->'group_by') ? 'year' then r.year end as k_year,
           case when ($2->'group_by') ? 'source' then r.source end as k_source,
           case when ($2->'group_by') ? 'status' then r.status end as k_status,
           case when ($2->'group_by') ? 'kind' then r.kind end as k_kind,
           case when ($2->'group_by') ? 'priority' then r.priority end as k_priority,
           (r.source <> '') = (($2->'group_by') ? 'source'
                               or kc_report_list($2->'filters'->'source') is not null) as in_rows,
           (r.source <> '') = (kc_report_list($2->'filters'->'source') is not null) as in_total,
           sum(r.projects) as projects, sum(r.planned) as planned, sum(r.allocated) as allocated,
           sum(r.advanced) as advanced, sum(r.final) as final, sum(r.refunded) as refunded,
           sum(r.settled) as settled
      from report_facts r
     where r.g = kc_report_grain_at($1, $2)
       and r.year between ($2->>'from_year')::integer and ($2->>'to_year')::integer
       and (case when $1 is null then r.visible
                 else r.province_org in (select id from seen) end)
       and (kc_report_list($2->'filters'->'category') is null
            or r.category = any (kc_report_list($2->'filters'->'category')))
       and (kc_report_list($2->'filters'->'status') is null
            or r.status = any (kc_report_list($2->'filters'->'status')))
       and (kc_report_list($2->'filters'->'kind') is null
            or r.kind = any (kc_report_list($2->'filters'->'kind')))
       and (kc_report_list($2->'filters'->'priority') is null
            or r.priority = any (kc_report_list($2->'filters'->'priority')))
       and (r.source = '' or kc_report_list($2->'filters'->'source') is null
            or r.source = any (kc_report_list($2->'filters'->'source')))
     group by 1, 2, 3, 4, 5, 6, 7, 8, 9),
  mf as (
    select case when cfg.by_province then u.unit_id end as k_province,
           m.k_category, m.k_year, m.k_source, m.k_status, m.k_kind, m.k_priority,
           m.in_rows, m.in_total, m.projects, m.planned, m.allocated, m.advanced, m.final,
           m.refunded, m.settled
      from mpre m join units u on u.province_org = m.province_org, cfg
     where (cfg.f_province is null or u.unit_code = any (cfg.f_province))),
  -- the groups and, as the empty grouping set, the totals, in one pass
  money_all as (
    select k_province as unit_id, k_category as category, k_year as year, k_source as source,
           k_status as status, k_kind as kind, k_priority as priority,
           grouping(k_province) = 1 as is_total,
           coalesce(sum(projects) filter (where in_rows), 0)::bigint as projects,
           coalesce(sum(projects) filter (where in_total), 0)::bigint as projects_total,
           coalesce(sum(planned), 0)::bigint as planned,
           coalesce(sum(allocated), 0)::bigint as allocated,
           coalesce(sum(advanced), 0)::bigint as advanced,
           coalesce(sum(final), 0)::bigint as final,
           coalesce(sum(refunded), 0)::bigint as refunded,
           coalesce(sum(settled), 0)::bigint as settled
      from mf
     group by grouping sets ((k_province, k_category, k_year, k_source, k_status, k_kind,
                              k_priority), ())),
  money as (
    select * from money_all
     where not is_total and projects > 0
       and not ((select by_source from cfg) and source = '')),
  tot as (
    select projects_total as projects, planned, allocated, advanced, final, refunded, settled
      from money_all where is_total
    union all
    select 0, 0, 0, 0, 0, 0, 0 where not exists (select 1 from money_all where is_total)),
  -- indicators the same way: summed by province and keys first
  ipre as (
    select r.province_org,
           case when ($2->'group_by') ? 'category' then r.category end as k_category,
           case when ($2->'group_by') ? 'year' then r.year end as k_year,
           case when ($2->'group_by') ? 'status' then r.status end as k_status,
           case when ($2->'group_by') ? 'kind' then r.kind end as k_kind,
           case when ($2->'group_by') ? 'priority' then r.priority end as k_priority,
           r.indicator,
           sum(r.projects) as projects, sum(r.target) as target, sum(r.achieved) as achieved
      from report_facts r
     where r.g = kc_report_indicator_grain(kc_report_grain_at($1, $2))
       and r.year between ($2->>'from_year')::integer and ($2->>'to_year')::integer
       and (case when $1 is null then r.visible
                 else r.province_org in (select id from seen) end)
       and (kc_report_list($2->'filters'->'category') is null
            or r.category = any (kc_report_list($2->'filters'->'category')))
       and (kc_report_list($2->'filters'->'status') is null
            or r.status = any (kc_report_list($2->'filters'->'status')))
       and (kc_report_list($2->'filters'->'kind') is null
            or r.kind = any (kc_report_list($2->'filters'->'kind')))
       and (kc_report_list($2->'filters'->'priority') is null
            or r.priority = any (kc_report_list($2->'filters'->'priority')))
     group by 1, 2, 3, 4, 5, 6, 7),
  ind as (
    select case when cfg.by_province then u.unit_id end as unit_id,
           i.k_category as category, i.k_year as year, i.k_status as status, i.k_kind as kind,
           i.k_priority as priority, i.indicator,
           sum(i.projects)::bigint as projects, sum(i.target)::bigint as target,
           sum(i.achieved)::bigint as achieved
      from ipre i join units u on u.province_org = i.province_org, cfg
     where (cfg.f_province is null or u.unit_code = any (cfg.f_province))
     group by 1, 2, 3, 4, 5, 6, 7
    having sum(i.projects) > 0),
  unit_names as (select distinct unit_id, unit_code, unit_name from units),
  -- the group members of a row, only those asked for
  money_rows as (
    select m.*, un.unit_code, un.unit_name,
           jsonb_strip_nulls(jsonb_build_object(
             'province_id', m.unit_id, 'province_code', un.unit_code,
             'province_name', un.unit_name,
             'category', m.category,
             'category_name', case when m.category = '' then 'Chưa xác định'
                                   else (select name_vi from content_categories where code = m.category) end,
             'year', m.year,
             'source', m.source,
             'source_name', (select name_vi from funding_sources where code = m.source),
             'status', m.status, 'status_name', kc_report_status_name(m.status),
             'kind', m.kind,
             'kind_name', (select name_vi from project_kinds where code = m.kind),
             'priority', m.priority,
             'priority_name', case when m.priority = '' then 'Không thuộc địa bàn ưu tiên'
                                   else (select name_vi from priority_areas where code = m.priority) end))
           || jsonb_build_object('projects', m.projects, 'planned', m.planned,
                                 'allocated', m.allocated, 'advanced', m.advanced,
                                 'final', m.final, 'refunded', m.refunded,
                                 'paid', m.advanced + m.final - m.refunded, 'settled', m.settled)
             as j,
           (select sort from content_categories where code = m.category) as cat_sort,
           (select sort from funding_sources where code = m.source) as src_sort,
           (select sort from project_kinds where code = m.kind) as kind_sort
      from money m left join unit_names un on un.unit_id = m.unit_id),
  ind_rows as (
    select i.*,
           jsonb_strip_nulls(jsonb_build_object(
             'province_id', i.unit_id, 'province_code', un.unit_code,
             'province_name', un.unit_name, 'category', i.category, 'year', i.year,
             'status', i.status, 'kind', i.kind, 'priority', i.priority))
           || jsonb_build_object('indicator', i.indicator,
                                 'indicator_name', x.name_vi, 'unit', x.unit_vi,
                                 'projects', i.projects, 'target', i.target,
                                 'achieved', i.achieved) as j,
           un.unit_code
      from ind i left join unit_names un on un.unit_id = i.unit_id
           left join indicators x on x.code = i.indicator),
  cols as (
    select coalesce(jsonb_agg(c.col order by c.n), '[]'::jsonb) as columns
      from cfg, lateral (values
        (1, cfg.by_province, jsonb_build_object('key', 'province_name', 'label', 'Tỉnh, thành phố', 'type', 'text')),
        (2, cfg.by_year, jsonb_build_object('key', 'year', 'label', 'Năm', 'type', 'year')),
        (3, cfg.by_category, jsonb_build_object('key', 'category_name', 'label', 'Nội dung khuyến công', 'type', 'text')),
        (4, cfg.by_kind, jsonb_build_object('key', 'kind_name', 'label', 'Loại đề án', 'type', 'text')),
        (5, cfg.by_priority, jsonb_build_object('key', 'priority_name', 'label', 'Địa bàn ưu tiên', 'type', 'text')),
        (6, cfg.by_status, jsonb_build_object('key', 'status_name', 'label', 'Trạng thái', 'type', 'text')),
        (7, cfg.by_source, jsonb_build_object('key', 'source_name', 'label', 'Nguồn kinh phí', 'type', 'text')),
        (8, true, jsonb_build_object('key', 'projects', 'label', 'Số đề án', 'type', 'integer')),
        (9, true, jsonb_build_object('key', 'planned', 'label', 'Kế hoạch', 'type', 'money', 'group', 'Kinh phí (đồng)')),
        (10, true, jsonb_build_object('key', 'allocated', 'label', 'Phân bổ', 'type', 'money', 'group', 'Kinh phí (đồng)')),
        (11, true, jsonb_build_object('key', 'advanced', 'label', 'Tạm ứng', 'type', 'money', 'group', 'Kinh phí (đồng)')),
        (12, true, jsonb_build_object('key', 'final', 'label', 'Thanh toán', 'type', 'money', 'group', 'Kinh phí (đồng)')),
        (13, true, jsonb_build_object('key', 'refunded', 'label', 'Thu hồi', 'type', 'money', 'group', 'Kinh phí (đồng)')),
        (14, true, jsonb_build_object('key', 'paid', 'label', 'Đã giải ngân', 'type', 'money', 'group', 'Kinh phí (đồng)')),
        (15, true, jsonb_build_object('key', 'settled', 'label', 'Quyết toán', 'type', 'money', 'group', 'Kinh phí (đồng)'))
      ) as c (n, shown, col)
     where c.shown)
  select jsonb_build_object('result', jsonb_build_object(
    'title', 'Báo cáo tổng hợp hoạt động khuyến công',
    'subtitle', format('Năm %s%s; %s', cfg.y0,
                       case when cfg.y1 <> cfg.y0 then format('–%s', cfg.y1) else '' end,
                       case when cfg.map = '63' then 'theo 63 tỉnh, thành phố (trước 01/07/2025)'
                            else 'theo 34 tỉnh, thành phố (từ 01/07/2025)' end),
    'issuer', case when $1 is null
                   then jsonb_build_object('parent', 'Bộ Công Thương',
                                           'name', (select name from orgs where kind = 'ministry_department'
                                                     order by id limit 1))
                   else jsonb_build_object('parent', (select name from orgs where id = $1),
                                           'name', 'Sở Công Thương') end,
    'generated_at', kc_instant(now()),
    'file_stem', format('bao-cao-tong-hop-%s-%s', cfg.y0, cfg.y1),
    'params', jsonb_build_object('from_year', cfg.y0, 'to_year', cfg.y1, 'group_by', cfg.gb,
                                 'province_map', cfg.map,
                                 'filters', coalesce($2->'filters', '{}'::jsonb)),
    'columns', (select columns from cols),
    'rows', (select coalesce(jsonb_agg(r.j order by r.unit_code, r.unit_id, r.year, r.cat_sort,
                                       r.category, r.kind_sort, r.priority,
                                       kc_report_status_sort(r.status), r.src_sort), '[]'::jsonb)
               from money_rows r),
    'totals', (select jsonb_build_object('projects', t.projects, 'planned', t.planned,
                                         'allocated', t.allocated, 'advanced', t.advanced,
                                         'final', t.final, 'refunded', t.refunded,
                                         'paid', t.advanced + t.final - t.refunded,
                                         'settled', t.settled)
                 from tot t),
    'indicators', (select coalesce(jsonb_agg(r.j order by r.unit_code, r.unit_id, r.year,
                                             r.category, r.kind, r.priority,
                                             kc_report_status_sort(r.status), r.indicator),
                                    '[]'::jsonb)
                     from ind_rows r)))
    from cfg
$q$ into v_r using p_scope, p;
  return v_r;
end $f$;

