"""Push throughput of the county hub, beside the raw insert rate of the same rows (the limit).

    .venv/bin/python benchmarks/hub_push.py [--events 10000] [--batch 200] [--backend sqlite|postgresql|both]

For each backend: a fresh database, ``county-hub serve`` in its own process, one enrolled device
pushing the events over HTTP in batches (half the events open cases, half transfer them), and then
the same rows inserted straight into a fresh database of the same kind with SQLAlchemy core, one
transaction per batch. Prints events/s for both and the ratio. Figures, not a pass/fail test.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import tempfile
import time
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path

import httpx
from hub_common import API, Device, enrol_devices, hub_process, postgres_url
from sqlalchemy import insert

from county_hub.db import write_engine
from county_hub.migrate import upgrade
from county_hub.models import Event
from county_hub.push_plan import body_hash
from county_hub.schemas import WireEvent
from county_hub.storage import make_engine


def push_over_http(base: str, device: Device, events: list[dict], batch: int) -> float:
    with httpx.Client(base_url=base, timeout=120) as http:
        started = time.perf_counter()
        for i in range(0, len(events), batch):
            body = json.dumps({"events": events[i : i + batch]}, ensure_ascii=False).encode()
            r = http.post(
                f"{API}/events", content=body, headers={**device.headers, "Content-Type": "application/json"}
            )
            r.raise_for_status()
            statuses = {x["status"] for x in r.json()["results"]}
            assert statuses == {"stored"}, statuses
        return time.perf_counter() - started


def raw_insert(db_url: str, events: list[dict], batch: int) -> float:
    """The same rows, straight into the events table: no HTTP, no JSON, no rules, no case state."""
    engine = make_engine(db_url)
    upgrade(engine)
    now = datetime.now(UTC)
    rows = []
    for seq, e in enumerate(events, start=1):
        model = WireEvent.model_validate(e)
        rows.append({**model.model_dump(mode="json"), "seq": seq, "body_hash": body_hash(model),
                     "received_at": now, "token_id": "raw"})  # fmt: skip
    try:
        started = time.perf_counter()
        for i in range(0, len(rows), batch):
            with write_engine(engine).begin() as conn:
                conn.execute(insert(Event), rows[i : i + batch])
        return time.perf_counter() - started
    finally:
        engine.dispose()


def run(backend: str, n: int, batch: int) -> None:
    with ExitStack() as stack:
        if backend == "sqlite":
            folder = Path(stack.enter_context(tempfile.TemporaryDirectory()))
            hub_url, raw_url = f"sqlite:///{folder / 'hub.sqlite3'}", f"sqlite:///{folder / 'raw.sqlite3'}"
        else:
            hub_url = stack.enter_context(postgres_url())
            raw_url = hub_url.rsplit("/", 1)[0] + "/postgres"  # another database on the same server
        engine = make_engine(hub_url)
        upgrade(engine)
        engine.dispose()
        base = stack.enter_context(hub_process(hub_url))
        [device] = enrol_devices(base, hub_url, sites=1, per_site=1)
        events = device.case_events(random.Random(5), n)
        http_s = push_over_http(base, device, events, batch)
        raw_s = raw_insert(raw_url, events, batch)
    http_rate, raw_rate = n / http_s, n / raw_s
    print(
        f"{backend:10s} push over HTTP: {http_rate:8.0f} events/s ({http_s:.2f} s)   "
        f"raw insert: {raw_rate:8.0f} events/s ({raw_s:.2f} s)   HTTP/raw = {http_rate / raw_rate:.2f}"
    )


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--events", type=int, default=10_000)
    p.add_argument("--batch", type=int, default=200)
    p.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    args = p.parse_args()
    print(
        f"{args.events} events in batches of {args.batch} (target: at least 2,000 events/s); "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    )
    for backend in ("sqlite", "postgresql") if args.backend == "both" else (args.backend,):
        run(backend, args.events, args.batch)


if __name__ == "__main__":
    main()
