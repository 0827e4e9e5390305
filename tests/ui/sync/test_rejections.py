"""A record the county hub sends back (made for real, see the ``rejected`` fixture in conftest.py): a
notice naming the case, 被退回 in the status bar, and the panel saying why and what to do, with the
case's later record held back."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from clerk_desk.services.case_read import read_case
from tests.ui.sync.conftest import Rejected, shows

STATE_CHANGED = "该办件已在后台被处理，请打开办件查看最新状态后重新操作"


def test_the_clerk_is_told_which_case_came_back(rejected: Rejected, qtbot) -> None:
    notice = rejected.sync.notice
    assert isinstance(notice, QMessageBox) and notice.objectName() == "syncRejectedNotice"
    assert notice.isVisible() and not notice.isModal()  # work goes on
    assert rejected.case_number in notice.text() and "退回" in notice.text()
    qtbot.waitUntil(shows(rejected.started, "被退回 1", "待上传 1"))  # the held print record still waits
    # Rebuilt from what the hub acknowledged: A's transfer, once the same sync round has pulled it (the
    # status bar follows each step of the round, so it may say 被退回 before the pull is applied).
    qtbot.waitUntil(lambda: read_case(rejected.started.launch.db, rejected.case_uuid).status == "transferred")


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


def test_setting_the_returned_records_aside_keeps_them_and_clears_the_panel(rejected: Rejected, qtbot) -> None:
    from sqlalchemy import select

    from clerk_desk.store.models import AuditEntry, CaseEvent
    from clerk_desk.ui import notify

    db = rejected.started.launch.db
    # The sync cycle that brought the rejection also pulls desk A's transfer; let it land first.
    qtbot.waitUntil(lambda: read_case(db, rejected.case_uuid).status == "transferred")
    rejected.sync.notice.findChild(object, "syncNoticeDetails").click()
    panel = rejected.sync.panel
    qtbot.waitUntil(lambda: panel.problems.rowCount() == 2)
    set_aside = panel.findChild(object, "syncSetAside")
    assert not set_aside.isEnabled()
    panel.problems.selectRow(0)
    assert set_aside.isEnabled()
    recorder = notify.RecordingNotifier(answer=True)
    previous = notify.set_notifier(recorder)
    try:
        set_aside.click()
    finally:
        notify.set_notifier(previous)
    assert any("不会被删除" in text or "保留" in text for _kind, text in recorder.messages)
    qtbot.waitUntil(lambda: panel.problems.rowCount() == 0)
    with db.reading() as s:
        states = [e.push_state for e in s.scalars(select(CaseEvent).where(
            CaseEvent.case_uuid == rejected.case_uuid, CaseEvent.origin == "local"))]
        assert states.count("set_aside") == 2  # kept in the record, never sent
        assert s.scalars(select(AuditEntry.action).where(AuditEntry.action == "sync_set_aside")).one()
    assert read_case(db, rejected.case_uuid).status == "transferred"  # as the county hub has it
