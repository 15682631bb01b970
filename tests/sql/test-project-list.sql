-- test-project-list.sql — kc_project_list (sql/0027) gives the same pages
-- as the single query it replaced (sql/0005: every filter written "param is
-- null or …"), for every filter alone and in combinations, as the Ministry
-- and as a province, on both of its paths: a filter matching fewer than
-- 5,000 rows (read first, sorted in the function) and one matching more
-- (the ids walked in order). 10,000 projects, inserted with the triggers
-- off. Run by run-sql-tests.sh after test-transitions.sql on the same
-- database; prints "ok - …" / "not ok - …" lines.
\set ON_ERROR_STOP 1
set client_min_messages = warning;

create temporary table t_out (n serial, line text);

create function pg_temp.is(p_desc text, p_got text, p_want text) returns void
language sql as $$
  insert into t_out (line)
  values (case when p_got is not distinct from p_want then 'ok - ' || p_desc
               else format('not ok - %s (got %s, expected %s)', p_desc, left(p_got, 200),
                           left(p_want, 200)) end)
$$;

begin;
set local session_replication_role = replica;
insert into users (username, full_name, role, org_id, password_hash)
values ('list-test', 'project.list test', 'viewer', (select id from orgs where code = 'BCT.CKC'), '!');
-- plans of two provinces of the 34-unit map, national and local, 2025–2027,
-- in every status a plan has
create temporary table t_plans as
with prov as (
  select p.id, row_number() over (order by p.code) as k
    from orgs p where p.kind = 'province' and p.valid_from = date '2025-07-01'
   order by p.code limit 2),
ins as (
  insert into plans (org_id, year, scope, status, title, decision_no, created_by)
  select case when s.scope = 'national' then c.id else d.id end, y, s.scope,
         (array['draft', 'submitted', 'approved'])[1 + (y + prov.k::integer) % 3],
         'test plan', 'QĐ-TEST', (select id from users where username = 'list-test')
    from prov
    cross join generate_series(2025, 2027) y
    cross join (values ('national'), ('local')) s (scope)
    join orgs c on c.parent_id = prov.id and c.kind = 'promotion_centre'
    join orgs d on d.parent_id = prov.id and d.kind = 'province_department'
  returning id)
select id, row_number() over (order by id) - 1 as k from ins;

insert into projects (plan_id, code, title, kind, status, stage, priority_area, start_date,
                      end_date, no_double_funding, created_by)
select pl.id, format('TEST-%s', i),
       format('Đề án thử %s%s', i, case when i % 3 = 0 then ' làng nghề' else '' end),
       case when i % 20 = 0 then 'flagship' when i % 20 < 3 then 'group' else 'regular' end,
       st.status, st.stage, case when i % 7 = 0 then 'a' end,
       date '2026-01-01', date '2026-12-31', true,
       (select id from users where username = 'list-test')
  from generate_series(1, 10000) i
  join t_plans pl on pl.k = (i * 7 + i / 1000) % (select count(*) from t_plans)
  cross join lateral (
    select (array['draft', 'submitted', 'approved', 'settled'])[1 + i % 4] as status,
           (array['drafting', 'registered', 'plan_approved', 'settled'])[1 + i % 4] as stage) st;
-- what the triggers (off here) would write: code and title folded
insert into project_search (project_id, search_text)
select p.id, kc_fold(concat_ws(' ', p.code, p.title)) from projects p where p.code like 'TEST-%';
insert into project_categories (project_id, content_code, is_primary)
select p.id, c.a[1 + p.id % 5], true
  from projects p,
       (select array_agg(code order by sort) as a from content_categories) c
 where p.code like 'TEST-%';
commit;
analyze projects;
analyze project_search;
analyze plans;
analyze project_categories;

-- the pages of sql/0005's query: every id it lists, in order
create function pg_temp.ref_ids(p_scope bigint, p jsonb) returns bigint[]
language sql stable as $$
  select array(
    select pr.id from projects pr join plans pl on pl.id = pr.plan_id
     where ((p_scope is null and (pl.scope = 'local' or pl.status not in ('draft', 'submitted')))
            or pl.org_id in (select org_scope(p_scope)))
       and (p->>'cursor' is null or pr.id > (p->>'cursor')::bigint)
       and (p->>'plan_id' is null or pr.plan_id = (p->>'plan_id')::bigint)
       and (p->>'year' is null or pl.year = (p->>'year')::integer)
       and (p->>'org_id' is null or pl.org_id in (select org_scope((p->>'org_id')::bigint)))
       and (p->>'scope' is null or pl.scope = p->>'scope')
       and (p->>'status' is null or pr.status = p->>'status')
       and (p->>'stage' is null or pr.stage = p->>'stage')
       and (p->>'kind' is null or pr.kind = p->>'kind')
       and (p->>'priority_area' is null or pr.priority_area = p->>'priority_area')
       and (p->>'category' is null
            or exists (select 1 from project_categories c
                        where c.project_id = pr.id and c.content_code = p->>'category'))
       and (coalesce(p->>'q', '') = ''
            or exists (select 1 from project_search s
                        where s.project_id = pr.id
                          and s.search_text like '%' || kc_like_escape(kc_fold(p->>'q')) || '%'))
     order by pr.id)
$$;

-- Walks every page of @p (with its limit) through kc_project_list and
-- through the reference; one test line per case: the same ids on every
-- page and the same next_cursor, ending with null.
create function pg_temp.same_pages(p_desc text, p_scope bigint, p jsonb) returns void
language plpgsql as $$
declare
  v_limit integer := coalesce((p->>'limit')::integer, 100);
  v_cursor text := null;
  v_got jsonb;
  v_ids bigint[];
  v_ref bigint[];
  v_want_next text;
  v_pages integer := 0;
  v_rows integer := 0;
begin
  loop
    v_got := kc_project_list(p_scope, case when v_cursor is null then p
                                           else p || jsonb_build_object('cursor', v_cursor) end);
    v_ids := array(select (e->>'id')::bigint from jsonb_array_elements(v_got->'result'->'items') e);
    v_ref := pg_temp.ref_ids(p_scope, case when v_cursor is null then p
                                          else p || jsonb_build_object('cursor', v_cursor) end);
    v_want_next := case when cardinality(v_ref) > v_limit then v_ref[v_limit]::text end;
    if v_ids is distinct from coalesce(v_ref[1:v_limit], '{}')
       or (v_got->'result'->>'next_cursor') is distinct from v_want_next then
      perform pg_temp.is(format('%s: page %s', p_desc, v_pages + 1),
                         format('%s next %s', v_ids, v_got->'result'->>'next_cursor'),
                         format('%s next %s', v_ref[1:v_limit], v_want_next));
      return;
    end if;
    v_pages := v_pages + 1;
    v_rows := v_rows + cardinality(v_ids);
    v_cursor := v_got->'result'->>'next_cursor';
    exit when v_cursor is null or v_pages > 200;
  end loop;
  perform pg_temp.is(format('%s (%s rows, %s pages)', p_desc, v_rows, v_pages), 'same', 'same');
end $$;

create temporary table t_cases as
select * from (values
    ('no filter', null::bigint, '{"limit": 1000}'),
    ('no filter, brief, pages of 700', null, '{"limit": 700, "brief": true}'),
    ('search matching a third (read first)', null, '{"limit": 1000, "q": "lang nghe"}'),
    ('search matching all (ids in order)', null, '{"limit": 1000, "q": "de an"}'),
    ('search with a wildcard, literal', null, '{"limit": 100, "q": "100%_"}'),
    ('empty search', null, '{"limit": 1000, "q": ""}'),
    ('status (read first)', null, '{"limit": 500, "status": "submitted"}'),
    ('stage', null, '{"limit": 500, "stage": "settled"}'),
    ('kind regular (ids in order)', null, '{"limit": 1000, "kind": "regular"}'),
    ('kind flagship', null, '{"limit": 100, "kind": "flagship"}'),
    ('priority area', null, '{"limit": 1000, "priority_area": "a"}'),
    ('year', null, '{"limit": 1000, "year": 2026}'),
    ('scope', null, '{"limit": 1000, "scope": "local"}'),
    ('plan', null, '{"limit": 300, "plan_id": ' || (select min(id) from t_plans where k = 1) || '}'),
    ('province', null, '{"limit": 1000, "org_id": '
       || (select id from orgs where kind = 'province' and valid_from = date '2025-07-01'
            order by code limit 1) || '}'),
    ('category', null, '{"limit": 1000, "category": "'
       || (select content_code from project_categories group by 1 order by 1 limit 1) || '"}'),
    ('year, status and search', null, '{"limit": 100, "year": 2027, "status": "draft", "q": "lang"}'),
    ('kind, category and scope', null, '{"limit": 1000, "kind": "regular", "scope": "national", "category": "'
       || (select content_code from project_categories group by 1 order by 1 limit 1) || '"}'),
    ('nothing matches', null, '{"limit": 10, "q": "khong co"}'),
    ('a province: no filter', (select id from orgs where kind = 'province' and valid_from = date '2025-07-01'
                                order by code limit 1), '{"limit": 1000}'),
    ('a province: search', (select id from orgs where kind = 'province' and valid_from = date '2025-07-01'
                             order by code limit 1), '{"limit": 500, "q": "lang nghe"}'),
    ('a province: status', (select id from orgs where kind = 'province' and valid_from = date '2025-07-01'
                             order by code limit 1), '{"limit": 1000, "status": "draft"}')
  ) as c (d, s, p);
do $$ begin perform pg_temp.same_pages(d, s, p::jsonb) from t_cases; end $$;

select line from t_out order by n;
