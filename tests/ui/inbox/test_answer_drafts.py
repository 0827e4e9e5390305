"""A 督办单's answer half typed on the approver's case page survives Esc, a sign-out and a restart: it is kept
on this PC, sealed, a moment after the last key and when the dialog closes, and comes back when 答复… is pressed
again on a new page (a new sign-in, a new process alike); sending it forgets it. Keys go to the focused widget;
the drafts are real SQLite rows (services/answer_drafts.py)."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from clerk_desk.services import answer_drafts
from clerk_desk.services import supervision_orders as orders
from clerk_desk.services.case_read import read_case
from clerk_desk.ui.inbox.inbox_page import InboxPage
from clerk_desk.ui.supervision.order_dialogs import OrderBanner
from tests.ui.cases.case_kit import DeferredRunner
from tests.ui.inbox.conftest import Office
from tests.ui.inbox.test_inbox import make_page
from tests.ui.intake.driver import type_into
from tests.ui.keys import focused, press, tabs

TYPED = "已联系窗口，材料今日送达"


def with_an_order(office: Office) -> tuple[str, str]:
    uid = office.transferred("张三")
    order = orders.issue(office.db, uid, "manager", reason="请说明为何未签收", reply_by=date.today() + timedelta(days=2),
                         now=office.clock.now)  # fmt: skip
    return uid, order


def answer_on(qtbot: QtBot, page: InboxPage, uid: str):  # type: ignore[no-untyped-def]
    """The case opened on ``page``, 答复… pressed: the answer dialog, active, the focus in the answer."""
    page.open_case(uid)
    qtbot.waitUntil(lambda: page.case.case_uuid == uid and bool(page.case.orders.open))
    dialog = page.case.orders.start_answer(page.case.orders.open[0])
    assert QTest.qWaitForWindowActive(dialog)
    qtbot.waitUntil(lambda: focused() == "answerOrderText")
    return dialog


def kept(office: Office, order: str) -> dict[str, str]:
    return answer_drafts.kept(office.db, office.session.user.id, [order])


def test_a_half_typed_answer_survives_signing_out_and_comes_back_until_sent(qtbot: QtBot, office: Office) -> None:
    uid, order = with_an_order(office)
    page = make_page(qtbot, office)
    dialog = answer_on(qtbot, page, uid)
    type_into(QApplication.focusWidget(), TYPED)  # typed, the dialog still open: kept after a pause
    qtbot.waitUntil(lambda: kept(office, order) == {order: TYPED}, timeout=3000)
    files = list(office.db.data_dir.glob("clerk_desk.sqlite3*"))  # the database and its -wal
    assert files and not any(TYPED.encode() in f.read_bytes() for f in files)  # sealed
    assert dialog.isVisible()
    page.close()  # signing out closes the page, the dialog still open
    page.deleteLater()

    again = make_page(qtbot, office)  # the same approver signed in again (a new page, a new process alike)
    back = answer_on(qtbot, again, uid)
    assert back.text.toPlainText() == TYPED
    type_into(QApplication.focusWidget(), "。")  # typing goes on at the end
    assert back.text.toPlainText() == TYPED + "。"
    press(Qt.Key.Key_Escape)  # closed unsent: kept at once, no pause needed
    assert not back.isVisible()
    assert kept(office, order) == {order: TYPED + "。"}

    third = answer_on(qtbot, again, uid)  # 答复… again on the same page
    assert third.text.toPlainText() == TYPED + "。"
    assert tabs(2) == ["answerOrderCancel", "answerOrderSubmit"]
    press(Qt.Key.Key_Return)  # sent: the order is answered and its draft goes
    qtbot.waitUntil(lambda: not third.isVisible())
    assert kept(office, order) == {}
    answered = [e for e in read_case(office.db, uid).events if e.type == "supervision_answered"]
    assert [e.payload["summary"] for e in answered] == [TYPED + "。"]
    assert order not in again.case.orders.typed


def test_an_answer_emptied_is_forgotten_and_another_account_has_its_own(qtbot: QtBot, office: Office) -> None:
    uid, order = with_an_order(office)
    answer_drafts.keep(office.db, office.clerk.user_id, order, "窗口的说明")  # clerk1's own draft of the order
    answer_drafts.keep(office.db, office.session.user.id, order, TYPED)
    page = make_page(qtbot, office)
    dialog = answer_on(qtbot, page, uid)
    assert dialog.text.toPlainText() == TYPED  # approver1's, not clerk1's
    dialog.text.selectAll()
    press(Qt.Key.Key_Delete)
    press(Qt.Key.Key_Escape)  # nothing left typed: nothing kept
    assert kept(office, order) == {}
    assert answer_drafts.kept(office.db, office.clerk.user_id, [order]) == {order: "窗口的说明"}
    assert answer_on(qtbot, page, uid).text.toPlainText() == ""


def test_a_dialog_closed_untouched_before_the_drafts_are_read_still_gets_the_draft(
    qtbot: QtBot, office: Office
) -> None:
    """答复… pressed and Esc before the kept drafts were read (a worker busy at the start of the day): the
    draft must still come back when 答复… is pressed again. It was taken as read, so the page offered an
    empty answer until the next sign-in, and what was typed into it then replaced the kept draft."""
    uid, order = with_an_order(office)
    answer_drafts.keep(office.db, office.session.user.id, order, TYPED)
    runner = DeferredRunner()
    banner = OrderBanner(office.db, runner, office.session, "review")
    qtbot.addWidget(banner)
    banner.show_case(uid, read_case(office.db, uid).events)
    assert [fn for _t, fn, _a in runner.queue] == [answer_drafts.kept]  # the read, still on its way
    dialog = banner.start_answer(banner.open[0])
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.text.toPlainText() == ""
    dialog.reject()  # Esc, nothing typed: nothing to keep
    assert not dialog.isVisible()
    while runner.queue:
        runner.deliver(0)
    again = banner.start_answer(banner.open[0])
    qtbot.waitUntil(again.isVisible)
    assert again.text.toPlainText() == TYPED
    again.reject()
    while runner.queue:
        runner.deliver(0)
    assert kept(office, order) == {order: TYPED}


def test_an_answer_sent_before_the_drafts_are_read_leaves_no_draft_behind(qtbot: QtBot, office: Office) -> None:
    """The answer typed and sent before the kept drafts were read: the draft read late is not taken back."""
    uid, order = with_an_order(office)
    answer_drafts.keep(office.db, office.session.user.id, order, "上次没写完的说明")
    runner = DeferredRunner()
    banner = OrderBanner(office.db, runner, office.session, "review")
    qtbot.addWidget(banner)
    banner.show_case(uid, read_case(office.db, uid).events)
    read = runner.queue.pop(0)
    dialog = banner.start_answer(banner.open[0])
    qtbot.waitUntil(dialog.isVisible)
    dialog.text.setPlainText(TYPED)
    dialog.try_submit()
    while runner.queue:
        runner.deliver(0)  # sent: the answer and its drafts' deletion
    assert not dialog.isVisible() and kept(office, order) == {}
    task, fn, args = read
    task.deliver(True, {order: "上次没写完的说明"})  # read before the answer deleted it, delivered after
    while runner.queue:
        runner.deliver(0)
    assert order not in banner.typed and kept(office, order) == {}
