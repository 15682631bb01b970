#!/usr/bin/env python3
"""After approval (issue 3): monthly progress reports with the late flag
and the province's confirmation, acceptance, adjustments decided by the
role of their type (DOMAIN §2.6) and applied only when approved, suspension
or cancellation, the typical-product register that derives the priority
flag, illegal transitions (1010, and the database trigger), scope (1004)
and an audit row for every write."""

import json
import datetime
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kctest  # noqa: E402
from kctest import check, check_equal  # noqa: E402

tap = kctest.Tap()
S = kctest.Suite()
srv, admin, user = S.srv, S.admin, S.user
BAD_STATUS = 1010
TODAY = datetime.date.today()


def lan():
    return user("province_officer")["client"]


def hung():
    return user("province_leader")["client"]


def reviewer():
    return user("ministry_reviewer")["client"]


def approver():
    return user("ministry_approver")["client"]


def project_params(plan_id, **extra):
    p = {"plan_id": plan_id, "title": "Đề án sau phê duyệt", "content_category": "ND45.4.3",
         "budget_lines": [{"source": "central", "amount": 300000000},
                          {"source": "counterpart", "amount": 700000000}],
         "indicators": [{"code": "I01", "target": 30}, {"code": "I02", "target": 5}],
         "cap_code": "C02", "no_double_funding": True,
         "beneficiaries": [{"name": "Cơ sở thử", "kind": "household_business"}]}
    p.update(extra)
    return p


def next_slot(year=None, scope="local"):
    """A free (year, organisation) of province 25 for a plan of scope."""
    used = S.setdefault("slots", set())
    for y in ([year] if year else range(TODAY.year - 1, TODAY.year + 3)):
        for org in ("25.TTKC", "25.SCT", "25"):
            if (y, org, scope) not in used:
                used.add((y, org, scope))
                return y, org
    raise AssertionError("no free plan slot")


def approved(scope="local", year=None, **extra):
    """A project of a plan approved at the province (plan.approve_local), or
    for a national plan forwarded and then approved by the Ministry through
    SQL as ministry_approver (Ministry approval is a later issue)."""
    y, org = next_slot(year, scope)
    plan = lan().result("plan.create", {"org_id": srv().org_id(org), "year": y, "scope": scope})
    proj = lan().result("project.create", project_params(plan["id"], **extra))
    sub = lan().result("plan.submit", {"id": plan["id"], "version": plan["version"]})
    if scope == "local":
        hung().result("plan.approve_local", {"id": plan["id"], "version": sub["version"],
                                             "decision_no": "1/QĐ-UBND", "decision_date": "%d-01-05" % y,
                                             "issuer": "UBND tỉnh Phú Thọ"})
    else:
        hung().result("plan.appraise", {"id": plan["id"], "version": sub["version"], "decision": "forward"})
        srv().sql("DO $$ BEGIN PERFORM kc_actor_set(NULL, 'ministry_approver'); "
                  "UPDATE projects SET status = 'approved', stage = 'plan_approved', version = version + 1 "
                  "WHERE id = %d; END $$" % proj["id"])
    return lan().result("project.get", {"id": proj["id"]})


def audit_rows_since(seq):
    return [e for e in admin().result("audit.list", {"limit": 50})["items"] if e["seq"] > seq]


def one_audit(method, rtype, fn):
    head = kctest.audit_head(admin())
    out = fn()
    rows = audit_rows_since(head)
    check(len(rows) == 1 and rows[0]["method"] == method and rows[0]["record_type"] == rtype,
          "one audit row of %s" % method, rows)
    return out, rows[0]


# ---------------------------------------------------------------------------

