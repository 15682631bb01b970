#!/usr/bin/env python3
"""The money chain as the law runs it (issue 14, sql/0025), through the
protocol with a real server:

1. no allocation, contract or payment before the project is in the plan
   decision in force (1010 naming the missing decision; KC010 from the
   database for a plain SQL insert), accepted after it; the stages 10–13;
3. a cancelled or suspended project gives back what was not paid (released
   to the appropriation), owes what was paid, refunds it (budget.disburse
   kind refund) and shows the outstanding amount until it is zero;
4. a local project from draft to settled by the province's roles only, with
   the province's own appropriation; the Ministry reads it and writes none
   of it."""

import datetime
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kctest  # noqa: E402
from kctest import check, check_equal  # noqa: E402

tap = kctest.Tap()
S = kctest.Suite()
srv, admin = S.srv, S.admin
RULE = kctest.RULE
FORBIDDEN = kctest.FORBIDDEN
NOT_FOUND = kctest.NOT_FOUND
BAD_STATUS = 1010
TODAY = datetime.date.today()
Y = TODAY.year
NY = 2031   # the national projects' plan year


def c(role):
    if role not in S:
        u = kctest.create_user(admin(), role)
        u["client"] = srv().login(u["username"], u["password"])
        S[role] = u
    return S[role]["client"]


def sql_int(statement):
    return int(srv().sql(statement).strip() or 0)


def violation(err):
    v = err.get("data", {}).get("violations", [{}])[0]
    return v.get("field"), v.get("rule")


def get(pid):
    return c("province_officer").result("project.get", {"id": pid})


def get_as(client, pid):
    return client.result("project.get", {"id": pid})


def money(pid):
    return c("province_officer").result("budget.project", {"project_id": pid})["totals"]


def ledger_sound():
    check_equal(srv().sql("SELECT count(*) FROM kc_budget_check_ledger()").strip(), "0", "the ledger")


def appropriation(year, source, province_id=0):
    return sql_int("SELECT allocated FROM appropriations WHERE year = %d AND source = '%s' AND province_id = %d"
                   % (year, source, province_id))


def new_plan(year, scope, lines, n=1, category="ND45.4.1"):
    lan = c("province_officer")
    plan = lan.result("plan.create", {"org_id": srv().org_id("25.TTKC"), "year": year, "scope": scope})
    ids = [lan.result("project.create", {
        "plan_id": plan["id"], "title": "Đề án chuỗi tiền %s %d" % (scope, i), "content_category": category,
        "budget_lines": lines, "indicators": [{"code": "I01", "target": 20}], "no_double_funding": True,
        "start_date": "%d-01-01" % year, "end_date": "%d-12-31" % year,
        "beneficiaries": [{"name": "Cơ sở thử", "kind": "household_business"}]})["id"] for i in range(n)]
    s = lan.result("plan.submit", {"id": plan["id"], "version": plan["version"]})
    return s, ids


# ---------------------------------------------------------------------------

@tap.test("1. no money before the plan decision: refused naming it, accepted after; stages 10–13")
def _():
    appr, hung = c("ministry_approver"), c("province_leader")
    plan, ids = new_plan(NY, "national", [{"source": "central", "amount": 100000000},
                                          {"source": "counterpart", "amount": 100000000}], n=2)
    hung.result("plan.appraise", {"id": plan["id"], "version": plan["version"], "decision": "forward"})
    for pid in ids:
        appr.result("review.decide", {"project_id": pid, "version": get(pid)["version"], "decision": "approve"})
    appr.result("budget.set_appropriation", {"year": NY, "source": "central", "amount": 1000000000})
    a, b = ids
    p = get(a)
    check_equal((p["status"], p["stage"]), ("approved", "ministry_appraised"), "appraised, not in a decision")
    e = appr.error("budget.allocate", {"project_id": a, "version": p["version"], "amount": 50000000}, BAD_STATUS)
    check_equal(e["data"]["missing_decision"]["method"], "decision.approve_plan", "names the decision")
    check_equal(e["data"]["missing_decision"]["year"], NY, "of the plan's year")
    check(p["code"] in e["message"] and "decision" in e["message"], "the message names project and decision", e)
    appr.error("budget.contract", {"project_id": a, "version": p["version"], "number": "HĐ-0",
                                   "signed_on": "%d-01-05" % NY, "amount": 1}, BAD_STATUS)
    appr.error("budget.disburse", {"project_id": a, "amount": 1, "date": "%d-01-05" % NY,
                                   "document_no": "UNC-0"}, BAD_STATUS)
    # the database refuses it whoever writes
    out = kctest.psql_try("INSERT INTO allocations (project_id, year, source, amount, allocated_by) "
                          "VALUES (%d, %d, 'central', 1, (SELECT min(id) FROM users))" % (a, NY), db=srv().dbname)
    check(out[0] != 0 and "before the approval decision" in out[2], "plain SQL refused", out)
    check_equal(sql_int("SELECT count(*) FROM allocations WHERE project_id = %d" % a), 0, "nothing written")
    # the Minister's decision lists a only
    d = appr.result("decision.approve_plan", {"year": NY, "number": "QĐ-%d/BCT" % NY, "signed_on": "%d-01-02" % NY,
                                              "signer": "Bộ trưởng", "project_ids": [a]})
    p = get(a)
    check_equal(p["stage"], "plan_approved", "step 10")
    appr.result("budget.allocate", {"project_id": a, "version": p["version"], "amount": 100000000})
    p = get(a)
    check_equal((p["status"], p["stage"]), ("approved", "plan_assigned"), "step 11: assigned with its money")
    appr.result("budget.contract", {"project_id": a, "version": p["version"], "number": "HĐ-1",
                                    "signed_on": "%d-01-05" % NY, "amount": 100000000})
    check_equal(get(a)["stage"], "contracted", "step 13")
    appr.result("budget.disburse", {"project_id": a, "amount": 30000000, "date": "%d-01-10" % NY,
                                    "document_no": "UNC-1"})
    check_equal((get(a)["status"], get(a)["stage"]), ("in_progress", "advanced"), "step 14")
    # b is not in the decision: the amending one is named
    e = appr.error("budget.allocate", {"project_id": b, "version": get(b)["version"], "amount": 1}, BAD_STATUS)
    check_equal((e["data"]["missing_decision"]["method"], e["data"]["missing_decision"]["number"]),
                ("decision.amend", d["number"]), "names the amending decision")
    appr.result("decision.amend", {"amends_id": d["id"], "number": "QĐ-%d/BCT-SĐ" % NY, "signed_on": "%d-02-01" % NY,
                                   "signer": "Bộ trưởng", "items": [{"project_id": b, "action": "add"}]})
    appr.result("budget.allocate", {"project_id": b, "version": get(b)["version"], "amount": 100000000})
    ledger_sound()
    S["nat"] = (a, b)


