#!/usr/bin/env python3
"""report.summary and report.export (issue 5). Data is made through the
real methods — national and local plans of today's province 25 (Phú Thọ)
and, for the history, of the old provinces 17 and 26 merged into it in
2025, and of Hà Nội —, then moved through forward, approval, allocation,
contract, payments, progress, acceptance, settlement and cancellation.
After each step every figure of report.summary, for several groupings,
both province maps, filters and both sides (Ministry, province), equals
plain SQL over the base tables, and kc_report_check() finds no aggregate
that differs. Then the CSV export carries the same numbers."""

import base64
import csv
import datetime
import io
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kctest  # noqa: E402
from kctest import check, check_equal  # noqa: E402

tap = kctest.Tap()
S = kctest.Suite()
srv, admin = S.srv, S.admin
RULE = kctest.RULE
FORBIDDEN = kctest.FORBIDDEN
TODAY = datetime.date.today()
Y = TODAY.year
OLD = 2020
MEASURES = ("projects", "planned", "allocated", "advanced", "final", "refunded", "settled")
DIMS = ("province", "category", "year", "source", "status", "kind", "priority")
ROW_KEY = {"province": "province_id", "category": "category", "year": "year", "source": "source",
           "status": "status", "kind": "kind", "priority": "priority"}
GROUPINGS = [[], ["province", "source"], ["year", "status"], ["category", "kind", "priority"],
             ["province", "year", "source", "status"], list(DIMS)]


def user(role, org=None):
    key = (role, org)
    if key not in S:
        u = kctest.create_user(admin(), role, org_code=org)
        u["client"] = srv().login(u["username"], u["password"])
        S[key] = u
    return S[key]["client"]


def lan():
    return user("province_officer")


def hung():
    return user("province_leader")


def appr():
    return user("ministry_approver")


def sql_int(statement):
    return int(srv().sql(statement).strip() or 0)


def old_org(code):
    """An organisation of the 63-unit map (valid until 30/06/2025)."""
    return sql_int("SELECT id FROM orgs WHERE code = '%s' AND valid_to = '2025-06-30'" % code)


def province_root(code):
    if ("root", code) not in S:
        S[("root", code)] = sql_int("SELECT id FROM orgs WHERE kind = 'province' AND code = '%s' AND valid_to IS NULL" % code)
    return S[("root", code)]


def new_plan(client, org_id, year, scope, specs):
    """A plan with one project per spec {category, central, local, counterpart, indicators, kind}."""
    plan = client.result("plan.create", {"org_id": org_id, "year": year, "scope": scope})
    ids = []
    for i, sp in enumerate(specs):
        # the support is at most 30 % of the cost (cap C02): counterpart funds 3 × the support
        sp = dict(sp, counterpart=sp.get("counterpart") or 3 * (sp.get("central", 0) + sp.get("local", 0)))
        lines = [{"source": s, "amount": sp[s]} for s in ("central", "local", "counterpart") if sp.get(s)]
        params = {"plan_id": plan["id"], "title": "Đề án báo cáo %d" % i,
                  "content_category": sp.get("category", "ND45.4.3"), "budget_lines": lines,
                  "indicators": sp.get("indicators", [{"code": "I01", "target": 30}]),
                  "cap_code": sp.get("cap", "C02"), "no_double_funding": True,
                  "start_date": "%d-01-01" % year, "end_date": "%d-12-31" % year,
                  "beneficiaries": [{"name": "Cơ sở thử %d" % i, "kind": "household_business"}]}
        if sp.get("priority"):
            params["priority_area"] = sp["priority"]
        ids.append(client.result("project.create", params)["id"])
    return plan, ids


def get(pid):
    return appr().result("project.get", {"id": pid})


# ---------------------------------------------------------------------------
# The reference: plain SQL over the base tables, written apart from 0017/0018.

