"""test_programmes_ui — the Chương trình page of kc-client through AT-SPI.

The Ministry's approver opens the page: the programme in force (2026–2030)
is selected first; they pick the 2021–2025 national programme, whose
targets show beside what is achieved and as a chart; they change the target
of "Số mô hình trình diễn kỹ thuật" (programme.set_targets, checked on the
server with the decision it is made by — an approved programme changes only
through one — the other targets and their sources kept) and the table shows the
new figure; its budget envelope changes the same way (money 1.234.567 ₫).
A province officer reads the same programme without the buttons to change
it. Phú Thọ's share of a national target, and of the envelope for a year
(province chooser on the map of the period), each added as a row of its own.
A province leader proposes the local programme 2026–2030 in the client (new
programme, a target, the envelope of 2026) and approves it with its decision.
On a 1366×768 screen (issue 17) every cell of the envelope is seen whole
(uikit.cut_cells: the text laid out in the cell's font and width fits the
cell, and the cell lies inside the window), for the approver and the
Ministry's reviewer; a programme with no envelope says so in a sentence
(with "Sửa kinh phí…" for those who may set it) instead of empty years.
Screenshot: programmes.png (docs/screenshots/).

Run by meson (suite 'client', TAP). Without a display it re-executes itself
under `dbus-run-session -- xvfb-run -a`.
"""

import os
import sys

# A 1366×768 laptop's screen (issue 17): the window at its usual size fits it, nothing cut.
os.environ.setdefault("KC_UI_SCREEN", "1366x768x24")
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from uikit import (S, by_name, cut_cells, find, kctest, login, press, pyatspi, screenshot,  # noqa: E402
                   select_row, select_section, set_text, start_client, tap, text_of, wait_for)

PERIOD = "KCQG-2021-2025"
NO_ENVELOPE = "Chương trình này chưa có khung kinh phí."
NO_ENVELOPE_EDIT = NO_ENVELOPE + " Bấm “Sửa kinh phí…” để nhập khung kinh phí từng năm theo từng nguồn vốn."
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
    # 2021–2025: the 63 provinces of the map in force then (Vĩnh Phúc, merged into Phú Thọ in 2025)
    wait_for("approver", lambda n: n.getRole() == pyatspi.ROLE_MENU_ITEM and n.name == "Tỉnh Vĩnh Phúc",
             "Vĩnh Phúc (63-unit map) offered for 2021–2025", root=combo, showing=False)
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


