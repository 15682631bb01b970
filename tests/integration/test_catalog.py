#!/usr/bin/env python3
"""The reference data (issue 3, sql/0004_catalog.sql): catalog.get and its
validity filter, who may call what, catalog.update with optimistic
versions, catalog.add_cap closing the row in force, and the audit row of
every write."""

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kctest  # noqa: E402
from kctest import check, check_equal  # noqa: E402

tap = kctest.Tap()
S = kctest.Suite()
srv, admin = S.srv, S.admin

SECTIONS = ("funding_sources", "content_categories", "sectors", "priority_areas",
            "priority_sectors", "indicators", "programme_periods", "project_kinds",
            "support_caps", "calendar_rules", "advance_rules", "advance_first_rules", "project_kind_bounds")
# the provinces' own caps (sql/0025): empty until a province enters its resolution
EMPTY_SECTIONS = ("local_caps",)
MAIN_CONTENTS = ["ND45.4.%d" % k for k in range(1, 10)]
# the recorded decision a cap changes by (issue 13 point 9, sql/0029)
DECISION = {"number": "15/2026/TT-BCT", "date": "2026-03-01", "signer": "Thứ trưởng Nguyễn Văn A"}
POINTS = ["ND45.4.7.a", "ND45.4.7.b", "ND45.4.7.c",
          "ND45.4.9.a", "ND45.4.9.b", "ND45.4.9.c", "ND45.4.9.d", "ND45.4.9.đ"]


def role_users():
    if "users" not in S:
        users = {}
        for role in kctest.ROLES:
            u = kctest.create_user(admin(), role)
            u["client"] = srv().login(u["username"], u["password"])
            users[role] = u
        S["users"] = users
    return S["users"]


def catalog(client=None, at=None):
    return (client or admin()).result("catalog.get", {} if at is None else {"at": at})


def caps(cat, code):
    return sorted((c for c in cat["support_caps"] if c["cap_code"] == code),
                  key=lambda c: c["valid_from"])


def one_new_audit_row(before_seq):
    rows = [e for e in admin().result("audit.list", {"limit": 50})["items"]
            if e["seq"] > before_seq]
    check_equal(len(rows), 1, "new audit rows (%s)" % json.dumps(rows, ensure_ascii=False)[:1500])
    return rows[0]


# ---------------------------------------------------------------------------

@tap.test("catalog.get: every section, as arrays, every row with legal_act, validity, confidence, version")
def _():
    cat = catalog()
    check_equal(sorted(cat), sorted(SECTIONS + EMPTY_SECTIONS), "sections")
    for name in SECTIONS:
        check(isinstance(cat[name], list) and cat[name], "%s is not a non-empty array" % name, cat[name])
        for row in cat[name]:
            for key in ("legal_act", "valid_from", "valid_to", "confidence", "version"):
                check(key in row, "%s row without %s" % (name, key), row)
            check(row["confidence"] in ("C", "P", "U"), "confidence", row)
            check(row["version"] == 1, "fresh row version", row)


@tap.test("catalog.get: 9 contents of NĐ 45 Art. 4 with their points, NĐ 235 placeholders marked U")
def _():
    rows = {c["code"]: c for c in catalog()["content_categories"]}
    check([c for c in rows if rows[c]["parent_code"] is None and c.startswith("ND45.")] == MAIN_CONTENTS,
          "the 9 main contents in order", list(rows))
    for p in POINTS:
        check(p in rows and rows[p]["parent_code"] == p[:8], "point %s" % p, rows.get(p))
    check_equal(len([c for c in rows if c.startswith("ND45.")]), 17, "ND45 rows")
    for c in ("ND235.SXTDBV", "ND235.CDS"):
        check(rows[c]["confidence"] == "U" and rows[c]["valid_from"] == "2025-10-15", c, rows[c])
    check(rows["ND45.4.1"]["group_project_eligible"] is True, "training is group-eligible")
    check_equal(rows["ND45.4.6"]["requires_bidding"], True, "media requires bidding")


