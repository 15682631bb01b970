-- 0046_management_appropriation.sql — what a point-by-point check of
-- issue 14 found still open: two gaps left by 0040 (C23: the managing
-- agency's own management spending at most 1.5 % of the year's
-- appropriation, TTLT 26/2014/TTLT-BTC-BCT Art. 6.2), 1. and 2.; and three
-- places that did not follow point 7's rules yet: deadline.overdue (3.)
-- and the home page (5.) counted a monthly report late from the 26th, and
-- the typical-product priority was taken on 1 January, not on the
-- registration (4.).
--
-- 1. An appropriation is not lowered below what the year's recorded
--    management spending needs: with spending S recorded against (year,
--    source, scope) and the C23 row in force on the day of the latest
--    spending confirmed (C or P), the new amount A must keep
--    floor(A × pct / 100) ≥ S. budget.set_appropriation refuses it
--    (1022 amount/management_spent, data {spent, pct, min_amount, cap_id,
--    legal_act}), nothing written; the trigger
--    appropriations_management_floor refuses the same change whoever
--    writes (KC023). While that C23 row is unconfirmed (U) the change is
--    accepted with a warning, as 0040 records spending above it.
-- 2. Live updates of the Budget page: topic `budget`, sent when an
--    appropriation's amount is set (status `appropriation`, version the
--    appropriation's) and when management spending is recorded (status
--    `management`, version null); `id` is the year. To the Ministry always
--    (it reads the provinces' local budgets), and for a province's local
--    funds to that province (and the province it was merged into).

-- The least appropriation the recorded spending of (year, source, scope)
-- needs, with the C23 row it is taken from (in force on the latest day
-- spent): {spent, pct, min_amount, confidence, cap_id, legal_act}, or null
-- when nothing is spent or no C23 percentage is in force.
create function kc_management_floor(p_year integer, p_source text, p_province bigint) returns jsonb
language sql stable as $$
  select case when s.spent > 0 and c.pct_cap is not null and c.pct_cap > 0 then
    jsonb_build_object('spent', s.spent, 'pct', c.pct_cap,
                       'min_amount', ceil(s.spent * 100 / c.pct_cap)::bigint,
                       'confidence', c.confidence, 'cap_id', c.id, 'legal_act', c.legal_act)
  end
    from (select coalesce(sum(m.amount), 0)::bigint as spent, max(m.spent_on) as last_on
            from agency_management_spending m
           where m.year = p_year and m.source = p_source and m.province_id = p_province) s
    left join lateral kc_management_cap(s.last_on) c on true
$$;

create function appropriations_management_floor() returns trigger
language plpgsql as $$
declare
  f jsonb;
begin
  if new.amount >= old.amount then
    return new;
  end if;
  f := kc_management_floor(new.year, new.source, new.province_id);
  if f is not null and f->>'confidence' <> 'U' and new.amount < (f->>'min_amount')::bigint then
    raise exception 'the appropriation of % (source %, province %) cannot be % đồng: % đồng of management spending are recorded against it, at most % %% of it (C23): at least % đồng',
      new.year, new.source, new.province_id, new.amount, f->>'spent', f->>'pct', f->>'min_amount'
      using errcode = 'KC023';
  end if;
  return new;
end $$;

create trigger appropriations_management_floor before update of amount on appropriations
  for each row execute function appropriations_management_floor();

-- ---------------------------------------------------------------------------
-- budget.set_appropriation: 0025's (scope 1003, version 1009, allocated
-- 1022 first), then the C23 floor: the trigger's refusal is answered as
-- 1022 amount/management_spent with its figures, and 0025's writes (the
-- row, its audit) are undone with it.
-- ---------------------------------------------------------------------------
create function kc_management_floor_err(p_year integer, p_source text, p_province bigint, p_amount bigint)
returns jsonb
language plpgsql stable as $$
declare
  f jsonb := kc_management_floor(p_year, p_source, p_province);
