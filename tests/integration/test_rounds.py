#!/usr/bin/env python3
"""Reporting rounds (issue 15, sql/0026): the Ministry's approver opens a
round and every current province (34) gets its report; a province sees and
writes its own report only (another's: 1004), with the optimistic version
(1009); its leader sends it and the tables are frozen as sent; the Ministry
returns it with a comment or accepts it; the status transitions hold in the
database itself; events announce send/return/accept; the tables count a
merged province's predecessors; round.consolidate's national money table
equals report.summary over the same years and statuses, lists who has not
sent and puts every province's sections side by side; the documents
(report.export docx/odt/pdf of round_report and round_consolidated) read
back with the headings, the province's name and the totals."""

import base64
import datetime
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kctest  # noqa: E402
from kctest import check, check_equal  # noqa: E402

tap = kctest.Tap()
S = kctest.Suite()
srv, admin, user = S.srv, S.admin, S.user
TODAY = datetime.date.today()
BAD_STATUS = 1010
APPROVED = ["approved", "in_progress", "completed", "settled"]


def lan():
    return user("province_officer")["client"]


def hung():
    return user("province_leader")["client"]


def hn():
    return user("province_officer", "01.TTKC")["client"]


def hn_leader():
    return user("province_leader", "01.SCT")["client"]


def reviewer():
    return user("ministry_reviewer")["client"]


def approver():
    return user("ministry_approver")["client"]


def viewer():
    return user("viewer")["client"]


def org(code):
    return srv().org_id(code)


def project(client, plan_id, title, central, local, indicators):
    return client.result("project.create", {
        "plan_id": plan_id, "title": title, "content_category": "ND45.4.3",
        "budget_lines": [{"source": "central", "amount": central},
                         {"source": "counterpart", "amount": central * 3}],
        "indicators": indicators, "cap_code": "C02", "no_double_funding": True,
        "beneficiaries": [{"name": "Cơ sở thử", "kind": "household_business"}]})


def national_plan(officer, leader, org_ref, year, specs):
    """A national plan with one project per (central, indicators), forwarded
    by the province and approved through SQL as ministry_approver."""
    org_id = org_ref if isinstance(org_ref, int) else org(org_ref)
    plan = officer.result("plan.create", {"org_id": org_id, "year": year, "scope": "national"})
    ids = [project(officer, plan["id"], "Đề án %s %d/%d" % (org_id, year, i), c, 0, ind)["id"]
           for i, (c, ind) in enumerate(specs)]
    sub = officer.result("plan.submit", {"id": plan["id"], "version": plan["version"]})
    leader.result("plan.appraise", {"id": plan["id"], "version": sub["version"], "decision": "forward"})
    srv().sql("DO $$ BEGIN PERFORM kc_actor_set(NULL, 'ministry_approver'); "
              "UPDATE projects SET status = 'approved', stage = 'plan_approved', version = version + 1 "
              "WHERE plan_id = %d; END $$" % plan["id"])
    return plan, ids


def open_round(**over):
    params = {"title": "Tổng kết Chương trình khuyến công giai đoạn 2021-2025 và xây dựng Chương trình "
                       "giai đoạn 2026-2030",
              "document_no": "8474/BCT-ĐMST", "signed_on": (TODAY - datetime.timedelta(days=30)).isoformat(),
              "kind": "summary", "from_year": 2021, "to_year": 2025,
              "due_on": (TODAY + datetime.timedelta(days=30)).isoformat()}
    params.update(over)
    return approver().result("round.create", params)


def table(report, key):
    for t in report["tables"]:
        if t["key"] == key:
            return t
    raise AssertionError("no table %s in %s" % (key, [t["key"] for t in report["tables"]]))


# ---------------------------------------------------------------------------

@tap.test("the data: national projects of 25 (2022, 2024), of old 26 (2023, now part of 25), of 01 (2023)")
def _():
    national_plan(lan(), hung(), "25.TTKC", 2022, [
        (300000000, [{"code": "I04", "target": 3}]), (200000000, [{"code": "I01", "target": 40}])])
    national_plan(lan(), hung(), "25.TTKC", 2024, [(250000000, [{"code": "I04", "target": 4}])])
    old26 = int(srv().sql("SELECT id FROM orgs WHERE code = '26.TTKC' AND valid_to IS NOT NULL").strip())
    national_plan(lan(), hung(), old26, 2023, [(100000000, [{"code": "I04", "target": 1}])])
    national_plan(hn(), hn_leader(), "01.TTKC", 2023, [(400000000, [{"code": "I04", "target": 6}])])
    # a project of 2026 is outside the period
    national_plan(lan(), hung(), "25.TTKC", 2026, [(900000000, [{"code": "I04", "target": 9}])])


