-- test-transitions.sql — the project status trigger (sql/0005, rows added by
-- sql/0008) refuses illegal transitions and changes without kc.actor_role,
-- without the server. Run by run-sql-tests.sh on a database with every
-- migration applied; prints one line per test, "ok - …" or "not ok - …",
-- which the script numbers into its TAP output.
\set ON_ERROR_STOP 1
set client_min_messages = warning;

create temporary table t_out (n serial, line text);

-- Runs @p_sql; 'ok' if it raised SQLSTATE @p_state (KC010), else 'not ok'.
create function pg_temp.refused(p_desc text, p_sql text, p_state text default 'KC010') returns void
language plpgsql as $$
begin
  begin
    execute p_sql;
    raise exception using errcode = 'KCT99';
  exception
    when sqlstate 'KCT99' then
      insert into t_out (line) values ('not ok - ' || p_desc || ' (accepted)');
      return;
    when others then
      if sqlstate = p_state then
        insert into t_out (line) values ('ok - ' || p_desc);
      else
        insert into t_out (line) values ('not ok - ' || p_desc || ' (' || sqlstate || ': ' || sqlerrm || ')');
      end if;
      return;
  end;
end $$;

create function pg_temp.is(p_desc text, p_got text, p_want text) returns void
language sql as $$
  insert into t_out (line)
  values (case when p_got is not distinct from p_want then 'ok - ' || p_desc
               else format('not ok - %s (got %s, expected %s)', p_desc, p_got, p_want) end)
$$;

-- a local plan of province 25 with one project, approved through the legal path
insert into users (username, full_name, role, org_id, password_hash)
select 'sqltest', 'SQL test', 'province_leader', id, '$argon2id$x' from orgs where code = '25.SCT'
 order by id desc limit 1;
insert into plans (org_id, year, scope, created_by)
select o.id, 2040, 'local', u.id from orgs o, users u where o.code = '25.TTKC' and u.username = 'sqltest'
 order by o.id desc limit 1;
insert into projects (plan_id, code, title, created_by)
select p.id, '', 'Đề án SQL', p.created_by from plans p where p.year = 2040;

select pg_temp.refused('a status change without kc.actor_role is refused',
  $q$update projects set status = 'submitted', stage = 'registered' where title = 'Đề án SQL'$q$);
select pg_temp.refused('an empty kc.actor_role is refused',
  $q$select set_config('kc.actor_role', '', true);
     update projects set status = 'submitted', stage = 'registered' where title = 'Đề án SQL'$q$);
select pg_temp.refused('draft -> completed is refused even for the province leader',
  $q$select set_config('kc.actor_role', 'province_leader', true);
     update projects set status = 'completed', stage = 'accepted' where title = 'Đề án SQL'$q$);

-- the legal path to approved (plan.submit, plan.approve_local)
begin;
select kc_actor_set(null, 'province_officer');
update projects set status = 'submitted', stage = 'registered' where title = 'Đề án SQL';
select kc_actor_set(null, 'province_leader');
update projects set status = 'approved', stage = 'plan_approved' where title = 'Đề án SQL';
commit;
select pg_temp.is('the legal path reaches approved',
                  (select status || '/' || stage from projects where title = 'Đề án SQL'), 'approved/plan_approved');

select pg_temp.refused('an officer may not accept (approved -> completed)',
  $q$select set_config('kc.actor_role', 'province_officer', true);
     update projects set status = 'completed', stage = 'accepted' where title = 'Đề án SQL'$q$);
select pg_temp.refused('the Minister may not cancel a local project',
  $q$select set_config('kc.actor_role', 'ministry_approver', true);
     update projects set status = 'cancelled', stage = 'cancelled' where title = 'Đề án SQL'$q$);
select pg_temp.refused('approved -> settled is not a transition',
  $q$select set_config('kc.actor_role', 'province_leader', true);
     update projects set status = 'settled', stage = 'settled' where title = 'Đề án SQL'$q$);

-- acceptance by the leader (0008: approved -> completed / accepted), then
-- nothing goes back
begin;
select kc_actor_set(null, 'province_leader', 'nghiệm thu', 'BB-1');
update projects set status = 'completed', stage = 'accepted' where title = 'Đề án SQL';
commit;
select pg_temp.is('the leader accepts: completed / accepted, with its history row',
                  (select to_status || '/' || to_stage || '/' || document_no from project_history h
                     join projects p on p.id = h.project_id where p.title = 'Đề án SQL'
                    order by h.id desc limit 1), 'completed/accepted/BB-1');
select pg_temp.refused('a completed project is not cancelled',
  $q$select set_config('kc.actor_role', 'province_leader', true);
     update projects set status = 'cancelled', stage = 'cancelled' where title = 'Đề án SQL'$q$);

select line from t_out order by n;