@tap.test("progress report on an approved local project; late after the 25th; confirmation by the leader")
def _():
    nxt = TODAY.year + 1
    p = approved(year=nxt)
    check_equal((p["status"], p["stage"]), ("approved", "plan_approved"), "approved by plan.approve_local")
    r, row = one_audit("progress.report", "progress_report", lambda: lan().result("progress.report", {
        "project_id": p["id"], "period": "%d-01" % nxt, "percent_done": 20,
        "indicators": [{"code": "I01", "achieved": 6}], "difficulties": "Mưa lũ kéo dài"}))
    check(r["late"] is False and r["period"] == "%d-01" % nxt and r["due"] == "%d-01-25" % nxt
          and r["confirmed"] is False and r["version"] == 1, "report", r)
    check_equal(row["record_id"], r["id"], "audit record")
    # a past month: submitted after its 25th, so late
    old = approved(year=TODAY.year - 1)
    late = hung().result("progress.report", {"project_id": old["id"], "period": "%d-03" % (TODAY.year - 1),
                                             "percent_done": 50, "indicators": []})
    check(late["late"] is True, "late", late)
    # rules: one report per month, a month of the project, the project's indicators
    e = lan().error("progress.report", {"project_id": p["id"], "period": "%d-01" % nxt, "percent_done": 30},
                    kctest.RULE)
    check_equal(e["data"]["violations"][0]["rule"], "unique", "one report a month")
    e = lan().error("progress.report", {"project_id": p["id"], "period": "%d-01" % (nxt + 1),
                                        "percent_done": 30, "indicators": [{"code": "I09", "achieved": 1}]},
                    kctest.RULE)
    check_equal({(v["field"], v["rule"]) for v in e["data"]["violations"]},
                {("period", "project_period"), ("indicators[0].code", "exists")}, "violations")
    e = lan().error("progress.report", {"project_id": p["id"], "period": "2026-13", "percent_done": 101},
                    kctest.INVALID_PARAMS)
    check_equal(set(kctest.field_names(e)), {"period", "percent_done"}, "params")
    # confirmation: the leader, with the version; not twice; not the officer
    lan().error("progress.confirm", {"id": r["id"], "version": 1}, kctest.FORBIDDEN)
    hung().error("progress.confirm", {"id": r["id"], "version": 7}, kctest.CONFLICT)
    c, _ = one_audit("progress.confirm", "progress_report",
                     lambda: hung().result("progress.confirm", {"id": r["id"], "version": 1}))
    check(c["confirmed"] is True and c["version"] == 2 and c["confirmed_by"] == user("province_leader")["id"],
          "confirmed", c)
    e = hung().error("progress.confirm", {"id": r["id"], "version": 2}, BAD_STATUS)
    check_equal(e["data"]["status"], "confirmed", "status")
    items = user("viewer")["client"].result("progress.list", {"project_id": p["id"]})["items"]
    check_equal([x["id"] for x in items], [r["id"]], "progress.list")
    reviewer().result("progress.list", {"project_id": p["id"]})
    # another province
    hn = user("province_officer", "01.TTKC")["client"]
    hn.error("progress.list", {"project_id": p["id"]}, kctest.NOT_FOUND)
    hn.error("progress.report", {"project_id": p["id"], "period": "%d-02" % nxt, "percent_done": 1},
             kctest.NOT_FOUND)
    user("province_leader", "01.SCT")["client"].error("progress.confirm", {"id": late["id"], "version": 1},
                                                      kctest.NOT_FOUND)
    S["reported"] = p


