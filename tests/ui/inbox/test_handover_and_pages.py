"""出件 at the window (the case page of a case in 待出件), and the inbox page in the main window: shown in
approver mode only, every interactive widget named."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QLineEdit, QPushButton, QTableWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from clerk_desk.services import case_queries as q
from clerk_desk.services.approvals import APPROVED
from clerk_desk.store.models import CaseEvent
from clerk_desk.ui.cases.cases_page import CasesPage
from clerk_desk.ui.inbox import action_dialogs as dlg
from clerk_desk.ui.task_runner import SyncTaskRunner
from tests.ui.inbox.conftest import Office
from tests.ui.test_main_window import _unnamed


def result_at_window(office: Office) -> str:
    uid = office.transferred()
    now = office.clock.now
    office.approvals.receive(uid, office.approver, paper_received=True, now=now)
    office.approvals.decide(uid, office.approver, decision=APPROVED, result_text="准予注销登记",
                            document_number="通人社〔2026〕12号", now=now)
    office.approvals.return_result(uid, office.approver, now=now)
    return uid


def child(root, cls, name):  # type: ignore[no-untyped-def]
    found = root.findChild(cls, name)
    assert found is not None, name
    return found


def test_the_window_hands_over_the_result_from_the_results_view(qtbot: QtBot, office: Office) -> None:
    uid = result_at_window(office)
    other = office.transferred("李四")  # still in the back office: no 出件 for it
    page = CasesPage(office.db, SyncTaskRunner(), office.clerk_session, now=office.clock)
    qtbot.addWidget(page)
    page.resize(1300, 800)
    page.show()
    page.list.set_view(q.WindowView.RESULTS)
    qtbot.waitUntil(lambda: [r.uuid for r in page.list.model.rows] == [uid])
    page.list.table.selectRow(0)
    page.list.open_current()
    case = page.case
    deliver_button = child(case, QPushButton, "caseDeliver")
    assert deliver_button.isVisible() and case.facts["caseDue"].text()
    deliver_button.click()
    dialog = case.deliver_dialog
    assert dialog is not None and dialog.objectName() == "deliverDialog" and _unnamed(dialog) == []
    assert child(dialog, QLabel, "deliverDecision").text() == "准予：准予注销登记（文号 通人社〔2026〕12号）"
    method = child(dialog, QComboBox, "deliverMethod")
    assert method.currentData() == "window"  # what the applicant chose at intake
    child(dialog, QPushButton, "deliverSubmit").click()  # ID not checked yet
    error = child(dialog, QLabel, "deliverError")
    assert dialog.isVisible() and "请核验领取人的身份证件" in error.text()
    method.setCurrentIndex(method.findData("post"))
    assert child(dialog, QLineEdit, "deliverTracking").isVisible()
    assert not child(dialog, QCheckBox, "deliverIdChecked").isVisible()
    child(dialog, QPushButton, "deliverSubmit").click()
    assert "邮件单号" in error.text()
    method.setCurrentIndex(method.findData("window"))
    recipient = child(dialog, QComboBox, "deliverRecipient")
    recipient.setCurrentIndex(recipient.findData("other"))
    child(dialog, QLineEdit, "deliverOtherName").setText("李四")
    child(dialog, QLineEdit, "deliverOtherId").setText("11010519491231002X")
    child(dialog, QCheckBox, "deliverIdChecked").setChecked(True)
    child(dialog, QCheckBox, "deliverPrintReceipt").setChecked(False)  # the receipt: tests/ui/inbox/test_papers.py
    child(dialog, QPushButton, "deliverSubmit").click()
    assert not dialog.isVisible()
    assert case.status.text() == "已送达" and not deliver_button.isVisible()
    assert child(case, QLabel, "caseMessage").text() == "已出件"
    timeline = child(case, QTableWidget, "caseTimeline")
    last = timeline.rowCount() - 1
    assert timeline.item(last, 1).text() == "送达" and "委托他人" in timeline.item(last, 5).text()
    with office.db.reading() as s:
        assert s.scalars(select(CaseEvent.side).where(CaseEvent.case_uuid == uid, CaseEvent.type == "delivered")).one() == "window"
    case.backRequested.emit()
    qtbot.waitUntil(lambda: page.list.model.rows == [] or all(r.uuid != uid for r in page.list.model.rows))
    page.list.open_current()  # nothing selected in an empty list: nothing happens
    page.open_case(other)
    assert not deliver_button.isVisible()


def test_inbox_page_only_in_approver_mode_and_every_widget_named(start, office: Office) -> None:  # noqa: ARG001
    s = start()
    s.sign_in("approver1")
    window = s.controller.main_window
    keys = window.page_keys()
    assert "inbox" in keys and "cases" not in keys and "intake" not in keys
    assert keys[:2] == ["home", "inbox"]  # the approver's own work right under 首页
    assert window.show_page("inbox")
    page = window.stack.currentWidget()
    assert page.objectName() == "page_inbox"
    missing = _unnamed(window)
    runner = SyncTaskRunner()
    dialogs = [dlg.DIALOGS[act](page.case.svc, page.case.approver, "x", runner, None)
               for act in ("receive", "pause", "resume", "decide", "return")]
    dialogs.append(dlg.SupplementDialog(page.case.svc, page.case.approver, "x", ["户口簿"], runner, None))
    for d in dialogs:
        missing += _unnamed(d)
        d.deleteLater()
    assert missing == []
    window.findChild(object, "actionSignOut").trigger()
    s.sign_in("clerk1")
    assert "inbox" not in s.controller.main_window.page_keys()
