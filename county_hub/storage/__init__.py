"""The hub's database behind one small interface, with a writer per database (docs/hub.md, "Storage").

:class:`Storage` is all the rest of the hub knows of the database it runs on: what a push's plan needs to
read, the append of a planned push, the reads of the hottest endpoints, and a consistent read for the
snapshot. Everything else (admin commands, the directory, the audit trail, a case's history) is plain
SQLAlchemy on :attr:`Storage.engine` and runs the same on any database.

:func:`open_storage` chooses the writer once, by the database URL, and that writer makes the engine:

* county_hub.storage.sqlite: the embedded SQLite file, through SQLAlchemy. ``BEGIN IMMEDIATE`` is the
  append lock; the plan's reads are repeated under it.
* county_hub.storage.postgres: psycopg on the same pool. The append is one call of ``hub_append``
  (migration 0002), which takes the counter row ``FOR UPDATE``, checks the plan's reads and writes, so the
  lock is held for the server's own work only.

What to answer and what to write is decided in neither: county_hub.push_plan makes the plan once, in
Python, and both writers are given the same plan. ``tests/hub/test_writers_agree.py`` generates push batches
and checks that both leave the same log and give the same answers.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Any, Protocol

from sqlalchemy import Connection, Engine

from county_hub.auth import DeviceContext
from county_hub.push_plan import Answer, Batch, Grants, Hook, Known, Plan, Replan


class Storage(Protocol):
    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine, for the work that is the same on every database."""
        ...

    def warm_up(self) -> None:
        """Open what should be open before the first request (devices come back all at once)."""

    def device(self, token: str) -> DeviceContext:
        """The device behind a token, with its scope (every authenticated request); raises HubError 401."""
        ...

    def pull(self, token: str, after: int, limit: int) -> str:
        """The token's device, then its scope's events after the cursor, as the JSON body of the answer
        (county_hub.queries.pull): one connection for both, the most frequent request."""
        ...

    def consistent_read(self) -> AbstractContextManager[Connection]:
        """A read transaction that sees one snapshot of the database throughout (GET /snapshot)."""
        ...

    def read_for_plan(self, batch: Batch) -> tuple[Known, Grants]:
        """Without any lock: what the hub holds for the batch's uuids and cases, and its actors' grants."""
        ...

    def append(self, plan: Plan, replan: Replan, before_commit: Hook | None = None) -> list[Answer]:
        """Take the append lock; if what ``plan`` read no longer holds, read again under the lock and
        write ``replan(fresh)`` instead; write, advance the log's head, commit. Returns the answers with
        their seqs. ``before_commit`` runs with the lock held and the rows written (tests hold it open)."""
        ...


def open_storage(url: str, **engine_options: Any) -> Storage:
    """The storage for a database URL: the one place where the hub's database decides anything."""
    if url.startswith("sqlite"):
        from county_hub.storage.sqlite import SqliteStorage

        return SqliteStorage.open(url, **engine_options)
    from county_hub.storage.postgres import PostgresStorage  # psycopg: only a PostgreSQL hub needs it

    return PostgresStorage.open(url, **engine_options)


def make_engine(url: str, **engine_options: Any) -> Engine:
    """Just the engine (admin commands, migrations, tests): configured by the database's writer."""
    return open_storage(url, **engine_options).engine
