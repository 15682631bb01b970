#!/usr/bin/env python3
"""Transport, TLS policy, framing and the JSON-RPC envelope of kc-server
(PROTOCOL.md "Transport", "Framing", "Envelope", "Error codes"), against
the real daemon over TLS on loopback."""

import json
import os
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kctest  # noqa: E402
from kctest import check, check_equal, scaled  # noqa: E402

tap = kctest.Tap()
S = {}  # servers, created by the first tests that need them


def main_server():
    if "main" not in S:
        S["main"] = kctest.Server(server={"max_message_bytes": "1M"})
    return S["main"]


def timeouts_server():
    if "timeouts" not in S:
        S["timeouts"] = kctest.Server(server={"handshake_timeout": 2, "line_timeout": 2,
                                              "login_timeout": 3})
    return S["timeouts"]


def rsa_server():
    if "rsa" not in S:
        srv = kctest.Server(start=False)
        kctest.make_server_cert(srv.dir, srv.cert, srv.key, key_type="rsa")
        srv.start()
        S["rsa"] = srv
    return S["rsa"]


def admin():
    if "admin" not in S:
        S["admin"] = main_server().admin()
    return S["admin"]


def assert_usable(client):
    """The connection still answers a normal request."""
    info = client.result("server.info")
    check_equal(info.get("name"), "kc-server", "server.info name after the error")


def client_ctx(server, min_version=None, max_version=None, ciphers=None):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.load_verify_locations(server.ca)
    if ciphers:
        ctx.set_ciphers(ciphers)
    if min_version:
        ctx.minimum_version = min_version
    if max_version:
        ctx.maximum_version = max_version
    return ctx


def refused_with_control(server, ctx, expect_version, reason_words):
    """ctx must handshake with a permissive control server using the same
    certificate (so the client really offers it), and must be refused by
    kc-server in the handshake with an alert naming one of reason_words."""
    control = kctest.ControlServer(server.cert, server.key, min_version=ssl.TLSVersion.MINIMUM_SUPPORTED,
                                   ciphers="ALL:@SECLEVEL=0")
    try:
        version, cipher, _ = kctest.tls_handshake(control.port, ctx)
    except (OSError, ssl.SSLError) as e:
        raise AssertionError("control handshake failed: this client cannot negotiate it (%s)" % e)
    finally:
        control.close()
    check_equal(version, expect_version, "control handshake version")
    try:
        version, cipher, _ = kctest.tls_handshake(server.port, ctx)
    except ssl.SSLError as e:
        text = "%s %s" % (e.reason, e)
        check(any(w.lower() in text.lower() for w in reason_words),
              "refused, but not with the expected alert (%s): %s" % (reason_words, text))
        return text
    raise AssertionError("kc-server accepted %s with %s" % (version, cipher))


# ---------------------------------------------------------------------------

@tap.test("server.info before login: {name, version, protocol}")
def _():
    with main_server().client() as c:
        r = c.call("server.info", {})
        check_equal(r.get("jsonrpc"), "2.0", "jsonrpc")
        check_equal(r.get("id"), 1, "id")
        info = r.get("result")
        check(isinstance(info, dict), "no result", r)
        check_equal(info.get("name"), "kc-server", "name")
        check(isinstance(info.get("version"), str) and info["version"], "version", info)
        check(isinstance(info.get("protocol"), int) and info["protocol"] >= 1, "protocol", info)
        # server.info without params at all works too
        check_equal(c.result("server.info"), info, "server.info without params")


@tap.test("plain TCP client gets no JSON answer and is disconnected")
def _():
    srv = main_server()
    with socket.create_connection(("127.0.0.1", srv.port), timeout=scaled(10)) as s:
        s.sendall(b'{"jsonrpc":"2.0","id":1,"method":"server.info"}\n')
        received = b""
        deadline = time.monotonic() + scaled(10)
        closed = False
        while time.monotonic() < deadline:
            try:
                data = s.recv(4096)
            except ConnectionResetError:
                closed = True
                break
            except socket.timeout:
                break
            if not data:
                closed = True
                break
            received += data
        check(b"jsonrpc" not in received and b"kc-server" not in received,
              "the server answered a plain-TCP request in clear: %r" % received[:200])
        check(closed, "the plain-TCP connection was not closed (got %r)" % received[:200])
    # and the server is fine
    with srv.client() as c:
        assert_usable(c)


