-- 0029_change_decisions.sql — caps and approved programmes change only
-- through a recorded decision (issue 13 point 9, second half).
--
-- A support cap (support_caps, a province's local_caps) and the targets and
-- budget of an approved programme are the Minister's, the Prime Minister's
-- or the People's Council's figures: the administrator who types them in
-- does not decide them. Each change now names the decision that made it
-- (number, date, signer, the scanned decision as an attachment if there
-- is one), which is recorded in change_decisions, carried by the rows it
-- changed (change_decision_id) and written into the audit row.
--
--   catalog.update {section: "support_caps", ..., decision}
--   catalog.add_cap {..., decision}
--   catalog.add_local_cap {..., decision}
--   programme.update / programme.set_targets {..., decision} of an approved
--     programme (a draft is still the drafters' own)
--
-- Without it: 1022, violation {field: "decision", rule: "decision_required"}.
--
-- In the database: a trigger on each of those tables refuses (KC022) a
-- change made in a transaction that has recorded no decision
-- (kc_decision_record sets kc.change_decision for the transaction; the
-- row recorded must carry this transaction's id, so a setting alone is not
-- enough), and stamps the changed row with it. Migrations (which hold the
-- migration lock, 8474001) are exempt: a seed is not an administrator's
-- change.

create table change_decisions (
  id bigint generated always as identity primary key,
  number text not null check (length(number) between 1 and 100),
  decided_on date not null,
  signer text not null check (length(signer) between 1 and 300),
  attachment_id bigint references attachments (id),
  method text not null,
  recorded_by bigint references users (id),
  recorded_at timestamptz not null default now(),
  xact xid8 not null default pg_current_xact_id()
);
create index change_decisions_xact_idx on change_decisions (xact);

alter table support_caps add column change_decision_id bigint references change_decisions (id);
alter table local_caps add column change_decision_id bigint references change_decisions (id);
alter table programmes add column change_decision_id bigint references change_decisions (id);
alter table programme_targets add column change_decision_id bigint references change_decisions (id);
alter table programme_budgets add column change_decision_id bigint references change_decisions (id);

-- The decision as the protocol shows it.
create function kc_decision_json(p_id bigint) returns jsonb
language sql stable as $$
  select jsonb_build_object('id', d.id, 'number', d.number, 'date', d.decided_on, 'signer', d.signer,
                            'attachment_id', d.attachment_id)
    from change_decisions d where d.id = p_id
$$;

-- A violation of a decision reference {number, date, signer, attachment_id?}
-- (shape checked by the server), or null.
create function kc_decision_problem(p_decision jsonb) returns jsonb
language sql stable as $$
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

-- Records the decision for this transaction's changes; returns its id.
create function kc_decision_record(p_user bigint, p_decision jsonb, p_method text) returns bigint
language plpgsql as $$
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

-- The decision recorded in this transaction, or null.
create function kc_decision_current() returns bigint
language sql stable as $$
  select d.id from change_decisions d
   where d.id = nullif(current_setting('kc.change_decision', true), '')::bigint
     and d.xact = pg_current_xact_id()
$$;

-- Inside a migration (kc-server migrate holds advisory lock 8474001).
create function kc_migrating() returns boolean
language sql stable as $$
  select exists (select 1 from pg_locks l
                  where l.locktype = 'advisory' and l.pid = pg_backend_pid() and l.granted
                    and l.classid = 0 and l.objid = 8474001 and l.objsubid = 1)
$$;

-- The guard: tg_argv[0] names what is changed, for the message.
create function kc_change_decision_guard() returns trigger
language plpgsql as $$
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

create trigger support_caps_decision before insert or update or delete on support_caps
  for each row execute function kc_change_decision_guard('a support cap');
create trigger local_caps_decision before insert or update or delete on local_caps
  for each row execute function kc_change_decision_guard('a local support cap');
create trigger programmes_decision before update on programmes
  for each row execute function kc_change_decision_guard('an approved programme');
create trigger programme_targets_decision before insert or update or delete on programme_targets
  for each row execute function kc_change_decision_guard('an approved programme''s targets');
create trigger programme_budgets_decision before insert or update or delete on programme_budgets
  for each row execute function kc_change_decision_guard('an approved programme''s budget');

-- ---------------------------------------------------------------------------
-- catalog.update {section: "support_caps", key, version, fields, decision}
-- (as 0004's statement for the other sections, plus the decision). Returns
-- (the current version or null when no such row, the new row or null when
-- stale, a violation or null).
-- ---------------------------------------------------------------------------
create function kc_cap_update(p_user bigint, p_username text, p_peer text, p_key bigint,
                              p_version integer, p_fields jsonb, p_decision jsonb,
                              out cur_version integer, out row_json text, out problem text)
language plpgsql as $$
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

-- ---------------------------------------------------------------------------
-- catalog.add_cap {..., decision}: 0004's statement with the decision.
-- Returns (the {cap, closed} object or null, whether a later row exists,
-- a violation or null).
-- ---------------------------------------------------------------------------
create function kc_cap_add(p jsonb, p_user bigint, p_username text, p_peer text,
                           out result text, out later boolean, out problem text)
language plpgsql as $$
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

-- ---------------------------------------------------------------------------
-- catalog.add_local_cap {..., decision}: 0025's function, the decision first
-- checked once the caller may write (1003/1004 before 1022).
-- ---------------------------------------------------------------------------
alter function kc_local_cap_add(bigint, text, text, text, bigint, jsonb) rename to kc_local_cap_add_0025;

create function kc_local_cap_add(p_user bigint, p_username text, p_peer text, p_role text,
                                 p_scope bigint, p jsonb) returns jsonb
language plpgsql as $$
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

-- ---------------------------------------------------------------------------
-- programme.update / programme.set_targets {..., decision}: an approved
-- programme changes only with the decision (scope, role, version, status
-- first, as 0019 orders them).
-- ---------------------------------------------------------------------------
alter function kc_programme_json(bigint, boolean) rename to kc_programme_json_0019;

create function kc_programme_json(p_id bigint, p_full boolean) returns jsonb
language sql stable as $$
  select kc_programme_json_0019(p_id, p_full)
         || jsonb_build_object('change_decision', kc_decision_json(v.change_decision_id))
    from programmes v where v.id = p_id
$$;

create function kc_programme_change(p_fn text, p_method text, p_user bigint, p_username text,
                                    p_peer text, p_role text, p_scope bigint, p jsonb) returns jsonb
language plpgsql as $$
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
end $$;

alter function kc_programme_update(bigint, text, text, text, bigint, jsonb) rename to kc_programme_update_0019;
alter function kc_programme_set_targets(bigint, text, text, text, bigint, jsonb)
  rename to kc_programme_set_targets_0019;

create function kc_programme_update(p_user bigint, p_username text, p_peer text, p_role text,
                                    p_scope bigint, p jsonb) returns jsonb
language sql as $$
  select kc_programme_change('kc_programme_update_0019', 'programme.update', p_user, p_username, p_peer,
                             p_role, p_scope, p)
$$;

create function kc_programme_set_targets(p_user bigint, p_username text, p_peer text, p_role text,
                                         p_scope bigint, p jsonb) returns jsonb
language sql as $$
  select kc_programme_change('kc_programme_set_targets_0019', 'programme.set_targets', p_user, p_username,
                             p_peer, p_role, p_scope, p)
$$;
