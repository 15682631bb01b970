"""test_reports_ui — the reports page (Báo cáo) of kc-client, through AT-SPI.

A real kc-server (kctest.py) with two projects of a province planned through
the protocol; the province officer's kc-client shows report.summary of that
year grouped by province: the table's totals row must say what the server
counts, the chart is drawn, and "Xuất…" through the save dialog writes a CSV
file whose numbers are the server's. "In…" prints (to a PDF file through
KC_PRINT_TO_FILE, GtkPrintOperation's export) what pdftotext reads back.
The report chooser shows the other reports (Mẫu 2, the province's report,
the cost estimate, the programme's results) as the server computes them.
Screenshots: reports.png, reports-registration.png, print-registration.png.

Run by meson (suite 'client', TAP). Without a display it re-executes itself
under `dbus-run-session -- xvfb-run -a`.
"""

import csv
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from uikit import (ENV, S, by_name, field, find, kctest, login, press, pyatspi,  # noqa: E402
                   screenshot, select_section, set_text, start_client, tap, text_of, wait_for)

YEAR = 2027


# ---------------------------------------------------------------------------
# The flow
# ---------------------------------------------------------------------------

def money(n):
    """As the client writes money: 1.234.567 ₫ (no-break space)."""
    return "{:,}".format(n).replace(",", ".") + "\u00a0₫"


def table_rows(table):
    t = table.queryTable()
    return [[text_of(t.getAccessibleAt(r, c)) for c in range(t.nColumns)] for r in range(t.nRows)]


def set_spin(who, name, value):
    spin = wait_for(who, by_name(name, pyatspi.ROLE_SPIN_BUTTON), "the %s spin button" % name)
    spin.queryValue().currentValue = value


@tap.test("a province's plan of two projects, the officer logged in")
def _():
    server = kctest.Server()
    S["server"] = server
    admin = server.admin()
    officer = kctest.create_user(admin, "province_officer")
    api = server.login(officer["username"], officer["password"])
    plan = api.result("plan.create", {"org_id": server.org_id("25.TTKC"), "year": YEAR,
                                      "scope": "national"})
    for i, central in enumerate((120000000, 250000000)):
        api.result("project.create", {
            "plan_id": plan["id"], "title": "Đề án báo cáo %d" % i, "content_category": "ND45.4.3",
            "budget_lines": [{"source": "central", "amount": central},
                             {"source": "counterpart", "amount": 3 * central}],
            "indicators": [{"code": "I01", "target": 30}], "cap_code": "C02",
            "no_double_funding": True, "start_date": "%d-01-01" % YEAR,
            "end_date": "%d-12-31" % YEAR,
            "beneficiaries": [{"name": "Cơ sở thử %d" % i, "kind": "household_business"}]})
    S["params"] = {"from_year": YEAR, "to_year": YEAR, "group_by": ["province"]}
    S["summary"] = api.result("report.summary", S["params"])
    kctest.check(S["summary"]["totals"]["projects"] == 2, "the server counts the two projects",
                 S["summary"]["totals"])
    S["plan"] = plan
    S["officer_api"] = api
    # The import's open dialog starts in the home folder: the test's files are there.
    home = tempfile.mkdtemp(prefix="kc-home-")
    tap.add_cleanup(lambda: shutil.rmtree(home, ignore_errors=True))
    ENV["HOME"] = S["home"] = home
    ENV["KC_PRINT_TO_FILE"] = S["print_to"] = os.path.join(home, "in-bao-cao.pdf")
    start_client("officer")
    login("officer", officer["username"], officer["password"])
    wait_for("officer", by_name("Báo cáo", pyatspi.ROLE_LABEL), "the Báo cáo section")


