-- 0011_budget.sql — the budget (issue 4): appropriation (dự toán) per year and
-- funding source → allocation to approved projects → contract (hợp đồng) →
-- advances, final payment and refunds (DOMAIN §2.5, §3.6) → budget.summary
-- (0012).
-- Settlement (quyết toán) and carry-over are not in this file yet.
--
-- Money is bigint VND. Every function follows 0005: one statement; scope
-- (1004) → the caller's role for this record (1003) → version (1009) →
-- status (1010) → rules (1022); kc_actor_set for the triggers; kc_audit last.
--
-- THE INVARIANT: the sum allocated from an appropriation never exceeds it.
-- appropriations.allocated is the running sum of allocations.amount of its
-- (year, source), kept by the trigger allocations_account (below) in the
-- same transaction as the insert, and CHECK (allocated <= amount) refuses
-- any row version that would break it. Why this is race-free, also with
-- any number of kc-server processes on the database: the trigger's
--   UPDATE appropriations SET allocated = allocated + NEW.amount WHERE ...
-- takes the row lock of the appropriation. A second allocator from the
-- same appropriation blocks on that lock until the first commits or rolls
-- back; PostgreSQL then re-reads the row's newest committed version
-- (READ COMMITTED re-check; under REPEATABLE READ / SERIALIZABLE it fails
-- with a serialisation error instead of using the stale value) and adds
-- to that, so no two allocators ever add to the same old sum, and the
-- CHECK is evaluated on the sum that will be committed. Lowering the
-- appropriation (budget.set_appropriation) updates the same row and so the
-- same lock and the same CHECK: it is refused below what is allocated.
-- Allocations are never updated or deleted (allocations_fixed), so the sum
-- only moves through the trigger; kc_budget_check_ledger() (0012, with the
-- releases settlement adds) compares it with its rows for the tests.

-- ---------------------------------------------------------------------------
-- The payment rules as data, with their legal act (DOMAIN §2.5, §3.6). The
-- first advance per content type is content_categories.first_advance_pct
-- (0004); a project without one uses 'first_advance_default'.
-- ---------------------------------------------------------------------------
create table advance_rules (
  code text not null check (code in ('max_before_acceptance_pct', 'first_advance_default_pct')),
  value_pct integer not null check (value_pct between 0 and 100),
  description text not null,
  legal_act text not null,
  valid_from date not null,
  valid_to date,
  confidence char(1) not null check (confidence in ('C', 'P', 'U')),
  version integer not null default 1,
  primary key (code, valid_from),
  check (valid_to is null or valid_to >= valid_from)
);

insert into advance_rules (code, value_pct, description, legal_act, valid_from, confidence) values
  ('max_before_acceptance_pct', 70,
   'Tổng mức tạm ứng trước nghiệm thu không quá 70 % kinh phí khuyến công hỗ trợ theo hợp đồng',
   'TTLT 26/2014/TTLT-BTC-BCT Điều 8 khoản 2 điểm b', '2014-04-08', 'C'),
  ('first_advance_default_pct', 70,
   'Tạm ứng lần một khi loại nội dung không quy định mức riêng',
   'TT 36/2013/TT-BCT Điều 13 (DOMAIN §2.5)', '2014-02-10', 'P');

-- The rule's value in force on @p_on.
create function kc_advance_rule(p_code text, p_on date) returns integer
language sql stable as $$
  select value_pct from advance_rules
   where code = p_code and kc_valid_on(valid_from, valid_to, p_on)
   order by valid_from desc limit 1
$$;

-- ---------------------------------------------------------------------------
-- Tables
-- ---------------------------------------------------------------------------
create table appropriations (
  year integer not null check (year between 2014 and 2100),
  source text not null references funding_sources (code),
  amount bigint not null check (amount >= 0),
  -- SUM(allocations.amount) of this (year, source), kept by allocations_account
  allocated bigint not null default 0 check (allocated >= 0),
  version integer not null default 1,
  updated_by bigint references users (id),
  updated_at timestamptz not null default now(),
  primary key (year, source),
  constraint appropriations_not_overallocated check (allocated <= amount)
);

create table allocations (
  id bigint generated always as identity primary key,
  project_id bigint not null references projects (id),
  year integer not null,
  source text not null default 'central',
  amount bigint not null check (amount > 0),
  allocated_by bigint not null references users (id),
  allocated_at timestamptz not null default now(),
  foreign key (year, source) references appropriations (year, source)
);
create index allocations_project_idx on allocations (project_id);
create index allocations_year_idx on allocations (year, source);

