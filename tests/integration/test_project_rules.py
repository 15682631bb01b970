#!/usr/bin/env python3
"""The business rules of projects (issue 3, sql/0006_project_rules.sql):
amounts, dates in the plan year or the flagship's 2–3 years, the central
support within the cap in force on 1 January of the plan year (C02 at its
boundary, the ×1.5 priority uplift, an unconfirmed 'U' cap that warns), a
2019 project still valid after a 2026 cap is added while a 2027 project is
checked against the new one, a flagship's contents and beneficiaries,
counterpart funds for the rest of the cost, the no-double-funding
declaration at submission; plan.submit listing every violation by project;
project.check; project.copy into a later year's plan."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kctest  # noqa: E402
from kctest import check, check_equal  # noqa: E402

tap = kctest.Tap()
S = kctest.Suite()
srv, admin, user = S.srv, S.admin, S.user
BN = 1000000000  # 1 tỷ đồng


def lan():
    return user("province_officer")["client"]


def plan(year, scope="national", org="25.TTKC"):
    """The draft plan of (org, year, scope), created once."""
    key = ("plan", year, scope, org)
    if key not in S:
        S[key] = lan().result("plan.create", {"org_id": srv().org_id(org), "year": year, "scope": scope})
    return S[key]


def params(plan_id, year, central=300000000, counterpart=700000000, **extra):
    """A project valid under every rule: C02, 30 % of the cost, dates in the
    year, one beneficiary, the declaration made."""
    p = {"plan_id": plan_id, "title": "Mô hình trình diễn", "content_category": "ND45.4.3",
         "cap_code": "C02", "kind": "regular", "no_double_funding": True,
         "budget_lines": [{"source": "central", "amount": central},
                          {"source": "counterpart", "amount": counterpart}],
         "beneficiaries": [{"name": "Công ty TNHH Gốm Thanh Hà", "kind": "enterprise"}],
         "start_date": "%d-03-01" % year, "end_date": "%d-11-30" % year}
    p.update(extra)
    return p


def lines(central, counterpart, **more):
    out = [{"source": "central", "amount": central}, {"source": "counterpart", "amount": counterpart}]
    out += [{"source": k, "amount": v} for k, v in more.items()]
    return out


def violations(e):
    return {(v["field"], v["rule"]) for v in e["data"]["violations"]}


def rules(items):
    return {(v["field"], v["rule"]) for v in items}


def cap_id(code, valid_from):
    return int(srv().sql("SELECT id FROM support_caps WHERE cap_code = '%s' AND valid_from = '%s'"
                         % (code, valid_from)).strip())


def update(project, **fields):
    """project.update with the current version; returns the call's message."""
    cur = lan().result("project.get", {"id": project["id"]})
    fields.update({"id": project["id"], "version": cur["version"]})
    return lan().call("project.update", fields)


# ---------------------------------------------------------------------------

@tap.test("amounts are non-negative integers: -1, 1.5, '5' and a negative total_cost are -32602; 0 passes")
def _():
    pl = plan(2030)
    e = lan().error("project.create", params(pl["id"], 2030, budget_lines=[
        {"source": "central", "amount": -1}, {"source": "counterpart", "amount": 1.5},
        {"source": "other", "amount": "5"}], total_cost=-1), kctest.INVALID_PARAMS)
    check_equal(set(kctest.field_names(e)), {"budget_lines[0].amount", "budget_lines[1].amount",
                                             "budget_lines[2].amount", "total_cost"}, "fields")
    r = lan().result("project.create", params(pl["id"], 2030, central=0, counterpart=0, total_cost=0))
    check_equal((r["total"], r["total_cost"], r["warnings"]), (0, 0, []), "zero amounts")


@tap.test("dates: inside the plan year for a regular project; start or end outside it -> 1022")
def _():
    pl = plan(2030)
    ok = lan().result("project.create", params(pl["id"], 2030, start_date="2030-01-01",
                                               end_date="2030-12-31"))
    check_equal(ok["warnings"], [], "no warnings")
    e = lan().error("project.create", params(pl["id"], 2030, start_date="2029-12-31",
                                             end_date="2031-01-01"), kctest.RULE)
    check_equal(violations(e), {("start_date", "plan_year"), ("end_date", "plan_year")}, "violations")
    e = lan().error("project.create", params(pl["id"], 2030, start_date="2030-05-01",
                                             end_date="2030-04-01"), kctest.RULE)
    check_equal(violations(e), {("end_date", "order")}, "order")