def reference_sql(group_by, year0, year1, scope_root, pmap, filters):
    unit = {
        "34": "CASE WHEN prov.valid_to < '2025-07-01' THEN "
              "(SELECT l.new_org_id FROM org_lineage l WHERE l.old_org_id = prov.id) ELSE prov.id END",
        "63": "CASE WHEN prov.valid_from >= '2025-07-01' AND "
              "(SELECT count(*) FROM org_lineage l WHERE l.new_org_id = prov.id) = 1 THEN "
              "(SELECT l.old_org_id FROM org_lineage l WHERE l.new_org_id = prov.id) ELSE prov.id END",
    }[pmap]
    visible = ("(pl.scope = 'local' OR pl.plan_status NOT IN ('draft', 'submitted'))" if scope_root is None
               else "pl.org_id IN (SELECT org_scope(%d))" % scope_root)
    cond = ["pl.year BETWEEN %d AND %d" % (year0, year1), visible]
    for f, col in (("category", "category"), ("status", "status"), ("kind", "kind"), ("priority", "priority")):
        if filters.get(f):
            cond.append("%s IN (%s)" % (col, ",".join("'%s'" % v for v in filters[f])))
    if filters.get("province"):
        cond.append("(SELECT code FROM orgs WHERE id = unit_id) IN (%s)"
                    % ",".join("'%s'" % v for v in filters["province"]))
    prj = ("SELECT * FROM (SELECT pr.id, pr.status, pr.kind, coalesce(pr.priority_area, '') AS priority, "
           "pl.year, pl.scope, pl.status AS plan_status, pl.org_id, "
           "coalesce((SELECT content_code FROM project_categories c WHERE c.project_id = pr.id "
           "AND c.is_primary), '') AS category, %s AS unit_id "
           "FROM projects pr JOIN plans pl ON pl.id = pr.plan_id JOIN orgs o ON o.id = pl.org_id "
           "JOIN orgs prov ON prov.id = CASE WHEN o.kind = 'province' THEN o.id ELSE o.parent_id END) pl "
           "WHERE %s" % (unit, " AND ".join(cond)))
    money = ("SELECT project_id, source, sum(planned) AS planned, sum(allocated) AS allocated, "
             "sum(advanced) AS advanced, sum(final) AS final, sum(refunded) AS refunded, "
             "sum(settled) AS settled FROM ("
             "SELECT project_id, source, amount AS planned, 0 AS allocated, 0 AS advanced, 0 AS final, "
             "0 AS refunded, 0 AS settled FROM project_budget_lines "
             "UNION ALL SELECT project_id, source, 0, amount, 0, 0, 0, 0 FROM allocations "
             "UNION ALL SELECT project_id, 'central', 0, 0, "
             "CASE kind WHEN 'advance' THEN amount ELSE 0 END, CASE kind WHEN 'final' THEN amount ELSE 0 END, "
             "CASE kind WHEN 'refund' THEN amount ELSE 0 END, 0 FROM disbursements "
             "UNION ALL SELECT project_id, source, 0, 0, 0, 0, 0, amount FROM settlement_amounts) x "
             "GROUP BY 1, 2")
    cols = {"province": "p.unit_id", "category": "p.category", "year": "p.year", "source": "m.source",
            "status": "p.status", "kind": "p.kind", "priority": "p.priority"}
    keys = [cols[d] for d in DIMS if d in group_by]
    sums = ", ".join("coalesce(sum(m.%s), 0)" % k for k in MEASURES[1:])
    src_filter = filters.get("source")
    if "source" in group_by or src_filter:
        where = "WHERE m.source IN (%s)" % ",".join("'%s'" % s for s in src_filter) if src_filter else ""
        q = "SELECT %s count(*), %s FROM (%s) p JOIN (%s) m ON m.project_id = p.id %s" % (
            "".join(k + ", " for k in keys), sums, prj, money, where)
    else:
        q = "SELECT %s count(*), %s FROM (%s) p LEFT JOIN (SELECT project_id, %s FROM (%s) y GROUP BY 1) m " \
            "ON m.project_id = p.id" % ("".join(k + ", " for k in keys), sums, prj,
                                        ", ".join("sum(%s) AS %s" % (k, k) for k in MEASURES[1:]), money)
    if keys:
        q += " GROUP BY " + ", ".join(keys)
    ind_keys = [cols[d] for d in DIMS if d in group_by and d != "source"]
    ind = ("SELECT %s i.indicator, count(*), sum(i.target), sum(coalesce(i.achieved, "
           "(SELECT (e->>'achieved')::bigint FROM project_progress_reports r, jsonb_array_elements(r.indicators) e "
           "WHERE r.project_id = p.id AND e->>'code' = i.indicator ORDER BY r.period DESC LIMIT 1), 0)) "
           "FROM (%s) p JOIN project_indicators i ON i.project_id = p.id GROUP BY %s i.indicator"
           % ("".join(k + ", " for k in ind_keys), prj, "".join(k + ", " for k in ind_keys)))
    return q, ind, keys, ind_keys


