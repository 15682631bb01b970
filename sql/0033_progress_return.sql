-- 0033_progress_return.sql — the Department returns a monthly progress
-- report (issue 16 point 1: "confirm or return each progress report").
--
-- TT 36/2013 Art. 23.3: the Department (SCT) checks the implementer's
-- monthly report; a report it does not accept goes back with its reasons
-- and the implementer reports that month again. A returned report keeps
-- its row (returned_by/at, return_comment, version raised); it cannot be
-- confirmed; progress.report of the same month replaces it in place (new
-- figures, submitted again, lateness counted from the new submission) —
-- the audit log keeps what was returned. A confirmed report cannot be
-- returned (1010, status confirmed).
--
-- Replaced: kc_progress_json, kc_progress_report, kc_progress_confirm (0008).
-- New: kc_progress_return (progress.return {id, version, comment}).

alter table project_progress_reports
  add column returned_by bigint references users (id),
  add column returned_at timestamptz,
  add column return_comment text check (return_comment is null or length(return_comment) between 1 and 20000),
  add constraint project_progress_returned_whole
    check ((returned_at is null) = (returned_by is null) and (returned_at is null) = (return_comment is null)),
  add constraint project_progress_returned_unconfirmed
    check (returned_at is null or confirmed_at is null);

create or replace function kc_progress_json(r project_progress_reports) returns jsonb
language sql stable as $$
  select jsonb_build_object('id', r.id, 'project_id', r.project_id,
                            'period', to_char(r.period, 'YYYY-MM'),
                            'percent_done', r.percent_done, 'indicators', r.indicators,
                            'difficulties', r.difficulties, 'submitted_by', r.submitted_by,
                            'submitted_at', kc_instant(r.submitted_at), 'late', r.late,
                            'due', make_date(extract(year from r.period)::integer,
                                             extract(month from r.period)::integer, 25),
                            'confirmed_by', r.confirmed_by,
                            'confirmed_at', kc_instant(r.confirmed_at),
                            'confirmed', r.confirmed_at is not null,
                            'returned', r.returned_at is not null, 'returned_by', r.returned_by,
                            'returned_at', kc_instant(r.returned_at),
                            'return_comment', r.return_comment, 'version', r.version)
$$;

-- progress.report: as 0008, but a month whose report was returned is
-- reported again into the same row.
create or replace function kc_progress_report(p_user bigint, p_username text, p_peer text, p_role text,
                                              p_scope bigint, p jsonb) returns jsonb
language plpgsql as $$
declare
  pr projects;
  v plans;
  k project_kinds;
  r project_progress_reports;
  v_old project_progress_reports;
  v_period date := to_date(p->>'period' || '-01', 'YYYY-MM-DD');
  v_last date;
  v_viol jsonb;
  v_before jsonb;
begin
  select * into pr from projects where id = (p->>'project_id')::bigint for update;
  if found then
    select * into v from plans where id = pr.plan_id;
  end if;
  if pr.id is null or p_scope is null or not kc_plan_visible(v.org_id, v.scope, v.status, p_scope) then
    return kc_err(1004, 'no such project');
  end if;
  if pr.status not in ('approved', 'in_progress') then
    return kc_err(1010, format('progress is reported on an approved project; this project is %s', pr.status),
                  jsonb_build_object('status', pr.status));
  end if;
  select * into v_old from project_progress_reports x
   where x.project_id = pr.id and x.period = v_period for update;
  select * into k from project_kinds where code = pr.kind;
  v_last := date_trunc('month', coalesce(pr.end_date,
              make_date(v.year + coalesce(k.max_years, 1) - 1 + kc_project_extension(pr.id), 12, 31)))::date;
  select coalesce(jsonb_agg(x), '[]'::jsonb) into v_viol from (
    select kc_violation('period', 'project_period',
                        format('the period is a month of the project, %s to %s',
                               to_char(make_date(v.year, 1, 1), 'MM/YYYY'), to_char(v_last, 'MM/YYYY'))) as x
     where v_period < make_date(v.year, 1, 1) or v_period > v_last
    union all
    select kc_violation('period', 'unique', format('progress for %s is already reported', p->>'period'))
     where v_old.id is not null and v_old.returned_at is null
    union all
    select e from jsonb_array_elements(kc_achieved_violations(pr.id, p->'indicators')) e) t;
  if jsonb_array_length(v_viol) > 0 then
    return kc_err(1022, v_viol->0->>'message', jsonb_build_object('violations', v_viol));
  end if;
  if v_old.id is not null then
    v_before := kc_progress_json(v_old);
    update project_progress_reports
       set percent_done = (p->>'percent_done')::integer, indicators = coalesce(p->'indicators', '[]'),
           difficulties = p->>'difficulties', submitted_by = p_user, submitted_at = now(),
           late = (now() at time zone 'Asia/Ho_Chi_Minh')::date >= kc_progress_due(v_period),
           returned_by = null, returned_at = null, return_comment = null, version = version + 1
     where id = v_old.id
    returning * into r;
  else
    insert into project_progress_reports (project_id, period, percent_done, indicators, difficulties,
                                          submitted_by, late)
    values (pr.id, v_period, (p->>'percent_done')::integer, coalesce(p->'indicators', '[]'),
            p->>'difficulties', p_user,
            (now() at time zone 'Asia/Ho_Chi_Minh')::date > v_period + 24)
    returning * into r;
  end if;
  perform kc_audit(p_user, p_username, p_peer, 'progress.report', 'progress_report', r.id, v_before,
                   kc_progress_json(r));
  return jsonb_build_object('result', kc_progress_json(r));
