"""Table columns as wide as their content, within the table: no horizontal scrolling, no cut-off title.

:class:`ColumnFit` sizes every column to what its title and the rows on screen need (each column at
most ``cap`` px), gives the rest to one stretching column (the item name, a note), and when the table is
too narrow for all that, takes the room from the columns that have more than their title needs, in
proportion, never below the title. Columns named in ``whole`` (a case number) keep their content width.
When even the titles do not fit (a 1366×768 screen at 150 %), the columns named in ``drop`` are hidden,
in that order, until they do (their facts are on the case page). A cell narrower than its text is drawn
elided; the models put the whole text in the cell's tooltip. It refits when the table's width changes
and when rows arrive; the clerk may still drag a column.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QHeaderView, QTableView, QTreeView

CAP = 360  # no column but the stretching one is wider than this before it elides
SHORT_CHARS = 5  # content this short (in CJK characters) is never elided
STRETCH_WANT_CHARS = 24  # the stretching column asks for its content up to this many characters
STRETCH_LEAST_CHARS = 8  # and keeps room for at least this many
STRETCH_GIVES = 0.5  # when room is short it gives up half the share of the other columns


def header_of(view: QTableView | QTreeView) -> QHeaderView:
    return view.horizontalHeader() if isinstance(view, QTableView) else view.header()


class ColumnFit(QObject):
    def __init__(self, view: QTableView | QTreeView, stretch: int, *, whole: Iterable[int] = (),
                 drop: Iterable[int] = (), cap: int = CAP) -> None:  # fmt: skip
        super().__init__(view)
        self.view, self.stretch, self.whole, self.drop, self.cap = view, stretch, frozenset(whole), tuple(drop), cap
        self._width = -1
        self._soon = QTimer(self)  # rows filled cell by cell (a QTableWidget) refit once, after the last
        self._soon.setSingleShot(True)
        self._soon.setInterval(0)
        self._soon.timeout.connect(self.refit)
        header = header_of(view)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
        view.viewport().installEventFilter(self)
        model = view.model()
        for signal in (model.modelReset, model.rowsInserted, model.layoutChanged, model.headerDataChanged,
                       model.dataChanged):
            signal.connect(self._soon.start)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.Resize and self.view.viewport().width() != self._width:
            self.refit()
        return False

    def widths(self, room: int, hidden: frozenset[int] = frozenset()) -> tuple[dict[int, int], int]:
        """The width of every shown column but the stretching one, for a viewport ``room`` px wide, and
        how many px it is still short when every column is down to its title (0: it fits)."""
        view, header = self.view, header_of(self.view)
        chars = view.fontMetrics().horizontalAdvance("中")
        columns = [c for c in range(header.count()) if c != self.stretch and c not in hidden]
        want = {c: max(header.sectionSizeHint(c), min(view.sizeHintForColumn(c),
                                                      10_000 if c in self.whole else self.cap))
                for c in columns}
        # A column never gives up its title, nor a short content (a department, a name) it can show whole.
        least = {c: want[c] if c in self.whole else max(header.sectionSizeHint(c), min(want[c], SHORT_CHARS * chars))
                 for c in columns}
        stretch_title = header.sectionSizeHint(self.stretch)
        stretch_want = max(stretch_title, min(view.sizeHintForColumn(self.stretch), STRETCH_WANT_CHARS * chars))
        stretch_least = max(stretch_title, min(stretch_want, STRETCH_LEAST_CHARS * chars + 12))
        over = sum(want.values()) + stretch_want - room
        if over <= 0:
            return want, 0
        # The stretching column (the item) gives up half as much as the others, in proportion to its slack.
        slack = {c: want[c] - least[c] for c in columns}
        total = sum(slack.values()) + STRETCH_GIVES * (stretch_want - stretch_least)
        share = min(1.0, over / total) if total > 0 else 0.0
        short = max(0, sum(least.values()) + stretch_least - room)
        return {c: want[c] - int(slack[c] * share + 0.999) for c in columns}, short

    def refit(self) -> None:
        self._width = room = self.view.viewport().width()
        header = header_of(self.view)
        hidden: frozenset[int] = frozenset()
        widths, short = self.widths(room)
        for c in self.drop:  # not even the titles fit: hide the least needed columns first
            if short <= 0:
                break
            hidden = hidden | {c}
            widths, short = self.widths(room, hidden)
        changed = False
        for c in range(header.count()):
            if c != self.stretch and header.isSectionHidden(c) != (c in hidden):
                header.setSectionHidden(c, c in hidden)
                changed = True
        for c, w in widths.items():
            header.resizeSection(c, w)
        if changed:  # a section shown again comes back at its old size after this pass: fit once more
            self._soon.start()


def fit_columns(view: QTableView | QTreeView, stretch: int, *, whole: Iterable[int] = (), drop: Iterable[int] = (),
                cap: int = CAP) -> ColumnFit:  # fmt: skip
    fitter = ColumnFit(view, stretch, whole=whole, drop=drop, cap=cap)
    fitter.refit()
    return fitter
