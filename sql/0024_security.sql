-- 0024 — security hardening (issue 13).

-- ---------------------------------------------------------------------------
-- Login throttling that cannot be raced (points 1, 2, 7)
--
-- A guess is counted *before* its password, code or recovery code is
-- verified: kc_login_attempt takes an advisory lock on the account and on
-- the address, counts, and either refuses (throttled) or inserts the
-- attempt as a failure row whose reason is still NULL ("being verified"),
-- all in one transaction. However many connections send a guess at the
-- same instant, each sees the rows of those before it. A verified failure
-- fills in the reason; a success deletes the row (kc_session_open deletes
-- the account's rows; kc_login_release one row).
--
-- Three counters:
--   (account, address)  login_max_failures in the window, then refused
--                       until the oldest of them leaves the window;
--   account             login_max_failures free, then each further attempt
--                       waits login_throttle_delay · 2^(n − max) seconds
--                       after the last failure (at most the window): one
--                       wrong attempt every few minutes from elsewhere can
--                       not keep the owner out, it only makes the next
--                       guess wait longer;
--   address             login_peer_max_failures (default 100) in the window:
--                       an office behind one NAT address never reaches it,
--                       a scan over many names does.
-- A correct password is only refused when its own account or its own
-- (account, address) pair is throttled, or its address scanned names.
-- ---------------------------------------------------------------------------

alter table login_failures add column reason text;
create index login_failures_pair_idx on login_failures (username, peer, at);
create index login_failures_at_idx on login_failures (at);

-- Refused attempts, one row per (account, address, window): the audit log
-- gets one row when a pair is first refused in a window, not one per
-- refusal (an unauthenticated caller must not grow it without bound).
create table login_throttles (
  username text not null,
  peer text not null,
  window_start timestamptz not null,
  refused integer not null default 1,
  last_at timestamptz not null default now(),
  primary key (username, peer, window_start)
);
create index login_throttles_start_idx on login_throttles (window_start);

create function kc_login_attempt(p_username text, p_peer text, p_window interval,
                                 p_max integer, p_peer_max integer, p_delay integer,
                                 p_method text)
returns table (user_id bigint, username text, full_name text, role text,
               org_id bigint, password_hash text, disabled boolean,
               must_change_password boolean, scope_root bigint,
               attempt_id bigint, retry_after integer, user_version integer)
language plpgsql as $$
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

-- A verified failure: the attempt's reason and its audit row. An attempt
-- already gone (pruned) is recorded anew, so a failure is never lost.
create function kc_login_failed(p_attempt bigint, p_username text, p_peer text,
                                p_user_id bigint, p_reason text, p_method text)
returns bigint
language plpgsql as $$
begin
  update login_failures set reason = p_reason where id = p_attempt;
  if not found then
    insert into login_failures (username, peer, reason) values (lower(p_username), p_peer, p_reason);
  end if;
  return kc_audit(p_user_id, p_username, p_peer, p_method, 'user', p_user_id, null,
                  jsonb_build_object('result', 'failure', 'reason', p_reason));
end $$;

-- An attempt that turned out not to be a failure (right password, code
-- still to come; a successful change of password).
create function kc_login_release(p_attempt bigint) returns void
language sql as $$
  delete from login_failures where id = p_attempt;
$$;

drop function kc_login_lookup(text, text, interval);

-- ---------------------------------------------------------------------------
-- Role and organisation tied together (point 5)
--
-- A province role belongs on the province side (its organisation has a
-- province above it or is one: kc_scope_root not NULL); the Ministry's
-- roles and admin on the Ministry side (no province above). viewer may be
-- on either (finance staff of a province or in Hà Nội). Before this, a
-- province_officer in a Ministry department got kc_scope_root NULL, which
-- every read takes for "the Ministry: all provinces".
-- ---------------------------------------------------------------------------

create function kc_role_fits_org(p_role text, p_org bigint) returns boolean
language plpgsql stable as $$
begin
  if p_role in ('province_officer', 'province_leader') then
    return kc_scope_root(p_org) is not null;
  elsif p_role in ('ministry_reviewer', 'ministry_approver', 'admin') then
    return exists (select 1 from orgs where id = p_org) and kc_scope_root(p_org) is null;
  end if;
  return true;
end $$;

-- Accounts that break the rule now cannot keep working: disabled, with a
-- note in the audit log, before the rule is enforced.
with bad as (
  update users set disabled_at = coalesce(disabled_at, now()), version = version + 1
   where not kc_role_fits_org(role, org_id)
  returning id, username, role, org_id)
select kc_audit(null, 'migration 0024', 'local', 'user.disable', 'user', bad.id, null,
                jsonb_build_object('reason', 'role does not fit its organisation',
                                   'role', bad.role, 'org_id', bad.org_id))
  from bad;

create function users_role_org_guard() returns trigger
language plpgsql as $$
begin
  if not kc_role_fits_org(new.role, new.org_id) then
    raise exception 'role and organisation do not fit: % in organisation %', new.role, new.org_id
      using errcode = 'KC013', hint = 'role_org';
  end if;
  return new;
end $$;

create trigger users_role_org_guard
  before insert or update of role, org_id on users
  for each row execute function users_role_org_guard();

-- Moving an organisation to the other side of the tree would move its
-- accounts with it: refused while an account there no longer fits.
create function orgs_role_org_guard() returns trigger
language plpgsql as $$
begin
  if exists (select 1 from users u where u.disabled_at is null
                                     and not kc_role_fits_org(u.role, u.org_id)) then
    raise exception 'an account would no longer fit its organisation' using errcode = 'KC013';
  end if;
  return null;
end $$;

create trigger orgs_role_org_guard
  after update of parent_id, kind on orgs
  for each statement execute function orgs_role_org_guard();

-- ---------------------------------------------------------------------------
-- Refusals on record without growing the log without bound (points 7, 8)
--
-- A refused call (1003 forbidden, 1004 not found, a failed auth.resume) is
-- audited once per (caller, method, code, address) and minute; the others
-- of that minute are counted in login_throttles, whose key then reads
-- "username#method#code". An unauthenticated caller (a failed resume) can
-- thus add at most one row a minute per address.
-- ---------------------------------------------------------------------------

create function kc_audit_refusal(p_user_id bigint, p_username text, p_peer text,
                                 p_method text, p_code integer)
returns void
language plpgsql as $$
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

-- ---------------------------------------------------------------------------
-- Files on a review comment only from its author (point 8): a province
-- officer could attach files to the Ministry's comments (the owner check
-- only asked whether the project was visible).
-- ---------------------------------------------------------------------------

