"""The event log's sequence, and why appends are serialized (DESIGN.md §4, 'Ordering trap').

A pull answers "events with seq > cursor". If two pushes could take numbers independently (a
bigserial), push A could take 41, push B take 42 and commit first, a pull return 42 and move its
cursor past 41, and A's event then commit behind the cursor: skipped for good. So every push takes
the counter row with ``SELECT ... FOR UPDATE`` (PostgreSQL) - on SQLite the push transaction began
with ``BEGIN IMMEDIATE`` and already holds the database's write lock - and keeps it until it commits.
Numbers are handed out in commit order, and a rolled-back push leaves no gap because the counter's
update rolls back with it.

Pull reads the counter first (:func:`high_water`) and returns events only up to it: every seq up to
the committed counter value is committed, so a cursor never moves past an event still in flight.
"""

from __future__ import annotations

from sqlalchemy import Connection, select, update

from county_hub.models import Counter

EVENTS = "events"


def lock_counter(conn: Connection) -> int:
    """Take the append lock for this transaction; returns the last seq handed out."""
    stmt = select(Counter.value).where(Counter.name == EVENTS)
    if conn.dialect.name != "sqlite":  # SQLite: BEGIN IMMEDIATE already serializes writers
        stmt = stmt.with_for_update()
    value = conn.execute(stmt).scalar_one()
    return int(value)


def advance_counter(conn: Connection, last_seq: int) -> None:
    """Record the last seq handed out by this (locked) transaction."""
    conn.execute(update(Counter).where(Counter.name == EVENTS).values(value=last_seq))


def high_water(conn: Connection) -> int:
    """The highest committed seq: every event up to it is visible."""
    return int(conn.execute(select(Counter.value).where(Counter.name == EVENTS)).scalar_one())
