"""Table columns as wide as their content, within the table: no horizontal scrolling, no cut-off title.

:class:`ColumnFit` sizes every column to what its title and the rows on screen need (each column at
most ``cap`` px), gives the rest to one stretching column (the item name, a note), and when the table is
too narrow for all that, takes the room from the columns that have more than their title needs, in
proportion, never below the title. Columns named in ``whole`` (a case number) keep their content width.
A cell narrower than its text is drawn elided; the models put the whole text in the cell's tooltip.
It refits when the table's width changes and when rows arrive; the clerk may still drag a column.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QHeaderView, QTableView

CAP = 360  # no column but the stretching one is wider than this before it elides
SHORT_CHARS = 5  # content this short (in CJK characters) is never elided
STRETCH_WANT_CHARS = 24  # the stretching column asks for its content up to this many characters
STRETCH_LEAST_CHARS = 8  # and keeps room for at least this many
STRETCH_GIVES = 0.5  # when room is short it gives up half the share of the other columns


class ColumnFit(QObject):
    def __init__(self, table: QTableView, stretch: int, *, whole: Iterable[int] = (), cap: int = CAP) -> None:
        super().__init__(table)
        self.table, self.stretch, self.whole, self.cap = table, stretch, frozenset(whole), cap
        self._width = -1
        self._soon = QTimer(self)  # rows filled cell by cell (a QTableWidget) refit once, after the last
        self._soon.setSingleShot(True)
        self._soon.setInterval(0)
        self._soon.timeout.connect(self.refit)
        header = table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
        table.viewport().installEventFilter(self)
        model = table.model()
        for signal in (model.modelReset, model.rowsInserted, model.layoutChanged, model.headerDataChanged,
                       model.dataChanged):
            signal.connect(self._soon.start)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.Resize and self.table.viewport().width() != self._width:
            self.refit()
        return False

    def widths(self, room: int) -> dict[int, int]:
        """The width of every column but the stretching one, for a viewport ``room`` px wide."""
        table, header = self.table, self.table.horizontalHeader()
        chars = table.fontMetrics().horizontalAdvance("中")
        columns = [c for c in range(header.count()) if c != self.stretch and not header.isSectionHidden(c)]
        want = {c: max(header.sectionSizeHint(c), min(table.sizeHintForColumn(c),
                                                      10_000 if c in self.whole else self.cap))
                for c in columns}
        # A column never gives up its title, nor a short content (a department, a name) it can show whole.
        least = {c: want[c] if c in self.whole else max(header.sectionSizeHint(c), min(want[c], SHORT_CHARS * chars))
                 for c in columns}
        stretch_title = header.sectionSizeHint(self.stretch)
        stretch_want = max(stretch_title, min(table.sizeHintForColumn(self.stretch), STRETCH_WANT_CHARS * chars))
        stretch_least = max(stretch_title, min(stretch_want, STRETCH_LEAST_CHARS * chars + 12))
        over = sum(want.values()) + stretch_want - room
        if over <= 0:
            return want
        # The stretching column (the item) gives up half as much as the others, in proportion to its slack.
        slack = {c: want[c] - least[c] for c in columns}
        total = sum(slack.values()) + STRETCH_GIVES * (stretch_want - stretch_least)
        share = min(1.0, over / total) if total > 0 else 0.0
        return {c: want[c] - int(slack[c] * share + 0.999) for c in columns}

    def refit(self) -> None:
        self._width = room = self.table.viewport().width()
        header = self.table.horizontalHeader()
        for c, w in self.widths(room).items():
            header.resizeSection(c, w)


def fit_columns(table: QTableView, stretch: int, *, whole: Iterable[int] = (), cap: int = CAP) -> ColumnFit:
    fitter = ColumnFit(table, stretch, whole=whole, cap=cap)
    fitter.refit()
    return fitter
