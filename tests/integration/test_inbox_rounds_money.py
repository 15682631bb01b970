#!/usr/bin/env python3
"""What awaits me (issue 16, sql/0032): the kinds of inbox.list for the
reporting rounds and the money chain — a round's report to send (the
province leader; sent back when the Ministry returns it) and to review (the
Ministry, once sent); a project in a decision awaiting its allocation and a
cancelled project owing a refund (the approver for national projects, the
province leader for local ones). Each comes with its cause, goes when its
act is done, and is never another province's."""

import datetime
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kctest  # noqa: E402
from kctest import check, check_equal  # noqa: E402

tap = kctest.Tap()
S = {}
TODAY = datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=7))).date()
NY = 2031


def srv():
    if "main" not in S:
        S["main"] = kctest.Server()
    return S["main"]


def admin():
    if "admin" not in S:
        S["admin"] = srv().admin()
    return S["admin"]


def user(role, org=None):
    key = (role, org)
    if key not in S:
        u = kctest.create_user(admin(), role, org_code=org)
        u["client"] = srv().login(u["username"], u["password"])
        S[key] = u
    return S[key]


def c(role, org=None):
    return user(role, org)["client"]


def hn_leader():
    return c("province_leader", "01.SCT")


def items(client, kind, ref=None):
    got = client.result("inbox.list", {"limit": 1000, "kinds": [kind]})["items"]
    return [i for i in got if ref is None or (i["ref"]["type"], i["ref"]["id"]) == ref]


def one(client, kind, ref):
    got = items(client, kind, ref)
    check_equal(len(got), 1, "one %s item for %s" % (kind, ref))
    return got[0]


def none(client, kind, ref, what):
    got = items(client, kind, ref)
    check(not got, "%s: no %s item for %s" % (what, kind, ref), got)


def get(pid):
    return c("province_officer").result("project.get", {"id": pid})


# ---------------------------------------------------------------------------

@tap.test("a round opened: the leader's report to send (due the round's day); the other province's own only")
def _():
    appr = c("ministry_approver")
    due = TODAY + datetime.timedelta(days=20)
    rd = appr.result("round.create", {
        "title": "Báo cáo tình hình thực hiện Chương trình khuyến công quốc gia",
        "document_no": "123/BCT-CTĐP", "signed_on": TODAY.isoformat(), "kind": "periodic",
        "from_year": 2025, "to_year": 2025, "due_on": due.isoformat()})
    S["round"] = rd
    r25 = c("province_leader").result("round.report_get", {"round_id": rd["id"]})
    r01 = hn_leader().result("round.report_get", {"round_id": rd["id"]})
    S["r25"], S["r01"] = r25, r01
    it = one(c("province_leader"), "round_report_due", ("round_report", r25["id"]))
    check_equal((it["due_on"], it["overdue"], it["sent_back"], it["org_id"], it["code"]),
                (due.isoformat(), False, False, srv().org_id("25"), "123/BCT-CTĐP"), "the item")
    check_equal(it["detail"]["round_id"], rd["id"], "its round")
    check(it["kind_name"] and it["title"] == rd["title"], "named", it)
    # the other province sees its own report, never 25's; the officer and the Ministry not this kind
    one(hn_leader(), "round_report_due", ("round_report", r01["id"]))
    check(not [i for i in items(hn_leader(), "round_report_due") if i["org_id"] == srv().org_id("25")],
          "never another province's report")
    check(not [i for i in items(c("province_leader"), "round_report_due")
               if i["org_id"] != srv().org_id("25")], "only the leader's province")
    none(c("province_officer"), "round_report_due", None, "the officer does not send")
    none(appr, "round_report_due", None, "the Ministry does not send")
    none(appr, "round_report_to_review", None, "nothing sent yet")


