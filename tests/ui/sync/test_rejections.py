"""A record the county hub sends back: a notice naming the case, 被退回 in the status bar, and the panel
saying why and what to do, with the case's later record held back.

Made for real: desk A accepts a case and pushes it; desk B (the GUI) pulls it; A transfers it first;
B transfers it too, offline, and prints its receipt; when B's link is back its transfer is
``stale_version`` and the print record is held.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from clerk_desk.services import print_log
from clerk_desk.services.case_queries import get_case
from clerk_desk.services.intake import IntakeService
from clerk_desk.sync.engine import SyncEngine
from clerk_desk.ui.sync.desk_sync import DeskSync
from tests.support.tcp_proxy import TcpProxy
from tests.sync.conftest import make_desk
from tests.ui.sync.conftest import Hub, accept, clerk_of, enrolled_demo_folder, shows, sign_in_clerk

STATE_CHANGED = "该办件已在后台被处理，请打开办件查看最新状态后重新操作"


@dataclass
class Rejected:
    started: object
    sync: DeskSync
    case_uuid: str
    case_number: str


def one_at_a_time(db, client_factory) -> SyncEngine:  # type: ignore[no-untyped-def]
    """Batches of one, so the print record is still pending when the transfer is sent back (held)."""
    return SyncEngine(db, client_factory, interval_s=3600, batch=1)


@pytest.fixture
def rejected(hub: Hub, start, qtbot, tmp_path: Path) -> Iterator[Rejected]:
    a = make_desk(tmp_path / "a", hub.url, hub.admin)
    uid = accept(a.db)
    a.engine.run_once()
    with TcpProxy(("127.0.0.1", hub.port)) as proxy:
        s = start(data_dir=enrolled_demo_folder(tmp_path / "b", proxy.url, hub.code()))
        s.controller.engine_factory = one_at_a_time
        sign_in_clerk(s)
        sync = s.controller.sync
        qtbot.waitUntil(lambda: sync.status is not None and sync.status.last_success is not None, timeout=10_000)
        b = s.launch.db
        number = get_case(b, uid)["case_number"]  # pulled from the hub
        a.intake.transfer(uid, a.clerk)
        a.engine.run_once()  # A's transfer is at the hub first

        proxy.down()
        IntakeService(b).transfer(uid, clerk_of(b))
        print_log.record_print(b, uid, "receipt", actor="clerk1")
        qtbot.waitUntil(shows(s, "未连接", "待上传 2"), timeout=10_000)
        proxy.up()
        sync.sync_now()
        qtbot.waitUntil(lambda: sync.notice is not None, timeout=10_000)
        yield Rejected(s, sync, uid, number)
    a.db.close()


def test_the_clerk_is_told_which_case_came_back(rejected: Rejected, qtbot) -> None:
    notice = rejected.sync.notice
    assert isinstance(notice, QMessageBox) and notice.objectName() == "syncRejectedNotice"
    assert notice.isVisible() and not notice.isModal()  # work goes on
    assert rejected.case_number in notice.text() and "退回" in notice.text()
    qtbot.waitUntil(shows(rejected.started, "被退回 1", "待上传 1"))  # the held print record still waits
    case = get_case(rejected.started.launch.db, rejected.case_uuid)
    assert case["status"] == "transferred"  # rebuilt from what the hub acknowledged (A's transfer)


def test_the_panel_lists_the_returned_and_the_held_record_with_what_to_do(rejected: Rejected, qtbot) -> None:
    rejected.sync.notice.findChild(object, "syncNoticeDetails").click()
    panel = rejected.sync.panel
    assert panel is not None and panel.isVisible()
    table = panel.problems
    qtbot.waitUntil(lambda: table.rowCount() == 2)
    rows = [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(2)]
    assert rows[0][:3] == ["被退回", "流转后台", rejected.case_number]
    assert rows[0][4] == "办件已在其他电脑或后台被更新" and rows[0][5] == STATE_CHANGED
    assert rows[1][:3] == ["暂缓上传", "打印文书", rejected.case_number]
    assert rows[1][4] == "等待前一事件处理"
    assert panel.problems_title.text() == "被退回与暂缓上传的记录（2）"

    open_case = panel.findChild(object, "syncOpenCase")
    assert not open_case.isEnabled()
    table.selectRow(0)
    assert open_case.isEnabled()
    open_case.click()
    window = rejected.started.controller.main_window
    if "cases" in window.page_keys():  # the cases page opens that case
        assert window.stack.currentWidget().objectName() == "page_cases"
        assert window.pages["cases"].currentWidget() is window.pages["cases"].case


def test_the_status_bar_item_opens_the_same_panel(rejected: Rejected, qtbot) -> None:
    widget = rejected.sync.widget
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)
    first = rejected.sync.panel
    rejected.sync.notice.findChild(object, "syncNoticeClose").click()
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)
    assert rejected.sync.panel is first and first.isVisible()
    qtbot.waitUntil(lambda: rejected.sync.notice is None)
