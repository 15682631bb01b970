-- 0014_events.sql — live updates (issue 4 "Live updates", PROTOCOL.md events).
--
-- A change that someone else's open window should show is announced with
-- NOTIFY kc_event, so every kc-server process on this database hears it
-- (each LISTENs on one extra connection) and forwards it to its subscribed
-- connections within a second. Nothing is announced for a transaction that
-- rolls back.
--
-- The writer does not NOTIFY itself: it puts the event in event_outbox, in
-- its own transaction, and kc_event_publish() -- called with the audit seal
-- ten times a second by every kc-server -- sends what has committed and
-- removes it. PostgreSQL's NOTIFY takes one cluster-wide lock at commit and
-- keeps it until the commit is flushed, so with a NOTIFY in every write the
-- writes committed one at a time, without group commit (issue 7); now one
-- transaction a batch takes it.
--
-- The payload says who may see the record, so that a server can decide per
-- connection without asking the database again:
--   provinces  the province org ids whose users see it: the province that
--              owns the plan, and any province it was merged into in 2025
--              (org_lineage), as kc_plan_visible/org_scope decide
--   ministry   whether Ministry-side users see it (local plans always;
--              national ones once they left the province)
-- The server strips both before sending: a client gets {topic, id, status,
-- version, at} as PROTOCOL.md fixes it.

create table event_outbox (
  id bigint generated always as identity primary key,
  payload text not null
);

-- Sends the committed events in id order (for one record, the order of its
-- commits: its writers hold its row lock until they commit) and removes
-- them, in one transaction; returns how many. One publisher at a time, so
-- that no two send one record's events out of order: while another server
-- publishes it returns 0 at once (that one sends them).
create function kc_event_publish() returns integer
language plpgsql as $$
declare
  r event_outbox;
  v_ids bigint[] := '{}';
begin
  if not pg_try_advisory_xact_lock(8474002) then
    return 0;
  end if;
  for r in select * from event_outbox order by id loop
    perform pg_notify('kc_event', r.payload);
    v_ids := v_ids || r.id;
  end loop;
  if cardinality(v_ids) > 0 then
    delete from event_outbox where id = any (v_ids);
  end if;
  return cardinality(v_ids);
end $$;

create function kc_event_notify(p_topic text, p_id bigint, p_status text, p_version integer,
                                p_plan_id bigint) returns void
language plpgsql as $$
declare
  pl plans;
  v_province bigint;
begin
  select * into pl from plans where id = p_plan_id;
  if not found then
    return;
  end if;
  v_province := kc_scope_root(pl.org_id);
  insert into event_outbox (payload) values (json_build_object(
    'topic', p_topic, 'id', p_id, 'status', p_status, 'version', p_version,
    'at', kc_instant(clock_timestamp()),
    'provinces', coalesce((select json_agg(x) from (
                   select v_province as x where v_province is not null
                   union
                   select l.new_org_id from org_lineage l where l.old_org_id = v_province) s),
                 '[]'::json),
    'ministry', pl.scope = 'local' or pl.status not in ('draft', 'submitted'))::text);
end $$;

create function projects_event() returns trigger
language plpgsql as $$
begin
  if tg_op = 'INSERT' or new.status is distinct from old.status
     or new.stage is distinct from old.stage or new.version is distinct from old.version then
    perform kc_event_notify('project', new.id, new.status, new.version, new.plan_id);
  end if;
  return null;
end $$;

create trigger projects_event after insert or update on projects
  for each row execute function projects_event();

create function plans_event() returns trigger
language plpgsql as $$
begin
  if tg_op = 'INSERT' or new.status is distinct from old.status
     or new.version is distinct from old.version then
    perform kc_event_notify('plan', new.id, new.status, new.version, new.id);
  end if;
  return null;
end $$;

create trigger plans_event after insert or update on plans
  for each row execute function plans_event();

-- Money and comments are announced under the project they belong to: the
-- event's id is the project's, so a window showing that project reloads it.
create function project_child_event() returns trigger
language plpgsql as $$
declare
  pr projects;
begin
  select * into pr from projects where id = new.project_id;
  perform kc_event_notify(tg_argv[0], pr.id, pr.status, pr.version, pr.plan_id);
  return null;
end $$;

create trigger allocations_event after insert on allocations
  for each row execute function project_child_event('allocation');
create trigger disbursements_event after insert on disbursements
  for each row execute function project_child_event('payment');
create trigger review_comments_event after insert on review_comments
  for each row execute function project_child_event('comment');
