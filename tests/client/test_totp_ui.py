"""test_totp_ui — two-factor login in kc-client, through AT-SPI (issue 7).

A real kc-server whose configuration requires a second factor of admin
(totp_required_roles), and the real kc-client under Xvfb, as in
test_login_ui.py (whose helpers this copies). The administrator logs in,
must enrol: the enrolment dialog shows the QR code and the key, takes the
code computed here from that key, shows the recovery codes; then the main
window. After logging out, the login dialog asks for the code, refuses a
wrong one in Vietnamese, and lets the right one in.
Screenshots go to the build directory (KC_SCREENSHOT_DIR overrides).

Run by meson (suite 'client', TAP). Without a display it re-executes itself
under `dbus-run-session -- xvfb-run -a`.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import base64
import hashlib
import hmac
import secrets
import struct
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "integration"))
import kctest  # noqa: E402

ENV = os.environ
BUILD_ROOT = ENV.get("KC_BUILD_ROOT") or os.path.join(kctest.SOURCE_ROOT, "build")
CLIENT = ENV.get("KC_CLIENT") or os.path.join(BUILD_ROOT, "client", "kc-client")
SHOT_DIR = ENV.get("KC_SCREENSHOT_DIR") or os.path.join(BUILD_ROOT, "tests", "client")


def wrap_if_needed():
    """Re-executes under Xvfb and a private session bus unless done already."""
    if ENV.get("KC_UI_WRAPPED"):
        return
    kctest.require_env()
    if not os.access(CLIENT, os.X_OK):
        print("1..0 # SKIP kc-client not built (%s)" % CLIENT)
        sys.exit(0)
    missing = [p for p in ("xvfb-run", "dbus-run-session", "import") if not shutil.which(p)]
    # pyatspi is Debian's (python3-pyatspi): another python3 first in PATH
    # (a pyenv shim) may not see it, so fall back to /usr/bin/python3.
    python = sys.executable
    try:
        import pyatspi  # noqa: F401
    except ImportError:
        python = "/usr/bin/python3"
        if subprocess.run([python, "-c", "import pyatspi"], capture_output=True).returncode != 0:
            missing.append("python3-pyatspi")
    if missing:
        print("1..0 # SKIP missing: %s" % ", ".join(missing))
        sys.exit(0)
    env = dict(ENV, KC_UI_WRAPPED="1")
    env.pop("DISPLAY", None)
    env.pop("DBUS_SESSION_BUS_ADDRESS", None)
    # A runtime directory of its own: the accessibility bus puts its socket
    # there (else in ~/.cache/at-spi, shared with any other desktop test
    # running on the machine, which may replace or remove it).
    env["XDG_RUNTIME_DIR"] = tempfile.mkdtemp(prefix="kc-ui-run-")
    cmd = ["dbus-run-session", "--", "xvfb-run", "-a", "-s", "-screen 0 1280x800x24 -nolisten tcp",
           python, os.path.abspath(__file__)]
    os.execvpe(cmd[0], cmd, env)


wrap_if_needed()

import pyatspi  # noqa: E402

tap = kctest.Tap()
state = {}


def screenshot(name):
    # The pointer starts in the middle of the screen: keep tooltips away.
    pyatspi.Registry.generateMouseEvent(1, 1, pyatspi.MOUSE_ABS)
    time.sleep(0.3)
    os.makedirs(SHOT_DIR, exist_ok=True)
    path = os.path.join(SHOT_DIR, name)
    subprocess.run(["import", "-window", "root", path], check=True, timeout=30)
    kctest.check(os.path.getsize(path) > 10000, "screenshot %s looks empty" % path)
    tap.diag("screenshot: " + path)
    return path


def find_app():
    desktop = pyatspi.Registry.getDesktop(0)
    for app in desktop:
        if app is not None and app.name in ("kc-client", "Khuyến Công"):
            return app
    return None


def walk(node, depth=0):
    if node is None or depth > 40:
        return
    yield node
    try:
        children = list(node)
    except Exception:
        return
    for child in children:
        yield from walk(child, depth + 1)


def find(pred, root=None, showing=True):
    root = root or find_app()
    if root is None:
        return None
    for node in walk(root):
        try:
            if showing and not node.getState().contains(pyatspi.STATE_SHOWING):
                continue
            if pred(node):
                return node
        except Exception:
            continue
    return None


def by_name(name, role=None):
    return lambda n: n.name == name and (role is None or n.getRole() == role)


def text_of(node):
    try:
        t = node.queryText()
        return t.getText(0, t.characterCount)
    except NotImplementedError:
        return node.name


def wait_for(pred, what, timeout=20):
    try:
        return kctest.eventually(lambda: find(pred), kctest.scaled(timeout), interval=0.2,
                                 what=what)
    except AssertionError:
        app = find_app()
        tap.diag("windows: %r" % ([(w.name, w.getRoleName()) for w in app] if app else None))
        raise


def set_text(node, value):
    node.queryEditableText().setTextContents(value)


def press(node):
    action = node.queryAction()
    for i in range(action.nActions):
        if action.getName(i) in ("click", "press", "activate"):
            action.doAction(i)
            return
    action.doAction(0)


def login(username, password):
    user = wait_for(by_name("Tên đăng nhập", pyatspi.ROLE_TEXT), "username field")
    pwd = find(by_name("Mật khẩu", pyatspi.ROLE_PASSWORD_TEXT)) or find(by_name("Mật khẩu", pyatspi.ROLE_TEXT))
    kctest.check(pwd is not None, "no password field named Mật khẩu")
    set_text(user, username)
    set_text(pwd, password)
    button = wait_for(by_name("Đăng nhập", pyatspi.ROLE_PUSH_BUTTON), "login button")
    press(button)


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
    server = kctest.Server(auth={"totp_key_file": key, "totp_required_roles": "admin"})
    state["server"] = server
    env = dict(ENV, KC_HOST="localhost", KC_PORT=str(server.port), KC_CA=server.ca,
               KC_LOCALEDIR=os.path.join(BUILD_ROOT, "po"),
               GSETTINGS_BACKEND="memory",
               GSETTINGS_SCHEMA_DIR=os.path.join(BUILD_ROOT, "client", "data"),
               GTK_THEME="Adwaita", LANGUAGE="", LC_ALL="C.UTF-8")
    env.pop("NO_AT_BRIDGE", None)
    state["log"] = open(os.path.join(SHOT_DIR if os.path.isdir(SHOT_DIR) else "/tmp",
                                     "kc-client-totp.log"), "w")
    state["client"] = subprocess.Popen([CLIENT], env=env, stdout=state["log"],
                                       stderr=subprocess.STDOUT)
    tap.add_cleanup(lambda: (state["client"].terminate(), state["client"].wait(10)))
    kctest.eventually(find_app, kctest.scaled(30), interval=0.3, what="kc-client on the AT-SPI bus")
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
        lambda: "đăng nhập hai lớp" in text_of(
            find(by_name("Thông báo đăng nhập"), showing=False) or find_app()),
        kctest.scaled(20), interval=0.2, what="the two-factor message")
    time.sleep(0.5)
    screenshot("totp-login-code.png")
    set_text(code, "000000" if fresh_code(state["secret"]) != "000000" else "111111")
    state["last_step"] -= 1  # that code was not spent
    press(wait_for(by_name("Đăng nhập", pyatspi.ROLE_PUSH_BUTTON), "the login button"))
    kctest.eventually(
        lambda: "Mã không hợp lệ" in text_of(
            find(by_name("Thông báo đăng nhập"), showing=False) or find_app()),
        kctest.scaled(20), interval=0.2, what="the invalid-code message")
    set_text(code, fresh_code(state["secret"]))
    press(wait_for(by_name("Đăng nhập", pyatspi.ROLE_PUSH_BUTTON), "the login button"))
    wait_for(lambda n: n.name == "Tổ chức" and n.getRole() == pyatspi.ROLE_LABEL,
             "the main window")


tap.run()
