"""The case list on a real SQLite file: views and counts, search, lazy paging, countdown colours,
stale answers dropped, transfer from the list. Driven through objectNames."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QPushButton, QStyle, QStyleOptionViewItem, QTabBar, QTableView
from pytestqt.qtbot import QtBot

from clerk_desk.domain.case_numbers import group_for_reading
from clerk_desk.services import case_queries as q
from clerk_desk.services.case_read import read_case
from clerk_desk.ui import notify
from clerk_desk.ui.cases.case_list_page import CaseListPage
from clerk_desk.ui.cases.case_table_model import (
    COL_APPLICANT,
    COL_DUE,
    COL_NUMBER,
    COL_STATUS,
    COL_TRANSFER,
    URGENCY_ROLE,
    CaseTableModel,
)
from clerk_desk.ui.colour_cells import KeepColours
from clerk_desk.ui.column_fit import CASE_NUMBER_TAIL, ColumnFit, ElideHead
from clerk_desk.ui.task_runner import SyncTaskRunner
from tests.ui.cases.case_kit import AT, DIBAO, DeferredRunner, Desk, paused_in_the_back_office, resident_id


@pytest.fixture
def page(desk: Desk, qtbot: QtBot, notes: notify.RecordingNotifier) -> CaseListPage:
    p = CaseListPage(desk.db, SyncTaskRunner(), desk.session, now=desk.clock)
    qtbot.addWidget(p)
    p.resize(1200, 700)
    p.show()
    return p


def child(page: CaseListPage, kind: type, name: str):  # noqa: ANN201
    w = page.findChild(kind, name)
    assert w is not None, name
    return w


def settle(page: CaseListPage, qtbot: QtBot) -> None:
    """The tab counts are read after the rows are shown: wait for them."""
    qtbot.waitUntil(lambda: page.counts_current, timeout=3000)


def shown(page: CaseListPage) -> list[str]:
    return [r.case_number for r in page.model.rows]


def search(page: CaseListPage, qtbot: QtBot, text: str) -> list[str]:
    box: QLineEdit = child(page, QLineEdit, "casesSearch")
    box.clear()
    if text.isascii():
        qtbot.keyClicks(box, text)
    else:
        box.setText(text)  # Chinese comes through the input method; QTest types ASCII only
    qtbot.keyClick(box, Qt.Key.Key_Return)  # Enter applies at once; otherwise the 200 ms debounce does
    return shown(page)


def switch(page: CaseListPage, view: q.WindowView) -> list[str]:
    tabs: QTabBar = child(page, QTabBar, "casesViewTabs")
    tabs.setCurrentIndex([q.WindowView(tabs.tabData(i)) for i in range(tabs.count())].index(view))
    return shown(page)


def test_views_and_their_counts(page: CaseListPage, desk: Desk, qtbot: QtBot) -> None:
    yesterday = desk.accept("王五", at=AT - timedelta(days=1))
    desk.svc.transfer(yesterday.case_uuid, desk.clerk, now=AT - timedelta(days=1, minutes=-3))
    waiting = [desk.accept(f"张{i}", at=AT + timedelta(minutes=i)) for i in range(3)]
    desk.svc.transfer(waiting[0].case_uuid, desk.clerk, now=AT + timedelta(minutes=4))
    refused = desk.refuse(at=AT + timedelta(minutes=5))
    page.refresh()
    settle(page, qtbot)
    tabs: QTabBar = child(page, QTabBar, "casesViewTabs")
    assert [tabs.tabText(i) for i in range(tabs.count())] == [
        "今日  4", "待流转  2", "后台办理中  2", "待出件  0", "全部  5"]
    assert child(page, type(page.count_label), "casesCount").text() == "共 4 件"
    assert yesterday.case_number not in switch(page, q.WindowView.TODAY) and len(shown(page)) == 4
    assert set(switch(page, q.WindowView.TO_TRANSFER)) == {w.case_number for w in waiting[1:]}
    assert set(switch(page, q.WindowView.BACK_OFFICE)) == {yesterday.case_number, waiting[0].case_number}
    assert switch(page, q.WindowView.RESULTS) == []
    assert page.count_label.text() == "没有办件"
    everything = switch(page, q.WindowView.ALL)
    assert everything[0] == refused.case_number and len(everything) == 5  # newest first


def test_search_by_number_name_id_and_item_words(page: CaseListPage, desk: Desk, qtbot: QtBot) -> None:
    target = desk.accept("欧阳娜娜", "11010519491231002X")
    for i in range(4):
        desk.accept(f"李{i}", item=DIBAO)
    switch(page, q.WindowView.ALL)
    assert search(page, qtbot, target.case_number) == [target.case_number]
    assert search(page, qtbot, group_for_reading(target.case_number)) == [target.case_number]
    assert search(page, qtbot, "欧阳") == [target.case_number]
    assert search(page, qtbot, "11010519491231002x") == [target.case_number]  # exact ID, any case of the X
    assert search(page, qtbot, "110105194912310") == []  # part of an ID is not a search for people
    assert search(page, qtbot, "养老保险注销") == [target.case_number]  # item words, through the catalog
    assert len(search(page, qtbot, "低保")) == 4
    settle(page, qtbot)
    tabs: QTabBar = child(page, QTabBar, "casesViewTabs")
    assert tabs.tabText(4) == "全部  4"  # the counts follow the search


def test_typing_waits_for_a_pause_before_searching(page: CaseListPage, desk: Desk, qtbot: QtBot) -> None:
    desk.accept("欧阳娜娜")
    desk.accept("李四")
    page.refresh()
    child(page, QLineEdit, "casesSearch").setText("欧阳")
    assert len(shown(page)) == 2  # not yet: the debounce is running
    qtbot.waitUntil(lambda: len(shown(page)) == 1, timeout=2000)


def test_scrolling_to_the_bottom_fetches_the_next_page(page: CaseListPage, desk: Desk, qtbot: QtBot) -> None:
    for i in range(250):
        desk.accept(f"王{i}", resident_id(i), at=AT + timedelta(seconds=i))
    page.refresh()
    table: QTableView = child(page, QTableView, "casesTable")
    assert page.model.rowCount() == 100 and page.model.canFetchMore()
    table.scrollToBottom()
    qtbot.waitUntil(lambda: page.model.rowCount() == 200)
    table.scrollToBottom()
    qtbot.waitUntil(lambda: page.model.rowCount() == 250)
    assert not page.model.canFetchMore()
    numbers = shown(page)
    assert len(set(numbers)) == 250 and numbers == sorted(numbers, reverse=True)


def test_countdown_turns_amber_in_the_last_third_and_red_at_the_deadline(
    page: CaseListPage, desk: Desk, qtbot: QtBot
) -> None:
    desk.accept("承诺件")  # 15 minutes: amber from 5:00 left
    desk.accept("加急件", item=DIBAO)  # urgent, 5 minutes: amber from 1:40 left
    switch(page, q.WindowView.TO_TRANSFER)
    model = page.model
    by_name = {model.row_at(r).applicant_name: r for r in range(model.rowCount())}

    def state(name: str) -> tuple[str, str]:
        i = model.index(by_name[name], COL_TRANSFER)
        return model.data(i), model.data(i, URGENCY_ROLE)

    # a duration in words: "15:00" would read as three in the afternoon
    assert state("承诺件") == ("剩余 15 分 00 秒", "") and state("加急件") == ("剩余 5 分 00 秒", "")
    desk.clock.advance(minutes=3, seconds=19)
    assert state("加急件") == ("剩余 1 分 41 秒", "")
    desk.clock.advance(seconds=1)
    assert state("加急件") == ("剩余 1 分 40 秒", "amber")
    desk.clock.advance(minutes=6, seconds=39)  # 9:59 in
    assert state("承诺件") == ("剩余 5 分 01 秒", "") and state("加急件")[1] == "red"
    desk.clock.advance(seconds=1)
    assert state("承诺件") == ("剩余 5 分 00 秒", "amber")
    desk.clock.advance(minutes=4, seconds=59)
    assert state("承诺件") == ("剩余 1 秒", "amber")
    desk.clock.advance(seconds=1)
    assert state("承诺件") == ("超时 0 秒", "red")
    desk.clock.advance(minutes=70)
    assert state("承诺件") == ("超时 1 小时 10 分", "red")
    assert model.data(model.index(by_name["承诺件"], COL_TRANSFER), Qt.ItemDataRole.BackgroundRole) is not None
    # the timer repaints the countdown column only
    with qtbot.waitSignal(model.dataChanged, timeout=3000) as changed:
        pass
    top, bottom = changed.args[0], changed.args[1]
    assert top.column() == bottom.column() == COL_TRANSFER and bottom.row() == model.rowCount() - 1


def test_due_date_is_red_once_passed_while_the_case_is_open(page: CaseListPage, desk: Desk) -> None:
    desk.accept()
    page.refresh()
    model = page.model
    assert model.data(model.index(0, COL_DUE)) == "2026-10-09"
    assert model.data(model.index(0, COL_DUE), URGENCY_ROLE) == ""
    desk.clock.advance(days=11)
    assert model.data(model.index(0, COL_DUE), URGENCY_ROLE) == "red"


def test_an_answer_to_an_older_filter_is_dropped(desk: Desk, qtbot: QtBot) -> None:
    desk.accept("欧阳娜娜")
    desk.accept("李四")
    runner = DeferredRunner()
    model = CaseTableModel(desk.db, runner, now=desk.clock)
    model.set_query(q.WindowView.ALL, "")
    model.set_query(q.WindowView.ALL, "欧阳")
    runner.deliver(1)  # the newer answer first
    assert [r.applicant_name for r in model.rows] == ["欧阳娜娜"]
    runner.deliver(0)  # then the old one, late
    assert [r.applicant_name for r in model.rows] == ["欧阳娜娜"]


def test_transfer_from_the_list_confirms_and_names_late_cases(
    page: CaseListPage, desk: Desk, notes: notify.RecordingNotifier, qtbot: QtBot
) -> None:
    late = desk.accept("迟到")
    desk.clock.advance(minutes=16)
    on_time = desk.accept("准时")
    switch(page, q.WindowView.TO_TRANSFER)
    transfer: QPushButton = child(page, QPushButton, "casesTransfer")
    assert not transfer.isEnabled()
    page.table.selectAll()
    assert transfer.isEnabled()
    transfer.click()
    (question,) = notes.texts("confirm")
    assert notes.defaults == [True]  # handing over is the next step: Enter takes it
    assert "2 件" in question and late.case_number in question and on_time.case_number not in question
    assert "超时 1 分 00 秒" in question
    assert shown(page) == []
    settle(page, qtbot)
    assert page.tabs.tabText(2) == "后台办理中  2"
    events = [e.type for e in read_case(desk.db, late.case_uuid).events]
    assert events[-1] == "transferred"
    assert read_case(desk.db, late.case_uuid).events[-1].payload["late"] is True


def test_transfer_declined_changes_nothing(page: CaseListPage, desk: Desk, notes: notify.RecordingNotifier) -> None:
    desk.accept()
    switch(page, q.WindowView.TO_TRANSFER)
    notes.answer = False
    page.table.selectRow(0)
    child(page, QPushButton, "casesTransfer").click()
    assert len(shown(page)) == 1
    assert [e.type for e in read_case(desk.db, desk.made[0].case_uuid).events] == ["accepted"]


def test_enter_in_the_table_opens_the_case(page: CaseListPage, desk: Desk, qtbot: QtBot) -> None:
    made = desk.accept()
    page.refresh()
    box = child(page, QLineEdit, "casesSearch")
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Down)
    with qtbot.waitSignal(page.caseOpened) as opened:
        qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert opened.args == [made.case_uuid]


def test_a_selected_row_keeps_its_red_countdown(page: CaseListPage, desk: Desk, qtbot: QtBot) -> None:
    """The selection colours a row light blue with dark text; a late countdown stays white on red."""
    desk.accept("王五", at=desk.clock.now - timedelta(minutes=20))  # 5 minutes past its 15
    switch(page, q.WindowView.TO_TRANSFER)
    index = page.model.index(0, COL_TRANSFER)
    assert page.model.data(index, URGENCY_ROLE) == "red"

    def centre_colour() -> tuple[int, int, int]:
        page.table.viewport().update()
        image = page.table.viewport().grab().toImage()
        rect = page.table.visualRect(index)
        c = image.pixelColor(rect.left() + 4, rect.center().y())  # beside the text, inside the frame
        return c.red(), c.green(), c.blue()

    before = centre_colour()
    page.table.selectRow(0)
    assert page.table.selectionModel().isRowSelected(0)
    after = centre_colour()
    assert before == after == (0xC0, 0x39, 0x2B)  # #c0392b, selected or not
    other = page.model.index(0, 3)  # an ordinary cell of the same row does take the selection colour
    image = page.table.viewport().grab().toImage()
    rect = page.table.visualRect(other)
    highlight = page.table.palette().highlight().color().name()
    assert image.pixelColor(rect.right() - 3, rect.center().y()).name() == highlight


def test_only_the_columns_the_model_colours_are_painted_by_the_python_delegate(page: CaseListPage, desk: Desk) -> None:
    """Every cell with a colour of its own is in a column KeepColours paints; the other columns keep Qt's own
    delegate (no call into Python for each of their cells on every paint)."""
    desk.accept("王五", at=desk.clock.now - timedelta(minutes=20))  # red countdown
    desk.accept("赵六", at=desk.clock.now - timedelta(minutes=12))  # amber countdown
    desk.accept("钱七")
    page.refresh()
    model, table = page.model, page.table
    coloured = {c for r in range(model.rowCount()) for c in range(model.columnCount())
                if any(model.index(r, c).data(role) is not None
                       for role in (Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.BackgroundRole))}  # fmt: skip
    assert COL_TRANSFER in coloured
    kept = {c for c in range(model.columnCount()) if isinstance(table.itemDelegateForColumn(c), KeepColours)}
    assert coloured <= kept == {COL_TRANSFER, COL_DUE}
    assert not isinstance(table.itemDelegate(), KeepColours)


def test_search_keeps_its_room_on_a_narrow_page(page: CaseListPage, qtbot: QtBot) -> None:
    """At 1366×768 and 150 % the page is about 620 px wide: beside the five tabs the search field was squeezed
    to 「办件编号…」. It sits on the heading's row, wide enough for its hint, and every tab shows whole."""
    page.resize(620, 500)
    qtbot.waitUntil(lambda: page.width() <= 620)
    box: QLineEdit = child(page, QLineEdit, "casesSearch")
    assert box.width() >= box.fontMetrics().horizontalAdvance(box.placeholderText())
    tabs: QTabBar = child(page, QTabBar, "casesViewTabs")
    assert tabs.width() >= tabs.sizeHint().width()  # no tab behind a scroll arrow


