"""Fixtures of the hub tests: a real hub over HTTP, on SQLite and on PostgreSQL.

- hub_db_url (function, parametrized sqlite/postgresql) -> str: an empty hub database (a new SQLite file;
  on PostgreSQL one migrated database per session, emptied before each test).
- fresh_hub_db_url (function, parametrized) -> str: a brand-new database, never migrated.
- hub (function) -> tests.hub.hubkit.Hub: a real uvicorn server on that database, with admin helpers.
PostgreSQL comes from the suite's pg_server fixture (tests/conftest.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import insert, text

from county_hub import ordering
from county_hub.migrate import upgrade
from county_hub.models import Base, Counter
from county_hub.storage import make_engine, open_storage
from tests.hub.hubkit import Hub
from tests.support.hub_server import HubAdmin, running_hub
from tests.support.postgres import PostgresServer


@pytest.fixture(scope="session")
def hub_pg_shared_url(pg_server: PostgresServer) -> str:
    """One migrated hub database for the session; each test empties it (faster than CREATE DATABASE)."""
    url = pg_server.create_database()
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


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.pg)])
def fresh_hub_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'hub.sqlite3'}"
    url: str = request.getfixturevalue("pg_database_url")
    return url


@pytest.fixture
def hub(hub_db_url: str) -> Iterator[Hub]:
    with running_hub(hub_db_url) as base_url, httpx.Client(base_url=base_url, timeout=30) as http:
        storage = open_storage(hub_db_url)
        admin = HubAdmin(storage.engine)
        try:
            yield Hub(base_url, hub_db_url, storage.engine, admin, http, storage)
        finally:
            storage.engine.dispose()
