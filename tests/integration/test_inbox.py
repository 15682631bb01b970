#!/usr/bin/env python3
"""What awaits me (issue 16, server): inbox.list per role — an item appears
when its cause happens (a plan submitted → the leader; forwarded → the
approver assigns, the assigned reviewer scores, the approver decides, then
the plan decision; a revision requested → the officer, sent back; a progress
report due → the officer, filed → the leader confirms; an adjustment → its
decider; a request → the Ministry, answered → the province), is gone when
done, is never from another province; overdue from the calendar day;
inbox.mark_seen and `new`/`changes`; the "inbox" event; report.dashboard
equals report.summary and budget.summary for the same scope."""

import datetime
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kctest  # noqa: E402
from kctest import check, check_equal  # noqa: E402

tap = kctest.Tap()
S = kctest.Suite()
srv, admin, user = S.srv, S.admin, S.user
# kc_today() is the calendar day in Vietnam
TODAY = datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=7))).date()
NEXT = TODAY.year + 1


def lan():
    return user("province_officer")["client"]


def hung():
    return user("province_leader")["client"]


def mai():
    return user("ministry_reviewer")["client"]


def tuan():
    return user("ministry_approver")["client"]


def hn_officer():
    return user("province_officer", "01.TTKC")["client"]


def hn_leader():
    return user("province_leader", "01.SCT")["client"]


def inbox(client, **params):
    return client.result("inbox.list", dict({"limit": 1000}, **params))


def items(client, kind=None, ref=None):
    got = inbox(client)["items"]
    return [i for i in got if (kind is None or i["kind"] == kind)
            and (ref is None or (i["ref"]["type"], i["ref"]["id"]) == ref)]


def one(client, kind, ref):
    got = items(client, kind, ref)
    check_equal(len(got), 1, "one %s item for %s" % (kind, ref))
    return got[0]


def none(client, kind, ref, what):
    got = items(client, kind, ref)
    check(not got, "%s: no %s item for %s" % (what, kind, ref), got)


def project_params(plan_id, year, **extra):
    p = {"plan_id": plan_id, "title": "Đề án hộp việc", "content_category": "ND45.4.3",
         "budget_lines": [{"source": "central", "amount": 300000000},
                          {"source": "counterpart", "amount": 700000000}],
         "indicators": [{"code": "I01", "target": 30}], "cap_code": "C02", "no_double_funding": True,
         "start_date": "%d-01-01" % year, "end_date": "%d-11-30" % year,
         "beneficiaries": [{"name": "Cơ sở thử", "kind": "household_business"}]}
    p.update(extra)
    return p


_slots = {}


def slot(year, scope):
    used = _slots.setdefault((year, scope), [])
    for org in ("25.TTKC", "25.SCT", "25"):
        if org not in used:
            used.append(org)
            return org
    raise AssertionError("no free plan slot")


def plan_with_projects(year, scope, n=1, **extra):
    org = slot(year, scope)
    plan = lan().result("plan.create", {"org_id": srv().org_id(org), "year": year, "scope": scope})
    ids = [lan().result("project.create", project_params(plan["id"], year, **dict({"title": "Đề án %d" % k}, **extra)))["id"]
           for k in range(n)]
    return plan, ids


def approved_local(year, **extra):
    plan, ids = plan_with_projects(year, "local", **extra)
    sub = lan().result("plan.submit", {"id": plan["id"], "version": plan["version"]})
    hung().result("plan.approve_local", {"id": plan["id"], "version": sub["version"],
                                         "decision_no": "1/QĐ-UBND", "decision_date": "%d-01-05" % year,
                                         "issuer": "UBND tỉnh Phú Thọ"})
    return lan().result("project.get", {"id": ids[0]})


def scores(value):
    return [{"criterion": c, "score": value} for c in range(1, 6)]


# ---------------------------------------------------------------------------

@tap.test("plan submitted → the leader's plan_to_appraise (due 20/6, overdue by the calendar); "
          "never the officer's or another province's; gone once forwarded")