begin
  if f is null or p_amount >= (f->>'min_amount')::bigint then
    return null;
  end if;
  return kc_rule_err('amount', 'management_spent',
                     format('%s đồng of management spending are recorded against the %s appropriation, at most %s %% of it (C23, %s): it must be at least %s đồng%s',
                            f->>'spent', p_year, f->>'pct', f->>'legal_act', f->>'min_amount',
                            case when f->>'confidence' = 'U' then '; this cap value is unconfirmed (confidence U)'
                                 else '' end),
                     jsonb_build_object('spent', (f->>'spent')::bigint, 'pct', (f->'pct'),
                                        'min_amount', (f->>'min_amount')::bigint, 'amount', p_amount,
                                        'cap_id', (f->>'cap_id')::bigint, 'legal_act', f->>'legal_act'));
end $$;

alter function kc_budget_set_appropriation(bigint, text, text, text, bigint, jsonb)
  rename to kc_budget_set_appropriation_0025;

create function kc_budget_set_appropriation(p_user bigint, p_username text, p_peer text, p_role text,
                                            p_scope bigint, p jsonb) returns jsonb
language plpgsql as $$
declare
  v_year integer := (p->>'year')::integer;
  v_amount bigint := (p->>'amount')::bigint;
  v_owner bigint := coalesce(p_scope, 0);
  v_res jsonb;
  v_err jsonb;
begin
  begin
    v_res := kc_budget_set_appropriation_0025(p_user, p_username, p_peer, p_role, p_scope, p);
  exception when sqlstate 'KC023' then
    -- the floor of a confirmed C23 row (the trigger): nothing is written
    return coalesce(kc_management_floor_err(v_year, p->>'source', v_owner, v_amount),
                    kc_rule_err('amount', 'management_spent', sqlerrm));
  end;
  if v_res->'result' is null then
    return v_res;
  end if;
  -- below the floor of an unconfirmed C23 row: written, with a warning
  v_err := kc_management_floor_err(v_year, p->>'source', v_owner, v_amount);
  return jsonb_set(v_res, '{result,warnings}',
                   coalesce(v_err->'error'->'data'->'violations', '[]'::jsonb));
end $$;

-- ---------------------------------------------------------------------------
-- Topic `budget` (see the head).
-- ---------------------------------------------------------------------------
create function appropriations_event() returns trigger
language plpgsql as $$
begin
  if new.amount is distinct from old.amount or new.version is distinct from old.version then
    perform kc_event_notify_org('budget', new.year, 'appropriation', new.version,
                                nullif(new.province_id, 0), true);
  end if;
  return null;
end $$;

create trigger appropriations_event after update of amount, version on appropriations
  for each row execute function appropriations_event();

create function agency_management_spending_event() returns trigger
language plpgsql as $$
begin
  perform kc_event_notify_org('budget', new.year, 'management', null, nullif(new.province_id, 0), true);
  return null;
end $$;

create trigger agency_management_spending_event after insert on agency_management_spending
  for each row execute function agency_management_spending_event();

-- ---------------------------------------------------------------------------
-- 3. deadline.overdue as the calendar rule says (issue 14 point 7): a
--    month's progress report is due before the 25th (TT 36/2013 Art.
--    23.3.a; kc_progress_due, the day the report becomes late, 0025), so a
--    missing one is listed from the 25th itself, one day late (0028 listed
--    it from the 26th); a settlement dossier is no longer listed once it is
--    submitted (settlement_dossiers, 0025), late or not. Otherwise 0028's
--    function unchanged (kept as kc_overdue_items_0028).
-- ---------------------------------------------------------------------------
alter function kc_overdue_items(bigint, date) rename to kc_overdue_items_0028;

create function kc_overdue_items(p_scope bigint, p_today date)
returns table (kind text, org_id bigint, plan_id bigint, project_id bigint, project_code text,
               correspondence_id bigint, period date, due date, days_late integer, responsible text)
