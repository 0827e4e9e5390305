"""The back office's inbox (approver mode): cases of the departments the signed-in approver serves.

Views: 待签收 (transferred or re-transferred, not yet signed for), 办理中 (signed for: in review or
paused by 特别程序), 已决定 (decided, the result not yet returned to the window), 撤回申请 (the window
asked for a withdrawal the back office has not answered: services/withdrawal.py), 全部 (every case that
reached the back office). Every row says whether a withdrawal request waits, in any view. Work views list
the oldest first (first come, first served); 全部 the newest first.

Each view is a filter of the one list service (services/case_queries.py) and its rows are the same rows
as every list's: when the window handed the case over and whether that was within 5 (urgent) / 15
(承诺件) minutes, and the working days left until the due date (amber at one day or less, red when
overdue; frozen while a 特别程序 pause stops the clock), counted with the desk's working calendar.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from pathlib import Path

from clerk_desk.domain.lifecycle import Status
from clerk_desk.services import case_queries as q
from clerk_desk.services.calendar_service import work_calendar
from clerk_desk.store.database import Database


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


def inbox_filter(view: InboxView, serves: tuple[tuple[str, str], ...], text: str = "") -> q.CaseFilter:
    """The filter of a view for an approver serving ``serves`` ((site, department) pairs)."""
    return q.CaseFilter(
        VIEW_STATUSES[view], serves=serves, withdrawal_requested=True if view is InboxView.WITHDRAWAL else None,
        order=q.Order.NEWEST if view is InboxView.ALL else q.Order.OLDEST,
    ).searching(text)


def page(
    db: Database, f: q.CaseFilter, *, after: tuple[datetime, str] | None = None, limit: int = 100,
    now: datetime | None = None, data_dir: Path | None = None,
) -> q.Page:
    """A page of an inbox view, with the working days left (the desk's calendar)."""
    return q.page(db, f, after=after, limit=limit, now=now, calendar=work_calendar(data_dir or db.data_dir))


def counts(db: Database, serves: tuple[tuple[str, str], ...], text: str = "", *,
           cap: int = 1_000) -> dict[InboxView, int]:  # fmt: skip
    return q.counts(db, {v: inbox_filter(v, serves, text) for v in InboxView}, cap=cap)
