#!/usr/bin/env python3
"""The full path of a national project through the protocol, one user per
role (issue 4): draft → forward → revision → resubmission → approval →
the plan decision → allocation → contract → progress → advances →
acceptance → final payment → settlement; budget.summary against plain SQL
at each step and representative refusals per role. Then decisions and
amendments, and the settlement rules (deadlines, release to the
appropriation, carry-over)."""

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
BAD_STATUS = 1010
TODAY = datetime.date.today()
Y = TODAY.year


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


def new_plan(year, org, n=1, central=100000000):
    plan = c("province_officer").result("plan.create", {"org_id": srv().org_id(org), "year": year,
                                                        "scope": "national"})
    ids = [c("province_officer").result("project.create", {
        "plan_id": plan["id"], "title": "Đề án toàn trình %d" % i, "content_category": "ND45.4.3",
        "budget_lines": [{"source": "central", "amount": central},
                         {"source": "counterpart", "amount": central * 3}],
        "indicators": [{"code": "I01", "target": 30}], "cap_code": "C02", "no_double_funding": True,
        "start_date": "%d-01-01" % year, "end_date": "%d-12-31" % year,
        "beneficiaries": [{"name": "Cơ sở thử", "kind": "household_business"}]})["id"] for i in range(n)]
    return plan, ids


def get(pid):
    return c("province_officer").result("project.get", {"id": pid})


def forward_and_appraise(plan, ids):
    s = c("province_officer").result("plan.submit", {"id": plan["id"], "version": plan["version"]})
    c("province_leader").result("plan.appraise", {"id": plan["id"], "version": s["version"], "decision": "forward"})
    for pid in ids:
        c("ministry_approver").result("review.decide", {"project_id": pid, "version": get(pid)["version"],
                                                        "decision": "approve", "comment": "Đạt"})


def check_summary(year, what):
    """budget.summary equals plain SQL sums (Ministry view, province 25)."""
    s = c("ministry_approver").result("budget.summary", {"year": year})
    src = [x for x in s["by_source"] if x["source"] == "central"]
    if src:
        (src,) = src
        check_equal(src["appropriated"], sql_int("SELECT amount FROM appropriations WHERE year=%d AND source='central'" % year), what + ": appropriated")
        check_equal(src["allocated"], sql_int("SELECT coalesce(sum(amount),0) FROM allocations WHERE year=%d AND source='central'" % year), what + ": allocated")
        check_equal(src["released"], sql_int("SELECT coalesce(sum(amount),0) FROM budget_releases WHERE year=%d AND source='central'" % year), what + ": released")
        check_equal(src["remaining"], sql_int("SELECT amount - allocated FROM appropriations WHERE year=%d AND source='central'" % year), what + ": remaining")
    prov = [x for x in s["by_province"] if x["province_code"] == "25"]
    j = "JOIN projects p ON p.id = t.project_id JOIN plans l ON l.id = p.plan_id WHERE l.year = %d" % year
    sums = {
        "allocated": "SELECT coalesce(sum(t.amount),0) FROM allocations t %s AND t.year = %d" % (j, year),
        "contracted": "SELECT coalesce(sum(t.amount),0) FROM contracts t " + j,
        "advanced": "SELECT coalesce(sum(t.amount),0) FROM disbursements t %s AND t.kind='advance'" % j,
        "final": "SELECT coalesce(sum(t.amount),0) FROM disbursements t %s AND t.kind='final'" % j,
        "refunded": "SELECT coalesce(sum(t.amount),0) FROM disbursements t %s AND t.kind='refund'" % j,
        "settled": "SELECT coalesce(sum(t.amount),0) FROM settlement_amounts t %s AND t.source='central'" % j,
        "released": "SELECT coalesce(sum(t.amount),0) FROM budget_releases t %s AND t.year = %d" % (j, year),
    }
    for key, q in sums.items():
        check_equal(prov[0][key] if prov else 0, sql_int(q), what + ": " + key)
    check_equal(srv().sql("SELECT count(*) FROM kc_budget_check_ledger()").strip(), "0", what + ": ledger")
    return s


# ---------------------------------------------------------------------------