def _():
    plan, ids = plan_with_projects(NEXT, "national", n=2)
    sub = lan().result("plan.submit", {"id": plan["id"], "version": plan["version"]})
    it = one(hung(), "plan_to_appraise", ("plan", plan["id"]))
    due = datetime.date(NEXT - 1, 6, 20)
    check_equal((it["due_on"], it["overdue"], it["org_id"], it["plan_id"]),
                (due.isoformat(), TODAY > due, srv().org_id("25"), plan["id"]), "the item")
    check(it["org_name"] and it["kind_name"], "names", it)
    # a plan without a title: no sentence from the server, its year and scope for the client
    # to name it (sql/0054; kc-client's kc_label_plan_name)
    check_equal((it["title"], it["detail"]), (None, {"year": NEXT, "scope": "national"}), "an untitled plan")
    none(lan(), "plan_to_appraise", ("plan", plan["id"]), "the officer does not appraise")
    check(not [i for i in inbox(hn_leader())["items"] if i["org_id"] == srv().org_id("25")],
          "another province's leader sees nothing of province 25")
    hung().result("plan.appraise", {"id": plan["id"], "version": sub["version"], "decision": "forward"})
    none(hung(), "plan_to_appraise", ("plan", plan["id"]), "forwarded")
    S["forwarded"] = ids


@tap.test("returned by the leader → the officer's plan_returned, sent back; gone once submitted again")
def _():
    plan, _ = plan_with_projects(NEXT, "local")
    sub = lan().result("plan.submit", {"id": plan["id"], "version": plan["version"]})
    ret = hung().result("plan.appraise", {"id": plan["id"], "version": sub["version"], "decision": "return",
                                          "comment": "Bổ sung hồ sơ"})
    it = one(lan(), "plan_returned", ("plan", plan["id"]))
    check(it["sent_back"] is True and it["due_on"] is None and it["overdue"] is False, "sent back", it)
    check(inbox(lan())["counts"]["sent_back"] >= 1, "counted as sent back")
    none(hn_officer(), "plan_returned", ("plan", plan["id"]), "another province")
    lan().result("plan.submit", {"id": plan["id"], "version": ret["version"]})
    none(lan(), "plan_returned", ("plan", plan["id"]), "submitted again")
    one(hung(), "plan_to_appraise", ("plan", plan["id"]))


@tap.test("the Ministry's queue: approver assigns, the assigned reviewer scores, approver decides; "
          "revision → the officer (sent back) until resubmitted; then the plan decision")
def _():
    a, b = S["forwarded"]
    for pid in (a, b):
        one(tuan(), "review_to_assign", ("project", pid))
    none(mai(), "review_to_assign", ("project", a), "a reviewer does not assign")
    none(lan(), "review_to_assign", ("project", a), "the province does not")
    me = user("ministry_reviewer")["id"]
    tuan().result("review.assign", {"project_id": a, "reviewer_id": me})
    none(tuan(), "review_to_assign", ("project", a), "assigned")
    one(mai(), "review_to_score", ("project", a))
    none(mai(), "review_to_score", ("project", b), "not assigned to her")
    mai().result("review.score", {"project_id": a, "scores": scores(8)[:3]})
    one(mai(), "review_to_score", ("project", a))  # three of five criteria
    none(tuan(), "review_to_decide", ("project", a), "not fully scored")
    mai().result("review.score", {"project_id": a, "scores": scores(8)})
    none(mai(), "review_to_score", ("project", a), "scored")
    one(tuan(), "review_to_decide", ("project", a))
    p = mai().result("project.get", {"id": a})
    mai().result("review.decide", {"project_id": a, "version": p["version"], "decision": "request_revision",
                                   "comment": "Giảm kinh phí"})
    none(tuan(), "review_to_decide", ("project", a), "sent back")
    it = one(lan(), "project_revision", ("project", a))
    check(it["sent_back"] is True and it["code"] == p["code"], "sent back to the officer", it)
    none(hn_officer(), "project_revision", ("project", a), "another province")
    p = lan().result("project.get", {"id": a})
    lan().result("project.resubmit", {"id": a, "version": p["version"]})
    none(lan(), "project_revision", ("project", a), "resubmitted")
    # back in the queue: the old scores predate its arrival, so it is to score again
    one(mai(), "review_to_score", ("project", a))
    none(tuan(), "review_to_decide", ("project", a), "old scores do not count")
    mai().result("review.score", {"project_id": a, "scores": scores(9)})
    one(tuan(), "review_to_decide", ("project", a))
    p = tuan().result("project.get", {"id": a})
    tuan().result("review.decide", {"project_id": a, "version": p["version"], "decision": "approve"})
    none(tuan(), "review_to_decide", ("project", a), "approved")
    it = one(tuan(), "plan_decision_due", ("plan_decision_year", NEXT))
    check_equal(it["detail"]["projects"], 1, "one appraised project awaits the decision")
    tuan().result("decision.approve_plan", {"year": NEXT, "number": "1/QĐ-BCT", "signed_on": TODAY.isoformat(),
                                            "signer": "Thứ trưởng", "project_ids": [a]})
    none(tuan(), "plan_decision_due", ("plan_decision_year", NEXT), "in the decision")


