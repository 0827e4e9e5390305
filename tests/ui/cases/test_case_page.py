"""The case page: header with the masked ID, the checklist as reviewed, the timeline of every event;
transfer from the page, a reprint that says 补打 (PDF text checked), and the page in the main window."""

from __future__ import annotations

import re
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QComboBox, QLabel, QPushButton, QTableWidget
from pytestqt.qtbot import QtBot

from clerk_desk.forms.documents import Document
from clerk_desk.forms.paper import Paper
from clerk_desk.forms.render import PrintError, save_pdf
from clerk_desk.services import case_queries as q
from clerk_desk.services import print_log
from clerk_desk.services.case_read import read_case
from clerk_desk.services.intake_forms import Party
from clerk_desk.ui import notify
from clerk_desk.ui.cases import case_sections as sec
from clerk_desk.ui.cases.cases_page import CasesPage
from clerk_desk.ui.task_runner import SyncTaskRunner
from tests.conftest import CupsPdfPrinter
from tests.ui.cases.case_kit import Desk, paused_in_the_back_office, resident_id

ID = "11010519491231002X"


@pytest.fixture
def cases(desk: Desk, qtbot: QtBot, notes: notify.RecordingNotifier) -> CasesPage:
    p = CasesPage(desk.db, SyncTaskRunner(), desk.session, now=desk.clock)
    qtbot.addWidget(p)
    p.resize(1200, 760)
    return p


def text(page: CasesPage, name: str) -> str:
    w = page.findChild(QLabel, name)
    assert w is not None, name
    return w.text()


def cells(table: QTableWidget, column: int) -> list[str]:
    return [table.item(r, column).text() for r in range(table.rowCount())]


def open_first(cases: CasesPage, qtbot: QtBot) -> None:
    cases.show()  # reads the list
    cases.list.table.selectRow(0)
    with qtbot.waitSignal(cases.case.loaded):
        cases.list.open_current()
    assert cases.currentWidget() is cases.case


def test_case_page_shows_header_checklist_and_timeline(cases: CasesPage, desk: Desk, qtbot: QtBot) -> None:
    agent = Party("person", "王小明", resident_id(5), relation="儿子")
    made = desk.accept("张三", ID, owed=True, agent=agent)
    open_first(cases, qtbot)
    assert text(cases, "caseNumber").replace(" ", "") == made.case_number.replace("-", "")
    assert text(cases, "caseStatus") == "已受理待流转"
    assert text(cases, "caseApplicant") == "张三  110105********002X"
    assert ID not in text(cases, "caseApplicant")
    assert text(cases, "caseAgent").startswith("王小明  421224") and "（儿子）" in text(cases, "caseAgent")
    assert text(cases, "caseDue").startswith("2026-10-09  3 个工作日")
    # what the clerk knows it by; the technical calendar version only in the tooltip
    assert text(cases, "caseDue") == "2026-10-09  3 个工作日  按 2026 年节假日安排计算"
    assert cases.findChild(QLabel, "caseDue").toolTip().startswith("节假日日历版本：file:2026-1")
    assert text(cases, "caseChannel") == "现场申请"
    assert text(cases, "casePledge") == "死亡证明，承诺 2026-10-20 前补齐（未补齐）"
    assert text(cases, "caseTransferDue") == "10:45:00 前（剩余 15 分 00 秒）"
    checklist = cases.findChild(QTableWidget, "caseChecklist")
    assert cells(checklist, 0) == ["居民身份证", "户口簿", "死亡证明"]
    # all three rows whole (not three and a half, not a row cut in half), the timeline below takes the rest
    qtbot.waitUntil(lambda: checklist.height() == sec.rows_height(checklist, 3))
    assert cells(checklist, 1) == ["必需", "必需", "可容缺"]
    assert cells(checklist, 5) == ["合格", "合格", "缺少"]
    timeline = cases.findChild(QTableWidget, "caseTimeline")
    assert cells(timeline, 1) == ["受理", "容缺承诺"]
    assert cells(timeline, 2) == ["张小红（clerk1）"] * 2
    assert cells(timeline, 3) == ["窗口"] * 2
    assert cells(timeline, 4) == ["待上传"] * 2
    desk.clock.advance(minutes=16)
    cases.case.tick()
    assert text(cases, "caseTransferDue") == "10:45:00 前（超时 1 分 00 秒）"


