"""The inbox table: keyset pages of the list's rows (services/case_rows.CaseRow) fetched lazily through
the task runner.

``set_query(view, text)`` starts a new generation; answers to an older one are dropped. The view asks
for more rows as it scrolls (canFetchMore / fetchMore). The due column is amber at one working day or
less, red when overdue; the hand-over column is red when the window handed the case over late. For a case
waiting to be signed for, the hand-over column is the 签收 countdown against the county's minutes (amber in
their last quarter, red once past), repainted each second while any row shows one (no database access).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import QCoreApplication, QModelIndex, QPersistentModelIndex, Qt, QTimer
from PySide6.QtGui import QBrush, QColor, QFont

from clerk_desk.domain.lifecycle import Status
from clerk_desk.services import inbox
from clerk_desk.services.case_queries import Page
from clerk_desk.services.case_rows import CaseRow
from clerk_desk.store.database import Database
from clerk_desk.ui.cases.case_format import Countdown, grouped_number
from clerk_desk.ui.cases.case_table_model import utcnow
from clerk_desk.ui.inbox import inbox_actions as act
from clerk_desk.ui.inbox.inbox_format import (
    days_text,
    decision_text,
    sign_countdown,
    sign_limit_text,
    supplement_clock_text,
    transfer_text,
)
from clerk_desk.ui.keyset_model import KeysetTableModel
from clerk_desk.ui.task_runner import TaskRunner
from clerk_desk.ui.widgets import plain_tooltip

Index = QModelIndex | QPersistentModelIndex
COL_NUMBER, COL_ITEM, COL_DEPT, COL_APPLICANT, COL_STATUS, COL_TRANSFER, COL_DUE, COL_DECISION = range(8)
PAGE_SIZE = 100
URGENCY_ROLE = Qt.ItemDataRole.UserRole + 1
COLOURS = {"amber": (QColor("#7a4b00"), QColor("#ffe8a8")), "red": (QColor("#ffffff"), QColor("#c0392b"))}
LATE = QColor("#b03a2e")


class InboxTableModel(KeysetTableModel[CaseRow]):
    def __init__(
        self, db: Database, runner: TaskRunner, user_id: str, *, now: Callable[[], datetime] = utcnow,
        page_size: int = PAGE_SIZE, parent: Any = None,
    ) -> None:
        super().__init__(db, runner, [], page_size=page_size, parent=parent)
        self.user_id, self.now = user_id, now
        self.headers = [
            self.tr("Case number"), self.tr("Item"), self.tr("Department"), self.tr("Applicant"),
            self.tr("Status"), self.tr("Handed over"), self.tr("Due (working days left)"), self.tr("Decision"),
        ]
        self.query = act.Query(inbox.InboxView.TO_SIGN, (), "")
        font = QFont()
        font.setBold(True)
        self._bold = font
        self.timer = QTimer(self)  # the 签收 countdowns tick
        self.timer.setInterval(1000)
        self.timer.timeout.connect(self.tick)

    # -- loading -------------------------------------------------------------------------------
    def set_query(self, view: inbox.InboxView, text: str) -> None:
        self._load_first(act.first_page, self.db, self.user_id, view, text, self.page_size, self.now())

    def _accept_first(self, result: tuple[act.Query, Page]) -> Page:
        self.query, page = result
        return page

    def _next_call(self, after: tuple[datetime, str]) -> tuple[Callable[..., Any], tuple[Any, ...]]:
        return act.next_page, (self.db, self.query, after, self.page_size, self.now())

    def _refresh_call(self, limit: int) -> tuple[Callable[..., Any], tuple[Any, ...]] | None:
        q = self.query
        return act.first_page, (self.db, self.user_id, q.view, q.text, limit, self.now())

    def _after_load(self) -> None:
        now = self.now()
        self.run_while(self.timer, any(self.sign_clock(r, now) is not None for r in self._rows))

    def tick(self) -> None:
        """Repaint the hand-over column (the 签收 clock moved; the rows did not)."""
        self.repaint_column(COL_TRANSFER)

    def sign_clock(self, r: CaseRow, now: datetime) -> Countdown | None:
        return sign_countdown(r.status, r.transfer, self.query.sign_minutes, now)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        r, col = self._rows[index.row()], index.column()
        sign = self.sign_clock(r, self.now()) if col == COL_TRANSFER else None
        if role == Qt.ItemDataRole.DisplayRole:
            return sign.text if sign else self._texts[index.row()][col]
        if role == Qt.ItemDataRole.UserRole:
            return r.uuid
        if role == URGENCY_ROLE:
            if sign:
                return sign.urgency.value
            return r.urgency if col == COL_DUE else ("red" if col == COL_TRANSFER and late(r) else "")
        if role == Qt.ItemDataRole.ToolTipRole:
            if sign:  # the ticking text is not in _texts: the countdown, the limit, then the hand-over
                return plain_tooltip("\n".join((sign.text, sign_limit_text(self.query.sign_minutes),
                                                 QCoreApplication.translate("Inbox", "Handed over: {0}").format(
                                                     transfer_text(r.transfer)))))
            return self.cell_tip(index.row(), col, self._tooltip(index.row(), col))
        if sign and sign.urgency:
            return self._urgency_look(role, sign.urgency.value)
        if col == COL_DUE and r.urgency:
            return self._urgency_look(role, r.urgency)
        if col == COL_STATUS and r.withdrawal_requested:  # 撤回申请中: stands out in every view
            if role == Qt.ItemDataRole.ForegroundRole:
                return QBrush(LATE)
            if role == Qt.ItemDataRole.FontRole:
                return self._bold
        if col == COL_TRANSFER and not sign and late(r) and role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(LATE)
        return None

    def _urgency_look(self, role: int, urgency: str) -> Any:
        """An amber or red cell: its ink, its ground and bold type."""
        fg, bg = COLOURS[urgency]
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(fg)
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(bg)
        return self._bold if role == Qt.ItemDataRole.FontRole else None

    def _tooltip(self, row: int, col: int) -> str | None:
        r = self._rows[row]
        if col == COL_NUMBER and r.case_number:
            return grouped_number(r.case_number)
        if col == COL_STATUS and r.withdrawal_requested:
            return self.tr("The window asked to withdraw this case: {0}").format(r.withdrawal_reason)
        if col == COL_DUE and r.status == Status.SUPPLEMENT_REQUESTED:
            return supplement_clock_text()
        if col == COL_STATUS and r.pending_events:
            return self.tr("{0} change(s) not yet uploaded to the county hub").format(r.pending_events)
        return None

    def _text_row(self, r: CaseRow) -> tuple[str, ...]:
        return (
            r.case_number or self.tr("(no number)"),
            # 【急】 as the window's list marks it: an urgent item is one the applicant waits on
            QCoreApplication.translate("CaseTableModel", "[Urgent] {0}").format(r.item_name) if r.urgent
            else r.item_name,
            r.department_name, r.applicant_name,
            r.status_zh, transfer_text(r.transfer), days_text(r, r.status), decision_text(r.decision),
        )


def late(r: CaseRow) -> bool:
    """The window handed the case over after its 5 / 15 minutes."""
    return r.transfer is not None and r.transfer.late