@tap.test("progress.return: the leader sends a report back with reasons; the month is reported again in place")
def _():
    nxt = TODAY.year + 1
    p = approved(year=nxt)
    r = lan().result("progress.report", {"project_id": p["id"], "period": "%d-02" % nxt, "percent_done": 40,
                                         "indicators": [{"code": "I01", "achieved": 3}]})
    # the officer may not; a comment is required; the version is checked
    lan().error("progress.return", {"id": r["id"], "version": 1, "comment": "Thiếu số liệu"}, kctest.FORBIDDEN)
    e = hung().error("progress.return", {"id": r["id"], "version": 1}, kctest.INVALID_PARAMS)
    check_equal(set(kctest.field_names(e)), {"comment"}, "comment required")
    hung().error("progress.return", {"id": r["id"], "version": 5, "comment": "x"}, kctest.CONFLICT)
    back, row = one_audit("progress.return", "progress_report", lambda: hung().result(
        "progress.return", {"id": r["id"], "version": 1, "comment": "Thiếu số liệu chi theo nguồn"}))
    check(back["returned"] is True and back["return_comment"] == "Thiếu số liệu chi theo nguồn"
          and back["returned_by"] == user("province_leader")["id"] and back["version"] == 2
          and back["confirmed"] is False, "returned", back)
    check_equal(row["record_id"], r["id"], "audit record")
    # a returned report is neither confirmed nor returned again
    e = hung().error("progress.confirm", {"id": r["id"], "version": 2}, BAD_STATUS)
    check_equal(e["data"]["status"], "returned", "not confirmable")
    e = hung().error("progress.return", {"id": r["id"], "version": 2, "comment": "x"}, BAD_STATUS)
    check_equal(e["data"]["status"], "returned", "not returned twice")
    # reported again: the same row, new figures, the return cleared
    again, row = one_audit("progress.report", "progress_report", lambda: lan().result("progress.report", {
        "project_id": p["id"], "period": "%d-02" % nxt, "percent_done": 45,
        "indicators": [{"code": "I01", "achieved": 4}], "difficulties": "Bổ sung số liệu"}))
    check(again["id"] == r["id"] and again["percent_done"] == 45 and again["returned"] is False
          and again["return_comment"] is None and again["version"] == 3, "reported again", again)
    check(row["before"]["returned"] is True and row["after"]["percent_done"] == 45, "audit before/after", row)
    # then confirmed; a confirmed report is not returned
    c = hung().result("progress.confirm", {"id": r["id"], "version": 3})
    check(c["confirmed"] is True, "confirmed", c)
    e = hung().error("progress.return", {"id": r["id"], "version": 4, "comment": "x"}, BAD_STATUS)
    check_equal(e["data"]["status"], "confirmed", "confirmed stays")
    items = lan().result("progress.list", {"project_id": p["id"]})["items"]
    check_equal([(x["period"], x["percent_done"], x["confirmed"]) for x in items], [("%d-02" % nxt, 45, True)],
                "one report of the month")


@tap.test("progress.report says what was spent by source: kept, audited, listed; bad shapes refused, nothing written")
def _():
    nxt = TODAY.year + 1
    p = approved(year=nxt)
    spent = {"central": 120000000, "counterpart": 80000000}
    r, row = one_audit("progress.report", "progress_report", lambda: lan().result("progress.report", {
        "project_id": p["id"], "period": "%d-03" % nxt, "percent_done": 35, "spent": spent}))
    check_equal(r["spent"], spent, "spent in the reply")
    check_equal(row["after"]["spent"], spent, "spent in the audit row")
    items = lan().result("progress.list", {"project_id": p["id"]})["items"]
    check_equal([x["spent"] for x in items], [spent], "spent in progress.list")
    before = kctest.audit_head(admin())
    for bad, field in (({"central": -1}, "spent.central"), ({"central": 1.5}, "spent.central"),
                       ({"grant": 5}, "spent.grant"), ({"central": 10 ** 16}, "spent.central"),
                       ("much", "spent")):
        e = lan().error("progress.report", {"project_id": p["id"], "period": "%d-04" % nxt,
                                            "percent_done": 40, "spent": bad}, kctest.INVALID_PARAMS)
        check(field in kctest.field_names(e), "refused %r on %s" % (bad, field), e)
    check_equal(kctest.audit_head(admin()), before, "nothing written by the refusals")
    # a confirmation keeps it; a report without spending says {}
    c = hung().result("progress.confirm", {"id": r["id"], "version": r["version"]})
    check_equal(c["spent"], spent, "kept by the confirmation")
    n = lan().result("progress.report", {"project_id": p["id"], "period": "%d-04" % nxt, "percent_done": 40})
    check_equal(n["spent"], {}, "no spending given")
    # the database refuses a bad shape too
    rc = kctest.psql_try("UPDATE project_progress_reports SET spent = '{\"central\": -5}' WHERE id = %d"
                         % r["id"], db=srv().dbname)
    check(rc[0] != 0 and "spent" in rc[2], "the check constraint refuses -5", rc)
    got = srv().sql("SELECT spent FROM project_progress_reports WHERE id = %d" % r["id"]).strip()
    check_equal(json.loads(got), spent, "the table kept its check")


