"""test_vietnamese_ui — no code of the wire and no English of the server on
the screens of kc-client (issue 17, point 1), through AT-SPI.

A real kc-server (kctest.py) with the records that bring out codes: a
project sent back for revision (request_revision) and resubmitted, one
approved with money (allocation, contract, advance: budget.* audit rows), a
progress report, beneficiaries of each kind. The officer, the approver and
the administrator each open every section of their main window, the
reports of the reports page and the projects' tabs; every label, cell,
button and tab a person sees is read and must be neither a protocol code
(statuses, kinds, roles, sources, confidences, method names, snake_case
words, "project #15") nor a sentence of the server's English.

On the smallest screen the client is made for (1366×768, issue 17 point 5)
the main window fits the screen and nothing a person sees is cut: the
client, started with KC_CHECK_CUT, prints every label ellipsized or clipped
and every list cell narrower than its text (client/kc-cut-check.c), and
each role's walk ends by reading that none was printed.

Screenshot: vietnamese-audit.png (the audit log in words).

Run by meson (suite 'client', TAP). Without a display it re-executes itself
under `dbus-run-session -- xvfb-run -a`.
"""

import os
import re
import sys
import time

os.environ.setdefault("KC_UI_SCREEN", "1366x768x24")
os.environ["KC_CHECK_CUT"] = "1"

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from uikit import (S, by_name, find, kctest, login, press, pyatspi, screenshot,  # noqa: E402
                   select_row, start_client, tap, text_of, usable_button, wait_for, walk)

YEAR = 2029
REVISED = "Đào tạo nghề thêu ren xuất khẩu"
FUNDED = "Trình diễn máy sấy nông sản"

# Every code of the wire a person could be shown (PROTOCOL.md, docs/protocol.md);
# "admin" is also the first account's username, shown as such on the Users page.
CODES = set("""
draft submitted forwarded approved revision_requested rejected in_progress completed settled
cancelled drafting returned registered base_appraised resubmitted plan_approved accepted adjusting
advanced base_appraisal_failed contracted fully_advanced implementation_plan_approved
ministry_appraised not_selected partially_settled plan_assigned settlement_submitted
central local counterpart other national enterprise cooperative cooperative_group
household_business province_officer province_leader ministry_reviewer ministry_approver viewer
ministry ministry_department regional_centre province province_department promotion_centre
regular group flagship selection bidding approve reject request_revision advance final refund
reported confirmed pending open answered closed
""".split())
METHOD = re.compile(r"\b(auth|user|org|plan|project|budget|review|decision|programme|round|progress|"
                    r"adjustment|attachment|catalog|correspondence|report|inbox|events)\.[a-z_]+\b")
SNAKE = re.compile(r"(?<![\w.-])[a-z]+_[a-z_]+(?![\w.-])")
NUMBERED = re.compile(r"\b[a-z_]+ #\d+")
# Words of the server's English sentences that Vietnamese never uses.
ENGLISH = re.compile(r"\b(the|must|should|is|are|not|with|least|most|than|cannot|has|have|"
                     r"server's words|several|choose|before|after|only)\b")


def problems_of(text):
    """What is wrong with one text a person sees, or None."""
    text = (text or "").strip()
    if not text:
        return None
    if text in CODES or text in ("C", "P", "U"):
        return "a code"
    for pattern, what in ((METHOD, "a method name"), (SNAKE, "a snake_case code"),
                          (NUMBERED, "a record by number"), (ENGLISH, "the server's English")):
        m = pattern.search(text)
        if m:
            return "%s (%r)" % (what, m.group(0))
    return None


