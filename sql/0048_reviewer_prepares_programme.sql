-- 0048_reviewer_prepares_programme.sql — the Ministry's reviewer prepares
-- the national programme (issue 16: "programme targets editable …; the
-- reviewer prepares them"): a ministry_reviewer creates a national programme
-- and changes it — details, targets, envelopes — while it is a draft; the
-- approver approves it and alone changes it once approved (with its
-- decision, 0029). Local programmes stay their province's.
--
-- Replaces kc_programme_write_check (0019's body replaced: it is a pure
-- check) and wraps kc_programme_create (0019's kept as
-- kc_programme_create_0019, which knows the approver and admin only).

create or replace function kc_programme_write_check(v programmes, p_found boolean, p_role text,
                                                    p_scope bigint, p jsonb, p_statuses text[])
returns jsonb language sql stable as $$
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

alter function kc_programme_create(bigint, text, text, text, bigint, jsonb) rename to kc_programme_create_0019;

create function kc_programme_create(p_user bigint, p_username text, p_peer text, p_role text,
                                    p_scope bigint, p jsonb) returns jsonb
language sql as $$
  -- A new programme is a draft: the reviewer may start the national one as
  -- the approver may (the audit row names the user, not the role).
  select kc_programme_create_0019(p_user, p_username, p_peer,
                                  case when p_role = 'ministry_reviewer' and p->>'scope' = 'national'
                                       then 'ministry_approver' else p_role end,
                                  p_scope, p)
$$;
