"""test_rounds_ui — reporting rounds (issue 15) through kc-client and AT-SPI.

Two people on one kctest server: the Ministry's approver and Phú Thọ's
province leader, each in a kc-client of their own. The approver opens a
round on the Kỳ báo cáo page (every province appears on the board, "Chưa bắt
đầu"); the leader, from the line of their home page (one click: the Rounds
page, Phú Thọ's line selected), writes the first section in the report editor (saved as
they write: round.report_update, checked on the server), sends it after a
confirmation that says what is sent; the approver's board shows "Đã gửi"
through the server's event, without a refresh; the approver returns it with
a reason of two lines, which the leader's editor shows; the leader sends
again; the approver accepts it and opens the national summary, which lists
who has not sent. Also the preview of the document, the Ministry reading a
report (read-only) and exporting it as .docx through the save dialog, and a
save refused as stale (someone else saved meanwhile) kept on request. Screenshots: rounds-province.png, rounds-editor.png,
rounds-summary.png (docs/screenshots/).

Run by meson (suite 'client', TAP). Without a display it re-executes itself
under `dbus-run-session -- xvfb-run -a`.
"""

import datetime
import os
import re
import shutil
import sys
import tempfile
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from uikit import (S, by_name, find, kctest, login, press, pyatspi, screenshot,  # noqa: E402
                   select_section, set_text, start_client, tap, text_of, wait_for)

PROVINCE = "Tỉnh Phú Thọ"
TITLE = "Tổng kết Chương trình khuyến công giai đoạn 2021–2025 (thử)"
RESULTS = "Kết quả thực hiện so với mục tiêu của Chương trình"


def button(who, name, root=None):
    return wait_for(who, lambda n: n.getRole() == pyatspi.ROLE_PUSH_BUTTON and n.name == name
                    and n.getState().contains(pyatspi.STATE_SENSITIVE), "button %s" % name, root=root)


def dialog(who, name):
    return wait_for(who, lambda n: n.getRole() in (pyatspi.ROLE_DIALOG, pyatspi.ROLE_ALERT)
                    and n.name == name, "dialog %s" % name)


def board_row(who, prefix):
    """The board's row whose accessible name (the whole line) starts with @prefix."""
    return wait_for(who, lambda n: n.getRole() == pyatspi.ROLE_LIST_ITEM and n.name.startswith(prefix),
                    "board row %s" % prefix)


def select_board_row(who, prefix):
    def attempt():
        row = find(who, lambda n: n.getRole() == pyatspi.ROLE_LIST_ITEM and n.name.startswith(prefix))
        if row is None:
            return None
        row.parent.querySelection().selectChild(row.getIndexInParent())
        return row if row.getState().contains(pyatspi.STATE_SELECTED) else None
    return kctest.eventually(attempt, kctest.scaled(25), interval=0.25, what="row %s selected" % prefix)


def report_on_server():
    return S["leader_api"].result("round.report_get", {"round_id": S["round_id"]})


@tap.test("the approver in a kc-client")
def _():
    server = kctest.Server()
    S["server"] = server
    admin = server.admin()
    S["approver"] = kctest.create_user(admin, "ministry_approver")
    S["leader"] = kctest.create_user(admin, "province_leader")
    S["leader_api"] = server.login(S["leader"]["username"], S["leader"]["password"])
    S["approver_api"] = server.login(S["approver"]["username"], S["approver"]["password"])
    start_client("approver")
    login("approver", S["approver"]["username"], S["approver"]["password"])
    wait_for("approver", by_name("Kỳ báo cáo", pyatspi.ROLE_LABEL), "the Kỳ báo cáo section")


