-- 0019_programmes.sql — programmes (chương trình khuyến công) as records
-- (issue 5): the national programme of each period (QĐ 1288/QĐ-TTg to 2020,
-- QĐ 1881/QĐ-TTg 2021–2025, QĐ 2646/QĐ-BCT 2026–2030; DOMAIN §4) and each
-- province's local programme for a period (Directive 20/CT-BCT asks every
-- province to issue its own 2026–2030 programme), with targets per indicator
-- of the DOMAIN §4.4 set and the budget envelope by funding source.
--
--   programmes          one per (period, national) and per (period, province)
--   programme_targets   indicator → target; province_id null is the whole
--                       programme, set it is a province's share of a national
--                       programme's target
--   programme_budgets   funding source → amount (the envelope), same keys
--
-- Who writes: a national programme the Ministry (ministry_approver, admin);
-- a local programme its province (province_officer, province_leader) while
-- it is a draft, approved by the province_leader with the People's
-- Committee's decision (draft → approved). Every target and envelope row
-- carries its confidence (C/P/U, as the catalogue, 0004) and where it comes
-- from, because most published national figures are partial (DOMAIN §4).
--
-- Every function follows 0005: one statement; scope (1004) → the caller's
-- role for this record (1003) → version (1009) → status (1010) → rules
-- (1022); kc_audit last. Every write raises programmes.version.

