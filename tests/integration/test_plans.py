#!/usr/bin/env python3
"""Plans and projects (issue 3): the path from draft to the province's
appraisal and the local approval by the right roles, illegal transitions
refused through the protocol and by the database's own trigger, project
codes, stale versions, scope (another province's records are 1004),
Vietnamese search with diacritics folded, validation, and an audit row for
every write."""

import datetime
import itertools
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kctest  # noqa: E402
from kctest import check, check_equal  # noqa: E402

tap = kctest.Tap()
S = kctest.Suite()
srv, admin = S.srv, S.admin
BAD_STATUS = 1010
_years = itertools.count(2040)


def user(role, org=None):
    """A logged-in user of role (in org, default that of kctest.ROLE_ORG)."""
    key = (role, org)
    if key not in S:
        u = kctest.create_user(admin(), role, org_code=org)
        u["client"] = srv().login(u["username"], u["password"])
        S[key] = u
    return S[key]


def lan():
    return user("province_officer")["client"]


def hung():
    return user("province_leader")["client"]


def project_params(plan_id, title="Đề án thử", **extra):
    p = {"plan_id": plan_id, "title": title, "content_category": "ND45.4.3",
         "budget_lines": [{"source": "central", "amount": 300000000},
                          {"source": "counterpart", "amount": 700000000}],
         "indicators": [{"code": "I01", "target": 30}],
         # valid under the rules of sql/0006 (test_project_rules.py): C02 is
         # 30 % of the cost, one beneficiary, the declaration made
         "cap_code": "C02", "no_double_funding": True,
         "beneficiaries": [{"name": "Cơ sở thử", "kind": "household_business"}]}
    p.update(extra)
    return p


def new_plan(scope="national", year=None, projects=1, org="25.TTKC"):
    plan = lan().result("plan.create", {"org_id": srv().org_id(org), "year": year or next(_years),
                                        "scope": scope})
    plan["projects"] = [lan().result("project.create", project_params(plan["id"], "Đề án %d" % i))
                        for i in range(projects)]
    return plan


def plan_version(plan_id):
    return int(srv().sql("SELECT version FROM plans WHERE id = %d" % plan_id).strip())


def project_row(project_id):
    out = srv().sql("SELECT status, stage, version FROM projects WHERE id = %d" % project_id).strip()
    status, stage, version = out.split("|")
    return status, stage, int(version)


def submitted(plan):
    return lan().result("plan.submit", {"id": plan["id"], "version": plan["version"]})


def audit_rows_since(seq):
    return [e for e in admin().result("audit.list", {"limit": 50})["items"] if e["seq"] > seq]


def sql_refused(statement):
    """Runs statement as the superuser inside a DO block; True if the
    database raised SQLSTATE KC010."""
    rc, out, err = kctest.psql_try(
        "DO $$ BEGIN %s; RAISE NOTICE 'accepted'; EXCEPTION WHEN SQLSTATE 'KC010' THEN "
        "RAISE NOTICE 'refused KC010: %%', SQLERRM; END $$" % statement, db=srv().dbname)
    check(rc == 0, "DO block failed otherwise", err)
    return "refused KC010" in err


# ---------------------------------------------------------------------------

