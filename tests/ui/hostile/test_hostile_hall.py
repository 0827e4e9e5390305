"""Text is never markup on the hall-service pages (Consultations, Ratings, On the window), their dialogs and
the printed monthly sheet: a desk whose every text field holds hostile markup (hostile_desk.py) shows it
literally and loads nothing (canary.py)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QWidget

from clerk_desk.ui import notify
from clerk_desk.ui.hall.attendance_page import AttendancePage, paper_of
from clerk_desk.ui.hall.consultation_page import ConsultationPage
from clerk_desk.ui.hall.evaluation_page import EvaluationPage
from clerk_desk.ui.task_runner import SyncTaskRunner
from tests.ui.hall.hall_kit import ASSIST_TAGS, CONSULT_TAGS, RATING_TAGS, add_hall_records
from tests.ui.hostile.hostile_desk import HostileDesk
from tests.ui.hostile.inspect import Report, as_html
from tests.ui.hostile.test_hostile_text import assert_clean, pdf_text, settle

WHERE = ("中心名称", "窗口名称", "窗口人员")


@pytest.fixture(scope="module")
def hall_desk(desk: HostileDesk) -> HostileDesk:
    add_hall_records(desk, datetime.now(UTC))
    return desk


def shown(page: QWidget, keep: list[QWidget]) -> QWidget:
    keep.append(page)
    page.resize(1366, 720)
    page.show()
    settle()
    return page


def test_hall_pages_dialogs_and_the_monthly_sheet(
    hall_desk: HostileDesk, report: Report, notes: notify.RecordingNotifier, tmp_path: Path,
) -> None:
    desk, runner, keep = hall_desk, SyncTaskRunner(), []  # type: ignore[var-annotated]
    first = len(report.outcomes)
    consult = shown(ConsultationPage(desk.db, runner, desk.clerk_session), keep)
    assert isinstance(consult, ConsultationPage)
    report.check("consultations: the day's log", consult, CONSULT_TAGS)
    consult.tabs.setCurrentIndex(1)
    settle()
    report.check("consultations: 帮办代办", consult, ASSIST_TAGS)
    consult.open_new_assist()
    report.check("dialog: 帮办代办 new request", consult.dialog, ())
    consult.dialog.reject()  # type: ignore[union-attr]
    consult.open_step()
    report.check("dialog: 帮办代办 next step", consult.dialog, ASSIST_TAGS)
    consult.dialog.reject()  # type: ignore[union-attr]

    ratings = shown(EvaluationPage(desk.db, runner, desk.clerk_session), keep)
    assert isinstance(ratings, EvaluationPage)
    report.check("ratings: to rate and return calls", ratings, (*RATING_TAGS, "事项三", "事项即办", "申请人己"))
    ratings.rate_selected()
    report.check("dialog: the applicant's rating", ratings.dialog, ("事项三",))
    ratings.dialog.reject()  # type: ignore[union-attr]
    ratings.follow_up_selected()
    report.check("dialog: return call", ratings.dialog, ("事项即办", "评价意见"))
    ratings.dialog.reject()  # type: ignore[union-attr]

    on_window = shown(AttendancePage(desk.db, runner, desk.clerk_session), keep)
    assert isinstance(on_window, AttendancePage)
    report.check("on the window: me", on_window, ("窗口名称",))
    on_window.tabs.setCurrentIndex(2)
    settle()
    report.check("on the window: monthly sheet", on_window, ("窗口人员", "窗口名称"))
    from clerk_desk.forms import attendance_sheet

    assert on_window.sheet is not None
    paper = paper_of(on_window.sheet, desk.clerk_session.site.site_name or "", desk.clerk_session.user.display_name,
                     datetime.now(UTC))
    before = report.canary.hits()
    path = attendance_sheet.save_pdf(paper, tmp_path / "sheet.pdf")
    report.paper("paper: monthly attendance sheet", [as_html(attendance_sheet.to_html(paper)), pdf_text(path)],
                 WHERE, report.canary.hits() - before)
    on_window.save_path_fn = lambda suggested: str(tmp_path / suggested)
    on_window.export_button.click()
    [saved] = list(tmp_path.glob("*.xlsx"))
    report.workbook("file: monthly attendance sheet (.xlsx)", saved, WHERE)
    for w in keep:
        w.close()
    QApplication.processEvents()
    assert not notes.texts("error"), notes.messages
    assert_clean(report, first)
