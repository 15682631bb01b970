#!/usr/bin/env python3
"""Two-factor login (issue 7): TOTP enrolment with auth.totp_begin and
auth.totp_confirm, auth.login asking for the code (1031), wrong and
replayed codes refused and throttled, recovery codes good once, the
required-role gate, auth.totp_disable, user.reset_totp by an administrator,
the secret sealed in the database, and the audit rows of it all.

The codes are computed here with hmac/hashlib, independently of the
server's OpenSSL code."""

import base64
import hashlib
import hmac
import os
import re
import secrets
import struct
import sys
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kctest  # noqa: E402
from kctest import check, check_equal  # noqa: E402

tap = kctest.Tap()
S = {}
SECOND_FACTOR = 1031
BAD_STATUS = 1010


def key_file():
    if "key" not in S:
        path = os.path.join(kctest.tempfile.mkdtemp(prefix="kcit-totp-"), "totp.key")
        with open(path, "w") as f:
            f.write(secrets.token_hex(32) + "\n")
        os.chmod(path, 0o600)  # kc-server refuses a key others may read
        S["key"] = path
    return S["key"]


def srv():
    if "main" not in S:
        S["main"] = kctest.Server(auth={"totp_key_file": key_file(),
                                        "totp_required_roles": "ministry_approver; admin"})
    return S["main"]


def admin():
    """The administrator's connection. admin is a required role: the
    fixture enrols it once, and logs in with the next free code."""
    if "admin" not in S or S["admin"].closed:
        s = srv()
        if "admin_secret" not in S:
            c = s.admin()
            check(c.login_result.get("must_enrol_totp") is True, "admin must enrol",
                  c.login_result)
            secret, _ = enrol(c)
            S["admin_secret"] = secret
            S["admin"] = c
        else:
            S["admin"] = login_with_code(s.admin_username, s.admin_password, S["admin_secret"])
    return S["admin"]


def totp(secret, step):
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    mac = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    value = struct.unpack(">I", mac[offset:offset + 4])[0] & 0x7FFFFFFF
    return "%06d" % (value % 1000000)


USED = {}


def fresh_code(secret):
    """A code the server has not seen yet for this secret: the next step
    within its ±1 window after the last one used here (waiting for time to
    move on only when the window is used up)."""
    while True:
        now = int(time.time()) // 30
        last = USED.get(secret, now - 2)
        step = max(last + 1, now - 1)
        if step <= now + 1:
            USED[secret] = step
            return totp(secret, step)
        time.sleep(0.5)