@tap.test("the approver opens a round: every province on the board, not started")
def _():
    select_section("approver", "Kỳ báo cáo")
    press(button("approver", "Mở kỳ báo cáo…"))
    d = dialog("approver", "Kỳ báo cáo mới")
    today = datetime.date.today()
    due = today + datetime.timedelta(days=30)
    for name, value in (("Tên kỳ báo cáo", TITLE), ("Số công văn", "8474/BCT-ĐMST"),
                        ("Ngày ký", today.strftime("%d/%m/%Y")), ("Từ năm", "2021"),
                        ("Đến năm", "2025"), ("Hạn gửi báo cáo", due.strftime("%d/%m/%Y"))):
        set_text(wait_for("approver", by_name(name, pyatspi.ROLE_TEXT), name, root=d), value)
    press(button("approver", "Mở kỳ báo cáo", root=d))
    row = board_row("approver", PROVINCE + ", Chưa bắt đầu")
    kctest.check(row is not None, "Phú Thọ on the board, not started")
    rounds = S["approver_api"].result("round.list", {})["items"]
    kctest.check(len(rounds) == 1 and rounds[0]["title"] == TITLE, "round.create with the title", rounds)
    S["round_id"] = rounds[0]["id"]
    S["org_id"] = [r for r in rounds[0]["reports"] if r["org_name"] == PROVINCE][0]["org_id"]
    kctest.check(rounds[0]["due_on"] == due.isoformat(), "the due day as typed", rounds[0]["due_on"])
    count = wait_for("approver", by_name("Báo cáo đã gửi", pyatspi.ROLE_LABEL), "the count")
    kctest.eventually(lambda: text_of(count).startswith("Đã gửi 0/34"), kctest.scaled(10),
                      what="Đã gửi 0/34: %r" % text_of(count))
    detail = wait_for("approver", by_name("Thông tin kỳ báo cáo", pyatspi.ROLE_LABEL), "the details")
    kctest.check("8474/BCT-ĐMST" in text_of(detail) and "2021–2025" in text_of(detail)
                 and due.strftime("%d/%m/%Y") in text_of(detail), "the details in Vietnamese",
                 text_of(detail))


def editor_frame(who):
    return wait_for(who, lambda n: n.getRole() == pyatspi.ROLE_FRAME and n.name.startswith(PROVINCE + " — "),
                    "the report editor")


def write_results(text):
    editor = editor_frame("leader")
    view = wait_for("leader", lambda n: n.getRole() == pyatspi.ROLE_TEXT and n.name == RESULTS
                    and n.getState().contains(pyatspi.STATE_EDITABLE), "the results section", root=editor)
    set_text(view, text)
    saved = wait_for("leader", by_name("Lưu", pyatspi.ROLE_LABEL), "the save line", root=editor)
    kctest.eventually(lambda: text_of(saved).startswith("Đã lưu lúc"), kctest.scaled(15),
                      what="Đã lưu lúc …: %r" % text_of(saved))
    sections = report_on_server()["sections"]
    kctest.check([s["text"] for s in sections if s["key"] == "results"] == [text],
                 "the text saved on the server", sections)
    return editor


def send_report(editor, what="phần viết của 1 trên 6 mục"):
    press(button("leader", "Gửi Bộ…", root=editor))
    confirm = wait_for("leader", lambda n: n.getRole() in (pyatspi.ROLE_DIALOG, pyatspi.ROLE_ALERT)
                       and n.name == "Gửi báo cáo", "the confirmation")
    words = " ".join(text_of(n) for n in _labels(confirm))
    kctest.check("Gửi báo cáo của %s về Bộ Công Thương?" % PROVINCE in words, "it says whose report goes",
                 words)
    kctest.check(what in words and "biểu số liệu" in words,
                 "it says what is sent", words)
    press(button("leader", "Gửi", root=confirm))
    status = wait_for("leader", by_name("Trạng thái báo cáo", pyatspi.ROLE_LABEL), "the status", root=editor)
    kctest.eventually(lambda: text_of(status).startswith("Trạng thái: Đã gửi (gửi ngày "),
                      kctest.scaled(15), what="Đã gửi: %r" % text_of(status))


