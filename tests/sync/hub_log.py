"""What reached the hub, read from the hub's own SQLite database, and the exactly-once check."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import select

from clerk_desk.store.models import CaseEvent
from tests.sync.conftest import Desk


def hub_events(data: Path) -> list[tuple[str, str, int, int]]:
    """(uuid, case_uuid, case_version, seq) of every event the hub stored, in log order."""
    db = next(data.glob("*.sqlite3"))
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return [tuple(r) for r in conn.execute("SELECT uuid, case_uuid, case_version, seq FROM events ORDER BY seq")]
    finally:
        conn.close()


def local_events(desk: Desk) -> list[tuple[str, str, int]]:
    with desk.db.reading() as s:
        return [(e.uuid, e.case_uuid, e.case_version) for e in s.scalars(
            select(CaseEvent).where(CaseEvent.origin == "local").order_by(CaseEvent.device_seq))]


def assert_exactly_once_in_order(desk: Desk, hub_data: Path) -> None:
    mine = local_events(desk)
    stored = hub_events(hub_data)
    uuids = [u for u, *_ in stored]
    assert len(uuids) == len(set(uuids)), "an event was stored twice"
    assert set(uuids) == {u for u, *_ in mine}, "an event was lost"
    per_case: dict[str, list[int]] = {}
    for _u, case, version, _seq in stored:
        per_case.setdefault(case, []).append(version)
    assert all(v == sorted(v) for v in per_case.values()), "a case's events reached the hub out of order"
    with desk.db.reading() as s:
        assert set(s.scalars(select(CaseEvent.push_state).where(CaseEvent.origin == "local"))) <= {"stored", "duplicate"}
