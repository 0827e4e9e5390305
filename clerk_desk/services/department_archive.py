"""一天一归档 by each 审批单位 (plan 四(二)), on the approver's PC: the paper a department signed for (签收) on a
day is filed in its own folder that day, and handed over with a signed list (docs/hall-operations.md).

:func:`signed_on` lists the cases of the departments served that were signed for on one day (Asia/Shanghai),
each with whether its paper is filed; ``late`` counts the paper signed for before that day and still not filed
(flagged on the page). :func:`file_paper` records ``paper_filed`` (a back-office annotation that never moves the
case) for the chosen cases, one transaction, and returns them by department for the hand-over lists. A case
filed before is refused with who filed it and when.

The window's own 归档 (services/archive.py) keeps the paper that stays at the window.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from clerk_desk.domain.case_view import CaseView
from clerk_desk.domain.errors import AuthError, Conflict, InputError, NotFound
from clerk_desk.domain.lifecycle import EventType, Side
from clerk_desk.domain.workdays import SHANGHAI
from clerk_desk.services.approvals import Approver, check_device_side, served_pairs
from clerk_desk.services.case_events import append_event
from clerk_desk.services.case_read import read_cases
from clerk_desk.store import this_device
from clerk_desk.store.database import Database
from clerk_desk.store.models import Case, CaseEvent, utcnow

RECEIVED, FILED = EventType.RECEIVED.value, EventType.PAPER_FILED.value


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
    signed = next(e.act for e in reversed(view.events) if e.type == RECEIVED and e.applied)
    filed = next((e.act for e in reversed(view.events) if e.type == FILED and e.applied), None)
    applicant = view.parties.applicant
    return FilingLine(view.uuid, view.case_number, view.item.name, view.item.department_code,
                      view.item.department_name, applicant.name if applicant else "", signed.at,
                      filed.at if filed else None, (filed.actor_name or filed.actor) if filed else "",
                      applicant.id_number if applicant else "",
                      bool(applicant and applicant.is_organisation))  # fmt: skip


def signed_on(db: Database, day: date, serves: Iterable[tuple[str, str]]) -> FilingDay:
    """The cases signed for on ``day`` by the departments in ``serves``, by department then time."""
    pairs = set(serves)
    start, end = _bounds(day)
    with db.reading() as s:
        rows = s.execute(
            select(CaseEvent.case_uuid, CaseEvent.occurred_at, Case.site_code, Case.department_code)
            .join(Case, Case.uuid == CaseEvent.case_uuid)
            .where(CaseEvent.type == RECEIVED, CaseEvent.occurred_at < end)
        ).all()
        filed = set(s.scalars(select(CaseEvent.case_uuid).where(CaseEvent.type == FILED)))
    mine = [(uid, at) for uid, at, site, dept in rows if (site, dept) in pairs]
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
