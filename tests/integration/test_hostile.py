#!/usr/bin/env python3
"""Hostile input (issue 7): every write method, table-driven, gets wrong
types, missing and unknown fields, numbers beyond int64 and 2^53, -1 and 0,
control characters (C0, DEL and C1), NUL, 1 MiB strings, invalid UTF-8,
another province's ids, stale versions, calls in the wrong status, forged
and replayed tokens. Each case names the error code it must get, and the
database must be exactly as before every refused call: the row count and
the sum of a hash of every row of the main tables and the audit log are
compared.
SQL and path-traversal strings in text fields are stored verbatim."""

import json
import os
import secrets
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kctest  # noqa: E402
from kctest import check, check_equal  # noqa: E402

tap = kctest.Tap()
S = kctest.Suite()
srv, admin, user = S.srv, S.admin, S.user

E_PARAMS = kctest.INVALID_PARAMS
E_REQUEST = kctest.INVALID_REQUEST
E_PARSE = kctest.PARSE_ERROR

SQL = "'; drop table projects; --"
PATH = "../../etc/passwd"
# Just under 1 MiB: the whole line must fit the 1 MiB limit of methods that
# carry no file (issue 13), so that the field check itself is what refuses it.
MIB = "x" * ((1 << 20) - 4096)

# The tables a refused write could touch. Not sessions (a call refreshes
# its session's last use) nor login_failures (only auth.login writes it).
SNAPSHOT_TABLES = (
    "plans", "plan_history", "plan_transitions", "projects", "project_versions",
    "project_history", "project_transitions", "project_budget_lines", "project_indicators",
    "project_beneficiaries", "appropriations", "allocations", "contracts", "disbursements",
    "review_assignments", "review_comments", "review_scores", "correspondence",
    "correspondence_messages", "users", "attachments", "attachment_chunks", "audit_log",
)


# ---------------------------------------------------------------------------
# The world: two provinces, the Ministry, records in each state

def lan():
    return user("province_officer")["client"]


def hung():
    return user("province_leader")["client"]


def other():
    """An officer of another province (Hà Nội)."""
    return user("province_officer", "01.TTKC")["client"]


def mai():
    return user("ministry_reviewer")["client"]


def tuan():
    return user("ministry_approver")["client"]


def project_params(plan_id, title="Đề án thử"):
    return {"plan_id": plan_id, "title": title, "content_category": "ND45.4.3",
            "budget_lines": [{"source": "central", "amount": 300000000},
                             {"source": "counterpart", "amount": 900000000}],
            "indicators": [], "cap_code": "C02", "no_double_funding": True,
            "beneficiaries": [{"name": "Cơ sở thử", "kind": "household_business"}]}


def world():
    """Records every case can point at, made once."""
    if "world" in S:
        return S["world"]
    s = srv()
    w = {}
    w["plan"] = lan().result("plan.create", {"org_id": s.org_id("25.TTKC"), "year": 2091,
                                             "scope": "national"})
    w["project"] = lan().result("project.create", project_params(w["plan"]["id"]))
    # A submitted plan (its projects are no longer drafts).
    sub = lan().result("plan.create", {"org_id": s.org_id("25.TTKC"), "year": 2092,
                                       "scope": "national"})
    w["sub_project"] = lan().result("project.create", project_params(sub["id"]))
    w["sub_plan"] = lan().result("plan.submit", {"id": sub["id"], "version": sub["version"]})
    w["sub_project"] = lan().result("project.get", {"id": w["sub_project"]["id"]})
    # An approved national project with an appropriation, for budget.*.
    nat = lan().result("plan.create", {"org_id": s.org_id("25.TTKC"), "year": 2093,
                                       "scope": "national"})
    p = lan().result("project.create", project_params(nat["id"]))
    n = lan().result("plan.submit", {"id": nat["id"], "version": nat["version"]})
    hung().result("plan.appraise", {"id": nat["id"], "version": n["version"], "decision": "forward"})
    kctest.approve_in_plan_sql(s, nat["id"])
    w["approved"] = lan().result("project.get", {"id": p["id"]})
    w["appropriation"] = tuan().result("budget.set_appropriation",
                                       {"year": 2093, "source": "central", "amount": 100000000})
    # Another province's plan and project.
    w["other_plan"] = other().result("plan.create", {"org_id": s.org_id("01.TTKC"),
                                                     "year": 2091, "scope": "national"})
    w["other_project"] = other().result("project.create", project_params(w["other_plan"]["id"]))
    w["corr"] = lan().result("correspondence.open", {"subject": "Vướng mắc", "body": "Nội dung."})
    w["other_corr"] = other().result("correspondence.open", {"subject": "Hỏi", "body": "Nội dung."})
    w["upload"] = lan().result("attachment.begin", {
        "owner_type": "project", "owner_id": w["project"]["id"], "file_name": "a.pdf",
        "size": 4, "sha256": "0" * 64})
    w["officer"] = user("province_officer")
    mai()  # every caller logged in before the first snapshot
    S["world"] = w
    return w


