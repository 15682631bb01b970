#!/usr/bin/env python3
"""The clients of tests/deploy/test-failover: N desktop-like clients, each
logged in through HAProxy, writing (user.create, one new account per call)
as fast as the server answers, and, when the connection breaks, connecting
again through HAProxy and resuming their session with auth.resume (never a
new login), as kc-client does.

  failover-clients.py PORT CA ADMIN_PASSWORD ORG_ID WORKDIR N

Writes WORKDIR/ready when every client has had 5 writes acknowledged;
reads WORKDIR/killed (the time of the kill, time.time()); stops when
WORKDIR/stop appears (at most 300 s) and prints one JSON object:
acknowledged usernames with their times, resumes and errors per client."""

import json
import os
import ssl
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "integration"))
import kctest  # noqa: E402

port, ca, admin_password, org_id, work, n = sys.argv[1:7]
port, org_id, n = int(port), int(org_id), int(n)
context = ssl.create_default_context(cafile=ca)
stop_file = os.path.join(work, "stop")
deadline = time.monotonic() + 300
lock = threading.Lock()
acked = []           # (username, time sent, time acknowledged)
stats = [{"client": i, "acked": 0, "resumes": 0, "logins": 0, "unavailable": 0,
          "lost_replies": 0, "errors": []} for i in range(n)]


def connect(timeout=5):
    return kctest.Client(port=port, context=context, timeout=timeout)


def worker(i):
    s = stats[i]
    c = connect()
    token = c.result("auth.login", {"username": "admin", "password": admin_password})["token"]
    s["logins"] += 1
    seq = 0
    while not os.path.exists(stop_file) and time.monotonic() < deadline:
        seq += 1
        name = "fo.c%d.%d" % (i, seq)
        params = {"username": name, "full_name": "Kiểm tra chuyển đổi dự phòng", "role": "viewer",
                  "org_id": org_id, "password": "Du-phong-%d-%d-kiem-tra" % (i, seq)}
        sent = time.time()
        try:
            msg = c.call("user.create", params, timeout=15)
        except Exception:
            # No reply: the write may or may not have happened (it is not
            # counted as acknowledged). Connect again and resume.
            s["lost_replies"] += 1
            c.close()
            c = None
            while c is None and not os.path.exists(stop_file) and time.monotonic() < deadline:
                try:
                    c = connect()
                    r = c.call("auth.resume", {"token": token}, timeout=15)
                    if "result" in r:
                        s["resumes"] += 1
                    else:
                        code = r["error"]["code"]
                        if code != kctest.UNAVAILABLE:
                            s["errors"].append("auth.resume: %s" % r["error"])
                        c.close()
                        c = None
                        time.sleep(0.1)
                except Exception:
                    c = None
                    time.sleep(0.1)
            continue
        if "result" in msg:
            with lock:
                acked.append((name, sent, time.time()))
            s["acked"] += 1
            if all(x["acked"] >= 5 for x in stats) and not os.path.exists(os.path.join(work, "ready")):
                open(os.path.join(work, "ready"), "w").close()
        elif msg["error"]["code"] == kctest.UNAVAILABLE:
            s["unavailable"] += 1
            time.sleep(0.05)
        else:
            s["errors"].append("user.create: %s at %.3f" % (msg["error"], time.time()))
            time.sleep(0.05)
    if c is not None:
        c.close()


threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(n)]
for t in threads:
    t.start()
for t in threads:
    t.join(330)
killed = None
try:
    with open(os.path.join(work, "killed")) as f:
        killed = float(f.read().strip())
except OSError:
    pass
# Writing again: the first acknowledgement of a write sent after the kill
# (one in flight at the kill may have committed before it).
after = sorted(t for _, sent, t in acked if killed is not None and sent > killed)
print(json.dumps({
    "acknowledged": [name for name, _, _ in acked],
    "acknowledged_before_kill": sum(1 for _, _, t in acked if killed is None or t <= killed),
    "acknowledged_after_kill": sum(1 for _, _, t in acked if killed is not None and t > killed),
    "first_write_after_kill_s": (after[0] - killed) if after else None,
    "clients": stats,
}, ensure_ascii=False))
