#!/usr/bin/env python3
"""What each role sees (scope), the errors of user writes, the audit row of
every write and the audit log's hash chain (kc-server verify-audit). Who
may call what is in test_roles.py."""

import json
import os
import re
import secrets
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kctest  # noqa: E402
from kctest import check, check_equal  # noqa: E402

tap = kctest.Tap()
S = kctest.Suite()
srv, admin = S.srv, S.admin


def role_users():
    """One account and one logged-in connection per role."""
    if "users" not in S:
        users = {}
        for role in kctest.ROLES:
            u = kctest.create_user(admin(), role)
            u["client"] = srv().login(u["username"], u["password"])
            users[role] = u
        S["users"] = users
    return S["users"]


def scratch_user():
    return kctest.create_user(admin(), "viewer")


def current_version(user_id):
    return int(srv().sql("SELECT version FROM users WHERE id = %d" % user_id).strip())


def user_exists(username):
    return srv().sql("SELECT count(*) FROM users WHERE username = '%s'" % username).strip() == "1"


def scope_check(role):
    s = srv()
    u = role_users()[role]
    orgs = kctest.org_list(u["client"])
    ids = {o["id"] for o in orgs}
    p25 = s.org_id("25")
    for code in ("25", "25.SCT", "25.TTKC", "BCT"):
        check(s.org_id(code) in ids, "%s does not see %s" % (role, code))
    # the province 25 and what it inherited through the 2025 lineage
    allowed_codes = {"25"} | set(s.sql(
        "SELECT o.province_code FROM org_lineage l JOIN orgs o ON o.id = l.old_org_id "
        "WHERE l.new_org_id = %d" % p25).split())
    for o in orgs:
        check(not (o["code"] == "01" or o["code"].startswith("01.")),
              "%s sees an organisation of Hà Nội" % role, o)
        check(o["kind"] == "ministry" or o.get("province_code") in allowed_codes,
              "%s sees an organisation outside province 25" % role, o)
    check(s.org_id("01") not in ids and s.org_id("79") not in ids, "other provinces visible")
    # Phú Thọ (25) took over Hòa Bình (17) and Vĩnh Phúc (26) on 01/07/2025:
    # their records are now its records.
    seen_codes = {o.get("province_code") for o in orgs if o["kind"] == "province"}
    check({"17", "26"} <= seen_codes, "%s does not see the provinces merged into 25" % role,
          sorted(c for c in seen_codes if c))
    provinces = kctest.org_list(u["client"], kind="province")
    check(all(o["kind"] == "province" for o in provinces), "kind filter", provinces)
    check(p25 in {o["id"] for o in provinces}, "kind=province lacks 25")


@tap.test("scope: a province_officer of 25 sees province 25 and the ministry above it, never Hà Nội (01)")
def _():
    scope_check("province_officer")


@tap.test("scope: a province_leader of 25 (25.SCT) sees the same province only")
def _():
    scope_check("province_leader")


@tap.test("scope: a viewer of 25 sees the same province only")
def _():
    scope_check("viewer")


@tap.test("scope: ministry_reviewer, ministry_approver and admin see every organisation")
def _():
    s = srv()
    every = {int(x) for x in s.sql("SELECT id FROM orgs").split()}
    check(len(every) > 200, "seed too small? %d orgs" % len(every))
    for role in ("ministry_reviewer", "ministry_approver", "admin"):
        ids = {o["id"] for o in kctest.org_list(role_users()[role]["client"])}
        check(ids == every, "%s sees %d of %d organisations (missing e.g. %s)"
              % (role, len(ids), len(every), sorted(every - ids)[:5]))


@tap.test("org.list items carry id, code, name, kind, parent_id, valid_from, valid_to")
def _():
    orgs = kctest.org_list(role_users()["ministry_reviewer"]["client"])
    kinds = {"ministry", "ministry_department", "regional_centre", "province",
             "province_department", "promotion_centre"}
    for o in orgs:
        for key in ("id", "code", "name", "kind", "parent_id", "valid_from", "valid_to"):
            check(key in o, "org without %s" % key, o)
        check(o["kind"] in kinds, "unknown kind", o)
    p25 = [o for o in orgs if o["code"] == "25" and o["valid_to"] is None]
    check(len(p25) == 1 and p25[0]["name"] == "Tỉnh Phú Thọ" and p25[0]["kind"] == "province",
          "province 25 of the 34-unit map", p25)
    children = {o["code"]: o for o in orgs if o["parent_id"] == p25[0]["id"]}
    check(children.get("25.SCT", {}).get("kind") == "province_department", "25.SCT", children)
    check(children.get("25.TTKC", {}).get("kind") == "promotion_centre", "25.TTKC", children)


