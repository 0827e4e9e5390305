"""Reading the log back: pull after a cursor, a case's history, the snapshot - always within a scope."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, RowMapping, select

from county_hub import ordering
from county_hub.db import snapshot_engine
from county_hub.errors import HubError
from county_hub.models import Case, Event, utcnow
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
    "payload",
    "actor",
    "device_code",
    "occurred_at",
    "device_seq",
)
_LOG_COLUMNS = [getattr(Event, name) for name in _LOG_FIELDS]


def logged_event(row: RowMapping) -> dict[str, Any]:
    out = {name: row[name] for name in _LOG_FIELDS}
    out["received_at"] = iso_utc(out["received_at"])
    return out


def pull(engine: Engine, scope: Scope, after: int, limit: int) -> dict[str, Any]:
    """Events of the scope with seq > after, oldest first; the cursor never passes an uncommitted seq."""
    with engine.connect() as conn, conn.begin():
        head = ordering.high_water(conn)
        if after > head:
            raise HubError(
                409,
                "cursor_ahead",
                f"cursor {after} is beyond the log's end ({head}): the hub was restored from a backup; "
                "take a new snapshot",
                head=head,
            )
        rows = (
            conn.execute(
                select(*_LOG_COLUMNS)
                .where(
                    Event.seq > after, Event.seq <= head, scope.sql(Event.site_code, Event.department_code)
                )
                .order_by(Event.seq)
                .limit(limit + 1)
            )
            .mappings()
            .all()
        )
    has_more = len(rows) > limit
    events = [logged_event(r) for r in rows[:limit]]
    # Nothing more in scope up to head: the cursor may jump there (out-of-scope traffic is not rescanned).
    next_cursor = events[-1]["seq"] if has_more else head
    return {"events": events, "next_cursor": next_cursor, "has_more": has_more}


def case_events(engine: Engine, scope: Scope, case_uuid: str) -> dict[str, Any]:
    with engine.connect() as conn, conn.begin():
        head = ordering.high_water(conn)
        rows = (
            conn.execute(
                select(*_LOG_COLUMNS)
                .where(
                    Event.case_uuid == case_uuid,
                    Event.seq <= head,
                    scope.sql(Event.site_code, Event.department_code),
                )
                .order_by(Event.seq)
            )
            .mappings()
            .all()
        )
    if not rows:
        raise HubError(404, "case_not_found", "no case with this uuid in this device's scope")
    return {"case_uuid": case_uuid, "events": [logged_event(r) for r in rows]}


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
