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
from tests.ui.keys import CTRL, SHIFT, focused, press, tabs
from tests.ui.test_sign_in_keys import login_on_screen


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


def transferred_with_an_order(db: Database) -> str:
    """Two cases handed over, the manager's 督办单 on the first (answer in two days); returns the first."""
    first, _second = transferred(db)
    orders.issue(db, first, "manager", reason="请说明进度", reply_by=date.today() + timedelta(days=2),
                 now=datetime.now(UTC))
    return first


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
    transferred_with_an_order(s.launch.db)
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


def test_sign_for_and_decide_by_keys_a_refusal_focuses_the_field_and_esc_keeps_what_was_typed(start) -> None:  # type: ignore[no-untyped-def]
    s = start()
    transferred(s.launch.db, 1)
    window = signed_in(s)
    open_first_case(window)
    review = window.pages["inbox"].case
    press(Qt.Key.Key_Return)  # 签收: the routine case (the paper came, every material checked) is one Enter
    dialog = review.dialog
    assert dialog is not None and QTest.qWaitForWindowActive(dialog)
    assert focused() == "receiveSubmit"
    # Down the fields, then 取消 and the act, as the dialog reads
    assert tabs(7) == ["receivePaper", "receiveCheck1", "receiveCheck2", "receiveCheck3", "receiveNote",
                       "receiveCancel", "receiveSubmit"]
    assert tabs(1) == ["receivePaper"]
    press(Qt.Key.Key_Space)  # the paper did not come: a note is required
    press(Qt.Key.Key_Return)
    assert "请在说明中写明情况" in dialog.error.text() and dialog.isVisible()
    assert focused() == "receiveNote"  # the field the refusal names, not 取消
    type_into(QApplication.focusWidget(), "材料在途")
    press(Qt.Key.Key_Tab)
    press(Qt.Key.Key_Tab)
    assert focused() == "receiveSubmit"
    press(Qt.Key.Key_Return)
    wait_until(lambda: not dialog.isVisible())
    back_on(window)
    wait_until(lambda: review.status.text() == "后台审批中" and focused() == "reviewDecide")

    press(Qt.Key.Key_Return)  # 审批决定…: the decision is chosen first
    dialog = review.dialog
    assert dialog is not None and QTest.qWaitForWindowActive(dialog)
    assert focused() == "decideApprove"
    assert tabs(6) == ["decideResult", "decideDocumentNumber", "decideReason", "decideCancel", "decideSubmit",
                       "decideApprove"]
    press(Qt.Key.Key_Right)  # 不予
    assert focused() == "decideDeny" and dialog.deny.isChecked()
    press(Qt.Key.Key_Return)  # no reason yet: said, and the focus in the reason
    assert dialog.error.text() == "请填写不予许可（不予办理）的理由"
    assert focused() == "decideReason"
    type_into(QApplication.focusWidget(), "不符合条件")
    press(Qt.Key.Key_Escape)  # by mistake: closed, nothing lost
    assert not dialog.isVisible()
    back_on(window)
    wait_until(lambda: focused() == "reviewDecide")
    press(Qt.Key.Key_Return)
    again = review.dialog
    assert again is not None and again is not dialog and QTest.qWaitForWindowActive(again)
    assert again.deny.isChecked() and again.reason.toPlainText() == "不符合条件"
    assert focused() == "decideDeny"  # the decision as it was left
    press(Qt.Key.Key_Return)
    wait_until(lambda: not again.isVisible())
    back_on(window)
    wait_until(lambda: review.status.text() == "已审批" and focused() == "reviewReturn")


def test_supplement_and_special_procedure_open_on_their_first_field(start) -> None:  # type: ignore[no-untyped-def]
    s = start()
    (uid,) = transferred(s.launch.db, 1)
    window = signed_in(s)
    open_first_case(window)
    review = window.pages["inbox"].case
    press(Qt.Key.Key_Return)
    assert review.dialog is not None and QTest.qWaitForWindowActive(review.dialog)
    press(Qt.Key.Key_Return)  # signed for
    back_on(window)
    wait_until(lambda: focused() == "reviewDecide")

    press(Qt.Key.Key_3, CTRL)  # 退回补正: the checklist's materials to tick
    dialog = review.dialog
    assert dialog is not None and dialog.objectName() == "supplementDialog" and QTest.qWaitForWindowActive(dialog)
    assert focused() == "supplementMaterials"
    assert tabs(5) == ["supplementOther", "supplementNote", "supplementCancel", "supplementSubmit",
                       "supplementMaterials"]
    press(Qt.Key.Key_Return)  # nothing named: said, and the focus back in the list
    assert dialog.error.text() == "请列出需要补正的材料" and focused() == "supplementMaterials"
    press(Qt.Key.Key_Escape)
    back_on(window)

    press(Qt.Key.Key_2, CTRL)  # 特别程序: the kind first
    dialog = review.dialog
    assert dialog is not None and dialog.objectName() == "pauseDialog" and QTest.qWaitForWindowActive(dialog)
    assert focused() == "pauseProcedure"
    assert tabs(4) == ["pauseReason", "pauseCancel", "pauseSubmit", "pauseProcedure"]
    press(Qt.Key.Key_Down)  # 听证
    press(Qt.Key.Key_Return)  # no reason: said, and the focus in the reason
    assert dialog.error.text() == "请填写特别程序的事由" and focused() == "pauseReason"
    type_into(QApplication.focusWidget(), "组织听证")
    press(Qt.Key.Key_Tab)
    press(Qt.Key.Key_Tab)
    press(Qt.Key.Key_Return)
    wait_until(lambda: not dialog.isVisible())
    back_on(window)
    wait_until(lambda: review.case_uuid == uid and review.status.text() == "特别程序（暂停计时）" and focused() == "reviewResume")


