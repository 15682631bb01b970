"""kctest — harness of kc-server's integration tests.

Everything here talks to real parts: a real PostgreSQL cluster (given by
scripts/test through KC_TEST_PG*), the real kc-server binary (KC_SERVER)
and TLS over loopback. Nothing is mocked.

A test file builds a Tap, registers tests with @tap.test(...) in the order
they must run, and ends with tap.run(): it prints TAP (meson's protocol
'tap') and exits non-zero if a test that is not marked TODO failed.

    tap = kctest.Tap()

    @tap.test("server.info before login")
    def _():
        with kctest.Client(SERVER) as c:
            kctest.check(c.result("server.info")["name"] == "kc-server")

    tap.run()

Environment (scripts/test and meson set it):
  KC_TEST_PGHOST, KC_TEST_PGPORT, KC_TEST_PGUSER  the cluster (superuser, trust)
  KC_TEST_PGCTL, KC_TEST_PGCLUSTER                 `$KC_TEST_PGCTL restart|stop|start DIR`
  KC_SERVER        the kc-server binary
  KC_CLI           the kc-cli binary (optional)
  KC_SOURCE_ROOT   the source tree (common-passwords.txt, tests/support)
  KC_SERVER_WRAPPER  optional command prefix for the daemon, e.g. valgrind
  KC_TEST_TIME_FACTOR  optional multiplier of every wait (default 1, 10 under
                   a wrapper)
Without the PostgreSQL variables every file prints "1..0 # SKIP" and exits 0.
"""

import glob
import itertools
import json
import os
import secrets
import shlex
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import warnings

warnings.simplefilter("ignore", DeprecationWarning)  # ssl.TLSVersion.TLSv1_1 & co.

ENV = os.environ
PGHOST = ENV.get("KC_TEST_PGHOST")
PGPORT = ENV.get("KC_TEST_PGPORT")
PGUSER = ENV.get("KC_TEST_PGUSER", "postgres")
PGCTL = ENV.get("KC_TEST_PGCTL")
PGCLUSTER = ENV.get("KC_TEST_PGCLUSTER")
HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_ROOT = ENV.get("KC_SOURCE_ROOT") or os.path.normpath(os.path.join(HERE, "..", ".."))
KC_SERVER = ENV.get("KC_SERVER") or os.path.join(SOURCE_ROOT, "build", "server", "kc-server")
KC_CLI = ENV.get("KC_CLI") or os.path.join(SOURCE_ROOT, "build", "cli", "kc-cli")
WRAPPER = shlex.split(ENV.get("KC_SERVER_WRAPPER", ""))
TIME_FACTOR = float(ENV.get("KC_TEST_TIME_FACTOR") or (10 if WRAPPER else 1))
UNDER_WRAPPER = bool(WRAPPER)
# A file every line the tests send is appended to (tests/fuzz/seed-params
# picks the fuzzing seeds from it).
RECORD = ENV.get("KC_TEST_RECORD")

# A password on the refused list of every test server (see Server._write_common).
COMMON_PASSWORD = "Khuyencong@2025"
ROLES = ("province_officer", "province_leader", "ministry_reviewer", "ministry_approver",
         "admin", "viewer")
# Where a user of each role belongs (34-unit map for the province side).
ROLE_ORG = {
    "province_officer": "25.TTKC",
    "province_leader": "25.SCT",
    "viewer": "25.TTKC",
    "ministry_reviewer": "BCT.CKC",
    "ministry_approver": "BCT.CKC",
    "admin": "BCT.CKC",
}

# Error codes of PROTOCOL.md
PARSE_ERROR = -32700
INVALID_REQUEST = -32600
METHOD_NOT_FOUND = -32601
INVALID_PARAMS = -32602
INTERNAL = -32603
NOT_LOGGED_IN = 1001
SESSION_EXPIRED = 1002
FORBIDDEN = 1003
NOT_FOUND = 1004
CONFLICT = 1009
RULE = 1022
TOO_MANY = 1029
UNAVAILABLE = 1050


def scaled(seconds):
    """A wait or deadline, stretched when the server runs under valgrind."""
    return seconds * TIME_FACTOR


# ---------------------------------------------------------------------------
# TAP
# ---------------------------------------------------------------------------

class SkipTest(Exception):
    pass


