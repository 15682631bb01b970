-- 0039_advance_progress_rounds.sql — two leftovers of issue 14.
--
-- (1) The first advance of a model, machinery or establishment pollution
-- system waits for the work (DOMAIN §2.5; TT 36/2013/TT-BCT Art. 13.2.d:
-- "Hồ sơ tạm ứng: Hợp đồng thực hiện đề án, báo cáo tiến độ của đơn vị
-- thực hiện xác định giá trị khối lượng công việc đã thực hiện tương ứng
-- trên 70% tổng vốn đầu tư của dự án"). The law puts the condition on the
-- first advance itself (tạm ứng lần một), as Art. 13.1.b does with 50 % for
-- cluster infrastructure and cluster pollution systems (0025, C22 and C20).
-- 0025 recorded the 70 % only as the text of the rule's evidence for C02,
-- C03, C04, C04b and C19; now it is the rule's min_progress_pct, so
-- budget.disburse refuses such a first advance without a progress report
-- confirmed by the Department above 70 % (1022 project_id /
-- first_advance_progress, data {min_progress_pct, confirmed_pct}), and a
-- trigger refuses the same row whoever writes it (KC023).
--
-- (2) The reporting rounds' indicator table (0026, Biểu 2) counts I08 and
-- I17–I20 from the registers, as report.programme does since 0030: I08
-- achieved from the register of typical products (the certificates of the
-- round's years, not revoked, of the province), I17 the projects, I18 their
-- money (budget lines / paid net of refunds), I19 the disbursement rate,
-- I20 the projects in a priority area — instead of summing what projects
-- declared under those codes. kc_round_indicator_table is replaced (same
-- signature).

-- ---------------------------------------------------------------------------
-- (1) The 70 % of investment done before the first advance
-- ---------------------------------------------------------------------------
-- (the seeded rows completed, not edited: their version stays that of a
-- fresh row, as catalog.get promises; an admin's later edit raises it)
update advance_first_rules
   set min_progress_pct = 70
 where cap_code in ('C02', 'C03', 'C04', 'C04b', 'C19') and min_progress_pct is null
   and legal_act like 'TT 36/2013/TT-BCT Điều 13%';

-- Whoever writes: the first advance before acceptance of an activity whose
-- rule asks for progress needs a confirmed report above it (the functions
-- say so first, with the figures; this is the database's own refusal).
create function disbursements_first_advance_progress() returns trigger
language plpgsql as $$
declare
  f record;
  v_pct integer;
begin
  if exists (select 1 from disbursements where project_id = new.project_id and kind = 'advance')
     or exists (select 1 from project_acceptances where project_id = new.project_id)
     or exists (select 1 from projects where id = new.project_id and status in ('completed', 'settled')) then
    return new;
  end if;
  select * into f from kc_first_advance(new.project_id, new.paid_on);
  if f.min_progress_pct is null then
    return new;
  end if;
  v_pct := kc_confirmed_progress(new.project_id);
  if coalesce(v_pct, 0) <= f.min_progress_pct then
    raise exception 'project %: the first advance needs a progress report confirmed by the Department above % %% (confirmed: %)',
      new.project_id, f.min_progress_pct, coalesce(v_pct::text, 'none') using errcode = 'KC023';
  end if;
  return new;
end $$;

create trigger disbursements_first_advance_progress before insert on disbursements
  for each row when (new.kind = 'advance') execute function disbursements_first_advance_progress();

-- ---------------------------------------------------------------------------
-- (2) The round's indicator table from the registers
-- ---------------------------------------------------------------------------
-- The round's projects (approved or later, of the years and province, as
-- the facts count them), from projects and plans rather than from
-- kc_round_facts, which 0042 turns into pre-summed grains without projects.
create function kc_round_project_ids(rd rounds, p_org bigint) returns setof bigint
language sql stable as $$
  with u as materialized (select province_org, unit_id from kc_report_units('34') where unit_id <> 0)
  select pr.id
    from plans pl join projects pr on pr.plan_id = pl.id
    join u on u.province_org = kc_report_province(pl.org_id)
   where pl.year between rd.from_year and rd.to_year
     and (pl.scope = 'local' or pl.status not in ('draft', 'submitted'))
     and pr.status in ('approved', 'in_progress', 'completed', 'settled')
     and (p_org is null or u.unit_id = p_org)
$$;

create or replace function kc_round_indicator_table(rd rounds, p_org bigint) returns jsonb
language sql stable as $$
  with ff as materialized (select * from kc_round_facts(rd, p_org)),
  -- what the projects declared, except the indicators the registers give
  declared as (
    select indicator, sum(target) as planned, sum(achieved) as achieved
      from ff where indicator <> '' and indicator not in ('I08', 'I17', 'I18', 'I19', 'I20')
     group by indicator),
  -- the round's projects (approved or later, of the years and province)
  reg as (
    select x.id, x.status, x.priority_area,
           (select coalesce(sum(b.amount), 0) from project_budget_lines b where b.project_id = x.id) as lines,
           (select coalesce(sum(b.amount), 0) from project_budget_lines b
             where b.project_id = x.id and b.source in ('central', 'local')) as support,
           (select coalesce(sum(case when d.kind = 'refund' then -d.amount else d.amount end), 0)
              from disbursements d where d.project_id = x.id) as paid
      from projects x where x.id in (select kc_round_project_ids(rd, p_org))),
  -- I08: planned as the bình chọn projects declared it; achieved from the
  -- register of typical products of the round's years, not revoked
  i08 as (
    select (select sum(target) from ff where indicator = 'I08') as planned,
           (select count(*) from typical_products t
             where not t.revoked and t.year between rd.from_year and rd.to_year
               and (p_org is null or kc_province_now(t.org_id) = p_org)) as achieved),
  ind as (
    select indicator, planned, achieved from declared
    union all
    select 'I08', coalesce(planned, 0), achieved from i08 where planned is not null or achieved > 0
    union all
    select 'I17', count(*), count(*) filter (where status in ('completed', 'settled'))
      from reg having count(*) > 0
    union all
    select 'I18', sum(lines), sum(paid) from reg having count(*) > 0
    union all
    select 'I19', null, case when sum(support) > 0 then round(sum(paid) * 100.0 / sum(support)) end
      from reg having count(*) > 0
    union all
    select 'I20', count(*) filter (where priority_area is not null),
           count(*) filter (where priority_area is not null and status in ('completed', 'settled'))
      from reg having count(*) > 0),
  nat as (
    select t.indicator, sum(t.target) as target
      from programme_targets t
     where t.programme_id = kc_round_programme(rd, 'national', null)
       and (case when p_org is null then t.province_id is null
                 else t.province_id is not null and kc_province_now(t.province_id) = p_org end)
     group by t.indicator),
  loc as (
    select t.indicator, sum(t.target) as target
      from programmes pg join programme_periods pp on pp.code = pg.period_code
      join programme_targets t on t.programme_id = pg.id
     where pg.scope = 'local' and pp.from_year <= rd.from_year and pp.to_year >= rd.to_year
       and (p_org is null or kc_province_now(pg.org_id) = p_org)
     group by t.indicator),
  rows as (
    select c.code, c.name_vi, c.unit_vi, c.code as sort, n.target as national_target,
           l.target as local_target, coalesce(i.planned, 0) as planned,
           coalesce(i.achieved, 0) as achieved
      from indicators c
      left join ind i on i.indicator = c.code
      left join nat n on n.indicator = c.code
      left join loc l on l.indicator = c.code
     where i.indicator is not null or n.indicator is not null or l.indicator is not null)
  select jsonb_build_object(
    'key', 'indicators',
    'title', 'Biểu 2. Chỉ tiêu kế hoạch và kết quả thực hiện so với mục tiêu Chương trình',
    'columns', jsonb_build_array(
      kc_report_col('code', 'Mã', 'text'),
      kc_report_col('name', 'Chỉ tiêu', 'text'),
      kc_report_col('unit', 'Đơn vị tính', 'text'),
      kc_report_col('national_target', case when p_org is null then 'Chương trình KCQG'
                                            else 'Phần giao của CT KCQG' end, 'integer', 'Mục tiêu'),
      kc_report_col('local_target', 'Chương trình KCĐP', 'integer', 'Mục tiêu'),
      kc_report_col('planned', 'Theo đề án được duyệt', 'integer', 'Thực hiện'),
      kc_report_col('achieved', 'Đạt được', 'integer', 'Thực hiện'),
      kc_report_col('percent', 'Tỷ lệ so với mục tiêu (%)', 'percent', 'Thực hiện')),
    'rows', coalesce((select jsonb_agg(jsonb_build_object(
               'code', code, 'name', name_vi, 'unit', unit_vi, 'national_target', national_target,
               'local_target', local_target, 'planned', planned, 'achieved', achieved,
               'percent', kc_report_pct(achieved, coalesce(national_target, local_target)))
               order by sort) from rows), '[]'::jsonb),
    'totals', null)
$$;
