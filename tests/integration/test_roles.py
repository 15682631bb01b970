#!/usr/bin/env python3
"""Who may call what (PROTOCOL.md "Roles"): every method of the server's
tables, called by every role, allowed or refused 1003 as the table says.
What each role sees, the errors of user writes and the audit trail are in
test_scope_audit.py."""

import itertools
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
ALL = set(kctest.ROLES)
ADMIN = {"admin"}
PROVINCE = {"province_officer", "province_leader"}
LEADER = {"province_leader"}


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


# ---------------------------------------------------------------------------
# The access table: method -> (roles allowed by PROTOCOL.md, how to call it,
# what an allowed call must give). Calls use valid parameters, so an
# allowed role gets a result (or the one error the call is built to get)
# and a forbidden one can only be stopped by the role gate.
# ---------------------------------------------------------------------------

def ok_result(m):
    return "result" in m


def call_server_info(u):
    return u["client"].call("server.info", {}), ok_result


def call_login(u):
    # on a connection of its own: a login on the role's main connection
    # would end that connection's session (and its token)
    with srv().client() as c:
        return c.call("auth.login", {"username": u["username"], "password": u["password"]}), ok_result


def call_resume(u):
    return u["client"].call("auth.resume", {"token": u["client"].login_result["token"]}), ok_result


def call_logout(u):
    # on a login of its own, so that the role's main connection stays
    with srv().login(u["username"], u["password"]) as c:
        return c.call("auth.logout", {}), ok_result


def call_change_password(u):
    # a wrong old password: past the role gate, without changing anything
    def expect(m):
        return (m.get("error", {}).get("code") == kctest.INVALID_PARAMS
                and "old_password" in kctest.field_names(m["error"]))
    # from an address of its own: the wrong old password counts as a failed
    # login of that address, and six of them would throttle 127.0.0.1
    with srv().login(u["username"], u["password"], source=kctest.next_peer()) as c:
        return c.call("auth.change_password", {"old_password": "Not-the-password-1",
                                               "new_password": kctest.new_password()}), expect


def call_whoami(u):
    return u["client"].call("auth.whoami", {}), \
        lambda m: m.get("result", {}).get("user", {}).get("id") == u["id"]


def totp_not_configured(m):
    # the role test's server has no [auth] totp_key_file: past the role gate
    # the call is refused for that reason
    return (m.get("error", {}).get("code") == 1010
            and m["error"].get("data", {}).get("status") == "not_configured")


def call_totp_status(u):
    return u["client"].call("auth.totp_status", {}), \
        lambda m: m.get("result", {}).get("enabled") is False


def call_totp_begin(u):
    return u["client"].call("auth.totp_begin", {}), totp_not_configured


def call_totp_confirm(u):
    return u["client"].call("auth.totp_confirm", {"code": "000000"}), totp_not_configured


def call_totp_disable(u):
    # missing parameters: past the gate, no password guess counted
    return u["client"].call("auth.totp_disable", {}), \
        lambda m: sorted(kctest.field_names(m.get("error", {}))) == ["code", "password"]


def call_user_reset_totp(u):
    target = scratch_user()
    return u["client"].call("user.reset_totp", {"id": target["id"]}), \
        lambda m: m.get("result") == {"had_totp": False}


def call_user_confirm_reset(u):
    # an approver's TOTP reset asked by the fixture's administrator (four
    # eyes, sql/0024), confirmed by the caller
    target = kctest.create_user(admin(), "ministry_approver")
    req = admin().result("user.reset_totp", {"id": target["id"]})
    return u["client"].call("user.confirm_reset", {"request_id": req["request_id"]}), \
        lambda m: m.get("result") == {"kind": "reset_totp", "user_id": target["id"],
                                      "had_totp": False}


def call_user_create(u):
    name = "made-by-%s-%s" % (u["role"].replace("_", "-")[:10], secrets.token_hex(3))
    m = u["client"].call("user.create", {
        "username": name, "full_name": "Tạo bởi " + u["role"], "role": "viewer",
        "org_id": srv().org_id("25.TTKC"), "password": kctest.new_password()})
    created = user_exists(name)
    if "error" in m:
        check(not created, "a refused user.create created %s" % name, m)
    return m, lambda m: ok_result(m) and created


def call_user_get(u):
    target = S["target"]
    return u["client"].call("user.get", {"id": target["id"]}), \
        lambda m: m.get("result", {}).get("username") == target["username"]


def call_user_list(u):
    return u["client"].call("user.list", {"limit": 5}), \
        lambda m: isinstance(m.get("result", {}).get("items"), list)


def call_user_update(u):
    target = S["target"]
    before = current_version(target["id"])
    m = u["client"].call("user.update", {"id": target["id"], "version": before,
                                         "full_name": "Đổi bởi " + u["role"]})
    after = current_version(target["id"])
    if "error" in m:
        check_equal(after, before, "version after a refused user.update")
    return m, lambda m: m.get("result", {}).get("version") == before + 1


def call_user_disable(u):
    target = scratch_user()
    m = u["client"].call("user.disable", {"id": target["id"], "version": target["version"]})
    if "error" in m:
        check_equal(current_version(target["id"]), target["version"], "version after a refused disable")
    return m, lambda m: m.get("result", {}).get("disabled") is True


def call_user_reset_password(u):
    target = scratch_user()
    m = u["client"].call("user.reset_password", {"id": target["id"], "version": target["version"]})
    if "error" in m:
        check_equal(current_version(target["id"]), target["version"], "version after a refused reset")
    return m, lambda m: isinstance(m.get("result", {}).get("password"), str) \
        and m["result"].get("user", {}).get("id") == target["id"]


def call_org_list(u):
    return u["client"].call("org.list", {"limit": 5}), \
        lambda m: isinstance(m.get("result", {}).get("items"), list) and m["result"]["items"]


def call_events_subscribe(u):
    return u["client"].call("events.subscribe", {"topics": ["project", "plan"]}), \
        lambda m: m.get("result", {}).get("topics") == ["project", "plan"]


def call_audit_list(u):
    return u["client"].call("audit.list", {"limit": 5}), \
        lambda m: isinstance(m.get("result", {}).get("items"), list)


def call_catalog_get(u):
    return u["client"].call("catalog.get", {}), \
        lambda m: isinstance(m.get("result", {}).get("content_categories"), list)


def call_catalog_update(u):
    before = int(srv().sql("SELECT version FROM indicators WHERE code = 'I17'").strip())
    m = u["client"].call("catalog.update", {"section": "indicators", "key": "I17", "version": before,
                                            "fields": {"note": "Đổi bởi " + u["role"]}})
    after = int(srv().sql("SELECT version FROM indicators WHERE code = 'I17'").strip())
    if "error" in m:
        check_equal(after, before, "version after a refused catalog.update")
    return m, lambda m: m.get("result", {}).get("version") == before + 1


def call_catalog_add_cap(u):
    count = lambda: int(srv().sql("SELECT count(*) FROM support_caps WHERE cap_code = 'C12'").strip())
    before = count()
    day = srv().sql("SELECT max(valid_from) + 1 FROM support_caps WHERE cap_code = 'C12'").strip()
    m = u["client"].call("catalog.add_cap", {"decision": {"number": "15/2026/TT-BCT", "date": "2026-03-01", "signer": "Thứ trưởng"}, "cap_code": "C12", "content_code": "ND45.4.4",
                                             "abs_cap_vnd": 10000000, "unit": "sản phẩm",
                                             "base": "giải thưởng", "legal_act": "thử",
                                             "valid_from": day, "confidence": "U"})
    if "error" in m:
        check_equal(count(), before, "rows after a refused catalog.add_cap")
    return m, lambda m: m.get("result", {}).get("cap", {}).get("valid_from") == day


