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

from clerk_desk.services import accounts, demo, print_log, site_setup
from clerk_desk.services.case_read import read_case
from clerk_desk.services.intake import Clerk, IntakeService
from clerk_desk.services.intake_forms import Delivery
from clerk_desk.store.database import Database
from clerk_desk.sync import enrolment
from clerk_desk.sync.engine import SyncEngine
from clerk_desk.ui.sync.desk_sync import DeskSync
from clerk_desk.ui.sync.status_widget import SyncStatusWidget
from tests.services.test_intake import form
from tests.support.hub_server import HubAdmin, grant_demo_roles, running_hub
from tests.support.tcp_proxy import TcpProxy
from tests.sync.conftest import make_desk

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
        grant_demo_roles(admin, SITE)
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


def hub_uses_demo_password(hub: Hub, started, username: str = "clerk1") -> None:  # type: ignore[no-untyped-def]
    """The hub's account of a demo user gets the desk's demo password, as scripts/demo_hub.py registers
    them: the directory the desk copies then changes nothing (grant_demo_roles gave it a random one)."""
    from county_hub import directory
    from county_hub.db import write_engine

    name, roles, departments = next((d, r, dep) for u, d, r, dep in demo.DEMO_USERS if u == username)
    with write_engine(hub.admin.engine).begin() as conn:
        directory.add_user(conn, username, name, started.passwords[username], roles, SITE,
                           [(SITE, d) for d in departments], "test", replace=True)


def sign_in_clerk(started) -> None:  # type: ignore[no-untyped-def]
    started.sign_in("clerk1")


@dataclass
class Rejected:
    started: object
    sync: DeskSync
    case_uuid: str
    case_number: str


def one_at_a_time(db, client_factory) -> SyncEngine:  # type: ignore[no-untyped-def]
    """Batches of one, so the print record is still pending when the transfer is sent back (held)."""
    return SyncEngine(db, client_factory, interval_s=3600, batch=1)


@pytest.fixture
def rejected(hub: Hub, start, qtbot, tmp_path: Path) -> Iterator[Rejected]:
    """Desk A accepts a case and pushes it; desk B (the GUI) pulls it; A transfers it first; B transfers
    it too, offline, and prints its receipt. When B's link is back its transfer comes back
    ``stale_version`` and the print record is held."""
    a = make_desk(tmp_path / "a", hub.url, hub.admin)
    uid = accept(a.db)
    a.engine.run_once()
    with TcpProxy(("127.0.0.1", hub.port)) as proxy:
        s = start(data_dir=enrolled_demo_folder(tmp_path / "b", proxy.url, hub.code()))
        s.controller.engine_factory = one_at_a_time
        sign_in_clerk(s)
        sync = s.controller.sync
        qtbot.waitUntil(lambda: sync.status is not None and sync.status.last_success is not None, timeout=10_000)
        b = s.launch.db
        number = read_case(b, uid).case_number  # pulled from the hub
        # B goes offline and transfers first, so what B knows cannot race A's transfer (with the link up B
        # hears of it at once, sync/live.py); once B has failed to send both records, A's transfer
        # reaches the hub first
        proxy.down()
        IntakeService(b).transfer(uid, clerk_of(b))
        print_log.record_print(b, uid, "receipt", actor="clerk1")
        qtbot.waitUntil(shows(s, "未连接", "待上传 2"), timeout=10_000)
        a.intake.transfer(uid, a.clerk)
        a.engine.run_once()
        proxy.up()
        sync.sync_now()
        qtbot.waitUntil(lambda: sync.notice is not None, timeout=10_000)
        yield Rejected(s, sync, uid, number)
    a.db.close()