@tap.test("national path: officer drafts a plan of 25.TTKC with two projects and submits; the 25.SCT leader forwards")
def _():
    year = 2028
    s = srv()
    plan = lan().result("plan.create", {"org_id": s.org_id("25.TTKC"), "year": year, "scope": "national"})
    check(plan["status"] == "draft" and plan["version"] == 1 and plan["scope"] == "national", "plan", plan)
    p1 = lan().result("project.create", project_params(
        plan["id"], "Hỗ trợ làng nghề mây tre", kind="regular", sector="5.1.b", priority_area="a",
        export=True, implementer="Trung tâm Khuyến công Phú Thọ",
        beneficiaries=[{"name": "Hợp tác xã Mây tre đan Phú Lộc", "kind": "cooperative",
                        "tax_code": "2600123456", "commune": "Xã Phú Lộc",
                        "province_org_id": s.org_id("25")}],
        work_items=[{"task": "Khảo sát", "from": "%d-02-01" % year, "to": "%d-03-01" % year,
                     "who": "TTKC"}],
        start_date="%d-02-01" % year, end_date="%d-11-30" % year, no_double_funding=True))
    p2 = lan().result("project.create", project_params(plan["id"], "Đào tạo nghề gốm",
                                                       content_categories=["ND45.4.1"]))
    for p in (p1, p2):
        check(p["status"] == "draft" and p["stage"] == "drafting" and p["version"] == 1, "new project", p)
        check(p["code"].startswith("KCQG-%d-25-" % year) and len(p["code"]) == len("KCQG-2028-25-001"),
              "code format", p["code"])
    check_equal(int(p2["code"][-3:]), int(p1["code"][-3:]) + 1, "consecutive numbers")
    check_equal(p1["budget_lines"], [{"source": "central", "amount": 300000000},
                                     {"source": "counterpart", "amount": 700000000}], "budget lines")
    check_equal(p1["beneficiaries"][0]["kind"], "cooperative", "beneficiary")
    check_equal(p2["content_categories"], ["ND45.4.3", "ND45.4.1"], "categories, primary first")
    got = lan().result("plan.get", {"id": plan["id"]})
    check_equal(got["totals"], {"central": 600000000, "local": 0, "counterpart": 1400000000, "other": 0},
                "totals by source")
    check_equal(got["total"], 2000000000, "total")
    check_equal([x["id"] for x in got["projects"]], [p1["id"], p2["id"]], "projects of the plan")
    # the Ministry does not see a plan still in the province
    user("ministry_reviewer")["client"].error("plan.get", {"id": plan["id"]}, kctest.NOT_FOUND)
    user("ministry_reviewer")["client"].error("project.get", {"id": p1["id"]}, kctest.NOT_FOUND)
    # submit
    sub = lan().result("plan.submit", {"id": plan["id"], "version": 1})
    check(sub["status"] == "submitted" and sub["version"] == 2, "submitted plan", sub)
    check_equal(sorted(sub["projects_moved"]), sorted([p1["id"], p2["id"]]), "projects moved")
    for p in (p1, p2):
        check_equal(project_row(p["id"]), ("submitted", "registered", 2), "project after submit")
    # forward with the appraisal sheet
    fwd = hung().result("plan.appraise", {
        "id": plan["id"], "version": 2, "decision": "forward", "comment": "Đạt yêu cầu",
        "sheet": {"policy_fit": True, "objectives_effective": True, "capacity": True,
                  "combinable": False, "dossier_complete": True, "council": True,
                  "appraised_on": "%d-06-10" % (year - 1), "conclusion": "Đề nghị Bộ xem xét"}})
    check(fwd["status"] == "forwarded" and fwd["version"] == 3, "forwarded", fwd)
    check(fwd["late"] is False and fwd["deadline"] == "%d-06-20" % (year - 1), "not late", fwd)
    check_equal(fwd["appraisal"]["sheet"]["conclusion"], "Đề nghị Bộ xem xét", "sheet kept")
    for p in (p1, p2):
        check_equal(project_row(p["id"]), ("submitted", "base_appraised", 3), "project after forward")
    full = user("ministry_reviewer")["client"].result("project.get", {"id": p1["id"]})
    check_equal([(h["to_status"], h["to_stage"], h["actor_role"]) for h in full["history"]],
                [("draft", "drafting", "province_officer"),
                 ("submitted", "registered", "province_officer"),
                 ("submitted", "base_appraised", "province_leader")], "history")
    check_equal(full["history"][2]["comment"], "Đạt yêu cầu", "comment in the history")
    ph = user("viewer")["client"].result("plan.get", {"id": plan["id"]})["history"]
    check_equal([h["to_status"] for h in ph], ["draft", "submitted", "forwarded"], "plan history")
    S["national"] = {"plan": fwd, "p1": p1, "p2": p2}


@tap.test("a plan forwarded after the year's registration deadline is accepted and marked late")
def _():
    today = datetime.date.today()
    year = today.year if (today.month, today.day) > (6, 20) else today.year - 1
    year = max(year + 1, 2015)
    due = srv().sql("SELECT due FROM calendar_rules WHERE rule = 'registration_deadline' AND year = %d"
                    % year).strip()
    check(due and due < today.isoformat(), "deadline of %d should be past: %r" % (year, due))
    plan = new_plan(year=year, org="25.SCT")
    sub = submitted(plan)
    fwd = hung().result("plan.appraise", {"id": plan["id"], "version": sub["version"],
                                          "decision": "forward"})
    check(fwd["status"] == "forwarded" and fwd["late"] is True and fwd["deadline"] == due, "late", fwd)


