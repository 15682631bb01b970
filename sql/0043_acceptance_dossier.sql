-- 0043_acceptance_dossier.sql — the year on the desktop (issue 16): files
-- on a progress report, and the officer's acceptance dossier.
--
-- 1. A monthly progress report carries its own attachments. The owner type
--    'progress_report' exists since 0009 (attachment.begin/finish check its
--    scope through kc_attachment_owner, finish is audited); kc_progress_json
--    now lists the report's files, so progress.list (and every progress.*
--    answer) shows them. 0037's body is kept as kc_progress_json_0037.
--
-- 2. The acceptance dossier (hồ sơ nghiệm thu, TT 36/2013 Art. 14, 23.5):
--    when the work is finished the implementer's officer sends the results
--    report, the indicators achieved as proposed and the files
--    (project.submit_acceptance). The project stays in_progress at the new
--    stage acceptance_submitted (a row of project_transitions for the
--    province's roles, so projects_guard enforces it); sending again while
--    it waits replaces the dossier. Whoever accepts (project.accept, 0008:
--    the Ministry for a national project, the province leader for a local
--    one) finds it in the inbox as acceptance_to_review and starts from
--    its proposed values; project.get shows it as acceptance_dossier.
--    The dossier's files are the acceptance's (owner type 'acceptance',
--    owner id the project): before the acceptance they belong to the
--    dossier and may be removed (status draft).
--
-- Wrapped (older bodies renamed, not copied): kc_progress_json (0037),
-- kc_attachment_owner (0016), kc_project_get (0036), kc_inbox_items (0038).

-- ---------------------------------------------------------------------------
-- 1. Progress reports with their files
-- ---------------------------------------------------------------------------
alter function kc_progress_json(project_progress_reports) rename to kc_progress_json_0037;

create function kc_attachments_of(p_type text, p_id bigint) returns jsonb
language sql stable as $$
  select coalesce(jsonb_agg(kc_attachment_json(a) order by a.id), '[]'::jsonb)
    from attachments a
   where a.owner_type = p_type and a.owner_id = p_id and a.status = 'complete'
$$;

create function kc_progress_json(r project_progress_reports) returns jsonb
language sql stable as $$
  select kc_progress_json_0037(r)
         || jsonb_build_object('attachments', kc_attachments_of('progress_report', r.id))
$$;

-- ---------------------------------------------------------------------------
-- 2. The acceptance dossier
-- ---------------------------------------------------------------------------
insert into project_stages (status, stage, step, legal_basis) values
  ('in_progress', 'acceptance_submitted', '20 (hồ sơ nghiệm thu)', 'TT 36/2013 Art. 14, 23.5');

insert into project_transitions (from_status, to_status, to_stage, role, scope, action, legal_basis)
values
  ('in_progress', 'in_progress', 'acceptance_submitted', 'province_officer', 'any',
   'project.submit_acceptance', 'TT 36/2013 Art. 14, 23.5'),
  ('in_progress', 'in_progress', 'acceptance_submitted', 'province_leader', 'any',
   'project.submit_acceptance', 'TT 36/2013 Art. 14, 23.5');

create table project_acceptance_dossiers (
  project_id bigint primary key references projects (id),
  report text not null check (length(report) between 1 and 20000),
  indicators jsonb not null default '[]' check (jsonb_typeof(indicators) = 'array'),
  submitted_by bigint not null references users (id),
  submitted_at timestamptz not null default now(),
  version integer not null default 1 check (version >= 1)
);

-- A dossier is written only while its project is being carried out
-- (in_progress, not in an adjustment): the rule in the database too.
create function project_acceptance_dossiers_guard() returns trigger
language plpgsql as $$
declare
  v_status text;
  v_stage text;
begin
  select status, stage into v_status, v_stage from projects where id = new.project_id;
  if v_status is distinct from 'in_progress'
     or v_stage not in ('advanced', 'acceptance_submitted') then
    raise exception 'project %: an acceptance dossier is sent while the project is in progress, not %/%',
      new.project_id, v_status, v_stage using errcode = 'KC010';
  end if;
  return new;
end $$;

create trigger project_acceptance_dossiers_guard before insert or update
  on project_acceptance_dossiers for each row execute function project_acceptance_dossiers_guard();

create function kc_acceptance_dossier_json(p_project bigint) returns jsonb
language sql stable as $$
  select jsonb_build_object('project_id', d.project_id, 'report', d.report,
                            'indicators', d.indicators, 'submitted_by', d.submitted_by,
                            'submitted_by_name', (select u.full_name from users u where u.id = d.submitted_by),
                            'submitted_at', kc_instant(d.submitted_at), 'version', d.version,
                            'accepted', exists (select 1 from project_acceptances a
                                                 where a.project_id = d.project_id),
                            'attachments', kc_attachments_of('acceptance', d.project_id))
    from project_acceptance_dossiers d where d.project_id = p_project
$$;

-- project.submit_acceptance {id, version, report, indicators: [{code, achieved}]}
create function kc_project_submit_acceptance(p_user bigint, p_username text, p_peer text, p_role text,
                                             p_scope bigint, p jsonb)
returns jsonb
language plpgsql as $$
declare
  pr projects;
  v plans;
  v_err jsonb;
  v_viol jsonb;
  v_before jsonb;
  v_after jsonb;
begin
  select * into pr from projects where id = (p->>'id')::bigint for update;
  if found then
    select * into v from plans where id = pr.plan_id;
  end if;
  v_err := kc_record_check('project', pr.id is not null and p_scope is not null
                                      and kc_plan_visible(v.org_id, v.scope, v.status, p_scope),
                           pr.version, (p->>'version')::integer, pr.status, array['in_progress']);
  if v_err is not null then
    return v_err;
  end if;
  if pr.stage not in ('advanced', 'acceptance_submitted') then
    return kc_err(1010, format('the acceptance dossier waits until the adjustment is decided; the project is %s',
                               pr.stage),
                  jsonb_build_object('status', pr.status, 'stage', pr.stage));
  end if;
  v_viol := kc_achieved_violations(pr.id, p->'indicators');
  if jsonb_array_length(v_viol) > 0 then
    return kc_err(1022, v_viol->0->>'message', jsonb_build_object('violations', v_viol));
  end if;
  v_before := jsonb_build_object('stage', pr.stage, 'version', pr.version,
                                 'acceptance_dossier', kc_acceptance_dossier_json(pr.id));
  perform kc_actor_set(p_user, p_role, p->>'report', null);
  insert into project_acceptance_dossiers as d (project_id, report, indicators, submitted_by)
  values (pr.id, p->>'report', coalesce(p->'indicators', '[]'), p_user)
  on conflict (project_id) do update
    set report = excluded.report, indicators = excluded.indicators,
        submitted_by = excluded.submitted_by, submitted_at = now(), version = d.version + 1;
  update projects set stage = 'acceptance_submitted', version = version + 1 where id = pr.id
  returning * into pr;
  v_after := jsonb_build_object('stage', pr.stage, 'version', pr.version,
                                'acceptance_dossier', kc_acceptance_dossier_json(pr.id));
  perform kc_audit(p_user, p_username, p_peer, 'project.submit_acceptance', 'project', pr.id,
                   v_before, v_after);
  return jsonb_build_object('result', kc_acceptance_dossier_json(pr.id)
                                      || jsonb_build_object('project_version', pr.version,
                                                            'stage', pr.stage, 'code', pr.code));
end $$;

-- The dossier's files: owner type 'acceptance', owner id the project, a
-- draft's until the project is accepted (0016's body answers for accepted
-- projects and the other owner types).
alter function kc_attachment_owner(text, bigint, bigint) rename to kc_attachment_owner_0016;