@tap.test("the reports page: the totals row says what the server counts")
def _():
    select_section("officer", "Báo cáo")
    set_spin("officer", "Từ năm", YEAR)
    set_spin("officer", "Đến năm", YEAR)
    table = wait_for("officer", by_name("Báo cáo", pyatspi.ROLE_TABLE), "the report table")
    totals = S["summary"]["totals"]

    def totals_row():
        rows = table_rows(table)
        return rows[-1] if rows and rows[-1][0] == "Tổng" and len(rows) == len(S["summary"]["rows"]) + 1 \
            else None
    row = kctest.eventually(totals_row, kctest.scaled(20), interval=0.25, what="the totals row")
    labels = [c["label"] for c in S["summary"]["columns"]]
    kctest.check(labels[0] == "Tỉnh, thành phố", "grouped by province", labels)
    kctest.check(row[labels.index("Số đề án")] == "2", "the totals row counts 2 projects", row)
    kctest.check(row[labels.index("Kế hoạch")] == money(totals["planned"]),
                 "the planned total is the server's", row, money(totals["planned"]))
    kctest.check(totals["planned"] == 1480000000, "planned = the whole budget of both projects",
                 totals)
    kctest.check(find("officer", by_name("Biểu đồ")) is not None, "the chart is shown")
    screenshot("reports.png")


def print_report():
    """Presses In… and returns the text of the PDF it wrote (pdftotext -layout)."""
    if os.path.exists(S["print_to"]):
        os.remove(S["print_to"])
    press(wait_for("officer", by_name("In…", pyatspi.ROLE_PUSH_BUTTON), "the print button"))
    wait_for("officer", lambda n: n.name == "Số dòng" and text_of(n) == "Đã in ra tệp in-bao-cao.pdf",
             "Đã in ra tệp in-bao-cao.pdf")
    return subprocess.run(["pdftotext", "-layout", S["print_to"], "-"], capture_output=True, text=True,
                          check=True, timeout=60).stdout


def pdf_pages(path):
    info = subprocess.run(["pdfinfo", path], capture_output=True, text=True, check=True, timeout=60).stdout
    fields = dict(line.split(":", 1) for line in info.splitlines() if ":" in line)
    return int(fields["Pages"]), fields["Page size"].strip()


@tap.test("In…: the printed table has the Vietnamese headings and the server's totals")
def _():
    text = print_report()
    tap.diag("printed: %r" % text[:600])
    summary = S["summary"]
    kctest.check(summary["title"] in " ".join(text.split()), "the report's title printed", summary["title"])
    for heading in ("Tỉnh, thành phố", "Số đề án", "Kế hoạch", "Tổng", "Trang 1/1"):
        kctest.check(heading in text, "printed: %s" % heading)
    planned = money(summary["totals"]["planned"]).replace("\u00a0", " ")
    kctest.check(planned in text.replace("\u00a0", " "), "the planned total printed", planned)
    pages, size = pdf_pages(S["print_to"])
    kctest.check(pages == 1 and size.startswith("841.89 x 595.276"), "one landscape A4 page", pages, size)


@tap.test("Xuất…: the save dialog writes a CSV with the server's numbers")
def _():
    out_dir = tempfile.mkdtemp(prefix="kc-reports-")
    tap.add_cleanup(lambda: shutil.rmtree(out_dir, ignore_errors=True))
    path = os.path.join(out_dir, "tong-hop.csv")
    press(wait_for("officer", by_name("Xuất…", pyatspi.ROLE_PUSH_BUTTON), "the export button"))
    dialog = wait_for("officer", lambda n: n.getRole() in (pyatspi.ROLE_DIALOG, pyatspi.ROLE_FILE_CHOOSER)
                      and n.name == "Xuất báo cáo", "the save dialog")
    # The name field of the save dialog takes a whole path.
    name = wait_for("officer", lambda n: n.getRole() == pyatspi.ROLE_TEXT
                    and n.getState().contains(pyatspi.STATE_EDITABLE), "the file name field",
                    root=dialog)
    kctest.check(text_of(name).startswith("bao-cao-tong-hop-%d" % YEAR), "the suggested name",
                 text_of(name))
    set_text(name, path)
    press(wait_for("officer", by_name("Xuất", pyatspi.ROLE_PUSH_BUTTON), "the dialog's export button",
                   root=dialog))
    kctest.eventually(lambda: os.path.exists(path) and os.path.getsize(path) > 0, kctest.scaled(20),
                      interval=0.25, what="the exported file")
    wait_for("officer", lambda n: n.name == "Số dòng" and "tong-hop.csv" in text_of(n),
             "Đã lưu tong-hop.csv")
    with open(path, encoding="utf-8-sig", newline="") as f:
        records = list(csv.reader(f))
    labels = [c["label"] for c in S["summary"]["columns"]]
    kctest.check(records[0] == labels, "the CSV header is the columns' labels", records[0])
    body = records[1:]
    kctest.check(len(body) == len(S["summary"]["rows"]) + 1, "rows and the totals row", body)
    last = dict(zip(labels, body[-1]))
    totals = S["summary"]["totals"]
    for key, label in (("projects", "Số đề án"), ("planned", "Kế hoạch"), ("paid", "Đã giải ngân")):
        kctest.check(int(last[label]) == totals[key], "the CSV total %s" % key, last, totals)
    for record, row in zip(body, S["summary"]["rows"]):
        got = dict(zip(labels, record))
        kctest.check(got["Tỉnh, thành phố"] == row["province_name"]
                     and int(got["Kế hoạch"]) == row["planned"], "a CSV row", got, row)



