"""The approver's flows with the keyboard only, on the demo data folder: sign in as approver1, the inbox, the
review page and its tables, the acts' dialogs, the 督办 lines and banner. Keys go to the widget with the focus,
as an approver's keyboard sends them."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from clerk_desk.domain.workdays import SHANGHAI
from clerk_desk.services import accounts, site_setup
from clerk_desk.services import supervision_orders as orders
from clerk_desk.services.intake import Clerk, IntakeService
from clerk_desk.services.intake_forms import Delivery, IntakeForm, Party
from clerk_desk.store.database import Database
from clerk_desk.ui.main_window import MainWindow
from tests.support.routing import at_window_for
from tests.ui.cases.case_kit import PENSION, checklist, resident_id
from tests.ui.conftest import Started
from tests.ui.intake.driver import type_into, wait_until
from tests.ui.test_sign_in_keys import login_on_screen

SHIFT = Qt.KeyboardModifier.ShiftModifier
CTRL = Qt.KeyboardModifier.ControlModifier
NO_MODS = Qt.KeyboardModifier.NoModifier


def press(key: Qt.Key, mods: Qt.KeyboardModifier = NO_MODS) -> None:
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the keyboard focus"
    QTest.keyClick(widget, key, mods)
    QApplication.processEvents()


def focused() -> str:
    widget = QApplication.focusWidget()
    return widget.objectName() if widget is not None else ""


def tabs(n: int, mods: Qt.KeyboardModifier = NO_MODS) -> list[str]:
    seen = []
    for _ in range(n):
        press(Qt.Key.Key_Tab, mods)
        seen.append(focused())
    return seen


def transferred(db: Database, n: int = 2) -> list[str]:
    """``n`` cases of 人社 (approver1 serves it) handed to the back office a few minutes ago."""
    c = next(u for u in accounts.list_users(db) if u.username == "clerk1")
    w = site_setup.list_windows(db)[0]
    svc, made, now = IntakeService(db), [], datetime.now(UTC)
    for i in range(n):
        form = IntakeForm((PENSION,), Party("person", f"张{i}", resident_id(i), phone="13812345678"), checklist())
        at = now - timedelta(minutes=10) + timedelta(seconds=i)
        clerk = at_window_for(db, Clerk(c.id, c.username, c.display_name, w.id, w.name), PENSION,
                              at.astimezone(SHANGHAI).date())
        uid = svc.accept(form, clerk, delivery=Delivery("window"), now=at).cases[0].case_uuid
        svc.transfer(uid, clerk, now=at + timedelta(minutes=3))
        made.append(uid)
    return made


def signed_in(s: Started) -> MainWindow:
    """approver1 signs in by keys: the user name, Enter, the password, Enter."""
    login_on_screen(s)
    type_into(QApplication.focusWidget(), "approver1")
    press(Qt.Key.Key_Return)
    type_into(QApplication.focusWidget(), s.passwords["approver1"])
    press(Qt.Key.Key_Return)
    wait_until(lambda: s.controller.main_window is not None)
    window = s.controller.main_window
    assert window is not None
    window.activateWindow()
    assert QTest.qWaitForWindowActive(window)
    return window


def back_on(window: MainWindow) -> None:
    """A dialog closed: the main window is active again (as the window manager does; offscreen has none)."""
    window.activateWindow()
    assert QTest.qWaitForWindowActive(window)


def open_first_case(window: MainWindow) -> None:
    """From the navigation: ↓ to 后台收件箱, Enter into it, ↓ into the rows, Enter opens the first."""
    window.nav.setFocus()
    while window.stack.currentWidget().objectName() != "page_inbox":
        press(Qt.Key.Key_Down)
    assert focused() == "navList"  # passing through, the focus stays in the navigation
    press(Qt.Key.Key_Return)
    assert focused() == "inboxSearch"
    inbox = window.pages["inbox"]
    wait_until(lambda: inbox.list.model.rowCount() > 0 and not inbox.list.model.loading)
    press(Qt.Key.Key_Down)
    assert focused() == "inboxTable"
    press(Qt.Key.Key_Return)
    wait_until(lambda: inbox.case.detail is not None and focused() == "reviewReceive")


def test_the_review_page_tabs_in_reading_order_and_tab_leaves_each_table(start) -> None:  # type: ignore[no-untyped-def]
    s = start()
    first, _second = transferred(s.launch.db)
    orders.issue(s.launch.db, first, "manager", reason="请说明进度", reply_by=date.today() + timedelta(days=2),
                 now=datetime.now(UTC))
    window = signed_in(s)
    open_first_case(window)
    # The 督办单 (above the facts), the two tables (one stop each: the arrows move in them), 返回 on the left,
    # the act on the right; then the navigation and back.
    assert tabs(3) == ["navList", "syncStatus", "reviewOrderAnswer"]
    assert tabs(4) == ["reviewChecklist", "reviewTimeline", "reviewBack", "reviewReceive"]
    assert tabs(3, SHIFT) == ["reviewBack", "reviewTimeline", "reviewChecklist"]
    press(Qt.Key.Key_Down)  # the arrows move in the table
    assert focused() == "reviewChecklist"
    press(Qt.Key.Key_Tab, SHIFT)
    assert focused() == "reviewOrderAnswer"