@tap.test("progress: a running project's missing months → the officer (overdue from the 25th); "
          "filed → the leader confirms; never another province's")
def _():
    p = approved_local(TODAY.year, end_date="%d-12-31" % TODAY.year)
    it = one(lan(), "progress_due", ("project", p["id"]))
    months = ["%d-%02d" % (TODAY.year, m) for m in range(1, TODAY.month + 1)]
    check_equal(it["detail"]["periods"], months, "every month up to this one")
    due = datetime.date(TODAY.year, 1, 25)
    # due before the 25th (sql/0046): late on the 25th itself, one day
    check_equal((it["due_on"], it["overdue"]), (due.isoformat(), TODAY >= due), "the oldest month's 25th")
    if it["overdue"]:
        check_equal(it["days_late"], (TODAY - due).days + 1, "days late, the 25th the first")
    none(hung(), "progress_due", ("project", p["id"]), "the leader's list has the confirmations")
    none(hn_officer(), "progress_due", ("project", p["id"]), "another province")
    # a project of next year owes nothing yet
    q = approved_local(NEXT)
    none(lan(), "progress_due", ("project", q["id"]), "next year's project")
    reports = [lan().result("progress.report", {"project_id": p["id"], "period": m, "percent_done": 10})
               for m in months]
    none(lan(), "progress_due", ("project", p["id"]), "every month reported")
    r = reports[-1]
    it = one(hung(), "progress_to_confirm", ("progress_report", r["id"]))
    check_equal((it["project_id"], it["detail"]["period"]), (p["id"], months[-1]), "the report")
    none(hn_leader(), "progress_to_confirm", ("progress_report", r["id"]), "another province's leader")
    none(lan(), "progress_to_confirm", ("progress_report", r["id"]), "the officer does not confirm")
    # returned: the officer's to report again (sent back), no longer the leader's to confirm
    back = hung().result("progress.return", {"id": r["id"], "version": r["version"],
                                             "comment": "Thiếu số liệu đã chi"})
    none(hung(), "progress_to_confirm", ("progress_report", r["id"]), "returned")
    it = one(lan(), "progress_returned", ("progress_report", r["id"]))
    check_equal((it["sent_back"], it["detail"]["comment"], it["detail"]["period"]),
                (True, "Thiếu số liệu đã chi", months[-1]), "the officer's returned report")
    none(hn_officer(), "progress_returned", ("progress_report", r["id"]), "another province's officer")
    none(hung(), "progress_returned", ("progress_report", r["id"]), "the leader does not report")
    r = lan().result("progress.report", {"project_id": p["id"], "period": months[-1], "percent_done": 15})
    none(lan(), "progress_returned", ("progress_report", r["id"]), "reported again")
    one(hung(), "progress_to_confirm", ("progress_report", r["id"]))
    check(back["version"] < r["version"], "a newer version to confirm", back, r)
    hung().result("progress.confirm", {"id": r["id"], "version": r["version"]})
    none(hung(), "progress_to_confirm", ("progress_report", r["id"]), "confirmed")
    S["running"] = p


