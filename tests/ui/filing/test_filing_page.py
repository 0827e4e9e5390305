"""The approver's 每日归档 page by objectName: the day's signed-for cases ticked and filed, the lists printed
(captured) and printed again saying 补打, the paper of earlier days flagged."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton

from clerk_desk.domain.workdays import SHANGHAI
from clerk_desk.services import accounts, site_setup
from clerk_desk.ui.filing.filing_page import FilingPage
from clerk_desk.ui.session import DeskSession
from tests.services.test_approvals import AT, PENSION, World


def test_file_the_day_and_print_the_lists(qtbot, tmp_path: Path, runner, notes) -> None:  # type: ignore[no-untyped-def]
    w = World(tmp_path)
    early = w.transferred(PENSION, at=AT)
    w.svc.receive(early, w.approver, paper_received=True, now=AT + timedelta(minutes=30))
    a = w.transferred(PENSION, at=AT + timedelta(minutes=1))
    w.svc.receive(a, w.approver, paper_received=True, now=AT + timedelta(days=1, minutes=30))
    day = (AT + timedelta(days=1)).astimezone(SHANGHAI).date()
    u = next(x for x in accounts.list_users(w.db) if x.username == "approver1")
    page = FilingPage(w.db, runner, DeskSession(u, site_setup.site_info(w.db), None, "approver"), today=lambda: day)
    qtbot.addWidget(page)
    page.resize(1366, 700)
    page.show()
    printed: list[object] = []
    page.print_fn = lambda lists: printed.extend(lists) or True
    assert page.table.rowCount() == 1
    late = page.findChild(QLabel, "filingLate")
    assert late.isVisible() and "前几日签收的 1 件纸质材料尚未归档" in late.text()
    submit = page.findChild(QPushButton, "filingSubmit")
    assert not submit.isEnabled()
    page.table.item(0, 0).setCheckState(Qt.CheckState.Checked)
    assert submit.isEnabled()
    submit.click()
    assert len(printed) == 1 and not printed[0].reprint and printed[0].department == "人社"  # type: ignore[attr-defined]
    assert page.table.item(0, 5).text().startswith("已归档")
    assert page.message.text() == "已归档 1 件"
    page.findChild(QPushButton, "filingReprint").click()
    assert len(printed) == 2 and printed[1].reprint  # type: ignore[attr-defined]
    page.date.setDate(page.date.date().addDays(-1))
    assert page.table.rowCount() == 1 and page.table.item(0, 5).text() == ""
    page.check_all()
    submit.click()
    page.date.setDate(page.date.date().addDays(1))
    assert not late.isVisible()
    assert notes.messages == []


def test_paper_withdrawn_after_the_hand_over_is_listed_and_filed_with_a_department_list(
        qtbot, tmp_path: Path, runner, notes) -> None:  # type: ignore[no-untyped-def]  # fmt: skip
    from clerk_desk.services.withdrawal import Withdrawal, accept_withdrawal, request_withdrawal

    w = World(tmp_path)
    uid = w.transferred(PENSION, at=AT)
    request_withdrawal(w.db, uid, w.clerk, Withdrawal("申请人不再办理", id_checked=True), now=AT + timedelta(hours=1))
    accept_withdrawal(w.db, uid, w.approver, now=AT + timedelta(hours=1, minutes=5))
    day = AT.astimezone(SHANGHAI).date()
    u = next(x for x in accounts.list_users(w.db) if x.username == "approver1")
    page = FilingPage(w.db, runner, DeskSession(u, site_setup.site_info(w.db), None, "approver"), today=lambda: day)
    qtbot.addWidget(page)
    printed: list[object] = []
    page.print_fn = lambda lists: printed.extend(lists) or True
    assert page.table.rowCount() == 1 and page.table.item(0, 4).text().endswith("流转后撤回")
    page.check_all()
    page.findChild(QPushButton, "filingSubmit").click()
    assert page.table.item(0, 5).text().startswith("已归档")
    doc = printed[0]
    assert doc.by_department and doc.lines[0].outcome == "流转后撤回"  # type: ignore[attr-defined]
    from clerk_desk.forms.archive_list import save_pdf
    from tests.forms.conftest import pdftotext

    text = "".join(pdftotext(save_pdf([doc], tmp_path / "list.pdf"), "-raw").split())  # type: ignore[list-item]
    assert "签收日期" in text and "移交人（审批经办人）" in text and "收件情况" in text and "办结日期" not in text
    assert "流转后撤回" in text and "接收人（人社档案管理员）" in text
    assert notes.messages == []


def _paper_signed_for_after_midnight(qtbot, tmp_path: Path, runner) -> tuple[FilingPage, list[date]]:  # type: ignore[no-untyped-def]
    """A page built on the day before a case's paper was signed for, and the day it counts as today (a list:
    the test moves it on)."""
    w = World(tmp_path)
    a = w.transferred(PENSION, at=AT)
    w.svc.receive(a, w.approver, paper_received=True, now=AT + timedelta(days=1, minutes=30))
    day = [AT.astimezone(SHANGHAI).date()]
    u = next(x for x in accounts.list_users(w.db) if x.username == "approver1")
    page = FilingPage(w.db, runner, DeskSession(u, site_setup.site_info(w.db), None, "approver"),
                      today=lambda: day[0])
    qtbot.addWidget(page)
    return page, day


def test_a_page_opened_yesterday_lists_today_when_shown_again(qtbot, tmp_path: Path, runner) -> None:  # type: ignore[no-untyped-def]
    """The approver's desk stayed signed in overnight: 每日归档 shown again lists the new day's paper and lets
    that day be chosen (the field stopped at the day the page was built)."""
    page, day = _paper_signed_for_after_midnight(qtbot, tmp_path, runner)
    page.show()
    assert page.table.rowCount() == 0
    page.hide()
    day[0] += timedelta(days=1)
    page.show()
    assert page.day == day[0] and page.date.maximumDate().toPython() == day[0]
    assert page.table.rowCount() == 1


def test_a_page_on_screen_overnight_lists_today_once_the_desk_is_unlocked(qtbot, tmp_path: Path, runner) -> None:  # type: ignore[no-untyped-def]
    """The page stays on screen while the desk is locked overnight (the lock hides nothing): unlocked in the
    morning, its window active again, it lists the new day's paper and lets that day be chosen."""
    from PySide6.QtWidgets import QWidget

    page, day = _paper_signed_for_after_midnight(qtbot, tmp_path, runner)
    page.show()
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    assert page.table.rowCount() == 0
    lock = QWidget()
    qtbot.addWidget(lock)
    lock.show()
    lock.activateWindow()
    qtbot.waitUntil(lambda: not page.isActiveWindow())
    day[0] += timedelta(days=1)
    lock.close()
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    assert page.day == day[0] and page.date.maximumDate().toPython() == day[0]
    assert page.table.rowCount() == 1


