#!/usr/bin/env python3
"""Correspondence (kiến nghị, vướng mắc) and deadlines (issue 4): a province
opens a request, both sides reply, the Ministry answers, it is closed;
an open request past its working-day deadline is overdue; attachments on a
request; another province gets 1004; deadline.overdue lists a running
project without the progress report of a past month; an audit row for
every write."""

import datetime
import hashlib
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kctest  # noqa: E402
from kctest import check, check_equal  # noqa: E402

tap = kctest.Tap()
S = kctest.Suite()
srv, admin, user = S.srv, S.admin, S.user
TODAY = datetime.date.today()


def lan():
    return user("province_officer")["client"]


def hung():
    return user("province_leader")["client"]


def reviewer():
    return user("ministry_reviewer")["client"]


def hn():
    return user("province_officer", "01.TTKC")["client"]


def audit_rows_since(seq):
    return [e for e in admin().result("audit.list", {"limit": 50})["items"] if e["seq"] > seq]


def last_seq():
    items = admin().result("audit.list", {"limit": 1})["items"]
    return items[0]["seq"] if items else 0


def open_request(client=None, **extra):
    p = {"subject": "Vướng mắc về tạm ứng", "body": "Đề nghị Bộ hướng dẫn mức tạm ứng lần một."}
    p.update(extra)
    return (client or lan()).result("correspondence.open", p)


def approved_local_project(year):
    plan = lan().result("plan.create", {"org_id": srv().org_id("25.TTKC"), "year": year, "scope": "local"})
    proj = lan().result("project.create", {
        "plan_id": plan["id"], "title": "Đề án đang thực hiện", "content_category": "ND45.4.3",
        "budget_lines": [{"source": "central", "amount": 300000000},
                         {"source": "counterpart", "amount": 700000000}],
        "indicators": [{"code": "I01", "target": 30}], "cap_code": "C02", "no_double_funding": True,
        "beneficiaries": [{"name": "Cơ sở thử", "kind": "household_business"}]})
    sub = lan().result("plan.submit", {"id": plan["id"], "version": plan["version"]})
    hung().result("plan.approve_local", {"id": plan["id"], "version": sub["version"],
                                         "decision_no": "1/QĐ-UBND", "decision_date": "%d-01-05" % year,
                                         "issuer": "UBND tỉnh"})
    return lan().result("project.get", {"id": proj["id"]})


@tap.test("open → reply by both sides → the Ministry answers → closed, each write audited")
def _():
    seq = last_seq()
    c = open_request()
    check(c["status"] == "open" and c["version"] == 1 and c["overdue"] is False
          and c["org_id"] == srv().org_id("25") and c["messages"] == [], "opened", c)
    m1 = hung().result("correspondence.reply", {"id": c["id"], "body": "Bổ sung: hồ sơ kèm theo."})
    m2 = reviewer().result("correspondence.reply", {"id": c["id"], "body": "Bộ đang xem xét."})
    check_equal((m1["author_role"], m2["author_role"]), ("province_leader", "ministry_reviewer"), "authors")
    # the province may not answer (role gate), a stale version is 1009
    lan().error("correspondence.answer", {"id": c["id"], "version": 1, "answer": "x"}, kctest.FORBIDDEN)
    e = reviewer().error("correspondence.answer", {"id": c["id"], "version": 7, "answer": "x"}, kctest.CONFLICT)
    check_equal(e["data"]["current_version"], 1, "current version")
    a = user("ministry_approver")["client"].result(
        "correspondence.answer", {"id": c["id"], "version": 1, "answer": "Mức tạm ứng theo TT 36/2013 Điều 12."})
    check(a["status"] == "answered" and a["version"] == 2 and a["answer"].startswith("Mức")
          and len(a["messages"]) == 2, "answered", a)
    reviewer().error("correspondence.answer", {"id": c["id"], "version": 2, "answer": "y"}, 1010)
    closed = lan().result("correspondence.close", {"id": c["id"], "version": 2})
    check(closed["status"] == "closed" and closed["closed_at"] and closed["version"] == 3, "closed", closed)
    reviewer().error("correspondence.reply", {"id": c["id"], "body": "muộn"}, 1010)
    got = user("viewer")["client"].result("correspondence.get", {"id": c["id"]})
    check_equal([m["body"] for m in got["messages"]], ["Bổ sung: hồ sơ kèm theo.", "Bộ đang xem xét."], "thread")
    rows = audit_rows_since(seq)
    # refusals (the 1003 above) are on record too (issue 13): not writes
    check_equal(sorted(r["method"] for r in rows if r["method"].startswith("correspondence.")
                       and (r.get("after") or {}).get("result") != "refused"),
                sorted(["correspondence.open", "correspondence.reply", "correspondence.reply",
                        "correspondence.answer", "correspondence.close"]), "audit methods")
    check(all(r["record_type"] in ("correspondence", "correspondence_message")
              for r in rows if r["method"].startswith("correspondence.")
              and (r.get("after") or {}).get("result") != "refused"), "record types", rows)
    # the Ministry may close one too
    c2 = open_request(subject="Đóng bởi Bộ")
    check_equal(reviewer().result("correspondence.close", {"id": c2["id"], "version": 1})["status"], "closed",
                "closed by the Ministry")


