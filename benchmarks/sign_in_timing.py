"""Does a failed sign-in tell whether the user name exists? Time an unknown name against a wrong password.

    python benchmarks/sign_in_timing.py [--runs 200]

Tries alternate (unknown, wrong password, disabled account) so a load change on the shared machine
hits all three alike; prints the median and p95 of each and the ratio of the medians. The account
locks after five failures: from then on its tries take the locked path, which must cost the same.
A throwaway data folder and key (CLERK_DESK_KEY_FILE) are used.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_stats import tail  # noqa: E402  (benchmarks/: a p95 from 200 samples, else "max of N")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=200)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.setdefault("CLERK_DESK_KEY_FILE", str(Path(tmp) / "key" / "personal-data.key"))
        from clerk_desk.domain.errors import AuthError
        from clerk_desk.services import accounts, sign_in, site_setup
        from clerk_desk.store.database import Database

        db = Database(Path(tmp) / "data")
        site_setup.set_site(db, site_code="421224100", site_name="通羊镇", device_code="01")
        accounts.add_user(
            db, username="clerk1", display_name="张小红", password="Secret-123", roles=["clerk"]
        )
        accounts.add_user(db, username="gone", display_name="离职", password="Secret-123", roles=["clerk"])
        accounts.set_active(db, "gone", False)
        tries = {"unknown user name": ("nobody", "Secret-123"), "wrong password": ("clerk1", "wrong-pass1"),
                 "disabled account": ("gone", "Secret-123")}  # fmt: skip
        times: dict[str, list[float]] = {k: [] for k in tries}
        messages: dict[str, set[str]] = {k: set() for k in tries}
        for _ in range(a.runs):
            for label, (user, password) in tries.items():
                t = time.perf_counter()
                try:
                    sign_in.authenticate(db, user, password)
                except AuthError as exc:
                    messages[label].add(exc.message_zh)
                times[label].append((time.perf_counter() - t) * 1000)
        db.close()
    print(f"{a.runs} tries each, alternating; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    base = statistics.median(times["wrong password"])
    for label, ms in times.items():
        med = statistics.median(ms)
        print(f"{label:<20} median {med:6.1f} ms  {tail(ms, 95)}  ratio to wrong password {med / base:5.3f}")
    every = set().union(*messages.values())
    print(f"messages: {len(every)} distinct: {sorted(every)}")


if __name__ == "__main__":
    main()
