"""The start-up flow as a small state machine the app runs and tests drive with qtbot.

first start (no accounts) -> create the administrator -> sign in and pick today's window in one dialog
(clerks must pick one; approvers go straight to approver mode; admins and supervisors may pick none) ->
[forced password change] -> main window.
Sign-out comes back to the sign-in dialog. Dialogs are shown without exec(), so nothing blocks;
``dialog`` is the one on screen and ``main_window`` the open main window, for tests to drive.
With the main window, sync starts (``sync``: :class:`DeskSync`, the engine thread, the status bar item, the
enrolment prompt); it stops at sign-out and quit.
"""

from __future__ import annotations

import dataclasses
import importlib
import threading
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, QSettings, QTimer, Signal
from PySide6.QtWidgets import QDialog

from clerk_desk.services import sign_in, workplace
from clerk_desk.services.early_digest import EarlyDigest
from clerk_desk.services.sign_in import UserInfo
from clerk_desk.services.workplace import SiteInfo, WindowInfo
from clerk_desk.store import data_keys
from clerk_desk.store.database import Database
from clerk_desk.ui import collector
from clerk_desk.ui.login_dialog import NO_WINDOW, LoginDialog
from clerk_desk.ui.session import DeskSession, approver_mode_for, needs_window
from clerk_desk.ui.task_runner import TaskRunner

if TYPE_CHECKING:
    from clerk_desk.sync.engine import SyncEngine
    from clerk_desk.ui.main_window import MainWindow
    from clerk_desk.ui.sync.desk_sync import DeskSync, EngineFactory

UNATTENDED_SYNC_AFTER_MS = 15_000
# The work that follows sign-in starts this long after the first page is up (and once the page on screen has
# its data): the first list a clerk opens is read and painted without waiting behind it (docs/performance.md).
BACKGROUND_AFTER_MS = 1_000

# Everything up to the first page of the case list avoids SQLAlchemy (store/sqlite_file.py); the
# first-run and password dialogs, and sync, import it, so they are imported where they are used.


def _state(db: Database) -> tuple[bool, SiteInfo, list[WindowInfo]]:
    return sign_in.has_users(db), workplace.site_info(db), workplace.list_windows(db)


def _workplace(db: Database) -> tuple[SiteInfo, list[WindowInfo]]:
    return workplace.site_info(db), workplace.list_windows(db)


def _load_sync_modules() -> None:
    for name in ("clerk_desk.sync.engine", "clerk_desk.sync.enrolment", "clerk_desk.services.drafts"):
        importlib.import_module(name)


# The main window and the first pages after sign-in (the home page, then a clerk's 办件): imported on a
# thread while the sign-in dialog waits for a person (and while the password is checked, which lets go of
# the GIL), so the main window does not wait for their modules. The import starts once the dialog has had
# time to paint (PAGE_PRELOAD_AFTER_MS) or when the password check begins, whichever comes first: started
# with the dialog, it held the interpreter while the dialog was being laid out and painted
# (benchmarks/cold_start.py, docs/performance.md).
PAGE_PRELOAD_AFTER_MS = 300
FIRST_PAGES = (
    "clerk_desk.ui.main_window", "clerk_desk.ui.results.results_notice", "clerk_desk.ui.home_page",
    "clerk_desk.services.work_waiting", "clerk_desk.services.supervision_orders",  # the home page's read
    "clerk_desk.ui.cases.cases_page",
)  # fmt: skip  # (the inbox loads SQLAlchemy)


def _preload_first_pages() -> None:
    for name in FIRST_PAGES:
        importlib.import_module(name)
    # The cipher the first page's names are opened with: imported from the database's opening, on a thread of
    # its own, it held the interpreter while the sign-in dialog was built (the dialog showed ~6 ms later).
    data_keys.preload()


def _warm_catalog_search(db: Database) -> None:
    """Load the catalog's search index on a worker after start-up (docs/catalog-format.md §4)."""
    from clerk_desk.services import catalog_service

    catalog_service.warm_up(db)