language sql stable as $$
  with scope_orgs as materialized (
    select s.id from org_scope(p_scope) s (id) where p_scope is not null),
  vplans as materialized (
    select pl.id, pl.org_id, pl.year, pl.scope, kc_scope_root(pl.org_id) as province
      from plans pl
     where (p_scope is null and (pl.scope = 'local' or pl.status not in ('draft', 'submitted')))
        or (p_scope is not null and pl.org_id in (select id from scope_orgs))),
  vis as (
    select pr.id, pr.code, pr.status, pr.start_date, pr.end_date, pr.kind, v.id as plan_id,
           v.year, v.scope, v.province
      from vplans v join projects pr on pr.plan_id = v.id
     where pr.status in ('approved', 'in_progress', 'completed')),
  months as (
    select v.*, m::date as period
      from vis v left join project_kinds k on k.code = v.kind,
      generate_series(greatest(make_date(v.year, 1, 1), date_trunc('month', v.start_date)::date),
                      least(date_trunc('month', coalesce(v.end_date,
                              make_date(v.year + coalesce(k.max_years, 1) - 1 + kc_project_extension(v.id), 12, 31))),
                            date_trunc('month', p_today)),
                      interval '1 month') m
     where v.status in ('approved', 'in_progress')),
  -- every plan (either scope, any status) of the scope, with its province
  plan_provinces as materialized (
    select pl.year, pl.scope, pl.status, kc_scope_root(pl.org_id) as province
      from plans pl
     where p_scope is null or pl.org_id in (select id from scope_orgs)),
  owed as (select distinct province, year from plan_provinces),
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
    select distinct pp.province, y.year, kc_calendar_due('registration_deadline', y.year) as due
      from plan_provinces pp
     cross join (values (extract(year from p_today)::integer),
                        (extract(year from p_today)::integer + 1)) as y (year)
     where pp.year in (y.year - 1, y.year)),
  forwarded as (
    select distinct pl.year, kc_scope_root(pl.org_id) as province
      from plans pl
     where pl.scope = 'national' and pl.status in ('forwarded', 'approved')
       and pl.year between extract(year from p_today)::integer and extract(year from p_today)::integer + 1),
  accepted as (
    select v.*, a.accepted_on,
           greatest(v.year + case when exists (select 1 from project_adjustments x
                                                where x.project_id = v.id and x.type = 'extend_next_year'
                                                  and x.status = 'approved')
                                       or exists (select 1 from plan_decision_items i
                                                   where i.project_id = v.id and i.action = 'extend')
                                  then 1 else 0 end,
                    coalesce((select max(c.to_year) from carry_overs c where c.project_id = v.id), v.year))
             as last_year
      from vis v left join project_acceptances a on a.project_id = v.id
     where v.scope = 'national' and v.status = 'completed'),
  -- the due day of each month once, not on each of a hundred thousand rows
  month_dues as materialized (
    select x.period, kc_progress_due(x.period) as due from (select distinct period from months) x)
  -- due before the month's 25th (kc_progress_due): late on the 25th itself, one day
  select 'progress_report', m.province, m.plan_id, m.id, m.code, null::bigint, m.period,
         d.due, p_today - d.due + 1, 'province'
    from months m join month_dues d on d.period = m.period
   where p_today >= d.due
     and not exists (select 1 from project_progress_reports r where r.project_id = m.id and r.period = m.period)
  union all
  select 'settlement_dossier', a.province, a.plan_id, a.id, a.code, null, null,
         a.accepted_on + kc_deadline_setting('settlement_dossier_days'),
         p_today - (a.accepted_on + kc_deadline_setting('settlement_dossier_days')), 'province'
    from accepted a
   where a.accepted_on is not null
     and p_today > a.accepted_on + kc_deadline_setting('settlement_dossier_days')
     -- a dossier submitted (late or not, budget.submit_settlement) is no longer missing
     and not exists (select 1 from settlement_dossiers sd where sd.project_id = a.id)
  union all
  -- 22/01 after the last year the project runs in (extended, carried over)
  select 'settlement', a.province, a.plan_id, a.id, a.code, null, null, d.due, p_today - d.due, 'province'
    from accepted a,
    lateral (select coalesce(kc_calendar_due('settlement_deadline', a.last_year),
                             make_date(a.last_year + 1, 1, 22)) as due) d
   where p_today > d.due
  union all
  select 'correspondence', c.org_id, c.plan_id, c.project_id, null, c.id, null,
         kc_correspondence_due(c), p_today - kc_correspondence_due(c), 'ministry'
    from correspondence c
   where c.status = 'open' and (p_scope is null or c.org_id in (select id from scope_orgs))
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
     and not exists (select 1 from forwarded f where f.year = g.year and f.province = g.province)
