#!/usr/bin/env python3
"""kc-cli report NAME end to end (issue 5, exports): report.export through the
CLI writes the same file the method returns, in every format; the fixed form
of the issue (--from-year/--to-year/--group-by) and the generic --param form
ask for the same report; -o -, the server's file name, and clear errors
(usage 2, server refusal 1 with its code, nothing written)."""

import base64
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kctest  # noqa: E402
from kctest import check, check_equal  # noqa: E402

tap = kctest.Tap()
S = kctest.Suite()
srv, admin = S.srv, S.admin

SUMMARY = {"from_year": 2014, "to_year": 2025, "group_by": ["province", "source"]}
FIXED_FORM = ["summary", "--from-year", "2014", "--to-year", "2025",
              "--group-by", "province,source"]
MAGIC = {"csv": b"\xef\xbb\xbf", "xlsx": b"PK\x03\x04", "pdf": b"%PDF-"}


def reader():
    """A Ministry reviewer: reads the national figures."""
    if "reader" not in S:
        S["reader"] = kctest.create_user(admin(), "ministry_reviewer")
    return S["reader"]


def state_dir():
    if "state" not in S:
        S["state"] = tempfile.mkdtemp(prefix="kcit-export-")
        tap.add_cleanup(lambda: shutil.rmtree(S["state"], ignore_errors=True))
    return S["state"]


def cli(*args, stdin=None, cwd=None, text=False, logged_in=True):
    env = dict(os.environ, XDG_STATE_HOME=state_dir(), HOME=state_dir())
    env.pop("KC_SERVER", None)  # kc-cli reads $KC_SERVER as HOST:PORT
    env.pop("KC_CA", None)
    if not logged_in:
        env["XDG_STATE_HOME"] = os.path.join(state_dir(), "nobody")
    base = [kctest.KC_CLI, "--server", "127.0.0.1:%d" % srv().port, "--ca", srv().ca,
            "--timeout", "60"]
    return subprocess.run(base + list(args), input=stdin, capture_output=True, text=text,
                          env=env, cwd=cwd or state_dir(), timeout=kctest.scaled(120))


def login():
    if "logged_in" not in S:
        u = reader()
        p = cli("login", u["username"], stdin=(u["password"] + "\n").encode())
        check_equal(p.returncode, 0, "kc-cli login: %s" % p.stderr.decode())
        S["logged_in"] = True


def direct(fmt, params=SUMMARY):
    """report.export called without the CLI, as the reviewer."""
    if "client" not in S:
        S["client"] = srv().login(reader()["username"], reader()["password"])
    return S["client"].result("report.export", {"report": "summary", "params": params,
                                                "format": fmt})


def path(name):
    return os.path.join(state_dir(), name)


def read(name):
    with open(path(name), "rb") as f:
        return f.read()


@tap.test("the issue's fixed form writes the xlsx, pdf and csv that report.export returns")
def _():
    if not os.access(kctest.KC_CLI, os.X_OK):
        raise kctest.SkipTest("no kc-cli binary")
    login()
    for fmt in ("csv", "xlsx", "pdf"):
        p = cli("report", *FIXED_FORM, "--format", fmt, "-o", path("tonghop." + fmt))
        check_equal(p.returncode, 0, "kc-cli report --format %s: %s" % (fmt, p.stderr.decode()))
        data = read("tonghop." + fmt)
        check(data.startswith(MAGIC[fmt]), "a %s file" % fmt, data[:16])
        check("tonghop.%s" % fmt in p.stderr.decode(), "says where it wrote", p.stderr)
        result = direct(fmt)
        expected = base64.b64decode(result["content_base64"])
        if fmt == "csv":
            # Text: byte for byte (xlsx and pdf carry their creation time).
            check_equal(data, expected, "the CSV of kc-cli and of report.export")
        else:
            check(abs(len(data) - len(expected)) < 64, "sizes of %s" % fmt, len(data),
                  len(expected))