@tap.test("acceptance moves the project to completed / accepted with the record and achieved indicators")
def _():
    p = approved()
    approver().error("project.accept", {"id": p["id"], "version": p["version"], "accepted_on": "2026-01-10",
                                        "record_no": "BB-1"}, kctest.FORBIDDEN)
    e = hung().error("project.accept", {"id": p["id"], "version": p["version"],
                                        "accepted_on": (TODAY + datetime.timedelta(days=5)).isoformat(),
                                        "record_no": "BB-1"}, kctest.RULE)
    check_equal(e["data"]["violations"][0]["rule"], "future", "future date")
    a, row = one_audit("project.accept", "project", lambda: hung().result("project.accept", {
        "id": p["id"], "version": p["version"], "accepted_on": TODAY.isoformat(),
        "record_no": "05/BB-NT", "indicators": [{"code": "I01", "achieved": 28}], "note": "Đạt"}))
    check(a["status"] == "completed" and a["stage"] == "accepted" and a["version"] == p["version"] + 1,
          "accepted", a)
    check_equal(a["acceptance"]["record_no"], "05/BB-NT", "record")
    check_equal([(i["code"], i["achieved"]) for i in a["indicators"]], [("I01", 28), ("I02", None)],
                "achieved")
    check(row["before"]["status"] == "approved" and row["after"]["status"] == "completed", "audit", row)
    h = hung().result("project.get", {"id": p["id"]})["history"][-1]
    check(h["to_stage"] == "accepted" and h["document_no"] == "05/BB-NT", "history", h)
    e = hung().error("project.accept", {"id": p["id"], "version": a["version"], "accepted_on": TODAY.isoformat(),
                                        "record_no": "x"}, BAD_STATUS)
    check_equal(e["data"]["status"], "completed", "status")
    # a national project: the Ministry's department may accept it (Mẫu 5c)
    n = approved("national")
    a = reviewer().result("project.accept", {"id": n["id"], "version": n["version"],
                                             "accepted_on": TODAY.isoformat(), "record_no": "5c/BB"})
    check_equal((a["status"], a["stage"]), ("completed", "accepted"), "national accepted")


