#!/usr/bin/env python3
"""Separation of duties, second half (issue 13, point 9): the administrator
changes support caps and an approved programme's targets and budget only
through a recorded decision (number, date, signer, attachment?). Without it
the server answers 1022 `decision_required` and nothing changes; the
database refuses the same change made by any other way (KC022); with it,
the decision is recorded, carried by the changed rows and written into the
audit row (sql/0029_change_decisions.sql)."""

import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "integration"))
import kctest  # noqa: E402
from kctest import check, check_equal  # noqa: E402

tap = kctest.Tap()
S = {}
DECISION = {"number": "12/2026/TT-BCT", "date": "2026-04-02", "signer": "Thứ trưởng Trương Thanh Hoài"}


def srv():
    if "main" not in S:
        S["main"] = kctest.Server()
    return S["main"]


def admin():
    if "admin" not in S or S["admin"].closed:
        S["admin"] = srv().admin(source=kctest.next_peer())
    return S["admin"]


def user(role):
    if role not in S:
        u = kctest.create_user(admin(), role)
        S[role] = srv().login(u["username"], u["password"], source=kctest.next_peer())
    return S[role]


def rule_of(e):
    v = (e.get("data") or {}).get("violations") or [{}]
    return v[0].get("field"), v[0].get("rule")


def cap_row(cap_id):
    return srv().sql("SELECT row_to_json(c) FROM support_caps c WHERE id = %d" % cap_id).strip()


def a_cap():
    cat = admin().result("catalog.get", {})
    return [c for c in cat["support_caps"] if c["cap_code"] == "C14"][0]


@tap.test("catalog.update of a support cap without a decision -> 1022 decision_required; the row, the decisions and the audit log unchanged")
def _():
    a = admin()
    c = a_cap()
    before, head = cap_row(c["id"]), kctest.audit_head(a)
    e = a.error("catalog.update", {"section": "support_caps", "key": c["id"], "version": c["version"],
                                   "fields": {"abs_cap_vnd": 1}}, kctest.RULE)
    check_equal(rule_of(e), ("decision", "decision_required"), "the rule")
    e = a.error("catalog.update", {"section": "support_caps", "key": c["id"], "version": c["version"],
                                   "fields": {"abs_cap_vnd": 1}, "decision": None}, kctest.RULE)
    check_equal(rule_of(e), ("decision", "decision_required"), "null is no decision")
    # a decision that is not one: -32602 naming the member
    e = a.error("catalog.update", {"section": "support_caps", "key": c["id"], "version": c["version"],
                                   "fields": {"abs_cap_vnd": 1},
                                   "decision": {"number": "", "date": "2026-02-30", "x": 1}},
                kctest.INVALID_PARAMS)
    check(set(kctest.field_names(e)) >= {"decision.number", "decision.date", "decision.signer"},
          "the decision's members checked", e)
    e = a.error("catalog.update", {"section": "support_caps", "key": c["id"], "version": c["version"],
                                   "fields": {"abs_cap_vnd": 1},
                                   "decision": dict(DECISION, attachment_id=987654321)}, kctest.RULE)
    check_equal(rule_of(e), ("decision.attachment_id", "exists"), "the scanned decision must exist")
    # a decision on another section is a mistake, not ignored
    a.error("catalog.update", {"section": "sectors", "key": "5.1.a", "version": 1,
                               "fields": {"name_en": "x"}, "decision": DECISION}, kctest.INVALID_PARAMS)
    check_equal(cap_row(c["id"]), before, "the cap unchanged")
    check_equal(srv().sql("SELECT count(*) FROM change_decisions").strip(), "0", "no decision recorded")
    check_equal(kctest.audit_head(a), head, "nothing audited")


