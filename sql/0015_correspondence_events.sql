-- 0015_correspondence_events.sql — live updates for correspondence (topic
-- "correspondence", sql/0014): a request opened, answered, closed or
-- replied to is announced to its province (and the province it was merged
-- into) and to the Ministry, which answers every province's requests.

create function kc_event_notify_org(p_topic text, p_id bigint, p_status text, p_version integer,
                                    p_org_id bigint, p_ministry boolean) returns void
language plpgsql as $$
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

create function correspondence_event() returns trigger
language plpgsql as $$
begin
  if tg_op = 'INSERT' or new.status is distinct from old.status
     or new.version is distinct from old.version then
    perform kc_event_notify_org('correspondence', new.id, new.status, new.version, new.org_id, true);
  end if;
  return null;
end $$;

create trigger correspondence_event after insert or update on correspondence
  for each row execute function correspondence_event();

create function correspondence_message_event() returns trigger
language plpgsql as $$
declare
  c correspondence;
begin
  select * into c from correspondence where id = new.correspondence_id;
  perform kc_event_notify_org('correspondence', c.id, c.status, c.version, c.org_id, true);
  return null;
end $$;

create trigger correspondence_messages_event after insert on correspondence_messages
  for each row execute function correspondence_message_event();
