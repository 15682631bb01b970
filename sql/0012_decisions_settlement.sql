-- 0012_decisions_settlement.sql — the Minister's decision approving the
-- year's national plan and its amending decisions (issue 4, "Ministry
-- appraisal", last bullet), and settlement (quyết toán) with its deadlines,
-- the return of the unspent allocation to the appropriation and carry-over
-- to the next year (issue 4, "Budget", settlement bullet).
--
-- Sources (DOMAIN.md): §2.11 step 10 (Minister approves the annual KCQG
-- plan, TT 36/2013 Art. 8.3), step 17 (extension to the next year) and 18
-- (cancellation, Art. 11.2.a); §2.8 and §2.11 steps 22–23 (settlement
-- dossier ≤ 15 days after acceptance, settlement ≤ 22/01 of N+1, TT 36/2013
-- Art. 18, 19; Mẫu 8b records the counterpart).
--
--   plan_decisions       one 'approval' per year; 'amendment's point to the
--                        decision they amend (amends_id)
--   plan_decision_items  per decision and project: approve | add | extend |
--                        cancel
--   settlements          one per project: date, record number, deadlines,
--                        what was paid, what returned, what is to recover
--   settlement_amounts   the settled amount per funding source (counterpart
--                        included, Mẫu 8b)
--   budget_releases      the unspent central allocation returned to its
--                        appropriation at settlement
--   carry_overs          unspent allocation carried into a later year
--
-- THE LEDGER WITH RELEASES. allocations stay append-only and positive
-- (0011). A release is a row of its own: the trigger budget_releases_account
-- lowers appropriations.allocated by its amount under the same row lock the
-- allocators take, so the released money can be allocated again at once,
-- and CHECK (allocated >= 0) / (allocated <= amount) still hold.
-- kc_budget_check_ledger() is redefined below to compare allocated with
-- SUM(allocations) − SUM(budget_releases) of its (year, source): the
-- invariant it checks is the same (the running total equals its rows and
-- never exceeds the appropriation), only the rows now include releases.
--
-- Every function follows 0005: one statement; scope (1004) → role (1003) →
-- version (1009) → status (1010) → rules (1022); kc_actor_set for the
-- project triggers; kc_audit last.

-- ---------------------------------------------------------------------------
-- Transitions: the plan decision moves an appraised project to plan_approved
-- ---------------------------------------------------------------------------
insert into project_transitions (from_status, to_status, to_stage, role, scope, action, legal_basis)
values
  ('approved', 'approved', 'plan_approved', 'ministry_approver', 'national',
   'decision.approve_plan / decision.amend add', 'TT 36/2013 Art. 8.3; NĐ 45/2012 Art. 2.2')
on conflict do nothing;

-- ---------------------------------------------------------------------------
-- Decisions
-- ---------------------------------------------------------------------------
create table plan_decisions (
  id bigint generated always as identity primary key,
  year integer not null check (year between 2014 and 2100),
  number text not null unique check (length(number) between 1 and 100),
  signed_on date not null,
  signer text not null check (length(signer) between 1 and 300),
  kind text not null check (kind in ('approval', 'amendment')),
  amends_id bigint references plan_decisions (id),
  note text check (length(note) <= 20000),
  decided_by bigint not null references users (id),
  decided_at timestamptz not null default now(),
  check ((kind = 'approval') = (amends_id is null))
);
-- one approval decision of the national plan per year
create unique index plan_decisions_approval_idx on plan_decisions (year) where kind = 'approval';

create table plan_decision_items (
  decision_id bigint not null references plan_decisions (id),
  project_id bigint not null references projects (id),
  action text not null check (action in ('approve', 'add', 'extend', 'cancel')),
  primary key (decision_id, project_id)
);
create index plan_decision_items_project_idx on plan_decision_items (project_id);

create trigger plan_decisions_fixed before update or delete on plan_decisions
  for each row execute function allocations_fixed();
create trigger plan_decision_items_fixed before update or delete on plan_decision_items
  for each row execute function allocations_fixed();