create function kc_attachment_owner(p_type text, p_id bigint, p_scope bigint, out ok boolean,
                                    out status text)
returns record
language plpgsql stable as $$
begin
  select o.ok, o.status into ok, status from kc_attachment_owner_0016(p_type, p_id, p_scope) o;
  if coalesce(ok, false) or p_type <> 'acceptance' then
    ok := coalesce(ok, false);
    return;
  end if;
  ok := exists (select 1 from project_acceptance_dossiers d
                  join projects pr on pr.id = d.project_id join plans pl on pl.id = pr.plan_id
                 where d.project_id = p_id
                   and kc_plan_visible(pl.org_id, pl.scope, pl.status, p_scope));
  status := case when ok then 'draft' end;
end $$;

-- project.get shows the dossier (null while none).
alter function kc_project_get(bigint, jsonb) rename to kc_project_get_0036;

create function kc_project_get(p_scope bigint, p jsonb) returns jsonb
language plpgsql stable as $$
declare
  v_res jsonb := kc_project_get_0036(p_scope, p);
begin
  if v_res ? 'result' then
    v_res := jsonb_set(v_res, '{result,acceptance_dossier}',
                       coalesce(kc_acceptance_dossier_json((p->>'id')::bigint), 'null'::jsonb));
  end if;
  return v_res;
end $$;

-- ---------------------------------------------------------------------------
-- The inbox: a dossier to review, for whoever accepts
-- ---------------------------------------------------------------------------
insert into inbox_kinds (kind, roles, sort, name_vi, name_en, legal_basis) values
  ('acceptance_to_review', '{province_leader,ministry_approver}', 8, 'Hồ sơ nghiệm thu chờ xem xét',
   'Acceptance dossier to review', 'TT 36/2013/TT-BCT Điều 14, 21, 23 khoản 5');

alter function kc_inbox_items(bigint, text, bigint, bigint[], date) rename to kc_inbox_items_0038;

create function kc_inbox_items(p_user bigint, p_role text, p_scope bigint, p_orgs bigint[], p_today date)
returns table (kind text, plan_org bigint, ref_type text, ref_id bigint, plan_id bigint,
               project_id bigint, code text, title text, due_on date, since timestamptz,
               sent_back boolean, detail jsonb)
language sql stable as $$
  -- a project whose dossier was sent is no longer "due for acceptance": it
  -- is a dossier to review
  select i.* from kc_inbox_items_0038(p_user, p_role, p_scope, p_orgs, p_today) i
   where not (i.kind = 'acceptance_due'
              and exists (select 1 from projects x
                           where x.id = i.ref_id and x.stage = 'acceptance_submitted'))
  union all
  -- a dossier sent and not yet accepted: national by the Ministry (approver),
  -- local by the province (leader), as project.accept allows
  select 'acceptance_to_review'::text, pl.org_id, 'project'::text, pr.id, pl.id, pr.id, pr.code,
         pr.title, null::date, d.submitted_at, false,
         jsonb_build_object('scope', pl.scope, 'version', d.version)
    from project_acceptance_dossiers d join projects pr on pr.id = d.project_id
         join plans pl on pl.id = pr.plan_id
   where kc_inbox_wants(p_role, 'acceptance_to_review')
     and pr.status = 'in_progress' and pr.stage = 'acceptance_submitted'
     and ((p_role = 'ministry_approver' and p_scope is null and pl.scope = 'national'
           and kc_plan_visible(pl.org_id, pl.scope, pl.status, p_scope))
          or (p_role = 'province_leader' and p_scope is not null and pl.scope = 'local'
              and pl.org_id = any (p_orgs)))
$$;
