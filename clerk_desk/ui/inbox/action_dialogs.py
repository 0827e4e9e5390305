"""The back office's acts as small dialogs: 签收, 特别程序, 恢复计时, 退回补正, 审批决定, 结果返回窗口.

Each dialog is opened with ``open()`` (never ``exec()``), reads its fields on the GUI thread, and runs
the service on the task runner. Success closes it and reports the result; a refusal (``message_zh``)
is shown in the dialog's error line and everything typed stays, so the approver can correct and retry.

Keys: a dialog opens with the focus on what the approver does next (``lead``: the act itself where the
routine case needs nothing typed, as 签收; else the first field, as the decision in 审批决定); Tab goes down
the fields, then 取消 and the act; Enter records the act; a refusal puts the focus on the first field it names
(``first_to_correct``), never on 取消, where the next Enter would have closed the dialog.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QRadioButton,
    QWidget,
)

from clerk_desk.domain.errors import InputError
from clerk_desk.services.approvals import (
    APPROVED,
    DENIED,
    MAX_TEXT,
    PROCEDURES,
    ActionResult,
    ApprovalService,
    Approver,
    MaterialVerified,
)
from clerk_desk.ui import notify
from clerk_desk.ui.task_runner import TaskRunner
from clerk_desk.ui.widgets import (
    NotesEdit,
    button,
    chosen_in_list,
    combo,
    dialog_layout,
    error_label,
    hide_when_edited,
    label,
    line_edit,
    plain_title,
    plain_tooltip,
)

# A combo box's choice is kept by what it stands for (the item's data: a procedure's key), or its text where its
# items carry no data, never by its place in the list: a later version that adds, drops or reorders entries would
# otherwise bring an old draft back on another entry. A value the combo no longer has chooses nothing.
# Drafts kept before (by place, a bare number) are read through the lists as that version built them; a number
# of any other combo box, or past the end, chooses nothing (docs/back-office.md).
LEGACY_ORDER: dict[str, tuple[object, ...]] = {
    "pauseProcedure": ("", "hearing", "tender", "inspection", "appraisal", "expert_review", "site_check", "other"),
    "receiveCheck": (True, False),  # receiveCheck1, receiveCheck2, …: 已核实, 有问题
}


def chosen(box: QComboBox) -> dict[str, Any] | None:
    """What ``box`` has chosen, as kept in a draft: {"data": …}, {"text": …}, or None (nothing chosen)."""
    if box.currentIndex() < 0:
        return None
    data = box.currentData()
    if isinstance(data, (str, int, float, bool)):
        return {"data": data}
    return {"text": box.currentText()}


def _same(a: object, b: object) -> bool:
    return type(a) is type(b) and a == b  # (True is not 1: a check's 已核实 is not a first entry)


def choose(box: QComboBox, value: object) -> None:
    """Choose the entry a draft kept (see :func:`chosen`); when it is gone, nothing: the placeholder entry
    (data "") where the combo has one, else no entry at all. Never another entry."""
    if isinstance(value, int) and not isinstance(value, bool):  # an old draft: its place in the list as it was
        order = LEGACY_ORDER.get(box.objectName().rstrip("0123456789"), ())
        value = {"data": order[value]} if 0 <= value < len(order) else None
    found = -1
    if isinstance(value, dict) and "data" in value:
        found = next((i for i in range(box.count()) if _same(box.itemData(i), value["data"])), -1)
    elif isinstance(value, dict) and isinstance(value.get("text"), str):
        found = box.findText(value["text"])
    if found < 0:
        found = next((i for i in range(box.count()) if _same(box.itemData(i), "")), -1)
    box.setCurrentIndex(found)


_BACK = (Qt.Key.Key_Up, Qt.Key.Key_Left)
_ON = (Qt.Key.Key_Down, Qt.Key.Key_Right)


class _ArrowsChoose(QObject):
    """Both pairs of arrows move the choice within a row of radio buttons (↑ ← the one before, ↓ → the one
    after), as in a radio group laid out either way: Qt's own moves by where the buttons stand, so in a row ↑ ↓
    did nothing. Tab leaves the group (Qt's: only the chosen button is a Tab stop)."""

    def __init__(self, buttons: Sequence[QRadioButton]) -> None:
        super().__init__(buttons[0])
        self.buttons = list(buttons)
        for b in self.buttons:
            b.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        key, plain = event.key(), (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier)
        here = next((i for i, b in enumerate(self.buttons) if b is watched), None)
        if here is None or event.modifiers() not in plain or key not in (*_BACK, *_ON):
            return False
        at = here + (-1 if key in _BACK else 1)
        if not 0 <= at < len(self.buttons):
            return False  # at the end of the row: Qt's own (nothing)
        to = self.buttons[at]
        to.setFocus(Qt.FocusReason.OtherFocusReason)
        to.click()  # chosen as a click chooses it (a draft keeps it)
        return True


class ActionDialog(QDialog):
    """A form with a submit and a cancel button; ``call()`` returns the service call to run."""

    acted = Signal(object)  # ActionResult

    def __init__(self, prefix: str, title: str, submit_text: str, runner: TaskRunner, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.prefix, self.runner = prefix, runner
        self.setObjectName(f"{prefix}Dialog")
        self.setWindowTitle(plain_title(title))
        self.setMinimumWidth(480)
        self.form = QFormLayout()
        self.error = error_label(f"{prefix}Error", self)
        # The window's withdrawal request, when one waits (it may come with the sync while the dialog is open)
        self.withdrawal = error_label(f"{prefix}Withdrawal", self)
        self.submit = button(submit_text, f"{prefix}Submit", self, default=True)
        self.cancel = button(QCoreApplication.translate("ActionDialog", "Cancel"), f"{prefix}Cancel", self)
        self.cancel.setAutoDefault(True)  # Enter on it when focused cancels (it pressed the act, the dialog's default)
        self.submit.clicked.connect(self.try_submit)
        self.cancel.clicked.connect(self.reject)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.cancel)
        row.addWidget(self.submit)
        layout = dialog_layout(self)
        layout.addWidget(self.withdrawal)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addLayout(row)
        self._watching = False  # the fields a subclass adds: watched from the first refusal on

    def call(self) -> Callable[[], ActionResult]:
        raise NotImplementedError

    def show_withdrawal(self, text: str) -> None:
        """Say above the fields that the window asked to withdraw the case ('' when no request waits). The page
        behind the dialog says it too, but the dialog covers it; the approver may carry on or cancel (what was typed
        is kept) and accept the request."""
        if text == self.withdrawal.text() and self.withdrawal.isVisible() == bool(text):
            return
        self.withdrawal.setText(text)
        self.withdrawal.setVisible(bool(text))
        if self.isVisible():
            self.adjustSize()  # (grown to show it, never cut)

    # -- keys ------------------------------------------------------------------------------------------------
    def lead(self) -> QWidget:
        """Where the focus starts: the act, when the routine case needs nothing typed (a subclass whose act
        needs a field says which)."""
        return self.submit

    def to_correct(self) -> list[tuple[bool, QWidget]]:
        """The fields a refusal may name, in the dialog's order, each with whether it is wrong now."""
        return []

    def first_to_correct(self) -> QWidget:
        """The first field the refusal names (a text over the service's 500 characters too), else the act."""
        too_long = [(len(w.toPlainText()) > MAX_TEXT, w) for w in self.findChildren(QPlainTextEdit)]
        return next((w for wrong, w in self.to_correct() + too_long if wrong and w.isEnabled()), self.submit)

    # -- what was typed, kept when the dialog is closed without acting (ReviewPage keeps it per case) --------
    def typed(self) -> dict[str, Any]:
        """Every field's value by objectName (texts, choices, ticks, the ticked materials); {} when the
        approver typed or changed nothing, so an untouched dialog leaves nothing to keep."""
        values: dict[str, Any] = {}
        for w in self.findChildren(QWidget):
            name = w.objectName()
            if isinstance(w, QLineEdit) and name and not isinstance(w.parent(), QComboBox):
                values[name] = w.text()
            elif isinstance(w, QPlainTextEdit):
                values[name] = w.toPlainText()
            elif isinstance(w, QComboBox):
                values[name] = chosen(w)
            elif isinstance(w, (QCheckBox, QRadioButton)):
                values[name] = w.isChecked()
            elif isinstance(w, QListWidget):
                values[name] = [w.item(i).checkState() == Qt.CheckState.Checked for i in range(w.count())]
        return values if values != self._untouched else {}

    def restore(self, values: dict[str, Any]) -> None:
        for name, value in values.items():
            w = self.findChild(QWidget, name)
            if isinstance(w, QLineEdit):
                w.setText(value)
            elif isinstance(w, QPlainTextEdit):
                w.setPlainText(value)
            elif isinstance(w, QComboBox):
                choose(w, value)
            elif isinstance(w, (QCheckBox, QRadioButton)):
                w.setChecked(value)
            elif isinstance(w, QListWidget) and w.count() == len(value):
                for i, ticked in enumerate(value):
                    w.item(i).setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)
        if self.isVisible():
            self.lead().setFocus()  # (the decision as it was left)

    def open(self) -> None:
        if self._untouched is None:
            self._untouched = {}
            self._untouched = self.typed()  # as built: what counts as nothing typed
            # Tab down the fields, then 取消 and the act as they read (the buttons are made before the fields)
            QWidget.setTabOrder(self.cancel, self.submit)
        super().open()
        self.lead().setFocus()

    _untouched: dict[str, Any] | None = None

    def try_submit(self) -> None:
        if not self.submit.isEnabled():
            return  # a second press while the first runs
        try:
            call = self.call()
        except (ValueError, InputError) as exc:
            self._failed(exc)
            return
        self.submit.setEnabled(False)
        self.error.setVisible(False)
        self.runner.submit(call, on_done=self._done, on_error=self._failed)

    def _done(self, result: ActionResult) -> None:
        self.submit.setEnabled(True)
        self.accept()
        self.acted.emit(result)

    def _failed(self, exc: BaseException) -> None:
        self.submit.setEnabled(True)
        self.error.setText(notify.error_text(exc))
        self.error.setVisible(True)
        self.first_to_correct().setFocus()  # (disabled while it ran, the act had passed the focus on to 取消)
        if not self._watching:  # the refusal line goes once the approver corrects anything
            hide_when_edited(self.error, self)
            self._watching = True