@tap.test("adjustments: applied only when approved by the role of the type, with a new version and history")
def _():
    # local: the province decides
    p = approved()
    e = lan().error("adjustment.request", {"project_id": p["id"], "type": "minor", "reason": "Tăng",
                                           "changes": {"budget_lines": [
                                               {"source": "central", "amount": 400000000},
                                               {"source": "counterpart", "amount": 700000000}]}}, kctest.RULE)
    check_equal(e["data"]["violations"][0]["rule"], "increase_support", "minor may not raise support")
    e = lan().error("adjustment.request", {"project_id": p["id"], "type": "minor", "reason": "x",
                                           "changes": {"content_category": "ND45.4.1"}}, kctest.RULE)
    check_equal(e["data"]["violations"][0]["field"], "changes.content_category", "field of the type")
    new_lines = [{"source": "central", "amount": 250000000}, {"source": "counterpart", "amount": 750000000}]
    req, _ = one_audit("adjustment.request", "project_adjustment", lambda: lan().result("adjustment.request", {
        "project_id": p["id"], "type": "minor", "reason": "Giảm kinh phí",
        "changes": {"budget_lines": new_lines, "implementer": "TTKC Phú Thọ"}}))
    check(req["status"] == "requested" and req["approver_roles"] == ["province_leader"], "request", req)
    e = lan().error("adjustment.request", {"project_id": p["id"], "type": "minor", "reason": "y",
                                           "changes": {"implementer": "Khác"}}, kctest.RULE)
    check_equal(e["data"]["violations"][0]["rule"], "pending", "one open request")
    # not applied while requested
    check_equal(lan().result("project.get", {"id": p["id"]})["version"], p["version"], "not applied yet")
    lan().error("adjustment.decide", {"id": req["id"], "version": 1, "decision": "approve"}, kctest.FORBIDDEN)
    approver().error("adjustment.decide", {"id": req["id"], "version": 1, "decision": "approve"},
                     kctest.FORBIDDEN)
    d, row = one_audit("adjustment.decide", "project_adjustment", lambda: hung().result("adjustment.decide", {
        "id": req["id"], "version": 1, "decision": "approve", "comment": "Đồng ý"}))
    check(d["status"] == "approved" and d["applied_version"] == p["version"] + 1, "decided", d)
    got = lan().result("project.get", {"id": p["id"]})
    check(got["version"] == p["version"] + 1 and got["budget_lines"] == new_lines
          and got["implementer"] == "TTKC Phú Thọ", "applied", got)
    check("adjustment %d (minor) approved" % req["id"] in got["history"][-1]["comment"], "history", got["history"])
    check(row["before"]["project"]["budget_lines"] != row["after"]["project"]["budget_lines"], "audit", row)
    hung().error("adjustment.decide", {"id": req["id"], "version": 2, "decision": "approve"}, BAD_STATUS)
    # national: the Minister for more support, the department refused
    n = approved("national")
    req = lan().result("adjustment.request", {
        "project_id": n["id"], "type": "increase_support", "reason": "Tăng quy mô",
        "changes": {"budget_lines": [{"source": "central", "amount": 400000000},
                                     {"source": "counterpart", "amount": 1000000000}]}})
    check_equal(req["approver_roles"], ["ministry_approver"], "approver of increase_support")
    e = reviewer().error("adjustment.decide", {"id": req["id"], "version": 1, "decision": "approve"},
                         kctest.FORBIDDEN)
    hung().error("adjustment.decide", {"id": req["id"], "version": 1, "decision": "approve"}, kctest.FORBIDDEN)
    check_equal(lan().result("project.get", {"id": n["id"]})["version"], n["version"], "not applied")
    d = approver().result("adjustment.decide", {"id": req["id"], "version": 1, "decision": "approve"})
    check_equal(d["project"]["budget_lines"][0], {"source": "central", "amount": 400000000}, "applied")
    # minor on a national project: the department; a rejection changes nothing
    req = lan().result("adjustment.request", {"project_id": n["id"], "type": "minor", "reason": "Sửa",
                                              "changes": {"implementer": "Đơn vị mới"}})
    check_equal(req["approver_roles"], ["ministry_reviewer", "ministry_approver"], "approvers of minor")
    hung().error("adjustment.decide", {"id": req["id"], "version": 1, "decision": "reject"},
                 kctest.INVALID_PARAMS)
    r = reviewer().result("adjustment.decide", {"id": req["id"], "version": 1, "decision": "reject",
                                                "comment": "Không cần"})
    check_equal(r["status"], "rejected", "rejected")
    check(lan().result("project.get", {"id": n["id"]})["implementer"] != "Đơn vị mới", "rejected not applied")
    # extension into the next year (the Minister): the end date moves past the plan year
    req = lan().result("adjustment.request", {"project_id": n["id"], "type": "extend_next_year",
                                              "reason": "Chậm tiến độ",
                                              "changes": {"end_date": "%d-03-31" % (n["year"] + 1)}})
    d = approver().result("adjustment.decide", {"id": req["id"], "version": 1, "decision": "approve"})
    check_equal(d["project"]["end_date"], "%d-03-31" % (n["year"] + 1), "extended")
    items = reviewer().result("adjustment.list", {"project_id": n["id"]})["items"]
    check_equal([x["status"] for x in items], ["approved", "rejected", "approved"], "adjustment.list")
    # group_change only for a group project
    e = lan().error("adjustment.request", {"project_id": n["id"], "type": "group_change", "reason": "x",
                                           "changes": {"partners": []}}, kctest.RULE)
    check_equal(e["data"]["violations"][0]["rule"], "group_project", "group only")