create function allocations_account() returns trigger
language plpgsql as $$
begin
  -- the row lock serialises allocators; the CHECK refuses an over-allocation
  update appropriations set allocated = allocated + new.amount
   where year = new.year and source = new.source;
  return null;
end $$;

create trigger allocations_account after insert on allocations
  for each row execute function allocations_account();

create function allocations_fixed() returns trigger
language plpgsql as $$
begin
  raise exception 'allocations are never changed or deleted' using errcode = 'KC010';
end $$;

create trigger allocations_fixed before update or delete on allocations
  for each row execute function allocations_fixed();
create trigger allocations_no_truncate before truncate on allocations
  for each statement execute function allocations_fixed();

create table contracts (
  id bigint generated always as identity primary key,
  project_id bigint not null unique references projects (id),
  number text not null check (length(number) between 1 and 100),
  signed_on date not null,
  party_a text not null check (length(party_a) between 1 and 300),
  party_b text not null check (length(party_b) between 1 and 300),
  amount bigint not null check (amount > 0),
  version integer not null default 1,
  created_by bigint not null references users (id),
  created_at timestamptz not null default now()
);

create table disbursements (
  id bigint generated always as identity primary key,
  project_id bigint not null references projects (id),
  kind text not null check (kind in ('advance', 'final', 'refund')),
  amount bigint not null check (amount > 0),
  paid_on date not null,
  document_no text not null check (length(document_no) between 1 and 100),
  paid_by bigint not null references users (id),
  paid_at timestamptz not null default now()
);
create index disbursements_project_idx on disbursements (project_id, id);

create trigger disbursements_fixed before update or delete on disbursements
  for each row execute function allocations_fixed();

-- ---------------------------------------------------------------------------
-- Helpers
-- ---------------------------------------------------------------------------
create function kc_appropriation_json(a appropriations) returns jsonb
language sql stable as $$
  select jsonb_build_object('year', a.year, 'source', a.source, 'amount', a.amount,
                            'allocated', a.allocated, 'remaining', a.amount - a.allocated,
                            'version', a.version, 'updated_by', a.updated_by,
                            'updated_at', kc_instant(a.updated_at))
$$;

-- The project's money: allocated, contracted, advanced, paid (final),
-- refunded, net paid; each a SUM over its rows.
create function kc_project_money(p_id bigint) returns jsonb
language sql stable as $$
  select jsonb_build_object(
    'project_id', p_id,
    'allocated', (select coalesce(sum(amount), 0) from allocations where project_id = p_id),
    'contracted', (select coalesce(sum(amount), 0) from contracts where project_id = p_id),
    'advanced', (select coalesce(sum(amount), 0) from disbursements where project_id = p_id and kind = 'advance'),
    'final', (select coalesce(sum(amount), 0) from disbursements where project_id = p_id and kind = 'final'),
    'refunded', (select coalesce(sum(amount), 0) from disbursements where project_id = p_id and kind = 'refund'),
    'paid', (select coalesce(sum(case when kind = 'refund' then -amount else amount end), 0)
               from disbursements where project_id = p_id))
$$;

-- The project for a budget write: locked, visible, with its plan.
-- Ministry side only (p_scope null); null when absent or out of scope.
create function kc_budget_project(p_id bigint, p_scope bigint, p_lock boolean) returns projects
language plpgsql as $$
declare
  pr projects;
  v plans;
begin
  if p_lock then
    select * into pr from projects where id = p_id for update;
  else
    select * into pr from projects where id = p_id for share;
  end if;
  if not found then
    return null;
  end if;
  select * into v from plans where id = pr.plan_id;
  if not kc_plan_visible(v.org_id, v.scope, v.status, p_scope) then
    return null;
  end if;
  return pr;
end $$;

-- Moves the project to (status, stage) when project_transitions lets
-- @p_role do so for the plan's scope; otherwise leaves it. True if moved.
create function kc_budget_move(p_id bigint, p_role text, p_status text, p_stage text) returns boolean
language plpgsql as $$
declare
  pr projects;
  v_scope text;
begin
  select * into pr from projects where id = p_id;
  select scope into v_scope from plans where id = pr.plan_id;
  if (pr.status, pr.stage) = (p_status, p_stage) then
    return false;
  end if;
  if not exists (select 1 from project_transitions t
                  where t.from_status = pr.status and t.to_status = p_status
                    and t.to_stage = p_stage and t.role = p_role
                    and t.scope in ('any', v_scope)) then
    return false;
  end if;
  update projects set status = p_status, stage = p_stage, version = version + 1 where id = p_id;
  return true;
end $$;

