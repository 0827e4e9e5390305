"""后台收件箱: the views 待签收 / 办理中 / 已决定 / 撤回申请 / 全部 with counts, a search, the lazily fetched
table. The 撤回申请 tab turns red while any withdrawal request waits.

Keyboard: Ctrl+F searches (Enter applies at once), Down moves into the table, Enter opens the case, F5
reloads. Only the departments the signed-in approver serves are listed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QTabBar, QWidget
from shiboken6 import Shiboken

from clerk_desk.services.inbox import InboxView
from clerk_desk.store.database import Database
from clerk_desk.ui import notify
from clerk_desk.ui.cases.case_format import count_text
from clerk_desk.ui.cases.case_table_model import utcnow
from clerk_desk.ui.column_fit import ColumnFit
from clerk_desk.ui.inbox import inbox_actions as act
from clerk_desk.ui.inbox.inbox_model import (
    COL_DECISION,
    COL_DEPT,
    COL_DUE,
    COL_ITEM,
    COL_NUMBER,
    COL_STATUS,
    COL_TRANSFER,
    InboxTableModel,
)
from clerk_desk.ui.list_and_case import list_keys, rows_table
from clerk_desk.ui.session import DeskSession
from clerk_desk.ui.task_runner import TaskRunner
from clerk_desk.ui.widgets import ElidedLabel, button, dialog_layout, enter_clicks, label, line_edit

VIEWS = (InboxView.TO_SIGN, InboxView.IN_HAND, InboxView.DECIDED, InboxView.WITHDRAWAL, InboxView.ALL)
ASKED = QColor("#b03a2e")  # the 撤回申请 tab while requests wait
COUNT_CAP = 1000
DEBOUNCE_MS = 200


class InboxListPage(QWidget):
    caseOpened = Signal(str)
    countsUpdated = Signal()

    def __init__(
        self, db: Database, runner: TaskRunner, session: DeskSession, *,
        now: Callable[[], datetime] = utcnow, parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("inboxListPage")
        self.db, self.runner, self.session, self.now = db, runner, session, now
        self.counts: dict[InboxView, int] = {}
        self._count_gen = 0
        self.model = InboxTableModel(db, runner, session.user.id, now=now, parent=self)
        self._build()
        self.debounce = QTimer(self)
        self.debounce.setSingleShot(True)
        self.debounce.setInterval(DEBOUNCE_MS)
        self.debounce.timeout.connect(self.refresh)
        self.count_timer = QTimer(self)  # counts after the rows are painted; dies with the page
        self.count_timer.setSingleShot(True)
        self.count_timer.setInterval(0)
        self.count_timer.timeout.connect(self.update_counts)
        self.search.textChanged.connect(lambda _t: self.debounce.start())
        self.tabs.currentChanged.connect(lambda _i: self.apply())
        self.model.pageLoaded.connect(self._page_loaded)
        self.model.loadFailed.connect(lambda exc: notify.show_error(self, exc))
        self.model.modelReset.connect(self._selection_changed)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.table.doubleClicked.connect(lambda _i: self.open_current())

    def _build(self) -> None:
        layout = dialog_layout(self)
        heading = label(self.tr("Back-office inbox"), "inboxHeading")
        heading.setProperty("role", "heading")
        self.serves_label = ElidedLabel("", "inboxServes", self)  # many departments: cut, whole in its tooltip
        self.serves_label.setProperty("role", "note")
        self.search = line_edit("inboxSearch", self, placeholder=self.tr("Case number, applicant name or ID number"))
        self.search.setClearButtonEnabled(True)
        self.search.installEventFilter(self)
        # Room for what it asks for: on the tabs' row at 1366×768 and 150 % it was squeezed to 「办件…」.
        self.search.setMinimumWidth(self.search.fontMetrics().horizontalAdvance(self.search.placeholderText()) + 48)
        head = QHBoxLayout()
        head.addWidget(heading)
        head.addSpacing(12)
        head.addWidget(self.search, 1)
        head.addWidget(self.serves_label)
        self.tabs = QTabBar(self)
        self.tabs.setObjectName("inboxViewTabs")
        self.tabs.setExpanding(False)
        self.tabs.setDrawBase(False)
        for v in VIEWS:
            self.tabs.setTabData(self.tabs.addTab(self._view_title(v)), v.value)
        top = QHBoxLayout()
        top.addWidget(self.tabs)
        top.addStretch(1)

        self.table = rows_table("inboxTable", self.model, self, stretch=COL_ITEM, whole=(COL_DUE, COL_DECISION),
                                number=COL_NUMBER, drop=(COL_DEPT, COL_TRANSFER),  # on the case page when narrow
                                coloured=(COL_STATUS, COL_TRANSFER, COL_DUE))

        self.count_label = label("", "inboxCount", self)
        self.count_label.setProperty("role", "note")
        self.message = label("", "inboxMessage", self)
        self.refresh_button = button(self.tr("Refresh"), "inboxRefresh", self)
        self.refresh_button.clicked.connect(self.refresh)
        self.open_button = button(self.tr("Open"), "inboxOpen", self)
        self.open_button.clicked.connect(self.open_current)
        enter_clicks(self, self.refresh_button, self.open_button)  # Enter on a focused button presses it
        bar = QHBoxLayout()
        bar.addWidget(self.count_label)
        bar.addWidget(self.message, 1)
        bar.addWidget(self.refresh_button)
        bar.addWidget(self.open_button)

        layout.addLayout(head)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(bar)
        find = QShortcut(QKeySequence.StandardKey.Find, self, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        find.activated.connect(self._find)
        reload = QShortcut(QKeySequence.StandardKey.Refresh, self, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        reload.activated.connect(self.refresh)

    def _find(self) -> None:  # Ctrl+F: to the search field, its text selected
        self.search.setFocus()
        self.search.selectAll()

    def _view_title(self, view: InboxView) -> str:
        titles = {
            InboxView.TO_SIGN: self.tr("To sign for"),
            InboxView.IN_HAND: self.tr("In hand"),
            InboxView.DECIDED: self.tr("Decided, to return"),
            InboxView.WITHDRAWAL: self.tr("Withdrawal requests"),
            InboxView.ALL: self.tr("All"),
        }
        n = self.counts.get(view)
        return titles[view] if n is None else f"{titles[view]}  {count_text(n, COUNT_CAP)}"

    # -- querying ------------------------------------------------------------------------------
    @property
    def view(self) -> InboxView:
        return InboxView(self.tabs.tabData(self.tabs.currentIndex()))

    def set_view(self, view: InboxView) -> None:
        self.tabs.setCurrentIndex(VIEWS.index(view))

    def apply(self) -> None:
        """Read the current view (a tab switch keeps the counts)."""
        self.debounce.stop()
        # When the screen is too narrow for every column (1366×768 at 150 %), 待签收 keeps its 签收 clock whole
        # and leaves out the due date (weeks away, on the case page); the other tabs keep the due date.
        fit = self.table.findChild(ColumnFit)
        if fit is not None and self.view is InboxView.TO_SIGN:
            fit.whole, fit.drop = frozenset((COL_TRANSFER, COL_DECISION)), (COL_DEPT, COL_DUE)
        elif fit is not None:
            fit.whole, fit.drop = frozenset((COL_DUE, COL_DECISION)), (COL_DEPT, COL_TRANSFER)
        self.count_label.setText(self.tr("Loading…"))
        self.model.set_query(self.view, self.search.text())

    def refresh(self) -> None:
        """Read the view and the counts again (after an act, a search, F5, or coming back to the page)."""
        self._recount = True
        self.apply()

    _recount = True

    def follow(self) -> None:
        """Cases changed (ui/case_watch.py): the rows shown and the tab counts are read again, the table
        keeping its selection and scroll position (ui/list_and_case.KeepPlace)."""
        self._recount = True
        self.model.refresh_in_place()

    def _page_loaded(self, _rows: int) -> None:
        names = self.model.query.departments
        served = self.tr("Departments served: {0}")
        self.serves_label.caption = served.partition("{0}")[0]  # kept whole: only the names are cut
        self.serves_label.set_full_text(served.format("、".join(names)) if names
                                        else self.tr("This account serves no department: ask the administrator"))
        self._show_count()
        if self._recount:
            self._recount = False
            self.count_timer.start()

    def update_counts(self) -> None:
        self._count_gen += 1
        gen = self._count_gen
        self.runner.submit(act.count_views, self.db, self.model.query.serves, self.search.text().strip(),
                           on_done=lambda counts: self._counted(gen, counts), on_error=lambda _e: None)

    def _counted(self, gen: int, counts: dict[InboxView, int]) -> None:
        if gen != self._count_gen or not Shiboken.isValid(self.tabs):
            return  # a newer count, or the page went (signed out) while the counts were read
        self.counts = counts
        for i, v in enumerate(VIEWS):
            self.tabs.setTabText(i, self._view_title(v))
        asked = VIEWS.index(InboxView.WITHDRAWAL)
        self.tabs.setTabTextColor(asked, ASKED if counts.get(InboxView.WITHDRAWAL) else QColor())
        self._show_count()
        self.countsUpdated.emit()

    def _show_count(self) -> None:
        if self.model.loading:
            return
        n = self.counts.get(self.view, self.model.rowCount())
        self.count_label.setText(self.tr("No cases") if n == 0 else self.tr("{0} cases").format(count_text(n, COUNT_CAP)))

    # -- acting --------------------------------------------------------------------------------
    def _selection_changed(self, *_args: object) -> None:
        self.open_button.setEnabled(self.table.currentIndex().isValid())

    def open_current(self) -> None:
        index = self.table.currentIndex()
        if index.isValid():
            self.caseOpened.emit(self.model.row_at(index.row()).uuid)

    # -- keyboard ------------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if list_keys(watched, event, search=self.search, table=self.table, search_now=self.refresh,
                     open_current=self.open_current):  # fmt: skip
            return True
        return super().eventFilter(watched, event)
