"""The start benchmark's probe (benchmarks/cold_start.py): ``CLERK_DESK_START_PROBE=<demo user>`` on the
installed ``clerk-desk`` signs that user in (at the window the sign-in dialog preselects: the password set
and submitted the moment the dialog shows, or typed key by key as a person does, ``TYPING_MS``),
opens the 办件 list and, once its first page is painted, prints ``start-probe: READY`` with the marks on the way and
leaves at once. Each mark gives the ms since the probe was armed and, in brackets, the CPU time the process
has used by then (all threads, from its very start) and the GUI thread's share of it.

It types the password from the demo site's accounts file (services/demo.py writes it into a demo data
folder only), so it signs in nobody on a real site. Imported only when the variable is set: a clerk's
start never loads it.
"""

from __future__ import annotations

import builtins
import gc
import os
import sys
import time
from pathlib import Path
from typing import NoReturn

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLineEdit, QPushButton, QWidget

ACCOUNTS_FILE = "demo-accounts.txt"  # services/demo.ACCOUNTS_FILE (not imported: it loads SQLAlchemy)
LIMIT_S = 60.0
# CLERK_DESK_START_PROBE_TYPING_MS=N: the password is typed a key every N ms and submitted N ms after the
# last key, as a person does (the "submitted" mark); unset or 0: set and submitted the moment the dialog shows
TYPING_MS = int(os.environ.get("CLERK_DESK_START_PROBE_TYPING_MS", "0") or 0)


def demo_password(data_dir: Path, username: str) -> str | None:
    path = Path(data_dir) / ACCOUNTS_FILE
    if not path.is_file():
        return None
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) >= 2 and parts[0] == username:
            return parts[1]
    return None


def _say(text: str) -> None:
    out = sys.stdout or sys.stderr  # a windowed (frozen) app may have neither
    if out is not None:
        print(text, file=out, flush=True)


def arm(data_dir: Path, username: str) -> None:
    """Drive the start from the event loop (QApplication is made here if need be; run_gui reuses it)."""
    app = QApplication.instance() or QApplication(sys.argv)
    started = time.perf_counter()
    # CPU time of the whole process (all threads) so far: the interpreter's start and the entry's imports.
    marks: list[str] = [f"armed (cpu {time.process_time() * 1000:.0f}, gui {time.thread_time() * 1000:.0f})"]
    state = {"login": False, "main": False}

    def mark(name: str) -> None:
        cpu, gui = time.process_time() * 1000, time.thread_time() * 1000
        marks.append(f"{name} {(time.perf_counter() - started) * 1000:.0f} (cpu {cpu:.0f}, gui {gui:.0f})")

    def finish(code: int, text: str) -> NoReturn:
        _say(f"start-probe: {text}")
        os._exit(code)  # the measure ends here; skip the shutdown

    def visible(name: str) -> QWidget | None:
        return next((w for w in QApplication.topLevelWidgets() if w.isVisible() and w.objectName() == name), None)

    def painted(window: QWidget) -> None:
        cases = window.pages["cases"]  # type: ignore[attr-defined]
        cases.list.table.viewport().repaint()
        mark(f"case list painted ({cases.list.model.rowCount()} rows)")
        mark("SQLAlchemy " + ("loaded" if "sqlalchemy" in sys.modules else "not loaded"))
        # a window clerk's start has no use for the back office's screens (ui/inbox/)
        mark("inbox modules " + ("loaded" if any(m.startswith("clerk_desk.ui.inbox") for m in sys.modules) else "not loaded"))
        mark("garbage collector " + ("running" if gc.isenabled() else "paused"))
        hooked = builtins.__import__ is getattr(builtins, "__feature_import__", None)
        mark("import " + ("through PySide6's hook" if hooked else "Python's own"))  # ui/qt_import.py
        finish(0, "READY " + "; ".join(marks))

    def poll() -> None:
        if time.perf_counter() - started > LIMIT_S:
            finish(3, "TIMEOUT " + "; ".join(marks))
        if visible("firstRunDialog") is not None:  # a folder with no accounts at all: nobody to sign in
            finish(4, f"NO-DEMO-ACCOUNT {username}")
        login = visible("loginDialog")
        if login is not None and not state["login"]:
            state["login"] = True
            mark("sign-in dialog shown")
            password = demo_password(data_dir, username)
            if password is None:
                finish(4, f"NO-DEMO-ACCOUNT {username}")
            name, field = login.findChild(QLineEdit, "loginUsername"), login.findChild(QLineEdit, "loginPassword")
            submit = login.findChild(QPushButton, "loginSubmit")
            assert name is not None and field is not None and submit is not None
            name.setText(username)
            if not TYPING_MS:
                field.setText(password)
                submit.click()
                return

            def next_key(typed: int) -> None:  # one key every TYPING_MS, then Enter (the button) as the next
                if typed < len(password):
                    field.insert(password[typed])
                    QTimer.singleShot(TYPING_MS, lambda: next_key(typed + 1))
                else:
                    mark("submitted")
                    submit.click()

            QTimer.singleShot(TYPING_MS, lambda: next_key(0))
            return
        window = visible("mainWindow")
        if window is not None and not state["main"]:
            state["main"] = True
            timer.stop()
            mark("main window shown")
            cases = window.pages["cases"]  # type: ignore[attr-defined]  # built here; its rows come by signal
            cases.list.model.pageLoaded.connect(lambda _n: painted(window))
            window.show_page("cases")  # type: ignore[attr-defined]

    timer = QTimer(app)
    timer.timeout.connect(poll)
    timer.start(2)
