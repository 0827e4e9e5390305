"""出件 at the window: how the back office's result reached the applicant (window pick-up with the ID
checked, post with the tracking number, or electronic delivery). Opened from the case page of a case
whose result is at the window; the service (services/handover.py) checks everything again."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QDialog, QFormLayout, QHBoxLayout, QWidget

from clerk_desk.domain.case_view import CaseView
from clerk_desk.domain.identifiers import InvalidIdentifier, validate_resident_id
from clerk_desk.services import handover
from clerk_desk.services.intake_forms import PARTY_NAME_MAX
from clerk_desk.store.database import Database
from clerk_desk.ui import notify
from clerk_desk.ui.cases.case_actions import clerk_for
from clerk_desk.ui.session import DeskSession
from clerk_desk.ui.task_runner import TaskRunner
from clerk_desk.ui.widgets import (
    WrappingLabel,
    button,
    chosen_in_list,
    combo,
    dialog_layout,
    enter_presses_focused,
    error_label,
    hide_when_edited,
    line_edit,
    scroll_body,
)


def _valid_id(text: str) -> bool:
    try:
        validate_resident_id(text)
    except InvalidIdentifier:
        return False
    return True


class HandoverDialog(QDialog):
    delivered = Signal(object)  # handover.DeliveredResult

    def __init__(self, db: Database, runner: TaskRunner, session: DeskSession, case: CaseView,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.runner, self.session, self.case = db, runner, session, case
        self.handed_over = False  # until then the case page opens this dialog again, as it was left
        self.setObjectName("deliverDialog")
        self.setWindowTitle(self.tr("Hand over the result"))
        self.setMinimumWidth(500)
        self.decision = WrappingLabel("", "deliverDecision", self)
        self.method = combo("deliverMethod", self)
        for key, text in handover.METHODS.items():
            self.method.addItem(text, key)
        planned = case.intake.delivery.method if case.intake.delivery else None
        if planned in handover.METHODS:  # what the applicant chose at intake comes first
            self.method.setCurrentIndex(self.method.findData(planned))
        self.recipient = combo("deliverRecipient", self)
        for key, text in handover.RECIPIENTS.items():
            if key != "agent" or case.parties.agent:
                self.recipient.addItem(text, key)
        self.other_name = line_edit("deliverOtherName", self)
        self.other_id = line_edit("deliverOtherId", self, placeholder=self.tr("18-digit resident ID"))
        self.id_checked = QCheckBox(self.tr("The recipient's ID card was checked"), self)
        self.id_checked.setObjectName("deliverIdChecked")
        self.tracking = line_edit("deliverTracking", self)
        self.sent_to = line_edit("deliverSentTo", self, placeholder=self.tr("e.g. 鄂汇办, an e-mail address"))
        self.note = line_edit("deliverNote", self)
        # 出件回执 / 送达回证, printed by the case page once the hand-over is recorded
        self.print_receipt = QCheckBox(self.tr("Print the hand-over receipt for the recipient to sign"), self)
        self.print_receipt.setObjectName("deliverPrintReceipt")
        self.print_receipt.setChecked(True)
        self.paper = combo("deliverPaper", self)
        self.paper.addItem(self.tr("A4"), "a4")
        self.paper.addItem(self.tr("80 mm roll"), "80mm")
        self.error = error_label("deliverError", self)
        self.submit = button(self.tr("Hand over"), "deliverSubmit", self, default=True)
        self.cancel = button(self.tr("Cancel"), "deliverCancel", self)
        self.cancel.setAutoDefault(True)  # Enter on it when focused cancels (it pressed the act, the dialog's default)
        self.form = QFormLayout()
        self.form.addRow(self.tr("Result"), self.decision)
        self.form.addRow(self.tr("How"), self.method)
        self.form.addRow(self.tr("Collected by"), self.recipient)
        self.form.addRow(self.tr("Name"), self.other_name)
        self.form.addRow(self.tr("ID number"), self.other_id)
        self.form.addRow("", self.id_checked)
        self.form.addRow(self.tr("Tracking number"), self.tracking)
        self.form.addRow(self.tr("Sent to"), self.sent_to)
        self.form.addRow(self.tr("Note"), self.note)
        self.form.addRow("", self.print_receipt)
        self.form.addRow(self.tr("Paper"), self.paper)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.cancel)
        row.addWidget(self.submit)
        layout = dialog_layout(self)
        body, fields = scroll_body(self, "deliverBody")  # scrolls on a small screen; the buttons stay
        fields.addLayout(self.form)
        layout.addWidget(body, 1)
        layout.addWidget(self.error)
        layout.addLayout(row)
        self.method.currentIndexChanged.connect(self._update)
        self.recipient.currentIndexChanged.connect(self._update)
        self.recipient.currentIndexChanged.connect(partial(self._recipient_chosen, chosen_in_list(self.recipient)))
        QWidget.setTabOrder(self.cancel, self.submit)  # as they read: 取消, then 出件 on the right
        self.submit.clicked.connect(self.try_submit)
        self.cancel.clicked.connect(self.reject)
        self._update()
        hide_when_edited(self.error, self)  # a refusal goes once the clerk corrects anything
        self.decision.setText(case.decision.summary if case.decision and case.decision.summary else "—")
        enter_presses_focused(self)  # Tab to 取消 and Enter cancels (it pressed the act)

    def _update(self, *_args: object) -> None:
        method = self.method.currentData()
        other = method == "window" and self.recipient.currentData() == "other"
        for widget, shown in ((self.recipient, method == "window"), (self.id_checked, method == "window"),
                              (self.other_name, other), (self.other_id, other), (self.tracking, method == "post"),
                              (self.sent_to, method == "electronic")):
            widget.setVisible(shown)
            caption = self.form.labelForField(widget)
            if caption is not None:
                caption.setVisible(shown)

    def _recipient_chosen(self, in_list: Callable[[], bool], _index: int) -> None:
        # 委托他人 chosen in the open list (a click) goes on to the collector's name, where the clerk types next;
        # stepped to with ↑ ↓ the focus stays on the choice, where the next ↑ ↓ is meant (docs/ui.md, "Keys")
        if self.recipient.currentData() == "other" and in_list():
            self.other_name.setFocus()

    def values(self) -> handover.Handover:
        return handover.Handover(
            method=str(self.method.currentData()), recipient=str(self.recipient.currentData() or "applicant"),
            other_name=self.other_name.text(), other_id_number=self.other_id.text(),
            id_checked=self.id_checked.isChecked(), tracking_no=self.tracking.text(), sent_to=self.sent_to.text(),
            note=self.note.text(),
        )

    def try_submit(self) -> None:
        if not self.submit.isEnabled():
            return
        self.submit.setEnabled(False)
        self.error.setVisible(False)
        call = partial(handover.deliver, self.db, self.case.uuid, clerk_for(self.session), self.values())
        self.runner.submit(call, on_done=self._done, on_error=self._failed)

    def _done(self, result: handover.DeliveredResult) -> None:
        self.submit.setEnabled(True)
        self.handed_over = True
        self.accept()
        self.delivered.emit(result)

    def _failed(self, exc: BaseException) -> None:
        self.submit.setEnabled(True)
        self.error.setText(notify.error_text(exc))
        self.error.setVisible(True)
        self.first_to_correct().setFocus()  # the message stands under the fields; the focus on the first one it names

    def first_to_correct(self) -> QWidget:
        """The first field the service's refusal names (services/handover.py, in its order), else 出件."""
        v = self.values()
        candidates: list[tuple[bool, QWidget]] = []
        if v.method == "window":
            if v.recipient == "other":
                candidates += [(not v.other_name.strip() or len(v.other_name.strip()) > PARTY_NAME_MAX, self.other_name),
                               (not _valid_id(v.other_id_number), self.other_id)]
            candidates.append((not v.id_checked, self.id_checked))
        elif v.method == "post":
            candidates.append((not v.tracking_no.strip() or len(v.tracking_no.strip()) > 40, self.tracking))
        else:
            candidates.append((not v.sent_to.strip(), self.sent_to))
        candidates.append((len(v.note) > 500, self.note))
        return next((w for wrong, w in candidates if wrong), self.submit)
