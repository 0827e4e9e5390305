"""Intake and case-list figures on a large database (issue: accept < 10 ms median, list < 50 ms, < 300 MB).

    python benchmarks/intake_bench.py --cases 1000000 --data /tmp/clerk-bench-1m

Prints medians and p95 in ms (the p95 from 200 samples, "max of N" from fewer: benchmarks/bench_stats.py),
the ratio to each target, and the process RSS. Tab counts and every filter at 1,000,000 cases, with enough
samples for a p99: benchmarks/case_counts.py.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_stats import tail  # noqa: E402
from case_db import build  # noqa: E402

from clerk_desk.services import accounts, site_setup  # noqa: E402
from clerk_desk.services import case_queries as q  # noqa: E402
from clerk_desk.services.intake import Clerk, IntakeService  # noqa: E402
from clerk_desk.services.intake_forms import Delivery, IntakeForm, ItemRef, MaterialCheck, Party  # noqa: E402
from clerk_desk.store.database import Database  # noqa: E402


def timings(fn: Callable[[], object], runs: int) -> tuple[list[float], list[float]]:
    """Wall and CPU milliseconds per run (CPU time shows the work itself on a shared, loaded machine)."""
    wall, cpu = [], []
    for _ in range(runs):
        t, c = time.perf_counter(), time.process_time()
        fn()
        wall.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
    return wall, cpu


def report(label: str, ms: tuple[list[float], list[float]], target: float) -> None:
    wall, cpu = ms
    med = statistics.median(wall)
    print(f"{label:<44} median {med:7.2f} ms  {tail(wall, 95, digits=2)}  cpu median {statistics.median(cpu):6.2f} ms"
          f"  target {target:g} ms  ratio {med / target:5.2f}")


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=1_000_000)
    ap.add_argument("--data", type=Path, default=Path("/tmp/clerk-bench-1m"))
    ap.add_argument("--runs", type=int, default=200)
    a = ap.parse_args()
    build(a.data, a.cases)
    db = Database(a.data)
    svc = IntakeService(db)
    u = next(x for x in accounts.list_users(db) if x.username == "clerk1")
    w = site_setup.list_windows(db)[0]
    clerk = Clerk(u.id, u.username, u.display_name, w.id, w.name)
    form = IntakeForm(
        items=(ItemRef("002014006009", "城乡居民养老保险注销登记", "rs", "promise", promised_days=3),),
        applicant=Party("person", "张三", "11010519491231002X", phone="13812345678"),
        checklist=(
            MaterialCheck("居民身份证", provided=True, form="original", copies=1),
            MaterialCheck("户口簿", provided=True, form="copy", copies=1),
            MaterialCheck("死亡证明", provided=True, form="copy", copies=1),
        ),
    )
    print(f"database: {a.cases:,} cases at {a.data}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    svc.accept(form, clerk, delivery=Delivery("window"))  # warm caches (calendar, statements)
    report("accept (case + person + checks + event)", timings(
        lambda: svc.accept(form, clerk, delivery=Delivery("window")), a.runs), 10)

    now = datetime.now(UTC)
    for view in q.WindowView:
        report(f"case list first page: {view.value}", timings(
            lambda v=view: q.page(db, q.window_filter(v, now=now), now=now), 30), 50)
    for label, f in [
        ("filter: common surname 张", q.CaseFilter(text="张")),
        ("filter: applicant name prefix 王伟", q.CaseFilter(text="王伟")),
        ("filter: rare full name 王伟芳", q.CaseFilter(text="王伟芳")),
        ("filter: nobody by that name", q.CaseFilter(text="欧阳不存在")),
        ("filter: exact ID number", q.CaseFilter(text="11010519491231002X")),
        ("filter: case number prefix (broad)", q.CaseFilter(text="421224100-01-2026")),
        ("filter: case number, grouped reading", q.CaseFilter(text="421224100 01 2025 0101")),
        ("filter: item code", q.CaseFilter(text="LOCAL-MZ-DB")),
        ("filter: item words -> 2 catalog codes", q.CaseFilter(text="养老", item_codes=("002014006009", "LOCAL-MZ-DB"))),
        ("filter: to transfer + surname", q.window_filter(q.WindowView.TO_TRANSFER, text="张")),
        ("filter: results + rare name", q.window_filter(q.WindowView.RESULTS, text="王伟芳")),
    ]:
        report(label, timings(lambda f=f: q.page(db, f, now=now), 30), 50)
    first = q.page(db, q.CaseFilter(), now=now)
    report("case list next page (keyset)", timings(lambda: q.page(db, q.CaseFilter(), after=first.next_key), 30), 50)
    report("count (capped at 1,000)", timings(lambda: q.count(db, q.window_filter(q.WindowView.TO_TRANSFER)), 10), 50)
    # The lists the next pages read (services/follow_up.py), and the inbox with its working days.
    from clerk_desk.services import follow_up, inbox
    from clerk_desk.services.calendar_service import work_calendar

    cal = work_calendar(db.data_dir)
    serves = (("421224100", "rs"), ("421224100", "mz"))
    for label, f, with_cal in [
        ("inbox 待签收 (2 departments, working days)", inbox.inbox_filter(inbox.InboxView.TO_SIGN, serves), True),
        ("inbox 全部 (2 departments, working days)", inbox.inbox_filter(inbox.InboxView.ALL, serves), True),
        ("follow-up: late at the window", follow_up.overdue(follow_up.Stage.AT_WINDOW, now), False),
        ("follow-up: late in the back office", follow_up.overdue(follow_up.Stage.BACK_OFFICE, now), True),
        ("follow-up: results to hand over", follow_up.results_to_hand_over(), False),
        ("follow-up: 容缺 materials owed", follow_up.pledges_owed(), False),
    ]:
        report(label, timings(lambda f=f, c=with_cal: q.page(db, f, now=now, calendar=cal if c else None), 10), 50)
    print(f"peak RSS of this process: {rss_mb():.0f} MB (target for the app < 300 MB)")


if __name__ == "__main__":
    main()
