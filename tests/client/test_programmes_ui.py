"""test_programmes_ui — the Chương trình page of kc-client through AT-SPI.

The Ministry's approver opens the page: the programme in force (2026–2030)
is selected first; they pick the 2021–2025 national programme, whose
targets show beside what is achieved and as a chart; they change the target
of "Số mô hình trình diễn kỹ thuật" (programme.set_targets, checked on the
server with the decision it is made by — an approved programme changes only
through one — the other targets and their sources kept) and the table shows the
new figure; its budget envelope changes the same way (money 1.234.567 ₫).
A province officer reads the same programme without the buttons to change
it. Phú Thọ's share of a national target added as a row of its own.
Screenshot: programmes.png (docs/screenshots/).

Run by meson (suite 'client', TAP). Without a display it re-executes itself
under `dbus-run-session -- xvfb-run -a`.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from uikit import (S, by_name, find, kctest, login, press, pyatspi, screenshot,  # noqa: E402
                   select_row, select_section, set_text, start_client, tap, text_of, wait_for)

PERIOD = "KCQG-2021-2025"
INDICATOR = "Số mô hình trình diễn kỹ thuật"


def button(who, name, root=None):
    return wait_for(who, lambda n: n.getRole() == pyatspi.ROLE_PUSH_BUTTON and n.name == name
                    and n.getState().contains(pyatspi.STATE_SENSITIVE), "button %s" % name, root=root)


def table_rows(table):
    t = table.queryTable()
    return [[text_of(t.getAccessibleAt(r, c)) for c in range(t.nColumns)] for r in range(t.nRows)]


def programme():
    items = S["api"].result("programme.list", {"period": PERIOD, "scope": "national"})["items"]
    return S["api"].result("programme.get", {"id": items[0]["id"]})


def select_programme(who, title):
    def attempt():
        row = find(who, lambda n: n.getRole() == pyatspi.ROLE_LIST_ITEM and n.name == title)
        if row is None:
            return None
        row.parent.querySelection().selectChild(row.getIndexInParent())
        return row if row.getState().contains(pyatspi.STATE_SELECTED) else None
    kctest.eventually(attempt, kctest.scaled(25), interval=0.25, what="programme %s selected" % title)


@tap.test("the approver opens Chương trình: the programme in force is selected")
def _():
    server = kctest.Server()
    S["server"] = server
    admin = server.admin()
    S["approver"] = kctest.create_user(admin, "ministry_approver")
    S["officer"] = kctest.create_user(admin, "province_officer")
    S["api"] = server.login(S["approver"]["username"], S["approver"]["password"])
    S["before"] = programme()
    start_client("approver")
    login("approver", S["approver"]["username"], S["approver"]["password"])
    select_section("approver", "Chương trình")
    title = wait_for("approver", by_name("Tên chương trình", pyatspi.ROLE_LABEL), "the programme's title")
    kctest.eventually(lambda: "2026–2030" in text_of(title) and "quốc gia" in text_of(title),
                      kctest.scaled(15), what="the 2026–2030 national programme first: %r" % text_of(title))


@tap.test("the 2021–2025 programme: its targets beside what is achieved, and the chart")
def _():
    select_programme("approver", S["before"]["title"])
    title = wait_for("approver", by_name("Tên chương trình", pyatspi.ROLE_LABEL), "the programme's title")
    kctest.eventually(lambda: text_of(title) == S["before"]["title"], kctest.scaled(15),
                      what="the title: %r" % text_of(title))
    detail = wait_for("approver", by_name("Thông tin chương trình", pyatspi.ROLE_LABEL), "the details")
    kctest.eventually(lambda: "Giai đoạn 2021–2025 · Quốc gia · Đã phê duyệt" in text_of(detail),
                      kctest.scaled(10), what="the details: %r" % text_of(detail))
    table = wait_for("approver", by_name("Mục tiêu", pyatspi.ROLE_TABLE), "the targets")
    target = [t for t in S["before"]["targets"] if t["indicator"] == "I04" and t["province_id"] is None][0]
    S["target"] = target

    def row():
        rows = [r for r in table_rows(table) if r[0] == INDICATOR]
        return rows[0] if rows and rows[0][4] != "" else None
    r = kctest.eventually(row, kctest.scaled(15), what="the I04 row with its results")
    expected = "{:,}".format(target["target"]).replace(",", ".")
    kctest.check(r[1] == "mô hình" and r[2] == "Toàn chương trình" and r[3] == expected,
                 "the target as the server has it", r, expected)
    kctest.check(r[5].endswith("\u00a0%") or r[5].endswith(" %"), "a share in per cent", r)
    kctest.check(find("approver", by_name("Kết quả so với mục tiêu")) is not None, "the chart is shown")


def give_decision(number="25/QĐ-BCT"):
    """The decision an approved programme's change asks for: filled in and accepted."""
    ask = wait_for("approver", lambda n: n.getRole() == pyatspi.ROLE_DIALOG
                   and n.name == "Quyết định thay đổi chương trình", "the decision dialog")
    set_text(wait_for("approver", by_name("Số quyết định", pyatspi.ROLE_TEXT), "its number", root=ask), number)
    set_text(wait_for("approver", by_name("Ngày ký (dd/mm/yyyy)", pyatspi.ROLE_TEXT), "its date", root=ask),
             "02/03/2026")
    set_text(wait_for("approver", by_name("Người ký", pyatspi.ROLE_TEXT), "its signer", root=ask), "Thứ trưởng")
    press(button("approver", "Lưu", root=ask))


