"""faultkit — shared by test_faults.py (fast, in scripts/test) and
test_soak.py (the 'soak' suite): writers that record every answer they
got, and the checks that compare those answers with the database.

A writer's call ends in one of three ways, and each is recorded:
  ok       the server answered a result: the write must be in the database
  failed   the server answered an error: the write must not be there
  unknown  the connection died with the call in flight (the server was
           killed): either is allowed, but never half of it
"""

import base64
import hashlib
import os
import secrets
import tempfile
import threading
import time

import kctest
from kctest import check, check_equal

BUDGET = [{"source": "central", "amount": 300000000},
          {"source": "counterpart", "amount": 700000000}]
BUDGET_SUM = sum(b["amount"] for b in BUDGET)


def project_params(plan_id, title):
    return {"plan_id": plan_id, "title": title, "content_category": "ND45.4.3",
            "budget_lines": BUDGET, "indicators": [{"code": "I01", "target": 30}],
            "cap_code": "C02", "no_double_funding": True,
            "beneficiaries": [{"name": "Cơ sở thử", "kind": "household_business"}]}


def server_fds(server):
    """Open descriptors of the kc-server process."""
    return len(os.listdir("/proc/%d/fd" % server.proc.pid))


def client_fds(server):
    """Descriptors of the kc-server process that are its clients' TCP
    connections (local port = its port), not its PostgreSQL connections,
    which its pools open and reopen on their own schedule (after a
    PostgreSQL restart, a pool's dead connections come back when asked
    for: counted with all descriptors, that read as a leak of the clients')."""
    port = "%04X" % server.port
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table) as f:
                next(f)
                for line in f:
                    fields = line.split()
                    # local address "IP:PORT", state 0A = LISTEN
                    if fields[1].rsplit(":", 1)[1] == port and fields[3] != "0A":
                        inodes.add(fields[9])
        except FileNotFoundError:
            continue
    fd_dir = "/proc/%d/fd" % server.proc.pid
    n = 0
    for fd in os.listdir(fd_dir):
        try:
            target = os.readlink(os.path.join(fd_dir, fd))
        except OSError:
            continue
        if target.startswith("socket:[") and target[8:-1] in inodes:
            n += 1
    return n


def settled_fds(server, timeout=10, count=server_fds):
    """server_fds() once it stops changing: connections closed on the
    client side just before are freed by the server a moment later."""
    last = count(server)
    deadline = time.monotonic() + kctest.scaled(timeout)
    while time.monotonic() < deadline:
        time.sleep(1.2)  # the janitor frees dead connections every second
        now = count(server)
        if now == last:
            return now
        last = now
    return last


