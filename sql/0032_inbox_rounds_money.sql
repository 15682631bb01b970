-- 0032_inbox_rounds_money.sql — what awaits me (issue 16): the kinds of
-- inbox.list that 0028 left for later, now that the reporting rounds (0026)
-- and the money chain (0025) are in.
--
--   round_report_due        province_leader: the province's report of a
--                           round not sent yet (not_started, drafting) or
--                           returned by the Ministry (sent_back), due the
--                           round's due_on; gone once sent (round.report_send)
--   round_report_to_review  ministry_reviewer, ministry_approver: a report a
--                           province sent; gone once returned or accepted
--   allocation_due          ministry_approver (national), province_leader
--                           (local): a project in a decision in force (stage
--                           plan_approved) that has no allocation yet; gone
--                           with budget.allocate (stage plan_assigned)
--   refund_due              ministry_approver (national), province_leader
--                           (local): a cancelled or suspended project that
--                           still owes what was paid (kc_refund_outstanding);
--                           gone when budget.disburse kind refund has taken
--                           it all back
--
-- Scope as in 0028: a province's users get their province's items only
-- (round reports of an organisation of org_scope; plans of kc_plan_visible),
-- the Ministry side the national money and every province's sent report.
-- The events that make and end these items already exist: round_report
-- (0026: sent, returned, accepted), project (a decision's stage), allocation
-- and payment (0014).
--
-- kc_inbox_items (0028) is kept as kc_inbox_items_0028 and wrapped: the new
-- kinds are added to its rows.

insert into inbox_kinds (kind, roles, sort, name_vi, name_en, legal_basis) values
  ('round_report_due', '{province_leader}', 18, 'Báo cáo theo đợt của tỉnh cần gửi',
   'Round report to send', 'Văn bản của Bộ mở đợt báo cáo (round.create)'),
  ('round_report_to_review', '{ministry_reviewer,ministry_approver}', 19,
   'Báo cáo theo đợt của tỉnh chờ xem xét', 'Round report to review',
   'Văn bản của Bộ mở đợt báo cáo (round.create)'),
  ('allocation_due', '{province_leader,ministry_approver}', 20, 'Đề án đã có quyết định chờ phân bổ kinh phí',
   'Project in a decision awaiting its allocation',
   'TT 36/2013/TT-BCT Điều 12; NĐ 45/2012/NĐ-CP Điều 16 (địa phương)'),
  ('refund_due', '{province_leader,ministry_approver}', 21, 'Đề án bị hủy, tạm dừng chờ thu hồi kinh phí',
   'Cancelled project owing a refund', 'TT 36/2013/TT-BCT Điều 11 khoản 3, Điều 12 khoản 6');

alter function kc_inbox_items(bigint, text, bigint, bigint[], date) rename to kc_inbox_items_0028;

create function kc_inbox_items(p_user bigint, p_role text, p_scope bigint, p_orgs bigint[], p_today date)
returns table (kind text, plan_org bigint, ref_type text, ref_id bigint, plan_id bigint,
               project_id bigint, code text, title text, due_on date, since timestamptz,
               sent_back boolean, detail jsonb)
language sql stable as $$
  select * from kc_inbox_items_0028(p_user, p_role, p_scope, p_orgs, p_today)
  union all
  -- the province's report of a round, to write and send (again, once returned)
  select 'round_report_due'::text, rr.org_id, 'round_report'::text, rr.id, null::bigint, null::bigint,
         rd.document_no, rd.title, rd.due_on,
         case when rr.status = 'returned' then rr.returned_at else rd.created_at end,
         rr.status = 'returned',
         jsonb_build_object('round_id', rd.id, 'status', rr.status, 'version', rr.version,
                            'returned_comment', rr.returned_comment)
    from round_reports rr join rounds rd on rd.id = rr.round_id
   where kc_inbox_wants(p_role, 'round_report_due') and p_scope is not null
     and rr.org_id = any (p_orgs) and rr.status in ('not_started', 'drafting', 'returned')
  union all
  -- a report a province sent, for the Ministry to return or accept
  select 'round_report_to_review', rr.org_id, 'round_report', rr.id, null, null, rd.document_no,
         rd.title || ' — ' || o.name, null::date, rr.sent_at, false,
         jsonb_build_object('round_id', rd.id, 'org_id', rr.org_id, 'version', rr.version,
                            'late', rr.late)
    from round_reports rr join rounds rd on rd.id = rr.round_id join orgs o on o.id = rr.org_id
   where kc_inbox_wants(p_role, 'round_report_to_review') and p_scope is null and rr.status = 'sent'
  union all
  -- a project in a decision in force, its money not allocated yet: national by the Ministry
  -- (approver), local by the province (leader), as budget.allocate allows (kc_money_actor)
  select 'allocation_due', pl.org_id, 'project', pr.id, pl.id, pr.id, pr.code, pr.title, null::date,
         pr.updated_at, false, jsonb_build_object('scope', pl.scope, 'year', pl.year)
    from projects pr join plans pl on pl.id = pr.plan_id
   where kc_inbox_wants(p_role, 'allocation_due')
     and pr.status = 'approved' and pr.stage = 'plan_approved'
     -- the stage says so when budget.allocate wrote it; data loaded otherwise may not
     and not exists (select 1 from allocations a where a.project_id = pr.id)
     and ((p_role = 'ministry_approver' and p_scope is null and pl.scope = 'national')
          or (p_role = 'province_leader' and p_scope is not null and pl.scope = 'local'
              and pl.org_id = any (p_orgs)))
  union all
  -- a cancelled or suspended project that still owes what was paid
  select 'refund_due', pl.org_id, 'project', pr.id, pl.id, pr.id, pr.code, pr.title, null::date,
         d.recorded_at, false,
         jsonb_build_object('owed', kc_refund_outstanding(pr.id), 'decision_no', d.decision_no,
                            'scope', pl.scope)
    from project_refunds_due d join projects pr on pr.id = d.project_id join plans pl on pl.id = pr.plan_id
   where kc_inbox_wants(p_role, 'refund_due')
     and ((p_role = 'ministry_approver' and p_scope is null and pl.scope = 'national')
          or (p_role = 'province_leader' and p_scope is not null and pl.scope = 'local'
              and pl.org_id = any (p_orgs)))
     and kc_refund_outstanding(pr.id) > 0
$$;