@tap.test("user.get of a non-existent id -> 1004")
def _():
    admin().error("user.get", {"id": 987654321}, kctest.NOT_FOUND)
    admin().error("user.update", {"id": 987654321, "version": 1, "full_name": "X"}, kctest.NOT_FOUND)


@tap.test("user.update with a stale version -> 1009 with data.current_version")
def _():
    u = scratch_user()
    a = admin()
    r = a.result("user.update", {"id": u["id"], "version": u["version"], "full_name": "Lần một"})
    check_equal(r.get("version"), u["version"] + 1, "version after the update")
    e = a.error("user.update", {"id": u["id"], "version": u["version"], "full_name": "Lần hai"},
                kctest.CONFLICT)
    check_equal((e.get("data") or {}).get("current_version"), u["version"] + 1, "current_version")
    check_equal(a.result("user.get", {"id": u["id"]}).get("full_name"), "Lần một", "full_name kept")
    e = a.error("user.disable", {"id": u["id"], "version": u["version"]}, kctest.CONFLICT)
    check_equal((e.get("data") or {}).get("current_version"), u["version"] + 1, "disable current_version")


@tap.test("user.create with a duplicate username -> 1022, violations[0].field == 'username'")
def _():
    u = scratch_user()
    a = admin()
    for name in (u["username"], u["username"].upper()):
        e = a.error("user.create", {"username": name, "full_name": "Trùng", "role": "viewer",
                                    "org_id": srv().org_id("25.TTKC"),
                                    "password": kctest.new_password()}, kctest.RULE)
        v = (e.get("data") or {}).get("violations")
        check(isinstance(v, list) and v and v[0].get("field") == "username", "violations", e)
        check(all(k in v[0] for k in ("field", "rule", "message")), "violation shape", e)


@tap.test("user.create with an organisation that does not exist -> 1022 on org_id")
def _():
    name = "no-org-" + secrets.token_hex(3)
    e = admin().error("user.create", {"username": name, "full_name": "Không tổ chức", "role": "viewer",
                                      "org_id": 99999999, "password": kctest.new_password()},
                      kctest.RULE)
    v = (e.get("data") or {}).get("violations")
    check(isinstance(v, list) and v and v[0].get("field") == "org_id", "violations", e)
    check(not user_exists(name), "the user was created anyway")


def one_new_audit_row(before_seq):
    rows = [e for e in admin().result("audit.list", {"limit": 50})["items"] if e["seq"] > before_seq]
    check_equal(len(rows), 1, "new audit rows (%s)" % json.dumps(rows, ensure_ascii=False)[:1500])
    return rows[0]


def check_row(row, method, actor, record_type, record_id):
    check(row["method"] == method and row["user_id"] == actor["id"]
          and row["username"] == actor["username"] and row["record_type"] == record_type
          and row["record_id"] == record_id and row["peer"] == "127.0.0.1",
          "audit row should name %s by %s on %s %s" % (method, actor["username"], record_type, record_id),
          row)


