"""The home page's warning that next year's holiday calendar is missing at this desk (supervisor, admin).

From 1 December (and all the more from 1 January) a desk without the year's calendar counts due dates
over it on weekends only. The supervisor and the administrator see it on the home page, with what it
means and who can fix it; the warning goes when the calendar arrives (ui/catalog_updates.py).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtWidgets import QFrame, QVBoxLayout, QWidget

from clerk_desk.domain.org import Role
from clerk_desk.services import calendar_service
from clerk_desk.store.database import Database
from clerk_desk.ui import catalog_updates
from clerk_desk.ui.session import DeskSession
from clerk_desk.ui.task_runner import TaskRunner
from clerk_desk.ui.widgets import plain_label

STYLE = "QFrame#homeCalendarWarning { background: #fdf2dc; border: 1px solid #e0b252; border-radius: 4px; }"


def sees_warning(session: DeskSession) -> bool:
    return session.user.has(Role.SUPERVISOR) or session.user.has(Role.ADMIN)


class CalendarWarning(QFrame):
    def __init__(self, db: Database, runner: TaskRunner, session: DeskSession, parent: QWidget | None = None,
                 today: Callable[[], date] = date.today) -> None:
        super().__init__(parent)
        self.setObjectName("homeCalendarWarning")
        self.setStyleSheet(STYLE)
        self.db, self.runner, self.today = db, runner, today
        self.text = plain_label("", "homeCalendarWarningText", self, wrap=True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        self.hide()
        self.missing: tuple[int, ...] = ()
        if sees_warning(session):
            catalog_updates.updates().changed.connect(self._changed)
            self.check()

    def check(self) -> None:
        self.runner.submit(calendar_service.missing_years, self.db.data_dir, self.today(), on_done=self._show)

    def _changed(self, kinds: list[str]) -> None:
        if catalog_updates.CALENDAR in kinds:
            self.check()

    def _show(self, years: tuple[int, ...]) -> None:
        self.missing = tuple(years)
        if not years:
            self.hide()
            return
        self.text.setText(self.tr(
            "The holiday calendar for {0} is missing at this desk. Due dates over that year are counted on "
            "weekends only: screens and receipts mark them as such, and they are counted again when the "
            "calendar arrives. Ask county IT to publish the State Council's arrangement at the county hub "
            "(county-hub calendar publish); desks take it in their next sync.").format(
                "、".join(str(y) for y in years)))
        self.show()
