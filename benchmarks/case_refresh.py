"""A sync-driven refresh of the open case page, on the 1,000,000-case database of case_db.py.

    python benchmarks/case_refresh.py [--data /tmp/clerk-bench-1m] [--cases 1000000] [--runs 30]

The real CasePage (offscreen, app stylesheet) shows a case another window accepted; the app's
ThreadTaskRunner reads; a CaseWatch (ui/case_watch.py) follows the store as in the main window. Each run,
a worker thread applies one pulled event of that case the way sync does (sync/apply.apply_events in one
transaction), and three moments are taken: the commit (the store's listener), the watch's notice (after
its 200 ms debounce) and the page painted with the new timeline row. Target: the refresh (notice to
painted: one read of the case in one transaction, the fold, the page filled and painted) under 50 ms.
The end-to-end figure adds the debounce, which gathers a burst of pulled events into one refresh.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_stats import tail  # noqa: E402
from case_db import build, case_count, use_bench_key  # noqa: E402
from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from clerk_desk.services import accounts, site_setup  # noqa: E402
from clerk_desk.store.database import Database  # noqa: E402
from clerk_desk.sync.apply import apply_events  # noqa: E402
from clerk_desk.ui import look  # noqa: E402
from clerk_desk.ui.case_watch import CaseWatch  # noqa: E402
from clerk_desk.ui.cases.case_page import CasePage  # noqa: E402
from clerk_desk.ui.session import DeskSession  # noqa: E402
from clerk_desk.ui.task_runner import ThreadTaskRunner  # noqa: E402

TARGET_MS = 50.0
SITE = "421224100"
_HELD = [None, True, False] * 100_000  # PySide6 6.12.0 on Python 3.11: see benchmarks/ui_cases.py


def wire(case_uuid: str, version: int, kind: str, seq: int, at: datetime, payload: dict[str, object]) -> dict[str, object]:
    """An event as the hub serves it (docs/sync-protocol.md), from another window of the site."""
    return {"uuid": str(uuid.uuid4()), "case_uuid": case_uuid, "case_version": version, "type": kind,
            "side": "window", "site_code": SITE, "department_code": "rs", "payload": payload, "actor": "clerk2",
            "device_code": "0099", "occurred_at": at.isoformat().replace("+00:00", "Z"), "seq": seq}  # fmt: skip


def pull(db: Database, events: list[dict[str, object]]) -> None:
    with db.transaction() as s:
        apply_events(s, events)


def stats(ms: list[float]) -> str:
    return f"median {statistics.median(ms):6.1f} ms  {tail(ms, 95)}"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=Path("/tmp/clerk-bench-1m"))
    ap.add_argument("--cases", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=30)
    a = ap.parse_args()
    use_bench_key(a.data)
    if case_count(a.data) < a.cases:
        build(a.data, a.cases)
    app = QApplication.instance() or QApplication(sys.argv)
    look.setup(app)  # type: ignore[arg-type]
    db = Database(a.data)
    user = next(u for u in accounts.list_users(db) if u.username == "clerk1")
    session = DeskSession(user, site_setup.site_info(db), site_setup.list_windows(db)[0], "clerk")
    runner = ThreadTaskRunner()
    page = CasePage(db, runner, session)
    watch = CaseWatch(db, parent=page)
    page.resize(1280, 800)
    page.show()

    # A case another window accepted, pulled here with its applicant, then printed for a few times.
    case_uuid, at = str(uuid.uuid4()), datetime.now(UTC) - timedelta(hours=1)
    person = str(uuid.uuid4())
    seq = 10**9 + int(time.time())  # above anything the bench database holds
    accepted = wire(case_uuid, 0, "accepted", seq, at, {
        "case_number": f"{SITE}-0099-{at:%Y%m%d}-{seq % 10**6:06d}", "item_code": "002014006009",
        "item_name": "城乡居民养老保险注销登记", "applicant_id": person, "days": 3, "urgent": False,
        "due_at": (at + timedelta(days=5)).isoformat(), "calendar_version": "file:2026-1",
        "checklist": [{"name": n, "required": True, "provided": True, "form": "original", "copies": 1}
                      for n in ("居民身份证", "户口簿", "死亡证明")],
        "persons": {person: {"kind": "person", "name": "王伟芳", "id_number": "11010519491231002X"}}})  # fmt: skip
    pull(db, [accepted])
    version = 1
    for _ in range(8):
        seq += 1
        pull(db, [wire(case_uuid, version, "document_printed", seq, at, {"document": "receipt", "paper": "a4"})])
        version += 1

    loop = QEventLoop()
    page.loaded.connect(lambda _u: loop.quit())
    page.open(case_uuid)
    QTimer.singleShot(10_000, loop.quit)
    loop.exec()

    marks: dict[str, float] = {}
    db.commit_listeners.insert(0, lambda _c: marks.setdefault("commit", time.perf_counter()))
    watch.casesChanged.connect(lambda _u: marks.setdefault("notice", time.perf_counter()))
    watch.casesChanged.connect(page.reload)  # what ListAndCasePage.cases_changed does for the case on screen
    refresh, end_to_end, cpu = [], [], []
    print(f"database: {case_count(a.data):,} cases at {a.data}; load average {os.getloadavg()[0]:.1f} "
          f"on {os.cpu_count()} CPUs; case page timeline of {page.timeline.rowCount()} rows at the start")
    for _ in range(a.runs):
        marks.clear()
        seq += 1
        event = wire(case_uuid, version, "document_printed", seq, at, {"document": "receipt", "paper": "80mm"})
        version += 1
        rows = page.timeline.rowCount()
        done = QEventLoop()
        page.loaded.connect(done.quit)
        QTimer.singleShot(10_000, done.quit)
        c = time.process_time()
        threading.Thread(target=pull, args=(db, [event])).start()  # the sync thread's commit
        done.exec()
        page.timeline.viewport().repaint()
        page.repaint()
        painted = time.perf_counter()
        page.loaded.disconnect(done.quit)
        assert page.timeline.rowCount() == rows + 1, "the page did not follow"
        refresh.append((painted - marks["notice"]) * 1000)
        end_to_end.append((painted - marks["commit"]) * 1000)
        cpu.append((time.process_time() - c) * 1000)
    print(f"refresh, notice -> page painted          {stats(refresh)}   ratio to {TARGET_MS:g} ms: "
          f"{statistics.median(refresh) / TARGET_MS:.2f}")
    print(f"end to end, commit -> painted (debounce) {stats(end_to_end)}")
    print(f"process CPU per refresh (all threads)    {stats(cpu)}")
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")
    sys.stdout.flush()
    page.close()
    runner.pool.waitForDone()
    db.close()
    os._exit(0)


if __name__ == "__main__":
    main()
