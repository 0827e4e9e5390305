"""Typed access to the parts of a Qt view or layout that Qt's API may return as None.

``QTableWidget.item``, ``QTreeWidget.topLevelItem``, ``QTreeWidgetItem.child`` and ``QLayout.takeAt`` give
None for an index out of range; where the caller's index comes from the same view's own count (or every cell
was filled when the rows were loaded), the item is there, and these say so once instead of at every use.
"""

from __future__ import annotations

from collections.abc import Iterator

from PySide6.QtWidgets import QLayout, QTableWidget, QTableWidgetItem, QTreeWidget, QTreeWidgetItem, QWidget


def table_cell(table: QTableWidget, row: int, column: int) -> QTableWidgetItem:
    """A cell the table's rows were filled with."""
    item = table.item(row, column)
    assert item is not None, (row, column)
    return item


def top_items(tree: QTreeWidget) -> list[QTreeWidgetItem]:
    """The tree's top-level items, in order."""
    items = [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]
    return [item for item in items if item is not None]


def child_items(item: QTreeWidgetItem) -> list[QTreeWidgetItem]:
    """An item's children, in order."""
    children = [item.child(j) for j in range(item.childCount())]
    return [child for child in children if child is not None]


def taken_widgets(layout: QLayout, keep: int = 0) -> Iterator[QWidget]:
    """Takes the layout's items after the first ``keep`` out of it, one at a time, giving each one's widget
    (an item without one, a spacer or a stretch, is just dropped)."""
    while layout.count() > keep:
        item = layout.takeAt(keep)
        assert item is not None  # count() says it is there
        widget = item.widget()
        if widget is not None:
            yield widget
