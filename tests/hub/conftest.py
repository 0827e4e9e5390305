"""Fixtures of the hub tests: a real hub over HTTP, on SQLite and on PostgreSQL."""

from __future__ import annotations

import gzip
import json
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, func, select

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # tests/support is imported as a package from the repository root
    sys.path.insert(0, str(ROOT))

from county_hub.db import make_engine  # noqa: E402
from county_hub.models import AuditEntry, Case, Event, RejectedEvent  # noqa: E402
from tests.support import postgres  # noqa: E402
from tests.support.hub_server import API, HubAdmin, enrol, running_hub, wire_event  # noqa: E402

SITE_A, SITE_B = "421224100", "421224101"


@pytest.fixture(scope="session")
def hub_pg_server() -> Iterator[postgres.PostgresServer]:
    reason = postgres.unavailable_reason()
    if reason:
        pytest.skip(reason)
    server = postgres.PostgresServer().start()
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.pg)])
def hub_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty hub database: an SQLite file, or a new database on the session's PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'hub.sqlite3'}"
        return
    server: postgres.PostgresServer = request.getfixturevalue("hub_pg_server")
    url = server.create_database()
    yield url
    server.drop_database(url.rsplit("/", 1)[1])


@pytest.fixture
def pg_hub_db_url(hub_pg_server: postgres.PostgresServer) -> Iterator[str]:
    url = hub_pg_server.create_database()
    yield url
    hub_pg_server.drop_database(url.rsplit("/", 1)[1])


@dataclass
class DeviceClient:
    """An enrolled device talking to the hub over HTTP."""

    hub: Hub
    token: str
    token_id: str
    device_code: str
    site_code: str
    kind: str
    seq: int = 0

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def event(
        self, case_uuid: str, version: int, event_type: str, dept: str = "rs", **kw: Any
    ) -> dict[str, Any]:
        self.seq += 1
        kw.setdefault("site_code", self.site_code)
        kw.setdefault("side", "window" if self.kind == "clerk" else "back_office")
        return wire_event(
            case_uuid,
            version,
            event_type,
            department_code=dept,
            device_code=self.device_code,
            device_seq=self.seq,
            **kw,
        )

    def push(self, events: list[dict[str, Any]], *, gzipped: bool = False) -> httpx.Response:
        body = json.dumps({"events": events}).encode()
        headers = {**self.headers, "Content-Type": "application/json"}
        if gzipped:
            body = gzip.compress(body)
            headers["Content-Encoding"] = "gzip"
        return self.hub.http.post(f"{API}/events", content=body, headers=headers)

    def push_ok(self, events: list[dict[str, Any]]) -> list[dict[str, Any]]:
        r = self.push(events)
        assert r.status_code == 200, r.text
        return r.json()["results"]

    def get(self, path: str, **kw: Any) -> httpx.Response:
        headers = {**self.headers, **kw.pop("headers", {})}
        return self.hub.http.get(f"{API}{path}", headers=headers, **kw)

    def pull(self, after: int = 0, limit: int | None = None) -> dict[str, Any]:
        params = {"after": after, **({"limit": limit} if limit else {})}
        r = self.get("/events", params=params)
        assert r.status_code == 200, r.text
        return r.json()


@dataclass
class Hub:
    base_url: str
    db_url: str
    engine: Engine
    admin: HubAdmin
    http: httpx.Client
    _sites: set[str] = field(default_factory=set)

    def device(
        self,
        site: str = SITE_A,
        kind: str = "clerk",
        serves: tuple[tuple[str, str], ...] = (),
        os_account: str = "clerk",
    ) -> DeviceClient:
        if site not in self._sites:
            self.admin.site(site, f"site {site}")
            self._sites.add(site)
        for s, _d in serves:
            if s not in self._sites:
                self.admin.site(s, f"site {s}")
                self._sites.add(s)
        _code, enrolment = self.admin.device(site, kind, serves)
        answer = enrol(self.base_url, enrolment, os_account)
        return DeviceClient(self, answer["token"], answer["token_id"], answer["device_code"], site, kind)

    def counts(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            return {
                m.__tablename__: conn.execute(select(func.count()).select_from(m)).scalar_one()
                for m in (Event, RejectedEvent, Case)
            }

    def audit_actions(self) -> list[str]:
        with self.engine.connect() as conn:
            return list(conn.execute(select(AuditEntry.action).order_by(AuditEntry.id)).scalars())


def new_case() -> str:
    return str(uuid.uuid4())


@pytest.fixture
def hub(hub_db_url: str) -> Iterator[Hub]:
    with running_hub(hub_db_url) as base_url, httpx.Client(base_url=base_url, timeout=30) as http:
        engine = make_engine(hub_db_url)
        admin = HubAdmin(engine)
        try:
            yield Hub(base_url, hub_db_url, engine, admin, http)
        finally:
            engine.dispose()
