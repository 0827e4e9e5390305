"""Screenshots of the case list and the case page for docs/screenshots/ (cases-list.png, cases-page.png).

    .venv/bin/python tests/ui/cases/make_screenshots.py [OUT_DIR]

Offscreen, on a temporary demo folder with a few dozen cases at realistic moments of a morning:
some handed over, some waiting with the countdown running, amber and red.
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[3]))

from PySide6.QtWidgets import QApplication  # noqa: E402

from clerk_desk.services import print_log  # noqa: E402
from clerk_desk.services.intake_forms import ItemRef, Party  # noqa: E402
from clerk_desk.ui import look  # noqa: E402
from clerk_desk.ui.cases.cases_page import CasesPage  # noqa: E402
from clerk_desk.ui.task_runner import SyncTaskRunner  # noqa: E402
from tests.ui.cases import case_kit as fx  # noqa: E402

NAMES = ["王建国", "李秀英", "张伟", "刘芳", "陈静", "杨磊", "黄丽", "赵强", "吴敏", "周杰", "徐娟", "孙涛", "马超", "朱霞", "胡平", "郭刚", "何桂英", "高志强", "林海燕", "罗春生"]
ITEMS = [
    fx.PENSION, fx.DIBAO,
    ItemRef("LOCAL-CL-f08daa12", "残疾人证办理", "cl", "promise", promised_days=7),
    ItemRef("000511002000", "临时生活救助的给付", "mz", "promise", urgent=True, promised_days=1),
]


def build(folder: Path) -> tuple[fx.Desk, str]:
    from clerk_desk.services import accounts, demo, site_setup
    from clerk_desk.services.intake import Clerk, IntakeService
    from clerk_desk.store.database import Database
    from clerk_desk.ui.session import DeskSession

    db = Database(folder)
    demo.ensure_demo_site(db)
    u = next(u for u in accounts.list_users(db) if u.username == "clerk1")
    w = site_setup.list_windows(db)[0]
    now = datetime(2026, 9, 29, 3, 12, 20, tzinfo=UTC)  # 11:12 in the hall
    desk = fx.Desk(db, IntakeService(db), Clerk(u.id, u.username, u.display_name, w.id, w.name),
                   DeskSession(u, site_setup.site_info(db), w, "clerk"), fx.Clock(now))
    # earlier days: handed over, some results back
    for i in range(24):
        c = desk.accept(NAMES[i % len(NAMES)], item=ITEMS[i % 3], at=now - timedelta(days=1 + i // 4, hours=i % 5))
        desk.svc.transfer(c.case_uuid, desk.clerk, now=now - timedelta(days=1 + i // 4, hours=i % 5) + timedelta(minutes=6))
    # this morning: transferred on time, then the ones still at the window
    for i, minutes in enumerate((150, 120, 95, 80, 61)):
        c = desk.accept(NAMES[(i + 5) % len(NAMES)], item=ITEMS[i % 4], at=now - timedelta(minutes=minutes))
        desk.svc.transfer(c.case_uuid, desk.clerk, now=now - timedelta(minutes=minutes - 4))
    desk.refuse("孙涛", at=now - timedelta(minutes=40))
    waiting = [(19, 0), (12, 1), (7, 2), (3.5, 3), (2, 1), (0.5, 0)]  # minutes ago, item
    opened = ""
    for i, (ago, item) in enumerate(waiting):
        agent = Party("person", "王小明", fx.resident_id(77), relation="儿子") if i == 0 else None
        c = desk.accept(NAMES[(i + 11) % len(NAMES)], item=ITEMS[item], at=now - timedelta(minutes=ago),
                        owed=i == 0, agent=agent)
        print_log.record_print(db, c.case_uuid, "receipt", actor="clerk1", now=now - timedelta(minutes=ago - 0.2))
        if i == 0:
            opened = c.case_uuid
            print_log.record_print(db, c.case_uuid, "pledge", actor="clerk1", now=now - timedelta(minutes=ago - 0.3))
            print_log.record_print(db, c.case_uuid, "receipt", actor="clerk1", now=now - timedelta(minutes=ago - 2))
    return desk, opened


def main(out: Path) -> None:
    app = QApplication.instance() or QApplication(sys.argv)
    look.setup(app)  # type: ignore[arg-type]
    with tempfile.TemporaryDirectory() as tmp:
        desk, opened = build(Path(tmp))
        page = CasesPage(desk.db, SyncTaskRunner(), desk.session, now=desk.clock)
        page.resize(1280, 760)
        page.show()
        page.list.set_view(fx_view("today"))
        app.processEvents()
        page.list.table.selectRow(0)
        app.processEvents()
        page.grab().save(str(out / "cases-list.png"))
        page.open_case(opened)
        app.processEvents()
        page.grab().save(str(out / "cases-page.png"))
        page.close()
        desk.db.close()


def fx_view(name: str):  # noqa: ANN201
    from clerk_desk.services.case_queries import WindowView

    return WindowView(name)


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[3] / "docs" / "screenshots"
    target.mkdir(parents=True, exist_ok=True)
    main(target)
    print(f"wrote cases-list.png and cases-page.png to {target}")
