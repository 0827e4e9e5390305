"""``county-hub county rebuild``: the county figures made again from the whole log (docs/hub.md).

Run by the same projection the pushes run (county_hub.county_projection), over the log in seq order, under
the append lock (no push lands meanwhile), in one transaction: a rebuild that fails leaves the figures as
they were. The items' names (``county_items``) are made again with them. ``tests/hub/test_county_figures.py`` checks that a rebuild gives what the pushes kept.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, delete, insert, select

from county_hub import ordering
from county_hub.county_projection import (
    COUNTERS,
    CaseFigures,
    DailyKey,
    DurationKey,
    Named,
    Projection,
    name_item,
    project,
)
from county_hub.db import write_engine
from county_hub.models import (
    Counter,
    CountyCase,
    CountyDaily,
    CountyDuration,
    CountyDurationMonthly,
    CountyItem,
    CountyMonthly,
    Event,
)  # fmt: skip

CHUNK = 20_000


@dataclass(frozen=True, slots=True)
class LogEvent:
    case_uuid: str
    site_code: str
    department_code: str
    actor: str
    occurred_at: str
    payload: dict[str, Any]
    type: str


def _log(conn: Connection) -> Iterator[LogEvent]:
    after = 0
    while True:
        rows = conn.execute(
            select(
                Event.seq, Event.case_uuid, Event.site_code, Event.department_code, Event.actor,
                Event.occurred_at, Event.payload, Event.type,
            ).where(Event.seq > after).order_by(Event.seq).limit(CHUNK)
        ).all()  # fmt: skip
        if not rows:
            return
        for r in rows:
            yield LogEvent(*r[1:])
        after = rows[-1].seq


def rebuild(engine: Engine) -> dict[str, int]:
    """Empty the figures and project the whole log again; returns how many events, cases and day rows."""
    with write_engine(engine).begin() as conn:
        # The append lock: on SQLite the write transaction itself, on PostgreSQL the counter row.
        conn.execute(select(Counter.value).where(Counter.name == ordering.EVENTS).with_for_update())
        cases: dict[str, CaseFigures] = {}
        daily: dict[DailyKey, dict[str, int]] = {}
        durations: dict[DurationKey, int] = {}
        items: dict[str, Named] = {}
        events = 0
        batch: list[LogEvent] = []
        for event in _log(conn):
            batch.append(event)
            if len(batch) == CHUNK:
                events += _fold(cases, daily, durations, items, batch)
                batch = []
        events += _fold(cases, daily, durations, items, batch)
        conn.execute(delete(CountyCase))
        conn.execute(delete(CountyDaily))
        conn.execute(delete(CountyDuration))
        rows = [{"case_uuid": uuid} | row.values() for uuid, row in cases.items()]
        for start in range(0, len(rows), CHUNK):
            conn.execute(insert(CountyCase), rows[start : start + CHUNK])
        keys = ("site_code", "department_code", "day", "item_code", "channel")
        day_rows = [dict(zip(keys, key, strict=True)) | counts for key, counts in daily.items()]
        for start in range(0, len(day_rows), CHUNK):
            conn.execute(insert(CountyDaily), day_rows[start : start + CHUNK])
        conn.execute(delete(CountyMonthly))
        conn.execute(delete(CountyDurationMonthly))
        conn.execute(delete(CountyItem))
        whole = Projection({}, frozenset(), daily, durations, items)
        spans = whole.duration_rows()
        for table, rows in ((CountyDuration, spans), (CountyMonthly, whole.monthly_rows()),
                            (CountyDurationMonthly, whole.monthly_duration_rows()),
                            (CountyItem, whole.item_rows())):  # fmt: skip
            for start in range(0, len(rows), CHUNK):
                conn.execute(insert(table), rows[start : start + CHUNK])
    return {"events": events, "cases": len(cases), "days": len(day_rows), "durations": len(spans),
            "items": len(items)}  # fmt: skip


def _fold(
    cases: dict[str, CaseFigures],
    daily: dict[DailyKey, dict[str, int]],
    durations: dict[DurationKey, int],
    items: dict[str, Named],
    batch: list[LogEvent],
) -> int:
    projection = project(cases, batch)
    for code, (name, at) in projection.items.items():
        name_item(items, code, name, at)
    for span, n in projection.durations.items():
        durations[span] = durations.get(span, 0) + n
    cases.update(projection.cases)
    for key, counts in projection.daily.items():
        into = daily.setdefault(key, dict.fromkeys(COUNTERS, 0))
        for name, added in counts.items():
            into[name] += added
    return len(batch)
