"""ui/flow_layout.py: items keep their preferred widths and go on to the next line when the row is too
narrow; a label and its field in a ``pair`` never part; the layout says the height it needs at a width."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QLabel, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from clerk_desk.ui.flow_layout import FlowLayout, pair


def test_the_row_wraps_and_says_how_tall_it_is(qtbot: QtBot) -> None:
    host = QWidget()
    qtbot.addWidget(host)
    flow = FlowLayout(host)
    buttons = [QPushButton(f"第{i}个按钮", host) for i in range(6)]
    label, field = QLabel("部门", host), QComboBox(host)
    field.addItem("全部部门")
    for b in buttons[:3]:
        flow.addWidget(b)
    flow.addWidget(pair(label, field, parent=host))
    for b in buttons[3:]:
        flow.addWidget(b)
    one_line = flow.sizeHint()
    assert flow.heightForWidth(one_line.width()) == one_line.height()
    narrow = one_line.width() // 2
    assert flow.heightForWidth(narrow) > one_line.height()  # two lines or more
    assert flow.minimumSize().width() <= narrow
    host.resize(narrow, flow.heightForWidth(narrow))
    host.show()
    qtbot.waitUntil(lambda: buttons[-1].geometry().top() > buttons[0].geometry().top())
    widgets = [*buttons, label.parentWidget()]
    for w in widgets:
        assert w.geometry().right() < narrow, w  # inside the row's width
        for other in widgets:
            if other is not w:
                assert not w.geometry().intersects(other.geometry())
    assert label.parentWidget() is field.parentWidget()  # the pair moves as one
    buttons[1].hide()  # a hidden item takes no room
    qtbot.waitUntil(lambda: buttons[2].geometry().left() < buttons[1].geometry().right())
