-- 0010_review.sql — the Ministry's appraisal (thẩm định cấp Bộ) and decision
-- on the projects a province forwarded (issue 4, "Ministry appraisal").
--
-- Sources (DOMAIN.md): §2.4 TT 36/2013 Art. 7 (selection order), Art. 8.2
-- (ministry appraisal), Art. 9 (the five appraisal criteria); §2.11 steps
-- 7–9 (supplementary documents, appraisal passed, not selected).
--
--   review_assignments  one assigned reviewer per project (review.assign)
--   review_comments     the thread of a project, seen by the Ministry and by
--                       the project's province (review.comment/comments)
--   review_criteria     the five criteria of TT 36/2013 Art. 9
--   review_scores       per reviewer and criterion, 0..10 with a note
--   project_versions    a snapshot of the project each time it reaches the
--                       Ministry (forwarded: stage base_appraised;
--                       resubmitted), written by trigger, so that a
--                       resubmission can be compared field by field
--                       (review.diff)
--   settings            small key/value table; review.scorer_may_approve
--                       ('false' by default): whether the person who scored
--                       a project may also approve it
--
-- Every function follows 0005/0008: one statement; scope (1004) → role for
-- this record (1003) → version (1009) → status (1010) → rules (1022);
-- kc_actor_set for the status triggers; kc_audit last.

-- ---------------------------------------------------------------------------
-- Settings
-- ---------------------------------------------------------------------------
create table if not exists settings (
  key text primary key,
  value text not null,
  note text
);
insert into settings (key, value, note) values
  ('review.scorer_may_approve', 'false',
   'true: a ministry_approver who scored a project (review.score) may still approve it; false (default): refused with 1022 rule scorer_approves (issue 4, separation of duties)')
on conflict (key) do nothing;

create or replace function kc_setting(p_key text, p_default text default null) returns text
language sql stable as $$
  select coalesce((select value from settings where key = p_key), p_default)
$$;

-- ---------------------------------------------------------------------------
-- Stages and transitions
-- ---------------------------------------------------------------------------
insert into project_stages (status, stage, step, legal_basis) values
  ('approved', 'ministry_appraised', '8', 'TT 36/2013 Art. 8.2 (ministry appraisal passed)')
on conflict do nothing;

insert into project_transitions (from_status, to_status, to_stage, role, scope, action, legal_basis)
values
  ('submitted', 'approved', 'ministry_appraised', 'ministry_approver', 'national',
   'review.decide approve', 'TT 36/2013 Art. 8.2, 9'),
  ('revision_requested', 'rejected', 'not_selected', 'ministry_approver', 'national',
   'review.decide reject', 'TT 36/2013 Art. 7')
on conflict do nothing;
-- 0005 already has: submitted → revision_requested (ministry_reviewer,
-- ministry_approver), revision_requested → submitted / resubmitted
-- (province_officer, province_leader), submitted → rejected / not_selected
-- (ministry_approver), all national.

-- ---------------------------------------------------------------------------
-- Tables
-- ---------------------------------------------------------------------------
create table review_criteria (
  criterion smallint primary key check (criterion between 1 and 5),
  name text not null,
  legal_basis text not null
);
insert into review_criteria (criterion, name, legal_basis) values
  (1, 'phù hợp nguyên tắc, chính sách, chương trình (fit with policy and programme)', 'TT 36/2013 Art. 9.1'),
  (2, 'mục tiêu, sự cần thiết, hiệu quả, sử dụng kinh phí hợp lý (objectives, necessity, effectiveness, reasonable cost)', 'TT 36/2013 Art. 9.2'),
  (3, 'năng lực đơn vị thực hiện, đối tác, thụ hưởng (capacity of implementer, partners, beneficiaries)', 'TT 36/2013 Art. 9.3'),
  (4, 'khả năng lồng ghép chương trình khác (combination with other programmes)', 'TT 36/2013 Art. 9.4'),
  (5, 'tính đầy đủ của hồ sơ (completeness of the dossier)', 'TT 36/2013 Art. 9.5');

create table review_assignments (
  project_id bigint primary key references projects (id) on delete cascade,
  reviewer_id bigint not null references users (id),
  assigned_by bigint not null references users (id),
  at timestamptz not null default now()
);