# ---------------------------------------------------------------------------
# The snapshot: one psql kept open, so each case costs milliseconds

class Snapshot:
    def __init__(self, server):
        self.proc = subprocess.Popen(
            [kctest._pg_bin("psql"), "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=0",
             "-h", kctest.PGHOST, "-p", str(kctest.PGPORT), "-U", kctest.PGUSER,
             "-d", server.dbname],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            text=True, encoding="utf-8")
        # An audit row's seq and hashes are filled in after its commit, by
        # the servers' seal (sql/0003): hash what the row says, not them.
        row = {"audit_log": "(t.id, t.at, t.user_id, t.username, t.peer, t.method,"
                            " t.record_type, t.record_id, t.before, t.after)"}
        # A refusal (1003, 1004) is on record by design (issue 13: one row per
        # caller, method, code and minute, kc_audit_refusal): not a change.
        where = {"audit_log": " WHERE t.after IS NULL OR t.after->>'result' IS DISTINCT FROM 'refused'"}
        self.query = " UNION ALL ".join(
            "SELECT '%s', count(*), coalesce(sum(hashtext(%s::text)::numeric), 0) FROM %s t%s"
            % (name, row.get(name, "t"), name, where.get(name, ""))
            for name in SNAPSHOT_TABLES) + ";"

    def take(self):
        self.proc.stdin.write(self.query + "\n\\echo __end__\n")
        self.proc.stdin.flush()
        rows = []
        for line in self.proc.stdout:
            line = line.rstrip("\n")
            if line == "__end__":
                break
            rows.append(line)
        check(len(rows) == len(SNAPSHOT_TABLES), "snapshot query failed", rows)
        return rows

    def close(self):
        self.proc.stdin.close()
        self.proc.wait(timeout=10)


def snapshot():
    if "snap" not in S:
        S["snap"] = Snapshot(srv())
        tap.add_cleanup(S["snap"].close)
    return S["snap"]


def diff(before, after):
    return [(b, a) for b, a in zip(before, after) if b != a]


def refused(client, method, params, code, what, raw=None):
    """Calls and checks the code, and that the database did not change.
    With raw (bytes), sends that line instead of method/params."""
    snap = snapshot()
    before = snap.take()
    if raw is not None:
        client.send_raw(raw)
        msg = client.read_message()
    else:
        msg = client.call(method, params)
    got = msg.get("error", {}).get("code")
    if got != code:
        raise AssertionError("%s %s: expected %s, got %s" % (
            method, what, code, json.dumps(msg, ensure_ascii=False)[:400]))
    if code == E_PARAMS and raw is None:
        fields = (msg["error"].get("data") or {}).get("fields")
        check(isinstance(fields, list) and fields, "%s %s: -32602 without data.fields" % (method, what),
              msg)
    changed = diff(before, snap.take())
    check(not changed, "%s %s was refused (%s) but changed the database" % (method, what, code),
          changed)
    return msg["error"]