@tap.test("round.create: the approver opens a round; the 34 current provinces get a report, not started")
def _():
    head = kctest.audit_head(admin())
    rd = open_round()
    S["round"] = rd
    check_equal(rd["counts"]["total"], 34, "reports")
    check_equal(rd["counts"]["not_started"], 34, "not started")
    check_equal(rd["counts"]["late"], 0, "late before the due day")
    check_equal([s["key"] for s in rd["sections"]],
                ["results", "achievements", "shortcomings", "lessons", "proposals", "difficulties"],
                "the letter's outline")
    check(all(s["title"] and s["guidance"] for s in rd["sections"]), "titles and guidance", rd["sections"])
    check_equal(rd["tables"], ["money", "indicators", "products", "difficulties"], "tables")
    check_equal(len({r["org_id"] for r in rd["reports"]}), 34, "one report per province")
    check(org("25") in {r["org_id"] for r in rd["reports"]}, "Phú Thọ (34-map) is asked")
    rows = kctest.audit_entries(admin(), method="round.create")
    check(any(e["record_id"] == rd["id"] for e in rows), "audited", rows)
    check(kctest.audit_head(admin()) > head, "audit head moved")
    # an outline of one's own
    own = open_round(title="Báo cáo năm 2025", kind="periodic", from_year=2025, to_year=2025,
                     sections=[{"key": "ket_qua", "title": "Kết quả"}, {"key": "kien_nghi", "title": "Kiến nghị",
                                                                          "guidance": "Ngắn gọn"}],
                     tables=["money"])
    check_equal([(s["key"], s["guidance"]) for s in own["sections"]], [("ket_qua", ""), ("kien_nghi", "Ngắn gọn")],
                "own outline")
    S["periodic"] = own


@tap.test("round.create refuses bad parameters (-32602), bad rules (1022) and other roles (1003)")
def _():
    base = {"title": "X", "document_no": "1/BCT", "signed_on": "2026-01-01", "kind": "summary",
            "from_year": 2021, "to_year": 2025, "due_on": "2026-03-01"}
    e = approver().error("round.create", dict(base, kind="monthly"), kctest.INVALID_PARAMS)
    check_equal(kctest.field_names(e), ["kind"], "kind")
    e = approver().error("round.create", dict(base, to_year=2020), kctest.INVALID_PARAMS)
    check_equal(kctest.field_names(e), ["to_year"], "to_year")
    e = approver().error("round.create", dict(base, colour="red"), kctest.INVALID_PARAMS)
    check_equal(kctest.field_names(e), ["colour"], "unknown member")
    e = approver().error("round.create", dict(base, tables=["money", "weather"]), kctest.INVALID_PARAMS)
    check_equal(kctest.field_names(e), ["tables[1]"], "unknown table")
    e = approver().error("round.create", dict(base, due_on="2025-12-01"), kctest.RULE)
    check_equal(e["data"]["violations"][0]["field"], "due_on", "due before the letter")
    e = approver().error("round.create", dict(base, sections=[{"key": "a", "title": "A"}, {"key": "a", "title": "B"}]),
                         kctest.RULE)
    check_equal(e["data"]["violations"][0]["rule"], "unique", "key twice")
    e = approver().error("round.create", dict(base, sections=[{"key": "Có dấu", "title": "A"}]), kctest.RULE)
    check_equal(e["data"]["violations"][0]["field"], "sections[0].key", "key format")
    reviewer().error("round.create", base, kctest.FORBIDDEN)
    hung().error("round.create", base, kctest.FORBIDDEN)


