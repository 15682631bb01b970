#!/usr/bin/env python3
"""kc-server speaks systemd's notification protocol (Type=notify in
deploy/kc-server.service): READY=1 once it accepts TLS, RELOADING=1 then
READY=1 around a SIGHUP that reads the certificate again (and also when the
new one does not load), STOPPING=1 when SIGTERM starts the drain. The test
plays the service manager: it binds the datagram socket named in
NOTIFY_SOCKET, as systemd does, and reads what kc-server sends."""

import os
import signal
import socket
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "integration"))
import kctest  # noqa: E402
from kctest import check, check_equal, scaled  # noqa: E402

tap = kctest.Tap()
S = {}


class Manager:
    """The service manager's end: a SOCK_DGRAM socket at a path or, for
    "@name", in the abstract namespace."""

    def __init__(self, address):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(address if not address.startswith("@") else "\0" + address[1:])
        self.address = address

    def receive(self, timeout=None):
        """The next notification as a dict of its VAR=value lines."""
        self.sock.settimeout(timeout or scaled(30))
        data = self.sock.recv(4096).decode()
        return dict(line.split("=", 1) for line in data.split("\n") if "=" in line)

    def close(self):
        self.sock.close()


def start_with_manager(address):
    s = kctest.Server(start=False)
    m = Manager(address if address.startswith("@") else os.path.join(s.dir, address))
    os.environ["NOTIFY_SOCKET"] = m.address
    try:
        s.start(wait=False)
    finally:
        del os.environ["NOTIFY_SOCKET"]
    return s, m


@tap.test("READY=1 comes once kc-server accepts TLS, with its address in STATUS")
def _():
    s, m = start_with_manager("notify")
    S["s"], S["m"] = s, m
    msg = m.receive()
    check_equal(msg.get("READY"), "1", "READY")
    check_equal(msg.get("STATUS"), "serving on 127.0.0.1 port %d" % s.port, "STATUS")
    # Ready means serving: the very first connection after READY=1 works.
    with s.client() as c:
        check_equal(c.result("server.info")["name"], "kc-server", "server.info after READY")


@tap.test("SIGHUP: RELOADING=1, then READY=1 once the new certificate is served")
def _():
    s, m = S["s"], S["m"]
    old_der = kctest.cert_der(s.cert)
    kctest.make_server_cert(s.dir, s.cert, s.key)
    new_der = kctest.cert_der(s.cert)
    check(new_der != old_der, "the new certificate is the same")
    s.signal(signal.SIGHUP)
    msg = m.receive()
    check_equal(msg.get("RELOADING"), "1", "RELOADING")
    check(msg.get("MONOTONIC_USEC", "").isdigit(), "MONOTONIC_USEC", msg)
    msg = m.receive()
    check_equal(msg.get("READY"), "1", "READY after the reload")
    check_equal(msg.get("STATUS"), "serving (certificate reloaded)", "STATUS")
    # No waiting: once READY=1 has come, the new certificate is the one served.
    _, _, der = kctest.tls_handshake(s.port, s.client_context())
    check(der == new_der, "the certificate served after READY=1 is not the new one")


@tap.test("SIGHUP with a key that does not load: RELOADING=1, READY=1, old certificate kept")
def _():
    s, m = S["s"], S["m"]
    served = kctest.cert_der(s.cert)
    with open(s.key, "w") as f:
        f.write("not a key\n")
    s.signal(signal.SIGHUP)
    check_equal(m.receive().get("RELOADING"), "1", "RELOADING")
    msg = m.receive()
    check_equal(msg.get("READY"), "1", "READY after the failed reload")
    check(msg.get("STATUS", "").startswith("serving (reload failed"), "STATUS", msg)
    _, _, der = kctest.tls_handshake(s.port, s.client_context())
    check(der == served, "the certificate served changed after a failed reload")
    check(s.running(), "kc-server died on SIGHUP", s.log_tail())


@tap.test("SIGTERM: STOPPING=1, then exit 0")
def _():
    s, m = S["s"], S["m"]
    s.signal(signal.SIGTERM)
    check_equal(m.receive().get("STOPPING"), "1", "STOPPING")
    check_equal(s.wait_exit(scaled(30)), 0, "exit status")
    m.close()


@tap.test("an abstract NOTIFY_SOCKET (@name) gets READY=1 too")
def _():
    s, m = start_with_manager("@kc-notify-test-%d" % os.getpid())
    try:
        check_equal(m.receive().get("READY"), "1", "READY")
    finally:
        s.stop()
        m.close()


@tap.test("stderr is the journal (JOURNAL_STREAM names it): each line starts with its priority")
def _():
    s = kctest.Server(start=False)
    # Make the log file exist, so that its device and inode are the stream's.
    open(s.log_path, "ab").close()
    st = os.stat(s.log_path)
    os.environ["JOURNAL_STREAM"] = "%d:%d" % (st.st_dev, st.st_ino)
    try:
        s.start()
    finally:
        del os.environ["JOURNAL_STREAM"]
    with s.client() as c:
        c.error("auth.login", {"username": "nobody", "password": "wrong-password-1"})
    s.stop()
    # (valgrind's own lines, "==pid== …", when run under it, are not ours)
    lines = [l for l in s.log_text().splitlines() if l and not l.startswith("==")]
    check(any(l.startswith("<6>") and "kc-server listening" in l for l in lines),
          "no <6> (info) line for listening", s.log_tail())
    check(all(l[:3] in ("<7>", "<6>", "<4>", "<3>") for l in lines),
          "a line without a priority", s.log_tail())


@tap.test("without NOTIFY_SOCKET nor JOURNAL_STREAM the server starts and logs as before")
def _():
    s = kctest.Server()
    with s.client() as c:
        check_equal(c.result("server.info")["name"], "kc-server", "server.info")
    s.stop()
    check(all(l[:2] == "20" for l in s.log_text().splitlines() if l and not l.startswith("==")),
          "a line does not start with its time", s.log_tail())


tap.add_cleanup(kctest.cleanup_all)
tap.run()
