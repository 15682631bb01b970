-- 0020_programme_reports.sql — the printable reports of issue 5 and the
-- province's periodic reports as records:
--
--   report.programme          the programme summary (báo cáo tổng kết): each
--                             target beside what the period's projects planned
--                             and achieved, nationally and per province
--   report.province           what a Department of Industry and Trade sends to
--                             its People's Committee and the Ministry each
--                             quarter, half-year and year (TT 36/2013 Art. 21.5,
--                             NĐ 45/2012 Art. 16.1.i; DOMAIN §2.9)
--   report.province_send      records that it was sent (with what was sent)
--   report.registration_list  Mẫu 2 of TT 36/2013 (after TT 17/2018: danh mục
--                             đề án, nhiệm vụ đăng ký kế hoạch KCQG)
--   report.cost_estimate      Mẫu 1 (dự toán kinh phí) of one project, by item
--                             and source, from project_cost_items
--                             (project.set_cost_items)
--
-- Every report returns the export contract of server/srv-export.h: title,
-- subtitle, issuer, place, generated_at, columns [{key, label, type,
-- group?}], rows, totals; what a report adds beyond these (the programme,
-- the cut-off dates, the indicators...) is for the client and ignored by
-- the renderers. Every figure is a SUM over base rows at the time of the
-- call, never a stored total.
--
-- Data cut-off (DOMAIN §2.9: NĐ 09/2019 as MOIT applies it; using it for
-- khuyến công is an inference, U): a period's data run from the 15th of the
-- month before it starts to the 14th of its last month —
--   q1 15/12 (N-1) – 14/3    h1   15/12 (N-1) – 14/6
--   q2 15/3 – 14/6           year 15/12 (N-1) – 14/12
--   q3 15/6 – 14/9
--   q4 15/9 – 14/12
-- and the report is due on the calendar rule of 0013 (20/3, 20/6, 20/9,
-- 20/12; q2 and h1 share 20/6, q4 and year 20/12). The deadlines list
-- (kc_overdue_items, replaced below) asks for q1, h1, q3 and year: the
-- 6-month and annual reports stand for the second and fourth quarters, as
-- the four calendar rules of 0013 do. A province owes them for every year
-- in which it has a plan (of either scope), once their day has passed and
-- until one is recorded as sent.

-- ---------------------------------------------------------------------------
-- Cut-off dates and labels
-- ---------------------------------------------------------------------------
create function kc_report_period(p_year integer, p_period text,
                                 out from_date date, out to_date date, out due date,
                                 out period_end date, out label text)
language sql stable as $$
  select x.f, x.t,
         coalesce(kc_calendar_due(x.rule, p_year), make_date(p_year, extract(month from x.t)::integer, 20)),
         x.e, x.l
    from (values
      ('q1', make_date(p_year - 1, 12, 15), make_date(p_year, 3, 14), make_date(p_year, 3, 31),
       'province_report_first_quarter', 'Quý I'),
      ('q2', make_date(p_year, 3, 15), make_date(p_year, 6, 14), make_date(p_year, 6, 30),
       'province_report_six_month', 'Quý II'),
      ('q3', make_date(p_year, 6, 15), make_date(p_year, 9, 14), make_date(p_year, 9, 30),
       'province_report_third_quarter', 'Quý III'),
      ('q4', make_date(p_year, 9, 15), make_date(p_year, 12, 14), make_date(p_year, 12, 31),
       'province_report_annual', 'Quý IV'),
      ('h1', make_date(p_year - 1, 12, 15), make_date(p_year, 6, 14), make_date(p_year, 6, 30),
       'province_report_six_month', '6 tháng đầu năm'),
      ('year', make_date(p_year - 1, 12, 15), make_date(p_year, 12, 14), make_date(p_year, 12, 31),
       'province_report_annual', 'Cả năm')) as x (p, f, t, e, rule, l)
   where x.p = p_period
$$;

-- The heading block of a province's document: the People's Committee over
-- the Department of Industry and Trade.
create function kc_report_province_issuer(p_province bigint) returns jsonb
language sql stable as $$
  select jsonb_build_object(
    'parent', 'Ủy ban nhân dân ' || kc_org_name_inline(o.name),
    'name', coalesce((select d.name from orgs d where d.parent_id = o.id and d.kind = 'province_department'
                       order by d.valid_from desc, d.id limit 1), 'Sở Công Thương'))
    from orgs o where o.id = p_province
$$;

