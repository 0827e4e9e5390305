"""Entry point: ``clerk-desk`` opens the GUI; ``clerk-desk <command>`` runs an IT sub-command."""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Sequence
from pathlib import Path

SMOKE_TEST_ENV = "CLERK_DESK_SMOKE_TEST"
SMOKE_DIALOGS = ("loginDialog", "firstRunDialog")
# CLERK_DESK_START_PROBE=<demo user>: benchmarks/cold_start.py signs that user in (clerk_desk/ui/start_probe.py)
START_PROBE_ENV = "CLERK_DESK_START_PROBE"


def arm_smoke_test(limit_s: float = 60.0) -> None:
    """CLERK_DESK_SMOKE_TEST=1 (installer checks, tests/installer/test_frozen.py): once the sign-in or
    first-start dialog is on screen, print ``smoke-test: <objectName> <title> <seconds>`` and leave the
    event loop with 0 (the normal clean shutdown); exit 3 if none shows within ``limit_s``. A message box
    shown instead (the data folder cannot be written, the database is newer than the program …) is printed
    to stderr as ``smoke-test: message <text>`` and closed at once, so the start ends with its own exit
    code and the check says why, rather than waiting out the limit."""
    import time

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    app = QApplication.instance() or QApplication(sys.argv)
    started = time.perf_counter()
    timer = QTimer(app)

    def poll() -> None:
        shown = [w for w in QApplication.topLevelWidgets() if w.isVisible() and w.objectName() in SMOKE_DIALOGS]
        boxes = [w for w in QApplication.topLevelWidgets() if w.isVisible() and isinstance(w, QMessageBox)]
        if boxes and not shown:
            print(f"smoke-test: message {boxes[0].text()}", file=sys.stderr, flush=True)
            boxes[0].done(0)
            return
        if shown:
            timer.stop()
            elapsed = time.perf_counter() - started
            print(f"smoke-test: {shown[0].objectName()} {shown[0].windowTitle()} {elapsed:.2f}s", flush=True)
            QApplication.exit(0)
        elif time.perf_counter() - started > limit_s:
            print("smoke-test: no sign-in dialog", file=sys.stderr, flush=True)
            QApplication.exit(3)

    timer.timeout.connect(poll)
    timer.start(20)


GUI_FLAGS = ("--demo",)
GUI_OPTIONS = ("--data-dir",)


def gui_arguments(argv: Sequence[str]) -> tuple[Path | None, bool] | None:
    """``(data folder or None, demo)`` when ``argv`` asks for the GUI, None for anything else.

    The GUI start reads its two options by hand: building the CLI parser imports every command module and
    with them SQLAlchemy and the services (about 300 ms before the sign-in dialog could show). A sub-command,
    ``--help``, ``--version`` or anything unknown goes to the CLI (clerk_desk/cli), which explains errors."""
    data_dir: Path | None = None
    demo = False
    rest = list(argv)
    while rest:
        arg = rest.pop(0)
        if arg in GUI_FLAGS:
            demo = True
        elif arg in GUI_OPTIONS and rest and rest[0] and not rest[0].startswith("-"):
            data_dir = Path(rest.pop(0))
        elif arg.startswith("--data-dir=") and len(arg) > len("--data-dir="):
            data_dir = Path(arg.split("=", 1)[1])
        else:
            return None
    return data_dir, demo


def main(argv: Sequence[str] | None = None) -> int:
    from clerk_desk.store import file_modes

    file_modes.set_umask()  # everything this process makes is owner-only (docs/personal-data.md)
    argv = list(sys.argv[1:] if argv is None else argv)
    gui = gui_arguments(argv)
    if gui is not None:
        # No cyclic collection while the start makes its long-lived objects (modules, classes, widgets): each
        # pass would walk them all again. It runs again once the work after sign-in begins (ui/collector.py).
        gc.disable()
    if gui is None:
        from clerk_desk import cli

        code = cli.run(argv)
        if code is not None:
            return code
        args = cli.build_parser().parse_args(argv)
        gui = (args.data_dir, args.demo)
    from clerk_desk import paths

    data_dir = paths.data_dir_for(*gui)
    from clerk_desk import log_file

    log_file.open_log(data_dir)  # rotating from when the work after sign-in begins (app.py)
    from clerk_desk.ui import qt_import

    qt_import.load_qt()  # before the desk's modules: PySide6's import hook would read each one's source
    if os.environ.get(SMOKE_TEST_ENV) == "1":
        arm_smoke_test()
    if os.environ.get(START_PROBE_ENV):
        from clerk_desk.ui import start_probe  # benchmarks only: never imported on a clerk's start

        start_probe.arm(data_dir, os.environ[START_PROBE_ENV])
    from clerk_desk.app import run_gui

    return run_gui(data_dir, demo=gui[1])


if __name__ == "__main__":
    sys.exit(main())
