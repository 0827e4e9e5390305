"""Screenshots of the intake's outcome step with a bundle's per-case urgency and of the done panel of a 即办件
offering the rating, for docs/screenshots/ (1366×768, offscreen, a temporary demo folder):

    QT_QPA_PLATFORM=offscreen .venv/bin/python tests/ui/intake/make_screenshots.py [OUT_DIR]

Writes intake-bundle-urgency.png and intake-done-rating.png (and intake-done-rated.png, after 满意).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))


def main(argv: list[str]) -> int:
    out = Path(argv[1] if len(argv) > 1 else Path(__file__).resolve().parents[3] / "docs" / "screenshots")
    out.mkdir(parents=True, exist_ok=True)
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    from clerk_desk.ui import look, notify
    from clerk_desk.ui.task_runner import SyncTaskRunner
    from tests.ui.intake.conftest import APPLICANT_ID
    from tests.ui.intake.driver import Clerk, Flow

    look.setup(app)  # type: ignore[arg-type]
    notify.set_notifier(notify.RecordingNotifier())
    shots: list[Path] = []

    def save(widget: object, name: str) -> None:
        app.processEvents()
        path = out / name
        widget.grab().save(str(path))  # type: ignore[attr-defined]
        shots.append(path)

    with tempfile.TemporaryDirectory() as tmp:
        clerk = Clerk.start(Path(tmp) / "data", SyncTaskRunner())
        clerk.window.resize(1366, 768)
        flow = Flow(clerk)
        flow.pick("老年人")  # a bundle (一件事)
        flow.person("孙八", APPLICANT_ID)
        flow.all_provided_and_on()
        clerk.click("outcomeUrgent2")
        clerk.type("urgentReason2", "老人明日住院，需尽快审批")
        clerk.type("confirmedDays", "0")
        clerk.type("confirmedDays2", "10")
        save(clerk.window, "intake-bundle-urgency.png")
        clerk.key(Qt.Key.Key_Return)
        clerk.key(Qt.Key.Key_N)

        clerk.page.done.print_sink = lambda _doc, _paper, _preview: True
        flow.pick("养老保险参保登记")  # a 即办件
        flow.person("王五", APPLICANT_ID)
        flow.all_provided_and_on()
        clerk.type("resultText", "已完成参保登记")
        clerk.key(Qt.Key.Key_Return)
        save(clerk.window, "intake-done-rating.png")
        clerk.key(Qt.Key.Key_P)  # the slip printed: the rating dialog opens, 满意 focused
        dialog = clerk.page.done.rating_dialog
        assert dialog is not None
        save(dialog, "intake-rating-on-the-spot.png")
        QApplication.processEvents()
        from PySide6.QtTest import QTest

        QTest.keyClick(QApplication.focusWidget() or dialog, Qt.Key.Key_Return)
        save(clerk.window, "intake-done-rated.png")
        clerk.close()
    for path in shots:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