-- "Tỉnh Phú Thọ" → "Phú Thọ", for the date line.
create function kc_report_place(p_province bigint) returns text
language sql stable as $$
  select regexp_replace(name, '^(Tỉnh|Thành phố) ', '') from orgs where id = p_province
$$;

create function kc_report_ministry_issuer() returns jsonb
language sql stable as $$
  select jsonb_build_object('parent', 'Bộ Công Thương',
                            'name', coalesce((select name from orgs where code = 'BCT.CKC'
                                               and kind = 'ministry_department' limit 1), 'Bộ Công Thương'))
$$;

create function kc_report_col(p_key text, p_label text, p_type text, p_group text default null)
returns jsonb
language sql immutable as $$
  select jsonb_build_object('key', p_key, 'label', p_label, 'type', p_type)
         || case when p_group is null then '{}'::jsonb else jsonb_build_object('group', p_group) end
$$;

-- Percentage with one decimal; null without a target.
create function kc_report_pct(p_part numeric, p_whole numeric) returns numeric
language sql immutable as $$
  select case when p_whole is null or p_whole = 0 then null
              else round(p_part * 100 / p_whole, 1) end
$$;

-- A project's achieved value of an indicator on @p_on: the acceptance's
-- figure once accepted by then, else the latest progress report of a month
-- up to then, else 0.
create function kc_indicator_achieved_on(p_project bigint, p_indicator text, p_on date) returns bigint
language sql stable as $$
  select case
    when exists (select 1 from project_acceptances a where a.project_id = p_project and a.accepted_on <= p_on)
      then coalesce((select achieved from project_indicators
                      where project_id = p_project and indicator = p_indicator), 0)
    else coalesce((select (e->>'achieved')::bigint
                     from project_progress_reports r, jsonb_array_elements(r.indicators) e
                    where r.project_id = p_project and r.period <= p_on and e->>'code' = p_indicator
                    order by r.period desc limit 1), 0)
  end
$$;

-- The province an organisation belongs to today: its province, or the 34-map
-- province that province became part of in 2025 (org_lineage), so reports
-- roll old units up into new ones (0001).
create function kc_province_now(p_org bigint) returns bigint
language sql stable as $$
  select coalesce((select l.new_org_id from org_lineage l where l.old_org_id = r.root
                    order by l.effective desc limit 1), r.root)
    from (select kc_scope_root(p_org) as root) r
$$;

