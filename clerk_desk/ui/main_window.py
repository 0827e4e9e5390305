"""The main window shell: navigation on the left, pages on the right, menus and a status bar.

It opens where this Windows account left it, inside the screen (ui/window_geometry.py); a page that does
not fit the window scrolls (ui/page_stack.py), so the status bar always shows and nothing is squeezed.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, cast

from PySide6.QtCore import QEvent, QObject, QSettings, QSize, Qt, QTimer, Signal, SignalInstance
from PySide6.QtGui import QAction, QCloseEvent, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from clerk_desk import __version__
from clerk_desk.services.workplace import SiteInfo
from clerk_desk.store.database import Database
from clerk_desk.ui import notify, window_geometry
from clerk_desk.ui.case_watch import CaseWatch
from clerk_desk.ui.idle_lock import IdleLock
from clerk_desk.ui.lazy_pages import LazyPages
from clerk_desk.ui.page_stack import PageStack, scrolling
from clerk_desk.ui.pages import PageContext
from clerk_desk.ui.qt_items import taken_widgets
from clerk_desk.ui.session import DeskSession
from clerk_desk.ui.task_runner import TaskRunner
from clerk_desk.ui.widgets import ElidedLabel, label, plain_title

if TYPE_CHECKING:
    from clerk_desk.ui.password_dialog import ChangePasswordDialog
    from clerk_desk.ui.results.results_notice import ResultsNotice

KEY_ROLE = Qt.ItemDataRole.UserRole


def _calendar_version(data_dir: Path) -> str:
    from clerk_desk.services.calendar_service import work_calendar

    return work_calendar(data_dir).version


def _about_facts(db: Database) -> tuple[Any, str]:
    from clerk_desk.sync.follow import versions

    return versions(db), _calendar_version(db.data_dir)


class _LoadsFirstData(Protocol):  # a page that reads its first rows in the background (ui/list_and_case.py)
    first_data_ready: SignalInstance

    def first_data_pending(self) -> bool: ...


class _Views(Protocol):
    def set_view(self, view: Any) -> None: ...


class _ListPage(Protocol):  # the pages open_view and open_in are given (cases, inbox; supervision for a view)
    @property
    def list(self) -> _Views: ...

    def open_case(self, case_uuid: str) -> None: ...


USER_NAME_ROOM = 16  # characters of the status bar's user name (with 「用户：」) before it is cut
USER_KEEP, WINDOW_KEEP = 4, 6  # characters of the user's and the window's names kept when the bar is short


class MainWindow(QMainWindow):
    sign_out_requested = Signal()
    quit_requested = Signal()
    sync_panel_requested = Signal()
    enrol_requested = Signal()

    def __init__(
        self, db: Database, runner: TaskRunner, session: DeskSession, parent: QWidget | None = None, *,
        window_settings: QSettings | None = None, idle_watch_after_ms: int = 0,
    ) -> None:
        super().__init__(parent)
        self.db, self.runner, self.session = db, runner, session
        self.window_settings = window_settings  # per OS user: where the window was left (None: not kept)
        self.signing_out = False
        # Called with a "go on" callable before the window closes for quitting (sync: unsent records).
        self.quit_guard: Callable[[Callable[[], None]], None] | None = None
        self._quit_confirmed = False
        self.password_dialog: ChangePasswordDialog | None = None
        self.setObjectName("mainWindow")
        self.setWindowTitle(plain_title(self.title_text()))
        self.resize(window_geometry.DEFAULT_SIZE)

        self.nav = QListWidget()
        self.nav.setObjectName("navList")
        self.nav.setFixedWidth(180)
        self.nav.setIconSize(QSize(20, 20))
        self.stack = PageStack()
        self.stack.setObjectName("pageStack")
        # What changed in the store, on the GUI thread, for every page that shows cases (ui/case_watch.py).
        self.case_watch = CaseWatch(db, parent=self)
        # Pages are built when first shown (or first asked for): start-up pays only for the home page.
        self.pages = LazyPages(self.stack, PageContext(db, runner, session, self), self._page_built)
        for spec in self.pages.specs:
            item = QListWidgetItem(spec.translated_title())
            item.setData(KEY_ROLE, spec.key)
            self.nav.addItem(item)
        self.nav.currentRowChanged.connect(self._show_row)
        self.nav.setCurrentRow(0)
        # The arrows go through the pages with the focus staying in the list; Enter or a click goes into the page.
        self.browsing = False  # True while a key in the navigation is changing the page
        self.nav.installEventFilter(self)
        self.nav.itemClicked.connect(lambda _item: self.enter_page())
        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.nav)
        self.page_scroll = scrolling(self.stack, "pageScroll")
        column = QVBoxLayout()
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        self.results_notice: ResultsNotice | None = None
        if not session.is_approver_mode:  # a result back at the window is told (docs/hall-operations.md)
            from clerk_desk.ui.results.results_notice import ResultsNotice

            notice = ResultsNotice(db, runner, self)
            self.case_watch.casesChanged.connect(notice.cases_changed)
            notice.openList.connect(lambda: self.show_page("results"))
            column.addWidget(notice)
            self.results_notice = notice
        column.addWidget(self.page_scroll, 1)
        row.addLayout(column, 1)
        self.setCentralWidget(central)
        self._build_menus()
        self._build_status_bar()
        # Locks the screen after the site's idle time (docs/ui.md, "Idle lock"); tests drive its check().
        self.idle_lock = IdleLock(self, db, runner, session.user, session.site.idle_lock_minutes,
                                  watch_after_ms=idle_watch_after_ms)

    def _page_built(self, page: QWidget) -> None:
        """A page that shows cases follows the data: it reads again what changed (``cases_changed``)."""
        follow = getattr(page, "cases_changed", None)
        if follow is not None:
            self.case_watch.casesChanged.connect(follow)

    # -- where the window is ----------------------------------------------------------------------
    def show_as_remembered(self) -> None:
        """Show the window as this OS user left it, clamped into the screen's free area; maximised when it
        was, or when the default size does not fit (a 1366×768 screen with its taskbar)."""
        screen = self.screen()
        saved = window_geometry.read(self.window_settings) if self.window_settings is not None else None
        place = window_geometry.initial(screen.availableGeometry(), saved)
        self.setGeometry(place.rect)
        if place.maximised:
            self.showMaximized()
        else:
            self.show()

    def remember_placement(self) -> None:
        """Keep size, place and the maximised state for this OS user's next start."""
        if self.window_settings is None or not self.isVisible():
            return
        maximised = self.isMaximized()
        rect = self.normalGeometry() if maximised else self.geometry()
        window_geometry.write(self.window_settings, window_geometry.Placement(rect, maximised))

    def when_settled(self, fn: Callable[[], None]) -> None:
        """Call ``fn`` once the page on screen shows its first data (at once if it has it or needs none).

        Start-up work that loads SQLAlchemy (sync, the check for unfinished intakes) waits for this, so
        it never holds up the first page of the case list (store/sqlite_file.py). A page that loads
        asynchronously has ``first_data_pending()`` and a ``first_data_ready`` signal; ``fn`` then runs
        from the event loop, after the rows have been painted."""
        page = self.stack.currentWidget()
        pending = getattr(page, "first_data_pending", None)
        if pending is None or not pending():
            fn()
            return
        cast(_LoadsFirstData, page).first_data_ready.connect(lambda: QTimer.singleShot(0, fn),
                                                             Qt.ConnectionType.SingleShotConnection)  # fmt: skip

    def start_background_reads(self) -> None:
        """What the window reads once its first page is up (ui/startup.py): the results already waiting."""
        if self.results_notice is not None:
            self.results_notice.read_waiting()

    def offer_unfinished_intakes(self) -> None:
        """Unfinished intakes (a crash, a power cut) are offered back at sign-in: build the intake page,
        which offers them and comes forward, only when there is one."""
        if "intake" not in self.pages:
            return
        from clerk_desk.services import drafts

        self.runner.submit(drafts.pending, self.db, self.session.user.id,
                           on_done=lambda waiting: waiting and self.pages.get("intake"))  # fmt: skip

    def title_text(self) -> str:
        s = self.session
        where = s.site.site_name or ""
        if s.window is not None:
            where = f"{where} {s.window.name}"
        elif s.is_approver_mode:
            where = f"{where} {self.tr('Back office')}"
        return notify.window_title(where.strip())

    def _action(self, text: str, name: str, slot: object,
                shortcut: QKeySequence | QKeySequence.StandardKey | None = None) -> QAction:  # fmt: skip
        action = QAction(text, self)
        action.setObjectName(name)
        if shortcut is not None:
            action.setShortcut(shortcut)
        action.triggered.connect(slot)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        bar.setObjectName("menuBar")
        file_menu = bar.addMenu(self.tr("&File"))
        file_menu.setObjectName("menuFile")
        file_menu.addAction(
            self._action(self.tr("E&xit"), "actionQuit", self.close, QKeySequence.StandardKey.Quit)
        )
        account = bar.addMenu(self.tr("&Account"))
        account.setObjectName("menuAccount")
        account.addAction(
            self._action(self.tr("Change &password…"), "actionChangePassword", self.change_password)
        )
        account.addAction(self._action(self.tr("&Sign out"), "actionSignOut", self.sign_out))
        if self.session.is_admin:  # clerks open the sync panel from the status bar item
            system = bar.addMenu(self.tr("S&ystem"))
            system.setObjectName("menuSystem")
            system.addAction(
                self._action(self.tr("&Sync status…"), "actionSyncPanel", self.sync_panel_requested)
            )
            system.addAction(
                self._action(self.tr("&Enrol with the county hub…"), "actionEnrol", self.enrol_requested)
            )
        help_menu = bar.addMenu(self.tr("&Help"))
        help_menu.setObjectName("menuHelp")
        help_menu.addAction(self._action(self.tr("&About Clerk Desk"), "actionAbout", self.about))

    def _build_status_bar(self) -> None:
        s = self.session
        bar = self.statusBar()
        bar.setObjectName("statusBar")
        if s.window is not None:
            window = s.window.label
        elif s.is_approver_mode:
            window = self.tr("Back office")
        else:
            window = self.tr("No window")
        # the centre's, the window's and the user's names give way (cut with "…", whole in the tooltip) when the
        # bar is short of room: 1366×768 at 150 % with the sync item beside them, or a long display name
        # (their captions 「中心：」「窗口：」「用户：」 stay whole: only the names are cut)
        self.status_site = ElidedLabel.captioned(self.tr("Centre: {0}"), s.site.site_name or "—", "statusSite")
        # at their least the user's name keeps four characters (a person's whole name: on a shared PC, who is
        # signed in) and the window's six; the centre's name, the same all day, gives way first
        self.status_window = ElidedLabel.captioned(self.tr("Window: {0}"), window, "statusWindow", keep=WINDOW_KEEP)
        self.status_user = ElidedLabel.captioned(self.tr("User: {0}"), s.user.display_name, "statusUser",
                                                 keep=USER_KEEP)  # fmt: skip
        # a name longer than a person's (an account from the hub, a department as a name) never takes the
        # centre's and the window's room: the bar's layout takes the same from each label until one is at its least
        self.status_user.setMaximumWidth(self.status_user.fontMetrics().horizontalAdvance("用" * USER_NAME_ROOM))
        # the centre's name gives way first: a row takes room from its stretching items first (down to their
        # least), and with a Maximum policy it grows no wider than its text when there is room to spare
        self.status_site.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Preferred)
        bar.addWidget(self.status_site, 1)
        for w in (self.status_window, self.status_user):
            bar.addWidget(w)
        # Reserved for the sync status (link, waiting events, last sync, clock skew, rejections).
        self.sync_slot = QWidget()
        self.sync_slot.setObjectName("syncStatusSlot")
        slot = QHBoxLayout(self.sync_slot)
        slot.setContentsMargins(0, 0, 0, 0)
        # Sync starts a moment after the first page (ui/startup.py): until its item replaces this, say so.
        slot.addWidget(label(self.tr("Sync is starting…"), "syncStarting"))
        bar.addPermanentWidget(self.sync_slot)

    def set_sync_status_widget(self, widget: QWidget) -> None:
        """Put the sync status widget into the status bar's reserved slot (replacing any previous one)."""
        layout = self.sync_slot.layout()
        assert layout is not None  # the slot's row, made with it
        for old in taken_widgets(layout):
            old.hide()  # gone at once: deleteLater waits for the event loop
            old.deleteLater()
        layout.addWidget(widget)

    def _show_row(self, row: int) -> None:
        if 0 <= row < len(self.pages.specs):
            self.pages.get(self.pages.specs[row].key)
        self.stack.setCurrentIndex(row)

    def enter_page(self) -> None:
        """The focus into the page on screen: where the page says the clerk goes on (``take_focus``), else its
        first widget in the Tab order."""
        page = self.stack.currentWidget()
        if page is None:
            return
        take_focus = getattr(page, "take_focus", None)
        if callable(take_focus):
            take_focus()
            return
        w = page.nextInFocusChain()
        while w is not page and w is not None:
            if (page.isAncestorOf(w) and w.isVisible() and w.isEnabled()
                    and w.focusPolicy() & Qt.FocusPolicy.TabFocus == Qt.FocusPolicy.TabFocus):
                w.setFocus(Qt.FocusReason.TabFocusReason)
                return
            w = w.nextInFocusChain()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if watched is self.nav and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.enter_page()
                return True
            self.browsing = True  # a page shown by this key leaves the focus in the list (IntakePage.showEvent)
            try:
                self.nav.event(event)
            finally:
                self.browsing = False
            return True
        return super().eventFilter(watched, event)

    def show_page(self, key: str) -> bool:
        for row in range(self.nav.count()):
            if self.nav.item(row).data(KEY_ROLE) == key:
                self.nav.setCurrentRow(row)
                return True
        return False

    def open_case(self, case_uuid: str) -> bool:
        """Show one case on the cases page (False when this build has no cases page)."""
        page = self.pages.get("cases")
        opener = getattr(page, "open_case", None)
        if opener is None or not self.show_page("cases"):
            return False
        opener(case_uuid)
        return True

    def open_view(self, key: str, view: object) -> bool:
        """Show a list page (cases, inbox) on one of its views (the home page's lines)."""
        if key not in self.pages or not self.show_page(key):
            return False
        page = self.pages[key]
        back = getattr(page, "back_to_list", None)
        if back is not None:
            back()
        cast(_ListPage, page).list.set_view(view)
        return True

    def open_in(self, key: str, case_uuid: str) -> bool:
        """Show one case on a list page (cases, inbox)."""
        if key not in self.pages or not self.show_page(key):
            return False
        cast(_ListPage, self.pages[key]).open_case(case_uuid)
        return True

    def site_saved(self, site: SiteInfo) -> None:
        """The admin saved the site settings: the idle lock follows its new time at once."""
        self.idle_lock.set_minutes(site.idle_lock_minutes)

    def page_keys(self) -> list[str]:
        return [self.nav.item(r).data(KEY_ROLE) for r in range(self.nav.count())]

    def change_password(self) -> None:
        from clerk_desk.ui.password_dialog import ChangePasswordDialog

        self.password_dialog = ChangePasswordDialog(
            self.db, self.runner, self.session.user.username, parent=self
        )
        self.password_dialog.open()

    def sign_out(self) -> None:
        self.remember_placement()
        self.signing_out = True
        self.sign_out_requested.emit()
        self.close()

    def about(self) -> None:
        """关于: the program's version; the catalog and calendar in use, where from, when they arrived, and
        the calendar's technical version (read on a worker: sync/follow.versions, ui/sync/texts.versions)."""
        self.runner.submit(_about_facts, self.db, on_done=self._show_about,
                           on_error=lambda _e: self._show_about(None))

    def _show_about(self, facts: tuple[Any, str] | None) -> None:
        from clerk_desk.ui.sync.texts import versions as versions_text

        text = self.tr(
            "Clerk Desk {0}\nOffline-first intake for township comprehensive service windows."
        ).format(__version__)
        if facts is not None:
            versions, calendar = facts
            text += "\n\n" + "\n".join(versions_text(versions))
            if calendar:
                text += "\n" + self.tr("Holiday calendar: {0}").format(calendar)
        notify.info(self, text)

    def confirm_quit(self) -> None:
        """The quit guard agreed: close for good."""
        self._quit_confirmed = True
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt API)
        if self.quit_guard is not None and not (self.signing_out or self._quit_confirmed):
            event.ignore()
            self.quit_guard(self.confirm_quit)
            return
        self.remember_placement()
        super().closeEvent(event)
        if event.isAccepted():
            self.idle_lock.stop()
            self.case_watch.detach()
        if event.isAccepted() and not self.signing_out:
            self.quit_requested.emit()
