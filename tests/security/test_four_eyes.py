#!/usr/bin/env python3
"""Separation of duties (issue 13, point 9): an administrator cannot reset
a ministry_approver's password or second factor alone — the reset is a
request a second administrator confirms (four eyes), and the database
refuses an approver's password or TOTP change made any other way."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "integration"))
import kctest  # noqa: E402
from kctest import check, check_equal  # noqa: E402

tap = kctest.Tap()
S = kctest.Suite()
srv = S.srv


def admin():
    if "admin" not in S or S["admin"].closed:
        S["admin"] = srv().admin(source=kctest.next_peer())
    return S["admin"]


def second_admin():
    if "admin2" not in S:
        u = kctest.create_user(admin(), "admin")
        S["admin2"] = srv().login(u["username"], u["password"], source=kctest.next_peer())
    return S["admin2"]


def hash_of(uid):
    return srv().sql("SELECT password_hash FROM users WHERE id = %d" % uid).strip()


@tap.test("user.reset_password of an approver -> {four_eyes: pending}; the password is unchanged; the requester cannot confirm (1003); a second admin confirms and gets the new password, which logs in")
def _():
    a, b = admin(), second_admin()
    appr = kctest.create_user(a, "ministry_approver")
    before = hash_of(appr["id"])
    r = a.result("user.reset_password", {"id": appr["id"], "version": appr["version"]})
    check_equal(r.get("four_eyes"), "pending", "pending")
    check("password" not in r, "no password given to the requester", r)
    check_equal(hash_of(appr["id"]), before, "password unchanged")
    with srv().login(appr["username"], appr["password"], source=kctest.next_peer()):
        pass  # the old password still works
    a.error("user.confirm_reset", {"request_id": r["request_id"]}, kctest.FORBIDDEN)
    check_equal(hash_of(appr["id"]), before, "password unchanged after a self-confirm")
    done = b.result("user.confirm_reset", {"request_id": r["request_id"]})
    check_equal(done["kind"], "reset_password", "kind")
    with srv().login(appr["username"], done["password"], source=kctest.next_peer()) as c:
        check(c.login_result["must_change_password"], "must change it", c.login_result)
    b.error("user.confirm_reset", {"request_id": r["request_id"]}, kctest.NOT_FOUND)
    rows = srv().sql("SELECT method || ':' || (after->>'four_eyes') FROM audit_log"
                     " WHERE record_type = 'user' AND record_id = %d AND after ? 'four_eyes'"
                     " ORDER BY id" % appr["id"]).split()
    check_equal(rows, ["user.reset_password:requested", "user.confirm_reset:confirmed"], "audit")


@tap.test("user.reset_totp of an approver waits for a second administrator the same way; other roles are reset at once")
def _():
    a, b = admin(), second_admin()
    appr = kctest.create_user(a, "ministry_approver")
    r = a.result("user.reset_totp", {"id": appr["id"]})
    check_equal(r.get("four_eyes"), "pending", "pending")
    done = b.result("user.confirm_reset", {"request_id": r["request_id"]})
    check_equal(done, {"kind": "reset_totp", "user_id": appr["id"], "had_totp": False}, "done")
    reviewer = kctest.create_user(a, "ministry_reviewer")
    check_equal(a.result("user.reset_totp", {"id": reviewer["id"]}), {"had_totp": False},
                "a reviewer's reset needs no second admin")
    r = a.result("user.reset_password", {"id": reviewer["id"], "version": reviewer["version"]})
    check(isinstance(r.get("password"), str), "reset at once", r)


@tap.test("the database refuses an approver's password change made behind the server's back, but not the approver's own")
def _():
    a = admin()
    appr = kctest.create_user(a, "ministry_approver")
    rc, _, err = kctest.psql_try("UPDATE users SET password_hash = 'x' WHERE id = %d" % appr["id"],
                                 db=srv().dbname)
    check(rc != 0 and "four eyes" in err, "refused", err)
    with srv().login(appr["username"], appr["password"], source=kctest.next_peer()) as c:
        c.result("auth.change_password", {"old_password": appr["password"],
                                          "new_password": kctest.new_password()})


tap.run()
