"""The SQLite engine for the case database, tuned for a hall PC that may lose power at any moment.

WAL so readers never block the writer; synchronous=FULL so a committed intake survives a power cut;
foreign keys on; a busy timeout; and every transaction begins IMMEDIATE so a reader that later writes
never dies with SQLITE_BUSY half-way (docs/architecture.md §3).

A transaction begun with :data:`RELAXED_OPTION` commits with synchronous=NORMAL: no fsync of its own. WAL
keeps commits in order, so a power cut can only lose the newest such commits, never damage the file, and
the next FULL commit makes them durable too. Only writes that the desk learns again from the hub use it
(the sync's in-flight marks, the hub's answers, pulled pages: docs/sync-protocol.md, "What the desk
fsyncs").
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import URL, Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from clerk_desk.store import sealed
from clerk_desk.store.data_keys import DataKeys
from clerk_desk.store.sqlite_file import BUSY_TIMEOUT_MS, DB_FILENAME, apply_pragmas, database_path

__all__ = ["BUSY_TIMEOUT_MS", "DB_FILENAME", "database_path", "make_engine", "make_session_factory"]
READ_ONLY_OPTION = "clerk_desk_read_only"
RELAXED_OPTION = "clerk_desk_relaxed"  # commit without fsync (see above)
_SYNC_KEY = "clerk_desk_synchronous"  # the level a pooled connection is at (the pragma needs no transaction)


def _pragmas(foreign_keys: bool) -> Callable[[sqlite3.Connection, object], None]:
    def on_connect(dbapi_conn: sqlite3.Connection, _record: object) -> None:
        # Let SQLAlchemy, not the driver, decide when transactions begin (so we can say IMMEDIATE).
        apply_pragmas(dbapi_conn, foreign_keys=foreign_keys)

    return on_connect


def _on_begin(conn) -> None:  # type: ignore[no-untyped-def]
    # Readers (see make_read_session_factory) begin DEFERRED so they never wait for the write lock.
    options = conn.get_execution_options()
    if options.get(READ_ONLY_OPTION):
        conn.exec_driver_sql("BEGIN")
        return
    # SQLite refuses to change the level inside a transaction: it is set before BEGIN, and set back
    # by the next durable transaction on the same connection.
    level = "NORMAL" if options.get(RELAXED_OPTION) else "FULL"
    info = conn.connection.info
    if info.get(_SYNC_KEY, "FULL") != level:
        conn.exec_driver_sql(f"PRAGMA synchronous = {level}")
        info[_SYNC_KEY] = level
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def make_engine(
    path: Path | str, *, echo: bool = False, foreign_keys: bool = True, keys: DataKeys | None = None
) -> Engine:
    """An engine on the SQLite file at ``path`` (created if absent) with the pragmas above.

    ``keys``: this database's DataKeys, for the sealed columns (store/sealed.py); without them a
    personal field cannot be written or read. ``foreign_keys=False`` only for migrations: batch
    migrations recreate tables, and SQLite needs the pragma set outside the transaction (docs/architecture.md §9)."""
    # Built, not parsed: a "?" or "#" in a folder's name read as a URL's would open another file
    url = URL.create("sqlite+pysqlite", database=str(path)) if str(path) != ":memory:" else "sqlite+pysqlite://"
    engine = create_engine(url, echo=echo, connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000})
    event.listen(engine, "connect", _pragmas(foreign_keys))
    event.listen(engine, "begin", _on_begin)
    if keys is not None:
        sealed.attach(engine, keys)
    return engine


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    # expire_on_commit=False: services hand plain values back to the UI thread after commit.
    return sessionmaker(engine, expire_on_commit=False)


def make_read_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine.execution_options(**{READ_ONLY_OPTION: True}), expire_on_commit=False)


def make_relaxed_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Write sessions that commit without fsync (see the module's note)."""
    return sessionmaker(engine.execution_options(**{RELAXED_OPTION: True}), expire_on_commit=False)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One unit of work: commit on success, roll back on any error (nothing half-written)."""
    with factory() as session, session.begin():
        yield session
