"""A page that shows a list of cases and, in its place, the case opened from it (cases, inbox).

Enter or a double-click on the list opens a case; Back (Esc) returns to the list. The list is read when
the page is first shown (not at start-up), each time the clerk comes back to it, and after an act on
the case page changed something. It follows the data too (ui/case_watch.py): when cases change — an act
here, sync pulling other desks' events, the hub answering a push — the case page on screen reads its
case again, and the list on screen its rows (where they are: the selection and the scroll stay) and
its tab counts; a list not on screen reads again when it comes back. The case page is built when first needed. ``first_data_ready`` and
``first_data_pending()`` let the main window wait for the first rows (MainWindow.when_settled).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import QEvent, QItemSelectionModel, QObject, Qt, Signal, SignalInstance
from PySide6.QtGui import QFocusEvent, QKeyEvent, QPalette, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableView,
    QWidget,
)

from clerk_desk.ui.colour_cells import KeepColours
from clerk_desk.ui.column_fit import CASE_NUMBER_TAIL, fit_columns
from clerk_desk.ui.page_stack import PageStack


class ListPart(Protocol):
    caseOpened: SignalInstance  # noqa: N815 (Qt signal name)
    model: Any  # a KeysetTableModel
    table: QTableView

    def refresh(self) -> None: ...

    def follow(self) -> None: ...  # read again the rows shown and the counts, keeping the view's place


class CasePart(Protocol):
    backRequested: SignalInstance  # noqa: N815
    changed: SignalInstance
    back_button: QPushButton
    case_uuid: str | None

    def open(self, uuid: str) -> None: ...

    def reload(self) -> None: ...


class ListAndCasePage(PageStack):  # asks for the room of the part on screen only
    first_data_ready = Signal()  # a list page arrived (or failed)
    list: Any  # a ListPart that is a QWidget too (Python's types cannot say both)

    def __init__(self, list_part: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.list = list_part
        self.addWidget(list_part)
        self._case: Any = None
        self._list_stale = True
        self._land_on: tuple[str | None, int] | None = None  # the row to choose once the list is read again
        self.list.caseOpened.connect(self.open_case)
        self.list.model.pageLoaded.connect(lambda _rows: self.first_data_ready.emit())
        self.list.model.pageLoaded.connect(self._landed)
        self.list.model.loadFailed.connect(lambda _exc: self.first_data_ready.emit())

    def _make_case(self) -> QWidget:
        """The case page (imported here by the subclass: its services load SQLAlchemy)."""
        raise NotImplementedError

    def first_data_pending(self) -> bool:
        return bool(self.list.model.loading)

    @property
    def case(self) -> Any:
        if self._case is None:
            self._case = self._make_case()
            self.addWidget(self._case)
            self._case.backRequested.connect(self.back_to_list)
            self._case.changed.connect(lambda _uuid: setattr(self, "_list_stale", True))
        return self._case

    def open_case(self, uuid: str) -> None:
        self._opened_at = self.list.table.currentIndex().row()
        self.setCurrentWidget(self.case)
        self.case.back_button.setFocus()  # until the case page, once loaded, focuses its next act
        self.case.open(uuid)

    _opened_at = -1  # the list's row the case was opened from

    def back_to_list(self) -> None:
        """The list again, the focus in its rows on the case left (or, gone from the view, the one now in its
        place): Enter opens it. The list read again after an act had no row chosen, and Enter did nothing."""
        self.setCurrentWidget(self.list)
        left = self._case.case_uuid if self._case is not None else None
        if self._list_stale:
            self._list_stale = False
            self._land_on = (left, self._opened_at)
            self.list.refresh()
        elif not self.list.table.currentIndex().isValid():
            self._land_on = (left, self._opened_at)
            self._landed()
        self.list.table.setFocus()

    def _landed(self, _rows: int = 0) -> None:
        if self._land_on is None or self.list.model.loading:
            return
        uuid, row = self._land_on
        self._land_on = None
        model, table = self.list.model, self.list.table
        if not model.rowCount():
            return
        rows = [r.uuid for r in model.rows]
        at = rows.index(uuid) if uuid in rows else min(max(row, 0), model.rowCount() - 1)
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        table.selectionModel().setCurrentIndex(model.index(at, 0), flags)
        table.scrollTo(model.index(at, 0))

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt API)
        super().showEvent(event)
        if not event.spontaneous() and self.currentWidget() is self.list:
            self._list_stale = False
            self.list.refresh()  # type: ignore[union-attr]  # `is` narrowed the list to a QWidget (see `list`)

    def cases_changed(self, uuids: frozenset[str]) -> None:
        """Cases changed in the store (ui/case_watch.py): what is on screen reads them again."""
        if self._case is not None and self._case.case_uuid in uuids:
            self._case.reload()
        if self.isVisible() and self.currentWidget() is self.list:
            self.list.follow()  # type: ignore[union-attr]  # as in showEvent
        else:
            self._list_stale = True  # read when the clerk comes back to it


def list_keys(watched: QObject, event: QEvent, *, search: QLineEdit, table: QTableView,
              search_now: Callable[[], None], open_current: Callable[[], None]) -> bool:  # fmt: skip
    """The list's keys, for its eventFilter: Down from the search goes to the rows, Enter in the search
    searches at once, Enter on a row opens it; Tab into the rows chooses the row with the focus, as Down does (its
    acts open: it came with none chosen, 打开 off). True when the key was used."""
    if (watched is table and isinstance(event, QFocusEvent) and event.type() == QEvent.Type.FocusIn
            and event.reason() in (Qt.FocusReason.TabFocusReason, Qt.FocusReason.BacktabFocusReason)
            and table.model().rowCount() and not table.selectionModel().hasSelection()):
        current = table.currentIndex()
        table.selectRow(current.row() if current.isValid() else 0)
        return False
    if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
        return False
    key, enter = event.key(), event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
    if watched is search and key == Qt.Key.Key_Down and table.model().rowCount():
        table.setFocus()
        if not table.selectionModel().hasSelection():  # the row the clerk lands on is chosen, its acts open
            current = table.currentIndex()
            table.selectRow(current.row() if current.isValid() else 0)
        return True
    if watched is search and enter:
        search_now()
        return True
    if watched is table and enter:
        open_current()
        return True
    return False


def rows_table(name: str, model: Any, parent: QWidget, *, stretch: int, whole: tuple[int, ...] = (0,),
               drop: tuple[int, ...] = (), multi: bool = False, coloured: tuple[int, ...] | None = None,
               number: int | None = None) -> QTableView:
    """The read-only list of cases: whole rows selected, fixed 32 px rows, columns fitted to their content
    within the table (``stretch`` takes the room left, ``whole`` columns are never elided, ``drop`` ones are
    hidden, in that order, when not even the titles fit, the case ``number`` column gives up its head when
    room is short; column_fit.py),
    coloured cells kept coloured when selected (only in the ``coloured`` columns when the model colours no
    others: the other cells are then painted without a call into Python). ``parent`` also filters its keys
    (list_keys)."""
    table = QTableView(parent)
    own_viewport(table)
    table.setObjectName(name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection if multi
                           else QAbstractItemView.SelectionMode.SingleSelection)  # fmt: skip
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setTabKeyNavigation(False)  # the arrows move in the rows; Tab goes on to the buttons (not cell by cell)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.setTextElideMode(Qt.TextElideMode.ElideRight)
    table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
    table.verticalHeader().hide()
    table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    table.verticalHeader().setDefaultSectionSize(32)
    if coloured is None:
        table.setItemDelegate(KeepColours(table))
    else:
        keep = KeepColours(table)
        for column in coloured:
            table.setItemDelegateForColumn(column, keep)
    fit_columns(table, stretch, whole=whole, drop=drop,
                tails=None if number is None else {number: CASE_NUMBER_TAIL})  # fmt: skip
    KeepPlace(table)  # parented to the table: lives as long as it (made before the page filters its events)
    table.installEventFilter(parent)
    return table


def own_viewport(view: QAbstractItemView) -> QWidget:
    """Give ``view`` a viewport made here, set up as Qt sets up its own (name, Base background filled).

    The first Python call that meets a plain QWidget Qt made itself (``view.viewport()``) makes PySide6 create
    the Python classes of every widget type it has not made yet, to find the object's type: ~70 classes and
    their enums, ~10 ms on the way to the first painted list (docs/performance.md, "Fifth round"). A viewport
    made in Python is known to it already. Drawn the same: tests/ui/test_list_viewport.py."""
    viewport = QWidget()
    viewport.setObjectName("qt_scrollarea_viewport")
    viewport.setBackgroundRole(QPalette.ColorRole.Base)
    viewport.setAutoFillBackground(True)
    view.setViewport(viewport)
    return viewport


class KeepPlace(QObject):
    """Puts a list's selection, current row and scroll position back after its model read the same query
    again (KeysetTableModel.refresh_in_place with the rows changed): new or moved rows never make the
    clerk lose the row they were on."""

    def __init__(self, table: QTableView) -> None:
        super().__init__(table)
        self.table = table
        self.model: Any = table.model()
        self._kept: tuple[set[str], str | None, int] | None = None
        self.model.modelAboutToBeReset.connect(self._keep)
        self.model.modelReset.connect(self._restore)

    def _keep(self) -> None:
        if not self.model.refreshing:
            self._kept = None
            return
        current = self.table.currentIndex()
        selected = {self.model.row_at(i.row()).uuid for i in self.table.selectionModel().selectedRows()}
        uuid = self.model.row_at(current.row()).uuid if current.isValid() else None
        self._kept = (selected, uuid, self.table.verticalScrollBar().value())

    def _restore(self) -> None:
        if self._kept is None:
            return
        selected, current, scrolled = self._kept
        self._kept = None
        rows = {r.uuid: i for i, r in enumerate(self.model.rows)}
        pick = self.table.selectionModel()
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        for uuid in selected:
            if uuid in rows:
                pick.select(self.model.index(rows[uuid], 0), flags)
        if current in rows:
            pick.setCurrentIndex(self.model.index(rows[current], 0), QItemSelectionModel.SelectionFlag.NoUpdate)
        self.table.verticalScrollBar().setValue(scrolled)
