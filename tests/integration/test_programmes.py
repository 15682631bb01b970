#!/usr/bin/env python3
"""Programmes, targets and reports (issue 5): the seeded national
programmes with their targets' confidence; a province builds its local
programme (draft → approved by its leader); national targets per province
kept by the Ministry; scope (another province: 1004), roles (1003), stale
versions (1009), status (1010); report.programme, report.province,
report.registration_list and report.cost_estimate figures equal plain SQL
over the base rows and follow the export contract (srv-export.h); a
province's quarterly / 6-month / annual reports are listed by
deadline.overdue until report.province_send records them."""

import datetime
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kctest  # noqa: E402
from kctest import check, check_equal  # noqa: E402

tap = kctest.Tap()
S = kctest.Suite()
srv, admin, user = S.srv, S.admin, S.user
TODAY = datetime.date.today()
LAST = TODAY.year - 1
COLUMN_TYPES = {"text", "integer", "money", "percent", "date"}


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


def sql_json(statement):
    return json.loads(srv().sql(statement).strip() or "null")


def national(period):
    items = reviewer().result("programme.list", {"period": period, "scope": "national"})["items"]
    check_equal(len(items), 1, "one national programme for " + period)
    return items[0]


def project(client, plan_id, title, central, indicators, counterpart=None):
    return client.result("project.create", {
        "plan_id": plan_id, "title": title, "content_category": "ND45.4.3",
        "budget_lines": [{"source": "central", "amount": central},
                         {"source": "counterpart", "amount": counterpart or central * 3}],
        "indicators": indicators, "cap_code": "C02", "no_double_funding": True,
        "beneficiaries": [{"name": "Cơ sở thử", "kind": "household_business"}]})


def national_plan(officer, leader, org, year, specs):
    """A national plan of @org for @year with one project per spec
    (central, indicators), forwarded by the province and approved through
    SQL as ministry_approver (the Ministry's approval is tested elsewhere)."""
    org_id = org if isinstance(org, int) else srv().org_id(org)
    plan = officer.result("plan.create", {"org_id": org_id, "year": year, "scope": "national"})
    ids = [project(officer, plan["id"], "Đề án %s %d/%d" % (org_id, year, i), c, ind)["id"]
           for i, (c, ind) in enumerate(specs)]
    sub = officer.result("plan.submit", {"id": plan["id"], "version": plan["version"]})
    leader.result("plan.appraise", {"id": plan["id"], "version": sub["version"], "decision": "forward"})
    kctest.approve_in_plan_sql(srv(), plan["id"])
    return plan, [officer.result("project.get", {"id": i}) for i in ids]


def local_plan(officer, leader, org, year, specs):
    plan = officer.result("plan.create", {"org_id": srv().org_id(org), "year": year, "scope": "local"})
    ids = [project(officer, plan["id"], "Đề án địa phương %s %d/%d" % (org, year, i), c, ind)["id"]
           for i, (c, ind) in enumerate(specs)]
    sub = officer.result("plan.submit", {"id": plan["id"], "version": plan["version"]})
    leader.result("plan.approve_local", {"id": plan["id"], "version": sub["version"],
                                         "decision_no": "%d/QĐ-UBND" % year,
                                         "decision_date": min(datetime.date(year, 1, 5), TODAY).isoformat(),
                                         "issuer": "UBND tỉnh"})
    return plan, [officer.result("project.get", {"id": i}) for i in ids]


def accept(leader, proj, on, achieved):
    return leader.result("project.accept", {
        "id": proj["id"], "version": proj["version"], "accepted_on": on, "record_no": "NT-%d" % proj["id"],
        "indicators": [{"code": c, "achieved": a} for c, a in achieved.items()]})


def check_export_shape(report, what):
    """The contract of server/srv-export.h."""
    for member in ("title", "generated_at", "columns", "rows"):
        check(member in report, "%s: %s missing" % (what, member), list(report))
    check(isinstance(report["title"], str) and report["title"], what + ": title")
    keys = set()
    for col in report["columns"]:
        check(set(col) <= {"key", "label", "type", "group"} and col.get("key") and col.get("label"),
              what + ": column shape", col)
        check(col["type"] in COLUMN_TYPES, what + ": column type", col)
        keys.add(col["key"])
    check(isinstance(report["rows"], list), what + ": rows")
    for row in report["rows"]:
        for col in report["columns"]:
            v = row.get(col["key"])
            if v is None:
                continue
            if col["type"] in ("integer", "money"):
                check(isinstance(v, int) and not isinstance(v, bool), what + ": integer cell", col, row)
            elif col["type"] == "percent":
                check(isinstance(v, (int, float)), what + ": percent cell", col, row)
            elif col["type"] == "date":
                datetime.date.fromisoformat(v)
            else:
                check(isinstance(v, str), what + ": text cell", col, row)
    if report.get("totals") is not None:
        check(set(report["totals"]) <= keys, what + ": totals keys are column keys", report["totals"])
    if report.get("issuer") is not None:
        check(set(report["issuer"]) <= {"parent", "name"} and report["issuer"].get("name"),
              what + ": issuer", report["issuer"])


# ---------------------------------------------------------------------------

@tap.test("the national programmes are seeded with the DOMAIN §4 targets and their confidence")
def _():
    items = lan().result("programme.list", {"scope": "national"})["items"]
    check_equal([(x["period"], x["decision_no"], x["status"]) for x in items],
                [("KCQG-2014-2020", "QĐ 1288/QĐ-TTg", "approved"),
                 ("KCQG-2021-2025", "QĐ 1881/QĐ-TTg", "approved"),
                 ("KCQG-2026-2030", "QĐ 2646/QĐ-BCT", "approved")], "national programmes")
    p = lan().result("programme.get", {"id": items[1]["id"]})
    t = {x["indicator"]: (x["target"], x["confidence"]) for x in p["targets"]}
    check_equal(t["I04"], (340, "C"), "340 demonstration models, confirmed")
    check_equal(t["I05"], (1600, "C"), "1,600 machines, confirmed")
    check_equal(t["I01"], (10000, "P"), "10,000 trained, partly confirmed")
    old = {x["indicator"]: x for x in lan().result("programme.get", {"id": items[0]["id"]})["targets"]}
    check(old["I01"]["target"] == 300000 and old["I01"]["confidence"] == "U"
          and "dự thảo" in old["I01"]["note"], "draft figures are U", old["I01"])
    check(lan().result("programme.get", {"id": items[2]["id"]})["targets"] == [], "2026–2030: no targets read")


