"""test_home_ui — the home page "Việc cần làm" (issue 16) and the leader's
dashboard, through AT-SPI.

A real kc-server (kctest.py) and two kc-client processes under one Xvfb.
The province leader logs in: the home page is the first page. The officer
submits a plan (through the protocol): the leader's home page shows it,
live, as "Kế hoạch cần thẩm định"; one click opens the Plans page with the
plan selected; once the leader forwards it there, the line is gone. A new item raises a desktop notification (recorded by a
stand-in org.freedesktop.Notifications on the session bus); a click on it
(ActionInvoked "default": app.show-home) brings the home page back from another page; none once
"Thông báo việc mới" is turned off in the main menu. The Ministry sends a project back
for revision (through the protocol): the officer's home page shows it under
"Bị trả lại cho tôi"; one click opens the project's editor; once resubmitted
the line is gone. The leader's dashboard shows the year's money in đồng.
Screenshots: home-leader.png, home-late.png, home-officer.png, dashboard-leader.png,
dashboard-ministry.png.

Run by meson (suite 'client', TAP). Without a display it re-executes itself
under `dbus-run-session -- xvfb-run -a`.
"""

import os
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from uikit import (S, _kill, app_of, by_name, field, find, frame, kctest, login, press, pyatspi,  # noqa: E402
                   screenshot, select_section, set_text, start_client, tap, text_of, wait_for, walk)

YEAR = 2029

NOTIFY_XML = """<node><interface name="org.freedesktop.Notifications">
  <method name="Notify"><arg type="s" direction="in"/><arg type="u" direction="in"/>
    <arg type="s" direction="in"/><arg type="s" direction="in"/><arg type="s" direction="in"/>
    <arg type="as" direction="in"/><arg type="a{sv}" direction="in"/><arg type="i" direction="in"/>
    <arg type="u" direction="out"/></method>
  <method name="CloseNotification"><arg type="u" direction="in"/></method>
  <method name="GetCapabilities"><arg type="as" direction="out"/></method>
  <method name="GetServerInformation"><arg type="s" direction="out"/><arg type="s" direction="out"/>
    <arg type="s" direction="out"/><arg type="s" direction="out"/></method>
</interface></node>"""


ACTIONS = []   # each notification's actions (its default one is "default")
BUS = {}       # the service's connection, to say a notification was clicked


def click_notification(number):
    """What the desktop says when the person clicks notification @number
    (1, 2, …): ActionInvoked with its default action."""
    from gi.repository import GLib
    BUS["conn"].emit_signal(None, "/org/freedesktop/Notifications", "org.freedesktop.Notifications",
                            "ActionInvoked", GLib.Variant("(us)", (number, "default")))


def notification_server():
    """A desktop's notification service on the test's session bus (the first
    client's): records what GNotification sends, as (summary, body)."""
    from gi.repository import Gio, GLib
    got = []
    ready = threading.Event()

    def serve():
        ctx = GLib.MainContext.new()
        ctx.push_thread_default()
        bus = Gio.bus_get_sync(Gio.BusType.SESSION, None)

        def call(conn, sender, path, iface, method, params, invocation):
            if method == "Notify":
                args = params.unpack()
                got.append((args[3], args[4]))
                ACTIONS.append(list(args[5]))
                BUS["conn"] = conn
                invocation.return_value(GLib.Variant("(u)", (len(got),)))
            elif method == "GetCapabilities":
                invocation.return_value(GLib.Variant("(as)", (["body"],)))
            elif method == "GetServerInformation":
                invocation.return_value(GLib.Variant("(ssss)", ("test", "kc", "1", "1.2")))
            else:
                invocation.return_value(None)
        info = Gio.DBusNodeInfo.new_for_xml(NOTIFY_XML)
        bus.register_object("/org/freedesktop/Notifications", info.interfaces[0], call, None, None)
        bus.call_sync("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus", "RequestName",
                      GLib.Variant("(su)", ("org.freedesktop.Notifications", 4)), None,
                      Gio.DBusCallFlags.NONE, -1, None)
        ready.set()
        GLib.MainLoop(ctx).run()
    threading.Thread(target=serve, daemon=True).start()
    ready.wait(10)
    return got


