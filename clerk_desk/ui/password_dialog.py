"""Change one's own password; forced after an admin reset or on an account marked must-change."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QFormLayout, QHBoxLayout, QWidget

from clerk_desk.services import accounts
from clerk_desk.store.database import Database
from clerk_desk.ui import notify
from clerk_desk.ui.task_runner import TaskRunner
from clerk_desk.ui.widgets import button, dialog_layout, enter_presses_focused, label, password_edit


class ChangePasswordDialog(QDialog):
    def __init__(
        self,
        db: Database,
        runner: TaskRunner,
        username: str,
        *,
        current_password: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        """With ``current_password`` (just typed at sign-in) the change is forced and the old field hidden."""
        super().__init__(parent)
        self.db, self.runner, self.username = db, runner, username
        self._known_old = current_password
        self.setObjectName("changePasswordDialog")
        self.setWindowTitle(self.tr("Change password"))
        self.setMinimumWidth(420)
        forced = current_password is not None
        text = (
            self.tr("Your password was set by an administrator. Please choose your own password now.")
            if forced
            else self.tr("At least 8 characters, with both letters and digits.")
        )
        intro = label(text, "passwordIntro", wrap=True)
        self.old = password_edit("passwordOld", self)
        self.new = password_edit("passwordNew")
        self.repeat = password_edit("passwordRepeat")
        self.submit = button(self.tr("Change password"), "passwordSubmit", default=True)
        self.cancel = button(self.tr("Cancel"), "passwordCancel")
        form = QFormLayout()
        if forced:
            self.old.hide()  # not asked: it was just typed at sign-in
        else:
            form.addRow(self.tr("Current password"), self.old)
        form.addRow(self.tr("New password"), self.new)
        form.addRow(self.tr("New password again"), self.repeat)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.cancel)
        row.addWidget(self.submit)
        layout = dialog_layout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addLayout(row)
        self.submit.clicked.connect(self.try_change)
        self.repeat.returnPressed.connect(self.try_change)
        self.cancel.clicked.connect(self.reject)
        (self.new if forced else self.old).setFocus()
        enter_presses_focused(self)  # Tab to 取消 and Enter cancels (it pressed the act)

    def try_change(self) -> None:
        if not self.submit.isEnabled():
            return
        if self.new.text() != self.repeat.text():
            notify.error(self, self.tr("The two new passwords are not the same."))
            self.repeat.setFocus()
            return
        old = self._known_old if self._known_old is not None else self.old.text()
        self.submit.setEnabled(False)
        self.runner.submit(
            accounts.change_own_password,
            self.db,
            self.username,
            old,
            self.new.text(),
            on_done=self._done,
            on_error=self._failed,
        )

    def _done(self, _result: object) -> None:
        self.submit.setEnabled(True)
        notify.info(self, self.tr("Your password has been changed."))
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.submit.setEnabled(True)
        notify.show_error(self, exc)