@tap.test("TLS 1.1 client is refused in the handshake (protocol_version alert)")
def _():
    srv = main_server()
    try:
        ctx = client_ctx(srv, ssl.TLSVersion.TLSv1_1, ssl.TLSVersion.TLSv1_1,
                         "DEFAULT:@SECLEVEL=0")
        usable = True
    except (ssl.SSLError, ValueError):
        usable = False
    if usable:
        try:
            refused_with_control(srv, ctx, "TLSv1.1", ["PROTOCOL_VERSION", "protocol version"])
            return
        except AssertionError as e:
            if "control handshake" not in str(e):
                raise
    kctest.Tap.diag("python's ssl cannot offer TLS 1.1 here; using openssl s_client")
    # Fallback: openssl s_client. Refused with a protocol_version alert,
    # while the same command with -tls1_2 gets through.

    def s_client(*flags):
        return subprocess.run(["openssl", "s_client", "-connect", "127.0.0.1:%d" % srv.port,
                               "-servername", "localhost", "-CAfile", srv.ca] + list(flags),
                              input="", capture_output=True, text=True, timeout=30)
    old = s_client("-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0")
    check(old.returncode != 0, "openssl s_client -tls1_1 succeeded", old.stdout[-500:])
    check("protocol version" in (old.stdout + old.stderr).lower(),
          "no protocol version alert", old.stderr[-800:])
    new = s_client("-tls1_2")
    check(new.returncode == 0, "openssl s_client -tls1_2 failed", new.stderr[-800:])


@tap.test("TLS 1.2 with ECDHE + AES-GCM is accepted (same code path as the refusals)")
def _():
    srv = main_server()
    ctx = client_ctx(srv, ssl.TLSVersion.TLSv1_2, ssl.TLSVersion.TLSv1_2,
                     "ECDHE-ECDSA-AES128-GCM-SHA256")
    version, cipher, _ = kctest.tls_handshake(srv.port, ctx)
    check_equal(version, "TLSv1.2", "version")
    check_equal(cipher, "ECDHE-ECDSA-AES128-GCM-SHA256", "cipher")
    with kctest.Client(srv, context=ctx) as c:
        assert_usable(c)


@tap.test("TLS 1.2 with a CBC cipher (ECDHE-ECDSA-AES128-SHA) is refused")
def _():
    srv = main_server()
    ctx = client_ctx(srv, ssl.TLSVersion.TLSv1_2, ssl.TLSVersion.TLSv1_2,
                     "ECDHE-ECDSA-AES128-SHA:@SECLEVEL=0")
    refused_with_control(srv, ctx, "TLSv1.2", ["HANDSHAKE_FAILURE", "handshake failure",
                                                "NO_SHARED_CIPHER", "INSUFFICIENT_SECURITY"])


@tap.test("RSA certificate: TLS 1.2 non-ECDHE (AES128-GCM-SHA256) and CBC (ECDHE-RSA-AES128-SHA) refused, ECDHE-RSA-AES128-GCM accepted")
def _():
    srv = rsa_server()
    for cipher in ("AES128-GCM-SHA256", "ECDHE-RSA-AES128-SHA"):
        ctx = client_ctx(srv, ssl.TLSVersion.TLSv1_2, ssl.TLSVersion.TLSv1_2,
                         cipher + ":@SECLEVEL=0")
        refused_with_control(srv, ctx, "TLSv1.2", ["HANDSHAKE_FAILURE", "handshake failure",
                                                    "NO_SHARED_CIPHER", "INSUFFICIENT_SECURITY"])
    ctx = client_ctx(srv, ssl.TLSVersion.TLSv1_2, ssl.TLSVersion.TLSv1_2,
                     "ECDHE-RSA-AES128-GCM-SHA256")
    version, cipher, _ = kctest.tls_handshake(srv.port, ctx)
    check_equal((version, cipher), ("TLSv1.2", "ECDHE-RSA-AES128-GCM-SHA256"), "accepted suite")


@tap.test("TLS 1.3 works and is preferred; no compression")
def _():
    srv = main_server()
    with srv.client() as c:  # default context: offers 1.2 and 1.3
        check_equal(c.sock.version(), "TLSv1.3", "negotiated version")
        check(c.sock.compression() is None, "TLS compression in use: %s" % c.sock.compression())
        assert_usable(c)


