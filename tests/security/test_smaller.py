#!/usr/bin/env python3
"""The smaller holes of issue 13 (point 8), each with what the caller sees:
report.export runs read reports only; files on a review comment only from
its author; refusals (1003/1004), failed resumes, exports and downloads on
record (refusals once a minute per caller, method and code); TLS 1.3
session tickets off; key files readable by others and a missing
refused-password list refuse to start; `kc-server migrate` prints no
GLib critical."""

import base64
import hashlib
import json
import time
import os
import socket
import ssl
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "integration"))
import kctest  # noqa: E402
from kctest import check, check_equal  # noqa: E402

tap = kctest.Tap()
S = kctest.Suite()
srv = S.srv


def admin():
    if "admin" not in S or S["admin"].closed:
        S["admin"] = srv().admin(source=kctest.next_peer())
    return S["admin"]


def login(role, org=None):
    u = kctest.create_user(admin(), role, org)
    c = srv().login(u["username"], u["password"], source=kctest.next_peer())
    c.user = u
    return c


def lan():
    if "lan" not in S:
        S["lan"] = login("province_officer")
    return S["lan"]


def plan():
    if "plan" not in S:
        S["plan"] = lan().result("plan.create", {"org_id": srv().org_id("25.TTKC"), "year": 2033,
                                                 "scope": "national"})
    return S["plan"]


def audit_rows(where):
    text = srv().sql("SELECT coalesce(json_agg(json_build_object('user_id', user_id, 'username',"
                     " username, 'peer', peer, 'method', method, 'record_type', record_type,"
                     " 'record_id', record_id, 'after', after) ORDER BY id), '[]') FROM audit_log"
                     " WHERE %s" % where)
    return json.loads(text.strip())


@tap.test("report.export of report.province_send (a write) -> -32602 on report; nothing sent, nothing written")
def _():
    leader = login("province_leader", "25.SCT")
    before = srv().sql("SELECT count(*) FROM audit_log WHERE method LIKE 'report.province_send%'")
    e = leader.error("report.export", {"report": "province_send", "params": {}, "format": "csv"},
                     kctest.INVALID_PARAMS)
    check("report" in kctest.field_names(e), "names report", e)
    check_equal(srv().sql("SELECT count(*) FROM audit_log WHERE method LIKE 'report.province_send%'"),
                before, "no province_send on record")
    leader.close()


@tap.test("files on a review comment only from its author: a province officer attaching to the Ministry's comment -> 1003, to their own reply -> accepted")
def _():
    c = lan()
    p = c.result("project.create", {"plan_id": plan()["id"], "title": "Đề án có ý kiến", "content_category": "ND45.4.3"})
    reviewer = kctest.create_user(admin(), "ministry_reviewer")
    ids = srv().sql(
        "INSERT INTO review_comments (project_id, author_id, author_role, body) VALUES"
        " (%d, %d, 'ministry_reviewer', 'Ý kiến của Bộ'), (%d, %d, 'province_officer', 'Trả lời')"
        " RETURNING id" % (p["id"], reviewer["id"], p["id"], c.user["id"])).split()
    data = b"%PDF-1.4 test"
    params = {"owner_type": "review_comment", "file_name": "x.pdf", "size": len(data),
              "sha256": hashlib.sha256(data).hexdigest()}
    before = srv().sql("SELECT count(*) FROM attachments")
    c.error("attachment.begin", dict(params, owner_id=int(ids[0])), kctest.FORBIDDEN)
    check_equal(srv().sql("SELECT count(*) FROM attachments"), before, "no attachment row")
    c.result("attachment.begin", dict(params, owner_id=int(ids[1])))


def clear_of_minute_edge(seconds=15):
    """Waits, if need be, until a minute has @seconds left: the refusals of
    one test must fall in one minute, since each minute gets its own row
    (three calls either side of a minute's end gave two rows, not one)."""
    now = time.time()
    if 60 - now % 60 < seconds:
        time.sleep(60 - now % 60 + 0.5)