@tap.test("Sửa mục tiêu…: the new target on the server and in the table, the others kept")
def _():
    select_row("approver", INDICATOR, "the I04 row")
    press(button("approver", "Sửa mục tiêu…"))
    dialog = wait_for("approver", lambda n: n.getRole() == pyatspi.ROLE_DIALOG
                      and n.name.startswith(INDICATOR), "the target dialog")
    set_text(wait_for("approver", by_name("Mục tiêu", pyatspi.ROLE_TEXT), "the target field", root=dialog),
             "1.360")
    press(button("approver", "Lưu", root=dialog))
    give_decision("15/QĐ-BCT")
    table = wait_for("approver", by_name("Mục tiêu", pyatspi.ROLE_TABLE), "the targets")
    kctest.eventually(lambda: [r for r in table_rows(table) if r[0] == INDICATOR and r[3] == "1.360"],
                      kctest.scaled(15), what="1.360 in the table")
    after = programme()
    mine = [t for t in after["targets"] if t["indicator"] == "I04" and t["province_id"] is None]
    kctest.check(mine and mine[0]["target"] == 1360, "the server keeps 1360", mine)
    kctest.check(mine[0]["source_ref"] == S["target"]["source_ref"] and mine[0]["note"] == S["target"]["note"],
                 "its source and note kept", mine[0], S["target"])
    others = lambda p: sorted((t["indicator"], t["province_id"] or 0, t["target"]) for t in p["targets"]
                              if t["indicator"] != "I04")
    kctest.check(others(after) == others(S["before"]), "the other targets unchanged")
    kctest.check((after.get("change_decision") or {}).get("number") == "15/QĐ-BCT",
                 "the change recorded with its decision", after.get("change_decision"))
    detail = wait_for("approver", by_name("Thông tin chương trình", pyatspi.ROLE_LABEL), "the details")
    kctest.eventually(lambda: "Điều chỉnh gần nhất theo quyết định 15/QĐ-BCT ngày " in text_of(detail),
                      kctest.scaled(10), what="the decision in the details")


@tap.test("Thêm mục tiêu…: Phú Thọ's share of a national target, a row of its own")
def _():
    press(button("approver", "Thêm mục tiêu…"))
    dialog = wait_for("approver", lambda n: n.getRole() == pyatspi.ROLE_DIALOG and n.name == "Thêm mục tiêu",
                      "the area chooser")
    combo = wait_for("approver", by_name("Địa bàn", pyatspi.ROLE_COMBO_BOX), "the area combo", root=dialog)
    item = wait_for("approver", lambda n: n.getRole() == pyatspi.ROLE_MENU_ITEM and n.name == "Tỉnh Phú Thọ",
                    "Phú Thọ offered", root=combo, showing=False)
    combo.querySelection().selectChild(item.getIndexInParent())
    press(button("approver", "Tiếp", root=dialog))
    ask = wait_for("approver", lambda n: n.getRole() == pyatspi.ROLE_DIALOG
                   and n.name == "Thêm mục tiêu — Tỉnh Phú Thọ", "the target dialog")
    set_text(wait_for("approver", by_name("Mã chỉ tiêu (ví dụ I04)", pyatspi.ROLE_TEXT), "the code", root=ask),
             "I04")
    set_text(wait_for("approver", by_name("Mục tiêu", pyatspi.ROLE_TEXT), "the target", root=ask), "30")
    press(button("approver", "Thêm", root=ask))
    give_decision("16/QĐ-BCT")
    table = wait_for("approver", by_name("Mục tiêu", pyatspi.ROLE_TABLE), "the targets")
    kctest.eventually(lambda: [r for r in table_rows(table) if r[0] == INDICATOR and r[2] == "Tỉnh Phú Thọ"
                               and r[3] == "30"], kctest.scaled(15),
                      what="Phú Thọ's share in the table")
    shares = [(t["province_name"], t["target"]) for t in programme()["targets"]
              if t["indicator"] == "I04" and t["province_id"] is not None]
    kctest.check(shares == [("Tỉnh Phú Thọ", 30)], "the share on the server", shares)


