"""首页: who is signed in, where, today's date, and what this version lets them do."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QFormLayout, QFrame, QVBoxLayout, QWidget

from clerk_desk.ui.session import DeskSession

if TYPE_CHECKING:
    from clerk_desk.ui.pages import PageSpec
from clerk_desk.ui.widgets import label
from clerk_desk.ui.window_picker import window_label


def weekday_name(day: date) -> str:
    names = [
        QCoreApplication.translate("HomePage", "Monday"),
        QCoreApplication.translate("HomePage", "Tuesday"),
        QCoreApplication.translate("HomePage", "Wednesday"),
        QCoreApplication.translate("HomePage", "Thursday"),
        QCoreApplication.translate("HomePage", "Friday"),
        QCoreApplication.translate("HomePage", "Saturday"),
        QCoreApplication.translate("HomePage", "Sunday"),
    ]
    return names[day.weekday()]


def date_text(day: date) -> str:
    return QCoreApplication.translate("HomePage", "{0}-{1:02d}-{2:02d}, {3}").format(
        day.year, day.month, day.day, weekday_name(day)
    )


class HomePage(QWidget):
    def __init__(
        self,
        session: DeskSession,
        other_pages: Sequence[PageSpec],
        parent: QWidget | None = None,
        today: date | None = None,
        warning: QWidget | None = None,  # the missing-calendar warning (ui/calendar_warning.py)
    ) -> None:
        super().__init__(parent)
        self.session = session
        today = today or date.today()
        user = session.user
        heading = label(self.tr("Welcome, {0}").format(user.display_name), "homeHeading")
        heading.setProperty("role", "heading")

        card = QFrame()
        card.setObjectName("homeCard")
        facts = QFormLayout(card)
        facts.addRow(
            self.tr("Signed in as"),
            label(f"{user.display_name}（{user.username}）· {user.roles_zh}", "homeUser"),
        )
        facts.addRow(
            self.tr("Service centre"), label(session.site.site_name or self.tr("not set up"), "homeSite")
        )
        facts.addRow(self.tr("Window"), label(self._window_text(), "homeWindow"))
        facts.addRow(self.tr("Today"), label(date_text(today), "homeDate"))

        can = label(self.tr("What you can do in this version"), "homeCanHeading")
        can.setProperty("role", "subheading")
        items = label("\n".join(f"•  {t}" for t in self._abilities(other_pages)), "homeAbilities", wrap=True)
        items.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 24, 32, 24)
        layout.addWidget(heading)
        if warning is not None:
            layout.addWidget(warning)
        layout.addWidget(card)
        layout.addSpacing(12)
        layout.addWidget(can)
        layout.addWidget(items)
        layout.addStretch(1)

    def _window_text(self) -> str:
        s = self.session
        if s.is_approver_mode:
            return self.tr("Back office (approver mode)")
        if s.window is None:
            return self.tr("No window (administration only)")
        name = window_label(s.window)
        return name if s.window.kind_zh in name else f"{name} · {s.window.kind_zh}"

    def _abilities(self, pages: Sequence[PageSpec]) -> list[str]:
        titles = {p.key: p.translated_title() for p in pages}
        out = []
        if "catalog" in titles:
            out.append(
                self.tr("Look up service items, their materials and time limits ({0}).").format(
                    titles["catalog"]
                )
            )
        if "admin" in titles:
            out.append(
                self.tr("Set up the service centre, its windows and the accounts ({0}).").format(
                    titles["admin"]
                )
            )
        out.append(self.tr("Change your password or sign out (Account menu)."))
        return out
