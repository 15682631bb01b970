"""test_offline_ui — edits of a draft kept on this computer while kc-server
is down, sent when it is back; a conflict shown, never overwritten.

A real kc-server (kctest.py) and a real kc-client under Xvfb, driven
through AT-SPI as test_workflow_ui.py does (the helpers are the same). A
province officer opens a draft project, kc-server stops, the officer edits
the title and saves: the editor says the edit is kept on this computer, a
file (0600) with the base version appears under XDG_DATA_HOME and the main
window counts one edit waiting. kc-server starts again: the edit arrives
(project.get) and the count goes. Then a conflict: an edit kept while the
project is changed elsewhere meanwhile (in the database, since kc-server is
down) is refused with 1009 once sent; the conflict window shows both titles,
and "Keep mine" sends it again on the new version. Last, a new project
never saved is kept the same way (project-new-1.json, the params of
project.create) and created once when kc-server is back.

Run by meson (suite 'client', TAP). Without a display it re-executes itself
under `dbus-run-session -- xvfb-run -a`.
"""

import json
import os
import re
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from uikit import (S, YEAR, by_name, field, find, frame, kctest, login, press, pyatspi,  # noqa: E402
                   screenshot, select_section, set_text, start_client, tap, text_of, wait_for, walk)

# ---------------------------------------------------------------------------
# The flow
# ---------------------------------------------------------------------------



# ---------------------------------------------------------------------------
# The flow
# ---------------------------------------------------------------------------

TITLE_A = "Hỗ trợ máy sấy nông sản"
TITLE_B = "Trình diễn dây chuyền dệt thổ cẩm"


def project_get(pid):
    return S["api"].result("project.get", {"id": pid})


def main_window():
    return wait_for("officer", lambda n: n.getRole() == pyatspi.ROLE_FRAME and n.name == "Khuyến Công",
                    "the main window", showing=False)


def pending_count():
    """The number on the main window's "edits waiting" button, or 0 when hidden."""
    button = find("officer", by_name("Thay đổi chờ gửi", pyatspi.ROLE_PUSH_BUTTON))
    if button is None:
        return 0
    m = re.match(r"(\d+) thay đổi chờ gửi", button.description or "")
    return int(m.group(1)) if m else -1


def kept_files():
    root = os.path.join(S["data_home"], "khuyen-cong", "drafts")
    found = []
    for d, _dirs, files in os.walk(root):
        found += [os.path.join(d, f) for f in files if f.endswith(".json")]
    return found


def open_editor(title):
    select_section("officer", "Đề án")
    cell = wait_for("officer", lambda n: n.getRole() == pyatspi.ROLE_TABLE_CELL and n.name == title,
                    "project %s in the list" % title)
    press(cell)
    return frame("officer", title)


def save_offline(editor, title):
    set_text(field("officer", editor, "Tên đề án"), title)
    press(wait_for("officer", by_name("Lưu", pyatspi.ROLE_PUSH_BUTTON), "the save button", root=editor))
    wait_for("officer", lambda n: n.getRole() == pyatspi.ROLE_LABEL
             and text_of(n) == "Đã lưu trên máy, sẽ gửi khi có kết nối.", "the kept-locally message",
             root=editor)


@tap.test("a province officer with two draft projects logs in")
def _():
    import tempfile
    S["data_home"] = tempfile.mkdtemp(prefix="kc-offline-")
    tap.add_cleanup(lambda: shutil.rmtree(S["data_home"], ignore_errors=True))
    server = kctest.Server()
    S["server"] = server
    admin = server.admin()
    S["officer"] = kctest.create_user(admin, "province_officer")
    api = server.login(S["officer"]["username"], S["officer"]["password"])
    S["api"] = api
    plan = api.result("plan.create", {"org_id": server.org_id("25.TTKC"), "year": YEAR,
                                      "scope": "local"})
    for key, title in (("a", TITLE_A), ("b", TITLE_B)):
        S[key] = api.result("project.create", {
            "plan_id": plan["id"], "title": title, "content_category": "ND45.4.3",
            "budget_lines": [{"source": "local", "amount": 300000000},
                             {"source": "counterpart", "amount": 700000000}],
            "indicators": [], "no_double_funding": True,
            "beneficiaries": [{"name": "Hợp tác xã thử", "kind": "cooperative"}]})
    start_client("officer")
    login("officer", S["officer"]["username"], S["officer"]["password"])
    main_window()
    kctest.check_equal(pending_count(), 0, "edits waiting at start")