@tap.test("Sửa kinh phí… with no source selected: the central budget's envelope, in đồng")
def _():
    kctest.check(not [b for b in S["before"]["budget"] if b["source"] == "central" and b["province_id"] is None],
                 "no central envelope before", S["before"]["budget"])
    press(button("approver", "Sửa kinh phí…"))
    dialog = wait_for("approver", lambda n: n.getRole() == pyatspi.ROLE_DIALOG and n.name == "Khung kinh phí",
                      "the source chooser")
    combo = wait_for("approver", by_name("Nguồn", pyatspi.ROLE_COMBO_BOX), "the source combo", root=dialog)
    item = wait_for("approver", lambda n: n.getRole() == pyatspi.ROLE_MENU_ITEM and n.name == "Ngân sách trung ương",
                    "the central budget offered", root=combo, showing=False)
    combo.querySelection().selectChild(item.getIndexInParent())
    press(button("approver", "Tiếp", root=dialog))
    ask = wait_for("approver", lambda n: n.getRole() == pyatspi.ROLE_DIALOG and n.name == "Ngân sách trung ương",
                   "the amount dialog")
    set_text(wait_for("approver", by_name("Số tiền (đồng)", pyatspi.ROLE_TEXT), "the amount", root=ask),
             "1.500.000.000.000")
    press(button("approver", "Lưu", root=ask))
    give_decision("17/QĐ-BCT")
    table = wait_for("approver", by_name("Khung kinh phí", pyatspi.ROLE_TABLE), "the envelope", showing=False)
    kctest.eventually(lambda: [r for r in table_rows(table) if r[0] == "Ngân sách trung ương"
                               and r[2] == "1.500.000.000.000\u00a0₫"],
                      kctest.scaled(15), what="1.500.000.000.000 ₫ in the envelope")
    central = [b for b in programme()["budget"] if b["source"] == "central"]
    kctest.check([b["amount"] for b in central] == [1500000000000], "the server keeps it", central)
    kctest.check([t["target"] for t in programme()["targets"] if t["indicator"] == "I04"
                  and t["province_id"] is None] == [1360], "the targets untouched by the envelope")
    screenshot("programmes.png")


@tap.test("the province leader approves the province's draft programme with its decision")
def _():
    admin = S["server"].admin()
    leader = kctest.create_user(admin, "province_leader")
    api = S["server"].login(leader["username"], leader["password"])
    draft = api.result("programme.create", {"period": "KCQG-2026-2030", "scope": "local"})
    kctest.check_equal(draft["status"], "draft", "a draft to approve")
    start_client("leader")
    login("leader", leader["username"], leader["password"])
    select_section("leader", "Chương trình")
    select_programme("leader", draft["title"])
    press(button("leader", "Phê duyệt…"))
    ask = wait_for("leader", lambda n: n.getRole() == pyatspi.ROLE_DIALOG and n.name.startswith("Phê duyệt "),
                   "the approval's decision")
    set_text(wait_for("leader", by_name("Số quyết định", pyatspi.ROLE_TEXT), "its number", root=ask),
             "12/QĐ-UBND")
    set_text(wait_for("leader", by_name("Ngày ký (dd/mm/yyyy)", pyatspi.ROLE_TEXT), "its date", root=ask),
             "31/13/2026")
    press(button("leader", "Lưu", root=ask))
    # A date that is none: the form says so and keeps what was typed.
    wait_for("leader", lambda n: n.getRole() == pyatspi.ROLE_LABEL and n.name.startswith("Hãy ghi ngày ký"),
             "the date refused in the form", root=ask)
    set_text(wait_for("leader", by_name("Ngày ký (dd/mm/yyyy)", pyatspi.ROLE_TEXT), "its date", root=ask),
             "15/03/2026")
    set_text(wait_for("leader", by_name("Người ký", pyatspi.ROLE_TEXT), "its signer", root=ask),
             "Chủ tịch UBND tỉnh")
    press(button("leader", "Lưu", root=ask))
    detail = wait_for("leader", by_name("Thông tin chương trình", pyatspi.ROLE_LABEL), "the details")
    kctest.eventually(lambda: "Đã phê duyệt" in text_of(detail), kctest.scaled(15),
                      what="approved on screen: %r" % text_of(detail))
    got = api.result("programme.get", {"id": draft["id"]})
    kctest.check_equal((got["status"], got["decision_no"], got["decision_date"], got["issuer"]),
                       ("approved", "12/QĐ-UBND", "2026-03-15", "Chủ tịch UBND tỉnh"), "approved on the server")
    # find() sees only what is showing: the button is gone once approved.
    kctest.check(find("leader", lambda n: n.getRole() == pyatspi.ROLE_PUSH_BUTTON and n.name == "Phê duyệt…")
                 is None, "no Phê duyệt… once approved")


@tap.test("a province officer reads the programme without the buttons to change it")
def _():
    start_client("officer")
    login("officer", S["officer"]["username"], S["officer"]["password"])
    select_section("officer", "Chương trình")
    select_programme("officer", S["before"]["title"])
    table = wait_for("officer", by_name("Mục tiêu", pyatspi.ROLE_TABLE), "the targets")
    kctest.eventually(lambda: [r for r in table_rows(table) if r[0] == INDICATOR and r[3] == "1.360"],
                      kctest.scaled(15), what="the officer sees 1.360")
    kctest.check([r for r in table_rows(table) if r[0] == INDICATOR and r[2] == "Tỉnh Phú Thọ"],
                 "the officer sees the province's share too")
    kctest.check(find("officer", lambda n: n.getRole() == pyatspi.ROLE_PUSH_BUTTON
                      and n.name == "Sửa mục tiêu…") is None, "no Sửa mục tiêu… for the officer")


tap.run()
