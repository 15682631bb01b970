#!/usr/bin/env python3
"""Ministry appraisal (issue 4): the review queue in the selection order of
TT 36/2013 Art. 7, assignment, the comment thread seen by the province and
no other, the Art. 9 checklist scores per reviewer, review.decide
(request_revision, approve, reject with a reason), the officer's edit and
project.resubmit with the field-by-field diff, the scorer who may not
approve (1022 scorer_approves unless settings review.scorer_may_approve),
1003 for a reviewer approving, 1010 from a wrong status, and audit rows."""

import datetime
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kctest  # noqa: E402
from kctest import check, check_equal  # noqa: E402

tap = kctest.Tap()
S = kctest.Suite()
srv, admin = S.srv, S.admin
BAD_STATUS = 1010
TODAY = datetime.date.today()


def user(role, org=None, n=0):
    key = (role, org, n)
    if key not in S:
        u = kctest.create_user(admin(), role, org_code=org)
        u["client"] = srv().login(u["username"], u["password"])
        S[key] = u
    return S[key]


def lan():
    return user("province_officer")["client"]


def hung():
    return user("province_leader")["client"]


def reviewer():
    return user("ministry_reviewer")["client"]


def approver(n=0):
    return user("ministry_approver", n=n)["client"]


_slots = iter([(y, org) for y in range(TODAY.year + 1, TODAY.year + 4)
               for org in ("25.TTKC", "25.SCT", "25")])


def project_params(plan_id, year, **extra):
    p = {"plan_id": plan_id, "title": "Đề án thẩm định", "content_category": "ND45.4.3",
         "budget_lines": [{"source": "central", "amount": 300000000},
                          {"source": "counterpart", "amount": 700000000}],
         "indicators": [{"code": "I01", "target": 30}],
         "cap_code": "C02", "no_double_funding": True,
         "start_date": "%d-03-01" % year, "end_date": "%d-11-30" % year,
         "beneficiaries": [{"name": "Cơ sở thử", "kind": "household_business"}]}
    p.update(extra)
    return p


def forwarded(variants):
    """One national plan of province 25 with a project per variant (extra
    project.create parameters), submitted and forwarded by the leader."""
    year, org = next(_slots)
    plan = lan().result("plan.create", {"org_id": srv().org_id(org), "year": year, "scope": "national"})
    ids = []
    for extra in variants:
        extra = dict(extra)
        for k, v in list(extra.items()):
            if callable(v):
                extra[k] = v(year)
        ids.append(lan().result("project.create", project_params(plan["id"], year, **extra))["id"])
    sub = lan().result("plan.submit", {"id": plan["id"], "version": plan["version"]})
    hung().result("plan.appraise", {"id": plan["id"], "version": sub["version"], "decision": "forward"})
    return [lan().result("project.get", {"id": i}) for i in ids]


def audit_rows_since(seq):
    return [e for e in admin().result("audit.list", {"limit": 50})["items"] if e["seq"] > seq]


def one_audit(method, rtype, fn):
    head = kctest.audit_head(admin())
    out = fn()
    rows = audit_rows_since(head)
    check(len(rows) == 1 and rows[0]["method"] == method and rows[0]["record_type"] == rtype,
          "one audit row of %s" % method, rows)
    return out, rows[0]


def scores(value):
    return [{"criterion": c, "score": value, "note": "tiêu chí %d" % c} for c in range(1, 6)]


# ---------------------------------------------------------------------------

