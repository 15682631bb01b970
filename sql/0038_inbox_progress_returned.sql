-- 0038_inbox_progress_returned.sql — a progress report the Department
-- returned (progress.return, 0033) is the officer's to report again, not
-- the leader's to confirm (issue 16: "what was sent back to me").
--
-- 0028's progress_to_confirm only asked "not confirmed", so a returned
-- report stayed on the leader's list and reached nobody else's. The
-- function is wrapped again (0032's kept as kc_inbox_items_0032).

insert into inbox_kinds (kind, roles, sort, name_vi, name_en, legal_basis) values
  ('progress_returned', '{province_officer}', 5, 'Báo cáo tiến độ bị Sở trả lại',
   'Progress report returned', 'TT 36/2013/TT-BCT Điều 23 khoản 3 (Sở xác nhận báo cáo tiến độ)');

alter function kc_inbox_items(bigint, text, bigint, bigint[], date) rename to kc_inbox_items_0032;

create function kc_inbox_items(p_user bigint, p_role text, p_scope bigint, p_orgs bigint[], p_today date)
returns table (kind text, plan_org bigint, ref_type text, ref_id bigint, plan_id bigint,
               project_id bigint, code text, title text, due_on date, since timestamptz,
               sent_back boolean, detail jsonb)
language sql stable as $$
  select i.* from kc_inbox_items_0032(p_user, p_role, p_scope, p_orgs, p_today) i
   where not (i.kind = 'progress_to_confirm'
              and exists (select 1 from project_progress_reports r
                           where r.id = i.ref_id and r.returned_at is not null))
  union all
  -- the report of a month the Department returned, to report again (due the
  -- month's 25th, as the report itself)
  select 'progress_returned'::text, v.org_id, 'progress_report'::text, r.id, v.id, pr.id, pr.code,
         pr.title, kc_progress_due(r.period), r.returned_at, true,
         jsonb_build_object('period', to_char(r.period, 'YYYY-MM'), 'comment', r.return_comment,
                            'version', r.version)
    from project_progress_reports r join projects pr on pr.id = r.project_id
         join plans v on v.id = pr.plan_id
   where kc_inbox_wants(p_role, 'progress_returned') and p_scope is not null
     and r.returned_at is not null and r.confirmed_at is null
     and pr.status not in ('cancelled', 'rejected')
     and kc_plan_visible(v.org_id, v.scope, v.status, p_scope)
$$;
