"""The supervisor's pages over a large database: the 督办 list and the month's figures, to first paint.

    python benchmarks/supervision_bench.py [--data /tmp/clerk-bench-sup-1m] [--cases 1000000] [--runs 7]

The database is benchmarks/case_db.py's (cases spread over two years, one accepted event each, a twelfth
of them at each open status), to which this script adds, once, the events of the last 31 days' cases as
their status says (hand-over, 签收, decision, result back, 出件), so the month's figures have real acts to
count. Each figure: the time from the page (or the tab) being asked for until its table is filled and
painted offscreen, on the app's ThreadTaskRunner -- the 督办 list's first page and the whole list, the
统计 tables and then the charts drawn after them -- and the service's read alone. Target: 300 ms to the
first paint. The figures read the acts kept per act and per day (store/figure_counts.py): a database built
before migration 0011 derives them when first opened (about a minute at a million cases).
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import sys
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from case_db import build, case_count, use_bench_key  # noqa: E402
from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from clerk_desk.services import accounts, figures, site_setup, supervision  # noqa: E402
from clerk_desk.store.database import Database  # noqa: E402
from clerk_desk.store.engine import database_path  # noqa: E402
from clerk_desk.ui import look  # noqa: E402
from clerk_desk.ui.session import DeskSession  # noqa: E402
from clerk_desk.ui.task_runner import ThreadTaskRunner  # noqa: E402

TARGET_MS = 300.0
_HELD = [None, True, False] * 100_000  # see benchmarks/ui_cases.py (PySide6 6.12.0 reference drops)
STEPS = {  # status -> the events after acceptance, minutes after it
    "transferred": (("transferred", 9),),
    "in_review": (("transferred", 9), ("received", 60)),
    "result_at_window": (("transferred", 9), ("received", 60), ("decided", 2880), ("result_returned", 3000)),
    "delivered": (("transferred", 12), ("received", 60), ("decided", 2880), ("result_returned", 3000),
                  ("delivered", 4400)),
    "archived": (("transferred", 20), ("received", 60), ("decided", 9000), ("result_returned", 9100),
                 ("delivered", 9500), ("archived", 9600)),
}


def add_month_events(data_dir: Path) -> int:
    """The last 31 days' cases get the events their status implies (once: marked in settings)."""
    path = database_path(data_dir)
    with sqlite3.connect(path) as c:
        if c.execute("SELECT 1 FROM settings WHERE key = 'bench.month_events'").fetchone():
            return 0
        since = (datetime.now(UTC) - timedelta(days=31)).replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")
        rows = c.execute("SELECT uuid, status, accepted_at FROM cases WHERE created_at >= ?", (since,)).fetchall()
        seq = int(c.execute("SELECT max(device_seq) FROM case_events").fetchone()[0] or 0)
        events = []
        for case_uuid, status, accepted in rows:
            at = datetime.fromisoformat(accepted)
            for version, (kind, minutes) in enumerate(STEPS.get(status, ()), start=1):
                seq += 1
                side = "back_office" if kind in ("received", "decided", "result_returned") else "window"
                payload = '{"late": true}' if kind == "transferred" and minutes > 15 else "{}"
                when = (at + timedelta(minutes=minutes)).strftime("%Y-%m-%d %H:%M:%S.%f")
                events.append((str(uuid.uuid4()), case_uuid, version, kind, side, payload, "clerk1", "01", when, seq,
                               "local", "stored", 1, None, seq, when))
        c.executemany(
            "INSERT INTO case_events(uuid, case_uuid, case_version, type, side, payload, actor, device_code,"
            " occurred_at, device_seq, origin, push_state, attempts, last_error, hub_seq, acked_at)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", events)
        c.execute("UPDATE devices SET event_seq = ? WHERE code = '01'", (seq,))
        c.execute("INSERT INTO settings(key, value) VALUES ('bench.month_events', ?)", (str(len(events)),))
        c.execute("ANALYZE")
    return len(events)