@tap.test("an adjustment → its decider (the leader for a local project), gone once decided")
def _():
    p = S["running"]
    req = lan().result("adjustment.request", {"project_id": p["id"], "type": "minor", "reason": "Đổi đơn vị",
                                              "changes": {"implementer": "TTKC Phú Thọ"}})
    it = one(hung(), "adjustment_to_decide", ("adjustment", req["id"]))
    check_equal(it["project_id"], p["id"], "the project")
    none(mai(), "adjustment_to_decide", ("adjustment", req["id"]), "not the Ministry's")
    none(hn_leader(), "adjustment_to_decide", ("adjustment", req["id"]), "another province")
    hung().result("adjustment.decide", {"id": req["id"], "version": req["version"], "decision": "approve"})
    none(hung(), "adjustment_to_decide", ("adjustment", req["id"]), "decided")


@tap.test("a request → the Ministry (overdue after its working days); answered → the province until closed")
def _():
    c = lan().result("correspondence.open", {"subject": "Vướng mắc hộp việc", "body": "Xin hướng dẫn."})
    it = one(mai(), "correspondence_to_answer", ("correspondence", c["id"]))
    check_equal((it["due_on"], it["overdue"], it["org_id"]), (c["due"], False, srv().org_id("25")), "fresh")
    old = lan().result("correspondence.open", {"subject": "Cũ", "body": "Đã lâu."})
    srv().sql("UPDATE correspondence SET opened_at = now() - interval '40 days' WHERE id = %d" % old["id"])
    it = one(tuan(), "correspondence_to_answer", ("correspondence", old["id"]))
    check(it["overdue"] is True and it["days_late"] > 0, "overdue by the calendar", it)
    check(inbox(tuan())["counts"]["overdue"] >= 1, "counted overdue")
    # overdue items come first
    got = inbox(tuan())["items"]
    check(all(x["overdue"] for x in got[:1]), "overdue first", got[:2])
    none(lan(), "correspondence_to_answer", ("correspondence", c["id"]), "not the province's")
    a = mai().result("correspondence.answer", {"id": c["id"], "version": c["version"], "answer": "Theo TT 36."})
    none(mai(), "correspondence_to_answer", ("correspondence", c["id"]), "answered")
    one(lan(), "correspondence_answered", ("correspondence", c["id"]))
    one(hung(), "correspondence_answered", ("correspondence", c["id"]))
    none(hn_officer(), "correspondence_answered", ("correspondence", c["id"]), "another province")
    lan().result("correspondence.close", {"id": c["id"], "version": a["version"]})
    none(lan(), "correspondence_answered", ("correspondence", c["id"]), "closed")


@tap.test("no role ever gets an item of another province; admin and viewer get none")
def _():
    hn = srv().org_id("01")
    for client in (hn_officer(), hn_leader()):
        got = inbox(client)["items"]
        check(all(i["org_id"] in (hn, None) for i in got), "only Hà Nội", got)
    for client in (lan(), hung()):
        got = inbox(client)["items"]
        check(all(i["org_id"] == srv().org_id("25") for i in got), "only Phú Thọ", got)
    check(inbox(hung())["items"], "the leader has items")
    check_equal(inbox(admin())["items"], [], "admin")
    check_equal(inbox(user("viewer")["client"])["items"], [], "viewer")


@tap.test("new and changes since the last look; inbox.mark_seen audited, never backwards")
def _():
    first = inbox(hung())
    check(first["seen_at"] is None and all(i["new"] for i in first["items"] if i["since"]
                                           and i["since"] > first["since"]), "new before any look", first)
    head = kctest.audit_head(admin())
    seen = hung().result("inbox.mark_seen", {"at": first["as_of"]})
    check_equal(seen["seen_at"], first["as_of"], "seen")
    rows = [e for e in admin().result("audit.list", {"limit": 10})["items"] if e["seq"] > head]
    check(len(rows) == 1 and rows[0]["method"] == "inbox.mark_seen", "one audit row", rows)
    back = hung().result("inbox.mark_seen", {"at": "2020-01-01T00:00:00Z"})
    check_equal(back["seen_at"], first["as_of"], "never moves back")
    after = inbox(hung())
    check(not [i for i in after["items"] if i["new"]], "nothing new", after["items"])
    # the officer submits a plan: new for the leader, and a change for the officer's leader
    plan, _ = plan_with_projects(NEXT + 1, "national")
    lan().result("plan.submit", {"id": plan["id"], "version": plan["version"]})
    it = one(hung(), "plan_to_appraise", ("plan", plan["id"]))
    check(it["new"] is True, "new since the last look", it)
    got = inbox(hung())
    check_equal(got["counts"]["new"], 1, "one new")
    check(any(c["ref"] == {"type": "plan", "id": plan["id"]} and c["to_status"] == "submitted"
              and c["title"] is None and (c["year"], c["scope"]) == (NEXT + 1, "national")
              for c in got["changes"]), "the submission is a change, with the plan's year and scope",
          got["changes"])
    check(all(c["year"] and c["scope"] for c in got["changes"]), "every change has its plan's year and scope",
          got["changes"])
    check(not [c for c in inbox(hn_leader(), since="2020-01-01T00:00:00Z")["changes"]
               if c["org_id"] == srv().org_id("25")], "another province's changes are not shown")


