"""Due dates counted on weekends only are counted again when the year's calendar arrives.

A case accepted before next year's holiday arrangement reached this desk has its due date counted over
that year on weekends only; the calendar version stored with the date says so ("weekends:2027;…",
domain/workdays.py). When the calendar for those years arrives (sync/follow.py, or a file placed by
hand), every open case not yet decided gets its date counted again from its acceptance, its working days
and its stops (特别程序, 补正: services/approvals.stopped_intervals), on every desk that holds it.

Why no event (docs/calendar-format.md, "When next year's calendar arrives"): the new date follows from
facts every desk already shares (the case's events) and from the county's calendar, which every desk now
follows from the hub, so each desk reaches the same date by itself; an event would need a person as its
actor (the hub takes events only from someone holding a role) and would take a case version, racing the
clerks' and approvers' own acts. Each recomputation is in this desk's audit trail, and the case keeps
what was changed (``details["due_recomputed"]``), so a receipt printed before can be explained.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from clerk_desk.domain.lifecycle import Status
from clerk_desk.domain.workdays import WEEKENDS
from clerk_desk.services import audit
from clerk_desk.services.approvals import due_with_stops
from clerk_desk.services.calendar_service import work_calendar
from clerk_desk.store import changes
from clerk_desk.store.changes import ChangeKind
from clerk_desk.store.database import Database
from clerk_desk.store.models import Case, CaseEvent, utcnow

# Not yet decided: the due date still binds the back office.
OPEN = tuple(s.value for s in (Status.ACCEPTED, Status.TRANSFERRED, Status.IN_REVIEW, Status.PAUSED,
                               Status.SUPPLEMENT_REQUESTED))


@dataclass(frozen=True)
class Recomputed:
    case_uuid: str
    case_number: str
    before: datetime
    after: datetime
    calendar_version: str


def recompute_provisional(
    db: Database, data_dir: Path | None = None, now: datetime | None = None
) -> list[Recomputed]:
    """Count again every open, undecided case whose due date was counted on weekends only, where the
    calendar now knows every year of it. Returns the cases whose date was recorded as changed now."""
    now = now or utcnow()
    calendar = work_calendar(data_dir or db.data_dir)
    changed: list[Recomputed] = []
    touched: list[str] = []  # the rows whose date moved (recounted now, or again after a rebuild)
    with db.transaction() as s:
        cases = list(s.scalars(select(Case).where(
            Case.status.in_(OPEN), Case.due_calendar_version.like(f"{WEEKENDS}%"))))
        for case in cases:
            events = [(t, at) for t, at in s.execute(
                select(CaseEvent.type, CaseEvent.occurred_at).where(CaseEvent.case_uuid == case.uuid)
                .order_by(CaseEvent.case_version, CaseEvent.hub_seq))]
            due = due_with_stops(case, events, calendar, now)
            if due is None or due.provisional or case.due_at is None:
                continue
            before = case.due_at
            details = dict(case.details or {})
            known = details.get("due_recomputed") or {}
            case.due_at, case.due_calendar_version = due.due_at, due.calendar_version
            touched.append(case.uuid)
            if known.get("to") == due.due_at.isoformat() and known.get("calendar_version") == due.calendar_version:
                continue  # counted before; the case was rebuilt from its events since (sync)
            details["due_recomputed"] = {"from": before.isoformat(), "to": due.due_at.isoformat(),
                                         "calendar_version": due.calendar_version, "at": now.isoformat()}
            case.details = details
            audit.record(s, "due_recomputed", None, case_uuid=case.uuid, case_number=case.case_number,
                         before=before.isoformat(), after=due.due_at.isoformat(),
                         calendar_version=due.calendar_version)
            changed.append(Recomputed(case.uuid, case.case_number or "", before, due.due_at, due.calendar_version))
        if touched:  # the lists and an open case page show the new dates (ui/case_watch.py)
            changes.mark(s, ChangeKind.RECOUNTED, touched)
    return changed
