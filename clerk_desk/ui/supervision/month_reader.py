"""What the 统计 and 违规记录 tabs share: a month picker (this month first), a summary line, and a read of the
chosen month on the task runner when the tab is shown, when the month changes and when cases change while
it is shown (ui/case_watch.py). A failed read is said on the summary line."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate
from PySide6.QtWidgets import QDateEdit, QLabel, QWidget

from clerk_desk.domain.workdays import SHANGHAI
from clerk_desk.store.database import Database
from clerk_desk.ui import notify
from clerk_desk.ui.task_runner import TaskRunner
from clerk_desk.ui.widgets import label

ReadMonth = Callable[[Database, int, int, "str | None"], Any]


class MonthReader:
    """Owned by a tab (``prefix`` names its widgets: ``<prefix>Month``, ``<prefix>Summary``)."""

    def __init__(self, tab: QWidget, db: Database, runner: TaskRunner, site_code: str | None, prefix: str,
                 today: datetime, read: ReadMonth, show: Callable[[Any], None]) -> None:  # fmt: skip
        self.tab, self.db, self.runner, self.site_code, self.read, self.show = tab, db, runner, site_code, read, show
        day = today.astimezone(SHANGHAI).date()
        self.month = QDateEdit(QDate(day.year, day.month, 1), tab)
        self.month.setObjectName(f"{prefix}Month")
        self.month.setDisplayFormat("yyyy-MM")
        self.month.dateChanged.connect(lambda _d: self.refresh())
        self.summary: QLabel = label(QCoreApplication.translate("MonthReader", "Reading…"), f"{prefix}Summary",
                                     wrap=True)  # fmt: skip

    def refresh(self) -> None:
        d = self.month.date()
        self.runner.submit(self.read, self.db, d.year(), d.month(), self.site_code, on_done=self.show,
                           on_error=lambda e: self.summary.setText(notify.error_text(e)))  # fmt: skip

    def shown(self, spontaneous: bool) -> None:
        """From the tab's showEvent: read when the tab is shown (not when the window is restored)."""
        if not spontaneous:
            self.refresh()

    def cases_changed(self, _uuids: frozenset[str]) -> None:
        if self.tab.isVisible():
            self.refresh()
