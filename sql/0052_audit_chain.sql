-- 0052_audit_chain.sql — the audit log insert-only; its hash chain in a
-- narrow table of its own (issue 20, point 3).
--
-- Until now (0003) sealing a row UPDATEd it: seq, prev_hash and hash were
-- columns of audit_log. Since seq is indexed the update was never HOT: the
-- wide row (before/after jsonb) was written a second time with all five of
-- its index entries, and the per-row trigger locked and rewrote audit_head
-- once per row: ~1,230 bytes of WAL per sealed row, a quarter of a
-- project.update's (docs/performance.md, "Write connections").
--
-- Now:
--   * audit_log is insert-only. Its rows carry no chain fields (seq,
--     prev_hash and hash are dropped) and nothing ever updates them.
--   * audit_chain (seq, audit_id, prev_hash, hash): one narrow row per
--     sealed audit row, inserted by kc_audit_seal() in ONE statement per
--     batch (the hashes computed in a loop in memory first). The chain is
--     the same as before: hash = sha256(prev_hash || payload), payload the
--     'kc-audit-v1' text of 0003 (kc_audit_payload), whose seq now comes
--     from the chain row instead of the audit row. The bytes hashed are the
--     same, so the rows sealed before 0052 — moved here with their seq,
--     prev_hash and hash — verify as they are, and no new format is needed.
--     As before, the audit row's id is not hashed (it never was): a chain
--     row pointing at another audit row changes the payload, unless the two
--     rows are equal in every field including the microsecond of at.
--   * audit_head is updated once per batch, by the chain's insert trigger.
--
-- What enforces what (the security argument of 0003, continued):
--   * audit_log: triggers refuse UPDATE, DELETE and TRUNCATE (statement
--     level: even an UPDATE matching no row is refused).
--   * audit_chain: triggers refuse UPDATE, DELETE and TRUNCATE. An INSERT
--     is accepted only when the statement's rows, taken together, continue
--     the chain link by link: seqs consecutive, the first one after an
--     existing row (or 1) whose hash is its prev_hash, each prev_hash the
--     hash before it, each hash recomputed from its audit row (which must
--     exist). audit_chain_check() checks that once per statement over the
--     transition table, O(batch), and then moves audit_head to the last row.
--     So nobody, through the seal or around it, can add a chain row that
--     the verifier would not accept: a direct INSERT that passes is a seal
--     (perhaps of other rows, or in another order than kc_audit_seal()'s id
--     order, which the chain never promised: seq follows commits). Nothing here
--     trusts a setting (an earlier attempt carried the chain's tip in
--     set_config and was rejected as forgeable); the checks are on the data.
--     Concurrent inserters are serialised by the primary key (the second
--     one to take seq n fails) and by audit_head's row lock.
--   * audit_head: an UPDATE may only set (seq, hash) to the chain's last
--     row — which the insert trigger does — and may only move its scan
--     watermark (below) past rows that are chained. INSERT, DELETE and
--     TRUNCATE are refused. The pending pair (scan_next, scan_after) is a
--     hint, not checked: forged, it can at most let the next seal move the
--     watermark past an insert still in progress, whose row, committed
--     later, kc_audit_verify() then reports (below).
--   * As before, an owner or superuser can disable triggers; the chain (and
--     a copy of audit_head kept elsewhere) is what makes that detectable.
--     kc_audit_verify() reports a changed, removed or inserted audit row or
--     chain row, a chain row whose audit row is gone, rows cut off the end
--     (audit_head ahead of the last chain row), and, new, an audit row below
--     the scan watermark that is in no chain row (an insert made to be
--     skipped by the sealer, or a forged watermark).
--
-- Which rows are unsealed: those without a chain row. Finding them with a
-- partial index would need a column to update (the update this migration
-- removes), a queue table costs an insert and a delete per row, and an
-- anti-join of the whole log grows with it. Instead audit_head keeps a
-- watermark, scan_from: every audit row with id <= scan_from is chained or
-- will never exist (its insert rolled back). The seal looks only above it:
-- an index range of audit_log's primary key and one probe of
-- audit_chain.audit_id per row, a few batches' worth. (The anti-joins
-- repeat the bound on audit_chain.audit_id: without it a merge or hash
-- anti-join reads audit_chain from its first row, ten times a second.)
-- Moving the watermark safely is the subtle part, since ids are handed out
-- before the commit and a row may commit long after rows above it: a gap
-- in the ids may be an insert in progress or one rolled back. So:
--   1. audit_log_insert() gives the transaction its xid (pg_current_xact_id)
--      BEFORE it takes the row's id from audit_log_id_seq (the id is no
--      longer an identity default, which would be evaluated before any
--      trigger). So every id <= L was taken by a transaction whose xid was
--      assigned before L was the sequence's last value. (The sequence has
--      CACHE 1, as created here, and must keep it: with a cache a session
--      could take an id <= L from its cached range after L was read.)
--   2. The seal reads L = the sequence's last value, and only in its NEXT
--      statement (READ COMMITTED: a new snapshot S, taken after L was read)
--      reads the unsealed rows. Every transaction holding an id <= L then
--      has an xid < xmax(S). The pair (L, xmax(S)) is kept as pending
--      (scan_next, scan_after).
--   3. A later seal whose snapshot has xmin >= scan_after sees every such
--      transaction ended: its rows are visible, or gone for good. Having
--      chained every visible unsealed row above scan_from, it sets scan_from
--      to scan_next, and a new pending pair from its own L and snapshot.
-- Hence kc_audit_seal() refuses any isolation level but READ COMMITTED (its
-- statements must each take a new snapshot). A long transaction anywhere in
-- the cluster delays the watermark (the seal then looks at more rows),
-- never the sealing. A scan_after from another cluster (a logical restore;
-- larger than any xid assigned here) is reset, not trusted.

