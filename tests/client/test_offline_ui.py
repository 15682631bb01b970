"""test_offline_ui — edits of a draft kept on this computer while kc-server
is down, sent when it is back; a conflict shown, never overwritten.

A real kc-server (kctest.py) and a real kc-client under Xvfb, driven
through AT-SPI as test_workflow_ui.py does (the helpers are the same). A
province officer opens a draft project, kc-server stops, the officer edits
the title and saves: the editor says the edit is kept on this computer, a
file (0600) with the base version appears under XDG_DATA_HOME and the main
window counts one edit waiting. kc-server starts again: the edit arrives
(project.get) and the count goes. Then a conflict: an edit kept while the
project is changed elsewhere meanwhile (in the database, since kc-server is
down) is refused with 1009 once sent; the conflict window shows both titles,
and "Keep mine" sends it again on the new version.

Run by meson (suite 'client', TAP). Without a display it re-executes itself
under `dbus-run-session -- xvfb-run -a`.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "integration"))
import kctest  # noqa: E402

ENV = os.environ
BUILD_ROOT = ENV.get("KC_BUILD_ROOT") or os.path.join(kctest.SOURCE_ROOT, "build")
CLIENT = ENV.get("KC_CLIENT") or os.path.join(BUILD_ROOT, "client", "kc-client")
SHOT_DIR = ENV.get("KC_SCREENSHOT_DIR") or os.path.join(BUILD_ROOT, "tests", "client")
YEAR = 2029
DATA_HOME = None  # the client's XDG_DATA_HOME, where kept edits go


def wrap_if_needed():
    """Re-executes under Xvfb and a private session bus unless done already."""
    if ENV.get("KC_UI_WRAPPED"):
        return
    kctest.require_env()
    if not os.access(CLIENT, os.X_OK):
        print("1..0 # SKIP kc-client not built (%s)" % CLIENT)
        sys.exit(0)
    missing = [p for p in ("xvfb-run", "dbus-run-session", "dbus-send", "import") if not shutil.which(p)]
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
    cmd = ["dbus-run-session", "--", "xvfb-run", "-a", "-s", "-screen 0 1400x900x24 -nolisten tcp",
           python, os.path.abspath(__file__)]
    os.execvpe(cmd[0], cmd, env)


wrap_if_needed()

import pyatspi  # noqa: E402

tap = kctest.Tap()
S = {}


# ---------------------------------------------------------------------------
# AT-SPI helpers (as test_login_ui.py), per client process
# ---------------------------------------------------------------------------

def screenshot(name):
    pyatspi.Registry.generateMouseEvent(1, 1, pyatspi.MOUSE_ABS)
    time.sleep(0.4)
    os.makedirs(SHOT_DIR, exist_ok=True)
    path = os.path.join(SHOT_DIR, name)
    subprocess.run(["import", "-window", "root", path], check=True, timeout=30)
    kctest.check(os.path.getsize(path) > 10000, "screenshot %s looks empty" % path)
    # Not one colour: the windows were drawn.
    colours = subprocess.run(["identify", "-format", "%k", path], capture_output=True, text=True,
                             timeout=30).stdout.strip()
    if colours.isdigit():
        kctest.check(int(colours) > 50, "screenshot %s has only %s colours" % (path, colours))
    tap.diag("screenshot: " + path)
    return path


def app_of(pid):
    desktop = pyatspi.Registry.getDesktop(0)
    for app in desktop:
        try:
            if app is not None and app.get_process_id() == pid:
                return app
        except Exception:
            continue
    return None


def walk(node, depth=0):
    if node is None or depth > 50:
        return
    yield node
    try:
        children = list(node)
    except Exception:
        return
    for child in children:
        yield from walk(child, depth + 1)


def find(who, pred, root=None, showing=True):
    root = root or app_of(S["pid:" + who])
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


def wait_for(who, pred, what, timeout=25, root=None, showing=True):
    try:
        return kctest.eventually(lambda: find(who, pred, root, showing), kctest.scaled(timeout),
                                 interval=0.25, what=what)
    except AssertionError:
        app = app_of(S["pid:" + who])
        tap.diag("windows of %s: %r" % (who, [(w.name, w.getRoleName()) for w in app] if app else None))
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


def frame(who, title_part, timeout=25):
    return wait_for(who, lambda n: n.getRole() == pyatspi.ROLE_FRAME and title_part in n.name,
                    "window %r" % title_part, timeout)


def field(who, root, name, role=pyatspi.ROLE_TEXT):
    return wait_for(who, by_name(name, role), "field %s" % name, root=root, showing=False)


def select_section(who, name):
    label = wait_for(who, by_name(name, pyatspi.ROLE_LABEL), "section " + name)
    row = label.parent
    row.parent.querySelection().selectChild(row.getIndexInParent())


def start_client(who):
    server = S["server"]
    env = dict(ENV, KC_HOST="localhost", KC_PORT=str(server.port), KC_CA=server.ca,
               KC_LOCALEDIR=os.path.join(BUILD_ROOT, "po"), GSETTINGS_BACKEND="memory",
               GSETTINGS_SCHEMA_DIR=os.path.join(BUILD_ROOT, "client", "data"),
               GTK_THEME="Adwaita", LANGUAGE="", LC_ALL="C.UTF-8", XDG_DATA_HOME=S["data_home"])
    env.pop("NO_AT_BRIDGE", None)
    log = open(os.path.join(SHOT_DIR if os.path.isdir(SHOT_DIR) else "/tmp",
                            "kc-client-%s.log" % who), "w")
    cmd = [CLIENT]
    if S.get("clients"):
        # GApplication hands a second start on the same session bus to the
        # first instance: the second person gets a session bus of their own
        # and shares only the accessibility bus, as on two desktops.
        address = subprocess.run(
            ["dbus-send", "--session", "--dest=org.a11y.Bus", "--print-reply=literal",
             "/org/a11y/bus", "org.a11y.Bus.GetAddress"],
            capture_output=True, text=True, check=True, timeout=10).stdout.strip()
        env["AT_SPI_BUS_ADDRESS"] = address
        env.pop("DBUS_SESSION_BUS_ADDRESS", None)
        cmd = ["dbus-run-session", "--"] + cmd
    before = {a.get_process_id() for a in pyatspi.Registry.getDesktop(0) if a is not None}
    proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT)
    tap.add_cleanup(lambda: (proc.terminate(), proc.wait(10)))

    def new_app():
        for app in pyatspi.Registry.getDesktop(0):
            try:
                if app is not None and app.name in ("kc-client", "Khuyến Công") \
                        and app.get_process_id() not in before:
                    return app
            except Exception:
                continue
        return None

    app = kctest.eventually(new_app, kctest.scaled(30), interval=0.3,
                            what="kc-client %s on the AT-SPI bus" % who)
    S["pid:" + who] = app.get_process_id()
    S["proc:" + who] = proc
    # Behind dbus-run-session the client is a grandchild: end it by its own pid.
    tap.add_cleanup(lambda: _kill(S["pid:" + who]))
    S.setdefault("clients", []).append(who)


def _kill(pid):
    try:
        os.kill(pid, 15)
    except ProcessLookupError:
        pass


def login(who, username, password):
    user = wait_for(who, by_name("Tên đăng nhập", pyatspi.ROLE_TEXT), "username field")
    pwd = (find(who, by_name("Mật khẩu", pyatspi.ROLE_PASSWORD_TEXT))
           or find(who, by_name("Mật khẩu", pyatspi.ROLE_TEXT)))
    set_text(user, username)
    set_text(pwd, password)
    press(wait_for(who, by_name("Đăng nhập", pyatspi.ROLE_PUSH_BUTTON), "login button"))


# ---------------------------------------------------------------------------
# The flow
# ---------------------------------------------------------------------------



# ---------------------------------------------------------------------------
# The flow
# ---------------------------------------------------------------------------

TITLE_A = "Hỗ trợ máy sấy nông sản"
TITLE_B = "Trình diễn dây chuyền dệt thổ cẩm"


def project_get(pid):
    return S["api"].result("project.get", {"id": pid})


def main_window():
    return wait_for("officer", lambda n: n.getRole() == pyatspi.ROLE_FRAME and n.name == "Khuyến Công",
                    "the main window", showing=False)


def pending_count():
    """The number on the main window's "edits waiting" button, or 0 when hidden."""
    button = find("officer", by_name("Thay đổi chờ gửi", pyatspi.ROLE_PUSH_BUTTON))
    if button is None:
        return 0
    m = re.match(r"(\d+) thay đổi chờ gửi", button.description or "")
    return int(m.group(1)) if m else -1


