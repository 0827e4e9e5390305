"""Slow clients against a real ``county-hub serve`` (SQLite): how long stalled connections are held.

    .venv/bin/python benchmarks/hub_slow_clients.py [--connections 300]

Three attacks, each with N connections opened at once from this process:

* stalled body: a POST with ``Content-Length: 1000``, ten bytes of body, then nothing;
* trickled body: the same, then one byte a second (never idle for the body's idle timeout);
* stalled head: half a request line and header block, then nothing.

For each: how many connections the hub closed, after how long (median and slowest), and the time a
normal ``GET /health`` took while they were held. Figures, not a pass/fail test.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
from pathlib import Path

import httpx
from hub_common import API, hub_process

HEAD = f"POST {API}/events HTTP/1.1\r\nHost: hub\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n"


async def _one(port: int, first: bytes, trickle: bool, limit: float) -> float | None:
    """Seconds until the hub closed the connection (None: still open after ``limit``)."""
    started = time.monotonic()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(first)
    await writer.drain()
    try:
        while time.monotonic() - started < limit:
            try:
                data = await asyncio.wait_for(reader.read(4096), timeout=1.0)
            except TimeoutError:
                if trickle:
                    writer.write(b" ")
                    await writer.drain()
                continue
            if not data:
                return time.monotonic() - started
        return None
    except (ConnectionError, OSError):
        return time.monotonic() - started
    finally:
        writer.close()


async def _health_while(port: int, attack: asyncio.Future[list[float | None]]) -> str:
    """A normal request while the attack's connections are held: its status and time."""
    await asyncio.sleep(1.0)  # the attack's connections are open by now
    async with httpx.AsyncClient() as http:
        t = time.perf_counter()
        try:
            r = await http.get(f"http://127.0.0.1:{port}{API}/health", timeout=60)
        except httpx.HTTPError as exc:
            return f"failed ({type(exc).__name__}) after {(time.perf_counter() - t) * 1000:.0f} ms"
        return f"{r.status_code} in {(time.perf_counter() - t) * 1000:.0f} ms"


async def attack(
    port: int, n: int, first: bytes, trickle: bool, limit: float
) -> tuple[list[float | None], float]:
    tasks = asyncio.gather(*(_one(port, first, trickle, limit) for _ in range(n)))
    health = await _health_while(port, tasks)
    return await tasks, health


def report(name: str, closed: list[float | None], health: str, limit: float) -> None:
    done = sorted(t for t in closed if t is not None)
    held = len(closed) - len(done)
    if done:
        print(
            f"{name:15s} {len(done):4d} of {len(closed)} closed by the hub: median {statistics.median(done):5.1f} s, "
            f"slowest {done[-1]:5.1f} s; {held} still open after {limit:.0f} s; GET /health meanwhile: {health}"
        )
    else:
        print(
            f"{name:15s} none closed by the hub within {limit:.0f} s; GET /health meanwhile {health * 1000:.0f} ms"
        )


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--connections", type=int, default=300)
    p.add_argument("--limit", type=float, default=60.0, help="stop waiting after this many seconds")
    args = p.parse_args()
    print(f"{args.connections} connections per attack; load average {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'hub.sqlite3'}"
        with hub_process(url) as base:
            port = int(base.rsplit(":", 1)[1])
            for name, first, trickle in (
                ("stalled body", HEAD.encode() + b'{"events":', False),
                ("trickled body", HEAD.encode() + b'{"events":', True),
                ("stalled head", HEAD.encode()[:40], False),
            ):
                closed, health = asyncio.run(attack(port, args.connections, first, trickle, args.limit))
                report(name, closed, health, args.limit)
                time.sleep(2.0)  # the hub closes the last of them


if __name__ == "__main__":
    main()
