-- 0025_money_chain.sql — the money chain and the lifecycle as the law runs
-- them (issue 14), national and local, from the decision to settlement.
--
--   1. No money before the decision (DOMAIN §2.11 steps 10–13, TT 36/2013
--      Art. 6.4, 8.3, 12): an allocation, a contract or a payment (not a
--      refund) needs the project in an approval decision in force — for a
--      national project the Minister's decision approving the year's plan
--      or an amending one adding it (decision.approve_plan / decision.amend,
--      0012) and not cancelled since; for a local project its plan approved
--      by the province's decision (plan.approve_local). Refused 1010 by the
--      functions, naming the missing decision, and KC010 by a trigger on
--      allocations, contracts and disbursements whoever writes them. Stages:
--      decision → plan_approved (10), allocation → plan_assigned (11: the
--      plan and its estimate notified to the implementer), group project's
--      implementation plan → implementation_plan_approved (12), contract →
--      contracted (13).
--   3. Cancellation or suspension gives money back (TT 36/2013 Art. 11.3,
--      12.6): a trigger on project_cancellations (both project.cancel and a
--      decision.amend cancel write one) releases what was allocated and not
--      paid back to its appropriation (budget_releases) and records what was
--      paid as owed (project_refunds_due); budget.disburse kind refund on the
--      cancelled project takes it back, never more than is outstanding, and
--      returns each refund to the appropriation too.
--   4. The local (KCĐP) chain in the province's own scope (NĐ 45/2012 Art.
--      13, 16; TT 46/2012 Art. 8.2.b, 8.3.b; DOMAIN §2.12): appropriations
--      get a province (province_id, 0 = the Ministry's national rows); the
--      province leader sets the local appropriation of the province per
--      year, allocates, signs the contract, pays and settles its local
--      projects with the same functions and rules; the Ministry reads them
--      (budget.summary) and writes nothing of them.
--
--   Further: 2 advances by activity, 5 every stage reachable, 6 priorities
--   as one list, 7 bidding / group rules, lateness on the 25th, certificate
--   validity, flagship bounds by date, holidays 2014–2030 computed, 8 the
--   QĐ 1881 indicators (each section below says its act).
--
-- Functions of earlier files replaced here (same signatures):
--   allocations_account, kc_appropriation_json, kc_budget_set_appropriation,
--   kc_budget_allocate, kc_budget_contract, kc_budget_disburse,
--   kc_project_money (0011); budget_releases_account, kc_budget_check_ledger,
--   kc_budget_settle, kc_budget_summary (0012); kc_budget_recover (0022);
--   kc_review_rank (0010); kc_typical_product_violations,
--   kc_typical_product_apply (0008).
-- Renamed and wrapped (the old body kept under the new name):
--   kc_catalog_json → kc_catalog_json_0004; kc_project_check_row →
--   kc_project_check_row_0006; kc_project_apply → kc_project_apply_0006;
--   kc_project_create → kc_project_create_0006; kc_project_json (0008) →
--   kc_project_json_0008; kc_project_update (0023) → kc_project_update_0023.

-- ---------------------------------------------------------------------------
-- Appropriations per province (local) — 0 is the Ministry's (national) row
-- ---------------------------------------------------------------------------
alter table allocations drop constraint allocations_year_source_fkey;
alter table budget_releases drop constraint budget_releases_year_source_fkey;
alter table appropriations add column province_id bigint not null default 0;
alter table appropriations drop constraint appropriations_pkey;
alter table appropriations add primary key (year, source, province_id);
-- a local appropriation belongs to a province, every other to the Ministry
alter table appropriations add constraint appropriations_owner
  check ((source = 'local') = (province_id <> 0)) not valid;
alter table allocations add column province_id bigint not null default 0;
alter table budget_releases add column province_id bigint not null default 0;
alter table allocations add foreign key (year, source, province_id)
  references appropriations (year, source, province_id);
alter table budget_releases add foreign key (year, source, province_id)
  references appropriations (year, source, province_id);

-- The appropriation an allocation to @p_project from @p_source draws on:
-- the province of the project's plan for local money, else the Ministry's.
create function kc_money_owner(p_project bigint, p_source text) returns bigint
language sql stable as $$
  select case when p_source = 'local' then coalesce(kc_scope_root(pl.org_id), 0) else 0 end
    from projects pr join plans pl on pl.id = pr.plan_id
   where pr.id = p_project
$$;

-- The allocation's and the release's appropriation is never typed by the
-- caller: it follows from the project and the source.
create function allocations_owner() returns trigger
language plpgsql as $$
begin
  new.province_id := kc_money_owner(new.project_id, new.source);
  return new;
end $$;

create trigger allocations_owner before insert on allocations
  for each row execute function allocations_owner();
create trigger budget_releases_owner before insert on budget_releases
  for each row execute function allocations_owner();

create or replace function allocations_account() returns trigger
language plpgsql as $$
begin
  -- the row lock serialises allocators; the CHECK refuses an over-allocation
  update appropriations set allocated = allocated + new.amount
   where year = new.year and source = new.source and province_id = new.province_id;
  return null;
end $$;

create or replace function budget_releases_account() returns trigger
language plpgsql as $$
begin
  update appropriations set allocated = allocated - new.amount
   where year = new.year and source = new.source and province_id = new.province_id;
  return null;
end $$;

create or replace function kc_budget_check_ledger()
returns table (year integer, source text, amount bigint, allocated bigint, summed bigint)
language sql stable as $$
  select a.year, a.source, a.amount, a.allocated, s.summed
    from appropriations a,
         lateral (select (coalesce((select sum(x.amount) from allocations x
                                     where x.year = a.year and x.source = a.source
                                       and x.province_id = a.province_id), 0)
                          - coalesce((select sum(r.amount) from budget_releases r
                                       where r.year = a.year and r.source = a.source
                                         and r.province_id = a.province_id), 0))::bigint
                         as summed) s
   where a.allocated <> s.summed or a.allocated > a.amount
$$;

-- ---------------------------------------------------------------------------
-- 1. The decision the money needs
-- ---------------------------------------------------------------------------
-- Null when @p_project is in an approval decision in force; else what is
-- missing: {missing_decision: {kind, year, method, number?}} — the error's
-- data and the message's words.
create function kc_money_decision_missing(p_project bigint) returns jsonb
language plpgsql stable as $$
declare
  pr projects;
  pl plans;
  v_number text;
begin
  select * into pr from projects where id = p_project;
  select * into pl from plans where id = pr.plan_id;
  if pl.scope = 'national' then
    if kc_decision_in_plan(p_project) then
      return null;
    end if;
    select number into v_number from plan_decisions where year = pl.year and kind = 'approval';
    return jsonb_build_object('missing_decision', jsonb_build_object(
      'kind', case when v_number is null then 'approval' else 'amendment' end,
      'year', pl.year, 'number', v_number,
      'method', case when v_number is null then 'decision.approve_plan' else 'decision.amend' end));
  end if;
  if pl.status = 'approved' and pl.decision_no is not null then
    return null;
  end if;
  return jsonb_build_object('missing_decision', jsonb_build_object(
    'kind', 'local_plan', 'year', pl.year, 'number', null, 'method', 'plan.approve_local'));
end $$;

-- The 1010 error for @p_project without its decision, or null.
create function kc_money_decision_err(p_project bigint) returns jsonb
language plpgsql stable as $$
declare
  v jsonb := kc_money_decision_missing(p_project);
  d jsonb := v->'missing_decision';
  v_code text;
begin
  if v is null then
    return null;
  end if;
  select code into v_code from projects where id = p_project;
  return kc_err(1010, case d->>'kind'
      when 'approval' then format('%s is not in an approval decision in force: the Minister''s decision approving the %s national plan (decision.approve_plan) comes before any allocation, contract or payment',
                                  v_code, d->>'year')
      when 'amendment' then format('%s is not in decision %s approving the %s national plan nor added by an amending decision (decision.amend): no allocation, contract or payment before it',
                                   v_code, d->>'number', d->>'year')
      else format('%s: the local plan of %s is not approved by the province''s decision (plan.approve_local): no allocation, contract or payment before it',
                  v_code, d->>'year') end,
    v);
end $$;

-- Whoever writes: no allocation, contract or payment (refunds excepted)
-- for a project outside a decision in force.
create function money_needs_decision() returns trigger
language plpgsql as $$
declare
  v jsonb;
begin
  v := kc_money_decision_missing(new.project_id);
  if v is not null then
    raise exception 'project %: no % before the approval decision (%)', new.project_id, tg_table_name,
      v->'missing_decision'->>'method' using errcode = 'KC010';
  end if;
  return new;
end $$;

create trigger allocations_need_decision before insert on allocations
  for each row execute function money_needs_decision();
create trigger contracts_need_decision before insert on contracts
  for each row execute function money_needs_decision();
create trigger disbursements_need_decision before insert on disbursements
  for each row when (new.kind <> 'refund') execute function money_needs_decision();

-- ---------------------------------------------------------------------------
-- Stages 11–13 and the local chain's transitions
-- ---------------------------------------------------------------------------
insert into project_transitions (from_status, to_status, to_stage, role, scope, action, legal_basis)
values
  ('approved', 'approved', 'plan_assigned', 'province_leader', 'local',
   'budget.allocate (plan and estimate notified)', 'NĐ 45/2012 Art. 16; TT 46/2012 Art. 8.3.b'),
  ('approved', 'approved', 'contracted', 'province_leader', 'local',
   'budget.contract', 'NĐ 45/2012 Art. 16; TT 46/2012 Art. 8.3.b'),
  ('completed', 'completed', 'fully_advanced', 'province_leader', 'local',
   'budget.disburse final', 'NĐ 45/2012 Art. 16')
on conflict do nothing;

-- The money source of a project: its plan's budget.
create function kc_money_source(p_scope_kind text) returns text
language sql immutable as $$
  select case p_scope_kind when 'local' then 'local' else 'central' end
$$;

-- Who writes a project's money: the Ministry (ministry_approver, p_scope
-- null) a national project's, the province's leader a local project's of
-- its province. An error (1003) or null.
create function kc_money_writer_err(p_role text, p_scope bigint, p_plan_scope text, p_what text)
returns jsonb
language sql immutable as $$
  select case
    when p_plan_scope = 'local' and (p_scope is null or p_role <> 'province_leader') then
      kc_err(1003, format('a local project''s %s is the province''s (its leader): the Ministry reads it', p_what))
    when p_plan_scope = 'national' and (p_scope is not null or p_role <> 'ministry_approver') then
      kc_err(1003, format('a national project''s %s is the Ministry''s', p_what))
  end