@tap.test("2. first advance by activity (30 / 70 / 100 %) with its conditions, as catalogue data with its act")
def _():
    appr, hung, lan = c("ministry_approver"), c("province_leader"), c("province_officer")
    cat = lan.result("catalog.get", {})
    rules = {r["cap_code"]: r for r in cat["advance_first_rules"]}
    check_equal((rules["C22"]["first_pct"], rules["C22"]["min_progress_pct"], rules["C21"]["first_pct"],
                 rules["C01"]["first_pct"], rules["C01"]["after_acceptance"]), (30, 50, 70, 100, True), "the rules")
    check("TT 36/2013" in rules["C22"]["legal_act"], "with the act", rules["C22"])
    check("later_advance_progress_pct" in [r["code"] for r in cat["advance_rules"]], "later advances", cat["advance_rules"])
    (cc,) = [x for x in cat["content_categories"] if x["code"] == "ND45.4.7.b"]
    check_equal(cc["first_advance_pct"], 30, "a cluster content without its activity: 30 %, not 70 %")
    y = Y   # acceptance is dated today
    lan_plan = lan.result("plan.create", {"org_id": srv().org_id("25.TTKC"), "year": y, "scope": "national"})
    specs = [("ND45.4.7.b", "C22", 1000000000), ("ND45.4.2", "C01", 10000000)]
    ids = [lan.result("project.create", {
        "plan_id": lan_plan["id"], "title": "Đề án tạm ứng %s" % cap, "content_category": cat_code, "cap_code": cap,
        "procurement": "bidding" if cat_code == "ND45.4.7.b" else "selection",
        "budget_lines": [{"source": "central", "amount": amount}, {"source": "counterpart", "amount": amount * 3}],
        "indicators": [], "no_double_funding": True, "start_date": "%d-01-01" % y, "end_date": "%d-12-31" % y,
        "beneficiaries": [{"name": "Cơ sở thử", "kind": "enterprise"}]})["id"] for cat_code, cap, amount in specs]
    s = lan.result("plan.submit", {"id": lan_plan["id"], "version": lan_plan["version"]})
    hung.result("plan.appraise", {"id": s["id"], "version": s["version"], "decision": "forward"})
    for pid in ids:
        appr.result("review.decide", {"project_id": pid, "version": get(pid)["version"], "decision": "approve"})
    appr.result("decision.approve_plan", {"year": y, "number": "QĐ-%d/BCT" % y, "signed_on": "%d-01-02" % y,
                                          "signer": "Bộ trưởng", "project_ids": ids})
    appr.result("budget.set_appropriation", {"year": y, "source": "central", "amount": 10 ** 10})
    for (cat_code, cap, amount), pid in zip(specs, ids):
        appr.result("budget.allocate", {"project_id": pid, "version": get(pid)["version"], "amount": amount})
        appr.result("budget.contract", {"project_id": pid, "version": get(pid)["version"], "number": "HĐ-%s" % cap,
                                        "signed_on": "%d-01-05" % y, "amount": amount})
    infra, startup = ids
    pay = {"project_id": infra, "kind": "advance", "amount": 300000000, "date": "%d-03-01" % y, "document_no": "UNC-H1"}
    # cluster infrastructure: 30 %, after a confirmed report of more than 50 % done
    e = appr.error("budget.disburse", pay, RULE)
    check_equal(violation(e), ("project_id", "first_advance_progress"), "no report above 50 %")
    r = lan.result("progress.report", {"project_id": infra, "period": "%d-01" % y, "percent_done": 50})
    hung.result("progress.confirm", {"id": r["id"], "version": r["version"]})
    e = appr.error("budget.disburse", pay, RULE)
    check_equal(violation(e), ("project_id", "first_advance_progress"), "50 % is not more than 50 %")
    r = lan.result("progress.report", {"project_id": infra, "period": "%d-02" % y, "percent_done": 60})
    e = appr.error("budget.disburse", pay, RULE)
    check_equal(violation(e), ("project_id", "first_advance_progress"), "reported, not confirmed")
    hung.result("progress.confirm", {"id": r["id"], "version": r["version"]})
    e = appr.error("budget.disburse", dict(pay, amount=300000001), RULE)
    check_equal((violation(e), e["data"].get("pct")), (("amount", "first_advance"), 30), "30 %, not 70 %")
    appr.result("budget.disburse", pay)
    # later: at most the share done (60 % confirmed)
    e = appr.error("budget.disburse", dict(pay, amount=300000001, document_no="UNC-H2"), RULE)
    check_equal(violation(e), ("amount", "work_done"), "the share done")
    appr.result("budget.disburse", dict(pay, amount=300000000, document_no="UNC-H2"))
    # a start-up: 100 %, only after base acceptance
    sp = {"project_id": startup, "kind": "advance", "amount": 10000000, "date": "%d-03-01" % y, "document_no": "UNC-K1"}
    e = appr.error("budget.disburse", dict(sp, amount=1), RULE)
    check_equal(violation(e), ("kind", "first_advance_after_acceptance"), "not before acceptance")
    hung.result("project.accept", {"id": startup, "version": get(startup)["version"],
                                   "accepted_on": TODAY.isoformat(), "record_no": "BB-KS"})
    # ... and on the business registration certificate of the enterprise set up (sql/0031)
    e = appr.error("budget.disburse", dict(sp, date=TODAY.isoformat()), RULE)
    check_equal(violation(e), ("registration_certificate", "registration_certificate"), "no certificate")
    check_equal(money(startup)["paid"], 0, "nothing paid without it")
    cert = {"number": "0109876543", "date": TODAY.isoformat(), "issuer": "Sở Tài chính tỉnh Phú Thọ"}
    e = appr.error("budget.disburse", dict(sp, date=TODAY.isoformat(),
                                           registration_certificate=dict(cert, date="2099-01-01")), RULE)
    check_equal(violation(e), ("registration_certificate.date", "order"), "not dated after the payment")
    r = appr.result("budget.disburse", dict(sp, date=TODAY.isoformat(), registration_certificate=cert))
    check_equal(r["project"]["paid"], 10000000, "the whole support after acceptance")
    check_equal((r["registration_certificate"]["number"], r["registration_certificate"]["issued_on"]),
                (cert["number"], cert["date"]), "the certificate recorded with the payment")
    audit = kctest.audit_entries(admin(), method="budget.disburse", record_type="registration_certificate")
    check_equal([x["record_id"] for x in audit], [startup], "audited")

@tap.test("3. cancellation releases the unpaid allocation, records what is owed, takes refunds to zero")
def _():
    appr = c("ministry_approver")
    a, b = S["nat"]
    before = appropriation(NY, "central")
    # a: 100M allocated, 30M advanced; the Minister suspends it
    c("province_leader").error("project.cancel", {"id": a, "version": get(a)["version"], "kind": "suspension",
                                                  "reason": "x", "decision_no": "1"}, FORBIDDEN)
    appr.result("project.cancel", {"id": a, "version": get(a)["version"], "kind": "suspension",
                                    "reason": "Đơn vị không đủ năng lực triển khai", "decision_no": "99/QĐ-BCT",
                                    "decision_date": "%d-03-01" % NY})
    check_equal(appropriation(NY, "central"), before - 70000000, "70M unpaid back to the appropriation")
    t = money(a)
    check_equal((t["released"], t["refund_due"], t["refund_outstanding"]), (70000000, 30000000, 30000000),
                "owes what was paid")
    s = appr.result("budget.summary", {"year": NY})
    (prov,) = [x for x in s["by_province"] if x["province_code"] == "25"]
    check_equal(prov["refund_outstanding"], 30000000, "the summary shows it")
    pay = {"project_id": a, "kind": "advance", "amount": 1, "date": "%d-03-05" % NY, "document_no": "UNC-X"}
    appr.error("budget.disburse", pay, BAD_STATUS)
    e = appr.error("budget.disburse", dict(pay, kind="refund", amount=30000001), RULE)
    check_equal(violation(e), ("amount", "refund_due"), "not more than owed")
    e = appr.error("budget.disburse", dict(pay, kind="refund", amount=1, date="%d-02-01" % NY), RULE)
    check_equal(violation(e), ("date", "order"), "not before the cancellation")
    c("province_leader").error("budget.disburse", dict(pay, kind="refund", amount=1), FORBIDDEN)
    r = appr.result("budget.disburse", dict(pay, kind="refund", amount=10000000, document_no="NT-1"))
    check_equal(r["outstanding"], 20000000, "outstanding after the first refund")
    check_equal(money(a)["refund_outstanding"], 20000000, "budget.project shows it")
    r = appr.result("budget.disburse", dict(pay, kind="refund", amount=20000000, document_no="NT-2"))
    check_equal(r["outstanding"], 0, "paid back")
    check_equal(appropriation(NY, "central"), before - 100000000, "all of it back")
    appr.error("budget.disburse", dict(pay, kind="refund", amount=1, document_no="NT-3"), RULE)
    # b: cancelled by an amending decision, nothing paid: all released, nothing owed
    d = [x for x in appr.result("decision.list", {"year": NY})["items"] if x["kind"] == "approval"][0]
    appr.result("decision.amend", {"amends_id": d["id"], "number": "QĐ-%d/BCT-H" % NY, "signed_on": "%d-03-10" % NY,
                                   "signer": "Bộ trưởng", "items": [{"project_id": b, "action": "cancel"}]})
    t = money(b)
    check_equal((get(b)["status"], t["released"], t["refund_due"], t["refund_outstanding"]),
                ("cancelled", 100000000, 0, 0), "cancelled by decision: released, nothing owed")
    check_equal(appropriation(NY, "central"), 0, "the appropriation is whole again")
    ledger_sound()