@tap.test("local plan: submitted, approved by the leader with a decision number; its projects become approved")
def _():
    plan = new_plan("local", projects=2)
    check(plan["projects"][0]["code"].startswith("KCDP-"), "local code", plan["projects"][0])
    sub = submitted(plan)
    e = hung().error("plan.appraise", {"id": plan["id"], "version": sub["version"], "decision": "forward"},
                     kctest.RULE)
    check_equal(e["data"]["violations"][0]["field"], "decision", "violation field")
    e = hung().error("plan.approve_local", {"id": plan["id"], "version": sub["version"]},
                     kctest.INVALID_PARAMS)
    check({"decision_no", "decision_date", "issuer"} <= set(kctest.field_names(e)), "fields", e)
    ok = hung().result("plan.approve_local", {"id": plan["id"], "version": sub["version"],
                                              "decision_no": "1234/QĐ-UBND",
                                              "decision_date": "2040-01-15",
                                              "issuer": "UBND tỉnh Phú Thọ"})
    check(ok["status"] == "approved" and ok["approval"]["decision_no"] == "1234/QĐ-UBND"
          and ok["approval"]["decision_date"] == "2040-01-15", "approved", ok)
    for p in plan["projects"]:
        status, stage, _ = project_row(p["id"])
        check_equal((status, stage), ("approved", "plan_approved"), "project after approval")
    got = user("ministry_approver")["client"].result("project.get", {"id": plan["projects"][0]["id"]})
    check_equal(got["history"][-1]["document_no"], "1234/QĐ-UBND", "decision number in the history")
    # the Ministry sees local plans read-only
    user("ministry_reviewer")["client"].result("plan.get", {"id": plan["id"]})
    # a national plan cannot be approved locally
    nat = new_plan()
    nsub = submitted(nat)
    hung().error("plan.approve_local", {"id": nat["id"], "version": nsub["version"], "decision_no": "1",
                                        "decision_date": "2040-01-01", "issuer": "UBND"}, kctest.RULE)


@tap.test("return sends the plan and its projects back to draft with the comment; withdraw before appraisal")
def _():
    plan = new_plan()
    sub = submitted(plan)
    e = hung().error("plan.appraise", {"id": plan["id"], "version": sub["version"], "decision": "return"},
                     kctest.INVALID_PARAMS)
    check_equal(kctest.field_names(e), ["comment"], "comment required")
    back = hung().result("plan.appraise", {"id": plan["id"], "version": sub["version"],
                                           "decision": "return", "comment": "Bổ sung dự toán"})
    check(back["status"] == "draft" and back["appraisal"]["comment"] == "Bổ sung dự toán", "returned", back)
    check_equal(project_row(plan["projects"][0]["id"])[:2], ("draft", "returned"), "project returned")
    # the returned project can be edited and the plan submitted again, then withdrawn
    p = lan().result("project.get", {"id": plan["projects"][0]["id"]})
    lan().result("project.update", {"id": p["id"], "version": p["version"], "title": "Đã sửa"})
    sub2 = lan().result("plan.submit", {"id": plan["id"], "version": back["version"]})
    wd = lan().result("plan.withdraw", {"id": plan["id"], "version": sub2["version"]})
    check_equal(wd["status"], "draft", "withdrawn")
    check_equal(project_row(p["id"])[:2], ("draft", "drafting"), "project withdrawn")


