"""帮办代办 dialogs: 委托 (a new record: the person helped, what for, the staff member who helps, the online
application if any) and the next step with its date. Each runs its ``record`` on the task runner; a refusal
keeps what was typed and shows the reason."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import cast

from PySide6.QtCore import QCoreApplication, QDate
from PySide6.QtWidgets import QComboBox, QDateEdit, QDialog, QFormLayout, QHBoxLayout, QVBoxLayout, QWidget

from clerk_desk.services.consultation import PLATFORMS, AssistRequest, Contact
from clerk_desk.ui.notify import error_text
from clerk_desk.ui.task_runner import TaskRunner
from clerk_desk.ui.widgets import (
    button,
    combo,
    dialog_layout,
    enter_presses_focused,
    error_label,
    label,
    line_edit,
    scroll_body,
)


def date_edit(name: str, day: date, parent: QWidget) -> QDateEdit:
    d = QDateEdit(parent)
    d.setObjectName(name)
    d.setCalendarPopup(True)
    d.setDisplayFormat("yyyy-MM-dd")
    d.setDate(QDate(day.year, day.month, day.day))
    d.setMaximumDate(QDate(day.year, day.month, day.day))
    return d


def picked(d: QDateEdit) -> date:
    q = d.date()
    return date(q.year(), q.month(), q.day())


def platform_combo(name: str, parent: QWidget, current: str = "") -> QComboBox:
    c = combo(name, parent)
    c.addItem(QCoreApplication.translate("AssistDialog", "Not an online application"), "")
    for p in PLATFORMS:
        c.addItem(p, p)
    c.setCurrentIndex(max(0, c.findData(current)))
    return c


class _Recording(QDialog):
    def __init__(self, runner: TaskRunner, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.runner = runner

    def finish_row(self, layout: QFormLayout | None, ok_name: str, cancel_name: str) -> None:
        self.error = error_label(f"{self.objectName()}Error", self)
        # An explicit context: tr() in a base class is looked up under the subclass's name at run time.
        self.ok = button(QCoreApplication.translate("AssistDialog", "Record"), ok_name, self, default=True)
        self.cancel = button(QCoreApplication.translate("AssistDialog", "Cancel"), cancel_name, self)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.cancel)
        row.addWidget(self.ok)
        outer = cast(QVBoxLayout, self.layout())  # the subclass's dialog_layout(self); Qt gives it as a QLayout
        outer.addWidget(self.error)
        outer.addLayout(row)
        self.ok.clicked.connect(self.submit)
        self.cancel.clicked.connect(self.reject)
        enter_presses_focused(self)  # Tab to 取消 and Enter cancels (it pressed the act)

    def run(self, fn: Callable[..., object], *args: object) -> None:
        self.error.setVisible(False)
        self.runner.submit(fn, *args, on_done=lambda _r: self.accept(), on_error=self._refused)

    def _refused(self, exc: BaseException) -> None:
        self.error.setText(error_text(exc))
        self.error.setVisible(True)

    def submit(self) -> None:
        raise NotImplementedError


class NewAssistDialog(_Recording):
    """委托: ``record(AssistRequest)``."""

    def __init__(self, today: date, helpers: list[tuple[str, str]], me: str, runner: TaskRunner,
                 record: Callable[[AssistRequest], object], parent: QWidget | None = None) -> None:
        super().__init__(runner, parent)
        self.setObjectName("assistNewDialog")
        self.setWindowTitle(self.tr("帮办代办: new request (委托)"))
        self.record = record
        layout = dialog_layout(self)
        body, fields = scroll_body(self, "assistNewBody")  # scrolls on a small screen; the buttons stay
        layout.addWidget(body)
        form = QFormLayout()
        self.name = line_edit("assistName", self)
        self.phone = line_edit("assistPhone", self)
        self.id_number = line_edit("assistIdNumber", self, placeholder=self.tr("only if given"))
        self.matter = line_edit("assistMatter", self, placeholder=self.tr("e.g. 城乡居民医保缴费"))
        self.helper = combo("assistHelper", self)
        for username, display in helpers:
            self.helper.addItem(display, username)
        self.helper.setCurrentIndex(max(0, self.helper.findData(me)))
        self.platform = platform_combo("assistPlatform", self)
        self.application_no = line_edit("assistApplicationNo", self)
        self.day = date_edit("assistDate", today, self)
        for text, w in ((self.tr("Person helped"), self.name), (self.tr("Phone"), self.phone),
                        (self.tr("ID number"), self.id_number), (self.tr("Matter"), self.matter),
                        (self.tr("Helped by"), self.helper), (self.tr("Online platform"), self.platform),
                        (self.tr("Application number"), self.application_no), (self.tr("Date of 委托"), self.day)):
            form.addRow(label(text, "", self), w)
        fields.addLayout(form)
        self.finish_row(form, "assistNewOk", "assistNewCancel")

    def submit(self) -> None:
        req = AssistRequest(Contact(self.name.text(), self.phone.text(), self.id_number.text()), self.matter.text(),
                            platform=self.platform.currentData() or "", application_no=self.application_no.text(),
                            helper=self.helper.currentData() or "", on=picked(self.day))
        self.run(self.record, req)


class AssistStepDialog(_Recording):
    """The next step of a 帮办代办: ``record(day, platform, application_no)``."""

    def __init__(self, text: str, step: str, today: date, platform: str, application_no: str, runner: TaskRunner,
                 record: Callable[[date, str, str], object], parent: QWidget | None = None) -> None:
        super().__init__(runner, parent)
        self.setObjectName("assistStepDialog")
        self.setWindowTitle(self.tr("帮办代办: record a step"))
        self.record = record
        layout = dialog_layout(self)
        layout.addWidget(label(text, "assistStepCase", self, wrap=True))
        form = QFormLayout()
        self.step = label(step, "assistStepName", self)
        self.day = date_edit("assistStepDate", today, self)
        self.platform = platform_combo("assistStepPlatform", self, platform)
        self.application_no = line_edit("assistStepApplicationNo", self, text=application_no)
        form.addRow(label(self.tr("Step"), "", self), self.step)
        form.addRow(label(self.tr("Date"), "", self), self.day)
        form.addRow(label(self.tr("Online platform"), "", self), self.platform)
        form.addRow(label(self.tr("Application number"), "", self), self.application_no)
        layout.addLayout(form)
        self.finish_row(form, "assistStepOk", "assistStepCancel")

    def submit(self) -> None:
        self.run(self.record, picked(self.day), self.platform.currentData() or "", self.application_no.text())