@tap.test("a province sees its own report only (another's: 1004); the Ministry sees all")
def _():
    rd = S["round"]
    mine = lan().result("round.report_get", {"round_id": rd["id"]})
    check_equal(mine["org_id"], org("25"), "the officer's province")
    check_equal(mine["status"], "not_started", "status")
    check_equal([s["key"] for s in mine["sections"]], [s["key"] for s in rd["sections"]], "outline")
    check(all(s["text"] == "" and s["title"] and "guidance" in s for s in mine["sections"]), "empty texts")
    check_equal(lan().result("round.report_get", {"round_id": rd["id"], "org_id": org("25.TTKC")})["id"],
                mine["id"], "a body of the province names it too")
    lan().error("round.report_get", {"round_id": rd["id"], "org_id": org("01")}, kctest.NOT_FOUND)
    lan().error("round.report_get", {"round_id": 999999}, kctest.NOT_FOUND)
    got = lan().result("round.get", {"id": rd["id"]})
    check_equal([r["org_id"] for r in got["reports"]], [org("25")], "round.get: its own report")
    lst = lan().result("round.list", {})
    check(all([r["org_id"] for r in x["reports"]] == [org("25")] for x in lst["items"]), "round.list: own only")
    check_equal(viewer().result("round.report_get", {"round_id": rd["id"]})["org_id"], org("25"), "viewer")
    e = reviewer().error("round.report_get", {"round_id": rd["id"]}, kctest.INVALID_PARAMS)
    check_equal(kctest.field_names(e), ["org_id"], "the Ministry names the province")
    other = reviewer().result("round.report_get", {"round_id": rd["id"], "org_id": org("01")})
    check_equal(other["org_name"], "Thành phố Hà Nội", "the Ministry reads any")
    full = reviewer().result("round.list", {"limit": 1})
    check_equal(len(full["items"]), 1, "limit")
    check_equal(len(full["items"][0]["reports"]), 34, "the Ministry sees every report")
    check(full["next_cursor"] is not None, "a next page")
    rest = reviewer().result("round.list", {"cursor": full["next_cursor"]})
    check_equal([x["id"] for x in rest["items"]], [rd["id"]], "second page")
    hn().error("round.consolidate", {"round_id": rd["id"]}, kctest.FORBIDDEN)
    admin().error("round.list", {}, kctest.FORBIDDEN)


@tap.test("the tables: 25's projects and money of 2021–2025 with old 26's, indicators, live while drafting")
def _():
    rd = S["round"]
    r = lan().result("round.report_get", {"round_id": rd["id"]})
    check_equal([t["key"] for t in r["tables"]], ["money", "indicators", "products", "difficulties"], "tables")
    check_equal(r["tables_frozen"], False, "live")
    money = table(r, "money")
    check_equal(money["totals"]["projects"], 4, "25: 3 projects of its own + 1 of old 26")
    check_equal(money["totals"]["central"], 850000000, "central")
    check_equal(money["totals"]["counterpart"], 2550000000, "counterpart")
    check_equal(money["totals"]["total"], 3400000000, "total")
    check_equal(sorted({x["year"] for x in money["rows"]}), [2022, 2023, 2024], "years (2026 is outside)")
    ind = {x["code"]: x for x in table(r, "indicators")["rows"]}
    check_equal(ind["I04"]["planned"], 8, "I04 planned: 3 + 4 + 1")
    check_equal(ind["I01"]["planned"], 40, "I01")
    # I08 and I17–I20 from the registers, as report.programme counts them (sql/0039, sql/0030): the
    # typical products recognised in the round's years (the register, not what projects declared),
    # the projects themselves, their money and rate
    for n, year in enumerate((2023, 2024, 2019)):
        hung().result("typical_product.create", {
            "product_name": "Chè xanh Phú Thọ %d" % n, "establishment_name": "HTX chè Thanh Sơn", "level": "province",
            "year": year, "certificate_no": "GCN-VÒNG-%d" % n, "org_id": org("25")})
    pid = int(srv().sql("SELECT pr.id FROM projects pr JOIN plans pl ON pl.id = pr.plan_id WHERE pl.year = 2022"
                        " AND pl.org_id = %d LIMIT 1" % org("25.TTKC")).strip())
    srv().sql("INSERT INTO project_indicators (project_id, indicator, target, achieved) VALUES (%d, 'I08', 7, 7),"
              " (%d, 'I17', 50, 50) ON CONFLICT DO NOTHING" % (pid, pid))
    r = lan().result("round.report_get", {"round_id": rd["id"]})
    ind = {x["code"]: x for x in table(r, "indicators")["rows"]}
    want08 = int(srv().sql("SELECT count(*) FROM typical_products WHERE NOT revoked AND year BETWEEN 2021 AND 2025"
                           " AND kc_province_now(org_id) = %d" % org("25")).strip())
    check_equal((ind["I08"]["achieved"], want08), (2, 2), "I08 achieved = the register's count (2019 is outside)")
    check_equal(ind["I08"]["planned"], 7, "I08 planned as the bình chọn projects declared it")
    check_equal((ind["I17"]["planned"], ind["I17"]["achieved"]), (4, 0), "I17: the 4 projects, declared 50 ignored")
    check_equal(ind["I18"]["planned"], 3400000000, "I18: their budget lines")
    hnr = reviewer().result("round.report_get", {"round_id": rd["id"], "org_id": org("01")})
    check_equal(table(hnr, "money")["totals"]["central"], 400000000, "01's own")
    per = lan().result("round.report_get", {"round_id": S["periodic"]["id"]})
    check_equal([t["key"] for t in per["tables"]], ["money"], "the periodic round attaches money only")
    check_equal(table(per, "money")["totals"]["projects"], 0, "nothing approved in 2025")


