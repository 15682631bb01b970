"""uikit — what the UI tests of kc-client share: re-execution under Xvfb and
a private session bus, AT-SPI look-ups by accessible name, screenshots, a
client started against the kctest server in S["server"], started again
once if it does not reach the accessibility bus. Every UI test uses it.

The test imports it first thing: it re-executes the test's own file.
"""

import os
import re
import shutil
import signal
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
YEAR = 2029


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
    # A runtime directory of its own: the accessibility bus puts its socket
    # there (else in ~/.cache/at-spi, shared with any other desktop test
    # running on the machine, which may replace or remove it).
    env["XDG_RUNTIME_DIR"] = tempfile.mkdtemp(prefix="kc-ui-run-")
    # KC_UI_SCREEN: a test that looks at a small screen (1366x768x24) sets it first.
    screen = ENV.get("KC_UI_SCREEN") or "1400x900x24"
    cmd = ["dbus-run-session", "--", "xvfb-run", "-a", "-s", "-screen 0 %s -nolisten tcp" % screen,
           python, os.path.abspath(sys.argv[0])]
    # The buses and the services they start (the AT-SPI registry prints a
    # line) write to stderr; only the test itself writes the TAP stream,
    # through the descriptor kept here.
    env["KC_TAP_FD"] = str(os.dup(1))
    os.set_inheritable(int(env["KC_TAP_FD"]), True)
    os.dup2(2, 1)
    os.execvpe(cmd[0], cmd, env)


wrap_if_needed()
if ENV.get("KC_TAP_FD"):
    sys.stdout.flush()
    os.dup2(int(ENV["KC_TAP_FD"]), 1)

import pyatspi  # noqa: E402

tap = kctest.Tap()
S = {}


# ---------------------------------------------------------------------------
# AT-SPI helpers, per client process
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
        # What the person would have seen, for the log reader.
        try:
            path = os.path.join(SHOT_DIR, "failed-%s-%s.png" % (os.path.basename(sys.argv[0])[:-3], who))
            subprocess.run(["import", "-window", "root", path], timeout=30)
            tap.diag("screenshot of the failure: " + path)
        except Exception:
            pass
        raise


def _cell_named(name):
    return lambda n: n.getRole() == pyatspi.ROLE_TABLE_CELL and n.name == name


def _font_of(node):
    """The Pango font description of a text cell, from its AT-SPI attributes."""
    from gi.repository import Pango
    attrs = dict(a.split(":", 1) for a in node.queryText().getDefaultAttributeSet() if ":" in a)
    desc = Pango.FontDescription.from_string("%s %s" % (attrs.get("family-name", "Sans"), attrs.get("size", "10")))
    if attrs.get("weight", "").isdigit():
        desc.set_weight(Pango.Weight(int(attrs["weight"])))
    return desc


def _text_size(text, desc, width):
    """(widest line, height) of @text in @desc laid out @width pixels wide, wrapping as the cells do."""
    import gi
    gi.require_version("Pango", "1.0")
    gi.require_version("PangoCairo", "1.0")
    from gi.repository import Pango, PangoCairo
    layout = Pango.Layout.new(PangoCairo.FontMap.get_default().create_context())
    layout.set_font_description(desc)
    layout.set_wrap(Pango.WrapMode.WORD_CHAR)
    layout.set_width(max(1, width) * Pango.SCALE)
    layout.set_text(text, -1)
    size = layout.get_pixel_size()
    return size.width, size.height


def _extents(node):
    return node.queryComponent().getExtents(pyatspi.DESKTOP_COORDS)


def cut_cells(table, xpad=2, ypad=2):
    """The cells of @table a person does not see whole: [(row, column, text,
    why)], empty when every cell's text fits. Each cell's text is laid out
    with Pango in the cell's own font (its AT-SPI attributes) in the cell's
    width less its padding, wrapping where it must; it is cut when that needs
    more height than the cell has (a one-line cell that would need two: "…"),
    or when the cell reaches past what shows it sideways (the scrolled
    windows around the table, the window)."""
    import gi
    gi.require_version("Pango", "1.0")
    t = table.queryTable()
    bounds = []
    node = table.parent
    while node is not None:
        if node.getRole() in (pyatspi.ROLE_SCROLL_PANE, pyatspi.ROLE_VIEWPORT, pyatspi.ROLE_FRAME):
            e = _extents(node)
            bounds.append((node.getRoleName(), e.x, e.x + e.width))
        if node.getRole() == pyatspi.ROLE_FRAME:
            break
        node = node.parent
    cut = []
    for r in range(t.nRows):
        for c in range(t.nColumns):
            cell = t.getAccessibleAt(r, c)
            text = text_of(cell)
            e = _extents(cell)
            for name, left, right in bounds:
                if e.x < left or e.x + e.width > right:
                    cut.append((r, c, text, "cells %d..%d, the %s %d..%d" % (e.x, e.x + e.width, name, left, right)))
                    break
            if not text:
                continue
            width, height = _text_size(text, _font_of(cell), e.width - 2 * xpad)
            if width > e.width - 2 * xpad + 1 or height > e.height - 2 * ypad + 1:
                cut.append((r, c, text, "needs %dx%d, the cell has %dx%d" % (width + 2 * xpad, height + 2 * ypad,
                                                                             e.width, e.height)))
    return cut