create function attachments_comment_author_guard() returns trigger
language plpgsql as $$
begin
  if new.owner_type = 'review_comment'
     and not exists (select 1 from review_comments rc
                      where rc.id = new.owner_id and rc.author_id = new.created_by) then
    raise exception 'files are attached to a review comment by its author only'
      using errcode = 'KC013', hint = 'comment_author';
  end if;
  return new;
end $$;

create trigger attachments_comment_author_guard
  before insert on attachments
  for each row execute function attachments_comment_author_guard();

-- ---------------------------------------------------------------------------
-- Four eyes on the Ministry's money role (point 9)
--
-- An administrator could reset an approver's password or second factor
-- and log in as them. For a ministry_approver both resets are now a
-- request (user.reset_password / user.reset_totp) that a *second*
-- administrator confirms (user.confirm_reset); only the confirming call
-- changes the account, in the transaction that records the confirmation.
-- The database refuses an approver's password or TOTP change made any
-- other way (except the approver's own, auth.change_password /
-- auth.totp_disable).
-- ---------------------------------------------------------------------------

create table reset_requests (
  id bigint generated always as identity primary key,
  kind text not null check (kind in ('reset_password', 'reset_totp')),
  target_id bigint not null references users (id),
  requested_by bigint not null references users (id),
  requested_at timestamptz not null default now(),
  confirmed_by bigint references users (id),
  confirmed_at timestamptz,
  constraint reset_requests_four_eyes check (confirmed_by is null or confirmed_by <> requested_by),
  check ((confirmed_by is null) = (confirmed_at is null))
);
create index reset_requests_target_idx on reset_requests (target_id, requested_at);

-- The roles whose resets need a second administrator.
create function kc_four_eyes_role(p_role text) returns boolean
language sql immutable as $$
  select p_role = 'ministry_approver'
$$;

create function kc_reset_request(p_kind text, p_target bigint, p_actor bigint,
                                 p_actor_name text, p_peer text)
returns bigint
language plpgsql as $$
declare
  v_id bigint;
begin
  insert into reset_requests (kind, target_id, requested_by) values (p_kind, p_target, p_actor)
  returning id into v_id;
  perform kc_audit(p_actor, p_actor_name, p_peer, 'user.' || p_kind, 'user', p_target, null,
                   jsonb_build_object('four_eyes', 'requested', 'request_id', v_id));
  return v_id;
end $$;

-- Confirms a pending request younger than a day, by another administrator
-- (the check constraint refuses the requester), and lets the reset it
-- names happen in this transaction (kc.reset_confirmed). No row: no such
-- pending request.
create function kc_reset_confirm(p_id bigint, p_actor bigint, p_actor_name text, p_peer text)
returns table (kind text, target_id bigint, requested_by bigint)
language plpgsql as $$
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

create function kc_reset_confirmed(p_kind text, p_target bigint) returns boolean
language sql stable as $$
  select exists (select 1 from reset_requests r
                  where r.id = nullif(current_setting('kc.reset_confirmed', true), '')::bigint
                    and r.kind = p_kind and r.target_id = p_target
                    and r.confirmed_at = now())
$$;

create function users_four_eyes_guard() returns trigger
language plpgsql as $$
begin
  if kc_four_eyes_role(old.role) and new.password_hash is distinct from old.password_hash
     and coalesce(current_setting('kc.keep_session', true), '') = ''
     and not kc_reset_confirmed('reset_password', new.id) then
    raise exception 'four eyes: an approver''s password is reset only with a second administrator''s confirmation'
      using errcode = 'KC013';
  end if;
  return new;
end $$;

create trigger users_four_eyes_guard
  before update of password_hash on users
  for each row execute function users_four_eyes_guard();

create function user_totp_four_eyes_guard() returns trigger
language plpgsql as $$
begin
  if exists (select 1 from users u where u.id = old.user_id and kc_four_eyes_role(u.role))
     and coalesce(current_setting('kc.totp_self', true), '') <> old.user_id::text
     and not kc_reset_confirmed('reset_totp', old.user_id) then
    raise exception 'four eyes: an approver''s second factor is reset only with a second administrator''s confirmation'
      using errcode = 'KC013';
  end if;
  return old;
end $$;

create trigger user_totp_four_eyes_guard
  before delete on user_totp
  for each row execute function user_totp_four_eyes_guard();
