"""Site settings: centre code and name, this PC's code, clerk or approver mode."""

from __future__ import annotations

from functools import partial

from PySide6.QtWidgets import QHBoxLayout, QWidget

from clerk_desk.services import site_setup
from clerk_desk.services.site_setup import SiteInfo
from clerk_desk.store.database import Database
from clerk_desk.ui import notify
from clerk_desk.ui.site_form import SiteForm
from clerk_desk.ui.task_runner import TaskRunner
from clerk_desk.ui.widgets import button, dialog_layout, label


class SiteTab(QWidget):
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
        self.runner.submit(site_setup.site_info, self.db, on_done=self.form.load)

    def save_site(self) -> None:
        values = self.form.values()  # read the widgets here, on the GUI thread
        self.save.setEnabled(False)
        self.runner.submit(
            partial(site_setup.set_site, self.db, actor=self.actor, **values),
            on_done=self._saved,
            on_error=self._failed,
        )

    def _saved(self, site: SiteInfo) -> None:
        self.save.setEnabled(True)
        self.form.load(site)
        notify.info(self, self.tr("The centre settings have been saved."))

    def _failed(self, exc: BaseException) -> None:
        self.save.setEnabled(True)
        notify.show_error(self, exc)
