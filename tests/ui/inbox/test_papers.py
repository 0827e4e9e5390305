"""The papers after the decision, printed through the pages by objectName: the approver prints the decision
letter from the inbox case page; the window prints the hand-over receipt from the 出件 dialog and reprints
both (补打). Each print is recorded (document_printed, then reprinted); the PDFs are read back."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QPushButton, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from clerk_desk.forms.documents import Document
from clerk_desk.forms.paper import Paper
from clerk_desk.forms.render import save_pdf
from clerk_desk.services import case_queries as q
from clerk_desk.services.approvals import APPROVED, DENIED
from clerk_desk.store.models import CaseEvent
from clerk_desk.ui.cases.cases_page import CasesPage
from clerk_desk.ui.inbox.inbox_page import InboxPage
from clerk_desk.ui.task_runner import SyncTaskRunner
from tests.forms.conftest import pdftotext
from tests.ui.inbox.conftest import Office
from tests.ui.inbox.test_handover_and_pages import result_at_window
from tests.ui.test_main_window import _unnamed


def child(root, cls, name):  # type: ignore[no-untyped-def]
    found = root.findChild(cls, name)
    assert found is not None, name
    return found


class Printed:
    """A print_fn that writes each paper to a PDF, as the print queue would."""

    def __init__(self, folder: Path) -> None:
        self.folder, self.pdfs = folder, []  # type: ignore[var-annotated]

    def __call__(self, doc: Document, paper: Paper) -> bool:
        path = save_pdf(doc, paper, self.folder / f"{len(self.pdfs)}-{paper.value}.pdf")
        self.pdfs.append(path)
        return True

    def text(self, index: int = -1) -> str:
        return "".join(pdftotext(self.pdfs[index]).split())


def prints(office: Office, uid: str) -> list[tuple[str, str, str, int]]:
    with office.db.reading() as s:
        return [(e.type, e.side, e.payload["document"], e.payload["reprint"]) for e in s.scalars(
            select(CaseEvent).where(CaseEvent.case_uuid == uid, CaseEvent.type.in_(("document_printed", "reprinted")))
            .order_by(CaseEvent.case_version))]  # fmt: skip


def test_the_approver_prints_the_decision_letter_from_the_case_page(qtbot: QtBot, office: Office, tmp_path: Path) -> None:
    uid = office.transferred("张三")
    office.approvals.receive(uid, office.approver, paper_received=True, now=office.clock.now)
    page = InboxPage(office.db, SyncTaskRunner(), office.session, now=office.clock)
    qtbot.addWidget(page)
    page.resize(1400, 800)
    page.show()
    page.open_case(uid)
    review = page.case
    button = child(review, QPushButton, "reviewPrintDecision")
    assert not button.isVisible()  # nothing decided yet
    office.approvals.decide(uid, office.approver, decision=DENIED, reason="未提供死亡证明，不符合注销条件",
                            now=office.clock.now)
    review.reload()
    assert button.isVisible() and _unnamed(review) == []
    review.print_decision.print_fn = lambda doc, paper: False  # the preview closed without printing
    with qtbot.waitSignal(review.loaded):
        button.click()
    assert prints(office, uid) == [] and child(review, QLabel, "reviewMessage").text() == ""
    printed = Printed(tmp_path)
    review.print_decision.print_fn = printed
    paper = child(review, QComboBox, "reviewPaper")
    paper.setCurrentIndex(paper.findData(Paper.ROLL_80MM.value))
    with qtbot.waitSignal(review.loaded):
        button.click()
    text = printed.text()
    case = q.get_case(office.db, uid)
    number, id_number = case["case_number"], case["applicant"]["id_number"]
    assert "不予许可决定书" in text and "未提供死亡证明，不符合注销条件" in text and number in text
    assert id_number[:6] + "********" + id_number[-4:] in text and id_number not in text
    assert "行政复议" in text and "补打" not in text
    assert child(review, QLabel, "reviewMessage").text() == "已打印：不予许可决定书"
    assert prints(office, uid) == [("document_printed", "back_office", "decision_letter", 0)]
    with qtbot.waitSignal(review.loaded):
        button.click()  # a second print is 补打
    assert "补打" in printed.text() and prints(office, uid)[-1] == ("reprinted", "back_office", "decision_letter", 1)
    timeline = [e.type_zh for e in q.timeline(office.db, uid)]
    assert timeline[-2:] == ["打印文书", "补打文书"]


def test_the_window_prints_the_hand_over_receipt_and_reprints_the_decision(
    qtbot: QtBot, office: Office, tmp_path: Path
) -> None:
    uid = result_at_window(office)
    page = CasesPage(office.db, SyncTaskRunner(), office.clerk_session, now=office.clock)
    qtbot.addWidget(page)
    page.resize(1300, 800)
    page.show()
    page.open_case(uid)
    case = page.case
    printed = Printed(tmp_path)
    case.print_fn = printed
    documents = child(case, QComboBox, "caseDocument")
    assert documents.itemData(0) == "decision_letter"  # the result is back: the letter may be reprinted here
    child(case, QPushButton, "caseDeliver").click()
    dialog = case.deliver_dialog
    assert dialog is not None and _unnamed(dialog) == []
    tick = child(dialog, QCheckBox, "deliverPrintReceipt")
    assert tick.isChecked()
    paper = child(dialog, QComboBox, "deliverPaper")
    paper.setCurrentIndex(paper.findData(Paper.ROLL_80MM.value))
    child(dialog, QCheckBox, "deliverIdChecked").setChecked(True)
    with qtbot.waitSignal(case.loaded):
        child(dialog, QPushButton, "deliverSubmit").click()
    assert len(printed.pdfs) == 1
    text = printed.text()
    c = q.get_case(office.db, uid)
    number, id_number = c["case_number"], c["applicant"]["id_number"]
    assert "出件回执" in text and number in text and "窗口领取" in text and "申请人本人" in text
    assert "准予注销登记" in text and "通人社〔2026〕12号" in text and "领取人（签字）" in text
    assert id_number[:6] + "********" + id_number[-4:] in text and id_number not in text
    assert prints(office, uid) == [("document_printed", "window", "handover_receipt", 0)]
    assert child(case, QLabel, "caseMessage").text() == "已打印：出件回执"
    assert [documents.itemData(i) for i in range(2)] == ["decision_letter", "handover_receipt"]
    documents.setCurrentIndex(0)  # the decision letter, never printed before: the original
    with qtbot.waitSignal(case.loaded):
        child(case, QPushButton, "caseReprint").click()
    assert "审批决定书" in printed.text() and "准予注销登记" in printed.text() and "补打" not in printed.text()
    documents.setCurrentIndex(documents.findData("handover_receipt"))
    with qtbot.waitSignal(case.loaded):
        child(case, QPushButton, "caseReprint").click()
    assert "补打" in printed.text() and "出件回执" in printed.text()
    assert prints(office, uid)[1:] == [("document_printed", "window", "decision_letter", 0),
                                       ("reprinted", "window", "handover_receipt", 1)]


def test_no_receipt_when_the_tick_is_cleared(qtbot: QtBot, office: Office, tmp_path: Path) -> None:
    uid = office.transferred("王五")
    now = office.clock.now
    office.approvals.receive(uid, office.approver, paper_received=True, now=now)
    office.approvals.decide(uid, office.approver, decision=APPROVED, result_text="准予", now=now)
    office.approvals.return_result(uid, office.approver, now=now)
    page = CasesPage(office.db, SyncTaskRunner(), office.clerk_session, now=office.clock)
    qtbot.addWidget(page)
    page.open_case(uid)
    printed = Printed(tmp_path)
    page.case.print_fn = printed
    page.case.deliver()
    dialog: QWidget = page.case.deliver_dialog  # type: ignore[assignment]
    child(dialog, QCheckBox, "deliverPrintReceipt").setChecked(False)
    method = child(dialog, QComboBox, "deliverMethod")
    method.setCurrentIndex(method.findData("post"))
    child(dialog, QWidget, "deliverTracking").setText("1151234567890")
    child(dialog, QPushButton, "deliverSubmit").click()
    assert q.get_case(office.db, uid)["status"] == "delivered" and printed.pdfs == [] and prints(office, uid) == []