def test_the_home_page_keeps_the_focus_on_its_line_and_opens_the_supervision_order_by_keys(start) -> None:  # type: ignore[no-untyped-def]
    s = start()
    first = transferred_with_an_order(s.launch.db)
    window = signed_in(s)
    home = window.pages["home"]
    assert window.stack.currentWidget() is home and focused() == "navList"
    # The lines as they read; the 督办单 count opens nothing (the orders are answered on their cases): no stop
    assert tabs(5) == ["homeToSign", "homeSignCase", "homeSignCase", "homeOrderCase", "syncStatus"]
    press(Qt.Key.Key_Tab, SHIFT)
    assert focused() == "homeOrderCase"
    home.refresh()  # as every minute, and whenever cases change: the lines are made again
    QApplication.processEvents()
    assert focused() == "homeOrderCase"  # the approver's place is kept
    press(Qt.Key.Key_Return)
    inbox = window.pages["inbox"]
    wait_until(lambda: inbox.case.case_uuid == first and focused() == "reviewReceive")


def test_a_supervision_order_answered_by_keys_and_esc_keeps_the_answer(start) -> None:  # type: ignore[no-untyped-def]
    s = start()
    first = transferred_with_an_order(s.launch.db)
    window = signed_in(s)
    open_first_case(window)  # the oldest first: the one with the order
    inbox = window.pages["inbox"]
    assert inbox.case.case_uuid == first
    assert tabs(4, SHIFT) == ["reviewBack", "reviewTimeline", "reviewChecklist", "reviewOrderAnswer"]
    press(Qt.Key.Key_Return)  # 答复…
    dialog = inbox.case.orders.dialog
    assert dialog is not None and QTest.qWaitForWindowActive(dialog)
    assert focused() == "answerOrderText"  # the answer is what is asked for
    assert tabs(3) == ["answerOrderCancel", "answerOrderSubmit", "answerOrderText"]
    press(Qt.Key.Key_Tab)
    press(Qt.Key.Key_Tab)
    press(Qt.Key.Key_Return)  # nothing typed: said, and the focus in the answer (it was left on 取消)
    assert dialog.error.text() and dialog.isVisible() and focused() == "answerOrderText"
    type_into(QApplication.focusWidget(), "今日签收")
    press(Qt.Key.Key_Escape)  # by mistake: closed, nothing lost
    assert not dialog.isVisible()
    back_on(window)
    press(Qt.Key.Key_Tab)
    while focused() != "reviewOrderAnswer":
        press(Qt.Key.Key_Tab)
    press(Qt.Key.Key_Return)
    again = inbox.case.orders.dialog
    assert again is not None and QTest.qWaitForWindowActive(again)
    assert again.text.toPlainText() == "今日签收" and focused() == "answerOrderText"
    press(Qt.Key.Key_Tab)
    press(Qt.Key.Key_Tab)
    press(Qt.Key.Key_Return)
    wait_until(lambda: not again.isVisible())
    back_on(window)
    wait_until(lambda: not inbox.case.orders.isVisible() and focused() == "reviewReceive")
    press(Qt.Key.Key_Escape)  # back to the list
    assert focused() == "inboxTable"