$$;

-- ---------------------------------------------------------------------------
-- 3. What a cancelled or suspended project owes
-- ---------------------------------------------------------------------------
create table project_refunds_due (
  project_id bigint primary key references projects (id),
  amount bigint not null check (amount >= 0),   -- paid (net) when it was cancelled
  released bigint not null check (released >= 0), -- allocated, unpaid, returned then
  decision_no text not null,
  recorded_at timestamptz not null default now()
);
create trigger project_refunds_due_fixed before update or delete on project_refunds_due
  for each row execute function allocations_fixed();

-- Still owed by a cancelled project: what it owed minus the refunds since.
create function kc_refund_outstanding(p_id bigint) returns bigint
language sql stable as $$
  select r.amount - coalesce((select sum(d.amount) from disbursements d
                               where d.project_id = p_id and d.kind = 'refund'
                                 and d.paid_at >= r.recorded_at), 0)
    from project_refunds_due r where r.project_id = p_id
$$;

-- Returns @p_amount of the project's allocations of @p_source to their
-- appropriations, latest allocation year first, never more than is still
-- allocated (allocated − released) in a year.
create function kc_money_release(p_project bigint, p_source text, p_amount bigint, p_reason text,
                                 p_user bigint) returns bigint
language plpgsql as $$
declare
  r record;
  v_left bigint := p_amount;
  v_part bigint;
begin
  for r in select a.year, sum(a.amount) as amount from allocations a
            where a.project_id = p_project and a.source = p_source group by a.year order by a.year desc loop
    exit when v_left <= 0;
    v_part := least(v_left, r.amount - coalesce((select sum(b.amount) from budget_releases b
                                                  where b.project_id = p_project and b.year = r.year
                                                    and b.source = p_source), 0));
    continue when v_part <= 0;
    insert into budget_releases (project_id, year, source, amount, reason, released_by)
    values (p_project, r.year, p_source, v_part, p_reason, p_user);
    v_left := v_left - v_part;
  end loop;
  return p_amount - v_left;
end $$;

-- On cancellation or suspension: the unpaid allocation goes back, what was
-- paid is owed (TT 36/2013 Art. 12.6: advances without matching volume go
-- back to the state budget).
create function project_cancellations_money() returns trigger
language plpgsql as $$
declare
  v_source text;
  m jsonb := kc_project_money(new.project_id);
  v_paid bigint := (m->>'paid')::bigint;
  v_alloc bigint;
  v_before bigint;
  v_released bigint;
begin
  -- carried-over money is released too: a cancelled project runs no more
  select kc_money_source(pl.scope) into v_source
    from projects pr join plans pl on pl.id = pr.plan_id where pr.id = new.project_id;
  select coalesce(sum(amount), 0) into v_alloc from allocations
   where project_id = new.project_id and source = v_source;
  select coalesce(sum(amount), 0) into v_before from budget_releases
   where project_id = new.project_id and source = v_source;
  v_released := kc_money_release(new.project_id, v_source, greatest(v_alloc - v_before - v_paid, 0),
                                 format('%s %s', case new.kind when 'suspension' then 'ngừng'
                                                                else 'hủy' end, new.decision_no),
                                 new.cancelled_by);
  insert into project_refunds_due (project_id, amount, released, decision_no)
  values (new.project_id, greatest(v_paid, 0), v_released, new.decision_no);
  return null;