@tap.test("Sửa kinh phí… with no row selected: the whole programme, a year, then its envelope source by source, in the year × source grid")
def _():
    kctest.check(not [b for b in S["before"]["budget"] if b["source"] == "central" and b["province_id"] is None],
                 "no central envelope before", S["before"]["budget"])
    table = wait_for("approver", by_name("Khung kinh phí", pyatspi.ROLE_TABLE), "the envelope", showing=False)
    header = [table.queryTable().getColumnDescription(c) for c in range(table.queryTable().nColumns)]
    kctest.check(header == ["Năm / địa bàn", "Ngân sách trung ương", "Ngân sách địa phương",
                            "Vốn đối ứng", "Nguồn khác", "Tổng"] or len(header) == 6, "a column per source", header)
    # No envelope yet: a sentence saying so and what to do, not a grid of empty years.
    wait_for("approver", lambda n: n.getRole() == pyatspi.ROLE_LABEL and text_of(n) == NO_ENVELOPE_EDIT,
             "the sentence: no envelope yet, press Sửa kinh phí…")
    kctest.check(not [r for r in table_rows(table) if r[0] in ("2021", "Tổng")], "no empty years, no total",
                 table_rows(table))
    press(button("approver", "Sửa kinh phí…"))
    # a national programme: the area first, the whole programme offered first
    dialog = wait_for("approver", lambda n: n.getRole() == pyatspi.ROLE_DIALOG and n.name == "Khung kinh phí",
                      "the area chooser")
    combo = wait_for("approver", by_name("Địa bàn", pyatspi.ROLE_COMBO_BOX), "the area combo", root=dialog)
    item = wait_for("approver", lambda n: n.getRole() == pyatspi.ROLE_MENU_ITEM and n.name == "Toàn chương trình",
                    "the whole programme offered", root=combo, showing=False)
    kctest.check(item.getIndexInParent() == 0, "offered first", item.getIndexInParent())
    combo.querySelection().selectChild(item.getIndexInParent())
    press(button("approver", "Tiếp", root=dialog))
    dialog = wait_for("approver", lambda n: n.getRole() == pyatspi.ROLE_DIALOG and n.name == "Khung kinh phí"
                      and find("approver", by_name("Năm", pyatspi.ROLE_COMBO_BOX), n) is not None,
                      "the year chooser")
    combo = wait_for("approver", by_name("Năm", pyatspi.ROLE_COMBO_BOX), "the year combo", root=dialog)
    item = wait_for("approver", lambda n: n.getRole() == pyatspi.ROLE_MENU_ITEM and n.name == "2022",
                    "2022 offered", root=combo, showing=False)
    combo.querySelection().selectChild(item.getIndexInParent())
    press(button("approver", "Tiếp", root=dialog))
    ask = wait_for("approver", lambda n: n.getRole() == pyatspi.ROLE_DIALOG and n.name == "Khung kinh phí năm 2022",
                   "the year's envelope")
    set_text(wait_for("approver", by_name("Ngân sách trung ương", pyatspi.ROLE_TEXT), "central", root=ask),
             "1.500.000.000.000")
    set_text(wait_for("approver", by_name("Ngân sách địa phương", pyatspi.ROLE_TEXT), "local", root=ask),
             "250.000.000.000")
    press(button("approver", "Lưu", root=ask))
    give_decision("17/QĐ-BCT")
    kctest.eventually(lambda: [r for r in table_rows(table) if r[0] == "2022"
                               and r[1] == "1.500.000.000.000\u00a0₫" and r[2] == "250.000.000.000\u00a0₫"
                               and r[5] == "1.750.000.000.000\u00a0₫"],
                      kctest.scaled(15), what="2022's envelope in the grid, with its total")
    kctest.eventually(lambda: [r for r in table_rows(table) if r[0] == "Tổng"
                               and r[1] == "1.500.000.000.000\u00a0₫"],
                      kctest.scaled(5), what="the total row")
    years = [r[0] for r in table_rows(table)]
    kctest.check(years[:5] == ["2021", "2022", "2023", "2024", "2025"] and "Tổng" in years,
                 "once there is an envelope: a row per year of the period and the total", years)
    kctest.check(find("approver", lambda n: n.getRole() == pyatspi.ROLE_LABEL
                      and text_of(n) == NO_ENVELOPE_EDIT) is None, "the sentence gone")
    got = sorted((b["year"], b["source"], b["amount"]) for b in programme()["budget"] if b["province_id"] is None)
    kctest.check(got == [(2022, "central", 1500000000000), (2022, "local", 250000000000)],
                 "the server keeps them by year", got)
    kctest.check([t["target"] for t in programme()["targets"] if t["indicator"] == "I04"
                  and t["province_id"] is None] == [1360], "the targets untouched by the envelope")
    # the 2022 row selected: changed in place (blank: none)
    select_row("approver", "2022", "the 2022 row")
    press(button("approver", "Sửa kinh phí…"))
    ask = wait_for("approver", lambda n: n.getRole() == pyatspi.ROLE_DIALOG and n.name == "Khung kinh phí năm 2022",
                   "the year's envelope again")
    central = wait_for("approver", by_name("Ngân sách trung ương", pyatspi.ROLE_TEXT), "central", root=ask)
    kctest.check(text_of(central) == "1.500.000.000.000", "what is there, to change", text_of(central))
    set_text(wait_for("approver", by_name("Ngân sách địa phương", pyatspi.ROLE_TEXT), "local", root=ask), "")
    press(button("approver", "Lưu", root=ask))
    give_decision("18/QĐ-BCT")
    kctest.eventually(lambda: [r for r in table_rows(table) if r[0] == "2022" and r[2] == ""
                               and r[5] == "1.500.000.000.000\u00a0₫"],
                      kctest.scaled(15), what="the local envelope of 2022 gone")