@tap.test("4. a local project from draft to settled by the province's roles only")
def _():
    lan, hung, appr = c("province_officer"), c("province_leader"), c("ministry_approver")
    plan, (pid,) = new_plan(Y, "local", [{"source": "local", "amount": 200000000},
                                         {"source": "counterpart", "amount": 50000000}])
    province = sql_int("SELECT kc_scope_root(org_id) FROM plans WHERE id = %d" % plan["id"])
    hung.result("plan.approve_local", {"id": plan["id"], "version": plan["version"], "decision_no": "12/QĐ-UBND",
                                       "decision_date": "%d-01-03" % Y, "issuer": "UBND tỉnh Phú Thọ"})
    check_equal((get(pid)["status"], get(pid)["stage"]), ("approved", "plan_approved"), "in the local plan")
    # the province's own appropriation: its leader only, source local only
    ap = {"year": Y, "source": "local", "amount": 500000000}
    appr.error("budget.set_appropriation", ap, FORBIDDEN)
    lan.error("budget.set_appropriation", ap, FORBIDDEN)
    hung.error("budget.set_appropriation", dict(ap, source="central"), FORBIDDEN)
    r = hung.result("budget.set_appropriation", ap)
    check_equal((r["amount"], r["province_id"]), (500000000, province), "the province's row")
    # the Ministry writes nothing of a local project
    v = get(pid)["version"]
    appr.error("budget.allocate", {"project_id": pid, "version": v, "amount": 1}, FORBIDDEN)
    lan.error("budget.allocate", {"project_id": pid, "version": v, "amount": 1}, FORBIDDEN)
    e = hung.error("budget.allocate", {"project_id": pid, "version": v, "amount": 1, "source": "central"}, RULE)
    check_equal(violation(e), ("source", "scope"), "local money only")
    e = hung.error("budget.allocate", {"project_id": pid, "version": v, "amount": 200000001}, RULE)
    check_equal(violation(e), ("amount", "budget_line"), "at most the project's local line")
    a = hung.result("budget.allocate", {"project_id": pid, "version": v, "amount": 200000000})
    check_equal(a["source"], "local", "from the local appropriation")
    check_equal(appropriation(Y, "local", province), 200000000, "the province's appropriation")
    check_equal(get(pid)["stage"], "plan_assigned", "assigned")
    v = get(pid)["version"]
    appr.error("budget.contract", {"project_id": pid, "version": v, "number": "HĐ-L1", "signed_on": "%d-01-10" % Y,
                                   "amount": 200000000}, FORBIDDEN)
    k = hung.result("budget.contract", {"project_id": pid, "version": v, "number": "HĐ-L1",
                                        "signed_on": "%d-01-10" % Y, "amount": 200000000})
    check("Phú Thọ" in k["party_a"] or k["party_a"], "party A the province", k)
    check_equal(get(pid)["stage"], "contracted", "contracted")
    pay = {"project_id": pid, "kind": "advance", "amount": 100000000, "date": "%d-01-15" % Y, "document_no": "UNC-L1"}
    appr.error("budget.disburse", pay, FORBIDDEN)
    e = hung.error("budget.disburse", dict(pay, amount=140000001), RULE)
    check(violation(e)[1] in ("first_advance", "max_before_acceptance"), "the same advance rules", e)
    hung.result("budget.disburse", pay)
    check_equal((get(pid)["status"], get(pid)["stage"]), ("in_progress", "advanced"), "started")
    lan.result("progress.report", {"project_id": pid, "period": "%d-01" % Y, "percent_done": 80,
                                   "indicators": [{"code": "I01", "achieved": 15}]})
    hung.result("project.accept", {"id": pid, "version": get(pid)["version"], "accepted_on": TODAY.isoformat(),
                                   "record_no": "BB-NT-L1", "indicators": [{"code": "I01", "achieved": 20}]})
    hung.result("budget.disburse", dict(pay, kind="final", amount=90000000, document_no="UNC-L2"))
    check_equal((get(pid)["status"], get(pid)["stage"]), ("completed", "fully_advanced"), "fully paid")
    # step 22: the implementer's settlement dossier (the Ministry does not file it)
    sd = {"project_id": pid, "version": get(pid)["version"], "submitted_on": TODAY.isoformat(), "record_no": "HS-QT-L1"}
    appr.error("budget.submit_settlement", sd, FORBIDDEN)
    r = lan.result("budget.submit_settlement", sd)
    check_equal(r["late"], False, "within 15 days of acceptance")
    check_equal(get(pid)["stage"], "settlement_submitted", "step 22")
    lan.error("budget.submit_settlement", dict(sd, version=get(pid)["version"]), RULE)
    st = {"project_id": pid, "version": get(pid)["version"], "settled_on": TODAY.isoformat(), "record_no": "QT-L1",
          "amounts": [{"source": "local", "amount": 190000000}, {"source": "counterpart", "amount": 50000000}]}
    appr.error("budget.settle", st, FORBIDDEN)
    lan.error("budget.settle", st, FORBIDDEN)
    e = hung.error("budget.settle", dict(st, amounts=[{"source": "local", "amount": 190000001}]), RULE)
    check_equal(violation(e), ("amounts", "paid"), "settled at most paid")
    res = hung.result("budget.settle", st)
    check_equal((res["central_paid"], res["released"], res["to_recover"]), (190000000, 10000000, 0),
                "the local settlement (the project's own budget)")
    check_equal((get(pid)["status"], get(pid)["stage"]), ("settled", "settled"), "settled")
    check_equal(appropriation(Y, "local", province), 190000000, "10M back to the province")
    # the Ministry reads it; the province sees its own appropriation
    s = appr.result("budget.summary", {"year": Y})
    (loc,) = [x for x in s["by_source"] if x["source"] == "local"]
    check_equal((loc["appropriated"], loc["allocated"], loc["released"]), (500000000, 200000000, 10000000),
                "the Ministry sees the local money")
    check_equal([(x["province_id"], x["amount"]) for x in s["local_appropriations"]], [(province, 500000000)],
                "per province")
    (prov,) = [x for x in s["by_province"] if x["province_code"] == "25"]
    check_equal(prov["settled_local"], 190000000, "by province")
    mine = lan.result("budget.summary", {"year": Y})
    check_equal([(x["source"], x["appropriated"]) for x in mine["by_source"]], [("local", 500000000)],
                "the province sees its own appropriation")
    ledger_sound()


@tap.test("4. local caps: the province's own (HĐND resolution, catalogue data); national caps with a warning until then")
def _():
    lan, hung = c("province_officer"), c("province_leader")
    y = 2036
    plan = lan.result("plan.create", {"org_id": srv().org_id("25.TTKC"), "year": y, "scope": "local"})
    params = {"plan_id": plan["id"], "title": "Đề án địa phương có mức trần", "content_category": "ND45.4.3",
              "cap_code": "C02", "budget_lines": [{"source": "local", "amount": 300000000},
                                                  {"source": "counterpart", "amount": 700000000}],
              "indicators": [], "no_double_funding": True,
              "beneficiaries": [{"name": "Cơ sở thử", "kind": "household_business"}]}
    p = lan.result("project.create", params)
    w = [x for x in p["warnings"] if x["rule"] == "local_caps_missing"]
    check(len(w) == 1 and "C02" in w[0]["message"] and w[0]["field"] == "budget_lines.local",
          "the national cap applies, with a warning", p["warnings"])
    over = lan.result("project.create", dict(params, budget_lines=[{"source": "local", "amount": 310000000},
                                                                  {"source": "counterpart", "amount": 690000000}]))
    check(("budget_lines.local", "local_cap") in [(x["field"], x["rule"]) for x in over["warnings"]],
          "above the national 30 %: a warning, not a refusal, while the province has no caps", over["warnings"])
    lan.result("project.delete", {"id": over["id"], "version": over["version"]})
    cap = {"cap_code": "C02", "content_code": "ND45.4.3", "name_vi": "Mô hình trình diễn kỹ thuật (địa phương)",
           "pct_cap": 20, "abs_cap_vnd": 200000000, "unit": "mô hình", "base": "tổng chi phí",
           "legal_act": "NQ 23/2025/NQ-HĐND tỉnh Phú Thọ", "valid_from": "2025-01-01", "confidence": "C",
           "decision": {"number": "23/2025/NQ-HĐND", "date": "2025-12-10", "signer": "Chủ tịch HĐND tỉnh"}}
    # in force before the 2036 project is registered (today): the rules of the
    # registration day apply (sql/0031, DOMAIN §6.4)
    lan.error("catalog.add_local_cap", cap, FORBIDDEN)
    c("ministry_approver").error("catalog.add_local_cap", cap, FORBIDDEN)
    r = hung.result("catalog.add_local_cap", cap)
    check_equal((r["cap_code"], r["pct_cap"], r["legal_act"]), ("C02", 20, cap["legal_act"]), "entered")
    e = hung.error("catalog.add_local_cap", cap, RULE)
    check_equal(violation(e), ("valid_from", "order"), "one row per day")
    got = [x for x in lan.result("catalog.get", {"at": "%d-06-01" % y})["local_caps"] if x["cap_code"] == "C02"]
    check_equal([(x["province_code"], x["abs_cap_vnd"], x["legal_act"]) for x in got],
                [("25", 200000000, cap["legal_act"])], "catalogue data with its act")
    chk = lan.result("project.check", {"id": p["id"]})
    check(("budget_lines.local", "local_cap") in [(x["field"], x["rule"]) for x in chk["violations"]],
          "now the province's 20 % applies", chk)
    check("local_caps_missing" not in [x["rule"] for x in chk["warnings"]], "no more warning", chk["warnings"])
    check_equal(chk["local_cap"]["legal_act"], cap["legal_act"], "checked against the resolution")
    # the two refusals (1003) above are on record too (issue 13), as refusals
    audit = [x for x in kctest.audit_entries(admin(), method="catalog.add_local_cap")
             if (x.get("after") or {}).get("result") != "refused"]
    check_equal(len(audit), 1, "audited")