@tap.test("the full path of a national project, one user per role")
def _():
    lan, hung = c("province_officer"), c("province_leader")
    rev, appr = c("ministry_reviewer"), c("ministry_approver")
    viewer = c("viewer")
    plan, (pid,) = new_plan(Y, "25.TTKC")
    appr.result("budget.set_appropriation", {"year": Y, "source": "central", "amount": 500000000})
    check_summary(Y, "drafted")
    # the officer drafts, the leader forwards; the officer may not forward
    s = lan.result("plan.submit", {"id": plan["id"], "version": plan["version"]})
    lan.error("plan.appraise", {"id": plan["id"], "version": s["version"], "decision": "forward"}, FORBIDDEN)
    hung.result("plan.appraise", {"id": plan["id"], "version": s["version"], "decision": "forward"})
    # the reviewer requests revision; may not approve
    p = get(pid)
    rev.error("review.decide", {"project_id": pid, "version": p["version"], "decision": "approve"}, FORBIDDEN)
    hung.error("review.decide", {"project_id": pid, "version": p["version"], "decision": "request_revision"}, FORBIDDEN)
    d = rev.result("review.decide", {"project_id": pid, "version": p["version"], "decision": "request_revision",
                                     "comment": "Giảm kinh phí"})
    check_equal(d["status"], "revision_requested", "sent back")
    u = lan.result("project.update", {"id": pid, "version": d["version"],
                                      "budget_lines": [{"source": "central", "amount": 90000000},
                                                       {"source": "counterpart", "amount": 210000000}]})
    viewer.error("project.resubmit", {"id": pid, "version": u["version"]}, FORBIDDEN)
    r = lan.result("project.resubmit", {"id": pid, "version": u["version"]})
    ok = appr.result("review.decide", {"project_id": pid, "version": r["version"], "decision": "approve",
                                       "comment": "Đạt"})
    check_equal((ok["status"], ok["stage"]), ("approved", "ministry_appraised"), "approved")
    # the plan decision: the approver only
    dp = {"year": Y, "number": "QĐ-%d/BCT" % Y, "signed_on": TODAY.isoformat(), "signer": "Bộ trưởng",
          "project_ids": [pid]}
    for role in ("province_leader", "ministry_reviewer", "viewer"):
        c(role).error("decision.approve_plan", dp, FORBIDDEN)
    admin().error("decision.approve_plan", dp, FORBIDDEN)
    dec = appr.result("decision.approve_plan", dp)
    check_equal((dec["kind"], [i["project_id"] for i in dec["items"]]), ("approval", [pid]), "decision")
    check_equal(get(pid)["stage"], "plan_approved", "stage after the decision")
    check_equal([x["id"] for x in lan.result("decision.list", {"year": Y})["items"]], [dec["id"]], "province sees it")
    # allocation and contract
    p = get(pid)
    rev.error("budget.allocate", {"project_id": pid, "version": p["version"], "amount": 90000000}, FORBIDDEN)
    appr.result("budget.allocate", {"project_id": pid, "version": p["version"], "amount": 90000000})
    check_summary(Y, "allocated")
    hung.error("budget.contract", {"project_id": pid, "version": p["version"], "number": "HĐ-1",
                                   "signed_on": "%d-01-05" % Y, "amount": 80000000}, FORBIDDEN)
    appr.result("budget.contract", {"project_id": pid, "version": p["version"], "number": "HĐ-1",
                                    "signed_on": "%d-01-05" % Y, "amount": 80000000})
    check_summary(Y, "contracted")
    # advances within the rules; progress by the officer: a model's first advance waits for a
    # report confirmed by the Department of more than 70 % of the investment done (TT 36/2013
    # Art. 13.2.d, sql/0039)
    pay = {"project_id": pid, "kind": "advance", "amount": 40000000, "date": "%d-01-10" % Y, "document_no": "UNC-1"}
    lan.error("budget.disburse", pay, FORBIDDEN)
    e = appr.error("budget.disburse", pay, RULE)
    check_equal((violation(e), e["data"]["min_progress_pct"], e["data"]["confirmed_pct"]),
                (("project_id", "first_advance_progress"), 70, None), "the first advance waits for the work")
    pr = lan.result("progress.report", {"project_id": pid, "period": TODAY.strftime("%Y-%m"), "percent_done": 75,
                                        "indicators": [{"code": "I01", "achieved": 18}]})
    check_equal(pr["percent_done"], 75, "progress")
    hung.result("progress.confirm", {"id": pr["id"], "version": pr["version"]})
    rev.error("progress.report", {"project_id": pid, "period": TODAY.strftime("%Y-%m"), "percent_done": 70}, FORBIDDEN)
    appr.result("budget.disburse", pay)
    check_equal(get(pid)["status"], "in_progress", "started")
    e = appr.error("budget.disburse", dict(pay, amount=16000001, document_no="UNC-2"), RULE)
    check_equal(violation(e), ("amount", "max_before_acceptance"), "70 % before acceptance")
    appr.result("budget.disburse", dict(pay, amount=16000000, document_no="UNC-2"))
    check_summary(Y, "advanced")
    # settlement before acceptance refused (status)
    p = get(pid)
    appr.error("budget.settle", {"project_id": pid, "version": p["version"], "settled_on": TODAY.isoformat(),
                                 "record_no": "QT-0", "amounts": [{"source": "central", "amount": 1}]}, BAD_STATUS)
    # the leader accepts; the final payment
    viewer.error("project.accept", {"id": pid, "version": p["version"], "accepted_on": TODAY.isoformat(),
                                    "record_no": "BB-1"}, FORBIDDEN)
    hung.result("project.accept", {"id": pid, "version": p["version"], "accepted_on": TODAY.isoformat(),
                                   "record_no": "BB-NT-1"})
    appr.result("budget.disburse", dict(pay, kind="final", amount=24000000, document_no="UNC-3"))
    check_summary(Y, "final payment")
    # settlement: the approver only; central settled ≤ paid
    p = get(pid)
    st = {"project_id": pid, "version": p["version"], "settled_on": TODAY.isoformat(), "record_no": "QT-1",
          "amounts": [{"source": "central", "amount": 80000000}, {"source": "counterpart", "amount": 200000000}]}
    for role in ("province_officer", "province_leader", "ministry_reviewer"):
        c(role).error("budget.settle", st, FORBIDDEN)
    e = appr.error("budget.settle", dict(st, amounts=[{"source": "central", "amount": 80000001}]), RULE)
    check_equal(violation(e), ("amounts", "paid"), "settled above paid")
    res = appr.result("budget.settle", st)
    check_equal((res["central_paid"], res["released"], res["to_recover"], res["settled_late"]),
                (80000000, 10000000, 0, False), "settlement")
    check_equal(res["dossier_due"], (TODAY + datetime.timedelta(days=15)).isoformat(), "15 days")
    check_equal(res["year_end_due"], "%d-01-22" % (Y + 1), "22/01")
    q = get(pid)
    check_equal((q["status"], q["stage"]), ("settled", "settled"), "settled")
    s = check_summary(Y, "settled")
    (src,) = [x for x in s["by_source"] if x["source"] == "central"]
    check_equal((src["allocated"], src["released"], src["remaining"]), (90000000, 10000000, 420000000), "released")
    appr.error("budget.disburse", dict(pay, amount=1, document_no="UNC-9"), BAD_STATUS)
    appr.error("budget.settle", dict(st, version=q["version"]), BAD_STATUS)


