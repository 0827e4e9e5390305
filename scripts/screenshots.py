"""Save PNG screenshots of the main screens (offscreen, on a temporary demo data folder).

    .venv/bin/python scripts/screenshots.py [OUT_DIR]      # default docs/screenshots/

Uses the real start-up flow with a synchronous task runner and a notifier that records instead of
showing message boxes, signs in as the demo administrator and as clerk1, and grabs each screen.
"""

from __future__ import annotations

import io
import os
import sys
import tempfile
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from clerk_desk import app as desk_app  # noqa: E402
from clerk_desk.ui import look, notify  # noqa: E402
from clerk_desk.ui.login_dialog import LoginDialog  # noqa: E402
from clerk_desk.ui.main_window import MainWindow  # noqa: E402
from clerk_desk.ui.startup import StartupController  # noqa: E402
from clerk_desk.ui.task_runner import SyncTaskRunner  # noqa: E402


def save(widget: QWidget, out: Path, name: str) -> None:
    QApplication.processEvents()
    path = out / f"{name}.png"
    widget.grab().save(str(path))
    print(path)


def sign_in(controller: StartupController, username: str, password: str, *, window: str | None = "") -> None:
    """At the preselected window, or at none (``window=None``)."""
    dialog = controller.dialog
    assert isinstance(dialog, LoginDialog)
    dialog.username.setText(username)
    dialog.password.setText(password)
    if window is None:
        dialog.window_box.setCurrentIndex(dialog.window_box.findData(""))
    dialog.try_login()


def main(argv: list[str]) -> int:
    out = Path(argv[0] if argv else "docs/screenshots")
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    translators = look.setup(app)  # noqa: F841
    notify.set_notifier(notify.RecordingNotifier())
    with tempfile.TemporaryDirectory() as tmp:
        printed = io.StringIO()
        started = desk_app.launch(Path(tmp), True, runner=SyncTaskRunner(), out=printed)
        controller = started.controller
        assert controller is not None
        controller.today = date.today()
        passwords = {p[0]: p[1] for p in (line.split() for line in printed.getvalue().splitlines()[2:])}

        assert controller.dialog is not None
        controller.dialog.adjustSize()
        save(controller.dialog, out, "login")

        sign_in(controller, "clerk2", "wrong-pass1")
        controller.dialog.adjustSize()
        save(controller.dialog, out, "login-wrong-password")

        sign_in(controller, "clerk1", passwords["clerk1"])
        window = controller.main_window
        assert isinstance(window, MainWindow)
        save(window, out, "main-clerk-home")
        window.sign_out()

        sign_in(controller, "admin", passwords["admin"], window=None)
        window = controller.main_window
        assert isinstance(window, MainWindow)
        save(window, out, "main-admin-home")
        window.show_page("admin")
        admin = window.pages["admin"]
        for index, name in enumerate(("admin-site", "admin-windows", "admin-users")):
            admin.tabs.setCurrentIndex(index)  # type: ignore[attr-defined]
            save(window, out, name)
        admin.users_tab.open_add_dialog()  # type: ignore[attr-defined]
        dialog = admin.users_tab.dialog  # type: ignore[attr-defined]
        dialog.adjustSize()
        save(dialog, out, "admin-add-user")
        dialog.reject()
        admin.windows_tab.open_add_dialog()  # type: ignore[attr-defined]
        dialog = admin.windows_tab.dialog  # type: ignore[attr-defined]
        dialog.adjustSize()
        save(dialog, out, "admin-add-window")
        dialog.reject()
        started.close()
    with tempfile.TemporaryDirectory() as tmp:
        started = desk_app.launch(Path(tmp), False, runner=SyncTaskRunner(), out=io.StringIO())
        assert started.controller is not None and started.controller.dialog is not None
        started.controller.dialog.adjustSize()
        save(started.controller.dialog, out, "first-start")
        started.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
