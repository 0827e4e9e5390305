"""Tab counts and filters of the case lists at 1,000,000 cases, and the accept with the counts kept.

    python benchmarks/case_counts.py [--data /tmp/clerk-bench-1m] [--cases 1000000] [--runs 1000]

Service level (services/case_queries.py, the same calls the list pages make on their worker thread):
- tab counts: the five tabs of the window's 办件 list and the five of the back office's inbox, each set as
  one call (what a page does after its rows are painted), with no search text: summed from the kept counts
  (store/case_counts.py); with a name searched: summed from the kept counts per name prefix
  (store/name_counts.py), but 今日 (walked); with any other search text: counted on the cases, capped at 1,000;
- every filter's first page in the window's 全部: applicant name (common surname, prefix, full, nobody), exact
  ID number (blind index; the number of a case of a year ago), case number (broad prefix, a prefix of only old
  numbers, grouped reading), item code, item words, a day's span of dates; and the first page of every other tab
  of the window's list and of the inbox under a common surname, a broad case-number prefix (recent, and of only
  old numbers: 2025) and an item code (and the inbox's third keyset page under the prefixes and the item code);
- the accept (case + person + checks + event, and now the kept counts by trigger), and the same accept
  with the count triggers dropped, in alternating blocks (their cost on this machine, in the same run).
Targets (issue #15): tab counts <= 50 ms, every filter <= 20 ms, accept <= 10 ms median. The accepts are of
an applicant no search here finds (司马受理, an ID number not searched), so repeated runs measure the same
searches.
``--only TEXT`` (repeatable) measures only the lines whose label holds TEXT and makes no accepts (nothing is
written but what opening the file migrates), except ``--only adversary``: the number-day plan's worst case
(services/case_number_plans.py), a newest-first tab holding more than 1/DENSE of all cases but none under a broad
prefix (the window's 待送达 under 2026, about half the cases). To make it, the tab's cases numbered in 2026 are
moved to 审批中 and cases of 归档 numbered earlier to the tab: run it on a copy of the database only. It prints
the plan's figure and the walk's in date order beside it (the plan it replaces). ``--runs`` samples of each after 5 warm-up calls (reported, not
counted); p99 is printed only from 1,000 samples (benchmarks/bench_stats.py). When the database is still at
0006 (built before the counts), opening it runs migration 0007 first: its time to count the cases is printed.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_stats import Samples  # noqa: E402
from case_db import build, use_bench_key  # noqa: E402

from clerk_desk.domain.lifecycle import Status  # noqa: E402
from clerk_desk.services import accounts, case_number_plans, case_sql, inbox, site_setup  # noqa: E402
from clerk_desk.services import case_queries as q  # noqa: E402
from clerk_desk.services.intake import Clerk, IntakeService  # noqa: E402
from clerk_desk.services.intake_forms import Delivery, IntakeForm, ItemRef, MaterialCheck, Party  # noqa: E402
from clerk_desk.store.database import Database  # noqa: E402
from clerk_desk.store.engine import database_path  # noqa: E402
from clerk_desk.store.sqlite_file import to_db  # noqa: E402

WARMUP = 5
ONLY: list[str] = []  # --only: measure just the lines whose label holds one of these
SERVES = (("421224100", "rs"), ("421224100", "mz"))
# A prefix of only old numbers: a newest-first list meets its first case after every newer one (half the build).
OLD_YEAR = "421224100-01-2025"


DEFAULT_DATA = Path("/tmp/clerk-bench-1m")

def measure(label: str, fn: Callable[[], object], runs: int, target: float) -> Samples | None:
    """Wall time of each call; the thread's CPU time beside it (the machine is shared: CPU time is the work)."""
    if ONLY and not any(part in label for part in ONLY):
        return None
    s, cpu = Samples(label, warmup=WARMUP), Samples(label, warmup=WARMUP)
    for _ in range(runs + WARMUP):
        t, c = time.perf_counter(), time.thread_time()
        fn()
        s.add((time.perf_counter() - t) * 1000)
        cpu.add((time.thread_time() - c) * 1000)
    verdict = "met" if s.median <= target else "MISSED"
    print(s.line(tails=(95, 99), digits=2, width=44) + f"  CPU median {cpu.median:.2f} ms"
          f"  target {target:g} ms median: {verdict}", flush=True)  # fmt: skip
    return s