@tap.test("a province builds its local programme: draft → approved by its leader; then fixed")
def _():
    seq = admin().result("audit.list", {"limit": 1})["items"][0]["seq"]
    p = lan().result("programme.create", {"period": "KCQG-2026-2030", "scope": "local",
                                          "org_id": srv().org_id("25.TTKC")})
    check(p["status"] == "draft" and p["org_id"] == srv().org_id("25") and p["version"] == 1
          and "Phú Thọ" in p["title"], "created for the province", p)
    lan().error("programme.create", {"period": "KCQG-2026-2030", "scope": "local"}, kctest.RULE)
    p = lan().result("programme.set_targets", {
        "id": p["id"], "version": 1,
        "targets": [{"indicator": "I01", "target": 500}, {"indicator": "I04", "target": 12, "confidence": "P"}],
        "budget": [{"source": "local", "amount": 20000000000}]})
    check_equal(p["version"], 2, "version raised")
    check_equal(sorted((t["indicator"], t["target"], t["province_id"]) for t in p["targets"]),
                [("I01", 500, None), ("I04", 12, None)], "targets")
    # stale version, bad indicator, another province's share
    err = lan().error("programme.set_targets", {"id": p["id"], "version": 1, "targets": []}, kctest.CONFLICT)
    check_equal(err["data"]["current_version"], 2, "current_version")
    lan().error("programme.set_targets", {"id": p["id"], "version": 2,
                                          "targets": [{"indicator": "I99", "target": 1}]}, kctest.RULE)
    lan().error("programme.set_targets", {"id": p["id"], "version": 2,
                                          "targets": [{"indicator": "I01", "target": 1,
                                                       "province_id": srv().org_id("01")}]}, kctest.RULE)
    # scope: another province cannot read or edit it; the Ministry reads but does not edit
    hn().error("programme.get", {"id": p["id"]}, kctest.NOT_FOUND)
    hn().error("programme.update", {"id": p["id"], "version": 2, "title": "x"}, kctest.NOT_FOUND)
    check(all(x["id"] != p["id"] for x in hn().result("programme.list", {})["items"]), "not listed to 01")
    check_equal(reviewer().result("programme.get", {"id": p["id"]})["id"], p["id"], "the Ministry reads it")
    approver().error("programme.update", {"id": p["id"], "version": 2, "title": "x"}, kctest.FORBIDDEN)
    # the officer may not approve (role gate); the leader approves
    lan().error("programme.approve", {"id": p["id"], "version": 2, "decision_no": "1/QĐ-UBND",
                                      "decision_date": "2026-02-01"}, kctest.FORBIDDEN)
    p = lan().result("programme.update", {"id": p["id"], "version": 2, "note": "Dự thảo lần 2"})
    a = hung().result("programme.approve", {"id": p["id"], "version": 3, "decision_no": "1/QĐ-UBND",
                                            "decision_date": "2026-02-01"})
    check(a["status"] == "approved" and a["version"] == 4 and a["issuer"].startswith("Ủy ban nhân dân")
          and a["decision_no"] == "1/QĐ-UBND", "approved", a)
    lan().error("programme.set_targets", {"id": p["id"], "version": 4, "targets": []}, 1010)
    lan().error("programme.update", {"id": p["id"], "version": 4, "title": "x"}, 1010)
    check(srv().sql("SELECT count(*) FROM programme_targets WHERE programme_id = %d" % p["id"]).strip() == "2",
          "targets kept")
    # one audit row per write
    rows = [e for e in admin().result("audit.list", {"record_type": "programme", "record_id": p["id"]})["items"]
            if e["seq"] > seq]
    check_equal(sorted(e["method"] for e in rows),
                ["programme.approve", "programme.create", "programme.set_targets", "programme.update"], "audit")


@tap.test("the national programme is kept by the Ministry: provinces 1003, stale 1009, per-province shares")
def _():
    p = national("KCQG-2021-2025")
    lan().error("programme.update", {"id": p["id"], "version": p["version"], "title": "x"}, kctest.FORBIDDEN)
    lan().error("programme.create", {"period": "KCQG-2021-2025", "scope": "national"}, kctest.FORBIDDEN)
    approver().error("programme.create", {"period": "KCQG-2021-2025", "scope": "national"}, kctest.RULE)
    approver().error("programme.create", {"period": "KCQG-2026-2030", "scope": "local"}, kctest.FORBIDDEN)
    full = reviewer().result("programme.get", {"id": p["id"]})
    targets = [{k: t[k] for k in ("indicator", "target", "confidence", "source_ref", "note") if t[k] is not None}
               for t in full["targets"]]
    targets += [{"indicator": "I04", "target": 40, "province_id": srv().org_id("25")},
                {"indicator": "I04", "target": 30, "province_id": srv().org_id("01")},
                {"indicator": "I01", "target": 900, "province_id": srv().org_id("25")}]
    p2 = admin().result("programme.set_targets", {"decision": {"number": "99/QĐ-BCT", "date": "2026-05-04", "signer": "Bộ trưởng"}, "id": p["id"], "version": p["version"], "targets": targets,
                                                  "budget": [{"source": "central", "amount": 525000000000,
                                                              "confidence": "U"}]})
    check_equal(p2["version"], p["version"] + 1, "version")
    approver().error("programme.set_targets", {"id": p["id"], "version": p["version"], "targets": targets},
                     kctest.CONFLICT)
    u = approver().result("programme.update", {"decision": {"number": "99/QĐ-BCT", "date": "2026-05-04", "signer": "Bộ trưởng"}, "id": p["id"], "version": p2["version"],
                                               "source_ref": "QĐ 1881/QĐ-TTg"})
    check_equal((u["version"], u["source_ref"]), (p2["version"] + 1, "QĐ 1881/QĐ-TTg"), "updated")
    S["national_2125"] = u


