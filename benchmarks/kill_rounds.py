"""Kill the desk's sender and the county hub with SIGKILL, again and again, and count what was lost or
duplicated (the outbox's exactly-once promise, docs/sync-protocol.md).

Each round: the window accepts and transfers a few cases (in this process, on a real SQLite file), then
a real `clerk-desk sync run` process sends them through a slow proxy to a real `county-hub serve`
process, and at a random moment one of them (or both) is killed with SIGKILL and started again. After
the last round the desk sends what is left and the hub's own database is read back: every local event
must be there exactly once, each case's events in version order.

    .venv/bin/python benchmarks/kill_rounds.py --rounds 100              # SQLite hub
    .venv/bin/python benchmarks/kill_rounds.py --rounds 100 --postgres   # a throwaway PostgreSQL hub

Prints the rounds, the kills of each kind, the events, and lost / duplicated / out-of-order counts.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("CLERK_DESK_ALLOW_LOOPBACK_HTTP", "1")

import keyring  # noqa: E402
from sqlalchemy import create_engine, select, text  # noqa: E402

from clerk_desk.services.intake_forms import Delivery  # noqa: E402
from clerk_desk.store.database import Database  # noqa: E402
from clerk_desk.store.models import CaseEvent  # noqa: E402
from tests.services.test_intake import form  # noqa: E402
from tests.support.hub_server import HubAdmin  # noqa: E402
from tests.support.memory_keyring import FILE_ENV, MemoryKeyring  # noqa: E402
from tests.support.postgres import PostgresServer  # noqa: E402
from tests.support.tcp_proxy import TcpProxy  # noqa: E402
from tests.sync.conftest import SITE, Desk, make_desk  # noqa: E402
from tests.sync.test_faults import _free_port  # noqa: E402


@contextmanager
def hub(target: str, port: int) -> Iterator[subprocess.Popen[bytes]]:
    """`county-hub serve` as its own process, on a data folder (SQLite) or a database URL."""
    option = ["--db", target] if "://" in target else ["--data-dir", target]
    proc = subprocess.Popen([sys.executable, "-m", "county_hub", "serve", *option, "--port", str(port),
                             "--log-level", "warning"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the hub did not start") from None
            time.sleep(0.05)
    try:
        yield proc
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(30)


def sender(data: Path, env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "clerk_desk", "--data-dir", str(data), "sync", "run",
                             "--interval", "0.2", "--batch", "10"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def work(desk: Desk, cases: int) -> None:
    for _ in range(cases):
        uid = desk.intake.accept(form(), desk.clerk, delivery=Delivery("window")).cases[0].case_uuid
        desk.intake.transfer(uid, desk.clerk)


def hub_log(url: str) -> list[tuple[str, str, int]]:
    engine = create_engine(url)
    try:
        with engine.connect() as c:
            return [tuple(r) for r in c.execute(text("SELECT uuid, case_uuid, case_version FROM events ORDER BY seq"))]
    finally:
        engine.dispose()


def main() -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=50)
    ap.add_argument("--cases", type=int, default=3, help="cases accepted and transferred per round (2 events each)")
    ap.add_argument("--postgres", action="store_true")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    tmp = Path(tempfile.mkdtemp(prefix="kill-rounds-"))
    os.environ[FILE_ENV] = str(tmp / "keyring.json")  # the sender processes share the token through this file
    os.environ["PYTHON_KEYRING_BACKEND"] = "tests.support.memory_keyring.MemoryKeyring"
    os.environ["CLERK_DESK_KEY_FILE"] = str(tmp / "keys" / "personal-data.key")  # never this PC's own key
    keyring.set_keyring(MemoryKeyring())
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    port = _free_port()
    pg = PostgresServer().start() if args.postgres else None
    try:
        target = pg.create_database("hub") if pg else str(tmp / "hub")
        with HubAdmin(target) as admin:
            admin.site(SITE, "通羊镇便民服务中心")
            kills = {"sender": 0, "hub": 0, "both": 0}
            hub_ctx = hub(target, port)
            hub_proc = hub_ctx.__enter__()
            with TcpProxy(("127.0.0.1", port)) as proxy:
                desk = make_desk(tmp / "desk", proxy.url, admin)
                proxy.delay_s = 0.02  # a slow link: kills land while batches are on the wire
                t0 = time.monotonic()
                for r in range(args.rounds):
                    work(desk, args.cases)
                    s = sender(tmp / "desk", env)
                    time.sleep(rng.uniform(0.3, 2.0))  # the sender needs ~0.5 s to start
                    victim = rng.choice(("sender", "hub", "both"))
                    kills[victim] += 1
                    if victim in ("sender", "both"):
                        s.send_signal(signal.SIGKILL)
                    if victim in ("hub", "both"):
                        hub_proc.send_signal(signal.SIGKILL)
                        hub_ctx.__exit__(None, None, None)
                        hub_ctx = hub(target, port)
                        hub_proc = hub_ctx.__enter__()
                    if s.poll() is None:
                        s.send_signal(signal.SIGKILL)
                    s.wait(30)
                    if (r + 1) % 10 == 0:
                        print(f"round {r + 1}/{args.rounds}", flush=True)
                proxy.delay_s = 0.0
                desk.db.close()
                final = subprocess.run([sys.executable, "-m", "clerk_desk", "--data-dir", str(tmp / "desk"), "sync",
                                        "now"], env=env, capture_output=True, text=True, timeout=300)
                print((final.stdout.strip() or final.stderr[-500:]).splitlines()[-1])
                elapsed = time.monotonic() - t0
            hub_ctx.__exit__(None, None, None)
        db = Database(tmp / "desk")
        with db.reading() as s:
            mine = {e.uuid for e in s.scalars(select(CaseEvent).where(CaseEvent.origin == "local"))}
        db.close()
        url = target if "://" in target else f"sqlite:///{next(Path(target).glob('*.sqlite3'))}"
        stored = hub_log(url)
    finally:
        if pg:
            pg.stop()
    uuids = [u for u, _c, _v in stored]
    per_case: dict[str, list[int]] = {}
    for _u, case, version in stored:
        per_case.setdefault(case, []).append(version)
    lost = len(mine - set(uuids))
    duplicated = len(uuids) - len(set(uuids))
    out_of_order = sum(1 for v in per_case.values() if v != sorted(v))
    print(f"\nbackend: {'PostgreSQL' if args.postgres else 'SQLite'}; {args.rounds} rounds in {elapsed:.0f} s")
    print(f"SIGKILLs: sender {kills['sender']}, hub {kills['hub']}, both {kills['both']} "
          f"({kills['sender'] + kills['hub'] + 2 * kills['both']} processes killed)")
    print(f"events made at the window: {len(mine)}; stored at the hub: {len(set(uuids))}")
    print(f"lost {lost}, duplicated {duplicated}, cases out of order {out_of_order}")
    return 0 if lost == duplicated == out_of_order == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