def call_catalog_add_local_cap(u):
    """A province's own cap (sql/0025): its leader, or admin naming the province."""
    prov = srv().org_id("25")
    day = srv().sql("SELECT coalesce(max(valid_from) + 1, DATE '2030-01-01') FROM local_caps "
                    "WHERE cap_code = 'C12' AND province_id = %d" % prov).strip()
    params = {"cap_code": "C12", "content_code": "ND45.4.4", "name_vi": "Thưởng sản phẩm (tỉnh)",
              "abs_cap_vnd": 5000000, "legal_act": "NQ thử/NQ-HĐND", "valid_from": day, "confidence": "U",
              "decision": {"number": "NQ thử/NQ-HĐND", "date": "2026-03-01", "signer": "Chủ tịch HĐND"}}
    if u["role"] == "admin":
        params["province_id"] = prov
    m = u["client"].call("catalog.add_local_cap", params)
    return m, lambda m: m.get("result", {}).get("valid_from") == day


# plan.* and project.* (issue 3): each write on a fresh plan of province 25
_plan_slots = itertools.product(range(2040, 2101), ("25.TTKC", "25.SCT", "25"))


def fresh_plan(scope="national", projects=1, state="draft"):
    year, org = next(_plan_slots)
    lan = role_users()["province_officer"]["client"]
    plan = lan.result("plan.create", {"org_id": srv().org_id(org), "year": year, "scope": scope})
    plan["projects"] = [lan.result("project.create", {
        "plan_id": plan["id"], "title": "Đề án thử", "content_category": "ND45.4.3",
        "budget_lines": [{"source": "central", "amount": 300}, {"source": "counterpart", "amount": 700}],
        "indicators": [], "cap_code": "C02", "no_double_funding": True,
        "beneficiaries": [{"name": "Cơ sở thử", "kind": "household_business"}]})
        for _ in range(projects)]
    if state == "submitted":
        plan.update(lan.result("plan.submit", {"id": plan["id"], "version": plan["version"]}))
    return plan


def shared_local_plan():
    if "local_plan" not in S:
        S["local_plan"] = fresh_plan("local")
    return S["local_plan"]


def call_plan_create(u):
    year, org = next(_plan_slots)
    return u["client"].call("plan.create", {"org_id": srv().org_id(org), "year": year, "scope": "local"}), \
        lambda m: m.get("result", {}).get("status") == "draft"


def call_plan_get(u):
    plan = shared_local_plan()
    return u["client"].call("plan.get", {"id": plan["id"]}), \
        lambda m: m.get("result", {}).get("id") == plan["id"]


def call_plan_list(u):
    return u["client"].call("plan.list", {"limit": 5}), \
        lambda m: isinstance(m.get("result", {}).get("items"), list)


def call_plan_update(u):
    plan = fresh_plan()
    return u["client"].call("plan.update", {"id": plan["id"], "version": plan["version"], "title": "Sửa"}), \
        lambda m: m.get("result", {}).get("version") == plan["version"] + 1


def call_plan_submit(u):
    plan = fresh_plan()
    return u["client"].call("plan.submit", {"id": plan["id"], "version": plan["version"]}), \
        lambda m: m.get("result", {}).get("status") == "submitted"


def call_plan_withdraw(u):
    plan = fresh_plan(state="submitted")
    return u["client"].call("plan.withdraw", {"id": plan["id"], "version": plan["version"]}), \
        lambda m: m.get("result", {}).get("status") == "draft"


def call_plan_appraise(u):
    plan = fresh_plan(state="submitted")
    return u["client"].call("plan.appraise", {"id": plan["id"], "version": plan["version"],
                                              "decision": "forward"}), \
        lambda m: m.get("result", {}).get("status") == "forwarded"


def call_plan_approve_local(u):
    plan = fresh_plan("local", state="submitted")
    return u["client"].call("plan.approve_local", {"id": plan["id"], "version": plan["version"],
                                                   "decision_no": "1/QĐ-UBND", "decision_date": "2040-01-02",
                                                   "issuer": "UBND tỉnh"}), \
        lambda m: m.get("result", {}).get("status") == "approved"


def call_project_create(u):
    plan = fresh_plan(projects=0)
    return u["client"].call("project.create", {"plan_id": plan["id"], "title": "Mới",
                                               "content_category": "ND45.4.3",
                                               "budget_lines": [], "indicators": []}), \
        lambda m: m.get("result", {}).get("code", "").startswith("KCQG-")


def call_project_get(u):
    project = shared_local_plan()["projects"][0]
    return u["client"].call("project.get", {"id": project["id"]}), \
        lambda m: m.get("result", {}).get("code") == project["code"]


def call_project_list(u):
    return u["client"].call("project.list", {"limit": 5}), \
        lambda m: isinstance(m.get("result", {}).get("items"), list)


def call_project_update(u):
    project = fresh_plan()["projects"][0]
    return u["client"].call("project.update", {"id": project["id"], "version": project["version"],
                                               "title": "Sửa"}), \
        lambda m: m.get("result", {}).get("version") == project["version"] + 1


def call_project_delete(u):
    project = fresh_plan()["projects"][0]
    return u["client"].call("project.delete", {"id": project["id"], "version": project["version"]}), \
        lambda m: m.get("result", {}).get("deleted") is True


def call_project_check(u):
    project = shared_local_plan()["projects"][0]
    return u["client"].call("project.check", {"id": project["id"]}), \
        lambda m: m.get("result", {}).get("violations") == [] \
        and isinstance(m["result"].get("warnings"), list)


def call_project_copy(u):
    source = fresh_plan()
    while True:
        year, org = next(_plan_slots)
        if srv().org_id(org) == source["org_id"]:
            break
    lan = role_users()["province_officer"]["client"]
    target = lan.result("plan.create", {"org_id": source["org_id"], "year": year, "scope": "national"})
    return u["client"].call("project.copy", {"id": source["projects"][0]["id"], "plan_id": target["id"]}), \
        lambda m: m.get("result", {}).get("copied_from") == source["projects"][0]["id"] \
        and m["result"].get("plan_id") == target["id"]


# attachment.* and project.import (issue 3)
_PDF = b"%PDF-1.4\n%%EOF\n"


def _att_owner(u, plan_id=None):
    """Where u may attach: the Ministry to a comment of its review thread,
    everyone else to a plan."""
    if u["role"] in ("ministry_reviewer", "ministry_approver"):
        comment = u["client"].result("review.comment", {"project_id": shared_forwarded()["id"],
                                                        "body": "Kèm hồ sơ"})
        return "review_comment", comment["id"]
    return "plan", plan_id or fresh_plan(projects=0)["id"]


def _att_begin(u, plan_id=None):
    """An upload begun by u on its own connection (id 1 when u may not)."""
    import hashlib
    owner_type, owner_id = _att_owner(u, plan_id)
    m = u["client"].call("attachment.begin", {"owner_type": owner_type, "owner_id": owner_id,
                                              "file_name": "a.pdf", "size": len(_PDF),
                                              "sha256": hashlib.sha256(_PDF).hexdigest()})
    return m.get("result", {}).get("id", 1)


def _att_put(u, att_id):
    import base64
    return u["client"].call("attachment.put", {"id": att_id, "seq": 0,
                                               "data": base64.b64encode(_PDF).decode()})