def test_on_a_narrow_page_the_number_gives_its_head_before_the_status_and_the_name(page: CaseListPage, desk: Desk,
                                                                                    qtbot: QtBot) -> None:
    """At 1366×768 and 150 % the page has ~730 px: the number kept all 28 characters and the status and the
    applicant were cut to 「已受理…」「欧阳诸…」. Now the number gives up its site code first (drawn
    「…01-20261207-000014」, whole in its tooltip) and a six-character status and name stay whole; with the
    room the number is whole again."""
    desk.accept("欧阳诸葛明月")
    page.refresh()
    table, model = page.table, page.model
    qtbot.waitUntil(lambda: model.rowCount() == 1)
    assert model.index(0, COL_STATUS).data() == "已受理待流转"

    def whole(column: int) -> bool:
        return table.columnWidth(column) >= table.sizeHintForColumn(column)

    page.resize(730, 500)
    qtbot.waitUntil(lambda: not whole(COL_NUMBER))  # the columns refit on the resize
    assert whole(COL_STATUS) and whole(COL_APPLICANT), (table.columnWidth(COL_STATUS), table.sizeHintForColumn(COL_STATUS))
    number = model.index(0, COL_NUMBER).data()
    assert number in model.index(0, COL_NUMBER).data(Qt.ItemDataRole.ToolTipRole)
    # the cut number is drawn from its end (Qt's own elision, asked of the column's delegate) and keeps its
    # device, date and sequence within the room Qt's delegate leaves for the text
    delegate = table.itemDelegateForColumn(COL_NUMBER)
    assert isinstance(delegate, ElideHead)
    option = QStyleOptionViewItem()
    delegate.initStyleOption(option, model.index(0, COL_NUMBER))
    assert option.textElideMode == Qt.TextElideMode.ElideLeft
    margin = table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, table) + 1
    shown = table.fontMetrics().elidedText(number, Qt.TextElideMode.ElideLeft, table.columnWidth(COL_NUMBER) - 2 * margin - 1)
    assert shown.startswith("…") and shown.endswith(number[-CASE_NUMBER_TAIL:]) and "-01-" in shown, shown
    assert table.horizontalScrollBar().maximum() == 0

    page.resize(1400, 700)
    qtbot.waitUntil(lambda: whole(COL_NUMBER))
    assert whole(COL_STATUS) and whole(COL_APPLICANT)