@tap.test("the inbox event: an adjustment request reaches its decider's province")
def _():
    p = S["running"]
    watch = user("province_leader")
    with srv().login(watch["username"], watch["password"]) as c:
        c.result("events.subscribe", {"topics": ["inbox"]})
        req = lan().result("adjustment.request", {"project_id": p["id"], "type": "minor", "reason": "Lần hai",
                                                  "changes": {"implementer": "TTKC"}})
        m = c.wait_event(kctest.scaled(10), status="adjustment_to_decide")
        e = (m or {}).get("params", {})
        check(e.get("topic") == "inbox" and e.get("id") == req["id"], "event", m)


@tap.test("parameters: unknown member, bad since, unknown kind, kinds filter")
def _():
    e = lan().error("inbox.list", {"nope": 1}, kctest.INVALID_PARAMS)
    check("nope" in kctest.field_names(e), "unknown member", e)
    e = lan().error("inbox.list", {"since": "yesterday"}, kctest.INVALID_PARAMS)
    check("since" in kctest.field_names(e), "since", e)
    lan().error("inbox.list", {"kinds": ["no_such_kind"]}, kctest.RULE)
    got = inbox(tuan(), kinds=["correspondence_to_answer"])["items"]
    check(got and all(i["kind"] == "correspondence_to_answer" for i in got), "filtered", got)
    # a list as PROTOCOL.md has them: limit and cursor, next_cursor
    full = inbox(tuan())["items"]
    check(len(full) > 1, "the approver has several items", full)
    page = tuan().result("inbox.list", {"limit": 1})
    check_equal((len(page["items"]), page["next_cursor"], page["total"]), (1, "1", len(full)), "first page")
    nxt = tuan().result("inbox.list", {"limit": 1, "cursor": page["next_cursor"]})
    check_equal([(i["kind"], i["ref"]) for i in page["items"] + nxt["items"]],
                [(i["kind"], i["ref"]) for i in full[:2]], "pages follow the order")
    last = tuan().result("inbox.list", {"limit": 1000, "cursor": "1"})
    check_equal((len(last["items"]), last["next_cursor"]), (len(full) - 1, None), "last page")
    lan().error("inbox.list", {"cursor": "abc"}, kctest.INVALID_PARAMS)
    lan().error("report.dashboard", {"sort": "nope"}, kctest.INVALID_PARAMS)
    admin().error("report.dashboard", {}, kctest.FORBIDDEN)


def cli(*args, stdin=None):
    if "state" not in S:
        S["state"] = tempfile.mkdtemp(prefix="kcit-inbox-")
        tap.add_cleanup(lambda: shutil.rmtree(S["state"], ignore_errors=True))
    env = dict(os.environ, XDG_STATE_HOME=S["state"], HOME=S["state"])
    env.pop("KC_SERVER", None)
    env.pop("KC_CA", None)
    base = [kctest.KC_CLI, "--server", "127.0.0.1:%d" % srv().port, "--ca", srv().ca, "--timeout", "60"]
    return subprocess.run(base + list(args), input=stdin, capture_output=True, text=True, env=env,
                          cwd=S["state"], timeout=kctest.scaled(120))


