"""What a list draws in a cell: its text elided to the column's width as its delegate elides it (a case number's
column that gives up its head draws 「…01-20261207-000014」, ui/column_fit.ElideHead; the others cut the end)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableView

from clerk_desk.ui.column_fit import ElideHead


def drawn(view: QTableView, row: int, column: int) -> str:
    index = view.model().index(row, column)
    text = str(index.data() or "")
    metrics = view.fontMetrics()
    margins = view.sizeHintForIndex(index).width() - metrics.horizontalAdvance(text)  # beside the text
    head = isinstance(view.itemDelegateForColumn(column), ElideHead)
    mode = Qt.TextElideMode.ElideLeft if head else view.textElideMode()
    return metrics.elidedText(text, mode, view.columnWidth(column) - margins)


DATE_AND_SEQUENCE = len("20261207-000014")


def tells_apart(view: QTableView, column: int = 0) -> list[str]:
    """The rows whose case number is drawn without its date and sequence (「…20261207-000014」; the fit keeps
    the device too, CASE_NUMBER_TAIL characters, unless the table is too narrow even for that): what a narrow
    list must never do."""
    bad = []
    for row in range(view.model().rowCount()):
        number = str(view.model().index(row, column).data() or "")
        if not drawn(view, row, column).endswith(number[-DATE_AND_SEQUENCE:]):
            bad.append(drawn(view, row, column))
    return bad
