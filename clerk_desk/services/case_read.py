"""One case, one read: the case row, its events, the people they name and the names they refer to, in one
read transaction, folded into the case view (domain/case_fold.py). Every screen and paper that shows one
case reads it here: the window's case page, the back office's, the papers, the intake's 一次性告知.

Personal data is sealed at rest (docs/personal-data.md): the ORM's sealed columns open it with this PC's
key as it is read; a person emptied after the retention period is 已清除 (``Party.purged``), one sealed
with another PC's key reads 〔本机无法读取〕.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from clerk_desk.domain.case_fold import CaseKey, Directory, fold
from clerk_desk.domain.case_view import CaseView, EventRecord, Origin, Party, PushState
from clerk_desk.domain.errors import NotFound
from clerk_desk.store.data_keys import PURGED
from clerk_desk.store.database import Database

# Events that name a person besides the applicant and the agent: who collected the result (出件).
_NAMES_PERSON = ("recipient_id",)


def read_case(db: Database, case_uuid: str) -> CaseView:
    """What the case is now (raises NotFound for a case this desk does not have)."""
    return read_cases(db, [case_uuid])[0]


def read_cases(db: Database, case_uuids: Iterable[str]) -> list[CaseView]:
    """Several cases (a bundle's papers) in one read transaction, in the order asked."""
    from sqlalchemy import select

    from clerk_desk.store.models import Case, CaseEvent, Department, Person, User, Window

    wanted = list(dict.fromkeys(case_uuids))
    with db.reading() as s:
        cases = {c.uuid: c for c in s.scalars(select(Case).where(Case.uuid.in_(wanted)))}
        missing = [u for u in wanted if u not in cases]
        if missing:
            raise NotFound("找不到该办件")
        events: dict[str, list[EventRecord]] = {u: [] for u in wanted}
        for r in s.execute(
            select(CaseEvent.uuid, CaseEvent.case_uuid, CaseEvent.type, CaseEvent.side, CaseEvent.case_version,
                   CaseEvent.occurred_at, CaseEvent.actor, CaseEvent.payload, CaseEvent.origin,
                   CaseEvent.push_state, CaseEvent.hub_seq, CaseEvent.device_code, CaseEvent.last_error)
            .where(CaseEvent.case_uuid.in_(wanted)).order_by(CaseEvent.case_version, CaseEvent.hub_seq)
        ):  # fmt: skip
            events[r.case_uuid].append(record(r))
        person_ids = {pid for c in cases.values() for pid in (c.applicant_id, c.agent_id) if pid}
        person_ids |= {str(e.payload[k]) for evs in events.values() for e in evs for k in _NAMES_PERSON
                       if e.payload.get(k)}  # fmt: skip
        people = {p.id: party(p) for p in s.scalars(select(Person).where(Person.id.in_(person_ids)))}
        actors = {e.actor for evs in events.values() for e in evs}
        window_ids = {c.window_id for c in cases.values() if c.window_id} | {
            str(e.payload["window_id"]) for evs in events.values() for e in evs if e.payload.get("window_id")}
        directory = Directory(
            dict(s.execute(select(Department.code, Department.name)).all()),
            dict(s.execute(select(User.username, User.display_name).where(User.username.in_(actors))).all()),
            dict(s.execute(select(Window.id, Window.name).where(Window.id.in_(window_ids))).all()),
        )
    return [fold(events[u], key_of(cases[u]), people=people, directory=directory, recorded=recorded(cases[u]))
            for u in wanted]  # fmt: skip


def record(r: Any) -> EventRecord:
    """A case_events row (ORM row or object with its column names) as the fold reads it."""
    return EventRecord(r.uuid, r.type, r.side, r.case_version, r.occurred_at, r.actor, r.payload or {},
                       Origin(r.origin), PushState(r.push_state), r.hub_seq, r.device_code or "",
                       getattr(r, "last_error", None))  # fmt: skip


def party(p: Any) -> Party:
    """A persons row as the view carries it: opened, or 已清除 after the retention period."""
    if p.purged_at is not None:
        return Party(p.kind, PURGED, purged=True)
    return Party(p.kind, p.name or "", p.id_number or "", p.phone or "", p.address or "", p.legal_representative or "")


def key_of(c: Any) -> CaseKey:
    return CaseKey(c.uuid, c.site_code, c.department_code, c.case_number or "", c.item_code, c.item_name)


def recorded(c: Any) -> Mapping[str, Any]:
    """What this desk recorded at intake in the case row (``details`` and a few columns): the fold uses
    it only where the events are silent (cases accepted before the events carried it)."""
    d = dict(c.details or {})
    item = d.get("item") or {}
    return {
        **{k: d.get(k) for k in ("checklist", "online_application_no", "theme_code", "bundle_id", "previous_notice",
                                 "agent_relation", "notes", "delivery", "situations", "days",
                                 "days_confirmed_by_department")},
        "legal_days": item.get("legal_days"), "promised_days": item.get("promised_days"),
        "catalog_version": item.get("catalog_version") or d.get("catalog_version"),
        "due_recomputed": d.get("due_recomputed"),  # counted again when the year's calendar arrived
        "result": (d.get("completed") or {}).get("result"), "missing": (d.get("notified") or {}).get("missing"),
        "refusal_reason": (d.get("refused") or {}).get("reason"), "pledge_text": (d.get("pledge") or {}).get("text"),
        "channel": c.channel, "handling_kind": c.handling_kind, "urgent": c.urgent, "applicant_id": c.applicant_id,
        "agent_id": c.agent_id, "window_id": c.window_id,
    }  # fmt: skip