# ---------------------------------------------------------------------------
# The table: (method, caller, valid-looking params, {field: kind}, required
# fields). The string "1e400" stands for that literal, which json cannot write.

BIG = [2 ** 63, -(2 ** 63) - 1]          # beyond int64

WRONG = {
    # kind: the values that must each get -32602
    "id": ["1", 1.5, True, None, [], {}, 0, -1] + BIG + ["1e400"],
    "version": ["1", 1.5, True, None, [], 0, -1, 2 ** 31] + BIG,
    "money": ["100", 1.5, True, None, -1, 10 ** 15 + 1, 2 ** 53 + 1] + BIG + ["1e400"],
    "int": ["1", 1.5, None, -1] + BIG,
    "year": ["2091", 2091.5, None, -1, 0, 2013, 2101] + BIG,
    "line": [5, True, None, [], {}, "a\u0000b", "a\nb", "a\tb", "a\rb", "a\u001bb", "a\u007fb",
             "a\u0085b", "a\u009bb", MIB],
    "text": [5, True, None, [], {}, "a\u0000b", "a\u001b[31mb", "a\u007fb", "a\u0085b",
             "a\u009bb", MIB],
    "enum": ["bogus", 5, None, "", SQL],
    "date": ["2025-02-29", "2025-13-01", "20250101", 20250101, None, PATH],
    "bool": [0, 1, "true", None],
    # attachment.put data: not base64, or over 1 MiB once decoded
    "base64": [5, None, [], "YWJj\n", "YW Jj", "a\u0085b", "####", "", "eHh4" * 360000],
    "list": [{}, "x", 5, None],
}


# Where null is a value (it clears an optional field, or on project.create
# leaves it empty as if absent), not a wrong type.
NULL_CLEARS = {("project.create", "rationale"), ("project.create", "start_date"),
               ("review.decide", "comment"), ("correspondence.open", "plan_id"),("plan.update", "title"), ("plan.update", "note"), ("user.update", "email"),
               ("user.update", "phone"), ("project.update", "objectives"),
               ("project.update", "total_cost"), ("project.update", "end_date")}