def test_the_case_numbers_stay_whole_on_a_narrow_screen(qtbot, tmp_path: Path, runner) -> None:  # type: ignore[no-untyped-def]
    """At 1366×768 and 125 % or 150 % (about 910 and 730 px for the page) the number was cut at its end, and
    every row of a day read 「421224100-01-20261208-0…」: the sequence that tells the cases apart was gone."""
    from dataclasses import replace

    w = World(tmp_path)
    long_name = replace(PENSION, name="城乡居民基本养老保险注销登记（含死亡注销、出国定居注销及重复参保注销）")
    for i in range(3):
        uid = w.transferred(long_name, at=AT + timedelta(minutes=i))
        w.svc.receive(uid, w.approver, paper_received=True, now=AT + timedelta(minutes=30 + i))
    day = AT.astimezone(SHANGHAI).date()
    u = next(x for x in accounts.list_users(w.db) if x.username == "approver1")
    page = FilingPage(w.db, runner, DeskSession(u, site_setup.site_info(w.db), None, "approver"), today=lambda: day)
    qtbot.addWidget(page)
    page.show()
    assert page.table.rowCount() == 3
    metrics = page.table.fontMetrics()
    for width in (910, 730):
        page.resize(width, 600)
        qtbot.waitUntil(lambda w=width: page.table.width() < w)
        qtbot.wait(20)  # (the fit follows the viewport's resize)
        assert page.table.horizontalScrollBar().maximum() == 0
        for r in range(3):
            index = page.table.model().index(r, 0)
            text = page.table.item(r, 0).text()
            margins = page.table.sizeHintForIndex(index).width() - metrics.horizontalAdvance(text)
            drawn = metrics.elidedText(text, Qt.TextElideMode.ElideRight, page.table.columnWidth(0) - margins)
            assert drawn == text, (width, drawn)