@tap.test("the queue: flagship first, then priority area a→d, then sector flags, then average score")
def _():
    ps = forwarded([
        {"title": "A điểm cao"},
        {"title": "B điểm thấp"},
        {"title": "C địa bàn c", "priority_area": "c"},
        {"title": "D địa bàn a", "priority_area": "a"},
        {"title": "E xuất khẩu", "export": True},
        {"title": "F đề án điểm", "kind": "flagship", "content_categories": ["ND45.4.3", "ND45.4.2"],
         "end_date": lambda y: "%d-06-30" % (y + 1),
         "beneficiaries": [{"name": "Cơ sở 1", "kind": "household_business"},
                           {"name": "Cơ sở 2", "kind": "cooperative"}]},
    ])
    check(all((p["status"], p["stage"]) == ("submitted", "base_appraised") for p in ps), "forwarded", ps)
    a, b, c, d, e, f = ps
    reviewer()
    _, row = one_audit("review.score", "project", lambda: reviewer().result(
        "review.score", {"project_id": a["id"], "scores": scores(9)}))
    check_equal(row["after"]["average"], 9, "audit of the score")
    r = user("ministry_reviewer", n=1)["client"].result("review.score", {"project_id": b["id"],
                                                                          "scores": scores(3)})
    check(r["average"] == 3 and len(r["items"]) == 5, "scores kept", r)
    # a second call replaces the caller's score of a criterion, per reviewer
    r = reviewer().result("review.score", {"project_id": a["id"], "scores": [{"criterion": 5, "score": 4}]})
    check_equal([(s["criterion"], s["score"]) for s in r["items"]][-1], (5, 4), "replaced")
    e_ = reviewer().error("review.score", {"project_id": a["id"], "scores": [{"criterion": 6, "score": 11}]},
                          kctest.INVALID_PARAMS)
    check_equal(set(kctest.field_names(e_)), {"scores[0].criterion", "scores[0].score"}, "score params")
    e_ = reviewer().error("review.score", {"project_id": a["id"], "scores": [{"criterion": 0, "score": 1}]},
                          kctest.INVALID_PARAMS)
    check_equal(kctest.field_names(e_), ["scores[0].criterion"], "criterion 0")
    wanted = [f["id"], d["id"], c["id"], e["id"], a["id"], b["id"]]
    items = reviewer().result("review.queue", {"limit": 1000})["items"]
    got = [x["id"] for x in items if x["id"] in wanted]
    check_equal(got, wanted, "Art. 7 order")
    # paging keeps the order
    first = approver().result("review.queue", {"limit": 2})
    check(len(first["items"]) == 2 and first["next_cursor"] is not None, "page", first)
    second = approver().result("review.queue", {"limit": 1000, "cursor": first["next_cursor"]})
    check_equal([x["id"] for x in first["items"] + second["items"]], [x["id"] for x in items], "pages")
    # filters
    only = reviewer().result("review.queue", {"kind": "flagship"})["items"]
    check(f["id"] in [x["id"] for x in only] and all(x["kind"] == "flagship" for x in only), "kind", only)
    only = reviewer().result("review.queue", {"category": "ND45.4.2"})["items"]
    check_equal([x["id"] for x in only if x["id"] in wanted], [f["id"]], "category")
    only = reviewer().result("review.queue", {"province": srv().org_id("01")})["items"]
    check_equal([x["id"] for x in only if x["id"] in wanted], [], "province filter")
    check(all(x["late"] is False for x in reviewer().result("review.queue", {"late": False})["items"]), "late")
    # who may see the queue
    lan().error("review.queue", {}, kctest.FORBIDDEN)
    S["queue"] = ps


@tap.test("request_revision → officer edits the budget → resubmit → diff → the approver approves")
def _():
    a = S["queue"][0]
    # assignment by the approver, of a ministry user only
    me = user("ministry_reviewer")
    r, _ = one_audit("review.assign", "project", lambda: approver().result(
        "review.assign", {"project_id": a["id"], "reviewer_id": me["id"]}))
    check_equal(r["reviewer_id"], me["id"], "assigned")
    e = approver().error("review.assign", {"project_id": a["id"], "reviewer_id": user("province_officer")["id"]},
                         kctest.RULE)
    check_equal(e["data"]["violations"][0]["field"], "reviewer_id", "a province user is not a reviewer")
    reviewer().error("review.assign", {"project_id": a["id"], "reviewer_id": me["id"]}, kctest.FORBIDDEN)
    q = [x for x in reviewer().result("review.queue", {"limit": 1000})["items"] if x["id"] == a["id"]][0]
    check_equal(q["reviewer_id"], me["id"], "queue shows the reviewer")
    # stale version
    reviewer().error("review.decide", {"project_id": a["id"], "version": a["version"] + 5,
                                       "decision": "request_revision"}, kctest.CONFLICT)
    d, row = one_audit("review.decide", "project", lambda: reviewer().result("review.decide", {
        "project_id": a["id"], "version": a["version"], "decision": "request_revision",
        "comment": "Giảm kinh phí trung ương"}))
    check_equal((d["status"], d["stage"]), ("revision_requested", "revision_requested"), "sent back")
    check(row["before"]["status"] == "submitted" and row["after"]["status"] == "revision_requested", "audit", row)
    # the province edits the dossier: a budget line
    p = lan().result("project.get", {"id": a["id"]})
    u = lan().result("project.update", {"id": a["id"], "version": p["version"],
                                        "budget_lines": [{"source": "central", "amount": 250000000},
                                                         {"source": "counterpart", "amount": 750000000}]})
    diff = hung().result("review.diff", {"project_id": a["id"]})
    check(diff["from_version"] == 1 and diff["to_version"] is None, "diff while editing", diff)
    # nothing to resubmit twice; the approver cannot resubmit
    approver().error("project.resubmit", {"id": a["id"], "version": u["version"]}, kctest.FORBIDDEN)
    s, row = one_audit("project.resubmit", "project", lambda: lan().result(
        "project.resubmit", {"id": a["id"], "version": u["version"]}))
    check_equal((s["status"], s["stage"]), ("submitted", "resubmitted"), "resubmitted")
    lan().error("project.resubmit", {"id": a["id"], "version": s["version"]}, BAD_STATUS)
    diff = reviewer().result("review.diff", {"project_id": a["id"]})
    check(diff["from_version"] == 1 and diff["to_version"] == 2, "versions", diff)
    changes = {c["field"]: (c["before"], c["after"]) for c in diff["changes"]}
    check_equal(changes.get("budget_lines.central"), (300000000, 250000000), "central line")
    check_equal(changes.get("budget_lines.counterpart"), (700000000, 750000000), "counterpart line")
    check(set(changes) <= {"budget_lines.central", "budget_lines.counterpart", "total"}, "only those", changes)
    check_equal([v["sent_back"] for v in diff["versions"]], [True, False], "versions kept")
    q = [x for x in reviewer().result("review.queue", {"limit": 1000})["items"] if x["id"] == a["id"]]
    check(q and q[0]["stage"] == "resubmitted" and q[0]["submission"] == 2, "back in the queue", q)
    # a reviewer may not approve (1003); the approver does
    reviewer().error("review.decide", {"project_id": a["id"], "version": s["version"], "decision": "approve"},
                     kctest.FORBIDDEN)
    ok = approver().result("review.decide", {"project_id": a["id"], "version": s["version"],
                                             "decision": "approve", "comment": "Đạt"})
    check_equal((ok["status"], ok["stage"]), ("approved", "ministry_appraised"), "approved")
    h = lan().result("project.get", {"id": a["id"]})["history"]
    check_equal([x["to_stage"] for x in h][-4:],
                ["base_appraised", "revision_requested", "resubmitted", "ministry_appraised"], "history")
    check_equal(h[-1]["actor_role"], "ministry_approver", "history role")
    # no further decision from approved
    e = approver().error("review.decide", {"project_id": a["id"], "version": ok["version"],
                                           "decision": "reject", "comment": "x"}, BAD_STATUS)
    check_equal(e["data"]["status"], "approved", "status")
    reviewer().error("review.score", {"project_id": a["id"], "scores": scores(5)}, BAD_STATUS)