def submit_plan(year, org, title):
    """A plan of one project, submitted by the officer (through the protocol)."""
    officer, server = S["api"]["province_officer"], S["server"]
    plan = officer.result("plan.create", {"org_id": server.org_id(org), "year": year, "scope": "national",
                                          "title": title})
    officer.result("project.create", {
        "plan_id": plan["id"], "title": "Đề án thông báo", "content_category": "ND45.4.3",
        "budget_lines": [{"source": "central", "amount": 300000000},
                         {"source": "counterpart", "amount": 700000000}],
        "indicators": [{"code": "I01", "target": 30}], "cap_code": "C02",
        "no_double_funding": True, "start_date": "%d-01-01" % year,
        "end_date": "%d-11-30" % year,
        "beneficiaries": [{"name": "Cơ sở thử", "kind": "household_business"}]})
    plan = officer.result("plan.get", {"id": plan["id"]})
    return officer.result("plan.submit", {"id": plan["id"], "version": plan["version"]})


def button(who, name, what, root=None):
    return wait_for(who, by_name(name, pyatspi.ROLE_PUSH_BUTTON), what, root=root)


def find_all(who, pred):
    """Every showing node of @who's client that @pred accepts."""
    root = app_of(S["pid:" + who])
    found = []
    for node in (walk(root) if root is not None else ()):
        try:
            if node.getState().contains(pyatspi.STATE_SHOWING) and pred(node):
                found.append(node)
        except Exception:
            pass
    return found


def gone(who, name, what, kind=None):
    """No line @name (of @kind, the text its description starts with, when given)."""
    def line(n):
        return by_name(name, pyatspi.ROLE_PUSH_BUTTON)(n) and (kind is None or n.description.startswith(kind))
    kctest.eventually(lambda: find(who, line) is None, kctest.scaled(25), interval=0.25, what=what)


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
    S["notes"] = notification_server()
    # Under Xvfb without a window manager the window may count as in front:
    # the leader's client notifies whether or not.
    os.environ["KC_NOTIFY_ALWAYS"] = "1"
    start_client("leader")
    del os.environ["KC_NOTIFY_ALWAYS"]
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
    # A plan without a title has one name wherever it is met (sql/0054, kc_label_plan_name):
    # its line to appraise and its line among the changes (which said "Kế hoạch số <id>").
    kctest.check(items[0]["title"] is None, "no title, no sentence from the server", items[0])
    S["plan_title"] = "Kế hoạch KCQG năm %d" % YEAR
    kctest.eventually(lambda: len(find_all("leader", by_name(S["plan_title"], pyatspi.ROLE_PUSH_BUTTON))) == 2,
                      kctest.scaled(25), interval=0.25, what="the plan's line and its change, named alike")
    item = button("leader", S["plan_title"], "the plan's line on the home page")
    # What a person reads on the line (and a screen reader says after the title).
    kctest.check(item.description.startswith("Kế hoạch cần thẩm định — Hạn 20/06/%d" % (YEAR - 1)),
                 "the kind in Vietnamese and the due date dd/mm/yyyy", item.description)
    label("leader", "Việc phải làm và thời hạn", "the group heading")
    screenshot("home-leader.png")
    press(item)
    # One click: the Plans page, the plan selected, its acts at hand.
    cell = wait_for("leader", lambda n: n.getRole() == pyatspi.ROLE_TABLE_CELL and n.name == "Đã gửi",
                    "the Plans page with the submitted plan")
    table = cell.parent.queryTable()
    row = table.getRowAtIndex(cell.getIndexInParent())
    kctest.eventually(lambda: table.isRowSelected(row), kctest.scaled(5), interval=0.2,
                      what="the plan selected")
    wait_for("leader", lambda n: n.name == "Chuyển lên Bộ…" and n.getRole() == pyatspi.ROLE_PUSH_BUTTON
             and n.getState().contains(pyatspi.STATE_SENSITIVE), "its forward button, usable")


