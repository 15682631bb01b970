-- 0037_progress_spent.sql — a monthly progress report says what was spent,
-- by funding source (issue 16 point 1: "money spent by source").
--
-- progress.report takes spent {central?, local?, counterpart?, other?}: đồng
-- spent since the project began, as of the month reported on. kc-server
-- checks the shape (sources, integers ≥ 0); the table checks it again. The
-- value reaches the row through a transaction-local setting read by a
-- trigger, so 0033's kc_progress_report stays the one writer and its audit
-- row carries the spending with the rest of the report.

create function kc_spent_ok(p jsonb) returns boolean
language sql immutable as $$
  select jsonb_typeof(p) = 'object'
     and not exists (select 1 from jsonb_each(p) e
                      where e.key not in ('central', 'local', 'counterpart', 'other')
                         or jsonb_typeof(e.value) <> 'number'
                         or (e.value)::numeric < 0
                         or (e.value)::numeric <> trunc((e.value)::numeric)
                         or (e.value)::numeric > 1000000000000000)
$$;

alter table project_progress_reports
  add column spent jsonb not null default '{}' check (kc_spent_ok(spent));

create function progress_spent_from_call() returns trigger
language plpgsql as $$
declare
  v text := current_setting('kc.progress_spent', true);
begin
  if v is not null and v <> '' then
    new.spent := v::jsonb;
  end if;
  return new;
end $$;

create trigger project_progress_reports_spent before insert or update on project_progress_reports
  for each row execute function progress_spent_from_call();

alter function kc_progress_json(project_progress_reports) rename to kc_progress_json_0033;

create function kc_progress_json(r project_progress_reports) returns jsonb
language sql stable as $$
  select kc_progress_json_0033(r) || jsonb_build_object('spent', r.spent)
$$;

alter function kc_progress_report(bigint, text, text, text, bigint, jsonb)
  rename to kc_progress_report_0033;

create function kc_progress_report(p_user bigint, p_username text, p_peer text, p_role text,
                                   p_scope bigint, p jsonb) returns jsonb
language plpgsql as $$
declare
  v_res jsonb;
begin
  perform set_config('kc.progress_spent',
                    case when jsonb_typeof(p->'spent') = 'object' then (p->'spent')::text else '{}' end,
                    true);
  v_res := kc_progress_report_0033(p_user, p_username, p_peer, p_role, p_scope, p - 'spent');
  perform set_config('kc.progress_spent', '', true);
  return v_res;
end $$;