@tap.test("illegal transitions through the protocol: 1010 with data.status; roles: 1003")
def _():
    plan = new_plan()
    sub = submitted(plan)
    pid = plan["projects"][0]["id"]
    e = lan().error("plan.submit", {"id": plan["id"], "version": sub["version"]}, BAD_STATUS)
    check_equal(e["data"]["status"], "submitted", "status")
    e = lan().error("plan.update", {"id": plan["id"], "version": sub["version"], "title": "x"}, BAD_STATUS)
    check_equal(e["data"]["status"], "submitted", "status")
    _, _, pv = project_row(pid)
    e = lan().error("project.update", {"id": pid, "version": pv, "title": "x"}, BAD_STATUS)
    check_equal(e["data"]["status"], "submitted", "project status")
    lan().error("project.delete", {"id": pid, "version": pv}, BAD_STATUS)
    lan().error("project.create", project_params(plan["id"]), BAD_STATUS)
    lan().error("plan.appraise", {"id": plan["id"], "version": sub["version"], "decision": "forward"},
                kctest.FORBIDDEN)
    user("ministry_approver")["client"].error("plan.submit", {"id": plan["id"], "version": 1},
                                              kctest.FORBIDDEN)
    fwd = hung().result("plan.appraise", {"id": plan["id"], "version": sub["version"], "decision": "forward"})
    for method in ("plan.withdraw", "plan.submit"):
        e = lan().error(method, {"id": plan["id"], "version": fwd["version"]}, BAD_STATUS)
        check_equal(e["data"]["status"], "forwarded", method)
    hung().error("plan.appraise", {"id": plan["id"], "version": fwd["version"], "decision": "return",
                                   "comment": "x"}, BAD_STATUS)
    # submitting a plan without a draft project
    empty = new_plan(projects=0)
    e = lan().error("plan.submit", {"id": empty["id"], "version": empty["version"]}, kctest.RULE)
    check_equal(e["data"]["violations"][0]["rule"], "not_empty", "empty plan")


@tap.test("the database refuses illegal transitions itself (superuser SQL, with and without kc.actor_role)")
def _():
    plan = new_plan()
    pid = plan["projects"][0]["id"]
    before = project_row(pid)
    check(sql_refused("UPDATE projects SET status = 'submitted', stage = 'registered' WHERE id = %d" % pid),
          "a status change without kc.actor_role went through")
    check(sql_refused("PERFORM set_config('kc.actor_role', 'province_officer', true); "
                      "UPDATE projects SET status = 'approved', stage = 'plan_approved' WHERE id = %d" % pid),
          "an officer approving a project went through")
    check(sql_refused("PERFORM set_config('kc.actor_role', 'ministry_approver', true); "
                      "UPDATE projects SET status = 'submitted', stage = 'registered' WHERE id = %d" % pid),
          "a ministry approver submitting for the province went through")
    check(sql_refused("UPDATE plans SET status = 'forwarded' WHERE id = %d" % plan["id"]),
          "a plan status change without kc.actor_role went through")
    check(sql_refused("PERFORM set_config('kc.actor_role', 'province_officer', true); "
                      "UPDATE plans SET status = 'forwarded' WHERE id = %d" % plan["id"]),
          "an officer forwarding a plan went through")
    check(sql_refused("INSERT INTO projects (plan_id, code, title, status, stage, created_by) "
                      "SELECT %d, '', 'x', 'approved', 'plan_approved', created_by FROM plans WHERE id = %d"
                      % (plan["id"], plan["id"])), "a project inserted as approved")
    check_equal(project_row(pid), before, "project after refused SQL")
    # the legal one passes, and leaves its history row
    check(not sql_refused("PERFORM kc_actor_set(NULL, 'province_officer', 'từ SQL', NULL); "
                          "UPDATE projects SET status = 'submitted', stage = 'registered' WHERE id = %d" % pid),
          "a legal transition was refused")
    check_equal(srv().sql("SELECT to_status || '/' || comment FROM project_history WHERE project_id = %d "
                          "ORDER BY id DESC LIMIT 1" % pid).strip(), "submitted/từ SQL", "history row")
    check(sql_refused("DELETE FROM projects WHERE id = %d" % pid), "a submitted project was deleted")


@tap.test("project codes: KCQG-year-province-NNN, never reused after a delete")
def _():
    plan = new_plan(projects=0)
    a = lan().result("project.create", project_params(plan["id"], "A"))
    lan().result("project.delete", {"id": a["id"], "version": a["version"]})
    lan().error("project.get", {"id": a["id"]}, kctest.NOT_FOUND)
    b = lan().result("project.create", project_params(plan["id"], "B"))
    check(b["code"] != a["code"], "code reused", a["code"], b["code"])
    check_equal(int(b["code"].rsplit("-", 1)[1]), int(a["code"].rsplit("-", 1)[1]) + 1, "next number")
    check_equal(b["code"].rsplit("-", 1)[0], "KCQG-%d-25" % plan["year"], "prefix")