@tap.test("kc-server stopped: the edit is kept on this computer, 0600, with its base version")
def _():
    editor = open_editor(TITLE_A)
    base = project_get(S["a"]["id"])["version"]
    S["server"].stop()
    save_offline(editor, TITLE_A + " (sửa khi mất kết nối)")
    files = kept_files()
    kctest.check_equal(len(files), 1, "kept files")
    kctest.check_equal(oct(os.stat(files[0]).st_mode & 0o777), "0o600", "the kept file's mode")
    with open(files[0], encoding="utf-8") as f:
        kept = json.load(f)
    kctest.check_equal(kept["params"]["id"], S["a"]["id"], "the kept project")
    kctest.check_equal(kept["params"]["version"], base, "the kept base version")
    kctest.check_equal(kept["params"]["title"], TITLE_A + " (sửa khi mất kết nối)", "the kept title")
    kctest.eventually(lambda: pending_count() == 1, kctest.scaled(5), what="one edit waiting")
    screenshot("offline-kept.png")
    # The editor closed, the main window shows the count in its header bar.
    press(wait_for("officer", lambda n: n.getRole() == pyatspi.ROLE_PUSH_BUTTON
                   and n.name in ("Close", "Đóng"), "the editor's close button", root=editor))
    wait_for("officer", lambda n: n.getRole() == pyatspi.ROLE_PUSH_BUTTON and n.name == "Thay đổi chờ gửi",
             "the count in the main window", root=main_window())
    screenshot("offline-pending.png")


@tap.test("kc-server back: the kept edit arrives by itself and the count goes")
def _():
    S["server"].start()
    api = S["server"].login(S["officer"]["username"], S["officer"]["password"])
    S["api"] = api
    kctest.eventually(lambda: project_get(S["a"]["id"])["title"] == TITLE_A + " (sửa khi mất kết nối)",
                      kctest.scaled(40), interval=0.5, what="the kept edit on the server")
    kctest.eventually(lambda: pending_count() == 0, kctest.scaled(5), what="no edit waiting")
    kctest.check_equal(kept_files(), [], "kept files after sending")
    editor = open_editor(TITLE_A + " (sửa khi mất kết nối)")
    wait_for("officer", lambda n: n.getRole() == pyatspi.ROLE_TEXT and n.name == "Tên đề án"
             and text_of(n) == TITLE_A + " (sửa khi mất kết nối)", "the sent title in the editor",
             root=editor, showing=False)