@tap.test("decisions: one approval per year, only appraised projects; amendments add, extend, cancel")
def _():
    yr = Y + 1
    appr = c("ministry_approver")
    plan, ids = new_plan(yr, "25.SCT", n=4)
    forward_and_appraise(plan, ids[:3])   # ids[3] stays forwarded, not approved
    dp = {"year": yr, "number": "QĐ-A-%d" % yr, "signed_on": "%d-01-10" % yr, "signer": "Bộ trưởng"}
    e = appr.error("decision.approve_plan", dict(dp, project_ids=[ids[0], ids[3]]), BAD_STATUS)
    check_equal(e["data"]["project_ids"], [ids[3]], "offending id listed")
    e = appr.error("decision.approve_plan", dict(dp, project_ids=[ids[0], 99999999]), kctest.NOT_FOUND)
    check_equal(e["data"]["project_ids"], [99999999], "missing id listed")
    e = appr.error("decision.approve_plan", dict(dp, year=yr + 1, project_ids=[ids[0]]), RULE)
    check_equal(violation(e), ("project_ids", "year"), "wrong year")
    check_equal(sql_int("SELECT count(*) FROM plan_decisions WHERE year = %d" % yr), 0, "nothing written")
    d = appr.result("decision.approve_plan", dict(dp, project_ids=[ids[0], ids[1]]))
    e = appr.error("decision.approve_plan", dict(dp, number="QĐ-B", project_ids=[ids[2]]), RULE)
    check_equal(violation(e), ("year", "unique"), "one approval per year")
    am = {"amends_id": d["id"], "number": "QĐ-SĐ-%d" % yr, "signed_on": "%d-06-01" % yr, "signer": "Thứ trưởng"}
    e = appr.error("decision.amend", dict(am, items=[{"project_id": ids[2], "action": "extend"}]), RULE)
    check_equal(violation(e), ("project_ids", "in_plan"), "extend outside the plan")
    c("ministry_reviewer").error("decision.amend", dict(am, items=[{"project_id": ids[2], "action": "add"}]), FORBIDDEN)
    a = appr.result("decision.amend", dict(am, items=[{"project_id": ids[2], "action": "add"},
                                                      {"project_id": ids[0], "action": "extend"},
                                                      {"project_id": ids[1], "action": "cancel"}]))
    check_equal((a["kind"], a["amends_id"]), ("amendment", d["id"]), "amendment")
    check_equal(get(ids[2])["stage"], "plan_approved", "added")
    check_equal(get(ids[1])["status"], "cancelled", "cancelled")
    check_equal([sql_int("SELECT kc_project_extension(%d)" % i) for i in ids[:3]], [1, 0, 0],
                "the extended project runs one more year")
    check_equal(srv().sql("SELECT decision_no FROM project_cancellations WHERE project_id = %d" % ids[1]).strip(),
                am["number"], "cancellation record")
    ls = c("viewer").result("decision.list", {"year": yr})["items"]
    check_equal([x["kind"] for x in ls], ["approval", "amendment"], "list")
    g = c("province_officer").result("decision.get", {"id": a["id"]})
    check_equal(sorted((i["project_id"], i["action"]) for i in g["items"]),
                sorted([(ids[2], "add"), (ids[0], "extend"), (ids[1], "cancel")]), "items")
    c("province_officer").error("decision.get", {"id": 99999999}, kctest.NOT_FOUND)
    admin().error("decision.list", {"year": yr}, FORBIDDEN)
    e = appr.error("decision.amend", dict(am, number="QĐ-SĐ2", items=[{"project_id": ids[1], "action": "cancel"}]),
                   RULE)   # cancelled: no longer in the plan
    check_equal(violation(e), ("project_ids", "in_plan"), "cancel twice")


