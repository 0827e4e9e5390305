"""Engines for the hub's database: SQLite (embedded default) or PostgreSQL (production).

Writes that append to the event log go through :func:`write_engine`: on SQLite that connection begins
``BEGIN IMMEDIATE`` (the database write lock is taken at once, so appends are serialized and a
reader never upgrades to a writer mid-transaction); on PostgreSQL the serialization is the locked
counter row (county_hub.ordering). Snapshot reads use :func:`snapshot_engine` (REPEATABLE READ on
PostgreSQL; a SQLite read transaction is already one snapshot in WAL mode).
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DisconnectionError

if TYPE_CHECKING:
    import psycopg

_WRITE = "hub_write"
IDLE_PING_SECONDS = 10.0


def json_text(value: Any) -> str:
    """How the hub stores JSON columns: compact UTF-8 (what pull sends back as it is stored).

    A string holding a lone surrogate cannot be encoded as UTF-8: such a value is stored with escapes.
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    try:
        text.encode()
    except UnicodeEncodeError:
        return json.dumps(value, separators=(",", ":"))
    return text


def make_engine(url: str, **kwargs: Any) -> Engine:
    kwargs.setdefault("json_serializer", json_text)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30}, **kwargs)
        _configure_sqlite(engine)
        return engine
    # Enough kept-open connections for the request threads (40 by default): a connection opened past
    # pool_size is closed again when returned, and a new PostgreSQL backend per request costs milliseconds.
    kwargs.setdefault("pool_size", 20)
    kwargs.setdefault("max_overflow", 20)
    engine = create_engine(url, **kwargs)
    if not kwargs.get("pool_pre_ping"):
        _ping_when_idle(engine)
    return engine


def _ping_when_idle(engine: Engine) -> None:
    """Test a pooled connection before use only if it sat unused for a while (a server restart or a
    firewall may have cut it). ``pool_pre_ping`` did so on every checkout: one more round trip per
    request, two for a push, under load. A failed ping makes the pool open a new connection."""

    @event.listens_for(engine, "checkin")
    def _checked_in(_dbapi_conn: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _checked_out(dbapi_conn: Any, record: Any, _proxy: Any) -> None:
        idle_since = record.info.pop("idle_since", None)
        if idle_since is None or time.monotonic() - idle_since < IDLE_PING_SECONDS:
            return
        try:
            engine.dialect.do_ping(dbapi_conn)
        except Exception as exc:  # whatever the driver raises for a dead connection
            raise DisconnectionError("pooled connection failed its ping") from exc


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


def warm_up(engine: Engine) -> None:
    """Open the pool's connections before serving: devices come back all at once after a restart, and
    on PostgreSQL each new connection is a new server process (milliseconds each)."""
    if engine.dialect.name != "postgresql":
        return
    opened = [engine.raw_connection() for _ in range(engine.pool.size())]  # type: ignore[attr-defined]
    for conn in opened:
        conn.close()


def write_engine(engine: Engine) -> Engine:
    return engine.execution_options(**{_WRITE: True})


def snapshot_engine(engine: Engine) -> Engine:
    if engine.dialect.name == "postgresql":
        return engine.execution_options(isolation_level="REPEATABLE READ")
    return engine


@contextmanager
def pg_connection(engine: Engine, *, autocommit: bool = False) -> Iterator[psycopg.Connection[Any]]:
    """A pooled PostgreSQL connection as psycopg's own (the hot paths run fixed SQL on it directly).

    ``autocommit`` for reads: each statement stands alone, no BEGIN or ROLLBACK to send. The connection
    goes back to the pool with any open transaction rolled back (a broken one is discarded).
    """
    raw = engine.raw_connection()
    try:
        pg: psycopg.Connection[Any] = raw.driver_connection  # type: ignore[assignment]
        if autocommit:
            pg.autocommit = True
        try:
            yield pg
        finally:
            if autocommit and not pg.closed:
                pg.autocommit = False
    finally:
        raw.close()
