"""A real county hub for tests: uvicorn on a free 127.0.0.1 port, plus admin helpers.

    with running_hub(tmp_path / "hub") as base_url:          # or a postgresql+psycopg:// URL
        admin = HubAdmin(tmp_path / "hub")
        admin.site("421224100", "通羊镇")
        device_code, code = admin.device("421224100", kind="clerk")
        token = enrol(base_url, code, os_account="clerk1")["token"]
        requests.get(f"{base_url}/api/v1/devices/me", headers={"Authorization": f"Bearer {token}"})

``base_url`` is the server root (``http://127.0.0.1:<port>``); the API lives under ``/api/v1``.
The server runs in a thread of the test process, so it shares nothing but the database with the desk.
"""

from __future__ import annotations

import json
import secrets
import socket
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from sqlalchemy import Engine, delete

from county_hub import devices, directory, grants, publications, slow_clients
from county_hub.app import create_app
from county_hub.db import write_engine
from county_hub.migrate import upgrade
from county_hub.models import RoleGrant
from county_hub.settings import Settings
from county_hub.storage import make_engine, open_storage

API = "/api/v1"


def hub_settings(target: str | Path, **limits: Any) -> Settings:
    """Settings for a data folder (embedded SQLite) or a database URL."""
    text = str(target)
    if "://" in text:
        return Settings(db_url=text, **limits)
    return Settings.resolve(None, Path(target), **limits)


