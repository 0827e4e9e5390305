"""Lock the desk after a while without keyboard or mouse input (docs/ui.md, "Idle lock").

:class:`IdleWatch` is an application event filter that only notes the time of the last input event. It is
installed a moment after the main window opens (``watch_after_ms``; the start-up passes the delay of the
other work that follows sign-in): an application filter sees every event of the desk, and on the way to
the first page that costs more than the minutes-long limit could ever miss (docs/performance.md).
:class:`IdleLock` keeps one single-shot timer set for the moment the limit would be reached; when it fires
and there was input since, it is set again for what is left, so a desk in use wakes it about once per
limit. Locking covers every window of the desk (the main window and any dialog, message box or print
preview, which stay open underneath) and shows the :class:`LockScreen`, application-modal, on top: the
signed-in clerk's password takes it away (``sign_in.authenticate``, so a wrong one counts towards the
account's lockout) and everything is as it was. "Sign out" closes the dialogs and signs out, for another
clerk. Sync goes on meanwhile: it has its own thread, and locking stops nothing.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QThread, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QApplication, QDialog, QHBoxLayout, QToolTip, QVBoxLayout, QWidget
from shiboken6 import Shiboken

from clerk_desk.services import sign_in
from clerk_desk.services.sign_in import UserInfo
from clerk_desk.store.database import Database
from clerk_desk.ui import notify
from clerk_desk.ui.task_runner import TaskRunner
from clerk_desk.ui.widgets import button, error_label, label, password_edit, plain_title

if TYPE_CHECKING:
    from clerk_desk.ui.main_window import MainWindow

Clock = Callable[[], float]
_T = QEvent.Type
INPUT_EVENTS = frozenset(
    {
        _T.KeyPress,
        _T.MouseButtonPress,
        _T.MouseButtonDblClick,
        _T.MouseMove,
        _T.Wheel,
        _T.InputMethod,
        _T.TouchBegin,
        _T.TouchUpdate,
        _T.TabletPress,
        _T.TabletMove,
    }
)


def _alive(w: QWidget) -> bool:
    """Still there (a widget may have been deleted while the desk was locked)."""
    return bool(Shiboken.isValid(w))


def locked_title() -> str:
    return notify.window_title(QCoreApplication.translate("LockScreen", "Locked"))


class IdleWatch(QObject):
    """Notes when the last keyboard or mouse input reached the application; nothing else per event."""

    def __init__(self, clock: Clock, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.clock = clock
        self.last_input = clock()
        self.on_window_shown: Callable[[QWidget], None] | None = None  # set while locked

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        kind = event.type()
        if kind in INPUT_EVENTS:
            self.last_input = self.clock()
        elif (
            kind == _T.Show
            and self.on_window_shown is not None
            and isinstance(watched, QWidget)
            and watched.isWindow()
        ):
            self.on_window_shown(watched)
        return False


class LockCover(QWidget):
    """An opaque sheet over one window of the desk while it is locked; it follows the window's size."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.setObjectName("idleLockCover")
        self.setAutoFillBackground(True)
        self.setStyleSheet("QWidget#idleLockCover { background: #dfe6ee; }")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        text = label(self.tr("Locked"), "idleLockCoverText", self)
        text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        text.setStyleSheet("color: #6b7b8c;")
        QVBoxLayout(self).addWidget(text)
        window.installEventFilter(self)
        self.setGeometry(window.rect())
        self.show()
        self.raise_()

    def remove(self) -> None:
        window = self.parentWidget()
        if window is not None:
            window.removeEventFilter(self)
        self.hide()
        self.setParent(None)  # out of the window at once; deleted later
        self.deleteLater()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if watched is self.parent() and event.type() == _T.Resize:
            window = self.parentWidget()
            assert window is not None  # the parent is the window it covers
            self.setGeometry(window.rect())
            self.raise_()
        return False


