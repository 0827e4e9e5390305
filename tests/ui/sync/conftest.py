"""The sync UI against a real county hub on 127.0.0.1 (tests/support/hub_server.py), no hub mocks.

Desks are launched through clerk_desk.app.launch (the ``start`` fixture of tests/ui/conftest.py) with
a synchronous task runner; the sync engine runs its real background thread, so tests wait for what
it shows with qtbot.waitUntil.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from clerk_desk.services import accounts, demo, site_setup
from clerk_desk.services.intake import Clerk, IntakeService
from clerk_desk.services.intake_forms import Delivery
from clerk_desk.store.database import Database
from clerk_desk.sync import enrolment
from clerk_desk.ui.sync.status_widget import SyncStatusWidget
from tests.services.test_intake import form
from tests.support.hub_server import HubAdmin, running_hub

SITE = demo.DEMO_SITE[0]


@dataclass
class Hub:
    url: str
    admin: HubAdmin

    @property
    def port(self) -> int:
        return int(self.url.rsplit(":", 1)[1])

    def code(self, hours: float = 72.0) -> str:
        """A one-time enrolment code for a new clerk device of the demo site."""
        return self.admin.device(SITE, "clerk", hours=hours)[1]


@pytest.fixture
def hub(tmp_path: Path) -> Iterator[Hub]:
    with running_hub(tmp_path / "hub") as url, HubAdmin(tmp_path / "hub") as admin:
        admin.site(SITE, demo.DEMO_SITE[1])
        yield Hub(url, admin)


def enrolled_demo_folder(folder: Path, hub_url: str, code: str) -> Path:
    """A demo data folder enrolled with the hub (what scripts/demo_hub.py does)."""
    db = Database(folder)
    try:
        demo.ensure_demo_site(db)
        enrolment.enrol(db, hub_url, code)
    finally:
        db.close()
    return folder


PLAIN_PASSWORD = "Window-2026a"


def plain_site_folder(folder: Path) -> Path:
    """A real (not demo) hall PC that is set up but not enrolled: admin and clerk1, one window."""
    db = Database(folder)
    try:
        site_setup.set_site(db, site_code=SITE, site_name=demo.DEMO_SITE[1], device_code="01")
        site_setup.add_window(db, name="综合窗口（一）", kind="comprehensive", department_code=None, actor="t")
        for username, roles in (("admin", ["admin"]), ("clerk1", ["clerk"])):
            accounts.add_user(db, username=username, display_name=username, password=PLAIN_PASSWORD,
                              roles=roles, serves=[], source="local", actor="t")
    finally:
        db.close()
    return folder


def clerk_of(db: Database, username: str = "clerk1") -> Clerk:
    u = next(u for u in accounts.list_users(db) if u.username == username)
    w = site_setup.list_windows(db)[0]
    return Clerk(u.id, u.username, u.display_name, w.id, w.name)


def accept(db: Database) -> str:
    """One realistic intake, as the intake page would save it; returns the case uuid."""
    return IntakeService(db).accept(form(), clerk_of(db), delivery=Delivery("window")).cases[0].case_uuid


def status_widget(started) -> SyncStatusWidget:  # type: ignore[no-untyped-def]
    sync = started.controller.sync
    assert sync is not None, "sync starts with the main window"
    return sync.widget


def shows(started, *parts: str) -> Callable[[], bool]:  # type: ignore[no-untyped-def]
    """For qtbot.waitUntil: the status bar item shows every one of these texts."""

    def check() -> bool:
        texts = status_widget(started).texts()
        return all(p in texts for p in parts)

    return check


def sign_in_clerk(started) -> None:  # type: ignore[no-untyped-def]
    started.sign_in("clerk1")
    started.child("windowPickerOk").click()
