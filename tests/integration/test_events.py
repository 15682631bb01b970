#!/usr/bin/env python3
"""Live updates (issue 4, PROTOCOL.md events.subscribe): a change made
through one kc-server reaches the subscribed sessions of another server on
the same database within a second, and never a session that may not see the
record."""

import os
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kctest  # noqa: E402
from kctest import check, check_equal  # noqa: E402

tap = kctest.Tap()
S = kctest.Suite()
srv, admin = S.srv, S.admin


def user(role, org=None):
    key = (role, org)
    if key not in S:
        S[key] = kctest.create_user(admin(), role, org_code=org)
    return S[key]


def second_server():
    """Another kc-server process on the same database, on its own port."""
    if "second" in S:
        return S["second"][0]
    s = srv()
    port = kctest.free_port()
    config = {k: dict(v) for k, v in s.config.items()}
    config["server"]["port"] = port
    path = os.path.join(s.dir, "kc-server-events.conf")
    s.write_config(path, config)
    log = open(os.path.join(s.dir, "server-events.log"), "ab")
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
    S["second"] = (port, proc, log)
    return port


def login_on(port, u):
    c = kctest.Client(srv(), port=port)
    c.result("auth.login", {"username": u["username"], "password": u["password"]})
    return c


def wait_for(client, pred, timeout):
    """The first event matching pred, and how long it took (None if none)."""
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        for e in list(client.events):
            client.events.remove(e)
            if pred(e.get("params", {})):
                return e["params"], time.monotonic() - t0
        client.wait_event(max(0.02, timeout - (time.monotonic() - t0)))
    return None, None


def events_seen(client, wait):
    """Every event notification that arrives within wait seconds."""
    seen = list(client.events)
    client.events.clear()
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        e = client.wait_event(max(0.05, deadline - time.monotonic()))
        if e is None:
            break
        seen += list(client.events)
        client.events.clear()
    return [e.get("params", {}) for e in seen if e.get("params", {}).get("topic") != "session"]


PROJECT = {"title": "Đề án theo dõi trực tiếp", "content_category": "ND45.4.3",
           "budget_lines": [{"source": "central", "amount": 300000000},
                            {"source": "counterpart", "amount": 700000000}],
           "indicators": [{"code": "I01", "target": 10}], "cap_code": "C02",
           "no_double_funding": True,
           "beneficiaries": [{"name": "Cơ sở mây tre Phú Thọ", "kind": "household_business"}]}


@tap.test("events.subscribe: topics validated; the result names what was subscribed")
def _():
    with srv().login(user("viewer")["username"], user("viewer")["password"]) as c:
        r = c.result("events.subscribe", {"topics": ["plan", "project"]})
        check_equal(r, {"topics": ["project", "plan"]}, "subscribed topics")
        e = c.error("events.subscribe", {"topics": ["plan", "nonsense"]}, kctest.INVALID_PARAMS)
        check("topics[1]" in kctest.field_names(e), "the bad topic is named", e)
        c.error("events.subscribe", {"topics": "plan"}, kctest.INVALID_PARAMS)


