#!/usr/bin/env python3
"""CSV import of projects into a draft plan (issue 3): RFC 4180 (BOM, quoted
fields with commas, doubled quotes and newlines, CRLF), Vietnamese headers
and text; all rows or none, with every problem reported by row and column
(1022, data.errors and data.violations "rows[N].column"); scope, status and
audit; kc-cli import-projects and import-template end to end."""

import csv
import io
import itertools
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kctest  # noqa: E402
from kctest import check, check_equal  # noqa: E402

tap = kctest.Tap()
S = kctest.Suite()
srv, admin, user = S.srv, S.admin, S.user
_years = itertools.count(2040)

HEADER_VI = ["Tên đề án", "Nội dung khuyến công", "Loại đề án", "Ngành nghề", "Ngày bắt đầu",
             "Ngày kết thúc", "Đơn vị thực hiện", "Cơ sở thụ hưởng", "Loại hình cơ sở",
             "Mã số thuế", "Kinh phí khuyến công địa phương", "Vốn đối ứng", "Mục tiêu",
             "Cam kết không trùng lặp"]


def lan():
    return user("province_officer")["client"]


def new_plan(scope="local"):
    year = next(_years)
    plan = lan().result("plan.create", {"org_id": srv().org_id("25.TTKC"), "year": year, "scope": scope})
    plan["year"] = year
    return plan


def row(year, title, local="300.000.000", counterpart="700000000", category="ND45.4.3",
        objectives="Nâng cao năng suất", beneficiary="Hợp tác xã Mây tre đan Phú Lộc"):
    return [title, category, "regular", "5.1.b", "01/03/%d" % year, "%d-11-30" % year,
            "Trung tâm Khuyến công Phú Thọ", beneficiary, "hợp tác xã", "2600123456", local,
            counterpart, objectives, "x"]


def to_csv(header, rows, bom=True, newline="\r\n"):
    out = io.StringIO()
    w = csv.writer(out, lineterminator=newline)
    w.writerow(header)
    for r in rows:
        w.writerow(r)
    return ("\ufeff" if bom else "") + out.getvalue()


def project_count(plan_id):
    return int(srv().sql("SELECT count(*) FROM projects WHERE plan_id = %d" % plan_id).strip())


# ---------------------------------------------------------------------------

@tap.test("a good file (BOM, CRLF, quoted comma and newline, Vietnamese) creates every row")
def _():
    plan = new_plan()
    y = plan["year"]
    text = to_csv(HEADER_VI, [
        row(y, "Hỗ trợ làng nghề mây tre, Phú Lộc"),
        row(y, 'Đào tạo nghề "gốm" Hương Canal', objectives="Dòng 1, có dấu phẩy\nDòng 2"),
        row(y, "Trình diễn kỹ thuật chế biến chè", local="1 500 000", counterpart=""),
    ])
    check(text.startswith("\ufeff") and '"Dòng 1, có dấu phẩy\nDòng 2"' in text, "the file", text)
    head = kctest.audit_head(admin())
    r = lan().result("project.import", {"plan_id": plan["id"], "csv": text})
    check_equal(r["created"], 3, "created")
    check_equal(len(r["codes"]), 3, "codes")
    check(all(c.startswith("KCDP-%d-25-" % y) for c in r["codes"]), "codes", r["codes"])
    got = lan().result("plan.get", {"id": plan["id"]})
    check_equal([p["code"] for p in got["projects"]], r["codes"], "projects in order")
    full = [lan().result("project.get", {"id": p["id"]}) for p in got["projects"]]
    check_equal([p["title"] for p in full], ["Hỗ trợ làng nghề mây tre, Phú Lộc",
                                             'Đào tạo nghề "gốm" Hương Canal',
                                             "Trình diễn kỹ thuật chế biến chè"], "titles")
    check_equal(full[1]["objectives"], "Dòng 1, có dấu phẩy\nDòng 2", "multi-line field")
    check(full[0]["no_double_funding"] is True, "declaration column")
    check_equal(full[0]["budget_lines"], [{"source": "local", "amount": 300000000},
                                          {"source": "counterpart", "amount": 700000000}], "amounts")
    check_equal(full[2]["budget_lines"], [{"source": "local", "amount": 1500000}], "grouped amount")
    check_equal((full[0]["start_date"], full[0]["end_date"]), ("%d-03-01" % y, "%d-11-30" % y), "dates")
    check_equal([(b["name"], b["kind"], b["tax_code"]) for b in full[0]["beneficiaries"]],
                [("Hợp tác xã Mây tre đan Phú Lộc", "cooperative", "2600123456")], "beneficiary")
    check_equal((full[0]["kind"], full[0]["sector"], full[0]["content_category"]),
                ("regular", "5.1.b", "ND45.4.3"), "codes")
    methods = sorted(e["method"] for e in admin().result("audit.list", {"limit": 50})["items"]
                     if e["seq"] > head)
    check_equal(methods, ["project.create"] * 3 + ["project.import"], "audit rows")


