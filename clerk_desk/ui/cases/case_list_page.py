"""办件 list: view tabs with counts, a debounced search, the lazily fetched table, transfer to the back office.

Keyboard: Ctrl+F (or typing in the search box) searches, Down moves into the table, Enter opens the
case, Enter in the search box applies the search at once; F5 reloads.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QTabBar, QWidget

from clerk_desk.services import case_queries as q
from clerk_desk.store.database import Database
from clerk_desk.ui import notify
from clerk_desk.ui.cases.case_actions import clerk_for, transfer_cases
from clerk_desk.ui.cases.case_format import TRANSFERABLE, count_text, countdown
from clerk_desk.ui.cases.case_table_model import (
    COL_CREATED,
    COL_DEPT,
    COL_DUE,
    COL_ITEM,
    COL_NUMBER,
    COL_TRANSFER,
    CaseTableModel,
    resolve_filter,
    utcnow,
)
from clerk_desk.ui.list_and_case import list_keys, rows_table
from clerk_desk.ui.session import DeskSession
from clerk_desk.ui.task_runner import TaskRunner
from clerk_desk.ui.widgets import button, dialog_layout, enter_clicks, label, line_edit

if TYPE_CHECKING:
    from clerk_desk.services.transfer import TransferReport

VIEWS = (q.WindowView.TODAY, q.WindowView.TO_TRANSFER, q.WindowView.BACK_OFFICE, q.WindowView.RESULTS, q.WindowView.ALL)
COUNT_CAP = 1000
DEBOUNCE_MS = 200


def count_views(db: Database, text: str, now: datetime) -> dict[q.WindowView, int]:
    codes = resolve_filter(db, q.WindowView.ALL, text, now).item_codes
    filters = {v: q.window_filter(v, now=now, text=text, item_codes=codes) for v in VIEWS}
    return q.counts(db, filters, cap=COUNT_CAP)


class CaseListPage(QWidget):
    caseOpened = Signal(str)  # case uuid
    transferred = Signal(object)  # TransferReport
    countsUpdated = Signal()  # the tab counts now match the search text

    def __init__(
        self, db: Database, runner: TaskRunner, session: DeskSession, *,
        now: Callable[[], datetime] = utcnow, parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("caseListPage")
        self.db, self.runner, self.session, self.now = db, runner, session, now
        self.counts: dict[q.WindowView, int] = {}
        self._count_gen = 0
        self._counted_text = ""
        self._recount = False
        self.counts_current = False  # the tab counts match the search text shown
        self.model = CaseTableModel(db, runner, now=now, parent=self)
        self._build()
        self.debounce = QTimer(self)
        self.debounce.setSingleShot(True)
        self.debounce.setInterval(DEBOUNCE_MS)
        self.debounce.timeout.connect(self.apply)
        self.search.textChanged.connect(lambda _t: self.debounce.start())
        self.tabs.currentChanged.connect(lambda _i: self.apply())
        self.model.pageLoaded.connect(self._page_loaded)
        self.model.loadFailed.connect(lambda exc: notify.show_error(self, exc))
        self.model.modelReset.connect(self._selection_changed)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.table.doubleClicked.connect(lambda _i: self.open_current())

    def _build(self) -> None:
        layout = dialog_layout(self)
        heading = label(self.tr("Cases"), "casesHeading")
        heading.setProperty("role", "heading")
        self.tabs = QTabBar(self)
        self.tabs.setObjectName("casesViewTabs")
        self.tabs.setExpanding(False)
        self.tabs.setDrawBase(False)
        for v in VIEWS:
            self.tabs.setTabData(self.tabs.addTab(self._view_title(v)), v.value)
        self.search = line_edit(
            "casesSearch", self, placeholder=self.tr("Case number, applicant name, ID number or item")
        )
        self.search.setClearButtonEnabled(True)
        self.search.installEventFilter(self)
        # On the heading's row, with room for its hint: beside the five tabs it was squeezed to 「办件编号…」 at
        # 1366×768 and 150 % (as the inbox's, ui/inbox/inbox_list.py).
        self.search.setMinimumWidth(self.search.fontMetrics().horizontalAdvance(self.search.placeholderText()) + 48)
        self.count_label = label("", "casesCount", self)
        self.count_label.setProperty("role", "note")
        head = QHBoxLayout()
        head.addWidget(heading)
        head.addSpacing(12)
        head.addWidget(self.search, 1)
        top = QHBoxLayout()
        top.addWidget(self.tabs)
        top.addStretch(1)

        # The times and the countdown are read whole; the item gives way (its tooltip has it all), then the
        # number its site code; on a narrow screen 受理时间 and 部门 are left out (the case page has them).
        self.table = rows_table("casesTable", self.model, self, stretch=COL_ITEM, multi=True,
                                whole=(COL_CREATED, COL_TRANSFER, COL_DUE), drop=(COL_CREATED, COL_DEPT),
                                coloured=(COL_TRANSFER, COL_DUE), number=COL_NUMBER)

        self.open_button = button(self.tr("Open"), "casesOpen", self)
        self.open_button.clicked.connect(self.open_current)
        self.transfer_button = button(self.tr("Transfer to back office"), "casesTransfer", self)
        self.transfer_button.setToolTip(self.tr("Hand the selected cases and their paper to the back office"))
        self.transfer_button.clicked.connect(self.transfer_selected)
        self.refresh_button = button(self.tr("Refresh"), "casesRefresh", self)
        self.refresh_button.clicked.connect(self.refresh)
        self.message = label("", "casesMessage", self)
        buttons = QHBoxLayout()
        buttons.addWidget(self.count_label)
        buttons.addWidget(self.message, 1)
        for b in (self.refresh_button, self.open_button, self.transfer_button):
            buttons.addWidget(b)

        layout.addLayout(head)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        # Tab as the page reads: the search on the heading's row, the tabs under it, the rows, the buttons.
        order = (self.search, self.tabs, self.table, self.refresh_button, self.open_button, self.transfer_button)
        for before, after in zip(order, order[1:], strict=False):
            QWidget.setTabOrder(before, after)
        enter_clicks(self, self.refresh_button, self.open_button, self.transfer_button)
        find = QShortcut(QKeySequence.StandardKey.Find, self, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        find.activated.connect(self._find)
        reload = QShortcut(QKeySequence.StandardKey.Refresh, self, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        reload.activated.connect(self.refresh)

    def _find(self) -> None:  # Ctrl+F: to the search field, its text selected
        self.search.setFocus()
        self.search.selectAll()

    def _view_title(self, view: q.WindowView) -> str:
        titles = {
            q.WindowView.TODAY: self.tr("Today"),
            q.WindowView.TO_TRANSFER: self.tr("To transfer"),
            q.WindowView.BACK_OFFICE: self.tr("In the back office"),
            q.WindowView.RESULTS: self.tr("Results to hand over"),
            q.WindowView.ALL: self.tr("All"),
        }
        n = self.counts.get(view)
        return titles[view] if n is None else f"{titles[view]}  {count_text(n, COUNT_CAP)}"

    # -- querying ------------------------------------------------------------------------------
    @property
    def view(self) -> q.WindowView:
        return q.WindowView(self.tabs.tabData(self.tabs.currentIndex()))

    def set_view(self, view: q.WindowView) -> None:
        self.tabs.setCurrentIndex(VIEWS.index(view))

    def apply(self, *, recount: bool = False) -> None:
        """Run the current view and search now (the debounce calls this 200 ms after the last key).

        The tab counts are read again when the search text changed (or ``recount``), after the rows
        are on screen, so the first page never waits behind five counts."""
        self.debounce.stop()
        text = self.search.text().strip()
        self._recount = recount or text != self._counted_text or not self.counts
        self.counts_current = self.counts_current and not self._recount
        self.count_label.setText(self.tr("Loading…"))
        self.model.set_query(self.view, text)

    def refresh(self) -> None:
        self.apply(recount=True)

    def follow(self) -> None:
        """Cases changed (ui/case_watch.py): the rows shown and the tab counts are read again, the table
        keeping its selection and scroll position (ui/list_and_case.KeepPlace)."""
        self._recount = True
        self.counts_current = False
        self.model.refresh_in_place()

    def update_counts(self) -> None:
        self._recount = False
        self.counts_current = False
        self._count_gen += 1
        gen = self._count_gen
        self._counted_text = self.search.text().strip()
        self.runner.submit(
            count_views, self.db, self._counted_text, self.now(),
            on_done=lambda counts: self._counted(gen, counts), on_error=lambda _e: None,
        )

    def _counted(self, gen: int, counts: dict[q.WindowView, int]) -> None:
        if gen != self._count_gen:
            return
        self.counts = counts
        self.counts_current = True
        for i, v in enumerate(VIEWS):
            self.tabs.setTabText(i, self._view_title(v))
        self._show_count()
        self.countsUpdated.emit()

    def _page_loaded(self, _rows: int) -> None:
        self._show_count()
        if self._recount:
            self._recount = False
            QTimer.singleShot(0, self, self.update_counts)  # after the rows are painted

    def _show_count(self) -> None:
        if self.model.loading:
            return
        n = self.counts.get(self.view)
        if n is None:
            self.count_label.setText(self.tr("{0} shown").format(self.model.rowCount()))
        elif n == 0:
            self.count_label.setText(self.tr("No cases"))
        else:
            self.count_label.setText(self.tr("{0} cases").format(count_text(n, COUNT_CAP)))

    # -- acting --------------------------------------------------------------------------------
    def selected_rows(self) -> list[q.CaseRow]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.model.row_at(r) for r in rows]

    def _selection_changed(self, *_args: object) -> None:
        rows = self.selected_rows()
        self.open_button.setEnabled(len(rows) == 1 or self.table.currentIndex().isValid())
        self.transfer_button.setEnabled(any(r.status in TRANSFERABLE for r in rows))

    def open_current(self) -> None:
        index = self.table.currentIndex()
        if index.isValid():
            self.caseOpened.emit(self.model.row_at(index.row()).uuid)

    def transfer_selected(self) -> None:
        rows = [r for r in self.selected_rows() if r.status in TRANSFERABLE]
        if not rows:
            return
        now = self.now()
        late = [(r, countdown(r, now)) for r in rows]
        late_lines = [f"{r.case_number}（{c.text}）" for r, c in late if c is not None and c.seconds_left <= 0]
        text = self.tr("Hand over the paper of {0} case(s) to the back office now?").format(len(rows))
        if late_lines:
            text += "\n\n" + self.tr("Past the transfer deadline:") + "\n" + "\n".join(late_lines)
        if not notify.confirm(self, text, default_yes=True):
            return
        self.runner.submit(
            transfer_cases, self.db, [(r.uuid, r.case_number) for r in rows], clerk_for(self.session), None,
            on_done=self._transferred,
        )

    def _transferred(self, report: TransferReport) -> None:
        if report.done:
            self.message.setText(self.tr("{0} case(s) transferred to the back office").format(len(report.done)))
        if report.refused:
            notify.error(self, "\n".join(f"{r.case_number}：{r.message}" for r in report.refused))
        self.transferred.emit(report)
        self.refresh()

    # -- keyboard ------------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if list_keys(watched, event, search=self.search, table=self.table, search_now=self.apply,
                     open_current=self.open_current):  # fmt: skip
            return True
        return super().eventFilter(watched, event)
