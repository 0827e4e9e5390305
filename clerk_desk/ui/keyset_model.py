"""A read-only table over keyset pages fetched lazily through the task runner (the case list, the inbox).

A subclass says how to fetch the first page of a query and the page after a key, and how a row reads
as text. Each new query is a generation: answers to an older one are dropped, so a slow search never
overwrites a newer one. The view asks for more rows as it scrolls (canFetchMore / fetchMore); rows
already shown are not added twice when pages meet on equal keys.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, Protocol, TypeVar, cast

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal

from clerk_desk.store.database import Database
from clerk_desk.ui.task_runner import TaskRunner
from clerk_desk.ui.widgets import plain_tooltip

Index = QModelIndex | QPersistentModelIndex


class KeyedRow(Protocol):
    @property
    def uuid(self) -> str: ...


Row = TypeVar("Row", bound=KeyedRow)
PageRow = TypeVar("PageRow", bound=KeyedRow, covariant=True)  # a page is only read: covariant


class KeysetPage(Protocol[PageRow]):
    @property
    def rows(self) -> tuple[PageRow, ...]: ...

    @property
    def next_key(self) -> Any: ...


class KeysetTableModel(QAbstractTableModel, Generic[Row]):
    pageLoaded = Signal(int)  # rows now loaded; emitted after the rows are in the model
    loadFailed = Signal(object)

    def __init__(self, db: Database, runner: TaskRunner, headers: list[str], *, page_size: int,
                 parent: Any = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.db, self.runner, self.headers, self.page_size = db, runner, headers, page_size
        self._rows: list[Row] = []
        self._texts: list[tuple[str, ...]] = []  # display text of each row, computed once per page
        self._next: Any = None
        self._generation = 0
        self._loading = False
        self.refreshing = False  # a reset by refresh_in_place: the rows are the same query's, read again
        self.queried = False  # a query was made (there is something to read again)

    # -- what a subclass says ------------------------------------------------------------------
    def _text_row(self, row: Row) -> tuple[str, ...]:
        raise NotImplementedError

    def _accept_first(self, result: Any) -> KeysetPage[Row]:
        """The first page from what the first-page call returned (a subclass may keep the rest)."""
        return cast("KeysetPage[Row]", result)

    def _next_call(self, after: Any) -> tuple[Callable[..., Any], tuple[Any, ...]]:
        """The call (and its arguments) that fetches the page after ``after``."""
        raise NotImplementedError

    # -- a column that moves with the clock (a countdown) -----------------------------------------------
    def repaint_column(self, col: int) -> None:
        """Repaint ``col`` of every row: the clock it shows moved, the rows did not (no reading)."""
        if self._rows:
            self.dataChanged.emit(
                self.index(0, col), self.index(len(self._rows) - 1, col),
                [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.BackgroundRole],
            )

    @staticmethod
    def run_while(timer: QTimer, needed: bool) -> None:
        """Keep a repaint timer running only while some row shows a moving clock."""
        if needed and not timer.isActive():
            timer.start()
        elif not needed:
            timer.stop()

    def _after_load(self) -> None:
        """Called after each page is in the model, before ``pageLoaded``."""

    # -- loading -------------------------------------------------------------------------------
    @property
    def loading(self) -> bool:
        return self._loading

    @property
    def has_more(self) -> bool:
        return self._next is not None

    def _load_first(self, fn: Callable[..., Any], *args: Any) -> None:
        """Start a new generation with ``fn(*args)`` on the runner; older answers are dropped."""
        self._generation += 1
        gen = self._generation
        self._loading = True
        self.queried = True
        self.runner.submit(fn, *args, on_done=lambda result: self._first(gen, result),
                           on_error=lambda exc: self._failed(gen, exc))  # fmt: skip

    def _first(self, gen: int, result: Any) -> None:
        if gen != self._generation:
            return
        page = self._accept_first(result)
        self.beginResetModel()
        self._rows = list(page.rows)
        self._texts = [self._text_row(r) for r in self._rows]
        self._next = page.next_key
        self.endResetModel()
        self._loaded()

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008, N802 (Qt API)
        return not parent.isValid() and self._next is not None and not self._loading

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008, N802 (Qt API)
        if not self.canFetchMore(parent):
            return
        gen = self._generation
        fn, args = self._next_call(self._next)
        self._loading = True
        self.runner.submit(fn, *args, on_done=lambda page: self._more(gen, page),
                           on_error=lambda exc: self._failed(gen, exc))  # fmt: skip

    def _more(self, gen: int, page: KeysetPage[Row]) -> None:
        if gen != self._generation:
            return
        known = {r.uuid for r in self._rows[-self.page_size:]}
        rows = [r for r in page.rows if r.uuid not in known]
        if rows:
            self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(rows) - 1)
            self._rows.extend(rows)
            self._texts.extend(self._text_row(r) for r in rows)
            self.endInsertRows()
        self._next = page.next_key
        self._loaded()

    def _failed(self, gen: int, exc: BaseException) -> None:
        if gen == self._generation:
            self._loading = False
            self.loadFailed.emit(exc)

    def _loaded(self) -> None:
        self._loading = False
        self._after_load()
        self.pageLoaded.emit(len(self._rows))

    # -- following the data (ui/case_watch.py) ---------------------------------------------------
    def _refresh_call(self, limit: int) -> tuple[Callable[..., Any], tuple[Any, ...]] | None:
        """The first-page call of the query shown, for ``limit`` rows (None: nothing is shown yet)."""
        return None

    def refresh_in_place(self) -> None:
        """Read again the rows shown (as many as are loaded, from the top) without moving the view: the
        same rows in the same order are updated where they are; otherwise the model resets with
        ``refreshing`` set, and the page puts the selection and the scroll position back."""
        call = self._refresh_call(max(self.page_size, len(self._rows))) if self.queried else None
        if call is None:
            return
        fn, args = call
        self._generation += 1
        gen = self._generation
        self._loading = True
        self.runner.submit(fn, *args, on_done=lambda result: self._refreshed(gen, result),
                           on_error=lambda exc: self._failed(gen, exc))  # fmt: skip

    def _refreshed(self, gen: int, result: Any) -> None:
        if gen != self._generation:
            return
        page = self._accept_first(result)
        rows = list(page.rows)
        if [r.uuid for r in rows] == [r.uuid for r in self._rows]:
            self._rows, self._texts = rows, [self._text_row(r) for r in rows]
            if rows:
                self.dataChanged.emit(self.index(0, 0), self.index(len(rows) - 1, self.columnCount() - 1))
        else:
            self.refreshing = True
            self.beginResetModel()
            self._rows, self._texts = rows, [self._text_row(r) for r in rows]
            self.endResetModel()
            self.refreshing = False
        self._next = page.next_key
        self._loaded()

    # -- reading -------------------------------------------------------------------------------
    def row_at(self, row: int) -> Row:
        return self._rows[row]

    @property
    def rows(self) -> list[Row]:
        return list(self._rows)

    def cell_tip(self, row: int, column: int, tip: str | None) -> str:
        """A cell's tooltip: its whole text (a narrow column draws it elided) with ``tip`` under it."""
        text = self._texts[row][column]
        if not tip:
            return plain_tooltip(text)
        return plain_tooltip(tip if text in tip else f"{text}\n{tip}")

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 (Qt API)
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 (Qt API)
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.headers[section]
        return super().headerData(section, orientation, role)