create function kc_rule_err(p_field text, p_rule text, p_message text, p_extra jsonb default '{}')
returns jsonb
language sql immutable as $$
  select kc_err(1022, p_message,
                jsonb_build_object('violations', jsonb_build_array(kc_violation(p_field, p_rule, p_message)))
                || p_extra)
$$;

-- ---------------------------------------------------------------------------
-- budget.set_appropriation {year, source, amount, version?}
-- Creates the (year, source) row or changes its amount; version, when
-- given, must be the row's current one (1009). Never below what is
-- allocated (1022 amount/allocated).
-- ---------------------------------------------------------------------------
create function kc_budget_set_appropriation(p_user bigint, p_username text, p_peer text, p_role text,
                                            p_scope bigint, p jsonb) returns jsonb
language plpgsql as $$
declare
  a appropriations;
  v_before jsonb;
  v_year integer := (p->>'year')::integer;
  v_amount bigint := (p->>'amount')::bigint;
begin
  if p_scope is not null then
    return kc_err(1003, 'appropriations are set by the Ministry');
  end if;
  if not exists (select 1 from funding_sources where code = p->>'source') then
    return kc_rule_err('source', 'exists', 'no such funding source');
  end if;
  -- creates the row if absent (a concurrent creator waits on the key),
  -- then locks it: the same lock the allocators take
  insert into appropriations (year, source, amount, version, updated_by)
  values (v_year, p->>'source', 0, 0, p_user)
  on conflict (year, source) do nothing;
  select * into a from appropriations where year = v_year and source = p->>'source' for update;
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
   where year = a.year and source = a.source
  returning * into a;
  perform kc_audit(p_user, p_username, p_peer, 'budget.set_appropriation', 'appropriation',
                   a.year::bigint, v_before, kc_appropriation_json(a));
  return jsonb_build_object('result', kc_appropriation_json(a));
end $$;

-- ---------------------------------------------------------------------------
-- budget.allocate {project_id, version, amount, source?, year?}
-- To an approved (or later, not settled/cancelled) project, from the
-- appropriation of the plan's year (or @year) and @source (default central).
-- The project's version is checked (1009) but not raised: allocations are
-- rows of their own, and several approvers may allocate at once.
-- ---------------------------------------------------------------------------
create function kc_budget_allocate(p_user bigint, p_username text, p_peer text, p_role text,
                                   p_scope bigint, p jsonb) returns jsonb
language plpgsql as $$
declare
  pr projects;
  v plans;
  al allocations;
  a appropriations;
  v_err jsonb;
  v_source text := coalesce(p->>'source', 'central');
  v_amount bigint := (p->>'amount')::bigint;
  v_year integer;
  v_line bigint;
  v_have bigint;
begin
  if p_scope is not null then
    return kc_err(1003, 'budget is allocated by the Ministry');
  end if;
  -- the project row lock serialises allocations to one project (its budget
  -- line); allocations to different projects meet at the appropriation row
  pr := kc_budget_project((p->>'project_id')::bigint, p_scope, true);
  if pr.id is null then
    return kc_err(1004, 'no such project');
  end if;
  select * into v from plans where id = pr.plan_id;
  v_err := kc_record_check('project', true, pr.version, (p->>'version')::integer, pr.status,
                           array['approved', 'in_progress', 'completed']);
  if v_err is not null then
    return v_err;
  end if;
  v_year := coalesce((p->>'year')::integer, v.year);
  select * into a from appropriations where year = v_year and source = v_source;
  if not found then
    return kc_rule_err('source', 'appropriation',
                       format('no appropriation for %s from source %s', v_year, v_source));
  end if;
  -- the project's own budget line for the source is the most it receives
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
    -- appropriations_not_overallocated: another allocation took the rest
    select * into a from appropriations where year = v_year and source = v_source;
    return kc_rule_err('amount', 'appropriation',
                       format('the appropriation %s/%s has %s đồng left', v_year, v_source,
                              a.amount - a.allocated),
                       jsonb_build_object('remaining', a.amount - a.allocated));
  end;
  perform kc_audit(p_user, p_username, p_peer, 'budget.allocate', 'allocation', al.id, null,
                   to_jsonb(al) - 'allocated_at');
  return jsonb_build_object('result', to_jsonb(al) - 'allocated_at'
                                      || jsonb_build_object('allocated_at', kc_instant(al.allocated_at),
                                                            'project', kc_project_money(pr.id)));
end $$;

-- ---------------------------------------------------------------------------
-- budget.contract {project_id, version, number, signed_on, amount, party_a?, party_b?}
-- One contract per project, not above what is allocated to it.
-- ---------------------------------------------------------------------------
create function kc_budget_contract(p_user bigint, p_username text, p_peer text, p_role text,
                                   p_scope bigint, p jsonb) returns jsonb