@tap.test("kc-cli inbox prints the caller's items (late first, marks), --json the result, --mark-seen the look")
def _():
    u = user("ministry_approver")
    p = cli("login", u["username"], stdin=u["password"] + "\n")
    check_equal(p.returncode, 0, "login: %s" % p.stderr)
    p = cli("inbox", "--json")
    check_equal(p.returncode, 0, "inbox --json: %s" % p.stderr)
    got = json.loads(p.stdout)
    direct = inbox(tuan())
    check_equal([(i["kind"], i["ref"]) for i in got["items"]], [(i["kind"], i["ref"]) for i in direct["items"]],
                "the same items as inbox.list")
    p = cli("inbox")
    check_equal(p.returncode, 0, "inbox: %s" % p.stderr)
    lines = p.stdout.splitlines()
    check_equal(len(lines), len(direct["items"]) + 1, "a line per item and a summary")
    first = direct["items"][0]
    check(lines[0].startswith("!") == first["overdue"] and first["kind"] in lines[0]
          and first["title"] in lines[0], "the first line is the first item", lines[0], first)
    check(lines[-1].startswith("%d item(s)" % direct["total"]), "summary", lines[-1])
    p = cli("inbox", "--mark-seen")
    check_equal(p.returncode, 0, "inbox --mark-seen: %s" % p.stderr)
    check(inbox(tuan())["seen_at"] is not None, "the look is recorded")
    p = cli("inbox", "--bogus")
    check_equal(p.returncode, 2, "usage error")


def summary(client, year, group_by):
    return client.result("report.summary", {"from_year": year, "to_year": year, "group_by": group_by})


@tap.test("report.dashboard equals report.summary and budget.summary, for the Ministry and a province")
def _():
    year = NEXT
    # money on the approved national project of the plan decision
    a = S["forwarded"][0]
    tuan().result("budget.set_appropriation", {"year": year, "source": "central", "amount": 5000000000})
    p = tuan().result("project.get", {"id": a})
    tuan().result("budget.allocate", {"project_id": a, "version": p["version"], "amount": 200000000})
    # and a province of its own for the other side
    approved_local(year)
    for client, scope in ((tuan(), "ministry"), (hung(), "province"), (hn_leader(), "province")):
        d = client.result("report.dashboard", {"year": year})
        check_equal(d["scope"], scope, "scope")
        by_source = summary(client, year, ["source"])
        t = by_source["totals"]
        check_equal({k: d["totals"][k] for k in ("projects", "planned", "allocated", "paid", "settled")},
                    {k: t[k] for k in ("projects", "planned", "allocated", "paid", "settled")}, "totals")
        check_equal([(r["source"], r["planned"], r["allocated"], r["paid"], r["settled"])
                     for r in d["money_by_source"]],
                    [(r["source"], r["planned"], r["allocated"], r["paid"], r["settled"])
                     for r in by_source["rows"]], "money by source")
        check_equal([(r["status"], r["projects"]) for r in d["projects_by_status"]],
                    [(r["status"], r["projects"]) for r in summary(client, year, ["status"])["rows"]],
                    "projects by status")
        check_equal(sorted((i["indicator"], i["target"], i["achieved"]) for i in d["indicators"]),
                    sorted((i["indicator"], i["target"], i["achieved"]) for i in by_source["indicators"]),
                    "indicators")
        prov = summary(client, year, ["province"])["rows"]
        check_equal(sorted((r["province_code"], r["projects"], r["planned"], r["allocated"], r["paid"])
                           for r in d["by_province"]),
                    sorted((r["province_code"], r["projects"], r["planned"], r["allocated"], r["paid"])
                           for r in prov), "by province")
        budget = client.result("budget.summary", {"year": year})
        check_equal(d["totals"]["allocated"], sum(r["allocated"] for r in budget["by_province"]),
                    "allocated = budget.summary")
        check_equal(d["totals"]["paid"], sum(r["paid"] for r in budget["by_province"]), "paid = budget.summary")
        check_equal(d["totals"]["appropriated"], sum(r["appropriated"] for r in budget["by_source"]),
                    "appropriated = budget.summary")
        if d["totals"]["allocated"]:
            check_equal(d["totals"]["disbursement_rate"],
                        round(d["totals"]["paid"] * 100.0 / d["totals"]["allocated"], 1), "rate")
    d = tuan().result("report.dashboard", {"year": year})
    check(d["totals"]["allocated"] == 200000000 and d["totals"]["appropriated"] == 5000000000, "money", d)
    check(len(d["by_province"]) >= 1 and all(r["province_name"] for r in d["by_province"]), "names", d)
    h = hung().result("report.dashboard", {"year": year})
    check(all(r["province_code"] == "25" for r in h["by_province"]), "a province sees its own row", h)
    check_equal(hn_leader().result("report.dashboard", {"year": year})["by_province"], [], "Hà Nội has nothing")
    # sortable: planned, descending
    s = tuan().result("report.dashboard", {"year": year, "sort": "planned", "order": "desc"})["by_province"]
    check_equal([r["planned"] for r in s], sorted((r["planned"] for r in s), reverse=True), "sorted")
    # exportable like every report.* (the per-province table)
    x = tuan().result("report.export", {"report": "dashboard", "params": {"year": year}, "format": "csv"})
    check_equal(x["filename"], "bang-dieu-khien-%d.csv" % year, "export")
    # late: what deadline.overdue lists
    late = tuan().result("deadline.overdue", {})["items"]
    check_equal(tuan().result("report.dashboard", {"year": year})["late"]["total"], len(late), "late")


