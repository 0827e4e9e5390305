"""Test-side view of a running hub: an enrolled device speaking HTTP, and a look into the database."""

from __future__ import annotations

import gzip
import json
import uuid
from dataclasses import dataclass, field
from typing import Any

import httpx
from sqlalchemy import Engine, func, select

from county_hub.models import AuditEntry, Case, Event, RejectedEvent
from county_hub.storage import Storage
from tests.support.hub_server import API, HubAdmin, enrol, wire_event

SITE_A, SITE_B = "421224100", "421224101"
# The users a test device's events name by default: the hub takes events only from users holding a role
# for them (county_hub.admission), so Hub.device() grants these the roles its device needs.
CLERK, APPROVER = "clerk1", "approver1"


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
        kw.setdefault("actor", CLERK if self.kind == "clerk" else APPROVER)
        return wire_event(
            case_uuid,
            version,
            event_type,
            department_code=dept,
            device_code=self.device_code,
            device_seq=kw.pop("device_seq", self.seq),
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
    storage: Storage  # the hub database's storage, for in-process pushes (county_hub.push)
    _sites: set[str] = field(default_factory=set)
    _granted: set[tuple[str, str, str]] = field(default_factory=set)

    def device(
        self,
        site: str = SITE_A,
        kind: str = "clerk",
        serves: tuple[tuple[str, str], ...] = (),
        os_account: str = "clerk",
        actors: bool = True,
    ) -> DeviceClient:
        """An enrolled device; with ``actors`` its default actor (CLERK or APPROVER) is granted the role
        its events need, from now."""
        if site not in self._sites:
            self.admin.site(site, f"site {site}")
            self._sites.add(site)
        for s, _d in serves:
            if s not in self._sites:
                self.admin.site(s, f"site {s}")
                self._sites.add(s)
        _code, enrolment = self.admin.device(site, kind, serves)
        if actors:
            for user, role, s, d in (
                [(CLERK, "clerk", site, "*")]
                if kind == "clerk"
                else [(APPROVER, "approver", s, d) for s, d in serves]
            ):
                if (user, s, d) not in self._granted:
                    self.admin.grant(user, role, s, d)
                    self._granted.add((user, s, d))
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