def row_fields(text):
    """A row as PostgreSQL writes a record: (25,central,"",3)."""
    return [f.strip('"') for f in text[1:-1].split(",")]


def batch(queries):
    """Runs every query in one psql call (psql costs most of this suite's
    time on a loaded machine); returns the rows of each as field lists."""
    sql = " UNION ALL ".join("SELECT %d, x::text FROM (%s) x" % (n, q) for n, q in enumerate(queries))
    out = [[] for _ in queries]
    for line in srv().sql(sql).splitlines():
        if line:
            n, text = line.split("|", 1)
            out[int(n)].append(row_fields(text))
    return out


def as_dict(rows, nkeys, nvals):
    return {tuple(f[:nkeys]): tuple(int(x) for x in f[nkeys:nkeys + nvals]) for f in rows}


def report_key(row, group_by, with_source=True):
    return tuple(str(row.get(ROW_KEY[d], "")) for d in DIMS if d in group_by and (with_source or d != "source"))


def summary_case(client, group_by, year0=OLD - 1, year1=Y + 1, scope_root=None, pmap="34", filters=None, what=""):
    """Calls report.summary; returns the case and its reference queries
    (rows, totals, indicators) for compare()."""
    filters = filters or {}
    params = {"from_year": year0, "to_year": year1, "group_by": group_by}
    if pmap != "34":
        params["province_map"] = pmap
    if filters:
        params["filters"] = filters
    r = client.result("report.summary", params)
    q, ind, keys, ind_keys = reference_sql(group_by, year0, year1, scope_root, pmap, filters)
    tq = reference_sql([], year0, year1, scope_root, pmap, filters)[0]
    label = "%s %s map %s %s" % (what, group_by, pmap, filters)
    return {"r": r, "group_by": group_by, "label": label, "nkeys": len(keys), "nind": len(ind_keys)}, [q, tq, ind]


def compare(case, rows, totals, ind):
    r, group_by, label = case["r"], case["group_by"], case["label"]
    expected = {k: v for k, v in as_dict(rows, case["nkeys"], len(MEASURES)).items() if v[0] > 0}
    seen = {report_key(row, group_by): tuple(row[m] for m in MEASURES) for row in r["rows"]}
    check_equal(len(r["rows"]), len(seen), label + ": one row per group")
    check_equal(seen, expected, label + ": rows")
    # totals: each project once, unless a source filter counts it per source
    (tot,) = as_dict(totals, 0, len(MEASURES)).values()
    check_equal(tuple(r["totals"][m] for m in MEASURES), tot, label + ": totals")
    for row in r["rows"] + [r["totals"]]:
        check_equal(row["paid"], row["advanced"] + row["final"] - row["refunded"], label + ": paid")
    exp_ind = as_dict(ind, case["nind"] + 1, 3)
    seen_ind = {report_key(x, group_by, False) + (x["indicator"],): (x["projects"], x["target"], x["achieved"])
                for x in r["indicators"]}
    check_equal(seen_ind, exp_ind, label + ": indicators")
    # the labels of the export contract
    keys_shown = [c["key"] for c in r["columns"]]
    check_equal(keys_shown[-8:], ["projects", "planned", "allocated", "advanced", "final", "refunded", "paid",
                                  "settled"], label + ": measure columns")
    check_equal(len(keys_shown), 8 + len(group_by), label + ": one column per dimension")


def check_cases(what, cases):
    """Every case against plain SQL, and the aggregates against the base
    tables (kc_report_check), in one psql call."""
    queries = ["SELECT count(*) FROM kc_report_check()"]
    for _, qs in cases:
        queries += qs
    out = batch(queries)
    check_equal(out[0], [["0"]], what + ": aggregates equal the base tables")
    for i, (case, _) in enumerate(cases):
        compare(case, *out[1 + 3 * i:4 + 3 * i])


