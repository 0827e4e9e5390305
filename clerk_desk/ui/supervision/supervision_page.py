"""The supervisor's page (大厅管理): tabs for 督办 (what is late), 督办单, violations and figures.

Each tab reads on the task runner when shown; the page passes on the change notification
(``cases_changed``, ui/case_watch.py) to the tabs that show cases, and asks the main window to open a
case on the cases page (``openCase``)."""

from __future__ import annotations

import builtins
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from clerk_desk.store.database import Database
from clerk_desk.ui.session import DeskSession
from clerk_desk.ui.supervision.late_tab import LateTab
from clerk_desk.ui.supervision.orders_tab import OrdersTab
from clerk_desk.ui.supervision.violations_tab import ViolationsTab
from clerk_desk.ui.task_runner import TaskRunner


class SupervisionPage(QWidget):
    openCase = Signal(str, str)  # noqa: N815 (Qt signal) page key, case uuid

    def __init__(self, db: Database, runner: TaskRunner, session: DeskSession, parent: QWidget | None = None,
                 **clock: Any) -> None:  # fmt: skip
        super().__init__(parent)
        self.db, self.runner, self.session = db, runner, session
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("supervisionTabs")
        self.late = LateTab(db, runner, session, self, **clock)
        self.late.setObjectName("supervisionLate")
        self.late.openCase.connect(lambda uuid: self.openCase.emit("cases", uuid))
        self.tabs.addTab(self.late, self.tr("Late work"))
        self.orders = OrdersTab(db, runner, session.site.site_code or None, self, **clock)
        self.orders.setObjectName("supervisionOrders")
        self.orders.openCase.connect(lambda uuid: self.openCase.emit("cases", uuid))
        self.tabs.addTab(self.orders, self.tr("Supervision orders"))
        self.violations = ViolationsTab(db, runner, session, self, **clock)
        self.violations.setObjectName("supervisionViolations")
        self.violations.openCase.connect(lambda uuid: self.openCase.emit("cases", uuid))
        self.tabs.addTab(self.violations, self.tr("Violations"))
        from clerk_desk.ui.supervision.figures_tab import FiguresTab  # QtCharts: loaded with the page only

        self.figures = FiguresTab(db, runner, session, self, **clock)
        self.figures.setObjectName("supervisionFigures")
        self.tabs.addTab(self.figures, self.tr("Figures"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt API)
        """The tabs' tables shrink and scroll: the page asks for its minimum height only (ui/page_stack.py),
        not for the height a hidden tab's wrapped line would take."""
        return False

    @property
    def list(self) -> SupervisionPage:
        """The main window opens a view through ``page.list.set_view`` (ui/main_window.open_view)."""
        return self

    def set_view(self, view: object) -> None:
        """"orders": the 督办单 tab; a stage (domain/supervision.Stage): the 督办 list on that stage."""
        from clerk_desk.domain import supervision as sv

        if view == "orders":
            self.tabs.setCurrentWidget(self.orders)
            return
        self.tabs.setCurrentWidget(self.late)
        at = self.late.stage.findData(str(view)) if view in {s.value for s in sv.Stage} else 0
        self.late.stage.setCurrentIndex(max(0, at))

    def followers(self) -> builtins.list[QWidget | None]:  # builtins: ``list`` is the property above
        return [self.tabs.widget(i) for i in range(self.tabs.count())]

    def cases_changed(self, uuids: frozenset[str]) -> None:
        for tab in self.followers():
            follow = getattr(tab, "cases_changed", None)
            if follow is not None:
                follow(uuids)
