#!/usr/bin/env python3
"""A login that straddles a disable or a demotion (issue 13, point 6): the
session is opened for the account as it is when the session commits. A
superuser's transaction holds the change uncommitted while the login runs;
once it commits, the login must not have left a live session with the old
rights."""

import os
import subprocess
import sys
import threading

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "integration"))
import kctest  # noqa: E402
from kctest import check, check_equal  # noqa: E402

tap = kctest.Tap()
S = kctest.Suite()
srv, admin = S.srv, S.admin


def straddle(change_sql, u):
    """Opens a transaction that makes change_sql (uncommitted), logs in as u
    meanwhile, commits once the login is waiting on the row or has answered;
    returns (login message, client)."""
    s = srv()
    psql = subprocess.Popen([kctest._pg_bin("psql"), "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
                             "-h", kctest.PGHOST, "-p", str(kctest.PGPORT), "-U", kctest.PGUSER,
                             "-d", s.dbname], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    psql.stdin.write("BEGIN;\n%s;\nSELECT 'changed';\n" % change_sql)
    psql.stdin.flush()
    check_equal(psql.stdout.readline().strip(), "changed", "psql made the change")
    c = s.client(source=kctest.next_peer())
    out = {}

    def login():
        out["m"] = c.call("auth.login", {"username": u["username"], "password": u["password"]},
                          timeout=kctest.scaled(60))
    t = threading.Thread(target=login)
    t.start()

    def blocked_or_done():
        if not t.is_alive():
            return True
        n = s.sql("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                  " AND wait_event_type = 'Lock'").strip()
        return n != "0"
    kctest.eventually(blocked_or_done, kctest.scaled(20), 0.02, "login blocked or answered")
    psql.stdin.write("COMMIT;\n")
    psql.stdin.close()
    psql.wait(timeout=30)
    t.join(timeout=kctest.scaled(60))
    return out.get("m"), c


def live_sessions(uid):
    return int(srv().sql("SELECT count(*) FROM sessions WHERE user_id = %d AND revoked_at IS NULL"
                         % uid).strip())


@tap.test("a login straddling user disable: no live session afterwards (refused 1001 account_changed, or its session dead)")
def _():
    u = kctest.create_user(admin(), "province_officer")
    m, c = straddle("UPDATE users SET disabled_at = now(), version = version + 1 WHERE id = %d"
                    % u["id"], u)
    with c:
        kctest.Tap.diag("login answered: %s" % m)
        if "error" in m:
            check_equal(m["error"]["code"], kctest.NOT_LOGGED_IN, "login refused")
        else:
            check_equal(c.call("org.list", {"limit": 1}).get("error", {}).get("code"),
                        kctest.SESSION_EXPIRED, "the session opened is dead")
    check_equal(live_sessions(u["id"]), 0, "live sessions of the disabled account")


@tap.test("a login straddling a demotion (ministry_approver -> viewer): no live session with the approver's rights")
def _():
    u = kctest.create_user(admin(), "ministry_approver")
    m, c = straddle("UPDATE users SET role = 'viewer', version = version + 1 WHERE id = %d"
                    % u["id"], u)
    with c:
        kctest.Tap.diag("login answered: %s" % m)
        if "error" in m:
            check_equal(m["error"]["code"], kctest.NOT_LOGGED_IN, "login refused")
            check_equal((m["error"].get("data") or {}).get("reason"), "account_changed", "reason")
        else:
            check_equal(m["result"]["user"]["role"], "viewer", "session holds the new role")
    rows = srv().sql("SELECT count(*) FROM sessions s JOIN users u ON u.id = s.user_id"
                     " WHERE s.user_id = %d AND s.revoked_at IS NULL AND u.role <> 'viewer'"
                     % u["id"]).strip()
    check_equal(rows, "0", "sessions with old rights")
    # afterwards the account logs in normally with its new role
    with srv().login(u["username"], u["password"], source=kctest.next_peer()) as c2:
        check_equal(c2.login_result["user"]["role"], "viewer", "role after demotion")


tap.run()
