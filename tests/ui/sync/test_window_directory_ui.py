"""An intake at a window the county hub's window directory does not know comes back with the hub's reason,
shown in the sync panel with what to do (real hub on 127.0.0.1, county_hub.windows)."""

from __future__ import annotations

from pathlib import Path

from clerk_desk.services import site_setup
from tests.ui.sync.conftest import SITE, Hub, accept, enrolled_demo_folder, sign_in_clerk


def test_an_unknown_window_is_refused_and_the_panel_says_why(hub: Hub, start, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    hub.admin.window(SITE, "综合窗口（九）", "comprehensive")  # the site's directory lacks the desk's windows
    s = start(data_dir=enrolled_demo_folder(tmp_path / "desk", hub.url, hub.code()))
    sign_in_clerk(s)
    sync = s.controller.sync
    db = s.launch.db
    window = site_setup.list_windows(db)[0].name
    accept(db)
    sync.sync_now()
    qtbot.waitUntil(lambda: sync.notice is not None, timeout=15_000)
    sync.notice.findChild(object, "syncNoticeDetails").click()
    panel = sync.panel
    table = panel.problems
    qtbot.waitUntil(lambda: table.rowCount() >= 1, timeout=10_000)
    row = [table.item(0, c).text() for c in range(table.columnCount())]
    assert row[0] == "被退回"
    assert f"县级平台的窗口目录中，{SITE} 没有窗口“{window}”" in row[4]
    assert "重新选择本机的窗口" in row[5]
