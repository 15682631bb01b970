-- 0051_dashboard_counts.sql — report.dashboard at national size (issue 20
-- point 5: every reply behind a screen ≤ 200 ms median for a Ministry user
-- on scripts/gen-data --scale 1). The Ministry's dashboard took 717 ms: its
-- "late" figures listed every overdue item of the country
-- (kc_overdue_items: 95,375 rows, 84,070 of them missing monthly progress
-- reports, one generated row per project and month) only to count them by
-- province and kind, and it asked kc_budget_summary for the whole budget
-- page (every project's allocations, contracts and payments, 0027) only to
-- read two figures per funding source. Same answer, same JSON.
--
-- 1. kc_overdue_counts(scope, today): the number of kc_overdue_items' rows
--    per (kind, org_id), counted by the same rules without listing them:
--    a project's missing monthly reports are the months of its range that
--    are late (every month up to the last whose kc_progress_due has come:
--    the due day lies in its month or the first days of the next, so the
--    late months are a prefix) less the reports it has in that range
--    (unique per project and month, always a month's first day); the
--    provinces of the plans' organisations found once per organisation,
--    not per plan; the province reports' due days once per (year, period),
--    not per province; settlement due days from calendar_rules by a join.
--    kc_overdue_items stays the list (deadline.overdue, the home page);
--    integration-inbox, -money-chain and -correspondence check that the
--    two agree (kctest's Server.overdue_counts_differ), on many days and
--    scopes. A new kind, or a changed rule, of kc_overdue_items must be
--    made here too.
-- 2. kc_budget_by_source(scope, year): budget.summary's by_source (the
--    year's appropriations, allocations and releases per funding source)
--    on its own; kc_budget_summary_0027 now reads it from there, so the
--    dashboard's appropriated and remaining cannot drift from the budget
--    page's.
-- 3. kc_report_dashboard reads both instead (the report figures still
--    from kc_report_summary's three calls, 28 of the 121 ms: summing them
--    again in one pass would be a second copy of its grains and rules).

create function kc_overdue_counts(p_scope bigint, p_today date)
returns table (kind text, org_id bigint, n bigint)
language sql stable as $$
  with scope_orgs as materialized (
    select s.id from org_scope(p_scope) s (id) where p_scope is not null),
  -- kc_scope_root of each organisation that has a plan, once
  org_roots as materialized (
    select o.org_id, kc_scope_root(o.org_id) as province
      from (select distinct pl.org_id from plans pl) o),
  plan_provinces as materialized (
    select pl.id, pl.org_id, pl.year, pl.scope, pl.status, r.province
      from plans pl join org_roots r on r.org_id = pl.org_id
     where p_scope is null or pl.org_id in (select id from scope_orgs)),
  vplans as (
    select * from plan_provinces pl
     where p_scope is not null or pl.scope = 'local' or pl.status not in ('draft', 'submitted')),
  vis as materialized (
    select pr.id, pr.status, pr.start_date, pr.end_date, pr.kind, v.id as plan_id,
           v.year, v.scope, v.province
      from vplans v join projects pr on pr.plan_id = v.id
     where pr.status in ('approved', 'in_progress', 'completed')),
  -- the last late month: the current one once its due day has come, else
  -- the one before (or, should a due day fall in the next month, the one
  -- before that); kc_overdue_items lists the months up to the current one
  -- whose due day has come
  last_late as (
    select max(x.m) as m
      from (select (date_trunc('month', p_today) - make_interval(months => i))::date as m
              from generate_series(0, 2) i) x
     where p_today >= kc_progress_due(x.m)),
  -- a project's months as dates by day arithmetic (date_trunc('month') of a
  -- date goes through timestamptz and the time zone)
  ranges as materialized (
    select x.id, x.province, x.m0,
           least(x.last_day - (date_part('day', x.last_day)::integer - 1), (select m from last_late)) as m1
      from (select v.id, v.province,
                   greatest(make_date(v.year, 1, 1),
                            v.start_date - (date_part('day', v.start_date)::integer - 1)) as m0,
                   coalesce(v.end_date,
                            make_date(v.year + coalesce(k.max_years, 1) - 1 + kc_project_extension(v.id), 12, 31))
                     as last_day
              from vis v left join project_kinds k on k.code = v.kind
             where v.status in ('approved', 'in_progress')) x),
  -- per province: the late months of its projects' ranges less the reports
  -- in those ranges
  progress as (
    select m.province, m.months - coalesce(d.reported, 0) as n
      from (select r.province,
                   sum(greatest(0, (date_part('year', r.m1)::integer * 12 + date_part('month', r.m1)::integer)
                                   - (date_part('year', r.m0)::integer * 12 + date_part('month', r.m0)::integer)
                                   + 1)) as months
              from ranges r group by r.province) m
      left join (select r.province, count(*) as reported
                   from ranges r join project_progress_reports p
                     on p.project_id = r.id and p.period between r.m0 and r.m1
                  group by r.province) d on d.province is not distinct from m.province),
  -- the extensions and carry-overs as hashed sets, not three subqueries per project
  accepted as (
    select v.id, v.province, a.accepted_on,
           greatest(v.year + case when v.id in (select x.project_id from project_adjustments x
                                                 where x.type = 'extend_next_year' and x.status = 'approved')
                                       or v.id in (select i.project_id from plan_decision_items i
                                                    where i.action = 'extend')
                                  then 1 else 0 end,
                    coalesce(co.to_year, v.year)) as last_year
      from vis v left join project_acceptances a on a.project_id = v.id
      left join (select c.project_id, max(c.to_year) as to_year from carry_overs c group by 1) co
        on co.project_id = v.id
     where v.scope = 'national' and v.status = 'completed'),
  dossier_days as materialized (select kc_deadline_setting('settlement_dossier_days') as d),
  owed as (
    select distinct province, year from plan_provinces where province is not null),
  -- each year's periodic report due days once
  report_dues as materialized (
    select y.year, x.period, c.due
      from (select distinct year from owed) y
     cross join (values ('q1'), ('h1'), ('q3'), ('year')) as x (period),
      lateral kc_report_period(y.year, x.period) c
     where p_today > c.due),
  this_year as (select extract(year from p_today)::integer as y),
  registrations as (
    select distinct pp.province, y.year
      from plan_provinces pp
     cross join (values ((select y from this_year)), ((select y from this_year) + 1)) as y (year)
     where pp.year in (y.year - 1, y.year) and pp.province is not null
       and p_today > kc_calendar_due('registration_deadline', y.year)),
  forwarded as (
    select distinct pl.year, r.province
      from plans pl join org_roots r on r.org_id = pl.org_id
     where pl.scope = 'national' and pl.status in ('forwarded', 'approved')
       and pl.year between (select y from this_year) and (select y from this_year) + 1)
  select 'progress_report', p.province, p.n::bigint from progress p where p.n > 0
  union all
  select 'settlement_dossier', a.province, count(*)
    from accepted a, dossier_days dd
   where a.accepted_on is not null
     and p_today > a.accepted_on + dd.d
     and not exists (select 1 from settlement_dossiers sd where sd.project_id = a.id)
   group by a.province
  union all
  select 'settlement', a.province, count(*)
    from accepted a
    left join calendar_rules c on c.rule = 'settlement_deadline' and c.year = a.last_year
   where p_today > coalesce(c.due, make_date(a.last_year + 1, 1, 22))
   group by a.province
  union all
  select 'correspondence', c.org_id, count(*)
    from correspondence c
   where c.status = 'open' and (p_scope is null or c.org_id in (select id from scope_orgs))
     and p_today > kc_correspondence_due(c)
   group by c.org_id
  union all
  select 'province_report', o.province, count(*)
    from owed o join report_dues d on d.year = o.year
   where not exists (select 1 from province_reports r
                      where r.province_id = o.province and r.year = o.year and r.period = d.period)
   group by o.province
  union all
  select 'registration', g.province, count(*)
    from registrations g
   where not exists (select 1 from forwarded f where f.year = g.year and f.province = g.province)
   group by g.province
$$;

-- ---------------------------------------------------------------------------
-- 2. budget.summary's by_source on its own (0027's CTE, unchanged): the
--    year's appropriations of the scope, allocations and releases, per
--    funding source that has an appropriation (or, for the Ministry, an
--    allocation), ordered by source.
-- ---------------------------------------------------------------------------
create function kc_budget_by_source(p_scope bigint, p_year integer) returns jsonb
language sql stable as $$
  with ap as (select a.* from appropriations a
               where a.year = p_year and (p_scope is null or (a.source = 'local' and a.province_id = p_scope))),
  al as (select a.source, a.amount, a.province_id from allocations a where a.year = p_year),
  rl as (select r.source, r.amount, r.province_id from budget_releases r where r.year = p_year),
  by_source as (
    select s.code as source,
           coalesce((select sum(ap.amount) from ap where ap.source = s.code), 0) as appropriated,
           coalesce((select sum(amount) from al where al.source = s.code
                       and (p_scope is null or al.province_id = p_scope)), 0) as allocated,
           coalesce((select sum(amount) from rl where rl.source = s.code
                       and (p_scope is null or rl.province_id = p_scope)), 0) as released
      from funding_sources s
     where exists (select 1 from ap where ap.source = s.code)
        or (p_scope is null and exists (select 1 from al where al.source = s.code)))
  select coalesce(jsonb_agg(jsonb_build_object(
           'source', source, 'appropriated', appropriated, 'allocated', allocated,
           'released', released,
           'remaining', appropriated - allocated + released) order by source), '[]'::jsonb)
    from by_source
$$;

-- budget.summary (0027's body; 0035 and 0040 wrap it) reads its by_source
-- from kc_budget_by_source: the same figures.
create or replace function kc_budget_summary_0027(p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE sql STABLE
    SET jit TO 'off'
    AS $$
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
    'by_source', kc_budget_by_source(p_scope, (select year from y)),
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
-- 3. The dashboard: the late items counted by kc_overdue_counts, the
--    appropriations from kc_budget_by_source; otherwise 0028's body.
-- ---------------------------------------------------------------------------
create or replace function kc_report_dashboard(p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE plpgsql STABLE
    SET jit TO 'off'
    AS $$
declare
  v_year integer := coalesce((p->>'year')::integer, extract(year from kc_today())::integer);
  v_map text := coalesce(p->>'province_map', '34');
  v_sort text := coalesce(p->>'sort', 'province_code');
  v_desc boolean := coalesce(p->>'order', 'asc') = 'desc';
  v_base jsonb := jsonb_build_object('from_year', v_year, 'to_year', v_year, 'province_map', v_map);
  v_by_source jsonb := kc_report_summary(p_scope, v_base || '{"group_by": ["source"]}')->'result';
  v_by_status jsonb := kc_report_summary(p_scope, v_base || '{"group_by": ["status"]}')->'result';
  v_by_province jsonb := kc_report_summary(p_scope, v_base || '{"group_by": ["province"]}')->'result';
  v_budget jsonb := jsonb_build_object('by_source', kc_budget_by_source(p_scope, v_year));
  v_today date := kc_today();
begin
  return jsonb_build_object('result', (
  with late as (
    select u.unit_id, i.kind, sum(i.n)::bigint as n
      from kc_overdue_counts(p_scope, v_today) i
      join kc_report_units(v_map) u on u.province_org = i.org_id
     group by 1, 2),
  prov as (
    select r, (r->>'province_id')::bigint as unit_id,
           coalesce((select sum(n) from late l where l.unit_id = (r->>'province_id')::bigint), 0) as late
      from jsonb_array_elements(v_by_province->'rows') r),
  prov_rows as (
    select jsonb_build_object(
             'province_id', x.unit_id, 'province_code', x.r->>'province_code',
             'province_name', x.r->>'province_name', 'projects', (x.r->>'projects')::bigint,
             'planned', (x.r->>'planned')::bigint, 'allocated', (x.r->>'allocated')::bigint,
             'paid', (x.r->>'paid')::bigint, 'settled', (x.r->>'settled')::bigint,
             'disbursement_rate', kc_dashboard_rate((x.r->>'paid')::numeric, (x.r->>'allocated')::numeric),
             'late', x.late) as j
      from prov x),
  bp as (
    select coalesce((
        select jsonb_agg(j order by
                 case when not v_desc then
                   case when v_sort in ('province_code', 'province_name') then null
                        else (j->>v_sort)::numeric end end nulls last,
                 case when v_desc then
                   case when v_sort in ('province_code', 'province_name') then null
                        else (j->>v_sort)::numeric end end desc nulls last,
                 case when not v_desc and v_sort in ('province_code', 'province_name') then j->>v_sort end,
                 case when v_desc and v_sort in ('province_code', 'province_name') then j->>v_sort end desc,
                 j->>'province_code')
          from prov_rows), '[]'::jsonb) as a)
  select jsonb_build_object(
    -- the export contract (srv-export.h): the per-province table, so that
    -- report.export renders the dashboard's figures for Excel
    'title', format('Tình hình thực hiện khuyến công năm %s', v_year),
    'subtitle', coalesce((select name from orgs where id = p_scope), 'Toàn quốc')
                || case when v_map = '63' then '; theo 63 tỉnh, thành phố (trước 01/07/2025)'
                        else '; theo 34 tỉnh, thành phố (từ 01/07/2025)' end,
    'issuer', v_by_source->'issuer',
    'file_stem', format('bang-dieu-khien-%s', v_year),
    'columns', jsonb_build_array(
                 jsonb_build_object('key', 'province_name', 'label', 'Tỉnh, thành phố', 'type', 'text'),
                 jsonb_build_object('key', 'projects', 'label', 'Số đề án', 'type', 'integer'),
                 jsonb_build_object('key', 'planned', 'label', 'Kế hoạch', 'type', 'money', 'group', 'Kinh phí (đồng)'),
                 jsonb_build_object('key', 'allocated', 'label', 'Phân bổ', 'type', 'money', 'group', 'Kinh phí (đồng)'),
                 jsonb_build_object('key', 'paid', 'label', 'Đã giải ngân', 'type', 'money', 'group', 'Kinh phí (đồng)'),
                 jsonb_build_object('key', 'settled', 'label', 'Quyết toán', 'type', 'money', 'group', 'Kinh phí (đồng)'),
                 jsonb_build_object('key', 'disbursement_rate', 'label', 'Tỷ lệ giải ngân (%)', 'type', 'percent'),
                 jsonb_build_object('key', 'late', 'label', 'Việc quá hạn', 'type', 'integer')),
    'year', v_year, 'province_map', v_map, 'as_of', v_today, 'generated_at', kc_instant(now()),
    'scope', case when p_scope is null then 'ministry' else 'province' end,
    'province_id', p_scope,
    'province_name', (select name from orgs where id = p_scope),
    'totals', jsonb_build_object(
                'projects', (v_by_source->'totals'->>'projects')::bigint,
                'planned', (v_by_source->'totals'->>'planned')::bigint,
                'allocated', (v_by_source->'totals'->>'allocated')::bigint,
                'paid', (v_by_source->'totals'->>'paid')::bigint,
                'settled', (v_by_source->'totals'->>'settled')::bigint,
                'appropriated', (select coalesce(sum((b->>'appropriated')::bigint), 0)
                                   from jsonb_array_elements(v_budget->'by_source') b),
                'disbursement_rate', kc_dashboard_rate((v_by_source->'totals'->>'paid')::numeric,
                                                       (v_by_source->'totals'->>'allocated')::numeric)),
    'money_by_source', coalesce((
        select jsonb_agg(jsonb_build_object(
                 'source', s->>'source', 'source_name', s->>'source_name',
                 'planned', (s->>'planned')::bigint, 'allocated', (s->>'allocated')::bigint,
                 'paid', (s->>'paid')::bigint, 'settled', (s->>'settled')::bigint,
                 'appropriated', (b->>'appropriated')::bigint, 'remaining', (b->>'remaining')::bigint,
                 'disbursement_rate', kc_dashboard_rate((s->>'paid')::numeric, (s->>'allocated')::numeric))
                 order by ord)
          from jsonb_array_elements(v_by_source->'rows') with ordinality as t (s, ord)
          left join lateral (select b from jsonb_array_elements(v_budget->'by_source') b
                              where b->>'source' = s->>'source') bb on true), '[]'::jsonb),
    'projects_by_status', coalesce((
        select jsonb_agg(jsonb_build_object('status', s->>'status', 'status_name', s->>'status_name',
                                            'projects', (s->>'projects')::bigint) order by ord)
          from jsonb_array_elements(v_by_status->'rows') with ordinality as t (s, ord)), '[]'::jsonb),
    'indicators', coalesce((
        select jsonb_agg(jsonb_build_object(
                 'indicator', i->>'indicator', 'name', i->>'indicator_name', 'unit', i->>'unit',
                 'target', (i->>'target')::bigint, 'achieved', (i->>'achieved')::bigint,
                 'percent', kc_dashboard_rate((i->>'achieved')::numeric, (i->>'target')::numeric))
                 order by i->>'indicator')
          from jsonb_array_elements(v_by_source->'indicators') i), '[]'::jsonb),
    'late', jsonb_build_object(
              'total', coalesce((select sum(n) from late), 0),
              'by_kind', coalesce((select jsonb_object_agg(kind, n)
                                     from (select kind, sum(n) as n from late group by kind) k), '{}'::jsonb)),
    'rows', (select a from bp),
    'by_province', (select a from bp))));
end $$;