def choose(who, combo_name, item_name):
    combo = wait_for(who, by_name(combo_name, pyatspi.ROLE_COMBO_BOX), "the %s chooser" % combo_name)
    item = wait_for(who, lambda n: n.getRole() == pyatspi.ROLE_MENU_ITEM and n.name == item_name,
                    item_name, root=combo, showing=False)
    combo.querySelection().selectChild(item.getIndexInParent())


def report_rows(expected_rows):
    """The report table once it has EXPECTED_ROWS rows."""
    table = wait_for("officer", by_name("Báo cáo", pyatspi.ROLE_TABLE), "the report table")
    # A tuple: an empty table is an answer too.
    return kctest.eventually(lambda: (lambda rows: (rows,) if len(rows) == expected_rows else None)(
        table_rows(table)), kctest.scaled(20), interval=0.25, what="%d rows in the report" % expected_rows)[0]


@tap.test("Danh mục đăng ký (Mẫu 2): the table is the server's, printed with its headers on every page")
def _():
    api = S["officer_api"]
    # A year of its own with enough projects for more than one printed page.
    year = YEAR + 1
    plan = api.result("plan.create", {"org_id": S["server"].org_id("25.TTKC"), "year": year,
                                      "scope": "national"})
    for i in range(45):
        api.result("project.create", {
            "plan_id": plan["id"], "title": "Đề án in nhiều trang %02d" % i, "content_category": "ND45.4.3",
            "budget_lines": [{"source": "central", "amount": 10000000 * (i + 1)},
                             {"source": "counterpart", "amount": 30000000 * (i + 1)}],
            "indicators": [{"code": "I01", "target": 30}], "cap_code": "C02", "no_double_funding": True,
            "start_date": "%d-01-01" % year, "end_date": "%d-12-31" % year,
            "beneficiaries": [{"name": "Cơ sở in %d" % i, "kind": "household_business"}]})
    expected = api.result("report.registration_list", {"year": year})
    choose("officer", "Loại báo cáo", "Danh mục đăng ký (Mẫu 2)")
    kctest.check(find("officer", by_name("Biểu đồ")) is None, "no chart for a list")
    set_spin("officer", "Năm", year)
    rows = report_rows(len(expected["rows"]) + 1)
    labels = [c["label"] for c in expected["columns"]]
    for got, want in zip(rows, expected["rows"]):
        kctest.check(got[labels.index("Mã đề án")] == want["code"]
                     and got[labels.index("Tổng cộng")] == money(want["total"]), "a Mẫu 2 row", got, want)
    kctest.check(rows[-1][labels.index("Tổng cộng")] == money(expected["totals"]["total"]),
                 "the Mẫu 2 total", rows[-1])
    screenshot("reports-registration.png")
    text = print_report()
    flat = " ".join(text.split())
    kctest.check("Danh mục đề án, nhiệm vụ đăng ký" in flat, "the Mẫu 2 title printed")
    for want in expected["rows"]:
        kctest.check(want["code"] in text, "printed: %s" % want["code"])
    kctest.check(money(expected["totals"]["total"]).replace("\u00a0", " ") in text.replace("\u00a0", " "),
                 "the printed total")
    pages, size = pdf_pages(S["print_to"])
    kctest.check(size.startswith("841.89 x 595.276"), "landscape A4", size)
    kctest.check(pages >= 2, "more than one page", pages)
    for page in range(1, pages + 1):
        one = subprocess.run(["pdftotext", "-layout", "-f", str(page), "-l", str(page), S["print_to"], "-"],
                             capture_output=True, text=True, check=True, timeout=60).stdout
        kctest.check("Mã đề án" in one and "STT" in one, "the header row on page %d" % page)
        kctest.check("Trang %d/%d" % (page, pages) in one, "the page number on page %d" % page)
    png = os.path.join(os.environ.get("KC_SCREENSHOT_DIR", "/tmp"), "print-registration")
    subprocess.run(["pdftoppm", "-png", "-r", "60", S["print_to"], png], check=True, timeout=60)