@tap.test("stale version -> 1009 with data.current_version")
def _():
    plan = new_plan()
    lan().result("plan.update", {"id": plan["id"], "version": 1, "title": "Kế hoạch 1"})
    e = lan().error("plan.update", {"id": plan["id"], "version": 1, "title": "Kế hoạch 2"}, kctest.CONFLICT)
    check_equal(e["data"]["current_version"], 2, "plan current_version")
    lan().error("plan.submit", {"id": plan["id"], "version": 1}, kctest.CONFLICT)
    p = plan["projects"][0]
    r = lan().result("project.update", {"id": p["id"], "version": 1, "title": "Lần một",
                                        "budget_lines": [{"source": "local", "amount": 5}]})
    check(r["version"] == 2 and r["budget_lines"] == [{"source": "local", "amount": 5}]
          and r["indicators"] == p["indicators"], "update replaces only the lists given", r)
    e = lan().error("project.update", {"id": p["id"], "version": 1, "title": "Lần hai"}, kctest.CONFLICT)
    check_equal(e["data"]["current_version"], 2, "project current_version")
    check_equal(lan().result("project.get", {"id": p["id"]})["title"], "Lần một", "title kept")
    lan().error("project.delete", {"id": p["id"], "version": 1}, kctest.CONFLICT)


@tap.test("another province's plan and project are 1004 for every method, and absent from lists")
def _():
    plan = new_plan()
    pid = plan["projects"][0]["id"]
    hn = user("province_officer", "01.TTKC")["client"]
    hn_leader = user("province_leader", "01.SCT")["client"]
    hn.error("plan.get", {"id": plan["id"]}, kctest.NOT_FOUND)
    hn.error("plan.update", {"id": plan["id"], "version": 1, "title": "x"}, kctest.NOT_FOUND)
    hn.error("plan.submit", {"id": plan["id"], "version": 1}, kctest.NOT_FOUND)
    hn.error("project.get", {"id": pid}, kctest.NOT_FOUND)
    hn.error("project.update", {"id": pid, "version": 1, "title": "x"}, kctest.NOT_FOUND)
    hn.error("project.delete", {"id": pid, "version": 1}, kctest.NOT_FOUND)
    hn.error("project.create", project_params(plan["id"]), kctest.NOT_FOUND)
    hn.error("plan.create", {"org_id": srv().org_id("25.TTKC"), "year": 2030, "scope": "local"},
             kctest.NOT_FOUND)
    lan().error("plan.create", {"org_id": srv().org_id("01.TTKC"), "year": 2030, "scope": "local"},
                kctest.NOT_FOUND)
    sub = submitted(plan)
    hn_leader.error("plan.appraise", {"id": plan["id"], "version": sub["version"], "decision": "forward"},
                    kctest.NOT_FOUND)
    hn.error("plan.withdraw", {"id": plan["id"], "version": sub["version"]}, kctest.NOT_FOUND)
    check(all(x["id"] != plan["id"] for x in hn.result("plan.list", {"limit": 1000})["items"]), "plan.list")
    check(all(x["id"] != pid for x in hn.result("project.list", {"limit": 1000})["items"]), "project.list")
    check_equal(project_row(pid)[:2], ("submitted", "registered"), "untouched")