end $$;

create trigger project_cancellations_money after insert on project_cancellations
  for each row execute function project_cancellations_money();

-- The project's money (0011) with what a cancelled project owes.
create or replace function kc_project_money(p_id bigint) returns jsonb
language sql stable as $$
  select jsonb_build_object(
    'project_id', p_id,
    'allocated', (select coalesce(sum(amount), 0) from allocations where project_id = p_id),
    'contracted', (select coalesce(sum(amount), 0) from contracts where project_id = p_id),
    'advanced', (select coalesce(sum(amount), 0) from disbursements where project_id = p_id and kind = 'advance'),
    'final', (select coalesce(sum(amount), 0) from disbursements where project_id = p_id and kind = 'final'),
    'refunded', (select coalesce(sum(amount), 0) from disbursements where project_id = p_id and kind = 'refund'),
    'paid', (select coalesce(sum(case when kind = 'refund' then -amount else amount end), 0)
               from disbursements where project_id = p_id),
    'released', (select coalesce(sum(amount), 0) from budget_releases where project_id = p_id),
    'refund_due', (select amount from project_refunds_due where project_id = p_id),
    'refund_outstanding', kc_refund_outstanding(p_id))
$$;

-- ---------------------------------------------------------------------------
-- budget.set_appropriation {year, source, amount, version?}
-- The Ministry: every source but local (its national rows); the province's
-- leader: source local, the province's own row.
-- ---------------------------------------------------------------------------
create or replace function kc_budget_set_appropriation(p_user bigint, p_username text, p_peer text, p_role text,
                                                       p_scope bigint, p jsonb) returns jsonb
language plpgsql as $$
declare
  a appropriations;
  v_before jsonb;
  v_year integer := (p->>'year')::integer;
  v_amount bigint := (p->>'amount')::bigint;
  v_owner bigint := coalesce(p_scope, 0);
begin
  if p_scope is not null and (p_role <> 'province_leader' or p->>'source' <> 'local') then
    return kc_err(1003, 'a province sets its own local appropriation only (source local, by its leader)');
  end if;
  if p_scope is null and p->>'source' = 'local' then
    return kc_err(1003, 'local appropriations are set by each province (NĐ 45/2012 Art. 13)');
  end if;
  if not exists (select 1 from funding_sources where code = p->>'source') then
    return kc_rule_err('source', 'exists', 'no such funding source');
  end if;
  insert into appropriations (year, source, province_id, amount, version, updated_by)
  values (v_year, p->>'source', v_owner, 0, 0, p_user)
  on conflict (year, source, province_id) do nothing;
  select * into a from appropriations
   where year = v_year and source = p->>'source' and province_id = v_owner for update;
  if a.version > 0 and p ? 'version' and a.version <> (p->>'version')::integer then
    return kc_err(1009, format('the appropriation was changed by someone else (now at version %s)', a.version),
                  jsonb_build_object('current_version', a.version));
  end if;
  if v_amount < a.allocated then
    return kc_rule_err('amount', 'allocated',
                       format('%s đồng are already allocated from this appropriation', a.allocated),
                       jsonb_build_object('allocated', a.allocated));
  end if;
  v_before := case when a.version = 0 then null else kc_appropriation_json(a) end;
  update appropriations set amount = v_amount, version = version + 1, updated_by = p_user,
                            updated_at = now()
   where year = a.year and source = a.source and province_id = a.province_id
  returning * into a;
  perform kc_audit(p_user, p_username, p_peer, 'budget.set_appropriation', 'appropriation',
                   a.year::bigint, v_before, kc_appropriation_json(a));
  return jsonb_build_object('result', kc_appropriation_json(a));
end $$;

create or replace function kc_appropriation_json(a appropriations) returns jsonb
language sql stable as $$
  select jsonb_build_object('year', a.year, 'source', a.source, 'amount', a.amount,
                            'allocated', a.allocated, 'remaining', a.amount - a.allocated,
                            'province_id', nullif(a.province_id, 0),
                            'version', a.version, 'updated_by', a.updated_by,
                            'updated_at', kc_instant(a.updated_at))
$$;

-- ---------------------------------------------------------------------------
-- budget.allocate {project_id, version, amount, source?, year?}
-- ---------------------------------------------------------------------------
create or replace function kc_budget_allocate(p_user bigint, p_username text, p_peer text, p_role text,
                                              p_scope bigint, p jsonb) returns jsonb
language plpgsql as $$
declare
  pr projects;
  v plans;
  al allocations;
  a appropriations;
  v_err jsonb;
  v_source text;
  v_amount bigint := (p->>'amount')::bigint;
  v_year integer;
  v_line bigint;
  v_have bigint;
  v_owner bigint;
begin
  -- the project row lock serialises allocations to one project (its budget
  -- line); allocations to different projects meet at the appropriation row
  pr := kc_budget_project((p->>'project_id')::bigint, p_scope, true);
  if pr.id is null then
    return kc_err(1004, 'no such project');
  end if;
  select * into v from plans where id = pr.plan_id;
  v_err := coalesce(kc_money_writer_err(p_role, p_scope, v.scope, 'budget'),
                    kc_record_check('project', true, pr.version, (p->>'version')::integer, pr.status,
                                    array['approved', 'in_progress', 'completed']),
                    kc_money_decision_err(pr.id));
  if v_err is not null then
    return v_err;
  end if;
  v_source := coalesce(p->>'source', kc_money_source(v.scope));
  if (v_source = 'local') <> (v.scope = 'local') then
    return kc_rule_err('source', 'scope', case v.scope when 'local'
                         then 'a local project is funded from the province''s local appropriation'
                         else 'a national project is not funded from a local appropriation' end);
  end if;
  v_year := coalesce((p->>'year')::integer, v.year);
  v_owner := kc_money_owner(pr.id, v_source);
  select * into a from appropriations where year = v_year and source = v_source and province_id = v_owner;
  if not found then
    return kc_rule_err('source', 'appropriation',
                       format('no appropriation for %s from source %s', v_year, v_source));
  end if;
  select amount into v_line from project_budget_lines where project_id = pr.id and source = v_source;
  select coalesce(sum(amount), 0) into v_have from allocations
   where project_id = pr.id and source = v_source;
  if v_have + v_amount > coalesce(v_line, 0) then
    return kc_rule_err('amount', 'budget_line',
                       format('the project asks for %s đồng from %s; %s are already allocated',
                              coalesce(v_line, 0), v_source, v_have));
  end if;
  begin
    insert into allocations (project_id, year, source, amount, allocated_by)
    values (pr.id, v_year, v_source, v_amount, p_user)
    returning * into al;
  exception when check_violation then
    select * into a from appropriations where year = v_year and source = v_source and province_id = v_owner;
    return kc_rule_err('amount', 'appropriation',
                       format('the appropriation %s/%s has %s đồng left', v_year, v_source,
                              a.amount - a.allocated),
                       jsonb_build_object('remaining', a.amount - a.allocated));
  end;
  -- step 11: the plan and its estimate are notified to the implementer.
  -- The version is not raised (0011: several approvers may allocate at
  -- once, and the allocation is a row of its own).
  if pr.status = 'approved' and pr.stage = 'plan_approved' then
    perform kc_actor_set(p_user, p_role, null, null);
    update projects set stage = 'plan_assigned' where id = pr.id;
  end if;
  perform kc_audit(p_user, p_username, p_peer, 'budget.allocate', 'allocation', al.id, null,
                   to_jsonb(al) - 'allocated_at');
  return jsonb_build_object('result', to_jsonb(al) - 'allocated_at' - 'province_id'
                                      || jsonb_build_object('allocated_at', kc_instant(al.allocated_at),
                                                            'project', kc_project_money(pr.id)));
