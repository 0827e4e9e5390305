"""The 办件 page of the main window: the case list, and the case page opened from it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from clerk_desk.store.database import Database
from clerk_desk.ui.cases.case_list_page import CaseListPage
from clerk_desk.ui.cases.case_table_model import utcnow
from clerk_desk.ui.list_and_case import ListAndCasePage
from clerk_desk.ui.session import DeskSession
from clerk_desk.ui.task_runner import TaskRunner

if TYPE_CHECKING:
    from clerk_desk.ui.pages import PageContext


class CasesPage(ListAndCasePage):
    """The case list; the case page after a transfer or a print marks the list to be read again."""

    def __init__(
        self, db: Database, runner: TaskRunner, session: DeskSession, *,
        now: Callable[[], datetime] = utcnow, parent: QWidget | None = None,
    ) -> None:
        self.db, self.runner, self.session, self.now = db, runner, session, now
        super().__init__(CaseListPage(db, runner, session, now=now), parent)
        self.setObjectName("casesPage")

    def _make_case(self) -> QWidget:
        from clerk_desk.ui.cases.case_page import CasePage  # its services load SQLAlchemy

        return CasePage(self.db, self.runner, self.session, now=self.now, parent=self)


def make_page(ctx: PageContext) -> QWidget:
    """The page registry's factory."""
    return CasesPage(ctx.db, ctx.runner, ctx.session, parent=ctx.parent)
