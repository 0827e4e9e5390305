"""The form the supervision dialogs share (issue a 督办单, answer one, excuse a violation): a few rows (the
case or the violation, a reason or an answer, sometimes a date), an error line and Cancel / the act. The
act runs on the task runner; while it runs the button is off, a failure is shown in the dialog and what was
typed stays (docs/ui.md). Object names are ``<prefix>Error``, ``<prefix>Submit``, ``<prefix>Cancel``.

Keys: Tab goes down the rows, then Cancel and the act; Enter sends; a refusal puts the focus on the first text
left empty (``first_to_correct``), not on Cancel, where the next Enter would have closed the dialog."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDialog, QFormLayout, QHBoxLayout, QPlainTextEdit, QWidget

from clerk_desk.ui import notify
from clerk_desk.ui.task_runner import TaskRunner
from clerk_desk.ui.widgets import NotesEdit, button, dialog_layout, error_label, hide_when_edited, plain_title


def text_box(name: str, parent: QWidget, placeholder: str, height: int = 90) -> QPlainTextEdit:
    box = NotesEdit(parent)
    box.setObjectName(name)
    box.setTabChangesFocus(True)
    box.setFixedHeight(height)
    box.setPlaceholderText(placeholder)
    return box


class NoteDialog(QDialog):
    """Subclasses add their rows to ``form``, call :meth:`finish` and send their act with :meth:`send`."""

    def __init__(self, runner: TaskRunner, prefix: str, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.setObjectName(f"{prefix}Dialog")
        self.setWindowTitle(plain_title(title))
        self.setMinimumWidth(520)
        self.form = QFormLayout()
        self.error = error_label(f"{prefix}Error", self)
        self.submit = button("", f"{prefix}Submit", self, default=True)
        self.cancel = button(QCoreApplication.translate("NoteDialog", "Cancel"), f"{prefix}Cancel", self)
        self.cancel.setAutoDefault(True)  # Enter on it when focused cancels (it pressed the act, the dialog's default)

    def finish(self, act: str, *, above: QWidget | None = None) -> None:
        """Lay the dialog out: ``above`` (a note) first, the form, the error line, the buttons."""
        self.submit.setText(act)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.cancel)
        row.addWidget(self.submit)
        layout = dialog_layout(self)
        if above is not None:
            layout.addWidget(above)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addLayout(row)
        self.submit.clicked.connect(self.try_submit)
        self.cancel.clicked.connect(self.reject)
        hide_when_edited(self.error, self)
        QWidget.setTabOrder(self.cancel, self.submit)  # as they read (the buttons are made before the rows)

    def first_to_correct(self) -> QWidget:
        """The first text of the form left empty, else the act."""
        texts = (self.form.itemAt(row, QFormLayout.ItemRole.FieldRole) for row in range(self.form.rowCount()))
        boxes = [item.widget() for item in texts if item is not None and isinstance(item.widget(), QPlainTextEdit)]
        return next((b for b in boxes if isinstance(b, QPlainTextEdit) and not b.toPlainText().strip()), self.submit)

    def try_submit(self) -> None:
        if self.submit.isEnabled():
            self.send(self.act())

    def act(self) -> Callable[[], Any]:
        raise NotImplementedError

    def send(self, call: Callable[[], Any]) -> None:
        self.submit.setEnabled(False)
        self.error.setVisible(False)
        self.runner.submit(call, on_done=self._done, on_error=self._failed)

    def done_with(self, result: Any) -> None:
        """The act succeeded (after the dialog closed): subclasses emit their signal."""

    def _done(self, result: Any) -> None:
        self.submit.setEnabled(True)
        self.accept()
        self.done_with(result)

    def _failed(self, exc: BaseException) -> None:
        self.submit.setEnabled(True)
        self.error.setText(notify.error_text(exc))
        self.error.setVisible(True)
        self.first_to_correct().setFocus()  # (disabled while it ran, the act had passed the focus on to Cancel)
