"""The back office accepts the window's withdrawal request (``withdrawn``): the request as the window
recorded it, and a note (e.g. how the paper goes back). There is no act to decline a request: an
approver who does not accept it carries on, and the request stays in the timeline (services/withdrawal.py)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtWidgets import QWidget

from clerk_desk.domain.case_view import Withdrawal
from clerk_desk.services import withdrawal
from clerk_desk.services.approvals import ActionResult, Approver
from clerk_desk.store.database import Database
from clerk_desk.ui.cases.case_format import local_text
from clerk_desk.ui.inbox.action_dialogs import ActionDialog
from clerk_desk.ui.task_runner import TaskRunner
from clerk_desk.ui.widgets import NotesEdit, label


class AcceptWithdrawalDialog(ActionDialog):
    def __init__(self, db: Database, approver: Approver, case_uuid: str, request: Withdrawal | None,
                 runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__("withdrawAccept", self.tr("Accept the withdrawal"), self.tr("Withdraw the case"), runner,
                         parent)
        self.db, self.approver, self.case_uuid = db, approver, case_uuid
        at = request.requested.at if request and request.requested else None
        told = (request.summary or request.reason) if request else ""
        text = self.tr("Asked at the window on {0}: {1}").format(local_text(at), told or "—")
        self.request = label(text, "withdrawAcceptRequest", self, wrap=True)
        self.note = NotesEdit(self)
        self.note.setObjectName("withdrawAcceptNote")
        self.note.setTabChangesFocus(True)
        self.note.setFixedHeight(72)
        self.note.setPlaceholderText(self.tr("e.g. the paper materials go back to the window for the applicant"))
        self.form.addRow(self.tr("Request"), self.request)
        self.form.addRow(self.tr("Note"), self.note)
        self.form.addRow(label(self.tr("The case is closed as withdrawn; the window sees it at the next sync."),
                               "withdrawAcceptHint", self, wrap=True))

    def call(self) -> Callable[[], ActionResult]:
        return partial(withdrawal.accept_withdrawal, self.db, self.case_uuid, self.approver,
                       note=self.note.toPlainText())