def cases():
    w = world()
    officer_id = w["officer"]["id"]
    pid, pver = w["project"]["id"], w["project"]["version"]
    apr = w["approved"]
    return [
        ("plan.create", lan, {"org_id": srv().org_id("25.TTKC"), "year": 2094, "scope": "national"},
         {"org_id": "id", "year": "year", "scope": "enum"}, ("org_id", "year", "scope")),
        ("plan.update", lan, {"id": w["plan"]["id"], "version": w["plan"]["version"], "title": "T",
                              "note": "N"},
         {"id": "id", "version": "version", "title": "line", "note": "text"}, ("id", "version")),
        ("project.create", lan, project_params(w["plan"]["id"]),
         {"plan_id": "id", "title": "line", "content_category": "line", "budget_lines": "list",
          "indicators": "list", "beneficiaries": "list", "no_double_funding": "bool",
          "rationale": "text", "start_date": "date"},
         ("plan_id", "title", "content_category")),
        ("project.update", lan, {"id": pid, "version": pver, "title": "T"},
         {"id": "id", "version": "version", "title": "line", "objectives": "text",
          "total_cost": "money", "export": "bool", "end_date": "date", "budget_lines": "list",
          "indicators": "list"}, ("id", "version")),
        ("budget.set_appropriation", tuan, {"year": 2093, "source": "central", "amount": 5,
                                            "version": w["appropriation"]["version"]},
         {"year": "year", "source": "enum", "amount": "money", "version": "version"},
         ("year", "source", "amount")),
        ("budget.allocate", tuan, {"project_id": apr["id"], "version": apr["version"], "amount": 5},
         {"project_id": "id", "version": "version", "amount": "money"},
         ("project_id", "version", "amount")),
        ("budget.contract", tuan, {"project_id": apr["id"], "version": apr["version"],
                                   "number": "HĐ-1", "signed_on": "2093-01-15", "amount": 5},
         {"project_id": "id", "version": "version", "number": "line", "signed_on": "date",
          "amount": "money", "party_a": "line"},
         ("project_id", "version", "number", "signed_on", "amount")),
        ("budget.disburse", tuan, {"project_id": apr["id"], "kind": "advance", "amount": 5,
                                   "date": "2093-02-01", "document_no": "UNC-1"},
         {"project_id": "id", "kind": "enum", "amount": "money", "date": "date",
          "document_no": "line"},
         ("project_id", "amount", "date", "document_no")),
        ("review.assign", tuan, {"project_id": apr["id"], "reviewer_id": 1},
         {"project_id": "id", "reviewer_id": "id"}, ("project_id", "reviewer_id")),
        ("review.comment", mai, {"project_id": apr["id"], "body": "Ý kiến"},
         {"project_id": "id", "body": "text"}, ("project_id", "body")),
        ("review.decide", tuan, {"project_id": apr["id"], "version": apr["version"],
                                 "decision": "request_revision", "comment": "C"},
         {"project_id": "id", "version": "version", "decision": "enum", "comment": "text"},
         ("project_id", "version", "decision")),
        ("correspondence.open", lan, {"subject": "S", "body": "B"},
         {"subject": "line", "body": "text", "plan_id": "id"}, ("subject", "body")),
        ("correspondence.reply", lan, {"id": w["corr"]["id"], "body": "B"},
         {"id": "id", "body": "text"}, ("id", "body")),
        ("correspondence.answer", mai, {"id": w["corr"]["id"], "version": w["corr"]["version"],
                                        "answer": "A"},
         {"id": "id", "version": "version", "answer": "text"}, ("id", "version", "answer")),
        ("correspondence.close", lan, {"id": w["corr"]["id"], "version": w["corr"]["version"]},
         {"id": "id", "version": "version"}, ("id", "version")),
        ("user.create", admin, {"username": "hostile-" + secrets.token_hex(3), "full_name": "F",
                                "role": "viewer", "org_id": srv().org_id("25.TTKC"),
                                "password": kctest.new_password()},
         {"username": "line", "full_name": "line", "role": "enum", "org_id": "id",
          "password": "line", "email": "line", "phone": "line", "must_change_password": "bool"},
         ("username", "full_name", "role", "org_id", "password")),
        ("user.update", admin, {"id": officer_id, "version": 1, "full_name": "F"},
         {"id": "id", "version": "version", "full_name": "line", "role": "enum",
          "disabled": "bool"}, ("id", "version")),
        ("attachment.begin", lan, {"owner_type": "project", "owner_id": pid, "file_name": "a.pdf",
                                   "size": 4, "sha256": "0" * 64},
         {"owner_type": "enum", "owner_id": "id", "size": "int", "sha256": "line"},
         ("owner_type", "owner_id", "file_name", "size", "sha256")),
        ("attachment.put", lan, {"id": w["upload"]["id"], "seq": 0, "data": "YWJj"},
         {"id": "id", "seq": "int", "data": "base64"}, ("id", "seq", "data")),
        ("attachment.delete", lan, {"id": w["upload"]["id"], "version": 1},
         {"id": "id", "version": "version"}, ("id", "version")),
    ]


@tap.test("every write method: wrong types, out-of-range numbers (-1, 0, > 2^53, > int64, 1e400), "
          "control characters C0/DEL/C1, NUL and 1 MiB strings -> -32602, database unchanged")