def wait_for(signal: object, start: Callable[[], None], timeout_ms: int = 30_000) -> None:
    loop = QEventLoop()
    signal.connect(loop.quit)  # type: ignore[attr-defined]
    QTimer.singleShot(timeout_ms, loop.quit)
    start()
    loop.exec()
    signal.disconnect(loop.quit)  # type: ignore[attr-defined]


def timed(fn: Callable[[], object], runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return out


def line(name: str, ms: list[float]) -> str:
    med, worst = statistics.median(ms), max(ms)
    return (f"{name:<44} median {med:7.1f} ms  max {worst:7.1f} ms  first {ms[0]:7.1f} ms"
            f"  (target {TARGET_MS:.0f} ms: {med / TARGET_MS:.2f}×)")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=Path("/tmp/clerk-bench-sup-1m"))
    ap.add_argument("--cases", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    use_bench_key(args.data)
    build(args.data, args.cases)
    added = add_month_events(args.data)
    db = Database(args.data)
    print(f"{case_count(args.data):,} cases; {added:,} events added for the last 31 days"
          if added else f"{case_count(args.data):,} cases (month's events added before)")
    now = datetime.now(UTC)
    local = now.astimezone(supervision.sv.SHANGHAI)
    span = figures.month_span(local.year, local.month)
    scan = supervision.scan(db, now)
    print(f"督办 list: {len(scan.rows):,} alerts, capped at {scan.cap:,} per status: "
          f"{', '.join(s.value for s in scan.capped) or 'none'}")
    print(line("service: 督办 list (supervision.scan)", timed(lambda: supervision.scan(db, now), args.runs)))
    report = figures.read(db, *span)
    print(f"figures of {local:%Y-%m}: {report.figures.intakes:,} intake acts, {report.figures.decisions:,} decisions,"
          f" {report.figures.results_waiting:,} results waiting")
    print(line("service: month's figures (figures.read)", timed(lambda: figures.read(db, *span), args.runs)))

    app = QApplication.instance() or QApplication(sys.argv[:1])
    translators = look.setup(app)  # noqa: F841
    manager = next(u for u in accounts.list_users(db) if u.username == "manager")
    session = DeskSession(manager, site_setup.site_info(db), None, "clerk")
    runner = ThreadTaskRunner()
    from clerk_desk.ui.supervision.supervision_page import SupervisionPage

    first_ms, late_ms, tables_ms, charts_ms = [], [], [], []
    for _ in range(args.runs):
        page = SupervisionPage(db, runner, session)
        page.resize(1366, 700)
        t = time.perf_counter()
        wait_for(page.late.first_page, page.show)  # the oldest cases of each stage, painted
        page.late.table.viewport().repaint()
        first_ms.append((time.perf_counter() - t) * 1000)
        wait_for(page.late.loaded, lambda: None)  # the whole list in their place, columns fitted, painted
        QApplication.processEvents()
        page.late.table.viewport().repaint()
        late_ms.append((time.perf_counter() - t) * 1000)
        QApplication.processEvents()
        t = time.perf_counter()
        wait_for(page.figures.loaded, lambda p=page: p.tabs.setCurrentWidget(p.figures))
        page.figures.table.viewport().repaint()
        tables_ms.append((time.perf_counter() - t) * 1000)
        wait_for(page.figures.charted, lambda: None)
        QApplication.processEvents()
        for view in page.figures.charts:
            view.viewport().repaint()
        charts_ms.append((time.perf_counter() - t) * 1000)
        page.close()
        page.deleteLater()
        QApplication.processEvents()
    print(line("page: 督办 tab, shown to first page painted", first_ms))
    print(line("page: 督办 tab, shown to whole list painted", late_ms))
    print(line("page: 统计 tab, shown to tables painted", tables_ms))
    print(line("page: 统计 tab, shown to charts painted", charts_ms))
    db.close()


if __name__ == "__main__":
    main()
