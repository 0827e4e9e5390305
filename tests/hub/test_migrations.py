"""The hub's own migrations: they build exactly the models' schema and refuse a newer database."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from county_hub.db import make_engine
from county_hub.migrate import DatabaseTooNew, head_revision, is_current, upgrade
from county_hub.models import Base


def test_migrations_match_the_models(fresh_hub_db_url: str) -> None:
    engine = make_engine(fresh_hub_db_url)
    try:
        upgrade(engine)
        upgrade(engine)  # idempotent
        assert is_current(engine)
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
            assert diff == []
            assert conn.execute(text("SELECT value FROM counters WHERE name = 'events'")).scalar_one() == 0
    finally:
        engine.dispose()


def test_a_newer_database_is_refused(fresh_hub_db_url: str) -> None:
    engine = make_engine(fresh_hub_db_url)
    try:
        upgrade(engine)
        with engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = 'ffff_from_the_future'"))
        with pytest.raises(DatabaseTooNew, match="newer county hub"):
            upgrade(engine)
        assert head_revision() == "0002"
    finally:
        engine.dispose()
