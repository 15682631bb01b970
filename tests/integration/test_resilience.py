#!/usr/bin/env python3
"""kc-server under adverse conditions: PostgreSQL stopped and restarted
under it, certificate reload on SIGHUP, shutdown on SIGTERM with requests
in flight, bad configuration, repeated and too-new migrations.

STOPS AND RESTARTS THE SHARED TEST CLUSTER: meson must run this file with
is_parallel: false, or other tests fail while PostgreSQL is down."""

import os
import signal
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kctest  # noqa: E402
from kctest import check, check_equal, scaled  # noqa: E402

tap = kctest.Tap()
S = {}


def pg_up():
    rc, out, err = kctest.psql_try("SELECT 1")
    return rc == 0


def ensure_pg_started():
    if not pg_up():
        kctest.pgctl("start")
    kctest.eventually(pg_up, 30, 0.2, "PostgreSQL accepting connections")


tap.add_cleanup(ensure_pg_started)  # whatever happened, leave the cluster running


def db_server():
    if "db" not in S:
        S["db"] = kctest.Server(database={"connect_timeout": 2})
    return S["db"]


# ---------------------------------------------------------------------------

@tap.test("PostgreSQL stopped under a running server: 1050 with retry_after, the process stays up, the same connection recovers within 5 s of the restart")
def _():
    s = db_server()
    c = s.admin()
    d = s.client()
    try:
        d.result("auth.resume", {"token": c.login_result["token"]})
        check("items" in c.result("org.list", {"limit": 2}), "before the stop")
        kctest.pgctl("stop")
        try:
            for method, params in (("org.list", {"limit": 2}), ("user.list", {}),
                                   ("org.list", {"limit": 2}), ("audit.list", {"limit": 1})):
                m = c.call(method, params, timeout=scaled(20))
                e = m.get("error", {})
                check(e.get("code") == kctest.UNAVAILABLE, "%s while PostgreSQL is down" % method, m)
                ra = (e.get("data") or {}).get("retry_after")
                check(isinstance(ra, int) and ra > 0, "retry_after", m)
            check(s.running(), "kc-server died with PostgreSQL down", s.log_tail())
            check_equal(c.result("server.info").get("name"), "kc-server", "server.info while down")
            with s.client() as x:  # a login cannot be checked: 1050, not a wrong password
                x.error("auth.login", {"username": "admin", "password": s.admin_password},
                        kctest.UNAVAILABLE)
        finally:
            kctest.pgctl("start")
        t0 = time.monotonic()

        def org_list_works():
            m = c.call("org.list", {"limit": 2}, timeout=scaled(20))
            if "result" in m:
                return True
            check(m.get("error", {}).get("code") == kctest.UNAVAILABLE,
                  "unexpected error while PostgreSQL comes back", m)
            return False
        kctest.eventually(org_list_works, scaled(5), 0.2, "org.list working again")
        kctest.Tap.diag("calls work again %.2f s after the start" % (time.monotonic() - t0))
        check_equal(c.result("auth.whoami")["user"]["username"], "admin", "same session, no re-login")

        # The other connection's call may meet a pool connection not yet
        # re-opened (1050): it too works within the same 5 s.
        def resumed_works():
            m = d.call("org.list", {"limit": 1}, timeout=scaled(20))
            if "result" in m:
                return "items" in m["result"]
            check(m.get("error", {}).get("code") == kctest.UNAVAILABLE,
                  "unexpected error on the resumed connection", m)
            return False
        kctest.eventually(resumed_works, max(0.5, scaled(5) - (time.monotonic() - t0)), 0.2,
                          "the resumed connection working again")
        check(s.running(), "kc-server died", s.log_tail())
    finally:
        c.close()
        d.close()


@tap.test("after PostgreSQL came back, revocations reach other connections again (LISTEN reconnected)")
def _():
    s = db_server()
    # 1050 is safe to retry (PROTOCOL.md); see the TODO test below for why
    # a call can still meet one here
    c = s.admin(retry_unavailable=True)
    d = s.client()
    try:
        d.result("auth.resume", {"token": c.login_result["token"]}, retry_unavailable=True)
        # the listener reconnects on its own schedule; give it a moment
        time.sleep(scaled(1.5))
        c.result("auth.logout", {}, retry_unavailable=True)
        d.wait_event(scaled(3))
        d.error("org.list", {}, kctest.SESSION_EXPIRED)
    finally:
        c.close()
        d.close()


