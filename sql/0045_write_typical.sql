-- 0045_write_typical.sql — less PostgreSQL CPU in every project.update
-- (issue 20, third round; docs/performance.md, "The write's and the read's
-- PostgreSQL CPU", third round).
--
-- Whether a project holds a valid typical-product certificate (the
-- priority of TT 46/2012 Art. 6.2) was asked three times per
-- project.update: twice by the rules through kc_project_typical
-- (kc_project_check_row_0006 as replaced by 0031, and
-- kc_project_check_row_0025), once for the reply's JSON through
-- kc_project_typical_certificates (0008). Each call joined the project,
-- its plan (a hash of the plans, built per call) and every valid
-- certificate before it looked at the beneficiaries' tax codes, which a
-- certificate must match: 0.18-0.27 ms of wall time per update under load
-- (update-cpu --top 40, on the bench's projects, which name no
-- beneficiary).
--
-- Both now start from the beneficiaries' tax codes
-- (project_beneficiaries_project_idx): none, and they answer at once;
-- otherwise the certificates of those tax codes (typical_products_tax_idx),
-- valid on 1 January of the plan's year, read by the project's plan by
-- primary key. kc_project_typical asks by EXISTS instead of building the
-- JSON array and taking its length. Same rows as 0008's statement: the
-- certificates whose tax code is one of the beneficiaries' (IN, so a tax
-- code named twice gives its certificate once) and that kc_certificate_valid
-- holds on that day; none when the project does not exist.
create or replace function kc_project_typical_certificates(p_id bigint) returns jsonb
language plpgsql stable as $$
declare
  v_on date;
begin
  if not exists (select 1 from project_beneficiaries b
                  where b.project_id = p_id and b.tax_code is not null) then
    return '[]'::jsonb;
  end if;
  select make_date(pl.year, 1, 1) into v_on
    from projects pr join plans pl on pl.id = pr.plan_id where pr.id = p_id;
  return (
  select coalesce(jsonb_agg(jsonb_build_object('id', t.id, 'certificate_no', t.certificate_no,
                                               'level', t.level, 'year', t.year,
                                               'product_name', t.product_name,
                                               'tax_code', t.tax_code,
                                               'valid_until', t.valid_until) order by t.id),
                  '[]'::jsonb)
    from typical_products t
   where t.tax_code in (select b.tax_code from project_beneficiaries b
                         where b.project_id = p_id and b.tax_code is not null)
     and kc_certificate_valid(t, v_on));
end $$;

create or replace function kc_project_typical(p_id bigint) returns boolean
language plpgsql stable as $$
declare
  v_on date;
begin
  if not exists (select 1 from project_beneficiaries b
                  where b.project_id = p_id and b.tax_code is not null) then
    return false;
  end if;
  select make_date(pl.year, 1, 1) into v_on
    from projects pr join plans pl on pl.id = pr.plan_id where pr.id = p_id;
  return exists (
    select 1 from typical_products t
     where t.tax_code in (select b.tax_code from project_beneficiaries b
                           where b.project_id = p_id and b.tax_code is not null)
       and kc_certificate_valid(t, v_on));
end $$;
