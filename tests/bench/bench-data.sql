-- Bench data for tests/bench/run-load: a local draft plan for 2026 in each
-- of the 34 provinces (its promotion centre, NN.TTKC), and :projects
-- projects spread evenly over them, each with a primary content category,
-- and two budget lines, as project.create would leave them.
-- Written straight in SQL (a superuser, bypassing the protocol) because
-- 10,000 project.create calls would take longer than the benchmark; the
-- triggers still run (codes, search text, history).
--   psql -v projects=10000 -v admin=admin -f bench-data.sql
\set ON_ERROR_STOP 1
begin;
select set_config('kc.actor_id', (select id::text from users where username = :'admin'), true),
       set_config('kc.actor_role', 'province_officer', true);
insert into plans (org_id, year, scope, title, created_by)
select o.id, 2026, 'local', 'Kế hoạch khuyến công địa phương 2026 (bench)',
       (select id from users where username = :'admin')
  from orgs o
 where o.code like '%.TTKC' and o.valid_to is null
on conflict (org_id, year, scope) do nothing;
create temp table bench_plans as
select row_number() over (order by p.id) - 1 as n, p.id
  from plans p join orgs o on o.id = p.org_id
 where p.year = 2026 and p.scope = 'local' and o.code like '%.TTKC' and o.valid_to is null;
insert into projects (plan_id, code, title, implementer, rationale, objectives, sector,
                      start_date, end_date, created_by)
select bp.id, '', format('Hỗ trợ ứng dụng máy móc tiên tiến số %s', g),
       format('Cơ sở sản xuất %s', g), repeat('Sự cần thiết của đề án. ', 20),
       repeat('Mục tiêu của đề án. ', 10), null, date '2026-03-01', date '2026-11-30',
       (select id from users where username = :'admin')
  from generate_series(1, :projects) g
  join bench_plans bp on bp.n = g % (select count(*) from bench_plans);
insert into project_categories (project_id, content_code, is_primary)
select p.id, 'ND45.4.2', true from projects p join bench_plans bp on bp.id = p.plan_id
on conflict do nothing;
insert into project_budget_lines (project_id, source, amount)
select p.id, s.source, s.amount from projects p join bench_plans bp on bp.id = p.plan_id
 cross join (values ('local', 300000000::bigint), ('counterpart', 450000000::bigint)) s (source, amount)
on conflict do nothing;
commit;
analyze;
select count(*) as projects from projects;
