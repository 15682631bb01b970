-- 0053_project_hot_update.sql — a project's autosave writes half the
-- WAL it did (issue 20, point 3; docs/performance.md "A project's update
-- in place").
--
-- A title autosave wrote ~3.6 kB of WAL before its seal (update-wal): the
-- new projects row whole (1.3-1.5 kB: a non-HOT update, and even a HOT one
-- logs every byte between the first and the last changed column, here the
-- title near the start and the check instant near the end, with the
-- dossier's long texts between them), its five b-tree entries, and the
-- trigram index's pending-list entry (~0.7 kB). Three changes:
--
-- 1. The searched text leaves the row: project_search (project_id,
--    search_text) with the trigram index, kept by the same triggers
--    (projects_search on insert and on a change of code or title,
--    project_beneficiaries_search for the beneficiaries' names), and
--    written only when the folded text differs, its trigram index a GiST
--    (one entry per text, not one per trigram). No index of projects then
--    covers a column a title or text autosave changes (its indexes are on
--    id, code, plan, status and stage, kind), so the update is HOT: no
--    b-tree entries.
-- 2. The columns every update changes (title, version, updated_at,
--    checked_at) move to the end of the row (added anew, copied, the old
--    ones dropped): a same-page update logs only the bytes from the first
--    changed one to the last, which is now the tail of the row and not the
--    whole dossier. The row's type keeps its members; only their order
--    changes (every function names its columns; jsonb sorts its keys).
-- 3. fillfactor 80 on projects, so the new version finds room on its page
--    (HOT, and the same-page logging of 2).
--
-- project.list's search (kc_project_list, 0027) reads the trigram index of
-- project_search and joins by id: the same pages, the same plan shape.
-- Rules, status machine, audit rows and events are unchanged.
--
-- Also the update's CPU: kc_project_check_row_0006 reads the caps in force
-- once when the project names no cap_code (counted, then read again before).

-- 1. The searched text in a table of its own.
create table project_search (
  project_id bigint primary key references projects (id) on delete cascade,
  search_text text not null default ''
);
insert into project_search (project_id, search_text) select id, search_text from projects;
-- A GiST trigram index, where 0005 had GIN: a changed text is one index
-- entry (~320 bytes of WAL with its parents' signatures and splits) where
-- GIN adds one per trigram, ~700 bytes to its pending list and ~800 more
-- when the list is merged (by autovacuum, or by the write that finds it
-- full). The price is on the reads: a search matching a thousand projects
-- reads more index pages (9 ms against GIN's 0.7 at national size, warm;
-- few matches, as fast), every search well under 200 ms (docs/performance.md,
-- "A project's update in place").
create index project_search_trgm_idx on project_search using gist (search_text gist_trgm_ops (siglen = 64));

-- What projects_guard wrote into the row, now written beside it: on insert
-- the code and title folded (the beneficiaries come after and add their
-- names through project_beneficiaries_search), on a change of title or
-- code the whole text (kc_project_search_text's, computed here: one call
-- fewer per autosave). Only when it differs: an autosave whose title folds
-- to the same text (a letter's case, a mark) writes nothing here.
create function kc_project_search_refresh(p_id bigint, p_code text, p_title text) returns void
language plpgsql as $$
declare
  v text := kc_fold(concat_ws(' ', p_code, p_title,
                              (select string_agg(b.name, ' ' order by b.id)
                                 from project_beneficiaries b where b.project_id = p_id)));
begin
  update project_search set search_text = v where project_id = p_id and search_text is distinct from v;
  if not found then
    -- the same text, or no row yet (a project loaded with the triggers off)
    insert into project_search (project_id, search_text) values (p_id, v)
    on conflict (project_id) do nothing;
  end if;
end $$;

create function projects_search() returns trigger
language plpgsql as $$
begin
  if tg_op = 'INSERT' then
    insert into project_search (project_id, search_text)
    values (new.id, kc_fold(concat_ws(' ', new.code, new.title)));
  else
    perform kc_project_search_refresh(new.id, new.code, new.title);
  end if;
  return null;
end $$;

create or replace function project_beneficiaries_search() returns trigger
language plpgsql as $$
declare
  v_id bigint := case when tg_op = 'DELETE' then old.project_id else new.project_id end;
begin
  perform kc_project_search_refresh(pr.id, pr.code, pr.title) from projects pr where pr.id = v_id;
  if tg_op = 'UPDATE' and old.project_id <> new.project_id then
    perform kc_project_search_refresh(pr.id, pr.code, pr.title) from projects pr where pr.id = old.project_id;
  end if;
  return null;
end $$;

-- 0031's guard without the search text.
create or replace function projects_guard() returns trigger
language plpgsql as $$
declare
  v_role text := kc_actor_role();
  v_scope text;
  v_year integer;
  v_province text;
  v_number integer;
  v_org bigint;
begin
  if tg_op = 'INSERT' then
    select p.scope, p.year, coalesce(o.province_code, '00') into v_scope, v_year, v_province
      from plans p join orgs o on o.id = p.org_id where p.id = new.plan_id;
    if new.status <> 'draft' or new.stage <> 'drafting' then
      raise exception 'a project is created as a draft, not %/%', new.status, new.stage
        using errcode = 'KC010';
    end if;
    insert into project_code_counters as c (scope, year, province_code, last_number)
    values (v_scope, v_year, v_province, 1)
    on conflict (scope, year, province_code) do update set last_number = c.last_number + 1
    returning last_number into v_number;
    new.code := format('%s-%s-%s-%s', case v_scope when 'national' then 'KCQG' else 'KCDP' end,
                       v_year, v_province, lpad(v_number::text, 3, '0'));
    return new;
  end if;
  if new.status is distinct from old.status or new.stage is distinct from old.stage then
    if v_role is null then
      raise exception 'project %: % / % -> % / % without kc.actor_role', old.id, old.status,
        old.stage, new.status, new.stage using errcode = 'KC010';
    end if;
    select p.scope, p.org_id into v_scope, v_org from plans p where p.id = new.plan_id;
    if not exists (select 1 from project_transitions t
                    where t.from_status = old.status and t.to_status = new.status
                      and t.to_stage = new.stage and t.role = v_role
                      and (t.scope in ('any', v_scope)
                           or (t.scope = 'centre' and v_scope = 'national' and kc_is_centre(v_org)))) then
      raise exception 'project %: % may not change % / % -> % / %', old.id, v_role, old.status,
        old.stage, new.status, new.stage using errcode = 'KC010';
    end if;
  end if;
  if new.code <> old.code or new.plan_id <> old.plan_id then
    raise exception 'project %: code and plan are fixed', old.id using errcode = 'KC011';
  end if;
  new.updated_at := now();
  return new;
end $$;

-- 0006's check (as 0031 left it), the caps in force read once when the
-- project names no cap_code (they were counted, then read again).
create or replace function kc_project_check_row_0006(pr projects, p_submission boolean) returns jsonb
language plpgsql stable as $$
declare
  p_id bigint := pr.id;
  pl plans;
  k project_kinds;
  c support_caps;
  u support_caps;
  v_res jsonb := jsonb_build_object('violations', '[]'::jsonb, 'warnings', '[]'::jsonb, 'cap', null);
  v_soft text := case when p_submission then 'violations' else 'warnings' end;
  v_on date;
  v_year_end date;
  v_central bigint;
  v_local bigint;
  v_sum bigint;
  v_content text;
  v_count integer;
  v_caps support_caps[];
  v_codes text;
  v_priority boolean;
  v_factor numeric;
  v_pct_limit numeric;
  v_abs_limit numeric;
  v_limit numeric;
  v_msg text;
begin
  select * into pl from plans where id = pr.plan_id;
  select * into k from project_kinds where code = pr.kind;
  v_on := kc_rules_day(pl);
  v_res := v_res || jsonb_build_object('checked_on', v_on);

  -- dates
  if pr.start_date is not null and pr.end_date is not null and pr.end_date < pr.start_date then
    v_res := kc_check_push(v_res, 'violations',
                           kc_violation('end_date', 'order', 'the end date is before the start date'));
  end if;
  if pr.start_date is not null and extract(year from pr.start_date) <> pl.year then
    v_res := kc_check_push(v_res, 'violations', kc_violation('start_date', 'plan_year',
      format('the project starts in its plan year %s (it starts on %s)', pl.year,
             to_char(pr.start_date, 'DD/MM/YYYY'))));
  end if;
  if pr.end_date is not null and k.max_years is not null then
    -- an approved extension into the next year (adjustment extend_next_year,
    -- 0008) moves the last allowed year by one
    v_year_end := make_date(pl.year + k.max_years - 1 + kc_project_extension(p_id), 12, 31);
    if pr.end_date > v_year_end or pr.end_date < v_on then
      v_res := kc_check_push(v_res, 'violations', kc_violation('end_date',
        case when k.max_years = 1 or pr.end_date < v_on then 'plan_year' else 'max_years' end,
        case when k.max_years = 1
             then format('a project of kind %s ends inside its plan year %s (it ends on %s)',
                         k.code, pl.year, to_char(pr.end_date, 'DD/MM/YYYY'))
             else format('a project of kind %s lasts at most %s years from its plan year %s: it ends between 01/01/%s and %s (it ends on %s)',
                         k.code, k.max_years, pl.year, pl.year, to_char(v_year_end, 'DD/MM/YYYY'),
                         to_char(pr.end_date, 'DD/MM/YYYY')) end));
    end if;
  end if;
  if pr.end_date is not null and coalesce(k.min_years, 1) > 1
     and extract(year from pr.end_date) < pl.year + k.min_years - 1 then
    v_res := kc_check_push(v_res, 'violations', kc_violation('end_date', 'min_years',
      format('a project of kind %s lasts at least %s years from its plan year %s: it ends in %s or later (it ends on %s)',
             k.code, k.min_years, pl.year, pl.year + k.min_years - 1, to_char(pr.end_date, 'DD/MM/YYYY'))));
  end if;

  -- the kind's contents and beneficiaries (completeness)
  select count(*) into v_count from project_categories where project_id = p_id;
  if k.min_contents is not null and v_count < k.min_contents then
    v_res := kc_check_push(v_res, v_soft, kc_violation('content_categories', 'min_contents',
      format('a project of kind %s has at least %s content categories (it has %s)', k.code,
             k.min_contents, v_count)));
  end if;
  select count(*) into v_count from project_beneficiaries where project_id = p_id;
  if k.min_beneficiaries is not null and v_count < k.min_beneficiaries then
    v_res := kc_check_push(v_res, v_soft, kc_violation('beneficiaries', 'min_beneficiaries',
      format('a project of kind %s has at least %s beneficiaries (it has %s)', k.code,
             k.min_beneficiaries, v_count)));
  end if;

  -- the no-double-funding declaration (completeness)
  if not pr.no_double_funding then
    v_res := kc_check_push(v_res, v_soft, kc_violation('no_double_funding', 'declaration',
      'the declaration that no expense of the project is funded by another state source is required (TTLT 26/2014 Art. 7.4)'));
  end if;

  -- money
  select coalesce(sum(amount) filter (where source = 'central'), 0),
         coalesce(sum(amount) filter (where source = 'local'), 0),
         coalesce(sum(amount), 0)
    into v_central, v_local, v_sum
    from project_budget_lines where project_id = p_id;

  if pr.total_cost is not null and v_sum < pr.total_cost then
    v_res := kc_check_push(v_res, 'violations', kc_violation('budget_lines.counterpart', 'counterpart',
      format('counterpart funds must be committed for the rest of the cost: the budget lines cover %s đ of the total cost %s đ, %s đ is not covered (TTLT 26/2014 Art. 7.3)',
             kc_vnd(v_sum), kc_vnd(pr.total_cost), kc_vnd(pr.total_cost - v_sum))));
  elsif pr.total_cost is not null and v_sum > pr.total_cost then
    v_res := kc_check_push(v_res, 'violations', kc_violation('total_cost', 'total',
      format('the budget lines add up to %s đ, more than the total cost %s đ',
             kc_vnd(v_sum), kc_vnd(pr.total_cost))));
  end if;

  -- the cap of the primary content in force on 1 January of the plan year
  select content_code into v_content from project_categories where project_id = p_id and is_primary;
  if pr.cap_code is not null then
    select * into c from kc_caps_in_force(v_content, v_on) x where x.cap_code = pr.cap_code;
    if c.id is null then
      v_res := kc_check_push(v_res, 'violations', kc_violation('cap_code', 'exists',
        format('no cap %s is in force for the content %s on %s', pr.cap_code,
               coalesce(v_content, '(none)'), to_char(v_on, 'DD/MM/YYYY'))));
    end if;
  else
    -- read once (the caps in force are kc_caps_in_force's order)
    v_caps := array(select x from kc_caps_in_force(v_content, v_on) x);
    v_count := cardinality(v_caps);
    if v_count = 1 then
      c := v_caps[1];
    elsif v_count > 1 and v_central > 0 then
      select string_agg(x.cap_code, ', ' order by x.cap_code) into v_codes from unnest(v_caps) x;
      v_res := kc_check_push(v_res, v_soft, kc_violation('cap_code', 'required',
        format('the content %s has several caps in force on %s: choose the cap_code of the central support (%s)',
               v_content, to_char(v_on, 'DD/MM/YYYY'), v_codes)));
    end if;
  end if;

  if c.id is not null then
    v_priority := pr.priority_area is not null or pr.export or pr.local_materials
                  or pr.labour_intensive or pr.supporting_industry
                  or kc_project_typical(p_id);
    v_factor := case when v_priority and c.priority_factor is not null then c.priority_factor else 1 end;
    v_pct_limit := c.pct_cap * v_sum / 100;
    v_abs_limit := c.abs_cap_vnd * v_factor;
    v_limit := least(v_pct_limit, v_abs_limit);   -- least() skips nulls: null = no such limit
    v_res := jsonb_set(v_res, '{cap}', jsonb_build_object(
      'id', c.id, 'cap_code', c.cap_code, 'content_code', c.content_code, 'legal_act', c.legal_act,
      'valid_from', c.valid_from, 'valid_to', c.valid_to, 'confidence', c.confidence,
      'pct_cap', c.pct_cap, 'abs_cap_vnd', c.abs_cap_vnd, 'priority_factor', v_factor,
      'eligible_cost', v_sum, 'central', v_central,
      'limit_vnd', floor(v_limit)));
    if v_limit is not null and v_central > v_limit then
      v_msg := format('the central support %s đ exceeds the cap %s (%s): at most %s đ, the lesser of %s',
                      kc_vnd(v_central), c.cap_code, c.legal_act, kc_vnd(v_limit),
                      concat_ws(' and ',
                        case when c.pct_cap is not null then
                          format('%s %% of the eligible cost %s đ', c.pct_cap, kc_vnd(v_sum)) end,
                        case when c.abs_cap_vnd is not null then
                          format('%s đ%s', kc_vnd(v_abs_limit),
                                 case when v_factor > 1 then format(' (%s × %s đ, priority uplift)',
                                                                    v_factor, kc_vnd(c.abs_cap_vnd)) end) end));
      if c.confidence = 'U' then
        v_res := kc_check_push(v_res, 'warnings', kc_violation('budget_lines.central', 'cap',
          v_msg || format('; this cap value is unconfirmed (confidence U: %s), so it warns instead of refusing',
                          coalesce(c.note, 'not confirmed from the legal text'))));
      else
        v_res := kc_check_push(v_res, 'violations', kc_violation('budget_lines.central', 'cap', v_msg));
      end if;
    elsif v_factor > 1 and v_central > c.abs_cap_vnd then
      -- passes only thanks to the uplift: say so when the uplift is unconfirmed
      select * into u from support_caps x
       where x.cap_code = 'C25' and kc_valid_on(x.valid_from, x.valid_to, v_on);
      if u.id is null or u.confidence = 'U' then
        v_res := kc_check_push(v_res, 'warnings', kc_violation('budget_lines.central', 'priority_uplift',
          format('the central support %s đ is above the normal cap %s đ of %s and within it only by the ×%s priority uplift, whose value under %s is unconfirmed (confidence U)',
                 kc_vnd(v_central), kc_vnd(c.abs_cap_vnd), c.cap_code, v_factor,
                 coalesce(u.legal_act, 'the rules in force'))));
      end if;
    end if;
  end if;
  return v_res;
end $$;


-- 0027's list; the search reads project_search's trigram index.
create or replace function kc_project_list(p_scope bigint, p jsonb) returns jsonb
language plpgsql stable
as $_$
declare
  v_n integer := coalesce((p->>'limit')::integer, 100);
  v_q text := nullif(p->>'q', '');
  v_from text := 'from projects pr join plans pl on pl.id = pr.plan_id where ';
  v_filtered boolean := false;
  v_ids bigint[];
  v_shown bigint[];
begin
  -- $1 scope, $2 cursor, $3 plan, $4 year, $5 org, $6 plan scope, $7 status,
  -- $8 stage, $9 kind, $10 priority area, $11 category, $12 LIKE pattern,
  -- $13 rows to read
  if p_scope is null then
    v_from := v_from || '(pl.scope = ''local'' or pl.status not in (''draft'', ''submitted''))';
  else
    v_from := v_from || 'pl.org_id in (select org_scope($1))';
  end if;
  if p->>'cursor' is not null then
    v_from := v_from || ' and pr.id > $2';
  end if;
  if p->>'plan_id' is not null then
    v_from := v_from || ' and pr.plan_id = $3';
  end if;
  if p->>'year' is not null then
    v_from := v_from || ' and pl.year = $4';
  end if;
  if p->>'org_id' is not null then
    v_from := v_from || ' and pl.org_id in (select org_scope($5))';
  end if;
  if p->>'scope' is not null then
    v_from := v_from || ' and pl.scope = $6';
  end if;
  if p->>'status' is not null then
    v_from := v_from || ' and pr.status = $7';
  end if;
  if p->>'stage' is not null then
    v_from := v_from || ' and pr.stage = $8';
  end if;
  if p->>'kind' is not null then
    v_from := v_from || ' and pr.kind = $9';
  end if;
  if p->>'priority_area' is not null then
    v_from := v_from || ' and pr.priority_area = $10';
  end if;
  if p->>'category' is not null then
    v_from := v_from || ' and exists (select 1 from project_categories c'
                        ' where c.project_id = pr.id and c.content_code = $11)';
  end if;
  if v_q is not null then
    v_from := v_from || ' and pr.id in (select s.project_id from project_search s'
                        ' where s.search_text like $12)';
  end if;
  v_filtered := p - array['cursor', 'limit', 'brief'] <> '{}'::jsonb;
  -- Ids grow with time and so do years and statuses: a filter's rows are
  -- seldom spread evenly over the ids, which the planner assumes when it
  -- walks the primary key to the first page (the 5,000 projects of this
  -- year, say, are past 80,000 older ones). So a filtered list first reads
  -- its rows in whatever order the indexes give, at most $13 of them: if
  -- that is all of them (a selective filter), they are sorted here and the
  -- page taken from them; only a filter matching more walks the ids in
  -- order, where matching rows are then dense enough to find a page soon.
  if v_filtered then
    execute 'select array_agg(id order by id) from (select pr.id ' || v_from || ' limit $13) x'
      into v_ids
      using p_scope, (p->>'cursor')::bigint, (p->>'plan_id')::bigint, (p->>'year')::integer,
            (p->>'org_id')::bigint, p->>'scope', p->>'status', p->>'stage', p->>'kind',
            p->>'priority_area', p->>'category',
            '%' || kc_like_escape(kc_fold(v_q)) || '%', greatest(5000, 4 * v_n);
  end if;
  if v_filtered and coalesce(cardinality(v_ids), 0) < greatest(5000, 4 * v_n) then
    v_ids := v_ids[1:v_n + 1];
  else
    execute 'select array_agg(id order by id) from (select pr.id ' || v_from
            || ' order by pr.id limit $13) x'
      into v_ids
      using p_scope, (p->>'cursor')::bigint, (p->>'plan_id')::bigint, (p->>'year')::integer,
            (p->>'org_id')::bigint, p->>'scope', p->>'status', p->>'stage', p->>'kind',
            p->>'priority_area', p->>'category',
            '%' || kc_like_escape(kc_fold(v_q)) || '%', v_n + 1;
  end if;
  v_shown := coalesce(v_ids[1:v_n], '{}');
  return jsonb_build_object('result', jsonb_build_object(
    'items', coalesce(
      case when coalesce((p->>'brief')::boolean, false) then
        -- What a list of thousands shows (the desktop's Projects page): a
        -- fifth of the full item's cost in PostgreSQL, a third of its size.
        (select jsonb_agg(jsonb_build_object(
                  'id', pr.id, 'code', pr.code, 'plan_id', pr.plan_id, 'year', pl.year,
                  'org_id', pl.org_id, 'title', pr.title, 'status', pr.status,
                  'stage', pr.stage, 'version', pr.version,
                  'total', (select coalesce(sum(b.amount), 0) from project_budget_lines b
                             where b.project_id = pr.id)) order by pr.id)
           from projects pr join plans pl on pl.id = pr.plan_id
          where pr.id = any (v_shown))
      else (select jsonb_agg(kc_project_json(s.id, false) order by s.id)
              from unnest(v_shown) s (id)) end,
      '[]'::jsonb),
    'next_cursor', case when cardinality(v_ids) > v_n then v_shown[v_n]::text end));
end $_$;

-- 2. and 3. The columns an update changes at the end of the row, and room
-- on each page for the new version. The copy is the migration's own
-- (triggers off: no audit row, event or check for moving a column); the
-- rows are written anew, each page now filled to 80 %.
alter table projects set (fillfactor = 80);
alter table projects disable trigger user;
alter table projects add column title_0053 text, add column version_0053 integer,
  add column updated_at_0053 timestamptz, add column checked_at_0053 timestamptz;
update projects set title_0053 = title, version_0053 = version, updated_at_0053 = updated_at,
                    checked_at_0053 = checked_at;
alter table projects enable trigger user;
alter table projects drop column search_text, drop column title, drop column version,
  drop column updated_at, drop column checked_at;
alter table projects rename column title_0053 to title;
alter table projects rename column version_0053 to version;
alter table projects rename column updated_at_0053 to updated_at;
alter table projects rename column checked_at_0053 to checked_at;
alter table projects alter column title set not null,
  add constraint projects_title_check check (length(title) >= 1 and length(title) <= 500),
  alter column version set default 1, alter column version set not null,
  alter column updated_at set default now(), alter column updated_at set not null;

-- (after the move: the WHEN names the title)
create trigger projects_search_insert after insert on projects
  for each row execute function projects_search();
create trigger projects_search_update after update on projects
  for each row when (new.title is distinct from old.title or new.code is distinct from old.code)
  execute function projects_search();
