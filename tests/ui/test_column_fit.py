"""ColumnFit's order of giving way when a table has a case-number column (ui/column_fit.py): swept from wide
to narrow, a long name gives first (with the item), then the number its head, and a six-character status or
name only when nothing else is left; never any sideways scrolling."""

from __future__ import annotations

from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QTableView
from pytestqt.qtbot import QtBot

from clerk_desk.ui.column_fit import CASE_NUMBER_TAIL, ElideHead, fit_columns

NUMBER, ITEM, NAME, STATUS, LONG_NAME = range(5)
ROW = ("421224100-01-20261207-000014", "适龄儿童少年因故要延缓、免于或中断义务教育审批", "欧阳诸葛明月", "已受理待流转",
       "阿卜杜热合曼·买买提依明")


def table(qtbot: QtBot, tails: bool) -> QTableView:
    model = QStandardItemModel(0, len(ROW))
    model.setHorizontalHeaderLabels(["办件编号", "事项", "申请人", "状态", "代理人"])
    for _ in range(3):
        model.appendRow([QStandardItem(text) for text in ROW])
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.setWordWrap(False)
    fit_columns(view, ITEM, tails={NUMBER: CASE_NUMBER_TAIL} if tails else None,
                whole=() if tails else (NUMBER,))  # fmt: skip
    view.show()
    return view


def first_cut(view: QTableView, qtbot: QtBot, narrowest: int) -> list[int]:
    """The columns in the order they are first cut as the table narrows 10 px at a time (down to where the
    titles still fit: no column is dropped here)."""
    order: list[int] = []
    for width in range(1500, narrowest - 1, -10):
        view.resize(width, 300)
        qtbot.waitUntil(lambda w=width: view.width() == w)
        qtbot.wait(0)
        assert view.horizontalScrollBar().maximum() == 0, width
        for c in (NUMBER, NAME, STATUS, LONG_NAME):
            if c not in order and view.columnWidth(c) < view.sizeHintForColumn(c):
                order.append(c)
    return order


def test_with_a_number_column_the_long_name_then_the_number_give_before_a_status(qtbot: QtBot) -> None:
    view = table(qtbot, tails=True)
    order = first_cut(view, qtbot, 450)
    assert order[:2] == [LONG_NAME, NUMBER] and set(order[2:]) <= {NAME, STATUS}, order
    fm = view.fontMetrics()
    assert view.columnWidth(NUMBER) >= fm.horizontalAdvance("…" + ROW[NUMBER][-CASE_NUMBER_TAIL:])
    assert isinstance(view.itemDelegateForColumn(NUMBER), ElideHead)
    assert view.itemDelegateForColumn(NAME) is None  # Qt's own delegate everywhere else


def test_a_whole_number_column_keeps_its_width_and_the_others_give_together(qtbot: QtBot) -> None:
    """The behaviour of every other table (no tails) is as before: the number is never cut."""
    view = table(qtbot, tails=False)
    order = first_cut(view, qtbot, 510)  # (the whole number leaves the titles no room below)
    assert NUMBER not in order and {NAME, STATUS} & set(order), order
    assert view.itemDelegateForColumn(NUMBER) is None
