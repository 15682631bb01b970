#!/usr/bin/env python3
"""The year on the desktop (issue 16, server): a monthly progress report
carries its own files (attachment.* with owner type progress_report, listed
by progress.list; never another province's; audited), and the officer's
acceptance dossier (project.submit_acceptance, sql/0043): stage
acceptance_submitted, enforced by the database, an inbox item
acceptance_to_review for whoever accepts (the province leader for a local
project, the Ministry's approver for a national one, never another
province), the dossier's files, project.get's acceptance_dossier, then
project.accept."""

import base64
import datetime
import hashlib
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kctest  # noqa: E402
from kctest import check, check_equal  # noqa: E402

tap = kctest.Tap()
S = kctest.Suite()
srv, admin, user = S.srv, S.admin, S.user
TODAY = datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=7))).date()
NOT_FOUND, BAD_STATUS, RULE = 1004, 1010, 1022


def lan():
    return user("province_officer")["client"]


def hung():
    return user("province_leader")["client"]


def tuan():
    return user("ministry_approver")["client"]


def hn_officer():
    return user("province_officer", "01.TTKC")["client"]


def hn_leader():
    return user("province_leader", "01.SCT")["client"]


def project_params(plan_id, year, **extra):
    p = {"plan_id": plan_id, "title": "Đề án nghiệm thu", "content_category": "ND45.4.3",
         "budget_lines": [{"source": "central", "amount": 300000000},
                          {"source": "counterpart", "amount": 700000000}],
         "indicators": [{"code": "I01", "target": 30}], "cap_code": "C02", "no_double_funding": True,
         "start_date": "%d-01-01" % year, "end_date": "%d-12-31" % year,
         "beneficiaries": [{"name": "Cơ sở thử", "kind": "household_business"}]}
    p.update(extra)
    return p


_orgs = {"local": ["25.TTKC", "25.SCT", "25"], "national": ["25.TTKC", "25.SCT", "25"]}


def running(scope):
    """A project of this year in progress (stage advanced): the province's
    and the Ministry's steps before it through SQL, as test_inbox does."""
    year = TODAY.year
    org = _orgs[scope].pop(0)
    plan = lan().result("plan.create", {"org_id": srv().org_id(org), "year": year, "scope": scope})
    pid = lan().result("project.create", project_params(plan["id"], year))["id"]
    sub = lan().result("plan.submit", {"id": plan["id"], "version": plan["version"]})
    if scope == "local":
        hung().result("plan.approve_local", {"id": plan["id"], "version": sub["version"],
                                             "decision_no": "1/QĐ-UBND", "decision_date": "%d-01-05" % year,
                                             "issuer": "UBND tỉnh Phú Thọ"})
        actor = "province_leader"
    else:
        hung().result("plan.appraise", {"id": plan["id"], "version": sub["version"], "decision": "forward"})
        kctest.approve_in_plan_sql(srv(), plan["id"])
        actor = "ministry_approver"
    srv().sql("DO $$ BEGIN PERFORM kc_actor_set(NULL, '%s'); "
              "UPDATE projects SET status = 'in_progress', stage = 'advanced', version = version + 1 "
              "WHERE id = %d; END $$" % (actor, pid))
    return lan().result("project.get", {"id": pid})


def attach(client, owner_type, owner_id, name, data):
    b = client.result("attachment.begin", {"owner_type": owner_type, "owner_id": owner_id, "file_name": name,
                                           "size": len(data), "sha256": hashlib.sha256(data).hexdigest()})
    client.result("attachment.put", {"id": b["id"], "seq": 0, "data": base64.b64encode(data).decode()})
    return client.result("attachment.finish", {"id": b["id"]})


def inbox(client, kind, pid):
    return [i for i in client.result("inbox.list", {"limit": 1000})["items"]
            if i["kind"] == kind and i["ref"]["type"] == "project" and i["ref"]["id"] == pid]


# ---------------------------------------------------------------------------

@tap.test("a progress report carries its own files: progress.list lists them; another province's "
          "officer may neither attach nor see them; the finish is audited")