def server_cpu_s(server):
    """User + system CPU seconds of the kc-server process so far."""
    with open("/proc/%d/stat" % server.proc.pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def server_rss_kib(server):
    with open("/proc/%d/status" % server.proc.pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


class Twin(kctest.Server):
    """A second kc-server on another's database, with its configuration
    and certificate (one service, two processes), on a port of its own."""

    def __init__(self, other):
        self.dir = tempfile.mkdtemp(prefix="kcit-twin-")
        self.dbname = other.dbname
        self.port = kctest.free_port()
        self.proc = None
        self.log_path = os.path.join(self.dir, "server.log")
        self.cert, self.key, self.ca = other.cert, other.key, other.ca
        self.config_path = os.path.join(self.dir, "kc-server.conf")
        self.admin_username, self.admin_password = other.admin_username, other.admin_password
        self._orgs = None
        self._created_db = False  # the other one drops it
        kctest._live_servers.append(self)
        self.config = {k: dict(v) for k, v in other.config.items()}
        self.config["server"]["port"] = self.port
        self.write_config()


class Officer:
    """A province officer of 25.TTKC with a national draft plan of its own
    (a fresh year each, so plans never collide)."""
    _years = iter(range(2060, 2100))

    def __init__(self, server, admin):
        self.server = server
        self.user = kctest.create_user(admin, "province_officer")
        self.client = server.login(self.user["username"], self.user["password"])
        self.plan = self.client.result("plan.create", {"org_id": server.org_id("25.TTKC"),
                                                       "year": next(self._years),
                                                       "scope": "national"})

    def login(self, server=None):
        return (server or self.server).login(self.user["username"], self.user["password"],
                                             retry_unavailable=True)


class Writers:
    """n threads, each on a connection of its own, creating projects in
    plan (titles unique per call) and, with uploads=True, one thread
    uploading 3-chunk attachments to the first project, until stop()."""

    def __init__(self, officer, n, uploads=False, tag=None):
        self.officer = officer
        self.tag = tag or secrets.token_hex(3)
        self.lock = threading.Lock()
        self.projects = {"ok": {}, "failed": set(), "unknown": set()}  # title → id for ok
        self.uploads = {"ok": set(), "failed": 0, "unknown": 0}
        self.codes = {}
        self.unexpected = []
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=self._create, args=(i,), daemon=True)
                        for i in range(n)]
        if uploads:
            first = officer.client.result("project.create", project_params(
                officer.plan["id"], "upload target %s" % self.tag))
            self.upload_owner = first["id"]
            self.threads.append(threading.Thread(target=self._upload, daemon=True))

    def start(self):
        for t in self.threads:
            t.start()
        return self

    def stop(self, timeout=60):
        self.stopping.set()
        for t in self.threads:
            t.join(timeout)
        check(not any(t.is_alive() for t in self.threads), "a writer thread is stuck")

    def _note(self, code):
        with self.lock:
            self.codes[code] = self.codes.get(code, 0) + 1

    def _connect(self):
        try:
            return self.officer.login()
        except Exception:
            return None

    def _create(self, i):
        c = None
        n = 0
        while not self.stopping.is_set():
            if c is None:
                c = self._connect()
                if c is None:
                    time.sleep(0.1)
                    continue
            title = "w%s-%d-%d" % (self.tag, i, n)
            n += 1
            try:
                m = c.call("project.create", project_params(self.officer.plan["id"], title),
                           timeout=kctest.scaled(20))
            except (kctest.Closed, OSError):
                with self.lock:
                    self.projects["unknown"].add(title)
                c.close()
                c = None
                continue
            if "result" in m:
                with self.lock:
                    self.projects["ok"][title] = m["result"]["id"]
                self._note("ok")
            else:
                code = m["error"].get("code")
                with self.lock:
                    self.projects["failed"].add(title)
                    if code != kctest.UNAVAILABLE:
                        self.unexpected.append(m)
                self._note(code)
                if code == kctest.UNAVAILABLE:
                    time.sleep(0.05)
        if c is not None:
            c.close()

    def _upload(self):
        c = None
        while not self.stopping.is_set():
            if c is None:
                c = self._connect()
                if c is None:
                    time.sleep(0.1)
                    continue
            data = os.urandom(3 * 4096 - 100)
            step = 4096
            try:
                b = c.call("attachment.begin", {
                    "owner_type": "project", "owner_id": self.upload_owner,
                    "file_name": "f-%s.bin" % secrets.token_hex(4), "size": len(data),
                    "sha256": hashlib.sha256(data).hexdigest()}, timeout=kctest.scaled(20))
                if "result" not in b:
                    with self.lock:
                        self.uploads["failed"] += 1
                    time.sleep(0.05)
                    continue
                att = b["result"]["id"]
                ok = True
                for seq, off in enumerate(range(0, len(data), step)):
                    r = c.call("attachment.put", {
                        "id": att, "seq": seq,
                        "data": base64.b64encode(data[off:off + step]).decode()},
                        timeout=kctest.scaled(20))
                    if "result" not in r:
                        ok = False
                        break
                f = c.call("attachment.finish", {"id": att}, timeout=kctest.scaled(20)) if ok \
                    else {"error": {}}
                with self.lock:
                    if "result" in f:
                        self.uploads["ok"].add(att)
                    else:
                        self.uploads["failed"] += 1
            except (kctest.Closed, OSError):
                with self.lock:
                    self.uploads["unknown"] += 1
                c.close()
                c = None
        if c is not None:
            c.close()

    def summary(self):
        return "projects ok %d failed %d unknown %d; uploads ok %d failed %d unknown %d; codes %s" % (
            len(self.projects["ok"]), len(self.projects["failed"]), len(self.projects["unknown"]),
            len(self.uploads["ok"]), self.uploads["failed"], self.uploads["unknown"], self.codes)


