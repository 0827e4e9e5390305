"""How the inbox shows hand-over times, working days left and decisions (text only, no widgets)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from clerk_desk.services.inbox import InboxRow
from clerk_desk.ui.cases.case_format import local_text


def transfer_text(row: InboxRow) -> str:
    """When the window handed the case over, and whether within its 5 / 15 minutes."""
    if row.transferred_at is None:
        return "—"
    when = local_text(row.transferred_at, "%m-%d %H:%M")
    if row.retransferred:
        return QCoreApplication.translate("Inbox", "{0} (again, after supplement)").format(when)
    if row.transfer_took_s is None:
        return when
    took = max(0, row.transfer_took_s) // 60
    if row.transfer_late:
        return QCoreApplication.translate("Inbox", "{0} (took {1} min, limit {2}: late)").format(when, took, row.transfer_minutes)
    return QCoreApplication.translate("Inbox", "{0} (took {1} min, limit {2})").format(when, took, row.transfer_minutes)


def days_text(row: InboxRow) -> str:
    """The due date with the working days left (or overdue, or frozen by a pause)."""
    if row.due_at is None or row.days_left is None:
        return "—"
    day = local_text(row.due_at, "%Y-%m-%d")
    if row.overdue:
        text = QCoreApplication.translate("Inbox", "{0} overdue by {1} working day(s)").format(day, -row.days_left) if row.days_left < 0 \
            else QCoreApplication.translate("Inbox", "{0} overdue").format(day)
    elif row.days_left == 0:
        text = QCoreApplication.translate("Inbox", "{0} due today").format(day)
    else:
        text = QCoreApplication.translate("Inbox", "{0}, {1} working day(s) left").format(day, row.days_left)
    if row.paused_since is not None:
        text += QCoreApplication.translate("Inbox", " (clock stopped)")
    if row.due_provisional:
        text += QCoreApplication.translate("Inbox", " (counted on weekends only; to be checked when the holiday calendar is published)")
    return text


def decision_text(decision: str | None) -> str:
    return {"approved": QCoreApplication.translate("Inbox", "Approved"), "denied": QCoreApplication.translate("Inbox", "Denied")}.get(decision or "", "")
