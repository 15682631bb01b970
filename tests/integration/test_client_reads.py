#!/usr/bin/env python3
"""The desktop client's reads (server/srv-handler-client-reads.c):
user.reviewers lists exactly the accounts review.assign accepts, by name;
budget.project returns one project's allocations, contract, payments,
decisions and totals, within the caller's scope (another province: 1004);
catalog.communes offers the communes the province's projects already name
(diacritics folded when searching, another province's never); unknown
parameters are refused (-32602)."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kctest  # noqa: E402
from kctest import check, check_equal  # noqa: E402

tap = kctest.Tap()
S = {}
YEAR = 2035


def srv():
    if "srv" not in S:
        S["srv"] = kctest.Server()
        S["admin"] = S["srv"].admin()
    return S["srv"]


def user(role, org=None, full_name=None):
    u = kctest.create_user(S["admin"], role, org)
    if full_name is not None:
        u = dict(u, **S["admin"].result("user.update", {"id": u["id"], "version": u["version"],
                                                        "full_name": full_name}))
    u["client"] = srv().login(u["username"], u["password"])
    return u


@tap.test("user.reviewers: the active ministry reviewers and approvers by full name, nobody else")
def _():
    srv()
    zed = user("ministry_reviewer", full_name="Vũ Văn Xét")
    anh = user("ministry_approver", full_name="Đặng Thị Anh")
    gone = user("ministry_reviewer", full_name="Lê Đã Nghỉ")
    S["admin"].result("user.disable", {"id": gone["id"], "version": gone["version"]})
    viewer = user("viewer")
    S["approver"], S["reviewer"], S["viewer"] = anh, zed, viewer
    items = zed["client"].result("user.reviewers", {})["items"]
    ids = [i["id"] for i in items]
    check(zed["id"] in ids and anh["id"] in ids, "the active ones are listed", items)
    check(gone["id"] not in ids, "a disabled reviewer is listed", items)
    check(viewer["id"] not in ids, "a viewer is listed", items)
    check({i["role"] for i in items} <= {"ministry_reviewer", "ministry_approver"}, "roles", items)
    mine = {i["id"]: i for i in items}
    check_equal((mine[zed["id"]]["full_name"], mine[zed["id"]]["role"]), ("Vũ Văn Xét", "ministry_reviewer"),
                "the reviewer's entry")
    names = [i["full_name"] for i in items]
    check(names.index("Đặng Thị Anh") < names.index("Vũ Văn Xét"), "ordered by full name", names)
    # every name offered is one review.assign accepts, and only those
    check_equal(set(ids), set(int(x) for x in srv().sql(
        "SELECT id FROM users WHERE disabled_at IS NULL"
        " AND role IN ('ministry_reviewer', 'ministry_approver')").split()), "the accounts")
    zed["client"].error("user.reviewers", {"role": "viewer"}, kctest.INVALID_PARAMS)
    viewer["client"].error("user.reviewers", {}, kctest.FORBIDDEN)


@tap.test("budget.project: allocations, contract, payments, decision and totals of one project")
def _():
    lan = user("province_officer")
    hung = user("province_leader")
    boss = S["approver"]["client"]
    S["lan"] = lan
    plan = lan["client"].result("plan.create", {"org_id": srv().org_id("25.TTKC"), "year": YEAR,
                                                "scope": "national"})
    p = lan["client"].result("project.create", {
        "plan_id": plan["id"], "title": "Đề án có tiền", "content_category": "ND45.4.3",
        "budget_lines": [{"source": "central", "amount": 100000000},
                         {"source": "counterpart", "amount": 300000000}],
        "indicators": [], "cap_code": "C02", "no_double_funding": True,
        "beneficiaries": [{"name": "Cơ sở thử", "kind": "household_business"}]})
    sub = lan["client"].result("plan.submit", {"id": plan["id"], "version": plan["version"]})
    hung["client"].result("plan.appraise", {"id": plan["id"], "version": sub["version"], "decision": "forward"})
    p = lan["client"].result("project.get", {"id": p["id"]})
    empty = boss.result("budget.project", {"project_id": p["id"]})
    check_equal((empty["allocations"], empty["contracts"], empty["disbursements"], empty["decisions"],
                 empty["totals"]["paid"]), ([], [], [], [], 0), "nothing before approval")
    boss.result("review.decide", {"project_id": p["id"], "version": p["version"], "decision": "approve"})
    boss.result("decision.approve_plan", {"year": YEAR, "number": "QĐ-%d" % YEAR, "signed_on": "%d-01-10" % YEAR,
                                          "signer": "Bộ trưởng", "project_ids": [p["id"]]})
    p = lan["client"].result("project.get", {"id": p["id"]})
    boss.result("budget.set_appropriation", {"year": YEAR, "source": "central", "amount": 1000000000})
    boss.result("budget.allocate", {"project_id": p["id"], "version": p["version"], "amount": 90000000})
    boss.result("budget.contract", {"project_id": p["id"], "version": p["version"], "number": "HĐ-9",
                                    "signed_on": "%d-01-15" % YEAR, "amount": 80000000})
    # a model's first advance rests on a confirmed report of more than 70 % done (sql/0039), and a
    # later advance on a confirmed report too (sql/0025)
    kctest.confirm_progress(lan["client"], hung["client"], p["id"], "%d-02" % YEAR)
    boss.result("budget.disburse", {"project_id": p["id"], "amount": 20000000, "date": "%d-03-01" % YEAR,
                                    "document_no": "UNC-2"})
    boss.result("budget.disburse", {"project_id": p["id"], "amount": 10000000, "date": "%d-02-01" % YEAR,
                                    "document_no": "UNC-1"})
    S["project"] = p
    # the province reads its own project
    r = lan["client"].result("budget.project", {"project_id": p["id"]})
    check_equal(r["project_id"], p["id"], "project_id")
    check_equal([(a["year"], a["source"], a["amount"]) for a in r["allocations"]], [(YEAR, "central", 90000000)],
                "allocations")
    check_equal([(c["number"], c["signed_on"], c["amount"]) for c in r["contracts"]],
                [("HĐ-9", "%d-01-15" % YEAR, 80000000)], "contracts")
    check_equal([(d["kind"], d["paid_on"], d["document_no"], d["amount"]) for d in r["disbursements"]],
                [("advance", "%d-02-01" % YEAR, "UNC-1", 10000000),
                 ("advance", "%d-03-01" % YEAR, "UNC-2", 20000000)], "payments by date")
    check_equal([(d["number"], d["kind"], d["action"]) for d in r["decisions"]],
                [("QĐ-%d" % YEAR, "approval", "approve")], "decisions")
    t = r["totals"]
    check_equal((t["allocated"], t["contracted"], t["advanced"], t["final"], t["refunded"], t["paid"]),
                (90000000, 80000000, 30000000, 0, 0, 30000000), "totals")
    check_equal(S["viewer"]["client"].result("budget.project", {"project_id": p["id"]})["totals"]["paid"],
                30000000, "the province's viewer")


@tap.test("budget.project: another province, an unknown project, bad parameters, the administrator")
def _():
    pid = S["project"]["id"]
    other = user("province_officer", "01.TTKC" if "01.TTKC" in srv().orgs() else "01")["client"]
    other.error("budget.project", {"project_id": pid}, kctest.NOT_FOUND)
    S["lan"]["client"].error("budget.project", {"project_id": 999999999}, kctest.NOT_FOUND)
    S["lan"]["client"].error("budget.project", {}, kctest.INVALID_PARAMS)
    S["lan"]["client"].error("budget.project", {"project_id": pid, "year": YEAR}, kctest.INVALID_PARAMS)
    S["lan"]["client"].error("budget.project", {"project_id": "x"}, kctest.INVALID_PARAMS)
    S["admin"].error("budget.project", {"project_id": pid}, kctest.FORBIDDEN)



@tap.test("catalog.communes: the province's communes, each once, searched without diacritics")
def _():
    lan = S["lan"]
    c = lan["client"]
    plan = c.result("plan.create", {"org_id": srv().org_id("25.TTKC"), "year": YEAR + 1, "scope": "local"})

    def project(title, communes):
        return c.result("project.create", {
            "plan_id": plan["id"], "title": title, "content_category": "ND45.4.3",
            "locations": [{"commune": x, "address": "Thôn 1"} for x in communes]})

    project("Đề án xã một", ["Xã Ấm Hạ", " Phường Âu Cơ "])
    project("Đề án xã hai", ["Xã Ấm Hạ", "Xã Đồng Lương"])
    other = user("province_officer", "01.TTKC" if "01.TTKC" in srv().orgs() else "01")["client"]
    oplan = other.result("plan.create", {"org_id": srv().org_id("01.TTKC"), "year": YEAR + 1, "scope": "local"})
    other.result("project.create", {"plan_id": oplan["id"], "title": "Đề án tỉnh khác",
                                    "content_category": "ND45.4.3",
                                    "locations": [{"commune": "Xã Ấm Thượng", "address": "Thôn 2"}]})
    items = c.result("catalog.communes", {})["items"]
    for name in ("Xã Ấm Hạ", "Phường Âu Cơ", "Xã Đồng Lương"):
        check(name in items, "%s offered" % name, items)
    check_equal(items.count("Xã Ấm Hạ"), 1, "a commune named twice is offered once")
    check("Xã Ấm Thượng" not in items, "another province's commune is offered", items)
    check_equal(c.result("catalog.communes", {"q": "dong luong"})["items"], ["Xã Đồng Lương"],
                "typed without diacritics")
    check_equal(c.result("catalog.communes", {"q": "ẤM"})["items"], ["Xã Ấm Hạ"], "typed in capitals")
    check_equal(c.result("catalog.communes", {"q": "50%_"})["items"], [], "LIKE's characters are text")
    check_equal(other.result("catalog.communes", {"q": "am"})["items"], ["Xã Ấm Thượng"], "the other province's")
    c.error("catalog.communes", {"q": "x" * 101}, kctest.INVALID_PARAMS)
    c.error("catalog.communes", {"province": 1}, kctest.INVALID_PARAMS)
    S["approver"]["client"].error("catalog.communes", {}, kctest.FORBIDDEN)
    S["admin"].error("catalog.communes", {}, kctest.FORBIDDEN)


tap.run()