create table review_comments (
  id bigint generated always as identity primary key,
  project_id bigint not null references projects (id) on delete cascade,
  author_id bigint not null references users (id),
  author_role text not null,
  kind text not null default 'comment' check (kind in ('comment', 'decision')),
  body text not null check (length(body) between 1 and 20000),
  at timestamptz not null default now()
);
create index review_comments_project_idx on review_comments (project_id, id);

create table review_scores (
  project_id bigint not null references projects (id) on delete cascade,
  reviewer_id bigint not null references users (id),
  criterion smallint not null references review_criteria (criterion),
  score smallint not null check (score between 0 and 10),
  note text check (length(note) <= 20000),
  at timestamptz not null default now(),
  unique (project_id, reviewer_id, criterion)
);

create table project_versions (
  project_id bigint not null references projects (id) on delete cascade,
  version integer not null,               -- 1 = forwarded, 2.. = resubmissions
  project_version integer not null,       -- projects.version at that moment
  stage text not null,
  snapshot jsonb not null,
  sent_back boolean not null default false,  -- a revision was requested on it
  at timestamptz not null default now(),
  primary key (project_id, version)
);

-- AFTER: a snapshot each time the project reaches the Ministry.
create function projects_snapshot() returns trigger
language plpgsql as $$
begin
  if new.stage in ('base_appraised', 'resubmitted') and new.stage is distinct from old.stage then
    insert into project_versions (project_id, version, project_version, stage, snapshot)
    values (new.id,
            coalesce((select max(version) from project_versions where project_id = new.id), 0) + 1,
            new.version, new.stage, kc_project_json(new.id, true) - 'history');
  end if;
  return null;
end $$;

create trigger projects_snapshot after update on projects
  for each row execute function projects_snapshot();

-- ---------------------------------------------------------------------------
-- Helpers
-- ---------------------------------------------------------------------------

-- The project and its plan when the caller may see it (null otherwise).
create function kc_review_project(p_scope bigint, p_id bigint, p_lock boolean default false)
returns projects
language plpgsql as $$
declare
  pr projects;
  v plans;
begin
  if p_lock then
    select * into pr from projects where id = p_id for update;
  else
    select * into pr from projects where id = p_id;
  end if;
  if pr.id is null then
    return null;
  end if;
  select * into v from plans where id = pr.plan_id;
  if not kc_plan_visible(v.org_id, v.scope, v.status, p_scope) then
    return null;
  end if;
  return pr;
end $$;

-- Waiting for the Ministry: forwarded or resubmitted.
create function kc_review_in_queue(pr projects) returns boolean
language sql immutable as $$
  select pr.status = 'submitted' and pr.stage in ('base_appraised', 'resubmitted')
$$;

create function kc_review_comment_json(c review_comments) returns jsonb
language sql stable as $$
  select jsonb_build_object('id', c.id, 'project_id', c.project_id, 'author_id', c.author_id,
                            'author', (select u.full_name from users u where u.id = c.author_id),
                            'author_role', c.author_role, 'kind', c.kind, 'body', c.body,
                            'at', kc_instant(c.at))
$$;

create function kc_review_scores_json(p_id bigint) returns jsonb
language sql stable as $$
  select jsonb_build_object(
    'average', (select round(avg(score), 2) from review_scores where project_id = p_id),
    'items', coalesce((select jsonb_agg(jsonb_build_object('reviewer_id', s.reviewer_id,
                                                           'criterion', s.criterion, 'score', s.score,
                                                           'note', s.note, 'at', kc_instant(s.at))
                                        order by s.reviewer_id, s.criterion)
                         from review_scores s where s.project_id = p_id), '[]'::jsonb))
$$;

