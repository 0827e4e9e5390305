"""一天一归档 by each 审批单位 (plan 四(二)), on the approver's PC: the paper a department signed for (签收) on a
day is filed in its own folder that day, and handed over with a signed list (docs/hall-operations.md).

:func:`signed_on` lists the cases of the departments served whose paper came to them on one day (Asia/Shanghai):
signed for (签收) that day, or withdrawn that day after the hand-over but before anyone signed (the paper left
the window with the hand-over: domain/paper_custody.py). Each says whether its paper is filed; ``late`` counts
the paper that came on an earlier day and is still not filed (flagged on the page). :func:`file_paper` records
``paper_filed`` (a back-office annotation that never moves the case, allowed after the case closed too) for the
chosen cases, one transaction, and returns them for the hand-over lists. A case filed before is refused with
who filed it and when; a case whose paper never left the window is refused (the window files it).

The window's own 归档 (services/archive.py) keeps the paper that stays at the window.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from clerk_desk.domain.case_view import CaseView
from clerk_desk.domain.errors import AuthError, Conflict, InputError, NotFound
from clerk_desk.domain.event_record import NOT_IN_CASE
from clerk_desk.domain.lifecycle import EventType, Side
from clerk_desk.domain.paper_custody import paper_holder
from clerk_desk.domain.workdays import SHANGHAI
from clerk_desk.services.approvals import Approver, check_device_side, served_pairs
from clerk_desk.services.case_events import append_event
from clerk_desk.services.case_read import read_cases
from clerk_desk.store import this_device
from clerk_desk.store.database import Database
from clerk_desk.store.models import Case, CaseEvent, utcnow

RECEIVED, FILED, WITHDRAWN = EventType.RECEIVED.value, EventType.PAPER_FILED.value, EventType.WITHDRAWN.value
HANDED = (EventType.TRANSFERRED.value, EventType.RETRANSFERRED.value)


@dataclass(frozen=True)
class FilingLine:
    uuid: str
    case_number: str
    item_name: str
    department_code: str
    department_name: str
    applicant_name: str
    signed_at: datetime
    filed_at: datetime | None
    filed_by: str = ""
    applicant_id_number: str = ""  # the hand-over list prints it masked
    applicant_is_organisation: bool = False
    signed: bool = True  # False: withdrawn after the hand-over before anyone signed (``signed_at`` is then when)

    @property
    def how(self) -> str:
        """How the paper came to the department (the list's and the hand-over list's column)."""
        return "已签收" if self.signed else "流转后撤回"

    @property
    def filed(self) -> bool:
        return self.filed_at is not None


@dataclass(frozen=True)
class FilingDay:
    day: date
    lines: tuple[FilingLine, ...]
    late: int = 0  # signed for before ``day`` and not filed yet
    earliest_late: date | None = None


def _bounds(day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time(), SHANGHAI)
    return start, start + timedelta(days=1)


def _line(view: CaseView) -> FilingLine:
    came = next((e.act for e in reversed(view.events) if e.type == RECEIVED and e.applied), None)
    signed = came is not None
    if came is None:  # withdrawn after the hand-over, never signed for
        came = next(e.act for e in reversed(view.events) if e.type == WITHDRAWN and e.applied)
    filed = next((e.act for e in reversed(view.events) if e.type == FILED and e.applied), None)
    applicant = view.parties.applicant
    return FilingLine(view.uuid, view.case_number, view.item.name, view.item.department_code,
                      view.item.department_name, applicant.name if applicant else "", came.at,
                      filed.at if filed else None, (filed.actor_name or filed.actor) if filed else "",
                      applicant.id_number if applicant else "",
                      bool(applicant and applicant.is_organisation), signed)  # fmt: skip


def _came(s: Session, end: datetime) -> dict[str, tuple[datetime, str, str]]:
    """Every case whose paper came to a department before ``end``: uuid -> (when, site, department)."""
    def events(*types: str) -> list[Any]:
        return list(s.execute(
            select(CaseEvent.case_uuid, CaseEvent.occurred_at, Case.site_code, Case.department_code)
            .join(Case, Case.uuid == CaseEvent.case_uuid)
            .where(CaseEvent.type.in_(types), CaseEvent.occurred_at < end, CaseEvent.push_state.notin_(NOT_IN_CASE))
        ).all())  # fmt: skip

    came = {uid: (at, site, dept) for uid, at, site, dept in events(RECEIVED)}
    withdrawn = {uid: (at, site, dept) for uid, at, site, dept in events(WITHDRAWN) if uid not in came}
    if withdrawn:
        handed = set(s.scalars(select(CaseEvent.case_uuid).where(
            CaseEvent.case_uuid.in_(list(withdrawn)), CaseEvent.type.in_(HANDED),
            CaseEvent.push_state.notin_(NOT_IN_CASE))))  # fmt: skip
        came.update({uid: fact for uid, fact in withdrawn.items() if uid in handed})
    return came


def signed_on(db: Database, day: date, serves: Iterable[tuple[str, str]]) -> FilingDay:
    """The cases whose paper came to the departments in ``serves`` on ``day``, by department then time."""
    pairs = set(serves)
    start, end = _bounds(day)
    with db.reading() as s:
        came = _came(s, end)
        filed = set(s.scalars(select(CaseEvent.case_uuid).where(CaseEvent.type == FILED)))
    mine = [(uid, at) for uid, (at, site, dept) in came.items() if (site, dept) in pairs]
    today = sorted({uid for uid, at in mine if at >= start})
    earlier = {uid: at for uid, at in mine if at < start and uid not in filed}
    lines = sorted((_line(v) for v in read_cases(db, today)), key=lambda x: (x.department_code, x.signed_at))
    earliest = min(earlier.values()).astimezone(SHANGHAI).date() if earlier else None
    return FilingDay(day, tuple(lines), len(earlier), earliest)


def file_paper(db: Database, approver: Approver, case_uuids: Sequence[str], day: date,
               now: datetime | None = None) -> list[FilingLine]:  # fmt: skip
    """Record that the paper of these cases went into the department's folder; returns them as filed."""
    if not case_uuids:
        raise InputError("请勾选要归档的办件")
    now = now or utcnow()
    pairs = set(served_pairs(db, approver.user_id))
    with db.transaction() as s:
        device = this_device.device_code(s)
        for uid in case_uuids:
            case = s.get(Case, uid)
            if case is None:
                raise NotFound("找不到该办件")
            if (case.site_code, case.department_code) not in pairs:
                raise AuthError(f"您不负责办件 {case.case_number} 所属部门的审批，不能归档它的纸质材料")
            check_device_side(s, Side.BACK_OFFICE, case.site_code, case.department_code)
            handed = s.scalar(select(CaseEvent.uuid).where(
                CaseEvent.case_uuid == uid, CaseEvent.type.in_(HANDED),
                CaseEvent.push_state.notin_(NOT_IN_CASE)).limit(1)) is not None  # fmt: skip
            if paper_holder(None, handed) is not Side.BACK_OFFICE:
                raise Conflict(f"办件 {case.case_number} 的纸质材料未流转后台，仍在窗口，由窗口归档")
            before = s.execute(select(CaseEvent.actor, CaseEvent.occurred_at).where(
                CaseEvent.case_uuid == uid, CaseEvent.type == FILED)).first()  # fmt: skip
            if before is not None:
                at = before[1].astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")
                raise Conflict(
                    f"办件 {case.case_number} 的纸质材料已于 {at} 由 {before[0]} 归档，不能重复归档"
                )
            append_event(s, case, EventType.PAPER_FILED, Side.BACK_OFFICE, actor=approver.username,
                         device_code=device, now=now,
                         payload={"case_number": case.case_number, "day": day.isoformat(),
                                  "summary": f"{day.isoformat()} 签收的纸质材料已归档"})  # fmt: skip
    return signed_on_uuids(db, case_uuids)


def signed_on_uuids(db: Database, case_uuids: Sequence[str]) -> list[FilingLine]:
    return [_line(v) for v in read_cases(db, case_uuids)]
