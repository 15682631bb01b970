#!/usr/bin/env python3
"""The budget (issue 4): appropriations, allocations that never exceed
them — raced by 8 connections through two kc-server processes on one
database —, the contract before any payment, advances within DOMAIN §2.5
(the first by content type, at most 70 % until acceptance, the rest after
it, never beyond the contract and the allocation), refunds, and
budget.summary figures equal to plain SQL sums."""

import os
import signal
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kctest  # noqa: E402
from kctest import check, check_equal  # noqa: E402

tap = kctest.Tap()
S = kctest.Suite()
srv, admin, user = S.srv, S.admin, S.user
RULE = kctest.RULE
_years = iter(range(2060, 2100))


def lan():
    return user("province_officer")["client"]


def hung():
    return user("province_leader")["client"]


def approver():
    return user("ministry_approver")["client"]


def national_projects(n, central=300000000, category="ND45.4.3", cap="C02"):
    """n projects of a national plan of a fresh year, forwarded by the
    province, appraised through SQL as ministry_approver (the review is
    test_review's) and put in the year's plan decision. A model (C02)
    gets its first advance only on a confirmed report of more than 70 %
    done (sql/0039): the payment tests take training (ND45.4.1, no cap),
    whose first advance needs no report."""
    y = next(_years)
    plan = lan().result("plan.create", {"org_id": srv().org_id("25.TTKC"), "year": y, "scope": "national"})
    ids = []
    for i in range(n):
        params = {
            "plan_id": plan["id"], "title": "Đề án ngân sách %d" % i, "content_category": category,
            "budget_lines": [{"source": "central", "amount": central},
                             {"source": "counterpart", "amount": central * 3}],
            "indicators": [], "no_double_funding": True,
            "beneficiaries": [{"name": "Cơ sở thử", "kind": "household_business"}]}
        if cap:
            params["cap_code"] = cap
        ids.append(lan().result("project.create", params)["id"])
    sub = lan().result("plan.submit", {"id": plan["id"], "version": plan["version"]})
    hung().result("plan.appraise", {"id": plan["id"], "version": sub["version"], "decision": "forward"})
    srv().sql("DO $$ BEGIN PERFORM kc_actor_set(NULL, 'ministry_approver'); "
              "UPDATE projects SET status = 'approved', stage = 'ministry_appraised', version = version + 1 "
              "WHERE plan_id = %d; END $$" % plan["id"])
    # no money before the Minister's plan decision (sql/0025)
    approver().result("decision.approve_plan", {"year": y, "number": "QĐ-NS-%d" % y, "signed_on": "%d-01-01" % y,
                                                "signer": "Bộ trưởng", "project_ids": ids})
    return y, [lan().result("project.get", {"id": i}) for i in ids]


def sql_int(statement):
    return int(srv().sql(statement).strip() or 0)


def violation(err):
    v = err.get("data", {}).get("violations", [{}])[0]
    return v.get("field"), v.get("rule")