$$;

-- ---------------------------------------------------------------------------
-- 4. The typical-product priority as of the registration (issue 14 point 7,
--    DOMAIN §6.4: an entitlement is judged on the day of the event,
--    registration or appraisal): a beneficiary's certificate counts when it
--    is valid on the project's rules day (kc_rules_day, 0031: the plan's
--    base appraisal, else its submission, else today for a draft — never
--    after 1 January of the plan year), as the caps are; 0008 took 1
--    January of the plan year, so a certificate issued after the
--    registration could still lift a registered project's cap. 0045's body
--    is kept as kc_project_typical_certificates_0045.
-- ---------------------------------------------------------------------------
alter function kc_project_typical_certificates(bigint) rename to kc_project_typical_certificates_0045;

-- As 0045's (the beneficiaries' tax codes first, none → at once; the plan
-- by key), on the rules day instead of 1 January.
create function kc_project_typical_certificates(p_id bigint) returns jsonb
language plpgsql stable as $$
declare
  v_on date;
begin
  if not exists (select 1 from project_beneficiaries b
                  where b.project_id = p_id and b.tax_code is not null) then
    return '[]'::jsonb;
  end if;
  select kc_rules_day(pl) into v_on
    from projects pr join plans pl on pl.id = pr.plan_id where pr.id = p_id;
  return (
  select coalesce(jsonb_agg(jsonb_build_object('id', t.id, 'certificate_no', t.certificate_no,
                                               'level', t.level, 'year', t.year,
                                               'product_name', t.product_name,
                                               'tax_code', t.tax_code,
                                               'valid_until', t.valid_until) order by t.id),
                  '[]'::jsonb)
    from typical_products t
   where t.tax_code in (select b.tax_code from project_beneficiaries b
                         where b.project_id = p_id and b.tax_code is not null)
     and kc_certificate_valid(t, v_on));
end $$;

-- kc_project_typical (0045's body replaced: a pure predicate) on the same day.
create or replace function kc_project_typical(p_id bigint) returns boolean
language plpgsql stable as $$
declare
  v_on date;
begin
  if not exists (select 1 from project_beneficiaries b
                  where b.project_id = p_id and b.tax_code is not null) then
    return false;
  end if;
  select kc_rules_day(pl) into v_on
    from projects pr join plans pl on pl.id = pr.plan_id where pr.id = p_id;
  return exists (
    select 1 from typical_products t
     where t.tax_code in (select b.tax_code from project_beneficiaries b
                           where b.project_id = p_id and b.tax_code is not null)
       and kc_certificate_valid(t, v_on));
end $$;

-- ---------------------------------------------------------------------------
-- 5. The home page as 3.: a monthly progress report's item (`progress_due`,
--    `progress_returned`, due_on the month's 25th, the day it becomes late)
--    is overdue on the 25th itself, one day late, as deadline.overdue now
--    says. Otherwise 0028's kc_inbox_list unchanged (kept as
--    kc_inbox_list_0028).
-- ---------------------------------------------------------------------------
alter function kc_inbox_list(bigint, text, text, text, bigint, jsonb) rename to kc_inbox_list_0028;

create function kc_inbox_list(p_user bigint, p_username text, p_peer text, p_role text,
                              p_scope bigint, p jsonb) returns jsonb
language plpgsql stable set jit = off set plan_cache_mode = force_custom_plan as $$
declare
  v_today date := kc_today();
  v_orgs bigint[] := case when p_scope is not null then array(select org_scope(p_scope)) end;
  v_seen timestamptz := (select s.seen_at from inbox_seen s where s.user_id = p_user);
  v_since timestamptz := coalesce((p->>'since')::timestamptz, v_seen, now() - interval '7 days');
  v_limit integer := coalesce((p->>'limit')::integer, 100);
  v_offset bigint := coalesce((p->>'cursor')::bigint, 0);
  v_kinds text[] := kc_report_list(p->'kinds');
  v_unknown text;
