"""The main window shell: page registry, menus, status bar, objectNames."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QLabel,
    QLineEdit,
    QWidget,
)

from clerk_desk import __version__
from clerk_desk.ui import pages
from clerk_desk.ui.password_dialog import ChangePasswordDialog
from clerk_desk.ui.widgets import plain_label

INTERACTIVE = (QAbstractButton, QLineEdit, QComboBox, QDateEdit, QAbstractItemView)
QT_INTERNAL_PARENTS = {"QComboBoxPrivateContainer", "QTabBar", "QCalendarWidget", "QCalendarPopup"}


@pytest.fixture
def clerk_window(start):
    s = start()
    s.sign_in("clerk1")
    return s, s.controller.main_window


@pytest.fixture
def restore_pages():
    saved = list(pages.PAGES)
    yield
    pages.PAGES[:] = saved


def test_shell_has_menus_status_and_named_widgets(clerk_window) -> None:
    _s, window = clerk_window
    for name in (
        "navList",
        "pageStack",
        "actionQuit",
        "actionChangePassword",
        "actionSignOut",
        "actionAbout",
    ):
        assert window.findChild(object, name) is not None, name
    menus = [a.text() for a in window.menuBar().actions()]
    assert menus == ["文件(&F)", "账户(&A)", "帮助(&H)"]
    assert window.findChild(QLabel, "statusSite").text() == "中心：通山县通羊镇便民服务中心"
    assert window.findChild(QWidget, "syncStatusSlot") is not None
    assert window.nav.item(0).text() == "首页"
    assert window.stack.currentWidget().objectName() == "page_home"


def test_sync_status_slot_takes_a_widget(clerk_window) -> None:
    _s, window = clerk_window
    first, second = plain_label("联网"), plain_label("断网")
    window.set_sync_status_widget(first)
    window.set_sync_status_widget(second)
    slot = window.findChild(QWidget, "syncStatusSlot")
    assert slot.layout().count() == 1 and slot.layout().itemAt(0).widget() is second


def test_about_and_change_password_from_the_menu(clerk_window, notes) -> None:
    s, window = clerk_window
    window.findChild(object, "actionAbout").trigger()
    (about,) = notes.texts("info")
    assert about.startswith(f"Clerk Desk {__version__}\n乡镇便民服务中心综合窗口受理客户端（断网可用）。\n\n")
    # the catalog and calendar in use, where from and when they arrived
    assert "事项目录 2026.2（演示目录），" in about and "到达本机" in about
    assert "节假日安排 2026-1（随程序安装）；含 2026 年" in about
    # the calendar's technical version lives here (and in the case page's tooltip), not on the case page
    assert "\n节假日日历：file:" in about and "chinesecalendar" in about
    window.findChild(object, "actionChangePassword").trigger()
    dialog = window.password_dialog
    assert isinstance(dialog, ChangePasswordDialog)
    dialog.findChild(QLineEdit, "passwordOld").setText(s.passwords["clerk1"])
    dialog.findChild(QLineEdit, "passwordNew").setText("new-pass42")
    dialog.findChild(QLineEdit, "passwordRepeat").setText("new-pass24")
    dialog.findChild(QAbstractButton, "passwordSubmit").click()
    assert notes.texts("error") == ["两次输入的新密码不一致。"]
    dialog.findChild(QLineEdit, "passwordRepeat").setText("new-pass42")
    dialog.findChild(QAbstractButton, "passwordSubmit").click()
    assert notes.texts("info")[-1] == "密码已修改。"
    from clerk_desk.services import accounts

    assert accounts.authenticate(s.launch.db, "clerk1", "new-pass42").username == "clerk1"


def test_a_page_plugs_in_with_one_registration(start, restore_pages) -> None:
    pages.register(
        pages.PageSpec("notes", "Notes", lambda ctx: plain_label(f"{ctx.session.user.display_name} 的便签")),
        before="admin",
    )
    pages.register(
        pages.PageSpec("broken", "Broken", lambda ctx: (_ for _ in ()).throw(pages.PageUnavailable("x")))
    )
    s = start()
    s.sign_in("admin", window=None)
    window = s.controller.main_window
    keys = window.page_keys()
    assert keys[0] == "home" and keys[-3:] == ["notes", "admin", "broken"]
    assert not window.pages.is_built("notes")  # pages are built when first shown
    assert window.show_page("notes")
    assert window.stack.currentWidget().objectName() == "page_notes"
    assert window.stack.currentWidget().text() == "系统管理员 的便签"
    # A page whose factory fails when first shown says so instead of breaking the window.
    assert window.show_page("broken")
    assert window.stack.currentWidget().objectName() == "page_broken"
    assert "不可用" in window.stack.currentWidget().text()


def test_catalog_page_appears_only_when_its_module_imports(clerk_window) -> None:
    _s, window = clerk_window
    assert ("catalog" in window.page_keys()) == pages.catalog_available()


def test_every_interactive_widget_has_an_object_name(start) -> None:
    s = start()
    missing = []
    missing += [f"sign-in: {w}" for w in _unnamed(s.controller.dialog)]
    s.sign_in("admin", window=None)
    window = s.controller.main_window
    window.show_page("admin")
    page = window.pages["admin"]
    page.users_tab.open_add_dialog()
    page.windows_tab.open_add_dialog()
    for root in (window, page.users_tab.dialog, page.windows_tab.dialog):
        missing += _unnamed(root)
    assert missing == []


def _unnamed(root: QWidget) -> list[str]:
    out = []
    for w in root.findChildren(QWidget):
        if not isinstance(w, INTERACTIVE) or w.objectName():
            continue
        parent = w.parentWidget()
        if parent is not None and (parent.objectName().startswith("qt_") or isinstance(parent, INTERACTIVE)):
            continue  # Qt's own inner parts (a date edit's line edit, a table's header, scroll buttons)
        if parent is not None and parent.metaObject().className() in QT_INTERNAL_PARENTS:
            continue
        out.append(
            f"{type(w).__name__} under {type(parent).__name__}:{parent.objectName() if parent else ''}"
        )
    return out


def test_on_a_narrow_status_bar_the_centre_gives_way_before_the_window_and_the_user(clerk_window, qtbot) -> None:
    """At 1366×768 and 150 % (910 px) beside the sync item, all three names were cut alike: 「窗口：综…联」
    「用户：欧…燕」. On a PC several clerks share, who is signed in matters most: a person's name stays whole,
    the window keeps six characters, and the centre's name (the same all day) gives way first."""
    _s, window = clerk_window
    window.status_site.set_full_text("中心：通山县洪港镇便民服务中心（洪港镇党群服务中心）")
    window.status_window.set_full_text("窗口：综合窗口（三）社保医保民政残联")
    window.status_user.set_full_text("用户：欧阳晓燕")
    window.set_sync_status_widget(plain_label("● 未连接   待上传 12   上次同步 从未   被退回 1"))
    window.resize(910, 485)
    qtbot.waitUntil(lambda: window.width() == 910)
    # the status bar lays out from the event loop
    qtbot.waitUntil(lambda: window.status_user.text() == "用户：欧阳晓燕" and "…" in window.status_site.text())
    assert window.status_window.text() == "窗口：综合窗口（三）社保医保民政残联"  # whole while the centre gives way
    assert "…" in window.status_site.text()
    assert window.status_site.toolTip() == "中心：通山县洪港镇便民服务中心（洪港镇党群服务中心）"
    # with room to spare the names sit side by side as before, the centre no wider than its name
    window.resize(1900, 485)
    qtbot.waitUntil(lambda: "…" not in window.status_site.text())
    site = window.status_site
    assert window.status_window.x() <= site.x() + site.sizeHint().width() + 20, (site.geometry(), window.status_window.x())