create table programmes (
  id bigint generated always as identity primary key,
  period_code text not null references programme_periods (code),
  scope text not null check (scope in ('national', 'local')),
  -- the province (orgs.kind = 'province') of a local programme; null for national
  org_id bigint references orgs (id),
  title text not null check (length(title) between 1 and 500),
  status text not null default 'draft' check (status in ('draft', 'approved')),
  decision_no text check (length(decision_no) <= 100),
  decision_date date,
  issuer text check (length(issuer) <= 300),
  note text check (length(note) <= 20000),
  confidence char(1) not null default 'C' check (confidence in ('C', 'P', 'U')),
  source_ref text check (length(source_ref) <= 1000),
  approved_by bigint references users (id),
  approved_at timestamptz,
  version integer not null default 1,
  created_by bigint references users (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check ((scope = 'national') = (org_id is null)),
  check (status = 'draft' or decision_no is not null)
);
create unique index programmes_national_idx on programmes (period_code) where scope = 'national';
create unique index programmes_local_idx on programmes (period_code, org_id) where scope = 'local';

create table programme_targets (
  id bigint generated always as identity primary key,
  programme_id bigint not null references programmes (id) on delete cascade,
  province_id bigint references orgs (id),
  indicator text not null references indicators (code),
  target bigint not null check (target >= 0),
  confidence char(1) not null default 'C' check (confidence in ('C', 'P', 'U')),
  source_ref text check (length(source_ref) <= 1000),
  note text check (length(note) <= 2000),
  unique nulls not distinct (programme_id, province_id, indicator)
);

create table programme_budgets (
  id bigint generated always as identity primary key,
  programme_id bigint not null references programmes (id) on delete cascade,
  province_id bigint references orgs (id),
  source text not null references funding_sources (code),
  amount bigint not null check (amount >= 0),
  confidence char(1) not null default 'C' check (confidence in ('C', 'P', 'U')),
  source_ref text check (length(source_ref) <= 1000),
  note text check (length(note) <= 2000),
  unique nulls not distinct (programme_id, province_id, source)
);

create function programmes_touch() returns trigger
language plpgsql as $$
begin
  new.updated_at := now();
  return new;
end $$;

create trigger programmes_touch before update on programmes
  for each row execute function programmes_touch();

-- An approved local programme is the People's Committee's decision: it no
-- longer changes (a new one is drafted for a change). National programmes
-- stay correctable by the Ministry: their seeded figures are partial.
create function programme_targets_guard() returns trigger
language plpgsql as $$
declare
  v programmes;
begin
  select * into v from programmes where id = coalesce(new.programme_id, old.programme_id);
  if v.scope = 'local' and v.status = 'approved' then
    raise exception 'an approved local programme is not changed' using errcode = 'KC010';
  end if;
  return coalesce(new, old);
end $$;

create trigger programme_targets_guard before insert or update or delete on programme_targets
  for each row execute function programme_targets_guard();
create trigger programme_budgets_guard before insert or update or delete on programme_budgets
  for each row execute function programme_targets_guard();

-- ---------------------------------------------------------------------------
-- Seed: the national programmes with the targets DOMAIN §4 found.
-- ---------------------------------------------------------------------------
insert into programmes (period_code, scope, title, status, decision_no, decision_date, issuer,
                        note, confidence, source_ref)
select code, 'national', name_vi, 'approved', decision, decision_date, issuer, note, confidence,
       'DOMAIN §4'
  from programme_periods;

insert into programme_targets (programme_id, indicator, target, confidence, source_ref, note)
select p.id, t.indicator, t.target, t.confidence, t.source_ref, t.note
  from programmes p
  join (values
    -- QĐ 1881/QĐ-TTg, 2021–2025 (DOMAIN §4.2): the list may be incomplete
    ('KCQG-2021-2025', 'I04', 340::bigint, 'C', 'QĐ 1881/QĐ-TTg [S18][S19]',
     'Xây dựng mô hình trình diễn kỹ thuật; chuyển giao công nghệ'),
    ('KCQG-2021-2025', 'I05', 1600, 'C', 'QĐ 1881/QĐ-TTg [S18][S19]',
     '1.600 máy móc thiết bị tiên tiến; chỉ tiêu riêng 300 dây chuyền công nghệ tiên tiến [C] không cộng vào đây'),
    ('KCQG-2021-2025', 'I10', 350, 'P', 'QĐ 1881/QĐ-TTg theo báo chí [S18]',
     'Hỗ trợ cơ sở CNNT xây dựng, đăng ký nhãn hiệu sản phẩm'),
    ('KCQG-2021-2025', 'I07', 300, 'P', 'QĐ 1881/QĐ-TTg theo báo chí [S18]',
     '300 cơ sở đánh giá sản xuất sạch hơn; 100 mô hình thí điểm [P] không cộng vào đây'),
    ('KCQG-2021-2025', 'I16', 50, 'P', 'QĐ 1881/QĐ-TTg theo báo chí [S18]',
     'Sửa chữa, nâng cấp hệ thống xử lý ô nhiễm môi trường cho cơ sở CNNT'),
    ('KCQG-2021-2025', 'I15', 50, 'P', 'QĐ 1881/QĐ-TTg theo báo chí [S18]',
     '50 quy hoạch chi tiết CCN; khoảng 60 hệ thống xử lý ô nhiễm CCN [P] không cộng vào đây'),
    ('KCQG-2021-2025', 'I01', 10000, 'P', 'QĐ 1881/QĐ-TTg theo báo chí [S18]',
     'Đào tạo nghề nghiệp theo nhu cầu cơ sở CNNT'),
    -- QĐ 1288/QĐ-TTg, to 2020: draft figures from the Cục's site, not the
    -- decision's final text (DOMAIN §4.1)
    ('KCQG-2014-2020', 'I01', 300000, 'U', 'Dự thảo chương trình trên trang Cục [S21]',
     'Khoảng 300.000 lao động được đào tạo cho cơ sở CNNT (số liệu dự thảo)'),
    ('KCQG-2014-2020', 'I03', 30000, 'U', 'Dự thảo chương trình trên trang Cục [S21]',
     'Khoảng 30.000 học viên khởi sự, quản lý (số liệu dự thảo)'),
    ('KCQG-2014-2020', 'I04', 400, 'U', 'Dự thảo chương trình trên trang Cục [S21]',
     '400 mô hình trình diễn (số liệu dự thảo)'),
    ('KCQG-2014-2020', 'I06', 800, 'U', 'Dự thảo chương trình trên trang Cục [S21]',
     'Máy móc, chuyển giao công nghệ cho 800 cơ sở (số liệu dự thảo)'),
    ('KCQG-2014-2020', 'I15', 215, 'U', 'Dự thảo chương trình trên trang Cục [S21]',
     'Quy hoạch chi tiết, hạ tầng, xử lý nước thải cho 215 CCN (số liệu dự thảo)')
  ) as t (period_code, indicator, target, confidence, source_ref, note)
    on t.period_code = p.period_code and p.scope = 'national';

-- 8,500 bn VND of the draft QĐ 1288 programme is not split by funding
-- source in any text found, so it is in the programme's note, not here.
update programmes
   set note = coalesce(note || ' ', '') || 'Kinh phí dự thảo 8.500 tỷ đồng (5.000 tỷ hoạt động khuyến công, 3.500 tỷ trụ sở, trang thiết bị trung tâm) chưa phân theo nguồn [U].'
 where period_code = 'KCQG-2014-2020' and scope = 'national';

-- ---------------------------------------------------------------------------
-- Helpers
-- ---------------------------------------------------------------------------
-- A province's name inside a sentence: "Tỉnh Phú Thọ" → "tỉnh Phú Thọ".
create function kc_org_name_inline(p_name text) returns text
language sql immutable as $$
  select regexp_replace(regexp_replace(p_name, '^Tỉnh ', 'tỉnh '), '^Thành phố ', 'thành phố ')
$$;

create function kc_programme_visible(v programmes, p_scope bigint) returns boolean
language sql stable as $$
  select v.scope = 'national' or p_scope is null or v.org_id in (select org_scope(p_scope))
$$;

create function kc_programme_json(p_id bigint, p_full boolean) returns jsonb
language sql stable as $$
  select jsonb_build_object(
           'id', v.id, 'period', v.period_code, 'from_year', pp.from_year, 'to_year', pp.to_year,
           'scope', v.scope, 'org_id', v.org_id, 'org_name', o.name, 'title', v.title,
           'status', v.status, 'decision_no', v.decision_no, 'decision_date', v.decision_date,
           'issuer', v.issuer, 'note', v.note, 'confidence', v.confidence,
           'source_ref', v.source_ref, 'approved_by', v.approved_by,
           'approved_at', kc_instant(v.approved_at), 'version', v.version,
           'created_by', v.created_by, 'created_at', kc_instant(v.created_at),
           'updated_at', kc_instant(v.updated_at),
           'target_count', (select count(*) from programme_targets t where t.programme_id = v.id))
         || case when not p_full then '{}'::jsonb else jsonb_build_object(
           'targets', coalesce((select jsonb_agg(jsonb_build_object(
                        'province_id', t.province_id, 'province_name', po.name,
                        'indicator', t.indicator, 'name', i.name_vi, 'unit', i.unit_vi,
                        'target', t.target, 'confidence', t.confidence,
                        'source_ref', t.source_ref, 'note', t.note)
                        order by t.province_id nulls first, t.indicator)
                        from programme_targets t join indicators i on i.code = t.indicator
                        left join orgs po on po.id = t.province_id
                       where t.programme_id = v.id), '[]'::jsonb),
           'budget', coalesce((select jsonb_agg(jsonb_build_object(
                        'province_id', b.province_id, 'province_name', po.name,
                        'source', b.source, 'amount', b.amount, 'confidence', b.confidence,
                        'source_ref', b.source_ref, 'note', b.note)
                        order by b.province_id nulls first, fs.sort)
                        from programme_budgets b join funding_sources fs on fs.code = b.source
                        left join orgs po on po.id = b.province_id
                       where b.programme_id = v.id), '[]'::jsonb)) end
    from programmes v join programme_periods pp on pp.code = v.period_code
    left join orgs o on o.id = v.org_id
   where v.id = p_id
$$;

-- The programme for a write: locked; an error (1004, 1003, 1009, 1010) or null.
create function kc_programme_write_check(v programmes, p_found boolean, p_role text, p_scope bigint,
                                         p jsonb, p_statuses text[]) returns jsonb
language sql stable as $$
  select case
    when not p_found or not kc_programme_visible(v, p_scope) then kc_err(1004, 'no such programme')
    when v.scope = 'national' and p_role not in ('ministry_approver', 'admin') then
      kc_err(1003, 'the national programme is kept by the Ministry')
    when v.scope = 'local' and p_scope is null then
      kc_err(1003, 'a local programme is built by its province')
    else kc_record_check('programme', true, v.version, (p->>'version')::integer, v.status, p_statuses)
  end
$$;

-- ---------------------------------------------------------------------------
-- programme.list {period?, scope?, org_id?, status?, limit, cursor}
-- ---------------------------------------------------------------------------
create function kc_programme_list(p_scope bigint, p jsonb) returns jsonb
language sql stable as $$
  with lim as (select coalesce((p->>'limit')::integer, 100) as n),
  page as (
    select v.id from programmes v
     where kc_programme_visible(v, p_scope)
       and (p->>'cursor' is null or v.id > (p->>'cursor')::bigint)
       and (p->>'period' is null or v.period_code = p->>'period')
       and (p->>'scope' is null or v.scope = p->>'scope')
       and (p->>'status' is null or v.status = p->>'status')
       and (p->>'org_id' is null or v.org_id in (select org_scope((p->>'org_id')::bigint)))
     order by v.id limit (select n from lim) + 1),
  shown as (select id from page order by id limit (select n from lim))
  select coalesce(kc_org_filter_err(p_scope, p), jsonb_build_object('result', jsonb_build_object(
    'items', coalesce((select jsonb_agg(kc_programme_json(id, false) order by id) from shown), '[]'::jsonb),
    'next_cursor', case when (select count(*) from page) > (select n from lim)
                        then (select max(id) from shown)::text end)))
$$;

-- programme.get {id}
create function kc_programme_get(p_scope bigint, p jsonb) returns jsonb
language sql stable as $$
  select coalesce(
    (select jsonb_build_object('result', kc_programme_json(v.id, true)) from programmes v
      where v.id = (p->>'id')::bigint and kc_programme_visible(v, p_scope)),
    kc_err(1004, 'no such programme'))
$$;

-- ---------------------------------------------------------------------------
-- programme.create {period, scope, org_id?, title?, note?}
-- national: the Ministry (approver, admin), one per period; local: a
-- province's user for its own province (org_id: the province or any of its
-- bodies), one per period and province. Created as a draft.
-- ---------------------------------------------------------------------------
create function kc_programme_create(p_user bigint, p_username text, p_peer text, p_role text,
                                    p_scope bigint, p jsonb) returns jsonb
