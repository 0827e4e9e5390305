"""The administration page: one tab each for the site, its windows and the accounts."""

from __future__ import annotations

from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from clerk_desk.store.database import Database
from clerk_desk.ui.admin.site_tab import SiteTab
from clerk_desk.ui.admin.users_tab import UsersTab
from clerk_desk.ui.admin.windows_tab import WindowsTab
from clerk_desk.ui.session import DeskSession
from clerk_desk.ui.task_runner import TaskRunner


class AdminPage(QWidget):
    def __init__(
        self, db: Database, runner: TaskRunner, session: DeskSession, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        actor = session.user.username
        self.tabs = QTabWidget()
        self.tabs.setObjectName("adminTabs")
        self.site_tab = SiteTab(db, runner, actor)
        self.windows_tab = WindowsTab(db, runner, actor)
        self.users_tab = UsersTab(db, runner, actor)
        self.tabs.addTab(self.site_tab, self.tr("Service centre"))
        self.tabs.addTab(self.windows_tab, self.tr("Windows"))
        self.tabs.addTab(self.users_tab, self.tr("Accounts"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.addWidget(self.tabs)