def check_all(what):
    t0 = time.monotonic()
    root25 = province_root("25")
    cases = [summary_case(appr(), g, what=what + " ministry") for g in GROUPINGS]
    cases += [
        summary_case(appr(), ["province", "year"], pmap="63", what=what + " ministry"),
        summary_case(appr(), ["province", "source", "status"], pmap="63", filters={"province": ["26", "01"]},
                     what=what + " ministry"),
        summary_case(appr(), ["province", "category"],
                     filters={"source": ["central"], "status": ["approved", "in_progress", "completed", "settled"]},
                     what=what + " ministry"),
        summary_case(user("viewer", "BCT.CKC"), ["year", "source"],
                     filters={"category": ["ND45.4.3"], "kind": ["regular"]}, what=what + " ministry viewer"),
        summary_case(lan(), ["province", "source"], scope_root=root25, what=what + " province 25"),
        summary_case(lan(), ["province", "year", "status"], scope_root=root25, pmap="63",
                     what=what + " province 25"),
        summary_case(hung(), ["category", "source"], scope_root=root25,
                     filters={"source": ["central", "counterpart"]}, what=what + " province 25 leader"),
    ]
    check_cases(what, cases)
    kctest.Tap.diag("%s: %.1f s" % (what, time.monotonic() - t0))


# ---------------------------------------------------------------------------

@tap.test("created: drafts of today and of 2020 (old provinces 17 and 26), a local plan, Hà Nội")
def _():
    spec = {"central": 100000000}
    S["nat"] = new_plan(lan(), srv().org_id("25.TTKC"), Y, "national",
                        [spec, dict(spec, central=200000000, indicators=[{"code": "I01", "target": 40},
                                                                         {"code": "I04", "target": 2}]),
                         dict(spec, priority="a"), dict(spec, central=50000000)])
    S["local"] = new_plan(lan(), srv().org_id("25.SCT"), Y, "local",
                          [{"local": 80000000}, {"local": 60000000, "counterpart": 200000000}])
    S["old26"] = new_plan(lan(), old_org("26.TTKC"), OLD, "national", [spec, dict(spec, central=70000000)])
    S["old17"] = new_plan(lan(), old_org("17.TTKC"), OLD, "local", [{"local": 90000000}])
    hn = user("province_officer", "01.TTKC")
    S["hn"] = new_plan(hn, srv().org_id("01.TTKC"), Y, "national", [spec])
    check_all("created")


@tap.test("submitted, forwarded, approved; updates; a local plan approved by the province")
def _():
    for key, client, leader in (("nat", lan(), hung()), ("old26", lan(), hung()),
                                ("hn", user("province_officer", "01.TTKC"), user("province_leader", "01.SCT"))):
        plan, ids = S[key]
        s = client.result("plan.submit", {"id": plan["id"], "version": plan["version"]})
        if key == "nat":
            check_all("submitted (the Ministry does not see it yet)")
        leader.result("plan.appraise", {"id": plan["id"], "version": s["version"], "decision": "forward"})
        for pid in ids[:-1] if key == "nat" else ids:
            appr().result("review.decide", {"project_id": pid, "version": get(pid)["version"],
                                            "decision": "approve", "comment": "Đạt"})
    for key in ("local", "old17"):
        plan, ids = S[key]
        s = lan().result("plan.submit", {"id": plan["id"], "version": plan["version"]})
        hung().result("plan.approve_local", {"id": plan["id"], "version": s["version"], "decision_no": "7/QĐ-UBND",
                                             "decision_date": "%d-01-05" % plan["year"],
                                             "issuer": "UBND tỉnh Phú Thọ"})
    check_all("approved")