def _labels(root):
    out = []

    def walk(n, depth=0):
        if depth > 12:
            return
        if n.getRole() == pyatspi.ROLE_LABEL:
            out.append(n)
        for c in n:
            walk(c, depth + 1)
    walk(root)
    return out


@tap.test("the leader, from the home page's line, writes the results (saved as they write) and sends")
def _():
    # One click from the home page: the Rounds page, the province's line selected.
    start_client("leader")
    login("leader", S["leader"]["username"], S["leader"]["password"])
    items = [i for i in S["leader_api"].result("inbox.list", {"limit": 1000})["items"]
             if i["kind"] == "round_report_due"]
    kctest.check(len(items) == 1, "the server lists the report to send for the leader", items)
    press(wait_for("leader", lambda n: n.getRole() == pyatspi.ROLE_PUSH_BUTTON and items[0]["title"] in n.name,
                   "the round's line on the home page"))
    row = board_row("leader", PROVINCE + ", Chưa bắt đầu")
    kctest.eventually(lambda: row.getState().contains(pyatspi.STATE_SELECTED), kctest.scaled(10),
                      what="Phú Thọ's line selected")
    press(button("leader", "Viết báo cáo"))
    editor = write_results("Đạt 8 mô hình trình diễn kỹ thuật;\nhỗ trợ 60 máy móc thiết bị.")
    screenshot("rounds-editor.png")
    press(button("leader", "Xem trước", root=editor))
    preview = wait_for("leader", lambda n: n.getRole() == pyatspi.ROLE_TEXT and n.name == "Xem trước báo cáo",
                       "the preview")
    words = text_of(preview)
    kctest.check("Đạt 8 mô hình trình diễn kỹ thuật" in words and "Nơi nhận:" in words
                 and "Phú Thọ" in words, "the preview: the text, the recipients, the province", words[:400])
    send_report(editor)
    kctest.check(report_on_server()["status"] == "sent", "sent on the server")


@tap.test("the approver's board shows it sent, through the event (no refresh)")
def _():
    today = datetime.date.today().strftime("%d/%m/%Y")
    board_row("approver", "%s, Đã gửi, %s" % (PROVINCE, today))
    count = wait_for("approver", by_name("Báo cáo đã gửi", pyatspi.ROLE_LABEL), "the count")
    kctest.eventually(lambda: text_of(count).startswith("Đã gửi 1/34"), kctest.scaled(10),
                      what="Đã gửi 1/34: %r" % text_of(count))
    # The leader closes the editor (the board behind it shows, on this display without a window manager).
    press(button("leader", "Đóng", root=editor_frame("leader")))
    kctest.eventually(lambda: find("leader", lambda n: n.getRole() == pyatspi.ROLE_FRAME
                                   and n.name.startswith(PROVINCE + " — ")) is None,
                      kctest.scaled(10), what="the editor closed")
    screenshot("rounds-province.png")


REASON = "Thiếu số liệu kinh phí địa phương.\nĐề nghị bổ sung và gửi lại trước hạn."


@tap.test("the approver returns it with a reason of two lines; the leader's board and editor show it")
def _():
    select_board_row("approver", PROVINCE + ", Đã gửi")
    press(button("approver", "Trả lại…"))
    d = dialog("approver", "Trả lại báo cáo của %s" % PROVINCE)
    set_text(wait_for("approver", by_name("Lý do", pyatspi.ROLE_TEXT), "the reason", root=d), REASON)
    press(button("approver", "Trả lại", root=d))
    board_row("approver", PROVINCE + ", Bị trả lại")
    kctest.check(report_on_server()["returned_comment"] == REASON, "the reason on the server, both lines")
    board_row("leader", PROVINCE + ", Bị trả lại")
    press(button("leader", "Viết báo cáo"))
    editor = editor_frame("leader")
    message = wait_for("leader", lambda n: n.name == "Nội dung" and text_of(n).startswith(
        "Bộ Công Thương đã trả lại báo cáo này: "), "the reason in the editor", root=editor)
    kctest.check(REASON in text_of(message), "the whole reason shown", text_of(message))