@tap.test("5. every stage reachable: base appraisal failed, implementation plan, adjusting, settlement dossier, partial")
def _():
    lan, hung, appr, rev = c("province_officer"), c("province_leader"), c("ministry_approver"), c("ministry_reviewer")
    y = 2033
    plan = lan.result("plan.create", {"org_id": srv().org_id("25.TTKC"), "year": y, "scope": "national"})
    base = {"plan_id": plan["id"], "content_category": "ND45.4.1", "indicators": [], "no_double_funding": True,
            "budget_lines": [{"source": "central", "amount": 100000000}, {"source": "counterpart", "amount": 20000000}],
            "start_date": "%d-01-01" % y, "end_date": "%d-12-31" % y,
            "beneficiaries": [{"name": "Cơ sở thử", "kind": "household_business"}]}
    bad = lan.result("project.create", dict(base, title="Đề án không đạt thẩm định cơ sở"))["id"]
    grp = lan.result("project.create", dict(base, title="Đề án nhóm đào tạo nghề", kind="group"))["id"]
    s = lan.result("plan.submit", {"id": plan["id"], "version": plan["version"]})
    # step 6: one project fails the base appraisal, the plan goes on
    lan.error("project.fail_base_appraisal", {"id": bad, "version": get(bad)["version"], "reason": "x"}, FORBIDDEN)
    hung.error("project.fail_base_appraisal", {"id": bad, "version": 1, "reason": "x"}, 1009)
    hung.result("project.fail_base_appraisal", {"id": bad, "version": get(bad)["version"],
                                                "reason": "Đơn vị thụ hưởng không đủ điều kiện (Phiếu 4a)"})
    check_equal((get(bad)["status"], get(bad)["stage"]), ("rejected", "base_appraisal_failed"), "step 6")
    s = lan.result("plan.get", {"id": plan["id"]})
    hung.result("plan.appraise", {"id": plan["id"], "version": s["version"], "decision": "forward"})
    check_equal((get(bad)["status"], get(grp)["stage"]), ("rejected", "base_appraised"), "the rest forwarded")
    hung.error("project.fail_base_appraisal", {"id": grp, "version": get(grp)["version"], "reason": "x"}, BAD_STATUS)
    # step 12: the group project's implementation plan before its contract
    appr.result("review.decide", {"project_id": grp, "version": get(grp)["version"], "decision": "approve"})
    ip = {"id": grp, "version": get(grp)["version"], "decision_no": "25/QĐ-SCT", "decision_date": "%d-02-01" % y}
    e = hung.error("project.approve_implementation_plan", ip, BAD_STATUS)
    check_equal(e["data"]["stage"], "ministry_appraised", "not before the plan decision")
    appr.result("decision.approve_plan", {"year": y, "number": "QĐ-%d/BCT" % y, "signed_on": "%d-01-02" % y,
                                          "signer": "Bộ trưởng", "project_ids": [grp]})
    appr.result("budget.set_appropriation", {"year": y, "source": "central", "amount": 500000000})
    appr.result("budget.allocate", {"project_id": grp, "version": get(grp)["version"], "amount": 100000000})
    check_equal(get(grp)["stage"], "plan_assigned", "step 11")
    ct = {"project_id": grp, "number": "HĐ-N1", "signed_on": "%d-02-10" % y, "amount": 100000000}
    appr.error("budget.contract", dict(ct, version=get(grp)["version"]), BAD_STATUS)
    lan.error("project.approve_implementation_plan", dict(ip, version=get(grp)["version"]), FORBIDDEN)
    hung.result("project.approve_implementation_plan", dict(ip, version=get(grp)["version"]))
    check_equal(get(grp)["stage"], "implementation_plan_approved", "step 12")
    appr.result("budget.contract", dict(ct, version=get(grp)["version"]))
    check_equal(get(grp)["stage"], "contracted", "step 13 from 12")
    e = hung.error("project.approve_implementation_plan", dict(ip, version=get(grp)["version"]), BAD_STATUS)
    appr.result("budget.disburse", {"project_id": grp, "amount": 50000000, "date": "%d-02-15" % y,
                                    "document_no": "UNC-N1"})
    # steps 16–17: an open adjustment is the stage adjusting
    req = lan.result("adjustment.request", {"project_id": grp, "type": "minor", "reason": "Đổi mục tiêu",
                                            "changes": {"objectives": "Đào tạo 40 lao động"}})
    check_equal((get(grp)["status"], get(grp)["stage"]), ("in_progress", "adjusting"), "adjusting")
    rev.result("adjustment.decide", {"id": req["id"], "version": req["version"], "decision": "reject",
                                     "comment": "Chưa đủ căn cứ"})
    check_equal(get(grp)["stage"], "advanced", "back once decided")
    # step 24: force majeure, settled on the volume done (by the Ministry; the province cannot)
    st = {"project_id": grp, "version": get(grp)["version"], "settled_on": "%d-06-30" % y, "record_no": "QT-BKK",
          "amounts": [{"source": "central", "amount": 40000000}], "partial": True}
    hung.error("budget.settle", dict(st, reason="x", volume_accepted_on="%d-06-20" % y), FORBIDDEN)
    e = appr.error("budget.settle", st, RULE)
    check_equal(violation(e)[1], "required", "reason and volume acceptance required")
    r = appr.result("budget.settle", dict(st, reason="Lũ lụt làm hỏng xưởng (bất khả kháng)",
                                          volume_accepted_on="%d-06-20" % y))
    check_equal((r["partial"], r["released"], r["to_recover"]), (True, 50000000, 10000000), "on the volume done")
    check_equal((get(grp)["status"], get(grp)["stage"]), ("settled", "partially_settled"), "step 24")
    ledger_sound()


@tap.test("5. a regional centre of the Ministry submits its national projects directly to the Cục (step 4b); its own scope; no local plan")
def _():
    centre = "BCT.CKC.TTKC1"
    officer = kctest.create_user(admin(), "province_officer", org_code=centre)
    director = kctest.create_user(admin(), "province_leader", org_code=centre)
    m = admin().call("user.create", {"username": "rev-tt1-%d" % sql_int("SELECT count(*) FROM users"),
                                     "full_name": "Người thử", "role": "ministry_reviewer",
                                     "org_id": srv().org_id(centre), "password": "Mật-khẩu-thử-12345"})
    check("error" in m, "a Ministry role does not fit a centre (its own scope now)", m)
    with srv().login(officer["username"], officer["password"]) as tt:
        e = tt.error("plan.create", {"org_id": srv().org_id(centre), "year": NY, "scope": "local"}, RULE)
        check_equal(violation(e), ("scope", "regional_centre"), "no local plan at a centre")
        plan = tt.result("plan.create", {"org_id": srv().org_id(centre), "year": NY, "scope": "national"})
        tt.error("plan.create", {"org_id": srv().org_id("25.TTKC"), "year": NY, "scope": "national"},
                 kctest.NOT_FOUND)
        pid = tt.result("project.create", {
            "plan_id": plan["id"], "title": "Hội chợ CNNT khu vực phía Bắc", "content_category": "ND45.4.3",
            "cap_code": "C02", "budget_lines": [{"source": "central", "amount": 300000000},
                                                {"source": "counterpart", "amount": 700000000}],
            "indicators": [], "no_double_funding": True,
            "start_date": "%d-03-01" % NY, "end_date": "%d-11-30" % NY,
            "beneficiaries": [{"name": "Cơ sở thử", "kind": "enterprise"}]})["id"]
        head = kctest.audit_head(admin())
        r = tt.result("plan.submit", {"id": plan["id"], "version": plan["version"]})
        check_equal((r["status"], r.get("direct")), ("forwarded", True), "straight to the Cục")
        hist = srv().sql("SELECT string_agg(coalesce(from_status, '-') || '>' || to_status, ',' ORDER BY id)"
                         " FROM plan_history WHERE plan_id = %d" % plan["id"]).strip()
        check_equal(hist, "->draft,draft>submitted,submitted>forwarded", "both steps in the history")
        check_equal([x["method"] for x in kctest.audit_entries(admin(), record_type="plan")
                     if x["seq"] > head and x["record_id"] == plan["id"]], ["plan.submit", "plan.submit"],
                    "audited")
        p = tt.result("project.get", {"id": pid})
        check_equal((p["status"], p["stage"]), ("submitted", "submitted_direct"), "the project waits for the Cục (4b)")
        mine = tt.result("plan.list", {})["items"]
        check_equal({x["org_id"] for x in mine}, {srv().org_id(centre)}, "the centre sees its own plans only")
    # the Ministry sees it at once and decides it; a province does not see it
    rev = c("ministry_reviewer")
    check_equal(rev.result("plan.get", {"id": plan["id"]})["status"], "forwarded", "in the Ministry's view")
    check(pid in [x["id"] for x in rev.result("review.queue", {"limit": 1000})["items"]],
          "in the Ministry's review queue")
    check(pid in [x.get("project_id") for x in c("ministry_approver").result("inbox.list", {})["items"]],
          "in the approver's inbox")
    c("province_leader").error("plan.get", {"id": plan["id"]}, kctest.NOT_FOUND)
    c("ministry_approver").result("review.decide", {"project_id": pid, "version": get_as(rev, pid)["version"],
                                                    "decision": "approve"})
    check_equal(get_as(rev, pid)["status"], "approved", "approved by the Ministry")
    # the database: a province's plan may not skip its base appraisal the same way
    lan = c("province_officer")
    pplan = lan.result("plan.create", {"org_id": srv().org_id("25.TTKC"), "year": NY + 1, "scope": "national"})
    rc, out, err = kctest.psql_try(
        "BEGIN; SELECT kc_actor_set(NULL, 'province_officer');"
        " UPDATE plans SET status = 'submitted' WHERE id = %d;"
        " UPDATE plans SET status = 'forwarded' WHERE id = %d; COMMIT;" % (pplan["id"], pplan["id"]),
        db=srv().dbname)
    check(rc != 0 and "may not change status submitted -> forwarded" in err, "refused for a province", err)


