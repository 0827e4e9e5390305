"""归档: each day the window puts the paper originals of the cases closed that day into each department's
folder and hands them over with a signed list (plan 四(二): 所有纸质原件由各审批单位一天一归档).

:func:`closed_on` lists the cases of this site closed on one day (Asia/Shanghai) — finished on the spot,
refused (不予受理), handed over (送达) or withdrawn — grouped by department, each with whether it is
already archived. :func:`archive` records ``archived`` for the cases whose paper went into one
department's folder: one transaction for the department, one outbox event per case. A case archived
before is refused with who archived it and when, and nothing of that department is written.
:func:`archive_day` does it department by department; one department's refusal does not stop the others.

Reads use the ORM: the 归档 page is opened by the clerk, never on the start-up path.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from clerk_desk.domain.errors import ClerkDeskError, Conflict, InputError, NotFound
from clerk_desk.domain.lifecycle import EventType, Side, Status
from clerk_desk.domain.workdays import SHANGHAI
from clerk_desk.services.approvals import check_device_side
from clerk_desk.services.case_events import append_event
from clerk_desk.services.case_queries import STATUS_ZH
from clerk_desk.services.intake import Clerk
from clerk_desk.store.data_keys import PURGED
from clerk_desk.store.database import Database
from clerk_desk.store.models import Case, CaseEvent, Department, Person, Setting, User, utcnow

# How a case closed at the window: the event, and what the list says.
CLOSING = {
    EventType.COMPLETED_ON_SPOT.value: "当场办结",
    EventType.REFUSED.value: "不予受理",
    EventType.DELIVERED.value: "已送达",
    EventType.WITHDRAWN.value: "已撤回",
}
ARCHIVABLE = frozenset({Status.COMPLETED.value, Status.REFUSED.value, Status.DELIVERED.value, Status.WITHDRAWN.value})


@dataclass(frozen=True)
class ArchiveCase:
    uuid: str
    case_number: str
    item_name: str
    department_code: str
    department_name: str
    applicant_name: str
    applicant_id: str  # unmasked here; the screen and the paper mask it (first 6, last 4)
    applicant_is_organisation: bool
    closed_as: str  # the closing event type (CLOSING)
    closed_at: datetime
    status: str
    materials: int | None = None  # materials received (checklist lines provided), when known
    copies: int | None = None  # their copies in all
    archived_at: datetime | None = None
    archived_by: str = ""

    @property
    def archived(self) -> bool:
        return self.status == Status.ARCHIVED.value

    @property
    def closed_as_zh(self) -> str:
        return CLOSING.get(self.closed_as, self.closed_as)

    @property
    def materials_text(self) -> str:
        if self.materials is None:
            return "—"
        return f"{self.materials}项{self.copies}份" if self.copies is not None else f"{self.materials}项"


@dataclass(frozen=True)
class DepartmentGroup:
    code: str
    name: str
    cases: tuple[ArchiveCase, ...]

    @property
    def pending(self) -> tuple[ArchiveCase, ...]:
        return tuple(c for c in self.cases if not c.archived)


@dataclass(frozen=True)
class ArchiveDay:
    site_code: str
    day: date
    groups: tuple[DepartmentGroup, ...]
    earlier_pending: int = 0  # cases closed before this day whose paper is not archived yet
    earliest_pending: date | None = None

    @property
    def count(self) -> int:
        return sum(len(g.cases) for g in self.groups)


@dataclass(frozen=True)
class ArchivedBatch:
    """One department's cases archived in one transaction (what its hand-over list shows)."""

    department_code: str
    department_name: str
    day: date
    cases: tuple[ArchiveCase, ...]
    at: datetime


@dataclass
class ArchiveReport:
    done: list[ArchivedBatch] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (department name, message)


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """The day in 通山 (Asia/Shanghai) as a UTC span [start, end)."""
    start = datetime.combine(day, time(), SHANGHAI)
    return start.astimezone(UTC), (start + timedelta(days=1)).astimezone(UTC)