@tap.test("pg-cluster restart: calls succeed again within 5 s on the same connection without re-login")
def _():
    s = db_server()
    c = s.admin()
    try:
        c.result("org.list", {"limit": 1})
        kctest.pgctl("restart")
        t0 = time.monotonic()
        kctest.eventually(lambda: "result" in c.call("org.list", {"limit": 1}, timeout=scaled(20)),
                          scaled(5), 0.2, "org.list after the restart")
        kctest.Tap.diag("working %.2f s after the restart" % (time.monotonic() - t0))
        check_equal(c.result("auth.whoami")["user"]["username"], "admin", "same session")
        # and a brand-new login works too
        with s.admin(retry_unavailable=True) as c2:
            c2.result("org.list", {"limit": 1}, retry_unavailable=True)
    finally:
        c.close()


@tap.test("5 s after PostgreSQL is back no call gets 1050 (stale pool connections are re-opened, not failed)")
def _():
    s = db_server()
    c = s.admin(retry_unavailable=True)
    try:
        for _ in range(8):  # every pool connection has served a request
            c.result("org.list", {"limit": 1}, retry_unavailable=True)
        kctest.pgctl("restart")
        time.sleep(scaled(5))
        codes = []
        for _ in range(12):
            m = c.call("org.list", {"limit": 1})
            codes.append(m.get("error", {}).get("code", "ok"))
        with s.client() as x:
            m = x.call("auth.login", {"username": "admin", "password": s.admin_password})
            codes.append(m.get("error", {}).get("code", "ok"))
        check(all(code == "ok" for code in codes), "answers 5 s after the restart: %s" % codes)
    finally:
        c.close()


@tap.test("SIGHUP reloads the certificate: the open connection keeps working, a new one sees the new certificate")
def _():
    s = S.setdefault("hup", kctest.Server())
    old_der = kctest.cert_der(s.cert)
    o = s.admin()
    try:
        check_equal(o.sock.getpeercert(binary_form=True), old_der, "certificate before")
        serial = kctest.make_server_cert(s.dir, s.cert, s.key)
        new_der = kctest.cert_der(s.cert)
        check(new_der != old_der, "the new certificate is the same")
        s.signal(signal.SIGHUP)

        def new_cert_served():
            _, _, der = kctest.tls_handshake(s.port, s.client_context())
            return der == new_der
        kctest.eventually(new_cert_served, scaled(5), 0.1, "new certificate served")
        with s.client() as n:
            check_equal(n.sock.getpeercert()["serialNumber"].lstrip("0"),
                        "%X" % serial, "serial of the served certificate")
            n.result("server.info")
        check("items" in o.result("org.list", {"limit": 1}), "the old connection still answers")
        check(o.is_open(0.2), "the old connection was closed")
        check(s.running(), "kc-server died on SIGHUP", s.log_tail())
    finally:
        o.close()


@tap.test("SIGHUP with a broken certificate file keeps the current certificate and the server running")
def _():
    s = S["hup"]
    current = kctest.cert_der(s.cert)
    good = open(s.cert).read()
    o = s.client()
    try:
        with open(s.cert + ".tmp", "w") as f:
            f.write("-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n")
        os.replace(s.cert + ".tmp", s.cert)
        s.signal(signal.SIGHUP)
        time.sleep(scaled(1))
        check(s.running(), "kc-server died on a bad certificate", s.log_tail())
        _, _, der = kctest.tls_handshake(s.port, s.client_context())
        check(der == current, "the served certificate changed")
        o.result("server.info")
    finally:
        o.close()
        with open(s.cert, "w") as f:
            f.write(good)


