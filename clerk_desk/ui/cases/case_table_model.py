"""The case list's table model: keyset pages of CaseRow fetched lazily through the task runner.

``set_query(view, text)`` starts a new generation: the search text is resolved (item names to catalog
codes) and the first page is read off the GUI thread; results of an older generation are dropped, so
a slow answer to an earlier filter never overwrites a newer one. The view asks for more rows as it
scrolls (canFetchMore / fetchMore), one page at a time, from the last row's key. A one-second timer
repaints the transfer countdown column only (dataChanged on that column; no database access).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, QTimer
from PySide6.QtGui import QBrush, QColor, QFont

from clerk_desk.services import case_queries as q
from clerk_desk.store.database import Database
from clerk_desk.ui.cases.case_format import (
    Urgency,
    countdown,
    due_overdue,
    grouped_number,
    local_text,
)
from clerk_desk.ui.keyset_model import KeysetTableModel
from clerk_desk.ui.task_runner import TaskRunner
from clerk_desk.ui.widgets import plain_tooltip

Index = QModelIndex | QPersistentModelIndex
Key = tuple[datetime, str]
UUID_ROLE = Qt.ItemDataRole.UserRole
URGENCY_ROLE = Qt.ItemDataRole.UserRole + 1  # "", "amber" or "red" (countdown and due columns)
COL_NUMBER, COL_ITEM, COL_DEPT, COL_APPLICANT, COL_STATUS, COL_CREATED, COL_TRANSFER, COL_DUE = range(8)
PAGE_SIZE = 100


def utcnow() -> datetime:
    return datetime.now(UTC)

_ID_OR_NUMBER = re.compile(r"^[\d\sXx\-]+$|^[A-Z0-9]{3,12}[- ]")
COLOURS = {
    Urgency.AMBER: (QColor("#7a4b00"), QColor("#ffe8a8")),
    Urgency.RED: (QColor("#ffffff"), QColor("#c0392b")),
}
DUE_RED = QColor("#b03a2e")
DISPLAY, TOOLTIP, FONT, ALIGN, FOREGROUND, BACKGROUND = (
    int(r) for r in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.FontRole,
                     Qt.ItemDataRole.TextAlignmentRole, Qt.ItemDataRole.ForegroundRole,
                     Qt.ItemDataRole.BackgroundRole)
)
_NOTHING = frozenset(int(r) for r in (
    Qt.ItemDataRole.DecorationRole, Qt.ItemDataRole.CheckStateRole, Qt.ItemDataRole.SizeHintRole,
    Qt.ItemDataRole.EditRole, Qt.ItemDataRole.StatusTipRole, Qt.ItemDataRole.WhatsThisRole,
))
_CENTRE = int(Qt.AlignmentFlag.AlignCenter)
_BRUSHES = {u: (QBrush(fg), QBrush(bg)) for u, (fg, bg) in COLOURS.items()}
_DUE_BRUSH = QBrush(DUE_RED)


@lru_cache(maxsize=1)
def _bold() -> QFont:
    font = QFont()
    font.setBold(True)
    return font


def resolve_filter(db: Database, view: q.WindowView, text: str, now: datetime) -> q.CaseFilter:
    """The filter for a tab and what the clerk typed: item words become catalog item codes."""
    text = text.strip()
    codes: tuple[str, ...] = ()
    if len(text) >= 2 and not _ID_OR_NUMBER.match(text.upper()):
        # Loaded on the first item search (a worker thread), not when the desk opens the case list.
        from clerk_desk.services import catalog_service

        codes = tuple(i.code for i in catalog_service.search(db, text, include_retired=True, limit=20))
    return q.window_filter(view, now=now, text=text, item_codes=codes)


def first_page(db: Database, view: q.WindowView, text: str, limit: int, now: datetime) -> tuple[q.CaseFilter, q.Page]:
    f = resolve_filter(db, view, text, now)
    return f, q.page(db, f, limit=limit, now=now, events=False)  # the columns need only the case row


def next_page(db: Database, f: q.CaseFilter, after: Key, limit: int, now: datetime) -> q.Page:
    return q.page(db, f, after=after, limit=limit, now=now, events=False)


class CaseTableModel(KeysetTableModel[q.CaseRow]):
    def __init__(
        self, db: Database, runner: TaskRunner, *, now: Callable[[], datetime] = utcnow,
        page_size: int = PAGE_SIZE, parent: Any = None,
    ) -> None:
        super().__init__(db, runner, [], page_size=page_size, parent=parent)
        self.now = now
        self.headers = [
            self.tr("Case number"), self.tr("Item"), self.tr("Department"), self.tr("Applicant"),
            self.tr("Status"), self.tr("Accepted at"), self.tr("Transfer in"), self.tr("Due"),
        ]
        self.view, self.text = q.WindowView.ALL, ""
        self._filter = q.CaseFilter()
        self._ticking_rows = 0
        self.timer = QTimer(self)
        self.timer.setInterval(1000)
        self.timer.timeout.connect(self.tick)

    # -- loading -------------------------------------------------------------------------------
    @property
    def filter(self) -> q.CaseFilter:
        return self._filter

    def set_query(self, view: q.WindowView, text: str) -> None:
        """Show ``view`` filtered by ``text``; answers to earlier queries are ignored from now on."""
        self.view, self.text = view, text.strip()
        self._load_first(first_page, self.db, view, text, self.page_size, self.now())

    def refresh(self) -> None:
        self.set_query(self.view, self.text)

    def _accept_first(self, result: tuple[q.CaseFilter, q.Page]) -> q.Page:
        self._filter, page = result  # the filter with the item codes the text matched
        return page

    def _next_call(self, after: Key) -> tuple[Callable[..., Any], tuple[Any, ...]]:
        return next_page, (self.db, self._filter, after, self.page_size, self.now())

    def _refresh_call(self, limit: int) -> tuple[Callable[..., Any], tuple[Any, ...]] | None:
        return first_page, (self.db, self.view, self.text, limit, self.now())

    def _after_load(self) -> None:
        now = self.now()
        self._ticking_rows = sum(1 for r in self._rows if countdown(r, now) is not None)
        self.run_while(self.timer, bool(self._ticking_rows))

    def tick(self) -> None:
        """Repaint the countdown column (the clock moved; the rows did not)."""
        self.repaint_column(COL_TRANSFER)

    # -- reading -------------------------------------------------------------------------------
    def urgency(self, row: int, column: int) -> Urgency:
        r = self._rows[row]
        if column == COL_TRANSFER:
            c = countdown(r, self.now())
            return c.urgency if c else Urgency.NONE
        if column == COL_DUE and due_overdue(r.status, r.due_at, self.now()):
            return Urgency.RED
        return Urgency.NONE

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        # Called for every visible cell and role on each paint: the common answers come first and cheap.
        if role == DISPLAY:
            col = index.column()
            if col == COL_TRANSFER:
                c = countdown(self._rows[index.row()], self.now())
                return c.text if c else ""
            return self._texts[index.row()][col]
        if role in _NOTHING:
            return None
        col = index.column()
        if role == ALIGN:
            return _CENTRE if col >= COL_CREATED else None
        if role == UUID_ROLE:
            return self._rows[index.row()].uuid
        if role == URGENCY_ROLE:
            return self.urgency(index.row(), col).value
        if role == TOOLTIP:
            tip = self._tooltip(self._rows[index.row()], col)
            if col == COL_TRANSFER:  # the ticking text is not in _texts: put it with the deadline
                c = countdown(self._rows[index.row()], self.now())
                text = "\n".join(t for t in (c.text if c else "", tip or "") if t)
                return plain_tooltip(text) if text else None
            return self.cell_tip(index.row(), col, tip)
        if col < COL_TRANSFER:
            return None
        urgency = self.urgency(index.row(), col)
        if not urgency:
            return None
        if role == FONT:
            return _bold()
        if col == COL_TRANSFER and role in (FOREGROUND, BACKGROUND):
            return _BRUSHES[urgency][role == BACKGROUND]
        if col == COL_DUE and role == FOREGROUND:
            return _DUE_BRUSH
        return None

    def _text_row(self, r: q.CaseRow) -> tuple[str, ...]:
        return (
            r.case_number or self.tr("(no number)"),
            self.tr("[Urgent] {0}").format(r.item_name) if r.urgent else r.item_name,  # 5-minute hand-over
            r.department_name, r.applicant_name,
            r.status_zh, local_text(r.created_at), "", local_text(r.due_at, "%Y-%m-%d"),
        )

    def _tooltip(self, r: q.CaseRow, col: int) -> str | None:
        if col == COL_NUMBER and r.case_number:
            return grouped_number(r.case_number)
        if col == COL_STATUS and r.pending_events:
            return self.tr("{0} change(s) not yet uploaded to the county hub").format(r.pending_events)
        if col == COL_TRANSFER and r.transfer_due_at is not None:
            return self.tr("Hand over by {0}").format(local_text(r.transfer_due_at, "%H:%M:%S"))
        if col == COL_DUE and r.status == "paused":
            return self.tr("{0} is the date before the clock stopped (特别程序); it moves later by the paused working "
                           "days when resumed").format(local_text(r.due_at, "%Y-%m-%d"))
        if col == COL_DUE and r.due_provisional:
            return self.tr("{0}: counted on weekends only; to be checked when the holiday calendar is "
                           "published").format(local_text(r.due_at, "%Y-%m-%d"))
        return None