class Tap:
    """Registers tests in order and runs them, printing TAP version 12."""

    def __init__(self):
        self.tests = []
        self.cleanups = []

    def test(self, name, todo=None):
        """Decorator. todo: the reason a test is expected to fail (a known
        server bug); it is then reported as `# TODO` and does not fail the
        file, and meson reports an unexpected pass once it is fixed."""
        def register(fn):
            self.tests.append((name, fn, todo))
            return fn
        return register

    def add_cleanup(self, fn):
        self.cleanups.append(fn)

    @staticmethod
    def diag(text):
        for line in str(text).rstrip("\n").splitlines() or [""]:
            print("# " + line)
        sys.stdout.flush()

    def run(self):
        require_env()
        print("1..%d" % len(self.tests))
        sys.stdout.flush()
        failed = 0
        for number, (name, fn, todo) in enumerate(self.tests, 1):
            name = name.replace("#", "no.")
            started = time.monotonic()
            outcome, detail = "ok", None
            try:
                fn()
            except SkipTest as e:
                outcome, detail = "skip", str(e)
            except Exception:  # AssertionError and everything else
                outcome, detail = "fail", traceback.format_exc()
            elapsed = time.monotonic() - started
            if outcome == "skip":
                print("ok %d - %s # SKIP %s" % (number, name, detail))
            elif outcome == "ok":
                print("ok %d - %s%s" % (number, name, " # TODO " + todo if todo else ""))
            else:
                print("not ok %d - %s%s" % (number, name, " # TODO " + todo if todo else ""))
                self.diag(detail)
                if not todo:
                    failed += 1
            self.diag("%.2f s" % elapsed)
            sys.stdout.flush()
        for fn in reversed(self.cleanups):
            try:
                fn()
            except Exception:
                self.diag("cleanup failed:\n" + traceback.format_exc())
        cleanup_all()
        sys.stdout.flush()
        sys.exit(1 if failed else 0)


def require_env():
    if not (PGHOST and PGPORT):
        print("1..0 # SKIP no test PostgreSQL (run scripts/test)")
        sys.exit(0)
    if not os.access(KC_SERVER, os.X_OK):
        print("1..0 # SKIP kc-server not built (%s)" % KC_SERVER)
        sys.exit(0)


def check(condition, message="check failed", *details):
    """assert that survives python -O and shows what was seen."""
    if not condition:
        text = message
        for d in details:
            text += "\n" + (d if isinstance(d, str) else json.dumps(d, ensure_ascii=False, default=str))
        raise AssertionError(text)


def check_equal(seen, expected, what="value"):
    if seen != expected:
        raise AssertionError("%s: expected %r, got %r" % (what, expected, seen))


def eventually(fn, timeout, interval=0.1, what="condition"):
    """Calls fn until it returns a true value or timeout seconds pass;
    returns that value, or raises with the last value/exception."""
    deadline = time.monotonic() + timeout
    last = None
    while True:
        try:
            last = fn()
            if last:
                return last
        except Exception as e:  # keep the last failure for the message
            last = e
        if time.monotonic() >= deadline:
            raise AssertionError("%s not reached within %.1f s; last: %r" % (what, timeout, last))
        time.sleep(interval)


# ---------------------------------------------------------------------------
# PostgreSQL
# ---------------------------------------------------------------------------

def _pg_bin(name):
    found = shutil.which(name)
    if found:
        return found
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin/" + name), reverse=True):
        return candidate
    raise RuntimeError("%s not found (install postgresql-client)" % name)


def psql(sql, db="postgres", check_rc=True):
    """Runs sql as the cluster's superuser; returns stdout (unaligned,
    tuples only, '|' separated)."""
    cmd = [_pg_bin("psql"), "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
           "-h", PGHOST, "-p", str(PGPORT), "-U", PGUSER, "-d", db, "-c", sql]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=60,
                          env=dict(ENV, PGCONNECT_TIMEOUT="10"))
    if check_rc and proc.returncode != 0:
        raise RuntimeError("psql failed (%d): %s\n%s" % (proc.returncode, sql, proc.stderr))
    return proc.stdout


def psql_try(sql, db="postgres"):
    """Like psql() but returns (returncode, stdout, stderr) instead of raising."""
    cmd = [_pg_bin("psql"), "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
           "-h", PGHOST, "-p", str(PGPORT), "-U", PGUSER, "-d", db, "-c", sql]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=60,
                          env=dict(ENV, PGCONNECT_TIMEOUT="10"))
    return proc.returncode, proc.stdout, proc.stderr


def quote_ident(name):
    return '"' + name.replace('"', '""') + '"'