-- Field-by-field differences between two project JSONs: budget lines by
-- source ("budget_lines.central"), indicator targets by code
-- ("indicators.I01"), every other field as a whole. Bookkeeping fields
-- (status, stage, version, times, check results) are left out.
create function kc_review_diff_json(a jsonb, b jsonb) returns jsonb
language sql immutable as $$
  with skip (k) as (
    values ('status'), ('stage'), ('version'), ('updated_at'), ('checked_at'), ('checked_on'),
           ('checked_cap_id'), ('warnings'), ('history'), ('cancellation'), ('acceptance'),
           ('created_at'), ('created_by'), ('budget_lines'), ('indicators')),
  lines as (
    select coalesce(x.s, y.s) as s, x.amt as before, y.amt as after
      from (select e->>'source' as s, e->'amount' as amt
              from jsonb_array_elements(coalesce(a->'budget_lines', '[]')) e) x
      full join (select e->>'source' as s, e->'amount' as amt
                   from jsonb_array_elements(coalesce(b->'budget_lines', '[]')) e) y on x.s = y.s),
  inds as (
    select coalesce(x.s, y.s) as s, x.t as before, y.t as after
      from (select e->>'code' as s, e->'target' as t
              from jsonb_array_elements(coalesce(a->'indicators', '[]')) e) x
      full join (select e->>'code' as s, e->'target' as t
                   from jsonb_array_elements(coalesce(b->'indicators', '[]')) e) y on x.s = y.s),
  d as (
    select 0 as g, k as field, a->k as before, b->k as after
      from (select jsonb_object_keys(a) as k union select jsonb_object_keys(b)) keys
     where k not in (select k from skip) and (a->k) is distinct from (b->k)
    union all
    select 1, 'budget_lines.' || s, before, after from lines where before is distinct from after
    union all
    select 2, 'indicators.' || s, before, after from inds where before is distinct from after)
  select coalesce(jsonb_agg(jsonb_build_object('field', field, 'before', coalesce(before, 'null'::jsonb),
                                               'after', coalesce(after, 'null'::jsonb))
                            order by g, field), '[]'::jsonb)
    from d
$$;

-- The selection order of TT 36/2013 Art. 7: flagship projects (đề án điểm)
-- first; then the priority area (a → d, TT 46/2012 Art. 6; none last); then
-- the priority sectors (group b flags — typical product, export, local raw
-- materials, labour-intensive — before group a, supporting industry; none
-- last); then the average appraisal score, highest first (unscored last);
-- then the project id.
create function kc_review_rank(pr projects) returns jsonb
language sql stable as $$
  select jsonb_build_object(
    'flagship', pr.kind = 'flagship',
    'area_rank', (select a.rank from priority_areas a where a.code = pr.priority_area),
    'sector_rank', case when pr.export or pr.local_materials or pr.labour_intensive
                             or kc_project_typical(pr.id) then 1
                        when pr.supporting_industry then 2 end,
    'average_score', (select round(avg(score), 2) from review_scores s where s.project_id = pr.id))
$$;

-- ---------------------------------------------------------------------------
-- review.queue {province?, category?, kind?, late?, limit, cursor}
-- cursor: the offset of the next page (the order is computed).
-- ---------------------------------------------------------------------------
create function kc_review_queue(p_scope bigint, p jsonb) returns jsonb
language sql stable as $$
  with q as (
    select pr.id, pl.late, pl.org_id, kc_review_rank(pr) as rk
      from projects pr join plans pl on pl.id = pr.plan_id
     where kc_review_in_queue(pr) and pl.scope = 'national'
       and kc_plan_visible(pl.org_id, pl.scope, pl.status, p_scope)
       and (p->>'province' is null or pl.org_id in (select org_scope((p->>'province')::bigint)))
       and (p->>'kind' is null or pr.kind = p->>'kind')
       and (p->>'late' is null or pl.late = (p->>'late')::boolean)
       and (p->>'category' is null
            or exists (select 1 from project_categories c
                        where c.project_id = pr.id and c.content_code = p->>'category'))),
  o as (
    select q.*, row_number() over (order by (rk->>'flagship')::boolean desc,
                                            (rk->>'area_rank')::integer nulls last,
                                            (rk->>'sector_rank')::integer nulls last,
                                            (rk->>'average_score')::numeric desc nulls last,
                                            id) as n
      from q),
  page as (
    select * from o
     where n > coalesce((p->>'cursor')::bigint, 0)
       and n <= coalesce((p->>'cursor')::bigint, 0) + coalesce((p->>'limit')::bigint, 100))
  select jsonb_build_object('result', jsonb_build_object(
    'items', coalesce((select jsonb_agg(kc_project_json(page.id, false)
                                        || jsonb_build_object('late', page.late, 'rank', page.rk,
                                                              'position', page.n,
                                                              'reviewer_id', (select a.reviewer_id from review_assignments a
                                                                               where a.project_id = page.id),
                                                              'submission', (select max(v.version) from project_versions v
                                                                              where v.project_id = page.id))
                                        order by page.n) from page), '[]'::jsonb),
    'next_cursor', (select case when max(page.n) < (select max(n) from o) then max(page.n)::text end
                      from page)))
$$;

-- ---------------------------------------------------------------------------
-- review.assign {project_id, reviewer_id} (ministry_approver)
-- ---------------------------------------------------------------------------
create function kc_review_assign(p_user bigint, p_username text, p_peer text, p_role text,
                                 p_scope bigint, p jsonb) returns jsonb