end $$;

-- ---------------------------------------------------------------------------
-- budget.contract {project_id, version, number, signed_on, amount, party_a?, party_b?}
-- ---------------------------------------------------------------------------
create or replace function kc_budget_contract(p_user bigint, p_username text, p_peer text, p_role text,
                                              p_scope bigint, p jsonb) returns jsonb
language plpgsql as $$
declare
  pr projects;
  v plans;
  c contracts;
  v_err jsonb;
  v_alloc bigint;
  v_party_a text;
begin
  pr := kc_budget_project((p->>'project_id')::bigint, p_scope, true);
  if pr.id is null then
    return kc_err(1004, 'no such project');
  end if;
  select * into v from plans where id = pr.plan_id;
  v_err := coalesce(kc_money_writer_err(p_role, p_scope, v.scope, 'contract'),
                    kc_record_check('project', true, pr.version, (p->>'version')::integer, pr.status,
                                    array['approved', 'in_progress']),
                    kc_money_decision_err(pr.id));
  if v_err is not null then
    return v_err;
  end if;
  if exists (select 1 from contracts where project_id = pr.id) then
    return kc_rule_err('project_id', 'unique', 'the project already has a contract');
  end if;
  select coalesce(sum(amount), 0) into v_alloc from allocations where project_id = pr.id;
  if (p->>'amount')::bigint > v_alloc then
    return kc_rule_err('amount', 'allocation',
                       format('the contract is at most what is allocated to the project (%s đồng)', v_alloc),
                       jsonb_build_object('allocated', v_alloc));
  end if;
  v_party_a := case v.scope when 'local'
                 then coalesce((select o.name from orgs o where o.id = p_scope), 'Sở Công Thương')
                 else 'Cục Đổi mới sáng tạo, Chuyển đổi xanh và Khuyến công' end;
  perform kc_actor_set(p_user, p_role, null, p->>'number');
  insert into contracts (project_id, number, signed_on, party_a, party_b, amount, created_by)
  values (pr.id, p->>'number', (p->>'signed_on')::date, coalesce(p->>'party_a', v_party_a),
          coalesce(p->>'party_b', coalesce(pr.implementer, '—')), (p->>'amount')::bigint, p_user)
  returning * into c;
  perform kc_budget_move(pr.id, p_role, 'approved', 'contracted');
  perform kc_audit(p_user, p_username, p_peer, 'budget.contract', 'contract', c.id, null,
                   to_jsonb(c) - 'created_at');
  return jsonb_build_object('result', to_jsonb(c) - 'created_at'
                                      || jsonb_build_object('created_at', kc_instant(c.created_at),
                                                            'project', kc_project_money(pr.id)));
end $$;

-- ---------------------------------------------------------------------------
-- The first advance's percentage for a project on a day (DOMAIN §2.5): a
-- first definition; replaced below (point 2) by the activity's rule, and
-- kc_advance_conditions_err (below) is defined before anything calls it.
-- ---------------------------------------------------------------------------
create function kc_first_advance_pct(p_project bigint, p_on date) returns integer
language sql stable as $$
  select coalesce((select cc.first_advance_pct
                     from project_categories pc join content_categories cc on cc.code = pc.content_code
                    where pc.project_id = p_project and pc.is_primary),
                  kc_advance_rule('first_advance_default_pct', p_on))
$$;

-- ---------------------------------------------------------------------------
-- budget.disburse {project_id, kind, amount, date, document_no}
-- As 0011, by the project's money writer; a refund also on a cancelled
-- project, at most what it still owes, returned to the appropriation.
-- ---------------------------------------------------------------------------
create or replace function kc_budget_disburse(p_user bigint, p_username text, p_peer text, p_role text,
                                              p_scope bigint, p jsonb) returns jsonb
language plpgsql as $$
declare
  pr projects;
  v plans;
  c contracts;
  d disbursements;
  m jsonb;
  v_err jsonb;
  v_kind text := coalesce(p->>'kind', 'advance');
  v_amount bigint := (p->>'amount')::bigint;
  v_on date := (p->>'date')::date;
  v_accepted boolean;
  v_max_pct integer;
  v_first_pct integer;
  v_net_adv bigint;
  v_paid bigint;
  v_alloc bigint;
  v_owed bigint;
  v_first boolean;
