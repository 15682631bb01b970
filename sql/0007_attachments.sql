-- 0007_attachments.sql — files on plans and projects (dossier documents,
-- decisions, acceptance records), uploaded in chunks through the protocol,
-- and the CSV import of projects into a draft plan (issue 3).
--
-- An upload is one row of attachments in status 'uploading' plus its
-- chunks, written by attachment.begin / attachment.put; attachment.finish
-- checks the size and SHA-256 of the chunks as stored here and only then
-- marks the row 'complete' (audited). Lists and downloads see complete rows
-- only. An upload that is aborted, fails its checksum, belongs to a
-- connection that closed (the server marks it abandoned) or was not touched
-- for an hour is deleted with its chunks (kc_attachment_sweep). Nothing
-- half-written is ever complete: the status changes in the statement that
-- verified the bytes.
--
-- Scope is the owner's: a province's users reach the attachments of the
-- plans and projects they may see; whoever may edit the owner uploads and
-- deletes (the province's roles, checked by the server's method table),
-- whoever may read it lists and downloads. Deleting is allowed while the
-- owner is a draft only.

create table attachments (
  id bigint generated always as identity primary key,
  owner_type text not null check (owner_type in ('plan', 'project')),
  owner_id bigint not null,
  -- sanitised by the server: no path separators, no control characters
  file_name text not null
    check (length(file_name) between 1 and 200 and file_name !~ '[/\\[:cntrl:]]'),
  mime_type text not null default 'application/octet-stream',
  size bigint not null check (size >= 0),
  sha256 bytea not null check (length(sha256) = 32),
  status text not null default 'uploading' check (status in ('uploading', 'complete')),
  -- while uploading: the bytes received, the connection that uploads
  -- ("instance:conn_id"), whether it gave up, when a chunk last came
  received bigint not null default 0,
  upload_conn text,
  abandoned boolean not null default false,
  touched_at timestamptz not null default now(),
  created_by bigint not null references users (id),
  created_at timestamptz not null default now(),
  completed_at timestamptz,
  version integer not null default 1,
  check (status = 'uploading' or (received = size and completed_at is not null))
);
create index attachments_owner_idx on attachments (owner_type, owner_id, id) where status = 'complete';
create index attachments_uploading_idx on attachments (touched_at) where status = 'uploading';
create index attachments_conn_idx on attachments (upload_conn) where status = 'uploading';

create table attachment_chunks (
  attachment_id bigint not null references attachments (id) on delete cascade,
  seq integer not null check (seq >= 0),
  byte_offset bigint not null check (byte_offset >= 0),
  data bytea not null check (length(data) between 1 and 1048576),
  primary key (attachment_id, seq)
);

-- A complete attachment's bytes are fixed.
create function attachment_chunks_guard() returns trigger
language plpgsql as $$
declare
  v_id bigint := case when tg_op = 'DELETE' then old.attachment_id else new.attachment_id end;
begin
  if tg_op <> 'DELETE' and exists (select 1 from attachments a
                                    where a.id = v_id and a.status = 'complete') then
    raise exception 'attachment % is complete: its content is fixed', v_id using errcode = 'KC011';
  end if;
  return case when tg_op = 'DELETE' then old else new end;
end $$;

create trigger attachment_chunks_guard before insert or update on attachment_chunks
  for each row execute function attachment_chunks_guard();

-- The owner's attachments go with it (a draft project or plan deleted).
create function attachments_owner_gone() returns trigger
language plpgsql as $$
begin
  delete from attachments where owner_type = tg_argv[0] and owner_id = old.id;
  return null;
end $$;

create trigger attachments_project_gone after delete on projects
  for each row execute function attachments_owner_gone('project');
create trigger attachments_plan_gone after delete on plans
  for each row execute function attachments_owner_gone('plan');

-- The owner as the caller may see it: (found, status). A project's scope
-- is its plan's.
create function kc_attachment_owner(p_type text, p_id bigint, p_scope bigint,
                                    out ok boolean, out status text)
language sql stable as $$
  select coalesce(bool_or(true), false), min(x.status) from (
    select pl.status from plans pl
     where p_type = 'plan' and pl.id = p_id
       and kc_plan_visible(pl.org_id, pl.scope, pl.status, p_scope)
    union all
    select pr.status from projects pr join plans pl on pl.id = pr.plan_id
     where p_type = 'project' and pr.id = p_id
       and kc_plan_visible(pl.org_id, pl.scope, pl.status, p_scope)) x
$$;

-- Type from the first bytes (magic numbers), the name only to tell CSV
-- from other plain text.
create function kc_attachment_sniff(p_head bytea, p_name text) returns text
language plpgsql immutable as $$
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
end $$;

