"""撤回 at the window: the applicant (or the agent) withdraws the application.

Two modes, the lifecycle decides which (case_queries.withdrawal_act): the window holds the case
(accepted, waiting for transfer, back from 补正) and withdraws it at once (``withdrawDialog``), or the
back office holds it and the window records the applicant's request (``withdrawRequestDialog``), which
the back office then accepts. Either way the clerk records who asked, checks their ID card and writes
the reason; the service (services/withdrawal.py) checks everything again. Imported when first opened:
the case list must not load the services that write (and SQLAlchemy) at start-up.
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QDialog, QFormLayout, QHBoxLayout, QWidget

from clerk_desk.domain.case_view import CaseView
from clerk_desk.services import withdrawal
from clerk_desk.store.database import Database
from clerk_desk.ui import notify
from clerk_desk.ui.cases.case_actions import clerk_for
from clerk_desk.ui.session import DeskSession
from clerk_desk.ui.task_runner import TaskRunner
from clerk_desk.ui.widgets import (
    NotesEdit,
    button,
    combo,
    dialog_layout,
    enter_presses_focused,
    error_label,
    hide_when_edited,
    label,
)

WITHDRAW, REQUEST = "withdraw", "request"


class WithdrawDialog(QDialog):
    recorded = Signal(object)  # withdrawal.WithdrawalResult

    def __init__(self, db: Database, runner: TaskRunner, session: DeskSession, case: CaseView, mode: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.runner, self.session, self.case, self.mode = db, runner, session, case, mode
        self.setObjectName("withdrawDialog" if mode == WITHDRAW else "withdrawRequestDialog")
        self.setMinimumWidth(500)
        if mode == WITHDRAW:
            self.setWindowTitle(self.tr("Withdraw the application"))
            hint = self.tr("The case is still at the window: it is withdrawn at once and closed. "
                           "Give the paper materials back to the applicant.")
            submit = self.tr("Withdraw")
        else:
            self.setWindowTitle(self.tr("Request withdrawal"))
            hint = self.tr("The case is in the back office: the request goes to the back office, which "
                           "withdraws the case. Until it answers the case shows “withdrawal requested”.")
            submit = self.tr("Send the request")
        self.hint = label(hint, "withdrawHint", self, wrap=True)
        self.hint.setProperty("role", "note")
        self.requester = combo("withdrawRequester", self)
        for key, text in withdrawal.REQUESTERS.items():
            if key != "agent" or case.parties.agent:
                self.requester.addItem(text, key)
        self.id_checked = QCheckBox(self.tr("Their ID card was checked"), self)
        self.id_checked.setObjectName("withdrawIdChecked")
        self.reason = NotesEdit(self)
        self.reason.setObjectName("withdrawReason")
        self.reason.setTabChangesFocus(True)
        self.reason.setFixedHeight(80)
        self.reason.setPlaceholderText(self.tr("Why the applicant withdraws (required)"))
        self.error = error_label("withdrawError", self)
        self.submit = button(submit, "withdrawSubmit", self, default=True)
        self.cancel = button(self.tr("Cancel"), "withdrawCancel", self)
        self.cancel.setAutoDefault(True)  # Enter on it when focused cancels (it pressed the act, the dialog's default)
        form = QFormLayout()
        form.addRow(self.tr("Asked by"), self.requester)
        form.addRow("", self.id_checked)
        form.addRow(self.tr("Reason"), self.reason)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.cancel)
        row.addWidget(self.submit)
        layout = dialog_layout(self)
        layout.addWidget(self.hint)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addLayout(row)
        QWidget.setTabOrder(self.cancel, self.submit)  # as they read: 取消, then the act on the right
        self.done_ok = False  # until recorded the case page opens this dialog again, as it was left
        self.submit.clicked.connect(self.try_submit)
        self.cancel.clicked.connect(self.reject)
        hide_when_edited(self.error, self)  # a refusal goes once the clerk corrects anything
        enter_presses_focused(self)  # Tab to 取消 and Enter cancels (it pressed the act)

    def values(self) -> withdrawal.Withdrawal:
        return withdrawal.Withdrawal(self.reason.toPlainText(), str(self.requester.currentData() or "applicant"),
                                     self.id_checked.isChecked())

    def try_submit(self) -> None:
        if not self.submit.isEnabled():
            return  # a second press while the first runs
        self.submit.setEnabled(False)
        self.error.setVisible(False)
        act = withdrawal.withdraw if self.mode == WITHDRAW else withdrawal.request_withdrawal
        call = partial(act, self.db, self.case.uuid, clerk_for(self.session), self.values())
        self.runner.submit(call, on_done=self._done, on_error=self._failed)

    def _done(self, result: withdrawal.WithdrawalResult) -> None:
        self.submit.setEnabled(True)
        self.done_ok = True
        self.accept()
        self.recorded.emit(result)

    def _failed(self, exc: BaseException) -> None:
        self.submit.setEnabled(True)  # everything typed stays: correct and press again
        self.error.setText(notify.error_text(exc))
        self.error.setVisible(True)
        self.first_to_correct().setFocus()

    def first_to_correct(self) -> QWidget:
        """The first field, as the form reads, that the refusal is about (services/withdrawal.py), else the act."""
        v = self.values()
        for wrong, widget in ((not v.id_checked, self.id_checked),
                              (not v.reason.strip() or len(v.reason.strip()) > withdrawal.MAX_TEXT, self.reason)):
            if wrong:
                return widget
        return self.submit