@tap.test("a change through server A reaches subscribers on server B within a second; never another province")
def _():
    port_b = second_server()
    officer = user("province_officer", "25.TTKC")
    leader = user("province_leader", "25.SCT")
    other = user("province_officer", "01.TTKC")
    reviewer = user("ministry_reviewer")

    watch_25 = login_on(port_b, officer)
    watch_01 = login_on(port_b, other)
    watch_bct = login_on(port_b, reviewer)
    for c in (watch_25, watch_01, watch_bct):
        c.result("events.subscribe", {"topics": ["plan", "project"]})

    with srv().login(officer["username"], officer["password"]) as lan, \
            srv().login(leader["username"], leader["password"]) as hung:
        plan = lan.result("plan.create", {"org_id": srv().org_id("25.TTKC"), "year": 2031,
                                          "scope": "national"})
        proj = lan.result("project.create", dict(PROJECT, plan_id=plan["id"]))
        seen = events_seen(watch_25, 1.0)
        check(any(e["topic"] == "project" and e["id"] == proj["id"] and e["status"] == "draft"
                  for e in seen), "the province saw the new project", seen)
        check(all(set(e) == {"topic", "id", "status", "version", "at"} for e in seen),
              "events carry exactly {topic, id, status, version, at}", seen)
        check_equal(events_seen(watch_bct, 0.3), [], "a draft national plan is not the Ministry's yet")

        sub = lan.result("plan.submit", {"id": plan["id"], "version": plan["version"]})
        hung.result("plan.appraise", {"id": plan["id"], "version": sub["version"],
                                      "decision": "forward", "comment": "Đạt"})
        e, took = wait_for(watch_bct, lambda e: e.get("topic") == "plan" and e.get("id") == plan["id"]
                           and e.get("status") == "forwarded", kctest.scaled(3))
        check(e is not None, "the Ministry saw the forwarded plan")
        check(took < kctest.scaled(1.0), "within a second (%.3f s)" % took)
        kctest.Tap.diag("event reached the other server's subscriber %.0f ms after the reply" % (took * 1000))
        seen_25 = events_seen(watch_25, 0.5)
        check(any(e["topic"] == "plan" and e["status"] == "forwarded" for e in seen_25),
              "the province saw it too", seen_25)
        check_equal(events_seen(watch_01, 0.5), [], "Hà Nội saw nothing of Phú Thọ")

    # a connection that did not subscribe gets nothing
    with kctest.Client(srv(), port=port_b) as quiet:
        quiet.result("auth.login", {"username": officer["username"], "password": officer["password"]})
        with srv().login(officer["username"], officer["password"]) as lan:
            lan.result("plan.create", {"org_id": srv().org_id("25.SCT"), "year": 2031,
                                       "scope": "national"})
        check_equal(events_seen(quiet, 0.5), [], "no subscription, no events")
    for c in (watch_25, watch_01, watch_bct):
        c.close()


@tap.test("correspondence: the province and the Ministry hear of a request and its answer; others do not")
def _():
    port_b = second_server()
    officer = user("province_officer", "25.TTKC")
    other = user("province_officer", "01.TTKC")
    reviewer = user("ministry_reviewer")
    watch_25 = login_on(port_b, officer)
    watch_01 = login_on(port_b, other)
    watch_bct = login_on(port_b, reviewer)
    for c in (watch_25, watch_01, watch_bct):
        c.result("events.subscribe", {"topics": ["correspondence"]})
    with srv().login(officer["username"], officer["password"]) as lan, \
            srv().login(reviewer["username"], reviewer["password"]) as mai:
        req = lan.result("correspondence.open", {"subject": "Vướng mắc về tạm ứng",
                                                 "body": "Đề nghị Bộ hướng dẫn mức tạm ứng lần đầu."})
        e, took = wait_for(watch_bct, lambda e: e.get("topic") == "correspondence"
                           and e.get("id") == req["id"] and e.get("status") == "open", kctest.scaled(3))
        check(e is not None and took < kctest.scaled(1.0), "the Ministry heard of the request", e)
        mai.result("correspondence.answer", {"id": req["id"], "version": req["version"],
                                             "answer": "Thực hiện theo Điều 13 Thông tư 36/2013."})
        e, took = wait_for(watch_25, lambda e: e.get("topic") == "correspondence"
                           and e.get("status") == "answered", kctest.scaled(3))
        check(e is not None and took < kctest.scaled(1.0), "the province heard of the answer", e)
        check_equal(events_seen(watch_01, 0.5), [], "Hà Nội heard nothing")
    for c in (watch_25, watch_01, watch_bct):
        c.close()


@tap.test("the servers exit 0 on SIGTERM")
def _():
    problems = []
    if "second" in S:
        port, proc, log = S.pop("second")
        proc.send_signal(signal.SIGTERM)
        rc = proc.wait(timeout=120 if kctest.UNDER_WRAPPER else 30)
        log.close()
        if rc != 0:
            problems.append("second server exited %d" % rc)
    if "admin" in S:
        S["admin"].close()
    try:
        srv().stop()
    except AssertionError as e:
        problems.append(str(e))
    check(not problems, "\n".join(problems))


tap.run()
