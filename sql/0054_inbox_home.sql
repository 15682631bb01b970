-- 0054_inbox_home.sql — the home page (what awaits me) at national size,
-- and a plan without a title named one way.
--
-- Login → home took ~350 ms for a Ministry approver on scripts/gen-data
-- --scale 1 (docs/performance.md, "Third pass"), of which inbox.list
-- {"limit": 500} ~94 ms of server time: 4,461 items (4,058 accepted
-- national projects to settle, all late; 403 allocations due) computed,
-- sorted and the first 500 written as JSON. Most of the computing was the
-- settlement day of every completed project of the country, three
-- subqueries per project; the JSON of 500 items was a third of the rest,
-- for a page that shows 40 per group.
--
-- 1. kc_inbox_items_0028 (0031's body, renamed by 0032 and wrapped since)
--    replaced: the same rows, with
--    - the settlement day's extensions and carry-overs joined (each table
--      read once) rather than asked per project, and for the Ministry's
--      roles (no scope) only national projects (the only ones its kinds
--      list);
--    - a plan's `title` its own title, null when it has none: 0028 wrote
--      "Kế hoạch KCQG năm 2026" into it while the client's changes group
--      said "Kế hoạch số 12" (the plan's id) for the same plan, on the same
--      page. The item's detail has the plan's year and scope; the client
--      names it (kc_label_plan_name: the same sentence on the home page,
--      in notifications, the plans list and the choosers).
-- ---------------------------------------------------------------------------
create or replace function kc_inbox_items_0028(p_user bigint, p_role text, p_scope bigint, p_orgs bigint[], p_today date)
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
     where pr.status = 'submitted' and pr.stage in ('base_appraised', 'resubmitted', 'submitted_direct')
       and v.scope = 'national'),
  criteria as (select count(*) as n from review_criteria),
  -- accepted projects with their settlement day: kc_settle_due (0012, with the extension of
  -- 0022) written out, the earlier of acceptance + 15 days and 22/01 after the last year the
  -- project runs in. The extensions and carry-overs are joined, each table read once (0031
  -- asked three subqueries per project; with this and the scan below the Ministry approver's
  -- items took 38–39 ms of CPU at national size instead of 90–96, sql/0054); the Ministry's
  -- roles only ever want national ones.
  extended as (
    select x.project_id from project_adjustments x
     where x.type = 'extend_next_year' and x.status = 'approved'
    union
    select i.project_id from plan_decision_items i where i.action = 'extend'),
  carried as (
    select c.project_id, max(c.to_year) as to_year from carry_overs c group by c.project_id),
  accepted as (
    select pr.id, pr.code, pr.title, pr.stage, v.id as plan_id, v.org_id, v.scope, a.accepted_on,
           a.accepted_at,
           least(a.accepted_on + 15,
                 make_date(greatest(v.year + case when e.project_id is not null then 1 else 0 end,
                                    coalesce(co.to_year, v.year)) + 1, 1, 22)) as settle_due
      -- the Ministry: the completed projects by their status (the country's ~8,000 at scale 1;
      -- "offset 0" keeps the planner, which counts the visible plans' national ones at 9, from
      -- walking every project of 824 plans by plan_id instead); a province: by its plans
      from ((select x.* from projects x where p_scope is null and x.status = 'completed' offset 0)
            union all
            select x.* from projects x
             where p_scope is not null and x.status = 'completed' and x.plan_id in (select id from vp)) pr
      join vp v on v.id = pr.plan_id join project_acceptances a on a.project_id = pr.id
      left join extended e on e.project_id = pr.id
      left join carried co on co.project_id = pr.id
     where p_scope is not null or v.scope = 'national')
  -- a plan sent back by the province leader
  select 'plan_returned'::text, v.org_id, 'plan'::text, v.id, v.id, null::bigint, null::text,
         v.title,
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
         v.title,
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


