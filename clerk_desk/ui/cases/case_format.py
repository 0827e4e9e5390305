"""How the case list and the case page show times, deadlines and sync states (no Qt widgets here).

Transfer countdown (流转时限) for a case accepted at the window and not yet handed over, read as a
duration, never as a clock time ("剩余 14 分 57 秒", not "14:57"):

* normal while more than a third of the window is left (urgent 5 min: more than 1 分 40 秒; 承诺件 15 min:
  more than 5 分);
* amber in the last third;
* red at and after the deadline, counting up as "超时 4 分 05 秒", "超时 1 小时 10 分", "超时 2 天".

The decision due date (办结时限) is red once it has passed while the case is still open
(accepted, transferred or in review).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

from clerk_desk.domain.case_numbers import InvalidCaseNumber, group_for_reading
from clerk_desk.domain.lifecycle import TRANSFER_MINUTES
from clerk_desk.domain.workdays import SHANGHAI
from clerk_desk.services.case_queries import CaseRow

if TYPE_CHECKING:
    from clerk_desk.domain.event_record import PushState

COUNTING = frozenset({"accepted"})  # statuses whose transfer clock runs
TRANSFERABLE = frozenset({"accepted", "supplement_requested"})
DECISION_OPEN = frozenset({"accepted", "transferred", "in_review"})


class Urgency(StrEnum):
    NONE = ""
    AMBER = "amber"
    RED = "red"


@dataclass(frozen=True)
class Countdown:
    """The time left to a deadline as a list cell shows it: its text, its urgency, the seconds left."""

    text: str
    urgency: Urgency
    seconds_left: int


def local_text(at: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A stored UTC time as the hall reads it (Asia/Shanghai)."""
    return "" if at is None else at.astimezone(SHANGHAI).strftime(fmt)


def grouped_number(number: str) -> str:
    try:
        return group_for_reading(number)
    except InvalidCaseNumber:
        return number


def duration_text(seconds: float) -> str:
    """A span of time as words ("14 分 57 秒", "1 小时 10 分", "2 天"): a countdown must not read as a clock."""
    s = int(abs(seconds))
    if s < 60:
        return QCoreApplication.translate("CaseFormat", "{0} s").format(s)
    if s < 3600:
        return QCoreApplication.translate("CaseFormat", "{0} min {1} s").format(s // 60, f"{s % 60:02d}")
    if s < 86400:
        return QCoreApplication.translate("CaseFormat", "{0} h {1} min").format(s // 3600, s % 3600 // 60)
    return QCoreApplication.translate("CaseFormat", "{0} d").format(s // 86400)


def left_text(seconds: float) -> str:
    return QCoreApplication.translate("CaseFormat", "{0} left").format(duration_text(seconds))


def late_text(seconds: float) -> str:
    return QCoreApplication.translate("CaseFormat", "Late {0}").format(duration_text(seconds))


def countdown(row: CaseRow, now: datetime) -> Countdown | None:
    """The transfer countdown of a row, or None when its transfer clock is not running."""
    return countdown_of(row.status, row.transfer_due_at, row.urgent, now)


def countdown_of(status: str, due: datetime | None, urgent: bool, now: datetime) -> Countdown | None:
    """The transfer countdown of a case in ``status`` due to be handed over at ``due``."""
    if status not in COUNTING or due is None:
        return None
    left = int((due - now).total_seconds())
    if left <= 0:
        return Countdown(late_text(-left), Urgency.RED, left)
    total = TRANSFER_MINUTES[bool(urgent)] * 60
    return Countdown(left_text(left), Urgency.AMBER if left * 3 <= total else Urgency.NONE, left)


def due_overdue(status: str, due_at: datetime | None, now: datetime) -> bool:
    return due_at is not None and status in DECISION_OPEN and now > due_at


def push_state_text(state: PushState) -> str:
    """Every push state in the clerk's words (never the stored English word)."""
    from clerk_desk.domain.event_record import PushState  # the case page's, not the list's (start-up path)

    names = {
        PushState.PENDING: QCoreApplication.translate("CaseFormat", "Waiting to upload"),
        PushState.IN_FLIGHT: QCoreApplication.translate("CaseFormat", "Uploading"),
        PushState.STORED: QCoreApplication.translate("CaseFormat", "Uploaded"),
        PushState.DUPLICATE: QCoreApplication.translate("CaseFormat", "Uploaded"),
        PushState.REJECTED: QCoreApplication.translate("CaseFormat", "Rejected by the hub"),
        PushState.HELD: QCoreApplication.translate("CaseFormat", "Held (an earlier event was rejected)"),
        PushState.SET_ASIDE: QCoreApplication.translate("CaseFormat", "Set aside (not uploaded)"),
    }
    return names[PushState(state)]


def side_text(side: str) -> str:
    return {"window": QCoreApplication.translate("CaseFormat", "Window"), "back_office": QCoreApplication.translate("CaseFormat", "Back office")}.get(side, side)


def count_text(n: int, cap: int) -> str:
    return f"{cap}+" if n > cap else str(n)
