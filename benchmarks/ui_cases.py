"""Case list UI on a large database: the real CaseListPage (offscreen) over 1,000,000 cases.

    python benchmarks/ui_cases.py [--data /tmp/clerk-bench-1m] [--cases 1000000] [--runs 15]

Each figure is the time from the filter being applied (tab switched, or the search applied: the
200 ms typing debounce is left out) until the rows are in the model AND painted: the query runs on
the app's ThreadTaskRunner, the answer comes back by signal, the model resets, the table viewport
repaints. The capped counts run in parallel, as in the app, and are timed on their own. Targets:
under 50 ms per filter change, the process under 300 MB RSS after scrolling 20 pages.
Service-level figures (the queries alone) are in benchmarks/intake_bench.py.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_stats import tail  # noqa: E402
from case_db import build, case_count, use_bench_key  # noqa: E402
from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from clerk_desk.services import accounts, site_setup  # noqa: E402
from clerk_desk.services import case_queries as q  # noqa: E402
from clerk_desk.store.database import Database  # noqa: E402
from clerk_desk.ui import look  # noqa: E402
from clerk_desk.ui.cases.case_list_page import VIEWS, CaseListPage  # noqa: E402
from clerk_desk.ui.session import DeskSession  # noqa: E402
from clerk_desk.ui.task_runner import ThreadTaskRunner  # noqa: E402

TARGET_MS = 50.0
TARGET_MB = 300.0
# PySide6 6.12.0 on Python 3.11 drops one reference to None on each call of a void Qt method and one
# to True on each signal emitted from Python (6.11.3 does not; see docs/cases.md). A run this long
# would otherwise free True/None and abort. 100,000 extra references each: 2.4 MB of the RSS below.
_HELD = [None, True, False] * 100_000


def wait_for(signal: object, start: Callable[[], None], timeout_ms: int = 10_000) -> None:
    """Call ``start`` and run the event loop until ``signal`` fires."""
    loop = QEventLoop()
    signal.connect(loop.quit)  # type: ignore[attr-defined]
    QTimer.singleShot(timeout_ms, loop.quit)
    start()
    loop.exec()
    signal.disconnect(loop.quit)  # type: ignore[attr-defined]


def shown_ms(page: CaseListPage, start: Callable[[], None]) -> tuple[float, float]:
    """(wall ms, process CPU ms over all threads) from ``start`` (the filter applied) to the rows painted."""
    t, c = time.perf_counter(), time.process_time()
    wait_for(page.model.pageLoaded, start)
    page.table.viewport().repaint()
    return (time.perf_counter() - t) * 1000, (time.process_time() - c) * 1000


def report(label: str, samples: list[tuple[float, float]], target: float = TARGET_MS) -> None:
    wall, cpu = [w for w, _ in samples], [c for _, c in samples]
    mw, mc = statistics.median(wall), statistics.median(cpu)
    print(f"{label:<44} wall {mw:7.1f} ms / {tail(wall, 95)}   CPU {mc:6.1f} ms / {tail(cpu, 95)}"
          f"   n={len(samples):<3} ratio to {target:g} ms: wall {mw / target:5.2f}  CPU {mc / target:5.2f}")


def rss() -> tuple[float, float]:
    """(current VmRSS, peak ru_maxrss) in MB."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    current = 0.0
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            current = int(line.split()[1]) / 1024
    return current, peak


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=Path("/tmp/clerk-bench-1m"))
    ap.add_argument("--cases", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=15)
    a = ap.parse_args()
    use_bench_key(a.data)
    if case_count(a.data) < a.cases:  # other benchmarks add a few cases to the shared cache: keep it
        build(a.data, a.cases)
    app = QApplication.instance() or QApplication(sys.argv)
    look.setup(app)  # type: ignore[arg-type]
    print(f"RSS after Qt start-up: {rss()[0]:.0f} MB")
    db = Database(a.data)
    user = next(u for u in accounts.list_users(db) if u.username == "clerk1")
    session = DeskSession(user, site_setup.site_info(db), site_setup.list_windows(db)[0], "clerk")
    runner = ThreadTaskRunner()
    page = CaseListPage(db, runner, session)
    page.resize(1280, 800)
    page.show()
    app.processEvents()
    print(f"database: {a.cases:,} cases at {a.data}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print("wall: filter applied -> rows painted; CPU: process CPU time over all threads in that span")

    report("first page, cold (first query of the process)", [shown_ms(page, page.apply)])
    counted: list[tuple[float, float]] = []

    def counts_ms() -> None:
        t, c = time.perf_counter(), time.process_time()
        wait_for(page.countsUpdated, page.update_counts)
        counted.append(((time.perf_counter() - t) * 1000, (time.process_time() - c) * 1000))

    report("first page, warm (view 全部)", [shown_ms(page, page.apply) for _ in range(a.runs)])
    for view in VIEWS:
        times = []
        for _ in range(a.runs):
            other = VIEWS[(VIEWS.index(view) + 1) % len(VIEWS)]
            page.tabs.blockSignals(True)
            page.set_view(other)
            page.tabs.blockSignals(False)
            times.append(shown_ms(page, lambda v=view: page.set_view(v)))
        report(f"switch to view {view.value}", times)

    first = page.model.row_at(0)
    from clerk_desk.services.case_read import read_case

    applicant = read_case(db, first.uuid).parties.applicant
    assert applicant is not None
    searches = [
        ("search: case number, compact", first.case_number),
        ("search: case number, grouped reading", " ".join(first.case_number.split("-"))),
        ("search: exact ID number", applicant.id_number),
        ("search: common surname 张", "张"),
        ("search: full name", first.applicant_name),
        ("search: item words 养老", "养老"),
        ("search: item words 低保", "低保"),
        ("search: nothing matches", "欧阳不存在"),
    ]
    page.set_view(q.WindowView.ALL)
    app.processEvents()
    for label, text in searches:
        times = []
        for _ in range(a.runs):
            page.search.blockSignals(True)
            page.search.setText(text)
            page.search.blockSignals(False)
            times.append(shown_ms(page, page.apply))
        report(f"{label} ({len(page.model.rows)} rows)", times)
    page.search.setText("")
    for text in ("", "张", "养老", "421224100-01-2025"):
        page.search.blockSignals(True)
        page.search.setText(text)
        page.search.blockSignals(False)
        counts_ms()
    report("tab counts (5 capped counts, one task)", counted)

    page.search.setText("")
    page.set_view(q.WindowView.ALL)
    shown_ms(page, page.apply)
    scroll = []
    for _ in range(20):
        scroll.append(shown_ms(page, lambda: page.table.scrollToBottom()))
    report("next page on scrolling to the bottom", scroll)
    current, peak = rss()
    print(f"rows loaded: {page.model.rowCount():,}")
    print(f"RSS after scrolling 20 pages: {current:.0f} MB (VmRSS), peak {peak:.0f} MB (ru_maxrss); "
          f"ratio to {TARGET_MB:g} MB: {current / TARGET_MB:.2f} / {peak / TARGET_MB:.2f}")
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")
    sys.stdout.flush()
    page.close()
    runner.pool.waitForDone()
    db.close()
    os._exit(0)  # skip interpreter teardown of the Qt objects (PySide6 can crash while finalizing)


if __name__ == "__main__":
    main()