@tap.test("Báo cáo định kỳ của tỉnh and Dự toán kinh phí (Mẫu 1): the server's rows")
def _():
    api = S["officer_api"]
    org = S["server"].org_id("25.TTKC")
    expected = api.result("report.province", {"org_id": org, "year": YEAR, "period": "year"})
    choose("officer", "Loại báo cáo", "Báo cáo định kỳ của tỉnh")
    set_spin("officer", "Năm", YEAR)
    choose("officer", "Kỳ báo cáo", "Cả năm")
    rows = report_rows(len(expected["rows"]) + (1 if expected.get("totals") else 0))
    labels = [c["label"] for c in expected["columns"]]
    kctest.check(sorted(r[labels.index("Mã đề án")] for r in rows[:len(expected["rows"])])
                 == sorted(r["code"] for r in expected["rows"]), "the province's projects", rows)

    project = api.result("project.list", {"plan_id": S["plan"]["id"]})["items"][0]
    estimate = api.result("report.cost_estimate", {"project_id": project["id"]})
    choose("officer", "Loại báo cáo", "Dự toán kinh phí (Mẫu 1)")
    entry = wait_for("officer", by_name("Mã đề án", pyatspi.ROLE_TEXT), "the project code field")
    set_text(entry, project["code"])
    press(entry)
    rows = report_rows(len(estimate["rows"]) + 1)
    labels = [c["label"] for c in estimate["columns"]]
    kctest.check(rows[-1][labels.index("Thành tiền")] == money(estimate["totals"]["total"]),
                 "the estimate's total", rows[-1], estimate["totals"])


@tap.test("Chương trình: mục tiêu và kết quả: the programme's rows, or a message without one")
def _():
    api = S["officer_api"]
    programmes = api.result("programme.list", {})["items"]
    choose("officer", "Loại báo cáo", "Chương trình: mục tiêu và kết quả")
    if not programmes:
        wait_for("officer", lambda n: n.name == "Số dòng" and text_of(n) == "Chưa có chương trình nào để báo cáo",
                 "no programme")
        return
    expected = api.result("report.programme", {"programme_id": programmes[0]["id"]})
    rows = report_rows(len(expected["rows"]))
    kctest.check([r[2] for r in rows] == [r["name"] for r in expected["rows"]], "the indicators", rows)
    choose("officer", "Loại báo cáo", "Tổng hợp theo tỉnh, nội dung, năm")


def choose_file(dialog, name):
    """Selects NAME in the file list of an open dialog and presses its accept button."""
    cell = wait_for("officer", lambda n: n.getRole() == pyatspi.ROLE_TABLE_CELL and n.name == name,
                    "%s in the file list" % name, root=dialog)
    # A column of several renderers (icon and name) nests its cells in a parent cell.
    while cell.parent.getRole() != pyatspi.ROLE_TABLE:
        cell = cell.parent
    t = cell.parent.queryTable()
    t.addRowSelection(t.getRowAtIndex(cell.getIndexInParent()))
    press(wait_for("officer", by_name("Nhập", pyatspi.ROLE_PUSH_BUTTON), "the dialog's import button",
                   root=dialog))


IMPORT_HEADER = "Tên đề án;Nội dung khuyến công;Cơ sở thụ hưởng;Loại hình cơ sở;Ngân sách trung ương;" \
                "Vốn đối ứng;Ngày bắt đầu;Ngày kết thúc;Cam kết không trùng lặp\r\n"


