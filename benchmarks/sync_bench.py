"""Desk sync figures against a real hub (issue: accept -> stored p99 < 2 s; catch-up after a day offline).

    python benchmarks/sync_bench.py [--accepts 1000] [--offline-events 10000] [--skip-pg]

1. Link up: the desk's sync engine runs in its background thread (woken by each commit); each accept is
   timed from the clerk's commit to the moment the hub's answer marks its event stored. Timing starts once
   the engine's first round (its start-up pull and push) is over; the first 5 accepts are the warm-up,
   reported apart. p99 is printed from 1,000 accepts (the default), "max of N" with fewer
   (benchmarks/bench_stats.py).
2. A day offline: N events (half accepts, half transfers) made while the link is down, then one
   catch-up; seconds and events/s, on an embedded SQLite hub and on PostgreSQL. The hub runs in this
   process here; benchmarks/catch_up.py measures the 3 s catch-up target in both directions against a
   hub process.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
# The benchmark's hub speaks plain http on 127.0.0.1 (clerk_desk/sync/hub_address.py).
os.environ["CLERK_DESK_ALLOW_LOOPBACK_HTTP"] = "1"

import keyring  # noqa: E402
from bench_stats import Samples  # noqa: E402  (benchmarks/)
from sqlalchemy import select  # noqa: E402

from clerk_desk.services import accounts, demo, site_setup  # noqa: E402
from clerk_desk.services.intake import Clerk, IntakeService  # noqa: E402
from clerk_desk.services.intake_forms import Delivery, IntakeForm, ItemRef, MaterialCheck, Party  # noqa: E402
from clerk_desk.store.database import Database  # noqa: E402
from clerk_desk.store.models import CaseEvent  # noqa: E402
from clerk_desk.sync import enrolment  # noqa: E402
from clerk_desk.sync.engine import SyncEngine, wait_until_idle  # noqa: E402
from tests.support.hub_server import HubAdmin, grant_demo_roles, running_hub  # noqa: E402
from tests.support.memory_keyring import MemoryKeyring  # noqa: E402
from tests.support.postgres import PostgresServer  # noqa: E402
from tests.support.tcp_proxy import TcpProxy  # noqa: E402

SITE = "421224100"
FORM = IntakeForm(
    items=(ItemRef("002014006009", "城乡居民养老保险注销登记", "rs", "promise", promised_days=3),),
    applicant=Party("person", "张三", "11010519491231002X", phone="13812345678"),
    checklist=(MaterialCheck("居民身份证", provided=True, form="original", copies=1),),
)


def desk(folder: Path, url: str, admin: HubAdmin) -> tuple[Database, IntakeService, Clerk]:
    db = Database(folder)
    demo.ensure_demo_site(db)
    grant_demo_roles(admin, SITE)  # the hub takes events only from its users
    _dev, code = admin.device(SITE, "clerk")
    enrolment.enrol(db, url, code)
    u = next(u for u in accounts.list_users(db) if u.username == "clerk1")
    w = site_setup.list_windows(db)[0]
    return db, IntakeService(db), Clerk(u.id, u.username, u.display_name, w.id, w.name)


WARMUP = 5


def latency(target: str, n: int) -> None:
    with tempfile.TemporaryDirectory() as tmp, running_hub(target) as url, HubAdmin(target) as admin:
        admin.site(SITE, "通羊镇")
        db, svc, clerk = desk(Path(tmp) / "desk", url, admin)
        engine = SyncEngine(db, lambda: enrolment.client_for(db), interval_s=30)
        engine.start()
        wait_until_idle(engine)  # the engine's first round (start-up pull and push) is not an accept's
        out = Samples(f"accept -> stored at hub, link up ({n} accepts)", warmup=WARMUP)
        try:
            for _ in range(n + WARMUP):
                t0 = time.perf_counter()
                uid = svc.accept(FORM, clerk, delivery=Delivery("window")).cases[0].case_uuid
                while True:
                    with db.reading() as s:
                        state = s.scalar(select(CaseEvent.push_state).where(CaseEvent.case_uuid == uid))
                    if state in ("stored", "duplicate"):
                        break
                    time.sleep(0.002)
                out.add((time.perf_counter() - t0) * 1000)
                time.sleep(0.05)  # a clerk does not accept 20 cases a second
        finally:
            engine.stop()
    print(out.line(tails=(95, 99), digits=0) + "  target p99 2000 ms")


def catch_up(label: str, target: str, events: int) -> None:
    with tempfile.TemporaryDirectory() as tmp, running_hub(target) as url, HubAdmin(target) as admin:
        admin.site(SITE, "通羊镇")
        port = int(url.rsplit(":", 1)[1])
        with TcpProxy(("127.0.0.1", port)) as proxy:
            db, svc, clerk = desk(Path(tmp) / "desk", proxy.url, admin)
            proxy.down()
            t0 = time.perf_counter()
            for _ in range(events // 2):
                uid = svc.accept(FORM, clerk, delivery=Delivery("window")).cases[0].case_uuid
                svc.transfer(uid, clerk)
            made = time.perf_counter() - t0
            proxy.up()
            engine = SyncEngine(db, lambda: enrolment.client_for(db))
            t1 = time.perf_counter()
            engine.run_once()
            took = time.perf_counter() - t1
            st = engine.status()
    print(f"catch-up after a day offline, {label} hub: {events:,} events in {took:.1f} s "
          f"({events / took:,.0f} events/s; waiting after: {st.waiting}; making them offline took {made:.0f} s)")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--accepts", type=int, default=1000)
    ap.add_argument("--offline-events", type=int, default=10_000)
    ap.add_argument("--skip-pg", action="store_true")
    a = ap.parse_args()
    keyring.set_keyring(MemoryKeyring())  # never the user's real keyring
    key_dir = tempfile.TemporaryDirectory()  # a throwaway personal-data key, never this PC's
    os.environ.setdefault("CLERK_DESK_KEY_FILE", str(Path(key_dir.name) / "personal-data.key"))
    with tempfile.TemporaryDirectory() as hubs:
        latency(str(Path(hubs) / "hub-latency"), a.accepts)
        catch_up("SQLite", str(Path(hubs) / "hub-sqlite"), a.offline_events)
    if not a.skip_pg:
        pg = PostgresServer().start()
        try:
            catch_up("PostgreSQL", pg.create_database(), a.offline_events)
        finally:
            pg.stop()


if __name__ == "__main__":
    main()