@tap.test("English column names, LF, no BOM, semicolons are accepted too")
def _():
    plan = new_plan()
    text = "title;content_category;central;other\nMột;ND45.4.3;0;5\nHai;ND45.4.1;;\n"
    r = lan().result("project.import", {"plan_id": plan["id"], "csv": text})
    check_equal(r["created"], 2, "created")


@tap.test("a bad file (a bad amount, an unknown category) creates nothing and reports both")
def _():
    plan = new_plan()
    y = plan["year"]
    text = to_csv(HEADER_VI, [
        row(y, "Đề án tốt"),
        row(y, "Số tiền sai", local="12,5 triệu"),
        row(y, "Đề án tốt nữa"),
        row(y, "Nội dung lạ", category="ND99.9"),
    ])
    head = kctest.audit_head(admin())
    e = lan().error("project.import", {"plan_id": plan["id"], "csv": text}, kctest.RULE)
    errors = e["data"]["errors"]
    check_equal([(x["row"], x["column"]) for x in errors],
                [(2, "local"), (4, "content_category")], "errors by row and column")
    check_equal([x["line"] for x in errors], [3, 5], "lines of the file")
    check_equal([v["field"] for v in e["data"]["violations"]],
                ["rows[2].local", "rows[4].content_category"], "violations")
    check("nothing was imported" in e["message"], "message", e)
    check_equal(project_count(plan["id"]), 0, "projects after a refused import")
    check_equal(kctest.audit_head(admin()), head, "no audit row")
    # the numbers given back: the next project gets the first code
    r = lan().result("project.import", {"plan_id": plan["id"], "csv": to_csv(HEADER_VI, [row(y, "Một")])})
    check(r["codes"][0].endswith("-001"), "code numbers not consumed by the refused import", r)


@tap.test("header problems, missing cells, bad dates and kinds are reported per cell")
def _():
    plan = new_plan()
    e = lan().error("project.import", {"plan_id": plan["id"], "csv": "Tên đề án,Màu sắc\nA,xanh\n"},
                    kctest.RULE)
    check_equal(sorted((x["row"], x["column"]) for x in e["data"]["errors"]),
                sorted([(0, "content_category"), (0, "Màu sắc")]), "header errors")
    text = to_csv(["title", "content_category", "start_date", "beneficiary_name", "beneficiary_kind"],
                  [["", "ND45.4.3", "31/02/2040", "Cơ sở A", "công ty"]], bom=False)
    e = lan().error("project.import", {"plan_id": plan["id"], "csv": text}, kctest.RULE)
    check_equal(sorted(x["column"] for x in e["data"]["errors"]),
                ["beneficiary_kind", "beneficiary_kind", "start_date", "title"], "cell errors")
    e = lan().error("project.import", {"plan_id": plan["id"], "csv": 'title\n"open\n'}, kctest.RULE)
    check("not closed" in e["data"]["errors"][0]["message"], "CSV syntax", e)
    lan().error("project.import", {"plan_id": plan["id"], "csv": "title,content_category\n"}, kctest.RULE)
    check_equal(project_count(plan["id"]), 0, "nothing imported")


