"""Sign-in: user name and password; the check runs off the GUI thread (scrypt is slow on purpose)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QFormLayout, QHBoxLayout, QWidget

from clerk_desk.services import sign_in
from clerk_desk.services.sign_in import UserInfo
from clerk_desk.store.database import Database
from clerk_desk.ui import notify
from clerk_desk.ui.task_runner import TaskRunner
from clerk_desk.ui.widgets import (
    button,
    dialog_layout,
    error_label,
    label,
    line_edit,
    password_edit,
    plain_title,
)


class LoginDialog(QDialog):
    """Emits ``authenticated(user, password)``; the password is passed on for a forced change only."""

    authenticated = Signal(object, str)

    def __init__(
        self,
        db: Database,
        runner: TaskRunner,
        *,
        site_name: str | None = None,
        username: str = "",
        hint: str = "",
        check: Callable[[Database, str, str], UserInfo] = sign_in.authenticate,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.db, self.runner = db, runner
        self.check = check  # the password check, on a worker (the start-up flow reads the windows with it)
        self.setObjectName("loginDialog")
        self.setWindowTitle(plain_title(notify.window_title(self.tr("Sign in"))))
        self.setMinimumWidth(440)

        title = label(self.tr("Comprehensive window intake"), "loginTitle")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        site = label(site_name or self.tr("Site not set up yet"), "loginSite")
        site.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.username = line_edit("loginUsername", text=username, placeholder=self.tr("e.g. clerk1"))
        self.password = password_edit("loginPassword")
        self.error = error_label("loginError")
        self.hint = label(hint, "loginHint", wrap=True)
        self.hint.setVisible(bool(hint))
        self.submit = button(self.tr("Sign in"), "loginSubmit", default=True)
        self.cancel = button(self.tr("Quit"), "loginCancel")

        form = QFormLayout()
        form.addRow(self.tr("User name"), self.username)
        form.addRow(self.tr("Password"), self.password)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel)
        buttons.addWidget(self.submit)
        layout = dialog_layout(self)
        for w in (title, site):
            layout.addWidget(w)
        layout.addSpacing(8)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.hint)
        layout.addLayout(buttons)

        self.username.returnPressed.connect(self._username_entered)
        self.password.returnPressed.connect(self.try_login)
        self.submit.clicked.connect(self.try_login)
        self.cancel.clicked.connect(self.reject)
        (self.password if username else self.username).setFocus()

    def _username_entered(self) -> None:
        if self.password.text():
            self.try_login()
        else:
            self.password.setFocus()

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))

    def _busy(self, busy: bool) -> None:
        for w in (self.username, self.password, self.submit):
            w.setEnabled(not busy)
        self.submit.setText(self.tr("Checking…") if busy else self.tr("Sign in"))

    def try_login(self) -> None:
        if not self.submit.isEnabled():
            return
        name, pw = self.username.text().strip(), self.password.text()
        if not name:
            self.show_error(self.tr("Please enter your user name."))
            self.username.setFocus()
            return
        if not pw:
            self.show_error(self.tr("Please enter your password."))
            self.password.setFocus()
            return
        self.show_error("")
        self._busy(True)
        self.runner.submit(
            self.check,
            self.db,
            name,
            pw,
            on_done=lambda u: self._done(u, pw),
            on_error=self._failed,
        )

    def _done(self, user: UserInfo, password: str) -> None:
        self._busy(False)
        self.password.clear()
        self.authenticated.emit(user, password)

    def _failed(self, exc: BaseException) -> None:
        self._busy(False)
        self.show_error(notify.error_text(exc))
        self.password.clear()
        self.password.setFocus()