def pgctl(action):
    """`$KC_TEST_PGCTL action $KC_TEST_PGCLUSTER` (restart, stop, start)."""
    if not (PGCTL and PGCLUSTER):
        raise SkipTest("KC_TEST_PGCTL / KC_TEST_PGCLUSTER not set")
    proc = subprocess.run([PGCTL, action, PGCLUSTER], capture_output=True, text=True, timeout=120)
    if proc.returncode != 0:
        raise RuntimeError("%s %s failed (%d): %s" % (PGCTL, action, proc.returncode, proc.stderr))
    return proc.stdout


# ---------------------------------------------------------------------------
# Certificates
# ---------------------------------------------------------------------------

def _openssl(*args, cwd=None):
    proc = subprocess.run(["openssl"] + list(args), capture_output=True, text=True, cwd=cwd,
                          timeout=60)
    if proc.returncode != 0:
        raise RuntimeError("openssl %s failed: %s" % (" ".join(args), proc.stderr))
    return proc.stdout


def make_ca(directory):
    """directory/ca.pem + ca.key (ECDSA P-256)."""
    _openssl("req", "-x509", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
             "-nodes", "-keyout", os.path.join(directory, "ca.key"),
             "-out", os.path.join(directory, "ca.pem"), "-days", "30",
             "-subj", "/CN=kc integration test CA",
             "-addext", "basicConstraints=critical,CA:TRUE",
             "-addext", "keyUsage=critical,keyCertSign,cRLSign")


def make_server_cert(directory, cert_path, key_path, key_type="ec", serial=None):
    """A server certificate signed by directory/ca.pem (SAN DNS:localhost,
    IP:127.0.0.1). key_type 'ec' (P-256) or 'rsa' (2048). Returns the serial
    as an int."""
    serial = serial or secrets.randbits(63) | 1
    work = tempfile.mkdtemp(dir=directory, prefix=".cert-")
    try:
        csr = os.path.join(work, "req.csr")
        ext = os.path.join(work, "ext.cnf")
        with open(ext, "w") as f:
            f.write("subjectAltName=DNS:localhost,IP:127.0.0.1\n"
                    "basicConstraints=critical,CA:FALSE\n"
                    "keyUsage=critical,digitalSignature%s\n"
                    "extendedKeyUsage=serverAuth\n"
                    "subjectKeyIdentifier=hash\n"
                    "authorityKeyIdentifier=keyid\n" % (",keyEncipherment" if key_type == "rsa" else ""))
        newkey = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"] if key_type == "ec" \
            else ["-newkey", "rsa:2048"]
        tmp_key = os.path.join(work, "server.key")
        tmp_cert = os.path.join(work, "server.pem")
        _openssl("req", "-new", *newkey, "-nodes", "-keyout", tmp_key, "-out", csr,
                 "-subj", "/CN=localhost")
        _openssl("x509", "-req", "-in", csr, "-CA", os.path.join(directory, "ca.pem"),
                 "-CAkey", os.path.join(directory, "ca.key"), "-set_serial", str(serial),
                 "-days", "30", "-extfile", ext, "-out", tmp_cert)
        os.chmod(tmp_key, 0o600)
        # rename() so that a server reading the files never sees half of one
        os.replace(tmp_key, key_path)
        os.replace(tmp_cert, cert_path)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return serial


def make_certs(directory):
    """CA and server certificate in directory: tests/support/make-certs when
    the tree has it, else openssl here."""
    helper = os.path.join(SOURCE_ROOT, "tests", "support", "make-certs")
    if os.access(helper, os.X_OK):
        proc = subprocess.run([helper, directory], capture_output=True, text=True, timeout=120)
        if proc.returncode == 0 and all(os.path.exists(os.path.join(directory, n))
                                        for n in ("ca.pem", "ca.key", "server.pem", "server.key")):
            return
    make_ca(directory)
    make_server_cert(directory, os.path.join(directory, "server.pem"),
                     os.path.join(directory, "server.key"))


def cert_der(pem_path):
    with open(pem_path) as f:
        text = f.read()
    first = text[text.index("-----BEGIN CERTIFICATE-----"):]
    first = first[:first.index("-----END CERTIFICATE-----") + len("-----END CERTIFICATE-----")]
    return ssl.PEM_cert_to_DER_cert(first)


# ---------------------------------------------------------------------------
# kc-server
# ---------------------------------------------------------------------------

_counter = itertools.count(1)
_live_servers = []
_peer_counter = itertools.count(10)