begin
  pr := kc_budget_project((p->>'project_id')::bigint, p_scope, true);
  if pr.id is null then
    return kc_err(1004, 'no such project');
  end if;
  select * into v from plans where id = pr.plan_id;
  v_err := kc_money_writer_err(p_role, p_scope, v.scope, 'payments');
  if v_err is not null then
    return v_err;
  end if;
  m := kc_project_money(pr.id);
  v_paid := (m->>'paid')::bigint;
  if pr.status = 'cancelled' then
    -- TT 36/2013 Art. 12.6: the cancelled project pays back what it owes
    if v_kind <> 'refund' then
      return kc_err(1010, 'a cancelled project receives no payment; it refunds (kind refund)',
                    jsonb_build_object('status', pr.status));
    end if;
    v_owed := coalesce(kc_refund_outstanding(pr.id), 0);
    if v_amount > v_owed then
      return kc_rule_err('amount', 'refund_due',
                         format('at most what the cancelled project still owes (%s đồng) is refunded', v_owed),
                         jsonb_build_object('outstanding', v_owed));
    end if;
    if v_on < (select coalesce(decision_date, cancelled_at::date) from project_cancellations
                where project_id = pr.id) then
      return kc_rule_err('date', 'order', 'a refund is not dated before the cancellation');
    end if;
    perform kc_actor_set(p_user, p_role, null, p->>'document_no');
    insert into disbursements (project_id, kind, amount, paid_on, document_no, paid_by)
    values (pr.id, 'refund', v_amount, v_on, p->>'document_no', p_user)
    returning * into d;
    perform kc_money_release(pr.id, kc_money_source(v.scope), v_amount,
                             format('hoàn trả %s', p->>'document_no'), p_user);
    perform kc_audit(p_user, p_username, p_peer, 'budget.disburse', 'disbursement', d.id, m,
                     to_jsonb(d) - 'paid_at');
    return jsonb_build_object('result', to_jsonb(d) - 'paid_at'
                                        || jsonb_build_object('paid_at', kc_instant(d.paid_at),
                                                              'outstanding', v_owed - v_amount,
                                                              'project', kc_project_money(pr.id)));
  end if;
  if pr.status not in ('approved', 'in_progress', 'completed') then
    return kc_err(1010, format('not allowed while the project is %s', pr.status),
                  jsonb_build_object('status', pr.status));
  end if;
  if v_kind <> 'refund' then
    v_err := kc_money_decision_err(pr.id);
    if v_err is not null then
      return v_err;
    end if;
  end if;
  select * into c from contracts where project_id = pr.id;
  if c.id is null then
    return kc_rule_err('project_id', 'contract', 'no payment before the contract is signed');
  end if;
  if v_on < c.signed_on then
    return kc_rule_err('date', 'contract', 'the payment date is not before the contract is signed');
  end if;
  v_alloc := (m->>'allocated')::bigint;
  v_net_adv := (m->>'advanced')::bigint - (m->>'refunded')::bigint;
  v_accepted := pr.status = 'completed'
                or exists (select 1 from project_acceptances where project_id = pr.id);
  v_max_pct := kc_advance_rule('max_before_acceptance_pct', v_on);
  v_first_pct := kc_first_advance_pct(pr.id, v_on);
  if v_kind = 'refund' then
    if v_amount > v_paid then
      return kc_rule_err('amount', 'refund', format('at most what was paid (%s đồng) is refunded', v_paid));
    end if;
  else
    if v_kind = 'final' and not v_accepted then
      return kc_rule_err('kind', 'acceptance', 'the final payment comes after acceptance (nghiệm thu)');
    end if;
    if v_paid + v_amount > least(c.amount, v_alloc) then
      return kc_rule_err('amount', 'allocation',
                         format('payments never exceed the contract and the allocation (%s đồng; %s paid)',
                                least(c.amount, v_alloc), v_paid),
                         jsonb_build_object('limit', least(c.amount, v_alloc), 'paid', v_paid));
    end if;
    if v_kind = 'advance' and not v_accepted then
      v_first := not exists (select 1 from disbursements where project_id = pr.id and kind = 'advance');
      if v_first then
        v_err := kc_advance_conditions_err(pr.id, v_on, true, v_net_adv + v_amount, c.amount);
        if v_err is not null then
          return v_err;
        end if;
        if v_amount * 100 > c.amount * least(v_first_pct, v_max_pct) then
          return kc_rule_err('amount', 'first_advance',
                             format('the first advance is at most %s %% of the contract before acceptance',
                                    least(v_first_pct, v_max_pct)),
                             jsonb_build_object('pct', least(v_first_pct, v_max_pct)));
        end if;
      end if;
      if (v_net_adv + v_amount) * 100 > c.amount * v_max_pct then
        return kc_rule_err('amount', 'max_before_acceptance',
                           format('advances are at most %s %% of the contract until acceptance', v_max_pct),
                           jsonb_build_object('pct', v_max_pct, 'advanced', v_net_adv));
      end if;
      if not v_first then
        v_err := kc_advance_conditions_err(pr.id, v_on, false, v_net_adv + v_amount, c.amount);
        if v_err is not null then
          return v_err;
        end if;
      end if;
    end if;
  end if;
  perform kc_actor_set(p_user, p_role, null, p->>'document_no');
  insert into disbursements (project_id, kind, amount, paid_on, document_no, paid_by)
  values (pr.id, v_kind, v_amount, v_on, p->>'document_no', p_user)
  returning * into d;
  if v_kind = 'advance' and pr.status = 'approved' then
    perform kc_budget_move(pr.id, p_role, 'in_progress', 'advanced');
  elsif v_kind = 'final' and pr.status = 'completed' then
    perform kc_budget_move(pr.id, p_role, 'completed', 'fully_advanced');
  end if;
  perform kc_audit(p_user, p_username, p_peer, 'budget.disburse', 'disbursement', d.id, m,
                   to_jsonb(d) - 'paid_at');
  return jsonb_build_object('result', to_jsonb(d) - 'paid_at'
                                      || jsonb_build_object('paid_at', kc_instant(d.paid_at),
                                                            'project', kc_project_money(pr.id)));
end $$;

-- ---------------------------------------------------------------------------
-- budget.settle (0012) by the project's money writer: a local project by
-- its province's leader, from and back to the province's local
-- appropriation; a national one by the Ministry as before.
-- {project_id, version, settled_on, record_no, amounts, partial?, reason?,
--  volume_accepted_on?}: `partial` is step 24 (force majeure, TT 36/2013
-- Art. 18.4): a running project settled on the volume actually done, with
-- the unit's explanation (`reason`) and the day that volume was accepted by
-- the Department or the commune (`volume_accepted_on`, in place of the
-- acceptance) → settled / partially_settled.
-- ---------------------------------------------------------------------------
alter table settlements add column partial boolean not null default false,
                        add column reason text check (length(reason) <= 20000);

create or replace function kc_budget_settle(p_user bigint, p_username text, p_peer text, p_role text,
                                            p_scope bigint, p jsonb) returns jsonb
language plpgsql as $$
declare
  pr projects;
  v plans;
  v_err jsonb;
  m jsonb;
  dd record;
  v_on date := (p->>'settled_on')::date;
  v_partial boolean := coalesce((p->>'partial')::boolean, false);
  v_stage text;
  v_accepted_on date;
  v_dossier_due date;
  v_year_end_due date;
  v_source text;
  v_settled bigint;
  v_alloc bigint;
  v_paid bigint;
  v_carried bigint;
  v_release bigint;