@tap.test("report.programme: each target beside planned and achieved, nationally and per province, = SQL")
def _():
    if "national_2125" not in S:
        check(False, "needs the previous test")
    prog = S["national_2125"]
    # 25: two projects in 2022 (one accepted), one in 2024 accepted; 01: one in 2023 accepted
    _, p25 = national_plan(lan(), hung(), "25.TTKC", 2022, [
        (300000000, [{"code": "I04", "target": 3}, {"code": "I01", "target": 100}]),
        (200000000, [{"code": "I04", "target": 2}])])
    accept(hung(), p25[0], "2022-11-30", {"I04": 3, "I01": 85})
    _, p25b = national_plan(lan(), hung(), "25.TTKC", 2024, [(250000000, [{"code": "I04", "target": 4}])])
    accept(hung(), p25b[0], "2024-10-01", {"I04": 5})
    _, p01 = national_plan(hn(), hn_leader(), "01.TTKC", 2023, [(400000000, [{"code": "I04", "target": 6}])])
    accept(hn_leader(), p01[0], "2023-12-01", {"I04": 6})
    # Vĩnh Phúc (old 26) became part of Phú Thọ (25) on 01/07/2025: its project
    # of 2023 counts for 25 today, as does a share set for it
    old26 = int(srv().sql("SELECT id FROM orgs WHERE code = '26.TTKC' AND valid_to IS NOT NULL").strip())
    _, p26 = national_plan(lan(), hung(), old26, 2023, [(100000000, [{"code": "I04", "target": 1}])])
    accept(hung(), p26[0], "2023-10-10", {"I04": 1})
    cur = approver().result("programme.get", {"id": prog["id"]})
    targets = [{k: t[k] for k in ("indicator", "target", "province_id") if t[k] is not None} for t in cur["targets"]]
    targets.append({"indicator": "I04", "target": 5,
                    "province_id": int(srv().sql("SELECT id FROM orgs WHERE code = '26' AND kind = 'province' "
                                                 "AND valid_to IS NOT NULL").strip())})
    approver().result("programme.set_targets", {"decision": {"number": "99/QĐ-BCT", "date": "2026-05-04", "signer": "Bộ trưởng"}, "id": prog["id"], "version": cur["version"], "targets": targets})
    # a local project of 2022 does not count for the national programme of 2021–2025
    local_plan(lan(), hung(), "25.TTKC", 2022, [(100000000, [{"code": "I04", "target": 9}])])

    r = reviewer().result("report.programme", {"period": "KCQG-2021-2025"})
    check_export_shape(r, "report.programme")
    check_equal(r["programme"]["id"], prog["id"], "the programme")
    want = sql_json("""
      WITH prj AS (
        SELECT pr.id, pr.status, pl.org_id FROM projects pr JOIN plans pl ON pl.id = pr.plan_id
         WHERE pl.scope = 'national' AND pl.year BETWEEN 2021 AND 2025
           AND pr.status IN ('approved', 'in_progress', 'completed', 'settled')),
      areas AS (SELECT NULL::bigint AS area UNION ALL SELECT id FROM orgs WHERE id IN (%d, %d)),
      ind AS (SELECT a.area, i.indicator, sum(i.target) AS planned,
                     sum(CASE WHEN x.status IN ('completed', 'settled') THEN coalesce(i.achieved, 0) ELSE 0 END) AS achieved
                FROM areas a JOIN prj x ON a.area IS NULL OR x.org_id IN (SELECT org_subtree(a.area))
                     OR x.org_id IN (SELECT org_subtree(l.old_org_id) FROM org_lineage l WHERE l.new_org_id = a.area)
                JOIN project_indicators i ON i.project_id = x.id GROUP BY 1, 2)
      SELECT json_agg(json_build_array(area, indicator, planned, achieved)) FROM ind
    """ % (srv().org_id("25"), srv().org_id("01")))
    want = {(a, c): (p, x) for a, c, p, x in want}
    got = {(x["province_id"], x["code"]): (x["planned"], x["achieved"]) for x in r["rows"]
           if x["code"].startswith("I")}
    for key, value in want.items():
        check_equal(got.get(key, (0, 0)), value, "planned/achieved of %r" % (key,))
    check_equal(got[(None, "I04")], (16, 15), "national I04 by hand")
    check_equal(got[(srv().org_id("25"), "I04")], (10, 9), "25's I04 by hand, with old 26's")
    rows = {(x["province_id"], x["code"]): x for x in r["rows"]}
    check_equal((rows[(None, "I04")]["target"], rows[(None, "I04")]["percent"]), (340, round(15 * 100 / 340, 1)),
                "national target and percent")
    check_equal((rows[(srv().org_id("25"), "I04")]["target"], rows[(srv().org_id("25"), "I04")]["percent"]),
                (45, 20.0), "25's share (with old 26's) and percent")
    check_equal(rows[(srv().org_id("01"), "I04")]["percent"], 20.0, "01: 6 of 30")
    check_equal(rows[(None, "I05")]["achieved"], 0, "a target nothing achieved yet is listed")
    check_equal(rows[(srv().org_id("25"), "I01")]["percent"], round(85 * 100 / 900, 1), "25 I01")
    check_equal(rows[(None, "I01")]["area"], "Toàn quốc", "the whole programme first")
    # budget: the envelope beside the budget lines of approved / accepted projects
    money = sql_json("""
      SELECT json_build_array(sum(b.amount),
                              sum(b.amount) FILTER (WHERE pr.status IN ('completed', 'settled')))
        FROM project_budget_lines b JOIN projects pr ON pr.id = b.project_id JOIN plans pl ON pl.id = pr.plan_id
       WHERE b.source = 'central' AND pl.scope = 'national' AND pl.year BETWEEN 2021 AND 2025
         AND pr.status IN ('approved', 'in_progress', 'completed', 'settled')""")
    kp = rows[(None, "KP.central")]
    check_equal((kp["target"], kp["planned"], kp["achieved"]), (525000000000, money[0], money[1]), "budget row")
    check_equal((kp["planned"], kp["achieved"]), (1250000000, 1050000000), "budget by hand")

    # a province sees its own rows only, and not another province's
    mine = lan().result("report.programme", {"period": "KCQG-2021-2025"})
    check(mine["rows"] and {x["province_id"] for x in mine["rows"]} == {srv().org_id("25")}, "25 only", mine["rows"])
    check_equal({x["code"]: x["achieved"] for x in mine["rows"]}["I04"], 9, "25's achieved")
    check_equal(mine["rows"], [x for x in r["rows"] if x["province_id"] == srv().org_id("25")],
                "the province sees the Ministry's figures for it")
    lan().error("report.programme", {"period": "KCQG-2021-2025", "province_id": srv().org_id("01")},
                kctest.NOT_FOUND)
    one = reviewer().result("report.programme", {"programme_id": prog["id"], "province_id": srv().org_id("01")})
    check({x["province_id"] for x in one["rows"]} == {srv().org_id("01")}, "filtered by province", one["rows"])
    reviewer().error("report.programme", {"programme_id": prog["id"], "period": "KCQG-2021-2025"},
                     kctest.INVALID_PARAMS)
    reviewer().error("report.programme", {"period": "KCQG-2031-2035"}, kctest.NOT_FOUND)


@tap.test("report.programme: I08 and I17–I20 come from the registers (typical products, projects, budget lines, disbursements, priority areas), not from what projects declared")
def _():
    if "national_2125" not in S:
        check(False, "needs the previous tests")
    r = reviewer().result("report.programme", {"period": "KCQG-2021-2025"})
    rows = {(x["province_id"], x["code"]): x for x in r["rows"]}
    want = sql_json("""
      WITH prj AS (
        SELECT pr.id, pr.status, pr.priority_area,
               (SELECT coalesce(sum(amount), 0) FROM project_budget_lines b WHERE b.project_id = pr.id) AS lines,
               (SELECT coalesce(sum(amount), 0) FROM project_budget_lines b WHERE b.project_id = pr.id
                  AND b.source IN ('central', 'local')) AS support,
               (SELECT coalesce(sum(CASE WHEN kind = 'refund' THEN -amount ELSE amount END), 0)
                  FROM disbursements d WHERE d.project_id = pr.id) AS paid
          FROM projects pr JOIN plans pl ON pl.id = pr.plan_id
         WHERE pl.scope = 'national' AND pl.year BETWEEN 2021 AND 2025
           AND pr.status IN ('approved', 'in_progress', 'completed', 'settled'))
      SELECT json_build_array(count(*), count(*) FILTER (WHERE status IN ('completed', 'settled')),
                              sum(lines), sum(paid), round(sum(paid) * 100.0 / nullif(sum(support), 0)),
                              count(*) FILTER (WHERE priority_area IS NOT NULL),
                              count(*) FILTER (WHERE priority_area IS NOT NULL AND status IN ('completed', 'settled')))
        FROM prj""")
    got = [rows[(None, "I17")]["planned"], rows[(None, "I17")]["achieved"],
           rows[(None, "I18")]["planned"], rows[(None, "I18")]["achieved"], rows[(None, "I19")]["achieved"],
           rows[(None, "I20")]["planned"], rows[(None, "I20")]["achieved"]]
    check_equal(got, want, "I17 (projects), I18 (money), I19 (rate), I20 (priority areas) = SQL")
    check(want[0] >= 5 and want[1] >= 4, "the projects of the earlier tests counted", want)
    # I08: achieved from the register of typical products (the period's rounds, not revoked)
    uid = int(srv().sql("SELECT min(id) FROM users").strip())
    p25 = srv().org_id("25")
    for n, (level, year, revoked) in enumerate([("province", 2023, False), ("regional", 2024, False),
                                                ("province", 2022, True), ("national", 2019, False)]):
        srv().sql("INSERT INTO typical_products (product_name, establishment_name, level, year,"
                  " certificate_no, valid_until, revoked, org_id, created_by) VALUES ('Sản phẩm %d', 'Cơ sở',"
                  " '%s', %d, 'GCN-I08-%d', '%d-12-31', %s, %d, %d)"
                  % (n, level, year, n, year + 2, "true" if revoked else "false", p25, uid))
    want08 = int(srv().sql("SELECT count(*) FROM typical_products WHERE NOT revoked AND year BETWEEN 2021 AND 2025")
                 .strip())
    r = reviewer().result("report.programme", {"period": "KCQG-2021-2025"})
    rows = {(x["province_id"], x["code"]): x for x in r["rows"]}
    check_equal(rows[(None, "I08")]["achieved"], want08, "I08 nationally from the register")
    check_equal(rows[(p25, "I08")]["achieved"], 2, "25's two valid certificates of 2021–2025")
    # a project that declares I17 itself does not change the count
    pid = int(srv().sql("SELECT pr.id FROM projects pr JOIN plans pl ON pl.id = pr.plan_id WHERE pl.scope ="
                        " 'national' AND pl.year = 2022 AND pr.status IN ('completed', 'settled') LIMIT 1").strip())
    srv().sql("INSERT INTO project_indicators (project_id, indicator, target, achieved) VALUES (%d, 'I17', 50, 50)"
              " ON CONFLICT DO NOTHING" % pid)
    again = reviewer().result("report.programme", {"period": "KCQG-2021-2025"})
    check_equal([x for x in again["rows"] if x["province_id"] is None and x["code"] == "I17"][0]["planned"],
                want[0], "declared I17 ignored")


