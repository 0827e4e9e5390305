"""The main window shell: navigation on the left, pages on the right, menus and a status bar."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QWidget,
)

from clerk_desk import __version__
from clerk_desk.services.workplace import SiteInfo
from clerk_desk.store.database import Database
from clerk_desk.ui import notify
from clerk_desk.ui.idle_lock import IdleLock
from clerk_desk.ui.lazy_pages import LazyPages
from clerk_desk.ui.pages import PageContext
from clerk_desk.ui.session import DeskSession
from clerk_desk.ui.task_runner import TaskRunner
from clerk_desk.ui.widgets import label, plain_title
from clerk_desk.ui.window_picker import window_label

if TYPE_CHECKING:
    from clerk_desk.ui.password_dialog import ChangePasswordDialog

KEY_ROLE = Qt.ItemDataRole.UserRole


class MainWindow(QMainWindow):
    sign_out_requested = Signal()
    quit_requested = Signal()
    sync_panel_requested = Signal()
    enrol_requested = Signal()

    def __init__(
        self, db: Database, runner: TaskRunner, session: DeskSession, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.db, self.runner, self.session = db, runner, session
        self.signing_out = False
        # Called with a "go on" callable before the window closes for quitting (sync: unsent records).
        self.quit_guard: Callable[[Callable[[], None]], None] | None = None
        self._quit_confirmed = False
        self.password_dialog: ChangePasswordDialog | None = None
        self.setObjectName("mainWindow")
        self.setWindowTitle(plain_title(self.title_text()))
        self.resize(1180, 760)

        self.nav = QListWidget()
        self.nav.setObjectName("navList")
        self.nav.setFixedWidth(180)
        self.nav.setIconSize(QSize(20, 20))
        self.stack = QStackedWidget()
        self.stack.setObjectName("pageStack")
        # Pages are built when first shown (or first asked for): start-up pays only for the home page.
        self.pages = LazyPages(self.stack, PageContext(db, runner, session, self))
        for spec in self.pages.specs:
            item = QListWidgetItem(spec.translated_title())
            item.setData(KEY_ROLE, spec.key)
            self.nav.addItem(item)
        self.nav.currentRowChanged.connect(self._show_row)
        self.nav.setCurrentRow(0)
        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.nav)
        row.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self._build_menus()
        self._build_status_bar()
        # Locks the screen after the site's idle time (docs/ui.md, "Idle lock"); tests drive its check().
        self.idle_lock = IdleLock(self, db, runner, session.user, session.site.idle_lock_minutes)

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
        page.first_data_ready.connect(lambda: QTimer.singleShot(0, fn), Qt.ConnectionType.SingleShotConnection)

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
        return self.tr("Clerk Desk Comprehensive Window Intake — {0}").format(where.strip())

    def _action(self, text: str, name: str, slot: object, shortcut: QKeySequence | None = None) -> QAction:
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
            window = window_label(s.window)
        elif s.is_approver_mode:
            window = self.tr("Back office")
        else:
            window = self.tr("No window")
        self.status_site = label(self.tr("Centre: {0}").format(s.site.site_name or "—"), "statusSite")
        self.status_window = label(self.tr("Window: {0}").format(window), "statusWindow")
        self.status_user = label(self.tr("User: {0}").format(s.user.display_name), "statusUser")
        for w in (self.status_site, self.status_window, self.status_user):
            bar.addWidget(w)
        # Reserved for the sync status (link, waiting events, last sync, clock skew, rejections).
        self.sync_slot = QWidget()
        self.sync_slot.setObjectName("syncStatusSlot")
        QHBoxLayout(self.sync_slot).setContentsMargins(0, 0, 0, 0)
        bar.addPermanentWidget(self.sync_slot)

    def set_sync_status_widget(self, widget: QWidget) -> None:
        """Put the sync status widget into the status bar's reserved slot (replacing any previous one)."""
        layout = self.sync_slot.layout()
        while layout.count():
            old = layout.takeAt(0).widget()
            if old is not None:
                old.deleteLater()
        layout.addWidget(widget)

    def _show_row(self, row: int) -> None:
        if 0 <= row < len(self.pages.specs):
            self.pages.get(self.pages.specs[row].key)
        self.stack.setCurrentIndex(row)

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
        self.signing_out = True
        self.sign_out_requested.emit()
        self.close()

    def about(self) -> None:
        """关于: the program's version, and the catalog and calendar versions with when they arrived
        (read on a worker: ui/sync/texts.versions)."""
        from clerk_desk.sync.follow import versions
        from clerk_desk.ui.sync.texts import versions as versions_text

        head = self.tr(
            "Clerk Desk {0}\nOffline-first intake for township comprehensive service windows."
        ).format(__version__)
        self.runner.submit(versions, self.db,
                           on_done=lambda v: notify.info(self, "\n\n".join([head, "\n".join(versions_text(v))])))

    def confirm_quit(self) -> None:
        """The quit guard agreed: close for good."""
        self._quit_confirmed = True
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt API)
        if self.quit_guard is not None and not (self.signing_out or self._quit_confirmed):
            event.ignore()
            self.quit_guard(self.confirm_quit)
            return
        super().closeEvent(event)
        if event.isAccepted():
            self.idle_lock.stop()
        if event.isAccepted() and not self.signing_out:
            self.quit_requested.emit()