@tap.test("catalog.update / catalog.add_cap with a decision: recorded, carried by the rows, in the audit row")
def _():
    a = admin()
    c = a_cap()
    head = kctest.audit_head(a)
    r = a.result("catalog.update", {"section": "support_caps", "key": c["id"], "version": c["version"],
                                    "fields": {"abs_cap_vnd": 65000000}, "decision": DECISION})
    check_equal((r["abs_cap_vnd"], r["version"]), (65000000, c["version"] + 1), "updated")
    d = json.loads(srv().sql("SELECT row_to_json(d) FROM change_decisions d WHERE id = %d"
                             % r["change_decision_id"]).strip())
    check_equal((d["number"], d["decided_on"], d["signer"], d["method"]),
                (DECISION["number"], DECISION["date"], DECISION["signer"], "catalog.update"), "recorded")
    audit = [x for x in kctest.audit_entries(a, method="catalog.update") if x["seq"] > head]
    check_equal(len(audit), 1, "one audit row")
    check_equal({k: audit[0]["after"]["decision"][k] for k in ("number", "date", "signer")}, DECISION,
                "the decision in the audit row")
    # a new cap from a day on: the new row and the closed one carry the decision
    r = a.result("catalog.add_cap", {"cap_code": "C14", "content_code": c["content_code"], "abs_cap_vnd": 70000000,
                                     "unit": c["unit"] or "x", "base": c["base"] or "x", "legal_act": "TT thử",
                                     "valid_from": "2031-01-01", "confidence": "U", "decision": DECISION})
    check(r["cap"]["change_decision_id"] is not None
          and r["closed"]["change_decision_id"] == r["cap"]["change_decision_id"], "both rows stamped", r)
    check_equal(r["decision"]["number"], DECISION["number"], "the decision answered")
    e = a.error("catalog.add_cap", {"cap_code": "C14", "content_code": c["content_code"], "abs_cap_vnd": 1,
                                    "unit": "x", "base": "x", "legal_act": "TT thử", "valid_from": "2032-01-01",
                                    "confidence": "U"}, kctest.RULE)
    check_equal(rule_of(e), ("decision", "decision_required"), "add_cap without a decision")
    check_equal(srv().sql("SELECT count(*) FROM support_caps WHERE cap_code = 'C14' AND valid_from >= '2032-01-01'")
                .strip(), "0", "nothing added")


@tap.test("catalog.add_local_cap without a decision -> 1022 (after 1003 for who may not); with it, recorded")
def _():
    hung = user("province_leader")
    cap = {"cap_code": "C03", "name_vi": "Mức tỉnh", "abs_cap_vnd": 10000000, "legal_act": "NQ 5/2026/NQ-HĐND",
           "valid_from": "2026-01-01", "confidence": "C"}
    user("province_officer").error("catalog.add_local_cap", cap, kctest.FORBIDDEN)
    e = hung.error("catalog.add_local_cap", cap, kctest.RULE)
    check_equal(rule_of(e), ("decision", "decision_required"), "the rule")
    check_equal(srv().sql("SELECT count(*) FROM local_caps").strip(), "0", "nothing added")
    r = hung.result("catalog.add_local_cap", dict(cap, decision={"number": "5/2026/NQ-HĐND", "date": "2025-12-09",
                                                                 "signer": "Chủ tịch HĐND tỉnh"}))
    check(r["change_decision_id"] is not None and r["decision"]["signer"] == "Chủ tịch HĐND tỉnh", "stamped", r)
    # a refused second row of the same day leaves no decision behind
    n = srv().sql("SELECT count(*) FROM change_decisions").strip()
    hung.error("catalog.add_local_cap", dict(cap, decision=DECISION), kctest.RULE)
    check_equal(srv().sql("SELECT count(*) FROM change_decisions").strip(), n, "no stray decision")