@tap.test("report.programme of a local programme counts the province's local projects of the period")
def _():
    p = lan().result("programme.create", {"period": "KCQG-2021-2025", "scope": "local",
                                          "title": "Chương trình khuyến công Phú Thọ 2021–2025"})
    p = lan().result("programme.set_targets", {"id": p["id"], "version": p["version"],
                                               "targets": [{"indicator": "I04", "target": 20}]})
    _, prj = local_plan(lan(), hung(), "25.TTKC", 2023, [(100000000, [{"code": "I04", "target": 7}])])
    accept(hung(), prj[0], "2023-09-09", {"I04": 7})
    r = hung().result("report.programme", {"period": "KCQG-2021-2025", "scope": "local"})
    check_export_shape(r, "local report.programme")
    want = sql_json("""
      SELECT json_build_array(sum(i.target), sum(coalesce(i.achieved, 0)) FILTER (WHERE pr.status IN ('completed', 'settled')))
        FROM project_indicators i JOIN projects pr ON pr.id = i.project_id JOIN plans pl ON pl.id = pr.plan_id
       WHERE i.indicator = 'I04' AND pl.scope = 'local' AND pl.year BETWEEN 2021 AND 2025
         AND pl.org_id IN (SELECT org_subtree(%d))
         AND pr.status IN ('approved', 'in_progress', 'completed', 'settled')""" % srv().org_id("25"))
    row = [x for x in r["rows"] if x["code"] == "I04"][0]
    check_equal((row["target"], row["planned"], row["achieved"]), (20, want[0], want[1]), "local I04")
    check_equal((row["planned"], row["achieved"]), (16, 7), "by hand: 9 + 7 planned, 7 accepted")
    check_equal(r["programme"]["id"], p["id"], "by period and the caller's province")
    hn().error("report.programme", {"programme_id": p["id"]}, kctest.NOT_FOUND)
    check_equal(reviewer().result("report.programme", {"programme_id": p["id"]})["rows"], r["rows"],
                "the Ministry sees the same figures")


@tap.test("report.province: projects, budget execution to the cut-off, progress and indicators = SQL")
def _():
    y = LAST
    plan, prj = national_plan(lan(), hung(), "25.TTKC", y, [(300000000, [{"code": "I04", "target": 2}])])
    pid = prj[0]["id"]
    approver().result("budget.set_appropriation", {"year": y, "source": "central", "amount": 10 ** 12})
    approver().result("budget.allocate", {"project_id": pid, "version": prj[0]["version"], "amount": 300000000})
    cur = lan().result("project.get", {"id": pid})
    approver().result("budget.contract", {"project_id": pid, "version": cur["version"], "number": "HĐ-%d" % y,
                                          "signed_on": "%d-01-10" % y, "amount": 300000000})
    lan().result("progress.report", {"project_id": pid, "period": "%d-02" % y, "percent_done": 30,
                                     "indicators": [{"code": "I04", "achieved": 1}]})
    r = lan().result("progress.report", {"project_id": pid, "period": "%d-05" % y, "percent_done": 80,
                                         "indicators": [{"code": "I04", "achieved": 1}]})
    # a model's first advance after a confirmed report of more than 70 % done (sql/0039)
    hung().result("progress.confirm", {"id": r["id"], "version": r["version"]})
    approver().result("budget.disburse", {"project_id": pid, "kind": "advance", "amount": 90000000,
                                          "date": "%d-06-01" % y, "document_no": "UNC-1"})
    cur = lan().result("project.get", {"id": pid})
    accept(hung(), cur, "%d-07-20" % y, {"I04": 2})
    approver().result("budget.disburse", {"project_id": pid, "kind": "final", "amount": 200000000,
                                          "date": "%d-08-01" % y, "document_no": "UNC-2"})
    _, loc = local_plan(lan(), hung(), "25.TTKC", y, [(50000000, [{"code": "I01", "target": 40}])])
    lan().result("progress.report", {"project_id": loc[0]["id"], "period": "%d-03" % y, "percent_done": 50,
                                     "indicators": [{"code": "I01", "achieved": 25}]})

    expected = {"q1": (0, 0, 30, None, 1), "q2": (90000000, 90000000, 80, None, 1),
                "h1": (90000000, 90000000, 80, None, 1), "q3": (200000000, 290000000, 80, "%d-07-20" % y, 2),
                "q4": (0, 290000000, 80, "%d-07-20" % y, 2), "year": (290000000, 290000000, 80, "%d-07-20" % y, 2)}
    for period, (paid_period, paid_total, pct, accepted, i04) in expected.items():
        r = hung().result("report.province", {"org_id": srv().org_id("25.SCT"), "year": y, "period": period})
        check_export_shape(r, "report.province " + period)
        row = [x for x in r["rows"] if x["project_id"] == pid][0]
        check_equal((row["paid_period"], row["paid_total"], row["percent_done"], row["accepted_on"]),
                    (paid_period, paid_total, pct, accepted), "national project in " + period)
        ind = {x["code"]: x for x in r["indicators"]}
        check_equal(ind["I04"]["achieved"], i04, "I04 achieved by the cut-off of " + period)
        # every row and total against plain SQL over the base rows
        want = sql_json("""
          WITH c AS (SELECT date '%s' AS f, date '%s' AS t),
          prj AS (SELECT pr.id FROM projects pr JOIN plans pl ON pl.id = pr.plan_id
                   WHERE pl.year = %d AND pl.org_id IN (SELECT org_subtree(%d)))
          SELECT json_object_agg(prj.id, json_build_array(
            (SELECT coalesce(sum(amount), 0) FROM project_budget_lines b WHERE b.project_id = prj.id),
            (SELECT coalesce(sum(amount), 0) FROM allocations a, c WHERE a.project_id = prj.id
               AND (a.allocated_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date <= c.t),
            (SELECT coalesce(sum(CASE kind WHEN 'refund' THEN -amount ELSE amount END), 0) FROM disbursements d, c
              WHERE d.project_id = prj.id AND d.paid_on BETWEEN c.f AND c.t),
            (SELECT coalesce(sum(CASE kind WHEN 'refund' THEN -amount ELSE amount END), 0) FROM disbursements d, c
              WHERE d.project_id = prj.id AND d.paid_on <= c.t))) FROM prj
        """ % (r["cutoff"]["from"], r["cutoff"]["to"], y, srv().org_id("25")))
        got = {str(x["project_id"]): [x["total"], x["allocated"], x["paid_period"], x["paid_total"]]
               for x in r["rows"]}
        check_equal(got, want, "rows of " + period)
        check_equal([x["stt"] for x in r["rows"]], list(range(1, len(r["rows"]) + 1)), "numbered")
        check_equal([x["scope"] for x in r["rows"]], sorted((x["scope"] for x in r["rows"]),
                                                            key=lambda s: s != "KCQG"), "national first")
        for k in ("total", "allocated", "paid_period", "paid_total", "central", "counterpart"):
            check_equal(r["totals"][k], sum(x[k] for x in r["rows"]), "totals." + k)
    q1 = hung().result("report.province", {"org_id": srv().org_id("25"), "year": y, "period": "q1"})
    check_equal((q1["cutoff"], q1["due"]), ({"from": "%d-12-15" % (y - 1), "to": "%d-03-14" % y}, "%d-03-20" % y),
                "cut-off and due of q1")
    check_equal({x["code"]: x["achieved"] for x in q1["indicators"]}["I01"], 25, "local progress by the cut-off")
    check(q1["issuer"]["name"] == "Sở Công Thương Phú Thọ" and q1["place"] == "Phú Thọ", "heading", q1["issuer"])
    yr = hung().result("report.province", {"org_id": srv().org_id("25"), "year": y, "period": "year"})
    check_equal(yr["cutoff"], {"from": "%d-12-15" % (y - 1), "to": "%d-12-14" % y}, "annual cut-off")
    check({p["id"] for p in yr["plans"]} >= {plan["id"]}, "the plans", yr["plans"])
    # scope: another province 1004; the Ministry may read it; a viewer of 25 too
    hn().error("report.province", {"org_id": srv().org_id("25"), "year": y, "period": "q1"}, kctest.NOT_FOUND)
    check_equal(reviewer().result("report.province", {"org_id": srv().org_id("25"), "year": y,
                                                      "period": "q1"})["totals"], q1["totals"], "the Ministry")
    user("viewer")["client"].result("report.province", {"org_id": srv().org_id("25"), "year": y, "period": "q1"})
    reviewer().error("report.province", {"org_id": srv().org_id("BCT.CKC"), "year": y, "period": "q1"},
                     kctest.NOT_FOUND)
    hung().error("report.province", {"org_id": srv().org_id("25"), "year": y, "period": "q5"},
                 kctest.INVALID_PARAMS)


