-- 0035_rule_data.sql — errors a client can word in its own language (issue
-- 17, point 1), and the audit log's records by name (point 6).
--
-- The server's messages are English sentences for logs and developers; a
-- client translates by code and data (PROTOCOL.md). Until now a 1022
-- violation carried {field, rule, message} and, for the money acts, some
-- numbers beside the list (data.pct, data.limit ...), and the project
-- check's violations none at all: the client had the rule's name but not
-- the amounts, so it could only say "above the support cap" or fall back
-- to the English text. Now:
--
--   * every violation made by kc_rule_err carries its numbers as `data`
--     too (they stay beside the list as before);
--   * budget.disburse's advance and payment refusals add the contract, the
--     percentage, what was already advanced and the most this payment may
--     be (`max`), so the client can say "at most 196.000.000 ₫ = 70 % of
--     the contract" — before this, only the percentage;
--   * the project check's cap_code / cap / counterpart / total violations
--     and warnings carry the caps to choose from (content, day, each cap's
--     code, % and amount and act), the limit and the amounts.
--
-- The wrappers keep the earlier functions under a suffixed name, as 0025
-- did, so each result is the earlier one plus `data`.

-- ---------------------------------------------------------------------------
-- kc_rule_err: the extra data also on the violation
-- ---------------------------------------------------------------------------
create or replace function kc_rule_err(p_field text, p_rule text, p_message text, p_extra jsonb default '{}')
returns jsonb
language sql immutable as $$
  select kc_err(1022, p_message,
                jsonb_build_object('violations', jsonb_build_array(
                    kc_violation(p_field, p_rule, p_message)
                    || case when p_extra is null or p_extra = '{}'::jsonb then '{}'::jsonb
                            else jsonb_build_object('data', p_extra) end))
                || coalesce(p_extra, '{}'::jsonb))
$$;

-- ---------------------------------------------------------------------------
-- budget.disburse: the limits of an advance or payment in đồng
-- ---------------------------------------------------------------------------
alter function kc_budget_disburse(bigint, text, text, text, bigint, jsonb) rename to kc_budget_disburse_0031;

create function kc_budget_disburse(p_user bigint, p_username text, p_peer text, p_role text,
                                   p_scope bigint, p jsonb) returns jsonb
language plpgsql as $$
declare
  v_res jsonb := kc_budget_disburse_0031(p_user, p_username, p_peer, p_role, p_scope, p);
  v_viol jsonb := v_res->'error'->'data'->'violations'->0;
  v_rule text := v_viol->>'rule';
  v_data jsonb;
  v_contract bigint;
  v_advanced bigint;
  v_pct integer;
  v_max bigint;
begin
  if v_viol is null or v_rule not in ('first_advance', 'max_before_acceptance', 'allocation') then
    return v_res;
  end if;
  select c.amount into v_contract from contracts c where c.project_id = (p->>'project_id')::bigint;
  v_data := coalesce(v_viol->'data', '{}'::jsonb)
            || jsonb_build_object('amount', (p->>'amount')::bigint, 'contract', v_contract);
  if v_rule = 'allocation' then
    v_max := greatest((v_data->>'limit')::bigint - (v_data->>'paid')::bigint, 0);
  else
    v_pct := (v_data->>'pct')::integer;
    v_advanced := coalesce((v_data->>'advanced')::bigint, 0);
    v_max := greatest(floor(v_contract * v_pct / 100.0)::bigint - v_advanced, 0);
    v_data := v_data || jsonb_build_object('advanced', v_advanced,
                                           'limit', floor(v_contract * v_pct / 100.0)::bigint);
  end if;
  v_data := v_data || jsonb_build_object('max', v_max);
  return jsonb_set(jsonb_set(v_res, '{error,data,violations,0}', v_viol || jsonb_build_object('data', v_data)),
                   '{error,data}', (v_res->'error'->'data') - 'violations'
                                   || jsonb_build_object('violations',
                                        jsonb_build_array(v_viol || jsonb_build_object('data', v_data)))
                                   || v_data);
end $$;

-- ---------------------------------------------------------------------------
-- The project check: each violation's and warning's numbers
-- ---------------------------------------------------------------------------

-- The caps in force for a content on a day, as a client lists them.
create function kc_caps_choice(p_content text, p_on date) returns jsonb
language sql stable as $$
  select coalesce(jsonb_agg(jsonb_build_object(
           'cap_code', x.cap_code, 'pct_cap', x.pct_cap, 'abs_cap_vnd', x.abs_cap_vnd,
           'legal_act', x.legal_act, 'confidence', x.confidence) order by x.cap_code), '[]'::jsonb)
    from kc_caps_in_force(p_content, p_on) x
$$;

create function kc_violation_data(pr projects, p_res jsonb, p_v jsonb) returns jsonb
language plpgsql stable as $$
declare
  v_on date := (p_res->>'checked_on')::date;
  v_content text;
  v_cap jsonb;
  v_sum bigint;