@tap.test("round.report_update: the province writes; stale version 1009; unknown section 1022; roles")
def _():
    rd = S["round"]
    r = lan().result("round.report_get", {"round_id": rd["id"]})
    head = kctest.audit_head(admin())
    u = lan().result("round.report_update", {"round_id": rd["id"], "version": r["version"],
                                             "sections": [{"key": "results", "text": "Đạt 8 mô hình.\nVượt kế hoạch."}]})
    check_equal((u["status"], u["version"]), ("drafting", r["version"] + 1), "drafting")
    check_equal(u["sections"][0]["text"], "Đạt 8 mô hình.\nVượt kế hoạch.", "text kept")
    rows = kctest.audit_entries(admin(), method="round.report_update")
    check(any(e["record_id"] == r["id"] for e in rows), "audited")
    check(kctest.audit_head(admin()) > head, "audit head moved")
    e = hung().error("round.report_update", {"round_id": rd["id"], "version": r["version"],
                                             "sections": [{"key": "lessons", "text": "x"}]}, kctest.CONFLICT)
    check_equal(e["data"]["current_version"], u["version"], "current_version")
    e = hung().error("round.report_update", {"round_id": rd["id"], "version": u["version"],
                                             "sections": [{"key": "weather", "text": "x"}]}, kctest.RULE)
    check_equal(e["data"]["violations"][0]["field"], "sections[0].key", "unknown key")
    e = hung().error("round.report_update", {"round_id": rd["id"], "version": u["version"],
                                             "sections": [{"key": "lessons"}]}, kctest.INVALID_PARAMS)
    check_equal(kctest.field_names(e), ["sections[0].text"], "text required")
    u2 = hung().result("round.report_update", {"round_id": rd["id"], "version": u["version"],
                                               "sections": [{"key": "lessons", "text": "Bài học."},
                                                            {"key": "difficulties", "text": "Thiếu vốn đối ứng."}]})
    check_equal({s["key"]: s["text"] for s in u2["sections"]}["results"], "Đạt 8 mô hình.\nVượt kế hoạch.",
                "other texts stay")
    S["v25"] = u2["version"]
    reviewer().error("round.report_update", {"round_id": rd["id"], "version": 1, "sections": []}, kctest.FORBIDDEN)
    viewer().error("round.report_update", {"round_id": rd["id"], "version": 1, "sections": []}, kctest.FORBIDDEN)


@tap.test("round.create announces topic round to the Ministry and every province of the round")
def _():
    ministry = srv().login(user("ministry_reviewer")["username"], user("ministry_reviewer")["password"])
    ministry.result("events.subscribe", {"topics": ["round"]})
    prov = srv().login(user("province_leader")["username"], user("province_leader")["password"])
    prov.result("events.subscribe", {"topics": ["round"]})
    rd = open_round(title="Báo cáo 6 tháng", kind="periodic", from_year=2026, to_year=2026)
    for who, c in (("the Ministry", ministry), ("Phú Thọ", prov)):
        ev = c.wait_event(kctest.scaled(10), status="opened")
        check(ev is not None and ev["params"]["topic"] == "round" and ev["params"]["id"] == rd["id"],
              "%s hears the round open" % who, ev)
    prov.wait_event(kctest.scaled(1), status="nothing")
    check_equal(len([e for e in prov.events if e["params"]["id"] == rd["id"]]), 1, "one event per province")