def test_a_ticking_countdown_does_not_fit_the_columns_again(page: CaseListPage, desk: Desk, qtbot: QtBot) -> None:
    """The 流转时限 clock repaints its column every second. Each repaint fitted every column again (~13 ms for
    100 rows on the GUI thread, every second) and put back a column the clerk had just dragged wider."""
    desk.accept("王五", at=desk.clock.now - timedelta(minutes=3))
    page.refresh()
    table, model = page.table, page.model
    qtbot.waitUntil(lambda: model.rowCount() == 1)
    header = table.horizontalHeader()
    qtbot.waitUntil(lambda: not fitting(table))
    dragged = header.sectionSize(COL_APPLICANT) + 80
    header.resizeSection(COL_APPLICANT, dragged)  # as the clerk's drag does
    desk.clock.advance(seconds=1)
    model.repaint_column(COL_TRANSFER)  # what the clock's tick does
    assert not fitting(table)  # (a fit would be waiting now, to run from the event loop)
    assert header.sectionSize(COL_APPLICANT) == dragged


def fitting(table: QTableView) -> bool:
    """A fit of the columns is waiting to run (ui/column_fit.py, from the event loop)."""
    fit = table.findChild(ColumnFit)
    return fit is not None and fit._soon.isActive()


def test_a_paused_case_keeps_its_date_uncoloured_and_says_it_is_the_one_before_the_pause(
        page: CaseListPage, desk: Desk) -> None:
    """特别程序 at the back office stops the clock: the window's list shows the date in force before the pause, not
    overdue (the days stand still), and its tooltip says the date moves later when the clock resumes."""
    made = desk.accept()
    paused_in_the_back_office(desk, made.case_uuid)
    desk.clock.now = datetime(2026, 10, 12, 2, 0, tzinfo=UTC)  # after the old date (9 Oct)
    page.set_view(q.WindowView.BACK_OFFICE)
    model = page.model
    assert model.rowCount() == 1
    assert model.data(model.index(0, COL_DUE)) == "2026-10-09"
    assert model.data(model.index(0, COL_DUE), URGENCY_ROLE) == ""
    tip = model.data(model.index(0, COL_DUE), Qt.ItemDataRole.ToolTipRole)
    assert tip == "2026-10-09 是暂停计时（特别程序）前的办结期限，恢复计时后按暂停的工作日顺延"
