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
-- its plan and the certificates before it looked at the beneficiaries'
-- tax codes, which a certificate must match: 0.11 ms of wall time per
-- update under load (update-cpu --top), for a project that, like most,
-- names no beneficiary with a tax code.
--
-- Both now look at the beneficiaries first (project_beneficiaries_project_idx)
-- and stop there when none has a tax code; otherwise they run 0008's
-- statement unchanged. kc_project_typical asks by EXISTS instead of
-- building the JSON array and taking its length. Same answers: with no
-- such beneficiary the IN list of 0008's statement is empty, so it gives
-- '[]' and false.
create or replace function kc_project_typical_certificates(p_id bigint) returns jsonb
language plpgsql stable as $$
begin
  if not exists (select 1 from project_beneficiaries b
                  where b.project_id = p_id and b.tax_code is not null) then
    return '[]'::jsonb;
  end if;
  return (
  select coalesce(jsonb_agg(jsonb_build_object('id', t.id, 'certificate_no', t.certificate_no,
                                               'level', t.level, 'year', t.year,
                                               'product_name', t.product_name,
                                               'tax_code', t.tax_code,
                                               'valid_until', t.valid_until) order by t.id),
                  '[]'::jsonb)
    from projects pr join plans pl on pl.id = pr.plan_id
    join typical_products t on kc_certificate_valid(t, make_date(pl.year, 1, 1))
   where pr.id = p_id
     and t.tax_code in (select b.tax_code from project_beneficiaries b
                         where b.project_id = pr.id and b.tax_code is not null));
end $$;

create or replace function kc_project_typical(p_id bigint) returns boolean
language plpgsql stable as $$
begin
  if not exists (select 1 from project_beneficiaries b
                  where b.project_id = p_id and b.tax_code is not null) then
    return false;
  end if;
  return exists (
    select 1
      from projects pr join plans pl on pl.id = pr.plan_id
      join typical_products t on kc_certificate_valid(t, make_date(pl.year, 1, 1))
     where pr.id = p_id
       and t.tax_code in (select b.tax_code from project_beneficiaries b
                           where b.project_id = pr.id and b.tax_code is not null));
end $$;