def _note(name: str, placeholder: str = "") -> QPlainTextEdit:
    edit = NotesEdit()
    edit.setObjectName(name)
    edit.setTabChangesFocus(True)  # Tab moves on; the dialog stays keyboard usable
    edit.setFixedHeight(72)
    if placeholder:
        edit.setPlaceholderText(placeholder)
    return edit


class ReceiveDialog(ActionDialog):
    """签收: the paper came with the case, or it did not (say why); 当面核实 material by material: each provided
    material is 已核实 unless marked 有问题 with what is wrong (docs/hall-operations.md). Enter signs for the
    routine case, every material checked."""

    def __init__(self, svc: ApprovalService, approver: Approver, case_uuid: str, runner: TaskRunner,
                 parent: QWidget | None = None, materials: Sequence[str] = ()) -> None:
        super().__init__("receive", self.tr("Sign for the case"), self.tr("Sign for"), runner, parent)
        self.svc, self.approver, self.case_uuid = svc, approver, case_uuid
        self.paper = QCheckBox(self.tr("Paper materials received"), self)
        self.paper.setObjectName("receivePaper")
        self.paper.setChecked(True)
        self.note = _note("receiveNote", self.tr("Required when the paper did not come"))
        self.form.addRow(self.paper)
        self.checks: list[tuple[str, QComboBox, QLineEdit]] = []
        if materials:
            self.form.addRow(label(self.tr("Checked in person, material by material:"), "receiveCheckHeading", self))
        for n, name in enumerate(materials, 1):
            state = combo(f"receiveCheck{n}", self)
            state.addItem(self.tr("Verified"), True)
            state.addItem(self.tr("Problem"), False)
            problem = line_edit(f"receiveProblem{n}", self, placeholder=self.tr("What is wrong"))
            problem.setMaxLength(200)
            problem.setEnabled(False)
            state.currentIndexChanged.connect(partial(self._state_changed, state, problem, chosen_in_list(state)))
            row = QHBoxLayout()
            row.addWidget(state)
            row.addWidget(problem, 1)
            caption = label(name, f"receiveMaterial{n}", self, wrap=True)
            self.form.addRow(caption, row)
            self.checks.append((name, state, problem))
        self.paper.toggled.connect(self._paper_toggled)
        self.form.addRow(self.tr("Note"), self.note)

    def to_correct(self) -> list[tuple[bool, QWidget]]:
        received = self.paper.isChecked()
        fields: list[tuple[bool, QWidget]] = []
        for _name, state, problem in self.checks:
            fields += [(received and state.currentIndex() < 0, state),
                       (received and state.currentData() is False and not problem.text().strip(), problem)]
        return [*fields, (not received and not self.note.toPlainText().strip(), self.note)]

    def _state_changed(self, state: QComboBox, problem: QLineEdit, in_list: Callable[[], bool], _index: int) -> None:
        # 有问题 opens the field for what is wrong, the next Tab stop. Stepped to with ↑ ↓ the focus stays on the
        # choice (in the field the next ↑ or ↓ meant for the choice was lost); chosen in the open list (a click)
        # it goes on to the field, where the approver writes next
        bad = state.currentData() is False
        problem.setEnabled(bad)
        if bad and in_list():
            problem.setFocus()

    def _paper_toggled(self, received: bool) -> None:
        for _name, state, problem in self.checks:  # no paper: nothing to check in person
            state.setEnabled(received)
            problem.setEnabled(received and state.currentData() is False)

    def call(self) -> Callable[[], ActionResult]:
        received = self.paper.isChecked()
        unchosen = [name for name, state, _problem in self.checks if state.currentIndex() < 0]
        if received and unchosen:  # (a draft's choice this version no longer offers: asked, never guessed)
            raise InputError(self.tr("Choose Verified or Problem for: {0}").format("、".join(unchosen)))
        verified = [MaterialVerified(name, bool(state.currentData()), problem.text())
                    for name, state, problem in self.checks] if received else []  # fmt: skip
        return partial(self.svc.receive, self.case_uuid, self.approver, paper_received=received,
                       note=self.note.toPlainText(), verified=verified)


