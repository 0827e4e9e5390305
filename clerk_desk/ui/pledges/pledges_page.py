"""The 容缺跟进 page: the pledges still open (or only the overdue ones), the material arriving, and the reminder
slip for the applicant (docs/hall-operations.md, "容缺 pledges").

At a window the page first notes ``pledge_overdue`` on the pledges of this desk's cases that are past their
date (services/pledges.note_overdue), then lists. On an approver PC it lists the departments served and
records the material as brought to the back office. It follows the data (ui/case_watch.py).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QDialog, QFormLayout, QHBoxLayout, QWidget

from clerk_desk.domain.lifecycle import Side
from clerk_desk.services import pledges
from clerk_desk.store.database import Database
from clerk_desk.ui import notify
from clerk_desk.ui.cases import case_sections as sec
from clerk_desk.ui.paper_print import PaperPrintControls
from clerk_desk.ui.session import DeskSession
from clerk_desk.ui.task_runner import TaskRunner
from clerk_desk.ui.widgets import (
    button,
    combo,
    dialog_layout,
    enter_presses_focused,
    label,
    line_edit,
    plain_label,
    plain_title,
)

if TYPE_CHECKING:
    from clerk_desk.ui.pages import PageContext

OPEN, OVERDUE = "open", "overdue"
LATE_COLOUR = "#b03a2e"


def _now() -> datetime:
    return datetime.now(UTC)


def load(db: Database, overdue_only: bool, actor: str | None, serves: tuple[tuple[str, str], ...] | None,
         now: datetime) -> list[pledges.PledgeLine]:  # fmt: skip
    """On a worker: note what became overdue (at a window), then read the lines."""
    if actor is not None:
        pledges.note_overdue(db, actor=actor, now=now)
    return pledges.pledge_lines(db, now, overdue_only=overdue_only, serves=serves)


def served(db: Database, user_id: str) -> tuple[tuple[str, str], ...]:
    from clerk_desk.services.approvals import served_pairs

    return tuple(served_pairs(db, user_id))


class ArrivedDialog(QDialog):
    """材料已补齐: which case, what was owed, an optional note."""

    def __init__(self, line: pledges.PledgeLine, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pledgeArrivedDialog")
        self.setWindowTitle(self.tr("Owed material arrived"))
        self.setMinimumWidth(420)
        form = QFormLayout()
        form.addRow(self.tr("Case"), plain_label(line.case_number, "pledgeArrivedCase", self))
        form.addRow(self.tr("Item"), plain_label(line.item_name, "pledgeArrivedItem", self, wrap=True))
        form.addRow(
            self.tr("Materials"),
            plain_label("、".join(line.materials), "pledgeArrivedMaterials", self, wrap=True),
        )
        self.note = line_edit(
            "pledgeArrivedNote", self, placeholder=self.tr("Optional: e.g. original checked")
        )
        self.note.setMaxLength(pledges.NOTE_MAX)
        form.addRow(self.tr("Note"), self.note)
        self.ok = button(self.tr("Record as arrived"), "pledgeArrivedOk", self, default=True)
        self.cancel = button(self.tr("Cancel"), "pledgeArrivedCancel", self)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.cancel)
        row.addWidget(self.ok)
        layout = dialog_layout(self)
        layout.addLayout(form)
        layout.addLayout(row)
        self.ok.clicked.connect(self.accept)
        self.cancel.clicked.connect(self.reject)
        enter_presses_focused(self)  # Tab to 取消 and Enter cancels (it pressed the act)


class PledgesPage(QWidget):
    loaded = Signal()

    def __init__(
        self,
        db: Database,
        runner: TaskRunner,
        session: DeskSession,
        *,
        now: Callable[[], datetime] = _now,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("pledgesPage")
        self.db, self.runner, self.session, self.now = db, runner, session, now
        self.side = Side.BACK_OFFICE if session.is_approver_mode else Side.WINDOW
        self.lines: list[pledges.PledgeLine] = []
        self.serves: tuple[tuple[str, str], ...] | None = None
        # injectable for tests: the dialog (returns the note, or None when cancelled)
        self.ask_arrived: Callable[[pledges.PledgeLine], str | None] = self._ask_arrived
        layout = dialog_layout(self)
        heading = label(self.tr("容缺 follow-up: materials still owed"), "pledgesHeading", self)
        heading.setProperty("role", "heading")
        self.view: QComboBox = combo("pledgesView", self)
        self.view.addItem(self.tr("All still owed"), OPEN)
        self.view.addItem(self.tr("Overdue"), OVERDUE)
        self.count = label("", "pledgesCount", self)
        top = QHBoxLayout()
        top.addWidget(self.view)
        top.addStretch(1)
        top.addWidget(self.count)
        self.table = sec.table(
            "pledgesTable",
            [
                self.tr("Case number"),
                self.tr("Item"),
                self.tr("Applicant"),
                self.tr("Owed materials"),
                self.tr("Owed by"),
                self.tr("State"),
            ],
            self,
            stretch=1,
            number=0,
        )
        self.arrived_button = button(self.tr("Material arrived…"), "pledgesArrived", self)
        self.remind = PaperPrintControls(
            db,
            runner,
            session,
            "pledge_reminder",
            self.tr("Print reminder slip"),
            "pledgesRemind",
            "pledgesPaper",
            side=self.side,
            parent=self,
        )
        self.message = label("", "pledgesMessage", self, wrap=True)
        bar = QHBoxLayout()
        bar.addWidget(self.message, 1)
        bar.addWidget(self.remind)
        bar.addWidget(self.arrived_button)
        layout.addWidget(heading)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(bar)
        self.view.currentIndexChanged.connect(lambda _i: self.refresh())
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.table.itemActivated.connect(lambda _i: self.record_arrived())
        self.arrived_button.clicked.connect(self.record_arrived)
        self.remind.printed.connect(self._printed)
        self._selection_changed()
        if session.is_approver_mode:
            runner.submit(served, db, session.user.id, on_done=self._serves_read)
        else:
            self.refresh()

    def _serves_read(self, pairs: tuple[tuple[str, str], ...]) -> None:
        self.serves = pairs
        self.refresh()

    # ---- reading ---------------------------------------------------------------------------------

    def refresh(self) -> None:
        if self.session.is_approver_mode and self.serves is None:
            return  # the served departments are still being read
        actor = None if self.session.is_approver_mode else self.session.user.username
        self.runner.submit(
            load,
            self.db,
            self.view.currentData() == OVERDUE,
            actor,
            self.serves,
            self.now(),
            on_done=self._show,
            on_error=lambda exc: notify.show_error(self, exc),
        )

    def cases_changed(self, _uuids: frozenset[str]) -> None:
        """A pledge closed or was recorded here or on another PC (ui/case_watch.py)."""
        self.refresh()

    def _show(self, lines: list[pledges.PledgeLine]) -> None:
        current = self.current()
        chosen = current.uuid if current else None
        self.lines = lines
        rows, colours = [], []
        for line in lines:
            late = line.days_late > 0
            state = self.tr("Overdue by %n day(s)", "", line.days_late) if late else self.tr("Not yet due")
            rows.append(
                [
                    line.case_number,
                    line.item_name,
                    line.applicant_name,
                    "、".join(line.materials),
                    line.due.isoformat() if line.due else "—",
                    state,
                ]
            )
            colours.append(LATE_COLOUR if late else None)
        sec.fill(self.table, rows, colours, colour_column=5)
        self.count.setText(self.tr("%n pledge(s)", "", len(lines)))
        keep = next((i for i, line in enumerate(lines) if line.uuid == chosen), 0 if lines else -1)
        if keep >= 0:
            sec.select_row(self.table, keep)
        self._selection_changed()
        self.loaded.emit()

    def current(self) -> pledges.PledgeLine | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows or rows[0].row() >= len(self.lines):
            return None
        return self.lines[rows[0].row()]

    def _selection_changed(self) -> None:
        line = self.current()
        self.arrived_button.setEnabled(line is not None)
        self.remind.set_case(line.uuid if line else None)

    # ---- acting ----------------------------------------------------------------------------------

    def _ask_arrived(self, line: pledges.PledgeLine) -> str | None:
        dialog = ArrivedDialog(line, self)
        dialog.setWindowTitle(plain_title(dialog.windowTitle()))
        return dialog.note.text() if dialog.exec() == QDialog.DialogCode.Accepted else None

    def record_arrived(self) -> None:
        line = self.current()
        if line is None:
            return
        note = self.ask_arrived(line)
        if note is None:
            return
        call = partial(
            pledges.record_arrived,
            self.db,
            line.uuid,
            actor=self.session.user.username,
            side=self.side,
            note=note,
            now=self.now(),
        )
        self.runner.submit(
            call, on_done=lambda _r: self._arrived(line), on_error=lambda exc: notify.show_error(self, exc)
        )

    def _arrived(self, line: pledges.PledgeLine) -> None:
        self.message.setText(self.tr("Recorded: the material for {0} arrived").format(line.case_number))
        self.refresh()

    def _printed(self, _uuid: str, title: str) -> None:
        if title:
            self.message.setText(self.tr("Printed: {0}").format(title))


def make_page(ctx: PageContext) -> QWidget:
    """The page registry's factory."""
    return PledgesPage(ctx.db, ctx.runner, ctx.session, parent=ctx.parent)