def visible_texts(root):
    """(role, text) of every label, cell, button and tab showing under @root."""
    seen = []
    roles = {pyatspi.ROLE_LABEL, pyatspi.ROLE_TABLE_CELL, pyatspi.ROLE_PUSH_BUTTON,
             pyatspi.ROLE_PAGE_TAB, pyatspi.ROLE_TOGGLE_BUTTON, pyatspi.ROLE_CHECK_BOX,
             pyatspi.ROLE_COLUMN_HEADER, pyatspi.ROLE_COMBO_BOX, pyatspi.ROLE_STATUS_BAR}
    for node in walk(root):
        try:
            if not node.getState().contains(pyatspi.STATE_SHOWING):
                continue
            role = node.getRole()
            if role not in roles:
                continue
            texts = {node.name}
            if role in (pyatspi.ROLE_LABEL, pyatspi.ROLE_STATUS_BAR):
                texts.add(text_of(node))
            for t in texts:
                if t:
                    seen.append((node.getRoleName(), t))
        except Exception as e:
            S.setdefault("walk_errors", []).append(repr(e))
            continue
    if S.get("walk_errors"):
        tap.diag("walk errors: %r" % S["walk_errors"][:3])
    return seen


def check_screen(who, root, where):
    """Fails the test with every offending text of the screen."""
    bad = []
    texts = visible_texts(root)
    for role, text in texts:
        why = problems_of(text)
        if why:
            bad.append("%s %r: %s" % (role, text, why))
    S.setdefault("screens", 0)
    S["screens"] += 1
    tap.diag("%s, %s: %d texts read" % (who, where, len(texts)))
    kctest.check(not bad, "%s sees codes or English on %s" % (who, where), bad[:20])


def check_nothing_cut(who):
    """The window within the screen; no text the client found cut."""
    frame = main_window(who)
    x, y, w, h = frame.queryComponent().getExtents(pyatspi.DESKTOP_COORDS)
    sw, sh = (int(v) for v in os.environ["KC_UI_SCREEN"].split("x")[:2])
    kctest.check(x >= 0 and y >= 0 and x + w <= sw and y + h <= sh,
                 "the main window of %s leaves the %dx%d screen" % (who, sw, sh), (x, y, w, h))
    time.sleep(2)  # three looks of the checker: what is cut now is printed
    with open(S["log:" + who], encoding="utf-8", errors="replace") as log:
        lines = log.readlines()
    cut = sorted({line.strip() for line in lines if line.startswith("kc-cut: ")})
    # Columns past a list's edge are hints only (kc-cut-check.h): said, not failed.
    for line in sorted({line.strip() for line in lines if line.startswith("kc-edge: ")}):
        tap.diag(line)
    kctest.check(not cut, "%d texts cut on the screens of %s" % (len(cut), who), cut[:20])


def shot_all(who, where):
    """With KC_UI_SHOTS_ALL set, a screenshot of every screen walked (all-WHO-WHERE.png)."""
    if os.environ.get("KC_UI_SHOTS_ALL"):
        screenshot("all-%s-%s.png" % (who, where.replace(" ", "_").replace("/", "_")))


def settle(seconds=1.5):
    """Lets a page read its list and paint it."""
    time.sleep(kctest.scaled(seconds))


def main_window(who):
    """The frame of the sections sidebar (the login window has the same title)."""
    node = wait_for(who, by_name("Các mục", None), "the sections sidebar of " + who)
    while node is not None and node.getRole() != pyatspi.ROLE_FRAME:
        node = node.parent
    return node


def sections(who):
    bar = wait_for(who, by_name("Các mục", None), "the sections sidebar")
    return [n for n in walk(bar) if n.getRole() == pyatspi.ROLE_LABEL and n.name]


def visit_sections(who):
    main = main_window(who)
    names = [n.name for n in sections(who)]
    kctest.check(names, "no sections for " + who)
    for name in names:
        label = wait_for(who, by_name(name, pyatspi.ROLE_LABEL), "section " + name)
        row = label.parent
        row.parent.querySelection().selectChild(row.getIndexInParent())
        settle()
        check_screen(who, main, "section " + name)
        shot_all(who, name)
        if name == "Báo cáo":
            visit_reports(who, main)
    return main