@tap.test("a 1003 (role gate) and a 1004 (no such project) are on record, once a minute per caller, method and code")
def _():
    c = login("province_officer")
    clear_of_minute_edge()
    for _ in range(3):
        c.error("budget.allocate", {}, kctest.FORBIDDEN)
        c.error("project.get", {"id": 987654321}, kctest.NOT_FOUND)
    rows = kctest.eventually(
        lambda: (lambda r: r if len(r) >= 2 else None)(
            audit_rows("user_id = %d AND after->>'result' = 'refused'" % c.user["id"])),
        kctest.scaled(5), 0.1, "refusal audit rows")
    kctest.Tap.diag(json.dumps(rows))
    codes = sorted((r["method"], r["after"]["code"]) for r in rows)
    check_equal(codes, [("budget.allocate", 1003), ("project.get", 1004)], "one row each")
    counted = srv().sql("SELECT refused FROM login_throttles WHERE username = '%s#project.get#1004'"
                        % c.user["username"]).strip()
    check_equal(counted, "3", "the others counted")
    c.close()


@tap.test("a failed auth.resume is on record with its address (one row a minute per address)")
def _():
    peer = kctest.next_peer()
    with srv().client(source=peer) as c:
        clear_of_minute_edge()
        for _ in range(4):
            c.error("auth.resume", {"token": "A" * 43}, kctest.SESSION_EXPIRED)
    rows = kctest.eventually(
        lambda: audit_rows("method = 'auth.resume' AND peer = '%s'" % peer), kctest.scaled(5), 0.1,
        "resume audit row")
    check_equal(len(rows), 1, "audit rows of 4 failed resumes")
    check_equal(rows[0]["after"], {"result": "refused", "code": 1002}, "row")


@tap.test("every export and every download is on record (report.export; attachment.get at offset 0)")
def _():
    c = lan()
    out = c.result("report.export", {"report": "registration_list", "params": {"year": 2033},
                                     "format": "csv"})
    check(out["size"] > 0, "exported", out)
    rows = audit_rows("user_id = %d AND method = 'report.export'" % c.user["id"])
    check_equal(len(rows), 1, "export audit rows")
    check_equal(rows[0]["after"]["report"], "registration_list", "report named")
    data = b"bien ban"
    b = c.result("attachment.begin", {"owner_type": "plan", "owner_id": plan()["id"],
                                      "file_name": "bb.txt", "size": len(data),
                                      "sha256": hashlib.sha256(data).hexdigest()})
    c.result("attachment.put", {"id": b["id"], "seq": 0, "data": base64.b64encode(data).decode()})
    c.result("attachment.finish", {"id": b["id"]})
    c.result("attachment.get", {"id": b["id"]})
    rows = audit_rows("method = 'attachment.get' AND record_id = %d" % b["id"])
    check_equal(len(rows), 1, "download audit rows")
    check_equal(rows[0]["user_id"], c.user["id"], "who downloaded")


@tap.test("adjustment.request: changes go through project.update's validation (-32602 naming changes.<field>), nothing written")
def _():
    c = lan()
    before = srv().sql("SELECT count(*) FROM project_adjustments")
    e = c.error("adjustment.request", {
        "project_id": 1, "type": "minor", "reason": "Điều chỉnh",
        "changes": {"title": "", "implementer": "a\u009bb", "total_cost": -1,
                    "budget_lines": [{"source": "central", "amount": 10 ** 16}],
                    "bogus": 1}}, kctest.INVALID_PARAMS)
    names = kctest.field_names(e)
    kctest.Tap.diag(json.dumps(names))
    for want in ("changes.title", "changes.implementer", "changes.total_cost", "changes.bogus"):
        check(want in names, "names %s" % want, e)
    check(any(n.startswith("changes.budget_lines") for n in names), "names the budget line", e)
    check_equal(srv().sql("SELECT count(*) FROM project_adjustments"), before, "nothing written")


@tap.test("TLS 1.3: the server sends no session ticket")
def _():
    ctx = srv().client_context()
    ctx.minimum_version = ssl.TLSVersion.TLSv1_3
    with socket.create_connection(("127.0.0.1", srv().port), timeout=10) as raw:
        with ctx.wrap_socket(raw, server_hostname="localhost") as s:
            s.sendall(b'{"jsonrpc":"2.0","id":1,"method":"server.info"}\n')
            buf = b""
            while b"\n" not in buf:
                buf += s.recv(4096)
            # tickets arrive after the handshake, before or with the first data
            check_equal(s.version(), "TLSv1.3", "TLS version")
            sess = s.session
            check(sess is None or not sess.has_ticket, "a session ticket was sent")