language plpgsql as $$
declare
  pr projects := kc_review_project(p_scope, (p->>'project_id')::bigint, true);
  v_before jsonb;
  v_after jsonb;
begin
  if pr.id is null then
    return kc_err(1004, 'no such project');
  end if;
  if p_role <> 'ministry_approver' then
    return kc_err(1003, 'only the approver assigns reviewers');
  end if;
  if not kc_review_in_queue(pr) then
    return kc_err(1010, format('not allowed while the project is %s / %s', pr.status, pr.stage),
                  jsonb_build_object('status', pr.status));
  end if;
  if not exists (select 1 from users u where u.id = (p->>'reviewer_id')::bigint and u.disabled_at is null
                    and u.role in ('ministry_reviewer', 'ministry_approver')) then
    return kc_err(1022, 'the reviewer must be an active ministry_reviewer or ministry_approver',
                  jsonb_build_object('violations', jsonb_build_array(kc_violation(
                    'reviewer_id', 'reviewer', 'the reviewer must be an active ministry_reviewer or ministry_approver'))));
  end if;
  select to_jsonb(a) into v_before from review_assignments a where a.project_id = pr.id;
  insert into review_assignments as a (project_id, reviewer_id, assigned_by)
  values (pr.id, (p->>'reviewer_id')::bigint, p_user)
  on conflict (project_id) do update set reviewer_id = excluded.reviewer_id,
                                         assigned_by = excluded.assigned_by, at = now();
  select jsonb_build_object('project_id', a.project_id, 'reviewer_id', a.reviewer_id,
                            'assigned_by', a.assigned_by, 'at', kc_instant(a.at))
    into v_after from review_assignments a where a.project_id = pr.id;
  perform kc_audit(p_user, p_username, p_peer, 'review.assign', 'project', pr.id, v_before, v_after);
  return jsonb_build_object('result', v_after);
end $$;

-- ---------------------------------------------------------------------------
-- review.comment {project_id, body}: the Ministry, and the project's province
-- (officer, leader) replying; only once the project left the province.
-- ---------------------------------------------------------------------------
create function kc_review_comment(p_user bigint, p_username text, p_peer text, p_role text,
                                  p_scope bigint, p jsonb) returns jsonb
language plpgsql as $$
declare
  pr projects := kc_review_project(p_scope, (p->>'project_id')::bigint, false);
  v plans;
  c review_comments;
begin
  if pr.id is null then
    return kc_err(1004, 'no such project');
  end if;
  if p_role not in ('ministry_reviewer', 'ministry_approver', 'province_officer', 'province_leader') then
    return kc_err(1003, 'this role may not comment');
  end if;
  select * into v from plans where id = pr.plan_id;
  if v.scope <> 'national' or v.status in ('draft', 'submitted') then
    return kc_err(1010, 'the review thread opens when the project is forwarded to the Ministry',
                  jsonb_build_object('status', pr.status));
  end if;
  insert into review_comments (project_id, author_id, author_role, body)
  values (pr.id, p_user, p_role, p->>'body') returning * into c;
  perform kc_audit(p_user, p_username, p_peer, 'review.comment', 'review_comment', c.id, null,
                   kc_review_comment_json(c));
  return jsonb_build_object('result', kc_review_comment_json(c));
end $$;

-- review.comments {project_id}
create function kc_review_comments(p_scope bigint, p jsonb) returns jsonb
language plpgsql stable as $$
declare
  pr projects;
begin
  select * into pr from projects where id = (p->>'project_id')::bigint;
  if pr.id is null or not exists (select 1 from plans v where v.id = pr.plan_id
                                     and kc_plan_visible(v.org_id, v.scope, v.status, p_scope)) then
    return kc_err(1004, 'no such project');
  end if;
  return jsonb_build_object('result', jsonb_build_object(
    'items', coalesce((select jsonb_agg(kc_review_comment_json(c) order by c.id)
                         from review_comments c where c.project_id = pr.id), '[]'::jsonb)));
end $$;

-- ---------------------------------------------------------------------------
-- review.score {project_id, scores: [{criterion, score, note}]}: the
-- caller's own scores, one row per criterion (a new score replaces it).
-- ---------------------------------------------------------------------------
create function kc_review_score(p_user bigint, p_username text, p_peer text, p_role text,
                                p_scope bigint, p jsonb) returns jsonb