@tap.test("6. priorities: one list of catalogue codes, the booleans kept; uplift and queue order from the catalogue")
def _():
    lan, hung, appr = c("province_officer"), c("province_leader"), c("ministry_approver")
    y = 2034
    plan = lan.result("plan.create", {"org_id": srv().org_id("25.TTKC"), "year": y, "scope": "national"})
    base = {"plan_id": plan["id"], "content_category": "ND45.4.3", "cap_code": "C02", "indicators": [],
            "no_double_funding": True, "beneficiaries": [{"name": "Cơ sở thử", "kind": "enterprise"}],
            "budget_lines": [{"source": "central", "amount": 1200000000},
                             {"source": "counterpart", "amount": 3000000000}]}
    # above the normal 1,000,000,000 đ of C02 (2018), within it only by a priority's uplift
    e = lan.error("project.create", dict(base, title="Không ưu tiên"), RULE)
    check_equal(violation(e), ("budget_lines.central", "cap"), "no priority, no uplift")
    e = lan.error("project.create", dict(base, title="Mã lạ", priorities=["key_industry", "nonsense"]), RULE)
    check_equal(violation(e), ("priorities", "exists"), "codes of the catalogue only")
    # created first, so the id would put it first: the catalogue's rank decides
    b = lan.result("project.create", dict(base, title="Chế biến nông sản", priorities=["agro_processing"],
                                          budget_lines=[{"source": "central", "amount": 100000000},
                                                        {"source": "counterpart", "amount": 300000000}]))
    a = lan.result("project.create", dict(base, title="Ngành công nghiệp chủ lực", priorities=["key_industry", "export"]))
    check_equal((a["priorities"], a["export"]), (["export", "key_industry"], True), "the list and the boolean")
    check("priority_uplift" in [w["rule"] for w in a["warnings"]], "within the cap by the uplift", a["warnings"])
    a = lan.result("project.update", {"id": a["id"], "version": a["version"], "export": False})
    check_equal((a["priorities"], a["export"]), (["key_industry"], False), "a boolean write keeps the list")
    cat = {x["code"]: x for x in lan.result("catalog.get", {})["priority_sectors"]}
    check_equal((cat["key_industry"]["rank"], cat["agro_processing"]["rank"], cat["key_industry"]["uplift"]),
                (1, 2, True), "rank and uplift as data")
    s = lan.result("plan.submit", {"id": plan["id"], "version": plan["version"]})
    hung.result("plan.appraise", {"id": plan["id"], "version": s["version"], "decision": "forward"})
    q = [x["id"] for x in appr.result("review.queue", {"limit": 100})["items"] if x["id"] in (a["id"], b["id"])]
    check_equal(q, [a["id"], b["id"]], "group b (key industry) before group a (agro-processing)")


@tap.test("7. bidding, group-project contents and group machinery projects are checked")
def _():
    lan = c("province_officer")
    plan = lan.result("plan.create", {"org_id": srv().org_id("25.TTKC"), "year": 2035, "scope": "national"})
    base = {"plan_id": plan["id"], "indicators": [], "no_double_funding": True,
            "budget_lines": [{"source": "central", "amount": 50000000}, {"source": "counterpart", "amount": 50000000}],
            "beneficiaries": [{"name": "Cơ sở thử", "kind": "enterprise"}]}
    # communication (ND45.4.6) is procured by bidding: a warning on a draft, refused at submission
    p = lan.result("project.create", dict(base, title="Chương trình truyền hình", content_category="ND45.4.6"))
    check(("procurement", "bidding") in [(w["field"], w["rule"]) for w in p["warnings"]], "bidding warned", p["warnings"])
    chk = lan.result("project.check", {"id": p["id"]})
    check(("procurement", "bidding") in [(w["field"], w["rule"]) for w in chk["violations"]], "refused at submission", chk)
    p = lan.result("project.update", {"id": p["id"], "version": p["version"], "procurement": "bidding"})
    check("bidding" not in [w["rule"] for w in p["warnings"]], "bidding chosen", p["warnings"])
    # a group project only of the eligible contents
    e = lan.error("project.create", dict(base, title="Nhóm truyền thông", content_category="ND45.4.6",
                                         procurement="bidding", kind="group"), RULE)
    check_equal(violation(e), ("kind", "group_project_eligible"), "communication is not a group content")
    # a group machinery project names its beneficiaries and locations
    g = lan.result("project.create", dict(base, title="Nhóm máy móc", content_category="ND45.4.3", kind="group",
                                          cap_code="C04", beneficiaries=[]))
    check({("beneficiaries", "group_machinery"), ("locations", "group_machinery")}
          <= {(w["field"], w["rule"]) for w in g["warnings"]}, "named at appraisal", g["warnings"])


@tap.test("7. a monthly progress report is due before the 25th: on the 25th it is late (calendar rule)")
def _():
    a, _ = S["nat"]
    ins = ("INSERT INTO project_progress_reports (project_id, period, percent_done, submitted_by, submitted_at, late) "
           "VALUES (%d, '%s', 10, (SELECT min(id) FROM users), '%s', %s) RETURNING late")
    # the flag follows the rule whatever the writer says
    check_equal(srv().sql(ins % (a, "%d-05-01" % NY, "%d-05-24 23:30:00+07" % NY, "true")).strip(), "f", "the 24th")
    check_equal(srv().sql(ins % (a, "%d-06-01" % NY, "%d-06-25 08:00:00+07" % NY, "false")).strip(), "t", "the 25th")
    check_equal(srv().sql("SELECT kc_progress_due('%d-06-01')" % NY).strip(), "%d-06-25" % NY, "the rule's day")


@tap.test("7. a typical-product certificate is valid to 31/12 of the 3rd year counting its year of issue")
def _():
    hung = c("province_leader")
    prov = srv().org_id("25")
    cert = {"product_name": "Chè Shan tuyết", "establishment_name": "HTX Chè", "level": "province", "year": 2024,
            "score": 80, "org_id": prov}
    # the 2024 round, issued in 2025: valid to 31/12/2027 (not 2026, the round's year + 2)
    t = hung.result("typical_product.create", dict(cert, certificate_no="GCN-A", issued_on="2025-01-15"))
    check_equal(t["valid_until"], "2027-12-31", "from the year of issue")
    t = hung.result("typical_product.create", dict(cert, certificate_no="GCN-B", issued_on="2024-11-20"))
    check_equal(t["valid_until"], "2026-12-31", "issued in the round's year")
    e = hung.error("typical_product.create", dict(cert, certificate_no="GCN-C", issued_on="2025-01-15",
                                                  valid_until="2028-01-01"), RULE)
    check_equal(violation(e), ("valid_until", "validity"), "not beyond it")
    out = kctest.psql_try("UPDATE typical_products SET valid_until = '2028-12-31' WHERE certificate_no = 'GCN-A'",
                          db=srv().dbname)
    check(out[0] != 0 and "typical_products_validity" in out[2], "the database refuses it too", out)


