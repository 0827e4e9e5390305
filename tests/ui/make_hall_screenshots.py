"""Screenshots of the hall-operation pages for docs/screenshots/ (docs/hall-operations.md), at 1366×768:

    .venv/bin/python tests/ui/make_hall_screenshots.py [OUT_DIR]

Offscreen, on a temporary demo folder: hall-results.png (the 结果通知 call list with the notice above it, in the
main window), hall-pledges.png (容缺跟进), hall-filing.png (每日归档 on the approver's PC), hall-receive.png (签收
with 当面核实 per material), hall-catalog-routing.png (the catalog at a 综合窗口, 公安 and kept items greyed).
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PySide6.QtWidgets import QApplication  # noqa: E402

SIZE = (1366, 768)


def main(argv: list[str]) -> int:
    out = Path(argv[1] if len(argv) > 1 else Path(__file__).resolve().parents[2] / "docs" / "screenshots")
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication([])
    from clerk_desk.services import accounts, site_setup
    from clerk_desk.services.intake_forms import Delivery, IntakeForm, MaterialCheck, Party, Pledge
    from clerk_desk.ui import look, notify
    from clerk_desk.ui.catalog.browser import CatalogBrowser
    from clerk_desk.ui.main_window import MainWindow
    from clerk_desk.ui.session import DeskSession
    from clerk_desk.ui.task_runner import SyncTaskRunner
    from tests.services.test_approvals import PENSION, World
    from tests.services.test_result_calls import returned
    from tests.ui.cases.case_kit import resident_id

    look.setup(app)  # type: ignore[arg-type]
    notify.set_notifier(notify.RecordingNotifier())
    runner = SyncTaskRunner()
    shots: list[Path] = []

    def save(widget: object, name: str) -> None:
        app.processEvents()
        path = out / name
        widget.grab().save(str(path))  # type: ignore[attr-defined]
        shots.append(path)

    with tempfile.TemporaryDirectory() as tmp:
        w = World(Path(tmp))
        db = w.db
        now = datetime.now(UTC)
        users = {u.username: u for u in accounts.list_users(db)}
        windows = site_setup.list_windows(db)
        clerk_session = DeskSession(users["clerk1"], site_setup.site_info(db), windows[0], "clerk")
        approver_session = DeskSession(users["approver1"], site_setup.site_info(db), None, "approver")

        # results back at the window, one called without an answer; pledges, one overdue
        from clerk_desk.services import result_calls as rc

        for n, hours in ((1, -30), (2, -6), (3, -2)):
            returned(w, n, hours)
        rc.record_call(db, rc.call_list(db)[0].uuid, actor="clerk1", outcome=rc.NO_ANSWER, note="关机",
                       now=now - timedelta(hours=1))
        for n, (days_ago, due_in) in enumerate(((6, -2), (2, 3), (1, 5))):
            f = IntakeForm((PENSION,), Party("person", ("刘建国", "陈秀英", "黄德明")[n], resident_id(40 + n),
                                             phone="1390715" + f"{n:04d}"),
                           (MaterialCheck("居民身份证", provided=True, form="original", copies=1),
                            MaterialCheck("户口簿", provided=True, form="copy", copies=1),
                            MaterialCheck("死亡证明", waivable=True, provided=False)))
            at = now - timedelta(days=days_ago)
            w.intake.accept(f, w.clerk, delivery=Delivery("window"), now=at,
                            pledge=Pledge(("死亡证明",), (now + timedelta(days=due_in)).date()))

        window = MainWindow(db, runner, clerk_session)
        window.resize(*SIZE)
        window.show()
        window.show_page("results")
        save(window, "hall-results.png")
        window.results_notice.dismiss()  # type: ignore[union-attr]
        window.show_page("pledges")
        save(window, "hall-pledges.png")
        window.close()

        # 签收 with 当面核实, on the approver's inbox
        uid = w.transferred(PENSION, at=now - timedelta(minutes=20))
        office = MainWindow(db, runner, approver_session)
        office.resize(*SIZE)
        office.show()
        office.show_page("inbox")
        inbox = office.pages["inbox"]
        inbox.open_case(uid)
        dialog = inbox.case.start("receive")
        app.processEvents()
        state = dialog.checks[1][1]
        state.setCurrentIndex(state.findData(False))
        dialog.checks[1][2].setText("复印件缺户主页")
        save(dialog, "hall-receive.png")
        dialog.submit.click()
        # a case withdrawn after the hand-over, before anyone signed: its paper is the department's to file
        from clerk_desk.services.withdrawal import Withdrawal, accept_withdrawal, request_withdrawal

        gone = w.transferred(PENSION, at=now - timedelta(minutes=15))
        request_withdrawal(db, gone, w.clerk, Withdrawal("申请人不再办理", id_checked=True), now=now - timedelta(minutes=5))
        accept_withdrawal(db, gone, w.approver, now=now - timedelta(minutes=1))
        office.show_page("filing")
        save(office, "hall-filing.png")
        office.close()

        # the catalog at a 综合窗口
        browser = CatalogBrowser(db, runner)
        browser.follow_window(windows[0].id)
        browser.resize(*SIZE)
        browser.show()
        browser.search.setText("证")
        save(browser, "hall-catalog-routing.png")
        browser.close()
    for path in shots:
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
