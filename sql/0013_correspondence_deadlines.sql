-- 0013_correspondence_deadlines.sql — correspondence (kiến nghị, vướng
-- mắc) between a province and the Ministry, and deadline tracking (issue 4).
--
-- Correspondence: Công văn 8474/BCT-CTĐP (07/11/2019) asks the provinces to
-- raise their difficulties with the Ministry in writing. A province opens a
-- request (subject, text, attachments, the plan or project it concerns);
-- both sides reply in a thread; the Ministry answers (open → answered);
-- the province or the Ministry closes it (→ closed). An open request not
-- answered within deadline_settings.correspondence_sla_working_days working
-- days (Monday–Friday, not a day of the holidays table) is overdue. The
-- number of days is our own choice (no act sets one): confidence U.
--
-- Deadlines (DOMAIN §2.2, §2.9) as calendar_rules rows per plan year (see
-- the inserts below for each rule's act and confidence), and
-- kc_overdue_items(), which lists what is late per province and project:
--   progress_report     a month of an approved / running project without
--                       its progress report after the 25th (TT 36 Art. 23.3.a)
--   settlement_dossier  an accepted national project not settled 15 days
--                       after its acceptance (TT 36 Art. 18.1)
--   settlement          an accepted national project not settled after
--                       22/01 of the year after its plan year (TT 36 Art. 18.2)
--   correspondence      an open request past its working-day deadline (the
--                       Ministry's lateness)
-- The province's quarterly / 6-month / annual reports have rules but no
-- record in the system yet, so they are not listed as overdue.
--
-- Every function follows 0005: one statement; scope (1004) → the caller's
-- role for this record (1003) → version (1009) → status (1010) → rules
-- (1022); kc_audit last.

-- ---------------------------------------------------------------------------
-- Settings and holidays
-- ---------------------------------------------------------------------------
create table deadline_settings (
  code text primary key check (code in ('correspondence_sla_working_days', 'settlement_dossier_days')),
  value integer not null check (value between 1 and 365),
  description text not null,
  legal_act text not null,
  confidence char(1) not null check (confidence in ('C', 'P', 'U')),
  version integer not null default 1
);

insert into deadline_settings (code, value, description, legal_act, confidence) values
  ('correspondence_sla_working_days', 10,
   'Số ngày làm việc để Bộ trả lời kiến nghị, vướng mắc của địa phương (mặc định của hệ thống)',
   'Không có văn bản quy định; CV 8474/BCT-CTĐP (07/11/2019) chỉ yêu cầu kiến nghị bằng văn bản', 'U'),
  ('settlement_dossier_days', 15,
   'Lập hồ sơ quyết toán trong 15 ngày kể từ ngày nghiệm thu',
   'TT 36/2013/TT-BCT Điều 18 khoản 1', 'C');

create function kc_deadline_setting(p_code text) returns integer
language sql stable as $$
  select value from deadline_settings where code = p_code
$$;

-- Days that are not working days besides Saturday and Sunday. Seeded with
-- the public holidays on fixed solar dates of Bộ luật Lao động 2019 Điều
-- 112 (1/1, 30/4, 1/5, 2/9) for 2026–2027. NOT seeded (add them when the
-- Government announces them): Tết Nguyên đán and Giỗ Tổ Hùng Vương (lunar
-- calendar), the day next to 2/9 (1/9 or 3/9, set each year), compensating
-- days off and swapped working days.
create table holidays (
  day date primary key,
  name text not null check (length(name) between 1 and 200)
);

insert into holidays (day, name)
select make_date(y, m, d), n
  from generate_series(2026, 2027) as y,
       (values (1, 1, 'Tết Dương lịch'), (4, 30, 'Ngày Chiến thắng'), (5, 1, 'Ngày Quốc tế lao động'),
               (9, 2, 'Quốc khánh')) as h (m, d, n);

create function kc_today() returns date
language sql stable as $$ select (now() at time zone 'Asia/Ho_Chi_Minh')::date $$;

-- The p_days-th working day after p_from.
create function kc_working_day_due(p_from date, p_days integer) returns date
language sql stable as $$
  select x.d from (
    select g::date as d, row_number() over (order by g) as n
      from generate_series(p_from + 1, p_from + 3 * p_days + 60, interval '1 day') g
     where extract(isodow from g) < 6 and not exists (select 1 from holidays h where h.day = g::date)) x
   where x.n = p_days
$$;

-- ---------------------------------------------------------------------------
-- Calendar rules (0004's table) for plan years 2015–2031
-- ---------------------------------------------------------------------------
-- progress_monthly: the day of the month (25) by which each month's report
-- is due; the row's due is that day in January, and every month uses its day.
insert into calendar_rules (rule, year, due, legal_act, valid_from, confidence, note)
select r.rule, y, r.due, r.act, date '2014-02-10', r.conf, r.note
  from generate_series(2015, 2031) as y,
  lateral (values
    ('progress_monthly', make_date(y, 1, 25), 'TT 36/2013/TT-BCT Điều 23 khoản 3 điểm a', 'C',
     'Báo cáo tiến độ hằng tháng trước ngày 25: ngày của hạn này áp dụng cho mọi tháng.'),
    ('province_report_first_quarter', make_date(y, 3, 20), 'TT 36/2013/TT-BCT Điều 21 khoản 5; NĐ 09/2019/NĐ-CP', 'U',
     'Báo cáo quý của Sở Công Thương; ngày 20 suy từ quy ước chốt số liệu của NĐ 09/2019 (DOMAIN §2.9), chưa xác nhận cho khuyến công.'),
    ('province_report_six_month', make_date(y, 6, 20), 'TT 36/2013/TT-BCT Điều 21 khoản 5; NĐ 09/2019/NĐ-CP', 'U',
     'Báo cáo 6 tháng (số liệu 15/12 năm trước – 14/6), gửi trước 20/6 theo quy ước NĐ 09/2019; áp dụng cho khuyến công là suy luận.'),
    ('province_report_third_quarter', make_date(y, 9, 20), 'TT 36/2013/TT-BCT Điều 21 khoản 5; NĐ 09/2019/NĐ-CP', 'U',
     'Báo cáo quý III; ngày 20 suy từ quy ước chốt số liệu của NĐ 09/2019, chưa xác nhận cho khuyến công.'),
    ('province_report_annual', make_date(y, 12, 20), 'TT 36/2013/TT-BCT Điều 21 khoản 5; NĐ 09/2019/NĐ-CP', 'U',
     'Báo cáo năm (số liệu 15/12 năm trước – 14/12), gửi trước 20/12 theo quy ước NĐ 09/2019; áp dụng cho khuyến công là suy luận.'),
    ('settlement_deadline', make_date(y + 1, 1, 22), 'TT 36/2013/TT-BCT Điều 18 khoản 2', 'P',
     'Thanh lý hợp đồng và quyết toán với Cục chậm nhất 22/01 năm sau (bản gốc TT 36; TT 17/2018 có sửa hay không chưa rõ).'))
    as r (rule, due, act, conf, note)
on conflict (rule, year) do nothing;

create function kc_calendar_due(p_rule text, p_year integer) returns date
language sql stable as $$
  select due from calendar_rules where rule = p_rule and year = p_year
$$;

-- The due day of the progress report of the month p_period.
create function kc_progress_due(p_period date) returns date
language sql stable as $$
  select (p_period + (coalesce(extract(day from kc_calendar_due('progress_monthly',
                                                                extract(year from p_period)::integer)),
                               25) - 1)::integer)
$$;

-- ---------------------------------------------------------------------------
-- Correspondence
-- ---------------------------------------------------------------------------
create table correspondence (
  id bigint generated always as identity primary key,
  org_id bigint not null references orgs (id),           -- the province that opened it
  subject text not null check (length(subject) between 1 and 500),
  body text not null check (length(body) between 1 and 50000),
  plan_id bigint references plans (id),
  project_id bigint references projects (id),
  status text not null default 'open' check (status in ('open', 'answered', 'closed')),
  opened_by bigint not null references users (id),
  opened_at timestamptz not null default now(),
  answered_by bigint references users (id),
  answered_at timestamptz,
  answer text check (length(answer) <= 50000),
  closed_by bigint references users (id),
  closed_at timestamptz,
  version integer not null default 1,
  check ((status = 'open') = (answered_at is null) or status = 'closed')
);
create index correspondence_org_idx on correspondence (org_id, id);
create index correspondence_open_idx on correspondence (opened_at) where status = 'open';

create table correspondence_messages (
  id bigint generated always as identity primary key,
  correspondence_id bigint not null references correspondence (id),
  author_id bigint not null references users (id),
  author_role text not null,
  body text not null check (length(body) between 1 and 50000),
  at timestamptz not null default now()
);
create index correspondence_messages_idx on correspondence_messages (correspondence_id, id);

-- The day by which an open request is to be answered.
create function kc_correspondence_due(c correspondence) returns date
language sql stable as $$
  select kc_working_day_due((c.opened_at at time zone 'Asia/Ho_Chi_Minh')::date,
                            kc_deadline_setting('correspondence_sla_working_days'))
$$;

create function kc_correspondence_overdue(c correspondence) returns boolean
language sql stable as $$
  select c.status = 'open' and kc_today() > kc_correspondence_due(c)
$$;

create function kc_correspondence_visible(c correspondence, p_scope bigint) returns boolean
language sql stable as $$
  select c.id is not null and (p_scope is null or c.org_id in (select org_scope(p_scope)))
$$;

create function kc_correspondence_message_json(m correspondence_messages) returns jsonb
language sql stable as $$
  select jsonb_build_object('id', m.id, 'correspondence_id', m.correspondence_id,
                            'author_id', m.author_id, 'author_role', m.author_role,
                            'body', m.body, 'at', m.at)
$$;

create function kc_correspondence_json(c correspondence, p_full boolean) returns jsonb
language sql stable as $$
  select jsonb_build_object(
           'id', c.id, 'org_id', c.org_id, 'subject', c.subject, 'body', c.body,
           'plan_id', c.plan_id, 'project_id', c.project_id, 'status', c.status,
           'opened_by', c.opened_by, 'opened_at', c.opened_at,
           'answered_by', c.answered_by, 'answered_at', c.answered_at, 'answer', c.answer,
           'closed_by', c.closed_by, 'closed_at', c.closed_at, 'version', c.version,
           'due', kc_correspondence_due(c), 'overdue', kc_correspondence_overdue(c))
         || case when p_full then jsonb_build_object('messages',
              coalesce((select jsonb_agg(kc_correspondence_message_json(m) order by m.id)
                          from correspondence_messages m where m.correspondence_id = c.id), '[]'::jsonb))
            else '{}'::jsonb end
$$;

-- correspondence.open {subject, body, plan_id?, project_id?}: a province's
-- officer or leader, for the province (p_scope).
create function kc_correspondence_open(p_user bigint, p_username text, p_peer text, p_role text,
                                       p_scope bigint, p jsonb) returns jsonb
language plpgsql as $$
declare
  c correspondence;
  v_plan bigint := (p->>'plan_id')::bigint;
  v_project bigint := (p->>'project_id')::bigint;
  v_viol jsonb;
begin
  if p_scope is null then
    return kc_err(1003, 'correspondence is opened by a province');
  end if;
  select coalesce(jsonb_agg(x), '[]'::jsonb) into v_viol from (
    select kc_violation('plan_id', 'exists', 'no such plan in the province') as x
     where v_plan is not null
       and not exists (select 1 from plans pl where pl.id = v_plan
                          and kc_plan_visible(pl.org_id, pl.scope, pl.status, p_scope))
    union all
    select kc_violation('project_id', 'exists', 'no such project in the province')
     where v_project is not null
       and not exists (select 1 from projects pr join plans pl on pl.id = pr.plan_id
                        where pr.id = v_project and kc_plan_visible(pl.org_id, pl.scope, pl.status, p_scope))
    union all
    select kc_violation('project_id', 'plan', 'the project is not of that plan')
     where v_plan is not null and v_project is not null
       and not exists (select 1 from projects pr where pr.id = v_project and pr.plan_id = v_plan)) t;
  if jsonb_array_length(v_viol) > 0 then
    return kc_err(1022, v_viol->0->>'message', jsonb_build_object('violations', v_viol));
  end if;
  insert into correspondence (org_id, subject, body, plan_id, project_id, opened_by)
  values (p_scope, p->>'subject', p->>'body', v_plan, v_project, p_user)
  returning * into c;
  perform kc_audit(p_user, p_username, p_peer, 'correspondence.open', 'correspondence', c.id, null,
                   kc_correspondence_json(c, false));
  return jsonb_build_object('result', kc_correspondence_json(c, true));
end $$;

-- correspondence.reply {id, body}: both sides, until it is closed.
create function kc_correspondence_reply(p_user bigint, p_username text, p_peer text, p_role text,
                                        p_scope bigint, p jsonb) returns jsonb
language plpgsql as $$
declare
  c correspondence;
  m correspondence_messages;
begin
  select * into c from correspondence where id = (p->>'id')::bigint for update;
  if not coalesce(kc_correspondence_visible(c, p_scope), false) then
    return kc_err(1004, 'no such correspondence');
  end if;
  if c.status = 'closed' then
    return kc_err(1010, 'not allowed while the correspondence is closed', jsonb_build_object('status', c.status));
  end if;
  insert into correspondence_messages (correspondence_id, author_id, author_role, body)
  values (c.id, p_user, p_role, p->>'body') returning * into m;
  perform kc_audit(p_user, p_username, p_peer, 'correspondence.reply', 'correspondence_message', m.id,
                   null, kc_correspondence_message_json(m));
  return jsonb_build_object('result', kc_correspondence_message_json(m));
end $$;

-- correspondence.answer {id, version, answer}: the Ministry (open → answered).
create function kc_correspondence_answer(p_user bigint, p_username text, p_peer text, p_role text,
                                         p_scope bigint, p jsonb) returns jsonb
language plpgsql as $$
declare
  c correspondence;
  v_err jsonb;
  v_before jsonb;
begin
  select * into c from correspondence where id = (p->>'id')::bigint for update;
  if not coalesce(kc_correspondence_visible(c, p_scope), false) then
    return kc_err(1004, 'no such correspondence');
  end if;
  if p_role not in ('ministry_reviewer', 'ministry_approver') then
    return kc_err(1003, 'the Ministry answers correspondence');
  end if;
  v_err := kc_record_check('correspondence', true, c.version, (p->>'version')::integer, c.status,
                           array['open']);
  if v_err is not null then
    return v_err;
  end if;
  v_before := kc_correspondence_json(c, false);
  update correspondence set status = 'answered', answer = p->>'answer', answered_by = p_user,
                            answered_at = now(), version = version + 1
   where id = c.id returning * into c;
  perform kc_audit(p_user, p_username, p_peer, 'correspondence.answer', 'correspondence', c.id, v_before,
                   kc_correspondence_json(c, false));
  return jsonb_build_object('result', kc_correspondence_json(c, true));
end $$;

-- correspondence.close {id, version}: the province or the Ministry.
create function kc_correspondence_close(p_user bigint, p_username text, p_peer text, p_role text,
                                        p_scope bigint, p jsonb) returns jsonb
language plpgsql as $$
declare
  c correspondence;
  v_err jsonb;
  v_before jsonb;
begin
  select * into c from correspondence where id = (p->>'id')::bigint for update;
  v_err := kc_record_check('correspondence', kc_correspondence_visible(c, p_scope), c.version,
                           (p->>'version')::integer, c.status, array['open', 'answered']);
  if v_err is not null then
    return v_err;
  end if;
  v_before := kc_correspondence_json(c, false);
  update correspondence set status = 'closed', closed_by = p_user, closed_at = now(), version = version + 1
   where id = c.id returning * into c;
  perform kc_audit(p_user, p_username, p_peer, 'correspondence.close', 'correspondence', c.id, v_before,
                   kc_correspondence_json(c, false));
  return jsonb_build_object('result', kc_correspondence_json(c, true));
end $$;

create function kc_correspondence_get(p_scope bigint, p jsonb) returns jsonb
language sql stable as $$
  select coalesce(
    (select jsonb_build_object('result', kc_correspondence_json(c, true))
       from correspondence c where c.id = (p->>'id')::bigint and kc_correspondence_visible(c, p_scope)),
    kc_err(1004, 'no such correspondence'))
$$;

-- An org_id filter outside the caller's scope: 1004.
create function kc_org_filter_err(p_scope bigint, p jsonb) returns jsonb
language sql stable as $$
  select case when p->>'org_id' is not null
               and (not exists (select 1 from orgs where id = (p->>'org_id')::bigint)
                    or (p_scope is not null
                        and (p->>'org_id')::bigint not in (select org_scope(p_scope))))
              then kc_err(1004, 'no such organisation') end
$$;

-- correspondence.list {status?, overdue?, org_id?, limit, cursor}
create function kc_correspondence_list(p_scope bigint, p jsonb) returns jsonb
language sql stable as $$
  with lim as (select coalesce((p->>'limit')::integer, 100) as n),
  page as (
    select c.id from correspondence c
     where kc_correspondence_visible(c, p_scope)
       and (p->>'cursor' is null or c.id < (p->>'cursor')::bigint)
       and (p->>'status' is null or c.status = p->>'status')
       and (p->>'org_id' is null or c.org_id in (select org_scope((p->>'org_id')::bigint)))
       and (p->>'overdue' is null or kc_correspondence_overdue(c) = (p->>'overdue')::boolean)
     order by c.id desc limit (select n from lim) + 1),
  shown as (select id from page order by id desc limit (select n from lim))
  select coalesce(kc_org_filter_err(p_scope, p), jsonb_build_object('result', jsonb_build_object(
    'items', coalesce((select jsonb_agg(kc_correspondence_json(c, false) order by c.id desc)
                         from correspondence c where c.id in (select id from shown)), '[]'::jsonb),
    'next_cursor', case when (select count(*) from page) > (select n from lim)
                        then (select min(id) from shown)::text end)))
$$;

-- ---------------------------------------------------------------------------
-- Attachments on correspondence (the owner types of 0009 plus one):
--   correspondence  owner_id = the request; visible to its province and the
--                   Ministry; deletable while the request is open
-- (read by kc_attachment_owner, final form in 0016_comment_attachments.sql)
-- ---------------------------------------------------------------------------
alter table attachments drop constraint attachments_owner_type_check;
alter table attachments add constraint attachments_owner_type_check
  check (owner_type in ('plan', 'project', 'plan_appraisal', 'progress_report', 'acceptance',
                        'correspondence'));

-- ---------------------------------------------------------------------------
-- What is late (deadline.overdue)
-- ---------------------------------------------------------------------------
-- One row per late item in the caller's scope (p_scope null: everything the
-- Ministry sees) on p_today. org_id is the province (kc_scope_root).
create function kc_overdue_items(p_scope bigint, p_today date)
returns table (kind text, org_id bigint, plan_id bigint, project_id bigint, project_code text,
               correspondence_id bigint, period date, due date, days_late integer, responsible text)
language sql stable as $$
  with vis as (
    select pr.id, pr.code, pr.status, pr.start_date, pr.end_date, pr.kind, pl.id as plan_id,
           pl.year, pl.scope, kc_scope_root(pl.org_id) as province
      from projects pr join plans pl on pl.id = pr.plan_id
     where kc_plan_visible(pl.org_id, pl.scope, pl.status, p_scope)),
  months as (
    select v.*, m::date as period
      from vis v left join project_kinds k on k.code = v.kind,
      generate_series(greatest(make_date(v.year, 1, 1), date_trunc('month', v.start_date)::date),
                      least(date_trunc('month', coalesce(v.end_date,
                              make_date(v.year + coalesce(k.max_years, 1) - 1 + kc_project_extension(v.id), 12, 31))),
                            date_trunc('month', p_today)),
                      interval '1 month') m
     where v.status in ('approved', 'in_progress'))
  select 'progress_report', m.province, m.plan_id, m.id, m.code, null::bigint, m.period,
         kc_progress_due(m.period), p_today - kc_progress_due(m.period), 'province'
    from months m
   where p_today > kc_progress_due(m.period)
     and not exists (select 1 from project_progress_reports r where r.project_id = m.id and r.period = m.period)
  union all
  select 'settlement_dossier', v.province, v.plan_id, v.id, v.code, null, null,
         a.accepted_on + kc_deadline_setting('settlement_dossier_days'),
         p_today - (a.accepted_on + kc_deadline_setting('settlement_dossier_days')), 'province'
    from vis v join project_acceptances a on a.project_id = v.id
   where v.scope = 'national' and v.status = 'completed'
     and p_today > a.accepted_on + kc_deadline_setting('settlement_dossier_days')
  union all
  select 'settlement', v.province, v.plan_id, v.id, v.code, null, null,
         coalesce(kc_calendar_due('settlement_deadline', v.year), make_date(v.year + 1, 1, 22)),
         p_today - coalesce(kc_calendar_due('settlement_deadline', v.year), make_date(v.year + 1, 1, 22)),
         'province'
    from vis v
   where v.scope = 'national' and v.status = 'completed'
     and p_today > coalesce(kc_calendar_due('settlement_deadline', v.year), make_date(v.year + 1, 1, 22))
  union all
  select 'correspondence', c.org_id, c.plan_id, c.project_id, null, c.id, null,
         kc_correspondence_due(c), p_today - kc_correspondence_due(c), 'ministry'
    from correspondence c
   where c.status = 'open' and kc_correspondence_visible(c, p_scope)
     and p_today > kc_correspondence_due(c)
$$;

-- deadline.overdue {org_id?, kind?}
create function kc_deadline_overdue(p_scope bigint, p jsonb) returns jsonb
language sql stable as $$
  with items as (
    select * from kc_overdue_items(p_scope, kc_today()) i
     where (p->>'kind' is null or i.kind = p->>'kind')
       and (p->>'org_id' is null or i.org_id in (select org_scope((p->>'org_id')::bigint))))
  select coalesce(kc_org_filter_err(p_scope, p), jsonb_build_object('result', jsonb_build_object(
    'as_of', kc_today(),
    'items', coalesce((select jsonb_agg(to_jsonb(i) order by i.org_id, i.kind, i.project_id, i.period,
                                        i.correspondence_id) from items i), '[]'::jsonb),
    'by_province', coalesce((select jsonb_agg(jsonb_build_object('org_id', x.org_id, 'count', x.n,
                                                                'kinds', x.kinds) order by x.org_id)
                               from (select i.org_id, sum(i.k) as n, jsonb_object_agg(i.kind, i.k) as kinds
                                       from (select org_id, kind, count(*) as k from items group by 1, 2) i
                                      group by i.org_id) x), '[]'::jsonb),
    'by_project', coalesce((select jsonb_agg(jsonb_build_object('project_id', i.project_id,
                                                               'code', i.project_code, 'org_id', i.org_id,
                                                               'count', i.n) order by i.project_id)
                              from (select project_id, project_code, org_id, count(*) as n from items
                                     where project_id is not null and kind <> 'correspondence'
                                     group by 1, 2, 3) i), '[]'::jsonb))))
$$;
