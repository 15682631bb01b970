"""test_totp_ui — two-factor login in kc-client, through AT-SPI (issue 7).

A real kc-server whose configuration requires a second factor of admin
(totp_required_roles), and the real kc-client under Xvfb (uikit.py). The
administrator logs in, must enrol: the enrolment dialog shows the QR code
and the key, takes the code computed here from that key, shows the
recovery codes; then the main window. After logging out, the login dialog
asks for the code, refuses a wrong one in Vietnamese, and lets the right
one in. Screenshots go to the build directory (KC_SCREENSHOT_DIR overrides).

Run by meson (suite 'client-long', TAP).
"""

import base64
import hashlib
import hmac
import os
import secrets
import struct
import time

import uikit
from uikit import S, by_name, find, kctest, press, screenshot, set_text, tap, text_of

import pyatspi

WHO = "admin"
state = S


def wait_for(pred, what, timeout=25):
    return uikit.wait_for(WHO, pred, what, timeout)


def login(username, password):
    uikit.login(WHO, username, password)


def message_text():
    return text_of(find(WHO, by_name("Thông báo đăng nhập"), showing=False)
                   or uikit.app_of(S["pid:" + WHO]))


def totp(secret, step):
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    mac = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    value = struct.unpack(">I", mac[offset:offset + 4])[0] & 0x7FFFFFFF
    return "%06d" % (value % 1000000)


def fresh_code(secret):
    """The next step's code not yet used (the server takes ±1 step)."""
    while True:
        now = int(time.time()) // 30
        step = max(state.get("last_step", now - 2) + 1, now - 1)
        if step <= now + 1:
            state["last_step"] = step
            return totp(secret, step)
        time.sleep(0.5)


@tap.test("start kc-server (admin must enrol a second factor) and kc-client")
def _():
    keydir = kctest.tempfile.mkdtemp(prefix="kcui-totp-")
    key = os.path.join(keydir, "totp.key")
    with open(key, "w") as f:
        f.write(secrets.token_hex(32) + "\n")
    os.chmod(key, 0o600)  # kc-server refuses a key others may read
    server = kctest.Server(auth={"totp_key_file": key, "totp_required_roles": "admin"})
    S["server"] = server
    uikit.start_client(WHO)
    wait_for(by_name("Đăng nhập", pyatspi.ROLE_PUSH_BUTTON), "the login button")


@tap.test("admin logs in and must enrol: QR code and key shown, the code confirms, recovery codes shown once")
def _():
    server = state["server"]
    login(server.admin_username, server.admin_password)
    wait_for(by_name("Mã QR"), "the QR code")
    key_label = wait_for(lambda n: n.name == "Khóa bí mật" and len(text_of(n)) >= 32,
                         "the secret key as text")
    secret = text_of(key_label).replace(" ", "")
    kctest.check(len(secret) == 32, "a 160-bit base32 key", secret)
    state["secret"] = secret
    time.sleep(0.5)
    state["enrol_shot"] = screenshot("totp-enrol.png")
    code = wait_for(by_name("Mã xác thực", pyatspi.ROLE_TEXT), "the code field")
    set_text(code, fresh_code(secret))
    press(wait_for(by_name("Xác nhận", pyatspi.ROLE_PUSH_BUTTON), "the confirm button"))
    codes = wait_for(lambda n: n.name == "Mã khôi phục" and text_of(n).count("\n") == 9,
                     "ten recovery codes")
    state["recovery"] = text_of(codes).split("\n")
    time.sleep(0.3)
    screenshot("totp-recovery.png")
    press(wait_for(by_name("Xong", pyatspi.ROLE_PUSH_BUTTON), "the done button"))
    wait_for(lambda n: n.name == "Tổ chức" and n.getRole() == pyatspi.ROLE_LABEL,
             "the main window")


@tap.test("log out; the next login asks for the code, refuses a wrong one, takes the right one")
def _():
    server = state["server"]
    press(wait_for(by_name("Đăng xuất", pyatspi.ROLE_PUSH_BUTTON), "the log-out button"))
    login(server.admin_username, server.admin_password)
    code = wait_for(by_name("Mã xác thực", pyatspi.ROLE_TEXT), "the code prompt")
    kctest.eventually(
        lambda: "đăng nhập hai lớp" in message_text(),
        kctest.scaled(20), interval=0.2, what="the two-factor message")
    time.sleep(0.5)
    screenshot("totp-login-code.png")
    set_text(code, "000000" if fresh_code(state["secret"]) != "000000" else "111111")
    state["last_step"] -= 1  # that code was not spent
    press(wait_for(by_name("Đăng nhập", pyatspi.ROLE_PUSH_BUTTON), "the login button"))
    kctest.eventually(
        lambda: "Mã không hợp lệ" in message_text(),
        kctest.scaled(20), interval=0.2, what="the invalid-code message")
    set_text(code, fresh_code(state["secret"]))
    press(wait_for(by_name("Đăng nhập", pyatspi.ROLE_PUSH_BUTTON), "the login button"))
    wait_for(lambda n: n.name == "Tổ chức" and n.getRole() == pyatspi.ROLE_LABEL,
             "the main window")


@tap.test("a session resumed after a server restart: enrolling asks for the password again, names a wrong one, and shows the QR code after the right one")
def _():
    server = state["server"]
    with kctest.Client(server) as c:
        c.result("auth.login", {"username": server.admin_username, "password": server.admin_password,
                                "otp": fresh_code(state["secret"])})
        officer = kctest.create_user(c, "province_officer")
    press(wait_for(by_name("Đăng xuất", pyatspi.ROLE_PUSH_BUTTON), "the log-out button"))
    login(officer["username"], officer["password"])
    wait_for(lambda n: n.name == "Đề án" and n.getRole() == pyatspi.ROLE_LABEL, "the main window")
    # the server restarts: the client's next call resumes the session, which
    # is no fresh login (auth.totp_begin then needs the password)
    server.stop()
    server.start()
    press(wait_for(by_name("Trình đơn chính"), "the main menu"))
    press(wait_for(lambda n: n.name in ("Đăng nhập hai lớp…", "Đăng nhập _hai lớp…"), "the two-factor item"))
    kctest.eventually(lambda: "nhập lại mật khẩu" in text_of(find(WHO, by_name("Thông báo đăng nhập hai lớp"),
                                                                  showing=False) or uikit.app_of(S["pid:" + WHO])),
                      kctest.scaled(25), interval=0.3, what="the ask for the password")
    entry = wait_for(lambda n: n.name == "Mật khẩu" and n.getRole() == pyatspi.ROLE_PASSWORD_TEXT,
                     "the password field")
    set_text(entry, officer["password"] + "x")
    press(wait_for(by_name("Tiếp tục", pyatspi.ROLE_PUSH_BUTTON), "continue"))
    kctest.eventually(lambda: "Mật khẩu không đúng" in text_of(find(WHO, by_name("Thông báo đăng nhập hai lớp"),
                                                                    showing=False)),
                      kctest.scaled(20), interval=0.3, what="the wrong-password message")
    screenshot("totp-password-again.png")
    set_text(entry, officer["password"])
    press(wait_for(by_name("Tiếp tục", pyatspi.ROLE_PUSH_BUTTON), "continue"))
    wait_for(lambda n: n.name == "Khóa bí mật" and len(text_of(n)) >= 32, "the secret key after the password")


tap.run()
