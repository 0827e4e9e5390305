"""归档: each day the window puts the paper originals it holds of the cases closed that day into each
department's folder and hands them over with a signed list (plan 四(二): 所有纸质原件由各审批单位一天一归档).

The window files only the paper that never left it (domain/paper_custody.py): 即办件 finished on the spot,
refused cases (不予受理) and cases withdrawn before any hand-over. Paper handed to the back office is the
department's, filed on the approver's PC (services/department_archive.py).

:func:`closed_on` lists those cases of this site closed on one day (Asia/Shanghai), grouped by department,
each with whether it is already archived. :func:`archive` records ``archived`` for the cases whose paper went into one
department's folder: one transaction for the department, one outbox event per case. A case archived
before is refused with who archived it and when, and nothing of that department is written.
:func:`archive_day` does it department by department; one department's refusal does not stop the others.

The day's list is a filter of the one list service (services/follow_up.closed_on, rows of
services/case_rows.CaseRow); the checks before archiving read in the write transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from clerk_desk.domain.errors import ClerkDeskError, Conflict, InputError, NotFound
from clerk_desk.domain.event_record import NOT_IN_CASE
from clerk_desk.domain.lifecycle import EventType, Side, Status
from clerk_desk.domain.paper_custody import WINDOW_ARCHIVES, window_files
from clerk_desk.domain.workdays import SHANGHAI
from clerk_desk.services import case_queries as q
from clerk_desk.services import case_rows, follow_up, site_setup
from clerk_desk.services.approvals import check_device_side
from clerk_desk.services.case_events import append_event
from clerk_desk.services.case_queries import STATUS_ZH
from clerk_desk.services.case_rows import CaseRow
from clerk_desk.services.intake import Clerk
from clerk_desk.store import this_device
from clerk_desk.store.database import Database
from clerk_desk.store.models import Case, CaseEvent, Department, User, utcnow
from clerk_desk.store.sqlite_file import from_db, to_db

CLOSING = case_rows.CLOSED_AS_ZH  # how a case closed at the window: the event, and what the list says
ARCHIVABLE = WINDOW_ARCHIVES
_DAY_PAGE = 500
_HANDED = (EventType.TRANSFERRED.value, EventType.RETRANSFERRED.value)
_IN_CASE = f"push_state NOT IN ({', '.join(repr(p.value) for p in NOT_IN_CASE)})"
# The window's paper closed before a moment and not archived: closed on the spot, refused, or withdrawn
# without ever being handed over (the status index; withdrawn cases are checked for a hand-over).
_EARLIER = (
    "SELECT count(*), min(closed_at) FROM (SELECT (SELECT max(e.occurred_at) FROM case_events AS e"
    f" WHERE e.case_uuid = c.uuid AND e.type IN ({', '.join('?' * len(CLOSING))}) AND e.{_IN_CASE}) AS closed_at"
    f" FROM cases AS c WHERE c.status IN ({', '.join('?' * len(WINDOW_ARCHIVES))}) AND c.site_code = ?"
    " AND (c.status != 'withdrawn' OR NOT EXISTS (SELECT 1 FROM case_events AS t WHERE t.case_uuid = c.uuid"
    f" AND t.type IN ({', '.join('?' * len(_HANDED))}) AND t.{_IN_CASE}))) WHERE closed_at < ?"
)


@dataclass(frozen=True)
class DepartmentGroup:
    code: str
    name: str
    cases: tuple[CaseRow, ...]

    @property
    def pending(self) -> tuple[CaseRow, ...]:
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
    cases: tuple[CaseRow, ...]
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
                    uuids: Iterable[str]) -> dict[str, CaseEvent]:
    """The (last) closing event of each of ``uuids`` (cases of the site) in [start, end)."""
    q = (select(CaseEvent).join(Case, Case.uuid == CaseEvent.case_uuid)
         .where(Case.site_code == site_code, CaseEvent.type.in_(list(CLOSING)),
                CaseEvent.occurred_at >= start, CaseEvent.occurred_at < end,
                CaseEvent.push_state.notin_(NOT_IN_CASE),
                CaseEvent.case_uuid.in_(list(uuids)))
         .order_by(CaseEvent.occurred_at))  # fmt: skip
    return {e.case_uuid: e for e in s.scalars(q)}


def _rows(db: Database, f: q.CaseFilter) -> list[CaseRow]:
    """Every row of a day's list (a day has a few hundred at most: read a page at a time all the same)."""
    rows: list[CaseRow] = []
    after = None
    while True:
        got = q.page(db, f, after=after, limit=_DAY_PAGE)
        rows += got.rows
        if got.next_key is None:
            return rows
        after = got.next_key