def _():
    p = running("local")
    S["local"] = p
    r = lan().result("progress.report", {"project_id": p["id"], "period": TODAY.strftime("%Y-%m"),
                                         "percent_done": 40, "difficulties": "Công việc: lắp máy"})
    check_equal(r["attachments"], [], "a new report has no files")
    a = attach(lan(), "progress_report", r["id"], "bien-ban-lap-dat.pdf", b"%PDF-1.4 bien ban\n")
    b = attach(lan(), "progress_report", r["id"], "anh-hien-truong.txt", b"anh\n")
    got = lan().result("progress.list", {"project_id": p["id"]})["items"]
    mine = [x for x in got if x["id"] == r["id"]][0]
    check_equal([f["file_name"] for f in mine["attachments"]], ["bien-ban-lap-dat.pdf", "anh-hien-truong.txt"],
                "the report's files, in order")
    check_equal((mine["attachments"][0]["owner_type"], mine["attachments"][0]["owner_id"]),
                ("progress_report", r["id"]), "owned by the report")
    # the leader sees and downloads them when confirming
    seen = [x for x in hung().result("progress.list", {"project_id": p["id"]})["items"] if x["id"] == r["id"]][0]
    check_equal(len(seen["attachments"]), 2, "the leader sees both")
    got = hung().result("attachment.get", {"id": a["id"]})
    check_equal(base64.b64decode(got["data"]), b"%PDF-1.4 bien ban\n", "the leader downloads it")
    # never another province's
    hn_officer().error("attachment.begin", {"owner_type": "progress_report", "owner_id": r["id"],
                                            "file_name": "x.txt", "size": 1,
                                            "sha256": hashlib.sha256(b"x").hexdigest()}, NOT_FOUND)
    hn_officer().error("attachment.list", {"owner_type": "progress_report", "owner_id": r["id"]}, NOT_FOUND)
    hn_officer().error("attachment.get", {"id": b["id"]}, NOT_FOUND)
    hn_officer().error("progress.list", {"project_id": p["id"]}, NOT_FOUND)
    # removable while the report is not confirmed; audited
    lan().result("attachment.delete", {"id": b["id"], "version": b["version"]})
    rows = kctest.audit_entries(admin(), record_type="attachment", record_id=a["id"])
    check([x for x in rows if x["method"] == "attachment.finish"], "the finish is audited", rows)
    hung().result("progress.confirm", {"id": r["id"], "version": r["version"]})
    after = [x for x in lan().result("progress.list", {"project_id": p["id"]})["items"] if x["id"] == r["id"]][0]
    check_equal([f["file_name"] for f in after["attachments"]], ["bien-ban-lap-dat.pdf"], "after confirmation")
    e = lan().error("attachment.delete", {"id": a["id"], "version": a["version"]}, BAD_STATUS)
    check("confirmed" in e["message"], "a confirmed report's files stay", e)


@tap.test("the officer sends the acceptance dossier of a local project: stage acceptance_submitted, "
          "audited; the leader's acceptance_to_review, never another province's; its files")
def _():
    p = S["local"]
    bad = lan().error("project.submit_acceptance", {"id": p["id"], "version": p["version"], "report": "Xong",
                                                    "indicators": [{"code": "I99", "achieved": 1}]}, RULE)
    check(bad["data"]["violations"], "an indicator the project has not", bad)
    lan().error("project.submit_acceptance", {"id": p["id"], "version": p["version"] + 7, "report": "Xong"}, 1009)
    hn_officer().error("project.submit_acceptance", {"id": p["id"], "version": p["version"], "report": "Xong"},
                       NOT_FOUND)
    tuan().error("project.submit_acceptance", {"id": p["id"], "version": p["version"], "report": "Xong"}, 1003)
    d = lan().result("project.submit_acceptance", {
        "id": p["id"], "version": p["version"], "report": "Đã lắp đặt xong 2 máy, đào tạo 28 lao động.",
        "indicators": [{"code": "I01", "achieved": 28}]})
    check_equal((d["stage"], d["project_version"], d["version"], d["indicators"]),
                ("acceptance_submitted", p["version"] + 1, 1, [{"code": "I01", "achieved": 28}]), "the dossier")
    got = lan().result("project.get", {"id": p["id"]})
    check_equal((got["status"], got["stage"]), ("in_progress", "acceptance_submitted"), "the project's stage")
    check_equal(got["acceptance_dossier"]["report"], "Đã lắp đặt xong 2 máy, đào tạo 28 lao động.",
                "project.get shows the dossier")
    rows = kctest.audit_entries(admin(), record_type="project", record_id=p["id"])
    sub = [x for x in rows if x["method"] == "project.submit_acceptance"]
    check(sub, "audited", [x["method"] for x in rows])
    # the dossier's files: owner acceptance, the project
    f = attach(lan(), "acceptance", p["id"], "bao-cao-ket-qua.txt", b"ket qua\n")
    got = lan().result("project.get", {"id": p["id"]})
    check_equal([x["file_name"] for x in got["acceptance_dossier"]["attachments"]], ["bao-cao-ket-qua.txt"],
                "the dossier's files")
    hn_officer().error("attachment.begin", {"owner_type": "acceptance", "owner_id": p["id"], "file_name": "x.txt",
                                            "size": 1, "sha256": hashlib.sha256(b"x").hexdigest()}, NOT_FOUND)
    # the leader's inbox; not the officer's, not another province's
    it = inbox(hung(), "acceptance_to_review", p["id"])
    check_equal(len(it), 1, "one item for the leader")
    check_equal(it[0]["title"], "Đề án nghiệm thu", "the project's title")
    check(not inbox(lan(), "acceptance_to_review", p["id"]), "not the officer's")
    check(not inbox(hn_leader(), "acceptance_to_review", p["id"]), "never another province's")
    check(not inbox(tuan(), "acceptance_to_review", p["id"]), "a local project is not the Ministry's")
    # sent again while it waits: replaced, version 2
    d2 = lan().result("project.submit_acceptance", {"id": p["id"], "version": got["version"],
                                                    "report": "Bản sửa: 2 máy, 30 lao động.",
                                                    "indicators": [{"code": "I01", "achieved": 30}]})
    check_equal((d2["version"], len(d2["attachments"])), (2, 1), "replaced, the files kept")
    S["local_file"] = f


