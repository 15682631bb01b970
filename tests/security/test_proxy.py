#!/usr/bin/env python3
"""PROXY protocol v2 (issue 13, point 2): behind a trusted layer-4 balancer
the client's own address is the one throttled and audited; from anyone else
a PROXY header is not honoured (the TLS handshake fails)."""

import os
import socket
import ssl
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "integration"))
import kctest  # noqa: E402
from kctest import check, check_equal  # noqa: E402

tap = kctest.Tap()
S = {}
SIG = b"\r\n\r\n\x00\r\nQUIT\n"
# The balancer's address (kctest.next_peer() hands out 127.0.x.y from 127.0.0.12 up).
BALANCER = "127.0.3.250"


def srv():
    if "main" not in S:
        S["main"] = kctest.Server(server={"proxy_trusted": "127.0.0.249; " + BALANCER})
    return S["main"]


def header_v4(src, sport=40000, dst="127.0.0.1", dport=8474, command=1):
    body = socket.inet_aton(src) + socket.inet_aton(dst) + struct.pack(">HH", sport, dport)
    return SIG + bytes([0x20 | command, 0x11]) + struct.pack(">H", len(body)) + body


def header_v6(src, sport=40000):
    body = socket.inet_pton(socket.AF_INET6, src) + socket.inet_pton(socket.AF_INET6, "::1") \
        + struct.pack(">HH", sport, 8474)
    return SIG + bytes([0x21, 0x21]) + struct.pack(">H", len(body)) + body


class ProxiedClient(kctest.Client):
    """A Client whose connection starts with a PROXY v2 header, then TLS."""

    def __init__(self, server, header, source=BALANCER):
        raw = socket.create_connection(("127.0.0.1", server.port), timeout=kctest.scaled(15),
                                       source_address=(source, 0) if source else None)
        raw.sendall(header)
        self.server = server
        self.port = server.port
        self.timeout = kctest.scaled(15)
        self.events = []
        self.buf = b""
        self.closed = False
        self.next_id = 1
        self.login_result = None
        self.source = source
        try:
            self.sock = server.client_context().wrap_socket(raw, server_hostname="localhost")
        except Exception:
            raw.close()
            raise


def failure_peers(username):
    return srv().sql("SELECT peer FROM login_failures WHERE username = '%s' ORDER BY id"
                     % username).split()


@tap.test("from a trusted balancer, the PROXY v2 source address (IPv4 and IPv6) is the one counted for throttling and written in the audit log")
def _():
    s = srv()
    with ProxiedClient(s, header_v4("203.0.113.7")) as c:
        c.error("auth.login", {"username": "ghost-proxy", "password": "whatever-pw"},
                kctest.NOT_LOGGED_IN)
    with ProxiedClient(s, header_v6("2001:db8::42")) as c:
        c.error("auth.login", {"username": "ghost-proxy", "password": "whatever-pw"},
                kctest.NOT_LOGGED_IN)
    check_equal(failure_peers("ghost-proxy"), ["203.0.113.7", "2001:db8::42"], "peers counted")
    peers = s.sql("SELECT peer FROM audit_log WHERE username = 'ghost-proxy' ORDER BY id").split()
    check_equal(peers, ["203.0.113.7", "2001:db8::42"], "peers audited")


@tap.test("two clients behind one balancer are throttled apart: 5 failures from one proxied address do not refuse the other's account")
def _():
    s = srv()
    with s.admin() as a:
        u = kctest.create_user(a, "province_officer")
    for i in range(5):
        with ProxiedClient(s, header_v4("198.51.100.1")) as c:
            c.error("auth.login", {"username": u["username"], "password": "bad-%d" % i},
                    kctest.NOT_LOGGED_IN)
    with ProxiedClient(s, header_v4("198.51.100.1")) as c:
        c.error("auth.login", {"username": u["username"], "password": u["password"]},
                kctest.TOO_MANY)
    # after the account delay, another client of the same balancer gets in
    s.sql("UPDATE login_failures SET at = at - interval '61 seconds' WHERE username = '%s'"
          % u["username"])
    with ProxiedClient(s, header_v4("198.51.100.2")) as c:
        c.result("auth.login", {"username": u["username"], "password": u["password"]})


@tap.test("a LOCAL header (the balancer's health check) keeps the balancer's address")
def _():
    s = srv()
    local = SIG + bytes([0x20, 0x00]) + struct.pack(">H", 0)
    with ProxiedClient(s, local) as c:
        c.error("auth.login", {"username": "ghost-local", "password": "whatever-pw"},
                kctest.NOT_LOGGED_IN)
    check_equal(failure_peers("ghost-local"), [BALANCER], "balancer's own address")


@tap.test("from an untrusted address a PROXY header is not honoured: the TLS handshake fails, nothing counted")
def _():
    s = srv()
    source = kctest.next_peer()
    try:
        with ProxiedClient(s, header_v4("203.0.113.99"), source=source) as c:
            c.call("auth.login", {"username": "ghost-spoof", "password": "whatever-pw"})
        raise AssertionError("a forged PROXY header from %s was accepted" % source)
    except (ssl.SSLError, OSError, kctest.Closed):
        pass
    check_equal(failure_peers("ghost-spoof"), [], "nothing counted")


@tap.test("a trusted balancer sending garbage instead of a header: the connection is closed, the server goes on")
def _():
    s = srv()
    with socket.create_connection(("127.0.0.1", s.port), timeout=5,
                                  source_address=(BALANCER, 0)) as raw:
        raw.sendall(b"GET / HTTP/1.0\r\n\r\n")
        raw.settimeout(5)
        try:
            data = raw.recv(100)
        except ConnectionResetError:
            data = b""
        check_equal(data, b"", "closed without an answer")
    with kctest.Client(s, source=kctest.next_peer()) as c:
        check_equal(c.result("server.info")["name"], "kc-server", "server.info")


tap.run()
