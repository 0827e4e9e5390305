"""What needs doing now, for the home page: read through the case list's and the inbox's own queries.

* at a window: the accepted cases waiting to be handed to the back office (their transfer clocks run),
  and the results back from the back office waiting to be handed over (出件);
* in the back office: the cases to sign for, and the ones due within a working day or already late;
* for a supervisor or an administrator: how much is late at this site (transfers past their 5 / 15
  minutes, decisions past their due date) and how many results wait at the window.

Each function is one read for the task runner through the one list service (services/case_queries.py) and
its follow-up lists (services/follow_up.py); the window's and the supervisor's stay on the plain-SQL path (no
SQLAlchemy on the way to the first page, store/sqlite_file.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from clerk_desk.domain.lifecycle import Status
from clerk_desk.services import case_queries as q
from clerk_desk.services import follow_up
from clerk_desk.store.database import Database

SCAN = 1_000  # rows read to count the urgent ones (a hall has far fewer open cases than this)
SHOWN = 5  # rows the home page lists under a count
NEAREST = 50  # accepted cases read (the oldest) to find the SHOWN nearest hand-over deadlines: a deadline is
# the acceptance (or the return from 补正) plus 5 / 15 minutes, so the nearest ones are among the oldest


@dataclass(frozen=True)
class WindowWork:
    """A window's work at a glance: hand-overs due and results back for the applicant."""

    to_transfer: tuple[q.CaseRow, ...]  # waiting for the hand-over, the nearest deadline first (SHOWN of them)
    to_transfer_count: int
    results: tuple[q.CaseRow, ...]  # results back at the window, the oldest first
    results_count: int
    # every one read to find them (the NEAREST oldest, nearest deadline first): the late and the nearly late
    # are counted over these, not over the SHOWN (a window with 8 waiting, all late, said 「其中 5 件已超时」)
    waiting: tuple[q.CaseRow, ...] = ()


@dataclass(frozen=True)
class SiteLateness:
    """How much of the site's work is late: hand-overs, decisions, results not yet collected."""

    transfers_late: int  # accepted, not handed over, past the 5 / 15 minutes
    decisions_late: int  # in the back office's hands, past the due date
    results_waiting: int


def _count(db: Database, f: q.CaseFilter) -> int:
    return min(q.count(db, f, cap=SCAN), SCAN)  # the home page says at most SCAN


def window_work(db: Database, now: datetime | None = None) -> WindowWork:
    now = now or datetime.now(UTC)
    accepted = q.CaseFilter((Status.ACCEPTED,), order=q.Order.OLDEST)
    waiting = sorted(q.page(db, accepted, limit=NEAREST, now=now, events=False).rows,
                     key=lambda r: (r.transfer_due_at or now, r.created_at))  # fmt: skip
    results = follow_up.results_to_hand_over()  # the oldest first
    shown = q.page(db, results, limit=SHOWN, now=now, events=False).rows
    return WindowWork(tuple(waiting[:SHOWN]), _count(db, accepted), shown, _count(db, results), tuple(waiting))


def site_lateness(db: Database, now: datetime | None = None) -> SiteLateness:
    now = now or datetime.now(UTC)
    transfers = _count(db, follow_up.overdue(follow_up.Stage.AT_WINDOW, now))
    decisions = _count(db, q.CaseFilter((Status.TRANSFERRED, Status.IN_REVIEW), due_before=now))
    results = _count(db, follow_up.results_to_hand_over())
    return SiteLateness(transfers, decisions, results)


@dataclass(frozen=True)
class BackOfficeWork:
    """An approver's work at a glance: cases to sign for, due soon, overdue."""

    to_sign: tuple[q.CaseRow, ...]  # transferred, the oldest first (SHOWN of them)
    to_sign_count: int
    due_soon: tuple[q.CaseRow, ...]  # in hand, one working day or less left, or already late: the latest first
    due_soon_count: int
    overdue_count: int
    sign_minutes: int = 30  # the county's 签收 limit the to-sign lines count down (docs/supervision.md)
    to_sign_all: tuple[q.CaseRow, ...] = ()  # every one read (at most SCAN): the late are counted over these


def back_office_work(db: Database, user_id: str, now: datetime | None = None) -> BackOfficeWork:
    """The approver's inbox at a glance (only the departments the account serves)."""
    from clerk_desk.services import inbox
    from clerk_desk.services.approvals import served_pairs

    now = now or datetime.now(UTC)
    serves = served_pairs(db, user_id)
    to_sign = inbox.page(db, inbox.inbox_filter(inbox.InboxView.TO_SIGN, serves), limit=SCAN, now=now).rows
    in_hand = inbox.page(db, inbox.inbox_filter(inbox.InboxView.IN_HAND, serves), limit=SCAN, now=now).rows
    urgent = sorted((r for r in in_hand if r.urgency), key=lambda r: (r.days_left or 0, r.created_at))
    from clerk_desk.services import supervision_rules

    return BackOfficeWork(tuple(to_sign[:SHOWN]), len(to_sign), tuple(urgent[:SHOWN]), len(urgent),
                          sum(1 for r in urgent if r.urgency == "red"), supervision_rules.rules(db).sign_minutes,
                          tuple(to_sign))  # fmt: skip


# -- supervision (docs/supervision.md) -------------------------------------------------------------------
@dataclass(frozen=True)
class Supervision:
    """The supervisor's home: what is late or nearly so, per stage, and the 督办单 not yet answered."""

    stages: tuple[tuple[str, str, int, int], ...]  # (stage key, 中文, late, due soon), stages with any
    capped: bool
    orders: tuple[object, ...]  # services.supervision_orders.OrderRow, the oldest open first
    orders_count: int
    orders_overdue: int


def supervision_work(db: Database, site_code: str | None, now: datetime | None = None) -> Supervision:
    from clerk_desk.domain import supervision as sv
    from clerk_desk.domain.workdays import SHANGHAI
    from clerk_desk.services import supervision

    now = now or datetime.now(UTC)
    scan = supervision.scan(db, now, site_code=site_code)
    stages = []
    for stage in sv.STAGE_ORDER:
        red = sum(1 for r in scan.rows if r.alert.stage is stage and r.alert.late)
        amber = sum(1 for r in scan.rows if r.alert.stage is stage and not r.alert.late)
        if red or amber:
            stages.append((stage.value, supervision.STAGE_ZH[stage], red, amber))
    shown, count = orders_waiting(db, site_code=site_code)
    today = now.astimezone(SHANGHAI).date()
    overdue = sum(1 for r in orders_open(db, site_code=site_code) if r.order.reply_overdue(today))
    return Supervision(tuple(stages), bool(scan.capped), shown, count, overdue)


def orders_open(db: Database, *, site_code: str | None = None,
                serves: tuple[tuple[str, str], ...] | None = None) -> list[Any]:  # fmt: skip
    from clerk_desk.services import supervision_orders

    rows = supervision_orders.list_orders(db, open_only=True, site_code=site_code, serves=serves)
    return sorted(rows, key=lambda r: r.order.issued_at)


def orders_waiting(db: Database, *, site_code: str | None = None,
                   serves: tuple[tuple[str, str], ...] | None = None) -> tuple[tuple[Any, ...], int]:  # fmt: skip
    """The 督办单 not yet answered (the oldest SHOWN) and how many: the window sees its site's, the approver
    the departments it serves."""
    rows = orders_open(db, site_code=site_code, serves=serves)
    return tuple(rows[:SHOWN]), len(rows)
