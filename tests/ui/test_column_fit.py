"""ColumnFit's order of giving way when a table has a case-number column (ui/column_fit.py): swept from wide
to narrow, a long name gives first and the item down to its least, then the number its head, and a
six-character status or name only when nothing else is left; never any sideways scrolling."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem, QTableView
from pytestqt.qtbot import QtBot

from clerk_desk.ui.column_fit import CASE_NUMBER_TAIL, STRETCH_LEAST_CHARS, ColumnFit, ElideHead, fit_columns

V = TypeVar("V", bound=QTableView)
NUMBER, ITEM, NAME, STATUS, LONG_NAME = range(5)
ROW = ("421224100-01-20261207-000014", "适龄儿童少年因故要延缓、免于或中断义务教育审批", "欧阳诸葛明月", "已受理待流转",
       "阿卜杜热合曼·买买提依明")  # fmt: skip


def rows_model(rows: int = 3) -> QStandardItemModel:
    """The five columns of a list (number, item, applicant, status, agent), ``rows`` rows of ROW."""
    model = QStandardItemModel(0, len(ROW))
    model.setHorizontalHeaderLabels(["办件编号", "事项", "申请人", "状态", "代理人"])
    for _ in range(rows):
        model.appendRow([QStandardItem(text) for text in ROW])
    return model


def with_rows(qtbot: QtBot, view: V) -> V:
    """``view`` holding three rows of the list (rows_model), one line a row, not yet shown."""
    qtbot.addWidget(view)
    view.setModel(rows_model())
    view.setWordWrap(False)
    return view


def table(qtbot: QtBot, tails: bool, width: int = 0, drop: tuple[int, ...] = ()) -> tuple[QTableView, ColumnFit]:
    view = with_rows(qtbot, QTableView())
    if width:  # shown at that width before the first fit (a list opened on a wide screen)
        view.resize(width, 300)
        view.show()
        qtbot.waitExposed(view)
    fit = fit_columns(view, ITEM, tails={NUMBER: CASE_NUMBER_TAIL} if tails else None,
                      whole=() if tails else (NUMBER,), drop=drop)  # fmt: skip
    view.show()
    return view, fit


def sweep(view: QTableView, fit: ColumnFit, qtbot: QtBot, narrowest: int) -> tuple[list[int], dict[int, int]]:
    """The columns in the order they are first cut as the table narrows 10 px at a time (down to where the
    titles still fit: no column is dropped here), and the item's width when each was first cut."""
    order: list[int] = []
    item_at: dict[int, int] = {}
    for width in range(1500, narrowest - 1, -10):
        view.resize(width, 300)
        qtbot.waitUntil(lambda w=width: view.width() == w and fit._width == view.viewport().width())
        assert view.horizontalScrollBar().maximum() == 0, width
        for c in (NUMBER, NAME, STATUS, LONG_NAME):
            if c not in order and view.columnWidth(c) < view.sizeHintForColumn(c):
                order.append(c)
                item_at[c] = view.columnWidth(ITEM)
    return order, item_at


def test_with_a_number_column_the_long_name_then_the_number_give_before_a_status(qtbot: QtBot) -> None:
    view, fit = table(qtbot, tails=True)
    order, item_at = sweep(view, fit, qtbot, 450)
    assert order[:2] == [LONG_NAME, NUMBER] and set(order[2:]) <= {NAME, STATUS}, order
    least = STRETCH_LEAST_CHARS * view.fontMetrics().horizontalAdvance("中") + 12
    assert item_at[NUMBER] <= least + 2, (item_at, least)  # the item was down to its least first
    assert isinstance(view.itemDelegateForColumn(NUMBER), ElideHead)
    assert view.itemDelegateForColumn(NAME) is None  # Qt's own delegate everywhere else


def test_a_whole_number_column_keeps_its_width_and_the_others_give_together(qtbot: QtBot) -> None:
    """The behaviour of every other table (no tails) is as before: the number is never cut."""
    view, fit = table(qtbot, tails=False)
    order, _ = sweep(view, fit, qtbot, 520)  # (the whole number and two whole short texts leave no room below)
    assert NUMBER not in order and {NAME, STATUS} & set(order), order
    assert view.itemDelegateForColumn(NUMBER) is None


def test_a_number_column_with_a_delegate_of_its_own_stays_whole(qtbot: QtBot) -> None:
    """A column another delegate draws could not be drawn from its end: it is kept whole instead of being cut
    at the wrong end."""
    model = QStandardItemModel(1, 2)
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    own = QStyledItemDelegate(view)
    view.setItemDelegateForColumn(NUMBER, own)
    fit = ColumnFit(view, ITEM, tails={NUMBER: CASE_NUMBER_TAIL})
    assert fit.tails == {} and NUMBER in fit.whole
    assert view.itemDelegateForColumn(NUMBER) is own


