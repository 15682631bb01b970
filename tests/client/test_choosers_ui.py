#!/usr/bin/env python3
"""test_choosers_ui — the project editor offers names while a province's
officer types (issue 17), driven through AT-SPI against a real kc-server:

- the implementer: typing "khuyen cong" (no diacritics) offers the
  province's promotion centre by its name, under the field ("Gợi ý");
  a click chooses it;
- a location's commune: typing "dong" offers the communes the province's
  projects already name ("Xã Đồng Lương"), never another province's;
  chosen the same way; a commune nobody used yet is still taken as typed;
- both reach the server (the draft saves as you go).

The text is put in the focused field through AT-SPI (as a screen reader or
an input method does); the offer follows any change typed there. Run by meson (suite 'client-long',
TAP). Without a display it re-executes itself under
`dbus-run-session -- xvfb-run -a`.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from uikit import (S, by_name, field, find, frame, kctest, login, press, pyatspi,  # noqa: E402
                   screenshot, select_section, set_text, start_client, tap, text_of, wait_for)

YEAR = 2032
TITLE = "Hỗ trợ máy dệt thổ cẩm"


def cell(who, name, root=None):
    return wait_for(who, lambda n: n.getRole() == pyatspi.ROLE_TABLE_CELL and n.name == name,
                    "the cell %r" % name, root=root)


def offered(who, name):
    """A suggestion shown under the entry: a button of the "Gợi ý" popover."""
    return find(who, lambda n: n.getRole() == pyatspi.ROLE_PUSH_BUTTON and n.name == name
                and n.parent is not None and n.parent.name == "Gợi ý")


def focus(node):
    node.queryComponent().grabFocus()
    kctest.eventually(lambda: node.getState().contains(pyatspi.STATE_FOCUSED), kctest.scaled(10), 0.1,
                      "the field focused")


def scroll_to_end(node):
    """Scrolls the form @node is in to its end, as a person drags its scroll bar down."""
    pane = node
    while pane is not None and pane.getRole() != pyatspi.ROLE_SCROLL_PANE:
        pane = pane.parent
    for child in pane:
        if child.getRole() == pyatspi.ROLE_SCROLL_BAR and child.getState().contains(pyatspi.STATE_VERTICAL):
            value = child.queryValue()
            value.currentValue = value.maximumValue
    kctest.eventually(lambda: node.getState().contains(pyatspi.STATE_SHOWING), kctest.scaled(5), 0.1,
                      "the field scrolled into view")


@tap.test("records: two projects of Phú Thọ naming communes, one of Hà Nội")
def _():
    server = kctest.Server()
    S["server"] = server
    admin = server.admin()
    officer = kctest.create_user(admin, "province_officer")
    other = kctest.create_user(admin, "province_officer", "01.TTKC" if "01.TTKC" in server.orgs() else "01")
    S["officer"] = officer
    lan = server.login(officer["username"], officer["password"])
    ha = server.login(other["username"], other["password"])
    S["lan"] = lan
    plan = lan.result("plan.create", {"org_id": server.org_id("25.TTKC"), "year": YEAR, "scope": "local"})
    common = {"plan_id": plan["id"], "content_category": "ND45.4.3"}
    lan.result("project.create", dict(common, title="Đề án đã có xã", locations=[
        {"commune": "Xã Đồng Lương", "address": "Thôn Đồng"}, {"commune": "Phường Âu Cơ"}]))
    S["project"] = lan.result("project.create", dict(common, title=TITLE))
    oplan = ha.result("plan.create", {"org_id": server.org_id("01.TTKC"), "year": YEAR, "scope": "local"})
    ha.result("project.create", {"plan_id": oplan["id"], "content_category": "ND45.4.3",
                                 "title": "Đề án Hà Nội", "locations": [{"commune": "Xã Đồng Tâm"}]})
    S["centre"] = server.sql("SELECT name FROM orgs WHERE code = '25.TTKC' AND valid_to IS NULL").strip()
    S["other_centre"] = server.sql("SELECT name FROM orgs WHERE code = '01.TTKC' AND valid_to IS NULL").strip()
    kctest.check(S["centre"] != "", "the centre's name")


@tap.test("the implementer: 'khuyen cong' offers the province's centre; a click chooses it")
def _():
    start_client("officer")
    login("officer", S["officer"]["username"], S["officer"]["password"])
    select_section("officer", "Đề án")
    press(cell("officer", TITLE))
    editor = frame("officer", S["project"]["code"])
    S["editor"] = editor
    entry = wait_for("officer", by_name("Đơn vị thực hiện", pyatspi.ROLE_TEXT), "the implementer field",
                     root=editor)
    focus(entry)
    set_text(entry, "khuyen cong")
    kctest.eventually(lambda: offered("officer", S["centre"]), kctest.scaled(10), 0.2,
                      "the centre offered")
    kctest.check(offered("officer", S["other_centre"]) is None, "another province's centre offered")
    screenshot("chooser-implementer.png")
    press(offered("officer", S["centre"]))
    kctest.eventually(lambda: text_of(entry) == S["centre"], kctest.scaled(10), 0.2,
                      "the centre chosen")


@tap.test("a commune: 'dong' offers Xã Đồng Lương (this province's), not Xã Đồng Tâm; a new one is taken")
def _():
    editor = S["editor"]
    press(field("officer", editor, "Thêm dòng vào Địa điểm thực hiện", pyatspi.ROLE_PUSH_BUTTON))
    commune = field("officer", editor, "Xã, phường 1")
    scroll_to_end(commune)
    focus(commune)
    set_text(commune, "dong")
    kctest.eventually(lambda: offered("officer", "Xã Đồng Lương"), kctest.scaled(10), 0.2,
                      "Xã Đồng Lương offered")
    kctest.check(offered("officer", "Xã Đồng Tâm") is None, "another province's commune offered")
    kctest.check(offered("officer", "Phường Âu Cơ") is None, "a commune not matching 'dong' offered")
    screenshot("chooser-commune.png")
    press(offered("officer", "Xã Đồng Lương"))
    kctest.eventually(lambda: text_of(commune) == "Xã Đồng Lương", kctest.scaled(10), 0.2,
                      "the commune chosen")
    press(field("officer", editor, "Thêm dòng vào Địa điểm thực hiện", pyatspi.ROLE_PUSH_BUTTON))
    set_text(field("officer", editor, "Xã, phường 2"), "Xã Mới Lập")

    def saved():
        p = S["lan"].result("project.get", {"id": S["project"]["id"]})
        return (p.get("implementer"), [x.get("commune") for x in p.get("locations") or []])
    kctest.eventually(lambda: saved() == (S["centre"], ["Xã Đồng Lương", "Xã Mới Lập"]),
                      kctest.scaled(20), 0.5, "the choices saved")


tap.run()
