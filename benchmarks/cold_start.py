"""Cold start to the case list after a scripted sign-in, on 200,000 cases, against a bare Qt start.

    python benchmarks/cold_start.py [--data /tmp/clerk-bench-200k] [--cases 200000] [--runs 5]

Each run is a fresh process; the parent measures from spawning it until the child prints READY:
  bare: QApplication + QMainWindow shown, events processed;
  app:  the desk (clerk_desk.app.launch, ThreadTaskRunner, look.setup), sign-in as clerk1 with the
        password from demo-accounts.txt, the remembered window confirmed, the 办件 page shown and its
        first page of rows painted.
Runs alternate (bare, app, bare, app ...) so both see the same machine. Target: app under 1 s;
the ratio app / bare is printed. ``--profile`` runs one app start under cProfile instead.
Children run with bytecode caching on (PYTHONDONTWRITEBYTECODE removed), as an installed app does.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
BARE = (
    "import sys\n"
    "from PySide6.QtWidgets import QApplication, QMainWindow\n"
    "app = QApplication(sys.argv)\n"
    "w = QMainWindow()\n"
    "w.resize(1180, 760)\n"
    "w.show()\n"
    "app.processEvents()\n"
    "print('READY', flush=True)\n"
)


def child(data: Path, profile_out: Path | None = None) -> None:
    """The app start, scripted: runs in the fresh process."""
    t0 = time.perf_counter()
    profiler = None
    if profile_out is not None:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    marks: list[tuple[str, float, float]] = []

    def mark(name: str) -> None:  # wall ms and this process's CPU ms (the CPU figure ignores a busy machine)
        marks.append((name, (time.perf_counter() - t0) * 1000, time.process_time() * 1000))

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from clerk_desk import app as desk_app
    from clerk_desk.ui import look
    from clerk_desk.ui.task_runner import ThreadTaskRunner

    mark("imports")
    qapp = QApplication(sys.argv)
    translators = look.setup(qapp)  # noqa: F841 (kept alive)
    mark("QApplication + look")
    password = next(line.split("\t")[1] for line in (data / "demo-accounts.txt").read_text().splitlines()
                    if line.startswith("clerk1\t"))
    started = desk_app.launch(data, False, runner=ThreadTaskRunner(parent=qapp), out=None)
    assert started.controller is not None, f"launch failed with exit code {started.exit_code}"
    controller = started.controller
    mark("launch (lock, database, migrations check)")
    done = {"login": False, "window": False}

    def drive() -> None:  # the scripted clerk: reacts to whichever dialog is up
        dialog = controller.dialog
        if dialog is None or not dialog.isVisible():
            return
        if dialog.objectName() == "loginDialog" and not done["login"]:
            done["login"] = True
            mark("sign-in dialog shown")
            dialog.findChild(object, "loginUsername").setText("clerk1")  # type: ignore[union-attr]
            dialog.findChild(object, "loginPassword").setText(password)  # type: ignore[union-attr]
            dialog.findChild(object, "loginSubmit").click()  # type: ignore[union-attr]
        elif dialog.objectName() == "windowPickerDialog" and not done["window"]:
            done["window"] = True
            mark("signed in, window picker shown")
            dialog.findChild(object, "windowPickerOk").click()  # type: ignore[union-attr]

    poll = QTimer()
    poll.setInterval(2)
    poll.timeout.connect(drive)
    poll.start()

    def main_shown(window: object) -> None:
        poll.stop()
        mark("main window shown")
        cases = window.pages["cases"]  # type: ignore[attr-defined]

        def painted(_rows: int) -> None:
            cases.list.table.viewport().repaint()
            mark(f"case list painted ({cases.list.model.rowCount()} rows; "
                 f"SQLAlchemy {'loaded' if 'sqlalchemy' in sys.modules else 'not loaded yet'})")
            print("MARKS " + "; ".join(f"{n} {ms:.0f} (cpu {cpu:.0f})" for n, ms, cpu in marks), flush=True)
            print("READY", flush=True)
            if profiler is not None:
                profiler.disable()
                profiler.dump_stats(str(profile_out))
            os._exit(0)  # the measure ends here; skip the shutdown

        cases.list.model.pageLoaded.connect(painted)
        window.show_page("cases")  # type: ignore[attr-defined]

    controller.main_window_shown.connect(main_shown)
    QTimer.singleShot(30_000, lambda: (print("TIMEOUT", flush=True), os._exit(3)))
    qapp.exec()


def spawn(args: list[str]) -> tuple[float, str]:
    # An installed desk runs from compiled bytecode; this machine sets PYTHONDONTWRITEBYTECODE, which
    # would make every start compile every module again. The warm-up start writes the .pyc files.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["QT_QPA_PLATFORM"] = "offscreen"
    t = time.perf_counter()
    proc = subprocess.Popen([sys.executable, *args], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            text=True, env=env)
    marks = ""
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith("MARKS "):
            marks = line[6:].strip()
        if line.strip() == "READY":
            elapsed = (time.perf_counter() - t) * 1000
            break
        if line.strip() == "TIMEOUT":
            raise RuntimeError("the scripted start did not reach the case list")
    else:
        raise RuntimeError(f"child exited without READY (code {proc.wait()})")
    proc.wait(timeout=30)
    return elapsed, marks


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=Path("/tmp/clerk-bench-200k"))
    ap.add_argument("--cases", type=int, default=200_000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--profile-out", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--profile", action="store_true", help="one app start under cProfile (top 30 by cumulative)")
    a = ap.parse_args()
    if a.child:
        child(a.data, a.profile_out)
        return
    sys.path.insert(0, str(HERE))
    from case_db import build, case_count, use_bench_key

    use_bench_key(a.data)  # the children inherit it
    if case_count(a.data) < a.cases:
        build(a.data, a.cases)
    me = [str(Path(__file__).resolve()), "--child", "--data", str(a.data)]
    if a.profile:
        out = a.data.parent / "cold_start.prof"
        print(spawn([*me, "--profile-out", str(out)])[1])
        import pstats

        pstats.Stats(str(out)).sort_stats("cumulative").print_stats(40)
        return
    spawn(["-c", BARE])  # warm the OS file cache for both, once
    spawn(me)
    bare, app, marks = [], [], []
    for _ in range(a.runs):
        bare.append(spawn(["-c", BARE])[0])
        elapsed, m = spawn(me)
        app.append(elapsed)
        marks.append(m)
    b, d = statistics.median(bare), statistics.median(app)
    print(f"database: {case_count(a.data):,} cases at {a.data}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(f"bare QApplication + QMainWindow   median {b:7.0f} ms   runs {', '.join(f'{x:.0f}' for x in bare)}")
    print(f"desk to the case list             median {d:7.0f} ms   runs {', '.join(f'{x:.0f}' for x in app)}")
    print(f"ratio desk / bare: {d / b:.2f}   ratio desk / 1000 ms target: {d / 1000:.2f}")
    print("inside the desk process (ms since its script started), run by run:")
    for m in marks:
        print("  " + m)


if __name__ == "__main__":
    main()
