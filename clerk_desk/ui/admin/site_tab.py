"""Site settings: centre code and name, this PC's code, clerk or approver mode, the idle screen lock."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QSpinBox, QWidget

from clerk_desk.services import site_setup
from clerk_desk.services.site_setup import SiteInfo
from clerk_desk.services.workplace import IDLE_LOCK_MAX_MINUTES
from clerk_desk.store.database import Database
from clerk_desk.ui import notify
from clerk_desk.ui.site_form import SiteForm, SiteValues
from clerk_desk.ui.task_runner import TaskRunner
from clerk_desk.ui.widgets import button, dialog_layout, label


class SiteSettings(SiteValues):
    idle_lock_minutes: int


class SiteTab(QWidget):
    saved = Signal(object)  # SiteInfo, once stored

    def __init__(self, db: Database, runner: TaskRunner, actor: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.runner, self.actor = db, runner, actor
        self.setObjectName("adminSiteTab")
        note = label(
            self.tr(
                "The centre code is the township's administrative division code. The PC code is part of every "
                "case number issued here, so it cannot change once numbers have been issued."
            ),
            "siteNote",
            wrap=True,
        )
        note.setProperty("role", "note")
        self.form = SiteForm()
        self.form.setMaximumWidth(640)
        # The screen locks after this long without keyboard or mouse input (ui/idle_lock.py).
        self.idle_lock = QSpinBox()
        self.idle_lock.setObjectName("siteIdleLock")
        self.idle_lock.setRange(0, IDLE_LOCK_MAX_MINUTES)
        self.idle_lock.setSuffix(self.tr(" min"))
        self.idle_lock.setSpecialValueText(self.tr("Never"))
        self.idle_lock.setToolTip(self.tr("Minutes without use before the screen locks (0: never)"))
        self.idle_lock.setMaximumWidth(180)
        form_layout = self.form.layout()
        assert isinstance(form_layout, QFormLayout)
        form_layout.addRow(self.tr("Lock the screen after"), self.idle_lock)  # under the site's fields
        self.save = button(self.tr("Save"), "siteSave", default=True)
        row = QHBoxLayout()
        row.addWidget(self.save)
        row.addStretch(1)
        layout = dialog_layout(self)
        layout.addWidget(note)
        layout.addWidget(self.form)
        layout.addLayout(row)
        layout.addStretch(1)
        self.save.clicked.connect(self.save_site)
        self.refresh()

    def refresh(self) -> None:
        self.runner.submit(site_setup.site_info, self.db, on_done=self.load)

    def load(self, site: SiteInfo) -> None:
        self.form.load(site)
        self.idle_lock.setValue(site.idle_lock_minutes)

    def save_site(self) -> None:
        # read the widgets here, on the GUI thread
        values: SiteSettings = {**self.form.values(), "idle_lock_minutes": self.idle_lock.value()}
        self.save.setEnabled(False)
        self.runner.submit(
            partial(site_setup.set_site, self.db, actor=self.actor, **values),
            on_done=self._saved,
            on_error=self._failed,
        )

    def _saved(self, site: SiteInfo) -> None:
        self.save.setEnabled(True)
        self.load(site)
        self.saved.emit(site)
        notify.info(self, self.tr("The centre settings have been saved."))

    def _failed(self, exc: BaseException) -> None:
        self.save.setEnabled(True)
        notify.show_error(self, exc)