def kept_files():
    root = os.path.join(S["data_home"], "khuyen-cong", "drafts")
    found = []
    for d, _dirs, files in os.walk(root):
        found += [os.path.join(d, f) for f in files if f.endswith(".json")]
    return found


def open_editor(title):
    select_section("officer", "Đề án")
    cell = wait_for("officer", lambda n: n.getRole() == pyatspi.ROLE_TABLE_CELL and n.name == title,
                    "project %s in the list" % title)
    press(cell)
    return frame("officer", title)


def save_offline(editor, title):
    set_text(field("officer", editor, "Tên đề án"), title)
    press(wait_for("officer", by_name("Lưu", pyatspi.ROLE_PUSH_BUTTON), "the save button", root=editor))
    wait_for("officer", lambda n: n.getRole() == pyatspi.ROLE_LABEL
             and text_of(n) == "Đã lưu trên máy, sẽ gửi khi có kết nối.", "the kept-locally message",
             root=editor)


@tap.test("a province officer with two draft projects logs in")
def _():
    import tempfile
    S["data_home"] = tempfile.mkdtemp(prefix="kc-offline-")
    tap.add_cleanup(lambda: shutil.rmtree(S["data_home"], ignore_errors=True))
    server = kctest.Server()
    S["server"] = server
    admin = server.admin()
    S["officer"] = kctest.create_user(admin, "province_officer")
    api = server.login(S["officer"]["username"], S["officer"]["password"])
    S["api"] = api
    plan = api.result("plan.create", {"org_id": server.org_id("25.TTKC"), "year": YEAR,
                                      "scope": "local"})
    for key, title in (("a", TITLE_A), ("b", TITLE_B)):
        S[key] = api.result("project.create", {
            "plan_id": plan["id"], "title": title, "content_category": "ND45.4.3",
            "budget_lines": [{"source": "local", "amount": 300000000},
                             {"source": "counterpart", "amount": 700000000}],
            "indicators": [], "no_double_funding": True,
            "beneficiaries": [{"name": "Hợp tác xã thử", "kind": "cooperative"}]})
    start_client("officer")
    login("officer", S["officer"]["username"], S["officer"]["password"])
    main_window()
    kctest.check_equal(pending_count(), 0, "edits waiting at start")