def visit_reports(who, main):
    combo = wait_for(who, by_name("Loại báo cáo", pyatspi.ROLE_COMBO_BOX), "the report chooser")
    items = [n for n in walk(combo) if n.getRole() == pyatspi.ROLE_MENU_ITEM and n.name]
    for item in items:
        combo.querySelection().selectChild(item.getIndexInParent())
        settle(2)
        check_screen(who, main, "report " + item.name)
        shot_all(who, "report-%d" % item.getIndexInParent())


def open_project(who, main, title):
    cell = wait_for(who, lambda n: n.getRole() == pyatspi.ROLE_TABLE_CELL and n.name == title,
                    "the project %r" % title, root=main)
    press(cell)
    editor = wait_for(who, lambda n: n.getRole() == pyatspi.ROLE_FRAME and title in n.name,
                      "the editor of %r" % title)
    settle()
    tabs = [n for n in walk(editor) if n.getRole() == pyatspi.ROLE_PAGE_TAB and n.name]
    for tab in tabs:
        tab.parent.querySelection().selectChild(tab.getIndexInParent())
        settle(1)
        check_screen(who, editor, "%s, tab %s" % (title, tab.name))
        shot_all(who, tab.name)
    press(wait_for(who, lambda n: n.getRole() == pyatspi.ROLE_PUSH_BUTTON
                   and n.name in ("Close", "Đóng"), "the editor's close button", root=editor))


@tap.test("the checker itself: codes and English are caught, Vietnamese passes")
def _():
    for bad in ("in_progress", "budget.disburse", "project #15", "regular — Đề án" .split(" — ")[0],
                "cooperative", "P", "the content ND45.4.3 has several caps",
                "(máy chủ: password must have at least 12 characters)", "request_revision: Giảm"):
        kctest.check(problems_of(bad), "not caught: %r" % bad)
    for good in ("Đang thực hiện", "Ghi thanh toán", "Đề án: KCQG-2029-25-001 — Đào tạo", "41,7 %",
                 "1.234.567\u00a0₫", "Hợp tác xã", "HĐ-07/KC", "UNC-15", "province-offi-1a2b3c4d"):
        kctest.check(problems_of(good) is None, "wrongly caught: %r (%s)" % (good, problems_of(good)))


