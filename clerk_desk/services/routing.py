"""Routing as a window's screens ask it: which catalog items this window cannot take today, and why
(domain/routing.py holds the rules; the intake service enforces them)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from clerk_desk.catalog.views import ItemSummary
from clerk_desk.domain.org import WindowKind
from clerk_desk.domain.routing import Item, WindowRoute, refusal
from clerk_desk.services.workplace import list_windows
from clerk_desk.store.database import Database


@dataclass(frozen=True)
class WindowRouting:
    """The site's windows as read once, judged for one window on one day."""

    window: WindowRoute
    windows: tuple[WindowRoute, ...]
    day: date

    def refusal(self, code: str, name: str, department_code: str) -> str | None:
        return refusal(self.window, Item(code, name, department_code), self.day, self.windows)

    def refused(self, items: Iterable[ItemSummary]) -> dict[str, str]:
        """item code -> why this window cannot take it (the items it takes are absent)."""
        out = {}
        for i in items:
            text = self.refusal(i.code, i.name, i.department_code)
            if text is not None:
                out[i.code] = text
        return out


def at_window(db: Database, window_id: str | None, day: date) -> WindowRouting:
    """Routing for ``window_id`` (no window picked: as at a 综合窗口, like the intake service)."""
    infos = list_windows(db, include_inactive=True)
    windows = tuple(w.route() for w in infos)
    mine = next((w.route() for w in infos if w.id == window_id), None)
    return WindowRouting(mine or WindowRoute("本窗口", WindowKind.COMPREHENSIVE), windows, day)
