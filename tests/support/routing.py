"""Tests that accept items of several departments do it at the window that takes each (domain/routing.py)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from clerk_desk.domain.routing import Item, taker
from clerk_desk.services import site_setup
from clerk_desk.services.intake import Clerk
from clerk_desk.services.intake_forms import ItemRef
from clerk_desk.store.database import Database


def at_window_for(db: Database, clerk: Clerk, item: ItemRef, day: date) -> Clerk:
    """The same clerk, at the site's window that takes ``item`` on ``day``."""
    windows = site_setup.list_windows(db, include_inactive=True)
    route = taker(Item(item.code, item.name, item.department_code), day, [w.route() for w in windows])
    assert route is not None, f"no window of the site takes {item.code}"
    w = next(w for w in windows if w.name == route.name)
    return replace(clerk, window_id=w.id, window_name=w.name)
