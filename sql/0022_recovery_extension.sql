-- 0022 — after settlement and after an extension (issue 4).
--
-- Recovery (thu hồi): settlement records as to_recover what was paid from
-- the central budget but not settled (TT 36/2013 Art. 19); the implementer
-- pays it back. budget.recover records each repayment as a refund
-- (disbursements, so every money summary counts it) and returns it to the
-- appropriation it came from (budget_releases, latest allocation year
-- first), never more than is still owed.
--
-- Extension: an amending decision that extends a project into the next
-- year (decision.amend, action extend) counts like an approved
-- extend_next_year adjustment: the project may end, report progress and
-- settle one year later (kc_project_extension feeds the date rule, the
-- monthly progress calendar and the settlement deadline).

-- (PL/pgSQL for its cached plan: kc_project_check calls it on every write.)
create or replace function kc_project_extension(p_id bigint) returns integer
language plpgsql stable as $$
begin
  return case when exists (select 1 from project_adjustments a
                            where a.project_id = p_id and a.type = 'extend_next_year'
                              and a.status = 'approved')
                or exists (select 1 from plan_decision_items i
                            where i.project_id = p_id and i.action = 'extend') then 1 else 0 end;
end $$;

-- What the implementer still owes after settlement: to_recover less the
-- refunds recorded after it (each recovery is such a refund).
create function kc_recover_outstanding(p_id bigint) returns bigint
language sql stable as $$
  select s.to_recover - coalesce((select sum(d.amount) from disbursements d
                                   where d.project_id = p_id and d.kind = 'refund'
                                     and d.paid_at > s.settled_at), 0)
    from settlements s where s.project_id = p_id
$$;

-- ---------------------------------------------------------------------------
-- budget.recover {project_id, amount, date, document_no}
-- ---------------------------------------------------------------------------
create function kc_budget_recover(p_user bigint, p_username text, p_peer text, p_role text,
                                  p_scope bigint, p jsonb) returns jsonb
language plpgsql as $$
declare
  pr projects;
  s settlements;
  d disbursements;
  r record;
  m jsonb;
  v_amount bigint := (p->>'amount')::bigint;
  v_on date := (p->>'date')::date;
  v_owed bigint;
  v_left bigint;
  v_part bigint;
begin
  if p_scope is not null then
    return kc_err(1003, 'recoveries are recorded by the Ministry');
  end if;
  pr := kc_budget_project((p->>'project_id')::bigint, p_scope, true);
  if pr.id is null then
    return kc_err(1004, 'no such project');
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
  v_left := v_amount;
  for r in select a.year, sum(a.amount) as amount from allocations a
            where a.project_id = pr.id and a.source = 'central' group by a.year order by a.year desc loop
    exit when v_left <= 0;
    v_part := least(v_left, r.amount - coalesce((select sum(b.amount) from budget_releases b
                                                  where b.project_id = pr.id and b.year = r.year
                                                    and b.source = 'central'), 0));
    continue when v_part <= 0;
    insert into budget_releases (project_id, year, source, amount, reason, released_by)
    values (pr.id, r.year, 'central', v_part, format('thu hồi %s', p->>'document_no'), p_user);
    v_left := v_left - v_part;
  end loop;
  perform kc_audit(p_user, p_username, p_peer, 'budget.recover', 'disbursement', d.id, m,
                   to_jsonb(d) - 'paid_at');
  return jsonb_build_object('result', to_jsonb(d) - 'paid_at'
                                      || jsonb_build_object('paid_at', kc_instant(d.paid_at),
                                                            'outstanding', v_owed - v_amount,
                                                            'project', kc_project_money(pr.id)));
end $$;
