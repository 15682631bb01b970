#!/usr/bin/env python3
"""[database] report_conninfo (srv-replica.c): report.summary runs on a pool
of its own connected there, server.info says where that is and how far
behind; without the key server.info is as before. The standby case itself
(a real hot standby, and after its promotion) is deploy-failover's; here
the report database is the same database (a primary: no lag), or one that
does not exist, which shows that report.summary, and only it, goes there."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "integration"))
import kctest  # noqa: E402
from kctest import check, check_equal, scaled  # noqa: E402

tap = kctest.Tap()
S = {}
SUMMARY = {"from_year": 2024, "to_year": 2026, "group_by": ["province"]}


def conninfo(dbname):
    return "host=%s port=%s dbname=%s user=%s" % (kctest.PGHOST, kctest.PGPORT, dbname,
                                                  kctest.PGUSER)


@tap.test("without report_conninfo server.info is {name, version, protocol}")
def _():
    s = kctest.Server()
    S["plain"] = s
    with s.client() as c:
        check_equal(sorted(c.result("server.info")), ["name", "protocol", "version"], "members")


@tap.test("with report_conninfo server.info shows the report database: not a standby, no lag")
def _():
    plain = S["plain"]
    s = kctest.Server(start=False)
    s.config["database"]["report_conninfo"] = conninfo(s.dbname)
    s.write_config()
    s.start()
    S["s"] = s
    with s.client() as c:
        def measured():
            return c.result("server.info").get("report_database", {}).get("standby") is not None
        kctest.eventually(measured, scaled(15), 0.2, "report_database measured")
        check_equal(c.result("server.info")["report_database"], {"standby": False, "lag_seconds": 0},
                    "report_database")


@tap.test("report.summary answers through the report pool as it does without one")
def _():
    s, plain = S["s"], S["plain"]
    for server in (s, plain):
        if not server.running():
            server.start()
    answers = []
    for server in (s, plain):
        a = server.admin()
        viewer = kctest.create_user(a, "viewer", "BCT.CKC")
        with server.login(viewer["username"], viewer["password"]) as v:
            result = v.result("report.summary", SUMMARY)
        a.close()
        result.pop("generated_at", None)
        answers.append(result)
    check("totals" in answers[0], "report.summary answered", answers[0])
    check_equal(answers[0], answers[1], "report.summary with and without report_conninfo")
    plain.stop()


@tap.test("report database down: report.summary answers 1050, writes go on; back: it answers")
def _():
    s = S["s"]
    # Point the report pool at a database that does not exist: its
    # connections fail, the main pool is untouched.
    s.stop()
    s.config["database"]["report_conninfo"] = conninfo(s.dbname + "_none")
    s.write_config()
    s.start()
    a = s.admin()
    viewer = kctest.create_user(a, "viewer", "BCT.CKC")
    v = s.login(viewer["username"], viewer["password"])
    check_equal(v.error("report.summary", SUMMARY)["code"], kctest.UNAVAILABLE, "report.summary")
    check("items" in a.result("user.list", {}), "the main pool serves")
    info = v.result("server.info")["report_database"]
    check_equal(info, {"standby": None, "lag_seconds": None}, "report_database while unreachable")
    v.close()
    a.close()
    s.stop()


tap.add_cleanup(kctest.cleanup_all)
tap.run()