@tap.test("flagship: 2–3 years from the plan year; 1 year (min_years) or 4 years (max_years) -> 1022")
def _():
    pl = plan(2031)
    flag = dict(kind="flagship", content_categories=["ND45.4.3", "ND45.4.1"],
                beneficiaries=[{"name": "HTX Gốm A", "kind": "cooperative"},
                               {"name": "HTX Gốm B", "kind": "cooperative"}])
    for end in ("2032-06-30", "2033-12-31"):
        r = lan().result("project.create", params(pl["id"], 2031, start_date="2031-03-01", end_date=end,
                                                  **flag))
        check_equal(r["warnings"], [], "flagship ending %s" % end)
    e = lan().error("project.create", params(pl["id"], 2031, end_date="2031-12-31", **flag), kctest.RULE)
    check_equal(violations(e), {("end_date", "min_years")}, "one year")
    e = lan().error("project.create", params(pl["id"], 2031, end_date="2034-01-01", **flag), kctest.RULE)
    check_equal(violations(e), {("end_date", "max_years")}, "four years")
    check("31/12/2033" in e["data"]["violations"][0]["message"], "message names the last day", e)


@tap.test("flagship: fewer than 2 contents or 2 beneficiaries warns in a draft, is a violation in project.check")
def _():
    pl = plan(2031)
    r = lan().result("project.create", params(pl["id"], 2031, kind="flagship", end_date="2032-06-30"))
    check_equal(rules(r["warnings"]), {("content_categories", "min_contents"),
                                       ("beneficiaries", "min_beneficiaries")}, "draft warnings")
    check_equal(lan().result("project.get", {"id": r["id"]})["warnings"], r["warnings"], "warnings saved")
    c = lan().result("project.check", {"id": r["id"]})
    check_equal(rules(c["violations"]), {("content_categories", "min_contents"),
                                         ("beneficiaries", "min_beneficiaries")}, "check violations")
    m = update(r, content_categories=["ND45.4.3", "ND45.4.7.a"],
               beneficiaries=[{"name": "A", "kind": "enterprise"}, {"name": "B", "kind": "household_business"}])
    check_equal(m["result"]["warnings"], [], "after the fix")
    check_equal(lan().result("project.check", {"id": r["id"]})["violations"], [], "check after the fix")


@tap.test("C02 in 2019 (2018 row: 30 %, 1,000,000,000 đ): exactly at the cap passes, 1 đ above fails")
def _():
    pl = plan(2019)
    row = cap_id("C02", "2018-05-11")
    # the absolute cap binds (30 % of 4 bn = 1.2 bn)
    ok = lan().result("project.create", params(pl["id"], 2019, central=BN, counterpart=3 * BN))
    check_equal((ok["warnings"], ok["checked_cap_id"], ok["checked_on"]), ([], row, "2019-01-01"),
                "at the absolute cap")
    e = lan().error("project.create", params(pl["id"], 2019, central=BN + 1, counterpart=3 * BN),
                    kctest.RULE)
    check_equal(violations(e), {("budget_lines.central", "cap")}, "1 đ above")
    check("1,000,000,000" in e["message"] and "C02" in e["message"], "message", e)
    # the percentage binds (30 % of 1 bn = 300,000,000)
    ok2 = lan().result("project.create", params(pl["id"], 2019, central=300000000, counterpart=700000000))
    check_equal(ok2["warnings"], [], "at 30 %")
    e = lan().error("project.create", params(pl["id"], 2019, central=300000001, counterpart=699999999),
                    kctest.RULE)
    check_equal(violations(e), {("budget_lines.central", "cap")}, "1 đ above 30 %")
    # update is checked the same way, and a refused update changes nothing
    m = update(ok, budget_lines=lines(BN + 1, 3 * BN))
    check_equal(m.get("error", {}).get("code"), kctest.RULE, "update above the cap")
    check_equal(lan().result("project.get", {"id": ok["id"]})["budget_lines"], lines(BN, 3 * BN), "unchanged")
    n = srv().sql("SELECT count(*) FROM projects WHERE plan_id = %d" % pl["id"]).strip()
    check_equal(n, "2", "refused creates left nothing")
    S["p2019"] = ok