@tap.test("open with a plan and project of the province; another province's plan → 1022")
def _():
    p = approved_local_project(TODAY.year + 1)
    c = open_request(plan_id=p["plan_id"], project_id=p["id"])
    check_equal((c["plan_id"], c["project_id"]), (p["plan_id"], p["id"]), "links")
    hn().error("correspondence.open", {"subject": "x", "body": "y", "project_id": p["id"]}, kctest.RULE)
    reviewer().error("correspondence.open", {"subject": "x", "body": "y"}, kctest.FORBIDDEN)


@tap.test("an open request past the working-day deadline is overdue (list flag, filter, deadline.overdue)")
def _():
    c = open_request(subject="Chưa được trả lời")
    srv().sql("UPDATE correspondence SET opened_at = now() - interval '30 days' WHERE id = %d" % c["id"])
    fresh = open_request(subject="Mới mở")
    got = reviewer().result("correspondence.get", {"id": c["id"]})
    check(got["overdue"] is True and got["due"] < TODAY.isoformat(), "overdue", got)
    check(reviewer().result("correspondence.get", {"id": fresh["id"]})["overdue"] is False, "fresh not overdue")
    ids = [x["id"] for x in reviewer().result("correspondence.list", {"overdue": True})["items"]]
    check(c["id"] in ids and fresh["id"] not in ids, "overdue filter", ids)
    ids = [x["id"] for x in lan().result("correspondence.list", {"status": "open", "limit": 1000})["items"]]
    check(c["id"] in ids and fresh["id"] in ids, "province list", ids)
    od = reviewer().result("deadline.overdue", {"kind": "correspondence"})
    mine = [i for i in od["items"] if i["correspondence_id"] == c["id"]]
    check(len(mine) == 1 and mine[0]["responsible"] == "ministry" and mine[0]["days_late"] > 0
          and mine[0]["org_id"] == srv().org_id("25"), "deadline.overdue item", od)
    check(all(i["kind"] == "correspondence" for i in od["items"]), "kind filter", od)
    # the dashboard's counts (kc_overdue_counts, sql/0051) are these rows counted
    check_equal(srv().overdue_counts_differ([TODAY.isoformat(), (TODAY + datetime.timedelta(days=20)).isoformat()],
                                            (None, srv().org_id("25"))), "", "kc_overdue_counts")
    # the due day skips weekends: 10 working days are 14 calendar days from a Monday
    due = srv().sql("SELECT kc_working_day_due(date '2026-03-02', 10)").strip()
    check_equal(due, "2026-03-16", "working days")
    # and holidays: from Tuesday 28/04/2026, 30/4 and 1/5 are not counted
    due = srv().sql("SELECT kc_working_day_due(date '2026-04-28', 3)").strip()
    check_equal(due, "2026-05-05", "working days around holidays")
    # answered: no longer overdue
    a = reviewer().result("correspondence.answer", {"id": c["id"], "version": 1, "answer": "Đã trả lời"})
    check(a["overdue"] is False, "answered not overdue", a)


@tap.test("attachments on a correspondence: upload by the province, visible to the Ministry, not to another province")
def _():
    c = open_request(subject="Có tệp kèm")
    data = b"%PDF-1.4\n% kien nghi\n%%EOF\n"
    b = lan().result("attachment.begin", {"owner_type": "correspondence", "owner_id": c["id"],
                                          "file_name": "kien-nghi.pdf", "size": len(data),
                                          "sha256": hashlib.sha256(data).hexdigest()})
    import base64
    lan().result("attachment.put", {"id": b["id"], "seq": 0, "data": base64.b64encode(data).decode()})
    lan().result("attachment.finish", {"id": b["id"]})
    items = reviewer().result("attachment.list", {"owner_type": "correspondence", "owner_id": c["id"]})["items"]
    check_equal([x["id"] for x in items], [b["id"]], "the Ministry sees it")
    hn().error("attachment.list", {"owner_type": "correspondence", "owner_id": c["id"]}, kctest.NOT_FOUND)
    hn().error("attachment.begin", {"owner_type": "correspondence", "owner_id": c["id"],
                                    "file_name": "x.pdf", "size": len(data),
                                    "sha256": hashlib.sha256(data).hexdigest()}, kctest.NOT_FOUND)


