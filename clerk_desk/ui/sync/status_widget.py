"""The sync item of the status bar: link, records waiting, last sync, clock skew, records sent back.

Anything that goes wrong besides the link (engine.py's fault codes) turns the link part into 同步出错 (or
连接不安全 for an http hub address) and the tooltip says what and that it is retried, in Chinese.

It only shows a :class:`SyncStatus` it is given (on the GUI thread); a click (or Enter/Space when it has
the focus) emits ``clicked`` and the sync panel opens.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QWidget

from clerk_desk.sync.engine import SyncStatus
from clerk_desk.sync.follow import Versions
from clerk_desk.ui.sync import texts
from clerk_desk.ui.widgets import label, plain_tooltip

GREEN, RED, GREY, AMBER = "#1e8449", "#c0392b", "#8a96a3", "#9a6700"

STYLE = f"""
QFrame#syncStatus {{ border-left: 1px solid #c9d3dd; padding: 0 4px; }}
QFrame#syncStatus:hover {{ background: #d9e4ee; }}
QFrame#syncStatus QLabel {{ padding: 2px 6px; }}
QLabel#syncSkew {{ color: {AMBER}; background: #fdf2dc; border-radius: 3px; }}
QLabel#syncRejected {{ color: #ffffff; background: {RED}; border-radius: 3px; font-weight: bold; }}
"""


class SyncStatusWidget(QFrame):
    clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("syncStatus")
        self.setStyleSheet(STYLE)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.status: SyncStatus | None = None
        self.versions: Versions | None = None  # the catalog and calendar in use (sync/follow.py)
        self.dot = label("●", "syncLinkDot")
        self.link = label(self.tr("Checking…"), "syncLink")
        self.waiting = label("", "syncWaiting")
        self.last = label("", "syncLastSync")
        self.skew = label("", "syncSkew")
        self.rejected = label("", "syncRejected")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        for w in (self.dot, self.link, self.waiting, self.last, self.skew, self.rejected):
            row.addWidget(w)
        self._dot_color(GREY)
        self.waiting.hide()
        self.last.hide()
        self.skew.hide()
        self.rejected.hide()
        self.setToolTip(self.tr("Click for the sync details"))

    def _dot_color(self, color: str) -> None:
        self.dot.setStyleSheet(f"color: {color}; padding: 2px 0 2px 8px;")
        self.link.setStyleSheet(f"color: {color}; font-weight: bold;")

    def link_text(self, st: SyncStatus) -> tuple[str, str]:
        if not st.enrolled:
            return self.tr("Not enrolled"), GREY
        if st.fault == "insecure_hub_url":
            return self.tr("Not secure"), RED
        if st.fault:
            return self.tr("Sync error"), RED
        if st.link_up is False:
            return self.tr("Offline"), RED
        if st.link_up is None:
            return self.tr("Checking…"), GREY
        return self.tr("Connected"), GREEN

    def set_status(self, st: SyncStatus, now: datetime | None = None) -> None:
        self.status = st
        text, color = self.link_text(st)
        self.link.setText(text)
        self._dot_color(color)
        self.waiting.setText(self.tr("To upload {0}").format(st.waiting))
        self.waiting.setVisible(True)
        self.last.setText(self.tr("Last sync {0}").format(texts.clock(st.last_success, now)))
        self.last.setVisible(st.enrolled)
        self.skew.setVisible(st.skew_warning)
        if st.skew_s is not None:
            self.skew.setText(self.tr("Clock off by {0} min").format(texts.skew_minutes(st.skew_s)))
        self.rejected.setVisible(st.rejected > 0)
        self.rejected.setText(self.tr("Returned {0}").format(st.rejected))
        self.setToolTip(plain_tooltip(self.tooltip(st)))

    def set_versions(self, versions: Versions) -> None:
        self.versions = versions
        if self.status is not None:
            self.setToolTip(plain_tooltip(self.tooltip(self.status)))

    def tooltip(self, st: SyncStatus) -> str:
        lines = []
        if not st.enrolled:
            lines.append(self.tr("This PC (or this Windows account) is not enrolled with the county hub: "
                                 "cases are kept on this PC only."))
        elif st.fault:
            lines.append(texts.fault(st.fault))
        elif st.last_error:
            lines.append(texts.link_error(st.last_error))
        if st.worker_restarts and st.fault != "worker_stopped":
            lines.append(texts.restarted(st.worker_restarts, st.last_restart_at))
        if st.skew_warning:
            lines.append(self.tr("This PC's clock differs from the county hub by more than 2 minutes: "
                                 "ask IT to set the clock right."))
        if st.held:
            lines.append(self.tr("{0} records wait for a returned record of the same case.").format(st.held))
        if st.follow_fault:
            lines.append(self.tr("The county hub's catalog or holiday calendar could not be taken in; it is "
                                 "tried again in the next sync"))
        if self.versions is not None:
            lines += texts.versions(self.versions)
        lines.append(self.tr("Click for the sync details"))
        return "\n".join(lines)

    def texts(self) -> list[str]:
        """The visible parts, left to right (tests and screen readers)."""
        parts: list[QLabel] = [self.link, self.waiting, self.last, self.skew, self.rejected]
        return [w.text() for w in parts if not w.isHidden()]

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt API)
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(event.position().toPoint()):
            self.clicked.emit()
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.clicked.emit()
            return
        super().keyPressEvent(event)
