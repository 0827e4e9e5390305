"""Table columns as wide as their content, within the table: no horizontal scrolling, no cut-off title.

:class:`ColumnFit` sizes every column to what its title and the rows on screen need (each column at
most ``cap`` px), gives the rest to one stretching column (the item name, a note), and when the table is
too narrow for all that, takes the room from the columns that have more than their title needs, in
proportion, never below the title. Columns named in ``whole`` (a case number) keep their content width.
When even the titles do not fit (a 1366×768 screen at 150 %), the columns named in ``drop`` are hidden,
in that order, until they do (their facts are on the case page). A cell narrower than its text is drawn
elided; the models put the whole text in the cell's tooltip. It refits when the table's width changes
and when rows arrive, or a changed cell needs more room than its column has.

A column the clerk drags to a width keeps it through those later fits (the other columns fit around it), as
long as the fitter lives: the page's life, i.e. until the clerk signs out (a new sign-in builds new pages and
starts from the fit; unlocking the idle lock keeps them). On a table too narrow, the columns in ``drop`` go
first, then the dragged column gives what is still missing (never sideways scrolling); the width dragged comes
back when the room does. A double-click on the column's edge in the header gives it back to the fit.

Columns named in ``tails`` (a case number, with how many of its last characters tell the rows apart) are
whole while there is room. When there is not, what the others have beyond KEEP_CHARS (a long name) goes
first, with the stretching column down to its least; then the tails give up their heads — drawn
「…01-20261207-000014」: the site code goes — then the stretching column down to its title, and a status
or a name of up to KEEP_CHARS last (columns are dropped before that): on a narrow screen they stay whole
instead of every column being cut to make room for a site code repeated on every row (docs/ui.md). A tail
column the clerk drags narrower than its text loses its head the same way, from the moment it is dragged.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QHeaderView,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QTreeView,
    QWidget,
)

CAP = 360  # no column but the stretching one is wider than this before it elides
SHORT_CHARS = 5  # content this short (in CJK characters) is never elided (its column keeps CELL_MARGINS beside it)
STRETCH_WANT_CHARS = 24  # the stretching column asks for its content up to this many characters
STRETCH_LEAST_CHARS = 8  # and keeps room for at least this many
STRETCH_GIVES = 0.5  # when room is short it gives up half the share of the other columns
# The end of a case number that tells the cases of a list apart: its device (2-4 characters), date and
# sequence, 「…01-20261207-000014」 (domain/case_numbers.py: site, device and sequence make a number unique).
CASE_NUMBER_TAIL = 20
# When room is short, a status or a name up to this long is kept whole before the stretching column (the item)
# goes below its least (tables with a tail column; the others are unchanged).
KEEP_CHARS = 6
CELL_MARGINS = 8  # px beside a cell's text (Qt's delegate keeps 2 × 3 px; a little more so the end is whole)
STRETCH = -1  # the stretching column's key among the widths _tails_first shares out


def header_of(view: QTableView | QTreeView) -> QHeaderView:
    return view.horizontalHeader() if isinstance(view, QTableView) else view.header()


class ElideHead(QStyledItemDelegate):
    """Draws a cut cell's end and drops its head (「…01-20261207-000014」): a tail column's delegate, set only
    once the column is first cut (a list that has the room keeps Qt's own delegate, no call into Python)."""

    def initStyleOption(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> None:  # noqa: N802
        super().initStyleOption(option, index)
        option.textElideMode = Qt.TextElideMode.ElideLeft


class ColumnFit(QObject):
    def __init__(self, view: QTableView | QTreeView, stretch: int, *, whole: Iterable[int] = (),
                 drop: Iterable[int] = (), tails: Mapping[int, int] | None = None, cap: int = CAP) -> None:  # fmt: skip
        super().__init__(view)
        self.view, self.stretch, self.whole, self.drop, self.cap = view, stretch, frozenset(whole), tuple(drop), cap
        # column -> how many of its last characters stay when it is cut; a column drawn by a delegate of its own
        # (or a table's delegate other than Qt's) could not be drawn from its end: it stays whole instead
        plain = type(view.itemDelegate()) is QStyledItemDelegate
        self.tails = {c: n for c, n in (tails or {}).items() if plain and view.itemDelegateForColumn(c) is None}
        self.whole |= frozenset(tails or ()) - set(self.tails)
        self._want: dict[int, int] = {}  # the last fit's content widths (refit tells a cut tail from them)
        self._head_cut: ElideHead | None = None
        self.held: dict[int, int] = {}  # column -> the width the clerk dragged it to (kept through later fits)
        self._titles: dict[int, int] = {}  # column -> the room its title needs, as last seen shown (see _title)
        self._fitting = False  # our own resizes are not the clerk's
        self._pressed = False  # a mouse button is down on the header: a resize now is a drag
        self._dragged = False
        self._hints: dict[int, int] | None = None  # during a fit: each column's rows measured once (see _hint)
        self._width = -1
        self._soon = QTimer(self)  # rows filled cell by cell (a QTableWidget) refit once, after the last
        self._soon.setSingleShot(True)
        self._soon.setInterval(0)
        self._soon.timeout.connect(self.refit)
        header = header_of(view)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
        self._viewport = view.viewport()
        self._viewport.installEventFilter(self)
        # The header's viewport (where a drag's press and release arrive) is watched from the clerk's first drag
        # on, not from here: it is a plain QWidget Qt made itself, and the first one Python meets makes PySide6
        # create ~60 widget classes to find its type, ~9 ms on the way to the first painted list
        # (docs/performance.md, "Fifth round").
        self._header = header
        self._header_viewport: QWidget | None = None
        header.sectionResized.connect(self._section_resized)
        header.sectionHandleDoubleClicked.connect(self._give_back)
        model = view.model()
        for signal in (model.modelReset, model.rowsInserted, model.layoutChanged, model.headerDataChanged):
            signal.connect(self._soon.start)
        model.dataChanged.connect(self._cells_changed)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        kind = event.type()
        if watched is self._viewport:
            if kind == QEvent.Type.Resize and self._viewport.width() != self._width:
                self.refit()
        elif watched is self._header_viewport:
            if kind == QEvent.Type.MouseButtonPress:
                self._pressed = True
            elif kind == QEvent.Type.MouseButtonRelease:
                self._pressed = False
                if self._dragged:  # the drag is over: the other columns fit around the width it left
                    self._dragged = False
                    self.refit()
        return False

    def _section_resized(self, column: int, _old: int, new: int) -> None:
        """A column resized while a button is down on the header, by none of our fits: the clerk dragged it.
        Before the header is watched, a resize with the left button down is the first drag (Qt resizes a column
        itself only then, or for a double-click on its edge: given back at once); it is watched from then on."""
        if self._fitting or column == self.stretch or new <= 0:
            return
        if not self._pressed:
            if self._header_viewport is not None or not QGuiApplication.mouseButtons() & Qt.MouseButton.LeftButton:
                return
            self._header_viewport = self._header.viewport()  # (its release, and the presses after, tell from now)
            self._header_viewport.installEventFilter(self)
            self._pressed = True
        self.held[column] = new
        self._dragged = True
        if column in self.tails and self._head_cut is None and new < self._want.get(column, 0):
            # dragged narrower than its number (as wide as the last fit measured it: not measured again at each
            # move of the mouse, every row through the model): the head goes, not the sequence
            self._cut_heads()

    def _give_back(self, column: int) -> None:
        """A double-click on a column's edge (Qt has just sized it to its content): the fit has it again."""
        self.held.pop(column, None)
        self._pressed = self._dragged = False  # (the button is still down: what follows is no drag)
        self.refit()

    def _cut_heads(self) -> None:
        if self._head_cut is None:
            self._head_cut = ElideHead(self.view)  # (kept once made: a few calls into Python per painted number)
            for c in self.tails:
                self.view.setItemDelegateForColumn(c, self._head_cut)

    def _cells_changed(self, top_left: QModelIndex, bottom_right: QModelIndex, _roles: object = None) -> None:
        """Cells changed in place (a countdown each second, a cell filled): fit again only when one of their
        columns now needs more room than it has. A fit measures every column (~13 ms for 100 rows of the case
        list, every second while a clock ticked)."""
        if self._soon.isActive():
            return
        header = header_of(self.view)
        for c in range(top_left.column(), bottom_right.column() + 1):
            if c == self.stretch or c in self.held or header.isSectionHidden(c):
                continue
            # against what the last fit wanted for it, not its width: a column cut to fit a narrow table is
            # narrower than its text at every tick
            limit = 10_000 if c in self.whole or c in self.tails else self.cap
            if c not in self._want or min(self.view.sizeHintForColumn(c), limit) > self._want[c]:
                self._soon.start()
                return

    def widths(self, room: int, hidden: frozenset[int] = frozenset(), squeeze: int = 0) -> tuple[dict[int, int], int]:
        """The width of every shown column but the stretching one, for a viewport ``room`` px wide, and
        how many px it is still short when every column is down to its title (0: it fits). A column the clerk
        dragged keeps its width and the others fit around it; ``squeeze``: what the table is still short once
        the columns to drop are hidden, which the dragged ones give, down to what a column keeps when room is
        short (KEEP_CHARS, a number's end), and below that, to their titles, only what the others cannot."""
        header = header_of(self.view)
        held = {c: w for c, w in self.held.items() if c < header.count() and c != self.stretch and c not in hidden}
        want = self._content(c for c in range(header.count()) if c != self.stretch and c not in hidden)
        self._want = want
        if squeeze > 0 and held:  # first down to what a column keeps when room is short, then to the title
            metrics = self.view.fontMetrics()
            keep = KEEP_CHARS * metrics.horizontalAdvance("中") + CELL_MARGINS
            title = {c: min(w, self._title(c)) for c, w in held.items()}
            kept = {c: min(w, max(title[c], metrics.horizontalAdvance("…" + "0" * self.tails[c]) + CELL_MARGINS
                                  if c in self.tails else min(want[c], keep)))
                    for c, w in held.items()}  # fmt: skip
            _give(held, list(held), kept, squeeze)
            widths, short = self._fit(room, hidden, want, held)
            over = sum(widths.values()) + self._title(self.stretch) - room
            if over <= 0:  # (the others give the rest, down to their least)
                return widths, short
            _give(held, list(held), title, over)
        return self._fit(room, hidden, want, held)

    def _title(self, column: int) -> int:
        """The room the column's title needs. Qt gives 0 for a section that is hidden, and a column left out
        looked as if its title fitted in nothing: brought back into a room too small for it, with its title
        cut (the inbox's 办结时限 at 1366×768 and 125 %). What it needed when last shown is kept for then."""
        header = header_of(self.view)
        if not header.isSectionHidden(column) or column not in self._titles:
            hint = header.sectionSizeHint(column)
            if hint > 0:
                self._titles[column] = hint
        return self._titles.get(column, 0)

    def _content(self, columns: Iterable[int]) -> dict[int, int]:
        """What each column wants: its content (up to ``cap``, but for a whole or tail column), never below its title."""
        return {c: max(self._title(c), min(self._hint(c), 10_000 if c in self.whole or c in self.tails else self.cap))
                for c in columns}

    def _hint(self, column: int) -> int:
        """How wide the column's rows are (each row measured, through the model): once per fit, which tries the
        widths again for each column it leaves out and when a dragged column must give; the rows do not change
        meanwhile."""
        if self._hints is None:
            return self.view.sizeHintForColumn(column)
        if column not in self._hints:
            self._hints[column] = self.view.sizeHintForColumn(column)
        return self._hints[column]

    def _fit(self, room: int, hidden: frozenset[int], content: Mapping[int, int],
             held: Mapping[int, int]) -> tuple[dict[int, int], int]:  # fmt: skip
        """The fit for :meth:`widths`: ``content`` what each column wants, ``held`` the fixed widths."""
        view, header = self.view, header_of(self.view)
        metrics = view.fontMetrics()
        chars = metrics.horizontalAdvance("中")
        columns = [c for c in range(header.count()) if c != self.stretch and c not in hidden]
        want = {c: held.get(c, content[c]) for c in columns}
        # A column never gives up its title, nor a short content (a department, a name) it can show whole.
        whole_short = SHORT_CHARS * chars + CELL_MARGINS  # (without the margins beside it, drawn 「欧阳诸…」)
        least = {c: want[c] if c in self.whole else max(self._title(c), min(want[c], whole_short))
                 for c in columns}
        for c, n in self.tails.items():
            if c in least:  # down to "…" and its last characters (digits: the widest is as wide as "0")
                end = metrics.horizontalAdvance("…" + "0" * n) + CELL_MARGINS
                least[c] = min(want[c], max(self._title(c), end))
        least.update((c, w) for c, w in held.items() if c in least)  # a dragged column gives nothing here
        stretch_title = self._title(self.stretch)
        stretch_want = max(stretch_title, min(self._hint(self.stretch), STRETCH_WANT_CHARS * chars))
        stretch_least = max(stretch_title, min(stretch_want, STRETCH_LEAST_CHARS * chars + 12))
        over = sum(want.values()) + stretch_want - room
        if over <= 0:
            return want, 0
        if any(c in least for c in self.tails):
            # a status or a name up to KEEP_CHARS stays whole, and the item keeps its least, before columns are dropped
            kept = {c: least[c] if c in self.tails else max(least[c], min(want[c], KEEP_CHARS * chars + CELL_MARGINS))
                    for c in columns}  # fmt: skip
            short = max(0, sum(kept.values()) + stretch_least - room)
            last = {c: held[c] if c in held else max(self._title(c), min(want[c], whole_short))
                    for c in self.tails}  # fmt: skip
            return self._tails_first(want, least, kept, last, stretch_want, stretch_least, stretch_title, over), short
        short = max(0, sum(least.values()) + stretch_least - room)
        # The stretching column (the item) gives up half as much as the others, in proportion to its slack.
        slack = {c: want[c] - least[c] for c in columns}
        total = sum(slack.values()) + STRETCH_GIVES * (stretch_want - stretch_least)
        share = min(1.0, over / total) if total > 0 else 0.0
        return {c: want[c] - int(slack[c] * share + 0.999) for c in columns}, short

    def _tails_first(self, want: dict[int, int], least: dict[int, int], kept: dict[int, int], last: dict[int, int],
                     stretch_want: int, stretch_least: int, stretch_title: int, over: int) -> dict[int, int]:  # fmt: skip
        """Widths when room is short and a tail column is shown, given in this order: what the others have
        beyond ``kept`` (a long name), with the stretching column (at half their pace, as without tails), and
        the stretching column down to its least; then the tails their heads; then the stretching column down to
        its title; then the others down to their least, in proportion; and on a table too narrow even for that,
        the tails down to ``last`` (their title, or a short text), as any other column."""
        widths = dict(want)
        tails = [c for c in widths if c in self.tails]
        others = [c for c in widths if c not in self.tails]
        widths[STRETCH] = stretch_want  # (the stretching column takes what the others leave; counted here)
        floor = {**kept, STRETCH: stretch_least}
        over = _give(widths, [*others, STRETCH], floor, over, pace={STRETCH: STRETCH_GIVES})
        over = _give(widths, [STRETCH], floor, over)
        over = _give(widths, tails, least, over)
        over -= min(over, widths.pop(STRETCH) - stretch_title)
        over = _give(widths, others, least, over)
        _give(widths, tails, last, over)
        return widths

    def refit(self) -> None:
        self._width = room = self.view.viewport().width()
        header = header_of(self.view)
        hidden: frozenset[int] = frozenset()
        self._hints = {}
        try:
            widths, short = self.widths(room)
            for c in self.drop:  # not even the titles fit: hide the least needed columns first
                if short <= 0:
                    break
                hidden = hidden | {c}
                widths, short = self.widths(room, hidden)
            if short > 0 and self.held:  # still short: the dragged columns give (the table never scrolls sideways)
                widths, short = self.widths(room, hidden, squeeze=short)
        finally:
            self._hints = None
        changed = False
        self._fitting = True  # (what follows resizes sections: none of it is the clerk's drag)
        try:
            for c in range(header.count()):
                if c != self.stretch and header.isSectionHidden(c) != (c in hidden):
                    header.setSectionHidden(c, c in hidden)
                    changed = True
            for c, w in widths.items():
                header.resizeSection(c, w)
        finally:
            self._fitting = False
        if self._head_cut is None and any(c in widths and widths[c] < self._want[c] for c in self.tails):
            self._cut_heads()
        if changed:  # a section shown again comes back at its old size after this pass: fit once more
            self._soon.start()


def _give(widths: dict[int, int], columns: list[int], floor: dict[int, int], over: int, *,
          pace: Mapping[int, float] | None = None) -> int:  # fmt: skip
    """Take ``over`` px from ``columns`` in proportion to what each has above its ``floor`` (times its ``pace``,
    1 unless said: a column at half pace gives half as much, and keeps the rest); returns what is still to
    find."""
    pace = pace or {}
    slack = {c: (widths[c] - floor[c]) * pace.get(c, 1.0) for c in columns if widths[c] > floor[c]}
    total = sum(slack.values())
    if over <= 0 or total <= 0:
        return over
    share = min(1.0, over / total)
    for c, more in slack.items():
        widths[c] -= int(more * share + 0.999)
    return over - min(over, int(total))


def fit_columns(view: QTableView | QTreeView, stretch: int, *, whole: Iterable[int] = (), drop: Iterable[int] = (),
                tails: Mapping[int, int] | None = None, cap: int = CAP) -> ColumnFit:  # fmt: skip
    """Fit ``view``'s columns now if it is on screen, else when it is first shown: a table built hidden (a page
    being made) has a viewport of Qt's default ~100 px, and a fit to that measured every title a few times over
    to leave columns out that the fit at the real width brings back (and fits once more for them): ~3 ms of the
    start's 办件 list for nothing (docs/performance.md, "Twelfth round"). Its viewport's first resize, as the
    table is shown, fits it (see :meth:`ColumnFit.eventFilter`)."""
    fitter = ColumnFit(view, stretch, whole=whole, drop=drop, tails=tails, cap=cap)
    if view.isVisible():
        fitter.refit()
    return fitter
