"""How long ``clerk-desk db rekey`` takes on a desk of 200,000 cases (docs/personal-data.md, "Rotating the key").

    python benchmarks/rekey_bench.py [--cases 200000] [--data /tmp/clerk-bench-200k] [--runs 3]

The database is built once by benchmarks/case_db.py (sealed with its benchmark key) and copied, with its key,
to a scratch folder; each run rotates the copy's key once more (the same work every time: every sealed value
opened and sealed again, the blind indexes and the name counts made again, the audit log signed again, in one
transaction, then the checkpoint). Prints wall and CPU seconds per rotation (the first run apart, as the one
that reads the file into the OS cache), the amounts, the file size, and a check that the searches still find
the same number of cases.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_stats import summary  # noqa: E402
from case_db import build  # noqa: E402

from clerk_desk.services import case_queries  # noqa: E402
from clerk_desk.store import machine_key, rekey  # noqa: E402
from clerk_desk.store.database import Database  # noqa: E402
from clerk_desk.store.engine import database_path  # noqa: E402

SEARCHES = ("张", "王伟")


def found(data: Path) -> dict[str, int]:
    db = Database(data)
    try:
        return {t: case_queries.count(db, case_queries.CaseFilter(text=t), cap=1_000_000) for t in SEARCHES}
    finally:
        db.close()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=200_000)
    ap.add_argument("--data", type=Path, default=Path("/tmp/clerk-bench-200k"))
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()

    data = build(args.data, args.cases)  # sets CLERK_DESK_KEY_FILE to the benchmark key
    scratch = Path(tempfile.mkdtemp(prefix="clerk-rekey-bench-"))
    try:
        copy = scratch / "data"
        copy.mkdir(mode=0o700)
        Database(data).close()  # the -wal checkpointed into the file before it is copied
        shutil.copy2(database_path(data), database_path(copy))
        key = scratch / "keys" / machine_key.KEY_FILENAME
        key.parent.mkdir(mode=0o700)
        shutil.copy2(os.environ[machine_key.ENV_KEY_FILE], key)
        os.environ[machine_key.ENV_KEY_FILE] = str(key)
        size = database_path(copy).stat().st_size / 1e6
        before = found(copy)

        wall, cpu, last = [], [], None
        for _ in range(args.runs):
            t, c = time.perf_counter(), time.process_time()
            last = rekey.rekey(copy)
            wall.append(time.perf_counter() - t)
            cpu.append(time.process_time() - c)
        assert last is not None
        after = found(copy)
        print(f"database: {args.cases:,} cases, {size:,.0f} MB; per rotation {last.persons:,} persons, "
              f"{last.values:,} sealed values, {last.name_keys:,} name keys, {last.audit_entries:,} audit entries")  # fmt: skip
        print(summary("rekey, wall", wall, warmup=1 if args.runs > 1 else 0, unit="s", digits=2))
        print(summary("rekey, CPU", cpu, warmup=1 if args.runs > 1 else 0, unit="s", digits=2))
        per = statistics_per(wall, last.values)
        print(f"per sealed value: {per:.1f} µs wall (median run)")
        print(f"searches {', '.join(SEARCHES)}: {before} before, {after} after: {'same' if before == after else 'DIFFER'}")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def statistics_per(wall: list[float], values: int) -> float:
    import statistics

    return statistics.median(wall) / max(values, 1) * 1e6


if __name__ == "__main__":
    main()
