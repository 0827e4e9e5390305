"""Fixtures for the case list and case page: a demo site on a real SQLite file, a session for clerk1 at
the first window, cases made through IntakeService (tests/ui/cases/case_kit.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from clerk_desk.services import accounts, demo, site_setup
from clerk_desk.services.intake import Clerk, IntakeService
from clerk_desk.store.database import Database
from clerk_desk.ui.session import DeskSession
from tests.ui.cases.case_kit import Clock, Desk


@pytest.fixture
def desk(tmp_path: Path) -> Iterator[Desk]:
    db = Database(tmp_path / "data")
    demo.ensure_demo_site(db)
    u = next(u for u in accounts.list_users(db) if u.username == "clerk1")
    w = site_setup.list_windows(db)[0]
    session = DeskSession(u, site_setup.site_info(db), w, "clerk")
    yield Desk(db, IntakeService(db), Clerk(u.id, u.username, u.display_name, w.id, w.name), session, Clock())
    db.close()