begin
  pr := kc_budget_project((p->>'project_id')::bigint, p_scope, true);
  if pr.id is null then
    return kc_err(1004, 'no such project');
  end if;
  select * into v from plans where id = pr.plan_id;
  v_err := coalesce(kc_money_writer_err(p_role, p_scope, v.scope, 'settlement'),
                    kc_record_check('project', true, pr.version, (p->>'version')::integer, pr.status,
                                    case when v_partial then array['in_progress'] else array['completed'] end));
  if v_err is not null then
    return v_err;
  end if;
  v_stage := case when v_partial then 'partially_settled' else 'settled' end;
  if not exists (select 1 from project_transitions t
                  where t.from_status = pr.status and t.to_status = 'settled' and t.to_stage = v_stage
                    and t.role = p_role and t.scope in ('any', v.scope)) then
    return kc_err(1010, format('a %s project is not settled by %s', v.scope, p_role),
                  jsonb_build_object('status', pr.status));
  end if;
  if v_partial then
    if p->>'reason' is null or p->>'volume_accepted_on' is null then
      return kc_rule_err(case when p->>'reason' is null then 'reason' else 'volume_accepted_on' end, 'required',
                         'a partial settlement (force majeure) states the reason and the day the volume done was accepted (TT 36/2013 Art. 18.4)');
    end if;
    v_accepted_on := (p->>'volume_accepted_on')::date;
    v_dossier_due := v_accepted_on + 15;
    v_year_end_due := make_date(kc_project_last_year(pr.id) + 1, 1, 22);
  else
    select * into dd from kc_settle_due(pr.id);
    if dd.accepted_on is null then
      return kc_rule_err('project_id', 'acceptance', 'settlement comes after the acceptance record');
    end if;
    v_accepted_on := dd.accepted_on;
    v_dossier_due := dd.dossier_due;
    v_year_end_due := dd.year_end_due;
  end if;
  if v_on < v_accepted_on then
    return kc_rule_err('settled_on', 'order', 'settlement is not before acceptance');
  end if;
  if (select count(distinct x->>'source') from jsonb_array_elements(p->'amounts') x)
     <> jsonb_array_length(p->'amounts') then
    return kc_rule_err('amounts', 'unique', 'one amount per source');
  end if;
  v_source := kc_money_source(v.scope);
  m := kc_project_money(pr.id);
  v_paid := (m->>'paid')::bigint;
  select coalesce(sum(amount), 0) into v_alloc from allocations where project_id = pr.id and source = v_source;
  select coalesce(sum(amount), 0) into v_carried from carry_overs where project_id = pr.id;
  v_settled := coalesce((select (x->>'amount')::bigint from jsonb_array_elements(p->'amounts') x
                          where x->>'source' = v_source), 0);
  if v_settled > v_paid then
    return kc_rule_err('amounts', 'paid',
                       format('the %s amount settled is at most what was paid (%s đồng)', v_source, v_paid),
                       jsonb_build_object('paid', v_paid));
  end if;
  -- a partial settlement ends the project: what was carried over goes back too
  if v_partial then
    v_carried := 0;
  end if;
  v_release := v_alloc - v_paid - v_carried;
  if v_release < 0 then
    return kc_rule_err('amounts', 'carry_over',
                       format('paid %s and carried over %s exceed the allocation %s', v_paid, v_carried, v_alloc));
  end if;
  -- the settlement's central_* columns hold the project's own budget's
  -- figures (central for national, local for local projects)
  insert into settlements (project_id, settled_on, record_no, accepted_on, dossier_due, year_end_due,
                           settle_due, settled_late, central_allocated, central_paid, carried_over,
                           released, to_recover, settled_by, partial, reason)
  values (pr.id, v_on, p->>'record_no', v_accepted_on, v_dossier_due, v_year_end_due,
          least(v_dossier_due, v_year_end_due), v_on > least(v_dossier_due, v_year_end_due),
          v_alloc, v_paid, v_carried, v_release, v_paid - v_settled, p_user, v_partial, p->>'reason');
  insert into settlement_amounts (project_id, source, amount)
  select pr.id, x->>'source', (x->>'amount')::bigint from jsonb_array_elements(p->'amounts') x;
  perform kc_money_release(pr.id, v_source, v_release, format('quyết toán %s', p->>'record_no'), p_user);
  perform kc_actor_set(p_user, p_role, p->>'reason', p->>'record_no');
  update projects set status = 'settled', stage = v_stage, version = version + 1 where id = pr.id;
  perform kc_audit(p_user, p_username, p_peer, 'budget.settle', 'settlement', pr.id, m,
                   kc_settlement_json(pr.id));
  return jsonb_build_object('result', kc_settlement_json(pr.id)
                                      || jsonb_build_object('version', pr.version + 1,
                                                            'project', kc_project_money(pr.id)));
end $$;

-- ---------------------------------------------------------------------------
-- budget.recover (0022) by the project's money writer, to its own budget.
-- ---------------------------------------------------------------------------
create or replace function kc_budget_recover(p_user bigint, p_username text, p_peer text, p_role text,
                                             p_scope bigint, p jsonb) returns jsonb
language plpgsql as $$
declare
  pr projects;
  v plans;
  s settlements;
  d disbursements;
  m jsonb;
  v_err jsonb;
  v_amount bigint := (p->>'amount')::bigint;
  v_on date := (p->>'date')::date;
  v_owed bigint;
begin
  pr := kc_budget_project((p->>'project_id')::bigint, p_scope, true);
  if pr.id is null then
    return kc_err(1004, 'no such project');
  end if;
  select * into v from plans where id = pr.plan_id;
  v_err := kc_money_writer_err(p_role, p_scope, v.scope, 'recovery');
  if v_err is not null then
    return v_err;
  end if;
  if pr.status <> 'settled' then
    return kc_err(1010, format('a %s project has nothing to recover yet: settle it first', pr.status),
                  jsonb_build_object('status', pr.status));
  end if;
  select * into s from settlements where project_id = pr.id;
  v_owed := kc_recover_outstanding(pr.id);
  if v_amount > v_owed then
    return kc_rule_err('amount', 'to_recover',
                       format('at most what is still owed after settlement (%s đồng) is recovered', v_owed),
                       jsonb_build_object('outstanding', v_owed));
  end if;
  if v_on < s.settled_on then
    return kc_rule_err('date', 'order', 'a recovery is not dated before the settlement');
  end if;
  m := kc_project_money(pr.id);
  perform kc_actor_set(p_user, p_role, null, p->>'document_no');
  insert into disbursements (project_id, kind, amount, paid_on, document_no, paid_by)
  values (pr.id, 'refund', v_amount, v_on, p->>'document_no', p_user)
  returning * into d;
  perform kc_money_release(pr.id, kc_money_source(v.scope), v_amount,
                           format('thu hồi %s', p->>'document_no'), p_user);
  perform kc_audit(p_user, p_username, p_peer, 'budget.recover', 'disbursement', d.id, m,
                   to_jsonb(d) - 'paid_at');
  return jsonb_build_object('result', to_jsonb(d) - 'paid_at'
                                      || jsonb_build_object('paid_at', kc_instant(d.paid_at),
                                                            'outstanding', v_owed - v_amount,
                                                            'project', kc_project_money(pr.id)));
end $$;

