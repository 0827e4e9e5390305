"""What the case list and the case page do to a case, as plain calls for the task runner.

Transfer (流转后台) is the act at the window of handing cases and their paper to the back office
(services/transfer.py: one act, whichever page starts it); a reprint (补打) records the print first, so
the paper says 补打 and the record never misses a paper.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from clerk_desk.store.database import Database
from clerk_desk.ui.session import DeskSession

if TYPE_CHECKING:
    from clerk_desk.domain.case_view import CaseView
    from clerk_desk.forms.documents import Document
    from clerk_desk.services.intake import Clerk
    from clerk_desk.services.transfer import TransferReport

# The services that read and write cases (and with them SQLAlchemy) are imported in the calls, not with
# the case list: its first page is on the start-up path (store/sqlite_file.py).


def clerk_for(session: DeskSession) -> Clerk:
    w = session.window
    u = session.user
    from clerk_desk.services.intake import Clerk

    return Clerk(u.id, u.username, u.display_name, w.id if w else None, w.name if w else "")


def transfer_cases(db: Database, cases: Iterable[tuple[str, str]], clerk: Clerk,
                   now: datetime | None = None) -> TransferReport:  # fmt: skip
    """Hand each (uuid, case number) over; one case's refusal does not stop the others."""
    from clerk_desk.services.transfer import transfer_cases as transfer

    return transfer(db, cases, clerk, now=now)


def load_case(db: Database, uuid: str) -> CaseView:
    """The case as it is now: one read (services/case_read.py)."""
    from clerk_desk.services.case_read import read_case

    return read_case(db, uuid)


def prepare_reprint(db: Database, uuid: str, kind: str, paper: str, session: DeskSession) -> tuple[CaseView, int]:
    """Record the print, then read the case back: (case, reprint number to print on the paper)."""
    from clerk_desk.services import print_log

    reprint = print_log.record_print(db, uuid, kind, actor=session.user.username, paper=paper)
    return load_case(db, uuid), reprint


def reprint_document(case: CaseView, kind: str, reprint: int, session: DeskSession) -> Document:
    from clerk_desk.forms.case_documents import build_document

    w = session.window
    return build_document(
        kind, [case], site_name=session.site.site_name or "", window_name=w.name if w else "",
        clerk_name=session.user.display_name, reprint=reprint,
    )
