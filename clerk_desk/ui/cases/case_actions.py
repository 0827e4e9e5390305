"""What the case list and the case page do to a case, as plain calls for the task runner.

Transfer (流转后台) is the act at the window of handing cases and their paper to the back office
(services/transfer.py: one act, whichever page starts it). Printing a paper (and 补打) is ui/paper_print.py's.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from clerk_desk.store.database import Database
from clerk_desk.ui.session import DeskSession

if TYPE_CHECKING:
    from clerk_desk.domain.case_view import CaseView
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