@tap.test("an approved programme: set_targets / update without a decision -> 1022 by admin and approver alike; a draft needs none")
def _():
    a, appr = admin(), user("ministry_approver")
    p = a.result("programme.list", {"scope": "national", "status": "approved"})["items"][0]
    full = a.result("programme.get", {"id": p["id"]})
    before = srv().sql("SELECT json_agg(t ORDER BY id) FROM programme_targets t WHERE programme_id = %d"
                       % p["id"]).strip()
    for c in (a, appr):
        e = c.error("programme.set_targets", {"id": p["id"], "version": full["version"],
                                              "budget": [{"source": "central", "amount": 1}]}, kctest.RULE)
        check_equal(rule_of(e), ("decision", "decision_required"), "set_targets")
        e = c.error("programme.update", {"id": p["id"], "version": full["version"], "title": "x"}, kctest.RULE)
        check_equal(rule_of(e), ("decision", "decision_required"), "update")
    # stale is still 1009 first
    a.error("programme.update", {"id": p["id"], "version": full["version"] + 5, "title": "x"}, kctest.CONFLICT)
    check_equal(srv().sql("SELECT json_agg(t ORDER BY id) FROM programme_targets t WHERE programme_id = %d"
                          % p["id"]).strip(), before, "targets unchanged")
    r = a.result("programme.set_targets", {"id": p["id"], "version": full["version"], "decision": DECISION,
                                           "budget": [{"source": "central", "amount": 500000000000}]})
    check_equal(r["change_decision"]["number"], DECISION["number"], "the programme names its decision")
    audit = kctest.audit_entries(a, method="programme.set_targets", record_type="programme")
    check_equal(audit[0]["after"]["change_decision"]["signer"], DECISION["signer"], "audited with it")
    check_equal(srv().sql("SELECT count(*) FROM programme_budgets WHERE programme_id = %d"
                          " AND change_decision_id IS NULL" % p["id"]).strip(), "0", "rows stamped")
    # a province's draft programme: no decision asked
    lan = user("province_officer")
    d = lan.result("programme.create", {"period": "KCQG-2026-2030", "scope": "local"})
    lan.result("programme.set_targets", {"id": d["id"], "version": d["version"],
                                         "targets": [{"indicator": "I01", "target": 10}]})


@tap.test("the database refuses a cap or an approved programme changed without a decision in the same transaction (KC022)")
def _():
    c = a_cap()
    for stmt in ("UPDATE support_caps SET abs_cap_vnd = 1 WHERE id = %d" % c["id"],
                 "UPDATE support_caps SET abs_cap_vnd = 1, change_decision_id = (SELECT max(id) FROM change_decisions)"
                 " WHERE id = %d" % c["id"],
                 "DELETE FROM programme_targets WHERE programme_id = (SELECT min(id) FROM programmes"
                 " WHERE status = 'approved')",
                 "UPDATE programmes SET title = 'x' WHERE status = 'approved'",
                 # a decision of this transaction only: the setting alone is not one
                 "SELECT set_config('kc.change_decision', (SELECT max(id) FROM change_decisions)::text, true);"
                 " UPDATE support_caps SET pct_cap = 1 WHERE id = %d" % c["id"]):
        rc, out, err = kctest.psql_try("BEGIN; %s; COMMIT;" % stmt, db=srv().dbname)
        check(rc != 0 and "recorded decision" in err, "refused: " + stmt, err)
    check_equal(a_cap()["version"], c["version"], "the cap unchanged")
    # names and notes are corrections, not decisions
    srv().sql("UPDATE support_caps SET note = 'sửa chính tả' WHERE id = %d" % c["id"])
    # inside one transaction with a recorded decision: accepted and stamped
    srv().sql("BEGIN; SELECT kc_decision_record(NULL, '%s'::jsonb, 'psql');"
              " UPDATE support_caps SET abs_cap_vnd = 2 WHERE id = %d; COMMIT;" % (json.dumps(DECISION), c["id"]))
    check_equal(srv().sql("SELECT abs_cap_vnd, d.method FROM support_caps c JOIN change_decisions d"
                          " ON d.id = c.change_decision_id WHERE c.id = %d" % c["id"]).strip(), "2|psql", "stamped")


tap.run()
