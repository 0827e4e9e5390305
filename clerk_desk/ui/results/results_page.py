"""The 结果通知 page: the results waiting at the window, with the phone to call, the item and since when; each
call is marked 已通知 (reached) or 未接通 (no answer) and recorded as ``applicant_notified``
(services/result_calls.py, docs/hall-operations.md). It follows the data (ui/case_watch.py).

Keys: Up/Down move, Ctrl+1 已通知, Ctrl+2 未接通; the note field is optional.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QWidget

from clerk_desk.domain.workdays import SHANGHAI
from clerk_desk.services import result_calls as rc
from clerk_desk.store.database import Database
from clerk_desk.ui import notify
from clerk_desk.ui.cases import case_sections as sec
from clerk_desk.ui.session import DeskSession
from clerk_desk.ui.task_runner import TaskRunner
from clerk_desk.ui.widgets import button, combo, dialog_layout, enter_clicks, label, line_edit

if TYPE_CHECKING:
    from clerk_desk.ui.pages import PageContext

TO_CALL, ALL = "to_call", "all"
MISSED_COLOUR = "#9a6200"


def _now() -> datetime:
    return datetime.now(UTC)


def waited_text(since: datetime | None, now: datetime) -> str:
    """How long the result has waited, in words a clerk reads at a glance (plain Chinese, not translated data)."""
    if since is None:
        return "—"
    minutes = max(0, int((now - since).total_seconds() // 60))
    if minutes < 60:
        return f"{minutes} 分钟"
    if minutes < 24 * 60:
        return f"{minutes // 60} 小时 {minutes % 60} 分"
    return f"{minutes // (24 * 60)} 天 {minutes % (24 * 60) // 60} 小时"


class ResultsPage(QWidget):
    loaded = Signal()

    def __init__(self, db: Database, runner: TaskRunner, session: DeskSession, *,
                 now: Callable[[], datetime] = _now, parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.setObjectName("resultsPage")
        self.db, self.runner, self.session, self.now = db, runner, session, now
        self.lines: list[rc.CallLine] = []
        layout = dialog_layout(self)
        heading = label(self.tr("Results back at the window: notify the applicants"), "resultsHeading", self)
        heading.setProperty("role", "heading")
        self.view: QComboBox = combo("resultsView", self)
        self.view.addItem(self.tr("Not yet reached"), TO_CALL)
        self.view.addItem(self.tr("All waiting for hand-over"), ALL)
        self.count = label("", "resultsCount", self)
        top = QHBoxLayout()
        top.addWidget(self.view)
        top.addStretch(1)
        top.addWidget(self.count)
        headers = [self.tr("Case number"), self.tr("Item"), self.tr("Applicant"), self.tr("Phone"),
                   self.tr("Back since"), self.tr("Waiting"), self.tr("Calls")]  # fmt: skip
        # the list is for calling: the phone is never cut; when room is short 返回时间 goes first (已等待 stays)
        self.table = sec.table("resultsTable", headers, self, stretch=1, whole=(3,), drop=(4,), number=0)
        self.table.setTabKeyNavigation(False)  # the arrows choose the applicant; Tab goes on to the note and buttons
        self.note = line_edit("resultsNote", self, placeholder=self.tr("Note on this call (optional)"))
        self.note.setMaxLength(rc.NOTE_MAX)
        self.reached_button = button(self.tr("Reached (Ctrl+1)"), "resultsReached", self)
        self.no_answer_button = button(self.tr("No answer (Ctrl+2)"), "resultsNoAnswer", self)
        self.message = label("", "resultsMessage", self, wrap=True)
        bar = QHBoxLayout()
        bar.addWidget(self.note, 1)
        bar.addWidget(self.reached_button)
        bar.addWidget(self.no_answer_button)
        layout.addWidget(heading)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(bar)
        layout.addWidget(self.message)
        self.view.currentIndexChanged.connect(lambda _i: self.refresh())
        self.table.itemSelectionChanged.connect(self._selection_changed)
        enter_clicks(self, self.reached_button, self.no_answer_button)
        self.reached_button.clicked.connect(lambda: self.record(rc.REACHED))
        self.no_answer_button.clicked.connect(lambda: self.record(rc.NO_ANSWER))
        for key, outcome in (("Ctrl+1", rc.REACHED), ("Ctrl+2", rc.NO_ANSWER)):
            sc = QShortcut(QKeySequence(key), self, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
            sc.activated.connect(partial(self.record, outcome))
        self._selection_changed()
        self.refresh()

    # ---- reading ---------------------------------------------------------------------------------

    def refresh(self) -> None:
        call = partial(rc.call_list, self.db, include_reached=self.view.currentData() == ALL)
        self.runner.submit(call, on_done=self._show, on_error=lambda exc: notify.show_error(self, exc))

    def cases_changed(self, _uuids: frozenset[str]) -> None:
        """A result came back, a call was recorded or the result handed over, here or on another PC."""
        self.refresh()

    def _show(self, lines: list[rc.CallLine]) -> None:
        current = self.current()
        chosen = current.uuid if current else None
        self.lines = lines
        now = self.now()
        rows, colours = [], []
        for line in lines:
            last = line.last
            calls = ""
            if last is not None:
                calls = self.tr("{0} at {1}").format(
                    last.outcome_zh, last.at.astimezone(SHANGHAI).strftime("%m-%d %H:%M")
                )
                if line.missed:
                    calls += self.tr(" (no answer ×{0})").format(line.missed)
            since = line.since.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M") if line.since else "—"
            rows.append([line.case_number, line.item_name, line.applicant_name, line.phone or self.tr("(none)"),
                         since, waited_text(line.since, now), calls])  # fmt: skip
            colours.append(MISSED_COLOUR if line.missed and not line.reached else None)
        sec.fill(self.table, rows, colours, colour_column=6)
        self.count.setText(self.tr("%n to notify", "", sum(1 for line in lines if not line.reached)))
        keep = next((i for i, line in enumerate(lines) if line.uuid == chosen), 0 if lines else -1)
        if keep >= 0:
            sec.select_row(self.table, keep)
        self._selection_changed()
        self.loaded.emit()

    def current(self) -> rc.CallLine | None:
        model = self.table.selectionModel()
        rows = model.selectedRows() if model else []
        if not rows or rows[0].row() >= len(self.lines):
            return None
        return self.lines[rows[0].row()]

    def _selection_changed(self) -> None:
        enabled = self.current() is not None
        self.reached_button.setEnabled(enabled)
        self.no_answer_button.setEnabled(enabled)

    # ---- acting ----------------------------------------------------------------------------------

    def record(self, outcome: str) -> None:
        line = self.current()
        if line is None:
            return
        call = partial(rc.record_call, self.db, line.uuid, actor=self.session.user.username, outcome=outcome,
                       note=self.note.text(), now=self.now())  # fmt: skip
        self.runner.submit(call, on_done=lambda _r: self._recorded(line, outcome),
                           on_error=lambda exc: notify.show_error(self, exc))  # fmt: skip

    def _recorded(self, line: rc.CallLine, outcome: str) -> None:
        self.note.clear()
        self.message.setText(self.tr("{0}: {1}").format(line.case_number, rc.OUTCOME_ZH[outcome]))
        self.refresh()


def make_page(ctx: PageContext) -> QWidget:
    """The page registry's factory."""
    return ResultsPage(ctx.db, ctx.runner, ctx.session, parent=ctx.parent)
