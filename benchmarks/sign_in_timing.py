"""Does a failed sign-in tell whether the user name exists? Time an unknown name against a wrong password.

    python benchmarks/sign_in_timing.py [--runs 200] [--early]

Tries alternate (unknown, wrong password, disabled account) so a load change on the shared machine
hits all three alike; prints the median and p95 of each and the ratio of the medians. The account
locks after five failures: from then on its tries take the locked path, which must cost the same.
A throwaway data folder and key (CLERK_DESK_KEY_FILE) are used.

With --early each try is first typed at the dialog (services/early_digest.py: its scrypt worked out before
the click) and only the check at the click is timed: the time a person waits after Enter, which must not
tell the three apart either.
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
    ap.add_argument("--early", action="store_true", help="each password offered while typed, the click timed")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.setdefault("CLERK_DESK_KEY_FILE", str(Path(tmp) / "key" / "personal-data.key"))
        from clerk_desk.domain.errors import AuthError
        from clerk_desk.services import accounts, sign_in, site_setup
        from clerk_desk.services.early_digest import EarlyDigest
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
        early = EarlyDigest(lambda name: sign_in.verifier_for(db, name)) if a.early else None
        for _ in range(a.runs):
            for label, (user, password) in tries.items():
                if early is not None:  # typed: the digest made before the click
                    made = early.derived
                    early.offer(user, password)
                    while early.derived == made:
                        time.sleep(0.0005)
                t = time.perf_counter()
                try:
                    sign_in.authenticate(db, user, password, early=early)
                except AuthError as exc:
                    messages[label].add(exc.message_zh)
                times[label].append((time.perf_counter() - t) * 1000)
        db.close()
    how = "typed first, the click timed" if a.early else "submitted at once"
    print(f"{a.runs} tries each, alternating, {how}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    base = statistics.median(times["wrong password"])
    for label, ms in times.items():
        med = statistics.median(ms)
        print(f"{label:<20} median {med:6.1f} ms  {tail(ms, 95)}  ratio to wrong password {med / base:5.3f}")
    every = set().union(*messages.values())
    print(f"messages: {len(every)} distinct: {sorted(every)}")


if __name__ == "__main__":
    main()
