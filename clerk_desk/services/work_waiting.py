"""What needs doing now, for the home page: read through the case list's and the inbox's own queries.

* at a window: the accepted cases waiting to be handed to the back office (their transfer clocks run),
  and the results back from the back office waiting to be handed over (出件);
* in the back office: the cases to sign for, and the ones due within a working day or already late;
* for a supervisor or an administrator: how much is late at this site (transfers past their 5 / 15
  minutes, decisions past their due date) and how many results wait at the window.

Each function is one read for the task runner; the window's and the supervisor's use the plain-SQL list
(no SQLAlchemy on the way to the first page, store/sqlite_file.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from clerk_desk.services import case_queries as q
from clerk_desk.store.database import Database

SCAN = 1_000  # rows read to count the urgent ones (a hall has far fewer open cases than this)
SHOWN = 5  # rows the home page lists under a count


@dataclass(frozen=True)
class WindowWork:
    to_transfer: tuple[q.CaseRow, ...]  # waiting for the hand-over, the nearest deadline first
    to_transfer_count: int
    results: tuple[q.CaseRow, ...]  # results back at the window, the oldest first
    results_count: int


@dataclass(frozen=True)
class SiteLateness:
    transfers_late: int  # accepted, not handed over, past the 5 / 15 minutes
    decisions_late: int  # in the back office's hands, past the due date
    results_waiting: int


def _rows(db: Database, view: q.CaseView, now: datetime) -> tuple[q.CaseRow, ...]:
    return q.page(db, q.CaseFilter(view), limit=SCAN, now=now).rows


def window_work(db: Database, now: datetime | None = None) -> WindowWork:
    now = now or datetime.now(UTC)
    waiting = [r for r in _rows(db, q.CaseView.TO_TRANSFER, now) if r.status == "accepted"]
    waiting.sort(key=lambda r: (r.transfer_due_at or now, r.created_at))
    results = sorted(_rows(db, q.CaseView.RESULTS, now), key=lambda r: r.created_at)
    return WindowWork(tuple(waiting[:SHOWN]), len(waiting), tuple(results[:SHOWN]), len(results))


def site_lateness(db: Database, now: datetime | None = None) -> SiteLateness:
    now = now or datetime.now(UTC)
    transfers = sum(1 for r in _rows(db, q.CaseView.TO_TRANSFER, now)
                    if r.status == "accepted" and r.transfer_due_at is not None and now > r.transfer_due_at)
    decisions = sum(1 for r in _rows(db, q.CaseView.BACK_OFFICE, now)
                    if r.status in ("transferred", "in_review") and r.due_at is not None and now > r.due_at)
    results = q.count(db, q.CaseFilter(q.CaseView.RESULTS), now=now, cap=SCAN)
    return SiteLateness(transfers, decisions, results)


@dataclass(frozen=True)
class BackOfficeWork:
    to_sign: tuple[object, ...]  # inbox.InboxRow: transferred, the oldest first
    to_sign_count: int
    due_soon: tuple[object, ...]  # in hand, one working day or less left, or already late: the latest first
    due_soon_count: int
    overdue_count: int


def back_office_work(db: Database, user_id: str, now: datetime | None = None) -> BackOfficeWork:
    """The approver's inbox at a glance (only the departments the account serves)."""
    from clerk_desk.services import inbox
    from clerk_desk.services.approvals import served_pairs

    now = now or datetime.now(UTC)
    serves = served_pairs(db, user_id)
    to_sign = inbox.page(db, inbox.InboxFilter(inbox.InboxView.TO_SIGN, serves), limit=SCAN, now=now).rows
    in_hand = inbox.page(db, inbox.InboxFilter(inbox.InboxView.IN_HAND, serves), limit=SCAN, now=now).rows
    urgent = sorted((r for r in in_hand if r.urgency), key=lambda r: (r.days_left or 0, r.created_at))
    return BackOfficeWork(tuple(to_sign[:SHOWN]), len(to_sign), tuple(urgent[:SHOWN]), len(urgent),
                          sum(1 for r in urgent if r.urgency == "red"))
