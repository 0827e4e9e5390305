"""Sign-in: user name, password and today's window; the check runs off the GUI thread (scrypt is slow on
purpose).

The window a clerk sits at today is picked here, in the same dialog, preselected to the one this user picked
last (or, for someone new at this PC, the one picked last at this PC): one Enter starts the day. Approvers
in approver mode never need one; administrators and supervisors may choose 「不坐窗口」; a clerk who must sit
at a window is told so in the dialog (docs/ui.md, "Sign-in and today's window").
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QFormLayout, QHBoxLayout, QWidget

from clerk_desk.services import sign_in
from clerk_desk.services.sign_in import UserInfo
from clerk_desk.services.workplace import WindowInfo
from clerk_desk.store.database import Database
from clerk_desk.ui import notify
from clerk_desk.ui.session import needs_window
from clerk_desk.ui.task_runner import TaskRunner
from clerk_desk.ui.widgets import (
    button,
    combo,
    dialog_layout,
    error_label,
    label,
    line_edit,
    password_edit,
    plain_title,
)

NO_WINDOW = ""  # the combo's data for 「不坐窗口」 (and what is remembered for a user who chose it)


class LoginDialog(QDialog):
    """Emits ``authenticated(user, password, window)``: the password is passed on for a forced change only;
    ``window`` is today's window, or None (no window, or approver mode: ``window_applies`` said no)."""

    authenticated = Signal(object, str, object)

    def __init__(
        self,
        db: Database,
        runner: TaskRunner,
        *,
        site_name: str | None = None,
        username: str = "",
        hint: str = "",
        check: Callable[[Database, str, str], UserInfo] = sign_in.authenticate,
        windows: Sequence[WindowInfo] | None = None,
        remembered_window: Callable[[str], str | None] = lambda _username: None,
        window_applies: Callable[[UserInfo], bool] = lambda _user: True,
        parent: QWidget | None = None,
    ) -> None:
        """``windows``: the windows open today (None: this PC never picks one, e.g. a back-office PC);
        ``remembered_window(username)``: the window id to preselect for that name (NO_WINDOW: none);
        ``window_applies(user)``: False for a user who works without a window here (approver mode)."""
        super().__init__(parent)
        self.db, self.runner = db, runner
        self.check = check  # the password check, on a worker
        self.windows = list(windows or [])
        self.remembered_window, self.window_applies = remembered_window, window_applies
        self.setObjectName("loginDialog")
        self.setWindowTitle(plain_title(notify.window_title(self.tr("Sign in"))))
        self.setMinimumWidth(440)

        title = label(self.tr("Comprehensive window intake"), "loginTitle")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        site = label(site_name or self.tr("Site not set up yet"), "loginSite")
        site.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.username = line_edit("loginUsername", text=username, placeholder=self.tr("e.g. clerk1"))
        self.password = password_edit("loginPassword")
        self.window_box = combo("loginWindow")
        for w in self.windows:
            self.window_box.addItem(w.label, w.id)
        self.window_box.addItem(self.tr("No window today (approval, administration, supervision)"), NO_WINDOW)
        self.error = error_label("loginError")
        self.hint = label(hint, "loginHint", wrap=True)
        self.hint.setVisible(bool(hint))
        self.submit = button(self.tr("Sign in"), "loginSubmit", default=True)
        self.cancel = button(self.tr("Quit"), "loginCancel")

        form = QFormLayout()
        form.addRow(self.tr("User name"), self.username)
        form.addRow(self.tr("Password"), self.password)
        if windows is not None:  # a back-office PC has no window to pick
            form.addRow(self.tr("Today's window"), self.window_box)
        else:
            self.window_box.setParent(self)
            self.window_box.hide()
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

        self.username.textChanged.connect(self._preselect_window)
        self._preselect_window(username)
        self.username.returnPressed.connect(self._username_entered)
        self.password.returnPressed.connect(self.try_login)
        self.submit.clicked.connect(self.try_login)
        self.cancel.clicked.connect(self.reject)
        (self.password if username else self.username).setFocus()

    def _preselect_window(self, username: str) -> None:
        remembered = self.remembered_window(username.strip())
        index = self.window_box.findData(remembered) if remembered is not None else -1
        self.window_box.setCurrentIndex(max(index, 0))

    def chosen_window(self) -> WindowInfo | None:
        wanted = self.window_box.currentData()
        return next((w for w in self.windows if w.id == wanted), None)

    def _username_entered(self) -> None:
        if self.password.text():
            self.try_login()
        else:
            self.password.setFocus()

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))

    def _busy(self, busy: bool) -> None:
        for w in (self.username, self.password, self.window_box, self.submit):
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
        window = self.chosen_window() if self.window_applies(user) else None
        if window is None and self.window_applies(user) and needs_window(user):
            # The password was right; it stays typed, so choosing a window and Enter is all that is left.
            self.show_error(
                self.tr("Please choose the window you sit at today.")
                if self.windows
                else self.tr("No window is open today. Please ask the administrator to set up the windows.")
            )
            self.window_box.setFocus()
            return
        self.password.clear()
        self.authenticated.emit(user, password, window)

    def _failed(self, exc: BaseException) -> None:
        self._busy(False)
        self.show_error(notify.error_text(exc))
        self.password.clear()
        self.password.setFocus()
