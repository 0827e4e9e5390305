"""督办: which cases are at risk or late, at which stage, who holds them and by how much. Pure: no I/O.

The rules read one :class:`Watched` per case (what a list row and a few of its events say) and a clock,
so the desk (services/supervision.py, over its SQLite file) and the county hub (over its own log) reach
the same list from the same facts. docs/supervision.md explains each stage; in short:

* ``transfer``  accepted and not handed to the back office within its 5 / 15 minutes (plan 四(二));
* ``sign``      handed over and not signed for (签收) within the county's minutes (a setting);
* ``decision``  in the back office with one working day left (amber) or past its due date (red); a
  特别程序 pause stops the count where it began (the due date already moved for earlier pauses), 补正
  takes the case back to the window, where the decision clock does not run;
* ``result``    the result waits at the window more than N days after it came back (a setting);
* ``pledge``    容缺 material owed past the promised date (amber on that day);
* ``archive``   closed at the window with the paper still there (即办件, 不予受理, withdrawn before any
  hand-over: domain/paper_custody.py) and not archived by the end of the next working day.

Amber means the deadline is near (the last quarter of a minutes limit, the last working day, the day
itself); red means it has passed. A case can be late at more than one stage (not signed for and due).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from clerk_desk.domain.lifecycle import TRANSFER_MINUTES, Side, Status
from clerk_desk.domain.paper_custody import CLOSED_BY, paper_holder
from clerk_desk.domain.workdays import END_OF_DAY, SHANGHAI, CalendarLike, working_days_left


class Stage(StrEnum):
    TRANSFER = "transfer"
    SIGN = "sign"
    DECISION = "decision"
    RESULT = "result"
    PLEDGE = "pledge"
    ARCHIVE = "archive"


STAGE_ORDER = tuple(Stage)


class Level(StrEnum):
    AMBER = "amber"  # the deadline is near
    RED = "red"  # the deadline has passed


@dataclass(frozen=True, slots=True)
class Rules:
    """The county's settings the rules read (services/supervision.py keeps them in the desk's settings)."""

    sign_minutes: int = 30  # 签收 within this many minutes of the hand-over
    result_days: int = 5  # a result waits at the window at most this many days


DEFAULT_RULES = Rules()
DECISION_STATUSES = frozenset({Status.TRANSFERRED, Status.IN_REVIEW, Status.PAUSED})
CLOSED_AT_WINDOW = frozenset({Status.COMPLETED, Status.REFUSED, Status.DELIVERED, Status.WITHDRAWN})
PLEDGE_STATUSES = frozenset({Status.ACCEPTED, Status.TRANSFERRED, Status.IN_REVIEW, Status.PAUSED, Status.DECIDED,
                             Status.SUPPLEMENT_REQUESTED, Status.RESULT_AT_WINDOW})  # fmt: skip
# Every status a rule looks at (the desk reads only cases in these, or with a pledge open).
WATCHED_STATUSES = frozenset({Status.ACCEPTED, Status.RESULT_AT_WINDOW} | DECISION_STATUSES | CLOSED_AT_WINDOW)


@dataclass(frozen=True, slots=True)
class Watched:
    """What the rules read of one case."""

    uuid: str
    case_number: str
    site_code: str
    department_code: str
    item_name: str
    status: Status
    urgent: bool = False
    window_id: str | None = None  # the window that accepted it
    clerk: str = ""  # who accepted it (username)
    transfer_due_at: datetime | None = None  # accepted + 5 / 15 minutes
    transferred_at: datetime | None = None  # the latest hand-over (a re-transfer after 补正 counts anew)
    received_by: str = ""  # who signed for it in the back office
    due_at: datetime | None = None
    paused_since: datetime | None = None  # while a 特别程序 stops the clock
    returned_at: datetime | None = None  # the result came back to the window
    pledge_open: bool = False
    pledge_due: date | None = None
    closed_at: datetime | None = None  # closed at the window (on the spot, refused, delivered, withdrawn)
    closed_by: str = ""


@dataclass(frozen=True, slots=True)
class Alert:
    """One case late (or nearly) at one stage."""

    case_uuid: str
    case_number: str
    site_code: str
    department_code: str
    item_name: str
    stage: Stage
    level: Level
    deadline: datetime  # UTC
    holder: str  # the person who must act (username), "" when the department as a whole holds it
    window_id: str | None
    over_s: int | None = None  # minutes stages: seconds past the deadline (negative: left)
    over_days: int | None = None  # days stages: days past the deadline (negative: left); working days
    # for decision and archive, calendar days for result and pledge
    paused: bool = False  # decision stage under 特别程序: the days stand at the pause, the deadline moves on resume

    @property
    def late(self) -> bool:
        return self.level is Level.RED


def warn_minutes(limit: int) -> int:
    """Amber for the last quarter of a minutes limit (3 of 15, 1 of 5, 7 of 30)."""
    return max(1, limit // 4)


def local_day_end(day: date) -> datetime:
    return datetime.combine(day, END_OF_DAY, tzinfo=SHANGHAI)


def next_working_day(day: date, calendar: CalendarLike) -> date:
    day += timedelta(days=1)
    for _ in range(400):
        if calendar.is_workday(day):
            return day
        day += timedelta(days=1)
    raise ValueError(f"the calendar has no working day after {day}")


def archive_deadline(closed_at: datetime, calendar: CalendarLike) -> datetime:
    """The end of the first working day after the day the case closed (local)."""
    return local_day_end(next_working_day(closed_at.astimezone(SHANGHAI).date(), calendar))


def alerts(w: Watched, now: datetime, calendar: CalendarLike, rules: Rules = DEFAULT_RULES) -> list[Alert]:
    """Every stage at which ``w`` is late or nearly so at ``now`` (in STAGE_ORDER)."""
    out: list[Alert] = []

    def add(stage: Stage, level: Level, deadline: datetime, holder: str, **by: int) -> None:
        paused = stage is Stage.DECISION and w.paused_since is not None
        out.append(Alert(w.uuid, w.case_number, w.site_code, w.department_code, w.item_name, stage, level,
                         deadline, holder, w.window_id, paused=paused, **by))  # fmt: skip

    def minutes(stage: Stage, deadline: datetime, limit: int, holder: str) -> None:
        over = int((now - deadline).total_seconds())
        if over > 0:
            add(stage, Level.RED, deadline, holder, over_s=over)
        elif -over <= warn_minutes(limit) * 60:
            add(stage, Level.AMBER, deadline, holder, over_s=over)

    status = w.status
    if status is Status.ACCEPTED and w.transfer_due_at is not None:
        minutes(Stage.TRANSFER, w.transfer_due_at, TRANSFER_MINUTES[w.urgent], w.clerk)
    if status is Status.TRANSFERRED and w.transferred_at is not None:
        minutes(Stage.SIGN, w.transferred_at + timedelta(minutes=rules.sign_minutes), rules.sign_minutes, "")
    if status in DECISION_STATUSES and w.due_at is not None:
        left, overdue = working_days_left(w.paused_since or now, w.due_at, calendar)
        if overdue:
            add(Stage.DECISION, Level.RED, w.due_at, w.received_by, over_days=-left)
        elif left <= 1:
            add(Stage.DECISION, Level.AMBER, w.due_at, w.received_by, over_days=-left)
    if status is Status.RESULT_AT_WINDOW and w.returned_at is not None:
        deadline = w.returned_at + timedelta(days=rules.result_days)
        if now > deadline:
            add(Stage.RESULT, Level.RED, deadline, w.clerk, over_days=(now - deadline).days)
    if w.pledge_open and w.pledge_due is not None and status in PLEDGE_STATUSES:
        today = now.astimezone(SHANGHAI).date()
        deadline = local_day_end(w.pledge_due)
        if today >= w.pledge_due:
            add(Stage.PLEDGE, Level.RED if today > w.pledge_due else Level.AMBER, deadline, w.clerk,
                over_days=(today - w.pledge_due).days)
    if (status in CLOSED_AT_WINDOW and w.closed_at is not None
            and paper_holder(CLOSED_BY[status], w.transferred_at is not None) is Side.WINDOW):
        deadline = archive_deadline(w.closed_at, calendar)
        today, last = now.astimezone(SHANGHAI).date(), deadline.astimezone(SHANGHAI).date()
        if now > deadline:
            left, _ = working_days_left(now, deadline, calendar)
            add(Stage.ARCHIVE, Level.RED, deadline, w.closed_by, over_days=-left)
        elif today == last:
            add(Stage.ARCHIVE, Level.AMBER, deadline, w.closed_by, over_days=0)
    return out


def scan(cases: Iterable[Watched], now: datetime, calendar: CalendarLike,
         rules: Rules = DEFAULT_RULES) -> list[Alert]:  # fmt: skip
    """Every alert of ``cases``, the most late first within each stage (STAGE_ORDER)."""
    found = [a for w in cases for a in alerts(w, now, calendar, rules)]
    return sort_alerts(found)


def sort_alerts(found: Iterable[Alert]) -> list[Alert]:
    rank = {s: i for i, s in enumerate(STAGE_ORDER)}
    return sorted(found, key=lambda a: (rank[a.stage], a.level is not Level.RED, a.deadline, a.case_uuid))


def day_start(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=SHANGHAI)
