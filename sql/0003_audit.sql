-- 0003_audit.sql — the audit log: append-only, and tamper-evident through a
-- hash chain.
--
-- Every row carries hash = sha256(prev_hash || payload), where prev_hash is
-- the previous row's hash (32 zero bytes before row 1) and payload is the
-- canonical text of the row's own fields (kc_audit_payload). audit_head
-- holds the last seq and hash. Changing, removing or inserting a row
-- anywhere breaks the chain at that row, and cutting rows off the end
-- leaves audit_head pointing past the last row; kc_audit_verify() finds
-- both.
--
-- What enforces what:
--   * Triggers refuse UPDATE, DELETE and TRUNCATE of audit_log, and any
--     change of audit_head except by the insert trigger. That stops the
--     application, its bugs and anyone with ordinary DML rights.
--   * A table owner or superuser can still disable triggers (ALTER TABLE
--     ... DISABLE TRIGGER, session_replication_role = replica) and rewrite
--     rows. The chain is what makes that detectable: to hide a change one
--     has to recompute every later hash and audit_head as well. To catch
--     even that, copy (seq, hash) of audit_head somewhere the database
--     owner cannot write (the server log, a daily report) and compare.
--
-- user_id is deliberately not a foreign key to users (0002): the log must
-- outlive any account and must never block or cascade a change there.

create table audit_log (
  seq bigint primary key,             -- 1, 2, 3 ... without gaps; set by the trigger
  at timestamptz not null default clock_timestamp(),  -- set by the trigger
  user_id bigint,
  username text,                      -- as it was at the time
  peer text,                          -- client address
  method text not null,               -- the JSON-RPC method, e.g. 'project.update'
  record_type text,
  record_id bigint,
  before jsonb,
  after jsonb,
  prev_hash bytea not null check (length(prev_hash) = 32),
  hash bytea not null check (length(hash) = 32)
);

-- audit.list filters by time, by user and time, and by record.
create index audit_log_at_idx on audit_log (at);
create index audit_log_user_at_idx on audit_log (user_id, at);
create index audit_log_record_idx on audit_log (record_type, record_id, seq);

create table audit_head (
  id integer primary key check (id = 1),
  seq bigint not null,
  hash bytea not null check (length(hash) = 32)
);
insert into audit_head (id, seq, hash) values (1, 0, decode(repeat('00', 32), 'hex'));

