"""Screenshots of the supervisor's pages at 1366×768 for docs/screenshots/ (supervision-*.png).

    .venv/bin/python tests/ui/supervision/make_screenshots.py [OUT_DIR]

Offscreen, the whole main window of the hall supervisor (陈大厅) as a maximised window on a 1366×768 screen,
over the generated fortnight of tests/services/supervision_world.py, at 9:30 on Saturday 10 October 2026
(a make-up working day after the National Day holiday), with one 督办单 issued and one answered.
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[3]))

from PySide6.QtWidgets import QApplication  # noqa: E402

from clerk_desk.domain.lifecycle import Side  # noqa: E402
from clerk_desk.services import accounts, site_setup  # noqa: E402
from clerk_desk.services import supervision_orders as orders  # noqa: E402
from clerk_desk.ui import look  # noqa: E402
from clerk_desk.ui.main_window import MainWindow  # noqa: E402
from clerk_desk.ui.session import DeskSession  # noqa: E402
from clerk_desk.ui.task_runner import SyncTaskRunner  # noqa: E402
from tests.services import supervision_world as gen  # noqa: E402
from tests.services.test_approvals import World  # noqa: E402

NOW = gen.clock_times()[3]


def main(out: Path) -> list[str]:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    translators = look.setup(app)  # type: ignore[arg-type]  # noqa: F841
    written = []
    with tempfile.TemporaryDirectory() as tmp:
        w = World(Path(tmp) / "desk")
        made = gen.build(w, 64)
        received = [u for u, s in made.items() if s == "received"]
        orders.issue(w.db, received[0], "manager", reason="已超过承诺办结时限，请说明原因并尽快办结",
                     reply_by=date(2026, 10, 10), stage="decision", now=gen.clock_times()[1])  # fmt: skip
        done = orders.issue(w.db, received[1], "manager", reason="请说明审批进度", reply_by=date(2026, 10, 9),
                            now=gen.clock_times()[1])  # fmt: skip
        orders.answer(w.db, done, "approver1", Side.BACK_OFFICE, text="材料已审核完毕，等待领导签批，预计周一办结")
        user = next(u for u in accounts.list_users(w.db) if u.username == "manager")
        session = DeskSession(user, site_setup.site_info(w.db), None, "clerk")
        window = MainWindow(w.db, SyncTaskRunner(), session)
        window.resize(1366, 768 - 40 - 31)  # maximised on a 1366×768 screen: less the taskbar and the title bar
        window.show()
        home = window.pages["home"]
        home.now = lambda: NOW  # type: ignore[attr-defined]
        home.refresh()  # type: ignore[attr-defined]
        app.processEvents()

        def save(name: str) -> None:
            for _ in range(3):
                app.processEvents()
            window.grab().save(str(out / name))
            written.append(name)

        save("supervision-home.png")
        window.show_page("supervision")
        page = window.pages["supervision"]
        for tab in (page.late, page.orders, page.violations, page.figures):  # type: ignore[attr-defined]
            tab.now = lambda: NOW
        page.late.refresh()  # type: ignore[attr-defined]
        save("supervision-late.png")
        page.tabs.setCurrentWidget(page.orders)  # type: ignore[attr-defined]
        page.orders.which.setCurrentIndex(page.orders.which.findData("all"))  # type: ignore[attr-defined]
        save("supervision-orders.png")
        page.violations.month.setDate(page.violations.month.date().fromString("2026-10-01", "yyyy-MM-dd"))  # type: ignore[attr-defined]
        page.tabs.setCurrentWidget(page.violations)  # type: ignore[attr-defined]
        save("supervision-violations.png")
        page.figures.month.setDate(page.figures.month.date().fromString("2026-09-01", "yyyy-MM-dd"))  # type: ignore[attr-defined]
        page.tabs.setCurrentWidget(page.figures)  # type: ignore[attr-defined]
        page.figures.which.setCurrentIndex(page.figures.which.findData("window"))  # type: ignore[attr-defined]
        save("supervision-figures.png")
        window.open_in("cases", received[0])
        save("supervision-case-order.png")
        window.close()
        w.db.close()
    return written


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[3] / "docs" / "screenshots"
    target.mkdir(parents=True, exist_ok=True)
    print("wrote", ", ".join(main(target)), "to", target)
