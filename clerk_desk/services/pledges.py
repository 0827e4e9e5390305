"""容缺 follow-up (docs/hall-operations.md, "容缺 pledges"): when the owed material is due, recording that it
came, noting a pledge past its date, and the lists of pledges still open and overdue.

A pledge is recorded at intake (services/intake.py, ``pledge_recorded``). Its due date defaults from the items
(:func:`pledge_window`) and may be moved by the clerk between tomorrow and :data:`PLEDGE_MAX_WORKING_DAYS`
working days after intake. Then:

* ``pledge_fulfilled`` — the material came (at the window, or handed straight to the back office): the pledge
  closes;
* ``pledge_overdue`` — the day after its due date the pledge is still open: the desk that accepted the case
  notes it once (one desk, so two PCs never race to say the same thing), and the pledge stays open until the
  material comes.

Both flow to the hub like every event. The lists read the one list service (follow_up.pledges_owed): open
pledges are few, so they are read whole and sorted by their due date here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from clerk_desk.domain.errors import Conflict, InputError, NotFound
from clerk_desk.domain.lifecycle import EventType, Side
from clerk_desk.domain.workdays import SHANGHAI, add_working_days
from clerk_desk.services import case_queries as q
from clerk_desk.services import follow_up
from clerk_desk.services.calendar_service import work_calendar
from clerk_desk.services.case_events import append_event
from clerk_desk.services.case_read import read_case, read_cases
from clerk_desk.services.case_rows import CaseRow
from clerk_desk.services.intake_forms import ItemRef
from clerk_desk.store import this_device
from clerk_desk.store.database import Database
from clerk_desk.store.models import Case, utcnow

PLEDGE_WORKING_DAYS = (
    5  # the default time to bring an owed material (the plan sets none; the hall may move it)
)
PLEDGE_MAX_WORKING_DAYS = 30  # the latest a clerk may set
NOTE_MAX = 200


@dataclass(frozen=True)
class PledgeWindow:
    """The due dates a pledge may have at intake: ``default`` pre-filled, anything after today up to ``latest``."""

    default: date
    latest: date


def pledge_window(data_dir: Path | None, items: Sequence[ItemRef], now: datetime,
                  days: dict[str, int] | None = None) -> PledgeWindow:  # fmt: skip
    """From the items: the default is :data:`PLEDGE_WORKING_DAYS` working days after ``now``, or the earliest
    promised completion date among the items when that comes sooner (the material should be in before the
    department decides), but never before tomorrow; the latest is :data:`PLEDGE_MAX_WORKING_DAYS` working days
    after ``now``."""
    calendar = work_calendar(data_dir)
    tomorrow = now.astimezone(SHANGHAI).date() + timedelta(days=1)
    ends = [add_working_days(now, PLEDGE_WORKING_DAYS, calendar).due_local_date]
    for item in items:
        n = (days or {}).get(item.code, item.promised_days)
        if n is not None:
            ends.append(add_working_days(now, n, calendar).due_local_date)
    latest = add_working_days(now, PLEDGE_MAX_WORKING_DAYS, calendar).due_local_date
    return PledgeWindow(max(min(ends), tomorrow), latest)


def check_pledge_due(due: date, window: PledgeWindow, today: date) -> str | None:
    """Why ``due`` is not a date the pledge may have (Chinese), or None."""
    if due <= today:
        return "容缺材料的补齐日期应晚于今天"
    if due > window.latest:
        return (
            f"容缺材料的补齐日期不能晚于 {window.latest.isoformat()}"
            f"（受理后 {PLEDGE_MAX_WORKING_DAYS} 个工作日）"
        )
    return None


# ---- the lists --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OpenPledge:
    row: CaseRow
    due: date | None

    def days_late(self, today: date) -> int:
        """Calendar days past the due date (0: not late)."""
        return max(0, (today - self.due).days) if self.due else 0

    def overdue(self, today: date) -> bool:
        return self.due is not None and today > self.due


def open_pledges(
    db: Database, now: datetime | None = None, *, site_code: str | None = None
) -> list[OpenPledge]:
    """Every open pledge, the soonest due first (a case without a readable date last)."""
    now = now or utcnow()
    out: list[OpenPledge] = []
    after = None
    while True:
        page = q.page(db, follow_up.pledges_owed(site_code=site_code), after=after, limit=500, now=now)
        out += [OpenPledge(r, _day(r.pledge_due)) for r in page.rows]
        if page.next_key is None:
            break
        after = page.next_key
    return sorted(out, key=lambda p: (p.due is None, p.due or date.max, p.row.created_at))


def overdue_pledges(
    db: Database, now: datetime | None = None, *, site_code: str | None = None
) -> list[OpenPledge]:
    """Open pledges whose due date has passed (in hall time: overdue from the day after the due date)."""
    now = now or utcnow()
    today = now.astimezone(SHANGHAI).date()
    return [p for p in open_pledges(db, now, site_code=site_code) if p.overdue(today)]


@dataclass(frozen=True)
class PledgeLine:
    """One line of the 容缺跟进 page: the case, what is owed, by when, and how late."""

    uuid: str
    case_number: str
    item_name: str
    department_code: str
    applicant_name: str
    materials: tuple[str, ...]
    due: date | None
    days_late: int
    overdue_noted: bool


def pledge_lines(db: Database, now: datetime | None = None, *, overdue_only: bool = False,
                 serves: tuple[tuple[str, str], ...] | None = None) -> list[PledgeLine]:  # fmt: skip
    """The open pledges (or only the overdue ones) with their owed materials; ``serves``: an approver's
    (site, department) pairs (None: every department, as at the window)."""
    now = now or utcnow()
    today = now.astimezone(SHANGHAI).date()
    found = overdue_pledges(db, now) if overdue_only else open_pledges(db, now)
    if serves is not None:
        found = [p for p in found if (p.row.site_code, p.row.department_code) in set(serves)]
    views = {v.uuid: v for v in read_cases(db, [p.row.uuid for p in found])}
    out = []
    for p in found:
        view = views.get(p.row.uuid)
        pledge = view.pledge if view else None
        out.append(PledgeLine(
            p.row.uuid, p.row.case_number, p.row.item_name, p.row.department_code, p.row.applicant_name,
            pledge.materials if pledge else (), p.due, p.days_late(today),
            bool(pledge and pledge.overdue_noted),
        ))  # fmt: skip
    return out


# ---- the acts ---------------------------------------------------------------------------------------------


def record_arrived(db: Database, case_uuid: str, *, actor: str, side: Side, note: str = "",
                   now: datetime | None = None) -> None:  # fmt: skip
    """The owed material came (at the window, or brought straight to the back office): the pledge closes."""
    now = now or utcnow()
    note = note.strip()
    if len(note) > NOTE_MAX:
        raise InputError(f"备注不能超过 {NOTE_MAX} 个字")
    with db.transaction() as s:
        case = s.get(Case, case_uuid)
        if case is None:
            raise NotFound("找不到该办件")
        if not case.pledge_open:
            raise Conflict("该办件没有未补齐的容缺材料")
        materials = list(((case.details or {}).get("pledge") or {}).get("materials") or [])
        append_event(
            s,
            case,
            EventType.PLEDGE_FULFILLED,
            side,
            actor=actor,
            device_code=this_device.device_code(s),
            now=now,
            payload={"case_number": case.case_number, "materials": materials, "note": note or None},
        )


def note_overdue(db: Database, *, actor: str, now: datetime | None = None) -> list[str]:
    """Note ``pledge_overdue`` once on each open pledge past its date among the cases this desk accepted;
    returns their uuids. The 容缺跟进 page runs it at a window each time it reads its list."""
    now = now or utcnow()
    today = now.astimezone(SHANGHAI).date()
    noted = []
    with db.reading() as s:
        device = this_device.device_code(s)
    for p in overdue_pledges(db, now):
        view = read_case(db, p.row.uuid)
        pledge = view.pledge
        if pledge is None or not pledge.open or pledge.overdue_noted is not None:
            continue
        with db.transaction() as s:
            case = s.get(Case, p.row.uuid)
            if case is None or case.device_code != device or not case.pledge_open:
                continue
            append_event(
                s,
                case,
                EventType.PLEDGE_OVERDUE,
                Side.WINDOW,
                actor=actor,
                device_code=device,
                now=now,
                payload={
                    "case_number": case.case_number,
                    "due": p.due.isoformat() if p.due else None,
                    "days_late": p.days_late(today),
                },
            )
            noted.append(case.uuid)
    return noted


def _day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None