@tap.test("the PDF from kc-cli has the Vietnamese heading (pdftotext)")
def _():
    if shutil.which("pdftotext") is None:
        raise kctest.SkipTest("pdftotext (poppler-utils) not installed")
    login()
    p = cli("report", *FIXED_FORM, "-o", path("heading.pdf"))
    check_equal(p.returncode, 0, "format from the extension: %s" % p.stderr.decode())
    text = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", path("heading.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    for line in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Trang 1/"):
        check(line in text, "the PDF shows %r" % line, text[:2000])


@tap.test("--param KEY=VALUE asks for the same report as the shorthands")
def _():
    login()
    p = cli("report", "summary", "--param", "from_year=2014", "--param", "to_year=2025",
            "--param", 'group_by=["province","source"]', "--format", "csv", "-o",
            path("param.csv"))
    check_equal(p.returncode, 0, "--param form: %s" % p.stderr.decode())
    check_equal(read("param.csv"), read("tonghop.csv"), "the --param and the fixed form")


@tap.test("-o - writes the file to standard output; without -o, the server's file name")
def _():
    login()
    p = cli("report", *FIXED_FORM, "--format", "csv", "-o", "-")
    check_equal(p.returncode, 0, "-o -: %s" % p.stderr.decode())
    check_equal(p.stdout, read("tonghop.csv"), "standard output")

    here = tempfile.mkdtemp(dir=state_dir())
    p = cli("report", *FIXED_FORM, "--format", "xlsx", cwd=here)
    check_equal(p.returncode, 0, "no -o: %s" % p.stderr.decode())
    names = os.listdir(here)
    check_equal(len(names), 1, "one file written in the current directory")
    check_equal(names[0], direct("xlsx")["filename"], "the server's file name")


@tap.test("errors: usage 2, the server's refusal 1 with its code, nothing written")
def _():
    login()
    # usage: no format and no extension, an unknown format, a --param without '='
    for args in (["summary", "-o", path("noext")],
                 ["summary", "--format", "docx", "-o", path("x.docx")],
                 ["summary", "--param", "from_year", "--format", "csv", "-o", path("y.csv")],
                 ["summary", "--from-year", "2014", "--param", "from_year=2015",
                  "--format", "csv", "-o", path("z.csv")]):
        p = cli("report", *args)
        check_equal(p.returncode, 2, "usage error for %s: %s" % (args, p.stderr.decode()))
        check(p.stderr.decode().startswith("kc-cli: "), "a message", p.stderr)
    # a parameter the report refuses: its -32602, naming the field
    p = cli("report", "summary", "--from-year", "2025", "--to-year", "2014",
            "--group-by", "province", "--format", "csv", "-o", path("bad.csv"))
    check_equal(p.returncode, 1, "exit status of a refused report")
    check("-32602" in p.stderr.decode() and "to_year" in p.stderr.decode(), "the error",
          p.stderr)
    check(not os.path.exists(path("bad.csv")), "no file written for a refused report")
    # --param numbers are strict JSON: 02014 is the text "02014", not octal 1036
    p = cli("report", "summary", "--param", "from_year=02014", "--to-year", "2025",
            "--group-by", "source", "--format", "csv", "-o", path("octal.csv"))
    check_equal(p.returncode, 1, "exit status for a text year")
    check("from_year" in p.stderr.decode() and "integer" in p.stderr.decode(),
          "02014 sent as text", p.stderr)
    # a report that does not exist
    p = cli("report", "nosuch", "--format", "csv", "-o", path("nosuch.csv"))
    check_equal(p.returncode, 1, "exit status for an unknown report")
    check("-32602" in p.stderr.decode() and "report" in p.stderr.decode(), "names the report",
          p.stderr)
    # not logged in
    p = cli("report", *FIXED_FORM, "--format", "csv", "-o", path("anon.csv"), logged_in=False)
    check_equal(p.returncode, 1, "exit status without a session")
    check("1001" in p.stderr.decode(), "not logged in", p.stderr)
    check(not os.path.exists(path("anon.csv")), "no file written without a session")


@tap.test("the server exits 0 on SIGTERM")
def _():
    if "client" in S:
        S["client"].close()
    if "admin" in S:
        S["admin"].close()
    srv().stop()


tap.run()
