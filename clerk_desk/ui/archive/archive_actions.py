"""What the 归档 page asks of the services, as plain calls for the task runner (no widgets here).

The hand-over lists are built from what was archived (or, for a reprint, what is archived) and handed
back to the page, which prints them on the GUI thread.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from clerk_desk.services import archive
from clerk_desk.services.case_rows import CaseRow
from clerk_desk.services.intake import Clerk
from clerk_desk.store.database import Database

if TYPE_CHECKING:
    from clerk_desk.forms.archive_list import ArchiveList


@dataclass(frozen=True)
class Paperwork:
    """Who prints the list, and where."""

    site_name: str
    window_name: str
    clerk_name: str
    demo: bool = False  # a demo site: the lists say 演示


def closed_at(c: CaseRow) -> datetime:
    """When a case of the archive closed: it lists closed cases only (services/archive.py)."""
    assert c.closed_at is not None, c.uuid
    return c.closed_at


def load_day(db: Database, site_code: str, day: date) -> archive.ArchiveDay:
    return archive.closed_on(db, site_code, day)


def hand_over_list(department: str, day: date, cases: Iterable[CaseRow], who: Paperwork,
                   printed_at: datetime, *, reprint: bool = False) -> ArchiveList:
    from clerk_desk.forms.archive_list import ArchiveLine, ArchiveList
    from clerk_desk.forms.documents import Applicant

    lines = tuple(
        ArchiveLine(c.case_number, c.item_name, Applicant(c.applicant_name, c.applicant_id_number, c.applicant_is_organisation),
                    c.closed_as_zh, closed_at(c), c.materials_text)
        for c in cases
    )
    return ArchiveList(who.site_name, department, day, who.window_name, who.clerk_name, lines, printed_at,
                       reprint=reprint, demo=who.demo)


def archive_and_list(
    db: Database, clerk: Clerk, site_code: str, day: date, selection: Mapping[str, Sequence[str]], who: Paperwork,
) -> tuple[archive.ArchiveReport, list[ArchiveList]]:
    """Archive each department's ticked cases (one transaction each); the lists of what was archived."""
    report = archive.archive_day(db, clerk, site_code, day, selection)
    now = datetime.now(UTC)
    return report, [hand_over_list(b.department_name, day, b.cases, who, now) for b in report.done]


def archived_lists(db: Database, site_code: str, day: date, department: str | None, who: Paperwork) -> list[ArchiveList]:
    """The lists of the day's cases already archived (one department, or all), to print again."""
    now = datetime.now(UTC)
    return [
        hand_over_list(g.name, day, [c for c in g.cases if c.archived], who, now, reprint=True)
        for g in archive.closed_on(db, site_code, day).groups
        if (department is None or g.code == department) and any(c.archived for c in g.cases)
    ]
