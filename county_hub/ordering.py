"""The event log's sequence, and why appends are serialized (docs/sync-protocol.md, "Ordering guarantee").

A pull answers "events with seq > cursor". If two pushes could take numbers independently (a
bigserial), push A could take 41, push B take 42 and commit first, a pull return 42 and move its
cursor past 41, and A's event then commit behind the cursor: skipped for good. So every push holds the
append lock from reading the log's head until it commits: on PostgreSQL the counter row taken
``FOR UPDATE`` (inside ``hub_append``, county_hub.storage.postgres), on SQLite the database's write lock
taken by ``BEGIN IMMEDIATE`` (county_hub.storage.sqlite). Numbers are handed out in commit order, and a
rolled-back push leaves no gap because the counter's update rolls back with it.

Pull reads the counter first (:func:`high_water`) and returns events only up to it: every seq up to
the committed counter value is committed, so a cursor never moves past an event still in flight.
"""

from __future__ import annotations

from sqlalchemy import Connection, select, update

from county_hub.models import Counter

EVENTS = "events"
LOST_PREFIX = "lost:"  # lost:<seq the restored backup ends at> = the counter the mark set (county_hub.backup)


def advance_counter(conn: Connection, last_seq: int) -> None:
    """Record the last seq handed out by this transaction, which holds the append lock."""
    conn.execute(update(Counter).where(Counter.name == EVENTS).values(value=last_seq))


def high_water(conn: Connection) -> int:
    """The highest committed seq: every event up to it is visible. Under the append lock: the log's head."""
    return int(conn.execute(select(Counter.value).where(Counter.name == EVENTS)).scalar_one())