@tap.test("round.report_send: the leader sends; tables frozen; late flag; events to the Ministry; 1010 after")
def _():
    rd = S["round"]
    # an officer may not send; not_started may not be sent
    lan().error("round.report_send", {"round_id": rd["id"], "version": S["v25"]}, kctest.FORBIDDEN)
    hnr = hn_leader().result("round.report_get", {"round_id": rd["id"]})
    hn_leader().error("round.report_send", {"round_id": rd["id"], "version": hnr["version"]}, BAD_STATUS)
    watcher = srv().login(user("ministry_approver")["username"], user("ministry_approver")["password"])
    S["watcher"] = watcher
    watcher.result("events.subscribe", {"topics": ["round_report"]})
    sent = hung().result("round.report_send", {"round_id": rd["id"], "version": S["v25"]})
    check_equal((sent["status"], sent["late"], sent["tables_frozen"]), ("sent", False, True), "sent")
    check(sent["sent_at"], "sent_at")
    ev = watcher.wait_event(kctest.scaled(10), status="sent")
    check(ev is not None, "the Ministry hears of it")
    check_equal((ev["params"]["topic"], ev["params"]["id"], ev["params"]["version"]),
                ("round_report", sent["id"], sent["version"]), "event")
    # a new 2023 project of 25 after sending: the live figures change, the sent ones do not
    national_plan(lan(), hung(), "25.TTKC", 2023, [(50000000, [{"code": "I04", "target": 2}])])
    again = reviewer().result("round.report_get", {"round_id": rd["id"], "org_id": org("25")})
    check_equal(table(again, "money")["totals"]["central"], 850000000, "frozen as sent")
    check_equal(table(again, "money"), table(sent, "money"), "the same table")
    e = hung().error("round.report_update", {"round_id": rd["id"], "version": sent["version"],
                                             "sections": [{"key": "lessons", "text": "sửa"}]}, BAD_STATUS)
    check_equal(e["data"]["status"], "sent", "status in data")
    # the database refuses what no function would do
    for stmt in ("UPDATE round_reports SET status = 'drafting' WHERE id = %d" % sent["id"],
                 "UPDATE round_reports SET tables = '[]' WHERE id = %d" % sent["id"],
                 "UPDATE round_reports SET texts = '{}' WHERE id = %d" % sent["id"],
                 "DELETE FROM round_reports WHERE id = %d" % sent["id"]):
        rc, _, err = kctest.psql_try(stmt, db=srv().dbname)
        check(rc != 0, "not refused: " + stmt, err)
    # a late one: the periodic round's due day has passed
    late_round = open_round(title="Quá hạn", kind="periodic", from_year=2024, to_year=2024,
                            signed_on=(TODAY - datetime.timedelta(days=40)).isoformat(),
                            due_on=(TODAY - datetime.timedelta(days=1)).isoformat())
    r = hn().result("round.report_get", {"round_id": late_round["id"]})
    check_equal(r["late"], True, "late before it is sent")
    u = hn().result("round.report_update", {"round_id": late_round["id"], "version": r["version"],
                                            "sections": [{"key": "results", "text": "Muộn."}]})
    s = hn_leader().result("round.report_send", {"round_id": late_round["id"], "version": u["version"]})
    check_equal((s["status"], s["late"]), ("sent", True), "sent late")
    S["late_round"] = late_round