@tap.test("priority uplift: a priority-area project may go to 1.5 × the absolute cap (warned: C25 is U in 2018)")
def _():
    pl = plan(2019)
    r = lan().result("project.create", params(pl["id"], 2019, central=1500000000, counterpart=8500000000,
                                              priority_area="a"))
    check_equal(rules(r["warnings"]), {("budget_lines.central", "priority_uplift")}, "uplift warning")
    check("unconfirmed" in r["warnings"][0]["message"], "says unconfirmed", r["warnings"])
    e = lan().error("project.create", params(pl["id"], 2019, central=1500000001, counterpart=8500000000,
                                             priority_area="a"), kctest.RULE)
    check_equal(violations(e), {("budget_lines.central", "cap")}, "1 đ above 1.5 ×")
    # a priority sector flag counts too; without any priority the normal cap applies
    lan().result("project.create", params(pl["id"], 2019, central=1500000000, counterpart=8500000000,
                                          export=True))
    e = lan().error("project.create", params(pl["id"], 2019, central=1500000000, counterpart=8500000000),
                    kctest.RULE)
    check_equal(violations(e), {("budget_lines.central", "cap")}, "no priority")
    # 2017: the 2014 rows (C02 500,000,000 đ; C25 confirmed): uplift without a warning
    pl17 = plan(2017)
    r = lan().result("project.create", params(pl17["id"], 2017, central=750000000, counterpart=9 * BN,
                                              priority_area="b"))
    check_equal((r["warnings"], r["checked_cap_id"]), ([], cap_id("C02", "2014-04-08")), "2017 uplift")
    lan().error("project.create", params(pl17["id"], 2017, central=750000001, counterpart=9 * BN,
                                         priority_area="b"), kctest.RULE)


@tap.test("a cap with confidence U warns instead of refusing, and says the value is unconfirmed")
def _():
    pl = plan(2019)
    # C03 (2018 row U: the 2014 value 100,000,000 đ copied forward)
    r = lan().result("project.create", params(pl["id"], 2019, cap_code="C03", central=150000000,
                                              counterpart=850000000))
    check_equal(rules(r["warnings"]), {("budget_lines.central", "cap")}, "warning")
    check("unconfirmed" in r["warnings"][0]["message"], "message", r["warnings"])
    check_equal(r["checked_cap_id"], cap_id("C03", "2018-05-11"), "checked against the U row")
    check_equal(lan().result("project.check", {"id": r["id"]})["violations"], [], "not a violation")
    # the same amount against the 2014 row (confirmed) in 2017 is refused
    e = lan().error("project.create", params(plan(2017)["id"], 2017, cap_code="C03", central=150000000,
                                             counterpart=850000000), kctest.RULE)
    check_equal(violations(e), {("budget_lines.central", "cap")}, "confirmed row")
    d = e["data"]["violations"][0]["data"]
    check_equal((d["cap_code"], d["amount"]), ("C03", 150000000), "cap violation's data")
    check(d["limit"] < 150000000, "the limit is below the amount", d)


@tap.test("cap_code: a cap not in force is 1022; several caps and none chosen warns in a draft, a violation at check")
def _():
    pl = plan(2019)
    e = lan().error("project.create", params(pl["id"], 2019, cap_code="C14"), kctest.RULE)
    check_equal(violations(e), {("cap_code", "exists")}, "cap of another content")
    r = lan().result("project.create", params(pl["id"], 2019, cap_code=None))
    check_equal(rules(r["warnings"]), {("cap_code", "required")}, "draft warning")
    check("C02" in r["warnings"][0]["message"], "lists the caps", r["warnings"])
    # ... and gives them as data: the content, the day, each cap's % and amount and act (issue 17)
    d = r["warnings"][0]["data"]
    check_equal((d["content"], d["on"]), ("ND45.4.3", "2019-01-01"), "content and day")
    check("C02" in [c["cap_code"] for c in d["caps"]], "caps listed", d)
    check(all(set(c) == {"cap_code", "pct_cap", "abs_cap_vnd", "legal_act", "confidence"} for c in d["caps"]),
          "each cap's members", d)
    check_equal(rules(lan().result("project.check", {"id": r["id"]})["violations"]),
                {("cap_code", "required")}, "check")
    # a content with one cap in force needs no choice: ND45.4.5 (C14: 50 %, 35,000,000 đ, U in 2018)
    r = lan().result("project.create", params(pl["id"], 2019, cap_code=None, content_category="ND45.4.5",
                                              central=35000000, counterpart=35000000))
    check_equal((r["warnings"], r["checked_cap_id"]), ([], cap_id("C14", "2018-05-11")), "single cap")


