-- 0046_management_appropriation.sql — two gaps left by 0040 (issue 14,
-- C23: the managing agency's own management spending at most 1.5 % of the
-- year's appropriation, TTLT 26/2014/TTLT-BTC-BCT Art. 6.2):
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
