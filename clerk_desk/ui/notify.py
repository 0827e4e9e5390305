"""The one place that shows messages to the person at the window.

Widgets never call QMessageBox directly: they call :func:`error`, :func:`info` or :func:`confirm`.
The real backend uses modal message boxes; tests install a :class:`RecordingNotifier` with
:func:`set_notifier` so nothing blocks (QMessageBox.exec() would hang an offscreen test).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Protocol

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from clerk_desk.domain.errors import ClerkDeskError

log = logging.getLogger(__name__)


class Notifier(Protocol):
    def error(self, parent: QWidget | None, text: str) -> None: ...
    def info(self, parent: QWidget | None, text: str) -> None: ...
    def confirm(self, parent: QWidget | None, text: str) -> bool: ...


def _title() -> str:
    return QCoreApplication.translate("notify", "Clerk Desk")


_ICONS = {"error": QMessageBox.Icon.Warning, "info": QMessageBox.Icon.Information,
          "confirm": QMessageBox.Icon.Question}


def message_box(kind: str, parent: QWidget | None, text: str) -> QMessageBox:
    """The box :class:`MessageBoxNotifier` shows: ``text`` in plain text (it may carry a name a person typed,
    which must never be read as HTML; QMessageBox's static functions would)."""
    box = QMessageBox(_ICONS[kind], _title(), "", QMessageBox.StandardButton.NoButton, parent)
    box.setObjectName(f"notify{kind.capitalize()}")
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(text)
    if kind == "confirm":
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        box.setDefaultButton(QMessageBox.StandardButton.No)
    else:
        box.setStandardButtons(QMessageBox.StandardButton.Ok)
    return box


def _ask(kind: str, parent: QWidget | None, text: str) -> int:
    box = message_box(kind, parent, text)
    try:
        return box.exec()
    finally:
        box.deleteLater()


class MessageBoxNotifier:
    """Modal message boxes (the production backend)."""

    def error(self, parent: QWidget | None, text: str) -> None:
        _ask("error", parent, text)

    def info(self, parent: QWidget | None, text: str) -> None:
        _ask("info", parent, text)

    def confirm(self, parent: QWidget | None, text: str) -> bool:
        return _ask("confirm", parent, text) == QMessageBox.StandardButton.Yes


@dataclass
class RecordingNotifier:
    """Test backend: remembers every message; ``confirm`` answers with ``answer``."""

    answer: bool = True
    messages: list[tuple[str, str]] = field(default_factory=list)

    def error(self, parent: QWidget | None, text: str) -> None:
        self.messages.append(("error", text))

    def info(self, parent: QWidget | None, text: str) -> None:
        self.messages.append(("info", text))

    def confirm(self, parent: QWidget | None, text: str) -> bool:
        self.messages.append(("confirm", text))
        return self.answer

    def texts(self, kind: str | None = None) -> list[str]:
        return [t for k, t in self.messages if kind is None or k == kind]


_current: Notifier = MessageBoxNotifier()


def set_notifier(notifier: Notifier) -> Notifier:
    """Install a backend; returns the previous one so a test can put it back."""
    global _current
    previous, _current = _current, notifier
    return previous


def notifier() -> Notifier:
    return _current


def error(parent: QWidget | None, text: str) -> None:
    _current.error(parent, text)


def info(parent: QWidget | None, text: str) -> None:
    _current.info(parent, text)


def confirm(parent: QWidget | None, text: str) -> bool:
    return _current.confirm(parent, text)


def error_text(exc: BaseException) -> str:
    """What a clerk reads for a failure: the service's Chinese text, or a plain generic sentence."""
    if isinstance(exc, ClerkDeskError):
        return exc.message_zh
    return QCoreApplication.translate(
        "notify",
        "Something went wrong and the action was not completed. Details were written to the log: {0}",
    ).format(exc)


def show_error(parent: QWidget | None, exc: BaseException) -> None:
    if not isinstance(exc, ClerkDeskError):
        log.error("unexpected error", exc_info=exc)
    error(parent, error_text(exc))