@tap.test("settlement: deadlines and late flag, release and carry-over, audit")
def _():
    appr = c("ministry_approver")
    plan, ids = new_plan(Y, "25.SCT", n=2, central=1000000)
    forward_and_appraise(plan, ids)
    # the year's plan is approved (first test): an amending decision adds them
    (base,) = [d for d in appr.result("decision.list", {"year": Y})["items"] if d["kind"] == "approval"]
    appr.result("decision.amend", {"amends_id": base["id"], "number": "QĐ-BS-%d" % Y, "signed_on": base["signed_on"],
                                   "signer": "Bộ trưởng", "items": [{"project_id": i, "action": "add"} for i in ids]})
    appr.result("budget.set_appropriation", {"year": Y, "source": "central",
                                             "amount": sql_int("SELECT amount FROM appropriations WHERE year=%d AND source='central'" % Y) + 2000000})
    acc = (TODAY - datetime.timedelta(days=20)).isoformat() if TODAY.timetuple().tm_yday > 25 else TODAY.isoformat()
    for pid in ids:
        p = get(pid)
        appr.result("budget.allocate", {"project_id": pid, "version": p["version"], "amount": 1000000})
        appr.result("budget.contract", {"project_id": pid, "version": p["version"], "number": "HĐ-%d" % pid,
                                        "signed_on": "%d-01-02" % Y, "amount": 1000000})
        kctest.confirm_progress(c("province_officer"), c("province_leader"), pid, "%d-01" % Y)
        appr.result("budget.disburse", {"project_id": pid, "amount": 500000, "date": "%d-01-03" % Y,
                                        "document_no": "UNC-%d" % pid})
    a, b = ids
    # carry-over: to a later year, at most the unspent allocation
    e = appr.error("budget.carry_over", {"project_id": a, "to_year": Y, "amount": 1}, RULE)
    check_equal(violation(e), ("to_year", "order"), "to a later year")
    e = appr.error("budget.carry_over", {"project_id": a, "to_year": Y + 1, "amount": 500001}, RULE)
    check_equal(violation(e), ("amount", "unspent"), "at most the unspent")
    c("province_leader").error("budget.carry_over", {"project_id": a, "to_year": Y + 1, "amount": 1}, FORBIDDEN)
    appr.result("budget.carry_over", {"project_id": a, "to_year": Y + 1, "amount": 200000})
    for pid in ids:
        p = get(pid)
        c("province_leader").result("project.accept", {"id": pid, "version": p["version"], "accepted_on": acc,
                                                       "record_no": "BB-%d" % pid})
    info = c("province_officer").result("budget.settlement", {"project_id": a})
    check_equal(info["year_end_due"], "%d-01-22" % (Y + 2), "carried: 22/01 after the carry-over year")
    check(info["settlement"] is None, "not yet settled", info)
    appr.error("budget.recover", {"project_id": a, "amount": 1, "date": acc, "document_no": "TH-0"},
               BAD_STATUS)   # nothing to recover before settlement
    # a settles on time, less than paid: to_recover; carry-over kept out of the release
    before = sql_int("SELECT allocated FROM appropriations WHERE year=%d AND source='central'" % Y)
    head = kctest.audit_head(admin())
    r = appr.result("budget.settle", {"project_id": a, "version": get(a)["version"], "settled_on": acc,
                                      "record_no": "QT-A", "amounts": [{"source": "central", "amount": 450000},
                                                                       {"source": "counterpart", "amount": 900000}]})
    check_equal((r["released"], r["carried_over"], r["to_recover"], r["settled_late"]),
                (300000, 200000, 50000, False), "a")
    check_equal(sql_int("SELECT allocated FROM appropriations WHERE year=%d AND source='central'" % Y),
                before - 300000, "released to the appropriation")
    check_equal([x["method"] for x in admin().result("audit.list", {"limit": 50})["items"] if x["seq"] > head],
                ["budget.settle"], "one audit row")
    # b settles 20 days after acceptance: late
    late_on = (datetime.date.fromisoformat(acc) + datetime.timedelta(days=20)).isoformat()
    e = appr.error("budget.settle", {"project_id": b, "version": get(b)["version"], "settled_on": "%d-01-01" % Y,
                                     "record_no": "QT-B", "amounts": [{"source": "central", "amount": 1}]}, RULE)
    check_equal(violation(e), ("settled_on", "order"), "before acceptance")
    r = appr.result("budget.settle", {"project_id": b, "version": get(b)["version"], "settled_on": late_on,
                                      "record_no": "QT-B", "amounts": [{"source": "central", "amount": 500000}]})
    check_equal((r["released"], r["settled_late"]), (500000, True), "b late")
    check_summary(Y, "after settlements")
    # recovery of what a was paid but did not settle (to_recover 50000)
    rec = {"project_id": a, "amount": 50001, "date": acc, "document_no": "TH-A1"}
    e = appr.error("budget.recover", rec, RULE)
    check_equal((violation(e), e["data"].get("outstanding")), (("amount", "to_recover"), 50000), "over what is owed")
    c("ministry_reviewer").error("budget.recover", dict(rec, amount=1), FORBIDDEN)
    e = appr.error("budget.recover", dict(rec, amount=1, date="%d-01-01" % Y), RULE)
    check_equal(violation(e), ("date", "order"), "dated before the settlement")
    before = sql_int("SELECT allocated FROM appropriations WHERE year=%d AND source='central'" % Y)
    r = appr.result("budget.recover", dict(rec, amount=30000))
    check_equal((r["kind"], r["outstanding"], r["project"]["refunded"]), ("refund", 20000, 30000), "recovered")
    check_equal(sql_int("SELECT allocated FROM appropriations WHERE year=%d AND source='central'" % Y),
                before - 30000, "back in the appropriation")
    appr.result("budget.recover", dict(rec, amount=20000, document_no="TH-A2"))
    e = appr.error("budget.recover", dict(rec, amount=1, document_no="TH-A3"), RULE)
    check_equal(e["data"].get("outstanding"), 0, "nothing left")
    e = appr.error("budget.recover", dict(rec, project_id=b, amount=1), RULE)   # b owes nothing
    check_equal(violation(e), ("amount", "to_recover"), "b owes nothing")
    check_equal(sql_int("SELECT count(*) FROM kc_budget_check_ledger()"), 0, "ledger holds")
    check_summary(Y, "after recoveries")


if __name__ == "__main__":
    tap.run()
