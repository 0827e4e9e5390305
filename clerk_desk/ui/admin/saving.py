"""Saving an admin form: one click runs the service off the GUI thread; success closes the dialog, an
error is shown and the form keeps everything typed (the button comes back for another try)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog, QPushButton

from clerk_desk.ui import notify
from clerk_desk.ui.task_runner import TaskRunner


def save_and_close(dialog: QDialog, button: QPushButton, runner: TaskRunner, call: Callable[[], object]) -> None:
    if not button.isEnabled():
        return  # a second click while the first save runs
    button.setEnabled(False)

    def saved(_result: object) -> None:
        button.setEnabled(True)
        dialog.accept()

    def failed(exc: BaseException) -> None:
        button.setEnabled(True)
        notify.show_error(dialog, exc)

    runner.submit(call, on_done=saved, on_error=failed)