def check_consistent(server, writers):
    """The database against what the writers were told, and no record
    half written: every project with its budget lines, category and audit
    row; every complete attachment with all its bytes."""
    plan_id = writers.officer.plan["id"]
    rows = server.sql(
        "SELECT p.id, p.title, "
        " (SELECT count(*) FROM project_budget_lines b WHERE b.project_id = p.id), "
        " (SELECT coalesce(sum(amount), 0) FROM project_budget_lines b WHERE b.project_id = p.id), "
        " (SELECT count(*) FROM project_categories c WHERE c.project_id = p.id AND c.is_primary), "
        " (SELECT count(*) FROM audit_log a WHERE a.method = 'project.create' "
        "    AND a.record_type = 'project' AND a.record_id = p.id) "
        "FROM projects p WHERE p.plan_id = %d ORDER BY p.id" % plan_id)
    in_db = {}
    for line in rows.splitlines():
        pid, title, n_lines, total, n_cat, n_audit = line.split("|")
        in_db[title] = int(pid)
        check(int(n_lines) == len(BUDGET) and int(total) == BUDGET_SUM,
              "project %s (%s) half written: %s budget lines, sum %s" % (pid, title, n_lines, total))
        check_equal(int(n_cat), 1, "primary category of project %s" % pid)
        check_equal(int(n_audit), 1, "audit rows of project %s" % pid)
    orphans = server.sql(
        "SELECT a.record_id FROM audit_log a WHERE a.method = 'project.create' "
        "AND NOT EXISTS (SELECT 1 FROM projects p WHERE p.id = a.record_id)").split()
    check(not orphans, "audit rows of projects that do not exist: %s" % orphans)
    with writers.lock:
        ok = dict(writers.projects["ok"])
        failed = set(writers.projects["failed"])
        uploads_ok = set(writers.uploads["ok"])
    missing = [t for t in ok if in_db.get(t) != ok[t]]
    check(not missing, "acknowledged creates missing from the database: %s" % missing[:10])
    present = sorted(failed & set(in_db))
    check(not present, "creates answered with an error are in the database: %s" % present[:10])
    bad = server.sql(
        "SELECT a.id, a.size, coalesce(sum(length(c.data)), 0), "
        " a.sha256 = sha256(coalesce(string_agg(c.data, ''::bytea ORDER BY c.seq), ''::bytea)) "
        "FROM attachments a LEFT JOIN attachment_chunks c ON c.attachment_id = a.id "
        "WHERE a.status = 'complete' GROUP BY a.id "
        "HAVING a.size <> coalesce(sum(length(c.data)), 0) "
        "  OR a.sha256 <> sha256(coalesce(string_agg(c.data, ''::bytea ORDER BY c.seq), ''::bytea))")
    check(bad.strip() == "", "complete attachments without all their bytes: %s" % bad)
    if uploads_ok:
        done = set(int(x) for x in server.sql(
            "SELECT id FROM attachments WHERE status = 'complete' AND id IN (%s)"
            % ",".join(str(a) for a in uploads_ok)).split())
        check(done == uploads_ok, "acknowledged uploads not complete: %s" % sorted(uploads_ok - done))
    return in_db