@tap.test("counterpart funds cover the rest of the declared total cost; lines above the total -> 1022")
def _():
    pl = plan(2019)
    e = lan().error("project.create", params(pl["id"], 2019, total_cost=BN, central=270000000,
                                             counterpart=630000000), kctest.RULE)
    check_equal(violations(e), {("budget_lines.counterpart", "counterpart")}, "not covered")
    check("100,000,000" in e["message"], "names what is missing", e)
    lan().result("project.create", params(pl["id"], 2019, total_cost=BN, central=300000000,
                                          counterpart=700000000))
    lan().result("project.create", params(pl["id"], 2019, total_cost=BN, central=300000000,
                                          counterpart=600000000,
                                          budget_lines=lines(300000000, 600000000, other=100000000)))
    e = lan().error("project.create", params(pl["id"], 2019, total_cost=BN, central=300000000,
                                             counterpart=800000000), kctest.RULE)
    check_equal(violations(e), {("total_cost", "total")}, "above the total")


@tap.test("no-double-funding declaration: a draft warns; plan.submit refuses listing every violation by project")
def _():
    pl = plan(2032)
    good = lan().result("project.create", params(pl["id"], 2032))
    bad = lan().result("project.create", params(pl["id"], 2032, no_double_funding=False, cap_code=None,
                                                beneficiaries=[]))
    check_equal(rules(bad["warnings"]), {("no_double_funding", "declaration"), ("cap_code", "required"),
                                         ("beneficiaries", "min_beneficiaries")}, "draft warnings")
    e = lan().error("plan.submit", {"id": pl["id"], "version": pl["version"]}, kctest.RULE)
    code = bad["code"]
    check_equal(violations(e), {("projects[%s].no_double_funding" % code, "declaration"),
                                ("projects[%s].cap_code" % code, "required"),
                                ("projects[%s].beneficiaries" % code, "min_beneficiaries")}, "listed")
    check(all(v["project_id"] == bad["id"] for v in e["data"]["violations"]), "project ids", e)
    check_equal(srv().sql("SELECT status FROM plans WHERE id = %d" % pl["id"]).strip(), "draft", "not moved")
    m = update(bad, no_double_funding=True, cap_code="C02",
               beneficiaries=[{"name": "Hộ kinh doanh Nguyễn Văn A", "kind": "household_business"}])
    check_equal(m["result"]["warnings"], [], "fixed")
    sub = lan().result("plan.submit", {"id": pl["id"], "version": pl["version"]})
    check_equal((sub["status"], sub["warnings"]), ("submitted", []), "submitted")
    # the rules of the registration day (sql/0031: DOMAIN §6.4), not 1 January 2032
    check_equal(srv().sql("SELECT count(*) FROM projects WHERE plan_id = %d AND checked_cap_id = %d "
                          "AND checked_on = (now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date"
                          % (pl["id"], cap_id("C02", "2018-05-11"))).strip(),
                "2", "checks recorded at submission")
    S["submitted_plan"] = sub
    S["good"] = good


@tap.test("project.check: {violations, warnings, cap} for every role that reads the project; 1004 outside scope")
def _():
    p = S["p2019"]
    for role in ("province_officer", "province_leader"):
        c = user(role)["client"].result("project.check", {"id": p["id"]})
        check_equal((c["id"], c["code"], c["violations"], c["warnings"]), (p["id"], p["code"], [], []), role)
        check(c["cap"]["cap_code"] == "C02" and c["cap"]["limit_vnd"] == BN
              and c["cap"]["id"] == cap_id("C02", "2018-05-11") and c["checked_on"] == "2019-01-01",
              "cap", c)
    user("province_officer", "01.TTKC")["client"].error("project.check", {"id": p["id"]}, kctest.NOT_FOUND)
    user("ministry_reviewer")["client"].error("project.check", {"id": p["id"]}, kctest.NOT_FOUND)
    lan().error("project.check", {"id": 10 ** 12}, kctest.NOT_FOUND)
    lan().error("project.check", {}, kctest.INVALID_PARAMS)
    head = kctest.audit_head(admin())
    lan().result("project.check", {"id": p["id"]})
    check_equal(kctest.audit_head(admin()), head, "a check writes no audit row")