@tap.test('search: "lang nghe" finds "Hỗ trợ làng nghề mây tre"; beneficiary names too; keyset paging')
def _():
    nat = S.get("national")
    check(nat, "needs the national path test")
    for q in ("lang nghe", "LÀNG NGHỀ", "Lang Nghe May", "phu loc", "Hợp tác xã mây tre đan",
              nat["p1"]["code"].lower()):
        ids = [x["id"] for x in lan().result("project.list", {"q": q})["items"]]
        check(nat["p1"]["id"] in ids, "q=%r does not find the project" % q, ids)
    ids = [x["id"] for x in lan().result("project.list", {"q": "gom"})["items"]]
    check(nat["p2"]["id"] in ids and nat["p1"]["id"] not in ids, "q=gom", ids)
    check_equal(lan().result("project.list", {"q": "100%_"})["items"], [], "wildcards are literal")
    hn = user("province_officer", "01.TTKC")["client"]
    check_equal(hn.result("project.list", {"q": "lang nghe"})["items"], [], "other province search")
    # filters and paging
    items = lan().result("project.list", {"plan_id": nat["plan"]["id"], "status": "submitted",
                                          "category": "ND45.4.1"})["items"]
    check_equal([x["id"] for x in items], [nat["p2"]["id"]], "category filter")
    page1 = lan().result("project.list", {"plan_id": nat["plan"]["id"], "limit": 1})
    check(len(page1["items"]) == 1 and page1["next_cursor"], "page 1", page1)
    page2 = lan().result("project.list", {"plan_id": nat["plan"]["id"], "limit": 1,
                                          "cursor": page1["next_cursor"]})
    check_equal([x["id"] for x in page1["items"] + page2["items"]], [nat["p1"]["id"], nat["p2"]["id"]],
                "paging")
    check(page2["next_cursor"] is None, "last page", page2)
    # brief: the list's columns only, the same values as the full summary, same paging
    full = lan().result("project.list", {"plan_id": nat["plan"]["id"]})["items"]
    brief = lan().result("project.list", {"plan_id": nat["plan"]["id"], "brief": True})["items"]
    keys = {"id", "code", "plan_id", "year", "org_id", "title", "status", "stage", "version", "total"}
    check_equal([set(x) for x in brief], [keys] * len(full), "brief members")
    check_equal(brief, [{k: x[k] for k in keys} for x in full], "brief values")
    check(any(x["total"] > 0 for x in brief), "totals summed", brief)
    b1 = lan().result("project.list", {"plan_id": nat["plan"]["id"], "brief": True, "limit": 1})
    check_equal(b1["next_cursor"], page1["next_cursor"], "brief paging")
    lan().error("project.list", {"brief": "yes"}, kctest.INVALID_PARAMS)
    check_equal(hn.result("project.list", {"q": "lang nghe", "brief": True})["items"], [],
                "other province, brief")
    plans = lan().result("plan.list", {"year": 2028, "scope": "national"})["items"]
    check(nat["plan"]["id"] in [x["id"] for x in plans], "plan.list filter", plans)
    mine = user("ministry_reviewer")["client"].result("plan.list", {"limit": 1000})["items"]
    check(all(x["scope"] == "local" or x["status"] not in ("draft", "submitted") for x in mine),
          "the Ministry sees a national plan still in the province")


@tap.test("validation: amounts non-negative integers (-32602); unknown source, category, indicator (1022)")
def _():
    plan = new_plan(projects=0)
    e = lan().error("project.create", project_params(plan["id"], budget_lines=[
        {"source": "central", "amount": -1}, {"source": "local", "amount": 1.5},
        {"source": "other", "amount": "5"}]), kctest.INVALID_PARAMS)
    check_equal(set(kctest.field_names(e)), {"budget_lines[0].amount", "budget_lines[1].amount",
                                             "budget_lines[2].amount"}, "fields")
    e = lan().error("project.create", project_params(plan["id"], indicators=[{"code": "I01", "target": -3}],
                                                     bogus=1), kctest.INVALID_PARAMS)
    check_equal(set(kctest.field_names(e)), {"indicators[0].target", "bogus"}, "fields")
    e = lan().error("project.create", project_params(
        plan["id"], content_category="ND45.9.9",
        budget_lines=[{"source": "central", "amount": 1}, {"source": "vingroup", "amount": 1}],
        indicators=[{"code": "I99z", "target": 1}], start_date="2040-05-01", end_date="2040-04-01"),
        kctest.RULE)
    fields = {v["field"] for v in e["data"]["violations"]}
    check_equal(fields, {"content_category", "budget_lines[1].source", "indicators[0].code", "end_date"},
                "violations")
    check_equal(srv().sql("SELECT count(*) FROM projects WHERE plan_id = %d" % plan["id"]).strip(), "0",
                "nothing created")


