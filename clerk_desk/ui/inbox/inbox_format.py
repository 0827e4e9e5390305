"""How the inbox shows hand-over times, working days left and decisions (text only, no widgets)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Protocol

from PySide6.QtCore import QCoreApplication

from clerk_desk.domain.lifecycle import Status
from clerk_desk.domain.supervision import warn_minutes
from clerk_desk.domain.transfers import Transfer
from clerk_desk.services.case_rows import CLOCK_RUNNING
from clerk_desk.ui.cases.case_format import Countdown, Urgency, duration_text, local_text


class DueClock(Protocol):
    """What the due column reads: a list row (services/case_rows.CaseRow) or the case page's clock."""

    @property
    def due_at(self) -> datetime | None: ...

    @property
    def days_left(self) -> int | None: ...

    @property
    def overdue(self) -> bool: ...

    @property
    def paused_since(self) -> datetime | None: ...

    @property
    def due_provisional(self) -> bool: ...


def transfer_text(t: Transfer | None) -> str:
    """When the window handed the case over, and whether within its 5 / 15 minutes."""
    if t is None or t.last_at is None:
        return "—"
    when = local_text(t.last_at, "%m-%d %H:%M")
    if t.retransferred:
        return QCoreApplication.translate("Inbox", "{0} (again, after supplement)").format(when)
    if t.took_s is None:
        return when
    took = max(0, t.took_s) // 60
    if t.late:
        return QCoreApplication.translate("Inbox", "{0} (took {1} min, limit {2}: late)").format(when, took, t.limit_minutes)
    return QCoreApplication.translate("Inbox", "{0} (took {1} min, limit {2})").format(when, took, t.limit_minutes)


def sign_countdown(status: str, t: Transfer | None, sign_minutes: int, now: datetime, *,
                   mark_again: bool = True) -> Countdown | None:
    """The 签收 clock of a case waiting to be signed for: the county's minutes from the latest hand-over (a
    re-transfer after 补正 starts a new wait), amber in their last quarter, red once past, as the 督办 list
    judges it (domain/supervision.py, stage ``sign``). None when the case is not waiting to be signed for.
    ``mark_again``: a re-transfer after 补正 says so (not where the hand-over line beside it already does)."""
    if status != Status.TRANSFERRED or t is None or t.last_at is None:
        return None
    left = int((t.last_at + timedelta(minutes=sign_minutes) - now).total_seconds())
    if left <= 0:
        return Countdown(_again(t, QCoreApplication.translate("Inbox", "Sign-for late {0}").format(duration_text(-left)), mark_again),
                         Urgency.RED, left)
    urgency = Urgency.AMBER if left <= warn_minutes(sign_minutes) * 60 else Urgency.NONE
    return Countdown(_again(t, QCoreApplication.translate("Inbox", "Sign for within {0}").format(duration_text(left)), mark_again),
                     urgency, left)


def _again(t: Transfer, text: str, mark: bool) -> str:
    """A re-transfer after 补正 says so (the approver checks the supplemented materials)."""
    if not (mark and t.retransferred):
        return text
    return QCoreApplication.translate("Inbox", "{0} (again, after supplement)").format(text)


def sign_limit_text(sign_minutes: int) -> str:
    return QCoreApplication.translate("Inbox", "To be signed for within {0} min of the hand-over (the county's supervision limit)"
                                      ).format(sign_minutes)


def days_text(row: DueClock, status: str | None = None) -> str:
    """The due date with the working days left (or overdue, or frozen by a pause). For a case in ``status``
    out of the back office's hands the clock does not run: the date alone (sent back for 补正: said so, its
    date moves when the window hands it over again), not days that would read as still counting."""
    if row.due_at is None or row.days_left is None:
        return "—"
    day = local_text(row.due_at, "%Y-%m-%d")
    if status is not None and status not in CLOCK_RUNNING and status != Status.PAUSED:
        if status == Status.SUPPLEMENT_REQUESTED:
            return QCoreApplication.translate("Inbox", "{0} (out for supplement)").format(day)
        return day
    if row.paused_since is not None and not row.overdue:
        # The days stand still at the pause; the date is the one in force before it and moves on resume (a pause
        # past it read 「2026-10-15，剩 1 个工作日」 on the 16th). An overdue case stays so: its date does not move.
        text = QCoreApplication.translate("Inbox", "originally due {0} (clock stopped; moves later by the paused working days when resumed)").format(day) \
            if row.days_left == 0 else QCoreApplication.translate(
                "Inbox", "originally {0}, {1} working day(s) left (clock stopped; moves later by the paused working days when resumed)"
            ).format(day, row.days_left)
    elif row.overdue:
        text = QCoreApplication.translate("Inbox", "{0} overdue by {1} working day(s)").format(day, -row.days_left) if row.days_left < 0 \
            else QCoreApplication.translate("Inbox", "{0} overdue").format(day)
    elif row.days_left == 0:
        text = QCoreApplication.translate("Inbox", "{0} due today").format(day)
    else:
        text = QCoreApplication.translate("Inbox", "{0}, {1} working day(s) left").format(day, row.days_left)
    if row.paused_since is not None and row.overdue:
        text += QCoreApplication.translate("Inbox", " (clock stopped)")
    if row.due_provisional:
        text += QCoreApplication.translate("Inbox", " (counted on weekends only; to be checked when the holiday calendar is published)")
    return text


def supplement_clock_text() -> str:
    """Why a case out for 补正 shows its date alone (the due column's tooltip)."""
    return QCoreApplication.translate("Inbox", "The clock does not run while the case is out for supplement: the due "
                                      "date moves later when the window hands it over again")


def decision_text(decision: str | None) -> str:
    return {"approved": QCoreApplication.translate("Inbox", "Approved"), "denied": QCoreApplication.translate("Inbox", "Denied")}.get(decision or "", "")