@tap.test("the Ministry returns (reviewer) and accepts (approver); the province hears; transitions hold")
def _():
    rd = S["round"]
    prov = srv().login(user("province_leader")["username"], user("province_leader")["password"])
    prov.result("events.subscribe", {"topics": ["round_report"]})
    other = srv().login(user("province_leader", "01.SCT")["username"], user("province_leader", "01.SCT")["password"])
    other.result("events.subscribe", {"topics": ["round_report"]})
    reviewer().error("round.report_return", {"round_id": rd["id"], "org_id": org("25")}, kctest.INVALID_PARAMS)
    ret = reviewer().result("round.report_return", {"round_id": rd["id"], "org_id": org("25"),
                                                    "comment": "Bổ sung đánh giá chỉ tiêu I01."})
    check_equal((ret["status"], ret["returned_comment"]), ("returned", "Bổ sung đánh giá chỉ tiêu I01."), "returned")
    ev = prov.wait_event(kctest.scaled(10), status="returned")
    check(ev is not None and ev["params"]["id"] == ret["id"], "the province hears of it", ev)
    other.wait_event(kctest.scaled(1), status="returned")
    check(not [e for e in other.events if e["params"]["id"] == ret["id"]], "another province hears nothing",
          other.events)
    reviewer().error("round.report_accept", {"round_id": rd["id"], "org_id": org("25")}, kctest.FORBIDDEN)
    approver().error("round.report_accept", {"round_id": rd["id"], "org_id": org("25")}, BAD_STATUS)
    reviewer().error("round.report_return", {"round_id": rd["id"], "org_id": org("25"), "comment": "x"},
                     BAD_STATUS)
    u = lan().result("round.report_update", {"round_id": rd["id"], "version": ret["version"],
                                             "sections": [{"key": "results", "text": "Đạt 8 mô hình; I01: 40 lao động."}]})
    check_equal(u["status"], "drafting", "back to drafting")
    check_equal(u["tables"], None, "a save does not recount the tables")
    live = lan().result("round.report_get", {"round_id": rd["id"]})
    check_equal(table(live, "money")["totals"]["central"], 900000000, "live again: the 2023 project added")
    s = hung().result("round.report_send", {"round_id": rd["id"], "version": u["version"]})
    check_equal(table(s, "money")["totals"]["central"], 900000000, "frozen anew")
    approver().error("round.report_accept", {"round_id": rd["id"], "org_id": org("25"), "version": 1},
                     kctest.CONFLICT)
    acc = approver().result("round.report_accept", {"round_id": rd["id"], "org_id": org("25")})
    check_equal(acc["status"], "accepted", "accepted")
    ev = prov.wait_event(kctest.scaled(10), status="accepted")
    check(ev is not None, "the province hears of the acceptance")
    reviewer().error("round.report_return", {"round_id": rd["id"], "org_id": org("25"), "comment": "x"},
                     BAD_STATUS)
    hung().error("round.report_return", {"round_id": rd["id"], "org_id": org("25"), "comment": "x"},
                 kctest.FORBIDDEN)
    for m in ("round.report_return", "round.report_accept", "round.report_send"):
        rows = kctest.audit_entries(admin(), method=m)
        check(rows, "%s audited" % m)
    prov.close()
    other.close()


@tap.test("round.consolidate: national tables equal report.summary; who has not sent; sections side by side")
def _():
    rd = S["round"]
    # Hà Nội sends too
    r = hn().result("round.report_get", {"round_id": rd["id"]})
    u = hn().result("round.report_update", {"round_id": rd["id"], "version": r["version"],
                                            "sections": [{"key": "results", "text": "Hà Nội đạt 6 mô hình."}]})
    hn_leader().result("round.report_send", {"round_id": rd["id"], "version": u["version"]})
    c = reviewer().result("round.consolidate", {"round_id": rd["id"]})
    money = table(c, "money")
    summary = reviewer().result("report.summary", {"from_year": 2021, "to_year": 2025, "group_by": ["source"],
                                                   "filters": {"status": APPROVED}})
    by_source = {x["source"]: x["planned"] for x in summary["rows"]}
    check_equal(money["totals"]["central"], by_source.get("central", 0), "central = report.summary")
    check_equal(money["totals"]["counterpart"], by_source.get("counterpart", 0), "counterpart = report.summary")
    check_equal(money["totals"]["total"], summary["totals"]["planned"], "total = report.summary")
    check_equal(money["totals"]["projects"], summary["totals"]["projects"], "projects = report.summary")
    check_equal(money["totals"]["central"], 1300000000, "by hand: 25 (900 M with old 26) + 01 (400 M)")
    by_year = reviewer().result("report.summary", {"from_year": 2021, "to_year": 2025, "group_by": ["year"],
                                                   "filters": {"status": APPROVED}})
    years = {}
    for x in money["rows"]:
        years[x["year"]] = years.get(x["year"], 0) + x["total"]
    check_equal(years, {x["year"]: x["planned"] for x in by_year["rows"]}, "by year = report.summary")
    check_equal(len(c["not_sent"]), 32, "32 have not sent")
    check(org("25") not in {x["org_id"] for x in c["not_sent"]}, "25 sent")
    check_equal(len(c["provinces"]), 34, "every province listed")
    p25 = [x for x in c["provinces"] if x["org_id"] == org("25")][0]
    check_equal((p25["status"], p25["projects"], p25["total"]), ("accepted", 5, 3600000000), "25's line")
    res = [s for s in c["sections"] if s["key"] == "results"][0]
    check_equal({p["org_name"]: p["text"] for p in res["provinces"]},
                {"Tỉnh Phú Thọ": "Đạt 8 mô hình; I01: 40 lao động.", "Thành phố Hà Nội": "Hà Nội đạt 6 mô hình."},
                "the results of both side by side")


# ---------------------------------------------------------------------------
# Documents

def export(client, report, params, fmt):
    r = client.result("report.export", {"report": report, "params": params, "format": fmt}, timeout=120)
    data = base64.b64decode(r["content_base64"])
    check_equal(len(data), r["size"], "size")
    return r, data


