"""Keys as a person's keyboard sends them: to the widget with the focus (the keyboard-only tests)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

NO_MODS = Qt.KeyboardModifier.NoModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
CTRL = Qt.KeyboardModifier.ControlModifier


def press(key: Qt.Key, mods: Qt.KeyboardModifier = NO_MODS) -> None:
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the keyboard focus"
    QTest.keyClick(widget, key, mods)
    QApplication.processEvents()


def typed(text: str) -> None:
    QTest.keyClicks(QApplication.focusWidget(), text)


def focused() -> str:
    widget = QApplication.focusWidget()
    return widget.objectName() if widget is not None else ""


def tabs(n: int, mods: Qt.KeyboardModifier = NO_MODS) -> list[str]:
    """The objectNames the focus goes through in ``n`` presses of Tab (Shift+Tab with ``mods=SHIFT``)."""
    seen = []
    for _ in range(n):
        press(Qt.Key.Key_Tab, mods)
        seen.append(focused())
    return seen