@tap.test("a conflict: changed elsewhere meanwhile, both shown; Keep mine sends it on the new version")
def _():
    server = S["server"]
    editor = open_editor(TITLE_B)
    wait_for("officer", lambda n: n.getRole() == pyatspi.ROLE_TEXT and n.name == "Tên đề án"
             and text_of(n) == TITLE_B, "project B's title in the editor", root=editor, showing=False)
    server.stop()
    mine = TITLE_B + " (bản của cán bộ)"
    theirs = TITLE_B + " (bản sửa ở nơi khác)"
    save_offline(editor, mine)
    # Another client's edit, made while this one was cut off (kc-server is
    # down, so straight in the database, as project.update would).
    server.sql("update projects set title = '%s', version = version + 1 where id = %d"
               % (theirs, S["b"]["id"]))
    server.start()
    S["api"] = server.login(S["officer"]["username"], S["officer"]["password"])
    # Not waiting for the next retry: the officer clicks the count to send now.
    press(wait_for("officer", by_name("Thay đổi chờ gửi", pyatspi.ROLE_PUSH_BUTTON), "the count",
                   root=main_window()))
    dialog = wait_for("officer", lambda n: n.getRole() == pyatspi.ROLE_DIALOG
                      and n.name == "Thay đổi lưu trên máy", "the conflict window", timeout=40)
    local = wait_for("officer", by_name("Tên đề án, lưu trên máy", pyatspi.ROLE_LABEL),
                     "the kept title", root=dialog)
    remote = wait_for("officer", lambda n: n.getRole() == pyatspi.ROLE_LABEL
                      and n.name == "Tên đề án, trên máy chủ" and text_of(n) == theirs,
                      "the server's title", root=dialog)
    kctest.check_equal(text_of(local), mine, "the kept title shown")
    kctest.check_equal(text_of(remote), theirs, "the server's title shown")
    # Never overwritten silently: the server still has the other edit.
    kctest.check_equal(project_get(S["b"]["id"])["title"], theirs, "the title before choosing")
    kctest.check_equal(pending_count(), 1, "the conflict still counted")
    screenshot("offline-conflict.png")
    press(wait_for("officer", by_name("Giữ bản của tôi", pyatspi.ROLE_PUSH_BUTTON), "keep mine",
                   root=dialog))
    kctest.eventually(lambda: project_get(S["b"]["id"])["title"] == mine, kctest.scaled(20),
                      interval=0.3, what="my edit on the server after Keep mine")
    # The open editor hears that its kept edit went and shows the saved project.
    wait_for("officer", lambda n: n.getRole() == pyatspi.ROLE_LABEL
             and text_of(n) == "Thay đổi lưu trên máy đã được gửi lên máy chủ.", "the sent message",
             root=editor)
    kctest.eventually(lambda: pending_count() == 0, kctest.scaled(5), what="no edit waiting")
    kctest.check_equal(kept_files(), [], "kept files after the conflict")



@tap.test("another conflict: Take the server's drops the kept edit, the editor shows the server's")
def _():
    server = S["server"]
    editor = frame("officer", TITLE_B)
    server.stop()
    mine = TITLE_B + " (bản thứ hai của cán bộ)"
    theirs = TITLE_B + " (bản duyệt ở nơi khác)"
    save_offline(editor, mine)
    server.sql("update projects set title = '%s', version = version + 1 where id = %d"
               % (theirs, S["b"]["id"]))
    server.start()
    S["api"] = server.login(S["officer"]["username"], S["officer"]["password"])
    # Not waiting for the next retry: the officer clicks the count to send now.
    press(wait_for("officer", by_name("Thay đổi chờ gửi", pyatspi.ROLE_PUSH_BUTTON), "the count",
                   root=main_window()))
    dialog = wait_for("officer", lambda n: n.getRole() == pyatspi.ROLE_DIALOG
                      and n.name == "Thay đổi lưu trên máy", "the conflict window", timeout=40)
    wait_for("officer", lambda n: n.getRole() == pyatspi.ROLE_LABEL
             and n.name == "Tên đề án, trên máy chủ" and text_of(n) == theirs,
             "the server's title", root=dialog)
    press(wait_for("officer", by_name("Lấy bản trên máy chủ", pyatspi.ROLE_PUSH_BUTTON),
                   "take the server's", root=dialog))
    kctest.eventually(lambda: pending_count() == 0, kctest.scaled(5), what="no edit waiting")
    kctest.check_equal(kept_files(), [], "kept files after dropping")
    wait_for("officer", lambda n: n.getRole() == pyatspi.ROLE_TEXT and n.name == "Tên đề án"
             and text_of(n) == theirs, "the server's title in the editor", root=editor, showing=False)
    kctest.check_equal(project_get(S["b"]["id"])["title"], theirs, "the title on the server")