begin
  if p_v ? 'data' then
    return p_v;
  end if;
  case p_v->>'rule'
    when 'required' then
      if p_v->>'field' is distinct from 'cap_code' then
        return p_v;
      end if;
      select content_code into v_content from project_categories where project_id = pr.id and is_primary;
      return p_v || jsonb_build_object('data', jsonb_build_object(
        'content', v_content, 'on', v_on, 'caps', kc_caps_choice(v_content, v_on)));
    when 'cap' then
      v_cap := case when p_v->>'field' = 'budget_lines.local' then p_res->'local_cap' else p_res->'cap' end;
      if v_cap is null then
        return p_v;
      end if;
      return p_v || jsonb_build_object('data', jsonb_build_object(
        'cap_code', v_cap->'cap_code', 'legal_act', v_cap->'legal_act',
        'pct_cap', v_cap->'pct_cap', 'abs_cap_vnd', v_cap->'abs_cap_vnd',
        'priority_factor', v_cap->'priority_factor', 'eligible_cost', v_cap->'eligible_cost',
        'amount', coalesce(v_cap->'central', v_cap->'local'), 'limit', v_cap->'limit_vnd',
        'confidence', v_cap->'confidence'));
    when 'counterpart', 'total' then
      select coalesce(sum(amount), 0) into v_sum from project_budget_lines where project_id = pr.id;
      return p_v || jsonb_build_object('data', jsonb_build_object(
        'lines', v_sum, 'total_cost', pr.total_cost, 'missing', greatest(pr.total_cost - v_sum, 0),
        'excess', greatest(v_sum - pr.total_cost, 0)));
    else
      return p_v;
  end case;
end $$;

alter function kc_project_check_row(projects, boolean) rename to kc_project_check_row_0025;

create function kc_project_check_row(pr projects, p_submission boolean) returns jsonb
language plpgsql stable as $$
declare
  v_res jsonb := kc_project_check_row_0025(pr, p_submission);
  v_bucket text;
begin
  foreach v_bucket in array array['violations', 'warnings'] loop
    if jsonb_typeof(v_res->v_bucket) = 'array' and jsonb_array_length(v_res->v_bucket) > 0 then
      v_res := jsonb_set(v_res, array[v_bucket],
                         (select jsonb_agg(kc_violation_data(pr, v_res, e.v) order by e.i)
                            from jsonb_array_elements(v_res->v_bucket) with ordinality e (v, i)));
    end if;
  end loop;
  return v_res;
end $$;

-- ---------------------------------------------------------------------------
-- The audit log's records by name
-- ---------------------------------------------------------------------------

-- What a person calls the record an audit entry concerns: a project's code
-- and title, a plan's year and unit, an account's username ...; null when
-- it is gone or has no better name than its number.
create function kc_audit_record_name(p_type text, p_id bigint) returns text
language sql stable as $$
  select case p_type
    when 'project' then (select code || ' — ' || title from projects where id = p_id)
    when 'user' then (select username || ' (' || full_name || ')' from users where id = p_id)
    when 'plan' then (select coalesce(pl.title, 'Kế hoạch ' || pl.year) || ' — ' || o.name
                        from plans pl join orgs o on o.id = pl.org_id where pl.id = p_id)
    when 'programme' then (select title from programmes where id = p_id)
    when 'round' then (select title from rounds where id = p_id)
    when 'plan_decision' then (select number from plan_decisions where id = p_id)
    when 'correspondence' then (select subject from correspondence where id = p_id)
    when 'typical_product' then (select product_name from typical_products where id = p_id)
    when 'attachment' then (select file_name from attachments where id = p_id)
    when 'round_report' then (select r.title || ' — ' || o.name from round_reports rr
                                join rounds r on r.id = rr.round_id join orgs o on o.id = rr.org_id
                               where rr.id = p_id)
    when 'province_report' then (select o.name || ' ' || pr.period || '/' || pr.year
                                   from province_reports pr join orgs o on o.id = pr.province_id
                                  where pr.id = p_id)
    when 'contract' then (select p.code || ' — ' || c.number from contracts c
                            join projects p on p.id = c.project_id where c.id = p_id)
    when 'disbursement' then (select p.code || ' — ' || d.document_no from disbursements d
                                join projects p on p.id = d.project_id where d.id = p_id)
    when 'allocation' then (select p.code from allocations a join projects p on p.id = a.project_id
                             where a.id = p_id)
    when 'carry_over' then (select p.code from carry_overs a join projects p on p.id = a.project_id
                             where a.id = p_id)
    when 'progress_report' then (select p.code from project_progress_reports r
                                   join projects p on p.id = r.project_id where r.id = p_id)
    when 'project_adjustment' then (select p.code from project_adjustments r
                                      join projects p on p.id = r.project_id where r.id = p_id)
    when 'review_comment' then (select p.code from review_comments r
                                  join projects p on p.id = r.project_id where r.id = p_id)
    when 'settlement' then (select code from projects where id = p_id)
  end
$$;

-- ---------------------------------------------------------------------------
-- budget.summary: provinces by name (issue 17, point 5)
-- ---------------------------------------------------------------------------

-- Today's name of the province of a province code (the 2025 map first).
create function kc_province_name(p_code text) returns text
language sql stable as $$
  select name from orgs where kind = 'province' and province_code = p_code
   order by valid_to is null desc, valid_to desc limit 1
$$;

alter function kc_budget_summary(bigint, jsonb) rename to kc_budget_summary_0027;

create function kc_budget_summary(p_scope bigint, p jsonb) returns jsonb
language plpgsql stable as $$
declare
  v_res jsonb := kc_budget_summary_0027(p_scope, p);
  v_member text;
begin
  if v_res->'result' is null then
    return v_res;
  end if;
  foreach v_member in array array['by_province', 'local_appropriations'] loop
    if jsonb_typeof(v_res->'result'->v_member) = 'array' then
      v_res := jsonb_set(v_res, array['result', v_member], coalesce(
        (select jsonb_agg(e.v || jsonb_build_object('province_name', kc_province_name(e.v->>'province_code'))
                          order by e.i)
           from jsonb_array_elements(v_res->'result'->v_member) with ordinality e (v, i)), '[]'::jsonb));
    end if;
  end loop;
  return v_res;
end $$;
