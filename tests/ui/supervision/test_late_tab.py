"""The supervisor's 督办 page on a generated fortnight (tests/services/supervision_world.py): the table shows
the service's list, the filters narrow it, a double click opens the case on the cases page of the main
window, and an act elsewhere shows without 刷新 (ui/case_watch.py)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from clerk_desk.domain import supervision as sv
from clerk_desk.services import accounts, site_setup, supervision
from clerk_desk.ui.column_fit import ElideHead
from clerk_desk.ui.session import DeskSession
from clerk_desk.ui.supervision.late_tab import how_late
from clerk_desk.ui.supervision.supervision_page import SupervisionPage
from clerk_desk.ui.task_runner import SyncTaskRunner
from tests.services import supervision_world as gen
from tests.services.test_approvals import World


@pytest.fixture
def world(tmp_path: Path) -> tuple[World, dict[str, str]]:
    w = World(tmp_path / "desk")
    return w, gen.build(w, 32)


def manager(w: World) -> DeskSession:
    user = next(u for u in accounts.list_users(w.db) if u.username == "manager")
    return DeskSession(user, site_setup.site_info(w.db), None, "clerk")


def shown_page(qtbot: QtBot, w: World, width: int | None = None) -> tuple[SupervisionPage, datetime]:
    """The manager's supervision page on screen (``width`` px wide if given) at the fourth of the clock's times,
    and that time."""
    now = gen.clock_times()[3]
    page = SupervisionPage(w.db, SyncTaskRunner(), manager(w), now=lambda: now)
    qtbot.addWidget(page)
    if width is not None:
        page.resize(width, 700)
    page.show()
    return page, now


def narrow_page(qtbot: QtBot, w: World) -> SupervisionPage:
    """The supervision page at ~620 px, the room it has at 1366×768 and 150 %."""
    return shown_page(qtbot, w, 620)[0]


def test_the_table_is_the_list_and_the_filters_narrow_it(qtbot: QtBot, world: tuple[World, dict[str, str]]) -> None:
    w, _made = world
    page, now = shown_page(qtbot, w)
    late = page.late
    expected = supervision.scan(w.db, now).rows
    assert late.model.rows == list(expected) and expected
    shown = late.model.rowCount()
    late.stage.setCurrentIndex(late.stage.findData(sv.Stage.DECISION.value))
    assert 0 < late.model.rowCount() < shown
    assert {r.alert.stage for r in late.model.rows} == {sv.Stage.DECISION}
    late.department.setCurrentIndex(late.department.findData("mz"))
    assert all(r.alert.department_code == "mz" for r in late.model.rows)
    late.stage.setCurrentIndex(0)
    late.department.setCurrentIndex(0)
    late.late_only.setChecked(True)
    assert all(r.alert.late for r in late.model.rows)
    assert "已超期" in late.summary.text()
    late.late_only.setChecked(False)
    with qtbot.waitSignal(page.openCase) as opened:
        late.table.doubleClicked.emit(late.model.index(0, 0))
    assert opened.args == ["cases", late.model.rows[0].alert.case_uuid]


def test_the_page_follows_the_data(qtbot: QtBot, world: tuple[World, dict[str, str]]) -> None:
    w, made = world
    now = gen.clock_times()[-1]
    page = SupervisionPage(w.db, SyncTaskRunner(), manager(w), now=lambda: now)
    qtbot.addWidget(page)
    page.show()
    waiting = next(u for u, s in made.items() if s == "transferred")
    assert any(r.alert.case_uuid == waiting and r.alert.stage is sv.Stage.SIGN for r in page.late.model.rows)
    w.svc.receive(waiting, w.approver, paper_received=True, now=now)
    page.cases_changed(frozenset({waiting}))
    assert not any(r.alert.case_uuid == waiting and r.alert.stage is sv.Stage.SIGN for r in page.late.model.rows)


def test_how_late_reads_in_each_stages_unit(qtbot: QtBot) -> None:
    base = dict(case_uuid="u", case_number="n", site_code="s", department_code="d", item_name="i", holder="",
                window_id=None)
    from datetime import UTC, datetime

    at = datetime(2026, 10, 10, tzinfo=UTC)
    assert how_late(sv.Alert(**base, stage=sv.Stage.TRANSFER, level=sv.Level.RED, deadline=at, over_s=125)) == "超时 2 分钟"
    assert how_late(sv.Alert(**base, stage=sv.Stage.SIGN, level=sv.Level.AMBER, deadline=at, over_s=-180)) == "还剩 3 分钟"
    assert how_late(sv.Alert(**base, stage=sv.Stage.DECISION, level=sv.Level.RED, deadline=at, over_days=2)) == "超期 2 个工作日"
    assert how_late(sv.Alert(**base, stage=sv.Stage.DECISION, level=sv.Level.AMBER, deadline=at, over_days=-1)) == "还剩 1 个工作日"
    assert how_late(sv.Alert(**base, stage=sv.Stage.RESULT, level=sv.Level.RED, deadline=at, over_days=4)) == "超期 4 天"


def test_a_paused_case_in_the_late_list_says_its_clock_is_stopped(qtbot: QtBot) -> None:
    """特别程序 stops the clock: the 督办 list read 「还剩 1 个工作日」 and a deadline that passes while the case is paused,
    as if it were counting; it says the clock is stopped (the days stand at the pause, the deadline moves on resume)."""
    from dataclasses import replace
    from datetime import UTC

    from clerk_desk.domain.lifecycle import Status
    from clerk_desk.services.calendar_service import work_calendar

    calendar = work_calendar(None)  # the shipped calendar (2026)
    due = datetime(2026, 10, 15, 15, 59, tzinfo=UTC)  # Thu 15 Oct, the end of the hall's day
    w = sv.Watched("u", "n", "s", "rs", "养老", Status.PAUSED, due_at=due, received_by="approver1",
                   paused_since=datetime(2026, 10, 14, 7, tzinfo=UTC))  # paused on Wed, one working day left
    (alert,) = sv.alerts(w, datetime(2026, 10, 16, 2, tzinfo=UTC), calendar)  # Fri: past the old deadline
    assert (alert.stage, alert.level, alert.paused) == (sv.Stage.DECISION, sv.Level.AMBER, True)
    assert how_late(alert) == "还剩 1 个工作日（暂停计时）"
    running = replace(w, status=Status.IN_REVIEW, paused_since=None)
    (late,) = sv.alerts(running, datetime(2026, 10, 16, 2, tzinfo=UTC), calendar)
    assert not late.paused and how_late(late) == "超期 1 个工作日"


def test_an_order_issued_from_the_list_is_answered_on_the_case_and_shown_answered(
        qtbot: QtBot, world: tuple[World, dict[str, str]], notes: object) -> None:  # fmt: skip
    from clerk_desk.domain.lifecycle import Side  # noqa: F401 (the window answers)
    from clerk_desk.services.case_read import read_case
    from clerk_desk.ui.supervision.order_dialogs import OrderBanner

    w, _made = world
    now = gen.clock_times()[3]
    session = manager(w)
    page = SupervisionPage(w.db, SyncTaskRunner(), session, now=lambda: now)
    qtbot.addWidget(page)
    page.show()
    late = page.late
    assert late.start_issue() is None  # nothing selected: the supervisor is told to pick a case
    assert notes.messages[-1][1] == "请先在列表中选择一件办件。"  # type: ignore[attr-defined]
    late.table.setCurrentIndex(late.model.index(0, 0))
    target = late.model.rows[0].alert
    dialog = late.start_issue()
    assert dialog is not None and "请说明" in dialog.reason.toPlainText()
    dialog.reason.setPlainText("")
    dialog.submit.click()
    assert dialog.error.isVisible() and dialog.error.text() == "请填写督办事由"
    dialog.reason.setPlainText("<b>请说明</b>为何未流转")
    assert not late.message.isVisible()
    with qtbot.waitSignal(late.issued):
        dialog.submit.click()
    # the dialog closed and the list is as it was: the page says what was done, and where the answer will be
    assert late.message.isVisible() and late.message.text() == (
        f"已对办件 {target.case_number} 发出督办单，答复期限 2026-10-11；答复后可在“督办单”页查看。")
    page.tabs.setCurrentWidget(page.orders)
    (row,) = page.orders.model.rows
    assert row.order.case_uuid == target.case_uuid and row.order.reason == "<b>请说明</b>为何未流转"
    assert page.orders.model.index(0, 6).data() == "未答复"

    # The window's case page shows it until answered; the answer closes it.
    clerk = DeskSession(next(u for u in accounts.list_users(w.db) if u.username == "clerk1"),
                        site_setup.site_info(w.db), None, "clerk")
    banner = OrderBanner(w.db, SyncTaskRunner(), clerk, "case")
    qtbot.addWidget(banner)
    banner.show_case(target.case_uuid, read_case(w.db, target.case_uuid).events)
    assert banner.isVisibleTo(None) or banner.open  # shown once on a page
    assert [o.reason for o in banner.open] == ["<b>请说明</b>为何未流转"]
    answer = banner.start_answer(banner.open[0])
    answer.text.setPlainText("申请人补充材料后已流转")
    with qtbot.waitSignal(banner.answered):
        answer.submit.click()
    banner.show_case(target.case_uuid, read_case(w.db, target.case_uuid).events)
    assert banner.open == []
    page.orders.refresh()
    page.orders.which.setCurrentIndex(page.orders.which.findData("all"))
    assert page.orders.model.index(0, 6).data() == "已答复"
    assert page.orders.model.index(0, 7).data() == "申请人补充材料后已流转"


def test_the_first_page_paints_before_the_whole_list(qtbot: QtBot, world: tuple[World, dict[str, str]],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    """On the app's thread pool: the oldest case of each stage first, said to be a first page, then the
    whole list in its place."""
    from clerk_desk.ui.supervision import late_tab
    from clerk_desk.ui.task_runner import ThreadTaskRunner

    monkeypatch.setattr(late_tab, "FIRST_PAGE", 1)
    w, _made = world
    now = gen.clock_times()[3]
    page = SupervisionPage(w.db, ThreadTaskRunner(), manager(w), now=lambda: now)
    qtbot.addWidget(page)
    late = page.late
    seen: list[tuple[int, str]] = []
    late.first_page.connect(lambda: seen.append((late.model.rowCount(), late.summary.text())))
    with qtbot.waitSignal(late.loaded, timeout=20_000):
        page.show()
    whole = supervision.scan(w.db, now).rows
    first = supervision.scan(w.db, now, cap=1).rows  # the first page, painted before the whole list is read
    assert seen == [(len(first), "正在读取完整列表…")] and 0 < len(first) < len(whole)
    assert supervision.scan(w.db, now).whole and not supervision.scan(w.db, now, cap=1).whole
    assert late.model.rows == list(whole) and "正在读取" not in late.summary.text()


def test_the_page_fits_a_narrow_screen_without_scrolling_sideways(qtbot: QtBot, world: tuple[World, dict[str, str]]) -> None:
    """At 1366×768 and 150 % the page has ~620 px: the 督办 filters (four lists, a check box, a button) took
    ~1,000 px in one row and the whole page scrolled sideways; they wrap now, and the 统计 tab puts its charts
    below the table and wraps its buttons (ui/flow_layout.py)."""
    w, _made = world
    page = narrow_page(qtbot, w)
    assert page.minimumSizeHint().width() <= 620
    late = page.late
    qtbot.waitUntil(lambda: late.issue_button.isVisible() and late.issue_button.geometry().right() <= late.width())
    row = [late.department, late.window_box, late.person, late.stage, late.late_only, late.issue_button]
    tops = {b.mapTo(late, b.rect().topLeft()).y() for b in row}
    assert len(tops) > 1  # more than one line
    for a in row:  # no two overlap, each whole inside the tab
        ra = a.rect().translated(a.mapTo(late, a.rect().topLeft()))
        assert ra.left() >= 0 and ra.right() <= late.width(), a.objectName()
        for b in row:
            if a is not b:
                assert not ra.intersects(b.rect().translated(b.mapTo(late, b.rect().topLeft()))), (a.objectName(), b.objectName())
    page.tabs.setCurrentWidget(page.figures)
    qtbot.waitUntil(lambda: page.figures.split.orientation() == Qt.Orientation.Vertical)
    page.resize(1400, 700)
    qtbot.waitUntil(lambda: page.figures.split.orientation() == Qt.Orientation.Horizontal)
    page.tabs.setCurrentWidget(late)
    # room enough: one line again
    qtbot.waitUntil(lambda: len({b.mapTo(late, b.rect().topLeft()).y() for b in row[:4]}) == 1)


def test_the_orders_tab_shows_the_chosen_orders_whole_reason_and_answer(
        qtbot: QtBot, world: tuple[World, dict[str, str]]) -> None:  # fmt: skip
    """At 150 % the 督办单 table has room for a few characters of the reason and of the answer: the order
    chosen in the list is shown whole below it (who issued it, who answered, when, what)."""
    from datetime import date, timedelta

    from clerk_desk.domain.lifecycle import Side
    from clerk_desk.services import supervision_orders as orders

    w, made = world
    now = gen.clock_times()[3]
    case = next(u for u, s in made.items() if s == "received")
    reason = "已超过承诺办结时限，请说明原因，并于答复期限前办结或说明需延期的依据"
    order = orders.issue(w.db, case, "manager", reason=reason, reply_by=date(2026, 10, 12), now=now)
    said = "材料已审核完毕，等待分管领导签批，预计下周一办结，届时电话通知申请人领取"
    orders.answer(w.db, order, "approver1", Side.BACK_OFFICE, text=said, now=now + timedelta(hours=2))
    page = SupervisionPage(w.db, SyncTaskRunner(), manager(w), now=lambda: now)
    qtbot.addWidget(page)
    page.resize(690, 500)  # the page's room at 1366×768 and 150 %
    page.show()
    tab = page.orders
    page.tabs.setCurrentWidget(tab)
    tab.which.setCurrentIndex(tab.which.findData("all"))
    qtbot.waitUntil(lambda: tab.model.rowCount() == 1)
    assert not tab.detail.isVisible()  # nothing chosen yet
    tab.table.setCurrentIndex(tab.model.index(0, 0))
    assert tab.detail.isVisible()
    text = tab.detail.text()
    assert reason in text and said in text and "王芳" in text and "10-10 11:30" in text
    qtbot.waitUntil(lambda: tab.table.columnWidth(6) >= tab.table.sizeHintForColumn(6))  # the state, whole
    assert tab.table.columnWidth(5) >= tab.table.sizeHintForColumn(5)  # the date to answer by, whole (it was cut)
    # the number gave up its site code for that room (drawn from its end)
    assert tab.table.columnWidth(1) < tab.table.sizeHintForColumn(1)
    assert isinstance(tab.table.itemDelegateForColumn(1), ElideHead)
    header = tab.table.horizontalHeader()
    assert sum(header.sectionSize(c) for c in range(header.count()) if not header.isSectionHidden(c)) <= (
        tab.table.viewport().width())  # nothing scrolls sideways
    tab.which.setCurrentIndex(tab.which.findData("open"))  # the order leaves the list: so does its detail
    assert tab.model.rowCount() == 0 and not tab.detail.isVisible()


def test_a_second_order_on_a_case_is_told_of_the_first(qtbot: QtBot, world: tuple[World, dict[str, str]]) -> None:
    """The 督办 list does not show which cases already have an order: issuing again on one says so in the
    dialog (who issued the first, when, by when it is to be answered); the supervisor may still send it."""
    from datetime import date

    from clerk_desk.services import supervision_orders as orders

    w, _made = world
    page, now = shown_page(qtbot, w)
    late = page.late
    late.table.setCurrentIndex(late.model.index(0, 0))
    target = late.model.rows[0].alert
    fresh = late.start_issue()
    assert fresh is not None and not fresh.existing.isVisible()  # no order yet on this case
    fresh.reject()
    orders.issue(w.db, target.case_uuid, "manager", reason="请说明为何未流转", reply_by=date(2026, 10, 12), now=now)
    again = late.start_issue()
    assert again is not None and again.existing.isVisible()
    assert again.existing.text() == (
        "该办件已有 1 份未答复的督办单（陈大厅 于 2026-10-10 09:30 发出，答复期限 2026-10-12）。")
    with qtbot.waitSignal(late.issued):
        again.submit.click()
    assert len(orders.list_orders(w.db, case_uuid=target.case_uuid, open_only=True)) == 2


def test_the_deadline_and_how_late_are_never_cut_at_150_percent(qtbot: QtBot, world: tuple[World, dict[str, str]]) -> None:
    """"超时 257 …" lost its unit at 150 %: how late and the deadline stay whole; the other columns give way
    (and the window and the department leave first), nothing scrolls sideways."""
    w, _made = world
    page = narrow_page(qtbot, w)
    late = page.late
    qtbot.waitUntil(lambda: late.model.rowCount() > 0)
    table = late.table
    for column in (7, 8):  # the deadline, by how much (fitted once the rows have arrived)
        qtbot.waitUntil(lambda c=column: table.columnWidth(c) >= table.sizeHintForColumn(c))
    header = table.horizontalHeader()
    assert sum(header.sectionSize(c) for c in range(header.count()) if not header.isSectionHidden(c)) <= (
        table.viewport().width())
    # the case number, cut to make that room, keeps its end (the device, date and sequence), not its site code
    assert table.columnWidth(2) < table.sizeHintForColumn(2)
    assert isinstance(table.itemDelegateForColumn(2), ElideHead)