create function kc_attachment_json(a attachments) returns jsonb
language sql stable as $$
  select jsonb_build_object('id', a.id, 'owner_type', a.owner_type, 'owner_id', a.owner_id,
                            'file_name', a.file_name, 'mime_type', a.mime_type, 'size', a.size,
                            'sha256', encode(a.sha256, 'hex'), 'status', a.status,
                            'created_by', a.created_by, 'created_at', kc_instant(a.created_at),
                            'version', a.version)
$$;

-- Deletes the uploads that were abandoned (their connection closed) or not
-- touched for p_max_age; returns how many. The server calls it once a
-- minute; an operator may call it too.
create function kc_attachment_sweep(p_max_age interval default interval '1 hour') returns integer
language sql as $$
  with gone as (delete from attachments
                 where status = 'uploading'
                   and (abandoned or touched_at < now() - p_max_age)
                returning 1)
  select count(*)::integer from gone
$$;

-- The connection p_conn closed: its uploads will never finish.
create function kc_attachment_abandon(p_conn text) returns integer
language sql as $$
  with m as (update attachments set abandoned = true
              where status = 'uploading' and upload_conn = p_conn returning 1)
  select count(*)::integer from m
$$;

-- attachment.begin {owner_type, owner_id, file_name, size, sha256}; the
-- server has sanitised the name, checked the size against its maximum and
-- passes its connection key in p->>'conn'.
create function kc_attachment_begin(p_user bigint, p_username text, p_peer text, p_role text,
                                    p_scope bigint, p jsonb) returns jsonb
language plpgsql as $$
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

-- The upload p->>'id' as its uploader may continue it (same user, same
-- connection, still uploading and not abandoned), locked; null if none.
create function kc_attachment_upload(p_user bigint, p jsonb) returns attachments
language sql as $$
  select a.* from attachments a
   where a.id = (p->>'id')::bigint and a.status = 'uploading' and not a.abandoned
     and a.created_by = p_user and a.upload_conn is not distinct from p->>'conn'
   for update
$$;

-- attachment.put {id, seq, data}: chunks in order from 0; the same chunk
-- sent again (a retry after a lost reply) is accepted once more.
create function kc_attachment_put(p_user bigint, p_username text, p_peer text, p_role text,
                                  p_scope bigint, p jsonb) returns jsonb
language plpgsql as $$
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

-- attachment.finish {id}: size and SHA-256 of the chunks as stored; a
-- mismatch deletes the upload (1022). Audited.
create function kc_attachment_finish(p_user bigint, p_username text, p_peer text, p_role text,
                                     p_scope bigint, p jsonb) returns jsonb
language plpgsql as $$
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

-- attachment.abort {id}: the upload and its chunks are gone (not audited:
-- nothing was ever created).
create function kc_attachment_abort(p_user bigint, p_username text, p_peer text, p_role text,
                                    p_scope bigint, p jsonb) returns jsonb
language plpgsql as $$
declare
  a attachments := kc_attachment_upload(p_user, p);
begin
  if a.id is null then
    return kc_err(1004, 'no such upload');
  end if;
  delete from attachments where id = a.id;
  return jsonb_build_object('result', jsonb_build_object('id', a.id, 'aborted', true));
end $$;

-- attachment.list {owner_type, owner_id, limit?, cursor?}: complete ones.
create function kc_attachment_list(p_scope bigint, p jsonb) returns jsonb
language plpgsql stable as $$
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

-- attachment.get {id, offset?, length?}: bytes [offset, offset + length)
-- read from the chunks that hold them.
create function kc_attachment_get(p_scope bigint, p jsonb) returns jsonb
language plpgsql stable as $$
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

-- attachment.delete {id, version}: while the owner is a draft. Audited.
create function kc_attachment_delete(p_user bigint, p_username text, p_peer text, p_role text,
                                     p_scope bigint, p jsonb) returns jsonb
language plpgsql as $$
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

-- ---------------------------------------------------------------------------
-- project.import {plan_id, rows: [{row, project, fields}], errors: [...]}
--
-- The server parsed the CSV and checked each cell (errors: [{row, column,
-- message}], with the bad cells left out of the row's project); here every
-- row goes through kc_project_create, whose violations are mapped back to
-- the CSV columns through the row's fields map (project field -> column).
-- All rows or none: on any error everything this call wrote is rolled back
-- and the whole list is answered as one 1022.
-- ---------------------------------------------------------------------------

create function kc_project_import(p_user bigint, p_username text, p_peer text, p_role text,
                                  p_scope bigint, p jsonb) returns jsonb
language plpgsql as $$
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
end $$;
