"""The one place that shows messages to the person at the window.

Widgets never call QMessageBox directly: they call :func:`error`, :func:`info` or :func:`confirm`.
The real backend uses modal message boxes; tests install a :class:`RecordingNotifier` with
:func:`set_notifier` so nothing blocks (QMessageBox.exec() would hang an offscreen test).
Every box carries the program's Chinese name (:func:`app_name`) as its title.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMessageBox

from clerk_desk.domain.errors import ClerkDeskError
from clerk_desk.ui import screen_fit

log = logging.getLogger(__name__)


class Notifier(Protocol):
    def error(self, parent: QWidget | None, text: str) -> None: ...
    def info(self, parent: QWidget | None, text: str) -> None: ...
    def confirm(self, parent: QWidget | None, text: str, default_yes: bool = False) -> bool: ...


def app_name() -> str:
    """The program's name as the clerk reads it (综合窗口受理): message boxes and window titles."""
    return QCoreApplication.translate("notify", "Clerk Desk")


def window_title(what: str) -> str:
    """A window's title: the program's name and what the window is for."""
    return QCoreApplication.translate("notify", "{0} — {1}").format(app_name(), what)


def message_box(kind: str, parent: QWidget | None, text: str, *, default_yes: bool = False) -> QMessageBox:
    """The box :class:`MessageBoxNotifier` shows: ``text`` in plain text (it may carry a name a person typed,
    which must never be read as HTML; QMessageBox's static functions would). A question defaults to 否
    unless ``default_yes`` (the act asked about is safe to take on a stray Enter)."""
    # Imported here: the start shows no box, and QMessageBox's Python class costs ~1 ms to make (docs/performance.md)
    from PySide6.QtWidgets import QMessageBox

    icons = {"error": QMessageBox.Icon.Warning, "info": QMessageBox.Icon.Information,
             "confirm": QMessageBox.Icon.Question}  # fmt: skip
    box = QMessageBox(icons[kind], app_name(), "", QMessageBox.StandardButton.NoButton, parent)
    screen_fit.watch(box)
    box.setObjectName(f"notify{kind.capitalize()}")
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(text)
    if kind == "confirm":
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        box.setDefaultButton(QMessageBox.StandardButton.Yes if default_yes else QMessageBox.StandardButton.No)
    else:
        box.setStandardButtons(QMessageBox.StandardButton.Ok)
    return box


def _ask(kind: str, parent: QWidget | None, text: str, default_yes: bool = False) -> int:
    box = message_box(kind, parent, text, default_yes=default_yes)
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

    def confirm(self, parent: QWidget | None, text: str, default_yes: bool = False) -> bool:
        from PySide6.QtWidgets import QMessageBox

        return _ask("confirm", parent, text, default_yes) == QMessageBox.StandardButton.Yes


@dataclass
class RecordingNotifier:
    """Test backend: remembers every message; ``confirm`` answers with ``answer`` (and ``defaults`` says,
    question by question, whether Enter would have answered yes)."""

    answer: bool = True
    messages: list[tuple[str, str]] = field(default_factory=list)
    defaults: list[bool] = field(default_factory=list)

    def error(self, parent: QWidget | None, text: str) -> None:
        self.messages.append(("error", text))

    def info(self, parent: QWidget | None, text: str) -> None:
        self.messages.append(("info", text))

    def confirm(self, parent: QWidget | None, text: str, default_yes: bool = False) -> bool:
        self.messages.append(("confirm", text))
        self.defaults.append(default_yes)
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


def confirm(parent: QWidget | None, text: str, *, default_yes: bool = False) -> bool:
    """Ask yes or no. ``default_yes`` where the act is the expected next step and loses nothing (Enter
    takes it); leave it off for what deletes, disables or cannot be taken back."""
    return _current.confirm(parent, text, default_yes)


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