def shared_attachment():
    if "attachment" not in S:
        officer = role_users()["province_officer"]
        att_id = _att_begin(officer, shared_local_plan()["id"])
        _att_put(officer, att_id)
        officer["client"].result("attachment.finish", {"id": att_id})
        S["attachment"] = att_id
    return S["attachment"]


def call_attachment_begin(u):
    owner_type, owner_id = _att_owner(u)
    return u["client"].call("attachment.begin", {"owner_type": owner_type, "owner_id": owner_id,
                                                 "file_name": "a.pdf", "size": 10, "sha256": "ab" * 32}), \
        lambda m: isinstance(m.get("result", {}).get("id"), int)


def call_attachment_put(u):
    return _att_put(u, _att_begin(u)), lambda m: m.get("result", {}).get("received") == len(_PDF)


def call_attachment_finish(u):
    att_id = _att_begin(u)
    _att_put(u, att_id)
    return u["client"].call("attachment.finish", {"id": att_id}), \
        lambda m: m.get("result", {}).get("mime_type") == "application/pdf"


def call_attachment_abort(u):
    return u["client"].call("attachment.abort", {"id": _att_begin(u)}), \
        lambda m: m.get("result", {}).get("aborted") is True


def call_attachment_list(u):
    shared_attachment()
    return u["client"].call("attachment.list", {"owner_type": "plan", "owner_id": shared_local_plan()["id"]}), \
        lambda m: shared_attachment() in [x["id"] for x in m.get("result", {}).get("items", [])]


def call_attachment_get(u):
    att_id = shared_attachment()
    return u["client"].call("attachment.get", {"id": att_id}), \
        lambda m: m.get("result", {}).get("eof") is True


def call_attachment_delete(u):
    officer = role_users()["province_officer"]
    att_id = _att_begin(officer)
    _att_put(officer, att_id)
    officer["client"].result("attachment.finish", {"id": att_id})
    return u["client"].call("attachment.delete", {"id": att_id, "version": 1}), \
        lambda m: m.get("result", {}).get("deleted") is True


def call_project_import(u):
    plan = fresh_plan(projects=0)
    return u["client"].call("project.import", {"plan_id": plan["id"],
                                               "csv": "title,content_category\nMột,ND45.4.3\n"}), \
        lambda m: m.get("result", {}).get("created") == 1


# after approval (issue 3): progress.*, project.accept, adjustment.*,
# project.cancel, typical_product.*
MINISTRY_LEADER = {"province_leader", "ministry_reviewer", "ministry_approver"}


def approved_project(scope="local"):
    """A project of a plan approved at the province, or (national) forwarded
    and approved through SQL as ministry_approver."""
    plan = fresh_plan(scope, state="submitted")
    leader = role_users()["province_leader"]["client"]
    if scope == "local":
        leader.result("plan.approve_local", {"id": plan["id"], "version": plan["version"],
                                             "decision_no": "1/QĐ-UBND", "decision_date": "2040-01-02",
                                             "issuer": "UBND tỉnh"})
    else:
        leader.result("plan.appraise", {"id": plan["id"], "version": plan["version"], "decision": "forward"})
        kctest.approve_in_plan_sql(srv(), plan["id"])
    return role_users()["province_officer"]["client"].result("project.get", {"id": plan["projects"][0]["id"]})


def shared_approved():
    if "approved" not in S:
        S["approved"] = approved_project()
    return S["approved"]


def call_progress_report(u):
    p = approved_project()
    return u["client"].call("progress.report", {"project_id": p["id"], "period": "%d-01" % p["year"],
                                                "percent_done": 10}), \
        lambda m: m.get("result", {}).get("percent_done") == 10


def call_progress_confirm(u):
    p = approved_project()
    r = role_users()["province_officer"]["client"].result(
        "progress.report", {"project_id": p["id"], "period": "%d-01" % p["year"], "percent_done": 10})
    return u["client"].call("progress.confirm", {"id": r["id"], "version": 1}), \
        lambda m: m.get("result", {}).get("confirmed") is True


def call_progress_return(u):
    p = approved_project()
    r = role_users()["province_officer"]["client"].result(
        "progress.report", {"project_id": p["id"], "period": "%d-01" % p["year"], "percent_done": 10})
    return u["client"].call("progress.return", {"id": r["id"], "version": 1, "comment": "Bổ sung"}), \
        lambda m: m.get("result", {}).get("returned") is True


def call_progress_list(u):
    return u["client"].call("progress.list", {"project_id": shared_approved()["id"]}), \
        lambda m: isinstance(m.get("result", {}).get("items"), list)


def call_project_accept(u):
    p = approved_project("national" if u["role"].startswith("ministry") else "local")
    return u["client"].call("project.accept", {"id": p["id"], "version": p["version"],
                                               "accepted_on": "2026-01-02", "record_no": "BB-1"}), \
        lambda m: m.get("result", {}).get("status") == "completed"


def call_project_submit_acceptance(u):
    if u["role"] not in PROVINCE:  # refused by the gate: no fresh plan (the years are counted)
        p = shared_approved()
        return u["client"].call("project.submit_acceptance", {"id": p["id"], "version": p["version"],
                                                              "report": "Hoàn thành"}), lambda m: False
    p = approved_project()
    srv().sql("DO $$ BEGIN PERFORM kc_actor_set(NULL, 'province_leader'); "
              "UPDATE projects SET status = 'in_progress', stage = 'advanced', version = version + 1 "
              "WHERE id = %d; END $$" % p["id"])
    p = role_users()["province_officer"]["client"].result("project.get", {"id": p["id"]})
    return u["client"].call("project.submit_acceptance", {"id": p["id"], "version": p["version"],
                                                          "report": "Hoàn thành"}), \
        lambda m: m.get("result", {}).get("stage") == "acceptance_submitted"


def call_adjustment_request(u):
    p = approved_project()
    return u["client"].call("adjustment.request", {"project_id": p["id"], "type": "minor", "reason": "x",
                                                   "changes": {"implementer": "Mới"}}), \
        lambda m: m.get("result", {}).get("status") == "requested"


def call_adjustment_decide(u):
    # the type whose decider is this role (DOMAIN §2.6)
    national = u["role"].startswith("ministry")
    p = approved_project("national" if national else "local")
    kind = {"ministry_approver": "extend_next_year", "ministry_reviewer": "minor"}.get(u["role"], "minor")
    changes = ({"end_date": "%d-03-31" % (p["year"] + 1)} if kind == "extend_next_year"
               else {"implementer": "Mới"})
    a = role_users()["province_officer"]["client"].result(
        "adjustment.request", {"project_id": p["id"], "type": kind, "reason": "x", "changes": changes})
    return u["client"].call("adjustment.decide", {"id": a["id"], "version": 1, "decision": "approve"}), \
        lambda m: m.get("result", {}).get("status") == "approved"


def call_adjustment_list(u):
    return u["client"].call("adjustment.list", {"project_id": shared_approved()["id"]}), \
        lambda m: isinstance(m.get("result", {}).get("items"), list)


def call_project_cancel(u):
    p = approved_project("national" if u["role"].startswith("ministry") else "local")
    return u["client"].call("project.cancel", {"id": p["id"], "version": p["version"], "reason": "x",
                                               "decision_no": "1/QĐ"}), \
        lambda m: m.get("result", {}).get("status") == "cancelled"