def revision(path: Path) -> str:
    with sqlite3.connect(path) as c:
        return str(c.execute("SELECT version_num FROM alembic_version").fetchone()[0])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=1_000_000)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--runs", type=int, default=1000)
    ap.add_argument("--slow-runs", type=int, default=200, help="samples of what may take 100 ms or more")
    ap.add_argument("--only", action="append", default=[],
                    help="measure only the lines whose label holds this text (repeatable); no accepts")  # fmt: skip
    a = ap.parse_args()
    if any("adversary" in part for part in a.only) and a.data.resolve() == DEFAULT_DATA.resolve():
        ap.error("--only adversary changes case statuses: give --data a copy of the database, not the default")
    ONLY.extend(a.only)
    use_bench_key(a.data)
    build(a.data, a.cases)
    before = revision(database_path(a.data))
    t = time.perf_counter()
    db = Database(a.data)
    opened = time.perf_counter() - t
    after = revision(database_path(a.data))
    if before != after:
        print(f"migration {before} -> {after} on opening: {opened:.1f} s")
    with db.plain_reading() as c:
        n = c.execute("SELECT count(*) FROM cases").fetchone()[0]
        kept = c.execute("SELECT count(*) FROM sqlite_master WHERE name = 'case_counts'").fetchone()[0]
        rows = c.execute("SELECT count(*) FROM case_counts").fetchone()[0] if kept else 0
    print(f"database: {n:,} cases at {a.data} (revision {after}; {rows:,} rows of kept counts); "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    now = datetime.now(UTC)

    def window_tabs(text: str = "", codes: tuple[str, ...] = ()) -> dict[q.WindowView, int]:
        return q.counts(db, {v: q.window_filter(v, now=now, text=text, item_codes=codes) for v in q.WindowView})

    id_number = a_year_old_id_number(db, now)
    print("-- tab counts (one call for all five tabs, as the page makes it)")
    print(f"   window, no search: {window_tabs()}")
    print(f"   window, search 张: {window_tabs('张')}")
    print(f"   inbox, search 张: {inbox.counts(db, SERVES, '张')}")
    fast = a.runs if kept else a.slow_runs
    measure("window tabs, no search", window_tabs, fast, 50)
    measure("inbox tabs (2 departments), no search", lambda: inbox.counts(db, SERVES), fast, 50)
    searches = [("full name 王伟芳", "王伟芳"), ("exact ID number", id_number), ("case number prefix", "421224100-01-2026"),
                ("old-year prefix 2025", OLD_YEAR), ("item code", "LOCAL-MZ-DB"), ("prefix 王伟", "王伟"),
                ("common surname 张", "张")]  # fmt: skip
    for label, text in searches:
        measure(f"window tabs, search {label}", lambda t=text: window_tabs(t), a.slow_runs, 50)
    for label, text in searches:
        measure(f"inbox tabs, search {label}", lambda t=text: inbox.counts(db, SERVES, t), a.slow_runs, 50)

    print("-- filters: the first page of 100 rows of the window's list (全部)")
    day = q.window_filter(q.WindowView.TODAY, now=now).created_from
    assert day is not None
    filters = [
        ("name: common surname 张", q.CaseFilter(text="张")),
        ("name: prefix 王伟", q.CaseFilter(text="王伟")),
        ("name: rare full name 王伟芳", q.CaseFilter(text="王伟芳")),
        ("name: nobody by that name", q.CaseFilter(text="欧阳不存在")),
        ("ID number (blind index)", q.CaseFilter(text=id_number)),
        ("case number: prefix (broad)", q.CaseFilter(text="421224100-01-2026")),
        ("case number: old-year prefix 2025 (only old numbers)", q.CaseFilter(text=OLD_YEAR)),
        ("case number: grouped reading", q.CaseFilter(text="421224100 01 2025 0101")),
        ("item: code", q.CaseFilter(text="LOCAL-MZ-DB")),
        ("item: words -> 2 catalog codes", q.CaseFilter(text="养老", item_codes=("002014006009", "LOCAL-MZ-DB"))),
        ("date: one day a year ago", q.CaseFilter(created_from=day - timedelta(days=365),
                                                   created_before=day - timedelta(days=364))),  # fmt: skip
        ("date: today", q.window_filter(q.WindowView.TODAY, now=now)),
        ("status: to transfer + surname 张", q.window_filter(q.WindowView.TO_TRANSFER, text="张")),
    ]
    for label, f in filters:
        measure(f"filter {label}", lambda f=f: q.page(db, f, now=now, events=False), a.slow_runs, 20)
    print("-- filters: the first page of every other tab, under a surname, a case-number prefix, an item code")
    for label, text in [("张", "张"), ("case number prefix", "421224100-01-2026"), ("old-year prefix 2025", OLD_YEAR),
                        ("item code", "LOCAL-MZ-DB")]:  # fmt: skip
        for v in (q.WindowView.TO_TRANSFER, q.WindowView.BACK_OFFICE, q.WindowView.RESULTS):
            f = q.window_filter(v, now=now, text=text)
            measure(f"window {v} + {label}", lambda f=f: q.page(db, f, now=now, events=False), a.slow_runs, 20)
        for iv in inbox.InboxView:
            f = inbox.inbox_filter(iv, SERVES, text)
            measure(f"inbox {iv} + {label}", lambda f=f: inbox.page(db, f, now=now), a.slow_runs, 20)
            if text != "张" and (third := third_page_key(db, f, now)) is not None:  # keyset pages further on
                measure(f"inbox {iv} + {label}, page 3", lambda f=f, k=third: inbox.page(db, f, after=k, now=now),
                        a.slow_runs, 20)  # fmt: skip

    if any("adversary" in part for part in ONLY):
        adversary(db, now, a.slow_runs)
    if ONLY:
        db.close()
        return
    print("-- accept (with the kept counts' trigger)")
    svc = IntakeService(db)
    u = next(x for x in accounts.list_users(db) if x.username == "clerk1")
    w = site_setup.list_windows(db)[0]
    clerk = Clerk(u.id, u.username, u.display_name, w.id, w.name)
    form = IntakeForm(
        items=(ItemRef("002014006009", "城乡居民养老保险注销登记", "rs", "promise", promised_days=3),),
        applicant=Party("person", "司马受理", "11010519491231002X", phone="13812345678"),
        checklist=(MaterialCheck("居民身份证", provided=True, form="original", copies=1),
                   MaterialCheck("户口簿", provided=True, form="copy", copies=1)),
    )  # fmt: skip
    accept = lambda: svc.accept(form, clerk, delivery=Delivery("window"))  # noqa: E731
    measure("accept (case + person + checks + event)", accept, a.slow_runs, 10)
    if kept:
        trigger_cost(db, accept, a.slow_runs)
    db.close()


ADVERSARY_PREFIX = "421224100-01-2026"  # about half the build's numbers


def adversary(db: Database, now: datetime, runs: int) -> None:
    """The number-day plan's worst case: the window's 待送达 (results at the window) holds more than 1/DENSE of all
    cases and none under ADVERSARY_PREFIX, so every day under the prefix is read in full and nothing is found.
    Made on the database given (a copy): each run finds it made and makes it again, the same."""
    tab = Status.RESULT_AT_WINDOW.value
    top = ADVERSARY_PREFIX + case_sql.TOP
    t = time.perf_counter()
    with db.plain_transaction() as c:
        moved = c.execute("UPDATE cases SET status = ? WHERE status = ? AND case_number >= ? AND case_number < ?",
                          (Status.IN_REVIEW.value, tab, ADVERSARY_PREFIX, top)).rowcount  # fmt: skip
        every = int(c.execute("SELECT max(rowid) FROM cases").fetchone()[0])
        held = int(c.execute("SELECT coalesce(sum(n), 0) FROM case_counts WHERE status = ?", (tab,)).fetchone()[0])
        wanted = every // case_number_plans.DENSE + 5_000 - held  # dense, with a margin
        added = c.execute(
            "UPDATE cases SET status = ? WHERE rowid IN (SELECT rowid FROM cases WHERE status = ? AND case_number < ?"
            " ORDER BY rowid LIMIT ?)", (tab, Status.ARCHIVED.value, ADVERSARY_PREFIX, max(wanted, 0)),
        ).rowcount  # fmt: skip
    with db.plain_reading() as c:
        size = int(c.execute("SELECT coalesce(sum(n), 0) FROM case_counts WHERE status = ?", (tab,)).fetchone()[0])
        under = int(c.execute("SELECT count(*) FROM cases WHERE case_number >= ? AND case_number < ?",
                              (ADVERSARY_PREFIX, top)).fetchone()[0])  # fmt: skip
        inside = int(c.execute("SELECT count(*) FROM cases WHERE status = ? AND case_number >= ? AND case_number < ?",
                               (tab, ADVERSARY_PREFIX, top)).fetchone()[0])  # fmt: skip
    print(f"-- adversary (made in {time.perf_counter() - t:.1f} s: {moved:,} of the tab's cases moved out, {added:,}"
          f" of 归档 in): 待送达 holds {size:,} cases (1/{every / size:.1f} of {every:,}), {inside} of them under"
          f" {ADVERSARY_PREFIX}, which holds {under:,}; load average {os.getloadavg()[0]:.1f}")  # fmt: skip
    f = q.window_filter(q.WindowView.RESULTS, now=now, text=ADVERSARY_PREFIX)
    with db.plain_reading() as c:
        read = case_number_plans.number_days(c, f, ADVERSARY_PREFIX, None, 101)
    ranges = [b for b in read or () if b.index == "ix_cases_status_number"]
    plan = "the walk in date order" if read is None else "by number day"
    if read is not None and not any("c.uuid IN" in w for b in read for w in b.where):
        plan = f"the {len(ranges)} ranges of ix_cases_status_number that hold any of the tab's cases"
    print(f"   plan taken for the first page: {plan}")
    measure("adversary: window results + 2026 prefix, first page", lambda: q.page(db, f, now=now, events=False),
            runs, 20)  # fmt: skip
    measure("adversary: the tab's count under the prefix", lambda: q.count(db, f), runs, 20)
    walked("adversary: the same, walked in date order", lambda: q.page(db, f, now=now, events=False), runs)
    # More than BROAD_NAME of the tab's cases under the prefix, all in its first days: read by number day, every
    # later day of the prefix tested first (the plan's bound left). Moved back afterwards.
    with db.plain_transaction() as c:
        oldest = [r[0] for r in c.execute(
            "SELECT uuid FROM cases WHERE status = ? AND case_number >= ? AND case_number < ? ORDER BY case_number"
            " LIMIT ?", (Status.IN_REVIEW.value, ADVERSARY_PREFIX, top, case_sql.BROAD_NAME + 500))]  # fmt: skip
        marks = ", ".join("?" * len(oldest))
        c.execute(f"UPDATE cases SET status = ? WHERE uuid IN ({marks})", (tab, *oldest))
    try:
        print(f"   now {len(oldest):,} of the tab's cases under the prefix, the first numbers of it")
        measure("adversary: the same, its matches in the prefix's first days", lambda: q.page(db, f, now=now,
                events=False), runs, 20)  # fmt: skip
        walked("adversary: those, walked in date order", lambda: q.page(db, f, now=now, events=False), runs)
    finally:
        with db.plain_transaction() as c:
            c.execute(f"UPDATE cases SET status = ? WHERE uuid IN ({marks})", (Status.IN_REVIEW.value, *oldest))


def walked(label: str, fn: Callable[[], object], runs: int) -> None:
    """``fn`` measured with no case-number prefix short enough for the number days: the walk in date order."""
    number_day = case_number_plans.NUMBER_DAY
    case_number_plans.NUMBER_DAY = 0
    try:
        measure(label, fn, runs, 20)
    finally:
        case_number_plans.NUMBER_DAY = number_day


def third_page_key(db: Database, f: q.CaseFilter, now: datetime) -> tuple[datetime, str] | None:
    """The keyset key that reads the third page of ``f`` (None when it has fewer pages)."""
    key = None
    for _ in range(2):
        key = q.page(db, f, after=key, now=now, events=False).next_key
        if key is None:
            return None
    return key


def db_has(db: Database, table: str) -> bool:
    with db.plain_reading() as c:
        return c.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (table,)).fetchone() is not None