@tap.test("invalid JSON: -32700 with id null, connection stays usable")
def _():
    with main_server().client() as c:
        c.send_raw(b'{"jsonrpc":"2.0","id":5,"method":"server.info",\n')
        m = c.read_message()
        check(m.get("error", {}).get("code") == kctest.PARSE_ERROR, "not -32700", m)
        check("id" in m and m["id"] is None, "id is not null", m)
        check(isinstance(m["error"].get("message"), str) and m["error"]["message"], "no message", m)
        c.send_raw(b"{]\n")
        m = c.read_message()
        check_equal(m.get("error", {}).get("code"), kctest.PARSE_ERROR, "second bad line")
        assert_usable(c)


@tap.test("invalid UTF-8: -32700, connection stays usable")
def _():
    with main_server().client() as c:
        c.send_raw(b'{"jsonrpc":"2.0","id":6,"method":"server.info","params":{"x":"\xff\xfe"}}\n')
        m = c.read_message()
        check(m.get("error", {}).get("code") == kctest.PARSE_ERROR, "not -32700", m)
        c.send_raw(b'{"jsonrpc":"2.0","id":7,"method":"server.info","params":{"x":"\xc0\xaf"}}\n')
        m = c.read_message()
        check(m.get("error", {}).get("code") == kctest.PARSE_ERROR, "overlong form not -32700", m)
        assert_usable(c)


@tap.test("batch array: -32600")
def _():
    with main_server().client() as c:
        c.send_raw(b'[{"jsonrpc":"2.0","id":1,"method":"server.info"},'
                   b'{"jsonrpc":"2.0","id":2,"method":"server.info"}]\n')
        m = c.read_message()
        check(m.get("error", {}).get("code") == kctest.INVALID_REQUEST, "not -32600", m)
        check("result" not in m, "a batch was served", m)
        assert_usable(c)


@tap.test("missing or wrong jsonrpc member: -32600")
def _():
    with main_server().client() as c:
        for line in (b'{"id":8,"method":"server.info"}\n',
                     b'{"jsonrpc":"1.0","id":8,"method":"server.info"}\n',
                     b'{"jsonrpc":2.0,"id":8,"method":"server.info"}\n'):
            c.send_raw(line)
            m = c.read_message()
            check(m.get("error", {}).get("code") == kctest.INVALID_REQUEST, "not -32600 for %r" % line, m)
            check(m.get("id") in (8, None), "id neither echoed nor null", m)
        c.send_raw(b'{"jsonrpc":"2.0","id":9}\n')
        m = c.read_message()
        check(m.get("error", {}).get("code") == kctest.INVALID_REQUEST, "missing method not -32600", m)
        assert_usable(c)


@tap.test("unknown method: -32601 with the request's id")
def _():
    with main_server().client() as c:
        for method in ("no.such_method", "auth.Login", ""):
            m = c.call(method, {})
            check(m.get("error", {}).get("code") == kctest.METHOD_NOT_FOUND,
                  "not -32601 for %r" % method, m)
        # a string id is echoed as a string
        c.request("nope.nope", {}, id="abc")
        m = c.response("abc")
        check_equal(m.get("id"), "abc", "string id echoed")


@tap.test("params of the wrong type: -32602 with data.fields naming the field")
def _():
    with main_server().client() as c:
        e = c.error("auth.login", {"username": 5, "password": "x" * 12}, kctest.INVALID_PARAMS)
        check("username" in kctest.field_names(e), "username not named", e)
        check(all(isinstance(f.get("message"), str) for f in e["data"]["fields"]), "field message", e)
        e = c.error("auth.login", {"username": "admin", "password": ["x"]}, kctest.INVALID_PARAMS)
        check("password" in kctest.field_names(e), "password not named", e)
        e = c.error("auth.login", {"username": "admin"}, kctest.INVALID_PARAMS)
        check("password" in kctest.field_names(e), "missing password not named", e)
        # params must be an object
        c.send_raw(b'{"jsonrpc":"2.0","id":77,"method":"server.info","params":[1]}\n')
        m = c.read_message()
        check(m.get("error", {}).get("code") == kctest.INVALID_PARAMS, "array params", m)
        assert_usable(c)


@tap.test("unknown parameter: -32602 naming it")
def _():
    with main_server().client() as c:
        e = c.error("server.info", {"verbose": True}, kctest.INVALID_PARAMS)
        check_equal(kctest.field_names(e), ["verbose"], "fields")
    a = admin()
    e = a.error("org.list", {"limit": 5, "colour": "red"}, kctest.INVALID_PARAMS)
    check("colour" in kctest.field_names(e), "colour not named", e)


