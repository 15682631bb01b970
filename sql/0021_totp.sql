-- 0021_totp.sql — two-factor login (issue 7): a TOTP secret per user
-- (RFC 6238, 30 s steps, 6 digits, HMAC-SHA1), one-time recovery codes.
--
-- The secret is stored encrypted (AES-256-GCM, by kc-server, with the key
-- of [auth] totp_key_file and the user id as associated data), so a dump of
-- the database alone does not give away anyone's second factor, and a row
-- copied onto another user does not decrypt. Recovery codes are stored as
-- SHA-256: they carry 80 random bits, as much as a session token's hash
-- needs not to be reversed.
--
-- Every change is audited in the statement that makes it (kc_totp_* below).

create table user_totp (
  user_id bigint primary key references users (id),
  -- nonce (12) || ciphertext (20) || GCM tag (16)
  secret_enc bytea not null check (length(secret_enc) = 48),
  -- NULL while the enrolment waits for its confirming code.
  enabled_at timestamptz,
  -- The newest 30 s step whose code was accepted: a code is accepted only
  -- for a later step, so a code seen over a shoulder cannot be used again.
  last_step bigint,
  created_at timestamptz not null default now()
);

create table user_recovery_codes (
  id bigint generated always as identity primary key,
  user_id bigint not null references users (id),
  code_hash bytea not null check (length(code_hash) = 32),
  used_at timestamptz,
  created_at timestamptz not null default now()
);
create index user_recovery_codes_user_idx on user_recovery_codes (user_id) where used_at is null;

-- A step is consumed at most once, whatever the number of servers: the
-- update matches only while the stored step is older.
create function kc_totp_use_step(p_user bigint, p_step bigint, p_username text, p_peer text,
                                 p_method text)
returns boolean
language plpgsql as $$
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

-- A recovery code is spent by the statement that accepts it.
create function kc_totp_use_recovery(p_user bigint, p_hash bytea, p_username text, p_peer text,
                                     p_method text)
returns boolean
language plpgsql as $$
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

-- auth.totp_begin: a new pending secret (replacing a pending one). Refused
-- (NULL) while a confirmed one exists.
create function kc_totp_begin(p_user bigint, p_secret bytea, p_username text, p_peer text)
returns boolean
language plpgsql as $$
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

-- auth.totp_confirm: the pending secret becomes the user's second factor,
-- with fresh recovery codes (any older ones are dropped).
create function kc_totp_confirm(p_user bigint, p_step bigint, p_hashes bytea[],
                                p_username text, p_peer text)
returns boolean
language plpgsql as $$
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

-- auth.totp_disable (by the user) and user.reset_totp (by an
-- administrator): the second factor and its recovery codes go. Returns
-- whether one was enabled.
create function kc_totp_remove(p_user bigint, p_actor bigint, p_actor_name text, p_peer text,
                               p_method text)
returns boolean
language plpgsql as $$
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