@tap.test("someone else saved meanwhile: the editor says so, keeps the leader's text on request")
def _():
    theirs = "Bài học: phối hợp sớm với các sở, ngành."
    mine = "Đạt 8 mô hình trình diễn kỹ thuật;\nhỗ trợ 60 máy móc thiết bị;\nkinh phí địa phương 20 tỷ đồng."
    r = report_on_server()
    S["leader_api"].result("round.report_update", {"round_id": S["round_id"], "version": r["version"],
                                                   "sections": [{"key": "lessons", "text": theirs}]})
    editor = editor_frame("leader")
    view = wait_for("leader", lambda n: n.getRole() == pyatspi.ROLE_TEXT and n.name == RESULTS
                    and n.getState().contains(pyatspi.STATE_EDITABLE), "the results section", root=editor)
    set_text(view, mine)
    wait_for("leader", lambda n: n.name == "Nội dung" and text_of(n).startswith(
        "Người khác đã sửa báo cáo này trong lúc bạn viết"), "the stale version said", root=editor)
    saved = wait_for("leader", by_name("Lưu", pyatspi.ROLE_LABEL), "the save line", root=editor)
    kctest.check(text_of(saved) == "Chưa lưu", "Chưa lưu", text_of(saved))
    press(button("leader", "Giữ nội dung của tôi", root=editor))
    kctest.eventually(lambda: text_of(saved).startswith("Đã lưu lúc"), kctest.scaled(15),
                      what="Đã lưu lúc …: %r" % text_of(saved))
    texts = {s["key"]: s["text"] for s in report_on_server()["sections"]}
    kctest.check(texts["results"] == mine and texts["lessons"] == theirs,
                 "the leader's results and the other person's lessons, both kept", texts)
    board_row("leader", PROVINCE + ", Đang soạn")


@tap.test("the leader sends again; the approver accepts it")
def _():
    editor = editor_frame("leader")
    send_report(editor, "phần viết của 2 trên 6 mục")
    select_board_row("approver", PROVINCE + ", Đã gửi")
    press(button("approver", "Chấp nhận"))
    board_row("approver", PROVINCE + ", Bộ đã chấp nhận")
    kctest.check(report_on_server()["status"] == "accepted", "accepted on the server")
    status = wait_for("leader", by_name("Trạng thái báo cáo", pyatspi.ROLE_LABEL), "the status", root=editor)
    kctest.eventually(lambda: text_of(status).startswith("Trạng thái: Bộ đã chấp nhận"), kctest.scaled(15),
                      what="the leader's editor follows: %r" % text_of(status))