def next_peer():
    """A loopback source address of its own (127.0.0.N): login throttling
    counts failures per peer address, so a test that makes failed logins
    uses one so as not to lock out the others."""
    n = next(_peer_counter)
    return "127.0.%d.%d" % (n // 250, n % 250 + 2)


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cleanup_all():
    for server in list(_live_servers):
        try:
            server.destroy()
        except Exception:
            Tap.diag("could not clean up server %s:\n%s" % (server.dbname, traceback.format_exc()))


class Server:
    """One kc-server with a database of its own.

    Server(server={...}, auth={...}, database={...}) overrides config keys;
    the database is created and migrated and an administrator created in
    __init__; start() runs the daemon; stop() sends SIGTERM and fails if
    the exit status is not 0 (how valgrind and ASan report leaks);
    destroy() also drops the database.
    """

    def __init__(self, server=None, auth=None, database=None, start=True, admin=True):
        self.dir = tempfile.mkdtemp(prefix="kcit-")
        self.dbname = "kcit_%d_%d_%s" % (os.getpid(), next(_counter), secrets.token_hex(3))
        self.port = free_port()
        self.proc = None
        self.log_path = os.path.join(self.dir, "server.log")
        self.cert = os.path.join(self.dir, "server.pem")
        self.key = os.path.join(self.dir, "server.key")
        self.ca = os.path.join(self.dir, "ca.pem")
        self.config_path = os.path.join(self.dir, "kc-server.conf")
        self.admin_username = "admin"
        self.admin_password = "Adm1n-" + secrets.token_hex(8)
        self._orgs = None
        self._created_db = False
        _live_servers.append(self)
        make_certs(self.dir)
        self.common_passwords = os.path.join(self.dir, "common-passwords.txt")
        self._write_common()
        self.config = {
            "server": {"listen": "127.0.0.1", "port": self.port, "cert": self.cert,
                       "key": self.key},
            "auth": {"common_passwords": self.common_passwords,
                     # Cheaper hashes than production (19 MiB, 2 passes): the
                     # code path is the same and valgrind runs stay bearable.
                     "argon2_memory_kib": 8192, "argon2_iterations": 1},
            "database": {"conninfo": "host=%s port=%s dbname=%s user=%s"
                                     % (PGHOST, PGPORT, self.dbname, PGUSER),
                         "pool_size": 4, "write_pool_size": 4},
        }
        for section, values in (("server", server), ("auth", auth), ("database", database)):
            for key, value in (values or {}).items():
                if value is None:
                    self.config[section].pop(key, None)
                else:
                    self.config[section][key] = value
        self.write_config()
        psql("CREATE DATABASE %s ENCODING 'UTF8' TEMPLATE template0" % quote_ident(self.dbname))
        self._created_db = True
        self.run_command("migrate", expect=0)
        if admin:
            self.run_command("create-admin", self.admin_username,
                             stdin=self.admin_password + "\n", expect=0)
        if start:
            self.start()

    # -- files -------------------------------------------------------------

    def _write_common(self):
        shipped = os.path.join(SOURCE_ROOT, "server", "data", "common-passwords.txt")
        lines = []
        if os.path.exists(shipped):
            with open(shipped, encoding="utf-8", errors="replace") as f:
                lines = f.read().splitlines()
        lines += [COMMON_PASSWORD, "password1234", "123456789012"]
        with open(self.common_passwords, "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")

    def write_config(self, path=None, config=None):
        config = config or self.config
        with open(path or self.config_path, "w", encoding="utf-8") as f:
            for section, values in config.items():
                f.write("[%s]\n" % section)
                for key, value in values.items():
                    f.write("%s=%s\n" % (key, value))
                f.write("\n")

    # -- one-shot commands -------------------------------------------------

    def run_command(self, *args, stdin=None, expect=None, config_path=None, timeout=120):
        """kc-server --config F ARGS...; returns CompletedProcess (text)."""
        cmd = [KC_SERVER, "--config", config_path or self.config_path] + list(args)
        proc = subprocess.run(cmd, input=stdin, capture_output=True, text=True, timeout=timeout)
        if expect is not None and proc.returncode != expect:
            raise AssertionError("%s exited %d, expected %d\nstdout: %s\nstderr: %s"
                                 % (" ".join(cmd), proc.returncode, expect, proc.stdout,
                                    proc.stderr))
        return proc

    def sql(self, statement):
        return psql(statement, db=self.dbname)

    def overdue_counts_differ(self, days, scopes=(None,)):
        """The (day, scope, kind, org_id, n) on which kc_overdue_counts (sql/0051, the
        dashboard's "late") and the rows of kc_overdue_items counted disagree, for each day
        (ISO) and scope (an org id, None: the Ministry); "" when they agree everywhere."""
        values = ", ".join("('%s'::date, %s::bigint)" % (d, "NULL" if s is None else int(s))
                           for d in sorted(set(days)) for s in scopes)
        return self.sql(
            "WITH a AS (SELECT x.d, x.s, c.kind, c.org_id, c.n FROM (VALUES %s) x (d, s),"
            " kc_overdue_counts(x.s, x.d) c),"
            " b AS (SELECT x.d, x.s, i.kind, i.org_id, count(*) AS n FROM (VALUES %s) x (d, s),"
            " kc_overdue_items(x.s, x.d) i GROUP BY 1, 2, 3, 4)"
            " SELECT concat_ws(' ', 'counts', d, s, kind, org_id, n) FROM (TABLE a EXCEPT TABLE b) y"
            " UNION ALL SELECT concat_ws(' ', 'items', d, s, kind, org_id, n) FROM (TABLE b EXCEPT TABLE a) z"
            % (values, values)).strip()

    # -- the daemon --------------------------------------------------------

    def start(self, wait=True):
        check(self.proc is None or self.proc.poll() is not None, "server already running")
        self._log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(WRAPPER + [KC_SERVER, "--config", self.config_path],
                                     stdin=subprocess.DEVNULL, stdout=self._log,
                                     stderr=subprocess.STDOUT)
        if wait:
            self.wait_ready()
        return self

    def running(self):
        return self.proc is not None and self.proc.poll() is None

    def wait_ready(self, timeout=None):
        timeout = timeout or scaled(30)
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError("kc-server exited with %d while starting\n%s"
                                     % (self.proc.returncode, self.log_tail()))
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=scaled(2)) as s:
                    ctx = self.client_context()
                    with ctx.wrap_socket(s, server_hostname="localhost"):
                        return
            except (OSError, ssl.SSLError) as e:
                last = e
                time.sleep(0.05)
        raise AssertionError("kc-server not accepting TLS on port %d after %.0f s (%r)\n%s"
                             % (self.port, timeout, last, self.log_tail()))

    def signal(self, sig):
        check(self.running(), "kc-server is not running", self.log_tail())
        self.proc.send_signal(sig)

    def stop(self, timeout=None):
        """SIGTERM, wait, and fail unless the exit status is 0."""
        if self.proc is None:
            return
        proc = self.proc
        timeout = timeout or (120 if UNDER_WRAPPER else 30)
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
        try:
            rc = proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            self.proc = None
            raise AssertionError("kc-server did not exit within %d s of SIGTERM\n%s"
                                 % (timeout, self.log_tail()))
        self.proc = None
        self._log.close()
        if rc != 0:
            raise AssertionError("kc-server exited with status %d (leaks or errors?)\n%s"
                                 % (rc, self.log_tail(60)))
        return rc

    def wait_exit(self, timeout):
        """Waits for the daemon to exit by itself; returns the status."""
        rc = self.proc.wait(timeout=timeout)
        self.proc = None
        self._log.close()
        return rc

    def kill(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.proc = None

    def destroy(self):
        """Kills the daemon if still running (no check), drops the database
        and removes the files. stop() first for a checked shutdown."""
        self.kill()
        if self._created_db:
            psql("DROP DATABASE IF EXISTS %s WITH (FORCE)" % quote_ident(self.dbname),
                 check_rc=False)
            self._created_db = False
        if os.environ.get("KC_TEST_KEEP") is None:
            shutil.rmtree(self.dir, ignore_errors=True)
        if self in _live_servers:
            _live_servers.remove(self)

    def log_text(self):
        try:
            with open(self.log_path, encoding="utf-8", errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    def log_tail(self, lines=25):
        text = self.log_text().splitlines()
        return "--- kc-server log (last %d lines) ---\n%s" % (lines, "\n".join(text[-lines:]))

    # -- clients -----------------------------------------------------------

    def client_context(self):
        return ssl.create_default_context(cafile=self.ca)

    def client(self, **kw):
        return Client(self, **kw)

    def login(self, username, password, retry_unavailable=False, **kw):
        """A Client logged in as username (fails the test otherwise)."""
        c = Client(self, **kw)
        try:
            c.login_result = c.result("auth.login", {"username": username, "password": password},
                                      retry_unavailable=retry_unavailable)
        except Exception:
            c.close()
            raise
        return c

    def admin(self, retry_unavailable=False, **kw):
        return self.login(self.admin_username, self.admin_password,
                          retry_unavailable=retry_unavailable, **kw)

    # -- organisations -----------------------------------------------------

    def orgs(self):
        """{code: org} of the orgs valid today (valid_to null), via the
        superuser (ground truth, not the server under test)."""
        if self._orgs is None:
            rows = self.sql("SELECT id, code, kind, coalesce(province_code, ''), "
                            "coalesce(valid_to::text, '') FROM orgs ORDER BY id")
            orgs = {}
            for line in rows.splitlines():
                oid, code, kind, prov, valid_to = line.split("|")
                if valid_to == "":
                    orgs[code] = {"id": int(oid), "code": code, "kind": kind,
                                  "province_code": prov or None}
            self._orgs = orgs
        return self._orgs

    def org_id(self, code):
        return self.orgs()[code]["id"]


class Closed(Exception):
    """The server closed the connection."""


class Client:
    """One TLS connection speaking line-delimited JSON-RPC.

    call() returns the whole response; event notifications that arrive in
    between are kept in .events. read_message() returns the next message,
    whatever it is."""

    def __init__(self, server=None, *, port=None, source=None, timeout=None, context=None,
                 tls=True):
        self.server = server
        self.port = port or server.port
        self.timeout = timeout or scaled(15)
        self.events = []
        self.buf = b""
        self.closed = False
        self.next_id = 1
        self.login_result = None
        self.source = source
        raw = socket.create_connection(("127.0.0.1", self.port), timeout=self.timeout,
                                       source_address=(source, 0) if source else None)
        if tls:
            ctx = context or server.client_context()
            try:
                self.sock = ctx.wrap_socket(raw, server_hostname="localhost")
            except Exception:
                raw.close()
                raise
        else:
            self.sock = raw

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass

    # -- bytes -------------------------------------------------------------

    def send_raw(self, data):
        if isinstance(data, str):
            data = data.encode("utf-8")
        if RECORD:
            with open(RECORD, "ab") as f:
                f.write(data if data.endswith(b"\n") else data + b"\n")
        self.sock.sendall(data)

    def send(self, obj):
        self.send_raw(json.dumps(obj, separators=(",", ":"), ensure_ascii=False).encode() + b"\n")

    def _recv(self, timeout):
        self.sock.settimeout(timeout)
        try:
            data = self.sock.recv(65536)
        except (ssl.SSLZeroReturnError, ssl.SSLEOFError, ConnectionResetError, BrokenPipeError):
            data = b""
        except ssl.SSLError as e:
            if "UNEXPECTED_EOF" in str(e) or "EOF" in str(e):
                data = b""
            else:
                raise
        if data == b"":
            self.closed = True
            raise Closed("connection closed by the server")
        self.buf += data

    def read_line(self, timeout=None):
        """The next line (bytes, without '\\n'); Closed on EOF; socket.timeout."""
        timeout = self.timeout if timeout is None else timeout
        deadline = time.monotonic() + timeout
        while b"\n" not in self.buf:
            left = deadline - time.monotonic()
            if left <= 0:
                raise socket.timeout("no complete line within %.1f s (have %d bytes)"
                                     % (timeout, len(self.buf)))
            self._recv(left)
        line, self.buf = self.buf.split(b"\n", 1)
        self.last_line = line
        return line

    def read_message(self, timeout=None):
        line = self.read_line(timeout)
        try:
            return json.loads(line.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as e:
            raise AssertionError("server sent a line that is not UTF-8 JSON (%s): %r"
                                 % (e, line[:300]))

    def wait_closed(self, timeout=None):
        """Reads until the server closes; returns the messages seen before.
        Fails if the connection is still open after timeout seconds."""
        timeout = self.timeout if timeout is None else timeout
        deadline = time.monotonic() + timeout
        messages = []
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError("connection still open after %.1f s (messages: %r)"
                                     % (timeout, messages))
            try:
                messages.append(self.read_message(left))
            except Closed:
                if self.buf.strip():
                    messages.append({"partial": self.buf.decode("utf-8", "replace")})
                return messages
            except socket.timeout:
                continue

    def is_open(self, wait=0.3):
        """True if nothing (no EOF) arrives within wait seconds."""
        try:
            self._recv(wait)
            return True
        except socket.timeout:
            return True
        except Closed:
            return False

    # -- JSON-RPC ----------------------------------------------------------

    def request(self, method, params=None, id=None):
        if id is None:
            id = self.next_id
            self.next_id += 1
        msg = {"jsonrpc": "2.0", "id": id, "method": method}
        if params is not None:
            msg["params"] = params
        self.send(msg)
        return id

    def response(self, id, timeout=None):
        """Reads until the response to id, keeping events aside."""
        while True:
            msg = self.read_message(timeout)
            if msg.get("method") == "event" and "id" not in msg:
                self.events.append(msg)
                continue
            if msg.get("id") != id:
                raise AssertionError("expected the response to id %r, got %s"
                                     % (id, json.dumps(msg, ensure_ascii=False)[:500]))
            return msg

    def call(self, method, params=None, timeout=None):
        return self.response(self.request(method, params), timeout)

    def call_retrying(self, method, params=None, attempts=10, pause=0.3, timeout=None):
        """call(), repeated while the answer is 1050 (which PROTOCOL.md says
        is safe to retry), at most attempts times."""
        for _ in range(attempts - 1):
            msg = self.call(method, params, timeout)
            if msg.get("error", {}).get("code") != UNAVAILABLE:
                return msg
            time.sleep(pause)
        return self.call(method, params, timeout)

    def result(self, method, params=None, timeout=None, retry_unavailable=False):
        if retry_unavailable:
            msg = self.call_retrying(method, params, timeout=timeout)
        else:
            msg = self.call(method, params, timeout)
        if "result" not in msg:
            raise AssertionError("%s %s failed: %s" % (method, json.dumps(params, ensure_ascii=False),
                                                        json.dumps(msg, ensure_ascii=False)))
        return msg["result"]

    def error(self, method, params=None, code=None, timeout=None):
        """Calls and checks the call failed (with code, if given); returns
        the error object."""
        msg = self.call(method, params, timeout)
        if "error" not in msg:
            raise AssertionError("%s %s: expected error %s, got %s"
                                 % (method, json.dumps(params, ensure_ascii=False), code,
                                    json.dumps(msg, ensure_ascii=False)[:500]))
        if code is not None and msg["error"].get("code") != code:
            raise AssertionError("%s %s: expected error %s, got %s"
                                 % (method, json.dumps(params, ensure_ascii=False), code,
                                    json.dumps(msg, ensure_ascii=False)[:500]))
        return msg["error"]

    def wait_event(self, timeout, status=None):
        """Waits for an event notification (or returns one already seen)."""
        deadline = time.monotonic() + timeout
        while True:
            for e in self.events:
                if status is None or e.get("params", {}).get("status") == status:
                    return e
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            try:
                msg = self.read_message(left)
            except socket.timeout:
                return None
            if msg.get("method") == "event":
                self.events.append(msg)
            else:
                raise AssertionError("unexpected message while waiting for an event: %r" % msg)



def approve_in_plan_sql(server, plan_id):
    """A test's short cut for the Ministry's side of a forwarded national
    plan: its projects approved / plan_approved through SQL as
    ministry_approver, and listed in the year's plan decision (the approval,
    or an amendment adding them when the year has one) — no money moves
    before the decision (sql/0025). The protocol's own path is tested in
    test_fullpath and test_money_chain."""
    server.sql(
        "DO $$ DECLARE d bigint; y integer; BEGIN "
        "PERFORM kc_actor_set(NULL, 'ministry_approver'); "
        "UPDATE projects SET status = 'approved', stage = 'plan_approved', version = version + 1 "
        "WHERE plan_id = %(p)d; "
        "SELECT year INTO y FROM plans WHERE id = %(p)d; "
        "SELECT id INTO d FROM plan_decisions WHERE year = y AND kind = 'approval'; "
        "IF d IS NULL THEN "
        "INSERT INTO plan_decisions (year, number, signed_on, signer, kind, decided_by) "
        "VALUES (y, 'QĐ-T-' || %(p)d, make_date(y, 1, 1), 'test', 'approval', (SELECT min(id) FROM users)) "
        "RETURNING id INTO d; "
        "INSERT INTO plan_decision_items SELECT d, id, 'approve' FROM projects WHERE plan_id = %(p)d; "
        "ELSE "
        "INSERT INTO plan_decisions (year, number, signed_on, signer, kind, amends_id, decided_by) "
        "VALUES (y, 'QĐ-T-' || %(p)d, make_date(y, 1, 1), 'test', 'amendment', d, (SELECT min(id) FROM users)) "
        "RETURNING id INTO d; "
        "INSERT INTO plan_decision_items SELECT d, id, 'add' FROM projects WHERE plan_id = %(p)d; "
        "END IF; END $$" % {"p": plan_id})

def confirm_progress(officer, leader, project_id, period, percent_done=75):
    """The progress report a first advance of a model, machinery or
    establishment pollution system rests on (more than 70 % of the
    investment done, TT 36/2013 Art. 13.2.d; sql/0039): reported by a
    province officer for @period ("YYYY-MM") and confirmed by its leader.
    Returns the confirmed report."""
    r = officer.result("progress.report", {"project_id": project_id, "period": period,
                                           "percent_done": percent_done})
    return leader.result("progress.confirm", {"id": r["id"], "version": r["version"]})


def field_names(error):
    """The field names of a -32602 error's data.fields."""
    fields = (error.get("data") or {}).get("fields")
    check(isinstance(fields, list) and fields, "error has no data.fields", error)
    return [f.get("field") for f in fields]


# ---------------------------------------------------------------------------
# Accounts and organisations through the protocol
# ---------------------------------------------------------------------------

def new_password():
    return "Kc-test-" + secrets.token_hex(8)


def create_user(admin, role, org_code=None, username=None, password=None, server=None):
    """user.create as admin; returns the user object plus 'password'."""
    server = server or admin.server
    username = username or "%s-%s" % (role.replace("_", "-")[:12], secrets.token_hex(4))
    password = password or new_password()
    org_id = server.org_id(org_code or ROLE_ORG[role])
    user = admin.result("user.create", {"username": username, "full_name": "Người thử " + role,
                                        "role": role, "org_id": org_id, "password": password})
    check(user.get("username") == username and user.get("role") == role,
          "user.create returned something else", user)
    user["password"] = password
    return user


class Suite(dict):
    """What a test file shares between its cases: one server, its
    administrator, one logged-in user per (role, organisation); made on
    first use. Also a dict, for a file's own shared values."""

    def srv(self):
        if "main" not in self:
            self["main"] = Server()
        return self["main"]

    def admin(self):
        if "admin" not in self or self["admin"].closed:
            self["admin"] = self.srv().admin()
        return self["admin"]

    def user(self, role, org=None):
        key = (role, org)
        if key not in self:
            u = create_user(self.admin(), role, org_code=org)
            u["client"] = self.srv().login(u["username"], u["password"])
            self[key] = u
        return self[key]


def org_list(client, **params):
    """Every org the client can see (follows next_cursor, limit 1000)."""
    items = []
    cursor = None
    for _ in range(100):
        p = dict(params, limit=1000)
        if cursor is not None:
            p["cursor"] = cursor
        page = client.result("org.list", p)
        check(isinstance(page.get("items"), list) and "next_cursor" in page,
              "org.list page shape", page)
        items += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            return items
    raise AssertionError("org.list cursor did not end")


def audit_entries(admin, **params):
    """audit.list items (newest first), following cursors, at most 2000."""
    items = []
    cursor = None
    while len(items) < 2000:
        p = dict(params, limit=1000)
        if cursor is not None:
            p["cursor"] = cursor
        page = admin.result("audit.list", p)
        items += page["items"]
        cursor = page.get("next_cursor")
        if cursor is None:
            break
    return items


def audit_head(admin):
    items = admin.result("audit.list", {"limit": 1})["items"]
    return items[0]["seq"] if items else 0


# ---------------------------------------------------------------------------
# Raw TLS probes
# ---------------------------------------------------------------------------

def tls_handshake(port, context, source=None, timeout=None):
    """Opens a connection and handshakes with context; returns (version,
    cipher, peer DER) or raises ssl.SSLError/OSError."""
    timeout = timeout or scaled(10)
    with socket.create_connection(("127.0.0.1", port), timeout=timeout,
                                  source_address=(source, 0) if source else None) as raw:
        with context.wrap_socket(raw, server_hostname="localhost") as s:
            return s.version(), s.cipher()[0], s.getpeercert(binary_form=True)


class ControlServer:
    """A permissive TLS server in this process (Python's ssl), used to prove
    that a client context really can negotiate what kc-server refuses."""

    def __init__(self, certfile, keyfile, min_version=None, max_version=None, ciphers=None):
        self.ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        if ciphers:
            self.ctx.set_ciphers(ciphers)
        if min_version:
            self.ctx.minimum_version = min_version
        if max_version:
            self.ctx.maximum_version = max_version
        self.ctx.load_cert_chain(certfile, keyfile)
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(4)
        self.port = self.listener.getsockname()[1]
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        self.listener.settimeout(30)
        try:
            conn, _ = self.listener.accept()
        except OSError:
            return
        try:
            with self.ctx.wrap_socket(conn, server_side=True) as s:
                s.settimeout(5)
                try:
                    s.recv(1)
                except OSError:
                    pass
        except (OSError, ssl.SSLError):
            pass

    def close(self):
        self.listener.close()