@tap.test("province reports past their deadline are overdue until sent; sending is audited and kept")
def _():
    y = LAST
    local_plan(hn(), hn_leader(), "01.TTKC", y, [(50000000, [])])
    od = hn().result("deadline.overdue", {"kind": "province_report"})
    mine = sorted((i["period"], i["due"]) for i in od["items"] if i["org_id"] == srv().org_id("01"))
    due = {"q1": "%d-03-20", "h1": "%d-06-20", "q3": "%d-09-20", "year": "%d-12-20"}
    ends = {"q1": "%d-03-31", "h1": "%d-06-30", "q3": "%d-09-30", "year": "%d-12-31"}
    check_equal([p for p, _ in mine if p.startswith(str(y))],
                sorted(ends[k] % y for k in due), "last year's four reports")
    item = [i for i in od["items"] if i["period"] == "%d-03-31" % y and i["org_id"] == srv().org_id("01")][0]
    check(item["responsible"] == "province" and item["due"] == "%d-03-20" % y and item["days_late"] > 0
          and item["project_id"] is None, "item", item)
    this_year = sorted(ends[k] % TODAY.year for k in due if TODAY > datetime.date.fromisoformat(due[k] % TODAY.year))
    local_plan(hn(), hn_leader(), "01.TTKC", TODAY.year, [(50000000, [])])
    od = hn().result("deadline.overdue", {"kind": "province_report"})
    check_equal(sorted(i["period"] for i in od["items"] if i["period"].startswith(str(TODAY.year))),
                this_year, "this year's reports whose day has passed")
    check(all(i["org_id"] == srv().org_id("01") for i in od["items"]), "01 sees its own only", od["items"])
    check(any(i["org_id"] == srv().org_id("01") and i["kind"] == "province_report"
              for i in reviewer().result("deadline.overdue", {})["items"]), "the Ministry sees them")

    seq = admin().result("audit.list", {"limit": 1})["items"][0]["seq"]
    hn().error("report.province_send", {"org_id": srv().org_id("01"), "year": y, "period": "q1"}, kctest.FORBIDDEN)
    hung().error("report.province_send", {"org_id": srv().org_id("01"), "year": y, "period": "q1"},
                 kctest.NOT_FOUND)
    s = hn_leader().result("report.province_send", {"org_id": srv().org_id("01.SCT"), "year": y, "period": "q1",
                                                    "document_no": "15/BC-SCT"})
    check(s["province_id"] == srv().org_id("01") and s["late"] is True and s["document_no"] == "15/BC-SCT",
          "sent, late", s)
    od = hn().result("deadline.overdue", {"kind": "province_report"})
    left = sorted(i["period"] for i in od["items"] if i["period"].startswith(str(y)))
    check_equal(left, sorted(ends[k] % y for k in ("h1", "q3", "year")), "q1 no longer overdue")
    r = hn().result("report.province", {"org_id": srv().org_id("01"), "year": y, "period": "q1"})
    check(r["sent"] and r["sent"]["id"] == s["id"], "the report shows it was sent", r["sent"])
    kept = sql_json("SELECT content FROM province_reports WHERE id = %d" % s["id"])
    check_equal((kept["title"], kept["totals"]), (r["title"], r["totals"]), "what was sent is kept")
    rows = [e for e in admin().result("audit.list", {"limit": 20})["items"]
            if e["seq"] > seq and e["record_type"] == "province_report"]
    check_equal([(e["method"], e["record_id"]) for e in rows], [("report.province_send", s["id"])], "audited")
    # the year's annual report cannot be sent before its data are cut off
    if TODAY <= datetime.date(TODAY.year, 12, 14):
        err = hn_leader().error("report.province_send", {"org_id": srv().org_id("01"), "year": TODAY.year,
                                                         "period": "year"}, kctest.RULE)
        check_equal(err["data"]["violations"][0]["rule"], "open", "period still open")
    # the 6-month report covers the second quarter's deadline
    hn_leader().result("report.province_send", {"org_id": srv().org_id("01"), "year": y, "period": "h1"})
    od = hn().result("deadline.overdue", {"kind": "province_report"})
    check("%d-06-30" % y not in [i["period"] for i in od["items"]], "h1 sent")