language plpgsql as $$
declare
  pr projects := kc_review_project(p_scope, (p->>'project_id')::bigint, true);
  v_before jsonb;
  v_after jsonb;
  v_dup text;
begin
  if pr.id is null then
    return kc_err(1004, 'no such project');
  end if;
  if p_role not in ('ministry_reviewer', 'ministry_approver') then
    return kc_err(1003, 'only the Ministry scores projects');
  end if;
  if not kc_review_in_queue(pr) then
    return kc_err(1010, format('not allowed while the project is %s / %s', pr.status, pr.stage),
                  jsonb_build_object('status', pr.status));
  end if;
  select string_agg(distinct x, ', ') into v_dup
    from (select e->>'criterion' as x from jsonb_array_elements(p->'scores') e) s
   group by x having count(*) > 1;
  if v_dup is not null then
    return kc_err(1022, 'a criterion is given twice', jsonb_build_object('violations',
      jsonb_build_array(kc_violation('scores', 'unique', format('criterion %s is given twice', v_dup)))));
  end if;
  v_before := kc_review_scores_json(pr.id);
  insert into review_scores as s (project_id, reviewer_id, criterion, score, note)
  select pr.id, p_user, (e->>'criterion')::smallint, (e->>'score')::smallint, e->>'note'
    from jsonb_array_elements(p->'scores') e
  on conflict (project_id, reviewer_id, criterion)
  do update set score = excluded.score, note = excluded.note, at = now();
  v_after := kc_review_scores_json(pr.id);
  perform kc_audit(p_user, p_username, p_peer, 'review.score', 'project', pr.id, v_before, v_after);
  return jsonb_build_object('result', v_after || jsonb_build_object('project_id', pr.id));
end $$;

-- ---------------------------------------------------------------------------
-- review.decide {project_id, version, decision, comment}
--   request_revision  ministry_reviewer, ministry_approver → revision_requested
--   approve           ministry_approver → approved / ministry_appraised
--                     (not the person who scored it, unless the setting
--                     review.scorer_may_approve is 'true': 1022 scorer_approves)
--   reject            ministry_approver, with a reason → rejected / not_selected
-- ---------------------------------------------------------------------------
create function kc_review_decide(p_user bigint, p_username text, p_peer text, p_role text,
                                 p_scope bigint, p jsonb) returns jsonb
language plpgsql as $$
declare
  pr projects := kc_review_project(p_scope, (p->>'project_id')::bigint, true);
  v_decision text := p->>'decision';
  v_comment text := nullif(btrim(coalesce(p->>'comment', '')), '');
  v_err jsonb;
  v_before jsonb;
  v_after jsonb;
begin
  if pr.id is null or p_scope is not null then
    return kc_err(1004, 'no such project');
  end if;
  if v_decision in ('approve', 'reject') and p_role <> 'ministry_approver' then
    return kc_err(1003, format('only the approver may %s a project', v_decision));
  end if;
  if p_role not in ('ministry_reviewer', 'ministry_approver') then
    return kc_err(1003, 'only the Ministry decides');
  end if;
  v_err := kc_record_check('project', true, pr.version, (p->>'version')::integer, pr.status,
                           array['submitted']);
  if v_err is null and not kc_review_in_queue(pr) then
    v_err := kc_err(1010, format('not allowed while the project is %s / %s', pr.status, pr.stage),
                    jsonb_build_object('status', pr.status));
  end if;
  if v_err is not null then
    return v_err;
  end if;
  if v_decision = 'reject' and v_comment is null then
    return kc_err(1022, 'a reason is required to reject a project',
                  jsonb_build_object('violations', jsonb_build_array(
                    kc_violation('comment', 'required', 'a reason is required to reject a project'))));
  end if;
  if v_decision = 'approve' and kc_setting('review.scorer_may_approve', 'false') <> 'true'
     and exists (select 1 from review_scores s where s.project_id = pr.id and s.reviewer_id = p_user) then
    return kc_err(1022, 'the person who scored a project cannot approve it',
                  jsonb_build_object('violations', jsonb_build_array(kc_violation('decision', 'scorer_approves',
                    'the person who scored a project cannot approve it (settings review.scorer_may_approve)'))));
  end if;
  v_before := kc_project_json(pr.id, false);
  perform kc_actor_set(p_user, p_role, v_comment);
  if v_decision = 'request_revision' then
    update projects set status = 'revision_requested', stage = 'revision_requested',
                        version = version + 1 where id = pr.id;
    update project_versions set sent_back = true
     where project_id = pr.id
       and version = (select max(version) from project_versions where project_id = pr.id);
  elsif v_decision = 'approve' then
    update projects set status = 'approved', stage = 'ministry_appraised', version = version + 1
     where id = pr.id;
  elsif v_decision = 'reject' then
    update projects set status = 'rejected', stage = 'not_selected', version = version + 1
     where id = pr.id;
  else
    raise exception 'unknown decision %', v_decision;
  end if;
  if v_comment is not null then
    insert into review_comments (project_id, author_id, author_role, kind, body)
    values (pr.id, p_user, p_role, 'decision', v_decision || ': ' || v_comment);
  end if;
  v_after := kc_project_json(pr.id, false) || jsonb_build_object('decision', v_decision);
  perform kc_audit(p_user, p_username, p_peer, 'review.decide', 'project', pr.id, v_before, v_after);
  return jsonb_build_object('result', v_after);
