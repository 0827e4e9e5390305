"""The lists a hall follows cases up with (督办), as filters of the one list service
(services/case_queries.py): what is late at each stage, the results waiting to be handed over, the
容缺 materials still owed. The home page and the supervisor's pages read them; each row is the same
row as every list's.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from enum import StrEnum

from clerk_desk.domain.lifecycle import Status
from clerk_desk.domain.workdays import SHANGHAI
from clerk_desk.services import case_queries as q


class Stage(StrEnum):
    AT_WINDOW = "at_window"  # accepted, not handed over within its 5 / 15 minutes
    BACK_OFFICE = "back_office"  # with the back office past the due date (a pause keeps it as it is)
    RESULTS = "results"  # the result waits at the window past the due date


STAGE_STATUSES: dict[Stage, tuple[Status, ...]] = {
    Stage.AT_WINDOW: (Status.ACCEPTED,),
    Stage.BACK_OFFICE: (Status.TRANSFERRED, Status.IN_REVIEW, Status.PAUSED, Status.DECIDED),
    Stage.RESULTS: (Status.RESULT_AT_WINDOW,),
}
# 容缺 material can be owed while the case is open (lifecycle: pledge_fulfilled's sources).
PLEDGE_STATUSES = (Status.ACCEPTED, Status.TRANSFERRED, Status.IN_REVIEW, Status.PAUSED, Status.DECIDED,
                   Status.SUPPLEMENT_REQUESTED, Status.RESULT_AT_WINDOW)


def overdue(stage: Stage, now: datetime, *, site_code: str | None = None,
            serves: tuple[tuple[str, str], ...] | None = None) -> q.CaseFilter:  # fmt: skip
    """What is late at ``stage``, the oldest first: past the hand-over deadline at the window, past the
    decision's due date after it."""
    late = {"transfer_due_before": now} if stage is Stage.AT_WINDOW else {"due_before": now}
    return q.CaseFilter(STAGE_STATUSES[stage], site_code=site_code, serves=serves, order=q.Order.OLDEST, **late)  # type: ignore[arg-type]


def results_to_hand_over(*, site_code: str | None = None) -> q.CaseFilter:
    """Results back at the window, the oldest first (出件)."""
    return q.CaseFilter((Status.RESULT_AT_WINDOW,), site_code=site_code, order=q.Order.OLDEST)


def results_to_notify(*, site_code: str | None = None) -> q.CaseFilter:
    """Results back at the window whose applicant nobody has reached yet (the results notice), the oldest first."""
    return q.CaseFilter((Status.RESULT_AT_WINDOW,), site_code=site_code, unreached=True, order=q.Order.OLDEST)


def pledges_owed(*, site_code: str | None = None) -> q.CaseFilter:
    """Cases accepted with a 容缺 material still owed, the oldest first (each row says by when)."""
    return q.CaseFilter(PLEDGE_STATUSES, site_code=site_code, pledge_open=True, order=q.Order.OLDEST)


def closed_on(day: date, *, site_code: str) -> q.CaseFilter:
    """Cases of the site closed at the window on ``day`` (Asia/Shanghai), the earliest first (归档)."""
    start = datetime.combine(day, time(), SHANGHAI)
    return q.CaseFilter(site_code=site_code, closed_from=start, closed_before=start + timedelta(days=1),
                        order=q.Order.CLOSED)