@tap.test("a line over 64 KiB before login: one -32600 (id null, says the limit), then closed")
def _():
    srv = main_server()
    with srv.client() as c:
        # Just under the anonymous limit is still served...
        pad = "x" * (60 * 1024)
        c.send_raw(('{"jsonrpc":"2.0","id":1,"method":"server.info","params":{"pad":"%s"}}\n'
                    % pad).encode())
        m = c.read_message()
        check(m.get("error", {}).get("code") == kctest.INVALID_PARAMS, "60 KiB line not served", m)
        # ...one byte more than the limit is not (no newline: the server can
        # refuse before the end, and reads everything we sent).
        c.send_raw(b"{" + b" " * (64 * 1024))
        messages = c.wait_closed(scaled(10))
    check_equal(len(messages), 1, "number of messages before the close (%r)" % messages)
    m = messages[0]
    check(m.get("error", {}).get("code") == kctest.INVALID_REQUEST, "not -32600", m)
    check("id" in m and m["id"] is None, "id not null", m)
    check("65536" in m["error"].get("message", "") or "64 KiB" in m["error"].get("message", ""),
          "message does not say the limit", m)


@tap.test("after login: a 100 KiB line is served, a line over max_message_bytes=1M gets -32600 and the close")
def _():
    srv = main_server()
    with srv.admin() as c:
        pad = "y" * (100 * 1024)
        c.send_raw(('{"jsonrpc":"2.0","id":41,"method":"org.list","params":{"pad":"%s"}}\n'
                    % pad).encode())
        m = c.read_message()
        check(m.get("id") == 41 and m.get("error", {}).get("code") == kctest.INVALID_PARAMS,
              "100 KiB line after login not served", m)
        c.send_raw(b"{" + b" " * (1024 * 1024))
        messages = c.wait_closed(scaled(15))
    check_equal(len(messages), 1, "number of messages before the close (%r)" % messages)
    m = messages[0]
    check(m.get("error", {}).get("code") == kctest.INVALID_REQUEST and m.get("id", 0) is None,
          "not -32600 with id null", m)
    check("1048576" in m["error"].get("message", "") or "1 MiB" in m["error"].get("message", ""),
          "message does not say the limit", m)


@tap.test("blank lines are ignored")
def _():
    with main_server().client() as c:
        c.send_raw(b'\n\r\n   \n\t\n{"jsonrpc":"2.0","id":11,"method":"server.info"}\n\n')
        m = c.read_message()
        check(m.get("id") == 11 and "result" in m, "first message is not the reply to id 11", m)
        c.send_raw(b'{"jsonrpc":"2.0","id":12,"method":"server.info"}\r\n')
        m = c.read_message()
        check(m.get("id") == 12 and "result" in m, "CRLF line not served", m)
        check(c.is_open(0.5), "connection closed after blank lines")
        assert_usable(c)


@tap.test("requests pipelined in one write are answered in order")
def _():
    a = admin()
    ids = list(range(101, 113))
    methods = ["server.info", "org.list", "auth.whoami", "org.list", "no.such", "server.info",
               "user.list", "auth.whoami", "org.list", "server.info", "audit.list", "server.info"]
    lines = b""
    for i, method in zip(ids, methods):
        params = {"limit": 2} if method in ("org.list", "user.list", "audit.list") else {}
        lines += json.dumps({"jsonrpc": "2.0", "id": i, "method": method,
                             "params": params}).encode() + b"\n"
    a.send_raw(lines)
    got = []
    for _ in ids:
        m = a.read_message()
        got.append(m.get("id"))
        if m.get("id") == 105:
            check(m.get("error", {}).get("code") == kctest.METHOD_NOT_FOUND, "id 105", m)
        else:
            check("result" in m, "pipelined call failed", m)
    check_equal(got, ids, "order of the replies")