language plpgsql as $$
declare
  pp programme_periods;
  v_scope text := p->>'scope';
  v_org bigint;
  v_id bigint;
  v_after jsonb;
begin
  if v_scope = 'national' then
    if p_role not in ('ministry_approver', 'admin') then
      return kc_err(1003, 'the national programme is kept by the Ministry');
    end if;
    if p ? 'org_id' then
      return kc_rule_err('org_id', 'national', 'a national programme belongs to no province');
    end if;
  else
    if p_scope is null then
      return kc_err(1003, 'a local programme is built by its province');
    end if;
    v_org := kc_scope_root(coalesce((p->>'org_id')::bigint, p_scope));
    if v_org is null or v_org not in (select org_scope(p_scope)) then
      return kc_err(1004, 'no such organisation');
    end if;
  end if;
  select * into pp from programme_periods where code = p->>'period';
  if not found then
    return kc_rule_err('period', 'exists', 'no such programme period');
  end if;
  if exists (select 1 from programmes where period_code = pp.code and scope = v_scope
                                       and org_id is not distinct from v_org) then
    return kc_rule_err('period', 'unique', format('there is already a %s programme for %s', v_scope, pp.code));
  end if;
  insert into programmes (period_code, scope, org_id, title, note, created_by)
  values (pp.code, v_scope, v_org,
          coalesce(p->>'title', case when v_scope = 'national' then pp.name_vi
                                     else format('Chương trình khuyến công %s giai đoạn %s–%s',
                                                 kc_org_name_inline((select name from orgs where id = v_org)),
                                                 pp.from_year, pp.to_year) end),
          p->>'note', p_user)
  returning id into v_id;
  v_after := kc_programme_json(v_id, true);
  perform kc_audit(p_user, p_username, p_peer, 'programme.create', 'programme', v_id, null, v_after);
  return jsonb_build_object('result', v_after);
