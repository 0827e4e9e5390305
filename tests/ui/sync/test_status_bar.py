"""The status bar item: 未注册 / 已连接 / 未连接, records waiting after an intake, last sync, clock skew."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from pathlib import Path

from PySide6.QtCore import Qt

from clerk_desk.sync import outbox
from clerk_desk.sync.engine import SyncEngine
from clerk_desk.sync.hub_client import HubClient
from clerk_desk.ui.sync.sync_panel import SyncPanel
from tests.support.tcp_proxy import TcpProxy
from tests.ui.sync.conftest import Hub, accept, enrolled_demo_folder, shows, sign_in_clerk, status_widget


def test_a_demo_desk_without_a_hub_says_not_enrolled_and_counts_what_waits(start, qtbot, notes) -> None:
    s = start()
    sign_in_clerk(s)
    qtbot.waitUntil(shows(s, "未注册", "待上传 0"))
    assert s.controller.sync.enrol_dialog is None  # a demo PC is never pressed to enrol
    accept(s.launch.db)  # offline, the intake works exactly as online
    qtbot.waitUntil(shows(s, "未注册", "待上传 1"))
    widget = status_widget(s)
    assert widget.objectName() == "syncStatus"
    assert widget.last.isHidden()  # no "last sync" on a PC that never syncs
    assert "仅保存在本机" in widget.toolTip()
    assert notes.messages == []


def test_connected_offline_and_back_with_waiting_counts(hub: Hub, start, qtbot, tmp_path: Path) -> None:
    with TcpProxy(("127.0.0.1", hub.port)) as proxy:
        folder = enrolled_demo_folder(tmp_path / "desk", proxy.url, hub.code())
        s = start(data_dir=folder)
        sign_in_clerk(s)
        widget = status_widget(s)
        qtbot.waitUntil(lambda: widget.status is not None and widget.status.last_success is not None, timeout=10_000)
        assert widget.texts()[:2] == ["已连接", "待上传 0"]
        assert widget.texts()[2].startswith("上次同步 ") and widget.texts()[2] != "上次同步 从未"
        assert widget.link.styleSheet().count("#1e8449")  # green

        proxy.down()
        accept(s.launch.db)  # the commit wakes the engine; the probe finds the hub gone
        qtbot.waitUntil(shows(s, "未连接", "待上传 1"), timeout=10_000)
        assert "#c0392b" in widget.link.styleSheet()  # red
        assert "无法连接县级平台" in widget.toolTip()

        # A click opens the sync panel, which says why the record waits; 立即同步 sends it once the link is back.
        qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)
        panel = s.controller.sync.panel
        assert isinstance(panel, SyncPanel) and panel.isVisible() and panel.objectName() == "syncPanel"
        qtbot.waitUntil(lambda: panel.waiting.rowCount() == 1)
        assert panel.waiting.item(0, 1).text() == "受理"
        assert panel.waiting_title.text() == "等待上传（1）"
        proxy.up()
        panel.findChild(object, "syncNow").click()
        qtbot.waitUntil(shows(s, "已连接", "待上传 0"), timeout=10_000)
        qtbot.waitUntil(lambda: panel.waiting.rowCount() == 0)
    assert outbox.counts(s.launch.db).waiting == 0


def _skewed(seconds: float):  # type: ignore[no-untyped-def]
    """Simulate a PC whose clock runs ``seconds`` ahead: the hub's time looks that much earlier."""

    def factory(db, client_factory):  # type: ignore[no-untyped-def]
        def make() -> HubClient | None:
            client = client_factory()
            if client is not None:
                real = client.health

                def health():  # type: ignore[no-untyped-def]
                    h = real()
                    return dataclasses.replace(h, server_time=h.server_time - timedelta(seconds=seconds))

                client.health = health  # type: ignore[method-assign]
            return client

        return SyncEngine(db, make)

    return factory


def test_clock_skew_over_two_minutes_is_shown_in_amber(hub: Hub, start, qtbot, tmp_path: Path) -> None:
    s = start(data_dir=enrolled_demo_folder(tmp_path / "desk", hub.url, hub.code()))
    s.controller.engine_factory = _skewed(190)
    sign_in_clerk(s)
    qtbot.waitUntil(shows(s, "已连接", "时钟偏差 +3 分钟"), timeout=10_000)
    assert "时钟" in status_widget(s).toolTip()


def test_small_clock_skew_is_not_shown(hub: Hub, start, qtbot, tmp_path: Path) -> None:
    s = start(data_dir=enrolled_demo_folder(tmp_path / "desk", hub.url, hub.code()))
    s.controller.engine_factory = _skewed(-60)
    sign_in_clerk(s)
    qtbot.waitUntil(shows(s, "已连接"), timeout=10_000)
    assert status_widget(s).skew.isHidden()


def test_sign_out_keeps_the_engine_sending_and_sign_in_attaches_again(start, qtbot) -> None:
    s = start()
    sign_in_clerk(s)
    first = s.controller.sync
    qtbot.waitUntil(lambda: first.running)
    engine = s.controller.engine
    assert engine is not None and engine.running
    s.controller.main_window.sign_out()
    assert s.controller.sync is None and not first.running
    assert engine.running and first.relay.status.emit not in engine.listeners  # detached, still sending
    sign_in_clerk(s)
    assert s.controller.sync is not first and s.controller.engine is engine
    qtbot.waitUntil(shows(s, "未注册"))
    thread = engine._thread
    s.launch.close()  # quitting stops it
    assert thread is not None and not thread.is_alive()


def test_a_pc_left_at_the_sign_in_screen_still_sends(hub: Hub, start, qtbot, tmp_path: Path) -> None:
    """Records made before sign-out reach the hub while nobody is signed in (the engine outlives the session)."""
    with TcpProxy(("127.0.0.1", hub.port)) as proxy:
        folder = enrolled_demo_folder(tmp_path / "desk", proxy.url, hub.code())
        proxy.down()
        s = start(data_dir=folder)
        sign_in_clerk(s)
        accept(s.launch.db)  # offline: it waits
        qtbot.waitUntil(shows(s, "未连接", "待上传 1"), timeout=10_000)  # enrolled, offline since start
        s.controller.main_window.sign_out()
        assert s.controller.dialog is not None and s.controller.dialog.objectName() == "loginDialog"
        proxy.up()
        s.controller.engine.trigger()  # the link probe would find it within its backoff; do not wait for that
        qtbot.waitUntil(lambda: not outbox.waiting(s.launch.db), timeout=15_000)
        assert s.controller.sync is None  # nobody signed in


def test_the_engine_starts_by_itself_when_nobody_signs_in(start, qtbot) -> None:
    s = start()
    s.controller.unattended_sync_after_ms = 50
    s.controller.show_login()  # the dialog again, now with the short delay
    qtbot.waitUntil(lambda: s.controller.engine is not None and s.controller.engine.running, timeout=10_000)
    assert s.controller.sync is None and s.controller.main_window is None
    sign_in_clerk(s)
    assert s.controller.sync is not None and s.controller.sync.engine is s.controller.engine