def call_project_fail_base_appraisal(u):
    plan = fresh_plan("national", state="submitted")
    pid = plan["projects"][0]["id"]
    v = role_users()["province_officer"]["client"].result("project.get", {"id": pid})["version"]
    return u["client"].call("project.fail_base_appraisal", {"id": pid, "version": v, "reason": "x"}), \
        lambda m: m.get("result", {}).get("stage") == "base_appraisal_failed"


def call_project_approve_implementation_plan(u):
    """A group project in the year's plan decision (sql/0025)."""
    plan = fresh_plan("national", state="submitted")
    pid = plan["projects"][0]["id"]
    srv().sql("UPDATE projects SET kind = 'group' WHERE id = %d" % pid)
    role_users()["province_leader"]["client"].result(
        "plan.appraise", {"id": plan["id"], "version": plan["version"], "decision": "forward"})
    kctest.approve_in_plan_sql(srv(), plan["id"])
    v = role_users()["province_officer"]["client"].result("project.get", {"id": pid})["version"]
    return u["client"].call("project.approve_implementation_plan", {"id": pid, "version": v,
                                                                   "decision_no": "1/QĐ-SCT"}), \
        lambda m: m.get("result", {}).get("stage") == "implementation_plan_approved"


def call_budget_submit_settlement(u):
    p = approved_project("local")
    leader = role_users()["province_leader"]["client"]
    leader.result("project.accept", {"id": p["id"], "version": p["version"], "accepted_on": "2026-01-02",
                                     "record_no": "BB-1"})
    v = role_users()["province_officer"]["client"].result("project.get", {"id": p["id"]})["version"]
    return u["client"].call("budget.submit_settlement", {"project_id": p["id"], "version": v,
                                                         "submitted_on": "2026-01-10", "record_no": "HS-1"}), \
        lambda m: m.get("result", {}).get("record_no") == "HS-1"


_certificates = itertools.count(1)


def certificate(**extra):
    p = {"product_name": "Gốm", "establishment_name": "HTX Gốm", "level": "province", "year": 2024,
         "certificate_no": "GCN-%d" % next(_certificates), "org_id": srv().org_id("25")}
    p.update(extra)
    return p


def shared_certificate():
    if "certificate" not in S:
        S["certificate"] = admin().result("typical_product.create", certificate())
    return S["certificate"]


def call_typical_product_create(u):
    return u["client"].call("typical_product.create", certificate()), \
        lambda m: m.get("result", {}).get("version") == 1


def call_typical_product_list(u):
    shared_certificate()
    return u["client"].call("typical_product.list", {}), \
        lambda m: shared_certificate()["id"] in [x["id"] for x in m.get("result", {}).get("items", [])]


def call_typical_product_update(u):
    t = admin().result("typical_product.create", certificate())
    return u["client"].call("typical_product.update", {"id": t["id"], "version": 1, "score": 80}), \
        lambda m: m.get("result", {}).get("version") == 2


# the budget (issue 4): writes by ministry_approver only (never admin);
# budget.summary by every role but admin
APPROVER = {"ministry_approver"}
NOT_ADMIN = ALL - ADMIN
_budget_years = itertools.count(2070)


def approver_client():
    return role_users()["ministry_approver"]["client"]


def budget_pool_project():
    """A fresh approved national project of one shared plan (plan slots are
    few), whose year has an appropriation of 10,000 đồng."""
    if "budget_pool" not in S:
        plan = fresh_plan("national", projects=20, state="submitted")
        role_users()["province_leader"]["client"].result(
            "plan.appraise", {"id": plan["id"], "version": plan["version"], "decision": "forward"})
        kctest.approve_in_plan_sql(srv(), plan["id"])
        approver_client().result("budget.set_appropriation", {"year": plan["year"], "source": "central",
                                                              "amount": 10000})
        S["budget_pool"] = [x["id"] for x in plan["projects"]]
        S["budget_pool_year"] = plan["year"]
    pid = S["budget_pool"].pop()
    return role_users()["province_officer"]["client"].result("project.get", {"id": pid})


def budgeted_project(contract=False):
    """An approved national project with 100 đồng allocated (and a contract
    of 100 đồng)."""
    p = budget_pool_project()
    approver_client().result("budget.allocate", {"project_id": p["id"], "version": p["version"],
                                                 "amount": 100})
    if contract:
        approver_client().result("budget.contract", {"project_id": p["id"], "version": p["version"],
                                                     "number": "HĐ-1", "signed_on": "2026-01-02",
                                                     "amount": 100})
    return p


def call_budget_set_appropriation(u):
    return u["client"].call("budget.set_appropriation", {"year": next(_budget_years), "source": "central",
                                                         "amount": 1000}), \
        lambda m: m.get("result", {}).get("amount") == 1000


def call_budget_allocate(u):
    p = budget_pool_project()
    return u["client"].call("budget.allocate", {"project_id": p["id"], "version": p["version"],
                                                "amount": 100}), \
        lambda m: m.get("result", {}).get("amount") == 100


def call_budget_contract(u):
    p = budgeted_project()
    return u["client"].call("budget.contract", {"project_id": p["id"], "version": p["version"],
                                                "number": "HĐ-1", "signed_on": "2026-01-02", "amount": 100}), \
        lambda m: m.get("result", {}).get("amount") == 100


def call_budget_disburse(u):
    p = budgeted_project(contract=True)
    # a model's first advance rests on a confirmed report of more than 70 % done (sql/0039)
    kctest.confirm_progress(role_users()["province_officer"]["client"], role_users()["province_leader"]["client"],
                            p["id"], "%d-01" % S["budget_pool_year"])
    return u["client"].call("budget.disburse", {"project_id": p["id"], "kind": "advance", "amount": 30,
                                                "date": "2026-01-03", "document_no": "UNC-1"}), \
        lambda m: m.get("result", {}).get("amount") == 30


def management_appropriations():
    """The 2019 appropriations (national and the leader's province's local)
    the management spending is a share of (sql/0040)."""
    if "management_year" not in S:
        approver_client().result("budget.set_appropriation", {"year": 2019, "source": "central",
                                                              "amount": 10 ** 9})
        role_users()["province_leader"]["client"].result("budget.set_appropriation", {
            "year": 2019, "source": "local", "amount": 10 ** 9})
        S["management_year"] = 2019
    return S["management_year"]


def call_budget_record_management(u):
    y = management_appropriations()
    return u["client"].call("budget.record_management", {"year": y, "amount": 1000, "purpose": "Kiểm tra đề án",
                                                         "voucher_no": "PC-1", "spent_on": "%d-06-01" % y}), \
        lambda m: m.get("result", {}).get("amount") == 1000


def call_budget_management(u):
    return u["client"].call("budget.management", {"year": 2040}), \
        lambda m: isinstance(m.get("result", {}).get("rows"), list)


def call_budget_summary(u):
    return u["client"].call("budget.summary", {"year": 2040}), \
        lambda m: isinstance(m.get("result", {}).get("by_province"), list)


# reports (issue 5): every role but admin
def call_report_summary(u):
    return u["client"].call("report.summary", {"from_year": 2040, "to_year": 2040, "group_by": ["province"]}), \
        lambda m: isinstance(m.get("result", {}).get("rows"), list)


def call_report_export(u):
    return u["client"].call("report.export", {"report": "summary", "format": "csv",
                                              "params": {"from_year": 2040, "to_year": 2040, "group_by": []}}), \
        lambda m: m.get("result", {}).get("filename") == "bao-cao-tong-hop-2040-2040.csv"