NEW_TITLE = "Tập huấn nghề đan lát cho phụ nữ dân tộc"


@tap.test("a new project never saved: kept on this computer while kc-server is down, created when it is back")
def _():
    server = S["server"]
    select_section("officer", "Đề án")
    press(wait_for("officer", by_name("Đề án mới…", pyatspi.ROLE_PUSH_BUTTON), "new project button"))
    editor = frame("officer", "Đề án mới")
    # The plan chooser fills in from plan.list while the server is there.
    wait_for("officer", lambda n: n.getRole() == pyatspi.ROLE_MENU_ITEM and str(YEAR) in n.name,
             "the draft plan offered", root=editor, showing=False)
    before = len(S["api"].result("project.list", {})["items"])
    server.stop()
    set_text(field("officer", editor, "Nội dung chính"), "ND45.4.1")
    save_offline(editor, NEW_TITLE)
    # Saved again while still offline: the same kept project, not a second one.
    save_offline(editor, NEW_TITLE + " năm %d" % YEAR)
    files = kept_files()
    kctest.check_equal([os.path.basename(f) for f in files], ["project-new-1.json"], "kept files")
    kctest.check_equal(oct(os.stat(files[0]).st_mode & 0o777), "0o600", "the kept file's mode")
    with open(files[0], encoding="utf-8") as f:
        kept = json.load(f)
    kctest.check("id" not in kept["params"] and kept["params"]["plan_id"] > 0,
                 "the params of project.create", kept["params"])
    kctest.check_equal(kept["params"]["title"], NEW_TITLE + " năm %d" % YEAR, "the kept title")
    kctest.eventually(lambda: pending_count() == 1, kctest.scaled(5), what="one new project waiting")
    screenshot("offline-new-project.png")

    server.start()
    S["api"] = server.login(S["officer"]["username"], S["officer"]["password"])
    # The client sends what it kept by itself once the server is back (test 3);
    # the count's button sends it at once. Press it only while it is there: in
    # CI the client had already sent the project, and the button was gone,
    # before this line looked (the editor said it was sent).
    button = find("officer", by_name("Thay đổi chờ gửi", pyatspi.ROLE_PUSH_BUTTON), main_window())
    if button is not None:
        try:
            press(button)
        except Exception:  # gone between finding and pressing: sent meanwhile
            pass

    def created():
        items = S["api"].result("project.list", {"q": NEW_TITLE})["items"]
        return items if items else None
    items = kctest.eventually(created, kctest.scaled(40), interval=0.5, what="the new project on the server")
    kctest.check_equal([p["title"] for p in items], [NEW_TITLE + " năm %d" % YEAR], "created once")
    kctest.check_equal(len(S["api"].result("project.list", {})["items"]), before + 1, "one project more")
    kctest.eventually(lambda: pending_count() == 0, kctest.scaled(5), what="no edit waiting")
    kctest.check_equal(kept_files(), [], "kept files after creating")
    # The open editor now shows the project the server created, under its code.
    wait_for("officer", lambda n: n.getRole() == pyatspi.ROLE_LABEL
             and text_of(n) == "Thay đổi lưu trên máy đã được gửi lên máy chủ.", "the sent message",
             root=editor)
    frame("officer", items[0]["code"])
    # Saved once more, now online: an update of that project, not another one.
    set_text(field("officer", editor, "Tên đề án"), NEW_TITLE + " (đã gửi)")
    press(wait_for("officer", by_name("Lưu", pyatspi.ROLE_PUSH_BUTTON), "the save button", root=editor))
    kctest.eventually(lambda: project_get(items[0]["id"])["title"] == NEW_TITLE + " (đã gửi)",
                      kctest.scaled(20), interval=0.3, what="the update of the created project")
    kctest.check_equal(len(S["api"].result("project.list", {})["items"]), before + 1, "still one project more")


tap.run()