def _():
    n = 0
    world()
    snap = snapshot()
    started = time.monotonic()
    for method, who, params, fields, _required in cases():
        client = who()
        for field, kind in fields.items():
            values = [v for v in WRONG[kind]
                      if not (v is None and (method, field) in NULL_CLEARS)]
            # One snapshot around all the values of a field (a snapshot
            # costs more than the calls); if it moved, each value again
            # with its own snapshot, to name the culprit.
            before = snap.take()
            for value in values:
                send_wrong(client, method, params, field, value)
                n += 1
            if diff(before, snap.take()):
                for value in values:
                    b = snap.take()
                    send_wrong(client, method, params, field, value)
                    check(not diff(b, snap.take()), "%s %s=%r was refused but changed the database"
                          % (method, field, value))
                raise AssertionError("%s %s: the database changed" % (method, field))
    tap.diag("%d cases in %.1f s" % (n, time.monotonic() - started))


def send_wrong(client, method, params, field, value):
    """Sends params with params[field] = value ("1e400" stands for that
    literal, which json cannot write) and checks the answer: -32602 naming
    the field, or -32700 for a NUL escape, which kc-rpc's parser refuses in
    any string (the line is not a request at all)."""
    p = dict(params)
    p[field] = "__HUGE__" if value == "1e400" else value
    line = json.dumps({"jsonrpc": "2.0", "id": 77, "method": method, "params": p},
                      ensure_ascii=False, separators=(",", ":")).replace('"__HUGE__"', "1e400")
    client.send_raw(line.encode() + b"\n")
    msg = client.read_message()
    what = "%s=%s" % (field, json.dumps(value, ensure_ascii=False)[:40])
    code = E_PARSE if isinstance(value, str) and "\u0000" in value else E_PARAMS
    got = msg.get("error", {}).get("code")
    if got != code:
        raise AssertionError("%s %s: expected %s, got %s" % (
            method, what, code, json.dumps(msg, ensure_ascii=False)[:400]))
    if code == E_PARAMS:
        names = [f.get("field", "") for f in (msg["error"].get("data") or {}).get("fields", [])]
        check(any(name == field or name.startswith(field + "[") for name in names),
              "%s %s: -32602 does not name the field" % (method, what), msg)


@tap.test("every write method: each required field missing, an unknown field, params as an array -> -32602")
def _():
    for method, who, params, fields, required in cases():
        client = who()
        for field in required:
            p = dict(params)
            del p[field]
            refused(client, method, p, E_PARAMS, "without %s" % field)
        refused(client, method, dict(params, bogus=1), E_PARAMS, "with an unknown field")
        refused(client, method, None, E_PARAMS, "params as an array",
                raw=json.dumps({"jsonrpc": "2.0", "id": 5, "method": method,
                                "params": list(params.values())}).encode() + b"\n")


@tap.test("nested members: budget line amounts -1, > 10^15, > 2^53, > int64, strings, floats -> -32602")
def _():
    w = world()
    for amount in [-1, 10 ** 15 + 1, 2 ** 53 + 1, 2 ** 63, "300000000", 1.5, None]:
        p = project_params(w["plan"]["id"])
        p["budget_lines"][0]["amount"] = amount
        refused(lan(), "project.create", p, E_PARAMS, "budget_lines[0].amount=%r" % (amount,))
    for bad in [{"source": "central"}, {"source": "central", "amount": 5, "bogus": 1},
                {"source": SQL, "amount": 5}, "central", None]:
        p = project_params(w["plan"]["id"])
        p["budget_lines"] = [bad]
        code = kctest.RULE if isinstance(bad, dict) and bad.get("source") == SQL else E_PARAMS
        refused(lan(), "project.create", p, code, "budget_lines=[%r]" % (bad,))


