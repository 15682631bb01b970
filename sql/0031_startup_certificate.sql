-- 0031_startup_certificate.sql — the start-up's business registration
-- certificate before its support is paid (issue 14 point 2; DOMAIN §2.5:
-- "100 % — support to set up a CNNT enterprise — after base acceptance and
-- the business registration certificate", TT 36/2013/TT-BCT Art. 13).
--
-- 0025 pays an activity whose first-advance rule is after_acceptance (C01)
-- only after acceptance; the certificate it names was only a text in the
-- rule's `evidence`. Now the first payment of such a project (advance or
-- final, not a refund) needs the certificate of the enterprise set up:
-- budget.disburse {..., registration_certificate: {number, date, issuer?}},
-- recorded once per project (project_registration_certificates), audited,
-- and not dated after the payment. Without it: 1022
-- {field: "registration_certificate", rule: "registration_certificate"},
-- and nothing is paid.

create table project_registration_certificates (
  project_id bigint primary key references projects (id),
  number text not null check (length(number) between 1 and 100),
  issued_on date not null,
  issuer text check (length(issuer) between 1 and 300),
  disbursement_id bigint references disbursements (id),
  recorded_by bigint not null references users (id),
  recorded_at timestamptz not null default now()
);

alter function kc_budget_disburse(bigint, text, text, text, bigint, jsonb) rename to kc_budget_disburse_0025;

create function kc_budget_disburse(p_user bigint, p_username text, p_peer text, p_role text,
                                   p_scope bigint, p jsonb) returns jsonb
language plpgsql as $$
declare
  v_res jsonb;
  v_cert jsonb := p->'registration_certificate';
  v_needs boolean;
  v_on date := (p->>'date')::date;
  r project_registration_certificates;
begin
  v_res := kc_budget_disburse_0025(p_user, p_username, p_peer, p_role, p_scope, p - 'registration_certificate');
  if v_res ? 'error' or coalesce(p->>'kind', 'advance') = 'refund' then
    return v_res;
  end if;
  select coalesce(bool_or(f.after_acceptance), false) into v_needs
    from kc_first_advance((p->>'project_id')::bigint, v_on) f;
  if not v_needs or exists (select 1 from project_registration_certificates
                             where project_id = (p->>'project_id')::bigint) then
    return v_res;
  end if;
  -- the payment made above is undone with the refusal (the exception below)
  if v_cert is null or jsonb_typeof(v_cert) <> 'object' then
    raise exception using errcode = 'KC099', message = kc_rule_err('registration_certificate', 'registration_certificate',
      'support to set up an enterprise is paid after base acceptance and on its business registration certificate: give its number and date (TT 36/2013/TT-BCT Art. 13)')::text;
  end if;
  if (v_cert->>'date')::date > v_on then
    raise exception using errcode = 'KC099', message = kc_rule_err('registration_certificate.date', 'order',
      'the certificate is not dated after the payment')::text;
  end if;
  insert into project_registration_certificates (project_id, number, issued_on, issuer, disbursement_id,
                                                 recorded_by)
  values ((p->>'project_id')::bigint, v_cert->>'number', (v_cert->>'date')::date, v_cert->>'issuer',
          (v_res->'result'->>'id')::bigint, p_user)
  returning * into r;
  perform kc_audit(p_user, p_username, p_peer, 'budget.disburse', 'registration_certificate', r.project_id,
                   null, to_jsonb(r) - 'recorded_at');
  return jsonb_build_object('result', (v_res->'result')
                                      || jsonb_build_object('registration_certificate',
                                                            to_jsonb(r) - 'recorded_at' - 'recorded_by'));
exception
  when sqlstate 'KC099' then
    return sqlerrm::jsonb;
end $$;
