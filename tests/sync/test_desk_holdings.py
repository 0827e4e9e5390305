"""Real desks tell a real county hub (127.0.0.1, SQLite and PostgreSQL) what they hold, on their timer round:
``county-hub device list`` then shows each desk's program, catalog and calendar years, and which lack what the
hub serves (docs/hub.md, "What each desk holds"; docs/sync-protocol.md)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from clerk_desk import __version__
from clerk_desk.services import catalog_service as cs
from county_hub.cli import main as hub_cli
from tests.support.catalogs import calendar_2027
from tests.support.hub_server import HubAdmin, running_hub
from tests.sync.conftest import SITE, make_desk
from tests.sync.test_follow import county_catalog


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.pg)])
def hub_target(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "hub")
    url: str = request.getfixturevalue("pg_database_url")
    return url


def _listed(target: str, capsys: pytest.CaptureFixture[str], *more: str) -> dict[str, dict[str, Any]]:
    where = ["--db", target] if "://" in target else ["--data-dir", target]
    capsys.readouterr()
    assert hub_cli(["device", "list", *where, *more]) == 0
    return {d["code"]: d for d in json.loads(capsys.readouterr().out)}


def test_desks_report_what_they_hold_and_the_behind_list_follows_them(
    hub_target: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with running_hub(hub_target) as url, HubAdmin(hub_target) as admin:
        admin.site(SITE, "通羊镇便民服务中心")
        first, second = make_desk(tmp_path / "d1", url, admin), make_desk(tmp_path / "d2", url, admin)
        for desk in (first, second):
            desk.engine.run_once()
            assert desk.engine.status().last_error is None
        listed = _listed(hub_target, capsys)
        assert len(listed) == 2
        demo = cs.catalog_info(first.db)
        assert demo is not None and demo.is_demo
        for d in listed.values():
            assert d["holds"]["app"] == __version__
            assert (d["holds"]["catalog"], d["holds"]["catalog_source"]) == (demo.version, "demo")
            assert d["holds"]["calendar"] == {"2026": "2026-1"}  # the shipped file's year
            assert d["behind"] == []  # the hub serves nothing yet

        # the county publishes its catalog and 2027; the first desk syncs twice (the report goes with the
        # catalog's request, before the round imports it), the second stays away
        catalog = county_catalog("2027.1")
        admin.publish("catalog", json.dumps(catalog, ensure_ascii=False).encode())
        admin.publish("calendar", calendar_2027())
        behind = _listed(hub_target, capsys, "--behind")
        assert len(behind) == 2 and all(d["behind"][0]["what"] == "catalog" for d in behind.values())
        first.engine.run_once()
        first.engine.run_once()
        behind = _listed(hub_target, capsys, "--behind")
        assert len(behind) == 1
        [(late, entry)] = behind.items()
        assert entry["behind"] == [
            {"what": "catalog", "have": demo.version, "served": "2027.1"},
            {"what": "calendar", "year": 2027, "have": None, "served": "2027-1"},
        ]
        up_to_date = next(d for code, d in _listed(hub_target, capsys).items() if code != late)
        assert up_to_date["holds"]["catalog"] == "2027.1" and up_to_date["holds"]["catalog_source"] == "hub"
        assert up_to_date["holds"]["calendar"] == {"2026": "2026-1", "2027": "2027-1"}
        second.engine.run_once()
        second.engine.run_once()
        assert _listed(hub_target, capsys, "--behind") == {}
