"""Reading the log back: pull after a cursor, a case's history, the snapshot - always within a scope.

Pull and a case's history answer with JSON text built here: each event's payload is spliced in as
the database holds it (the hub stored it as compact JSON text), so it is neither parsed nor written
again for every device that pulls it.
"""

from __future__ import annotations

import json
import weakref
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from sqlalchemy import Connection, Engine, Text, cast, select

from clerk_desk.domain.hall_streams import HALL_DEPARTMENT
from county_hub import case_state, ordering
from county_hub.errors import HubError
from county_hub.models import Case, Counter, Event, utcnow
from county_hub.ordering import LOST_PREFIX
from county_hub.schemas import iso_utc
from county_hub.scope import Scope

_LOG_FIELDS = (
    "seq",
    "received_at",
    "uuid",
    "case_uuid",
    "case_version",
    "type",
    "side",
    "site_code",
    "department_code",
    "actor",
    "device_code",
    "occurred_at",
    "device_seq",
)  # and the payload, last
_LOG_COLUMNS = [*(getattr(Event, name) for name in _LOG_FIELDS), cast(Event.payload, Text).label("payload")]
_PAYLOAD = len(_LOG_FIELDS)


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _event_json(row: Sequence[Any]) -> str:
    """One logged event as JSON text, its payload spliced in as stored."""
    fields = dict(zip(_LOG_FIELDS, row, strict=False))
    fields["received_at"] = iso_utc(fields["received_at"])
    text = _dumps(fields)
    return f'{text[:-1]},"payload":{row[_PAYLOAD]}}}'


def _events_json(rows: Sequence[Sequence[Any]]) -> str:
    return "[" + ",".join(_event_json(r) for r in rows) + "]"


def pull(conn: Connection, scope: Scope, after: int, limit: int) -> str:
    """Events of the scope with seq > after, oldest first, as the JSON body of the answer; ``conn`` is in a
    read transaction (the PostgreSQL storage answers the same in one fixed statement).

    The cursor never passes an uncommitted seq: only events up to the committed counter are returned.
    """
    head = ordering.high_water(conn)
    rows = conn.execute(
        select(*_LOG_COLUMNS)
        .where(Event.seq > after, Event.seq <= head, scope.sql(Event.site_code, Event.department_code))
        .order_by(Event.seq)
        .limit(limit + 1)
    ).all()
    check_cursor(after, head, conn.engine, behind=True)
    has_more = len(rows) > limit
    rows = rows[:limit]
    # Nothing more in scope up to head: the cursor may jump there (out-of-scope traffic is not rescanned).
    next_cursor = rows[-1][0] if has_more else head
    return page_json(",".join(_event_json(r) for r in rows), next_cursor, has_more)


def page_json(events: str, next_cursor: int, has_more: bool) -> str:
    """A pull page's body around its events' JSON texts (joined by commas)."""
    return f'{{"events":[{events}],"next_cursor":{next_cursor},"has_more":{_dumps(has_more)}}}'


# The seqs a restore left behind, per database (county_hub.backup.mark_restored): read when the app is built
# (a restore is made with the hub stopped), so a pull asks nothing more of the database.
_LOST: weakref.WeakKeyDictionary[Engine, tuple[tuple[int, int], ...]] = weakref.WeakKeyDictionary()


def load_lost(engine: Engine) -> None:
    """Read the log positions lost by restores from older backups (``lost:<seq>`` counter rows)."""
    with engine.connect() as conn:
        rows = conn.execute(select(Counter.name, Counter.value).where(Counter.name.like(f"{LOST_PREFIX}%"))).all()
    _LOST[engine] = tuple(sorted((int(name[len(LOST_PREFIX):]), int(value)) for name, value in rows))


def check_cursor(after: int, head: int, engine: Engine | None = None, *, behind: bool = False) -> None:
    """A cursor past the log's end, or inside the seqs a restore left behind (a desk that pulled events the
    restored hub no longer holds), is told ``cursor_ahead``: it takes a new snapshot and sends its own events
    from ``lost_after`` to ``lost_to`` again (docs/hub.md, "Back up and restore"). With ``behind`` (a desk's
    pull), so is a cursor at or below a restored backup's end: that desk has not pulled since, and the events
    it pushed meanwhile, acknowledged with seqs past the backup's end, are lost too. A cursor at a lost range's
    top is the restored log's head (a snapshot taken before anything new was pushed): nothing was lost to it.
    Every later range is named with the first (``lost_to`` is the last one's top): the desk's events there are
    lost as well, and those the hub holds between the ranges are answered ``duplicate``."""
    if after > head:
        raise HubError(
            409,
            "cursor_ahead",
            f"cursor {after} is beyond the log's end ({head}): the hub was restored from a backup; "
            "take a new snapshot",
            head=head,
            lost_after=head,
        )
    check_lost(after, engine, behind=behind, head=head)


