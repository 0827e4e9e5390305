"""Small pieces the intake steps share: a field checked as it is typed, Enter-to-next-field chains."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QAbstractButton, QLabel, QLineEdit, QWidget

from clerk_desk.domain.identifiers import InvalidIdentifier


def _clean(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split()).upper()


class CheckedField(QObject):
    """A line edit validated as the clerk types, with the message in a red line under it (never a popup).

    While typing, the message appears once the value has its full length (or a character that can
    never be right was typed); leaving the field, or asking :meth:`check`, shows any problem at once.
    """

    changed = Signal()

    def __init__(
        self,
        edit: QLineEdit,
        error: QLabel,
        validate: Callable[[str], object],
        *,
        full_length: int,
        allowed: str,
        parent: QObject | None = None,
        info: QLabel | None = None,
        describe: Callable[[object], str] | None = None,
    ) -> None:
        super().__init__(parent or edit)
        self.edit, self.error, self.validate = edit, error, validate
        self.info, self.describe = info, describe
        self.full_length, self.allowed = full_length, allowed
        edit.textChanged.connect(self._typed)
        edit.editingFinished.connect(self._left)

    def problem(self) -> str | None:
        text = self.edit.text()
        if not text.strip():
            return None
        try:
            value = self.validate(text)
        except InvalidIdentifier as exc:
            return exc.message_zh
        if self.info is not None and self.describe is not None:
            self.info.setText(self.describe(value))
        return None

    def _show(self, message: str | None) -> None:
        self.error.setText(message or "")
        self.error.setVisible(bool(message))
        if self.info is not None:
            self.info.setVisible(not message and bool(self.edit.text().strip()) and bool(self.info.text())
                                 and len(_clean(self.edit.text())) >= self.full_length)

    def _typed(self, text: str) -> None:
        clean = _clean(text)
        if len(clean) >= self.full_length or any(c not in self.allowed for c in clean):
            self._show(self.problem())
        else:
            self._show(None)
        self.changed.emit()

    def _left(self) -> None:
        self._show(self.problem())

    def check(self, *, required: bool, empty_message: str) -> bool:
        """Show the field's problem now (or ``empty_message`` when it is required and empty)."""
        if required and not self.edit.text().strip():
            self._show(empty_message)
            return False
        message = self.problem()
        self._show(message)
        return message is None

    def clear(self) -> None:
        self._show(None)


def visible_chain(root: QWidget, widgets: Sequence[QWidget]) -> list[QWidget]:
    """The widgets that are shown inside ``root`` (whether or not ``root`` itself is on screen)."""
    return [w for w in widgets if w.isVisibleTo(root) and w.isEnabled()]


def next_in_chain(root: QWidget, chain: Sequence[QWidget], current: QWidget) -> QWidget | None:
    """The field after ``current`` among those shown; None when ``current`` is the last."""
    shown = visible_chain(root, chain)
    if current not in shown:
        return shown[0] if shown else None
    i = shown.index(current)
    return shown[i + 1] if i + 1 < len(shown) else None


DIGITS = "0123456789"
RESIDENT_ID_CHARS = DIGITS + "X"
USCC_CHARS = DIGITS + "ABCDEFGHJKLMNPQRTUWXY"


def set_primary(b: QAbstractButton, on: bool) -> None:
    """The one button the clerk most likely wants (styled by PRIMARY_QSS)."""
    b.setProperty("primary", on)
    b.style().unpolish(b)
    b.style().polish(b)


PRIMARY_QSS = """
QListWidget#intakeResults::item { padding: 5px 6px; }
QFrame#doneCard { background: #ffffff; border: 1px solid #d5dde6; border-radius: 6px; }
QLabel#applicantIdInfo { color: #1e8449; }
QPushButton[primary="true"] { background: #2874a6; border: 1px solid #1f5f8b; color: #ffffff; }
QPushButton[primary="true"]:hover { background: #1f5f8b; }
QPushButton[primary="true"]:disabled { background: #e4e8ec; border: 1px solid #c9d1d9; color: #8a96a3; }
QPushButton:focus { border: 2px solid #f5b041; }
"""