class PauseDialog(ActionDialog):
    """特别程序: the kind and the reason; the clock stops until it is resumed."""

    def __init__(self, svc: ApprovalService, approver: Approver, case_uuid: str, runner: TaskRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__("pause", self.tr("Special procedure (clock stops)"), self.tr("Stop the clock"), runner,
                         parent)
        self.svc, self.approver, self.case_uuid = svc, approver, case_uuid
        self.procedure = combo("pauseProcedure", self)
        self.procedure.addItem(self.tr("Choose…"), "")
        for key, name in PROCEDURES.items():
            self.procedure.addItem(name, key)
        self.reason = _note("pauseReason", self.tr("What is done, by whom, expected until when"))
        self.form.addRow(self.tr("Procedure"), self.procedure)
        self.form.addRow(self.tr("Reason"), self.reason)
        self.form.addRow(label(self.tr("The working days the procedure touches are not counted: the due date moves "
                                       "later when the clock is resumed."), "pauseHint", self, wrap=True))

    def lead(self) -> QWidget:
        return self.procedure

    def to_correct(self) -> list[tuple[bool, QWidget]]:
        return [(not self.procedure.currentData(), self.procedure), (not self.reason.toPlainText().strip(), self.reason)]

    def call(self) -> Callable[[], ActionResult]:
        return partial(self.svc.pause, self.case_uuid, self.approver, procedure=str(self.procedure.currentData()),
                       reason=self.reason.toPlainText())


class ResumeDialog(ActionDialog):
    def __init__(self, svc: ApprovalService, approver: Approver, case_uuid: str, runner: TaskRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__("resume", self.tr("Resume the clock"), self.tr("Resume"), runner, parent)
        self.svc, self.approver, self.case_uuid = svc, approver, case_uuid
        self.note = _note("resumeNote", self.tr("e.g. the appraisal report has arrived"))
        self.form.addRow(self.tr("Note"), self.note)

    def call(self) -> Callable[[], ActionResult]:
        return partial(self.svc.resume, self.case_uuid, self.approver, note=self.note.toPlainText())


class SupplementDialog(ActionDialog):
    """退回补正: tick the materials of the checklist that must be supplemented, or name others."""

    def __init__(self, svc: ApprovalService, approver: Approver, case_uuid: str, materials: list[str],
                 runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__("supplement", self.tr("Send back for supplement"), self.tr("Send back to the window"),
                         runner, parent)
        self.svc, self.approver, self.case_uuid = svc, approver, case_uuid
        self.materials = QListWidget(self)
        self.materials.setObjectName("supplementMaterials")
        self.materials.setMaximumHeight(140)
        for name in materials:
            item = QListWidgetItem(name, self.materials)
            item.setToolTip(plain_tooltip(name))  # a long name is drawn elided
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
        self.other = line_edit("supplementOther", self, placeholder=self.tr("Other materials, separated by 、"))
        self.note = _note("supplementNote", self.tr("What is wrong and what the applicant must bring"))
        self.form.addRow(self.tr("Materials"), self.materials)
        self.form.addRow(self.tr("Other"), self.other)
        self.form.addRow(self.tr("Note"), self.note)

    def set_checked(self, name: str, checked: bool = True) -> None:
        for i in range(self.materials.count()):
            item = self.materials.item(i)
            if item.text() == name:
                item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def missing(self) -> list[str]:
        ticked = [self.materials.item(i).text() for i in range(self.materials.count())
                  if self.materials.item(i).checkState() == Qt.CheckState.Checked]
        others = [p.strip() for p in self.other.text().replace("，", "、").replace(",", "、").split("、")]
        return ticked + [p for p in others if p]

    def lead(self) -> QWidget:
        return self.materials if self.materials.count() else self.other

    def to_correct(self) -> list[tuple[bool, QWidget]]:
        return [(not self.missing(), self.lead())]

    def call(self) -> Callable[[], ActionResult]:
        return partial(self.svc.request_supplement, self.case_uuid, self.approver, missing=self.missing(),
                       note=self.note.toPlainText())


class DecideDialog(ActionDialog):
    """审批决定: 准予 with the result (and the document number), or 不予 with the reason."""

    def __init__(self, svc: ApprovalService, approver: Approver, case_uuid: str, runner: TaskRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__("decide", self.tr("Decision"), self.tr("Record the decision"), runner, parent)
        self.svc, self.approver, self.case_uuid = svc, approver, case_uuid
        self.approve = QRadioButton(self.tr("Approve (准予)"), self)
        self.approve.setObjectName("decideApprove")
        self.deny = QRadioButton(self.tr("Deny (不予)"), self)
        self.deny.setObjectName("decideDeny")
        group = QButtonGroup(self)
        group.addButton(self.approve)
        group.addButton(self.deny)
        self.approve.setChecked(True)
        self._arrows = _ArrowsChoose((self.approve, self.deny))  # ↑ ↓ too, not only ← →
        choice = QHBoxLayout()
        choice.addWidget(self.approve)
        choice.addWidget(self.deny)
        choice.addStretch(1)
        self.result_text = line_edit("decideResult", self, placeholder=self.tr("e.g. registration cancelled; the licence issued"))
        self.document_number = line_edit("decideDocumentNumber", self, placeholder=self.tr("e.g. 通人社〔2026〕12号"))
        self.reason = _note("decideReason", self.tr("Required to deny: the reason and its legal basis"))
        self.form.addRow(self.tr("Decision"), choice)
        self.form.addRow(self.tr("Result"), self.result_text)
        self.form.addRow(self.tr("Document number"), self.document_number)
        self.form.addRow(self.tr("Reason / note"), self.reason)

    def lead(self) -> QWidget:
        return self.deny if self.deny.isChecked() else self.approve

    def to_correct(self) -> list[tuple[bool, QWidget]]:
        approved = self.approve.isChecked()
        return [(approved and not self.result_text.text().strip(), self.result_text),
                (not approved and not self.reason.toPlainText().strip(), self.reason)]

    def call(self) -> Callable[[], ActionResult]:
        return partial(self.svc.decide, self.case_uuid, self.approver,
                       decision=APPROVED if self.approve.isChecked() else DENIED, result_text=self.result_text.text(),
                       document_number=self.document_number.text(), reason=self.reason.toPlainText())


class ReturnDialog(ActionDialog):
    """The result (and its paper) goes to the window for 出件."""

    def __init__(self, svc: ApprovalService, approver: Approver, case_uuid: str, runner: TaskRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__("return", self.tr("Return the result to the window"), self.tr("Return to the window"),
                         runner, parent)
        self.svc, self.approver, self.case_uuid = svc, approver, case_uuid
        self.note = _note("returnNote", self.tr("e.g. the certificate and the decision letter, one copy each"))
        self.form.addRow(self.tr("Note"), self.note)

    def call(self) -> Callable[[], ActionResult]:
        return partial(self.svc.return_result, self.case_uuid, self.approver, note=self.note.toPlainText())


DIALOGS: dict[str, Any] = {
    "receive": ReceiveDialog, "pause": PauseDialog, "resume": ResumeDialog, "decide": DecideDialog,
    "return": ReturnDialog,
}
