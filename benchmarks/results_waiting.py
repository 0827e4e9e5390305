"""The results notice's read at sign-in on 200,000 cases: every result waiting at the window that nobody has
reached yet, read by folding each case (``result_calls.call_list``, as the notice read it before) against the
plain-SQL keyset read of the case rows (``result_calls.waiting``, what it reads now).

    python benchmarks/results_waiting.py [--data /tmp/clerk-bench-200k] [--cases 200000] [--runs 5]

The database is the one benchmarks/cold_start.py builds (benchmarks/case_db.py). Both reads are timed in
wall and CPU time (this process: the read runs on one worker thread). Their answers are not compared here:
the builder gives each case its status on the case row and only its ``accepted`` event, so the fold finds
none of the 16,700 rows at the window (it still folds each one: the cost the notice paid); the agreement is
tested on cases made by the services (tests/services/test_result_calls.py).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_stats import Samples  # noqa: E402
from case_db import build, use_bench_key  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=Path("/tmp/clerk-bench-200k"))
    ap.add_argument("--cases", type=int, default=200_000)
    ap.add_argument("--runs", type=int, default=5)
    a = ap.parse_args()
    use_bench_key(a.data)
    build(a.data, a.cases)
    from clerk_desk.services import result_calls as rc
    from clerk_desk.store.database import Database

    db = Database(a.data)
    folded, read = rc.call_list(db), rc.waiting(db)  # (also warm the file cache)
    print(
        f"result_at_window rows with no 已通知 call: {len(read):,}; found at the window by the fold: {len(folded):,}"
    )
    reads = (
        ("fold each case (call_list)", lambda: rc.call_list(db)),
        ("plain SQL (waiting)", lambda: rc.waiting(db)),
    )
    for name, fn in reads:
        wall, cpu = Samples(f"{name}, wall"), Samples(f"{name}, CPU")
        for _ in range(a.runs):
            t, c = time.perf_counter(), time.process_time()
            fn()
            wall.add((time.perf_counter() - t) * 1000)
            cpu.add((time.process_time() - c) * 1000)
        print(wall.line(digits=0))
        print(cpu.line(digits=0))
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