@contextmanager
def running_hub(
    target: str | Path,
    http: Any = slow_clients.PROTOCOL,
    *,
    tls: tuple[Path, Path] | None = None,
    requests_seen: list[str] | None = None,
    server_options: dict[str, Any] | None = None,
    **limits: Any,
) -> Iterator[str]:
    """Migrate the database, serve the hub on a free loopback port, yield its root URL, stop it. ``http``:
    uvicorn's protocol (the one ``county-hub serve`` uses, with its deadline for request heads).

    ``tls=(certfile, keyfile)``: serve https with that certificate (PEM; the URL is https://127.0.0.1:…).
    ``requests_seen``: each request the hub receives is appended as "METHOD /path" (counted at the hub).
    ``server_options``: more of uvicorn's settings (``limit_concurrency``: county_hub.serve_cmd.server_limits).
    """
    settings = hub_settings(target, **limits)
    storage = open_storage(settings.db_url)
    upgrade(storage.engine)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    tls_files = {"ssl_certfile": str(tls[0]), "ssl_keyfile": str(tls[1])} if tls else {}
    app: Any = create_app(settings, storage)
    if requests_seen is not None:
        app = _Counting(app, requests_seen)
    config = uvicorn.Config(
        app, log_level="warning", lifespan="on", timeout_keep_alive=30, http=http,
        **tls_files, **(server_options or {}),
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name=f"hub-{port}", daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 20
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the county hub did not start")
            time.sleep(0.01)
        yield f"{'https' if tls else 'http'}://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=20)
        sock.close()
        storage.engine.dispose()


class _Counting:
    """ASGI: note each HTTP request's method and path, then serve it."""

    def __init__(self, app: Any, seen: list[str]) -> None:
        self.app, self.seen = app, seen

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            self.seen.append(f"{scope['method']} {scope['path']}")
        await self.app(scope, receive, send)


class HubAdmin:
    """What ``county-hub site/device/user/catalog ...`` does, called directly on the hub's database."""

    def __init__(self, target: str | Path | Engine) -> None:
        if isinstance(target, Engine):
            self.engine, self._own = target, False
        else:
            self.engine, self._own = make_engine(hub_settings(target).db_url), True
            upgrade(self.engine)

    def close(self) -> None:
        if self._own:
            self.engine.dispose()

    def __enter__(self) -> HubAdmin:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def site(self, code: str, name: str | None = None) -> None:
        with write_engine(self.engine).begin() as conn:
            devices.add_site(conn, code, name or code, "test")

    def device(
        self,
        site: str,
        kind: str = "clerk",
        serves: Sequence[tuple[str, str]] = (),
        code: str | None = None,
        hours: float = 72.0,
    ) -> tuple[str, str]:
        """Register a device; returns (device code, one-time enrolment code)."""
        with write_engine(self.engine).begin() as conn:
            device_code, _scope = devices.add_device(conn, site, kind, serves, code, "test")
            return device_code, devices.issue_enrolment_code(conn, device_code, hours, "test")

    def enrolment_code(self, device_code: str, hours: float = 72.0) -> str:
        with write_engine(self.engine).begin() as conn:
            return devices.issue_enrolment_code(conn, device_code, hours, "test")

    def revoke(self, device_code: str, token_id: str | None = None) -> None:
        with write_engine(self.engine).begin() as conn:
            devices.revoke(conn, device_code, token_id, "test")

    def user(
        self,
        username: str,
        password: str,
        roles: Sequence[str] = ("clerk",),
        site: str | None = None,
        serves: Sequence[tuple[str, str]] = (),
        display_name: str | None = None,
        valid_from: datetime | None = None,
    ) -> None:
        """``county-hub user add``: the roles hold from ``valid_from`` (default: now)."""
        with write_engine(self.engine).begin() as conn:
            directory.add_user(
                conn, username, display_name or username, password, roles, site, serves, "test",
                valid_from=valid_from,
            )  # fmt: skip

    def grant(
        self,
        username: str,
        role: str,
        site: str,
        department: str = "*",
        valid_from: datetime | None = None,
        valid_to: datetime | None = None,
    ) -> None:
        """``county-hub user grant``; a user the hub does not know yet is first added (``user add``, with a
        random password and no role) with ``site`` as home."""
        with write_engine(self.engine).begin() as conn:
            if username not in grants.grants_of(conn, [username]):
                password = secrets.token_urlsafe(16) + "-A1"
                directory.add_user(conn, username, username, password, [role], site, [], "test")
                # its role comes from the grant below only, for the period given there
                conn.execute(delete(RoleGrant).where(RoleGrant.username == username))
            directory.grant_role(conn, username, role, [(site, department)], valid_from, valid_to, "test")

    def revoke_role(self, username: str, role: str, at: datetime | None = None) -> None:
        """``county-hub user revoke``: the role ends at ``at`` (default: now)."""
        with write_engine(self.engine).begin() as conn:
            directory.revoke_role(conn, username, role, [], at, "test")

    def window(self, site: str, name: str, kind: str, **facts: Any) -> None:
        """``county-hub window add``: register (or change) a window of the site's directory."""
        from county_hub import windows

        with write_engine(self.engine).begin() as conn:
            windows.put(conn, site, name, kind, actor="test", **facts)

    def end_window(self, site: str, name: str, at: datetime | None = None) -> None:
        """``county-hub window end``."""
        from county_hub import windows

        with write_engine(self.engine).begin() as conn:
            windows.end(conn, site, name, at, "test")

    def publish(self, kind: str, content: bytes | dict[str, Any]) -> dict[str, Any]:
        data = content if isinstance(content, bytes) else json.dumps(content, ensure_ascii=False).encode()
        with write_engine(self.engine).begin() as conn:
            return publications.publish(conn, kind, data, "test")


def grant_demo_roles(admin: HubAdmin, site: str) -> None:
    """The hub takes events only from users holding a role for them (county_hub.admission): give the demo
    site's accounts (clerk_desk.services.demo) their roles at ``site``, from now (those they hold already
    are left as they are)."""
    from clerk_desk.services import demo

    with admin.engine.connect() as conn:
        held = grants.grants_of(conn, [u[0] for u in demo.DEMO_USERS])
    for username, _name, roles, departments in demo.DEMO_USERS:
        for role in roles:
            for department in departments if role == "approver" else ("*",):
                if not any(
                    (g.role, g.site_code, g.department_code, g.valid_to) == (role, site, department, None)
                    for g in held.get(username, [])
                ):
                    admin.grant(username, role, site, department)


def enrol(
    base_url: str, code: str, os_account: str = "clerk", device_info: dict[str, Any] | None = None
) -> dict[str, Any]:
    """POST /enrol; returns the answer (token, token_id, device_code, site_code, kind, scope)."""
    r = httpx.post(
        f"{base_url}{API}/enrol",
        json={"code": code, "os_account": os_account, "device_info": device_info or {}},
    )
    r.raise_for_status()
    return r.json()


def provision(
    base_url: str,
    admin: HubAdmin,
    site: str,
    kind: str = "clerk",
    serves: Sequence[tuple[str, str]] = (),
    os_account: str = "clerk",
) -> dict[str, Any]:
    """Register and enrol a device in one go (the site must exist); returns the enrolment answer."""
    _device_code, code = admin.device(site, kind, serves)
    return enrol(base_url, code, os_account)


def wire_event(
    case_uuid: str,
    case_version: int,
    event_type: str,
    *,
    site_code: str,
    department_code: str,
    device_code: str,
    device_seq: int,
    side: str = "window",
    actor: str = "clerk1",
    payload: dict[str, Any] | None = None,
    uuid: str | None = None,
    occurred_at: str | None = None,
) -> dict[str, Any]:
    """One event exactly as a desk's outbox pushes it (docs/sync-protocol.md); made now unless told."""
    import uuid as uuid_mod

    return {
        "uuid": uuid or str(uuid_mod.uuid4()),
        "case_uuid": case_uuid,
        "case_version": case_version,
        "type": event_type,
        "side": side,
        "site_code": site_code,
        "department_code": department_code,
        "payload": payload if payload is not None else {},
        "actor": actor,
        "device_code": device_code,
        "occurred_at": occurred_at or datetime.now(UTC).isoformat().replace("+00:00", "Z"),
        "device_seq": device_seq,
    }