-- The decision with its items the caller may see (a province: its own
-- projects only).
create function kc_decision_json(p_id bigint, p_scope bigint) returns jsonb
language sql stable as $$
  select jsonb_build_object(
           'id', d.id, 'year', d.year, 'number', d.number, 'signed_on', d.signed_on,
           'signer', d.signer, 'kind', d.kind, 'amends_id', d.amends_id, 'note', d.note,
           'decided_by', d.decided_by, 'decided_at', kc_instant(d.decided_at),
           'items', coalesce((select jsonb_agg(jsonb_build_object(
                                 'project_id', i.project_id, 'action', i.action, 'code', pr.code,
                                 'title', pr.title, 'status', pr.status, 'stage', pr.stage)
                               order by pr.code)
                                from plan_decision_items i join projects pr on pr.id = i.project_id
                                join plans pl on pl.id = pr.plan_id
                               where i.decision_id = d.id
                                 and kc_plan_visible(pl.org_id, pl.scope, pl.status, p_scope)),
                             '[]'::jsonb))
    from plan_decisions d where d.id = p_id
$$;

-- Is the project in the year's national plan (approved or added, and not
-- cancelled since)?
create function kc_decision_in_plan(p_project bigint) returns boolean
language sql stable as $$
  select exists (select 1 from plan_decision_items where project_id = p_project
                                                      and action in ('approve', 'add'))
     and not exists (select 1 from plan_decision_items where project_id = p_project
                                                          and action = 'cancel')
$$;

-- Checks the items of a decision before anything is written. @p_items:
-- [{project_id, action}]. Returns an error (1004 / 1010 / 1022 with
-- data.project_ids) or null.
create function kc_decision_check(p_year integer, p_items jsonb) returns jsonb
language plpgsql as $$
declare
  it jsonb;
  pr projects;
  pl plans;
  v_missing bigint[] := '{}';
  v_status bigint[] := '{}';
  v_year bigint[] := '{}';
  v_plan bigint[] := '{}';
  v_id bigint;
  v_action text;
begin
  if (select count(distinct (x->>'project_id')) from jsonb_array_elements(p_items) x)
     <> jsonb_array_length(p_items) then
    return kc_rule_err('project_ids', 'unique', 'a project is listed once per decision');
  end if;
  for it in select * from jsonb_array_elements(p_items) loop
    v_id := (it->>'project_id')::bigint;
    v_action := it->>'action';
    select * into pr from projects where id = v_id for update;
    if not found then
      v_missing := v_missing || v_id;
      continue;
    end if;
    select * into pl from plans where id = pr.plan_id;
    if not kc_plan_visible(pl.org_id, pl.scope, pl.status, null) then
      v_missing := v_missing || v_id;
    elsif pl.scope <> 'national' or pl.year <> p_year then
      v_year := v_year || v_id;
    elsif v_action in ('approve', 'add') then
      if (pr.status, pr.stage) <> ('approved', 'ministry_appraised') then
        v_status := v_status || v_id;
      end if;
    elsif not kc_decision_in_plan(v_id) then
      v_plan := v_plan || v_id;
    elsif pr.status not in ('approved', 'in_progress') then
      v_status := v_status || v_id;
    end if;
  end loop;
  if cardinality(v_missing) > 0 then
    return kc_err(1004, 'no such project', jsonb_build_object('project_ids', to_jsonb(v_missing)));
  elsif cardinality(v_year) > 0 then
    return kc_rule_err('project_ids', 'year',
                       format('only national projects of %s belong to this decision', p_year),
                       jsonb_build_object('project_ids', to_jsonb(v_year)));
  elsif cardinality(v_plan) > 0 then
    return kc_rule_err('project_ids', 'in_plan', 'only projects of the approved plan are extended or cancelled',
                       jsonb_build_object('project_ids', to_jsonb(v_plan)));
  elsif cardinality(v_status) > 0 then
    return kc_err(1010, 'some projects are not in a state this decision applies to',
                  jsonb_build_object('project_ids', to_jsonb(v_status)));
  end if;
  return null;