begin
  select k into v_unknown from unnest(v_kinds) k where k not in (select kind from inbox_kinds) limit 1;
  if v_unknown is not null then
    return kc_err(1022, format('no such kind: %s', v_unknown),
                  jsonb_build_object('violations', jsonb_build_array(
                    kc_violation('kinds', 'exists', format('no such kind: %s', v_unknown)))));
  end if;
  return (
  with items as (
    select i.*, k.sort, k.name_vi,
           -- a monthly progress report is due before the 25th (its due_on): late on it
           i.due_on is not null
             and (v_today > i.due_on
                  or (i.kind in ('progress_due', 'progress_returned') and v_today = i.due_on)) as overdue,
           coalesce(i.since > v_since, false) as is_new
      from kc_inbox_items(p_user, p_role, p_scope, v_orgs, v_today) i join inbox_kinds k on k.kind = i.kind
     where v_kinds is null or i.kind = any (v_kinds)),
  top as (
    select * from items
     order by overdue desc, due_on nulls last, sort, since desc nulls last, ref_id, kind, detail::text
     offset v_offset limit v_limit),
  -- the province of each plan organisation shown, once per organisation
  prov as (
    select o.plan_org, kc_scope_root(o.plan_org) as org
      from (select distinct plan_org from top where plan_org is not null) o),
  shown as (
    select t.*, p.org from top t left join prov p on p.plan_org = t.plan_org),
  ch as (
    select c.*, kc_scope_root(c.plan_org) as org
      from kc_inbox_changes(p_user, p_scope, v_orgs, v_since, 50) c
     order by c.at desc limit 50)
  select jsonb_build_object('result', jsonb_build_object(
    'as_of', kc_inbox_instant(now()), 'today', v_today, 'since', kc_inbox_instant(v_since),
    'seen_at', kc_inbox_instant(v_seen),
    'items', coalesce((select jsonb_agg(jsonb_build_object(
                         'kind', s.kind, 'kind_name', s.name_vi, 'title', s.title, 'due_on', s.due_on,
                         'overdue', s.overdue,
                         'days_late', case when s.overdue then v_today - s.due_on
                                             + case when s.kind in ('progress_due', 'progress_returned')
                                                    then 1 else 0 end end,
                         'ref', jsonb_build_object('type', s.ref_type, 'id', s.ref_id),
                         'org_id', s.org, 'org_name', (select o.name from orgs o where o.id = s.org),
                         'plan_id', s.plan_id, 'project_id', s.project_id, 'code', s.code,
                         'since', kc_inbox_instant(s.since), 'new', s.is_new, 'sent_back', s.sent_back,
                         'detail', s.detail)
                         order by s.overdue desc, s.due_on nulls last, s.sort, s.since desc nulls last,
                                  s.ref_id, s.kind, s.detail::text)
                         from shown s), '[]'::jsonb),
    'total', (select count(*) from items),
    'next_cursor', case when (select count(*) from items) > v_offset + v_limit
                        then (v_offset + v_limit)::text end,
    'counts', jsonb_build_object(
                'by_kind', coalesce((select jsonb_object_agg(x.kind, x.n)
                                       from (select kind, count(*) as n from items group by kind) x),
                                    '{}'::jsonb),
                'overdue', (select count(*) from items where overdue),
                'sent_back', (select count(*) from items where sent_back),
                'new', (select count(*) from items where is_new)),
    'changes', coalesce((select jsonb_agg(jsonb_build_object(
                           'at', kc_instant(c.at), 'ref', jsonb_build_object('type', c.ref_type, 'id', c.ref_id),
                           'org_id', c.org, 'code', c.code, 'title', c.title,
                           'from_status', c.from_status, 'to_status', c.to_status, 'to_stage', c.to_stage,
                           'actor_role', c.actor_role, 'comment', c.comment) order by c.at desc)
                           from ch c), '[]'::jsonb))));
end $$;
