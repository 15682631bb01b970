-- 0002_accounts.sql — accounts, sessions and login throttling.
--
-- The server keeps a session in memory with the connection once it has been
-- checked here, so the hot path never touches these tables; what must reach
-- every server process at once (a revocation) is announced with NOTIFY.

create table users (
  id bigint generated always as identity primary key,
  username text not null,
  full_name text not null,
  role text not null check (role in ('province_officer', 'province_leader',
                                     'ministry_reviewer', 'ministry_approver',
                                     'admin', 'viewer')),
  org_id bigint not null references orgs (id),
  email text,
  phone text,
  -- PHC string ($argon2id$v=19$m=...,t=...,p=...$salt$hash): parameters
  -- travel with the hash so they can be raised without a migration.
  password_hash text not null,
  must_change_password boolean not null default false,
  password_changed_at timestamptz not null default now(),
  disabled_at timestamptz,
  version integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (username ~ '^[a-z0-9][a-z0-9._-]{1,62}$'),
  check (length(full_name) between 1 and 200)
);
-- Usernames are stored lower-case (the check above); the index makes the
-- login lookup one index probe.
create unique index users_username_key on users (username);
create index users_org_idx on users (org_id);

create table sessions (
  id bigint generated always as identity primary key,
  -- SHA-256 of the token: a stolen database dump cannot be replayed.
  token_hash bytea not null unique check (length(token_hash) = 32),
  user_id bigint not null references users (id),
  peer text,
  created_at timestamptz not null default now(),
  -- Written at most once a minute per session by the servers (batched),
  -- never per request.
  last_seen_at timestamptz not null default now(),
  idle_timeout interval not null,
  expires_at timestamptz not null,          -- absolute expiry
  revoked_at timestamptz,
  revoked_reason text
);
create index sessions_user_live_idx on sessions (user_id) where revoked_at is null;

create table login_failures (
  id bigint generated always as identity primary key,
  username text not null,
  peer text not null,
  at timestamptz not null default now()
);
create index login_failures_user_idx on login_failures (username, at);
create index login_failures_peer_idx on login_failures (peer, at);

-- Every server process LISTENs on kc_session; the payload is the session id.
create function sessions_notify_revoked() returns trigger
language plpgsql as $$
begin
  if new.revoked_at is not null and old.revoked_at is null then
    perform pg_notify('kc_session', new.id::text);
  end if;
  return null;
end $$;

create trigger sessions_revoked_notify
  after update of revoked_at on sessions
  for each row execute function sessions_notify_revoked();

-- Disabling a user or changing the password ends the sessions at once, in
-- the same transaction, whoever made the change. A password change made by
-- the user keeps the session it was made from: the server sets
-- kc.keep_session to that id for the transaction.
create function users_revoke_sessions() returns trigger
language plpgsql as $$
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

create trigger users_revoke_sessions
  after update on users
  for each row execute function users_revoke_sessions();

create function users_touch() returns trigger
language plpgsql as $$
begin
  new.updated_at := now();
  if new.password_hash is distinct from old.password_hash then
    new.password_changed_at := now();
  end if;
  return new;
end $$;

create trigger users_touch before update on users
  for each row execute function users_touch();

-- One round trip for the first half of a login: the account (if any) and
-- the recent failures for that name and for that peer. Always one row, so
-- timing and shape do not reveal whether the name exists.
create function kc_login_lookup(p_username text, p_peer text, p_window interval)
returns table (user_id bigint, username text, full_name text, role text,
               org_id bigint, password_hash text, disabled boolean,
               must_change_password boolean,
               user_failures integer, peer_failures integer,
               oldest_user_failure timestamptz, oldest_peer_failure timestamptz)
language sql stable as $$
  with u as (select * from users where users.username = lower(p_username)),
       fu as (select count(*)::int n, min(at) oldest from login_failures f
               where f.username = lower(p_username) and f.at > now() - p_window),
       fp as (select count(*)::int n, min(at) oldest from login_failures f
               where f.peer = p_peer and f.at > now() - p_window)
  select u.id, u.username, u.full_name, u.role, u.org_id, u.password_hash,
         u.disabled_at is not null, u.must_change_password,
         fu.n, fp.n, fu.oldest, fp.oldest
    from fu cross join fp left join u on true
$$;

-- A session row for a freshly checked login, plus clearing that user's
-- failures (a success resets the counter), in the caller's transaction.
create function kc_session_open(p_user_id bigint, p_token_hash bytea, p_peer text,
                                p_idle interval, p_absolute interval)
returns table (session_id bigint, expires_at timestamptz)
language sql as $$
  delete from login_failures where username = (select username from users where id = p_user_id);
  insert into sessions (token_hash, user_id, peer, idle_timeout, expires_at)
  values (p_token_hash, p_user_id, p_peer, p_idle, now() + p_absolute)
  returning id, expires_at;
$$;

-- auth.resume: the live session for a token, with its user, or no row.
-- last_seen_at is refreshed here (a resume is rare, a request is not).
create function kc_session_resume(p_token_hash bytea)
returns table (session_id bigint, expires_at timestamptz, idle_timeout interval,
               user_id bigint, username text, full_name text, role text, org_id bigint,
               must_change_password boolean)
language sql as $$
  update sessions s set last_seen_at = now()
    from users u
   where s.token_hash = p_token_hash and u.id = s.user_id
     and s.revoked_at is null and u.disabled_at is null
     and s.expires_at > now() and s.last_seen_at + s.idle_timeout > now()
  returning s.id, s.expires_at, s.idle_timeout, u.id, u.username, u.full_name, u.role, u.org_id,
            u.must_change_password;
$$;

-- RFC 3339 in UTC with second precision, the protocol's form of instants.
-- STABLE, as to_char is: a SQL function declared stricter than its body is
-- never inlined, and this one is called for every timestamp of every JSON
-- (some 8 per project.update: 0.2 ms as a function call).
create function kc_instant(t timestamptz) returns text
language sql stable strict as $$
  select to_char(t at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
$$;

-- What a caller may know of an account: everything but the hash.
create function kc_user_json(u users) returns jsonb
language sql stable as $$
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

-- The scope of a province-side account: the province its organisation
-- belongs to (nearest ancestor-or-self of kind 'province'); NULL for the
-- Ministry side, whose accounts see every province.
-- PL/pgSQL for its cached plan: a SQL function that is not inlined (this
-- one never is) is planned anew in every transaction that calls it, and
-- every write calls it (kc_event_notify, 0014).
create function kc_scope_root(p_org bigint) returns bigint
language plpgsql stable as $$
begin
  return (
  with recursive up(id, parent_id, kind, depth) as (
    select id, parent_id, kind, 0 from orgs where id = p_org
    union all
    select o.id, o.parent_id, o.kind, up.depth + 1
      from orgs o join up on o.id = up.parent_id
     where up.depth < 32)
  select id from up where kind = 'province' order by depth limit 1);
end $$;

-- The organisations inside a scope plus their ancestors (a province's
-- users see the Ministry they report to, not its other provinces). The
-- scope includes the provinces merged into it in 2025 (org_scope follows
-- org_lineage), whose records the merged province inherited.
create function kc_org_visible(p_scope bigint) returns setof bigint
language sql stable as $$
  select org_scope(p_scope)
  union
  (with recursive up(id, parent_id, depth) as (
     select id, parent_id, 0 from orgs where id = p_scope
     union all
     select o.id, o.parent_id, up.depth + 1 from orgs o join up on o.id = up.parent_id
      where up.depth < 32)
   select id from up)
$$;
