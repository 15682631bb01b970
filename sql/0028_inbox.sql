-- 0028_inbox.sql — what awaits me (issue 16, server side): inbox.list,
-- inbox.mark_seen, the "inbox" event topic, and report.dashboard.
--
-- inbox.list answers, for the caller, one item per thing they must do, with
-- the day it is due by, whether it is late (against kc_today(), the calendar
-- day in Vietnam), the record it opens (ref) and the province it belongs to.
-- An item is derived from the state of its record every time, never stored:
-- it disappears the moment the act is done (the plan appraised, the report
-- confirmed, the project settled, ...), whoever did it, and can never
-- outlive its cause.
--
-- Which role sees which kind is data (inbox_kinds.roles), not C: a province
-- that wants its leader to see the officers' progress items adds the role.
-- Scope is checked here, in SQL: a province's users get items of their
-- province (org_scope: with what it inherited in 2025) only; the Ministry
-- side what kc_plan_visible shows it (local plans; national plans once
-- forwarded) and every province's correspondence.
--
-- "What changed since I last looked": inbox_seen keeps, per user, the
-- instant of their last look (inbox.mark_seen, audited). inbox.list takes
-- `since` (else that mark, else 7 days ago): items whose cause is later are
-- `new`, and `changes` lists the status changes of the caller's records by
-- others since then (project_history, plan_history).
--
-- Live: items come and go with records that already announce themselves
-- (topics project, plan, correspondence of 0014/0015) and with these, which
-- did not, now announced under the topic "inbox" (id = the record, status =
-- the kind that may have come or gone): a progress report filed or
-- confirmed, an adjustment requested or decided, a reviewer assigned, a
-- score given, a province report sent. Items that come with the calendar (a
-- new month's progress report, a report period's cut-off, lateness) have no
-- event: a client refreshes at midnight, Vietnam time.
--
-- Functions replaced (same results, faster; docs/performance.md):
-- kc_working_day_due (0013) as PL/pgSQL, kc_overdue_items (0020, at the end
-- of this file) worked out per plan. Added: an index on project_history (at)
-- and plan_history (at), for `changes`.

-- ---------------------------------------------------------------------------
-- Kinds
-- ---------------------------------------------------------------------------
create table inbox_kinds (
  kind text primary key check (kind ~ '^[a-z][a-z_]{1,63}$'),
  roles text[] not null check (roles <@ array['province_officer', 'province_leader', 'ministry_reviewer',
                                               'ministry_approver', 'admin', 'viewer']),
  sort smallint not null,
  name_vi text not null,
  name_en text not null,
  legal_basis text
);

insert into inbox_kinds (kind, roles, sort, name_vi, name_en, legal_basis) values
  ('plan_returned', '{province_officer}', 1, 'Kế hoạch bị trả lại', 'Plan sent back by the Department',
   'TT 36/2013/TT-BCT Điều 8 khoản 1 điểm a'),
  ('project_revision', '{province_officer}', 2, 'Đề án được yêu cầu bổ sung, chỉnh sửa',
   'Project sent back for revision by the Ministry', 'DOMAIN §2.11 bước 7 [U]'),
  ('registration_due', '{province_officer}', 3, 'Đăng ký kế hoạch khuyến công quốc gia',
   'Register the national plan', 'TT 36/2013/TT-BCT Điều 6 (sửa đổi bởi TT 17/2018/TT-BCT): trước 20/6'),
  ('plan_to_appraise', '{province_leader}', 4, 'Kế hoạch chờ thẩm định cấp cơ sở',
   'Plan to appraise (base appraisal)', 'TT 36/2013/TT-BCT Điều 8 khoản 1 điểm a'),
  ('progress_due', '{province_officer}', 5, 'Báo cáo tiến độ hằng tháng', 'Monthly progress report due',
   'TT 36/2013/TT-BCT Điều 23 khoản 3 điểm a: trước ngày 25'),
  ('progress_to_confirm', '{province_leader}', 6, 'Báo cáo tiến độ chờ xác nhận',
   'Progress report to confirm', 'TT 36/2013/TT-BCT Điều 23 khoản 3'),
  ('adjustment_to_decide', '{province_leader,ministry_reviewer,ministry_approver}', 7,
   'Đề nghị điều chỉnh chờ quyết định', 'Adjustment request to decide', 'TT 36/2013/TT-BCT Điều 11'),
  ('acceptance_due', '{province_leader}', 8, 'Đề án đến hạn nghiệm thu', 'Project due for acceptance',
   'TT 36/2013/TT-BCT Điều 14, 21, 23 khoản 5'),
  ('settlement_dossier_due', '{province_officer}', 9, 'Hồ sơ quyết toán', 'Settlement dossier due',
   'TT 36/2013/TT-BCT Điều 18: 15 ngày sau nghiệm thu, chậm nhất 22/01 năm sau'),
  ('settlement_due', '{province_leader,ministry_approver}', 10, 'Đề án chờ quyết toán', 'Project to settle',
   'TT 36/2013/TT-BCT Điều 18, 19; NĐ 45/2012/NĐ-CP Điều 16 (địa phương)'),
  ('province_report_due', '{province_leader}', 11, 'Báo cáo định kỳ của tỉnh', 'Province periodic report due',
   'TT 36/2013/TT-BCT Điều 21 khoản 5; NĐ 09/2019/NĐ-CP [U]'),
  ('correspondence_answered', '{province_officer,province_leader}', 12, 'Kiến nghị đã được Bộ trả lời',
   'Request answered by the Ministry', 'CV 8474/BCT-CTĐP (07/11/2019)'),
  ('correspondence_to_answer', '{ministry_reviewer,ministry_approver}', 13, 'Kiến nghị của địa phương chờ trả lời',
   'Province request to answer', 'CV 8474/BCT-CTĐP (07/11/2019)'),
  ('review_to_assign', '{ministry_approver}', 14, 'Đề án chờ phân công thẩm định', 'Project to assign a reviewer',
   'TT 36/2013/TT-BCT Điều 8 khoản 2'),
  ('review_to_score', '{ministry_reviewer,ministry_approver}', 15, 'Đề án chờ chấm điểm thẩm định',
   'Project to score', 'TT 36/2013/TT-BCT Điều 9'),
  ('review_to_decide', '{ministry_approver}', 16, 'Đề án đã chấm điểm chờ quyết định', 'Scored project to decide',
   'TT 36/2013/TT-BCT Điều 7, 8 khoản 2'),
  ('plan_decision_due', '{ministry_approver}', 17, 'Đề án đã thẩm định chờ quyết định giao kế hoạch',
   'Appraised projects awaiting the plan decision', 'TT 36/2013/TT-BCT Điều 8 khoản 3');