@tap.test("SQL-injection strings simply fail login with 1001; the users table still works")
def _():
    srv = main_server()
    peer = kctest.next_peer()
    with srv.client(source=peer) as c:
        for username, password in (("admin' OR '1'='1", "x' OR '1'='1"),
                                   ("'; DROP TABLE users; --", "irrelevant-password"),
                                   ("admin", "' OR 1=1; --")):
            e = c.error("auth.login", {"username": username, "password": password},
                        kctest.NOT_LOGGED_IN)
            check("token" not in json.dumps(e), "token in the error", e)
        c.error("org.list", {}, kctest.NOT_LOGGED_IN)
    count = srv.sql("SELECT count(*) FROM users").strip()
    check(count.isdigit() and int(count) >= 1, "users table gone? %r" % count)
    users = admin().result("user.list", {"limit": 10})
    check(any(u["username"] == "admin" for u in users["items"]), "admin missing", users)
    with srv.admin() as c2:
        assert_usable(c2)


@tap.test("huge numbers in params (2^63, -2^63-1, 1e400) do not crash; the connection stays usable")
def _():
    srv = main_server()
    a = admin()
    for text in (b"9223372036854775808", b"-9223372036854775809", b"1e400",
                 b"123456789012345678901234567890"):
        a.send_raw(b'{"jsonrpc":"2.0","id":51,"method":"user.get","params":{"id":' + text + b"}}\n")
        m = a.read_message()
        check("error" in m and m["error"].get("code") in (kctest.INVALID_PARAMS, kctest.PARSE_ERROR),
              "huge number %s not refused" % text.decode(), m)
        assert_usable(a)
    # the largest int64 is in range: no such user
    a.error("user.get", {"id": 9223372036854775807}, kctest.NOT_FOUND)
    check(srv.running(), "kc-server died", srv.log_tail())


@tap.test("huge numbers in params (2^63, 1e400) get -32602 with the request's id")
def _():
    a = admin()
    for text in (b"9223372036854775808", b"1e400"):
        a.send_raw(b'{"jsonrpc":"2.0","id":52,"method":"user.get","params":{"id":' + text + b"}}\n")
        m = a.read_message()
        check(m.get("error", {}).get("code") == kctest.INVALID_PARAMS and m.get("id") == 52,
              "expected -32602 for id 52 (%s)" % text.decode(), m)
        check("id" in kctest.field_names(m["error"]), "field id not named", m)


@tap.test("a notification (no id) gets no reply")
def _():
    with main_server().client() as c:
        c.send_raw(b'{"jsonrpc":"2.0","method":"server.info"}\n'
                   b'{"jsonrpc":"2.0","method":"no.such_method"}\n'
                   b'{"jsonrpc":"2.0","method":"org.list","params":{}}\n'
                   b'{"jsonrpc":"2.0","method":"server.info","params":{"bad":1}}\n'
                   b'{"jsonrpc":"2.0","method":"server.info","params":[1]}\n'
                   b'{"jsonrpc":"2.0","id":61,"method":"server.info"}\n')
        m = c.read_message()
        check(m.get("id") == 61 and "result" in m, "the first message is not the reply to id 61", m)
        try:
            extra = c.read_message(0.5)
        except socket.timeout:
            extra = None
        check(extra is None, "unexpected message", extra)


@tap.test("handshake timeout: a TCP connection that never starts TLS is closed (handshake_timeout=2)")
def _():
    srv = timeouts_server()
    with socket.create_connection(("127.0.0.1", srv.port), timeout=scaled(10)) as s:
        t0 = time.monotonic()
        try:
            data = s.recv(100)
        except ConnectionResetError:
            data = b""
        except socket.timeout:
            raise AssertionError("still open after %.1f s" % scaled(10))
        elapsed = time.monotonic() - t0
    check_equal(data, b"", "data received")
    check(1.5 <= elapsed <= scaled(6), "closed after %.2f s, expected about 2-4 s" % elapsed)


@tap.test("line timeout: an unfinished line gets -32600 (id null) and the close (line_timeout=2)")
def _():
    srv = timeouts_server()
    with srv.admin() as c:  # logged in: the login timeout does not apply
        c.send_raw(b'{"jsonrpc":"2.0","id":1,"method":"serv')
        t0 = time.monotonic()
        messages = c.wait_closed(scaled(8))
        elapsed = time.monotonic() - t0
    check(1.5 <= elapsed <= scaled(6), "closed after %.2f s, expected about 2-4 s" % elapsed)
    check(len(messages) >= 1, "no error before the close")
    m = messages[-1]
    check(m.get("error", {}).get("code") == kctest.INVALID_REQUEST and m.get("id", 0) is None,
          "last message is not -32600 with id null", messages)


