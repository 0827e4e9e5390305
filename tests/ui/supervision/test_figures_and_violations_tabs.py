"""The supervisor's 统计 and 违规记录 tabs on a generated fortnight: the tables are the service's, the charts
are drawn, the .xlsx and the PDF are written where the supervisor says; a violation is excused with a reason
and stays in the list, marked."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from pytestqt.qtbot import QtBot

from clerk_desk.services import figure_tables, figures, violations
from clerk_desk.ui.supervision.supervision_page import SupervisionPage
from clerk_desk.ui.task_runner import SyncTaskRunner
from tests.services import supervision_world as gen
from tests.services.test_approvals import SITE, World
from tests.ui.supervision.test_late_tab import manager


@pytest.fixture
def world(tmp_path: Path) -> World:
    w = World(tmp_path / "desk")
    gen.build(w, 48, seed=5)
    return w


def page_of(qtbot: QtBot, w: World) -> SupervisionPage:
    now = gen.clock_times()[-1]  # 20 October 2026
    page = SupervisionPage(w.db, SyncTaskRunner(), manager(w), now=lambda: now)
    qtbot.addWidget(page)
    page.resize(1366, 700)
    page.show()
    return page


def test_the_figures_tab_shows_the_tables_draws_and_exports(qtbot: QtBot, world: World, tmp_path: Path,
                                                            notes: object) -> None:  # fmt: skip
    page = page_of(qtbot, world)
    tab = page.figures
    with qtbot.waitSignal(tab.charted):  # drawn after the tables' first paint
        page.tabs.setCurrentWidget(page.figures)
        assert tab.model.rowCount() and not any(v.chart().series() for v in tab.charts if v.chart())
    expected = figure_tables.tables(figures.read(world.db, *figures.month_span(2026, 10), site_code=SITE))
    assert [tab.which.itemText(i) for i in range(tab.which.count())] == [t.title for t in expected]
    assert tab.model.rowCount() == len(expected[0].rows) and tab.model.index(0, 0).data() == "接件总量"
    tab.which.setCurrentIndex(tab.which.findData("window"))
    assert tab.model.columnCount() == 4 and tab.model.headerData(2, __import__("PySide6.QtCore").QtCore.Qt.Orientation.Horizontal) == "占比（%）"
    assert [tab.model.index(i, 1).data() for i in range(tab.model.rowCount())] == [str(r[1]) for r in expected[2].rows]
    assert len(tab.charts) == 2 and all(v.chart().series() for v in tab.charts)
    assert "接件" in tab.summary.text()
    tab.ask_path = lambda _t, name, _p: str(tmp_path / name)
    xlsx = tab.export_xlsx()
    assert Path(xlsx).name == "统计月报-2026-10.xlsx" and load_workbook(xlsx).sheetnames[0] == "主要指标"
    pdf = tab.save_pdf()
    assert Path(pdf).read_bytes().startswith(b"%PDF")
    tab.ask_path = lambda *_a: ""  # the supervisor closed the dialog: nothing is written
    assert tab.export_xlsx() == ""


def test_the_violations_tab_lists_the_month_and_excuses_one(qtbot: QtBot, world: World, notes: object) -> None:
    page = page_of(qtbot, world)
    page.tabs.setCurrentWidget(page.violations)
    tab = page.violations
    month = violations.month(world.db, 2026, 10, site_code=SITE)
    assert tab.list.rowCount() == len(month.violations) > 0
    assert tab.departments.rowCount() == len(month.by_department())
    assert tab.start_excuse() is None  # nothing selected
    tab.list_table.setCurrentIndex(tab.list.index(0, 0))
    dialog = tab.start_excuse()
    assert dialog is not None
    dialog.submit.click()
    assert dialog.error.text() == "请填写免责理由"
    dialog.reason.setPlainText("系统升级停机")
    with qtbot.waitSignal(dialog.excused):
        dialog.submit.click()
    assert tab.list.rowCount() == len(month.violations)  # kept
    texts = [tab.list.index(i, 6).data() for i in range(tab.list.rowCount())]
    assert sum(1 for t in texts if t and "系统升级停机" in t) == 1


def test_the_charts_name_each_window_once_and_count_in_whole_steps(qtbot: QtBot, world: World) -> None:
    """The bars are labelled by the windows' names (not one bar label per character of a name), and every
    gridline of a count axis falls on a whole number, so the labels (whole numbers) say where the lines are."""
    from PySide6.QtCore import Qt

    page = page_of(qtbot, world)
    tab = page.figures
    with qtbot.waitSignal(tab.charted):
        page.tabs.setCurrentWidget(page.figures)
    with qtbot.waitSignal(tab.charted):  # the fortnight's intake was in September
        tab.month.setDate(tab.month.date().fromString("2026-09-01", "yyyy-MM-dd"))
    report = figures.read(world.db, *figures.month_span(2026, 9), site_code=SITE)
    f = report.figures
    names = [report.name("window", w) for w, _n in f.by_window]
    assert names and all(len(n) > 1 for n in names)
    bars = tab.charts[1].chart().axes(Qt.Orientation.Horizontal)[0]
    assert list(bars.categories()) == names
    for view in tab.charts:
        counts = view.chart().axes(Qt.Orientation.Vertical)[0]
        step = (counts.max() - counts.min()) / (counts.tickCount() - 1)
        assert counts.min() == 0 and step >= 1 and step == int(step), (counts.max(), counts.tickCount())
        assert counts.max() >= max(n for _k, n in (f.by_day if view is tab.charts[0] else f.by_window))


def test_saving_the_tables_keeps_the_months_figures_on_screen(qtbot: QtBot, world: World, tmp_path: Path) -> None:
    """导出 Excel… and 月报存为 PDF… wrote 「已保存：…」 over the line of the month's main figures, which stayed gone
    until the month was read again: the supervisor comparing the file with the screen had no figures left to
    compare. The line stays; where the file went is said beside it, and the files hold the same figures."""
    from tests.forms.conftest import pdftotext

    page = page_of(qtbot, world)
    tab = page.figures
    with qtbot.waitSignal(tab.loaded):
        page.tabs.setCurrentWidget(page.figures)
    line = tab.summary.text()
    f = figures.read(world.db, *figures.month_span(2026, 10), site_code=SITE).figures
    assert line.startswith(f"接件 {f.intakes} 件") and f.decisions > 0
    tab.ask_path = lambda _t, name, _p: str(tmp_path / name)
    xlsx = tab.export_xlsx()
    assert tab.summary.text() == line and tab.saved.text() == f"已保存：{xlsx}"
    rows = {r[0]: r[1] for r in load_workbook(xlsx)["主要指标"].iter_rows(values_only=True)}
    assert rows["接件总量"] == f.intakes and rows["审批办结件数"] == f.decisions
    pdf = tab.save_pdf()
    assert tab.summary.text() == line and tab.saved.text() == f"已保存：{pdf}"
    text = " ".join(pdftotext(Path(pdf)).split())
    assert f"接件总量 {f.intakes} 件" in text and f"审批办结件数 {f.decisions} 件" in text
