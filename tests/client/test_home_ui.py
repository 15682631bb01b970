"""test_home_ui — the home page "Việc cần làm" (issue 16) and the leader's
dashboard, through AT-SPI.

A real kc-server (kctest.py) and two kc-client processes under one Xvfb.
The province leader logs in: the home page is the first page. The officer
submits a plan (through the protocol): the leader's home page shows it,
live, as "Kế hoạch cần thẩm định"; one click opens the Plans page; once
the leader forwards it the line is gone. The Ministry sends a project back
for revision (through the protocol): the officer's home page shows it under
"Bị trả lại cho tôi"; one click opens the project's editor; once resubmitted
the line is gone. The leader's dashboard shows the year's money in đồng.
Screenshots: home-leader.png, home-officer.png, dashboard-leader.png.

Run by meson (suite 'client', TAP). Without a display it re-executes itself
under `dbus-run-session -- xvfb-run -a`.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from uikit import (S, _kill, by_name, find, frame, kctest, login, press, pyatspi,  # noqa: E402
                   screenshot, select_section, start_client, tap, text_of, wait_for)

YEAR = 2029


def button(who, name, what, root=None):
    return wait_for(who, by_name(name, pyatspi.ROLE_PUSH_BUTTON), what, root=root)


def gone(who, name, what):
    kctest.eventually(lambda: find(who, by_name(name, pyatspi.ROLE_PUSH_BUTTON)) is None,
                      kctest.scaled(25), interval=0.25, what=what)


def label(who, text, what):
    return wait_for(who, lambda n: n.getRole() == pyatspi.ROLE_LABEL and text_of(n) == text, what)


def scores(value):
    return [{"criterion": c, "score": value} for c in range(1, 6)]


@tap.test("a province's plan with a project; the leader logs in on the home page")
def _():
    server = kctest.Server()
    S["server"] = server
    admin = server.admin()
    users = {role: kctest.create_user(admin, role)
             for role in ("province_officer", "province_leader", "ministry_reviewer",
                          "ministry_approver")}
    S["users"] = users
    S["api"] = {role: server.login(u["username"], u["password"]) for role, u in users.items()}
    officer = S["api"]["province_officer"]
    plan = officer.result("plan.create", {"org_id": server.org_id("25.TTKC"), "year": YEAR,
                                          "scope": "national"})
    project = officer.result("project.create", {
        "plan_id": plan["id"], "title": "Đề án việc cần làm", "content_category": "ND45.4.3",
        "budget_lines": [{"source": "central", "amount": 300000000},
                         {"source": "counterpart", "amount": 700000000}],
        "indicators": [{"code": "I01", "target": 30}], "cap_code": "C02",
        "no_double_funding": True, "start_date": "%d-01-01" % YEAR,
        "end_date": "%d-11-30" % YEAR,
        "beneficiaries": [{"name": "Cơ sở thử", "kind": "household_business"}]})
    S["plan"], S["project"] = plan, project
    start_client("leader")
    login("leader", users["province_leader"]["username"], users["province_leader"]["password"])
    # The first page after login is the home page, in Vietnamese.
    label("leader", "Việc cần làm", "the home page's heading")
    wait_for("leader", by_name("Bảng điều khiển", pyatspi.ROLE_LABEL), "the Dashboard section")


@tap.test("a plan submitted: the leader's home page shows it, live, as a plan to appraise")
def _():
    officer, leader = S["api"]["province_officer"], S["api"]["province_leader"]
    plan = S["plan"]
    S["submitted"] = officer.result("plan.submit", {"id": plan["id"], "version": plan["version"]})
    items = [i for i in leader.result("inbox.list", {"limit": 1000})["items"]
             if i["kind"] == "plan_to_appraise" and i["ref"]["id"] == plan["id"]]
    kctest.check(len(items) == 1, "the server lists the plan for the leader", items)
    S["plan_title"] = items[0]["title"]
    item = button("leader", S["plan_title"], "the plan's line on the home page")
    # What a person reads on the line (and a screen reader says after the title).
    kctest.check(item.description.startswith("Kế hoạch cần thẩm định — Hạn 20/06/%d" % (YEAR - 1)),
                 "the kind in Vietnamese and the due date dd/mm/yyyy", item.description)
    label("leader", "Việc phải làm và thời hạn", "the group heading")
    screenshot("home-leader.png")
    press(item)
    # One click: the Plans page, where the plan is.
    wait_for("leader", lambda n: n.getRole() == pyatspi.ROLE_TABLE_CELL and n.name == "Đã gửi",
             "the Plans page with the submitted plan")


@tap.test("forwarded: the line is gone from the leader's home page")
def _():
    leader = S["api"]["province_leader"]
    leader.result("plan.appraise", {"id": S["plan"]["id"], "version": S["submitted"]["version"],
                                    "decision": "forward"})
    select_section("leader", "Việc cần làm")
    gone("leader", S["plan_title"], "the plan's line gone once forwarded")


@tap.test("sent back by the Ministry: the officer's home page shows it; one click opens the editor")
def _():
    approver, reviewer = S["api"]["ministry_approver"], S["api"]["ministry_reviewer"]
    pid = S["project"]["id"]
    approver.result("review.assign", {"project_id": pid,
                                      "reviewer_id": S["users"]["ministry_reviewer"]["id"]})
    reviewer.result("review.score", {"project_id": pid, "scores": scores(8)})
    p = reviewer.result("project.get", {"id": pid})
    reviewer.result("review.decide", {"project_id": pid, "version": p["version"],
                                      "decision": "request_revision", "comment": "Giảm kinh phí"})
    S["code"] = p["code"]
    S["line"] = "%s — %s" % (p["code"], p["title"])
    officer = S["users"]["province_officer"]
    start_client("officer")
    login("officer", officer["username"], officer["password"])
    label("officer", "Bị trả lại cho tôi", "the sent-back group")
    item = button("officer", S["line"], "the project's line")
    kctest.check(item.description == "Đề án cần chỉnh sửa — Tỉnh Phú Thọ — Bị trả lại",
                 "the kind in Vietnamese and the sent-back marker", item.description)
    screenshot("home-officer.png")
    press(item)
    frame("officer", S["code"])


@tap.test("resubmitted: the line is gone from the officer's home page")
def _():
    officer = S["api"]["province_officer"]
    p = officer.result("project.get", {"id": S["project"]["id"]})
    officer.result("project.resubmit", {"id": p["id"], "version": p["version"]})
    gone("officer", S["line"], "the project's line gone once resubmitted")
    # The leader's window alone on the screen for what follows.
    _kill(S["pid:officer"])


@tap.test("the leader's dashboard: the year's money in đồng, projects by status")
def _():
    select_section("leader", "Bảng điều khiển")
    spin = wait_for("leader", by_name("Năm của bảng điều khiển", pyatspi.ROLE_SPIN_BUTTON),
                    "the year")
    spin.queryValue().currentValue = YEAR
    totals = wait_for("leader", lambda n: n.getRole() == pyatspi.ROLE_LABEL
                      and text_of(n).startswith("1 đề án · kế hoạch 1.000.000.000\u00a0₫"),
                      "the year's totals")
    tap.diag("totals: " + text_of(totals))
    label("leader", "Kinh phí theo nguồn", "the money chart's heading")
    label("leader", "Ngân sách trung ương", "the central budget's line")
    label("leader", "300.000.000\u00a0₫", "its planned figure")
    screenshot("dashboard-leader.png")


@tap.test("the Ministry's dashboard: per province, by name, in a sortable list")
def _():
    _kill(S["pid:leader"])
    approver = S["users"]["ministry_approver"]
    start_client("approver")
    login("approver", approver["username"], approver["password"])
    select_section("approver", "Bảng điều khiển")
    spin = wait_for("approver", by_name("Năm của bảng điều khiển", pyatspi.ROLE_SPIN_BUTTON),
                    "the year")
    spin.queryValue().currentValue = YEAR
    table = wait_for("approver", by_name("Theo tỉnh, thành phố", pyatspi.ROLE_TABLE),
                     "the per-province list")
    wait_for("approver", lambda n: n.getRole() == pyatspi.ROLE_TABLE_CELL
             and n.name == "Tỉnh Phú Thọ", "the province by its name", root=table)
    wait_for("approver", lambda n: n.getRole() == pyatspi.ROLE_TABLE_CELL
             and n.name == "1.000.000.000\u00a0₫", "its planned money", root=table)
    headers = [table.queryTable().getColumnHeader(c).name for c in range(table.queryTable().nColumns)]
    kctest.check(headers[:3] == ["Tỉnh, thành phố", "Đề án", "Kế hoạch"] and "Tỷ lệ giải ngân" in headers,
                 "the columns in Vietnamese", headers)
    screenshot("dashboard-ministry.png")


tap.run()
