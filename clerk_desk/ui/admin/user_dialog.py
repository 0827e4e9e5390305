"""Add an account: name, first password, roles, and the departments an approver serves at this site."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import TypedDict

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QWidget,
)

from clerk_desk.domain.org import ROLE_ZH, Role
from clerk_desk.services import accounts
from clerk_desk.store.database import Database
from clerk_desk.ui.admin.saving import save_and_close
from clerk_desk.ui.task_runner import TaskRunner
from clerk_desk.ui.widgets import button, dialog_layout, enter_presses_focused, line_edit, password_edit

ROLE_OBJECT_NAMES = {
    Role.CLERK: "roleClerk",
    Role.APPROVER: "roleApprover",
    Role.SUPERVISOR: "roleSupervisor",
    Role.ADMIN: "roleAdmin",
}
CODE_ROLE = Qt.ItemDataRole.UserRole


class NewUser(TypedDict):
    """An account to add, as keyword arguments for accounts.add_user."""

    username: str
    display_name: str
    password: str
    roles: list[str]
    serves: list[tuple[str, str]]
    must_change_password: bool


class UserDialog(QDialog):
    def __init__(
        self,
        db: Database,
        runner: TaskRunner,
        actor: str,
        site_code: str | None,
        departments: Sequence[tuple[str, str]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.db, self.runner, self.actor, self.site_code = db, runner, actor, site_code
        self.setObjectName("userDialog")
        self.setWindowTitle(self.tr("Add an account"))
        self.setMinimumWidth(480)
        self.username = line_edit("userUsername", placeholder=self.tr("letters and digits, e.g. clerk3"))
        self.display_name = line_edit("userDisplayName")
        self.password = password_edit("userPassword")
        self.must_change = QCheckBox(self.tr("Must choose a new password at first sign-in"))
        self.must_change.setObjectName("userMustChange")
        self.must_change.setChecked(True)
        self.roles: dict[Role, QCheckBox] = {}
        role_row = QHBoxLayout()
        for role, name in ROLE_OBJECT_NAMES.items():
            box = QCheckBox(ROLE_ZH[role])
            box.setObjectName(name)
            self.roles[role] = box
            role_row.addWidget(box)
        self.roles[Role.CLERK].setChecked(True)
        self.departments = QListWidget()
        self.departments.setObjectName("userDepartments")
        self.departments.setMaximumHeight(150)
        for code, name in departments:
            item = QListWidgetItem(name)
            item.setData(CODE_ROLE, code)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.departments.addItem(item)
        self.save = button(self.tr("Add"), "userSave", default=True)
        self.cancel = button(self.tr("Cancel"), "userCancel")
        form = QFormLayout()
        form.addRow(self.tr("User name"), self.username)
        form.addRow(self.tr("Full name"), self.display_name)
        form.addRow(self.tr("First password"), self.password)
        form.addRow("", self.must_change)
        form.addRow(self.tr("Roles"), role_row)
        form.addRow(self.tr("Departments served\n(approvers)"), self.departments)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.cancel)
        row.addWidget(self.save)
        layout = dialog_layout(self)
        layout.addLayout(form)
        layout.addLayout(row)
        self.roles[Role.APPROVER].toggled.connect(self.departments.setEnabled)
        self.departments.setEnabled(False)
        self.save.clicked.connect(self.try_save)
        self.cancel.clicked.connect(self.reject)
        enter_presses_focused(self)  # Tab to 取消 and Enter cancels (it pressed the act)

    def check_department(self, code: str, checked: bool = True) -> None:
        for i in range(self.departments.count()):
            item = self.departments.item(i)
            if item.data(CODE_ROLE) == code:
                item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def values(self) -> NewUser:
        roles = [r.value for r, box in self.roles.items() if box.isChecked()]
        serves = []
        if Role.APPROVER.value in roles and self.site_code:
            for i in range(self.departments.count()):
                item = self.departments.item(i)
                if item.checkState() == Qt.CheckState.Checked:
                    serves.append((self.site_code, str(item.data(CODE_ROLE))))
        return {
            "username": self.username.text(),
            "display_name": self.display_name.text(),
            "password": self.password.text(),
            "roles": roles,
            "serves": serves,
            "must_change_password": self.must_change.isChecked(),
        }

    def try_save(self) -> None:
        values = self.values()
        save_and_close(self, self.save, self.runner,
                       partial(accounts.add_user, self.db, actor=self.actor, **values))
