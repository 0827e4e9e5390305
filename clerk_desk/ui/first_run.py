"""First start on an empty database: create the administrator (and set up the site if it is not set)."""

from __future__ import annotations

from typing import TypedDict

from PySide6.QtWidgets import QDialog, QFormLayout, QGroupBox, QHBoxLayout, QVBoxLayout, QWidget

from clerk_desk import machine_config
from clerk_desk.domain.org import Role
from clerk_desk.services import accounts, site_setup
from clerk_desk.services.site_setup import SiteInfo
from clerk_desk.store.database import Database
from clerk_desk.ui import notify
from clerk_desk.ui.site_form import SiteForm, SiteValues
from clerk_desk.ui.task_runner import TaskRunner
from clerk_desk.ui.widgets import (
    button,
    dialog_layout,
    enter_presses_focused,
    label,
    line_edit,
    password_edit,
    plain_title,
    scroll_body,
)


class AdminValues(TypedDict):
    """The first administrator, as keyword arguments for accounts.add_user."""

    username: str
    display_name: str
    password: str


def _create(db: Database, site: SiteValues | None, admin: AdminValues) -> str:
    if site is not None:
        site_setup.set_site(db, actor="first-start", **site)
    user = accounts.add_user(db, roles=[Role.ADMIN.value], actor="first-start", **admin)
    return user.username


class FirstRunDialog(QDialog):
    """On accept, ``username`` is the new administrator's user name."""

    def __init__(
        self, db: Database, runner: TaskRunner, site: SiteInfo, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.db, self.runner = db, runner
        self.username = ""
        self.setObjectName("firstRunDialog")
        self.setWindowTitle(plain_title(notify.window_title(self.tr("First start"))))
        self.setMinimumWidth(520)
        intro = label(
            self.tr(
                "This PC has no accounts yet. Create the administrator account; the administrator "
                "then adds the windows and the clerks."
            ),
            "firstRunIntro",
            wrap=True,
        )
        self.site_form = SiteForm()
        self.site_box = QGroupBox(self.tr("This service centre"))
        QVBoxLayout(self.site_box).addWidget(self.site_form)
        self.needs_site = site.site_code is None
        self.site_box.setVisible(self.needs_site)
        if self.needs_site:  # what county IT gave the installer (SITE_CODE, DEVICE_CODE), to confirm here
            preset = machine_config.load()
            self.site_form.code.setText(preset.site_code)
            self.site_form.device.setText(preset.device_code)

        self.admin_username = line_edit("adminUsername", text="admin")
        self.admin_name = line_edit("adminDisplayName", text=self.tr("Administrator"))
        self.admin_password = password_edit("adminPassword")
        self.admin_repeat = password_edit("adminPasswordRepeat")
        admin_box = QGroupBox(self.tr("Administrator account"))
        form = QFormLayout(admin_box)
        form.addRow(self.tr("User name"), self.admin_username)
        form.addRow(self.tr("Full name"), self.admin_name)
        form.addRow(self.tr("Password"), self.admin_password)
        form.addRow(self.tr("Password again"), self.admin_repeat)

        self.submit = button(self.tr("Create and continue"), "firstRunSubmit", default=True)
        self.cancel = button(self.tr("Quit"), "firstRunCancel")
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.cancel)
        row.addWidget(self.submit)
        layout = dialog_layout(self)
        body, fields = scroll_body(self, "firstRunBody")  # scrolls on a small screen; the buttons stay
        fields.addWidget(intro)
        fields.addWidget(self.site_box)
        fields.addWidget(admin_box)
        layout.addWidget(body, 1)
        layout.addLayout(row)
        self.submit.clicked.connect(self.try_create)
        self.cancel.clicked.connect(self.reject)
        enter_presses_focused(self)  # Tab to 取消 and Enter cancels (it pressed the act)

    def try_create(self) -> None:
        if not self.submit.isEnabled():
            return
        if self.admin_password.text() != self.admin_repeat.text():
            notify.error(self, self.tr("The two passwords are not the same."))
            return
        site = self.site_form.values() if self.needs_site else None
        admin: AdminValues = {
            "username": self.admin_username.text(),
            "display_name": self.admin_name.text(),
            "password": self.admin_password.text(),
        }
        self.submit.setEnabled(False)
        self.runner.submit(_create, self.db, site, admin, on_done=self._done, on_error=self._failed)

    def _done(self, username: str) -> None:
        self.submit.setEnabled(True)
        self.username = username
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.submit.setEnabled(True)
        notify.show_error(self, exc)
