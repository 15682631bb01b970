-- 0016_comment_attachments.sql — files on a comment of the Ministry's review
-- thread (issue 4: "a comment thread per project visible to the province
-- (review.comment, attachments allowed)"). owner_type 'review_comment',
-- owner_id = the comment. Whoever sees the project sees the files; a posted
-- comment is part of the record, so its files are never deleted. Ministry
-- reviewers and approvers may upload only here (the server checks the role);
-- the province's officer and leader may attach to their replies too.

alter table attachments drop constraint attachments_owner_type_check;
alter table attachments add constraint attachments_owner_type_check
  check (owner_type in ('plan', 'project', 'plan_appraisal', 'progress_report', 'acceptance',
                        'correspondence', 'review_comment'));

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
       and kc_plan_visible(pl.org_id, pl.scope, pl.status, p_scope)
    union all
    select case when c.status = 'open' then 'draft' else c.status end
      from correspondence c
     where p_type = 'correspondence' and c.id = p_id and kc_correspondence_visible(c, p_scope)
    union all
    select 'posted'
      from review_comments rc
      join projects pr on pr.id = rc.project_id join plans pl on pl.id = pr.plan_id
     where p_type = 'review_comment' and rc.id = p_id
       and kc_plan_visible(pl.org_id, pl.scope, pl.status, p_scope)) x
$$;