-- 1. The chain table, with the chain of the rows sealed so far.
create table audit_chain (
  seq bigint primary key check (seq > 0),   -- 1, 2, 3 ... without gaps
  audit_id bigint not null unique,          -- audit_log.id (not a foreign key: that would
                                            -- lock, i.e. write, the audit row at every seal)
  prev_hash bytea not null check (length(prev_hash) = 32),
  hash bytea not null check (length(hash) = 32)
);

-- audit_log's chain triggers go first: the seal trigger would refuse the
-- statements below, and audit_head's guard the head's new columns.
drop trigger audit_log_seal_row on audit_log;
drop function audit_log_seal_row();
drop trigger audit_head_guard on audit_head;
drop function audit_head_guard();

lock table audit_log in exclusive mode;   -- no insert in progress while we move the chain

insert into audit_chain (seq, audit_id, prev_hash, hash)
select seq, id, prev_hash, hash from audit_log where seq is not null order by seq;

alter table audit_head
  add column scan_from bigint not null default 0,   -- every audit row with id <= it is chained
  add column scan_next bigint not null default 0,   -- pending: the next scan_from ...
  add column scan_after xid8 not null default '0';  -- ... once every xid below this has ended

-- Every row is visible now (the lock above waited for the inserts in
-- progress): below the first unsealed row everything is chained.
update audit_head
   set scan_from = coalesce((select min(id) - 1 from audit_log where seq is null),
                            (select max(id) from audit_log), 0),
       scan_next = 0,
       scan_after = pg_snapshot_xmax(pg_current_snapshot())
 where id = 1;