@tap.test("forwarded on the Plans page: the line is gone from the leader's home page")
def _():
    press(wait_for("leader", by_name("Chuyển lên Bộ…", pyatspi.ROLE_PUSH_BUTTON), "the forward button"))
    dialog = wait_for("leader", lambda n: n.getRole() == pyatspi.ROLE_DIALOG
                      and n.name == "Chuyển kế hoạch lên Bộ", "the forward dialog")
    set_text(field("leader", dialog, "Ý kiến"), "Đạt yêu cầu")
    press(button("leader", "Gửi", "the send button", root=dialog))
    wait_for("leader", lambda n: n.getRole() == pyatspi.ROLE_TABLE_CELL and n.name == "Đã chuyển Bộ",
             "the plan forwarded")
    kctest.check(S["api"]["province_leader"].result("plan.get", {"id": S["plan"]["id"]})["status"]
                 == "forwarded", "the server has it forwarded")
    select_section("leader", "Việc cần làm")
    gone("leader", S["plan_title"], "the plan's line gone once forwarded", kind="Kế hoạch cần thẩm định")


@tap.test("a new item: a desktop notification; none once turned off in the menu")
def _():
    notes = S["notes"]
    before = len(notes)
    submit_plan(YEAR + 1, "25.TTKC", "Kế hoạch thông báo %d" % (YEAR + 1))
    button("leader", "Kế hoạch thông báo %d" % (YEAR + 1), "the new plan's line")
    kctest.eventually(lambda: len(notes) > before, kctest.scaled(10), interval=0.2,
                      what="the desktop notification")
    tap.diag("notification: %r" % (notes[-1],))
    kctest.check(notes[-1] == ("1 việc mới đang chờ bạn", "Kế hoạch thông báo %d" % (YEAR + 1)),
                 "the notification says what came, in Vietnamese", notes[-1])
    # A click on it: the window in front on the home page (app.show-home),
    # from another page.
    kctest.check("default" in ACTIONS[-1], "the notification has a default action", ACTIONS[-1])
    select_section("leader", "Kế hoạch")
    kctest.eventually(lambda: find("leader", by_name("Kế hoạch thông báo %d" % (YEAR + 1),
                                                     pyatspi.ROLE_PUSH_BUTTON)) is None,
                      kctest.scaled(10), interval=0.2, what="the home page hidden")
    click_notification(len(notes))
    button("leader", "Kế hoạch thông báo %d" % (YEAR + 1), "the home page shown by the click")
    menu = wait_for("leader", lambda n: n.name == "Trình đơn chính"
                    and n.getRole() in (pyatspi.ROLE_TOGGLE_BUTTON, pyatspi.ROLE_PUSH_BUTTON),
                    "the main menu")
    press(menu)
    toggle = wait_for("leader", lambda n: n.name == "Thông báo việc mới", "the notify toggle")
    press(toggle)
    if find("leader", lambda n: n.name == "Thông báo việc mới") is not None:
        press(menu)   # the menu stays open after a toggle: closed again
    count = len(notes)
    submit_plan(YEAR + 1, "25.SCT", "Kế hoạch không thông báo %d" % (YEAR + 1))
    button("leader", "Kế hoạch không thông báo %d" % (YEAR + 1), "the second plan's line")
    time.sleep(1)
    kctest.check(len(notes) == count, "no notification once turned off", notes[count:])


@tap.test("late: a plan past its registration deadline is under Trễ hạn, with the days late")
def _():
    submit_plan(2026, "25.TTKC", "Kế hoạch nộp muộn 2026")
    leader = S["api"]["province_leader"]
    (it,) = [i for i in leader.result("inbox.list", {"limit": 1000})["items"]
             if i["title"] == "Kế hoạch nộp muộn 2026"]
    kctest.check(it["overdue"] and it["days_late"] > 0, "the server has it late", it)
    item = button("leader", "Kế hoạch nộp muộn 2026", "the late plan's line")
    label("leader", "Trễ hạn", "the late group's heading")
    kctest.check(item.description == "Kế hoạch cần thẩm định — Hạn 20/06/2025 — Tỉnh Phú Thọ — Quá hạn %d ngày"
                 % it["days_late"], "due date and days late in Vietnamese", item.description)
    screenshot("home-late.png")


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