@tap.test("catalog.get: 4 funding sources, sectors 5.1.a-g, priorities, 3 programmes, 4 project kinds")
def _():
    cat = catalog()
    check_equal([f["code"] for f in cat["funding_sources"]],
                ["central", "local", "counterpart", "other"], "funding sources")
    check_equal(cat["funding_sources"][0]["name_vi"], "Ngân sách trung ương", "central name")
    check_equal([s["code"] for s in cat["sectors"]],
                ["5.1.a", "5.1.b", "5.1.c", "5.1.d", "5.1.đ", "5.1.e", "5.1.g"], "sectors")
    check_equal([a["code"] for a in cat["priority_areas"]], ["a", "b", "c", "d"], "priority areas")
    check_equal(sorted(s["code"] for s in cat["priority_sectors"]),
                sorted(["typical_product", "key_industry", "export", "local_materials",
                        "labour_intensive", "agri_machinery_chemicals", "agro_processing",
                        "supporting_industry"]), "priority sectors")
    check_equal([p["code"] for p in cat["programme_periods"]],
                ["KCQG-2014-2020", "KCQG-2021-2025", "KCQG-2026-2030"], "programmes")
    kinds = {k["code"]: k for k in cat["project_kinds"]}
    check_equal(sorted(kinds), ["flagship", "group", "regular", "task"], "project kinds")
    f = kinds["flagship"]
    check((f["min_years"], f["max_years"], f["min_contents"], f["min_beneficiaries"]) == (2, 3, 2, 2),
          "flagship rules", f)
    check(len(cat["indicators"]) >= 20 and all(i["unit_vi"] for i in cat["indicators"]),
          "indicators with units", cat["indicators"][:3])
    deadlines = {r["year"]: r["due"] for r in cat["calendar_rules"] if r["rule"] == "registration_deadline"}
    check_equal(sorted(deadlines), list(range(2015, 2032)), "registration deadline years")
    check_equal(deadlines[2016], "2015-06-15", "deadline of plan year 2016")
    check_equal(deadlines[2026], "2025-06-20", "deadline of plan year 2026")


@tap.test("catalog.get: C02 has its 2014 row (500,000,000 đ) and its 2018 row (1,000,000,000 đ)")
def _():
    cat = catalog()
    c02 = caps(cat, "C02")
    check_equal(len(c02), 2, "rows of C02")
    old, new = c02
    check(old["abs_cap_vnd"] == 500000000 and old["valid_from"] == "2014-04-08"
          and old["valid_to"] == "2018-05-10" and old["confidence"] == "C"
          and old["content_code"] == "ND45.4.3", "2014 row of C02", old)
    check(new["abs_cap_vnd"] == 1000000000 and new["valid_from"] == "2018-05-11"
          and new["valid_to"] is None and new["confidence"] == "C", "2018 row of C02", new)
    check(isinstance(new["abs_cap_vnd"], int) and float(new["pct_cap"]) == 30.0, "amount types", new)
    # a 2018 value not found: the 2014 value copied forward, marked U with a note
    c03 = caps(cat, "C03")
    check(len(c03) == 2 and c03[1]["confidence"] == "U" and c03[1]["abs_cap_vnd"] == c03[0]["abs_cap_vnd"]
          and "TT 28/2018" in (c03[1]["note"] or ""), "C03 copied forward", c03)


@tap.test("catalog.get {at}: 2019-01-01 gives only the 2018 row of C02, 2016-01-01 only the 2014 one")
def _():
    at19 = caps(catalog(at="2019-01-01"), "C02")
    check(len(at19) == 1 and at19[0]["abs_cap_vnd"] == 1000000000, "C02 on 2019-01-01", at19)
    at16 = catalog(at="2016-01-01")
    c02 = caps(at16, "C02")
    check(len(c02) == 1 and c02[0]["abs_cap_vnd"] == 500000000, "C02 on 2016-01-01", c02)
    codes = [c["code"] for c in at16["content_categories"]]
    check("ND235.CDS" not in codes and "ND45.4.1" in codes, "2025 placeholders hidden in 2016", codes)
    check_equal([p["code"] for p in at16["programme_periods"]], ["KCQG-2014-2020"], "programme in 2016")
    check(all(c["valid_from"] <= "2016-01-01" and (c["valid_to"] is None or c["valid_to"] >= "2016-01-01")
              for c in at16["support_caps"]), "caps valid on 2016-01-01")
    e = admin().error("catalog.get", {"at": "2016-13-01"}, kctest.INVALID_PARAMS)
    check_equal(kctest.field_names(e), ["at"], "bad date field")
    e = admin().error("catalog.get", {"year": 2016}, kctest.INVALID_PARAMS)
    check_equal(kctest.field_names(e), ["year"], "unknown parameter")