-- ---------------------------------------------------------------------------
-- report.programme {programme_id} | {period, scope?, province_id?}
-- Projects of the programme: those of the plans of its scope whose year is
-- in its period (a local programme: its province's local plans). Planned:
-- projects approved or later (approved, in_progress, completed, settled);
-- achieved: accepted projects (completed, settled), project_indicators
-- .achieved as the acceptance recorded it. Budget rows: the envelope beside
-- the budget lines of the same two sets of projects.
-- Rows: the whole programme ("Toàn quốc") and each province with a target
-- share or a project; a province's users (or province_id) see their
-- province only. Provinces as they are today: a project of a province
-- merged in 2025, and a target share set for it, count for the province it
-- became part of (kc_province_now).
-- ---------------------------------------------------------------------------
create function kc_report_programme(p_scope bigint, p jsonb) returns jsonb
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
    select pr.id, pr.status, coalesce(v_prov, kc_province_now(pl.org_id)) as province
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
  ind as (
    select a.area, i.indicator,
           sum(i.target) as planned,
           sum(case when x.status in ('completed', 'settled') then coalesce(i.achieved, 0) else 0 end) as achieved
      from areas a join prj x on a.area is null or x.province = a.area
      join project_indicators i on i.project_id = x.id
     group by a.area, i.indicator),
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

-- ---------------------------------------------------------------------------
-- Province reports: what was sent
-- ---------------------------------------------------------------------------
create table province_reports (
  id bigint generated always as identity primary key,
  province_id bigint not null references orgs (id),
  year integer not null check (year between 2014 and 2100),
  period text not null check (period in ('q1', 'q2', 'q3', 'q4', 'h1', 'year')),
  document_no text check (length(document_no) <= 100),
  note text check (length(note) <= 20000),
  -- the report as it was sent (report.province's result)
  content jsonb not null,
  late boolean not null,
  sent_by bigint not null references users (id),
  sent_at timestamptz not null default now()
);
create index province_reports_idx on province_reports (province_id, year, period);

create function province_reports_fixed() returns trigger
language plpgsql as $$
begin
  raise exception 'a sent report is never changed; send a corrected one' using errcode = 'KC010';
end $$;

create trigger province_reports_fixed before update or delete on province_reports
  for each row execute function province_reports_fixed();

create function kc_province_report_json(r province_reports) returns jsonb
language sql stable as $$
  select jsonb_build_object('id', r.id, 'province_id', r.province_id, 'year', r.year, 'period', r.period,
                            'document_no', r.document_no, 'note', r.note, 'late', r.late,
                            'sent_by', r.sent_by, 'sent_at', kc_instant(r.sent_at))
$$;

-- ---------------------------------------------------------------------------
-- report.province {org_id, year, period}
-- The province of org_id (kc_scope_root), in the caller's scope; the
-- projects of its plans of the year (both scopes, as far as the caller may
-- see them) with their planned budget by source, and up to the cut-off:
-- allocated, paid (net of refunds) in the period and in total, the latest
-- progress, the acceptance; indicators planned and achieved by then.
-- ---------------------------------------------------------------------------
create function kc_report_province(p_scope bigint, p jsonb) returns jsonb
language plpgsql stable as $$
declare
  v_prov bigint := kc_scope_root((p->>'org_id')::bigint);
  v_year integer := (p->>'year')::integer;
  c record;
  v_rows jsonb;
  v_totals jsonb;
  v_plans jsonb;
  v_ind jsonb;
begin
  if v_prov is null or (p_scope is not null and v_prov not in (select org_scope(p_scope))) then
    return kc_err(1004, 'no such province');
  end if;
  select * into c from kc_report_period(v_year, p->>'period');

  -- national projects first, then local, each by code
  select coalesce(jsonb_agg(to_jsonb(x) order by x.stt), '[]'::jsonb)
    into v_rows
    from (select row_number() over (order by y.scope <> 'KCQG', y.code) as stt, y.*,
                 y.central + y.local + y.counterpart + y.other as total
            from (select pr.id as project_id, pl.id as plan_id, pr.code, pr.title,
                         case pl.scope when 'national' then 'KCQG' else 'KCĐP' end as scope, pr.status,
                         (select pc.content_code from project_categories pc
                           where pc.project_id = pr.id and pc.is_primary) as content,
                         coalesce((select amount from project_budget_lines b where b.project_id = pr.id and b.source = 'central'), 0) as central,
                         coalesce((select amount from project_budget_lines b where b.project_id = pr.id and b.source = 'local'), 0) as local,
                         coalesce((select amount from project_budget_lines b where b.project_id = pr.id and b.source = 'counterpart'), 0) as counterpart,
                         coalesce((select amount from project_budget_lines b where b.project_id = pr.id and b.source = 'other'), 0) as other,
                         coalesce((select sum(a.amount) from allocations a where a.project_id = pr.id
                                    and (a.allocated_at at time zone 'Asia/Ho_Chi_Minh')::date <= c.to_date), 0) as allocated,
                         coalesce((select sum(case when d.kind = 'refund' then -d.amount else d.amount end)
                                     from disbursements d
                                    where d.project_id = pr.id and d.paid_on between c.from_date and c.to_date), 0) as paid_period,
                         coalesce((select sum(case when d.kind = 'refund' then -d.amount else d.amount end)
                                     from disbursements d
                                    where d.project_id = pr.id and d.paid_on <= c.to_date), 0) as paid_total,
                         (select r.percent_done from project_progress_reports r
                           where r.project_id = pr.id and r.period <= c.to_date order by r.period desc limit 1) as percent_done,
                         (select a.accepted_on from project_acceptances a
                           where a.project_id = pr.id and a.accepted_on <= c.to_date) as accepted_on
                    from projects pr join plans pl on pl.id = pr.plan_id
                   where pl.year = v_year and pl.org_id in (select org_scope(v_prov))
                     and kc_plan_visible(pl.org_id, pl.scope, pl.status, p_scope)) y) x;

  select jsonb_build_object('central', coalesce(sum((e->>'central')::bigint), 0),
                            'local', coalesce(sum((e->>'local')::bigint), 0),
                            'counterpart', coalesce(sum((e->>'counterpart')::bigint), 0),
                            'other', coalesce(sum((e->>'other')::bigint), 0),
                            'total', coalesce(sum((e->>'total')::bigint), 0),
                            'allocated', coalesce(sum((e->>'allocated')::bigint), 0),
                            'paid_period', coalesce(sum((e->>'paid_period')::bigint), 0),
                            'paid_total', coalesce(sum((e->>'paid_total')::bigint), 0))
    into v_totals from jsonb_array_elements(v_rows) e;

  select coalesce(jsonb_agg(jsonb_build_object(
           'id', pl.id, 'scope', pl.scope, 'status', pl.status, 'org_id', pl.org_id,
           'project_count', (select count(*) from jsonb_array_elements(v_rows) e
                              where (e->>'plan_id')::bigint = pl.id),
           'decision_no', pl.decision_no, 'decision_date', pl.decision_date) order by pl.scope desc, pl.id), '[]'::jsonb)
    into v_plans
    from plans pl
   where pl.year = v_year and pl.org_id in (select org_scope(v_prov))
     and kc_plan_visible(pl.org_id, pl.scope, pl.status, p_scope);

  select coalesce(jsonb_agg(jsonb_build_object(
           'code', x.indicator, 'name', i.name_vi, 'unit', i.unit_vi, 'planned', x.planned,
           'achieved', x.achieved, 'percent', kc_report_pct(x.achieved, x.planned)) order by x.indicator), '[]'::jsonb)
    into v_ind
    from (select pi.indicator, sum(pi.target) as planned,
                 sum(kc_indicator_achieved_on(pi.project_id, pi.indicator, c.to_date)) as achieved
            from project_indicators pi
           where pi.project_id in (select (e->>'project_id')::bigint from jsonb_array_elements(v_rows) e)
           group by pi.indicator) x
    join indicators i on i.code = x.indicator;

  return jsonb_build_object('result', jsonb_build_object(
    'title', format('Báo cáo tình hình thực hiện khuyến công %s %s',
                    case p->>'period' when 'q1' then 'quý I năm' when 'q2' then 'quý II năm'
                                      when 'q3' then 'quý III năm' when 'q4' then 'quý IV năm'
                                      when 'h1' then '6 tháng đầu năm' else 'năm' end, v_year),
    'subtitle', format('%s; số liệu từ %s đến %s', (select name from orgs where id = v_prov),
                       to_char(c.from_date, 'DD/MM/YYYY'), to_char(c.to_date, 'DD/MM/YYYY')),
    'issuer', kc_report_province_issuer(v_prov),
    'place', kc_report_place(v_prov),
    'generated_at', kc_instant(now()),
    'columns', jsonb_build_array(
      kc_report_col('stt', 'STT', 'integer'),
      kc_report_col('code', 'Mã đề án', 'text'),
      kc_report_col('title', 'Tên đề án', 'text'),
      kc_report_col('scope', 'Loại', 'text'),
      kc_report_col('status', 'Trạng thái', 'text'),
      kc_report_col('central', 'Ngân sách trung ương', 'money', 'Kinh phí kế hoạch (đồng)'),
      kc_report_col('local', 'Ngân sách địa phương', 'money', 'Kinh phí kế hoạch (đồng)'),
      kc_report_col('counterpart', 'Vốn đối ứng', 'money', 'Kinh phí kế hoạch (đồng)'),
      kc_report_col('other', 'Nguồn khác', 'money', 'Kinh phí kế hoạch (đồng)'),
      kc_report_col('total', 'Tổng', 'money', 'Kinh phí kế hoạch (đồng)'),
      kc_report_col('allocated', 'Đã phân bổ', 'money', 'Thực hiện đến ngày chốt số liệu'),
      kc_report_col('paid_period', 'Giải ngân trong kỳ', 'money', 'Thực hiện đến ngày chốt số liệu'),
      kc_report_col('paid_total', 'Lũy kế giải ngân', 'money', 'Thực hiện đến ngày chốt số liệu'),
      kc_report_col('percent_done', 'Tiến độ (%)', 'percent', 'Thực hiện đến ngày chốt số liệu'),
      kc_report_col('accepted_on', 'Ngày nghiệm thu', 'date', 'Thực hiện đến ngày chốt số liệu')),
    'rows', v_rows,
    'totals', v_totals,
    'province_id', v_prov, 'year', v_year, 'period', p->>'period', 'period_label', c.label,
    'cutoff', jsonb_build_object('from', c.from_date, 'to', c.to_date),
    'due', c.due,
    'sent', (select kc_province_report_json(r) from province_reports r
              where r.province_id = v_prov and r.year = v_year and r.period = p->>'period'
              order by r.id desc limit 1),
    'plans', v_plans,
    'indicators', v_ind));
end $$;

-- ---------------------------------------------------------------------------
-- report.province_send {org_id, year, period, document_no?, note?}
-- The province's leader records that the report went to the People's
-- Committee and the Ministry, with the report as it stood. Only once the
-- period's data are cut off; late when after the due day. Sending again
-- (a corrected report) adds a row: the latest one is "the" report.
-- ---------------------------------------------------------------------------
create function kc_report_province_send(p_user bigint, p_username text, p_peer text, p_role text,
                                        p_scope bigint, p jsonb) returns jsonb
language plpgsql as $$
declare
  v_prov bigint := kc_scope_root((p->>'org_id')::bigint);
  c record;
  v_report jsonb;
  r province_reports;
begin
  if p_scope is null then
    return kc_err(1003, 'a province sends its own report');
  end if;
  if v_prov is null or v_prov not in (select org_scope(p_scope)) then
    return kc_err(1004, 'no such province');
  end if;
  select * into c from kc_report_period((p->>'year')::integer, p->>'period');
  if kc_today() <= c.to_date then
    return kc_rule_err('period', 'open', format('the period''s data are cut off on %s; the report is sent after that',
                                                to_char(c.to_date, 'DD/MM/YYYY')));
  end if;
  v_report := kc_report_province(p_scope, p - 'document_no' - 'note');
  if v_report ? 'error' then
    return v_report;
  end if;
  insert into province_reports (province_id, year, period, document_no, note, content, late, sent_by)
  values (v_prov, (p->>'year')::integer, p->>'period', p->>'document_no', p->>'note',
          v_report->'result', kc_today() > c.due, p_user)
  returning * into r;
  perform kc_audit(p_user, p_username, p_peer, 'report.province_send', 'province_report', r.id, null,
                   kc_province_report_json(r));
  return jsonb_build_object('result', kc_province_report_json(r) || jsonb_build_object('due', c.due));
end $$;

-- ---------------------------------------------------------------------------
-- report.registration_list {year, org_id?} — Mẫu 2: the national projects
-- registered for year's plan, by province, with their funding by source.
-- ---------------------------------------------------------------------------
create function kc_report_registration_list(p_scope bigint, p jsonb) returns jsonb
language sql stable as $$
  with prj as (
    select pr.id, pr.code, pr.title, pr.implementer, pr.status, pr.start_date, pr.end_date,
           o.name as org_name, po.name as province_name, po.code as province_code,
           (select cc.name_vi from project_categories pc join content_categories cc on cc.code = pc.content_code
             where pc.project_id = pr.id and pc.is_primary) as content,
           coalesce((select amount from project_budget_lines b where b.project_id = pr.id and b.source = 'central'), 0) as central,
           coalesce((select amount from project_budget_lines b where b.project_id = pr.id and b.source = 'local'), 0) as local,
           coalesce((select amount from project_budget_lines b where b.project_id = pr.id and b.source = 'counterpart'), 0) as counterpart,
           coalesce((select amount from project_budget_lines b where b.project_id = pr.id and b.source = 'other'), 0) as other
      from projects pr join plans pl on pl.id = pr.plan_id join orgs o on o.id = pl.org_id
      left join orgs po on po.id = kc_scope_root(pl.org_id)
     where pl.year = (p->>'year')::integer and pl.scope = 'national'
       and kc_plan_visible(pl.org_id, pl.scope, pl.status, p_scope)
       and (p->>'org_id' is null or pl.org_id in (select org_scope((p->>'org_id')::bigint)))),
  numbered as (
    select prj.*, row_number() over (order by province_code, province_name, code) as stt from prj)
  select coalesce(kc_org_filter_err(p_scope, p), jsonb_build_object('result', jsonb_build_object(
    'title', format('Danh mục đề án, nhiệm vụ đăng ký kế hoạch khuyến công quốc gia năm %s', p->>'year'),
    'subtitle', 'Mẫu 2, Phụ lục 1 Thông tư 36/2013/TT-BCT (sửa đổi bởi Thông tư 17/2018/TT-BCT)'
                || case when p->>'org_id' is not null
                        then '; ' || (select name from orgs where id = (p->>'org_id')::bigint) else '' end,
    'issuer', case when p_scope is null then kc_report_ministry_issuer()
                   else kc_report_province_issuer(p_scope) end,
    'place', case when p_scope is null then 'Hà Nội' else kc_report_place(p_scope) end,
    'generated_at', kc_instant(now()),
    'columns', jsonb_build_array(
      kc_report_col('stt', 'STT', 'integer'),
      kc_report_col('province', 'Tỉnh, thành phố', 'text'),
      kc_report_col('code', 'Mã đề án', 'text'),
      kc_report_col('title', 'Tên đề án, nhiệm vụ', 'text'),
      kc_report_col('implementer', 'Đơn vị thực hiện', 'text'),
      kc_report_col('content', 'Nội dung khuyến công', 'text'),
      kc_report_col('start_date', 'Bắt đầu', 'date', 'Thời gian thực hiện'),
      kc_report_col('end_date', 'Kết thúc', 'date', 'Thời gian thực hiện'),
      kc_report_col('central', 'Kinh phí khuyến công quốc gia', 'money', 'Kinh phí (đồng)'),
      kc_report_col('local', 'Ngân sách địa phương', 'money', 'Kinh phí (đồng)'),
      kc_report_col('counterpart', 'Vốn đối ứng', 'money', 'Kinh phí (đồng)'),
      kc_report_col('other', 'Nguồn khác', 'money', 'Kinh phí (đồng)'),
      kc_report_col('total', 'Tổng cộng', 'money', 'Kinh phí (đồng)'),
      kc_report_col('status', 'Trạng thái', 'text')),
    'rows', coalesce((select jsonb_agg(jsonb_build_object(
               'stt', stt, 'project_id', id, 'province', province_name, 'code', code, 'title', title,
               'implementer', implementer, 'content', content, 'start_date', start_date,
               'end_date', end_date, 'central', central, 'local', local, 'counterpart', counterpart,
               'other', other, 'total', central + local + counterpart + other, 'status', status)
               order by stt) from numbered), '[]'::jsonb),
    'totals', (select jsonb_build_object('central', coalesce(sum(central), 0), 'local', coalesce(sum(local), 0),
                                         'counterpart', coalesce(sum(counterpart), 0),
                                         'other', coalesce(sum(other), 0),
                                         'total', coalesce(sum(central + local + counterpart + other), 0))
                 from prj),
    'year', (p->>'year')::integer)))
$$;

-- ---------------------------------------------------------------------------
-- Cost estimate items (Mẫu 1, dự toán kinh phí): what the project spends on,
-- each item split by funding source. The sums per source are shown beside
-- the project's budget lines; a difference is reported, not refused (the
-- budget lines remain what the rules check).
-- ---------------------------------------------------------------------------
create table project_cost_items (
  project_id bigint not null references projects (id) on delete cascade,
  seq integer not null check (seq >= 1),
  item text not null check (length(item) between 1 and 500),
  unit text check (length(unit) <= 100),
  quantity bigint check (quantity >= 0),
  unit_price bigint check (unit_price >= 0),
  central bigint not null default 0 check (central >= 0),
  local bigint not null default 0 check (local >= 0),
  counterpart bigint not null default 0 check (counterpart >= 0),
  other bigint not null default 0 check (other >= 0),
  primary key (project_id, seq)
);

create function kc_cost_items_json(p_id bigint) returns jsonb
language sql stable as $$
  select coalesce(jsonb_agg(jsonb_build_object('seq', seq, 'item', item, 'unit', unit, 'quantity', quantity,
                                               'unit_price', unit_price, 'central', central, 'local', local,
                                               'counterpart', counterpart, 'other', other,
                                               'total', central + local + counterpart + other)
                            order by seq), '[]'::jsonb)
    from project_cost_items where project_id = p_id
$$;

-- project.set_cost_items {id, version, items: [{item, unit?, quantity?,
-- unit_price?, central?, local?, counterpart?, other?}]}: replaces the
-- list, on a project the province may still edit (draft, revision_requested).
create function kc_project_set_cost_items(p_user bigint, p_username text, p_peer text, p_role text,
                                          p_scope bigint, p jsonb) returns jsonb
language plpgsql as $$
declare
  cur projects;
  v plans;
  v_err jsonb;
  v_before jsonb;
  v_after jsonb;
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
  v_before := jsonb_build_object('version', cur.version, 'cost_items', kc_cost_items_json(cur.id));
  perform kc_actor_set(p_user, p_role);
  delete from project_cost_items where project_id = cur.id;
  insert into project_cost_items (project_id, seq, item, unit, quantity, unit_price, central, local,
                                  counterpart, other)
  select cur.id, i, e->>'item', e->>'unit', (e->>'quantity')::bigint, (e->>'unit_price')::bigint,
         coalesce((e->>'central')::bigint, 0), coalesce((e->>'local')::bigint, 0),
         coalesce((e->>'counterpart')::bigint, 0), coalesce((e->>'other')::bigint, 0)
    from jsonb_array_elements(p->'items') with ordinality t (e, i);
  update projects set version = version + 1 where id = cur.id;
  v_after := jsonb_build_object('version', cur.version + 1, 'cost_items', kc_cost_items_json(cur.id));
  perform kc_audit(p_user, p_username, p_peer, 'project.set_cost_items', 'project', cur.id, v_before, v_after);
  return jsonb_build_object('result', jsonb_build_object('id', cur.id) || v_after);
end $$;

-- report.cost_estimate {project_id}: Mẫu 1. Without items, one line with the
-- budget lines, so the form is never empty.
create function kc_report_cost_estimate(p_scope bigint, p jsonb) returns jsonb
language plpgsql stable as $$
declare
  pr projects;
  v plans;
  v_rows jsonb;
  v_lines jsonb;
  v_totals jsonb;
begin
  select * into pr from projects where id = (p->>'project_id')::bigint;
  if found then
    select * into v from plans where id = pr.plan_id;
  end if;
  if pr.id is null or not kc_plan_visible(v.org_id, v.scope, v.status, p_scope) then
    return kc_err(1004, 'no such project');
  end if;
  select jsonb_object_agg(fs.code, coalesce(b.amount, 0))
    into v_lines
    from funding_sources fs left join project_budget_lines b on b.project_id = pr.id and b.source = fs.code
   where fs.code in ('central', 'local', 'counterpart', 'other');
  v_rows := kc_cost_items_json(pr.id);
  if jsonb_array_length(v_rows) = 0 then
    v_rows := jsonb_build_array(jsonb_build_object(
      'seq', 1, 'item', 'Kinh phí thực hiện đề án (chưa lập dự toán chi tiết)', 'unit', null,
      'quantity', null, 'unit_price', null) || v_lines
      || jsonb_build_object('total', (v_lines->>'central')::bigint + (v_lines->>'local')::bigint
                                     + (v_lines->>'counterpart')::bigint + (v_lines->>'other')::bigint));
  end if;
  select jsonb_build_object('central', sum((e->>'central')::bigint), 'local', sum((e->>'local')::bigint),
                            'counterpart', sum((e->>'counterpart')::bigint),
                            'other', sum((e->>'other')::bigint), 'total', sum((e->>'total')::bigint))
    into v_totals from jsonb_array_elements(v_rows) e;
  return jsonb_build_object('result', jsonb_build_object(
    'title', 'Dự toán kinh phí',
    'subtitle', format('Đề án: %s (%s), kế hoạch năm %s. Mẫu 1, Phụ lục 1 Thông tư 36/2013/TT-BCT',
                       pr.title, pr.code, v.year),
    'issuer', jsonb_build_object('parent', (select name from orgs where id = kc_scope_root(v.org_id)),
                                 'name', coalesce(pr.implementer, (select name from orgs where id = v.org_id))),
    'place', kc_report_place(kc_scope_root(v.org_id)),
    'generated_at', kc_instant(now()),
    'columns', jsonb_build_array(
      kc_report_col('seq', 'STT', 'integer'),
      kc_report_col('item', 'Nội dung chi', 'text'),
      kc_report_col('unit', 'Đơn vị tính', 'text'),
      kc_report_col('quantity', 'Số lượng', 'integer'),
      kc_report_col('unit_price', 'Đơn giá', 'money'),
      kc_report_col('total', 'Thành tiền', 'money'),
      kc_report_col('central', 'Kinh phí khuyến công', 'money', 'Nguồn kinh phí'),
      kc_report_col('local', 'Ngân sách địa phương', 'money', 'Nguồn kinh phí'),
      kc_report_col('counterpart', 'Vốn đối ứng', 'money', 'Nguồn kinh phí'),
      kc_report_col('other', 'Nguồn khác', 'money', 'Nguồn kinh phí')),
    'rows', v_rows,
    'totals', v_totals,
    'project_id', pr.id, 'code', pr.code,
    'budget_lines', v_lines,
    'matches_budget_lines', v_totals - 'total' = v_lines));
end $$;

-- ---------------------------------------------------------------------------
-- deadline.overdue: 0013's list plus the province's periodic reports and
-- the registration of the national plan (kind 'registration': period the
-- 1 January of the plan year, due its registration_deadline).
-- kind 'province_report': org_id the province, period the last calendar day
-- of the period reported on (31/3 q1, 30/6 h1, 30/9 q3, 31/12 year), due
-- its calendar rule. Same columns and order as 0013.
-- ---------------------------------------------------------------------------
create or replace function kc_overdue_items(p_scope bigint, p_today date)
returns table (kind text, org_id bigint, plan_id bigint, project_id bigint, project_code text,
               correspondence_id bigint, period date, due date, days_late integer, responsible text)
language sql stable as $$
  with vis as (
    select pr.id, pr.code, pr.status, pr.start_date, pr.end_date, pr.kind, pl.id as plan_id,
           pl.year, pl.scope, kc_scope_root(pl.org_id) as province
      from projects pr join plans pl on pl.id = pr.plan_id
     where kc_plan_visible(pl.org_id, pl.scope, pl.status, p_scope)),
  months as (
    select v.*, m::date as period
      from vis v left join project_kinds k on k.code = v.kind,
      generate_series(greatest(make_date(v.year, 1, 1), date_trunc('month', v.start_date)::date),
                      least(date_trunc('month', coalesce(v.end_date,
                              make_date(v.year + coalesce(k.max_years, 1) - 1 + kc_project_extension(v.id), 12, 31))),
                            date_trunc('month', p_today)),
                      interval '1 month') m
     where v.status in ('approved', 'in_progress')),
  owed as (
    select distinct kc_scope_root(pl.org_id) as province, pl.year
      from plans pl
     where p_scope is null or pl.org_id in (select org_scope(p_scope))),
  reports as (
    select o.province, o.year, x.period, c.due, c.period_end
      from owed o cross join (values ('q1'), ('h1'), ('q3'), ('year')) as x (period),
      lateral kc_report_period(o.year, x.period) c
     where o.province is not null and p_today > c.due
       and not exists (select 1 from province_reports r
                        where r.province_id = o.province and r.year = o.year and r.period = x.period)),
  -- registration of the national plan for this year and the next (20/6 of
  -- the year before, TT 36/2013 Art. 6 as amended): a province working in
  -- the system (a plan that year or the one before) that has not sent a
  -- national plan on to the Ministry by then
  registrations as (
    select distinct kc_scope_root(pl.org_id) as province, y.year,
           kc_calendar_due('registration_deadline', y.year) as due
      from plans pl
     cross join (values (extract(year from p_today)::integer),
                        (extract(year from p_today)::integer + 1)) as y (year)
     where pl.year in (y.year - 1, y.year)
       and (p_scope is null or pl.org_id in (select org_scope(p_scope))))
  select 'progress_report', m.province, m.plan_id, m.id, m.code, null::bigint, m.period,
         kc_progress_due(m.period), p_today - kc_progress_due(m.period), 'province'
    from months m
   where p_today > kc_progress_due(m.period)
     and not exists (select 1 from project_progress_reports r where r.project_id = m.id and r.period = m.period)
  union all
  select 'settlement_dossier', v.province, v.plan_id, v.id, v.code, null, null,
         a.accepted_on + kc_deadline_setting('settlement_dossier_days'),
         p_today - (a.accepted_on + kc_deadline_setting('settlement_dossier_days')), 'province'
    from vis v join project_acceptances a on a.project_id = v.id
   where v.scope = 'national' and v.status = 'completed'
     and p_today > a.accepted_on + kc_deadline_setting('settlement_dossier_days')
  union all
  -- 22/01 after the last year the project runs in (extended, carried over)
  select 'settlement', v.province, v.plan_id, v.id, v.code, null, null, d.due, p_today - d.due, 'province'
    from vis v,
    lateral (select kc_project_last_year(v.id) as y) ly,
    lateral (select coalesce(kc_calendar_due('settlement_deadline', ly.y), make_date(ly.y + 1, 1, 22)) as due) d
   where v.scope = 'national' and v.status = 'completed' and p_today > d.due
  union all
  select 'correspondence', c.org_id, c.plan_id, c.project_id, null, c.id, null,
         kc_correspondence_due(c), p_today - kc_correspondence_due(c), 'ministry'
    from correspondence c
   where c.status = 'open' and kc_correspondence_visible(c, p_scope)
     and p_today > kc_correspondence_due(c)
  union all
  select 'province_report', r.province, null, null, null, null, r.period_end, r.due,
         p_today - r.due, 'province'
    from reports r
  union all
  select 'registration', g.province, null, null, null, null, make_date(g.year, 1, 1), g.due,
         p_today - g.due, 'province'
    from registrations g
   where g.province is not null and p_today > g.due
     and not exists (select 1 from plans pl
                      where pl.scope = 'national' and pl.year = g.year
                        and pl.status in ('forwarded', 'approved')
                        and kc_scope_root(pl.org_id) = g.province)
$$;
