"""The back office's inbox (approver mode): cases of the departments the signed-in approver serves.

Views: 待签收 (transferred or re-transferred, not yet signed for), 办理中 (signed for: in review or
paused by 特别程序), 已决定 (decided, the result not yet returned to the window), 撤回申请 (the window
asked for a withdrawal the back office has not answered: services/withdrawal.py), 全部 (every case that
reached the back office). Every row says whether a withdrawal request waits, in any view. Work views list the oldest first (first come, first served); 全部 the newest
first. Pages are fetched by keyset (created_at, uuid), never OFFSET, like services/case_queries.py.

Each row carries what the approver weighs: when the window handed the case over and whether that was
within 5 (urgent) / 15 (承诺件) minutes, and the working days left until the due date (amber at one day
or less, red when overdue; frozen while a 特别程序 pause stops the clock).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import aliased

from clerk_desk.domain.lifecycle import EventType, Status
from clerk_desk.domain.workdays import SHANGHAI, CalendarLike, is_provisional
from clerk_desk.services import case_queries
from clerk_desk.services.calendar_service import work_calendar
from clerk_desk.services.intake import TRANSFER_MINUTES
from clerk_desk.store.data_keys import PURGED, DataKeys
from clerk_desk.store.database import Database
from clerk_desk.store.models import Case, CaseEvent, Department, Person, PersonNameKey, utcnow


class InboxView(StrEnum):
    TO_SIGN = "to_sign"
    IN_HAND = "in_hand"
    DECIDED = "decided"
    WITHDRAWAL = "withdrawal"  # a withdrawal request from the window waits for the back office
    ALL = "all"


VIEW_STATUSES: dict[InboxView, tuple[Status, ...]] = {
    InboxView.TO_SIGN: (Status.TRANSFERRED,),
    InboxView.IN_HAND: (Status.IN_REVIEW, Status.PAUSED),
    InboxView.DECIDED: (Status.DECIDED,),
    InboxView.WITHDRAWAL: (Status.TRANSFERRED, Status.IN_REVIEW, Status.PAUSED, Status.DECIDED),
    InboxView.ALL: (
        Status.TRANSFERRED, Status.IN_REVIEW, Status.PAUSED, Status.SUPPLEMENT_REQUESTED, Status.DECIDED,
        Status.RESULT_AT_WINDOW, Status.DELIVERED, Status.WITHDRAWN, Status.ARCHIVED,
    ),
}
CLOCK_RUNNING = frozenset({Status.TRANSFERRED.value, Status.IN_REVIEW.value, Status.DECIDED.value})
URGENT_DAYS = 1  # amber at this many working days left, or fewer

_ID_RE = re.compile(r"^\d{17}[\dXx]$")
_NUMBER_RE = re.compile(r"^[\d\s-]{3,}$")


@dataclass(frozen=True)
class InboxFilter:
    view: InboxView
    serves: tuple[tuple[str, str], ...]  # (site, department) pairs of the approver
    text: str = ""  # case number (or its start), applicant name (or its start), exact ID number


@dataclass(frozen=True)
class InboxRow:
    uuid: str
    case_number: str
    item_name: str
    department_name: str
    applicant_name: str
    status: str
    status_zh: str
    created_at: datetime
    urgent: bool
    transferred_at: datetime | None  # the latest hand-over (transfer or re-transfer)
    transfer_minutes: int  # the limit: 5 urgent, 15 承诺件
    transfer_took_s: int | None  # accepted -> first transfer
    transfer_late: bool
    retransferred: bool
    due_at: datetime | None
    days_left: int | None  # working days left (negative: working days overdue); None without a due date
    overdue: bool
    paused_since: datetime | None
    decision: str | None  # approved | denied, once decided
    pending_events: int
    withdrawal_requested: bool = False  # the window asked for a withdrawal; not yet answered
    withdrawal_reason: str = ""
    due_provisional: bool = False  # counted on weekends only over a year without its calendar (workdays.py)

    @property
    def urgency(self) -> str:
        """"red" overdue, "amber" one working day or less left, "" otherwise (and once out of the back office)."""
        if self.days_left is None or (self.status not in CLOCK_RUNNING and self.status != Status.PAUSED.value):
            return ""
        if self.overdue:
            return "red"
        return "amber" if self.days_left <= URGENT_DAYS else ""


@dataclass(frozen=True)
class InboxPage:
    rows: tuple[InboxRow, ...]
    next_key: tuple[datetime, str] | None


# -- working days --------------------------------------------------------------------------------------
def working_days_left(now: datetime, due_at: datetime, calendar: CalendarLike) -> tuple[int, bool]:
    """(working days left, overdue). Left counts the working days after today up to the due day (0 on
    the due day itself); once overdue it is minus the working days passed since the due day."""
    today = now.astimezone(SHANGHAI).date()
    due_day = due_at.astimezone(SHANGHAI).date()
    if now <= due_at:
        return _workdays_between(today, due_day, calendar), False
    return -_workdays_between(due_day, today, calendar), True


def _workdays_between(after: date, until: date, calendar: CalendarLike) -> int:
    n, day = 0, after + timedelta(days=1)
    while day <= until:
        n += calendar.is_workday(day)
        day += timedelta(days=1)
    return n


# -- the list ------------------------------------------------------------------------------------------
def _base(f: InboxFilter, keys: DataKeys) -> Any:
    applicant = aliased(Person)
    q = (
        select(Case, Department.name, applicant.name, applicant.purged_at)
        .join(Department, Department.code == Case.department_code)
        .outerjoin(applicant, applicant.id == Case.applicant_id)
        .where(Case.status.in_([s.value for s in VIEW_STATUSES[f.view]]))
    )
    if f.view is InboxView.WITHDRAWAL:
        q = q.where(Case.withdrawal_requested.is_(True))
    pairs = [and_(Case.site_code == site, Case.department_code == dept) for site, dept in f.serves]
    q = q.where(or_(*pairs)) if pairs else q.where(Case.uuid.is_(None))  # serving nothing: sees nothing
    text = f.text.strip()
    if not text:
        return q
    compact = re.sub(r"\s+", "", text).upper()
    if _ID_RE.match(compact):  # sealed: found through the blind index (docs/personal-data.md)
        ids = select(Person.id).where(Person.id_number_key == keys.id_number_key(compact))
        return q.where(or_(Case.applicant_id.in_(ids), Case.agent_id.in_(ids)))
    if _NUMBER_RE.match(text):
        prefix = _case_number_prefix(text)
        return q.where(Case.case_number >= prefix, Case.case_number < prefix + "\U0010ffff")
    named = select(PersonNameKey.person_id).where(PersonNameKey.key == keys.name_prefix_key(text))
    return q.where(Case.applicant_id.in_(named))


def _case_number_prefix(text: str) -> str:
    """The compact form of a typed case number (or its start); the grouped reading form is accepted."""
    parts = text.upper().replace("-", " ").split()
    if len(parts) >= 3:
        rest = "".join(parts[2:])
        return "-".join(parts[:2] + ([rest[:8], rest[8:]] if len(rest) > 8 else [rest]))
    return text.upper().replace(" ", "")


def oldest_first(view: InboxView) -> bool:
    return view is not InboxView.ALL


def page(
    db: Database, f: InboxFilter, *, after: tuple[datetime, str] | None = None, limit: int = 100,
    now: datetime | None = None, data_dir: Path | None = None,
) -> InboxPage:
    now = now or utcnow()
    calendar = work_calendar(data_dir or db.data_dir)
    q = _base(f, db.keys)
    asc = oldest_first(f.view)
    if after is not None:
        at, uid = after
        if asc:
            q = q.where(or_(Case.created_at > at, and_(Case.created_at == at, Case.uuid > uid)))
        else:
            q = q.where(or_(Case.created_at < at, and_(Case.created_at == at, Case.uuid < uid)))
    order = (Case.created_at.asc(), Case.uuid.asc()) if asc else (Case.created_at.desc(), Case.uuid.desc())
    with db.reading() as s:
        found = s.execute(q.order_by(*order).limit(limit + 1)).all()
        more = len(found) > limit
        found = found[:limit]
        events = _events_of(s, [c.uuid for c, _d, _n, _p in found])
        rows = tuple(_row(c, dept, PURGED if purged else name, events.get(c.uuid, []), now, calendar)
                     for c, dept, name, purged in found)  # fmt: skip
    return InboxPage(rows, (rows[-1].created_at, rows[-1].uuid) if more and rows else None)


_ROW_EVENTS = (EventType.TRANSFERRED.value, EventType.RETRANSFERRED.value, EventType.CLOCK_PAUSED.value,
               EventType.DECIDED.value, EventType.WITHDRAWAL_REQUESTED.value)
_OPEN_HERE = frozenset(s.value for s in VIEW_STATUSES[InboxView.WITHDRAWAL])


def _events_of(s: Any, uuids: list[str]) -> dict[str, list[CaseEvent]]:
    out: dict[str, list[CaseEvent]] = {}
    if not uuids:
        return out
    for ev in s.scalars(select(CaseEvent).where(CaseEvent.case_uuid.in_(uuids), CaseEvent.type.in_(_ROW_EVENTS))
                        .order_by(CaseEvent.case_version)):
        out.setdefault(ev.case_uuid, []).append(ev)
    return out


def _row(c: Case, dept: str, name: str | None, events: list[CaseEvent], now: datetime,
         calendar: CalendarLike) -> InboxRow:
    transfers = [e for e in events if e.type in (EventType.TRANSFERRED.value, EventType.RETRANSFERRED.value)]
    first = next((e for e in transfers if e.type == EventType.TRANSFERRED.value), None)
    last = transfers[-1] if transfers else None
    accepted = c.accepted_at or c.created_at
    took = int((first.occurred_at - accepted).total_seconds()) if first is not None else None
    limit_min = TRANSFER_MINUTES[bool(c.urgent)]
    late = bool(first is not None and (first.payload.get("late") or (took or 0) > limit_min * 60))
    pauses = [e for e in events if e.type == EventType.CLOCK_PAUSED.value]
    paused_since = pauses[-1].occurred_at if c.status == Status.PAUSED.value and pauses else None
    decided = [e for e in events if e.type == EventType.DECIDED.value]
    asked = [e for e in events if e.type == EventType.WITHDRAWAL_REQUESTED.value]
    requested = bool(c.withdrawal_requested) and c.status in _OPEN_HERE
    days_left, overdue = None, False
    if c.due_at is not None:
        days_left, overdue = working_days_left(paused_since or now, c.due_at, calendar)
    return InboxRow(
        c.uuid, c.case_number or "", c.item_name, dept, name or "", c.status,
        case_queries.status_text(c.status, requested),
        c.created_at, c.urgent, last.occurred_at if last else None, limit_min, took, late,
        bool(last is not None and last.type == EventType.RETRANSFERRED.value), c.due_at, days_left, overdue,
        paused_since, decided[-1].payload.get("decision") if decided else None, c.version - c.acked_version,
        requested, str(asked[-1].payload.get("reason") or "") if requested and asked else "",
        is_provisional(c.due_calendar_version),
    )


def count(db: Database, f: InboxFilter, *, cap: int = 1_000) -> int:
    with db.reading() as s:
        sub = _base(f, db.keys).with_only_columns(Case.uuid).limit(cap + 1).subquery()
        return int(s.scalar(select(func.count()).select_from(sub)) or 0)


def counts(db: Database, serves: tuple[tuple[str, str], ...], text: str = "", *, cap: int = 1_000) -> dict[InboxView, int]:
    return {v: count(db, InboxFilter(v, serves, text), cap=cap) for v in InboxView}


# -- one case ------------------------------------------------------------------------------------------
def review_case(db: Database, case_uuid: str, *, now: datetime | None = None) -> dict[str, Any]:
    """The case as the approver reviews it: case_queries.get_case, plus the checklist as reviewed at
    the window (from the accepted event on a desk that only pulled the case), the latest transfer, the
    decision, the supplement request, and the working days left."""
    now = now or utcnow()
    case = case_queries.get_case(db, case_uuid)
    with db.reading() as s:
        events = list(s.scalars(select(CaseEvent).where(CaseEvent.case_uuid == case_uuid)
                                .order_by(CaseEvent.case_version)))
        c = s.get(Case, case_uuid)
        assert c is not None
        row = _row(c, case["department"], (case.get("applicant") or {}).get("name"), [
            e for e in events if e.type in _ROW_EVENTS], now, work_calendar(db.data_dir))
    details = dict(case["details"])
    accepted = next((e for e in events if e.type == EventType.ACCEPTED.value), None)
    told = accepted.payload if accepted is not None else {}
    if not details.get("checklist") and told.get("checklist"):
        details["checklist"] = told["checklist"]
    for key in ("online_application_no", "agent_relation"):  # what a desk that only pulled the case lacks
        if not details.get(key) and told.get(key):
            details[key] = told[key]
    if not case.get("channel") and told.get("channel"):
        case["channel"] = told["channel"]
    latest = {e.type: dict(e.payload) for e in events}  # the last of each type wins
    case["details"] = details
    case["row"] = row
    case["decision"] = latest.get(EventType.DECIDED.value)
    case["supplement"] = latest.get(EventType.SUPPLEMENT_REQUESTED.value)
    case["pause"] = latest.get(EventType.CLOCK_PAUSED.value) if row.paused_since else None
    case["received"] = latest.get(EventType.RECEIVED.value)
    asked = [e for e in events if e.type == EventType.WITHDRAWAL_REQUESTED.value]
    case["withdrawal"] = ({**dict(asked[-1].payload), "at": asked[-1].occurred_at, "actor": asked[-1].actor}
                          if row.withdrawal_requested and asked else None)
    return case
