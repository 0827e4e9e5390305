"""A row of controls that goes on to the next line when the page is too narrow for it.

A filter row of four labelled lists, a check box and a button (the 督办 tab) is ~1,000 px wide at 150 %:
laid out as a plain row it made the whole page scroll sideways on a 1366×768 screen (docs/ui.md, "Fitting
the screen"). Here each item keeps its preferred width and the row wraps; the layout says how tall it is
at a given width (``heightForWidth``), so the page gives it the lines it needs. Put a label and its field
in one small widget (:func:`pair`) so that they never part at a line break.
"""

from __future__ import annotations

from PySide6.QtCore import QMargins, QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QHBoxLayout, QLayout, QLayoutItem, QWidget


class FlowLayout(QLayout):
    """``fill``: the items of each line share out the line's spare width (a row of big buttons that spans the
    page on a wide screen and wraps on a narrow one); ``right``: each line is pushed to the right edge."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 8, *, fill: bool = False,
                 right: bool = False) -> None:  # fmt: skip
        super().__init__(parent)
        self.fill, self.right = fill, right  # right: each line ends at the right edge (a page's actions)
        self._items: list[QLayoutItem] = []
        self.setContentsMargins(QMargins(0, 0, 0, 0))
        self.setSpacing(spacing)

    # -- what a QLayout must say -------------------------------------------------------------------
    def addItem(self, item: QLayoutItem) -> None:  # noqa: N802 (Qt API)
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 (Qt API)
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 (Qt API)
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:  # noqa: N802 (Qt API)
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt API)
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 (Qt API)
        return self._place(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802 (Qt API)
        super().setGeometry(rect)
        self._place(rect, move=True)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        """All on one line, as on a wide screen."""
        shown = self._shown()
        width = sum(i.sizeHint().width() for i in shown) + self.spacing() * max(0, len(shown) - 1)
        height = max((i.sizeHint().height() for i in shown), default=0)
        m = self.contentsMargins()
        return QSize(width + m.left() + m.right(), height + m.top() + m.bottom())

    def minimumSize(self) -> QSize:  # noqa: N802 (Qt API)
        """As narrow as the widest item (one item a line)."""
        size = QSize()
        for item in self._shown():
            size = size.expandedTo(item.minimumSize().expandedTo(item.sizeHint()))
        m = self.contentsMargins()
        return size + QSize(m.left() + m.right(), m.top() + m.bottom())

    # -- placing ------------------------------------------------------------------------------------
    def _shown(self) -> list[QLayoutItem]:
        return [i for i in self._items if not i.isEmpty()]

    def _place(self, rect: QRect, *, move: bool) -> int:
        """Lay the items out in ``rect`` line by line, each centred on its line's height (or only
        measure); the height used."""
        m = self.contentsMargins()
        area = rect.adjusted(m.left(), m.top(), -m.right(), -m.bottom())
        gap = self.spacing()
        lines: list[list[tuple[QLayoutItem, int, QSize]]] = [[]]
        x = area.x()
        for item in self._shown():
            hint = item.sizeHint()
            if lines[-1] and x + hint.width() > area.right() + 1:  # does not fit: the next line
                lines.append([])
                x = area.x()
            lines[-1].append((item, x, hint))
            x += hint.width() + gap
        y = area.y()
        for line in (ln for ln in lines if ln):
            height = max(hint.height() for _i, _x, hint in line)
            if move:
                spare = area.right() + 1 - (line[-1][1] + line[-1][2].width())
                shift = spare if self.right and not self.fill else 0
                spare = spare if self.fill else 0
                for n, (item, left, hint) in enumerate(line):
                    extra = spare // len(line) + (spare % len(line) if n == len(line) - 1 else 0)
                    top = y + (height - hint.height()) // 2
                    width = min(hint.width() + extra, area.width())
                    item.setGeometry(QRect(QPoint(left + shift, top), QSize(width, hint.height())))
                    shift += extra
            y += height + gap
        used = y - gap if any(lines) else y
        return used - rect.y() + m.bottom()


def pair(*widgets: QWidget, parent: QWidget | None = None) -> QWidget:
    """A label and its field side by side, kept together on one line of a :class:`FlowLayout`."""
    box = QWidget(parent)
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    row.setSpacing(4)
    for w in widgets:
        row.addWidget(w)
    return box
