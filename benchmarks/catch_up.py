"""Catch-up after a day offline, both directions, against a real county hub over HTTP on 127.0.0.1.

    python benchmarks/catch_up.py [--events 10000] [--runs 3] [--pg] [--profile push|pull]

Target (issue #10): a desk back after a day offline catches up 10,000 events in at most 3 s.

* push: desk A made N events of its own while offline (half accepts, half transfers, with the applicant's
  personal data) and now sends them: one sync cycle of its engine (probe, push, then the pull that brings
  its own N events back as acknowledgements, directory).
* pull: desk B, enrolled and synced before, comes back and takes the N events desk A made: one sync cycle
  of its engine (apply.pull with its per-case rebuild).

The hub runs as its own ``county-hub serve`` process (it must not share the desk's GIL), on a fresh
embedded SQLite database per run (``--pg``: a throwaway PostgreSQL), with the demo accounts holding their
roles (the hub takes events only from its users). The N offline events are made once through the intake
service and copied for every run; since they were made before the run's hub enrolled the desk, the hub
is given a day's clock-skew allowance (a desk enrolled before its day offline needs none). The desks'
personal-data key is a throwaway file. Each figure is the median of ``--runs`` runs; the ratio is
median / 3 s.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
# The hub of a benchmark speaks plain http on 127.0.0.1 (docs/sync-protocol.md, "Transport security").
os.environ["CLERK_DESK_ALLOW_LOOPBACK_HTTP"] = "1"
# The offline events predate the run's hub (see above): county_hub.settings reads its limits from here.
os.environ["COUNTY_HUB_LIMITS"] = json.dumps({"clock_skew_s": 86400.0})

import keyring  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from benchmarks.hub_common import hub_process, postgres_url  # noqa: E402
from clerk_desk.services import accounts, demo, site_setup  # noqa: E402
from clerk_desk.services.intake import Clerk, IntakeService  # noqa: E402
from clerk_desk.services.intake_forms import Delivery, IntakeForm, ItemRef, MaterialCheck, Party  # noqa: E402
from clerk_desk.store.database import Database  # noqa: E402
from clerk_desk.store.models import CaseEvent  # noqa: E402
from clerk_desk.sync import apply, enrolment  # noqa: E402
from clerk_desk.sync.engine import SyncEngine  # noqa: E402
from county_hub.settings import sqlite_url  # noqa: E402
from tests.support.hub_server import HubAdmin  # noqa: E402
from tests.support.memory_keyring import MemoryKeyring  # noqa: E402

TARGET_S = 3.0
SITE = demo.DEMO_SITE[0]
FORM = IntakeForm(
    items=(ItemRef("002014006009", "城乡居民养老保险注销登记", "rs", "promise", promised_days=3),),
    applicant=Party("person", "张三", "11010519491231002X", phone="13812345678", address="通山县通羊镇温泉路 1 号"),
    checklist=(MaterialCheck("居民身份证", provided=True, form="original", copies=1),),
)


def make_offline_desk(folder: Path, events: int) -> str:
    """A demo desk with ``events`` events made offline (never enrolled yet); returns its device code."""
    db = Database(folder)
    try:
        demo.ensure_demo_site(db)
        u = next(u for u in accounts.list_users(db) if u.username == "clerk1")
        w = site_setup.list_windows(db)[0]
        clerk = Clerk(u.id, u.username, u.display_name, w.id, w.name)
        svc = IntakeService(db)
        for _ in range(events // 2):
            uid = svc.accept(FORM, clerk, delivery=Delivery("window")).cases[0].case_uuid
            svc.transfer(uid, clerk)
        return site_setup.site_info(db).device_code or demo.DEMO_DEVICE
    finally:
        db.close()


def grant_demo_roles(admin: HubAdmin) -> None:
    """The demo accounts hold their roles at the hub since yesterday (before the offline work was done)."""
    since = datetime.now(UTC) - timedelta(days=1)
    for username, _name, roles, departments in demo.DEMO_USERS:
        for role in roles:
            for department in departments if role == "approver" else ("*",):
                admin.grant(username, role, SITE, department, valid_from=since)


def engine_for(db: Database) -> SyncEngine:
    return SyncEngine(db, lambda: enrolment.client_for(db), interval_s=3600)


def timed(fn: Callable[[], object], profile: bool) -> tuple[float, float]:
    """(wall seconds, the desk process's CPU seconds): on a shared machine the second is the steadier."""
    prof = cProfile.Profile() if profile else None
    t0, c0 = time.perf_counter(), time.process_time()
    if prof:
        prof.enable()
    fn()
    took, cpu = time.perf_counter() - t0, time.process_time() - c0
    if prof:
        prof.disable()
        pstats.Stats(prof).sort_stats("cumulative").print_stats(35)
    return took, cpu


Timing = tuple[float, float]


def one_run(work: Path, template: Path, device: str, db_url: str, events: int,
            profile: str | None) -> tuple[Timing, Timing]:
    with hub_process(db_url) as url, HubAdmin(db_url) as admin:
        admin.site(SITE, demo.DEMO_SITE[1])
        grant_demo_roles(admin)
        # B: an approver-less clerk desk of the same site that synced before A's day offline ended.
        b = Database(work / "b")
        demo.ensure_demo_site(b)
        enrolment.enrol(b, url, admin.device(SITE, "clerk")[1])
        engine_for(b).run_once()
        # A: the desk that worked offline, enrolled under the device code its events carry, and in step
        # with the hub's log before its day offline (so its catch-up also pulls its own events back).
        shutil.copytree(template, work / "a")
        a = Database(work / "a")
        enrolment.enrol(a, url, admin.device(SITE, "clerk", code=device)[1])
        client = enrolment.client_for(a)
        assert client is not None
        apply.pull(a, client)
        client.close()
        a_engine, b_engine = engine_for(a), engine_for(b)
        push = timed(a_engine.run_once, profile == "push")
        st = a_engine.status()
        assert st.waiting == 0 and st.rejected == 0 and st.fault is None and st.last_error is None, st
        pull = timed(b_engine.run_once, profile == "pull")
        st = b_engine.status()
        assert st.fault is None and st.last_error is None, st
        with b.reading() as s:
            got = s.scalar(select(func.count()).select_from(CaseEvent).where(CaseEvent.origin == "hub"))
        assert got == events, f"desk B holds {got} of {events} events"
        a.close()
        b.close()
    return push, pull


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--events", type=int, default=10_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--pg", action="store_true", help="the hub on PostgreSQL instead of embedded SQLite")
    ap.add_argument("--profile", choices=("push", "pull"), help="print a cProfile of that direction (first run)")
    args = ap.parse_args()
    keyring.set_keyring(MemoryKeyring())  # never the user's real keyring
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        os.environ.setdefault("CLERK_DESK_KEY_FILE", str(root / "key" / "personal-data.key"))  # never the PC's
        t0 = time.perf_counter()
        device = make_offline_desk(root / "template", args.events)
        print(f"made {args.events:,} events offline through the intake service in {time.perf_counter() - t0:.0f} s")
        pushes, pulls = [], []
        for run in range(args.runs):
            work = root / f"run{run}"
            if args.pg:
                with postgres_url() as db_url:
                    push, pull = one_run(work, root / "template", device, db_url, args.events,
                                         args.profile if run == 0 else None)
            else:
                (work / "hub").mkdir(parents=True)
                push, pull = one_run(work, root / "template", device, sqlite_url(work / "hub"), args.events,
                                     args.profile if run == 0 else None)
            pushes.append(push)
            pulls.append(pull)
            print(f"run {run + 1}: push {push[0]:.2f} s (desk CPU {push[1]:.2f} s), "
                  f"pull {pull[0]:.2f} s (desk CPU {pull[1]:.2f} s)", flush=True)
    hub = "PostgreSQL" if args.pg else "SQLite"
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    for name, values in (("push (desk sends its own offline work)", pushes),
                         ("pull (desk takes other desks' work)", pulls)):
        med = statistics.median(v[0] for v in values)
        cpu = statistics.median(v[1] for v in values)
        print(f"catch-up {name}, {args.events:,} events, {hub} hub: median {med:.2f} s of {len(values)} runs "
              f"({args.events / med:,.0f} events/s; desk CPU {cpu:.2f} s)  target {TARGET_S:.0f} s  "
              f"ratio {med / TARGET_S:.2f}")
    print(f"(load average {load:.1f} on {os.cpu_count()} CPUs at the end: other work on the machine slows the figures)")


if __name__ == "__main__":
    main()
