"""The window is told when a result comes back (docs/hall-operations.md, "Results ready"): a notice above the
pages names the case, the item and the applicant, flashes the window in the task bar, and opens the call list.

It follows the data (ui/case_watch.py): when cases change (a pull brought ``result_returned``), it asks which of
them now wait at the window with nobody reached yet. Each case is announced once per sign-in; at sign-in the
results already waiting are announced together (:meth:`ResultsNotice.read_waiting`, which the start-up flow
calls once the first page is up: a plain-SQL read of the case rows, docs/performance.md).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QApplication, QFrame, QHBoxLayout, QWidget

from clerk_desk.store.database import Database
from clerk_desk.ui.task_runner import TaskRunner
from clerk_desk.ui.widgets import button, label

if TYPE_CHECKING:
    from clerk_desk.services.result_calls import Waiting

NOTICE_QSS = "QFrame#resultsNotice { background: #fff4d6; border: 1px solid #e0b040; border-radius: 4px; }"


def _waiting(db: Database) -> list[Waiting]:
    from clerk_desk.services import result_calls  # (its case views are not needed to draw the window)

    return result_calls.waiting(db)


def _arrived_among(db: Database, uuids: frozenset[str]) -> list[Waiting]:
    from clerk_desk.services import result_calls

    return [result_calls.Waiting.of(line) for line in result_calls.arrived(db, uuids)]


class ResultsNotice(QFrame):
    openList = Signal()  # noqa: N815 (Qt signal)

    def __init__(self, db: Database, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("resultsNotice")
        self.setStyleSheet(NOTICE_QSS)
        self.db, self.runner = db, runner
        self.announced: set[str] = set()
        self.waiting: list[Waiting] = []  # announced and not yet dismissed
        self.text = label("", "resultsNoticeText", self, wrap=True)
        self.open_button = button(self.tr("Open the call list"), "resultsNoticeOpen", self)
        self.dismiss_button = button(self.tr("Dismiss"), "resultsNoticeDismiss", self)
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 6, 10, 6)
        row.addWidget(self.text, 1)
        row.addWidget(self.open_button)
        row.addWidget(self.dismiss_button)
        self.open_button.clicked.connect(self._open)
        self.dismiss_button.clicked.connect(self.dismiss)
        self.setVisible(False)

    def read_waiting(self) -> None:
        """Announce the results already waiting at the window (once, at sign-in)."""
        self.runner.submit(_waiting, self.db, on_done=self._arrived)

    def cases_changed(self, uuids: frozenset[str]) -> None:
        fresh = uuids - self.announced
        # a case named on the notice may have left the wait since (已通知 recorded, 出件, withdrawn)
        named = uuids & {line.uuid for line in self.waiting}
        if fresh or named:
            self.runner.submit(_arrived_among, self.db, fresh | named,
                               on_done=lambda lines: self._still_waiting(named, lines))

    def _still_waiting(self, named: frozenset[str], lines: list[Waiting]) -> None:
        gone = named - {line.uuid for line in lines}
        if gone:
            self.waiting = [line for line in self.waiting if line.uuid not in gone]
            self._show()
        self._arrived(lines)

    def _arrived(self, lines: list[Waiting]) -> None:
        new = [line for line in lines if line.uuid not in self.announced]
        if not new:
            return
        self.announced |= {line.uuid for line in new}
        self.waiting += new
        self._show()
        QApplication.alert(self.window())  # the task bar flashes when the desk is behind another program

    def _show(self) -> None:
        if not self.waiting:
            self.setVisible(False)
            return
        first = self.waiting[0]
        who = first.applicant_name or self.tr("the applicant")
        if len(self.waiting) == 1:
            text = self.tr("Result back at the window: {0} ({1}, {2}). Please notify the applicant.").format(
                first.case_number, first.item_name, who
            )
        else:
            text = self.tr(
                "{0} results back at the window, the first {1} ({2}, {3}). Please notify the applicants."
            ).format(len(self.waiting), first.case_number, first.item_name, who)
        self.text.setText(text)
        self.setVisible(True)

    def dismiss(self) -> None:
        self.waiting = []
        self.setVisible(False)

    def _open(self) -> None:
        self.dismiss()
        self.openList.emit()
