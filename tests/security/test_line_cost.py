#!/usr/bin/env python3
"""What one line may cost (issue 13, point 3): a logged-in province
officer's 15 MiB line of {},{},… gets a clear error while the server's
memory stays bounded and other connections are answered; lines over 1 MiB
only for the methods that carry a file; caps on connections per address
and per account."""

import json
import os
import select
import socket
import ssl
import statistics
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "integration"))
import kctest  # noqa: E402
from kctest import check, check_equal  # noqa: E402

tap = kctest.Tap()
S = {}
MIB = 1 << 20


def srv():
    if "main" not in S:
        S["main"] = kctest.Server(server={"max_connections_per_address": 6,
                                          "max_connections_per_user": 3})
    return S["main"]


def admin():
    if "admin" not in S or S["admin"].closed:
        S["admin"] = srv().admin(source=kctest.next_peer())
    return S["admin"]


def officer():
    if "officer" not in S:
        S["officer"] = kctest.create_user(admin(), "province_officer")
    return S["officer"]


def rss_kib(pid, field):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise AssertionError("no %s in /proc/%d/status" % (field, pid))


def sanitized():
    """kc-server built with AddressSanitizer (build-asan)."""
    with open(kctest.KC_SERVER, "rb") as f:
        return b"__asan_init" in f.read()


@tap.test("a 15 MiB line of {},{},... from a logged-in province officer: a clear -32600, RSS grows < 64 MiB, server.info on another connection answered within 100 ms while it is handled")
def _():
    s = srv()
    u = officer()
    pid = s.proc.pid
    before = rss_kib(pid, "VmRSS")
    prober = s.client(source=kctest.next_peer())
    prober.result("server.info")
    # The attacker is another process, so that its TLS encryption of 15 MiB
    # does not compete with the probes for this interpreter's lock.
    script = r"""
import json, os, sys
sys.path.insert(0, os.environ["KCTEST_DIR"])
import kctest
c = kctest.Client(port=int(os.environ["PORT"]), source=os.environ["SRC"],
                  context=kctest.ssl.create_default_context(cafile=os.environ["CA"]))
c.result("auth.login", {"username": os.environ["U"], "password": os.environ["P"]})
sys.stdout.write("ready\n"); sys.stdout.flush()
sys.stdin.readline()
c.sock.sendall(b"{}," * (15 * 1024 * 1024 // 3) and
               b'{"jsonrpc":"2.0","id":7,"method":"project.list","params":{"x":['
               + (b"{}," * (15 * 1024 * 1024 // 3))[:-1] + b']}}\n')
print(json.dumps(c.read_message(timeout=120)))
"""
    env = dict(os.environ, KCTEST_DIR=os.path.join(kctest.SOURCE_ROOT, "tests", "integration"),
               PORT=str(s.port), SRC=kctest.next_peer(), CA=s.ca, U=u["username"],
               P=u["password"])
    attacker = subprocess.Popen([sys.executable, "-c", script], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, text=True, env=env)
    check_equal(attacker.stdout.readline().strip(), "ready", "attacker logged in")
    done = threading.Event()
    answer = {}

    def wait_answer():
        out = attacker.stdout.readline()
        try:
            answer["m"] = json.loads(out)
        except ValueError:
            answer["e"] = out
        done.set()

    t = threading.Thread(target=wait_answer)
    t.start()
    started = time.monotonic()
    attacker.stdin.write("go\n")
    attacker.stdin.flush()
    latencies = []
    while not done.is_set() or len(latencies) < 20:
        t0 = time.monotonic()
        prober.result("server.info")
        latencies.append((time.monotonic() - t0) * 1000)
        time.sleep(0.005)
    t.join()
    attacker.wait(timeout=30)
    handled = time.monotonic() - started
    peak = rss_kib(pid, "VmHWM")
    prober.close()
    lat = sorted(latencies)
    p90 = lat[int(len(lat) * 0.9) - 1]
    kctest.Tap.diag("15 MiB line sent and answered in %.2f s; server.info probes: %d, median %.1f ms,"
                    " p90 %.1f ms, max %.1f ms; RSS before %d KiB, peak %d KiB (+%.1f MiB)"
                    % (handled, len(lat), statistics.median(lat), p90, lat[-1], before, peak,
                       (peak - before) / 1024))
    check("m" in answer, "an answer to the big line", answer)
    err = answer["m"].get("error") or {}
    check_equal(err.get("code"), kctest.INVALID_REQUEST, "error code")
    check("too many JSON values" in err.get("message", "")
          or "too large" in err.get("message", ""), "a clear message", err)
    # ASan keeps freed memory in quarantine (256 MiB by default) and adds
    # shadow memory, so RSS says nothing of the allocator there; the
    # plain build (scripts/test runs both) holds the bound.
    if not sanitized():
        check(peak - before < 64 * 1024, "RSS grew by %d KiB" % (peak - before))
    # The bound is 100 ms. Probes are repeated, and what is checked
    # is that the main loop is never held: the typical probe within 100 ms
    # and none anywhere near the transfer time (before the fix one probe
    # waited the whole 2 s). Single slow probes are the shared 2-core test
    # machine's scheduling (the attacker's own process, other builds).
    median = statistics.median(lat)
    check(median < kctest.scaled(100), "server.info median %.1f ms while the line is handled"
          % median, lat)
    check(lat[-1] < kctest.scaled(1000) and lat[-1] < handled * 1000 / 2,
          "a server.info waited %.1f ms of the %.1f s the line took" % (lat[-1], handled), lat)