end $$;

-- ---------------------------------------------------------------------------
-- project.resubmit {id, version}: the province sends a revised project back
-- (revision_requested → submitted / resubmitted); the submission rules of
-- 0006 apply (1022); the trigger keeps the new snapshot.
-- ---------------------------------------------------------------------------
create function kc_project_resubmit(p_user bigint, p_username text, p_peer text, p_role text,
                                    p_scope bigint, p jsonb) returns jsonb
language plpgsql as $$
declare
  pr projects := kc_review_project(p_scope, (p->>'id')::bigint, true);
  v_err jsonb;
  v_check jsonb;
  v_before jsonb;
  v_after jsonb;
begin
  v_err := kc_record_check('project', pr.id is not null and p_scope is not null, pr.version,
                           (p->>'version')::integer, pr.status, array['revision_requested']);
  if v_err is not null then
    return v_err;
  end if;
  v_check := kc_project_check(pr.id, true);
  if jsonb_array_length(v_check->'violations') > 0 then
    return kc_err(1022, v_check->'violations'->0->>'message',
                  jsonb_build_object('violations', v_check->'violations',
                                     'warnings', v_check->'warnings'));
  end if;
  v_before := kc_project_json(pr.id, false);
  perform kc_actor_set(p_user, p_role, p->>'comment');
  update projects set status = 'submitted', stage = 'resubmitted', version = version + 1
   where id = pr.id;
  perform kc_project_record_check(pr.id, true);
  v_after := kc_project_json(pr.id, false);
  perform kc_audit(p_user, p_username, p_peer, 'project.resubmit', 'project', pr.id, v_before, v_after);
  return jsonb_build_object('result', v_after);
end $$;

-- ---------------------------------------------------------------------------
-- review.diff {project_id}: the version the Ministry sent back (the last
-- snapshot with a revision requested) against the current project.
-- ---------------------------------------------------------------------------
create function kc_review_diff(p_scope bigint, p jsonb) returns jsonb
language plpgsql stable as $$
declare
  pr projects;
  f project_versions;
  v_to integer;
  v_now jsonb;
begin
  select * into pr from projects where id = (p->>'project_id')::bigint;
  if pr.id is null or not exists (select 1 from plans v where v.id = pr.plan_id
                                     and kc_plan_visible(v.org_id, v.scope, v.status, p_scope)) then
    return kc_err(1004, 'no such project');
  end if;
  select * into f from project_versions
   where project_id = pr.id and sent_back order by version desc limit 1;
  select max(version) into v_to from project_versions where project_id = pr.id;
  v_now := kc_project_json(pr.id, true) - 'history';
  return jsonb_build_object('result', jsonb_build_object(
    'project_id', pr.id,
    'from_version', f.version,
    'from_at', kc_instant(f.at),
    -- the resubmitted snapshot, or null while the province is still editing
    'to_version', case when f.version is not null and v_to > f.version then v_to end,
    'changes', case when f.version is null then '[]'::jsonb
                    else kc_review_diff_json(f.snapshot, v_now) end,
    'versions', coalesce((select jsonb_agg(jsonb_build_object('version', v.version, 'stage', v.stage,
                                                              'project_version', v.project_version,
                                                              'sent_back', v.sent_back,
                                                              'at', kc_instant(v.at)) order by v.version)
                            from project_versions v where v.project_id = pr.id), '[]'::jsonb)));
end $$;