@tap.test("framing: invalid UTF-8 -> -32700, a batch or jsonrpc 1.0 -> -32600, nothing written")
def _():
    c = lan()
    pid = world()["plan"]["id"]
    good = '{"jsonrpc":"2.0","id":9,"method":"plan.update","params":{"id":%d,"version":1,"title":"' % pid
    for bad in (b"\xff\xfe", b"\xc0\xaf", b"\xed\xa0\x80", b"\xc2"):
        refused(c, "plan.update", None, E_PARSE, "title bytes %r" % bad,
                raw=good.encode() + bad + b'"}}\n')
    refused(c, "plan.update", None, E_REQUEST, "in a batch",
            raw=b'[{"jsonrpc":"2.0","id":9,"method":"plan.update","params":{}}]\n')
    refused(c, "plan.update", None, E_REQUEST, "jsonrpc 1.0",
            raw=('{"jsonrpc":"1.0","id":9,"method":"plan.update","params":{"id":%d,"version":1,'
                 '"title":"x"}}\n' % pid).encode())


@tap.test("another province's ids -> 1004, as if they did not exist; nothing written")
def _():
    w = world()
    o, op = w["other_plan"], w["other_project"]
    c = lan()
    refused(c, "plan.update", {"id": o["id"], "version": o["version"], "title": "x"},
            kctest.NOT_FOUND, "of another province")
    refused(c, "plan.submit", {"id": o["id"], "version": o["version"]}, kctest.NOT_FOUND,
            "of another province")
    refused(c, "project.create", project_params(o["id"]), kctest.NOT_FOUND,
            "into another province's plan")
    refused(c, "project.update", {"id": op["id"], "version": op["version"], "title": "x"},
            kctest.NOT_FOUND, "of another province")
    refused(c, "project.delete", {"id": op["id"], "version": op["version"]}, kctest.NOT_FOUND,
            "of another province")
    refused(c, "correspondence.reply", {"id": w["other_corr"]["id"], "body": "x"},
            kctest.NOT_FOUND, "of another province")
    refused(c, "attachment.begin", {"owner_type": "project", "owner_id": op["id"],
                                    "file_name": "a.pdf", "size": 4, "sha256": "0" * 64},
            kctest.NOT_FOUND, "on another province's project")
    refused(other(), "attachment.put", {"id": w["upload"]["id"], "seq": 0, "data": "YWJj"},
            kctest.NOT_FOUND, "into another user's upload")
    # Reading is refused the same way.
    check_equal(c.error("project.get", {"id": op["id"]})["code"], kctest.NOT_FOUND,
                "project.get of another province")
    # An id that exists nowhere gets the same answer.
    refused(c, "project.update", {"id": 2 ** 53 + 1, "version": 1, "title": "x"},
            kctest.NOT_FOUND, "of an id that does not exist")


@tap.test("stale versions -> 1009 with current_version; wrong status -> 1010; rules -> 1022")
def _():
    w = world()
    p = lan().result("project.get", {"id": w["project"]["id"]})
    e = refused(lan(), "project.update", {"id": p["id"], "version": p["version"] + 5, "title": "x"},
                kctest.CONFLICT, "with a stale version")
    check_equal(e["data"]["current_version"], p["version"], "current_version")
    plan = lan().result("plan.get", {"id": w["plan"]["id"]})
    lan().result("plan.update", {"id": plan["id"], "version": plan["version"], "title": "Mới"})
    refused(lan(), "plan.update", {"id": plan["id"], "version": plan["version"], "title": "x"},
            kctest.CONFLICT, "with the version before the last change")
    refused(tuan(), "budget.set_appropriation", {"year": 2093, "source": "central", "amount": 5,
                                                 "version": w["appropriation"]["version"] + 7},
            kctest.CONFLICT, "with a stale version")
    refused(mai(), "correspondence.answer", {"id": w["corr"]["id"],
                                             "version": w["corr"]["version"] + 7, "answer": "x"},
            kctest.CONFLICT, "with a stale version")
    refused(admin(), "user.update", {"id": w["officer"]["id"], "version": 99, "full_name": "x"},
            kctest.CONFLICT, "with a stale version")
    sp = w["sub_project"]
    refused(lan(), "project.update", {"id": sp["id"], "version": sp["version"], "title": "x"},
            1010, "of a submitted project")
    refused(lan(), "plan.update", {"id": w["sub_plan"]["id"], "version": w["sub_plan"]["version"],
                                   "title": "x"}, 1010, "of a submitted plan")
    refused(admin(), "user.create", {"username": "ghost-" + secrets.token_hex(3), "full_name": "G",
                                     "role": "viewer", "org_id": 2 ** 40,
                                     "password": kctest.new_password()},
            kctest.RULE, "with an organisation that does not exist")
    refused(admin(), "user.create", {"username": w["officer"]["username"], "full_name": "G",
                                     "role": "viewer", "org_id": srv().org_id("25.TTKC"),
                                     "password": kctest.new_password()},
            kctest.RULE, "with a username taken")
    pp = project_params(w["plan"]["id"])
    pp["content_category"] = SQL
    refused(lan(), "project.create", pp, kctest.RULE, "with an unknown content category")
    apr = w["approved"]
    refused(tuan(), "budget.allocate", {"project_id": apr["id"], "version": apr["version"],
                                        "amount": 10 ** 15}, kctest.RULE,
            "above the appropriation")


