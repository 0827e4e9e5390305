"""Screenshot of the 归档 page for docs/screenshots/ (archive-page.png).

    .venv/bin/python tests/ui/archive/make_screenshots.py [OUT_DIR]

Offscreen, on a temporary demo folder: a day of closed cases in three departments (人社 already archived
in part), a few ticked, as clerk1 at the first window sees them.
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[3]))

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402


def main(argv: list[str]) -> int:
    out = Path(argv[1] if len(argv) > 1 else Path(__file__).resolve().parents[3] / "docs" / "screenshots")
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication([])
    from clerk_desk.services import accounts, archive, demo, site_setup
    from clerk_desk.services.approvals import ApprovalService, Approver
    from clerk_desk.services.intake import Clerk, IntakeService
    from clerk_desk.store.database import Database
    from clerk_desk.ui import look
    from clerk_desk.ui.archive.archive_page import ArchivePage
    from clerk_desk.ui.session import DeskSession
    from clerk_desk.ui.task_runner import SyncTaskRunner
    from tests.services.test_archive import DAY, DIBAO, MORNING, Hall

    look.setup(app)  # type: ignore[arg-type]
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(Path(tmp) / "data")
        demo.ensure_demo_site(db)
        users = {u.username: u for u in accounts.list_users(db)}
        w = site_setup.list_windows(db)[0]
        c, a = users["clerk1"], users["approver1"]
        hall = Hall(db, IntakeService(db), ApprovalService(db), Clerk(c.id, c.username, c.display_name, w.id, w.name),
                    Approver(a.id, a.username, a.display_name), site_setup.site_info(db).site_code or "")
        first = hall.refused(MORNING)
        hall.delivered(MORNING + timedelta(hours=2))  # the department's paper: not on the window's list
        hall.withdrawn(MORNING + timedelta(hours=3))  # withdrawn before the hand-over: the window's
        hall.withdrawn(MORNING + timedelta(hours=3, minutes=30), handed_over=True)  # the department's
        hall.refused(MORNING + timedelta(hours=4))
        hall.refused(MORNING + timedelta(hours=1), DIBAO)
        hall.delivered(MORNING + timedelta(hours=5), DIBAO)
        hall.completed(MORNING + timedelta(minutes=30))
        hall.refused(MORNING - timedelta(days=1))
        archive.archive(db, hall.clerk, hall.site, "rs", [first], DAY, now=MORNING + timedelta(hours=4))
        page = ArchivePage(db, SyncTaskRunner(), DeskSession(c, site_setup.site_info(db), w, "clerk"),
                           today=lambda: DAY)
        page.resize(1366, 768)
        page.show()
        app.processEvents()
        tree = page.tree
        tree.topLevelItem(1).setCheckState(0, Qt.CheckState.Checked)  # 民政: both
        tree.topLevelItem(0).child(1).setCheckState(0, Qt.CheckState.Checked)
        tree.setCurrentItem(tree.topLevelItem(0).child(2))
        app.processEvents()
        page.grab().save(str(out / "archive-page.png"))
        print(out / "archive-page.png")
        page.close()
        db.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
