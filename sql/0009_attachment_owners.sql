-- 0009_attachment_owners.sql — attachments on the documents issue 3 names
-- besides plans and projects: the province's base appraisal of a plan (the
-- appraisal sheet, Mẫu 4a/4b, and the Department's decision), a monthly
-- progress report (the evidence an advance needs, TT 36 Art. 23.3) and an
-- acceptance (the record, Mẫu 5a/5b/5c, TT 36 Art. 14).
--
-- The owner decides who sees an attachment (the plan's visibility, as
-- before) and when it may be deleted (kc_attachment_delete allows it while
-- the owner's status here reads 'draft'):
--   plan_appraisal  owner_id = the plan; deletable while the plan awaits
--                   its appraisal (submitted) or is still a draft
--   progress_report owner_id = the report; deletable until it is confirmed
--   acceptance      owner_id = the project accepted; never deletable: the
--                   record closes the project's execution

alter table attachments drop constraint attachments_owner_type_check;
alter table attachments add constraint attachments_owner_type_check
  check (owner_type in ('plan', 'project', 'plan_appraisal', 'progress_report', 'acceptance'));

create or replace function kc_attachment_owner(p_type text, p_id bigint, p_scope bigint,
                                               out ok boolean, out status text)
language sql stable as $$
  select coalesce(bool_or(true), false), min(x.status) from (
    select pl.status from plans pl
     where p_type = 'plan' and pl.id = p_id
       and kc_plan_visible(pl.org_id, pl.scope, pl.status, p_scope)
    union all
    select pr.status from projects pr join plans pl on pl.id = pr.plan_id
     where p_type = 'project' and pr.id = p_id
       and kc_plan_visible(pl.org_id, pl.scope, pl.status, p_scope)
    union all
    select case when pl.status in ('draft', 'submitted') then 'draft' else pl.status end
      from plans pl
     where p_type = 'plan_appraisal' and pl.id = p_id
       and kc_plan_visible(pl.org_id, pl.scope, pl.status, p_scope)
    union all
    select case when r.confirmed_at is null then 'draft' else 'confirmed' end
      from project_progress_reports r
      join projects pr on pr.id = r.project_id join plans pl on pl.id = pr.plan_id
     where p_type = 'progress_report' and r.id = p_id
       and kc_plan_visible(pl.org_id, pl.scope, pl.status, p_scope)
    union all
    select 'accepted'
      from project_acceptances a
      join projects pr on pr.id = a.project_id join plans pl on pl.id = pr.plan_id
     where p_type = 'acceptance' and a.project_id = p_id
       and kc_plan_visible(pl.org_id, pl.scope, pl.status, p_scope)) x
$$;
