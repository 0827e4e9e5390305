"""Pictures of the sync UI, rendered with the app's style sheet and fonts on real data.

    SYNC_SCREENSHOTS=docs/screenshots .venv/bin/pytest tests/ui/sync/test_screenshots.py

writes docs/screenshots/sync-status.png, sync-panel.png and sync-enrol.png; without the variable they go
to the test's temporary folder (the rendering is still exercised).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QWidget

from clerk_desk.store.models import utcnow
from clerk_desk.sync.engine import SyncStatus
from clerk_desk.ui import look
from tests.ui.sync.conftest import PLAIN_PASSWORD, Hub, Rejected, plain_site_folder


@pytest.fixture
def out(tmp_path: Path, qapp: QApplication) -> Iterator[Path]:
    folder = Path(os.environ.get("SYNC_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    before = qapp.styleSheet()
    look.apply_style(qapp)
    yield folder
    qapp.setStyleSheet(before)


def save(widget: QWidget, path: Path) -> None:
    widget.grab().save(str(path))
    assert path.stat().st_size > 10_000


def test_status_bar_and_panel(rejected: Rejected, out: Path, qtbot) -> None:
    sync = rejected.sync
    sync.notice.close()
    qtbot.waitUntil(lambda: sync.status.last_success is not None and sync.status.last_error is None)
    panel = sync.open_panel()
    qtbot.waitUntil(lambda: panel.problems.rowCount() == 2)
    panel.resize(1100, 640)
    save(panel, out / "sync-panel.png")

    # The status bar as a clerk sees it on a busy morning: connected, records waiting, one sent back,
    # and a PC clock that runs three minutes fast.
    sync.relay.blockSignals(True)
    window = rejected.started.controller.main_window
    sync.widget.set_status(SyncStatus(enrolled=True, link_up=True, last_success=utcnow() - timedelta(minutes=2),
                                      skew_s=185, waiting=3, held=1, rejected=1))
    window.resize(1180, 760)
    save(window, out / "sync-status.png")


def test_enrol_dialog(hub: Hub, start, out: Path, tmp_path: Path) -> None:
    s = start(demo=False, data_dir=plain_site_folder(tmp_path / "pc"))
    s.sign_in("admin", PLAIN_PASSWORD, window=None)
    dialog = s.controller.sync.enrol_dialog
    dialog.hub_url.setText("https://hub.tongshan.gov.cn:8765")
    dialog.code.setText("K7QH-3XWM-ZP9T-4RNC")
    dialog.ca_bundle.setText(r"C:\ProgramData\ClerkDesk\county-ca.pem")
    dialog.ca_bundle.setCursorPosition(0)
    dialog.adjustSize()
    save(dialog, out / "sync-enrol.png")
