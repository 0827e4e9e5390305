"""50 simulated devices against a hub on PostgreSQL: latency percentiles and errors.

    .venv/bin/python benchmarks/hub_load.py [--devices 50] [--seconds 60] [--batch 20]

Each device pushes a batch of events every 2 s and pulls its scope every second (10 townships,
5 devices each, so every pull brings other devices' events). The hub runs as ``county-hub serve``
in its own process; the devices are asyncio tasks with one keep-alive connection each. Before the
clock starts each device connects and pulls once, unmeasured (``--cold`` measures from the first
request: 50 devices' first requests at once on a hub that has served nothing yet). Latency is
measured at the client, per request. Figures, not a pass/fail test (target: p99 < 100 ms, 0 errors).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import time
from contextlib import ExitStack

import httpx
from hub_common import API, Device, enrol_devices, hub_process, postgres_url

from county_hub.db import make_engine
from county_hub.migrate import upgrade


async def device_loop(
    base: str,
    device: Device,
    seconds: float,
    batch: int,
    out: dict[str, list],
    errors: list,
    warm: bool,
    ready: asyncio.Event,
) -> None:
    rng = random.Random(device.device_code)
    # Bodies are built before the clock starts: the load generator shares the machine with the hub.
    bodies = [
        json.dumps({"events": device.case_events(rng, batch)}).encode() for _ in range(int(seconds) // 2 + 2)
    ]
    cursor = 0
    async with httpx.AsyncClient(base_url=base, timeout=30, headers=device.headers) as http:
        if warm:  # a desk that has been running has its connection open: one unmeasured pull first
            r = await http.get(f"{API}/events", params={"after": 0, "limit": 1})
            r.raise_for_status()
            await ready.wait()
        start = time.monotonic() + rng.random()  # devices do not all tick at once
        tick = 0
        while True:
            due = start + tick
            if due - (start - 1) > seconds + 1:
                return
            await asyncio.sleep(max(0.0, due - time.monotonic()))
            if tick % 2 == 0:
                body = bodies[tick // 2]
                await _timed(http, "push", out, errors, "POST", f"{API}/events", content=body,
                             headers={"Content-Type": "application/json"})  # fmt: skip
            r = await _timed(
                http, "pull", out, errors, "GET", f"{API}/events", params={"after": cursor, "limit": 500}
            )
            if r is not None:
                cursor = r.json()["next_cursor"]
            tick += 1


async def _timed(
    http: httpx.AsyncClient, kind: str, out: dict[str, list], errors: list, method: str, url: str, **kw
):  # type: ignore[no-untyped-def]
    t = time.perf_counter()
    try:
        r = await http.request(method, url, **kw)
    except httpx.HTTPError as exc:
        errors.append(f"{kind}: {exc!r}")
        return None
    out[kind].append((time.perf_counter() - t) * 1000)
    if r.status_code != 200 or (kind == "push" and any(x["status"] != "stored" for x in r.json()["results"])):
        errors.append(f"{kind}: HTTP {r.status_code} {r.text[:200]}")
        return None
    return r


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


async def run(base: str, devices: list[Device], seconds: float, batch: int, warm: bool) -> None:
    print(f"load average before the run: {os.getloadavg()[0]:.1f} (CPUs: {os.cpu_count()})")
    out: dict[str, list] = {"push": [], "pull": []}
    errors: list[str] = []
    ready = asyncio.Event()
    loops = [
        asyncio.create_task(device_loop(base, d, seconds, batch, out, errors, warm, ready)) for d in devices
    ]
    if warm:
        await asyncio.sleep(2.0)  # every device connected and pulled once
    ready.set()
    started = time.monotonic()
    await asyncio.gather(*loops)
    elapsed = time.monotonic() - started
    pushed = len(out["push"]) * batch
    print(f"{len(devices)} devices, {elapsed:.0f} s, {pushed} events pushed ({pushed / elapsed:.0f}/s), "
          f"{len(out['pull'])} pulls")  # fmt: skip
    for kind in ("push", "pull"):
        v = out[kind] or [0.0]
        print(f"  {kind}: n={len(out[kind]):5d}  p50={statistics.median(v):6.1f} ms  p99={pct(v, 99):6.1f} ms  "
              f"max={max(v):6.1f} ms")  # fmt: skip
    every = out["push"] + out["pull"] or [0.0]
    print(
        f"  all : p50={statistics.median(every):6.1f} ms  p99={pct(every, 99):6.1f} ms  errors={len(errors)}"
    )
    for e in errors[:5]:
        print("   ", e)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--devices", type=int, default=50)
    p.add_argument("--seconds", type=float, default=60)
    p.add_argument("--batch", type=int, default=20)
    p.add_argument("--workers", type=int, default=1, help="hub worker processes")
    p.add_argument("--db", help="an existing PostgreSQL URL (default: start a throwaway server)")
    p.add_argument(
        "--cold",
        action="store_true",
        help="start measuring at once (default: each device connects and pulls once, unmeasured, first)",
    )
    args = p.parse_args()
    with ExitStack() as stack:
        url = args.db or stack.enter_context(postgres_url())
        engine = make_engine(url)
        upgrade(engine)
        engine.dispose()
        base = stack.enter_context(hub_process(url, workers=args.workers))
        devices = enrol_devices(base, url, sites=10, per_site=max(1, args.devices // 10))
        asyncio.run(run(base, devices[: args.devices], args.seconds, args.batch, warm=not args.cold))


if __name__ == "__main__":
    main()