@tap.test("allocations, contracts, advances, progress, acceptance, final payment, settlement, cancellation")
def _():
    plan, ids = S["nat"]
    for year in (Y, OLD):
        appr().result("budget.set_appropriation", {"year": year, "source": "central", "amount": 10 ** 12})
    a, b, c = ids[:3]
    # no money before the Minister's plan decision (sql/0025)
    appr().result("decision.approve_plan", {"year": Y, "number": "QĐ-RS-%d" % Y, "signed_on": "%d-01-02" % Y,
                                            "signer": "Bộ trưởng", "project_ids": [a, b, c]})
    for pid, amount in ((a, 90000000), (b, 200000000), (c, 100000000)):
        appr().result("budget.allocate", {"project_id": pid, "version": get(pid)["version"], "amount": amount})
        appr().result("budget.contract", {"project_id": pid, "version": get(pid)["version"], "number": "HĐ-%d" % pid,
                                          "signed_on": "%d-01-05" % Y, "amount": amount})
    check_all("allocated and contracted")
    # a model's first advance rests on a report confirmed by the Department of more than 70 % of
    # the investment done (TT 36/2013 Art. 13.2.d, sql/0039)
    r = lan().result("progress.report", {"project_id": a, "period": "%d-01" % Y, "percent_done": 75,
                                         "indicators": [{"code": "I01", "achieved": 12}]})
    hung().result("progress.confirm", {"id": r["id"], "version": r["version"]})
    r = lan().result("progress.report", {"project_id": b, "period": "%d-01" % Y, "percent_done": 80,
                                         "indicators": [{"code": "I01", "achieved": 9}, {"code": "I04", "achieved": 1}]})
    hung().result("progress.confirm", {"id": r["id"], "version": r["version"]})
    pay = {"project_id": a, "kind": "advance", "amount": 40000000, "date": "%d-01-10" % Y, "document_no": "UNC-1"}
    appr().result("budget.disburse", pay)
    appr().result("budget.disburse", dict(pay, project_id=b, amount=100000000, document_no="UNC-2"))
    appr().result("budget.disburse", dict(pay, project_id=b, kind="refund", amount=5000000, document_no="NT-1"))
    check_all("advances and progress")
    hung().result("project.accept", {"id": a, "version": get(a)["version"], "accepted_on": TODAY.isoformat(),
                                     "record_no": "BB-NT-1", "indicators": [{"code": "I01", "achieved": 28}]})
    appr().result("budget.disburse", dict(pay, kind="final", amount=50000000, document_no="UNC-3"))
    check_all("accepted, final payment")
    appr().result("budget.settle", {"project_id": a, "version": get(a)["version"], "settled_on": TODAY.isoformat(),
                                    "record_no": "QT-1", "amounts": [{"source": "central", "amount": 90000000},
                                                                     {"source": "counterpart", "amount": 250000000}]})
    appr().result("project.cancel", {"id": c, "version": get(c)["version"], "reason": "Đơn vị xin dừng",
                                     "decision_no": "QĐ-HUY-1", "decision_date": TODAY.isoformat()})
    # the local plan's first project: cancelled by the province
    lp, lids = S["local"]
    hung().result("project.cancel", {"id": lids[0], "version": get(lids[0])["version"], "reason": "Dừng",
                                     "decision_no": "QĐ-HUY-2", "decision_date": TODAY.isoformat()})
    check_all("settled and cancelled")
    check_equal(get(a)["status"], "settled", "settled")
    check_equal(get(c)["status"], "cancelled", "cancelled")


@tap.test("a draft edited and deleted; rebuild gives the same aggregates")
def _():
    plan, ids = new_plan(lan(), srv().org_id("25.TTKC"), Y + 1, "national",
                         [{"central": 10000000, "counterpart": 100000000}])
    p = lan().result("project.get", {"id": ids[0]})
    lan().result("project.update", {"id": p["id"], "version": p["version"],
                                    "budget_lines": [{"source": "central", "amount": 20000000},
                                                     {"source": "local", "amount": 5000000},
                                                     {"source": "counterpart", "amount": 75000000}]})
    check_cases("edited draft", [summary_case(lan(), ["year", "source"], scope_root=province_root("25"))])
    before = srv().sql("SELECT kc_report_summary(NULL, '{\"from_year\":2014,\"to_year\":2100,"
                       "\"group_by\":[\"province\",\"category\",\"year\",\"source\",\"status\",\"kind\","
                       "\"priority\"]}')->'result'->'rows'")
    n = sql_int("SELECT count(*) FROM report_facts")
    lan().result("project.delete", {"id": p["id"], "version": p["version"] + 1})
    check_cases("deleted draft", [summary_case(lan(), ["year", "source"], scope_root=province_root("25"))])
    srv().sql("SELECT kc_report_rebuild()")
    after = srv().sql("SELECT kc_report_summary(NULL, '{\"from_year\":2014,\"to_year\":2100,"
                      "\"group_by\":[\"province\",\"category\",\"year\",\"source\",\"status\",\"kind\","
                      "\"priority\"]}')->'result'->'rows'")
    check_equal(after, before, "rebuild: same figures")
    check(sql_int("SELECT count(*) FROM report_facts") <= n, "rebuild keeps no empty rows")
    check_all("rebuilt")


