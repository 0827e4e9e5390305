"""撤回 through both desks' screens, driven by objectName: the window withdraws what it holds at once, or
records the applicant's request for a case in the back office (the case shows 撤回申请中); the inbox
shows the request in its own view and in every row, and the approver accepts it from the case page.
Refusals keep the dialog and what was typed."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QTableWidget,
)
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from clerk_desk.domain.identifiers import compute_resident_id_check_char
from clerk_desk.services import case_queries as q
from clerk_desk.services import withdrawal
from clerk_desk.services.inbox import InboxView
from clerk_desk.services.intake_forms import Delivery, IntakeForm, Party
from clerk_desk.store.models import Case
from clerk_desk.ui.cases.cases_page import CasesPage
from clerk_desk.ui.colour_cells import KeepColours
from clerk_desk.ui.inbox.inbox_list import ASKED, VIEWS
from clerk_desk.ui.inbox.inbox_model import COL_STATUS
from clerk_desk.ui.inbox.inbox_page import InboxPage
from clerk_desk.ui.task_runner import SyncTaskRunner
from tests.ui.cases.case_kit import PENSION, checklist, resident_id
from tests.ui.inbox.conftest import Office
from tests.ui.test_main_window import _unnamed

BUTTONS = ("caseWithdraw", "caseRequestWithdrawal")


def child(root, cls, name):  # type: ignore[no-untyped-def]
    found = root.findChild(cls, name)
    assert found is not None, name
    return found


def status_of(office: Office, uid: str) -> str:
    with office.db.reading() as s:
        return s.scalars(select(Case.status).where(Case.uuid == uid)).one()


def window_page(qtbot: QtBot, office: Office) -> CasesPage:
    page = CasesPage(office.db, SyncTaskRunner(), office.clerk_session, now=office.clock)
    qtbot.addWidget(page)
    page.resize(1400, 800)
    page.show()
    return page


def open_on_window(qtbot: QtBot, page: CasesPage, view: q.WindowView, uid: str) -> None:
    page.list.set_view(view)
    qtbot.waitUntil(lambda: uid in [r.uuid for r in page.list.model.rows])
    page.list.table.selectRow([r.uuid for r in page.list.model.rows].index(uid))
    page.list.open_current()
    qtbot.waitUntil(lambda: page.case.case_uuid == uid)


def shown(page: CasesPage) -> list[str]:
    return [n for n in BUTTONS if child(page.case, QPushButton, n).isVisible()]


def last_event(table: QTableWidget) -> tuple[str, str]:
    last = table.rowCount() - 1
    return table.item(last, 1).text(), table.item(last, 5).text()


def test_the_window_withdraws_an_accepted_case_at_once(qtbot: QtBot, office: Office) -> None:
    agent_id = "34052419800101001" + compute_resident_id_check_char("34052419800101001")
    form = IntakeForm((PENSION,), Party("person", "张三", resident_id(1)), checklist(),
                      agent=Party("person", "王五", agent_id, relation="子女"))
    uid = office.intake.accept(form, office.clerk, delivery=Delivery("window"), now=office.clock.now).cases[0].case_uuid
    page = window_page(qtbot, office)
    open_on_window(qtbot, page, q.WindowView.TO_TRANSFER, uid)
    case = page.case
    assert shown(page) == ["caseWithdraw"] and not child(case, QLabel, "caseWithdrawal").isVisible()
    child(case, QPushButton, "caseWithdraw").click()
    dialog = case.withdraw_dialog
    assert dialog is not None and dialog.objectName() == "withdrawDialog" and dialog.isVisible()
    assert _unnamed(dialog) == []
    requester = child(dialog, QComboBox, "withdrawRequester")
    assert [requester.itemData(i) for i in range(requester.count())] == ["applicant", "agent"]
    assert "立即办结" in child(dialog, QLabel, "withdrawHint").text()

    child(dialog, QPushButton, "withdrawSubmit").click()  # no reason, ID not checked
    error = child(dialog, QLabel, "withdrawError")
    assert dialog.isVisible() and error.isVisible()
    assert error.text() == "请填写撤回理由；请核验提出撤回者的身份证件"
    child(dialog, QPlainTextEdit, "withdrawReason").setPlainText("已在市级窗口办理")
    child(dialog, QPushButton, "withdrawSubmit").click()
    assert dialog.isVisible() and error.text() == "请核验提出撤回者的身份证件"
    assert child(dialog, QPlainTextEdit, "withdrawReason").toPlainText() == "已在市级窗口办理"  # kept
    requester.setCurrentIndex(requester.findData("agent"))
    child(dialog, QCheckBox, "withdrawIdChecked").setChecked(True)
    child(dialog, QPushButton, "withdrawSubmit").click()
    assert not dialog.isVisible() and status_of(office, uid) == "withdrawn"
    assert case.status.text() == "已撤回" and shown(page) == []
    assert child(case, QLabel, "caseMessage").text() == "已撤回"
    assert last_event(child(case, QTableWidget, "caseTimeline")) == (
        "撤回", "申请人撤回申请（代理人，已核验身份证件）：已在市级窗口办理")
    assert not child(case, QPushButton, "caseTransfer").isVisible()
    case.backRequested.emit()
    qtbot.waitUntil(lambda: uid not in [r.uuid for r in page.list.model.rows])  # no longer to transfer


def test_the_window_asks_and_the_back_office_accepts(qtbot: QtBot, office: Office) -> None:
    uid = office.transferred("张三")
    other = office.transferred("李四")
    office.approvals.receive(uid, office.approver, paper_received=True, now=office.clock.now)

    # The window: 申请撤回 on a case in the back office.
    page = window_page(qtbot, office)
    open_on_window(qtbot, page, q.WindowView.BACK_OFFICE, uid)
    case = page.case
    assert shown(page) == ["caseRequestWithdrawal"]
    child(case, QPushButton, "caseRequestWithdrawal").click()
    dialog = case.withdraw_dialog
    assert dialog is not None and dialog.objectName() == "withdrawRequestDialog" and _unnamed(dialog) == []
    requester = child(dialog, QComboBox, "withdrawRequester")
    assert requester.count() == 1  # no agent on this case: the applicant only
    assert "撤回申请中" in child(dialog, QLabel, "withdrawHint").text()
    child(dialog, QCheckBox, "withdrawIdChecked").setChecked(True)
    child(dialog, QPushButton, "withdrawSubmit").click()
    assert dialog.isVisible() and child(dialog, QLabel, "withdrawError").text() == "请填写撤回理由"
    child(dialog, QPlainTextEdit, "withdrawReason").setPlainText("申请人决定暂不办理")
    child(dialog, QPushButton, "withdrawSubmit").click()
    assert not dialog.isVisible() and status_of(office, uid) == "in_review"  # the case does not move
    assert case.status.text() == "后台审批中（撤回申请中）" and shown(page) == []
    banner = child(case, QLabel, "caseWithdrawal")
    assert banner.isVisible() and "申请人决定暂不办理" in banner.text() and "等待后台处理" in banner.text()
    assert child(case, QLabel, "caseMessage").text() == "已申请撤回，等待后台处理"
    assert last_event(child(case, QTableWidget, "caseTimeline"))[0] == "申请撤回"
    case.backRequested.emit()
    qtbot.waitUntil(lambda: any(r.uuid == uid and r.withdrawal_requested for r in page.list.model.rows))
    row = [r.uuid for r in page.list.model.rows].index(uid)
    assert page.list.model.index(row, 4).data() == "后台审批中（撤回申请中）"

    # The back office: its own view (red tab), the marker in 办理中, the request on the case page.
    inbox = InboxPage(office.db, SyncTaskRunner(), office.session, now=office.clock)
    qtbot.addWidget(inbox)
    inbox.resize(1400, 800)
    inbox.show()
    inbox.activateWindow()  # the page's keys work in the active window (as the desk's main window is)
    qtbot.waitActive(inbox)
    qtbot.waitUntil(lambda: bool(inbox.list.counts))
    tabs = inbox.list.tabs
    asked_tab = VIEWS.index(InboxView.WITHDRAWAL)
    assert tabs.tabText(asked_tab) == "撤回申请  1" and tabs.tabTextColor(asked_tab) == ASKED
    inbox.list.set_view(InboxView.IN_HAND)
    model = inbox.list.model
    assert [r.uuid for r in model.rows] == [uid]
    status = model.index(0, COL_STATUS)
    assert status.data() == "后台审批中（撤回申请中）"
    assert status.data(Qt.ItemDataRole.ForegroundRole) is not None
    # the column that carries the colour keeps it when its row is selected (ui/colour_cells.py)
    assert isinstance(inbox.list.table.itemDelegateForColumn(COL_STATUS), KeepColours)
    # the whole cell text (a narrow column elides it), then why
    assert status.data(Qt.ItemDataRole.ToolTipRole) == "后台审批中（撤回申请中）\n窗口申请撤回该办件：申请人决定暂不办理"
    inbox.list.set_view(InboxView.WITHDRAWAL)
    assert [r.uuid for r in model.rows] == [uid]
    inbox.list.table.setFocus()
    inbox.list.table.selectRow(0)
    qtbot.keyClick(inbox.list.table, Qt.Key.Key_Return)
    review = inbox.case
    qtbot.waitUntil(lambda: review.case_uuid == uid)
    request = child(review, QLabel, "reviewWithdrawal")
    assert request.isVisible() and "申请人决定暂不办理" in request.text()
    accept_button = child(review, QPushButton, "reviewWithdraw")
    assert accept_button.isVisible() and child(review, QPushButton, "reviewDecide").isVisible()  # or carry on
    assert review.timeline.item(review.timeline.rowCount() - 1, 1).text() == "申请撤回"

    qtbot.keyClick(review, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)
    dialog = review.dialog
    assert dialog is not None and dialog.objectName() == "withdrawAcceptDialog" and _unnamed(dialog) == []
    assert "申请人决定暂不办理" in child(dialog, QLabel, "withdrawAcceptRequest").text()
    note = child(dialog, QPlainTextEdit, "withdrawAcceptNote")
    note.setPlainText("说" * 501)
    child(dialog, QPushButton, "withdrawAcceptSubmit").click()
    assert dialog.isVisible() and "说明过长" in child(dialog, QLabel, "withdrawAcceptError").text()
    assert status_of(office, uid) == "in_review"
    note.setPlainText("纸质材料退回窗口")
    child(dialog, QPushButton, "withdrawAcceptSubmit").click()
    assert not dialog.isVisible() and status_of(office, uid) == "withdrawn"
    assert child(review, QLabel, "reviewStatus").text() == "已撤回"
    assert child(review, QLabel, "reviewMessage").text() == "已同意撤回，该办件已撤回"
    assert not request.isVisible() and not accept_button.isVisible()
    assert not any(b.isVisible() for b in review.buttons.values())
    assert review.timeline.item(review.timeline.rowCount() - 1, 5).text() == "后台同意撤回：纸质材料退回窗口"

    qtbot.keyClick(review, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: tabs.tabText(asked_tab) == "撤回申请  0")
    assert model.rows == [] and tabs.tabTextColor(asked_tab) != ASKED
    assert status_of(office, other) == "transferred"  # the other case untouched


def test_no_withdrawal_act_once_the_result_is_back_at_the_window(qtbot: QtBot, office: Office) -> None:
    uid = office.transferred()
    now = office.clock.now
    office.approvals.receive(uid, office.approver, paper_received=True, now=now)
    office.approvals.decide(uid, office.approver, decision="approved", result_text="准予", now=now)
    office.approvals.return_result(uid, office.approver, now=now)
    page = window_page(qtbot, office)
    open_on_window(qtbot, page, q.WindowView.RESULTS, uid)
    assert shown(page) == [] and child(page.case, QPushButton, "caseDeliver").isVisible()


def test_a_request_arriving_while_a_decision_dialog_is_open_is_said_in_the_dialog(qtbot: QtBot, office: Office) -> None:
    """The approver is typing a decision when the sync brings the window's withdrawal request: the open dialog says
    so (the page behind it is covered), keeps what was typed, and the approver may cancel and accept it with Ctrl+6."""
    uid = office.transferred("张三")
    office.approvals.receive(uid, office.approver, paper_received=True, now=office.clock.now)
    inbox = InboxPage(office.db, SyncTaskRunner(), office.session, now=office.clock)
    qtbot.addWidget(inbox)
    inbox.resize(1400, 800)
    inbox.show()
    inbox.open_case(uid)
    review = inbox.case
    qtbot.waitUntil(lambda: review.case_uuid == uid)
    dialog = review.start("decide")
    assert dialog is not None
    notice = child(dialog, QLabel, "decideWithdrawal")
    assert not notice.isVisible()  # no request: nothing said
    child(dialog, QRadioButton, "decideDeny").click()
    reason = child(dialog, QPlainTextEdit, "decideReason")
    reason.setPlainText("申请人不符合条件")
    reason.setFocus()

    withdrawal.request_withdrawal(office.db, uid, office.clerk, withdrawal.Withdrawal("申请人决定暂不办理",
                                                                                      id_checked=True),
                                  now=office.clock.now)
    inbox.cases_changed(frozenset({uid}))  # what the case watch tells the page when the sync brings it
    qtbot.waitUntil(notice.isVisible)
    assert "申请撤回" in notice.text() and "申请人决定暂不办理" in notice.text() and "Ctrl+6" in notice.text()
    assert dialog.isVisible() and reason.toPlainText() == "申请人不符合条件"
    assert dialog.focusWidget() is reason  # typing goes on where it was
    assert notice.geometry().bottom() <= dialog.height()  # the dialog grew to show it

    qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # cancel: the reason is kept, the request's act is at hand
    assert not dialog.isVisible()
    child(review, QPushButton, "reviewWithdraw").click()  # (Ctrl+6: the first test)
    assert review.dialog is not None and review.dialog.objectName() == "withdrawAcceptDialog"
    assert not child(review.dialog, QLabel, "withdrawAcceptWithdrawal").isVisible()  # (its own request line says it)
    review.dialog.reject()
    again = review.start("decide")  # opened again while the request waits: said at once, the reason as left
    assert again is not None
    assert child(again, QLabel, "decideWithdrawal").isVisible()
    assert child(again, QPlainTextEdit, "decideReason").toPlainText() == "申请人不符合条件"
