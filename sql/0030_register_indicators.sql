-- 0030_register_indicators.sql — the register-based indicators of the
-- national summary (issue 14 point 8; DOMAIN §4.4): I17 (projects), I18
-- (money), I19 (disbursement rate) and I20 (projects in priority areas)
-- are counted in report.programme from the registers themselves — the
-- projects, their budget lines, the disbursements and the projects'
-- priority area — instead of summing what projects declared under those
-- codes (a project cannot meaningfully declare "one project" or its own
-- disbursement rate). I08 (typical products recognised): achieved is
-- counted from the register of typical products (0008's typical_products,
-- DOMAIN §5: the certificates of the period's rounds, not revoked); planned
-- stays what the bình chọn projects declared.
--
-- kc_report_programme as 0020 wrote it, but for the CTEs ind_declared /
-- reg / ind.

create or replace function kc_report_programme(p_scope bigint, p jsonb) returns jsonb
language plpgsql stable as $$
declare
  v programmes;
  pp programme_periods;
  v_prov bigint;
  v_rows jsonb;
begin
  if p ? 'programme_id' then
    select * into v from programmes where id = (p->>'programme_id')::bigint;
  elsif coalesce(p->>'scope', 'national') = 'national' then
    select * into v from programmes where period_code = p->>'period' and scope = 'national';
  else
    select * into v from programmes
     where period_code = p->>'period' and scope = 'local'
       and org_id = kc_scope_root(coalesce((p->>'province_id')::bigint, p_scope));
  end if;
  if v.id is null or not kc_programme_visible(v, p_scope) then
    return kc_err(1004, 'no such programme');
  end if;
  if p ? 'province_id' then
    v_prov := kc_province_now((p->>'province_id')::bigint);
    if v_prov is null or (p_scope is not null and v_prov not in (select org_scope(p_scope))) then
      return kc_err(1004, 'no such province');
    end if;
  else
    v_prov := p_scope;
  end if;
  if v.scope = 'local' then
    if v_prov is not null and v_prov not in (v.org_id, kc_province_now(v.org_id)) then
      return kc_rule_err('province_id', 'programme', 'a local programme covers its own province only');
    end if;
    v_prov := v.org_id;
  end if;
  select * into pp from programme_periods where code = v.period_code;

  with prj as (
    select pr.id, pr.status, pr.priority_area, coalesce(v_prov, kc_province_now(pl.org_id)) as province
      from projects pr join plans pl on pl.id = pr.plan_id
     where pl.year between pp.from_year and pp.to_year and pl.scope = v.scope
       and kc_plan_visible(pl.org_id, pl.scope, pl.status, p_scope)
       and (v_prov is null or pl.org_id in (select org_scope(v_prov)))
       and pr.status in ('approved', 'in_progress', 'completed', 'settled')),
  areas as (
    -- null: the whole programme
    select null::bigint as area, 0 as ord, 'Toàn quốc' as name
     where v.scope = 'national' and v_prov is null
    union all
    select o.id, 1, o.name from orgs o
     where (v_prov is not null and o.id = v_prov)
        or (v_prov is null and v.scope = 'national'
            and (o.id in (select province from prj)
                 or o.id in (select kc_province_now(province_id) from programme_targets
                              where programme_id = v.id and province_id is not null)
                 or o.id in (select kc_province_now(province_id) from programme_budgets
                              where programme_id = v.id and province_id is not null)))),
  -- a local programme's own rows have province_id null
  tgt as (
    select case when v.scope = 'local' then v.org_id else kc_province_now(t.province_id) end as area,
           t.indicator, sum(t.target) as target, max(t.confidence) as confidence
      from programme_targets t where t.programme_id = v.id
     group by 1, 2),
  env as (
    select case when v.scope = 'local' then v.org_id else kc_province_now(b.province_id) end as area,
           b.source, sum(b.amount) as amount, max(b.confidence) as confidence
      from programme_budgets b where b.programme_id = v.id
     group by 1, 2),
  -- what the projects declared, except the indicators their registers give
  ind_declared as (
    select a.area, i.indicator,
           sum(i.target) as planned,
           sum(case when x.status in ('completed', 'settled') then coalesce(i.achieved, 0) else 0 end) as achieved
      from areas a join prj x on a.area is null or x.province = a.area
      join project_indicators i on i.project_id = x.id
     where i.indicator not in ('I08', 'I17', 'I18', 'I19', 'I20')
     group by a.area, i.indicator),
  -- I08: planned as the projects (the bình chọn rounds) declared it;
  -- achieved from the register of typical products (0008): the
  -- certificates of the period's rounds, not revoked, of the area
  i08 as (
    select a.area,
           (select sum(i.target) from prj x join project_indicators i on i.project_id = x.id
             where i.indicator = 'I08' and (a.area is null or x.province = a.area)) as planned,
           (select count(*) from typical_products t
             where not t.revoked and t.year between pp.from_year and pp.to_year
               and (a.area is null or kc_province_now(t.org_id) = a.area)) as achieved
      from areas a),
  -- 0030: the register-based indicators, from the registers themselves
  -- (DOMAIN §4.4): I17 the projects (approved or later / accepted), I18 the
  -- money (budget lines of all sources / disbursed net of refunds), I19 the
  -- disbursement rate (disbursed net / central and local support), I20 the
  -- projects in a priority area (a–d)
  reg as (
    select a.area, x.id, x.status, x.priority_area,
           (select coalesce(sum(b.amount), 0) from project_budget_lines b where b.project_id = x.id) as lines,
           (select coalesce(sum(b.amount), 0) from project_budget_lines b
             where b.project_id = x.id and b.source in ('central', 'local')) as support,
           (select coalesce(sum(case when d.kind = 'refund' then -d.amount else d.amount end), 0)
              from disbursements d where d.project_id = x.id) as paid
      from areas a join prj x on a.area is null or x.province = a.area),
  ind as (
    select area, indicator, planned, achieved from ind_declared
    union all
    select area, 'I08', coalesce(planned, 0), achieved from i08 where planned is not null or achieved > 0
    union all
    select area, 'I17', count(*), count(*) filter (where status in ('completed', 'settled'))
      from reg group by area
    union all
    select area, 'I18', sum(lines), sum(paid) from reg group by area
    union all
    select area, 'I19', null, case when sum(support) > 0 then round(sum(paid) * 100.0 / sum(support)) end
      from reg group by area
    union all
    select area, 'I20', count(*) filter (where priority_area is not null),
           count(*) filter (where priority_area is not null and status in ('completed', 'settled'))
      from reg group by area),
  money as (
    select a.area, b.source, sum(b.amount) as planned,
           sum(case when x.status in ('completed', 'settled') then b.amount else 0 end) as achieved
      from areas a join prj x on a.area is null or x.province = a.area
      join project_budget_lines b on b.project_id = x.id
     group by a.area, b.source),
  lines as (
    select a.ord, a.area, a.name as area_name, 0 as kind, c.code as sort, c.code, c.name_vi as name,
           c.unit_vi as unit, t.target, coalesce(d.planned, 0) as planned,
           coalesce(d.achieved, 0) as achieved, t.confidence
      from areas a cross join indicators c
      left join tgt t on t.area is not distinct from a.area and t.indicator = c.code
      left join ind d on d.area is not distinct from a.area and d.indicator = c.code
     where t.indicator is not null or d.indicator is not null
    union all
    select a.ord, a.area, a.name, 1, lpad(fs.sort::text, 6, '0'), 'KP.' || fs.code,
           'Kinh phí: ' || fs.name_vi, 'đồng', e.amount, coalesce(m.planned, 0),
           coalesce(m.achieved, 0), e.confidence
      from areas a cross join funding_sources fs
      left join env e on e.area is not distinct from a.area and e.source = fs.code
      left join money m on m.area is not distinct from a.area and m.source = fs.code
     where e.source is not null or m.source is not null)
  select coalesce(jsonb_agg(jsonb_build_object(
           'province_id', l.area, 'area', l.area_name, 'code', l.code, 'name', l.name, 'unit', l.unit,
           'target', l.target, 'planned', l.planned, 'achieved', l.achieved,
           'percent', kc_report_pct(l.achieved, l.target), 'confidence', l.confidence)
           order by l.ord, l.area_name, l.area, l.kind, l.sort), '[]'::jsonb)
    into v_rows from lines l;

  return jsonb_build_object('result', jsonb_build_object(
    'title', 'Báo cáo tổng kết ' || v.title,
    'subtitle', format('Giai đoạn %s–%s; %s%s', pp.from_year, pp.to_year,
                       coalesce(v.decision_no, 'chưa phê duyệt'),
                       case when v_prov is not null then '; ' || (select name from orgs where id = v_prov)
                            else '' end),
    'issuer', case when v.scope = 'local' or p_scope is not null
                   then kc_report_province_issuer(coalesce(v_prov, p_scope))
                   else kc_report_ministry_issuer() end,
    'place', case when v.scope = 'local' or p_scope is not null then kc_report_place(coalesce(v_prov, p_scope))
                  else 'Hà Nội' end,
    'generated_at', kc_instant(now()),
    'columns', jsonb_build_array(
      kc_report_col('area', 'Địa bàn', 'text'),
      kc_report_col('code', 'Mã', 'text'),
      kc_report_col('name', 'Chỉ tiêu', 'text'),
      kc_report_col('unit', 'Đơn vị tính', 'text'),
      kc_report_col('target', 'Mục tiêu chương trình', 'integer'),
      kc_report_col('planned', 'Theo đề án được duyệt', 'integer', 'Thực hiện'),
      kc_report_col('achieved', 'Đạt được (đã nghiệm thu)', 'integer', 'Thực hiện'),
      kc_report_col('percent', 'Tỷ lệ đạt so với mục tiêu (%)', 'percent', 'Thực hiện'),
      kc_report_col('confidence', 'Độ tin cậy của mục tiêu', 'text')),
    'rows', v_rows,
    'programme', kc_programme_json(v.id, false),
    'province_id', v_prov));
end $$;