@tap.test("records: a project sent back and resubmitted, one approved with money, a progress report")
def _():
    server = kctest.Server()
    S["server"] = server
    admin = server.admin()
    people = {}
    for role, org, name in (("province_officer", "25.TTKC", "Nguyễn Thị Lan"),
                            ("province_leader", "25.SCT", "Trần Văn Hùng"),
                            ("ministry_approver", "BCT.CKC", "Lê Văn Bình"),
                            ("admin", "BCT.CKC", "Phạm Quản Trị")):
        password = kctest.new_password()
        u = admin.result("user.create", {"username": "vi-" + role.split("_")[-1], "full_name": name,
                                         "role": role, "org_id": server.org_id(org),
                                         "password": password})
        u["password"] = password
        people[role] = u
    S["people"] = people
    lan = server.login(people["province_officer"]["username"], people["province_officer"]["password"])
    hung = server.login(people["province_leader"]["username"], people["province_leader"]["password"])
    boss = server.login(people["ministry_approver"]["username"], people["ministry_approver"]["password"])
    org = server.org_id("25.TTKC")
    plan = lan.result("plan.create", {"org_id": org, "year": YEAR, "scope": "national"})
    common = {"plan_id": plan["id"], "content_category": "ND45.4.3", "cap_code": "C02",
              "no_double_funding": True, "start_date": "%d-03-01" % YEAR,
              "end_date": "%d-11-30" % YEAR, "implementer": "Trung tâm Khuyến công Phú Thọ",
              "beneficiaries": [{"name": "Hợp tác xã Thêu ren Phú Lộc", "kind": "cooperative"},
                                {"name": "Hộ kinh doanh Minh Tâm", "kind": "household_business"}]}
    revised = lan.result("project.create", dict(common, title=REVISED, budget_lines=[
        {"source": "central", "amount": 250000000}, {"source": "counterpart", "amount": 600000000}]))
    funded = lan.result("project.create", dict(common, title=FUNDED, budget_lines=[
        {"source": "central", "amount": 240000000}, {"source": "counterpart", "amount": 560000000}]))
    submitted = lan.result("plan.submit", {"id": plan["id"], "version": plan["version"]})
    hung.result("plan.appraise", {"id": plan["id"], "version": submitted["version"],
                                  "decision": "forward", "comment": "Đạt"})
    p = lan.result("project.get", {"id": revised["id"]})
    boss.result("review.decide", {"project_id": p["id"], "version": p["version"],
                                  "decision": "request_revision", "comment": "Giảm kinh phí"})
    p = lan.result("project.get", {"id": revised["id"]})
    p = lan.result("project.update", {"id": p["id"], "version": p["version"], "budget_lines": [
        {"source": "central", "amount": 200000000}, {"source": "counterpart", "amount": 600000000}]})
    lan.result("project.resubmit", {"id": p["id"], "version": p["version"]})
    f = lan.result("project.get", {"id": funded["id"]})
    boss.result("review.decide", {"project_id": f["id"], "version": f["version"], "decision": "approve"})
    boss.result("decision.approve_plan", {"year": YEAR, "number": "QĐ-%d/BCT" % YEAR,
                                          "signed_on": "%d-01-10" % YEAR, "signer": "Bộ trưởng",
                                          "project_ids": [f["id"]]})
    f = lan.result("project.get", {"id": funded["id"]})
    boss.result("budget.set_appropriation", {"year": YEAR, "source": "central", "amount": 5000000000})
    boss.result("budget.allocate", {"project_id": f["id"], "version": f["version"], "amount": 240000000})
    boss.result("budget.contract", {"project_id": f["id"], "version": f["version"], "number": "HĐ-07/KC",
                                    "signed_on": "%d-02-15" % YEAR, "amount": 230000000})
    # a model's first advance rests on a report the Department confirmed of more than 70 % of the
    # investment done (TT 36/2013 Art. 13.2.d, sql/0039)
    r = lan.result("progress.report", {"project_id": f["id"], "period": "%d-04" % YEAR, "percent_done": 75,
                                       "indicators": []})
    hung.result("progress.confirm", {"id": r["id"], "version": r["version"]})
    boss.result("budget.disburse", {"project_id": f["id"], "kind": "advance", "amount": 123456789,
                                    "date": "%d-05-04" % YEAR, "document_no": "UNC-15"})


@tap.test("the province officer: every section, every report, both projects' tabs")
def _():
    u = S["people"]["province_officer"]
    start_client("officer")
    login("officer", u["username"], u["password"])
    main = visit_sections("officer")
    label = wait_for("officer", by_name("Đề án", pyatspi.ROLE_LABEL), "section Đề án")
    label.parent.parent.querySelection().selectChild(label.parent.getIndexInParent())
    open_project("officer", main, REVISED)
    open_project("officer", main, FUNDED)
    check_nothing_cut("officer")


@tap.test("the Ministry's approver: every section, every report, the resubmitted project's tabs")
def _():
    u = S["people"]["ministry_approver"]
    start_client("approver")
    login("approver", u["username"], u["password"])
    main = visit_sections("approver")
    label = wait_for("approver", by_name("Đề án", pyatspi.ROLE_LABEL), "section Đề án")
    label.parent.parent.querySelection().selectChild(label.parent.getIndexInParent())
    # the Ministry's list names each project's province, and filters by it (point 5)
    wait_for("approver", lambda n: n.getRole() == pyatspi.ROLE_TABLE_CELL and n.name == "Tỉnh Phú Thọ",
             "the province column", root=main)
    combo = wait_for("approver", by_name("Lọc theo tỉnh", pyatspi.ROLE_COMBO_BOX), "the province filter")
    items = [n for n in walk(combo) if n.getRole() == pyatspi.ROLE_MENU_ITEM]
    kctest.check(len(items) >= 35 and "Tỉnh Phú Thọ" in [n.name for n in items],
                 "the 34 provinces and 'all'", [n.name for n in items][:5])
    screenshot("projects-ministry.png")
    open_project("approver", main, REVISED)
    check_nothing_cut("approver")