def test_transfer_from_the_case_page(
    cases: CasesPage, desk: Desk, qtbot: QtBot, notes: notify.RecordingNotifier
) -> None:
    made = desk.accept()
    desk.clock.advance(minutes=20)
    open_first(cases, qtbot)
    button = cases.findChild(QPushButton, "caseTransfer")
    assert button.isVisibleTo(cases)
    with qtbot.waitSignal(cases.case.loaded):
        button.click()
    (question,) = notes.texts("confirm")
    assert made.case_number in question and "超过流转时限" in question
    assert notes.defaults == [True]  # handing over is the next step: Enter takes it
    assert text(cases, "caseStatus") == "已流转后台"
    timeline = cases.findChild(QTableWidget, "caseTimeline")
    assert cells(timeline, 1)[-1] == "流转后台"
    assert cells(timeline, 5)[-1] == "超过时限流转"
    assert not button.isVisibleTo(cases)
    # handed over: no deadline left to watch, the header says when instead
    assert re.fullmatch(r"已于 \d{4}-\d\d-\d\d \d\d:\d\d 流转后台", text(cases, "caseTransferDue"))
    cases.findChild(QPushButton, "caseBack").click()  # the list is read again
    assert cases.currentWidget() is cases.list
    assert cases.list.model.row_at(0).status_zh == "已流转后台"


def test_a_reprint_says_so_on_the_paper_and_in_the_timeline(
    cases: CasesPage, desk: Desk, qtbot: QtBot, tmp_path: Path
) -> None:
    made = desk.accept("张三", ID)
    print_log.record_print(desk.db, made.case_uuid, "receipt", actor="clerk1")  # the original, at intake
    printed: list[Path] = []

    def to_pdf(doc: Document, paper: Paper) -> bool:
        printed.append(save_pdf(doc, paper, tmp_path / f"reprint-{len(printed)}.pdf"))
        return True

    open_first(cases, qtbot)
    cases.case.print_fn = to_pdf
    documents = cases.findChild(QComboBox, "caseDocument")
    assert documents.currentText() == "受理回执"
    paper = cases.findChild(QComboBox, "casePaper")
    paper.setCurrentIndex(paper.findData(Paper.ROLL_80MM.value))
    with qtbot.waitSignal(cases.case.loaded):
        cases.findChild(QPushButton, "caseReprint").click()
    out = subprocess.run(["pdftotext", "-layout", str(printed[0]), "-"], capture_output=True, text=True,
                         check=True).stdout
    assert "补打" in out and "受理回执" in out
    assert made.case_number in out.replace(" ", "") or made.case_number.replace("-", "") in out.replace(" ", "")
    assert "110105********002X" in out and ID not in out
    timeline = cases.findChild(QTableWidget, "caseTimeline")
    assert cells(timeline, 1)[-1] == "补打文书"
    assert cells(timeline, 5)[-1] == "受理回执（80 毫米小票），第 1 次补打"
    assert [e.type for e in read_case(desk.db, made.case_uuid).events][-1] == "reprinted"


def test_a_preview_closed_with_esc_records_nothing(
    cases: CasesPage, desk: Desk, qtbot: QtBot, cups_pdf_printer: CupsPdfPrinter
) -> None:
    """The real print preview, closed with Esc: nothing was printed, so nothing is recorded and the next
    real print is the original, not 补打. The preview's title says what is printed, in Chinese."""
    made = desk.accept("张三", ID)
    open_first(cases, qtbot)
    cases.case.printer_name = cups_pdf_printer.queue  # the default print_fn: preview, then this queue
    seen: dict[str, str] = {}

    def escape() -> None:
        preview = QApplication.activeModalWidget()
        assert preview is not None
        seen["name"], seen["title"] = preview.objectName(), preview.windowTitle()
        QTest.keyClick(preview, Qt.Key.Key_Escape)

    QTimer.singleShot(0, escape)  # runs inside the preview's own event loop
    cases.findChild(QPushButton, "caseReprint").click()
    assert seen["name"] == "printPreviewDialog"
    assert seen["title"] == f"打印预览 — 受理回执 {text(cases, 'caseNumber')}"
    assert [e.type for e in read_case(desk.db, made.case_uuid).events] == ["accepted"]
    assert text(cases, "caseMessage") == ""

    printed: list[Document] = []
    cases.case.print_fn = lambda doc, paper: printed.append(doc) or True  # now it really prints
    with qtbot.waitSignal(cases.case.loaded):
        cases.findChild(QPushButton, "caseReprint").click()
    assert not printed[0].header.is_reprint  # the original
    assert [e.type for e in read_case(desk.db, made.case_uuid).events][-1] == "document_printed"
    assert text(cases, "caseMessage") == "已打印：受理回执"


