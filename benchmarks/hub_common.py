"""Shared set-up of the hub benchmarks: databases, a hub process, enrolled devices, realistic events."""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.support.hub_server import API, HubAdmin, enrol, wire_event  # noqa: E402
from tests.support.postgres import PostgresServer, free_port  # noqa: E402

NAMES = ["王芳", "李强", "张伟", "刘洋", "陈静", "杨敏", "黄磊", "赵娟", "吴涛", "周艳"]
ITEMS = [
    ("rs-001", "城乡居民基本养老保险参保登记", "rs"),
    ("yb-004", "城乡居民医疗保险参保登记", "yb"),
    ("mz-012", "最低生活保障申请", "mz"),
    ("cl-003", "残疾人两项补贴申请", "cl"),
]


def payload(rng: random.Random) -> dict[str, Any]:
    """What an intake event carries: item, applicant (personal data), materials, deadline."""
    code, name, _dept = rng.choice(ITEMS)
    return {
        "case_number": f"421224100-0001-20260302-{rng.randrange(1, 999999):06d}",
        "item_code": code,
        "item_name": name,
        "kind": "承诺件",
        "promised_workdays": 5,
        "due_date": "2026-03-09",
        "calendar_version": "2026.1",
        "window": "综合窗口一",
        "applicant": {
            "name": rng.choice(NAMES),
            "id_number": f"4212241980{rng.randrange(1, 12):02d}{rng.randrange(1, 28):02d}{rng.randrange(1000):03d}X",
            "phone": f"138{rng.randrange(10**8):08d}",
            "address": "湖北省咸宁市通山县通羊镇温泉路" + str(rng.randrange(1, 300)) + "号",
        },
        "materials": [
            {"name": "居民身份证", "copies": 1, "original": True, "checked": True},
            {"name": "户口簿", "copies": 1, "original": True, "checked": True},
            {"name": "申请表", "copies": 2, "original": True, "checked": True},
        ],
    }


@dataclass
class Device:
    token: str
    device_code: str
    site_code: str
    seq: int = 0

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def case_events(self, rng: random.Random, count: int) -> list[dict[str, Any]]:
        """``count`` events: new cases accepted then transferred (two events a case)."""
        out: list[dict[str, Any]] = []
        while len(out) < count:
            case = str(uuid.uuid4())
            dept = rng.choice(ITEMS)[2]
            for version, kind in enumerate(("accepted", "transferred")):
                self.seq += 1
                out.append(
                    wire_event(
                        case,
                        version,
                        kind,
                        site_code=self.site_code,
                        department_code=dept,
                        device_code=self.device_code,
                        device_seq=self.seq,
                        payload=payload(rng) if version == 0 else {"to": dept, "paper_handed": True},
                        occurred_at=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                    )
                )
        return out[:count]


@contextmanager
def postgres_url() -> Iterator[str]:
    server = PostgresServer().start()
    try:
        yield server.create_database()
    finally:
        server.stop()


@contextmanager
def hub_process(db_url: str, workers: int = 1, tls: tuple[Path, Path, Path] | None = None) -> Iterator[str]:
    """``county-hub serve`` in its own process (the load generator must not share its GIL).

    ``tls=(certfile, keyfile, ca)``: served over https with that certificate; ``ca`` checks it."""
    port = free_port()
    cmd = [
        sys.executable,
        "-m",
        "county_hub",
        "serve",
        "--db",
        db_url,
        "--port",
        str(port),
        "--log-level",
        "warning",
        # the benchmarks enrol up to hundreds of devices from one address at once
        "--enrol-per-client",
        "100000",
        "--enrol-overall",
        "100000",
    ]
    if workers > 1:
        cmd += ["--workers", str(workers)]
    if tls is not None:
        cmd += ["--certfile", str(tls[0]), "--keyfile", str(tls[1])]
    proc = subprocess.Popen(cmd, env=dict(os.environ), stderr=subprocess.PIPE)
    base = f"{'https' if tls else 'http'}://127.0.0.1:{port}"
    verify: str | bool = str(tls[2]) if tls else True
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                raise RuntimeError(proc.stderr.read().decode() if proc.stderr else "hub exited")
            try:
                if httpx.get(f"{base}{API}/health", timeout=2, verify=verify).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("hub did not start")
            time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        proc.wait(30)


def enrol_devices(base: str, db_url: str, sites: int, per_site: int) -> list[Device]:
    out = []
    with HubAdmin(db_url) as admin:
        for s in range(sites):
            site = f"4212241{s:02d}"
            admin.site(site, f"镇{s}")
            admin.grant("clerk1", "clerk", site)  # the events' actor (wire_event's default)
            for _ in range(per_site):
                code, enrolment = admin.device(site, "clerk")
                out.append(Device(enrol(base, enrolment, "bench")["token"], code, site))
    return out