@tap.test("Sửa kinh phí… on the total row: Phú Thọ's share of the envelope, added for a year, a row of its own")
def _():
    table = wait_for("approver", by_name("Khung kinh phí", pyatspi.ROLE_TABLE), "the envelope", showing=False)
    select_row("approver", "Tổng", "the total row", root=table)
    press(button("approver", "Sửa kinh phí…"))
    dialog = wait_for("approver", lambda n: n.getRole() == pyatspi.ROLE_DIALOG and n.name == "Khung kinh phí",
                      "the area chooser")
    combo = wait_for("approver", by_name("Địa bàn", pyatspi.ROLE_COMBO_BOX), "the area combo", root=dialog)
    # 2021–2025: the 63 provinces of the map in force then, as for a target
    wait_for("approver", lambda n: n.getRole() == pyatspi.ROLE_MENU_ITEM and n.name == "Tỉnh Vĩnh Phúc",
             "Vĩnh Phúc (63-unit map) offered for 2021–2025", root=combo, showing=False)
    item = wait_for("approver", lambda n: n.getRole() == pyatspi.ROLE_MENU_ITEM and n.name == "Tỉnh Phú Thọ",
                    "Phú Thọ offered", root=combo, showing=False)
    combo.querySelection().selectChild(item.getIndexInParent())
    press(button("approver", "Tiếp", root=dialog))
    dialog = wait_for("approver", lambda n: n.getRole() == pyatspi.ROLE_DIALOG
                      and n.name == "Khung kinh phí — Tỉnh Phú Thọ", "the year chooser for Phú Thọ")
    combo = wait_for("approver", by_name("Năm", pyatspi.ROLE_COMBO_BOX), "the year combo", root=dialog)
    item = wait_for("approver", lambda n: n.getRole() == pyatspi.ROLE_MENU_ITEM and n.name == "2023",
                    "2023 offered", root=combo, showing=False)
    combo.querySelection().selectChild(item.getIndexInParent())
    press(button("approver", "Tiếp", root=dialog))
    ask = wait_for("approver", lambda n: n.getRole() == pyatspi.ROLE_DIALOG
                   and n.name == "Khung kinh phí năm 2023 — Tỉnh Phú Thọ", "Phú Thọ's envelope of 2023")
    set_text(wait_for("approver", by_name("Ngân sách trung ương", pyatspi.ROLE_TEXT), "central", root=ask),
             "30.000.000.000")
    press(button("approver", "Lưu", root=ask))
    give_decision("19/QĐ-BCT")
    kctest.eventually(lambda: [r for r in table_rows(table) if r[0] == "Tỉnh Phú Thọ · 2023"
                               and r[1] == "30.000.000.000\u00a0₫" and r[5] == "30.000.000.000\u00a0₫"],
                      kctest.scaled(15), what="Phú Thọ's share of 2023 as a row of its own")
    kctest.eventually(lambda: [r for r in table_rows(table) if r[0] == "Tổng"
                               and r[1] == "1.500.000.000.000\u00a0₫"],
                      kctest.scaled(5), what="the whole programme's total unchanged by a share")
    after = programme()
    shares = sorted((b["province_name"], b["year"], b["source"], b["amount"]) for b in after["budget"]
                    if b["province_id"] is not None)
    kctest.check(shares == [("Tỉnh Phú Thọ", 2023, "central", 30000000000)], "the share on the server", shares)
    whole = sorted((b["year"], b["source"], b["amount"]) for b in after["budget"] if b["province_id"] is None)
    kctest.check(whole == [(2022, "central", 1500000000000)], "the whole programme's envelope kept", whole)
    kctest.check((after.get("change_decision") or {}).get("number") == "19/QĐ-BCT",
                 "the change recorded with its decision", after.get("change_decision"))
    screenshot("programmes.png")
    check_nothing_cut("approver")