@tap.test("the database refuses a stage change the transition table does not allow")
def _():
    p = running("local")
    S["second"] = p
    try:
        srv().sql("DO $$ BEGIN PERFORM kc_actor_set(NULL, 'viewer'); "
                  "UPDATE projects SET stage = 'acceptance_submitted', version = version + 1 "
                  "WHERE id = %d; END $$" % p["id"])
        raised = False
    except Exception:  # psql fails: KC010
        raised = True
    check(raised, "a viewer may not move a project to acceptance_submitted")


@tap.test("the leader accepts the local project: completed, the dossier's files the acceptance's (kept)")
def _():
    p = hung().result("project.get", {"id": S["local"]["id"]})
    check_equal(p["acceptance_dossier"]["indicators"], [{"code": "I01", "achieved": 30}], "the proposal")
    a = hung().result("project.accept", {"id": p["id"], "version": p["version"], "accepted_on": TODAY.isoformat(),
                                         "record_no": "BB-NT-01",
                                         "indicators": p["acceptance_dossier"]["indicators"]})
    check_equal((a["status"], a["stage"]), ("completed", "accepted"), "accepted")
    check(not inbox(hung(), "acceptance_to_review", p["id"]), "gone once accepted")
    f = S["local_file"]
    e = lan().error("attachment.delete", {"id": f["id"], "version": f["version"]}, BAD_STATUS)
    check("accepted" in e["message"], "the accepted dossier's files stay", e)
    lan().error("project.submit_acceptance", {"id": p["id"], "version": a["version"], "report": "Lại"}, BAD_STATUS)


@tap.test("a national project's dossier goes to the Ministry's approver, who accepts it")
def _():
    p = running("national")
    d = lan().result("project.submit_acceptance", {"id": p["id"], "version": p["version"],
                                                   "report": "Hoàn thành.", "indicators": []})
    check_equal(d["stage"], "acceptance_submitted", "sent")
    check_equal(len(inbox(tuan(), "acceptance_to_review", p["id"])), 1, "the approver's item")
    check(not inbox(hung(), "acceptance_to_review", p["id"]), "a national project is not the leader's")
    check(not inbox(hn_leader(), "acceptance_to_review", p["id"]), "nor another province's")
    cur = tuan().result("project.get", {"id": p["id"]})
    tuan().result("project.accept", {"id": p["id"], "version": cur["version"], "accepted_on": TODAY.isoformat(),
                                     "record_no": "BB-NT-QG"})
    check(not inbox(tuan(), "acceptance_to_review", p["id"]), "gone once accepted")


@tap.test("no dossier while an adjustment is pending (1010), in the database too")
def _():
    p = S["second"]
    lan().result("adjustment.request", {"project_id": p["id"], "type": "minor", "reason": "Đổi đơn vị",
                                        "changes": {"implementer": "Mới"}})
    cur = lan().result("project.get", {"id": p["id"]})
    check_equal(cur["stage"], "adjusting", "adjusting")
    e = lan().error("project.submit_acceptance", {"id": p["id"], "version": cur["version"], "report": "Xong"},
                    BAD_STATUS)
    check_equal(e["data"]["stage"], "adjusting", "the stage named")
    try:
        srv().sql("INSERT INTO project_acceptance_dossiers (project_id, report, submitted_by) "
                  "VALUES (%d, 'x', (SELECT min(id) FROM users))" % p["id"])
        raised = False
    except Exception:
        raised = True
    check(raised, "the database refuses a dossier while the project is adjusting")


if __name__ == "__main__":
    tap.run()
