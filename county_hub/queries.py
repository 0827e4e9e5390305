"""Reading the log back: pull after a cursor, a case's history, the snapshot - always within a scope.

Pull and a case's history answer with JSON text built here: each event's payload is spliced in as
the database holds it (the hub stored it as compact JSON text), so it is neither parsed nor written
again for every device that pulls it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, Text, cast, select

from county_hub import ordering
from county_hub.db import pg_connection, snapshot_engine
from county_hub.errors import HubError
from county_hub.models import Case, Event, utcnow
from county_hub.schemas import iso_utc
from county_hub.scope import Scope

if TYPE_CHECKING:
    import psycopg

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


def pull(engine: Engine, scope: Scope, after: int, limit: int) -> str:
    """Events of the scope with seq > after, oldest first, as the JSON body of the answer.

    The cursor never passes an uncommitted seq: only events up to the committed counter are returned.
    """
    if engine.dialect.name == "postgresql":
        with pg_connection(engine, autocommit=True) as pg:
            return pull_pg(pg, scope, after, limit)
    with engine.connect() as conn, conn.begin():
        head = ordering.high_water(conn)
        rows = conn.execute(
            select(*_LOG_COLUMNS)
            .where(Event.seq > after, Event.seq <= head, scope.sql(Event.site_code, Event.department_code))
            .order_by(Event.seq)
            .limit(limit + 1)
        ).all()
    _check_cursor(after, head)
    has_more = len(rows) > limit
    rows = rows[:limit]
    # Nothing more in scope up to head: the cursor may jump there (out-of-scope traffic is not rescanned).
    next_cursor = rows[-1][0] if has_more else head
    return f'{{"events":{_events_json(rows)},"next_cursor":{next_cursor},"has_more":{_dumps(has_more)}}}'


_PULL_PG = """
SELECT h.value, e.seq, row_to_json(e)::text
FROM counters h
LEFT JOIN LATERAL (
    SELECT seq, to_char(received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS received_at,
           uuid, case_uuid, case_version, type, side, site_code, department_code, payload, actor,
           device_code, occurred_at, device_seq
    FROM events
    WHERE seq > %(after)s AND seq <= h.value
      AND (site_code = ANY(%(sites)s::text[])
           OR (site_code, department_code) IN (
               SELECT p.site_code, p.department_code
               FROM unnest(%(pair_sites)s::text[], %(pair_departments)s::text[]) AS p(site_code, department_code)))
    ORDER BY seq
    LIMIT %(limit)s
) e ON true
WHERE h.name = %(counter)s
"""


def pull_pg(pg: psycopg.Connection[Any], scope: Scope, after: int, limit: int) -> str:
    """:func:`pull` on a PostgreSQL connection at hand: one fixed statement reads the committed counter
    and the page (one snapshot), walking the log by seq (its primary key) from the cursor with the scope
    as a filter; the server writes each event's JSON (the payload as stored)."""
    sites, pairs = scope.split()
    found = pg.execute(
        _PULL_PG,
        {
            "after": after,
            "limit": limit + 1,
            "counter": ordering.EVENTS,
            "sites": sites,
            "pair_sites": [site for site, _ in pairs],
            "pair_departments": [department for _, department in pairs],
        },
    ).fetchall()
    head = int(found[0][0])
    _check_cursor(after, head)
    page = [(r[1], r[2]) for r in found if r[1] is not None]
    has_more = len(page) > limit
    page = page[:limit]
    next_cursor = page[-1][0] if has_more else head
    events = ",".join(text for _, text in page)
    return f'{{"events":[{events}],"next_cursor":{next_cursor},"has_more":{_dumps(has_more)}}}'


def _check_cursor(after: int, head: int) -> None:
    if after > head:
        raise HubError(
            409,
            "cursor_ahead",
            f"cursor {after} is beyond the log's end ({head}): the hub was restored from a backup; "
            "take a new snapshot",
            head=head,
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
    "status",
    "version",
    "owner",
    "pledge_open",
    "withdrawal_requested",
    "first_seq",
    "last_seq",
    "updated_at",
)
_CASE_COLUMNS = [getattr(Case, name) for name in _CASE_FIELDS]


def snapshot(engine: Engine, scope: Scope) -> dict[str, Any]:
    """Every case of the scope and the seq it is consistent with (one database snapshot)."""
    with snapshot_engine(engine).connect() as conn, conn.begin():
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
    return {"seq": head, "server_time": iso_utc(utcnow()), "cases": cases}
