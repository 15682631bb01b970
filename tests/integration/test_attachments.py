#!/usr/bin/env python3
"""Attachments (issue 3): chunked upload through the protocol, byte-for-byte
round trip with SHA-256, type detected from content, names sanitised; a
wrong checksum, an abort and a connection closed mid-upload leave no row
(after the sweep); the size limit; delete only while the owner is a draft
(1010); another province's owner is 1004; finish and delete are audited,
chunks are not."""

import base64
import datetime
import hashlib
import itertools
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kctest  # noqa: E402
from kctest import check, check_equal  # noqa: E402

tap = kctest.Tap()
S = {}
BAD_STATUS = 1010
MAX_BYTES = 4 * 1024 * 1024
_years = itertools.count(2040)

PDF = (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
       b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")


def srv():
    if "main" not in S:
        S["main"] = kctest.Server(start=False)
        S["main"].config["attachments"] = {"max_bytes": MAX_BYTES}
        S["main"].write_config()
        S["main"].start()
    return S["main"]


def admin():
    if "admin" not in S:
        S["admin"] = srv().admin()
    return S["admin"]


def user(role, org=None):
    key = (role, org)
    if key not in S:
        u = kctest.create_user(admin(), role, org_code=org)
        u["client"] = srv().login(u["username"], u["password"])
        S[key] = u
    return S[key]


def lan():
    return user("province_officer")["client"]


def new_plan(org="25.TTKC"):
    c = user("province_officer", org)["client"]
    plan = c.result("plan.create", {"org_id": srv().org_id(org), "year": next(_years),
                                    "scope": "local"})
    project = c.result("project.create", {
        "plan_id": plan["id"], "title": "Đề án có hồ sơ", "content_category": "ND45.4.3",
        "budget_lines": [{"source": "local", "amount": 300}, {"source": "counterpart", "amount": 700}],
        "indicators": [], "no_double_funding": True,
        "beneficiaries": [{"name": "Cơ sở thử", "kind": "household_business"}]})
    plan["projects"] = [project]
    return plan


def viol_fields(error):
    return [v.get("field") for v in (error.get("data") or {}).get("violations", [])]


def begin(client, owner_type, owner_id, name, data, sha=None, size=None):
    return client.call("attachment.begin", {
        "owner_type": owner_type, "owner_id": owner_id, "file_name": name,
        "size": len(data) if size is None else size,
        "sha256": sha or hashlib.sha256(data).hexdigest()})


def upload(client, owner_type, owner_id, name, data, chunk=None, sha=None):
    """begin, put in chunks, finish; returns the finish message."""
    b = client.result("attachment.begin", {
        "owner_type": owner_type, "owner_id": owner_id, "file_name": name,
        "size": len(data), "sha256": sha or hashlib.sha256(data).hexdigest()})
    step = chunk or b["chunk_size"]
    for seq, off in enumerate(range(0, len(data), step)):
        r = client.result("attachment.put", {"id": b["id"], "seq": seq,
                                             "data": base64.b64encode(data[off:off + step]).decode()})
        check_equal(r["received"], min(off + step, len(data)), "bytes received")
    return b["id"], client.call("attachment.finish", {"id": b["id"]})


def download(client, att_id, piece=1024 * 1024):
    out = b""
    while True:
        r = client.result("attachment.get", {"id": att_id, "offset": len(out), "length": piece})
        out += base64.b64decode(r["data"])
        if r["eof"]:
            return out, r


def rows(att_id):
    return (int(srv().sql("SELECT count(*) FROM attachments WHERE id = %d" % att_id).strip()),
            int(srv().sql("SELECT count(*) FROM attachment_chunks WHERE attachment_id = %d"
                          % att_id).strip()))


# ---------------------------------------------------------------------------

@tap.test("a 3 MiB random file round-trips byte for byte in chunks, SHA-256 checked")
def _():
    plan = new_plan()
    data = os.urandom(3 * 1024 * 1024 + 12345)
    att_id, m = upload(lan(), "project", plan["projects"][0]["id"], "Hồ sơ đề án.bin", data,
                       chunk=700 * 1024)
    check("result" in m, "finish", m)
    a = m["result"]
    check_equal(a["size"], len(data), "size")
    check_equal(a["sha256"], hashlib.sha256(data).hexdigest(), "sha256")
    check_equal(a["status"], "complete", "status")
    check_equal(a["mime_type"], "application/octet-stream", "random bytes")
    check_equal(a["file_name"], "Hồ sơ đề án.bin", "name")
    # downloaded in pieces that do not line up with the chunks
    got, last = download(lan(), att_id, piece=333333)
    check(got == data, "bytes differ after the round trip")
    check_equal(hashlib.sha256(got).hexdigest(), last["sha256"], "checksum given with the data")
    # the Ministry reads a local plan's files; the viewer of the province too
    for role in ("ministry_reviewer", "viewer"):
        got, _ = download(user(role)["client"], att_id)
        check(got == data, "%s download" % role)
    items = lan().result("attachment.list", {"owner_type": "project",
                                             "owner_id": plan["projects"][0]["id"]})["items"]
    check_equal([x["id"] for x in items], [att_id], "list")


@tap.test("type detected from content: PDF, PNG, CSV, plain text; names sanitised")
def _():
    plan = new_plan()
    cases = [("bien-ban.dat", PDF, "application/pdf"),
             ("anh.txt", PNG, "image/png"),
             ("du-toan.csv", "Nội dung,Số tiền\nĐào tạo,1000\n".encode(), "text/csv"),
             ("ghi-chu", "Ghi chú về đề án\n".encode(), "text/plain")]
    for name, data, mime in cases:
        att_id, m = upload(lan(), "plan", plan["id"], name, data)
        check_equal(m.get("result", {}).get("mime_type"), mime, "type of %s" % name)
        got, _ = download(lan(), att_id)
        check(got == data, "content of %s" % name)
    for raw, clean in (("../../etc/passwd", "passwd"), ("C:\\tmp\\x\x01y.pdf", "xy.pdf"),
                       ("..", "file"), ("a" * 300 + ".pdf", "a" * 196 + ".pdf"),
                       ("\u202egnp.exe", "gnp.exe")):
        att_id, m = upload(lan(), "plan", plan["id"], raw, b"x")
        check_equal(m.get("result", {}).get("file_name"), clean, "sanitised %r" % raw)


@tap.test("a wrong checksum is refused (1022) and leaves no row")
def _():
    plan = new_plan()
    data = os.urandom(5000)
    att_id, m = upload(lan(), "plan", plan["id"], "x.bin", data, sha="00" * 32)
    check_equal(m.get("error", {}).get("code"), kctest.RULE, "finish with a wrong sha256")
    check_equal(viol_fields(m["error"]), ["sha256"], "field")
    check_equal(rows(att_id), (0, 0), "rows left")
    # too few bytes: also refused at finish
    b = begin(lan(), "plan", plan["id"], "short.bin", data)["result"]
    lan().result("attachment.put", {"id": b["id"], "seq": 0,
                                    "data": base64.b64encode(data[:100]).decode()})
    e = lan().error("attachment.finish", {"id": b["id"]}, kctest.RULE)
    check_equal(viol_fields(e), ["size"], "field")
    check_equal(rows(b["id"]), (0, 0), "rows left")


@tap.test("chunks out of order, too many bytes, bad base64 are refused")
def _():
    plan = new_plan()
    data = os.urandom(3000)
    b = begin(lan(), "plan", plan["id"], "x.bin", data)["result"]
    e = lan().error("attachment.put", {"id": b["id"], "seq": 1, "data": base64.b64encode(data).decode()},
                    kctest.RULE)
    check_equal(e["data"].get("expected"), 0, "expected seq")
    lan().error("attachment.put", {"id": b["id"], "seq": 0, "data": "not base64!"}, kctest.INVALID_PARAMS)
    lan().error("attachment.put", {"id": b["id"], "seq": 0,
                                   "data": base64.b64encode(data + b"extra").decode()}, kctest.RULE)
    r = lan().result("attachment.put", {"id": b["id"], "seq": 0, "data": base64.b64encode(data).decode()})
    again = lan().result("attachment.put", {"id": b["id"], "seq": 0,
                                            "data": base64.b64encode(data).decode()})
    check_equal(again["received"], r["received"], "a repeated chunk is taken once")
    # another user (even of the same province) cannot continue it
    user("province_leader")["client"].error("attachment.put", {"id": b["id"], "seq": 1, "data": "AA=="},
                                            kctest.NOT_FOUND)
    check("result" in lan().call("attachment.finish", {"id": b["id"]}), "finish after the retry")


@tap.test("an upload in progress is invisible; an aborted one leaves no row")
def _():
    plan = new_plan()
    data = os.urandom(2000)
    b = begin(lan(), "plan", plan["id"], "x.bin", data)["result"]
    lan().result("attachment.put", {"id": b["id"], "seq": 0, "data": base64.b64encode(data[:1000]).decode()})
    check_equal(lan().result("attachment.list", {"owner_type": "plan", "owner_id": plan["id"]})["items"], [],
                "list during the upload")
    lan().error("attachment.get", {"id": b["id"]}, kctest.NOT_FOUND)
    check_equal(rows(b["id"]), (1, 1), "rows during the upload")
    check_equal(lan().result("attachment.abort", {"id": b["id"]}), {"id": b["id"], "aborted": True}, "abort")
    check_equal(rows(b["id"]), (0, 0), "rows after abort")
    lan().error("attachment.put", {"id": b["id"], "seq": 1, "data": "AA=="}, kctest.NOT_FOUND)


@tap.test("a connection closed mid-upload leaves nothing after the sweep")
def _():
    plan = new_plan()
    u = user("province_officer")
    c = srv().login(u["username"], u["password"])
    data = os.urandom(4000)
    b = begin(c, "plan", plan["id"], "x.bin", data)["result"]
    c.result("attachment.put", {"id": b["id"], "seq": 0, "data": base64.b64encode(data[:1500]).decode()})
    # another connection's upload in progress is not touched
    other = begin(lan(), "plan", plan["id"], "y.bin", data)["result"]
    c.close()
    kctest.eventually(lambda: srv().sql("SELECT abandoned FROM attachments WHERE id = %d"
                                        % b["id"]).strip() == "t",
                      kctest.scaled(10), what="the upload marked abandoned")
    srv().sql("SELECT kc_attachment_sweep()")
    check_equal(rows(b["id"]), (0, 0), "rows after the sweep")
    check_equal(rows(other["id"])[0], 1, "the live upload")
    # and an upload untouched for over an hour
    srv().sql("UPDATE attachments SET touched_at = now() - interval '61 minutes' WHERE id = %d" % other["id"])
    srv().sql("SELECT kc_attachment_sweep()")
    check_equal(rows(other["id"]), (0, 0), "an expired upload")


@tap.test("the size limit ([attachments] max_bytes) is refused at begin")
def _():
    plan = new_plan()
    e = begin(lan(), "plan", plan["id"], "big.bin", b"", size=MAX_BYTES + 1, sha="ab" * 32)
    check_equal(e.get("error", {}).get("code"), kctest.RULE, "over the limit")
    check_equal(viol_fields(e["error"]), ["size"], "field")
    check("result" in begin(lan(), "plan", plan["id"], "ok.bin", b"", size=MAX_BYTES,
                            sha="ab" * 32), "at the limit")
    lan().error("attachment.begin", {"owner_type": "plan", "owner_id": plan["id"], "file_name": "x",
                                     "size": 1, "sha256": "xyz"}, kctest.INVALID_PARAMS)


@tap.test("delete while draft (stale version 1009); refused once the owner is submitted (1010)")
def _():
    plan = new_plan()
    pid = plan["projects"][0]["id"]
    a1, m = upload(lan(), "project", pid, "a.pdf", PDF)
    a2, _ = upload(lan(), "project", pid, "b.pdf", PDF)
    lan().error("attachment.delete", {"id": a1, "version": 2}, kctest.CONFLICT)
    check_equal(lan().result("attachment.delete", {"id": a1, "version": 1}), {"id": a1, "deleted": True},
                "delete")
    check_equal(rows(a1), (0, 0), "rows after delete")
    lan().result("plan.submit", {"id": plan["id"], "version": plan["version"]})
    e = lan().error("attachment.delete", {"id": a2, "version": 1}, BAD_STATUS)
    check_equal(e["data"], {"status": "submitted"}, "status")
    # files may still be added (e.g. decisions), and read
    _, m = upload(lan(), "project", pid, "qd.pdf", PDF)
    check("result" in m, "upload after submission", m)


@tap.test("attachments on a base appraisal, a progress report and an acceptance; deletable while those are open")
def _():
    plan = new_plan()
    pid = plan["projects"][0]["id"]
    hung = user("province_leader", "25.SCT")["client"]
    sub = lan().result("plan.submit", {"id": plan["id"], "version": plan["version"]})
    # the appraisal sheet, while the plan awaits its appraisal
    a_sheet, m = upload(hung, "plan_appraisal", plan["id"], "phieu-tham-dinh.pdf", PDF)
    check("result" in m, "appraisal upload", m)
    listed = hung.result("attachment.list", {"owner_type": "plan_appraisal", "owner_id": plan["id"]})
    check_equal([a["id"] for a in listed["items"]], [a_sheet], "listed on the appraisal")
    appr = hung.result("plan.approve_local", {"id": plan["id"], "version": sub["version"],
                                              "decision_no": "7/QĐ-UBND", "decision_date": "2026-01-05",
                                              "issuer": "UBND tỉnh Phú Thọ"})
    check_equal(appr["status"], "approved", "plan approved")
    e = hung.error("attachment.delete", {"id": a_sheet, "version": 1}, BAD_STATUS)
    check_equal(e["data"], {"status": "approved"}, "appraisal closed")
    # a progress report's evidence: deletable until the leader confirms it
    proj = lan().result("project.get", {"id": pid})
    year = proj.get("plan_year") or plan["year"]
    report = lan().result("progress.report", {"project_id": pid, "period": "%d-01" % year,
                                              "percent_done": 40, "indicators": [],
                                              "difficulties": ""})
    a1, m = upload(lan(), "progress_report", report["id"], "bien-ban.pdf", PDF)
    a2, m = upload(lan(), "progress_report", report["id"], "anh.png", PNG)
    check_equal(lan().result("attachment.delete", {"id": a1, "version": 1})["deleted"], True, "delete")
    hung.result("progress.confirm", {"id": report["id"], "version": report["version"]})
    lan().error("attachment.delete", {"id": a2, "version": 1}, BAD_STATUS)
    # the acceptance record: kept for good
    proj = lan().result("project.get", {"id": pid})
    hung.result("project.accept", {"id": pid, "version": proj["version"], "accepted_on": datetime.date.today().isoformat(),
                                   "record_no": "12/BB-NT", "indicators": [], "note": ""})
    a3, m = upload(hung, "acceptance", pid, "bien-ban-nghiem-thu.pdf", PDF)
    check("result" in m, "acceptance upload", m)
    hung.error("attachment.delete", {"id": a3, "version": 1}, BAD_STATUS)
    # another province sees none of them
    other = user("province_officer", "01.TTKC")["client"]
    for owner_type, owner_id in (("plan_appraisal", plan["id"]), ("progress_report", report["id"]),
                                 ("acceptance", pid)):
        other.error("attachment.list", {"owner_type": owner_type, "owner_id": owner_id}, kctest.NOT_FOUND)


@tap.test("another province's plan or project is 1004 for every method")
def _():
    # an id that is no finished file: 1004 without data, never an internal error
    for method, params in (("attachment.get", {"id": 987654321}),
                           ("attachment.delete", {"id": 987654321, "version": 1})):
        e = lan().error(method, params, kctest.NOT_FOUND)
        check("data" not in e, "1004 carries no data", e)
    plan = new_plan()
    att, _ = upload(lan(), "plan", plan["id"], "a.pdf", PDF)
    hn = user("province_officer", "01.TTKC")["client"]
    e = begin(hn, "plan", plan["id"], "x.pdf", PDF)
    check_equal(e.get("error", {}).get("code"), kctest.NOT_FOUND, "begin")
    e = begin(hn, "project", plan["projects"][0]["id"], "x.pdf", PDF)
    check_equal(e.get("error", {}).get("code"), kctest.NOT_FOUND, "begin on a project")
    hn.error("attachment.list", {"owner_type": "plan", "owner_id": plan["id"]}, kctest.NOT_FOUND)
    hn.error("attachment.get", {"id": att}, kctest.NOT_FOUND)
    hn.error("attachment.delete", {"id": att, "version": 1}, kctest.NOT_FOUND)
    # and a draft national plan is the province's only
    nat = lan().result("plan.create", {"org_id": srv().org_id("25.TTKC"), "year": next(_years),
                                       "scope": "national"})
    a, _ = upload(lan(), "plan", nat["id"], "a.pdf", PDF)
    user("ministry_reviewer")["client"].error("attachment.get", {"id": a}, kctest.NOT_FOUND)


@tap.test("finish and delete are audited; begin, put and abort are not")
def _():
    plan = new_plan()
    head = kctest.audit_head(admin())
    att, m = upload(lan(), "plan", plan["id"], "a.pdf", PDF, chunk=100)
    b = begin(lan(), "plan", plan["id"], "b.pdf", PDF)["result"]
    lan().result("attachment.abort", {"id": b["id"]})
    lan().result("attachment.delete", {"id": att, "version": 1})
    entries = [e for e in admin().result("audit.list", {"limit": 50})["items"] if e["seq"] > head]
    check_equal(sorted((e["method"], e["record_type"], e["record_id"]) for e in entries),
                [("attachment.delete", "attachment", att), ("attachment.finish", "attachment", att)],
                "audit rows")


@tap.test("the server exits 0 on SIGTERM")
def _():
    for key, u in list(S.items()):
        if isinstance(u, dict) and "client" in u:
            u["client"].close()
    if "admin" in S:
        S["admin"].close()
    srv().stop()


tap.run()
