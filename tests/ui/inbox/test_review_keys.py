"""The approver's case page by keyboard, in the main window: the act the case waits for has the focus
whenever the page comes up (Enter opens 签收), Esc goes back wherever the focus is, and a key for an act
the case does not allow yet says why instead of doing nothing."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from clerk_desk.ui.main_window import MainWindow
from clerk_desk.ui.task_runner import SyncTaskRunner
from tests.ui.inbox.conftest import Office
from tests.ui.inbox.test_inbox import act_dialog, make_page
from tests.ui.keys import SHIFT, focused, press, tabs

CTRL = Qt.KeyboardModifier.ControlModifier


def test_enter_signs_for_esc_goes_back_and_a_key_too_early_says_why(qtbot: QtBot, office: Office) -> None:
    office.transferred("张三")
    window = MainWindow(office.db, SyncTaskRunner(), office.session)
    qtbot.addWidget(window)
    window.resize(1366, 697)
    window.show()
    window.activateWindow()
    qtbot.waitActive(window)
    window.show_page("inbox")
    inbox = window.pages["inbox"]
    table = inbox.list.table
    table.setFocus()
    table.selectRow(0)
    qtbot.keyClick(table, Qt.Key.Key_Return)  # Enter opens the case
    review = inbox.case
    qtbot.waitUntil(lambda: focused() == "reviewReceive")  # the act the case waits for

    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_3, CTRL)  # 退回补正 before 签收
    message = review.findChild(QLabel, "reviewMessage")
    assert message.text() == "现在还不能“退回补正”：请先签收纸质材料（Ctrl+1）"
    assert review.dialog is None

    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)  # Enter on the focused act opens it
    assert review.dialog is not None and review.dialog.objectName() == "receiveDialog"
    review.dialog.reject()

    window.nav.setFocus()  # the focus left in the navigation: Esc still goes back
    qtbot.keyClick(window.nav, Qt.Key.Key_Escape)
    assert inbox.currentWidget() is inbox.list

    inbox.open_case(inbox.list.model.row_at(0).uuid)
    window.show_page("home")
    window.show_page("inbox")  # back through the navigation: the page takes the focus again
    qtbot.waitUntil(lambda: focused() == "reviewReceive")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    assert review.dialog is not None and review.dialog.isVisible()


def test_the_decision_is_one_radio_group_by_keys(qtbot: QtBot, office: Office) -> None:
    """准予 and 不予 stand in a row, so Qt's arrows moved between them with ← → only: ↓ on 准予 (the way to the
    next choice in a vertical group) did nothing, and Tab, which leaves a radio group, went on to the result:
    不予 could not be reached but with ← →. Now every arrow moves the choice within the two (no further than
    the ends); Tab leaves the group from the one chosen, and Shift+Tab comes back to it."""
    uid = office.transferred("张三")
    office.approvals.receive(uid, office.approver, paper_received=True, now=office.clock.now)
    page = make_page(qtbot, office)
    dialog = act_dialog(qtbot, page, uid, "decide")
    assert QTest.qWaitForWindowActive(dialog)
    qtbot.waitUntil(lambda: focused() == "decideApprove")
    press(Qt.Key.Key_Down)
    assert focused() == "decideDeny" and dialog.deny.isChecked()
    press(Qt.Key.Key_Down)  # the end of the group: nothing more
    assert focused() == "decideDeny" and dialog.deny.isChecked()
    press(Qt.Key.Key_Up)
    assert focused() == "decideApprove" and dialog.approve.isChecked()
    press(Qt.Key.Key_Right)
    assert focused() == "decideDeny" and dialog.deny.isChecked()
    press(Qt.Key.Key_Left)
    assert focused() == "decideApprove" and dialog.approve.isChecked()
    assert tabs(1) == ["decideResult"]  # Tab leaves the group
    assert tabs(1, SHIFT) == ["decideApprove"]
    press(Qt.Key.Key_Down)  # 不予: now it is the group's stop
    assert tabs(1) == ["decideResult"] and tabs(1, SHIFT) == ["decideDeny"]
    assert tabs(4, SHIFT) == ["decideSubmit", "decideCancel", "decideReason", "decideDocumentNumber"]
    # the choice made by keys is kept like a click's: Esc, and the dialog comes back on 不予
    press(Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    again = page.case.start("decide")
    assert again is not None and again.deny.isChecked()