@tap.test("the Ministry reads the accepted report (read-only) and exports it as .docx, with the province's text")
def _():
    out_dir = tempfile.mkdtemp(prefix="kc-rounds-")
    tap.add_cleanup(lambda: shutil.rmtree(out_dir, ignore_errors=True))
    path = os.path.join(out_dir, "bao-cao-phu-tho.docx")
    select_board_row("approver", PROVINCE + ", Bộ đã chấp nhận")
    # The Ministry reads the report first: read-only.
    press(button("approver", "Mở báo cáo"))
    reader = editor_frame("approver")
    view = wait_for("approver", lambda n: n.getRole() == pyatspi.ROLE_TEXT and n.name == RESULTS,
                    "the results section", root=reader)
    kctest.check(not view.getState().contains(pyatspi.STATE_EDITABLE)
                 and text_of(view).startswith("Đạt 8 mô hình"), "read-only, with the province's text",
                 text_of(view))
    kctest.check(text_of(wait_for("approver", by_name("Lưu", pyatspi.ROLE_LABEL), "the save line",
                                  root=reader)) == "Chỉ đọc", "Chỉ đọc")
    press(button("approver", "Đóng", root=reader))
    press(button("approver", "Xuất…"))
    d = wait_for("approver", lambda n: n.getRole() in (pyatspi.ROLE_DIALOG, pyatspi.ROLE_FILE_CHOOSER)
                 and n.name == "Xuất báo cáo của " + PROVINCE, "the save dialog")
    name = wait_for("approver", lambda n: n.getRole() == pyatspi.ROLE_TEXT
                    and n.getState().contains(pyatspi.STATE_EDITABLE), "the file name field", root=d)
    kctest.check(text_of(name) == "Bao cao %s.docx" % PROVINCE, "the suggested name", text_of(name))
    set_text(name, path)
    press(wait_for("approver", by_name("Lưu", pyatspi.ROLE_PUSH_BUTTON), "the dialog's save button", root=d))
    kctest.eventually(lambda: os.path.exists(path) and os.path.getsize(path) > 0, kctest.scaled(60),
                      interval=0.25, what="the exported file")
    wait_for("approver", lambda n: n.name == "Nội dung" and text_of(n) == "Đã lưu thành bao-cao-phu-tho.docx",
             "Đã lưu thành bao-cao-phu-tho.docx", timeout=60)
    with zipfile.ZipFile(path) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    text = re.sub(r"<[^>]+>", "", xml)
    kctest.check("Phú Thọ" in text and "Đạt 8 mô hình trình diễn kỹ thuật" in text,
                 "the document has the province and its text", text[:300])


@tap.test("the national summary: the provinces' texts per item, who has not sent")
def _():
    press(button("approver", "Tổng hợp toàn quốc"))
    window = wait_for("approver", lambda n: n.getRole() == pyatspi.ROLE_FRAME
                      and n.name == "Tổng hợp toàn quốc — " + TITLE, "the summary window")
    not_sent = wait_for("approver", by_name("Các tỉnh, thành phố chưa gửi", pyatspi.ROLE_LABEL), "who has not sent", root=window)
    kctest.eventually(lambda: "Thành phố Hà Nội" in text_of(not_sent) and PROVINCE not in text_of(not_sent),
                      kctest.scaled(10), what="Hà Nội not sent, Phú Thọ sent: %r" % text_of(not_sent)[:200])
    texts = [text_of(n) for n in _labels(window)]
    kctest.check(any(t.startswith(PROVINCE + ": Đạt 8 mô hình") for t in texts), "Phú Thọ's text", texts[:20])
    screenshot("rounds-summary.png")


@tap.test("a round opened meanwhile reaches the leader's Rounds page and home page through the event (no refresh)")
def _():
    select_section("leader", "Kỳ báo cáo")
    title = "Báo cáo tình hình thực hiện 6 tháng đầu năm 2026"
    today = datetime.date.today()
    kctest.check(find("leader", lambda n: n.getRole() == pyatspi.ROLE_LIST_ITEM and n.name == title) is None,
                 "not there before")
    rd = S["approver_api"].result("round.create", {
        "title": title, "document_no": "1234/BCT-ĐMST", "signed_on": today.isoformat(), "kind": "periodic",
        "from_year": 2026, "to_year": 2026, "due_on": (today + datetime.timedelta(days=20)).isoformat()})
    wait_for("leader", lambda n: n.getRole() == pyatspi.ROLE_LIST_ITEM and n.name == title,
             "the new round in the leader's list")
    wait_for("approver", lambda n: n.getRole() == pyatspi.ROLE_LIST_ITEM and n.name == title,
             "the new round in the Ministry's list", showing=False)
    select_section("leader", "Việc cần làm")
    wait_for("leader", lambda n: n.getRole() == pyatspi.ROLE_PUSH_BUTTON and title in n.name,
             "the report to send on the home page")
    kctest.check(rd["counts"]["total"] == 34, "every province has its report", rd["counts"])


tap.run()