@tap.test("SIGTERM: an in-flight request is finished and answered, idle connections are closed, new ones refused, exit 0")
def _():
    s = S.setdefault("term", kctest.Server())
    busy = s.admin()
    idle = s.client()
    locker = subprocess.Popen([kctest._pg_bin("psql"), "-X", "-q", "-A", "-t",
                               "-h", kctest.PGHOST, "-p", str(kctest.PGPORT), "-U", kctest.PGUSER,
                               "-d", s.dbname], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    try:
        locker.stdin.write("BEGIN;\nLOCK TABLE orgs IN ACCESS EXCLUSIVE MODE;\nSELECT 'locked';\n")
        locker.stdin.flush()
        check_equal(locker.stdout.readline().strip(), "locked", "psql took the lock")
        rid = busy.request("org.list", {"limit": 3})
        try:
            early = busy.read_message(0.7)
        except socket.timeout:
            early = None
        check(early is None, "org.list answered although orgs is locked", early)

        s.signal(signal.SIGTERM)
        messages = idle.wait_closed(scaled(3))
        check(not any("result" in m for m in messages), "idle connection got a result", messages)

        def refused():
            try:
                socket.create_connection(("127.0.0.1", s.port), timeout=1).close()
                return False
            except OSError:
                return True
        kctest.eventually(refused, scaled(3), 0.1, "new connections refused")
        time.sleep(0.5)
        check(s.running(), "kc-server exited with a request in flight", s.log_tail())

        locker.stdin.write("COMMIT;\n")
        locker.stdin.close()
        locker.wait(30)
        m = busy.response(rid, timeout=scaled(10))
        check("result" in m and len(m["result"]["items"]) == 3, "the in-flight request's reply", m)
        busy.wait_closed(scaled(5))
        rc = s.wait_exit(scaled(10) + 10)
        check_equal(rc, 0, "exit status (%s)" % s.log_tail())
    finally:
        if locker.poll() is None:
            locker.kill()
        busy.close()
        idle.close()


@tap.test("SIGTERM with idle connections (logged in, anonymous, half a line): all closed, exit 0 within a few seconds")
def _():
    s = S.setdefault("term2", kctest.Server())
    a = s.admin()
    b = s.client()
    c = s.client()
    try:
        c.send_raw(b'{"jsonrpc":"2.0","id":1,"meth')
        t0 = time.monotonic()
        s.signal(signal.SIGTERM)
        for x in (a, b, c):
            x.wait_closed(scaled(3))
        rc = s.wait_exit(scaled(5))
        elapsed = time.monotonic() - t0
        check_equal(rc, 0, "exit status (%s)" % s.log_tail())
        check(elapsed < scaled(5), "shutdown took %.1f s" % elapsed)
    finally:
        for x in (a, b, c):
            x.close()


def bad_config(s, name, mutate, expect_words):
    config = {k: dict(v) for k, v in s.config.items()}
    mutate(config)
    path = os.path.join(s.dir, name + ".conf")
    s.write_config(path, config)
    for args in ((), ("migrate",)):
        p = s.run_command(*args, config_path=path, timeout=scaled(10) + 10)
        check_equal(p.returncode, 2, "exit status for %s %s (%s)" % (name, args, p.stderr))
        lines = p.stderr.strip().splitlines()
        check(len(lines) == 1, "not a one-line message: %r" % p.stderr)
        check(all(w in lines[0] for w in expect_words), "message lacks %s: %s" % (expect_words, lines[0]))
        check_equal(p.stdout, "", "stdout")


@tap.test("bad configuration (unknown key or group, bad or out-of-range number) -> exit 2 with a one-line message")
def _():
    s = S.setdefault("cfg", kctest.Server(start=False))
    bad_config(s, "unknown-key", lambda c: c["server"].update(colour="blue"), ["server.colour"])
    bad_config(s, "unknown-group", lambda c: c.update(extra={"x": "1"}), ["extra"])
    bad_config(s, "bad-number", lambda c: c["server"].update(port="eighty"), ["server.port", "eighty"])
    bad_config(s, "out-of-range", lambda c: c["server"].update(handshake_timeout="0"),
               ["server.handshake_timeout"])
    bad_config(s, "negative", lambda c: c["database"].update(pool_size="-4"), ["database.pool_size"])
    p = s.run_command(config_path=os.path.join(s.dir, "missing.conf"))
    check_equal(p.returncode, 2, "exit status for a missing file")
    check(len(p.stderr.strip().splitlines()) == 1, "missing file: not one line: %r" % p.stderr)


@tap.test("migrate twice is fine and changes nothing")
def _():
    s = S["cfg"]
    before = s.sql("SELECT version, name FROM schema_migrations ORDER BY version")
    p = s.run_command("migrate")
    check_equal(p.returncode, 0, "second migrate (%s)" % p.stderr)
    check_equal(s.sql("SELECT version, name FROM schema_migrations ORDER BY version"), before,
                "schema_migrations")
    check(s.run_command("migrate").returncode == 0, "third migrate")


@tap.test("a database with a migration newer than the binary: migrate exits 1 saying so; serve refuses too")
def _():
    s = S["cfg"]
    s.sql("INSERT INTO schema_migrations VALUES (9999, '9999_future', now(), 'test')")
    try:
        p = s.run_command("migrate")
        check_equal(p.returncode, 1, "migrate exit status (%s %s)" % (p.stdout, p.stderr))
        check("newer" in (p.stdout + p.stderr), "message does not say newer", p.stderr)
        p = s.run_command(timeout=scaled(10) + 10)  # serve
        check_equal(p.returncode, 1, "serve exit status (%s)" % p.stderr)
        check("newer" in p.stderr, "serve does not say newer", p.stderr)
        kctest.check(not s.running(), "server running")
    finally:
        s.sql("DELETE FROM schema_migrations WHERE version = 9999")
    check_equal(s.run_command("migrate").returncode, 0, "migrate once the row is gone")


@tap.test("every server exits 0 on SIGTERM (no leaks or errors under a wrapper)")
def _():
    ensure_pg_started()
    problems = []
    for name in ("db", "hup"):
        if name in S:
            try:
                S[name].stop()
            except AssertionError as e:
                problems.append("%s: %s" % (name, e))
    check(not problems, "\n".join(problems))


tap.run()
