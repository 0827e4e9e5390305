"""The lists' tables paint into a viewport made in Python (ui/list_and_case.own_viewport), so the start never
meets a widget Qt made itself (docs/performance.md, "Fifth round"): set up and drawn exactly as Qt's own."""

from __future__ import annotations

from collections.abc import Iterator

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
