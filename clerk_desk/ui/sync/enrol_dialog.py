"""Enrol this PC (or this Windows account) with the county hub: hub address, one-time code, CA file.

The code is sent through the task runner; what goes wrong (a used or expired code, no link, no secure
keyring on this PC) is shown under the fields and nothing typed is lost. On success ``enrolled`` fires
with the :class:`Enrolled` answer and the dialog closes.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QFileDialog, QFormLayout, QHBoxLayout, QWidget

from clerk_desk import machine_config
from clerk_desk.store.database import Database
from clerk_desk.sync import enrolment
from clerk_desk.sync.enrolment import Enrolled
from clerk_desk.ui import notify
from clerk_desk.ui.task_runner import TaskRunner
from clerk_desk.ui.widgets import button, dialog_layout, enter_presses_focused, error_label, label, line_edit


def _pick_pem(parent: QWidget, title: str) -> str:
    name, _filter = QFileDialog.getOpenFileName(parent, title, "", "PEM (*.pem *.crt *.cer);;* (*)")
    return name


class EnrolDialog(QDialog):
    enrolled = Signal(object)  # Enrolled

    def __init__(
        self,
        db: Database,
        runner: TaskRunner,
        *,
        hub_url: str = "",
        ca_bundle: str = "",
        intro: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.db, self.runner = db, runner
        self.result_info: Enrolled | None = None
        preset_problem = ""
        if not hub_url:  # not enrolled yet: the hub address and CA file the installer was given
            preset = machine_config.load()
            hub_url, ca_bundle = preset.hub_url, ca_bundle or preset.hub_ca
            preset_problem = preset.hub_url_problem  # not https: not offered, and IT is told why
        self.pick_file: Callable[[QWidget, str], str] = _pick_pem  # tests replace the native file dialog
        self.setObjectName("enrolDialog")
        self.setWindowTitle(self.tr("Enrol with the county hub"))
        self.setMinimumWidth(560)

        title = label(self.tr("Enrol this PC with the county hub"), "enrolTitle")
        title.setProperty("role", "heading")
        self.intro = label(intro or self.default_intro(), "enrolIntro", wrap=True)
        self.intro.setProperty("role", "note")
        self.hub_url = line_edit("enrolHubUrl", text=hub_url, placeholder="https://hub.tongshan.gov.cn:8765")
        self.code = line_edit("enrolCode", placeholder="ABCD-EFGH-JKLM-NPQR")
        self.ca_bundle = line_edit("enrolCaBundle", text=ca_bundle,
                                   placeholder=self.tr("Only if county IT gave you one (.pem)"))
        self.browse = button(self.tr("Choose…"), "enrolCaBrowse")
        self.error = error_label("enrolError")
        self.submit = button(self.tr("Enrol"), "enrolSubmit", default=True)
        self.skip = button(self.tr("Enrol later"), "enrolSkip")

        ca_row = QHBoxLayout()
        ca_row.addWidget(self.ca_bundle, 1)
        ca_row.addWidget(self.browse)
        form = QFormLayout()
        form.addRow(self.tr("County hub address"), self.hub_url)
        form.addRow(self.tr("Enrolment code"), self.code)
        form.addRow(self.tr("CA certificate (optional)"), ca_row)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.skip)
        buttons.addWidget(self.submit)
        layout = dialog_layout(self)
        layout.addWidget(title)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addLayout(buttons)

        self.browse.clicked.connect(self.choose_ca)
        self.submit.clicked.connect(self.try_enrol)
        self.skip.clicked.connect(self.reject)
        self.code.returnPressed.connect(self.try_enrol)
        (self.code if hub_url else self.hub_url).setFocus()
        self.show_error(preset_problem)
        enter_presses_focused(self)  # Tab to 取消 and Enter cancels (it pressed the act)

    def default_intro(self) -> str:
        return self.tr(
            "County IT gives each hall PC a one-time enrolment code. Once enrolled, cases go to the county "
            "hub by themselves whenever the link is up. Without enrolment the PC works offline only: "
            "cases are kept here and the status bar shows 'Not enrolled'."
        )

    def choose_ca(self) -> None:
        path = self.pick_file(self, self.tr("Choose the county's CA certificate"))
        if path:
            self.ca_bundle.setText(path)

    def try_enrol(self) -> None:
        if not self.submit.isEnabled():
            return
        self.show_error("")
        self.submit.setEnabled(False)
        self.submit.setText(self.tr("Enrolling…"))
        job = partial(enrolment.enrol, self.db, self.hub_url.text(), self.code.text(),
                      ca_bundle=self.ca_bundle.text().strip() or None)
        self.runner.submit(job, on_done=self._done, on_error=self._failed)

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))

    def _done(self, info: Enrolled) -> None:
        self.result_info = info
        self.enrolled.emit(info)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.submit.setEnabled(True)
        self.submit.setText(self.tr("Enrol"))
        self.show_error(notify.error_text(exc))
        self.code.setFocus()
        self.code.selectAll()
