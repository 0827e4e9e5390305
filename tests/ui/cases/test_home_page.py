"""The home page says what needs doing now, by role, and each line opens the list's view or the case."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QFrame, QLabel, QPushButton
from pytestqt.qtbot import QtBot

from clerk_desk.services import accounts, site_setup
from clerk_desk.services import case_queries as q
from clerk_desk.services.approvals import ApprovalService, Approver
from clerk_desk.services.inbox import InboxView
from clerk_desk.ui import look
from clerk_desk.ui.home_page import HomePage
from clerk_desk.ui.main_window import MainWindow
from clerk_desk.ui.session import DeskSession
from clerk_desk.ui.task_runner import SyncTaskRunner
from tests.ui.cases.case_kit import DIBAO, Desk


def home_of(qtbot: QtBot, desk: Desk, session: DeskSession) -> tuple[MainWindow, HomePage]:
    window = MainWindow(desk.db, SyncTaskRunner(), session)
    qtbot.addWidget(window)
    home = window.pages["home"]
    assert isinstance(home, HomePage)
    home.now = desk.clock
    window.resize(1366, 697)
    window.show()
    home.refresh()
    return window, home


def lines(home: HomePage, name: str) -> list[QPushButton]:
    QApplication.processEvents()  # a line added to a shown page shows from the event loop
    return [b for b in home.findChildren(QPushButton, name) if b.isVisibleTo(home)]


def test_a_clerk_sees_the_transfers_waiting_with_their_countdown_and_the_results_to_hand_over(
    qtbot: QtBot, desk: Desk
) -> None:
    late = desk.accept("王五", at=desk.clock.now - timedelta(minutes=20))  # 承诺件: 15 minutes
    soon = desk.accept("赵六", item=DIBAO, at=desk.clock.now - timedelta(minutes=4))  # urgent: 5 minutes
    desk.accept("钱七", at=desk.clock.now - timedelta(minutes=1))
    done = desk.accept("孙八", at=desk.clock.now - timedelta(minutes=3))
    desk.svc.transfer(done.case_uuid, desk.clerk, now=desk.clock.now)  # handed over: not waiting any more
    window, home = home_of(qtbot, desk, desk.session)
    head = home.findChild(QPushButton, "homeToTransfer")
    assert head.text() == "待流转后台 3 件，其中 1 件已超时，1 件即将超时"
    rows = lines(home, "homeTransferCase")
    assert [b.text().split(" · ")[1] for b in rows] == ["王五", "赵六", "钱七"]  # the nearest deadline first
    assert rows[0].text().startswith("超时 5 分 00 秒") and rows[0].property("urgency") == "red"
    assert rows[1].text().startswith("剩余 1 分 00 秒") and rows[1].property("urgency") == "amber"
    assert rows[2].text().startswith("剩余 14 分 00 秒") and rows[2].property("urgency") == ""
    desk.clock.advance(seconds=30)
    home.tick()  # the countdowns move without reading
    assert rows[1].text().startswith("剩余 30 秒")
    assert home.findChild(QPushButton, "homeResults") is None  # no result back yet

    head.click()  # the list's view
    cases = window.pages["cases"]
    assert window.stack.currentWidget() is cases and cases.list.view is q.WindowView.TO_TRANSFER
    window.show_page("home")
    rows = lines(home, "homeTransferCase")
    rows[0].setFocus()
    qtbot.keyClick(rows[0], Qt.Key.Key_Return)  # Enter on a line opens its case
    assert window.stack.currentWidget() is cases and cases.currentWidget() is cases.case
    assert cases.case.case_uuid == late.case_uuid
    assert soon.case_uuid != late.case_uuid


def test_an_approver_sees_what_to_sign_for_and_what_is_due(qtbot: QtBot, desk: Desk) -> None:
    users = {u.username: u for u in accounts.list_users(desk.db)}
    a = users["approver1"]
    approver = Approver(a.id, a.username, a.display_name)
    to_sign = desk.accept("王五", at=desk.clock.now - timedelta(days=10))
    desk.svc.transfer(to_sign.case_uuid, desk.clerk, now=desk.clock.now - timedelta(days=10))
    overdue = desk.accept("赵六", at=desk.clock.now - timedelta(days=10))  # 3 working days: long past
    desk.svc.transfer(overdue.case_uuid, desk.clerk, now=desk.clock.now - timedelta(days=10))
    ApprovalService(desk.db).receive(overdue.case_uuid, approver, paper_received=True,
                                     now=desk.clock.now - timedelta(days=9))
    session = DeskSession(a, site_setup.site_info(desk.db), None, "approver")
    window, home = home_of(qtbot, desk, session)
    assert home.findChild(QPushButton, "homeToSign").text() == "待签收 1 件，其中 1 件已超时"  # 签收: 30 minutes
    (sign,) = lines(home, "homeSignCase")
    assert sign.text().startswith("签收超时 9 天 · 王五") and sign.property("urgency") == "red"
    assert home.findChild(QPushButton, "homeDueSoon").text() == "一个工作日内到期或已超期 1 件，其中 1 件已超期"
    (due,) = lines(home, "homeDueCase")
    assert "已超期" in due.text() and "赵六" in due.text() and due.property("urgency") == "red"
    home.findChild(QPushButton, "homeDueSoon").click()
    inbox = window.pages["inbox"]
    assert window.stack.currentWidget() is inbox and inbox.list.view is InboxView.IN_HAND
    window.show_page("home")
    lines(home, "homeSignCase")[0].click()
    assert inbox.currentWidget() is inbox.case and inbox.case.case_uuid == to_sign.case_uuid


def test_an_approver_sees_the_sign_clock_of_each_case_waiting(qtbot: QtBot, desk: Desk) -> None:
    """The county's 签收 minutes (30 by default) from the hand-over, ticking, amber in the last quarter."""
    a = {u.username: u for u in accounts.list_users(desk.db)}["approver1"]
    fresh = desk.accept("王五", at=desk.clock.now - timedelta(minutes=10))
    desk.svc.transfer(fresh.case_uuid, desk.clerk, now=desk.clock.now - timedelta(minutes=5))
    older = desk.accept("赵六", at=desk.clock.now - timedelta(minutes=30))
    desk.svc.transfer(older.case_uuid, desk.clerk, now=desk.clock.now - timedelta(minutes=25))
    _window, home = home_of(qtbot, desk, DeskSession(a, site_setup.site_info(desk.db), None, "approver"))
    assert home.findChild(QPushButton, "homeToSign").text() == "待签收 2 件，1 件即将超时"
    rows = lines(home, "homeSignCase")
    assert [b.text() for b in rows][0].startswith("签收剩余 5 分 00 秒 · 赵六") and rows[0].property("urgency") == "amber"
    assert rows[1].text().startswith("签收剩余 25 分 00 秒 · 王五") and rows[1].property("urgency") == ""
    desk.clock.advance(minutes=5, seconds=30)
    home.tick()  # the clocks move without reading
    assert rows[0].text().startswith("签收超时 30 秒") and rows[0].property("urgency") == "red"


