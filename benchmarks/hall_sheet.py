"""The hall-service reads over a busy month (docs/hall-services.md): the monthly attendance sheet, the
rating follow-up list, the windows with nobody on them, and the .xlsx export.

    .venv/bin/python benchmarks/hall_sheet.py [--cases-per-day 20] [--runs 5]

A demo desk gets a month of work through the services themselves: each working day every clerk signs on
to a window, takes two breaks, takes ``--cases-per-day`` cases finished on the spot (each rated, one in
eight 不满意 or worse) and signs off. Prints the size of the month and the median and worst time of each read.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ.setdefault("CLERK_DESK_KEY_FILE", str(Path(tempfile.mkdtemp(prefix="hall-bench-key-")) / "key"))

from clerk_desk.domain.workdays import SHANGHAI  # noqa: E402
from clerk_desk.services import accounts, attendance, demo, evaluation, site_setup  # noqa: E402
from clerk_desk.services.attendance_xlsx import write_xlsx  # noqa: E402
from clerk_desk.services.evaluation import Rating  # noqa: E402
from clerk_desk.services.intake import Clerk, IntakeService  # noqa: E402
from clerk_desk.services.intake_forms import IntakeForm, ItemRef, MaterialCheck, Party  # noqa: E402
from clerk_desk.store.database import Database  # noqa: E402
from tests.ui.cases.case_kit import resident_id  # noqa: E402

ITEM = ItemRef("GA-009", "居民身份证挂失申报", "ga", "immediate")
YEAR, MONTH = 2026, 11


def local(day: date, hh: int, mm: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hh, mm, tzinfo=SHANGHAI)


def build(folder: Path, per_day: int) -> tuple[Database, str, int, int]:
    db = Database(folder)
    demo.ensure_demo_site(db)
    site = site_setup.site_info(db).site_code or ""
    windows = site_setup.list_windows(db)
    users = [u for u in accounts.list_users(db) if "clerk" in u.roles]
    intake = IntakeService(db)
    rnd = random.Random(14)
    n = stints = 0
    for d in range(1, 31):
        day = date(YEAR, MONTH, d)
        if day.weekday() >= 5:
            continue
        for i, u in enumerate(users):
            w = windows[(i + d) % len(windows)]
            clerk = Clerk(u.id, u.username, u.display_name, w.id, w.name)
            attendance.sign_on(db, clerk, now=local(day, 8, 30))
            for hh in (10, 15):
                attendance.start_break(db, clerk, now=local(day, hh))
                attendance.end_break(db, clerk, now=local(day, hh, 15))
            for k in range(per_day):
                n += 1
                at = local(day, 9) + timedelta(minutes=k * 20 % 420)
                form = IntakeForm((ITEM,), Party("person", f"张{n}", resident_id(n % 9000 + 1)),
                                  (MaterialCheck("居民身份证", provided=True, form="original", copies=1),))
                uid = intake.complete_on_spot(form, clerk, result="已登记", now=at).cases[0].case_uuid
                bad = rnd.random() < 0.125
                evaluation.rate(db, uid, clerk, Rating.DISSATISFIED if bad else Rating.SATISFIED,
                                "等候太久" if bad else "", now=at + timedelta(minutes=1))
            attendance.sign_off(db, clerk, now=local(day, 17, 30))
            stints += 1
    return db, site, n, stints


def timed(fn, runs: int) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), max(times)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases-per-day", type=int, default=20)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="hall-bench-"))
    t = time.perf_counter()
    db, site, cases, stints = build(folder / "data", args.cases_per_day)
    print(f"month built: {stints} stints, {cases} cases, {cases} ratings in {time.perf_counter() - t:.1f} s")
    end = local(date(YEAR, 12, 5), 9)
    checks = {
        "monthly sheet (per clerk and per window)": lambda: attendance.monthly_sheet(db, site, YEAR, MONTH, now=end),
        "rating follow-up list (open)": lambda: evaluation.follow_up_list(db, site),
        "rating follow-up list (all)": lambda: evaluation.follow_up_list(db, site, include_done=True),
        "windows with nobody on them (one day)": lambda: attendance.unstaffed(
            db, site, date(YEAR, MONTH, 3), lambda d: d.weekday() < 5, now=end),
        "monthly sheet as .xlsx": lambda: write_xlsx(attendance.monthly_sheet(db, site, YEAR, MONTH, now=end),
                                                     "通羊镇便民服务中心", folder / "sheet.xlsx"),
    }
    print(f"{'read':<44} {'median ms':>10} {'worst ms':>9}")
    for name, fn in checks.items():
        median, worst = timed(fn, args.runs)
        print(f"{name:<44} {median:>10.1f} {worst:>9.1f}")
    sheet = attendance.monthly_sheet(db, site, YEAR, MONTH, now=end)
    print(f"sheet: {len(sheet.by_clerk)} clerks, {len(sheet.by_window)} windows, "
          f"{sum(x.cases for x in sheet.by_clerk)} cases counted; open return calls: "
          f"{len(evaluation.follow_up_list(db, site))}")
    db.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