@tap.test("concurrent writers on the same aggregates: 4 connections create and edit 24 projects; no error, no drift")
def _():
    import threading
    plan = lan().result("plan.create", {"org_id": old_org("17.TTKC"), "year": OLD + 1, "scope": "national"})
    u = S[("province_officer", None)]
    clients = [srv().login(u["username"], u["password"]) for _ in range(4)]
    failures = []
    barrier = threading.Barrier(4)

    def worker(k):
        try:
            barrier.wait()
            for i in range(6):
                p = clients[k].result("project.create", {
                    "plan_id": plan["id"], "title": "Đề án song song %d-%d" % (k, i),
                    "content_category": "ND45.4.3", "priority_area": ("a", "b")[i % 2],
                    "budget_lines": [{"source": "central", "amount": 10000000 * (i + 1)},
                                     {"source": "counterpart", "amount": 40000000 * (i + 1)}],
                    "indicators": [{"code": "I01", "target": 10 + i}], "cap_code": "C02",
                    "no_double_funding": True, "start_date": "%d-01-01" % (OLD + 1),
                    "end_date": "%d-12-31" % (OLD + 1),
                    "beneficiaries": [{"name": "Cơ sở %d" % i, "kind": "household_business"}]})
                clients[k].result("project.update", {"id": p["id"], "version": p["version"],
                                                     "budget_lines": [{"source": "central", "amount": 5000000},
                                                                      {"source": "local", "amount": 5000000},
                                                                      {"source": "counterpart", "amount": 30000000}]})
        except Exception as e:  # noqa: BLE001
            failures.append(repr(e))

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(300)
    for c in clients:
        c.close()
    if failures:
        kctest.Tap.diag(srv().log_tail(40))
    check(not failures, "every write succeeded (no deadlock, no error)", failures)
    check_cases("concurrent", [summary_case(lan(), ["year", "priority", "source"], scope_root=province_root("25"))])


@tap.test("parameters and scope: bad params refused, province 01 sees nothing of 25, admin refused")
def _():
    e = appr().error("report.summary", {"from_year": 2020, "to_year": 2019, "group_by": []}, kctest.INVALID_PARAMS)
    check("to_year" in str(e["data"]), "to_year named", e)
    e = appr().error("report.summary", {"from_year": 2020, "to_year": 2021, "group_by": ["province", "colour",
                                                                                     "province"]},
                     kctest.INVALID_PARAMS)
    fields = sorted(f["field"] for f in e["data"]["fields"])
    check_equal(fields, ["group_by[1]", "group_by[2]"], "unknown and repeated dimensions")
    e = appr().error("report.summary", {"from_year": 2020, "to_year": 2021, "group_by": [],
                                        "filters": {"colour": ["x"], "source": "central"},
                                        "province_map": "64", "extra": 1}, kctest.INVALID_PARAMS)
    fields = sorted(f["field"] for f in e["data"]["fields"])
    check_equal(fields, ["extra", "filters.colour", "filters.source", "province_map"], "fields")
    appr().error("report.summary", {"from_year": 2020, "to_year": 2021}, kctest.INVALID_PARAMS)
    hn = user("province_officer", "01.TTKC")
    r = hn.result("report.summary", {"from_year": 2014, "to_year": 2100, "group_by": ["province"]})
    check_equal([x["province_code"] for x in r["rows"]], ["01"], "Hà Nội sees Hà Nội only")
    r = lan().result("report.summary", {"from_year": 2014, "to_year": 2100, "group_by": ["province"],
                                        "province_map": "63"})
    names = [x["province_name"] for x in r["rows"]]
    check("Tỉnh Vĩnh Phúc" in names and "Tỉnh Hòa Bình" in names, "63-unit map shows the old units", names)
    check(all(x["province_code"] in ("17", "25", "26") for x in r["rows"]), "only its lineage", r["rows"])
    # the date line's place, and the note on per-source counts (issue 17)
    check_equal((r["place"], r.get("note")), ("Phú Thọ", None), "a province's place, no note")
    r = appr().result("report.summary", {"from_year": 2014, "to_year": 2100, "group_by": ["province", "source"]})
    check_equal(r["place"], "Hà Nội", "the Ministry's place")
    check("mỗi nguồn" in r["note"], "per-source counts explained", r.get("note"))
    admin().error("report.summary", {"from_year": 2014, "to_year": 2100, "group_by": []}, FORBIDDEN)


