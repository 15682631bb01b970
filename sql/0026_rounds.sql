-- 0026_rounds.sql — reporting rounds (issue 15): the Ministry's letter as a
-- record. Công văn 8474/BCT-CTĐP (07/11/2019) asked every province to sum
-- up its khuyến công work for the programme period against the programme's
-- targets and to propose the next programme; a round is that request, and
-- each current province's answer is its report.
--
--   rounds           the request: title, the Ministry's document number and
--                    date, kind (summary of a programme period, or periodic:
--                    6-month / annual), the years reported on, the due day,
--                    the outline (sections with titles and guidance) and the
--                    tables to attach
--   round_reports    one per (round, province of the 34-unit map current when
--                    the round opened): the province's text per outline item,
--                    its status and, once sent, the tables as they were sent
--
-- Status of a report (the transitions are enforced by a trigger, so no
-- function and no superuser's UPDATE can skip one):
--   not_started → drafting (the province writes) → sent (its leader sends)
--   sent → returned (the Ministry returns it with a comment) → drafting → sent
--   sent → accepted (the Ministry accepts it; final)
-- A report's tables (projects and money, indicators against the programme's
-- targets, typical products, difficulties raised) are computed from live data
-- while it is written and frozen into round_reports.tables when it is sent:
-- what was sent stays what was sent (a trigger refuses any change to a sent
-- or accepted report's text or tables).
--
-- Figures come from report_project_facts (0017), the per-project rows that
-- report.summary's aggregates are sums of, with the 34-unit mapping of
-- report.summary (kc_report_units('34'), 0018): a merged province's report
-- includes its predecessors' years, and the national tables of
-- round.consolidate equal report.summary over the same years and statuses.
-- Projects counted: approved or later (approved, in_progress, completed,
-- settled), of plans the Ministry sees (facts.visible).
--
-- Every write function follows 0005: one statement; scope (1004) → role for
-- the record (1003) → version (1009) → status (1010) → rules (1022); audited.
-- Live events (topic "round_report", id the report's id) when a province
-- sends and when the Ministry returns or accepts (0014's outbox).

create table rounds (
  id bigint generated always as identity primary key,
  title text not null check (length(title) between 1 and 500),
  document_no text not null check (length(document_no) between 1 and 100),
  signed_on date not null,
  kind text not null check (kind in ('summary', 'periodic')),
  from_year integer not null check (from_year between 2014 and 2100),
  to_year integer not null check (to_year between 2014 and 2100),
  due_on date not null,
  -- [{key, title, guidance}] in document order
  sections jsonb not null check (jsonb_typeof(sections) = 'array' and jsonb_array_length(sections) >= 1),
  -- which of money, indicators, products, difficulties are attached
  tables text[] not null default array['money', 'indicators', 'products', 'difficulties']
    check (tables <@ array['money', 'indicators', 'products', 'difficulties']),
  version integer not null default 1,
  created_by bigint not null references users (id),
  created_at timestamptz not null default now(),
  check (to_year >= from_year),
  check (due_on >= signed_on)
);

create table round_reports (
  id bigint generated always as identity primary key,
  round_id bigint not null references rounds (id),
  org_id bigint not null references orgs (id),
  status text not null default 'not_started'
    check (status in ('not_started', 'drafting', 'sent', 'returned', 'accepted')),
  -- {key: text} for the round's outline keys
  texts jsonb not null default '{}' check (jsonb_typeof(texts) = 'object'),
  -- the tables as sent; null until the report is first sent
  tables jsonb,
  version integer not null default 1,
  sent_at timestamptz,
  sent_by bigint references users (id),
  late boolean,
  returned_comment text check (length(returned_comment) <= 20000),
  returned_at timestamptz,
  returned_by bigint references users (id),
  accepted_at timestamptz,
  accepted_by bigint references users (id),
  updated_by bigint references users (id),
  updated_at timestamptz not null default now(),
  unique (round_id, org_id),
  check (status not in ('sent', 'accepted') or (tables is not null and sent_at is not null)),
  check (status <> 'returned' or returned_comment is not null)
);
create index round_reports_org_idx on round_reports (org_id, round_id);

-- The transitions of the head of this file; and a sent or accepted report
-- keeps its text and tables.
create function round_reports_guard() returns trigger
language plpgsql as $$
begin
  if new.round_id <> old.round_id or new.org_id <> old.org_id then
    raise exception 'a report stays in its round and province' using errcode = 'KC010';
  end if;
  if new.status is distinct from old.status
     and not (old.status, new.status) in (('not_started', 'drafting'), ('drafting', 'sent'),
                                          ('returned', 'drafting'), ('returned', 'sent'),
                                          ('sent', 'returned'), ('sent', 'accepted')) then
    raise exception 'a report does not go from % to %', old.status, new.status using errcode = 'KC010';
  end if;
  if old.status in ('sent', 'accepted') and new.status = old.status
     and (new.texts is distinct from old.texts or new.tables is distinct from old.tables
          or new.sent_at is distinct from old.sent_at) then
    raise exception 'a sent report is not changed' using errcode = 'KC010';
  end if;
  if old.status in ('sent', 'accepted') and new.texts is distinct from old.texts then
    raise exception 'a sent report is not changed' using errcode = 'KC010';
  end if;
  new.updated_at := now();
  return new;
end $$;

create trigger round_reports_guard before update on round_reports
  for each row execute function round_reports_guard();

create function round_reports_no_delete() returns trigger
language plpgsql as $$
begin
  raise exception 'a round''s reports are kept' using errcode = 'KC010';
end $$;

create trigger round_reports_no_delete before delete on round_reports
  for each row execute function round_reports_no_delete();

-- Sent, returned, accepted: announced to the province and the Ministry.
create function round_reports_event() returns trigger
language plpgsql as $$
begin
  if new.status is distinct from old.status and new.status in ('sent', 'returned', 'accepted') then
    perform kc_event_notify_org('round_report', new.id, new.status, new.version, new.org_id, true);
  end if;
  return null;
end $$;

create trigger round_reports_event after update on round_reports
  for each row execute function round_reports_event();

-- ---------------------------------------------------------------------------
-- The default outline: what Công văn 8474/BCT-CTĐP asks of the provinces
-- (evaluate and sum up the programme to its end, build the next one, say
-- what stands in the way), in the order of a báo cáo tổng kết.
-- ---------------------------------------------------------------------------
create function kc_round_default_sections() returns jsonb
language sql immutable as $$
  select jsonb_build_array(
    jsonb_build_object('key', 'results', 'title', 'Kết quả thực hiện so với mục tiêu của Chương trình',
      'guidance', 'Đánh giá kết quả thực hiện từng mục tiêu, chỉ tiêu của Chương trình khuyến công quốc gia '
                  'và Chương trình khuyến công địa phương trong giai đoạn; số liệu tại các biểu kèm theo.'),
    jsonb_build_object('key', 'achievements', 'title', 'Những kết quả nổi bật, cách làm hiệu quả',
      'guidance', 'Các đề án khuyến công điểm, nhóm; mô hình trình diễn, chuyển giao công nghệ; sản phẩm '
                  'công nghiệp nông thôn tiêu biểu; phối hợp giữa Sở Công Thương, các sở, ngành và địa phương.'),
    jsonb_build_object('key', 'shortcomings', 'title', 'Tồn tại, hạn chế và nguyên nhân',
      'guidance', 'Tồn tại, hạn chế trong xây dựng và thực hiện kế hoạch, đề án khuyến công; nguyên nhân '
                  'khách quan và chủ quan.'),
    jsonb_build_object('key', 'lessons', 'title', 'Bài học kinh nghiệm',
      'guidance', 'Bài học rút ra từ tổ chức thực hiện Chương trình tại địa phương.'),
    jsonb_build_object('key', 'proposals', 'title', 'Đề xuất Chương trình khuyến công giai đoạn tiếp theo',
      'guidance', 'Mục tiêu, nội dung, chỉ tiêu và kinh phí đề xuất cho giai đoạn tới; bố trí vốn ngân sách '
                  'địa phương, huy động và lồng ghép các nguồn lực; kiện toàn tổ chức khuyến công.'),
    jsonb_build_object('key', 'difficulties', 'title', 'Khó khăn, vướng mắc và kiến nghị với Bộ Công Thương',
      'guidance', 'Khó khăn, vướng mắc cần Bộ Công Thương (qua Cục Đổi mới sáng tạo, Chuyển đổi xanh và '
                  'Khuyến công) phối hợp giải quyết.'))
$$;

-- Provinces of the 34-unit map in force on @p_on: the ones a round asks.
create function kc_round_provinces(p_on date) returns setof bigint
language sql stable as $$
  select o.id from orgs o
   where o.kind = 'province' and o.valid_from <= p_on and (o.valid_to is null or o.valid_to >= p_on)
$$;

create function kc_round_status_name(p text) returns text
language sql immutable as $$
  select case p when 'not_started' then 'Chưa bắt đầu' when 'drafting' then 'Đang soạn'
                when 'sent' then 'Đã gửi' when 'returned' then 'Trả lại' when 'accepted' then 'Đã chấp nhận' end
$$;

-- Late: sent after the due day, or not sent and the due day has passed.
create function kc_round_report_late(r round_reports, rd rounds) returns boolean
language sql stable as $$
  select case when r.status in ('sent', 'accepted')
              then (r.sent_at at time zone 'Asia/Ho_Chi_Minh')::date > rd.due_on
              else kc_today() > rd.due_on end
$$;

create function kc_round_report_brief(r round_reports, rd rounds) returns jsonb
language sql stable as $$
  select jsonb_build_object('id', r.id, 'round_id', r.round_id, 'org_id', r.org_id,
                            'org_code', o.code, 'org_name', o.name, 'status', r.status,
                            'status_name', kc_round_status_name(r.status), 'version', r.version,
                            'sent_at', kc_instant(r.sent_at), 'late', kc_round_report_late(r, rd),
                            'returned_comment', r.returned_comment,
                            'returned_at', kc_instant(r.returned_at),
                            'accepted_at', kc_instant(r.accepted_at),
                            'updated_at', kc_instant(r.updated_at))
    from orgs o where o.id = r.org_id
$$;

-- The round, with its reports (those the caller may see: a province its own).
create function kc_round_json(rd rounds, p_scope bigint) returns jsonb
language sql stable as $$
  select jsonb_build_object(
    'id', rd.id, 'title', rd.title, 'document_no', rd.document_no, 'signed_on', rd.signed_on,
    'kind', rd.kind, 'from_year', rd.from_year, 'to_year', rd.to_year, 'due_on', rd.due_on,
    'sections', rd.sections, 'tables', to_jsonb(rd.tables), 'version', rd.version,
    'created_by', rd.created_by, 'created_at', kc_instant(rd.created_at),
    'reports', coalesce((select jsonb_agg(kc_round_report_brief(r, rd) order by o.code, r.org_id)
                           from round_reports r join orgs o on o.id = r.org_id
                          where r.round_id = rd.id
                            and (p_scope is null or r.org_id in (select org_scope(p_scope)))), '[]'::jsonb),
    'counts', (select jsonb_build_object(
                 'total', count(*),
                 'not_started', count(*) filter (where r.status = 'not_started'),
                 'drafting', count(*) filter (where r.status = 'drafting'),
                 'sent', count(*) filter (where r.status = 'sent'),
                 'returned', count(*) filter (where r.status = 'returned'),
                 'accepted', count(*) filter (where r.status = 'accepted'),
                 'late', count(*) filter (where kc_round_report_late(r, rd)))
                 from round_reports r
                where r.round_id = rd.id
                  and (p_scope is null or r.org_id in (select org_scope(p_scope)))))
$$;

-- ---------------------------------------------------------------------------
-- The tables of a report (p_org a province) or of the national summary
-- (p_org null), each in the export contract of server/srv-export.h:
-- {key, title, columns, rows, totals}.
-- ---------------------------------------------------------------------------
create function kc_round_facts(rd rounds, p_org bigint)
returns table (project_id bigint, unit_id bigint, year integer, category text, source text,
               indicator text, projects bigint, planned bigint, advanced bigint, final bigint,
               refunded bigint, target bigint, achieved bigint)
language sql stable set enable_nestloop = off as $$
  -- With the round's years as parameters the planner guessed a handful of
  -- facts and one unit, and scanned the facts once per unit in a nested
  -- loop (97 scans, two minutes over the 700,000 facts of scripts/gen-data
  -- at scale 1). Without nested loops it hashes the ~100 units and scans
  -- the facts once (the SET also keeps this function from being inlined
  -- into its callers, whose parameters hid the same estimates).
  with u as materialized (select province_org, unit_id from kc_report_units('34') where unit_id <> 0)
  select f.project_id, u.unit_id, f.year, f.category, f.source, f.indicator, f.projects, f.planned,
         f.advanced, f.final, f.refunded, f.target, f.achieved
    from report_project_facts f join u on u.province_org = f.province_org
   where f.year between rd.from_year and rd.to_year and f.visible
     and f.status in ('approved', 'in_progress', 'completed', 'settled')
     and (p_org is null or u.unit_id = p_org)
$$;

-- The programme the round reports against: the national programme whose
-- period covers the round's years.
create function kc_round_programme(rd rounds, p_scope text, p_org bigint) returns bigint
language sql stable as $$
  select pg.id from programmes pg join programme_periods pp on pp.code = pg.period_code
   where pp.from_year <= rd.from_year and pp.to_year >= rd.to_year and pg.scope = p_scope
     and (p_scope = 'national' or kc_province_now(pg.org_id) = p_org)
   order by pp.from_year desc, pg.id limit 1
$$;

create function kc_round_money_table(rd rounds, p_org bigint) returns jsonb
language sql stable as $$
  with f as (select * from kc_round_facts(rd, p_org)),
  g as (
    select f.year, f.category,
           sum(f.projects) filter (where f.source = '' and f.indicator = '') as projects,
           coalesce(sum(f.planned) filter (where f.source = 'central'), 0) as central,
           coalesce(sum(f.planned) filter (where f.source = 'local'), 0) as local,
           coalesce(sum(f.planned) filter (where f.source = 'counterpart'), 0) as counterpart,
           coalesce(sum(f.planned) filter (where f.source = 'other'), 0) as other,
           coalesce(sum(f.planned) filter (where f.source <> ''), 0) as total,
           coalesce(sum(f.advanced + f.final - f.refunded) filter (where f.source <> ''), 0) as paid
      from f group by f.year, f.category
    having coalesce(sum(f.projects) filter (where f.source = '' and f.indicator = ''), 0) > 0)
  select jsonb_build_object(
    'key', 'money',
    'title', format('Biểu 1. Đề án và kinh phí khuyến công theo nội dung, nguồn và năm (%s–%s)',
                    rd.from_year, rd.to_year),
    'columns', jsonb_build_array(
      kc_report_col('year', 'Năm', 'year'),
      kc_report_col('category_name', 'Nội dung khuyến công', 'text'),
      kc_report_col('projects', 'Số đề án', 'integer'),
      kc_report_col('central', 'Ngân sách trung ương', 'money', 'Kinh phí được duyệt (đồng)'),
      kc_report_col('local', 'Ngân sách địa phương', 'money', 'Kinh phí được duyệt (đồng)'),
      kc_report_col('counterpart', 'Vốn đối ứng', 'money', 'Kinh phí được duyệt (đồng)'),
      kc_report_col('other', 'Nguồn khác', 'money', 'Kinh phí được duyệt (đồng)'),
      kc_report_col('total', 'Tổng cộng', 'money', 'Kinh phí được duyệt (đồng)'),
      kc_report_col('paid', 'Đã giải ngân (NSTW)', 'money')),
    'rows', coalesce((select jsonb_agg(jsonb_build_object(
               'year', g.year, 'category', g.category,
               'category_name', coalesce(c.name_vi, 'Chưa xác định'), 'projects', g.projects,
               'central', g.central, 'local', g.local, 'counterpart', g.counterpart, 'other', g.other,
               'total', g.total, 'paid', g.paid) order by g.year, c.sort, g.category)
               from g left join content_categories c on c.code = g.category), '[]'::jsonb),
    'totals', (select jsonb_build_object(
                 'projects', coalesce(sum(projects), 0), 'central', coalesce(sum(central), 0),
                 'local', coalesce(sum(local), 0), 'counterpart', coalesce(sum(counterpart), 0),
                 'other', coalesce(sum(other), 0), 'total', coalesce(sum(total), 0),
                 'paid', coalesce(sum(paid), 0))
                 from g))
$$;

create function kc_round_indicator_table(rd rounds, p_org bigint) returns jsonb
language sql stable as $$
  with f as (select * from kc_round_facts(rd, p_org) where indicator <> ''),
  ind as (select indicator, sum(target) as planned, sum(achieved) as achieved from f group by indicator),
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

create function kc_round_products_table(rd rounds, p_org bigint) returns jsonb
language sql stable as $$
  with t as (
    select tp.*, o.name as province_name, kc_province_now(tp.org_id) as unit_id
      from typical_products tp join orgs o on o.id = kc_province_now(tp.org_id)
     where tp.year between rd.from_year and rd.to_year and not tp.revoked
       and (p_org is null or kc_province_now(tp.org_id) = p_org))
  select jsonb_build_object(
    'key', 'products',
    'title', 'Biểu 3. Sản phẩm công nghiệp nông thôn tiêu biểu được công nhận',
    'columns', (case when p_org is null then jsonb_build_array(kc_report_col('province', 'Tỉnh, thành phố', 'text'))
                     else '[]'::jsonb end)
               || jsonb_build_array(
                    kc_report_col('year', 'Năm', 'year'),
                    kc_report_col('level', 'Cấp', 'text'),
                    kc_report_col('product', 'Sản phẩm', 'text'),
                    kc_report_col('establishment', 'Cơ sở', 'text'),
                    kc_report_col('certificate_no', 'Số giấy chứng nhận', 'text')),
    'rows', coalesce((select jsonb_agg(jsonb_build_object(
               'province', province_name, 'year', year,
               'level', case level when 'district' then 'Cấp huyện' when 'province' then 'Cấp tỉnh'
                                   when 'regional' then 'Cấp khu vực' else 'Cấp quốc gia' end,
               'product', product_name, 'establishment', establishment_name,
               'certificate_no', certificate_no) order by province_name, year, level, product_name)
               from t), '[]'::jsonb),
    'totals', null,
    'count', (select count(*) from t))
$$;

create function kc_round_difficulties_table(rd rounds, p_org bigint) returns jsonb
language sql stable as $$
  with c as (
    select c.*, o.name as province_name
      from correspondence c join orgs o on o.id = kc_province_now(c.org_id)
     where extract(year from c.opened_at at time zone 'Asia/Ho_Chi_Minh')::integer
             between rd.from_year and rd.to_year
       and (p_org is null or kc_province_now(c.org_id) = p_org))
  select jsonb_build_object(
    'key', 'difficulties',
    'title', 'Biểu 4. Khó khăn, vướng mắc đã đề nghị Bộ Công Thương giải quyết',
    'columns', (case when p_org is null then jsonb_build_array(kc_report_col('province', 'Tỉnh, thành phố', 'text'))
                     else '[]'::jsonb end)
               || jsonb_build_array(
                    kc_report_col('opened_on', 'Ngày gửi', 'date'),
                    kc_report_col('subject', 'Nội dung', 'text'),
                    kc_report_col('status', 'Tình trạng', 'text'),
                    kc_report_col('answered_on', 'Ngày trả lời', 'date')),
    'rows', coalesce((select jsonb_agg(jsonb_build_object(
               'province', province_name,
               'opened_on', (opened_at at time zone 'Asia/Ho_Chi_Minh')::date, 'subject', subject,
               'status', case status when 'open' then 'Chưa trả lời' when 'answered' then 'Đã trả lời'
                                     else 'Đã đóng' end,
               'answered_on', (answered_at at time zone 'Asia/Ho_Chi_Minh')::date)
               order by province_name, opened_at, id) from c), '[]'::jsonb),
    'totals', null)
$$;

create function kc_round_tables(rd rounds, p_org bigint) returns jsonb
language sql stable as $$
  select coalesce(jsonb_agg(t.j order by t.n), '[]'::jsonb)
    from (select 1 as n, kc_round_money_table(rd, p_org) as j where 'money' = any (rd.tables)
          union all
          select 2, kc_round_indicator_table(rd, p_org) where 'indicators' = any (rd.tables)
          union all
          select 3, kc_round_products_table(rd, p_org) where 'products' = any (rd.tables)
          union all
          select 4, kc_round_difficulties_table(rd, p_org) where 'difficulties' = any (rd.tables)) t
$$;

-- A report as round.report_get answers: the outline with the province's
-- text, and the tables (frozen once sent, live before). p_live false: no
-- live tables (null): a save as you go must not recount the province's
-- figures (seconds over a large database); the writes answer so.
create function kc_round_report_json(r round_reports, p_live boolean default true) returns jsonb
language sql stable as $$
  select kc_round_report_brief(r, rd) || jsonb_build_object(
    'round', jsonb_build_object('id', rd.id, 'title', rd.title, 'document_no', rd.document_no,
                                'signed_on', rd.signed_on, 'kind', rd.kind, 'from_year', rd.from_year,
                                'to_year', rd.to_year, 'due_on', rd.due_on),
    'sections', (select coalesce(jsonb_agg(s.e || jsonb_build_object('text', coalesce(r.texts->>(s.e->>'key'), ''))
                                           order by s.i), '[]'::jsonb)
                   from jsonb_array_elements(rd.sections) with ordinality s (e, i)),
    'tables', case when r.status in ('sent', 'accepted') then r.tables
                   when p_live then kc_round_tables(rd, r.org_id) end,
    'tables_frozen', r.status in ('sent', 'accepted'))
    from rounds rd where rd.id = r.round_id
$$;

-- The report a caller means: a province's users their own province's (the
-- province of org_id, or of their scope); the Ministry the province org_id
-- names (any unit of it, or a predecessor on the 63-unit map). Null when
-- there is none the caller may see.
create function kc_round_report_find(p_scope bigint, p_round bigint, p_org bigint) returns bigint
language sql stable as $$
  select r.id from round_reports r
   where r.round_id = p_round
     and r.org_id = kc_province_now(coalesce(p_org, p_scope))
     and (p_scope is null or (coalesce(p_org, p_scope) in (select org_scope(p_scope))
                              and r.org_id in (select org_scope(p_scope))))
$$;

-- ---------------------------------------------------------------------------
-- round.create {title, document_no, signed_on, kind, from_year, to_year,
--               due_on, sections?, tables?}
-- The Ministry's approver; every province of the map in force on signed_on
-- gets its report (not_started).
-- ---------------------------------------------------------------------------
create function kc_round_create(p_user bigint, p_username text, p_peer text, p_role text,
                                p_scope bigint, p jsonb) returns jsonb
language plpgsql as $$
declare
  v_sections jsonb := coalesce(p->'sections', kc_round_default_sections());
  v_viol jsonb;
  rd rounds;
  v_after jsonb;
begin
  if p_scope is not null or p_role <> 'ministry_approver' then
    return kc_err(1003, 'a reporting round is opened by the Ministry');
  end if;
  select coalesce(jsonb_agg(x order by n), '[]'::jsonb) into v_viol from (
    select 1 as n, kc_violation('to_year', 'period', 'to_year must not be before from_year') as x
     where (p->>'to_year')::integer < (p->>'from_year')::integer
    union all
    select 2, kc_violation('due_on', 'after_signed', 'the due day must not be before the letter''s date')
     where (p->>'due_on')::date < (p->>'signed_on')::date
    union all
    select 3, kc_violation('sections', 'unique', 'a section key is given twice')
     where exists (select 1 from jsonb_array_elements(v_sections) e group by e->>'key' having count(*) > 1)
    union all
    select 4, kc_violation('sections', 'required', 'the outline has at least one section')
     where jsonb_array_length(v_sections) = 0
    union all
    select 10 + i, kc_violation(format('sections[%s].key', i - 1), 'format',
                                'a section key is 1 to 40 of a-z, 0-9 and _')
      from jsonb_array_elements(v_sections) with ordinality s (e, i)
     where not coalesce(e->>'key' ~ '^[a-z0-9_]{1,40}$', false)) z;
  if jsonb_array_length(v_viol) > 0 then
    return kc_err(1022, v_viol->0->>'message', jsonb_build_object('violations', v_viol));
  end if;
  insert into rounds (title, document_no, signed_on, kind, from_year, to_year, due_on, sections,
                      tables, created_by)
  values (p->>'title', p->>'document_no', (p->>'signed_on')::date, p->>'kind',
          (p->>'from_year')::integer, (p->>'to_year')::integer, (p->>'due_on')::date,
          (select jsonb_agg(jsonb_build_object('key', e->>'key', 'title', e->>'title',
                                               'guidance', coalesce(e->>'guidance', '')) order by i)
             from jsonb_array_elements(v_sections) with ordinality s (e, i)),
          coalesce((select array_agg(distinct t) from jsonb_array_elements_text(p->'tables') t),
                   array['money', 'indicators', 'products', 'difficulties']),
          p_user)
  returning * into rd;
  insert into round_reports (round_id, org_id, updated_by)
  select rd.id, o, p_user from kc_round_provinces(rd.signed_on) o;
  v_after := kc_round_json(rd, null);
  perform kc_audit(p_user, p_username, p_peer, 'round.create', 'round', rd.id, null,
                   v_after - 'reports');
  return jsonb_build_object('result', v_after);
end $$;

-- round.get {id}
create function kc_round_get(p_scope bigint, p jsonb) returns jsonb
language sql stable as $$
  select coalesce(
    (select jsonb_build_object('result', kc_round_json(rd, p_scope)) from rounds rd
      where rd.id = (p->>'id')::bigint
        and (p_scope is null or exists (select 1 from round_reports r where r.round_id = rd.id
                                           and r.org_id in (select org_scope(p_scope))))),
    kc_err(1004, 'no such round'))
$$;

-- round.list {kind?, limit?, cursor?}: newest first.
create function kc_round_list(p_scope bigint, p jsonb) returns jsonb
language sql stable as $$
  with lim as (select coalesce((p->>'limit')::integer, 100) as n),
  page as (
    select rd.* from rounds rd
     where (p->>'cursor' is null or rd.id < (p->>'cursor')::bigint)
       and (p->>'kind' is null or rd.kind = p->>'kind')
       and (p_scope is null or exists (select 1 from round_reports r where r.round_id = rd.id
                                          and r.org_id in (select org_scope(p_scope))))
     order by rd.id desc limit (select n from lim) + 1),
  shown as (select * from page order by id desc limit (select n from lim))
  select jsonb_build_object('result', jsonb_build_object(
    'items', coalesce((select jsonb_agg(kc_round_json(s, p_scope) order by s.id desc) from shown s), '[]'::jsonb),
    'next_cursor', case when (select count(*) from page) > (select n from lim)
                        then (select min(id) from shown)::text end))
$$;

-- round.report_get {round_id, org_id?}
create function kc_round_report_get(p_scope bigint, p jsonb) returns jsonb
language plpgsql stable as $$
declare
  r round_reports;
begin
  if p_scope is null and not p ? 'org_id' then
    return kc_err(-32602, 'invalid params',
                  jsonb_build_object('fields', jsonb_build_array(jsonb_build_object(
                    'field', 'org_id', 'message', 'is required on the Ministry side'))));
  end if;
  select * into r from round_reports
   where id = kc_round_report_find(p_scope, (p->>'round_id')::bigint, (p->>'org_id')::bigint);
  if not found then
    return kc_err(1004, 'no such report');
  end if;
  return jsonb_build_object('result', kc_round_report_json(r));
end $$;

-- round.report_update {round_id, version, sections: [{key, text}]}
-- The province's officer or leader, while not sent (not_started, drafting,
-- returned); the texts given replace those keys' texts, the others stay.
create function kc_round_report_update(p_user bigint, p_username text, p_peer text, p_role text,
                                       p_scope bigint, p jsonb) returns jsonb
language plpgsql as $$
declare
  r round_reports;
  rd rounds;
  v_err jsonb;
  v_viol jsonb;
  v_before jsonb;
  v_after jsonb;
begin
  if p_scope is null then
    return kc_err(1003, 'a province writes its own report');
  end if;
  select * into r from round_reports
   where id = kc_round_report_find(p_scope, (p->>'round_id')::bigint, (p->>'org_id')::bigint)
     for update;
  if not found then
    return kc_err(1004, 'no such report');
  end if;
  v_err := kc_record_check('report', true, r.version, (p->>'version')::integer, r.status,
                           array['not_started', 'drafting', 'returned']);
  if v_err is not null then
    return v_err;
  end if;
  select * into rd from rounds where id = r.round_id;
  select coalesce(jsonb_agg(kc_violation(format('sections[%s].key', i - 1), 'exists',
                                         'no such section in the round''s outline') order by i), '[]'::jsonb)
    into v_viol
    from jsonb_array_elements(p->'sections') with ordinality s (e, i)
   where not exists (select 1 from jsonb_array_elements(rd.sections) o where o->>'key' = e->>'key');
  if jsonb_array_length(v_viol) = 0
     and exists (select 1 from jsonb_array_elements(p->'sections') e group by e->>'key' having count(*) > 1) then
    v_viol := jsonb_build_array(kc_violation('sections', 'unique', 'a section is given twice'));
  end if;
  if jsonb_array_length(v_viol) > 0 then
    return kc_err(1022, v_viol->0->>'message', jsonb_build_object('violations', v_viol));
  end if;
  v_before := jsonb_build_object('status', r.status, 'version', r.version, 'texts', r.texts);
  update round_reports
     set texts = texts || coalesce((select jsonb_object_agg(e->>'key', e->>'text')
                                      from jsonb_array_elements(p->'sections') e), '{}'::jsonb),
         status = 'drafting', version = version + 1, updated_by = p_user
   where id = r.id
  returning * into r;
  v_after := jsonb_build_object('status', r.status, 'version', r.version, 'texts', r.texts);
  perform kc_audit(p_user, p_username, p_peer, 'round.report_update', 'round_report', r.id,
                   v_before, v_after);
  return jsonb_build_object('result', kc_round_report_json(r, false));
end $$;

-- round.report_send {round_id, version}: the province's leader; the tables
-- are frozen as they stand.
create function kc_round_report_send(p_user bigint, p_username text, p_peer text, p_role text,
                                     p_scope bigint, p jsonb) returns jsonb
language plpgsql as $$
declare
  r round_reports;
  rd rounds;
  v_err jsonb;
  v_before jsonb;
begin
  if p_scope is null or p_role <> 'province_leader' then
    return kc_err(1003, 'a report is sent by the province''s leader');
  end if;
  select * into r from round_reports
   where id = kc_round_report_find(p_scope, (p->>'round_id')::bigint, (p->>'org_id')::bigint)
     for update;
  if not found then
    return kc_err(1004, 'no such report');
  end if;
  v_err := kc_record_check('report', true, r.version, (p->>'version')::integer, r.status,
                           array['drafting', 'returned']);
  if v_err is not null then
    return v_err;
  end if;
  select * into rd from rounds where id = r.round_id;
  v_before := jsonb_build_object('status', r.status, 'version', r.version);
  update round_reports
     set status = 'sent', tables = kc_round_tables(rd, r.org_id), sent_at = now(), sent_by = p_user,
         late = kc_today() > rd.due_on, version = version + 1, updated_by = p_user
   where id = r.id
  returning * into r;
  perform kc_audit(p_user, p_username, p_peer, 'round.report_send', 'round_report', r.id, v_before,
                   jsonb_build_object('status', r.status, 'version', r.version, 'late', r.late,
                                      'texts', r.texts, 'tables', r.tables));
  return jsonb_build_object('result', kc_round_report_json(r));
end $$;

-- round.report_return {round_id, org_id, comment} (Ministry reviewer or
-- approver) and round.report_accept {round_id, org_id} (approver): a sent
-- report.
create function kc_round_report_decide(p_user bigint, p_username text, p_peer text, p_role text,
                                       p_scope bigint, p jsonb, p_decision text) returns jsonb
language plpgsql as $$
declare
  r round_reports;
  v_err jsonb;
  v_before jsonb;
begin
  if p_scope is not null then
    return kc_err(1003, 'the Ministry returns or accepts a province''s report');
  end if;
  if p_decision = 'accepted' and p_role <> 'ministry_approver' then
    return kc_err(1003, 'a report is accepted by the Ministry''s approver');
  end if;
  select * into r from round_reports
   where id = kc_round_report_find(p_scope, (p->>'round_id')::bigint, (p->>'org_id')::bigint)
     for update;
  if not found then
    return kc_err(1004, 'no such report');
  end if;
  if p ? 'version' then
    v_err := kc_record_check('report', true, r.version, (p->>'version')::integer, r.status, array['sent']);
  else
    v_err := kc_record_check('report', true, r.version, r.version, r.status, array['sent']);
  end if;
  if v_err is not null then
    return v_err;
  end if;
  v_before := jsonb_build_object('status', r.status, 'version', r.version);
  if p_decision = 'returned' then
    update round_reports
       set status = 'returned', returned_comment = p->>'comment', returned_at = now(),
           returned_by = p_user, version = version + 1, updated_by = p_user
     where id = r.id
    returning * into r;
  else
    update round_reports
       set status = 'accepted', accepted_at = now(), accepted_by = p_user, version = version + 1,
           updated_by = p_user
     where id = r.id
    returning * into r;
  end if;
  perform kc_audit(p_user, p_username, p_peer,
                   case p_decision when 'returned' then 'round.report_return' else 'round.report_accept' end,
                   'round_report', r.id, v_before,
                   jsonb_build_object('status', r.status, 'version', r.version,
                                      'comment', r.returned_comment));
  return jsonb_build_object('result', kc_round_report_json(r, false));
end $$;

create function kc_round_report_return(p_user bigint, p_username text, p_peer text, p_role text,
                                       p_scope bigint, p jsonb) returns jsonb
language sql as $$
  select kc_round_report_decide(p_user, p_username, p_peer, p_role, p_scope, p, 'returned')
$$;

create function kc_round_report_accept(p_user bigint, p_username text, p_peer text, p_role text,
                                       p_scope bigint, p jsonb) returns jsonb
language sql as $$
  select kc_round_report_decide(p_user, p_username, p_peer, p_role, p_scope, p, 'accepted')
$$;

-- ---------------------------------------------------------------------------
-- round.consolidate {round_id}: the national summary (the Ministry side).
--   tables     the national tables, live (sums over every province; the
--              money table equals report.summary for the same years and the
--              statuses approved..settled)
--   provinces  each province: status, sent, late, and its projects and money
--   sections   per outline item, the text of every province that sent
--   not_sent   who has not sent (not_started, drafting, returned)
-- ---------------------------------------------------------------------------
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
                    left join (select unit_id, sum(projects) filter (where source = '' and indicator = '') as projects,
                                      sum(planned) filter (where source <> '') as total
                                 from kc_round_facts(rd, null) group by unit_id) m on m.unit_id = r.org_id
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

-- ---------------------------------------------------------------------------
-- The documents (report.export, docx/odt/pdf): the export contract of
-- server/srv-export.h with the money table as the report's table (so csv
-- and xlsx give it too) and `document`, the administrative document of NĐ
-- 30/2020 the renderers of srv-export-doc.c lay out:
--   number        "Số:      /BC-SCT" (the number is the registry's to give)
--   recipient     "Kính gửi: ..."
--   intro         the opening paragraph (which letter it answers)
--   sections      [{heading, text}] (text: paragraphs by \n)
--   tables        [{key, title, columns, rows, totals}]: the appendix
--                 ("Phụ lục"), on landscape pages
--   recipients    the "Nơi nhận" lines
--   signer        {authority?, title, name?}
-- ---------------------------------------------------------------------------
create function kc_round_title(rd rounds) returns text
language sql immutable as $$
  select case when rd.kind = 'summary'
              then format('Tổng kết thực hiện Chương trình khuyến công giai đoạn %s–%s', rd.from_year, rd.to_year)
              when rd.from_year = rd.to_year
              then format('Kết quả thực hiện hoạt động khuyến công năm %s', rd.from_year)
              else format('Kết quả thực hiện hoạt động khuyến công %s–%s', rd.from_year, rd.to_year) end
$$;

create function kc_roman(n integer) returns text
language sql immutable as $$
  select (array['I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII', 'IX', 'X', 'XI', 'XII', 'XIII', 'XIV',
                'XV', 'XVI', 'XVII', 'XVIII', 'XIX', 'XX', 'XXI', 'XXII', 'XXIII', 'XXIV', 'XXV',
                'XXVI', 'XXVII', 'XXVIII', 'XXIX', 'XXX'])[n]
$$;

-- report.round_report {round_id, org_id}
create function kc_report_round_report(p_scope bigint, p jsonb) returns jsonb
language plpgsql stable as $$
declare
  r round_reports;
  rd rounds;
  v_report jsonb;
  v_tables jsonb;
  v_money jsonb;
  v_province text;
  v_issuer jsonb;
begin
  select * into r from round_reports
   where id = kc_round_report_find(p_scope, (p->>'round_id')::bigint, (p->>'org_id')::bigint);
  if not found then
    return kc_err(1004, 'no such report');
  end if;
  select * into rd from rounds where id = r.round_id;
  v_report := kc_round_report_json(r);
  v_tables := v_report->'tables';
  v_money := coalesce((select t from jsonb_array_elements(v_tables) t where t->>'key' = 'money'),
                      kc_round_money_table(rd, r.org_id));
  v_province := (select name from orgs where id = r.org_id);
  v_issuer := kc_report_province_issuer(r.org_id);
  return jsonb_build_object('result', jsonb_build_object(
    'title', 'Báo cáo ' || lower(substr(kc_round_title(rd), 1, 1)) || substr(kc_round_title(rd), 2),
    'subtitle', format('%s; %s (%s)', v_province, kc_round_status_name(r.status),
                       'Công văn số ' || rd.document_no),
    'issuer', v_issuer,
    'place', kc_report_place(r.org_id),
    'generated_at', kc_instant(coalesce(r.sent_at, now())),
    'file_stem', format('bao-cao-%s-%s', (select code from orgs where id = r.org_id), rd.id),
    'columns', v_money->'columns',
    'rows', v_money->'rows',
    'totals', v_money->'totals',
    'round_id', rd.id, 'org_id', r.org_id, 'org_name', v_province, 'status', r.status,
    'version', r.version,
    'document', jsonb_build_object(
      'number', 'Số:        /BC-SCT',
      'kind', 'BÁO CÁO',
      'heading', kc_round_title(rd),
      'recipient', 'Kính gửi: Bộ Công Thương',
      'intro', format('Thực hiện Công văn số %s ngày %s của Bộ Công Thương về việc %s, %s báo cáo như sau:',
                      rd.document_no, to_char(rd.signed_on, 'DD/MM/YYYY'),
                      lower(substr(rd.title, 1, 1)) || substr(rd.title, 2),
                      v_issuer->>'name'),
      'sections', (select coalesce(jsonb_agg(jsonb_build_object(
                            'heading', kc_roman(i::integer) || '. ' || upper(e->>'title'),
                            'text', e->>'text') order by i), '[]'::jsonb)
                     from jsonb_array_elements(v_report->'sections') with ordinality s (e, i)),
      'tables', v_tables,
      'recipients', jsonb_build_array('Như trên;', v_issuer->>'parent' || ' (để báo cáo);', 'Lưu: VT.'),
      'signer', jsonb_build_object('authority', null, 'title', 'GIÁM ĐỐC', 'name', null))));
end $$;

-- report.round_consolidated {round_id}: the Ministry's national summary.
create function kc_report_round_consolidated(p_scope bigint, p jsonb) returns jsonb
language plpgsql stable as $$
declare
  rd rounds;
  v jsonb;
  v_money jsonb;
  v_status jsonb;
begin
  v := kc_round_consolidate(p_scope, jsonb_build_object('round_id', p->'round_id'));
  if v ? 'error' then
    return v;
  end if;
  v := v->'result';
  select * into rd from rounds where id = (p->>'round_id')::bigint;
  v_money := (select t from jsonb_array_elements(v->'tables') t where t->>'key' = 'money');
  if v_money is null then
    v_money := kc_round_money_table(rd, null);
  end if;
  v_status := jsonb_build_object(
    'key', 'provinces',
    'title', 'Biểu 5. Tình hình gửi báo cáo của các tỉnh, thành phố',
    'columns', jsonb_build_array(
      kc_report_col('org_name', 'Tỉnh, thành phố', 'text'),
      kc_report_col('status_name', 'Tình trạng', 'text'),
      kc_report_col('sent_on', 'Ngày gửi', 'date'),
      kc_report_col('late_text', 'Quá hạn', 'text'),
      kc_report_col('projects', 'Số đề án', 'integer'),
      kc_report_col('total', 'Kinh phí được duyệt (đồng)', 'money')),
    'rows', (select coalesce(jsonb_agg(e || jsonb_build_object(
                       'sent_on', left(e->>'sent_at', 10),
                       'late_text', case when (e->>'late')::boolean then 'Quá hạn' else '' end)
                       order by n), '[]'::jsonb)
               from jsonb_array_elements(v->'provinces') with ordinality x (e, n)),
    'totals', jsonb_build_object(
      'projects', (select coalesce(sum((e->>'projects')::bigint), 0) from jsonb_array_elements(v->'provinces') e),
      'total', (select coalesce(sum((e->>'total')::bigint), 0) from jsonb_array_elements(v->'provinces') e)));
  return jsonb_build_object('result', jsonb_build_object(
    'title', 'Báo cáo ' || lower(substr(kc_round_title(rd), 1, 1)) || substr(kc_round_title(rd), 2)
             || ' trên phạm vi cả nước',
    'subtitle', format('Tổng hợp báo cáo của %s/%s tỉnh, thành phố (Công văn số %s)',
                       (v->'round'->'counts'->>'sent')::integer + (v->'round'->'counts'->>'accepted')::integer,
                       v->'round'->'counts'->>'total', rd.document_no),
    'issuer', jsonb_build_object('parent', null, 'name', 'Bộ Công Thương'),
    'place', 'Hà Nội',
    'generated_at', kc_instant(now()),
    'file_stem', format('bao-cao-tong-hop-dot-%s', rd.id),
    'columns', v_money->'columns',
    'rows', v_money->'rows',
    'totals', v_money->'totals',
    'round_id', rd.id,
    'not_sent', v->'not_sent',
    'document', jsonb_build_object(
      'number', 'Số:        /BC-BCT',
      'kind', 'BÁO CÁO',
      'heading', kc_round_title(rd) || ' trên phạm vi cả nước',
      'recipient', 'Kính gửi: Thủ tướng Chính phủ',
      'intro', format('Thực hiện nhiệm vụ được giao, Bộ Công Thương đã có Công văn số %s ngày %s đề nghị Ủy ban '
                      'nhân dân các tỉnh, thành phố trực thuộc Trung ương báo cáo %s. Trên cơ sở báo cáo của '
                      '%s/%s địa phương, Bộ Công Thương tổng hợp như sau:',
                      rd.document_no, to_char(rd.signed_on, 'DD/MM/YYYY'),
                      lower(substr(kc_round_title(rd), 1, 1)) || substr(kc_round_title(rd), 2),
                      (v->'round'->'counts'->>'sent')::integer + (v->'round'->'counts'->>'accepted')::integer,
                      v->'round'->'counts'->>'total'),
      'sections', (select coalesce(jsonb_agg(jsonb_build_object(
                            'heading', kc_roman(i::integer) || '. ' || upper(e->>'title'),
                            'text', (select coalesce(string_agg(pv->>'org_name' || ': ' || (pv->>'text'), E'\n'
                                                                order by n), '')
                                       from jsonb_array_elements(e->'provinces') with ordinality y (pv, n)
                                      where pv->>'text' <> '')) order by i), '[]'::jsonb)
                     from jsonb_array_elements(v->'sections') with ordinality s (e, i))
                   || jsonb_build_array(jsonb_build_object(
                        'heading', kc_roman(jsonb_array_length(v->'sections') + 1) || '. CÁC ĐỊA PHƯƠNG CHƯA GỬI BÁO CÁO',
                        'text', case when jsonb_array_length(v->'not_sent') = 0
                                     then 'Tất cả các tỉnh, thành phố đã gửi báo cáo.'
                                     else (select string_agg(e->>'org_name', ', ' order by n)
                                             from jsonb_array_elements(v->'not_sent') with ordinality z (e, n)) || '.' end)),
      'tables', v->'tables' || jsonb_build_array(v_status),
      'recipients', jsonb_build_array('Như trên;', 'Lãnh đạo Bộ;', 'UBND các tỉnh, thành phố trực thuộc TW;',
                                      'Sở Công Thương các tỉnh, thành phố;', 'Lưu: VT, ĐMST.'),
      'signer', jsonb_build_object('authority', 'KT. BỘ TRƯỞNG', 'title', 'THỨ TRƯỞNG', 'name', null))));
end $$;