def test_a_changed_cell_fits_again_only_when_its_text_needs_more_than_the_fit_gave(qtbot: QtBot) -> None:
    """A clock repaints its column every second: on a table too narrow for its texts (its columns cut) every
    repaint made a full fit (~12 ms for 100 rows). Only a text that grew past what the fit wanted does."""
    view, fit = table(qtbot, tails=True)
    view.resize(700, 300)
    qtbot.waitUntil(lambda: fit._width == view.viewport().width())
    model = view.model()
    assert view.columnWidth(LONG_NAME) < view.sizeHintForColumn(LONG_NAME)  # cut to fit
    model.dataChanged.emit(model.index(0, LONG_NAME), model.index(2, LONG_NAME))  # a repaint, nothing grew
    assert not fit._soon.isActive()
    model.setData(model.index(0, STATUS), "已受理待流转（撤回申请中）")  # a status grown past its fitted width
    assert fit._soon.isActive()
    qtbot.waitUntil(lambda: not fit._soon.isActive())


def drag_edge(qtbot: QtBot, view: QTableView, column: int, to_width: int) -> None:
    """The clerk drags the right edge of ``column``'s header to make it ``to_width`` px wide (as a mouse does:
    press on the edge, move, release)."""
    header = view.horizontalHeader()
    edge = header.sectionViewportPosition(column) + header.sectionSize(column) - 1
    y = header.height() // 2
    qtbot.mousePress(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(edge, y))
    for x in (edge + (to_width - header.sectionSize(column)) // 2, edge + to_width - header.sectionSize(column)):
        QTest.mouseMove(header.viewport(), QPoint(x, y))
    qtbot.mouseRelease(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(edge + to_width - header.sectionSize(column), y))


def test_a_column_the_clerk_dragged_keeps_its_width_when_the_table_is_resized_or_rows_arrive(qtbot: QtBot) -> None:
    """A column dragged to a width was fitted again at the next resize or the next rows; it keeps the width
    now, the other columns fitting around it (no sideways scrolling), until a double-click on its edge gives
    it back to the fit."""
    view, fit = table(qtbot, tails=True)
    view.resize(1300, 300)
    qtbot.waitUntil(lambda: fit._width == view.viewport().width())
    fitted = view.columnWidth(STATUS)
    drag_edge(qtbot, view, STATUS, fitted + 80)
    dragged = view.columnWidth(STATUS)
    assert abs(dragged - (fitted + 80)) <= 1
    view.resize(1200, 300)  # the window narrowed
    qtbot.waitUntil(lambda: fit._width == view.viewport().width())
    assert view.columnWidth(STATUS) == dragged
    assert view.horizontalScrollBar().maximum() == 0
    model = view.model()
    assert isinstance(model, QStandardItemModel)
    model.appendRow([QStandardItem(text) for text in ROW])  # new rows arrive
    qtbot.waitUntil(lambda: not fit._soon.isActive())
    assert view.columnWidth(STATUS) == dragged
    assert view.columnWidth(NAME) >= view.sizeHintForColumn(NAME)  # the others still fit (here: whole)
    view.resize(500, 300)  # too narrow for it and the others' least: it gives, the table does not scroll
    qtbot.waitUntil(lambda: fit._width == view.viewport().width())
    assert view.columnWidth(STATUS) < dragged and view.horizontalScrollBar().maximum() == 0
    view.resize(1200, 300)  # the room is back: so is the width dragged
    qtbot.waitUntil(lambda: fit._width == view.viewport().width())
    assert view.columnWidth(STATUS) == dragged
    # A double-click on the edge: the fit has the column again.
    header = view.horizontalHeader()
    edge = header.sectionViewportPosition(STATUS) + header.sectionSize(STATUS) - 1
    qtbot.mouseDClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(edge, header.height() // 2))
    assert view.columnWidth(STATUS) == fitted
    view.resize(1250, 300)
    qtbot.waitUntil(lambda: fit._width == view.viewport().width())
    assert view.columnWidth(STATUS) == fitted  # fitted from then on
    assert view.horizontalScrollBar().maximum() == 0



def test_a_dragged_column_gives_only_after_the_columns_to_drop_and_never_more_than_the_others(qtbot: QtBot) -> None:
    """On a narrow table the columns named to be left out go first; the dragged column then gives what is
    still missing, down to what the others keep (a six-character status whole) before anything goes below."""
    view, fit = table(qtbot, tails=True, drop=(LONG_NAME,))
    view.resize(1300, 300)
    qtbot.waitUntil(lambda: fit._width == view.viewport().width())
    drag_edge(qtbot, view, STATUS, view.columnWidth(STATUS) + 60)
    dragged = view.columnWidth(STATUS)
    for width in range(1000, 400, -10):
        view.resize(width, 300)
        qtbot.waitUntil(lambda: fit._width == view.viewport().width())
        assert view.columnWidth(STATUS) == dragged or view.isColumnHidden(LONG_NAME), width
        assert view.horizontalScrollBar().maximum() == 0, width
    assert view.columnWidth(STATUS) < dragged  # (it did give in the end)
    view.resize(400, 300)
    qtbot.waitUntil(lambda: fit._width == view.viewport().width())
    assert view.columnWidth(STATUS) >= view.sizeHintForColumn(STATUS)  # 「已受理待流转」 whole, as undragged
    assert view.horizontalScrollBar().maximum() == 0


def test_a_number_dragged_narrower_by_hand_loses_its_head_not_its_sequence(qtbot: QtBot) -> None:
    """On a table with the room the number is whole and drawn by Qt's delegate (elided on the right); dragged
    narrower by hand it was cut at its end (「421224100-01-2026…」), losing the sequence that tells the rows
    apart. It loses its head now, as when the fit cuts it: 「…01-20261207-000014」."""
    view, fit = table(qtbot, tails=True, width=1500)
    qtbot.waitUntil(lambda: fit._width == view.viewport().width())
    assert view.itemDelegateForColumn(NUMBER) is None  # whole: no cut yet
    whole = view.columnWidth(NUMBER)
    end = view.fontMetrics().horizontalAdvance("…" + "0" * CASE_NUMBER_TAIL) + 12
    drag_edge(qtbot, view, NUMBER, end)
    assert view.columnWidth(NUMBER) < whole
    delegate = view.itemDelegateForColumn(NUMBER)
    assert isinstance(delegate, ElideHead)
    option = QStyleOptionViewItem()
    delegate.initStyleOption(option, view.model().index(0, NUMBER))
    shown = view.fontMetrics().elidedText(option.text, option.textElideMode, view.columnWidth(NUMBER) - 8)
    assert shown.startswith("…") and shown.endswith("000014"), shown
    view.resize(1400, 300)  # and it stays so through the next fit
    qtbot.waitUntil(lambda: fit._width == view.viewport().width())
    assert view.columnWidth(NUMBER) < whole and view.itemDelegateForColumn(NUMBER) is delegate


def test_a_double_click_on_an_edge_before_any_drag_leaves_the_column_to_the_fit(qtbot: QtBot) -> None:
    """Until the clerk first drags, the header's viewport is not watched (the start never meets it): a resize
    with the button down is then taken for the first drag. Qt's own resize to the content on a double-click on
    an edge is one too: it is given back to the fit at once, and a column resized by the program is never held."""
    view, fit = table(qtbot, tails=True)
    view.resize(700, 300)
    qtbot.waitUntil(lambda: fit._width == view.viewport().width())
    fitted = view.columnWidth(LONG_NAME)
    assert fitted < view.sizeHintForColumn(LONG_NAME)  # cut to fit: a double-click makes Qt widen it
    header = view.horizontalHeader()
    edge = header.sectionViewportPosition(LONG_NAME) + header.sectionSize(LONG_NAME) - 1
    qtbot.mouseDClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(edge, header.height() // 2))
    assert fit.held == {} and view.columnWidth(LONG_NAME) == fitted
    qtbot.mouseRelease(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(edge, header.height() // 2))
    assert view.horizontalScrollBar().maximum() == 0
    view.setColumnWidth(STATUS, view.columnWidth(STATUS) + 40)  # by the program, no button down
    view.resize(720, 300)
    qtbot.waitUntil(lambda: fit._width == view.viewport().width())
    assert fit.held == {} and view.horizontalScrollBar().maximum() == 0


class CountingView(QTableView):
    """Counts how often the rows of a column are measured (each time: every row's text, through the model)."""

    measured = 0

    def sizeHintForColumn(self, column: int) -> int:  # noqa: N802 (Qt API)
        self.measured += 1
        return super().sizeHintForColumn(column)


def test_dragging_the_number_column_measures_no_rows_while_the_mouse_moves(qtbot: QtBot) -> None:
    """Every mouse move of a drag of the number column measured the column's rows again (~1.6 ms for 100 rows
    of a model in Python, more with a longer list) to tell whether it was now narrower than its number; the
    last fit knows how wide the number is."""
    view = with_rows(qtbot, CountingView())
    view.resize(1500, 300)
    view.show()
    qtbot.waitExposed(view)
    fit = fit_columns(view, ITEM, tails={NUMBER: CASE_NUMBER_TAIL})
    qtbot.waitUntil(lambda: fit._width == view.viewport().width())
    header = view.horizontalHeader()
    edge = header.sectionViewportPosition(NUMBER) + header.sectionSize(NUMBER) - 1
    y = header.height() // 2
    qtbot.mousePress(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(edge, y))
    view.measured = 0
    for x in range(edge - 10, edge - 120, -10):  # narrower than the number, a move at a time
        QTest.mouseMove(header.viewport(), QPoint(x, y))
    assert view.columnWidth(NUMBER) < fit._want[NUMBER] and view.measured == 0
    assert isinstance(view.itemDelegateForColumn(NUMBER), ElideHead)  # its head goes, from the drag on
    qtbot.mouseRelease(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(edge - 110, y))


def test_a_fit_measures_each_column_once_however_many_columns_it_leaves_out(qtbot: QtBot) -> None:
    """A fit on a narrow table (1366×768 at 150 %) tries the widths again for each column it leaves out, and once
    more when a dragged column must give: each try measured every column's rows again (~13 ms for 100 rows of
    the case list, at each resize and each page of rows). The rows are the same through one fit."""
    view = with_rows(qtbot, CountingView())
    fit = fit_columns(view, ITEM, tails={NUMBER: CASE_NUMBER_TAIL}, drop=(LONG_NAME, NAME))
    view.resize(1300, 300)
    view.show()
    qtbot.waitUntil(lambda: fit._width == view.viewport().width())
    drag_edge(qtbot, view, STATUS, view.columnWidth(STATUS) + 200)
    view.resize(420, 300)
    qtbot.waitUntil(lambda: fit._width == view.viewport().width())
    qtbot.waitUntil(lambda: not fit._soon.isActive())
    assert view.isColumnHidden(LONG_NAME) and view.columnWidth(STATUS) < fit.held[STATUS]  # both happened
    view.measured = 0
    fit.refit()
    assert view.measured == len(ROW)
    assert view.horizontalScrollBar().maximum() == 0


def test_a_table_built_hidden_is_fitted_when_shown_not_before(qtbot: QtBot) -> None:
    """A page builds its table before it is shown, when the viewport is Qt's default ~100 px: a fit then measured
    every title a few times over to leave out columns the fit at the real width brought back (~3 ms of the
    start's 办件 list). The table is fitted once it is shown, as a table fitted on screen is."""
    view = with_rows(qtbot, CountingView())
    fit = fit_columns(view, ITEM, tails={NUMBER: CASE_NUMBER_TAIL}, drop=(LONG_NAME, NAME))
    assert view.measured == 0 and fit._width == -1  # nothing measured for a table not on screen
    assert not any(view.isColumnHidden(c) for c in range(len(ROW)))
    view.resize(1300, 300)
    view.show()
    qtbot.waitUntil(lambda: fit._width == view.viewport().width())
    qtbot.waitUntil(lambda: not fit._soon.isActive())
    shown = [view.columnWidth(c) for c in range(len(ROW))]
    # the same widths as a table fitted on screen at that width
    other = with_rows(qtbot, QTableView())
    other.resize(1300, 300)
    other.show()
    qtbot.waitExposed(other)
    other_fit = fit_columns(other, ITEM, tails={NUMBER: CASE_NUMBER_TAIL}, drop=(LONG_NAME, NAME))
    qtbot.waitUntil(lambda: not other_fit._soon.isActive())
    assert shown == [other.columnWidth(c) for c in range(len(ROW))]
    assert view.horizontalScrollBar().maximum() == 0
    assert all(view.columnWidth(c) >= view.horizontalHeader().sectionSizeHint(c) for c in range(len(ROW)))


def test_a_short_name_is_never_drawn_cut_however_narrow_the_table(qtbot: QtBot) -> None:
    """Content of up to SHORT_CHARS characters (a name, a department) is never elided: its column kept exactly
    five characters' width, without the delegate's margins beside the text, so a five-character name was drawn
    「欧阳诸…」 on a narrow table without a number column to give (归档 at 1366×768 and 125 %)."""
    model = QStandardItemModel(0, 3)
    model.setHorizontalHeaderLabels(["事项", "申请人", "材料"])
    for name in ("欧阳诸葛明", "皇甫建国"):
        model.appendRow([QStandardItem(ROW[ITEM]), QStandardItem(name), QStandardItem("身份证原件、户口簿复印件、申请表")])
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.setWordWrap(False)
    fit_columns(view, 0)
    view.resize(330, 200)
    view.show()
    qtbot.waitUntil(lambda: view.viewport().width() < 330 and view.columnWidth(2) < view.sizeHintForColumn(2))
    metrics = view.fontMetrics()
    for row in range(model.rowCount()):
        name = model.item(row, 1).text()
        margins = view.sizeHintForIndex(model.index(row, 1)).width() - metrics.horizontalAdvance(name)
        room = view.columnWidth(1) - margins  # what the delegate has for the text
        assert metrics.elidedText(name, Qt.TextElideMode.ElideRight, room) == name, (name, view.columnWidth(1))
    assert view.horizontalScrollBar().maximum() == 0