@tap.test("report.export csv: the same numbers as report.summary; roles, bad reports, other formats")
def _():
    params = {"from_year": OLD - 1, "to_year": Y + 1, "group_by": ["province", "source"]}
    r = appr().result("report.summary", params)
    x = appr().result("report.export", {"report": "summary", "params": params, "format": "csv"})
    check_equal(x["filename"], "bao-cao-tong-hop-%d-%d.csv" % (OLD - 1, Y + 1), "filename")
    check_equal(x["mime_type"], "text/csv; charset=utf-8", "mime type")
    data = base64.b64decode(x["content_base64"])
    check(data.startswith(b"\xef\xbb\xbf"), "UTF-8 byte order mark for Excel")
    table = list(csv.reader(io.StringIO(data[3:].decode("utf-8"), newline="")))
    check_equal(table[0], [c["label"] for c in r["columns"]], "header labels")
    check_equal(table[0][:3], ["Tỉnh, thành phố", "Nguồn kinh phí", "Số đề án"], "Vietnamese labels")
    check_equal(len(table), len(r["rows"]) + 2, "a line per row plus header and totals")
    keys = [c["key"] for c in r["columns"]]
    for line, row in zip(table[1:], r["rows"]):
        check_equal(line[:2], [row["province_name"], row["source_name"]], "row labels")
        check_equal([int(v) for v in line[2:]], [row[k] for k in keys[2:]], "row numbers")
    check_equal([int(v) for v in table[-1][2:]], [r["totals"][k] for k in keys[2:]], "totals line")
    # the province's export is its own
    mine = lan().result("report.export", {"report": "summary", "params": params, "format": "csv"})
    text = base64.b64decode(mine["content_base64"]).decode("utf-8")
    check("Thành phố Hà Nội" not in text and "Tỉnh Phú Thọ" in text, "province 25's own figures", text[:300])
    # the inner report's errors come back as they are
    e = appr().error("report.export", {"report": "summary", "params": {"from_year": 2020}, "format": "csv"},
                     kctest.INVALID_PARAMS)
    check("to_year" in str(e["data"]), "inner params named", e)
    for bad in ("export", "nope", "summary.x"):
        appr().error("report.export", {"report": bad, "params": {}, "format": "csv"}, kctest.INVALID_PARAMS)
    # docx/odt are for documents (round reports): a table report refuses them on format
    e = appr().error("report.export", {"report": "summary", "params": params, "format": "docx"},
                     kctest.INVALID_PARAMS)
    check("format" in str(e["data"]), "the format named", e)
    appr().error("report.export", {"report": "summary", "params": params, "format": "rtf"}, kctest.INVALID_PARAMS)
    appr().error("report.export", {"report": "summary", "params": [], "format": "csv"}, kctest.INVALID_PARAMS)
    admin().error("report.export", {"report": "summary", "params": params, "format": "csv"}, FORBIDDEN)
    # xlsx and pdf: a file when the renderers exist, until then a clear refusal naming the format
    for fmt, magic in (("xlsx", b"PK"), ("pdf", b"%PDF")):
        m = appr().call("report.export", {"report": "summary", "params": params, "format": fmt})
        if "result" in m:
            check(base64.b64decode(m["result"]["content_base64"]).startswith(magic), fmt + " content")
            check_equal(m["result"]["filename"], "bao-cao-tong-hop-%d-%d.%s" % (OLD - 1, Y + 1, fmt), fmt + " name")
        else:
            check_equal(m["error"]["code"], RULE, fmt + " refused as a rule")
            check_equal(m["error"]["data"]["violations"][0]["field"], "format", fmt + " names the format")


@tap.test("the server exits 0 on SIGTERM (no leaks or errors under a wrapper)")
def _():
    for key, value in list(S.items()):
        if isinstance(value, dict) and "client" in value:
            value["client"].close()
    if "admin" in S:
        S["admin"].close()
    srv().stop()


if __name__ == "__main__":
    tap.run()