def second_server():
    """A second kc-server process on the same database (same config, its
    own port)."""
    s = srv()
    port = kctest.free_port()
    config = {k: dict(v) for k, v in s.config.items()}
    config["server"]["port"] = port
    path = os.path.join(s.dir, "kc-server-2.conf")
    s.write_config(path, config)
    log = open(os.path.join(s.dir, "server2.log"), "ab")
    proc = subprocess.Popen(kctest.WRAPPER + [kctest.KC_SERVER, "--config", path],
                            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + kctest.scaled(30)
    while True:
        check(proc.poll() is None, "second kc-server exited while starting")
        try:
            kctest.Client(s, port=port).close()
            break
        except OSError:
            check(time.monotonic() < deadline, "second kc-server not ready")
            time.sleep(0.05)

    def stop():
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
        rc = proc.wait(timeout=120 if kctest.UNDER_WRAPPER else 30)
        log.close()
        return rc
    return port, stop


# ---------------------------------------------------------------------------

@tap.test("the allocation race: 40 allocations, 8 connections, two servers; never above the appropriation")
def _():
    year, projects = national_projects(4)
    N = 50000000
    a = approver().result("budget.set_appropriation", {"year": year, "source": "central", "amount": N})
    check_equal((a["amount"], a["allocated"], a["version"]), (N, 0, 1), "appropriation")
    port2, stop2 = second_server()
    u = user("ministry_approver")
    clients = []
    for i in range(8):
        c = kctest.Client(srv(), port=srv().port if i % 2 == 0 else port2)
        c.result("auth.login", {"username": u["username"], "password": u["password"]})
        clients.append(c)
    amounts = [1000000 + 100000 * i for i in range(40)]   # 118 million in all
    check(sum(amounts) > N, "the calls ask for more than the appropriation")
    replies = [None] * 40
    barrier = threading.Barrier(8)
    failures = []

    def worker(k):
        try:
            barrier.wait()
            for i in range(k, 40, 8):
                p = projects[i % 4]
                replies[i] = clients[k].call("budget.allocate", {
                    "project_id": p["id"], "version": p["version"], "amount": amounts[i]})
        except Exception as e:  # noqa: BLE001
            failures.append(repr(e))

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    for c in clients:
        c.close()
    check(not failures, "worker failed", failures)
    ok = [i for i, r in enumerate(replies) if r is not None and "result" in r]
    refused = [i for i, r in enumerate(replies) if r is not None and "error" in r]
    check_equal(len(ok) + len(refused), 40, "every call answered")
    for i in refused:
        check(replies[i]["error"]["code"] == RULE, "refusal code", replies[i])
        check_equal(violation(replies[i]["error"]), ("amount", "appropriation"), "refusal rule")
    total = sql_int("SELECT coalesce(sum(amount), 0) FROM allocations WHERE year = %d" % year)
    check(total <= N, "allocated %d > appropriation %d" % (total, N))
    check_equal(total, sum(amounts[i] for i in ok), "allocated = sum of the successful replies")
    check_equal(sql_int("SELECT allocated FROM appropriations WHERE year = %d AND source = 'central'" % year),
                total, "the running total")
    check_equal(srv().sql("SELECT count(*) FROM kc_budget_check_ledger()").strip(), "0", "ledger sound")
    check(len(ok) >= 10 and refused, "some allocations succeed, some are refused (%d/%d)" % (len(ok), len(refused)))
    kctest.Tap.diag("%d allocated (%d đồng of %d), %d refused" % (len(ok), total, N, len(refused)))
    # the rest, exactly, still fits; one đồng more does not
    rest = N - total
    if rest > 0:
        p = projects[0]
        approver().result("budget.allocate", {"project_id": p["id"], "version": p["version"], "amount": rest})
    e = approver().error("budget.allocate", {"project_id": projects[1]["id"], "version": projects[1]["version"],
                                             "amount": 1}, RULE)
    check_equal(violation(e), ("amount", "appropriation"), "full")
    # lowering the appropriation below what is allocated is refused
    e = approver().error("budget.set_appropriation", {"year": year, "source": "central", "amount": N - 1}, RULE)
    check_equal(violation(e), ("amount", "allocated"), "lowering")
    r = approver().result("budget.set_appropriation", {"year": year, "source": "central", "amount": N + 5,
                                                       "version": 1})
    check_equal((r["version"], r["remaining"]), (2, 5), "raised")
    approver().error("budget.set_appropriation", {"year": year, "source": "central", "amount": N + 6,
                                                  "version": 1}, kctest.CONFLICT)
    check_equal(stop2(), 0, "second server exit status")


@tap.test("contract before payment; advances within 70 % until acceptance; final after it; refunds")
def _():
    year, (p,) = national_projects(1, central=100000000, category="ND45.4.1", cap=None)
    approver().result("budget.set_appropriation", {"year": year, "source": "central", "amount": 1000000000})
    pay = {"project_id": p["id"], "kind": "advance", "amount": 10000000, "date": "%d-02-01" % year,
           "document_no": "UNC-1"}
    # allocation above the project's own central line
    e = approver().error("budget.allocate", {"project_id": p["id"], "version": p["version"],
                                             "amount": 100000001}, RULE)
    check_equal(violation(e), ("amount", "budget_line"), "budget line")
    approver().result("budget.allocate", {"project_id": p["id"], "version": p["version"], "amount": 100000000})
    e = approver().error("budget.disburse", pay, RULE)
    check_equal(violation(e), ("project_id", "contract"), "payment before contract")
    e = approver().error("budget.contract", {"project_id": p["id"], "version": p["version"], "number": "HĐ-1",
                                             "signed_on": "%d-01-15" % year, "amount": 100000001}, RULE)
    check_equal(violation(e), ("amount", "allocation"), "contract above allocation")
    c = approver().result("budget.contract", {"project_id": p["id"], "version": p["version"], "number": "HĐ-1",
                                              "signed_on": "%d-01-15" % year, "amount": 80000000})
    check_equal(c["project"]["contracted"], 80000000, "contracted")
    check_equal(lan().result("project.get", {"id": p["id"]})["stage"], "contracted", "stage")
    # first advance at most 70 % (ND45.4.1) of the contract: 56 million
    e = approver().error("budget.disburse", dict(pay, amount=56000001), RULE)
    check_equal(violation(e), ("amount", "first_advance"), "first advance over 70 %")
    # the figures a client words its sentence from (issue 17, sql/0035)
    check_equal(e["data"]["violations"][0]["data"],
                {"pct": 70, "contract": 80000000, "limit": 56000000, "advanced": 0, "max": 56000000,
                 "amount": 56000001}, "first advance's data")
    e = approver().error("budget.disburse", dict(pay, kind="final"), RULE)
    check_equal(violation(e), ("kind", "acceptance"), "final before acceptance")
    approver().result("budget.disburse", dict(pay, amount=40000000))
    check_equal(lan().result("project.get", {"id": p["id"]})["status"], "in_progress", "first advance starts it")
    # a later advance: a progress report confirmed by the Department, and
    # advances at most the share done (sql/0025, TT 36/2013 Art. 13, 23.3)
    e = approver().error("budget.disburse", dict(pay, amount=1, document_no="UNC-2"), RULE)
    check_equal(violation(e), ("project_id", "progress_confirmed"), "no confirmed progress report")
    r = lan().result("progress.report", {"project_id": p["id"], "period": "%d-02" % year, "percent_done": 55})
    e = approver().error("budget.disburse", dict(pay, amount=1, document_no="UNC-2"), RULE)
    check_equal(violation(e), ("project_id", "progress_confirmed"), "reported, not confirmed")
    hung().result("progress.confirm", {"id": r["id"], "version": r["version"]})
    e = approver().error("budget.disburse", dict(pay, amount=4000001, document_no="UNC-2"), RULE)
    check_equal(violation(e), ("amount", "work_done"), "above the 55 % done (44 million)")
    r = lan().result("progress.report", {"project_id": p["id"], "period": "%d-03" % year, "percent_done": 90})
    hung().result("progress.confirm", {"id": r["id"], "version": r["version"]})
    e = approver().error("budget.disburse", dict(pay, amount=16000001, document_no="UNC-2"), RULE)
    check_equal(violation(e), ("amount", "max_before_acceptance"), "advances over 70 % before acceptance")
    check_equal(e["data"]["violations"][0]["data"],
                {"pct": 70, "contract": 80000000, "limit": 56000000, "advanced": 40000000,
                 "max": 16000000, "amount": 16000001}, "advance limit's data")
    approver().result("budget.disburse", dict(pay, amount=16000000, document_no="UNC-2"))
    # a refund lowers the advanced total: the same amount may be advanced again
    e = approver().error("budget.disburse", dict(pay, kind="refund", amount=56000001), RULE)
    check_equal(violation(e), ("amount", "refund"), "refund over paid")
    approver().result("budget.disburse", dict(pay, kind="refund", amount=6000000, document_no="NT-1"))
    approver().result("budget.disburse", dict(pay, amount=6000000, document_no="UNC-3"))
    e = approver().error("budget.disburse", dict(pay, amount=1, document_no="UNC-4"), RULE)
    check_equal(violation(e), ("amount", "max_before_acceptance"), "70 % reached")
    # acceptance (Mẫu 5c by the Ministry), then the remainder up to the contract, not beyond
    cur = lan().result("project.get", {"id": p["id"]})
    approver().result("project.accept", {"id": p["id"], "version": cur["version"],
                                         "accepted_on": time.strftime("%Y-%m-%d"),
                                         "record_no": "BB-NT-1"})
    e = approver().error("budget.disburse", dict(pay, kind="final", amount=24000001, document_no="UNC-5"), RULE)
    check_equal(violation(e), ("amount", "allocation"), "beyond the contract")
    r = approver().result("budget.disburse", dict(pay, kind="final", amount=24000000, document_no="UNC-5"))
    check_equal((r["project"]["paid"], r["project"]["advanced"], r["project"]["refunded"], r["project"]["final"]),
                (80000000, 62000000, 6000000, 24000000), "money")
    check_equal(lan().result("project.get", {"id": p["id"]})["stage"], "fully_advanced", "stage after final")
    S["rules_year"] = year


@tap.test("budget.summary: every figure equals the SQL sum of its rows; provinces see their own")
def _():
    year = S.get("rules_year")
    check(year, "needs the previous test")
    s = approver().result("budget.summary", {"year": year})
    (src,) = [x for x in s["by_source"] if x["source"] == "central"]
    check_equal(src["appropriated"], sql_int("SELECT amount FROM appropriations WHERE year = %d AND source = 'central'" % year), "appropriated")
    check_equal(src["allocated"], sql_int("SELECT sum(amount) FROM allocations WHERE year = %d AND source = 'central'" % year), "allocated")
    check_equal(src["remaining"], src["appropriated"] - src["allocated"], "remaining")
    (prov,) = [x for x in s["by_province"] if x["province_code"] == "25"]
    check_equal(prov["province_name"], "Tỉnh Phú Thọ", "the province by name (issue 17)")
    base = ("FROM disbursements d JOIN projects p ON p.id = d.project_id JOIN plans l ON l.id = p.plan_id "
            "WHERE l.year = %d AND d.kind = '%s'")
    for kind, key in (("advance", "advanced"), ("final", "final"), ("refund", "refunded")):
        check_equal(prov[key], sql_int("SELECT coalesce(sum(d.amount), 0) " + base % (year, kind)), key)
    check_equal(prov["contracted"], sql_int("SELECT sum(c.amount) FROM contracts c JOIN projects p ON p.id = c.project_id "
                                            "JOIN plans l ON l.id = p.plan_id WHERE l.year = %d" % year), "contracted")
    check_equal(prov["allocated"], sql_int("SELECT sum(a.amount) FROM allocations a JOIN projects p ON p.id = a.project_id "
                                           "JOIN plans l ON l.id = p.plan_id WHERE l.year = %d AND a.year = %d" % (year, year)),
                "allocated")
    check_equal(prov["paid"], prov["advanced"] + prov["final"] - prov["refunded"], "paid")
    # province 25 sees its figures and no appropriations; another province nothing
    mine = lan().result("budget.summary", {"year": year})
    check_equal(mine["by_province"], [prov], "province 25")
    check_equal(mine["by_source"], [], "no appropriations for a province")
    other = user("province_officer", "01.TTKC" if "01.TTKC" in srv().orgs() else "01")["client"]
    check_equal(other.result("budget.summary", {"year": year})["by_province"], [], "another province")
    admin().error("budget.summary", {"year": year}, kctest.FORBIDDEN)
    admin().error("budget.allocate", {"project_id": 1, "version": 1, "amount": 1}, kctest.FORBIDDEN)


@tap.test("every budget write leaves one audit row")
def _():
    year, (p,) = national_projects(1, central=1000, category="ND45.4.1", cap=None)
    head = kctest.audit_head(admin())
    approver().result("budget.set_appropriation", {"year": year, "source": "central", "amount": 5000})
    approver().result("budget.allocate", {"project_id": p["id"], "version": p["version"], "amount": 1000})
    approver().result("budget.contract", {"project_id": p["id"], "version": p["version"], "number": "HĐ-9",
                                          "signed_on": "%d-01-02" % year, "amount": 1000})
    approver().result("budget.disburse", {"project_id": p["id"], "amount": 300, "date": "%d-01-03" % year,
                                          "document_no": "UNC-9"})
    rows = [e for e in admin().result("audit.list", {"limit": 50})["items"] if e["seq"] > head]
    check_equal(sorted(e["method"] for e in rows),
                ["budget.allocate", "budget.contract", "budget.disburse", "budget.set_appropriation"],
                "audit rows")
    # each row names its record as people do (issue 17): the project's code, the voucher
    names = {e["method"]: e["record_name"] for e in rows}
    check_equal(names["budget.disburse"], "%s — UNC-9" % p["code"], "payment's name")
    check_equal(names["budget.contract"], "%s — HĐ-9" % p["code"], "contract's name")


if __name__ == "__main__":
    tap.run()
