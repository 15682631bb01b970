-- 0018_report_summary.sql — report.summary (issue 5): projects, money by
-- funding source and indicators achieved, grouped by any of province,
-- category, year, source, status, kind, priority, with totals; read from
-- report_facts (0017), never from the base rows.
--
-- The result follows the export contract of server/srv-export.h (title,
-- subtitle, issuer, generated_at, columns, rows, totals) and adds
-- `indicators` (the same grouping without source, per indicator), `params`
-- (what was asked, with defaults) and `file_stem` (report.export's file
-- name).
--
-- Provinces on two maps (DOMAIN §6). A fact's province is the unit of its
-- day. province_map "34" (default) shows units of the 34-unit map: a
-- 63-map province rolls up into the unit org_lineage names. "63" shows
-- the 63 units: a 34-map unit that continues exactly one old unit (Hà Nội,
-- Huế, ...) shows as that unit; a merged one (new 25 Phú Thọ = old 17, 25,
-- 26) cannot be split, so its data from 01/07/2025 shows under it, named
-- "(từ 01/07/2025)".
--
-- Who sees what: the Ministry side (p_scope null) what kc_plan_visible
-- shows it (local plans, and national plans once the province forwarded
-- them); a province's users their province with what it inherited in 2025
-- (org_scope), whatever the plan's status.

