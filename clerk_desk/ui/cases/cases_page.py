"""The 办件 page of the main window: the case list, and the case page opened from it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QStackedWidget, QWidget

from clerk_desk.store.database import Database
from clerk_desk.ui.cases.case_list_page import CaseListPage
from clerk_desk.ui.cases.case_table_model import utcnow
from clerk_desk.ui.session import DeskSession
from clerk_desk.ui.task_runner import TaskRunner

if TYPE_CHECKING:
    from clerk_desk.ui.cases.case_page import CasePage
    from clerk_desk.ui.pages import PageContext


class CasesPage(QStackedWidget):
    """Shows the list; Enter or a double-click opens a case; Back (Esc) returns to the list.

    The list is read when the page is first shown (not at start-up, so the home page opens at once),
    again each time the clerk comes to it, and after a transfer or a print on the case page.
    """

    first_data_ready = Signal()  # a list page arrived (or failed): see MainWindow.when_settled

    def __init__(
        self, db: Database, runner: TaskRunner, session: DeskSession, *,
        now: Callable[[], datetime] = utcnow, parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("casesPage")
        self.db, self.runner, self.session, self.now = db, runner, session, now
        self.list = CaseListPage(db, runner, session, now=now, parent=self)
        self.addWidget(self.list)
        self._case: CasePage | None = None
        self._list_stale = True
        self.list.caseOpened.connect(self.open_case)
        self.list.model.pageLoaded.connect(lambda _rows: self.first_data_ready.emit())
        self.list.model.loadFailed.connect(lambda _exc: self.first_data_ready.emit())

    def first_data_pending(self) -> bool:
        return self.list.model.loading

    @property
    def case(self) -> CasePage:
        """The case page, built when first needed (not at start-up)."""
        if self._case is None:
            from clerk_desk.ui.cases.case_page import CasePage  # its services load SQLAlchemy

            self._case = CasePage(self.db, self.runner, self.session, now=self.now, parent=self)
            self.addWidget(self._case)
            self._case.backRequested.connect(self.back_to_list)
            self._case.changed.connect(lambda _uuid: setattr(self, "_list_stale", True))
        return self._case

    def open_case(self, uuid: str) -> None:
        self.case.open(uuid)
        self.setCurrentWidget(self.case)
        self.case.back_button.setFocus()

    def back_to_list(self) -> None:
        self.setCurrentWidget(self.list)
        if self._list_stale:
            self._list_stale = False
            self.list.refresh()
        self.list.table.setFocus()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt API)
        super().showEvent(event)
        if not event.spontaneous() and self.currentWidget() is self.list:
            self._list_stale = False
            self.list.refresh()


def make_page(ctx: PageContext) -> QWidget:
    """The page registry's factory."""
    return CasesPage(ctx.db, ctx.runner, ctx.session, parent=ctx.parent)
