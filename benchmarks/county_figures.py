"""County figures: the aggregate endpoints over 20 townships and 5,000,000 events on PostgreSQL, and the cost
of keeping the figures up to date per pushed event (docs/hub.md, "County figures").

    .venv/bin/python benchmarks/county_figures.py aggregates [--events 5000000] [--samples 1000]
    .venv/bin/python benchmarks/county_figures.py push [--cases 3000] [--backend postgresql|sqlite|both]

``aggregates``: a fresh PostgreSQL server and hub database; a year of generated cases of 20 townships
(tests/support/county_cases.py) until the log holds ``--events`` events. The bulk load does NOT go through
HTTP: the rows of ``events``, ``cases`` and both figure tables are written with COPY (the figures made by
the hub's own projection, county_hub.county_projection, over the generated events). Then ``county-hub
serve`` in its own process and a county supervisor device ask over HTTP: the last 30 days for the whole
county, the same for one township, the 督办 list, and the whole year. Warm-up requests are timed and
reported apart; p99 is printed only from at least 1,000 samples.

``push``: the same generated cases pushed in-process (county_hub.push.push_events, the hub's real storage,
batches of 200 by each township's clerk and approver device) with this tree's hub, and with the hub of the
commit before the figures (``--base``, extracted with git archive to a temporary folder and put first on
PYTHONPATH), each on a fresh database. Prints events/s of both and the ratio.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import subprocess
import sys
import tarfile
import tempfile
import time
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.append(str(ROOT))  # appended: the push worker may take county_hub from PYTHONPATH (--base)

BASE_COMMIT = "037ed8b"  # the hub before the county figures
SITES = [f"4212241{n:02d}" for n in range(20)]
COUNTY_SITE = "421224000"


# -- stats ---------------------------------------------------------------------------------------------
def stats(label: str, values: list[float]) -> str:
    ordered = sorted(values)

    def pct(p: float) -> float:  # nearest rank
        return ordered[max(0, -(-len(ordered) * p // 100) - 1)]

    text = f"{label:34s} n={len(ordered):5d}  p50={pct(50):7.1f}  p95={pct(95):7.1f}"
    text += f"  p99={pct(99):7.1f}" if len(ordered) >= 1000 else "  p99=  (n<1000)"
    return text + f"  max={ordered[-1]:7.1f} ms"


# -- aggregates over 5M events ---------------------------------------------------------------------------
def bulk_load(dsn: str, n_events: int, now: datetime) -> dict[str, Any]:
    """COPY a year of generated cases into a migrated hub database; returns what was loaded."""
    import psycopg

    from clerk_desk.domain.lifecycle import OWNER, Status
    from county_hub.county_projection import CASE_COLUMNS, COUNTERS, name_item, project
    from county_hub.schemas import iso_utc
    from tests.support.county_cases import generate

    rng = random.Random(2026)
    cases_iter = generate(rng, SITES, now - timedelta(days=365), now - timedelta(minutes=1), 10**9)
    seq = 0
    n_cases = 0
    daily: dict[Any, dict[str, int]] = {}
    durations: dict[Any, int] = {}
    items: dict[str, tuple[str, str]] = {}  # county_items: each code's latest name, as every push keeps it
    started = time.perf_counter()
    stamp = now
    with psycopg.connect(dsn) as pg:
        while seq < n_events:
            chunk, planned = [], 0
            while len(chunk) < 20_000 and seq + planned < n_events:
                chunk.append(next(cases_iter))
                planned += len(chunk[-1].steps)
            events_rows, case_rows, logged = [], [], []
            for case in chunk:
                n_cases += 1
                first = seq + 1
                for version, step in enumerate(case.steps):
                    seq += 1
                    occurred = iso_utc(step.at)
                    actor = "clerk1" if step.side == "window" else "approver1"
                    payload = json.dumps(step.payload, ensure_ascii=False, separators=(",", ":"))
                    uid = f"{case.uuid[:24]}{version:012d}"
                    events_rows.append((seq, uid, uid.ljust(64, "0"), case.uuid, version, step.type, step.side,
                                        case.site_code, case.department_code, payload, actor,
                                        f"d{case.site_code}", occurred, seq, stamp, "bulk"))  # fmt: skip
                    logged.append(_Logged(case.uuid, case.site_code, case.department_code, actor, occurred,
                                          step.payload, step.type))  # fmt: skip
                case_rows.append(
                    (case.uuid, case.site_code, case.department_code, first, seq, len(case.steps))
                )
            projection = project({}, logged)
            for key, counts in projection.daily.items():
                into = daily.setdefault(key, dict.fromkeys(COUNTERS, 0))
                for name, v in counts.items():
                    into[name] += v
            for key, n in projection.durations.items():
                durations[key] = durations.get(key, 0) + n
            for code, (name, at) in projection.items.items():
                name_item(items, code, name, at)
            with pg.cursor() as cur:
                with cur.copy(
                    "COPY events (seq, uuid, body_hash, case_uuid, case_version, type, side, site_code, "
                    "department_code, payload, actor, device_code, occurred_at, device_seq, received_at, "
                    "token_id) FROM STDIN"
                ) as copy:
                    for row in events_rows:
                        copy.write_row(row)
                with cur.copy(
                    "COPY cases (case_uuid, site_code, department_code, status, version, owner, pledge_open, "
                    "withdrawal_requested, first_seq, last_seq, updated_at) FROM STDIN"
                ) as copy:
                    for uuid, site, dept, first, last, version in case_rows:
                        status = Status(projection.cases[uuid].status)
                        owner = OWNER[status]
                        copy.write_row((uuid, site, dept, status.value, version, owner.value if owner else None,
                                        False, False, first, last, stamp))  # fmt: skip
                with cur.copy(f"COPY county_cases (case_uuid, {', '.join(CASE_COLUMNS)}) FROM STDIN") as copy:
                    for uuid, row in projection.cases.items():
                        copy.write_row((uuid, *(getattr(row, c) for c in CASE_COLUMNS)))
            pg.commit()
            print(
                f"  loaded {seq:,} events, {n_cases:,} cases ({time.perf_counter() - started:.0f} s)",
                flush=True,
            )
        with pg.cursor() as cur:
            keys = "site_code, department_code, day, item_code, channel"
            with cur.copy(f"COPY county_daily ({keys}, {', '.join(COUNTERS)}) FROM STDIN") as copy:
                for key, counts in daily.items():
                    copy.write_row((*key, *(counts[c] for c in COUNTERS)))
            from county_hub.county_projection import Projection

            whole = Projection({}, frozenset(), daily, durations, items)
            for table, rows in (("county_durations", whole.duration_rows()), ("county_monthly", whole.monthly_rows()),
                                ("county_durations_monthly", whole.monthly_duration_rows()),
                                ("county_items", whole.item_rows())):  # fmt: skip
                if not rows:
                    continue
                with cur.copy(f"COPY {table} ({', '.join(rows[0])}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(tuple(row.values()))
            cur.execute("UPDATE counters SET value = %s WHERE name = 'events'", (seq,))
        pg.commit()
        pg.autocommit = True
        pg.execute("VACUUM ANALYZE county_cases")
        pg.execute("VACUUM ANALYZE county_daily")
        for table in ("county_durations", "county_monthly", "county_durations_monthly", "county_items"):
            pg.execute(f"VACUUM ANALYZE {table}")
        pg.execute("ANALYZE events")
        pg.execute("ANALYZE cases")
    return {"events": seq, "cases": n_cases, "days": len(daily), "durations": len(durations),
            "seconds": time.perf_counter() - started}  # fmt: skip


class _Logged:
    __slots__ = ("case_uuid", "site_code", "department_code", "actor", "occurred_at", "payload", "type")

    def __init__(self, *values: Any) -> None:
        for name, value in zip(self.__slots__, values, strict=True):
            setattr(self, name, value)


def aggregates(n_events: int, samples: int, year_samples: int) -> None:
    import httpx

    from county_hub.migrate import upgrade
    from county_hub.storage import make_engine
    from tests.support.hub_server import API, HubAdmin, enrol
    from tests.support.postgres import PostgresServer

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from hub_common import hub_process

    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    server = PostgresServer().start()
    try:
        url = server.create_database()
        engine = make_engine(url)
        upgrade(engine)
        engine.dispose()
        now = datetime.now(UTC).replace(microsecond=0)
        loaded = bulk_load(server.dsn(url.rsplit("/", 1)[1]), n_events, now)
        print(f"bulk load (COPY, not HTTP): {loaded['events']:,} events, {loaded['cases']:,} cases, "
              f"{loaded['days']:,} day rows, {loaded['durations']:,} histogram rows of 20 townships in "
              f"{loaded['seconds']:.0f} s")  # fmt: skip
        with HubAdmin(url) as admin:
            admin.site(COUNTY_SITE, "县政务服务中心")
            _code, code = admin.device(COUNTY_SITE, "county")
        with hub_process(url) as base, httpx.Client(base_url=base, timeout=60) as http:
            token = enrol(base, code, "county")["token"]
            headers = {"Authorization": f"Bearer {token}"}
            today = now.date()
            month = {"from": (today - timedelta(days=29)).isoformat(), "to": today.isoformat()}
            year = {"from": (today - timedelta(days=364)).isoformat(), "to": today.isoformat()}
            asks = [
                ("figures, 30 days, whole county", "/county/figures", month, samples),
                ("figures, 30 days, one township", "/county/figures", {**month, "site": SITES[3]}, samples),
                ("督办 list, whole county", "/county/overdue", {}, samples),
                ("figures, 365 days, whole county", "/county/figures", year, year_samples),
            ]
            from bench_stats import Samples

            for label, path, params, n in asks:
                if not n:
                    continue
                taken = Samples(label, warmup=10)
                before = os.getloadavg()[0]
                taken.extend(_timed(http, f"{API}{path}", params, headers) for _ in range(10 + n))
                print(f"  {taken.line(tails=(95, 99), width=34)}  load {before:.1f} -> {os.getloadavg()[0]:.1f}",
                      flush=True)  # fmt: skip
            body = http.get(f"{API}/county/figures", params=month, headers=headers).json()
            rows = body["by_township"]
            print(f"  30 days: {len(rows)} township×department rows, {sum(r['intakes'] for r in rows):,} intakes, "
                  f"{sum(r['decisions'] for r in rows):,} decisions; 督办 list now: "
                  f"{http.get(f'{API}/county/overdue', headers=headers).json()['total']:,} cases")  # fmt: skip
    finally:
        server.stop()


def _timed(http: Any, path: str, params: dict[str, str], headers: dict[str, str]) -> float:
    started = time.perf_counter()
    r = http.get(path, params=params, headers=headers)
    elapsed = (time.perf_counter() - started) * 1000
    r.raise_for_status()
    return elapsed


# -- the cost per pushed event -----------------------------------------------------------------------------
def push_worker(db_url: str, n_cases: int, now: datetime) -> None:
    """In-process pushes of generated cases with whichever county_hub is first on the path; prints JSON."""
    from sqlalchemy import update

    import county_hub
    from county_hub import devices
    from county_hub.db import write_engine
    from county_hub.migrate import upgrade
    from county_hub.models import Device, RoleGrant
    from county_hub.push import push_events
    from county_hub.schemas import WireEvent
    from county_hub.storage import open_storage
    from tests.support.county_cases import ITEMS, generate
    from tests.support.hub_server import HubAdmin, wire_event

    storage = open_storage(db_url)
    upgrade(storage.engine)
    admin = HubAdmin(storage.engine)
    sites = SITES[:4]
    tokens: dict[tuple[str, str], Any] = {}
    for site in sites:
        admin.site(site, site)
        admin.grant("clerk1", "clerk", site)
        for dept in ITEMS:
            admin.grant("approver1", "approver", site, dept)
        for kind, serves in (("clerk", ()), ("approver", tuple((site, d) for d in ITEMS))):
            code, enrolment = admin.device(site, kind, serves)
            with write_engine(storage.engine).begin() as conn:
                answer = devices.enrol(conn, enrolment, "bench", {})
            tokens[(site, "window" if kind == "clerk" else "back_office")] = (code, answer["token"])
    with write_engine(storage.engine).begin() as conn:
        conn.execute(update(Device).values(enrolled_at=now - timedelta(days=60)))
        conn.execute(update(RoleGrant).values(valid_from=None))
    cases = list(
        generate(random.Random(7), sites, now - timedelta(days=30), now - timedelta(minutes=1), n_cases)
    )
    batches: dict[tuple[int, str, str], list[WireEvent]] = defaultdict(list)
    seqs: dict[str, int] = defaultdict(int)
    for case in cases:
        phase, side = 0, case.steps[0].side
        for version, step in enumerate(case.steps):
            if step.side != side:
                phase, side = phase + 1, step.side
            code, _token = tokens[(case.site_code, step.side)]
            seqs[code] += 1
            event = wire_event(
                case.uuid, version, step.type, site_code=case.site_code, department_code=case.department_code,
                device_code=code, device_seq=seqs[code], side=step.side,
                actor="clerk1" if step.side == "window" else "approver1", payload=step.payload,
                occurred_at=step.at.isoformat(),
            )  # fmt: skip
            batches[(phase, step.side, case.site_code)].append(WireEvent.model_validate(event))
    pushes = []
    for (_phase, side, site), events in sorted(batches.items()):
        for i in range(0, len(events), 200):
            pushes.append(((site, side), events[i : i + 200]))
    total = sum(len(e) for _, e in pushes)
    elapsed = 0.0
    for key, events in pushes:
        device = storage.device(tokens[key][1])  # fresh counters for each push, as a request would read them
        started = time.perf_counter()
        answers = push_events(storage, device, events)
        elapsed += time.perf_counter() - started
        assert {a.status for a in answers} == {"stored"}, answers[:2]
    storage.engine.dispose()
    print(json.dumps({"events": total, "seconds": elapsed, "hub": str(Path(county_hub.__file__).parent)}))


def _base_tree(commit: str, into: Path) -> Path:
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", commit, "county_hub", "clerk_desk"],
        check=True,
        capture_output=True,
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into


def push_cost(n_cases: int, backends: list[str], base_commit: str) -> None:
    from tests.support.postgres import PostgresServer

    print(
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs; {n_cases} generated cases, batches of 200"
    )
    now = datetime.now(UTC).isoformat()  # the same cases for every run
    with tempfile.TemporaryDirectory() as tmp:
        base = _base_tree(base_commit, Path(tmp) / "base")
        server = PostgresServer().start() if "postgresql" in backends else None
        try:
            for backend in backends:
                results = {}
                for label, path in (("without figures", str(base)), ("with figures", "")):
                    for attempt in range(2):  # the first run of each warms the machine's caches
                        if backend == "sqlite":
                            url = f"sqlite:///{Path(tmp) / label.replace(' ', '-')}-{attempt}.sqlite3"
                        else:
                            assert server is not None
                            url = server.create_database()
                        env = {**os.environ, "PYTHONPATH": path} if path else dict(os.environ)
                        out = subprocess.run(
                            [sys.executable, __file__, "push-worker", "--db", url, "--cases", str(n_cases),
                             "--now", now],
                            check=True, capture_output=True, text=True, env=env,
                        ).stdout  # fmt: skip
                        result = json.loads(out.strip().splitlines()[-1])
                        results.setdefault(label, []).append(result["events"] / result["seconds"])
                        print(f"  {backend:10s} {label:16s} run {attempt + 1}: {result['events']} events, "
                              f"{result['events'] / result['seconds']:7.0f} events/s  (hub from {result['hub']})")  # fmt: skip
                without, with_ = max(results["without figures"]), max(results["with figures"])
                print(f"{backend:10s} best of 2: without {without:.0f} events/s, with {with_:.0f} events/s, "
                      f"with/without = {with_ / without:.2f} ({(1 / with_ - 1 / without) * 1e6:.0f} µs more per event)")  # fmt: skip
        finally:
            if server is not None:
                server.stop()


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="command", required=True)
    a = sub.add_parser("aggregates")
    a.add_argument("--events", type=int, default=5_000_000)
    a.add_argument("--samples", type=int, default=1000)
    a.add_argument("--year-samples", type=int, default=100, help="0: no whole-year question")
    c = sub.add_parser("push")
    c.add_argument("--cases", type=int, default=3000)
    c.add_argument("--backend", choices=("postgresql", "sqlite", "both"), default="both")
    c.add_argument("--base", default=BASE_COMMIT)
    w = sub.add_parser("push-worker")
    w.add_argument("--db", required=True)
    w.add_argument("--cases", type=int, required=True)
    w.add_argument("--now", required=True)
    args = p.parse_args()
    if args.command == "aggregates":
        aggregates(args.events, args.samples, args.year_samples)
    elif args.command == "push":
        push_cost(
            args.cases, ["sqlite", "postgresql"] if args.backend == "both" else [args.backend], args.base
        )
    else:
        push_worker(args.db, args.cases, datetime.fromisoformat(args.now))


if __name__ == "__main__":
    main()
