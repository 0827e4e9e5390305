"""Screenshot of the idle lock for docs/screenshots/ (idle-lock.png), at 1366×768.

    .venv/bin/python tests/ui/idle/make_screenshots.py [OUT_DIR]

Offscreen, on a temporary demo folder: clerk1 at the first window, an intake half typed, then the desk
locks (as after the idle time) and the lock screen is grabbed. The wrong password shown is typed first.
"""

from __future__ import annotations

import io
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[3]))

from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402


def main(argv: list[str]) -> int:
    out = Path(argv[1] if len(argv) > 1 else Path(__file__).resolve().parents[3] / "docs" / "screenshots")
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication([])
    from clerk_desk import app as desk_app
    from clerk_desk.ui import look, notify
    from clerk_desk.ui.main_window import MainWindow
    from clerk_desk.ui.task_runner import SyncTaskRunner

    translators = look.setup(app)  # type: ignore[arg-type]  # noqa: F841
    notify.set_notifier(notify.RecordingNotifier())
    with tempfile.TemporaryDirectory() as tmp:
        printed = io.StringIO()
        started = desk_app.launch(Path(tmp), True, runner=SyncTaskRunner(), out=printed)
        controller = started.controller
        assert controller is not None and controller.dialog is not None
        passwords = {p[0]: p[1] for p in (line.split() for line in printed.getvalue().splitlines()[2:])}
        controller.dialog.findChild(QWidget, "loginUsername").setText("clerk1")  # type: ignore[union-attr]
        controller.dialog.findChild(QWidget, "loginPassword").setText(passwords["clerk1"])  # type: ignore[union-attr]
        controller.dialog.findChild(QWidget, "loginSubmit").click()  # type: ignore[union-attr]
        window = controller.main_window
        assert isinstance(window, MainWindow)
        window.resize(1366, 768)
        window.show_page("intake")
        app.processEvents()
        screen = window.idle_lock.lock()
        screen.resize(1366, 768)
        screen.password.setText("wrong-pass1")
        screen.unlock.click()
        screen.password.setFocus()
        app.processEvents()
        path = out / "idle-lock.png"
        screen.grab().save(str(path))
        print(path)
        window.idle_lock.unlock()
        started.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