-- 2. audit_log without its chain columns and their indexes. The unsealed
-- index (what the seal looked for) has no column left; seq's unique index
-- goes with seq; the record index was (record_type, record_id, seq) and is
-- now (record_type, record_id), for audit.list's history of one record
-- (equal keys deduplicated: a project's rows share one entry).
drop index audit_log_unsealed_idx;
drop index audit_log_record_idx;
drop function kc_audit_payload(audit_log);
alter table audit_log
  drop constraint audit_log_check,
  drop column seq,
  drop column prev_hash,
  drop column hash;
create index audit_log_record_idx on audit_log (record_type, record_id);

-- audit.list's time filter (from, to) without a user or record: at grows
-- with the heap (it is the insert's clock), so a BRIN index serves a range
-- as well, and an insert into the newest, unsummarised pages writes nothing
-- to it (the b-tree cost an entry per row). VACUUM summarises only full
-- ranges of 128 pages; CREATE INDEX summarises the last, partial one too,
-- whose summary every insert would then widen (a WAL record each): that
-- range is unsummarised again here (a query reads an unsummarised range
-- whole, a few thousand rows at most). A user's entries keep their b-tree
-- (user_id, at).
drop index audit_log_at_idx;
create index audit_log_at_brin on audit_log using brin (at);
select brin_desummarize_range('audit_log_at_brin',
                              greatest(pg_relation_size('audit_log') / current_setting('block_size')::bigint - 1, 0));

-- The id from a sequence taken in the insert trigger, after the xid (see
-- the header, 1.). The identity's sequence goes with the identity; the new
-- one starts after the last id handed out, rolled back or not.
do $$
declare
  v_last bigint := greatest(coalesce(pg_sequence_last_value('audit_log_id_seq'), 0),
                            coalesce((select max(id) from audit_log), 0));
begin
  alter table audit_log alter column id drop identity;
  create sequence audit_log_id_seq owned by audit_log.id;
  perform setval('audit_log_id_seq', greatest(v_last, 1), v_last > 0);
end $$;

-- The canonical text of 0003, unchanged in every byte ('kc-audit-v1'), with
-- the seq given by the chain row. Never change it in place; every stored
-- hash depends on it. STABLE for the same reason as 0003's (inlining).
create function kc_audit_payload(r audit_log, p_seq bigint) returns text
language sql stable as $$
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

-- BEFORE INSERT: the transaction's xid, then the row's id, then the time.
-- Any caller-supplied id or at is overwritten.
create or replace function audit_log_insert() returns trigger
language plpgsql as $$
begin
  perform pg_current_xact_id();              -- assigns the xid if there is none yet
  new.id := nextval('audit_log_id_seq');
  new.at := clock_timestamp();
  return new;
end $$;

-- No UPDATE at all now (the seal no longer updates): statement level, as
-- DELETE and TRUNCATE (0003's audit_log_refuse).
create trigger audit_log_no_update before update on audit_log
  for each statement execute function audit_log_refuse();

-- 3. audit_chain's triggers.
create function audit_chain_refuse() returns trigger
language plpgsql as $$
begin
  raise exception '% on audit_chain is not allowed: the audit chain is append-only', tg_op
    using errcode = 'insufficient_privilege';
end $$;

create trigger audit_chain_no_update before update on audit_chain
  for each statement execute function audit_chain_refuse();
create trigger audit_chain_no_delete before delete on audit_chain
  for each statement execute function audit_chain_refuse();
create trigger audit_chain_no_truncate before truncate on audit_chain
  for each statement execute function audit_chain_refuse();

-- AFTER INSERT, once per statement over its rows: they continue the chain
-- link by link (see the header), then audit_head is moved to the last one.
create function audit_chain_check() returns trigger
language plpgsql
set enable_hashjoin = off
set enable_mergejoin = off
set max_parallel_workers_per_gather = 0
set plan_cache_mode = force_custom_plan
as $$
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

create trigger audit_chain_check after insert on audit_chain
  referencing new table as new_rows
  for each statement execute function audit_chain_check();

-- 4. audit_head's guard, on the data alone (no setting, no trigger depth).
create function audit_head_refuse() returns trigger
language plpgsql as $$
begin
  raise exception '% on audit_head is not allowed: it changes only with an insert into audit_chain', tg_op
    using errcode = 'insufficient_privilege';
end $$;

create trigger audit_head_no_insert before insert on audit_head
  for each statement execute function audit_head_refuse();
create trigger audit_head_no_delete before delete on audit_head
  for each statement execute function audit_head_refuse();
create trigger audit_head_no_truncate before truncate on audit_head
  for each statement execute function audit_head_refuse();

create function audit_head_guard() returns trigger
language plpgsql
set enable_hashjoin = off
set enable_mergejoin = off
set max_parallel_workers_per_gather = 0
set plan_cache_mode = force_custom_plan
as $$
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

create trigger audit_head_guard before update on audit_head
  for each row execute function audit_head_guard();

-- 5. The seal: every committed unchained row, in id order, in one INSERT.
-- Same contract as 0003's: returns how many; p_wait false returns 0 at once
-- when another sealer holds audit_head; p_wait true waits, so that every
-- row committed before the call is chained when it returns; nothing is
-- written when there is nothing to do.
-- The plans: every query here reads a window of audit_log (above the
-- watermark) or the batch, and probes audit_chain by key. A generic plan
-- (PL/pgSQL's from the sixth call) guesses a third of the table above a
-- parameter and chose a sequential scan of audit_log, or a parallel hash
-- anti-join over all of audit_chain: 0.2-0.6 s for nothing to do at 950,000
-- rows, ten times a second. So, for the call (and the triggers it fires):
-- custom plans, which see the window's bound, and no hash or merge join or
-- parallel workers: nested loops over the window, O(batch) whatever the
-- log's size.
create or replace function kc_audit_seal(p_wait boolean default true) returns integer
language plpgsql
set enable_hashjoin = off
set enable_mergejoin = off
set max_parallel_workers_per_gather = 0
set plan_cache_mode = force_custom_plan
as $$
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

-- 6. The verifier: the chain in one statement and one snapshot, as 0003's,
-- reading each chain row's audit row by its id. Returns the first problem
-- in seq order, or no row when the log is intact:
--   * a gap in seq, a prev_hash that is not the hash before, a hash that is
--     not the one recomputed from the audit row (all as 0003);
--   * a chain row whose audit row is missing;
--   * audit_head disagreeing with the last chain row (rows cut off the end,
--     the head rewritten or deleted);
--   * an audit row at or below audit_head's watermark in no chain row,
--     reported at the seq of the first chain row after it (by id).
create or replace function kc_audit_verify()
returns table (first_bad_seq bigint, reason text)
language sql stable as $$
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
