"""Pull and apply: the hub's log for this device's scope, applied idempotently, cursor saved with it.

Each page of events is applied in one transaction together with the new cursor, so a crash between
the two cannot skip or double-apply anything. Our own events coming back are acknowledgements; other
devices' events create or advance local cases. A new or restored device starts from a snapshot.

A page is applied in bulk (a desk back after a day offline takes 10,000 events in a few seconds,
benchmarks/catch_up.py): one query finds which of its events and cases are here already, new rows are
added together, acknowledgements are one executemany update, and each touched case is rebuilt once.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from clerk_desk.domain.case_fold import from_wire, row_facts
from clerk_desk.domain.hall_streams import STREAM_OF, Stream, stream_of
from clerk_desk.domain.lifecycle import EventType
from clerk_desk.services.hall_records import apply_pulled
from clerk_desk.store import changes
from clerk_desk.store.changes import ChangeKind
from clerk_desk.store.database import Database
from clerk_desk.store.models import Case, CaseEvent, Department, Person, Setting, Site, utcnow
from clerk_desk.sync import ahead
from clerk_desk.sync.hub_client import HubClient, parse_time
from clerk_desk.sync.outbox import ACKED, project, rebuild_cases

CURSOR_KEY = "sync_cursor"
PAGE = 1000  # events per pull page: the most the hub gives (docs/sync-protocol.md)


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


def _ensure_refs(s: Session, events: list[dict[str, Any]]) -> None:
    """Sites and departments named by new cases exist locally (as bare codes until set up)."""
    sites = {ev["site_code"] for ev in events} - set(s.scalars(select(Site.code)))
    departments = {ev["department_code"] for ev in events} - set(s.scalars(select(Department.code)))
    s.add_all(Site(code=c, name=c) for c in sorted(sites))
    s.add_all(Department(code=c, name=c, sort_order=99) for c in sorted(departments))
    s.flush()


def _store_persons(s: Session, payload: dict[str, Any]) -> None:
    named = payload.get("persons") or {}
    held = set(s.scalars(select(Person.id).where(Person.id.in_(list(named))))) if named else set()
    for pid, p in named.items():
        if pid not in held:  # one query for the page, not a get per person (catch-up speed)
            s.add(Person(id=pid, kind=p.get("kind") or "person", name=p.get("name"), id_number=p.get("id_number"),
                         phone=p.get("phone"), address=p.get("address"),
                         legal_representative=p.get("legal_representative")))
    s.flush()


def _new_case(ev: dict[str, Any]) -> Case:
    """A case first seen in a hub event (its site, department and persons are stored before it)."""
    p = ev["payload"]
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
    return case


def _persons_of(events: list[dict[str, Any]]) -> dict[str, Any]:
    """The personal data the events carry, by person id (the first event naming a person wins)."""
    found: dict[str, Any] = {}
    for ev in events:
        named = ev["payload"].get("persons")
        if isinstance(named, dict):
            for pid, p in named.items():
                if isinstance(p, dict):
                    found.setdefault(pid, p)
    return found


def apply_events(s: Session, events: list[dict[str, Any]], now: datetime | None = None) -> int:
    """Apply hub events (any order within a page is fine; each is idempotent). Returns how many were new."""
    now = now or utcnow()
    if not events:
        return 0
    here = {r.uuid: r for r in s.execute(
        select(CaseEvent.uuid, CaseEvent.case_uuid, CaseEvent.origin, CaseEvent.push_state, CaseEvent.hub_seq)
        .where(CaseEvent.uuid.in_({ev["uuid"] for ev in events})))}
    touched: set[str] = set()
    acks: list[dict[str, Any]] = []
    fresh: dict[str, dict[str, Any]] = {}
    for ev in events:
        mine = here.get(ev["uuid"])
        if mine is None:
            fresh.setdefault(ev["uuid"], ev)
        elif mine.origin == "local" and mine.push_state not in ACKED:
            # The answer to our push was lost (cut connection); the log says it was stored.
            acks.append({"uuid": mine.uuid, "push_state": "stored", "acked_at": now, "last_error": None,
                         "hub_seq": ev["seq"]})
            touched.add(mine.case_uuid)
        elif mine.hub_seq != ev["seq"]:
            acks.append({"uuid": mine.uuid, "hub_seq": ev["seq"]})
    if acks:
        changes.mark(s, ChangeKind.ACKED, touched)
    for group in (True, False):  # executemany wants the same keys in every row
        rows = [a for a in acks if ("push_state" in a) is group]
        if rows:
            s.execute(update(CaseEvent), rows)
    records = [ev for ev in fresh.values() if stream_of(ev["type"]) not in (None, Stream.CASE)]
    if records:  # other streams' events: their records, not cases (services/hall_records.py)
        apply_pulled(s, records)
        s.add_all(CaseEvent(
            uuid=ev["uuid"], case_uuid=ev["case_uuid"], stream=STREAM_OF[ev["type"]].value,
            case_version=ev["case_version"], type=ev["type"], side=ev["side"], payload=ev["payload"],
            actor=ev["actor"], device_code=ev["device_code"], occurred_at=parse_time(ev["occurred_at"]),
            device_seq=None, origin="hub", push_state="stored", hub_seq=ev["seq"], acked_at=now,
        ) for ev in records)
        for ev in records:
            del fresh[ev["uuid"]]
        changes.mark(s, ChangeKind.PULLED, {ev["case_uuid"] for ev in records})  # the hall pages read again
    if fresh:
        new = list(fresh.values())
        have = set(s.scalars(select(Case.uuid).where(Case.uuid.in_({ev["case_uuid"] for ev in new}))))
        first: dict[str, list[dict[str, Any]]] = {}  # case first seen here -> its events of this page
        for ev in new:
            if ev["case_uuid"] in have:
                touched.add(ev["case_uuid"])
            else:
                first.setdefault(ev["case_uuid"], []).append(ev)
        # Parents before children: sites and departments, persons, cases, then the events.
        _ensure_refs(s, [evs[0] for evs in first.values()])
        persons = _persons_of(new)
        if persons:
            _store_persons(s, {"persons": persons})
        s.add_all(_new_case_replayed(evs) for evs in first.values())
        changes.mark(s, ChangeKind.PULLED, [*first, *(ev["case_uuid"] for ev in new if ev["case_uuid"] in have)])
        s.flush()
        s.add_all(CaseEvent(
            uuid=ev["uuid"], case_uuid=ev["case_uuid"], case_version=ev["case_version"], type=ev["type"],
            side=ev["side"], payload=ev["payload"], actor=ev["actor"], device_code=ev["device_code"],
            occurred_at=parse_time(ev["occurred_at"]), device_seq=None, origin="hub", push_state="stored",
            hub_seq=ev["seq"], acked_at=now,
        ) for ev in new)
        s.flush()
    rebuild_cases(s, sorted(touched))
    return len(fresh)


def _new_case_replayed(events: list[dict[str, Any]]) -> Case:
    """A case first seen in this page, its state folded from the page's events before it is inserted
    (everything this desk knows of it is here: no read back, no update after)."""
    ordered = sorted(events, key=lambda ev: (ev["case_version"], ev["seq"]))
    case = _new_case(ordered[0])
    project(case, row_facts([from_wire(ev) for ev in ordered]))
    return case


def pull(db: Database, client: HubClient, *, page_size: int = PAGE,
         given: dict[int, dict[str, Any]] | None = None, only_given: bool = False) -> int:
    """Pull every page after the saved cursor; a device with no cursor starts from a snapshot.

    ``given``: pages the hub sent with its answers to GET /changes, by the cursor each follows: a page due
    next is applied from there instead of fetched (sync/live.py). The next page is fetched (ahead.py) while
    this one is applied; if applying fails, the cursor has not moved and that page is dropped.
    ``only_given``: woken for given pages only: none at all (an earlier cycle applied them) is nothing to
    do, not a reason to ask the hub."""
    if cursor(db) is None:
        snapshot_start(db, client)
    given = dict(given or {})
    total = 0
    at = cursor(db) or 0
    page = given.pop(at, None)
    if page is None:
        if only_given and not given:
            return 0
        page = client.pull(at, page_size)
    with ahead.helper() as pool:
        while True:
            upcoming = ahead.start(pool, client.pull, int(page["next_cursor"]), page_size) if page["has_more"] else None
            try:
                # Not fsynced: the page and its cursor are undone together by a power cut, and pulled again.
                with db.transaction(durable=False) as s:
                    total += apply_events(s, page["events"])
                    _set_cursor(s, int(page["next_cursor"]))
            except BaseException:
                ahead.drop(upcoming)
                raise
            if upcoming is not None:
                page = ahead.take(upcoming)
            elif int(page["next_cursor"]) in given:  # the hub's next news, already here
                page = given.pop(int(page["next_cursor"]))
            else:
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
    records = [e for e in snap.get("records") or [] if e["seq"] <= snap["seq"]]
    with db.transaction() as s:
        # The record streams (consultations, 帮办代办, attendance) have no case to snapshot: their recent
        # events come with the snapshot and are applied with the cursor.
        fetched += apply_events(s, records)
        _set_cursor(s, int(snap["seq"]))
    return fetched


def reset_cursor(db: Database) -> None:
    """Forget the cursor (after a restore or when the hub says the cursor is ahead): next pull snapshots."""
    with db.transaction() as s:
        row = s.get(Setting, CURSOR_KEY)
        if row is not None:
            s.delete(row)