def _local_day(moment: datetime) -> date:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(SHANGHAI).date()


def _materials(details: Mapping[str, Any]) -> tuple[int | None, int | None]:
    checklist = details.get("checklist")
    if not checklist:
        return None, None
    got = [m for m in checklist if m.get("provided")]
    return len(got), sum(max(1, int(m.get("copies") or 1)) for m in got)


def _closing_events(s: Session, site_code: str, start: datetime, end: datetime,
                    uuids: Iterable[str] | None = None) -> dict[str, CaseEvent]:
    """The (last) closing event of each case of the site in [start, end)."""
    q = (select(CaseEvent).join(Case, Case.uuid == CaseEvent.case_uuid)
         .where(Case.site_code == site_code, CaseEvent.type.in_(list(CLOSING)),
                CaseEvent.occurred_at >= start, CaseEvent.occurred_at < end)
         .order_by(CaseEvent.occurred_at))  # fmt: skip
    if uuids is not None:
        q = q.where(CaseEvent.case_uuid.in_(list(uuids)))
    return {e.case_uuid: e for e in s.scalars(q)}


def _cases(s: Session, closing: Mapping[str, CaseEvent]) -> list[ArchiveCase]:
    if not closing:
        return []
    uuids = list(closing)
    rows = s.execute(
        select(Case, Department.name, Person.name, Person.id_number, Person.kind, Person.purged_at)
        .join(Department, Department.code == Case.department_code)
        .outerjoin(Person, Person.id == Case.applicant_id)
        .where(Case.uuid.in_(uuids))
    ).all()
    archived = {
        e.case_uuid: e for e in s.scalars(select(CaseEvent).where(
            CaseEvent.case_uuid.in_(uuids), CaseEvent.type == EventType.ARCHIVED.value))
    }  # fmt: skip
    names = dict(s.execute(select(User.username, User.display_name)).all())
    out = []
    for case, dept, name, id_number, kind, purged in rows:
        if purged is not None:  # emptied after the retention period (services/purge.py)
            name, id_number = PURGED, ""
        ev = closing[case.uuid]
        arch = archived.get(case.uuid)
        materials, copies = _materials(case.details or {})
        out.append(ArchiveCase(
            case.uuid, case.case_number or "", case.item_name, case.department_code, dept, name or "", id_number or "",
            kind == "organisation", ev.type, ev.occurred_at, case.status, materials, copies,
            arch.occurred_at if arch else None, names.get(arch.actor, arch.actor) if arch else "",
        ))  # fmt: skip
    return out


def closed_on(db: Database, site_code: str, day: date) -> ArchiveDay:
    """The cases of ``site_code`` closed on ``day``, grouped by department (in the usual department
    order), oldest first within a department; also how many earlier ones still wait for their paper."""
    start, end = day_bounds(day)
    with db.reading() as s:
        cases = _cases(s, _closing_events(s, site_code, start, end))
        order = {code: i for i, code in enumerate(s.scalars(select(Department.code).order_by(
            Department.sort_order, Department.code)))}  # fmt: skip
        earlier = list(s.execute(
            select(Case.uuid, func.min(CaseEvent.occurred_at))
            .join(CaseEvent, CaseEvent.case_uuid == Case.uuid)
            .where(Case.site_code == site_code, Case.status.in_(sorted(ARCHIVABLE)),
                   CaseEvent.type.in_(list(CLOSING)), CaseEvent.occurred_at < start)
            .group_by(Case.uuid)
        ).all())  # fmt: skip
    by_dept: dict[str, list[ArchiveCase]] = {}
    for c in sorted(cases, key=lambda c: (c.closed_at, c.case_number)):
        by_dept.setdefault(c.department_code, []).append(c)
    groups = tuple(
        DepartmentGroup(code, items[0].department_name, tuple(items))
        for code, items in sorted(by_dept.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0]))
    )
    earliest = min((_local_day(at) for _u, at in earlier), default=None)
    return ArchiveDay(site_code, day, groups, len(earlier), earliest)


