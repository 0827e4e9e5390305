"""Desks and a real county hub on 127.0.0.1 for the sync tests."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from clerk_desk.services import accounts, demo, site_setup
from clerk_desk.services.intake import Clerk, IntakeService
from clerk_desk.store.database import Database
from clerk_desk.sync import enrolment
from clerk_desk.sync.engine import SyncEngine
from tests.support.hub_server import HubAdmin, grant_demo_roles, running_hub

SITE = "421224100"


@dataclass
class Desk:
    db: Database
    intake: IntakeService
    clerk: Clerk
    engine: SyncEngine


@pytest.fixture
def hub(tmp_path: Path) -> Iterator[tuple[str, HubAdmin]]:
    # The round trips act days ahead of the hub's clock (a case's whole life in one test): a wide clock-skew
    # allowance lets those events in (county_hub.admission).
    with running_hub(tmp_path / "hub", clock_skew_s=14 * 86400) as url, HubAdmin(tmp_path / "hub") as admin:
        admin.site(SITE, "通羊镇便民服务中心")
        yield url, admin


def make_desk(folder: Path, hub_url: str, admin: HubAdmin, *, enrol: bool = True, ca_bundle: str | None = None,
              **engine_kw: object) -> Desk:  # fmt: skip
    db = Database(folder)
    demo.ensure_demo_site(db)
    if enrol:
        grant_demo_roles(admin, SITE)
        _device, code = admin.device(SITE, "clerk")
        enrolment.enrol(db, hub_url, code, ca_bundle=ca_bundle)
    u = next(u for u in accounts.list_users(db) if u.username == "clerk1")
    w = site_setup.list_windows(db)[0]
    engine = SyncEngine(db, lambda: enrolment.client_for(db), seed=1, **engine_kw)  # type: ignore[arg-type]
    return Desk(db, IntakeService(db), Clerk(u.id, u.username, u.display_name, w.id, w.name), engine)