def a_year_old_id_number(db: Database, now: datetime) -> str:
    """The applicant's ID number of a case accepted about a year ago (one person, one case in the build)."""
    with db.plain_reading() as c:
        sealed = c.execute(
            "SELECT a.id_number FROM cases AS c JOIN persons AS a ON a.id = c.applicant_id"
            " WHERE c.created_at >= ? ORDER BY c.created_at LIMIT 1", (to_db(now - timedelta(days=365)),),
        ).fetchone()[0]  # fmt: skip
    return db.keys.open_text(sealed, "persons.id_number") or ""


def trigger_cost(db: Database, accept: Callable[[], object], runs: int) -> None:
    """The same accept with and without the count triggers (per day, store/case_counts.py; per name prefix,
    store/name_counts.py), in alternating blocks of 20 (the same machine for both); the counts are counted
    again afterwards."""
    from clerk_desk.store import case_counts, name_counts

    kept = [m for m in (case_counts, name_counts) if db_has(db, m.TABLE)]

    walls: dict[bool, list[float]] = {True: [], False: []}
    cpus: dict[bool, list[float]] = {True: [], False: []}
    with_triggers = True
    for block in range(max(2, runs // 20)):
        with_triggers = block % 2 == 0
        with db.plain_transaction() as c:
            for m in kept:
                if with_triggers:
                    m.install(c)
                else:
                    for name in m.TRIGGERS:
                        c.execute(f"DROP TRIGGER IF EXISTS {name}")
        for _ in range(20):
            t, cpu = time.perf_counter(), time.thread_time()
            accept()
            walls[with_triggers].append((time.perf_counter() - t) * 1000)
            cpus[with_triggers].append((time.thread_time() - cpu) * 1000)
    t = time.perf_counter()
    with db.plain_transaction() as c:
        for m in kept:
            m.install(c)
            m.rebuild(c)
    print(f"   (counts counted again after the comparison: {time.perf_counter() - t:.1f} s)")
    for on in (True, False):
        w, c = Samples(f"accept, count triggers {'on' if on else 'off'}"), Samples("")
        w.extend(walls[on])
        c.extend(cpus[on])
        print(w.line(tails=(95,), digits=2, width=44) + f"  CPU median {c.median:.2f} ms")


if __name__ == "__main__":
    main()