@tap.test("sent: gone from the leader; the Ministry's report to review; returned: back to the leader, sent back")
def _():
    rd, r25 = S["round"], S["r25"]
    lead, appr, rev = c("province_leader"), c("ministry_approver"), c("ministry_reviewer")
    u = c("province_officer").result("round.report_update", {
        "round_id": rd["id"], "version": r25["version"],
        "sections": [{"key": rd["sections"][0]["key"], "text": "Đã thực hiện."}]})
    one(lead, "round_report_due", ("round_report", r25["id"]))   # drafting: still to send
    sent = lead.result("round.report_send", {"round_id": rd["id"], "version": u["version"]})
    none(lead, "round_report_due", ("round_report", r25["id"]), "sent")
    for who in (appr, rev):
        it = one(who, "round_report_to_review", ("round_report", r25["id"]))
        check_equal((it["org_id"], it["overdue"]), (srv().org_id("25"), False), "the province's report")
        check("Phú Thọ" in it["title"], "the title names the province", it["title"])
    none(lead, "round_report_to_review", None, "a province does not review")
    none(hn_leader(), "round_report_to_review", None, "nor another province")
    rev.result("round.report_return", {"round_id": rd["id"], "org_id": srv().org_id("25"),
                                       "comment": "Bổ sung số liệu chỉ tiêu", "version": sent["version"]})
    none(appr, "round_report_to_review", ("round_report", r25["id"]), "returned")
    it = one(lead, "round_report_due", ("round_report", r25["id"]))
    check(it["sent_back"] is True and it["detail"]["returned_comment"] == "Bổ sung số liệu chỉ tiêu",
          "sent back with the Ministry's comment", it)
    check(lead.result("inbox.list", {})["counts"]["sent_back"] >= 1, "counted as sent back")
    again = lead.result("round.report_get", {"round_id": rd["id"]})
    sent = lead.result("round.report_send", {"round_id": rd["id"], "version": again["version"]})
    appr.result("round.report_accept", {"round_id": rd["id"], "org_id": srv().org_id("25"),
                                        "version": sent["version"]})
    for who in (appr, rev, lead):
        none(who, "round_report_to_review", ("round_report", r25["id"]), "accepted")
        none(who, "round_report_due", ("round_report", r25["id"]), "accepted")


@tap.test("in the decision: the approver's allocation_due; gone once allocated; never a province's")
def _():
    lan, hung, appr = c("province_officer"), c("province_leader"), c("ministry_approver")
    plan = lan.result("plan.create", {"org_id": srv().org_id("25.TTKC"), "year": NY, "scope": "national"})
    pid = lan.result("project.create", {
        "plan_id": plan["id"], "title": "Đề án chờ phân bổ", "content_category": "ND45.4.1",
        "budget_lines": [{"source": "central", "amount": 100000000},
                         {"source": "counterpart", "amount": 100000000}],
        "indicators": [{"code": "I01", "target": 20}], "no_double_funding": True,
        "start_date": "%d-01-01" % NY, "end_date": "%d-12-31" % NY,
        "beneficiaries": [{"name": "Cơ sở thử", "kind": "household_business"}]})["id"]
    s = lan.result("plan.submit", {"id": plan["id"], "version": plan["version"]})
    hung.result("plan.appraise", {"id": plan["id"], "version": s["version"], "decision": "forward"})
    appr.result("review.decide", {"project_id": pid, "version": get(pid)["version"], "decision": "approve"})
    none(appr, "allocation_due", ("project", pid), "not in a decision yet")
    appr.result("decision.approve_plan", {"year": NY, "number": "QĐ-%d/BCT" % NY, "signed_on": "%d-01-02" % NY,
                                          "signer": "Bộ trưởng", "project_ids": [pid]})
    it = one(appr, "allocation_due", ("project", pid))
    check_equal((it["org_id"], it["code"], it["detail"]["scope"]), (srv().org_id("25"), get(pid)["code"],
                                                                    "national"), "the item")
    none(hung, "allocation_due", ("project", pid), "a national project's money is the Ministry's")
    none(c("ministry_reviewer"), "allocation_due", ("project", pid), "the reviewer does not allocate")
    appr.result("budget.set_appropriation", {"year": NY, "source": "central", "amount": 1000000000})
    appr.result("budget.allocate", {"project_id": pid, "version": get(pid)["version"], "amount": 100000000})
    none(appr, "allocation_due", ("project", pid), "allocated")
    S["nat"] = pid


