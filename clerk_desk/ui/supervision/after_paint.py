"""Work that should wait for a widget's next paint: the supervision tabs paint what they have first (the
督办 list's first page, the 统计 tables) and only then read the whole list or draw the charts, which would
otherwise hold the Python interpreter while the first paint is made (docs/supervision.md, "First paint")."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget


class _AfterPaint(QObject):
    def __init__(self, widget: QWidget, then: Callable[[], None], fallback_ms: int) -> None:
        super().__init__(widget)
        self.widget, self.then, self.done = widget, then, False
        widget.installEventFilter(self)
        QTimer.singleShot(fallback_ms, self, self.fire)

    def eventFilter(self, _watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.Paint and not self.done:
            QTimer.singleShot(0, self, self.fire)  # after this paint has been drawn
        return False

    def fire(self) -> None:
        if self.done:
            return
        self.done = True
        self.widget.removeEventFilter(self)
        self.deleteLater()
        self.then()


def after_paint(widget: QWidget, then: Callable[[], None], fallback_ms: int = 500) -> None:
    """Call ``then`` once, just after ``widget`` next paints, or after ``fallback_ms`` if it does not (hidden)."""
    _AfterPaint(widget, then, fallback_ms)