@tap.test("a request the Ministry answered: one click shows it selected on Kiến nghị")
def _():
    officer, approver = S["api"]["province_officer"], S["api"]["ministry_approver"]
    c = officer.result("correspondence.open", {"subject": "Hỏi về mức hỗ trợ tạm ứng",
                                               "body": "Đề nghị Bộ hướng dẫn."})
    approver.result("correspondence.answer", {"id": c["id"], "version": c["version"],
                                              "answer": "Theo Thông tư 28/2018/TT-BCT."})
    item = button("officer", "Hỏi về mức hỗ trợ tạm ứng", "the answered request's line")
    kctest.check(item.description.startswith("Văn bản đã được trả lời"), "its kind", item.description)
    press(item)
    cell = wait_for("officer", lambda n: n.getRole() == pyatspi.ROLE_TABLE_CELL
                    and n.name == "Hỏi về mức hỗ trợ tạm ứng", "the request on Kiến nghị")
    table = cell.parent.queryTable()
    row = table.getRowAtIndex(cell.getIndexInParent())
    kctest.eventually(lambda: table.isRowSelected(row), kctest.scaled(5), interval=0.2,
                      what="the request selected")
    # Read and closed: the line goes.
    c = officer.result("correspondence.get", {"id": c["id"]})
    officer.result("correspondence.close", {"id": c["id"], "version": c["version"]})
    select_section("officer", "Việc cần làm")
    gone("officer", "Hỏi về mức hỗ trợ tạm ứng", "the request's line gone once closed")
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
    # Gone from the accessibility bus before the next client starts (a defunct
    # application there fails the look-up of the ones already running).
    kctest.eventually(lambda: app_of(S["pid:leader"]) is None, kctest.scaled(10), interval=0.2,
                      what="the leader's client gone")
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


@tap.test("a group of more than 40: its first 40 and \"Còn N việc nữa\"; pressed, the rest of the group "
          "(inbox.list per_group, then group from the 40th, sql/0054)")
def _():
    officer, approver = S["api"]["province_officer"], S["api"]["ministry_approver"]
    for k in range(41):
        officer.result("correspondence.open", {"subject": "Kiến nghị số %02d" % k, "body": "Xin hướng dẫn."})
    select_section("approver", "Việc cần làm")
    todo = approver.result("inbox.list", {"per_group": 40})["counts"]["groups"]["todo"]
    kctest.check(todo > 40, "more than 40 to do", todo)
    more_text = "Còn %d việc nữa — xem tất cả" % (todo - 40)

    # The group's list: its rows past the view are not showing, so they are read
    # as the list's children (row → its flat button).
    def row_name(lst, i):
        try:
            return lst.getChildAtIndex(i).getChildAtIndex(0).name
        except Exception:
            return None

    def group_list():
        return find("approver", lambda n: n.getRole() in (pyatspi.ROLE_LIST_BOX, pyatspi.ROLE_LIST)
                    and (row_name(n, 0) or "").startswith("Kiến nghị số "))
    lst = kctest.eventually(lambda: (lambda n: n if n is not None and n.childCount == 41
                                     and row_name(n, 40) == more_text else None)(group_list()),
                            kctest.scaled(25), interval=0.25, what="40 rows and the more row")
    press(lst.getChildAtIndex(40).getChildAtIndex(0))
    kctest.eventually(lambda: (lambda n: n is not None and n.childCount == todo
                               and row_name(n, todo - 1) == "Kiến nghị số 00")(group_list()),
                      kctest.scaled(25), interval=0.25, what="every request, the more row gone")


tap.run()