end $$;

-- ---------------------------------------------------------------------------
-- programme.update {id, version, title?, note?, decision_no?, decision_date?,
--                   issuer?, confidence?, source_ref?}
-- ---------------------------------------------------------------------------
create function kc_programme_update(p_user bigint, p_username text, p_peer text, p_role text,
                                    p_scope bigint, p jsonb) returns jsonb
language plpgsql as $$
declare
  v programmes;
  v_found boolean;
  v_err jsonb;
  v_before jsonb;
  v_after jsonb;
begin
  select * into v from programmes where id = (p->>'id')::bigint for update;
  v_found := found;
  v_err := kc_programme_write_check(v, v_found, p_role, p_scope, p,
                                    case when v.scope = 'national' then array['draft', 'approved']
                                         else array['draft'] end);
  if v_err is not null then
    return v_err;
  end if;
  v_before := kc_programme_json(v.id, true);
  update programmes
     set title = coalesce(p->>'title', title),
         note = case when p ? 'note' then p->>'note' else note end,
         decision_no = case when p ? 'decision_no' then p->>'decision_no' else decision_no end,
         decision_date = case when p ? 'decision_date' then (p->>'decision_date')::date else decision_date end,
         issuer = case when p ? 'issuer' then p->>'issuer' else issuer end,
         confidence = coalesce(p->>'confidence', confidence),
         source_ref = case when p ? 'source_ref' then p->>'source_ref' else source_ref end,
         version = version + 1
   where id = v.id;
  v_after := kc_programme_json(v.id, true);
  perform kc_audit(p_user, p_username, p_peer, 'programme.update', 'programme', v.id, v_before, v_after);
  return jsonb_build_object('result', v_after);