@tap.test("login timeout: a TLS connection that never logs in gets an error, then the close (login_timeout=3)")
def _():
    srv = timeouts_server()
    t0 = time.monotonic()
    with srv.client() as c:
        assert_usable(c)  # server.info does not count as a login
        messages = c.wait_closed(scaled(10))
        elapsed = time.monotonic() - t0
    check(2.5 <= elapsed <= scaled(7), "closed after %.2f s, expected about 3-5 s" % elapsed)
    check_equal(len(messages), 1, "messages before the close (%r)" % messages)
    m = messages[0]
    check("error" in m and m.get("id", 0) is None, "not an error with id null", m)
    check(m["error"].get("code") in (kctest.NOT_LOGGED_IN, kctest.INVALID_REQUEST),
          "unexpected code", m)


@tap.test("200 idle TLS connections and 50 stalled handshakes do not slow down another client (< 1 s)")
def _():
    srv = main_server()
    idle = []
    stalled = []
    try:
        for _ in range(200):
            idle.append(srv.client())
        for _ in range(50):
            stalled.append(socket.create_connection(("127.0.0.1", srv.port), timeout=5))
        # a fragment of a ClientHello on some of the stalled ones
        for s in stalled[:25]:
            s.sendall(b"\x16\x03\x01\x02\x00\x01")
        t0 = time.monotonic()
        with srv.client() as c:
            info = c.result("server.info")
        elapsed = time.monotonic() - t0
        check_equal(info.get("name"), "kc-server", "name")
        check(elapsed < scaled(1.0), "connect + handshake + server.info took %.2f s" % elapsed)
        # the idle ones are still served
        for c in (idle[0], idle[99], idle[-1]):
            assert_usable(c)
    finally:
        for c in idle:
            c.close()
        for s in stalled:
            s.close()


@tap.test("responses are compact JSON (one line, no insignificant whitespace)")
def _():
    a = admin()
    for method, params in (("server.info", {}), ("auth.whoami", {}), ("org.list", {"limit": 3}),
                           ("user.list", {"limit": 3}), ("audit.list", {"limit": 3})):
        m = a.call(method, params)
        check("result" in m, "%s failed" % method, m)
        raw = a.last_line
        compact = json.dumps(m, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
        check(raw == compact, "%s reply is not compact" % method, raw[:300].decode("utf-8", "replace"))


@tap.test("kc-cli talks to the server: info, login, call org.list, logout")
def _():
    if not os.access(kctest.KC_CLI, os.X_OK):
        raise kctest.SkipTest("kc-cli not built")
    srv = main_server()
    state = tempfile.mkdtemp(prefix="kcit-cli-")
    env = dict(os.environ, XDG_STATE_HOME=state, HOME=state)
    env.pop("KC_SERVER", None)  # kc-cli reads $KC_SERVER as HOST:PORT
    env.pop("KC_CA", None)
    base = [kctest.KC_CLI, "--server", "127.0.0.1:%d" % srv.port, "--ca", srv.ca,
            "--timeout", "30"]

    def cli(*args, stdin=None):
        return subprocess.run(base + list(args), input=stdin, capture_output=True, text=True,
                              env=env, timeout=60)
    tap.add_cleanup(lambda: shutil.rmtree(state, ignore_errors=True))
    p = cli("info")
    check(p.returncode == 0 and "kc-server" in p.stdout, "kc-cli info", p.stdout, p.stderr)
    p = cli("login", "admin", stdin=srv.admin_password + "\n")
    check(p.returncode == 0, "kc-cli login", p.stdout, p.stderr)
    p = cli("call", "org.list", '{"limit": 2}')
    check(p.returncode == 0, "kc-cli call org.list", p.stdout, p.stderr)
    check("BCT" in p.stdout, "org.list output", p.stdout)
    p = cli("call", "user.get", '{"id": 999999}')
    check_equal(p.returncode, 1, "exit status of a call answered with an error")
    p = cli("logout")
    check(p.returncode == 0, "kc-cli logout", p.stdout, p.stderr)


@tap.test("every server exits 0 on SIGTERM (no leaks or errors under a wrapper)")
def _():
    if "admin" in S:
        S["admin"].close()
    problems = []
    for name in ("main", "timeouts", "rsa"):
        if name in S:
            try:
                S[name].stop()
            except AssertionError as e:
                problems.append("%s: %s" % (name, e))
    check(not problems, "\n".join(problems))


tap.run()