class LockScreen(QWidget):
    """Names the signed-in clerk and asks for their password; or signs out for another clerk."""

    unlock_requested = Signal(str)  # the password typed
    sign_out_requested = Signal()

    def __init__(self, user: UserInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("idleLock")
        self.setWindowTitle(plain_title(locked_title()))
        self.setWindowModality(Qt.WindowModality.ApplicationModal)
        self.setStyleSheet("QWidget#idleLock { background: #eef2f6; }")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        title = label(self.tr("The screen is locked"), "idleLockTitle", self)
        title.setProperty("role", "heading")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.user = label(
            self.tr("Signed in: {0} ({1})").format(user.display_name, user.username),
            "idleLockUser",
            self,
            wrap=True,
        )
        self.user.setAlignment(Qt.AlignmentFlag.AlignCenter)
        hint = label(
            self.tr(
                "Enter this clerk's password to go on: everything open stays as it was. "
                "Another clerk signs out first."
            ),
            "idleLockHint",
            self,
            wrap=True,
        )
        hint.setProperty("role", "note")
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.password = password_edit("idleLockPassword", self)
        self.password.setPlaceholderText(self.tr("Password"))
        self.error = error_label("idleLockError", self)
        self.unlock = button(self.tr("Unlock"), "idleLockUnlock", self, default=True)
        self.sign_out = button(self.tr("Sign out (another clerk)"), "idleLockSignOut", self)
        buttons = QHBoxLayout()
        buttons.addWidget(self.sign_out)
        buttons.addStretch(1)
        buttons.addWidget(self.unlock)
        card = QWidget(self)
        card.setObjectName("idleLockCard")
        card.setStyleSheet(
            "QWidget#idleLockCard { background: #ffffff; border: 1px solid #c9d3dd; border-radius: 8px; }"
        )
        card.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        card.setFixedWidth(460)
        inner = QVBoxLayout(card)
        inner.setContentsMargins(28, 24, 28, 24)
        inner.setSpacing(12)
        for w in (title, self.user, hint, self.password, self.error):
            inner.addWidget(w)
        inner.addLayout(buttons)
        middle = QHBoxLayout()  # no alignment flag: the card's wrapped lines then get their height
        middle.addStretch(1)
        middle.addWidget(card)
        middle.addStretch(1)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addLayout(middle)
        outer.addStretch(2)
        self.password.returnPressed.connect(self._unlock)
        self.unlock.clicked.connect(self._unlock)
        self.sign_out.clicked.connect(self.sign_out_requested)

    def _unlock(self) -> None:
        if self.unlock.isEnabled() and self.password.text():
            self.unlock_requested.emit(self.password.text())

    def busy(self, busy: bool) -> None:
        for w in (self.password, self.unlock, self.sign_out):
            w.setEnabled(not busy)

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))
        self.password.clear()
        self.password.setFocus()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt API)
        if self.property("closing") is not True:
            event.ignore()  # only the password or signing out takes the lock away
            return
        super().closeEvent(event)