def archive(
    db: Database, clerk: Clerk, site_code: str, department_code: str, case_uuids: Iterable[str], day: date,
    *, now: datetime | None = None,
) -> ArchivedBatch:
    """Record ``archived`` for the cases of one department closed on ``day``: their paper originals are
    in the department's folder. One transaction; any refusal writes nothing."""
    uuids = list(dict.fromkeys(case_uuids))
    if not uuids:
        raise InputError("请勾选已将纸质原件放入部门档案袋的办件")
    now = now or utcnow()
    start, end = day_bounds(day)
    with db.transaction() as s:
        dept = s.get(Department, department_code)
        if dept is None:
            raise NotFound("找不到该部门")
        device = s.get(Setting, "device_code")
        if device is None:
            raise NotFound("本机尚未设置中心和本机编号，请联系管理员（site set）")
        check_device_side(s, Side.WINDOW, site_code, department_code)
        closing = _closing_events(s, site_code, start, end, uuids)
        cases = {c.uuid: c for c in s.scalars(select(Case).where(Case.uuid.in_(uuids)))}
        before = {c.uuid: c for c in _cases(s, closing)}
        problems: list[str] = []
        for uid in uuids:
            case = cases.get(uid)
            if case is None or case.site_code != site_code:
                problems.append("找不到该办件（或不是本中心的办件）")
                continue
            number = case.case_number or uid
            if case.department_code != department_code:
                problems.append(f"办件 {number} 不属于{dept.name}，请放入其承办部门的档案")
            elif case.status == Status.ARCHIVED.value:
                seen = before.get(uid)
                when = f"{seen.archived_at.astimezone(SHANGHAI):%Y-%m-%d %H:%M}" if seen and seen.archived_at else ""
                who = f"由{seen.archived_by}" if seen and seen.archived_by else ""
                problems.append(f"办件 {number} 已于 {when} {who}归档，不能重复归档".replace("  ", " "))
            elif case.status not in ARCHIVABLE:
                problems.append(f"办件 {number} 尚未办结（当前状态：{STATUS_ZH[Status(case.status)]}），不能归档")
            elif uid not in closing:
                problems.append(f"办件 {number} 不是 {day:%Y-%m-%d} 办结的，请在其办结当日的归档清单中归档")
        if problems:
            raise Conflict("；".join(problems), code="archive_refused")
        for uid in uuids:
            case = cases[uid]
            c = before[uid]
            append_event(
                s, case, EventType.ARCHIVED, Side.WINDOW, actor=clerk.username, device_code=device.value, now=now,
                payload={"case_number": case.case_number, "day": day.isoformat(), "department": department_code,
                         "materials": c.materials, "copies": c.copies, "window_id": clerk.window_id,
                         "summary": f"纸质原件已归入{dept.name}档案（{day:%Y-%m-%d} 归档交接清单）"},
            )  # fmt: skip
        done = tuple(
            ArchiveCase(**{**c.__dict__, "status": Status.ARCHIVED.value, "archived_at": now,
                           "archived_by": clerk.display_name})
            for c in sorted((before[u] for u in uuids), key=lambda c: (c.closed_at, c.case_number))
        )  # fmt: skip
        return ArchivedBatch(department_code, dept.name, day, done, now)


def archive_day(
    db: Database, clerk: Clerk, site_code: str, day: date, selection: Mapping[str, Iterable[str]],
    *, now: datetime | None = None,
) -> ArchiveReport:
    """Archive each department's ticked cases (department code -> case uuids), one transaction each."""
    report = ArchiveReport()
    names = {}
    with db.reading() as s:
        names = dict(s.execute(select(Department.code, Department.name)).all())
    for code, uuids in selection.items():
        uuids = list(uuids)
        if not uuids:
            continue
        try:
            report.done.append(archive(db, clerk, site_code, code, uuids, day, now=now))
        except ClerkDeskError as exc:
            report.failed.append((names.get(code, code), exc.message_zh))
    return report
