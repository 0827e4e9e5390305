"""Results ready, by objectName: the notice tells the window of a result that came back (not only a count), the
call list shows phone, item and since when, and 已通知 / 未接通 are recorded; the main window carries the notice
and opens the list from it."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from clerk_desk.services import result_calls as rc
from clerk_desk.services import site_setup
from clerk_desk.ui.main_window import MainWindow
from clerk_desk.ui.results.results_notice import ResultsNotice
from clerk_desk.ui.results.results_page import ResultsPage
from clerk_desk.ui.session import DeskSession
from tests.services.test_approvals import AT, World
from tests.services.test_result_calls import returned


def session(w: World) -> DeskSession:
    from clerk_desk.services import accounts

    u = next(u for u in accounts.list_users(w.db) if u.username == "clerk1")
    return DeskSession(u, site_setup.site_info(w.db), site_setup.list_windows(w.db)[0], "clerk")


def test_the_notice_names_the_result_and_tells_of_new_ones(qtbot, tmp_path: Path, runner) -> None:  # type: ignore[no-untyped-def]
    w = World(tmp_path)
    first = returned(w, 1, 3)
    notice = ResultsNotice(w.db, runner)
    qtbot.addWidget(notice)
    notice.show()
    assert notice.text.text() == ""  # nothing read yet: the start-up flow asks once the first page is up
    notice.read_waiting()
    case_number = rc.call_list(w.db)[0].case_number
    assert notice.isVisible()  # at sign-in: what already waits
    assert (
        notice.text.text()
        == f"审批结果已返回窗口：办件 {case_number}（城乡居民养老保险注销登记，张三），请通知申请人领取。"
    )
    notice.findChild(QPushButton, "resultsNoticeDismiss").click()
    assert not notice.isVisible()
    notice.cases_changed(frozenset({first}))
    assert not notice.isVisible()  # told once
    second = returned(w, 2, 4)
    third = returned(w, 3, 5)
    notice.cases_changed(frozenset({second, third}))
    assert notice.isVisible() and notice.text.text().startswith("2 件审批结果已返回窗口")
    opened: list[bool] = []
    notice.openList.connect(lambda: opened.append(True))
    notice.findChild(QPushButton, "resultsNoticeOpen").click()
    assert opened == [True] and not notice.isVisible()


def test_the_notice_lets_go_of_a_result_once_the_applicant_is_reached_or_it_is_handed_over(  # type: ignore[no-untyped-def]
    qtbot, tmp_path: Path, runner
) -> None:
    """The notice follows the data both ways: a result it names that was called (已通知) or handed over (出件)
    since is no longer said to wait for the applicant to be told."""
    from clerk_desk.services.handover import Handover, deliver

    w = World(tmp_path)
    first, second = returned(w, 1, 3), returned(w, 2, 4)
    notice = ResultsNotice(w.db, runner)
    qtbot.addWidget(notice)
    notice.show()
    notice.read_waiting()
    assert notice.text.text().startswith("2 件审批结果已返回窗口")
    numbers = {line.uuid: line.case_number for line in rc.call_list(w.db)}
    rc.record_call(w.db, first, actor="clerk1", outcome=rc.REACHED, now=AT + timedelta(hours=5))
    notice.cases_changed(frozenset({first}))
    assert notice.isVisible()
    assert notice.text.text() == (
        f"审批结果已返回窗口：办件 {numbers[second]}（城乡居民养老保险注销登记，张三），请通知申请人领取。"
    )
    deliver(w.db, second, w.clerk, Handover("window", "applicant", id_checked=True), now=AT + timedelta(hours=6))
    notice.cases_changed(frozenset({second}))
    assert not notice.isVisible() and notice.waiting == []
    third = returned(w, 3, 7)
    notice.cases_changed(frozenset({third}))  # a new one is told again
    assert notice.isVisible() and numbers.get(third) is None and "请通知申请人领取" in notice.text.text()


def test_the_call_list_is_worked_through(qtbot, tmp_path: Path, runner, notes) -> None:  # type: ignore[no-untyped-def]
    w = World(tmp_path)
    first, later = returned(w, 1, 3), returned(w, 2, 5)
    page = ResultsPage(w.db, runner, session(w), now=lambda: AT + timedelta(hours=7))
    qtbot.addWidget(page)
    page.resize(1366, 700)
    page.show()
    t = page.table
    assert t.rowCount() == 2
    assert [t.item(0, c).text() for c in (2, 3, 4, 5, 6)] == [
        "张三",
        "13812345678",
        "2026-09-29 13:31",
        "3 小时 59 分",
        "",
    ]
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    page.note.setFocus()
    page.note.setText("关机")
    qtbot.keyClick(page.note, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)  # 未接通
    assert t.rowCount() == 2 and t.item(0, 6).text() == "09-29 17:30 未接通（未接通 1 次）"
    assert page.note.text() == ""
    assert page.reached_button.isEnabled(), notes.messages
    page.findChild(QPushButton, "resultsReached").click()  # the same applicant, called again
    assert notes.messages == []
    assert t.rowCount() == 1 and t.item(0, 0).text() == rc.call_list(w.db)[0].case_number
    page.view.setCurrentIndex(page.view.findData("all"))
    assert t.rowCount() == 2 and "已通知" in t.item(0, 6).text()
    assert {line.uuid for line in rc.call_list(w.db, include_reached=True)} == {first, later}
    assert notes.messages == []


def test_the_main_window_carries_the_notice_and_opens_the_list(qtbot, tmp_path: Path, runner) -> None:  # type: ignore[no-untyped-def]
    w = World(tmp_path)
    returned(w, 1, 3)
    window = MainWindow(w.db, runner, session(w))
    qtbot.addWidget(window)
    window.show()
    notice = window.findChild(ResultsNotice, "resultsNotice")
    assert notice is not None and not notice.isVisible()
    window.start_background_reads()  # what the start-up flow does once the first page is up
    assert notice.isVisible()
    notice.findChild(QPushButton, "resultsNoticeOpen").click()
    assert window.stack.currentWidget().objectName() == "page_results"
    window.close()


def test_the_phone_to_call_is_never_cut_at_1366x768_and_150_percent(qtbot, tmp_path: Path, runner) -> None:  # type: ignore[no-untyped-def]
    """The call list is for calling: its phone column keeps the whole number however narrow the page."""
    from PySide6.QtWidgets import QTableWidget

    w = World(tmp_path)
    returned(w, 1, 3)
    window = MainWindow(w.db, runner, session(w))
    qtbot.addWidget(window)
    window.resize(910, 485)  # 1366×768 at 150 %, less the taskbar, in the layout's pixels
    window.show()
    window.start_background_reads()
    window.show_page("results")
    table = window.findChild(QTableWidget, "resultsTable")
    assert table is not None
    qtbot.waitUntil(lambda: table.rowCount() == 1 and table.item(0, 3).text() == "13812345678")
    qtbot.wait(1)  # the columns refit once the rows are in
    phone = table.columnWidth(3)
    assert phone >= table.sizeHintForColumn(3), (phone, table.sizeHintForColumn(3))
    assert table.horizontalScrollBar().maximum() == 0
    from tests.ui.drawn import tells_apart

    assert tells_apart(table) == []  # the number gives up its head, not its sequence (it read 「4212241…」)
    window.close()
