"""The lists' tables paint into a viewport made in Python (ui/list_and_case.own_viewport), so the start never
meets a widget Qt made itself (docs/performance.md, "Fifth round"): set up and drawn exactly as Qt's own."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QApplication, QTableView, QWidget
from pytestqt.qtbot import QtBot

from clerk_desk.ui import look
from clerk_desk.ui.list_and_case import own_viewport


@pytest.fixture(params=["the hall's style sheet", "no style sheet"])
def styled(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[QApplication]:
    before = qapp.styleSheet()
    if request.param == "no style sheet":
        qapp.setStyleSheet("")
    else:
        look.apply_style(qapp)  # as the desk runs
    yield qapp
    qapp.setStyleSheet(before)


def model() -> QStandardItemModel:
    m = QStandardItemModel(6, 4)
    for r in range(6):
        for c in range(4):
            m.setItem(r, c, QStandardItem(f"张三 {r}-{c} 通羊镇"))
    return m


def table(qtbot: QtBot, own: bool) -> QTableView:
    view = QTableView()
    if own:
        own_viewport(view)
    qtbot.addWidget(view)
    view.setModel(model())
    view.setAlternatingRowColors(True)
    view.resize(420, 260)
    view.show()
    qtbot.waitExposed(view)
    view.selectRow(2)
    return view


def facts(viewport: QWidget) -> dict[str, object]:
    return {"name": viewport.objectName(), "role": viewport.backgroundRole(),
            "autofill": viewport.autoFillBackground(), "tracking": viewport.hasMouseTracking(),
            "focus proxy": viewport.focusProxy() is viewport.parentWidget(),
            **{a.name: viewport.testAttribute(a) for a in Qt.WidgetAttribute}}  # fmt: skip


def test_a_list_viewport_is_set_up_and_drawn_as_qts_own(styled: QApplication, qtbot: QtBot) -> None:
    theirs, ours = table(qtbot, own=False), table(qtbot, own=True)
    assert ours.viewport().parentWidget() is ours and ours.viewport().isVisible()
    assert facts(ours.viewport()) == facts(theirs.viewport())
    assert ours.grab().toImage() == theirs.grab().toImage()  # every pixel, a selected row among them


# A list as the case list builds it (columns fitted, the number column cut at its head), shown and painted in a
# fresh process: PySide6 must not have made the widget classes it makes to find the type of a plain QWidget Qt
# made itself (QSplashScreen stands for them: nothing here uses it).
CHILD = r"""
import PySide6.QtWidgets as widgets
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QApplication, QWidget
from clerk_desk.ui.list_and_case import rows_table
app = QApplication([])
model = QStandardItemModel(0, 4)
model.setHorizontalHeaderLabels(["办件编号", "事项", "申请人", "状态"])
for n in range(40):
    model.appendRow([QStandardItem(t) for t in (f"421224100-01-20261207-{n:06d}", "流动人口婚育证明", "张三", "已受理")])
page = QWidget()
page.resize(1000, 600)
table = rows_table("caseList", model, page, stretch=1, number=0)
table.resize(1000, 600)
page.show()
app.processEvents()
table.viewport().repaint()
table.horizontalHeader().repaint()
app.processEvents()
made = isinstance(vars(widgets).get("QSplashScreen"), type)
print("widget classes made" if made else "none made")
"""


def test_a_fitted_list_shown_and_painted_meets_no_widget_qt_made_itself() -> None:
    """Its header's viewport too: watching it for the clerk's drags from the start cost ~9 ms of PySide6 making
    some 60 widget classes on the way to the first painted list."""
    root = Path(__file__).resolve().parents[2]
    r = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True, timeout=60,
                       env={**os.environ, "QT_QPA_PLATFORM": "offscreen"}, cwd=root)  # fmt: skip
    assert r.returncode == 0, r.stderr[-2000:]
    assert r.stdout.strip() == "none made"
