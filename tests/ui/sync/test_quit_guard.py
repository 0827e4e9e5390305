"""Quitting with records not yet at the county hub warns: 立即同步后退出 / 仍然退出 / 取消."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from clerk_desk.sync import outbox
from tests.support.tcp_proxy import TcpProxy
from tests.ui.sync.conftest import Hub, accept, enrolled_demo_folder, shows, sign_in_clerk

QUESTION = "还有 1 条办件记录尚未上传到县级平台。退出后，下次打开本程序时会继续上传。确定退出吗？"


@pytest.fixture
def offline_desk(hub: Hub, start, qtbot, tmp_path: Path) -> Iterator[tuple[object, TcpProxy]]:
    """An enrolled desk whose link is down, with one intake waiting."""
    with TcpProxy(("127.0.0.1", hub.port)) as proxy:
        s = start(data_dir=enrolled_demo_folder(tmp_path / "desk", proxy.url, hub.code()))
        sign_in_clerk(s)
        qtbot.waitUntil(shows(s, "已连接"), timeout=10_000)
        proxy.down()
        accept(s.launch.db)
        qtbot.waitUntil(shows(s, "未连接", "待上传 1"), timeout=10_000)
        yield s, proxy


def _ask_to_quit(s) -> QMessageBox:  # type: ignore[no-untyped-def]
    window = s.controller.main_window
    window.findChild(object, "actionQuit").trigger()
    box = window.findChild(QMessageBox, "syncQuitDialog")
    assert box is not None and box.isVisible()
    assert box.text() == QUESTION
    return box


def test_cancel_keeps_the_window(offline_desk, qtbot) -> None:
    s, _proxy = offline_desk
    finished: list[int] = []
    s.controller.finished.connect(finished.append)
    box = _ask_to_quit(s)
    assert {b.text() for b in box.buttons()} == {"立即同步后退出", "仍然退出", "取消"}
    box.findChild(object, "syncQuitCancel").click()
    qtbot.wait(50)
    assert finished == [] and s.controller.main_window.isVisible()
    assert s.controller.sync.quit_guard.box is None  # asking again works
    _ask_to_quit(s).findChild(object, "syncQuitCancel").click()


def test_quit_anyway_quits_and_the_record_waits_for_next_time(offline_desk, qtbot) -> None:
    s, _proxy = offline_desk
    with qtbot.waitSignal(s.controller.finished, timeout=5_000):
        _ask_to_quit(s).findChild(object, "syncQuitAnyway").click()
    assert outbox.counts(s.launch.db).waiting == 1


def test_sync_then_quit_uploads_first(offline_desk, qtbot) -> None:
    s, proxy = offline_desk
    box = _ask_to_quit(s)
    proxy.up()
    with qtbot.waitSignal(s.controller.finished, timeout=15_000):
        box.findChild(object, "syncQuitAfterSync").click()
    assert s.controller.sync.quit_guard.left_after_sync == 0
    assert outbox.counts(s.launch.db).waiting == 0


def test_sync_then_quit_while_still_offline_says_what_stayed_behind(offline_desk, qtbot) -> None:
    """立即同步后退出 with the link still down: no silent 10 s wait and quit, but a word, then quit."""
    s, _proxy = offline_desk
    finished: list[int] = []
    s.controller.finished.connect(finished.append)
    window = s.controller.main_window
    _ask_to_quit(s).findChild(object, "syncQuitAfterSync").click()

    def told() -> bool:
        box = window.findChild(QMessageBox, "syncQuitLeft")
        return box is not None and box.isVisible()

    qtbot.waitUntil(told, timeout=8_000)  # the failed cycle ends the wait, well before the 10 s limit
    box = window.findChild(QMessageBox, "syncQuitLeft")
    assert box.text().startswith("1 条记录未能上传到县级平台（") and "下次打开本程序时自动上传" in box.text()
    assert finished == []  # not before the clerk read it
    with qtbot.waitSignal(s.controller.finished, timeout=5_000):
        box.button(QMessageBox.StandardButton.Ok).click()
    assert outbox.counts(s.launch.db).waiting == 1  # kept for next time


def test_sync_now_while_offline_answers_in_the_panel(offline_desk, qtbot) -> None:
    s, _proxy = offline_desk
    s.controller.sync.open_panel()
    panel = s.controller.sync.panel
    outcome = panel.findChild(object, "syncNowOutcome")
    panel.findChild(object, "syncNow").click()
    assert not panel.sync_now.isEnabled()  # one press, one answer
    qtbot.waitUntil(lambda: outcome.isVisible(), timeout=8_000)
    assert "未能同步" in outcome.text() and "连通后自动上传" in outcome.text()
    assert panel.sync_now.isEnabled()


def test_nothing_waiting_quits_without_asking(hub: Hub, start, qtbot, tmp_path: Path) -> None:
    s = start(data_dir=enrolled_demo_folder(tmp_path / "desk", hub.url, hub.code()))
    sign_in_clerk(s)
    with qtbot.waitSignal(s.controller.finished, timeout=5_000):
        s.controller.main_window.close()
    assert s.controller.main_window.findChild(QMessageBox, "syncQuitDialog") is None


def test_a_pc_that_is_not_enrolled_is_not_warned(start, qtbot) -> None:
    s = start()
    sign_in_clerk(s)
    accept(s.launch.db)
    with qtbot.waitSignal(s.controller.finished, timeout=5_000):
        s.controller.main_window.close()