-- Reporting rounds (issue 15, round.* of sql/0026, another branch this
-- session): once merged, add here
--   ('round_report_due', '{province_leader}', ...)  round_reports of the
--       caller's province with status not_started / drafting / returned
--       (sent_back when returned), due rounds.due_on;
--   ('round_report_to_review', '{ministry_reviewer,ministry_approver}', ...)
--       round_reports with status sent;
-- with their branches in kc_inbox_items and an "inbox" event on
-- round_reports (that branch announces them under "round_report" already).

-- The last look of each user.
create table inbox_seen (
  user_id bigint primary key references users (id),
  seen_at timestamptz not null
);

create index project_history_at_idx on project_history (at);
create index plan_history_at_idx on plan_history (at);

-- An instant to the microsecond (RFC 3339): as_of and seen_at are given
-- back as `since`/`at`, and an item caused in the same second as the look
-- must still compare right.
create function kc_inbox_instant(t timestamptz) returns text
language sql stable strict as $$
  select to_char(t at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
$$;

create function kc_inbox_wants(p_role text, p_kind text) returns boolean
language sql stable as $$
  select exists (select 1 from inbox_kinds k where k.kind = p_kind and p_role = any (k.roles))
$$;

-- kc_working_day_due (0013) as PL/pgSQL, same result: the p_days-th working
-- day (Monday–Friday, not in holidays) after p_from, null when none within
-- p_from + 3 × p_days + 60. The SQL version, a generate_series and a window
-- planned anew on every call, cost about a millisecond per open request, so
-- the Ministry's inbox (and deadline.overdue) paid a quarter of a second for
-- 200 requests.
create or replace function kc_working_day_due(p_from date, p_days integer) returns date
language plpgsql stable as $$
declare
  d date := p_from;
  n integer := 0;
  v_off date[];
begin
  if p_days is null or p_days < 1 then
    return null;
  end if;
  -- one query for the holidays in reach; the loop then runs on simple
  -- expressions only, which PL/pgSQL evaluates without the executor
  v_off := array(select h.day from holidays h where h.day > p_from and h.day <= p_from + 3 * p_days + 60);
  while d < p_from + 3 * p_days + 60 loop
    d := d + 1;
    if extract(isodow from d) < 6 and not (d = any (v_off)) then
      n := n + 1;
      if n = p_days then
        return d;
      end if;
    end if;
  end loop;
  return null;
end $$;

-- ---------------------------------------------------------------------------
-- The items
-- ---------------------------------------------------------------------------
-- Every branch is gated by kc_inbox_wants(p_role, kind), a condition on the
-- parameters alone: PostgreSQL evaluates it once (a one-time filter) and
-- never runs the branches of kinds the role does not see.
-- @p_orgs: org_scope(p_scope) as an array (null on the Ministry side), given
-- by the caller so that the planner sees how few plans a province has.
create function kc_inbox_items(p_user bigint, p_role text, p_scope bigint, p_orgs bigint[], p_today date)
returns table (kind text, plan_org bigint, ref_type text, ref_id bigint, plan_id bigint,
               project_id bigint, code text, title text, due_on date, since timestamptz,
               sent_back boolean, detail jsonb)
language sql stable as $$
  with
  -- the plans the caller sees (kc_plan_visible)
  vp as materialized (
    select pl.id, pl.org_id, pl.year, pl.scope, pl.status, pl.title, pl.submitted_at, pl.appraised_at,
           pl.appraisal_decision
      from plans pl
     where (p_scope is null and (pl.scope = 'local' or pl.status not in ('draft', 'submitted')))
        or (p_scope is not null and pl.org_id = any (p_orgs))),
  -- running projects (approved, in progress) of the caller's province
  -- (per plan by index: a province has a few dozen plans, and "offset 0" keeps the planner
  -- from trading that for a scan of every running project of the country)
  running as (
    select pr.id, pr.code, pr.title, pr.start_date, pr.end_date, pr.kind, pr.updated_at,
           v.id as plan_id, v.org_id, v.year, v.scope
      from vp v,
      lateral (select * from projects pr
                where pr.plan_id = v.id and pr.status in ('approved', 'in_progress') offset 0) pr
     where p_scope is not null),
  -- the Ministry's appraisal queue (forwarded or resubmitted national projects)
  queue as (
    select pr.id, pr.code, pr.title, pr.plan_id, v.org_id, coalesce(x.at, pr.updated_at) as arrived_at
      from projects pr join vp v on v.id = pr.plan_id
      left join lateral (select x.at from project_versions x where x.project_id = pr.id
                          order by x.version desc limit 1) x on true
     where pr.status = 'submitted' and pr.stage in ('base_appraised', 'resubmitted')
       and v.scope = 'national'),
  criteria as (select count(*) as n from review_criteria),
  -- accepted projects with their settlement day: kc_settle_due (0012, with the extension of
  -- 0022) written out, the earlier of acceptance + 15 days and 22/01 after the last year the
  -- project runs in; as a function per row it cost seconds at national size
  accepted as (
    select pr.id, pr.code, pr.title, pr.stage, v.id as plan_id, v.org_id, v.scope, a.accepted_on,
           a.accepted_at,
           least(a.accepted_on + 15,
                 make_date(greatest(v.year + case when exists (select 1 from project_adjustments x
                                                                where x.project_id = pr.id
                                                                  and x.type = 'extend_next_year'
                                                                  and x.status = 'approved')
                                                       or exists (select 1 from plan_decision_items i
                                                                   where i.project_id = pr.id
                                                                     and i.action = 'extend')
                                                       then 1 else 0 end,
                                    coalesce((select max(c.to_year) from carry_overs c where c.project_id = pr.id),
                                             v.year)) + 1, 1, 22)) as settle_due
      from projects pr join vp v on v.id = pr.plan_id join project_acceptances a on a.project_id = pr.id
     where pr.status = 'completed')
  -- a plan sent back by the province leader
  select 'plan_returned'::text, v.org_id, 'plan'::text, v.id, v.id, null::bigint, null::text,
         coalesce(v.title, format('Kế hoạch %s năm %s', case v.scope when 'national' then 'KCQG' else 'KCĐP' end,
                                  v.year)),
         case when v.scope = 'national'
              then coalesce(kc_calendar_due('registration_deadline', v.year), make_date(v.year - 1, 6, 20)) end,
         v.appraised_at, true, jsonb_build_object('year', v.year, 'scope', v.scope)
    from vp v
   where kc_inbox_wants(p_role, 'plan_returned') and p_scope is not null
     and v.status = 'draft' and v.appraisal_decision = 'return'
  union all
  -- a project the Ministry asked to revise
  select 'project_revision', v.org_id, 'project', pr.id, v.id, pr.id, pr.code, pr.title, null::date,
         coalesce((select max(h.at) from project_history h where h.project_id = pr.id), pr.updated_at),
         true, '{}'::jsonb
    from vp v join projects pr on pr.plan_id = v.id
   where kc_inbox_wants(p_role, 'project_revision') and p_scope is not null
     and pr.status = 'revision_requested'
  union all
  -- registration of next year's national plan: from 1 May (DOMAIN "May – 20 June") until a
  -- national plan of that year is submitted; for a province working in the system (a plan
  -- this year or next)
  select 'registration_due', p_scope, case when n.id is null then 'plan_year' else 'plan' end,
         coalesce(n.id, y.year), n.id, null, null,
         format('Đăng ký kế hoạch khuyến công quốc gia năm %s', y.year), y.due, null::timestamptz, false,
         jsonb_build_object('year', y.year, 'scope', 'national')
    from (select extract(year from p_today)::integer + 1 as year) yy,
         lateral (select yy.year,
                         coalesce(kc_calendar_due('registration_deadline', yy.year),
                                  make_date(yy.year - 1, 6, 20)) as due) y
    left join lateral (select v.id from vp v where v.scope = 'national' and v.year = y.year
                        order by v.id limit 1) n on true
   where kc_inbox_wants(p_role, 'registration_due') and p_scope is not null
     and p_today >= make_date(y.year - 1, 5, 1)
     and exists (select 1 from vp v where v.year in (y.year - 1, y.year))
     and not exists (select 1 from vp v where v.scope = 'national' and v.year = y.year
                                        and v.status <> 'draft')
  union all
  -- a plan the province's leader appraises (national) or approves (local)
  select 'plan_to_appraise', v.org_id, 'plan', v.id, v.id, null, null,
         coalesce(v.title, format('Kế hoạch %s năm %s', case v.scope when 'national' then 'KCQG' else 'KCĐP' end,
                                  v.year)),
         case when v.scope = 'national'
              then coalesce(kc_calendar_due('registration_deadline', v.year), make_date(v.year - 1, 6, 20)) end,
         v.submitted_at, false, jsonb_build_object('year', v.year, 'scope', v.scope)
    from vp v
   where kc_inbox_wants(p_role, 'plan_to_appraise') and p_scope is not null and v.status = 'submitted'
  union all
  -- the months of a running project without their progress report, up to this month
  -- (kc_overdue_items' months, 0020, and the current one before its 25th): one item per
  -- project, due on the oldest missing month's day
  select 'progress_due', m.org_id, 'project', m.id, m.plan_id, m.id, m.code, m.title,
         kc_progress_due(min(m.period)), null, false,
         jsonb_build_object('periods', jsonb_agg(to_char(m.period, 'YYYY-MM') order by m.period))
    from (select r.*, g::date as period
            from running r left join project_kinds k on k.code = r.kind,
            -- the months reported, by index per project (the planner guesses 1,000 months a
            -- project and would hash every report of the country)
            lateral (select array(select x.period from project_progress_reports x
                                   where x.project_id = r.id) as done) d,
            generate_series(greatest(make_date(r.year, 1, 1), date_trunc('month', r.start_date)::date),
                            least(date_trunc('month', coalesce(r.end_date,
                                    make_date(r.year + coalesce(k.max_years, 1) - 1 + kc_project_extension(r.id), 12, 31))),
                                  date_trunc('month', p_today)),
                            interval '1 month') g
           where kc_inbox_wants(p_role, 'progress_due') and not (g::date = any (d.done))) m
   group by m.id, m.org_id, m.plan_id, m.code, m.title
  union all
  -- a filed progress report the Department has not confirmed
  select 'progress_to_confirm', v.org_id, 'progress_report', r.id, v.id, pr.id, pr.code, pr.title, null,
         r.submitted_at, false,
         jsonb_build_object('period', to_char(r.period, 'YYYY-MM'), 'percent_done', r.percent_done,
                            'late', r.late, 'version', r.version)
    from vp v join projects pr on pr.plan_id = v.id
         join project_progress_reports r on r.project_id = pr.id
   where kc_inbox_wants(p_role, 'progress_to_confirm') and p_scope is not null
     and r.confirmed_at is null and pr.status not in ('cancelled', 'rejected')
  union all
  -- an adjustment request the caller's role decides
  select 'adjustment_to_decide', v.org_id, 'adjustment', a.id, v.id, pr.id, pr.code, pr.title, null,
         a.requested_at, false, jsonb_build_object('type', a.type, 'version', a.version)
    from project_adjustments a join projects pr on pr.id = a.project_id join vp v on v.id = pr.plan_id
   where kc_inbox_wants(p_role, 'adjustment_to_decide')
     and a.status = 'requested' and p_role = any (a.approver_roles)
  union all
  -- a running project whose end is at most 30 days away or past, not yet accepted
  select 'acceptance_due', r.org_id, 'project', r.id, r.plan_id, r.id, r.code, r.title, r.end_date, null,
         false, '{}'::jsonb
    from running r
   where kc_inbox_wants(p_role, 'acceptance_due') and r.end_date is not null
     and p_today >= r.end_date - 30
  union all
  -- an accepted national project: the province's settlement dossier, by its settlement day
  select 'settlement_dossier_due', a.org_id, 'project', a.id, a.plan_id, a.id, a.code, a.title, a.settle_due,
         a.accepted_at, false, jsonb_build_object('accepted_on', a.accepted_on)
    from accepted a
   where kc_inbox_wants(p_role, 'settlement_dossier_due') and p_scope is not null
     and a.scope = 'national' and a.stage <> 'settlement_submitted'
  union all
  -- an accepted project to settle: national by the Ministry (approver), local by the province
  -- (leader); a national project's due day as above, a local one's none in the system
  select 'settlement_due', a.org_id, 'project', a.id, a.plan_id, a.id, a.code, a.title,
         case when a.scope = 'national' then a.settle_due end,
         a.accepted_at, false, jsonb_build_object('accepted_on', a.accepted_on, 'scope', a.scope)
    from accepted a
   where kc_inbox_wants(p_role, 'settlement_due')
     and a.scope = case when p_role = 'ministry_approver' then 'national' else 'local' end
     and (p_role <> 'ministry_approver' or p_scope is null)
  union all
  -- the province's periodic report (q1, h1, q3, year of kc_overdue_items, 0020) once its
  -- data cut-off has passed and until it is sent, for a year the province has a plan in
  select 'province_report_due', p_scope, 'province_report', null, null, null, null,
         format('Báo cáo %s năm %s', c.label, o.year), c.due, null, false,
         jsonb_build_object('province_id', p_scope, 'year', o.year, 'period', x.period)
    from (select distinct v.year from vp v
           where v.year between extract(year from p_today)::integer - 1
                            and extract(year from p_today)::integer) o
         cross join (values ('q1'), ('h1'), ('q3'), ('year')) as x (period),
         lateral kc_report_period(o.year, x.period) c
   where kc_inbox_wants(p_role, 'province_report_due') and p_scope is not null
     and p_today > c.to_date
     and not exists (select 1 from province_reports r
                      where r.province_id = p_scope and r.year = o.year and r.period = x.period)
  union all
  -- a request the Ministry answered, for the province to read and close
  select 'correspondence_answered', c.org_id, 'correspondence', c.id, c.plan_id, c.project_id, null,
         c.subject, null, c.answered_at, false, jsonb_build_object('version', c.version)
    from correspondence c
   where kc_inbox_wants(p_role, 'correspondence_answered') and p_scope is not null
     and c.status = 'answered' and c.org_id = any (p_orgs)
  union all
  -- a province's open request, for the Ministry to answer by its working-day deadline
  select 'correspondence_to_answer', c.org_id, 'correspondence', c.id, c.plan_id, c.project_id, null,
         c.subject,
         -- kc_correspondence_due(c), with the setting read once
         kc_working_day_due((c.opened_at at time zone 'Asia/Ho_Chi_Minh')::date,
                            (select kc_deadline_setting('correspondence_sla_working_days'))),
         c.opened_at, false, jsonb_build_object('version', c.version)
    from correspondence c
   where kc_inbox_wants(p_role, 'correspondence_to_answer') and p_scope is null and c.status = 'open'
  union all
  -- the appraisal queue: to assign (approver), to score (the assigned reviewer), to decide
  -- (approver, once a reviewer scored every criterion since the project last arrived)
  select 'review_to_assign', q.org_id, 'project', q.id, q.plan_id, q.id, q.code, q.title, null, q.arrived_at,
         false, '{}'::jsonb
    from queue q
   where kc_inbox_wants(p_role, 'review_to_assign') and p_scope is null
     and not exists (select 1 from review_assignments a where a.project_id = q.id)
  union all
  select 'review_to_score', q.org_id, 'project', q.id, q.plan_id, q.id, q.code, q.title, null,
         greatest(q.arrived_at, a.at), false, '{}'::jsonb
    from queue q join review_assignments a on a.project_id = q.id
   where kc_inbox_wants(p_role, 'review_to_score') and p_scope is null and a.reviewer_id = p_user
     and (select count(*) from review_scores s
           where s.project_id = q.id and s.reviewer_id = p_user and s.at >= q.arrived_at)
         < (select n from criteria)
  union all
  select 'review_to_decide', q.org_id, 'project', q.id, q.plan_id, q.id, q.code, q.title, null,
         d.at, false, '{}'::jsonb
    from queue q,
    lateral (select max(s.at) as at from review_scores s
              where s.project_id = q.id and s.at >= q.arrived_at
              group by s.reviewer_id having count(*) >= (select n from criteria)
              order by 1 desc limit 1) d
   where kc_inbox_wants(p_role, 'review_to_decide') and p_scope is null
  union all
  -- appraised national projects of a year in no decision yet: one item per year
  select 'plan_decision_due', null, 'plan_decision_year', v.year, null, null, null,
         format('Quyết định giao kế hoạch khuyến công quốc gia năm %s: %s đề án', v.year, count(*)), null,
         max(pr.updated_at), false,
         jsonb_build_object('year', v.year, 'projects', count(*),
                            'decided', exists (select 1 from plan_decisions d
                                                where d.year = v.year and d.kind = 'approval'))
    from projects pr join vp v on v.id = pr.plan_id
   where kc_inbox_wants(p_role, 'plan_decision_due') and p_scope is null
     and pr.status = 'approved' and pr.stage = 'ministry_appraised' and v.scope = 'national'
     and not exists (select 1 from plan_decision_items i where i.project_id = pr.id)
   group by v.year
$$;

-- Status changes of the caller's records by others after @p_since, newest first
-- (visibility as kc_plan_visible, @p_orgs as for kc_inbox_items).
create function kc_inbox_changes(p_user bigint, p_scope bigint, p_orgs bigint[], p_since timestamptz,
                                 p_limit integer)
returns table (at timestamptz, ref_type text, ref_id bigint, plan_org bigint, code text, title text,
               from_status text, to_status text, to_stage text, actor_role text, comment text)
language sql stable as $$
  (select h.at, 'project'::text, pr.id, pl.org_id, pr.code, pr.title, h.from_status, h.to_status, h.to_stage,
          h.actor_role, h.comment
     from project_history h join projects pr on pr.id = h.project_id join plans pl on pl.id = pr.plan_id
    where h.at > p_since and h.actor_id is distinct from p_user
      and ((p_scope is null and (pl.scope = 'local' or pl.status not in ('draft', 'submitted')))
           or (p_scope is not null and pl.org_id = any (p_orgs)))
    order by h.at desc limit p_limit)
  union all
  (select h.at, 'plan', pl.id, pl.org_id, null, pl.title, h.from_status, h.to_status, null, h.actor_role,
          h.comment
     from plan_history h join plans pl on pl.id = h.plan_id
    where h.at > p_since and h.actor_id is distinct from p_user
      and ((p_scope is null and (pl.scope = 'local' or pl.status not in ('draft', 'submitted')))
           or (p_scope is not null and pl.org_id = any (p_orgs)))
    order by h.at desc limit p_limit)
$$;

-- inbox.list {since?, kinds?, limit?, cursor?}: a list as PROTOCOL.md has
-- them; the cursor is the offset in the computed order (as review.queue's).
-- jit off: the planner cannot know how many months generate_series yields
-- (it guesses 1,000 per project), so at national size the estimated cost
-- passes jit_optimize_above_cost and PostgreSQL spent 21 s compiling a
-- query that runs in 0.6 s (measured on scripts/gen-data --scale 1).
-- force_custom_plan: the items are planned for this role and scope (the
-- kinds of other roles fold away; a province's plans are a few dozen, not
-- the Ministry's two thousand) rather than by one generic plan for all.
create function kc_inbox_list(p_user bigint, p_username text, p_peer text, p_role text,
                              p_scope bigint, p jsonb) returns jsonb
language plpgsql stable set jit = off set plan_cache_mode = force_custom_plan as $$
declare
  v_today date := kc_today();
  v_orgs bigint[] := case when p_scope is not null then array(select org_scope(p_scope)) end;
  v_seen timestamptz := (select s.seen_at from inbox_seen s where s.user_id = p_user);
  v_since timestamptz := coalesce((p->>'since')::timestamptz, v_seen, now() - interval '7 days');
  v_limit integer := coalesce((p->>'limit')::integer, 100);
  v_offset bigint := coalesce((p->>'cursor')::bigint, 0);
  v_kinds text[] := kc_report_list(p->'kinds');
  v_unknown text;
begin
  select k into v_unknown from unnest(v_kinds) k where k not in (select kind from inbox_kinds) limit 1;
  if v_unknown is not null then
    return kc_err(1022, format('no such kind: %s', v_unknown),
                  jsonb_build_object('violations', jsonb_build_array(
                    kc_violation('kinds', 'exists', format('no such kind: %s', v_unknown)))));
  end if;
  return (
  with items as (
    select i.*, k.sort, k.name_vi,
           i.due_on is not null and v_today > i.due_on as overdue,
           coalesce(i.since > v_since, false) as is_new
      from kc_inbox_items(p_user, p_role, p_scope, v_orgs, v_today) i join inbox_kinds k on k.kind = i.kind
     where v_kinds is null or i.kind = any (v_kinds)),
  top as (
    select * from items
     order by overdue desc, due_on nulls last, sort, since desc nulls last, ref_id, kind, detail::text
     offset v_offset limit v_limit),
  -- the province of each plan organisation shown, once per organisation
  prov as (
    select o.plan_org, kc_scope_root(o.plan_org) as org
      from (select distinct plan_org from top where plan_org is not null) o),
  shown as (
    select t.*, p.org from top t left join prov p on p.plan_org = t.plan_org),
  ch as (
    select c.*, kc_scope_root(c.plan_org) as org
      from kc_inbox_changes(p_user, p_scope, v_orgs, v_since, 50) c
     order by c.at desc limit 50)
  select jsonb_build_object('result', jsonb_build_object(
    'as_of', kc_inbox_instant(now()), 'today', v_today, 'since', kc_inbox_instant(v_since),
    'seen_at', kc_inbox_instant(v_seen),
    'items', coalesce((select jsonb_agg(jsonb_build_object(
                         'kind', s.kind, 'kind_name', s.name_vi, 'title', s.title, 'due_on', s.due_on,
                         'overdue', s.overdue,
                         'days_late', case when s.overdue then v_today - s.due_on end,
                         'ref', jsonb_build_object('type', s.ref_type, 'id', s.ref_id),
                         'org_id', s.org, 'org_name', (select o.name from orgs o where o.id = s.org),
                         'plan_id', s.plan_id, 'project_id', s.project_id, 'code', s.code,
                         'since', kc_inbox_instant(s.since), 'new', s.is_new, 'sent_back', s.sent_back,
                         'detail', s.detail)
                         order by s.overdue desc, s.due_on nulls last, s.sort, s.since desc nulls last,
                                  s.ref_id, s.kind, s.detail::text)
                         from shown s), '[]'::jsonb),
    'total', (select count(*) from items),
    'next_cursor', case when (select count(*) from items) > v_offset + v_limit
                        then (v_offset + v_limit)::text end,
    'counts', jsonb_build_object(
                'by_kind', coalesce((select jsonb_object_agg(x.kind, x.n)
                                       from (select kind, count(*) as n from items group by kind) x),
                                    '{}'::jsonb),
                'overdue', (select count(*) from items where overdue),
                'sent_back', (select count(*) from items where sent_back),
                'new', (select count(*) from items where is_new)),
    'changes', coalesce((select jsonb_agg(jsonb_build_object(
                           'at', kc_instant(c.at), 'ref', jsonb_build_object('type', c.ref_type, 'id', c.ref_id),
                           'org_id', c.org, 'code', c.code, 'title', c.title,
                           'from_status', c.from_status, 'to_status', c.to_status, 'to_stage', c.to_stage,
                           'actor_role', c.actor_role, 'comment', c.comment) order by c.at desc)
                           from ch c), '[]'::jsonb))));
end $$;

-- inbox.mark_seen {at?}: the caller has looked up to @at (the as_of of the
-- list they saw; default now). Never moves back. Audited.
create function kc_inbox_mark_seen(p_user bigint, p_username text, p_peer text, p_role text,
                                   p_scope bigint, p jsonb) returns jsonb
language plpgsql as $$
declare
  v_at timestamptz := least(coalesce((p->>'at')::timestamptz, now()), now());
  v_before timestamptz;
  v_after timestamptz;
begin
  select seen_at into v_before from inbox_seen where user_id = p_user for update;
  insert into inbox_seen (user_id, seen_at) values (p_user, v_at)
  on conflict (user_id) do update set seen_at = greatest(inbox_seen.seen_at, excluded.seen_at)
  returning seen_at into v_after;
  perform kc_audit(p_user, p_username, p_peer, 'inbox.mark_seen', 'inbox_seen', p_user,
                   case when v_before is null then null
                        else jsonb_build_object('seen_at', kc_inbox_instant(v_before)) end,
                   jsonb_build_object('seen_at', kc_inbox_instant(v_after)));
  return jsonb_build_object('result', jsonb_build_object('seen_at', kc_inbox_instant(v_after)));
end $$;

-- ---------------------------------------------------------------------------
-- Events (topic "inbox", through 0014's outbox)
-- ---------------------------------------------------------------------------
create function kc_inbox_project_event(p_project bigint, p_id bigint, p_kind text, p_version integer)
returns void
language plpgsql as $$
declare
  v_plan bigint := (select plan_id from projects where id = p_project);
begin
  perform kc_event_notify('inbox', p_id, p_kind, p_version, v_plan);
end $$;

create function progress_reports_inbox_event() returns trigger
language plpgsql as $$
begin
  if tg_op = 'INSERT' or new.confirmed_at is distinct from old.confirmed_at then
    perform kc_inbox_project_event(new.project_id, new.id, 'progress_to_confirm', new.version);
  end if;
  return null;
end $$;
create trigger project_progress_reports_inbox_event after insert or update on project_progress_reports
  for each row execute function progress_reports_inbox_event();

create function adjustments_inbox_event() returns trigger
language plpgsql as $$
begin
  if tg_op = 'INSERT' or new.status is distinct from old.status then
    perform kc_inbox_project_event(new.project_id, new.id, 'adjustment_to_decide', new.version);
  end if;
  return null;
end $$;
create trigger project_adjustments_inbox_event after insert or update on project_adjustments
  for each row execute function adjustments_inbox_event();

create function review_assignments_inbox_event() returns trigger
language plpgsql as $$
begin
  perform kc_inbox_project_event(new.project_id, new.project_id, 'review_to_score', null);
  return null;
end $$;
create trigger review_assignments_inbox_event after insert or update on review_assignments
  for each row execute function review_assignments_inbox_event();

-- one event per project scored, not one per criterion
create function review_scores_inbox_event() returns trigger
language plpgsql as $$
declare
  v_project bigint;
begin
  for v_project in select distinct n.project_id from new_scores n loop
    perform kc_inbox_project_event(v_project, v_project, 'review_to_decide', null);
  end loop;
  return null;
end $$;
create trigger review_scores_inbox_event_ins after insert on review_scores
  referencing new table as new_scores for each statement execute function review_scores_inbox_event();
create trigger review_scores_inbox_event_upd after update on review_scores
  referencing new table as new_scores for each statement execute function review_scores_inbox_event();

create function province_reports_inbox_event() returns trigger
language plpgsql as $$
begin
  perform kc_event_notify_org('inbox', new.id, 'province_report_due', 1, new.province_id, false);
  return null;
end $$;
create trigger province_reports_inbox_event after insert on province_reports
  for each row execute function province_reports_inbox_event();

-- ---------------------------------------------------------------------------
-- report.dashboard {year?, province_map?, sort?, order?}
-- ---------------------------------------------------------------------------
-- The leader's and the Ministry's figures for one plan year, built from the
-- very functions behind report.summary (money by source, projects by status,
-- indicators, per province), budget.summary (appropriated, remaining: the
-- Ministry side) and deadline.overdue (what is late), so that the figures
-- cannot differ from theirs for the same scope. disbursement_rate = paid /
-- allocated × 100 (one decimal; null when nothing is allocated).
create function kc_dashboard_rate(p_num numeric, p_den numeric) returns numeric
language sql immutable as $$
  select case when coalesce(p_den, 0) = 0 then null else round(p_num * 100.0 / p_den, 1) end
$$;

create function kc_report_dashboard(p_scope bigint, p jsonb) returns jsonb
language plpgsql stable set jit = off as $$
declare
  v_year integer := coalesce((p->>'year')::integer, extract(year from kc_today())::integer);
  v_map text := coalesce(p->>'province_map', '34');
  v_sort text := coalesce(p->>'sort', 'province_code');
  v_desc boolean := coalesce(p->>'order', 'asc') = 'desc';
  v_base jsonb := jsonb_build_object('from_year', v_year, 'to_year', v_year, 'province_map', v_map);
  v_by_source jsonb := kc_report_summary(p_scope, v_base || '{"group_by": ["source"]}')->'result';
  v_by_status jsonb := kc_report_summary(p_scope, v_base || '{"group_by": ["status"]}')->'result';
  v_by_province jsonb := kc_report_summary(p_scope, v_base || '{"group_by": ["province"]}')->'result';
  v_budget jsonb := kc_budget_summary(p_scope, jsonb_build_object('year', v_year))->'result';
  v_today date := kc_today();
begin
  return jsonb_build_object('result', (
  with late as (
    select u.unit_id, i.kind, count(*) as n
      from kc_overdue_items(p_scope, v_today) i
      join kc_report_units(v_map) u on u.province_org = i.org_id
     group by 1, 2),
  prov as (
    select r, (r->>'province_id')::bigint as unit_id,
           coalesce((select sum(n) from late l where l.unit_id = (r->>'province_id')::bigint), 0) as late
      from jsonb_array_elements(v_by_province->'rows') r),
  prov_rows as (
    select jsonb_build_object(
             'province_id', x.unit_id, 'province_code', x.r->>'province_code',
             'province_name', x.r->>'province_name', 'projects', (x.r->>'projects')::bigint,
             'planned', (x.r->>'planned')::bigint, 'allocated', (x.r->>'allocated')::bigint,
             'paid', (x.r->>'paid')::bigint, 'settled', (x.r->>'settled')::bigint,
             'disbursement_rate', kc_dashboard_rate((x.r->>'paid')::numeric, (x.r->>'allocated')::numeric),
             'late', x.late) as j
      from prov x),
  bp as (
    select coalesce((
        select jsonb_agg(j order by
                 case when not v_desc then
                   case when v_sort in ('province_code', 'province_name') then null
                        else (j->>v_sort)::numeric end end nulls last,
                 case when v_desc then
                   case when v_sort in ('province_code', 'province_name') then null
                        else (j->>v_sort)::numeric end end desc nulls last,
                 case when not v_desc and v_sort in ('province_code', 'province_name') then j->>v_sort end,
                 case when v_desc and v_sort in ('province_code', 'province_name') then j->>v_sort end desc,
                 j->>'province_code')
          from prov_rows), '[]'::jsonb) as a)
  select jsonb_build_object(
    -- the export contract (srv-export.h): the per-province table, so that
    -- report.export renders the dashboard's figures for Excel
    'title', format('Tình hình thực hiện khuyến công năm %s', v_year),
    'subtitle', coalesce((select name from orgs where id = p_scope), 'Toàn quốc')
                || case when v_map = '63' then '; theo 63 tỉnh, thành phố (trước 01/07/2025)'
                        else '; theo 34 tỉnh, thành phố (từ 01/07/2025)' end,
    'issuer', v_by_source->'issuer',
    'file_stem', format('bang-dieu-khien-%s', v_year),
    'columns', jsonb_build_array(
                 jsonb_build_object('key', 'province_name', 'label', 'Tỉnh, thành phố', 'type', 'text'),
                 jsonb_build_object('key', 'projects', 'label', 'Số đề án', 'type', 'integer'),
                 jsonb_build_object('key', 'planned', 'label', 'Kế hoạch', 'type', 'money', 'group', 'Kinh phí (đồng)'),
                 jsonb_build_object('key', 'allocated', 'label', 'Phân bổ', 'type', 'money', 'group', 'Kinh phí (đồng)'),
                 jsonb_build_object('key', 'paid', 'label', 'Đã giải ngân', 'type', 'money', 'group', 'Kinh phí (đồng)'),
                 jsonb_build_object('key', 'settled', 'label', 'Quyết toán', 'type', 'money', 'group', 'Kinh phí (đồng)'),
                 jsonb_build_object('key', 'disbursement_rate', 'label', 'Tỷ lệ giải ngân (%)', 'type', 'percent'),
                 jsonb_build_object('key', 'late', 'label', 'Việc quá hạn', 'type', 'integer')),
    'year', v_year, 'province_map', v_map, 'as_of', v_today, 'generated_at', kc_instant(now()),
    'scope', case when p_scope is null then 'ministry' else 'province' end,
    'province_id', p_scope,
    'province_name', (select name from orgs where id = p_scope),
    'totals', jsonb_build_object(
                'projects', (v_by_source->'totals'->>'projects')::bigint,
                'planned', (v_by_source->'totals'->>'planned')::bigint,
                'allocated', (v_by_source->'totals'->>'allocated')::bigint,
                'paid', (v_by_source->'totals'->>'paid')::bigint,
                'settled', (v_by_source->'totals'->>'settled')::bigint,
                'appropriated', (select coalesce(sum((b->>'appropriated')::bigint), 0)
                                   from jsonb_array_elements(v_budget->'by_source') b),
                'disbursement_rate', kc_dashboard_rate((v_by_source->'totals'->>'paid')::numeric,
                                                       (v_by_source->'totals'->>'allocated')::numeric)),
    'money_by_source', coalesce((
        select jsonb_agg(jsonb_build_object(
                 'source', s->>'source', 'source_name', s->>'source_name',
                 'planned', (s->>'planned')::bigint, 'allocated', (s->>'allocated')::bigint,
                 'paid', (s->>'paid')::bigint, 'settled', (s->>'settled')::bigint,
                 'appropriated', (b->>'appropriated')::bigint, 'remaining', (b->>'remaining')::bigint,
                 'disbursement_rate', kc_dashboard_rate((s->>'paid')::numeric, (s->>'allocated')::numeric))
                 order by ord)
          from jsonb_array_elements(v_by_source->'rows') with ordinality as t (s, ord)
          left join lateral (select b from jsonb_array_elements(v_budget->'by_source') b
                              where b->>'source' = s->>'source') bb on true), '[]'::jsonb),
    'projects_by_status', coalesce((
        select jsonb_agg(jsonb_build_object('status', s->>'status', 'status_name', s->>'status_name',
                                            'projects', (s->>'projects')::bigint) order by ord)
          from jsonb_array_elements(v_by_status->'rows') with ordinality as t (s, ord)), '[]'::jsonb),
    'indicators', coalesce((
        select jsonb_agg(jsonb_build_object(
                 'indicator', i->>'indicator', 'name', i->>'indicator_name', 'unit', i->>'unit',
                 'target', (i->>'target')::bigint, 'achieved', (i->>'achieved')::bigint,
                 'percent', kc_dashboard_rate((i->>'achieved')::numeric, (i->>'target')::numeric))
                 order by i->>'indicator')
          from jsonb_array_elements(v_by_source->'indicators') i), '[]'::jsonb),
    'late', jsonb_build_object(
              'total', coalesce((select sum(n) from late), 0),
              'by_kind', coalesce((select jsonb_object_agg(kind, n)
                                     from (select kind, sum(n) as n from late group by kind) k), '{}'::jsonb)),
    'rows', (select a from bp),
    'by_province', (select a from bp))));
end $$;

-- ---------------------------------------------------------------------------
-- kc_overdue_items (0020) replaced, same rows: at national size (gen-data
-- --scale 1) it took 5.8 s of CPU for the Ministry, which deadline.overdue
-- and report.dashboard pay. The cost was per project: kc_scope_root and
-- kc_plan_visible (PL/pgSQL, org_scope on every call for a province) on each
-- of 100,000 projects, kc_project_last_year (three SQL functions) on each
-- accepted one. Now the province and the visibility are worked out per plan
-- (two thousand), the province's organisations once, and the last year
-- written out as in kc_inbox_items.
-- ---------------------------------------------------------------------------
create or replace function kc_overdue_items(p_scope bigint, p_today date)
returns table (kind text, org_id bigint, plan_id bigint, project_id bigint, project_code text,
               correspondence_id bigint, period date, due date, days_late integer, responsible text)
language sql stable as $$
  with scope_orgs as materialized (
    select s.id from org_scope(p_scope) s (id) where p_scope is not null),
  vplans as materialized (
    select pl.id, pl.org_id, pl.year, pl.scope, kc_scope_root(pl.org_id) as province
      from plans pl
     where (p_scope is null and (pl.scope = 'local' or pl.status not in ('draft', 'submitted')))
        or (p_scope is not null and pl.org_id in (select id from scope_orgs))),
  vis as (
    select pr.id, pr.code, pr.status, pr.start_date, pr.end_date, pr.kind, v.id as plan_id,
           v.year, v.scope, v.province
      from vplans v join projects pr on pr.plan_id = v.id
     where pr.status in ('approved', 'in_progress', 'completed')),
  months as (
    select v.*, m::date as period
      from vis v left join project_kinds k on k.code = v.kind,
      generate_series(greatest(make_date(v.year, 1, 1), date_trunc('month', v.start_date)::date),
                      least(date_trunc('month', coalesce(v.end_date,
                              make_date(v.year + coalesce(k.max_years, 1) - 1 + kc_project_extension(v.id), 12, 31))),
                            date_trunc('month', p_today)),
                      interval '1 month') m
     where v.status in ('approved', 'in_progress')),
  -- every plan (either scope, any status) of the scope, with its province
  plan_provinces as materialized (
    select pl.year, pl.scope, pl.status, kc_scope_root(pl.org_id) as province
      from plans pl
     where p_scope is null or pl.org_id in (select id from scope_orgs)),
  owed as (select distinct province, year from plan_provinces),
  reports as (
    select o.province, o.year, x.period, c.due, c.period_end
      from owed o cross join (values ('q1'), ('h1'), ('q3'), ('year')) as x (period),
      lateral kc_report_period(o.year, x.period) c
     where o.province is not null and p_today > c.due
       and not exists (select 1 from province_reports r
                        where r.province_id = o.province and r.year = o.year and r.period = x.period)),
  -- registration of the national plan for this year and the next (20/6 of
  -- the year before, TT 36/2013 Art. 6 as amended): a province working in
  -- the system (a plan that year or the one before) that has not sent a
  -- national plan on to the Ministry by then
  registrations as (
    select distinct pp.province, y.year, kc_calendar_due('registration_deadline', y.year) as due
      from plan_provinces pp
     cross join (values (extract(year from p_today)::integer),
                        (extract(year from p_today)::integer + 1)) as y (year)
     where pp.year in (y.year - 1, y.year)),
  forwarded as (
    select distinct pl.year, kc_scope_root(pl.org_id) as province
      from plans pl
     where pl.scope = 'national' and pl.status in ('forwarded', 'approved')
       and pl.year between extract(year from p_today)::integer and extract(year from p_today)::integer + 1),
  accepted as (
    select v.*, a.accepted_on,
           greatest(v.year + case when exists (select 1 from project_adjustments x
                                                where x.project_id = v.id and x.type = 'extend_next_year'
                                                  and x.status = 'approved')
                                       or exists (select 1 from plan_decision_items i
                                                   where i.project_id = v.id and i.action = 'extend')
                                  then 1 else 0 end,
                    coalesce((select max(c.to_year) from carry_overs c where c.project_id = v.id), v.year))
             as last_year
      from vis v left join project_acceptances a on a.project_id = v.id
     where v.scope = 'national' and v.status = 'completed'),
  -- the due day of each month once, not on each of a hundred thousand rows
  month_dues as materialized (
    select x.period, kc_progress_due(x.period) as due from (select distinct period from months) x)
  select 'progress_report', m.province, m.plan_id, m.id, m.code, null::bigint, m.period,
         d.due, p_today - d.due, 'province'
    from months m join month_dues d on d.period = m.period
   where p_today > d.due
     and not exists (select 1 from project_progress_reports r where r.project_id = m.id and r.period = m.period)
  union all
  select 'settlement_dossier', a.province, a.plan_id, a.id, a.code, null, null,
         a.accepted_on + kc_deadline_setting('settlement_dossier_days'),
         p_today - (a.accepted_on + kc_deadline_setting('settlement_dossier_days')), 'province'
    from accepted a
   where a.accepted_on is not null
     and p_today > a.accepted_on + kc_deadline_setting('settlement_dossier_days')
  union all
  -- 22/01 after the last year the project runs in (extended, carried over)
  select 'settlement', a.province, a.plan_id, a.id, a.code, null, null, d.due, p_today - d.due, 'province'
    from accepted a,
    lateral (select coalesce(kc_calendar_due('settlement_deadline', a.last_year),
                             make_date(a.last_year + 1, 1, 22)) as due) d
   where p_today > d.due
  union all
  select 'correspondence', c.org_id, c.plan_id, c.project_id, null, c.id, null,
         kc_correspondence_due(c), p_today - kc_correspondence_due(c), 'ministry'
    from correspondence c
   where c.status = 'open' and (p_scope is null or c.org_id in (select id from scope_orgs))
     and p_today > kc_correspondence_due(c)
  union all
  select 'province_report', r.province, null, null, null, null, r.period_end, r.due,
         p_today - r.due, 'province'
    from reports r
  union all
  select 'registration', g.province, null, null, null, null, make_date(g.year, 1, 1), g.due,
         p_today - g.due, 'province'
    from registrations g
   where g.province is not null and p_today > g.due
     and not exists (select 1 from forwarded f where f.year = g.year and f.province = g.province)
$$;