@tap.test("separation of duties: an admin allocating or deciding, a reviewer approving or allocating, a province "
          "deciding for the Ministry -> 1003; nothing written")
def _():
    w = world()
    apr = w["approved"]
    refused(admin(), "budget.allocate", {"project_id": apr["id"], "version": apr["version"],
                                         "amount": 5}, kctest.FORBIDDEN, "by an admin")
    refused(admin(), "budget.set_appropriation", {"year": 2093, "source": "central", "amount": 5,
                                                  "version": w["appropriation"]["version"]},
            kctest.FORBIDDEN, "by an admin")
    refused(admin(), "review.decide", {"project_id": apr["id"], "version": apr["version"],
                                       "decision": "approve"}, kctest.FORBIDDEN, "by an admin")
    refused(mai(), "review.decide", {"project_id": apr["id"], "version": apr["version"],
                                     "decision": "approve"}, kctest.FORBIDDEN, "approve by a reviewer")
    refused(mai(), "budget.allocate", {"project_id": apr["id"], "version": apr["version"],
                                       "amount": 5}, kctest.FORBIDDEN, "by a reviewer")
    refused(hung(), "budget.disburse", {"project_id": apr["id"], "amount": 5, "date": "2093-02-01",
                                        "document_no": "UNC-9"}, kctest.FORBIDDEN, "by a province")
    refused(lan(), "user.create", {"username": "self-made", "full_name": "F", "role": "admin",
                                   "org_id": srv().org_id("BCT.CKC"),
                                   "password": kctest.new_password()},
            kctest.FORBIDDEN, "by a province officer")


@tap.test("tokens: a logged-out token replayed, a forged one, one of another length -> 1002; "
          "after logout the connection gets 1001; nothing written")
def _():
    u = user("province_officer")
    with srv().client() as c:
        token = c.result("auth.login", {"username": u["username"], "password": u["password"]})["token"]
        c.result("auth.logout", {})
        refused(c, "plan.update", {"id": world()["plan"]["id"], "version": 1, "title": "x"},
                kctest.NOT_LOGGED_IN, "after logout")
        for forged in (token, token[:-1] + ("A" if token[-1] != "A" else "B"),
                       secrets.token_urlsafe(32), token + "A", SQL, PATH):
            with srv().client() as d:
                d.error("auth.resume", {"token": forged}, code=kctest.SESSION_EXPIRED)
                refused(d, "plan.update", {"id": world()["plan"]["id"], "version": 1, "title": "x"},
                        kctest.NOT_LOGGED_IN, "after a refused resume")