CURSOR_HEADER = "X-Desk-Cursor"  # a push names the desk's cursor: a desk a restore left behind is told first


def check_lost(after: int, engine: Engine | None, *, behind: bool = False, head: int | None = None) -> None:
    """The lost ranges' part of :func:`check_cursor`, from memory (no query: a push asks it too, without
    the log's head)."""
    later = [(start, top) for start, top in (_LOST.get(engine, ()) if engine is not None else ()) if after < top]
    if later and (behind or later[0][0] < after):
        lost_after, lost_to = later[0][0], later[-1][1]
        raise HubError(
            409,
            "cursor_ahead",
            f"cursor {after} is not past the events lost when the hub was restored from a backup that ends at "
            f"{lost_after}: take a new snapshot and send this device's events after {lost_after} again",
            **({"head": head} if head is not None else {}),
            lost_after=lost_after,
            lost_to=lost_to,
        )


def case_events(engine: Engine, scope: Scope, case_uuid: str) -> str:
    with engine.connect() as conn, conn.begin():
        head = ordering.high_water(conn)
        rows = conn.execute(
            select(*_LOG_COLUMNS)
            .where(
                Event.case_uuid == case_uuid,
                Event.seq <= head,
                scope.sql(Event.site_code, Event.department_code),
            )
            .order_by(Event.seq)
        ).all()
    if not rows:
        raise HubError(404, "case_not_found", "no case with this uuid in this device's scope")
    return f'{{"case_uuid":{_dumps(case_uuid)},"events":{_events_json(rows)}}}'


_CASE_FIELDS = (
    "case_uuid",
    "site_code",
    "department_code",
    *case_state.STATE_COLUMNS,
    "first_seq",
    "last_seq",
    "updated_at",
)
_CASE_COLUMNS = [getattr(Case, name) for name in _CASE_FIELDS]


def snapshot(conn: Connection, scope: Scope) -> dict[str, Any]:
    """Every case of the scope and the seq it is consistent with; ``conn`` reads one database snapshot
    (county_hub.storage.Storage.consistent_read). The cases' state is the ``cases`` table's
    (county_hub.case_state)."""
    head = ordering.high_water(conn)
    rows = (
        conn.execute(
            select(*_CASE_COLUMNS)
            .where(scope.sql(Case.site_code, Case.department_code))
            .order_by(Case.first_seq)
        )
        .mappings()
        .all()
    )
    cases = []
    for r in rows:
        case = dict(r)
        case["updated_at"] = iso_utc(r["updated_at"])
        cases.append(case)
    return {"seq": head, "server_time": iso_utc(utcnow()), "cases": cases, "records": _records(conn, scope, head)}


RECORD_DAYS = 62  # this month's and last month's sheets (attendance, consultations) on a new desk


def _records(conn: Connection, scope: Scope, head: int) -> list[Any]:
    """The scope's events of the record streams (clerk_desk/domain/hall_streams.py) of the last
    :data:`RECORD_DAYS` days, in log order: records have no state table here, so a new or restored desk
    takes their recent events with the snapshot (they are few: a site's day is some dozens)."""
    since = utcnow() - timedelta(days=RECORD_DAYS)
    rows = conn.execute(
        select(*_LOG_COLUMNS)
        .where(Event.department_code == HALL_DEPARTMENT, Event.seq <= head, Event.received_at >= since,
               scope.sql(Event.site_code, Event.department_code))
        .order_by(Event.seq)
    ).all()
    return [json.loads(_event_json(r)) for r in rows]


def stream_events(conn: Connection, scope: Scope, types: Sequence[str], after: int, limit: int) -> str:
    """One record stream's events of the scope with seq > after, oldest first, as a pull page's JSON body
    (records have no state table: the stream is read from the log, under its site's ``hall`` department)."""
    head = ordering.high_water(conn)
    check_cursor(after, head, conn.engine)
    rows = conn.execute(
        select(*_LOG_COLUMNS)
        .where(Event.seq > after, Event.seq <= head, Event.department_code == HALL_DEPARTMENT,
               Event.type.in_(list(types)), scope.sql(Event.site_code, Event.department_code))
        .order_by(Event.seq)
        .limit(limit + 1)
    ).all()
    has_more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = rows[-1][0] if has_more else head
    return page_json(",".join(_event_json(r) for r in rows), next_cursor, has_more)