@tap.test("registration: a province working in the system that has not sent its national plan by 20/6 is late")
def _():
    nxt = TODAY.year + 1
    due = datetime.date(TODAY.year, 6, 20)      # TT 36/2013 Art. 6 as amended by TT 17/2018
    local_plan(hn(), hn_leader(), "01.SCT", TODAY.year, [(50000000, [])])   # 01 works in the system

    def late():
        od = hn().result("deadline.overdue", {"kind": "registration"})
        check(all(i["org_id"] == srv().org_id("01") for i in od["items"]), "01 sees its own only", od["items"])
        return [(i["org_id"], i["due"], i["responsible"]) for i in od["items"] if i["period"] == "%d-01-01" % nxt]

    if TODAY <= due:
        check_equal(late(), [], "not due yet")
        return
    check_equal(late(), [(srv().org_id("01"), due.isoformat(), "province")], "next year's registration is late")
    check(any(i["org_id"] == srv().org_id("01") and i["kind"] == "registration"
              for i in reviewer().result("deadline.overdue", {})["items"]), "the Ministry sees it")
    national_plan(hn(), hn_leader(), "01.TTKC", nxt, [(100000000, [])])     # forwarded to the Ministry
    check_equal(late(), [], "sent on: no longer late")


@tap.test("report.registration_list (Mẫu 2): the year's national projects by province, totals = SQL")
def _():
    y = 2030
    _, a = national_plan(lan(), hung(), "25.TTKC", y, [(300000000, []), (120000000, [])])
    _, b = national_plan(hn(), hn_leader(), "01.TTKC", y, [(200000000, [])])
    draft = lan().result("plan.create", {"org_id": srv().org_id("25.TTKC"), "year": y, "scope": "local"})
    project(lan(), draft["id"], "Đề án địa phương", 50000000, [])
    r = reviewer().result("report.registration_list", {"year": y})
    check_export_shape(r, "report.registration_list")
    want = sql_json("""
      SELECT json_build_object('ids', json_agg(pr.id ORDER BY pr.id),
               'central', sum((SELECT coalesce(sum(amount), 0) FROM project_budget_lines WHERE project_id = pr.id AND source = 'central')),
               'total', sum((SELECT coalesce(sum(amount), 0) FROM project_budget_lines WHERE project_id = pr.id)))
        FROM projects pr JOIN plans pl ON pl.id = pr.plan_id
       WHERE pl.year = %d AND pl.scope = 'national'""" % y)
    check_equal(sorted(x["project_id"] for x in r["rows"]), want["ids"], "the national projects")
    check_equal((r["totals"]["central"], r["totals"]["total"]), (want["central"], want["total"]), "totals")
    check_equal(r["totals"]["central"], 620000000, "by hand")
    check_equal([x["stt"] for x in r["rows"]], list(range(1, 4)), "numbered")
    check_equal(r["rows"][0]["province"], "Thành phố Hà Nội", "ordered by province code")
    mine = lan().result("report.registration_list", {"year": y})
    check_equal(sorted(x["project_id"] for x in mine["rows"]), sorted(p["id"] for p in a), "25's own")
    lan().error("report.registration_list", {"year": y, "org_id": srv().org_id("01")}, kctest.NOT_FOUND)
    one = reviewer().result("report.registration_list", {"year": y, "org_id": srv().org_id("01")})
    check_equal([x["project_id"] for x in one["rows"]], [b[0]["id"]], "filtered")


@tap.test("report.cost_estimate (Mẫu 1): items by source from project.set_cost_items; scope, versions")
def _():
    plan = lan().result("plan.create", {"org_id": srv().org_id("25.TTKC"), "year": 2029, "scope": "national"})
    pr = project(lan(), plan["id"], "Đề án có dự toán", 300000000, [], counterpart=700000000)
    r = lan().result("report.cost_estimate", {"project_id": pr["id"]})
    check_export_shape(r, "report.cost_estimate (no items)")
    check(len(r["rows"]) == 1 and r["rows"][0]["central"] == 300000000 and r["totals"]["total"] == 1000000000
          and r["matches_budget_lines"] is True, "one line from the budget lines", r["rows"])
    items = [{"item": "Máy chế biến", "unit": "chiếc", "quantity": 2, "unit_price": 400000000,
              "central": 250000000, "counterpart": 550000000},
             {"item": "Hội thảo", "unit": "cuộc", "quantity": 1, "unit_price": 200000000,
              "central": 50000000, "counterpart": 150000000}]
    s = lan().result("project.set_cost_items", {"id": pr["id"], "version": pr["version"], "items": items})
    check_equal(s["version"], pr["version"] + 1, "project version raised")
    lan().error("project.set_cost_items", {"id": pr["id"], "version": pr["version"], "items": []}, kctest.CONFLICT)
    hn().error("project.set_cost_items", {"id": pr["id"], "version": s["version"], "items": []}, kctest.NOT_FOUND)
    lan().error("project.set_cost_items", {"id": pr["id"], "version": s["version"],
                                           "items": [{"item": "x", "central": -1}]}, kctest.INVALID_PARAMS)
    r = lan().result("report.cost_estimate", {"project_id": pr["id"]})
    check_export_shape(r, "report.cost_estimate")
    want = sql_json("""SELECT json_build_object('central', sum(central), 'counterpart', sum(counterpart),
                              'total', sum(central + local + counterpart + other))
                         FROM project_cost_items WHERE project_id = %d""" % pr["id"])
    check_equal({k: r["totals"][k] for k in want}, want, "totals = SQL")
    check_equal([x["item"] for x in r["rows"]], ["Máy chế biến", "Hội thảo"], "items in order")
    check_equal((r["rows"][0]["total"], r["matches_budget_lines"]), (800000000, True), "item total, matches")
    hn().error("report.cost_estimate", {"project_id": pr["id"]}, kctest.NOT_FOUND)
    # the Ministry sees a national project only once it left the province
    reviewer().error("report.cost_estimate", {"project_id": pr["id"]}, kctest.NOT_FOUND)
    sub = lan().result("plan.submit", {"id": plan["id"], "version": plan["version"]})
    hung().result("plan.appraise", {"id": plan["id"], "version": sub["version"], "decision": "forward"})
    check_equal(reviewer().result("report.cost_estimate", {"project_id": pr["id"]})["totals"], r["totals"],
                "the Ministry after forwarding")
    cur = lan().result("project.get", {"id": pr["id"]})
    lan().error("project.set_cost_items", {"id": pr["id"], "version": cur["version"], "items": []}, 1010)


