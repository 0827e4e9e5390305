"""What the case list and the case page do to a case, as plain calls for the task runner.

Transfer (流转后台) is the act at the window of handing the case and its paper to the back office.
Printing a paper (and 补打) is ui/paper_print.py's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from clerk_desk.domain.errors import ClerkDeskError
from clerk_desk.services import case_queries as q
from clerk_desk.store.database import Database
from clerk_desk.ui.session import DeskSession

if TYPE_CHECKING:
    from clerk_desk.services.intake import CaseOutcome, Clerk

# The services that write (and with them SQLAlchemy) are imported in the calls, not with the case list:
# its first page is on the start-up path (store/sqlite_file.py).


def clerk_for(session: DeskSession) -> Clerk:
    w = session.window
    u = session.user
    from clerk_desk.services.intake import Clerk

    return Clerk(u.id, u.username, u.display_name, w.id if w else None, w.name if w else "")


@dataclass
class TransferReport:
    done: list[CaseOutcome] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (case number or uuid, message)


def transfer_cases(db: Database, cases: list[tuple[str, str]], clerk: Clerk, now: datetime | None = None) -> TransferReport:
    """Transfer each (uuid, case number); one case's refusal does not stop the others."""
    from clerk_desk.services.intake import IntakeService

    svc = IntakeService(db)
    report = TransferReport()
    for uuid, number in cases:
        try:
            report.done.append(svc.transfer(uuid, clerk, now=now))
        except ClerkDeskError as exc:
            report.failed.append((number or uuid, exc.message_zh))
    return report


@dataclass(frozen=True)
class CaseDetail:
    case: dict[str, Any]
    timeline: list[q.TimelineEntry]
    names: dict[str, str]  # username -> display name


def load_case(db: Database, uuid: str) -> CaseDetail:
    from clerk_desk.services import accounts

    names = {u.username: u.display_name for u in accounts.list_users(db)}
    case, timeline = q.get_case(db, uuid), q.timeline(db, uuid)
    kinds = {e.type for e in timeline}
    case["decided"], case["handed_over"] = "decided" in kinds, "delivered" in kinds  # papers after the decision
    handed = [e.at for e in timeline if e.type in ("transferred", "retransferred")]
    case["transferred_at"] = handed[-1] if handed else None  # the header says when, once handed over
    return CaseDetail(case, timeline, names)


RESULT_BACK = ("result_at_window", "delivered", "archived")


def documents_for(case: dict[str, Any]) -> list[str]:
    """The papers this case has (print_log.DOCUMENT_KINDS keys), the outcome's own first."""
    details = case.get("details") or {}
    kinds = []
    for key, kind in (("completed", "result_slip"), ("notified", "supplement_notice"), ("refused", "refusal_notice")):
        if key in details:
            kinds.append(kind)
    if case.get("accepted_at") is not None:
        kinds.append("receipt")
        if details.get("pledge"):
            kinds.append("pledge")
    from clerk_desk.forms.case_documents import DOCUMENT_FOR_STATUS

    if not kinds and case.get("status") in DOCUMENT_FOR_STATUS:
        kinds.append(DOCUMENT_FOR_STATUS[case["status"]])
    if case.get("handed_over"):
        kinds.insert(0, "handover_receipt")
    if case.get("decided") and case.get("status") in RESULT_BACK:  # reprintable once the result is back
        kinds.insert(0, "decision_letter")
    return kinds
