#!/usr/bin/env python3
"""Faults under load (issue 7, "Faults: nothing lost, nothing stuck"), the
fast ones; tests/integration/test_soak.py repeats them longer.

- PostgreSQL stopped and started while writers run: every write answered
  with success is in the database, none answered with an error is, the
  server stays up and serves again within 5 s (test_resilience.py covers
  one client's 1050 and retry_after; this adds the writes).
- kc-server killed with SIGKILL in the middle of writes and uploads: after
  a restart nothing is half written.
- Clients that stall in the handshake, send half a line, or disconnect
  mid-request: their descriptors and memory are given back, and a normal
  client is not slowed meanwhile.
- Two servers on one database, one killed: the other's clients do not
  notice; the first's resume their sessions on the survivor.

STOPS AND RESTARTS THE SHARED TEST CLUSTER: is_parallel false in meson."""

import functools
import os
import socket
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import faultkit  # noqa: E402
import kctest  # noqa: E402
from kctest import check, check_equal, scaled  # noqa: E402

tap = kctest.Tap()
S = {}


def pg_up():
    rc, _, _ = kctest.psql_try("SELECT 1")
    return rc == 0


def ensure_pg_started():
    if not pg_up():
        kctest.pgctl("start")
    kctest.eventually(pg_up, 30, 0.2, "PostgreSQL accepting connections")


tap.add_cleanup(ensure_pg_started)


def srv():
    if "main" not in S:
        # short handshake and line timeouts for the stalled clients' test;
        # the others never idle that long
        S["main"] = kctest.Server(server={"handshake_timeout": 2, "line_timeout": 2},
                                  database={"connect_timeout": 2})
    return S["main"]


def admin():
    if "admin" not in S:
        S["admin"] = srv().admin()
    return S["admin"]


@functools.lru_cache(maxsize=None)
def sanitized():
    """kc-server built with ASan keeps freed memory in quarantine: RSS
    says nothing about the allocator then."""
    with open(kctest.KC_SERVER, "rb") as f:
        return b"__asan_init" in f.read()


# ---------------------------------------------------------------------------

@tap.test("Argon2's memory is reused: 12 user.create calls on 4 database workers grow RSS by less than 16 MiB, not by a block per worker")
def _():
    if kctest.UNDER_WRAPPER or sanitized():
        raise kctest.SkipTest("RSS is the wrapper's or the sanitizer's here")
    s = srv()  # argon2_memory_kib 8192 (kctest), pool_size 4
    admins = [s.admin() for _ in range(3)]
    try:
        before = faultkit.server_rss_kib(s)
        # three connections at once, so that every worker hashes
        sent = [(a, a.request("user.create", {
            "username": "rss-%d-%s" % (i, os.urandom(3).hex()), "full_name": "Người thử",
            "role": "viewer", "org_id": s.org_id("BCT.CKC"), "password": kctest.new_password()}))
            for i in range(4) for a in admins]
        for a, i in sent:
            check("result" in a.response(i, timeout=scaled(60)), "user.create")
        after = faultkit.server_rss_kib(s)
    finally:
        for a in admins:
            a.close()
    kctest.Tap.diag("RSS %.1f MiB before, %.1f MiB after 12 user.create"
                    % (before / 1024, after / 1024))
    check(after - before < 16 * 1024, "RSS grew by %.1f MiB" % ((after - before) / 1024))


@tap.test("PostgreSQL stopped and started under 4 writers: 1050 while down, acknowledged writes all present, refused ones absent, writes again within 5 s, and every call after that served")
def _():
    s = srv()
    officer = faultkit.Officer(s, admin())
    w = faultkit.Writers(officer, 4).start()
    try:
        kctest.eventually(lambda: len(w.projects["ok"]) >= 8, scaled(20), 0.05, "writes before the stop")
        kctest.pgctl("stop")
        down_at = time.monotonic()
        kctest.eventually(lambda: w.codes.get(kctest.UNAVAILABLE, 0) >= 4, scaled(10), 0.05,
                          "1050 answers while PostgreSQL is down")
        time.sleep(max(0, 1 - (time.monotonic() - down_at)))
        check(s.running(), "kc-server died with PostgreSQL down", s.log_tail())
        ok_while_down = len(w.projects["ok"])
        kctest.pgctl("start")
        back = time.monotonic()
        kctest.eventually(lambda: len(w.projects["ok"]) >= ok_while_down + 8, scaled(5), 0.05,
                          "writes succeeding again")
        kctest.Tap.diag("writes succeed again %.2f s after PostgreSQL's start"
                        % (time.monotonic() - back))
        # Writes succeeding again means one pool connection is back, not
        # all: each broken one waits a second between its own attempts, and
        # a caller must never be handed one of those while the database
        # is up. Asked at once, within that second.
        probe = admin()
        for i in range(8):
            m = probe.call("org.list", {})
            check("result" in m, "call %d right after the outage was refused" % (i + 1), m)
    finally:
        ensure_pg_started()
        w.stop()
    kctest.Tap.diag(w.summary())
    check(not w.unexpected, "answers other than result or 1050", *w.unexpected[:3])
    check(not w.projects["unknown"], "calls without an answer: the server dropped connections",
          sorted(w.projects["unknown"]))
    in_db = faultkit.check_consistent(s, w)
    check_equal(set(in_db), set(w.projects["ok"]), "projects in the plan vs acknowledged creates")
    check(s.running(), "kc-server died", s.log_tail())


