"""test_login_ui — kc-client driven as a person would, through AT-SPI.

A real kc-server (tests/integration/kctest.py: fresh database, fresh
certificates) and the real build/client/kc-client under Xvfb with a D-Bus
session bus (uikit.py). The login dialog is filled through its accessible
names; a wrong password must show the Vietnamese message, the right one the
main window with the Vietnamese sidebar, and the users page must list
"admin". Screenshots go to the build directory (KC_SCREENSHOT_DIR overrides).

Run by meson (suite 'client', TAP).
"""

import os
import re
import time

import uikit
from uikit import S, by_name, find, kctest, press, screenshot, select_section, tap, text_of, wait_for

import pyatspi

WHO = "admin"


def cell(name):
    return lambda n: n.getRole() == pyatspi.ROLE_TABLE_CELL and n.name == name


CODE_WIDTH = 345  # an unusual width for the organisations' Mã column, remembered


@tap.test("start kc-server and kc-client; the login dialog is in Vietnamese")
def _():
    S["server"] = kctest.Server()
    # Settings in a key file, as a person's: the column layout of yesterday.
    S["config_home"] = kctest.tempfile.mkdtemp(prefix="kcui-config-")
    S["gsettings_backend"] = "keyfile"
    S["keyfile"] = os.path.join(S["config_home"], "glib-2.0", "settings", "keyfile")
    os.makedirs(os.path.dirname(S["keyfile"]))
    with open(S["keyfile"], "w") as f:
        f.write("[vn/gov/moit/KhuyenCong]\ncolumn-layout={'organisations': ([0, %d, 0, 0, 0], -1, 0)}\n"
                % CODE_WIDTH)
    uikit.start_client(WHO)
    pyatspi.Registry.generateMouseEvent(1, 1, pyatspi.MOUSE_ABS)  # no tooltips in the pictures
    # The header bar's title names the frame; the subtitle says "Đăng nhập".
    wait_for(WHO, by_name("Khuyến Công", pyatspi.ROLE_FRAME), "the login window")
    wait_for(WHO, by_name("Đăng nhập", pyatspi.ROLE_PUSH_BUTTON), "the login button")
    server_field = wait_for(WHO, by_name("Địa chỉ máy chủ", pyatspi.ROLE_TEXT), "the server field")
    kctest.check_equal(text_of(server_field), "localhost:%d" % S["server"].port, "server field")


@tap.test("a wrong password shows the Vietnamese message")
def _():
    uikit.login(WHO, "admin", "không phải mật khẩu")
    kctest.eventually(
        lambda: "Sai tên đăng nhập hoặc mật khẩu" in text_of(
            find(WHO, by_name("Thông báo đăng nhập"), showing=False) or uikit.app_of(S["pid:" + WHO])),
        kctest.scaled(20), interval=0.2, what="the wrong-password message")
    time.sleep(0.5)  # let the revealer finish before the picture
    screenshot("login.png")


@tap.test("admin logs in: the sidebar shows Tổ chức and Người dùng")
def _():
    server = S["server"]
    uikit.login(WHO, server.admin_username, server.admin_password)
    wait_for(WHO, by_name("Tổ chức", pyatspi.ROLE_LABEL), "Tổ chức")
    wait_for(WHO, by_name("Người dùng", pyatspi.ROLE_LABEL), "Người dùng")
    # The home page ("Việc cần làm") is the first one, empty for the administrator.
    wait_for(WHO, lambda n: n.getRole() == pyatspi.ROLE_LABEL and text_of(n).startswith(
        "Hiện không có việc nào chờ bạn."), "the home page's empty state")
    # Then the organisations: Vietnamese kinds, dd/mm/yyyy dates.
    select_section(WHO, "Tổ chức")
    wait_for(WHO, cell("Bộ Công Thương"), "Bộ Công Thương in the organisations list")


@tap.test("the organisations list has the column width remembered from the last time")
def _():
    header = wait_for(WHO, lambda n: n.getRole() == pyatspi.ROLE_TABLE_COLUMN_HEADER and n.name == "Mã",
                      "the Mã column header")
    width = header.queryComponent().getExtents(pyatspi.DESKTOP_COORDS).width
    kctest.check(abs(width - CODE_WIDTH) <= 2, "Mã is %d px wide, not the remembered %d" % (width, CODE_WIDTH))


@tap.test("the users page lists admin")
def _():
    select_section(WHO, "Người dùng")
    wait_for(WHO, cell("admin"), "admin in the users list")
    wait_for(WHO, cell("Quản trị hệ thống"), "the role in Vietnamese")
    time.sleep(0.5)
    screenshot("users.png")


@tap.test("the organisations page shows dates as dd/mm/yyyy")
def _():
    select_section(WHO, "Tổ chức")
    wait_for(WHO, cell("01/07/2025"), "a date 01/07/2025")
    time.sleep(0.5)
    screenshot("orgs.png")


@tap.test("log out returns to the login dialog")
def _():
    press(wait_for(WHO, by_name("Đăng xuất", pyatspi.ROLE_PUSH_BUTTON), "the log-out button"))
    wait_for(WHO, by_name("Tên đăng nhập", pyatspi.ROLE_TEXT), "the login window again")
    kctest.check(find(WHO, by_name("Người dùng", pyatspi.ROLE_LABEL)) is None,
                 "the main window is still shown")
    # The list shown was remembered as laid out (the name column's width,
    # 0 in the file we wrote, is now measured), the remembered width kept.
    with open(S["keyfile"]) as f:
        saved = f.read()
    m = re.search(r"'organisations': \(\[(\d+), (\d+),", saved)
    kctest.check(m is not None, "the organisations' layout in the settings", saved)
    kctest.check(int(m.group(1)) > 0 and int(m.group(2)) == CODE_WIDTH,
                 "the widths saved on leaving the list", saved)


@tap.test("an account locked after wrong passwords: the login dialog says when to try again (retry_after)")
def _():
    with S["server"].admin(source=kctest.next_peer()) as a:
        u = kctest.create_user(a, "province_officer")
    with S["server"].client(source=kctest.next_peer()) as c:
        for _ in range(5):
            c.error("auth.login", {"username": u["username"], "password": "sai mật khẩu"}, 1001)
        e = c.error("auth.login", {"username": u["username"], "password": u["password"]}, kctest.TOO_MANY)
    kctest.check(e["data"]["retry_after"] >= 1, "retry_after in the error", e)
    # from the client's own address the account's delay applies (60 s after
    # five failures; the address above has its own, longer window)
    uikit.login(WHO, u["username"], u["password"])
    kctest.eventually(
        lambda: re.search(r"Hãy thử lại sau [1-9][0-9]* phút\.",
                          text_of(find(WHO, by_name("Thông báo đăng nhập"), showing=False)
                                  or uikit.app_of(S["pid:" + WHO]))) is not None,
        kctest.scaled(20), interval=0.2, what="the message naming when to try again")
    time.sleep(0.5)
    screenshot("login-retry-after.png")


tap.run()