language plpgsql as $$
declare
  pr projects;
  c contracts;
  v_err jsonb;
  v_alloc bigint;
  v_before jsonb;
begin
  if p_scope is not null then
    return kc_err(1003, 'contracts are signed by the Ministry');
  end if;
  pr := kc_budget_project((p->>'project_id')::bigint, p_scope, true);
  if pr.id is null then
    return kc_err(1004, 'no such project');
  end if;
  v_err := kc_record_check('project', true, pr.version, (p->>'version')::integer, pr.status,
                           array['approved', 'in_progress']);
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
  v_before := kc_project_money(pr.id);
  perform kc_actor_set(p_user, p_role, null, p->>'number');
  insert into contracts (project_id, number, signed_on, party_a, party_b, amount, created_by)
  values (pr.id, p->>'number', (p->>'signed_on')::date,
          coalesce(p->>'party_a', 'Cục Đổi mới sáng tạo, Chuyển đổi xanh và Khuyến công'),
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
-- budget.disburse {project_id, kind, amount, date, document_no}
-- DOMAIN §2.5: no payment before a contract; before acceptance advances
-- only, the first at most the content type's first-advance percentage, all
-- together at most max_before_acceptance_pct of the contract; a final
-- payment only after acceptance; never beyond the contract (≤ the
-- allocation); a refund at most what was paid and lowers the advanced total.
-- The project row lock serialises payments of one project.
-- ---------------------------------------------------------------------------
create function kc_budget_disburse(p_user bigint, p_username text, p_peer text, p_role text,
                                   p_scope bigint, p jsonb) returns jsonb
language plpgsql as $$
declare
  pr projects;
  c contracts;
  d disbursements;
  m jsonb;
  v_kind text := coalesce(p->>'kind', 'advance');
  v_amount bigint := (p->>'amount')::bigint;
  v_on date := (p->>'date')::date;
  v_accepted boolean;
  v_max_pct integer;
  v_first_pct integer;
  v_net_adv bigint;
  v_paid bigint;
  v_alloc bigint;
begin
  if p_scope is not null then
    return kc_err(1003, 'payments are made by the Ministry');
  end if;
  pr := kc_budget_project((p->>'project_id')::bigint, p_scope, true);
  if pr.id is null then
    return kc_err(1004, 'no such project');
  end if;
  if pr.status not in ('approved', 'in_progress', 'completed') then
    return kc_err(1010, format('not allowed while the project is %s', pr.status),
                  jsonb_build_object('status', pr.status));
  end if;
  select * into c from contracts where project_id = pr.id;
  if c.id is null then
    return kc_rule_err('project_id', 'contract', 'no payment before the contract is signed');
  end if;
  if v_on < c.signed_on then
    return kc_rule_err('date', 'contract', 'the payment date is not before the contract is signed');
  end if;
  m := kc_project_money(pr.id);
  v_alloc := (m->>'allocated')::bigint;
  v_paid := (m->>'paid')::bigint;
  -- advances net of refunds (a refund returns an unused advance)
  v_net_adv := (m->>'advanced')::bigint - (m->>'refunded')::bigint;
  v_accepted := pr.status = 'completed'
                or exists (select 1 from project_acceptances where project_id = pr.id);
  v_max_pct := kc_advance_rule('max_before_acceptance_pct', v_on);
  select coalesce(cc.first_advance_pct, kc_advance_rule('first_advance_default_pct', v_on))
    into v_first_pct
    from project_categories pc join content_categories cc on cc.code = pc.content_code
   where pc.project_id = pr.id and pc.is_primary;
  v_first_pct := coalesce(v_first_pct, kc_advance_rule('first_advance_default_pct', v_on));
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
      if not exists (select 1 from disbursements where project_id = pr.id and kind = 'advance')
         and v_amount * 100 > c.amount * least(v_first_pct, v_max_pct) then
        return kc_rule_err('amount', 'first_advance',
                           format('the first advance is at most %s %% of the contract before acceptance',
                                  least(v_first_pct, v_max_pct)),
                           jsonb_build_object('pct', least(v_first_pct, v_max_pct)));
      end if;
      if (v_net_adv + v_amount) * 100 > c.amount * v_max_pct then
        return kc_rule_err('amount', 'max_before_acceptance',
                           format('advances are at most %s %% of the contract until acceptance', v_max_pct),
                           jsonb_build_object('pct', v_max_pct, 'advanced', v_net_adv));
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