@tap.test("every role may call catalog.get")
def _():
    for role, u in role_users().items():
        cat = u["client"].result("catalog.get", {})
        check(len(cat.get("content_categories", [])) == 19, "%s got the catalogue" % role)


@tap.test("only admin may call catalog.update and catalog.add_cap (1003 otherwise, nothing changed)")
def _():
    row = [f for f in catalog()["funding_sources"] if f["code"] == "other"][0]
    for role, u in role_users().items():
        if role == "admin":
            continue
        e = u["client"].error("catalog.update", {"section": "funding_sources", "key": "other",
                                                 "version": row["version"],
                                                 "fields": {"name_en": "by " + role}},
                              kctest.FORBIDDEN)
        check("data" not in e or e["data"] is None or "current_version" not in e["data"], "no leak", e)
        u["client"].error("catalog.add_cap", {"cap_code": "C11", "content_code": "ND45.4.4",
                                              "abs_cap_vnd": 1, "unit": "sản phẩm", "base": "x",
                                              "legal_act": "x", "valid_from": "2030-01-01",
                                              "confidence": "U"}, kctest.FORBIDDEN)
    after = [f for f in catalog()["funding_sources"] if f["code"] == "other"][0]
    check_equal(after, row, "row after refused updates")
    check_equal(len(caps(catalog(), "C11")), 2, "C11 rows after refused add_cap")


@tap.test("catalog.update: changes the editable fields, version +1; stale version -> 1009 with current_version")
def _():
    a = admin()
    row = [i for i in catalog()["indicators"] if i["code"] == "I04"][0]
    r = a.result("catalog.update", {"section": "indicators", "key": "I04", "version": row["version"],
                                    "fields": {"unit_en": "demonstration models", "confidence": "C",
                                               "note": "Mục tiêu 2021–2025: 340.\nĐã xác nhận."}})
    check(r["version"] == row["version"] + 1 and r["unit_en"] == "demonstration models"
          and r["confidence"] == "C" and r["name_vi"] == row["name_vi"], "updated row", r)
    e = a.error("catalog.update", {"section": "indicators", "key": "I04", "version": row["version"],
                                   "fields": {"unit_en": "stale"}}, kctest.CONFLICT)
    check_equal((e.get("data") or {}).get("current_version"), row["version"] + 1, "current_version")
    now = [i for i in catalog()["indicators"] if i["code"] == "I04"][0]
    check_equal(now["unit_en"], "demonstration models", "unit_en kept after the stale update")
    # a cap by id: its amount
    c14 = caps(catalog(), "C14")[1]
    r = a.result("catalog.update", {"decision": DECISION, "section": "support_caps", "key": c14["id"], "version": c14["version"],
                                    "fields": {"abs_cap_vnd": 70000000, "pct_cap": 50.5}})
    check(r["abs_cap_vnd"] == 70000000 and float(r["pct_cap"]) == 50.5 and r["id"] == c14["id"], "cap", r)


