-- sql/schema.sql — the schema as the migrations leave it (pg_dump --schema-only
-- of a database migrated by kc-server). Generated: do not edit; change a
-- migration and run scripts/schema-snapshot. tests/integration/test_schema.py
-- fails when this file and the migrations disagree.

--
-- PostgreSQL database dump
--

--
-- Name: pg_trgm; Type: EXTENSION; Schema: -; Owner: -
--

CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;

--
-- Name: adjustments_inbox_event(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.adjustments_inbox_event() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
begin
  if tg_op = 'INSERT' or new.status is distinct from old.status then
    perform kc_inbox_project_event(new.project_id, new.id, 'adjustment_to_decide', new.version);
  end if;
  return null;
end $$;

--
-- Name: agency_management_spending_event(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.agency_management_spending_event() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
begin
  perform kc_event_notify_org('budget', new.year, 'management', null, nullif(new.province_id, 0), true);
  return null;
end $$;

--
-- Name: agency_management_spending_limit(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.agency_management_spending_limit() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
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

--
-- Name: allocations_account(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.allocations_account() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
begin
  -- the row lock serialises allocators; the CHECK refuses an over-allocation
  update appropriations set allocated = allocated + new.amount
   where year = new.year and source = new.source and province_id = new.province_id;
  return null;
end $$;

--
-- Name: allocations_fixed(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.allocations_fixed() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
begin
  raise exception 'allocations are never changed or deleted' using errcode = 'KC010';
end $$;

--
-- Name: allocations_owner(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.allocations_owner() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
begin
  new.province_id := kc_money_owner(new.project_id, new.source);
  return new;
end $$;

--
-- Name: appropriations_event(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.appropriations_event() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
begin
  if new.amount is distinct from old.amount or new.version is distinct from old.version then
    perform kc_event_notify_org('budget', new.year, 'appropriation', new.version,
                                nullif(new.province_id, 0), true);
  end if;
  return null;
end $$;

--
-- Name: appropriations_management_floor(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.appropriations_management_floor() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
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

--
-- Name: attachment_chunks_guard(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.attachment_chunks_guard() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
declare
  v_id bigint := case when tg_op = 'DELETE' then old.attachment_id else new.attachment_id end;
begin
  if tg_op <> 'DELETE' and exists (select 1 from attachments a
                                    where a.id = v_id and a.status = 'complete') then
    raise exception 'attachment % is complete: its content is fixed', v_id using errcode = 'KC011';
  end if;
  return case when tg_op = 'DELETE' then old else new end;
end $$;

--
-- Name: attachments_comment_author_guard(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.attachments_comment_author_guard() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
begin
  if new.owner_type = 'review_comment'
     and not exists (select 1 from review_comments rc
                      where rc.id = new.owner_id and rc.author_id = new.created_by) then
    raise exception 'files are attached to a review comment by its author only'
      using errcode = 'KC013', hint = 'comment_author';
  end if;
  return new;
end $$;

--
-- Name: attachments_owner_gone(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.attachments_owner_gone() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
begin
  delete from attachments where owner_type = tg_argv[0] and owner_id = old.id;
  return null;
end $$;

--
-- Name: audit_chain_check(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.audit_chain_check() RETURNS trigger
    LANGUAGE plpgsql
    SET enable_hashjoin TO 'off'
    SET enable_mergejoin TO 'off'
    SET max_parallel_workers_per_gather TO '0'
    SET plan_cache_mode TO 'force_custom_plan'
    AS $$
declare
  v_first bigint;
  v_last bigint;
  v_n bigint;
  v_bad bigint;
  v_hash bytea;
begin
  select min(seq), max(seq), count(*) into v_first, v_last, v_n from new_rows;
  if v_n = 0 then
    return null;
  end if;
  if v_last - v_first + 1 <> v_n then
    raise exception 'INSERT on audit_chain refused: seq % to % is not consecutive', v_first, v_last
      using errcode = 'insufficient_privilege';
  end if;
  select n.seq into v_bad
    from (select r.seq, r.audit_id, r.prev_hash, r.hash,
                 lag(r.hash) over (order by r.seq) as lag_hash
            from new_rows r) n
    left join audit_log a on a.id = n.audit_id
    left join audit_chain p on n.seq = v_first and p.seq = v_first - 1
   where a.id is null
      or n.prev_hash is distinct from
           case when n.seq > v_first then n.lag_hash
                when v_first = 1 then decode(repeat('00', 32), 'hex')
                else p.hash end
      or n.hash <> sha256(n.prev_hash || convert_to(kc_audit_payload(a, n.seq), 'UTF8'))
   order by n.seq
   limit 1;
  if found then
    raise exception 'INSERT on audit_chain refused: seq % does not continue the chain', v_bad
      using errcode = 'insufficient_privilege';
  end if;
  select r.hash into v_hash from new_rows r where r.seq = v_last;
  update audit_head set seq = v_last, hash = v_hash where id = 1;
  return null;
end $$;

--
-- Name: audit_chain_refuse(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.audit_chain_refuse() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
begin
  raise exception '% on audit_chain is not allowed: the audit chain is append-only', tg_op
    using errcode = 'insufficient_privilege';
end $$;

--
-- Name: audit_head_guard(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.audit_head_guard() RETURNS trigger
    LANGUAGE plpgsql
    SET enable_hashjoin TO 'off'
    SET enable_mergejoin TO 'off'
    SET max_parallel_workers_per_gather TO '0'
    SET plan_cache_mode TO 'force_custom_plan'
    AS $$
begin
  if new.id is distinct from old.id
     -- (seq, hash) only ever the chain's last row
     or ((new.seq, new.hash) is distinct from (old.seq, old.hash)
         and (not exists (select 1 from audit_chain c where c.seq = new.seq and c.hash = new.hash)
              or exists (select 1 from audit_chain c where c.seq = new.seq + 1)))
     -- the watermark only over chained rows
     or (new.scan_from > old.scan_from
         and exists (select 1 from audit_log a
                      where a.id > old.scan_from and a.id <= new.scan_from
                        and not exists (select 1 from audit_chain c
                                         where c.audit_id = a.id and c.audit_id > old.scan_from
                                           and c.audit_id <= new.scan_from)))
  then
    raise exception 'UPDATE on audit_head is not allowed: it changes only with an insert into audit_chain'
      using errcode = 'insufficient_privilege';
  end if;
  return new;
end $$;

--
-- Name: audit_head_refuse(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.audit_head_refuse() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
begin
  raise exception '% on audit_head is not allowed: it changes only with an insert into audit_chain', tg_op
    using errcode = 'insufficient_privilege';
end $$;

--
-- Name: audit_log_insert(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.audit_log_insert() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
begin
  perform pg_current_xact_id();              -- assigns the xid if there is none yet
  new.id := nextval('audit_log_id_seq');
  new.at := clock_timestamp();
  return new;
end $$;

--
-- Name: audit_log_refuse(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.audit_log_refuse() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
begin
  raise exception '% on audit_log is not allowed: the audit log is append-only', tg_op
    using errcode = 'insufficient_privilege';
end $$;

--
-- Name: budget_releases_account(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.budget_releases_account() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
begin
  update appropriations set allocated = allocated - new.amount
   where year = new.year and source = new.source and province_id = new.province_id;
  return null;
end $$;

--
-- Name: contracts_group_plan(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.contracts_group_plan() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
begin
  if exists (select 1 from projects where id = new.project_id and kind = 'group')
     and not exists (select 1 from implementation_plans where project_id = new.project_id) then
    raise exception 'project %: a group project is contracted after its implementation plan (Mẫu 11) is approved',
      new.project_id using errcode = 'KC010';
  end if;
  return new;
end $$;

--
-- Name: correspondence_event(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.correspondence_event() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
begin
  if tg_op = 'INSERT' or new.status is distinct from old.status
     or new.version is distinct from old.version then
    perform kc_event_notify_org('correspondence', new.id, new.status, new.version, new.org_id, true);
  end if;
  return null;
end $$;

--
-- Name: correspondence_message_event(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.correspondence_message_event() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
declare
  c correspondence;
begin
  select * into c from correspondence where id = new.correspondence_id;
  perform kc_event_notify_org('correspondence', c.id, c.status, c.version, c.org_id, true);
  return null;
end $$;

--
-- Name: disbursements_first_advance_progress(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.disbursements_first_advance_progress() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
declare
  f record;
  v_pct integer;
begin
  if exists (select 1 from disbursements where project_id = new.project_id and kind = 'advance')
     or exists (select 1 from project_acceptances where project_id = new.project_id)
     or exists (select 1 from projects where id = new.project_id and status in ('completed', 'settled')) then
    return new;
  end if;
  select * into f from kc_first_advance(new.project_id, new.paid_on);
  if f.min_progress_pct is null then
    return new;
  end if;
  v_pct := kc_confirmed_progress(new.project_id);
  if coalesce(v_pct, 0) <= f.min_progress_pct then
    raise exception 'project %: the first advance needs a progress report confirmed by the Department above % %% (confirmed: %)',
      new.project_id, f.min_progress_pct, coalesce(v_pct::text, 'none') using errcode = 'KC023';
  end if;
  return new;
end $$;

--
-- Name: kc_acceptance_dossier_json(bigint); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_acceptance_dossier_json(p_project bigint) RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$
  select jsonb_build_object('project_id', d.project_id, 'report', d.report,
                            'indicators', d.indicators, 'submitted_by', d.submitted_by,
                            'submitted_by_name', (select u.full_name from users u where u.id = d.submitted_by),
                            'submitted_at', kc_instant(d.submitted_at), 'version', d.version,
                            'accepted', exists (select 1 from project_acceptances a
                                                 where a.project_id = d.project_id),
                            'attachments', kc_attachments_of('acceptance', d.project_id))
    from project_acceptance_dossiers d where d.project_id = p_project
$$;

--
-- Name: kc_achieved_violations(bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_achieved_violations(p_id bigint, p_list jsonb) RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$
  select coalesce(jsonb_agg(kc_violation(format('indicators[%s].code', i - 1),
                                         case when n > 1 then 'unique' else 'exists' end,
                                         case when n > 1 then 'this indicator is given twice'
                                              else format('%s is not an indicator of the project', code) end)
                            order by i), '[]'::jsonb)
    from (select e->>'code' as code, i, count(*) over (partition by e->>'code') as n,
                 row_number() over (partition by e->>'code' order by i) as rn
            from jsonb_array_elements(coalesce(p_list, '[]')) with ordinality y (e, i)) x
   where (x.n > 1 and x.rn > 1)
      or not exists (select 1 from project_indicators pi
                      where pi.project_id = p_id and pi.indicator = x.code)
$$;

--
-- Name: kc_actor_id(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_actor_id() RETURNS bigint
    LANGUAGE sql STABLE
    AS $$ select nullif(current_setting('kc.actor_id', true), '')::bigint $$;

--
-- Name: kc_actor_role(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_actor_role() RETURNS text
    LANGUAGE sql STABLE
    AS $$ select nullif(current_setting('kc.actor_role', true), '') $$;

--
-- Name: kc_actor_set(bigint, text, text, text); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_actor_set(p_user_id bigint, p_role text, p_comment text DEFAULT NULL::text, p_document_no text DEFAULT NULL::text) RETURNS void
    LANGUAGE plpgsql
    AS $$
begin
  perform set_config('kc.actor_role', coalesce(p_role, ''), true),
          set_config('kc.actor_id', coalesce(p_user_id::text, ''), true),
          set_config('kc.comment', coalesce(p_comment, ''), true),
          set_config('kc.document_no', coalesce(p_document_no, ''), true);
end $$;

--
-- Name: kc_adjustment_approvers(text, text); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_adjustment_approvers(p_type text, p_scope text) RETURNS text[]
    LANGUAGE sql IMMUTABLE
    AS $$
  select case
    when p_scope = 'local' then array['province_leader']
    when p_type in ('increase_support', 'change_content', 'extend_next_year') then array['ministry_approver']
    when p_type = 'group_change' then array['province_leader']
    else array['ministry_reviewer', 'ministry_approver'] end
$$;

--
-- Name: kc_adjustment_decide(bigint, text, text, text, bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_adjustment_decide(p_user bigint, p_username text, p_peer text, p_role text, p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE plpgsql
    AS $$
declare
  a project_adjustments;
  cur projects;
  r projects;
  v plans;
  c jsonb;
  v_err jsonb;
  v_viol jsonb;
  v_check jsonb;
  v_before jsonb;
  v_after jsonb;
begin
  select * into a from project_adjustments where id = (p->>'id')::bigint for update;
  if found then
    select * into cur from projects where id = a.project_id for update;
    select * into v from plans where id = cur.plan_id;
  end if;
  if a.id is null or not kc_plan_visible(v.org_id, v.scope, v.status, p_scope) then
    return kc_err(1004, 'no such adjustment');
  end if;
  if not (p_role = any (a.approver_roles)) then
    return kc_err(1003, format('an adjustment of type %s of a %s project is decided by %s', a.type,
                               v.scope, array_to_string(a.approver_roles, ' or ')),
                  jsonb_build_object('approver_roles', to_jsonb(a.approver_roles)));
  end if;
  v_err := kc_record_check('adjustment', true, a.version, (p->>'version')::integer, a.status,
                           array['requested']);
  if v_err is null and cur.status not in ('approved', 'in_progress') then
    v_err := kc_err(1010, format('the project is %s', cur.status), jsonb_build_object('status', cur.status));
  end if;
  if v_err is not null then
    return v_err;
  end if;
  v_before := jsonb_build_object('adjustment', kc_adjustment_json(a),
                                 'project', kc_project_json(cur.id, true) - 'history');
  if p->>'decision' = 'reject' then
    update project_adjustments set status = 'rejected', decided_by = p_user, decided_role = p_role,
                                   decided_at = now(), comment = p->>'comment', version = version + 1
     where id = a.id returning * into a;
    v_after := jsonb_build_object('adjustment', kc_adjustment_json(a));
    perform kc_audit(p_user, p_username, p_peer, 'adjustment.decide', 'project_adjustment', a.id,
                     v_before - 'project', v_after);
    return jsonb_build_object('result', v_after->'adjustment');
  end if;
  c := a.changes;
  r := kc_project_apply(cur, c);
  v_viol := kc_project_violations(c, r.start_date, r.end_date);
  if jsonb_array_length(v_viol) > 0 then
    return kc_err(1022, v_viol->0->>'message', jsonb_build_object('violations', v_viol));
  end if;
  perform kc_actor_set(p_user, p_role, p->>'comment', null);
  begin
    -- first, so that kc_project_check sees an approved extension
    update project_adjustments set status = 'approved', decided_by = p_user, decided_role = p_role,
                                   decided_at = now(), comment = p->>'comment',
                                   applied_version = cur.version + 1, version = version + 1
     where id = a.id returning * into a;
    perform kc_project_write_lists(cur.id, c);
    update projects set implementer = r.implementer, partners = r.partners, locations = r.locations,
           objectives = r.objectives, scale_and_novelty = r.scale_and_novelty,
           work_items = r.work_items, implementation = r.implementation,
           start_date = r.start_date, end_date = r.end_date, cap_code = r.cap_code,
           total_cost = r.total_cost, version = version + 1
     where id = cur.id;
    v_check := kc_project_check(cur.id, false);
    if jsonb_array_length(v_check->'violations') > 0 then
      raise exception 'project rules' using errcode = 'KC022';
    end if;
  exception when sqlstate 'KC022' then
    return kc_err(1022, v_check->'violations'->0->>'message',
                  jsonb_build_object('violations', v_check->'violations',
                                     'warnings', v_check->'warnings'));
  end;
  perform kc_project_record_check(cur.id, false);
  -- the status does not change: the history row of the adjustment itself
  insert into project_history (project_id, from_status, to_status, from_stage, to_stage, actor_id,
                               actor_role, comment, document_no)
  values (cur.id, cur.status, cur.status, cur.stage, cur.stage, p_user, p_role,
          format('adjustment %s (%s) approved: %s%s', a.id, a.type,
                 (select string_agg(k, ', ' order by k) from jsonb_object_keys(c) k),
                 coalesce(' — ' || nullif(p->>'comment', ''), '')),
          null);
  v_after := jsonb_build_object('adjustment', kc_adjustment_json(a),
                                'project', kc_project_json(cur.id, true) - 'history');
  perform kc_audit(p_user, p_username, p_peer, 'adjustment.decide', 'project_adjustment', a.id,
                   v_before, v_after);
  return jsonb_build_object('result', kc_adjustment_json(a) || jsonb_build_object('project', v_after->'project'));
end $$;

--
-- Name: kc_adjustment_fields(text); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_adjustment_fields(p_type text) RETURNS text[]
    LANGUAGE sql IMMUTABLE
    AS $$
  select case p_type
    when 'increase_support' then array['budget_lines', 'total_cost', 'cap_code']
    when 'change_content' then array['content_category', 'content_categories', 'indicators',
                                     'objectives', 'scale_and_novelty', 'work_items',
                                     'budget_lines', 'total_cost', 'cap_code']
    when 'extend_next_year' then array['end_date', 'work_items']
    when 'change_location_beneficiary_partner' then array['locations', 'beneficiaries', 'partners',
                                                           'start_date', 'end_date']
    when 'group_change' then array['locations', 'beneficiaries', 'partners']
    when 'minor' then array['implementer', 'implementation', 'objectives', 'scale_and_novelty',
                            'work_items', 'indicators', 'budget_lines', 'total_cost',
                            'start_date', 'end_date']
  end
$$;

--
-- Name: project_adjustments; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.project_adjustments (
    id bigint NOT NULL,
    project_id bigint NOT NULL,
    type text NOT NULL,
    changes jsonb NOT NULL,
    reason text NOT NULL,
    status text DEFAULT 'requested'::text NOT NULL,
    approver_roles text[] NOT NULL,
    requested_by bigint NOT NULL,
    requested_at timestamp with time zone DEFAULT now() NOT NULL,
    decided_by bigint,
    decided_role text,
    decided_at timestamp with time zone,
    comment text,
    applied_version integer,
    version integer DEFAULT 1 NOT NULL,
    CONSTRAINT project_adjustments_changes_check CHECK ((jsonb_typeof(changes) = 'object'::text)),
    CONSTRAINT project_adjustments_comment_check CHECK ((length(comment) <= 20000)),
    CONSTRAINT project_adjustments_reason_check CHECK (((length(reason) >= 1) AND (length(reason) <= 20000))),
    CONSTRAINT project_adjustments_status_check CHECK ((status = ANY (ARRAY['requested'::text, 'approved'::text, 'rejected'::text]))),
    CONSTRAINT project_adjustments_type_check CHECK ((type = ANY (ARRAY['minor'::text, 'increase_support'::text, 'change_content'::text, 'extend_next_year'::text, 'change_location_beneficiary_partner'::text, 'group_change'::text])))
);

--
-- Name: kc_adjustment_json(public.project_adjustments); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_adjustment_json(a public.project_adjustments) RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$
  select jsonb_build_object('id', a.id, 'project_id', a.project_id, 'type', a.type,
                            'changes', a.changes, 'reason', a.reason, 'status', a.status,
                            'approver_roles', to_jsonb(a.approver_roles),
                            'requested_by', a.requested_by,
                            'requested_at', kc_instant(a.requested_at),
                            'decided_by', a.decided_by, 'decided_role', a.decided_role,
                            'decided_at', kc_instant(a.decided_at), 'comment', a.comment,
                            'applied_version', a.applied_version, 'version', a.version)
$$;

--
-- Name: kc_adjustment_list(bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_adjustment_list(p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$
  select coalesce(
    (select jsonb_build_object('result', jsonb_build_object('items',
              coalesce((select jsonb_agg(kc_adjustment_json(a) order by a.id)
                          from project_adjustments a where a.project_id = pr.id), '[]'::jsonb)))
       from projects pr join plans pl on pl.id = pr.plan_id
      where pr.id = (p->>'project_id')::bigint and kc_plan_visible(pl.org_id, pl.scope, pl.status, p_scope)),
    kc_err(1004, 'no such project'))
$$;

--
-- Name: kc_adjustment_request(bigint, text, text, text, bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_adjustment_request(p_user bigint, p_username text, p_peer text, p_role text, p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE plpgsql
    AS $$
declare
  pr projects;
  v plans;
  a project_adjustments;
  c jsonb := p->'changes';
  v_type text := p->>'type';
  v_viol jsonb;
  v_old_central bigint;
  v_new_central bigint;
begin
  select * into pr from projects where id = (p->>'project_id')::bigint for update;
  if found then
    select * into v from plans where id = pr.plan_id;
  end if;
  if pr.id is null or p_scope is null or not kc_plan_visible(v.org_id, v.scope, v.status, p_scope) then
    return kc_err(1004, 'no such project');
  end if;
  if pr.status not in ('approved', 'in_progress') then
    return kc_err(1010, format('an adjustment is requested for an approved project; this project is %s', pr.status),
                  jsonb_build_object('status', pr.status));
  end if;
  v_viol := kc_adjustment_shape(v_type, c);
  if jsonb_array_length(v_viol) = 0 then
    v_viol := kc_project_violations(c, coalesce((c->>'start_date')::date, pr.start_date),
                                    coalesce((c->>'end_date')::date, pr.end_date));
    select coalesce(sum(amount) filter (where source = 'central'), 0) into v_old_central
      from project_budget_lines where project_id = pr.id;
    v_new_central := coalesce((select sum((e->>'amount')::bigint) from jsonb_array_elements(c->'budget_lines') e
                                where e->>'source' = 'central'), 0);
    select v_viol || coalesce(jsonb_agg(x), '[]'::jsonb) into v_viol from (
      select kc_violation('type', 'group_project', 'a group change is for a group project (đề án nhóm)') as x
       where v_type = 'group_change' and pr.kind <> 'group'
      union all
      select kc_violation('changes.budget_lines', 'increase_support',
                          format('the central support rises from %s đ to %s đ: that is an adjustment of type increase_support, approved by the Minister (TT 36/2013 Art. 11.2.a)',
                                 kc_vnd(v_old_central), kc_vnd(v_new_central)))
       where v_type <> 'increase_support' and c ? 'budget_lines' and v_new_central > v_old_central
      union all
      select kc_violation('changes.budget_lines', 'not_an_increase',
                          format('an increase of support raises the central support above %s đ', kc_vnd(v_old_central)))
       where v_type = 'increase_support' and (not c ? 'budget_lines' or v_new_central <= v_old_central)
      union all
      select kc_violation('changes.end_date', 'next_year',
                          format('an extension into the next year ends in %s or later', v.year + 1))
       where v_type = 'extend_next_year'
         and (not c ? 'end_date' or extract(year from (c->>'end_date')::date) <= v.year)
      union all
      select kc_violation('project_id', 'pending', format('adjustment %s of this project is still to be decided', x.id))
        from project_adjustments x where x.project_id = pr.id and x.status = 'requested') t;
  end if;
  if jsonb_array_length(v_viol) > 0 then
    return kc_err(1022, v_viol->0->>'message', jsonb_build_object('violations', v_viol));
  end if;
  insert into project_adjustments (project_id, type, changes, reason, approver_roles, requested_by)
  values (pr.id, v_type, c, p->>'reason', kc_adjustment_approvers(v_type, v.scope), p_user)
  returning * into a;
  perform kc_audit(p_user, p_username, p_peer, 'adjustment.request', 'project_adjustment', a.id, null,
                   kc_adjustment_json(a));
  return jsonb_build_object('result', kc_adjustment_json(a));
end $$;

--
-- Name: kc_adjustment_shape(text, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_adjustment_shape(p_type text, c jsonb) RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$
  select coalesce(jsonb_agg(x), '[]'::jsonb) from (
    select kc_violation('changes', 'not_empty', 'an adjustment changes at least one field') as x
     where c = '{}'::jsonb
    union all
    select kc_violation('changes.' || k, 'type',
                        format('an adjustment of type %s may change only: %s', p_type,
                               array_to_string(kc_adjustment_fields(p_type), ', ')))
      from jsonb_object_keys(c) k where not (k = any (kc_adjustment_fields(p_type)))
    union all
    select kc_violation('changes.' || k, 'format', 'must be a list')
      from jsonb_each(c) e (k, v)
     where k in ('budget_lines', 'indicators', 'beneficiaries', 'partners', 'locations',
                 'work_items', 'content_categories') and jsonb_typeof(v) <> 'array'
    union all
    select kc_violation(format('changes.budget_lines[%s].amount', i - 1), 'format',
                        'must be an integer between 0 and 10^15')
      from jsonb_array_elements(case when jsonb_typeof(c->'budget_lines') = 'array'
                                     then c->'budget_lines' else '[]' end) with ordinality y (e, i)
     where jsonb_typeof(e) <> 'object' or not kc_is_int(e->'amount')
           or jsonb_typeof(e->'source') is distinct from 'string'
    union all
    select kc_violation(format('changes.indicators[%s].target', i - 1), 'format',
                        'must be an integer between 0 and 10^15')
      from jsonb_array_elements(case when jsonb_typeof(c->'indicators') = 'array'
                                     then c->'indicators' else '[]' end) with ordinality y (e, i)
     where jsonb_typeof(e) <> 'object' or not kc_is_int(e->'target')
           or jsonb_typeof(e->'code') is distinct from 'string'
    union all
    select kc_violation(format('changes.beneficiaries[%s]', i - 1), 'format',
                        'must be an object with name and kind (enterprise, cooperative, cooperative_group, household_business)')
      from jsonb_array_elements(case when jsonb_typeof(c->'beneficiaries') = 'array'
                                     then c->'beneficiaries' else '[]' end) with ordinality y (e, i)
     where jsonb_typeof(e) <> 'object' or jsonb_typeof(e->'name') is distinct from 'string'
           or coalesce(e->>'kind', '') not in ('enterprise', 'cooperative', 'cooperative_group',
                                               'household_business')
           or (e ? 'province_org_id' and jsonb_typeof(e->'province_org_id') <> 'null'
               and not kc_is_int(e->'province_org_id'))
    union all
    select kc_violation('changes.' || k, 'format', 'must be a date as YYYY-MM-DD')
      from jsonb_each(c) e (k, v) where k in ('start_date', 'end_date') and not kc_is_date(v)
    union all
    select kc_violation('changes.total_cost', 'format', 'must be an integer between 0 and 10^15')
     where c ? 'total_cost' and jsonb_typeof(c->'total_cost') <> 'null' and not kc_is_int(c->'total_cost')
    union all
    select kc_violation('changes.' || k, 'format', 'must be a string')
      from jsonb_each(c) e (k, v)
     where k in ('content_category', 'cap_code', 'implementer', 'implementation', 'objectives',
                 'scale_and_novelty') and jsonb_typeof(v) not in ('string', 'null')
  ) t
$$;

--
-- Name: kc_advance_conditions_err(bigint, date, boolean, bigint, bigint); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_advance_conditions_err(p_project bigint, p_on date, p_first boolean, p_total bigint, p_contract bigint) RETURNS jsonb
    LANGUAGE plpgsql STABLE
    AS $$
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

--
-- Name: kc_advance_rule(text, date); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_advance_rule(p_code text, p_on date) RETURNS integer
    LANGUAGE sql STABLE
    AS $$
  select value_pct from advance_rules
   where code = p_code and kc_valid_on(valid_from, valid_to, p_on)
   order by valid_from desc limit 1
$$;

--
-- Name: appropriations; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.appropriations (
    year integer NOT NULL,
    source text NOT NULL,
    amount bigint NOT NULL,
    allocated bigint DEFAULT 0 NOT NULL,
    version integer DEFAULT 1 NOT NULL,
    updated_by bigint,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    province_id bigint DEFAULT 0 NOT NULL,
    CONSTRAINT appropriations_allocated_check CHECK ((allocated >= 0)),
    CONSTRAINT appropriations_amount_check CHECK ((amount >= 0)),
    CONSTRAINT appropriations_not_overallocated CHECK ((allocated <= amount)),
    CONSTRAINT appropriations_year_check CHECK (((year >= 2014) AND (year <= 2100)))
);

--
-- Name: kc_appropriation_json(public.appropriations); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_appropriation_json(a public.appropriations) RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$
  select jsonb_build_object('year', a.year, 'source', a.source, 'amount', a.amount,
                            'allocated', a.allocated, 'remaining', a.amount - a.allocated,
                            'province_id', nullif(a.province_id, 0),
                            'version', a.version, 'updated_by', a.updated_by,
                            'updated_at', kc_instant(a.updated_at))
$$;

--
-- Name: kc_attachment_abandon(text); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_attachment_abandon(p_conn text) RETURNS integer
    LANGUAGE sql
    AS $$
  with m as (update attachments set abandoned = true
              where status = 'uploading' and upload_conn = p_conn returning 1)
  select count(*)::integer from m
$$;

--
-- Name: kc_attachment_abort(bigint, text, text, text, bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_attachment_abort(p_user bigint, p_username text, p_peer text, p_role text, p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE plpgsql
    AS $$
declare
  a attachments := kc_attachment_upload(p_user, p);
begin
  if a.id is null then
    return kc_err(1004, 'no such upload');
  end if;
  delete from attachments where id = a.id;
  return jsonb_build_object('result', jsonb_build_object('id', a.id, 'aborted', true));
end $$;

--
-- Name: kc_attachment_begin(bigint, text, text, text, bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_attachment_begin(p_user bigint, p_username text, p_peer text, p_role text, p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE plpgsql
    AS $$
declare
  o record;
  v_id bigint;
begin
  o := kc_attachment_owner(p->>'owner_type', (p->>'owner_id')::bigint, p_scope);
  -- Ministry-side sessions (no scope) upload only to review comments
  -- (sql/0016); the server also refuses them any other owner.
  if (p_scope is null and p->>'owner_type' <> 'review_comment') or not o.ok then
    return kc_err(1004, format('no such %s', p->>'owner_type'));
  end if;
  insert into attachments (owner_type, owner_id, file_name, size, sha256, upload_conn, created_by)
  values (p->>'owner_type', (p->>'owner_id')::bigint, p->>'file_name', (p->>'size')::bigint,
          decode(p->>'sha256', 'hex'), p->>'conn', p_user)
  returning id into v_id;
  return jsonb_build_object('result', jsonb_build_object('id', v_id, 'file_name', p->>'file_name',
                                                         'chunk_size', (p->>'chunk_size')::integer));
end $$;

--
-- Name: kc_attachment_delete(bigint, text, text, text, bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_attachment_delete(p_user bigint, p_username text, p_peer text, p_role text, p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE plpgsql
    AS $$
declare
  a attachments;
  o record;
  v_err jsonb;
  v_before jsonb;
begin
  select * into a from attachments where id = (p->>'id')::bigint and status = 'complete'
     for update;
  -- Always assigned (ok = false when there is no such file): reading a
  -- record that was never assigned is an error in PL/pgSQL.
  o := kc_attachment_owner(a.owner_type, a.owner_id, p_scope);
  v_err := kc_record_check('attachment', a.id is not null and p_scope is not null and o.ok,
                           a.version, (p->>'version')::integer, 'draft', array['draft']);
  if v_err is not null then
    return v_err;
  end if;
  if o.status <> 'draft' then
    return kc_err(1010, format('attachments are deleted while the %s is a draft; it is %s',
                               a.owner_type, o.status),
                  jsonb_build_object('status', o.status));
  end if;
  v_before := kc_attachment_json(a);
  delete from attachments where id = a.id;
  perform kc_audit(p_user, p_username, p_peer, 'attachment.delete', 'attachment', a.id,
                   v_before, null);
  return jsonb_build_object('result', jsonb_build_object('id', a.id, 'deleted', true));
end $$;

--
-- Name: kc_attachment_finish(bigint, text, text, text, bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_attachment_finish(p_user bigint, p_username text, p_peer text, p_role text, p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE plpgsql
    AS $$
declare
  a attachments := kc_attachment_upload(p_user, p);
  o record;
  v_sum bytea;
  v_head bytea;
  v_after jsonb;
begin
  if a.id is null then
    return kc_err(1004, 'no such upload');
  end if;
  o := kc_attachment_owner(a.owner_type, a.owner_id, p_scope);
  if (p_scope is null and a.owner_type <> 'review_comment') or not o.ok then
    delete from attachments where id = a.id;
    return kc_err(1004, format('no such %s', a.owner_type));
  end if;
  select sha256(coalesce(string_agg(c.data, ''::bytea order by c.seq), ''::bytea)),
         coalesce(sum(length(c.data)), 0)::bigint
    into v_sum, a.received
    from attachment_chunks c where c.attachment_id = a.id;
  if a.received <> a.size or v_sum <> a.sha256 then
    delete from attachments where id = a.id;
    return kc_err(1022, 'the file received does not match its size or checksum; upload it again',
                  jsonb_build_object('violations', jsonb_build_array(case
                    when a.received <> a.size then kc_violation('size', 'size',
                      format('%s bytes announced, %s received', a.size, a.received))
                    else kc_violation('sha256', 'checksum',
                      format('SHA-256 of the bytes received is %s', encode(v_sum, 'hex'))) end)));
  end if;
  select substring(string_agg(c.data, ''::bytea order by c.seq) from 1 for 65536) into v_head
    from (select data, seq from attachment_chunks
           where attachment_id = a.id and byte_offset < 65536) c;
  update attachments set status = 'complete', mime_type = kc_attachment_sniff(coalesce(v_head, ''),
                                                                              file_name),
         received = size, completed_at = now(), touched_at = now(), upload_conn = null
   where id = a.id
  returning * into a;
  v_after := kc_attachment_json(a);
  perform kc_audit(p_user, p_username, p_peer, 'attachment.finish', 'attachment', a.id, null,
                   v_after);
  return jsonb_build_object('result', v_after);
end $$;

--
-- Name: kc_attachment_get(bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_attachment_get(p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE plpgsql STABLE
    AS $$
declare
  a attachments;
  o record;
  v_off bigint := coalesce((p->>'offset')::bigint, 0);
  v_len bigint := coalesce((p->>'length')::bigint, 1048576);
  v_data bytea;
begin
  select * into a from attachments where id = (p->>'id')::bigint and status = 'complete';
  -- Always assigned (ok = false when there is no such file): reading a
  -- record that was never assigned is an error in PL/pgSQL.
  o := kc_attachment_owner(a.owner_type, a.owner_id, p_scope);
  if a.id is null or not o.ok then
    return kc_err(1004, 'no such attachment');
  end if;
  v_len := greatest(least(v_len, a.size - v_off), 0);
  if v_len > 0 then
    select substring(string_agg(c.data, ''::bytea order by c.seq)
                     from (v_off - min(c.byte_offset) + 1)::integer for v_len::integer)
      into v_data
      from attachment_chunks c
     where c.attachment_id = a.id and c.byte_offset < v_off + v_len
       and c.byte_offset + length(c.data) > v_off;
  end if;
  return jsonb_build_object('result', kc_attachment_json(a) || jsonb_build_object(
    'offset', v_off, 'length', v_len,
    'data', translate(encode(coalesce(v_data, ''::bytea), 'base64'), E'\n', ''),
    'eof', v_off + v_len >= a.size));
end $$;

--
-- Name: attachments; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.attachments (
    id bigint NOT NULL,
    owner_type text NOT NULL,
    owner_id bigint NOT NULL,
    file_name text NOT NULL,
    mime_type text DEFAULT 'application/octet-stream'::text NOT NULL,
    size bigint NOT NULL,
    sha256 bytea NOT NULL,
    status text DEFAULT 'uploading'::text NOT NULL,
    received bigint DEFAULT 0 NOT NULL,
    upload_conn text,
    abandoned boolean DEFAULT false NOT NULL,
    touched_at timestamp with time zone DEFAULT now() NOT NULL,
    created_by bigint NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    completed_at timestamp with time zone,
    version integer DEFAULT 1 NOT NULL,
    CONSTRAINT attachments_check CHECK (((status = 'uploading'::text) OR ((received = size) AND (completed_at IS NOT NULL)))),
    CONSTRAINT attachments_file_name_check CHECK ((((length(file_name) >= 1) AND (length(file_name) <= 200)) AND (file_name !~ '[/\\[:cntrl:]]'::text))),
    CONSTRAINT attachments_owner_type_check CHECK ((owner_type = ANY (ARRAY['plan'::text, 'project'::text, 'plan_appraisal'::text, 'progress_report'::text, 'acceptance'::text, 'correspondence'::text, 'review_comment'::text]))),
    CONSTRAINT attachments_sha256_check CHECK ((length(sha256) = 32)),
    CONSTRAINT attachments_size_check CHECK ((size >= 0)),
    CONSTRAINT attachments_status_check CHECK ((status = ANY (ARRAY['uploading'::text, 'complete'::text])))
);

--
-- Name: kc_attachment_json(public.attachments); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_attachment_json(a public.attachments) RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$
  select jsonb_build_object('id', a.id, 'owner_type', a.owner_type, 'owner_id', a.owner_id,
                            'file_name', a.file_name, 'mime_type', a.mime_type, 'size', a.size,
                            'sha256', encode(a.sha256, 'hex'), 'status', a.status,
                            'created_by', a.created_by, 'created_at', kc_instant(a.created_at),
                            'version', a.version)
$$;

--
-- Name: kc_attachment_list(bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_attachment_list(p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE plpgsql STABLE
    AS $$
declare
  o record := kc_attachment_owner(p->>'owner_type', (p->>'owner_id')::bigint, p_scope);
  v_limit integer := coalesce((p->>'limit')::integer, 100);
  v_items jsonb;
  v_more boolean;
begin
  if not o.ok then
    return kc_err(1004, format('no such %s', p->>'owner_type'));
  end if;
  select coalesce(jsonb_agg(kc_attachment_json(a) order by a.id), '[]'::jsonb), count(*) > v_limit
    into v_items, v_more
    from (select * from attachments x
           where x.owner_type = p->>'owner_type' and x.owner_id = (p->>'owner_id')::bigint
             and x.status = 'complete'
             and (p->>'cursor' is null or x.id > (p->>'cursor')::bigint)
           order by x.id limit v_limit + 1) a;
  if v_more then
    v_items := v_items - v_limit;
  end if;
  return jsonb_build_object('result', jsonb_build_object(
    'items', v_items,
    'next_cursor', case when v_more then (v_items->(v_limit - 1)->>'id') end));
end $$;

--
-- Name: kc_attachment_owner(text, bigint, bigint); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_attachment_owner(p_type text, p_id bigint, p_scope bigint, OUT ok boolean, OUT status text) RETURNS record
    LANGUAGE plpgsql STABLE
    AS $$
begin
  select o.ok, o.status into ok, status from kc_attachment_owner_0016(p_type, p_id, p_scope) o;
  if coalesce(ok, false) or p_type <> 'acceptance' then
    ok := coalesce(ok, false);
    return;
  end if;
  ok := exists (select 1 from project_acceptance_dossiers d
                  join projects pr on pr.id = d.project_id join plans pl on pl.id = pr.plan_id
                 where d.project_id = p_id
                   and kc_plan_visible(pl.org_id, pl.scope, pl.status, p_scope));
  status := case when ok then 'draft' end;
end $$;

--
-- Name: kc_attachment_owner_0016(text, bigint, bigint); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_attachment_owner_0016(p_type text, p_id bigint, p_scope bigint, OUT ok boolean, OUT status text) RETURNS record
    LANGUAGE sql STABLE
    AS $$
  select coalesce(bool_or(true), false), min(x.status) from (
    select pl.status from plans pl
     where p_type = 'plan' and pl.id = p_id
       and kc_plan_visible(pl.org_id, pl.scope, pl.status, p_scope)
    union all
    select pr.status from projects pr join plans pl on pl.id = pr.plan_id
     where p_type = 'project' and pr.id = p_id
       and kc_plan_visible(pl.org_id, pl.scope, pl.status, p_scope)
    union all
    select case when pl.status in ('draft', 'submitted') then 'draft' else pl.status end
      from plans pl
     where p_type = 'plan_appraisal' and pl.id = p_id
       and kc_plan_visible(pl.org_id, pl.scope, pl.status, p_scope)
    union all
    select case when r.confirmed_at is null then 'draft' else 'confirmed' end
      from project_progress_reports r
      join projects pr on pr.id = r.project_id join plans pl on pl.id = pr.plan_id
     where p_type = 'progress_report' and r.id = p_id
       and kc_plan_visible(pl.org_id, pl.scope, pl.status, p_scope)
    union all
    select 'accepted'
      from project_acceptances a
      join projects pr on pr.id = a.project_id join plans pl on pl.id = pr.plan_id
     where p_type = 'acceptance' and a.project_id = p_id
       and kc_plan_visible(pl.org_id, pl.scope, pl.status, p_scope)
    union all
    select case when c.status = 'open' then 'draft' else c.status end
      from correspondence c
     where p_type = 'correspondence' and c.id = p_id and kc_correspondence_visible(c, p_scope)
    union all
    select 'posted'
      from review_comments rc
      join projects pr on pr.id = rc.project_id join plans pl on pl.id = pr.plan_id
     where p_type = 'review_comment' and rc.id = p_id
       and kc_plan_visible(pl.org_id, pl.scope, pl.status, p_scope)) x
$$;

--
-- Name: kc_attachment_put(bigint, text, text, text, bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_attachment_put(p_user bigint, p_username text, p_peer text, p_role text, p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE plpgsql
    AS $$
declare
  a attachments := kc_attachment_upload(p_user, p);
  v_seq integer := (p->>'seq')::integer;
  v_data bytea := decode(p->>'data', 'base64');
  v_next integer;
  v_old bytea;
begin
  if a.id is null then
    return kc_err(1004, 'no such upload');
  end if;
  select count(*) into v_next from attachment_chunks where attachment_id = a.id;
  if v_seq < v_next then
    select data into v_old from attachment_chunks where attachment_id = a.id and seq = v_seq;
    if v_old = v_data then
      return jsonb_build_object('result', jsonb_build_object('id', a.id, 'seq', v_seq,
                                                             'received', a.received));
    end if;
  end if;
  if v_seq <> v_next then
    return kc_err(1022, format('chunk %s expected, not %s', v_next, v_seq),
                  jsonb_build_object('violations', jsonb_build_array(kc_violation('seq', 'order',
                    format('chunks are sent in order: %s expected', v_next))), 'expected', v_next));
  end if;
  if length(v_data) = 0 then
    return kc_err(1022, 'a chunk is never empty',
                  jsonb_build_object('violations', jsonb_build_array(
                    kc_violation('data', 'not_empty', 'a chunk is never empty'))));
  end if;
  if a.received + length(v_data) > a.size then
    return kc_err(1022, 'more data than the size announced',
                  jsonb_build_object('violations', jsonb_build_array(kc_violation('data', 'size',
                    format('the upload was announced with %s bytes; this chunk would make %s',
                           a.size, a.received + length(v_data))))));
  end if;
  insert into attachment_chunks (attachment_id, seq, byte_offset, data)
  values (a.id, v_seq, a.received, v_data);
  update attachments set received = received + length(v_data), touched_at = now()
   where id = a.id;
  return jsonb_build_object('result', jsonb_build_object('id', a.id, 'seq', v_seq,
                                                         'received', a.received + length(v_data)));
end $$;

--
-- Name: kc_attachment_sniff(bytea, text); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_attachment_sniff(p_head bytea, p_name text) RETURNS text
    LANGUAGE plpgsql IMMUTABLE
    AS $_$
declare
  v_text text;
  v_head bytea := p_head;
begin
  if length(p_head) >= 5 and substring(p_head from 1 for 5) = '\x255044462d'::bytea then
    return 'application/pdf';
  elsif length(p_head) >= 8 and substring(p_head from 1 for 8) = '\x89504e470d0a1a0a'::bytea then
    return 'image/png';
  elsif length(p_head) >= 3 and substring(p_head from 1 for 3) = '\xffd8ff'::bytea then
    return 'image/jpeg';
  elsif length(p_head) >= 4 and substring(p_head from 1 for 4) = '\x504b0304'::bytea then
    -- OOXML: a ZIP whose entries name the part directories
    if position('word/'::bytea in p_head) > 0 then
      return 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
    elsif position('xl/'::bytea in p_head) > 0 then
      return 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
    end if;
    return 'application/octet-stream';
  elsif length(p_head) >= 8 and substring(p_head from 1 for 8) = '\xd0cf11e0a1b11ae1'::bytea then
    -- OLE compound file: the stream names in the directory (UTF-16LE)
    if position(convert_to('WordDocument', 'UTF8') in p_head) > 0
       or position('\x57006f007200640044006f00630075006d0065006e007400'::bytea in p_head) > 0 then
      return 'application/msword';
    elsif position('\x57006f0072006b0062006f006f006b00'::bytea in p_head) > 0
       or position('\x42006f006f006b00'::bytea in p_head) > 0 then
      return 'application/vnd.ms-excel';
    end if;
    return 'application/octet-stream';
  end if;
  if length(p_head) = 0 then
    return 'application/octet-stream';
  end if;
  -- text: valid UTF-8 (a sequence cut by the end of the head allowed) with
  -- no control characters but tab, CR and LF
  for i in 0 .. 3 loop
    exit when length(v_head) = 0;
    begin
      v_text := convert_from(v_head, 'UTF8');
      exit;
    exception when others then
      v_head := substring(v_head from 1 for length(v_head) - 1);
    end;
  end loop;
  if v_text is null or v_text ~ '[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]' then
    return 'application/octet-stream';
  end if;
  return case when lower(p_name) ~ '\.(csv|tsv)$' then 'text/csv' else 'text/plain' end;
end $_$;

--
-- Name: kc_attachment_sweep(interval); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_attachment_sweep(p_max_age interval DEFAULT '01:00:00'::interval) RETURNS integer
    LANGUAGE sql
    AS $$
  with gone as (delete from attachments
                 where status = 'uploading'
                   and (abandoned or touched_at < now() - p_max_age)
                returning 1)
  select count(*)::integer from gone
$$;

--
-- Name: kc_attachment_upload(bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_attachment_upload(p_user bigint, p jsonb) RETURNS public.attachments
    LANGUAGE sql
    AS $$
  select a.* from attachments a
   where a.id = (p->>'id')::bigint and a.status = 'uploading' and not a.abandoned
     and a.created_by = p_user and a.upload_conn is not distinct from p->>'conn'
   for update
$$;

--
-- Name: kc_attachments_of(text, bigint); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_attachments_of(p_type text, p_id bigint) RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$
  select coalesce(jsonb_agg(kc_attachment_json(a) order by a.id), '[]'::jsonb)
    from attachments a
   where a.owner_type = p_type and a.owner_id = p_id and a.status = 'complete'
$$;

--
-- Name: kc_audit(bigint, text, text, text, text, bigint, jsonb, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_audit(p_user_id bigint, p_username text, p_peer text, p_method text, p_record_type text, p_record_id bigint, p_before jsonb, p_after jsonb) RETURNS bigint
    LANGUAGE plpgsql
    AS $$
declare
  v_id bigint;
begin
  insert into audit_log (user_id, username, peer, method, record_type, record_id,
                         before, after)
  values (p_user_id, p_username, p_peer, p_method, p_record_type, p_record_id,
          p_before, p_after)
  returning id into v_id;
  return v_id;
end $$;

--
-- Name: audit_log; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.audit_log (
    id bigint NOT NULL,
    at timestamp with time zone DEFAULT clock_timestamp() NOT NULL,
    user_id bigint,
    username text,
    peer text,
    method text NOT NULL,
    record_type text,
    record_id bigint,
    before jsonb,
    after jsonb
);

--
-- Name: kc_audit_payload(public.audit_log, bigint); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_audit_payload(r public.audit_log, p_seq bigint) RETURNS text
    LANGUAGE sql STABLE
    AS $$
  select json_build_array(
           'kc-audit-v1',
           p_seq,
           to_char(r.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
           r.user_id,
           r.username,
           r.peer,
           r.method,
           r.record_type,
           r.record_id,
           r.before::text,
           r.after::text)::text
$$;

--
-- Name: kc_audit_record_name(text, bigint); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_audit_record_name(p_type text, p_id bigint) RETURNS text
    LANGUAGE sql STABLE
    AS $$
  select case p_type
    when 'programme_comment' then (select v.title || ' — ' || o.name from programme_comments c
                                     join programmes v on v.id = c.programme_id
                                     join orgs o on o.id = c.org_id where c.id = p_id)
    else kc_audit_record_name_0040(p_type, p_id) end
$$;

--
-- Name: kc_audit_record_name_0035(text, bigint); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_audit_record_name_0035(p_type text, p_id bigint) RETURNS text
    LANGUAGE sql STABLE
    AS $$
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

--
-- Name: kc_audit_record_name_0040(text, bigint); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_audit_record_name_0040(p_type text, p_id bigint) RETURNS text
    LANGUAGE sql STABLE
    AS $$
  select case p_type
    when 'management_spending' then (select m.voucher_no || ' — ' || left(m.purpose, 80)
                                       from agency_management_spending m where m.id = p_id)
    else kc_audit_record_name_0035(p_type, p_id) end
$$;

--
-- Name: kc_audit_refusal(bigint, text, text, text, integer); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_audit_refusal(p_user_id bigint, p_username text, p_peer text, p_method text, p_code integer) RETURNS void
    LANGUAGE plpgsql
    AS $$
declare
  v_new boolean;
begin
  insert into login_throttles as t (username, peer, window_start)
  values (coalesce(p_username, '') || '#' || p_method || '#' || p_code, coalesce(p_peer, ''),
          date_trunc('minute', now()))
  on conflict (username, peer, window_start)
    do update set refused = t.refused + 1, last_at = now()
  returning (xmax = 0) into v_new;
  if v_new then
    perform kc_audit(p_user_id, p_username, p_peer, p_method, null, null, null,
                     jsonb_build_object('result', 'refused', 'code', p_code));
  end if;
end $$;

--
-- Name: kc_audit_seal(boolean); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_audit_seal(p_wait boolean DEFAULT true) RETURNS integer
    LANGUAGE plpgsql
    SET enable_hashjoin TO 'off'
    SET enable_mergejoin TO 'off'
    SET max_parallel_workers_per_gather TO '0'
    SET plan_cache_mode TO 'force_custom_plan'
    AS $$
declare
  h audit_head;
  v_last_id bigint;
  v_snap pg_snapshot;
  v_ids bigint[];
  v_payloads bytea[];
  v_prevs bytea[] := '{}';
  v_hashes bytea[] := '{}';
  v_hash bytea;
  v_n integer;
  v_from bigint;
  v_next bigint;
  v_after xid8;
begin
  if current_setting('transaction_isolation') <> 'read committed' then
    raise exception 'kc_audit_seal() runs under READ COMMITTED only (each statement a new snapshot)';
  end if;
  select * into h from audit_head where id = 1;
  if not found then
    raise exception 'audit_head has no row';
  end if;
  -- Nothing to chain, and the watermark cannot move: no lock, no write.
  if not exists (select 1 from audit_log a
                  where a.id > h.scan_from
                    and not exists (select 1 from audit_chain c
                                     where c.audit_id = a.id and c.audit_id > h.scan_from))
     and not (h.scan_next > h.scan_from
              and pg_snapshot_xmin(pg_current_snapshot()) >= h.scan_after) then
    return 0;
  end if;
  -- The head first: sealers queue here, not on each other's rows.
  if p_wait then
    select * into h from audit_head where id = 1 for update;
  else
    select * into h from audit_head where id = 1 for update skip locked;
    if not found then
      return 0;
    end if;
  end if;
  -- L, then (next statement, new snapshot) the rows: see the header, 2.
  v_last_id := coalesce(pg_sequence_last_value('audit_log_id_seq'), 0);
  select array_agg(s.id order by s.id), array_agg(s.payload order by s.id), pg_current_snapshot()
    into v_ids, v_payloads, v_snap
    from (select a.id,
                 convert_to(kc_audit_payload(a, h.seq + row_number() over (order by a.id)), 'UTF8')
                   as payload
            from audit_log a
           where a.id > h.scan_from
             and not exists (select 1 from audit_chain c
                              where c.audit_id = a.id and c.audit_id > h.scan_from)) s;
  v_n := coalesce(array_length(v_ids, 1), 0);
  if v_n > 0 then
    v_hash := h.hash;
    for i in 1 .. v_n loop
      v_prevs[i] := v_hash;
      v_hash := sha256(v_hash || v_payloads[i]);
      v_hashes[i] := v_hash;
    end loop;
    -- audit_chain_check() verifies the batch and moves audit_head.
    insert into audit_chain (seq, audit_id, prev_hash, hash)
    select h.seq + u.o, u.id, u.prev, u.hash
      from unnest(v_ids, v_prevs, v_hashes) with ordinality as u (id, prev, hash, o);
  end if;
  -- The watermark (header, 3.).
  v_from := h.scan_from;
  v_next := h.scan_next;
  v_after := h.scan_after;
  if h.scan_after > pg_snapshot_xmax(v_snap) then
    -- not an xid of this cluster's past: start again from here
    v_next := v_last_id;
    v_after := pg_snapshot_xmax(v_snap);
  elsif h.scan_next <= h.scan_from or pg_snapshot_xmin(v_snap) >= h.scan_after then
    v_from := greatest(h.scan_from, h.scan_next);
    v_next := v_last_id;
    v_after := pg_snapshot_xmax(v_snap);
  end if;
  if (v_from, v_next, v_after) is distinct from (h.scan_from, h.scan_next, h.scan_after) then
    update audit_head set scan_from = v_from, scan_next = v_next, scan_after = v_after
     where id = 1;
  end if;
  return v_n;
end $$;

--
-- Name: kc_audit_verify(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_audit_verify() RETURNS TABLE(first_bad_seq bigint, reason text)
    LANGUAGE sql STABLE
    AS $$
  with chain as (
    select c.seq, c.prev_hash, c.hash, a.id as row_id,
           coalesce(lag(c.seq) over w, 0) + 1 as expected_seq,
           coalesce(lag(c.hash) over w, decode(repeat('00', 32), 'hex')) as expected_prev,
           sha256(c.prev_hash || convert_to(kc_audit_payload(a, c.seq), 'UTF8')) as recomputed
      from audit_chain c
      left join audit_log a on a.id = c.audit_id
    window w as (order by c.seq)
  ),
  bad_row as (
    select case when c.seq > c.expected_seq then c.expected_seq else c.seq end,
           case
             when c.seq > c.expected_seq then
               format('seq %s to %s missing', c.expected_seq, c.seq - 1)
             when c.seq < c.expected_seq then
               format('unexpected seq %s, expected %s', c.seq, c.expected_seq)
             when c.row_id is null then
               format('the audit row of seq %s is missing', c.seq)
             when c.prev_hash <> c.expected_prev then
               case when c.seq = 1
                    then 'prev_hash of the first row is not 32 zero bytes'
                    else format('prev_hash does not match the hash of seq %s', c.seq - 1)
               end
             else 'hash does not match the row''s content'
           end
      from chain c
     where c.seq <> c.expected_seq
        or c.row_id is null
        or c.prev_hash <> c.expected_prev
        or c.hash <> c.recomputed
     order by c.seq
     limit 1
  ),
  last_row as (
    select c.seq, c.hash from audit_chain c order by c.seq desc limit 1
  ),
  bad_head as (
    select case when h.id is null then coalesce(l.seq, 0)
                when h.seq > coalesce(l.seq, 0) then coalesce(l.seq, 0) + 1
                when h.seq < coalesce(l.seq, 0) then h.seq + 1
                else h.seq end,
           case when h.id is null then 'audit_head has no row'
                when h.seq > coalesce(l.seq, 0) then
                  format('audit_head is at seq %s but the last row is seq %s: rows missing at the end',
                         h.seq, coalesce(l.seq, 0))
                when h.seq < coalesce(l.seq, 0) then
                  format('audit_head is at seq %s, behind the last row seq %s', h.seq, l.seq)
                else 'audit_head hash does not match the hash of the last row'
           end
      from (values (1)) as one (id)
      left join audit_head h on h.id = one.id
      left join last_row l on true
     where h.id is null
        or h.seq <> coalesce(l.seq, 0)
        or h.hash <> coalesce(l.hash, decode(repeat('00', 32), 'hex'))
  ),
  bad_unchained as (
    select coalesce((select min(c.seq) from audit_chain c where c.audit_id > a.id),
                    (select h2.seq + 1 from audit_head h2)),
           format('audit row id %s is in no chain row, below the sealed rows', a.id)
      from audit_log a, audit_head h
     where a.id <= h.scan_from
       and not exists (select 1 from audit_chain c where c.audit_id = a.id)
     order by a.id
     limit 1
  )
  select * from bad_row
  union all
  select * from bad_head where not exists (select 1 from bad_row)
  union all
  select * from bad_unchained
   where not exists (select 1 from bad_row) and not exists (select 1 from bad_head)
$$;

--
-- Name: kc_budget_allocate(bigint, text, text, text, bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_budget_allocate(p_user bigint, p_username text, p_peer text, p_role text, p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE plpgsql
    AS $$
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

--
-- Name: kc_budget_by_source(bigint, integer); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_budget_by_source(p_scope bigint, p_year integer) RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$
  with ap as (select a.* from appropriations a
               where a.year = p_year and (p_scope is null or (a.source = 'local' and a.province_id = p_scope))),
  al as (select a.source, a.amount, a.province_id from allocations a where a.year = p_year),
  rl as (select r.source, r.amount, r.province_id from budget_releases r where r.year = p_year),
  by_source as (
    select s.code as source,
           coalesce((select sum(ap.amount) from ap where ap.source = s.code), 0) as appropriated,
           coalesce((select sum(amount) from al where al.source = s.code
                       and (p_scope is null or al.province_id = p_scope)), 0) as allocated,
           coalesce((select sum(amount) from rl where rl.source = s.code
                       and (p_scope is null or rl.province_id = p_scope)), 0) as released
      from funding_sources s
     where exists (select 1 from ap where ap.source = s.code)
        or (p_scope is null and exists (select 1 from al where al.source = s.code)))
  select coalesce(jsonb_agg(jsonb_build_object(
           'source', source, 'appropriated', appropriated, 'allocated', allocated,
           'released', released,
           'remaining', appropriated - allocated + released) order by source), '[]'::jsonb)
    from by_source
$$;

--
-- Name: kc_budget_carry_over(bigint, text, text, text, bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_budget_carry_over(p_user bigint, p_username text, p_peer text, p_role text, p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE plpgsql
    AS $$
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

--
-- Name: kc_budget_check_ledger(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_budget_check_ledger() RETURNS TABLE(year integer, source text, amount bigint, allocated bigint, summed bigint)
    LANGUAGE sql STABLE
    AS $$
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

--
-- Name: kc_budget_contract(bigint, text, text, text, bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_budget_contract(p_user bigint, p_username text, p_peer text, p_role text, p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE plpgsql
    AS $$
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

--
-- Name: kc_budget_disburse(bigint, text, text, text, bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_budget_disburse(p_user bigint, p_username text, p_peer text, p_role text, p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE plpgsql
    AS $$
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

--
-- Name: kc_budget_disburse_0025(bigint, text, text, text, bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_budget_disburse_0025(p_user bigint, p_username text, p_peer text, p_role text, p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE plpgsql
    AS $$
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

--
-- Name: kc_budget_disburse_0031(bigint, text, text, text, bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_budget_disburse_0031(p_user bigint, p_username text, p_peer text, p_role text, p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE plpgsql
    AS $$
declare
  v_res jsonb;
  v_cert jsonb := p->'registration_certificate';
  v_needs boolean;
  v_on date := (p->>'date')::date;
  r project_registration_certificates;
begin
  v_res := kc_budget_disburse_0025(p_user, p_username, p_peer, p_role, p_scope, p - 'registration_certificate');
  if v_res ? 'error' or coalesce(p->>'kind', 'advance') = 'refund' then
    return v_res;
  end if;
  select coalesce(bool_or(f.after_acceptance), false) into v_needs
    from kc_first_advance((p->>'project_id')::bigint, v_on) f;
  if not v_needs or exists (select 1 from project_registration_certificates
                             where project_id = (p->>'project_id')::bigint) then
    return v_res;
  end if;
  -- the payment made above is undone with the refusal (the exception below)
  if v_cert is null or jsonb_typeof(v_cert) <> 'object' then
    raise exception using errcode = 'KC099', message = kc_rule_err('registration_certificate', 'registration_certificate',
      'support to set up an enterprise is paid after base acceptance and on its business registration certificate: give its number and date (TT 36/2013/TT-BCT Art. 13)')::text;
  end if;
  if (v_cert->>'date')::date > v_on then
    raise exception using errcode = 'KC099', message = kc_rule_err('registration_certificate.date', 'order',
      'the certificate is not dated after the payment')::text;
  end if;
  insert into project_registration_certificates (project_id, number, issued_on, issuer, disbursement_id,
                                                 recorded_by)
  values ((p->>'project_id')::bigint, v_cert->>'number', (v_cert->>'date')::date, v_cert->>'issuer',
          (v_res->'result'->>'id')::bigint, p_user)
  returning * into r;
  perform kc_audit(p_user, p_username, p_peer, 'budget.disburse', 'registration_certificate', r.project_id,
                   null, to_jsonb(r) - 'recorded_at');
  return jsonb_build_object('result', (v_res->'result')
                                      || jsonb_build_object('registration_certificate',
                                                            to_jsonb(r) - 'recorded_at' - 'recorded_by'));
exception
  when sqlstate 'KC099' then
    return sqlerrm::jsonb;
end $$;

--
-- Name: kc_budget_management(bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_budget_management(p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE plpgsql STABLE
    AS $$
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

--
-- Name: kc_budget_move(bigint, text, text, text); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_budget_move(p_id bigint, p_role text, p_status text, p_stage text) RETURNS boolean
    LANGUAGE plpgsql
    AS $$
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

--
-- Name: projects; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.projects (
    id bigint NOT NULL,
    plan_id bigint NOT NULL,
    code text NOT NULL,
    kind text DEFAULT 'regular'::text NOT NULL,
    status text DEFAULT 'draft'::text NOT NULL,
    stage text DEFAULT 'drafting'::text NOT NULL,
    implementer text,
    partners jsonb DEFAULT '[]'::jsonb NOT NULL,
    locations jsonb DEFAULT '[]'::jsonb NOT NULL,
    rationale text,
    legal_basis text,
    objectives text,
    scale_and_novelty text,
    work_items jsonb DEFAULT '[]'::jsonb NOT NULL,
    implementation text,
    impact text,
    procurement text DEFAULT 'selection'::text NOT NULL,
    sector text,
    priority_area text,
    export boolean DEFAULT false NOT NULL,
    local_materials boolean DEFAULT false NOT NULL,
    labour_intensive boolean DEFAULT false NOT NULL,
    supporting_industry boolean DEFAULT false NOT NULL,
    typical_product boolean DEFAULT false NOT NULL,
    start_date date,
    end_date date,
    no_double_funding boolean DEFAULT false NOT NULL,
    created_by bigint NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    cap_code text,
    total_cost bigint,
    checked_cap_id bigint,
    checked_on date,
    check_warnings jsonb DEFAULT '[]'::jsonb NOT NULL,
    copied_from bigint,
    priorities text[] DEFAULT '{}'::text[] NOT NULL,
    title text NOT NULL,
    version integer DEFAULT 1 NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    checked_at timestamp with time zone,
    CONSTRAINT projects_cap_code_check CHECK ((cap_code ~ '^C[0-9]{2}[a-z]?$'::text)),
    CONSTRAINT projects_check CHECK (((end_date IS NULL) OR (start_date IS NULL) OR (end_date >= start_date))),
    CONSTRAINT projects_check_warnings_check CHECK ((jsonb_typeof(check_warnings) = 'array'::text)),
    CONSTRAINT projects_locations_check CHECK ((jsonb_typeof(locations) = 'array'::text)),
    CONSTRAINT projects_partners_check CHECK ((jsonb_typeof(partners) = 'array'::text)),
    CONSTRAINT projects_procurement_check CHECK ((procurement = ANY (ARRAY['selection'::text, 'bidding'::text]))),
    CONSTRAINT projects_title_check CHECK (((length(title) >= 1) AND (length(title) <= 500))),
    CONSTRAINT projects_total_cost_check CHECK ((total_cost >= 0)),
    CONSTRAINT projects_work_items_check CHECK ((jsonb_typeof(work_items) = 'array'::text))
)
WITH (fillfactor='80');

--
-- Name: kc_budget_project(bigint, bigint, boolean); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_budget_project(p_id bigint, p_scope bigint, p_lock boolean) RETURNS public.projects
    LANGUAGE plpgsql
    AS $$
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

--
-- Name: kc_budget_record_management(bigint, text, text, text, bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_budget_record_management(p_user bigint, p_username text, p_peer text, p_role text, p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE plpgsql
    AS $$
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

--
-- Name: kc_budget_recover(bigint, text, text, text, bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_budget_recover(p_user bigint, p_username text, p_peer text, p_role text, p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE plpgsql
    AS $$
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

--
-- Name: kc_budget_set_appropriation(bigint, text, text, text, bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_budget_set_appropriation(p_user bigint, p_username text, p_peer text, p_role text, p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE plpgsql
    AS $$
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

--
-- Name: kc_budget_set_appropriation_0025(bigint, text, text, text, bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_budget_set_appropriation_0025(p_user bigint, p_username text, p_peer text, p_role text, p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE plpgsql
    AS $$
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

--
-- Name: kc_budget_settle(bigint, text, text, text, bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_budget_settle(p_user bigint, p_username text, p_peer text, p_role text, p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE plpgsql
    AS $$
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

--
-- Name: kc_budget_settlement(bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_budget_settlement(p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE plpgsql STABLE
    AS $$
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

--
-- Name: kc_budget_submit_settlement(bigint, text, text, text, bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_budget_submit_settlement(p_user bigint, p_username text, p_peer text, p_role text, p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE plpgsql
    AS $$
declare
  pr projects;
  v plans;
  v_err jsonb;
  dd record;
  r settlement_dossiers;
  v_on date := (p->>'submitted_on')::date;
begin
  select * into pr from projects where id = (p->>'project_id')::bigint for update;
  if found then
    select * into v from plans where id = pr.plan_id;
  end if;
  if pr.id is null or p_scope is null or not kc_plan_visible(v.org_id, v.scope, v.status, p_scope) then
    return kc_err(1004, 'no such project');
  end if;
  v_err := kc_record_check('project', true, pr.version, (p->>'version')::integer, pr.status,
                           array['completed']);
  if v_err is not null then
    return v_err;
  end if;
  if pr.stage = 'settlement_submitted' then
    return kc_rule_err('project_id', 'unique', 'the settlement dossier is already submitted');
  end if;
  select * into dd from kc_settle_due(pr.id);
  if v_on < dd.accepted_on then
    return kc_rule_err('submitted_on', 'order', 'the dossier is not submitted before acceptance');
  end if;
  if v_on > (now() at time zone 'Asia/Ho_Chi_Minh')::date then
    return kc_rule_err('submitted_on', 'future', 'the submission date is not in the future');
  end if;
  insert into settlement_dossiers (project_id, submitted_on, record_no, dossier_due, late, submitted_by)
  values (pr.id, v_on, p->>'record_no', dd.dossier_due, v_on > dd.dossier_due, p_user)
  returning * into r;
  perform kc_actor_set(p_user, p_role, null, p->>'record_no');
  update projects set stage = 'settlement_submitted', version = version + 1 where id = pr.id;
  perform kc_audit(p_user, p_username, p_peer, 'budget.submit_settlement', 'project', pr.id, null,
                   to_jsonb(r) - 'submitted_at');
  return jsonb_build_object('result', to_jsonb(r) - 'submitted_at'
                                      || jsonb_build_object('submitted_at', kc_instant(r.submitted_at),
                                                            'version', pr.version + 1));
end $$;

--
-- Name: kc_budget_summary(bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_budget_summary(p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE plpgsql STABLE
    AS $$
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

--
-- Name: kc_budget_summary_0027(bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_budget_summary_0027(p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE sql STABLE
    SET jit TO 'off'
    AS $$
  -- 0025's money (local appropriations, province-scoped sums, refunds
  -- owed) in 0027's shape: the year's allocations and releases summed
  -- once per project and joined, the tables that are not by year read per
  -- project through their project_id index (0025's subqueries per project
  -- rescanned the year's allocations for each: quadratic in the year)
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
  al_p as (select project_id, sum(amount) as amount from al group by project_id),
  rl_p as (select project_id, sum(amount) as amount from rl group by project_id),
  per_project as (
    select prj.id, prj.province_code, al_p.amount as allocated, c.amount as contracted,
           d.advanced, d.final, d.refunded, sa.central as settled, sa.local as settled_local,
           rl_p.amount as released, co.amount as carried_over,
           al_p.project_id is not null or c.n > 0 or d.n > 0 as shown
      from prj
      left join al_p on al_p.project_id = prj.id
      left join rl_p on rl_p.project_id = prj.id
      cross join lateral (select sum(x.amount) as amount, count(*) as n
                            from contracts x where x.project_id = prj.id) c
      cross join lateral (select sum(x.amount) filter (where x.kind = 'advance') as advanced,
                                 sum(x.amount) filter (where x.kind = 'final') as final,
                                 sum(x.amount) filter (where x.kind = 'refund') as refunded,
                                 count(*) as n
                            from disbursements x where x.project_id = prj.id) d
      cross join lateral (select sum(x.amount) filter (where x.source = 'central') as central,
                                 sum(x.amount) filter (where x.source = 'local') as local
                            from settlement_amounts x where x.project_id = prj.id) sa
      cross join lateral (select sum(x.amount) as amount from carry_overs x
                           where x.project_id = prj.id) co),
  by_province as (
    select province_code,
           coalesce(sum(allocated), 0) as allocated,
           coalesce(sum(contracted), 0) as contracted,
           coalesce(sum(advanced), 0) as advanced,
           coalesce(sum(final), 0) as final,
           coalesce(sum(refunded), 0) as refunded,
           coalesce(sum(settled), 0) as settled,
           coalesce(sum(settled_local), 0) as settled_local,
           coalesce(sum(released), 0) as released,
           coalesce(sum(carried_over), 0) as carried_over,
           coalesce(sum(coalesce(kc_refund_outstanding(id), 0)), 0) as refund_outstanding
      from per_project
     where shown
     group by province_code)
  select jsonb_build_object('result', jsonb_build_object(
    'year', (select year from y),
    'by_source', kc_budget_by_source(p_scope, (select year from y)),
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

--
-- Name: kc_budget_summary_0035(bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_budget_summary_0035(p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE plpgsql STABLE
    AS $$
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

--
-- Name: kc_calendar_due(text, integer); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_calendar_due(p_rule text, p_year integer) RETURNS date
    LANGUAGE sql STABLE
    AS $$
  select due from calendar_rules where rule = p_rule and year = p_year
$$;

--
-- Name: kc_cap_add(jsonb, bigint, text, text); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_cap_add(p jsonb, p_user bigint, p_username text, p_peer text, OUT result text, OUT later boolean, OUT problem text) RETURNS record
    LANGUAGE plpgsql
    AS $$
declare
  v_from date := (p->>'valid_from')::date;
  v_prev support_caps;
  v_closed support_caps;
  v_ins support_caps;
  v_problem jsonb;
  v_decision bigint;
begin
  select * into v_prev from support_caps c
   where c.cap_code = p->>'cap_code' and c.valid_from < v_from
     and (c.valid_to is null or c.valid_to >= v_from)
   for update;
  later := exists (select 1 from support_caps c where c.cap_code = p->>'cap_code' and c.valid_from >= v_from);
  if later then
    return;
  end if;
  v_problem := kc_decision_problem(p->'decision');
  if v_problem is not null then
    problem := v_problem::text;
    return;
  end if;
  v_decision := kc_decision_record(p_user, p->'decision', 'catalog.add_cap');
  if v_prev.id is not null then
    update support_caps s set valid_to = v_from - 1, version = s.version + 1
     where s.id = v_prev.id returning s.* into v_closed;
  end if;
  insert into support_caps (cap_code, content_code, name_vi, name_en, pct_cap, abs_cap_vnd, unit, base,
                            priority_factor, note, legal_act, valid_from, confidence)
  values (p->>'cap_code', p->>'content_code', coalesce(p->>'name_vi', v_prev.name_vi),
          coalesce(p->>'name_en', v_prev.name_en), (p->>'pct_cap')::numeric, (p->>'abs_cap_vnd')::bigint,
          p->>'unit', p->>'base', (p->>'priority_factor')::numeric, p->>'note', p->>'legal_act', v_from,
          p->>'confidence')
  returning * into v_ins;
  perform kc_audit(p_user, p_username, p_peer, 'catalog.add_cap', 'catalog.support_caps', v_ins.id,
                   case when v_prev.id is not null then to_jsonb(v_prev) end,
                   jsonb_build_object('cap', to_jsonb(v_ins),
                                      'closed', case when v_closed.id is not null then to_jsonb(v_closed) end,
                                      'decision', kc_decision_json(v_decision)));
  result := json_build_object('cap', to_json(v_ins),
                              'closed', case when v_closed.id is not null then to_json(v_closed) end,
                              'decision', kc_decision_json(v_decision))::text;
end $$;

--
-- Name: kc_cap_update(bigint, text, text, bigint, integer, jsonb, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_cap_update(p_user bigint, p_username text, p_peer text, p_key bigint, p_version integer, p_fields jsonb, p_decision jsonb, OUT cur_version integer, OUT row_json text, OUT problem text) RETURNS record
    LANGUAGE plpgsql
    AS $$
declare
  c support_caps;
  n support_caps;
  u support_caps;
  v_problem jsonb;
  v_decision bigint;
begin
  select * into c from support_caps where id = p_key for update;
  if not found then
    return;
  end if;
  cur_version := c.version;
  if c.version <> p_version then
    return;
  end if;
  v_problem := kc_decision_problem(p_decision);
  if v_problem is not null then
    problem := v_problem::text;
    return;
  end if;
  v_decision := kc_decision_record(p_user, p_decision, 'catalog.update');
  n := jsonb_populate_record(c, p_fields);
  update support_caps x
     set name_vi = n.name_vi, name_en = n.name_en, note = n.note, legal_act = n.legal_act,
         confidence = n.confidence, valid_to = n.valid_to, pct_cap = n.pct_cap,
         abs_cap_vnd = n.abs_cap_vnd, unit = n.unit, base = n.base,
         priority_factor = n.priority_factor, change_decision_id = v_decision,
         version = x.version + 1
   where x.id = c.id
  returning x.* into u;
  perform kc_audit(p_user, p_username, p_peer, 'catalog.update', 'catalog.support_caps', c.id,
                   to_jsonb(c), to_jsonb(u) || jsonb_build_object('decision', kc_decision_json(v_decision)));
  row_json := to_json(u)::text;
end $$;

--
-- Name: kc_caps_choice(text, date); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_caps_choice(p_content text, p_on date) RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$
  select coalesce(jsonb_agg(jsonb_build_object(
           'cap_code', x.cap_code, 'pct_cap', x.pct_cap, 'abs_cap_vnd', x.abs_cap_vnd,
           'legal_act', x.legal_act, 'confidence', x.confidence) order by x.cap_code), '[]'::jsonb)
    from kc_caps_in_force(p_content, p_on) x
$$;

--
-- Name: support_caps; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.support_caps (
    id bigint NOT NULL,
    cap_code text NOT NULL,
    content_code text,
    name_vi text NOT NULL,
    name_en text NOT NULL,
    pct_cap numeric(5,2),
    abs_cap_vnd bigint,
    unit text,
    base text,
    priority_factor numeric(3,2),
    note text,
    legal_act text NOT NULL,
    valid_from date NOT NULL,
    valid_to date,
    confidence character(1) NOT NULL,
    version integer DEFAULT 1 NOT NULL,
    change_decision_id bigint,
    CONSTRAINT support_caps_abs_cap_vnd_check CHECK ((abs_cap_vnd >= 0)),
    CONSTRAINT support_caps_cap_code_check CHECK ((cap_code ~ '^C[0-9]{2}[a-z]?$'::text)),
    CONSTRAINT support_caps_check CHECK (((valid_to IS NULL) OR (valid_to >= valid_from))),
    CONSTRAINT support_caps_confidence_check CHECK ((confidence = ANY (ARRAY['C'::bpchar, 'P'::bpchar, 'U'::bpchar]))),
    CONSTRAINT support_caps_name_en_check CHECK (((length(name_en) >= 1) AND (length(name_en) <= 1000))),
    CONSTRAINT support_caps_name_vi_check CHECK (((length(name_vi) >= 1) AND (length(name_vi) <= 1000))),
    CONSTRAINT support_caps_pct_cap_check CHECK (((pct_cap > (0)::numeric) AND (pct_cap <= (100)::numeric))),
    CONSTRAINT support_caps_priority_factor_check CHECK (((priority_factor >= (1)::numeric) AND (priority_factor <= (3)::numeric))),
    CONSTRAINT support_caps_version_check CHECK ((version >= 1))
);

--
-- Name: kc_caps_in_force(text, date); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_caps_in_force(p_content text, p_on date) RETURNS SETOF public.support_caps
    LANGUAGE sql STABLE
    AS $$
  select * from support_caps c
   where c.content_code = p_content and kc_valid_on(c.valid_from, c.valid_to, p_on)
   order by c.cap_code, c.valid_from
$$;

--
-- Name: kc_catalog_json(date); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_catalog_json(p_on date) RETURNS json
    LANGUAGE sql STABLE
    AS $$
  select (kc_catalog_json_0004(p_on)::jsonb || jsonb_build_object(
    'advance_rules', coalesce((select jsonb_agg(to_jsonb(t) order by t.code, t.valid_from) from advance_rules t
                                where kc_valid_on(t.valid_from, t.valid_to, p_on)), '[]'),
    'advance_first_rules', coalesce((select jsonb_agg(to_jsonb(t) order by t.cap_code, t.valid_from)
                                       from advance_first_rules t
                                      where kc_valid_on(t.valid_from, t.valid_to, p_on)), '[]'),
    'project_kind_bounds', coalesce((select jsonb_agg(to_jsonb(t) order by t.kind, t.valid_from)
                                       from project_kind_bounds t
                                      where kc_valid_on(t.valid_from, t.valid_to, p_on)), '[]'),
    'local_caps', coalesce((select jsonb_agg(to_jsonb(t) || jsonb_build_object('province_code', o.province_code)
                                             order by o.province_code, t.cap_code, t.valid_from)
                              from local_caps t join orgs o on o.id = t.province_id
                             where kc_valid_on(t.valid_from, t.valid_to, p_on)), '[]')))::json
$$;

--
-- Name: kc_catalog_json_0004(date); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_catalog_json_0004(p_on date) RETURNS json
    LANGUAGE sql STABLE
    AS $$
  select json_build_object(
    'funding_sources', coalesce((select json_agg(t order by t.sort, t.code) from funding_sources t
                                  where kc_valid_on(t.valid_from, t.valid_to, p_on)), '[]'),
    'content_categories', coalesce((select json_agg(t order by t.sort, t.code) from content_categories t
                                     where kc_valid_on(t.valid_from, t.valid_to, p_on)), '[]'),
    'sectors', coalesce((select json_agg(t order by t.sort, t.code) from sectors t
                          where kc_valid_on(t.valid_from, t.valid_to, p_on)), '[]'),
    'priority_areas', coalesce((select json_agg(t order by t.rank, t.code) from priority_areas t
                                 where kc_valid_on(t.valid_from, t.valid_to, p_on)), '[]'),
    'priority_sectors', coalesce((select json_agg(t order by t.sort, t.code) from priority_sectors t
                                   where kc_valid_on(t.valid_from, t.valid_to, p_on)), '[]'),
    'indicators', coalesce((select json_agg(t order by t.code) from indicators t
                             where kc_valid_on(t.valid_from, t.valid_to, p_on)), '[]'),
    'programme_periods', coalesce((select json_agg(t order by t.from_year, t.code) from programme_periods t
                                    where kc_valid_on(t.valid_from, t.valid_to, p_on)), '[]'),
    'project_kinds', coalesce((select json_agg(t order by t.sort, t.code) from project_kinds t
                                where kc_valid_on(t.valid_from, t.valid_to, p_on)), '[]'),
    'support_caps', coalesce((select json_agg(t order by t.cap_code, t.valid_from) from support_caps t
                               where kc_valid_on(t.valid_from, t.valid_to, p_on)), '[]'),
    'calendar_rules', coalesce((select json_agg(t order by t.rule, t.year) from calendar_rules t
                                 where kc_valid_on(t.valid_from, t.valid_to, p_on)), '[]'))
$$;

--
-- Name: kc_certificate_last_day(integer, date); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_certificate_last_day(p_year integer, p_issued_on date) RETURNS date
    LANGUAGE sql IMMUTABLE
    AS $$
  select make_date(coalesce(extract(year from p_issued_on)::integer, p_year) + 2, 12, 31)
$$;

--
-- Name: typical_products; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.typical_products (
    id bigint NOT NULL,
    product_name text NOT NULL,
    establishment_name text NOT NULL,
    tax_code text,
    level text NOT NULL,
    year integer NOT NULL,
    score numeric(5,2),
    certificate_no text NOT NULL,
    issued_on date,
    valid_until date NOT NULL,
    revoked boolean DEFAULT false NOT NULL,
    org_id bigint NOT NULL,
    version integer DEFAULT 1 NOT NULL,
    created_by bigint NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT typical_products_certificate_no_check CHECK (((length(certificate_no) >= 1) AND (length(certificate_no) <= 100))),
    CONSTRAINT typical_products_establishment_name_check CHECK (((length(establishment_name) >= 1) AND (length(establishment_name) <= 300))),
    CONSTRAINT typical_products_level_check CHECK ((level = ANY (ARRAY['district'::text, 'province'::text, 'regional'::text, 'national'::text]))),
    CONSTRAINT typical_products_product_name_check CHECK (((length(product_name) >= 1) AND (length(product_name) <= 300))),
    CONSTRAINT typical_products_score_check CHECK (((score >= (0)::numeric) AND (score <= (100)::numeric))),
    CONSTRAINT typical_products_tax_code_check CHECK (((length(tax_code) >= 1) AND (length(tax_code) <= 20))),
    CONSTRAINT typical_products_year_check CHECK (((year >= 2000) AND (year <= 2100)))
);

--
-- Name: kc_certificate_valid(public.typical_products, date); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_certificate_valid(t public.typical_products, p_on date) RETURNS boolean
    LANGUAGE sql STABLE
    AS $$
  select not t.revoked and coalesce(t.issued_on, make_date(t.year, 12, 31)) <= p_on
         and t.valid_until >= p_on
$$;

--
-- Name: kc_change_decision_guard(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_change_decision_guard() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
declare
  v_needed boolean;
  v_decision bigint;
  v_prog programmes;
begin
  if tg_table_name in ('programme_targets', 'programme_budgets') then
    select * into v_prog from programmes where id = coalesce(new.programme_id, old.programme_id);
    v_needed := v_prog.status = 'approved';
  elsif tg_table_name = 'programmes' then
    v_needed := old.status = 'approved';
  elsif tg_op = 'UPDATE' then
    -- caps: what the cap is and when it applies; names, notes and the
    -- confidence mark are corrections, not decisions
    v_needed := (old.cap_code, old.content_code, old.pct_cap, old.abs_cap_vnd, old.unit, old.base,
                 old.priority_factor, old.valid_from, old.valid_to)
                is distinct from
                (new.cap_code, new.content_code, new.pct_cap, new.abs_cap_vnd, new.unit, new.base,
                 new.priority_factor, new.valid_from, new.valid_to);
  else
    v_needed := true;
  end if;
  if not coalesce(v_needed, false) or kc_migrating() then
    return coalesce(new, old);
  end if;
  v_decision := kc_decision_current();
  if v_decision is null then
    raise exception '% changes only through a recorded decision (number, date, signer)', tg_argv[0]
      using errcode = 'KC022';
  end if;
  if tg_op <> 'DELETE' then
    new.change_decision_id := v_decision;
  end if;
  return coalesce(new, old);
end $$;

--
-- Name: kc_check_push(jsonb, text, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_check_push(p_res jsonb, p_bucket text, p_v jsonb) RETURNS jsonb
    LANGUAGE plpgsql IMMUTABLE
    AS $$
begin
  return jsonb_set(p_res, array[p_bucket], (p_res->p_bucket) || jsonb_build_array(p_v));
end $$;

--
-- Name: kc_confirmed_progress(bigint); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_confirmed_progress(p_project bigint) RETURNS integer
    LANGUAGE sql STABLE
    AS $$
  select percent_done from project_progress_reports
   where project_id = p_project and confirmed_at is not null
   order by period desc limit 1
$$;

--
-- Name: kc_correspondence_answer(bigint, text, text, text, bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_correspondence_answer(p_user bigint, p_username text, p_peer text, p_role text, p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE plpgsql
    AS $$
declare
  c correspondence;
  v_err jsonb;
  v_before jsonb;
begin
  select * into c from correspondence where id = (p->>'id')::bigint for update;
  if not coalesce(kc_correspondence_visible(c, p_scope), false) then
    return kc_err(1004, 'no such correspondence');
  end if;
  if p_role not in ('ministry_reviewer', 'ministry_approver') then
    return kc_err(1003, 'the Ministry answers correspondence');
  end if;
  v_err := kc_record_check('correspondence', true, c.version, (p->>'version')::integer, c.status,
                           array['open']);
  if v_err is not null then
    return v_err;
  end if;
  v_before := kc_correspondence_json(c, false);
  update correspondence set status = 'answered', answer = p->>'answer', answered_by = p_user,
                            answered_at = now(), version = version + 1
   where id = c.id returning * into c;
  perform kc_audit(p_user, p_username, p_peer, 'correspondence.answer', 'correspondence', c.id, v_before,
                   kc_correspondence_json(c, false));
  return jsonb_build_object('result', kc_correspondence_json(c, true));
end $$;

--
-- Name: kc_correspondence_close(bigint, text, text, text, bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_correspondence_close(p_user bigint, p_username text, p_peer text, p_role text, p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE plpgsql
    AS $$
declare
  c correspondence;
  v_err jsonb;
  v_before jsonb;
begin
  select * into c from correspondence where id = (p->>'id')::bigint for update;
  v_err := kc_record_check('correspondence', kc_correspondence_visible(c, p_scope), c.version,
                           (p->>'version')::integer, c.status, array['open', 'answered']);
  if v_err is not null then
    return v_err;
  end if;
  v_before := kc_correspondence_json(c, false);
  update correspondence set status = 'closed', closed_by = p_user, closed_at = now(), version = version + 1
   where id = c.id returning * into c;
  perform kc_audit(p_user, p_username, p_peer, 'correspondence.close', 'correspondence', c.id, v_before,
                   kc_correspondence_json(c, false));
  return jsonb_build_object('result', kc_correspondence_json(c, true));
end $$;

--
-- Name: correspondence; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.correspondence (
    id bigint NOT NULL,
    org_id bigint NOT NULL,
    subject text NOT NULL,
    body text NOT NULL,
    plan_id bigint,
    project_id bigint,
    status text DEFAULT 'open'::text NOT NULL,
    opened_by bigint NOT NULL,
    opened_at timestamp with time zone DEFAULT now() NOT NULL,
    answered_by bigint,
    answered_at timestamp with time zone,
    answer text,
    closed_by bigint,
    closed_at timestamp with time zone,
    version integer DEFAULT 1 NOT NULL,
    CONSTRAINT correspondence_answer_check CHECK ((length(answer) <= 50000)),
    CONSTRAINT correspondence_body_check CHECK (((length(body) >= 1) AND (length(body) <= 50000))),
    CONSTRAINT correspondence_check CHECK ((((status = 'open'::text) = (answered_at IS NULL)) OR (status = 'closed'::text))),
    CONSTRAINT correspondence_status_check CHECK ((status = ANY (ARRAY['open'::text, 'answered'::text, 'closed'::text]))),
    CONSTRAINT correspondence_subject_check CHECK (((length(subject) >= 1) AND (length(subject) <= 500)))
);

--
-- Name: kc_correspondence_due(public.correspondence); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_correspondence_due(c public.correspondence) RETURNS date
    LANGUAGE sql STABLE
    AS $$
  select kc_working_day_due((c.opened_at at time zone 'Asia/Ho_Chi_Minh')::date,
                            kc_deadline_setting('correspondence_sla_working_days'))
$$;

--
-- Name: kc_correspondence_get(bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_correspondence_get(p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$
  select coalesce(
    (select jsonb_build_object('result', kc_correspondence_json(c, true))
       from correspondence c where c.id = (p->>'id')::bigint and kc_correspondence_visible(c, p_scope)),
    kc_err(1004, 'no such correspondence'))
$$;

--
-- Name: kc_correspondence_json(public.correspondence, boolean); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_correspondence_json(c public.correspondence, p_full boolean) RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$
  select jsonb_build_object(
           'id', c.id, 'org_id', c.org_id, 'subject', c.subject, 'body', c.body,
           'plan_id', c.plan_id, 'project_id', c.project_id, 'status', c.status,
           'opened_by', c.opened_by, 'opened_at', c.opened_at,
           'answered_by', c.answered_by, 'answered_at', c.answered_at, 'answer', c.answer,
           'closed_by', c.closed_by, 'closed_at', c.closed_at, 'version', c.version,
           'due', kc_correspondence_due(c), 'overdue', kc_correspondence_overdue(c))
         || case when p_full then jsonb_build_object('messages',
              coalesce((select jsonb_agg(kc_correspondence_message_json(m) order by m.id)
                          from correspondence_messages m where m.correspondence_id = c.id), '[]'::jsonb))
            else '{}'::jsonb end
$$;

--
-- Name: kc_correspondence_list(bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_correspondence_list(p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$
  with lim as (select coalesce((p->>'limit')::integer, 100) as n),
  page as (
    select c.id from correspondence c
     where kc_correspondence_visible(c, p_scope)
       and (p->>'cursor' is null or c.id < (p->>'cursor')::bigint)
       and (p->>'status' is null or c.status = p->>'status')
       and (p->>'org_id' is null or c.org_id in (select org_scope((p->>'org_id')::bigint)))
       and (p->>'overdue' is null or kc_correspondence_overdue(c) = (p->>'overdue')::boolean)
     order by c.id desc limit (select n from lim) + 1),
  shown as (select id from page order by id desc limit (select n from lim))
  select coalesce(kc_org_filter_err(p_scope, p), jsonb_build_object('result', jsonb_build_object(
    'items', coalesce((select jsonb_agg(kc_correspondence_json(c, false) order by c.id desc)
                         from correspondence c where c.id in (select id from shown)), '[]'::jsonb),
    'next_cursor', case when (select count(*) from page) > (select n from lim)
                        then (select min(id) from shown)::text end)))
$$;

--
-- Name: correspondence_messages; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.correspondence_messages (
    id bigint NOT NULL,
    correspondence_id bigint NOT NULL,
    author_id bigint NOT NULL,
    author_role text NOT NULL,
    body text NOT NULL,
    at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT correspondence_messages_body_check CHECK (((length(body) >= 1) AND (length(body) <= 50000)))
);

--
-- Name: kc_correspondence_message_json(public.correspondence_messages); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_correspondence_message_json(m public.correspondence_messages) RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$
  select jsonb_build_object('id', m.id, 'correspondence_id', m.correspondence_id,
                            'author_id', m.author_id, 'author_role', m.author_role,
                            'body', m.body, 'at', m.at)
$$;

--
-- Name: kc_correspondence_open(bigint, text, text, text, bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_correspondence_open(p_user bigint, p_username text, p_peer text, p_role text, p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE plpgsql
    AS $$
declare
  c correspondence;
  v_plan bigint := (p->>'plan_id')::bigint;
  v_project bigint := (p->>'project_id')::bigint;
  v_viol jsonb;
begin
  if p_scope is null then
    return kc_err(1003, 'correspondence is opened by a province');
  end if;
  select coalesce(jsonb_agg(x), '[]'::jsonb) into v_viol from (
    select kc_violation('plan_id', 'exists', 'no such plan in the province') as x
     where v_plan is not null
       and not exists (select 1 from plans pl where pl.id = v_plan
                          and kc_plan_visible(pl.org_id, pl.scope, pl.status, p_scope))
    union all
    select kc_violation('project_id', 'exists', 'no such project in the province')
     where v_project is not null
       and not exists (select 1 from projects pr join plans pl on pl.id = pr.plan_id
                        where pr.id = v_project and kc_plan_visible(pl.org_id, pl.scope, pl.status, p_scope))
    union all
    select kc_violation('project_id', 'plan', 'the project is not of that plan')
     where v_plan is not null and v_project is not null
       and not exists (select 1 from projects pr where pr.id = v_project and pr.plan_id = v_plan)) t;
  if jsonb_array_length(v_viol) > 0 then
    return kc_err(1022, v_viol->0->>'message', jsonb_build_object('violations', v_viol));
  end if;
  insert into correspondence (org_id, subject, body, plan_id, project_id, opened_by)
  values (p_scope, p->>'subject', p->>'body', v_plan, v_project, p_user)
  returning * into c;
  perform kc_audit(p_user, p_username, p_peer, 'correspondence.open', 'correspondence', c.id, null,
                   kc_correspondence_json(c, false));
  return jsonb_build_object('result', kc_correspondence_json(c, true));
end $$;

--
-- Name: kc_correspondence_overdue(public.correspondence); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_correspondence_overdue(c public.correspondence) RETURNS boolean
    LANGUAGE sql STABLE
    AS $$
  select c.status = 'open' and kc_today() > kc_correspondence_due(c)
$$;

--
-- Name: kc_correspondence_reply(bigint, text, text, text, bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_correspondence_reply(p_user bigint, p_username text, p_peer text, p_role text, p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE plpgsql
    AS $$
declare
  c correspondence;
  m correspondence_messages;
begin
  select * into c from correspondence where id = (p->>'id')::bigint for update;
  if not coalesce(kc_correspondence_visible(c, p_scope), false) then
    return kc_err(1004, 'no such correspondence');
  end if;
  if c.status = 'closed' then
    return kc_err(1010, 'not allowed while the correspondence is closed', jsonb_build_object('status', c.status));
  end if;
  insert into correspondence_messages (correspondence_id, author_id, author_role, body)
  values (c.id, p_user, p_role, p->>'body') returning * into m;
  perform kc_audit(p_user, p_username, p_peer, 'correspondence.reply', 'correspondence_message', m.id,
                   null, kc_correspondence_message_json(m));
  return jsonb_build_object('result', kc_correspondence_message_json(m));
end $$;

--
-- Name: kc_correspondence_visible(public.correspondence, bigint); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_correspondence_visible(c public.correspondence, p_scope bigint) RETURNS boolean
    LANGUAGE sql STABLE
    AS $$
  select c.id is not null and (p_scope is null or c.org_id in (select org_scope(p_scope)))
$$;

--
-- Name: kc_cost_items_json(bigint); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_cost_items_json(p_id bigint) RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$
  select coalesce(jsonb_agg(jsonb_build_object('seq', seq, 'item', item, 'unit', unit, 'quantity', quantity,
                                               'unit_price', unit_price, 'central', central, 'local', local,
                                               'counterpart', counterpart, 'other', other,
                                               'total', central + local + counterpart + other,
                                               'management', management)
                            order by seq), '[]'::jsonb)
    from project_cost_items where project_id = p_id
$$;

--
-- Name: kc_dashboard_rate(numeric, numeric); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_dashboard_rate(p_num numeric, p_den numeric) RETURNS numeric
    LANGUAGE sql IMMUTABLE
    AS $$
  select case when coalesce(p_den, 0) = 0 then null else round(p_num * 100.0 / p_den, 1) end
$$;

--
-- Name: kc_deadline_overdue(bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_deadline_overdue(p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$
  with items as (
    select * from kc_overdue_items(p_scope, kc_today()) i
     where (p->>'kind' is null or i.kind = p->>'kind')
       and (p->>'org_id' is null or i.org_id in (select org_scope((p->>'org_id')::bigint))))
  select coalesce(kc_org_filter_err(p_scope, p), jsonb_build_object('result', jsonb_build_object(
    'as_of', kc_today(),
    'items', coalesce((select jsonb_agg(to_jsonb(i) order by i.org_id, i.kind, i.project_id, i.period,
                                        i.correspondence_id) from items i), '[]'::jsonb),
    'by_province', coalesce((select jsonb_agg(jsonb_build_object('org_id', x.org_id, 'count', x.n,
                                                                'kinds', x.kinds) order by x.org_id)
                               from (select i.org_id, sum(i.k) as n, jsonb_object_agg(i.kind, i.k) as kinds
                                       from (select org_id, kind, count(*) as k from items group by 1, 2) i
                                      group by i.org_id) x), '[]'::jsonb),
    'by_project', coalesce((select jsonb_agg(jsonb_build_object('project_id', i.project_id,
                                                               'code', i.project_code, 'org_id', i.org_id,
                                                               'count', i.n) order by i.project_id)
                              from (select project_id, project_code, org_id, count(*) as n from items
                                     where project_id is not null and kind <> 'correspondence'
                                     group by 1, 2, 3) i), '[]'::jsonb))))
$$;

--
-- Name: kc_deadline_setting(text); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_deadline_setting(p_code text) RETURNS integer
    LANGUAGE sql STABLE
    AS $$
  select value from deadline_settings where code = p_code
$$;

--
-- Name: kc_decision_amend(bigint, text, text, text, bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_decision_amend(p_user bigint, p_username text, p_peer text, p_role text, p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE plpgsql
    AS $$
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

--
-- Name: plan_decisions; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.plan_decisions (
    id bigint NOT NULL,
    year integer NOT NULL,
    number text NOT NULL,
    signed_on date NOT NULL,
    signer text NOT NULL,
    kind text NOT NULL,
    amends_id bigint,
    note text,
    decided_by bigint NOT NULL,
    decided_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT plan_decisions_check CHECK (((kind = 'approval'::text) = (amends_id IS NULL))),
    CONSTRAINT plan_decisions_kind_check CHECK ((kind = ANY (ARRAY['approval'::text, 'amendment'::text]))),
    CONSTRAINT plan_decisions_note_check CHECK ((length(note) <= 20000)),
    CONSTRAINT plan_decisions_number_check CHECK (((length(number) >= 1) AND (length(number) <= 100))),
    CONSTRAINT plan_decisions_signer_check CHECK (((length(signer) >= 1) AND (length(signer) <= 300))),
    CONSTRAINT plan_decisions_year_check CHECK (((year >= 2014) AND (year <= 2100)))
);

--
-- Name: kc_decision_apply(public.plan_decisions, bigint, text, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_decision_apply(p_decision public.plan_decisions, p_user bigint, p_role text, p_items jsonb) RETURNS void
    LANGUAGE plpgsql
    AS $$
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

--
-- Name: kc_decision_approve_plan(bigint, text, text, text, bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_decision_approve_plan(p_user bigint, p_username text, p_peer text, p_role text, p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE plpgsql
    AS $$
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

--
-- Name: kc_decision_check(integer, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_decision_check(p_year integer, p_items jsonb) RETURNS jsonb
    LANGUAGE plpgsql
    AS $$
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

--
-- Name: kc_decision_current(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_decision_current() RETURNS bigint
    LANGUAGE sql STABLE
    AS $$
  select d.id from change_decisions d
   where d.id = nullif(current_setting('kc.change_decision', true), '')::bigint
     and d.xact = pg_current_xact_id()
$$;

--
-- Name: kc_decision_get(bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_decision_get(p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$
  select coalesce((select jsonb_build_object('result', kc_decision_json(d.id, p_scope))
                     from plan_decisions d where d.id = (p->>'id')::bigint),
                  kc_err(1004, 'no such decision'))
$$;

--
-- Name: kc_decision_in_plan(bigint); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_decision_in_plan(p_project bigint) RETURNS boolean
    LANGUAGE sql STABLE
    AS $$
  select exists (select 1 from plan_decision_items where project_id = p_project
                                                      and action in ('approve', 'add'))
     and not exists (select 1 from plan_decision_items where project_id = p_project
                                                          and action = 'cancel')
$$;

--
-- Name: kc_decision_json(bigint); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_decision_json(p_id bigint) RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$
  select jsonb_build_object('id', d.id, 'number', d.number, 'date', d.decided_on, 'signer', d.signer,
                            'attachment_id', d.attachment_id)
    from change_decisions d where d.id = p_id
$$;

--
-- Name: kc_decision_json(bigint, bigint); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_decision_json(p_id bigint, p_scope bigint) RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$
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

--
-- Name: kc_decision_list(bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_decision_list(p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$
  select jsonb_build_object('result', jsonb_build_object('items',
           coalesce((select jsonb_agg(kc_decision_json(d.id, p_scope) order by d.signed_on, d.id)
                       from plan_decisions d where d.year = (p->>'year')::integer), '[]'::jsonb)))
$$;

--
-- Name: kc_decision_problem(jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_decision_problem(p_decision jsonb) RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$
  select case
    when p_decision is null or jsonb_typeof(p_decision) <> 'object' then
      kc_rule_err('decision', 'decision_required',
                  'this change is made only through a recorded decision: give its number, date and signer')
    when p_decision ? 'attachment_id' and jsonb_typeof(p_decision->'attachment_id') <> 'null'
         and not exists (select 1 from attachments a
                          where a.id = (p_decision->>'attachment_id')::bigint and a.status = 'complete') then
      kc_rule_err('decision.attachment_id', 'exists', 'no such file (uploaded in full)')
  end
$$;

--
-- Name: kc_decision_record(bigint, jsonb, text); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_decision_record(p_user bigint, p_decision jsonb, p_method text) RETURNS bigint
    LANGUAGE plpgsql
    AS $$
declare
  v_id bigint;
begin
  insert into change_decisions (number, decided_on, signer, attachment_id, method, recorded_by)
  values (p_decision->>'number', (p_decision->>'date')::date, p_decision->>'signer',
          (p_decision->>'attachment_id')::bigint, p_method, p_user)
  returning id into v_id;
  perform set_config('kc.change_decision', v_id::text, true);
  return v_id;
end $$;

--
-- Name: kc_diff_norm(jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_diff_norm(v jsonb) RETURNS jsonb
    LANGUAGE sql IMMUTABLE
    AS $$
  select case
    when jsonb_typeof(v) = 'array'
         and exists (select 1 from jsonb_array_elements(v) e where jsonb_typeof(e) = 'object') then
      (select coalesce(jsonb_agg(x.o order by x.o::text), '[]'::jsonb)
         from (select case when jsonb_typeof(e) = 'object'
                           then e - 'id' - 'project_id' - 'version' - 'created_at' - 'updated_at'
                           else e end as o
                 from jsonb_array_elements(v) e) x)
    else v end
$$;

--
-- Name: kc_err(integer, text, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_err(p_code integer, p_message text, p_data jsonb DEFAULT NULL::jsonb) RETURNS jsonb
    LANGUAGE sql IMMUTABLE
    AS $$
  -- "data" only when there is some (PROTOCOL.md lists which codes carry it).
  select jsonb_build_object('error', jsonb_build_object('code', p_code, 'message', p_message)
                                     || case when p_data is null then '{}'::jsonb
                                             else jsonb_build_object('data', p_data) end)
$$;

--
-- Name: kc_event_notify(text, bigint, text, integer, bigint); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_event_notify(p_topic text, p_id bigint, p_status text, p_version integer, p_plan_id bigint) RETURNS void
    LANGUAGE plpgsql
    AS $$
begin
  if p_plan_id is null then
    return;
  end if;
  insert into event_outbox (topic, record_id, status, version, plan_id)
  values (p_topic, p_id, p_status, p_version, p_plan_id);
end $$;

--
-- Name: kc_event_notify_org(text, bigint, text, integer, bigint, boolean); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_event_notify_org(p_topic text, p_id bigint, p_status text, p_version integer, p_org_id bigint, p_ministry boolean) RETURNS void
    LANGUAGE plpgsql
    AS $$
declare
  v_province bigint := kc_scope_root(p_org_id);
begin
  -- through the outbox, like kc_event_notify (0014)
  insert into event_outbox (payload) values (json_build_object(
    'topic', p_topic, 'id', p_id, 'status', p_status, 'version', p_version,
    'at', kc_instant(clock_timestamp()),
    'provinces', coalesce((select json_agg(x) from (
                   select v_province as x where v_province is not null
                   union
                   select l.new_org_id from org_lineage l where l.old_org_id = v_province) s),
                 '[]'::json),
    'ministry', p_ministry)::text);
end $$;

--
-- Name: kc_event_publish(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_event_publish() RETURNS integer
    LANGUAGE plpgsql
    AS $$
declare
  r record;
  v_ids bigint[] := '{}';
  n integer := 0;
begin
  if not pg_try_advisory_xact_lock(8474002) then
    return 0;
  end if;
  for r in
    select o.id,
           coalesce(o.payload, case when pl.id is not null then json_build_object(
             'topic', o.topic, 'id', o.record_id, 'status', o.status, 'version', o.version,
             'at', kc_instant(o.at),
             'provinces', coalesce((select json_agg(x) from (
                            select s.province as x where s.province is not null
                            union
                            select l.new_org_id from org_lineage l where l.old_org_id = s.province) q),
                          '[]'::json),
             'ministry', pl.scope = 'local' or pl.status not in ('draft', 'submitted'))::text end) as payload
      from event_outbox o
      left join plans pl on pl.id = o.plan_id
      left join lateral (select kc_scope_root(pl.org_id) as province) s on pl.id is not null
     order by o.id
  loop
    if r.payload is not null then
      perform pg_notify('kc_event', r.payload);
      n := n + 1;
    end if;
    v_ids := v_ids || r.id;
  end loop;
  if cardinality(v_ids) > 0 then
    -- exactly the rows read: one committed since may have a lower id
    delete from event_outbox where id = any (v_ids);
  end if;
  return n;
end $$;

--
-- Name: kc_first_advance(bigint, date); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_first_advance(p_project bigint, p_on date) RETURNS TABLE(first_pct integer, min_progress_pct integer, after_acceptance boolean, evidence text, legal_act text)
    LANGUAGE sql STABLE
    AS $$
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

--
-- Name: kc_first_advance_pct(bigint, date); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_first_advance_pct(p_project bigint, p_on date) RETURNS integer
    LANGUAGE sql STABLE
    AS $$
  select coalesce((select first_pct from kc_first_advance(p_project, p_on)),
                  kc_advance_rule('first_advance_default_pct', p_on))
$$;

--
-- Name: kc_fold(text); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_fold(p text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$
  select lower(translate(normalize(p, NFC),
    'àÀáÁảẢãÃạẠăĂằẰắẮẳẲẵẴặẶâÂầẦấẤẩẨẫẪậẬèÈéÉẻẺẽẼẹẸêÊềỀếẾểỂễỄệỆìÌíÍỉỈĩĨịỊòÒóÓỏỎõÕọỌôÔồỒốỐổỔỗỖộỘơƠờỜớỚởỞỡỠợỢùÙúÚủỦũŨụỤưƯừỪứỨửỬữỮựỰỳỲýÝỷỶỹỸỵỴđĐ',
    'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaeeeeeeeeeeeeeeeeeeeeeeiiiiiiiiiioooooooooooooooooooooooooooooooooouuuuuuuuuuuuuuuuuuuuuuyyyyyyyyyydd'))
$$;

--
-- Name: kc_four_eyes_role(text); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_four_eyes_role(p_role text) RETURNS boolean
    LANGUAGE sql IMMUTABLE
    AS $$
  select p_role = 'ministry_approver'
$$;

--
-- Name: kc_inbox_changes(bigint, bigint, bigint[], timestamp with time zone, integer); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_inbox_changes(p_user bigint, p_scope bigint, p_orgs bigint[], p_since timestamp with time zone, p_limit integer) RETURNS TABLE(at timestamp with time zone, ref_type text, ref_id bigint, plan_org bigint, code text, title text, from_status text, to_status text, to_stage text, actor_role text, comment text)
    LANGUAGE sql STABLE
    AS $$
  (select h.at, 'project'::text, pr.id, pl.org_id, pr.code, pr.title, h.from_status, h.to_status, h.to_stage,
          h.actor_role, h.comment
     from project_history h join projects pr on pr.id = h.project_id join plans pl on pl.id = pr.plan_id
    where h.at > p_since and h.actor_id is distinct from p_user
      and ((p_scope is null and (pl.scope = 'local' or pl.status not in ('draft', 'submitted')))
           or (p_scope is not null and pl.org_id = any (p_orgs)))
    order by h.at desc limit p_limit)
  union all
  (select h.at, 'plan', pl.id, pl.org_id, null, pl.title, h.from_status, h.to_status, null, h.actor_role,
          h.comment
     from plan_history h join plans pl on pl.id = h.plan_id
    where h.at > p_since and h.actor_id is distinct from p_user
      and ((p_scope is null and (pl.scope = 'local' or pl.status not in ('draft', 'submitted')))
           or (p_scope is not null and pl.org_id = any (p_orgs)))
    order by h.at desc limit p_limit)
$$;

--
-- Name: kc_inbox_instant(timestamp with time zone); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_inbox_instant(t timestamp with time zone) RETURNS text
    LANGUAGE sql STABLE STRICT
    AS $$
  select to_char(t at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
$$;

--
-- Name: kc_inbox_items(bigint, text, bigint, bigint[], date); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_inbox_items(p_user bigint, p_role text, p_scope bigint, p_orgs bigint[], p_today date) RETURNS TABLE(kind text, plan_org bigint, ref_type text, ref_id bigint, plan_id bigint, project_id bigint, code text, title text, due_on date, since timestamp with time zone, sent_back boolean, detail jsonb)
    LANGUAGE sql STABLE
    AS $$
  -- a project whose dossier was sent is no longer "due for acceptance": it
  -- is a dossier to review
  select i.* from kc_inbox_items_0038(p_user, p_role, p_scope, p_orgs, p_today) i
   where not (i.kind = 'acceptance_due'
              and exists (select 1 from projects x
                           where x.id = i.ref_id and x.stage = 'acceptance_submitted'))
  union all
  -- a dossier sent and not yet accepted: national by the Ministry (approver),
  -- local by the province (leader), as project.accept allows
  select 'acceptance_to_review'::text, pl.org_id, 'project'::text, pr.id, pl.id, pr.id, pr.code,
         pr.title, null::date, d.submitted_at, false,
         jsonb_build_object('scope', pl.scope, 'version', d.version)
    from project_acceptance_dossiers d join projects pr on pr.id = d.project_id
         join plans pl on pl.id = pr.plan_id
   where kc_inbox_wants(p_role, 'acceptance_to_review')
     and pr.status = 'in_progress' and pr.stage = 'acceptance_submitted'
     and ((p_role = 'ministry_approver' and p_scope is null and pl.scope = 'national'
           and kc_plan_visible(pl.org_id, pl.scope, pl.status, p_scope))
          or (p_role = 'province_leader' and p_scope is not null and pl.scope = 'local'
              and pl.org_id = any (p_orgs)))
$$;

--
-- Name: kc_inbox_items_0028(bigint, text, bigint, bigint[], date); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_inbox_items_0028(p_user bigint, p_role text, p_scope bigint, p_orgs bigint[], p_today date) RETURNS TABLE(kind text, plan_org bigint, ref_type text, ref_id bigint, plan_id bigint, project_id bigint, code text, title text, due_on date, since timestamp with time zone, sent_back boolean, detail jsonb)
    LANGUAGE sql STABLE
    AS $$
  with
  -- the plans the caller sees (kc_plan_visible)
  vp as materialized (
    select pl.id, pl.org_id, pl.year, pl.scope, pl.status, pl.title, pl.submitted_at, pl.appraised_at,
           pl.appraisal_decision
      from plans pl
     where (p_scope is null and (pl.scope = 'local' or pl.status not in ('draft', 'submitted')))
        or (p_scope is not null and pl.org_id = any (p_orgs))),
  -- running projects (approved, in progress) of the caller's province
  -- (per plan by index: a province has a few dozen plans, and "offset 0" keeps the planner
  -- from trading that for a scan of every running project of the country)
  running as (
    select pr.id, pr.code, pr.title, pr.start_date, pr.end_date, pr.kind, pr.updated_at,
           v.id as plan_id, v.org_id, v.year, v.scope
      from vp v,
      lateral (select * from projects pr
                where pr.plan_id = v.id and pr.status in ('approved', 'in_progress') offset 0) pr
     where p_scope is not null),
  -- the Ministry's appraisal queue (forwarded or resubmitted national projects)
  queue as (
    select pr.id, pr.code, pr.title, pr.plan_id, v.org_id, coalesce(x.at, pr.updated_at) as arrived_at
      from projects pr join vp v on v.id = pr.plan_id
      left join lateral (select x.at from project_versions x where x.project_id = pr.id
                          order by x.version desc limit 1) x on true
     where pr.status = 'submitted' and pr.stage in ('base_appraised', 'resubmitted', 'submitted_direct')
       and v.scope = 'national'),
  criteria as (select count(*) as n from review_criteria),
  -- accepted projects with their settlement day: kc_settle_due (0012, with the extension of
  -- 0022) written out, the earlier of acceptance + 15 days and 22/01 after the last year the
  -- project runs in. The extensions and carry-overs are joined, each table read once (0031
  -- asked three subqueries per project; with this and the scan below the Ministry approver's
  -- items took 38–39 ms of CPU at national size instead of 90–96, sql/0054); the Ministry's
  -- roles only ever want national ones.
  extended as (
    select x.project_id from project_adjustments x
     where x.type = 'extend_next_year' and x.status = 'approved'
    union
    select i.project_id from plan_decision_items i where i.action = 'extend'),
  carried as (
    select c.project_id, max(c.to_year) as to_year from carry_overs c group by c.project_id),
  accepted as (
    select pr.id, pr.code, pr.title, pr.stage, v.id as plan_id, v.org_id, v.scope, a.accepted_on,
           a.accepted_at,
           least(a.accepted_on + 15,
                 make_date(greatest(v.year + case when e.project_id is not null then 1 else 0 end,
                                    coalesce(co.to_year, v.year)) + 1, 1, 22)) as settle_due
      -- the Ministry: the completed projects by their status (the country's ~8,000 at scale 1;
      -- "offset 0" keeps the planner, which counts the visible plans' national ones at 9, from
      -- walking every project of 824 plans by plan_id instead); a province: by its plans
      from ((select x.* from projects x where p_scope is null and x.status = 'completed' offset 0)
            union all
            select x.* from projects x
             where p_scope is not null and x.status = 'completed' and x.plan_id in (select id from vp)) pr
      join vp v on v.id = pr.plan_id join project_acceptances a on a.project_id = pr.id
      left join extended e on e.project_id = pr.id
      left join carried co on co.project_id = pr.id
     where p_scope is not null or v.scope = 'national')
  -- a plan sent back by the province leader
  select 'plan_returned'::text, v.org_id, 'plan'::text, v.id, v.id, null::bigint, null::text,
         v.title,
         case when v.scope = 'national'
              then coalesce(kc_calendar_due('registration_deadline', v.year), make_date(v.year - 1, 6, 20)) end,
         v.appraised_at, true, jsonb_build_object('year', v.year, 'scope', v.scope)
    from vp v
   where kc_inbox_wants(p_role, 'plan_returned') and p_scope is not null
     and v.status = 'draft' and v.appraisal_decision = 'return'
  union all
  -- a project the Ministry asked to revise
  select 'project_revision', v.org_id, 'project', pr.id, v.id, pr.id, pr.code, pr.title, null::date,
         coalesce((select max(h.at) from project_history h where h.project_id = pr.id), pr.updated_at),
         true, '{}'::jsonb
    from vp v join projects pr on pr.plan_id = v.id
   where kc_inbox_wants(p_role, 'project_revision') and p_scope is not null
     and pr.status = 'revision_requested'
  union all
  -- registration of next year's national plan: from 1 May (DOMAIN "May – 20 June") until a
  -- national plan of that year is submitted; for a province working in the system (a plan
  -- this year or next)
  select 'registration_due', p_scope, case when n.id is null then 'plan_year' else 'plan' end,
         coalesce(n.id, y.year), n.id, null, null,
         format('Đăng ký kế hoạch khuyến công quốc gia năm %s', y.year), y.due, null::timestamptz, false,
         jsonb_build_object('year', y.year, 'scope', 'national')
    from (select extract(year from p_today)::integer + 1 as year) yy,
         lateral (select yy.year,
                         coalesce(kc_calendar_due('registration_deadline', yy.year),
                                  make_date(yy.year - 1, 6, 20)) as due) y
    left join lateral (select v.id from vp v where v.scope = 'national' and v.year = y.year
                        order by v.id limit 1) n on true
   where kc_inbox_wants(p_role, 'registration_due') and p_scope is not null
     and p_today >= make_date(y.year - 1, 5, 1)
     and exists (select 1 from vp v where v.year in (y.year - 1, y.year))
     and not exists (select 1 from vp v where v.scope = 'national' and v.year = y.year
                                        and v.status <> 'draft')
  union all
  -- a plan the province's leader appraises (national) or approves (local)
  select 'plan_to_appraise', v.org_id, 'plan', v.id, v.id, null, null,
         v.title,
         case when v.scope = 'national'
              then coalesce(kc_calendar_due('registration_deadline', v.year), make_date(v.year - 1, 6, 20)) end,
         v.submitted_at, false, jsonb_build_object('year', v.year, 'scope', v.scope)
    from vp v
   where kc_inbox_wants(p_role, 'plan_to_appraise') and p_scope is not null and v.status = 'submitted'
  union all
  -- the months of a running project without their progress report, up to this month
  -- (kc_overdue_items' months, 0020, and the current one before its 25th): one item per
  -- project, due on the oldest missing month's day
  select 'progress_due', m.org_id, 'project', m.id, m.plan_id, m.id, m.code, m.title,
         kc_progress_due(min(m.period)), null, false,
         jsonb_build_object('periods', jsonb_agg(to_char(m.period, 'YYYY-MM') order by m.period))
    from (select r.*, g::date as period
            from running r left join project_kinds k on k.code = r.kind,
            -- the months reported, by index per project (the planner guesses 1,000 months a
            -- project and would hash every report of the country)
            lateral (select array(select x.period from project_progress_reports x
                                   where x.project_id = r.id) as done) d,
            generate_series(greatest(make_date(r.year, 1, 1), date_trunc('month', r.start_date)::date),
                            least(date_trunc('month', coalesce(r.end_date,
                                    make_date(r.year + coalesce(k.max_years, 1) - 1 + kc_project_extension(r.id), 12, 31))),
                                  date_trunc('month', p_today)),
                            interval '1 month') g
           where kc_inbox_wants(p_role, 'progress_due') and not (g::date = any (d.done))) m
   group by m.id, m.org_id, m.plan_id, m.code, m.title
  union all
  -- a filed progress report the Department has not confirmed
  select 'progress_to_confirm', v.org_id, 'progress_report', r.id, v.id, pr.id, pr.code, pr.title, null,
         r.submitted_at, false,
         jsonb_build_object('period', to_char(r.period, 'YYYY-MM'), 'percent_done', r.percent_done,
                            'late', r.late, 'version', r.version)
    from vp v join projects pr on pr.plan_id = v.id
         join project_progress_reports r on r.project_id = pr.id
   where kc_inbox_wants(p_role, 'progress_to_confirm') and p_scope is not null
     and r.confirmed_at is null and pr.status not in ('cancelled', 'rejected')
  union all
  -- an adjustment request the caller's role decides
  select 'adjustment_to_decide', v.org_id, 'adjustment', a.id, v.id, pr.id, pr.code, pr.title, null,
         a.requested_at, false, jsonb_build_object('type', a.type, 'version', a.version)
    from project_adjustments a join projects pr on pr.id = a.project_id join vp v on v.id = pr.plan_id
   where kc_inbox_wants(p_role, 'adjustment_to_decide')
     and a.status = 'requested' and p_role = any (a.approver_roles)
  union all
  -- a running project whose end is at most 30 days away or past, not yet accepted
  select 'acceptance_due', r.org_id, 'project', r.id, r.plan_id, r.id, r.code, r.title, r.end_date, null,
         false, '{}'::jsonb
    from running r
   where kc_inbox_wants(p_role, 'acceptance_due') and r.end_date is not null
     and p_today >= r.end_date - 30
  union all
  -- an accepted national project: the province's settlement dossier, by its settlement day
  select 'settlement_dossier_due', a.org_id, 'project', a.id, a.plan_id, a.id, a.code, a.title, a.settle_due,
         a.accepted_at, false, jsonb_build_object('accepted_on', a.accepted_on)
    from accepted a
   where kc_inbox_wants(p_role, 'settlement_dossier_due') and p_scope is not null
     and a.scope = 'national' and a.stage <> 'settlement_submitted'
  union all
  -- an accepted project to settle: national by the Ministry (approver), local by the province
  -- (leader); a national project's due day as above, a local one's none in the system
  select 'settlement_due', a.org_id, 'project', a.id, a.plan_id, a.id, a.code, a.title,
         case when a.scope = 'national' then a.settle_due end,
         a.accepted_at, false, jsonb_build_object('accepted_on', a.accepted_on, 'scope', a.scope)
    from accepted a
   where kc_inbox_wants(p_role, 'settlement_due')
     and a.scope = case when p_role = 'ministry_approver' then 'national' else 'local' end
     and (p_role <> 'ministry_approver' or p_scope is null)
  union all
  -- the province's periodic report (q1, h1, q3, year of kc_overdue_items, 0020) once its
  -- data cut-off has passed and until it is sent, for a year the province has a plan in
  select 'province_report_due', p_scope, 'province_report', null, null, null, null,
         format('Báo cáo %s năm %s', c.label, o.year), c.due, null, false,
         jsonb_build_object('province_id', p_scope, 'year', o.year, 'period', x.period)
    from (select distinct v.year from vp v
           where v.year between extract(year from p_today)::integer - 1
                            and extract(year from p_today)::integer) o
         cross join (values ('q1'), ('h1'), ('q3'), ('year')) as x (period),
         lateral kc_report_period(o.year, x.period) c
   where kc_inbox_wants(p_role, 'province_report_due') and p_scope is not null
     and p_today > c.to_date
     and not exists (select 1 from province_reports r
                      where r.province_id = p_scope and r.year = o.year and r.period = x.period)
  union all
  -- a request the Ministry answered, for the province to read and close
  select 'correspondence_answered', c.org_id, 'correspondence', c.id, c.plan_id, c.project_id, null,
         c.subject, null, c.answered_at, false, jsonb_build_object('version', c.version)
    from correspondence c
   where kc_inbox_wants(p_role, 'correspondence_answered') and p_scope is not null
     and c.status = 'answered' and c.org_id = any (p_orgs)
  union all
  -- a province's open request, for the Ministry to answer by its working-day deadline
  select 'correspondence_to_answer', c.org_id, 'correspondence', c.id, c.plan_id, c.project_id, null,
         c.subject,
         -- kc_correspondence_due(c), with the setting read once
         kc_working_day_due((c.opened_at at time zone 'Asia/Ho_Chi_Minh')::date,
                            (select kc_deadline_setting('correspondence_sla_working_days'))),
         c.opened_at, false, jsonb_build_object('version', c.version)
    from correspondence c
   where kc_inbox_wants(p_role, 'correspondence_to_answer') and p_scope is null and c.status = 'open'
  union all
  -- the appraisal queue: to assign (approver), to score (the assigned reviewer), to decide
  -- (approver, once a reviewer scored every criterion since the project last arrived)
  select 'review_to_assign', q.org_id, 'project', q.id, q.plan_id, q.id, q.code, q.title, null, q.arrived_at,
         false, '{}'::jsonb
    from queue q
   where kc_inbox_wants(p_role, 'review_to_assign') and p_scope is null
     and not exists (select 1 from review_assignments a where a.project_id = q.id)
  union all
  select 'review_to_score', q.org_id, 'project', q.id, q.plan_id, q.id, q.code, q.title, null,
         greatest(q.arrived_at, a.at), false, '{}'::jsonb
    from queue q join review_assignments a on a.project_id = q.id
   where kc_inbox_wants(p_role, 'review_to_score') and p_scope is null and a.reviewer_id = p_user
     and (select count(*) from review_scores s
           where s.project_id = q.id and s.reviewer_id = p_user and s.at >= q.arrived_at)
         < (select n from criteria)
  union all
  select 'review_to_decide', q.org_id, 'project', q.id, q.plan_id, q.id, q.code, q.title, null,
         d.at, false, '{}'::jsonb
    from queue q,
    lateral (select max(s.at) as at from review_scores s
              where s.project_id = q.id and s.at >= q.arrived_at
              group by s.reviewer_id having count(*) >= (select n from criteria)
              order by 1 desc limit 1) d
   where kc_inbox_wants(p_role, 'review_to_decide') and p_scope is null
  union all
  -- appraised national projects of a year in no decision yet: one item per year
  select 'plan_decision_due', null, 'plan_decision_year', v.year, null, null, null,
         format('Quyết định giao kế hoạch khuyến công quốc gia năm %s: %s đề án', v.year, count(*)), null,
         max(pr.updated_at), false,
         jsonb_build_object('year', v.year, 'projects', count(*),
                            'decided', exists (select 1 from plan_decisions d
                                                where d.year = v.year and d.kind = 'approval'))
    from projects pr join vp v on v.id = pr.plan_id
   where kc_inbox_wants(p_role, 'plan_decision_due') and p_scope is null
     and pr.status = 'approved' and pr.stage = 'ministry_appraised' and v.scope = 'national'
     and not exists (select 1 from plan_decision_items i where i.project_id = pr.id)
   group by v.year
$$;

--
-- Name: kc_inbox_items_0032(bigint, text, bigint, bigint[], date); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_inbox_items_0032(p_user bigint, p_role text, p_scope bigint, p_orgs bigint[], p_today date) RETURNS TABLE(kind text, plan_org bigint, ref_type text, ref_id bigint, plan_id bigint, project_id bigint, code text, title text, due_on date, since timestamp with time zone, sent_back boolean, detail jsonb)
    LANGUAGE sql STABLE
    AS $$
  select * from kc_inbox_items_0028(p_user, p_role, p_scope, p_orgs, p_today)
  union all
  -- the province's report of a round, to write and send (again, once returned)
  select 'round_report_due'::text, rr.org_id, 'round_report'::text, rr.id, null::bigint, null::bigint,
         rd.document_no, rd.title, rd.due_on,
         case when rr.status = 'returned' then rr.returned_at else rd.created_at end,
         rr.status = 'returned',
         jsonb_build_object('round_id', rd.id, 'status', rr.status, 'version', rr.version,
                            'returned_comment', rr.returned_comment)
    from round_reports rr join rounds rd on rd.id = rr.round_id
   where kc_inbox_wants(p_role, 'round_report_due') and p_scope is not null
     and rr.org_id = any (p_orgs) and rr.status in ('not_started', 'drafting', 'returned')
  union all
  -- a report a province sent, for the Ministry to return or accept
  select 'round_report_to_review', rr.org_id, 'round_report', rr.id, null, null, rd.document_no,
         rd.title || ' — ' || o.name, null::date, rr.sent_at, false,
         jsonb_build_object('round_id', rd.id, 'org_id', rr.org_id, 'version', rr.version,
                            'late', rr.late)
    from round_reports rr join rounds rd on rd.id = rr.round_id join orgs o on o.id = rr.org_id
   where kc_inbox_wants(p_role, 'round_report_to_review') and p_scope is null and rr.status = 'sent'
  union all
  -- a project in a decision in force, its money not allocated yet: national by the Ministry
  -- (approver), local by the province (leader), as budget.allocate allows (kc_money_actor)
  select 'allocation_due', pl.org_id, 'project', pr.id, pl.id, pr.id, pr.code, pr.title, null::date,
         pr.updated_at, false, jsonb_build_object('scope', pl.scope, 'year', pl.year)
    from projects pr join plans pl on pl.id = pr.plan_id
   where kc_inbox_wants(p_role, 'allocation_due')
     and pr.status = 'approved' and pr.stage = 'plan_approved'
     -- the stage says so when budget.allocate wrote it; data loaded otherwise may not
     and not exists (select 1 from allocations a where a.project_id = pr.id)
     and ((p_role = 'ministry_approver' and p_scope is null and pl.scope = 'national')
          or (p_role = 'province_leader' and p_scope is not null and pl.scope = 'local'
              and pl.org_id = any (p_orgs)))
  union all
  -- a cancelled or suspended project that still owes what was paid
  select 'refund_due', pl.org_id, 'project', pr.id, pl.id, pr.id, pr.code, pr.title, null::date,
         d.recorded_at, false,
         jsonb_build_object('owed', kc_refund_outstanding(pr.id), 'decision_no', d.decision_no,
                            'scope', pl.scope)
    from project_refunds_due d join projects pr on pr.id = d.project_id join plans pl on pl.id = pr.plan_id
   where kc_inbox_wants(p_role, 'refund_due')
     and ((p_role = 'ministry_approver' and p_scope is null and pl.scope = 'national')
          or (p_role = 'province_leader' and p_scope is not null and pl.scope = 'local'
              and pl.org_id = any (p_orgs)))
     and kc_refund_outstanding(pr.id) > 0
$$;

--
-- Name: kc_inbox_items_0038(bigint, text, bigint, bigint[], date); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_inbox_items_0038(p_user bigint, p_role text, p_scope bigint, p_orgs bigint[], p_today date) RETURNS TABLE(kind text, plan_org bigint, ref_type text, ref_id bigint, plan_id bigint, project_id bigint, code text, title text, due_on date, since timestamp with time zone, sent_back boolean, detail jsonb)
    LANGUAGE sql STABLE
    AS $$
  select i.* from kc_inbox_items_0032(p_user, p_role, p_scope, p_orgs, p_today) i
   where not (i.kind = 'progress_to_confirm'
              and exists (select 1 from project_progress_reports r
                           where r.id = i.ref_id and r.returned_at is not null))
  union all
  -- the report of a month the Department returned, to report again (due the
  -- month's 25th, as the report itself)
  select 'progress_returned'::text, v.org_id, 'progress_report'::text, r.id, v.id, pr.id, pr.code,
         pr.title, kc_progress_due(r.period), r.returned_at, true,
         jsonb_build_object('period', to_char(r.period, 'YYYY-MM'), 'comment', r.return_comment,
                            'version', r.version)
    from project_progress_reports r join projects pr on pr.id = r.project_id
         join plans v on v.id = pr.plan_id
   where kc_inbox_wants(p_role, 'progress_returned') and p_scope is not null
     and r.returned_at is not null and r.confirmed_at is null
     and pr.status not in ('cancelled', 'rejected')
     and kc_plan_visible(v.org_id, v.scope, v.status, p_scope)
$$;

--
-- Name: kc_inbox_list(bigint, text, text, text, bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_inbox_list(p_user bigint, p_username text, p_peer text, p_role text, p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE plpgsql STABLE
    SET jit TO 'off'
    SET plan_cache_mode TO 'force_custom_plan'
    AS $$
declare
  v_today date := kc_today();
  v_orgs bigint[] := case when p_scope is not null then array(select org_scope(p_scope)) end;
  v_seen timestamptz := (select s.seen_at from inbox_seen s where s.user_id = p_user);
  v_since timestamptz := coalesce((p->>'since')::timestamptz, v_seen, now() - interval '7 days');
  v_limit integer := coalesce((p->>'limit')::integer, 100);
  v_offset bigint := coalesce((p->>'cursor')::bigint, 0);
  v_kinds text[] := kc_report_list(p->'kinds');
  v_per_group integer := (p->>'per_group')::integer;
  v_group text := p->>'group';
  v_unknown text;
begin
  select k into v_unknown from unnest(v_kinds) k where k not in (select kind from inbox_kinds) limit 1;
  if v_unknown is not null then
    return kc_err(1022, format('no such kind: %s', v_unknown),
                  jsonb_build_object('violations', jsonb_build_array(
                    kc_violation('kinds', 'exists', format('no such kind: %s', v_unknown)))));
  end if;
  if v_per_group is not null then
    v_offset := 0;
  end if;
  return (
  -- (not "materialized": as a plain CTE, inlined into chosen, the Ministry reviewer's empty
  -- list cost 13 ms of CPU, forced apart 33 ms)
  with items as (
    select x.*, case when x.overdue then 'late' when x.sent_back then 'sent_back' else 'todo' end as grp
      from (select i.*, k.sort, k.name_vi,
                   -- a monthly progress report is due before the 25th (its due_on): late on it
                   i.due_on is not null
                     and (v_today > i.due_on
                          or (i.kind in ('progress_due', 'progress_returned') and v_today = i.due_on))
                     as overdue,
                   coalesce(i.since > v_since, false) as is_new
              from kc_inbox_items(p_user, p_role, p_scope, v_orgs, v_today) i
                   join inbox_kinds k on k.kind = i.kind
             where v_kinds is null or i.kind = any (v_kinds)) x),
  chosen as (
    select * from items where v_group is null or grp = v_group),
  -- a page of the list ...
  paged as (
    select * from chosen
     where v_per_group is null
     order by overdue desc, due_on nulls last, sort, since desc nulls last, ref_id, kind, detail::text
     offset v_offset limit v_limit),
  -- ... or the first of each group (three top-N sorts, not one sort of every item)
  firsts as (
    (select * from chosen where v_per_group is not null and grp = 'late'
      order by due_on nulls last, sort, since desc nulls last, ref_id, kind, detail::text
      limit v_per_group)
    union all
    (select * from chosen where v_per_group is not null and grp = 'sent_back'
      order by due_on nulls last, sort, since desc nulls last, ref_id, kind, detail::text
      limit v_per_group)
    union all
    (select * from chosen where v_per_group is not null and grp = 'todo'
      order by due_on nulls last, sort, since desc nulls last, ref_id, kind, detail::text
      limit v_per_group)),
  top as (
    select * from paged union all select * from firsts),
  -- the province of each plan organisation shown, once per organisation
  prov as (
    select o.plan_org, kc_scope_root(o.plan_org) as org
      from (select distinct plan_org from top where plan_org is not null) o),
  shown as (
    select t.*, p.org from top t left join prov p on p.plan_org = t.plan_org),
  tally as (
    select count(*) as total, count(*) filter (where overdue) as overdue,
           count(*) filter (where sent_back) as sent_back, count(*) filter (where is_new) as is_new,
           count(*) filter (where grp = 'sent_back') as g_sent_back,
           count(*) filter (where grp = 'todo') as g_todo
      from chosen),
  ch as (
    select c.*, kc_scope_root(c.plan_org) as org,
           case when c.ref_type = 'plan' then c.ref_id
                else (select pr.plan_id from projects pr where pr.id = c.ref_id) end as plan_ref
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
    'total', t.total,
    'next_cursor', case when v_per_group is null and t.total > v_offset + v_limit
                        then (v_offset + v_limit)::text end,
    'counts', jsonb_build_object(
                'by_kind', coalesce((select jsonb_object_agg(x.kind, x.n)
                                       from (select kind, count(*) as n from chosen group by kind) x),
                                    '{}'::jsonb),
                'overdue', t.overdue, 'sent_back', t.sent_back, 'new', t.is_new,
                'groups', jsonb_build_object('late', t.overdue, 'sent_back', t.g_sent_back,
                                             'todo', t.g_todo)),
    'changes', coalesce((select jsonb_agg(jsonb_build_object(
                           'at', kc_instant(c.at), 'ref', jsonb_build_object('type', c.ref_type, 'id', c.ref_id),
                           'org_id', c.org, 'code', c.code, 'title', c.title,
                           'from_status', c.from_status, 'to_status', c.to_status, 'to_stage', c.to_stage,
                           'actor_role', c.actor_role, 'comment', c.comment,
                           'year', (select pl.year from plans pl where pl.id = c.plan_ref),
                           'scope', (select pl.scope from plans pl where pl.id = c.plan_ref)) order by c.at desc)
                           from ch c), '[]'::jsonb)))
    from tally t);
end $$;

--
-- Name: kc_inbox_list_0028(bigint, text, text, text, bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_inbox_list_0028(p_user bigint, p_username text, p_peer text, p_role text, p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE plpgsql STABLE
    SET jit TO 'off'
    SET plan_cache_mode TO 'force_custom_plan'
    AS $$
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
           i.due_on is not null and v_today > i.due_on as overdue,
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
                         'days_late', case when s.overdue then v_today - s.due_on end,
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

--
-- Name: kc_inbox_mark_seen(bigint, text, text, text, bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_inbox_mark_seen(p_user bigint, p_username text, p_peer text, p_role text, p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE plpgsql
    AS $$
declare
  v_at timestamptz := least(coalesce((p->>'at')::timestamptz, now()), now());
  v_before timestamptz;
  v_after timestamptz;
begin
  select seen_at into v_before from inbox_seen where user_id = p_user for update;
  insert into inbox_seen (user_id, seen_at) values (p_user, v_at)
  on conflict (user_id) do update set seen_at = greatest(inbox_seen.seen_at, excluded.seen_at)
  returning seen_at into v_after;
  perform kc_audit(p_user, p_username, p_peer, 'inbox.mark_seen', 'inbox_seen', p_user,
                   case when v_before is null then null
                        else jsonb_build_object('seen_at', kc_inbox_instant(v_before)) end,
                   jsonb_build_object('seen_at', kc_inbox_instant(v_after)));
  return jsonb_build_object('result', jsonb_build_object('seen_at', kc_inbox_instant(v_after)));
end $$;

--
-- Name: kc_inbox_project_event(bigint, bigint, text, integer); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_inbox_project_event(p_project bigint, p_id bigint, p_kind text, p_version integer) RETURNS void
    LANGUAGE plpgsql
    AS $$
declare
  v_plan bigint := (select plan_id from projects where id = p_project);
begin
  perform kc_event_notify('inbox', p_id, p_kind, p_version, v_plan);
end $$;

--
-- Name: kc_inbox_wants(text, text); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_inbox_wants(p_role text, p_kind text) RETURNS boolean
    LANGUAGE sql STABLE
    AS $$
  select exists (select 1 from inbox_kinds k where k.kind = p_kind and p_role = any (k.roles))
$$;

--
-- Name: kc_indicator_achieved_on(bigint, text, date); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_indicator_achieved_on(p_project bigint, p_indicator text, p_on date) RETURNS bigint
    LANGUAGE sql STABLE
    AS $$
  select case
    when exists (select 1 from project_acceptances a where a.project_id = p_project and a.accepted_on <= p_on)
      then coalesce((select achieved from project_indicators
                      where project_id = p_project and indicator = p_indicator), 0)
    else coalesce((select (e->>'achieved')::bigint
                     from project_progress_reports r, jsonb_array_elements(r.indicators) e
                    where r.project_id = p_project and r.period <= p_on and e->>'code' = p_indicator
                    order by r.period desc limit 1), 0)
  end
$$;

--
-- Name: kc_instant(timestamp with time zone); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_instant(t timestamp with time zone) RETURNS text
    LANGUAGE sql STABLE STRICT
    AS $$
  select to_char(t at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
$$;

--
-- Name: kc_is_centre(bigint); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_is_centre(p_org bigint) RETURNS boolean
    LANGUAGE sql STABLE
    AS $$
  select coalesce((select o.kind = 'regional_centre' from orgs o where o.id = kc_scope_root(p_org)), false)
$$;

--
-- Name: kc_is_date(jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_is_date(p jsonb) RETURNS boolean
    LANGUAGE plpgsql IMMUTABLE
    AS $_$
begin
  if jsonb_typeof(p) <> 'string' or (p #>> '{}') !~ '^\d{4}-\d{2}-\d{2}$' then
    return false;
  end if;
  perform (p #>> '{}')::date;
  return true;
exception when others then
  return false;
end $_$;

--
-- Name: kc_is_int(jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_is_int(p jsonb) RETURNS boolean
    LANGUAGE sql IMMUTABLE
    AS $_$
  select jsonb_typeof(p) = 'number' and (p::text ~ '^[0-9]{1,15}$')
$_$;

--
-- Name: kc_jsonb_changes(jsonb, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_jsonb_changes(p_before jsonb, p_after jsonb, OUT before jsonb, OUT after jsonb) RETURNS record
    LANGUAGE plpgsql IMMUTABLE
    AS $$
begin
  -- PL/pgSQL for its kept plan: as a SQL function in FROM this was planned
  -- on every call (half of its cost).
  select coalesce(jsonb_object_agg(t.key, t.b) filter (where t.b is not null), '{}'::jsonb),
         coalesce(jsonb_object_agg(t.key, t.a) filter (where t.a is not null), '{}'::jsonb)
    into before, after
    from (select key, x.value as b, y.value as a
            from jsonb_each(coalesce(p_before, '{}'::jsonb)) x
            full join jsonb_each(coalesce(p_after, '{}'::jsonb)) y using (key)
           where x.value is distinct from y.value) t;
end $$;

--
-- Name: kc_like_escape(text); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_like_escape(p text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT
    AS $$
  select replace(replace(replace(p, '\', '\\'), '%', '\%'), '_', '\_')
$$;

--
-- Name: kc_local_cap_add(bigint, text, text, text, bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_local_cap_add(p_user bigint, p_username text, p_peer text, p_role text, p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE plpgsql
    AS $$
declare
  v_problem jsonb;
  v_decision bigint;
  v_res jsonb;
begin
  if p_role not in ('province_leader', 'admin') then
    return kc_err(1003, 'local caps are entered by the province''s leader (or the administrator)');
  end if;
  if p_scope is not null and p ? 'province_id' and (p->>'province_id')::bigint <> p_scope then
    return kc_err(1004, 'no such province');
  end if;
  v_problem := kc_decision_problem(p->'decision');
  if v_problem is not null then
    return v_problem;
  end if;
  v_decision := kc_decision_record(p_user, p->'decision', 'catalog.add_local_cap');
  v_res := kc_local_cap_add_0025(p_user, p_username, p_peer, p_role, p_scope, p - 'decision');
  if v_res ? 'result' then
    v_res := jsonb_build_object('result', (v_res->'result')
                                          || jsonb_build_object('decision', kc_decision_json(v_decision)));
  else
    -- refused: the decision recorded for it goes with the refusal
    raise exception using errcode = 'KC099', message = v_res::text;
  end if;
  return v_res;
exception
  when sqlstate 'KC099' then
    return sqlerrm::jsonb;
end $$;

--
-- Name: kc_local_cap_add_0025(bigint, text, text, text, bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_local_cap_add_0025(p_user bigint, p_username text, p_peer text, p_role text, p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE plpgsql
    AS $$
declare
  r local_caps;
  v_prov bigint := coalesce(p_scope, (p->>'province_id')::bigint);
  v_from date := (p->>'valid_from')::date;
begin
  if p_role not in ('province_leader', 'admin') then
    return kc_err(1003, 'local caps are entered by the province''s leader (or the administrator)');
  end if;
  if p_scope is not null and p ? 'province_id' and (p->>'province_id')::bigint <> p_scope then
    return kc_err(1004, 'no such province');
  end if;
  if v_prov is null or not exists (select 1 from orgs where id = v_prov and kind = 'province') then
    return kc_rule_err('province_id', 'exists', 'a province is required');
  end if;
  if p->>'content_code' is not null
     and not exists (select 1 from content_categories where code = p->>'content_code') then
    return kc_rule_err('content_code', 'exists', 'no such content category');
  end if;
  perform pg_advisory_xact_lock(hashtext('kc.local_caps'), v_prov::integer);
  if exists (select 1 from local_caps where province_id = v_prov and cap_code = p->>'cap_code'
                                      and valid_from >= v_from) then
    return kc_rule_err('valid_from', 'order', 'a later or same-day row of this cap exists for the province');
  end if;
  update local_caps set valid_to = v_from - 1, version = version + 1
   where province_id = v_prov and cap_code = p->>'cap_code' and (valid_to is null or valid_to >= v_from);
  insert into local_caps (province_id, cap_code, content_code, name_vi, pct_cap, abs_cap_vnd, unit, base,
                          priority_factor, legal_act, valid_from, valid_to, confidence, note, created_by)
  values (v_prov, p->>'cap_code', p->>'content_code', p->>'name_vi', (p->>'pct_cap')::numeric,
          (p->>'abs_cap_vnd')::bigint, p->>'unit', p->>'base', (p->>'priority_factor')::numeric,
          p->>'legal_act', v_from, (p->>'valid_to')::date, p->>'confidence', p->>'note', p_user)
  returning * into r;
  perform kc_audit(p_user, p_username, p_peer, 'catalog.add_local_cap', 'catalog.local_caps', r.id, null,
                   to_jsonb(r));
  return jsonb_build_object('result', to_jsonb(r));
end $$;

--
-- Name: local_caps; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.local_caps (
    id bigint NOT NULL,
    province_id bigint NOT NULL,
    cap_code text NOT NULL,
    content_code text,
    name_vi text NOT NULL,
    pct_cap numeric(5,2),
    abs_cap_vnd bigint,
    unit text,
    base text,
    priority_factor numeric(4,2),
    legal_act text NOT NULL,
    valid_from date NOT NULL,
    valid_to date,
    confidence character(1) NOT NULL,
    note text,
    version integer DEFAULT 1 NOT NULL,
    created_by bigint,
    change_decision_id bigint,
    CONSTRAINT local_caps_abs_cap_vnd_check CHECK ((abs_cap_vnd >= 0)),
    CONSTRAINT local_caps_cap_code_check CHECK ((cap_code ~ '^C[0-9]{2}[a-z]?$'::text)),
    CONSTRAINT local_caps_check CHECK (((valid_to IS NULL) OR (valid_to >= valid_from))),
    CONSTRAINT local_caps_confidence_check CHECK ((confidence = ANY (ARRAY['C'::bpchar, 'P'::bpchar, 'U'::bpchar]))),
    CONSTRAINT local_caps_legal_act_check CHECK (((length(legal_act) >= 1) AND (length(legal_act) <= 500))),
    CONSTRAINT local_caps_name_vi_check CHECK (((length(name_vi) >= 1) AND (length(name_vi) <= 1000))),
    CONSTRAINT local_caps_pct_cap_check CHECK (((pct_cap > (0)::numeric) AND (pct_cap <= (100)::numeric))),
    CONSTRAINT local_caps_priority_factor_check CHECK ((priority_factor >= (1)::numeric))
);

--
-- Name: kc_local_caps_in_force(bigint, text, date); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_local_caps_in_force(p_province bigint, p_content text, p_on date) RETURNS SETOF public.local_caps
    LANGUAGE sql STABLE
    AS $$
  select * from local_caps
   where province_id = p_province and (content_code = p_content or content_code is null)
     and kc_valid_on(valid_from, valid_to, p_on)
   order by cap_code
$$;

--
-- Name: kc_login_attempt(text, text, interval, integer, integer, integer, text); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_login_attempt(p_username text, p_peer text, p_window interval, p_max integer, p_peer_max integer, p_delay integer, p_method text) RETURNS TABLE(user_id bigint, username text, full_name text, role text, org_id bigint, password_hash text, disabled boolean, must_change_password boolean, scope_root bigint, attempt_id bigint, retry_after integer, user_version integer)
    LANGUAGE plpgsql
    AS $$
#variable_conflict use_column
declare
  v_name text := lower(p_username);
  v_since timestamptz := now() - p_window;
  n_acct integer;
  last_acct timestamptz;
  n_pair integer;
  oldest_pair timestamptz;
  n_peer integer;
  oldest_peer timestamptz;
  v_wait double precision := 0;
  v_attempt bigint;
  v_start timestamptz;
  v_new boolean;
  v_uid bigint;
begin
  -- Account first, then address, always in this order: no deadlock.
  perform pg_advisory_xact_lock(8474013, hashtext(v_name));
  perform pg_advisory_xact_lock(8474014, hashtext(p_peer));

  select count(*)::int, max(f.at) into n_acct, last_acct
    from login_failures f where f.username = v_name and f.at > v_since;
  select count(*)::int, min(f.at) into n_pair, oldest_pair
    from login_failures f where f.username = v_name and f.peer = p_peer and f.at > v_since;
  select count(*)::int, min(f.at) into n_peer, oldest_peer
    from login_failures f where f.peer = p_peer and f.at > v_since;

  if n_pair >= p_max then
    v_wait := greatest(v_wait, extract(epoch from oldest_pair + p_window - now()));
  end if;
  if n_acct >= p_max then
    v_wait := greatest(v_wait, extract(epoch from last_acct
                 + least(p_window, make_interval(secs => p_delay * power(2, least(n_acct - p_max, 20))))
                 - now()));
  end if;
  if n_peer >= p_peer_max then
    v_wait := greatest(v_wait, extract(epoch from oldest_peer + p_window - now()));
  end if;

  select u.id into v_uid from users u where u.username = v_name;

  if v_wait > 0 then
    v_start := to_timestamp(floor(extract(epoch from now()) / extract(epoch from p_window))
                            * extract(epoch from p_window));
    insert into login_throttles as t (username, peer, window_start)
    values (v_name, p_peer, v_start)
    on conflict (username, peer, window_start)
      do update set refused = t.refused + 1, last_at = now()
    returning (xmax = 0) into v_new;
    if v_new then
      perform kc_audit(v_uid, p_username, p_peer, p_method, 'user', v_uid, null,
                       '{"result":"failure","reason":"throttled"}'::jsonb);
    end if;
  else
    insert into login_failures (username, peer) values (v_name, p_peer)
    returning id into v_attempt;
  end if;

  -- Old rows go a few at a time, so no call pays for a backlog.
  delete from login_failures where id in
    (select f.id from login_failures f where f.at < now() - greatest(p_window, interval '1 day')
      order by f.at limit 20);
  delete from login_throttles where (login_throttles.username, login_throttles.peer,
                                     login_throttles.window_start) in
    (select t.username, t.peer, t.window_start from login_throttles t
      where t.window_start < now() - greatest(p_window * 2, interval '1 day')
      order by t.window_start limit 20);

  return query
    select u.id, u.username, u.full_name, u.role, u.org_id, u.password_hash,
           u.disabled_at is not null, u.must_change_password, kc_scope_root(u.org_id),
           v_attempt, ceil(v_wait)::int, u.version
      from (select 1) one left join users u on u.id = v_uid;
end $$;

--
-- Name: kc_login_failed(bigint, text, text, bigint, text, text); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_login_failed(p_attempt bigint, p_username text, p_peer text, p_user_id bigint, p_reason text, p_method text) RETURNS bigint
    LANGUAGE plpgsql
    AS $$
begin
  update login_failures set reason = p_reason where id = p_attempt;
  if not found then
    insert into login_failures (username, peer, reason) values (lower(p_username), p_peer, p_reason);
  end if;
  return kc_audit(p_user_id, p_username, p_peer, p_method, 'user', p_user_id, null,
                  jsonb_build_object('result', 'failure', 'reason', p_reason));
end $$;

--
-- Name: kc_login_release(bigint); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_login_release(p_attempt bigint) RETURNS void
    LANGUAGE sql
    AS $$
  delete from login_failures where id = p_attempt;
$$;

--
-- Name: kc_lunar_jd_new_moon(integer); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_lunar_jd_new_moon(k integer) RETURNS double precision
    LANGUAGE plpgsql IMMUTABLE
    AS $$
declare
  t double precision := k / 1236.85;
  t2 double precision := t * t;
  t3 double precision := t * t * t;
  dr double precision := pi() / 180;
  jd1 double precision;
  m double precision;
  mpr double precision;
  f double precision;
  c1 double precision;
  deltat double precision;
begin
  jd1 := 2415020.75933 + 29.53058868 * k + 0.0001178 * t2 - 0.000000155 * t3;
  jd1 := jd1 + 0.00033 * sin((166.56 + 132.87 * t - 0.009173 * t2) * dr);
  m := 359.2242 + 29.10535608 * k - 0.0000333 * t2 - 0.00000347 * t3;
  mpr := 306.0253 + 385.81691806 * k + 0.0107306 * t2 + 0.00001236 * t3;
  f := 21.2964 + 390.67050646 * k - 0.0016528 * t2 - 0.00000239 * t3;
  c1 := (0.1734 - 0.000393 * t) * sin(m * dr) + 0.0021 * sin(2 * dr * m);
  c1 := c1 - 0.4068 * sin(mpr * dr) + 0.0161 * sin(dr * 2 * mpr);
  c1 := c1 - 0.0004 * sin(dr * 3 * mpr);
  c1 := c1 + 0.0104 * sin(dr * 2 * f) - 0.0051 * sin(dr * (m + mpr));
  c1 := c1 - 0.0074 * sin(dr * (m - mpr)) + 0.0004 * sin(dr * (2 * f + m));
  c1 := c1 - 0.0004 * sin(dr * (2 * f - m)) - 0.0006 * sin(dr * (2 * f + mpr));
  c1 := c1 + 0.0010 * sin(dr * (2 * f - mpr)) + 0.0005 * sin(dr * (2 * mpr + m));
  if t < -11 then
    deltat := 0.001 + 0.000839 * t + 0.0002261 * t2 - 0.00000845 * t3 - 0.000000081 * t * t3;
  else
    deltat := -0.000278 + 0.000265 * t + 0.000262 * t2;
  end if;
  return jd1 + c1 - deltat;
end $$;

--
-- Name: kc_lunar_leap_offset(integer); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_lunar_leap_offset(a11 integer) RETURNS integer
    LANGUAGE plpgsql IMMUTABLE
    AS $$
declare
  k integer := floor((a11 - 2415021.076998695) / 29.530588853 + 0.5)::integer;
  i integer := 1;
  arc integer := kc_lunar_sun_sector(kc_lunar_new_moon_day(k + 1));
  last integer;
begin
  loop
    last := arc;
    i := i + 1;
    arc := kc_lunar_sun_sector(kc_lunar_new_moon_day(k + i));
    exit when arc = last or i >= 14;
  end loop;
  return i - 1;
end $$;

--
-- Name: kc_lunar_month11(integer); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_lunar_month11(yy integer) RETURNS integer
    LANGUAGE plpgsql IMMUTABLE
    AS $$
declare
  k integer := floor((to_char(make_date(yy, 12, 31), 'J')::integer - 2415021) / 29.530588853)::integer;
  nm integer := kc_lunar_new_moon_day(k);
begin
  if kc_lunar_sun_sector(nm) >= 9 then
    nm := kc_lunar_new_moon_day(k - 1);
  end if;
  return nm;
end $$;

--
-- Name: kc_lunar_new_moon_day(integer); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_lunar_new_moon_day(k integer) RETURNS integer
    LANGUAGE sql IMMUTABLE
    AS $$
  select floor(kc_lunar_jd_new_moon(k) + 0.5 + 7.0 / 24)::integer
$$;

--
-- Name: kc_lunar_sun_sector(integer); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_lunar_sun_sector(jdn integer) RETURNS integer
    LANGUAGE plpgsql IMMUTABLE
    AS $$
declare
  t double precision := (jdn - 0.5 - 7.0 / 24 - 2451545.0) / 36525;
  t2 double precision := t * t;
  dr double precision := pi() / 180;
  m double precision;
  l double precision;
begin
  m := 357.52910 + 35999.05030 * t - 0.0001559 * t2 - 0.00000048 * t * t2;
  l := 280.46645 + 36000.76983 * t + 0.0003032 * t2
       + (1.914600 - 0.004817 * t - 0.000014 * t2) * sin(dr * m)
       + (0.019993 - 0.000101 * t) * sin(dr * 2 * m) + 0.000290 * sin(dr * 3 * m);
  l := l * dr;
  l := l - pi() * 2 * floor(l / (pi() * 2));
  return floor(l / pi() * 6)::integer;
end $$;

--
-- Name: kc_lunar_to_solar(integer, integer, integer); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_lunar_to_solar(d integer, m integer, y integer) RETURNS date
    LANGUAGE plpgsql IMMUTABLE
    AS $$
declare
  a11 integer;
  b11 integer;
  k integer;
  off integer;
  leap_off integer;
begin
  if m < 11 then
    a11 := kc_lunar_month11(y - 1);
    b11 := kc_lunar_month11(y);
  else
    a11 := kc_lunar_month11(y);
    b11 := kc_lunar_month11(y + 1);
  end if;
  k := floor(0.5 + (a11 - 2415021.076998695) / 29.530588853)::integer;
  off := m - 11;
  if off < 0 then
    off := off + 12;
  end if;
  if b11 - a11 > 365 then
    leap_off := kc_lunar_leap_offset(a11);
    if off >= leap_off then
      off := off + 1;
    end if;
  end if;
  return to_date((kc_lunar_new_moon_day(k + off) + d - 1)::text, 'J');
end $$;

--
-- Name: kc_management_cap(date); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_management_cap(p_on date) RETURNS public.support_caps
    LANGUAGE sql STABLE
    AS $$
  select * from support_caps
   where cap_code = 'C23' and kc_valid_on(valid_from, valid_to, p_on)
   order by valid_from desc limit 1
$$;

--
-- Name: kc_management_day(integer); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_management_day(p_year integer) RETURNS date
    LANGUAGE sql STABLE
    AS $$
  select least(greatest(current_date, make_date(p_year, 1, 1)), make_date(p_year, 12, 31))
$$;

--
-- Name: kc_management_figures(integer, text, bigint, date); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_management_figures(p_year integer, p_source text, p_province bigint, p_on date) RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$
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

--
-- Name: kc_management_floor(integer, text, bigint); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_management_floor(p_year integer, p_source text, p_province bigint) RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$
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

--
-- Name: kc_management_floor_err(integer, text, bigint, bigint); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_management_floor_err(p_year integer, p_source text, p_province bigint, p_amount bigint) RETURNS jsonb
    LANGUAGE plpgsql STABLE
    AS $$
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

--
-- Name: agency_management_spending; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.agency_management_spending (
    id bigint NOT NULL,
    province_id bigint NOT NULL,
    org_id bigint NOT NULL,
    year integer NOT NULL,
    source text NOT NULL,
    amount bigint NOT NULL,
    purpose text NOT NULL,
    voucher_no text NOT NULL,
    spent_on date NOT NULL,
    recorded_by bigint NOT NULL,
    recorded_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT agency_management_spending_amount_check CHECK ((amount > 0)),
    CONSTRAINT agency_management_spending_check CHECK (((source = 'local'::text) = (province_id <> 0))),
    CONSTRAINT agency_management_spending_check1 CHECK ((EXTRACT(year FROM spent_on) = (year)::numeric)),
    CONSTRAINT agency_management_spending_purpose_check CHECK (((length(purpose) >= 1) AND (length(purpose) <= 2000))),
    CONSTRAINT agency_management_spending_voucher_no_check CHECK (((length(voucher_no) >= 1) AND (length(voucher_no) <= 100))),
    CONSTRAINT agency_management_spending_year_check CHECK (((year >= 2014) AND (year <= 2100)))
);

--
-- Name: kc_management_json(public.agency_management_spending); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_management_json(m public.agency_management_spending) RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$
  select to_jsonb(m) - 'recorded_at' - 'province_id'
         || jsonb_build_object('province_id', nullif(m.province_id, 0),
                               'recorded_at', kc_instant(m.recorded_at),
                               'org_name', (select name from orgs where id = m.org_id))
$$;

--
-- Name: kc_management_writer_err(text, bigint, text); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_management_writer_err(p_role text, p_scope bigint, p_source text) RETURNS jsonb
    LANGUAGE sql IMMUTABLE
    AS $$
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

--
-- Name: kc_migrating(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_migrating() RETURNS boolean
    LANGUAGE sql STABLE
    AS $$
  select exists (select 1 from pg_locks l
                  where l.locktype = 'advisory' and l.pid = pg_backend_pid() and l.granted
                    and l.classid = 0 and l.objid = 8474001 and l.objsubid = 1)
$$;

--
-- Name: kc_money_decision_err(bigint); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_money_decision_err(p_project bigint) RETURNS jsonb
    LANGUAGE plpgsql STABLE
    AS $$
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

--
-- Name: kc_money_decision_missing(bigint); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_money_decision_missing(p_project bigint) RETURNS jsonb
    LANGUAGE plpgsql STABLE
    AS $$
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

--
-- Name: kc_money_owner(bigint, text); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_money_owner(p_project bigint, p_source text) RETURNS bigint
    LANGUAGE sql STABLE
    AS $$
  select case when p_source = 'local' then coalesce(kc_scope_root(pl.org_id), 0) else 0 end
    from projects pr join plans pl on pl.id = pr.plan_id
   where pr.id = p_project
$$;

--
-- Name: kc_money_release(bigint, text, bigint, text, bigint); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_money_release(p_project bigint, p_source text, p_amount bigint, p_reason text, p_user bigint) RETURNS bigint
    LANGUAGE plpgsql
    AS $$
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

--
-- Name: kc_money_source(text); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_money_source(p_scope_kind text) RETURNS text
    LANGUAGE sql IMMUTABLE
    AS $$
  select case p_scope_kind when 'local' then 'local' else 'central' end
$$;

--
-- Name: kc_money_writer_err(text, bigint, text, text); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_money_writer_err(p_role text, p_scope bigint, p_plan_scope text, p_what text) RETURNS jsonb
    LANGUAGE sql IMMUTABLE
    AS $$
  select case
    when p_plan_scope = 'local' and (p_scope is null or p_role <> 'province_leader') then
      kc_err(1003, format('a local project''s %s is the province''s (its leader): the Ministry reads it', p_what))
    when p_plan_scope = 'national' and (p_scope is not null or p_role <> 'ministry_approver') then
      kc_err(1003, format('a national project''s %s is the Ministry''s', p_what))
  end
$$;

--
-- Name: kc_org_filter_err(bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_org_filter_err(p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$
  select case when p->>'org_id' is not null
               and (not exists (select 1 from orgs where id = (p->>'org_id')::bigint)
                    or (p_scope is not null
                        and (p->>'org_id')::bigint not in (select org_scope(p_scope))))
              then kc_err(1004, 'no such organisation') end
$$;

--
-- Name: kc_org_name_inline(text); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_org_name_inline(p_name text) RETURNS text
    LANGUAGE sql IMMUTABLE
    AS $$
  select regexp_replace(regexp_replace(p_name, '^Tỉnh ', 'tỉnh '), '^Thành phố ', 'thành phố ')
$$;

--
-- Name: kc_org_visible(bigint); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_org_visible(p_scope bigint) RETURNS SETOF bigint
    LANGUAGE sql STABLE
    AS $$
  select org_scope(p_scope)
  union
  (with recursive up(id, parent_id, depth) as (
     select id, parent_id, 0 from orgs where id = p_scope
     union all
     select o.id, o.parent_id, up.depth + 1 from orgs o join up on o.id = up.parent_id
      where up.depth < 32)
   select id from up)
$$;

--
-- Name: kc_overdue_counts(bigint, date); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_overdue_counts(p_scope bigint, p_today date) RETURNS TABLE(kind text, org_id bigint, n bigint)
    LANGUAGE sql STABLE
    AS $$
  with scope_orgs as materialized (
    select s.id from org_scope(p_scope) s (id) where p_scope is not null),
  -- kc_scope_root of each organisation that has a plan, once
  org_roots as materialized (
    select o.org_id, kc_scope_root(o.org_id) as province
      from (select distinct pl.org_id from plans pl) o),
  plan_provinces as materialized (
    select pl.id, pl.org_id, pl.year, pl.scope, pl.status, r.province
      from plans pl join org_roots r on r.org_id = pl.org_id
     where p_scope is null or pl.org_id in (select id from scope_orgs)),
  vplans as (
    select * from plan_provinces pl
     where p_scope is not null or pl.scope = 'local' or pl.status not in ('draft', 'submitted')),
  vis as materialized (
    select pr.id, pr.status, pr.start_date, pr.end_date, pr.kind, v.id as plan_id,
           v.year, v.scope, v.province
      from vplans v join projects pr on pr.plan_id = v.id
     where pr.status in ('approved', 'in_progress', 'completed')),
  -- the last late month: the current one once its due day has come, else
  -- the one before (or, should a due day fall in the next month, the one
  -- before that); kc_overdue_items lists the months up to the current one
  -- whose due day has come
  last_late as (
    select max(x.m) as m
      from (select (date_trunc('month', p_today) - make_interval(months => i))::date as m
              from generate_series(0, 2) i) x
     where p_today >= kc_progress_due(x.m)),
  -- a project's months as dates by day arithmetic (date_trunc('month') of a
  -- date goes through timestamptz and the time zone)
  ranges as materialized (
    select x.id, x.province, x.m0,
           least(x.last_day - (date_part('day', x.last_day)::integer - 1), (select m from last_late)) as m1
      from (select v.id, v.province,
                   greatest(make_date(v.year, 1, 1),
                            v.start_date - (date_part('day', v.start_date)::integer - 1)) as m0,
                   coalesce(v.end_date,
                            make_date(v.year + coalesce(k.max_years, 1) - 1 + kc_project_extension(v.id), 12, 31))
                     as last_day
              from vis v left join project_kinds k on k.code = v.kind
             where v.status in ('approved', 'in_progress')) x),
  -- per province: the late months of its projects' ranges less the reports
  -- in those ranges
  progress as (
    select m.province, m.months - coalesce(d.reported, 0) as n
      from (select r.province,
                   sum(greatest(0, (date_part('year', r.m1)::integer * 12 + date_part('month', r.m1)::integer)
                                   - (date_part('year', r.m0)::integer * 12 + date_part('month', r.m0)::integer)
                                   + 1)) as months
              from ranges r group by r.province) m
      left join (select r.province, count(*) as reported
                   from ranges r join project_progress_reports p
                     on p.project_id = r.id and p.period between r.m0 and r.m1
                  group by r.province) d on d.province is not distinct from m.province),
  -- the extensions and carry-overs as hashed sets, not three subqueries per project
  accepted as (
    select v.id, v.province, a.accepted_on,
           greatest(v.year + case when v.id in (select x.project_id from project_adjustments x
                                                 where x.type = 'extend_next_year' and x.status = 'approved')
                                       or v.id in (select i.project_id from plan_decision_items i
                                                    where i.action = 'extend')
                                  then 1 else 0 end,
                    coalesce(co.to_year, v.year)) as last_year
      from vis v left join project_acceptances a on a.project_id = v.id
      left join (select c.project_id, max(c.to_year) as to_year from carry_overs c group by 1) co
        on co.project_id = v.id
     where v.scope = 'national' and v.status = 'completed'),
  dossier_days as materialized (select kc_deadline_setting('settlement_dossier_days') as d),
  owed as (
    select distinct province, year from plan_provinces where province is not null),
  -- each year's periodic report due days once
  report_dues as materialized (
    select y.year, x.period, c.due
      from (select distinct year from owed) y
     cross join (values ('q1'), ('h1'), ('q3'), ('year')) as x (period),
      lateral kc_report_period(y.year, x.period) c
     where p_today > c.due),
  this_year as (select extract(year from p_today)::integer as y),
  registrations as (
    select distinct pp.province, y.year
      from plan_provinces pp
     cross join (values ((select y from this_year)), ((select y from this_year) + 1)) as y (year)
     where pp.year in (y.year - 1, y.year) and pp.province is not null
       and p_today > kc_calendar_due('registration_deadline', y.year)),
  forwarded as (
    select distinct pl.year, r.province
      from plans pl join org_roots r on r.org_id = pl.org_id
     where pl.scope = 'national' and pl.status in ('forwarded', 'approved')
       and pl.year between (select y from this_year) and (select y from this_year) + 1)
  select 'progress_report', p.province, p.n::bigint from progress p where p.n > 0
  union all
  select 'settlement_dossier', a.province, count(*)
    from accepted a, dossier_days dd
   where a.accepted_on is not null
     and p_today > a.accepted_on + dd.d
     and not exists (select 1 from settlement_dossiers sd where sd.project_id = a.id)
   group by a.province
  union all
  select 'settlement', a.province, count(*)
    from accepted a
    left join calendar_rules c on c.rule = 'settlement_deadline' and c.year = a.last_year
   where p_today > coalesce(c.due, make_date(a.last_year + 1, 1, 22))
   group by a.province
  union all
  select 'correspondence', c.org_id, count(*)
    from correspondence c
   where c.status = 'open' and (p_scope is null or c.org_id in (select id from scope_orgs))
     and p_today > kc_correspondence_due(c)
   group by c.org_id
  union all
  select 'province_report', o.province, count(*)
    from owed o join report_dues d on d.year = o.year
   where not exists (select 1 from province_reports r
                      where r.province_id = o.province and r.year = o.year and r.period = d.period)
   group by o.province
  union all
  select 'registration', g.province, count(*)
    from registrations g
   where not exists (select 1 from forwarded f where f.year = g.year and f.province = g.province)
   group by g.province
$$;

--
-- Name: kc_overdue_items(bigint, date); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_overdue_items(p_scope bigint, p_today date) RETURNS TABLE(kind text, org_id bigint, plan_id bigint, project_id bigint, project_code text, correspondence_id bigint, period date, due date, days_late integer, responsible text)
    LANGUAGE sql STABLE
    AS $$
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

--
-- Name: kc_overdue_items_0028(bigint, date); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_overdue_items_0028(p_scope bigint, p_today date) RETURNS TABLE(kind text, org_id bigint, plan_id bigint, project_id bigint, project_code text, correspondence_id bigint, period date, due date, days_late integer, responsible text)
    LANGUAGE sql STABLE
    AS $$
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
  select 'progress_report', m.province, m.plan_id, m.id, m.code, null::bigint, m.period,
         d.due, p_today - d.due, 'province'
    from months m join month_dues d on d.period = m.period
   where p_today > d.due
     and not exists (select 1 from project_progress_reports r where r.project_id = m.id and r.period = m.period)
  union all
  select 'settlement_dossier', a.province, a.plan_id, a.id, a.code, null, null,
         a.accepted_on + kc_deadline_setting('settlement_dossier_days'),
         p_today - (a.accepted_on + kc_deadline_setting('settlement_dossier_days')), 'province'
    from accepted a
   where a.accepted_on is not null
     and p_today > a.accepted_on + kc_deadline_setting('settlement_dossier_days')
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

--
-- Name: kc_plan_create(bigint, text, text, text, bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_plan_create(p_user bigint, p_username text, p_peer text, p_role text, p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE plpgsql
    AS $$
begin
  if p->>'scope' = 'local' and p_scope is not null and kc_is_centre(p_scope) then
    return kc_rule_err('scope', 'regional_centre',
                       'a regional centre of the Ministry has national plans only (no local budget)');
  end if;
  return kc_plan_create_0005(p_user, p_username, p_peer, p_role, p_scope, p);
end $$;

--
-- Name: kc_plan_create_0005(bigint, text, text, text, bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_plan_create_0005(p_user bigint, p_username text, p_peer text, p_role text, p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE plpgsql
    AS $$
declare
  v_org bigint := (p->>'org_id')::bigint;
  v_id bigint;
  v_after jsonb;
begin
  if p_scope is null or v_org not in (select org_scope(p_scope)) then
    return kc_err(1004, 'no such organisation');
  end if;
  if exists (select 1 from plans where org_id = v_org and year = (p->>'year')::integer
                                   and scope = p->>'scope') then
    return kc_err(1022, 'the organisation already has this plan',
                  jsonb_build_object('violations', jsonb_build_array(kc_violation('year', 'unique',
                    format('the organisation already has a %s plan for %s', p->>'scope', p->>'year')))));
  end if;
  perform kc_actor_set(p_user, p_role);
  insert into plans (org_id, year, scope, title, note, created_by)
  values (v_org, (p->>'year')::integer, p->>'scope', p->>'title', p->>'note', p_user)
  returning id into v_id;
  v_after := kc_plan_json(v_id, false);
  perform kc_audit(p_user, p_username, p_peer, 'plan.create', 'plan', v_id, null, v_after);
  return jsonb_build_object('result', v_after);
end $$;

--
-- Name: kc_plan_get(bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_plan_get(p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$
  select coalesce(
    (select jsonb_build_object('result', kc_plan_json(pl.id, true)) from plans pl
      where pl.id = (p->>'id')::bigint and kc_plan_visible(pl.org_id, pl.scope, pl.status, p_scope)),
    kc_err(1004, 'no such plan'))
$$;

--
-- Name: kc_plan_json(bigint, boolean); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_plan_json(p_id bigint, p_full boolean) RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$
  select jsonb_build_object(
           'id', p.id, 'org_id', p.org_id, 'org_code', o.code, 'org_name', o.name,
           'province_code', o.province_code, 'year', p.year, 'scope', p.scope,
           'status', p.status, 'title', p.title, 'note', p.note,
           'submitted_by', p.submitted_by, 'submitted_at', kc_instant(p.submitted_at),
           'appraisal', case when p.appraised_at is null then null else jsonb_build_object(
              'by', p.appraised_by, 'at', kc_instant(p.appraised_at),
              'decision', p.appraisal_decision, 'comment', p.appraisal_comment,
              'sheet', p.appraisal_sheet) end,
           'forwarded_at', kc_instant(p.forwarded_at), 'late', p.late, 'deadline', p.deadline,
           'approval', case when p.decision_no is null then null else jsonb_build_object(
              'decision_no', p.decision_no, 'decision_date', p.decision_date,
              'issuer', p.decision_issuer, 'by', p.approved_by, 'at', kc_instant(p.approved_at)) end,
           'version', p.version, 'created_by', p.created_by,
           'created_at', kc_instant(p.created_at), 'updated_at', kc_instant(p.updated_at),
           'project_count', (select count(*) from projects pr where pr.plan_id = p.id),
           'totals', (select jsonb_object_agg(fs.code, coalesce(t.amount, 0) order by fs.sort)
                        from funding_sources fs
                        left join (select b.source, sum(b.amount) as amount
                                     from project_budget_lines b
                                     join projects pr on pr.id = b.project_id
                                    where pr.plan_id = p.id group by b.source) t
                          on t.source = fs.code),
           'total', (select coalesce(sum(b.amount), 0) from project_budget_lines b
                       join projects pr on pr.id = b.project_id where pr.plan_id = p.id))
         || case when not p_full then '{}'::jsonb else jsonb_build_object(
           'projects', coalesce((select jsonb_agg(kc_project_json(pr.id, false) order by pr.id)
                                   from projects pr where pr.plan_id = p.id), '[]'::jsonb),
           'history', coalesce((select jsonb_agg(jsonb_build_object('from_status', h.from_status,
                                                                    'to_status', h.to_status,
                                                                    'actor_id', h.actor_id, 'actor_role', h.actor_role,
                                                                    'at', kc_instant(h.at), 'comment', h.comment,
                                                                    'document_no', h.document_no)
                                                 order by h.id)
                                  from plan_history h where h.plan_id = p.id), '[]'::jsonb)) end
    from plans p join orgs o on o.id = p.org_id
   where p.id = p_id
$$;

--
-- Name: kc_plan_list(bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_plan_list(p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$
  with lim as (select coalesce((p->>'limit')::integer, 100) as n),
  page as (
    select pl.id from plans pl
     where ((p_scope is null and (pl.scope = 'local' or pl.status not in ('draft', 'submitted')))
            or pl.org_id in (select org_scope(p_scope)))
       and (p->>'cursor' is null or pl.id > (p->>'cursor')::bigint)
       and (p->>'year' is null or pl.year = (p->>'year')::integer)
       and (p->>'org_id' is null or pl.org_id in (select org_scope((p->>'org_id')::bigint)))
       and (p->>'scope' is null or pl.scope = p->>'scope')
       and (p->>'status' is null or pl.status = p->>'status')
     order by pl.id limit (select n from lim) + 1),
  shown as (select id from page order by id limit (select n from lim))
  select jsonb_build_object('result', jsonb_build_object(
    'items', coalesce((select jsonb_agg(kc_plan_json(id, false) order by id) from shown), '[]'::jsonb),
    'next_cursor', case when (select count(*) from page) > (select n from lim)
                        then (select max(id) from shown)::text end))
$$;

--
-- Name: kc_plan_transition(bigint, text, text, text, bigint, text, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_plan_transition(p_user bigint, p_username text, p_peer text, p_role text, p_scope bigint, p_method text, p jsonb) RETURNS jsonb
    LANGUAGE plpgsql
    AS $$
declare
  v_res jsonb;
  v plans;
  v_before jsonb;
  v_after jsonb;
  v_deadline date;
begin
  v_res := kc_plan_transition_0006(p_user, p_username, p_peer, p_role, p_scope, p_method, p);
  if p_method <> 'plan.submit' or v_res ? 'error' then
    return v_res;
  end if;
  select * into v from plans where id = (p->>'id')::bigint for update;
  if v.scope <> 'national' or not kc_is_centre(v.org_id) then
    return v_res;
  end if;
  -- step 4b: straight on to the Cục, no base appraisal
  v_before := kc_plan_json(v.id, false);
  v_deadline := coalesce((select due from calendar_rules
                           where rule = 'registration_deadline' and year = v.year),
                         make_date(v.year - 1, 6, 20));
  perform kc_actor_set(p_user, p_role, 'gửi thẳng Cục (trung tâm vùng, bước 4b)', null);
  update projects set stage = 'submitted_direct', version = version + 1
   where plan_id = v.id and status = 'submitted' and stage = 'registered';
  update plans set status = 'forwarded', forwarded_at = now(), deadline = v_deadline,
                   late = (now() at time zone 'Asia/Ho_Chi_Minh')::date > v_deadline,
                   version = version + 1
   where id = v.id;
  v_after := kc_plan_json(v.id, false) || jsonb_build_object('direct', true);
  perform kc_audit(p_user, p_username, p_peer, 'plan.submit', 'plan', v.id, v_before, v_after);
  return jsonb_build_object('result', (v_res->'result') || v_after);
end $$;

--
-- Name: kc_plan_transition_0006(bigint, text, text, text, bigint, text, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_plan_transition_0006(p_user bigint, p_username text, p_peer text, p_role text, p_scope bigint, p_method text, p jsonb) RETURNS jsonb
    LANGUAGE plpgsql
    AS $$
declare
  v plans;
  v_err jsonb;
  v_before jsonb;
  v_after jsonb;
  v_moved bigint[];
  v_deadline date;
  v_decision text := p->>'decision';
  v_rules jsonb;
  v_from text[] := case p_method when 'plan.submit' then array['draft'] else array['submitted'] end;
begin
  select * into v from plans where id = (p->>'id')::bigint for update;
  v_err := kc_record_check('plan', found and p_scope is not null
                                   and kc_plan_visible(v.org_id, v.scope, v.status, p_scope),
                           v.version, (p->>'version')::integer, v.status, v_from);
  if v_err is not null then
    return v_err;
  end if;
  if p_method = 'plan.submit'
     and not exists (select 1 from projects where plan_id = v.id and status = 'draft') then
    return kc_err(1022, 'the plan has no draft project to submit',
                  jsonb_build_object('violations', jsonb_build_array(
                    kc_violation('id', 'not_empty', 'the plan has no draft project to submit'))));
  end if;
  if (p_method = 'plan.appraise' and v_decision = 'forward' and v.scope <> 'national')
     or (p_method = 'plan.approve_local' and v.scope <> 'local') then
    return kc_err(1022, 'not for a plan of this scope',
                  jsonb_build_object('violations', jsonb_build_array(kc_violation(
                    case when p_method = 'plan.appraise' then 'decision' else 'id' end, 'scope',
                    case when v.scope = 'local'
                         then 'a local plan is approved at the province (plan.approve_local), not forwarded'
                         else 'a national plan is forwarded to the Ministry (plan.appraise), not approved locally' end))));
  end if;
  -- plan.submit: every draft project passes the rules as at submission
  -- (kc_project_check); the violations of all of them are listed, each
  -- field under projects[CODE].
  if p_method = 'plan.submit' then
    select jsonb_build_object(
             'violations', coalesce(jsonb_agg(e.v || jsonb_build_object('field', format('projects[%s].%s', x.code, e.v->>'field'), 'project_id', x.id) order by x.id, e.i)
                                      filter (where e.kind = 'violations'), '[]'::jsonb),
             'warnings', coalesce(jsonb_agg(e.v || jsonb_build_object('field', format('projects[%s].%s', x.code, e.v->>'field'), 'project_id', x.id) order by x.id, e.i)
                                    filter (where e.kind = 'warnings'), '[]'::jsonb))
      into v_rules
      from (select pr.id, pr.code, kc_project_check(pr.id, true) as c
              from projects pr where pr.plan_id = v.id and pr.status = 'draft') x
      cross join lateral (select 'violations' as kind, w.v, w.i
                            from jsonb_array_elements(x.c->'violations') with ordinality w (v, i)
                          union all
                          select 'warnings', w.v, w.i
                            from jsonb_array_elements(x.c->'warnings') with ordinality w (v, i)) e;
    if jsonb_array_length(v_rules->'violations') > 0 then
      return kc_err(1022, format('%s rule violation(s) in the plan''s projects: %s',
                                 jsonb_array_length(v_rules->'violations'),
                                 v_rules->'violations'->0->>'message'), v_rules);
    end if;
  end if;
  v_before := kc_plan_json(v.id, false);
  perform kc_actor_set(p_user, p_role, p->>'comment', p->>'decision_no');
  if p_method = 'plan.submit' then
    with m as (update projects set status = 'submitted', stage = 'registered', version = version + 1
                where plan_id = v.id and status = 'draft' returning id)
    select array_agg(id order by id) into v_moved from m;
    update plans set status = 'submitted', submitted_by = p_user, submitted_at = now(),
                     version = version + 1 where id = v.id;
    perform kc_project_record_check(x, true) from unnest(v_moved) x;
  elsif p_method = 'plan.withdraw' then
    with m as (update projects set status = 'draft', stage = 'drafting', version = version + 1
                where plan_id = v.id and status = 'submitted' returning id)
    select array_agg(id order by id) into v_moved from m;
    update plans set status = 'draft', version = version + 1 where id = v.id;
  elsif p_method = 'plan.appraise' and v_decision = 'return' then
    with m as (update projects set status = 'draft', stage = 'returned', version = version + 1
                where plan_id = v.id and status = 'submitted' returning id)
    select array_agg(id order by id) into v_moved from m;
    update plans set status = 'draft', appraised_by = p_user, appraised_at = now(),
                     appraisal_decision = 'return', appraisal_comment = p->>'comment',
                     appraisal_sheet = p->'sheet', version = version + 1 where id = v.id;
  elsif p_method = 'plan.appraise' then
    v_deadline := coalesce((select due from calendar_rules
                             where rule = 'registration_deadline' and year = v.year),
                           make_date(v.year - 1, 6, 20));
    with m as (update projects set stage = 'base_appraised', version = version + 1
                where plan_id = v.id and status = 'submitted' returning id)
    select array_agg(id order by id) into v_moved from m;
    update plans set status = 'forwarded', appraised_by = p_user, appraised_at = now(),
                     appraisal_decision = 'forward', appraisal_comment = p->>'comment',
                     appraisal_sheet = p->'sheet', forwarded_at = now(), deadline = v_deadline,
                     late = (now() at time zone 'Asia/Ho_Chi_Minh')::date > v_deadline,
                     version = version + 1 where id = v.id;
  elsif p_method = 'plan.approve_local' then
    with m as (update projects set status = 'approved', stage = 'plan_approved', version = version + 1
                where plan_id = v.id and status = 'submitted' returning id)
    select array_agg(id order by id) into v_moved from m;
    update plans set status = 'approved', decision_no = p->>'decision_no',
                     decision_date = (p->>'decision_date')::date, decision_issuer = p->>'issuer',
                     approved_by = p_user, approved_at = now(), version = version + 1
     where id = v.id;
  else
    raise exception 'unknown plan transition %', p_method;
  end if;
  v_after := kc_plan_json(v.id, false)
             || jsonb_build_object('projects_moved', coalesce(to_jsonb(v_moved), '[]'::jsonb));
  if p_method = 'plan.submit' then
    v_after := v_after || jsonb_build_object('warnings', v_rules->'warnings');
  end if;
  perform kc_audit(p_user, p_username, p_peer, p_method, 'plan', v.id, v_before, v_after);
  return jsonb_build_object('result', v_after);
end $$;

--
-- Name: kc_plan_update(bigint, text, text, text, bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_plan_update(p_user bigint, p_username text, p_peer text, p_role text, p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE plpgsql
    AS $$
declare
  v plans;
  v_err jsonb;
  v_before jsonb;
  v_after jsonb;
begin
  select * into v from plans where id = (p->>'id')::bigint for update;
  v_err := kc_record_check('plan', found and p_scope is not null
                                   and kc_plan_visible(v.org_id, v.scope, v.status, p_scope),
                           v.version, (p->>'version')::integer, v.status, array['draft']);
  if v_err is not null then
    return v_err;
  end if;
  v_before := kc_plan_json(v.id, false);
  perform kc_actor_set(p_user, p_role);
  update plans set title = case when p ? 'title' then p->>'title' else title end,
                   note = case when p ? 'note' then p->>'note' else note end,
                   version = version + 1
   where id = v.id;
  v_after := kc_plan_json(v.id, false);
  perform kc_audit(p_user, p_username, p_peer, 'plan.update', 'plan', v.id, v_before, v_after);
  return jsonb_build_object('result', v_after);
end $$;

--
-- Name: kc_plan_visible(bigint, text, text, bigint); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_plan_visible(p_org_id bigint, p_scope_kind text, p_status text, p_scope bigint) RETURNS boolean
    LANGUAGE plpgsql STABLE
    AS $$
begin
  if p_scope is null then
    return p_scope_kind = 'local' or p_status not in ('draft', 'submitted');
  end if;
  return exists (
    with recursive up (id) as (
      select o.id from orgs o where o.id = p_org_id
      union
      select x.id
        from up cross join lateral (
          select o.parent_id from orgs o where o.id = up.id and o.parent_id is not null
          union all
          select l.new_org_id from org_lineage l where l.old_org_id = up.id) x (id)
    )
    select 1 from up where up.id = p_scope);
end $$;

--
-- Name: kc_priorities_bad(text[]); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_priorities_bad(p text[]) RETURNS text[]
    LANGUAGE plpgsql STABLE
    AS $$
begin
  return (select coalesce(array_agg(x order by x), '{}') from unnest(p) x
           where x = 'typical_product' or not exists (select 1 from priority_sectors s where s.code = x));
end $$;

--
-- Name: kc_priorities_given(jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_priorities_given(p jsonb) RETURNS jsonb
    LANGUAGE plpgsql STABLE
    AS $$
declare
  v_bad text[];
begin
  if not (p ? 'priorities') then
    perform set_config('kc.priorities', '', true);
    return null;
  end if;
  v_bad := kc_priorities_bad(array(select x from jsonb_array_elements_text(p->'priorities') x
                                    where x <> 'typical_product'));
  if cardinality(v_bad) > 0 then
    return kc_rule_err('priorities', 'exists',
                       format('not priority sectors of the catalogue: %s', array_to_string(v_bad, ', ')),
                       jsonb_build_object('codes', to_jsonb(v_bad)));
  end if;
  perform set_config('kc.priorities', (p->'priorities')::text, true);
  return null;
end $$;

--
-- Name: kc_priority_uplift_recheck(public.projects, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_priority_uplift_recheck(pr public.projects, v_res jsonb) RETURNS jsonb
    LANGUAGE plpgsql STABLE
    AS $$
declare
  c support_caps;
  u support_caps;
  v_limit numeric;
  v_central bigint := (v_res->'cap'->>'central')::bigint;
  v_sum bigint := (v_res->'cap'->>'eligible_cost')::bigint;
  v_on date := (v_res->>'checked_on')::date;
begin
  if v_res->'cap' is null or jsonb_typeof(v_res->'cap') = 'null'
     or (v_res->'cap'->>'priority_factor')::numeric > 1 then
    return v_res;
  end if;
  if not exists (select 1 from priority_sectors s where s.code = any (pr.priorities) and s.uplift) then
    return v_res;
  end if;
  select * into c from support_caps where id = (v_res->'cap'->>'id')::bigint;
  if c.priority_factor is null or c.priority_factor <= 1 then
    return v_res;
  end if;
  v_limit := least(c.pct_cap * v_sum / 100, c.abs_cap_vnd * c.priority_factor);
  v_res := jsonb_set(v_res, '{cap,priority_factor}', to_jsonb(c.priority_factor));
  v_res := jsonb_set(v_res, '{cap,limit_vnd}', to_jsonb(floor(v_limit)));
  if v_limit is null or v_central <= v_limit then
    -- the cap no longer fails: drop its violation or warning
    v_res := jsonb_set(v_res, '{violations}', coalesce((select jsonb_agg(x) from jsonb_array_elements(v_res->'violations') x
                                                         where not (x->>'field' = 'budget_lines.central' and x->>'rule' = 'cap')), '[]'));
    v_res := jsonb_set(v_res, '{warnings}', coalesce((select jsonb_agg(x) from jsonb_array_elements(v_res->'warnings') x
                                                       where not (x->>'field' = 'budget_lines.central' and x->>'rule' = 'cap')), '[]'));
    if v_central > c.abs_cap_vnd then
      select * into u from support_caps x where x.cap_code = 'C25' and kc_valid_on(x.valid_from, x.valid_to, v_on);
      if u.id is null or u.confidence = 'U' then
        v_res := kc_check_push(v_res, 'warnings', kc_violation('budget_lines.central', 'priority_uplift',
          format('the central support %s đ is above the normal cap %s đ of %s and within it only by the ×%s priority uplift, whose value under %s is unconfirmed (confidence U)',
                 kc_vnd(v_central), kc_vnd(c.abs_cap_vnd), c.cap_code, c.priority_factor,
                 coalesce(u.legal_act, 'the rules in force'))));
      end if;
    end if;
  end if;
  return v_res;
end $$;

--
-- Name: kc_programme_approve(bigint, text, text, text, bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_programme_approve(p_user bigint, p_username text, p_peer text, p_role text, p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE plpgsql
    AS $$
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

--
-- Name: kc_programme_change(text, text, bigint, text, text, text, bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_programme_change(p_fn text, p_method text, p_user bigint, p_username text, p_peer text, p_role text, p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE plpgsql
    AS $_$
declare
  v programmes;
  v_found boolean;
  v_err jsonb;
  v_res jsonb;
begin
  select * into v from programmes where id = (p->>'id')::bigint;
  v_found := found;
  if v_found and v.status = 'approved' then
    v_err := kc_programme_write_check(v, v_found, p_role, p_scope, p,
                                      case when v.scope = 'national' then array['draft', 'approved']
                                           else array['draft'] end);
    if v_err is not null then
      return v_err;
    end if;
    v_err := kc_decision_problem(p->'decision');
    if v_err is not null then
      return v_err;
    end if;
    perform kc_decision_record(p_user, p->'decision', p_method);
  end if;
  -- (a draft is its drafters' own: a decision given for it is not needed
  -- and not recorded)
  execute format('select %I($1, $2, $3, $4, $5, $6)', p_fn)
     into v_res using p_user, p_username, p_peer, p_role, p_scope, p - 'decision';
  if v_res ? 'error' then
    raise exception using errcode = 'KC099', message = v_res::text;
  end if;
  return v_res;
exception
  when sqlstate 'KC099' then
    return sqlerrm::jsonb;
end $_$;

--
-- Name: kc_programme_code(text, text, bigint); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_programme_code(p_period text, p_scope text, p_org bigint) RETURNS text
    LANGUAGE sql STABLE
    AS $$
  select case when p_scope = 'national' then p_period
              else format('KCĐP-%s-%s-%s', (select province_code from orgs where id = p_org),
                          pp.from_year, pp.to_year) end
    from programme_periods pp where pp.code = p_period
$$;

--
-- Name: kc_programme_comment(bigint, text, text, text, bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_programme_comment(p_user bigint, p_username text, p_peer text, p_role text, p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE plpgsql
    AS $$
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

--
-- Name: programme_comments; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.programme_comments (
    id bigint NOT NULL,
    programme_id bigint NOT NULL,
    org_id bigint NOT NULL,
    text text NOT NULL,
    created_by bigint NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT programme_comments_text_check CHECK (((length(btrim(text)) >= 1) AND (length(btrim(text)) <= 20000)))
);

--
-- Name: kc_programme_comment_json(public.programme_comments); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_programme_comment_json(c public.programme_comments) RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$
  select jsonb_build_object('id', c.id, 'programme_id', c.programme_id, 'org_id', c.org_id,
                            'org_name', (select name from orgs where id = c.org_id), 'text', c.text,
                            'created_by', c.created_by,
                            'author', (select full_name from users where id = c.created_by),
                            'created_at', kc_instant(c.created_at))
$$;

--
-- Name: kc_programme_comments(bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_programme_comments(p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$
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

--
-- Name: kc_programme_create(bigint, text, text, text, bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_programme_create(p_user bigint, p_username text, p_peer text, p_role text, p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE sql
    AS $$
  -- A new programme is a draft: the reviewer may start the national one as
  -- the approver may (the audit row names the user, not the role).
  select kc_programme_create_0019(p_user, p_username, p_peer,
                                  case when p_role = 'ministry_reviewer' and p->>'scope' = 'national'
                                       then 'ministry_approver' else p_role end,
                                  p_scope, p)
$$;

--
-- Name: kc_programme_create_0019(bigint, text, text, text, bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_programme_create_0019(p_user bigint, p_username text, p_peer text, p_role text, p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE plpgsql
    AS $$
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

--
-- Name: kc_programme_get(bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_programme_get(p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$
  select coalesce(
    (select jsonb_build_object('result', kc_programme_json(v.id, true)) from programmes v
      where v.id = (p->>'id')::bigint and kc_programme_visible(v, p_scope)),
    kc_err(1004, 'no such programme'))
$$;

--
-- Name: kc_programme_json(bigint, boolean); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_programme_json(p_id bigint, p_full boolean) RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$
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

--
-- Name: kc_programme_json_0019(bigint, boolean); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_programme_json_0019(p_id bigint, p_full boolean) RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$
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

--
-- Name: kc_programme_json_0029(bigint, boolean); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_programme_json_0029(p_id bigint, p_full boolean) RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$
  select kc_programme_json_0019(p_id, p_full)
         || jsonb_build_object('change_decision', kc_decision_json(v.change_decision_id))
    from programmes v where v.id = p_id
$$;

--
-- Name: kc_programme_list(bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_programme_list(p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$
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

--
-- Name: kc_programme_province_fits(bigint, bigint); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_programme_province_fits(p_programme bigint, p_org bigint) RETURNS boolean
    LANGUAGE sql STABLE
    AS $$
  select exists (select 1 from orgs o, programmes v join programme_periods pp on pp.code = v.period_code
                  where v.id = p_programme and o.id = p_org and o.kind = 'province'
                    and o.valid_from <= make_date(pp.to_year, 12, 31)
                    and coalesce(o.valid_to, 'infinity'::date) >= make_date(pp.from_year, 1, 1))
$$;

--
-- Name: kc_programme_set_targets(bigint, text, text, text, bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_programme_set_targets(p_user bigint, p_username text, p_peer text, p_role text, p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE sql
    AS $$
  select kc_programme_change('kc_programme_set_targets_0041', 'programme.set_targets', p_user, p_username,
                             p_peer, p_role, p_scope, p)
$$;

--
-- Name: kc_programme_set_targets_0019(bigint, text, text, text, bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_programme_set_targets_0019(p_user bigint, p_username text, p_peer text, p_role text, p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE plpgsql
    AS $$
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

--
-- Name: kc_programme_set_targets_0041(bigint, text, text, text, bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_programme_set_targets_0041(p_user bigint, p_username text, p_peer text, p_role text, p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE plpgsql
    AS $$
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

--
-- Name: kc_programme_update(bigint, text, text, text, bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_programme_update(p_user bigint, p_username text, p_peer text, p_role text, p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE sql
    AS $$
  select kc_programme_change('kc_programme_update_0019', 'programme.update', p_user, p_username, p_peer,
                             p_role, p_scope, p)
$$;

--
-- Name: kc_programme_update_0019(bigint, text, text, text, bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_programme_update_0019(p_user bigint, p_username text, p_peer text, p_role text, p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE plpgsql
    AS $$
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

--
-- Name: programmes; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.programmes (
    id bigint NOT NULL,
    period_code text NOT NULL,
    scope text NOT NULL,
    org_id bigint,
    title text NOT NULL,
    status text DEFAULT 'draft'::text NOT NULL,
    decision_no text,
    decision_date date,
    issuer text,
    note text,
    confidence character(1) DEFAULT 'C'::bpchar NOT NULL,
    source_ref text,
    approved_by bigint,
    approved_at timestamp with time zone,
    version integer DEFAULT 1 NOT NULL,
    created_by bigint,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    change_decision_id bigint,
    code text NOT NULL,
    CONSTRAINT programmes_check CHECK (((scope = 'national'::text) = (org_id IS NULL))),
    CONSTRAINT programmes_check1 CHECK (((status = 'draft'::text) OR (decision_no IS NOT NULL))),
    CONSTRAINT programmes_code_scope CHECK ((((scope = 'national'::text) AND (code ~ '^KCQG-[0-9]{4}-[0-9]{4}$'::text)) OR ((scope = 'local'::text) AND (code ~ '^KCĐP-[0-9]{2}-[0-9]{4}-[0-9]{4}$'::text)))),
    CONSTRAINT programmes_confidence_check CHECK ((confidence = ANY (ARRAY['C'::bpchar, 'P'::bpchar, 'U'::bpchar]))),
    CONSTRAINT programmes_decision_no_check CHECK ((length(decision_no) <= 100)),
    CONSTRAINT programmes_issuer_check CHECK ((length(issuer) <= 300)),
    CONSTRAINT programmes_note_check CHECK ((length(note) <= 20000)),
    CONSTRAINT programmes_scope_check CHECK ((scope = ANY (ARRAY['national'::text, 'local'::text]))),
    CONSTRAINT programmes_source_ref_check CHECK ((length(source_ref) <= 1000)),
    CONSTRAINT programmes_status_check CHECK ((status = ANY (ARRAY['draft'::text, 'approved'::text]))),
    CONSTRAINT programmes_title_check CHECK (((length(title) >= 1) AND (length(title) <= 500)))
);

--
-- Name: kc_programme_visible(public.programmes, bigint); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_programme_visible(v public.programmes, p_scope bigint) RETURNS boolean
    LANGUAGE sql STABLE
    AS $$
  select v.scope = 'national' or p_scope is null or v.org_id in (select org_scope(p_scope))
$$;

--
-- Name: kc_programme_write_check(public.programmes, boolean, text, bigint, jsonb, text[]); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_programme_write_check(v public.programmes, p_found boolean, p_role text, p_scope bigint, p jsonb, p_statuses text[]) RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$
  select case
    when not p_found or not kc_programme_visible(v, p_scope) then kc_err(1004, 'no such programme')
    when v.scope = 'national' and p_role = 'ministry_reviewer' and v.status <> 'draft' then
      kc_err(1003, 'an approved national programme is changed by the approver')
    when v.scope = 'national' and p_role not in ('ministry_approver', 'ministry_reviewer', 'admin') then
      kc_err(1003, 'the national programme is kept by the Ministry')
    when v.scope = 'local' and p_scope is null then
      kc_err(1003, 'a local programme is built by its province')
    else kc_record_check('programme', true, v.version, (p->>'version')::integer, v.status, p_statuses)
  end
$$;

--
-- Name: kc_progress_confirm(bigint, text, text, text, bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_progress_confirm(p_user bigint, p_username text, p_peer text, p_role text, p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE plpgsql
    AS $$
declare
  r project_progress_reports;
  v plans;
  v_err jsonb;
  v_before jsonb;
begin
  select * into r from project_progress_reports where id = (p->>'id')::bigint for update;
  if found then
    select pl.* into v from plans pl join projects pr on pr.plan_id = pl.id where pr.id = r.project_id;
  end if;
  v_err := kc_record_check('progress report', r.id is not null and p_scope is not null
                                              and kc_plan_visible(v.org_id, v.scope, v.status, p_scope),
                           r.version, (p->>'version')::integer,
                           case when r.confirmed_at is not null then 'confirmed'
                                when r.returned_at is not null then 'returned' else 'submitted' end,
                           array['submitted']);
  if v_err is not null then
    return v_err;
  end if;
  v_before := kc_progress_json(r);
  update project_progress_reports set confirmed_by = p_user, confirmed_at = now(), version = version + 1
   where id = r.id returning * into r;
  perform kc_audit(p_user, p_username, p_peer, 'progress.confirm', 'progress_report', r.id, v_before,
                   kc_progress_json(r));
  return jsonb_build_object('result', kc_progress_json(r));
end $$;

--
-- Name: kc_progress_due(date); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_progress_due(p_period date) RETURNS date
    LANGUAGE sql STABLE
    AS $$
  select (p_period + (coalesce(extract(day from kc_calendar_due('progress_monthly',
                                                                extract(year from p_period)::integer)),
                               25) - 1)::integer)
$$;

--
-- Name: kc_spent_ok(jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_spent_ok(p jsonb) RETURNS boolean
    LANGUAGE sql IMMUTABLE
    AS $$
  select jsonb_typeof(p) = 'object'
     and not exists (select 1 from jsonb_each(p) e
                      where e.key not in ('central', 'local', 'counterpart', 'other')
                         or jsonb_typeof(e.value) <> 'number'
                         or (e.value)::numeric < 0
                         or (e.value)::numeric <> trunc((e.value)::numeric)
                         or (e.value)::numeric > 1000000000000000)
$$;

--
-- Name: project_progress_reports; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.project_progress_reports (
    id bigint NOT NULL,
    project_id bigint NOT NULL,
    period date NOT NULL,
    percent_done integer NOT NULL,
    indicators jsonb DEFAULT '[]'::jsonb NOT NULL,
    difficulties text,
    submitted_by bigint NOT NULL,
    submitted_at timestamp with time zone DEFAULT now() NOT NULL,
    late boolean NOT NULL,
    confirmed_by bigint,
    confirmed_at timestamp with time zone,
    version integer DEFAULT 1 NOT NULL,
    returned_by bigint,
    returned_at timestamp with time zone,
    return_comment text,
    spent jsonb DEFAULT '{}'::jsonb NOT NULL,
    CONSTRAINT project_progress_reports_difficulties_check CHECK ((length(difficulties) <= 20000)),
    CONSTRAINT project_progress_reports_indicators_check CHECK ((jsonb_typeof(indicators) = 'array'::text)),
    CONSTRAINT project_progress_reports_percent_done_check CHECK (((percent_done >= 0) AND (percent_done <= 100))),
    CONSTRAINT project_progress_reports_period_check CHECK ((EXTRACT(day FROM period) = (1)::numeric)),
    CONSTRAINT project_progress_reports_return_comment_check CHECK (((return_comment IS NULL) OR ((length(return_comment) >= 1) AND (length(return_comment) <= 20000)))),
    CONSTRAINT project_progress_reports_spent_check CHECK (public.kc_spent_ok(spent)),
    CONSTRAINT project_progress_returned_unconfirmed CHECK (((returned_at IS NULL) OR (confirmed_at IS NULL))),
    CONSTRAINT project_progress_returned_whole CHECK ((((returned_at IS NULL) = (returned_by IS NULL)) AND ((returned_at IS NULL) = (return_comment IS NULL))))
);

--
-- Name: kc_progress_json(public.project_progress_reports); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_progress_json(r public.project_progress_reports) RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$
  select kc_progress_json_0037(r)
         || jsonb_build_object('attachments', kc_attachments_of('progress_report', r.id))
$$;

--
-- Name: kc_progress_json_0033(public.project_progress_reports); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_progress_json_0033(r public.project_progress_reports) RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$
  select jsonb_build_object('id', r.id, 'project_id', r.project_id,
                            'period', to_char(r.period, 'YYYY-MM'),
                            'percent_done', r.percent_done, 'indicators', r.indicators,
                            'difficulties', r.difficulties, 'submitted_by', r.submitted_by,
                            'submitted_at', kc_instant(r.submitted_at), 'late', r.late,
                            'due', make_date(extract(year from r.period)::integer,
                                             extract(month from r.period)::integer, 25),
                            'confirmed_by', r.confirmed_by,
                            'confirmed_at', kc_instant(r.confirmed_at),
                            'confirmed', r.confirmed_at is not null,
                            'returned', r.returned_at is not null, 'returned_by', r.returned_by,
                            'returned_at', kc_instant(r.returned_at),
                            'return_comment', r.return_comment, 'version', r.version)
$$;

--
-- Name: kc_progress_json_0037(public.project_progress_reports); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_progress_json_0037(r public.project_progress_reports) RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$
  select kc_progress_json_0033(r) || jsonb_build_object('spent', r.spent)
$$;

--
-- Name: kc_progress_list(bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_progress_list(p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$
  select coalesce(
    (select jsonb_build_object('result', jsonb_build_object('items',
              coalesce((select jsonb_agg(kc_progress_json(r) order by r.period)
                          from project_progress_reports r where r.project_id = pr.id), '[]'::jsonb)))
       from projects pr join plans pl on pl.id = pr.plan_id
      where pr.id = (p->>'project_id')::bigint and kc_plan_visible(pl.org_id, pl.scope, pl.status, p_scope)),
    kc_err(1004, 'no such project'))
$$;

--
-- Name: kc_progress_report(bigint, text, text, text, bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_progress_report(p_user bigint, p_username text, p_peer text, p_role text, p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE plpgsql
    AS $$
declare
  v_res jsonb;
begin
  perform set_config('kc.progress_spent',
                    case when jsonb_typeof(p->'spent') = 'object' then (p->'spent')::text else '{}' end,
                    true);
  v_res := kc_progress_report_0033(p_user, p_username, p_peer, p_role, p_scope, p - 'spent');
  perform set_config('kc.progress_spent', '', true);
  return v_res;
end $$;

--
-- Name: kc_progress_report_0033(bigint, text, text, text, bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_progress_report_0033(p_user bigint, p_username text, p_peer text, p_role text, p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE plpgsql
    AS $$
declare
  pr projects;
  v plans;
  k project_kinds;
  r project_progress_reports;
  v_old project_progress_reports;
  v_period date := to_date(p->>'period' || '-01', 'YYYY-MM-DD');
  v_last date;
  v_viol jsonb;
  v_before jsonb;
begin
  select * into pr from projects where id = (p->>'project_id')::bigint for update;
  if found then
    select * into v from plans where id = pr.plan_id;
  end if;
  if pr.id is null or p_scope is null or not kc_plan_visible(v.org_id, v.scope, v.status, p_scope) then
    return kc_err(1004, 'no such project');
  end if;
  if pr.status not in ('approved', 'in_progress') then
    return kc_err(1010, format('progress is reported on an approved project; this project is %s', pr.status),
                  jsonb_build_object('status', pr.status));
  end if;
  select * into v_old from project_progress_reports x
   where x.project_id = pr.id and x.period = v_period for update;
  select * into k from project_kinds where code = pr.kind;
  v_last := date_trunc('month', coalesce(pr.end_date,
              make_date(v.year + coalesce(k.max_years, 1) - 1 + kc_project_extension(pr.id), 12, 31)))::date;
  select coalesce(jsonb_agg(x), '[]'::jsonb) into v_viol from (
    select kc_violation('period', 'project_period',
                        format('the period is a month of the project, %s to %s',
                               to_char(make_date(v.year, 1, 1), 'MM/YYYY'), to_char(v_last, 'MM/YYYY'))) as x
     where v_period < make_date(v.year, 1, 1) or v_period > v_last
    union all
    select kc_violation('period', 'unique', format('progress for %s is already reported', p->>'period'))
     where v_old.id is not null and v_old.returned_at is null
    union all
    select e from jsonb_array_elements(kc_achieved_violations(pr.id, p->'indicators')) e) t;
  if jsonb_array_length(v_viol) > 0 then
    return kc_err(1022, v_viol->0->>'message', jsonb_build_object('violations', v_viol));
  end if;
  if v_old.id is not null then
    v_before := kc_progress_json(v_old);
    update project_progress_reports
       set percent_done = (p->>'percent_done')::integer, indicators = coalesce(p->'indicators', '[]'),
           difficulties = p->>'difficulties', submitted_by = p_user, submitted_at = now(),
           late = (now() at time zone 'Asia/Ho_Chi_Minh')::date >= kc_progress_due(v_period),
           returned_by = null, returned_at = null, return_comment = null, version = version + 1
     where id = v_old.id
    returning * into r;
  else
    insert into project_progress_reports (project_id, period, percent_done, indicators, difficulties,
                                          submitted_by, late)
    values (pr.id, v_period, (p->>'percent_done')::integer, coalesce(p->'indicators', '[]'),
            p->>'difficulties', p_user,
            (now() at time zone 'Asia/Ho_Chi_Minh')::date > v_period + 24)
    returning * into r;
  end if;
  perform kc_audit(p_user, p_username, p_peer, 'progress.report', 'progress_report', r.id, v_before,
                   kc_progress_json(r));
  return jsonb_build_object('result', kc_progress_json(r));
end $$;

--
-- Name: kc_progress_return(bigint, text, text, text, bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_progress_return(p_user bigint, p_username text, p_peer text, p_role text, p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE plpgsql
    AS $$
declare
  r project_progress_reports;
  v plans;
  v_err jsonb;
  v_before jsonb;
begin
  select * into r from project_progress_reports where id = (p->>'id')::bigint for update;
  if found then
    select pl.* into v from plans pl join projects pr on pr.plan_id = pl.id where pr.id = r.project_id;
  end if;
  v_err := kc_record_check('progress report', r.id is not null and p_scope is not null
                                              and kc_plan_visible(v.org_id, v.scope, v.status, p_scope),
                           r.version, (p->>'version')::integer,
                           case when r.confirmed_at is not null then 'confirmed'
                                when r.returned_at is not null then 'returned' else 'submitted' end,
                           array['submitted']);
  if v_err is not null then
    return v_err;
  end if;
  v_before := kc_progress_json(r);
  update project_progress_reports
     set returned_by = p_user, returned_at = now(), return_comment = p->>'comment', version = version + 1
   where id = r.id returning * into r;
  perform kc_audit(p_user, p_username, p_peer, 'progress.return', 'progress_report', r.id, v_before,
                   kc_progress_json(r));
  return jsonb_build_object('result', kc_progress_json(r));
end $$;

--
-- Name: kc_project_accept(bigint, text, text, text, bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_project_accept(p_user bigint, p_username text, p_peer text, p_role text, p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE plpgsql
    AS $$
declare
  pr projects;
  v plans;
  v_err jsonb;
  v_viol jsonb;
  v_before jsonb;
  v_after jsonb;
  v_on date := (p->>'accepted_on')::date;
begin
  select * into pr from projects where id = (p->>'id')::bigint for update;
  if found then
    select * into v from plans where id = pr.plan_id;
  end if;
  if pr.id is null or not kc_plan_visible(v.org_id, v.scope, v.status, p_scope) then
    return kc_err(1004, 'no such project');
  end if;
  if v.scope = 'local' and p_role <> 'province_leader' then
    return kc_err(1003, 'a local project is accepted by the province');
  end if;
  v_err := kc_record_check('project', true, pr.version, (p->>'version')::integer, pr.status,
                           array['approved', 'in_progress']);
  if v_err is not null then
    return v_err;
  end if;
  select coalesce(jsonb_agg(x), '[]'::jsonb) into v_viol from (
    select kc_violation('accepted_on', 'future', 'the acceptance date is not in the future') as x
     where v_on > (now() at time zone 'Asia/Ho_Chi_Minh')::date
    union all
    select kc_violation('accepted_on', 'order', 'the acceptance is not before the project starts')
     where pr.start_date is not null and v_on < pr.start_date
    union all
    select e from jsonb_array_elements(kc_achieved_violations(pr.id, p->'indicators')) e) t;
  if jsonb_array_length(v_viol) > 0 then
    return kc_err(1022, v_viol->0->>'message', jsonb_build_object('violations', v_viol));
  end if;
  v_before := kc_project_json(pr.id, true) - 'history';
  perform kc_actor_set(p_user, p_role, p->>'note', p->>'record_no');
  insert into project_acceptances (project_id, accepted_on, record_no, indicators, note,
                                   accepted_by, accepted_role)
  values (pr.id, v_on, p->>'record_no', coalesce(p->'indicators', '[]'), p->>'note', p_user, p_role);
  update project_indicators i set achieved = (e->>'achieved')::bigint
    from jsonb_array_elements(coalesce(p->'indicators', '[]')) e
   where i.project_id = pr.id and i.indicator = e->>'code';
  update projects set status = 'completed', stage = 'accepted', version = version + 1 where id = pr.id;
  v_after := kc_project_json(pr.id, true);
  perform kc_audit(p_user, p_username, p_peer, 'project.accept', 'project', pr.id, v_before,
                   v_after - 'history');
  return jsonb_build_object('result', v_after);
end $$;

--
-- Name: kc_project_apply(public.projects, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_project_apply(cur public.projects, p jsonb) RETURNS public.projects
    LANGUAGE plpgsql STABLE
    AS $$
declare
  r projects := kc_project_apply_0006(cur, p);
begin
  if p ? 'priorities' and jsonb_typeof(p->'priorities') = 'array' then
    r.priorities := array(select distinct x from jsonb_array_elements_text(p->'priorities') x
                           where x <> 'typical_product' order by 1);
  elsif (r.export, r.local_materials, r.labour_intensive, r.supporting_industry)
        is distinct from (cur.export, cur.local_materials, cur.labour_intensive, cur.supporting_industry)
        or cur is null then
    r.priorities := array(select x from unnest(coalesce(r.priorities, '{}')) x
                           where x not in ('export', 'local_materials', 'labour_intensive', 'supporting_industry')
                          union
                          select v.code from (values ('export', r.export), ('local_materials', r.local_materials),
                                                     ('labour_intensive', r.labour_intensive),
                                                     ('supporting_industry', r.supporting_industry)) v (code, f)
                           where v.f
                          order by 1);
  end if;
  r.export := 'export' = any (r.priorities);
  r.local_materials := 'local_materials' = any (r.priorities);
  r.labour_intensive := 'labour_intensive' = any (r.priorities);
  r.supporting_industry := 'supporting_industry' = any (r.priorities);
  return r;
end $$;

--
-- Name: kc_project_apply_0006(public.projects, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_project_apply_0006(cur public.projects, p jsonb) RETURNS public.projects
    LANGUAGE plpgsql STABLE
    AS $$
declare
  r projects := cur;
begin
  if p ? 'title' then r.title := p->>'title'; end if;
  if p ? 'kind' then r.kind := coalesce(p->>'kind', 'regular'); end if;
  if p ? 'implementer' then r.implementer := p->>'implementer'; end if;
  if p ? 'partners' then r.partners := coalesce(nullif(p->'partners', 'null'), '[]'); end if;
  if p ? 'locations' then r.locations := coalesce(nullif(p->'locations', 'null'), '[]'); end if;
  if p ? 'rationale' then r.rationale := p->>'rationale'; end if;
  if p ? 'legal_basis' then r.legal_basis := p->>'legal_basis'; end if;
  if p ? 'objectives' then r.objectives := p->>'objectives'; end if;
  if p ? 'scale_and_novelty' then r.scale_and_novelty := p->>'scale_and_novelty'; end if;
  if p ? 'work_items' then r.work_items := coalesce(nullif(p->'work_items', 'null'), '[]'); end if;
  if p ? 'implementation' then r.implementation := p->>'implementation'; end if;
  if p ? 'impact' then r.impact := p->>'impact'; end if;
  if p ? 'procurement' then r.procurement := coalesce(p->>'procurement', 'selection'); end if;
  if p ? 'sector' then r.sector := p->>'sector'; end if;
  if p ? 'priority_area' then r.priority_area := p->>'priority_area'; end if;
  if p ? 'export' then r.export := coalesce((p->>'export')::boolean, false); end if;
  if p ? 'local_materials' then r.local_materials := coalesce((p->>'local_materials')::boolean, false); end if;
  if p ? 'labour_intensive' then r.labour_intensive := coalesce((p->>'labour_intensive')::boolean, false); end if;
  if p ? 'supporting_industry' then r.supporting_industry := coalesce((p->>'supporting_industry')::boolean, false); end if;
  if p ? 'typical_product' then r.typical_product := coalesce((p->>'typical_product')::boolean, false); end if;
  if p ? 'start_date' then r.start_date := (p->>'start_date')::date; end if;
  if p ? 'end_date' then r.end_date := (p->>'end_date')::date; end if;
  if p ? 'no_double_funding' then r.no_double_funding := coalesce((p->>'no_double_funding')::boolean, false); end if;
  if p ? 'cap_code' then r.cap_code := p->>'cap_code'; end if;
  if p ? 'total_cost' then r.total_cost := (p->>'total_cost')::bigint; end if;
  return r;
end $$;

--
-- Name: kc_project_approve_implementation_plan(bigint, text, text, text, bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_project_approve_implementation_plan(p_user bigint, p_username text, p_peer text, p_role text, p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE plpgsql
    AS $$
declare
  pr projects;
  v plans;
  v_err jsonb;
  v_before jsonb;
  v_after jsonb;
begin
  select * into pr from projects where id = (p->>'id')::bigint for update;
  if found then
    select * into v from plans where id = pr.plan_id;
  end if;
  if pr.id is null or p_scope is null or not kc_plan_visible(v.org_id, v.scope, v.status, p_scope) then
    return kc_err(1004, 'no such project');
  end if;
  if p_role <> 'province_leader' then
    return kc_err(1003, 'a group project''s implementation plan is approved by the Department (TT 36/2013 Art. 21.2.a)');
  end if;
  v_err := kc_record_check('project', true, pr.version, (p->>'version')::integer, pr.status,
                           array['approved']);
  if v_err is not null then
    return v_err;
  end if;
  if pr.kind <> 'group' then
    return kc_rule_err('id', 'group', 'only a group project (đề án nhóm) has an implementation plan (Mẫu 11)');
  end if;
  if pr.stage not in ('plan_approved', 'plan_assigned') then
    return kc_err(1010, format('not allowed at the stage %s: the project is in the plan and not yet contracted', pr.stage),
                  jsonb_build_object('status', pr.status, 'stage', pr.stage));
  end if;
  v_err := kc_money_decision_err(pr.id);
  if v_err is not null then
    return v_err;
  end if;
  v_before := kc_project_json(pr.id, true) - 'history';
  insert into implementation_plans (project_id, decision_no, decision_date, note, approved_by)
  values (pr.id, p->>'decision_no', (p->>'decision_date')::date, p->>'note', p_user);
  perform kc_actor_set(p_user, p_role, p->>'note', p->>'decision_no');
  update projects set stage = 'implementation_plan_approved', version = version + 1 where id = pr.id;
  v_after := kc_project_json(pr.id, true);
  perform kc_audit(p_user, p_username, p_peer, 'project.approve_implementation_plan', 'project', pr.id,
                   v_before, v_after - 'history');
  return jsonb_build_object('result', v_after);
end $$;

--
-- Name: kc_project_cancel(bigint, text, text, text, bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_project_cancel(p_user bigint, p_username text, p_peer text, p_role text, p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE plpgsql
    AS $$
declare
  pr projects;
  v plans;
  v_err jsonb;
  v_before jsonb;
  v_after jsonb;
begin
  select * into pr from projects where id = (p->>'id')::bigint for update;
  if found then
    select * into v from plans where id = pr.plan_id;
  end if;
  if pr.id is null or not kc_plan_visible(v.org_id, v.scope, v.status, p_scope) then
    return kc_err(1004, 'no such project');
  end if;
  if p_role <> (case v.scope when 'national' then 'ministry_approver' else 'province_leader' end) then
    return kc_err(1003, case v.scope when 'national'
                             then 'a national project is suspended or cancelled by the Minister (TT 36/2013 Art. 11.2.a)'
                             else 'a local project is suspended or cancelled by the province' end);
  end if;
  v_err := kc_record_check('project', true, pr.version, (p->>'version')::integer, pr.status,
                           array['approved', 'in_progress']);
  if v_err is not null then
    return v_err;
  end if;
  v_before := kc_project_json(pr.id, true) - 'history';
  perform kc_actor_set(p_user, p_role, p->>'reason', p->>'decision_no');
  insert into project_cancellations (project_id, kind, reason, decision_no, decision_date,
                                     cancelled_by, cancelled_role)
  values (pr.id, coalesce(p->>'kind', 'cancellation'), p->>'reason', p->>'decision_no',
          (p->>'decision_date')::date, p_user, p_role);
  update project_adjustments set status = 'rejected', decided_by = p_user, decided_role = p_role,
                                 decided_at = now(), comment = 'the project was cancelled',
                                 version = version + 1
   where project_id = pr.id and status = 'requested';
  update projects set status = 'cancelled', stage = 'cancelled', version = version + 1 where id = pr.id;
  v_after := kc_project_json(pr.id, true);
  perform kc_audit(p_user, p_username, p_peer, 'project.cancel', 'project', pr.id, v_before,
                   v_after - 'history');
  return jsonb_build_object('result', v_after);
end $$;

--
-- Name: kc_project_check(bigint, boolean); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_project_check(p_id bigint, p_submission boolean DEFAULT true) RETURNS jsonb
    LANGUAGE plpgsql STABLE
    AS $$
declare
  pr projects;
begin
  select * into pr from projects where id = p_id;
  if not found then
    return null;
  end if;
  return kc_project_check_row(pr, p_submission);
end $$;

--
-- Name: kc_project_check_row(public.projects, boolean); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_project_check_row(pr public.projects, p_submission boolean) RETURNS jsonb
    LANGUAGE plpgsql STABLE
    AS $$
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

--
-- Name: kc_project_check_row_0006(public.projects, boolean); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_project_check_row_0006(pr public.projects, p_submission boolean) RETURNS jsonb
    LANGUAGE plpgsql STABLE
    AS $$
declare
  p_id bigint := pr.id;
  pl plans;
  k project_kinds;
  c support_caps;
  u support_caps;
  v_res jsonb := jsonb_build_object('violations', '[]'::jsonb, 'warnings', '[]'::jsonb, 'cap', null);
  v_soft text := case when p_submission then 'violations' else 'warnings' end;
  v_on date;
  v_year_end date;
  v_central bigint;
  v_local bigint;
  v_sum bigint;
  v_content text;
  v_count integer;
  v_caps support_caps[];
  v_codes text;
  v_priority boolean;
  v_factor numeric;
  v_pct_limit numeric;
  v_abs_limit numeric;
  v_limit numeric;
  v_msg text;
begin
  select * into pl from plans where id = pr.plan_id;
  select * into k from project_kinds where code = pr.kind;
  v_on := kc_rules_day(pl);
  v_res := v_res || jsonb_build_object('checked_on', v_on);

  -- dates
  if pr.start_date is not null and pr.end_date is not null and pr.end_date < pr.start_date then
    v_res := kc_check_push(v_res, 'violations',
                           kc_violation('end_date', 'order', 'the end date is before the start date'));
  end if;
  if pr.start_date is not null and extract(year from pr.start_date) <> pl.year then
    v_res := kc_check_push(v_res, 'violations', kc_violation('start_date', 'plan_year',
      format('the project starts in its plan year %s (it starts on %s)', pl.year,
             to_char(pr.start_date, 'DD/MM/YYYY'))));
  end if;
  if pr.end_date is not null and k.max_years is not null then
    -- an approved extension into the next year (adjustment extend_next_year,
    -- 0008) moves the last allowed year by one
    v_year_end := make_date(pl.year + k.max_years - 1 + kc_project_extension(p_id), 12, 31);
    if pr.end_date > v_year_end or pr.end_date < v_on then
      v_res := kc_check_push(v_res, 'violations', kc_violation('end_date',
        case when k.max_years = 1 or pr.end_date < v_on then 'plan_year' else 'max_years' end,
        case when k.max_years = 1
             then format('a project of kind %s ends inside its plan year %s (it ends on %s)',
                         k.code, pl.year, to_char(pr.end_date, 'DD/MM/YYYY'))
             else format('a project of kind %s lasts at most %s years from its plan year %s: it ends between 01/01/%s and %s (it ends on %s)',
                         k.code, k.max_years, pl.year, pl.year, to_char(v_year_end, 'DD/MM/YYYY'),
                         to_char(pr.end_date, 'DD/MM/YYYY')) end));
    end if;
  end if;
  if pr.end_date is not null and coalesce(k.min_years, 1) > 1
     and extract(year from pr.end_date) < pl.year + k.min_years - 1 then
    v_res := kc_check_push(v_res, 'violations', kc_violation('end_date', 'min_years',
      format('a project of kind %s lasts at least %s years from its plan year %s: it ends in %s or later (it ends on %s)',
             k.code, k.min_years, pl.year, pl.year + k.min_years - 1, to_char(pr.end_date, 'DD/MM/YYYY'))));
  end if;

  -- the kind's contents and beneficiaries (completeness)
  select count(*) into v_count from project_categories where project_id = p_id;
  if k.min_contents is not null and v_count < k.min_contents then
    v_res := kc_check_push(v_res, v_soft, kc_violation('content_categories', 'min_contents',
      format('a project of kind %s has at least %s content categories (it has %s)', k.code,
             k.min_contents, v_count)));
  end if;
  select count(*) into v_count from project_beneficiaries where project_id = p_id;
  if k.min_beneficiaries is not null and v_count < k.min_beneficiaries then
    v_res := kc_check_push(v_res, v_soft, kc_violation('beneficiaries', 'min_beneficiaries',
      format('a project of kind %s has at least %s beneficiaries (it has %s)', k.code,
             k.min_beneficiaries, v_count)));
  end if;

  -- the no-double-funding declaration (completeness)
  if not pr.no_double_funding then
    v_res := kc_check_push(v_res, v_soft, kc_violation('no_double_funding', 'declaration',
      'the declaration that no expense of the project is funded by another state source is required (TTLT 26/2014 Art. 7.4)'));
  end if;

  -- money
  select coalesce(sum(amount) filter (where source = 'central'), 0),
         coalesce(sum(amount) filter (where source = 'local'), 0),
         coalesce(sum(amount), 0)
    into v_central, v_local, v_sum
    from project_budget_lines where project_id = p_id;

  if pr.total_cost is not null and v_sum < pr.total_cost then
    v_res := kc_check_push(v_res, 'violations', kc_violation('budget_lines.counterpart', 'counterpart',
      format('counterpart funds must be committed for the rest of the cost: the budget lines cover %s đ of the total cost %s đ, %s đ is not covered (TTLT 26/2014 Art. 7.3)',
             kc_vnd(v_sum), kc_vnd(pr.total_cost), kc_vnd(pr.total_cost - v_sum))));
  elsif pr.total_cost is not null and v_sum > pr.total_cost then
    v_res := kc_check_push(v_res, 'violations', kc_violation('total_cost', 'total',
      format('the budget lines add up to %s đ, more than the total cost %s đ',
             kc_vnd(v_sum), kc_vnd(pr.total_cost))));
  end if;

  -- the cap of the primary content in force on 1 January of the plan year
  select content_code into v_content from project_categories where project_id = p_id and is_primary;
  if pr.cap_code is not null then
    select * into c from kc_caps_in_force(v_content, v_on) x where x.cap_code = pr.cap_code;
    if c.id is null then
      v_res := kc_check_push(v_res, 'violations', kc_violation('cap_code', 'exists',
        format('no cap %s is in force for the content %s on %s', pr.cap_code,
               coalesce(v_content, '(none)'), to_char(v_on, 'DD/MM/YYYY'))));
    end if;
  else
    -- read once (the caps in force are kc_caps_in_force's order)
    v_caps := array(select x from kc_caps_in_force(v_content, v_on) x);
    v_count := cardinality(v_caps);
    if v_count = 1 then
      c := v_caps[1];
    elsif v_count > 1 and v_central > 0 then
      select string_agg(x.cap_code, ', ' order by x.cap_code) into v_codes from unnest(v_caps) x;
      v_res := kc_check_push(v_res, v_soft, kc_violation('cap_code', 'required',
        format('the content %s has several caps in force on %s: choose the cap_code of the central support (%s)',
               v_content, to_char(v_on, 'DD/MM/YYYY'), v_codes)));
    end if;
  end if;

  if c.id is not null then
    v_priority := pr.priority_area is not null or pr.export or pr.local_materials
                  or pr.labour_intensive or pr.supporting_industry
                  or kc_project_typical(p_id);
    v_factor := case when v_priority and c.priority_factor is not null then c.priority_factor else 1 end;
    v_pct_limit := c.pct_cap * v_sum / 100;
    v_abs_limit := c.abs_cap_vnd * v_factor;
    v_limit := least(v_pct_limit, v_abs_limit);   -- least() skips nulls: null = no such limit
    v_res := jsonb_set(v_res, '{cap}', jsonb_build_object(
      'id', c.id, 'cap_code', c.cap_code, 'content_code', c.content_code, 'legal_act', c.legal_act,
      'valid_from', c.valid_from, 'valid_to', c.valid_to, 'confidence', c.confidence,
      'pct_cap', c.pct_cap, 'abs_cap_vnd', c.abs_cap_vnd, 'priority_factor', v_factor,
      'eligible_cost', v_sum, 'central', v_central,
      'limit_vnd', floor(v_limit)));
    if v_limit is not null and v_central > v_limit then
      v_msg := format('the central support %s đ exceeds the cap %s (%s): at most %s đ, the lesser of %s',
                      kc_vnd(v_central), c.cap_code, c.legal_act, kc_vnd(v_limit),
                      concat_ws(' and ',
                        case when c.pct_cap is not null then
                          format('%s %% of the eligible cost %s đ', c.pct_cap, kc_vnd(v_sum)) end,
                        case when c.abs_cap_vnd is not null then
                          format('%s đ%s', kc_vnd(v_abs_limit),
                                 case when v_factor > 1 then format(' (%s × %s đ, priority uplift)',
                                                                    v_factor, kc_vnd(c.abs_cap_vnd)) end) end));
      if c.confidence = 'U' then
        v_res := kc_check_push(v_res, 'warnings', kc_violation('budget_lines.central', 'cap',
          v_msg || format('; this cap value is unconfirmed (confidence U: %s), so it warns instead of refusing',
                          coalesce(c.note, 'not confirmed from the legal text'))));
      else
        v_res := kc_check_push(v_res, 'violations', kc_violation('budget_lines.central', 'cap', v_msg));
      end if;
    elsif v_factor > 1 and v_central > c.abs_cap_vnd then
      -- passes only thanks to the uplift: say so when the uplift is unconfirmed
      select * into u from support_caps x
       where x.cap_code = 'C25' and kc_valid_on(x.valid_from, x.valid_to, v_on);
      if u.id is null or u.confidence = 'U' then
        v_res := kc_check_push(v_res, 'warnings', kc_violation('budget_lines.central', 'priority_uplift',
          format('the central support %s đ is above the normal cap %s đ of %s and within it only by the ×%s priority uplift, whose value under %s is unconfirmed (confidence U)',
                 kc_vnd(v_central), kc_vnd(c.abs_cap_vnd), c.cap_code, v_factor,
                 coalesce(u.legal_act, 'the rules in force'))));
      end if;
    end if;
  end if;
  return v_res;
end $$;

--
-- Name: kc_project_check_row_0025(public.projects, boolean); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_project_check_row_0025(pr public.projects, p_submission boolean) RETURNS jsonb
    LANGUAGE plpgsql STABLE
    AS $$
declare
  -- kc_priority_uplift_recheck (point 6, below) is resolved when this runs
  v_res jsonb := kc_priority_uplift_recheck(pr, kc_project_check_row_0006(pr, p_submission));
  pl plans;
  lc local_caps;
  c support_caps;
  v_on date;
  v_content text;
  v_local bigint;
  v_sum bigint;
  v_province bigint;
  v_priority boolean;
  v_factor numeric;
  v_limit numeric;
  v_code text;
  v_pct numeric;
  v_abs bigint;
  v_act text;
  v_conf char(1);
begin
  select * into pl from plans where id = pr.plan_id;
  v_res := kc_project_kind_bounds(pr, kc_project_rules_0025(pr, pl, v_res, p_submission));
  if pl.scope <> 'local' then
    return v_res;
  end if;
  v_on := (v_res->>'checked_on')::date;
  v_province := kc_scope_root(pl.org_id);
  select coalesce(sum(amount) filter (where source = 'local'), 0), coalesce(sum(amount), 0)
    into v_local, v_sum from project_budget_lines where project_id = pr.id;
  if v_local = 0 then
    return v_res;
  end if;
  select content_code into v_content from project_categories where project_id = pr.id and is_primary;
  select * into lc from kc_local_caps_in_force(v_province, v_content, v_on) x
   where pr.cap_code is null or x.cap_code = pr.cap_code
   order by (x.cap_code = pr.cap_code) desc nulls last limit 1;
  if lc.id is not null then
    v_code := lc.cap_code; v_pct := lc.pct_cap; v_abs := lc.abs_cap_vnd; v_act := lc.legal_act;
    v_conf := lc.confidence; v_factor := lc.priority_factor;
  else
    select * into c from kc_caps_in_force(v_content, v_on) x
     where pr.cap_code is null or x.cap_code = pr.cap_code
     order by (x.cap_code = pr.cap_code) desc nulls last limit 1;
    if c.id is null then
      return v_res;   -- no cap for this content (training: external norms)
    end if;
    v_code := c.cap_code; v_pct := c.pct_cap; v_abs := c.abs_cap_vnd; v_act := c.legal_act;
    v_conf := c.confidence; v_factor := c.priority_factor;
    v_res := kc_check_push(v_res, 'warnings', kc_violation('budget_lines.local', 'local_caps_missing',
      format('the province has not entered its own caps (HĐND resolution) for %s in force on %s: the national cap %s (%s) is applied to the local support',
             coalesce(v_content, '(none)'), to_char(v_on, 'DD/MM/YYYY'), c.cap_code, c.legal_act)));
  end if;
  v_priority := pr.priority_area is not null
                or exists (select 1 from priority_sectors s where s.code = any (pr.priorities) and s.uplift)
                or kc_project_typical(pr.id);
  v_factor := case when v_priority and v_factor is not null then v_factor else 1 end;
  v_limit := least(v_pct * v_sum / 100, v_abs * v_factor);
  v_res := v_res || jsonb_build_object('local_cap', jsonb_build_object(
    'id', lc.id, 'cap_code', v_code, 'legal_act', v_act, 'confidence', v_conf, 'pct_cap', v_pct,
    'abs_cap_vnd', v_abs, 'priority_factor', v_factor, 'local', v_local, 'limit_vnd', floor(v_limit),
    'national', lc.id is null));
  -- the province's own cap refuses (a U row warns); a national cap standing
  -- in for a missing resolution only warns: the province's rules may differ
  if v_limit is not null and v_local > v_limit then
    v_res := kc_check_push(v_res, case when v_conf = 'U' or lc.id is null then 'warnings' else 'violations' end,
      kc_violation('budget_lines.local', 'local_cap',
        format('the local support %s đ exceeds the cap %s (%s): at most %s đ%s', kc_vnd(v_local), v_code, v_act,
               kc_vnd(v_limit), case when lc.id is null then '; the national cap, as the province has entered none of its own'
                                     when v_conf = 'U' then '; this cap value is unconfirmed (confidence U)' end)));
  end if;
  return v_res;
end $$;

--
-- Name: kc_project_check_rpc(bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_project_check_rpc(p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$
  select coalesce(
    (select jsonb_build_object('result', jsonb_build_object('id', pr.id, 'code', pr.code)
                                         || kc_project_check(pr.id, true))
       from projects pr join plans pl on pl.id = pr.plan_id
      where pr.id = (p->>'id')::bigint and kc_plan_visible(pl.org_id, pl.scope, pl.status, p_scope)),
    kc_err(1004, 'no such project'))
$$;

--
-- Name: kc_project_copy(bigint, text, text, text, bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_project_copy(p_user bigint, p_username text, p_peer text, p_role text, p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE plpgsql
    AS $$
declare
  src projects;
  sp plans;
  v plans;
  v_shift integer;
  v_id bigint;
  v_viol jsonb;
  v_check jsonb;
  v_after jsonb;
begin
  select * into src from projects where id = (p->>'id')::bigint;
  if found then
    select * into sp from plans where id = src.plan_id;
  end if;
  if src.id is null or p_scope is null or not kc_plan_visible(sp.org_id, sp.scope, sp.status, p_scope) then
    return kc_err(1004, 'no such project');
  end if;
  select * into v from plans where id = (p->>'plan_id')::bigint for update;
  if not found or not kc_plan_visible(v.org_id, v.scope, v.status, p_scope) then
    return kc_err(1004, 'no such plan');
  end if;
  if v.status <> 'draft' then
    return kc_err(1010, format('projects are added to a draft plan; this plan is %s', v.status),
                  jsonb_build_object('status', v.status));
  end if;
  select coalesce(jsonb_agg(x), '[]'::jsonb) into v_viol from (
    select kc_violation('plan_id', 'same_org',
                        'a project is copied into a plan of the same organisation') as x
     where v.org_id <> sp.org_id
    union all
    select kc_violation('plan_id', 'same_scope',
                        format('a %s project is copied into a %s plan, not %s', sp.scope, sp.scope, v.scope))
     where v.scope <> sp.scope
    union all
    select kc_violation('plan_id', 'later_year',
                        format('a project of %s is copied into the plan of a later year, not %s', sp.year, v.year))
     where v.year <= sp.year) t;
  if jsonb_array_length(v_viol) > 0 then
    return kc_err(1022, v_viol->0->>'message', jsonb_build_object('violations', v_viol));
  end if;
  v_shift := v.year - sp.year;
  perform kc_actor_set(p_user, p_role);
  insert into projects (plan_id, code, title, kind, implementer, partners, locations, rationale,
                        legal_basis, objectives, scale_and_novelty, work_items, implementation,
                        impact, procurement, sector, priority_area, export, local_materials,
                        labour_intensive, supporting_industry, typical_product, start_date,
                        end_date, no_double_funding, cap_code, total_cost, copied_from, created_by)
  values (v.id, '', src.title, src.kind, src.implementer, src.partners, src.locations,
          src.rationale, src.legal_basis, src.objectives, src.scale_and_novelty,
          (select coalesce(jsonb_agg(case when jsonb_typeof(w) = 'object' then w
                                            || case when w ? 'from' then jsonb_build_object('from', kc_shift_date_text(w->>'from', v_shift)) else '{}' end
                                            || case when w ? 'to' then jsonb_build_object('to', kc_shift_date_text(w->>'to', v_shift)) else '{}' end
                                          else w end order by i), '[]'::jsonb)
             from jsonb_array_elements(src.work_items) with ordinality x (w, i)),
          src.implementation, src.impact, src.procurement, src.sector, src.priority_area,
          src.export, src.local_materials, src.labour_intensive, src.supporting_industry,
          src.typical_product, (src.start_date + make_interval(years => v_shift))::date,
          (src.end_date + make_interval(years => v_shift))::date, false, src.cap_code,
          src.total_cost, src.id, p_user)
  returning id into v_id;
  insert into project_categories (project_id, content_code, is_primary)
  select v_id, content_code, is_primary from project_categories where project_id = src.id;
  insert into project_budget_lines (project_id, source, amount)
  select v_id, source, amount from project_budget_lines where project_id = src.id;
  insert into project_indicators (project_id, indicator, target)
  select v_id, indicator, target from project_indicators where project_id = src.id;
  insert into project_beneficiaries (project_id, name, kind, tax_code, commune, province_org_id)
  select v_id, name, kind, tax_code, commune, province_org_id
    from project_beneficiaries where project_id = src.id order by id;
  v_check := kc_project_record_check(v_id, false);
  v_after := kc_project_json(v_id, true);
  perform kc_audit(p_user, p_username, p_peer, 'project.copy', 'project', v_id, null,
                   v_after - 'history');
  return jsonb_build_object('result', v_after || jsonb_build_object('violations', v_check->'violations'));
end $$;

--
-- Name: kc_project_create(bigint, text, text, text, bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_project_create(p_user bigint, p_username text, p_peer text, p_role text, p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE plpgsql
    AS $$
declare
  v_err jsonb := kc_priorities_given(p);
  r jsonb;
begin
  if v_err is not null then
    return v_err;
  end if;
  r := kc_project_create_0006(p_user, p_username, p_peer, p_role, p_scope, p);
  perform set_config('kc.priorities', '', true);
  return r;
end $$;

--
-- Name: kc_project_create_0006(bigint, text, text, text, bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_project_create_0006(p_user bigint, p_username text, p_peer text, p_role text, p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE plpgsql
    AS $$
declare
  v plans;
  r projects;
  v_id bigint;
  v_viol jsonb;
  v_after jsonb;
  v_check jsonb;
begin
  select * into v from plans where id = (p->>'plan_id')::bigint for update;
  if not found or p_scope is null or not kc_plan_visible(v.org_id, v.scope, v.status, p_scope) then
    return kc_err(1004, 'no such plan');
  end if;
  if v.status <> 'draft' then
    return kc_err(1010, format('projects are added to a draft plan; this plan is %s', v.status),
                  jsonb_build_object('status', v.status));
  end if;
  r := kc_project_apply(null::projects, p);
  v_viol := kc_project_violations(p, r.start_date, r.end_date);
  if jsonb_array_length(v_viol) > 0 then
    return kc_err(1022, v_viol->0->>'message', jsonb_build_object('violations', v_viol));
  end if;
  perform kc_actor_set(p_user, p_role);
  begin
  insert into projects (plan_id, code, title, kind, implementer, partners, locations, rationale,
                        legal_basis, objectives, scale_and_novelty, work_items, implementation,
                        impact, procurement, sector, priority_area, export, local_materials,
                        labour_intensive, supporting_industry, typical_product, start_date,
                        end_date, no_double_funding, cap_code, total_cost, created_by)
  values (v.id, '', r.title, coalesce(r.kind, 'regular'), r.implementer,
          coalesce(r.partners, '[]'), coalesce(r.locations, '[]'), r.rationale, r.legal_basis,
          r.objectives, r.scale_and_novelty, coalesce(r.work_items, '[]'), r.implementation,
          r.impact, coalesce(r.procurement, 'selection'), r.sector, r.priority_area,
          coalesce(r.export, false), coalesce(r.local_materials, false),
          coalesce(r.labour_intensive, false), coalesce(r.supporting_industry, false),
          coalesce(r.typical_product, false), r.start_date, r.end_date,
          coalesce(r.no_double_funding, false), r.cap_code, r.total_cost, p_user)
  returning id into v_id;
  perform kc_project_write_lists(v_id, p);
  -- the rules (kc_project_check): any violation undoes the writes above
  -- (the code counter too) and is answered 1022, warnings are saved
  v_check := kc_project_check(v_id, false);
  if jsonb_array_length(v_check->'violations') > 0 then
    raise exception 'project rules' using errcode = 'KC022';
  end if;
  exception when sqlstate 'KC022' then
    return kc_err(1022, v_check->'violations'->0->>'message',
                  jsonb_build_object('violations', v_check->'violations',
                                     'warnings', v_check->'warnings'));
  end;
  update projects set checked_cap_id = (v_check->'cap'->>'id')::bigint,
                      checked_on = (v_check->>'checked_on')::date, checked_at = now(),
                      check_warnings = v_check->'warnings'
   where id = v_id;
  v_after := kc_project_json(v_id, true);
  perform kc_audit(p_user, p_username, p_peer, 'project.create', 'project', v_id, null,
                   v_after - 'history');
  return jsonb_build_object('result', v_after);
end $$;

--
-- Name: kc_project_delete(bigint, text, text, text, bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_project_delete(p_user bigint, p_username text, p_peer text, p_role text, p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE plpgsql
    AS $$
declare
  cur projects;
  v plans;
  v_err jsonb;
  v_before jsonb;
begin
  select * into cur from projects where id = (p->>'id')::bigint for update;
  if found then
    select * into v from plans where id = cur.plan_id;
  end if;
  v_err := kc_record_check('project', cur.id is not null and p_scope is not null
                                      and kc_plan_visible(v.org_id, v.scope, v.status, p_scope),
                           cur.version, (p->>'version')::integer, cur.status, array['draft']);
  if v_err is not null then
    return v_err;
  end if;
  v_before := kc_project_json(cur.id, true) - 'history';
  perform kc_actor_set(p_user, p_role);
  delete from projects where id = cur.id;
  perform kc_audit(p_user, p_username, p_peer, 'project.delete', 'project', cur.id, v_before, null);
  return jsonb_build_object('result', jsonb_build_object('id', cur.id, 'code', cur.code,
                                                         'deleted', true));
end $$;

--
-- Name: kc_project_extension(bigint); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_project_extension(p_id bigint) RETURNS integer
    LANGUAGE plpgsql STABLE
    AS $$
begin
  return case when exists (select 1 from project_adjustments a
                            where a.project_id = p_id and a.type = 'extend_next_year'
                              and a.status = 'approved')
                or exists (select 1 from plan_decision_items i
                            where i.project_id = p_id and i.action = 'extend') then 1 else 0 end;
end $$;

--
-- Name: kc_project_fail_base_appraisal(bigint, text, text, text, bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_project_fail_base_appraisal(p_user bigint, p_username text, p_peer text, p_role text, p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE plpgsql
    AS $$
declare
  pr projects;
  v plans;
  v_err jsonb;
  v_before jsonb;
  v_after jsonb;
begin
  select * into pr from projects where id = (p->>'id')::bigint for update;
  if found then
    select * into v from plans where id = pr.plan_id for update;
  end if;
  if pr.id is null or p_scope is null or not kc_plan_visible(v.org_id, v.scope, v.status, p_scope) then
    return kc_err(1004, 'no such project');
  end if;
  if p_role <> 'province_leader' then
    return kc_err(1003, 'the base appraisal is the Department''s leader''s (TT 36/2013 Art. 8.1.a)');
  end if;
  v_err := kc_record_check('project', true, pr.version, (p->>'version')::integer, pr.status,
                           array['submitted']);
  if v_err is not null then
    return v_err;
  end if;
  if v.status <> 'submitted' or pr.stage <> 'registered' then
    return kc_err(1010, 'only a project of a plan awaiting the base appraisal fails it',
                  jsonb_build_object('status', pr.status, 'stage', pr.stage, 'plan_status', v.status));
  end if;
  v_before := kc_project_json(pr.id, true) - 'history';
  perform kc_actor_set(p_user, p_role, p->>'reason', null);
  update projects set status = 'rejected', stage = 'base_appraisal_failed', version = version + 1
   where id = pr.id;
  v_after := kc_project_json(pr.id, true);
  perform kc_audit(p_user, p_username, p_peer, 'project.fail_base_appraisal', 'project', pr.id, v_before,
                   v_after - 'history');
  return jsonb_build_object('result', v_after);
end $$;

--
-- Name: kc_project_get(bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_project_get(p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE plpgsql STABLE
    AS $$
declare
  v_res jsonb := kc_project_get_0036(p_scope, p);
begin
  if v_res ? 'result' then
    v_res := jsonb_set(v_res, '{result,acceptance_dossier}',
                       coalesce(kc_acceptance_dossier_json((p->>'id')::bigint), 'null'::jsonb));
  end if;
  return v_res;
end $$;

--
-- Name: kc_project_get_0036(bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_project_get_0036(p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE plpgsql STABLE
    AS $$
begin
  return coalesce(
    (select jsonb_build_object('result', kc_project_json(pr.id, true))
       from projects pr join plans pl on pl.id = pr.plan_id
      where pr.id = (p->>'id')::bigint and kc_plan_visible(pl.org_id, pl.scope, pl.status, p_scope)),
    kc_err(1004, 'no such project'));
end $$;

--
-- Name: kc_project_import(bigint, text, text, text, bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_project_import(p_user bigint, p_username text, p_peer text, p_role text, p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE plpgsql
    AS $_$
declare
  v plans;
  v_errors jsonb := coalesce(p->'errors', '[]'::jsonb);
  v_codes jsonb := '[]'::jsonb;
  v_row jsonb;
  v_res jsonb;
  v_viol jsonb;
  v_col text;
begin
  select * into v from plans where id = (p->>'plan_id')::bigint for update;
  if not found or p_scope is null or not kc_plan_visible(v.org_id, v.scope, v.status, p_scope) then
    return kc_err(1004, 'no such plan');
  end if;
  if v.status <> 'draft' then
    return kc_err(1010, format('projects are imported into a draft plan; this plan is %s', v.status),
                  jsonb_build_object('status', v.status));
  end if;
  begin
    for v_row in select e from jsonb_array_elements(coalesce(p->'rows', '[]'::jsonb)) e loop
      begin
        v_res := kc_project_create(p_user, p_username, p_peer, p_role, p_scope,
                                   (v_row->'project') || jsonb_build_object('plan_id', v.id));
      exception when others then
        -- a rule of a trigger (KC0xx) or a constraint: this row's problem;
        -- anything else (serialization, internal) is not
        if sqlstate like 'KC%' then
          v_res := kc_err(1022, sqlerrm, jsonb_build_object('violations', jsonb_build_array(
                            kc_violation(null, 'rule', sqlerrm))));
        elsif sqlstate like '22%' or sqlstate like '23%' then
          v_res := kc_err(1022, 'this row conflicts with a rule or another record',
                          jsonb_build_object('violations', jsonb_build_array(kc_violation(null,
                            'constraint', 'this row conflicts with a rule or another record'))));
        else
          raise;
        end if;
      end;
      if v_res ? 'result' then
        v_codes := v_codes || to_jsonb(v_res->'result'->>'code');
      elsif (v_res->'error'->>'code')::integer = 1022
            and jsonb_typeof(v_res->'error'->'data'->'violations') = 'array' then
        for v_viol in select e from jsonb_array_elements(v_res->'error'->'data'->'violations') e loop
          v_col := coalesce(v_row->'fields'->>(v_viol->>'field'),
                            v_row->'fields'->>(regexp_replace(v_viol->>'field', '\.[a-z_]+$', '')),
                            v_viol->>'field');
          v_errors := v_errors || jsonb_build_object('row', (v_row->>'row')::integer,
                                                     'line', (v_row->>'line')::integer,
                                                     'column', v_col,
                                                     'message', v_viol->>'message');
        end loop;
      else
        v_errors := v_errors || jsonb_build_object('row', (v_row->>'row')::integer,
                                                   'line', (v_row->>'line')::integer,
                                                   'column', null,
                                                   'message', v_res->'error'->>'message');
      end if;
    end loop;
    if jsonb_array_length(v_errors) > 0 then
      raise exception 'import refused' using errcode = 'KC099';
    end if;
    perform kc_audit(p_user, p_username, p_peer, 'project.import', 'plan', v.id, null,
                     jsonb_build_object('created', jsonb_array_length(v_codes), 'codes', v_codes));
  exception when sqlstate 'KC099' then
    -- everything written above is undone; the report stays
    select coalesce(jsonb_agg(e order by (e->>'row')::integer, ord), '[]'::jsonb) into v_errors
      from jsonb_array_elements(v_errors) with ordinality x (e, ord);
    return kc_err(1022, format('the file has %s problem(s); nothing was imported',
                               jsonb_array_length(v_errors)),
                  jsonb_build_object(
                    'errors', v_errors,
                    'violations', (select jsonb_agg(kc_violation(
                                      case when e->>'column' is null
                                           then format('rows[%s]', e->>'row')
                                           else format('rows[%s].%s', e->>'row', e->>'column') end,
                                      'import', e->>'message'))
                                     from jsonb_array_elements(v_errors) e)));
  end;
  return jsonb_build_object('result', jsonb_build_object('created', jsonb_array_length(v_codes),
                                                         'codes', v_codes));
end $_$;

--
-- Name: kc_project_json(bigint, boolean); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_project_json(p_id bigint, p_full boolean) RETURNS jsonb
    LANGUAGE plpgsql STABLE
    AS $$
declare
  v jsonb := kc_project_json_0008(p_id, p_full);
begin
  if v is null then
    return null;
  end if;
  return v || jsonb_build_object('priorities',
    to_jsonb(array(select x from unnest((select priorities from projects where id = p_id)) x
                   union
                   select 'typical_product' where coalesce((v->>'typical_product')::boolean, false)
                   order by 1)));
end $$;

--
-- Name: kc_project_json_0008(bigint, boolean); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_project_json_0008(p_id bigint, p_full boolean) RETURNS jsonb
    LANGUAGE plpgsql STABLE
    AS $$
declare
  -- looked up once for the flag and the list (PL/pgSQL: see 0005)
  v_certs jsonb := case when p_full then kc_project_typical_certificates(p_id) end;
begin
  return (select jsonb_build_object(
           'id', pr.id, 'code', pr.code, 'plan_id', pr.plan_id, 'year', pl.year,
           'scope', pl.scope, 'org_id', pl.org_id, 'title', pr.title, 'kind', pr.kind,
           'status', pr.status, 'stage', pr.stage,
           'content_category', (select c.content_code from project_categories c
                                 where c.project_id = pr.id and c.is_primary),
           'content_categories', coalesce((select jsonb_agg(c.content_code
                                                   order by not c.is_primary, c.content_code)
                                             from project_categories c where c.project_id = pr.id),
                                          '[]'::jsonb),
           'total', (select coalesce(sum(b.amount), 0) from project_budget_lines b
                      where b.project_id = pr.id),
           'priority_area', pr.priority_area, 'sector', pr.sector,
           'cancellation', (select to_jsonb(c) - 'project_id' from project_cancellations c where c.project_id = pr.id),
           'acceptance', (select to_jsonb(a) - 'project_id' from project_acceptances a where a.project_id = pr.id),
           'version', pr.version, 'updated_at', kc_instant(pr.updated_at))
         || case when not p_full then '{}'::jsonb else jsonb_build_object(
           'implementer', pr.implementer, 'partners', pr.partners, 'locations', pr.locations,
           'rationale', pr.rationale, 'legal_basis', pr.legal_basis, 'objectives', pr.objectives,
           'scale_and_novelty', pr.scale_and_novelty, 'work_items', pr.work_items,
           'implementation', pr.implementation, 'impact', pr.impact,
           'procurement', pr.procurement, 'export', pr.export,
           'local_materials', pr.local_materials, 'labour_intensive', pr.labour_intensive,
           'supporting_industry', pr.supporting_industry,
           'typical_product', jsonb_array_length(v_certs) > 0,
           'typical_product_certificates', v_certs,
           'start_date', pr.start_date, 'end_date', pr.end_date,
           'no_double_funding', pr.no_double_funding,
           'cap_code', pr.cap_code, 'total_cost', pr.total_cost,
           'checked_cap_id', pr.checked_cap_id, 'checked_on', pr.checked_on,
           'checked_at', kc_instant(pr.checked_at), 'warnings', pr.check_warnings,
           'copied_from', pr.copied_from,
           'created_by', pr.created_by, 'created_at', kc_instant(pr.created_at))
         || jsonb_build_object(
           'budget_lines', coalesce((select jsonb_agg(jsonb_build_object('source', b.source, 'amount', b.amount)
                                                      order by fs.sort, b.source)
                                       from project_budget_lines b
                                       join funding_sources fs on fs.code = b.source
                                      where b.project_id = pr.id), '[]'::jsonb),
           'indicators', coalesce((select jsonb_agg(jsonb_build_object('code', i.indicator, 'target', i.target,
                                                                       'achieved', i.achieved)
                                                    order by i.indicator)
                                     from project_indicators i where i.project_id = pr.id), '[]'::jsonb),
           'beneficiaries', coalesce((select jsonb_agg(jsonb_build_object('id', b.id, 'name', b.name, 'kind', b.kind,
                                                                          'tax_code', b.tax_code, 'commune', b.commune,
                                                                          'province_org_id', b.province_org_id)
                                                       order by b.id)
                                        from project_beneficiaries b where b.project_id = pr.id), '[]'::jsonb),
           'history', coalesce((select jsonb_agg(jsonb_build_object('from_status', h.from_status, 'to_status', h.to_status,
                                                                    'from_stage', h.from_stage, 'to_stage', h.to_stage,
                                                                    'actor_id', h.actor_id, 'actor_role', h.actor_role,
                                                                    'at', kc_instant(h.at), 'comment', h.comment,
                                                                    'document_no', h.document_no)
                                                 order by h.id)
                                  from project_history h where h.project_id = pr.id), '[]'::jsonb)) end
    from projects pr join plans pl on pl.id = pr.plan_id
   where pr.id = p_id);
end $$;

--
-- Name: kc_project_kind_bounds(public.projects, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_project_kind_bounds(pr public.projects, v_res jsonb) RETURNS jsonb
    LANGUAGE plpgsql STABLE
    AS $$
declare
  b project_kind_bounds;
  v_drop text[] := '{}';
begin
  select * into b from project_kind_bounds
   where kind = pr.kind and kc_valid_on(valid_from, valid_to, (v_res->>'checked_on')::date);
  if not found then
    return v_res;
  end if;
  if b.max_years is null then
    v_drop := v_drop || 'max_years'::text;
  end if;
  if b.min_beneficiaries is null then
    v_drop := v_drop || 'min_beneficiaries'::text;
  end if;
  if cardinality(v_drop) = 0 then
    return v_res;
  end if;
  return jsonb_set(jsonb_set(v_res,
    '{violations}', coalesce((select jsonb_agg(x) from jsonb_array_elements(v_res->'violations') x
                               where not (x->>'rule' = any (v_drop))), '[]')),
    '{warnings}', coalesce((select jsonb_agg(x) from jsonb_array_elements(v_res->'warnings') x
                             where not (x->>'rule' = any (v_drop))), '[]'));
end $$;

--
-- Name: kc_project_last_year(bigint); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_project_last_year(p_id bigint) RETURNS integer
    LANGUAGE sql STABLE
    AS $$
  select greatest(pl.year + kc_project_extension(p_id),
                  coalesce((select max(c.to_year) from carry_overs c where c.project_id = p_id), pl.year))
    from projects pr join plans pl on pl.id = pr.plan_id
   where pr.id = p_id
$$;

--
-- Name: kc_project_list(bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_project_list(p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE plpgsql STABLE
    AS $_$
declare
  v_n integer := coalesce((p->>'limit')::integer, 100);
  v_q text := nullif(p->>'q', '');
  v_from text := 'from projects pr join plans pl on pl.id = pr.plan_id where ';
  v_filtered boolean := false;
  v_ids bigint[];
  v_shown bigint[];
begin
  -- $1 scope, $2 cursor, $3 plan, $4 year, $5 org, $6 plan scope, $7 status,
  -- $8 stage, $9 kind, $10 priority area, $11 category, $12 LIKE pattern,
  -- $13 rows to read
  if p_scope is null then
    v_from := v_from || '(pl.scope = ''local'' or pl.status not in (''draft'', ''submitted''))';
  else
    v_from := v_from || 'pl.org_id in (select org_scope($1))';
  end if;
  if p->>'cursor' is not null then
    v_from := v_from || ' and pr.id > $2';
  end if;
  if p->>'plan_id' is not null then
    v_from := v_from || ' and pr.plan_id = $3';
  end if;
  if p->>'year' is not null then
    v_from := v_from || ' and pl.year = $4';
  end if;
  if p->>'org_id' is not null then
    v_from := v_from || ' and pl.org_id in (select org_scope($5))';
  end if;
  if p->>'scope' is not null then
    v_from := v_from || ' and pl.scope = $6';
  end if;
  if p->>'status' is not null then
    v_from := v_from || ' and pr.status = $7';
  end if;
  if p->>'stage' is not null then
    v_from := v_from || ' and pr.stage = $8';
  end if;
  if p->>'kind' is not null then
    v_from := v_from || ' and pr.kind = $9';
  end if;
  if p->>'priority_area' is not null then
    v_from := v_from || ' and pr.priority_area = $10';
  end if;
  if p->>'category' is not null then
    v_from := v_from || ' and exists (select 1 from project_categories c'
                        ' where c.project_id = pr.id and c.content_code = $11)';
  end if;
  if v_q is not null then
    v_from := v_from || ' and pr.id in (select s.project_id from project_search s'
                        ' where s.search_text like $12)';
  end if;
  v_filtered := p - array['cursor', 'limit', 'brief'] <> '{}'::jsonb;
  -- Ids grow with time and so do years and statuses: a filter's rows are
  -- seldom spread evenly over the ids, which the planner assumes when it
  -- walks the primary key to the first page (the 5,000 projects of this
  -- year, say, are past 80,000 older ones). So a filtered list first reads
  -- its rows in whatever order the indexes give, at most $13 of them: if
  -- that is all of them (a selective filter), they are sorted here and the
  -- page taken from them; only a filter matching more walks the ids in
  -- order, where matching rows are then dense enough to find a page soon.
  if v_filtered then
    execute 'select array_agg(id order by id) from (select pr.id ' || v_from || ' limit $13) x'
      into v_ids
      using p_scope, (p->>'cursor')::bigint, (p->>'plan_id')::bigint, (p->>'year')::integer,
            (p->>'org_id')::bigint, p->>'scope', p->>'status', p->>'stage', p->>'kind',
            p->>'priority_area', p->>'category',
            '%' || kc_like_escape(kc_fold(v_q)) || '%', greatest(5000, 4 * v_n);
  end if;
  if v_filtered and coalesce(cardinality(v_ids), 0) < greatest(5000, 4 * v_n) then
    v_ids := v_ids[1:v_n + 1];
  else
    execute 'select array_agg(id order by id) from (select pr.id ' || v_from
            || ' order by pr.id limit $13) x'
      into v_ids
      using p_scope, (p->>'cursor')::bigint, (p->>'plan_id')::bigint, (p->>'year')::integer,
            (p->>'org_id')::bigint, p->>'scope', p->>'status', p->>'stage', p->>'kind',
            p->>'priority_area', p->>'category',
            '%' || kc_like_escape(kc_fold(v_q)) || '%', v_n + 1;
  end if;
  v_shown := coalesce(v_ids[1:v_n], '{}');
  return jsonb_build_object('result', jsonb_build_object(
    'items', coalesce(
      case when coalesce((p->>'brief')::boolean, false) then
        -- What a list of thousands shows (the desktop's Projects page): a
        -- fifth of the full item's cost in PostgreSQL, a third of its size.
        (select jsonb_agg(jsonb_build_object(
                  'id', pr.id, 'code', pr.code, 'plan_id', pr.plan_id, 'year', pl.year,
                  'org_id', pl.org_id, 'title', pr.title, 'status', pr.status,
                  'stage', pr.stage, 'version', pr.version,
                  'total', (select coalesce(sum(b.amount), 0) from project_budget_lines b
                             where b.project_id = pr.id)) order by pr.id)
           from projects pr join plans pl on pl.id = pr.plan_id
          where pr.id = any (v_shown))
      else (select jsonb_agg(kc_project_json(s.id, false) order by s.id)
              from unnest(v_shown) s (id)) end,
      '[]'::jsonb),
    'next_cursor', case when cardinality(v_ids) > v_n then v_shown[v_n]::text end));
end $_$;

--
-- Name: kc_project_money(bigint); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_project_money(p_id bigint) RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$
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

--
-- Name: kc_project_priorities(public.projects); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_project_priorities(pr public.projects) RETURNS text[]
    LANGUAGE sql STABLE
    AS $$
  select array(select x from unnest(pr.priorities) x
               union
               select 'typical_product' where kc_project_typical(pr.id)
               order by 1)
$$;

--
-- Name: kc_project_record_check(bigint, boolean); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_project_record_check(p_id bigint, p_submission boolean) RETURNS jsonb
    LANGUAGE plpgsql
    AS $$
declare
  v_check jsonb := kc_project_check(p_id, p_submission);
begin
  update projects set checked_cap_id = (v_check->'cap'->>'id')::bigint,
                      checked_on = (v_check->>'checked_on')::date, checked_at = now(),
                      check_warnings = v_check->'warnings'
   where id = p_id;
  return v_check;
end $$;

--
-- Name: kc_project_resubmit(bigint, text, text, text, bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_project_resubmit(p_user bigint, p_username text, p_peer text, p_role text, p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE plpgsql
    AS $$
declare
  pr projects := kc_review_project(p_scope, (p->>'id')::bigint, true);
  v_err jsonb;
  v_check jsonb;
  v_before jsonb;
  v_after jsonb;
begin
  v_err := kc_record_check('project', pr.id is not null and p_scope is not null, pr.version,
                           (p->>'version')::integer, pr.status, array['revision_requested']);
  if v_err is not null then
    return v_err;
  end if;
  v_check := kc_project_check(pr.id, true);
  if jsonb_array_length(v_check->'violations') > 0 then
    return kc_err(1022, v_check->'violations'->0->>'message',
                  jsonb_build_object('violations', v_check->'violations',
                                     'warnings', v_check->'warnings'));
  end if;
  v_before := kc_project_json(pr.id, false);
  perform kc_actor_set(p_user, p_role, p->>'comment');
  update projects set status = 'submitted', stage = 'resubmitted', version = version + 1
   where id = pr.id;
  perform kc_project_record_check(pr.id, true);
  v_after := kc_project_json(pr.id, false);
  perform kc_audit(p_user, p_username, p_peer, 'project.resubmit', 'project', pr.id, v_before, v_after);
  return jsonb_build_object('result', v_after);
end $$;

--
-- Name: plans; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.plans (
    id bigint NOT NULL,
    org_id bigint NOT NULL,
    year integer NOT NULL,
    scope text NOT NULL,
    status text DEFAULT 'draft'::text NOT NULL,
    title text,
    note text,
    submitted_by bigint,
    submitted_at timestamp with time zone,
    appraised_by bigint,
    appraised_at timestamp with time zone,
    appraisal_decision text,
    appraisal_comment text,
    appraisal_sheet jsonb,
    forwarded_at timestamp with time zone,
    late boolean DEFAULT false NOT NULL,
    deadline date,
    decision_no text,
    decision_date date,
    decision_issuer text,
    approved_by bigint,
    approved_at timestamp with time zone,
    version integer DEFAULT 1 NOT NULL,
    created_by bigint NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT plans_appraisal_decision_check CHECK ((appraisal_decision = ANY (ARRAY['forward'::text, 'return'::text]))),
    CONSTRAINT plans_appraisal_sheet_check CHECK (((appraisal_sheet IS NULL) OR (jsonb_typeof(appraisal_sheet) = 'object'::text))),
    CONSTRAINT plans_check CHECK (((status <> 'approved'::text) OR (scope = 'national'::text) OR (decision_no IS NOT NULL))),
    CONSTRAINT plans_decision_issuer_check CHECK ((length(decision_issuer) <= 300)),
    CONSTRAINT plans_decision_no_check CHECK ((length(decision_no) <= 100)),
    CONSTRAINT plans_scope_check CHECK ((scope = ANY (ARRAY['national'::text, 'local'::text]))),
    CONSTRAINT plans_status_check CHECK ((status = ANY (ARRAY['draft'::text, 'submitted'::text, 'forwarded'::text, 'approved'::text]))),
    CONSTRAINT plans_title_check CHECK ((length(title) <= 500)),
    CONSTRAINT plans_year_check CHECK (((year >= 2014) AND (year <= 2100)))
);

--
-- Name: kc_project_rules_0025(public.projects, public.plans, jsonb, boolean); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_project_rules_0025(pr public.projects, pl public.plans, v_res jsonb, p_submission boolean) RETURNS jsonb
    LANGUAGE plpgsql STABLE
    AS $$
declare
  v_soft text := case when p_submission then 'violations' else 'warnings' end;
  cc content_categories;
  v_bad text;
begin
  select c.* into cc from project_categories pc join content_categories c on c.code = pc.content_code
   where pc.project_id = pr.id and pc.is_primary;
  if cc.requires_bidding and coalesce(pr.procurement, 'selection') <> 'bidding' then
    v_res := kc_check_push(v_res, case when pl.scope = 'national' then v_soft else 'warnings' end,
      kc_violation('procurement', 'bidding',
        format('the content %s is procured by bidding (đấu thầu) under the Procurement Law, not by selection (TT 36/2013 Art. 3)',
               cc.code)));
  end if;
  if pr.kind = 'group' then
    select string_agg(c.code, ', ' order by c.code) into v_bad
      from project_categories pc join content_categories c on c.code = pc.content_code
     where pc.project_id = pr.id and not c.group_project_eligible;
    if v_bad is not null then
      v_res := kc_check_push(v_res, 'violations', kc_violation('kind', 'group_project_eligible',
        format('a group project (đề án nhóm) covers only the contents TT 17/2018 lists; not: %s', v_bad)));
    end if;
    if cc.code = 'ND45.4.3' then
      if not exists (select 1 from project_beneficiaries where project_id = pr.id) then
        v_res := kc_check_push(v_res, v_soft, kc_violation('beneficiaries', 'group_machinery',
          'a group machinery project names its beneficiaries at the Ministry''s appraisal (TT 17/2018)'));
      end if;
      if jsonb_array_length(coalesce(pr.locations, '[]')) = 0 then
        v_res := kc_check_push(v_res, v_soft, kc_violation('locations', 'group_machinery',
          'a group machinery project names its locations at the Ministry''s appraisal (TT 17/2018)'));
      end if;
    end if;
  end if;
  return v_res;
end $$;

--
-- Name: kc_project_search_refresh(bigint, text, text); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_project_search_refresh(p_id bigint, p_code text, p_title text) RETURNS void
    LANGUAGE plpgsql
    AS $$
declare
  v text := kc_fold(concat_ws(' ', p_code, p_title,
                              (select string_agg(b.name, ' ' order by b.id)
                                 from project_beneficiaries b where b.project_id = p_id)));
begin
  update project_search set search_text = v where project_id = p_id and search_text is distinct from v;
  if not found then
    -- the same text, or no row yet (a project loaded with the triggers off)
    insert into project_search (project_id, search_text) values (p_id, v)
    on conflict (project_id) do nothing;
  end if;
end $$;

--
-- Name: kc_project_search_text(bigint, text, text); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_project_search_text(p_id bigint, p_code text, p_title text) RETURNS text
    LANGUAGE plpgsql STABLE
    AS $$
begin
  return kc_fold(concat_ws(' ', p_code, p_title,
                           (select string_agg(b.name, ' ' order by b.id)
                              from project_beneficiaries b where b.project_id = p_id)));
end $$;

--
-- Name: kc_project_set_cost_items(bigint, text, text, text, bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_project_set_cost_items(p_user bigint, p_username text, p_peer text, p_role text, p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE plpgsql
    AS $$
declare
  cur projects;
  v plans;
  c support_caps;
  v_err jsonb;
  v_before jsonb;
  v_after jsonb;
  v_total numeric;
  v_mgmt numeric;
  v_limit numeric;
  v_warnings jsonb := '[]'::jsonb;
  v_msg text;
begin
  select * into cur from projects where id = (p->>'id')::bigint for update;
  if found then
    select * into v from plans where id = cur.plan_id;
  end if;
  v_err := kc_record_check('project', cur.id is not null and p_scope is not null
                                      and kc_plan_visible(v.org_id, v.scope, v.status, p_scope),
                           cur.version, (p->>'version')::integer, cur.status,
                           array['draft', 'revision_requested']);
  if v_err is not null then
    return v_err;
  end if;
  -- C24: management items within their share of the whole estimate
  select coalesce(sum(x.t), 0), coalesce(sum(x.t) filter (where x.m), 0) into v_total, v_mgmt
    from (select coalesce((e->>'central')::numeric, 0) + coalesce((e->>'local')::numeric, 0)
                 + coalesce((e->>'counterpart')::numeric, 0) + coalesce((e->>'other')::numeric, 0) as t,
                 coalesce((e->>'management')::boolean, false) as m
            from jsonb_array_elements(p->'items') e) x;
  select * into c from support_caps
   where cap_code = 'C24' and kc_valid_on(valid_from, valid_to, kc_rules_day(v))
   order by valid_from desc limit 1;
  if v_mgmt > 0 and c.pct_cap is not null then
    v_limit := floor(v_total * c.pct_cap / 100);
    if v_mgmt > v_limit then
      v_msg := format('the implementer''s management costs (%s đồng) exceed %s %% of the estimate of %s đồng: at most %s đồng (C24, %s)%s',
                      v_mgmt, c.pct_cap, v_total, v_limit, c.legal_act,
                      case when c.confidence = 'U' then '; this cap value is unconfirmed (confidence U)' else '' end);
      if c.confidence <> 'U' then
        return kc_rule_err('items', 'management_cost', v_msg,
                           jsonb_build_object('limit', v_limit, 'management', v_mgmt, 'cap_id', c.id));
      end if;
      v_warnings := jsonb_build_array(kc_violation('items', 'management_cost', v_msg));
    end if;
  end if;
  v_before := jsonb_build_object('version', cur.version, 'cost_items', kc_cost_items_json(cur.id));
  perform kc_actor_set(p_user, p_role);
  delete from project_cost_items where project_id = cur.id;
  insert into project_cost_items (project_id, seq, item, unit, quantity, unit_price, central, local,
                                  counterpart, other, management)
  select cur.id, i, e->>'item', e->>'unit', (e->>'quantity')::bigint, (e->>'unit_price')::bigint,
         coalesce((e->>'central')::bigint, 0), coalesce((e->>'local')::bigint, 0),
         coalesce((e->>'counterpart')::bigint, 0), coalesce((e->>'other')::bigint, 0),
         coalesce((e->>'management')::boolean, false)
    from jsonb_array_elements(p->'items') with ordinality t (e, i);
  update projects set version = version + 1 where id = cur.id;
  v_after := jsonb_build_object('version', cur.version + 1, 'cost_items', kc_cost_items_json(cur.id));
  perform kc_audit(p_user, p_username, p_peer, 'project.set_cost_items', 'project', cur.id, v_before, v_after);
  return jsonb_build_object('result', jsonb_build_object('id', cur.id) || v_after
                                      || jsonb_build_object('warnings', v_warnings));
end $$;

--
-- Name: kc_project_submit_acceptance(bigint, text, text, text, bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_project_submit_acceptance(p_user bigint, p_username text, p_peer text, p_role text, p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE plpgsql
    AS $$
declare
  pr projects;
  v plans;
  v_err jsonb;
  v_viol jsonb;
  v_before jsonb;
  v_after jsonb;
begin
  select * into pr from projects where id = (p->>'id')::bigint for update;
  if found then
    select * into v from plans where id = pr.plan_id;
  end if;
  v_err := kc_record_check('project', pr.id is not null and p_scope is not null
                                      and kc_plan_visible(v.org_id, v.scope, v.status, p_scope),
                           pr.version, (p->>'version')::integer, pr.status, array['in_progress']);
  if v_err is not null then
    return v_err;
  end if;
  if pr.stage not in ('advanced', 'acceptance_submitted') then
    return kc_err(1010, format('the acceptance dossier waits until the adjustment is decided; the project is %s',
                               pr.stage),
                  jsonb_build_object('status', pr.status, 'stage', pr.stage));
  end if;
  v_viol := kc_achieved_violations(pr.id, p->'indicators');
  if jsonb_array_length(v_viol) > 0 then
    return kc_err(1022, v_viol->0->>'message', jsonb_build_object('violations', v_viol));
  end if;
  v_before := jsonb_build_object('stage', pr.stage, 'version', pr.version,
                                 'acceptance_dossier', kc_acceptance_dossier_json(pr.id));
  perform kc_actor_set(p_user, p_role, p->>'report', null);
  insert into project_acceptance_dossiers as d (project_id, report, indicators, submitted_by)
  values (pr.id, p->>'report', coalesce(p->'indicators', '[]'), p_user)
  on conflict (project_id) do update
    set report = excluded.report, indicators = excluded.indicators,
        submitted_by = excluded.submitted_by, submitted_at = now(), version = d.version + 1;
  update projects set stage = 'acceptance_submitted', version = version + 1 where id = pr.id
  returning * into pr;
  v_after := jsonb_build_object('stage', pr.stage, 'version', pr.version,
                                'acceptance_dossier', kc_acceptance_dossier_json(pr.id));
  perform kc_audit(p_user, p_username, p_peer, 'project.submit_acceptance', 'project', pr.id,
                   v_before, v_after);
  return jsonb_build_object('result', kc_acceptance_dossier_json(pr.id)
                                      || jsonb_build_object('project_version', pr.version,
                                                            'stage', pr.stage, 'code', pr.code));
end $$;

--
-- Name: kc_project_typical(bigint); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_project_typical(p_id bigint) RETURNS boolean
    LANGUAGE plpgsql STABLE
    AS $$
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

--
-- Name: kc_project_typical_certificates(bigint); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_project_typical_certificates(p_id bigint) RETURNS jsonb
    LANGUAGE plpgsql STABLE
    AS $$
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

--
-- Name: kc_project_typical_certificates_0045(bigint); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_project_typical_certificates_0045(p_id bigint) RETURNS jsonb
    LANGUAGE plpgsql STABLE
    AS $$
declare
  v_on date;
begin
  if not exists (select 1 from project_beneficiaries b
                  where b.project_id = p_id and b.tax_code is not null) then
    return '[]'::jsonb;
  end if;
  select make_date(pl.year, 1, 1) into v_on
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

--
-- Name: kc_project_update(bigint, text, text, text, bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_project_update(p_user bigint, p_username text, p_peer text, p_role text, p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE plpgsql
    AS $$
declare
  v_err jsonb := kc_priorities_given(p);
  r jsonb;
begin
  if v_err is not null then
    return v_err;
  end if;
  r := kc_project_update_0023(p_user, p_username, p_peer, p_role, p_scope, p);
  perform set_config('kc.priorities', '', true);
  return r;
end $$;

--
-- Name: kc_project_update_0023(bigint, text, text, text, bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_project_update_0023(p_user bigint, p_username text, p_peer text, p_role text, p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE plpgsql
    AS $$
declare
  cur projects;
  r projects;
  v plans;
  v_err jsonb;
  v_viol jsonb;
  v_before jsonb;
  v_after jsonb;
  v_check jsonb;
  v_changed_before jsonb;
  v_changed_after jsonb;
begin
  select * into cur from projects where id = (p->>'id')::bigint for update;
  if found then
    select * into v from plans where id = cur.plan_id;
  end if;
  v_err := kc_record_check('project', cur.id is not null and p_scope is not null
                                      and kc_plan_visible(v.org_id, v.scope, v.status, p_scope),
                           cur.version, (p->>'version')::integer, cur.status,
                           array['draft', 'revision_requested']);
  if v_err is not null then
    return v_err;
  end if;
  r := kc_project_apply(cur, p);
  v_viol := kc_project_violations(p, r.start_date, r.end_date);
  if jsonb_array_length(v_viol) > 0 then
    return kc_err(1022, v_viol->0->>'message', jsonb_build_object('violations', v_viol));
  end if;
  -- The project as it was, for the audit row, is only needed where it
  -- differs from the project as it is now: when the call replaces a list,
  -- in full (kc_project_json, 0.12 ms); otherwise the old row's own
  -- columns are compared with the new JSON (below).
  if p ?| array['content_category', 'content_categories', 'budget_lines', 'indicators',
                'beneficiaries'] then
    v_before := kc_project_json(cur.id, true) - 'history';
  end if;
  perform kc_actor_set(p_user, p_role);
  -- The rules run once, on the row as it is about to be written with its
  -- new lists (kc_project_check_row), and the row is then written
  -- once with what it was checked against: any violation undoes the lists
  -- and is answered 1022, the warnings are saved with the row.
  begin
  perform kc_project_write_lists(cur.id, p);
  v_check := kc_project_check_row(r, false);
  if jsonb_array_length(v_check->'violations') > 0 then
    raise exception 'project rules' using errcode = 'KC022';
  end if;
  exception when sqlstate 'KC022' then
    return kc_err(1022, v_check->'violations'->0->>'message',
                  jsonb_build_object('violations', v_check->'violations',
                                     'warnings', v_check->'warnings'));
  end;
  update projects set title = r.title, kind = r.kind, implementer = r.implementer,
         partners = r.partners, locations = r.locations, rationale = r.rationale,
         legal_basis = r.legal_basis, objectives = r.objectives,
         scale_and_novelty = r.scale_and_novelty, work_items = r.work_items,
         implementation = r.implementation, impact = r.impact, procurement = r.procurement,
         sector = r.sector, priority_area = r.priority_area, export = r.export,
         local_materials = r.local_materials, labour_intensive = r.labour_intensive,
         supporting_industry = r.supporting_industry, typical_product = r.typical_product,
         start_date = r.start_date, end_date = r.end_date,
         no_double_funding = r.no_double_funding, cap_code = r.cap_code,
         total_cost = r.total_cost, version = version + 1,
         checked_cap_id = (v_check->'cap'->>'id')::bigint,
         checked_on = (v_check->>'checked_on')::date, checked_at = now(),
         check_warnings = v_check->'warnings'
   where id = cur.id;
  v_after := kc_project_json(cur.id, true);
  if v_before is not null then
    select c.before, c.after into v_changed_before, v_changed_after
      from kc_jsonb_changes(v_before, v_after - 'history') c;
  else
    -- One pass over the old row's columns: those kc_project_json copies
    -- keep their name and JSON form there; the ones it formats or derives
    -- (instants, the certificates' typical_product, the warnings) are
    -- replaced by their form in the JSON. Every other member of the JSON
    -- (lists, totals, the plan's) is unchanged without a list in the call.
    select coalesce(jsonb_object_agg(c.key, c.value), '{}'::jsonb),
           coalesce(jsonb_object_agg(c.key, v_after->c.key), '{}'::jsonb)
      into v_changed_before, v_changed_after
      from jsonb_each(to_jsonb(cur) - array['typical_product', 'created_at', 'updated_at',
                                            'checked_at', 'check_warnings']
                      || jsonb_build_object('warnings', cur.check_warnings,
                                            'updated_at', kc_instant(cur.updated_at),
                                            'checked_at', kc_instant(cur.checked_at))) c
     where v_after ? c.key and c.value is distinct from v_after->c.key;
  end if;
  perform kc_audit(p_user, p_username, p_peer, 'project.update', 'project', cur.id,
                   v_changed_before, v_changed_after);
  return jsonb_build_object('result', v_after);
end $$;

--
-- Name: kc_project_violations(jsonb, date, date); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_project_violations(p jsonb, p_start date, p_end date) RETURNS jsonb
    LANGUAGE plpgsql STABLE
    AS $$
begin
  if p ?| array['kind', 'sector', 'priority_area', 'content_category', 'content_categories',
                'budget_lines', 'indicators', 'beneficiaries'] then
    return kc_project_violations_query(p, p_start, p_end);
  end if;
  return case when p_end < p_start
              then jsonb_build_array(kc_violation('end_date', 'order',
                                                  'the end date is before the start date'))
              else '[]'::jsonb end;
end $$;

--
-- Name: kc_project_violations_query(jsonb, date, date); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_project_violations_query(p jsonb, p_start date, p_end date) RETURNS jsonb
    LANGUAGE plpgsql STABLE
    AS $$
begin
  return (select coalesce(jsonb_agg(v), '[]'::jsonb) from (
    select kc_violation('kind', 'exists', 'no such project kind') as v
     where p->>'kind' is not null and not exists (select 1 from project_kinds k where k.code = p->>'kind')
    union all
    select kc_violation('sector', 'exists', 'no such sector')
     where p->>'sector' is not null and not exists (select 1 from sectors s where s.code = p->>'sector')
    union all
    select kc_violation('priority_area', 'exists', 'no such priority area')
     where p->>'priority_area' is not null
       and not exists (select 1 from priority_areas a where a.code = p->>'priority_area')
    union all
    select kc_violation('content_category', 'exists', 'no such content category')
     where p->>'content_category' is not null
       and not exists (select 1 from content_categories c where c.code = p->>'content_category')
    union all
    select kc_violation(format('content_categories[%s]', x.i - 1), 'exists', 'no such content category')
      from jsonb_array_elements_text(coalesce(p->'content_categories', '[]')) with ordinality x (code, i)
     where not exists (select 1 from content_categories c where c.code = x.code)
    union all
    select kc_violation(format('budget_lines[%s].source', x.i - 1),
                        case when x.n > 1 then 'unique' else 'exists' end,
                        case when x.n > 1 then 'this funding source is given twice'
                             else 'no such funding source' end)
      from (select e->>'source' as source, i, count(*) over (partition by e->>'source') as n,
                   row_number() over (partition by e->>'source' order by i) as rn
              from jsonb_array_elements(coalesce(p->'budget_lines', '[]')) with ordinality y (e, i)) x
     where not exists (select 1 from funding_sources f where f.code = x.source) or (x.n > 1 and x.rn > 1)
    union all
    select kc_violation(format('indicators[%s].code', x.i - 1),
                        case when x.n > 1 then 'unique' else 'exists' end,
                        case when x.n > 1 then 'this indicator is given twice' else 'no such indicator' end)
      from (select e->>'code' as code, i, count(*) over (partition by e->>'code') as n,
                   row_number() over (partition by e->>'code' order by i) as rn
              from jsonb_array_elements(coalesce(p->'indicators', '[]')) with ordinality y (e, i)) x
     where not exists (select 1 from indicators d where d.code = x.code) or (x.n > 1 and x.rn > 1)
    union all
    select kc_violation(format('beneficiaries[%s].province_org_id', x.i - 1), 'exists', 'no such province')
      from jsonb_array_elements(coalesce(p->'beneficiaries', '[]')) with ordinality x (e, i)
     where x.e->>'province_org_id' is not null
       and not exists (select 1 from orgs o where o.id = (x.e->>'province_org_id')::bigint
                                               and o.kind = 'province')
    union all
    select kc_violation('end_date', 'order', 'the end date is before the start date')
     where p_end < p_start
  ) t);
end $$;

--
-- Name: kc_project_write_lists(bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_project_write_lists(p_id bigint, p jsonb) RETURNS void
    LANGUAGE plpgsql
    AS $$
declare
  v_primary text;
begin
  if p ? 'content_category' or p ? 'content_categories' then
    v_primary := coalesce(p->>'content_category',
                          (select content_code from project_categories
                            where project_id = p_id and is_primary));
    if p ? 'content_categories' then
      delete from project_categories where project_id = p_id;
    else
      delete from project_categories where project_id = p_id
                                       and (is_primary or content_code = v_primary);
    end if;
    if v_primary is not null then
      insert into project_categories (project_id, content_code, is_primary)
      values (p_id, v_primary, true);
    end if;
    insert into project_categories (project_id, content_code, is_primary)
    select distinct p_id, c, false
      from jsonb_array_elements_text(coalesce(p->'content_categories', '[]')) c
     where c is distinct from v_primary;
  end if;
  if p ? 'budget_lines' then
    delete from project_budget_lines where project_id = p_id;
    insert into project_budget_lines (project_id, source, amount)
    select p_id, e->>'source', (e->>'amount')::bigint
      from jsonb_array_elements(coalesce(p->'budget_lines', '[]')) e;
  end if;
  if p ? 'indicators' then
    delete from project_indicators where project_id = p_id;
    insert into project_indicators (project_id, indicator, target)
    select p_id, e->>'code', (e->>'target')::bigint
      from jsonb_array_elements(coalesce(p->'indicators', '[]')) e;
  end if;
  if p ? 'beneficiaries' then
    delete from project_beneficiaries where project_id = p_id;
    insert into project_beneficiaries (project_id, name, kind, tax_code, commune, province_org_id)
    select p_id, e->>'name', e->>'kind', e->>'tax_code', e->>'commune',
           (e->>'province_org_id')::bigint
      from jsonb_array_elements(coalesce(p->'beneficiaries', '[]')) with ordinality x (e, i)
     order by i;
  end if;
end $$;

--
-- Name: kc_province_name(text); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_province_name(p_code text) RETURNS text
    LANGUAGE sql STABLE
    AS $$
  select name from orgs where kind = 'province' and province_code = p_code
   order by valid_to is null desc, valid_to desc limit 1
$$;

--
-- Name: kc_province_now(bigint); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_province_now(p_org bigint) RETURNS bigint
    LANGUAGE sql STABLE
    AS $$
  select coalesce((select l.new_org_id from org_lineage l where l.old_org_id = r.root
                    order by l.effective desc limit 1), r.root)
    from (select kc_scope_root(p_org) as root) r
$$;

--
-- Name: province_reports; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.province_reports (
    id bigint NOT NULL,
    province_id bigint NOT NULL,
    year integer NOT NULL,
    period text NOT NULL,
    document_no text,
    note text,
    content jsonb NOT NULL,
    late boolean NOT NULL,
    sent_by bigint NOT NULL,
    sent_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT province_reports_document_no_check CHECK ((length(document_no) <= 100)),
    CONSTRAINT province_reports_note_check CHECK ((length(note) <= 20000)),
    CONSTRAINT province_reports_period_check CHECK ((period = ANY (ARRAY['q1'::text, 'q2'::text, 'q3'::text, 'q4'::text, 'h1'::text, 'year'::text]))),
    CONSTRAINT province_reports_year_check CHECK (((year >= 2014) AND (year <= 2100)))
);

--
-- Name: kc_province_report_json(public.province_reports); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_province_report_json(r public.province_reports) RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$
  select jsonb_build_object('id', r.id, 'province_id', r.province_id, 'year', r.year, 'period', r.period,
                            'document_no', r.document_no, 'note', r.note, 'late', r.late,
                            'sent_by', r.sent_by, 'sent_at', kc_instant(r.sent_at))
$$;

--
-- Name: kc_public_holidays(integer); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_public_holidays(p_year integer) RETURNS TABLE(day date, name text)
    LANGUAGE plpgsql STABLE
    AS $$
declare
  tet date := kc_lunar_to_solar(1, 1, p_year);
  sep2 date := make_date(p_year, 9, 2);
  v_days date[];
  v_names text[];
  v_next date;
  i integer;
begin
  v_days := array[make_date(p_year, 1, 1), make_date(p_year, 4, 30), make_date(p_year, 5, 1), sep2,
                  kc_lunar_to_solar(10, 3, p_year), tet - 1, tet, tet + 1, tet + 2, tet + 3];
  v_names := array['Tết Dương lịch', 'Ngày Chiến thắng', 'Ngày Quốc tế lao động', 'Quốc khánh',
                   'Giỗ Tổ Hùng Vương (10/3 âm lịch)', 'Tết Nguyên đán (ngày cuối năm âm lịch)',
                   'Tết Nguyên đán (mùng 1)', 'Tết Nguyên đán (mùng 2)', 'Tết Nguyên đán (mùng 3)',
                   'Tết Nguyên đán (mùng 4)'];
  if p_year >= 2021 then
    -- the day next to 2/9 the Government usually picks for a long weekend
    v_days := v_days || case when extract(isodow from sep2) in (2, 3, 5, 6) then sep2 - 1 else sep2 + 1 end;
    v_names := v_names || 'Quốc khánh (ngày liền kề)'::text;
  end if;
  for i in 1 .. cardinality(v_days) loop
    if extract(isodow from v_days[i]) >= 6 then
      v_next := v_days[i] + 1;
      while extract(isodow from v_next) >= 6 or v_next = any (v_days) loop
        v_next := v_next + 1;
      end loop;
      v_days := v_days || v_next;
      v_names := v_names || format('Nghỉ bù (%s)', v_names[i]);
    end if;
  end loop;
  return query select x.d, x.n from unnest(v_days, v_names) x (d, n);
end $$;

--
-- Name: kc_record_check(text, boolean, integer, integer, text, text[]); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_record_check(p_what text, p_ok boolean, p_version integer, p_given integer, p_status text, p_allowed text[]) RETURNS jsonb
    LANGUAGE plpgsql IMMUTABLE
    AS $$
begin
  return case
    when not coalesce(p_ok, false) then kc_err(1004, format('no such %s', p_what))
    when p_version <> p_given then
      kc_err(1009, format('the %s was changed by someone else (now at version %s)', p_what, p_version),
             jsonb_build_object('current_version', p_version))
    when not (p_status = any (p_allowed)) then
      kc_err(1010, format('not allowed while the %s is %s', p_what, p_status),
             jsonb_build_object('status', p_status))
  end;
end $$;

--
-- Name: kc_recover_outstanding(bigint); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_recover_outstanding(p_id bigint) RETURNS bigint
    LANGUAGE sql STABLE
    AS $$
  select s.to_recover - coalesce((select sum(d.amount) from disbursements d
                                   where d.project_id = p_id and d.kind = 'refund'
                                     and d.paid_at > s.settled_at), 0)
    from settlements s where s.project_id = p_id
$$;

--
-- Name: kc_refund_outstanding(bigint); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_refund_outstanding(p_id bigint) RETURNS bigint
    LANGUAGE sql STABLE
    AS $$
  select r.amount - coalesce((select sum(d.amount) from disbursements d
                               where d.project_id = p_id and d.kind = 'refund'
                                 and d.paid_at >= r.recorded_at), 0)
    from project_refunds_due r where r.project_id = p_id
$$;

--
-- Name: kc_report_apply(jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_report_apply(p_rows jsonb) RETURNS void
    LANGUAGE plpgsql
    AS $$
begin
  with d as (
    select * from jsonb_to_recordset(p_rows) as x (
      province_org bigint, year integer, scope text, visible boolean, status text, category text,
      kind text, priority text, source text, indicator text, projects bigint, planned bigint,
      allocated bigint, advanced bigint, final bigint, refunded bigint, settled bigint,
      target bigint, achieved bigint)),
  grains as (
    select case when d.indicator = '' then c.gm else c.gi end as g,
           case when c.whole_country then -1 else d.province_org end as province_org,
           d.year, d.scope, d.visible, d.status,
           case when c.coarse then '*' else d.category end as category,
           case when c.coarse or c.whole_country then '*' else d.kind end as kind,
           case when c.coarse or c.whole_country then '*' else d.priority end as priority,
           d.source, d.indicator, d.projects, d.planned, d.allocated, d.advanced, d.final,
           d.refunded, d.settled, d.target, d.achieved
      from d cross join kc_report_grains() c),
  summed as (
    select g, province_org, year, scope, visible, status, category, kind, priority, source,
           indicator, sum(projects) as projects, sum(planned) as planned,
           sum(allocated) as allocated, sum(advanced) as advanced, sum(final) as final,
           sum(refunded) as refunded, sum(settled) as settled, sum(target) as target,
           sum(achieved) as achieved
      from grains
     group by g, province_org, year, scope, visible, status, category, kind, priority, source,
              indicator)
  insert into report_facts
  select g, province_org, year, scope, visible, status, category, kind, priority, source, indicator,
         projects, planned, allocated, advanced, final, refunded, settled, target, achieved
    from summed
   where (projects, planned, allocated, advanced, final, refunded, settled, target, achieved)
         <> (0, 0, 0, 0, 0, 0, 0, 0, 0)
   order by g, year, province_org, scope, visible, status, category, kind, priority, source,
            indicator
  on conflict (g, year, province_org, scope, visible, status, category, kind, priority, source,
               indicator)
  do update set projects = report_facts.projects + excluded.projects,
                planned = report_facts.planned + excluded.planned,
                allocated = report_facts.allocated + excluded.allocated,
                advanced = report_facts.advanced + excluded.advanced,
                final = report_facts.final + excluded.final,
                refunded = report_facts.refunded + excluded.refunded,
                settled = report_facts.settled + excluded.settled,
                target = report_facts.target + excluded.target,
                achieved = report_facts.achieved + excluded.achieved;
end $$;

--
-- Name: kc_report_check(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_report_check() RETURNS TABLE(g smallint, key jsonb, stored jsonb, computed jsonb)
    LANGUAGE sql STABLE
    AS $$
  with base as (
    select case when indicator = '' then c.gm else c.gi end as g,
           case when c.whole_country then -1 else province_org end as province_org, year, scope,
           visible, status,
           case when c.coarse then '*' else category end as category,
           case when c.coarse or c.whole_country then '*' else kind end as kind,
           case when c.coarse or c.whole_country then '*' else priority end as priority,
           source, indicator, sum(projects)::bigint as projects, sum(planned)::bigint as planned,
           sum(allocated)::bigint as allocated, sum(advanced)::bigint as advanced,
           sum(final)::bigint as final, sum(refunded)::bigint as refunded,
           sum(settled)::bigint as settled, sum(target)::bigint as target,
           sum(achieved)::bigint as achieved
      from report_rows_v cross join kc_report_grains() c
     group by 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11),
  stored as (
    select * from report_facts
     where (projects, planned, allocated, advanced, final, refunded, settled, target, achieved)
           <> (0, 0, 0, 0, 0, 0, 0, 0, 0))
  select coalesce(s.g, b.g),
         jsonb_build_object('province_org', coalesce(s.province_org, b.province_org),
                            'year', coalesce(s.year, b.year), 'scope', coalesce(s.scope, b.scope),
                            'visible', coalesce(s.visible, b.visible),
                            'status', coalesce(s.status, b.status),
                            'category', coalesce(s.category, b.category),
                            'kind', coalesce(s.kind, b.kind),
                            'priority', coalesce(s.priority, b.priority),
                            'source', coalesce(s.source, b.source),
                            'indicator', coalesce(s.indicator, b.indicator)),
         to_jsonb(s) - 'g', to_jsonb(b) - 'g'
    from stored s
         full join base b
           on (s.g, s.province_org, s.year, s.scope, s.visible, s.status, s.category, s.kind,
               s.priority, s.source, s.indicator)
            = (b.g, b.province_org, b.year, b.scope, b.visible, b.status, b.category, b.kind,
               b.priority, b.source, b.indicator)
   where s.g is null or b.g is null
      or (s.projects, s.planned, s.allocated, s.advanced, s.final, s.refunded, s.settled,
          s.target, s.achieved)
         <> (b.projects, b.planned, b.allocated, b.advanced, b.final, b.refunded, b.settled,
             b.target, b.achieved)
$$;

--
-- Name: kc_report_col(text, text, text, text); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_report_col(p_key text, p_label text, p_type text, p_group text DEFAULT NULL::text) RETURNS jsonb
    LANGUAGE sql IMMUTABLE
    AS $$
  select jsonb_build_object('key', p_key, 'label', p_label, 'type', p_type)
         || case when p_group is null then '{}'::jsonb else jsonb_build_object('group', p_group) end
$$;

--
-- Name: kc_report_cost_estimate(bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_report_cost_estimate(p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE plpgsql STABLE
    AS $$
declare
  pr projects;
  v plans;
  v_rows jsonb;
  v_lines jsonb;
  v_totals jsonb;
begin
  select * into pr from projects where id = (p->>'project_id')::bigint;
  if found then
    select * into v from plans where id = pr.plan_id;
  end if;
  if pr.id is null or not kc_plan_visible(v.org_id, v.scope, v.status, p_scope) then
    return kc_err(1004, 'no such project');
  end if;
  select jsonb_object_agg(fs.code, coalesce(b.amount, 0))
    into v_lines
    from funding_sources fs left join project_budget_lines b on b.project_id = pr.id and b.source = fs.code
   where fs.code in ('central', 'local', 'counterpart', 'other');
  v_rows := kc_cost_items_json(pr.id);
  if jsonb_array_length(v_rows) = 0 then
    v_rows := jsonb_build_array(jsonb_build_object(
      'seq', 1, 'item', 'Kinh phí thực hiện đề án (chưa lập dự toán chi tiết)', 'unit', null,
      'quantity', null, 'unit_price', null) || v_lines
      || jsonb_build_object('total', (v_lines->>'central')::bigint + (v_lines->>'local')::bigint
                                     + (v_lines->>'counterpart')::bigint + (v_lines->>'other')::bigint));
  end if;
  select jsonb_build_object('central', sum((e->>'central')::bigint), 'local', sum((e->>'local')::bigint),
                            'counterpart', sum((e->>'counterpart')::bigint),
                            'other', sum((e->>'other')::bigint), 'total', sum((e->>'total')::bigint))
    into v_totals from jsonb_array_elements(v_rows) e;
  return jsonb_build_object('result', jsonb_build_object(
    'title', 'Dự toán kinh phí',
    'subtitle', format('Đề án: %s (%s), kế hoạch năm %s. Mẫu 1, Phụ lục 1 Thông tư 36/2013/TT-BCT',
                       pr.title, pr.code, v.year),
    'issuer', jsonb_build_object('parent', (select name from orgs where id = kc_scope_root(v.org_id)),
                                 'name', coalesce(pr.implementer, (select name from orgs where id = v.org_id))),
    'place', kc_report_place(kc_scope_root(v.org_id)),
    'generated_at', kc_instant(now()),
    'columns', jsonb_build_array(
      kc_report_col('seq', 'STT', 'integer'),
      kc_report_col('item', 'Nội dung chi', 'text'),
      kc_report_col('unit', 'Đơn vị tính', 'text'),
      kc_report_col('quantity', 'Số lượng', 'integer'),
      kc_report_col('unit_price', 'Đơn giá', 'money'),
      kc_report_col('total', 'Thành tiền', 'money'),
      kc_report_col('central', 'Kinh phí khuyến công', 'money', 'Nguồn kinh phí'),
      kc_report_col('local', 'Ngân sách địa phương', 'money', 'Nguồn kinh phí'),
      kc_report_col('counterpart', 'Vốn đối ứng', 'money', 'Nguồn kinh phí'),
      kc_report_col('other', 'Nguồn khác', 'money', 'Nguồn kinh phí')),
    'rows', v_rows,
    'totals', v_totals,
    'project_id', pr.id, 'code', pr.code,
    'budget_lines', v_lines,
    'matches_budget_lines', v_totals - 'total' = v_lines));
end $$;

--
-- Name: kc_report_dashboard(bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_report_dashboard(p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE plpgsql STABLE
    SET jit TO 'off'
    AS $$
declare
  v_year integer := coalesce((p->>'year')::integer, extract(year from kc_today())::integer);
  v_map text := coalesce(p->>'province_map', '34');
  v_sort text := coalesce(p->>'sort', 'province_code');
  v_desc boolean := coalesce(p->>'order', 'asc') = 'desc';
  v_base jsonb := jsonb_build_object('from_year', v_year, 'to_year', v_year, 'province_map', v_map);
  v_by_source jsonb := kc_report_summary(p_scope, v_base || '{"group_by": ["source"]}')->'result';
  v_by_status jsonb := kc_report_summary(p_scope, v_base || '{"group_by": ["status"]}')->'result';
  v_by_province jsonb := kc_report_summary(p_scope, v_base || '{"group_by": ["province"]}')->'result';
  v_budget jsonb := jsonb_build_object('by_source', kc_budget_by_source(p_scope, v_year));
  v_today date := kc_today();
begin
  return jsonb_build_object('result', (
  with late as (
    select u.unit_id, i.kind, sum(i.n)::bigint as n
      from kc_overdue_counts(p_scope, v_today) i
      join kc_report_units(v_map) u on u.province_org = i.org_id
     group by 1, 2),
  prov as (
    select r, (r->>'province_id')::bigint as unit_id,
           coalesce((select sum(n) from late l where l.unit_id = (r->>'province_id')::bigint), 0) as late
      from jsonb_array_elements(v_by_province->'rows') r),
  prov_rows as (
    select jsonb_build_object(
             'province_id', x.unit_id, 'province_code', x.r->>'province_code',
             'province_name', x.r->>'province_name', 'projects', (x.r->>'projects')::bigint,
             'planned', (x.r->>'planned')::bigint, 'allocated', (x.r->>'allocated')::bigint,
             'paid', (x.r->>'paid')::bigint, 'settled', (x.r->>'settled')::bigint,
             'disbursement_rate', kc_dashboard_rate((x.r->>'paid')::numeric, (x.r->>'allocated')::numeric),
             'late', x.late) as j
      from prov x),
  bp as (
    select coalesce((
        select jsonb_agg(j order by
                 case when not v_desc then
                   case when v_sort in ('province_code', 'province_name') then null
                        else (j->>v_sort)::numeric end end nulls last,
                 case when v_desc then
                   case when v_sort in ('province_code', 'province_name') then null
                        else (j->>v_sort)::numeric end end desc nulls last,
                 case when not v_desc and v_sort in ('province_code', 'province_name') then j->>v_sort end,
                 case when v_desc and v_sort in ('province_code', 'province_name') then j->>v_sort end desc,
                 j->>'province_code')
          from prov_rows), '[]'::jsonb) as a)
  select jsonb_build_object(
    -- the export contract (srv-export.h): the per-province table, so that
    -- report.export renders the dashboard's figures for Excel
    'title', format('Tình hình thực hiện khuyến công năm %s', v_year),
    'subtitle', coalesce((select name from orgs where id = p_scope), 'Toàn quốc')
                || case when v_map = '63' then '; theo 63 tỉnh, thành phố (trước 01/07/2025)'
                        else '; theo 34 tỉnh, thành phố (từ 01/07/2025)' end,
    'issuer', v_by_source->'issuer',
    'file_stem', format('bang-dieu-khien-%s', v_year),
    'columns', jsonb_build_array(
                 jsonb_build_object('key', 'province_name', 'label', 'Tỉnh, thành phố', 'type', 'text'),
                 jsonb_build_object('key', 'projects', 'label', 'Số đề án', 'type', 'integer'),
                 jsonb_build_object('key', 'planned', 'label', 'Kế hoạch', 'type', 'money', 'group', 'Kinh phí (đồng)'),
                 jsonb_build_object('key', 'allocated', 'label', 'Phân bổ', 'type', 'money', 'group', 'Kinh phí (đồng)'),
                 jsonb_build_object('key', 'paid', 'label', 'Đã giải ngân', 'type', 'money', 'group', 'Kinh phí (đồng)'),
                 jsonb_build_object('key', 'settled', 'label', 'Quyết toán', 'type', 'money', 'group', 'Kinh phí (đồng)'),
                 jsonb_build_object('key', 'disbursement_rate', 'label', 'Tỷ lệ giải ngân (%)', 'type', 'percent'),
                 jsonb_build_object('key', 'late', 'label', 'Việc quá hạn', 'type', 'integer')),
    'year', v_year, 'province_map', v_map, 'as_of', v_today, 'generated_at', kc_instant(now()),
    'scope', case when p_scope is null then 'ministry' else 'province' end,
    'province_id', p_scope,
    'province_name', (select name from orgs where id = p_scope),
    'totals', jsonb_build_object(
                'projects', (v_by_source->'totals'->>'projects')::bigint,
                'planned', (v_by_source->'totals'->>'planned')::bigint,
                'allocated', (v_by_source->'totals'->>'allocated')::bigint,
                'paid', (v_by_source->'totals'->>'paid')::bigint,
                'settled', (v_by_source->'totals'->>'settled')::bigint,
                'appropriated', (select coalesce(sum((b->>'appropriated')::bigint), 0)
                                   from jsonb_array_elements(v_budget->'by_source') b),
                'disbursement_rate', kc_dashboard_rate((v_by_source->'totals'->>'paid')::numeric,
                                                       (v_by_source->'totals'->>'allocated')::numeric)),
    'money_by_source', coalesce((
        select jsonb_agg(jsonb_build_object(
                 'source', s->>'source', 'source_name', s->>'source_name',
                 'planned', (s->>'planned')::bigint, 'allocated', (s->>'allocated')::bigint,
                 'paid', (s->>'paid')::bigint, 'settled', (s->>'settled')::bigint,
                 'appropriated', (b->>'appropriated')::bigint, 'remaining', (b->>'remaining')::bigint,
                 'disbursement_rate', kc_dashboard_rate((s->>'paid')::numeric, (s->>'allocated')::numeric))
                 order by ord)
          from jsonb_array_elements(v_by_source->'rows') with ordinality as t (s, ord)
          left join lateral (select b from jsonb_array_elements(v_budget->'by_source') b
                              where b->>'source' = s->>'source') bb on true), '[]'::jsonb),
    'projects_by_status', coalesce((
        select jsonb_agg(jsonb_build_object('status', s->>'status', 'status_name', s->>'status_name',
                                            'projects', (s->>'projects')::bigint) order by ord)
          from jsonb_array_elements(v_by_status->'rows') with ordinality as t (s, ord)), '[]'::jsonb),
    'indicators', coalesce((
        select jsonb_agg(jsonb_build_object(
                 'indicator', i->>'indicator', 'name', i->>'indicator_name', 'unit', i->>'unit',
                 'target', (i->>'target')::bigint, 'achieved', (i->>'achieved')::bigint,
                 'percent', kc_dashboard_rate((i->>'achieved')::numeric, (i->>'target')::numeric))
                 order by i->>'indicator')
          from jsonb_array_elements(v_by_source->'indicators') i), '[]'::jsonb),
    'late', jsonb_build_object(
              'total', coalesce((select sum(n) from late), 0),
              'by_kind', coalesce((select jsonb_object_agg(kind, n)
                                     from (select kind, sum(n) as n from late group by kind) k), '{}'::jsonb)),
    'rows', (select a from bp),
    'by_province', (select a from bp))));
end $$;

--
-- Name: kc_report_grain(jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_report_grain(p jsonb) RETURNS smallint
    LANGUAGE sql IMMUTABLE
    AS $$
  select case when (p->'group_by') ?| array['category', 'kind', 'priority']
                   or kc_report_list(p->'filters'->'category') is not null
                   or kc_report_list(p->'filters'->'kind') is not null
                   or kc_report_list(p->'filters'->'priority') is not null
              then 0 else 1 end::smallint
$$;

--
-- Name: kc_report_grain_at(bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_report_grain_at(p_scope bigint, p jsonb) RETURNS smallint
    LANGUAGE sql IMMUTABLE
    AS $$
  select case when p_scope is null
                   and not coalesce((p->'group_by') ?| array['province', 'kind', 'priority'], false)
                   and kc_report_list(p->'filters'->'province') is null
                   and kc_report_list(p->'filters'->'kind') is null
                   and kc_report_list(p->'filters'->'priority') is null
              then 4 else kc_report_grain(p) end::smallint
$$;

--
-- Name: kc_report_grains(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_report_grains() RETURNS TABLE(gm smallint, gi smallint, coarse boolean, whole_country boolean)
    LANGUAGE sql IMMUTABLE
    AS $$
  values (0::smallint, 2::smallint, false, false), (1::smallint, 3::smallint, true, false),
         (4::smallint, 5::smallint, false, true)
$$;

--
-- Name: kc_report_indicator_grain(smallint); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_report_indicator_grain(p_g smallint) RETURNS smallint
    LANGUAGE sql IMMUTABLE
    AS $$
  select case when p_g = 4 then 5 else p_g + 2 end::smallint
$$;

--
-- Name: kc_report_list(jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_report_list(p jsonb) RETURNS text[]
    LANGUAGE sql IMMUTABLE
    AS $$
  select case when p is null or jsonb_typeof(p) <> 'array' or jsonb_array_length(p) = 0 then null
              else array(select jsonb_array_elements_text(p)) end
$$;

--
-- Name: kc_report_mark(bigint); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_report_mark(p_id bigint) RETURNS void
    LANGUAGE sql
    AS $$
  insert into report_dirty (project_id) values (p_id) on conflict do nothing
$$;

--
-- Name: kc_report_ministry_issuer(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_report_ministry_issuer() RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$
  select jsonb_build_object('parent', 'Bộ Công Thương',
                            'name', coalesce((select name from orgs where code = 'BCT.CKC'
                                               and kind = 'ministry_department' limit 1), 'Bộ Công Thương'))
$$;

--
-- Name: kc_report_pct(numeric, numeric); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_report_pct(p_part numeric, p_whole numeric) RETURNS numeric
    LANGUAGE sql IMMUTABLE
    AS $$
  select case when p_whole is null or p_whole = 0 then null
              else round(p_part * 100 / p_whole, 1) end
$$;

--
-- Name: kc_report_period(integer, text); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_report_period(p_year integer, p_period text, OUT from_date date, OUT to_date date, OUT due date, OUT period_end date, OUT label text) RETURNS record
    LANGUAGE sql STABLE
    AS $$
  select x.f, x.t,
         coalesce(kc_calendar_due(x.rule, p_year), make_date(p_year, extract(month from x.t)::integer, 20)),
         x.e, x.l
    from (values
      ('q1', make_date(p_year - 1, 12, 15), make_date(p_year, 3, 14), make_date(p_year, 3, 31),
       'province_report_first_quarter', 'Quý I'),
      ('q2', make_date(p_year, 3, 15), make_date(p_year, 6, 14), make_date(p_year, 6, 30),
       'province_report_six_month', 'Quý II'),
      ('q3', make_date(p_year, 6, 15), make_date(p_year, 9, 14), make_date(p_year, 9, 30),
       'province_report_third_quarter', 'Quý III'),
      ('q4', make_date(p_year, 9, 15), make_date(p_year, 12, 14), make_date(p_year, 12, 31),
       'province_report_annual', 'Quý IV'),
      ('h1', make_date(p_year - 1, 12, 15), make_date(p_year, 6, 14), make_date(p_year, 6, 30),
       'province_report_six_month', '6 tháng đầu năm'),
      ('year', make_date(p_year - 1, 12, 15), make_date(p_year, 12, 14), make_date(p_year, 12, 31),
       'province_report_annual', 'Cả năm')) as x (p, f, t, e, rule, l)
   where x.p = p_period
$$;

--
-- Name: kc_report_place(bigint); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_report_place(p_province bigint) RETURNS text
    LANGUAGE sql STABLE
    AS $$
  select regexp_replace(name, '^(Tỉnh|Thành phố) ', '') from orgs where id = p_province
$$;

--
-- Name: kc_report_programme(bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_report_programme(p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE plpgsql STABLE
    AS $$
declare
  v programmes;
  pp programme_periods;
  v_prov bigint;
  v_rows jsonb;
begin
  if p ? 'programme_id' then
    select * into v from programmes where id = (p->>'programme_id')::bigint;
  elsif coalesce(p->>'scope', 'national') = 'national' then
    select * into v from programmes where period_code = p->>'period' and scope = 'national';
  else
    select * into v from programmes
     where period_code = p->>'period' and scope = 'local'
       and org_id = kc_scope_root(coalesce((p->>'province_id')::bigint, p_scope));
  end if;
  if v.id is null or not kc_programme_visible(v, p_scope) then
    return kc_err(1004, 'no such programme');
  end if;
  if p ? 'province_id' then
    v_prov := kc_province_now((p->>'province_id')::bigint);
    if v_prov is null or (p_scope is not null and v_prov not in (select org_scope(p_scope))) then
      return kc_err(1004, 'no such province');
    end if;
  else
    v_prov := p_scope;
  end if;
  if v.scope = 'local' then
    if v_prov is not null and v_prov not in (v.org_id, kc_province_now(v.org_id)) then
      return kc_rule_err('province_id', 'programme', 'a local programme covers its own province only');
    end if;
    v_prov := v.org_id;
  end if;
  select * into pp from programme_periods where code = v.period_code;

  with prj as (
    select pr.id, pr.status, pr.priority_area, coalesce(v_prov, kc_province_now(pl.org_id)) as province
      from projects pr join plans pl on pl.id = pr.plan_id
     where pl.year between pp.from_year and pp.to_year and pl.scope = v.scope
       and kc_plan_visible(pl.org_id, pl.scope, pl.status, p_scope)
       and (v_prov is null or pl.org_id in (select org_scope(v_prov)))
       and pr.status in ('approved', 'in_progress', 'completed', 'settled')),
  areas as (
    -- null: the whole programme
    select null::bigint as area, 0 as ord, 'Toàn quốc' as name
     where v.scope = 'national' and v_prov is null
    union all
    select o.id, 1, o.name from orgs o
     where (v_prov is not null and o.id = v_prov)
        or (v_prov is null and v.scope = 'national'
            and (o.id in (select province from prj)
                 or o.id in (select kc_province_now(province_id) from programme_targets
                              where programme_id = v.id and province_id is not null)
                 or o.id in (select kc_province_now(province_id) from programme_budgets
                              where programme_id = v.id and province_id is not null)))),
  -- a local programme's own rows have province_id null
  tgt as (
    select case when v.scope = 'local' then v.org_id else kc_province_now(t.province_id) end as area,
           t.indicator, sum(t.target) as target, max(t.confidence) as confidence
      from programme_targets t where t.programme_id = v.id
     group by 1, 2),
  env as (
    select case when v.scope = 'local' then v.org_id else kc_province_now(b.province_id) end as area,
           b.source, sum(b.amount) as amount, max(b.confidence) as confidence
      from programme_budgets b where b.programme_id = v.id
     group by 1, 2),
  -- what the projects declared, except the indicators their registers give
  ind_declared as (
    select a.area, i.indicator,
           sum(i.target) as planned,
           sum(case when x.status in ('completed', 'settled') then coalesce(i.achieved, 0) else 0 end) as achieved
      from areas a join prj x on a.area is null or x.province = a.area
      join project_indicators i on i.project_id = x.id
     where i.indicator not in ('I08', 'I17', 'I18', 'I19', 'I20')
     group by a.area, i.indicator),
  -- I08: planned as the projects (the bình chọn rounds) declared it;
  -- achieved from the register of typical products (0008): the
  -- certificates of the period's rounds, not revoked, of the area
  i08 as (
    select a.area,
           (select sum(i.target) from prj x join project_indicators i on i.project_id = x.id
             where i.indicator = 'I08' and (a.area is null or x.province = a.area)) as planned,
           (select count(*) from typical_products t
             where not t.revoked and t.year between pp.from_year and pp.to_year
               and (a.area is null or kc_province_now(t.org_id) = a.area)) as achieved
      from areas a),
  -- 0030: the register-based indicators, from the registers themselves
  -- (DOMAIN §4.4): I17 the projects (approved or later / accepted), I18 the
  -- money (budget lines of all sources / disbursed net of refunds), I19 the
  -- disbursement rate (disbursed net / central and local support), I20 the
  -- projects in a priority area (a–d)
  reg as (
    select a.area, x.id, x.status, x.priority_area,
           (select coalesce(sum(b.amount), 0) from project_budget_lines b where b.project_id = x.id) as lines,
           (select coalesce(sum(b.amount), 0) from project_budget_lines b
             where b.project_id = x.id and b.source in ('central', 'local')) as support,
           (select coalesce(sum(case when d.kind = 'refund' then -d.amount else d.amount end), 0)
              from disbursements d where d.project_id = x.id) as paid
      from areas a join prj x on a.area is null or x.province = a.area),
  ind as (
    select area, indicator, planned, achieved from ind_declared
    union all
    select area, 'I08', coalesce(planned, 0), achieved from i08 where planned is not null or achieved > 0
    union all
    select area, 'I17', count(*), count(*) filter (where status in ('completed', 'settled'))
      from reg group by area
    union all
    select area, 'I18', sum(lines), sum(paid) from reg group by area
    union all
    select area, 'I19', null, case when sum(support) > 0 then round(sum(paid) * 100.0 / sum(support)) end
      from reg group by area
    union all
    select area, 'I20', count(*) filter (where priority_area is not null),
           count(*) filter (where priority_area is not null and status in ('completed', 'settled'))
      from reg group by area),
  money as (
    select a.area, b.source, sum(b.amount) as planned,
           sum(case when x.status in ('completed', 'settled') then b.amount else 0 end) as achieved
      from areas a join prj x on a.area is null or x.province = a.area
      join project_budget_lines b on b.project_id = x.id
     group by a.area, b.source),
  lines as (
    select a.ord, a.area, a.name as area_name, 0 as kind, c.code as sort, c.code, c.name_vi as name,
           c.unit_vi as unit, t.target, coalesce(d.planned, 0) as planned,
           coalesce(d.achieved, 0) as achieved, t.confidence
      from areas a cross join indicators c
      left join tgt t on t.area is not distinct from a.area and t.indicator = c.code
      left join ind d on d.area is not distinct from a.area and d.indicator = c.code
     where t.indicator is not null or d.indicator is not null
    union all
    select a.ord, a.area, a.name, 1, lpad(fs.sort::text, 6, '0'), 'KP.' || fs.code,
           'Kinh phí: ' || fs.name_vi, 'đồng', e.amount, coalesce(m.planned, 0),
           coalesce(m.achieved, 0), e.confidence
      from areas a cross join funding_sources fs
      left join env e on e.area is not distinct from a.area and e.source = fs.code
      left join money m on m.area is not distinct from a.area and m.source = fs.code
     where e.source is not null or m.source is not null)
  select coalesce(jsonb_agg(jsonb_build_object(
           'province_id', l.area, 'area', l.area_name, 'code', l.code, 'name', l.name, 'unit', l.unit,
           'target', l.target, 'planned', l.planned, 'achieved', l.achieved,
           'percent', kc_report_pct(l.achieved, l.target), 'confidence', l.confidence)
           order by l.ord, l.area_name, l.area, l.kind, l.sort), '[]'::jsonb)
    into v_rows from lines l;

  return jsonb_build_object('result', jsonb_build_object(
    'title', 'Báo cáo tổng kết ' || v.title,
    'subtitle', format('Giai đoạn %s–%s; %s%s', pp.from_year, pp.to_year,
                       coalesce(v.decision_no, 'chưa phê duyệt'),
                       case when v_prov is not null then '; ' || (select name from orgs where id = v_prov)
                            else '' end),
    'issuer', case when v.scope = 'local' or p_scope is not null
                   then kc_report_province_issuer(coalesce(v_prov, p_scope))
                   else kc_report_ministry_issuer() end,
    'place', case when v.scope = 'local' or p_scope is not null then kc_report_place(coalesce(v_prov, p_scope))
                  else 'Hà Nội' end,
    'generated_at', kc_instant(now()),
    'columns', jsonb_build_array(
      kc_report_col('area', 'Địa bàn', 'text'),
      kc_report_col('code', 'Mã', 'text'),
      kc_report_col('name', 'Chỉ tiêu', 'text'),
      kc_report_col('unit', 'Đơn vị tính', 'text'),
      kc_report_col('target', 'Mục tiêu chương trình', 'integer'),
      kc_report_col('planned', 'Theo đề án được duyệt', 'integer', 'Thực hiện'),
      kc_report_col('achieved', 'Đạt được (đã nghiệm thu)', 'integer', 'Thực hiện'),
      kc_report_col('percent', 'Tỷ lệ đạt so với mục tiêu (%)', 'percent', 'Thực hiện'),
      kc_report_col('confidence', 'Độ tin cậy của mục tiêu', 'text')),
    'rows', v_rows,
    'programme', kc_programme_json(v.id, false),
    'province_id', v_prov));
end $$;

--
-- Name: kc_report_province(bigint); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_report_province(p_org bigint) RETURNS bigint
    LANGUAGE plpgsql STABLE
    AS $$
begin
  return coalesce(
    (select case when o.kind = 'province' then o.id
                 when p.kind = 'province' then p.id
                 else kc_scope_root(o.id) end
       from orgs o left join orgs p on p.id = o.parent_id
      where o.id = p_org), 0);
end $$;

--
-- Name: kc_report_province(bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_report_province(p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE plpgsql STABLE
    AS $$
declare
  v_prov bigint := kc_scope_root((p->>'org_id')::bigint);
  v_year integer := (p->>'year')::integer;
  c record;
  v_rows jsonb;
  v_totals jsonb;
  v_plans jsonb;
  v_ind jsonb;
begin
  if v_prov is null or (p_scope is not null and v_prov not in (select org_scope(p_scope))) then
    return kc_err(1004, 'no such province');
  end if;
  select * into c from kc_report_period(v_year, p->>'period');

  -- national projects first, then local, each by code
  select coalesce(jsonb_agg(to_jsonb(x) order by x.stt), '[]'::jsonb)
    into v_rows
    from (select row_number() over (order by y.scope <> 'KCQG', y.code) as stt, y.*,
                 y.central + y.local + y.counterpart + y.other as total
            from (select pr.id as project_id, pl.id as plan_id, pr.code, pr.title,
                         case pl.scope when 'national' then 'KCQG' else 'KCĐP' end as scope, pr.status,
                         (select pc.content_code from project_categories pc
                           where pc.project_id = pr.id and pc.is_primary) as content,
                         coalesce((select amount from project_budget_lines b where b.project_id = pr.id and b.source = 'central'), 0) as central,
                         coalesce((select amount from project_budget_lines b where b.project_id = pr.id and b.source = 'local'), 0) as local,
                         coalesce((select amount from project_budget_lines b where b.project_id = pr.id and b.source = 'counterpart'), 0) as counterpart,
                         coalesce((select amount from project_budget_lines b where b.project_id = pr.id and b.source = 'other'), 0) as other,
                         coalesce((select sum(a.amount) from allocations a where a.project_id = pr.id
                                    and (a.allocated_at at time zone 'Asia/Ho_Chi_Minh')::date <= c.to_date), 0) as allocated,
                         coalesce((select sum(case when d.kind = 'refund' then -d.amount else d.amount end)
                                     from disbursements d
                                    where d.project_id = pr.id and d.paid_on between c.from_date and c.to_date), 0) as paid_period,
                         coalesce((select sum(case when d.kind = 'refund' then -d.amount else d.amount end)
                                     from disbursements d
                                    where d.project_id = pr.id and d.paid_on <= c.to_date), 0) as paid_total,
                         (select r.percent_done from project_progress_reports r
                           where r.project_id = pr.id and r.period <= c.to_date order by r.period desc limit 1) as percent_done,
                         (select a.accepted_on from project_acceptances a
                           where a.project_id = pr.id and a.accepted_on <= c.to_date) as accepted_on
                    from projects pr join plans pl on pl.id = pr.plan_id
                   where pl.year = v_year and pl.org_id in (select org_scope(v_prov))
                     and kc_plan_visible(pl.org_id, pl.scope, pl.status, p_scope)) y) x;

  select jsonb_build_object('central', coalesce(sum((e->>'central')::bigint), 0),
                            'local', coalesce(sum((e->>'local')::bigint), 0),
                            'counterpart', coalesce(sum((e->>'counterpart')::bigint), 0),
                            'other', coalesce(sum((e->>'other')::bigint), 0),
                            'total', coalesce(sum((e->>'total')::bigint), 0),
                            'allocated', coalesce(sum((e->>'allocated')::bigint), 0),
                            'paid_period', coalesce(sum((e->>'paid_period')::bigint), 0),
                            'paid_total', coalesce(sum((e->>'paid_total')::bigint), 0))
    into v_totals from jsonb_array_elements(v_rows) e;

  select coalesce(jsonb_agg(jsonb_build_object(
           'id', pl.id, 'scope', pl.scope, 'status', pl.status, 'org_id', pl.org_id,
           'project_count', (select count(*) from jsonb_array_elements(v_rows) e
                              where (e->>'plan_id')::bigint = pl.id),
           'decision_no', pl.decision_no, 'decision_date', pl.decision_date) order by pl.scope desc, pl.id), '[]'::jsonb)
    into v_plans
    from plans pl
   where pl.year = v_year and pl.org_id in (select org_scope(v_prov))
     and kc_plan_visible(pl.org_id, pl.scope, pl.status, p_scope);

  select coalesce(jsonb_agg(jsonb_build_object(
           'code', x.indicator, 'name', i.name_vi, 'unit', i.unit_vi, 'planned', x.planned,
           'achieved', x.achieved, 'percent', kc_report_pct(x.achieved, x.planned)) order by x.indicator), '[]'::jsonb)
    into v_ind
    from (select pi.indicator, sum(pi.target) as planned,
                 sum(kc_indicator_achieved_on(pi.project_id, pi.indicator, c.to_date)) as achieved
            from project_indicators pi
           where pi.project_id in (select (e->>'project_id')::bigint from jsonb_array_elements(v_rows) e)
           group by pi.indicator) x
    join indicators i on i.code = x.indicator;

  return jsonb_build_object('result', jsonb_build_object(
    'title', format('Báo cáo tình hình thực hiện khuyến công %s %s',
                    case p->>'period' when 'q1' then 'quý I năm' when 'q2' then 'quý II năm'
                                      when 'q3' then 'quý III năm' when 'q4' then 'quý IV năm'
                                      when 'h1' then '6 tháng đầu năm' else 'năm' end, v_year),
    'subtitle', format('%s; số liệu từ %s đến %s', (select name from orgs where id = v_prov),
                       to_char(c.from_date, 'DD/MM/YYYY'), to_char(c.to_date, 'DD/MM/YYYY')),
    'issuer', kc_report_province_issuer(v_prov),
    'place', kc_report_place(v_prov),
    'generated_at', kc_instant(now()),
    'columns', jsonb_build_array(
      kc_report_col('stt', 'STT', 'integer'),
      kc_report_col('code', 'Mã đề án', 'text'),
      kc_report_col('title', 'Tên đề án', 'text'),
      kc_report_col('scope', 'Loại', 'text'),
      kc_report_col('status', 'Trạng thái', 'text'),
      kc_report_col('central', 'Ngân sách trung ương', 'money', 'Kinh phí kế hoạch (đồng)'),
      kc_report_col('local', 'Ngân sách địa phương', 'money', 'Kinh phí kế hoạch (đồng)'),
      kc_report_col('counterpart', 'Vốn đối ứng', 'money', 'Kinh phí kế hoạch (đồng)'),
      kc_report_col('other', 'Nguồn khác', 'money', 'Kinh phí kế hoạch (đồng)'),
      kc_report_col('total', 'Tổng', 'money', 'Kinh phí kế hoạch (đồng)'),
      kc_report_col('allocated', 'Đã phân bổ', 'money', 'Thực hiện đến ngày chốt số liệu'),
      kc_report_col('paid_period', 'Giải ngân trong kỳ', 'money', 'Thực hiện đến ngày chốt số liệu'),
      kc_report_col('paid_total', 'Lũy kế giải ngân', 'money', 'Thực hiện đến ngày chốt số liệu'),
      kc_report_col('percent_done', 'Tiến độ (%)', 'percent', 'Thực hiện đến ngày chốt số liệu'),
      kc_report_col('accepted_on', 'Ngày nghiệm thu', 'date', 'Thực hiện đến ngày chốt số liệu')),
    'rows', v_rows,
    'totals', v_totals,
    'province_id', v_prov, 'year', v_year, 'period', p->>'period', 'period_label', c.label,
    'cutoff', jsonb_build_object('from', c.from_date, 'to', c.to_date),
    'due', c.due,
    'sent', (select kc_province_report_json(r) from province_reports r
              where r.province_id = v_prov and r.year = v_year and r.period = p->>'period'
              order by r.id desc limit 1),
    'plans', v_plans,
    'indicators', v_ind));
end $$;

--
-- Name: kc_report_province_issuer(bigint); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_report_province_issuer(p_province bigint) RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$
  select jsonb_build_object(
    'parent', 'Ủy ban nhân dân ' || kc_org_name_inline(o.name),
    'name', coalesce((select d.name from orgs d where d.parent_id = o.id and d.kind = 'province_department'
                       order by d.valid_from desc, d.id limit 1), 'Sở Công Thương'))
    from orgs o where o.id = p_province
$$;

--
-- Name: kc_report_province_send(bigint, text, text, text, bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_report_province_send(p_user bigint, p_username text, p_peer text, p_role text, p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE plpgsql
    AS $$
declare
  v_prov bigint := kc_scope_root((p->>'org_id')::bigint);
  c record;
  v_report jsonb;
  r province_reports;
begin
  if p_scope is null then
    return kc_err(1003, 'a province sends its own report');
  end if;
  if v_prov is null or v_prov not in (select org_scope(p_scope)) then
    return kc_err(1004, 'no such province');
  end if;
  select * into c from kc_report_period((p->>'year')::integer, p->>'period');
  if kc_today() <= c.to_date then
    return kc_rule_err('period', 'open', format('the period''s data are cut off on %s; the report is sent after that',
                                                to_char(c.to_date, 'DD/MM/YYYY')));
  end if;
  v_report := kc_report_province(p_scope, p - 'document_no' - 'note');
  if v_report ? 'error' then
    return v_report;
  end if;
  insert into province_reports (province_id, year, period, document_no, note, content, late, sent_by)
  values (v_prov, (p->>'year')::integer, p->>'period', p->>'document_no', p->>'note',
          v_report->'result', kc_today() > c.due, p_user)
  returning * into r;
  perform kc_audit(p_user, p_username, p_peer, 'report.province_send', 'province_report', r.id, null,
                   kc_province_report_json(r));
  return jsonb_build_object('result', kc_province_report_json(r) || jsonb_build_object('due', c.due));
end $$;

--
-- Name: kc_report_rebuild(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_report_rebuild() RETURNS bigint
    LANGUAGE plpgsql
    AS $$
declare
  n bigint;
begin
  lock table report_facts, report_project_facts in access exclusive mode;
  truncate report_facts, report_project_facts;
  delete from report_dirty where txid = txid_current();
  insert into report_project_facts select * from report_rows_v;
  insert into report_facts
  select case when indicator = '' then c.gm else c.gi end,
         case when c.whole_country then -1 else province_org end, year, scope, visible, status,
         case when c.coarse then '*' else category end,
         case when c.coarse or c.whole_country then '*' else kind end,
         case when c.coarse or c.whole_country then '*' else priority end,
         source, indicator, sum(projects), sum(planned), sum(allocated), sum(advanced), sum(final),
         sum(refunded), sum(settled), sum(target), sum(achieved)
    from report_project_facts cross join kc_report_grains() c
   group by 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11
   order by 1, 3, 2, 4, 5, 6, 7, 8, 9, 10, 11;
  get diagnostics n = row_count;
  return n;
end $$;

--
-- Name: kc_report_refresh(bigint[]); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_report_refresh(p_ids bigint[]) RETURNS void
    LANGUAGE plpgsql
    AS $$
declare
  v_old jsonb;
  v_id bigint;
  v_delta jsonb;
begin
  with old as (
    delete from report_project_facts where project_id = any (p_ids) returning *)
  select jsonb_agg(to_jsonb(old)) into v_old from old;
  foreach v_id in array p_ids loop
    insert into report_project_facts select * from report_rows_v where project_id = v_id;
  end loop;
  with both_ as (
    select province_org, year, scope, visible, status, category, kind, priority, source,
           indicator, projects, planned, allocated, advanced, final, refunded, settled, target,
           achieved
      from report_project_facts where project_id = any (p_ids)
    union all
    select province_org, year, scope, visible, status, category, kind, priority, source,
           indicator, -projects, -planned, -allocated, -advanced, -final, -refunded, -settled,
           -target, -achieved
      from jsonb_populate_recordset(null::report_project_facts, coalesce(v_old, '[]')))
  select jsonb_agg(to_jsonb(x)) into v_delta from (
    select province_org, year, scope, visible, status, category, kind, priority, source, indicator,
           sum(projects) as projects, sum(planned) as planned, sum(allocated) as allocated,
           sum(advanced) as advanced, sum(final) as final, sum(refunded) as refunded,
           sum(settled) as settled, sum(target) as target, sum(achieved) as achieved
      from both_
     group by province_org, year, scope, visible, status, category, kind, priority, source,
              indicator) x;
  if v_delta is not null then
    perform kc_report_apply(v_delta);
  end if;
end $$;

--
-- Name: kc_report_registration_list(bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_report_registration_list(p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$
  with prj as (
    select pr.id, pr.code, pr.title, pr.implementer, pr.status, pr.start_date, pr.end_date,
           o.name as org_name, po.name as province_name, po.code as province_code,
           (select cc.name_vi from project_categories pc join content_categories cc on cc.code = pc.content_code
             where pc.project_id = pr.id and pc.is_primary) as content,
           coalesce((select amount from project_budget_lines b where b.project_id = pr.id and b.source = 'central'), 0) as central,
           coalesce((select amount from project_budget_lines b where b.project_id = pr.id and b.source = 'local'), 0) as local,
           coalesce((select amount from project_budget_lines b where b.project_id = pr.id and b.source = 'counterpart'), 0) as counterpart,
           coalesce((select amount from project_budget_lines b where b.project_id = pr.id and b.source = 'other'), 0) as other
      from projects pr join plans pl on pl.id = pr.plan_id join orgs o on o.id = pl.org_id
      left join orgs po on po.id = kc_scope_root(pl.org_id)
     where pl.year = (p->>'year')::integer and pl.scope = 'national'
       and kc_plan_visible(pl.org_id, pl.scope, pl.status, p_scope)
       and (p->>'org_id' is null or pl.org_id in (select org_scope((p->>'org_id')::bigint)))),
  numbered as (
    select prj.*, row_number() over (order by province_code, province_name, code) as stt from prj)
  select coalesce(kc_org_filter_err(p_scope, p), jsonb_build_object('result', jsonb_build_object(
    'title', format('Danh mục đề án, nhiệm vụ đăng ký kế hoạch khuyến công quốc gia năm %s', p->>'year'),
    'subtitle', 'Mẫu 2, Phụ lục 1 Thông tư 36/2013/TT-BCT (sửa đổi bởi Thông tư 17/2018/TT-BCT)'
                || case when p->>'org_id' is not null
                        then '; ' || (select name from orgs where id = (p->>'org_id')::bigint) else '' end,
    'issuer', case when p_scope is null then kc_report_ministry_issuer()
                   else kc_report_province_issuer(p_scope) end,
    'place', case when p_scope is null then 'Hà Nội' else kc_report_place(p_scope) end,
    'generated_at', kc_instant(now()),
    'columns', jsonb_build_array(
      kc_report_col('stt', 'STT', 'integer'),
      kc_report_col('province', 'Tỉnh, thành phố', 'text'),
      kc_report_col('code', 'Mã đề án', 'text'),
      kc_report_col('title', 'Tên đề án, nhiệm vụ', 'text'),
      kc_report_col('implementer', 'Đơn vị thực hiện', 'text'),
      kc_report_col('content', 'Nội dung khuyến công', 'text'),
      kc_report_col('start_date', 'Bắt đầu', 'date', 'Thời gian thực hiện'),
      kc_report_col('end_date', 'Kết thúc', 'date', 'Thời gian thực hiện'),
      kc_report_col('central', 'Kinh phí khuyến công quốc gia', 'money', 'Kinh phí (đồng)'),
      kc_report_col('local', 'Ngân sách địa phương', 'money', 'Kinh phí (đồng)'),
      kc_report_col('counterpart', 'Vốn đối ứng', 'money', 'Kinh phí (đồng)'),
      kc_report_col('other', 'Nguồn khác', 'money', 'Kinh phí (đồng)'),
      kc_report_col('total', 'Tổng cộng', 'money', 'Kinh phí (đồng)'),
      kc_report_col('status', 'Trạng thái', 'text')),
    'rows', coalesce((select jsonb_agg(jsonb_build_object(
               'stt', stt, 'project_id', id, 'province', province_name, 'code', code, 'title', title,
               'implementer', implementer, 'content', content, 'start_date', start_date,
               'end_date', end_date, 'central', central, 'local', local, 'counterpart', counterpart,
               'other', other, 'total', central + local + counterpart + other, 'status', status)
               order by stt) from numbered), '[]'::jsonb),
    'totals', (select jsonb_build_object('central', coalesce(sum(central), 0), 'local', coalesce(sum(local), 0),
                                         'counterpart', coalesce(sum(counterpart), 0),
                                         'other', coalesce(sum(other), 0),
                                         'total', coalesce(sum(central + local + counterpart + other), 0))
                 from prj),
    'year', (p->>'year')::integer)))
$$;

--
-- Name: kc_report_round_consolidated(bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_report_round_consolidated(p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE plpgsql STABLE
    AS $$
declare
  rd rounds;
  v jsonb;
  v_money jsonb;
  v_status jsonb;
begin
  v := kc_round_consolidate(p_scope, jsonb_build_object('round_id', p->'round_id'));
  if v ? 'error' then
    return v;
  end if;
  v := v->'result';
  select * into rd from rounds where id = (p->>'round_id')::bigint;
  v_money := (select t from jsonb_array_elements(v->'tables') t where t->>'key' = 'money');
  if v_money is null then
    v_money := kc_round_money_table(rd, null);
  end if;
  v_status := jsonb_build_object(
    'key', 'provinces',
    'title', 'Biểu 5. Tình hình gửi báo cáo của các tỉnh, thành phố',
    'columns', jsonb_build_array(
      kc_report_col('org_name', 'Tỉnh, thành phố', 'text'),
      kc_report_col('status_name', 'Tình trạng', 'text'),
      kc_report_col('sent_on', 'Ngày gửi', 'date'),
      kc_report_col('late_text', 'Quá hạn', 'text'),
      kc_report_col('projects', 'Số đề án', 'integer'),
      kc_report_col('total', 'Kinh phí được duyệt (đồng)', 'money')),
    'rows', (select coalesce(jsonb_agg(e || jsonb_build_object(
                       'sent_on', left(e->>'sent_at', 10),
                       'late_text', case when (e->>'late')::boolean then 'Quá hạn' else '' end)
                       order by n), '[]'::jsonb)
               from jsonb_array_elements(v->'provinces') with ordinality x (e, n)),
    'totals', jsonb_build_object(
      'projects', (select coalesce(sum((e->>'projects')::bigint), 0) from jsonb_array_elements(v->'provinces') e),
      'total', (select coalesce(sum((e->>'total')::bigint), 0) from jsonb_array_elements(v->'provinces') e)));
  return jsonb_build_object('result', jsonb_build_object(
    'title', 'Báo cáo ' || lower(substr(kc_round_title(rd), 1, 1)) || substr(kc_round_title(rd), 2)
             || ' trên phạm vi cả nước',
    'subtitle', format('Tổng hợp báo cáo của %s/%s tỉnh, thành phố (Công văn số %s)',
                       (v->'round'->'counts'->>'sent')::integer + (v->'round'->'counts'->>'accepted')::integer,
                       v->'round'->'counts'->>'total', rd.document_no),
    'issuer', jsonb_build_object('parent', null, 'name', 'Bộ Công Thương'),
    'place', 'Hà Nội',
    'generated_at', kc_instant(now()),
    'file_stem', format('bao-cao-tong-hop-dot-%s', rd.id),
    'columns', v_money->'columns',
    'rows', v_money->'rows',
    'totals', v_money->'totals',
    'round_id', rd.id,
    'not_sent', v->'not_sent',
    'document', jsonb_build_object(
      'number', 'Số:        /BC-BCT',
      'kind', 'BÁO CÁO',
      'heading', kc_round_title(rd) || ' trên phạm vi cả nước',
      'recipient', 'Kính gửi: Thủ tướng Chính phủ',
      'intro', format('Thực hiện nhiệm vụ được giao, Bộ Công Thương đã có Công văn số %s ngày %s đề nghị Ủy ban '
                      'nhân dân các tỉnh, thành phố trực thuộc Trung ương báo cáo %s. Trên cơ sở báo cáo của '
                      '%s/%s địa phương, Bộ Công Thương tổng hợp như sau:',
                      rd.document_no, to_char(rd.signed_on, 'DD/MM/YYYY'),
                      lower(substr(kc_round_title(rd), 1, 1)) || substr(kc_round_title(rd), 2),
                      (v->'round'->'counts'->>'sent')::integer + (v->'round'->'counts'->>'accepted')::integer,
                      v->'round'->'counts'->>'total'),
      'sections', (select coalesce(jsonb_agg(jsonb_build_object(
                            'heading', kc_roman(i::integer) || '. ' || upper(e->>'title'),
                            'text', (select coalesce(string_agg(pv->>'org_name' || ': ' || (pv->>'text'), E'\n'
                                                                order by n), '')
                                       from jsonb_array_elements(e->'provinces') with ordinality y (pv, n)
                                      where pv->>'text' <> '')) order by i), '[]'::jsonb)
                     from jsonb_array_elements(v->'sections') with ordinality s (e, i))
                   || jsonb_build_array(jsonb_build_object(
                        'heading', kc_roman(jsonb_array_length(v->'sections') + 1) || '. CÁC ĐỊA PHƯƠNG CHƯA GỬI BÁO CÁO',
                        'text', case when jsonb_array_length(v->'not_sent') = 0
                                     then 'Tất cả các tỉnh, thành phố đã gửi báo cáo.'
                                     else (select string_agg(e->>'org_name', ', ' order by n)
                                             from jsonb_array_elements(v->'not_sent') with ordinality z (e, n)) || '.' end)),
      'tables', v->'tables' || jsonb_build_array(v_status),
      'recipients', jsonb_build_array('Như trên;', 'Lãnh đạo Bộ;', 'UBND các tỉnh, thành phố trực thuộc TW;',
                                      'Sở Công Thương các tỉnh, thành phố;', 'Lưu: VT, ĐMST.'),
      'signer', jsonb_build_object('authority', 'KT. BỘ TRƯỞNG', 'title', 'THỨ TRƯỞNG', 'name', null))));
end $$;

--
-- Name: kc_report_round_report(bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_report_round_report(p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE plpgsql STABLE
    AS $$
declare
  r round_reports;
  rd rounds;
  v_report jsonb;
  v_tables jsonb;
  v_money jsonb;
  v_province text;
  v_issuer jsonb;
begin
  select * into r from round_reports
   where id = kc_round_report_find(p_scope, (p->>'round_id')::bigint, (p->>'org_id')::bigint);
  if not found then
    return kc_err(1004, 'no such report');
  end if;
  select * into rd from rounds where id = r.round_id;
  v_report := kc_round_report_json(r);
  v_tables := v_report->'tables';
  v_money := coalesce((select t from jsonb_array_elements(v_tables) t where t->>'key' = 'money'),
                      kc_round_money_table(rd, r.org_id));
  v_province := (select name from orgs where id = r.org_id);
  v_issuer := kc_report_province_issuer(r.org_id);
  return jsonb_build_object('result', jsonb_build_object(
    'title', 'Báo cáo ' || lower(substr(kc_round_title(rd), 1, 1)) || substr(kc_round_title(rd), 2),
    'subtitle', format('%s; %s (%s)', v_province, kc_round_status_name(r.status),
                       'Công văn số ' || rd.document_no),
    'issuer', v_issuer,
    'place', kc_report_place(r.org_id),
    'generated_at', kc_instant(coalesce(r.sent_at, now())),
    'file_stem', format('bao-cao-%s-%s', (select code from orgs where id = r.org_id), rd.id),
    'columns', v_money->'columns',
    'rows', v_money->'rows',
    'totals', v_money->'totals',
    'round_id', rd.id, 'org_id', r.org_id, 'org_name', v_province, 'status', r.status,
    'version', r.version,
    'document', jsonb_build_object(
      'number', 'Số:        /BC-SCT',
      'kind', 'BÁO CÁO',
      'heading', kc_round_title(rd),
      'recipient', 'Kính gửi: Bộ Công Thương',
      'intro', format('Thực hiện Công văn số %s ngày %s của Bộ Công Thương về việc %s, %s báo cáo như sau:',
                      rd.document_no, to_char(rd.signed_on, 'DD/MM/YYYY'),
                      lower(substr(rd.title, 1, 1)) || substr(rd.title, 2),
                      v_issuer->>'name'),
      'sections', (select coalesce(jsonb_agg(jsonb_build_object(
                            'heading', kc_roman(i::integer) || '. ' || upper(e->>'title'),
                            'text', e->>'text') order by i), '[]'::jsonb)
                     from jsonb_array_elements(v_report->'sections') with ordinality s (e, i)),
      'tables', v_tables,
      'recipients', jsonb_build_array('Như trên;', v_issuer->>'parent' || ' (để báo cáo);', 'Lưu: VT.'),
      'signer', jsonb_build_object('authority', null, 'title', 'GIÁM ĐỐC', 'name', null))));
end $$;

--
-- Name: kc_report_status_name(text); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_report_status_name(p text) RETURNS text
    LANGUAGE sql IMMUTABLE
    AS $$
  select case p
    when 'draft' then 'Dự thảo'
    when 'submitted' then 'Đã đăng ký'
    when 'revision_requested' then 'Yêu cầu bổ sung, chỉnh sửa'
    when 'approved' then 'Đã phê duyệt'
    when 'rejected' then 'Không được phê duyệt'
    when 'in_progress' then 'Đang thực hiện'
    when 'completed' then 'Đã nghiệm thu'
    when 'settled' then 'Đã quyết toán'
    when 'cancelled' then 'Ngừng thực hiện'
    else p end
$$;

--
-- Name: kc_report_status_sort(text); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_report_status_sort(p text) RETURNS integer
    LANGUAGE sql IMMUTABLE
    AS $$
  select array_position(array['draft', 'submitted', 'revision_requested', 'approved', 'rejected',
                              'in_progress', 'completed', 'settled', 'cancelled'], p)
$$;

--
-- Name: kc_report_summary(bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_report_summary(p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE plpgsql STABLE
    AS $$
declare
  v_res jsonb := kc_report_summary_0027(p_scope, p);
begin
  if v_res->'result' is null then
    return v_res;
  end if;
  v_res := jsonb_set(v_res, '{result,place}', to_jsonb(
    case when p_scope is null then 'Hà Nội' else kc_report_place(kc_scope_root(p_scope)) end));
  if coalesce(p->'group_by', '[]'::jsonb) ? 'source' then
    v_res := jsonb_set(v_res, '{result,note}', to_jsonb(
      'Số đề án theo nguồn kinh phí: một đề án có kinh phí từ nhiều nguồn được đếm ở mỗi nguồn, '
      || 'nên cộng các dòng lớn hơn dòng Tổng cộng (mỗi đề án đếm một lần).'::text));
  end if;
  return v_res;
end $$;

--
-- Name: kc_report_summary_0027(bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_report_summary_0027(p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE plpgsql STABLE
    SET work_mem TO '32MB'
    SET jit TO 'off'
    AS $_$
declare
  v_r jsonb;
begin
  -- $1 is the caller's scope (null: the Ministry), $2 the parameters
  execute $q$
  with prm as (
    select ($2->>'from_year')::integer as y0, ($2->>'to_year')::integer as y1,
           coalesce($2->>'province_map', '34') as map,
           coalesce($2->'group_by', '[]'::jsonb) as gb,
           ($2->'group_by') ? 'province' as by_province, ($2->'group_by') ? 'category' as by_category,
           ($2->'group_by') ? 'year' as by_year, ($2->'group_by') ? 'source' as by_source,
           ($2->'group_by') ? 'status' as by_status, ($2->'group_by') ? 'kind' as by_kind,
           ($2->'group_by') ? 'priority' as by_priority,
           kc_report_list($2->'filters'->'province') as f_province,
           kc_report_list($2->'filters'->'category') as f_category,
           kc_report_list($2->'filters'->'source') as f_source,
           kc_report_list($2->'filters'->'status') as f_status,
           kc_report_list($2->'filters'->'kind') as f_kind,
           kc_report_list($2->'filters'->'priority') as f_priority),
  cfg as (
    select prm.*, (by_source or f_source is not null) as use_source from prm),
  -- the report units, and -1: the facts of every province at once (the
  -- national grains, 4 and 5), which no grouping by province reads
  units as (select * from kc_report_units((select map from cfg))
            union all select -1::bigint, null::bigint, null::text, null::text),
  seen as (
    -- the province-kind organisations a province's user may see
    select o.id from org_scope($1) s join orgs o on o.id = s where o.kind = 'province'),
  -- Money facts (grain 0, 1 or 4) summed by province and the keys asked for,
  -- before anything is joined or grouped by sets: the hundreds of thousands
  -- of fine-grain rows of a grouping by category become a few thousand.
  -- Every condition on $2 is a constant of the statement (EXECUTE plans it
  -- with the values), so the planner reads plain columns by index on
  -- (g, year) and knows how many rows come.
  mpre as (
    select r.province_org,
           case when ($2->'group_by') ? 'category' then r.category end as k_category,
           case when ($2->'group_by') ? 'year' then r.year end as k_year,
           case when ($2->'group_by') ? 'source' then r.source end as k_source,
           case when ($2->'group_by') ? 'status' then r.status end as k_status,
           case when ($2->'group_by') ? 'kind' then r.kind end as k_kind,
           case when ($2->'group_by') ? 'priority' then r.priority end as k_priority,
           (r.source <> '') = (($2->'group_by') ? 'source'
                               or kc_report_list($2->'filters'->'source') is not null) as in_rows,
           (r.source <> '') = (kc_report_list($2->'filters'->'source') is not null) as in_total,
           sum(r.projects) as projects, sum(r.planned) as planned, sum(r.allocated) as allocated,
           sum(r.advanced) as advanced, sum(r.final) as final, sum(r.refunded) as refunded,
           sum(r.settled) as settled
      from report_facts r
     where r.g = kc_report_grain_at($1, $2)
       and r.year between ($2->>'from_year')::integer and ($2->>'to_year')::integer
       and (case when $1 is null then r.visible
                 else r.province_org in (select id from seen) end)
       and (kc_report_list($2->'filters'->'category') is null
            or r.category = any (kc_report_list($2->'filters'->'category')))
       and (kc_report_list($2->'filters'->'status') is null
            or r.status = any (kc_report_list($2->'filters'->'status')))
       and (kc_report_list($2->'filters'->'kind') is null
            or r.kind = any (kc_report_list($2->'filters'->'kind')))
       and (kc_report_list($2->'filters'->'priority') is null
            or r.priority = any (kc_report_list($2->'filters'->'priority')))
       and (r.source = '' or kc_report_list($2->'filters'->'source') is null
            or r.source = any (kc_report_list($2->'filters'->'source')))
     group by 1, 2, 3, 4, 5, 6, 7, 8, 9),
  mf as (
    select case when cfg.by_province then u.unit_id end as k_province,
           m.k_category, m.k_year, m.k_source, m.k_status, m.k_kind, m.k_priority,
           m.in_rows, m.in_total, m.projects, m.planned, m.allocated, m.advanced, m.final,
           m.refunded, m.settled
      from mpre m join units u on u.province_org = m.province_org, cfg
     where (cfg.f_province is null or u.unit_code = any (cfg.f_province))),
  -- the groups and, as the empty grouping set, the totals, in one pass
  money_all as (
    select k_province as unit_id, k_category as category, k_year as year, k_source as source,
           k_status as status, k_kind as kind, k_priority as priority,
           grouping(k_province) = 1 as is_total,
           coalesce(sum(projects) filter (where in_rows), 0)::bigint as projects,
           coalesce(sum(projects) filter (where in_total), 0)::bigint as projects_total,
           coalesce(sum(planned), 0)::bigint as planned,
           coalesce(sum(allocated), 0)::bigint as allocated,
           coalesce(sum(advanced), 0)::bigint as advanced,
           coalesce(sum(final), 0)::bigint as final,
           coalesce(sum(refunded), 0)::bigint as refunded,
           coalesce(sum(settled), 0)::bigint as settled
      from mf
     group by grouping sets ((k_province, k_category, k_year, k_source, k_status, k_kind,
                              k_priority), ())),
  money as (
    select * from money_all
     where not is_total and projects > 0
       and not ((select by_source from cfg) and source = '')),
  tot as (
    select projects_total as projects, planned, allocated, advanced, final, refunded, settled
      from money_all where is_total
    union all
    select 0, 0, 0, 0, 0, 0, 0 where not exists (select 1 from money_all where is_total)),
  -- indicators the same way: summed by province and keys first
  ipre as (
    select r.province_org,
           case when ($2->'group_by') ? 'category' then r.category end as k_category,
           case when ($2->'group_by') ? 'year' then r.year end as k_year,
           case when ($2->'group_by') ? 'status' then r.status end as k_status,
           case when ($2->'group_by') ? 'kind' then r.kind end as k_kind,
           case when ($2->'group_by') ? 'priority' then r.priority end as k_priority,
           r.indicator,
           sum(r.projects) as projects, sum(r.target) as target, sum(r.achieved) as achieved
      from report_facts r
     where r.g = kc_report_indicator_grain(kc_report_grain_at($1, $2))
       and r.year between ($2->>'from_year')::integer and ($2->>'to_year')::integer
       and (case when $1 is null then r.visible
                 else r.province_org in (select id from seen) end)
       and (kc_report_list($2->'filters'->'category') is null
            or r.category = any (kc_report_list($2->'filters'->'category')))
       and (kc_report_list($2->'filters'->'status') is null
            or r.status = any (kc_report_list($2->'filters'->'status')))
       and (kc_report_list($2->'filters'->'kind') is null
            or r.kind = any (kc_report_list($2->'filters'->'kind')))
       and (kc_report_list($2->'filters'->'priority') is null
            or r.priority = any (kc_report_list($2->'filters'->'priority')))
     group by 1, 2, 3, 4, 5, 6, 7),
  ind as (
    select case when cfg.by_province then u.unit_id end as unit_id,
           i.k_category as category, i.k_year as year, i.k_status as status, i.k_kind as kind,
           i.k_priority as priority, i.indicator,
           sum(i.projects)::bigint as projects, sum(i.target)::bigint as target,
           sum(i.achieved)::bigint as achieved
      from ipre i join units u on u.province_org = i.province_org, cfg
     where (cfg.f_province is null or u.unit_code = any (cfg.f_province))
     group by 1, 2, 3, 4, 5, 6, 7
    having sum(i.projects) > 0),
  unit_names as (select distinct unit_id, unit_code, unit_name from units),
  -- the group members of a row, only those asked for
  money_rows as (
    select m.*, un.unit_code, un.unit_name,
           jsonb_strip_nulls(jsonb_build_object(
             'province_id', m.unit_id, 'province_code', un.unit_code,
             'province_name', un.unit_name,
             'category', m.category,
             'category_name', case when m.category = '' then 'Chưa xác định'
                                   else (select name_vi from content_categories where code = m.category) end,
             'year', m.year,
             'source', m.source,
             'source_name', (select name_vi from funding_sources where code = m.source),
             'status', m.status, 'status_name', kc_report_status_name(m.status),
             'kind', m.kind,
             'kind_name', (select name_vi from project_kinds where code = m.kind),
             'priority', m.priority,
             'priority_name', case when m.priority = '' then 'Không thuộc địa bàn ưu tiên'
                                   else (select name_vi from priority_areas where code = m.priority) end))
           || jsonb_build_object('projects', m.projects, 'planned', m.planned,
                                 'allocated', m.allocated, 'advanced', m.advanced,
                                 'final', m.final, 'refunded', m.refunded,
                                 'paid', m.advanced + m.final - m.refunded, 'settled', m.settled)
             as j,
           (select sort from content_categories where code = m.category) as cat_sort,
           (select sort from funding_sources where code = m.source) as src_sort,
           (select sort from project_kinds where code = m.kind) as kind_sort
      from money m left join unit_names un on un.unit_id = m.unit_id),
  ind_rows as (
    select i.*,
           jsonb_strip_nulls(jsonb_build_object(
             'province_id', i.unit_id, 'province_code', un.unit_code,
             'province_name', un.unit_name, 'category', i.category, 'year', i.year,
             'status', i.status, 'kind', i.kind, 'priority', i.priority))
           || jsonb_build_object('indicator', i.indicator,
                                 'indicator_name', x.name_vi, 'unit', x.unit_vi,
                                 'projects', i.projects, 'target', i.target,
                                 'achieved', i.achieved) as j,
           un.unit_code
      from ind i left join unit_names un on un.unit_id = i.unit_id
           left join indicators x on x.code = i.indicator),
  cols as (
    select coalesce(jsonb_agg(c.col order by c.n), '[]'::jsonb) as columns
      from cfg, lateral (values
        (1, cfg.by_province, jsonb_build_object('key', 'province_name', 'label', 'Tỉnh, thành phố', 'type', 'text')),
        (2, cfg.by_year, jsonb_build_object('key', 'year', 'label', 'Năm', 'type', 'year')),
        (3, cfg.by_category, jsonb_build_object('key', 'category_name', 'label', 'Nội dung khuyến công', 'type', 'text')),
        (4, cfg.by_kind, jsonb_build_object('key', 'kind_name', 'label', 'Loại đề án', 'type', 'text')),
        (5, cfg.by_priority, jsonb_build_object('key', 'priority_name', 'label', 'Địa bàn ưu tiên', 'type', 'text')),
        (6, cfg.by_status, jsonb_build_object('key', 'status_name', 'label', 'Trạng thái', 'type', 'text')),
        (7, cfg.by_source, jsonb_build_object('key', 'source_name', 'label', 'Nguồn kinh phí', 'type', 'text')),
        (8, true, jsonb_build_object('key', 'projects', 'label', 'Số đề án', 'type', 'integer')),
        (9, true, jsonb_build_object('key', 'planned', 'label', 'Kế hoạch', 'type', 'money', 'group', 'Kinh phí (đồng)')),
        (10, true, jsonb_build_object('key', 'allocated', 'label', 'Phân bổ', 'type', 'money', 'group', 'Kinh phí (đồng)')),
        (11, true, jsonb_build_object('key', 'advanced', 'label', 'Tạm ứng', 'type', 'money', 'group', 'Kinh phí (đồng)')),
        (12, true, jsonb_build_object('key', 'final', 'label', 'Thanh toán', 'type', 'money', 'group', 'Kinh phí (đồng)')),
        (13, true, jsonb_build_object('key', 'refunded', 'label', 'Thu hồi', 'type', 'money', 'group', 'Kinh phí (đồng)')),
        (14, true, jsonb_build_object('key', 'paid', 'label', 'Đã giải ngân', 'type', 'money', 'group', 'Kinh phí (đồng)')),
        (15, true, jsonb_build_object('key', 'settled', 'label', 'Quyết toán', 'type', 'money', 'group', 'Kinh phí (đồng)'))
      ) as c (n, shown, col)
     where c.shown)
  select jsonb_build_object('result', jsonb_build_object(
    'title', 'Báo cáo tổng hợp hoạt động khuyến công',
    'subtitle', format('Năm %s%s; %s', cfg.y0,
                       case when cfg.y1 <> cfg.y0 then format('–%s', cfg.y1) else '' end,
                       case when cfg.map = '63' then 'theo 63 tỉnh, thành phố (trước 01/07/2025)'
                            else 'theo 34 tỉnh, thành phố (từ 01/07/2025)' end),
    'issuer', case when $1 is null
                   then jsonb_build_object('parent', 'Bộ Công Thương',
                                           'name', (select name from orgs where kind = 'ministry_department'
                                                     order by id limit 1))
                   else jsonb_build_object('parent', (select name from orgs where id = $1),
                                           'name', 'Sở Công Thương') end,
    'generated_at', kc_instant(now()),
    'file_stem', format('bao-cao-tong-hop-%s-%s', cfg.y0, cfg.y1),
    'params', jsonb_build_object('from_year', cfg.y0, 'to_year', cfg.y1, 'group_by', cfg.gb,
                                 'province_map', cfg.map,
                                 'filters', coalesce($2->'filters', '{}'::jsonb)),
    'columns', (select columns from cols),
    'rows', (select coalesce(jsonb_agg(r.j order by r.unit_code, r.unit_id, r.year, r.cat_sort,
                                       r.category, r.kind_sort, r.priority,
                                       kc_report_status_sort(r.status), r.src_sort), '[]'::jsonb)
               from money_rows r),
    'totals', (select jsonb_build_object('projects', t.projects, 'planned', t.planned,
                                         'allocated', t.allocated, 'advanced', t.advanced,
                                         'final', t.final, 'refunded', t.refunded,
                                         'paid', t.advanced + t.final - t.refunded,
                                         'settled', t.settled)
                 from tot t),
    'indicators', (select coalesce(jsonb_agg(r.j order by r.unit_code, r.unit_id, r.year,
                                             r.category, r.kind, r.priority,
                                             kc_report_status_sort(r.status), r.indicator),
                                    '[]'::jsonb)
                     from ind_rows r)))
    from cfg
$q$ into v_r using p_scope, p;
  return v_r;
end $_$;

--
-- Name: kc_report_units(text); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_report_units(p_map text) RETURNS TABLE(province_org bigint, unit_id bigint, unit_code text, unit_name text)
    LANGUAGE sql STABLE
    AS $$
  with m as (
    select o.id as province_org,
           case when p_map = '34' then
                  case when o.valid_to is not null and o.valid_to < date '2025-07-01'
                       then coalesce((select l.new_org_id from org_lineage l
                                       where l.old_org_id = o.id
                                       order by l.effective desc, l.new_org_id limit 1), o.id)
                       else o.id end
                else
                  case when o.valid_from >= date '2025-07-01'
                            and (select count(*) from org_lineage l where l.new_org_id = o.id) = 1
                       then (select l.old_org_id from org_lineage l where l.new_org_id = o.id)
                       else o.id end
           end as unit_id
      from orgs o where o.kind = 'province')
  select m.province_org, m.unit_id, u.code,
         u.name || case when p_map = '63' and u.valid_from >= date '2025-07-01'
                        then ' (từ 01/07/2025)' else '' end
    from m join orgs u on u.id = m.unit_id
  union all
  select 0, 0, '00', 'Các đơn vị thuộc Bộ Công Thương'
$$;

--
-- Name: kc_reset_confirm(bigint, bigint, text, text); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_reset_confirm(p_id bigint, p_actor bigint, p_actor_name text, p_peer text) RETURNS TABLE(kind text, target_id bigint, requested_by bigint)
    LANGUAGE plpgsql
    AS $$
#variable_conflict use_column
declare
  r reset_requests;
begin
  update reset_requests set confirmed_by = p_actor, confirmed_at = now()
   where id = p_id and confirmed_by is null and requested_at > now() - interval '1 day'
  returning * into r;
  if r.id is null then
    return;
  end if;
  perform set_config('kc.reset_confirmed', r.id::text, true);
  perform kc_audit(p_actor, p_actor_name, p_peer, 'user.confirm_reset', 'user', r.target_id, null,
                   jsonb_build_object('four_eyes', 'confirmed', 'request_id', r.id,
                                      'kind', r.kind, 'requested_by', r.requested_by));
  return query select r.kind, r.target_id, r.requested_by;
end $$;

--
-- Name: kc_reset_confirmed(text, bigint); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_reset_confirmed(p_kind text, p_target bigint) RETURNS boolean
    LANGUAGE sql STABLE
    AS $$
  select exists (select 1 from reset_requests r
                  where r.id = nullif(current_setting('kc.reset_confirmed', true), '')::bigint
                    and r.kind = p_kind and r.target_id = p_target
                    and r.confirmed_at = now())
$$;

--
-- Name: kc_reset_request(text, bigint, bigint, text, text); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_reset_request(p_kind text, p_target bigint, p_actor bigint, p_actor_name text, p_peer text) RETURNS bigint
    LANGUAGE plpgsql
    AS $$
declare
  v_id bigint;
begin
  insert into reset_requests (kind, target_id, requested_by) values (p_kind, p_target, p_actor)
  returning id into v_id;
  perform kc_audit(p_actor, p_actor_name, p_peer, 'user.' || p_kind, 'user', p_target, null,
                   jsonb_build_object('four_eyes', 'requested', 'request_id', v_id));
  return v_id;
end $$;

--
-- Name: kc_review_assign(bigint, text, text, text, bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_review_assign(p_user bigint, p_username text, p_peer text, p_role text, p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE plpgsql
    AS $$
declare
  pr projects := kc_review_project(p_scope, (p->>'project_id')::bigint, true);
  v_before jsonb;
  v_after jsonb;
begin
  if pr.id is null then
    return kc_err(1004, 'no such project');
  end if;
  if p_role <> 'ministry_approver' then
    return kc_err(1003, 'only the approver assigns reviewers');
  end if;
  if not kc_review_in_queue(pr) then
    return kc_err(1010, format('not allowed while the project is %s / %s', pr.status, pr.stage),
                  jsonb_build_object('status', pr.status));
  end if;
  if not exists (select 1 from users u where u.id = (p->>'reviewer_id')::bigint and u.disabled_at is null
                    and u.role in ('ministry_reviewer', 'ministry_approver')) then
    return kc_err(1022, 'the reviewer must be an active ministry_reviewer or ministry_approver',
                  jsonb_build_object('violations', jsonb_build_array(kc_violation(
                    'reviewer_id', 'reviewer', 'the reviewer must be an active ministry_reviewer or ministry_approver'))));
  end if;
  select to_jsonb(a) into v_before from review_assignments a where a.project_id = pr.id;
  insert into review_assignments as a (project_id, reviewer_id, assigned_by)
  values (pr.id, (p->>'reviewer_id')::bigint, p_user)
  on conflict (project_id) do update set reviewer_id = excluded.reviewer_id,
                                         assigned_by = excluded.assigned_by, at = now();
  select jsonb_build_object('project_id', a.project_id, 'reviewer_id', a.reviewer_id,
                            'assigned_by', a.assigned_by, 'at', kc_instant(a.at))
    into v_after from review_assignments a where a.project_id = pr.id;
  perform kc_audit(p_user, p_username, p_peer, 'review.assign', 'project', pr.id, v_before, v_after);
  return jsonb_build_object('result', v_after);
end $$;

--
-- Name: kc_review_comment(bigint, text, text, text, bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_review_comment(p_user bigint, p_username text, p_peer text, p_role text, p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE plpgsql
    AS $$
declare
  pr projects := kc_review_project(p_scope, (p->>'project_id')::bigint, false);
  v plans;
  c review_comments;
begin
  if pr.id is null then
    return kc_err(1004, 'no such project');
  end if;
  if p_role not in ('ministry_reviewer', 'ministry_approver', 'province_officer', 'province_leader') then
    return kc_err(1003, 'this role may not comment');
  end if;
  select * into v from plans where id = pr.plan_id;
  if v.scope <> 'national' or v.status in ('draft', 'submitted') then
    return kc_err(1010, 'the review thread opens when the project is forwarded to the Ministry',
                  jsonb_build_object('status', pr.status));
  end if;
  insert into review_comments (project_id, author_id, author_role, body)
  values (pr.id, p_user, p_role, p->>'body') returning * into c;
  perform kc_audit(p_user, p_username, p_peer, 'review.comment', 'review_comment', c.id, null,
                   kc_review_comment_json(c));
  return jsonb_build_object('result', kc_review_comment_json(c));
end $$;

--
-- Name: review_comments; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.review_comments (
    id bigint NOT NULL,
    project_id bigint NOT NULL,
    author_id bigint NOT NULL,
    author_role text NOT NULL,
    kind text DEFAULT 'comment'::text NOT NULL,
    body text NOT NULL,
    at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT review_comments_body_check CHECK (((length(body) >= 1) AND (length(body) <= 20000))),
    CONSTRAINT review_comments_kind_check CHECK ((kind = ANY (ARRAY['comment'::text, 'decision'::text])))
);

--
-- Name: kc_review_comment_json(public.review_comments); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_review_comment_json(c public.review_comments) RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$
  select jsonb_build_object('id', c.id, 'project_id', c.project_id, 'author_id', c.author_id,
                            'author', (select u.full_name from users u where u.id = c.author_id),
                            'author_role', c.author_role, 'kind', c.kind, 'body', c.body,
                            'at', kc_instant(c.at))
$$;

--
-- Name: kc_review_comments(bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_review_comments(p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE plpgsql STABLE
    AS $$
declare
  pr projects;
begin
  select * into pr from projects where id = (p->>'project_id')::bigint;
  if pr.id is null or not exists (select 1 from plans v where v.id = pr.plan_id
                                     and kc_plan_visible(v.org_id, v.scope, v.status, p_scope)) then
    return kc_err(1004, 'no such project');
  end if;
  return jsonb_build_object('result', jsonb_build_object(
    'items', coalesce((select jsonb_agg(kc_review_comment_json(c) order by c.id)
                         from review_comments c where c.project_id = pr.id), '[]'::jsonb)));
end $$;

--
-- Name: kc_review_decide(bigint, text, text, text, bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_review_decide(p_user bigint, p_username text, p_peer text, p_role text, p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE plpgsql
    AS $$
declare
  pr projects := kc_review_project(p_scope, (p->>'project_id')::bigint, true);
  v_decision text := p->>'decision';
  v_comment text := nullif(btrim(coalesce(p->>'comment', '')), '');
  v_err jsonb;
  v_before jsonb;
  v_after jsonb;
begin
  if pr.id is null or p_scope is not null then
    return kc_err(1004, 'no such project');
  end if;
  if v_decision in ('approve', 'reject') and p_role <> 'ministry_approver' then
    return kc_err(1003, format('only the approver may %s a project', v_decision));
  end if;
  if p_role not in ('ministry_reviewer', 'ministry_approver') then
    return kc_err(1003, 'only the Ministry decides');
  end if;
  v_err := kc_record_check('project', true, pr.version, (p->>'version')::integer, pr.status,
                           array['submitted']);
  if v_err is null and not kc_review_in_queue(pr) then
    v_err := kc_err(1010, format('not allowed while the project is %s / %s', pr.status, pr.stage),
                    jsonb_build_object('status', pr.status));
  end if;
  if v_err is not null then
    return v_err;
  end if;
  if v_decision = 'reject' and v_comment is null then
    return kc_err(1022, 'a reason is required to reject a project',
                  jsonb_build_object('violations', jsonb_build_array(
                    kc_violation('comment', 'required', 'a reason is required to reject a project'))));
  end if;
  if v_decision = 'approve' and kc_setting('review.scorer_may_approve', 'false') <> 'true'
     and exists (select 1 from review_scores s where s.project_id = pr.id and s.reviewer_id = p_user) then
    return kc_err(1022, 'the person who scored a project cannot approve it',
                  jsonb_build_object('violations', jsonb_build_array(kc_violation('decision', 'scorer_approves',
                    'the person who scored a project cannot approve it (settings review.scorer_may_approve)'))));
  end if;
  v_before := kc_project_json(pr.id, false);
  perform kc_actor_set(p_user, p_role, v_comment);
  if v_decision = 'request_revision' then
    update projects set status = 'revision_requested', stage = 'revision_requested',
                        version = version + 1 where id = pr.id;
    update project_versions set sent_back = true
     where project_id = pr.id
       and version = (select max(version) from project_versions where project_id = pr.id);
  elsif v_decision = 'approve' then
    update projects set status = 'approved', stage = 'ministry_appraised', version = version + 1
     where id = pr.id;
  elsif v_decision = 'reject' then
    update projects set status = 'rejected', stage = 'not_selected', version = version + 1
     where id = pr.id;
  else
    raise exception 'unknown decision %', v_decision;
  end if;
  if v_comment is not null then
    insert into review_comments (project_id, author_id, author_role, kind, body)
    values (pr.id, p_user, p_role, 'decision', v_decision || ': ' || v_comment);
  end if;
  v_after := kc_project_json(pr.id, false) || jsonb_build_object('decision', v_decision);
  perform kc_audit(p_user, p_username, p_peer, 'review.decide', 'project', pr.id, v_before, v_after);
  return jsonb_build_object('result', v_after);
end $$;

--
-- Name: kc_review_diff(bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_review_diff(p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE plpgsql STABLE
    AS $$
declare
  pr projects;
  f project_versions;
  v_to integer;
  v_now jsonb;
begin
  select * into pr from projects where id = (p->>'project_id')::bigint;
  if pr.id is null or not exists (select 1 from plans v where v.id = pr.plan_id
                                     and kc_plan_visible(v.org_id, v.scope, v.status, p_scope)) then
    return kc_err(1004, 'no such project');
  end if;
  select * into f from project_versions
   where project_id = pr.id and sent_back order by version desc limit 1;
  select max(version) into v_to from project_versions where project_id = pr.id;
  v_now := kc_project_json(pr.id, true) - 'history';
  return jsonb_build_object('result', jsonb_build_object(
    'project_id', pr.id,
    'from_version', f.version,
    'from_at', kc_instant(f.at),
    -- the resubmitted snapshot, or null while the province is still editing
    'to_version', case when f.version is not null and v_to > f.version then v_to end,
    'changes', case when f.version is null then '[]'::jsonb
                    else kc_review_diff_json(f.snapshot, v_now) end,
    'versions', coalesce((select jsonb_agg(jsonb_build_object('version', v.version, 'stage', v.stage,
                                                              'project_version', v.project_version,
                                                              'sent_back', v.sent_back,
                                                              'at', kc_instant(v.at)) order by v.version)
                            from project_versions v where v.project_id = pr.id), '[]'::jsonb)));
end $$;

--
-- Name: kc_review_diff_json(jsonb, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_review_diff_json(a jsonb, b jsonb) RETURNS jsonb
    LANGUAGE sql IMMUTABLE
    AS $$
  with skip (k) as (
    values ('status'), ('stage'), ('version'), ('updated_at'), ('checked_at'), ('checked_on'),
           ('checked_cap_id'), ('warnings'), ('history'), ('cancellation'), ('acceptance'),
           ('created_at'), ('created_by'), ('budget_lines'), ('indicators')),
  lines as (
    select coalesce(x.s, y.s) as s, x.amt as before, y.amt as after
      from (select e->>'source' as s, e->'amount' as amt
              from jsonb_array_elements(coalesce(a->'budget_lines', '[]')) e) x
      full join (select e->>'source' as s, e->'amount' as amt
                   from jsonb_array_elements(coalesce(b->'budget_lines', '[]')) e) y on x.s = y.s),
  inds as (
    select coalesce(x.s, y.s) as s, x.t as before, y.t as after
      from (select e->>'code' as s, e->'target' as t
              from jsonb_array_elements(coalesce(a->'indicators', '[]')) e) x
      full join (select e->>'code' as s, e->'target' as t
                   from jsonb_array_elements(coalesce(b->'indicators', '[]')) e) y on x.s = y.s),
  d as (
    select 0 as g, k as field, kc_diff_norm(a->k) as before, kc_diff_norm(b->k) as after
      from (select jsonb_object_keys(a) as k union select jsonb_object_keys(b)) keys
     where k not in (select k from skip) and kc_diff_norm(a->k) is distinct from kc_diff_norm(b->k)
    union all
    select 1, 'budget_lines.' || s, before, after from lines where before is distinct from after
    union all
    select 2, 'indicators.' || s, before, after from inds where before is distinct from after)
  select coalesce(jsonb_agg(jsonb_build_object('field', field, 'before', coalesce(before, 'null'::jsonb),
                                               'after', coalesce(after, 'null'::jsonb))
                            order by g, field), '[]'::jsonb)
    from d
$$;

--
-- Name: kc_review_in_queue(public.projects); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_review_in_queue(pr public.projects) RETURNS boolean
    LANGUAGE sql IMMUTABLE
    AS $$
  select pr.status = 'submitted' and pr.stage in ('base_appraised', 'resubmitted', 'submitted_direct')
$$;

--
-- Name: kc_review_project(bigint, bigint, boolean); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_review_project(p_scope bigint, p_id bigint, p_lock boolean DEFAULT false) RETURNS public.projects
    LANGUAGE plpgsql
    AS $$
declare
  pr projects;
  v plans;
begin
  if p_lock then
    select * into pr from projects where id = p_id for update;
  else
    select * into pr from projects where id = p_id;
  end if;
  if pr.id is null then
    return null;
  end if;
  select * into v from plans where id = pr.plan_id;
  if not kc_plan_visible(v.org_id, v.scope, v.status, p_scope) then
    return null;
  end if;
  return pr;
end $$;

--
-- Name: kc_review_queue(bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_review_queue(p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$
  with q as (
    select pr.id, pl.late, pl.org_id, kc_review_rank(pr) as rk
      from projects pr join plans pl on pl.id = pr.plan_id
     where kc_review_in_queue(pr) and pl.scope = 'national'
       and kc_plan_visible(pl.org_id, pl.scope, pl.status, p_scope)
       and (p->>'province' is null or pl.org_id in (select org_scope((p->>'province')::bigint)))
       and (p->>'kind' is null or pr.kind = p->>'kind')
       and (p->>'late' is null or pl.late = (p->>'late')::boolean)
       and (p->>'category' is null
            or exists (select 1 from project_categories c
                        where c.project_id = pr.id and c.content_code = p->>'category'))),
  o as (
    select q.*, row_number() over (order by (rk->>'flagship')::boolean desc,
                                            (rk->>'area_rank')::integer nulls last,
                                            (rk->>'sector_rank')::integer nulls last,
                                            (rk->>'average_score')::numeric desc nulls last,
                                            id) as n
      from q),
  page as (
    select * from o
     where n > coalesce((p->>'cursor')::bigint, 0)
       and n <= coalesce((p->>'cursor')::bigint, 0) + coalesce((p->>'limit')::bigint, 100))
  select jsonb_build_object('result', jsonb_build_object(
    'items', coalesce((select jsonb_agg(kc_project_json(page.id, false)
                                        || jsonb_build_object('late', page.late, 'rank', page.rk,
                                                              'position', page.n,
                                                              'reviewer_id', (select a.reviewer_id from review_assignments a
                                                                               where a.project_id = page.id),
                                                              'submission', (select max(v.version) from project_versions v
                                                                              where v.project_id = page.id))
                                        order by page.n) from page), '[]'::jsonb),
    'next_cursor', (select case when max(page.n) < (select max(n) from o) then max(page.n)::text end
                      from page)))
$$;

--
-- Name: kc_review_rank(public.projects); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_review_rank(pr public.projects) RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$
  select jsonb_build_object(
    'flagship', pr.kind = 'flagship',
    'area_rank', (select a.rank from priority_areas a where a.code = pr.priority_area),
    'sector_rank', (select min(s.rank) from priority_sectors s where s.code = any (kc_project_priorities(pr))),
    'average_score', (select round(avg(score), 2) from review_scores s where s.project_id = pr.id))
$$;

--
-- Name: kc_review_score(bigint, text, text, text, bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_review_score(p_user bigint, p_username text, p_peer text, p_role text, p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE plpgsql
    AS $$
declare
  pr projects := kc_review_project(p_scope, (p->>'project_id')::bigint, true);
  v_before jsonb;
  v_after jsonb;
  v_dup text;
begin
  if pr.id is null then
    return kc_err(1004, 'no such project');
  end if;
  if p_role not in ('ministry_reviewer', 'ministry_approver') then
    return kc_err(1003, 'only the Ministry scores projects');
  end if;
  if not kc_review_in_queue(pr) then
    return kc_err(1010, format('not allowed while the project is %s / %s', pr.status, pr.stage),
                  jsonb_build_object('status', pr.status));
  end if;
  select string_agg(distinct x, ', ') into v_dup
    from (select e->>'criterion' as x from jsonb_array_elements(p->'scores') e) s
   group by x having count(*) > 1;
  if v_dup is not null then
    return kc_err(1022, 'a criterion is given twice', jsonb_build_object('violations',
      jsonb_build_array(kc_violation('scores', 'unique', format('criterion %s is given twice', v_dup)))));
  end if;
  v_before := kc_review_scores_json(pr.id);
  insert into review_scores as s (project_id, reviewer_id, criterion, score, note)
  select pr.id, p_user, (e->>'criterion')::smallint, (e->>'score')::smallint, e->>'note'
    from jsonb_array_elements(p->'scores') e
  on conflict (project_id, reviewer_id, criterion)
  do update set score = excluded.score, note = excluded.note, at = now();
  v_after := kc_review_scores_json(pr.id);
  perform kc_audit(p_user, p_username, p_peer, 'review.score', 'project', pr.id, v_before, v_after);
  return jsonb_build_object('result', v_after || jsonb_build_object('project_id', pr.id));
end $$;

--
-- Name: kc_review_scores_json(bigint); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_review_scores_json(p_id bigint) RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$
  select jsonb_build_object(
    'average', (select round(avg(score), 2) from review_scores where project_id = p_id),
    'items', coalesce((select jsonb_agg(jsonb_build_object('reviewer_id', s.reviewer_id,
                                                           'criterion', s.criterion, 'score', s.score,
                                                           'note', s.note, 'at', kc_instant(s.at))
                                        order by s.reviewer_id, s.criterion)
                         from review_scores s where s.project_id = p_id), '[]'::jsonb))
$$;

--
-- Name: kc_role_fits_org(text, bigint); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_role_fits_org(p_role text, p_org bigint) RETURNS boolean
    LANGUAGE plpgsql STABLE
    AS $$
begin
  if p_role in ('province_officer', 'province_leader') then
    return kc_scope_root(p_org) is not null;
  elsif p_role in ('ministry_reviewer', 'ministry_approver', 'admin') then
    return exists (select 1 from orgs where id = p_org) and kc_scope_root(p_org) is null;
  end if;
  return true;
end $$;

--
-- Name: kc_roman(integer); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_roman(n integer) RETURNS text
    LANGUAGE sql IMMUTABLE
    AS $$
  select (array['I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII', 'IX', 'X', 'XI', 'XII', 'XIII', 'XIV',
                'XV', 'XVI', 'XVII', 'XVIII', 'XIX', 'XX', 'XXI', 'XXII', 'XXIII', 'XXIV', 'XXV',
                'XXVI', 'XXVII', 'XXVIII', 'XXIX', 'XXX'])[n]
$$;

--
-- Name: kc_round_consolidate(bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_round_consolidate(p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE plpgsql STABLE
    AS $$
declare
  rd rounds;
begin
  if p_scope is not null then
    return kc_err(1003, 'the national summary is the Ministry''s');
  end if;
  select * into rd from rounds where id = (p->>'round_id')::bigint;
  if not found then
    return kc_err(1004, 'no such round');
  end if;
  return jsonb_build_object('result', jsonb_build_object(
    'round', kc_round_json(rd, null) - 'reports',
    'tables', kc_round_tables(rd, null),
    'provinces', (select coalesce(jsonb_agg(kc_round_report_brief(r, rd) || jsonb_build_object(
                           'projects', coalesce(m.projects, 0), 'total', coalesce(m.total, 0))
                           order by o.code), '[]'::jsonb)
                    from round_reports r join orgs o on o.id = r.org_id
                    left join kc_round_unit_totals(rd) m on m.unit_id = r.org_id
                   where r.round_id = rd.id),
    'sections', (select coalesce(jsonb_agg(s.e || jsonb_build_object('provinces', (
                           select coalesce(jsonb_agg(jsonb_build_object(
                                    'org_id', r.org_id, 'org_name', o.name, 'status', r.status,
                                    'text', coalesce(r.texts->>(s.e->>'key'), '')) order by o.code), '[]'::jsonb)
                             from round_reports r join orgs o on o.id = r.org_id
                            where r.round_id = rd.id and r.status in ('sent', 'accepted')))
                           order by s.i), '[]'::jsonb)
                   from jsonb_array_elements(rd.sections) with ordinality s (e, i)),
    'not_sent', (select coalesce(jsonb_agg(kc_round_report_brief(r, rd) order by o.code), '[]'::jsonb)
                   from round_reports r join orgs o on o.id = r.org_id
                  where r.round_id = rd.id and r.status not in ('sent', 'accepted'))));
end $$;

--
-- Name: kc_round_consolidate_0026(bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_round_consolidate_0026(p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE plpgsql STABLE
    AS $$
declare
  rd rounds;
begin
  if p_scope is not null then
    return kc_err(1003, 'the national summary is the Ministry''s');
  end if;
  select * into rd from rounds where id = (p->>'round_id')::bigint;
  if not found then
    return kc_err(1004, 'no such round');
  end if;
  return jsonb_build_object('result', jsonb_build_object(
    'round', kc_round_json(rd, null) - 'reports',
    'tables', kc_round_tables(rd, null),
    'provinces', (select coalesce(jsonb_agg(kc_round_report_brief(r, rd) || jsonb_build_object(
                           'projects', coalesce(m.projects, 0), 'total', coalesce(m.total, 0))
                           order by o.code), '[]'::jsonb)
                    from round_reports r join orgs o on o.id = r.org_id
                    left join (select unit_id, sum(projects) filter (where source = '' and indicator = '') as projects,
                                      sum(planned) filter (where source <> '') as total
                                 from kc_round_facts(rd, null) group by unit_id) m on m.unit_id = r.org_id
                   where r.round_id = rd.id),
    'sections', (select coalesce(jsonb_agg(s.e || jsonb_build_object('provinces', (
                           select coalesce(jsonb_agg(jsonb_build_object(
                                    'org_id', r.org_id, 'org_name', o.name, 'status', r.status,
                                    'text', coalesce(r.texts->>(s.e->>'key'), '')) order by o.code), '[]'::jsonb)
                             from round_reports r join orgs o on o.id = r.org_id
                            where r.round_id = rd.id and r.status in ('sent', 'accepted')))
                           order by s.i), '[]'::jsonb)
                   from jsonb_array_elements(rd.sections) with ordinality s (e, i)),
    'not_sent', (select coalesce(jsonb_agg(kc_round_report_brief(r, rd) order by o.code), '[]'::jsonb)
                   from round_reports r join orgs o on o.id = r.org_id
                  where r.round_id = rd.id and r.status not in ('sent', 'accepted'))));
end $$;

--
-- Name: kc_round_create(bigint, text, text, text, bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_round_create(p_user bigint, p_username text, p_peer text, p_role text, p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE plpgsql
    AS $_$
declare
  v_sections jsonb := coalesce(p->'sections', kc_round_default_sections());
  v_viol jsonb;
  rd rounds;
  v_after jsonb;
begin
  if p_scope is not null or p_role <> 'ministry_approver' then
    return kc_err(1003, 'a reporting round is opened by the Ministry');
  end if;
  select coalesce(jsonb_agg(x order by n), '[]'::jsonb) into v_viol from (
    select 1 as n, kc_violation('to_year', 'period', 'to_year must not be before from_year') as x
     where (p->>'to_year')::integer < (p->>'from_year')::integer
    union all
    select 2, kc_violation('due_on', 'after_signed', 'the due day must not be before the letter''s date')
     where (p->>'due_on')::date < (p->>'signed_on')::date
    union all
    select 3, kc_violation('sections', 'unique', 'a section key is given twice')
     where exists (select 1 from jsonb_array_elements(v_sections) e group by e->>'key' having count(*) > 1)
    union all
    select 4, kc_violation('sections', 'required', 'the outline has at least one section')
     where jsonb_array_length(v_sections) = 0
    union all
    select 10 + i, kc_violation(format('sections[%s].key', i - 1), 'format',
                                'a section key is 1 to 40 of a-z, 0-9 and _')
      from jsonb_array_elements(v_sections) with ordinality s (e, i)
     where not coalesce(e->>'key' ~ '^[a-z0-9_]{1,40}$', false)) z;
  if jsonb_array_length(v_viol) > 0 then
    return kc_err(1022, v_viol->0->>'message', jsonb_build_object('violations', v_viol));
  end if;
  insert into rounds (title, document_no, signed_on, kind, from_year, to_year, due_on, sections,
                      tables, created_by)
  values (p->>'title', p->>'document_no', (p->>'signed_on')::date, p->>'kind',
          (p->>'from_year')::integer, (p->>'to_year')::integer, (p->>'due_on')::date,
          (select jsonb_agg(jsonb_build_object('key', e->>'key', 'title', e->>'title',
                                               'guidance', coalesce(e->>'guidance', '')) order by i)
             from jsonb_array_elements(v_sections) with ordinality s (e, i)),
          coalesce((select array_agg(distinct t) from jsonb_array_elements_text(p->'tables') t),
                   array['money', 'indicators', 'products', 'difficulties']),
          p_user)
  returning * into rd;
  insert into round_reports (round_id, org_id, updated_by)
  select rd.id, o, p_user from kc_round_provinces(rd.signed_on) o;
  v_after := kc_round_json(rd, null);
  perform kc_audit(p_user, p_username, p_peer, 'round.create', 'round', rd.id, null,
                   v_after - 'reports');
  return jsonb_build_object('result', v_after);
end $_$;

--
-- Name: kc_round_default_sections(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_round_default_sections() RETURNS jsonb
    LANGUAGE sql IMMUTABLE
    AS $$
  select jsonb_build_array(
    jsonb_build_object('key', 'results', 'title', 'Kết quả thực hiện so với mục tiêu của Chương trình',
      'guidance', 'Đánh giá kết quả thực hiện từng mục tiêu, chỉ tiêu của Chương trình khuyến công quốc gia '
                  'và Chương trình khuyến công địa phương trong giai đoạn; số liệu tại các biểu kèm theo.'),
    jsonb_build_object('key', 'achievements', 'title', 'Những kết quả nổi bật, cách làm hiệu quả',
      'guidance', 'Các đề án khuyến công điểm, nhóm; mô hình trình diễn, chuyển giao công nghệ; sản phẩm '
                  'công nghiệp nông thôn tiêu biểu; phối hợp giữa Sở Công Thương, các sở, ngành và địa phương.'),
    jsonb_build_object('key', 'shortcomings', 'title', 'Tồn tại, hạn chế và nguyên nhân',
      'guidance', 'Tồn tại, hạn chế trong xây dựng và thực hiện kế hoạch, đề án khuyến công; nguyên nhân '
                  'khách quan và chủ quan.'),
    jsonb_build_object('key', 'lessons', 'title', 'Bài học kinh nghiệm',
      'guidance', 'Bài học rút ra từ tổ chức thực hiện Chương trình tại địa phương.'),
    jsonb_build_object('key', 'proposals', 'title', 'Đề xuất Chương trình khuyến công giai đoạn tiếp theo',
      'guidance', 'Mục tiêu, nội dung, chỉ tiêu và kinh phí đề xuất cho giai đoạn tới; bố trí vốn ngân sách '
                  'địa phương, huy động và lồng ghép các nguồn lực; kiện toàn tổ chức khuyến công.'),
    jsonb_build_object('key', 'difficulties', 'title', 'Khó khăn, vướng mắc và kiến nghị với Bộ Công Thương',
      'guidance', 'Khó khăn, vướng mắc cần Bộ Công Thương (qua Cục Đổi mới sáng tạo, Chuyển đổi xanh và '
                  'Khuyến công) phối hợp giải quyết.'))
$$;

--
-- Name: rounds; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.rounds (
    id bigint NOT NULL,
    title text NOT NULL,
    document_no text NOT NULL,
    signed_on date NOT NULL,
    kind text NOT NULL,
    from_year integer NOT NULL,
    to_year integer NOT NULL,
    due_on date NOT NULL,
    sections jsonb NOT NULL,
    tables text[] DEFAULT ARRAY['money'::text, 'indicators'::text, 'products'::text, 'difficulties'::text] NOT NULL,
    version integer DEFAULT 1 NOT NULL,
    created_by bigint NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT rounds_check CHECK ((to_year >= from_year)),
    CONSTRAINT rounds_check1 CHECK ((due_on >= signed_on)),
    CONSTRAINT rounds_document_no_check CHECK (((length(document_no) >= 1) AND (length(document_no) <= 100))),
    CONSTRAINT rounds_from_year_check CHECK (((from_year >= 2014) AND (from_year <= 2100))),
    CONSTRAINT rounds_kind_check CHECK ((kind = ANY (ARRAY['summary'::text, 'periodic'::text]))),
    CONSTRAINT rounds_sections_check CHECK (((jsonb_typeof(sections) = 'array'::text) AND (jsonb_array_length(sections) >= 1))),
    CONSTRAINT rounds_tables_check CHECK ((tables <@ ARRAY['money'::text, 'indicators'::text, 'products'::text, 'difficulties'::text])),
    CONSTRAINT rounds_title_check CHECK (((length(title) >= 1) AND (length(title) <= 500))),
    CONSTRAINT rounds_to_year_check CHECK (((to_year >= 2014) AND (to_year <= 2100)))
);

--
-- Name: kc_round_difficulties_table(public.rounds, bigint); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_round_difficulties_table(rd public.rounds, p_org bigint) RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$
  with c as (
    select c.*, o.name as province_name
      from correspondence c join orgs o on o.id = kc_province_now(c.org_id)
     where extract(year from c.opened_at at time zone 'Asia/Ho_Chi_Minh')::integer
             between rd.from_year and rd.to_year
       and (p_org is null or kc_province_now(c.org_id) = p_org))
  select jsonb_build_object(
    'key', 'difficulties',
    'title', 'Biểu 4. Khó khăn, vướng mắc đã đề nghị Bộ Công Thương giải quyết',
    'columns', (case when p_org is null then jsonb_build_array(kc_report_col('province', 'Tỉnh, thành phố', 'text'))
                     else '[]'::jsonb end)
               || jsonb_build_array(
                    kc_report_col('opened_on', 'Ngày gửi', 'date'),
                    kc_report_col('subject', 'Nội dung', 'text'),
                    kc_report_col('status', 'Tình trạng', 'text'),
                    kc_report_col('answered_on', 'Ngày trả lời', 'date')),
    'rows', coalesce((select jsonb_agg(jsonb_build_object(
               'province', province_name,
               'opened_on', (opened_at at time zone 'Asia/Ho_Chi_Minh')::date, 'subject', subject,
               'status', case status when 'open' then 'Chưa trả lời' when 'answered' then 'Đã trả lời'
                                     else 'Đã đóng' end,
               'answered_on', (answered_at at time zone 'Asia/Ho_Chi_Minh')::date)
               order by province_name, opened_at, id) from c), '[]'::jsonb),
    'totals', null)
$$;

--
-- Name: kc_round_facts(public.rounds, bigint); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_round_facts(rd public.rounds, p_org bigint) RETURNS TABLE(project_id bigint, unit_id bigint, year integer, category text, source text, indicator text, projects bigint, planned bigint, advanced bigint, final bigint, refunded bigint, target bigint, achieved bigint)
    LANGUAGE sql STABLE
    SET enable_nestloop TO 'off'
    AS $$
  -- Every condition on the primary key's first columns (g, year,
  -- province_org) is an equality with a list, so the index is entered once
  -- per combination instead of scanning the years' rows of every province.
  -- (enable_nestloop off, as 0026's: the units are hashed; the SET also
  -- keeps the function from being inlined.)
  with u as materialized (select province_org, unit_id from kc_report_units('34') where unit_id <> 0),
  years as materialized (select array_agg(y) as ys from generate_series(rd.from_year, rd.to_year) y),
  -- the orgs of a province; for the whole country, the facts' orgs that
  -- belong to no province (the Ministry's own units, unit 0), from the
  -- coarse grains (a few thousand rows)
  mine as materialized (
    select array_agg(province_org) as orgs from u where p_org is not null and u.unit_id = p_org),
  outside as materialized (
    select array_agg(distinct f.province_org) as orgs from report_facts f
     where p_org is null and f.g = any ('{1,3}'::smallint[]) and f.year = any ((select ys from years)::integer[])
       and f.province_org not in (select province_org from u) and f.province_org <> -1)
  -- a province: its orgs' detailed grains
  select null::bigint, p_org, f.year, f.category, f.source, f.indicator, f.projects, f.planned,
         f.advanced, f.final, f.refunded, f.target, f.achieved
    from report_facts f
   where p_org is not null and f.g = any ('{0,2}'::smallint[]) and f.year = any ((select ys from years)::integer[])
     and f.province_org = any ((select orgs from mine)::bigint[]) and f.visible
     and f.status in ('approved', 'in_progress', 'completed', 'settled')
  union all
  -- the whole country ...
  select null, null, f.year, f.category, f.source, f.indicator, f.projects, f.planned,
         f.advanced, f.final, f.refunded, f.target, f.achieved
    from report_facts f
   where p_org is null and f.g = any ('{4,5}'::smallint[]) and f.year = any ((select ys from years)::integer[])
     and f.province_org = -1 and f.visible
     and f.status in ('approved', 'in_progress', 'completed', 'settled')
  union all
  -- ... less the Ministry's own units (no province's report counts them)
  select null, null, f.year, f.category, f.source, f.indicator, -f.projects, -f.planned,
         -f.advanced, -f.final, -f.refunded, -f.target, -f.achieved
    from report_facts f
   where p_org is null and (select orgs from outside) is not null
     and f.g = any ('{0,2}'::smallint[]) and f.year = any ((select ys from years)::integer[])
     and f.province_org = any ((select orgs from outside)::bigint[]) and f.visible
     and f.status in ('approved', 'in_progress', 'completed', 'settled')
$$;

--
-- Name: kc_round_get(bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_round_get(p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$
  select coalesce(
    (select jsonb_build_object('result', kc_round_json(rd, p_scope)) from rounds rd
      where rd.id = (p->>'id')::bigint
        and (p_scope is null or exists (select 1 from round_reports r where r.round_id = rd.id
                                           and r.org_id in (select org_scope(p_scope))))),
    kc_err(1004, 'no such round'))
$$;

--
-- Name: kc_round_indicator_table(public.rounds, bigint); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_round_indicator_table(rd public.rounds, p_org bigint) RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$
  with ff as materialized (select * from kc_round_facts(rd, p_org)),
  -- what the projects declared, except the indicators the registers give
  declared as (
    select indicator, sum(target) as planned, sum(achieved) as achieved
      from ff where indicator <> '' and indicator not in ('I08', 'I17', 'I18', 'I19', 'I20')
     group by indicator),
  -- the round's projects (approved or later, of the years and province)
  reg as (
    select x.id, x.status, x.priority_area,
           (select coalesce(sum(b.amount), 0) from project_budget_lines b where b.project_id = x.id) as lines,
           (select coalesce(sum(b.amount), 0) from project_budget_lines b
             where b.project_id = x.id and b.source in ('central', 'local')) as support,
           (select coalesce(sum(case when d.kind = 'refund' then -d.amount else d.amount end), 0)
              from disbursements d where d.project_id = x.id) as paid
      from projects x where x.id in (select kc_round_project_ids(rd, p_org))),
  -- I08: planned as the bình chọn projects declared it; achieved from the
  -- register of typical products of the round's years, not revoked
  i08 as (
    select (select sum(target) from ff where indicator = 'I08') as planned,
           (select count(*) from typical_products t
             where not t.revoked and t.year between rd.from_year and rd.to_year
               and (p_org is null or kc_province_now(t.org_id) = p_org)) as achieved),
  ind as (
    select indicator, planned, achieved from declared
    union all
    select 'I08', coalesce(planned, 0), achieved from i08 where planned is not null or achieved > 0
    union all
    select 'I17', count(*), count(*) filter (where status in ('completed', 'settled'))
      from reg having count(*) > 0
    union all
    select 'I18', sum(lines), sum(paid) from reg having count(*) > 0
    union all
    select 'I19', null, case when sum(support) > 0 then round(sum(paid) * 100.0 / sum(support)) end
      from reg having count(*) > 0
    union all
    select 'I20', count(*) filter (where priority_area is not null),
           count(*) filter (where priority_area is not null and status in ('completed', 'settled'))
      from reg having count(*) > 0),
  nat as (
    select t.indicator, sum(t.target) as target
      from programme_targets t
     where t.programme_id = kc_round_programme(rd, 'national', null)
       and (case when p_org is null then t.province_id is null
                 else t.province_id is not null and kc_province_now(t.province_id) = p_org end)
     group by t.indicator),
  loc as (
    select t.indicator, sum(t.target) as target
      from programmes pg join programme_periods pp on pp.code = pg.period_code
      join programme_targets t on t.programme_id = pg.id
     where pg.scope = 'local' and pp.from_year <= rd.from_year and pp.to_year >= rd.to_year
       and (p_org is null or kc_province_now(pg.org_id) = p_org)
     group by t.indicator),
  rows as (
    select c.code, c.name_vi, c.unit_vi, c.code as sort, n.target as national_target,
           l.target as local_target, coalesce(i.planned, 0) as planned,
           coalesce(i.achieved, 0) as achieved
      from indicators c
      left join ind i on i.indicator = c.code
      left join nat n on n.indicator = c.code
      left join loc l on l.indicator = c.code
     where i.indicator is not null or n.indicator is not null or l.indicator is not null)
  select jsonb_build_object(
    'key', 'indicators',
    'title', 'Biểu 2. Chỉ tiêu kế hoạch và kết quả thực hiện so với mục tiêu Chương trình',
    'columns', jsonb_build_array(
      kc_report_col('code', 'Mã', 'text'),
      kc_report_col('name', 'Chỉ tiêu', 'text'),
      kc_report_col('unit', 'Đơn vị tính', 'text'),
      kc_report_col('national_target', case when p_org is null then 'Chương trình KCQG'
                                            else 'Phần giao của CT KCQG' end, 'integer', 'Mục tiêu'),
      kc_report_col('local_target', 'Chương trình KCĐP', 'integer', 'Mục tiêu'),
      kc_report_col('planned', 'Theo đề án được duyệt', 'integer', 'Thực hiện'),
      kc_report_col('achieved', 'Đạt được', 'integer', 'Thực hiện'),
      kc_report_col('percent', 'Tỷ lệ so với mục tiêu (%)', 'percent', 'Thực hiện')),
    'rows', coalesce((select jsonb_agg(jsonb_build_object(
               'code', code, 'name', name_vi, 'unit', unit_vi, 'national_target', national_target,
               'local_target', local_target, 'planned', planned, 'achieved', achieved,
               'percent', kc_report_pct(achieved, coalesce(national_target, local_target)))
               order by sort) from rows), '[]'::jsonb),
    'totals', null)
$$;

--
-- Name: kc_round_json(public.rounds, bigint); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_round_json(rd public.rounds, p_scope bigint) RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$
  select jsonb_build_object(
    'id', rd.id, 'title', rd.title, 'document_no', rd.document_no, 'signed_on', rd.signed_on,
    'kind', rd.kind, 'from_year', rd.from_year, 'to_year', rd.to_year, 'due_on', rd.due_on,
    'sections', rd.sections, 'tables', to_jsonb(rd.tables), 'version', rd.version,
    'created_by', rd.created_by, 'created_at', kc_instant(rd.created_at),
    'reports', coalesce((select jsonb_agg(kc_round_report_brief(r, rd) order by o.code, r.org_id)
                           from round_reports r join orgs o on o.id = r.org_id
                          where r.round_id = rd.id
                            and (p_scope is null or r.org_id in (select org_scope(p_scope)))), '[]'::jsonb),
    'counts', (select jsonb_build_object(
                 'total', count(*),
                 'not_started', count(*) filter (where r.status = 'not_started'),
                 'drafting', count(*) filter (where r.status = 'drafting'),
                 'sent', count(*) filter (where r.status = 'sent'),
                 'returned', count(*) filter (where r.status = 'returned'),
                 'accepted', count(*) filter (where r.status = 'accepted'),
                 'late', count(*) filter (where kc_round_report_late(r, rd)))
                 from round_reports r
                where r.round_id = rd.id
                  and (p_scope is null or r.org_id in (select org_scope(p_scope)))))
$$;

--
-- Name: kc_round_list(bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_round_list(p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$
  with lim as (select coalesce((p->>'limit')::integer, 100) as n),
  page as (
    select rd.* from rounds rd
     where (p->>'cursor' is null or rd.id < (p->>'cursor')::bigint)
       and (p->>'kind' is null or rd.kind = p->>'kind')
       and (p_scope is null or exists (select 1 from round_reports r where r.round_id = rd.id
                                          and r.org_id in (select org_scope(p_scope))))
     order by rd.id desc limit (select n from lim) + 1),
  shown as (select * from page order by id desc limit (select n from lim))
  select jsonb_build_object('result', jsonb_build_object(
    'items', coalesce((select jsonb_agg(kc_round_json(s, p_scope) order by s.id desc) from shown s), '[]'::jsonb),
    'next_cursor', case when (select count(*) from page) > (select n from lim)
                        then (select min(id) from shown)::text end))
$$;

--
-- Name: kc_round_money_table(public.rounds, bigint); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_round_money_table(rd public.rounds, p_org bigint) RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$
  with f as (select * from kc_round_facts(rd, p_org)),
  g as (
    select f.year, f.category,
           sum(f.projects) filter (where f.source = '' and f.indicator = '') as projects,
           coalesce(sum(f.planned) filter (where f.source = 'central'), 0) as central,
           coalesce(sum(f.planned) filter (where f.source = 'local'), 0) as local,
           coalesce(sum(f.planned) filter (where f.source = 'counterpart'), 0) as counterpart,
           coalesce(sum(f.planned) filter (where f.source = 'other'), 0) as other,
           coalesce(sum(f.planned) filter (where f.source <> ''), 0) as total,
           coalesce(sum(f.advanced + f.final - f.refunded) filter (where f.source <> ''), 0) as paid
      from f group by f.year, f.category
    having coalesce(sum(f.projects) filter (where f.source = '' and f.indicator = ''), 0) > 0)
  select jsonb_build_object(
    'key', 'money',
    'title', format('Biểu 1. Đề án và kinh phí khuyến công theo nội dung, nguồn và năm (%s–%s)',
                    rd.from_year, rd.to_year),
    'columns', jsonb_build_array(
      kc_report_col('year', 'Năm', 'year'),
      kc_report_col('category_name', 'Nội dung khuyến công', 'text'),
      kc_report_col('projects', 'Số đề án', 'integer'),
      kc_report_col('central', 'Ngân sách trung ương', 'money', 'Kinh phí được duyệt (đồng)'),
      kc_report_col('local', 'Ngân sách địa phương', 'money', 'Kinh phí được duyệt (đồng)'),
      kc_report_col('counterpart', 'Vốn đối ứng', 'money', 'Kinh phí được duyệt (đồng)'),
      kc_report_col('other', 'Nguồn khác', 'money', 'Kinh phí được duyệt (đồng)'),
      kc_report_col('total', 'Tổng cộng', 'money', 'Kinh phí được duyệt (đồng)'),
      kc_report_col('paid', 'Đã giải ngân (NSTW)', 'money')),
    'rows', coalesce((select jsonb_agg(jsonb_build_object(
               'year', g.year, 'category', g.category,
               'category_name', coalesce(c.name_vi, 'Chưa xác định'), 'projects', g.projects,
               'central', g.central, 'local', g.local, 'counterpart', g.counterpart, 'other', g.other,
               'total', g.total, 'paid', g.paid) order by g.year, c.sort, g.category)
               from g left join content_categories c on c.code = g.category), '[]'::jsonb),
    'totals', (select jsonb_build_object(
                 'projects', coalesce(sum(projects), 0), 'central', coalesce(sum(central), 0),
                 'local', coalesce(sum(local), 0), 'counterpart', coalesce(sum(counterpart), 0),
                 'other', coalesce(sum(other), 0), 'total', coalesce(sum(total), 0),
                 'paid', coalesce(sum(paid), 0))
                 from g))
$$;

--
-- Name: kc_round_products_table(public.rounds, bigint); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_round_products_table(rd public.rounds, p_org bigint) RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$
  with t as (
    select tp.*, o.name as province_name, kc_province_now(tp.org_id) as unit_id
      from typical_products tp join orgs o on o.id = kc_province_now(tp.org_id)
     where tp.year between rd.from_year and rd.to_year and not tp.revoked
       and (p_org is null or kc_province_now(tp.org_id) = p_org))
  select jsonb_build_object(
    'key', 'products',
    'title', 'Biểu 3. Sản phẩm công nghiệp nông thôn tiêu biểu được công nhận',
    'columns', (case when p_org is null then jsonb_build_array(kc_report_col('province', 'Tỉnh, thành phố', 'text'))
                     else '[]'::jsonb end)
               || jsonb_build_array(
                    kc_report_col('year', 'Năm', 'year'),
                    kc_report_col('level', 'Cấp', 'text'),
                    kc_report_col('product', 'Sản phẩm', 'text'),
                    kc_report_col('establishment', 'Cơ sở', 'text'),
                    kc_report_col('certificate_no', 'Số giấy chứng nhận', 'text')),
    'rows', coalesce((select jsonb_agg(jsonb_build_object(
               'province', province_name, 'year', year,
               'level', case level when 'district' then 'Cấp huyện' when 'province' then 'Cấp tỉnh'
                                   when 'regional' then 'Cấp khu vực' else 'Cấp quốc gia' end,
               'product', product_name, 'establishment', establishment_name,
               'certificate_no', certificate_no) order by province_name, year, level, product_name)
               from t), '[]'::jsonb),
    'totals', null,
    'count', (select count(*) from t))
$$;

--
-- Name: kc_round_programme(public.rounds, text, bigint); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_round_programme(rd public.rounds, p_scope text, p_org bigint) RETURNS bigint
    LANGUAGE sql STABLE
    AS $$
  select pg.id from programmes pg join programme_periods pp on pp.code = pg.period_code
   where pp.from_year <= rd.from_year and pp.to_year >= rd.to_year and pg.scope = p_scope
     and (p_scope = 'national' or kc_province_now(pg.org_id) = p_org)
   order by pp.from_year desc, pg.id limit 1
$$;

--
-- Name: kc_round_project_ids(public.rounds, bigint); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_round_project_ids(rd public.rounds, p_org bigint) RETURNS SETOF bigint
    LANGUAGE sql STABLE
    AS $$
  with u as materialized (select province_org, unit_id from kc_report_units('34') where unit_id <> 0)
  select pr.id
    from plans pl join projects pr on pr.plan_id = pl.id
    join u on u.province_org = kc_report_province(pl.org_id)
   where pl.year between rd.from_year and rd.to_year
     and (pl.scope = 'local' or pl.status not in ('draft', 'submitted'))
     and pr.status in ('approved', 'in_progress', 'completed', 'settled')
     and (p_org is null or u.unit_id = p_org)
$$;

--
-- Name: kc_round_provinces(date); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_round_provinces(p_on date) RETURNS SETOF bigint
    LANGUAGE sql STABLE
    AS $$
  select o.id from orgs o
   where o.kind = 'province' and o.valid_from <= p_on and (o.valid_to is null or o.valid_to >= p_on)
$$;

--
-- Name: kc_round_report_accept(bigint, text, text, text, bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_round_report_accept(p_user bigint, p_username text, p_peer text, p_role text, p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE sql
    AS $$
  select kc_round_report_decide(p_user, p_username, p_peer, p_role, p_scope, p, 'accepted')
$$;

--
-- Name: round_reports; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.round_reports (
    id bigint NOT NULL,
    round_id bigint NOT NULL,
    org_id bigint NOT NULL,
    status text DEFAULT 'not_started'::text NOT NULL,
    texts jsonb DEFAULT '{}'::jsonb NOT NULL,
    tables jsonb,
    version integer DEFAULT 1 NOT NULL,
    sent_at timestamp with time zone,
    sent_by bigint,
    late boolean,
    returned_comment text,
    returned_at timestamp with time zone,
    returned_by bigint,
    accepted_at timestamp with time zone,
    accepted_by bigint,
    updated_by bigint,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT round_reports_check CHECK (((status <> ALL (ARRAY['sent'::text, 'accepted'::text])) OR ((tables IS NOT NULL) AND (sent_at IS NOT NULL)))),
    CONSTRAINT round_reports_check1 CHECK (((status <> 'returned'::text) OR (returned_comment IS NOT NULL))),
    CONSTRAINT round_reports_returned_comment_check CHECK ((length(returned_comment) <= 20000)),
    CONSTRAINT round_reports_status_check CHECK ((status = ANY (ARRAY['not_started'::text, 'drafting'::text, 'sent'::text, 'returned'::text, 'accepted'::text]))),
    CONSTRAINT round_reports_texts_check CHECK ((jsonb_typeof(texts) = 'object'::text))
);

--
-- Name: kc_round_report_brief(public.round_reports, public.rounds); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_round_report_brief(r public.round_reports, rd public.rounds) RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$
  select jsonb_build_object('id', r.id, 'round_id', r.round_id, 'org_id', r.org_id,
                            'org_code', o.code, 'org_name', o.name, 'status', r.status,
                            'status_name', kc_round_status_name(r.status), 'version', r.version,
                            'sent_at', kc_instant(r.sent_at), 'late', kc_round_report_late(r, rd),
                            'returned_comment', r.returned_comment,
                            'returned_at', kc_instant(r.returned_at),
                            'accepted_at', kc_instant(r.accepted_at),
                            'updated_at', kc_instant(r.updated_at))
    from orgs o where o.id = r.org_id
$$;

--
-- Name: kc_round_report_decide(bigint, text, text, text, bigint, jsonb, text); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_round_report_decide(p_user bigint, p_username text, p_peer text, p_role text, p_scope bigint, p jsonb, p_decision text) RETURNS jsonb
    LANGUAGE plpgsql
    AS $$
declare
  r round_reports;
  v_err jsonb;
  v_before jsonb;
begin
  if p_scope is not null then
    return kc_err(1003, 'the Ministry returns or accepts a province''s report');
  end if;
  if p_decision = 'accepted' and p_role <> 'ministry_approver' then
    return kc_err(1003, 'a report is accepted by the Ministry''s approver');
  end if;
  select * into r from round_reports
   where id = kc_round_report_find(p_scope, (p->>'round_id')::bigint, (p->>'org_id')::bigint)
     for update;
  if not found then
    return kc_err(1004, 'no such report');
  end if;
  if p ? 'version' then
    v_err := kc_record_check('report', true, r.version, (p->>'version')::integer, r.status, array['sent']);
  else
    v_err := kc_record_check('report', true, r.version, r.version, r.status, array['sent']);
  end if;
  if v_err is not null then
    return v_err;
  end if;
  v_before := jsonb_build_object('status', r.status, 'version', r.version);
  if p_decision = 'returned' then
    update round_reports
       set status = 'returned', returned_comment = p->>'comment', returned_at = now(),
           returned_by = p_user, version = version + 1, updated_by = p_user
     where id = r.id
    returning * into r;
  else
    update round_reports
       set status = 'accepted', accepted_at = now(), accepted_by = p_user, version = version + 1,
           updated_by = p_user
     where id = r.id
    returning * into r;
  end if;
  perform kc_audit(p_user, p_username, p_peer,
                   case p_decision when 'returned' then 'round.report_return' else 'round.report_accept' end,
                   'round_report', r.id, v_before,
                   jsonb_build_object('status', r.status, 'version', r.version,
                                      'comment', r.returned_comment));
  return jsonb_build_object('result', kc_round_report_json(r, false));
end $$;

--
-- Name: kc_round_report_find(bigint, bigint, bigint); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_round_report_find(p_scope bigint, p_round bigint, p_org bigint) RETURNS bigint
    LANGUAGE sql STABLE
    AS $$
  select r.id from round_reports r
   where r.round_id = p_round
     and r.org_id = kc_province_now(coalesce(p_org, p_scope))
     and (p_scope is null or (coalesce(p_org, p_scope) in (select org_scope(p_scope))
                              and r.org_id in (select org_scope(p_scope))))
$$;

--
-- Name: kc_round_report_get(bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_round_report_get(p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE plpgsql STABLE
    AS $$
declare
  r round_reports;
begin
  if p_scope is null and not p ? 'org_id' then
    return kc_err(-32602, 'invalid params',
                  jsonb_build_object('fields', jsonb_build_array(jsonb_build_object(
                    'field', 'org_id', 'message', 'is required on the Ministry side'))));
  end if;
  select * into r from round_reports
   where id = kc_round_report_find(p_scope, (p->>'round_id')::bigint, (p->>'org_id')::bigint);
  if not found then
    return kc_err(1004, 'no such report');
  end if;
  return jsonb_build_object('result', kc_round_report_json(r));
end $$;

--
-- Name: kc_round_report_json(public.round_reports, boolean); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_round_report_json(r public.round_reports, p_live boolean DEFAULT true) RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$
  select kc_round_report_brief(r, rd) || jsonb_build_object(
    'round', jsonb_build_object('id', rd.id, 'title', rd.title, 'document_no', rd.document_no,
                                'signed_on', rd.signed_on, 'kind', rd.kind, 'from_year', rd.from_year,
                                'to_year', rd.to_year, 'due_on', rd.due_on),
    'sections', (select coalesce(jsonb_agg(s.e || jsonb_build_object('text', coalesce(r.texts->>(s.e->>'key'), ''))
                                           order by s.i), '[]'::jsonb)
                   from jsonb_array_elements(rd.sections) with ordinality s (e, i)),
    'tables', case when r.status in ('sent', 'accepted') then r.tables
                   when p_live then kc_round_tables(rd, r.org_id) end,
    'tables_frozen', r.status in ('sent', 'accepted'))
    from rounds rd where rd.id = r.round_id
$$;

--
-- Name: kc_round_report_late(public.round_reports, public.rounds); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_round_report_late(r public.round_reports, rd public.rounds) RETURNS boolean
    LANGUAGE sql STABLE
    AS $$
  select case when r.status in ('sent', 'accepted')
              then (r.sent_at at time zone 'Asia/Ho_Chi_Minh')::date > rd.due_on
              else kc_today() > rd.due_on end
$$;

--
-- Name: kc_round_report_return(bigint, text, text, text, bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_round_report_return(p_user bigint, p_username text, p_peer text, p_role text, p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE sql
    AS $$
  select kc_round_report_decide(p_user, p_username, p_peer, p_role, p_scope, p, 'returned')
$$;

--
-- Name: kc_round_report_send(bigint, text, text, text, bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_round_report_send(p_user bigint, p_username text, p_peer text, p_role text, p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE plpgsql
    AS $$
declare
  r round_reports;
  rd rounds;
  v_err jsonb;
  v_before jsonb;
begin
  if p_scope is null or p_role <> 'province_leader' then
    return kc_err(1003, 'a report is sent by the province''s leader');
  end if;
  select * into r from round_reports
   where id = kc_round_report_find(p_scope, (p->>'round_id')::bigint, (p->>'org_id')::bigint)
     for update;
  if not found then
    return kc_err(1004, 'no such report');
  end if;
  v_err := kc_record_check('report', true, r.version, (p->>'version')::integer, r.status,
                           array['drafting', 'returned']);
  if v_err is not null then
    return v_err;
  end if;
  select * into rd from rounds where id = r.round_id;
  v_before := jsonb_build_object('status', r.status, 'version', r.version);
  update round_reports
     set status = 'sent', tables = kc_round_tables(rd, r.org_id), sent_at = now(), sent_by = p_user,
         late = kc_today() > rd.due_on, version = version + 1, updated_by = p_user
   where id = r.id
  returning * into r;
  perform kc_audit(p_user, p_username, p_peer, 'round.report_send', 'round_report', r.id, v_before,
                   jsonb_build_object('status', r.status, 'version', r.version, 'late', r.late,
                                      'texts', r.texts, 'tables', r.tables));
  return jsonb_build_object('result', kc_round_report_json(r));
end $$;

--
-- Name: kc_round_report_update(bigint, text, text, text, bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_round_report_update(p_user bigint, p_username text, p_peer text, p_role text, p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE plpgsql
    AS $$
declare
  r round_reports;
  rd rounds;
  v_err jsonb;
  v_viol jsonb;
  v_before jsonb;
  v_after jsonb;
begin
  if p_scope is null then
    return kc_err(1003, 'a province writes its own report');
  end if;
  select * into r from round_reports
   where id = kc_round_report_find(p_scope, (p->>'round_id')::bigint, (p->>'org_id')::bigint)
     for update;
  if not found then
    return kc_err(1004, 'no such report');
  end if;
  v_err := kc_record_check('report', true, r.version, (p->>'version')::integer, r.status,
                           array['not_started', 'drafting', 'returned']);
  if v_err is not null then
    return v_err;
  end if;
  select * into rd from rounds where id = r.round_id;
  select coalesce(jsonb_agg(kc_violation(format('sections[%s].key', i - 1), 'exists',
                                         'no such section in the round''s outline') order by i), '[]'::jsonb)
    into v_viol
    from jsonb_array_elements(p->'sections') with ordinality s (e, i)
   where not exists (select 1 from jsonb_array_elements(rd.sections) o where o->>'key' = e->>'key');
  if jsonb_array_length(v_viol) = 0
     and exists (select 1 from jsonb_array_elements(p->'sections') e group by e->>'key' having count(*) > 1) then
    v_viol := jsonb_build_array(kc_violation('sections', 'unique', 'a section is given twice'));
  end if;
  if jsonb_array_length(v_viol) > 0 then
    return kc_err(1022, v_viol->0->>'message', jsonb_build_object('violations', v_viol));
  end if;
  v_before := jsonb_build_object('status', r.status, 'version', r.version, 'texts', r.texts);
  update round_reports
     set texts = texts || coalesce((select jsonb_object_agg(e->>'key', e->>'text')
                                      from jsonb_array_elements(p->'sections') e), '{}'::jsonb),
         status = 'drafting', version = version + 1, updated_by = p_user
   where id = r.id
  returning * into r;
  v_after := jsonb_build_object('status', r.status, 'version', r.version, 'texts', r.texts);
  perform kc_audit(p_user, p_username, p_peer, 'round.report_update', 'round_report', r.id,
                   v_before, v_after);
  return jsonb_build_object('result', kc_round_report_json(r, false));
end $$;

--
-- Name: kc_round_status_name(text); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_round_status_name(p text) RETURNS text
    LANGUAGE sql IMMUTABLE
    AS $$
  select case p when 'not_started' then 'Chưa bắt đầu' when 'drafting' then 'Đang soạn'
                when 'sent' then 'Đã gửi' when 'returned' then 'Trả lại' when 'accepted' then 'Đã chấp nhận' end
$$;

--
-- Name: kc_round_tables(public.rounds, bigint); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_round_tables(rd public.rounds, p_org bigint) RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$
  select coalesce(jsonb_agg(t.j order by t.n), '[]'::jsonb)
    from (select 1 as n, kc_round_money_table(rd, p_org) as j where 'money' = any (rd.tables)
          union all
          select 2, kc_round_indicator_table(rd, p_org) where 'indicators' = any (rd.tables)
          union all
          select 3, kc_round_products_table(rd, p_org) where 'products' = any (rd.tables)
          union all
          select 4, kc_round_difficulties_table(rd, p_org) where 'difficulties' = any (rd.tables)) t
$$;

--
-- Name: kc_round_title(public.rounds); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_round_title(rd public.rounds) RETURNS text
    LANGUAGE sql IMMUTABLE
    AS $$
  select case when rd.kind = 'summary'
              then format('Tổng kết thực hiện Chương trình khuyến công giai đoạn %s–%s', rd.from_year, rd.to_year)
              when rd.from_year = rd.to_year
              then format('Kết quả thực hiện hoạt động khuyến công năm %s', rd.from_year)
              else format('Kết quả thực hiện hoạt động khuyến công %s–%s', rd.from_year, rd.to_year) end
$$;

--
-- Name: kc_round_unit_totals(public.rounds); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_round_unit_totals(rd public.rounds) RETURNS TABLE(unit_id bigint, projects bigint, total bigint)
    LANGUAGE sql STABLE
    SET enable_nestloop TO 'off'
    AS $$
  with u as materialized (select province_org, unit_id from kc_report_units('34') where unit_id <> 0)
  select u.unit_id,
         sum(f.projects) filter (where f.source = '' and f.indicator = '')::bigint,
         sum(f.planned) filter (where f.source <> '')::bigint
    from report_facts f join u on u.province_org = f.province_org
   where f.g = 1 and f.year = any (array(select generate_series(rd.from_year, rd.to_year))) and f.visible
     and f.status in ('approved', 'in_progress', 'completed', 'settled')
   group by u.unit_id
$$;

--
-- Name: kc_rule_err(text, text, text, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_rule_err(p_field text, p_rule text, p_message text, p_extra jsonb DEFAULT '{}'::jsonb) RETURNS jsonb
    LANGUAGE sql IMMUTABLE
    AS $$
  select kc_err(1022, p_message,
                jsonb_build_object('violations', jsonb_build_array(
                    kc_violation(p_field, p_rule, p_message)
                    || case when p_extra is null or p_extra = '{}'::jsonb then '{}'::jsonb
                            else jsonb_build_object('data', p_extra) end))
                || coalesce(p_extra, '{}'::jsonb))
$$;

--
-- Name: kc_rules_day(public.plans); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_rules_day(pl public.plans) RETURNS date
    LANGUAGE sql STABLE
    AS $$
  select least(case when pl.status <> 'draft'
                      then (greatest(pl.appraised_at, pl.submitted_at) at time zone 'Asia/Ho_Chi_Minh')::date
                 end,
               (now() at time zone 'Asia/Ho_Chi_Minh')::date,
               make_date(pl.year, 1, 1))
$$;

--
-- Name: kc_scope_root(bigint); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_scope_root(p_org bigint) RETURNS bigint
    LANGUAGE plpgsql STABLE
    AS $$
declare
  v_id bigint := p_org;
  v_parent bigint;
  v_kind text;
begin
  for i in 0 .. 32 loop
    select o.parent_id, o.kind into v_parent, v_kind from orgs o where o.id = v_id;
    if not found then
      return null;
    end if;
    if v_kind in ('province', 'regional_centre') then
      return v_id;
    end if;
    if v_parent is null then
      return null;
    end if;
    v_id := v_parent;
  end loop;
  return null;
end $$;

--
-- Name: kc_session_open(bigint, bytea, text, interval, interval); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_session_open(p_user_id bigint, p_token_hash bytea, p_peer text, p_idle interval, p_absolute interval) RETURNS TABLE(session_id bigint, expires_at timestamp with time zone)
    LANGUAGE sql
    AS $$
  delete from login_failures where username = (select username from users where id = p_user_id);
  insert into sessions (token_hash, user_id, peer, idle_timeout, expires_at)
  values (p_token_hash, p_user_id, p_peer, p_idle, now() + p_absolute)
  returning id, expires_at;
$$;

--
-- Name: kc_session_resume(bytea); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_session_resume(p_token_hash bytea) RETURNS TABLE(session_id bigint, expires_at timestamp with time zone, idle_timeout interval, user_id bigint, username text, full_name text, role text, org_id bigint, must_change_password boolean)
    LANGUAGE sql
    AS $$
  update sessions s set last_seen_at = now()
    from users u
   where s.token_hash = p_token_hash and u.id = s.user_id
     and s.revoked_at is null and u.disabled_at is null
     and s.expires_at > now() and s.last_seen_at + s.idle_timeout > now()
  returning s.id, s.expires_at, s.idle_timeout, u.id, u.username, u.full_name, u.role, u.org_id,
            u.must_change_password;
$$;

--
-- Name: kc_setting(text, text); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_setting(p_key text, p_default text DEFAULT NULL::text) RETURNS text
    LANGUAGE sql STABLE
    AS $$
  select coalesce((select value from settings where key = p_key), p_default)
$$;

--
-- Name: kc_settle_due(bigint); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_settle_due(p_id bigint) RETURNS TABLE(accepted_on date, dossier_due date, year_end_due date, settle_due date)
    LANGUAGE sql STABLE
    AS $$
  select a.accepted_on, a.accepted_on + 15, y.due, least(a.accepted_on + 15, y.due)
    from project_acceptances a,
    lateral (select make_date(kc_project_last_year(p_id) + 1, 1, 22) as due) y
   where a.project_id = p_id
$$;

--
-- Name: kc_settlement_json(bigint); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_settlement_json(p_id bigint) RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$
  select to_jsonb(s) - 'settled_at'
         || jsonb_build_object('settled_at', kc_instant(s.settled_at),
                               'amounts', coalesce((select jsonb_agg(jsonb_build_object('source', a.source,
                                                                                         'amount', a.amount)
                                                                     order by a.source)
                                                      from settlement_amounts a where a.project_id = s.project_id),
                                                   '[]'::jsonb))
    from settlements s where s.project_id = p_id
$$;

--
-- Name: kc_shift_date_text(text, integer); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_shift_date_text(p text, p_years integer) RETURNS text
    LANGUAGE sql IMMUTABLE
    AS $_$
  select case when p ~ '^\d{4}-\d{2}-\d{2}$'
              then to_char((p::date + make_interval(years => p_years))::date, 'YYYY-MM-DD')
              else p end
$_$;

--
-- Name: kc_today(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_today() RETURNS date
    LANGUAGE sql STABLE
    AS $$ select (now() at time zone 'Asia/Ho_Chi_Minh')::date $$;

--
-- Name: kc_totp_begin(bigint, bytea, text, text); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_totp_begin(p_user bigint, p_secret bytea, p_username text, p_peer text) RETURNS boolean
    LANGUAGE plpgsql
    AS $$
begin
  if exists (select 1 from user_totp where user_id = p_user and enabled_at is not null) then
    return false;
  end if;
  insert into user_totp (user_id, secret_enc) values (p_user, p_secret)
  on conflict (user_id) do update set secret_enc = excluded.secret_enc, last_step = null,
                                      created_at = now();
  perform kc_audit(p_user, p_username, p_peer, 'auth.totp_begin', 'user', p_user, null,
                   jsonb_build_object('totp', 'pending'));
  return true;
end $$;

--
-- Name: kc_totp_confirm(bigint, bigint, bytea[], text, text); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_totp_confirm(p_user bigint, p_step bigint, p_hashes bytea[], p_username text, p_peer text) RETURNS boolean
    LANGUAGE plpgsql
    AS $$
begin
  update user_totp set enabled_at = now(), last_step = p_step
   where user_id = p_user and enabled_at is null;
  if not found then
    return false;
  end if;
  delete from user_recovery_codes where user_id = p_user;
  insert into user_recovery_codes (user_id, code_hash) select p_user, h from unnest(p_hashes) h;
  perform kc_audit(p_user, p_username, p_peer, 'auth.totp_confirm', 'user', p_user,
                   jsonb_build_object('totp', 'pending'),
                   jsonb_build_object('totp', 'enabled',
                                      'recovery_codes', cardinality(p_hashes)));
  return true;
end $$;

--
-- Name: kc_totp_remove(bigint, bigint, text, text, text); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_totp_remove(p_user bigint, p_actor bigint, p_actor_name text, p_peer text, p_method text) RETURNS boolean
    LANGUAGE plpgsql
    AS $$
declare
  v_enabled boolean;
begin
  delete from user_totp where user_id = p_user returning enabled_at is not null into v_enabled;
  delete from user_recovery_codes where user_id = p_user;
  perform kc_audit(p_actor, p_actor_name, p_peer, p_method, 'user', p_user,
                   jsonb_build_object('totp', case when v_enabled then 'enabled'
                                                   when v_enabled is null then 'none'
                                                   else 'pending' end),
                   jsonb_build_object('totp', 'none'));
  return coalesce(v_enabled, false);
end $$;

--
-- Name: kc_totp_use_recovery(bigint, bytea, text, text, text); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_totp_use_recovery(p_user bigint, p_hash bytea, p_username text, p_peer text, p_method text) RETURNS boolean
    LANGUAGE plpgsql
    AS $$
begin
  update user_recovery_codes set used_at = now()
   where user_id = p_user and code_hash = p_hash and used_at is null;
  if not found then
    return false;
  end if;
  perform kc_audit(p_user, p_username, p_peer, p_method, 'user', p_user, null,
                   jsonb_build_object('second_factor', 'recovery_code', 'result', 'accepted',
                                      'remaining', (select count(*) from user_recovery_codes
                                                     where user_id = p_user and used_at is null)));
  return true;
end $$;

--
-- Name: kc_totp_use_step(bigint, bigint, text, text, text); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_totp_use_step(p_user bigint, p_step bigint, p_username text, p_peer text, p_method text) RETURNS boolean
    LANGUAGE plpgsql
    AS $$
begin
  update user_totp set last_step = p_step
   where user_id = p_user and enabled_at is not null
     and (last_step is null or last_step < p_step);
  if not found then
    return false;
  end if;
  perform kc_audit(p_user, p_username, p_peer, p_method, 'user', p_user, null,
                   jsonb_build_object('second_factor', 'totp', 'result', 'accepted'));
  return true;
end $$;

--
-- Name: kc_typical_product_apply(public.typical_products, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_typical_product_apply(t public.typical_products, p jsonb) RETURNS public.typical_products
    LANGUAGE plpgsql STABLE
    AS $$
begin
  if p ? 'product_name' then t.product_name := p->>'product_name'; end if;
  if p ? 'establishment_name' then t.establishment_name := p->>'establishment_name'; end if;
  if p ? 'tax_code' then t.tax_code := p->>'tax_code'; end if;
  if p ? 'level' then t.level := p->>'level'; end if;
  if p ? 'year' then t.year := (p->>'year')::integer; end if;
  if p ? 'score' then t.score := (p->>'score')::numeric; end if;
  if p ? 'certificate_no' then t.certificate_no := p->>'certificate_no'; end if;
  if p ? 'issued_on' then t.issued_on := (p->>'issued_on')::date; end if;
  if p ? 'revoked' then t.revoked := coalesce((p->>'revoked')::boolean, false); end if;
  if p ? 'org_id' then t.org_id := (p->>'org_id')::bigint; end if;
  if p ? 'valid_until' then t.valid_until := (p->>'valid_until')::date; end if;
  -- default: 31 December of the 3rd year counting the year of issue
  t.valid_until := coalesce(t.valid_until, kc_certificate_last_day(t.year, t.issued_on));
  return t;
end $$;

--
-- Name: kc_typical_product_create(bigint, text, text, text, bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_typical_product_create(p_user bigint, p_username text, p_peer text, p_role text, p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE plpgsql
    AS $$
declare
  t typical_products;
  v_viol jsonb;
begin
  if p_scope is not null and (p->>'org_id')::bigint not in (select org_scope(p_scope)) then
    return kc_err(1004, 'no such province');
  end if;
  t := kc_typical_product_apply(null::typical_products, p);
  v_viol := kc_typical_product_violations(t);
  if jsonb_array_length(v_viol) > 0 then
    return kc_err(1022, v_viol->0->>'message', jsonb_build_object('violations', v_viol));
  end if;
  insert into typical_products (product_name, establishment_name, tax_code, level, year, score,
                                certificate_no, issued_on, valid_until, revoked, org_id, created_by)
  values (t.product_name, t.establishment_name, t.tax_code, t.level, t.year, t.score,
          t.certificate_no, t.issued_on, t.valid_until, coalesce(t.revoked, false), t.org_id, p_user)
  returning * into t;
  perform kc_audit(p_user, p_username, p_peer, 'typical_product.create', 'typical_product', t.id,
                   null, kc_typical_product_json(t));
  return jsonb_build_object('result', kc_typical_product_json(t));
end $$;

--
-- Name: kc_typical_product_json(public.typical_products); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_typical_product_json(t public.typical_products) RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$
  select to_jsonb(t) - 'created_at' - 'updated_at'
         || jsonb_build_object('valid_now', kc_certificate_valid(t, (now() at time zone 'Asia/Ho_Chi_Minh')::date),
                               'created_at', kc_instant(t.created_at),
                               'updated_at', kc_instant(t.updated_at))
$$;

--
-- Name: kc_typical_product_list(bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_typical_product_list(p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$
  select jsonb_build_object('result', jsonb_build_object('items', coalesce(jsonb_agg(kc_typical_product_json(t) order by t.id), '[]'::jsonb)))
    from typical_products t
   where (p_scope is null or t.org_id in (select org_scope(p_scope)))
     and (p->>'org_id' is null or t.org_id in (select org_scope((p->>'org_id')::bigint)))
     and (p->>'tax_code' is null or t.tax_code = p->>'tax_code')
     and (p->>'year' is null or t.year = (p->>'year')::integer)
     and (p->>'valid_on' is null or kc_certificate_valid(t, (p->>'valid_on')::date))
$$;

--
-- Name: kc_typical_product_update(bigint, text, text, text, bigint, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_typical_product_update(p_user bigint, p_username text, p_peer text, p_role text, p_scope bigint, p jsonb) RETURNS jsonb
    LANGUAGE plpgsql
    AS $$
declare
  cur typical_products;
  t typical_products;
  v_err jsonb;
  v_viol jsonb;
begin
  select * into cur from typical_products where id = (p->>'id')::bigint for update;
  v_err := kc_record_check('typical product', cur.id is not null
                             and (p_scope is null or cur.org_id in (select org_scope(p_scope))),
                           cur.version, (p->>'version')::integer, 'registered', array['registered']);
  if v_err is not null then
    return v_err;
  end if;
  if p_scope is not null and p ? 'org_id'
     and (p->>'org_id')::bigint not in (select org_scope(p_scope)) then
    return kc_err(1004, 'no such province');
  end if;
  t := kc_typical_product_apply(cur, p);
  v_viol := kc_typical_product_violations(t);
  if jsonb_array_length(v_viol) > 0 then
    return kc_err(1022, v_viol->0->>'message', jsonb_build_object('violations', v_viol));
  end if;
  update typical_products set product_name = t.product_name, establishment_name = t.establishment_name,
         tax_code = t.tax_code, level = t.level, year = t.year, score = t.score,
         certificate_no = t.certificate_no, issued_on = t.issued_on, valid_until = t.valid_until,
         revoked = t.revoked, org_id = t.org_id, version = version + 1, updated_at = now()
   where id = cur.id returning * into t;
  perform kc_audit(p_user, p_username, p_peer, 'typical_product.update', 'typical_product', t.id,
                   kc_typical_product_json(cur), kc_typical_product_json(t));
  return jsonb_build_object('result', kc_typical_product_json(t));
end $$;

--
-- Name: kc_typical_product_violations(public.typical_products); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_typical_product_violations(t public.typical_products) RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$
  select coalesce(jsonb_agg(x), '[]'::jsonb) from (
    select kc_violation('org_id', 'exists', 'no such province') as x
     where not exists (select 1 from orgs o where o.id = t.org_id and o.kind = 'province')
    union all
    select kc_violation('score', 'threshold', 'a product is certified with an average score of 70 or more (TT 26/2014 Art. 17)')
     where t.score < 70
    union all
    select kc_violation('valid_until', 'validity',
                        format('a certificate issued in %s is valid at most until %s (TT 26/2014: 31/12 of the 3rd year counting the year of issue)',
                               coalesce(extract(year from t.issued_on)::integer, t.year),
                               to_char(kc_certificate_last_day(t.year, t.issued_on), 'DD/MM/YYYY')))
     where t.valid_until > kc_certificate_last_day(t.year, t.issued_on)
    union all
    select kc_violation('issued_on', 'year', format('a certificate of the %s round is issued in %s or later', t.year, t.year))
     where t.issued_on is not null and extract(year from t.issued_on) < t.year
    union all
    select kc_violation('certificate_no', 'unique', 'this certificate number is already registered for that level and year')
     where exists (select 1 from typical_products o where o.level = t.level and o.year = t.year
                      and o.certificate_no = t.certificate_no and o.id is distinct from t.id)
  ) s
$$;

--
-- Name: users; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.users (
    id bigint NOT NULL,
    username text NOT NULL,
    full_name text NOT NULL,
    role text NOT NULL,
    org_id bigint NOT NULL,
    email text,
    phone text,
    password_hash text NOT NULL,
    must_change_password boolean DEFAULT false NOT NULL,
    password_changed_at timestamp with time zone DEFAULT now() NOT NULL,
    disabled_at timestamp with time zone,
    version integer DEFAULT 1 NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT users_full_name_check CHECK (((length(full_name) >= 1) AND (length(full_name) <= 200))),
    CONSTRAINT users_role_check CHECK ((role = ANY (ARRAY['province_officer'::text, 'province_leader'::text, 'ministry_reviewer'::text, 'ministry_approver'::text, 'admin'::text, 'viewer'::text]))),
    CONSTRAINT users_username_check CHECK ((username ~ '^[a-z0-9][a-z0-9._-]{1,62}$'::text))
);

--
-- Name: kc_user_json(public.users); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_user_json(u public.users) RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$
  select jsonb_build_object(
    'id', u.id, 'username', u.username, 'full_name', u.full_name, 'role', u.role,
    'org_id', u.org_id, 'email', u.email, 'phone', u.phone,
    'disabled', u.disabled_at is not null,
    'disabled_at', kc_instant(u.disabled_at),
    'must_change_password', u.must_change_password,
    'password_changed_at', kc_instant(u.password_changed_at),
    'version', u.version,
    'created_at', kc_instant(u.created_at), 'updated_at', kc_instant(u.updated_at))
$$;

--
-- Name: kc_valid_on(date, date, date); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_valid_on(p_from date, p_to date, p_on date) RETURNS boolean
    LANGUAGE sql IMMUTABLE
    AS $$
  select p_on is null or (p_from <= p_on and (p_to is null or p_to >= p_on))
$$;

--
-- Name: kc_violation(text, text, text); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_violation(p_field text, p_rule text, p_message text) RETURNS jsonb
    LANGUAGE plpgsql IMMUTABLE
    AS $$
begin
  return jsonb_build_object('field', p_field, 'rule', p_rule, 'message', p_message);
end $$;

--
-- Name: kc_violation_data(public.projects, jsonb, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_violation_data(pr public.projects, p_res jsonb, p_v jsonb) RETURNS jsonb
    LANGUAGE plpgsql STABLE
    AS $$
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

--
-- Name: kc_vnd(numeric); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_vnd(p numeric) RETURNS text
    LANGUAGE plpgsql IMMUTABLE STRICT
    AS $$
begin
  return to_char(floor(p), 'FM999,999,999,999,999,999,990');
end $$;

--
-- Name: kc_working_day_due(date, integer); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.kc_working_day_due(p_from date, p_days integer) RETURNS date
    LANGUAGE plpgsql STABLE
    AS $$
declare
  d date := p_from;
  n integer := 0;
  v_off date[];
begin
  if p_days is null or p_days < 1 then
    return null;
  end if;
  -- one query for the holidays in reach; the loop then runs on simple
  -- expressions only, which PL/pgSQL evaluates without the executor
  v_off := array(select h.day from holidays h where h.day > p_from and h.day <= p_from + 3 * p_days + 60);
  while d < p_from + 3 * p_days + 60 loop
    d := d + 1;
    if extract(isodow from d) < 6 and not (d = any (v_off)) then
      n := n + 1;
      if n = p_days then
        return d;
      end if;
    end if;
  end loop;
  return null;
end $$;

--
-- Name: money_needs_decision(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.money_needs_decision() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
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

--
-- Name: org_name_at(bigint, date); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.org_name_at(p_org_id bigint, p_on date) RETURNS text
    LANGUAGE sql STABLE
    AS $$
  select coalesce(
    (select n.name from org_names n
      where n.org_id = p_org_id and n.valid_from <= p_on
        and (n.valid_to is null or p_on <= n.valid_to)
      order by n.valid_from desc limit 1),
    (select o.name from orgs o where o.id = p_org_id))
$$;

--
-- Name: org_names_no_overlap(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.org_names_no_overlap() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
begin
  if exists (select 1 from org_names n
              where n.org_id = new.org_id
                and n.valid_from <> new.valid_from
                and daterange(n.valid_from, n.valid_to, '[]')
                    && daterange(new.valid_from, new.valid_to, '[]')) then
    raise exception 'name periods of organisation % overlap', new.org_id
      using errcode = 'exclusion_violation';
  end if;
  return null;
end $$;

--
-- Name: org_scope(bigint); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.org_scope(p_root bigint) RETURNS SETOF bigint
    LANGUAGE sql STABLE
    AS $$
  with recursive t (id) as (
    select o.id from orgs o where o.id = p_root
    union
    select x.id
      from t cross join lateral (
        select c.id from orgs c where c.parent_id = t.id
        union all
        select l.old_org_id from org_lineage l where l.new_org_id = t.id) x
  )
  select id from t
$$;

--
-- Name: org_subtree(bigint); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.org_subtree(p_root bigint) RETURNS SETOF bigint
    LANGUAGE sql STABLE
    AS $$
  with recursive t (id) as (
    select o.id from orgs o where o.id = p_root
    union
    select c.id from orgs c join t on c.parent_id = t.id
  )
  select id from t
$$;

--
-- Name: orgs_role_org_guard(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.orgs_role_org_guard() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
begin
  if exists (select 1 from users u where u.disabled_at is null
                                     and not kc_role_fits_org(u.role, u.org_id)) then
    raise exception 'an account would no longer fit its organisation' using errcode = 'KC013';
  end if;
  return null;
end $$;

--
-- Name: orgs_touch(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.orgs_touch() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
begin
  new.updated_at := now();
  return new;
end $$;

--
-- Name: plans_event(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.plans_event() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
begin
  if tg_op = 'INSERT' or new.status is distinct from old.status
     or new.version is distinct from old.version then
    perform kc_event_notify('plan', new.id, new.status, new.version, new.id);
  end if;
  return null;
end $$;

--
-- Name: plans_guard(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.plans_guard() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
declare
  v_role text := kc_actor_role();
begin
  if tg_op = 'INSERT' then
    if new.status <> 'draft' then
      raise exception 'a plan is created as a draft, not %', new.status using errcode = 'KC010';
    end if;
    return new;
  end if;
  if new.status is distinct from old.status then
    if v_role is null then
      raise exception 'plan %: status % -> % without kc.actor_role', old.id, old.status, new.status
        using errcode = 'KC010';
    end if;
    if not exists (select 1 from plan_transitions t
                    where t.from_status = old.status and t.to_status = new.status
                      and t.role = v_role
                      and (t.scope in ('any', new.scope)
                           or (t.scope = 'centre' and new.scope = 'national' and kc_is_centre(new.org_id)))) then
      raise exception 'plan %: % may not change status % -> %', old.id, v_role, old.status, new.status
        using errcode = 'KC010';
    end if;
  end if;
  if new.org_id <> old.org_id or new.year <> old.year or new.scope <> old.scope then
    raise exception 'plan %: organisation, year and scope are fixed', old.id using errcode = 'KC011';
  end if;
  new.updated_at := now();
  return new;
end $$;

--
-- Name: plans_history(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.plans_history() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
begin
  if tg_op = 'INSERT' or new.status is distinct from old.status then
    insert into plan_history (plan_id, from_status, to_status, actor_id, actor_role, comment, document_no)
    values (new.id, case when tg_op = 'UPDATE' then old.status end, new.status, kc_actor_id(),
            kc_actor_role(), nullif(current_setting('kc.comment', true), ''),
            nullif(current_setting('kc.document_no', true), ''));
  end if;
  return null;
end $$;

--
-- Name: programme_comments_event(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.programme_comments_event() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
begin
  perform kc_event_notify_org('programme', new.programme_id, 'commented',
                              (select version from programmes where id = new.programme_id),
                              new.org_id, true);
  return null;
end $$;

--
-- Name: programme_comments_guard(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.programme_comments_guard() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
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

--
-- Name: programme_shares_guard(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.programme_shares_guard() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
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

--
-- Name: programme_targets_guard(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.programme_targets_guard() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
declare
  v programmes;
begin
  select * into v from programmes where id = coalesce(new.programme_id, old.programme_id);
  if v.scope = 'local' and v.status = 'approved' then
    raise exception 'an approved local programme is not changed' using errcode = 'KC010';
  end if;
  return coalesce(new, old);
end $$;

--
-- Name: programmes_code(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.programmes_code() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
begin
  new.code := kc_programme_code(new.period_code, new.scope, new.org_id);
  return new;
end $$;

--
-- Name: programmes_touch(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.programmes_touch() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
begin
  new.updated_at := now();
  return new;
end $$;

--
-- Name: progress_reports_inbox_event(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.progress_reports_inbox_event() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
begin
  if tg_op = 'INSERT' or new.confirmed_at is distinct from old.confirmed_at then
    perform kc_inbox_project_event(new.project_id, new.id, 'progress_to_confirm', new.version);
  end if;
  return null;
end $$;

--
-- Name: progress_spent_from_call(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.progress_spent_from_call() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
declare
  v text := current_setting('kc.progress_spent', true);
begin
  if v is not null and v <> '' then
    new.spent := v::jsonb;
  end if;
  return new;
end $$;

--
-- Name: project_acceptance_dossiers_guard(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.project_acceptance_dossiers_guard() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
declare
  v_status text;
  v_stage text;
begin
  select status, stage into v_status, v_stage from projects where id = new.project_id;
  if v_status is distinct from 'in_progress'
     or v_stage not in ('advanced', 'acceptance_submitted') then
    raise exception 'project %: an acceptance dossier is sent while the project is in progress, not %/%',
      new.project_id, v_status, v_stage using errcode = 'KC010';
  end if;
  return new;
end $$;

--
-- Name: project_adjustments_stage(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.project_adjustments_stage() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
declare
  pr projects;
  v_role text := current_setting('kc.actor_role', true);
  v_id text := current_setting('kc.actor_id', true);
  v_comment text := current_setting('kc.comment', true);
  v_doc text := current_setting('kc.document_no', true);
begin
  select * into pr from projects where id = new.project_id;
  if tg_op = 'INSERT' and (pr.status, pr.stage) = ('in_progress', 'advanced') then
    perform kc_actor_set(new.requested_by, (select role from users where id = new.requested_by),
                         format('yêu cầu điều chỉnh (%s)', new.type), null);
    update projects set stage = 'adjusting' where id = pr.id;
  elsif tg_op = 'UPDATE' and old.status = 'requested' and new.status <> 'requested'
        and (pr.status, pr.stage) = ('in_progress', 'adjusting') then
    perform kc_actor_set(new.decided_by, new.decided_role,
                         format('điều chỉnh (%s): %s', new.type, new.status), null);
    update projects set stage = 'advanced' where id = pr.id;
  else
    return null;
  end if;
  perform set_config('kc.actor_role', coalesce(v_role, ''), true),
          set_config('kc.actor_id', coalesce(v_id, ''), true),
          set_config('kc.comment', coalesce(v_comment, ''), true),
          set_config('kc.document_no', coalesce(v_doc, ''), true);
  return null;
end $$;

--
-- Name: project_beneficiaries_search(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.project_beneficiaries_search() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
declare
  v_id bigint := case when tg_op = 'DELETE' then old.project_id else new.project_id end;
begin
  perform kc_project_search_refresh(pr.id, pr.code, pr.title) from projects pr where pr.id = v_id;
  if tg_op = 'UPDATE' and old.project_id <> new.project_id then
    perform kc_project_search_refresh(pr.id, pr.code, pr.title) from projects pr where pr.id = old.project_id;
  end if;
  return null;
end $$;

--
-- Name: project_cancellations_money(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.project_cancellations_money() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
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

--
-- Name: project_child_event(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.project_child_event() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
declare
  pr projects;
begin
  select * into pr from projects where id = new.project_id;
  perform kc_event_notify(tg_argv[0], pr.id, pr.status, pr.version, pr.plan_id);
  return null;
end $$;

--
-- Name: project_progress_late(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.project_progress_late() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
begin
  new.late := (new.submitted_at at time zone 'Asia/Ho_Chi_Minh')::date >= kc_progress_due(new.period);
  return new;
end $$;

--
-- Name: projects_event(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.projects_event() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
begin
  if tg_op = 'INSERT' or new.status is distinct from old.status
     or new.stage is distinct from old.stage or new.version is distinct from old.version then
    perform kc_event_notify('project', new.id, new.status, new.version, new.plan_id);
  end if;
  return null;
end $$;

--
-- Name: projects_guard(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.projects_guard() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
declare
  v_role text := kc_actor_role();
  v_scope text;
  v_year integer;
  v_province text;
  v_number integer;
  v_org bigint;
begin
  if tg_op = 'INSERT' then
    select p.scope, p.year, coalesce(o.province_code, '00') into v_scope, v_year, v_province
      from plans p join orgs o on o.id = p.org_id where p.id = new.plan_id;
    if new.status <> 'draft' or new.stage <> 'drafting' then
      raise exception 'a project is created as a draft, not %/%', new.status, new.stage
        using errcode = 'KC010';
    end if;
    insert into project_code_counters as c (scope, year, province_code, last_number)
    values (v_scope, v_year, v_province, 1)
    on conflict (scope, year, province_code) do update set last_number = c.last_number + 1
    returning last_number into v_number;
    new.code := format('%s-%s-%s-%s', case v_scope when 'national' then 'KCQG' else 'KCDP' end,
                       v_year, v_province, lpad(v_number::text, 3, '0'));
    return new;
  end if;
  if new.status is distinct from old.status or new.stage is distinct from old.stage then
    if v_role is null then
      raise exception 'project %: % / % -> % / % without kc.actor_role', old.id, old.status,
        old.stage, new.status, new.stage using errcode = 'KC010';
    end if;
    select p.scope, p.org_id into v_scope, v_org from plans p where p.id = new.plan_id;
    if not exists (select 1 from project_transitions t
                    where t.from_status = old.status and t.to_status = new.status
                      and t.to_stage = new.stage and t.role = v_role
                      and (t.scope in ('any', v_scope)
                           or (t.scope = 'centre' and v_scope = 'national' and kc_is_centre(v_org)))) then
      raise exception 'project %: % may not change % / % -> % / %', old.id, v_role, old.status,
        old.stage, new.status, new.stage using errcode = 'KC010';
    end if;
  end if;
  if new.code <> old.code or new.plan_id <> old.plan_id then
    raise exception 'project %: code and plan are fixed', old.id using errcode = 'KC011';
  end if;
  new.updated_at := now();
  return new;
end $$;

--
-- Name: projects_history(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.projects_history() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
begin
  if tg_op = 'INSERT' or new.status is distinct from old.status
     or new.stage is distinct from old.stage then
    insert into project_history (project_id, from_status, to_status, from_stage, to_stage,
                                 actor_id, actor_role, comment, document_no)
    values (new.id, case when tg_op = 'UPDATE' then old.status end, new.status,
            case when tg_op = 'UPDATE' then old.stage end, new.stage, kc_actor_id(),
            kc_actor_role(), nullif(current_setting('kc.comment', true), ''),
            nullif(current_setting('kc.document_no', true), ''));
  end if;
  return null;
end $$;

--
-- Name: projects_no_delete(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.projects_no_delete() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
begin
  if old.status <> 'draft' then
    raise exception 'project % is %, only a draft may be deleted', old.id, old.status
      using errcode = 'KC010';
  end if;
  return old;
end $$;

--
-- Name: projects_priorities(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.projects_priorities() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
declare
  -- project.create / update pass their `priorities` here (the functions of
  -- 0006 / 0023 write the columns they know; see kc_project_create, 0025)
  v_given text := current_setting('kc.priorities', true);
begin
  if tg_op = 'UPDATE' and coalesce(v_given, '') = ''
     and new.priorities is not distinct from old.priorities
     and (new.export, new.local_materials, new.labour_intensive, new.supporting_industry)
         is not distinct from (old.export, old.local_materials, old.labour_intensive, old.supporting_industry) then
    return new;
  end if;
  if coalesce(v_given, '') <> '' then
    new.priorities := array(select jsonb_array_elements_text(v_given::jsonb));
  end if;
  if tg_op = 'UPDATE' and new.priorities is not distinct from old.priorities
     and (new.export, new.local_materials, new.labour_intensive, new.supporting_industry)
         is distinct from (old.export, old.local_materials, old.labour_intensive, old.supporting_industry) then
    -- a write in the older shape (the booleans): the list follows
    new.priorities := array(select x from unnest(new.priorities) x
                             where x not in ('export', 'local_materials', 'labour_intensive', 'supporting_industry')
                            union
                            select v.code from (values ('export', new.export), ('local_materials', new.local_materials),
                                                       ('labour_intensive', new.labour_intensive),
                                                       ('supporting_industry', new.supporting_industry)) v (code, f)
                             where v.f
                            order by 1);
  else
    new.priorities := array(select distinct x from unnest(new.priorities) x where x <> 'typical_product' order by 1);
    if cardinality(kc_priorities_bad(new.priorities)) > 0 then
      raise exception 'project %: not priority sectors: %', new.id, kc_priorities_bad(new.priorities)
        using errcode = 'KC023';
    end if;
    if tg_op = 'INSERT' and new.priorities = '{}' then
      -- created in the older shape
      new.priorities := array(select v.code from (values ('export', new.export), ('local_materials', new.local_materials),
                                                         ('labour_intensive', new.labour_intensive),
                                                         ('supporting_industry', new.supporting_industry)) v (code, f)
                               where v.f order by 1);
    end if;
    new.export := 'export' = any (new.priorities);
    new.local_materials := 'local_materials' = any (new.priorities);
    new.labour_intensive := 'labour_intensive' = any (new.priorities);
    new.supporting_industry := 'supporting_industry' = any (new.priorities);
  end if;
  return new;
end $$;

--
-- Name: projects_search(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.projects_search() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
begin
  if tg_op = 'INSERT' then
    insert into project_search (project_id, search_text)
    values (new.id, kc_fold(concat_ws(' ', new.code, new.title)));
  else
    perform kc_project_search_refresh(new.id, new.code, new.title);
  end if;
  return null;
end $$;

--
-- Name: projects_snapshot(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.projects_snapshot() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
begin
  if new.stage in ('base_appraised', 'resubmitted', 'submitted_direct') and new.stage is distinct from old.stage then
    insert into project_versions (project_id, version, project_version, stage, snapshot)
    values (new.id,
            coalesce((select max(version) from project_versions where project_id = new.id), 0) + 1,
            new.version, new.stage, kc_project_json(new.id, true) - 'history');
  end if;
  return null;
end $$;

--
-- Name: province_reports_fixed(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.province_reports_fixed() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
begin
  raise exception 'a sent report is never changed; send a corrected one' using errcode = 'KC010';
end $$;

--
-- Name: province_reports_inbox_event(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.province_reports_inbox_event() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
begin
  perform kc_event_notify_org('inbox', new.id, 'province_report_due', 1, new.province_id, false);
  return null;
end $$;

--
-- Name: report_dirty_flush(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.report_dirty_flush() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
declare
  v_ids bigint[];
begin
  with d as (delete from report_dirty where txid = txid_current() returning project_id)
  select array_agg(project_id order by project_id) into v_ids from d;
  if v_ids is not null then
    perform kc_report_refresh(v_ids);
  end if;
  return null;
end $$;

--
-- Name: report_facts_plans_changed(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.report_facts_plans_changed() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
begin
  insert into report_dirty (project_id)
  select id from projects where plan_id = new.id
  on conflict do nothing;
  return null;
end $$;

--
-- Name: report_facts_project_changed(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.report_facts_project_changed() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
begin
  if tg_op in ('UPDATE', 'DELETE') then
    perform kc_report_mark(old.project_id);
  end if;
  if tg_op in ('INSERT', 'UPDATE') and (tg_op = 'INSERT' or new.project_id <> old.project_id) then
    perform kc_report_mark(new.project_id);
  end if;
  return null;
end $$;

--
-- Name: report_facts_projects_changed(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.report_facts_projects_changed() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
begin
  perform kc_report_mark(coalesce(new.id, old.id));
  return null;
end $$;

--
-- Name: review_assignments_inbox_event(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.review_assignments_inbox_event() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
begin
  perform kc_inbox_project_event(new.project_id, new.project_id, 'review_to_score', null);
  return null;
end $$;

--
-- Name: review_scores_inbox_event(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.review_scores_inbox_event() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
declare
  v_project bigint;
begin
  for v_project in select distinct n.project_id from new_scores n loop
    perform kc_inbox_project_event(v_project, v_project, 'review_to_decide', null);
  end loop;
  return null;
end $$;

--
-- Name: round_reports_event(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.round_reports_event() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
begin
  if new.status is distinct from old.status and new.status in ('sent', 'returned', 'accepted') then
    perform kc_event_notify_org('round_report', new.id, new.status, new.version, new.org_id, true);
  end if;
  return null;
end $$;

--
-- Name: round_reports_guard(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.round_reports_guard() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
begin
  if new.round_id <> old.round_id or new.org_id <> old.org_id then
    raise exception 'a report stays in its round and province' using errcode = 'KC010';
  end if;
  if new.status is distinct from old.status
     and not (old.status, new.status) in (('not_started', 'drafting'), ('drafting', 'sent'),
                                          ('returned', 'drafting'), ('returned', 'sent'),
                                          ('sent', 'returned'), ('sent', 'accepted')) then
    raise exception 'a report does not go from % to %', old.status, new.status using errcode = 'KC010';
  end if;
  if old.status in ('sent', 'accepted') and new.status = old.status
     and (new.texts is distinct from old.texts or new.tables is distinct from old.tables
          or new.sent_at is distinct from old.sent_at) then
    raise exception 'a sent report is not changed' using errcode = 'KC010';
  end if;
  if old.status in ('sent', 'accepted') and new.texts is distinct from old.texts then
    raise exception 'a sent report is not changed' using errcode = 'KC010';
  end if;
  new.updated_at := now();
  return new;
end $$;

--
-- Name: round_reports_no_delete(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.round_reports_no_delete() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
begin
  raise exception 'a round''s reports are kept' using errcode = 'KC010';
end $$;

--
-- Name: round_reports_opened_event(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.round_reports_opened_event() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
begin
  perform kc_event_notify_org('round', new.round_id, 'opened', 1, new.org_id, false);
  return null;
end $$;

--
-- Name: rounds_event(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.rounds_event() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
begin
  insert into event_outbox (payload) values (json_build_object(
    'topic', 'round', 'id', new.id, 'status', 'opened', 'version', new.version,
    'at', kc_instant(clock_timestamp()), 'provinces', '[]'::json, 'ministry', true)::text);
  return null;
end $$;

--
-- Name: sessions_notify_revoked(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.sessions_notify_revoked() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
begin
  if new.revoked_at is not null and old.revoked_at is null then
    perform pg_notify('kc_session', new.id::text);
  end if;
  return null;
end $$;

--
-- Name: support_caps_no_overlap(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.support_caps_no_overlap() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
begin
  if exists (select 1 from support_caps o
              where o.cap_code = new.cap_code and o.id <> new.id
                and daterange(o.valid_from, o.valid_to, '[]')
                    && daterange(new.valid_from, new.valid_to, '[]')) then
    raise exception 'support cap % has two rows valid on the same day', new.cap_code
      using errcode = 'check_violation';
  end if;
  return null;
end $$;

--
-- Name: user_totp_four_eyes_guard(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.user_totp_four_eyes_guard() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
begin
  if exists (select 1 from users u where u.id = old.user_id and kc_four_eyes_role(u.role))
     and coalesce(current_setting('kc.totp_self', true), '') <> old.user_id::text
     and not kc_reset_confirmed('reset_totp', old.user_id) then
    raise exception 'four eyes: an approver''s second factor is reset only with a second administrator''s confirmation'
      using errcode = 'KC013';
  end if;
  return old;
end $$;

--
-- Name: users_four_eyes_guard(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.users_four_eyes_guard() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
begin
  if kc_four_eyes_role(old.role) and new.password_hash is distinct from old.password_hash
     and coalesce(current_setting('kc.keep_session', true), '') = ''
     and not kc_reset_confirmed('reset_password', new.id) then
    raise exception 'four eyes: an approver''s password is reset only with a second administrator''s confirmation'
      using errcode = 'KC013';
  end if;
  return new;
end $$;

--
-- Name: users_revoke_sessions(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.users_revoke_sessions() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
declare
  keep bigint := nullif(current_setting('kc.keep_session', true), '')::bigint;
begin
  if new.disabled_at is not null and old.disabled_at is null then
    update sessions set revoked_at = now(), revoked_reason = 'user disabled'
     where user_id = new.id and revoked_at is null;
  elsif new.role is distinct from old.role or new.org_id is distinct from old.org_id then
    -- A session holds the role and scope it was opened with; a demoted
    -- administrator must not keep administrator powers until it expires.
    update sessions set revoked_at = now(), revoked_reason = 'role or organisation changed'
     where user_id = new.id and revoked_at is null;
  elsif new.password_hash is distinct from old.password_hash then
    update sessions set revoked_at = now(), revoked_reason = 'password changed'
     where user_id = new.id and revoked_at is null
       and id is distinct from keep;
  end if;
  return null;
end $$;

--
-- Name: users_role_org_guard(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.users_role_org_guard() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
begin
  if not kc_role_fits_org(new.role, new.org_id) then
    raise exception 'role and organisation do not fit: % in organisation %', new.role, new.org_id
      using errcode = 'KC013', hint = 'role_org';
  end if;
  return new;
end $$;

--
-- Name: users_touch(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.users_touch() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
begin
  new.updated_at := now();
  if new.password_hash is distinct from old.password_hash then
    new.password_changed_at := now();
  end if;
  return new;
end $$;

--
-- Name: advance_first_rules; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.advance_first_rules (
    cap_code text NOT NULL,
    first_pct integer NOT NULL,
    min_progress_pct integer,
    after_acceptance boolean DEFAULT false NOT NULL,
    evidence text NOT NULL,
    legal_act text NOT NULL,
    valid_from date NOT NULL,
    valid_to date,
    confidence character(1) NOT NULL,
    version integer DEFAULT 1 NOT NULL,
    CONSTRAINT advance_first_rules_check CHECK (((valid_to IS NULL) OR (valid_to >= valid_from))),
    CONSTRAINT advance_first_rules_confidence_check CHECK ((confidence = ANY (ARRAY['C'::bpchar, 'P'::bpchar, 'U'::bpchar]))),
    CONSTRAINT advance_first_rules_first_pct_check CHECK ((first_pct = ANY (ARRAY[30, 70, 100]))),
    CONSTRAINT advance_first_rules_min_progress_pct_check CHECK (((min_progress_pct >= 0) AND (min_progress_pct <= 100)))
);

--
-- Name: advance_rules; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.advance_rules (
    code text NOT NULL,
    value_pct integer NOT NULL,
    description text NOT NULL,
    legal_act text NOT NULL,
    valid_from date NOT NULL,
    valid_to date,
    confidence character(1) NOT NULL,
    version integer DEFAULT 1 NOT NULL,
    CONSTRAINT advance_rules_check CHECK (((valid_to IS NULL) OR (valid_to >= valid_from))),
    CONSTRAINT advance_rules_code_check CHECK ((code = ANY (ARRAY['max_before_acceptance_pct'::text, 'first_advance_default_pct'::text, 'later_advance_progress_pct'::text]))),
    CONSTRAINT advance_rules_confidence_check CHECK ((confidence = ANY (ARRAY['C'::bpchar, 'P'::bpchar, 'U'::bpchar]))),
    CONSTRAINT advance_rules_value_pct_check CHECK (((value_pct >= 0) AND (value_pct <= 100)))
);

--
-- Name: agency_management_spending_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.agency_management_spending ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.agency_management_spending_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: allocations; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.allocations (
    id bigint NOT NULL,
    project_id bigint NOT NULL,
    year integer NOT NULL,
    source text DEFAULT 'central'::text NOT NULL,
    amount bigint NOT NULL,
    allocated_by bigint NOT NULL,
    allocated_at timestamp with time zone DEFAULT now() NOT NULL,
    province_id bigint DEFAULT 0 NOT NULL,
    CONSTRAINT allocations_amount_check CHECK ((amount > 0))
);

--
-- Name: allocations_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.allocations ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.allocations_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: attachment_chunks; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.attachment_chunks (
    attachment_id bigint NOT NULL,
    seq integer NOT NULL,
    byte_offset bigint NOT NULL,
    data bytea NOT NULL,
    CONSTRAINT attachment_chunks_byte_offset_check CHECK ((byte_offset >= 0)),
    CONSTRAINT attachment_chunks_data_check CHECK (((length(data) >= 1) AND (length(data) <= 1048576))),
    CONSTRAINT attachment_chunks_seq_check CHECK ((seq >= 0))
);

--
-- Name: attachments_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.attachments ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.attachments_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: audit_chain; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.audit_chain (
    seq bigint NOT NULL,
    audit_id bigint NOT NULL,
    prev_hash bytea NOT NULL,
    hash bytea NOT NULL,
    CONSTRAINT audit_chain_hash_check CHECK ((length(hash) = 32)),
    CONSTRAINT audit_chain_prev_hash_check CHECK ((length(prev_hash) = 32)),
    CONSTRAINT audit_chain_seq_check CHECK ((seq > 0))
);

--
-- Name: audit_head; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.audit_head (
    id integer NOT NULL,
    seq bigint NOT NULL,
    hash bytea NOT NULL,
    scan_from bigint DEFAULT 0 NOT NULL,
    scan_next bigint DEFAULT 0 NOT NULL,
    scan_after xid8 DEFAULT '0'::xid8 NOT NULL,
    CONSTRAINT audit_head_hash_check CHECK ((length(hash) = 32)),
    CONSTRAINT audit_head_id_check CHECK ((id = 1))
);

--
-- Name: audit_log_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.audit_log_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

--
-- Name: audit_log_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.audit_log_id_seq OWNED BY public.audit_log.id;

--
-- Name: budget_releases; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.budget_releases (
    id bigint NOT NULL,
    project_id bigint NOT NULL,
    year integer NOT NULL,
    source text DEFAULT 'central'::text NOT NULL,
    amount bigint NOT NULL,
    reason text NOT NULL,
    released_by bigint NOT NULL,
    released_at timestamp with time zone DEFAULT now() NOT NULL,
    province_id bigint DEFAULT 0 NOT NULL,
    CONSTRAINT budget_releases_amount_check CHECK ((amount > 0))
);

--
-- Name: budget_releases_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.budget_releases ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.budget_releases_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: calendar_rules; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.calendar_rules (
    id bigint NOT NULL,
    rule text NOT NULL,
    year integer NOT NULL,
    due date NOT NULL,
    note text,
    legal_act text NOT NULL,
    valid_from date NOT NULL,
    valid_to date,
    confidence character(1) NOT NULL,
    version integer DEFAULT 1 NOT NULL,
    CONSTRAINT calendar_rules_check CHECK (((valid_to IS NULL) OR (valid_to >= valid_from))),
    CONSTRAINT calendar_rules_confidence_check CHECK ((confidence = ANY (ARRAY['C'::bpchar, 'P'::bpchar, 'U'::bpchar]))),
    CONSTRAINT calendar_rules_rule_check CHECK ((rule ~ '^[a-z][a-z_]{1,63}$'::text)),
    CONSTRAINT calendar_rules_version_check CHECK ((version >= 1)),
    CONSTRAINT calendar_rules_year_check CHECK (((year >= 2000) AND (year <= 2100)))
);

--
-- Name: calendar_rules_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.calendar_rules ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.calendar_rules_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: carry_overs; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.carry_overs (
    id bigint NOT NULL,
    project_id bigint NOT NULL,
    from_year integer NOT NULL,
    to_year integer NOT NULL,
    source text DEFAULT 'central'::text NOT NULL,
    amount bigint NOT NULL,
    carried_by bigint NOT NULL,
    carried_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT carry_overs_amount_check CHECK ((amount > 0)),
    CONSTRAINT carry_overs_check CHECK ((to_year > from_year)),
    CONSTRAINT carry_overs_to_year_check CHECK (((to_year >= 2014) AND (to_year <= 2100)))
);

--
-- Name: carry_overs_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.carry_overs ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.carry_overs_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: change_decisions; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.change_decisions (
    id bigint NOT NULL,
    number text NOT NULL,
    decided_on date NOT NULL,
    signer text NOT NULL,
    attachment_id bigint,
    method text NOT NULL,
    recorded_by bigint,
    recorded_at timestamp with time zone DEFAULT now() NOT NULL,
    xact xid8 DEFAULT pg_current_xact_id() NOT NULL,
    CONSTRAINT change_decisions_number_check CHECK (((length(number) >= 1) AND (length(number) <= 100))),
    CONSTRAINT change_decisions_signer_check CHECK (((length(signer) >= 1) AND (length(signer) <= 300)))
);

--
-- Name: change_decisions_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.change_decisions ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.change_decisions_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: content_categories; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.content_categories (
    code text NOT NULL,
    parent_code text,
    name_vi text NOT NULL,
    name_en text NOT NULL,
    sort integer NOT NULL,
    group_project_eligible boolean DEFAULT false NOT NULL,
    requires_bidding boolean DEFAULT false NOT NULL,
    first_advance_pct integer,
    note text,
    legal_act text NOT NULL,
    valid_from date NOT NULL,
    valid_to date,
    confidence character(1) NOT NULL,
    version integer DEFAULT 1 NOT NULL,
    CONSTRAINT content_categories_check CHECK (((valid_to IS NULL) OR (valid_to >= valid_from))),
    CONSTRAINT content_categories_check1 CHECK ((parent_code IS DISTINCT FROM code)),
    CONSTRAINT content_categories_code_check CHECK ((code ~ '^ND[0-9]+\.[0-9A-Za-z.đ]+$'::text)),
    CONSTRAINT content_categories_confidence_check CHECK ((confidence = ANY (ARRAY['C'::bpchar, 'P'::bpchar, 'U'::bpchar]))),
    CONSTRAINT content_categories_first_advance_pct_check CHECK ((first_advance_pct = ANY (ARRAY[30, 70, 100]))),
    CONSTRAINT content_categories_name_en_check CHECK (((length(name_en) >= 1) AND (length(name_en) <= 1000))),
    CONSTRAINT content_categories_name_vi_check CHECK (((length(name_vi) >= 1) AND (length(name_vi) <= 1000))),
    CONSTRAINT content_categories_version_check CHECK ((version >= 1))
);

--
-- Name: contracts; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.contracts (
    id bigint NOT NULL,
    project_id bigint NOT NULL,
    number text NOT NULL,
    signed_on date NOT NULL,
    party_a text NOT NULL,
    party_b text NOT NULL,
    amount bigint NOT NULL,
    version integer DEFAULT 1 NOT NULL,
    created_by bigint NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT contracts_amount_check CHECK ((amount > 0)),
    CONSTRAINT contracts_number_check CHECK (((length(number) >= 1) AND (length(number) <= 100))),
    CONSTRAINT contracts_party_a_check CHECK (((length(party_a) >= 1) AND (length(party_a) <= 300))),
    CONSTRAINT contracts_party_b_check CHECK (((length(party_b) >= 1) AND (length(party_b) <= 300)))
);

--
-- Name: contracts_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.contracts ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.contracts_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: correspondence_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.correspondence ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.correspondence_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: correspondence_messages_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.correspondence_messages ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.correspondence_messages_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: deadline_settings; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.deadline_settings (
    code text NOT NULL,
    value integer NOT NULL,
    description text NOT NULL,
    legal_act text NOT NULL,
    confidence character(1) NOT NULL,
    version integer DEFAULT 1 NOT NULL,
    CONSTRAINT deadline_settings_code_check CHECK ((code = ANY (ARRAY['correspondence_sla_working_days'::text, 'settlement_dossier_days'::text]))),
    CONSTRAINT deadline_settings_confidence_check CHECK ((confidence = ANY (ARRAY['C'::bpchar, 'P'::bpchar, 'U'::bpchar]))),
    CONSTRAINT deadline_settings_value_check CHECK (((value >= 1) AND (value <= 365)))
);

--
-- Name: disbursements; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.disbursements (
    id bigint NOT NULL,
    project_id bigint NOT NULL,
    kind text NOT NULL,
    amount bigint NOT NULL,
    paid_on date NOT NULL,
    document_no text NOT NULL,
    paid_by bigint NOT NULL,
    paid_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT disbursements_amount_check CHECK ((amount > 0)),
    CONSTRAINT disbursements_document_no_check CHECK (((length(document_no) >= 1) AND (length(document_no) <= 100))),
    CONSTRAINT disbursements_kind_check CHECK ((kind = ANY (ARRAY['advance'::text, 'final'::text, 'refund'::text])))
);

--
-- Name: disbursements_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.disbursements ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.disbursements_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: event_outbox; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.event_outbox (
    id bigint NOT NULL,
    payload text,
    topic text,
    record_id bigint,
    status text,
    version integer,
    plan_id bigint,
    at timestamp with time zone DEFAULT clock_timestamp(),
    CONSTRAINT event_outbox_check CHECK (((payload IS NOT NULL) OR ((topic IS NOT NULL) AND (plan_id IS NOT NULL))))
);

--
-- Name: event_outbox_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.event_outbox ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.event_outbox_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: funding_sources; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.funding_sources (
    code text NOT NULL,
    name_vi text NOT NULL,
    name_en text NOT NULL,
    sort integer NOT NULL,
    note text,
    legal_act text NOT NULL,
    valid_from date NOT NULL,
    valid_to date,
    confidence character(1) NOT NULL,
    version integer DEFAULT 1 NOT NULL,
    CONSTRAINT funding_sources_check CHECK (((valid_to IS NULL) OR (valid_to >= valid_from))),
    CONSTRAINT funding_sources_code_check CHECK ((code ~ '^[a-z][a-z_]{1,31}$'::text)),
    CONSTRAINT funding_sources_confidence_check CHECK ((confidence = ANY (ARRAY['C'::bpchar, 'P'::bpchar, 'U'::bpchar]))),
    CONSTRAINT funding_sources_name_en_check CHECK (((length(name_en) >= 1) AND (length(name_en) <= 500))),
    CONSTRAINT funding_sources_name_vi_check CHECK (((length(name_vi) >= 1) AND (length(name_vi) <= 500))),
    CONSTRAINT funding_sources_version_check CHECK ((version >= 1))
);

--
-- Name: holidays; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.holidays (
    day date NOT NULL,
    name text NOT NULL,
    CONSTRAINT holidays_name_check CHECK (((length(name) >= 1) AND (length(name) <= 200)))
);

--
-- Name: implementation_plans; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.implementation_plans (
    project_id bigint NOT NULL,
    decision_no text NOT NULL,
    decision_date date,
    note text,
    approved_by bigint NOT NULL,
    approved_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT implementation_plans_decision_no_check CHECK (((length(decision_no) >= 1) AND (length(decision_no) <= 100))),
    CONSTRAINT implementation_plans_note_check CHECK ((length(note) <= 20000))
);

--
-- Name: inbox_kinds; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.inbox_kinds (
    kind text NOT NULL,
    roles text[] NOT NULL,
    sort smallint NOT NULL,
    name_vi text NOT NULL,
    name_en text NOT NULL,
    legal_basis text,
    CONSTRAINT inbox_kinds_kind_check CHECK ((kind ~ '^[a-z][a-z_]{1,63}$'::text)),
    CONSTRAINT inbox_kinds_roles_check CHECK ((roles <@ ARRAY['province_officer'::text, 'province_leader'::text, 'ministry_reviewer'::text, 'ministry_approver'::text, 'admin'::text, 'viewer'::text]))
);

--
-- Name: inbox_seen; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.inbox_seen (
    user_id bigint NOT NULL,
    seen_at timestamp with time zone NOT NULL
);

--
-- Name: indicators; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.indicators (
    code text NOT NULL,
    name_vi text NOT NULL,
    name_en text NOT NULL,
    unit_vi text NOT NULL,
    unit_en text NOT NULL,
    note text,
    legal_act text NOT NULL,
    valid_from date NOT NULL,
    valid_to date,
    confidence character(1) NOT NULL,
    version integer DEFAULT 1 NOT NULL,
    CONSTRAINT indicators_check CHECK (((valid_to IS NULL) OR (valid_to >= valid_from))),
    CONSTRAINT indicators_code_check CHECK ((code ~ '^I[0-9]{2}[a-z]?$'::text)),
    CONSTRAINT indicators_confidence_check CHECK ((confidence = ANY (ARRAY['C'::bpchar, 'P'::bpchar, 'U'::bpchar]))),
    CONSTRAINT indicators_name_en_check CHECK (((length(name_en) >= 1) AND (length(name_en) <= 1000))),
    CONSTRAINT indicators_name_vi_check CHECK (((length(name_vi) >= 1) AND (length(name_vi) <= 1000))),
    CONSTRAINT indicators_unit_en_check CHECK (((length(unit_en) >= 1) AND (length(unit_en) <= 100))),
    CONSTRAINT indicators_unit_vi_check CHECK (((length(unit_vi) >= 1) AND (length(unit_vi) <= 100))),
    CONSTRAINT indicators_version_check CHECK ((version >= 1))
);

--
-- Name: local_caps_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.local_caps ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.local_caps_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: login_failures; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.login_failures (
    id bigint NOT NULL,
    username text NOT NULL,
    peer text NOT NULL,
    at timestamp with time zone DEFAULT now() NOT NULL,
    reason text
);

--
-- Name: login_failures_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.login_failures ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.login_failures_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: login_throttles; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.login_throttles (
    username text NOT NULL,
    peer text NOT NULL,
    window_start timestamp with time zone NOT NULL,
    refused integer DEFAULT 1 NOT NULL,
    last_at timestamp with time zone DEFAULT now() NOT NULL
);

--
-- Name: org_lineage; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.org_lineage (
    old_org_id bigint NOT NULL,
    new_org_id bigint NOT NULL,
    effective date NOT NULL,
    legal_ref text,
    CONSTRAINT org_lineage_check CHECK ((old_org_id <> new_org_id))
);

--
-- Name: org_names; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.org_names (
    org_id bigint NOT NULL,
    name text NOT NULL,
    valid_from date NOT NULL,
    valid_to date,
    legal_ref text,
    confidence text DEFAULT 'U'::text NOT NULL,
    CONSTRAINT org_names_check CHECK (((valid_to IS NULL) OR (valid_to >= valid_from))),
    CONSTRAINT org_names_confidence_check CHECK ((confidence = ANY (ARRAY['C'::text, 'P'::text, 'U'::text])))
);

--
-- Name: orgs; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.orgs (
    id bigint NOT NULL,
    code text NOT NULL,
    name text NOT NULL,
    name_en text,
    kind text NOT NULL,
    parent_id bigint,
    province_code text,
    region text,
    valid_from date DEFAULT '1900-01-01'::date NOT NULL,
    valid_to date,
    version integer DEFAULT 1 NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT orgs_check CHECK (((valid_to IS NULL) OR (valid_to >= valid_from))),
    CONSTRAINT orgs_check1 CHECK ((parent_id <> id)),
    CONSTRAINT orgs_check2 CHECK (((province_code IS NOT NULL) = (kind = ANY (ARRAY['province'::text, 'province_department'::text, 'promotion_centre'::text])))),
    CONSTRAINT orgs_check3 CHECK (((region IS NULL) OR (kind = 'province'::text))),
    CONSTRAINT orgs_kind_check CHECK ((kind = ANY (ARRAY['ministry'::text, 'ministry_department'::text, 'regional_centre'::text, 'province'::text, 'province_department'::text, 'promotion_centre'::text]))),
    CONSTRAINT orgs_province_code_check CHECK ((province_code ~ '^[0-9]{2}$'::text)),
    CONSTRAINT orgs_region_check CHECK ((region = ANY (ARRAY['Bắc'::text, 'Trung–TN'::text, 'Nam'::text])))
);

--
-- Name: orgs_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.orgs ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.orgs_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: plan_decision_items; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.plan_decision_items (
    decision_id bigint NOT NULL,
    project_id bigint NOT NULL,
    action text NOT NULL,
    CONSTRAINT plan_decision_items_action_check CHECK ((action = ANY (ARRAY['approve'::text, 'add'::text, 'extend'::text, 'cancel'::text])))
);

--
-- Name: plan_decisions_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.plan_decisions ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.plan_decisions_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: plan_history; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.plan_history (
    id bigint NOT NULL,
    plan_id bigint NOT NULL,
    from_status text,
    to_status text NOT NULL,
    actor_id bigint,
    actor_role text,
    at timestamp with time zone DEFAULT now() NOT NULL,
    comment text,
    document_no text
);

--
-- Name: plan_history_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.plan_history ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.plan_history_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: plan_transitions; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.plan_transitions (
    from_status text NOT NULL,
    to_status text NOT NULL,
    role text NOT NULL,
    scope text DEFAULT 'any'::text NOT NULL,
    action text NOT NULL,
    legal_basis text,
    CONSTRAINT plan_transitions_scope_check CHECK ((scope = ANY (ARRAY['any'::text, 'national'::text, 'local'::text, 'centre'::text])))
);

--
-- Name: plans_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.plans ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.plans_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: priority_areas; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.priority_areas (
    code text NOT NULL,
    rank integer NOT NULL,
    name_vi text NOT NULL,
    name_en text NOT NULL,
    note text,
    legal_act text NOT NULL,
    valid_from date NOT NULL,
    valid_to date,
    confidence character(1) NOT NULL,
    version integer DEFAULT 1 NOT NULL,
    CONSTRAINT priority_areas_check CHECK (((valid_to IS NULL) OR (valid_to >= valid_from))),
    CONSTRAINT priority_areas_code_check CHECK ((code ~ '^[a-z]$'::text)),
    CONSTRAINT priority_areas_confidence_check CHECK ((confidence = ANY (ARRAY['C'::bpchar, 'P'::bpchar, 'U'::bpchar]))),
    CONSTRAINT priority_areas_name_en_check CHECK (((length(name_en) >= 1) AND (length(name_en) <= 1000))),
    CONSTRAINT priority_areas_name_vi_check CHECK (((length(name_vi) >= 1) AND (length(name_vi) <= 1000))),
    CONSTRAINT priority_areas_rank_check CHECK ((rank > 0)),
    CONSTRAINT priority_areas_version_check CHECK ((version >= 1))
);

--
-- Name: priority_sectors; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.priority_sectors (
    code text NOT NULL,
    grp character(1) NOT NULL,
    rank integer NOT NULL,
    sort integer NOT NULL,
    name_vi text NOT NULL,
    name_en text NOT NULL,
    definition_vi text,
    definition_en text,
    note text,
    legal_act text NOT NULL,
    valid_from date NOT NULL,
    valid_to date,
    confidence character(1) NOT NULL,
    version integer DEFAULT 1 NOT NULL,
    uplift boolean DEFAULT true NOT NULL,
    CONSTRAINT priority_sectors_check CHECK (((valid_to IS NULL) OR (valid_to >= valid_from))),
    CONSTRAINT priority_sectors_code_check CHECK ((code ~ '^[a-z][a-z_]{1,40}$'::text)),
    CONSTRAINT priority_sectors_confidence_check CHECK ((confidence = ANY (ARRAY['C'::bpchar, 'P'::bpchar, 'U'::bpchar]))),
    CONSTRAINT priority_sectors_grp_check CHECK ((grp = ANY (ARRAY['a'::bpchar, 'b'::bpchar]))),
    CONSTRAINT priority_sectors_name_en_check CHECK (((length(name_en) >= 1) AND (length(name_en) <= 1000))),
    CONSTRAINT priority_sectors_name_vi_check CHECK (((length(name_vi) >= 1) AND (length(name_vi) <= 1000))),
    CONSTRAINT priority_sectors_rank_check CHECK ((rank > 0)),
    CONSTRAINT priority_sectors_version_check CHECK ((version >= 1))
);

--
-- Name: programme_budgets; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.programme_budgets (
    id bigint NOT NULL,
    programme_id bigint NOT NULL,
    province_id bigint,
    source text NOT NULL,
    amount bigint NOT NULL,
    confidence character(1) DEFAULT 'C'::bpchar NOT NULL,
    source_ref text,
    note text,
    change_decision_id bigint,
    year integer,
    CONSTRAINT programme_budgets_amount_check CHECK ((amount >= 0)),
    CONSTRAINT programme_budgets_confidence_check CHECK ((confidence = ANY (ARRAY['C'::bpchar, 'P'::bpchar, 'U'::bpchar]))),
    CONSTRAINT programme_budgets_note_check CHECK ((length(note) <= 2000)),
    CONSTRAINT programme_budgets_source_ref_check CHECK ((length(source_ref) <= 1000)),
    CONSTRAINT programme_budgets_year_check CHECK (((year >= 2014) AND (year <= 2100)))
);

--
-- Name: programme_budgets_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.programme_budgets ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.programme_budgets_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: programme_comments_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.programme_comments ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.programme_comments_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: programme_periods; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.programme_periods (
    code text NOT NULL,
    name_vi text NOT NULL,
    name_en text NOT NULL,
    from_year integer NOT NULL,
    to_year integer NOT NULL,
    decision text NOT NULL,
    decision_date date NOT NULL,
    issuer text,
    note text,
    legal_act text NOT NULL,
    valid_from date NOT NULL,
    valid_to date,
    confidence character(1) NOT NULL,
    version integer DEFAULT 1 NOT NULL,
    CONSTRAINT programme_periods_check CHECK (((valid_to IS NULL) OR (valid_to >= valid_from))),
    CONSTRAINT programme_periods_check1 CHECK ((to_year >= from_year)),
    CONSTRAINT programme_periods_code_check CHECK ((code ~ '^KCQG-[0-9]{4}-[0-9]{4}$'::text)),
    CONSTRAINT programme_periods_confidence_check CHECK ((confidence = ANY (ARRAY['C'::bpchar, 'P'::bpchar, 'U'::bpchar]))),
    CONSTRAINT programme_periods_from_year_check CHECK (((from_year >= 2000) AND (from_year <= 2100))),
    CONSTRAINT programme_periods_name_en_check CHECK (((length(name_en) >= 1) AND (length(name_en) <= 1000))),
    CONSTRAINT programme_periods_name_vi_check CHECK (((length(name_vi) >= 1) AND (length(name_vi) <= 1000))),
    CONSTRAINT programme_periods_to_year_check CHECK (((to_year >= 2000) AND (to_year <= 2100))),
    CONSTRAINT programme_periods_version_check CHECK ((version >= 1))
);

--
-- Name: programme_targets; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.programme_targets (
    id bigint NOT NULL,
    programme_id bigint NOT NULL,
    province_id bigint,
    indicator text NOT NULL,
    target bigint NOT NULL,
    confidence character(1) DEFAULT 'C'::bpchar NOT NULL,
    source_ref text,
    note text,
    change_decision_id bigint,
    CONSTRAINT programme_targets_confidence_check CHECK ((confidence = ANY (ARRAY['C'::bpchar, 'P'::bpchar, 'U'::bpchar]))),
    CONSTRAINT programme_targets_note_check CHECK ((length(note) <= 2000)),
    CONSTRAINT programme_targets_source_ref_check CHECK ((length(source_ref) <= 1000)),
    CONSTRAINT programme_targets_target_check CHECK ((target >= 0))
);

--
-- Name: programme_targets_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.programme_targets ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.programme_targets_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: programmes_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.programmes ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.programmes_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: project_acceptance_dossiers; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.project_acceptance_dossiers (
    project_id bigint NOT NULL,
    report text NOT NULL,
    indicators jsonb DEFAULT '[]'::jsonb NOT NULL,
    submitted_by bigint NOT NULL,
    submitted_at timestamp with time zone DEFAULT now() NOT NULL,
    version integer DEFAULT 1 NOT NULL,
    CONSTRAINT project_acceptance_dossiers_indicators_check CHECK ((jsonb_typeof(indicators) = 'array'::text)),
    CONSTRAINT project_acceptance_dossiers_report_check CHECK (((length(report) >= 1) AND (length(report) <= 20000))),
    CONSTRAINT project_acceptance_dossiers_version_check CHECK ((version >= 1))
);

--
-- Name: project_acceptances; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.project_acceptances (
    project_id bigint NOT NULL,
    accepted_on date NOT NULL,
    record_no text NOT NULL,
    indicators jsonb DEFAULT '[]'::jsonb NOT NULL,
    note text,
    accepted_by bigint NOT NULL,
    accepted_role text NOT NULL,
    accepted_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT project_acceptances_indicators_check CHECK ((jsonb_typeof(indicators) = 'array'::text)),
    CONSTRAINT project_acceptances_note_check CHECK ((length(note) <= 20000)),
    CONSTRAINT project_acceptances_record_no_check CHECK (((length(record_no) >= 1) AND (length(record_no) <= 100)))
);

--
-- Name: project_adjustments_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.project_adjustments ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.project_adjustments_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: project_beneficiaries; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.project_beneficiaries (
    id bigint NOT NULL,
    project_id bigint NOT NULL,
    name text NOT NULL,
    kind text NOT NULL,
    tax_code text,
    commune text,
    province_org_id bigint,
    CONSTRAINT project_beneficiaries_commune_check CHECK ((length(commune) <= 200)),
    CONSTRAINT project_beneficiaries_kind_check CHECK ((kind = ANY (ARRAY['enterprise'::text, 'cooperative'::text, 'cooperative_group'::text, 'household_business'::text]))),
    CONSTRAINT project_beneficiaries_name_check CHECK (((length(name) >= 1) AND (length(name) <= 300))),
    CONSTRAINT project_beneficiaries_tax_code_check CHECK ((length(tax_code) <= 20))
);

--
-- Name: project_beneficiaries_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.project_beneficiaries ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.project_beneficiaries_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: project_budget_lines; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.project_budget_lines (
    project_id bigint NOT NULL,
    source text NOT NULL,
    amount bigint NOT NULL,
    CONSTRAINT project_budget_lines_amount_check CHECK ((amount >= 0))
);

--
-- Name: project_cancellations; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.project_cancellations (
    project_id bigint NOT NULL,
    kind text DEFAULT 'cancellation'::text NOT NULL,
    reason text NOT NULL,
    decision_no text NOT NULL,
    decision_date date,
    cancelled_by bigint NOT NULL,
    cancelled_role text NOT NULL,
    cancelled_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT project_cancellations_decision_no_check CHECK (((length(decision_no) >= 1) AND (length(decision_no) <= 100))),
    CONSTRAINT project_cancellations_kind_check CHECK ((kind = ANY (ARRAY['suspension'::text, 'cancellation'::text]))),
    CONSTRAINT project_cancellations_reason_check CHECK (((length(reason) >= 1) AND (length(reason) <= 20000)))
);

--
-- Name: project_categories; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.project_categories (
    project_id bigint NOT NULL,
    content_code text NOT NULL,
    is_primary boolean DEFAULT false NOT NULL
);

--
-- Name: project_code_counters; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.project_code_counters (
    scope text NOT NULL,
    year integer NOT NULL,
    province_code text NOT NULL,
    last_number integer NOT NULL
);

--
-- Name: project_cost_items; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.project_cost_items (
    project_id bigint NOT NULL,
    seq integer NOT NULL,
    item text NOT NULL,
    unit text,
    quantity bigint,
    unit_price bigint,
    central bigint DEFAULT 0 NOT NULL,
    local bigint DEFAULT 0 NOT NULL,
    counterpart bigint DEFAULT 0 NOT NULL,
    other bigint DEFAULT 0 NOT NULL,
    management boolean DEFAULT false NOT NULL,
    CONSTRAINT project_cost_items_central_check CHECK ((central >= 0)),
    CONSTRAINT project_cost_items_counterpart_check CHECK ((counterpart >= 0)),
    CONSTRAINT project_cost_items_item_check CHECK (((length(item) >= 1) AND (length(item) <= 500))),
    CONSTRAINT project_cost_items_local_check CHECK ((local >= 0)),
    CONSTRAINT project_cost_items_other_check CHECK ((other >= 0)),
    CONSTRAINT project_cost_items_quantity_check CHECK ((quantity >= 0)),
    CONSTRAINT project_cost_items_seq_check CHECK ((seq >= 1)),
    CONSTRAINT project_cost_items_unit_check CHECK ((length(unit) <= 100)),
    CONSTRAINT project_cost_items_unit_price_check CHECK ((unit_price >= 0))
);

--
-- Name: project_history; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.project_history (
    id bigint NOT NULL,
    project_id bigint NOT NULL,
    from_status text,
    to_status text NOT NULL,
    from_stage text,
    to_stage text NOT NULL,
    actor_id bigint,
    actor_role text,
    at timestamp with time zone DEFAULT now() NOT NULL,
    comment text,
    document_no text
);

--
-- Name: project_history_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.project_history ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.project_history_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: project_indicators; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.project_indicators (
    project_id bigint NOT NULL,
    indicator text NOT NULL,
    target bigint NOT NULL,
    achieved bigint,
    CONSTRAINT project_indicators_achieved_check CHECK ((achieved >= 0)),
    CONSTRAINT project_indicators_target_check CHECK ((target >= 0))
);

--
-- Name: project_kind_bounds; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.project_kind_bounds (
    kind text NOT NULL,
    min_years integer,
    max_years integer,
    min_contents integer,
    min_beneficiaries integer,
    legal_act text NOT NULL,
    valid_from date NOT NULL,
    valid_to date,
    confidence character(1) NOT NULL,
    note text,
    version integer DEFAULT 1 NOT NULL,
    CONSTRAINT project_kind_bounds_check CHECK (((valid_to IS NULL) OR (valid_to >= valid_from))),
    CONSTRAINT project_kind_bounds_confidence_check CHECK ((confidence = ANY (ARRAY['C'::bpchar, 'P'::bpchar, 'U'::bpchar])))
);

--
-- Name: project_kinds; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.project_kinds (
    code text NOT NULL,
    name_vi text NOT NULL,
    name_en text NOT NULL,
    sort integer NOT NULL,
    min_years integer,
    max_years integer,
    min_contents integer,
    min_beneficiaries integer,
    note text,
    legal_act text NOT NULL,
    valid_from date NOT NULL,
    valid_to date,
    confidence character(1) NOT NULL,
    version integer DEFAULT 1 NOT NULL,
    CONSTRAINT project_kinds_check CHECK (((valid_to IS NULL) OR (valid_to >= valid_from))),
    CONSTRAINT project_kinds_check1 CHECK (((min_years IS NULL) OR (max_years IS NULL) OR (max_years >= min_years))),
    CONSTRAINT project_kinds_code_check CHECK ((code ~ '^[a-z][a-z_]{1,31}$'::text)),
    CONSTRAINT project_kinds_confidence_check CHECK ((confidence = ANY (ARRAY['C'::bpchar, 'P'::bpchar, 'U'::bpchar]))),
    CONSTRAINT project_kinds_max_years_check CHECK ((max_years >= 1)),
    CONSTRAINT project_kinds_min_beneficiaries_check CHECK ((min_beneficiaries >= 0)),
    CONSTRAINT project_kinds_min_contents_check CHECK ((min_contents >= 1)),
    CONSTRAINT project_kinds_min_years_check CHECK ((min_years >= 1)),
    CONSTRAINT project_kinds_name_en_check CHECK (((length(name_en) >= 1) AND (length(name_en) <= 500))),
    CONSTRAINT project_kinds_name_vi_check CHECK (((length(name_vi) >= 1) AND (length(name_vi) <= 500))),
    CONSTRAINT project_kinds_version_check CHECK ((version >= 1))
);

--
-- Name: project_progress_reports_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.project_progress_reports ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.project_progress_reports_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: project_refunds_due; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.project_refunds_due (
    project_id bigint NOT NULL,
    amount bigint NOT NULL,
    released bigint NOT NULL,
    decision_no text NOT NULL,
    recorded_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT project_refunds_due_amount_check CHECK ((amount >= 0)),
    CONSTRAINT project_refunds_due_released_check CHECK ((released >= 0))
);

--
-- Name: project_registration_certificates; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.project_registration_certificates (
    project_id bigint NOT NULL,
    number text NOT NULL,
    issued_on date NOT NULL,
    issuer text,
    disbursement_id bigint,
    recorded_by bigint NOT NULL,
    recorded_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT project_registration_certificates_issuer_check CHECK (((length(issuer) >= 1) AND (length(issuer) <= 300))),
    CONSTRAINT project_registration_certificates_number_check CHECK (((length(number) >= 1) AND (length(number) <= 100)))
);

--
-- Name: project_search; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.project_search (
    project_id bigint NOT NULL,
    search_text text DEFAULT ''::text NOT NULL
);

--
-- Name: project_stages; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.project_stages (
    status text NOT NULL,
    stage text NOT NULL,
    step text,
    legal_basis text,
    CONSTRAINT project_stages_status_check CHECK ((status = ANY (ARRAY['draft'::text, 'submitted'::text, 'revision_requested'::text, 'approved'::text, 'rejected'::text, 'in_progress'::text, 'completed'::text, 'settled'::text, 'cancelled'::text])))
);

--
-- Name: project_transitions; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.project_transitions (
    from_status text NOT NULL,
    to_status text NOT NULL,
    to_stage text NOT NULL,
    role text NOT NULL,
    scope text DEFAULT 'any'::text NOT NULL,
    action text NOT NULL,
    legal_basis text,
    CONSTRAINT project_transitions_role_check CHECK ((role = ANY (ARRAY['province_officer'::text, 'province_leader'::text, 'ministry_reviewer'::text, 'ministry_approver'::text, 'admin'::text, 'viewer'::text]))),
    CONSTRAINT project_transitions_scope_check CHECK ((scope = ANY (ARRAY['any'::text, 'national'::text, 'local'::text, 'centre'::text])))
);

--
-- Name: project_versions; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.project_versions (
    project_id bigint NOT NULL,
    version integer NOT NULL,
    project_version integer NOT NULL,
    stage text NOT NULL,
    snapshot jsonb NOT NULL,
    sent_back boolean DEFAULT false NOT NULL,
    at timestamp with time zone DEFAULT now() NOT NULL
);

--
-- Name: projects_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.projects ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.projects_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: province_reports_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.province_reports ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.province_reports_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: report_dirty; Type: TABLE; Schema: public; Owner: -
--

CREATE UNLOGGED TABLE public.report_dirty (
    txid bigint DEFAULT txid_current() NOT NULL,
    project_id bigint NOT NULL
);

--
-- Name: report_facts; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.report_facts (
    g smallint NOT NULL,
    province_org bigint NOT NULL,
    year integer NOT NULL,
    scope text NOT NULL,
    visible boolean NOT NULL,
    status text NOT NULL,
    category text NOT NULL,
    kind text NOT NULL,
    priority text NOT NULL,
    source text NOT NULL,
    indicator text NOT NULL,
    projects bigint NOT NULL,
    planned bigint NOT NULL,
    allocated bigint NOT NULL,
    advanced bigint NOT NULL,
    final bigint NOT NULL,
    refunded bigint NOT NULL,
    settled bigint NOT NULL,
    target bigint NOT NULL,
    achieved bigint NOT NULL,
    CONSTRAINT report_facts_g_check CHECK (((g >= 0) AND (g <= 5)))
)
WITH (fillfactor='70');

--
-- Name: report_project_dims_v; Type: VIEW; Schema: public; Owner: -
--

CREATE VIEW public.report_project_dims_v AS
 SELECT pr.id,
    public.kc_report_province(pl.org_id) AS province_org,
    pl.year,
    pl.scope,
    ((pl.scope = 'local'::text) OR (pl.status <> ALL (ARRAY['draft'::text, 'submitted'::text]))) AS visible,
    pr.status,
    COALESCE(( SELECT c.content_code
           FROM public.project_categories c
          WHERE ((c.project_id = pr.id) AND c.is_primary)), ''::text) AS category,
    pr.kind,
    COALESCE(pr.priority_area, ''::text) AS priority
   FROM (public.projects pr
     JOIN public.plans pl ON ((pl.id = pr.plan_id)));

--
-- Name: report_project_facts; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.report_project_facts (
    project_id bigint NOT NULL,
    province_org bigint NOT NULL,
    year integer NOT NULL,
    scope text NOT NULL,
    visible boolean NOT NULL,
    status text NOT NULL,
    category text NOT NULL,
    kind text NOT NULL,
    priority text NOT NULL,
    source text NOT NULL,
    indicator text NOT NULL,
    projects bigint NOT NULL,
    planned bigint NOT NULL,
    allocated bigint NOT NULL,
    advanced bigint NOT NULL,
    final bigint NOT NULL,
    refunded bigint NOT NULL,
    settled bigint NOT NULL,
    target bigint NOT NULL,
    achieved bigint NOT NULL
);

--
-- Name: settlement_amounts; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.settlement_amounts (
    project_id bigint NOT NULL,
    source text NOT NULL,
    amount bigint NOT NULL,
    CONSTRAINT settlement_amounts_amount_check CHECK ((amount >= 0))
);

--
-- Name: report_project_money_v; Type: VIEW; Schema: public; Owner: -
--

CREATE VIEW public.report_project_money_v AS
 SELECT m.project_id,
    m.source,
    (sum(m.planned))::bigint AS planned,
    (sum(m.allocated))::bigint AS allocated,
    (sum(m.advanced))::bigint AS advanced,
    (sum(m.final))::bigint AS final,
    (sum(m.refunded))::bigint AS refunded,
    (sum(m.settled))::bigint AS settled
   FROM ( SELECT project_budget_lines.project_id,
            project_budget_lines.source,
            project_budget_lines.amount AS planned,
            (0)::bigint AS allocated,
            (0)::bigint AS advanced,
            (0)::bigint AS final,
            (0)::bigint AS refunded,
            (0)::bigint AS settled
           FROM public.project_budget_lines
        UNION ALL
         SELECT allocations.project_id,
            allocations.source,
            0,
            allocations.amount,
            0,
            0,
            0,
            0
           FROM public.allocations
        UNION ALL
         SELECT disbursements.project_id,
            'central'::text,
            0,
            0,
                CASE
                    WHEN (disbursements.kind = 'advance'::text) THEN disbursements.amount
                    ELSE (0)::bigint
                END AS "case",
                CASE
                    WHEN (disbursements.kind = 'final'::text) THEN disbursements.amount
                    ELSE (0)::bigint
                END AS "case",
                CASE
                    WHEN (disbursements.kind = 'refund'::text) THEN disbursements.amount
                    ELSE (0)::bigint
                END AS "case",
            0
           FROM public.disbursements
        UNION ALL
         SELECT settlement_amounts.project_id,
            settlement_amounts.source,
            0,
            0,
            0,
            0,
            0,
            settlement_amounts.amount
           FROM public.settlement_amounts) m
  GROUP BY m.project_id, m.source;

--
-- Name: report_rows_v; Type: VIEW; Schema: public; Owner: -
--

CREATE VIEW public.report_rows_v AS
 SELECT pr.id AS project_id,
    pr.province_org,
    pr.year,
    pr.scope,
    pr.visible,
    pr.status,
    pr.category,
    pr.kind,
    pr.priority,
    ''::text AS source,
    ''::text AS indicator,
    (1)::bigint AS projects,
    (0)::bigint AS planned,
    (0)::bigint AS allocated,
    (0)::bigint AS advanced,
    (0)::bigint AS final,
    (0)::bigint AS refunded,
    (0)::bigint AS settled,
    (0)::bigint AS target,
    (0)::bigint AS achieved
   FROM public.report_project_dims_v pr
UNION ALL
 SELECT pr.id AS project_id,
    pr.province_org,
    pr.year,
    pr.scope,
    pr.visible,
    pr.status,
    pr.category,
    pr.kind,
    pr.priority,
    m.source,
    ''::text AS indicator,
    1 AS projects,
    m.planned,
    m.allocated,
    m.advanced,
    m.final,
    m.refunded,
    m.settled,
    0 AS target,
    0 AS achieved
   FROM (public.report_project_dims_v pr
     JOIN public.report_project_money_v m ON ((m.project_id = pr.id)))
UNION ALL
 SELECT pr.id AS project_id,
    pr.province_org,
    pr.year,
    pr.scope,
    pr.visible,
    pr.status,
    pr.category,
    pr.kind,
    pr.priority,
    ''::text AS source,
    i.indicator,
    1 AS projects,
    0 AS planned,
    0 AS allocated,
    0 AS advanced,
    0 AS final,
    0 AS refunded,
    0 AS settled,
    i.target,
    COALESCE(i.achieved, ( SELECT ((e.value ->> 'achieved'::text))::bigint AS int8
           FROM (public.project_progress_reports r
             CROSS JOIN LATERAL jsonb_array_elements(r.indicators) e(value))
          WHERE ((r.project_id = pr.id) AND ((e.value ->> 'code'::text) = i.indicator))
          ORDER BY r.period DESC
         LIMIT 1), (0)::bigint) AS achieved
   FROM (public.report_project_dims_v pr
     JOIN public.project_indicators i ON ((i.project_id = pr.id)));

--
-- Name: reset_requests; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.reset_requests (
    id bigint NOT NULL,
    kind text NOT NULL,
    target_id bigint NOT NULL,
    requested_by bigint NOT NULL,
    requested_at timestamp with time zone DEFAULT now() NOT NULL,
    confirmed_by bigint,
    confirmed_at timestamp with time zone,
    CONSTRAINT reset_requests_check CHECK (((confirmed_by IS NULL) = (confirmed_at IS NULL))),
    CONSTRAINT reset_requests_four_eyes CHECK (((confirmed_by IS NULL) OR (confirmed_by <> requested_by))),
    CONSTRAINT reset_requests_kind_check CHECK ((kind = ANY (ARRAY['reset_password'::text, 'reset_totp'::text])))
);

--
-- Name: reset_requests_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.reset_requests ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.reset_requests_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: review_assignments; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.review_assignments (
    project_id bigint NOT NULL,
    reviewer_id bigint NOT NULL,
    assigned_by bigint NOT NULL,
    at timestamp with time zone DEFAULT now() NOT NULL
);

--
-- Name: review_comments_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.review_comments ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.review_comments_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: review_criteria; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.review_criteria (
    criterion smallint NOT NULL,
    name text NOT NULL,
    legal_basis text NOT NULL,
    CONSTRAINT review_criteria_criterion_check CHECK (((criterion >= 1) AND (criterion <= 5)))
);

--
-- Name: review_scores; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.review_scores (
    project_id bigint NOT NULL,
    reviewer_id bigint NOT NULL,
    criterion smallint NOT NULL,
    score smallint NOT NULL,
    note text,
    at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT review_scores_note_check CHECK ((length(note) <= 20000)),
    CONSTRAINT review_scores_score_check CHECK (((score >= 0) AND (score <= 10)))
);

--
-- Name: round_reports_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.round_reports ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.round_reports_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: rounds_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.rounds ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.rounds_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: schema_migrations; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.schema_migrations (
    version integer NOT NULL,
    name text NOT NULL,
    applied_at timestamp with time zone DEFAULT now() NOT NULL,
    applied_by text NOT NULL
);

--
-- Name: sectors; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.sectors (
    code text NOT NULL,
    name_vi text NOT NULL,
    name_en text NOT NULL,
    sort integer NOT NULL,
    note text,
    legal_act text NOT NULL,
    valid_from date NOT NULL,
    valid_to date,
    confidence character(1) NOT NULL,
    version integer DEFAULT 1 NOT NULL,
    CONSTRAINT sectors_check CHECK (((valid_to IS NULL) OR (valid_to >= valid_from))),
    CONSTRAINT sectors_code_check CHECK ((code ~ '^5\.1\.[a-zđ]$'::text)),
    CONSTRAINT sectors_confidence_check CHECK ((confidence = ANY (ARRAY['C'::bpchar, 'P'::bpchar, 'U'::bpchar]))),
    CONSTRAINT sectors_name_en_check CHECK (((length(name_en) >= 1) AND (length(name_en) <= 1000))),
    CONSTRAINT sectors_name_vi_check CHECK (((length(name_vi) >= 1) AND (length(name_vi) <= 1000))),
    CONSTRAINT sectors_version_check CHECK ((version >= 1))
);

--
-- Name: sessions; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.sessions (
    id bigint NOT NULL,
    token_hash bytea NOT NULL,
    user_id bigint NOT NULL,
    peer text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    last_seen_at timestamp with time zone DEFAULT now() NOT NULL,
    idle_timeout interval NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    revoked_at timestamp with time zone,
    revoked_reason text,
    CONSTRAINT sessions_token_hash_check CHECK ((length(token_hash) = 32))
);

--
-- Name: sessions_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.sessions ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.sessions_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: settings; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.settings (
    key text NOT NULL,
    value text NOT NULL,
    note text
);

--
-- Name: settlement_dossiers; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.settlement_dossiers (
    project_id bigint NOT NULL,
    submitted_on date NOT NULL,
    record_no text NOT NULL,
    dossier_due date NOT NULL,
    late boolean NOT NULL,
    submitted_by bigint NOT NULL,
    submitted_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT settlement_dossiers_record_no_check CHECK (((length(record_no) >= 1) AND (length(record_no) <= 100)))
);

--
-- Name: settlements; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.settlements (
    project_id bigint NOT NULL,
    settled_on date NOT NULL,
    record_no text NOT NULL,
    accepted_on date NOT NULL,
    dossier_due date NOT NULL,
    year_end_due date NOT NULL,
    settle_due date NOT NULL,
    settled_late boolean NOT NULL,
    central_allocated bigint NOT NULL,
    central_paid bigint NOT NULL,
    carried_over bigint NOT NULL,
    released bigint NOT NULL,
    to_recover bigint NOT NULL,
    settled_by bigint NOT NULL,
    settled_at timestamp with time zone DEFAULT now() NOT NULL,
    partial boolean DEFAULT false NOT NULL,
    reason text,
    CONSTRAINT settlements_reason_check CHECK ((length(reason) <= 20000)),
    CONSTRAINT settlements_record_no_check CHECK (((length(record_no) >= 1) AND (length(record_no) <= 100)))
);

--
-- Name: support_caps_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.support_caps ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.support_caps_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: typical_products_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.typical_products ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.typical_products_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: user_recovery_codes; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.user_recovery_codes (
    id bigint NOT NULL,
    user_id bigint NOT NULL,
    code_hash bytea NOT NULL,
    used_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT user_recovery_codes_code_hash_check CHECK ((length(code_hash) = 32))
);

--
-- Name: user_recovery_codes_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.user_recovery_codes ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.user_recovery_codes_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: user_totp; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.user_totp (
    user_id bigint NOT NULL,
    secret_enc bytea NOT NULL,
    enabled_at timestamp with time zone,
    last_step bigint,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT user_totp_secret_enc_check CHECK ((length(secret_enc) = 48))
);

--
-- Name: users_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.users ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.users_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: advance_first_rules advance_first_rules_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.advance_first_rules
    ADD CONSTRAINT advance_first_rules_pkey PRIMARY KEY (cap_code, valid_from);

--
-- Name: advance_rules advance_rules_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.advance_rules
    ADD CONSTRAINT advance_rules_pkey PRIMARY KEY (code, valid_from);

--
-- Name: agency_management_spending agency_management_spending_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.agency_management_spending
    ADD CONSTRAINT agency_management_spending_pkey PRIMARY KEY (id);

--
-- Name: allocations allocations_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.allocations
    ADD CONSTRAINT allocations_pkey PRIMARY KEY (id);

--
-- Name: appropriations appropriations_owner; Type: CHECK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE public.appropriations
    ADD CONSTRAINT appropriations_owner CHECK (((source = 'local'::text) = (province_id <> 0))) NOT VALID;

--
-- Name: appropriations appropriations_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.appropriations
    ADD CONSTRAINT appropriations_pkey PRIMARY KEY (year, source, province_id);

--
-- Name: attachment_chunks attachment_chunks_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.attachment_chunks
    ADD CONSTRAINT attachment_chunks_pkey PRIMARY KEY (attachment_id, seq);

--
-- Name: attachments attachments_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.attachments
    ADD CONSTRAINT attachments_pkey PRIMARY KEY (id);

--
-- Name: audit_chain audit_chain_audit_id_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.audit_chain
    ADD CONSTRAINT audit_chain_audit_id_key UNIQUE (audit_id);

--
-- Name: audit_chain audit_chain_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.audit_chain
    ADD CONSTRAINT audit_chain_pkey PRIMARY KEY (seq);

--
-- Name: audit_head audit_head_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.audit_head
    ADD CONSTRAINT audit_head_pkey PRIMARY KEY (id);

--
-- Name: audit_log audit_log_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.audit_log
    ADD CONSTRAINT audit_log_pkey PRIMARY KEY (id);

--
-- Name: budget_releases budget_releases_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.budget_releases
    ADD CONSTRAINT budget_releases_pkey PRIMARY KEY (id);

--
-- Name: calendar_rules calendar_rules_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.calendar_rules
    ADD CONSTRAINT calendar_rules_pkey PRIMARY KEY (id);

--
-- Name: calendar_rules calendar_rules_rule_year_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.calendar_rules
    ADD CONSTRAINT calendar_rules_rule_year_key UNIQUE (rule, year);

--
-- Name: carry_overs carry_overs_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.carry_overs
    ADD CONSTRAINT carry_overs_pkey PRIMARY KEY (id);

--
-- Name: change_decisions change_decisions_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.change_decisions
    ADD CONSTRAINT change_decisions_pkey PRIMARY KEY (id);

--
-- Name: content_categories content_categories_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.content_categories
    ADD CONSTRAINT content_categories_pkey PRIMARY KEY (code);

--
-- Name: contracts contracts_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.contracts
    ADD CONSTRAINT contracts_pkey PRIMARY KEY (id);

--
-- Name: contracts contracts_project_id_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.contracts
    ADD CONSTRAINT contracts_project_id_key UNIQUE (project_id);

--
-- Name: correspondence_messages correspondence_messages_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.correspondence_messages
    ADD CONSTRAINT correspondence_messages_pkey PRIMARY KEY (id);

--
-- Name: correspondence correspondence_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.correspondence
    ADD CONSTRAINT correspondence_pkey PRIMARY KEY (id);

--
-- Name: deadline_settings deadline_settings_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.deadline_settings
    ADD CONSTRAINT deadline_settings_pkey PRIMARY KEY (code);

--
-- Name: disbursements disbursements_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.disbursements
    ADD CONSTRAINT disbursements_pkey PRIMARY KEY (id);

--
-- Name: event_outbox event_outbox_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.event_outbox
    ADD CONSTRAINT event_outbox_pkey PRIMARY KEY (id);

--
-- Name: funding_sources funding_sources_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.funding_sources
    ADD CONSTRAINT funding_sources_pkey PRIMARY KEY (code);

--
-- Name: holidays holidays_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.holidays
    ADD CONSTRAINT holidays_pkey PRIMARY KEY (day);

--
-- Name: implementation_plans implementation_plans_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.implementation_plans
    ADD CONSTRAINT implementation_plans_pkey PRIMARY KEY (project_id);

--
-- Name: inbox_kinds inbox_kinds_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.inbox_kinds
    ADD CONSTRAINT inbox_kinds_pkey PRIMARY KEY (kind);

--
-- Name: inbox_seen inbox_seen_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.inbox_seen
    ADD CONSTRAINT inbox_seen_pkey PRIMARY KEY (user_id);

--
-- Name: indicators indicators_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.indicators
    ADD CONSTRAINT indicators_pkey PRIMARY KEY (code);

--
-- Name: local_caps local_caps_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.local_caps
    ADD CONSTRAINT local_caps_pkey PRIMARY KEY (id);

--
-- Name: local_caps local_caps_province_id_cap_code_valid_from_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.local_caps
    ADD CONSTRAINT local_caps_province_id_cap_code_valid_from_key UNIQUE (province_id, cap_code, valid_from);

--
-- Name: login_failures login_failures_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.login_failures
    ADD CONSTRAINT login_failures_pkey PRIMARY KEY (id);

--
-- Name: login_throttles login_throttles_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.login_throttles
    ADD CONSTRAINT login_throttles_pkey PRIMARY KEY (username, peer, window_start);

--
-- Name: org_lineage org_lineage_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.org_lineage
    ADD CONSTRAINT org_lineage_pkey PRIMARY KEY (old_org_id, new_org_id);

--
-- Name: org_names org_names_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.org_names
    ADD CONSTRAINT org_names_pkey PRIMARY KEY (org_id, valid_from);

--
-- Name: orgs orgs_kind_code_valid_from_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.orgs
    ADD CONSTRAINT orgs_kind_code_valid_from_key UNIQUE (kind, code, valid_from);

--
-- Name: orgs orgs_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.orgs
    ADD CONSTRAINT orgs_pkey PRIMARY KEY (id);

--
-- Name: plan_decision_items plan_decision_items_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.plan_decision_items
    ADD CONSTRAINT plan_decision_items_pkey PRIMARY KEY (decision_id, project_id);

--
-- Name: plan_decisions plan_decisions_number_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.plan_decisions
    ADD CONSTRAINT plan_decisions_number_key UNIQUE (number);

--
-- Name: plan_decisions plan_decisions_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.plan_decisions
    ADD CONSTRAINT plan_decisions_pkey PRIMARY KEY (id);

--
-- Name: plan_history plan_history_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.plan_history
    ADD CONSTRAINT plan_history_pkey PRIMARY KEY (id);

--
-- Name: plan_transitions plan_transitions_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.plan_transitions
    ADD CONSTRAINT plan_transitions_pkey PRIMARY KEY (from_status, to_status, role, scope);

--
-- Name: plans plans_org_id_year_scope_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.plans
    ADD CONSTRAINT plans_org_id_year_scope_key UNIQUE (org_id, year, scope);

--
-- Name: plans plans_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.plans
    ADD CONSTRAINT plans_pkey PRIMARY KEY (id);

--
-- Name: priority_areas priority_areas_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.priority_areas
    ADD CONSTRAINT priority_areas_pkey PRIMARY KEY (code);

--
-- Name: priority_areas priority_areas_rank_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.priority_areas
    ADD CONSTRAINT priority_areas_rank_key UNIQUE (rank);

--
-- Name: priority_sectors priority_sectors_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.priority_sectors
    ADD CONSTRAINT priority_sectors_pkey PRIMARY KEY (code);

--
-- Name: programme_budgets programme_budgets_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.programme_budgets
    ADD CONSTRAINT programme_budgets_key UNIQUE NULLS NOT DISTINCT (programme_id, province_id, year, source);

--
-- Name: programme_budgets programme_budgets_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.programme_budgets
    ADD CONSTRAINT programme_budgets_pkey PRIMARY KEY (id);

--
-- Name: programme_comments programme_comments_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.programme_comments
    ADD CONSTRAINT programme_comments_pkey PRIMARY KEY (id);

--
-- Name: programme_periods programme_periods_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.programme_periods
    ADD CONSTRAINT programme_periods_pkey PRIMARY KEY (code);

--
-- Name: programme_targets programme_targets_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.programme_targets
    ADD CONSTRAINT programme_targets_pkey PRIMARY KEY (id);

--
-- Name: programme_targets programme_targets_programme_id_province_id_indicator_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.programme_targets
    ADD CONSTRAINT programme_targets_programme_id_province_id_indicator_key UNIQUE NULLS NOT DISTINCT (programme_id, province_id, indicator);

--
-- Name: programmes programmes_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.programmes
    ADD CONSTRAINT programmes_pkey PRIMARY KEY (id);

--
-- Name: project_acceptance_dossiers project_acceptance_dossiers_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.project_acceptance_dossiers
    ADD CONSTRAINT project_acceptance_dossiers_pkey PRIMARY KEY (project_id);

--
-- Name: project_acceptances project_acceptances_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.project_acceptances
    ADD CONSTRAINT project_acceptances_pkey PRIMARY KEY (project_id);

--
-- Name: project_adjustments project_adjustments_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.project_adjustments
    ADD CONSTRAINT project_adjustments_pkey PRIMARY KEY (id);

--
-- Name: project_beneficiaries project_beneficiaries_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.project_beneficiaries
    ADD CONSTRAINT project_beneficiaries_pkey PRIMARY KEY (id);

--
-- Name: project_budget_lines project_budget_lines_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.project_budget_lines
    ADD CONSTRAINT project_budget_lines_pkey PRIMARY KEY (project_id, source);

--
-- Name: project_cancellations project_cancellations_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.project_cancellations
    ADD CONSTRAINT project_cancellations_pkey PRIMARY KEY (project_id);

--
-- Name: project_categories project_categories_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.project_categories
    ADD CONSTRAINT project_categories_pkey PRIMARY KEY (project_id, content_code);

--
-- Name: project_code_counters project_code_counters_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.project_code_counters
    ADD CONSTRAINT project_code_counters_pkey PRIMARY KEY (scope, year, province_code);

--
-- Name: project_cost_items project_cost_items_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.project_cost_items
    ADD CONSTRAINT project_cost_items_pkey PRIMARY KEY (project_id, seq);

--
-- Name: project_history project_history_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.project_history
    ADD CONSTRAINT project_history_pkey PRIMARY KEY (id);

--
-- Name: project_indicators project_indicators_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.project_indicators
    ADD CONSTRAINT project_indicators_pkey PRIMARY KEY (project_id, indicator);

--
-- Name: project_kind_bounds project_kind_bounds_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.project_kind_bounds
    ADD CONSTRAINT project_kind_bounds_pkey PRIMARY KEY (kind, valid_from);

--
-- Name: project_kinds project_kinds_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.project_kinds
    ADD CONSTRAINT project_kinds_pkey PRIMARY KEY (code);

--
-- Name: project_progress_reports project_progress_reports_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.project_progress_reports
    ADD CONSTRAINT project_progress_reports_pkey PRIMARY KEY (id);

--
-- Name: project_progress_reports project_progress_reports_project_id_period_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.project_progress_reports
    ADD CONSTRAINT project_progress_reports_project_id_period_key UNIQUE (project_id, period);

--
-- Name: project_refunds_due project_refunds_due_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.project_refunds_due
    ADD CONSTRAINT project_refunds_due_pkey PRIMARY KEY (project_id);

--
-- Name: project_registration_certificates project_registration_certificates_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.project_registration_certificates
    ADD CONSTRAINT project_registration_certificates_pkey PRIMARY KEY (project_id);

--
-- Name: project_search project_search_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.project_search
    ADD CONSTRAINT project_search_pkey PRIMARY KEY (project_id);

--
-- Name: project_stages project_stages_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.project_stages
    ADD CONSTRAINT project_stages_pkey PRIMARY KEY (status, stage);

--
-- Name: project_transitions project_transitions_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.project_transitions
    ADD CONSTRAINT project_transitions_pkey PRIMARY KEY (from_status, to_status, to_stage, role, scope);

--
-- Name: project_versions project_versions_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.project_versions
    ADD CONSTRAINT project_versions_pkey PRIMARY KEY (project_id, version);

--
-- Name: projects projects_code_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.projects
    ADD CONSTRAINT projects_code_key UNIQUE (code);

--
-- Name: projects projects_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.projects
    ADD CONSTRAINT projects_pkey PRIMARY KEY (id);

--
-- Name: province_reports province_reports_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.province_reports
    ADD CONSTRAINT province_reports_pkey PRIMARY KEY (id);

--
-- Name: report_dirty report_dirty_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.report_dirty
    ADD CONSTRAINT report_dirty_pkey PRIMARY KEY (txid, project_id);

--
-- Name: report_facts report_facts_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.report_facts
    ADD CONSTRAINT report_facts_pkey PRIMARY KEY (g, year, province_org, scope, visible, status, category, kind, priority, source, indicator);

--
-- Name: reset_requests reset_requests_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.reset_requests
    ADD CONSTRAINT reset_requests_pkey PRIMARY KEY (id);

--
-- Name: review_assignments review_assignments_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.review_assignments
    ADD CONSTRAINT review_assignments_pkey PRIMARY KEY (project_id);

--
-- Name: review_comments review_comments_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.review_comments
    ADD CONSTRAINT review_comments_pkey PRIMARY KEY (id);

--
-- Name: review_criteria review_criteria_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.review_criteria
    ADD CONSTRAINT review_criteria_pkey PRIMARY KEY (criterion);

--
-- Name: review_scores review_scores_project_id_reviewer_id_criterion_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.review_scores
    ADD CONSTRAINT review_scores_project_id_reviewer_id_criterion_key UNIQUE (project_id, reviewer_id, criterion);

--
-- Name: round_reports round_reports_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.round_reports
    ADD CONSTRAINT round_reports_pkey PRIMARY KEY (id);

--
-- Name: round_reports round_reports_round_id_org_id_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.round_reports
    ADD CONSTRAINT round_reports_round_id_org_id_key UNIQUE (round_id, org_id);

--
-- Name: rounds rounds_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.rounds
    ADD CONSTRAINT rounds_pkey PRIMARY KEY (id);

--
-- Name: schema_migrations schema_migrations_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.schema_migrations
    ADD CONSTRAINT schema_migrations_pkey PRIMARY KEY (version);

--
-- Name: sectors sectors_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.sectors
    ADD CONSTRAINT sectors_pkey PRIMARY KEY (code);

--
-- Name: sessions sessions_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.sessions
    ADD CONSTRAINT sessions_pkey PRIMARY KEY (id);

--
-- Name: sessions sessions_token_hash_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.sessions
    ADD CONSTRAINT sessions_token_hash_key UNIQUE (token_hash);

--
-- Name: settings settings_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.settings
    ADD CONSTRAINT settings_pkey PRIMARY KEY (key);

--
-- Name: settlement_amounts settlement_amounts_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.settlement_amounts
    ADD CONSTRAINT settlement_amounts_pkey PRIMARY KEY (project_id, source);

--
-- Name: settlement_dossiers settlement_dossiers_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.settlement_dossiers
    ADD CONSTRAINT settlement_dossiers_pkey PRIMARY KEY (project_id);

--
-- Name: settlements settlements_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.settlements
    ADD CONSTRAINT settlements_pkey PRIMARY KEY (project_id);

--
-- Name: support_caps support_caps_cap_code_valid_from_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.support_caps
    ADD CONSTRAINT support_caps_cap_code_valid_from_key UNIQUE (cap_code, valid_from);

--
-- Name: support_caps support_caps_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.support_caps
    ADD CONSTRAINT support_caps_pkey PRIMARY KEY (id);

--
-- Name: typical_products typical_products_level_year_certificate_no_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.typical_products
    ADD CONSTRAINT typical_products_level_year_certificate_no_key UNIQUE (level, year, certificate_no);

--
-- Name: typical_products typical_products_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.typical_products
    ADD CONSTRAINT typical_products_pkey PRIMARY KEY (id);

--
-- Name: typical_products typical_products_validity; Type: CHECK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE public.typical_products
    ADD CONSTRAINT typical_products_validity CHECK ((valid_until <= public.kc_certificate_last_day(year, issued_on))) NOT VALID;

--
-- Name: user_recovery_codes user_recovery_codes_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.user_recovery_codes
    ADD CONSTRAINT user_recovery_codes_pkey PRIMARY KEY (id);

--
-- Name: user_totp user_totp_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.user_totp
    ADD CONSTRAINT user_totp_pkey PRIMARY KEY (user_id);

--
-- Name: users users_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.users
    ADD CONSTRAINT users_pkey PRIMARY KEY (id);

--
-- Name: agency_management_spending_scope_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX agency_management_spending_scope_idx ON public.agency_management_spending USING btree (year, source, province_id);

--
-- Name: allocations_project_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX allocations_project_idx ON public.allocations USING btree (project_id);

--
-- Name: allocations_year_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX allocations_year_idx ON public.allocations USING btree (year, source);

--
-- Name: attachments_conn_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX attachments_conn_idx ON public.attachments USING btree (upload_conn) WHERE (status = 'uploading'::text);

--
-- Name: attachments_owner_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX attachments_owner_idx ON public.attachments USING btree (owner_type, owner_id, id) WHERE (status = 'complete'::text);

--
-- Name: attachments_uploading_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX attachments_uploading_idx ON public.attachments USING btree (touched_at) WHERE (status = 'uploading'::text);

--
-- Name: audit_log_at_brin; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX audit_log_at_brin ON public.audit_log USING brin (at);

--
-- Name: audit_log_record_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX audit_log_record_idx ON public.audit_log USING btree (record_type, record_id);

--
-- Name: audit_log_user_at_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX audit_log_user_at_idx ON public.audit_log USING btree (user_id, at);

--
-- Name: budget_releases_project_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX budget_releases_project_idx ON public.budget_releases USING btree (project_id);

--
-- Name: budget_releases_year_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX budget_releases_year_idx ON public.budget_releases USING btree (year, source);

--
-- Name: carry_overs_project_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX carry_overs_project_idx ON public.carry_overs USING btree (project_id);

--
-- Name: change_decisions_xact_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX change_decisions_xact_idx ON public.change_decisions USING btree (xact);

--
-- Name: correspondence_messages_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX correspondence_messages_idx ON public.correspondence_messages USING btree (correspondence_id, id);

--
-- Name: correspondence_open_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX correspondence_open_idx ON public.correspondence USING btree (opened_at) WHERE (status = 'open'::text);

--
-- Name: correspondence_org_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX correspondence_org_idx ON public.correspondence USING btree (org_id, id);

--
-- Name: disbursements_project_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX disbursements_project_idx ON public.disbursements USING btree (project_id, id);

--
-- Name: login_failures_at_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX login_failures_at_idx ON public.login_failures USING btree (at);

--
-- Name: login_failures_pair_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX login_failures_pair_idx ON public.login_failures USING btree (username, peer, at);

--
-- Name: login_failures_peer_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX login_failures_peer_idx ON public.login_failures USING btree (peer, at);

--
-- Name: login_failures_user_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX login_failures_user_idx ON public.login_failures USING btree (username, at);

--
-- Name: login_throttles_start_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX login_throttles_start_idx ON public.login_throttles USING btree (window_start);

--
-- Name: org_lineage_new_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX org_lineage_new_idx ON public.org_lineage USING btree (new_org_id);

--
-- Name: orgs_parent_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX orgs_parent_idx ON public.orgs USING btree (parent_id);

--
-- Name: plan_decision_items_project_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX plan_decision_items_project_idx ON public.plan_decision_items USING btree (project_id);

--
-- Name: plan_decisions_approval_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX plan_decisions_approval_idx ON public.plan_decisions USING btree (year) WHERE (kind = 'approval'::text);

--
-- Name: plan_history_at_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX plan_history_at_idx ON public.plan_history USING btree (at);

--
-- Name: plan_history_plan_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX plan_history_plan_idx ON public.plan_history USING btree (plan_id, id);

--
-- Name: plans_status_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX plans_status_idx ON public.plans USING btree (status, id);

--
-- Name: plans_year_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX plans_year_idx ON public.plans USING btree (year, scope, status);

--
-- Name: programme_comments_programme_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX programme_comments_programme_idx ON public.programme_comments USING btree (programme_id, org_id, id);

--
-- Name: programmes_local_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX programmes_local_idx ON public.programmes USING btree (period_code, org_id) WHERE (scope = 'local'::text);

--
-- Name: programmes_national_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX programmes_national_idx ON public.programmes USING btree (period_code) WHERE (scope = 'national'::text);

--
-- Name: project_adjustments_open_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX project_adjustments_open_idx ON public.project_adjustments USING btree (project_id) WHERE (status = 'requested'::text);

--
-- Name: project_adjustments_project_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX project_adjustments_project_idx ON public.project_adjustments USING btree (project_id, id);

--
-- Name: project_beneficiaries_project_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX project_beneficiaries_project_idx ON public.project_beneficiaries USING btree (project_id);

--
-- Name: project_categories_code_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX project_categories_code_idx ON public.project_categories USING btree (content_code, project_id);

--
-- Name: project_categories_primary_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX project_categories_primary_idx ON public.project_categories USING btree (project_id) WHERE is_primary;

--
-- Name: project_history_at_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX project_history_at_idx ON public.project_history USING btree (at);

--
-- Name: project_history_project_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX project_history_project_idx ON public.project_history USING btree (project_id, id);

--
-- Name: project_search_trgm_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX project_search_trgm_idx ON public.project_search USING gist (search_text public.gist_trgm_ops (siglen='64'));

--
-- Name: projects_kind_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX projects_kind_idx ON public.projects USING btree (kind, id);

--
-- Name: projects_plan_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX projects_plan_idx ON public.projects USING btree (plan_id, id);

--
-- Name: projects_status_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX projects_status_idx ON public.projects USING btree (status, stage, id);

--
-- Name: province_reports_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX province_reports_idx ON public.province_reports USING btree (province_id, year, period);

--
-- Name: report_project_facts_project_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX report_project_facts_project_idx ON public.report_project_facts USING btree (project_id);

--
-- Name: reset_requests_target_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX reset_requests_target_idx ON public.reset_requests USING btree (target_id, requested_at);

--
-- Name: review_comments_project_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX review_comments_project_idx ON public.review_comments USING btree (project_id, id);

--
-- Name: round_reports_org_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX round_reports_org_idx ON public.round_reports USING btree (org_id, round_id);

--
-- Name: sessions_user_live_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX sessions_user_live_idx ON public.sessions USING btree (user_id) WHERE (revoked_at IS NULL);

--
-- Name: support_caps_content_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX support_caps_content_idx ON public.support_caps USING btree (content_code, valid_from);

--
-- Name: typical_products_tax_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX typical_products_tax_idx ON public.typical_products USING btree (tax_code);

--
-- Name: user_recovery_codes_user_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX user_recovery_codes_user_idx ON public.user_recovery_codes USING btree (user_id) WHERE (used_at IS NULL);

--
-- Name: users_org_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX users_org_idx ON public.users USING btree (org_id);

--
-- Name: users_username_key; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX users_username_key ON public.users USING btree (username);

--
-- Name: agency_management_spending agency_management_spending_event; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER agency_management_spending_event AFTER INSERT ON public.agency_management_spending FOR EACH ROW EXECUTE FUNCTION public.agency_management_spending_event();

--
-- Name: agency_management_spending agency_management_spending_fixed; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER agency_management_spending_fixed BEFORE DELETE OR UPDATE ON public.agency_management_spending FOR EACH ROW EXECUTE FUNCTION public.allocations_fixed();

--
-- Name: agency_management_spending agency_management_spending_limit; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER agency_management_spending_limit BEFORE INSERT ON public.agency_management_spending FOR EACH ROW EXECUTE FUNCTION public.agency_management_spending_limit();

--
-- Name: agency_management_spending agency_management_spending_no_truncate; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER agency_management_spending_no_truncate BEFORE TRUNCATE ON public.agency_management_spending FOR EACH STATEMENT EXECUTE FUNCTION public.allocations_fixed();

--
-- Name: allocations allocations_account; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER allocations_account AFTER INSERT ON public.allocations FOR EACH ROW EXECUTE FUNCTION public.allocations_account();

--
-- Name: allocations allocations_event; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER allocations_event AFTER INSERT ON public.allocations FOR EACH ROW EXECUTE FUNCTION public.project_child_event('allocation');

--
-- Name: allocations allocations_fixed; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER allocations_fixed BEFORE DELETE OR UPDATE ON public.allocations FOR EACH ROW EXECUTE FUNCTION public.allocations_fixed();

--
-- Name: allocations allocations_need_decision; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER allocations_need_decision BEFORE INSERT ON public.allocations FOR EACH ROW EXECUTE FUNCTION public.money_needs_decision();

--
-- Name: allocations allocations_no_truncate; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER allocations_no_truncate BEFORE TRUNCATE ON public.allocations FOR EACH STATEMENT EXECUTE FUNCTION public.allocations_fixed();

--
-- Name: allocations allocations_owner; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER allocations_owner BEFORE INSERT ON public.allocations FOR EACH ROW EXECUTE FUNCTION public.allocations_owner();

--
-- Name: appropriations appropriations_event; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER appropriations_event AFTER UPDATE OF amount, version ON public.appropriations FOR EACH ROW EXECUTE FUNCTION public.appropriations_event();

--
-- Name: appropriations appropriations_management_floor; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER appropriations_management_floor BEFORE UPDATE OF amount ON public.appropriations FOR EACH ROW EXECUTE FUNCTION public.appropriations_management_floor();

--
-- Name: attachment_chunks attachment_chunks_guard; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER attachment_chunks_guard BEFORE INSERT OR UPDATE ON public.attachment_chunks FOR EACH ROW EXECUTE FUNCTION public.attachment_chunks_guard();

--
-- Name: attachments attachments_comment_author_guard; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER attachments_comment_author_guard BEFORE INSERT ON public.attachments FOR EACH ROW EXECUTE FUNCTION public.attachments_comment_author_guard();

--
-- Name: plans attachments_plan_gone; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER attachments_plan_gone AFTER DELETE ON public.plans FOR EACH ROW EXECUTE FUNCTION public.attachments_owner_gone('plan');

--
-- Name: projects attachments_project_gone; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER attachments_project_gone AFTER DELETE ON public.projects FOR EACH ROW EXECUTE FUNCTION public.attachments_owner_gone('project');

--
-- Name: audit_chain audit_chain_check; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER audit_chain_check AFTER INSERT ON public.audit_chain REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.audit_chain_check();

--
-- Name: audit_chain audit_chain_no_delete; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER audit_chain_no_delete BEFORE DELETE ON public.audit_chain FOR EACH STATEMENT EXECUTE FUNCTION public.audit_chain_refuse();

--
-- Name: audit_chain audit_chain_no_truncate; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER audit_chain_no_truncate BEFORE TRUNCATE ON public.audit_chain FOR EACH STATEMENT EXECUTE FUNCTION public.audit_chain_refuse();

--
-- Name: audit_chain audit_chain_no_update; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER audit_chain_no_update BEFORE UPDATE ON public.audit_chain FOR EACH STATEMENT EXECUTE FUNCTION public.audit_chain_refuse();

--
-- Name: audit_head audit_head_guard; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER audit_head_guard BEFORE UPDATE ON public.audit_head FOR EACH ROW EXECUTE FUNCTION public.audit_head_guard();

--
-- Name: audit_head audit_head_no_delete; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON public.audit_head FOR EACH STATEMENT EXECUTE FUNCTION public.audit_head_refuse();

--
-- Name: audit_head audit_head_no_insert; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER audit_head_no_insert BEFORE INSERT ON public.audit_head FOR EACH STATEMENT EXECUTE FUNCTION public.audit_head_refuse();

--
-- Name: audit_head audit_head_no_truncate; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER audit_head_no_truncate BEFORE TRUNCATE ON public.audit_head FOR EACH STATEMENT EXECUTE FUNCTION public.audit_head_refuse();

--
-- Name: audit_log audit_log_insert; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER audit_log_insert BEFORE INSERT ON public.audit_log FOR EACH ROW EXECUTE FUNCTION public.audit_log_insert();

--
-- Name: audit_log audit_log_no_delete; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON public.audit_log FOR EACH STATEMENT EXECUTE FUNCTION public.audit_log_refuse();

--
-- Name: audit_log audit_log_no_truncate; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON public.audit_log FOR EACH STATEMENT EXECUTE FUNCTION public.audit_log_refuse();

--
-- Name: audit_log audit_log_no_update; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON public.audit_log FOR EACH STATEMENT EXECUTE FUNCTION public.audit_log_refuse();

--
-- Name: budget_releases budget_releases_account; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER budget_releases_account AFTER INSERT ON public.budget_releases FOR EACH ROW EXECUTE FUNCTION public.budget_releases_account();

--
-- Name: budget_releases budget_releases_fixed; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER budget_releases_fixed BEFORE DELETE OR UPDATE ON public.budget_releases FOR EACH ROW EXECUTE FUNCTION public.allocations_fixed();

--
-- Name: budget_releases budget_releases_owner; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER budget_releases_owner BEFORE INSERT ON public.budget_releases FOR EACH ROW EXECUTE FUNCTION public.allocations_owner();

--
-- Name: carry_overs carry_overs_fixed; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER carry_overs_fixed BEFORE DELETE OR UPDATE ON public.carry_overs FOR EACH ROW EXECUTE FUNCTION public.allocations_fixed();

--
-- Name: contracts contracts_group_plan; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER contracts_group_plan BEFORE INSERT ON public.contracts FOR EACH ROW EXECUTE FUNCTION public.contracts_group_plan();

--
-- Name: contracts contracts_need_decision; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER contracts_need_decision BEFORE INSERT ON public.contracts FOR EACH ROW EXECUTE FUNCTION public.money_needs_decision();

--
-- Name: correspondence correspondence_event; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER correspondence_event AFTER INSERT OR UPDATE ON public.correspondence FOR EACH ROW EXECUTE FUNCTION public.correspondence_event();

--
-- Name: correspondence_messages correspondence_messages_event; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER correspondence_messages_event AFTER INSERT ON public.correspondence_messages FOR EACH ROW EXECUTE FUNCTION public.correspondence_message_event();

--
-- Name: disbursements disbursements_event; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER disbursements_event AFTER INSERT ON public.disbursements FOR EACH ROW EXECUTE FUNCTION public.project_child_event('payment');

--
-- Name: disbursements disbursements_first_advance_progress; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER disbursements_first_advance_progress BEFORE INSERT ON public.disbursements FOR EACH ROW WHEN ((new.kind = 'advance'::text)) EXECUTE FUNCTION public.disbursements_first_advance_progress();

--
-- Name: disbursements disbursements_fixed; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER disbursements_fixed BEFORE DELETE OR UPDATE ON public.disbursements FOR EACH ROW EXECUTE FUNCTION public.allocations_fixed();

--
-- Name: disbursements disbursements_need_decision; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER disbursements_need_decision BEFORE INSERT ON public.disbursements FOR EACH ROW WHEN ((new.kind <> 'refund'::text)) EXECUTE FUNCTION public.money_needs_decision();

--
-- Name: implementation_plans implementation_plans_fixed; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER implementation_plans_fixed BEFORE DELETE OR UPDATE ON public.implementation_plans FOR EACH ROW EXECUTE FUNCTION public.allocations_fixed();

--
-- Name: local_caps local_caps_decision; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER local_caps_decision BEFORE INSERT OR DELETE OR UPDATE ON public.local_caps FOR EACH ROW EXECUTE FUNCTION public.kc_change_decision_guard('a local support cap');

--
-- Name: org_names org_names_no_overlap; Type: TRIGGER; Schema: public; Owner: -
--

CREATE CONSTRAINT TRIGGER org_names_no_overlap AFTER INSERT OR UPDATE ON public.org_names NOT DEFERRABLE INITIALLY IMMEDIATE FOR EACH ROW EXECUTE FUNCTION public.org_names_no_overlap();

--
-- Name: orgs orgs_role_org_guard; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER orgs_role_org_guard AFTER UPDATE OF parent_id, kind ON public.orgs FOR EACH STATEMENT EXECUTE FUNCTION public.orgs_role_org_guard();

--
-- Name: orgs orgs_touch; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER orgs_touch BEFORE UPDATE ON public.orgs FOR EACH ROW EXECUTE FUNCTION public.orgs_touch();

--
-- Name: plan_decision_items plan_decision_items_fixed; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER plan_decision_items_fixed BEFORE DELETE OR UPDATE ON public.plan_decision_items FOR EACH ROW EXECUTE FUNCTION public.allocations_fixed();

--
-- Name: plan_decisions plan_decisions_fixed; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER plan_decisions_fixed BEFORE DELETE OR UPDATE ON public.plan_decisions FOR EACH ROW EXECUTE FUNCTION public.allocations_fixed();

--
-- Name: plans plans_event; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER plans_event AFTER INSERT OR UPDATE ON public.plans FOR EACH ROW EXECUTE FUNCTION public.plans_event();

--
-- Name: plans plans_guard; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER plans_guard BEFORE INSERT OR UPDATE ON public.plans FOR EACH ROW EXECUTE FUNCTION public.plans_guard();

--
-- Name: plans plans_history; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER plans_history AFTER INSERT OR UPDATE ON public.plans FOR EACH ROW EXECUTE FUNCTION public.plans_history();

--
-- Name: programme_budgets programme_budgets_decision; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER programme_budgets_decision BEFORE INSERT OR DELETE OR UPDATE ON public.programme_budgets FOR EACH ROW EXECUTE FUNCTION public.kc_change_decision_guard('an approved programme''s budget');

--
-- Name: programme_budgets programme_budgets_guard; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER programme_budgets_guard BEFORE INSERT OR DELETE OR UPDATE ON public.programme_budgets FOR EACH ROW EXECUTE FUNCTION public.programme_targets_guard();

--
-- Name: programme_budgets programme_budgets_shares; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER programme_budgets_shares BEFORE INSERT OR UPDATE ON public.programme_budgets FOR EACH ROW EXECUTE FUNCTION public.programme_shares_guard();

--
-- Name: programme_comments programme_comments_event; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER programme_comments_event AFTER INSERT ON public.programme_comments FOR EACH ROW EXECUTE FUNCTION public.programme_comments_event();

--
-- Name: programme_comments programme_comments_guard; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER programme_comments_guard BEFORE INSERT OR DELETE OR UPDATE ON public.programme_comments FOR EACH ROW EXECUTE FUNCTION public.programme_comments_guard();

--
-- Name: programme_targets programme_targets_decision; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER programme_targets_decision BEFORE INSERT OR DELETE OR UPDATE ON public.programme_targets FOR EACH ROW EXECUTE FUNCTION public.kc_change_decision_guard('an approved programme''s targets');

--
-- Name: programme_targets programme_targets_guard; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER programme_targets_guard BEFORE INSERT OR DELETE OR UPDATE ON public.programme_targets FOR EACH ROW EXECUTE FUNCTION public.programme_targets_guard();

--
-- Name: programme_targets programme_targets_shares; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER programme_targets_shares BEFORE INSERT OR UPDATE ON public.programme_targets FOR EACH ROW EXECUTE FUNCTION public.programme_shares_guard();

--
-- Name: programmes programmes_code; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER programmes_code BEFORE INSERT OR UPDATE OF period_code, scope, org_id, code ON public.programmes FOR EACH ROW EXECUTE FUNCTION public.programmes_code();

--
-- Name: programmes programmes_decision; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER programmes_decision BEFORE UPDATE ON public.programmes FOR EACH ROW EXECUTE FUNCTION public.kc_change_decision_guard('an approved programme');

--
-- Name: programmes programmes_touch; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER programmes_touch BEFORE UPDATE ON public.programmes FOR EACH ROW EXECUTE FUNCTION public.programmes_touch();

--
-- Name: project_acceptance_dossiers project_acceptance_dossiers_guard; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER project_acceptance_dossiers_guard BEFORE INSERT OR UPDATE ON public.project_acceptance_dossiers FOR EACH ROW EXECUTE FUNCTION public.project_acceptance_dossiers_guard();

--
-- Name: project_adjustments project_adjustments_inbox_event; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER project_adjustments_inbox_event AFTER INSERT OR UPDATE ON public.project_adjustments FOR EACH ROW EXECUTE FUNCTION public.adjustments_inbox_event();

--
-- Name: project_adjustments project_adjustments_stage; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER project_adjustments_stage AFTER INSERT OR UPDATE ON public.project_adjustments FOR EACH ROW EXECUTE FUNCTION public.project_adjustments_stage();

--
-- Name: project_beneficiaries project_beneficiaries_search; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER project_beneficiaries_search AFTER INSERT OR DELETE OR UPDATE ON public.project_beneficiaries FOR EACH ROW EXECUTE FUNCTION public.project_beneficiaries_search();

--
-- Name: project_cancellations project_cancellations_money; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER project_cancellations_money AFTER INSERT ON public.project_cancellations FOR EACH ROW EXECUTE FUNCTION public.project_cancellations_money();

--
-- Name: project_progress_reports project_progress_late; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER project_progress_late BEFORE INSERT ON public.project_progress_reports FOR EACH ROW EXECUTE FUNCTION public.project_progress_late();

--
-- Name: project_progress_reports project_progress_reports_inbox_event; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER project_progress_reports_inbox_event AFTER INSERT OR UPDATE ON public.project_progress_reports FOR EACH ROW EXECUTE FUNCTION public.progress_reports_inbox_event();

--
-- Name: project_progress_reports project_progress_reports_spent; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER project_progress_reports_spent BEFORE INSERT OR UPDATE ON public.project_progress_reports FOR EACH ROW EXECUTE FUNCTION public.progress_spent_from_call();

--
-- Name: project_refunds_due project_refunds_due_fixed; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER project_refunds_due_fixed BEFORE DELETE OR UPDATE ON public.project_refunds_due FOR EACH ROW EXECUTE FUNCTION public.allocations_fixed();

--
-- Name: projects projects_event; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER projects_event AFTER INSERT OR UPDATE ON public.projects FOR EACH ROW EXECUTE FUNCTION public.projects_event();

--
-- Name: projects projects_guard; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER projects_guard BEFORE INSERT OR UPDATE ON public.projects FOR EACH ROW EXECUTE FUNCTION public.projects_guard();

--
-- Name: projects projects_history; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER projects_history AFTER INSERT ON public.projects FOR EACH ROW EXECUTE FUNCTION public.projects_history();

--
-- Name: projects projects_history_update; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER projects_history_update AFTER UPDATE ON public.projects FOR EACH ROW WHEN (((new.status IS DISTINCT FROM old.status) OR (new.stage IS DISTINCT FROM old.stage))) EXECUTE FUNCTION public.projects_history();

--
-- Name: projects projects_no_delete; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER projects_no_delete BEFORE DELETE ON public.projects FOR EACH ROW EXECUTE FUNCTION public.projects_no_delete();

--
-- Name: projects projects_priorities; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER projects_priorities BEFORE INSERT OR UPDATE ON public.projects FOR EACH ROW EXECUTE FUNCTION public.projects_priorities();

--
-- Name: projects projects_search_insert; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER projects_search_insert AFTER INSERT ON public.projects FOR EACH ROW EXECUTE FUNCTION public.projects_search();

--
-- Name: projects projects_search_update; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER projects_search_update AFTER UPDATE ON public.projects FOR EACH ROW WHEN (((new.title IS DISTINCT FROM old.title) OR (new.code IS DISTINCT FROM old.code))) EXECUTE FUNCTION public.projects_search();

--
-- Name: projects projects_snapshot; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER projects_snapshot AFTER UPDATE ON public.projects FOR EACH ROW WHEN (((new.stage IS DISTINCT FROM old.stage) AND (new.stage = ANY (ARRAY['base_appraised'::text, 'resubmitted'::text, 'submitted_direct'::text])))) EXECUTE FUNCTION public.projects_snapshot();

--
-- Name: province_reports province_reports_fixed; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER province_reports_fixed BEFORE DELETE OR UPDATE ON public.province_reports FOR EACH ROW EXECUTE FUNCTION public.province_reports_fixed();

--
-- Name: province_reports province_reports_inbox_event; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER province_reports_inbox_event AFTER INSERT ON public.province_reports FOR EACH ROW EXECUTE FUNCTION public.province_reports_inbox_event();

--
-- Name: report_dirty report_dirty_flush; Type: TRIGGER; Schema: public; Owner: -
--

CREATE CONSTRAINT TRIGGER report_dirty_flush AFTER INSERT ON public.report_dirty DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION public.report_dirty_flush();

--
-- Name: allocations report_facts_allocations; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER report_facts_allocations AFTER INSERT ON public.allocations FOR EACH ROW EXECUTE FUNCTION public.report_facts_project_changed();

--
-- Name: project_budget_lines report_facts_budget_lines; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER report_facts_budget_lines AFTER INSERT OR DELETE OR UPDATE ON public.project_budget_lines FOR EACH ROW EXECUTE FUNCTION public.report_facts_project_changed();

--
-- Name: project_categories report_facts_categories; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER report_facts_categories AFTER INSERT OR DELETE OR UPDATE ON public.project_categories FOR EACH ROW EXECUTE FUNCTION public.report_facts_project_changed();

--
-- Name: disbursements report_facts_disbursements; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER report_facts_disbursements AFTER INSERT ON public.disbursements FOR EACH ROW EXECUTE FUNCTION public.report_facts_project_changed();

--
-- Name: project_indicators report_facts_indicators; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER report_facts_indicators AFTER INSERT OR DELETE OR UPDATE ON public.project_indicators FOR EACH ROW EXECUTE FUNCTION public.report_facts_project_changed();

--
-- Name: plans report_facts_plans; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER report_facts_plans AFTER UPDATE ON public.plans FOR EACH ROW WHEN (((((old.status IS DISTINCT FROM new.status) OR (old.org_id IS DISTINCT FROM new.org_id)) OR (old.year IS DISTINCT FROM new.year)) OR (old.scope IS DISTINCT FROM new.scope))) EXECUTE FUNCTION public.report_facts_plans_changed();

--
-- Name: project_progress_reports report_facts_progress; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER report_facts_progress AFTER INSERT OR DELETE OR UPDATE ON public.project_progress_reports FOR EACH ROW EXECUTE FUNCTION public.report_facts_project_changed();

--
-- Name: projects report_facts_projects; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER report_facts_projects AFTER INSERT OR DELETE ON public.projects FOR EACH ROW EXECUTE FUNCTION public.report_facts_projects_changed();

--
-- Name: projects report_facts_projects_update; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER report_facts_projects_update AFTER UPDATE ON public.projects FOR EACH ROW WHEN (((((old.status IS DISTINCT FROM new.status) OR (old.kind IS DISTINCT FROM new.kind)) OR (old.priority_area IS DISTINCT FROM new.priority_area)) OR (old.plan_id IS DISTINCT FROM new.plan_id))) EXECUTE FUNCTION public.report_facts_projects_changed();

--
-- Name: settlement_amounts report_facts_settlements; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER report_facts_settlements AFTER INSERT ON public.settlement_amounts FOR EACH ROW EXECUTE FUNCTION public.report_facts_project_changed();

--
-- Name: review_assignments review_assignments_inbox_event; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER review_assignments_inbox_event AFTER INSERT OR UPDATE ON public.review_assignments FOR EACH ROW EXECUTE FUNCTION public.review_assignments_inbox_event();

--
-- Name: review_comments review_comments_event; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER review_comments_event AFTER INSERT ON public.review_comments FOR EACH ROW EXECUTE FUNCTION public.project_child_event('comment');

--
-- Name: review_scores review_scores_inbox_event_ins; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER review_scores_inbox_event_ins AFTER INSERT ON public.review_scores REFERENCING NEW TABLE AS new_scores FOR EACH STATEMENT EXECUTE FUNCTION public.review_scores_inbox_event();

--
-- Name: review_scores review_scores_inbox_event_upd; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER review_scores_inbox_event_upd AFTER UPDATE ON public.review_scores REFERENCING NEW TABLE AS new_scores FOR EACH STATEMENT EXECUTE FUNCTION public.review_scores_inbox_event();

--
-- Name: round_reports round_reports_event; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER round_reports_event AFTER UPDATE ON public.round_reports FOR EACH ROW EXECUTE FUNCTION public.round_reports_event();

--
-- Name: round_reports round_reports_guard; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER round_reports_guard BEFORE UPDATE ON public.round_reports FOR EACH ROW EXECUTE FUNCTION public.round_reports_guard();

--
-- Name: round_reports round_reports_no_delete; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER round_reports_no_delete BEFORE DELETE ON public.round_reports FOR EACH ROW EXECUTE FUNCTION public.round_reports_no_delete();

--
-- Name: round_reports round_reports_opened_event; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER round_reports_opened_event AFTER INSERT ON public.round_reports FOR EACH ROW EXECUTE FUNCTION public.round_reports_opened_event();

--
-- Name: rounds rounds_event; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER rounds_event AFTER INSERT ON public.rounds FOR EACH ROW EXECUTE FUNCTION public.rounds_event();

--
-- Name: sessions sessions_revoked_notify; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER sessions_revoked_notify AFTER UPDATE OF revoked_at ON public.sessions FOR EACH ROW EXECUTE FUNCTION public.sessions_notify_revoked();

--
-- Name: settlement_amounts settlement_amounts_fixed; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER settlement_amounts_fixed BEFORE DELETE OR UPDATE ON public.settlement_amounts FOR EACH ROW EXECUTE FUNCTION public.allocations_fixed();

--
-- Name: settlement_dossiers settlement_dossiers_fixed; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER settlement_dossiers_fixed BEFORE DELETE OR UPDATE ON public.settlement_dossiers FOR EACH ROW EXECUTE FUNCTION public.allocations_fixed();

--
-- Name: settlements settlements_fixed; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER settlements_fixed BEFORE DELETE OR UPDATE ON public.settlements FOR EACH ROW EXECUTE FUNCTION public.allocations_fixed();

--
-- Name: support_caps support_caps_decision; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER support_caps_decision BEFORE INSERT OR DELETE OR UPDATE ON public.support_caps FOR EACH ROW EXECUTE FUNCTION public.kc_change_decision_guard('a support cap');

--
-- Name: support_caps support_caps_no_overlap; Type: TRIGGER; Schema: public; Owner: -
--

CREATE CONSTRAINT TRIGGER support_caps_no_overlap AFTER INSERT OR UPDATE OF cap_code, valid_from, valid_to ON public.support_caps DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION public.support_caps_no_overlap();

--
-- Name: user_totp user_totp_four_eyes_guard; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER user_totp_four_eyes_guard BEFORE DELETE ON public.user_totp FOR EACH ROW EXECUTE FUNCTION public.user_totp_four_eyes_guard();

--
-- Name: users users_four_eyes_guard; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER users_four_eyes_guard BEFORE UPDATE OF password_hash ON public.users FOR EACH ROW EXECUTE FUNCTION public.users_four_eyes_guard();

--
-- Name: users users_revoke_sessions; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER users_revoke_sessions AFTER UPDATE ON public.users FOR EACH ROW EXECUTE FUNCTION public.users_revoke_sessions();

--
-- Name: users users_role_org_guard; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER users_role_org_guard BEFORE INSERT OR UPDATE OF role, org_id ON public.users FOR EACH ROW EXECUTE FUNCTION public.users_role_org_guard();

--
-- Name: users users_touch; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER users_touch BEFORE UPDATE ON public.users FOR EACH ROW EXECUTE FUNCTION public.users_touch();

--
-- Name: agency_management_spending agency_management_spending_org_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.agency_management_spending
    ADD CONSTRAINT agency_management_spending_org_id_fkey FOREIGN KEY (org_id) REFERENCES public.orgs(id);

--
-- Name: agency_management_spending agency_management_spending_recorded_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.agency_management_spending
    ADD CONSTRAINT agency_management_spending_recorded_by_fkey FOREIGN KEY (recorded_by) REFERENCES public.users(id);

--
-- Name: agency_management_spending agency_management_spending_source_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.agency_management_spending
    ADD CONSTRAINT agency_management_spending_source_fkey FOREIGN KEY (source) REFERENCES public.funding_sources(code);

--
-- Name: agency_management_spending agency_management_spending_year_source_province_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.agency_management_spending
    ADD CONSTRAINT agency_management_spending_year_source_province_id_fkey FOREIGN KEY (year, source, province_id) REFERENCES public.appropriations(year, source, province_id);

--
-- Name: allocations allocations_allocated_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.allocations
    ADD CONSTRAINT allocations_allocated_by_fkey FOREIGN KEY (allocated_by) REFERENCES public.users(id);

--
-- Name: allocations allocations_project_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.allocations
    ADD CONSTRAINT allocations_project_id_fkey FOREIGN KEY (project_id) REFERENCES public.projects(id);

--
-- Name: allocations allocations_year_source_province_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.allocations
    ADD CONSTRAINT allocations_year_source_province_id_fkey FOREIGN KEY (year, source, province_id) REFERENCES public.appropriations(year, source, province_id);

--
-- Name: appropriations appropriations_source_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.appropriations
    ADD CONSTRAINT appropriations_source_fkey FOREIGN KEY (source) REFERENCES public.funding_sources(code);

--
-- Name: appropriations appropriations_updated_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.appropriations
    ADD CONSTRAINT appropriations_updated_by_fkey FOREIGN KEY (updated_by) REFERENCES public.users(id);

--
-- Name: attachment_chunks attachment_chunks_attachment_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.attachment_chunks
    ADD CONSTRAINT attachment_chunks_attachment_id_fkey FOREIGN KEY (attachment_id) REFERENCES public.attachments(id) ON DELETE CASCADE;

--
-- Name: attachments attachments_created_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.attachments
    ADD CONSTRAINT attachments_created_by_fkey FOREIGN KEY (created_by) REFERENCES public.users(id);

--
-- Name: budget_releases budget_releases_project_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.budget_releases
    ADD CONSTRAINT budget_releases_project_id_fkey FOREIGN KEY (project_id) REFERENCES public.projects(id);

--
-- Name: budget_releases budget_releases_released_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.budget_releases
    ADD CONSTRAINT budget_releases_released_by_fkey FOREIGN KEY (released_by) REFERENCES public.users(id);

--
-- Name: budget_releases budget_releases_year_source_province_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.budget_releases
    ADD CONSTRAINT budget_releases_year_source_province_id_fkey FOREIGN KEY (year, source, province_id) REFERENCES public.appropriations(year, source, province_id);

--
-- Name: carry_overs carry_overs_carried_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.carry_overs
    ADD CONSTRAINT carry_overs_carried_by_fkey FOREIGN KEY (carried_by) REFERENCES public.users(id);

--
-- Name: carry_overs carry_overs_project_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.carry_overs
    ADD CONSTRAINT carry_overs_project_id_fkey FOREIGN KEY (project_id) REFERENCES public.projects(id);

--
-- Name: change_decisions change_decisions_attachment_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.change_decisions
    ADD CONSTRAINT change_decisions_attachment_id_fkey FOREIGN KEY (attachment_id) REFERENCES public.attachments(id);

--
-- Name: change_decisions change_decisions_recorded_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.change_decisions
    ADD CONSTRAINT change_decisions_recorded_by_fkey FOREIGN KEY (recorded_by) REFERENCES public.users(id);

--
-- Name: content_categories content_categories_parent_code_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.content_categories
    ADD CONSTRAINT content_categories_parent_code_fkey FOREIGN KEY (parent_code) REFERENCES public.content_categories(code);

--
-- Name: contracts contracts_created_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.contracts
    ADD CONSTRAINT contracts_created_by_fkey FOREIGN KEY (created_by) REFERENCES public.users(id);

--
-- Name: contracts contracts_project_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.contracts
    ADD CONSTRAINT contracts_project_id_fkey FOREIGN KEY (project_id) REFERENCES public.projects(id);

--
-- Name: correspondence correspondence_answered_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.correspondence
    ADD CONSTRAINT correspondence_answered_by_fkey FOREIGN KEY (answered_by) REFERENCES public.users(id);

--
-- Name: correspondence correspondence_closed_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.correspondence
    ADD CONSTRAINT correspondence_closed_by_fkey FOREIGN KEY (closed_by) REFERENCES public.users(id);

--
-- Name: correspondence_messages correspondence_messages_author_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.correspondence_messages
    ADD CONSTRAINT correspondence_messages_author_id_fkey FOREIGN KEY (author_id) REFERENCES public.users(id);

--
-- Name: correspondence_messages correspondence_messages_correspondence_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.correspondence_messages
    ADD CONSTRAINT correspondence_messages_correspondence_id_fkey FOREIGN KEY (correspondence_id) REFERENCES public.correspondence(id);

--
-- Name: correspondence correspondence_opened_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.correspondence
    ADD CONSTRAINT correspondence_opened_by_fkey FOREIGN KEY (opened_by) REFERENCES public.users(id);

--
-- Name: correspondence correspondence_org_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.correspondence
    ADD CONSTRAINT correspondence_org_id_fkey FOREIGN KEY (org_id) REFERENCES public.orgs(id);

--
-- Name: correspondence correspondence_plan_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.correspondence
    ADD CONSTRAINT correspondence_plan_id_fkey FOREIGN KEY (plan_id) REFERENCES public.plans(id);

--
-- Name: correspondence correspondence_project_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.correspondence
    ADD CONSTRAINT correspondence_project_id_fkey FOREIGN KEY (project_id) REFERENCES public.projects(id);

--
-- Name: disbursements disbursements_paid_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.disbursements
    ADD CONSTRAINT disbursements_paid_by_fkey FOREIGN KEY (paid_by) REFERENCES public.users(id);

--
-- Name: disbursements disbursements_project_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.disbursements
    ADD CONSTRAINT disbursements_project_id_fkey FOREIGN KEY (project_id) REFERENCES public.projects(id);

--
-- Name: implementation_plans implementation_plans_approved_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.implementation_plans
    ADD CONSTRAINT implementation_plans_approved_by_fkey FOREIGN KEY (approved_by) REFERENCES public.users(id);

--
-- Name: implementation_plans implementation_plans_project_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.implementation_plans
    ADD CONSTRAINT implementation_plans_project_id_fkey FOREIGN KEY (project_id) REFERENCES public.projects(id);

--
-- Name: inbox_seen inbox_seen_user_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.inbox_seen
    ADD CONSTRAINT inbox_seen_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id);

--
-- Name: local_caps local_caps_change_decision_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.local_caps
    ADD CONSTRAINT local_caps_change_decision_id_fkey FOREIGN KEY (change_decision_id) REFERENCES public.change_decisions(id);

--
-- Name: local_caps local_caps_content_code_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.local_caps
    ADD CONSTRAINT local_caps_content_code_fkey FOREIGN KEY (content_code) REFERENCES public.content_categories(code);

--
-- Name: local_caps local_caps_created_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.local_caps
    ADD CONSTRAINT local_caps_created_by_fkey FOREIGN KEY (created_by) REFERENCES public.users(id);

--
-- Name: local_caps local_caps_province_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.local_caps
    ADD CONSTRAINT local_caps_province_id_fkey FOREIGN KEY (province_id) REFERENCES public.orgs(id);

--
-- Name: org_lineage org_lineage_new_org_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.org_lineage
    ADD CONSTRAINT org_lineage_new_org_id_fkey FOREIGN KEY (new_org_id) REFERENCES public.orgs(id);

--
-- Name: org_lineage org_lineage_old_org_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.org_lineage
    ADD CONSTRAINT org_lineage_old_org_id_fkey FOREIGN KEY (old_org_id) REFERENCES public.orgs(id);

--
-- Name: org_names org_names_org_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.org_names
    ADD CONSTRAINT org_names_org_id_fkey FOREIGN KEY (org_id) REFERENCES public.orgs(id);

--
-- Name: orgs orgs_parent_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.orgs
    ADD CONSTRAINT orgs_parent_id_fkey FOREIGN KEY (parent_id) REFERENCES public.orgs(id);

--
-- Name: plan_decision_items plan_decision_items_decision_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.plan_decision_items
    ADD CONSTRAINT plan_decision_items_decision_id_fkey FOREIGN KEY (decision_id) REFERENCES public.plan_decisions(id);

--
-- Name: plan_decision_items plan_decision_items_project_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.plan_decision_items
    ADD CONSTRAINT plan_decision_items_project_id_fkey FOREIGN KEY (project_id) REFERENCES public.projects(id);

--
-- Name: plan_decisions plan_decisions_amends_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.plan_decisions
    ADD CONSTRAINT plan_decisions_amends_id_fkey FOREIGN KEY (amends_id) REFERENCES public.plan_decisions(id);

--
-- Name: plan_decisions plan_decisions_decided_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.plan_decisions
    ADD CONSTRAINT plan_decisions_decided_by_fkey FOREIGN KEY (decided_by) REFERENCES public.users(id);

--
-- Name: plan_history plan_history_plan_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.plan_history
    ADD CONSTRAINT plan_history_plan_id_fkey FOREIGN KEY (plan_id) REFERENCES public.plans(id) ON DELETE CASCADE;

--
-- Name: plans plans_appraised_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.plans
    ADD CONSTRAINT plans_appraised_by_fkey FOREIGN KEY (appraised_by) REFERENCES public.users(id);

--
-- Name: plans plans_approved_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.plans
    ADD CONSTRAINT plans_approved_by_fkey FOREIGN KEY (approved_by) REFERENCES public.users(id);

--
-- Name: plans plans_created_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.plans
    ADD CONSTRAINT plans_created_by_fkey FOREIGN KEY (created_by) REFERENCES public.users(id);

--
-- Name: plans plans_org_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.plans
    ADD CONSTRAINT plans_org_id_fkey FOREIGN KEY (org_id) REFERENCES public.orgs(id);

--
-- Name: plans plans_submitted_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.plans
    ADD CONSTRAINT plans_submitted_by_fkey FOREIGN KEY (submitted_by) REFERENCES public.users(id);

--
-- Name: programme_budgets programme_budgets_change_decision_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.programme_budgets
    ADD CONSTRAINT programme_budgets_change_decision_id_fkey FOREIGN KEY (change_decision_id) REFERENCES public.change_decisions(id);

--
-- Name: programme_budgets programme_budgets_programme_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.programme_budgets
    ADD CONSTRAINT programme_budgets_programme_id_fkey FOREIGN KEY (programme_id) REFERENCES public.programmes(id) ON DELETE CASCADE;

--
-- Name: programme_budgets programme_budgets_province_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.programme_budgets
    ADD CONSTRAINT programme_budgets_province_id_fkey FOREIGN KEY (province_id) REFERENCES public.orgs(id);

--
-- Name: programme_budgets programme_budgets_source_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.programme_budgets
    ADD CONSTRAINT programme_budgets_source_fkey FOREIGN KEY (source) REFERENCES public.funding_sources(code);

--
-- Name: programme_comments programme_comments_created_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.programme_comments
    ADD CONSTRAINT programme_comments_created_by_fkey FOREIGN KEY (created_by) REFERENCES public.users(id);

--
-- Name: programme_comments programme_comments_org_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.programme_comments
    ADD CONSTRAINT programme_comments_org_id_fkey FOREIGN KEY (org_id) REFERENCES public.orgs(id);

--
-- Name: programme_comments programme_comments_programme_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.programme_comments
    ADD CONSTRAINT programme_comments_programme_id_fkey FOREIGN KEY (programme_id) REFERENCES public.programmes(id);

--
-- Name: programme_targets programme_targets_change_decision_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.programme_targets
    ADD CONSTRAINT programme_targets_change_decision_id_fkey FOREIGN KEY (change_decision_id) REFERENCES public.change_decisions(id);

--
-- Name: programme_targets programme_targets_indicator_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.programme_targets
    ADD CONSTRAINT programme_targets_indicator_fkey FOREIGN KEY (indicator) REFERENCES public.indicators(code);

--
-- Name: programme_targets programme_targets_programme_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.programme_targets
    ADD CONSTRAINT programme_targets_programme_id_fkey FOREIGN KEY (programme_id) REFERENCES public.programmes(id) ON DELETE CASCADE;

--
-- Name: programme_targets programme_targets_province_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.programme_targets
    ADD CONSTRAINT programme_targets_province_id_fkey FOREIGN KEY (province_id) REFERENCES public.orgs(id);

--
-- Name: programmes programmes_approved_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.programmes
    ADD CONSTRAINT programmes_approved_by_fkey FOREIGN KEY (approved_by) REFERENCES public.users(id);

--
-- Name: programmes programmes_change_decision_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.programmes
    ADD CONSTRAINT programmes_change_decision_id_fkey FOREIGN KEY (change_decision_id) REFERENCES public.change_decisions(id);

--
-- Name: programmes programmes_created_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.programmes
    ADD CONSTRAINT programmes_created_by_fkey FOREIGN KEY (created_by) REFERENCES public.users(id);

--
-- Name: programmes programmes_org_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.programmes
    ADD CONSTRAINT programmes_org_id_fkey FOREIGN KEY (org_id) REFERENCES public.orgs(id);

--
-- Name: programmes programmes_period_code_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.programmes
    ADD CONSTRAINT programmes_period_code_fkey FOREIGN KEY (period_code) REFERENCES public.programme_periods(code);

--
-- Name: project_acceptance_dossiers project_acceptance_dossiers_project_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.project_acceptance_dossiers
    ADD CONSTRAINT project_acceptance_dossiers_project_id_fkey FOREIGN KEY (project_id) REFERENCES public.projects(id);

--
-- Name: project_acceptance_dossiers project_acceptance_dossiers_submitted_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.project_acceptance_dossiers
    ADD CONSTRAINT project_acceptance_dossiers_submitted_by_fkey FOREIGN KEY (submitted_by) REFERENCES public.users(id);

--
-- Name: project_acceptances project_acceptances_accepted_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.project_acceptances
    ADD CONSTRAINT project_acceptances_accepted_by_fkey FOREIGN KEY (accepted_by) REFERENCES public.users(id);

--
-- Name: project_acceptances project_acceptances_project_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.project_acceptances
    ADD CONSTRAINT project_acceptances_project_id_fkey FOREIGN KEY (project_id) REFERENCES public.projects(id);

--
-- Name: project_adjustments project_adjustments_decided_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.project_adjustments
    ADD CONSTRAINT project_adjustments_decided_by_fkey FOREIGN KEY (decided_by) REFERENCES public.users(id);

--
-- Name: project_adjustments project_adjustments_project_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.project_adjustments
    ADD CONSTRAINT project_adjustments_project_id_fkey FOREIGN KEY (project_id) REFERENCES public.projects(id);

--
-- Name: project_adjustments project_adjustments_requested_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.project_adjustments
    ADD CONSTRAINT project_adjustments_requested_by_fkey FOREIGN KEY (requested_by) REFERENCES public.users(id);

--
-- Name: project_beneficiaries project_beneficiaries_project_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.project_beneficiaries
    ADD CONSTRAINT project_beneficiaries_project_id_fkey FOREIGN KEY (project_id) REFERENCES public.projects(id) ON DELETE CASCADE;

--
-- Name: project_beneficiaries project_beneficiaries_province_org_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.project_beneficiaries
    ADD CONSTRAINT project_beneficiaries_province_org_id_fkey FOREIGN KEY (province_org_id) REFERENCES public.orgs(id);

--
-- Name: project_budget_lines project_budget_lines_project_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.project_budget_lines
    ADD CONSTRAINT project_budget_lines_project_id_fkey FOREIGN KEY (project_id) REFERENCES public.projects(id) ON DELETE CASCADE;

--
-- Name: project_budget_lines project_budget_lines_source_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.project_budget_lines
    ADD CONSTRAINT project_budget_lines_source_fkey FOREIGN KEY (source) REFERENCES public.funding_sources(code);

--
-- Name: project_cancellations project_cancellations_cancelled_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.project_cancellations
    ADD CONSTRAINT project_cancellations_cancelled_by_fkey FOREIGN KEY (cancelled_by) REFERENCES public.users(id);

--
-- Name: project_cancellations project_cancellations_project_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.project_cancellations
    ADD CONSTRAINT project_cancellations_project_id_fkey FOREIGN KEY (project_id) REFERENCES public.projects(id);

--
-- Name: project_categories project_categories_content_code_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.project_categories
    ADD CONSTRAINT project_categories_content_code_fkey FOREIGN KEY (content_code) REFERENCES public.content_categories(code);

--
-- Name: project_categories project_categories_project_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.project_categories
    ADD CONSTRAINT project_categories_project_id_fkey FOREIGN KEY (project_id) REFERENCES public.projects(id) ON DELETE CASCADE;

--
-- Name: project_cost_items project_cost_items_project_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.project_cost_items
    ADD CONSTRAINT project_cost_items_project_id_fkey FOREIGN KEY (project_id) REFERENCES public.projects(id) ON DELETE CASCADE;

--
-- Name: project_history project_history_project_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.project_history
    ADD CONSTRAINT project_history_project_id_fkey FOREIGN KEY (project_id) REFERENCES public.projects(id) ON DELETE CASCADE;

--
-- Name: project_indicators project_indicators_indicator_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.project_indicators
    ADD CONSTRAINT project_indicators_indicator_fkey FOREIGN KEY (indicator) REFERENCES public.indicators(code);

--
-- Name: project_indicators project_indicators_project_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.project_indicators
    ADD CONSTRAINT project_indicators_project_id_fkey FOREIGN KEY (project_id) REFERENCES public.projects(id) ON DELETE CASCADE;

--
-- Name: project_kind_bounds project_kind_bounds_kind_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.project_kind_bounds
    ADD CONSTRAINT project_kind_bounds_kind_fkey FOREIGN KEY (kind) REFERENCES public.project_kinds(code);

--
-- Name: project_progress_reports project_progress_reports_confirmed_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.project_progress_reports
    ADD CONSTRAINT project_progress_reports_confirmed_by_fkey FOREIGN KEY (confirmed_by) REFERENCES public.users(id);

--
-- Name: project_progress_reports project_progress_reports_project_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.project_progress_reports
    ADD CONSTRAINT project_progress_reports_project_id_fkey FOREIGN KEY (project_id) REFERENCES public.projects(id);

--
-- Name: project_progress_reports project_progress_reports_returned_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.project_progress_reports
    ADD CONSTRAINT project_progress_reports_returned_by_fkey FOREIGN KEY (returned_by) REFERENCES public.users(id);

--
-- Name: project_progress_reports project_progress_reports_submitted_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.project_progress_reports
    ADD CONSTRAINT project_progress_reports_submitted_by_fkey FOREIGN KEY (submitted_by) REFERENCES public.users(id);

--
-- Name: project_refunds_due project_refunds_due_project_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.project_refunds_due
    ADD CONSTRAINT project_refunds_due_project_id_fkey FOREIGN KEY (project_id) REFERENCES public.projects(id);

--
-- Name: project_registration_certificates project_registration_certificates_disbursement_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.project_registration_certificates
    ADD CONSTRAINT project_registration_certificates_disbursement_id_fkey FOREIGN KEY (disbursement_id) REFERENCES public.disbursements(id);

--
-- Name: project_registration_certificates project_registration_certificates_project_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.project_registration_certificates
    ADD CONSTRAINT project_registration_certificates_project_id_fkey FOREIGN KEY (project_id) REFERENCES public.projects(id);

--
-- Name: project_registration_certificates project_registration_certificates_recorded_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.project_registration_certificates
    ADD CONSTRAINT project_registration_certificates_recorded_by_fkey FOREIGN KEY (recorded_by) REFERENCES public.users(id);

--
-- Name: project_search project_search_project_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.project_search
    ADD CONSTRAINT project_search_project_id_fkey FOREIGN KEY (project_id) REFERENCES public.projects(id) ON DELETE CASCADE;

--
-- Name: project_transitions project_transitions_to_status_to_stage_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.project_transitions
    ADD CONSTRAINT project_transitions_to_status_to_stage_fkey FOREIGN KEY (to_status, to_stage) REFERENCES public.project_stages(status, stage);

--
-- Name: project_versions project_versions_project_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.project_versions
    ADD CONSTRAINT project_versions_project_id_fkey FOREIGN KEY (project_id) REFERENCES public.projects(id) ON DELETE CASCADE;

--
-- Name: projects projects_checked_cap_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.projects
    ADD CONSTRAINT projects_checked_cap_id_fkey FOREIGN KEY (checked_cap_id) REFERENCES public.support_caps(id);

--
-- Name: projects projects_copied_from_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.projects
    ADD CONSTRAINT projects_copied_from_fkey FOREIGN KEY (copied_from) REFERENCES public.projects(id) ON DELETE SET NULL;

--
-- Name: projects projects_created_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.projects
    ADD CONSTRAINT projects_created_by_fkey FOREIGN KEY (created_by) REFERENCES public.users(id);

--
-- Name: projects projects_kind_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.projects
    ADD CONSTRAINT projects_kind_fkey FOREIGN KEY (kind) REFERENCES public.project_kinds(code);

--
-- Name: projects projects_plan_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.projects
    ADD CONSTRAINT projects_plan_id_fkey FOREIGN KEY (plan_id) REFERENCES public.plans(id);

--
-- Name: projects projects_priority_area_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.projects
    ADD CONSTRAINT projects_priority_area_fkey FOREIGN KEY (priority_area) REFERENCES public.priority_areas(code);

--
-- Name: projects projects_sector_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.projects
    ADD CONSTRAINT projects_sector_fkey FOREIGN KEY (sector) REFERENCES public.sectors(code);

--
-- Name: projects projects_status_stage_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.projects
    ADD CONSTRAINT projects_status_stage_fkey FOREIGN KEY (status, stage) REFERENCES public.project_stages(status, stage);

--
-- Name: province_reports province_reports_province_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.province_reports
    ADD CONSTRAINT province_reports_province_id_fkey FOREIGN KEY (province_id) REFERENCES public.orgs(id);

--
-- Name: province_reports province_reports_sent_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.province_reports
    ADD CONSTRAINT province_reports_sent_by_fkey FOREIGN KEY (sent_by) REFERENCES public.users(id);

--
-- Name: reset_requests reset_requests_confirmed_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.reset_requests
    ADD CONSTRAINT reset_requests_confirmed_by_fkey FOREIGN KEY (confirmed_by) REFERENCES public.users(id);

--
-- Name: reset_requests reset_requests_requested_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.reset_requests
    ADD CONSTRAINT reset_requests_requested_by_fkey FOREIGN KEY (requested_by) REFERENCES public.users(id);

--
-- Name: reset_requests reset_requests_target_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.reset_requests
    ADD CONSTRAINT reset_requests_target_id_fkey FOREIGN KEY (target_id) REFERENCES public.users(id);

--
-- Name: review_assignments review_assignments_assigned_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.review_assignments
    ADD CONSTRAINT review_assignments_assigned_by_fkey FOREIGN KEY (assigned_by) REFERENCES public.users(id);

--
-- Name: review_assignments review_assignments_project_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.review_assignments
    ADD CONSTRAINT review_assignments_project_id_fkey FOREIGN KEY (project_id) REFERENCES public.projects(id) ON DELETE CASCADE;

--
-- Name: review_assignments review_assignments_reviewer_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.review_assignments
    ADD CONSTRAINT review_assignments_reviewer_id_fkey FOREIGN KEY (reviewer_id) REFERENCES public.users(id);

--
-- Name: review_comments review_comments_author_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.review_comments
    ADD CONSTRAINT review_comments_author_id_fkey FOREIGN KEY (author_id) REFERENCES public.users(id);

--
-- Name: review_comments review_comments_project_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.review_comments
    ADD CONSTRAINT review_comments_project_id_fkey FOREIGN KEY (project_id) REFERENCES public.projects(id) ON DELETE CASCADE;

--
-- Name: review_scores review_scores_criterion_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.review_scores
    ADD CONSTRAINT review_scores_criterion_fkey FOREIGN KEY (criterion) REFERENCES public.review_criteria(criterion);

--
-- Name: review_scores review_scores_project_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.review_scores
    ADD CONSTRAINT review_scores_project_id_fkey FOREIGN KEY (project_id) REFERENCES public.projects(id) ON DELETE CASCADE;

--
-- Name: review_scores review_scores_reviewer_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.review_scores
    ADD CONSTRAINT review_scores_reviewer_id_fkey FOREIGN KEY (reviewer_id) REFERENCES public.users(id);

--
-- Name: round_reports round_reports_accepted_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.round_reports
    ADD CONSTRAINT round_reports_accepted_by_fkey FOREIGN KEY (accepted_by) REFERENCES public.users(id);

--
-- Name: round_reports round_reports_org_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.round_reports
    ADD CONSTRAINT round_reports_org_id_fkey FOREIGN KEY (org_id) REFERENCES public.orgs(id);

--
-- Name: round_reports round_reports_returned_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.round_reports
    ADD CONSTRAINT round_reports_returned_by_fkey FOREIGN KEY (returned_by) REFERENCES public.users(id);

--
-- Name: round_reports round_reports_round_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.round_reports
    ADD CONSTRAINT round_reports_round_id_fkey FOREIGN KEY (round_id) REFERENCES public.rounds(id);

--
-- Name: round_reports round_reports_sent_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.round_reports
    ADD CONSTRAINT round_reports_sent_by_fkey FOREIGN KEY (sent_by) REFERENCES public.users(id);

--
-- Name: round_reports round_reports_updated_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.round_reports
    ADD CONSTRAINT round_reports_updated_by_fkey FOREIGN KEY (updated_by) REFERENCES public.users(id);

--
-- Name: rounds rounds_created_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.rounds
    ADD CONSTRAINT rounds_created_by_fkey FOREIGN KEY (created_by) REFERENCES public.users(id);

--
-- Name: sessions sessions_user_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.sessions
    ADD CONSTRAINT sessions_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id);

--
-- Name: settlement_amounts settlement_amounts_project_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.settlement_amounts
    ADD CONSTRAINT settlement_amounts_project_id_fkey FOREIGN KEY (project_id) REFERENCES public.settlements(project_id);

--
-- Name: settlement_amounts settlement_amounts_source_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.settlement_amounts
    ADD CONSTRAINT settlement_amounts_source_fkey FOREIGN KEY (source) REFERENCES public.funding_sources(code);

--
-- Name: settlement_dossiers settlement_dossiers_project_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.settlement_dossiers
    ADD CONSTRAINT settlement_dossiers_project_id_fkey FOREIGN KEY (project_id) REFERENCES public.projects(id);

--
-- Name: settlement_dossiers settlement_dossiers_submitted_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.settlement_dossiers
    ADD CONSTRAINT settlement_dossiers_submitted_by_fkey FOREIGN KEY (submitted_by) REFERENCES public.users(id);

--
-- Name: settlements settlements_project_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.settlements
    ADD CONSTRAINT settlements_project_id_fkey FOREIGN KEY (project_id) REFERENCES public.projects(id);

--
-- Name: settlements settlements_settled_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.settlements
    ADD CONSTRAINT settlements_settled_by_fkey FOREIGN KEY (settled_by) REFERENCES public.users(id);

--
-- Name: support_caps support_caps_change_decision_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.support_caps
    ADD CONSTRAINT support_caps_change_decision_id_fkey FOREIGN KEY (change_decision_id) REFERENCES public.change_decisions(id);

--
-- Name: support_caps support_caps_content_code_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.support_caps
    ADD CONSTRAINT support_caps_content_code_fkey FOREIGN KEY (content_code) REFERENCES public.content_categories(code);

--
-- Name: typical_products typical_products_created_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.typical_products
    ADD CONSTRAINT typical_products_created_by_fkey FOREIGN KEY (created_by) REFERENCES public.users(id);

--
-- Name: typical_products typical_products_org_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.typical_products
    ADD CONSTRAINT typical_products_org_id_fkey FOREIGN KEY (org_id) REFERENCES public.orgs(id);

--
-- Name: user_recovery_codes user_recovery_codes_user_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.user_recovery_codes
    ADD CONSTRAINT user_recovery_codes_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id);

--
-- Name: user_totp user_totp_user_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.user_totp
    ADD CONSTRAINT user_totp_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id);

--
-- Name: users users_org_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.users
    ADD CONSTRAINT users_org_id_fkey FOREIGN KEY (org_id) REFERENCES public.orgs(id);

--
-- PostgreSQL database dump complete
--
