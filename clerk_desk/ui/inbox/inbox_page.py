"""The 后台收件箱 page (approver mode): the inbox list, and the case page opened from it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QStackedWidget, QWidget

from clerk_desk.store.database import Database
from clerk_desk.ui.cases.case_table_model import utcnow
from clerk_desk.ui.inbox.inbox_list import InboxListPage
from clerk_desk.ui.inbox.review_page import ReviewPage
from clerk_desk.ui.session import DeskSession
from clerk_desk.ui.task_runner import TaskRunner

if TYPE_CHECKING:
    from clerk_desk.ui.pages import PageContext


class InboxPage(QStackedWidget):
    """Enter or a double-click opens a case; Back (Esc) returns to the list, read again after an act."""

    def __init__(
        self, db: Database, runner: TaskRunner, session: DeskSession, *,
        now: Callable[[], datetime] = utcnow, parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("inboxPage")
        self.db, self.runner, self.session, self.now = db, runner, session, now
        self.list = InboxListPage(db, runner, session, now=now, parent=self)
        self.addWidget(self.list)
        self._case: ReviewPage | None = None
        self._list_stale = True
        self.list.caseOpened.connect(self.open_case)

    @property
    def case(self) -> ReviewPage:
        if self._case is None:
            self._case = ReviewPage(self.db, self.runner, self.session, now=self.now, parent=self)
            self.addWidget(self._case)
            self._case.backRequested.connect(self.back_to_list)
            self._case.changed.connect(lambda _uuid: setattr(self, "_list_stale", True))
        return self._case

    def open_case(self, uuid: str) -> None:
        self.setCurrentWidget(self.case)
        self.case.back_button.setFocus()
        self.case.open(uuid)

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
    return InboxPage(ctx.db, ctx.runner, ctx.session, parent=ctx.parent)