@tap.test("catalog.update: unknown key -> 1004; unknown section or field, bad values -> -32602")
def _():
    a = admin()
    a.error("catalog.update", {"section": "sectors", "key": "9.9.z", "version": 1,
                               "fields": {"name_en": "x"}}, kctest.NOT_FOUND)
    a.error("catalog.update", {"decision": DECISION, "section": "support_caps", "key": 987654321, "version": 1,
                               "fields": {"note": "x"}}, kctest.NOT_FOUND)
    e = a.error("catalog.update", {"section": "nope", "key": "x", "version": 1,
                                   "fields": {"name_en": "x"}}, kctest.INVALID_PARAMS)
    check("section" in kctest.field_names(e), "section error", e)
    e = a.error("catalog.update", {"section": "sectors", "key": "5.1.a", "version": 1,
                                   "fields": {"code": "5.1.z", "version": 7, "name_vi": None,
                                              "confidence": "X", "valid_to": "2020-02-30"}},
                kctest.INVALID_PARAMS)
    check_equal(sorted(kctest.field_names(e)),
                sorted(["fields.code", "fields.version", "fields.name_vi", "fields.confidence",
                        "fields.valid_to"]), "field errors")
    e = a.error("catalog.update", {"section": "content_categories", "key": "ND45.4.1", "version": 1,
                                   "fields": {"first_advance_pct": 50}}, kctest.INVALID_PARAMS)
    check_equal(kctest.field_names(e), ["fields.first_advance_pct"], "advance pct")
    e = a.error("catalog.update", {"section": "sectors", "key": "5.1.a", "version": 1, "fields": {}},
                kctest.INVALID_PARAMS)
    check_equal(kctest.field_names(e), ["fields"], "empty fields")
    # validity out of order: refused by the database's check, nothing changed
    e = a.error("catalog.update", {"section": "sectors", "key": "5.1.a", "version": 1,
                                   "fields": {"valid_to": "2001-01-01"}}, kctest.RULE)
    check_equal(srv().sql("SELECT version FROM sectors WHERE code = '5.1.a'").strip(), "1", "version")


@tap.test("catalog.add_cap for 2026 closes the 2018 row; the 2019 view is unchanged")
def _():
    a = admin()
    before19 = caps(catalog(at="2019-01-01"), "C02")
    r = a.result("catalog.add_cap", {"decision": DECISION, "cap_code": "C02", "content_code": "ND45.4.3", "pct_cap": 30,
                                     "abs_cap_vnd": 1500000000, "unit": "mô hình",
                                     "base": "chi phí xây dựng mô hình",
                                     "legal_act": "Thông tư thử 2026 Điều 8", "valid_from": "2026-01-01",
                                     "confidence": "U", "note": "thử nghiệm"})
    cap, closed = r["cap"], r["closed"]
    check(cap["valid_from"] == "2026-01-01" and cap["valid_to"] is None
          and cap["abs_cap_vnd"] == 1500000000 and cap["version"] == 1
          and cap["name_vi"] == before19[0]["name_vi"], "new row (name copied)", cap)
    check(closed["id"] == before19[0]["id"] and closed["valid_to"] == "2025-12-31"
          and closed["abs_cap_vnd"] == 1000000000 and closed["version"] == 2, "closed row", closed)
    after19 = caps(catalog(at="2019-01-01"), "C02")
    check(len(after19) == 1 and after19[0]["id"] == before19[0]["id"]
          and after19[0]["abs_cap_vnd"] == 1000000000, "2019 view of C02", after19)
    at26 = caps(catalog(at="2026-01-01"), "C02")
    check(len(at26) == 1 and at26[0]["id"] == cap["id"], "2026 view of C02", at26)
    check_equal(len(caps(catalog(), "C02")), 3, "every row of C02")
    # kc_caps_in_force, what project checks use
    ids = srv().sql("SELECT id FROM kc_caps_in_force('ND45.4.3', '2019-01-01') WHERE cap_code = 'C02'")
    check_equal(ids.split(), [str(before19[0]["id"])], "kc_caps_in_force on 2019-01-01")
    # a row from the same day or earlier than the last: refused, nothing added
    e = a.error("catalog.add_cap", {"decision": DECISION, "cap_code": "C02", "content_code": "ND45.4.3", "abs_cap_vnd": 1,
                                    "unit": "mô hình", "base": "x", "legal_act": "x",
                                    "valid_from": "2020-01-01", "confidence": "U"}, kctest.RULE)
    check_equal(e["data"]["violations"][0]["field"], "valid_from", "violation field")
    check_equal(len(caps(catalog(), "C02")), 3, "rows of C02 after the refused add")
    e = a.error("catalog.add_cap", {"decision": DECISION, "cap_code": "C99", "content_code": "ND45.9.9", "abs_cap_vnd": 1,
                                    "name_vi": "x", "name_en": "x",
                                    "unit": "x", "base": "x", "legal_act": "x",
                                    "valid_from": "2026-01-01", "confidence": "U"}, kctest.RULE)
    check_equal(e["data"]["violations"][0]["field"], "content_code", "unknown content")
    e = a.error("catalog.add_cap", {"decision": DECISION, "cap_code": "2", "content_code": "ND45.4.3", "pct_cap": 100.001,
                                    "abs_cap_vnd": -1, "unit": "x", "base": "x", "legal_act": "x",
                                    "valid_from": "2026-1-1", "confidence": "Z"}, kctest.INVALID_PARAMS)
    check_equal(sorted(kctest.field_names(e)),
                sorted(["cap_code", "pct_cap", "abs_cap_vnd", "valid_from", "confidence"]), "bad params")
    # a new cap code for every content (content_code null) needs its names
    r = a.result("catalog.add_cap", {"decision": DECISION, "cap_code": "C28", "content_code": None, "pct_cap": 5,
                                     "unit": "đề án", "base": "dự toán", "name_vi": "Mức thử",
                                     "name_en": "Trial cap", "legal_act": "x",
                                     "valid_from": "2026-01-01", "confidence": "U"})
    check(r["cap"]["content_code"] is None and r["closed"] is None, "C28", r)
    # the database refuses two rows of one cap valid on the same day, whoever writes them
    old = caps(catalog(), "C02")[0]
    e = a.error("catalog.update", {"decision": DECISION, "section": "support_caps", "key": old["id"], "version": old["version"],
                                   "fields": {"valid_to": "2018-06-01"}}, kctest.RULE)
    check_equal(caps(catalog(), "C02")[0], old, "2014 row of C02 after a refused overlap")


