"""Accounts: a table, add, reset a password (a temporary one is shown once), deactivate/reactivate."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from functools import partial

from PySide6.QtWidgets import QAbstractItemView, QHBoxLayout, QHeaderView, QTableView, QVBoxLayout, QWidget

from clerk_desk.services import accounts, site_setup
from clerk_desk.services.accounts import UserInfo
from clerk_desk.store.database import Database
from clerk_desk.ui import notify
from clerk_desk.ui.admin.user_dialog import UserDialog
from clerk_desk.ui.table_model import Column, RowsTableModel
from clerk_desk.ui.task_runner import TaskRunner
from clerk_desk.ui.widgets import button


def temporary_password() -> str:
    """Easy to read aloud (no 0/O, 1/l), letters and digits, as the strength check asks."""
    letters, digits = "abcdefghjkmnpqrstuvwxyz", "23456789"
    body = [secrets.choice(letters) for _ in range(6)] + [secrets.choice(digits) for _ in range(3)]
    return "".join(body[:4]) + "-" + "".join(body[4:])


def is_locked(u: UserInfo) -> bool:
    return u.locked_until is not None and u.locked_until > datetime.now(UTC)


class UsersTab(QWidget):
    def __init__(self, db: Database, runner: TaskRunner, actor: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.runner, self.actor = db, runner, actor
        self.setObjectName("adminUsersTab")
        self.departments: dict[str, str] = {}
        self.site_code: str | None = None
        self.dialog: UserDialog | None = None
        self.model: RowsTableModel[UserInfo] = RowsTableModel(
            [
                Column(self.tr("User name"), lambda u: u.username),
                Column(self.tr("Full name"), lambda u: u.display_name),
                Column(self.tr("Roles"), lambda u: u.roles_zh),
                Column(self.tr("Departments served"), self._serves_text),
                Column(self.tr("Status"), self._status_text),
            ],
            self,
        )
        self.table = QTableView()
        self.table.setObjectName("adminUsersTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.add = button(self.tr("Add account…"), "userAdd")
        self.reset = button(self.tr("Reset password"), "userResetPassword")
        self.toggle = button(self.tr("Disable / enable"), "userToggleActive")
        row = QHBoxLayout()
        for b in (self.add, self.reset, self.toggle):
            row.addWidget(b)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.table)
        self.add.clicked.connect(self.open_add_dialog)
        self.reset.clicked.connect(self.reset_selected)
        self.toggle.clicked.connect(self.toggle_selected)
        self.refresh()

    def _serves_text(self, u: UserInfo) -> str:
        return "、".join(self.departments.get(dept, dept) for _site, dept in u.serves)

    def _status_text(self, u: UserInfo) -> str:
        if not u.active:
            return self.tr("Disabled")
        if is_locked(u):
            return self.tr("Locked (too many wrong passwords)")
        if u.must_change_password:
            return self.tr("Active, must change password")
        return self.tr("Active")

    def refresh(self) -> None:
        self.runner.submit(self._load, on_done=self._loaded)

    def _load(self) -> tuple[list[UserInfo], list[tuple[str, str]], str | None]:
        return (
            accounts.list_users(self.db),
            site_setup.departments(self.db),
            site_setup.site_info(self.db).site_code,
        )

    def _loaded(self, loaded: tuple[list[UserInfo], list[tuple[str, str]], str | None]) -> None:
        users, departments, site_code = loaded
        self.departments, self.site_code = dict(departments), site_code
        self.model.set_rows(users)

    def selected(self) -> UserInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def select_username(self, username: str) -> bool:
        for i, u in enumerate(self.model.rows):
            if u.username == username:
                self.table.selectRow(i)
                return True
        return False

    def open_add_dialog(self) -> None:
        self.dialog = UserDialog(
            self.db, self.runner, self.actor, self.site_code, list(self.departments.items()), self
        )
        self.dialog.accepted.connect(self.refresh)
        self.dialog.open()

    def _need_selection(self) -> UserInfo | None:
        u = self.selected()
        if u is None:
            notify.error(self, self.tr("Please select an account in the table first."))
        return u

    def reset_selected(self) -> None:
        u = self._need_selection()
        if u is None or not notify.confirm(
            self, self.tr("Reset the password of {0}?").format(u.display_name)
        ):
            return
        password = temporary_password()
        self.runner.submit(
            partial(
                accounts.reset_password, self.db, u.username, password, actor=self.actor, must_change=True
            ),
            on_done=lambda _r: self._was_reset(u, password),
        )

    def _was_reset(self, u: UserInfo, password: str) -> None:
        self.refresh()
        notify.info(
            self,
            self.tr(
                "The temporary password of {0} is:\n\n{1}\n\nThey must choose a new one when they sign in."
            ).format(u.display_name, password),
        )

    def toggle_selected(self) -> None:
        u = self._need_selection()
        if u is None:
            return
        if u.active and u.username == self.actor:
            notify.error(self, self.tr("You cannot disable your own account."))
            return
        if u.active and not notify.confirm(
            self,
            self.tr("Disable the account of {0}? They will no longer be able to sign in.").format(
                u.display_name
            ),
        ):
            return
        self.runner.submit(
            partial(accounts.set_active, self.db, u.username, not u.active, actor=self.actor),
            on_done=lambda _r: self.refresh(),
        )
