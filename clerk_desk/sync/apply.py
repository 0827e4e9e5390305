"""Pull and apply: the hub's log for this device's scope, applied idempotently, cursor saved with it.

Each page of events is applied in one transaction together with the new cursor, so a crash between
the two cannot skip or double-apply anything. Our own events coming back are acknowledgements; other
devices' events create or advance local cases. A new or restored device starts from a snapshot.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from clerk_desk.domain.lifecycle import EventType
from clerk_desk.store.database import Database
from clerk_desk.store.models import Case, CaseEvent, Department, Person, Setting, Site, utcnow
from clerk_desk.sync.hub_client import HubClient, parse_time
from clerk_desk.sync.outbox import rebuild_case

CURSOR_KEY = "sync_cursor"


def cursor(db: Database) -> int | None:
    with db.reading() as s:
        row = s.get(Setting, CURSOR_KEY)
        return int(row.value) if row else None


def _set_cursor(s: Session, value: int) -> None:
    row = s.get(Setting, CURSOR_KEY)
    if row is None:
        s.add(Setting(key=CURSOR_KEY, value=str(value)))
    else:
        row.value = str(value)


def _ensure_refs(s: Session, ev: dict[str, Any]) -> None:
    if s.get(Site, ev["site_code"]) is None:
        s.add(Site(code=ev["site_code"], name=ev["site_code"]))
    if s.get(Department, ev["department_code"]) is None:
        s.add(Department(code=ev["department_code"], name=ev["department_code"], sort_order=99))
    s.flush()


def _store_persons(s: Session, payload: dict[str, Any]) -> None:
    for pid, p in (payload.get("persons") or {}).items():
        if s.get(Person, pid) is None:
            s.add(Person(id=pid, kind=p.get("kind") or "person", name=p.get("name"), id_number=p.get("id_number"),
                         phone=p.get("phone"), address=p.get("address"),
                         legal_representative=p.get("legal_representative")))
    s.flush()


def _new_case(s: Session, ev: dict[str, Any]) -> Case:
    p = ev["payload"]
    _ensure_refs(s, ev)
    _store_persons(s, p)
    at = parse_time(ev["occurred_at"])
    case = Case(
        uuid=ev["case_uuid"], case_number=p.get("case_number"), site_code=ev["site_code"],
        department_code=ev["department_code"], item_code=p.get("item_code") or "", item_name=p.get("item_name") or "",
        status="new", version=0, acked_version=0, applicant_id=p.get("applicant_id"), agent_id=p.get("agent_id"),
        device_code=ev["device_code"], handling_kind=p.get("handling_kind"), urgent=bool(p.get("urgent")),
        created_at=at, details={"remote": True},
    )
    if ev["type"] == EventType.ACCEPTED.value:
        case.accepted_at = at
        case.due_at = parse_time(p["due_at"]) if p.get("due_at") else None
        case.due_calendar_version = p.get("calendar_version")
        case.details = {"remote": True, "days": p.get("days"), "delivery": p.get("delivery"),
                        "days_confirmed_by_department": p.get("days_confirmed")}
    s.add(case)
    s.flush()
    return case


def apply_events(s: Session, events: list[dict[str, Any]], now: datetime | None = None) -> int:
    """Apply hub events (any order within a page is fine; each is idempotent). Returns how many were new."""
    now = now or utcnow()
    new = 0
    touched: set[str] = set()
    for ev in events:
        mine = s.get(CaseEvent, ev["uuid"])
        if mine is not None:
            if mine.origin == "local" and mine.push_state not in ("stored", "duplicate"):
                # The answer to our push was lost (cut connection); the log says it was stored.
                mine.push_state, mine.acked_at, mine.last_error = "stored", now, None
                touched.add(mine.case_uuid)
            mine.hub_seq = ev["seq"]
            continue
        case = s.get(Case, ev["case_uuid"]) or _new_case(s, ev)
        _store_persons(s, ev["payload"])
        s.add(CaseEvent(
            uuid=ev["uuid"], case_uuid=case.uuid, case_version=ev["case_version"], type=ev["type"], side=ev["side"],
            payload=ev["payload"], actor=ev["actor"], device_code=ev["device_code"],
            occurred_at=parse_time(ev["occurred_at"]), device_seq=None, origin="hub", push_state="stored",
            hub_seq=ev["seq"], acked_at=now,
        ))
        touched.add(case.uuid)
        new += 1
    s.flush()
    for case_uuid in touched:
        rebuild_case(s, case_uuid)
    return new


def pull(db: Database, client: HubClient, *, page_size: int = 500) -> int:
    """Pull every page after the saved cursor; a device with no cursor starts from a snapshot."""
    if cursor(db) is None:
        snapshot_start(db, client)
    total = 0
    while True:
        after = cursor(db) or 0
        page = client.pull(after, page_size)
        with db.transaction() as s:
            total += apply_events(s, page["events"])
            _set_cursor(s, int(page["next_cursor"]))
        if not page["has_more"]:
            return total


def snapshot_start(db: Database, client: HubClient) -> int:
    """New, restored or re-scoped device: fetch each unknown case's history, then pull from the snapshot."""
    snap = client.snapshot()
    with db.reading() as s:
        uuids = [c["case_uuid"] for c in snap["cases"]]
        local = dict(s.execute(select(Case.uuid, Case.acked_version).where(Case.uuid.in_(uuids))).all())
    fetched = 0
    for c in snap["cases"]:
        if local.get(c["case_uuid"], -1) >= c["version"]:
            continue  # we already hold everything the hub has of this case (typically our own cases)
        events = client.case_events(c["case_uuid"])
        with db.transaction() as s:
            fetched += apply_events(s, [e for e in events if e["seq"] <= snap["seq"]])
    with db.transaction() as s:
        _set_cursor(s, int(snap["seq"]))
    return fetched


def reset_cursor(db: Database) -> None:
    """Forget the cursor (after a restore or when the hub says the cursor is ahead): next pull snapshots."""
    with db.transaction() as s:
        row = s.get(Setting, CURSOR_KEY)
        if row is not None:
            s.delete(row)