@tap.test("every catalogue write adds exactly one audit row naming the method, the actor and the row")
def _():
    a = admin()
    me = a.login_result["user"]
    head = kctest.audit_head(a)
    row = [s for s in catalog()["sectors"] if s["code"] == "5.1.b"][0]
    a.result("catalog.update", {"section": "sectors", "key": "5.1.b", "version": row["version"],
                                "fields": {"name_en": "Consumer and export goods"}})
    audit = one_new_audit_row(head)
    check(audit["method"] == "catalog.update" and audit["user_id"] == me["id"]
          and audit["record_type"] == "catalog.sectors"
          and audit["before"]["name_en"] == row["name_en"]
          and audit["after"]["name_en"] == "Consumer and export goods"
          and audit["after"]["code"] == "5.1.b", "audit of catalog.update", audit)
    head = kctest.audit_head(a)
    r = a.result("catalog.add_cap", {"decision": DECISION, "cap_code": "C13", "content_code": "ND45.4.4", "pct_cap": 50,
                                     "abs_cap_vnd": 50000000, "unit": "thương hiệu", "base": "chi phí",
                                     "legal_act": "Thông tư thử", "valid_from": "2027-01-01",
                                     "confidence": "P"})
    audit = one_new_audit_row(head)
    check(audit["method"] == "catalog.add_cap" and audit["record_type"] == "catalog.support_caps"
          and audit["record_id"] == r["cap"]["id"] and audit["user_id"] == me["id"]
          and audit["after"]["closed"]["id"] == audit["before"]["id"]
          and audit["after"]["closed"]["valid_to"] == "2026-12-31", "audit of catalog.add_cap", audit)
    # reads and refused writes add nothing
    head = kctest.audit_head(a)
    catalog()
    a.error("catalog.update", {"section": "sectors", "key": "5.1.b", "version": 1,
                               "fields": {"name_en": "stale"}}, kctest.CONFLICT)
    role_users()["viewer"]["client"].error("catalog.update", {"section": "sectors", "key": "5.1.b",
                                                              "version": 2, "fields": {"name_en": "v"}},
                                           kctest.FORBIDDEN)
    # A refusal (1003) is on record once a minute per caller and method
    # (sql/0024): whether this one adds its row depends on the clock, so
    # only refusal rows may follow, and no change.
    rows = [e for e in a.result("audit.list", {"limit": 50})["items"] if e["seq"] > head]
    check_equal([(e["method"], (e.get("after") or {}).get("result")) for e in rows],
                [("catalog.update", "refused")] * len(rows),
                "audit rows after a read and refused writes")
    check(len(rows) <= 1, "at most the viewer's refusal", rows)


@tap.test("the server exits 0 on SIGTERM")
def _():
    for u in S.get("users", {}).values():
        u["client"].close()
    if "admin" in S:
        S["admin"].close()
    srv().stop()


tap.run()