-- ---------------------------------------------------------------------------
-- budget.summary {year} (0012): by source — the Ministry every
-- appropriation (local summed over the provinces, read-only), a province
-- its own local appropriation; by province as before, plus what cancelled
-- projects still owe (refund_outstanding) and the province's local
-- appropriation (local_appropriated).
-- ---------------------------------------------------------------------------
create or replace function kc_budget_summary(p_scope bigint, p jsonb) returns jsonb
language sql stable as $$
  with y as (select (p->>'year')::integer as year),
  prj as (
    select pr.id, coalesce(o.province_code, '00') as province_code
      from projects pr join plans pl on pl.id = pr.plan_id join orgs o on o.id = pl.org_id, y
     where pl.year = y.year
       and kc_plan_visible(pl.org_id, pl.scope, pl.status, p_scope)),
  ap as (select a.* from appropriations a, y
          where a.year = y.year and (p_scope is null or (a.source = 'local' and a.province_id = p_scope))),
  al as (select a.project_id, a.source, a.amount, a.province_id from allocations a, y where a.year = y.year),
  rl as (select r.project_id, r.source, r.amount, r.province_id from budget_releases r, y where r.year = y.year),
  by_source as (
    select s.code as source,
           coalesce((select sum(ap.amount) from ap where ap.source = s.code), 0) as appropriated,
           coalesce((select sum(amount) from al where al.source = s.code
                       and (p_scope is null or al.province_id = p_scope)), 0) as allocated,
           coalesce((select sum(amount) from rl where rl.source = s.code
                       and (p_scope is null or rl.province_id = p_scope)), 0) as released
      from funding_sources s
     where exists (select 1 from ap where ap.source = s.code)
        or (p_scope is null and exists (select 1 from al where al.source = s.code))),
  by_province as (
    select prj.province_code,
           coalesce(sum((select coalesce(sum(amount), 0) from al where al.project_id = prj.id)), 0) as allocated,
           coalesce(sum((select coalesce(sum(amount), 0) from contracts c where c.project_id = prj.id)), 0) as contracted,
           coalesce(sum((select coalesce(sum(amount), 0) from disbursements d where d.project_id = prj.id and d.kind = 'advance')), 0) as advanced,
           coalesce(sum((select coalesce(sum(amount), 0) from disbursements d where d.project_id = prj.id and d.kind = 'final')), 0) as final,
           coalesce(sum((select coalesce(sum(amount), 0) from disbursements d where d.project_id = prj.id and d.kind = 'refund')), 0) as refunded,
           coalesce(sum((select coalesce(sum(amount), 0) from settlement_amounts sa where sa.project_id = prj.id and sa.source = 'central')), 0) as settled,
           coalesce(sum((select coalesce(sum(amount), 0) from settlement_amounts sa where sa.project_id = prj.id and sa.source = 'local')), 0) as settled_local,
           coalesce(sum((select coalesce(sum(amount), 0) from rl where rl.project_id = prj.id)), 0) as released,
           coalesce(sum((select coalesce(sum(amount), 0) from carry_overs co where co.project_id = prj.id)), 0) as carried_over,
           coalesce(sum(coalesce(kc_refund_outstanding(prj.id), 0)), 0) as refund_outstanding
      from prj
     where exists (select 1 from al where al.project_id = prj.id)
        or exists (select 1 from contracts c where c.project_id = prj.id)
        or exists (select 1 from disbursements d where d.project_id = prj.id)
     group by prj.province_code)
  select jsonb_build_object('result', jsonb_build_object(
    'year', (select year from y),
    'by_source', (select coalesce(jsonb_agg(jsonb_build_object(
                'source', source, 'appropriated', appropriated, 'allocated', allocated,
                'released', released,
                'remaining', appropriated - allocated + released) order by source), '[]'::jsonb)
         from by_source),
    'local_appropriations', (select coalesce(jsonb_agg(jsonb_build_object(
                'province_id', ap.province_id, 'province_code', o.province_code,
                'amount', ap.amount, 'allocated', ap.allocated, 'remaining', ap.amount - ap.allocated,
                'version', ap.version) order by o.province_code), '[]'::jsonb)
         from ap join orgs o on o.id = ap.province_id where ap.source = 'local'),
    'by_province', (select coalesce(jsonb_agg(jsonb_build_object(
                'province_code', province_code, 'allocated', allocated, 'contracted', contracted,
                'advanced', advanced, 'final', final, 'refunded', refunded,
                'paid', advanced + final - refunded,
                'remaining', allocated - (advanced + final - refunded),
                'settled', settled, 'settled_local', settled_local, 'released', released,
                'carried_over', carried_over, 'refund_outstanding', refund_outstanding)
                order by province_code), '[]'::jsonb)
         from by_province)))
$$;

-- ---------------------------------------------------------------------------
-- 2. Advances by content, with their conditions (DOMAIN §2.5; TT 36/2013
--    Art. 13–14, 23.3)
-- ---------------------------------------------------------------------------
-- The first advance by activity. The activity is the project's cap row
-- (support_caps.cap_code: C22 is cluster infrastructure, C21 its detailed
-- plan, ...): the content alone cannot tell 30 % from 70 % (ND45.4.7.b,
-- ND45.4.7.c) nor the 100 % of a start-up (C01 inside ND45.4.2). A project
-- without a row for its activity takes its content's first_advance_pct,
-- and a content with no single value (null) the lowest of its activities.
create table advance_first_rules (
  cap_code text not null,
  first_pct integer not null check (first_pct in (30, 70, 100)),
  -- before the first advance: a progress report confirmed by the Department
  -- showing more than this share of the supported item done (null: none)
  min_progress_pct integer check (min_progress_pct between 0 and 100),
  -- the advance is paid only after base acceptance (the start-up case)
  after_acceptance boolean not null default false,
  -- the documents the act asks for (kept for the message and the forms;
  -- enforced only where the system records them: see docs/domain.md)
  evidence text not null,
  legal_act text not null,
  valid_from date not null,
  valid_to date,
  confidence char(1) not null check (confidence in ('C', 'P', 'U')),
  version integer not null default 1,
  primary key (cap_code, valid_from),
  check (valid_to is null or valid_to >= valid_from)
);

insert into advance_first_rules (cap_code, first_pct, min_progress_pct, after_acceptance, evidence, legal_act,
                                 valid_from, confidence) values
  ('C22', 30, 50, false, 'Hợp đồng và báo cáo tiến độ cho thấy đã thực hiện trên 50 % hạng mục được hỗ trợ (hạ tầng CCN)',
   'TT 36/2013/TT-BCT Điều 13 (DOMAIN §2.5)', '2014-02-10', 'C'),
  ('C20', 30, 50, false, 'Hợp đồng và báo cáo tiến độ cho thấy đã thực hiện trên 50 % hạng mục được hỗ trợ (hệ thống xử lý ô nhiễm tại CCN)',
   'TT 36/2013/TT-BCT Điều 13 (DOMAIN §2.5)', '2014-02-10', 'C'),
  ('C21', 70, null, false, 'Hợp đồng (quy hoạch chi tiết CCN)',
   'TT 36/2013/TT-BCT Điều 13 (DOMAIN §2.5)', '2014-02-10', 'C'),
  ('C19', 70, null, false, 'Báo cáo tiến độ cho thấy đã thực hiện trên 70 % vốn đầu tư (hệ thống xử lý ô nhiễm tại cơ sở)',
   'TT 36/2013/TT-BCT Điều 13 (DOMAIN §2.5)', '2014-02-10', 'C'),
  ('C02', 70, null, false, 'Báo cáo tiến độ cho thấy đã thực hiện trên 70 % vốn đầu tư (mô hình trình diễn)',
   'TT 36/2013/TT-BCT Điều 13 (DOMAIN §2.5)', '2014-02-10', 'C'),
  ('C03', 70, null, false, 'Báo cáo tiến độ cho thấy đã thực hiện trên 70 % vốn đầu tư (mô hình trình diễn)',
   'TT 36/2013/TT-BCT Điều 13 (DOMAIN §2.5)', '2014-02-10', 'C'),
  ('C04', 70, null, false, 'Báo cáo tiến độ cho thấy đã thực hiện trên 70 % vốn đầu tư (máy móc thiết bị)',
   'TT 36/2013/TT-BCT Điều 13 (DOMAIN §2.5)', '2014-02-10', 'C'),
  ('C04b', 70, null, false, 'Báo cáo tiến độ cho thấy đã thực hiện trên 70 % vốn đầu tư (dây chuyền công nghệ)',
   'TT 36/2013/TT-BCT Điều 13 (DOMAIN §2.5)', '2014-02-10', 'C'),
  ('C01', 100, null, true, 'Sau nghiệm thu cơ sở và giấy chứng nhận đăng ký doanh nghiệp (hỗ trợ thành lập doanh nghiệp CNNT)',
   'TT 36/2013/TT-BCT Điều 13 (DOMAIN §2.5)', '2014-02-10', 'C');