end $$;

-- Writes the decision's items and applies them to the projects.
create function kc_decision_apply(p_decision plan_decisions, p_user bigint, p_role text, p_items jsonb)
returns void
language plpgsql as $$
declare
  it jsonb;
  v_id bigint;
begin
  perform kc_actor_set(p_user, p_role, format('QĐ %s', p_decision.number), p_decision.number);
  for it in select * from jsonb_array_elements(p_items) loop
    v_id := (it->>'project_id')::bigint;
    insert into plan_decision_items (decision_id, project_id, action)
    values (p_decision.id, v_id, it->>'action');
    if it->>'action' in ('approve', 'add') then
      update projects set stage = 'plan_approved', version = version + 1 where id = v_id;
    elsif it->>'action' = 'cancel' then
      update projects set status = 'cancelled', stage = 'cancelled', version = version + 1 where id = v_id;
      insert into project_cancellations (project_id, kind, reason, decision_no, decision_date,
                                         cancelled_by, cancelled_role)
      values (v_id, 'cancellation', format('Quyết định sửa đổi %s', p_decision.number),
              p_decision.number, p_decision.signed_on, p_user, p_role);
    end if;
    -- extend: recorded; the money follows with budget.carry_over
  end loop;
end $$;

-- ---------------------------------------------------------------------------
-- decision.approve_plan {year, number, signed_on, signer, project_ids, note?}
-- ---------------------------------------------------------------------------
create function kc_decision_approve_plan(p_user bigint, p_username text, p_peer text, p_role text,
                                         p_scope bigint, p jsonb) returns jsonb
language plpgsql as $$
declare
  d plan_decisions;
  v_err jsonb;
  v_items jsonb;
  v_year integer := (p->>'year')::integer;
begin
  if p_scope is not null then
    return kc_err(1003, 'the national plan is approved by the Ministry');
  end if;
  -- serialises decisions of one year
  perform pg_advisory_xact_lock(hashtext('kc.plan_decision'), v_year);
  if exists (select 1 from plan_decisions where year = v_year and kind = 'approval') then
    return kc_rule_err('year', 'unique', format('the plan of %s is already approved; amend it', v_year));
  end if;
  if exists (select 1 from plan_decisions where number = p->>'number') then
    return kc_rule_err('number', 'unique', 'a decision with this number exists');
  end if;
  select coalesce(jsonb_agg(jsonb_build_object('project_id', x, 'action', 'approve')), '[]')
    into v_items from jsonb_array_elements(p->'project_ids') x;
  v_err := kc_decision_check(v_year, v_items);
  if v_err is not null then
    return v_err;
  end if;
  insert into plan_decisions (year, number, signed_on, signer, kind, note, decided_by)
  values (v_year, p->>'number', (p->>'signed_on')::date, p->>'signer', 'approval', p->>'note', p_user)
  returning * into d;
  perform kc_decision_apply(d, p_user, p_role, v_items);
  perform kc_audit(p_user, p_username, p_peer, 'decision.approve_plan', 'plan_decision', d.id, null,
                   kc_decision_json(d.id, null));
  return jsonb_build_object('result', kc_decision_json(d.id, null));
end $$;