def test_a_print_that_fails_records_nothing(cases: CasesPage, desk: Desk, qtbot: QtBot,
                                            notes: notify.RecordingNotifier) -> None:
    made = desk.accept()
    open_first(cases, qtbot)

    def jammed(doc: Document, paper: Paper) -> bool:
        raise PrintError("打印机“PDF”报告错误，请检查打印机")

    cases.case.print_fn = jammed
    cases.findChild(QPushButton, "caseReprint").click()
    assert notes.texts("error") == ["打印机“PDF”报告错误，请检查打印机"]
    assert [e.type for e in read_case(desk.db, made.case_uuid).events] == ["accepted"]


def test_refused_case_offers_its_notice_and_no_transfer(cases: CasesPage, desk: Desk, qtbot: QtBot) -> None:
    desk.refuse()
    open_first(cases, qtbot)
    assert not cases.findChild(QPushButton, "caseTransfer").isVisibleTo(cases)
    assert cases.findChild(QComboBox, "caseDocument").currentText() == "不予受理告知书"
    assert text(cases, "caseTransferDue") == "—"


def test_escape_returns_to_the_list(cases: CasesPage, desk: Desk, qtbot: QtBot) -> None:
    desk.accept()
    open_first(cases, qtbot)
    cases.case.backRequested.emit()
    assert cases.currentWidget() is cases.list


def test_cases_page_in_the_main_window(start, qtbot: QtBot) -> None:  # noqa: ANN001
    started = start()
    started.sign_in("clerk1")
    window = started.controller.main_window
    assert window is not None
    assert window.page_keys()[window.page_keys().index("home") + 1:][:2] in (["intake", "cases"], ["cases", "catalog"])
    assert window.nav.item(window.page_keys().index("cases")).text() == "办件"
    assert window.show_page("cases")
    page = window.pages["cases"]
    assert page.objectName() == "page_cases" and page.isVisible()
    qtbot.waitUntil(lambda: page.findChild(QLabel, "casesCount").text() == "没有办件")


def test_no_cases_page_in_approver_mode(start) -> None:  # noqa: ANN001
    started = start()
    started.sign_in("approver1")
    window = started.controller.main_window
    assert window is not None and "cases" not in window.page_keys()


@pytest.mark.parametrize("room", [(1093, 511), (910, 445)])  # 1366×768 at 125 % and 150 %, less bars
def test_the_acts_stay_on_screen_on_a_short_window(desk: Desk, qtbot: QtBot, notes: notify.RecordingNotifier,
                                                   room: tuple[int, int]) -> None:
    """On a short screen the case page's facts and tables do not all fit: they scroll, and the acts
    (流转后台, 返回, the prints) stay below them on screen (they were below the fold: the page had to be
    scrolled to reach 流转后台)."""
    from clerk_desk.ui.page_stack import scrolling

    desk.accept("欧阳诸葛明月", owed=True, agent=Party("person", "王小明", resident_id(5), relation="儿子"))
    cases = CasesPage(desk.db, SyncTaskRunner(), desk.session, now=desk.clock)
    area = scrolling(cases, "pageScroll")  # as the main window holds its pages (ui/main_window.py)
    qtbot.addWidget(area)
    area.resize(*room)
    area.show()
    open_first(cases, qtbot)
    QApplication.processEvents()
    for name in ("caseTransfer", "caseBack", "caseReprint"):
        b = cases.findChild(QPushButton, name)
        assert b is not None and b.isVisible(), name
        assert b.visibleRegion().boundingRect() == b.rect(), f"{name} is not whole on screen"
    assert area.verticalScrollBar().maximum() == 0  # the page itself does not scroll: its body does


def test_a_paused_case_page_says_its_date_is_the_one_before_the_pause(cases: CasesPage, desk: Desk,
                                                                      qtbot: QtBot) -> None:
    """特别程序 stops the clock: the window's case page showed the date in force before the pause as if it held
    (on 12 Oct a date of 9 Oct, no word of the pause). It says it is the original date, moved on resume."""
    made = desk.accept("张三", ID)
    paused_in_the_back_office(desk, made.case_uuid)
    desk.clock.now = datetime(2026, 10, 12, 2, 0, tzinfo=UTC)
    cases.list.set_view(q.WindowView.BACK_OFFICE)
    open_first(cases, qtbot)
    assert text(cases, "caseDue") == ("原定 2026-10-09  3 个工作日  按 2026 年节假日安排计算（暂停计时，恢复计时后按暂停的"
                                      "工作日顺延）")
    assert "超期" not in text(cases, "caseDue")
