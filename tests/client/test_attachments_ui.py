"""test_attachments_ui — the Attachments tab of the project editor, driven
through AT-SPI against a real kc-server (as test_workflow_ui.py).

A province officer opens a draft project that already has a file (uploaded
through the protocol): the tab lists it; a file chosen in the file chooser
(which opens in the Documents folder, here a temporary one named in
user-dirs.dirs) is uploaded in chunks and listed, and the server has the
same bytes (attachment.get, SHA-256); a double-click downloads the first
file through the save dialog; Delete removes it while the project is a
draft.

Run by meson (suite 'client', TAP). Without a display it re-executes itself
under `dbus-run-session -- xvfb-run -a`.
"""

import base64
import hashlib
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from uikit import (S, YEAR, by_name, frame, kctest, login, press, pyatspi,  # noqa: E402
                   screenshot, select_section, start_client, tap, text_of, wait_for)

TITLE = "Hỗ trợ dây chuyền chế biến mủ cao su"
# Over a megabyte: more than one chunk of attachment.put.
UPLOAD = ("Thuyết minh đề án — bản ký.\n" * 50000).encode("utf-8")


def files(api, pid):
    return api.result("attachment.list", {"owner_type": "project", "owner_id": pid})["items"]


def download(api, aid):
    out, offset = b"", 0
    while True:
        r = api.result("attachment.get", {"id": aid, "offset": offset})
        out += base64.b64decode(r["data"])
        offset += r["length"]
        if r["eof"] or r["length"] == 0:
            return out


@tap.test("a draft project with one file; the officer opens its Attachments tab")
def _():
    root = tempfile.mkdtemp(prefix="kc-attach-")
    tap.add_cleanup(lambda: shutil.rmtree(root, ignore_errors=True))
    docs = os.path.join(root, "Tài liệu")
    os.makedirs(docs)
    os.makedirs(os.path.join(root, "config"))
    with open(os.path.join(root, "config", "user-dirs.dirs"), "w") as f:
        f.write('XDG_DOCUMENTS_DIR="%s"\n' % docs)
    S["docs"] = docs
    S["config_home"] = os.path.join(root, "config")
    with open(os.path.join(docs, "thuyet-minh.txt"), "wb") as f:
        f.write(UPLOAD)
    server = kctest.Server()
    S["server"] = server
    officer = kctest.create_user(server.admin(), "province_officer")
    api = server.login(officer["username"], officer["password"])
    S["api"] = api
    plan = api.result("plan.create", {"org_id": server.org_id("25.TTKC"), "year": YEAR, "scope": "local"})
    S["project"] = api.result("project.create", {
        "plan_id": plan["id"], "title": TITLE, "content_category": "ND45.4.3",
        "budget_lines": [{"source": "local", "amount": 300000000}],
        "indicators": [], "no_double_funding": True,
        "beneficiaries": [{"name": "Hợp tác xã thử", "kind": "cooperative"}]})
    first = b"Quyet dinh giao nhiem vu.\n"
    b = api.result("attachment.begin", {"owner_type": "project", "owner_id": S["project"]["id"],
                                        "file_name": "quyet-dinh.txt", "size": len(first),
                                        "sha256": hashlib.sha256(first).hexdigest()})
    api.result("attachment.put", {"id": b["id"], "seq": 0, "data": base64.b64encode(first).decode()})
    api.result("attachment.finish", {"id": b["id"]})
    S["first"] = first
    start_client("officer")
    login("officer", officer["username"], officer["password"])
    select_section("officer", "Đề án")
    press(wait_for("officer", lambda n: n.getRole() == pyatspi.ROLE_TABLE_CELL and n.name == TITLE,
                   "the project in the list"))
    editor = frame("officer", TITLE)
    S["editor"] = editor
    tab = wait_for("officer", by_name("Tài liệu đính kèm", pyatspi.ROLE_PAGE_TAB), "the Attachments tab",
                   root=editor)
    tab.parent.querySelection().selectChild(tab.getIndexInParent())
    wait_for("officer", lambda n: n.getRole() == pyatspi.ROLE_TABLE_CELL and n.name == "quyet-dinh.txt",
             "the file already attached", root=editor)


@tap.test("a file chosen in the file chooser is uploaded in chunks and listed")
def _():
    editor = S["editor"]
    press(wait_for("officer", by_name("Đính kèm tệp…", pyatspi.ROLE_PUSH_BUTTON), "attach", root=editor))
    dialog = wait_for("officer", lambda n: n.getRole() in (pyatspi.ROLE_DIALOG, pyatspi.ROLE_FILE_CHOOSER)
                      and n.name == "Đính kèm tệp", "the file chooser")
    press(wait_for("officer", lambda n: n.getRole() == pyatspi.ROLE_TABLE_CELL
                   and n.name == "thuyet-minh.txt", "the file in Documents", root=dialog))
    wait_for("officer", lambda n: n.getRole() == pyatspi.ROLE_LABEL
             and text_of(n) == "Đã đính kèm thuyet-minh.txt.", "the attached message", root=editor,
             timeout=40)
    wait_for("officer", lambda n: n.getRole() == pyatspi.ROLE_TABLE_CELL and n.name == "thuyet-minh.txt",
             "the uploaded file listed", root=editor)
    screenshot("attachments.png")
    items = {i["file_name"]: i for i in files(S["api"], S["project"]["id"])}
    kctest.check("thuyet-minh.txt" in items, "the upload is not on the server", list(items))
    up = items["thuyet-minh.txt"]
    kctest.check_equal(up["size"], len(UPLOAD), "the uploaded size")
    kctest.check_equal(up["sha256"], hashlib.sha256(UPLOAD).hexdigest(), "the uploaded SHA-256")
    kctest.check_equal(download(S["api"], up["id"]), UPLOAD, "the bytes on the server")


