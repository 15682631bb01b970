-- 0041_programme_comments.sql — issue 15's programme points and issue 17's
-- programme code:
--
--   programme_comments   the provinces' comments on the Ministry's draft
--                        national programme ("the province proposes its local
--                        programme and comments on the Ministry's draft
--                        national one"; the Cục's 2020 notice asked the
--                        provinces to comment on the draft 2021–2025
--                        programme, DOMAIN §4.1): one or several per
--                        province, kept (no update, no delete), only while
--                        the national programme is a draft (trigger)
--   programme.comment    {programme_id, text}: a province officer or leader
--   programme.comments   {programme_id, limit?, cursor?}: the Ministry reads
--                        every province's, a province its own only
--   programmes.code      a programme's own code: the national one keeps its
--                        period's ("KCQG-2026-2030"), a local one is
--                        "KCĐP-<the province's official code>-<from>-<to>"
--                        (KCĐP: khuyến công địa phương, DOMAIN §0.2/§2.12;
--                        the 2-digit code of QĐ 124/2004 or QĐ 19/2025 of
--                        the province, DOMAIN §6), e.g. "KCĐP-25-2026-2030";
--                        set by a trigger, existing rows given theirs here
--   programme_budgets.year  envelopes per (year, source): year null is an
--                        envelope for the whole period not split by year.
--                        The existing rows keep year null: no text found
--                        splits them by year (DOMAIN §4), and spreading them
--                        evenly would invent yearly figures. A year is within
--                        the programme's period (trigger, and 1022 from
--                        programme.set_targets)
--   province shares      a programme's province_id (targets, envelopes) is a
--                        province of a map in force at some time during the
--                        programme's period: a 2021–2025 programme is shared
--                        among the 63 provinces (and the 34 of July 2025 on),
--                        a 2026–2030 one among the 34 only
--   events               topic "programme" (id the programme, status
--                        "commented") when a province comments: to the
--                        Ministry and that province; topic "round" (id the
--                        round, status "opened") when a round opens: to the
--                        Ministry and every province that has a report in it
--
-- Replaces (older bodies renamed, not copied): kc_programme_json (0029's
-- kept as kc_programme_json_0029); programme.set_targets' body is
-- kc_programme_set_targets_0041 (0019's stays, unused), called by the 0029
-- wrapper kc_programme_set_targets, replaced; kc_audit_record_name (0040's
-- kept as kc_audit_record_name_0040) names a comment by its programme and
-- province.

-- ---------------------------------------------------------------------------
-- The programme's own code
-- ---------------------------------------------------------------------------
alter table programmes add column code text;

create function kc_programme_code(p_period text, p_scope text, p_org bigint) returns text
language sql stable as $$
  select case when p_scope = 'national' then p_period
              else format('KCĐP-%s-%s-%s', (select province_code from orgs where id = p_org),
                          pp.from_year, pp.to_year) end
    from programme_periods pp where pp.code = p_period
$$;

create function programmes_code() returns trigger
language plpgsql as $$
begin
  new.code := kc_programme_code(new.period_code, new.scope, new.org_id);
  return new;
end $$;

create trigger programmes_code before insert or update of period_code, scope, org_id, code on programmes
  for each row execute function programmes_code();

-- (giving the existing rows their code is not a change of the programme:
-- no decision, no new updated_at)
alter table programmes disable trigger programmes_touch;
alter table programmes disable trigger programmes_decision;
update programmes set code = kc_programme_code(period_code, scope, org_id);
alter table programmes enable trigger programmes_decision;
alter table programmes enable trigger programmes_touch;

alter table programmes alter column code set not null,
  add constraint programmes_code_scope check (
    (scope = 'national' and code ~ '^KCQG-[0-9]{4}-[0-9]{4}$')
    or (scope = 'local' and code ~ '^KCĐP-[0-9]{2}-[0-9]{4}-[0-9]{4}$'));

-- The provinces' comments (their functions below)
create table programme_comments (
  id bigint generated always as identity primary key,
  programme_id bigint not null references programmes (id),
  -- the commenting province (orgs.kind = 'province')
  org_id bigint not null references orgs (id),
  text text not null check (length(btrim(text)) between 1 and 20000),
  created_by bigint not null references users (id),
  created_at timestamptz not null default now()
);
create index programme_comments_programme_idx on programme_comments (programme_id, org_id, id);

-- ---------------------------------------------------------------------------
-- Envelopes per year and source
-- ---------------------------------------------------------------------------
alter table programme_budgets add column year integer check (year between 2014 and 2100);
alter table programme_budgets drop constraint programme_budgets_programme_id_province_id_source_key;
alter table programme_budgets
  add constraint programme_budgets_key unique nulls not distinct (programme_id, province_id, year, source);

-- A share's province exists during the period; an envelope's year is in it.
create function kc_programme_province_fits(p_programme bigint, p_org bigint) returns boolean
language sql stable as $$
  select exists (select 1 from orgs o, programmes v join programme_periods pp on pp.code = v.period_code
                  where v.id = p_programme and o.id = p_org and o.kind = 'province'
                    and o.valid_from <= make_date(pp.to_year, 12, 31)
                    and coalesce(o.valid_to, 'infinity'::date) >= make_date(pp.from_year, 1, 1))
$$;

create function programme_shares_guard() returns trigger
language plpgsql as $$
declare
  v_period programme_periods;
begin
  if new.province_id is not null and not kc_programme_province_fits(new.programme_id, new.province_id) then
    raise exception 'a programme is shared among the provinces of its period'
      using errcode = 'KC022';
  end if;
  -- (programme_targets has no year: new.year is read for envelopes only)
  if tg_table_name = 'programme_budgets' then
    if new.year is not null then
      select x.* into v_period from programmes v join programme_periods x on x.code = v.period_code
       where v.id = new.programme_id;
      if new.year not between v_period.from_year and v_period.to_year then
        raise exception 'an envelope''s year is within the programme''s period' using errcode = 'KC022';
      end if;
    end if;
  end if;
  return new;
end $$;

create trigger programme_targets_shares before insert or update on programme_targets
  for each row execute function programme_shares_guard();
create trigger programme_budgets_shares before insert or update on programme_budgets
  for each row execute function programme_shares_guard();

alter function kc_programme_json(bigint, boolean) rename to kc_programme_json_0029;

create function kc_programme_json(p_id bigint, p_full boolean) returns jsonb
language sql stable as $$
  select kc_programme_json_0029(p_id, p_full)
         || jsonb_build_object('code', v.code,
                               'comment_count', (select count(*) from programme_comments c
                                                  where c.programme_id = v.id))
         || case when not p_full then '{}'::jsonb else jsonb_build_object(
           'budget', coalesce((select jsonb_agg(jsonb_build_object(
                        'province_id', b.province_id, 'province_name', po.name, 'year', b.year,
                        'source', b.source, 'amount', b.amount, 'confidence', b.confidence,
                        'source_ref', b.source_ref, 'note', b.note)
                        order by b.province_id nulls first, b.year nulls first, fs.sort)
                        from programme_budgets b join funding_sources fs on fs.code = b.source
                        left join orgs po on po.id = b.province_id
                       where b.programme_id = v.id), '[]'::jsonb)) end
    from programmes v where v.id = p_id
$$;

-- ---------------------------------------------------------------------------
-- programme.set_targets {id, version, targets?, budget?: [{source, amount,
--   year?, province_id?, confidence?, source_ref?, note?}], decision?}
-- As 0019's, with the envelope's year and the period's provinces.
-- ---------------------------------------------------------------------------
create function kc_programme_set_targets_0041(p_user bigint, p_username text, p_peer text, p_role text,
                                              p_scope bigint, p jsonb) returns jsonb
language plpgsql as $$
declare
  v programmes;
  pp programme_periods;
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
  select * into pp from programme_periods where code = v.period_code;
  select coalesce(jsonb_agg(x order by n), '[]'::jsonb) into v_viol from (
    select i as n, kc_violation(format('targets[%s].indicator', i - 1), 'exists', 'no such indicator') as x
      from jsonb_array_elements(coalesce(p->'targets', '[]')) with ordinality t (e, i)
     where not exists (select 1 from indicators c where c.code = e->>'indicator')
    union all
    select 1000 + i, kc_violation(format('budget[%s].source', i - 1), 'exists', 'no such funding source')
      from jsonb_array_elements(coalesce(p->'budget', '[]')) with ordinality t (e, i)
     where not exists (select 1 from funding_sources c where c.code = e->>'source')
    union all
    select 1500 + i, kc_violation(format('budget[%s].year', i - 1), 'period',
                                  format('the year is within the programme''s period %s–%s',
                                         pp.from_year, pp.to_year))
      from jsonb_array_elements(coalesce(p->'budget', '[]')) with ordinality t (e, i)
     where e ? 'year' and (e->>'year')::integer not between pp.from_year and pp.to_year
    union all
    select 2000 + i, kc_violation(format('%s[%s].province_id', l, i - 1), 'province',
                                  case when v.scope = 'local' then 'a local programme has targets of its own province only'
                                       else 'province_id is a province of the programme''s period' end)
      from (select 'targets' as l, e, i from jsonb_array_elements(coalesce(p->'targets', '[]')) with ordinality t (e, i)
            union all
            select 'budget', e, i from jsonb_array_elements(coalesce(p->'budget', '[]')) with ordinality t (e, i)) y
     where e ? 'province_id'
       and ((v.scope = 'local' and (e->>'province_id')::bigint <> v.org_id)
            or (v.scope = 'national' and not kc_programme_province_fits(v.id, (e->>'province_id')::bigint))
            or not exists (select 1 from orgs o where o.id = (e->>'province_id')::bigint and o.kind = 'province'))
    union all
    select 3000, kc_violation('targets', 'unique', 'an indicator is given twice for the same province')
     where exists (select 1 from jsonb_array_elements(coalesce(p->'targets', '[]')) e
                    group by e->>'indicator', e->>'province_id' having count(*) > 1)
    union all
    select 3001, kc_violation('budget', 'unique', 'a funding source is given twice for the same province and year')
     where exists (select 1 from jsonb_array_elements(coalesce(p->'budget', '[]')) e
                    group by e->>'source', e->>'province_id', e->>'year' having count(*) > 1)) z;
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
    insert into programme_budgets (programme_id, province_id, year, source, amount, confidence, source_ref, note)
    select v.id, case when v.scope = 'local' then null else (e->>'province_id')::bigint end,
           (e->>'year')::integer, e->>'source', (e->>'amount')::bigint, coalesce(e->>'confidence', 'C'),
           e->>'source_ref', e->>'note'
      from jsonb_array_elements(p->'budget') e;
  end if;
  update programmes set version = version + 1 where id = v.id;
  v_after := kc_programme_json(v.id, true);
  perform kc_audit(p_user, p_username, p_peer, 'programme.set_targets', 'programme', v.id, v_before, v_after);
  return jsonb_build_object('result', v_after);
end $$;

create or replace function kc_programme_set_targets(p_user bigint, p_username text, p_peer text, p_role text,
                                                    p_scope bigint, p jsonb) returns jsonb
language sql as $$
  select kc_programme_change('kc_programme_set_targets_0041', 'programme.set_targets', p_user, p_username,
                             p_peer, p_role, p_scope, p)
$$;

-- ---------------------------------------------------------------------------
-- The provinces' comments on a draft national programme
-- ---------------------------------------------------------------------------
create function programme_comments_guard() returns trigger
language plpgsql as $$
declare
  v programmes;
begin
  if tg_op <> 'INSERT' then
    raise exception 'a programme''s comments are kept as they were sent' using errcode = 'KC010';
  end if;
  select * into v from programmes where id = new.programme_id;
  if v.scope <> 'national' or v.status <> 'draft' then
    raise exception 'only a draft national programme is commented on' using errcode = 'KC010';
  end if;
  if not exists (select 1 from orgs where id = new.org_id and kind = 'province') then
    raise exception 'a comment comes from a province' using errcode = 'KC022';
  end if;
  return new;
end $$;

create trigger programme_comments_guard before insert or update or delete on programme_comments
  for each row execute function programme_comments_guard();

create function programme_comments_event() returns trigger
language plpgsql as $$
begin
  perform kc_event_notify_org('programme', new.programme_id, 'commented',
                              (select version from programmes where id = new.programme_id),
                              new.org_id, true);
  return null;
end $$;

create trigger programme_comments_event after insert on programme_comments
  for each row execute function programme_comments_event();

create function kc_programme_comment_json(c programme_comments) returns jsonb
language sql stable as $$
  select jsonb_build_object('id', c.id, 'programme_id', c.programme_id, 'org_id', c.org_id,
                            'org_name', (select name from orgs where id = c.org_id), 'text', c.text,
                            'created_by', c.created_by,
                            'author', (select full_name from users where id = c.created_by),
                            'created_at', kc_instant(c.created_at))
$$;

-- programme.comment {programme_id, text}: a province's officer or leader, on
-- the national programme while it is a draft.
create function kc_programme_comment(p_user bigint, p_username text, p_peer text, p_role text,
                                     p_scope bigint, p jsonb) returns jsonb
language plpgsql as $$
declare
  v programmes;
  c programme_comments;
  v_province bigint;
  v_after jsonb;
begin
  select * into v from programmes where id = (p->>'programme_id')::bigint for share;
  if not found or not kc_programme_visible(v, p_scope) then
    return kc_err(1004, 'no such programme');
  end if;
  v_province := kc_scope_root(p_scope);
  if p_scope is null or v_province is null
     or p_role not in ('province_officer', 'province_leader') then
    return kc_err(1003, 'the draft national programme is commented on by the provinces');
  end if;
  if v.scope <> 'national' then
    return kc_rule_err('programme_id', 'national', 'only the Ministry''s national programme is commented on');
  end if;
  if v.status <> 'draft' then
    return kc_err(1010, 'the programme is no longer a draft', jsonb_build_object('status', v.status));
  end if;
  if btrim(coalesce(p->>'text', '')) = '' then
    return kc_rule_err('text', 'required', 'a comment has some text');
  end if;
  insert into programme_comments (programme_id, org_id, text, created_by)
  values (v.id, v_province, btrim(p->>'text'), p_user)
  returning * into c;
  v_after := kc_programme_comment_json(c);
  perform kc_audit(p_user, p_username, p_peer, 'programme.comment', 'programme_comment', c.id, null, v_after);
  return jsonb_build_object('result', v_after);
end $$;

-- programme.comments {programme_id, org_id?, limit?, cursor?}: the Ministry
-- (and viewers of its side) every province's, a province its own only.
create function kc_programme_comments(p_scope bigint, p jsonb) returns jsonb
language sql stable as $$
  with v as (select * from programmes where id = (p->>'programme_id')::bigint),
  lim as (select coalesce((p->>'limit')::integer, 100) as n),
  page as (
    select c.* from programme_comments c, v
     where c.programme_id = v.id
       and (p_scope is null or c.org_id in (select org_scope(p_scope))
            or c.org_id = kc_scope_root(p_scope))
       and (p->>'org_id' is null or c.org_id = (p->>'org_id')::bigint)
       and (p->>'cursor' is null or c.id > (p->>'cursor')::bigint)
     order by c.id limit (select n from lim) + 1),
  shown as (select * from page order by id limit (select n from lim))
  select case when not exists (select 1 from v where kc_programme_visible(v, p_scope))
              then kc_err(1004, 'no such programme')
              else jsonb_build_object('result', jsonb_build_object(
    'items', coalesce((select jsonb_agg(kc_programme_comment_json(s::programme_comments) order by s.id)
                         from shown s), '[]'::jsonb),
    'next_cursor', case when (select count(*) from page) > (select n from lim)
                        then (select max(id) from shown)::text end)) end
$$;

-- ---------------------------------------------------------------------------
-- A round opens: the Ministry and every province with a report in it
-- ---------------------------------------------------------------------------
create function rounds_event() returns trigger
language plpgsql as $$
begin
  insert into event_outbox (payload) values (json_build_object(
    'topic', 'round', 'id', new.id, 'status', 'opened', 'version', new.version,
    'at', kc_instant(clock_timestamp()), 'provinces', '[]'::json, 'ministry', true)::text);
  return null;
end $$;

create trigger rounds_event after insert on rounds
  for each row execute function rounds_event();

create function round_reports_opened_event() returns trigger
language plpgsql as $$
begin
  perform kc_event_notify_org('round', new.round_id, 'opened', 1, new.org_id, false);
  return null;
end $$;

create trigger round_reports_opened_event after insert on round_reports
  for each row execute function round_reports_opened_event();

-- audit.list's record_name of a comment: the programme and the province
-- (0040's kept as kc_audit_record_name_0040).
alter function kc_audit_record_name(text, bigint) rename to kc_audit_record_name_0040;

create function kc_audit_record_name(p_type text, p_id bigint) returns text
language sql stable as $$
  select case p_type
    when 'programme_comment' then (select v.title || ' — ' || o.name from programme_comments c
                                     join programmes v on v.id = c.programme_id
                                     join orgs o on o.id = c.org_id where c.id = p_id)
    else kc_audit_record_name_0040(p_type, p_id) end
$$;