def soffice_text(data, ext):
    """The document as LibreOffice reads it, as plain text (None without
    LibreOffice Writer)."""
    soffice = shutil.which("soffice")
    if soffice is None:
        return None
    with tempfile.TemporaryDirectory() as d:
        src = os.path.join(d, "doc." + ext)
        with open(src, "wb") as f:
            f.write(data)
        p = subprocess.run([soffice, "-env:UserInstallation=file://" + os.path.join(d, "profile"), "--headless",
                            "--convert-to", "txt:Text (encoded):UTF8", "--outdir", os.path.join(d, "out"), src],
                           capture_output=True, text=True, timeout=180)
        out = os.path.join(d, "out", "doc.txt")
        if not os.path.exists(out):
            if "writer" in (p.stderr + p.stdout).lower() or p.returncode != 0:
                return None
            return None
        with open(out, encoding="utf-8-sig") as f:
            return f.read()


def xml_text(data, part):
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        xml = z.read(part).decode("utf-8")
    return re.sub(r"<[^>]+>", " ", xml)


def check_document_text(text, what, *needles):
    flat = re.sub(r"\s+", " ", text)
    for n in needles:
        check(n in flat, "%s: %r missing" % (what, n), flat[:3000])


@tap.test("report.export round_report as docx and odt: a NĐ 30 document with headings, province, totals")
def _():
    rd = S["round"]
    needles = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "ỦY BAN NHÂN DÂN TỈNH PHÚ THỌ",
               "Phú Thọ, ngày", "BÁO CÁO", "Kính gửi: Bộ Công Thương", "I. KẾT QUẢ THỰC HIỆN SO VỚI MỤC TIÊU",
               "VI. KHÓ KHĂN, VƯỚNG MẮC", "Đạt 8 mô hình; I01: 40 lao động.", "Nơi nhận:", "GIÁM ĐỐC",
               "8474/BCT-ĐMST", "900.000.000", "3.600.000.000")
    r, docx = export(hung(), "round_report", {"round_id": rd["id"], "org_id": org("25")}, "docx")
    check_equal(r["mime_type"], "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "mime")
    check(r["filename"].endswith(".docx"), "filename", r["filename"])
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        check(z.testzip() is None, "docx zip intact")
        check({"[Content_Types].xml", "word/document.xml", "word/styles.xml", "_rels/.rels"} <= set(z.namelist()),
              "docx parts", z.namelist())
    check_document_text(xml_text(docx, "word/document.xml"), "docx XML", *needles)
    r, odt = export(hung(), "round_report", {"round_id": rd["id"], "org_id": org("25")}, "odt")
    check_equal(r["mime_type"], "application/vnd.oasis.opendocument.text", "odt mime")
    with zipfile.ZipFile(io.BytesIO(odt)) as z:
        first = z.infolist()[0]
        check_equal((first.filename, first.compress_type), ("mimetype", zipfile.ZIP_STORED), "ODF mimetype first, stored")
        check_equal(z.read("mimetype"), b"application/vnd.oasis.opendocument.text", "mimetype")
    check_document_text(xml_text(odt, "content.xml"), "odt XML", *needles)
    for data, ext in ((docx, "docx"), (odt, "odt")):
        text = soffice_text(data, ext)
        if text is None:
            tap.diag("LibreOffice Writer is not installed: %s checked as XML only" % ext)
            continue
        check_document_text(text, "LibreOffice's reading of the " + ext, *needles)
    # another province's report: 1004, through the export too
    hn().error("report.export", {"report": "round_report", "params": {"round_id": rd["id"], "org_id": org("25")},
                                 "format": "docx"}, kctest.NOT_FOUND)
    # a table report is not a document
    e = reviewer().error("report.export", {"report": "summary", "format": "odt",
                                           "params": {"from_year": 2021, "to_year": 2025, "group_by": []}},
                         kctest.INVALID_PARAMS)
    check_equal(kctest.field_names(e), ["format"], "docx/odt are for documents")
    # the same sent report gives the same bytes
    _, again = export(hung(), "round_report", {"round_id": rd["id"], "org_id": org("25")}, "docx")
    check_equal(again, docx, "deterministic docx")


def pdf_text(data):
    """The PDF's text in reading order (not -layout: the two-column heading
    block of NĐ 30 would interleave its columns line by line)."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(data)
        f.flush()
        p = subprocess.run(["pdftotext", f.name, "-"], capture_output=True, text=True)
    check(p.returncode == 0, "pdftotext reads it", p.stderr)
    return p.stdout


NATIONAL = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "BỘ CÔNG THƯƠNG", "Hà Nội, ngày", "BÁO CÁO",
            "Kính gửi: Thủ tướng Chính phủ", "I. KẾT QUẢ THỰC HIỆN SO VỚI MỤC TIÊU", "VI. KHÓ KHĂN, VƯỚNG MẮC",
            "Tỉnh Phú Thọ", "Thành phố Hà Nội", "CÁC ĐỊA PHƯƠNG CHƯA GỬI BÁO CÁO", "1.300.000.000",
            "Nơi nhận:", "KT. BỘ TRƯỞNG", "THỨ TRƯỞNG")


@tap.test("report.export round_consolidated as docx, odt and pdf, read back: headings, provinces, national totals")
def _():
    rd = S["round"]
    # the national total of the money table, as round.consolidate (= report.summary) gives it
    total = table(reviewer().result("round.consolidate", {"round_id": rd["id"]}), "money")["totals"]["total"]
    total_text = "{:,}".format(total).replace(",", ".")
    summary = reviewer().result("report.summary", {"from_year": 2021, "to_year": 2025, "group_by": [],
                                                   "filters": {"status": APPROVED}})
    check_equal(total, summary["totals"]["planned"], "the national total = report.summary's")
    needles = NATIONAL + (total_text,)
    r, docx = export(reviewer(), "round_consolidated", {"round_id": rd["id"]}, "docx")
    check_equal(r["mime_type"], "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "mime")
    check_document_text(xml_text(docx, "word/document.xml"), "national docx XML", *needles,
                        "Tỉnh Phú Thọ: Đạt 8 mô hình", "Thành phố Hà Nội: Hà Nội đạt 6 mô hình.")
    r, odt = export(reviewer(), "round_consolidated", {"round_id": rd["id"]}, "odt")
    check_equal(r["mime_type"], "application/vnd.oasis.opendocument.text", "odt mime")
    check_document_text(xml_text(odt, "content.xml"), "national odt XML", *needles)
    for data, ext in ((docx, "docx"), (odt, "odt")):
        text = soffice_text(data, ext)
        if text is None:
            tap.diag("LibreOffice Writer is not installed: national %s checked as XML only" % ext)
            continue
        check_document_text(text, "LibreOffice's reading of the national " + ext, *needles,
                            "Tỉnh Phú Thọ: Đạt 8 mô hình", "Thành phố Hà Nội: Hà Nội đạt 6 mô hình.")
    r, pdf = export(reviewer(), "round_consolidated", {"round_id": rd["id"]}, "pdf")
    check(pdf.startswith(b"%PDF-"), "a PDF")
    check_equal(r["mime_type"], "application/pdf", "pdf mime")
    check_document_text(pdf_text(pdf), "the national PDF", *needles)
    lan().error("report.export", {"report": "round_consolidated", "params": {"round_id": rd["id"]},
                                  "format": "docx"}, kctest.FORBIDDEN)


@tap.test("report.export round_report as pdf, read back: headings, the province, its totals; csv")
def _():
    rd = S["round"]
    r, pdf = export(hung(), "round_report", {"round_id": rd["id"], "org_id": org("25")}, "pdf")
    check(pdf.startswith(b"%PDF-"), "a PDF")
    check_document_text(pdf_text(pdf), "the PDF", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "ỦY BAN NHÂN DÂN TỈNH PHÚ THỌ",
                        "Phú Thọ, ngày", "BÁO CÁO", "Kính gửi: Bộ Công Thương",
                        "I. KẾT QUẢ THỰC HIỆN SO VỚI MỤC TIÊU", "VI. KHÓ KHĂN, VƯỚNG MẮC", "Nơi nhận:", "GIÁM ĐỐC",
                        "900.000.000", "3.600.000.000")
    # csv still gives the money table
    r, csv = export(hung(), "round_report", {"round_id": rd["id"], "org_id": org("25")}, "csv")
    check("Nội dung khuyến công" in csv.decode("utf-8-sig"), "csv header")


@tap.test("the server exits cleanly")
def _():
    for key, u in list(S.items()):
        if isinstance(u, dict) and "client" in u:
            u["client"].close()
    if "watcher" in S:
        S["watcher"].close()
    if "admin" in S:
        S["admin"].close()
    srv().stop()


tap.run()