@tap.test("scope and status: another province 1004, a submitted plan 1010, roles")
def _():
    plan = new_plan()
    text = to_csv(HEADER_VI, [row(plan["year"], "Một")])
    user("province_officer", "01.TTKC")["client"].error(
        "project.import", {"plan_id": plan["id"], "csv": text}, kctest.NOT_FOUND)
    user("viewer")["client"].error("project.import", {"plan_id": plan["id"], "csv": text}, kctest.FORBIDDEN)
    lan().result("project.import", {"plan_id": plan["id"], "csv": text})
    lan().result("plan.submit", {"id": plan["id"], "version": plan["version"]})
    e = lan().error("project.import", {"plan_id": plan["id"], "csv": text}, 1010)
    check_equal(e["data"], {"status": "submitted"}, "status")


@tap.test("kc-cli import-template writes the Vietnamese headers; import-projects works end to end")
def _():
    if not os.access(kctest.KC_CLI, os.X_OK):
        raise kctest.SkipTest("no kc-cli binary")
    s = srv()
    u = user("province_officer")
    state = tempfile.mkdtemp(prefix="kcit-cli-")
    env = dict(os.environ, XDG_STATE_HOME=state, HOME=state)
    base = [kctest.KC_CLI, "--server", "127.0.0.1:%d" % s.port, "--ca", s.ca]

    def cli(*args, stdin=None):
        return subprocess.run(base + list(args), input=stdin, capture_output=True, text=True,
                              env=env, timeout=60)

    p = cli("login", u["username"], stdin=u["password"] + "\n")
    check_equal(p.returncode, 0, "login: " + p.stderr)
    path = os.path.join(state, "mau.csv")
    p = cli("import-template", path)
    check_equal(p.returncode, 0, "import-template: " + p.stderr)
    with open(path, encoding="utf-8-sig", newline="") as f:
        records = list(csv.reader(f))
    check_equal(len(records), 2, "header and one example")
    check(records[0][0] == "Tên đề án" and "Kinh phí khuyến công quốc gia" in records[0], "headers", records[0])
    plan = new_plan()
    # the template's example, dated into the plan's year
    records[1] = [c.replace("2026", str(plan["year"])) for c in records[1]]
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows(records + [[records[1][0] + " (2)"] + records[1][1:]])
    p = cli("import-projects", str(plan["id"]), path)
    check_equal(p.returncode, 0, "import-projects: " + p.stderr)
    codes = p.stdout.split()
    check_equal(len(codes), 2, "codes printed")
    check(all(c.startswith("KCDP-%d-25-" % plan["year"]) for c in codes), "codes", codes)
    check_equal(project_count(plan["id"]), 2, "projects")
    # a bad file: the error table, exit 1, nothing imported
    records[1][records[0].index("Vốn đối ứng")] = "nhiều"
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows(records)
    p = cli("import-projects", str(plan["id"]), path)
    check_equal(p.returncode, 1, "exit status of a refused import")
    check("counterpart" in p.stderr and "row" in p.stderr and "nothing was imported" in p.stderr,
          "error table", p.stderr)
    check_equal(project_count(plan["id"]), 2, "projects after the refused import")
    check_equal(cli("import-projects", "x", path).returncode, 2, "usage error")


@tap.test("the server exits 0 on SIGTERM")
def _():
    for key, u in list(S.items()):
        if isinstance(u, dict) and "client" in u:
            u["client"].close()
    if "admin" in S:
        S["admin"].close()
    srv().stop()


tap.run()