@tap.test("C24: the implementer's management cost items stay within the C24 share of the estimate (refused, or a warning while the cap is unconfirmed)")
def _():
    plan = lan().result("plan.create", {"org_id": srv().org_id("25.TTKC"), "year": 2028, "scope": "national"})
    pr = project(lan(), plan["id"], "Đề án có chi quản lý", 300000000, [], counterpart=700000000)
    work = {"item": "Máy chế biến", "central": 290000000, "counterpart": 690000000}
    ok = [work, {"item": "Chi quản lý đề án", "central": 10000000, "counterpart": 10000000, "management": True}]
    s = lan().result("project.set_cost_items", {"id": pr["id"], "version": pr["version"], "items": ok})
    check_equal((s["warnings"], [x["management"] for x in s["cost_items"]]), ([], [False, True]),
                "2 % of the estimate: within 2.5 %")
    over = [work, {"item": "Chi quản lý đề án", "central": 20000000, "counterpart": 10000000, "management": True}]
    conf = srv().sql("SELECT confidence FROM support_caps WHERE cap_code = 'C24' AND valid_from <= CURRENT_DATE"
                     " ORDER BY valid_from DESC LIMIT 1").strip()
    if conf == "U":
        w = lan().result("project.set_cost_items", {"id": pr["id"], "version": s["version"], "items": over})
        check_equal([(x["field"], x["rule"]) for x in w["warnings"]], [("items", "management_cost")],
                    "an unconfirmed C24: a warning")
        s = w
    # confirmed (by a recorded decision), the same list is refused and nothing changes
    row = [c for c in admin().result("catalog.get", {})["support_caps"] if c["cap_code"] == "C24"
           and c["valid_to"] is None][0]
    admin().result("catalog.update", {"section": "support_caps", "key": row["id"], "version": row["version"],
                                      "fields": {"confidence": "C"},
                                      "decision": {"number": "28/2018/TT-BTC", "date": "2018-03-28",
                                                   "signer": "Thứ trưởng Bộ Tài chính"}})
    e = lan().error("project.set_cost_items", {"id": pr["id"], "version": s["version"], "items": over}, kctest.RULE)
    v = e["data"]["violations"][0]
    check_equal((v["field"], v["rule"], e["data"]["limit"]), ("items", "management_cost", 25250000),
                "30 M of an estimate of 1 010 M refused: at most 2.5 %, 25.25 M")
    check_equal(lan().result("project.get", {"id": pr["id"]})["version"], s["version"], "nothing changed")


@tap.test("programme.comment: the provinces comment on the draft national programme; the Ministry reads all, "
          "a province its own; events; audited; refused once approved")
def _():
    srv().sql("INSERT INTO programme_periods (code, name_vi, name_en, from_year, to_year, decision,"
              " decision_date, legal_act, valid_from, confidence) VALUES ('KCQG-2031-2035', 'Dự thảo 2031–2035',"
              " 'Draft 2031-2035', 2031, 2035, 'dự thảo', '2030-01-01', 'dự thảo', '2030-01-01', 'U')")
    draft = approver().result("programme.create", {"period": "KCQG-2031-2035", "scope": "national"})
    check_equal((draft["status"], draft["code"], draft["comment_count"]), ("draft", "KCQG-2031-2035", 0),
                "a draft national programme to comment on")
    S["draft"] = draft
    watcher = srv().login(user("ministry_reviewer")["username"], user("ministry_reviewer")["password"])
    watcher.result("events.subscribe", {"topics": ["programme"]})
    other = srv().login(user("province_leader", "01.SCT")["username"], user("province_leader", "01.SCT")["password"])
    other.result("events.subscribe", {"topics": ["programme"]})
    c1 = lan().result("programme.comment", {"programme_id": draft["id"],
                                            "text": "Đề nghị tăng chỉ tiêu I04.\nBổ sung nhóm sản phẩm OCOP."})
    check_equal((c1["org_id"], c1["org_name"], c1["programme_id"]), (srv().org_id("25"), "Tỉnh Phú Thọ", draft["id"]),
                "the comment is the province's")
    check(c1["text"].startswith("Đề nghị") and "\n" in c1["text"], "multi-line text kept", c1)
    ev = watcher.wait_event(kctest.scaled(10), status="commented")
    check(ev is not None and ev["params"]["topic"] == "programme" and ev["params"]["id"] == draft["id"],
          "the Ministry hears of it", ev)
    c2 = hung().result("programme.comment", {"programme_id": draft["id"], "text": "Góp ý thứ hai của tỉnh."})
    c3 = hn().result("programme.comment", {"programme_id": draft["id"], "text": "Hà Nội góp ý."})
    other.wait_event(kctest.scaled(5), status="commented")
    check([e["params"]["id"] for e in other.events] == [draft["id"]],
          "Hà Nội hears its own comment only (one event)", other.events)
    allc = reviewer().result("programme.comments", {"programme_id": draft["id"]})["items"]
    check_equal([(c["id"], c["org_name"]) for c in allc],
                [(c1["id"], "Tỉnh Phú Thọ"), (c2["id"], "Tỉnh Phú Thọ"), (c3["id"], "Thành phố Hà Nội")],
                "the Ministry sees every province's, with the province")
    check_equal([c["id"] for c in lan().result("programme.comments", {"programme_id": draft["id"]})["items"]],
                [c1["id"], c2["id"]], "Phú Thọ sees its own only")
    check_equal([c["id"] for c in hn().result("programme.comments", {"programme_id": draft["id"]})["items"]],
                [c3["id"]], "Hà Nội its own only")
    check_equal([c["id"] for c in lan().result("programme.comments", {"programme_id": draft["id"],
                                                                     "org_id": srv().org_id("01")})["items"]],
                [], "another province's asked for by name: none")
    page = reviewer().result("programme.comments", {"programme_id": draft["id"], "limit": 2})
    check(len(page["items"]) == 2 and page["next_cursor"], "paged", page)
    check_equal(reviewer().result("programme.get", {"id": draft["id"]})["comment_count"], 3, "comment_count")
    check_equal(sql_json("SELECT json_agg(record_id ORDER BY record_id) FROM audit_log"
                         " WHERE method = 'programme.comment' AND record_type = 'programme_comment'"),
                [c1["id"], c2["id"], c3["id"]], "each comment audited")
    check_equal(sql_json("SELECT to_json(kc_audit_record_name('programme_comment', %d))" % c3["id"]),
                "Dự thảo 2031–2035 — Thành phố Hà Nội", "audit.list names the programme and the province")
    # who and what
    approver().error("programme.comment", {"programme_id": draft["id"], "text": "x"}, kctest.FORBIDDEN)
    lan().error("programme.comment", {"programme_id": draft["id"], "text": "   "}, kctest.RULE)
    lan().error("programme.comment", {"programme_id": 999999, "text": "x"}, kctest.NOT_FOUND)
    lan().error("programme.comment", {"programme_id": draft["id"]}, kctest.INVALID_PARAMS)
    local = lan().result("programme.list", {"scope": "local"})["items"][0]
    lan().error("programme.comment", {"programme_id": local["id"], "text": "x"}, kctest.RULE)
    hn().error("programme.comments", {"programme_id": local["id"]}, kctest.NOT_FOUND)
    rc, _, err = kctest.psql_try("UPDATE programme_comments SET text = 'sửa' WHERE id = %d" % c1["id"],
                                 db=srv().dbname)
    check(rc != 0, "a comment is kept as sent", err)
    approved = national("KCQG-2021-2025")
    e = lan().error("programme.comment", {"programme_id": approved["id"], "text": "x"}, 1010)
    check_equal(e["data"]["status"], "approved", "only a draft is commented on")


@tap.test("codes: the national programme keeps its period's code, a local one its own KCĐP-<province>-<years>")
def _():
    items = reviewer().result("programme.list", {"limit": 200})["items"]
    for p in items:
        if p["scope"] == "national":
            check_equal(p["code"], p["period"], "national code")
        else:
            code = sql_json("SELECT to_json(province_code) FROM orgs WHERE id = %d" % p["org_id"])
            check_equal(p["code"], "KCĐP-%s-%d-%d" % (code, p["from_year"], p["to_year"]), "local code")
    mine = [p for p in items if p["scope"] == "local" and p["org_id"] == srv().org_id("25")]
    check(mine and mine[0]["code"].startswith("KCĐP-25-"), "Phú Thọ's local programme", mine)
    rc, _, err = kctest.psql_try("UPDATE programmes SET code = 'KCQG-2026-2030' WHERE scope = 'local'",
                                 db=srv().dbname)
    check(rc == 0 or "KCĐP" not in err, "the trigger keeps the code", err)
    check_equal(sql_json("SELECT json_agg(DISTINCT left(code, 5)) FROM programmes WHERE scope = 'local'"),
                ["KCĐP-"], "no local programme with a national-looking code")