# what awaits me (issue 16): inbox.* for every role, report.dashboard as
# report.summary
def call_inbox_list(u):
    return u["client"].call("inbox.list", {"limit": 5}), \
        lambda m: isinstance(m.get("result", {}).get("items"), list)


def call_inbox_mark_seen(u):
    return u["client"].call("inbox.mark_seen", {}), \
        lambda m: isinstance(m.get("result", {}).get("seen_at"), str)


def call_report_dashboard(u):
    return u["client"].call("report.dashboard", {"year": 2040}), \
        lambda m: m.get("result", {}).get("year") == 2040


# Ministry appraisal (issue 4): review.* and project.resubmit
MINISTRY = {"ministry_reviewer", "ministry_approver"}


def forwarded_project():
    """A project of a national plan submitted and forwarded by the leader."""
    plan = fresh_plan("national", state="submitted")
    role_users()["province_leader"]["client"].result(
        "plan.appraise", {"id": plan["id"], "version": plan["version"], "decision": "forward"})
    return role_users()["province_officer"]["client"].result("project.get", {"id": plan["projects"][0]["id"]})


def shared_forwarded():
    if "forwarded" not in S:
        S["forwarded"] = forwarded_project()
    return S["forwarded"]


def call_review_queue(u):
    return u["client"].call("review.queue", {"limit": 5}), \
        lambda m: isinstance(m.get("result", {}).get("items"), list)


def call_review_assign(u):
    p = shared_forwarded()
    rid = role_users()["ministry_reviewer"]["id"]
    return u["client"].call("review.assign", {"project_id": p["id"], "reviewer_id": rid}), \
        lambda m: m.get("result", {}).get("reviewer_id") == rid


def call_review_comment(u):
    return u["client"].call("review.comment", {"project_id": shared_forwarded()["id"], "body": "Ý kiến"}), \
        lambda m: m.get("result", {}).get("body") == "Ý kiến"


def call_review_comments(u):
    return u["client"].call("review.comments", {"project_id": shared_forwarded()["id"]}), \
        lambda m: isinstance(m.get("result", {}).get("items"), list)


def call_review_score(u):
    p = shared_forwarded()
    return u["client"].call("review.score", {"project_id": p["id"],
                                             "scores": [{"criterion": 1, "score": 8}]}), \
        lambda m: m.get("result", {}).get("average") == 8


def call_review_decide(u):
    # a fresh project only for the roles that will change it (plan slots are few)
    p = forwarded_project() if u["role"] in MINISTRY else shared_forwarded()
    decision = "approve" if u["role"] == "ministry_approver" else "request_revision"
    want = "approved" if decision == "approve" else "revision_requested"
    return u["client"].call("review.decide", {"project_id": p["id"], "version": p["version"],
                                              "decision": decision, "comment": "x"}), \
        lambda m: m.get("result", {}).get("status") == want


def call_review_diff(u):
    return u["client"].call("review.diff", {"project_id": shared_forwarded()["id"]}), \
        lambda m: isinstance(m.get("result", {}).get("changes"), list)


def call_project_resubmit(u):
    if u["role"] not in PROVINCE:
        p = shared_forwarded()
        return u["client"].call("project.resubmit", {"id": p["id"], "version": p["version"]}), \
            lambda m: False
    p = forwarded_project()
    d = role_users()["ministry_reviewer"]["client"].result(
        "review.decide", {"project_id": p["id"], "version": p["version"], "decision": "request_revision"})
    return u["client"].call("project.resubmit", {"id": p["id"], "version": d["version"]}), \
        lambda m: m.get("result", {}).get("stage") == "resubmitted"


# correspondence.* and deadline.overdue (issue 4): requests opened by the
# province_officer of 25; no plan slot used
def open_correspondence():
    return role_users()["province_officer"]["client"].result(
        "correspondence.open", {"subject": "Vướng mắc", "body": "Đề nghị hướng dẫn"})


def shared_correspondence():
    if "correspondence" not in S:
        S["correspondence"] = open_correspondence()
    return S["correspondence"]


def call_correspondence_open(u):
    return u["client"].call("correspondence.open", {"subject": "Kiến nghị", "body": "Nội dung"}), \
        lambda m: m.get("result", {}).get("status") == "open"


def call_correspondence_reply(u):
    return u["client"].call("correspondence.reply", {"id": shared_correspondence()["id"], "body": "Trả lời"}), \
        lambda m: m.get("result", {}).get("body") == "Trả lời"


def call_correspondence_answer(u):
    c = open_correspondence()
    return u["client"].call("correspondence.answer", {"id": c["id"], "version": c["version"], "answer": "Đáp"}), \
        lambda m: m.get("result", {}).get("status") == "answered"


def call_correspondence_close(u):
    c = open_correspondence()
    return u["client"].call("correspondence.close", {"id": c["id"], "version": c["version"]}), \
        lambda m: m.get("result", {}).get("status") == "closed"


def call_correspondence_list(u):
    return u["client"].call("correspondence.list", {"limit": 5}), \
        lambda m: isinstance(m.get("result", {}).get("items"), list)


def call_correspondence_get(u):
    c = shared_correspondence()
    return u["client"].call("correspondence.get", {"id": c["id"]}), \
        lambda m: m.get("result", {}).get("id") == c["id"]


def call_deadline_overdue(u):
    return u["client"].call("deadline.overdue", {}), \
        lambda m: isinstance(m.get("result", {}).get("items"), list)


# plan decisions and settlement (issue 4, 0012): writes by ministry_approver
# only; reads by every role but admin. One plan slot for all of them.
def decision_pool():
    """Projects of one national plan, forwarded and appraised (through SQL),
    and the year's approval decision once made."""
    if "decision_pool" not in S:
        plan = fresh_plan("national", projects=3, state="submitted")
        role_users()["province_leader"]["client"].result(
            "plan.appraise", {"id": plan["id"], "version": plan["version"], "decision": "forward"})
        srv().sql("DO $$ BEGIN PERFORM kc_actor_set(NULL, 'ministry_approver'); "
                  "UPDATE projects SET status = 'approved', stage = 'ministry_appraised' WHERE plan_id = %d; "
                  "END $$" % plan["id"])
        S["decision_pool"] = {"year": plan["year"], "ids": [x["id"] for x in plan["projects"]]}
    return S["decision_pool"]


def plan_decision():
    pool = decision_pool()
    if "decision" not in pool:
        pool["decision"] = approver_client().result("decision.approve_plan", {
            "year": pool["year"], "number": "QĐ-%d" % pool["year"], "signed_on": "2026-01-10",
            "signer": "Bộ trưởng", "project_ids": [pool["ids"][0]]})
    return pool["decision"]


def call_decision_approve_plan(u):
    pool = decision_pool()
    if u["role"] != "ministry_approver":
        return u["client"].call("decision.approve_plan", {
            "year": pool["year"], "number": "QĐ-x", "signed_on": "2026-01-10", "signer": "x",
            "project_ids": [pool["ids"][0]]}), lambda m: False
    d = plan_decision()
    return {"result": d}, lambda m: m.get("result", {}).get("kind") == "approval"


def call_decision_amend(u):
    d = plan_decision()
    pid = decision_pool()["ids"][1]
    return u["client"].call("decision.amend", {
        "amends_id": d["id"], "number": "QĐ-SĐ-%s" % u["role"], "signed_on": "2026-02-01", "signer": "x",
        "items": [{"project_id": pid, "action": "add"}]}), \
        lambda m: m.get("result", {}).get("kind") == "amendment"