end $$;

-- ---------------------------------------------------------------------------
-- programme.set_targets {id, version, targets?: [{indicator, target,
--   province_id?, confidence?, source_ref?, note?}], budget?: [{source,
--   amount, province_id?, confidence?, source_ref?, note?}]}
-- Each list given replaces the programme's whole list. province_id: a
-- province's share of a national programme; a local programme's rows
-- belong to its own province (given or not).
-- ---------------------------------------------------------------------------
create function kc_programme_set_targets(p_user bigint, p_username text, p_peer text, p_role text,
                                         p_scope bigint, p jsonb) returns jsonb
language plpgsql as $$
declare
  v programmes;
  v_found boolean;
  v_err jsonb;
  v_viol jsonb;
  v_before jsonb;
  v_after jsonb;
begin
  select * into v from programmes where id = (p->>'id')::bigint for update;
  v_found := found;
  v_err := kc_programme_write_check(v, v_found, p_role, p_scope, p,
                                    case when v.scope = 'national' then array['draft', 'approved']
                                         else array['draft'] end);
  if v_err is not null then
    return v_err;
  end if;
  select coalesce(jsonb_agg(x order by n), '[]'::jsonb) into v_viol from (
    select i as n, kc_violation(format('targets[%s].indicator', i - 1), 'exists', 'no such indicator') as x
      from jsonb_array_elements(coalesce(p->'targets', '[]')) with ordinality t (e, i)
     where not exists (select 1 from indicators c where c.code = e->>'indicator')
    union all
    select 1000 + i, kc_violation(format('budget[%s].source', i - 1), 'exists', 'no such funding source')
      from jsonb_array_elements(coalesce(p->'budget', '[]')) with ordinality t (e, i)
     where not exists (select 1 from funding_sources c where c.code = e->>'source')
    union all
    select 2000 + i, kc_violation(format('%s[%s].province_id', l, i - 1), 'province',
                                  case when v.scope = 'local' then 'a local programme has targets of its own province only'
                                       else 'province_id is a province' end)
      from (select 'targets' as l, e, i from jsonb_array_elements(coalesce(p->'targets', '[]')) with ordinality t (e, i)
            union all
            select 'budget', e, i from jsonb_array_elements(coalesce(p->'budget', '[]')) with ordinality t (e, i)) y
     where e ? 'province_id'
       and ((v.scope = 'local' and (e->>'province_id')::bigint <> v.org_id)
            or not exists (select 1 from orgs o where o.id = (e->>'province_id')::bigint and o.kind = 'province'))
    union all
    select 3000, kc_violation('targets', 'unique', 'an indicator is given twice for the same province')
     where exists (select 1 from jsonb_array_elements(coalesce(p->'targets', '[]')) e
                    group by e->>'indicator', e->>'province_id' having count(*) > 1)
    union all
    select 3001, kc_violation('budget', 'unique', 'a funding source is given twice for the same province')
     where exists (select 1 from jsonb_array_elements(coalesce(p->'budget', '[]')) e
                    group by e->>'source', e->>'province_id' having count(*) > 1)) z;
  if jsonb_array_length(v_viol) > 0 then
    return kc_err(1022, v_viol->0->>'message', jsonb_build_object('violations', v_viol));
  end if;
  v_before := kc_programme_json(v.id, true);
  if p ? 'targets' then
    delete from programme_targets where programme_id = v.id;
    insert into programme_targets (programme_id, province_id, indicator, target, confidence, source_ref, note)
    select v.id, case when v.scope = 'local' then null else (e->>'province_id')::bigint end,
           e->>'indicator', (e->>'target')::bigint, coalesce(e->>'confidence', 'C'),
           e->>'source_ref', e->>'note'
      from jsonb_array_elements(p->'targets') e;
  end if;
  if p ? 'budget' then
    delete from programme_budgets where programme_id = v.id;
    insert into programme_budgets (programme_id, province_id, source, amount, confidence, source_ref, note)
    select v.id, case when v.scope = 'local' then null else (e->>'province_id')::bigint end,
           e->>'source', (e->>'amount')::bigint, coalesce(e->>'confidence', 'C'),
           e->>'source_ref', e->>'note'
      from jsonb_array_elements(p->'budget') e;
  end if;
  update programmes set version = version + 1 where id = v.id;
  v_after := kc_programme_json(v.id, true);
  perform kc_audit(p_user, p_username, p_peer, 'programme.set_targets', 'programme', v.id, v_before, v_after);
  return jsonb_build_object('result', v_after);