def _earlier(db: Database, site_code: str, before: datetime) -> tuple[int, datetime | None]:
    """How many cases whose paper the window holds closed before ``before`` and are not archived, and when
    the first of them closed."""
    with db.plain_reading() as c:
        n, first = c.execute(_EARLIER, (*CLOSING, *(s.value for s in WINDOW_ARCHIVES), site_code, *_HANDED,
                                        to_db(before))).fetchone()  # fmt: skip
    return int(n), from_db(first)


def closed_on(db: Database, site_code: str, day: date) -> ArchiveDay:
    """The cases of ``site_code`` closed on ``day`` whose paper the window holds, grouped by department (in
    the usual department order), oldest first within a department; also how many earlier ones still wait
    for their paper."""
    cases = [c for c in _rows(db, follow_up.closed_on(day, site_code=site_code))
             if window_files(c.closed_as, c.transfer is not None)]  # fmt: skip
    order = {code: i for i, (code, _name) in enumerate(site_setup.departments(db))}
    start, _end = day_bounds(day)
    earlier, first_at = _earlier(db, site_code, start)
    by_dept: dict[str, list[CaseRow]] = {}
    for c in sorted(cases, key=lambda c: (c.closed_at, c.case_number)):
        by_dept.setdefault(c.department_code, []).append(c)
    groups = tuple(
        DepartmentGroup(code, items[0].department_name, tuple(items))
        for code, items in sorted(by_dept.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0]))
    )
    earliest = _local_day(first_at) if first_at is not None else None
    return ArchiveDay(site_code, day, groups, earlier, earliest)


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
        device = this_device.device_code(s)
        check_device_side(s, Side.WINDOW, site_code, department_code)
        closing = _closing_events(s, site_code, start, end, uuids)
        cases = {c.uuid: c for c in s.scalars(select(Case).where(Case.uuid.in_(uuids)))}
        archived = {e.case_uuid: e for e in s.scalars(select(CaseEvent).where(
            CaseEvent.case_uuid.in_(uuids), CaseEvent.type == EventType.ARCHIVED.value))}  # fmt: skip
        handed = set(s.scalars(select(CaseEvent.case_uuid).where(
            CaseEvent.case_uuid.in_(uuids), CaseEvent.type.in_(_HANDED),
            CaseEvent.push_state.notin_(NOT_IN_CASE))))  # fmt: skip
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
                seen = archived.get(uid)
                when = f"{seen.occurred_at.astimezone(SHANGHAI):%Y-%m-%d %H:%M}" if seen else ""
                who = f"由{_display_name(s, seen.actor)}" if seen else ""
                problems.append(f"办件 {number} 已于 {when} {who}归档，不能重复归档".replace("  ", " "))
            elif uid in handed or case.status == Status.DELIVERED.value:  # the paper went to the department
                problems.append(f"办件 {number} 的纸质材料已流转{dept.name}，由{dept.name}在审批端每日归档，窗口不再归档")
            elif case.status not in ARCHIVABLE:
                problems.append(f"办件 {number} 尚未办结（当前状态：{STATUS_ZH[Status(case.status)]}），不能归档")
            elif uid not in closing or not window_files(closing[uid].type, False):
                problems.append(f"办件 {number} 不是 {day:%Y-%m-%d} 办结的，请在其办结当日的归档清单中归档")
        if problems:
            raise Conflict("；".join(problems), code="archive_refused")
        for uid in uuids:
            case = cases[uid]
            materials, copies = _materials(case.details or {})
            append_event(
                s, case, EventType.ARCHIVED, Side.WINDOW, actor=clerk.username, device_code=device, now=now,
                payload={"case_number": case.case_number, "day": day.isoformat(), "department": department_code,
                         "materials": materials, "copies": copies, "window_id": clerk.window_id,
                         "summary": f"纸质原件已归入{dept.name}档案（{day:%Y-%m-%d} 归档交接清单）"},
            )  # fmt: skip
        name = dept.name
    done = _rows(db, replace(follow_up.closed_on(day, site_code=site_code), uuids=tuple(uuids)))
    return ArchivedBatch(department_code, name, day, tuple(sorted(done, key=lambda c: (c.closed_at, c.case_number))),
                         now)


def _display_name(s: Session, username: str) -> str:
    return s.scalar(select(User.display_name).where(User.username == username)) or username


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