@tap.test("envelopes per year and source: the year within the period, one per (year, source, area); "
          "year-less rows are the period's")
def _():
    draft = reviewer().result("programme.get", {"id": S["draft"]["id"]})
    budget = [{"source": "central", "year": 2031, "amount": 100000000000},
              {"source": "central", "year": 2032, "amount": 120000000000},
              {"source": "local", "year": 2031, "amount": 30000000000},
              {"source": "other", "amount": 5000000000}]
    p = approver().result("programme.set_targets", {"id": draft["id"], "version": draft["version"], "budget": budget})
    got = sorted((b["source"], b["year"], b["amount"]) for b in p["budget"])
    check_equal(got, sorted((b["source"], b.get("year"), b["amount"]) for b in budget), "kept by year")
    e = approver().error("programme.set_targets", {"id": p["id"], "version": p["version"],
                                                   "budget": [{"source": "central", "year": 2030, "amount": 1}]},
                         kctest.RULE)
    check_equal(e["data"]["violations"][0]["field"], "budget[0].year", "a year outside the period")
    approver().error("programme.set_targets", {"id": p["id"], "version": p["version"],
                                               "budget": [{"source": "central", "year": 2031, "amount": 1},
                                                          {"source": "central", "year": 2031, "amount": 2}]},
                     kctest.RULE)
    rc, _, err = kctest.psql_try("UPDATE programme_budgets SET year = 2040 WHERE programme_id = %d" % p["id"],
                                 db=srv().dbname)
    check(rc != 0, "the database refuses a year outside the period", err)
    r = reviewer().result("report.programme", {"programme_id": p["id"]})
    central = [x for x in r["rows"] if x["code"] == "KP.central" and x.get("province_id") is None]
    check(central and central[0]["target"] == 220000000000, "report.programme sums the years", central)
    # the migration kept existing envelopes as the period's (year null)
    check_equal(sql_json("SELECT count(*) FROM programme_budgets b JOIN programmes v ON v.id = b.programme_id"
                         " WHERE v.period_code <> 'KCQG-2031-2035' AND b.year IS NOT NULL"), 0,
                "no other envelope got a year")


@tap.test("province shares on the map of the period: 2021–2025 among the 63, 2026–2030 among the 34")
def _():
    old26 = int(srv().sql("SELECT id FROM orgs WHERE kind = 'province' AND code = '26' AND valid_to IS NOT NULL")
                .strip())
    dec = {"number": "98/QĐ-BCT", "date": "2026-05-04", "signer": "Bộ trưởng"}
    p = approver().result("programme.get", {"id": national("KCQG-2021-2025")["id"]})
    targets = [{k: t[k] for k in ("indicator", "target", "province_id") if t.get(k) is not None}
               for t in p["targets"]]
    p2 = approver().result("programme.set_targets", {"id": p["id"], "version": p["version"], "decision": dec,
                                                     "targets": targets + [{"indicator": "I10", "target": 7,
                                                                            "province_id": old26}]})
    check([t for t in p2["targets"] if t["province_id"] == old26 and t["province_name"] == "Tỉnh Vĩnh Phúc"],
          "Vĩnh Phúc (63-unit map) has a share of 2021–2025", p2["targets"])
    q = approver().result("programme.get", {"id": national("KCQG-2026-2030")["id"]})
    e = approver().error("programme.set_targets", {"id": q["id"], "version": q["version"], "decision": dec,
                                                   "targets": [{"indicator": "I10", "target": 7,
                                                                "province_id": old26}]}, kctest.RULE)
    check_equal(e["data"]["violations"][0]["field"], "targets[0].province_id", "not in 2026–2030")
    approver().result("programme.set_targets", {"id": q["id"], "version": q["version"], "decision": dec,
                                                "targets": [{"indicator": "I10", "target": 7,
                                                             "province_id": srv().org_id("25")}]})


@tap.test("parameters: unknown members and bad values are -32602")
def _():
    for method, params in (
            ("programme.list", {"bogus": 1}),
            ("programme.create", {"period": "2021-2025", "scope": "local"}),
            ("programme.set_targets", {"id": 1, "version": 1}),
            ("programme.set_targets", {"id": 1, "version": 1, "targets": [{"indicator": "I01"}]}),
            ("programme.approve", {"id": 1, "version": 1, "decision_no": "x"}),
            ("report.programme", {}),
            ("report.province", {"org_id": 1, "year": 2025}),
            ("report.registration_list", {"year": 1999}),
            ("report.cost_estimate", {"project_id": "1"})):
        client = hung() if method in ("programme.approve",) else lan()
        client.error(method, params, kctest.INVALID_PARAMS)


@tap.test("the reviewer prepares the national programme while it is a draft; the approver approves it and alone changes it then")
def _():
    srv().sql("INSERT INTO programme_periods (code, name_vi, name_en, from_year, to_year, decision,"
              " decision_date, legal_act, valid_from, confidence) VALUES ('KCQG-2036-2040', 'Thử', 'Test',"
              " 2036, 2040, 'QĐ thử', '2026-01-01', 'thử', '2026-01-01', 'U')")
    p = reviewer().result("programme.create", {"period": "KCQG-2036-2040", "scope": "national",
                                               "title": "Dự thảo Chương trình KCQG 2036–2040"})
    check_equal((p["status"], p["scope"]), ("draft", "national"), "the reviewer starts a national draft")
    p = reviewer().result("programme.set_targets", {"id": p["id"], "version": p["version"],
                                                    "targets": [{"indicator": "I01", "target": 120}]})
    p = reviewer().result("programme.update", {"id": p["id"], "version": p["version"], "note": "Bản trình Lãnh đạo"})
    check_equal(reviewer().result("programme.get", {"id": p["id"]})["targets"][0]["target"], 120,
                "the reviewer's target kept")
    reviewer().error("programme.approve", {"id": p["id"], "version": p["version"], "decision_no": "1/QĐ-BCT",
                                           "decision_date": "2026-02-01"}, kctest.FORBIDDEN)
    a = approver().result("programme.approve", {"id": p["id"], "version": p["version"], "decision_no": "1/QĐ-BCT",
                                                "decision_date": "2026-02-01"})
    check_equal(a["status"], "approved", "the approver approves")
    decision = {"number": "2/QĐ-BCT", "date": "2026-03-01", "signer": "Bộ trưởng"}
    reviewer().error("programme.update", {"id": p["id"], "version": a["version"], "note": "x",
                                          "decision": decision}, kctest.FORBIDDEN)
    reviewer().error("programme.set_targets", {"id": p["id"], "version": a["version"], "decision": decision,
                                               "targets": [{"indicator": "I01", "target": 1}]}, kctest.FORBIDDEN)
    u = approver().result("programme.update", {"id": p["id"], "version": a["version"], "note": "Sửa theo QĐ 2",
                                               "decision": decision})
    check_equal(u["note"], "Sửa theo QĐ 2", "the approver changes it with its decision")


tap.run()
