"""test_catalog_ui — the administrator's catalogue page (Danh mục), driven
through AT-SPI against a real kc-server (as test_workflow_ui.py).

The administrator opens the support caps, corrects a row's note and
confidence (catalog.update: the change is read back with catalog.get),
sees a bad value marked on its field, a stale version (1009, the row
changed elsewhere meanwhile) offered a reload, and enters a new value of a
cap from a day on (catalog.add_cap: the old row closes the day before).
Each save of a cap first asks for the decision it is made by (number,
date, signer: issue 13 point 9), which the server records.

Run by meson (suite 'client', TAP). Without a display it re-executes itself
under `dbus-run-session -- xvfb-run -a`.
"""

import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from uikit import (S, by_name, field, find, kctest, login, press, pyatspi, screenshot,  # noqa: E402
                   select_section, start_client, tap, text_of, wait_for)


def cap(api, cap_code, at=None):
    rows = api.result("catalog.get", {"at": at} if at else {})["support_caps"]
    return [r for r in rows if r["cap_code"] == cap_code]


def set_text(node, value):
    node.queryEditableText().setTextContents(value)


def choose_cap(cap_code):
    def in_force(n):
        # The row still in force: its validity (four cells on) has no end.
        if n.getRole() != pyatspi.ROLE_TABLE_CELL or not n.name.startswith(cap_code + " · "):
            return False
        validity = n.parent.getChildAtIndex(n.getIndexInParent() + 4)
        return validity is not None and validity.name.endswith("– ")
    def form():
        return find("admin", lambda n: n.getRole() == pyatspi.ROLE_LABEL
                    and text_of(n).startswith("Sửa " + cap_code))

    # Pressed again until its form shows: a reload still under way (the
    # previous step's) reads the list again after the press, and the list
    # read again has no row chosen.
    def attempt():
        if form() is None:
            cell = find("admin", in_force)
            if cell is not None:
                press(cell)
            time.sleep(1)
        return form()
    wait_for("admin", in_force, "cap %s in force in the list" % cap_code)
    return kctest.eventually(attempt, kctest.scaled(25), interval=0.25, what="the form of " + cap_code)


def give_decision(number="15/2026/TT-BCT"):
    """The decision dialog a cap's save opens: filled in and accepted."""
    set_text(wait_for("admin", by_name("Số quyết định", pyatspi.ROLE_TEXT), "the decision's number"), number)
    set_text(wait_for("admin", by_name("Ngày ký (dd/mm/yyyy)", pyatspi.ROLE_TEXT), "its date"), "02/03/2026")
    set_text(wait_for("admin", by_name("Người ký", pyatspi.ROLE_TEXT), "its signer"), "Thứ trưởng")
    press(wait_for("admin", by_name("Lưu", pyatspi.ROLE_PUSH_BUTTON), "accept the decision"))


@tap.test("the administrator opens the catalogue's support caps")
def _():
    server = kctest.Server()
    S["server"] = server
    S["api"] = server.admin()
    start_client("admin")
    login("admin", server.admin_username, server.admin_password)
    select_section("admin", "Danh mục")
    combo = wait_for("admin", by_name("Phần danh mục", pyatspi.ROLE_COMBO_BOX), "the section chooser")
    wait_for("admin", lambda n: n.getRole() == pyatspi.ROLE_TABLE_CELL and n.name.startswith("ND45"),
             "content categories listed")
    # The combo's menu items: choose "Mức hỗ trợ".
    item = wait_for("admin", lambda n: n.getRole() == pyatspi.ROLE_MENU_ITEM and n.name == "Mức hỗ trợ",
                    "the support caps item", root=combo, showing=False)
    combo.querySelection().selectChild(item.getIndexInParent())
    wait_for("admin", lambda n: n.getRole() == pyatspi.ROLE_TABLE_CELL and n.name.startswith("C04 · "),
             "support caps listed")


@tap.test("a correction of a cap's note and confidence is saved (catalog.update)")
def _():
    before = cap(S["api"], "C04", "2027-01-01")[0]
    S["c04"] = before
    choose_cap("C04")
    note = wait_for("admin", by_name("Ghi chú", pyatspi.ROLE_TEXT), "the note field")
    set_text(note, "Đã đối chiếu văn bản gốc.")
    press(wait_for("admin", by_name("Lưu dòng", pyatspi.ROLE_PUSH_BUTTON), "save the row"))
    give_decision()
    wait_for("admin", lambda n: n.getRole() == pyatspi.ROLE_LABEL and text_of(n) == "Đã lưu.", "saved")
    after = [r for r in cap(S["api"], "C04") if r["id"] == before["id"]][0]
    kctest.check_equal(after["note"], "Đã đối chiếu văn bản gốc.", "the note on the server")
    kctest.check_equal(after["version"], before["version"] + 1, "the row's version")
    kctest.check_equal(S["server"].sql("SELECT d.number || '|' || d.decided_on || '|' || d.signer"
                                       " FROM change_decisions d WHERE d.id = %d" % after["change_decision_id"])
                       .strip(), "15/2026/TT-BCT|2026-03-02|Thứ trưởng", "the decision recorded")
    screenshot("catalog.png")