@tap.test("stalled handshakes, half lines and clients gone mid-request: descriptors and memory come back, a normal client is not slowed")
def _():
    s = srv()
    probe = s.admin()
    try:
        for _ in range(20):  # warm: pool connections, TLS, allocator
            probe.result("org.list", {"limit": 50})
        # the clients' descriptors only: a PostgreSQL connection of a pool
        # reopened meanwhile (test 2 restarted PostgreSQL) is not a leak
        base_fds = faultkit.settled_fds(s, count=faultkit.client_fds)
        base_rss = faultkit.server_rss_kib(s)

        def probe_latencies(n):
            out = []
            for _ in range(n):
                t0 = time.monotonic()
                probe.result("org.list", {"limit": 50})
                out.append(time.monotonic() - t0)
            return sorted(out)
        before = probe_latencies(20)

        raw = [socket.create_connection(("127.0.0.1", s.port)) for _ in range(40)]
        half = []
        for _ in range(40):
            c = s.client()
            c.send_raw(b'{"jsonrpc":"2.0","id":1,"method":"org.li')
            half.append(c)
        for _ in range(40):  # a request, then gone before the answer
            c = s.client()
            c.send_raw(b'{"jsonrpc":"2.0","id":1,"method":"server.info"}\n'
                       b'{"jsonrpc":"2.0","id":2,"method":"org.list","params":{"limit":5}}\n')
            c.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
            c.close()
        during = probe_latencies(20)
        kctest.Tap.diag("org.list median %.1f ms before, %.1f ms with 120 bad clients; max %.1f ms"
                        % (before[10] * 1000, during[10] * 1000, during[-1] * 1000))
        # ASan's build is several times slower on every call: more slack
        slack = 0.05 * kctest.TIME_FACTOR * (4 if sanitized() else 1)
        check(during[10] < before[10] * 5 + slack,
              "the normal client slowed: median %.3f s, was %.3f s" % (during[10], before[10]))
        # (under valgrind the 2 s handshake timeout has passed by now)
        check(kctest.UNDER_WRAPPER or faultkit.client_fds(s) > base_fds + 60,
              "the bad clients were not counted (test broken?)")
        # The server closes the stalled ones itself (handshake and line
        # timeouts); nothing is closed from this side.
        kctest.eventually(lambda: faultkit.client_fds(s) <= base_fds, scaled(10), 0.2,
                          "clients' descriptors back to %d" % base_fds)
        for c in half:
            c.wait_closed(scaled(2))
        rss = faultkit.server_rss_kib(s)
        kctest.Tap.diag("RSS %d KiB before, %d KiB after" % (base_rss, rss))
        check(kctest.UNDER_WRAPPER or sanitized() or rss < base_rss + 8 * 1024,
              "RSS grew from %d to %d KiB" % (base_rss, rss))
        probe.result("org.list", {"limit": 5})
        for r in raw:
            r.close()
        for c in half:
            c.close()
    finally:
        probe.close()


@tap.test("two servers on one database, one SIGKILLed: the other's clients carry on, the first's resume their sessions on the survivor")
def _():
    a = srv()
    b = faultkit.Twin(a).start()
    S["b"] = b
    adm = a.admin()
    officer = faultkit.Officer(a, adm)
    on_a = officer.client
    token = on_a.login_result["token"]
    on_b = officer.login(b)
    stop_at = time.monotonic() + scaled(2)
    on_b.result("plan.get", {"id": officer.plan["id"]})
    a.kill()
    seen = 0
    while time.monotonic() < stop_at or seen < 20:
        m = on_b.call("plan.get", {"id": officer.plan["id"]})
        check("result" in m, "a call on the survivor failed after the other died", m)
        seen += 1
    on_a.wait_closed(scaled(3))
    with b.client() as again:
        r = again.result("auth.resume", {"token": token})
        check_equal(again.result("auth.whoami")["user"]["username"], officer.user["username"],
                    "the resumed session's user")
        again.result("project.create", faultkit.project_params(officer.plan["id"], "on the survivor"))
        check(r is not None, "auth.resume answered nothing")
    adm.close()
    on_b.close()
    b.stop()


@tap.test("kc-server SIGKILLed in the middle of project creates and uploads: after a restart nothing is half written, every acknowledged write is there")
def _():
    s = srv()
    if not s.running():  # the previous test killed it
        s.start()
    with s.admin() as adm:
        officer = faultkit.Officer(s, adm)
    w = faultkit.Writers(officer, 3, uploads=True).start()
    try:
        kctest.eventually(lambda: len(w.projects["ok"]) >= 10 and len(w.uploads["ok"]) >= 2,
                          scaled(30), 0.05, "writes and uploads under way")
        s.kill()
        w.stop()
    finally:
        w.stopping.set()
    kctest.Tap.diag(w.summary())
    check(not w.unexpected, "error answers before the kill", *w.unexpected[:3])
    faultkit.check_consistent(s, w)
    s.start()
    with officer.login() as c:
        listed = c.result("attachment.list", {"owner_type": "project", "owner_id": w.upload_owner})
        items = listed["items"] if isinstance(listed, dict) else listed
        check(set(a["id"] for a in items) >= w.uploads["ok"],
              "acknowledged uploads listed after the restart", items)
        c.result("project.create", faultkit.project_params(officer.plan["id"], "after the restart"))
    officer.client.close()
    s.stop()  # exit 0: no leak or error after all this (valgrind, ASan)


tap.run()
