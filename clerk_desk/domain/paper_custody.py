"""Who files a case's paper originals (一天一归档 by each 审批单位, plan 四(二); docs/hall-operations.md).

The paper goes with the case: it stays at the window until the case is handed to the back office, and from
the hand-over on it is the department's (signed for at 签收, kept through 补正 and the decision). So:

* 即办件 finished on the spot, and cases refused (不予受理): the window files them;
* a case withdrawn before it was ever handed over: the window (the paper never left it);
* a case withdrawn after a hand-over, and every case handed over (送达 at the window or not): the department;
* 一次性告知 (supplement_notified): nothing is kept, the applicant takes the papers back.

Pure: one function both 归档 pages (services/archive.py, services/department_archive.py) and the 督办 rule
(domain/supervision.py) ask.
"""

from __future__ import annotations

from clerk_desk.domain.lifecycle import EventType, Side, Status

# How a case closed, by its status (the 督办 rule reads a status, the 归档 lists the closing event).
CLOSED_BY: dict[Status, str] = {
    Status.COMPLETED: EventType.COMPLETED_ON_SPOT.value,
    Status.REFUSED: EventType.REFUSED.value,
    Status.DELIVERED: EventType.DELIVERED.value,
    Status.WITHDRAWN: EventType.WITHDRAWN.value,
    Status.NOTIFIED: EventType.SUPPLEMENT_NOTIFIED.value,
}


def paper_holder(closed_as: str | None, handed_over: bool) -> Side | None:
    """Who files the paper of a case that closed by ``closed_as`` (an event type; None while still open)
    and was (``handed_over``) or never was given to the back office. None: no paper is kept."""
    if handed_over or closed_as == EventType.DELIVERED.value:  # 送达 follows a hand-over
        return Side.BACK_OFFICE
    if closed_as == EventType.SUPPLEMENT_NOTIFIED.value:
        return None
    return Side.WINDOW  # 即办件, 不予受理, withdrawn before any hand-over, or still open at the window


def window_files(closed_as: str | None, handed_over: bool) -> bool:
    """The window's own 归档 takes this closed case (its paper never left the window)."""
    return closed_as is not None and paper_holder(closed_as, handed_over) is Side.WINDOW


# The statuses in which the window may still have paper of its own to archive.
WINDOW_ARCHIVES = (Status.COMPLETED, Status.REFUSED, Status.WITHDRAWN)