-- The canonical text of a row that its hash covers: a JSON array of a
-- format tag and every field except prev_hash (hashed alongside) and hash.
--   * JSON strings escape quotes and separators, so no two different rows
--     give the same text.
--   * SQL NULL becomes JSON null. before and after go in as their jsonb
--     text inside a JSON string, so a SQL NULL (null) stays distinct from a
--     JSON null value ("null").
--   * at is written in UTC with microseconds by a fixed pattern without
--     locale-dependent fields, so the text depends on no session setting
--     (TimeZone, DateStyle, lc_time); neither do the text output of bigint
--     and of jsonb.
-- The result is thus a function of the row alone, IMMUTABLE in substance.
-- It is declared STABLE all the same: to_char, json_build_array and
-- convert_to are STABLE in the catalog (other uses of them read settings),
-- and only a function declared no stricter than its body is inlined by the
-- planner, which makes kc_audit_verify() a third faster (6 s instead of 9 s
-- per million rows). Nothing needs it IMMUTABLE: no index or generated
-- column uses it.
--
-- The form can be checked outside the database: Python's
-- json.dumps([...], ensure_ascii=False) over the same fields (before and
-- after fetched as ::text) gives the same bytes.
--
-- The tag 'kc-audit-v1' names this format: a future format gets a new tag
-- and the verifier chooses by it. Never change this function in place;
-- every stored hash depends on it.
create function kc_audit_payload(r audit_log) returns text
language sql stable as $$
  select json_build_array(
           'kc-audit-v1',
           r.seq,
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

-- BEFORE INSERT: give the row its place in the chain.
--
-- The SELECT ... FOR UPDATE of audit_head takes that row's lock and keeps
-- it until the transaction ends. A concurrent insert blocks on it until
-- then and, under READ COMMITTED, proceeds with the committed head (or the
-- old one again if we rolled back). So seq and prev_hash are taken in the
-- order writers commit, the chain order is the seq order, and a rolled-back
-- insert gives its seq back: no gaps. Under REPEATABLE READ or SERIALIZABLE
-- a writer whose snapshot is older than the last committed audit row gets
-- a serialization failure (SQLSTATE 40001) instead and must retry; audit
-- from READ COMMITTED transactions.
--
-- The price: between its audit insert and its commit a transaction holds
-- the one lock every auditing writer needs. Write the audit row as the last
-- statement before COMMIT, and avoid taking other row locks after it (a
-- writer waiting on a row we hold while we wait on the head would deadlock).
--
-- at is taken after the lock, so at never decreases along seq (save for a
-- step back of the system clock), and a caller cannot backdate a row.
--
-- Any caller-supplied seq, at, prev_hash or hash is overwritten. Triggers
-- fire in name order; another BEFORE INSERT trigger on audit_log must sort
-- before this one, or it would change the row after it was hashed.
create function audit_log_chain() returns trigger
language plpgsql as $$
declare
  v_prev bytea;
  v_ctid tid;
  v_here tid := nullif(current_setting('kc.audit_head_ctid', true), '')::tid;
begin
  -- Unlocks audit_head_guard() for the update below only; see there.
  perform set_config('kc.audit_head_update', 'on', true);
  -- Every update leaves a row version that stays until the transaction
  -- ends, and finding the row by id walks all of them: 8,000 audit rows in
  -- one transaction took 2 s, growing with the square. So after the first
  -- update we go straight to the version we wrote last, by the ctid kept in
  -- a transaction-local setting (a rolled-back savepoint restores it along
  -- with the row). Nobody else can have changed the row since we hold its
  -- lock; should the ctid not name the live version anyway (or have been
  -- set by someone else), the update matches nothing and we fall back to
  -- the lookup by id. About 0.1 ms per row up to ~100,000 rows in one
  -- transaction; beyond that the primary key's duplicate check on the head
  -- slows it down again, so import in batches of that size at most.
  -- The lock is taken by SELECT ... FOR UPDATE and the row changed by one
  -- UPDATE of seq and hash together: one row version per audit row instead
  -- of two (and one run of audit_head_guard).
  if v_here is not null then
    select seq + 1, hash, ctid into new.seq, v_prev, v_ctid
      from audit_head where ctid = v_here for update;
  end if;
  if v_ctid is null then
    select seq + 1, hash, ctid into new.seq, v_prev, v_ctid
      from audit_head where id = 1 for update;
    if v_ctid is null then
      raise exception 'audit_head has no row';
    end if;
  end if;
  new.at := clock_timestamp();
  new.prev_hash := v_prev;
  new.hash := sha256(v_prev || convert_to(kc_audit_payload(new), 'UTF8'));
  update audit_head set seq = new.seq, hash = new.hash where ctid = v_ctid
  returning ctid into v_ctid;
  perform set_config('kc.audit_head_ctid', v_ctid::text, true);
  perform set_config('kc.audit_head_update', 'off', true);
  return new;
end $$;

create trigger audit_log_chain before insert on audit_log
  for each row execute function audit_log_chain();

-- audit_log is append-only. Statement-level, so that even a statement that
-- matches no row is refused and a large one costs one call.
create function audit_log_refuse() returns trigger
language plpgsql as $$
begin
  raise exception '% on audit_log is not allowed: the audit log is append-only', tg_op
    using errcode = 'insufficient_privilege';
end $$;

create trigger audit_log_no_update before update on audit_log
  for each statement execute function audit_log_refuse();
create trigger audit_log_no_delete before delete on audit_log
  for each statement execute function audit_log_refuse();
create trigger audit_log_no_truncate before truncate on audit_log
  for each statement execute function audit_log_refuse();

-- audit_head may change only inside audit_log_chain(). Two conditions, both
-- needed:
--   * pg_trigger_depth() > 1: the UPDATE was issued from inside another
--     trigger. A client statement runs this guard at depth 1, and a client
--     cannot raise the depth without creating triggers of its own;
--   * kc.audit_head_update = 'on': set by audit_log_chain() just before its
--     updates and reset just after, so no other trigger that ever comes to
--     touch audit_head passes by accident. On its own this setting would be
--     no lock, since any session can SET LOCAL it.
-- We chose this over a SECURITY DEFINER trigger function with UPDATE on
-- audit_head revoked: kc-server applies the migrations, so it owns the
-- tables, and privileges do not restrict an owner.
create function audit_head_guard() returns trigger
language plpgsql as $$
begin
  if tg_op = 'UPDATE' and pg_trigger_depth() > 1
     and current_setting('kc.audit_head_update', true) = 'on' then
    return null;                      -- the return value of a statement trigger is ignored
  end if;
  raise exception '% on audit_head is not allowed: it changes only with an insert into audit_log', tg_op
    using errcode = 'insufficient_privilege';
end $$;

create trigger audit_head_guard before update or delete or truncate on audit_head
  for each statement execute function audit_head_guard();

-- The one call the server makes: append a row, get its seq. (PL/pgSQL,
-- whose plan is kept for the session; a SQL function called from the
-- write functions was planned anew in every transaction.)
create function kc_audit(p_user_id bigint, p_username text, p_peer text,
                         p_method text, p_record_type text, p_record_id bigint,
                         p_before jsonb, p_after jsonb)
returns bigint
language plpgsql as $$
declare
  v_seq bigint;
begin
  insert into audit_log (user_id, username, peer, method, record_type, record_id,
                         before, after)
  values (p_user_id, p_username, p_peer, p_method, p_record_type, p_record_id,
          p_before, p_after)
  returning seq into v_seq;
  return v_seq;
end $$;

-- Checks the whole chain in one statement and so in one snapshot, in which
-- the rows and audit_head are consistent (they commit together). Returns
-- the first problem in seq order, or no row when the log is intact:
--   * a gap: first_bad_seq is the first missing seq;
--   * prev_hash differs from the hash of the row before (32 zero bytes for
--     the first row);
--   * hash differs from the hash recomputed from the row;
--   * audit_head disagrees with the last row (rows cut off the end, or the
--     head rewritten or deleted).
-- One ordered pass with lag() over the primary key, no per-row loop; the
-- LIMIT stops at the first bad row. About 6 s per million rows on one core
-- of a laptop-class machine.
create function kc_audit_verify()
returns table (first_bad_seq bigint, reason text)
language sql stable as $$
  with chain as (
    select a.seq, a.prev_hash, a.hash,
           coalesce(lag(a.seq) over w, 0) + 1 as expected_seq,
           coalesce(lag(a.hash) over w, decode(repeat('00', 32), 'hex')) as expected_prev,
           sha256(a.prev_hash || convert_to(kc_audit_payload(a), 'UTF8')) as recomputed
      from audit_log a
    window w as (order by a.seq)
  ),
  bad_row as (
    select case when c.seq > c.expected_seq then c.expected_seq else c.seq end,
           case
             when c.seq > c.expected_seq then
               format('seq %s to %s missing', c.expected_seq, c.seq - 1)
             when c.seq < c.expected_seq then
               format('unexpected seq %s, expected %s', c.seq, c.expected_seq)
             when c.prev_hash <> c.expected_prev then
               case when c.seq = 1
                    then 'prev_hash of the first row is not 32 zero bytes'
                    else format('prev_hash does not match the hash of seq %s', c.seq - 1)
               end
             else 'hash does not match the row''s content'
           end
      from chain c
     where c.seq <> c.expected_seq
        or c.prev_hash <> c.expected_prev
        or c.hash <> c.recomputed
     order by c.seq
     limit 1
  ),
  last_row as (
    select a.seq, a.hash from audit_log a order by a.seq desc limit 1
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
  )
  select * from bad_row
  union all
  select * from bad_head where not exists (select 1 from bad_row)
$$;
