"""The home page by role, for supervision: the supervisor sees what is late per stage and the 督办单 not yet
answered, each line opening the 督办 page on it; the window's clerk and the department's approver see the
督办单 waiting for their answer, each opening its case."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QLabel, QPushButton
from pytestqt.qtbot import QtBot

from clerk_desk.services import accounts, site_setup
from clerk_desk.services import supervision_orders as orders
from clerk_desk.ui.home_page import HomePage
from clerk_desk.ui.main_window import MainWindow
from clerk_desk.ui.session import DeskSession
from clerk_desk.ui.task_runner import SyncTaskRunner
from tests.services import supervision_world as gen
from tests.services.test_approvals import World

NOW = gen.clock_times()[3]  # Saturday 10 October 2026, a make-up working day


@pytest.fixture
def world(tmp_path: Path) -> tuple[World, dict[str, str]]:
    w = World(tmp_path / "desk")
    made = gen.build(w, 32)
    return w, made


def session_for(w: World, username: str, mode: str = "clerk") -> DeskSession:
    user = next(u for u in accounts.list_users(w.db) if u.username == username)
    window = site_setup.list_windows(w.db)[0] if username == "clerk1" else None
    return DeskSession(user, site_setup.site_info(w.db), window, mode)


def home_of(qtbot: QtBot, w: World, session: DeskSession) -> tuple[MainWindow, HomePage]:
    window = MainWindow(w.db, SyncTaskRunner(), session)
    qtbot.addWidget(window)
    home = window.pages["home"]
    assert isinstance(home, HomePage)
    home.now = lambda: NOW
    window.resize(1366, 697)
    window.show()
    home.refresh()
    QApplication.processEvents()
    return window, home


def lines(home: HomePage, name: str) -> list[QPushButton]:
    QApplication.processEvents()
    return [b for b in home.findChildren(QPushButton, name) if b.isVisibleTo(home)]


def test_the_supervisor_sees_late_work_per_stage_and_open_orders(qtbot: QtBot, world: tuple[World, dict[str, str]]) -> None:
    w, made = world
    case = next(u for u, s in made.items() if s == "received")
    orders.issue(w.db, case, "manager", reason="请说明审批进度", reply_by=date(2026, 10, 9), now=gen.clock_times()[1])
    window, home = home_of(qtbot, w, session_for(w, "manager"))
    stages = lines(home, "homeLateStage")
    assert stages and any(b.text().startswith("后台审批时限：已超期") for b in stages)
    (head,) = lines(home, "homeOpenOrders")
    assert head.text() == "督办单未答复 1 件，其中 1 件已逾期"
    # signed in at no window, the hall manager is no mere administrator (it read 「未选择窗口（仅做系统管理）」)
    assert home.findChild(QLabel, "homeWindow").text() == "未选择窗口（大厅管理：督查督办、统计）"
    (order,) = lines(home, "homeOpenOrder")
    assert order.text().endswith("答复期限 2026-10-09") and "请说明审批进度" in order.toolTip()
    decision = next(b for b in stages if b.text().startswith("后台审批时限"))
    decision.click()
    page = window.pages["supervision"]
    assert window.stack.currentWidget() is page and page.tabs.currentWidget() is page.late
    assert page.late.stage.currentData() == "decision"
    window.show_page("home")
    head.click()
    assert page.tabs.currentWidget() is page.orders


def test_the_clerk_and_the_approver_see_the_orders_to_answer(qtbot: QtBot, world: tuple[World, dict[str, str]]) -> None:
    w, made = world
    case = next(u for u, s in made.items() if s == "received")
    orders.issue(w.db, case, "manager", reason="请说明", reply_by=date(2026, 10, 12), now=gen.clock_times()[1])
    _window, home = home_of(qtbot, w, session_for(w, "clerk1"))
    (head,) = lines(home, "homeOrders")
    assert head.text() == "待答复的督办单 1 件"
    with qtbot.waitSignal(home.openCase) as opened:
        lines(home, "homeOrderCase")[0].click()
    assert opened.args == ["cases", case]
    _window, office = home_of(qtbot, w, session_for(w, "approver1", "approver"))
    assert [b.text() for b in lines(office, "homeOrders")] == ["待答复的督办单 1 件"]
    with qtbot.waitSignal(office.openCase) as opened:
        lines(office, "homeOrderCase")[0].click()
    assert opened.args == ["inbox", case]