def call_decision_list(u):
    return u["client"].call("decision.list", {"year": decision_pool()["year"]}), \
        lambda m: isinstance(m.get("result", {}).get("items"), list)


def call_decision_get(u):
    return u["client"].call("decision.get", {"id": plan_decision()["id"]}), \
        lambda m: m.get("result", {}).get("id") == plan_decision()["id"]


def call_budget_settle(u):
    pid = decision_pool()["ids"][2]
    if u["role"] == "ministry_approver":
        srv().sql("DO $$ BEGIN PERFORM kc_actor_set(NULL, 'ministry_approver'); "
                  "UPDATE projects SET status = 'completed', stage = 'accepted', version = version + 1 "
                  "WHERE id = %d; INSERT INTO project_acceptances (project_id, accepted_on, record_no, "
                  "accepted_by, accepted_role) VALUES (%d, current_date, 'BB-1', %d, 'ministry_approver'); "
                  "END $$" % (pid, pid, u["id"]))
    v = int(srv().sql("SELECT version FROM projects WHERE id = %d" % pid).strip())
    return u["client"].call("budget.settle", {"project_id": pid, "version": v, "settled_on": "2099-01-01",
                                              "record_no": "QT-1", "amounts": [{"source": "central", "amount": 0}]}), \
        lambda m: m.get("result", {}).get("record_no") == "QT-1"


def call_budget_carry_over(u):
    if u["role"] != "ministry_approver":
        return u["client"].call("budget.carry_over", {"project_id": 1, "to_year": 2100, "amount": 1}), \
            lambda m: False
    p = budgeted_project()
    return u["client"].call("budget.carry_over", {"project_id": p["id"], "to_year": 2100, "amount": 10}), \
        lambda m: m.get("result", {}).get("amount") == 10


def call_budget_recover(u):
    # the settled project of call_budget_settle owes nothing: the approver's
    # call reaches the rule (1022 on amount), which only the handler answers
    pid = decision_pool()["ids"][2]
    return u["client"].call("budget.recover", {"project_id": pid, "amount": 1, "date": "2099-01-02",
                                               "document_no": "TH-1"}), \
        lambda m: m.get("error", {}).get("code") == kctest.RULE \
        and m["error"]["data"]["violations"][0]["rule"] == "to_recover"


def call_budget_settlement(u):
    return u["client"].call("budget.settlement", {"project_id": decision_pool()["ids"][0]}), \
        lambda m: "settle_due" in m.get("result", {})


# the desktop client's reads (srv-handler-client-reads.c)
def call_budget_project(u):
    return u["client"].call("budget.project", {"project_id": decision_pool()["ids"][0]}), \
        lambda m: isinstance(m.get("result", {}).get("disbursements"), list) \
        and "allocated" in m["result"].get("totals", {})


def call_user_reviewers(u):
    reviewer = role_users()["ministry_reviewer"]
    viewer = role_users()["viewer"]

    def ok(m):
        names = {i["id"]: (i["full_name"], i["role"]) for i in m.get("result", {}).get("items", [])}
        return names.get(reviewer["id"], (None, None))[1] == "ministry_reviewer" \
            and viewer["id"] not in names
    return u["client"].call("user.reviewers", {}), ok



def call_catalog_communes(u):
    return u["client"].call("catalog.communes", {}), \
        lambda m: isinstance(m.get("result", {}).get("items"), list)

# programmes and their reports (issue 5, 0019–0020): a national programme is
# kept by the Ministry (approver, admin), a local one by its province; each
# call that writes gets a programme of its own in a period made for it.
_programme_years = itertools.count(2041)


def fresh_programme(scope):
    y = next(_programme_years)
    srv().sql("INSERT INTO programme_periods (code, name_vi, name_en, from_year, to_year, decision,"
              " decision_date, legal_act, valid_from, confidence) VALUES ('KCQG-%d-%d', 'Thử', 'Test',"
              " %d, %d, 'QĐ thử', '2026-01-01', 'thử', '2026-01-01', 'U')" % (y, y, y, y))
    owner = role_users()["province_officer" if scope == "local" else "ministry_approver"]["client"]
    return owner.result("programme.create", {"period": "KCQG-%d-%d" % (y, y), "scope": scope})


def programme_scope(u):
    return "local" if u["role"] in PROVINCE else "national"


def call_programme_list(u):
    return u["client"].call("programme.list", {"scope": "national"}), \
        lambda m: len(m.get("result", {}).get("items", [])) >= 3


def call_programme_get(u):
    return u["client"].call("programme.get", {"id": 1}), \
        lambda m: m.get("result", {}).get("period") == "KCQG-2014-2020"


def call_programme_create(u):
    y = next(_programme_years)
    srv().sql("INSERT INTO programme_periods (code, name_vi, name_en, from_year, to_year, decision,"
              " decision_date, legal_act, valid_from, confidence) VALUES ('KCQG-%d-%d', 'Thử', 'Test',"
              " %d, %d, 'QĐ thử', '2026-01-01', 'thử', '2026-01-01', 'U')" % (y, y, y, y))
    return u["client"].call("programme.create", {"period": "KCQG-%d-%d" % (y, y), "scope": programme_scope(u)}), \
        lambda m: m.get("result", {}).get("status") == "draft"


def call_programme_update(u):
    p = fresh_programme(programme_scope(u))
    return u["client"].call("programme.update", {"id": p["id"], "version": p["version"], "title": "Sửa"}), \
        lambda m: m.get("result", {}).get("title") == "Sửa"


def call_programme_set_targets(u):
    p = fresh_programme(programme_scope(u))
    return u["client"].call("programme.set_targets", {"id": p["id"], "version": p["version"],
                                                      "targets": [{"indicator": "I01", "target": 1}]}), \
        lambda m: m.get("result", {}).get("target_count") == 1


def call_programme_approve(u):
    p = fresh_programme(programme_scope(u))
    return u["client"].call("programme.approve", {"id": p["id"], "version": p["version"],
                                                  "decision_no": "1/QĐ", "decision_date": "2026-02-01"}), \
        lambda m: m.get("result", {}).get("status") == "approved"


def call_programme_comment(u):
    p = fresh_programme("national")
    return u["client"].call("programme.comment", {"programme_id": p["id"], "text": "Góp ý"}), \
        lambda m: m.get("result", {}).get("text") == "Góp ý"


def call_programme_comments(u):
    return u["client"].call("programme.comments", {"programme_id": 1}), \
        lambda m: isinstance(m.get("result", {}).get("items"), list)


def call_report_programme(u):
    return u["client"].call("report.programme", {"period": "KCQG-2021-2025"}), \
        lambda m: isinstance(m.get("result", {}).get("rows"), list)


def call_report_province(u):
    return u["client"].call("report.province", {"org_id": srv().org_id("25"), "year": 2025, "period": "q1"}), \
        lambda m: isinstance(m.get("result", {}).get("rows"), list)


def call_report_province_send(u):
    return u["client"].call("report.province_send", {"org_id": srv().org_id("25"), "year": 2025,
                                                     "period": "q1"}), \
        lambda m: m.get("result", {}).get("period") == "q1"


def call_report_registration_list(u):
    return u["client"].call("report.registration_list", {"year": 2025}), \
        lambda m: isinstance(m.get("result", {}).get("rows"), list)


def call_report_cost_estimate(u):
    pid = shared_local_plan()["projects"][0]["id"]
    return u["client"].call("report.cost_estimate", {"project_id": pid}), \
        lambda m: m.get("result", {}).get("project_id") == pid