@tap.test("another province: get, reply, close, list filter and deadline.overdue filter → 1004; list empty")
def _():
    c = open_request(subject="Của tỉnh 25")
    hn().error("correspondence.get", {"id": c["id"]}, kctest.NOT_FOUND)
    hn().error("correspondence.reply", {"id": c["id"], "body": "x"}, kctest.NOT_FOUND)
    hn().error("correspondence.close", {"id": c["id"], "version": 1}, kctest.NOT_FOUND)
    hn().error("correspondence.list", {"org_id": srv().org_id("25")}, kctest.NOT_FOUND)
    hn().error("deadline.overdue", {"org_id": srv().org_id("25")}, kctest.NOT_FOUND)
    ids = [x["id"] for x in hn().result("correspondence.list", {"limit": 1000})["items"]]
    check(c["id"] not in ids, "not listed to 01", ids)
    mine = open_request(client=hn(), subject="Của Hà Nội")
    check_equal(mine["org_id"], srv().org_id("01"), "01's own")
    ids = [x["id"] for x in reviewer().result("correspondence.list", {"org_id": srv().org_id("01")})["items"]]
    check(mine["id"] in ids and c["id"] not in ids, "the Ministry filters by province", ids)


@tap.test("correspondence.list pages with limit and cursor")
def _():
    for i in range(3):
        open_request(subject="Trang %d" % i)
    seen, cursor = [], None
    while True:
        p = {"limit": 2}
        if cursor:
            p["cursor"] = cursor
        r = lan().result("correspondence.list", p)
        check(len(r["items"]) <= 2, "page size", r)
        seen += [x["id"] for x in r["items"]]
        cursor = r.get("next_cursor")
        if not cursor:
            break
    check_equal(seen, sorted(set(seen), reverse=True), "newest first, no repeats")
    check(len(seen) >= 3, "all pages", seen)


@tap.test("deadline.overdue lists a running project without the progress report of a past month")
def _():
    year = TODAY.year - 1
    p = approved_local_project(year)
    lan().result("progress.report", {"project_id": p["id"], "period": "%d-02" % year, "percent_done": 10,
                                     "indicators": []})
    od = hung().result("deadline.overdue", {"kind": "progress_report"})
    mine = sorted(i["period"] for i in od["items"] if i["project_id"] == p["id"])
    want = ["%d-%02d-01" % (year, m) for m in range(1, 13) if m != 2]
    check_equal(mine, want, "missing months")
    item = [i for i in od["items"] if i["project_id"] == p["id"]][0]
    check(item["due"] == "%d-01-25" % year and item["org_id"] == srv().org_id("25")
          and item["responsible"] == "province" and item["project_code"] == p["code"], "item", item)
    proj = [x for x in od["by_project"] if x["project_id"] == p["id"]]
    check(proj and proj[0]["count"] == 11, "by_project", od["by_project"])
    prov = [x for x in od["by_province"] if x["org_id"] == srv().org_id("25")]
    check(prov and prov[0]["count"] >= 11, "by_province", od["by_province"])
    # another province sees none of it; the Ministry sees it
    check(all(i["project_id"] != p["id"] for i in hn().result("deadline.overdue", {})["items"]), "01 sees none")
    check(any(i["project_id"] == p["id"] for i in reviewer().result(
        "deadline.overdue", {"org_id": srv().org_id("25")})["items"]), "the Ministry sees it")


@tap.test("calendar rules: monthly progress, province reports and settlement with their acts")
def _():
    rules = {r["rule"]: r for r in admin().result("catalog.get", {})["calendar_rules"] if r["year"] == 2026}
    check_equal(rules["progress_monthly"]["due"], "2026-01-25", "monthly")
    check_equal(rules["settlement_deadline"]["due"], "2027-01-22", "settlement")
    check_equal(rules["province_report_six_month"]["due"], "2026-06-20", "six-month")
    check_equal(rules["province_report_annual"]["confidence"], "U", "annual confidence")


tap.run()