-- The report units of a map: each province-kind organisation (and 0, the
-- Ministry's own units) → the unit it is reported under.
create function kc_report_units(p_map text)
returns table (province_org bigint, unit_id bigint, unit_code text, unit_name text)
language sql stable as $$
  with m as (
    select o.id as province_org,
           case when p_map = '34' then
                  case when o.valid_to is not null and o.valid_to < date '2025-07-01'
                       then coalesce((select l.new_org_id from org_lineage l
                                       where l.old_org_id = o.id
                                       order by l.effective desc, l.new_org_id limit 1), o.id)
                       else o.id end
                else
                  case when o.valid_from >= date '2025-07-01'
                            and (select count(*) from org_lineage l where l.new_org_id = o.id) = 1
                       then (select l.old_org_id from org_lineage l where l.new_org_id = o.id)
                       else o.id end
           end as unit_id
      from orgs o where o.kind = 'province')
  select m.province_org, m.unit_id, u.code,
         u.name || case when p_map = '63' and u.valid_from >= date '2025-07-01'
                        then ' (từ 01/07/2025)' else '' end
    from m join orgs u on u.id = m.unit_id
  union all
  select 0, 0, '00', 'Các đơn vị thuộc Bộ Công Thương'
$$;

create function kc_report_status_name(p text) returns text
language sql immutable as $$
  select case p
    when 'draft' then 'Dự thảo'
    when 'submitted' then 'Đã đăng ký'
    when 'revision_requested' then 'Yêu cầu bổ sung, chỉnh sửa'
    when 'approved' then 'Đã phê duyệt'
    when 'rejected' then 'Không được phê duyệt'
    when 'in_progress' then 'Đang thực hiện'
    when 'completed' then 'Đã nghiệm thu'
    when 'settled' then 'Đã quyết toán'
    when 'cancelled' then 'Ngừng thực hiện'
    else p end
$$;

create function kc_report_status_sort(p text) returns integer
language sql immutable as $$
  select array_position(array['draft', 'submitted', 'revision_requested', 'approved', 'rejected',
                              'in_progress', 'completed', 'settled', 'cancelled'], p)
$$;

-- Members of a JSON array of strings as text[] (null when absent/empty).
create function kc_report_list(p jsonb) returns text[]
language sql immutable as $$
  select case when p is null or jsonb_typeof(p) <> 'array' or jsonb_array_length(p) = 0 then null
              else array(select jsonb_array_elements_text(p)) end
$$;

-- The grain report.summary reads (0017): 1 (without category, kind and
-- priority) unless the grouping or the filters need one of them.
create function kc_report_grain(p jsonb) returns smallint
language sql immutable as $$
  select case when (p->'group_by') ?| array['category', 'kind', 'priority']
                   or kc_report_list(p->'filters'->'category') is not null
                   or kc_report_list(p->'filters'->'kind') is not null
                   or kc_report_list(p->'filters'->'priority') is not null
              then 0 else 1 end::smallint
$$;

-- ---------------------------------------------------------------------------
-- report.summary {from_year, to_year, group_by, filters?, province_map?}
-- filters: {province: [codes of the chosen map], category, source, status,
-- kind, priority: [codes]} (each optional). Validated by the server.
--
-- Projects: with source in group_by or a source filter, a project counts
-- once per source it has money from (budget line, allocation, payment or
-- settlement); otherwise once. The totals row counts each project once
-- unless a source filter is given. Indicators have no source: they are
-- grouped without it and the source filter does not apply to them.
-- ---------------------------------------------------------------------------
-- work_mem: the grouping of tens of thousands of fact rows is sorted or
-- hashed in memory rather than on disk.
create function kc_report_summary(p_scope bigint, p jsonb) returns jsonb
language sql stable set work_mem = '32MB' as $$
  with prm as (
    select (p->>'from_year')::integer as y0, (p->>'to_year')::integer as y1,
           coalesce(p->>'province_map', '34') as map,
           coalesce(p->'group_by', '[]'::jsonb) as gb,
           (p->'group_by') ? 'province' as by_province, (p->'group_by') ? 'category' as by_category,
           (p->'group_by') ? 'year' as by_year, (p->'group_by') ? 'source' as by_source,
           (p->'group_by') ? 'status' as by_status, (p->'group_by') ? 'kind' as by_kind,
           (p->'group_by') ? 'priority' as by_priority,
           kc_report_list(p->'filters'->'province') as f_province,
           kc_report_list(p->'filters'->'category') as f_category,
           kc_report_list(p->'filters'->'source') as f_source,
           kc_report_list(p->'filters'->'status') as f_status,
           kc_report_list(p->'filters'->'kind') as f_kind,
           kc_report_list(p->'filters'->'priority') as f_priority),
  cfg as (
    select prm.*, (by_source or f_source is not null) as use_source from prm),
  units as (select * from kc_report_units((select map from cfg))),
  seen as (
    -- the province-kind organisations a province's user may see
    select o.id from org_scope(p_scope) s join orgs o on o.id = s where o.kind = 'province'),
  -- money facts (grain 0 or 1) with the keys asked for; read by index on
  -- (g, year): the grain and years are expressions of @p alone
  mf as (
    select case when cfg.by_province then u.unit_id end as k_province,
           case when cfg.by_category then r.category end as k_category,
           case when cfg.by_year then r.year end as k_year,
           case when cfg.by_source then r.source end as k_source,
           case when cfg.by_status then r.status end as k_status,
           case when cfg.by_kind then r.kind end as k_kind,
           case when cfg.by_priority then r.priority end as k_priority,
           (r.source <> '') = cfg.use_source as in_rows,
           (r.source <> '') = (cfg.f_source is not null) as in_total,
           r.projects, r.planned, r.allocated, r.advanced, r.final, r.refunded, r.settled
      from report_facts r join units u on u.province_org = r.province_org, cfg
     where r.g = kc_report_grain(p)
       and r.year between (p->>'from_year')::integer and (p->>'to_year')::integer
       and (case when p_scope is null then r.visible
                 else r.province_org in (select id from seen) end)
       and (cfg.f_province is null or u.unit_code = any (cfg.f_province))
       and (cfg.f_category is null or r.category = any (cfg.f_category))
       and (cfg.f_status is null or r.status = any (cfg.f_status))
       and (cfg.f_kind is null or r.kind = any (cfg.f_kind))
       and (cfg.f_priority is null or r.priority = any (cfg.f_priority))
       and (r.source = '' or cfg.f_source is null or r.source = any (cfg.f_source))),
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
  ind as (
    select case when cfg.by_province then u.unit_id end as unit_id,
           case when cfg.by_category then r.category end as category,
           case when cfg.by_year then r.year end as year,
           case when cfg.by_status then r.status end as status,
           case when cfg.by_kind then r.kind end as kind,
           case when cfg.by_priority then r.priority end as priority,
           r.indicator,
           sum(r.projects)::bigint as projects, sum(r.target)::bigint as target,
           sum(r.achieved)::bigint as achieved
      from report_facts r join units u on u.province_org = r.province_org, cfg
     where r.g = 2 + kc_report_grain(p)
       and r.year between (p->>'from_year')::integer and (p->>'to_year')::integer
       and (case when p_scope is null then r.visible
                 else r.province_org in (select id from seen) end)
       and (cfg.f_province is null or u.unit_code = any (cfg.f_province))
       and (cfg.f_category is null or r.category = any (cfg.f_category))
       and (cfg.f_status is null or r.status = any (cfg.f_status))
       and (cfg.f_kind is null or r.kind = any (cfg.f_kind))
       and (cfg.f_priority is null or r.priority = any (cfg.f_priority))
     group by 1, 2, 3, 4, 5, 6, 7
    having sum(r.projects) > 0),
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
    'issuer', case when p_scope is null
                   then jsonb_build_object('parent', 'Bộ Công Thương',
                                           'name', (select name from orgs where kind = 'ministry_department'
                                                     order by id limit 1))
                   else jsonb_build_object('parent', (select name from orgs where id = p_scope),
                                           'name', 'Sở Công Thương') end,
    'generated_at', kc_instant(now()),
    'file_stem', format('bao-cao-tong-hop-%s-%s', cfg.y0, cfg.y1),
    'params', jsonb_build_object('from_year', cfg.y0, 'to_year', cfg.y1, 'group_by', cfg.gb,
                                 'province_map', cfg.map,
                                 'filters', coalesce(p->'filters', '{}'::jsonb)),
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
$$;
