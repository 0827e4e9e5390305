"""统计: a month's figures at this site (services/figures.py): the main figures, a line of intake acts per day
and bars per window (办件均衡, QtCharts), every table (services/figure_tables.py), the .xlsx export and the
A4 monthly report (forms/monthly_report.py), printed or saved as a PDF.

QtCharts comes with PySide6-Addons; where it cannot be loaded the tab shows the tables without the charts.
The tables are shown first; the charts are drawn once the table has been painted (ui/supervision/
after_paint.py), so the tab's first paint waits for no chart (docs/supervision.md, "First paint").
The file dialog is an attribute (``ask_path``) so tests give a path without a dialog."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QMargins, Qt, Signal
from PySide6.QtGui import QPainter, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QHeaderView,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from clerk_desk.domain.workdays import SHANGHAI
from clerk_desk.store.database import Database
from clerk_desk.ui import notify
from clerk_desk.ui.flow_layout import FlowLayout, pair
from clerk_desk.ui.list_and_case import rows_table
from clerk_desk.ui.supervision.after_paint import after_paint
from clerk_desk.ui.supervision.month_reader import MonthReader
from clerk_desk.ui.table_model import Column, RowsTableModel
from clerk_desk.ui.task_runner import TaskRunner
from clerk_desk.ui.widgets import button, chart_text, combo, label

if TYPE_CHECKING:  # the report's modules load with the first read
    from clerk_desk.forms.monthly_report import Cell

try:  # PySide6-Addons (docs/dependencies.md)
    from PySide6 import QtCharts
except ImportError:  # pragma: no cover - declared, but a desk without it still shows the tables
    QtCharts = None  # type: ignore[assignment]  # a module or None: the tab asks which

SIDE_BY_SIDE_PX = 900  # narrower than this (1366×768 at 150 %), the charts go below the table


def read_period(db: Database, year: int, month: int, site_code: str | None) -> tuple[Any, list[Any]]:
    from clerk_desk.services import figure_tables, figures

    report = figures.read(db, *figures.month_span(year, month), site_code=site_code)
    return report, figure_tables.tables(report)


COUNT_TICKS = 5  # gridlines of a count axis, 0 included


def count_step(top: int) -> int:
    """A whole, round step (1, 2, 5 × 10ⁿ) for a count axis from 0 reaching ``top``: the labels are whole
    numbers, so a line between them (8.5 of 34 in four steps) would be labelled wrongly."""
    need = max(1, top) / (COUNT_TICKS - 1)
    scale = 1
    while True:
        for m in (1, 2, 5):
            if m * scale >= need:
                return m * scale
        scale *= 10


def cell(value: Cell) -> str:
    from clerk_desk.forms.monthly_report import cell_text

    return cell_text(value)


class _Row:
    def __init__(self, values: tuple[object, ...], key: str) -> None:
        self.values, self.uuid = values, key


class TableModel(RowsTableModel[_Row]):
    """One model for whichever table is chosen: its columns change with the table."""

    refreshing = True

    def set_table(self, columns: list[Column[_Row]], rows: list[_Row]) -> None:
        self.beginResetModel()
        self._columns = list(columns)
        self._rows = list(rows)
        self.endResetModel()
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, max(0, len(columns) - 1))


class FiguresTab(QWidget):
    loaded = Signal()  # the tables are shown
    charted = Signal()  # the charts are drawn

    def __init__(self, db: Database, runner: TaskRunner, session: Any, parent: QWidget | None = None, *,
                 now: Any = lambda: datetime.now(UTC)) -> None:  # fmt: skip
        super().__init__(parent)
        self.db, self.runner, self.session, self.now = db, runner, session, now
        self.site_code = session.site.site_code or None
        self.report: Any = None
        self.tables: list[Any] = []
        self.ask_path: Callable[[str, str, str], str] = self._ask_path
        self.reader = MonthReader(self, db, runner, self.site_code, "figures", now(), read_period, self.show_report)
        self.month, self.summary = self.reader.month, self.reader.summary
        self.which = combo("figuresTable", self)
        self.which.currentIndexChanged.connect(self._show_table)
        self.export_button = button(self.tr("Export .xlsx…"), "figuresExport", self)
        self.export_button.clicked.connect(self.export_xlsx)
        self.pdf_button = button(self.tr("Save report as PDF…"), "figuresPdf", self)
        self.pdf_button.clicked.connect(self.save_pdf)
        self.print_button = button(self.tr("Print report…"), "figuresPrint", self)
        self.print_button.clicked.connect(self.print_report)
        self.model = TableModel([], self)
        self.table = rows_table("figuresTableView", self.model, self, stretch=0)
        self.table.horizontalHeader().setResizeContentsPrecision(0)  # fit columns to the rows on screen, not to 1000
        top = FlowLayout()  # wraps on a narrow page (1366×768 at 150 %) instead of squeezing the buttons
        top.addWidget(pair(label(self.tr("Month"), ""), self.month, parent=self))
        top.addWidget(pair(label(self.tr("Table"), ""), self.which, parent=self))
        for b in (self.export_button, self.pdf_button, self.print_button):
            top.addWidget(b)
        self.split = QSplitter(Qt.Orientation.Horizontal, self)
        self.split.setObjectName("figuresSplit")
        self.split.addWidget(self.table)
        self.charts: list[Any] = []
        if QtCharts is not None:
            for name in ("figuresDayChart", "figuresWindowChart"):
                view = QtCharts.QChartView(self.split)
                view.setObjectName(name)
                view.setRenderHint(QPainter.RenderHint.Antialiasing)
                view.setMinimumSize(220, 180)
                self.split.addWidget(view)
                self.charts.append(view)
        else:
            self.split.addWidget(label(self.tr("Charts need the QtCharts module (PySide6-Addons)."), "figuresNoCharts",
                                       wrap=True))
        self.split.setStretchFactor(0, 4)
        for i in range(1, self.split.count()):
            self.split.setStretchFactor(i, 3)
        self.split.setSizes([400] + [300] * (self.split.count() - 1))  # scaled to the width the tab gets
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        # where a file went: beside the month's figures, not over them (the supervisor compares the two)
        self.saved = label("", "figuresSaved", self, wrap=True)
        self.saved.setVisible(False)
        self.month.dateChanged.connect(lambda _d: self.saved.setVisible(False))  # (another month's file)
        layout.addWidget(self.summary)
        layout.addWidget(self.saved)
        layout.addWidget(self.split, 1)

    # -- reading -----------------------------------------------------------------------------------
    def refresh(self) -> None:
        self.reader.refresh()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt API)
        """The table above the charts when the tab is too narrow for the three side by side."""
        super().resizeEvent(event)
        want = Qt.Orientation.Vertical if event.size().width() < SIDE_BY_SIDE_PX else Qt.Orientation.Horizontal
        if self.split.orientation() != want:
            self.split.setOrientation(want)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt API)
        super().showEvent(event)
        self.reader.shown(event.spontaneous())

    def cases_changed(self, uuids: frozenset[str]) -> None:
        self.reader.cases_changed(uuids)

    # -- showing -----------------------------------------------------------------------------------
    def show_report(self, found: tuple[Any, list[Any]]) -> None:
        self.report, self.tables = found
        f = self.report.figures
        rate = self.tr("{0}%")
        pct = (lambda x: "—" if x is None else rate.format(f"{100 * x:.1f}"))  # noqa: E731
        self.summary.setText(self.tr(
            "Intake acts {0}; transfers on time {1}; decisions within the promised days {2}; "
            "results waiting at the month's end {3}").format(f.intakes, pct(f.transfer_on_time_rate),
                                                              pct(f.decision_on_time_rate), f.results_waiting))  # fmt: skip
        kept = self.which.currentData()
        self.which.blockSignals(True)
        self.which.clear()
        for t in self.tables:
            self.which.addItem(t.title, t.key)
        self.which.setCurrentIndex(max(0, self.which.findData(kept)) if kept else 0)
        self.which.blockSignals(False)
        longest = max((self.which.fontMetrics().horizontalAdvance(t.title) for t in self.tables), default=0)
        self.which.setMinimumWidth(longest + 48)  # the arrow and the frame: the longest title shows whole
        self._show_table()
        self.loaded.emit()
        after_paint(self.table.viewport(), self._draw_charts)

    def current_table(self) -> Any:
        key = self.which.currentData()
        return next((t for t in self.tables if t.key == key), None)

    def _show_table(self, *_args: object) -> None:
        t = self.current_table()
        if t is None:
            return
        columns = [Column(h, partial(lambda i, r: cell(r.values[i]), i)) for i, h in enumerate(t.headers)]
        self.model.set_table(columns, [_Row(r, str(i)) for i, r in enumerate(t.rows)])
        header = self.table.horizontalHeader()  # the columns change with the table: the first one stretches
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)

    def _draw_charts(self) -> None:
        if QtCharts is None or not self.charts or self.report is None:
            return
        f = self.report.figures
        line = QtCharts.QLineSeries()
        line.setName(self.tr("Intake acts per day"))
        counted = dict(f.by_day)
        first = f.start.astimezone(SHANGHAI).date()
        last = (f.end - timedelta(seconds=1)).astimezone(SHANGHAI).date()
        day = first
        while day <= last:  # a day without intake is a 0 on the line, not a gap
            line.append(day.day, counted.get(day, 0))
            day += timedelta(days=1)
        days = QtCharts.QValueAxis()
        days.setRange(first.day, last.day)
        days.setLabelFormat("%d")
        days.setTickCount(min(8, last.day - first.day + 1))
        self._set_chart(self.charts[0], line, days, self.tr("Per day"), max((n for _d, n in f.by_day), default=0))
        bars = QtCharts.QBarSet(self.tr("Intake acts"))
        windows = QtCharts.QBarCategoryAxis()
        for _w, n in f.by_window:
            bars.append(n)
        # the list overload: append(str) takes a name as a sequence and makes a category of each character
        # (a category is drawn as HTML: a window's name is escaped, so it shows as typed and loads nothing)
        windows.append([chart_text(self.report.name("window", w)) for w, _n in f.by_window])
        series = QtCharts.QBarSeries()
        series.append(bars)
        self._set_chart(self.charts[1], series, windows, self.tr("Per window (办件均衡)"),
                        max((n for _w, n in f.by_window), default=0))  # fmt: skip
        self.charted.emit()

    def _set_chart(self, view: Any, series: Any, axis_x: Any, title: str, top: int) -> None:
        chart = QtCharts.QChart()
        chart.setTitle(chart_text(title))
        chart.legend().hide()
        chart.setMargins(QMargins(4, 4, 4, 4))
        chart.addSeries(series)
        chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(axis_x)
        axis_y = QtCharts.QValueAxis()
        step = count_step(top)
        axis_y.setRange(0, step * (COUNT_TICKS - 1))
        axis_y.setTickCount(COUNT_TICKS)
        axis_y.setLabelFormat("%d")
        chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(axis_y)
        old = view.chart()
        view.setChart(chart)
        if old is not None:
            old.deleteLater()

    # -- paper and files ---------------------------------------------------------------------------
    def _ask_path(self, title: str, name: str, pattern: str) -> str:
        path, _ = QFileDialog.getSaveFileName(self, title, str(Path.home() / name), pattern)
        return path

    def _file_stem(self) -> str:
        d = self.month.date()
        return f"统计月报-{d.year()}-{d.month():02d}"

    def export_xlsx(self) -> str:
        if self.report is None:
            return ""
        path = self.ask_path(self.tr("Export the tables"), self._file_stem() + ".xlsx", "Excel (*.xlsx)")
        if not path:
            return ""
        from clerk_desk.services import figure_tables

        self.runner.submit(figure_tables.save_xlsx, self.report, path,
                           on_done=lambda p: self._said_saved(str(p)),
                           on_error=lambda e: notify.error(self, notify.error_text(e)))  # fmt: skip
        return path

    def _document(self) -> Any:
        from clerk_desk.forms import monthly_report
        from clerk_desk.services import figure_tables

        return monthly_report.from_tables(self.report.site_name or (self.session.site.site_name or ""),
                                          figure_tables.period_text(self.report), self.tables, self.now())  # fmt: skip

    def save_pdf(self) -> str:
        if self.report is None:
            return ""
        path = self.ask_path(self.tr("Save the report"), self._file_stem() + ".pdf", "PDF (*.pdf)")
        if not path:
            return ""
        from clerk_desk.forms import monthly_report

        try:  # painted on the GUI thread: QTextDocument belongs to it
            monthly_report.save_pdf(self._document(), path)
        except Exception as exc:  # noqa: BLE001 - the supervisor is told, nothing else depends on it
            notify.error(self, notify.error_text(exc))
            return ""
        self._said_saved(path)
        return path

    def _said_saved(self, path: str) -> None:
        self.saved.setText(self.tr("Saved: {0}").format(path))
        self.saved.setVisible(True)

    def print_report(self) -> None:
        if self.report is None:
            return
        from clerk_desk.forms import monthly_report

        try:
            monthly_report.print_report(self._document())
        except Exception as exc:  # noqa: BLE001 - a printer problem is shown, the figures stay
            notify.error(self, notify.error_text(exc))
