"""The 后台收件箱 page (approver mode): the inbox list, and the case page opened from it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from clerk_desk.store.database import Database
from clerk_desk.ui.cases.case_table_model import utcnow
from clerk_desk.ui.inbox.inbox_list import InboxListPage
from clerk_desk.ui.list_and_case import ListAndCasePage
from clerk_desk.ui.session import DeskSession
from clerk_desk.ui.task_runner import TaskRunner

if TYPE_CHECKING:
    from clerk_desk.ui.pages import PageContext


class InboxPage(ListAndCasePage):
    """The inbox list; an act on the review page marks the list to be read again."""

    def __init__(
        self, db: Database, runner: TaskRunner, session: DeskSession, *,
        now: Callable[[], datetime] = utcnow, parent: QWidget | None = None,
    ) -> None:
        self.db, self.runner, self.session, self.now = db, runner, session, now
        super().__init__(InboxListPage(db, runner, session, now=now), parent)
        self.setObjectName("inboxPage")

    def take_focus(self) -> None:
        """Enter (or a click) on 后台收件箱 in the navigation: the act the open case waits for, else the search."""
        if self._case is not None and self.currentWidget() is self._case:
            self.case.focus_next_act()
        else:
            self.list.search.setFocus()

    def _make_case(self) -> QWidget:
        from clerk_desk.ui.inbox.review_page import ReviewPage

        return ReviewPage(self.db, self.runner, self.session, now=self.now, parent=self)


def make_page(ctx: PageContext) -> QWidget:
    """The page registry's factory."""
    return InboxPage(ctx.db, ctx.runner, ctx.session, parent=ctx.parent)