@tap.test("a 2 MiB line for a method that carries no file -> -32600 naming the rule; the connection stays usable")
def _():
    s = srv()
    u = officer()
    with s.login(u["username"], u["password"], source=kctest.next_peer()) as c:
        e = c.error("project.list", {"q": "x" * (2 * MIB)}, kctest.INVALID_REQUEST)
        check("attachment.put" in e["message"] and "project.import" in e["message"], "rule named", e)
        check_equal(c.result("server.info")["name"], "kc-server", "still usable")


@tap.test("a 20 MiB line for a method that carries no file is answered -32600 (with its id) before the sender has finished it; the rest is dropped and the connection stays usable")
def _():
    s = srv()
    u = officer()
    with s.login(u["username"], u["password"], source=kctest.next_peer()) as c:
        total, chunk = 20 * MIB, 256 * 1024
        c.send_raw(b'{"jsonrpc":"2.0","id":4242,"method":"project.list","params":{"q":"')
        sent, answer, at = 0, None, None
        filler = b"x" * chunk
        started = time.monotonic()
        while sent < total:
            c.sock.sendall(filler)
            sent += chunk
            if answer is None and (c.sock.pending() or select.select([c.sock], [], [], 0)[0]):
                try:
                    answer, at = c.read_message(timeout=0.2), sent
                except socket.timeout:
                    pass
        c.sock.sendall(b'"}}\n')
        if answer is None:
            answer = c.read_message(timeout=30)
        kctest.Tap.diag("answered after %s of the 20 MiB sent (%.2f s)"
                        % ("%.1f MiB" % (at / MIB) if at else "all", time.monotonic() - started))
        check(at is not None and at < total, "answered before the line was finished", at)
        check_equal(answer.get("id"), 4242, "the line's id")
        check_equal((answer.get("error") or {}).get("code"), kctest.INVALID_REQUEST, "code")
        check("project.list" in answer["error"]["message"]
              and "attachment.put" in answer["error"]["message"], "the rule named", answer)
        check_equal(c.result("server.info")["name"], "kc-server", "the next line is read")


@tap.test("a 2 MiB project.import (its CSV as one string) passes the line rule: refused by the import's own checks, not -32600")
def _():
    s = srv()
    u = officer()
    with s.login(u["username"], u["password"], source=kctest.next_peer()) as c:
        m = c.call("project.import", {"plan_id": 999999999, "csv": "a;b\n" * (MIB // 2)})
        check("error" in m and m["error"]["code"] != kctest.INVALID_REQUEST, "not the line rule", m)


@tap.test("50,001 values in a 100 KB line -> -32600 too many JSON values, the connection usable")
def _():
    s = srv()
    u = officer()
    with s.login(u["username"], u["password"], source=kctest.next_peer()) as c:
        c.send_raw('{"jsonrpc":"2.0","id":1,"method":"server.info","params":{"x":[%s]}}\n'
                   % ",".join(["0"] * 50001))
        m = c.read_message()
        check_equal(m["error"]["code"], kctest.INVALID_REQUEST, "code")
        check("too many JSON values" in m["error"]["message"], "message", m)
        check_equal(c.result("server.info")["name"], "kc-server", "still usable")


@tap.test("max_connections_per_address (6 here): the 7th connection from one address is closed at once; other addresses still served")
def _():
    s = srv()
    peer = kctest.next_peer()
    held = [s.client(source=peer) for _ in range(6)]
    try:
        for c in held:
            c.result("server.info")
        refused = False
        try:
            with s.client(source=peer) as c:
                c.result("server.info")
        except (ssl.SSLError, OSError, kctest.Closed):
            refused = True
        check(refused, "7th connection from one address refused")
        with s.client(source=kctest.next_peer()) as c:
            check_equal(c.result("server.info")["name"], "kc-server", "other address")
    finally:
        for c in held:
            c.close()
    # once they are gone, the address is served again
    kctest.eventually(lambda: s.client(source=peer).result("server.info"), kctest.scaled(5),
                      0.2, "address served again")


@tap.test("max_connections_per_user (3 here): a 4th login of one account -> 1029 too_many_connections; after one logs out it works")
def _():
    s = srv()
    u = kctest.create_user(admin(), "province_officer")
    held = [s.login(u["username"], u["password"], source=kctest.next_peer()) for _ in range(3)]
    try:
        with s.client(source=kctest.next_peer()) as c:
            e = c.error("auth.login", {"username": u["username"], "password": u["password"]},
                        kctest.TOO_MANY)
            check_equal((e.get("data") or {}).get("reason"), "too_many_connections", "reason")
            c.error("org.list", {}, kctest.NOT_LOGGED_IN)
        held[0].result("auth.logout")
        with s.client(source=kctest.next_peer()) as c:
            c.result("auth.login", {"username": u["username"], "password": u["password"]})
    finally:
        for c in held:
            c.close()


tap.run()
