"""The supervisor's return call on a bad rating (差评回访): how the applicant was reached, what was done and
said, which day. ``record(contact, response, day)`` runs on the task runner; a refusal keeps what was typed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDateEdit, QDialog, QFormLayout, QHBoxLayout, QWidget

from clerk_desk.ui.notify import error_text
from clerk_desk.ui.task_runner import TaskRunner
from clerk_desk.ui.widgets import (
    NotesEdit,
    button,
    dialog_layout,
    enter_presses_focused,
    error_label,
    label,
    line_edit,
)


class FollowUpDialog(QDialog):
    def __init__(self, case_text: str, today: date, runner: TaskRunner,
                 record: Callable[[str, str, date], object], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ratingFollowUpDialog")
        self.setWindowTitle(self.tr("Return call on a rating"))
        self.runner, self.record = runner, record
        layout = dialog_layout(self)
        layout.addWidget(label(case_text, "followUpCase", self, wrap=True))
        form = QFormLayout()
        self.contact = line_edit("followUpContact", self, placeholder=self.tr("e.g. phone call, home visit"))
        self.response = NotesEdit(self)
        self.response.setObjectName("followUpResponse")
        self.response.setTabChangesFocus(True)
        self.response.setFixedHeight(self.response.fontMetrics().height() * 5)
        self.day = QDateEdit(self)
        self.day.setObjectName("followUpDate")
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
        self.day.setDate(QDate(today.year, today.month, today.day))
        form.addRow(label(self.tr("Contact"), "", self), self.contact)
        form.addRow(label(self.tr("Response"), "", self), self.response)
        form.addRow(label(self.tr("Date"), "", self), self.day)
        layout.addLayout(form)
        self.error = error_label("followUpError", self)
        layout.addWidget(self.error)
        self.ok = button(self.tr("Record"), "followUpOk", self, default=True)
        self.cancel = button(self.tr("Cancel"), "followUpCancel", self)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.cancel)
        row.addWidget(self.ok)
        layout.addLayout(row)
        self.ok.clicked.connect(self.submit)
        self.cancel.clicked.connect(self.reject)
        enter_presses_focused(self)  # Tab to 取消 and Enter cancels (it pressed the act)

    def submit(self) -> None:
        d = self.day.date()
        self.error.setVisible(False)
        self.runner.submit(self.record, self.contact.text(), self.response.toPlainText(),
                           date(d.year(), d.month(), d.day()), on_done=lambda _r: self.accept(),
                           on_error=self._refused)

    def _refused(self, exc: BaseException) -> None:
        self.error.setText(error_text(exc))
        self.error.setVisible(True)