@tap.test("tokens: 40 logins give 40 distinct tokens of >= 128 random bits (base64url)")
def _():
    u = user("viewer")
    tokens = set()
    with srv().client() as c:
        for _ in range(40):
            r = c.result("auth.login", {"username": u["username"], "password": u["password"]})
            tokens.add(r["token"])
    check_equal(len(tokens), 40, "distinct tokens")
    for t in tokens:
        check(len(t) >= 22 and all(ch.isalnum() or ch in "-_" for ch in t), "token shape", t)
    # Not a counter or a timestamp: no two tokens share a 6-character prefix.
    check_equal(len({t[:6] for t in tokens}), 40, "distinct prefixes")


@tap.test("SQL and path-traversal strings in every text field are stored and returned verbatim")
def _():
    s = srv()
    plan = lan().result("plan.create", {"org_id": s.org_id("25.TTKC"), "year": 2095,
                                        "scope": "national"})
    plan = lan().result("plan.update", {"id": plan["id"], "version": plan["version"], "title": SQL,
                                        "note": PATH + "\n" + SQL})
    got = lan().result("plan.get", {"id": plan["id"]})
    check_equal((got["title"], got["note"]), (SQL, PATH + "\n" + SQL), "plan title, note")
    pp = project_params(plan["id"], title=SQL)
    for f in ("rationale", "legal_basis", "objectives", "scale_and_novelty", "implementation",
              "impact"):
        pp[f] = PATH + "\t" + SQL
    pp["implementer"] = PATH
    pp["beneficiaries"] = [{"name": SQL, "kind": "household_business", "commune": PATH}]
    proj = lan().result("project.create", pp)
    got = lan().result("project.get", {"id": proj["id"]})
    check_equal(got["title"], SQL, "project title")
    for f in ("rationale", "legal_basis", "objectives", "scale_and_novelty", "implementation",
              "impact"):
        check_equal(got[f], PATH + "\t" + SQL, "project " + f)
    check_equal(got["implementer"], PATH, "implementer")
    check_equal((got["beneficiaries"][0]["name"], got["beneficiaries"][0]["commune"]), (SQL, PATH),
                "beneficiary")
    corr = lan().result("correspondence.open", {"subject": SQL, "body": PATH})
    lan().result("correspondence.reply", {"id": corr["id"], "body": SQL})
    got = lan().result("correspondence.get", {"id": corr["id"]})
    text = json.dumps(got, ensure_ascii=False)
    check_equal(got["subject"], SQL, "correspondence subject")
    check(json.dumps(PATH) in text and json.dumps(SQL) in text, "correspondence bodies", got)
    u = admin().result("user.create", {"username": "sqli-" + secrets.token_hex(3), "full_name": SQL,
                                       "role": "viewer", "org_id": s.org_id("25.TTKC"),
                                       "password": kctest.new_password(), "email": PATH})
    got = admin().result("user.get", {"id": u["id"]})
    check_equal((got["full_name"], got["email"]), (SQL, PATH), "user full_name, email")
    # Every table is still there.
    check_equal(s.sql("SELECT count(*) FROM projects WHERE id = %d" % proj["id"]).strip(), "1",
                "projects table")


@tap.test("a file name with a path is refused or reduced to its last part, never stored as a path")
def _():
    w = world()
    for name in (PATH, "..\\..\\windows\\win.ini", "/etc/passwd", "a/../../b.pdf"):
        m = lan().call("attachment.begin", {"owner_type": "project", "owner_id": w["project"]["id"],
                                            "file_name": name, "size": 4, "sha256": "1" * 64})
        if "error" in m:
            check(m["error"]["code"] in (E_PARAMS, kctest.RULE), "file name %r" % name, m)
            continue
        stored = m["result"].get("file_name")
        check(stored is not None and "/" not in stored and "\\" not in stored
              and stored not in ("..", "."), "file name %r stored as %r" % (name, stored), m)
        lan().result("attachment.abort", {"id": m["result"]["id"]})


@tap.test("the server exits 0 on SIGTERM (no leaks or errors under a wrapper)")
def _():
    if "snap" in S:
        S.pop("snap").close()
    s = S.pop("main", None)
    if s is not None:
        s.stop()


if __name__ == "__main__":
    tap.run()
