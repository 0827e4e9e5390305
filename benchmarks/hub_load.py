"""50 simulated devices against a hub on PostgreSQL: latency percentiles and errors (issue #5).

    .venv/bin/python benchmarks/hub_load.py [--devices 50] [--seconds 60] [--batch 20] [--workers 2]
                                            [--timeline 5] [--cold] [--db URL]

Each device pushes a batch of events every 2 s and pulls its scope every second (10 townships,
5 devices each, so every pull brings other devices' events). The hub runs as ``county-hub serve``
in its own process, with 2 workers by default as docs/hub.md recommends for PostgreSQL
(``--workers 1`` to compare). The devices are asyncio tasks with one keep-alive connection each.
Before the clock starts each device connects and pulls once, unmeasured (``--cold`` measures from the
first request: 50 devices' first requests at once on a hub that has served nothing yet). Latency is
measured at the client, per request, until the answer is received whole. ``--timeline 5`` also prints
p50/p99 per 5 s of the run (does latency grow as the log grows?).

The load generator shares the machine's CPUs with the hub and PostgreSQL, so it is kept light: push
bodies are built (and gzipped, as the desk sends them) before the clock starts, and the HTTP client is
a lean HTTP/1.1 one on asyncio streams (:class:`Connection`) - httpx took ~0.45 CPU for these 75
requests/s against ~0.17 now, and its busy event loop added its own delay to what it measured.
Figures, not a pass/fail test (target: p99 < 100 ms, 0 errors). Set ``COUNTY_HUB_TIMING_LOG=/tmp/t``
to have the hub log each request's server-side time and its GC pauses (county_hub/timing.py).
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import json
import os
import random
import statistics
import time
import zlib
from contextlib import ExitStack, suppress
from typing import Any
from urllib.parse import urlsplit

from bench_stats import tail  # p99 from 1,000 samples, else "max of N"
from hub_common import API, Device, enrol_devices, hub_process, postgres_url

from county_hub.migrate import upgrade
from county_hub.storage import make_engine


class Connection:
    """A lean HTTP/1.1 keep-alive client on one asyncio stream, as a desk holds one connection.

    httpx's AsyncClient costs ~5 ms of CPU per request: at 75 requests/s it took a quarter of the two
    CPUs that the hub and PostgreSQL share with it, and its event loop fell behind, which the latency
    measured here then included. This one writes the request bytes and reads the status line, the
    headers and a Content-Length body (gzip-decoded, as the desk asks for gzip).
    """

    def __init__(self, base: str, headers: dict[str, str]) -> None:
        parts = urlsplit(base)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        fixed = {"Host": parts.netloc, "Accept-Encoding": "gzip", **headers}
        self.fixed = "".join(f"{k}: {v}\r\n" for k, v in fixed.items()).encode()
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(
        self, method: str, target: str, body: bytes = b"", headers: bytes = b""
    ) -> tuple[int, bytes]:
        if self.writer is None or self.reader is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        head = f"{method} {target} HTTP/1.1\r\n".encode() + self.fixed + headers
        if body or method == "POST":
            head += f"Content-Length: {len(body)}\r\n".encode()
        self.writer.write(head + b"\r\n" + body)
        try:
            raw = await self.reader.readuntil(b"\r\n\r\n")
            lines = raw.decode("latin-1").split("\r\n")
            status = int(lines[0].split(" ", 2)[1])
            fields = dict(line.lower().split(": ", 1) for line in lines[1:] if line)
            if "content-length" not in fields:
                raise ValueError(f"no Content-Length in the answer: {fields}")
            data = await self.reader.readexactly(int(fields["content-length"]))
        except BaseException:
            await self.close()
            raise
        if fields.get("content-encoding") == "gzip":
            data = zlib.decompress(data, 16 + zlib.MAX_WBITS)
        if fields.get("connection") == "close":
            await self.close()
        return status, data

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            with suppress(OSError):
                await self.writer.wait_closed()
        self.reader = self.writer = None


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
    # Bodies are built before the clock starts, gzipped as the desk sends them (clerk_desk.sync.hub_client):
    # the load generator shares the machine with the hub.
    bodies = [
        gzip.compress(json.dumps({"events": device.case_events(rng, batch)}, ensure_ascii=False).encode(), 5)
        for _ in range(int(seconds) // 2 + 2)
    ]
    push_headers = b"Content-Type: application/json\r\nContent-Encoding: gzip\r\n"
    cursor = 0
    http = Connection(base, device.headers)
    try:
        if warm:  # a desk that has been running has its connection open: one unmeasured pull first
            status, _ = await http.request("GET", f"{API}/events?after=0&limit=1")
            if status != 200:
                raise RuntimeError(f"warm-up pull: HTTP {status}")
            await ready.wait()
        start = time.monotonic() + rng.random()  # devices do not all tick at once
        tick = 0
        while True:
            due = start + tick
            if due - (start - 1) > seconds + 1:
                return
            await asyncio.sleep(max(0.0, due - time.monotonic()))
            if tick % 2 == 0:
                await _timed(
                    http, "push", out, errors, "POST", f"{API}/events", bodies[tick // 2], push_headers
                )
            answer = await _timed(http, "pull", out, errors, "GET", f"{API}/events?after={cursor}&limit=500")
            if answer is not None:
                cursor = answer["next_cursor"]
            tick += 1
    finally:
        await http.close()


async def _timed(
    http: Connection, kind: str, out: dict[str, list], errors: list, method: str, target: str,
    body: bytes = b"", headers: bytes = b"",
) -> Any:  # fmt: skip
    t = time.perf_counter()
    try:
        status, data = await http.request(method, target, body, headers)
    except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
        errors.append(f"{kind}: {exc!r}")
        return None
    ms = (time.perf_counter() - t) * 1000  # the answer received whole (and un-gzipped), as before with httpx
    out[kind].append(ms)
    out["timeline"].append((t, kind, ms))
    try:
        answer = json.loads(data)
    except ValueError as exc:
        errors.append(f"{kind}: HTTP {status} {exc!r}")
        return None
    if status != 200 or (kind == "push" and any(x["status"] != "stored" for x in answer["results"])):
        errors.append(f"{kind}: HTTP {status} {data[:200]!r}")
        return None
    return answer


async def run(
    base: str, devices: list[Device], seconds: float, batch: int, warm: bool, timeline: float = 0
) -> None:
    print(f"load average before the run: {os.getloadavg()[0]:.1f} (CPUs: {os.cpu_count()})")
    out: dict[str, list] = {"push": [], "pull": [], "timeline": []}
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
        print(f"  {kind}: n={len(out[kind]):5d}  p50={statistics.median(v):6.1f} ms  {tail(v, 99)}  "
              f"max={max(v):6.1f} ms")  # fmt: skip
    every = out["push"] + out["pull"] or [0.0]
    print(
        f"  all : p50={statistics.median(every):6.1f} ms  {tail(every, 99)}  errors={len(errors)}"
    )
    for e in errors[:5]:
        print("   ", e)
    if timeline:
        _print_timeline(out["timeline"], timeline)


def _print_timeline(samples: list[tuple[float, str, float]], step: float) -> None:
    """p50/p99 per slice of the run: shows whether latency grows with time (the log's size)."""
    first = min(t for t, _, _ in samples)
    slices: dict[int, list[float]] = {}
    for t, _, ms in samples:
        slices.setdefault(int((t - first) // step), []).append(ms)
    for n, values in sorted(slices.items()):
        print(f"  {n * step:4.0f}-{(n + 1) * step:3.0f} s: n={len(values):5d}  p50={statistics.median(values):6.1f}  "
              f"{tail(values, 99)}  max={max(values):6.1f} ms")  # fmt: skip


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--devices", type=int, default=50)
    p.add_argument("--seconds", type=float, default=60)
    p.add_argument("--batch", type=int, default=20)
    p.add_argument("--workers", type=int, default=2, help="hub worker processes (default 2)")
    p.add_argument("--timeline", type=float, default=0, metavar="S", help="also print p50/p99 per S seconds")
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
        asyncio.run(
            run(base, devices[: args.devices], args.seconds, args.batch, not args.cold, args.timeline)
        )


if __name__ == "__main__":
    main()
