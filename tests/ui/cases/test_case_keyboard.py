"""The case list, the case page and 出件 with the keyboard only: where the focus lands, where Tab goes
(the reading order), Enter and Esc. Keys go to the widget with the focus, as a clerk's keyboard sends them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from clerk_desk.services import case_queries as q
from clerk_desk.services.intake_forms import Delivery, IntakeForm, Party
from clerk_desk.ui import notify
from clerk_desk.ui.cases.cases_page import CasesPage
from clerk_desk.ui.task_runner import SyncTaskRunner
from tests.ui.cases.case_kit import PENSION, checklist, resident_id
from tests.ui.inbox.conftest import Office, office  # noqa: F401 (the fixture)
from tests.ui.inbox.test_handover_and_pages import result_at_window
from tests.ui.intake.driver import type_into
from tests.ui.keys import SHIFT, focused, press, tabs


def accepted(desk: Office, name: str = "王五") -> str:
    """A case accepted at the window, not yet handed to the back office."""
    form = IntakeForm((PENSION,), Party("person", name, resident_id(90), phone="13812345678"), checklist())
    return desk.intake.accept(form, desk.clerk, delivery=Delivery("window"), now=desk.clock.now).cases[0].case_uuid


@pytest.fixture
def cases(office: Office, qtbot: QtBot, notes: notify.RecordingNotifier) -> Iterator[CasesPage]:  # noqa: F811
    page = CasesPage(office.db, SyncTaskRunner(), office.clerk_session, now=office.clock)
    qtbot.addWidget(page)
    page.resize(1300, 800)
    page.show()
    page.activateWindow()
    assert QTest.qWaitForWindowActive(page)
    yield page


def open_by_keys(page: CasesPage, qtbot: QtBot, view: q.WindowView, rows: int = 1) -> None:
    page.list.set_view(view)
    qtbot.waitUntil(lambda: page.list.model.rowCount() == rows and not page.list.model.loading)
    page.list.search.setFocus()  # where the page puts it (Ctrl+F)
    press(Qt.Key.Key_Down)
    assert focused() == "casesTable"
    press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.currentWidget() is page.case and page.case.view is not None)


def test_the_list_tabs_in_reading_order_and_tab_leaves_the_rows(
    office: Office, cases: CasesPage, qtbot: QtBot, notes: notify.RecordingNotifier  # noqa: F811
) -> None:
    accepted(office)
    cases.list.set_view(q.WindowView.ALL)
    qtbot.waitUntil(lambda: cases.list.model.rowCount() == 1 and not cases.list.model.loading)
    cases.list.search.setFocus()
    press(Qt.Key.Key_Down)  # into the rows: the first one chosen, 流转后台 open for it
    assert tabs(4) == ["casesRefresh", "casesOpen", "casesTransfer", "casesSearch"]
    assert tabs(2) == ["casesViewTabs", "casesTable"]  # the search on the heading's row, the tabs under it
    assert tabs(3, SHIFT) == ["casesViewTabs", "casesSearch", "casesTransfer"]
    press(Qt.Key.Key_Return)  # Enter on a focused button presses it
    assert notes.texts("confirm") == ["现在将 1 件办件的纸质材料交给后台吗？"]


def test_a_case_opens_with_the_focus_on_what_comes_next(
    office: Office, cases: CasesPage, qtbot: QtBot, notes: notify.RecordingNotifier  # noqa: F811
) -> None:
    accepted(office)
    open_by_keys(cases, qtbot, q.WindowView.TO_TRANSFER)
    assert focused() == "caseTransfer"  # the paper goes to the back office next
    press(Qt.Key.Key_Return)
    assert notes.texts("confirm") and cases.case.status.text() == "已流转后台"
    press(Qt.Key.Key_Escape)
    assert cases.currentWidget() is cases.list and focused() == "casesTable"


def test_a_result_at_the_window_opens_on_hand_over_and_the_page_tabs_in_reading_order(
    office: Office, cases: CasesPage, qtbot: QtBot  # noqa: F811
) -> None:
    result_at_window(office)
    open_by_keys(cases, qtbot, q.WindowView.RESULTS)
    assert focused() == "caseDeliver"
    # The tables first (they read above the acts; Tab leaves each), then 返回 on the left, the acts on the right.
    press(Qt.Key.Key_Tab, SHIFT)
    assert focused() == "caseBack"
    press(Qt.Key.Key_Tab, SHIFT)
    assert focused() == "caseTimeline"
    press(Qt.Key.Key_Tab)
    assert tabs(5) == ["caseDeliver", "caseDocument", "casePaper", "caseReprint", "caseChecklist"]
    assert tabs(1) == ["caseTimeline"]
    press(Qt.Key.Key_Tab, SHIFT)
    press(Qt.Key.Key_Tab, SHIFT)
    assert focused() == "caseReprint"


def test_hand_over_by_keys_a_refusal_focuses_the_field_and_esc_keeps_what_was_typed(
    office: Office, cases: CasesPage, qtbot: QtBot  # noqa: F811
) -> None:
    result_at_window(office)
    open_by_keys(cases, qtbot, q.WindowView.RESULTS)
    press(Qt.Key.Key_Return)  # 出件…
    dialog = cases.case.deliver_dialog
    assert dialog is not None and dialog.isVisible()
    assert QTest.qWaitForWindowActive(dialog)
    assert focused() == "deliverMethod"
    assert tabs(8) == ["deliverRecipient", "deliverIdChecked", "deliverNote", "deliverPrintReceipt", "deliverPaper",
                       "deliverCancel", "deliverSubmit", "deliverMethod"]  # no stop on the fields' scroll area
    press(Qt.Key.Key_Return)  # 出件 at once: the ID card was not checked yet
    assert "请核验领取人的身份证件" in dialog.error.text()
    assert dialog.isVisible() and focused() == "deliverIdChecked"
    press(Qt.Key.Key_Tab)  # to the note: typed, then Esc by mistake
    while focused() != "deliverNote":
        press(Qt.Key.Key_Tab)
    QTest.keyClicks(QApplication.focusWidget(), "ID 4201")
    press(Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert cases.focusWidget() is cases.case.deliver_button  # back on the case page, on 出件…
    cases.activateWindow()  # as the window manager does once the dialog is gone (offscreen has none)
    assert QTest.qWaitForWindowActive(cases) and focused() == "caseDeliver"
    press(Qt.Key.Key_Return)
    again = cases.case.deliver_dialog
    assert again is not None and again.isVisible()
    assert again.note.text() == "ID 4201"  # nothing typed is lost
    printed: list[str] = []
    cases.case.print_fn = lambda doc, paper: printed.append(type(doc).__name__) or True  # the receipt (ticked)
    while focused() != "deliverIdChecked":
        press(Qt.Key.Key_Tab)
    press(Qt.Key.Key_Space)
    press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not again.isVisible())
    qtbot.waitUntil(lambda: cases.case.status.text() == "已送达")
    assert len(printed) == 1


def test_withdraw_by_keys_a_refusal_focuses_the_field_and_esc_keeps_the_reason(
    office: Office, cases: CasesPage, qtbot: QtBot  # noqa: F811
) -> None:
    accepted(office)
    open_by_keys(cases, qtbot, q.WindowView.TO_TRANSFER)
    press(Qt.Key.Key_Tab, SHIFT)  # from 流转后台 back to 撤回… (left of it)
    assert focused() == "caseWithdraw"
    press(Qt.Key.Key_Return)
    dialog = cases.case.withdraw_dialog
    assert dialog is not None and QTest.qWaitForWindowActive(dialog)
    assert focused() == "withdrawRequester"
    assert tabs(5) == ["withdrawIdChecked", "withdrawReason", "withdrawCancel", "withdrawSubmit", "withdrawRequester"]
    press(Qt.Key.Key_Tab)
    press(Qt.Key.Key_Tab)
    type_into(QApplication.focusWidget(), "不办了")  # as the input method commits it
    press(Qt.Key.Key_Tab)
    press(Qt.Key.Key_Tab)
    assert focused() == "withdrawSubmit"
    press(Qt.Key.Key_Return)  # the ID card was not checked: said, and the focus on the tick
    assert "请核验提出撤回者的身份证件" in dialog.error.text() and focused() == "withdrawIdChecked"
    press(Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    cases.activateWindow()  # as the window manager does once the dialog is gone (offscreen has none)
    assert QTest.qWaitForWindowActive(cases) and focused() == "caseWithdraw"
    press(Qt.Key.Key_Return)
    again = cases.case.withdraw_dialog
    assert again is not None and again.isVisible() and again.reason.toPlainText() == "不办了"
    assert QTest.qWaitForWindowActive(again)
    while focused() != "withdrawIdChecked":
        press(Qt.Key.Key_Tab)
    press(Qt.Key.Key_Space)
    press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not again.isVisible() and cases.case.status.text() == "已撤回")


def test_enter_on_a_focused_cancel_closes_hand_over_and_withdraw_without_acting(
    office: Office, cases: CasesPage, qtbot: QtBot  # noqa: F811
) -> None:
    result_at_window(office)
    open_by_keys(cases, qtbot, q.WindowView.RESULTS)
    cases.case.print_fn = lambda doc, paper: True  # (the receipt, were it handed over)
    press(Qt.Key.Key_Return)  # 出件…
    dialog = cases.case.deliver_dialog
    assert dialog is not None and QTest.qWaitForWindowActive(dialog)
    while focused() != "deliverIdChecked":
        press(Qt.Key.Key_Tab)
    press(Qt.Key.Key_Space)  # all is ready to hand over
    while focused() != "deliverCancel":
        press(Qt.Key.Key_Tab)
    press(Qt.Key.Key_Return)  # 取消 (it pressed 出件, the dialog's default: the result was handed over)
    assert not dialog.isVisible() and dialog.result() == 0
    assert cases.case.status.text() == "结果待领取"

    cases.activateWindow()  # as the window manager does once the dialog is gone (offscreen has none)
    assert QTest.qWaitForWindowActive(cases)
    accepted(office, "赵六")
    press(Qt.Key.Key_Escape)
    open_by_keys(cases, qtbot, q.WindowView.TO_TRANSFER)
    press(Qt.Key.Key_Tab, SHIFT)
    press(Qt.Key.Key_Return)  # 撤回…
    withdraw = cases.case.withdraw_dialog
    assert withdraw is not None and QTest.qWaitForWindowActive(withdraw)
    press(Qt.Key.Key_Tab)
    press(Qt.Key.Key_Space)  # the ID card checked
    press(Qt.Key.Key_Tab)
    type_into(QApplication.focusWidget(), "不办了")
    press(Qt.Key.Key_Tab)
    assert focused() == "withdrawCancel"
    press(Qt.Key.Key_Return)
    assert not withdraw.isVisible() and withdraw.result() == 0
    assert cases.case.status.text() == "已受理待流转"


def test_hand_over_someone_else_chosen_in_the_open_list_takes_the_focus_to_the_name(
    office: Office, cases: CasesPage, qtbot: QtBot  # noqa: F811
) -> None:
    """出件's 委托他人 is a choice that opens fields (docs/ui.md, "Keys"): stepped to with ↓ the focus stays on the
    choice; chosen in the open list (a click, or Enter there) it goes on to the collector's name, where the clerk
    types next. It stayed on the choice, and a mouse user had to click into the name."""
    from PySide6.QtWidgets import QComboBox

    result_at_window(office)
    open_by_keys(cases, qtbot, q.WindowView.RESULTS)
    press(Qt.Key.Key_Return)  # 出件…
    dialog = cases.case.deliver_dialog
    assert dialog is not None and QTest.qWaitForWindowActive(dialog)
    press(Qt.Key.Key_Tab)
    assert focused() == "deliverRecipient"
    box = dialog.findChild(QComboBox, "deliverRecipient")
    other = box.findData("other")
    while box.currentIndex() != other:
        press(Qt.Key.Key_Down)  # by keys: the focus stays on the choice
    assert focused() == "deliverRecipient"
    box.setCurrentIndex(0)
    box.showPopup()
    qtbot.waitUntil(box.view().isVisible)
    for _ in range(other):
        QTest.keyClick(box.view(), Qt.Key.Key_Down)
    QTest.keyClick(box.view(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not box.view().isVisible())
    assert box.currentData() == "other"
    assert dialog.focusWidget() is dialog.other_name