-- ---------------------------------------------------------------------------
-- 2. kc_inbox_list (0046's) replaced, the same reply for the same call, and:
--    - `per_group` (1–1000): instead of a page, the first per_group items of
--      each of the home page's three groups (late: overdue; sent back: not
--      overdue, sent_back; to do: the rest), in the list's order,
--      next_cursor null. What the home page shows: 40 of each; it asked
--      for the first 500 of the whole list (the JSON of 500 items, a third
--      of the call), in which the Ministry's 4,058 late items left no room
--      for its 403 others.
--    - `group` (late, sent_back, todo): only that group's items, paged as
--      usual (a group's "show all"); like `kinds`, total and counts then
--      cover the group.
--    - counts.groups {late, sent_back, todo}: the size of each group.
--    - changes: `year` and `scope` of the plan (a project's: its plan's),
--      so that a client names a plan without a title as it names it
--      everywhere (the items of a plan carry them in detail).
--    The counts in one pass over the items instead of five.
-- ---------------------------------------------------------------------------
create or replace function kc_inbox_list(p_user bigint, p_username text, p_peer text, p_role text,
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
  v_per_group integer := (p->>'per_group')::integer;
  v_group text := p->>'group';
  v_unknown text;
begin
  select k into v_unknown from unnest(v_kinds) k where k not in (select kind from inbox_kinds) limit 1;
  if v_unknown is not null then
    return kc_err(1022, format('no such kind: %s', v_unknown),
                  jsonb_build_object('violations', jsonb_build_array(
                    kc_violation('kinds', 'exists', format('no such kind: %s', v_unknown)))));
  end if;
  if v_per_group is not null then
    v_offset := 0;
  end if;
  return (
  -- (not "materialized": as a plain CTE, inlined into chosen, the Ministry reviewer's empty
  -- list cost 13 ms of CPU, forced apart 33 ms)
  with items as (
    select x.*, case when x.overdue then 'late' when x.sent_back then 'sent_back' else 'todo' end as grp
      from (select i.*, k.sort, k.name_vi,
                   -- a monthly progress report is due before the 25th (its due_on): late on it
                   i.due_on is not null
                     and (v_today > i.due_on
                          or (i.kind in ('progress_due', 'progress_returned') and v_today = i.due_on))
                     as overdue,
                   coalesce(i.since > v_since, false) as is_new
              from kc_inbox_items(p_user, p_role, p_scope, v_orgs, v_today) i
                   join inbox_kinds k on k.kind = i.kind
             where v_kinds is null or i.kind = any (v_kinds)) x),
  chosen as (
    select * from items where v_group is null or grp = v_group),
  -- a page of the list ...
  paged as (
    select * from chosen
     where v_per_group is null
     order by overdue desc, due_on nulls last, sort, since desc nulls last, ref_id, kind, detail::text
     offset v_offset limit v_limit),
  -- ... or the first of each group (three top-N sorts, not one sort of every item)
  firsts as (
    (select * from chosen where v_per_group is not null and grp = 'late'
      order by due_on nulls last, sort, since desc nulls last, ref_id, kind, detail::text
      limit v_per_group)
    union all
    (select * from chosen where v_per_group is not null and grp = 'sent_back'
      order by due_on nulls last, sort, since desc nulls last, ref_id, kind, detail::text
      limit v_per_group)
    union all
    (select * from chosen where v_per_group is not null and grp = 'todo'
      order by due_on nulls last, sort, since desc nulls last, ref_id, kind, detail::text
      limit v_per_group)),
  top as (
    select * from paged union all select * from firsts),
  -- the province of each plan organisation shown, once per organisation
  prov as (
    select o.plan_org, kc_scope_root(o.plan_org) as org
      from (select distinct plan_org from top where plan_org is not null) o),
  shown as (
    select t.*, p.org from top t left join prov p on p.plan_org = t.plan_org),
  tally as (
    select count(*) as total, count(*) filter (where overdue) as overdue,
           count(*) filter (where sent_back) as sent_back, count(*) filter (where is_new) as is_new,
           count(*) filter (where grp = 'sent_back') as g_sent_back,
           count(*) filter (where grp = 'todo') as g_todo
      from chosen),
  ch as (
    select c.*, kc_scope_root(c.plan_org) as org,
           case when c.ref_type = 'plan' then c.ref_id
                else (select pr.plan_id from projects pr where pr.id = c.ref_id) end as plan_ref
      from kc_inbox_changes(p_user, p_scope, v_orgs, v_since, 50) c
     order by c.at desc limit 50)
  select jsonb_build_object('result', jsonb_build_object(
    'as_of', kc_inbox_instant(now()), 'today', v_today, 'since', kc_inbox_instant(v_since),
    'seen_at', kc_inbox_instant(v_seen),
    'items', coalesce((select jsonb_agg(jsonb_build_object(
                         'kind', s.kind, 'kind_name', s.name_vi, 'title', s.title, 'due_on', s.due_on,
                         'overdue', s.overdue,
                         'days_late', case when s.overdue then v_today - s.due_on
                                             + case when s.kind in ('progress_due', 'progress_returned')
                                                    then 1 else 0 end end,
                         'ref', jsonb_build_object('type', s.ref_type, 'id', s.ref_id),
                         'org_id', s.org, 'org_name', (select o.name from orgs o where o.id = s.org),
                         'plan_id', s.plan_id, 'project_id', s.project_id, 'code', s.code,
                         'since', kc_inbox_instant(s.since), 'new', s.is_new, 'sent_back', s.sent_back,
                         'detail', s.detail)
                         order by s.overdue desc, s.due_on nulls last, s.sort, s.since desc nulls last,
                                  s.ref_id, s.kind, s.detail::text)
                         from shown s), '[]'::jsonb),
    'total', t.total,
    'next_cursor', case when v_per_group is null and t.total > v_offset + v_limit
                        then (v_offset + v_limit)::text end,
    'counts', jsonb_build_object(
                'by_kind', coalesce((select jsonb_object_agg(x.kind, x.n)
                                       from (select kind, count(*) as n from chosen group by kind) x),
                                    '{}'::jsonb),
                'overdue', t.overdue, 'sent_back', t.sent_back, 'new', t.is_new,
                'groups', jsonb_build_object('late', t.overdue, 'sent_back', t.g_sent_back,
                                             'todo', t.g_todo)),
    'changes', coalesce((select jsonb_agg(jsonb_build_object(
                           'at', kc_instant(c.at), 'ref', jsonb_build_object('type', c.ref_type, 'id', c.ref_id),
                           'org_id', c.org, 'code', c.code, 'title', c.title,
                           'from_status', c.from_status, 'to_status', c.to_status, 'to_stage', c.to_stage,
                           'actor_role', c.actor_role, 'comment', c.comment,
                           'year', (select pl.year from plans pl where pl.id = c.plan_ref),
                           'scope', (select pl.scope from plans pl where pl.id = c.plan_ref)) order by c.at desc)
                           from ch c), '[]'::jsonb)))
    from tally t);
end $$;