end $$;

-- ---------------------------------------------------------------------------
-- programme.approve {id, version, decision_no, decision_date, issuer?}
-- A local programme: the province_leader records the People's Committee's
-- decision; a national one: the ministry_approver records the decision.
-- ---------------------------------------------------------------------------
create function kc_programme_approve(p_user bigint, p_username text, p_peer text, p_role text,
                                     p_scope bigint, p jsonb) returns jsonb
language plpgsql as $$
declare
  v programmes;
  v_found boolean;
  v_err jsonb;
  v_before jsonb;
  v_after jsonb;
begin
  select * into v from programmes where id = (p->>'id')::bigint for update;
  v_found := found;
  if v_found and kc_programme_visible(v, p_scope)
     and ((v.scope = 'local' and p_role <> 'province_leader')
          or (v.scope = 'national' and p_role <> 'ministry_approver')) then
    return kc_err(1003, case when v.scope = 'local' then 'a local programme is approved by the province leader'
                             else 'a national programme is approved by the Ministry' end);
  end if;
  v_err := kc_programme_write_check(v, v_found, p_role, p_scope, p, array['draft']);
  if v_err is not null then
    return v_err;
  end if;
  v_before := kc_programme_json(v.id, true);
  update programmes
     set status = 'approved', decision_no = p->>'decision_no',
         decision_date = (p->>'decision_date')::date,
         issuer = coalesce(p->>'issuer', issuer,
                           case when v.scope = 'local' then 'Ủy ban nhân dân '
                                  || kc_org_name_inline((select name from orgs where id = v.org_id)) end),
         approved_by = p_user, approved_at = now(), version = version + 1
   where id = v.id;
  v_after := kc_programme_json(v.id, true);
  perform kc_audit(p_user, p_username, p_peer, 'programme.approve', 'programme', v.id, v_before, v_after);
  return jsonb_build_object('result', v_after);
end $$;