@tap.test("7. holidays with Tết and the lunar holidays 2014–2030, computed; working-day deadlines skip them")
def _():
    rows = srv().sql("SELECT day FROM holidays WHERE day BETWEEN '2014-01-01' AND '2030-12-31' "
                     "AND name = 'Tết Nguyên đán (mùng 1)'").split()
    # the first day of the lunar year, as published for each year
    tet = ["2014-01-31", "2015-02-19", "2016-02-08", "2017-01-28", "2018-02-16", "2019-02-05", "2020-01-25",
           "2021-02-12", "2022-02-01", "2023-01-22", "2024-02-10", "2025-01-29", "2026-02-17", "2027-02-06",
           "2028-01-26", "2029-02-13", "2030-02-02"]
    check_equal(sorted(rows), tet, "Tết 2014–2030")
    hung = srv().sql("SELECT day FROM holidays WHERE name LIKE 'Giỗ Tổ%' AND day BETWEEN '2022-01-01' AND "
                     "'2026-12-31' ORDER BY day").split()
    check_equal(hung, ["2022-04-10", "2023-04-29", "2024-04-18", "2025-04-07", "2026-04-26"], "Giỗ Tổ (10/3 lunar)")
    check_equal(srv().sql("SELECT name FROM holidays WHERE day = '2026-04-27'").strip(),
                "Nghỉ bù (Giỗ Tổ Hùng Vương (10/3 âm lịch))", "made up on Monday")
    # the 1st working day after Friday 13/2/2026 is after Tết: Monday 23/2
    check_equal(srv().sql("SELECT kc_working_day_due('2026-02-13', 1)").strip(), "2026-02-23", "working days")


@tap.test("7. TT 17/2018's flagship bounds (2–3 years, 2 beneficiaries) only from its effective date")
def _():
    lan = c("province_officer")
    plans = {}

    def flagship(year):
        if year not in plans:
            plans[year] = lan.result("plan.create", {"org_id": srv().org_id("25.TTKC"), "year": year,
                                                     "scope": "national"})
        plan = plans[year]
        return {"plan_id": plan["id"], "title": "Đề án điểm %d" % year, "kind": "flagship",
                "content_category": "ND45.4.1", "content_categories": ["ND45.4.1", "ND45.4.5"],
                "indicators": [], "no_double_funding": True, "start_date": "%d-03-01" % year,
                "end_date": "%d-12-31" % (year + 4),
                "budget_lines": [{"source": "central", "amount": 10000000}, {"source": "counterpart", "amount": 10000000}],
                "beneficiaries": [{"name": "Cơ sở thử", "kind": "enterprise"}]}
    # 2018 (rules of 1/1/2018, before TT 17): five years and one beneficiary are allowed
    p = lan.result("project.create", flagship(2018))
    check(not {"max_years", "min_beneficiaries"} & {w["rule"] for w in p["warnings"]}, "the 2013 definition", p)
    # 2019: at most three years; two beneficiaries (completeness)
    e = lan.error("project.create", flagship(2019), RULE)
    check_equal(violation(e), ("end_date", "max_years"), "TT 17/2018: 2–3 years")
    p = lan.result("project.create", dict(flagship(2019), end_date="2021-12-31"))
    check("min_beneficiaries" in {w["rule"] for w in p["warnings"]}, "TT 17/2018: two beneficiaries", p["warnings"])
    rows = [(r["kind"], r["valid_from"]) for r in lan.result("catalog.get", {})["project_kind_bounds"]]
    check(("flagship", "2018-08-24") in rows, "the dated bounds are catalogue data", rows)


@tap.test("8. the QĐ 1881 targets merged before are indicators of their own, with their targets")
def _():
    cat = {x["code"]: x for x in c("viewer").result("catalog.get", {})["indicators"]}
    check_equal([(k, cat[k]["unit_vi"], cat[k]["legal_act"]) for k in ("I05b", "I07b", "I15b")],
                [("I05b", "dây chuyền", "QĐ 1881/QĐ-TTg"), ("I07b", "mô hình", "QĐ 1881/QĐ-TTg"),
                 ("I15b", "cụm công nghiệp", "QĐ 1881/QĐ-TTg")], "technology lines, SXSH pilots, cluster treatment")
    r = c("ministry_reviewer").result("report.programme", {"period": "KCQG-2021-2025"})
    got = {x["code"]: x["target"] for x in r["rows"] if x["area"] == "Toàn quốc" and x["code"] in ("I05b", "I07b", "I15b")}
    check_equal(got, {"I05b": 300, "I07b": 100, "I15b": 60}, "their targets in the programme's summary")


@tap.test("2. a model's first advance after a confirmed report of more than 70 % of the investment done "
          "(TT 36/2013 Art. 13.2.d, sql/0039): refused in words and figures, by the database too")
def _():
    appr, hung, lan = c("ministry_approver"), c("province_leader"), c("province_officer")
    rules = {r["cap_code"]: r for r in lan.result("catalog.get", {})["advance_first_rules"]}
    check_equal({k: (rules[k]["first_pct"], rules[k]["min_progress_pct"]) for k in ("C02", "C03", "C04", "C04b", "C19")},
                {k: (70, 70) for k in ("C02", "C03", "C04", "C04b", "C19")}, "70 % of the investment, as data")
    check("TT 36/2013" in rules["C04"]["legal_act"], "with its act", rules["C04"])
    y = 2038
    plan = lan.result("plan.create", {"org_id": srv().org_id("25.TTKC"), "year": y, "scope": "national"})
    pid = lan.result("project.create", {
        "plan_id": plan["id"], "title": "Đề án máy móc tạm ứng", "content_category": "ND45.4.3", "cap_code": "C04",
        "budget_lines": [{"source": "central", "amount": 200000000}, {"source": "counterpart", "amount": 400000000}],
        "indicators": [], "no_double_funding": True, "start_date": "%d-01-01" % y, "end_date": "%d-12-31" % y,
        "beneficiaries": [{"name": "Cơ sở thử", "kind": "enterprise"}]})["id"]
    s = lan.result("plan.submit", {"id": plan["id"], "version": plan["version"]})
    hung.result("plan.appraise", {"id": s["id"], "version": s["version"], "decision": "forward"})
    appr.result("review.decide", {"project_id": pid, "version": get(pid)["version"], "decision": "approve"})
    appr.result("decision.approve_plan", {"year": y, "number": "QĐ-%d/BCT" % y, "signed_on": "%d-01-02" % y,
                                          "signer": "Bộ trưởng", "project_ids": [pid]})
    appr.result("budget.set_appropriation", {"year": y, "source": "central", "amount": 10 ** 10})
    appr.result("budget.allocate", {"project_id": pid, "version": get(pid)["version"], "amount": 200000000})
    appr.result("budget.contract", {"project_id": pid, "version": get(pid)["version"], "number": "HĐ-M",
                                    "signed_on": "%d-01-05" % y, "amount": 200000000})
    pay = {"project_id": pid, "kind": "advance", "amount": 100000000, "date": "%d-06-01" % y, "document_no": "UNC-M1"}
    e = appr.error("budget.disburse", pay, RULE)
    check_equal((violation(e), e["data"]["min_progress_pct"], e["data"]["confirmed_pct"]),
                (("project_id", "first_advance_progress"), 70, None), "no report: refused, the 70 % named")
    r = lan.result("progress.report", {"project_id": pid, "period": "%d-04" % y, "percent_done": 70})
    hung.result("progress.confirm", {"id": r["id"], "version": r["version"]})
    e = appr.error("budget.disburse", pay, RULE)
    check_equal((violation(e), e["data"]["confirmed_pct"]), (("project_id", "first_advance_progress"), 70),
                "70 % is not more than 70 %")
    r = lan.result("progress.report", {"project_id": pid, "period": "%d-05" % y, "percent_done": 72})
    e = appr.error("budget.disburse", pay, RULE)
    check_equal(e["data"]["confirmed_pct"], 70, "72 % reported, not confirmed")
    check_equal(money(pid)["paid"], 0, "nothing paid")
    # the database refuses the same row whoever writes it
    out = kctest.psql_try("INSERT INTO disbursements (project_id, kind, amount, paid_on, document_no, paid_by) "
                          "VALUES (%d, 'advance', 1, '%d-06-01', 'SQL', (SELECT min(id) FROM users))" % (pid, y),
                          db=srv().dbname)
    check(out[0] != 0 and "above 70 %" in out[2], "plain SQL refused", out)
    hung.result("progress.confirm", {"id": r["id"], "version": r["version"]})
    d = appr.result("budget.disburse", pay)
    check_equal((d["project"]["paid"], get(pid)["status"]), (100000000, "in_progress"), "paid on 72 % confirmed")


