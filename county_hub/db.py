"""Engines for the hub's database: SQLite (embedded default) or PostgreSQL (production).

Writes that append to the event log go through :func:`write_engine`: on SQLite that connection begins
``BEGIN IMMEDIATE`` (the database write lock is taken at once, so appends are serialized and a
reader never upgrades to a writer mid-transaction); on PostgreSQL the serialization is the locked
counter row (county_hub.ordering). Snapshot reads use :func:`snapshot_engine` (REPEATABLE READ on
PostgreSQL; a SQLite read transaction is already one snapshot in WAL mode).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, create_engine, event

_WRITE = "hub_write"


def make_engine(url: str, **kwargs: Any) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30}, **kwargs)
        _configure_sqlite(engine)
        return engine
    kwargs.setdefault("pool_size", 10)
    kwargs.setdefault("max_overflow", 30)
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(url, **kwargs)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we emit BEGIN ourselves (below)
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=FULL")  # an acknowledged event survives a power cut
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        mode = "IMMEDIATE" if conn.get_execution_options().get(_WRITE) else "DEFERRED"
        conn.exec_driver_sql(f"BEGIN {mode}")


def write_engine(engine: Engine) -> Engine:
    return engine.execution_options(**{_WRITE: True})


def snapshot_engine(engine: Engine) -> Engine:
    if engine.dialect.name == "postgresql":
        return engine.execution_options(isolation_level="REPEATABLE READ")
    return engine