@tap.test("kc-server stopped: the edit is kept on this computer, 0600, with its base version")
def _():
    editor = open_editor(TITLE_A)
    S["editor_a"] = editor
    base = project_get(S["a"]["id"])["version"]
    S["server"].stop()
    save_offline(editor, TITLE_A + " (sửa khi mất kết nối)")
    files = kept_files()
    kctest.check_equal(len(files), 1, "kept files")
    kctest.check_equal(oct(os.stat(files[0]).st_mode & 0o777), "0o600", "the kept file's mode")
    with open(files[0], encoding="utf-8") as f:
        kept = json.load(f)
    kctest.check_equal(kept["params"]["id"], S["a"]["id"], "the kept project")
    kctest.check_equal(kept["params"]["version"], base, "the kept base version")
    kctest.check_equal(kept["params"]["title"], TITLE_A + " (sửa khi mất kết nối)", "the kept title")
    kctest.eventually(lambda: pending_count() == 1, kctest.scaled(5), what="one edit waiting")
    screenshot("offline-kept.png")


@tap.test("kc-server back: the kept edit arrives by itself and the count goes")
def _():
    S["server"].start()
    api = S["server"].login(S["officer"]["username"], S["officer"]["password"])
    S["api"] = api
    kctest.eventually(lambda: project_get(S["a"]["id"])["title"] == TITLE_A + " (sửa khi mất kết nối)",
                      kctest.scaled(40), interval=0.5, what="the kept edit on the server")
    wait_for("officer", lambda n: n.getRole() == pyatspi.ROLE_LABEL
             and text_of(n) == "Thay đổi lưu trên máy đã được gửi lên máy chủ.", "the sent message",
             root=S["editor_a"])
    kctest.eventually(lambda: pending_count() == 0, kctest.scaled(5), what="no edit waiting")
    kctest.check_equal(kept_files(), [], "kept files after sending")


@tap.test("a conflict: changed elsewhere meanwhile, both shown; Keep mine sends it on the new version")
def _():
    server = S["server"]
    editor = open_editor(TITLE_B)
    wait_for("officer", lambda n: n.getRole() == pyatspi.ROLE_TEXT and n.name == "Tên đề án"
             and text_of(n) == TITLE_B, "project B's title in the editor", root=editor, showing=False)
    server.stop()
    mine = TITLE_B + " (bản của cán bộ)"
    theirs = TITLE_B + " (bản sửa ở nơi khác)"
    save_offline(editor, mine)
    # Another client's edit, made while this one was cut off (kc-server is
    # down, so straight in the database, as project.update would).
    server.sql("update projects set title = '%s', version = version + 1 where id = %d"
               % (theirs, S["b"]["id"]))
    server.start()
    S["api"] = server.login(S["officer"]["username"], S["officer"]["password"])
    dialog = wait_for("officer", lambda n: n.getRole() == pyatspi.ROLE_DIALOG
                      and n.name == "Thay đổi lưu trên máy", "the conflict window", timeout=40)
    local = wait_for("officer", by_name("Tên đề án, lưu trên máy", pyatspi.ROLE_LABEL),
                     "the kept title", root=dialog)
    remote = wait_for("officer", lambda n: n.getRole() == pyatspi.ROLE_LABEL
                      and n.name == "Tên đề án, trên máy chủ" and text_of(n) == theirs,
                      "the server's title", root=dialog)
    kctest.check_equal(text_of(local), mine, "the kept title shown")
    kctest.check_equal(text_of(remote), theirs, "the server's title shown")
    # Never overwritten silently: the server still has the other edit.
    kctest.check_equal(project_get(S["b"]["id"])["title"], theirs, "the title before choosing")
    kctest.check_equal(pending_count(), 1, "the conflict still counted")
    screenshot("offline-conflict.png")
    press(wait_for("officer", by_name("Giữ bản của tôi", pyatspi.ROLE_PUSH_BUTTON), "keep mine",
                   root=dialog))
    kctest.eventually(lambda: project_get(S["b"]["id"])["title"] == mine, kctest.scaled(20),
                      interval=0.3, what="my edit on the server after Keep mine")
    kctest.eventually(lambda: pending_count() == 0, kctest.scaled(5), what="no edit waiting")
    kctest.check_equal(kept_files(), [], "kept files after the conflict")


tap.run()
