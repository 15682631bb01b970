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
-- kc_attachment_owner reads them (its final form, with every owner type of
-- later files, is in 0016_comment_attachments.sql).

alter table attachments drop constraint attachments_owner_type_check;
alter table attachments add constraint attachments_owner_type_check
  check (owner_type in ('plan', 'project', 'plan_appraisal', 'progress_report', 'acceptance'));