@tap.test("C23: the managing agency's own management spending within 1.5 % of the year's appropriation "
          "(the Ministry's national funds, a province's local funds; refused above it, audited)")
def _():
    appr, hung, lan = c("ministry_approver"), c("province_leader"), c("province_officer")
    if "hn_leader" not in S:
        u = kctest.create_user(admin(), "province_leader", org_code="01.SCT")
        S["hn_leader"] = srv().login(u["username"], u["password"])
    hn = S["hn_leader"]
    y = 2017   # TTLT 26/2014's C23 row, confirmed (C): 1.5 %
    province = sql_int("SELECT kc_scope_root(%d)" % srv().org_id("25.SCT"))
    appr.result("budget.set_appropriation", {"year": y, "source": "central", "amount": 1000000000})
    sp = {"year": y, "amount": 10000000, "purpose": "Kiểm tra, giám sát đề án khuyến công quốc gia",
          "voucher_no": "PC-01", "spent_on": "%d-03-01" % y}
    r = appr.result("budget.record_management", sp)
    check_equal((r["source"], r["province_id"], r["amount"], r["warnings"]), ("central", None, 10000000, []),
                "the national funds")
    m = r["management"]
    check_equal((m["pct"], m["limit"], m["spent"], m["remaining"], m["confidence"]),
                (1.5, 15000000, 10000000, 5000000, "C"), "1.5 % of 1 000 M: 15 M, 10 M spent")
    # above the limit: refused with its figures, nothing written
    e = appr.error("budget.record_management", dict(sp, amount=5000001, voucher_no="PC-02"), RULE)
    check_equal(violation(e), ("amount", "management_limit"), "above 1.5 %")
    check_equal({k: e["data"][k] for k in ("limit", "spent", "max")},
                {"limit": 15000000, "spent": 10000000, "max": 5000000}, "the refusal's data")
    check_equal(e["data"]["violations"][0]["data"]["max"], 5000000, "on the violation too")
    check_equal(sql_int("SELECT count(*) FROM agency_management_spending WHERE year = %d" % y), 1, "nothing written")
    appr.result("budget.record_management", dict(sp, amount=5000000, voucher_no="PC-02"))
    # the database refuses it whoever writes
    out = kctest.psql_try("INSERT INTO agency_management_spending (province_id, org_id, year, source, amount, purpose, "
                          "voucher_no, spent_on, recorded_by) VALUES (0, (SELECT min(id) FROM orgs), %d, 'central', 1, "
                          "'x', 'SQL', '%d-03-02', (SELECT min(id) FROM users))" % (y, y), db=srv().dbname)
    check(out[0] != 0 and "C23" in out[2], "plain SQL refused", out)
    out = kctest.psql_try("UPDATE agency_management_spending SET amount = 1", db=srv().dbname)
    check(out[0] != 0, "never changed", out)
    # audited, one row per record, named by its voucher
    audit = kctest.audit_entries(admin(), method="budget.record_management")
    check_equal(sorted((x["record_type"], x["after"]["voucher_no"]) for x in audit),
                [("management_spending", "PC-01"), ("management_spending", "PC-02")], "audit rows")
    # the province: its leader, its own local funds
    hung.error("budget.record_management", dict(sp, source="central"), FORBIDDEN)
    lan.error("budget.record_management", sp, FORBIDDEN)
    appr.error("budget.record_management", dict(sp, source="local"), FORBIDDEN)
    e = hung.error("budget.record_management", dict(sp, amount=1), RULE)
    check_equal(violation(e), ("year", "appropriation_missing"), "no local appropriation of the year yet")
    hung.result("budget.set_appropriation", {"year": y, "source": "local", "amount": 100000000})
    e = hung.error("budget.record_management", dict(sp, amount=1500001), RULE)
    check_equal((violation(e), e["data"]["limit"]), (("amount", "management_limit"), 1500000), "1.5 % of 100 M")
    r = hung.result("budget.record_management", dict(sp, amount=1000000, voucher_no="PC-ĐP-01"))
    check_equal((r["source"], r["province_id"], r["management"]["spent"]), ("local", province, 1000000),
                "the province's local funds")
    # national and local are counted apart; each reads its own
    mine = hung.result("budget.management", {"year": y})
    check_equal((mine["source"], mine["spent"], [x["voucher_no"] for x in mine["rows"]]),
                ("local", 1000000, ["PC-ĐP-01"]), "the province's own")
    nat = appr.result("budget.management", {"year": y})
    check_equal((nat["source"], nat["spent"], nat["limit"], [x["voucher_no"] for x in nat["rows"]]),
                ("central", 15000000, 15000000, ["PC-01", "PC-02"]), "the Ministry's own")
    check_equal(appr.result("budget.management", {"year": y, "province_id": province})["rows"], mine["rows"],
                "the Ministry reads a province's")
    check_equal(appr.result("budget.summary", {"year": y})["management"]["spent"], 15000000, "budget.summary")
    check_equal(hung.result("budget.summary", {"year": y})["management"]["spent"], 1000000,
                "budget.summary of the province")
    # another province: reads nothing of Phú Thọ's, writes only its own
    hn.error("budget.management", {"year": y, "province_id": province}, NOT_FOUND)
    e = hn.error("budget.record_management", dict(sp, amount=1), RULE)
    check_equal(violation(e), ("year", "appropriation_missing"), "Hà Nội's own (unset) appropriation, not Phú Thọ's")
    check_equal(hung.result("budget.management", {"year": y})["spent"], 1000000, "Phú Thọ's unchanged")
    # dated in its year, not in the future
    e = appr.error("budget.record_management", dict(sp, spent_on="%d-01-01" % (y + 1)), RULE)
    check_equal(violation(e), ("spent_on", "year"), "in its year")
    # an unconfirmed C23 row (confidence U) warns instead of refusing, as C24 does
    yy = TODAY.year
    conf = srv().sql("SELECT confidence FROM support_caps WHERE cap_code = 'C23' AND valid_from <= CURRENT_DATE"
                     " ORDER BY valid_from DESC LIMIT 1").strip()
    if conf == "U":
        appr.result("budget.set_appropriation", {"year": yy, "source": "central",
                                                 "amount": max(sql_int("SELECT amount FROM appropriations WHERE year = %d"
                                                                       " AND source = 'central' AND province_id = 0" % yy),
                                                               100000000)})
        limit = appr.result("budget.management", {"year": yy})["remaining"]
        w = appr.result("budget.record_management", dict(sp, year=yy, amount=limit + 1, voucher_no="PC-U",
                                                         spent_on=TODAY.isoformat()))
        check_equal([(x["field"], x["rule"]) for x in w["warnings"]], [("amount", "management_limit")],
                    "an unconfirmed C23: a warning")



@tap.test("C23: an appropriation is not lowered below what the recorded management spending needs "
          "(refused while the C23 row is confirmed, plain SQL refused); a live `budget` event refreshes the Budget pages")