@tap.test("the scorer cannot approve (1022 scorer_approves) unless settings allow it")
def _():
    b = lan().result("project.get", {"id": S["queue"][1]["id"]})
    approver().result("review.score", {"project_id": b["id"], "scores": scores(7)})
    e = approver().error("review.decide", {"project_id": b["id"], "version": b["version"],
                                           "decision": "approve"}, kctest.RULE)
    check_equal(e["data"]["violations"][0]["rule"], "scorer_approves", "rule")
    # another approver, who did not score it, may
    srv().sql("UPDATE settings SET value = 'true' WHERE key = 'review.scorer_may_approve'")
    try:
        ok = approver().result("review.decide", {"project_id": b["id"], "version": b["version"],
                                                 "decision": "approve"})
        check_equal(ok["status"], "approved", "allowed by the setting")
    finally:
        srv().sql("UPDATE settings SET value = 'false' WHERE key = 'review.scorer_may_approve'")
    c = lan().result("project.get", {"id": S["queue"][2]["id"]})
    approver().result("review.score", {"project_id": c["id"], "scores": scores(7)})
    ok = approver(1).result("review.decide", {"project_id": c["id"], "version": c["version"],
                                              "decision": "approve"})
    check_equal(ok["status"], "approved", "another approver")


@tap.test("reject needs a reason; a rejected project is rejected / not_selected")
def _():
    d = lan().result("project.get", {"id": S["queue"][3]["id"]})
    for comment in (None, "   "):
        params = {"project_id": d["id"], "version": d["version"], "decision": "reject"}
        if comment is not None:
            params["comment"] = comment
        e = approver().error("review.decide", params, kctest.INVALID_PARAMS)
        check_equal(kctest.field_names(e), ["comment"], "reason required")
    reviewer().error("review.decide", {"project_id": d["id"], "version": d["version"], "decision": "reject",
                                       "comment": "Không phù hợp"}, kctest.FORBIDDEN)
    r = approver().result("review.decide", {"project_id": d["id"], "version": d["version"], "decision": "reject",
                                            "comment": "Không phù hợp quy hoạch"})
    check_equal((r["status"], r["stage"]), ("rejected", "not_selected"), "rejected")
    h = lan().result("project.get", {"id": d["id"]})["history"][-1]
    check_equal(h["comment"], "Không phù hợp quy hoạch", "reason in the history")
    items = lan().result("review.comments", {"project_id": d["id"]})["items"]
    check(items and items[-1]["kind"] == "decision", "decision in the thread", items)
    # a project still at the province is not the Ministry's (1004)
    year, org = next(_slots)
    plan = lan().result("plan.create", {"org_id": srv().org_id(org), "year": year, "scope": "national"})
    p = lan().result("project.create", project_params(plan["id"], year))
    approver().error("review.decide", {"project_id": p["id"], "version": p["version"], "decision": "approve"},
                     kctest.NOT_FOUND)