@tap.test("a bad value is marked on its field; a stale version offers a reload")
def _():
    factor = wait_for("admin", by_name("Hệ số ưu tiên", pyatspi.ROLE_TEXT), "the priority factor")
    set_text(factor, "1,555")
    press(wait_for("admin", by_name("Lưu dòng", pyatspi.ROLE_PUSH_BUTTON), "save the row"))
    give_decision()
    wait_for("admin", lambda n: n.getRole() == pyatspi.ROLE_LABEL and text_of(n).startswith("Không được chấp nhận"),
             "the objection under the field")
    kctest.check("Không được chấp nhận" in (factor.description or ""),
                 "the field does not describe the objection", factor.description)
    screenshot("catalog-error.png")
    # Changed elsewhere meanwhile: the form's version is stale.
    row = [r for r in cap(S["api"], "C04") if r["id"] == S["c04"]["id"]][0]
    S["api"].result("catalog.update", {"decision": {"number": "1/QĐ", "date": "2026-01-05", "signer": "A"},
                                       "section": "support_caps", "key": row["id"],
                                       "version": row["version"], "fields": {"confidence": "P"}})
    set_text(factor, "1,5")
    note = wait_for("admin", by_name("Ghi chú", pyatspi.ROLE_TEXT), "the note field")
    set_text(note, "Sửa lần hai.")
    press(wait_for("admin", by_name("Lưu dòng", pyatspi.ROLE_PUSH_BUTTON), "save the row"))
    give_decision()
    wait_for("admin", lambda n: n.getRole() == pyatspi.ROLE_LABEL
             and text_of(n).startswith("Người khác vừa sửa dòng này"), "the stale-version message")
    press(wait_for("admin", by_name("Tải lại", pyatspi.ROLE_PUSH_BUTTON), "reload"))
    kctest.check_equal([r for r in cap(S["api"], "C04") if r["id"] == S["c04"]["id"]][0]["note"],
                       "Đã đối chiếu văn bản gốc.", "the note after the refused save")


@tap.test("a new value of a cap from a day on (catalog.add_cap)")
def _():
    choose_cap("C04")
    press(wait_for("admin", by_name("Mức hỗ trợ mới…", pyatspi.ROLE_PUSH_BUTTON), "new cap"))
    wait_for("admin", lambda n: n.getRole() == pyatspi.ROLE_LABEL and text_of(n).startswith("Mức hỗ trợ mới:"),
             "the new-cap form")
    set_text(wait_for("admin", by_name("Mức tối đa theo số tiền (đồng)", pyatspi.ROLE_TEXT), "amount"),
             "350.000.000")
    set_text(wait_for("admin", by_name("Hiệu lực từ", pyatspi.ROLE_TEXT), "valid from"), "01/01/2031")
    conf = wait_for("admin", by_name("Độ tin cậy", pyatspi.ROLE_COMBO_BOX), "confidence")
    item = wait_for("admin", lambda n: n.getRole() == pyatspi.ROLE_MENU_ITEM and n.name == "Đã xác nhận",
                    "confirmed", root=conf, showing=False)
    conf.querySelection().selectChild(item.getIndexInParent())
    screenshot("catalog-new-cap.png")
    press(wait_for("admin", by_name("Lưu dòng", pyatspi.ROLE_PUSH_BUTTON), "save"))
    give_decision("16/2026/TT-BCT")
    wait_for("admin", lambda n: n.getRole() == pyatspi.ROLE_LABEL
             and text_of(n).startswith("Mức hỗ trợ mới C04 có hiệu lực từ 01/01/2031"), "the new cap message")
    rows = cap(S["api"], "C04", "2031-01-01")
    kctest.check_equal([r["abs_cap_vnd"] for r in rows], [350000000], "C04 in force in 2031")
    old = [r for r in cap(S["api"], "C04") if r["id"] == S["c04"]["id"]][0]
    kctest.check_equal(old["valid_to"], "2030-12-31", "the old row closes the day before")


tap.run()