@tap.test("project.copy: the 2019 project into the 2020 draft plan as a new draft, dates moved, audited")
def _():
    src = lan().result("project.update", {
        "id": S["p2019"]["id"], "version": lan().result("project.get", {"id": S["p2019"]["id"]})["version"],
        "indicators": [{"code": "I01", "target": 12}], "content_categories": ["ND45.4.1"],
        "partners": [{"name": "Viện Gốm sứ", "role": "chuyển giao"}],
        "work_items": [{"task": "Lắp đặt", "from": "2019-04-01", "to": "2019-06-30"}],
        "total_cost": 4 * BN})
    target = plan(2020)
    head = kctest.audit_head(admin())
    c = lan().result("project.copy", {"id": src["id"], "plan_id": target["id"]})
    rows = [r for r in admin().result("audit.list", {"limit": 10})["items"] if r["seq"] > head]
    check(len(rows) == 1 and rows[0]["method"] == "project.copy" and rows[0]["record_id"] == c["id"],
          "one audit row", rows)
    check(c["code"].startswith("KCQG-2020-25-") and c["id"] != src["id"], "new code", c["code"])
    check_equal((c["status"], c["stage"], c["version"], c["plan_id"], c["copied_from"]),
                ("draft", "drafting", 1, target["id"], src["id"]), "new draft")
    for k in ("title", "budget_lines", "content_categories", "partners", "cap_code", "total_cost", "kind"):
        check_equal(c[k], src[k], k)
    check_equal([b["name"] for b in c["beneficiaries"]], [b["name"] for b in src["beneficiaries"]], "beneficiaries")
    check_equal(c["indicators"], [{"code": "I01", "target": 12, "achieved": None}], "indicators")
    check_equal((c["start_date"], c["end_date"]), ("2020-03-01", "2020-11-30"), "dates moved a year")
    check_equal(c["work_items"][0]["from"], "2020-04-01", "work items moved")
    check_equal(c["no_double_funding"], False, "the declaration is made anew")
    check_equal(rules(c["warnings"]), {("no_double_funding", "declaration")}, "copy warnings")
    check_equal(c["violations"], [], "valid under the 2020 rules")
    check_equal(lan().result("project.get", {"id": src["id"]})["version"], src["version"], "source untouched")


@tap.test("project.copy refused: same or earlier year, other scope or organisation (1022), plan not draft (1010), scope (1004)")
def _():
    src = S["p2019"]
    e = lan().error("project.copy", {"id": src["id"], "plan_id": plan(2019)["id"]}, kctest.RULE)
    check_equal(violations(e), {("plan_id", "later_year")}, "same year")
    e = lan().error("project.copy", {"id": src["id"], "plan_id": plan(2017)["id"]}, kctest.RULE)
    check_equal(violations(e), {("plan_id", "later_year")}, "earlier year")
    e = lan().error("project.copy", {"id": src["id"], "plan_id": plan(2021, "local")["id"]}, kctest.RULE)
    check_equal(violations(e), {("plan_id", "same_scope")}, "local plan")
    e = lan().error("project.copy", {"id": src["id"], "plan_id": plan(2021, org="25.SCT")["id"]}, kctest.RULE)
    check_equal(violations(e), {("plan_id", "same_org")}, "other organisation")
    e = lan().error("project.copy", {"id": src["id"], "plan_id": S["submitted_plan"]["id"]}, 1010)
    check_equal(e["data"]["status"], "submitted", "status")
    hn = user("province_officer", "01.TTKC")["client"]
    hn.error("project.copy", {"id": src["id"], "plan_id": plan(2021)["id"]}, kctest.NOT_FOUND)
    user("viewer")["client"].error("project.copy", {"id": src["id"], "plan_id": plan(2021)["id"]},
                                   kctest.FORBIDDEN)
    lan().error("project.copy", {"id": src["id"]}, kctest.INVALID_PARAMS)
    check_equal(srv().sql("SELECT count(*) FROM projects WHERE plan_id = %d" % plan(2021)["id"]).strip(), "0",
                "nothing copied")