@tap.test("cancellation with reason and decision number: the province for local, the Minister for national")
def _():
    p = approved()
    pending = lan().result("adjustment.request", {"project_id": p["id"], "type": "minor", "reason": "x",
                                                  "changes": {"implementer": "y"}})
    approver().error("project.cancel", {"id": p["id"], "version": p["version"], "reason": "x",
                                        "decision_no": "1"}, kctest.FORBIDDEN)
    c, _ = one_audit("project.cancel", "project", lambda: hung().result("project.cancel", {
        "id": p["id"], "version": p["version"], "reason": "Cơ sở giải thể", "decision_no": "77/QĐ-SCT",
        "kind": "suspension"}))
    check(c["status"] == "cancelled" and c["cancellation"]["decision_no"] == "77/QĐ-SCT"
          and c["cancellation"]["kind"] == "suspension", "cancelled", c)
    h = lan().result("project.get", {"id": p["id"]})["history"][-1]
    check(h["to_status"] == "cancelled" and h["comment"] == "Cơ sở giải thể" and h["document_no"] == "77/QĐ-SCT",
          "history", h)
    check_equal(lan().result("adjustment.list", {"project_id": p["id"]})["items"][0]["status"], "rejected",
                "the open request closes")
    check_equal(pending["status"], "requested", "was open")
    hung().error("project.cancel", {"id": p["id"], "version": c["version"], "reason": "x", "decision_no": "2"},
                 BAD_STATUS)
    n = approved("national")
    hung().error("project.cancel", {"id": n["id"], "version": n["version"], "reason": "x", "decision_no": "1"},
                 kctest.FORBIDDEN)
    c = approver().result("project.cancel", {"id": n["id"], "version": n["version"], "reason": "Vi phạm",
                                             "decision_no": "9/QĐ-BCT"})
    check_equal(c["status"], "cancelled", "national cancelled")


