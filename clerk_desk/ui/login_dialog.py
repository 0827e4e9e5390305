"""Sign-in: user name, password and today's window; the check runs off the GUI thread (scrypt is slow on
purpose).

The window a clerk sits at today is picked here, in the same dialog, preselected to the one this user picked
last (or, for someone new at this PC, the one picked last at this PC): one Enter starts the day. Approvers
in approver mode never need one; administrators and supervisors may choose 「不坐窗口」; a clerk who must sit
at a window is told so in the dialog (docs/ui.md, "Sign-in and today's window").
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QComboBox, QDialog, QFormLayout, QHBoxLayout, QWidget

from clerk_desk.services import sign_in
from clerk_desk.services.sign_in import UserInfo
from clerk_desk.services.workplace import WindowInfo
from clerk_desk.store.database import Database
from clerk_desk.ui import notify
from clerk_desk.ui.task_runner import TaskRunner
from clerk_desk.ui.widgets import (
    button,
    dialog_layout,
    enter_clicks,
    error_label,
    label,
    line_edit,
    password_edit,
    plain_title,
    plain_tooltip,
)

NO_WINDOW = ""  # the combo's data for 「不坐窗口」 (and what is remembered for a user who chose it)
# The window list is this many characters wide, whatever the names: a name the administrator made longer is cut
# where the list shows it, whole in its tooltip, instead of widening the dialog past a 1366×768 screen at 150 %.
WINDOW_LIST_CHARS = 22


class LoginDialog(QDialog):
    """Emits ``authenticated(user, password, window)``: the password is passed on for a forced change only;
    ``window`` is the window chosen in the list, or None (不坐窗口). Whether that will do is the start-up
    flow's to say, on the site and windows as they are after the check (:meth:`refuse_window`)."""

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
        remembered_window: Callable[[str], Sequence[str]] = lambda _username: (),
        offer: Callable[[str, str], None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        """``windows``: the windows open today (None: this PC never picks one, e.g. a back-office PC);
        ``remembered_window(username)``: window ids to preselect for that name, the first one listed wins
        (NO_WINDOW: none); with none listed, the first window. ``offer(username, password)`` is told the two
        fields as they change, so that the check's scrypt can begin while the person types
        (services/early_digest.py); it returns at once."""
        super().__init__(parent)
        self.db, self.runner = db, runner
        self.check = check  # the password check, on a worker
        self.windows = list(windows or [])
        self.remembered_window = remembered_window
        self.setObjectName("loginDialog")
        self.setWindowTitle(plain_title(notify.window_title(self.tr("Sign in"))))
        self.setMinimumWidth(440)

        title = label(self.tr("Comprehensive window intake"), "loginTitle")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        site = label(site_name or self.tr("Site not set up yet"), "loginSite")
        site.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.username = line_edit("loginUsername", text=username, placeholder=self.tr("e.g. clerk1"))
        self.password = password_edit("loginPassword")
        self.window_box = QComboBox()
        self.window_box.setObjectName("loginWindow")
        self.window_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.window_box.setMinimumContentsLength(WINDOW_LIST_CHARS)
        self.window_box.currentIndexChanged.connect(self._show_whole_name)
        self._fill_windows()
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
        if offer is not None:
            for field in (self.username, self.password):
                field.textChanged.connect(lambda _text: offer(self.username.text(), self.password.text()))
        # Enter in the two fields is theirs alone: on the user name it goes on to the password, not also to
        # 登录 (which said 「请输入密码。」 before the clerk had a chance to type it).
        self.username.installEventFilter(self)
        self.password.installEventFilter(self)
        self.submit.clicked.connect(self.try_login)
        self.cancel.clicked.connect(self.reject)
        enter_clicks(self, self.cancel)  # Tab to 退出 and Enter quits (it pressed 登录)
        (self.password if username else self.username).setFocus()

    def _fill_windows(self) -> None:
        self.window_box.clear()
        for w in self.windows:
            self.window_box.addItem(w.label, w.id)
        self.window_box.addItem(self.tr("No window today (approval, administration, supervision)"), NO_WINDOW)
        for i in range(self.window_box.count()):  # an entry cut in the list is whole in its tooltip
            self.window_box.setItemData(i, plain_tooltip(self.window_box.itemText(i)), Qt.ItemDataRole.ToolTipRole)

    def _show_whole_name(self, index: int) -> None:
        self.window_box.setToolTip(plain_tooltip(self.window_box.itemText(index) if index >= 0 else ""))

    def _preselect_window(self, username: str) -> None:
        found = (self.window_box.findData(i) for i in self.remembered_window(username.strip()))
        self.window_box.setCurrentIndex(next((i for i in found if i >= 0), 0))

    def refuse_window(self, windows: Sequence[WindowInfo], text: str) -> None:
        """The password was right but the window will not do (none chosen by a clerk who must sit at one, or
        it closed while the dialog stood open): the list as it is now, the message, the password kept typed,
        so choosing and Enter is all that is left."""
        keep = self.window_box.currentData()
        self.windows = list(windows)
        self._fill_windows()
        index = self.window_box.findData(keep)
        if index >= 0 and keep != NO_WINDOW:
            self.window_box.setCurrentIndex(index)
        else:
            self._preselect_window(self.username.text())
        self.show_error(text)
        self.window_box.setFocus()

    def chosen_window(self) -> WindowInfo | None:
        wanted = self.window_box.currentData()
        return next((w for w in self.windows if w.id == wanted), None)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if (watched in (self.username, self.password) and event.type() == QEvent.Type.KeyPress
                and isinstance(event, QKeyEvent) and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)):
            if watched is self.username:
                self._username_entered()
            else:
                self.try_login()
            return True
        return super().eventFilter(watched, event)

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
        self.authenticated.emit(user, password, self.chosen_window())
        if not self.isVisible():  # signed in (a refused window keeps the dialog, and the password typed)
            self.password.clear()

    def _failed(self, exc: BaseException) -> None:
        self._busy(False)
        self.show_error(notify.error_text(exc))
        self.password.clear()
        self.password.setFocus()