@tap.test("an accepted national project: the officer's dossier and the approver's settlement, due 15 days "
          "after acceptance (overdue by the calendar); gone once settled")
def _():
    year = TODAY.year - 1
    plan, (pid,) = plan_with_projects(year, "national")
    sub = lan().result("plan.submit", {"id": plan["id"], "version": plan["version"]})
    hung().result("plan.appraise", {"id": plan["id"], "version": sub["version"], "decision": "forward"})
    srv().sql("DO $$ BEGIN PERFORM kc_actor_set(NULL, 'ministry_approver'); "
              "UPDATE projects SET status = 'approved', stage = 'plan_approved', version = version + 1 "
              "WHERE id = %d; END $$" % pid)
    p = lan().result("project.get", {"id": pid})
    accepted_on = datetime.date(year, 6, 30)
    hung().result("project.accept", {"id": pid, "version": p["version"], "accepted_on": accepted_on.isoformat(),
                                     "record_no": "BB-NT-1"})
    due = accepted_on + datetime.timedelta(days=15)
    for client, kind in ((tuan(), "settlement_due"), (lan(), "settlement_dossier_due")):
        it = one(client, kind, ("project", pid))
        check_equal((it["due_on"], it["overdue"], it["days_late"]), (due.isoformat(), True, (TODAY - due).days),
                    "%s: 15 days after acceptance, late" % kind)
    none(hung(), "settlement_due", ("project", pid), "a national project is the Ministry's to settle")
    none(hn_officer(), "settlement_dossier_due", ("project", pid), "another province")
    p = tuan().result("project.get", {"id": pid})
    tuan().result("budget.settle", {"project_id": pid, "version": p["version"], "settled_on": TODAY.isoformat(),
                                    "record_no": "QT-1", "amounts": [{"source": "counterpart", "amount": 1}]})
    none(tuan(), "settlement_due", ("project", pid), "settled")
    none(lan(), "settlement_dossier_due", ("project", pid), "settled")


@tap.test("the province's periodic reports: due once the cut-off passed, for a year with a plan; gone once sent")
def _():
    y = TODAY.year
    got = {i["detail"]["period"]: i for i in items(hung(), "province_report_due")
           if i["detail"]["year"] == y}
    expect = [per for per, cutoff, due in (("q1", (3, 14), (3, 20)), ("h1", (6, 14), (6, 20)),
                                           ("q3", (9, 14), (9, 20)), ("year", (12, 14), (12, 20)))
              if TODAY > datetime.date(y, *cutoff)]
    check_equal(sorted(got), sorted(expect), "the periods whose cut-off passed")
    if not expect:
        return
    first = got[expect[0]]
    check_equal(first["org_id"], srv().org_id("25"), "the province")
    hung().result("report.province_send", {"org_id": srv().org_id("25"), "year": y, "period": expect[0],
                                           "document_no": "1/BC-SCT"})
    left = [i for i in items(hung(), "province_report_due")
            if i["detail"]["year"] == y and i["detail"]["period"] == expect[0]]
    check(not left, "sent", left)
    check(not [i for i in items(hn_leader(), "province_report_due") if i["org_id"] == srv().org_id("25")],
          "never another province's")


