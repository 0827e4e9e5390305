"""Fixtures of the hub tests: a real hub over HTTP, on SQLite and on PostgreSQL."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import insert, text

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # tests/support is imported as a package from the repository root
    sys.path.insert(0, str(ROOT))

from county_hub import ordering  # noqa: E402
from county_hub.db import make_engine  # noqa: E402
from county_hub.migrate import upgrade  # noqa: E402
from county_hub.models import Base, Counter  # noqa: E402
from tests.hub.hubkit import Hub  # noqa: E402
from tests.support import postgres  # noqa: E402
from tests.support.hub_server import HubAdmin, running_hub  # noqa: E402


@pytest.fixture(scope="session")
def hub_pg_server() -> Iterator[postgres.PostgresServer]:
    reason = postgres.unavailable_reason()
    if reason:
        pytest.skip(reason)
    server = postgres.PostgresServer().start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def hub_pg_shared_url(hub_pg_server: postgres.PostgresServer) -> str:
    """One migrated hub database for the session; each test empties it (faster than CREATE DATABASE)."""
    url = hub_pg_server.create_database()
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    return url


def _empty(url: str) -> None:
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            names = ", ".join(t.name for t in Base.metadata.sorted_tables)
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
            conn.execute(insert(Counter).values(name=ordering.EVENTS, value=0))
    finally:
        engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.pg)])
def hub_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty hub database: a new SQLite file, or the session's PostgreSQL database emptied."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'hub.sqlite3'}"
        return
    url: str = request.getfixturevalue("hub_pg_shared_url")
    _empty(url)
    yield url


@pytest.fixture
def pg_hub_db_url(hub_pg_server: postgres.PostgresServer) -> Iterator[str]:
    url = hub_pg_server.create_database()
    yield url
    hub_pg_server.drop_database(url.rsplit("/", 1)[1])


@pytest.fixture
def hub(hub_db_url: str) -> Iterator[Hub]:
    with running_hub(hub_db_url) as base_url, httpx.Client(base_url=base_url, timeout=30) as http:
        engine = make_engine(hub_db_url)
        admin = HubAdmin(engine)
        try:
            yield Hub(base_url, hub_db_url, engine, admin, http)
        finally:
            engine.dispose()
