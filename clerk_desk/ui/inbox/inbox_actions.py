"""What the inbox asks of the services, as plain calls for the task runner (no widgets here)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from clerk_desk.domain.case_view import CaseView
from clerk_desk.domain.lifecycle import Status
from clerk_desk.domain.supervision import DEFAULT_RULES
from clerk_desk.domain.workdays import is_provisional, working_days_left
from clerk_desk.services import case_queries as q
from clerk_desk.services import inbox, site_setup, supervision_rules
from clerk_desk.services.approvals import Approver, served_pairs
from clerk_desk.services.calendar_service import work_calendar
from clerk_desk.services.case_read import read_case
from clerk_desk.services.case_rows import CLOCK_RUNNING, URGENT_DAYS
from clerk_desk.store.database import Database
from clerk_desk.ui.session import DeskSession


def approver_for(session: DeskSession) -> Approver:
    u = session.user
    return Approver(u.id, u.username, u.display_name)


@dataclass(frozen=True)
class Query:
    view: inbox.InboxView
    serves: tuple[tuple[str, str], ...]
    text: str
    departments: tuple[str, ...] = ()  # names of the departments served, for the heading
    sign_minutes: int = DEFAULT_RULES.sign_minutes  # the county's 签收 limit (docs/supervision.md)

    @property
    def filter(self) -> q.CaseFilter:
        return inbox.inbox_filter(self.view, self.serves, self.text)


def first_page(db: Database, user_id: str, view: inbox.InboxView, text: str, limit: int,
               now: datetime) -> tuple[Query, q.Page]:
    """The served pairs are read again with every first page: the hub's directory may have changed them; so
    are the county's 签收 minutes (a publication the sync brought)."""
    serves = served_pairs(db, user_id)
    served = {d for _s, d in serves}
    names = tuple(name for code, name in site_setup.departments(db) if code in served)  # in the usual order
    query = Query(view, serves, text.strip(), names, supervision_rules.rules(db).sign_minutes)
    return query, inbox.page(db, query.filter, limit=limit, now=now)


def next_page(db: Database, query: Query, after: tuple[datetime, str], limit: int, now: datetime) -> q.Page:
    return inbox.page(db, query.filter, after=after, limit=limit, now=now)


def count_views(db: Database, serves: tuple[tuple[str, str], ...], text: str) -> dict[inbox.InboxView, int]:
    return inbox.counts(db, serves, text)


@dataclass(frozen=True)
class Clock:
    """The due date as the approver reads it: working days left (frozen while a 特别程序 stops the clock)."""

    due_at: datetime | None
    days_left: int | None
    overdue: bool
    paused_since: datetime | None
    running: bool  # the case is with the back office (its clock counts, or is stopped by a pause)
    due_provisional: bool = False  # counted on weekends only over a year without its calendar (workdays.py)

    @property
    def urgency(self) -> str:
        """As the list's rows say it (services/case_rows.CaseRow.urgency)."""
        if self.days_left is None or not self.running:
            return ""
        return "red" if self.overdue else ("amber" if self.days_left <= URGENT_DAYS else "")


@dataclass(frozen=True)
class ReviewDetail:
    view: CaseView
    clock: Clock
    sign_minutes: int = DEFAULT_RULES.sign_minutes  # the county's 签收 limit (docs/supervision.md)


def load_review(db: Database, uuid: str, now: datetime) -> ReviewDetail:
    view = read_case(db, uuid)
    days, overdue = None, False
    if view.due_at is not None:
        days, overdue = working_days_left(view.paused_since or now, view.due_at, work_calendar(db.data_dir))
    running = view.status in CLOCK_RUNNING or view.status is Status.PAUSED
    provisional = view.due is not None and is_provisional(view.due.calendar_version)
    return ReviewDetail(view, Clock(view.due_at, days, overdue, view.paused_since, running, provisional),
                        supervision_rules.rules(db).sign_minutes)