def check_nothing_cut(who):
    """Every cell of the envelope seen whole in the window at 1366×768 (issue 17): "Đã phê duyệt cho
    đề án", a province's share and the Total column included; the targets' figures too (a long
    indicator's name ends in "…" in its column that takes the spare width)."""
    for name, first in (("Mục tiêu", 1), ("Khung kinh phí", 0)):
        table = wait_for(who, by_name(name, pyatspi.ROLE_TABLE), "the table " + name, showing=False)
        kctest.eventually(lambda: not [c for c in cut_cells(table) if c[1] >= first], kctest.scaled(5),
                          what="%s: every cell whole, %r" % (name, cut_cells(table)))
    rows = table_rows(table)
    kctest.check([r for r in rows if r[0] == "Đã phê duyệt cho đề án"] and [r for r in rows if r[0] == "Tổng"],
                 "the rows checked are there", rows)
    window = wait_for(who, lambda n: n.getRole() == pyatspi.ROLE_FRAME and n.name == "Khuyến Công", "the window")
    e = window.queryComponent().getExtents(pyatspi.DESKTOP_COORDS)
    kctest.check(e.x >= 0 and e.x + e.width <= 1366, "the window as wide as the 1366×768 screen at most",
                 (e.x, e.y, e.width, e.height))


@tap.test("the province leader proposes the local programme 2026–2030: a target, the envelope of 2026")
def _():
    admin = S["server"].admin()
    leader = kctest.create_user(admin, "province_leader")
    api = S["server"].login(leader["username"], leader["password"])
    S["leader_api"] = api
    start_client("leader")
    login("leader", leader["username"], leader["password"])
    select_section("leader", "Chương trình")
    press(button("leader", "Chương trình mới…"))
    ask = wait_for("leader", lambda n: n.getRole() == pyatspi.ROLE_DIALOG and n.name == "Chương trình địa phương mới",
                   "the new local programme form")
    kctest.check((text_of(wait_for("leader", by_name("Từ năm", pyatspi.ROLE_TEXT), "from", root=ask)),
                  text_of(wait_for("leader", by_name("Đến năm", pyatspi.ROLE_TEXT), "to", root=ask)))
                 == ("2026", "2030"), "the current period offered")
    press(button("leader", "Tạo", root=ask))
    mine = kctest.eventually(lambda: api.result("programme.list", {"period": "KCQG-2026-2030", "scope": "local"})
                             ["items"], kctest.scaled(15), what="the draft on the server")
    draft = api.result("programme.get", {"id": mine[0]["id"]})
    kctest.check(draft["status"] == "draft" and "Phú Thọ" in (draft["org_name"] or ""), "Phú Thọ's draft",
                 draft["status"], draft["org_name"])
    S["draft_local"] = draft
    title = wait_for("leader", by_name("Tên chương trình", pyatspi.ROLE_LABEL), "the programme's title")
    kctest.eventually(lambda: text_of(title) == draft["title"], kctest.scaled(15),
                      what="the new programme selected: %r" % text_of(title))
    # a target of its own (a local programme: no area to choose), no decision asked of a draft
    press(button("leader", "Thêm mục tiêu…"))
    ask = wait_for("leader", lambda n: n.getRole() == pyatspi.ROLE_DIALOG and n.name.startswith("Thêm mục tiêu — "),
                   "the target dialog")
    set_text(wait_for("leader", by_name("Mã chỉ tiêu (ví dụ I04)", pyatspi.ROLE_TEXT), "the code", root=ask), "I04")
    set_text(wait_for("leader", by_name("Mục tiêu", pyatspi.ROLE_TEXT), "the target", root=ask), "12")
    press(button("leader", "Thêm", root=ask))
    table = wait_for("leader", by_name("Mục tiêu", pyatspi.ROLE_TABLE), "the targets")
    kctest.eventually(lambda: [r for r in table_rows(table) if r[0] == INDICATOR and r[3] == "12"],
                      kctest.scaled(15), what="the province's target in the table")
    # the envelope of 2026: the year straight away (no area for a local programme)
    press(button("leader", "Sửa kinh phí…"))
    dialog = wait_for("leader", lambda n: n.getRole() == pyatspi.ROLE_DIALOG and n.name == "Khung kinh phí",
                      "the year chooser")
    combo = wait_for("leader", by_name("Năm", pyatspi.ROLE_COMBO_BOX), "the year combo", root=dialog)
    kctest.check(find("leader", by_name("Địa bàn", pyatspi.ROLE_COMBO_BOX), dialog) is None,
                 "no area for a local programme")
    item = wait_for("leader", lambda n: n.getRole() == pyatspi.ROLE_MENU_ITEM and n.name == "2026",
                    "2026 offered", root=combo, showing=False)
    combo.querySelection().selectChild(item.getIndexInParent())
    press(button("leader", "Tiếp", root=dialog))
    ask = wait_for("leader", lambda n: n.getRole() == pyatspi.ROLE_DIALOG and n.name == "Khung kinh phí năm 2026",
                   "the envelope of 2026")
    set_text(wait_for("leader", by_name("Ngân sách địa phương", pyatspi.ROLE_TEXT), "local", root=ask),
             "3.000.000.000")
    press(button("leader", "Lưu", root=ask))
    envelope = wait_for("leader", by_name("Khung kinh phí", pyatspi.ROLE_TABLE), "the envelope", showing=False)
    kctest.eventually(lambda: [r for r in table_rows(envelope) if r[0] == "2026"
                               and r[2] == "3.000.000.000\u00a0₫"], kctest.scaled(15),
                      what="2026's local envelope in the grid")
    got = api.result("programme.get", {"id": draft["id"]})
    kctest.check_equal(([(t["indicator"], t["target"]) for t in got["targets"]],
                        [(b["year"], b["source"], b["amount"]) for b in got["budget"]]),
                       ([("I04", 12)], [(2026, "local", 3000000000)]), "on the server")