def select_row(who, name, what, root=None):
    """Selects the table row that has a cell reading @name, as a person
    clicks a row they see. Finding the cell and asking its table for the row
    are one step, tried again as a whole: a list being read again (after an
    act, then after the server's event about it) may replace the row between
    the two, and the cell found a moment before is then gone. Returns the
    cell once its row is selected and still shows @name."""
    def attempt():
        cell = find(who, _cell_named(name), root)
        if cell is None:
            return None
        table = cell.parent.queryTable()
        row = table.getRowAtIndex(cell.getIndexInParent())
        table.addRowSelection(row)
        shown = [table.getAccessibleAt(row, c).name for c in range(table.nColumns)]
        return cell if table.isRowSelected(row) and name in shown else None
    return kctest.eventually(attempt, kctest.scaled(25), interval=0.25, what=what)


def press_cell(who, name, what, root=None):
    """Double-clicks (activates) the row of the cell reading @name; found and
    pressed as one step, tried again while the list is being read again."""
    def attempt():
        cell = find(who, _cell_named(name), root)
        if cell is None:
            return None
        press(cell)
        return cell
    return kctest.eventually(attempt, kctest.scaled(25), interval=0.25, what=what)


def usable_button(who, name, what, root=None, timeout=25):
    """The push button named @name once a person could press it: showing and
    sensitive. A form greys its buttons while a call is on its way (the
    editor after "Saved." still reads its Changes tab), and pressing a grey
    button does nothing: the act a test waits for after it would never
    come."""
    return wait_for(who, lambda n: n.name == name and n.getRole() == pyatspi.ROLE_PUSH_BUTTON
                    and n.getState().contains(pyatspi.STATE_SENSITIVE), what, timeout=timeout,
                    root=root)


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
               KC_LOCALEDIR=os.path.join(BUILD_ROOT, "po"),
               GSETTINGS_BACKEND=S.get("gsettings_backend", "memory"),
               GSETTINGS_SCHEMA_DIR=os.path.join(BUILD_ROOT, "client", "data"),
               GTK_THEME="Adwaita", LANGUAGE="", LC_ALL="C.UTF-8", XDG_DATA_HOME=S.get("data_home") or ENV.get("XDG_DATA_HOME", ""),
               XDG_CONFIG_HOME=S.get("config_home") or ENV.get("XDG_CONFIG_HOME", ""))
    env.pop("NO_AT_BRIDGE", None)
    # A critical warning is a bug: it ends the client, and so fails the test.
    env["G_DEBUG"] = "fatal-criticals"
    log = open(os.path.join(SHOT_DIR if os.path.isdir(SHOT_DIR) else "/tmp",
                            "kc-client-%s-%s.log" % (os.path.basename(sys.argv[0])[:-3], who)), "w")
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

    def new_app():
        for app in pyatspi.Registry.getDesktop(0):
            try:
                if app is not None and app.name in ("kc-client", "Khuyến Công") \
                        and app.get_process_id() not in before:
                    return app
            except Exception:
                continue
        return None

    # On a loaded machine a client's registration with the accessibility
    # bus can time out (it then runs but never appears to AT-SPI): start it
    # once more then.
    for attempt in (1, 2):
        # A process group of its own: ending it ends the client and, for a
        # second person, dbus-run-session and the session bus it started
        # (terminating dbus-run-session alone left its dbus-daemon running:
        # 158 of them had piled up on a shared machine, until dbus-daemon
        # could no longer get an inotify instance and a client vanished).
        proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)
        tap.add_cleanup(lambda p=proc: _end_group(p))
        try:
            app = kctest.eventually(new_app, kctest.scaled(30), interval=0.3,
                                    what="kc-client %s on the AT-SPI bus" % who)
            break
        except AssertionError:
            if attempt == 2:
                raise
            print("# kc-client %s did not reach the AT-SPI bus: starting it again" % who)
            _end_group(proc)
    S["pid:" + who] = app.get_process_id()
    S["proc:" + who] = proc
    S["log:" + who] = log.name
    # Behind dbus-run-session the client is a grandchild: end it by its own pid.
    tap.add_cleanup(lambda: _kill(S["pid:" + who]))
    S.setdefault("clients", []).append(who)


def _end_group(proc):
    """Ends the process group a client was started in, then reaps its leader."""
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except ProcessLookupError:
        pass
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait(10)


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
    # As a person would: press it once it can be pressed (right after logging
    # out the dialog may still be finishing the previous session).
    press(wait_for(who, lambda n: n.name == "Đăng nhập" and n.getRole() == pyatspi.ROLE_PUSH_BUTTON
                   and n.getState().contains(pyatspi.STATE_SENSITIVE), "login button"))


