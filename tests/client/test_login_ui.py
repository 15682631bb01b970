"""test_login_ui — kc-client driven as a person would, through AT-SPI.

A real kc-server (tests/integration/kctest.py: fresh database, fresh
certificates) and the real build/client/kc-client under Xvfb with a D-Bus
session bus. The login dialog is filled through its accessible names; a
wrong password must show the Vietnamese message, the right one the main
window with the Vietnamese sidebar, and the users page must list "admin".
Screenshots go to the build directory (KC_SCREENSHOT_DIR overrides).

Run by meson (suite 'client', TAP). Without a display it re-executes itself
under `dbus-run-session -- xvfb-run -a`.
"""

import os
import shutil
import subprocess
import sys
import tempfile
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


@tap.test("start kc-server and kc-client; the login dialog is in Vietnamese")
def _():
    server = kctest.Server()
    state["server"] = server
    env = dict(ENV, KC_HOST="localhost", KC_PORT=str(server.port), KC_CA=server.ca,
               KC_LOCALEDIR=os.path.join(BUILD_ROOT, "po"),
               GSETTINGS_BACKEND="memory",
               GSETTINGS_SCHEMA_DIR=os.path.join(BUILD_ROOT, "client", "data"),
               GTK_THEME="Adwaita", NO_AT_BRIDGE="0", LANGUAGE="", LC_ALL="C.UTF-8")
    env.pop("NO_AT_BRIDGE")
    state["log"] = open(os.path.join(SHOT_DIR if os.path.isdir(SHOT_DIR) else "/tmp",
                                     "kc-client.log"), "w")
    state["client"] = subprocess.Popen([CLIENT], env=env, stdout=state["log"],
                                       stderr=subprocess.STDOUT)
    tap.add_cleanup(lambda: (state["client"].terminate(), state["client"].wait(10)))
    kctest.eventually(find_app, kctest.scaled(30), interval=0.3, what="kc-client on the AT-SPI bus")
    pyatspi.Registry.generateMouseEvent(1, 1, pyatspi.MOUSE_ABS)  # no tooltips in the pictures
    # The header bar's title names the frame; the subtitle says "Đăng nhập".
    wait_for(by_name("Khuyến Công", pyatspi.ROLE_FRAME), "the login window")
    wait_for(by_name("Đăng nhập", pyatspi.ROLE_PUSH_BUTTON), "the login button")
    server_field = wait_for(by_name("Địa chỉ máy chủ", pyatspi.ROLE_TEXT), "the server field")
    kctest.check_equal(text_of(server_field), "localhost:%d" % server.port, "server field")


@tap.test("a wrong password shows the Vietnamese message")
def _():
    login("admin", "không phải mật khẩu")
    message = kctest.eventually(
        lambda: "Sai tên đăng nhập hoặc mật khẩu" in text_of(
            find(by_name("Thông báo đăng nhập"), showing=False) or find_app()) and True,
        kctest.scaled(20), interval=0.2, what="the wrong-password message")
    kctest.check(message)
    time.sleep(0.5)  # let the revealer finish before the picture
    state["login_shot"] = screenshot("login.png")


@tap.test("admin logs in: the sidebar shows Tổ chức and Người dùng")
def _():
    server = state["server"]
    login(server.admin_username, server.admin_password)
    wait_for(by_name("Khuyến Công", pyatspi.ROLE_FRAME), "the main window")
    wait_for(lambda n: n.name == "Tổ chức" and n.getRole() == pyatspi.ROLE_LABEL, "Tổ chức")
    wait_for(lambda n: n.name == "Người dùng" and n.getRole() == pyatspi.ROLE_LABEL, "Người dùng")
    # The organisations page is the first one: Vietnamese kinds, dd/mm/yyyy dates.
    wait_for(lambda n: n.getRole() == pyatspi.ROLE_TABLE_CELL and n.name == "Bộ Công Thương",
             "Bộ Công Thương in the organisations list")


@tap.test("the users page lists admin")
def _():
    sections = wait_for(by_name("Người dùng", pyatspi.ROLE_LABEL), "Người dùng")
    row = sections.parent
    listbox = row.parent
    listbox.querySelection().selectChild(row.getIndexInParent())
    wait_for(lambda n: n.getRole() == pyatspi.ROLE_TABLE_CELL and n.name == "admin",
             "admin in the users list")
    wait_for(lambda n: n.getRole() == pyatspi.ROLE_TABLE_CELL and n.name == "Quản trị hệ thống",
             "the role in Vietnamese")
    time.sleep(0.5)
    state["users_shot"] = screenshot("users.png")


@tap.test("the organisations page shows dates as dd/mm/yyyy")
def _():
    sections = wait_for(by_name("Tổ chức", pyatspi.ROLE_LABEL), "Tổ chức")
    row = sections.parent
    row.parent.querySelection().selectChild(row.getIndexInParent())
    wait_for(lambda n: n.getRole() == pyatspi.ROLE_TABLE_CELL and n.name == "01/07/2025",
             "a date 01/07/2025")
    time.sleep(0.5)
    state["orgs_shot"] = screenshot("orgs.png")


@tap.test("log out returns to the login dialog")
def _():
    press(wait_for(by_name("Đăng xuất", pyatspi.ROLE_PUSH_BUTTON), "the log-out button"))
    wait_for(by_name("Tên đăng nhập", pyatspi.ROLE_TEXT), "the login window again")
    kctest.check(find(by_name("Người dùng", pyatspi.ROLE_LABEL)) is None,
                 "the main window is still shown")


tap.run()