def peek_code(secret):
    """A code the server would accept now, for calls that are refused
    before the code is spent (so it is not marked as used)."""
    return totp(secret, int(time.time()) // 30 + 1)


def enrol(client):
    """auth.totp_begin + auth.totp_confirm; returns (secret, recovery codes)."""
    begun = client.result("auth.totp_begin", {})
    secret = begun["secret"]
    check(re.fullmatch(r"[A-Z2-7]{32}", secret), "secret is 160 bits of base32", begun)
    codes = client.result("auth.totp_confirm", {"code": fresh_code(secret)})["recovery_codes"]
    return secret, codes


def login_with_code(username, password, secret, **kw):
    c = srv().client(**kw)
    c.login_result = c.result("auth.login", {"username": username, "password": password,
                                             "otp": fresh_code(secret)})
    return c


def user(role="province_officer"):
    return kctest.create_user(admin(), role)


def sealed_secret(user_id):
    return srv().sql("SELECT encode(secret_enc, 'hex') FROM user_totp WHERE user_id = %d"
                     % user_id).strip()


def audits(user_id, method):
    return [e for e in kctest.audit_entries(admin(), record_type="user", record_id=user_id)
            if e["method"] == method]


# ---------------------------------------------------------------------------

@tap.test("enrolment: totp_begin gives the secret and an otpauth:// URI; confirm with a code gives 10 recovery codes once")
def _():
    u = user()
    with srv().login(u["username"], u["password"]) as c:
        check(c.login_result.get("must_enrol_totp") is False, "officer is not required",
              c.login_result)
        status = c.result("auth.totp_status", {})
        check_equal(status, {"available": True, "enabled": False, "pending": False,
                             "required": False, "recovery_codes_left": 0}, "status before")
        begun = c.result("auth.totp_begin", {})
        uri = urllib.parse.urlparse(begun["uri"])
        query = urllib.parse.parse_qs(uri.query)
        check_equal((uri.scheme, uri.netloc), ("otpauth", "totp"), "uri kind")
        check(urllib.parse.unquote(uri.path).endswith(":" + u["username"]), "label", begun)
        check_equal(query.get("secret"), [begun["secret"]], "uri secret")
        check_equal((query.get("digits"), query.get("period"), query.get("algorithm")),
                    (["6"], ["30"], ["SHA1"]), "uri parameters")
        check_equal(c.result("auth.totp_status", {})["pending"], True, "pending")
        # a wrong code does not confirm
        wrong = "%06d" % ((int(totp(begun["secret"], int(time.time()) // 30)) + 1) % 1000000)
        e = c.error("auth.totp_confirm", {"code": wrong}, kctest.INVALID_PARAMS)
        check_equal(kctest.field_names(e), ["code"], "wrong code field")
        c.error("auth.totp_confirm", {"code": "12345a"}, kctest.INVALID_PARAMS)
        codes = c.result("auth.totp_confirm", {"code": fresh_code(begun["secret"])})
        codes = codes["recovery_codes"]
        check_equal(len(codes), 10, "ten recovery codes")
        check(all(re.fullmatch(r"[a-z2-7]{4}(-[a-z2-7]{4}){3}", x) for x in codes), "code form",
              codes)
        check_equal(len(set(codes)), 10, "all different")
        status = c.result("auth.totp_status", {})
        check_equal((status["enabled"], status["recovery_codes_left"]), (True, 10), "status after")
        # once only: no second confirm, no new begin while enabled
        e = c.error("auth.totp_confirm", {"code": peek_code(begun["secret"])}, BAD_STATUS)
        check_equal(e["data"]["status"], "enabled", "confirm again")
        e = c.error("auth.totp_begin", {}, BAD_STATUS)
        check_equal(e["data"]["status"], "enabled", "begin again")
    # neither the secret nor a recovery code is in the database in clear
    dump = srv().sql("SELECT t::text FROM user_totp t WHERE user_id = %d" % u["id"]) + \
        srv().sql("SELECT c::text FROM user_recovery_codes c WHERE user_id = %d" % u["id"])
    raw = base64.b32decode(begun["secret"]).hex()
    check(raw not in dump and begun["secret"] not in dump, "secret in clear in the database")
    check(not any(x.replace("-", "") in dump for x in codes), "recovery code in clear")
    check_equal(len(sealed_secret(u["id"])), 96, "sealed secret is 48 bytes")
    S["enrolled"] = dict(u, secret=begun["secret"], codes=codes)


@tap.test("auth.login of an enrolled user: 1031 {totp: true} without otp, a session with the right code")
def _():
    u = S["enrolled"]
    with srv().client(source=kctest.next_peer()) as c:
        e = c.error("auth.login", {"username": u["username"], "password": u["password"]},
                    SECOND_FACTOR)
        check_equal(e.get("data"), {"totp": True, "reason": "code_required"}, "1031 data")
        c.error("org.list", {"limit": 1}, kctest.NOT_LOGGED_IN)
        # the password is still checked first: a wrong one is 1001 as always
        c.error("auth.login", {"username": u["username"], "password": "Wrong-" + u["password"],
                               "otp": peek_code(u["secret"])}, kctest.NOT_LOGGED_IN)
        r = c.result("auth.login", {"username": u["username"], "password": u["password"],
                                    "otp": fresh_code(u["secret"])})
        check(isinstance(r.get("token"), str), "token", r)
        check("items" in c.result("org.list", {"limit": 1}), "logged in")


@tap.test("a code already used is refused (replay), a wrong code too: 1031 invalid_code, counted and throttled")
def _():
    u = user()
    with srv().login(u["username"], u["password"]) as c:
        secret, _ = enrol(c)
    used = fresh_code(secret)
    with srv().client(source=kctest.next_peer()) as c:
        c.result("auth.login", {"username": u["username"], "password": u["password"],
                                "otp": used})
    peer = kctest.next_peer()
    with srv().client(source=peer) as c:
        e = c.error("auth.login", {"username": u["username"], "password": u["password"],
                                   "otp": used}, SECOND_FACTOR)
        check_equal(e["data"], {"totp": True, "reason": "invalid_code"}, "replayed code")
        now = int(time.time()) // 30
        valid = {totp(secret, s) for s in range(now - 3, now + 4)}
        wrong = next("%06d" % n for n in range(1000000) if "%06d" % n not in valid)
        # replay + 4 wrong = 5 failures: the limit; the next attempt is
        # throttled even with a good code
        for _ in range(4):
            e = c.error("auth.login", {"username": u["username"], "password": u["password"],
                                       "otp": wrong}, SECOND_FACTOR)
            check_equal(e["data"]["reason"], "invalid_code", "wrong code")
        e = c.error("auth.login", {"username": u["username"], "password": u["password"],
                                   "otp": peek_code(secret)}, kctest.TOO_MANY)
        check(e["data"]["retry_after"] >= 1, "retry_after", e)
    reasons = [(e.get("after") or {}).get("reason") for e in audits(u["id"], "auth.login")]
    check_equal(reasons.count("otp_replayed"), 1, "replay audited")
    check_equal(reasons.count("bad_otp"), 4, "wrong codes audited")
    check_equal(reasons.count("throttled"), 1, "throttled attempt audited")


@tap.test("a recovery code logs in once (in any case, with or without dashes); the second use is refused")
def _():
    u = S["enrolled"]
    code = u["codes"][0]
    with srv().client(source=kctest.next_peer()) as c:
        c.result("auth.login", {"username": u["username"], "password": u["password"],
                                "otp": code.upper().replace("-", "")})
        check_equal(c.result("auth.totp_status", {})["recovery_codes_left"], 9, "one spent")
    with srv().client(source=kctest.next_peer()) as c:
        e = c.error("auth.login", {"username": u["username"], "password": u["password"],
                                   "otp": code}, SECOND_FACTOR)
        check_equal(e["data"]["reason"], "invalid_code", "second use")
        c.result("auth.login", {"username": u["username"], "password": u["password"],
                                "otp": u["codes"][1]})
    entries = [e["after"] for e in audits(u["id"], "auth.login")
               if (e.get("after") or {}).get("second_factor") == "recovery_code"]
    check_equal([e.get("remaining") for e in entries], [8, 9], "recovery use audited (newest first)")


@tap.test("required roles (totp_required_roles): without enrolment only auth.* until enrolled; the gate lifts at confirm")
def _():
    u = user("ministry_approver")
    with srv().login(u["username"], u["password"]) as c:
        check(c.login_result.get("must_enrol_totp") is True, "must enrol", c.login_result)
        e = c.error("org.list", {"limit": 1}, kctest.FORBIDDEN)
        check_equal(e.get("data"), {"reason": "must_enrol_totp"}, "gate data")
        check(c.result("auth.totp_status", {})["required"] is True, "required")
        c.result("auth.whoami", {})
        with srv().client() as r:
            resumed = r.result("auth.resume", {"token": c.login_result["token"]})
            check(resumed.get("must_enrol_totp") is True, "resume reports it", resumed)
            r.error("org.list", {"limit": 1}, kctest.FORBIDDEN)
            secret, _ = enrol(c)
            check("items" in c.result("org.list", {"limit": 1}), "gate lifted")
            # and on the other connection of the session too (NOTIFY)
            kctest.eventually(lambda: "result" in r.call("org.list", {"limit": 1}),
                              kctest.scaled(2.0), what="gate lifted on the resumed connection")
        # a required role may not turn it off
        e = c.error("auth.totp_disable", {"password": u["password"], "code": peek_code(secret)},
                    kctest.FORBIDDEN)
        check_equal(e["data"], {"reason": "totp_required"}, "disable refused")
    with srv().client(source=kctest.next_peer()) as c:
        c.error("auth.login", {"username": u["username"], "password": u["password"]},
                SECOND_FACTOR)
        r = c.result("auth.login", {"username": u["username"], "password": u["password"],
                                    "otp": fresh_code(secret)})
        check(r.get("must_enrol_totp") is False, "enrolled now", r)
        check("items" in c.result("org.list", {"limit": 1}), "works")


@tap.test("auth.totp_disable needs the password and a code; wrong ones count as failed logins")
def _():
    u = user("viewer")
    c = srv().login(u["username"], u["password"], source=kctest.next_peer())
    try:
        secret, codes = enrol(c)
        e = c.error("auth.totp_disable", {"password": "Wrong-" + u["password"],
                                          "code": peek_code(secret)}, kctest.INVALID_PARAMS)
        check_equal(kctest.field_names(e), ["password"], "wrong password field")
        e = c.error("auth.totp_disable", {"password": u["password"], "code": "000000"
                                          if totp(secret, int(time.time()) // 30) != "000000"
                                          else "111111"}, SECOND_FACTOR)
        check_equal(e["data"]["reason"], "invalid_code", "wrong code")
        check_equal(c.result("auth.totp_status", {})["enabled"], True, "still on")
        failures = srv().sql("SELECT count(*) FROM login_failures WHERE username = '%s'"
                             % u["username"]).strip()
        check_equal(failures, "2", "both counted")
        check_equal(c.result("auth.totp_disable", {"password": u["password"],
                                                   "code": codes[0]}), {}, "disabled")
        check_equal(c.result("auth.totp_status", {}),
                    {"available": True, "enabled": False, "pending": False, "required": False,
                     "recovery_codes_left": 0}, "status after")
        rows = audits(u["id"], "auth.totp_disable")
        check(any((r.get("before") or {}).get("totp") == "enabled"
                  and (r.get("after") or {}).get("totp") == "none" for r in rows),
              "disable audited", rows)
    finally:
        c.close()
    with srv().client(source=kctest.next_peer()) as d:
        d.result("auth.login", {"username": u["username"], "password": u["password"]})


@tap.test("user.reset_totp (admin): the user logs in without a code (and must enrol again if the role requires it); audited")
def _():
    a = admin()
    u = user("ministry_approver")
    with srv().login(u["username"], u["password"]) as c:
        enrol(c)
    # An approver's reset needs a second administrator (four eyes, issue 13).
    second = user("admin")
    b = srv().login(second["username"], second["password"], source=kctest.next_peer())
    enrol(b)

    def reset():
        r = a.result("user.reset_totp", {"id": u["id"]})
        check_equal(r.get("four_eyes"), "pending", "a request")
        return b.result("user.confirm_reset", {"request_id": r["request_id"]})
    check_equal(reset(), {"kind": "reset_totp", "user_id": u["id"], "had_totp": True}, "reset")
    check_equal(reset(), {"kind": "reset_totp", "user_id": u["id"], "had_totp": False}, "again")
    b.close()
    a.error("user.reset_totp", {"id": 987654321}, kctest.NOT_FOUND)
    check_equal(srv().sql("SELECT count(*) FROM user_recovery_codes WHERE user_id = %d"
                          % u["id"]).strip(), "0", "recovery codes gone")
    with srv().login(u["username"], u["password"], source=kctest.next_peer()) as c:
        check(c.login_result.get("must_enrol_totp") is True, "must enrol again", c.login_result)
    rows = [r for r in audits(u["id"], "user.reset_totp") if r.get("before") is not None]
    check_equal(len(rows), 2, "two reset rows")
    check_equal(rows[-1]["user_id"], second["id"], "by the confirming admin")
    check_equal(rows[-1]["before"], {"totp": "enabled"}, "before")
    with srv().login(u["username"], u["password"]) as c:
        c.error("user.reset_totp", {"id": u["id"]}, kctest.FORBIDDEN)


@tap.test("enrolment is audited: begin and confirm rows, the code use on login")
def _():
    u = S["enrolled"]
    check(audits(u["id"], "auth.totp_begin"), "begin audited")
    rows = audits(u["id"], "auth.totp_confirm")
    check_equal([(r["before"], r["after"]) for r in rows],
                [({"totp": "pending"}, {"totp": "enabled", "recovery_codes": 10})], "confirm row")
    used = [e for e in audits(u["id"], "auth.login")
            if (e.get("after") or {}).get("second_factor") == "totp"]
    check(used, "TOTP use on login audited")
    # the chain still verifies
    proc = srv().run_command("verify-audit")
    check_equal(proc.returncode, 0, "verify-audit: %s %s" % (proc.stdout, proc.stderr))


@tap.test("a sealed secret copied onto another user does not open (the user id is sealed with it): no login")
def _():
    u = user()
    with srv().login(u["username"], u["password"]) as c:
        secret, _ = enrol(c)
    other = S["enrolled"]
    # move another user's sealed secret onto this user: the user id is
    # authenticated with it, so it must not decrypt
    srv().sql("UPDATE user_totp SET secret_enc = (SELECT secret_enc FROM user_totp "
              "WHERE user_id = %d) WHERE user_id = %d" % (other["id"], u["id"]))
    with srv().client(source=kctest.next_peer()) as c:
        for code in (peek_code(secret), peek_code(other["secret"])):
            e = c.call("auth.login", {"username": u["username"], "password": u["password"],
                                      "otp": code})
            check_equal(e.get("error", {}).get("code"), kctest.INTERNAL, "no login: %s" % e)


@tap.test("kc-cli login asks for the code as the next line when the account has one")
def _():
    if not os.access(kctest.KC_CLI, os.X_OK):
        raise kctest.SkipTest("no kc-cli binary")
    u = S["enrolled"]
    state = kctest.tempfile.mkdtemp(prefix="kcit-cli-")
    env = dict(os.environ, XDG_STATE_HOME=state, HOME=state)
    base = [kctest.KC_CLI, "--server", "127.0.0.1:%d" % srv().port, "--ca", srv().ca]

    def cli(*args, stdin=None):
        return kctest.subprocess.run(base + list(args), input=stdin, capture_output=True,
                                     text=True, env=env, timeout=60)

    p = cli("login", u["username"], stdin=u["password"] + "\n")
    check(p.returncode == 1 and "1031" in p.stderr + p.stdout, "no code: refused with 1031",
          p.returncode, p.stdout, p.stderr)
    p = cli("login", u["username"], stdin=u["password"] + "\n" + fresh_code(u["secret"]) + "\n")
    check_equal(p.returncode, 0, "login with the code: " + p.stderr)
    p = cli("call", "auth.totp_status")
    check_equal(p.returncode, 0, "a call on the saved session: " + p.stderr)
    check('"enabled":true' in p.stdout.replace(" ", ""), "status", p.stdout)


@tap.test("a server with totp_required_roles but no totp_key_file refuses to start")
def _():
    s = srv()
    config = {k: dict(v) for k, v in s.config.items()}
    config["auth"].pop("totp_key_file")
    config["server"]["port"] = kctest.free_port()
    path = os.path.join(s.dir, "no-key.conf")
    s.write_config(path, config)
    proc = s.run_command(config_path=path, timeout=30)
    check(proc.returncode != 0, "started without a key", proc.stdout)
    check("totp_key_file" in proc.stderr, "says why", proc.stderr)


@tap.test("every server exits 0 on SIGTERM (no leaks or errors under a wrapper)")
def _():
    for key in ("admin",):
        if key in S:
            S[key].close()
    srv().stop()


if __name__ == "__main__":
    tap.run()