@tap.test("catalog.add_cap C02 from 2026 (lower): the 2019 project stays valid; a 2027 project is checked against the new row")
def _():
    p27 = lan().result("project.create", params(plan(2027)["id"], 2027, central=BN, counterpart=3 * BN))
    old = cap_id("C02", "2018-05-11")
    check_equal(p27["checked_cap_id"], old, "2027 before the change")
    r = admin().result("catalog.add_cap", {"decision": {"number": "15/2026/TT-BCT", "date": "2026-03-01", "signer": "Thứ trưởng"}, "cap_code": "C02", "content_code": "ND45.4.3", "pct_cap": 30,
                                           "abs_cap_vnd": 800000000, "unit": "mô hình",
                                           "base": "chi phí xây dựng mô hình",
                                           "legal_act": "Thông tư thử 2026 Điều 8", "valid_from": "2026-01-01",
                                           "confidence": "C"})
    new = r["cap"]["id"]
    # 2019: still the 2018 row, still valid
    c = lan().result("project.check", {"id": S["p2019"]["id"]})
    check_equal((c["violations"], c["cap"]["id"], c["cap"]["limit_vnd"]), ([], old, BN), "2019 after the change")
    check_equal(lan().result("project.get", {"id": S["p2019"]["id"]})["checked_cap_id"], old, "2019 recorded row")
    # 2027: the new row
    c = lan().result("project.check", {"id": p27["id"]})
    check_equal((rules(c["violations"]), c["cap"]["id"]), ({("budget_lines.central", "cap")}, new), "2027 check")
    pl = lan().result("plan.get", {"id": plan(2027)["id"]})
    e = lan().error("plan.submit", {"id": pl["id"], "version": pl["version"]}, kctest.RULE)
    check_equal(violations(e), {("projects[%s].budget_lines.central" % p27["code"], "cap")}, "submit refused")
    m = update(p27, budget_lines=lines(800000000, 3 * BN))
    check_equal((m["result"]["warnings"], m["result"]["checked_cap_id"]), ([], new), "at the new cap")
    check_equal(update(p27, budget_lines=lines(800000001, 3 * BN))["error"]["code"], kctest.RULE, "above it")
    lan().result("plan.submit", {"id": pl["id"], "version": pl["version"]})


@tap.test("rules as of the registration (DOMAIN §6.4): a later year's project is checked against the caps in force when it is registered, not on 1 January of its year; a past year's keeps its year's")
def _():
    r = admin().result("catalog.add_cap", {
        "decision": {"number": "30/2029/TT-BCT", "date": "2029-06-01", "signer": "Thứ trưởng"},
        "cap_code": "C02", "content_code": "ND45.4.3", "pct_cap": 30, "abs_cap_vnd": 100000000, "unit": "mô hình",
        "base": "chi phí xây dựng mô hình", "legal_act": "Thông tư thử 2030 Điều 8", "valid_from": "2030-01-01",
        "confidence": "C"})
    today = srv().sql("SELECT (now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date").strip()
    p = lan().result("project.create", params(plan(2034)["id"], 2034))
    chk = lan().result("project.check", {"id": p["id"]})
    check_equal(chk.get("checked_on", p.get("checked_on")), today, "a draft: checked as of today")
    check(p["checked_cap_id"] != r["cap"]["id"], "not the 2030 row (in force on 1 January 2034)", p)
    check(not [v for v in chk["violations"] if "cap" in v["rule"]], "300 M is within today's cap", chk)
    # registered: the submission day is the plan's day from now on
    pl = plan(2034)
    s = lan().result("plan.submit", {"id": pl["id"], "version": pl["version"]})
    check_equal(srv().sql("SELECT checked_on FROM projects WHERE id = %d" % p["id"]).strip(), today,
                "checked as of the submission")
    # a past year's project entered now keeps that year's rules
    p19 = lan().result("project.create", params(plan(2019)["id"], 2019))
    check_equal(srv().sql("SELECT checked_on FROM projects WHERE id = %d" % p19["id"]).strip(), "2019-01-01",
                "a 2019 project: 1 January 2019")


@tap.test("the server exits 0 on SIGTERM")
def _():
    for key, u in list(S.items()):
        if isinstance(u, dict) and "client" in u:
            u["client"].close()
    if "admin" in S:
        S["admin"].close()
    srv().stop()


tap.run()