class StartupController(QObject):
    main_window_shown = Signal(object)
    background_started = Signal()  # the work that follows sign-in has begun (sync, the results waiting)
    finished = Signal(int)  # the app should leave its event loop with this code

    def __init__(
        self,
        db: Database,
        runner: TaskRunner,
        settings: QSettings,
        *,
        login_hint: str = "",
        today: date | None = None,
        window_settings: QSettings | None = None,
        background_after_ms: int = 0,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.db, self.runner, self.settings = db, runner, settings
        self.window_settings = window_settings  # per OS user: where the main window was left
        self.login_hint = login_hint
        self.today = today
        self.site: SiteInfo | None = None
        self.dialog: QDialog | None = None
        self.main_window: MainWindow | None = None
        self.sync: DeskSync | None = None  # the signed-in session's view of the engine
        self.engine: SyncEngine | None = None  # made once, runs until quit, signed in or not
        self.engine_factory: EngineFactory | None = None  # tests inject a wrapped client factory
        # A PC left at the sign-in screen still sends its transfers: the engine starts this long after
        # the sign-in dialog opens, if nobody has signed in by then (None: only with a session).
        self.unattended_sync_after_ms: int | None = UNATTENDED_SYNC_AFTER_MS
        self.windows: list[WindowInfo] = []  # this site's windows, as read before the sign-in dialog
        self._workplace_read: tuple[SiteInfo, list[WindowInfo]] | None = None
        # (user name, window id) picked in a sign-in that a cancelled password change sent back to the dialog
        self._picked_before: tuple[str, str] | None = None
        self._pages_preloaded = False
        # the password's scrypt, begun while it is typed at the sign-in dialog
        self._early = EarlyDigest(lambda name: sign_in.verifier_for(self.db, name))
        self._closed = False  # close_all() was called: the app is shutting down (or a test is done with it)
        self._preload_lock = threading.Lock()  # the GUI thread's timer and the worker's check may both start it
        # How long after the first page is up the work that follows sign-in starts (0: at once, as tests
        # with a synchronous runner want it; run_gui gives BACKGROUND_AFTER_MS).
        self.background_after_ms = background_after_ms

    # -- steps -------------------------------------------------------------------------------
    def start(self) -> None:
        self.runner.submit(_state, self.db, on_done=self._route)

    def _route(self, state: tuple[bool, SiteInfo, list[WindowInfo]]) -> None:
        has_users, self.site, self.windows = state
        if has_users:
            self.show_login()
            return
        from clerk_desk.ui.first_run import FirstRunDialog

        dialog = FirstRunDialog(self.db, self.runner, self.site)
        dialog.accepted.connect(lambda: self._after_first_run(dialog.username))
        dialog.rejected.connect(lambda: self.finished.emit(0))
        self._show(dialog)

    def _after_first_run(self, username: str) -> None:
        self._reread_workplace(username)

    def _reread_workplace(self, username: str) -> None:
        """Sign-in again (after the first start or a sign-out): the windows may have changed meanwhile."""
        self.runner.submit(_workplace, self.db, on_done=lambda found: self._login_as(username, *found))

    def _login_as(self, username: str, site: SiteInfo, windows: list[WindowInfo]) -> None:
        self.site, self.windows = site, windows
        self.show_login(username)

    def show_login(self, username: str = "") -> None:
        site = self.site
        today = self.today or date.today()
        back_office = site is not None and site.mode == "approver"
        dialog = LoginDialog(
            self.db,
            self.runner,
            site_name=site.site_name if site else None,
            username=username,
            hint=self.login_hint,
            windows=None if back_office else [w for w in self.windows if w.open_on(today)],
            check=self._check_and_read_workplace,
            remembered_window=self._remembered_window,
            offer=self._early.offer,
        )
        dialog.authenticated.connect(self._signed_in)
        dialog.rejected.connect(lambda: self.finished.emit(0))
        self._show(dialog)
        if not self._pages_preloaded:
            QTimer.singleShot(PAGE_PRELOAD_AFTER_MS, self, self._preload_pages)
        if self.engine is None and self.unattended_sync_after_ms is not None:
            QTimer.singleShot(self.unattended_sync_after_ms, self, self._start_unattended)

    def _preload_pages(self) -> None:
        """Import the first pages' modules on a thread of their own, once per process."""
        with self._preload_lock:
            if self._pages_preloaded:
                return
            self._pages_preloaded = True
        # A plain daemon thread, not the task runner: nothing to deliver, and a start that ends at the
        # sign-in dialog (the installer's smoke test) must not wait for it or report it.
        threading.Thread(target=_preload_first_pages, name="clerk-desk-page-preload", daemon=True).start()

    def _start_unattended(self) -> None:
        if self.engine is None and self.main_window is None and not self._closed:
            self.runner.submit(_load_sync_modules, on_done=lambda _r: self._ensure_engine())

    def _remembered_window(self, username: str) -> list[str]:
        """The windows to preselect, first listed first: the window this user picked in a sign-in whose forced
        password change was cancelled, else their last pick here, else this PC's last pick (the PC stands at a
        window; someone new at it most likely sits there too)."""
        found = (self.settings.value(key) for key in (f"users/{username}/window", "last_window"))
        just = [self._picked_before[1]] if self._picked_before and self._picked_before[0] == username else []
        return just + [str(value) for value in found if value is not None]

    def _check_and_read_workplace(self, db: Database, username: str, password: str) -> UserInfo:
        """The password check and, once it passed, the site and its windows read again in the same worker
        call: a PC can stand at the sign-in screen for hours while the site's settings change."""
        # the first pages' modules load while the scrypt runs (it lets go of the GIL); started before the
        # user's row is read, they held up that read and the scrypt's start by ~3 ms (docs/performance.md)
        user = sign_in.authenticate(db, username, password, meanwhile=self._preload_pages, early=self._early)
        self._workplace_read = _workplace(db)  # handed over with the `authenticated` signal that follows
        return user

    def _signed_in(self, user: UserInfo, password: str, window: WindowInfo | None) -> None:
        read, self._workplace_read = self._workplace_read, None
        if read is not None:
            self.site, self.windows = read
        site = self.site
        assert site is not None  # read before the sign-in dialog
        if approver_mode_for(user, site):
            window = None  # approver mode: no window, whatever the list said
        else:
            open_today = [w for w in self.windows if w.open_on(self.today or date.today())]
            chosen, window = (
                window,
                None if window is None else next((w for w in open_today if w.id == window.id), None),
            )
            refused = self._window_refusal(user, chosen, window, open_today)
            if refused:
                if isinstance(self.dialog, LoginDialog):
                    self.dialog.refuse_window(open_today, refused)
                return
        if not user.must_change_password:
            self._open_workplace(user, window)
            return
        from clerk_desk.ui.password_dialog import ChangePasswordDialog

        dialog = ChangePasswordDialog(self.db, self.runner, user.username, current_password=password)
        dialog.accepted.connect(
            lambda: self._open_workplace(dataclasses.replace(user, must_change_password=False), window)
        )
        dialog.rejected.connect(lambda: self._back_to_sign_in(user.username, window))
        self._show(dialog)

    def _back_to_sign_in(self, username: str, window: WindowInfo | None) -> None:
        """The password change was cancelled: the sign-in dialog again, with the window just picked."""
        self._picked_before = (username, window.id if window is not None else NO_WINDOW)
        self.show_login(username)

    def _window_refusal(
        self, user: UserInfo, chosen: WindowInfo | None, now: WindowInfo | None, open_today: list[WindowInfo]
    ) -> str:
        """Why the window chosen in the sign-in dialog will not do, on the windows as they are after the
        password check (the dialog may have stood open since yesterday); "" when it will."""
        if chosen is not None and now is None:
            return QCoreApplication.translate(
                "StartupController", "{0} is not open today. Please choose again."
            ).format(chosen.label)
        if now is None and needs_window(user):
            if open_today:
                return QCoreApplication.translate(
                    "StartupController", "Please choose the window you sit at today."
                )
            return QCoreApplication.translate(
                "StartupController",
                "No window is open today. Please ask the administrator to set up the windows.",
            )
        return ""

    def _open_workplace(self, user: UserInfo, window: WindowInfo | None) -> None:
        self._picked_before = None  # signed in: what a cancelled password change left is done with
        site = self.site
        assert site is not None  # read before the sign-in dialog
        if approver_mode_for(user, site):
            self.open_main(DeskSession(user, site, None, "approver"))
            return
        picked = window.id if window is not None else NO_WINDOW
        keys = [f"users/{user.username}/window"] + (["last_window"] if window is not None else [])
        changed = [key for key in keys if self.settings.value(key) != picked]
        if changed:  # most days a clerk sits at yesterday's window: a write (lock file, copy, rename) is ~2 ms
            for key in changed:
                self.settings.setValue(key, picked)
            self.settings.sync()
        self.open_main(DeskSession(user, site, window, "clerk"))

    def open_main(self, session: DeskSession) -> None:
        self._close_dialog()
        from clerk_desk.ui.main_window import MainWindow  # loaded by now (FIRST_PAGES)

        window = MainWindow(
            self.db,
            self.runner,
            session,
            window_settings=self.window_settings,
            idle_watch_after_ms=self.background_after_ms,
        )
        window.sign_out_requested.connect(self._signed_out)
        window.quit_requested.connect(lambda: self.finished.emit(0))
        self.main_window = window
        window.show_as_remembered()
        self.main_window_shown.emit(window)
        window.when_settled(lambda: self._after_first_page(window))

    def _after_first_page(self, window: MainWindow) -> None:
        """The work that follows sign-in (sync, the results waiting at the window, the unfinished-intake
        check, the catalog's search index) loads SQLAlchemy and keeps the two workers busy for a while: it
        starts a moment after the first page is up, and then only once the page on screen has its data
        (a clerk who went straight to 办件 sees the list first). The status bar says sync is starting."""
        if not self.background_after_ms:
            self._start_background(window)
            return
        QTimer.singleShot(self.background_after_ms, window,
                          lambda: window.when_settled(lambda: self._start_background(window)))  # fmt: skip

    def _start_background(self, window: MainWindow) -> None:
        if self.main_window is not window:
            return  # signed out in the meantime
        self.background_started.emit()
        window.start_background_reads()
        self.runner.submit(_load_sync_modules, on_done=lambda _r: self._start_sync(window))

    def _ensure_engine(self) -> SyncEngine:
        if self.engine is None:
            from clerk_desk.ui.sync.desk_sync import make_engine

            self.engine = make_engine(self.db, self.engine_factory)
            self.runner.submit(self.engine.start)
        return self.engine

    def _start_sync(self, window: MainWindow) -> None:
        if self.main_window is not window or self.sync is not None:
            return  # signed out in the meantime, or already started
        from clerk_desk.ui.sync.desk_sync import DeskSync

        self.sync = DeskSync(self.db, self.runner, self.settings, window, self._ensure_engine())
        self.sync.start()
        window.offer_unfinished_intakes()
        self.runner.submit(_warm_catalog_search, self.db)  # not at the first keystroke

    def _detach_sync(self) -> None:
        sync, self.sync = self.sync, None
        if sync is not None:
            sync.detach()

    def _signed_out(self) -> None:
        self._detach_sync()
        window, self.main_window = self.main_window, None
        if window is not None:
            window.deleteLater()
            collector.thaw()  # the session's objects, frozen since the start, may be garbage in cycles now
        self._reread_workplace("")

    # -- helpers -----------------------------------------------------------------------------
    def _show(self, dialog: QDialog) -> None:
        self._close_dialog()
        self.dialog = dialog
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()

    def _close_dialog(self) -> None:
        self._early.forget()  # no password kept once the dialog is gone
        old, self.dialog = self.dialog, None
        if old is not None:
            old.blockSignals(True)  # hiding it is not a "cancel" of the flow
            old.hide()
            old.deleteLater()

    def close_all(self) -> None:
        self._closed = True  # a timer still pending (the unattended sync's) must not start anything now
        self._early.close()
        self._detach_sync()
        engine, self.engine = self.engine, None
        if engine is not None:
            engine.stop(timeout=3.0)
        self._close_dialog()
        if self.main_window is not None:
            self.main_window.signing_out = True  # closing for shutdown, not a user request
            self.main_window.close()
            self.main_window.deleteLater()
            self.main_window = None