@tap.test("cancelled after a payment: the approver's refund_due, the amount owed; gone once refunded")
def _():
    appr, hung = c("ministry_approver"), c("province_leader")
    pid = S["nat"]
    appr.result("budget.contract", {"project_id": pid, "version": get(pid)["version"], "number": "HĐ-1",
                                    "signed_on": "%d-01-05" % NY, "amount": 100000000})
    appr.result("budget.disburse", {"project_id": pid, "amount": 30000000, "date": "%d-01-10" % NY,
                                    "document_no": "UNC-1"})
    none(appr, "refund_due", ("project", pid), "running")
    appr.result("project.cancel", {"id": pid, "version": get(pid)["version"], "kind": "cancellation",
                                   "reason": "Đơn vị không đủ năng lực", "decision_no": "99/QĐ-BCT",
                                   "decision_date": "%d-03-01" % NY})
    it = one(appr, "refund_due", ("project", pid))
    check_equal((it["detail"]["owed"], it["detail"]["decision_no"]), (30000000, "99/QĐ-BCT"), "what is owed")
    none(hung, "refund_due", ("project", pid), "national: the Ministry's")
    none(hn_leader(), "refund_due", ("project", pid), "another province")
    pay = {"project_id": pid, "kind": "refund", "date": "%d-03-05" % NY}
    appr.result("budget.disburse", dict(pay, amount=10000000, document_no="NT-1"))
    check_equal(one(appr, "refund_due", ("project", pid))["detail"]["owed"], 20000000, "partly refunded")
    appr.result("budget.disburse", dict(pay, amount=20000000, document_no="NT-2"))
    none(appr, "refund_due", ("project", pid), "paid back")


@tap.test("a local project in the province's decision: the leader's allocation_due; not the Ministry's, "
          "nor another province's")
def _():
    lan, hung, appr = c("province_officer"), c("province_leader"), c("ministry_approver")
    plan = lan.result("plan.create", {"org_id": srv().org_id("25.TTKC"), "year": NY, "scope": "local"})
    pid = lan.result("project.create", {
        "plan_id": plan["id"], "title": "Đề án địa phương chờ phân bổ", "content_category": "ND45.4.1",
        "budget_lines": [{"source": "local", "amount": 100000000},
                         {"source": "counterpart", "amount": 100000000}],
        "indicators": [{"code": "I01", "target": 20}], "no_double_funding": True,
        "start_date": "%d-01-01" % NY, "end_date": "%d-12-31" % NY,
        "beneficiaries": [{"name": "Cơ sở thử", "kind": "household_business"}]})["id"]
    s = lan.result("plan.submit", {"id": plan["id"], "version": plan["version"]})
    hung.result("plan.approve_local", {"id": plan["id"], "version": s["version"], "decision_no": "1/QĐ-UBND",
                                       "decision_date": "%d-01-05" % NY, "issuer": "UBND tỉnh Phú Thọ"})
    it = one(hung, "allocation_due", ("project", pid))
    check_equal((it["org_id"], it["detail"]["scope"]), (srv().org_id("25"), "local"), "the province's")
    none(appr, "allocation_due", ("project", pid), "a local project's money is the province's")
    none(hn_leader(), "allocation_due", ("project", pid), "another province")
    none(lan, "allocation_due", ("project", pid), "the officer does not allocate")


@tap.test("the kinds are known to inbox.list's filter, in Vietnamese")
def _():
    for kind in ("round_report_due", "round_report_to_review", "allocation_due", "refund_due"):
        c("ministry_approver").result("inbox.list", {"kinds": [kind]})
    names = dict(line.split("|", 1) for line in srv().sql(
        "SELECT kind || '|' || name_vi FROM inbox_kinds WHERE kind IN "
        "('round_report_due', 'round_report_to_review', 'allocation_due', 'refund_due')").strip().splitlines())
    check_equal(sorted(names), sorted(["round_report_due", "round_report_to_review", "allocation_due",
                                       "refund_due"]), "the four kinds")


if __name__ == "__main__":
    tap.run()