@tap.test("a private key readable by others, writable by its group, or group-readable but not root's: kc-server refuses to start and says why; root:group 0640 (the package's) starts")
def _():
    s = kctest.Server(start=False, admin=False)
    try:
        # PostgreSQL's rule for its key: 0600 for the owner, or 0640 when owned by root
        root = os.geteuid() == 0
        me = os.geteuid()
        cases = ((0o644, me), (0o660, me), (0o640, 65534 if root else me))
        for mode, owner in cases:
            os.chmod(s.key, mode)
            if root:
                os.chown(s.key, owner, -1)
            proc = s.run_command(timeout=30)
            check(proc.returncode != 0 and "server.key" in proc.stderr and "chmod 600" in proc.stderr,
                  "refused with mode %o owned by %d" % (mode, owner), proc.stderr)
        if root:
            os.chown(s.key, 0, -1)
            os.chmod(s.key, 0o640)
            s.start()
            s.stop()
        os.chmod(s.key, 0o600)
        key = os.path.join(s.dir, "totp.key")
        with open(key, "w") as f:
            f.write("k" * 64)
        os.chmod(key, 0o644)
        s.config["auth"]["totp_key_file"] = key
        s.write_config()
        proc = s.run_command(timeout=30)
        check(proc.returncode != 0 and "totp_key_file" in proc.stderr, "refused", proc.stderr)
    finally:
        s.destroy()


@tap.test("no refused-password list: kc-server refuses to start unless common_passwords=none")
def _():
    s = kctest.Server(start=False, admin=False)
    try:
        s.config["auth"]["common_passwords"] = os.path.join(s.dir, "missing.txt")
        s.write_config()
        proc = s.run_command(timeout=30)
        check(proc.returncode != 0 and "common_passwords" in proc.stderr, "refused", proc.stderr)
        s.config["auth"]["common_passwords"] = "none"
        s.write_config()
        s.start()
        with s.client() as c:
            check_equal(c.result("server.info")["name"], "kc-server", "serves with none")
        s.stop()
    finally:
        s.destroy()


@tap.test("kc-server migrate and create-admin print no GLib critical (g_thread_pool_unprocessed), 10 times each")
def _():
    s = kctest.Server(start=False, admin=False)
    try:
        for i in range(10):
            for args, stdin in ((("migrate",), None),
                                (("create-admin", "adm%d" % i), kctest.new_password() + "\n")):
                proc = s.run_command(*args, stdin=stdin, timeout=60)
                check_equal(proc.returncode, 0, "%s: %s" % (args[0], proc.stderr))
                check("CRITICAL" not in proc.stderr and "assertion" not in proc.stderr,
                      "no critical from %s" % args[0], proc.stderr)
    finally:
        s.destroy()


@tap.test("enrolling a second factor needs the password again unless the session's login checked it within 5 minutes: a resumed session without it -> -32602, a wrong one -> -32602 and counted, the right one -> begun")
def _():
    s = kctest.Server(auth={"totp_key_file": os.path.join(kctest.tempfile.mkdtemp(), "k")},
                      start=False)
    try:
        with open(s.config["auth"]["totp_key_file"], "w") as f:
            f.write("x" * 64)
        os.chmod(s.config["auth"]["totp_key_file"], 0o600)
        s.start()
        with s.admin(source=kctest.next_peer()) as a:
            u = kctest.create_user(a, "province_officer")
        with s.login(u["username"], u["password"], source=kctest.next_peer()) as c:
            token = c.login_result["token"]
        with s.client(source=kctest.next_peer()) as c:
            c.result("auth.resume", {"token": token})
            e = c.error("auth.totp_begin", {}, kctest.INVALID_PARAMS)
            check_equal(kctest.field_names(e), ["password"], "names password")
            e = c.error("auth.totp_begin", {"password": "not-the-password"}, kctest.INVALID_PARAMS)
            check_equal(kctest.field_names(e), ["password"], "names password")
            check_equal(s.sql("SELECT reason FROM login_failures WHERE username = '%s'"
                              % u["username"]).strip(), "bad_password", "counted as a guess")
            begun = c.result("auth.totp_begin", {"password": u["password"]})
            check("secret" in begun, "begun", begun)
        # a fresh login (a required role's enrolment right after it) needs no password again
        with s.login(u["username"], u["password"], source=kctest.next_peer()) as c:
            check("secret" in c.result("auth.totp_begin", {}), "begun after a fresh login")
    finally:
        s.destroy()


tap.run()