@tap.test("Nhập đề án từ tệp…: a file with errors is refused, every problem listed; a good file imports")
def _():
    with open(os.path.join(S["home"], "loi.csv"), "w", encoding="utf-8") as f:
        f.write(IMPORT_HEADER)
        f.write("Tập huấn nghề mây tre đan;ND45.4.1;HTX Phú Lộc;hợp tác xã;abc;30.000.000;"
                "01/04/%d;30/09/%d;x\r\n" % (YEAR, YEAR))
        f.write(";ND45.4.5;;;;;%d-05-01;%d-10-31;có\r\n" % (YEAR, YEAR))
    with open(os.path.join(S["home"], "tot.csv"), "w", encoding="utf-8") as f:
        f.write(IMPORT_HEADER)
        f.write("Tập huấn nghề mây tre đan;ND45.4.1;HTX Phú Lộc;hợp tác xã;120.000.000;360.000.000;"
                "01/04/%d;30/09/%d;x\r\n" % (YEAR, YEAR))
        f.write("Hội chợ hàng CNNT tiêu biểu;ND45.4.5;;;;;%d-05-01;%d-10-31;có\r\n" % (YEAR, YEAR))

    select_section("officer", "Kế hoạch")
    plans = wait_for("officer", by_name("Kế hoạch", pyatspi.ROLE_TABLE), "the plans table")
    kctest.eventually(lambda: plans.queryTable().nRows >= 1, kctest.scaled(10), interval=0.25,
                      what="the plan listed")
    plans.queryTable().addRowSelection(0)
    button = wait_for("officer", by_name("Nhập đề án từ tệp…", pyatspi.ROLE_PUSH_BUTTON), "the import button")
    kctest.eventually(lambda: button.getState().contains(pyatspi.STATE_SENSITIVE), kctest.scaled(5),
                      interval=0.2, what="the import button enabled for a draft plan")
    press(button)
    dialog = wait_for("officer", lambda n: n.getRole() in (pyatspi.ROLE_DIALOG, pyatspi.ROLE_FILE_CHOOSER)
                      and n.name == "Nhập đề án từ tệp CSV", "the open dialog")
    choose_file(dialog, "loi.csv")
    errors = wait_for("officer", lambda n: n.getRole() == pyatspi.ROLE_DIALOG and n.name == "Lỗi khi nhập tệp",
                      "the import errors dialog")
    table = wait_for("officer", by_name("Các lỗi của tệp", pyatspi.ROLE_TABLE), "the problems table",
                     root=errors)
    rows = table_rows(table)
    tap.diag("import problems: %r" % rows)
    kctest.check(any(r[0] == "2" and r[1] == "central" for r in rows), "line 2: the central amount", rows)
    kctest.check(any(r[0] == "3" and r[1] == "title" for r in rows), "line 3: the missing title", rows)
    screenshot("import-errors.png")
    press(wait_for("officer", by_name("Đóng", pyatspi.ROLE_PUSH_BUTTON), "close", root=errors))
    kctest.check(len(S["officer_api"].result("project.list", {"plan_id": S["plan"]["id"]})["items"]) == 2,
                 "nothing was imported")

    press(button)
    dialog = wait_for("officer", lambda n: n.getRole() in (pyatspi.ROLE_DIALOG, pyatspi.ROLE_FILE_CHOOSER)
                      and n.name == "Nhập đề án từ tệp CSV", "the open dialog")
    choose_file(dialog, "tot.csv")
    done = wait_for("officer", lambda n: n.getRole() in (pyatspi.ROLE_ALERT, pyatspi.ROLE_DIALOG)
                    and find("officer", lambda m: m.name == "Đã nhập 2 đề án", root=n) is not None,
                    "Đã nhập 2 đề án")
    press(wait_for("officer", by_name("Đóng", pyatspi.ROLE_PUSH_BUTTON), "close", root=done))
    titles = [p["title"] for p in S["officer_api"].result("project.list", {"plan_id": S["plan"]["id"]})["items"]]
    kctest.check("Hội chợ hàng CNNT tiêu biểu" in titles and len(titles) == 4,
                 "the two imported projects are in the plan", titles)


tap.run()
