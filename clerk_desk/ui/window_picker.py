"""After sign-in the clerk says which window they sit at today (remembered per user)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QDialog, QHBoxLayout, QWidget

from clerk_desk.services.workplace import WindowInfo
from clerk_desk.ui.widgets import button, combo, dialog_layout, label


def window_label(w: WindowInfo) -> str:
    extra = w.department_name if w.department_name and w.department_name not in w.name else ""
    return f"{w.name}（{extra}）" if extra else w.name


class WindowPickerDialog(QDialog):
    """``chosen`` is the picked window after accept(), or None when an admin skipped."""

    def __init__(
        self,
        windows: Sequence[WindowInfo],
        *,
        display_name: str,
        remembered_id: str | None = None,
        may_skip: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("windowPickerDialog")
        self.setWindowTitle(self.tr("Choose your window"))
        self.setMinimumWidth(460)
        self.windows = list(windows)
        self.chosen: WindowInfo | None = None
        greeting = label(
            self.tr("Hello, {0}. Which window are you at today?").format(display_name), "pickerGreeting"
        )
        self.picker = combo("windowPicker")
        for w in self.windows:
            self.picker.addItem(window_label(w), w.id)
        if remembered_id:
            index = self.picker.findData(remembered_id)
            if index >= 0:
                self.picker.setCurrentIndex(index)
        empty = label(
            self.tr("No window is open today. Please ask the administrator to set up the windows."),
            "pickerEmpty",
            wrap=True,
        )
        empty.setProperty("role", "error")
        empty.setVisible(not self.windows)
        self.ok = button(self.tr("Start work"), "windowPickerOk", default=True)
        self.ok.setEnabled(bool(self.windows))
        self.skip = button(self.tr("Skip (no window)"), "windowPickerSkip")
        self.skip.setVisible(may_skip)
        self.back = button(self.tr("Back to sign-in"), "windowPickerBack")
        row = QHBoxLayout()
        row.addWidget(self.back)
        row.addStretch(1)
        row.addWidget(self.skip)
        row.addWidget(self.ok)
        layout = dialog_layout(self)
        layout.addWidget(greeting)
        layout.addWidget(self.picker)
        layout.addWidget(empty)
        layout.addLayout(row)
        self.ok.clicked.connect(self._pick)
        self.skip.clicked.connect(self.accept)
        self.back.clicked.connect(self.reject)

    def _pick(self) -> None:
        index = self.picker.currentIndex()
        if 0 <= index < len(self.windows):
            self.chosen = self.windows[index]
            self.accept()