@tap.test("every write adds exactly one audit row naming the method and the record; reads add none")
def _():
    officer = user("province_officer")
    leader = user("province_leader")

    def one(method, actor, rtype, rid, fn):
        head = kctest.audit_head(admin())
        result = fn()
        rows = audit_rows_since(head)
        check_equal(len(rows), 1, "audit rows of %s" % method)
        r = rows[0]
        check(r["method"] == method and r["record_type"] == rtype and r["record_id"] == rid
              and r["user_id"] == actor["id"], "audit row of %s" % method, r)
        return result, r

    head = kctest.audit_head(admin())
    plan = lan().result("plan.create", {"org_id": srv().org_id("25.TTKC"), "year": next(_years),
                                        "scope": "local"})
    rows = audit_rows_since(head)
    check(len(rows) == 1 and rows[0]["method"] == "plan.create" and rows[0]["record_id"] == plan["id"]
          and rows[0]["after"]["status"] == "draft", "plan.create audit", rows)
    pid = plan["id"]
    plan, _ = one("plan.update", officer, "plan", pid,
                  lambda: lan().result("plan.update", {"id": pid, "version": 1, "note": "ghi chú"}))
    head = kctest.audit_head(admin())
    proj = lan().result("project.create", project_params(pid))
    rows = audit_rows_since(head)
    check(len(rows) == 1 and rows[0]["method"] == "project.create" and rows[0]["record_id"] == proj["id"],
          "project.create audit", rows)
    proj, row = one("project.update", officer, "project", proj["id"],
                    lambda: lan().result("project.update", {"id": proj["id"], "version": 1,
                                                            "budget_lines": [{"source": "local",
                                                                              "amount": 7}]}))
    check(row["before"]["budget_lines"] != row["after"]["budget_lines"], "before and after", row)
    # The row holds what changed (sql/0023), on both sides, and nothing else.
    check_equal(row["after"]["budget_lines"], [{"source": "local", "amount": 7}], "after: the new lines")
    check_equal(row["after"]["version"], 2, "after: the version")
    check(row["before"]["version"] == 1 and "title" not in row["before"] and "title" not in row["after"]
          and "history" not in row["after"] and set(row["before"]) <= set(row["after"]) | {"warnings"},
          "only the members that changed", row)
    # A change of a plain field (no list): the old value comes from the row.
    old_title = proj["title"]
    proj, row = one("project.update", officer, "project", proj["id"],
                    lambda: lan().result("project.update", {"id": proj["id"], "version": proj["version"],
                                                            "title": "Tên mới của đề án"}))
    check_equal((row["before"]["title"], row["after"]["title"]), (old_title, "Tên mới của đề án"),
                "a plain field's before and after")
    check("budget_lines" not in row["before"] and "budget_lines" not in row["after"]
          and row["after"]["version"] == row["before"]["version"] + 1
          and "created_at" not in row["after"] and "code" not in row["after"],
          "only what changed", row)
    extra = lan().result("project.create", project_params(pid, "Xoá"))
    one("project.delete", officer, "project", extra["id"],
        lambda: lan().result("project.delete", {"id": extra["id"], "version": 1}))
    plan, _ = one("plan.submit", officer, "plan", pid,
                  lambda: lan().result("plan.submit", {"id": pid, "version": plan["version"]}))
    plan, _ = one("plan.withdraw", officer, "plan", pid,
                  lambda: lan().result("plan.withdraw", {"id": pid, "version": plan["version"]}))
    plan = lan().result("plan.submit", {"id": pid, "version": plan["version"]})
    plan, _ = one("plan.appraise", leader, "plan", pid,
                  lambda: hung().result("plan.appraise", {"id": pid, "version": plan["version"],
                                                          "decision": "return", "comment": "Sửa"}))
    plan = lan().result("plan.submit", {"id": pid, "version": plan["version"]})
    one("plan.approve_local", leader, "plan", pid,
        lambda: hung().result("plan.approve_local", {"id": pid, "version": plan["version"],
                                                     "decision_no": "9/QĐ-UBND", "decision_date": "2040-02-02",
                                                     "issuer": "UBND tỉnh"}))
    head = kctest.audit_head(admin())
    lan().result("plan.get", {"id": pid})
    lan().result("plan.list", {})
    lan().result("project.get", {"id": proj["id"]})
    lan().result("project.list", {"q": "xoa"})
    lan().error("plan.submit", {"id": pid, "version": 1}, kctest.CONFLICT)
    check_equal(kctest.audit_head(admin()), head, "audit head after reads and refused writes")


@tap.test("the server exits 0 on SIGTERM")
def _():
    for key, u in list(S.items()):
        if isinstance(u, dict) and "client" in u:
            u["client"].close()
    if "admin" in S:
        S["admin"].close()
    srv().stop()


tap.run()