@tap.test("a large upload shows its progress and Cancel stops it; nothing is attached")
def _():
    editor = S["editor"]
    big = os.path.join(S["docs"], "ban-ve.bin")
    with open(big, "wb") as f:
        f.write(os.urandom(30 * 1024 * 1024))
    press(wait_for("officer", by_name("Đính kèm tệp…", pyatspi.ROLE_PUSH_BUTTON), "attach", root=editor))
    dialog = wait_for("officer", lambda n: n.getRole() in (pyatspi.ROLE_DIALOG, pyatspi.ROLE_FILE_CHOOSER)
                      and n.name == "Đính kèm tệp", "the file chooser")
    press(wait_for("officer", lambda n: n.getRole() == pyatspi.ROLE_TABLE_CELL
                   and n.name == "ban-ve.bin", "the large file in Documents", root=dialog))
    bar = wait_for("officer", lambda n: n.getRole() == pyatspi.ROLE_PROGRESS_BAR
                   and n.name == "Tiến độ truyền tệp", "the progress bar", root=editor)
    # Chunks going out: part of the file sent, not all.
    kctest.eventually(lambda: 0 < bar.queryValue().currentValue < bar.queryValue().maximumValue,
                      kctest.scaled(20), interval=0.05, what="an upload under way")
    screenshot("attachments-upload.png")
    press(wait_for("officer", lambda n: n.getRole() == pyatspi.ROLE_PUSH_BUTTON and n.name == "Hủy",
                   "Cancel", root=editor))
    wait_for("officer", lambda n: n.getRole() == pyatspi.ROLE_LABEL and text_of(n) == "Đã hủy.",
             "the cancelled message", root=editor)
    kctest.check_equal(sorted(i["file_name"] for i in files(S["api"], S["project"]["id"])),
                       ["quyet-dinh.txt", "thuyet-minh.txt"], "the files after the cancelled upload")


@tap.test("a double-click downloads a file through the save dialog")
def _():
    editor = S["editor"]
    press(wait_for("officer", lambda n: n.getRole() == pyatspi.ROLE_TABLE_CELL and n.name == "quyet-dinh.txt",
                   "the first file", root=editor))
    dialog = wait_for("officer", lambda n: n.getRole() in (pyatspi.ROLE_DIALOG, pyatspi.ROLE_FILE_CHOOSER)
                      and n.name == "Lưu tệp", "the save dialog")
    press(wait_for("officer", lambda n: n.getRole() == pyatspi.ROLE_PUSH_BUTTON and n.name == "Lưu",
                   "the save button", root=dialog))
    wait_for("officer", lambda n: n.getRole() == pyatspi.ROLE_LABEL
             and text_of(n) == "Đã lưu quyet-dinh.txt.", "the saved message", root=editor)
    with open(os.path.join(S["docs"], "quyet-dinh.txt"), "rb") as f:
        kctest.check_equal(f.read(), S["first"], "the downloaded bytes")


@tap.test("Delete removes a file of a draft")
def _():
    editor = S["editor"]
    view = wait_for("officer", by_name("Các tệp đính kèm", pyatspi.ROLE_TABLE), "the list", root=editor)
    view.querySelection().selectChild(0)
    press(wait_for("officer", lambda n: n.getRole() == pyatspi.ROLE_PUSH_BUTTON and n.name == "Xoá"
                   and n.getState().contains(pyatspi.STATE_SENSITIVE), "delete", root=editor))
    question = wait_for("officer", lambda n: n.getRole() == pyatspi.ROLE_LABEL
                        and text_of(n) == "Xoá quyet-dinh.txt khỏi đề án?", "the confirmation")
    top = question
    while top.getRole() not in (pyatspi.ROLE_DIALOG, pyatspi.ROLE_ALERT) and top.parent is not None:
        top = top.parent
    press(wait_for("officer", lambda n: n.getRole() == pyatspi.ROLE_PUSH_BUTTON and n.name == "Xoá",
                   "the confirming delete", root=top))
    wait_for("officer", lambda n: n.getRole() == pyatspi.ROLE_LABEL and text_of(n) == "Đã xoá tệp.",
             "the deleted message", root=editor)
    kctest.check_equal([i["file_name"] for i in files(S["api"], S["project"]["id"])], ["thuyet-minh.txt"],
                       "the files left on the server")


tap.run()