@tap.test("the province leader approves the province's draft programme with its decision")
def _():
    api = S["leader_api"]
    draft = S["draft_local"]
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


@tap.test("a province officer comments on the Ministry's draft national programme; the Ministry reads it live")
def _():
    S["server"].sql("INSERT INTO programme_periods (code, name_vi, name_en, from_year, to_year, decision,"
                    " decision_date, legal_act, valid_from, confidence) VALUES ('KCQG-2031-2035',"
                    " 'Dự thảo Chương trình khuyến công quốc gia giai đoạn 2031–2035', 'Draft', 2031, 2035,"
                    " 'dự thảo', '2030-01-01', 'dự thảo', '2030-01-01', 'U')")
    draft = S["api"].result("programme.create", {"period": "KCQG-2031-2035", "scope": "national"})
    S["draft"] = draft
    start_client("officer")
    login("officer", S["officer"]["username"], S["officer"]["password"])
    select_section("officer", "Chương trình")
    select_programme("officer", draft["title"])
    # A new draft has no envelope: the province reads that it has none (it does not set it).
    wait_for("officer", lambda n: n.getRole() == pyatspi.ROLE_LABEL and text_of(n) == NO_ENVELOPE,
             "the sentence: no envelope yet")
    press(button("officer", "Góp ý dự thảo…"))
    ask = wait_for("officer", lambda n: n.getRole() == pyatspi.ROLE_DIALOG and n.name.startswith("Góp ý dự thảo — "),
                   "the comment form")
    text = "Đề nghị bổ sung chỉ tiêu về sản phẩm OCOP.\nTăng kinh phí đào tạo nghề."
    set_text(wait_for("officer", by_name("Ý kiến", pyatspi.ROLE_TEXT), "the comment", root=ask), text)
    press(button("officer", "Gửi", root=ask))
    mine = wait_for("officer", by_name("Góp ý về dự thảo", pyatspi.ROLE_LABEL), "the province's comments")
    kctest.eventually(lambda: "Tăng kinh phí đào tạo nghề." in text_of(mine), kctest.scaled(15),
                      what="the comment shown: %r" % text_of(mine))
    got = S["api"].result("programme.comments", {"programme_id": draft["id"]})["items"]
    kctest.check([(c["org_name"], c["text"]) for c in got] == [("Tỉnh Phú Thọ", text)], "on the server", got)
    # the Ministry's page: with the province's name, and live on the next comment
    select_programme("approver", draft["title"])
    wait_for("approver", lambda n: n.getRole() == pyatspi.ROLE_LABEL and text_of(n) == NO_ENVELOPE_EDIT,
             "the draft's sentence: no envelope yet, press Sửa kinh phí…")
    theirs = wait_for("approver", by_name("Góp ý về dự thảo", pyatspi.ROLE_LABEL), "the comments")
    kctest.eventually(lambda: "Tỉnh Phú Thọ" in text_of(theirs) and "OCOP" in text_of(theirs),
                      kctest.scaled(15), what="the Ministry sees it: %r" % text_of(theirs))
    kctest.check(find("approver", lambda n: n.getRole() == pyatspi.ROLE_PUSH_BUTTON
                      and n.name == "Góp ý dự thảo…") is None, "the Ministry does not comment")
    press(button("officer", "Góp ý dự thảo…"))
    ask = wait_for("officer", lambda n: n.getRole() == pyatspi.ROLE_DIALOG and n.name.startswith("Góp ý dự thảo — "),
                   "the comment form again")
    set_text(wait_for("officer", by_name("Ý kiến", pyatspi.ROLE_TEXT), "the comment", root=ask),
             "Góp ý thứ hai: thời hạn báo cáo.")
    press(button("officer", "Gửi", root=ask))
    kctest.eventually(lambda: "Góp ý thứ hai" in text_of(theirs), kctest.scaled(15),
                      what="the Ministry's page updated live: %r" % text_of(theirs))