def test_passing_the_inbox_with_a_case_open_leaves_the_focus_in_the_navigation_and_enter_goes_to_the_act(start) -> None:  # type: ignore[no-untyped-def]
    s = start()
    transferred(s.launch.db, 1)
    window = signed_in(s)
    open_first_case(window)
    window.nav.setFocus()
    press(Qt.Key.Key_Up)  # 首页
    press(Qt.Key.Key_Down)  # 后台收件箱, its case still open: shown, the focus stays in the navigation
    QTest.qWait(10)  # (the page's focus comes a moment after it is shown)
    assert window.stack.currentWidget().objectName() == "page_inbox" and focused() == "navList"
    press(Qt.Key.Key_Down)
    assert window.stack.currentWidget().objectName() != "page_inbox" and focused() == "navList"
    press(Qt.Key.Key_Up)
    QTest.qWait(10)
    press(Qt.Key.Key_Return)  # into the page: on the act the case waits for, not its first table
    assert focused() == "reviewReceive"


def test_back_from_a_case_the_next_one_is_chosen_and_enter_opens_it(start) -> None:  # type: ignore[no-untyped-def]
    s = start()
    first, second, third = transferred(s.launch.db, 3)
    window = signed_in(s)
    open_first_case(window)
    inbox = window.pages["inbox"]
    press(Qt.Key.Key_Return)  # 签收…
    assert inbox.case.dialog is not None and QTest.qWaitForWindowActive(inbox.case.dialog)
    press(Qt.Key.Key_Return)  # signed for: it leaves 待签收
    back_on(window)
    wait_until(lambda: focused() == "reviewDecide")
    press(Qt.Key.Key_Escape)
    wait_until(lambda: not inbox.list.model.loading)
    assert focused() == "inboxTable"
    assert inbox.list.model.row_at(inbox.list.table.currentIndex().row()).uuid == second  # where the first stood
    assert inbox.list.open_button.isEnabled()
    press(Qt.Key.Key_Down)
    press(Qt.Key.Key_Return)  # the one after it
    wait_until(lambda: inbox.case.case_uuid == third and focused() == "reviewReceive")
    press(Qt.Key.Key_Escape)  # nothing changed: the same row still chosen
    assert focused() == "inboxTable"
    assert inbox.list.model.row_at(inbox.list.table.currentIndex().row()).uuid == third
    assert first not in {r.uuid for r in inbox.list.model.rows}
    press(Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)  # 账户(A)
    menu = QApplication.activePopupWidget()  # (an open menu takes the keys)
    assert menu is not None and menu.objectName() == "menuAccount"
    QTest.keyClick(menu, Qt.Key.Key_S)  # 注销(S)
    login_on_screen(s)
    assert focused() == "loginUsername"


def test_enter_on_a_focused_cancel_closes_the_dialog_without_acting(start) -> None:  # type: ignore[no-untyped-def]
    s = start()
    transferred_with_an_order(s.launch.db)
    window = signed_in(s)
    open_first_case(window)
    review = window.pages["inbox"].case
    press(Qt.Key.Key_Return)  # 签收…
    dialog = review.dialog
    assert dialog is not None and QTest.qWaitForWindowActive(dialog)
    press(Qt.Key.Key_Tab, SHIFT)
    assert focused() == "receiveCancel"
    press(Qt.Key.Key_Return)  # 取消 (it signed for the case: Enter pressed the dialog's default act)
    assert not dialog.isVisible()
    back_on(window)
    wait_until(lambda: focused() == "reviewReceive")
    assert review.status.text() == "已流转后台"

    while focused() != "reviewOrderAnswer":
        press(Qt.Key.Key_Tab)
    press(Qt.Key.Key_Return)  # 答复…
    answer = review.orders.dialog
    assert answer is not None and QTest.qWaitForWindowActive(answer)
    type_into(QApplication.focusWidget(), "今日签收")
    press(Qt.Key.Key_Tab)
    assert focused() == "answerOrderCancel"
    press(Qt.Key.Key_Return)
    assert not answer.isVisible() and answer.result() == 0
    assert review.orders.typed and review.orders.isVisible()  # not sent: kept, the order still open


def test_tab_into_the_rows_chooses_the_row_with_the_focus_and_opens_it(start) -> None:  # type: ignore[no-untyped-def]
    s = start()
    transferred(s.launch.db, 2)
    window = signed_in(s)
    window.nav.setFocus()
    press(Qt.Key.Key_Down)  # 后台收件箱
    press(Qt.Key.Key_Return)
    inbox = window.pages["inbox"]
    wait_until(lambda: inbox.list.model.rowCount() == 2 and not inbox.list.model.loading)
    assert tabs(2) == ["inboxViewTabs", "inboxTable"]
    assert inbox.list.table.selectionModel().selectedRows()  # the row with the focus is chosen: 打开 is on
    assert tabs(3) == ["inboxRefresh", "inboxOpen", "navList"]
    press(Qt.Key.Key_Tab, SHIFT)
    assert focused() == "inboxOpen"
    press(Qt.Key.Key_Return)
    wait_until(lambda: inbox.case.case_uuid == inbox.list.model.row_at(0).uuid and focused() == "reviewReceive")