-- ---------------------------------------------------------------------------
-- decision.amend {amends_id, number, signed_on, signer, items:[{project_id, action}], note?}
-- add: an appraised project joins the plan; extend: a project of the plan
-- continues into the next year; cancel: a project of the plan is cancelled
-- (project_cancellations, the decision's number).
-- ---------------------------------------------------------------------------
create function kc_decision_amend(p_user bigint, p_username text, p_peer text, p_role text,
                                  p_scope bigint, p jsonb) returns jsonb
language plpgsql as $$
declare
  base plan_decisions;
  d plan_decisions;
  v_err jsonb;
begin
  if p_scope is not null then
    return kc_err(1003, 'the national plan is amended by the Ministry');
  end if;
  select * into base from plan_decisions where id = (p->>'amends_id')::bigint;
  if not found then
    return kc_err(1004, 'no such decision');
  end if;
  perform pg_advisory_xact_lock(hashtext('kc.plan_decision'), base.year);
  if exists (select 1 from plan_decisions where number = p->>'number') then
    return kc_rule_err('number', 'unique', 'a decision with this number exists');
  end if;
  if (p->>'signed_on')::date < base.signed_on then
    return kc_rule_err('signed_on', 'order', 'an amendment is not signed before the decision it amends');
  end if;
  if exists (select 1 from jsonb_array_elements(p->'items') x where x->>'action' = 'approve') then
    return kc_rule_err('items', 'action', 'an amendment adds, extends or cancels');
  end if;
  v_err := kc_decision_check(base.year, p->'items');
  if v_err is not null then
    return v_err;
  end if;
  insert into plan_decisions (year, number, signed_on, signer, kind, amends_id, note, decided_by)
  values (base.year, p->>'number', (p->>'signed_on')::date, p->>'signer', 'amendment', base.id,
          p->>'note', p_user)
  returning * into d;
  perform kc_decision_apply(d, p_user, p_role, p->'items');
  perform kc_audit(p_user, p_username, p_peer, 'decision.amend', 'plan_decision', d.id, null,
                   kc_decision_json(d.id, null));
  return jsonb_build_object('result', kc_decision_json(d.id, null));
end $$;

-- decision.list {year}: the year's decisions, oldest first, with their items.
create function kc_decision_list(p_scope bigint, p jsonb) returns jsonb
language sql stable as $$
  select jsonb_build_object('result', jsonb_build_object('items',
           coalesce((select jsonb_agg(kc_decision_json(d.id, p_scope) order by d.signed_on, d.id)
                       from plan_decisions d where d.year = (p->>'year')::integer), '[]'::jsonb)))
$$;

-- decision.get {id}
create function kc_decision_get(p_scope bigint, p jsonb) returns jsonb
language sql stable as $$
  select coalesce((select jsonb_build_object('result', kc_decision_json(d.id, p_scope))
                     from plan_decisions d where d.id = (p->>'id')::bigint),
                  kc_err(1004, 'no such decision'))
$$;

-- ---------------------------------------------------------------------------
-- Releases, carry-over, settlement
-- ---------------------------------------------------------------------------
create table budget_releases (
  id bigint generated always as identity primary key,
  project_id bigint not null references projects (id),
  year integer not null,
  source text not null default 'central',
  amount bigint not null check (amount > 0),
  reason text not null,
  released_by bigint not null references users (id),
  released_at timestamptz not null default now(),
  foreign key (year, source) references appropriations (year, source)
);
create index budget_releases_year_idx on budget_releases (year, source);
create index budget_releases_project_idx on budget_releases (project_id);

create function budget_releases_account() returns trigger
language plpgsql as $$
begin
  update appropriations set allocated = allocated - new.amount
   where year = new.year and source = new.source;
  return null;
end $$;

create trigger budget_releases_account after insert on budget_releases
  for each row execute function budget_releases_account();
create trigger budget_releases_fixed before update or delete on budget_releases
  for each row execute function allocations_fixed();

create table carry_overs (
  id bigint generated always as identity primary key,
  project_id bigint not null references projects (id),
  from_year integer not null,
  to_year integer not null check (to_year between 2014 and 2100),
  source text not null default 'central',
  amount bigint not null check (amount > 0),
  carried_by bigint not null references users (id),
  carried_at timestamptz not null default now(),
  check (to_year > from_year)
);
create index carry_overs_project_idx on carry_overs (project_id);
create trigger carry_overs_fixed before update or delete on carry_overs
  for each row execute function allocations_fixed();

create table settlements (
  project_id bigint primary key references projects (id),
  settled_on date not null,
  record_no text not null check (length(record_no) between 1 and 100),
  accepted_on date not null,
  dossier_due date not null,      -- accepted_on + 15 days (TT 36/2013 Art. 18.1, 19)
  year_end_due date not null,     -- 22/01 of the year after the last plan year (Art. 19.3)
  settle_due date not null,       -- the earlier of the two
  settled_late boolean not null,  -- settled_on > settle_due
  central_allocated bigint not null,
  central_paid bigint not null,   -- net of refunds, at settlement
  carried_over bigint not null,
  released bigint not null,       -- returned to the appropriation
  to_recover bigint not null,     -- paid but not settled: the implementer owes it
  settled_by bigint not null references users (id),
  settled_at timestamptz not null default now()
);

create table settlement_amounts (
  project_id bigint not null references settlements (project_id),
  source text not null references funding_sources (code),
  amount bigint not null check (amount >= 0),
  primary key (project_id, source)
);

create trigger settlements_fixed before update or delete on settlements
  for each row execute function allocations_fixed();
create trigger settlement_amounts_fixed before update or delete on settlement_amounts
  for each row execute function allocations_fixed();

-- The last year a project runs in: its plan's, one more when extended into
-- the next year, or the latest year its money was carried into.
create function kc_project_last_year(p_id bigint) returns integer
language sql stable as $$
  select greatest(pl.year + kc_project_extension(p_id),
                  coalesce((select max(c.to_year) from carry_overs c where c.project_id = p_id), pl.year))
    from projects pr join plans pl on pl.id = pr.plan_id
   where pr.id = p_id
$$;

-- The settlement deadlines of a project (null before acceptance): 15 days
-- after acceptance, 22/01 after the last year it runs in, the earlier.
create function kc_settle_due(p_id bigint)
returns table (accepted_on date, dossier_due date, year_end_due date, settle_due date)
language sql stable as $$
  select a.accepted_on, a.accepted_on + 15, y.due, least(a.accepted_on + 15, y.due)
    from project_acceptances a,
    lateral (select make_date(kc_project_last_year(p_id) + 1, 1, 22) as due) y
   where a.project_id = p_id
$$;

create function kc_settlement_json(p_id bigint) returns jsonb
language sql stable as $$
  select to_jsonb(s) - 'settled_at'
         || jsonb_build_object('settled_at', kc_instant(s.settled_at),
                               'amounts', coalesce((select jsonb_agg(jsonb_build_object('source', a.source,
                                                                                         'amount', a.amount)
                                                                     order by a.source)
                                                      from settlement_amounts a where a.project_id = s.project_id),
                                                   '[]'::jsonb))
    from settlements s where s.project_id = p_id
$$;

-- ---------------------------------------------------------------------------
-- budget.carry_over {project_id, to_year, amount}
-- Unspent central allocation (allocated − paid − already carried) of a
-- project not yet settled is carried into a later year: recorded, and kept
-- out of what settlement returns to the appropriation.
-- ---------------------------------------------------------------------------
create function kc_budget_carry_over(p_user bigint, p_username text, p_peer text, p_role text,
                                     p_scope bigint, p jsonb) returns jsonb
language plpgsql as $$
declare
  pr projects;
  v plans;
  c carry_overs;
  m jsonb;
  v_carried bigint;
  v_free bigint;
begin
  if p_scope is not null then
    return kc_err(1003, 'carry-over is recorded by the Ministry');
  end if;
  pr := kc_budget_project((p->>'project_id')::bigint, p_scope, true);
  if pr.id is null then
    return kc_err(1004, 'no such project');
  end if;
  if pr.status not in ('approved', 'in_progress', 'completed') then
    return kc_err(1010, format('not allowed while the project is %s', pr.status),
                  jsonb_build_object('status', pr.status));
  end if;
  select * into v from plans where id = pr.plan_id;
  if (p->>'to_year')::integer <= v.year then
    return kc_rule_err('to_year', 'order', format('carry-over goes to a year after %s', v.year));
  end if;
  m := kc_project_money(pr.id);
  select coalesce(sum(amount), 0) into v_carried from carry_overs where project_id = pr.id;
  v_free := (select coalesce(sum(amount), 0) from allocations where project_id = pr.id and source = 'central')
            - (m->>'paid')::bigint - v_carried;
  if (p->>'amount')::bigint > v_free then
    return kc_rule_err('amount', 'unspent', format('%s đồng of the allocation are unspent and not carried', v_free),
                       jsonb_build_object('unspent', v_free));
  end if;
  insert into carry_overs (project_id, from_year, to_year, amount, carried_by)
  values (pr.id, v.year, (p->>'to_year')::integer, (p->>'amount')::bigint, p_user)
  returning * into c;
  perform kc_audit(p_user, p_username, p_peer, 'budget.carry_over', 'carry_over', c.id, null,
                   to_jsonb(c) - 'carried_at');
  return jsonb_build_object('result', to_jsonb(c) - 'carried_at'
                                      || jsonb_build_object('carried_at', kc_instant(c.carried_at)));
end $$;

-- ---------------------------------------------------------------------------
-- budget.settle {project_id, version, settled_on, record_no, amounts:[{source, amount}]}
-- An accepted project (completed) → settled/settled. Central settled ≤
-- central paid (net of refunds); paid − settled is recorded as to_recover.
-- The central allocation not paid and not carried over is released back to
-- its appropriation (budget_releases, latest allocation year first).
-- ---------------------------------------------------------------------------
create function kc_budget_settle(p_user bigint, p_username text, p_peer text, p_role text,
                                 p_scope bigint, p jsonb) returns jsonb
language plpgsql as $$
declare
  pr projects;
  v plans;
  v_err jsonb;
  m jsonb;
  dd record;
  r record;
  v_on date := (p->>'settled_on')::date;
  v_central bigint;
  v_alloc bigint;
  v_paid bigint;
  v_carried bigint;
  v_release bigint;
  v_left bigint;
  v_part bigint;
begin
  if p_scope is not null then
    return kc_err(1003, 'settlement is approved by the Ministry');
  end if;
  pr := kc_budget_project((p->>'project_id')::bigint, p_scope, true);
  if pr.id is null then
    return kc_err(1004, 'no such project');
  end if;
  v_err := kc_record_check('project', true, pr.version, (p->>'version')::integer, pr.status,
                           array['completed']);
  if v_err is not null then
    return v_err;
  end if;
  select * into v from plans where id = pr.plan_id;
  if not exists (select 1 from project_transitions t
                  where t.from_status = pr.status and t.to_status = 'settled' and t.to_stage = 'settled'
                    and t.role = p_role and t.scope in ('any', v.scope)) then
    return kc_err(1010, format('a %s project is not settled by %s', v.scope, p_role),
                  jsonb_build_object('status', pr.status));
  end if;
  select * into dd from kc_settle_due(pr.id);
  if dd.accepted_on is null then
    return kc_rule_err('project_id', 'acceptance', 'settlement comes after the acceptance record');
  end if;
  if v_on < dd.accepted_on then
    return kc_rule_err('settled_on', 'order', 'settlement is not before acceptance');
  end if;
  if (select count(distinct x->>'source') from jsonb_array_elements(p->'amounts') x)
     <> jsonb_array_length(p->'amounts') then
    return kc_rule_err('amounts', 'unique', 'one amount per source');
  end if;
  m := kc_project_money(pr.id);
  v_paid := (m->>'paid')::bigint;
  select coalesce(sum(amount), 0) into v_alloc from allocations where project_id = pr.id and source = 'central';
  select coalesce(sum(amount), 0) into v_carried from carry_overs where project_id = pr.id;
  v_central := coalesce((select (x->>'amount')::bigint from jsonb_array_elements(p->'amounts') x
                          where x->>'source' = 'central'), 0);
  if v_central > v_paid then
    return kc_rule_err('amounts', 'paid',
                       format('the central amount settled is at most what was paid (%s đồng)', v_paid),
                       jsonb_build_object('paid', v_paid));
  end if;
  v_release := v_alloc - v_paid - v_carried;
  if v_release < 0 then
    return kc_rule_err('amounts', 'carry_over',
                       format('paid %s and carried over %s exceed the allocation %s', v_paid, v_carried, v_alloc));
  end if;
  insert into settlements (project_id, settled_on, record_no, accepted_on, dossier_due, year_end_due,
                           settle_due, settled_late, central_allocated, central_paid, carried_over,
                           released, to_recover, settled_by)
  values (pr.id, v_on, p->>'record_no', dd.accepted_on, dd.dossier_due, dd.year_end_due, dd.settle_due,
          v_on > dd.settle_due, v_alloc, v_paid, v_carried, v_release, v_paid - v_central, p_user);
  insert into settlement_amounts (project_id, source, amount)
  select pr.id, x->>'source', (x->>'amount')::bigint from jsonb_array_elements(p->'amounts') x;
  -- return the unspent allocation, latest allocation year first
  v_left := v_release;
  for r in select a.year, sum(a.amount) as amount from allocations a
            where a.project_id = pr.id and a.source = 'central' group by a.year order by a.year desc loop
    exit when v_left <= 0;
    v_part := least(v_left, r.amount);
    insert into budget_releases (project_id, year, source, amount, reason, released_by)
    values (pr.id, r.year, 'central', v_part, format('quyết toán %s', p->>'record_no'), p_user);
    v_left := v_left - v_part;
  end loop;
  perform kc_actor_set(p_user, p_role, null, p->>'record_no');
  update projects set status = 'settled', stage = 'settled', version = version + 1 where id = pr.id;
  perform kc_audit(p_user, p_username, p_peer, 'budget.settle', 'settlement', pr.id, m,
                   kc_settlement_json(pr.id));
  return jsonb_build_object('result', kc_settlement_json(pr.id)
                                      || jsonb_build_object('version', pr.version + 1,
                                                            'project', kc_project_money(pr.id)));
end $$;

-- budget.settlement {project_id}: the deadlines, and the settlement when made.
create function kc_budget_settlement(p_scope bigint, p jsonb) returns jsonb
language plpgsql stable as $$
declare
  pr projects;
  v plans;
  dd record;
begin
  select * into pr from projects where id = (p->>'project_id')::bigint;
  if found then
    select * into v from plans where id = pr.plan_id;
  end if;
  if pr.id is null or not kc_plan_visible(v.org_id, v.scope, v.status, p_scope) then
    return kc_err(1004, 'no such project');
  end if;
  select * into dd from kc_settle_due(pr.id);
  return jsonb_build_object('result', jsonb_build_object(
    'project_id', pr.id, 'status', pr.status,
    'accepted_on', dd.accepted_on, 'dossier_due', dd.dossier_due,
    'year_end_due', dd.year_end_due, 'settle_due', dd.settle_due,
    'overdue', pr.status = 'completed' and dd.settle_due is not null and current_date > dd.settle_due,
    'carry_overs', coalesce((select jsonb_agg(jsonb_build_object('to_year', c.to_year, 'amount', c.amount)
                                              order by c.id)
                               from carry_overs c where c.project_id = pr.id), '[]'::jsonb),
    'settlement', kc_settlement_json(pr.id)));
end $$;

-- ---------------------------------------------------------------------------
-- For tests and operators: (year, source) rows whose running total differs
-- from SUM(allocations) − SUM(budget_releases) or exceeds the appropriation;
-- no row when sound (see the head of this file).
-- ---------------------------------------------------------------------------
create function kc_budget_check_ledger()
returns table (year integer, source text, amount bigint, allocated bigint, summed bigint)
language sql stable as $$
  select a.year, a.source, a.amount, a.allocated, s.summed
    from appropriations a,
         lateral (select (coalesce((select sum(x.amount) from allocations x
                                     where x.year = a.year and x.source = a.source), 0)
                          - coalesce((select sum(r.amount) from budget_releases r
                                       where r.year = a.year and r.source = a.source), 0))::bigint
                         as summed) s
   where a.allocated <> s.summed or a.allocated > a.amount
$$;

-- ---------------------------------------------------------------------------
-- budget.summary {year}: per source (Ministry side) — appropriated,
-- allocated, released (returned by settlement and recovery), remaining =
-- appropriated − allocated + released; per province (a province's users:
-- their own) — allocated, contracted, advanced, final, refunded, paid,
-- remaining, settled (central, settlement_amounts), released, carried_over.
-- Every figure a SUM over base rows, never a stored total. A project belongs
-- to the year of its plan; its province is the plan organisation's
-- province_code.
-- ---------------------------------------------------------------------------
create function kc_budget_summary(p_scope bigint, p jsonb) returns jsonb
language sql stable as $$
  with y as (select (p->>'year')::integer as year),
  prj as (
    select pr.id, coalesce(o.province_code, '00') as province_code
      from projects pr join plans pl on pl.id = pr.plan_id join orgs o on o.id = pl.org_id, y
     where pl.year = y.year
       and kc_plan_visible(pl.org_id, pl.scope, pl.status, p_scope)),
  al as (select a.project_id, a.source, a.amount from allocations a, y where a.year = y.year),
  rl as (select r.project_id, r.source, r.amount from budget_releases r, y where r.year = y.year),
  by_source as (
    select s.code as source,
           coalesce((select ap.amount from appropriations ap, y where ap.year = y.year and ap.source = s.code), 0) as appropriated,
           coalesce((select sum(amount) from al where al.source = s.code), 0) as allocated,
           coalesce((select sum(amount) from rl where rl.source = s.code), 0) as released
      from funding_sources s
     where exists (select 1 from appropriations ap, y where ap.year = y.year and ap.source = s.code)
        or exists (select 1 from al where al.source = s.code)),
  by_province as (
    select prj.province_code,
           coalesce(sum((select coalesce(sum(amount), 0) from al where al.project_id = prj.id)), 0) as allocated,
           coalesce(sum((select coalesce(sum(amount), 0) from contracts c where c.project_id = prj.id)), 0) as contracted,
           coalesce(sum((select coalesce(sum(amount), 0) from disbursements d where d.project_id = prj.id and d.kind = 'advance')), 0) as advanced,
           coalesce(sum((select coalesce(sum(amount), 0) from disbursements d where d.project_id = prj.id and d.kind = 'final')), 0) as final,
           coalesce(sum((select coalesce(sum(amount), 0) from disbursements d where d.project_id = prj.id and d.kind = 'refund')), 0) as refunded,
           coalesce(sum((select coalesce(sum(amount), 0) from settlement_amounts sa where sa.project_id = prj.id and sa.source = 'central')), 0) as settled,
           coalesce(sum((select coalesce(sum(amount), 0) from rl where rl.project_id = prj.id)), 0) as released,
           coalesce(sum((select coalesce(sum(amount), 0) from carry_overs co where co.project_id = prj.id)), 0) as carried_over
      from prj
     where exists (select 1 from al where al.project_id = prj.id)
        or exists (select 1 from contracts c where c.project_id = prj.id)
        or exists (select 1 from disbursements d where d.project_id = prj.id)
     group by prj.province_code)
  select jsonb_build_object('result', jsonb_build_object(
    'year', (select year from y),
    'by_source', case when p_scope is null then
      (select coalesce(jsonb_agg(jsonb_build_object(
                'source', source, 'appropriated', appropriated, 'allocated', allocated,
                'released', released,
                'remaining', appropriated - allocated + released) order by source), '[]'::jsonb)
         from by_source)
      else '[]'::jsonb end,
    'by_province', (select coalesce(jsonb_agg(jsonb_build_object(
                'province_code', province_code, 'allocated', allocated, 'contracted', contracted,
                'advanced', advanced, 'final', final, 'refunded', refunded,
                'paid', advanced + final - refunded,
                'remaining', allocated - (advanced + final - refunded),
                'settled', settled, 'released', released, 'carried_over', carried_over)
                order by province_code), '[]'::jsonb)
         from by_province)))
$$;
