"""Small constructors so every interactive widget gets its stable objectName in one line."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget


def line_edit(
    name: str, parent: QWidget | None = None, *, text: str = "", placeholder: str = ""
) -> QLineEdit:
    w = QLineEdit(text, parent)
    w.setObjectName(name)
    if placeholder:
        w.setPlaceholderText(placeholder)
    return w


def password_edit(name: str, parent: QWidget | None = None) -> QLineEdit:
    w = line_edit(name, parent)
    w.setEchoMode(QLineEdit.EchoMode.Password)
    return w


def button(text: str, name: str, parent: QWidget | None = None, *, default: bool = False) -> QPushButton:
    b = QPushButton(text, parent)
    b.setObjectName(name)
    b.setAutoDefault(default)
    b.setDefault(default)
    return b


def combo(name: str, parent: QWidget | None = None) -> QComboBox:
    c = QComboBox(parent)
    c.setObjectName(name)
    return c


def label(text: str, name: str = "", parent: QWidget | None = None, *, wrap: bool = False) -> QLabel:
    lbl = QLabel(text, parent)
    if name:
        lbl.setObjectName(name)
    lbl.setWordWrap(wrap)
    return lbl


def error_label(name: str, parent: QWidget | None = None) -> QLabel:
    """An inline error line (styled by objectName suffix 'Error' in style.qss), hidden until used."""
    lbl = label("", name, parent, wrap=True)
    lbl.setProperty("role", "error")
    lbl.setVisible(False)
    return lbl


def dialog_layout(parent: QWidget) -> QVBoxLayout:
    """The outer layout of a dialog or page: generous margins and spacing for a calm look."""
    layout = QVBoxLayout(parent)
    layout.setContentsMargins(24, 20, 24, 20)
    layout.setSpacing(12)
    return layout
