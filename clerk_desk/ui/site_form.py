"""The site fields (centre code and name, this PC's code, mode), shared by first start and the admin tab."""

from __future__ import annotations

from typing import TypedDict

from PySide6.QtWidgets import QFormLayout, QWidget

from clerk_desk.services.site_setup import SiteInfo
from clerk_desk.ui.widgets import combo, line_edit


class SiteValues(TypedDict):
    """What the form holds, as keyword arguments for site_setup.set_site."""

    site_code: str
    site_name: str
    device_code: str
    mode: str


class SiteForm(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.code = line_edit("siteCode", placeholder=self.tr("e.g. 421224100"))
        self.name = line_edit("siteName", placeholder=self.tr("e.g. Tongyang Town Service Centre"))
        self.device = line_edit("siteDeviceCode", placeholder=self.tr("e.g. 03"))
        self.mode = combo("siteMode")
        self.mode.addItem(self.tr("Front window (clerk)"), "clerk")
        self.mode.addItem(self.tr("Back office (approver)"), "approver")
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(self.tr("Centre code"), self.code)
        form.addRow(self.tr("Centre name"), self.name)
        form.addRow(self.tr("This PC's code"), self.device)
        form.addRow(self.tr("Mode"), self.mode)

    def load(self, site: SiteInfo) -> None:
        self.code.setText(site.site_code or "")
        self.name.setText(site.site_name or "")
        self.device.setText(site.device_code or "")
        self.mode.setCurrentIndex(max(0, self.mode.findData(site.mode)))

    def values(self) -> SiteValues:
        """Keyword arguments for site_setup.set_site (validated there)."""
        return {
            "site_code": self.code.text(),
            "site_name": self.name.text(),
            "device_code": self.device.text(),
            "mode": str(self.mode.currentData()),
        }
