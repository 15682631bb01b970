#!/usr/bin/env python3
"""Scope fails closed (issue 13, point 5): a role and its organisation are
tied in the database — a province role only on the province side, the
Ministry's roles and admin only on the Ministry side — and an account whose
province cannot be found opens no session (it would have been read as the
Ministry: every province)."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "integration"))
import kctest  # noqa: E402
from kctest import check, check_equal  # noqa: E402

tap = kctest.Tap()
S = kctest.Suite()
srv, admin = S.srv, S.admin


def users_state():
    return srv().sql("SELECT count(*), sum(hashtext(u::text)) FROM users u")


def refused_create(role, org_code):
    before = users_state()
    e = admin().error("user.create", {"username": "misfit-" + kctest.secrets.token_hex(3),
                                      "full_name": "Sai chỗ", "role": role,
                                      "org_id": srv().org_id(org_code),
                                      "password": kctest.new_password()}, kctest.RULE)
    v = (e.get("data") or {}).get("violations") or []
    check(any(x.get("field") == "org_id" and x.get("rule") == "role_org" for x in v),
          "violation names org_id / role_org", e)
    check_equal(users_state(), before, "users unchanged")


@tap.test("user.create: a province role in a Ministry department -> 1022 role_org, nothing written")
def _():
    refused_create("province_officer", "BCT.CKC")
    refused_create("province_leader", "BCT.CKC")


@tap.test("user.create: admin, ministry_reviewer, ministry_approver in a province organisation -> 1022 role_org")
def _():
    for role in ("admin", "ministry_reviewer", "ministry_approver"):
        refused_create(role, "25.TTKC")


@tap.test("viewer may be on either side; the regular pairs are accepted")
def _():
    a = admin()
    for role, org in (("viewer", "BCT.CKC"), ("viewer", "25.TTKC"), ("province_officer", "25.TTKC"),
                      ("ministry_approver", "BCT.CKC"), ("admin", "BCT.CKC")):
        kctest.create_user(a, role, org)


@tap.test("user.update: moving a province officer to the Ministry, or making them admin in the province -> 1022, unchanged")
def _():
    a = admin()
    u = kctest.create_user(a, "province_officer")
    before = users_state()
    a.error("user.update", {"id": u["id"], "version": u["version"],
                            "org_id": srv().org_id("BCT.CKC")}, kctest.RULE)
    a.error("user.update", {"id": u["id"], "version": u["version"], "role": "admin"}, kctest.RULE)
    check_equal(users_state(), before, "users unchanged")


@tap.test("the database itself refuses a province role on the Ministry side (a superuser's INSERT)")
def _():
    rc, _, err = kctest.psql_try(
        "INSERT INTO users (username, full_name, role, org_id, password_hash)"
        " SELECT 'sql-misfit', 'x', 'province_officer', id, '$argon2id$x' FROM orgs"
        " WHERE code = 'BCT.CKC' AND valid_to IS NULL", db=srv().dbname)
    check(rc != 0 and "role and organisation" in err, "refused by the database", err)


@tap.test("an account put on the wrong side behind the triggers' back opens no session: login 1003, no session row")
def _():
    a = admin()
    u = kctest.create_user(a, "province_officer")
    srv().sql("SET session_replication_role = replica;"
              " UPDATE users SET org_id = (SELECT id FROM orgs WHERE code = 'BCT.CKC'"
              " AND valid_to IS NULL) WHERE id = %d" % u["id"])
    with srv().client(source=kctest.next_peer()) as c:
        c.error("auth.login", {"username": u["username"], "password": u["password"]},
                kctest.FORBIDDEN)
        c.error("org.list", {}, kctest.NOT_LOGGED_IN)
    check_equal(srv().sql("SELECT count(*) FROM sessions WHERE user_id = %d" % u["id"]).strip(),
                "0", "sessions of that account")


tap.run()