def call_project_set_cost_items(u):
    pr = fresh_plan("local")["projects"][0]
    return u["client"].call("project.set_cost_items", {"id": pr["id"], "version": pr["version"],
                                                       "items": [{"item": "Máy", "central": 300}]}), \
        lambda m: m.get("result", {}).get("version") == pr["version"] + 1



# reporting rounds (issue 15, 0026): each call that writes gets a round of
# its own, opened by the approver; the report is province 25's (ROLE_ORG).
def fresh_round():
    return role_users()["ministry_approver"]["client"].result("round.create", {
        "title": "Thử", "document_no": "1/BCT", "signed_on": "2026-01-01", "kind": "periodic",
        "from_year": 2025, "to_year": 2025, "due_on": "2026-03-01"})


def sent_round():
    rd = fresh_round()
    officer = role_users()["province_officer"]["client"]
    r = officer.result("round.report_get", {"round_id": rd["id"]})
    u = officer.result("round.report_update", {"round_id": rd["id"], "version": r["version"],
                                               "sections": [{"key": "results", "text": "x"}]})
    role_users()["province_leader"]["client"].result("round.report_send", {"round_id": rd["id"],
                                                                           "version": u["version"]})
    return rd


def shared_round():
    if "round" not in S:
        S["round"] = fresh_round()
    return S["round"]


def call_round_create(u):
    return u["client"].call("round.create", {"title": "Thử", "document_no": "1/BCT", "signed_on": "2026-01-01",
                                             "kind": "summary", "from_year": 2021, "to_year": 2025,
                                             "due_on": "2026-03-01"}), \
        lambda m: m.get("result", {}).get("counts", {}).get("total") == 34


def call_round_get(u):
    rid = shared_round()["id"]
    return u["client"].call("round.get", {"id": rid}), lambda m: m.get("result", {}).get("id") == rid


def call_round_list(u):
    shared_round()
    return u["client"].call("round.list", {}), lambda m: len(m.get("result", {}).get("items", [])) >= 1


def call_round_report_get(u):
    rid = shared_round()["id"]
    return u["client"].call("round.report_get", {"round_id": rid, "org_id": srv().org_id("25")}), \
        lambda m: m.get("result", {}).get("org_id") == srv().org_id("25")


def call_round_report_update(u):
    rd = fresh_round()
    return u["client"].call("round.report_update", {"round_id": rd["id"], "version": 1,
                                                    "sections": [{"key": "results", "text": "x"}]}), \
        lambda m: m.get("result", {}).get("status") == "drafting"


def call_round_report_send(u):
    rd = fresh_round()
    officer = role_users()["province_officer"]["client"]
    officer.result("round.report_update", {"round_id": rd["id"], "version": 1,
                                           "sections": [{"key": "results", "text": "x"}]})
    return u["client"].call("round.report_send", {"round_id": rd["id"], "version": 2}), \
        lambda m: m.get("result", {}).get("status") == "sent"


def call_round_report_return(u):
    rd = sent_round()
    return u["client"].call("round.report_return", {"round_id": rd["id"], "org_id": srv().org_id("25"),
                                                    "comment": "Bổ sung"}), \
        lambda m: m.get("result", {}).get("status") == "returned"


def call_round_report_accept(u):
    rd = sent_round()
    return u["client"].call("round.report_accept", {"round_id": rd["id"], "org_id": srv().org_id("25")}), \
        lambda m: m.get("result", {}).get("status") == "accepted"


def call_round_consolidate(u):
    rid = shared_round()["id"]
    return u["client"].call("round.consolidate", {"round_id": rid}), \
        lambda m: len(m.get("result", {}).get("provinces", [])) == 34


def call_report_round_report(u):
    rid = shared_round()["id"]
    return u["client"].call("report.round_report", {"round_id": rid, "org_id": srv().org_id("25")}), \
        lambda m: "document" in m.get("result", {})


def call_report_round_consolidated(u):
    rid = shared_round()["id"]
    return u["client"].call("report.round_consolidated", {"round_id": rid}), \
        lambda m: "document" in m.get("result", {})