class IdleLock(QObject):
    """The idle lock of one signed-in main window."""

    locked = Signal()
    unlocked = Signal()

    def __init__(
        self,
        window: MainWindow,
        db: Database,
        runner: TaskRunner,
        user: UserInfo,
        minutes: int,
        *,
        clock: Clock = time.monotonic,
        watch_after_ms: int = 0,
    ) -> None:
        super().__init__(window)
        self.window, self.db, self.runner, self.user, self.clock = window, db, runner, user, clock
        self.watch = IdleWatch(clock, self)
        self.limit_s = 0.0
        self.screen: LockScreen | None = None
        self.covers: list[LockCover] = []
        self._focus: QWidget | None = None
        self._active: QWidget | None = None
        self._watching = False
        self._watch_after_ms = watch_after_ms  # until the first set_minutes has armed the watch
        self._stopped = False
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setTimerType(Qt.TimerType.VeryCoarseTimer)
        self.timer.timeout.connect(self.check)
        self.set_minutes(minutes)

    @property
    def is_locked(self) -> bool:
        return self.screen is not None

    # -- watching ------------------------------------------------------------------------------
    def use_clock(self, clock: Clock) -> None:
        """Measure idle time with ``clock`` (tests move a clock by hand, then call :meth:`check`)."""
        self.clock = self.watch.clock = clock
        self.watch.last_input = clock()
        self._arm()

    def set_minutes(self, minutes: int) -> None:
        """The limit (0: never lock); from the site settings, again when an admin changes them."""
        self.limit_s = max(0, minutes) * 60.0
        self._watch(self.limit_s > 0)
        self.watch.last_input = self.clock()
        self._arm()

    def _watch(self, on: bool) -> None:
        if on and self._watch_after_ms:
            delay, self._watch_after_ms = self._watch_after_ms, 0
            QTimer.singleShot(delay, self, lambda: self._watch(self.limit_s > 0 and not self._stopped))
            return
        app = QApplication.instance()
        if on and not self._watching and app is not None:
            app.installEventFilter(self.watch)
        elif not on and self._watching and app is not None:
            app.removeEventFilter(self.watch)
        self._watching = on

    def _arm(self) -> None:
        if self.limit_s <= 0 or self.is_locked:
            self.timer.stop()
            return
        left = self.limit_s - (self.clock() - self.watch.last_input)
        self.timer.start(max(1000, int(left * 1000) + 1))

    def check(self) -> None:
        """Lock when the limit has passed without input; else wait for the rest (the timer calls this)."""
        if self.limit_s <= 0 or self.is_locked:
            return
        if self.clock() - self.watch.last_input >= self.limit_s:
            self.lock()
        else:
            self._arm()

    def stop(self) -> None:
        """The window closes (sign-out, quit): no more locking, no more watching."""
        self.timer.stop()
        self._stopped, self._watch_after_ms = True, 0
        self._watch(False)

    # -- locking -------------------------------------------------------------------------------
    def _desk_windows(self) -> list[QWidget]:
        return [
            w
            for w in QApplication.topLevelWidgets()
            if w.isVisible()
            and w is not self.screen
            and w.windowType() not in (Qt.WindowType.ToolTip, Qt.WindowType.Popup)
        ]

    def lock(self) -> LockScreen:
        if self.screen is not None:
            return self.screen
        self.timer.stop()
        self._focus, self._active = QApplication.focusWidget(), QApplication.activeWindow()
        QToolTip.hideText()
        while (popup := QApplication.activePopupWidget()) is not None:  # an open menu or list shows data
            popup.close()
        screen = LockScreen(self.user)
        self.screen = screen
        for w in self._desk_windows():
            self._cover(w)
        self.window.setWindowTitle(plain_title(locked_title()))  # the title names the centre and window
        screen.unlock_requested.connect(self._try_unlock)
        screen.sign_out_requested.connect(self.sign_out)
        screen.setGeometry(self.window.geometry())
        if self.window.isMaximized() or self.window.isFullScreen():
            screen.showMaximized()
        else:
            screen.show()
        self._front()
        self.watch.on_window_shown = self._shown_while_locked
        self.locked.emit()
        return screen

    def _cover(self, window: QWidget) -> None:
        if not any(c.parent() is window for c in self.covers):
            self.covers.append(LockCover(window))

    def _shown_while_locked(self, window: QWidget) -> None:
        """A window that opens while locked (a message, a notice) is covered; the lock stays in front."""
        if (
            self.screen is None
            or window is self.screen
            or window.windowType() in (Qt.WindowType.ToolTip, Qt.WindowType.Popup)
        ):
            return
        self._cover(window)
        QTimer.singleShot(0, self, self._front)

    def _front(self) -> None:
        screen = self.screen
        if screen is None:
            return
        if QApplication.activeModalWidget() is not screen and screen.isVisible():
            screen.hide()  # shown again, it is the newest modal window: input goes to it
            screen.show()
        screen.raise_()
        screen.activateWindow()
        screen.password.setFocus()

    def _try_unlock(self, password: str) -> None:
        screen = self.screen
        if screen is None:
            return
        screen.busy(True)
        screen.error.setVisible(False)
        self.runner.submit(
            sign_in.authenticate,
            self.db,
            self.user.username,
            password,
            on_done=lambda _user: self.unlock(),
            on_error=self._refused,
        )

    def _refused(self, exc: BaseException) -> None:
        if self.screen is not None:
            self.screen.busy(False)
            self.screen.show_error(notify.error_text(exc))

    def _take_down(self) -> None:
        self.watch.on_window_shown = None
        for cover in self.covers:
            cover.remove()
        self.covers = []
        screen, self.screen = self.screen, None
        if screen is not None:
            screen.setProperty("closing", True)
            screen.close()
            screen.deleteLater()
        self.window.setWindowTitle(plain_title(self.window.title_text()))

    def unlock(self) -> None:
        """The clerk's password was right: everything comes back as it was, with the focus."""
        self._take_down()
        active, focus = self._active, self._focus
        if active is not None and _alive(active) and active.isVisible():
            active.activateWindow()
        if focus is not None and _alive(focus) and focus.isVisible():
            focus.setFocus()
        self._focus = self._active = None
        self.watch.last_input = self.clock()
        self._arm()
        self.unlocked.emit()

    def sign_out(self) -> None:
        """Another clerk: the open dialogs close (a drafted intake is kept as a draft) and the desk signs
        out to the sign-in screen."""
        for w in self._desk_windows():
            if w is not self.window and isinstance(w, QDialog):
                w.reject()  # also ends a dialog's own event loop (a message box, a print preview)
            elif w is not self.window:
                w.close()
        self._take_down()
        self._focus = self._active = None
        self.stop()
        self._sign_out_when_back()

    def _sign_out_when_back(self) -> None:
        # A rejected dialog's event loop ends once this click is handled: the window goes only after that.
        if QThread.currentThread().loopLevel() > 1:
            QTimer.singleShot(20, self._sign_out_when_back)
            return
        self.window.sign_out()