@tap.test("the comment thread: the Ministry and the province reply; another province never sees it")
def _():
    e = S["queue"][4]
    c, row = one_audit("review.comment", "review_comment", lambda: reviewer().result(
        "review.comment", {"project_id": e["id"], "body": "Bổ sung hợp đồng xuất khẩu"}))
    check(c["author_role"] == "ministry_reviewer" and c["kind"] == "comment", "comment", c)
    lan().result("review.comment", {"project_id": e["id"], "body": "Đã bổ sung"})
    hung().result("review.comment", {"project_id": e["id"], "body": "Sở xác nhận"})
    items = user("viewer")["client"].result("review.comments", {"project_id": e["id"]})["items"]
    check_equal([x["body"] for x in items], ["Bổ sung hợp đồng xuất khẩu", "Đã bổ sung", "Sở xác nhận"],
                "thread")
    hn = user("province_officer", "01.TTKC")["client"]
    hn.error("review.comments", {"project_id": e["id"]}, kctest.NOT_FOUND)
    hn.error("review.comment", {"project_id": e["id"], "body": "x"}, kctest.NOT_FOUND)
    hn.error("review.diff", {"project_id": e["id"]}, kctest.NOT_FOUND)
    user("province_leader", "01.SCT")["client"].error("review.comments", {"project_id": e["id"]},
                                                      kctest.NOT_FOUND)
    user("viewer")["client"].error("review.comment", {"project_id": e["id"], "body": "x"}, kctest.FORBIDDEN)
    lan().error("review.comment", {"project_id": e["id"], "body": ""}, kctest.INVALID_PARAMS)


@tap.test("a file attached to a review comment: the province downloads it; another province gets 1004")
def _():
    import base64
    import hashlib
    e = S["queue"][4]
    c = reviewer().result("review.comment", {"project_id": e["id"], "body": "Kèm văn bản hướng dẫn"})
    data = b"%PDF-1.4\n% huong dan\n%%EOF\n"
    b = reviewer().result("attachment.begin", {"owner_type": "review_comment", "owner_id": c["id"],
                                               "file_name": "huong-dan.pdf", "size": len(data),
                                               "sha256": hashlib.sha256(data).hexdigest()})
    reviewer().result("attachment.put", {"id": b["id"], "seq": 0,
                                         "data": base64.b64encode(data).decode()})
    done = reviewer().result("attachment.finish", {"id": b["id"]})
    check_equal(done["mime_type"], "application/pdf", "type")
    items = lan().result("attachment.list", {"owner_type": "review_comment", "owner_id": c["id"]})["items"]
    check_equal([x["id"] for x in items], [b["id"]], "the province lists it")
    got = lan().result("attachment.get", {"id": b["id"]})
    check_equal(base64.b64decode(got["data"]), data, "byte for byte")
    # the Ministry attaches to its comments only, and a posted comment's files stay
    plan_err = reviewer().error("attachment.begin", {"owner_type": "project", "owner_id": e["id"],
                                                     "file_name": "x.pdf", "size": 1, "sha256": "ab" * 32},
                                kctest.FORBIDDEN)
    check("comments" in plan_err["message"], "says why", plan_err)
    lan().error("attachment.delete", {"id": b["id"], "version": 1}, 1010)
    user("province_officer", "01.TTKC")["client"].error(
        "attachment.list", {"owner_type": "review_comment", "owner_id": c["id"]}, kctest.NOT_FOUND)


@tap.test("the database refuses a ministry decision by a province role (KC010)")
def _():
    f = S["queue"][5]
    out = srv().sql("DO $$ BEGIN PERFORM kc_actor_set(NULL, 'province_leader'); "
                    "UPDATE projects SET status = 'approved', stage = 'ministry_appraised' WHERE id = %d; "
                    "EXCEPTION WHEN sqlstate 'KC010' THEN RAISE NOTICE 'refused'; END $$; "
                    "SELECT status FROM projects WHERE id = %d" % (f["id"], f["id"]))
    check_equal(out.strip(), "submitted", "unchanged")


@tap.test("the server exits 0 on SIGTERM")
def _():
    for key, u in list(S.items()):
        if isinstance(u, dict) and "client" in u:
            u["client"].close()
    if "admin" in S:
        S["admin"].close()
    srv().stop()


tap.run()