@tap.test("a running project ending within 30 days → the leader's acceptance_due (due its end); gone once accepted")
def _():
    end = min(TODAY + datetime.timedelta(days=5), datetime.date(TODAY.year, 12, 31))
    p = approved_local(TODAY.year, end_date=end.isoformat())
    it = one(hung(), "acceptance_due", ("project", p["id"]))
    check_equal((it["due_on"], it["overdue"]), (end.isoformat(), False), "due on its end, not late yet")
    none(lan(), "acceptance_due", ("project", p["id"]), "the leader accepts")
    none(hn_leader(), "acceptance_due", ("project", p["id"]), "another province")
    p = hung().result("project.get", {"id": p["id"]})
    hung().result("project.accept", {"id": p["id"], "version": p["version"], "accepted_on": TODAY.isoformat(),
                                     "record_no": "BB-1"})
    none(hung(), "acceptance_due", ("project", p["id"]), "accepted")


@tap.test("the dashboard's late figures: deadline.overdue's items counted by kind and province (kc_overdue_counts "
          "agrees with kc_overdue_items on other days and scopes too)")
def _():
    d = tuan().result("report.dashboard", {})
    late = tuan().result("deadline.overdue", {})["items"]
    by_kind = {}
    for i in late:
        by_kind[i["kind"]] = by_kind.get(i["kind"], 0) + 1
    check_equal((d["late"]["total"], d["late"]["by_kind"]), (len(late), by_kind), "late by kind")
    check_equal(sum(r["late"] for r in d["by_province"]), len(late), "late by province")
    h = hung().result("report.dashboard", {})
    check_equal(h["late"]["total"], len(hung().result("deadline.overdue", {})["items"]), "a province's late")
    days = [TODAY + datetime.timedelta(days=n) for n in (-400, -40, -1, 0, 1, 17, 30, 60, 200)]
    days += [datetime.date(TODAY.year, m, dd) for m in (1, 3, 6, 12) for dd in (20, 22, 24, 25, 26)]
    check_equal(srv().overdue_counts_differ([x.isoformat() for x in days], (None, srv().org_id("25"))), "",
                "kc_overdue_counts = kc_overdue_items counted")


@tap.test("per_group: the first N of each of the home page's groups with the groups' sizes; group: one "
          "group's items, paged; the same items, order and counts as the whole list (sql/0054)")
def _():
    for client in (lan(), hung(), tuan(), mai()):
        whole = inbox(client)
        check(whole["next_cursor"] is None, "the whole list in one page", whole["total"])

        def group_of(i):
            return "late" if i["overdue"] else "sent_back" if i["sent_back"] else "todo"
        expect = {g: [i for i in whole["items"] if group_of(i) == g] for g in ("late", "sent_back", "todo")}
        check_equal(whole["counts"]["groups"], {g: len(v) for g, v in expect.items()}, "counts.groups")
        for n in (1, 2, 40):
            got = client.result("inbox.list", {"per_group": n})
            check_equal(got["items"], [i for i in whole["items"] if i in
                                       [x for v in expect.values() for x in v[:n]]],
                        "per_group %d: the first of each group, in the list's order" % n)
            check_equal((got["total"], got["counts"], got["next_cursor"]),
                        (whole["total"], whole["counts"], None), "per_group %d: every item counted" % n)
        for g, v in expect.items():
            page = client.result("inbox.list", {"group": g, "limit": 1, "cursor": "1"})
            check_equal((page["items"], page["total"], page["next_cursor"]),
                        (v[1:2], len(v), "2" if len(v) > 2 else None), "group %s, second item" % g)
            check_equal(page["counts"]["groups"][g], len(v), "group %s counted alone" % g)
    err = tuan().call("inbox.list", {"group": "urgent"})
    check(err.get("error", {}).get("code") == -32602, "an unknown group", err)
    err = tuan().call("inbox.list", {"per_group": 0})
    check(err.get("error", {}).get("code") == -32602, "per_group 0", err)


if __name__ == "__main__":
    tap.run()