@tap.test("every successful write adds exactly one audit row naming the method, the actor and the record")
def _():
    s = srv()
    a = admin()
    me = a.login_result["user"]
    # user.create
    head = kctest.audit_head(a)
    u = scratch_user()
    check_row(one_new_audit_row(head), "user.create", me, "user", u["id"])
    # user.update
    head = kctest.audit_head(a)
    r = a.result("user.update", {"id": u["id"], "version": u["version"], "phone": "0210 3846 123"})
    row = one_new_audit_row(head)
    check_row(row, "user.update", me, "user", u["id"])
    check((row.get("after") or {}).get("phone") == "0210 3846 123", "after holds the change", row)
    # user.reset_password
    head = kctest.audit_head(a)
    r = a.result("user.reset_password", {"id": u["id"], "version": r["version"]})
    row = one_new_audit_row(head)
    check_row(row, "user.reset_password", me, "user", u["id"])
    check(r["password"] not in json.dumps(row), "the new password is in the audit log")
    new_pw = r["password"]
    version = r["user"]["version"]
    # auth.change_password, by the user
    c = s.login(u["username"], new_pw)
    try:
        head = kctest.audit_head(a)
        pw = kctest.new_password()
        c.result("auth.change_password", {"old_password": new_pw, "new_password": pw})
        row = one_new_audit_row(head)
        check_row(row, "auth.change_password", u, "user", u["id"])
        check(pw not in json.dumps(row) and new_pw not in json.dumps(row), "password in the audit log")
        # auth.logout names the session the login opened
        login_row = [e for e in a.result("audit.list", {"limit": 20, "method": "auth.login",
                                                         "user_id": u["id"]})["items"]
                     if (e.get("after") or {}).get("result") == "success"][0]
        head = kctest.audit_head(a)
        c.result("auth.logout", {})
        check_row(one_new_audit_row(head), "auth.logout", u, "session", login_row["record_id"])
        check_equal(login_row["record_type"], "session", "login row record_type")
    finally:
        c.close()
    # user.disable
    version = current_version(u["id"])
    head = kctest.audit_head(a)
    a.result("user.disable", {"id": u["id"], "version": version})
    check_row(one_new_audit_row(head), "user.disable", me, "user", u["id"])
    # reads add nothing
    head = kctest.audit_head(a)
    a.result("user.get", {"id": u["id"]})
    a.result("org.list", {"limit": 3})
    a.result("user.list", {"limit": 3})
    check_equal(kctest.audit_head(a), head, "audit head after reads")
    # a refused write adds nothing either
    a.error("user.update", {"id": u["id"], "version": 1, "full_name": "cũ"}, kctest.CONFLICT)
    check_equal(kctest.audit_head(a), head, "audit head after a refused write")


@tap.test("kc-server verify-audit: intact, then names the entry a superuser rewrote")
def _():
    s = srv()
    p = s.run_command("verify-audit")
    check(p.returncode == 0 and "intact" in p.stdout, "verify-audit on an untouched log",
          p.stdout, p.stderr)
    total = int(s.sql("SELECT max(seq) FROM audit_chain").strip())
    check(total >= 10, "too few audit rows to pick one in the middle: %d" % total)
    target = total // 2
    # the entry of seq target: its row in audit_log, chained by audit_chain (sql/0052)
    row = "id = (SELECT audit_id FROM audit_chain WHERE seq = %d)" % target
    # the triggers refuse the change...
    original = s.sql("SELECT peer FROM audit_log WHERE " + row).strip()
    rc, _, err = kctest.psql_try("UPDATE audit_log SET peer = '203.0.113.9' WHERE " + row,
                                 db=s.dbname)
    check(rc != 0 and "append-only" in err, "UPDATE of audit_log was not refused", err)
    check_equal(s.sql("SELECT peer FROM audit_log WHERE " + row).strip(), original,
                "peer after a refused UPDATE")
    p = s.run_command("verify-audit")
    check(p.returncode == 0, "verify-audit after a refused UPDATE", p.stdout)
    # ...unless a superuser disables them
    s.sql("ALTER TABLE audit_log DISABLE TRIGGER USER; "
          "UPDATE audit_log SET peer = '203.0.113.9' WHERE " + row + "; "
          "ALTER TABLE audit_log ENABLE TRIGGER USER")
    check_equal(s.sql("SELECT peer FROM audit_log WHERE " + row).strip(), "203.0.113.9",
                "tampered row")
    p = s.run_command("verify-audit")
    check_equal(p.returncode, 1, "exit status of verify-audit on a tampered log (%s)" % p.stdout)
    check(re.search(r"\bentry %d\b" % target, p.stdout + p.stderr),
          "verify-audit does not name entry %d" % target, p.stdout, p.stderr)
    check("intact" not in p.stdout, "still says intact", p.stdout)


@tap.test("the server exits 0 on SIGTERM (no leaks or errors under a wrapper)")
def _():
    for u in S.get("users", {}).values():
        u["client"].close()
    if "admin" in S:
        S["admin"].close()
    srv().stop()


tap.run()