-- Later advances before acceptance (DOMAIN §2.5 "multi-year projects:
-- advances are staged by progress"; §2.11 step 15: the report that backs an
-- advance request is confirmed by the Department, TT 36/2013 Art. 23.3):
-- a confirmed progress report, and all advances at most its share of the
-- contract. As data, with the act.
alter table advance_rules drop constraint advance_rules_code_check;
alter table advance_rules add constraint advance_rules_code_check
  check (code in ('max_before_acceptance_pct', 'first_advance_default_pct', 'later_advance_progress_pct'));
insert into advance_rules (code, value_pct, description, legal_act, valid_from, confidence) values
  ('later_advance_progress_pct', 100,
   'Tạm ứng các lần sau: có báo cáo tiến độ được Sở Công Thương xác nhận; tổng tạm ứng không quá (giá trị này) % của tỷ lệ khối lượng hoàn thành nhân với giá trị hợp đồng',
   'TT 36/2013/TT-BCT Điều 13, 23.3 (DOMAIN §2.5, §2.11 bước 15)', '2014-02-10', 'P');

-- The cluster contents have no single first advance: without the
-- activity, the lower (30 %) applies, never 70 % where 30 % is the law.
update content_categories set first_advance_pct = 30,
       note = concat_ws(' ', note, 'Không rõ hoạt động (mã mức hỗ trợ): tạm ứng lần một 30 % (mức thấp nhất của nội dung), 0025.')
 where code in ('ND45.4.7.b', 'ND45.4.7.c') and first_advance_pct is null;

-- The first-advance rule of a project on a day: its activity's row, else
-- its content's percentage.
create function kc_first_advance(p_project bigint, p_on date)
returns table (first_pct integer, min_progress_pct integer, after_acceptance boolean, evidence text,
               legal_act text)
language sql stable as $$
  select r.first_pct, r.min_progress_pct, r.after_acceptance, r.evidence, r.legal_act
    from projects pr join advance_first_rules r on r.cap_code = pr.cap_code
   where pr.id = p_project and kc_valid_on(r.valid_from, r.valid_to, p_on)
  union all
  select coalesce(cc.first_advance_pct, kc_advance_rule('first_advance_default_pct', p_on)), null, false,
         coalesce(cc.note, ''), cc.legal_act
    from project_categories pc join content_categories cc on cc.code = pc.content_code
   where pc.project_id = p_project and pc.is_primary
     and not exists (select 1 from projects pr join advance_first_rules r on r.cap_code = pr.cap_code
                      where pr.id = p_project and kc_valid_on(r.valid_from, r.valid_to, p_on))
  limit 1
$$;

create or replace function kc_first_advance_pct(p_project bigint, p_on date) returns integer
language sql stable as $$
  select coalesce((select first_pct from kc_first_advance(p_project, p_on)),
                  kc_advance_rule('first_advance_default_pct', p_on))
$$;

-- The latest progress report confirmed by the Department, by period.
create function kc_confirmed_progress(p_project bigint) returns integer
language sql stable as $$
  select percent_done from project_progress_reports
   where project_id = p_project and confirmed_at is not null
   order by period desc limit 1
$$;

-- Conditions of an advance before acceptance other than its amount:
-- the first — its activity's (start-up only after acceptance; a confirmed
-- report above min_progress_pct); a later one — a confirmed report, and all
-- advances net of refunds at most the share done of the contract.
create function kc_advance_conditions_err(p_project bigint, p_on date, p_first boolean, p_total bigint,
                                          p_contract bigint) returns jsonb
language plpgsql stable as $$
declare
  f record;
  v_pct integer := kc_confirmed_progress(p_project);
  v_rule integer := kc_advance_rule('later_advance_progress_pct', p_on);
begin
  if p_first then
    select * into f from kc_first_advance(p_project, p_on);
    if f.after_acceptance then
      return kc_rule_err('kind', 'first_advance_after_acceptance',
                         format('this activity is advanced %s %% only after base acceptance: %s (%s)',
                                f.first_pct, f.evidence, f.legal_act),
                         jsonb_build_object('pct', f.first_pct));
    end if;
    if f.min_progress_pct is not null and coalesce(v_pct, 0) <= f.min_progress_pct then
      return kc_rule_err('project_id', 'first_advance_progress',
                         format('the first advance of this activity needs a confirmed progress report above %s %%: %s (%s)',
                                f.min_progress_pct, f.evidence, f.legal_act),
                         jsonb_build_object('min_progress_pct', f.min_progress_pct, 'confirmed_pct', v_pct));
    end if;
    return null;
  end if;
  if v_pct is null then
    return kc_rule_err('project_id', 'progress_confirmed',
                       'an advance after the first needs a progress report confirmed by the Department (TT 36/2013 Art. 13, 23.3)');
  end if;
  if p_total * 10000 > p_contract * v_pct * coalesce(v_rule, 100) then
    return kc_rule_err('amount', 'work_done',
                       format('advances are at most the share of work done (%s %% confirmed) of the contract', v_pct),
                       jsonb_build_object('confirmed_pct', v_pct,
                                          'limit', p_contract * v_pct * coalesce(v_rule, 100) / 10000));
  end if;
  return null;
end $$;

-- catalog.get serves the payment rules with the rest of the catalogue
-- (0004's kc_catalog_json kept under another name and wrapped, so its
-- sections are not copied here).
alter function kc_catalog_json(date) rename to kc_catalog_json_0004;
create function kc_catalog_json(p_on date) returns json
language sql stable as $$
  select (kc_catalog_json_0004(p_on)::jsonb || jsonb_build_object(
    'advance_rules', coalesce((select jsonb_agg(to_jsonb(t) order by t.code, t.valid_from) from advance_rules t
                                where kc_valid_on(t.valid_from, t.valid_to, p_on)), '[]'),
    'advance_first_rules', coalesce((select jsonb_agg(to_jsonb(t) order by t.cap_code, t.valid_from)
                                       from advance_first_rules t
                                      where kc_valid_on(t.valid_from, t.valid_to, p_on)), '[]')))::json
$$;

