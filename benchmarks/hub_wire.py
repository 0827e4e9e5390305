"""Bytes on the wire per event: push bodies and pull answers, with gzip and without.

    .venv/bin/python benchmarks/hub_wire.py [--events 200]

Realistic intake events (applicant, materials, deadline: see hub_common.payload) and transfers,
pushed in one batch to a real hub on SQLite, then pulled back. Counts the HTTP body bytes and, in
brackets, body plus request/status line and headers as sent.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import tempfile
from pathlib import Path

import httpx
from hub_common import API, enrol_devices

from tests.support.hub_server import running_hub


def _head_bytes(headers: httpx.Headers, first_line: str) -> int:
    return len(first_line) + 2 + sum(len(k) + len(v) + 4 for k, v in headers.raw) + 2


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument(
        "--events", type=int, default=200
    )  # synthetic data: names and items repeat, so gzip flatters
    args = p.parse_args()
    n = args.events
    with tempfile.TemporaryDirectory() as tmp, running_hub(Path(tmp)) as base:
        url = f"sqlite:///{Path(tmp) / 'hub.sqlite3'}"
        [device] = enrol_devices(base, url, sites=1, per_site=1)
        events = device.case_events(random.Random(3), n)
        raw = json.dumps({"events": events}, ensure_ascii=False).encode()
        packed = gzip.compress(raw, 6)
        with httpx.Client(base_url=base, timeout=60) as http:
            rows = []
            for label, body, extra in (
                ("push, plain", raw, {}),
                ("push, gzip ", packed, {"Content-Encoding": "gzip"}),
            ):
                half = len(events) // 2 if label.endswith("plain") else len(events)
                events_part = events[:half] if label.endswith("plain") else events[len(events) // 2 :]
                body = json.dumps({"events": events_part}, ensure_ascii=False).encode()
                if extra:
                    body = gzip.compress(body, 6)
                req = http.build_request(
                    "POST", f"{API}/events", content=body,
                    headers={**device.headers, "Content-Type": "application/json", **extra},
                )  # fmt: skip
                r = http.send(req)
                r.raise_for_status()
                head = _head_bytes(req.headers, f"POST {API}/events HTTP/1.1")
                rows.append((label, len(body) / len(events_part), (len(body) + head) / len(events_part)))
            for label, encoding in (("pull, plain", "identity"), ("pull, gzip ", "gzip")):
                r = http.get(f"{API}/events", params={"after": 0, "limit": 1000},
                             headers={**device.headers, "Accept-Encoding": encoding})  # fmt: skip
                got = len(r.json()["events"])
                wire = r.num_bytes_downloaded
                head = _head_bytes(r.headers, "HTTP/1.1 200 OK")
                rows.append((label, wire / got, (wire + head) / got))
    print(
        f"{n} events ({n // 2} intakes with applicant data, {n // 2} transfers); the same events for each row"
    )
    print(f"  uncompressed JSON of the whole batch: {len(raw) / n:.0f} B/event, gzip -6: {len(packed) / n:.0f} B/event "
          f"(ratio {len(raw) / len(packed):.1f}x)")  # fmt: skip
    for label, body_per, total_per in rows:
        print(f"  {label}: {body_per:7.0f} B/event body  ({total_per:7.0f} with headers)")


if __name__ == "__main__":
    main()