end $$;

-- progress.confirm: as 0008; a returned report waits for its new version.
create or replace function kc_progress_confirm(p_user bigint, p_username text, p_peer text, p_role text,
                                               p_scope bigint, p jsonb) returns jsonb
language plpgsql as $$
declare
  r project_progress_reports;
  v plans;
  v_err jsonb;
  v_before jsonb;
begin
  select * into r from project_progress_reports where id = (p->>'id')::bigint for update;
  if found then
    select pl.* into v from plans pl join projects pr on pr.plan_id = pl.id where pr.id = r.project_id;
  end if;
  v_err := kc_record_check('progress report', r.id is not null and p_scope is not null
                                              and kc_plan_visible(v.org_id, v.scope, v.status, p_scope),
                           r.version, (p->>'version')::integer,
                           case when r.confirmed_at is not null then 'confirmed'
                                when r.returned_at is not null then 'returned' else 'submitted' end,
                           array['submitted']);
  if v_err is not null then
    return v_err;
  end if;
  v_before := kc_progress_json(r);
  update project_progress_reports set confirmed_by = p_user, confirmed_at = now(), version = version + 1
   where id = r.id returning * into r;
  perform kc_audit(p_user, p_username, p_peer, 'progress.confirm', 'progress_report', r.id, v_before,
                   kc_progress_json(r));
  return jsonb_build_object('result', kc_progress_json(r));
end $$;

-- progress.return {id, version, comment}: the Department sends a report
-- back to be reported again (province_leader; the server's gate).
create function kc_progress_return(p_user bigint, p_username text, p_peer text, p_role text,
                                   p_scope bigint, p jsonb) returns jsonb
language plpgsql as $$
declare
  r project_progress_reports;
  v plans;
  v_err jsonb;
  v_before jsonb;
begin
  select * into r from project_progress_reports where id = (p->>'id')::bigint for update;
  if found then
    select pl.* into v from plans pl join projects pr on pr.plan_id = pl.id where pr.id = r.project_id;
  end if;
  v_err := kc_record_check('progress report', r.id is not null and p_scope is not null
                                              and kc_plan_visible(v.org_id, v.scope, v.status, p_scope),
                           r.version, (p->>'version')::integer,
                           case when r.confirmed_at is not null then 'confirmed'
                                when r.returned_at is not null then 'returned' else 'submitted' end,
                           array['submitted']);
  if v_err is not null then
    return v_err;
  end if;
  v_before := kc_progress_json(r);
  update project_progress_reports
     set returned_by = p_user, returned_at = now(), return_comment = p->>'comment', version = version + 1
   where id = r.id returning * into r;
  perform kc_audit(p_user, p_username, p_peer, 'progress.return', 'progress_report', r.id, v_before,
                   kc_progress_json(r));
  return jsonb_build_object('result', kc_progress_json(r));
end $$;