def test_a_supervisor_sees_how_much_is_late_and_an_empty_desk_says_so(qtbot: QtBot, desk: Desk) -> None:
    manager = next(u for u in accounts.list_users(desk.db) if u.username == "manager")
    session = DeskSession(manager, site_setup.site_info(desk.db), None, "clerk")
    _window, home = home_of(qtbot, desk, session)
    assert home.findChild(QLabel, "homeWorkStatus").text() == "现在没有待办的办件。"
    assert home.findChild(QPushButton, "homeLateTransfers").text().endswith("：0 件")
    desk.accept("王五", at=desk.clock.now - timedelta(minutes=40))
    home.refresh()
    assert home.findChild(QPushButton, "homeLateTransfers").text() == "超过流转时限（5 / 15 分钟）未流转：1 件"
    assert home.findChild(QPushButton, "homeLateDecisions").text() == "后台审批已超过承诺办结日期：0 件"


def test_the_home_page_follows_the_data(qtbot: QtBot, desk: Desk) -> None:
    """An intake anywhere on this PC (or a sync) shows in the work waiting without 刷新 (ui/case_watch.py)."""
    desk.accept("王五", at=desk.clock.now - timedelta(minutes=1))
    _window, home = home_of(qtbot, desk, desk.session)
    head = home.findChild(QPushButton, "homeToTransfer")
    assert head.text().startswith("待流转后台 1 件")
    desk.accept("赵六", at=desk.clock.now)  # saved on the worker, not through the home page
    qtbot.waitUntil(lambda: home.findChild(QPushButton, "homeToTransfer").text().startswith("待流转后台 2 件"),
                    timeout=1000)  # fmt: skip


def test_today_is_the_halls_day_and_follows_it_past_midnight(qtbot: QtBot, desk: Desk) -> None:
    """今天 is China's day, read again at each reading: the page showed the PC's own date from when it was built,
    so a desk left signed in overnight said yesterday (and a PC set to another zone another day)."""
    from datetime import UTC, datetime

    desk.clock.now = datetime(2026, 12, 7, 15, 30, tzinfo=UTC)  # 23:30 in the hall
    _window, home = home_of(qtbot, desk, desk.session)
    date = home.findChild(QLabel, "homeDate")
    assert date.text().startswith("2026年12月7日")
    desk.clock.advance(hours=1)  # 00:30 on the 8th in the hall, still the 7th in UTC
    home.refresh()
    assert date.text().startswith("2026年12月8日")