@tap.test("a province officer reads the programme without the buttons to change it")
def _():
    select_programme("officer", S["before"]["title"])
    table = wait_for("officer", by_name("Mục tiêu", pyatspi.ROLE_TABLE), "the targets")
    kctest.eventually(lambda: [r for r in table_rows(table) if r[0] == INDICATOR and r[3] == "1.360"],
                      kctest.scaled(15), what="the officer sees 1.360")
    kctest.check([r for r in table_rows(table) if r[0] == INDICATOR and r[2] == "Tỉnh Phú Thọ"],
                 "the officer sees the province's share too")
    kctest.check(find("officer", lambda n: n.getRole() == pyatspi.ROLE_PUSH_BUTTON
                      and n.name == "Sửa mục tiêu…") is None, "no Sửa mục tiêu… for the officer")



@tap.test("the Ministry's reviewer: the envelope grid whole at 1366×768; the draft says it has no envelope")
def _():
    reviewer = kctest.create_user(S["server"].admin(), "ministry_reviewer")
    start_client("reviewer")
    login("reviewer", reviewer["username"], reviewer["password"])
    select_section("reviewer", "Chương trình")
    select_programme("reviewer", S["before"]["title"])
    table = wait_for("reviewer", by_name("Khung kinh phí", pyatspi.ROLE_TABLE), "the envelope", showing=False)
    kctest.eventually(lambda: [r for r in table_rows(table) if r[0] == "Tỉnh Phú Thọ · 2023"], kctest.scaled(15),
                      what="the envelope with Phú Thọ's share")
    check_nothing_cut("reviewer")
    # The reviewer prepares a draft national programme: told what to do.
    select_programme("reviewer", S["draft"]["title"])
    wait_for("reviewer", lambda n: n.getRole() == pyatspi.ROLE_LABEL and text_of(n) == NO_ENVELOPE_EDIT,
             "the draft's sentence for the reviewer")
    kctest.check(find("reviewer", by_name("Khung kinh phí", pyatspi.ROLE_TABLE)) is None,
                 "no grid of empty years", table_rows(table))


tap.run()