@tap.test("the administrator: every section; the audit log speaks of acts and records by name")
def _():
    u = S["people"]["admin"]
    start_client("admin")
    login("admin", u["username"], u["password"])
    visit_sections("admin")
    label = wait_for("admin", by_name("Nhật ký", pyatspi.ROLE_LABEL), "section Nhật ký")
    label.parent.parent.querySelection().selectChild(label.parent.getIndexInParent())
    wait_for("admin", lambda n: n.getRole() == pyatspi.ROLE_TABLE_CELL and n.name == "Ghi thanh toán",
             "the payment's audit row in words")
    wait_for("admin", lambda n: n.getRole() == pyatspi.ROLE_TABLE_CELL
             and n.name.startswith("Thanh toán: ") and n.name.endswith(" — UNC-15"),
             "the payment named by its project and voucher")
    screenshot("vietnamese-audit.png")
    check_nothing_cut("admin")


@tap.test("the administrator edits an account: its name; a Ministry role in a province's unit is refused before sending")
def _():
    label = wait_for("admin", by_name("Người dùng", pyatspi.ROLE_LABEL), "section Người dùng")
    label.parent.parent.querySelection().selectChild(label.parent.getIndexInParent())
    # In the accounts' table: the audit log, shown just before and still
    # on screen while the pages cross-fade, has "vi-officer" cells too (its
    # Who column); a row selected there enables no edit button.
    accounts = wait_for("admin", by_name("Tài khoản", pyatspi.ROLE_TABLE), "the accounts' table")
    select_row("admin", "vi-officer", "the officer's row selected", root=accounts)
    press(usable_button("admin", "Sửa tài khoản…", "the edit button"))
    dialog = wait_for("admin", lambda n: n.getRole() == pyatspi.ROLE_DIALOG and n.name == "Sửa tài khoản",
                      "the edit dialog")
    role = wait_for("admin", lambda n: n.getRole() == pyatspi.ROLE_COMBO_BOX
                    and any(m.getRole() == pyatspi.ROLE_MENU_ITEM and m.name == "Cán bộ tỉnh" for m in walk(n)),
                    "the role chooser", root=dialog)
    item = wait_for("admin", lambda n: n.getRole() == pyatspi.ROLE_MENU_ITEM and n.name == "Lãnh đạo phê duyệt (Bộ)",
                    "the approver role", root=role, showing=False)
    role.querySelection().selectChild(item.getIndexInParent())
    wait_for("admin", lambda n: n.getRole() == pyatspi.ROLE_LABEL and n.name.startswith("Vai trò này không thuộc đơn vị"),
             "the role/unit objection, as the role is chosen", root=dialog)
    screenshot("user-edit-role-org.png")
    item = wait_for("admin", lambda n: n.getRole() == pyatspi.ROLE_MENU_ITEM and n.name == "Cán bộ tỉnh",
                    "the officer role", root=role, showing=False)
    role.querySelection().selectChild(item.getIndexInParent())
    name = wait_for("admin", lambda n: n.getRole() == pyatspi.ROLE_TEXT and text_of(n) == "Nguyễn Thị Lan",
                    "the full name", root=dialog)
    name.queryEditableText().setTextContents("Nguyễn Thị Lan Anh")
    press(wait_for("admin", by_name("Lưu", pyatspi.ROLE_PUSH_BUTTON), "save", root=dialog))
    wait_for("admin", lambda n: n.getRole() == pyatspi.ROLE_TABLE_CELL and n.name == "Nguyễn Thị Lan Anh",
             "the new name in the list")


tap.run()