TABLE = {
    "server.info": (ALL, call_server_info),
    "auth.login": (ALL, call_login),
    "auth.resume": (ALL, call_resume),
    "auth.logout": (ALL, call_logout),
    "auth.change_password": (ALL, call_change_password),
    "auth.whoami": (ALL, call_whoami),
    "user.create": (ADMIN, call_user_create),
    "user.get": (ADMIN, call_user_get),
    "user.list": (ADMIN, call_user_list),
    "user.update": (ADMIN, call_user_update),
    "user.disable": (ADMIN, call_user_disable),
    "user.reset_password": (ADMIN, call_user_reset_password),
    "auth.totp_status": (ALL, call_totp_status),
    "auth.totp_begin": (ALL, call_totp_begin),
    "auth.totp_confirm": (ALL, call_totp_confirm),
    "auth.totp_disable": (ALL, call_totp_disable),
    "user.reset_totp": (ADMIN, call_user_reset_totp),
    "user.confirm_reset": (ADMIN, call_user_confirm_reset),
    "org.list": (ALL, call_org_list),
    "events.subscribe": (ALL, call_events_subscribe),
    "audit.list": (ADMIN, call_audit_list),
    "catalog.get": (ALL, call_catalog_get),
    "catalog.update": (ADMIN, call_catalog_update),
    "catalog.add_cap": (ADMIN, call_catalog_add_cap),
    "catalog.add_local_cap": (ADMIN | LEADER, call_catalog_add_local_cap),
    "project.fail_base_appraisal": (LEADER, call_project_fail_base_appraisal),
    "project.approve_implementation_plan": (LEADER, call_project_approve_implementation_plan),
    "budget.submit_settlement": (PROVINCE, call_budget_submit_settlement),
    "plan.create": (PROVINCE, call_plan_create),
    "plan.get": (ALL, call_plan_get),
    "plan.list": (ALL, call_plan_list),
    "plan.update": (PROVINCE, call_plan_update),
    "plan.submit": (PROVINCE, call_plan_submit),
    "plan.withdraw": (PROVINCE, call_plan_withdraw),
    "plan.appraise": (LEADER, call_plan_appraise),
    "plan.approve_local": (LEADER, call_plan_approve_local),
    "project.create": (PROVINCE, call_project_create),
    "project.get": (ALL, call_project_get),
    "project.list": (ALL, call_project_list),
    "project.update": (PROVINCE, call_project_update),
    "project.delete": (PROVINCE, call_project_delete),
    "attachment.begin": (PROVINCE | MINISTRY, call_attachment_begin),
    "attachment.put": (PROVINCE | MINISTRY, call_attachment_put),
    "attachment.finish": (PROVINCE | MINISTRY, call_attachment_finish),
    "attachment.abort": (PROVINCE | MINISTRY, call_attachment_abort),
    "attachment.list": (ALL, call_attachment_list),
    "attachment.get": (ALL, call_attachment_get),
    "attachment.delete": (PROVINCE, call_attachment_delete),
    "project.import": (PROVINCE, call_project_import),
    "project.check": (ALL, call_project_check),
    "project.copy": (PROVINCE, call_project_copy),
    "progress.report": (PROVINCE, call_progress_report),
    "progress.confirm": (LEADER, call_progress_confirm),
    "progress.return": (LEADER, call_progress_return),
    "progress.list": (ALL, call_progress_list),
    "project.accept": (MINISTRY_LEADER, call_project_accept),
    "adjustment.request": (PROVINCE, call_adjustment_request),
    "adjustment.decide": (MINISTRY_LEADER, call_adjustment_decide),
    "adjustment.list": (ALL, call_adjustment_list),
    "project.cancel": ({"province_leader", "ministry_approver"}, call_project_cancel),
    "typical_product.create": ({"admin", "province_leader"}, call_typical_product_create),
    "typical_product.list": (ALL, call_typical_product_list),
    "typical_product.update": ({"admin", "province_leader"}, call_typical_product_update),
    "review.queue": (MINISTRY, call_review_queue),
    "review.assign": ({"ministry_approver"}, call_review_assign),
    "review.comment": (MINISTRY | PROVINCE, call_review_comment),
    "review.comments": (ALL, call_review_comments),
    "review.score": (MINISTRY, call_review_score),
    "review.decide": (MINISTRY, call_review_decide),
    "review.diff": (ALL, call_review_diff),
    "project.resubmit": (PROVINCE, call_project_resubmit),
    "budget.set_appropriation": (APPROVER, call_budget_set_appropriation),
    "budget.allocate": (APPROVER, call_budget_allocate),
    "budget.contract": (APPROVER, call_budget_contract),
    "budget.disburse": (APPROVER, call_budget_disburse),
    "budget.summary": (NOT_ADMIN, call_budget_summary),
    "budget.record_management": ({"ministry_approver", "province_leader"}, call_budget_record_management),
    "budget.management": (NOT_ADMIN, call_budget_management),
    "decision.approve_plan": (APPROVER, call_decision_approve_plan),
    "decision.amend": (APPROVER, call_decision_amend),
    "decision.list": (NOT_ADMIN, call_decision_list),
    "decision.get": (NOT_ADMIN, call_decision_get),
    "budget.settle": (APPROVER, call_budget_settle),
    "budget.carry_over": (APPROVER, call_budget_carry_over),
    "budget.recover": (APPROVER, call_budget_recover),
    "budget.settlement": (NOT_ADMIN, call_budget_settlement),
    "budget.project": (NOT_ADMIN, call_budget_project),
    "user.reviewers": (MINISTRY, call_user_reviewers),
    "catalog.communes": (PROVINCE, call_catalog_communes),
    "correspondence.open": (PROVINCE, call_correspondence_open),
    "correspondence.reply": (PROVINCE | MINISTRY, call_correspondence_reply),
    "correspondence.answer": (MINISTRY, call_correspondence_answer),
    "correspondence.close": (PROVINCE | MINISTRY, call_correspondence_close),
    "correspondence.list": (ALL, call_correspondence_list),
    "correspondence.get": (ALL, call_correspondence_get),
    "deadline.overdue": (ALL, call_deadline_overdue),
    "programme.list": (ALL, call_programme_list),
    "programme.get": (ALL, call_programme_get),
    "programme.create": (PROVINCE | MINISTRY | ADMIN, call_programme_create),
    "programme.update": (PROVINCE | MINISTRY | ADMIN, call_programme_update),
    "programme.set_targets": (PROVINCE | MINISTRY | ADMIN, call_programme_set_targets),
    "programme.approve": (LEADER | APPROVER, call_programme_approve),
    "programme.comment": (PROVINCE, call_programme_comment),
    "programme.comments": (ALL, call_programme_comments),
    "report.programme": (ALL, call_report_programme),
    "report.province": (NOT_ADMIN, call_report_province),
    "report.province_send": (LEADER, call_report_province_send),
    "report.registration_list": (NOT_ADMIN, call_report_registration_list),
    "report.cost_estimate": (NOT_ADMIN, call_report_cost_estimate),
    "project.set_cost_items": (PROVINCE, call_project_set_cost_items),
    "round.create": (APPROVER, call_round_create),
    "round.get": (NOT_ADMIN, call_round_get),
    "round.list": (NOT_ADMIN, call_round_list),
    "round.report_get": (NOT_ADMIN, call_round_report_get),
    "round.report_update": (PROVINCE, call_round_report_update),
    "round.report_send": (LEADER, call_round_report_send),
    "round.report_return": (MINISTRY, call_round_report_return),
    "round.report_accept": (APPROVER, call_round_report_accept),
    "round.consolidate": (MINISTRY, call_round_consolidate),
    "report.round_report": (NOT_ADMIN, call_report_round_report),
    "report.round_consolidated": (MINISTRY, call_report_round_consolidated),
    "report.summary": (NOT_ADMIN, call_report_summary),
    "report.export": (NOT_ADMIN, call_report_export),
    "inbox.list": (ALL, call_inbox_list),
    "inbox.mark_seen": (ALL, call_inbox_mark_seen),
    "report.dashboard": (NOT_ADMIN, call_report_dashboard),
    # last: its fresh plans take the years after every other method's
    "project.submit_acceptance": (PROVINCE, call_project_submit_acceptance),
}


def dispatch_methods():
    """Every method of the server's tables: srv-dispatch.c and the tables
    that handler families keep beside their handlers (srv-handler-*.c)."""
    import glob
    names = []
    server_dir = os.path.join(kctest.SOURCE_ROOT, "server")
    paths = [os.path.join(server_dir, "srv-dispatch.c")] + sorted(
        glob.glob(os.path.join(server_dir, "srv-handler-*.c")))
    for path in paths:
        with open(path, encoding="utf-8") as f:
            text = f.read()
        names += re.findall(r'\{\s*"([A-Za-z0-9_]+\.[A-Za-z0-9_.]+)"\s*,\s*srv_handle', text)
    check(names, "no methods found in %s" % paths)
    return names


# ---------------------------------------------------------------------------

@tap.test("every method in the server's tables is covered by the role table")
def _():
    missing = [m for m in dispatch_methods() if m not in TABLE]
    check(not missing, "methods without a role expectation in test_roles.py: %s" % missing)


@tap.test("every method of the role table is dispatched by the server (not -32601)")
def _():
    with srv().client() as c:
        for method in TABLE:
            m = c.call(method, {})
            check(m.get("error", {}).get("code") != kctest.METHOD_NOT_FOUND,
                  "%s is not known to the server" % method, m)


def add_role_test(role, method):
    allowed, caller = TABLE[method]
    expect = "allowed" if role in allowed else "1003"

    @tap.test("%s may%s call %s" % (role, "" if role in allowed else " not", method))
    def _():
        users = role_users()
        if "target" not in S:
            S["target"] = scratch_user()
        u = users[role]
        m, is_ok = caller(u)
        code = m.get("error", {}).get("code")
        if expect == "allowed":
            check(code != kctest.FORBIDDEN, "%s got 1003 for %s" % (role, method), m)
            check(code not in (kctest.NOT_LOGGED_IN, kctest.SESSION_EXPIRED),
                  "the role's session is gone", m)
            check(is_ok(m), "allowed call did not do its job", m)
        else:
            check_equal(code, kctest.FORBIDDEN, "error code of %s for %s (%s)"
                        % (method, role, json.dumps(m, ensure_ascii=False)[:300]))
            check("result" not in m, "a forbidden call has a result", m)


for _method in TABLE:
    for _role in kctest.ROLES:
        add_role_test(_role, _method)


@tap.test("the server exits 0 on SIGTERM (no leaks or errors under a wrapper)")
def _():
    for u in S.get("users", {}).values():
        u["client"].close()
    if "admin" in S:
        S["admin"].close()
    srv().stop()


tap.run()
