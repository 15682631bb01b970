-- 0040_agency_management.sql — the managing agency's own management
-- spending within C23 (issue 14; DOMAIN §2.7 and §3.4 row C23: "Cơ quan
-- quản lý kinh phí khuyến công được sử dụng tối đa 1,5% kinh phí khuyến
-- công do cấp có thẩm quyền giao hàng năm để hỗ trợ xây dựng các chương
-- trình, đề án, kiểm tra, giám sát, nghiệm thu", TTLT 26/2014/TTLT-BTC-BCT
-- Art. 6.2; the value under TT 28/2018 is the support_caps row C23 in force).
--
-- What the agency spends on programme building, inspection, supervision,
-- appraisal and acceptance is recorded (agency_management_spending): the
-- Ministry (ministry_approver) from the national funds (source central, the
-- Ministry's appropriation, province_id 0), a province's leader from its own
-- local funds (source local, its province's appropriation). The limit is
-- the C23 share (pct_cap, on the day spent) of that year's appropriation of
-- that scope and source; what was spent plus this never exceeds it:
--   budget.record_management refuses it (1022 amount/management_limit,
--   data {limit, spent, max, pct, appropriation, ...}), or records it with
--   a warning while the C23 row in force is unconfirmed (confidence U), as
--   C24 does (0031);
--   a trigger refuses the same row whoever writes it (KC023), unless the
--   row in force is unconfirmed.
-- budget.management {year} lists a scope's spending with its limit, and
-- budget.summary gains `management` (the same figures) for the page.
-- Rows are never changed or deleted, as payments are not.

create table agency_management_spending (
  id bigint generated always as identity primary key,
  -- the appropriation it is counted against: 0 the Ministry's national
  -- funds, else the province's local funds (as appropriations.province_id)
  province_id bigint not null,
  -- the agency that spent it (the writer's organisation)
  org_id bigint not null references orgs (id),
  year integer not null check (year between 2014 and 2100),
  source text not null references funding_sources (code),
  amount bigint not null check (amount > 0),
  purpose text not null check (length(purpose) between 1 and 2000),
  voucher_no text not null check (length(voucher_no) between 1 and 100),
  spent_on date not null,
  recorded_by bigint not null references users (id),
  recorded_at timestamptz not null default now(),
  foreign key (year, source, province_id) references appropriations (year, source, province_id),
  check ((source = 'local') = (province_id <> 0)),
  check (extract(year from spent_on) = year)
);
create index agency_management_spending_scope_idx
  on agency_management_spending (year, source, province_id);

create trigger agency_management_spending_fixed before update or delete on agency_management_spending
  for each row execute function allocations_fixed();
create trigger agency_management_spending_no_truncate before truncate on agency_management_spending
  for each statement execute function allocations_fixed();

-- The C23 row in force on a day.
create function kc_management_cap(p_on date) returns support_caps
language sql stable as $$
  select * from support_caps
   where cap_code = 'C23' and kc_valid_on(valid_from, valid_to, p_on)
   order by valid_from desc limit 1
$$;

-- The management figures of a scope's year and source, on a day (the cap
-- in force then): {year, source, province_id, appropriated, pct, limit,
-- spent, remaining, confidence, legal_act, cap_id}. Limit null: no C23
-- percentage in force.
create function kc_management_figures(p_year integer, p_source text, p_province bigint, p_on date)
returns jsonb
language sql stable as $$
  select jsonb_build_object(
    'year', p_year, 'source', p_source, 'province_id', nullif(p_province, 0),
    'appropriated', coalesce(a.amount, 0),
    'pct', c.pct_cap,
    'limit', floor(coalesce(a.amount, 0) * c.pct_cap / 100)::bigint,
    'spent', s.spent,
    'remaining', greatest(floor(coalesce(a.amount, 0) * c.pct_cap / 100)::bigint - s.spent, 0),
    'confidence', c.confidence, 'legal_act', c.legal_act, 'cap_id', c.id)
    from (select 1) one
    left join appropriations a on a.year = p_year and a.source = p_source and a.province_id = p_province
    left join kc_management_cap(p_on) c on true
    cross join lateral (select coalesce(sum(m.amount), 0)::bigint as spent
                          from agency_management_spending m
                         where m.year = p_year and m.source = p_source and m.province_id = p_province) s
$$;

-- The day the summary's limit is read on: today within the year, else its
-- first or last day.
create function kc_management_day(p_year integer) returns date
language sql stable as $$
  select least(greatest(current_date, make_date(p_year, 1, 1)), make_date(p_year, 12, 31))
$$;

-- Whoever writes: never above the C23 share of the appropriation (unless
-- the C23 row in force is unconfirmed). The appropriation row is locked, so
-- two writers of one scope are serialised.
create function agency_management_spending_limit() returns trigger
language plpgsql as $$
declare
  a appropriations;
  c support_caps := kc_management_cap(new.spent_on);
  v_spent bigint;
  v_limit bigint;
begin
  select * into a from appropriations
   where year = new.year and source = new.source and province_id = new.province_id for update;
  if c.id is null or c.pct_cap is null or c.confidence = 'U' then
    return new;
  end if;
  v_limit := floor(coalesce(a.amount, 0) * c.pct_cap / 100);
  select coalesce(sum(amount), 0) into v_spent from agency_management_spending
   where year = new.year and source = new.source and province_id = new.province_id;
  if v_spent + new.amount > v_limit then
    raise exception 'the agency''s management spending of % (source %, province %) would be % đồng, above % %% of the appropriation: at most % đồng (C23)',
      new.year, new.source, new.province_id, v_spent + new.amount, c.pct_cap, v_limit
      using errcode = 'KC023';
  end if;
  return new;
end $$;

create trigger agency_management_spending_limit before insert on agency_management_spending
  for each row execute function agency_management_spending_limit();

create function kc_management_json(m agency_management_spending) returns jsonb
language sql stable as $$
  select to_jsonb(m) - 'recorded_at' - 'province_id'
         || jsonb_build_object('province_id', nullif(m.province_id, 0),
                               'recorded_at', kc_instant(m.recorded_at),
                               'org_name', (select name from orgs where id = m.org_id))
$$;

-- Who records which funds: the Ministry's approver the national (central)
-- funds, a province's leader its local funds. An error or null.
create function kc_management_writer_err(p_role text, p_scope bigint, p_source text) returns jsonb
language sql immutable as $$
  select case
    when p_scope is null and p_role <> 'ministry_approver' then
      kc_err(1003, 'the Ministry''s management spending is recorded by its approver')
    when p_scope is null and p_source <> 'central' then
      kc_err(1003, 'the Ministry records its management spending from the national funds (source central); a province records its own local funds')
    when p_scope is not null and p_role <> 'province_leader' then
      kc_err(1003, 'a province''s management spending is recorded by its leader')
    when p_scope is not null and p_source <> 'local' then
      kc_err(1003, 'a province records management spending from its own local funds only (source local)')
  end
$$;

-- ---------------------------------------------------------------------------
-- budget.record_management {year, source?, amount, purpose, voucher_no, spent_on}
-- ---------------------------------------------------------------------------
create function kc_budget_record_management(p_user bigint, p_username text, p_peer text, p_role text,
                                            p_scope bigint, p jsonb) returns jsonb
language plpgsql as $$
declare
  v_year integer := (p->>'year')::integer;
  v_source text := coalesce(p->>'source', case when p_scope is null then 'central' else 'local' end);
  v_owner bigint := coalesce(p_scope, 0);
  v_amount bigint := (p->>'amount')::bigint;
  v_on date := (p->>'spent_on')::date;
  v_err jsonb;
  a appropriations;
  c support_caps;
  f jsonb;
  m agency_management_spending;
  v_limit bigint;
  v_spent bigint;
  v_msg text;
  v_warnings jsonb := '[]'::jsonb;
begin
  v_err := kc_management_writer_err(p_role, p_scope, v_source);
  if v_err is not null then
    return v_err;
  end if;
  if extract(year from v_on) <> v_year then
    return kc_rule_err('spent_on', 'year', format('the spending of %s is dated in %s', v_year, v_year),
                       jsonb_build_object('year', v_year));
  end if;
  if v_on > current_date then
    return kc_rule_err('spent_on', 'future', 'management spending is recorded once spent, not before');
  end if;
  select * into a from appropriations
   where year = v_year and source = v_source and province_id = v_owner for update;
  if a.year is null then
    return kc_rule_err('year', 'appropriation_missing',
                       format('no appropriation of %s (%s) is set: the management limit is a share of it', v_year,
                              v_source),
                       jsonb_build_object('limit', 0, 'spent', 0, 'max', 0));
  end if;
  c := kc_management_cap(v_on);
  f := kc_management_figures(v_year, v_source, v_owner, v_on);
  v_spent := (f->>'spent')::bigint;
  v_limit := (f->>'limit')::bigint;
  if v_limit is not null and v_spent + v_amount > v_limit then
    v_msg := format('the agency''s management spending would be %s đồng, above %s %% of the %s appropriation of %s đồng: %s spent, at most %s đồng more (C23, %s)%s',
                    v_spent + v_amount, c.pct_cap, v_year, a.amount, v_spent, greatest(v_limit - v_spent, 0),
                    c.legal_act,
                    case when c.confidence = 'U' then '; this cap value is unconfirmed (confidence U)' else '' end);
    if c.confidence <> 'U' then
      return kc_rule_err('amount', 'management_limit', v_msg,
                         jsonb_build_object('limit', v_limit, 'spent', v_spent,
                                            'max', greatest(v_limit - v_spent, 0),
                                            'pct', c.pct_cap, 'appropriation', a.amount, 'amount', v_amount,
                                            'cap_id', c.id, 'legal_act', c.legal_act));
    end if;
    v_warnings := jsonb_build_array(kc_violation('amount', 'management_limit', v_msg)
                                    || jsonb_build_object('data', jsonb_build_object(
                                         'limit', v_limit, 'spent', v_spent,
                                         'max', greatest(v_limit - v_spent, 0), 'pct', c.pct_cap,
                                         'appropriation', a.amount, 'amount', v_amount)));
  end if;
  insert into agency_management_spending (province_id, org_id, year, source, amount, purpose, voucher_no,
                                          spent_on, recorded_by)
  values (v_owner, (select org_id from users where id = p_user), v_year, v_source,
          v_amount, p->>'purpose', p->>'voucher_no', v_on, p_user)
  returning * into m;
  perform kc_audit(p_user, p_username, p_peer, 'budget.record_management', 'management_spending', m.id,
                   null, kc_management_json(m));
  return jsonb_build_object('result', kc_management_json(m)
                                      || jsonb_build_object('management',
                                           kc_management_figures(v_year, v_source, v_owner, v_on),
                                           'warnings', v_warnings));
end $$;

-- ---------------------------------------------------------------------------
-- budget.management {year, province_id?}: a scope's management spending
-- and its limit. The Ministry's roles read the national funds' (or, with
-- province_id, a province's local funds'); a province's roles their own.
-- ---------------------------------------------------------------------------
create function kc_budget_management(p_scope bigint, p jsonb) returns jsonb
language plpgsql stable as $$
declare
  v_year integer := (p->>'year')::integer;
  v_owner bigint;
  v_source text;
begin
  if p ? 'province_id' then
    v_owner := kc_scope_root((p->>'province_id')::bigint);
    if v_owner is null or (p_scope is not null and v_owner <> p_scope) then
      return kc_err(1004, 'no such province');
    end if;
  else
    v_owner := coalesce(p_scope, 0);
  end if;
  v_source := case when v_owner = 0 then 'central' else 'local' end;
  return jsonb_build_object('result',
    kc_management_figures(v_year, v_source, v_owner, kc_management_day(v_year))
    || jsonb_build_object('rows', coalesce((select jsonb_agg(kc_management_json(m) order by m.spent_on, m.id)
                                              from agency_management_spending m
                                             where m.year = v_year and m.source = v_source
                                               and m.province_id = v_owner), '[]'::jsonb)));
end $$;

-- budget.summary with the caller's management figures (the Ministry: the
-- national funds; a province: its local funds).
alter function kc_budget_summary(bigint, jsonb) rename to kc_budget_summary_0035;

create function kc_budget_summary(p_scope bigint, p jsonb) returns jsonb
language plpgsql stable as $$
declare
  v_res jsonb := kc_budget_summary_0035(p_scope, p);
  v_year integer := (p->>'year')::integer;
begin
  if v_res->'result' is null then
    return v_res;
  end if;
  return jsonb_set(v_res, '{result,management}',
                   kc_management_figures(v_year, case when p_scope is null then 'central' else 'local' end,
                                         coalesce(p_scope, 0), kc_management_day(v_year)));
end $$;

-- audit.list names the record
alter function kc_audit_record_name(text, bigint) rename to kc_audit_record_name_0035;

create function kc_audit_record_name(p_type text, p_id bigint) returns text
language sql stable as $$
  select case p_type
    when 'management_spending' then (select m.voucher_no || ' — ' || left(m.purpose, 80)
                                       from agency_management_spending m where m.id = p_id)
    else kc_audit_record_name_0035(p_type, p_id) end
$$;