def test_a_long_display_name_keeps_the_home_page_inside_the_window(qtbot: QtBot, desk: Desk) -> None:
    """A display name as long as a pasted line (the accounts may come from the hub) wraps in the greeting
    at 1366×768 and 150 % (910×485 in the layout's pixels) instead of making the page scroll sideways."""
    from PySide6.QtWidgets import QScrollArea

    name = "欧阳" + "晓燕" * 40
    accounts.add_user(desk.db, username="longname", display_name=name, password="Secret-pass-123", roles=["clerk"])
    user = next(u for u in accounts.list_users(desk.db) if u.username == "longname")
    session = DeskSession(user, site_setup.site_info(desk.db), site_setup.list_windows(desk.db)[0], "clerk")
    window, home = home_of(qtbot, desk, session)
    window.resize(910, 485)
    qtbot.wait(1)
    heading = home.findChild(QLabel, "homeHeading")
    assert heading is not None and name in heading.text()
    scroll = window.findChild(QScrollArea, "pageScroll")
    assert scroll is not None and scroll.horizontalScrollBar().maximum() == 0


def test_what_is_waiting_comes_right_after_the_greeting(qtbot: QtBot, desk: Desk) -> None:
    """At 1366×768 and 150 % the window is ~910×470 px: the card of who and where (the status bar says the same)
    stood between the greeting and the work, and with December's calendar warning for an admin at a window
    the work's first line was below the fold. The work comes right after the greeting (and the warning) now."""
    desk.accept("王五", at=desk.clock.now - timedelta(minutes=20))
    window, home = home_of(qtbot, desk, desk.session)
    first = lines(home, "homeTransferCase")[0]
    card = home.findChild(QFrame, "homeCard")
    heading = home.findChild(QLabel, "homeWorkHeading")
    assert heading.geometry().top() < home.work_box.geometry().top() < card.geometry().top()
    assert first.mapTo(home, first.rect().bottomLeft()).y() < card.geometry().top()


def test_the_late_are_counted_over_every_case_waiting_not_only_the_lines_shown(qtbot: QtBot, desk: Desk) -> None:
    """Eight cases waiting for the hand-over, all late: the heading said 「其中 5 件已超时」, counting only the
    five lines it lists."""
    for i in range(8):
        desk.accept(f"王{i}", at=desk.clock.now - timedelta(minutes=60 + i))
    _window, home = home_of(qtbot, desk, desk.session)
    head = home.findChild(QPushButton, "homeToTransfer")
    assert head.text() == "待流转后台 8 件，其中 8 件已超时"
    assert len(lines(home, "homeTransferCase")) == 5


def test_an_approver_counts_every_late_case_to_sign_for(qtbot: QtBot, desk: Desk) -> None:
    users = {u.username: u for u in accounts.list_users(desk.db)}
    a = users["approver1"]
    for i in range(7):
        case = desk.accept(f"王{i}", at=desk.clock.now - timedelta(hours=3))
        desk.svc.transfer(case.case_uuid, desk.clerk, now=desk.clock.now - timedelta(hours=2))
    site = site_setup.site_info(desk.db)
    _window, home = home_of(qtbot, desk, DeskSession(a, site, None, "approver"))
    head = home.findChild(QPushButton, "homeToSign")
    assert head.text().startswith("待签收 7 件，其中 7 件已超时"), head.text()


def _contrast(a: QColor, b: QColor) -> float:
    def lum(c: QColor) -> float:
        def ch(v: float) -> float:
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
        return 0.2126 * ch(c.redF()) + 0.7152 * ch(c.greenF()) + 0.0722 * ch(c.blueF())
    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.fixture
def styled(qapp: QApplication) -> Iterator[None]:
    before = qapp.styleSheet()
    look.apply_style(qapp)  # as the desk runs
    yield
    qapp.setStyleSheet(before)


def test_a_heading_line_with_the_focus_stays_readable(qtbot: QtBot, desk: Desk, styled: None) -> None:
    """A heading line (待签收 N 件 …) with the keyboard's focus takes the look of the default button, a blue ground:
    its own dark-blue text stayed, at a contrast of about 2:1 (the approver's first line at sign-in). Measured on the
    painted line: its text against its ground reads at 4.5:1 or better, as it does without the focus."""
    users = {u.username: u for u in accounts.list_users(desk.db)}
    a = users["approver1"]
    to_sign = desk.accept("王五", at=desk.clock.now - timedelta(hours=1))
    desk.svc.transfer(to_sign.case_uuid, desk.clerk, now=desk.clock.now - timedelta(hours=1))
    _window, home = home_of(qtbot, desk, DeskSession(a, site_setup.site_info(desk.db), None, "approver"))
    head = home.findChild(QPushButton, "homeToSign")
    assert head is not None
    for focused in (False, True):
        if focused:
            head.setFocus()
            qtbot.waitUntil(head.hasFocus)
        else:
            head.clearFocus()
        QApplication.processEvents()
        image = head.grab().toImage()  # inside the rounded border: the ground and the text
        inner = [image.pixel(x, y) for x in range(4, image.width() - 4) for y in range(4, image.height() - 4)]
        ground = QColor.fromRgb(Counter(inner).most_common(1)[0][0])
        text = max((QColor.fromRgb(p) for p in set(inner)), key=lambda c: _contrast(c, ground))
        assert _contrast(text, ground) >= 4.5, (focused, ground.name(), text.name())
