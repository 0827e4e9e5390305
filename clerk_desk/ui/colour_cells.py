"""Cells whose colour says something (a red or amber countdown, an overdue date, a withdrawal request)
keep it when their row is selected.

The style sheet paints a selected row light blue with dark text, which turns a red 「超时 04:00」 into an
ordinary cell the moment the clerk clicks the row. :class:`KeepColours` draws such a cell as it is when
not selected, and marks the selection with a frame in the selection colour instead.
"""

from __future__ import annotations

from PySide6 import QtWidgets
from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPen
from PySide6.QtWidgets import QAbstractItemView, QStyledItemDelegate, QStyleOptionViewItem

SELECTED_FRAME = QColor("#2874a6")


def coloured(index: QModelIndex | QPersistentModelIndex) -> bool:
    """True when the model gives the cell its own background or text colour."""
    return isinstance(index.data(Qt.ItemDataRole.BackgroundRole), QBrush | QColor) or isinstance(
        index.data(Qt.ItemDataRole.ForegroundRole), QBrush | QColor
    )


class KeepColours(QStyledItemDelegate):
    def __init__(self, view: QAbstractItemView) -> None:
        super().__init__(view)
        self.view = view

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:  # fmt: skip
        # Selection asked of the view, not of option.state: that is a QStyle flag, and PySide6 makes QStyle's
        # Python class (~5 ms of enums) the first time one is met; a list painted with nothing selected (the
        # start) never needs it (docs/performance.md, "Fifth round").
        if not self.view.selectionModel().isSelected(index) or not coloured(index):
            super().paint(painter, option, index)
            return
        plain = QStyleOptionViewItem(option)
        plain.state &= ~QtWidgets.QStyle.StateFlag.State_Selected
        background = index.data(Qt.ItemDataRole.BackgroundRole)
        painter.save()
        painter.fillRect(option.rect, QBrush(option.palette.highlight()) if background is None else background)
        super().paint(painter, plain, index)
        painter.setPen(QPen(SELECTED_FRAME, 2))
        painter.drawRect(option.rect.adjusted(1, 1, -1, -1))
        painter.restore()