@tap.test("a typical-product certificate derives the priority flag and the ×1.5 uplift in kc_project_check")
def _():
    year = TODAY.year + 2
    pid = srv().org_id("25")
    big = {"budget_lines": [{"source": "central", "amount": 1200000000},
                            {"source": "counterpart", "amount": 3800000000}]}
    y, org = next_slot(year, "national")
    plan = lan().result("plan.create", {"org_id": srv().org_id(org), "year": y, "scope": "national"})
    # no certificate: the typed flag is ignored, 1.2 bn is over the 1 bn cap
    e = lan().error("project.create", project_params(plan["id"], typical_product=True, beneficiaries=[
        {"name": "HTX Gốm", "kind": "cooperative", "tax_code": "2600999001"}], **big), kctest.RULE)
    check_equal(e["data"]["violations"][0]["rule"], "cap", "over the cap")
    user("province_leader", "01.SCT")["client"].error("typical_product.create", {
        "product_name": "x", "establishment_name": "x", "level": "province", "year": year - 1,
        "certificate_no": "1", "org_id": pid}, kctest.NOT_FOUND)
    e = hung().error("typical_product.create", {"product_name": "Gốm", "establishment_name": "HTX Gốm",
                                                "level": "province", "year": year - 1, "score": 65,
                                                "certificate_no": "12/GCN", "org_id": pid}, kctest.RULE)
    check_equal(e["data"]["violations"][0]["rule"], "threshold", "score threshold")
    # a draft's rules day is today (sql/0046, DOMAIN §6.4): a certificate of last year's round, valid now
    t, _ = one_audit("typical_product.create", "typical_product", lambda: hung().result("typical_product.create", {
        "product_name": "Gốm men rạn", "establishment_name": "HTX Gốm", "tax_code": "2600999001",
        "level": "province", "year": TODAY.year - 1, "score": 82.5, "certificate_no": "12/GCN", "org_id": pid}))
    check_equal(t["valid_until"], "%d-12-31" % (TODAY.year + 1), "valid until 31/12 of the 3rd year")
    pr = lan().result("project.create", project_params(plan["id"], beneficiaries=[
        {"name": "HTX Gốm", "kind": "cooperative", "tax_code": "2600999001"}], **big))
    check(pr["typical_product"] is True and pr["typical_product_certificates"][0]["id"] == t["id"], "flag", pr)
    chk = lan().result("project.check", {"id": pr["id"]})
    check_equal(chk["cap"]["priority_factor"], 1.5, "uplift")
    check_equal(chk["violations"], [], "within the uplifted cap")
    # revoking the certificate removes the flag
    t2, _ = one_audit("typical_product.update", "typical_product", lambda: admin().result(
        "typical_product.update", {"id": t["id"], "version": 1, "revoked": True}))
    check_equal(t2["version"], 2, "version")
    check(lan().result("project.get", {"id": pr["id"]})["typical_product"] is False, "flag gone")
    check_equal(lan().result("project.check", {"id": pr["id"]})["violations"][0]["rule"], "cap", "cap again")
    admin().error("typical_product.update", {"id": t["id"], "version": 1, "revoked": False}, kctest.CONFLICT)
    items = user("viewer")["client"].result("typical_product.list", {"tax_code": "2600999001"})["items"]
    check_equal([x["id"] for x in items], [t["id"]], "list")
    check_equal(user("viewer", "01.TTKC")["client"].result("typical_product.list", {})["items"], [],
                "another province's register")


@tap.test("illegal transitions: 1010 through the protocol, KC010 from plain SQL")
def _():
    y, org = next_slot()
    plan = lan().result("plan.create", {"org_id": srv().org_id(org), "year": y, "scope": "local"})
    d = lan().result("project.create", project_params(plan["id"]))
    for method, params in (("progress.report", {"project_id": d["id"], "period": "%d-02" % y, "percent_done": 1}),
                           ("adjustment.request", {"project_id": d["id"], "type": "minor", "reason": "x",
                                                   "changes": {"implementer": "y"}})):
        e = lan().error(method, params, BAD_STATUS)
        check_equal(e["data"]["status"], "draft", method)
    for method, params in (("project.accept", {"id": d["id"], "version": 1, "accepted_on": TODAY.isoformat(),
                                               "record_no": "1"}),
                           ("project.cancel", {"id": d["id"], "version": 1, "reason": "x", "decision_no": "1"})):
        e = hung().error(method, params, BAD_STATUS)
        check_equal(e["data"]["status"], "draft", method)
    p = approved()
    rc, out, err = kctest.psql_try(
        "DO $$ BEGIN PERFORM kc_actor_set(NULL, 'province_officer'); "
        "UPDATE projects SET status = 'completed', stage = 'accepted' WHERE id = %d; "
        "EXCEPTION WHEN SQLSTATE 'KC010' THEN RAISE NOTICE 'refused KC010'; END $$" % p["id"], db=srv().dbname)
    check(rc == 0 and "refused KC010" in err, "an officer accepting from SQL went through", out, err)
    check_equal(lan().result("project.get", {"id": p["id"]})["status"], "approved", "untouched")


@tap.test("the server exits 0 on SIGTERM")
def _():
    for key, u in list(S.items()):
        if isinstance(u, dict) and "client" in u:
            u["client"].close()
    if "admin" in S:
        S["admin"].close()
    srv().stop()


tap.run()
