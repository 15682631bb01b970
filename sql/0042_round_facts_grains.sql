-- 0042_round_facts_grains.sql — round reads at national size (issue 15):
-- round.consolidate took about 7 s over the 100,000 projects of
-- scripts/gen-data --scale 1 (2.2–3.6 s on an idle machine), a province's
-- live round.report_get about 2 s.
--
-- The cause (EXPLAIN ANALYZE; docs/performance.md, "Reporting rounds"):
-- every table of a round read kc_round_facts, a sequential scan of the whole
-- of report_project_facts (one row per project, source and indicator:
-- 702,009 rows at scale 1, 201,467 of them in 2021–2025, about 1.1 s) hashed
-- with the units; round.consolidate did it three times (the money table,
-- the indicator table, the provinces' totals), a province's report twice.
--
-- The tables never use the project: they are sums by year, category,
-- source and indicator (and unit). Those sums are kept already in the
-- grains of report_facts (0017, 0027), whose sums over any of their
-- dimensions equal the projects' (kc_report_check verifies it):
--   the whole country  g = 4 (money) and 5 (indicators): by year, status,
--                      category, source, indicator (2021–2025: 5,590 rows);
--                      less what the Ministry's own units (province_org 0,
--                      unit 0) have at g = 0 and 2, which a round leaves out
--   one province       g = 0 and 2 of the province's orgs (by the primary
--                      key's g and year, then the orgs)
--   every province     g = 1 (money without category) for the provinces'
--                      totals of round.consolidate (kc_round_unit_totals)
-- Same columns (project_id is now null: no caller used it), same figures
-- (integration-rounds compares round.consolidate with report.summary and a
-- province's tables with SQL over the projects).
--
-- Replaces kc_round_facts (0026's body is gone: its signature is kept, so
-- its callers are unchanged) and kc_round_consolidate (0026's kept as
-- kc_round_consolidate_0026).

create or replace function kc_round_facts(rd rounds, p_org bigint)
returns table (project_id bigint, unit_id bigint, year integer, category text, source text,
               indicator text, projects bigint, planned bigint, advanced bigint, final bigint,
               refunded bigint, target bigint, achieved bigint)
language sql stable set enable_nestloop = off as $$
  -- Every condition on the primary key's first columns (g, year,
  -- province_org) is an equality with a list, so the index is entered once
  -- per combination instead of scanning the years' rows of every province.
  -- (enable_nestloop off, as 0026's: the units are hashed; the SET also
  -- keeps the function from being inlined.)
  with u as materialized (select province_org, unit_id from kc_report_units('34') where unit_id <> 0),
  years as materialized (select array_agg(y) as ys from generate_series(rd.from_year, rd.to_year) y),
  -- the orgs of a province; for the whole country, the facts' orgs that
  -- belong to no province (the Ministry's own units, unit 0), from the
  -- coarse grains (a few thousand rows)
  mine as materialized (
    select array_agg(province_org) as orgs from u where p_org is not null and u.unit_id = p_org),
  outside as materialized (
    select array_agg(distinct f.province_org) as orgs from report_facts f
     where p_org is null and f.g = any ('{1,3}'::smallint[]) and f.year = any ((select ys from years)::integer[])
       and f.province_org not in (select province_org from u) and f.province_org <> -1)
  -- a province: its orgs' detailed grains
  select null::bigint, p_org, f.year, f.category, f.source, f.indicator, f.projects, f.planned,
         f.advanced, f.final, f.refunded, f.target, f.achieved
    from report_facts f
   where p_org is not null and f.g = any ('{0,2}'::smallint[]) and f.year = any ((select ys from years)::integer[])
     and f.province_org = any ((select orgs from mine)::bigint[]) and f.visible
     and f.status in ('approved', 'in_progress', 'completed', 'settled')
  union all
  -- the whole country ...
  select null, null, f.year, f.category, f.source, f.indicator, f.projects, f.planned,
         f.advanced, f.final, f.refunded, f.target, f.achieved
    from report_facts f
   where p_org is null and f.g = any ('{4,5}'::smallint[]) and f.year = any ((select ys from years)::integer[])
     and f.province_org = -1 and f.visible
     and f.status in ('approved', 'in_progress', 'completed', 'settled')
  union all
  -- ... less the Ministry's own units (no province's report counts them)
  select null, null, f.year, f.category, f.source, f.indicator, -f.projects, -f.planned,
         -f.advanced, -f.final, -f.refunded, -f.target, -f.achieved
    from report_facts f
   where p_org is null and (select orgs from outside) is not null
     and f.g = any ('{0,2}'::smallint[]) and f.year = any ((select ys from years)::integer[])
     and f.province_org = any ((select orgs from outside)::bigint[]) and f.visible
     and f.status in ('approved', 'in_progress', 'completed', 'settled')
$$;

-- Each province's projects and planned total of the round's years (the
-- provinces' lines of round.consolidate), from the coarse grain g = 1.
create function kc_round_unit_totals(rd rounds)
returns table (unit_id bigint, projects bigint, total bigint)
language sql stable set enable_nestloop = off as $$
  with u as materialized (select province_org, unit_id from kc_report_units('34') where unit_id <> 0)
  select u.unit_id,
         sum(f.projects) filter (where f.source = '' and f.indicator = '')::bigint,
         sum(f.planned) filter (where f.source <> '')::bigint
    from report_facts f join u on u.province_org = f.province_org
   where f.g = 1 and f.year = any (array(select generate_series(rd.from_year, rd.to_year))) and f.visible
     and f.status in ('approved', 'in_progress', 'completed', 'settled')
   group by u.unit_id
$$;

alter function kc_round_consolidate(bigint, jsonb) rename to kc_round_consolidate_0026;

create function kc_round_consolidate(p_scope bigint, p jsonb) returns jsonb
language plpgsql stable as $$
declare
  rd rounds;
begin
  if p_scope is not null then
    return kc_err(1003, 'the national summary is the Ministry''s');
  end if;
  select * into rd from rounds where id = (p->>'round_id')::bigint;
  if not found then
    return kc_err(1004, 'no such round');
  end if;
  return jsonb_build_object('result', jsonb_build_object(
    'round', kc_round_json(rd, null) - 'reports',
    'tables', kc_round_tables(rd, null),
    'provinces', (select coalesce(jsonb_agg(kc_round_report_brief(r, rd) || jsonb_build_object(
                           'projects', coalesce(m.projects, 0), 'total', coalesce(m.total, 0))
                           order by o.code), '[]'::jsonb)
                    from round_reports r join orgs o on o.id = r.org_id
                    left join kc_round_unit_totals(rd) m on m.unit_id = r.org_id
                   where r.round_id = rd.id),
    'sections', (select coalesce(jsonb_agg(s.e || jsonb_build_object('provinces', (
                           select coalesce(jsonb_agg(jsonb_build_object(
                                    'org_id', r.org_id, 'org_name', o.name, 'status', r.status,
                                    'text', coalesce(r.texts->>(s.e->>'key'), '')) order by o.code), '[]'::jsonb)
                             from round_reports r join orgs o on o.id = r.org_id
                            where r.round_id = rd.id and r.status in ('sent', 'accepted')))
                           order by s.i), '[]'::jsonb)
                   from jsonb_array_elements(rd.sections) with ordinality s (e, i)),
    'not_sent', (select coalesce(jsonb_agg(kc_round_report_brief(r, rd) order by o.code), '[]'::jsonb)
                   from round_reports r join orgs o on o.id = r.org_id
                  where r.round_id = rd.id and r.status not in ('sent', 'accepted'))));
end $$;