def _():
    appr, hung = c("ministry_approver"), c("province_leader")
    y = 2017   # the spending of the test above: 15 M central, 1 M local (TTLT 26/2014's C23, C)
    nat = appr.result("budget.management", {"year": y})
    check_equal((nat["spent"], nat["appropriated"]), (15000000, 1000000000), "the Ministry's spending of the year")
    # other sessions listen: a Ministry reader, the province's officer, another province
    c("ministry_reviewer")
    watcher = srv().login(S["ministry_reviewer"]["username"], S["ministry_reviewer"]["password"])
    c("province_officer")
    lan2 = srv().login(S["province_officer"]["username"], S["province_officer"]["password"])
    for w in (watcher, lan2, S["hn_leader"]):
        w.result("events.subscribe", {"topics": ["budget"]})
    # 15 M is 1.5 % of 1 000 M: 999 999 999 is too little
    before = appr.result("budget.management", {"year": y})["appropriated"]
    e = appr.error("budget.set_appropriation", {"year": y, "source": "central", "amount": 999999999}, RULE)
    check_equal(violation(e), ("amount", "management_spent"), "below what the spending needs")
    check_equal({k: e["data"][k] for k in ("spent", "pct", "min_amount", "amount")},
                {"spent": 15000000, "pct": 1.5, "min_amount": 1000000000, "amount": 999999999}, "its figures")
    check_equal(e["data"]["violations"][0]["data"]["min_amount"], 1000000000, "on the violation too")
    check_equal(appr.result("budget.management", {"year": y})["appropriated"], before, "nothing written")
    audit = kctest.audit_entries(admin(), method="budget.set_appropriation")
    check(all((x.get("after") or {}).get("amount") != 999999999 for x in audit), "no audit row of the refused change", audit)
    # the database refuses it whoever writes
    out = kctest.psql_try("UPDATE appropriations SET amount = 999999999 WHERE year = %d AND source = 'central'"
                          " AND province_id = 0" % y, db=srv().dbname)
    check(out[0] != 0 and "C23" in out[2], "plain SQL refused", out)
    # raising it, or lowering it to the floor exactly, is allowed; the others hear of it
    r = appr.result("budget.set_appropriation", {"year": y, "source": "central", "amount": 1000000000})
    check_equal((r["amount"], r["warnings"]), (1000000000, []), "to the floor exactly")
    ev = watcher.wait_event(kctest.scaled(10), status="appropriation")
    check(ev is not None and ev["params"]["topic"] == "budget" and ev["params"]["id"] == y,
          "the Ministry's other sessions hear of the appropriation", ev)
    # the province's local funds: 1 M spent, at least 66 666 667 of appropriation
    e = hung.error("budget.set_appropriation", {"year": y, "source": "local", "amount": 66666666}, RULE)
    check_equal((violation(e), e["data"]["min_amount"]), (("amount", "management_spent"), 66666667),
                "the province's own floor")
    hung.result("budget.set_appropriation", {"year": y, "source": "local", "amount": 66666667})
    hung.result("budget.set_appropriation", {"year": y, "source": "local", "amount": 100000000})
    # recording management spending: heard by the Ministry and by the province, not by another province
    watcher.events.clear()
    lan2.events.clear()
    hung.result("budget.record_management", {"year": y, "amount": 1, "purpose": "Kiểm tra đề án",
                                             "voucher_no": "PC-ĐP-02", "spent_on": "%d-04-01" % y})
    ev = lan2.wait_event(kctest.scaled(10), status="management")
    check(ev is not None and ev["params"]["topic"] == "budget" and ev["params"]["id"] == y,
          "the province's other sessions hear of the spending", ev)
    ev = watcher.wait_event(kctest.scaled(10), status="management")
    check(ev is not None, "the Ministry hears of a province's spending", ev)
    S["hn_leader"].wait_event(kctest.scaled(1), status="management")
    check(not [x for x in S["hn_leader"].events if x["params"]["status"] == "management"],
          "another province hears nothing", S["hn_leader"].events)
    # the national funds are full (15 M of 15 M): a raise makes room, and the record is heard
    appr.result("budget.set_appropriation", {"year": y, "source": "central", "amount": 1100000000})
    watcher.events.clear()
    appr.result("budget.record_management", {"year": y, "amount": 1000000, "purpose": "Thẩm định đề án",
                                             "voucher_no": "PC-03", "spent_on": "%d-05-02" % y})
    ev = watcher.wait_event(kctest.scaled(10), status="management")
    check(ev is not None and ev["params"]["id"] == y, "the Ministry's spending is heard", ev)
    lan2.events.clear()
    lan2.wait_event(kctest.scaled(1), status="management")
    check(not lan2.events, "the national funds' spending is the Ministry's only", lan2.events)
    # an unconfirmed C23 row (U, as TT 28/2018's is): lowered below the floor with a warning (the test
    # above recorded this year's spending above its limit with a warning)
    yy = TODAY.year
    conf = srv().sql("SELECT confidence FROM support_caps WHERE cap_code = 'C23' AND valid_from <= CURRENT_DATE"
                     " ORDER BY valid_from DESC LIMIT 1").strip()
    if conf == "U":
        amount = appr.result("budget.management", {"year": yy})["appropriated"]
        r = appr.result("budget.set_appropriation", {"year": yy, "source": "central", "amount": amount - 1})
        check_equal([(x["field"], x["rule"]) for x in r["warnings"]], [("amount", "management_spent")],
                    "an unconfirmed C23: lowered with a warning")
    ledger_sound()



@tap.test("7. deadline.overdue by the calendar rule: a month's report missing on the 25th itself is late; "
          "a submitted settlement dossier is no longer listed")
def _():
    # the cluster infrastructure of point 2: running, reported for January and February of Y
    (a,) = [int(x) for x in srv().sql("SELECT id FROM projects WHERE title = 'Đề án tạm ứng C22'").split()]

    def overdue(day, kind, pid):
        return srv().sql("SELECT coalesce(string_agg(concat_ws(' ', period, due, days_late), ','), '')"
                         " FROM kc_overdue_items(null, '%s') WHERE kind = '%s' AND project_id = %d"
                         % (day, kind, pid)).strip()
    check_equal(overdue("%d-07-24" % Y, "progress_report", a).count("%d-07-01" % Y), 0, "not on the 24th")
    check_equal([x for x in overdue("%d-07-25" % Y, "progress_report", a).split(",") if x.startswith("%d-07" % Y)],
                ["%d-07-01 %d-07-25 1" % (Y, Y)], "on the 25th: one day late")
    od = c("province_leader").result("deadline.overdue", {"kind": "progress_report"})["items"]
    check(all(i["days_late"] >= 1 for i in od), "never zero days late", od[:3])
    # the start-up of point 2: accepted today, national; its dossier is due 15 days later
    (startup,) = [int(x) for x in srv().sql("SELECT id FROM projects WHERE title = 'Đề án tạm ứng C01'").split()]
    later = (TODAY + datetime.timedelta(days=16)).isoformat()
    check(overdue(later, "settlement_dossier", startup) != "", "missing after 15 days")
    c("province_officer").result("budget.submit_settlement", {
        "project_id": startup, "version": get(startup)["version"], "submitted_on": TODAY.isoformat(),
        "record_no": "HS-QT-KS"})
    check_equal(overdue(later, "settlement_dossier", startup), "", "submitted: no longer listed")
    # the dashboard's counts (kc_overdue_counts, sql/0051) are these rows counted
    check_equal(srv().overdue_counts_differ(["%d-07-24" % Y, "%d-07-25" % Y, TODAY.isoformat(), later,
                                             "%d-02-01" % (Y + 1)], (None, srv().org_id("25"))),
                "", "kc_overdue_counts = kc_overdue_items counted")



@tap.test("7. a typical-product certificate lifts a project's cap as of its registration (DOMAIN §6.4), "
          "not of 1 January of the plan year")
def _():
    lan, hung = c("province_officer"), c("province_leader")
    y = Y + 1   # 1 January of it falls within both certificates' validity (the old rule counted both)
    plan = lan.result("plan.create", {"org_id": srv().org_id("25.TTKC"), "year": y, "scope": "national"})
    pid = lan.result("project.create", {
        "plan_id": plan["id"], "title": "Đề án sản phẩm tiêu biểu", "content_category": "ND45.4.1",
        "budget_lines": [{"source": "central", "amount": 100000000}, {"source": "counterpart", "amount": 100000000}],
        "indicators": [], "no_double_funding": True, "start_date": "%d-01-01" % y, "end_date": "%d-12-31" % y,
        "beneficiaries": [{"name": "HTX Mây tre", "kind": "cooperative", "tax_code": "2600777001"}]})["id"]
    lan.result("plan.submit", {"id": plan["id"], "version": plan["version"]})
    # registered (submitted) on 1 March of this year, as a test's short cut
    srv().sql("UPDATE plans SET submitted_at = '%d-03-01 09:00+07' WHERE id = %d" % (Y, plan["id"]))
    cert = {"product_name": "Mây tre đan", "establishment_name": "HTX Mây tre", "tax_code": "2600777001",
            "level": "province", "year": Y, "score": 80, "org_id": srv().org_id("25")}
    # issued after the registration: valid on 1 January of the plan year, not on the registration day
    hung.result("typical_product.create", dict(cert, certificate_no="GCN-SAU", issued_on="%d-06-01" % Y))
    p = get(pid)
    check_equal((p["typical_product"], p["typical_product_certificates"]), (False, []),
                "a certificate issued after the registration does not count")
    # issued before it: counts
    t = hung.result("typical_product.create", dict(cert, certificate_no="GCN-TRUOC", issued_on="%d-02-01" % Y))
    p = get(pid)
    check_equal((p["typical_product"], [x["id"] for x in p["typical_product_certificates"]]), (True, [t["id"]]),
                "one issued before the registration counts")


if __name__ == "__main__":
    tap.run()
